// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The asynchronous op, DELAY: not complete before its time, completes with
 * the caller's result, DELAY(0), hundreds in flight matched by user_data,
 * mixed inline + async batches, IOSQE_ASYNC (issue from an io-wq worker),
 * links, and a file closed while its command is in flight.
 */
#include "guest_test.h"

#include <limits.h>

/* A 200 ms DELAY is not there right after submit, and arrives later. */
static void test_delay_basic(enum gt_ring_kind k)
{
	const uint32_t usec = 200000;
	struct io_uring ring = {};
	struct gt_cqe cqe = {};
	uint64_t t0, t_peek, t_done;
	int fd = -1, ret, peeked;

	gt_begin("delay_basic_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	CHECK(gt_prep_delay(&ring, fd, usec, 12345, 0xd1), "no SQE");
	t0 = gt_now_us();
	ret = io_uring_submit(&ring);
	CHECK(ret == 1, "submit: %s", gt_errname(ret));
	peeked = gt_reap(&ring, &cqe, 0);
	t_peek = gt_now_us();
	if (peeked == 0)
		CHECK(t_peek - t0 >= usec,
		      "DELAY %u us completed (res %s) already %" PRIu64
		      " us after submit", usec, gt_errname(cqe.res), t_peek - t0);
	else
		CHECK(peeked == -ETIME, "peek: %s", gt_errname(peeked));
	if (peeked) {
		ret = gt_reap(&ring, &cqe, GT_WAIT_US);
		CHECK(ret == 0, "DELAY never completed: %s", gt_errname(ret));
	}
	t_done = gt_now_us();
	CHECK(cqe.user_data == 0xd1, "user_data 0x%" PRIx64, cqe.user_data);
	CHECK_RES(cqe.res, 12345);
	CHECK(cqe.flags == 0, "CQE flags 0x%x", cqe.flags);
	CHECK(t_done - t0 >= usec, "DELAY %u us completed after %" PRIu64 " us",
	      usec, t_done - t0);
	fprintf(stderr, "delay_basic_%s: %u us -> %" PRIu64 " us\n",
		gt_ring_names[k], usec, t_done - t0);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* DELAY(0) completes, and any s32 comes back as res. */
static void test_delay_results(enum gt_ring_kind k)
{
	static const int32_t results[] = {
		0, 12345, -EIO, -1, 1, INT32_MAX, INT32_MIN, -EINVAL, 80,
	};
	struct io_uring ring = {};
	struct miscuring_delay d;
	struct gt_cqe cqe = {};
	int fd = -1;

	gt_begin("delay_results_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		d = gt_delay_payload(i & 1 ? 1000 : 0, results[i]);
		CMD_EXPECT(&ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), &cqe,
			   results[i]);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* Hundreds in flight: each completes once, with its result, not early. */
static void test_delay_many(enum gt_ring_kind k, unsigned int n)
{
	struct io_uring ring = {};
	uint32_t *usec = calloc(n, sizeof(*usec));
	int32_t *result = calloc(n, sizeof(*result));
	unsigned char *seen = calloc(n, 1);
	struct gt_cqe cqe = {};
	uint64_t t0, now, deadline, max_late = 0;
	int fd = -1, ret;

	gt_begin("delay_many_%u_%s", n, gt_ring_names[k]);
	CHECK(usec && result && seen, "out of memory");
	ret = gt_ring_init(&ring, n, k);
	CHECK(ret == 0, "ring setup (%u entries): %s", n, gt_errname(ret));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));

	/* odd multiplier: a bijection on 32 bits, so all results differ */
	{
		uint32_t base = (uint32_t)gt_rand64();

		for (unsigned int i = 0; i < n; i++) {
			usec[i] = (uint32_t)(gt_rand64() % 20001);
			result[i] = (int32_t)((base + i) * 0x9e3779b1u);
			CHECK(gt_prep_delay(&ring, fd, usec[i], result[i],
					    0xa000 + i), "no SQE for %u", i);
		}
	}
	t0 = gt_now_us();
	ret = io_uring_submit(&ring);
	CHECK(ret == (int)n, "submit: %s of %u", gt_errname(ret), n);

	deadline = t0 + 30ull * 1000000;
	for (unsigned int got = 0; got < n; got++) {
		now = gt_now_us();
		CHECK(now < deadline, "only %u of %u completed in 30 s", got, n);
		ret = gt_reap(&ring, &cqe, deadline - now);
		CHECK(ret == 0, "only %u of %u completed: %s", got, n,
		      gt_errname(ret));
		now = gt_now_us();
		CHECK(cqe.user_data >= 0xa000 && cqe.user_data < 0xa000 + n,
		      "unknown user_data 0x%" PRIx64 " (res %s)", cqe.user_data,
		      gt_errname(cqe.res));
		{
			unsigned int i = (unsigned int)(cqe.user_data - 0xa000);

			CHECK(!seen[i], "command %u completed twice", i);
			seen[i] = 1;
			CHECK(cqe.res == result[i],
			      "command %u: res %d, expected %d", i, cqe.res,
			      result[i]);
			CHECK(now - t0 >= usec[i],
			      "command %u: DELAY %u us completed after %" PRIu64
			      " us", i, usec[i], now - t0);
			if (now - t0 - usec[i] > max_late)
				max_late = now - t0 - usec[i];
		}
	}
	/* nothing more may arrive */
	ret = gt_reap(&ring, &cqe, 100000);
	CHECK(ret == -ETIME, "extra CQE user_data 0x%" PRIx64 " res %d",
	      cqe.user_data, cqe.res);
	fprintf(stderr, "delay_many_%u_%s: all done in %" PRIu64
		" us, max lateness %" PRIu64 " us\n", n, gt_ring_names[k],
		gt_now_us() - t0, max_late);
out:
	gt_ring_dev_exit(&ring, fd);
	free(usec);
	free(result);
	free(seen);
	gt_end();
}

/*
 * One submission with inline and async ops mixed: the inline ones are
 * posted by the time io_uring_enter() returns, the 150 ms DELAY is not,
 * and everything arrives with the right result.
 */
static void test_mixed_batch(enum gt_ring_kind k)
{
	enum { N = 8, SLOW = 1, FAST = 4 };
	static const int is_inline[N] = { 1, 0, 1, 1, 0, 1, 1, 1 };
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	struct miscuring_hello hello = {};
	struct miscuring_get_value get;
	struct miscuring_set_value set = gt_set_payload(9);
	struct miscuring_echo echo;
	struct miscuring_probe pr;
	struct miscuring_info info;
	unsigned char ebuf[128];
	int seen[N] = {};
	struct gt_cqe cqe = {};
	uint64_t v = 0xffff, t0;
	int fd = -1, ret, early;

	gt_begin("mixed_batch_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 16, k, fd, O_RDWR);

	get = gt_get_payload(&v);
	echo = gt_echo_payload(ebuf, sizeof(ebuf));
	pr = gt_probe_payload(&info, sizeof(info));
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 0) &&
	      gt_prep_delay(&ring, fd, 150000, 1111, SLOW) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get), 2) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_ECHO, &echo, sizeof(echo), 3) &&
	      gt_prep_delay(&ring, fd, 0, 2222, FAST) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_PROBE, &pr, sizeof(pr), 5) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_SET_VALUE, &set, sizeof(set), 6) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_HELLO, &hello, sizeof(hello), 7),
	      "no SQE");
	t0 = gt_now_us();
	ret = io_uring_submit(&ring);
	CHECK(ret == N, "submit: %s", gt_errname(ret));

	/* what is already there, without entering the kernel again */
	early = 1;
	for (int got = 0; got < N; got++) {
		ret = gt_reap(&ring, &cqe, early ? 0 : GT_WAIT_US);
		if (ret == -ETIME && early) {
			for (int i = 0; i < N; i++)
				CHECK(seen[i] || !is_inline[i],
				      "inline op %d not complete when submit "
				      "returned", i);
			early = 0;
			got--;
			continue;
		}
		CHECK(ret == 0, "%d of %d completed: %s", got, N, gt_errname(ret));
		CHECK(cqe.user_data < N && !seen[cqe.user_data],
		      "bad or duplicate user_data %" PRIu64, cqe.user_data);
		seen[cqe.user_data] = 1;
		if (early && cqe.user_data == SLOW)
			CHECK(gt_now_us() - t0 >= 150000,
			      "150 ms DELAY done at submit time");
		switch (cqe.user_data) {
		case SLOW:
			CHECK_RES(cqe.res, 1111);
			CHECK(gt_now_us() - t0 >= 150000, "150 ms DELAY done after %"
			      PRIu64 " us", gt_now_us() - t0);
			break;
		case FAST:
			CHECK_RES(cqe.res, 2222);
			break;
		case 3:
			CHECK_RES(cqe.res, (long)gt_payload_size(&ring));
			break;
		case 5:
			CHECK_RES(cqe.res, (long)sizeof(info));
			break;
		default:
			CHECK(cqe.res == 0, "op %" PRIu64 ": res %s",
			      cqe.user_data, gt_errname(cqe.res));
		}
	}
	CHECK(v == 0, "GET (before SET in the batch) saw 0x%" PRIx64, v);
	CHECK_RES(gt_get_value(&ring, fd, &v), 0);
	CHECK(v == 9, "value 0x%" PRIx64 " after the batch, expected 9", v);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * Submit one command with extra SQE flags and wait up to timeout_us.
 * 0 and *cqe, or -errno (-ETIME: no completion).
 */
static int cmd_flags_sync(struct io_uring *ring, int fd, uint32_t op,
			  const void *payload, size_t len, uint8_t sqe_flags,
			  uint64_t timeout_us, struct gt_cqe *cqe)
{
	struct io_uring_sqe *sqe;
	int ret;

	sqe = gt_prep_cmd(ring, fd, op, payload, len, 0xa5);
	if (!sqe)
		return -ENOSPC;
	sqe->flags |= sqe_flags;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = gt_reap(ring, cqe, timeout_us);
	if (ret)
		return ret;
	return cqe->user_data == 0xa5 ? 0 : -EPROTO;
}

#define ASYNC_WAIT_US	3000000

/*
 * IOSQE_ASYNC: the command is issued from an io-wq worker (unlocked issue
 * flags, the payload copied by io_uring). Same results. Ops with a zero or
 * negative result here; ECHO and PROBE (positive results) each get a case
 * of their own below, so that one lost completion does not hide the rest.
 */
static void test_iosqe_async(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	unsigned char p[MISCURING_PAYLOAD_SQE128];
	struct gt_cqe cqe = {};
	size_t psize;
	uint64_t v = 0;
	int fd = -1, ret;

	gt_begin("iosqe_async_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 16, k, fd, O_RDWR);
	psize = gt_payload_size(&ring);

#define ASYNC_CMD(op, exp)						\
	do {								\
		ret = cmd_flags_sync(&ring, fd, (op), p, psize, IOSQE_ASYNC, \
				     ASYNC_WAIT_US, &cqe);		\
		CHECK(ret == 0, #op " with IOSQE_ASYNC: no completion: %s", \
		      gt_errname(ret));					\
		if (cqe.res != (exp)) {					\
			gt_fail("line %d: " #op " with IOSQE_ASYNC: res %s, " \
				"expected %s", __LINE__, gt_errname(cqe.res), \
				gt_errname(exp));			\
			goto out;					\
		}							\
	} while (0)

	memset(p, 0, sizeof(p));
	ASYNC_CMD(MISCURING_CMD_NOP, 0);
	ASYNC_CMD(MISCURING_CMD_HELLO, 0);
	GT_PUT_PAYLOAD(p, sizeof(p), gt_set_payload(0xa5a5000000000001ull));
	ASYNC_CMD(MISCURING_CMD_SET_VALUE, 0);
	GT_PUT_PAYLOAD(p, sizeof(p), gt_get_payload(&v));
	ASYNC_CMD(MISCURING_CMD_GET_VALUE, 0);
	CHECK(v == 0xa5a5000000000001ull, "GET saw 0x%" PRIx64, v);
	if (gt_ring_cqe32(&ring))
		CHECK(cqe.res2 == v, "GET big_cqe[0] 0x%" PRIx64, cqe.res2);
	GT_PUT_PAYLOAD(p, sizeof(p), gt_delay_payload(20000, -EIO));
	ASYNC_CMD(MISCURING_CMD_DELAY, -EIO);
	GT_PUT_PAYLOAD(p, sizeof(p), gt_delay_payload(0, 4242));
	ASYNC_CMD(MISCURING_CMD_DELAY, 4242);
	memset(p, 0, sizeof(p));
	ASYNC_CMD(MISCURING_CMD(MISCURING_CMD_NR_MAX + 1), -EOPNOTSUPP);
	p[15] = 1;
	ASYNC_CMD(MISCURING_CMD_NOP, -EINVAL);
#undef ASYNC_CMD
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* ECHO with IOSQE_ASYNC: a positive result from an io-wq worker. */
static void test_iosqe_async_echo(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	unsigned char p[MISCURING_PAYLOAD_SQE128];
	unsigned char ebuf[MISCURING_PAYLOAD_SQE128 + 16];
	struct miscuring_echo e;
	struct gt_cqe cqe = {};
	size_t psize;
	int fd = -1, ret;

	gt_begin("iosqe_async_echo_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 4, k, fd, O_RDWR);
	psize = gt_payload_size(&ring);

	e = gt_echo_payload(ebuf, sizeof(ebuf));
	memset(p, 0, sizeof(p));
	memcpy(p, &e, sizeof(e));
	gt_fill_random(p + sizeof(e), psize - sizeof(e));
	memset(ebuf, 0xcc, sizeof(ebuf));
	ret = cmd_flags_sync(&ring, fd, MISCURING_CMD_ECHO, p, psize, IOSQE_ASYNC,
			     ASYNC_WAIT_US, &cqe);
	CHECK(ret == 0, "ECHO with IOSQE_ASYNC: no completion within %d s: %s",
	      ASYNC_WAIT_US / 1000000, gt_errname(ret));
	CHECK_RES(cqe.res, (long)psize);
	CHECK(memcmp(ebuf, p, psize) == 0, "ECHO data differs at %ld",
	      gt_first_diff(ebuf, p, psize));
	CHECK(gt_all_bytes(ebuf + psize, sizeof(ebuf) - psize, 0xcc),
	      "ECHO wrote past %zu bytes", psize);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* PROBE with IOSQE_ASYNC: a positive result from an io-wq worker. */
static void test_iosqe_async_probe(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct miscuring_info info;
	struct miscuring_probe pr;
	struct gt_cqe cqe = {};
	int fd = -1, ret;

	gt_begin("iosqe_async_probe_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 4, k, fd, O_RDWR);
	memset(&info, 0, sizeof(info));
	pr = gt_probe_payload(&info, sizeof(info));
	ret = cmd_flags_sync(&ring, fd, MISCURING_CMD_PROBE, &pr, sizeof(pr),
			     IOSQE_ASYNC, ASYNC_WAIT_US, &cqe);
	CHECK(ret == 0, "PROBE with IOSQE_ASYNC: no completion within %d s: %s",
	      ASYNC_WAIT_US / 1000000, gt_errname(ret));
	CHECK_RES(cqe.res, (long)sizeof(info));
	CHECK(le32toh(info.abi_version) == MISCURING_ABI_VERSION,
	      "abi_version %u", le32toh(info.abi_version));
	if (gt_ring_cqe32(&ring))
		CHECK(cqe.res2 == le64toh(info.features),
		      "big_cqe[0] 0x%" PRIx64 ", features 0x%" PRIx64, cqe.res2,
		      le64toh(info.features));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * Links: a command after a DELAY starts when the DELAY completes; a
 * negative DELAY result fails the link (the next one gets -ECANCELED).
 */
static void test_links(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	struct io_uring_sqe *sqe;
	struct gt_cqe c1 = {}, c2 = {};
	int fd = -1, ret;

	gt_begin("links_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	sqe = gt_prep_delay(&ring, fd, 100000, 7, 1);
	CHECK(sqe, "no SQE");
	sqe->flags |= IOSQE_IO_LINK;
	sqe = gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 2);
	CHECK(sqe, "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == 2, "submit: %s", gt_errname(ret));
	CHECK(gt_reap(&ring, &c1, 0) == -ETIME,
	      "CQE user_data %" PRIu64 " res %d at submit time, before the "
	      "DELAY it is linked behind", c1.user_data, c1.res);
	CHECK(gt_reap(&ring, &c1, GT_WAIT_US) == 0, "no first CQE");
	CHECK(gt_reap(&ring, &c2, GT_WAIT_US) == 0, "no second CQE");
	CHECK(c1.user_data == 1 && c2.user_data == 2,
	      "order %" PRIu64 ", %" PRIu64 ": the NOP ran before the DELAY "
	      "it is linked behind", c1.user_data, c2.user_data);
	CHECK_RES(c1.res, 7);
	CHECK_RES(c2.res, 0);

	sqe = gt_prep_delay(&ring, fd, 50000, -EIO, 3);
	CHECK(sqe, "no SQE");
	sqe->flags |= IOSQE_IO_LINK;
	sqe = gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 4);
	CHECK(sqe, "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == 2, "submit: %s", gt_errname(ret));
	CHECK(gt_reap(&ring, &c1, GT_WAIT_US) == 0, "no first CQE");
	CHECK(gt_reap(&ring, &c2, GT_WAIT_US) == 0, "no second CQE");
	CHECK(c1.user_data == 3 && c2.user_data == 4, "order %" PRIu64 ", %" PRIu64,
	      c1.user_data, c2.user_data);
	CHECK_RES(c1.res, -EIO);
	CHECK_RES(c2.res, -ECANCELED);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * A successful command with a positive result (ECHO, PROBE) or a second
 * result (GET_VALUE on CQE32) does not break a link: the NOP linked
 * behind it runs and succeeds. Only a negative result fails a link.
 */
static void test_links_positive(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	unsigned char ebuf[MISCURING_PAYLOAD_SQE128];
	struct miscuring_info info;
	struct miscuring_echo echo = gt_echo_payload(ebuf, sizeof(ebuf));
	struct miscuring_probe pr = gt_probe_payload(&info, sizeof(info));
	struct miscuring_get_value get = gt_get_payload(NULL);
	struct io_uring_sqe *sqe;
	struct gt_cqe c1 = {}, c2 = {};
	int fd = -1, ret;
	const struct {
		const char *name;
		uint32_t op;
		const void *payload;
		long res;
	} first[] = {
		{ "ECHO", MISCURING_CMD_ECHO, &echo,
		  (long)(k == GT_RING_SQE128 || k == GT_RING_BIG ? 80 : 16) },
		{ "PROBE", MISCURING_CMD_PROBE, &pr, (long)sizeof(info) },
		{ "GET_VALUE", MISCURING_CMD_GET_VALUE, &get,
		  k == GT_RING_CQE32 || k == GT_RING_BIG ? 0 : -EINVAL },
	};

	char bad[600] = "";
	int nbad = 0;

	gt_begin("links_positive_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		sqe = gt_prep_cmd(&ring, fd, first[i].op, first[i].payload, 16, 1);
		CHECK(sqe, "no SQE");
		sqe->flags |= IOSQE_IO_LINK;
		sqe = gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 2);
		CHECK(sqe, "no SQE");
		ret = io_uring_submit(&ring);
		CHECK(ret == 2, "submit: %s", gt_errname(ret));
		CHECK(gt_reap(&ring, &c1, GT_WAIT_US) == 0, "%s: no first CQE",
		      first[i].name);
		CHECK(gt_reap(&ring, &c2, GT_WAIT_US) == 0, "%s: no second CQE",
		      first[i].name);
		CHECK(c1.user_data == 1 && c2.user_data == 2,
		      "%s: order %" PRIu64 ", %" PRIu64, first[i].name,
		      c1.user_data, c2.user_data);
		/* collect every op's outcome before failing */
		if (c1.res != first[i].res || c2.res != (first[i].res < 0 ? -ECANCELED : 0))
			nbad += snprintf(bad + nbad, sizeof(bad) - (size_t)nbad,
					 "%s%s res %s (expected %s), NOP behind it %s "
					 "(expected %s)", nbad ? "; " : "",
					 first[i].name, gt_errname(c1.res),
					 gt_errname(first[i].res), gt_errname(c2.res),
					 gt_errname(first[i].res < 0 ? -ECANCELED : 0));
		if (nbad >= (int)sizeof(bad))
			nbad = sizeof(bad) - 1;
	}
	CHECK(nbad == 0, "%s", bad);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* The fd is closed while its DELAY is in flight: the CQE still arrives. */
static void test_close_in_flight(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct gt_cqe cqe = {};
	int seen[3] = {};
	int fd = -1, ret;

	gt_begin("close_in_flight_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	CHECK(gt_prep_delay(&ring, fd, 100000, 31, 0) &&
	      gt_prep_delay(&ring, fd, 0, 32, 1) &&
	      gt_prep_delay(&ring, fd, 30000, 33, 2), "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == 3, "submit: %s", gt_errname(ret));
	close(fd);
	fd = -1;
	for (int i = 0; i < 3; i++) {
		ret = gt_reap(&ring, &cqe, GT_WAIT_US);
		CHECK(ret == 0, "%d of 3 completed: %s", i, gt_errname(ret));
		CHECK(cqe.user_data < 3 && !seen[cqe.user_data],
		      "bad/duplicate user_data %" PRIu64, cqe.user_data);
		seen[cqe.user_data] = 1;
		CHECK_RES(cqe.res, 31 + (int)cqe.user_data);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(void)
{
	gt_init("ops_async", 55);
	gt_srand(gt_now_us());

	for (int k = 0; k < GT_RING_KINDS; k++) {
		test_delay_basic(k);
		test_delay_results(k);
		test_mixed_batch(k);
		test_iosqe_async(k);
		test_iosqe_async_echo(k);
		test_iosqe_async_probe(k);
		test_links(k);
		test_links_positive(k);
		test_close_in_flight(k);
	}
	test_delay_many(GT_RING_PLAIN, 512);
	test_delay_many(GT_RING_BIG, 512);
	test_delay_many(GT_RING_SQE128, 256);
	test_delay_many(GT_RING_CQE32, 256);
	return gt_exit_status();
}
