/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target over the library's decoders.
 *
 * Input: one selector byte, then bytes taken as a wire payload, as what
 * PROBE wrote, and (when long enough) as a host struct miscuring_args.
 * Besides "no crash, no out-of-bounds access" (ASan, UBSan) it checks:
 *   - a payload decode accepts exactly encode's output: decode ok =>
 *     encode(decoded) gives back the same bytes;
 *   - encode ok => decode(encoded) gives back the same args;
 *   - a decoded info is ABI 1, within what was given, NUL-terminated;
 *   - decoded stats stay within what was given and end on a field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libmiscuring.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c)	do { if (!(c)) abort(); } while (0)

static uint32_t pick_op(uint8_t sel)
{
	/* Mostly known ops (and 0, 8..15 around them), sometimes any value. */
	if (sel & 0x80)
		return (uint32_t)sel * 0x01010101u;
	return MISCURING_CMD(sel & 0x0f);
}

static void fuzz_payload(uint32_t op, const uint8_t *p, size_t n)
{
	struct miscuring_args a;
	uint8_t out[MISCURING_PAYLOAD_SQE128];

	if (miscuring_decode(op, p, n, &a))
		return;
	FUZZ_ASSERT(n == MISCURING_PAYLOAD_SQE64 ||
		    n == MISCURING_PAYLOAD_SQE128);
	FUZZ_ASSERT(a.cmd_op == op);
	FUZZ_ASSERT(miscuring_encode(&a, out, n) == 0);
	FUZZ_ASSERT(!memcmp(out, p, n));
	FUZZ_ASSERT(miscuring_op_name(op) != NULL);
}

/* Field by field: the struct's tail padding is not compared. */
static int args_equal(const struct miscuring_args *a,
		      const struct miscuring_args *b)
{
	return a->cmd_op == b->cmd_op && a->len == b->len &&
	       a->addr == b->addr && a->value == b->value &&
	       a->usec == b->usec && a->result == b->result &&
	       a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, sizeof(a->data));
}

static void fuzz_args(const uint8_t *p, size_t n)
{
	struct miscuring_args a, back;
	uint8_t out[MISCURING_PAYLOAD_SQE128];
	size_t size;

	if (n < sizeof(a))
		return;
	memcpy(&a, p, sizeof(a));
	a.cmd_op = pick_op((uint8_t)a.cmd_op);
	for (size = MISCURING_PAYLOAD_SQE64; size <= MISCURING_PAYLOAD_SQE128;
	     size += MISCURING_PAYLOAD_SQE128 - MISCURING_PAYLOAD_SQE64) {
		if (miscuring_encode(&a, out, size))
			continue;
		FUZZ_ASSERT(miscuring_decode(a.cmd_op, out, size, &back) == 0);
		/* ECHO's data comes back whole: as many bytes as fit. */
		if (a.cmd_op == MISCURING_CMD_ECHO) {
			FUZZ_ASSERT(back.data_len == size - MISCURING_PAYLOAD_SQE64);
			back.data_len = a.data_len;
		}
		FUZZ_ASSERT(args_equal(&a, &back));
	}
}

static void fuzz_info(const uint8_t *p, size_t n)
{
	struct miscuring_devinfo d;

	if (miscuring_decode_info(p, n, &d))
		return;
	FUZZ_ASSERT(d.abi_version == MISCURING_ABI_VERSION);
	FUZZ_ASSERT(d.decoded >= 8 && d.decoded <= n &&
		    d.decoded <= sizeof(struct miscuring_info) &&
		    d.decoded <= d.info_size);
	FUZZ_ASSERT(memchr(d.module_version, 0, sizeof(d.module_version)));
	FUZZ_ASSERT(!(d.ops & 1));
	FUZZ_ASSERT(miscuring_has_op(&d, MISCURING_CMD(0)) == 0);
}

static void fuzz_stats(const uint8_t *p, size_t n)
{
	struct miscuring_devstats d;

	if (miscuring_decode_stats(p, n, &d))
		return;
	FUZZ_ASSERT(d.decoded >= 8 && d.decoded <= n && d.decoded % 8 == 0 &&
		    d.decoded <= sizeof(struct miscuring_stats) &&
		    d.decoded <= d.stats_size);
	FUZZ_ASSERT(d.decoded == sizeof(struct miscuring_stats) ||
		    d.in_flight == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	fuzz_payload(pick_op(data[0]), copy, size - 1);
	fuzz_info(copy, size - 1);
	fuzz_stats(copy, size - 1);
	fuzz_args(copy, size - 1);
	free(copy);
	return 0;
}
