/* SPDX-License-Identifier: MIT */
/*
 * uringctl's JSON document, built on json-c (as nvme-cli's is) with calls
 * in document order: begin an object, a key, a value, ... json_finish()
 * writes the whole document. Strings are bytes: valid UTF-8 passes
 * through, every ill-formed sequence becomes one U+FFFD, so the output is
 * always valid UTF-8 and valid JSON; json-c escapes '"', '\\' and the
 * control characters below 0x20 (DEL goes out as it is, as JSON allows).
 *
 * Usage errors (a value where a key is due, unbalanced ends, nesting past
 * JSON_MAX_DEPTH) are programming errors: they set j->misuse, and
 * json_finish() reports them, as it reports running out of memory and
 * write errors of the stream.
 */
#ifndef URINGCTL_JSON_H
#define URINGCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json_object;

struct json {
	FILE			*f;
	bool			pretty;		/* newlines and two-space indents */
	bool			misuse;		/* the writer was used wrongly */
	bool			oom;		/* json-c could not allocate */
	int			depth;		/* open objects and arrays */
	struct json_object	*stack[JSON_MAX_DEPTH];
	struct json_object	*root;
	bool			null_root;	/* the document is null */
	char			*key;		/* the key of the next value */
	bool			done;		/* the top-level value is complete */
};

void json_init(struct json *j, FILE *f, bool pretty);
/*
 * Write the document and free it: 0 when it was complete and written, else
 * -errno (-EINVAL misuse, -ENOMEM, or the stream's error).
 */
int json_finish(struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
void json_string_n(struct json *j, const void *s, size_t len);
void json_u64(struct json *j, uint64_t v);
void json_s64(struct json *j, int64_t v);
/* Finite numbers as the shortest round-trip form; NaN and infinities: null. */
void json_double(struct json *j, double v);
void json_boolean(struct json *j, bool v);
void json_null(struct json *j);

/* key + value in one call */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_s64(struct json *j, const char *key, int64_t v);
void json_kv_double(struct json *j, const char *key, double v);
void json_kv_bool(struct json *j, const char *key, bool v);
/* len bytes as base64 (RFC 4648, padded); out of memory sets j->oom */
void json_kv_base64(struct json *j, const char *key, const void *data,
		    size_t len);

/* The base64 form of n bytes: its length, and the encoder (out gets a NUL). */
#define JSON_BASE64_LEN(n)	(((n) + 2) / 3 * 4)
size_t json_base64(const void *data, size_t n, char *out);

/*
 * The escaped form of len bytes, quotes included, into out (NUL-terminated,
 * truncated to size). Returns the length of the whole escaped form, like
 * snprintf().
 */
size_t json_escape(const void *s, size_t len, char *out, size_t size);

#endif /* URINGCTL_JSON_H */
