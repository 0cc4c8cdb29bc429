// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Error paths of the uring_cmd ops: unknown ops (-EOPNOTSUPP), non-zero
 * reserved fields and SQE128 tail bytes (-EINVAL), len 0 and GET without a
 * destination (-EINVAL), DELAY above the limit (-EINVAL), SET on a read-only
 * open (-EBADF), and bad user pointers (-EFAULT). A failed command must have
 * no side effect: no bytes written, no value changed.
 */
#include "guest_test.h"

#define PAYLOAD_MAX MISCURING_PAYLOAD_SQE128

/* Send a full-size payload (struct + zero or given tail). */
static int cmd(struct io_uring *ring, int fd, uint32_t op,
	       const unsigned char *payload, struct gt_cqe *cqe)
{
	return gt_cmd_sync(ring, fd, op, payload, gt_payload_size(ring), cqe);
}

#define EXPECT(ring, fd, op, payload, cqe, exp, what, ...)		\
	do {								\
		int __ret = cmd((ring), (fd), (op), (payload), (cqe));	\
		CHECK(__ret == 0, what ": submit/wait: %s", ##__VA_ARGS__, \
		      gt_errname(__ret));				\
		if ((long)(cqe)->res != (long)(exp)) {			\
			gt_fail("line %d: " what ": res %s, expected %s", \
				__LINE__, ##__VA_ARGS__,		\
				gt_errname((cqe)->res), gt_errname(exp)); \
			goto out;					\
		}							\
	} while (0)

/*
 * p (PAYLOAD_MAX bytes) becomes a valid command of op with its address
 * fields at buf (buf_len bytes) and the rest zero; test_reserved() and
 * test_tail() then set one byte that must be zero. SET_VALUE carries
 * value and DELAY result, so that their effect would show.
 */
static void valid_payload(unsigned char *p, uint32_t op, unsigned char *buf,
			  uint32_t buf_len, uint64_t value, int32_t result)
{
	switch (op) {
	case MISCURING_CMD_GET_VALUE:
		GT_PUT_PAYLOAD(p, PAYLOAD_MAX, gt_get_payload(buf));
		break;
	case MISCURING_CMD_SET_VALUE:
		GT_PUT_PAYLOAD(p, PAYLOAD_MAX, gt_set_payload(value));
		break;
	case MISCURING_CMD_ECHO:
		GT_PUT_PAYLOAD(p, PAYLOAD_MAX, gt_echo_payload(buf, buf_len));
		break;
	case MISCURING_CMD_DELAY:
		GT_PUT_PAYLOAD(p, PAYLOAD_MAX, gt_delay_payload(0, result));
		break;
	case MISCURING_CMD_PROBE:
		GT_PUT_PAYLOAD(p, PAYLOAD_MAX, gt_probe_payload(buf, buf_len));
		break;
	default:	/* NOP, HELLO: no fields */
		memset(p, 0, PAYLOAD_MAX);
	}
}

static void test_unknown_ops(enum gt_ring_kind k)
{
	static const uint32_t ops[] = {
		/* the first numbers this header does not define */
		MISCURING_CMD(0), MISCURING_CMD(MISCURING_CMD_NR_MAX + 1),
		MISCURING_CMD(MISCURING_CMD_NR_MAX + 2),
		MISCURING_CMD(63), MISCURING_CMD(64), MISCURING_CMD(0x7fff),
		MISCURING_CMD(0xffff),
		/* right nr, wrong magic */
		(uint32_t)0x4d56 << 16 | 1, (uint32_t)0x4d54 << 16 | 3,
		(uint32_t)0x554d << 16 | 1, 0x00000001, 0x00000007,
		0x80000000 | MISCURING_CMD_NOP, 0xffff0001, 0xffffffff, 0,
	};
	struct io_uring ring = {};
	unsigned char p[PAYLOAD_MAX] = {};
	struct gt_cqe cqe = {};
	int fd = -1;

	gt_begin("unknown_ops_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		EXPECT(&ring, fd, ops[i], p, &cqe, -EOPNOTSUPP,
		       "cmd_op 0x%08x", ops[i]);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * PROBE's ops bitmap must agree with the header and with what the module
 * accepts: every op this header defines is in it, bit 0 is not, and every
 * op not in it fails with -EOPNOTSUPP. (Ops in it are not sent here: ops
 * newer than this program may have side effects.)
 */
static void test_ops_bitmap(void)
{
	struct io_uring ring = {};
	unsigned char p[PAYLOAD_MAX] = {};
	struct miscuring_info info;
	struct miscuring_probe pr = gt_probe_payload(&info, sizeof(info));
	struct gt_cqe cqe = {};
	uint64_t ops;
	int fd = -1;

	gt_begin("ops_bitmap");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	memcpy(p, &pr, sizeof(pr));
	EXPECT(&ring, fd, MISCURING_CMD_PROBE, p, &cqe, (long)sizeof(info), "PROBE");
	ops = le64toh(info.ops);
	CHECK(!(ops & 1), "ops 0x%" PRIx64 " has bit 0", ops);
	for (unsigned int nr = 1; nr <= MISCURING_CMD_NR_MAX; nr++) {
		int req = gt_op_required(nr, le64toh(info.features));

		CHECK(req < 0 || !!(ops & (1ull << nr)) == req,
		      "ops 0x%" PRIx64 ": op %u should be %s", ops, nr,
		      req ? "there" : "absent");
	}
	for (unsigned int nr = 0; nr < 64; nr++) {
		if (ops & (1ull << nr))
			continue;
		memset(p, 0, sizeof(p));
		EXPECT(&ring, fd, MISCURING_CMD(nr), p, &cqe, -EOPNOTSUPP,
		       "op %u, not in ops 0x%" PRIx64, nr, ops);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * Every reserved byte of every op, one at a time: -EINVAL, and the op's
 * effect (write to addr, value change, delayed result) must not happen.
 */
static void test_reserved(enum gt_ring_kind k)
{
	static const struct {
		uint32_t op;
		const char *name;
		unsigned int first, last;	/* reserved byte range */
	} rsv[] = {
		{ MISCURING_CMD_NOP, "NOP", 0, 15 },
		{ MISCURING_CMD_HELLO, "HELLO", 0, 15 },
		{ MISCURING_CMD_GET_VALUE, "GET_VALUE", 8, 15 },
		{ MISCURING_CMD_SET_VALUE, "SET_VALUE", 8, 15 },
		{ MISCURING_CMD_ECHO, "ECHO", 12, 15 },
		{ MISCURING_CMD_DELAY, "DELAY", 8, 15 },
		{ MISCURING_CMD_PROBE, "PROBE", 12, 15 },
	};
	static const unsigned char bits[] = { 0x01, 0x80 };
	struct io_uring ring = {};
	unsigned char p[PAYLOAD_MAX];
	unsigned char buf[256];
	struct gt_cqe cqe = {};
	uint64_t v;
	int fd = -1;

	gt_begin("reserved_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	CHECK_RES(gt_set_value(&ring, fd, 0x1234), 0);

	for (size_t i = 0; i < sizeof(rsv) / sizeof(rsv[0]); i++) {
		for (unsigned int b = rsv[i].first; b <= rsv[i].last; b++) {
			for (size_t j = 0; j < sizeof(bits); j++) {
				memset(buf, 0xcc, sizeof(buf));
				valid_payload(p, rsv[i].op, buf, sizeof(buf),
					      0xdead, 777);
				p[b] |= bits[j];
				EXPECT(&ring, fd, rsv[i].op, p, &cqe, -EINVAL,
				       "%s with byte %u = 0x%02x", rsv[i].name, b,
				       p[b]);
				CHECK(gt_all_bytes(buf, sizeof(buf), 0xcc),
				      "%s with reserved byte %u set wrote to addr",
				      rsv[i].name, b);
			}
		}
	}
	v = 0;
	CHECK_RES(gt_get_value(&ring, fd, &v), 0);
	CHECK(v == 0x1234, "value 0x%" PRIx64 " after rejected SET_VALUEs, "
	      "expected 0x1234", v);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* SQE128: bytes 16..79 must be zero for every op but ECHO. */
static void test_tail(enum gt_ring_kind k)
{
	static const struct {
		uint32_t op;
		const char *name;
	} ops[] = {
		{ MISCURING_CMD_NOP, "NOP" },
		{ MISCURING_CMD_HELLO, "HELLO" },
		{ MISCURING_CMD_GET_VALUE, "GET_VALUE" },
		{ MISCURING_CMD_SET_VALUE, "SET_VALUE" },
		{ MISCURING_CMD_DELAY, "DELAY" },
		{ MISCURING_CMD_PROBE, "PROBE" },
	};
	static const unsigned int pos[] = { 16, 17, 23, 24, 47, 63, 64, 78, 79 };
	struct io_uring ring = {};
	unsigned char p[PAYLOAD_MAX];
	unsigned char buf[256];
	struct gt_cqe cqe = {};
	uint64_t v;
	int fd = -1;

	gt_begin("tail_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	CHECK_RES(gt_set_value(&ring, fd, 0x4321), 0);

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (size_t j = 0; j < sizeof(pos) / sizeof(pos[0]); j++) {
			memset(buf, 0xcc, sizeof(buf));
			valid_payload(p, ops[i].op, buf, sizeof(buf), 0xbeef, 778);
			p[pos[j]] = (unsigned char)(0x01 << (j % 8));
			EXPECT(&ring, fd, ops[i].op, p, &cqe, -EINVAL,
			       "%s with tail byte %u = 0x%02x", ops[i].name,
			       pos[j], p[pos[j]]);
			CHECK(gt_all_bytes(buf, sizeof(buf), 0xcc),
			      "%s with tail byte %u set wrote to addr",
			      ops[i].name, pos[j]);
		}
	}
	v = 0;
	CHECK_RES(gt_get_value(&ring, fd, &v), 0);
	CHECK(v == 0x4321, "value 0x%" PRIx64 " after rejected SET_VALUEs", v);

	/* ECHO owns the tail: any bytes are fine */
	{
		struct miscuring_echo e = gt_echo_payload(buf, sizeof(buf));

		memset(p, 0xff, sizeof(p));
		memcpy(p, &e, sizeof(e));
		memset(buf, 0xcc, sizeof(buf));
		EXPECT(&ring, fd, MISCURING_CMD_ECHO, p, &cqe,
		       MISCURING_PAYLOAD_SQE128, "ECHO with an all-0xff tail");
		CHECK(memcmp(buf, p, MISCURING_PAYLOAD_SQE128) == 0,
		      "ECHO data differs at %ld",
		      gt_first_diff(buf, p, MISCURING_PAYLOAD_SQE128));
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* len 0, GET without destination, DELAY beyond the limit. */
static void test_invalid_args(enum gt_ring_kind k)
{
	static const uint32_t bad_usec[] = {
		MISCURING_DELAY_MAX_USEC + 1, MISCURING_DELAY_MAX_USEC * 2,
		0x7fffffff, 0x80000000, 0xffffffff,
	};
	struct io_uring ring = {};
	unsigned char p[PAYLOAD_MAX];
	unsigned char buf[256];
	struct gt_cqe cqe = {};
	uint64_t t0;
	int fd = -1;

	gt_begin("invalid_args_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);

	memset(buf, 0xcc, sizeof(buf));
	GT_PUT_PAYLOAD(p, sizeof(p), gt_echo_payload(buf, 0));
	EXPECT(&ring, fd, MISCURING_CMD_ECHO, p, &cqe, -EINVAL, "ECHO len 0");
	GT_PUT_PAYLOAD(p, sizeof(p), gt_probe_payload(buf, 0));
	EXPECT(&ring, fd, MISCURING_CMD_PROBE, p, &cqe, -EINVAL, "PROBE len 0");
	CHECK(gt_all_bytes(buf, sizeof(buf), 0xcc), "len 0 op wrote to addr");

	/* len 0 with addr 0 is just as invalid */
	memset(p, 0, sizeof(p));
	EXPECT(&ring, fd, MISCURING_CMD_ECHO, p, &cqe, -EINVAL, "ECHO all zero");
	EXPECT(&ring, fd, MISCURING_CMD_PROBE, p, &cqe, -EINVAL, "PROBE all zero");

	/* GET_VALUE, addr 0: only valid where a second result exists */
	memset(p, 0, sizeof(p));
	EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, p, &cqe,
	       gt_ring_cqe32(&ring) ? 0 : -EINVAL, "GET_VALUE addr 0");

	for (size_t i = 0; i < sizeof(bad_usec) / sizeof(bad_usec[0]); i++) {
		GT_PUT_PAYLOAD(p, sizeof(p), gt_delay_payload(bad_usec[i], 99));
		t0 = gt_now_us();
		EXPECT(&ring, fd, MISCURING_CMD_DELAY, p, &cqe, -EINVAL,
		       "DELAY usec %u", bad_usec[i]);
		CHECK(gt_now_us() - t0 < 2000000,
		      "rejected DELAY took %" PRIu64 " us", gt_now_us() - t0);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* SET_VALUE needs write access to the file. */
static void test_ebadf(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	uint64_t v = 1;
	int fd = -1, fdw = -1;

	gt_begin("set_rdonly_ebadf_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDONLY);
	CHECK_RES(gt_set_value(&ring, fd, 0x77), -EBADF);
	CHECK_RES(gt_set_value(&ring, fd, 0xffffffffffffffffull), -EBADF);
	CHECK_RES(gt_get_value(&ring, fd, &v), 0);
	CHECK(v == 0, "value 0x%" PRIx64 " after a rejected SET_VALUE, expected 0", v);

	/* O_WRONLY has write access */
	fdw = gt_open_dev(O_WRONLY);
	CHECK(fdw >= 0, "open O_WRONLY: %s", gt_errname(fdw));
	CHECK_RES(gt_set_value(&ring, fdw, 0x78), 0);
out:
	if (fd >= 0)
		close(fd);
	if (fdw >= 0)
		close(fdw);
	gt_ring_exit(&ring);
	gt_end();
}

struct bad_addr {
	const char *what;
	unsigned char *addr;	/* buffer start; size = the op's write size */
	int straddle;		/* addr is relative to a page end */
};

/* GET_VALUE / ECHO / PROBE with addresses the kernel cannot write. */
static void test_efault(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	unsigned char *edge = gt_edge_page();
	unsigned char *ro = gt_readonly_page();
	unsigned char *unmapped = gt_unmapped_addr();
	unsigned char *prot_none = gt_prot_none_addr();
	unsigned char p[PAYLOAD_MAX];
	struct gt_cqe cqe = {};
	size_t psize;
	int fd = -1;

	gt_begin("efault_%s", gt_ring_names[k]);
	CHECK(edge && ro && prot_none, "mmap failed");
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	psize = gt_payload_size(&ring);
	CHECK_RES(gt_set_value(&ring, fd, 0x5555), 0);

	{
		const struct bad_addr bad[] = {
			{ "unmapped", unmapped, 0 },
			{ "PROT_NONE", prot_none, 0 },
			{ "kernel", GT_KERNEL_ADDR, 0 },
			{ "non-canonical", (unsigned char *)0x0000800000000000ull, 0 },
			{ "top", (unsigned char *)0xfffffffffffff000ull, 0 },
			{ "read-only", ro, 0 },
			{ "page-edge", edge, 1 },
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			unsigned char *a;

			/* GET_VALUE: 8 bytes */
			a = bad[i].straddle ? bad[i].addr - 4 : bad[i].addr;
			GT_PUT_PAYLOAD(p, sizeof(p), gt_get_payload(a));
			EXPECT(&ring, fd, MISCURING_CMD_GET_VALUE, p, &cqe, -EFAULT,
			       "GET_VALUE to %s address %p", bad[i].what, (void *)a);

			/* ECHO: psize bytes */
			a = bad[i].straddle ? bad[i].addr - psize / 2 : bad[i].addr;
			GT_PUT_PAYLOAD(p, sizeof(p), gt_echo_payload(a, 4096));
			EXPECT(&ring, fd, MISCURING_CMD_ECHO, p, &cqe, -EFAULT,
			       "ECHO to %s address %p", bad[i].what, (void *)a);

			/* PROBE: sizeof(info) bytes */
			a = bad[i].straddle ? bad[i].addr - 50 : bad[i].addr;
			GT_PUT_PAYLOAD(p, sizeof(p), gt_probe_payload(a, 4096));
			EXPECT(&ring, fd, MISCURING_CMD_PROBE, p, &cqe, -EFAULT,
			       "PROBE to %s address %p", bad[i].what, (void *)a);
		}
	}
	/* the read-only page is still intact */
	CHECK(gt_all_bytes(ro, 4096, 0xa5), "read-only page modified");
	/* and a valid command still works after all that */
	{
		uint64_t v = 0;

		CHECK_RES(gt_get_value(&ring, fd, &v), 0);
		CHECK(v == 0x5555, "value 0x%" PRIx64 ", expected 0x5555", v);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(void)
{
	gt_init("ops_errors", 55);
	gt_srand(gt_now_us());

	for (int k = 0; k < GT_RING_KINDS; k++) {
		test_unknown_ops(k);
		test_reserved(k);
		if (k == GT_RING_SQE128 || k == GT_RING_BIG)
			test_tail(k);
		test_invalid_args(k);
		test_efault(k);
		test_ebadf(k);
	}
	test_ops_bitmap();
	return gt_exit_status();
}
