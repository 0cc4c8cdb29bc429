/* SPDX-License-Identifier: MIT */
/*
 * The SQE builders, checked byte for byte in the SQ ring before anything is
 * submitted. The ring is opened on /dev/null and told it is the device (its
 * PROBE at open said no); nothing here is sent.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static int null_fd;

/* How many files the kernel holds registered for the ring: its fdinfo. */
static long registered_files(const struct miscuring_ring *ring)
{
	char path[64], line[256];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d",
		 miscuring_ring_fd(ring));
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "UserFiles: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static struct miscuring_ring *ring_new(unsigned entries, unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	REQUIRE(miscuring_open_fd(null_fd, entries, flags, &ring) == 0);
	CHECK(!ring->is_device);
	ring->is_device = true;
	/* Registered when asked (any kernel since 5.1 takes it), else not. */
	CHECK_EQ(registered_files(ring),
		 flags & MISCURING_SETUP_FIXED_FILE ? 1 : 0);
	/* Dirty every SQE slot: builders must clear what they reuse. */
	memset(ring->uring.sq.sqes, 0xa5,
	       (size_t)ring->uring.sq.ring_entries * ring->sqe_size);
	return ring;
}

static struct io_uring_sqe *last_sqe(struct miscuring_ring *ring)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned shift = ring->sqe_size == 128 ? 1 : 0;

	return &sq->sqes[((sq->sqe_tail - 1) & sq->ring_mask) << shift];
}

/*
 * The SQE every miscuring op must produce: all else zero. With
 * MISCURING_SETUP_FIXED_FILE the ring's own device is its registered file
 * 0; any other fd goes as it is.
 */
static void expect_cmd(struct miscuring_ring *ring, int fd, uint32_t op,
		       uint64_t user_data, const void *payload, size_t len)
{
	struct io_uring_sqe want[2];

	memset(want, 0, sizeof(want));
	want[0].opcode = IORING_OP_URING_CMD;
	if ((ring->flags & MISCURING_SETUP_FIXED_FILE) && fd == ring->fd) {
		want[0].fd = 0;
		want[0].flags = IOSQE_FIXED_FILE;
	} else {
		want[0].fd = fd;
	}
	want[0].cmd_op = op;
	want[0].user_data = user_data;
	memcpy((uint8_t *)want + MU_SQE_CMD_OFFSET, payload, len);
	CHECK(!memcmp(last_sqe(ring), want, ring->sqe_size));
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_each_op(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(16, flags);
	uint8_t want[MISCURING_PAYLOAD_SQE128] = { 0 };
	uint8_t data[64], buf[128];
	uint64_t value;
	int i;

	CHECK_EQ(miscuring_prep_nop(ring, 1), 0);
	expect_cmd(ring, null_fd, MISCURING_CMD_NOP, 1, want, 16);

	CHECK_EQ(miscuring_prep_hello(ring, 2), 0);
	expect_cmd(ring, null_fd, MISCURING_CMD_HELLO, 2, want, 16);

	CHECK_EQ(miscuring_prep_get_value(ring, &value, 3), 0);
	put64(want, (uint64_t)(uintptr_t)&value);
	expect_cmd(ring, null_fd, MISCURING_CMD_GET_VALUE, 3, want, 16);

	CHECK_EQ(miscuring_prep_set_value(ring, 0x1122334455667788ULL, 4), 0);
	put64(want, 0x1122334455667788ULL);
	expect_cmd(ring, null_fd, MISCURING_CMD_SET_VALUE, 4, want, 16);

	CHECK_EQ(miscuring_prep_echo(ring, buf, 77, NULL, 0, 5), 0);
	memset(want, 0, sizeof(want));
	put64(want, (uint64_t)(uintptr_t)buf);
	want[8] = 77;
	expect_cmd(ring, null_fd, MISCURING_CMD_ECHO, 5, want, 16);

	CHECK_EQ(miscuring_prep_delay(ring, 0x00010203, -2, 6), 0);
	memcpy(want, "\x03\x02\x01\x00\xfe\xff\xff\xff", 8);
	memset(want + 8, 0, 8);
	expect_cmd(ring, null_fd, MISCURING_CMD_DELAY, 6, want, 16);

	CHECK_EQ(miscuring_prep_probe(ring, buf, 104, 7), 0);
	put64(want, (uint64_t)(uintptr_t)buf);
	memcpy(want + 8, "\x68\0\0\0\0\0\0\0", 8);
	expect_cmd(ring, null_fd, MISCURING_CMD_PROBE, 7, want, 16);

	CHECK_EQ(miscuring_prep_wait_value(ring, 0x0807060504030201ULL,
					   MISCURING_WAIT_MAX_USEC, 10), 0);
	memcpy(want, "\x01\x02\x03\x04\x05\x06\x07\x08\x80\x96\x98\0\0\0\0\0", 16);
	expect_cmd(ring, null_fd, MISCURING_CMD_WAIT, 10, want, 16);

	CHECK_EQ(miscuring_prep_stats(ring, buf, 56, 11), 0);
	memset(want, 0, sizeof(want));
	put64(want, (uint64_t)(uintptr_t)buf);
	want[8] = 56;
	expect_cmd(ring, null_fd, MISCURING_CMD_STATS, 11, want, 16);

	CHECK_EQ(miscuring_prep_reset_stats(ring, 12), 0);
	memset(want, 0, sizeof(want));
	expect_cmd(ring, null_fd, MISCURING_CMD_RESET_STATS, 12, want, 16);

	/* user_data is carried as is, all 64 bits. */
	CHECK_EQ(miscuring_prep_nop(ring, ~0ULL), 0);
	memset(want, 0, sizeof(want));
	expect_cmd(ring, null_fd, MISCURING_CMD_NOP, ~0ULL, want, 16);

	if (flags & MISCURING_SETUP_SQE128) {
		for (i = 0; i < 64; i++)
			data[i] = (uint8_t)(0x40 + i);
		CHECK_EQ(miscuring_prep_echo(ring, buf, 80, data, 64, 8), 0);
		put64(want, (uint64_t)(uintptr_t)buf);
		want[8] = 80;
		memcpy(want + 16, data, 64);
		expect_cmd(ring, null_fd, MISCURING_CMD_ECHO, 8, want, 80);

		CHECK_EQ(miscuring_prep_echo(ring, buf, 80, data, 3, 9), 0);
		memset(want + 19, 0, 61);
		expect_cmd(ring, null_fd, MISCURING_CMD_ECHO, 9, want, 80);
	}
	CHECK_EQ(io_uring_sq_ready(&ring->uring), flags & MISCURING_SETUP_SQE128 ?
		 13 : 11);
	miscuring_close(ring);
}

static void test_raw(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(4, flags);
	uint8_t payload[80];
	size_t max = flags & MISCURING_SETUP_SQE128 ? 80 : 16;
	int i;

	for (i = 0; i < 80; i++)
		payload[i] = (uint8_t)(i + 1);
	CHECK_EQ(miscuring_prep_cmd(ring, 42, 0xdeadbeef, payload, 5, 11), 0);
	expect_cmd(ring, 42, 0xdeadbeef, 11, payload, 5);
	CHECK_EQ(miscuring_prep_cmd(ring, 0, 0, payload, max, 12), 0);
	expect_cmd(ring, 0, 0, 12, payload, max);
	CHECK_EQ(miscuring_prep_cmd(ring, 7, 1, NULL, 0, 13), 0);
	expect_cmd(ring, 7, 1, 13, payload, 0);
	/* The ring's own device: its registered file, when it has one. */
	CHECK_EQ(miscuring_prep_cmd(ring, null_fd, 2, payload, 3, 14), 0);
	expect_cmd(ring, null_fd, 2, 14, payload, 3);

	CHECK_EQ(miscuring_prep_cmd(ring, 7, 1, payload, max + 1, 0), -EMSGSIZE);
	CHECK_EQ(miscuring_prep_cmd(ring, 7, 1, NULL, 1, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_cmd(ring, -1, 1, NULL, 0, 0), -EBADF);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 4);
	miscuring_close(ring);
}

static void test_cancel(void)
{
	struct miscuring_ring *ring = ring_new(4, 0);
	struct io_uring_sqe *sqe;

	CHECK_EQ(miscuring_prep_cancel(ring, 0xfeedULL, 99), 0);
	sqe = last_sqe(ring);
	CHECK_EQ(sqe->opcode, IORING_OP_ASYNC_CANCEL);
	CHECK_EQ(sqe->fd, -1);
	CHECK(sqe->addr == 0xfeedULL);
	CHECK(sqe->user_data == 99);
	CHECK_EQ(sqe->cancel_flags, 0);
	miscuring_close(ring);
}

/* Invalid arguments fail before an SQE is taken. */
static void test_rejects(void)
{
	struct miscuring_ring *ring = ring_new(4, 0);
	struct miscuring_ring *ring128 = ring_new(4, MISCURING_SETUP_SQE128);
	struct miscuring_ring *cqe32 = ring_new(4, MISCURING_SETUP_CQE32);
	uint8_t buf[80], data[65] = { 0 };

	CHECK_EQ(miscuring_prep_get_value(ring, NULL, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_echo(ring, NULL, 16, NULL, 0, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 0, NULL, 0, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 16, NULL, 1, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 16, data, 1, 0), -EMSGSIZE);
	CHECK_EQ(miscuring_prep_echo(ring128, buf, 80, data, 65, 0), -EMSGSIZE);
	CHECK_EQ(miscuring_prep_delay(ring, MISCURING_DELAY_MAX_USEC + 1, 0, 0),
		 -EINVAL);
	CHECK_EQ(miscuring_prep_probe(ring, NULL, 104, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_probe(ring, buf, 0, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_stats(ring, NULL, 56, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_stats(ring, buf, 0, 0), -EINVAL);
	CHECK_EQ(miscuring_prep_wait_value(ring, 0, MISCURING_WAIT_MAX_USEC + 1,
					   0), -EINVAL);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
	CHECK_EQ(io_uring_sq_ready(&ring128->uring), 0);

	/* The second result needs a CQE32 ring; there no buffer is needed. */
	CHECK_EQ(miscuring_prep_get_value(cqe32, NULL, 5), 0);
	expect_cmd(cqe32, null_fd, MISCURING_CMD_GET_VALUE, 5, data, 16);
	/* Limits are inclusive. */
	CHECK_EQ(miscuring_prep_delay(ring, MISCURING_DELAY_MAX_USEC, 0, 0), 0);

	miscuring_close(ring);
	miscuring_close(ring128);
	miscuring_close(cqe32);
}

/* A full SQ ring: -EBUSY, and submitting makes room again. */
static void test_full(void)
{
	struct miscuring_ring *ring = ring_new(4, 0);
	unsigned i;

	CHECK_EQ(miscuring_sq_space_left(ring), 4);
	for (i = 0; i < 4; i++)
		CHECK_EQ(miscuring_prep_nop(ring, i), 0);
	CHECK_EQ(miscuring_sq_space_left(ring), 0);
	CHECK_EQ(miscuring_prep_nop(ring, 4), -EBUSY);
	CHECK_EQ(miscuring_prep_set_value(ring, 1, 4), -EBUSY);
	CHECK_EQ(miscuring_prep_cmd(ring, null_fd, 1, NULL, 0, 4), -EBUSY);
	CHECK_EQ(miscuring_prep_cancel(ring, 1, 4), -EBUSY);
	CHECK_EQ(miscuring_submit(ring), 4);
	CHECK_EQ(miscuring_sq_space_left(ring), 4);
	CHECK_EQ(miscuring_prep_nop(ring, 5), 0);
	miscuring_close(ring);
}

/* A ring without a device: its ops have no target. */
static void test_no_device(void)
{
	struct miscuring_ring *ring = NULL;
	uint8_t buf[16];
	uint64_t v;

	REQUIRE(miscuring_open_fd(-1, 4, 0, &ring) == 0);
	CHECK_EQ(miscuring_device_fd(ring), -1);
	CHECK_EQ(miscuring_prep_nop(ring, 0), -EBADF);
	CHECK_EQ(miscuring_prep_hello(ring, 0), -EBADF);
	CHECK_EQ(miscuring_prep_get_value(ring, &v, 0), -EBADF);
	CHECK_EQ(miscuring_prep_set_value(ring, 1, 0), -EBADF);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 16, NULL, 0, 0), -EBADF);
	CHECK_EQ(miscuring_prep_delay(ring, 1, 0, 0), -EBADF);
	CHECK_EQ(miscuring_prep_probe(ring, buf, 16, 0), -EBADF);
	CHECK_EQ(miscuring_prep_wait_value(ring, 0, 0, 0), -EBADF);
	CHECK_EQ(miscuring_prep_stats(ring, buf, 16, 0), -EBADF);
	CHECK_EQ(miscuring_prep_reset_stats(ring, 0), -EBADF);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
	/* ... but raw commands on other files work. */
	CHECK_EQ(miscuring_prep_cmd(ring, null_fd, 1, NULL, 0, 0), 0);
	miscuring_close(ring);
}

/* An SQE as the caller's own ring hands it out: full of old bytes. */
union dirty_sqe {
	struct io_uring_sqe	sqe;
	uint8_t			b[128];
};

static void dirty(union dirty_sqe *u)
{
	memset(u->b, 0xa5, sizeof(u->b));
}

/*
 * The caller's-SQE builders write exactly what the ring's builders write
 * (checked byte for byte above) over an SQE of either size, and nothing
 * past it; on a bad argument they leave the SQE alone.
 */
static void test_sqe_builders(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(16, flags);
	unsigned size = ring->sqe_size;
	union dirty_sqe u, old;
	uint8_t buf[64], data[64];
	uint64_t value;
	int i;

	for (i = 0; i < 64; i++)
		data[i] = (uint8_t)(3 * i + 1);
#define SAME(ring_call, sqe_call) do {					\
		dirty(&u);						\
		CHECK_EQ(ring_call, 0);					\
		CHECK_EQ(sqe_call, 0);					\
		CHECK(!memcmp(last_sqe(ring), u.b, size));		\
		if (size == 64)						\
			CHECK(u.b[64] == 0xa5 && u.b[127] == 0xa5);	\
	} while (0)
	SAME(miscuring_prep_nop(ring, 1),
	     miscuring_sqe_nop(&u.sqe, size, null_fd, 1));
	SAME(miscuring_prep_hello(ring, 2),
	     miscuring_sqe_hello(&u.sqe, size, null_fd, 2));
	SAME(miscuring_prep_get_value(ring, &value, 3),
	     miscuring_sqe_get_value(&u.sqe, size, null_fd, &value, 3));
	SAME(miscuring_prep_set_value(ring, 0x0102030405060708ULL, 4),
	     miscuring_sqe_set_value(&u.sqe, size, null_fd,
				     0x0102030405060708ULL, 4));
	SAME(miscuring_prep_echo(ring, buf, 64, data, size == 128 ? 64 : 0, 5),
	     miscuring_sqe_echo(&u.sqe, size, null_fd, buf, 64, data,
				size == 128 ? 64 : 0, 5));
	SAME(miscuring_prep_delay(ring, 77, -3, 6),
	     miscuring_sqe_delay(&u.sqe, size, null_fd, 77, -3, 6));
	SAME(miscuring_prep_probe(ring, buf, 40, 7),
	     miscuring_sqe_probe(&u.sqe, size, null_fd, buf, 40, 7));
	SAME(miscuring_prep_wait_value(ring, 9, 1000, 8),
	     miscuring_sqe_wait_value(&u.sqe, size, null_fd, 9, 1000, 8));
	SAME(miscuring_prep_stats(ring, buf, 56, 9),
	     miscuring_sqe_stats(&u.sqe, size, null_fd, buf, 56, 9));
	SAME(miscuring_prep_reset_stats(ring, 10),
	     miscuring_sqe_reset_stats(&u.sqe, size, null_fd, 10));
#undef SAME
	dirty(&u);
	old = u;
	CHECK_EQ(miscuring_sqe_nop(&u.sqe, 96, null_fd, 1), -EINVAL);
	CHECK_EQ(miscuring_sqe_nop(NULL, 64, null_fd, 1), -EINVAL);
	CHECK_EQ(miscuring_sqe_nop(&u.sqe, size, -1, 1), -EBADF);
	CHECK_EQ(miscuring_sqe_echo(&u.sqe, size, null_fd, NULL, 4, NULL, 0, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_echo(&u.sqe, size, null_fd, buf, 0, NULL, 0, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_echo(&u.sqe, size, null_fd, buf, 4, NULL, 1, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_echo(&u.sqe, size, null_fd, buf, 4, data,
				    size == 128 ? 65 : 1, 1), -EMSGSIZE);
	CHECK_EQ(miscuring_sqe_delay(&u.sqe, size, null_fd,
				     MISCURING_DELAY_MAX_USEC + 1, 0, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_wait_value(&u.sqe, size, null_fd, 0,
					  MISCURING_WAIT_MAX_USEC + 1, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_probe(&u.sqe, size, null_fd, NULL, 8, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_stats(&u.sqe, size, null_fd, buf, 0, 1),
		 -EINVAL);
	CHECK(!memcmp(&u, &old, sizeof(u)));
	miscuring_close(ring);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* SQE header fields: host order */
}

/*
 * Every field of the generic command lands in its own SQE word, at the
 * kernel UAPI's offsets (written out here, not taken from the library).
 */
static void test_desc_fields(void)
{
	struct miscuring_cmd_desc d;
	union dirty_sqe u, old;
	uint8_t want[128], payload[80];
	uint64_t v;
	int i;

	for (i = 0; i < 80; i++)
		payload[i] = (uint8_t)(0x80 + i);
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = 0xC0484E82;
	d.fd = 9;
	d.sqe_flags = IOSQE_FIXED_FILE | IOSQE_ASYNC;
	d.user_data = 0x1122334455667788ULL;
	d.addr = 0xA1A2A3A4A5A6A7A8ULL;
	d.len = 4096;
	d.uring_cmd_flags = LIBMISCURING_URING_CMD_FIXED;
	d.ioprio = 0x4003;
	d.buf_index = 5;
	d.personality = 6;
	d.file_index = 0x01020304;
	d.payload = payload;
	d.payload_len = 72;
	dirty(&u);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 128, &d), 0);
	memset(want, 0, sizeof(want));
	want[0] = IORING_OP_URING_CMD;
	want[1] = IOSQE_FIXED_FILE | IOSQE_ASYNC;
	want[2] = 0x03;
	want[3] = 0x40;
	put32(want + 4, 9);
	put32(want + 8, 0xC0484E82);
	v = 0xA1A2A3A4A5A6A7A8ULL;
	memcpy(want + 16, &v, 8);
	put32(want + 24, 4096);
	put32(want + 28, 1);
	v = 0x1122334455667788ULL;
	memcpy(want + 32, &v, 8);
	want[40] = 5;
	want[42] = 6;
	put32(want + 44, 0x01020304);
	memcpy(want + 48, payload, 72);
	CHECK(!memcmp(u.b, want, 128));

	/* A socket's words: level/optname over addr, optlen, optval. */
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = 3;
	d.fd = 4;
	d.level = 1;
	d.optname = 7;
	d.optlen = 4;
	d.optval = 0xCAFEF00DDEADBEEFULL;
	dirty(&u);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), 0);
	memset(want, 0, sizeof(want));
	want[0] = IORING_OP_URING_CMD;
	put32(want + 4, 4);
	put32(want + 8, 3);
	put32(want + 16, 1);
	put32(want + 20, 7);
	put32(want + 44, 4);
	v = 0xCAFEF00DDEADBEEFULL;
	memcpy(want + 48, &v, 8);
	CHECK(!memcmp(u.b, want, 64));
	CHECK(u.b[64] == 0xa5);

	/* A block discard's length in addr3: the same word. */
	d.optval = 0;
	d.addr3 = 0xCAFEF00DDEADBEEFULL;
	dirty(&u);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), 0);
	CHECK(!memcmp(u.b, want, 64));

	/* URING_CMD128, for a 128-byte slot of an SQE_MIXED ring. */
	d.opcode = LIBMISCURING_OP_URING_CMD128;
	dirty(&u);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 128, &d), 0);
	CHECK_EQ(u.b[0], LIBMISCURING_OP_URING_CMD128);

	/* Fields that share a word, and other mistakes: SQE untouched. */
	dirty(&u);
	old = u;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);	/* 128 only */
	d.opcode = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 128, &d), -EINVAL);
	d.opcode = 0;
	d.optval = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);	/* + addr3 */
	d.addr3 = 0;
	d.payload = payload;
	d.payload_len = 8;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);	/* + payload */
	d.optval = 0;
	d.addr = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);	/* + level */
	d.level = d.optname = 0;
	d.file_index = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);	/* + optlen */
	d.file_index = 0;
	d.payload_len = 17;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EMSGSIZE);
	d.payload_len = 81;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 128, &d), -EMSGSIZE);
	d.payload_len = 1;
	d.payload = NULL;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);
	d.payload_len = 0;
	d.sqe_flags = 0x100;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);
	d.sqe_flags = 0;
	d.resv = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);
	d.resv = 0;
	d.fd = -1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EBADF);
	d.fd = 4;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 60, &d), -EINVAL);
	CHECK_EQ(miscuring_sqe_cmd(NULL, 64, &d), -EINVAL);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, NULL), -EINVAL);
	d.size = 8;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &d), -EINVAL);
	CHECK(!memcmp(&u, &old, sizeof(u)));
}

/*
 * The size field: a program built against a later, larger struct works
 * as long as the fields this library does not know are zero.
 */
static void test_desc_size(void)
{
	struct {
		struct miscuring_cmd_desc d;
		uint64_t newer[2];
	} big;
	union dirty_sqe u;

	memset(&big, 0, sizeof(big));
	big.d.size = sizeof(big);
	big.d.fd = 3;
	big.d.cmd_op = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &big.d), 0);
	CHECK_EQ(u.sqe.cmd_op, 1);
	big.newer[1] = 1;
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, 64, &big.d), -E2BIG);
}

/* The ring's generic builder: the same SQE, and its registered file. */
static void test_prep_desc(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(4, flags);
	struct miscuring_cmd_desc d = { .size = sizeof(d) };
	union dirty_sqe u;

	d.fd = 42;
	d.cmd_op = 5;
	d.addr = 0x1000;
	d.len = 10;
	d.user_data = 77;
	CHECK_EQ(miscuring_prep_cmd_desc(ring, &d), 0);
	dirty(&u);
	CHECK_EQ(miscuring_sqe_cmd(&u.sqe, ring->sqe_size, &d), 0);
	CHECK(!memcmp(last_sqe(ring), u.b, ring->sqe_size));
	d.fd = null_fd;
	CHECK_EQ(miscuring_prep_cmd_desc(ring, &d), 0);
	if (flags & MISCURING_SETUP_FIXED_FILE) {
		CHECK_EQ(last_sqe(ring)->fd, 0);
		CHECK_EQ(last_sqe(ring)->flags, IOSQE_FIXED_FILE);
	} else {
		CHECK_EQ(last_sqe(ring)->fd, null_fd);
	}
	d.payload_len = 1;
	CHECK_EQ(miscuring_prep_cmd_desc(ring, &d), -EINVAL);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 2);
	miscuring_close(ring);
}

int main(void)
{
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	REQUIRE(null_fd >= 0);

	test_each_op(0);
	test_each_op(MISCURING_SETUP_SQE128);
	test_each_op(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32);
	test_each_op(MISCURING_SETUP_FIXED_FILE);
	test_each_op(MISCURING_SETUP_FIXED_FILE | MISCURING_SETUP_SQE128);
	test_raw(0);
	test_raw(MISCURING_SETUP_SQE128);
	test_raw(MISCURING_SETUP_FIXED_FILE);
	test_cancel();
	test_rejects();
	test_full();
	test_no_device();
	test_sqe_builders(0);
	test_sqe_builders(MISCURING_SETUP_SQE128);
	test_desc_fields();
	test_desc_size();
	test_prep_desc(0);
	test_prep_desc(MISCURING_SETUP_FIXED_FILE | MISCURING_SETUP_SQE128);
	close(null_fd);
	return t_report("prep");
}
