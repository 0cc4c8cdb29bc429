// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The inline uring_cmd ops (NOP, HELLO, GET_VALUE, SET_VALUE, ECHO, PROBE)
 * on all four ring kinds, their results and second (CQE32) results, and
 * that they complete during the submitting io_uring_enter().
 */
#include "guest_test.h"

static struct miscuring_info ref_info;	/* PROBE on a plain ring */
static int have_ref_info;

static void test_nop_hello(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	struct miscuring_hello hello = {};
	struct gt_cqe cqe = {};
	int fd = -1;

	gt_begin("nop_hello_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	CMD_EXPECT(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe, 0);
	CHECK(cqe.flags == 0, "NOP: CQE flags 0x%x", cqe.flags);
	/* no payload bytes at all is the same as a zero payload */
	CMD_EXPECT(&ring, fd, MISCURING_CMD_NOP, NULL, 0, &cqe, 0);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_HELLO, &hello, sizeof(hello), &cqe, 0);
	CHECK(cqe.flags == 0, "HELLO: CQE flags 0x%x", cqe.flags);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static void test_value(enum gt_ring_kind k)
{
	static const uint64_t vals[] = {
		0xfedcba9876543210ull, 1, 0x8000000000000000ull,
		0xffffffffffffffffull, 0x00000000ffffffffull, 0,
	};
	struct io_uring ring = {};
	struct miscuring_get_value get;
	struct miscuring_set_value set;
	struct gt_cqe cqe = {};
	unsigned char buf[24];
	uint64_t v;
	int fd = -1;

	gt_begin("value_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	/* a new open file starts at 0 */
	v = 0x1111111111111111ull;
	get = gt_get_payload(&v);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get), &cqe, 0);
	CHECK(v == 0, "initial value 0x%" PRIx64 ", expected 0", v);
	if (gt_ring_cqe32(&ring))
		CHECK(cqe.res2 == 0, "initial value in big_cqe[0] 0x%" PRIx64,
		      cqe.res2);

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		uint64_t want = vals[i] ^ (i ? 0 : gt_rand64());

		set = gt_set_payload(want);
		CMD_EXPECT(&ring, fd, MISCURING_CMD_SET_VALUE, &set, sizeof(set),
			   &cqe, 0);
		v = ~want;
		get = gt_get_payload(&v);
		CMD_EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get),
			   &cqe, 0);
		CHECK(le64toh(v) == want, "GET after SET 0x%" PRIx64
		      ": 0x%" PRIx64, want, le64toh(v));
		if (gt_ring_cqe32(&ring)) {
			CHECK(cqe.res2 == want, "GET big_cqe[0] 0x%" PRIx64
			      ", expected 0x%" PRIx64, cqe.res2, want);

			/* addr 0 on a CQE32 ring: only the second result */
			get = gt_get_payload(NULL);
			CMD_EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, &get,
				   sizeof(get), &cqe, 0);
			CHECK(cqe.res2 == want, "GET(addr 0) big_cqe[0] 0x%"
			      PRIx64 ", expected 0x%" PRIx64, cqe.res2, want);
		}
	}

	/* an unaligned buffer is a valid buffer; exactly 8 bytes written */
	set = gt_set_payload(0x0123456789abcdefull);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_SET_VALUE, &set, sizeof(set), &cqe, 0);
	memset(buf, 0x5a, sizeof(buf));
	get = gt_get_payload(buf + 3);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get), &cqe, 0);
	memcpy(&v, buf + 3, 8);
	CHECK(le64toh(v) == 0x0123456789abcdefull, "unaligned GET 0x%" PRIx64,
	      le64toh(v));
	CHECK(gt_all_bytes(buf, 3, 0x5a) && gt_all_bytes(buf + 11, 13, 0x5a),
	      "GET wrote outside its 8 bytes");
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* Values belong to the open file: fds are independent, new opens start at 0. */
static void test_value_per_file(void)
{
	struct io_uring ring = {};
	uint64_t v1 = 0, v2 = 0, v3 = 0;
	int fd1 = -1, fd2 = -1, fd3 = -1, ret;

	gt_begin("value_per_file");
	ret = gt_ring_init(&ring, 8, GT_RING_PLAIN);
	CHECK(ret == 0, "ring setup: %s", gt_errname(ret));
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0 && fd2 >= 0, "open: %s %s", gt_errname(fd1),
	      gt_errname(fd2));

	CHECK_RES(gt_set_value(&ring, fd1, 0xaaaa5555aaaa5555ull), 0);
	CHECK_RES(gt_set_value(&ring, fd2, 42), 0);
	CHECK_RES(gt_get_value(&ring, fd1, &v1), 0);
	CHECK_RES(gt_get_value(&ring, fd2, &v2), 0);
	CHECK(v1 == 0xaaaa5555aaaa5555ull, "fd1 value 0x%" PRIx64, v1);
	CHECK(v2 == 42, "fd2 value 0x%" PRIx64, v2);

	/* a dup shares the open file, and so the value */
	fd3 = dup(fd1);
	CHECK(fd3 >= 0, "dup: %s", strerror(errno));
	CHECK_RES(gt_get_value(&ring, fd3, &v3), 0);
	CHECK(v3 == v1, "dup'ed fd value 0x%" PRIx64 ", expected 0x%" PRIx64,
	      v3, v1);
	close(fd3);

	/* closing and reopening gives a fresh value */
	close(fd1);
	fd1 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0, "reopen: %s", gt_errname(fd1));
	v1 = 1;
	CHECK_RES(gt_get_value(&ring, fd1, &v1), 0);
	CHECK(v1 == 0, "reopened file value 0x%" PRIx64 ", expected 0", v1);
	CHECK_RES(gt_get_value(&ring, fd2, &v2), 0);
	CHECK(v2 == 42, "fd2 value changed to 0x%" PRIx64, v2);
out:
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	gt_ring_exit(&ring);
	gt_end();
}

static void test_echo(enum gt_ring_kind k)
{
	static const uint32_t lens[] = { 1, 8, 15, 16, 17, 79, 80, 81, 4096 };
	struct io_uring ring = {};
	unsigned char payload[MISCURING_PAYLOAD_SQE128];
	unsigned char out_buf[4096 + 64];
	struct miscuring_echo e;
	struct gt_cqe cqe = {};
	size_t psize;
	int fd = -1;

	gt_begin("echo_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDONLY);	/* ECHO needs no write access */
	psize = gt_payload_size(&ring);

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint32_t len = lens[i];
		size_t want = len < psize ? len : psize;

		memset(payload, 0, sizeof(payload));
		e = gt_echo_payload(out_buf + 32, len);
		memcpy(payload, &e, sizeof(e));
		/* free-form data after the struct on an SQE128 ring */
		gt_fill_random(payload + sizeof(e), psize - sizeof(e));
		memset(out_buf, 0xee, sizeof(out_buf));

		CMD_EXPECT(&ring, fd, MISCURING_CMD_ECHO, payload, psize, &cqe,
			   (long)want);
		CHECK(gt_first_diff(out_buf + 32, payload, want) < 0,
		      "len %u: echoed bytes differ from the payload at %ld",
		      len, gt_first_diff(out_buf + 32, payload, want));
		CHECK(gt_all_bytes(out_buf, 32, 0xee),
		      "len %u: bytes written before addr", len);
		CHECK(gt_all_bytes(out_buf + 32 + want,
				   sizeof(out_buf) - 32 - want, 0xee),
		      "len %u: bytes written past the %zu echoed", len, want);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static int probe(struct io_uring *ring, int fd, void *buf, uint32_t len,
		 struct gt_cqe *cqe)
{
	struct miscuring_probe p = gt_probe_payload(buf, len);

	return gt_cmd_sync(ring, fd, MISCURING_CMD_PROBE, &p, sizeof(p), cqe);
}

static void test_probe(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	unsigned char buf[512];
	struct miscuring_info info;
	struct gt_cqe cqe = {};
	long long maxbuf;
	int fd = -1, ret;

	gt_begin("probe_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDONLY);

	/* a len larger than the struct: only sizeof(info) bytes written */
	memset(buf, 0xcc, sizeof(buf));
	ret = probe(&ring, fd, buf, sizeof(buf), &cqe);
	CHECK(ret == 0, "submit/wait: %s", gt_errname(ret));
	CHECK_RES(cqe.res, (long)sizeof(info));
	CHECK(gt_all_bytes(buf + sizeof(info), sizeof(buf) - sizeof(info), 0xcc),
	      "PROBE wrote past sizeof(struct miscuring_info)");
	memcpy(&info, buf, sizeof(info));

	CHECK(le32toh(info.abi_version) == MISCURING_ABI_VERSION,
	      "abi_version %u, expected %u", le32toh(info.abi_version),
	      MISCURING_ABI_VERSION);
	CHECK(le32toh(info.info_size) == sizeof(info), "info_size %u, expected %zu",
	      le32toh(info.info_size), sizeof(info));
	for (unsigned int nr = 1; nr <= MISCURING_CMD_NR_MAX; nr++) {
		int req = gt_op_required(nr, le64toh(info.features));

		CHECK(req < 0 || !!(le64toh(info.ops) & (1ull << nr)) == req,
		      "ops 0x%" PRIx64 ": bit %u should be %s",
		      le64toh(info.ops), nr, req ? "set" : "clear");
	}
	CHECK(!(le64toh(info.ops) & 1), "ops 0x%" PRIx64 " has bit 0 (no op 0)",
	      le64toh(info.ops));
	CHECK(le32toh(info.payload_sqe64) == MISCURING_PAYLOAD_SQE64,
	      "payload_sqe64 %u", le32toh(info.payload_sqe64));
	CHECK(le32toh(info.payload_sqe128) == MISCURING_PAYLOAD_SQE128,
	      "payload_sqe128 %u", le32toh(info.payload_sqe128));
	CHECK(le32toh(info.max_delay_usec) == MISCURING_DELAY_MAX_USEC,
	      "max_delay_usec %u, expected %u", le32toh(info.max_delay_usec),
	      MISCURING_DELAY_MAX_USEC);
	maxbuf = gt_max_buffer();
	CHECK(maxbuf >= 0, "reading the max_buffer parameter: %s",
	      gt_errname(maxbuf));
	CHECK(le32toh(info.max_buffer) == maxbuf,
	      "max_buffer %u, module parameter says %lld",
	      le32toh(info.max_buffer), maxbuf);
	CHECK(memchr(info.module_version, 0, sizeof(info.module_version)),
	      "module_version is not NUL-terminated");
	CHECK(info.module_version[0] != 0, "module_version is empty");
	for (int i = 0; i < 4; i++)
		CHECK(info.reserved[i] == 0, "reserved[%d] = 0x%" PRIx64, i,
		      le64toh(info.reserved[i]));
	/* the features this module implements */
	{
		uint64_t need = MISCURING_FEAT_CLASSIC_IOCTL |
				MISCURING_FEAT_CLASSIC_RW |
				MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32;

		CHECK((le64toh(info.features) & need) == need,
		      "features 0x%" PRIx64 " lack 0x%" PRIx64,
		      le64toh(info.features), need & ~le64toh(info.features));
	}
	if (gt_ring_cqe32(&ring))
		CHECK(cqe.res2 == le64toh(info.features),
		      "big_cqe[0] 0x%" PRIx64 ", expected features 0x%" PRIx64,
		      cqe.res2, le64toh(info.features));

	if (k == GT_RING_PLAIN) {
		ref_info = info;
		have_ref_info = 1;
	} else if (have_ref_info) {
		CHECK(memcmp(&ref_info, &info, sizeof(info)) == 0,
		      "info differs from the one on a plain ring at byte %ld",
		      gt_first_diff(&ref_info, &info, sizeof(info)));
	}

	/* exact length */
	memset(buf, 0xcc, sizeof(buf));
	ret = probe(&ring, fd, buf, sizeof(info), &cqe);
	CHECK(ret == 0, "submit/wait: %s", gt_errname(ret));
	CHECK_RES(cqe.res, (long)sizeof(info));
	CHECK(memcmp(buf, &info, sizeof(info)) == 0, "second PROBE differs");
	CHECK(gt_all_bytes(buf + sizeof(info), sizeof(buf) - sizeof(info), 0xcc),
	      "PROBE(len=sizeof) wrote past the struct");

	/* short lengths: an older caller gets just the prefix */
	for (uint32_t len = 1; len < sizeof(info); len += (len < 16 ? 7 : 23)) {
		memset(buf, 0xcc, sizeof(buf));
		ret = probe(&ring, fd, buf, len, &cqe);
		CHECK(ret == 0, "submit/wait: %s", gt_errname(ret));
		CHECK_RES(cqe.res, (long)len);
		CHECK(memcmp(buf, &info, len) == 0, "len %u: prefix differs", len);
		CHECK(gt_all_bytes(buf + len, sizeof(buf) - len, 0xcc),
		      "len %u: PROBE wrote past len (sentinel at %u clobbered)",
		      len, len);
		if (gt_ring_cqe32(&ring))
			CHECK(cqe.res2 == le64toh(info.features),
			      "len %u: big_cqe[0] 0x%" PRIx64, len, cqe.res2);
	}
	/* the 8 bytes of the example */
	memset(buf, 0xcc, sizeof(buf));
	ret = probe(&ring, fd, buf, 8, &cqe);
	CHECK(ret == 0, "submit/wait: %s", gt_errname(ret));
	CHECK_RES(cqe.res, 8);
	CHECK(memcmp(buf, &info, 8) == 0 && gt_all_bytes(buf + 8, 8, 0xcc),
	      "PROBE len 8 wrote other than 8 bytes");
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* The padding after module_version's NUL must not carry kernel memory. */
static void test_probe_no_leak(void)
{
	size_t n;

	gt_begin("probe_no_leak");
	if (!have_ref_info) {
		gt_skip("no PROBE result from the plain ring");
		goto out;
	}
	n = strnlen(ref_info.module_version, sizeof(ref_info.module_version));
	CHECK(gt_all_bytes(ref_info.module_version + n,
			   sizeof(ref_info.module_version) - n, 0),
	      "module_version \"%s\" is followed by non-zero bytes",
	      ref_info.module_version);
	fprintf(stderr, "module_version \"%s\" features 0x%" PRIx64
		" ops 0x%" PRIx64 " max_buffer %u\n", ref_info.module_version,
		le64toh(ref_info.features), le64toh(ref_info.ops),
		le32toh(ref_info.max_buffer));
out:
	gt_end();
}

/*
 * NOP, HELLO, GET, SET, ECHO and PROBE complete inline: their CQEs are in
 * the CQ ring when the submitting io_uring_enter() returns, no waiting.
 */
static void test_inline(enum gt_ring_kind k)
{
	enum { N_OPS = 6 };
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	struct miscuring_hello hello = {};
	struct miscuring_get_value get;
	struct miscuring_set_value set = gt_set_payload(7);
	struct miscuring_echo echo;
	struct miscuring_probe pr;
	unsigned char ebuf[MISCURING_PAYLOAD_SQE128];
	struct miscuring_info info;
	uint64_t v = 0;
	int seen[N_OPS] = {};
	struct gt_cqe cqe = {};
	int fd = -1, ret;
	unsigned int ready;

	gt_begin("inline_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 16, k, fd, O_RDWR);

	get = gt_get_payload(&v);
	echo = gt_echo_payload(ebuf, sizeof(ebuf));
	pr = gt_probe_payload(&info, sizeof(info));
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 0) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_HELLO, &hello, sizeof(hello), 1) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_SET_VALUE, &set, sizeof(set), 2) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get), 3) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_ECHO, &echo, sizeof(echo), 4) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_PROBE, &pr, sizeof(pr), 5),
	      "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == N_OPS, "submit returned %s", gt_errname(ret));
	ready = io_uring_cq_ready(&ring);
	CHECK(ready == N_OPS, "%u of %d CQEs posted by the time submit returned",
	      ready, N_OPS);
	for (int i = 0; i < N_OPS; i++) {
		ret = gt_reap(&ring, &cqe, 0);
		CHECK(ret == 0, "reap: %s", gt_errname(ret));
		CHECK(cqe.user_data < N_OPS && !seen[cqe.user_data],
		      "bad/duplicate user_data %" PRIu64, cqe.user_data);
		seen[cqe.user_data] = 1;
		switch (cqe.user_data) {
		case 4:
			CHECK_RES(cqe.res, (long)gt_payload_size(&ring));
			break;
		case 5:
			CHECK_RES(cqe.res, (long)sizeof(info));
			break;
		default:
			CHECK(cqe.res == 0, "op %" PRIu64 ": res %s", cqe.user_data,
			      gt_errname(cqe.res));
		}
	}
	CHECK(v == 7, "GET in the batch saw 0x%" PRIx64 ", expected the SET 7", v);
	CHECK(le32toh(info.abi_version) == MISCURING_ABI_VERSION,
	      "PROBE in batch: abi_version %u", le32toh(info.abi_version));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(void)
{
	gt_init("ops_inline", 50);
	gt_srand(gt_now_us());

	for (int k = 0; k < GT_RING_KINDS; k++) {
		test_nop_hello(k);
		test_value(k);
		test_echo(k);
		test_probe(k);
		test_inline(k);
	}
	test_value_per_file();
	test_probe_no_leak();
	return gt_exit_status();
}
