/* SPDX-License-Identifier: MIT */
/* miscuring_decode_stats(): full struct, prefixes, rejections. */
#include "config.h"

#include <stddef.h>

#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

#define OFF(f)	offsetof(struct miscuring_stats, f)
#define SIZE	sizeof(struct miscuring_stats)

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void make_stats(uint8_t *b, uint32_t size)
{
	memset(b, 0, SIZE);
	put64(b + OFF(stats_size), size);	/* and reserved = 0 */
	put64(b + OFF(issued), 0x0102030405060708ULL);
	put64(b + OFF(completed_inline), 11);
	put64(b + OFF(completed_async), 12);
	put64(b + OFF(cancelled), 13);
	put64(b + OFF(failed), 14);
	put64(b + OFF(in_flight), 15);
}

static void test_full(void)
{
	uint8_t b[SIZE + 8];
	struct miscuring_devstats d;

	make_stats(b, SIZE);
	CHECK_EQ(miscuring_decode_stats(b, SIZE, &d), 0);
	CHECK_EQ(d.stats_size, SIZE);
	CHECK_EQ(d.decoded, SIZE);
	CHECK(d.issued == 0x0102030405060708ULL);
	CHECK(d.completed_inline == 11 && d.completed_async == 12 &&
	      d.cancelled == 13 && d.failed == 14 && d.in_flight == 15);
	/* A newer module's longer stats: what we know is decoded. */
	make_stats(b, SIZE + 8);
	CHECK_EQ(miscuring_decode_stats(b, sizeof(b), &d), 0);
	CHECK_EQ(d.decoded, SIZE);
}

static void test_prefixes(void)
{
	uint8_t b[SIZE];
	struct miscuring_devstats d;
	size_t n;

	for (n = 0; n <= SIZE; n++) {
		make_stats(b, SIZE);
		if (n < 8 || n % 8) {
			CHECK_EQ(miscuring_decode_stats(b, n, &d), -EMSGSIZE);
			continue;
		}
		CHECK_EQ(miscuring_decode_stats(b, n, &d), 0);
		CHECK_EQ(d.decoded, n);
		CHECK(d.issued == (n >= 16 ? 0x0102030405060708ULL : 0));
		CHECK(d.in_flight == (n >= 56 ? 15 : 0));
		/* The module wrote only stats_size bytes. */
		make_stats(b, (uint32_t)n);
		CHECK_EQ(miscuring_decode_stats(b, SIZE, &d), 0);
		CHECK_EQ(d.decoded, n);
	}
}

static void test_rejects(void)
{
	uint8_t b[SIZE];
	struct miscuring_devstats d, untouched;
	int i;

	make_stats(b, 7);
	memset(&d, 0x5a, sizeof(d));
	untouched = d;
	CHECK_EQ(miscuring_decode_stats(b, SIZE, &d), -EINVAL);
	CHECK(!memcmp(&d, &untouched, sizeof(d)));
	for (i = 4; i < 8; i++) {
		make_stats(b, SIZE);
		b[i] = 1;			/* reserved */
		CHECK_EQ(miscuring_decode_stats(b, SIZE, &d), -EINVAL);
	}
	CHECK_EQ(miscuring_decode_stats(NULL, SIZE, &d), -EINVAL);
	CHECK_EQ(miscuring_decode_stats(b, SIZE, NULL), -EINVAL);
}

int main(void)
{
	test_full();
	test_prefixes();
	test_rejects();
	return t_report("stats");
}
