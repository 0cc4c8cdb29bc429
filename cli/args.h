/* SPDX-License-Identifier: MIT */
/*
 * Strict parsing of command-line values. A number is decimal or 0x-hex
 * digits, with a leading '-' only where a signed value is wanted; nothing
 * else is accepted: no blanks, no '+', no octal, no suffix, no empty
 * string. A number that does not fit the range is ARG_RANGE, not wrapped.
 */
#ifndef URINGCTL_ARGS_H
#define URINGCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>

enum arg_status {
	ARG_OK = 0,
	ARG_INVALID,	/* not a number / not hex / not a name we know */
	ARG_RANGE,	/* a number, but outside [min, max], or too many items */
	ARG_DUPLICATE,	/* a list names an item twice */
};

int arg_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int arg_s64(const char *s, int64_t min, int64_t max, int64_t *out);
int arg_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int arg_s32(const char *s, int32_t min, int32_t max, int32_t *out);

/* Seconds: digits with an optional fraction ("2", "0.25", ".5"). */
int arg_seconds(const char *s, double min, double max, double *out);

/*
 * Hex bytes: an even number of hex digits, optionally "0x" first, at most
 * max bytes. *len gets the byte count.
 */
int arg_hex(const char *s, uint8_t *buf, size_t max, size_t *len);

/*
 * A comma-separated list of numbers in [min, max], at most max_items,
 * no empty item, no duplicate.
 */
int arg_u32_list(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		 size_t max_items, size_t *n);

/*
 * A comma-separated list of names from names[0..count): out gets a bit per
 * name given (bit i for names[i]), in *order the indices in the order
 * given (order may be NULL).
 */
int arg_name_list(const char *s, const char *const *names, size_t count,
		  unsigned *mask, unsigned *order, size_t *n);

#endif /* URINGCTL_ARGS_H */
