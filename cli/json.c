/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer of json.h.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Where escaped bytes go: a stream, or a counted buffer. */
struct sink {
	FILE	*f;
	char	*buf;
	size_t	size;
	size_t	len;		/* bytes the whole output needs */
};

static void sink_put(struct sink *s, const char *p, size_t n)
{
	if (s->f) {
		fwrite(p, 1, n, s->f);
	} else if (s->size && s->len < s->size - 1) {
		size_t room = s->size - 1 - s->len;

		memcpy(s->buf + s->len, p, n < room ? n : room);
	}
	s->len += n;
}

/*
 * The length of the well-formed UTF-8 sequence at p (at most n bytes), or
 * 0 when it is ill-formed; *bad then gets the length of its maximal
 * subpart, which becomes one U+FFFD (Unicode 15, section 3.9, "U+FFFD
 * Substitution of Maximal Subparts"). p[0] >= 0x80.
 */
static size_t utf8_len(const unsigned char *p, size_t n, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* no overlong forms */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		if (p[0] == 0xf0)
			lo = 0x90;	/* no overlong forms */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else {
		*bad = 1;	/* a continuation byte, C0, C1, F5..FF */
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= n || p[k] < lo || p[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

static void escape_to(struct sink *s, const void *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = str;
	size_t i = 0, run, n, bad;
	char esc[7];

	sink_put(s, "\"", 1);
	while (i < len) {
		/* Bytes that go out as they are, in one piece. */
		run = 0;
		while (i + run < len && p[i + run] >= 0x20 && p[i + run] < 0x7f &&
		       p[i + run] != '"' && p[i + run] != '\\')
			run++;
		if (run) {
			sink_put(s, (const char *)p + i, run);
			i += run;
			continue;
		}
		if (p[i] >= 0x80) {
			n = utf8_len(p + i, len - i, &bad);
			if (n) {
				sink_put(s, (const char *)p + i, n);
				i += n;
			} else {
				sink_put(s, "\\ufffd", 6);
				i += bad;
			}
			continue;
		}
		switch (p[i]) {
		case '"': sink_put(s, "\\\"", 2); break;
		case '\\': sink_put(s, "\\\\", 2); break;
		case '\b': sink_put(s, "\\b", 2); break;
		case '\f': sink_put(s, "\\f", 2); break;
		case '\n': sink_put(s, "\\n", 2); break;
		case '\r': sink_put(s, "\\r", 2); break;
		case '\t': sink_put(s, "\\t", 2); break;
		default:
			/* Other control characters, and DEL for the terminal's sake. */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 0xf];
			sink_put(s, esc, 6);
			break;
		}
		i++;
	}
	sink_put(s, "\"", 1);
}

size_t json_escape(const void *s, size_t len, char *out, size_t size)
{
	struct sink sk = { .buf = out, .size = size };

	escape_to(&sk, s, len);
	if (size)
		out[sk.len < size ? sk.len : size - 1] = '\0';
	return sk.len;
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
	j->want_value = true;
}

static void newline(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before any value: the comma and indentation an array item needs. */
static bool value_start(struct json *j)
{
	if (j->done) {
		j->misuse = true;
		return false;
	}
	if (j->depth && !j->in_object[j->depth - 1]) {
		if (j->has_items[j->depth - 1])
			fputc(',', j->f);
		j->has_items[j->depth - 1] = true;
		newline(j);
		return true;
	}
	if (!j->want_value) {
		j->misuse = true;	/* a value in an object needs a key */
		return false;
	}
	j->want_value = false;
	return true;
}

static void value_end(struct json *j)
{
	if (!j->depth)
		j->done = true;
}

void json_key(struct json *j, const char *key)
{
	struct sink sk = { .f = j->f };

	if (!j->depth || !j->in_object[j->depth - 1] || j->want_value) {
		j->misuse = true;
		return;
	}
	if (j->has_items[j->depth - 1])
		fputc(',', j->f);
	j->has_items[j->depth - 1] = true;
	newline(j);
	escape_to(&sk, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->f);
	j->want_value = true;
}

static void open_nest(struct json *j, bool object)
{
	if (!value_start(j))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		j->misuse = true;
		return;
	}
	fputc(object ? '{' : '[', j->f);
	j->in_object[j->depth] = object;
	j->has_items[j->depth] = false;
	j->depth++;
}

static void close_nest(struct json *j, bool object)
{
	if (!j->depth || j->in_object[j->depth - 1] != object || j->want_value) {
		j->misuse = true;
		return;
	}
	j->depth--;
	if (j->has_items[j->depth])
		newline(j);
	fputc(object ? '}' : ']', j->f);
	value_end(j);
}

void json_object_begin(struct json *j) { open_nest(j, true); }
void json_object_end(struct json *j) { close_nest(j, true); }
void json_array_begin(struct json *j) { open_nest(j, false); }
void json_array_end(struct json *j) { close_nest(j, false); }

void json_string_n(struct json *j, const void *s, size_t len)
{
	struct sink sk = { .f = j->f };

	if (!value_start(j))
		return;
	escape_to(&sk, s, len);
	value_end(j);
}

void json_string(struct json *j, const char *s)
{
	json_string_n(j, s, strlen(s));
}

void json_u64(struct json *j, uint64_t v)
{
	if (!value_start(j))
		return;
	fprintf(j->f, "%" PRIu64, v);
	value_end(j);
}

void json_s64(struct json *j, int64_t v)
{
	if (!value_start(j))
		return;
	fprintf(j->f, "%" PRId64, v);
	value_end(j);
}

void json_double(struct json *j, double v)
{
	char buf[32];
	int prec;

	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	if (!value_start(j))
		return;
	/* The shortest form that reads back as the same double. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, j->f);
	value_end(j);
}

void json_bool(struct json *j, bool v)
{
	if (!value_start(j))
		return;
	fputs(v ? "true" : "false", j->f);
	value_end(j);
}

void json_null(struct json *j)
{
	if (!value_start(j))
		return;
	fputs("null", j->f);
	value_end(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_s64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_s64(j, v);
}

void json_kv_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

int json_finish(struct json *j)
{
	if (j->misuse || !j->done)
		return -EINVAL;
	fputc('\n', j->f);
	errno = 0;
	if (fflush(j->f) || ferror(j->f))
		return errno ? -errno : -EIO;
	return 0;
}
