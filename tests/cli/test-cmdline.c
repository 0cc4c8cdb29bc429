/* SPDX-License-Identifier: MIT */
/*
 * cli/cmdline.c: the command line, what it parses to, and the message of
 * every kind of usage error (missing, extra, non-numeric, out-of-range
 * arguments, unknown commands and options, conflicts).
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "cmdline.h"
#include "test.h"

T_DEFINE_COUNTERS;

#define CHECK_STR(got, want) do {					\
	const char *t_g_ = (got), *t_w_ = (want);			\
	t_checks++;							\
	if (!t_g_ || strcmp(t_g_, t_w_)) {				\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: got '%s', want '%s'\n",	\
			__FILE__, __LINE__, __func__, t_g_ ? t_g_ : "(null)", \
			t_w_);						\
	}								\
} while (0)

static char err[256];

/* Parse "uringctl" + the words up to NULL, with $MISCURING_DEVICE env. */
static int parse_env(struct uc_cmdline *cl, const char *env, ...)
{
	char *argv[64];
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"uringctl";
	va_start(ap, env);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return uc_parse(argc, argv, env, cl, err, sizeof(err));
}

#define parse(cl, ...)	parse_env(cl, NULL, __VA_ARGS__, (char *)NULL)

/* A usage error with exactly this message. */
#define BAD(msg, ...) do {						\
	struct uc_cmdline t_cl_;					\
	CHECK_EQ(parse(&t_cl_, __VA_ARGS__), 2);			\
	CHECK_STR(err, msg);						\
	CHECK(t_cl_.cmds == NULL && t_cl_.ncmds == 0);			\
} while (0)

static void test_basic(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse(&cl, "get"), 0);
	CHECK_EQ(cl.action, UC_RUN);
	CHECK_EQ(cl.ncmds, 1);
	CHECK_EQ(cl.cmds[0].id, UC_GET);
	CHECK_STR(cl.device, "/dev/miscuring");
	CHECK(!cl.json && !cl.quiet && !cl.read_only);
	CHECK(!uc_needs_write(&cl) && !uc_needs_sys_admin(&cl));
	uc_cmdline_free(&cl);

	CHECK_EQ(parse(&cl, "set", "5", "get"), 0);
	CHECK_EQ(cl.ncmds, 2);
	CHECK_EQ(cl.cmds[0].id, UC_SET);
	CHECK_EQ(cl.cmds[0].u.set.value, 5);
	CHECK_EQ(cl.cmds[1].id, UC_GET);
	CHECK(uc_needs_write(&cl));
	uc_cmdline_free(&cl);

	CHECK_EQ(parse(&cl, "set", "18446744073709551615", "set", "0x10"), 0);
	CHECK(cl.cmds[0].u.set.value == UINT64_MAX);
	CHECK_EQ(cl.cmds[1].u.set.value, 16);
	uc_cmdline_free(&cl);

	/* every command by name */
	CHECK_EQ(parse(&cl, "info", "hello", "get", "nop", "stats", "bench",
		       "echo", "x", "delay", "0", "wait", "1", "raw", "--op", "1"), 0);
	CHECK_EQ(cl.ncmds, 10);
	CHECK(cl.cmds[0].id == UC_INFO && cl.cmds[1].id == UC_HELLO &&
	      cl.cmds[2].id == UC_GET && cl.cmds[3].id == UC_NOP &&
	      cl.cmds[4].id == UC_STATS && cl.cmds[5].id == UC_BENCH &&
	      cl.cmds[6].id == UC_ECHO && cl.cmds[7].id == UC_DELAY &&
	      cl.cmds[8].id == UC_WAIT && cl.cmds[9].id == UC_RAW);
	uc_cmdline_free(&cl);
}

static void test_globals(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse_env(&cl, "/dev/env", "get", (char *)NULL), 0);
	CHECK_STR(cl.device, "/dev/env");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse_env(&cl, "", "get", (char *)NULL), 0);
	CHECK_STR(cl.device, "/dev/miscuring");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse_env(&cl, "/dev/env", "--device", "/dev/opt", "get", (char *)NULL), 0);
	CHECK_STR(cl.device, "/dev/opt");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "get", "-d/dev/x"), 0);
	CHECK_STR(cl.device, "/dev/x");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "--device=/dev/y", "get"), 0);
	CHECK_STR(cl.device, "/dev/y");
	uc_cmdline_free(&cl);

	/* anywhere on the line, short ones bundled */
	CHECK_EQ(parse(&cl, "get", "--json", "-r"), 0);
	CHECK(cl.json && cl.read_only && !cl.quiet);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "-jr", "get"), 0);
	CHECK(cl.json && cl.read_only);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "-qd", "/dev/z", "get"), 0);
	CHECK(cl.quiet);
	CHECK_STR(cl.device, "/dev/z");
	uc_cmdline_free(&cl);

	BAD("--json and --quiet exclude each other", "-j", "-q", "get");
	BAD("--json and --quiet exclude each other", "-jq", "get");
	BAD("option '--json' takes no value", "--json=1", "get");
	BAD("option '--device' needs a value (PATH)", "get", "--device");
	BAD("option '--device' needs a path, not ''", "--device", "", "get");
	BAD("option '--device' needs a path, not ''", "--device=", "get");
	BAD("unknown option '--bogus'", "--bogus", "get");
	BAD("unknown option '-x'", "-x", "get");
	BAD("get: unknown option '-x'", "get", "-jx");
	BAD("get: unknown option '--count'", "get", "--count", "5");
	BAD("unknown option '--count'", "--count", "5", "nop");
	BAD("get: unknown option '--js'", "get", "--js");
}

static void test_help_version(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse(&cl, "--help"), 0);
	CHECK_EQ(cl.action, UC_SHOW_HELP);
	CHECK_EQ(cl.help_topic, -1);
	CHECK(cl.cmds == NULL);
	CHECK_EQ(parse(&cl, "nop", "-h"), 0);
	CHECK_EQ(cl.action, UC_SHOW_HELP);
	CHECK_EQ(cl.help_topic, UC_NOP);
	CHECK_EQ(parse(&cl, "get", "set", "--help", "bogus"), 0);
	CHECK_EQ(cl.help_topic, UC_SET);
	CHECK_EQ(parse(&cl, "-V", "bogus"), 0);
	CHECK_EQ(cl.action, UC_SHOW_VERSION);
	CHECK_EQ(parse(&cl, "--version"), 0);
	CHECK_EQ(cl.action, UC_SHOW_VERSION);

	CHECK_EQ(parse(&cl, "help"), 0);
	CHECK_EQ(cl.action, UC_RUN);
	CHECK_EQ(cl.cmds[0].id, UC_HELP);
	CHECK_EQ(cl.cmds[0].u.help.topic, -1);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "help", "wait"), 0);
	CHECK_EQ(cl.cmds[0].u.help.topic, UC_WAIT);
	uc_cmdline_free(&cl);
	BAD("help: unknown command 'bogus'", "help", "bogus");
	BAD("help goes alone, not with other commands", "help", "get", "info");
	BAD("help goes alone, not with other commands", "get", "help");
	/* a usage error before --help is still one */
	BAD("set: VALUE 'abc' is not a number", "set", "abc", "--help");
}

static void test_commands(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse_env(&cl, NULL, (char *)NULL), 2);
	CHECK_STR(err, "no command given");
	CHECK(cl.cmds == NULL);
	BAD("no command given", "--json");
	BAD("unknown command 'bogus'", "bogus");
	BAD("unknown command 'Get'", "Get");
	BAD("get: unexpected argument 'extra'", "get", "extra");
	BAD("info: unexpected argument '5'", "info", "5");
	BAD("set: unexpected argument '2'", "set", "1", "2");
	BAD("'--' at the end: an argument should follow it", "get", "--");

	/* "--" makes the next word an argument; "-5" is never an option */
	CHECK_EQ(parse(&cl, "--", "get"), 0);
	CHECK_EQ(cl.cmds[0].id, UC_GET);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "echo", "--", "-x", "echo", "-5", "echo", "--", "--"), 0);
	CHECK_STR(cl.cmds[0].u.echo.data, "-x");
	CHECK_STR(cl.cmds[1].u.echo.data, "-5");
	CHECK_STR(cl.cmds[2].u.echo.data, "--");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "echo", "get"), 0);
	CHECK_EQ(cl.ncmds, 1);
	CHECK_STR(cl.cmds[0].u.echo.data, "get");
	uc_cmdline_free(&cl);
	BAD("echo: unknown option '-x'", "echo", "-x");
	/* the first usage error counts, wherever it is */
	BAD("set: VALUE 'x' is not a number", "stats", "--reset", "info", "set", "x");
}

static void test_set_wait(void)
{
	struct uc_cmdline cl;

	BAD("set: missing VALUE", "set");
	BAD("set: missing VALUE", "set", "get");
	BAD("set: VALUE 'abc' is not a number", "set", "abc");
	BAD("set: VALUE '5x' is not a number", "set", "5x");
	BAD("set: VALUE '' is not a number", "set", "");
	BAD("set: VALUE '1.5' is not a number", "set", "1.5");
	BAD("set: VALUE '-1' is out of range (0..18446744073709551615)", "set", "-1");
	BAD("set: VALUE '18446744073709551616' is out of range (0..18446744073709551615)",
	    "set", "18446744073709551616");

	CHECK_EQ(parse(&cl, "wait", "5"), 0);
	CHECK_EQ(cl.cmds[0].u.wait.value, 5);
	CHECK_EQ(cl.cmds[0].u.wait.timeout_usec, UC_WAIT_TIMEOUT_DEFAULT);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "wait", "-t", "0", "7", "wait", "8", "--timeout=10000000"), 0);
	CHECK_EQ(cl.cmds[0].u.wait.timeout_usec, 0);
	CHECK_EQ(cl.cmds[0].u.wait.value, 7);
	CHECK_EQ(cl.cmds[1].u.wait.timeout_usec, 10000000);
	CHECK_EQ(cl.cmds[1].u.wait.value, 8);
	uc_cmdline_free(&cl);
	BAD("wait: missing VALUE", "wait");
	BAD("wait: missing VALUE", "wait", "-t", "5");
	BAD("wait: --timeout '10000001' is out of range (0..10000000)",
	    "wait", "--timeout", "10000001", "0");
	BAD("wait: -t 'soon' is not a number", "wait", "-t", "soon", "0");
	BAD("wait: option '--timeout' needs a value (USEC)", "wait", "0", "--timeout");
}

static void test_nop_echo_delay_stats(void)
{
	char long_data[UC_ECHO_MAX + 2];
	struct uc_cmdline cl;

	CHECK_EQ(parse(&cl, "nop"), 0);
	CHECK_EQ(cl.cmds[0].u.nop.count, 1);
	CHECK_EQ(cl.cmds[0].u.nop.batch, 1);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "nop", "-n5", "-b", "4096", "nop", "--count=7", "--batch=1"), 0);
	CHECK_EQ(cl.cmds[0].u.nop.count, 5);
	CHECK_EQ(cl.cmds[0].u.nop.batch, 4096);
	CHECK_EQ(cl.cmds[1].u.nop.count, 7);
	uc_cmdline_free(&cl);
	BAD("nop: -n '0' is out of range (1..18446744073709551615)", "nop", "-n", "0");
	BAD("nop: --batch '4097' is out of range (1..4096)", "nop", "--batch", "4097");
	BAD("nop: -b '0' is out of range (1..4096)", "nop", "-b0");
	BAD("nop: -n 'x' is not a number", "nop", "-n", "x");
	BAD("nop: option '-n' needs a value (COUNT)", "nop", "-n");
	BAD("nop: option '--count' needs a value (COUNT)", "nop", "--count");

	memset(long_data, 'x', UC_ECHO_MAX);
	long_data[UC_ECHO_MAX] = '\0';
	CHECK_EQ(parse(&cl, "echo", long_data, "echo", ""), 0);
	CHECK_EQ(cl.cmds[0].u.echo.len, UC_ECHO_MAX);
	CHECK_EQ(cl.cmds[1].u.echo.len, 0);
	uc_cmdline_free(&cl);
	long_data[UC_ECHO_MAX] = 'x';
	long_data[UC_ECHO_MAX + 1] = '\0';
	BAD("echo: DATA is 65 bytes, at most 64", "echo", long_data);
	BAD("echo: missing DATA", "echo");

	CHECK_EQ(parse(&cl, "delay", "100", "--result", "-5", "delay", "10000000"), 0);
	CHECK_EQ(cl.cmds[0].u.delay.usec, 100);
	CHECK_EQ(cl.cmds[0].u.delay.result, -5);
	CHECK_EQ(cl.cmds[1].u.delay.usec, 10000000);
	CHECK_EQ(cl.cmds[1].u.delay.result, 0);
	uc_cmdline_free(&cl);
	BAD("delay: missing USEC", "delay");
	BAD("delay: USEC '10000001' is out of range (0..10000000)", "delay", "10000001");
	BAD("delay: USEC '-1' is out of range (0..10000000)", "delay", "-1");
	BAD("delay: USEC '1ms' is not a number", "delay", "1ms");
	BAD("delay: --result '2147483648' is out of range (-2147483648..2147483647)",
	    "delay", "1", "--result", "2147483648");
	BAD("delay: --result '-2147483649' is out of range (-2147483648..2147483647)",
	    "delay", "1", "--result=-2147483649");

	CHECK_EQ(parse(&cl, "stats"), 0);
	CHECK(!cl.cmds[0].u.stats.reset && !uc_needs_sys_admin(&cl));
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "get", "stats", "--reset"), 0);
	CHECK(cl.cmds[1].u.stats.reset && uc_needs_sys_admin(&cl));
	uc_cmdline_free(&cl);
	BAD("option '--reset' takes no value", "stats", "--reset=yes");
	BAD("stats: unknown option '--bogus'", "stats", "--bogus");
}

static void test_bench(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse(&cl, "bench"), 0);
	CHECK_EQ(cl.cmds[0].u.bench.nops, 4);
	CHECK(cl.cmds[0].u.bench.ops[0] == UC_BENCH_NOP &&
	      cl.cmds[0].u.bench.ops[1] == UC_BENCH_GET &&
	      cl.cmds[0].u.bench.ops[2] == UC_BENCH_DELAY &&
	      cl.cmds[0].u.bench.ops[3] == UC_BENCH_IOCTL);
	CHECK_EQ(cl.cmds[0].u.bench.nbatches, 4);
	CHECK(cl.cmds[0].u.bench.batches[0] == 1 && cl.cmds[0].u.bench.batches[1] == 8 &&
	      cl.cmds[0].u.bench.batches[2] == 32 && cl.cmds[0].u.bench.batches[3] == 128);
	CHECK(cl.cmds[0].u.bench.seconds == 1.0);
	CHECK_EQ(cl.cmds[0].u.bench.count, 0);
	CHECK_EQ(cl.cmds[0].u.bench.nsizes, 1);
	CHECK_EQ(cl.cmds[0].u.bench.sizes[0], 4096);
	uc_cmdline_free(&cl);

	CHECK_EQ(parse(&cl, "bench", "--ops", "ioctl,nop", "-b", "2,4", "-s", "0.5"), 0);
	CHECK_EQ(cl.cmds[0].u.bench.nops, 2);
	CHECK(cl.cmds[0].u.bench.ops[0] == UC_BENCH_IOCTL &&
	      cl.cmds[0].u.bench.ops[1] == UC_BENCH_NOP);
	CHECK_EQ(cl.cmds[0].u.bench.nbatches, 2);
	CHECK(cl.cmds[0].u.bench.batches[0] == 2 && cl.cmds[0].u.bench.batches[1] == 4);
	CHECK(cl.cmds[0].u.bench.seconds == 0.5);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "bench", "--ops", "read_fixed,writev", "--sizes", "512,1048576"), 0);
	CHECK_EQ(cl.cmds[0].u.bench.nops, 2);
	CHECK(cl.cmds[0].u.bench.ops[0] == UC_BENCH_READ_FIXED &&
	      cl.cmds[0].u.bench.ops[1] == UC_BENCH_WRITEV);
	CHECK_EQ(cl.cmds[0].u.bench.nsizes, 2);
	CHECK(cl.cmds[0].u.bench.sizes[0] == 512 && cl.cmds[0].u.bench.sizes[1] == 1048576);
	uc_cmdline_free(&cl);

	CHECK_EQ(parse(&cl, "bench", "-n", "100"), 0);
	CHECK_EQ(cl.cmds[0].u.bench.count, 100);
	uc_cmdline_free(&cl);

	BAD("bench: --seconds and --count exclude each other", "bench", "-s", "1", "-n", "5");
	BAD("bench: --seconds and --count exclude each other", "bench", "--count=5", "--seconds=1");
	BAD("bench: --ops 'nop,foo' is not a list of nop, get, delay, ioctl, "
	    "read, write, readv, writev, read_fixed, write_fixed",
	    "bench", "--ops", "nop,foo");
	BAD("bench: --ops 'nop,nop' names an item twice", "bench", "--ops", "nop,nop");
	BAD("bench: --ops '' is not a list of nop, get, delay, ioctl, "
	    "read, write, readv, writev, read_fixed, write_fixed", "bench", "--ops", "");
	BAD("bench: -b '8,8' names an item twice", "bench", "-b", "8,8");
	BAD("bench: --batch '1,0' is out of range (1..4096, at most 16 sizes)",
	    "bench", "--batch", "1,0");
	BAD("bench: --batch '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17' is out of range (1..4096, at most 16 sizes)",
	    "bench", "--batch", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17");
	BAD("bench: --batch '1,,2' is not a list of numbers (1,8,32)", "bench", "--batch", "1,,2");
	BAD("bench: --sizes '1048577' is out of range (1..1048576, at most 8 sizes)",
	    "bench", "--sizes", "1048577");
	BAD("bench: --sizes '1,2,3,4,5,6,7,8,9' is out of range (1..1048576, at most 8 sizes)",
	    "bench", "--sizes", "1,2,3,4,5,6,7,8,9");
	BAD("bench: --sizes '4k' is not a list of numbers (512,4096)", "bench", "--sizes", "4k");
	BAD("bench: -s '0' is out of range (0.001..3600)", "bench", "-s", "0");
	BAD("bench: --seconds '1e3' is not a number of seconds", "bench", "--seconds", "1e3");
	BAD("bench: -n '0' is out of range (1..18446744073709551615)", "bench", "-n", "0");
}

static void test_raw(void)
{
	struct uc_cmdline cl;
	char hex81[2 * 81 + 1], hex80[2 * 80 + 1];

	CHECK_EQ(parse(&cl, "raw", "--op", "0x4d550001", "--payload", "0102", "--sqe128", "--cqe32"), 0);
	CHECK_EQ(cl.cmds[0].u.raw.op, 0x4d550001);
	CHECK_EQ(cl.cmds[0].u.raw.len, 2);
	CHECK(cl.cmds[0].u.raw.payload[0] == 1 && cl.cmds[0].u.raw.payload[1] == 2);
	CHECK(cl.cmds[0].u.raw.sqe128 && cl.cmds[0].u.raw.cqe32);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "raw", "--op", "4294967295"), 0);
	CHECK(cl.cmds[0].u.raw.op == UINT32_MAX && cl.cmds[0].u.raw.len == 0);
	CHECK(!cl.cmds[0].u.raw.sqe128 && !cl.cmds[0].u.raw.cqe32);
	uc_cmdline_free(&cl);

	memset(hex80, '0', sizeof(hex80) - 1);
	hex80[sizeof(hex80) - 1] = '\0';
	memset(hex81, 'f', sizeof(hex81) - 1);
	hex81[sizeof(hex81) - 1] = '\0';
	/* --sqe128 may come after --payload */
	CHECK_EQ(parse(&cl, "raw", "--op", "1", "--payload", hex80, "--sqe128"), 0);
	CHECK_EQ(cl.cmds[0].u.raw.len, 80);
	uc_cmdline_free(&cl);
	BAD("raw: --payload is 80 bytes, at most 16 without --sqe128",
	    "raw", "--op", "1", "--payload", hex80);
	BAD("raw: --payload is 81 bytes, at most 80", "raw", "--sqe128", "--op", "1",
	    "--payload", hex81);
	BAD("raw: missing --op N", "raw");
	BAD("raw: missing --op N", "raw", "--payload", "00");
	BAD("raw: --op '4294967296' is out of range (0..4294967295)", "raw", "--op", "4294967296");
	BAD("raw: --op 'nop' is not a number", "raw", "--op", "nop");
	BAD("raw: --payload '123' is not hex bytes (an even number of hex digits)",
	    "raw", "--op", "1", "--payload", "123");
	BAD("raw: --payload 'zz' is not hex bytes (an even number of hex digits)",
	    "raw", "--op", "1", "--payload", "zz");
}

static void test_read_write(void)
{
	struct uc_cmdline cl;

	CHECK_EQ(parse(&cl, "read", "0x10", "4096"), 0);
	CHECK_EQ(cl.ncmds, 1);
	CHECK_EQ(cl.cmds[0].id, UC_READ);
	CHECK_EQ(cl.cmds[0].u.rw.offset, 16);
	CHECK_EQ(cl.cmds[0].u.rw.len, 4096);
	CHECK(!cl.cmds[0].u.rw.fixed && !cl.cmds[0].u.rw.async &&
	      !cl.cmds[0].u.rw.vectored);
	CHECK(!uc_needs_write(&cl));
	uc_cmdline_free(&cl);
	/* options anywhere after the name, then the next command */
	CHECK_EQ(parse(&cl, "read", "--fixed", "0", "--async", "16777216",
		       "--vectored", "1024", "get"), 0);
	CHECK_EQ(cl.ncmds, 2);
	CHECK(cl.cmds[0].u.rw.fixed && cl.cmds[0].u.rw.async);
	CHECK_EQ(cl.cmds[0].u.rw.vectored, 1024);
	CHECK_EQ(cl.cmds[0].u.rw.len, UC_RW_MAX);
	CHECK_EQ(cl.cmds[1].id, UC_GET);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "read", "9223372036854775807", "0"), 0);
	CHECK_EQ(cl.cmds[0].u.rw.offset, INT64_MAX);
	uc_cmdline_free(&cl);

	/* write: DATA is the next word, whatever it is; without it, stdin */
	CHECK_EQ(parse(&cl, "write", "5", "get"), 0);
	CHECK_EQ(cl.ncmds, 1);
	CHECK_EQ(cl.cmds[0].id, UC_WRITE);
	CHECK_EQ(cl.cmds[0].u.rw.offset, 5);
	CHECK_STR(cl.cmds[0].u.rw.data, "get");
	CHECK_EQ(cl.cmds[0].u.rw.data_len, 3);
	CHECK(uc_needs_write(&cl));
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "get", "write", "0", "--vectored=2"), 0);
	CHECK_EQ(cl.ncmds, 2);
	CHECK(cl.cmds[1].u.rw.data == NULL && cl.cmds[1].u.rw.data_len == 0);
	CHECK_EQ(cl.cmds[1].u.rw.vectored, 2);
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "write", "0", "--", "-x"), 0);
	CHECK_STR(cl.cmds[0].u.rw.data, "-x");
	uc_cmdline_free(&cl);
	CHECK_EQ(parse(&cl, "write", "0", ""), 0);
	CHECK(cl.cmds[0].u.rw.data != NULL && cl.cmds[0].u.rw.data_len == 0);
	uc_cmdline_free(&cl);

	BAD("read: missing OFFSET", "read");
	BAD("read: missing OFFSET", "read", "get");
	BAD("read: missing LEN", "read", "0");
	BAD("read: missing LEN", "read", "0", "get");
	BAD("read: OFFSET 'x' is not a number", "read", "x", "1");
	BAD("read: OFFSET '-1' is out of range (0..9223372036854775807)", "read", "-1", "1");
	BAD("read: OFFSET '9223372036854775808' is out of range (0..9223372036854775807)",
	    "read", "9223372036854775808", "1");
	BAD("read: LEN '16777217' is out of range (0..16777216)", "read", "0", "16777217");
	BAD("read: LEN '1k' is not a number", "read", "0", "1k");
	BAD("read: --async needs --fixed (MISCURING_RW_ASYNC is for registered buffers)",
	    "read", "0", "1", "--async");
	BAD("write: --async needs --fixed (MISCURING_RW_ASYNC is for registered buffers)",
	    "write", "0", "--async", "x");
	BAD("read: --vectored '0' is out of range (1..1024)", "read", "0", "1", "--vectored", "0");
	BAD("write: --vectored '1025' is out of range (1..1024)", "write", "0", "--vectored", "1025");
	BAD("read: option '--vectored' needs a value (N)", "read", "0", "1", "--vectored");
	BAD("option '--fixed' takes no value", "read", "0", "1", "--fixed=1");
	BAD("write: missing OFFSET", "write");
	BAD("write: OFFSET 'abc' is not a number", "write", "abc");
	BAD("read: unexpected argument '3'", "read", "1", "2", "3");
	BAD("get: unknown option '--fixed'", "get", "--fixed");
}

int main(void)
{
	test_basic();
	test_globals();
	test_help_version();
	test_commands();
	test_set_wait();
	test_nop_echo_delay_stats();
	test_bench();
	test_raw();
	test_read_write();
	return t_report("test-cmdline");
}
