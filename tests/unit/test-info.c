/* SPDX-License-Identifier: MIT */
/*
 * miscuring_decode_info() and miscuring_has_op(): the full struct, every
 * prefix an older module may write, and every rejection.
 */
#include "config.h"

#include <stddef.h>

#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

#define OFF(f)	offsetof(struct miscuring_info, f)

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* What a v1 module answers to PROBE, written byte by byte. */
static void make_info(uint8_t *b)
{
	memset(b, 0, sizeof(struct miscuring_info));
	put32(b + OFF(abi_version), MISCURING_ABI_VERSION);
	put32(b + OFF(info_size), sizeof(struct miscuring_info));
	put64(b + OFF(features), MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32 |
				 (1ULL << 40));
	put64(b + OFF(ops), 0xfe);
	put32(b + OFF(payload_sqe64), MISCURING_PAYLOAD_SQE64);
	put32(b + OFF(payload_sqe128), MISCURING_PAYLOAD_SQE128);
	put32(b + OFF(max_delay_usec), MISCURING_DELAY_MAX_USEC);
	put32(b + OFF(max_buffer), 4096);
	memcpy(b + OFF(module_version), "1.2.3-test", 11);
}

static void test_full(void)
{
	uint8_t b[sizeof(struct miscuring_info) + 16];
	struct miscuring_devinfo d;

	make_info(b);
	CHECK_EQ(miscuring_decode_info(b, sizeof(struct miscuring_info), &d), 0);
	CHECK_EQ(d.abi_version, 1);
	CHECK_EQ(d.info_size, 104);
	CHECK(d.features == (MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32 |
			     (1ULL << 40)));
	CHECK(d.ops == 0xfe);
	CHECK_EQ(d.payload_sqe64, 16);
	CHECK_EQ(d.payload_sqe128, 80);
	CHECK_EQ(d.max_delay_usec, MISCURING_DELAY_MAX_USEC);
	CHECK_EQ(d.max_buffer, 4096);
	CHECK(!strcmp(d.module_version, "1.2.3-test"));
	CHECK_EQ(d.decoded, 104);

	/* A longer buffer: only info_size bytes are the module's. */
	memset(b + sizeof(struct miscuring_info), 0xff, 16);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), 0);
	CHECK_EQ(d.decoded, 104);
}

/* An older module writes a shorter info: every field boundary decodes. */
static void test_prefixes(void)
{
	static const size_t ends[] = { 8, 16, 24, 28, 32, 36, 40, 72, 80, 88,
				       96, 104 };
	uint8_t b[sizeof(struct miscuring_info)];
	struct miscuring_devinfo d;
	size_t i, n;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		make_info(b);
		put32(b + OFF(info_size), (uint32_t)ends[i]);
		CHECK_EQ(miscuring_decode_info(b, ends[i], &d), 0);
		CHECK_EQ(d.decoded, ends[i]);
		CHECK(d.features == (ends[i] >= 16 ? (MISCURING_FEAT_SQE128 |
			MISCURING_FEAT_CQE32 | (1ULL << 40)) : 0));
		CHECK_EQ(d.max_buffer, ends[i] >= 40 ? 4096 : 0);
		CHECK_EQ(d.module_version[0], ends[i] >= 72 ? '1' : 0);
		/* The module wrote less than it was asked for. */
		CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), 0);
		CHECK_EQ(d.decoded, ends[i]);
	}
	/* Never a prefix that ends inside a field. */
	make_info(b);
	for (n = 8; n <= sizeof(b); n++) {
		int boundary = 0;

		for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
			boundary |= ends[i] == n;
		CHECK_EQ(miscuring_decode_info(b, n, &d),
			 boundary ? 0 : -EMSGSIZE);
	}
	for (n = 0; n < 8; n++)
		CHECK_EQ(miscuring_decode_info(b, n, &d), -EMSGSIZE);
}

static void test_rejects(void)
{
	uint8_t b[sizeof(struct miscuring_info)];
	struct miscuring_devinfo d, untouched;
	size_t i;

	make_info(b);
	put32(b + OFF(abi_version), 2);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EPROTONOSUPPORT);
	CHECK_EQ(d.abi_version, 2);

	make_info(b);
	put32(b + OFF(info_size), 7);
	memset(&d, 0x5a, sizeof(d));
	untouched = d;
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);
	CHECK(!memcmp(&d, &untouched, sizeof(d)));

	make_info(b);
	put64(b + OFF(ops), 0xff);		/* bit 0 is no op */
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);

	make_info(b);
	put32(b + OFF(payload_sqe64), 32);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);

	make_info(b);
	put32(b + OFF(payload_sqe128), 64);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);

	make_info(b);
	memset(b + OFF(module_version), 'x', MISCURING_VERSION_LEN);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);
	/* ... unless the module wrote less than the version. */
	put32(b + OFF(info_size), 40);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), 0);

	for (i = OFF(reserved); i < sizeof(b); i++) {
		make_info(b);
		b[i] = 1;
		CHECK_EQ(miscuring_decode_info(b, sizeof(b), &d), -EINVAL);
	}

	CHECK_EQ(miscuring_decode_info(NULL, sizeof(b), &d), -EINVAL);
	CHECK_EQ(miscuring_decode_info(b, sizeof(b), NULL), -EINVAL);
}

static void test_has_op(void)
{
	struct miscuring_devinfo d;

	memset(&d, 0, sizeof(d));
	d.ops = 1ULL << 7 | 1ULL << 1 | 1ULL << 63;
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD_NOP), 1);
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD_PROBE), 1);
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD(63)), 1);
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD_HELLO), 0);
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD(64)), 0);
	CHECK_EQ(miscuring_has_op(&d, MISCURING_CMD(0xffff)), 0);
	CHECK_EQ(miscuring_has_op(&d, 7), 0);	/* wrong magic */
	CHECK_EQ(miscuring_has_op(NULL, MISCURING_CMD_NOP), 0);
}

int main(void)
{
	test_full();
	test_prefixes();
	test_rejects();
	test_has_op();
	return t_report("info");
}
