/* SPDX-License-Identifier: MIT */
/*
 * Mixed-size rings (MISCURING_SETUP_CQE_MIXED, _SQE_MIXED) against the
 * in-process module of fakedev.c, which plays 7.2's io_uring on them: the
 * library's calls keep working next to 32-byte CQEs, skip CQEs and
 * 128-byte SQEs across the wrap of both rings. The real kernel's answers
 * are checked by the VM test (tests/vm/lib/lib_mixed.c).
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "fakedev.h"
#include "test.h"

T_DEFINE_COUNTERS;

static struct miscuring_ring *ring_new(unsigned entries, unsigned flags)
{
	struct miscuring_ring *ring = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	REQUIRE(fd >= 0);
	fake_reset(fd);
	REQUIRE(miscuring_open_fd(fd, entries, flags | MISCURING_SETUP_OWN_FD,
				  &ring) == 0);
	REQUIRE(ring->is_device);
	fake.commands = 0;
	fake.submits = 0;
	return ring;
}

/* Does c carry the second result exactly as wanted (0: a 16-byte CQE)? */
static int res2_ok(const struct miscuring_cqe *c, int big, uint64_t res2)
{
	if (c->flags & LIBMISCURING_CQE_F_SKIP)
		return 0;
	if (!!(c->flags & LIBMISCURING_CQE_F_32) != big)
		return 0;
	return c->res2 == (big ? res2 : 0) && !c->res3;
}

/*
 * Rounds of SET_VALUE (16), GET_VALUE into the CQE (32), NOP (16) and WAIT
 * (32) over a CQ ring of 16 slots: 6 slots a round (8 with a synchronous
 * WAIT) reach its last slot, where a skip CQE comes first. Read back by
 * wait, batch, reap and peek.
 */
struct reap_arg {
	unsigned	n;
	int		bad;
	uint64_t	v;
};

static int reap_fn(const struct miscuring_cqe *c, void *arg)
{
	struct reap_arg *r = arg;
	unsigned k = (unsigned)(c->user_data & 3);

	r->n++;
	if (!res2_ok(c, k == 1 || k == 3, r->v))
		r->bad++;
	return 0;
}

static void test_cqe_mixed(unsigned extra)
{
	struct miscuring_ring *ring = ring_new(8, MISCURING_SETUP_CQE_MIXED |
					      extra);
	struct timespec ts = { .tv_sec = 1 };
	struct miscuring_cqe cqes[8], c;
	unsigned round, i, bad = 0;
	uint64_t now;

	CHECK(ring->uring.cq.ring_entries == 16);
	CHECK(miscuring_ring_setup_flags(ring) & LIBMISCURING_SETUP_CQE_MIXED);
	for (round = 0; round < 40; round++) {
		uint64_t v = 100 + round, ud = (uint64_t)round << 2;
		struct reap_arg r = { .v = v };

		CHECK_EQ(miscuring_prep_set_value(ring, v, ud), 0);
		CHECK_EQ(miscuring_prep_get_value(ring, NULL, ud + 1), 0);
		CHECK_EQ(miscuring_prep_nop(ring, ud + 2), 0);
		CHECK_EQ(miscuring_prep_wait_value(ring, v + 1, 0, ud + 3), 0);
		switch (round % 4) {
		case 0:
			for (i = 0; i < 4; i++) {
				CHECK_EQ(miscuring_wait_timeout(ring, &c, &ts), 0);
				CHECK_EQ(c.user_data, ud + i);
				bad += !res2_ok(&c, i % 2, v);
			}
			break;
		case 1:
			CHECK_EQ(miscuring_wait_batch(ring, cqes, 8, 4, &ts), 4);
			for (i = 0; i < 4; i++) {
				CHECK_EQ(cqes[i].user_data, ud + i);
				bad += !res2_ok(&cqes[i], i % 2, v);
			}
			break;
		case 2:
			CHECK_EQ(miscuring_submit(ring), 4);
			/* Six slots and perhaps a skip one: four CQEs. */
			CHECK_EQ(miscuring_cq_ready(ring), 4);
			CHECK_EQ(miscuring_reap(ring, 4, &ts, reap_fn, &r), 4);
			CHECK_EQ(r.n, 4);
			bad += r.bad;
			break;
		case 3:
			/* The sync helper's own CQE; the others wait aside. */
			CHECK_EQ(miscuring_wait_value(ring, v + 9, 0, &now), 0);
			CHECK(now == v);
			for (i = 0; i < 4; i++) {
				CHECK_EQ(miscuring_peek(ring, &c), 0);
				CHECK_EQ(c.user_data, ud + i);
				bad += !res2_ok(&c, i % 2, v);
			}
			break;
		}
		CHECK_EQ(miscuring_inflight(ring), 0);
		CHECK_EQ(miscuring_cq_ready(ring), 0);
		CHECK_EQ(miscuring_peek(ring, &c), -EAGAIN);
	}
	CHECK_EQ(bad, 0);
	/* The CQ ring wrapped at odd slots, so there were skip CQEs. */
	CHECK(fake.skips > 0);
	/* The synchronous helpers on such a ring. */
	CHECK_EQ(miscuring_get_value(ring, &now), 0);
	CHECK(now == 139);
	CHECK_EQ(miscuring_nop(ring), 0);
	miscuring_close(ring);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 13 + i + 1);
}

/*
 * 80-byte ECHOes in two slots of an 8-slot SQ ring, next to NOPs: the
 * tail reaches the last slot, which gets the padding NOP.
 */
static void test_sqe_mixed(unsigned extra)
{
	struct miscuring_ring *ring = ring_new(8, MISCURING_SETUP_SQE_MIXED |
					      extra);
	struct timespec ts = { .tv_sec = 1 };
	uint8_t data[64], out[64], buf[3][80];
	struct miscuring_cqe c;
	unsigned round, i, nops;

	CHECK(ring->uring.sq.ring_entries == 8);
	CHECK_EQ(ring->payload_size, MISCURING_PAYLOAD_SQE128);
	for (round = 0; round < 30; round++) {
		nops = round % 3;
		fill(data, sizeof(data), round);
		memset(buf, 0, sizeof(buf));
		for (i = 0; i < nops; i++)
			CHECK_EQ(miscuring_prep_nop(ring, 100 + i), 0);
		for (i = 0; i < 2; i++)
			CHECK_EQ(miscuring_prep_echo(ring, buf[i], 80, data, 64,
						     i), 0);
		/* No data: a 64-byte SQE, 16 bytes echoed. */
		CHECK_EQ(miscuring_prep_echo(ring, buf[2], 80, NULL, 0, 2), 0);
		CHECK_EQ(miscuring_submit(ring), (int)nops + 3);
		CHECK_EQ(miscuring_inflight(ring), nops + 3);
		for (i = 0; i < nops + 3; i++) {
			CHECK_EQ(miscuring_wait_timeout(ring, &c, &ts), 0);
			if (c.user_data >= 100)
				CHECK_EQ(c.res, 0);
			else if (c.user_data == 2)
				CHECK_EQ(c.res, 16);
			else
				CHECK(c.res == 80 &&
				      !memcmp(buf[c.user_data] + 16, data, 64));
		}
		CHECK_EQ(miscuring_inflight(ring), 0);
		/* The synchronous ECHO, with and without data. */
		CHECK_EQ(miscuring_echo(ring, data, round % 65, out),
			 (int)(round % 65));
		CHECK(!memcmp(out, data, round % 65));
		CHECK_EQ(miscuring_echo(ring, NULL, 0, NULL), 0);
	}
	CHECK(fake.cmd128 >= 60);
	CHECK(fake.nops > 0);
	miscuring_close(ring);
}

/* The generic command: by payload size, or asked for by opcode. */
static void test_sqe_mixed_cmd(void)
{
	struct miscuring_ring *ring = ring_new(4, MISCURING_SETUP_SQE_MIXED);
	struct miscuring_cmd_desc d;
	struct miscuring_cqe c;
	uint8_t payload[81], buf[80];
	unsigned i;

	memset(payload, 0, sizeof(payload));
	memset(buf, 0, sizeof(buf));
	mu_put_addr_len(payload, (uint64_t)(uintptr_t)buf, sizeof(buf));
	fill(payload + 16, 64, 3);
	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring),
			       MISCURING_CMD_ECHO, payload, 80, NULL), 80);
	CHECK(!memcmp(buf, payload, 80));
	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring),
			       MISCURING_CMD_ECHO, payload, 81, NULL), -EMSGSIZE);
	CHECK_EQ(fake.cmd128, 1);

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = MISCURING_CMD_ECHO;
	d.fd = miscuring_device_fd(ring);
	d.payload = payload;
	d.payload_len = 16;
	CHECK_EQ(miscuring_cmd_desc(ring, &d, &c), 0);
	CHECK_EQ(c.res, 16);
	d.opcode = LIBMISCURING_OP_URING_CMD128;
	CHECK_EQ(miscuring_cmd_desc(ring, &d, &c), 0);
	CHECK_EQ(c.res, 80);
	CHECK_EQ(fake.cmd128, 2);

	/* A full SQ ring: room for a 64-byte SQE, not for two slots. */
	for (i = 0; i < 3; i++)
		CHECK_EQ(miscuring_prep_nop(ring, i), 0);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 80, payload + 16, 64, 9),
		 -EBUSY);
	CHECK_EQ(miscuring_prep_cmd(ring, miscuring_device_fd(ring),
				    MISCURING_CMD_ECHO, payload, 80, 9), -EBUSY);
	CHECK_EQ(miscuring_prep_nop(ring, 3), 0);
	CHECK_EQ(miscuring_submit(ring), 4);

	/* A failed submit takes the helper's two slots back, not one. */
	fake.fail_submit = -EAGAIN;
	CHECK_EQ(miscuring_echo(ring, payload + 16, 64, buf), -EAGAIN);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
	CHECK_EQ(ring->uring.sq.sqe_tail, *ring->uring.sq.khead);
	CHECK_EQ(miscuring_echo(ring, payload + 16, 64, buf), 64);
	for (i = 0; i < 4; i++)
		CHECK_EQ(miscuring_wait(ring, &c), 0);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

/* A program's own SQE: the 128-byte command into two slots, by opcode. */
static void test_set_cmd128(void)
{
	struct io_uring_sqe sqe[2];
	struct miscuring_cqe out;
	struct io_uring_cqe cqe[2];
	uint8_t data[64], buf[80];

	fill(data, sizeof(data), 1);
	CHECK_EQ(miscuring_sqe_set_cmd128(NULL), -EINVAL);
	memset(sqe, 0, sizeof(sqe));
	sqe[0].opcode = IORING_OP_NOP;
	CHECK_EQ(miscuring_sqe_set_cmd128(sqe), -EINVAL);
	CHECK_EQ(sqe[0].opcode, IORING_OP_NOP);
	CHECK_EQ(miscuring_sqe_echo(sqe, 128, 3, buf, 80, data, 64, 7), 0);
	CHECK_EQ(miscuring_sqe_set_cmd128(sqe), 0);
	CHECK_EQ(sqe[0].opcode, LIBMISCURING_OP_URING_CMD128);
	CHECK(!memcmp((uint8_t *)sqe + 64, data, 64));
	/* Twice is no uring_cmd any more. */
	CHECK_EQ(miscuring_sqe_set_cmd128(sqe), -EINVAL);

	/* The decoder on a CQE_MIXED ring: F_32 says 32 bytes. */
	memset(cqe, 0, sizeof(cqe));
	cqe[0].user_data = 5;
	cqe[0].flags = LIBMISCURING_CQE_F_32;
	cqe[1].user_data = 77;	/* big_cqe[0] */
	CHECK_EQ(miscuring_cqe_decode(cqe, LIBMISCURING_SETUP_CQE_MIXED, &out),
		 32);
	CHECK(out.res2 == 77);
	CHECK_EQ(miscuring_cqe_decode(cqe, 0, &out), 16);
	CHECK(out.res2 == 0);
	cqe[0].flags = 0;
	CHECK_EQ(miscuring_cqe_decode(cqe, LIBMISCURING_SETUP_CQE_MIXED, &out),
		 16);
	CHECK(out.res2 == 0);
}

int main(void)
{
	test_cqe_mixed(0);
	test_cqe_mixed(MISCURING_SETUP_ANY_THREAD | MISCURING_SETUP_FIXED_FILE);
	test_cqe_mixed(MISCURING_SETUP_SQE_MIXED);
	test_sqe_mixed(0);
	test_sqe_mixed(MISCURING_SETUP_CQE_MIXED | MISCURING_SETUP_FIXED_FILE);
	test_sqe_mixed_cmd();
	test_set_cmd128();
	return t_report("mixed");
}
