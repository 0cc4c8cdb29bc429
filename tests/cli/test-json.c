/* SPDX-License-Identifier: MIT */
/*
 * cli/json.c: string escaping (quotes, backslashes, control characters,
 * UTF-8 passed through, every ill-formed sequence one U+FFFD), numbers,
 * document structure and misuse.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test.h"

T_DEFINE_COUNTERS;

#define CHECK_STR(got, want) do {					\
	const char *t_g_ = (got), *t_w_ = (want);			\
	t_checks++;							\
	if (strcmp(t_g_, t_w_)) {					\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: got %s, want %s\n",		\
			__FILE__, __LINE__, __func__, t_g_, t_w_);	\
	}								\
} while (0)

/* The escaped form of n bytes. */
static const char *esc(const char *s, size_t n)
{
	static char buf[1024];
	size_t len = json_escape(s, n, buf, sizeof(buf));

	REQUIRE(len < sizeof(buf));
	REQUIRE(strlen(buf) == len);
	return buf;
}

#define ESC(lit)	esc(lit, sizeof(lit) - 1)

static void test_escape_ascii(void)
{
	CHECK_STR(ESC(""), "\"\"");
	CHECK_STR(ESC("plain text / 123"), "\"plain text / 123\"");
	CHECK_STR(ESC("a\"b"), "\"a\\\"b\"");
	CHECK_STR(ESC("back\\slash"), "\"back\\\\slash\"");
	CHECK_STR(ESC("\\\""), "\"\\\\\\\"\"");
	CHECK_STR(ESC("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	CHECK_STR(ESC("\x01\x02\x1b\x1f"), "\"\\u0001\\u0002\\u001b\\u001f\"");
	/* DEL needs no escape in JSON, and json-c gives it none */
	CHECK_STR(ESC("\x7f"), "\"\x7f\"");
	CHECK_STR(ESC(" ~"), "\" ~\"");
	/* NUL is data, not the end, in a counted string */
	CHECK_STR(ESC("a\0b"), "\"a\\u0000b\"");
}

static void test_escape_utf8(void)
{
	/* well-formed: passed through as they are */
	CHECK_STR(ESC("\xc3\xa9"), "\"\xc3\xa9\"");			/* U+00E9 */
	CHECK_STR(ESC("\xc2\x80"), "\"\xc2\x80\"");			/* U+0080 */
	CHECK_STR(ESC("\xdf\xbf"), "\"\xdf\xbf\"");			/* U+07FF */
	CHECK_STR(ESC("\xe0\xa0\x80"), "\"\xe0\xa0\x80\"");		/* U+0800 */
	CHECK_STR(ESC("\xe2\x82\xac"), "\"\xe2\x82\xac\"");		/* U+20AC */
	CHECK_STR(ESC("\xed\x9f\xbf"), "\"\xed\x9f\xbf\"");		/* U+D7FF */
	CHECK_STR(ESC("\xee\x80\x80"), "\"\xee\x80\x80\"");		/* U+E000 */
	CHECK_STR(ESC("\xef\xbf\xbf"), "\"\xef\xbf\xbf\"");		/* U+FFFF */
	CHECK_STR(ESC("\xf0\x90\x80\x80"), "\"\xf0\x90\x80\x80\"");	/* U+10000 */
	CHECK_STR(ESC("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");	/* U+1F600 */
	CHECK_STR(ESC("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");	/* U+10FFFF */
	CHECK_STR(ESC("h\xc3\xa9llo \xe2\x82\xac!"), "\"h\xc3\xa9llo \xe2\x82\xac!\"");
}

static void test_escape_invalid(void)
{
#define R	"\xef\xbf\xbd"	/* U+FFFD, as UTF-8 */
	/* bytes that never start a sequence */
	CHECK_STR(ESC("\x80"), "\"" R "\"");
	CHECK_STR(ESC("\xbf"), "\"" R "\"");
	CHECK_STR(ESC("\xc0"), "\"" R "\"");
	CHECK_STR(ESC("\xc1"), "\"" R "\"");
	CHECK_STR(ESC("\xf5"), "\"" R "\"");
	CHECK_STR(ESC("\xfe\xff"), "\"" R R "\"");
	CHECK_STR(ESC("a\xff" "b"), "\"a" R "b\"");
	/* overlong forms: the lead byte is the whole maximal subpart */
	CHECK_STR(ESC("\xc0\xaf"), "\"" R R "\"");
	CHECK_STR(ESC("\xe0\x80\xaf"), "\"" R R R "\"");
	CHECK_STR(ESC("\xf0\x80\x80\xaf"), "\"" R R R R "\"");
	/* surrogates U+D800..U+DFFF */
	CHECK_STR(ESC("\xed\xa0\x80"), "\"" R R R "\"");
	CHECK_STR(ESC("\xed\xbf\xbf"), "\"" R R R "\"");
	/* above U+10FFFF */
	CHECK_STR(ESC("\xf4\x90\x80\x80"), "\"" R R R R "\"");
	/* truncated: the prefix is one U+FFFD, what breaks it starts over */
	CHECK_STR(ESC("\xe2\x82"), "\"" R "\"");
	CHECK_STR(ESC("\xe2\x82" "A"), "\"" R "A\"");
	CHECK_STR(ESC("\xf0\x9f\x98"), "\"" R "\"");
	CHECK_STR(ESC("\xf0\x9f\x98\xc3\xa9"), "\"" R "\xc3\xa9\"");
	CHECK_STR(ESC("\xc3"), "\"" R "\"");
	CHECK_STR(ESC("\xc3\""), "\"" R "\\\"\"");
	CHECK_STR(ESC("\xe2\x82\n"), "\"" R "\\n\"");
	/* the Unicode standard's example (table 3-8) */
	CHECK_STR(ESC("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64"),
		  "\"a" R R R "b" R "c" R R "d\"");
#undef R
}

/* json_escape() into a short buffer: truncated, terminated, full length. */
static void test_escape_truncated(void)
{
	char small[5];
	size_t len = json_escape("abcdef", 6, small, sizeof(small));

	CHECK_EQ(len, 8);
	CHECK_STR(small, "\"abc");
	len = json_escape("a\"", 2, small, 1);
	CHECK_EQ(len, 5);
	CHECK_STR(small, "");
	CHECK_EQ(json_escape("x", 1, NULL, 0), 3);
}

/*
 * RFC 3629's UTF8-octets ABNF, written out independently of json.c: true
 * if the n bytes at p are well-formed UTF-8.
 */
static int rfc3629(const unsigned char *p, size_t n)
{
	size_t i = 0;

#define IN(k, lo, hi)	(i + (k) < n && p[i + (k)] >= (lo) && p[i + (k)] <= (hi))
#define TAIL(k)		IN(k, 0x80, 0xbf)
	while (i < n) {
		if (p[i] <= 0x7f)
			i += 1;
		else if (IN(0, 0xc2, 0xdf) && TAIL(1))
			i += 2;
		else if ((IN(0, 0xe0, 0xe0) && IN(1, 0xa0, 0xbf) && TAIL(2)) ||
			 (IN(0, 0xe1, 0xec) && TAIL(1) && TAIL(2)) ||
			 (IN(0, 0xed, 0xed) && IN(1, 0x80, 0x9f) && TAIL(2)) ||
			 (IN(0, 0xee, 0xef) && TAIL(1) && TAIL(2)))
			i += 3;
		else if ((IN(0, 0xf0, 0xf0) && IN(1, 0x90, 0xbf) && TAIL(2) && TAIL(3)) ||
			 (IN(0, 0xf1, 0xf3) && TAIL(1) && TAIL(2) && TAIL(3)) ||
			 (IN(0, 0xf4, 0xf4) && IN(1, 0x80, 0x8f) && TAIL(2) && TAIL(3)))
			i += 4;
		else
			return 0;
	}
	return 1;
#undef IN
#undef TAIL
}

/*
 * Random byte strings, weighted towards the interesting bytes: every
 * escaped form must be a JSON string (quotes at the ends only, no raw
 * control character, only known escapes) of well-formed UTF-8, and a
 * well-formed input without ASCII to escape must come out unchanged.
 */
static void test_escape_random(void)
{
	static const unsigned char pool[] = {
		'a', '"', '\\', '\n', 0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc2,
		0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f,
		0x90, 0x8f,
	};
	unsigned char in[16];
	char out[256];
	unsigned seed = 12345;
	size_t n, len, i, k;
	int bad = 0, round;

	for (round = 0; round < 200000 && !bad; round++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % sizeof(in);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = pool[(seed >> 16) % sizeof(pool)];
		}
		len = json_escape(in, n, out, sizeof(out));
		if (len >= sizeof(out) || len < 2 || out[0] != '"' ||
		    out[len - 1] != '"' ||
		    !rfc3629((const unsigned char *)out, len)) {
			bad = 1;
			break;
		}
		for (k = 1; k < len - 1 && !bad; k++) {
			unsigned char c = (unsigned char)out[k];

			if (c < 0x20 || c == '"')
				bad = 1;
			else if (c == '\\') {
				c = (unsigned char)out[++k];
				if (c == 'u')
					k += 4;
				else if (!strchr("\"\\bfnrt", c))
					bad = 1;
			}
		}
		if (rfc3629(in, n) && !memchr(in, '"', n) && !memchr(in, '\\', n)) {
			int plain = 1;

			for (i = 0; i < n; i++)
				if (in[i] < 0x20)
					plain = 0;
			if (plain && (len != n + 2 || memcmp(out + 1, in, n)))
				bad = 1;
		}
	}
	if (bad) {
		fprintf(stderr, "round %d: input", round);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %02x", in[i]);
		fprintf(stderr, " -> %s\n", out);
	}
	CHECK(!bad);
}

/* Build a document with fn into a string. */
static char *doc(void (*fn)(struct json *j), bool pretty, int *finish)
{
	struct json j;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	REQUIRE(f);
	json_init(&j, f, pretty);
	fn(&j);
	*finish = json_finish(&j);
	fclose(f);
	return buf;
}

static void build_nested(struct json *j)
{
	json_object_begin(j);
	json_kv_u64(j, "output_version", 1);
	json_kv_string(j, "command", "get");
	json_key(j, "list");
	json_array_begin(j);
	json_u64(j, 1);
	json_object_begin(j);
	json_kv_bool(j, "ok", true);
	json_object_end(j);
	json_array_begin(j);
	json_array_end(j);
	json_null(j);
	json_array_end(j);
	json_key(j, "empty");
	json_object_begin(j);
	json_object_end(j);
	json_kv_s64(j, "neg", -5);
	json_object_end(j);
}

static void test_structure(void)
{
	int fin;
	char *s;

	s = doc(build_nested, false, &fin);
	CHECK_EQ(fin, 0);
	CHECK_STR(s, "{\"output_version\":1,\"command\":\"get\",\"list\":[1,{\"ok\":true},[],null],"
		     "\"empty\":{},\"neg\":-5}\n");
	free(s);
	s = doc(build_nested, true, &fin);
	CHECK_EQ(fin, 0);
	CHECK_STR(s, "{\n"
		     "  \"output_version\": 1,\n"
		     "  \"command\": \"get\",\n"
		     "  \"list\": [\n"
		     "    1,\n"
		     "    {\n"
		     "      \"ok\": true\n"
		     "    },\n"
		     "    [\n"
		     "    ],\n"
		     "    null\n"
		     "  ],\n"
		     "  \"empty\": {\n"
		     "  },\n"
		     "  \"neg\": -5\n"
		     "}\n");
	free(s);
}

static void build_numbers(struct json *j)
{
	json_array_begin(j);
	json_u64(j, UINT64_MAX);
	json_s64(j, INT64_MIN);
	json_double(j, 0.1);
	json_double(j, 2.5);
	json_double(j, 1e21);
	json_double(j, 1234567.125);
	json_double(j, -0.0);
	json_double(j, NAN);
	json_double(j, INFINITY);
	json_double(j, -INFINITY);
	json_double(j, 0);
	json_array_end(j);
}

static void test_numbers(void)
{
	int fin;
	char *s = doc(build_numbers, false, &fin);

	CHECK_EQ(fin, 0);
	CHECK_STR(s, "[18446744073709551615,-9223372036854775808,0.1,2.5,1e+21,"
		     "1234567.125,-0,null,null,null,0]\n");
	free(s);
}

/* The shortest form reads back as the same double. */
static void test_double_roundtrip(void)
{
	const double vs[] = { 1.0 / 3, 2.0 / 3, 1e-300, 5e-324, 1.7976931348623157e308,
			      123456.789, 4415285.123456789, 0.30000000000000004 };
	struct json j;
	char *buf = NULL;
	size_t size = 0, i;
	FILE *f;

	for (i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		f = open_memstream(&buf, &size);
		REQUIRE(f);
		json_init(&j, f, false);
		json_double(&j, vs[i]);
		CHECK_EQ(json_finish(&j), 0);
		fclose(f);
		CHECK(strtod(buf, NULL) == vs[i]);
		CHECK(strlen(buf) <= 25);
		free(buf);
		buf = NULL;
	}
}

static void bad_value_in_object(struct json *j)
{
	json_object_begin(j);
	json_u64(j, 1);			/* no key */
	json_object_end(j);
}

static void bad_key_in_array(struct json *j)
{
	json_array_begin(j);
	json_key(j, "k");
	json_array_end(j);
}

static void bad_two_docs(struct json *j)
{
	json_u64(j, 1);
	json_u64(j, 2);
}

static void bad_unbalanced(struct json *j)
{
	json_object_begin(j);
	json_array_end(j);
}

static void bad_unfinished(struct json *j)
{
	json_object_begin(j);
	json_key(j, "k");
}

static void bad_key_without_value(struct json *j)
{
	json_object_begin(j);
	json_key(j, "k");
	json_object_end(j);
}

static void bad_too_deep(struct json *j)
{
	int i;

	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array_begin(j);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array_end(j);
}

static void test_misuse(void)
{
	void (*const bad[])(struct json *) = {
		bad_value_in_object, bad_key_in_array, bad_two_docs,
		bad_unbalanced, bad_unfinished, bad_key_without_value,
		bad_too_deep,
	};
	size_t i;
	int fin;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(doc(bad[i], true, &fin));
		CHECK_EQ(fin, -EINVAL);
	}
}

/* A stream that fails: json_finish() reports it. */
static void test_write_error(void)
{
	struct json j;
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		return;
	json_init(&j, f, false);
	json_object_begin(&j);
	json_kv_string(&j, "k", "v");
	json_object_end(&j);
	CHECK_EQ(json_finish(&j), -ENOSPC);
	fclose(f);
}

/* RFC 4648's test vectors, and every byte value. */
static void test_base64(void)
{
	static const char *const want[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
	};
	unsigned char all[256];
	char out[JSON_BASE64_LEN(256) + 1];
	size_t i;

	for (i = 0; i < 7; i++) {
		CHECK_EQ(json_base64("foobar", i, out), JSON_BASE64_LEN(i));
		CHECK_STR(out, want[i]);
	}
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)(255 - i);
	CHECK_EQ(json_base64(all, 256, out), 344);
	CHECK(!strncmp(out, "//79/Pv6", 8));
	CHECK_STR(out + 336, "AwIBAA==");
}

int main(void)
{
	test_escape_ascii();
	test_escape_utf8();
	test_escape_invalid();
	test_escape_truncated();
	test_escape_random();
	test_structure();
	test_numbers();
	test_double_roundtrip();
	test_misuse();
	test_write_error();
	test_base64();
	return t_report("test-json");
}
