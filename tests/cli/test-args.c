/* SPDX-License-Identifier: MIT */
/*
 * cli/args.c: numbers, seconds, hex bytes and lists, strictly.
 */
#include "config.h"

#include <stdint.h>

#include "args.h"
#include "test.h"

T_DEFINE_COUNTERS;

static void test_u64(void)
{
	uint64_t v = 0;

	CHECK_EQ(arg_u64("0", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 0);
	CHECK_EQ(arg_u64("42", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 42);
	CHECK_EQ(arg_u64("010", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 10);		/* decimal, not octal */
	CHECK_EQ(arg_u64("0x1f", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 31);
	CHECK_EQ(arg_u64("0XfF", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 255);
	CHECK_EQ(arg_u64("18446744073709551615", 0, UINT64_MAX, &v), ARG_OK);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(arg_u64("0xffffffffffffffff", 0, UINT64_MAX, &v), ARG_OK);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(arg_u64("0x0000000000000000001", 0, UINT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, 1);

	/* too big: a number, out of range, never wrapped */
	v = 7;
	CHECK_EQ(arg_u64("18446744073709551616", 0, UINT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("99999999999999999999999", 0, UINT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("0x10000000000000000", 0, UINT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("-1", 0, UINT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("-99999999999999999999999", 0, UINT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("0", 1, 10, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("11", 1, 10, &v), ARG_RANGE);
	CHECK_EQ(arg_u64("-0", 1, 10, &v), ARG_RANGE);
	CHECK_EQ(v, 7);			/* untouched on failure */
	CHECK_EQ(arg_u64("10", 1, 10, &v), ARG_OK);
	CHECK_EQ(v, 10);
	CHECK_EQ(arg_u64("-0", 0, 10, &v), ARG_OK);
	CHECK_EQ(v, 0);

	/* not numbers */
	v = 7;
	CHECK_EQ(arg_u64("", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64(NULL, 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("abc", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("5x", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64(" 5", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("5 ", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("+5", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("0x", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("0xg", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("1e3", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("1.5", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("-", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("--1", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("-x", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_u64("99999999999999999999999x", 0, UINT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(v, 7);
}

static void test_signed(void)
{
	int64_t v = 0;
	int32_t w = 0;

	CHECK_EQ(arg_s64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), ARG_OK);
	CHECK(v == INT64_MIN);
	CHECK_EQ(arg_s64("9223372036854775807", INT64_MIN, INT64_MAX, &v), ARG_OK);
	CHECK(v == INT64_MAX);
	CHECK_EQ(arg_s64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_s64("9223372036854775808", INT64_MIN, INT64_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_s64("-0x10", INT64_MIN, INT64_MAX, &v), ARG_OK);
	CHECK_EQ(v, -16);
	CHECK_EQ(arg_s64("--5", INT64_MIN, INT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_s64("-", INT64_MIN, INT64_MAX, &v), ARG_INVALID);
	CHECK_EQ(arg_s64("+5", INT64_MIN, INT64_MAX, &v), ARG_INVALID);

	CHECK_EQ(arg_s32("-2147483648", INT32_MIN, INT32_MAX, &w), ARG_OK);
	CHECK(w == INT32_MIN);
	CHECK_EQ(arg_s32("2147483647", INT32_MIN, INT32_MAX, &w), ARG_OK);
	CHECK_EQ(w, INT32_MAX);
	CHECK_EQ(arg_s32("2147483648", INT32_MIN, INT32_MAX, &w), ARG_RANGE);
	CHECK_EQ(arg_s32("-2147483649", INT32_MIN, INT32_MAX, &w), ARG_RANGE);
	CHECK_EQ(arg_s32("-125", INT32_MIN, INT32_MAX, &w), ARG_OK);
	CHECK_EQ(w, -125);
}

static void test_u32(void)
{
	uint32_t v = 3;

	CHECK_EQ(arg_u32("4294967295", 0, UINT32_MAX, &v), ARG_OK);
	CHECK(v == UINT32_MAX);
	CHECK_EQ(arg_u32("4294967296", 0, UINT32_MAX, &v), ARG_RANGE);
	CHECK_EQ(arg_u32("10000001", 0, 10000000, &v), ARG_RANGE);
	CHECK_EQ(arg_u32("10000000", 0, 10000000, &v), ARG_OK);
	CHECK_EQ(v, 10000000);
	CHECK_EQ(arg_u32("0x4d550001", 0, UINT32_MAX, &v), ARG_OK);
	CHECK_EQ(v, 0x4d550001);
}

static void test_seconds(void)
{
	double v = 0;

	CHECK_EQ(arg_seconds("1", 0.001, 3600, &v), ARG_OK);
	CHECK(v == 1.0);
	CHECK_EQ(arg_seconds("0.25", 0.001, 3600, &v), ARG_OK);
	CHECK(v == 0.25);
	CHECK_EQ(arg_seconds(".5", 0.001, 3600, &v), ARG_OK);
	CHECK(v == 0.5);
	CHECK_EQ(arg_seconds("2.", 0.001, 3600, &v), ARG_OK);
	CHECK(v == 2.0);
	CHECK_EQ(arg_seconds("0.001", 0.001, 3600, &v), ARG_OK);
	CHECK_EQ(arg_seconds("3600", 0.001, 3600, &v), ARG_OK);
	CHECK_EQ(arg_seconds("0", 0.001, 3600, &v), ARG_RANGE);
	CHECK_EQ(arg_seconds("0.0009", 0.001, 3600, &v), ARG_RANGE);
	CHECK_EQ(arg_seconds("3600.1", 0.001, 3600, &v), ARG_RANGE);
	CHECK_EQ(arg_seconds("-1", 0.001, 3600, &v), ARG_RANGE);
	CHECK_EQ(arg_seconds("99999999999999999999999999", 0.001, 3600, &v), ARG_RANGE);
	CHECK_EQ(arg_seconds("", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds(".", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("1e3", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("0x10", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("inf", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("nan", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("1.2.3", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds(" 1", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("+1", 0.001, 3600, &v), ARG_INVALID);
	CHECK_EQ(arg_seconds("1s", 0.001, 3600, &v), ARG_INVALID);
}

static void test_hex(void)
{
	uint8_t buf[4] = { 0xee, 0xee, 0xee, 0xee };
	size_t len = 99;

	CHECK_EQ(arg_hex("00ff7A", buf, sizeof(buf), &len), ARG_OK);
	CHECK_EQ(len, 3);
	CHECK(buf[0] == 0x00 && buf[1] == 0xff && buf[2] == 0x7a && buf[3] == 0xee);
	CHECK_EQ(arg_hex("0x0102", buf, sizeof(buf), &len), ARG_OK);
	CHECK_EQ(len, 2);
	CHECK(buf[0] == 1 && buf[1] == 2);
	CHECK_EQ(arg_hex("0102030405", buf, sizeof(buf), &len), ARG_RANGE);
	CHECK_EQ(arg_hex("01020304", buf, sizeof(buf), &len), ARG_OK);
	CHECK_EQ(len, 4);
	len = 99;
	CHECK_EQ(arg_hex("", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("0x", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("123", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("0g", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("01 02", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("01:02", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(arg_hex("-0102", buf, sizeof(buf), &len), ARG_INVALID);
	CHECK_EQ(len, 99);
}

static void test_lists(void)
{
	static const char *const names[] = { "nop", "get", "delay", "ioctl" };
	uint32_t out[4] = { 0 };
	unsigned order[4] = { 9, 9, 9, 9 }, mask = 0;
	size_t n = 99;

	CHECK_EQ(arg_u32_list("1,8,32,128", 1, 4096, out, 4, &n), ARG_OK);
	CHECK_EQ(n, 4);
	CHECK(out[0] == 1 && out[1] == 8 && out[2] == 32 && out[3] == 128);
	CHECK_EQ(arg_u32_list("7", 1, 4096, out, 4, &n), ARG_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(out[0], 7);
	CHECK_EQ(arg_u32_list("1,2,3,4,5", 1, 4096, out, 4, &n), ARG_RANGE);
	CHECK_EQ(arg_u32_list("1,0", 1, 4096, out, 4, &n), ARG_RANGE);
	CHECK_EQ(arg_u32_list("1,4097", 1, 4096, out, 4, &n), ARG_RANGE);
	CHECK_EQ(arg_u32_list("8,8", 1, 4096, out, 4, &n), ARG_DUPLICATE);
	CHECK_EQ(arg_u32_list("", 1, 4096, out, 4, &n), ARG_INVALID);
	CHECK_EQ(arg_u32_list(",1", 1, 4096, out, 4, &n), ARG_INVALID);
	CHECK_EQ(arg_u32_list("1,", 1, 4096, out, 4, &n), ARG_INVALID);
	CHECK_EQ(arg_u32_list("1,,2", 1, 4096, out, 4, &n), ARG_INVALID);
	CHECK_EQ(arg_u32_list("1, 2", 1, 4096, out, 4, &n), ARG_INVALID);
	CHECK_EQ(arg_u32_list("a", 1, 4096, out, 4, &n), ARG_INVALID);

	CHECK_EQ(arg_name_list("ioctl,nop", names, 4, &mask, order, &n), ARG_OK);
	CHECK_EQ(n, 2);
	CHECK_EQ(mask, 0x9);
	CHECK(order[0] == 3 && order[1] == 0);
	CHECK_EQ(arg_name_list("nop,get,delay,ioctl", names, 4, &mask, NULL, &n), ARG_OK);
	CHECK_EQ(mask, 0xf);
	CHECK_EQ(arg_name_list("nop,nop", names, 4, &mask, order, &n), ARG_DUPLICATE);
	CHECK_EQ(arg_name_list("nop,foo", names, 4, &mask, order, &n), ARG_INVALID);
	CHECK_EQ(arg_name_list("NOP", names, 4, &mask, order, &n), ARG_INVALID);
	CHECK_EQ(arg_name_list("", names, 4, &mask, order, &n), ARG_INVALID);
	CHECK_EQ(arg_name_list("nop,", names, 4, &mask, order, &n), ARG_INVALID);
}

int main(void)
{
	test_u64();
	test_signed();
	test_u32();
	test_seconds();
	test_hex();
	test_lists();
	return t_report("test-args");
}
