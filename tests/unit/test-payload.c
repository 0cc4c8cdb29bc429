/* SPDX-License-Identifier: MIT */
/*
 * miscuring_encode() / miscuring_decode(): exact wire bytes for every op,
 * round trips, and every rejection.
 */
#include "config.h"

#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

#define P64	MISCURING_PAYLOAD_SQE64
#define P128	MISCURING_PAYLOAD_SQE128

static struct miscuring_args args_of(uint32_t op)
{
	struct miscuring_args a;

	memset(&a, 0, sizeof(a));
	a.cmd_op = op;
	return a;
}

/* Encode a, compare with want, decode back, compare with a. */
static void roundtrip(const struct miscuring_args *a, const uint8_t *want,
		      size_t size)
{
	uint8_t buf[P128 + 8];
	struct miscuring_args back;

	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(miscuring_encode(a, buf, size), 0);
	CHECK(!memcmp(buf, want, size));
	/* Nothing past size is touched. */
	CHECK_EQ(buf[size], 0xee);
	CHECK_EQ(miscuring_decode(a->cmd_op, buf, size, &back), 0);
	CHECK(!memcmp(&back, a, sizeof(back)));
}

static void test_no_args(void)
{
	static const uint32_t ops[] = { MISCURING_CMD_NOP, MISCURING_CMD_HELLO };
	uint8_t want[P128] = { 0 };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct miscuring_args a = args_of(ops[i]);

		roundtrip(&a, want, P64);
		roundtrip(&a, want, P128);
	}
}

static void test_get_value(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_GET_VALUE);
	uint8_t want[P128] = { 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 };
	uint8_t zero[P128] = { 0 };

	a.addr = 0x0102030405060708ULL;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);
	/* addr 0: the value comes back as the CQE32 second result. */
	a.addr = 0;
	roundtrip(&a, zero, P64);
}

static void test_set_value(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_SET_VALUE);
	uint8_t want[P128] = { 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 };

	a.value = 0x0123456789abcdefULL;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);
}

static void test_echo(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_ECHO);
	uint8_t want[P128] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x50, 0x00, 0x00, 0x00,
	};
	size_t i;

	a.addr = 0x8877665544332211ULL;
	a.len = 80;
	roundtrip(&a, want, P64);

	/* On an SQE128 ring the 64 bytes after the struct are data. */
	a.data_len = 64;
	for (i = 0; i < 64; i++)
		a.data[i] = want[16 + i] = (uint8_t)(i * 7 + 1);
	roundtrip(&a, want, P128);
}

static void test_delay(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_DELAY);
	uint8_t want[P128] = { 0x40, 0x42, 0x0f, 0x00, 0xfb, 0xff, 0xff, 0xff };

	a.usec = 1000000;
	a.result = -5;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);

	a.usec = MISCURING_DELAY_MAX_USEC;
	a.result = 0x7fffffff;
	memcpy(want, "\x80\x96\x98\x00\xff\xff\xff\x7f", 8);
	roundtrip(&a, want, P64);
}

static void test_probe(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_PROBE);
	uint8_t want[P128] = {
		0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x68, 0x00, 0x00, 0x00,
	};

	a.addr = 0x1000;
	a.len = 104;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);
}

static void test_wait(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_WAIT);
	uint8_t want[P128] = {
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
		0x80, 0x96, 0x98, 0x00,
	};

	a.value = 0x0102030405060708ULL;
	a.usec = MISCURING_WAIT_MAX_USEC;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);
	a.usec = MISCURING_WAIT_MAX_USEC + 1;
	CHECK_EQ(miscuring_encode(&a, want, P64), -EINVAL);
	want[8] = 0x81;
	CHECK_EQ(miscuring_decode(MISCURING_CMD_WAIT, want, P64, &a), -EINVAL);
	a = args_of(MISCURING_CMD_WAIT);
	a.result = 1;
	CHECK_EQ(miscuring_encode(&a, want, P64), -EINVAL);
}

static void test_stats(void)
{
	struct miscuring_args a = args_of(MISCURING_CMD_STATS);
	uint8_t want[P128] = {
		0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12,
		0x38, 0x00, 0x00, 0x00,
	};
	uint8_t zero[P128] = { 0 };

	a.addr = 0x123456789abcdef0ULL;
	a.len = 56;
	roundtrip(&a, want, P64);
	roundtrip(&a, want, P128);
	a = args_of(MISCURING_CMD_RESET_STATS);
	roundtrip(&a, zero, P64);
	roundtrip(&a, zero, P128);
}

/* Every op except ECHO: all 64 bytes after the struct must be zero. */
static void test_decode_trailing(void)
{
	uint32_t nr;
	size_t i;

	for (nr = 1; nr <= 10; nr++) {
		uint8_t buf[P128] = { 0 };
		struct miscuring_args a;
		uint32_t op = MISCURING_CMD(nr);

		/* Make the struct itself valid where an op needs fields. */
		if (op == MISCURING_CMD_ECHO || op == MISCURING_CMD_PROBE ||
		    op == MISCURING_CMD_STATS) {
			buf[0] = 1;
			buf[8] = 1;
		}
		CHECK_EQ(miscuring_decode(op, buf, P128, &a), 0);
		for (i = P64; i < P128; i++) {
			buf[i] = 0x80;
			CHECK_EQ(miscuring_decode(op, buf, P128, &a),
				 op == MISCURING_CMD_ECHO ? 0 : -EINVAL);
			buf[i] = 0;
		}
	}
}

/* Each byte of each op's reserved field is checked. */
static void test_decode_reserved(void)
{
	static const struct { uint32_t op; size_t from; } r[] = {
		{ MISCURING_CMD_NOP, 0 },
		{ MISCURING_CMD_HELLO, 0 },
		{ MISCURING_CMD_GET_VALUE, 8 },
		{ MISCURING_CMD_SET_VALUE, 8 },
		{ MISCURING_CMD_ECHO, 12 },
		{ MISCURING_CMD_DELAY, 8 },
		{ MISCURING_CMD_PROBE, 12 },
		{ MISCURING_CMD_WAIT, 12 },
		{ MISCURING_CMD_STATS, 12 },
		{ MISCURING_CMD_RESET_STATS, 0 },
	};
	size_t i, b;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		uint8_t buf[P64] = { 0 };
		struct miscuring_args a, untouched;

		if (r[i].op == MISCURING_CMD_ECHO ||
		    r[i].op == MISCURING_CMD_PROBE ||
		    r[i].op == MISCURING_CMD_STATS) {
			buf[0] = 1;
			buf[8] = 1;
		}
		CHECK_EQ(miscuring_decode(r[i].op, buf, P64, &a), 0);
		for (b = r[i].from; b < P64; b++) {
			buf[b] = 1;
			memset(&a, 0x5a, sizeof(a));
			untouched = a;
			CHECK_EQ(miscuring_decode(r[i].op, buf, P64, &a), -EINVAL);
			/* A failed decode leaves *args alone. */
			CHECK(!memcmp(&a, &untouched, sizeof(a)));
			buf[b] = 0;
		}
	}
}

static void test_decode_rules(void)
{
	uint8_t buf[P128] = { 0 };
	struct miscuring_args a;

	/* ECHO and PROBE need a buffer and a length. */
	CHECK_EQ(miscuring_decode(MISCURING_CMD_ECHO, buf, P64, &a), -EINVAL);
	buf[0] = 1;
	CHECK_EQ(miscuring_decode(MISCURING_CMD_ECHO, buf, P64, &a), -EINVAL);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_PROBE, buf, P64, &a), -EINVAL);
	buf[0] = 0;
	buf[8] = 1;
	CHECK_EQ(miscuring_decode(MISCURING_CMD_ECHO, buf, P64, &a), -EINVAL);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_PROBE, buf, P64, &a), -EINVAL);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_STATS, buf, P64, &a), -EINVAL);
	buf[8] = 0;

	/* DELAY's limit, inclusive. */
	memcpy(buf, "\x80\x96\x98\x00", 4);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_DELAY, buf, P64, &a), 0);
	CHECK_EQ(a.usec, MISCURING_DELAY_MAX_USEC);
	memcpy(buf, "\x81\x96\x98\x00", 4);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_DELAY, buf, P64, &a), -EINVAL);
	memset(buf, 0, sizeof(buf));

	/* Sizes: only a 64- or a 128-byte SQE's payload. */
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, 0, &a), -EMSGSIZE);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, 15, &a), -EMSGSIZE);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, 17, &a), -EMSGSIZE);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, 79, &a), -EMSGSIZE);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, 81, &a), -EMSGSIZE);

	/* Ops the library does not know, other magic, NULLs. */
	CHECK_EQ(miscuring_decode(MISCURING_CMD(0), buf, P64, &a), -EOPNOTSUPP);
	CHECK_EQ(miscuring_decode(MISCURING_CMD(200), buf, P64, &a),
		 -EOPNOTSUPP);
	CHECK_EQ(miscuring_decode(0x12340001, buf, P64, &a), -EOPNOTSUPP);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, NULL, P64, &a), -EINVAL);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_NOP, buf, P64, NULL), -EINVAL);
}

static void test_encode_rules(void)
{
	uint8_t buf[P128 + 1];
	struct miscuring_args a;

	/* A field the op does not have. */
	a = args_of(MISCURING_CMD_NOP);
	a.addr = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);
	a = args_of(MISCURING_CMD_HELLO);
	a.len = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);
	a = args_of(MISCURING_CMD_GET_VALUE);
	a.value = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);
	a = args_of(MISCURING_CMD_SET_VALUE);
	a.usec = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);
	a = args_of(MISCURING_CMD_SET_VALUE);
	a.result = -1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);
	a = args_of(MISCURING_CMD_PROBE);
	a.addr = a.len = 1;
	a.data_len = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EINVAL);
	a = args_of(MISCURING_CMD_DELAY);
	a.data[63] = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EINVAL);

	/* ECHO's data: only on SQE128, at most 64 bytes, nothing past it. */
	a = args_of(MISCURING_CMD_ECHO);
	a.addr = a.len = 1;
	a.data_len = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EMSGSIZE);
	CHECK_EQ(miscuring_encode(&a, buf, P128), 0);
	a.data_len = 65;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EMSGSIZE);
	a.data_len = 0xffffffff;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EMSGSIZE);
	a.data_len = 2;
	a.data[2] = 1;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EINVAL);
	a.data_len = 3;
	CHECK_EQ(miscuring_encode(&a, buf, P128), 0);
	a.len = 0;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EINVAL);
	a.len = 1;
	a.addr = 0;
	CHECK_EQ(miscuring_encode(&a, buf, P128), -EINVAL);

	a = args_of(MISCURING_CMD_DELAY);
	a.usec = MISCURING_DELAY_MAX_USEC + 1;
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EINVAL);

	a = args_of(MISCURING_CMD_NOP);
	CHECK_EQ(miscuring_encode(&a, buf, 0), -EMSGSIZE);
	CHECK_EQ(miscuring_encode(&a, buf, P64 + 1), -EMSGSIZE);
	CHECK_EQ(miscuring_encode(&a, buf, P128 + 1), -EMSGSIZE);
	CHECK_EQ(miscuring_encode(&a, NULL, P64), -EINVAL);
	CHECK_EQ(miscuring_encode(NULL, buf, P64), -EINVAL);
	a.cmd_op = MISCURING_CMD(99);
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EOPNOTSUPP);
	/* READ and WRITE have no miscuring_args form */
	a = args_of(MISCURING_CMD_READ);
	CHECK_EQ(miscuring_encode(&a, buf, P64), -EOPNOTSUPP);
	memset(buf, 0, P64);
	CHECK_EQ(miscuring_decode(MISCURING_CMD_WRITE, buf, P64, &a), -EOPNOTSUPP);
}

static void test_op_names(void)
{
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_NOP), "nop"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_HELLO), "hello"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_GET_VALUE), "get_value"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_SET_VALUE), "set_value"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_ECHO), "echo"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_DELAY), "delay"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_PROBE), "probe"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_WAIT), "wait"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_STATS), "stats"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_RESET_STATS),
		      "reset_stats"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_READ), "read"));
	CHECK(!strcmp(miscuring_op_name(MISCURING_CMD_WRITE), "write"));
	CHECK(!miscuring_op_name(MISCURING_CMD(MISCURING_CMD_NR_MAX + 1)));
	CHECK(!miscuring_op_name(MISCURING_CMD(0)));
	CHECK(!miscuring_op_name(MISCURING_CMD(0xffff)));
	CHECK(!miscuring_op_name(1));
}

int main(void)
{
	test_no_args();
	test_get_value();
	test_set_value();
	test_echo();
	test_delay();
	test_probe();
	test_wait();
	test_stats();
	test_decode_trailing();
	test_decode_reserved();
	test_decode_rules();
	test_encode_rules();
	test_op_names();
	return t_report("payload");
}
