/* SPDX-License-Identifier: MIT */
/*
 * The value parsers of args.h. No strtoul(): it skips blanks, takes '+'
 * and '-' (wrapping "-1" to the maximum), and reads "010" as octal.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The magnitude of an unsigned number, digits only (no sign). ARG_RANGE
 * when it does not fit 64 bits; *over is then set so a caller can tell
 * "a number, too big" from "not a number" (both checks run to the end).
 */
static int magnitude(const char *s, uint64_t *out)
{
	unsigned base = 10;
	bool over = false;
	uint64_t v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return ARG_INVALID;
	for (; *s; s++) {
		d = base == 16 ? hex_digit(*s) : (*s >= '0' && *s <= '9' ? *s - '0' : -1);
		if (d < 0)
			return ARG_INVALID;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			over = true;
		else
			v = v * base + (unsigned)d;
	}
	if (over)
		return ARG_RANGE;
	*out = v;
	return ARG_OK;
}

int arg_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int ret;

	if (!s)
		return ARG_INVALID;
	if (s[0] == '-') {
		/* A negative number is a number, out of an unsigned range. */
		ret = magnitude(s + 1, &v);
		if (ret == ARG_INVALID)
			return ret;
		if (ret == ARG_OK && v == 0 && min == 0) {
			*out = 0;
			return ARG_OK;
		}
		return ARG_RANGE;
	}
	ret = magnitude(s, &v);
	if (ret)
		return ret;
	if (v < min || v > max)
		return ARG_RANGE;
	*out = v;
	return ARG_OK;
}

int arg_s64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	uint64_t m;
	int64_t v;
	int ret;

	if (!s)
		return ARG_INVALID;
	if (s[0] == '-') {
		neg = true;
		s++;
	}
	ret = magnitude(s, &m);
	if (ret)
		return ret;
	if (neg) {
		if (m > (uint64_t)INT64_MAX + 1)
			return ARG_RANGE;
		v = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	} else {
		if (m > INT64_MAX)
			return ARG_RANGE;
		v = (int64_t)m;
	}
	if (v < min || v > max)
		return ARG_RANGE;
	*out = v;
	return ARG_OK;
}

int arg_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int ret = arg_u64(s, min, max, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

int arg_s32(const char *s, int32_t min, int32_t max, int32_t *out)
{
	int64_t v;
	int ret = arg_s64(s, min, max, &v);

	if (!ret)
		*out = (int32_t)v;
	return ret;
}

/* digits, or digits '.' digits, with at least one digit in all */
static bool decimal_shape(const char *p)
{
	static const char digits[] = "0123456789";
	size_t i = strspn(p, digits), f = 0, dot = 0;

	if (p[i] == '.') {
		dot = 1;
		f = strspn(p + i + 1, digits);
	}
	return (i || f) && !p[i + dot + f];
}

int arg_seconds(const char *s, double min, double max, double *out)
{
	double v;

	if (!s || !decimal_shape(s + (s[0] == '-')))
		return ARG_INVALID;
	/* Only digits, a '.' and maybe a '-' are left: strtod reads them the
	 * same in any locale this program runs in (it never calls setlocale). */
	v = strtod(s, NULL);
	if (!(v >= min && v <= max))
		return ARG_RANGE;
	*out = v;
	return ARG_OK;
}

int arg_hex(const char *s, uint8_t *buf, size_t max, size_t *len)
{
	size_t n, i;
	int hi, lo;

	if (!s)
		return ARG_INVALID;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (!n || n % 2)
		return ARG_INVALID;
	for (i = 0; i < n; i++)
		if (hex_digit(s[i]) < 0)
			return ARG_INVALID;
	if (n / 2 > max)
		return ARG_RANGE;
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit(s[2 * i]);
		lo = hex_digit(s[2 * i + 1]);
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return ARG_OK;
}

/*
 * Split s at commas; call fn on each item (a NUL-terminated copy). Empty
 * items are ARG_INVALID, more than max_items ARG_RANGE.
 */
static int split(const char *s, size_t max_items, size_t *n,
		 int (*fn)(const char *item, size_t index, void *arg), void *arg)
{
	char item[64];
	const char *end;
	size_t len, count = 0;
	int ret;

	if (!s || !*s)
		return ARG_INVALID;
	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (!len || len >= sizeof(item))
			return ARG_INVALID;
		if (count == max_items)
			return ARG_RANGE;
		memcpy(item, s, len);
		item[len] = '\0';
		ret = fn(item, count, arg);
		if (ret)
			return ret;
		count++;
		if (!end)
			break;
		s = end + 1;
	}
	*n = count;
	return ARG_OK;
}

struct u32_list {
	uint32_t	min, max;
	uint32_t	*out;
};

static int u32_item(const char *item, size_t index, void *arg)
{
	struct u32_list *l = arg;
	uint32_t v;
	size_t i;
	int ret = arg_u32(item, l->min, l->max, &v);

	if (ret)
		return ret;
	for (i = 0; i < index; i++)
		if (l->out[i] == v)
			return ARG_DUPLICATE;
	l->out[index] = v;
	return ARG_OK;
}

int arg_u32_list(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		 size_t max_items, size_t *n)
{
	struct u32_list l = { min, max, out };

	return split(s, max_items, n, u32_item, &l);
}

struct name_list {
	const char *const	*names;
	size_t			count;
	unsigned		mask;
	unsigned		*order;
};

static int name_item(const char *item, size_t index, void *arg)
{
	struct name_list *l = arg;
	size_t i;

	for (i = 0; i < l->count; i++) {
		if (strcmp(item, l->names[i]))
			continue;
		if (l->mask & (1U << i))
			return ARG_DUPLICATE;
		l->mask |= 1U << i;
		if (l->order)
			l->order[index] = (unsigned)i;
		return ARG_OK;
	}
	return ARG_INVALID;
}

int arg_name_list(const char *s, const char *const *names, size_t count,
		  unsigned *mask, unsigned *order, size_t *n)
{
	struct name_list l = { names, count, 0, order };
	int ret;

	if (count > 32)
		return ARG_RANGE;
	ret = split(s, count, n, name_item, &l);
	if (!ret)
		*mask = l.mask;
	return ret;
}
