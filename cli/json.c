/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer of json.h, on json-c: the calls build a json-c tree,
 * json_finish() serializes it. What is ours is the bookkeeping of the
 * calls (keys, nesting, misuse) and making every string valid UTF-8
 * before json-c sees it, since json-c passes bytes above 0x7f through
 * as they are.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json.h"

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

/* A json-c string of len bytes, ill-formed UTF-8 replaced; NULL: ENOMEM. */
static struct json_object *new_string(const void *s, size_t len)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *p = s;
	struct json_object *o;
	size_t i = 0, k = 0, n, bad;
	char *buf;

	/* A replacement is 3 bytes for at least 1 of the input. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	buf = malloc(len * 3 + 1);
	if (!buf)
		return NULL;
	while (i < len) {
		if (p[i] < 0x80) {
			buf[k++] = (char)p[i++];
			continue;
		}
		n = utf8_len(p + i, len - i, &bad);
		if (n) {
			memcpy(buf + k, p + i, n);
			k += n;
			i += n;
		} else {
			memcpy(buf + k, fffd, 3);
			k += 3;
			i += bad;
		}
	}
	o = json_object_new_string_len(buf, (int)k);
	free(buf);
	return o;
}

static int to_string_flags(bool pretty)
{
	return JSON_C_TO_STRING_NOSLASHESCAPE |
	       (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			 JSON_C_TO_STRING_PLAIN);
}

size_t json_escape(const void *s, size_t len, char *out, size_t size)
{
	struct json_object *o = len <= INT32_MAX ? new_string(s, len) : NULL;
	const char *e = o ? json_object_to_json_string_ext(o, to_string_flags(false)) : NULL;
	size_t n = e ? strlen(e) : 0;

	if (size) {
		memcpy(out, e ? e : "", n < size ? n : size - 1);
		out[n < size ? n : size - 1] = '\0';
	}
	json_object_put(o);
	return n;
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

/* Put value o where it goes: the document, an array, or under the key. */
static bool add(struct json *j, struct json_object *o)
{
	struct json_object *top;

	if (!o || j->done || (j->depth == 0 && j->root)) {
		j->misuse |= o != NULL;
		j->oom |= o == NULL;
		json_object_put(o);
		return false;
	}
	if (!j->depth) {
		j->root = o;
		return true;
	}
	top = j->stack[j->depth - 1];
	if (json_object_is_type(top, json_type_array)) {
		if (!json_object_array_add(top, o))
			return true;
	} else if (j->key) {
		if (!json_object_object_add(top, j->key, o)) {
			free(j->key);
			j->key = NULL;
			return true;
		}
	} else {
		j->misuse = true;	/* a value in an object needs a key */
		json_object_put(o);
		return false;
	}
	j->oom = true;
	json_object_put(o);
	return false;
}

/* A scalar value: the document is complete when it is the whole of it. */
static void add_value(struct json *j, struct json_object *o)
{
	if (add(j, o) && !j->depth)
		j->done = true;
}

void json_key(struct json *j, const char *key)
{
	if (!j->depth || !json_object_is_type(j->stack[j->depth - 1], json_type_object) ||
	    j->key) {
		j->misuse = true;
		return;
	}
	j->key = strdup(key);
	j->oom |= !j->key;
}

static void open_nest(struct json *j, bool object)
{
	struct json_object *o;

	if (j->depth == JSON_MAX_DEPTH) {
		j->misuse = true;
		return;
	}
	o = object ? json_object_new_object() : json_object_new_array();
	if (add(j, o))
		j->stack[j->depth++] = o;
}

static void close_nest(struct json *j, bool object)
{
	if (!j->depth || j->key ||
	    json_object_is_type(j->stack[j->depth - 1], json_type_object) != object) {
		j->misuse = true;
		return;
	}
	if (!--j->depth)
		j->done = true;
}

void json_object_begin(struct json *j) { open_nest(j, true); }
void json_object_end(struct json *j) { close_nest(j, true); }
void json_array_begin(struct json *j) { open_nest(j, false); }
void json_array_end(struct json *j) { close_nest(j, false); }

void json_string_n(struct json *j, const void *s, size_t len)
{
	add_value(j, len <= INT32_MAX ? new_string(s, len) : NULL);
}

void json_string(struct json *j, const char *s)
{
	json_string_n(j, s, strlen(s));
}

void json_u64(struct json *j, uint64_t v)
{
	add_value(j, json_object_new_uint64(v));
}

void json_s64(struct json *j, int64_t v)
{
	add_value(j, json_object_new_int64(v));
}

void json_double(struct json *j, double v)
{
	char buf[32];
	int prec;

	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	/* The shortest form that reads back as the same double. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	add_value(j, json_object_new_double_s(v, buf));
}

void json_boolean(struct json *j, bool v)
{
	add_value(j, json_object_new_boolean(v));
}

void json_null(struct json *j)
{
	/* json-c's null is the NULL object: no allocation to fail. */
	if (j->done || (j->depth == 0 && j->root) ||
	    (j->depth && json_object_is_type(j->stack[j->depth - 1], json_type_object) &&
	     !j->key)) {
		j->misuse = true;
		return;
	}
	if (!j->depth) {
		j->null_root = true;
		j->done = true;
	} else if (json_object_is_type(j->stack[j->depth - 1], json_type_array)) {
		j->oom |= json_object_array_add(j->stack[j->depth - 1], NULL) != 0;
	} else {
		j->oom |= json_object_object_add(j->stack[j->depth - 1], j->key, NULL) != 0;
		free(j->key);
		j->key = NULL;
	}
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
	json_boolean(j, v);
}

size_t json_base64(const void *data, size_t n, char *out)
{
	static const char d[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *p = data;
	char *start = out;
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3, out += 4) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[0] = d[v >> 18];
		out[1] = d[(v >> 12) & 63];
		out[2] = d[(v >> 6) & 63];
		out[3] = d[v & 63];
	}
	if (i < n) {
		v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		out[0] = d[v >> 18];
		out[1] = d[(v >> 12) & 63];
		out[2] = i + 1 < n ? d[(v >> 6) & 63] : '=';
		out[3] = '=';
		out += 4;
	}
	*out = '\0';
	return (size_t)(out - start);
}

void json_kv_base64(struct json *j, const char *key, const void *data,
		    size_t len)
{
	char *s = malloc(JSON_BASE64_LEN(len) + 1);

	json_key(j, key);
	if (!s) {
		j->oom = true;
		json_null(j);
		return;
	}
	json_base64(data, len, s);
	json_string(j, s);
	free(s);
}

int json_finish(struct json *j)
{
	const char *s = NULL;
	int ret = 0;

	if (j->oom)
		ret = -ENOMEM;
	else if (j->misuse || !j->done)
		ret = -EINVAL;
	else if (j->null_root)
		s = "null";
	else if (!(s = json_object_to_json_string_ext(j->root, to_string_flags(j->pretty))))
		ret = -ENOMEM;
	if (s) {
		fputs(s, j->f);
		fputc('\n', j->f);
		errno = 0;
		if (fflush(j->f) || ferror(j->f))
			ret = errno ? -errno : -EIO;
	}
	json_object_put(j->root);
	free(j->key);
	j->root = NULL;
	j->key = NULL;
	j->depth = 0;
	return ret;
}
