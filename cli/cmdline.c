/* SPDX-License-Identifier: MIT */
/*
 * The command-line grammar of cmdline.h: the command table (also used by
 * the help text) and the parser.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmiscuring.h>

#include "args.h"
#include "cmdline.h"

#define STR2(x)	#x
#define STR(x)	STR2(x)

enum {
	/* global */
	O_DEVICE = 1, O_FD, O_JSON, O_QUIET, O_READ_ONLY, O_HELP, O_VERSION,
	/* per command */
	O_COUNT, O_BATCH, O_RESULT, O_TIMEOUT, O_RESET, O_OPS, O_BATCHES,
	O_SECONDS, O_BENCH_COUNT, O_SIZES, O_OP, O_PAYLOAD, O_SQE128, O_CQE32,
	O_ADDR, O_LEN, O_ADDR3, O_BUF_INDEX, O_FILE_INDEX, O_CMD_FLAGS, O_IOPRIO,
	O_PERSONALITY, O_SQE_FLAGS, O_LEVEL, O_OPTNAME, O_OPTVAL, O_OPTLEN,
	O_DATA_HEX, O_DATA_FILE, O_DATA_LEN, O_DATA_AT, O_DATA_LEN_AT,
	O_DATA_FORMAT, O_NONZERO_FAILS, O_WATCH_COUNT, O_WATCH_TIMEOUT,
	O_WATCH_REARM, O_FIXED, O_VECTORED, O_ASYNC,
};

const struct uc_opt uc_global_opts[] = {
	{ "device", 'd', "PATH", O_DEVICE,
	  "the device ($" UC_DEVICE_ENV ", else " UC_DEFAULT_DEVICE ")" },
	{ "fd", 0, "N", O_FD,
	  "inherited descriptor N instead (a socket...)" },
	{ "json", 'j', NULL, O_JSON, "print one JSON document on stdout" },
	{ "quiet", 'q', NULL, O_QUIET, "print nothing on stdout; errors only" },
	{ "read-only", 'r', NULL, O_READ_ONLY, "open the device read-only" },
	{ "help", 'h', NULL, O_HELP, "show help (of the command it follows)" },
	{ "version", 'V', NULL, O_VERSION, "show uringctl's version" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt no_opts[] = { { NULL, 0, NULL, 0, NULL } };

static const struct uc_opt nop_opts[] = {
	{ "count", 'n', "COUNT", O_COUNT, "NOPs to send (default 1)" },
	{ "batch", 'b', "BATCH", O_BATCH,
	  "NOPs per system call, 1 to 4096 (default 1)" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt delay_opts[] = {
	{ "result", 0, "N", O_RESULT,
	  "the result the command completes with (default 0)" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt wait_opts[] = {
	{ "timeout", 't', "USEC", O_TIMEOUT,
	  "wait at most USEC us, up to 10000000 (default 1000000)" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt watch_opts[] = {
	{ "count", 'n', "N", O_WATCH_COUNT,
	  "end after N changes (default: run until interrupted)" },
	{ "timeout", 't', "USEC", O_WATCH_TIMEOUT,
	  "fail when no change comes for USEC us (default: wait for ever)" },
	{ "rearm", 0, NULL, O_WATCH_REARM,
	  "re-armed WAITs even where multishot WATCH works" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt rw_opts[] = {
	{ "fixed", 0, NULL, O_FIXED, "through a registered buffer" },
	{ "vectored", 0, "N", O_VECTORED,
	  "split the buffer into N iovecs, 1 to " STR(UC_RW_VECS_MAX) },
	{ "async", 0, NULL, O_ASYNC,
	  "copy in a worker (MISCURING_RW_ASYNC; needs --fixed)" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt stats_opts[] = {
	{ "reset", 0, NULL, O_RESET,
	  "then zero the counters (needs CAP_SYS_ADMIN)" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt bench_opts[] = {
	{ "ops", 0, "LIST", O_OPS,
	  "ops to run (default nop,get,delay,ioctl)" },
	{ "batch", 'b', "LIST", O_BATCHES,
	  "batch sizes, 1 to 4096 (default 1,8,32,128)" },
	{ "sizes", 0, "LIST", O_SIZES,
	  "bytes per data op, 1 to 1048576 (default 4096)" },
	{ "seconds", 's', "S", O_SECONDS,
	  "run each point for S seconds (default 1)" },
	{ "count", 'n', "N", O_BENCH_COUNT,
	  "run each point for N ops instead" },
	{ NULL, 0, NULL, 0, NULL }
};

static const struct uc_opt raw_opts[] = {
	{ "op", 0, "N", O_OP, "the command's cmd_op (required)" },
	{ "payload", 0, "HEX", O_PAYLOAD,
	  "payload bytes in hex: up to 16, 80 with --sqe128" },
	{ "sqe128", 0, NULL, O_SQE128, "128-byte SQEs: payloads up to 80 bytes" },
	{ "cqe32", 0, NULL, O_CQE32,
	  "32-byte CQEs: show the extra words (res2, res3)" },
	{ "addr", 0, "N", O_ADDR, "sqe->addr" },
	{ "len", 0, "N", O_LEN, "sqe->len" },
	{ "addr3", 0, "N", O_ADDR3, "sqe->addr3" },
	{ "buf-index", 0, "N", O_BUF_INDEX,
	  "sqe->buf_index, with IORING_URING_CMD_FIXED" },
	{ "file-index", 0, "N", O_FILE_INDEX, "sqe->file_index" },
	{ "uring-cmd-flags", 0, "N", O_CMD_FLAGS, "sqe->uring_cmd_flags" },
	{ "ioprio", 0, "N", O_IOPRIO, "sqe->ioprio" },
	{ "personality", 0, "N", O_PERSONALITY, "sqe->personality" },
	{ "sqe-flags", 0, "N", O_SQE_FLAGS, "sqe->flags (IOSQE_*)" },
	{ "level", 0, "N", O_LEVEL, "sqe->level (socket options)" },
	{ "optname", 0, "N", O_OPTNAME, "sqe->optname" },
	{ "optval", 0, "N", O_OPTVAL, "sqe->optval" },
	{ "optlen", 0, "N", O_OPTLEN, "sqe->optlen" },
	{ "data-hex", 0, "HEX", O_DATA_HEX, "the data buffer's first bytes" },
	{ "data-file", 0, "FILE", O_DATA_FILE, "... read from FILE" },
	{ "data-len", 0, "N", O_DATA_LEN,
	  "the buffer's size (default: the input's)" },
	{ "data-at", 0, "WHERE", O_DATA_AT,
	  "its address: addr, optval, addr3, or a payload offset" },
	{ "data-len-at", 0, "OFF", O_DATA_LEN_AT,
	  "its size as 4 bytes at payload offset OFF" },
	{ "data-format", 0, "FMT", O_DATA_FORMAT,
	  "the buffer on stdout after: hex (default), raw" },
	{ "nonzero-fails", 0, NULL, O_NONZERO_FAILS,
	  "a res above 0 fails too (an NVMe status)" },
	{ NULL, 0, NULL, 0, NULL }
};

const char *const uc_bench_op_names[UC_BENCH_OP_COUNT] = {
	[UC_BENCH_NOP] = "nop",
	[UC_BENCH_GET] = "get",
	[UC_BENCH_DELAY] = "delay",
	[UC_BENCH_IOCTL] = "ioctl",
	[UC_BENCH_READ] = "read",
	[UC_BENCH_WRITE] = "write",
	[UC_BENCH_READV] = "readv",
	[UC_BENCH_WRITEV] = "writev",
	[UC_BENCH_READ_FIXED] = "read_fixed",
	[UC_BENCH_WRITE_FIXED] = "write_fixed",
};

const struct uc_cmd_spec uc_cmd_specs[UC_CMD_COUNT] = {
	[UC_INFO] = { "info", { NULL }, 0, no_opts, "",
		"module and ABI versions, features, kernel, node",
		"Sends PROBE and prints what the module reports, with the\n"
		"running kernel (uname -r) and the device node.\n" },
	[UC_HELLO] = { "hello", { NULL }, 0, no_opts, "",
		"send HELLO: the module logs a greeting",
		"Prints nothing; the greeting is in the kernel log (dmesg).\n" },
	[UC_GET] = { "get", { NULL }, 0, no_opts, "",
		"print the open file's value (GET_VALUE)",
		"The value belongs to the open file: a new uringctl process sees\n"
		"0. Chain commands to use one file: uringctl set 5 get\n" },
	[UC_SET] = { "set", { "VALUE" }, 1, no_opts, "VALUE",
		"set the open file's value (SET_VALUE)",
		"VALUE: 0 to 18446744073709551615, decimal or 0x-hex. Prints\n"
		"nothing. Fails with EBADF on a device opened read-only.\n" },
	[UC_NOP] = { "nop", { NULL }, 0, nop_opts, "[-n|--count COUNT] [-b|--batch BATCH]",
		"send COUNT NOPs, BATCH per system call",
		"Prints the count, the time taken and the rate.\n" },
	[UC_ECHO] = { "echo", { "DATA" }, 1, no_opts, "DATA",
		"round-trip up to 64 bytes of DATA (ECHO)",
		"Prints the bytes the module copied back. DATA starting with\n"
		"'-' needs a '--' before it: uringctl echo -- -x\n" },
	[UC_DELAY] = { "delay", { "USEC" }, 1, delay_opts, "USEC [--result N]",
		"complete after USEC microseconds (DELAY)",
		"USEC: 0 to 10000000. Prints the result and the time taken;\n"
		"fails if the command completed with another result.\n" },
	[UC_WAIT] = { "wait", { "VALUE" }, 1, wait_opts,
		"[-t|--timeout USEC] VALUE",
		"wait until the value differs from VALUE",
		"Prints the value it changed to; fails with ETIMEDOUT if it\n"
		"did not change in time (0 only polls).\n" },
	[UC_STATS] = { "stats", { NULL }, 0, stats_opts, "[--reset]",
		"print the command counters (STATS)",
		"With --reset, prints the counters and then zeroes them\n"
		"(RESET_STATS, needs CAP_SYS_ADMIN). in_flight is never reset.\n" },
	[UC_BENCH] = { "bench", { NULL }, 0, bench_opts,
		"[--ops LIST] [--sizes LIST] [OPTION]...",
		"ops/s of NOP, GET, DELAY(0), ioctl, READ/WRITE",
		"Runs each op at each batch size (the ioctl, one call per op,\n"
		"at batch 1 only) and prints a table; uringctl(1) describes the\n"
		"JSON results for merging with other benchmarks. The data ops,\n"
		"run only when named: read, write (a user buffer), readv, writev\n"
		"(vectored), read_fixed, write_fixed (registered), at each of\n"
		"--sizes, with MB/s; they first overwrite the device's buffer\n"
		"from offset 0 up to the largest size.\n" },
	[UC_RAW] = { "raw", { NULL }, 0, raw_opts,
		"--op N [RAW-OPTION]...",
		"send any uring_cmd to any file (--device, --fd)",
		"Prints the completion's result (res), with --cqe32 its extra\n"
		"words (res2, res3), then the data buffer if there is one. Fails\n"
		"if res is negative. Numbers are decimal or 0x-hex.\n" },
	[UC_WATCH] = { "watch", { NULL }, 0, watch_opts,
		"[-n|--count N] [-t|--timeout USEC] [--rearm]",
		"print the value, then every change of it",
		"Prints the value, then one line per change: the new value and\n"
		"how many stores it stands for (more than 1 when stores came\n"
		"faster than they could be shown). Multishot WATCH where the\n"
		"module has it (kernels 6.18+), re-armed WAITs elsewhere, which\n"
		"count every change as 1 and may miss a value that changed\n"
		"twice between two WAITs. Ends cleanly on SIGINT or SIGTERM.\n" },
	[UC_READ] = { "read", { "OFFSET", "LEN" }, 2, rw_opts,
		"OFFSET LEN [--fixed [--async]] [--vectored N]",
		"LEN bytes of the shared buffer from OFFSET (READ)",
		"Writes the bytes the module copied, as they are, to stdout:\n"
		"fewer than LEN where the buffer ends (none past its end).\n"
		"LEN: 0 to " STR(UC_RW_MAX) ". With --json, an object with the\n"
		"offset, the bytes moved and the data in base64.\n" },
	[UC_WRITE] = { "write", { "OFFSET", "DATA" }, 1, rw_opts,
		"OFFSET [DATA] [--fixed [--async]] [--vectored N]",
		"write DATA or stdin to the shared buffer (WRITE)",
		"Without DATA writes what stdin holds (up to " STR(UC_RW_MAX) " bytes).\n"
		"DATA is the next word, even a command's name. Prints how many\n"
		"bytes the module took. Fails with EBADF on a device opened\n"
		"read-only.\n" },
	[UC_HELP] = { "help", { "COMMAND" }, 0, no_opts, "[COMMAND]",
		"show help, of all commands or of one", "" },
};

int uc_cmd_lookup(const char *name)
{
	int i;

	for (i = 0; i < UC_CMD_COUNT; i++)
		if (!strcmp(name, uc_cmd_specs[i].name))
			return i;
	return -1;
}

struct perr {
	char	*buf;
	size_t	len;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return 2;
}

/* A message for a value arg_*() rejected; kind says what it must be. */
static int bad_value(struct perr *e, const char *cmd, const char *what,
		     const char *val, int status, const char *kind,
		     const char *range)
{
	switch (status) {
	case ARG_RANGE:
		return fail(e, "%s: %s '%s' is out of range (%s)", cmd, what,
			    val, range);
	case ARG_DUPLICATE:
		return fail(e, "%s: %s '%s' names an item twice", cmd, what, val);
	default:
		return fail(e, "%s: %s '%s' is not %s", cmd, what, val, kind);
	}
}

/* A list of 1..max, at most maxn of them (bench's --batch and --sizes). */
static int u32_list(struct perr *e, const char *name, const char *opt,
		    const char *v, uint32_t max, uint32_t *out, size_t maxn,
		    size_t *n, const char *example)
{
	char kind[64];
	int ret = arg_u32_list(v, 1, max, out, maxn, n);

	if (ret == ARG_RANGE)
		return fail(e, "%s: %s '%s' is out of range (1..%" PRIu32
			    ", at most %zu sizes)", name, opt, v, max, maxn);
	snprintf(kind, sizeof(kind), "a list of numbers (%s)", example);
	return ret ? bad_value(e, name, opt, v, ret, kind, "") : 0;
}

static void cmd_defaults(struct uc_cmd *c)
{
	size_t i;

	switch (c->id) {
	case UC_NOP:
		c->u.nop.count = 1;
		c->u.nop.batch = 1;
		break;
	case UC_WAIT:
		c->u.wait.timeout_usec = UC_WAIT_TIMEOUT_DEFAULT;
		break;
	case UC_BENCH:
		for (i = 0; i < UC_BENCH_DEFAULT_OPS; i++)
			c->u.bench.ops[i] = (unsigned)i;
		c->u.bench.nops = UC_BENCH_DEFAULT_OPS;
		c->u.bench.sizes[0] = UC_BENCH_SIZE_DEFAULT;
		c->u.bench.nsizes = 1;
		c->u.bench.batches[0] = 1;
		c->u.bench.batches[1] = 8;
		c->u.bench.batches[2] = 32;
		c->u.bench.batches[3] = 128;
		c->u.bench.nbatches = 4;
		c->u.bench.seconds = UC_BENCH_SECONDS_DEFAULT;
		break;
	case UC_HELP:
		c->u.help.topic = -1;
		break;
	case UC_RAW:
		c->u.raw.data_len_off = -1;
		break;
	default:
		break;
	}
}

/* read's and write's positional arguments: OFFSET, then LEN or DATA. */
static int apply_rw_pos(struct uc_cmd *c, unsigned n, const char *v,
			struct perr *e)
{
	const char *name = uc_cmd_specs[c->id].name;
	int ret;

	if (n == 0) {
		ret = arg_u64(v, 0, INT64_MAX, &c->u.rw.offset);
		if (ret == ARG_INVALID && uc_cmd_lookup(v) >= 0)
			return fail(e, "%s: missing OFFSET", name);
		return ret ? bad_value(e, name, "OFFSET", v, ret, "a number",
				       "0..9223372036854775807") : 0;
	}
	if (c->id == UC_WRITE) {
		c->u.rw.data = v;
		c->u.rw.data_len = strlen(v);
		if (c->u.rw.data_len > UC_RW_MAX)
			return fail(e, "write: DATA is %zu bytes, at most %u",
				    c->u.rw.data_len, UC_RW_MAX);
		return 0;
	}
	ret = arg_u32(v, 0, UC_RW_MAX, &c->u.rw.len);
	if (ret == ARG_INVALID && uc_cmd_lookup(v) >= 0)
		return fail(e, "read: missing LEN");
	return ret ? bad_value(e, name, "LEN", v, ret, "a number",
			       "0.." STR(UC_RW_MAX)) : 0;
}

/* The positional argument number n (from 0) of c. */
static int apply_pos(struct uc_cmd *c, unsigned n, const char *v,
		     struct perr *e)
{
	const char *name = uc_cmd_specs[c->id].name;
	size_t len;
	int ret = 0;

	switch (c->id) {
	case UC_READ:
	case UC_WRITE:
		return apply_rw_pos(c, n, v, e);
	case UC_SET:
		ret = arg_u64(v, 0, UINT64_MAX, &c->u.set.value);
		break;
	case UC_WAIT:
		ret = arg_u64(v, 0, UINT64_MAX, &c->u.wait.value);
		break;
	case UC_DELAY:
		ret = arg_u32(v, 0, MISCURING_DELAY_MAX_USEC, &c->u.delay.usec);
		if (ret == ARG_INVALID && uc_cmd_lookup(v) >= 0)
			return fail(e, "delay: missing USEC");
		if (ret)
			return bad_value(e, name, "USEC", v, ret, "a number",
					 "0.." STR(MISCURING_DELAY_MAX_USEC));
		return 0;
	case UC_ECHO:
		len = strlen(v);
		if (len > UC_ECHO_MAX)
			return fail(e, "echo: DATA is %zu bytes, at most %d", len,
				    UC_ECHO_MAX);
		c->u.echo.data = v;
		c->u.echo.len = len;
		return 0;
	case UC_HELP:
		c->u.help.topic = uc_cmd_lookup(v);
		if (c->u.help.topic < 0)
			return fail(e, "help: unknown command '%s'", v);
		return 0;
	default:
		return fail(e, "%s: unexpected argument '%s'", name, v);
	}
	if (ret == ARG_INVALID && uc_cmd_lookup(v) >= 0)
		return fail(e, "%s: missing VALUE", name);
	if (ret)
		return bad_value(e, name, "VALUE", v, ret, "a number",
				 "0..18446744073709551615");
	return 0;
}

/* A number 0..max for option opt of command name. */
static int num(struct perr *e, const char *name, const char *opt,
	       const char *v, uint64_t max, uint64_t *out)
{
	char range[32];
	int ret = arg_u64(v, 0, max, out);

	snprintf(range, sizeof(range), "0..%llu", (unsigned long long)max);
	return ret ? bad_value(e, name, opt, v, ret, "a number", range) : 0;
}

/* raw's options for the SQE's fields and its data buffer. */
static int apply_raw_opt(struct uc_cmd *c, int key, const char *opt,
			 const char *v, struct perr *e)
{
	uint64_t n = 0;
	size_t len;
	int ret = 0;

	switch (key) {
	case O_ADDR:
		return num(e, "raw", opt, v, UINT64_MAX, &c->u.raw.addr);
	case O_ADDR3:
		return num(e, "raw", opt, v, UINT64_MAX, &c->u.raw.addr3);
	case O_OPTVAL:
		return num(e, "raw", opt, v, UINT64_MAX, &c->u.raw.optval);
	case O_DATA_HEX:
		len = strlen(v) / 2 + 1;
		if (len > UC_RAW_DATA_MAX + 2)
			return fail(e, "raw: %s is longer than %u bytes", opt,
				    UC_RAW_DATA_MAX);
		free(c->u.raw.data);
		c->u.raw.data = malloc(len);
		if (!c->u.raw.data)
			return fail(e, "out of memory");
		ret = arg_hex(v, c->u.raw.data, UC_RAW_DATA_MAX, &c->u.raw.data_in);
		c->u.raw.data_file = NULL;
		return ret ? bad_value(e, "raw", opt, v, ret,
				       "hex bytes (an even number of hex digits)", "") : 0;
	case O_DATA_FILE:
		if (!*v)
			return fail(e, "raw: %s needs a file name, not ''", opt);
		free(c->u.raw.data);
		c->u.raw.data = NULL;
		c->u.raw.data_in = 0;
		c->u.raw.data_file = v;
		return 0;
	case O_DATA_AT:
		if (!strcmp(v, "addr"))
			c->u.raw.data_at = UC_DATA_AT_ADDR;
		else if (!strcmp(v, "optval"))
			c->u.raw.data_at = UC_DATA_AT_OPTVAL;
		else if (!strcmp(v, "addr3"))
			c->u.raw.data_at = UC_DATA_AT_ADDR3;
		else if (!arg_u64(v, 0, MISCURING_PAYLOAD_SQE128 - 8, &n))
			c->u.raw.data_at = UC_DATA_AT_PAYLOAD;
		else
			return fail(e, "raw: %s '%s' is not addr, optval, addr3 or a payload offset (0..%d)",
				    opt, v, MISCURING_PAYLOAD_SQE128 - 8);
		c->u.raw.data_off = (uint32_t)n;
		return 0;
	case O_DATA_LEN_AT:
		ret = num(e, "raw", opt, v, MISCURING_PAYLOAD_SQE128 - 4, &n);
		c->u.raw.data_len_off = (int32_t)n;
		return ret;
	case O_DATA_FORMAT:
		if (strcmp(v, "hex") && strcmp(v, "raw"))
			return fail(e, "raw: %s '%s' is not hex or raw", opt, v);
		c->u.raw.data_raw = !strcmp(v, "raw");
		return 0;
	case O_NONZERO_FAILS:
		c->u.raw.nonzero_fails = true;
		return 0;
	}

	/* The rest are numbers of 32 bits or fewer. */
	switch (key) {
	case O_LEN:
	case O_CMD_FLAGS:
	case O_FILE_INDEX:
	case O_LEVEL:
	case O_OPTNAME:
	case O_OPTLEN:
	case O_DATA_LEN:
		ret = num(e, "raw", opt, v, key == O_DATA_LEN ? UC_RAW_DATA_MAX : UINT32_MAX, &n);
		break;
	case O_IOPRIO:
	case O_BUF_INDEX:
	case O_PERSONALITY:
		ret = num(e, "raw", opt, v, UINT16_MAX, &n);
		break;
	case O_SQE_FLAGS:
		ret = num(e, "raw", opt, v, UINT8_MAX, &n);
		break;
	default:
		return fail(e, "raw: internal error: option %s", opt);
	}
	if (ret)
		return ret;
	switch (key) {
	case O_LEN: c->u.raw.sqe_len = (uint32_t)n; break;
	case O_CMD_FLAGS: c->u.raw.uring_cmd_flags |= (uint32_t)n; break;
	case O_FILE_INDEX: c->u.raw.file_index = (uint32_t)n; break;
	case O_LEVEL: c->u.raw.level = (uint32_t)n; break;
	case O_OPTNAME: c->u.raw.optname = (uint32_t)n; break;
	case O_OPTLEN: c->u.raw.optlen = (uint32_t)n; break;
	case O_DATA_LEN:
		c->u.raw.data_len = (uint32_t)n;
		c->u.raw.data_len_set = true;
		break;
	case O_IOPRIO: c->u.raw.ioprio = (uint16_t)n; break;
	case O_BUF_INDEX:
		c->u.raw.buf_index = (uint16_t)n;
		c->u.raw.uring_cmd_flags |= LIBMISCURING_URING_CMD_FIXED;
		break;
	case O_PERSONALITY: c->u.raw.personality = (uint16_t)n; break;
	case O_SQE_FLAGS: c->u.raw.sqe_flags = (uint32_t)n; break;
	}
	return 0;
}

/* Option key with value v (NULL for a flag) for command c. */
static int apply_opt(struct uc_cmd *c, int key, const char *opt,
		     const char *v, struct perr *e)
{
	const char *name = uc_cmd_specs[c->id].name;
	unsigned mask;
	size_t n;
	int ret;

	switch (key) {
	case O_COUNT:
		ret = arg_u64(v, 1, UINT64_MAX, &c->u.nop.count);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1..18446744073709551615") : 0;
	case O_BATCH:
		ret = arg_u32(v, 1, UC_BATCH_MAX, &c->u.nop.batch);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1.." STR(UC_BATCH_MAX)) : 0;
	case O_RESULT:
		ret = arg_s32(v, INT32_MIN, INT32_MAX, &c->u.delay.result);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "-2147483648..2147483647") : 0;
	case O_TIMEOUT:
		ret = arg_u32(v, 0, MISCURING_WAIT_MAX_USEC,
			      &c->u.wait.timeout_usec);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "0.." STR(MISCURING_WAIT_MAX_USEC)) : 0;
	case O_RESET:
		c->u.stats.reset = true;
		return 0;
	case O_WATCH_COUNT:
		ret = arg_u64(v, 1, UINT64_MAX, &c->u.watch.count);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1..18446744073709551615") : 0;
	case O_WATCH_TIMEOUT:
		ret = arg_u64(v, 1, UINT64_MAX / 1000, &c->u.watch.timeout_usec);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1..18446744073709551") : 0;
	case O_WATCH_REARM:
		c->u.watch.rearm = true;
		return 0;
	case O_FIXED:
		c->u.rw.fixed = true;
		return 0;
	case O_ASYNC:
		c->u.rw.async = true;
		return 0;
	case O_VECTORED:
		ret = arg_u32(v, 1, UC_RW_VECS_MAX, &c->u.rw.vectored);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1.." STR(UC_RW_VECS_MAX)) : 0;
	case O_OPS:
		ret = arg_name_list(v, uc_bench_op_names, UC_BENCH_OP_COUNT,
				    &mask, c->u.bench.ops, &n);
		if (ret == ARG_INVALID)
			return fail(e, "%s: %s '%s' is not a list of nop, get, delay, ioctl, "
				    "read, write, readv, writev, read_fixed, write_fixed",
				    name, opt, v);
		if (ret)
			return bad_value(e, name, opt, v, ret, "", "");
		c->u.bench.nops = n;
		return 0;
	case O_BATCHES:
		return u32_list(e, name, opt, v, UC_BATCH_MAX, c->u.bench.batches,
				UC_BENCH_MAX_BATCHES, &c->u.bench.nbatches, "1,8,32");
	case O_SIZES:
		return u32_list(e, name, opt, v, UC_BENCH_SIZE_MAX, c->u.bench.sizes,
				UC_BENCH_MAX_SIZES, &c->u.bench.nsizes, "512,4096");
	case O_SECONDS:
		ret = arg_seconds(v, UC_BENCH_SECONDS_MIN, UC_BENCH_SECONDS_MAX,
				  &c->u.bench.seconds);
		return ret ? bad_value(e, name, opt, v, ret,
				       "a number of seconds", "0.001..3600") : 0;
	case O_BENCH_COUNT:
		ret = arg_u64(v, 1, UINT64_MAX, &c->u.bench.count);
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "1..18446744073709551615") : 0;
	case O_OP:
		ret = arg_u32(v, 0, UINT32_MAX, &c->u.raw.op);
		c->u.raw.op_set = !ret;
		return ret ? bad_value(e, name, opt, v, ret, "a number",
				       "0..4294967295") : 0;
	case O_PAYLOAD:
		ret = arg_hex(v, c->u.raw.payload, sizeof(c->u.raw.payload),
			      &c->u.raw.len);
		if (ret == ARG_RANGE)
			return fail(e, "%s: %s is %zu bytes, at most %d", name, opt,
				    (strlen(v) - (v[1] == 'x' || v[1] == 'X' ? 2 : 0)) / 2,
				    MISCURING_PAYLOAD_SQE128);
		return ret ? bad_value(e, name, opt, v, ret,
				       "hex bytes (an even number of hex digits)", "") : 0;
	case O_SQE128:
		c->u.raw.sqe128 = true;
		return 0;
	case O_CQE32:
		c->u.raw.cqe32 = true;
		return 0;
	}
	if (c->id == UC_RAW)
		return apply_raw_opt(c, key, opt, v, e);
	return fail(e, "%s: internal error: option %s", name, opt);
}

/* Parser state: the command being read and what it got so far. */
struct pstate {
	struct uc_cmdline	*cl;
	struct uc_cmd		*cur;
	unsigned		npos;		/* positional arguments it got */
	bool			seconds_set, count_set;
	struct perr		e;
};

/* raw's data buffer: what it needs, once all options are in. */
static int finish_raw(struct pstate *ps, size_t max)
{
	struct uc_cmd *c = ps->cur;
	bool input = c->u.raw.data || c->u.raw.data_file;

	if (!input && !c->u.raw.data_len_set && !c->u.raw.data_at &&
	    c->u.raw.data_len_off < 0)
		return 0;	/* no buffer */
	if (!input && !c->u.raw.data_len)
		return fail(&ps->e, "raw: a data buffer needs --data-len, --data-hex or --data-file");
	if (c->u.raw.data && c->u.raw.data_len_set && c->u.raw.data_in > c->u.raw.data_len)
		return fail(&ps->e, "raw: --data-hex is %zu bytes, more than --data-len %u",
			    c->u.raw.data_in, c->u.raw.data_len);
	if (!c->u.raw.data_len_set)
		c->u.raw.data_len = (uint32_t)c->u.raw.data_in;	/* a file: when read */
	if (!c->u.raw.data_at)
		c->u.raw.data_at = UC_DATA_AT_ADDR;
	if (c->u.raw.data_at == UC_DATA_AT_PAYLOAD && c->u.raw.data_off + 8 > max)
		return fail(&ps->e, "raw: --data-at %u is past the %zu-byte payload%s",
			    c->u.raw.data_off, max, c->u.raw.sqe128 ? "" : " (--sqe128?)");
	if (c->u.raw.data_len_off >= 0 && (size_t)c->u.raw.data_len_off + 4 > max)
		return fail(&ps->e, "raw: --data-len-at %d is past the %zu-byte payload%s",
			    c->u.raw.data_len_off, max, c->u.raw.sqe128 ? "" : " (--sqe128?)");
	return 0;
}

/* Checks once all of the current command's arguments are in. */
static int finish_cmd(struct pstate *ps)
{
	const struct uc_cmd *c = ps->cur;
	const struct uc_cmd_spec *s;
	size_t max;

	if (!c)
		return 0;
	s = &uc_cmd_specs[c->id];
	if (ps->npos < s->pos_required)
		return fail(&ps->e, "%s: missing %s", s->name, s->pos[ps->npos]);
	switch (c->id) {
	case UC_READ:
	case UC_WRITE:
		if (c->u.rw.async && !c->u.rw.fixed)
			return fail(&ps->e, "%s: --async needs --fixed (MISCURING_RW_ASYNC is for registered buffers)",
				    s->name);
		break;
	case UC_RAW:
		if (!c->u.raw.op_set)
			return fail(&ps->e, "raw: missing --op N");
		max = c->u.raw.sqe128 ? MISCURING_PAYLOAD_SQE128 :
					MISCURING_PAYLOAD_SQE64;
		if (c->u.raw.len > max)
			return fail(&ps->e, "raw: --payload is %zu bytes, at most %zu%s",
				    c->u.raw.len, max,
				    c->u.raw.sqe128 ? "" : " without --sqe128");
		return finish_raw(ps, max);
	case UC_BENCH:
		if (ps->seconds_set && ps->count_set)
			return fail(&ps->e, "bench: --seconds and --count exclude each other");
		break;
	default:
		break;
	}
	return 0;
}

static const struct uc_opt *find_opt(const struct uc_opt *opts,
				     const char *name, size_t len, char short_name)
{
	for (; opts->name; opts++) {
		if (short_name ? opts->short_name == short_name :
		    strlen(opts->name) == len && !strncmp(opts->name, name, len))
			return opts;
	}
	return NULL;
}

static bool is_option(const char *a)
{
	/* "-" alone is a word; "-5" is a negative number, not an option. */
	return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9');
}

static bool is_global(const struct uc_opt *o)
{
	const struct uc_opt *g;

	for (g = uc_global_opts; g->name; g++)
		if (g == o)
			return true;
	return false;
}

/* The option called name (long, nlen bytes) or short_name, or NULL. */
static const struct uc_opt *lookup_opt(struct pstate *ps, const char *name,
				       size_t nlen, char short_name)
{
	const struct uc_opt *o = find_opt(uc_global_opts, name, nlen, short_name);

	if (!o && ps->cur)
		o = find_opt(uc_cmd_specs[ps->cur->id].opts, name, nlen,
			     short_name);
	return o;
}

static int unknown_opt(struct pstate *ps, const char *opt)
{
	if (ps->cur)
		return fail(&ps->e, "%s: unknown option '%s'",
			    uc_cmd_specs[ps->cur->id].name, opt);
	return fail(&ps->e, "unknown option '%s'", opt);
}

/*
 * Apply option o (called optname on the command line) with value val.
 * Returns 0, 2 on a usage error, or 1 when parsing ends here (--help,
 * --version).
 */
static int take_opt(struct pstate *ps, const struct uc_opt *o,
		    const char *optname, const char *val)
{
	struct uc_cmdline *cl = ps->cl;

	switch (o->key) {
	case O_DEVICE:
		if (!*val)
			return fail(&ps->e, "option '%s' needs a path, not ''", optname);
		cl->device = val;
		return 0;
	case O_FD: {
		uint32_t n;
		int ret = arg_u32(val, 0, INT32_MAX, &n);

		if (ret)
			return fail(&ps->e, "option '%s' needs a descriptor number (0..2147483647), not '%s'",
				    optname, val);
		cl->fd = (int)n;
		return 0;
	}
	case O_JSON:
		cl->json = true;
		return 0;
	case O_QUIET:
		cl->quiet = true;
		return 0;
	case O_READ_ONLY:
		cl->read_only = true;
		return 0;
	case O_HELP:
		cl->action = UC_SHOW_HELP;
		cl->help_topic = ps->cur ? (int)ps->cur->id : -1;
		return 1;
	case O_VERSION:
		cl->action = UC_SHOW_VERSION;
		return 1;
	case O_SECONDS:
		ps->seconds_set = true;
		break;
	case O_BENCH_COUNT:
		ps->count_set = true;
		break;
	default:
		break;
	}
	return apply_opt(ps->cur, o->key, optname, val, &ps->e);
}

/* A value for option optname: the rest of the word, or the next word. */
static const char *opt_value(struct pstate *ps, int argc, char *const argv[],
			     int *i, const char *rest, const struct uc_opt *o,
			     const char *optname)
{
	if (rest && *rest)
		return rest;
	if (*i + 1 >= argc) {
		if (ps->cur && !is_global(o))
			fail(&ps->e, "%s: option '%s' needs a value (%s)",
			     uc_cmd_specs[ps->cur->id].name, optname, o->arg);
		else
			fail(&ps->e, "option '%s' needs a value (%s)", optname,
			     o->arg);
		return NULL;
	}
	return argv[++*i];
}

/* The option word(s) at argv[*i]. */
static int take_option_word(struct pstate *ps, int argc, char *const argv[],
			    int *i)
{
	const char *a = argv[*i], *eq, *val;
	const struct uc_opt *o;
	char optname[80];
	size_t nlen, k;
	int ret;

	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		nlen = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		snprintf(optname, sizeof(optname), "--%.*s",
			 (int)(nlen < 60 ? nlen : 60), a + 2);
		o = lookup_opt(ps, a + 2, nlen, 0);
		if (!o)
			return unknown_opt(ps, optname);
		if (!o->arg && eq)
			return fail(&ps->e, "option '%s' takes no value", optname);
		val = NULL;
		if (o->arg) {
			/* "--opt=" is an empty value, not a missing one. */
			val = eq ? eq + 1 : opt_value(ps, argc, argv, i, NULL,
						      o, optname);
			if (!val)
				return 2;
		}
		return take_opt(ps, o, optname, val);
	}
	/* Short options, maybe several flags in one word: -jq, -n5, -n 5. */
	for (k = 1; a[k]; k++) {
		snprintf(optname, sizeof(optname), "-%c", a[k]);
		o = lookup_opt(ps, NULL, 0, a[k]);
		if (!o)
			return unknown_opt(ps, optname);
		if (!o->arg) {
			ret = take_opt(ps, o, optname, NULL);
			if (ret)
				return ret;
			continue;
		}
		val = opt_value(ps, argc, argv, i, a + k + 1, o, optname);
		if (!val)
			return 2;
		return take_opt(ps, o, optname, val);
	}
	return 0;
}

int uc_parse(int argc, char *const argv[], const char *env_device,
	     struct uc_cmdline *cl, char *err, size_t errlen)
{
	struct pstate ps = { .cl = cl, .e = { err, errlen } };
	bool word_next = false;
	const char *a;
	size_t k;
	int i, id, ret;

	memset(cl, 0, sizeof(*cl));
	cl->help_topic = -1;
	cl->fd = -1;
	if (errlen)
		err[0] = '\0';
	cl->cmds = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*cl->cmds));
	if (!cl->cmds) {
		fail(&ps.e, "out of memory");
		return 2;
	}

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (!word_next && !strcmp(a, "--")) {
			word_next = true;
			continue;
		}
		if (!word_next && is_option(a)) {
			ret = take_option_word(&ps, argc, argv, &i);
			if (ret == 1) {
				/* --help or --version: nothing else matters */
				uc_cmdline_free(cl);
				return 0;
			}
			if (ret)
				goto fail;
			continue;
		}

		word_next = false;
		if (ps.cur && ps.npos < UC_POS_MAX &&
		    uc_cmd_specs[ps.cur->id].pos[ps.npos]) {
			if (apply_pos(ps.cur, ps.npos, a, &ps.e))
				goto fail;
			ps.npos++;
			continue;
		}
		id = uc_cmd_lookup(a);
		if (id < 0) {
			if (ps.cur)
				fail(&ps.e, "%s: unexpected argument '%s'",
				     uc_cmd_specs[ps.cur->id].name, a);
			else
				fail(&ps.e, "unknown command '%s'", a);
			goto fail;
		}
		if (finish_cmd(&ps))
			goto fail;
		ps.cur = &cl->cmds[cl->ncmds++];
		ps.cur->id = (enum uc_cmd_id)id;
		cmd_defaults(ps.cur);
		ps.npos = 0;
		ps.seconds_set = ps.count_set = false;
	}
	if (word_next) {
		fail(&ps.e, "'--' at the end: an argument should follow it");
		goto fail;
	}
	if (finish_cmd(&ps))
		goto fail;
	if (!cl->ncmds) {
		fail(&ps.e, "no command given");
		goto fail;
	}
	if (cl->json && cl->quiet) {
		fail(&ps.e, "--json and --quiet exclude each other");
		goto fail;
	}
	for (k = 0; k < cl->ncmds; k++) {
		if (cl->cmds[k].id == UC_HELP && cl->ncmds > 1) {
			fail(&ps.e, "help goes alone, not with other commands");
			goto fail;
		}
	}
	if (cl->fd >= 0 && cl->device) {
		fail(&ps.e, "--fd and --device exclude each other");
		goto fail;
	}
	if (cl->fd >= 0) {
		snprintf(cl->fd_name, sizeof(cl->fd_name), "fd %d", cl->fd);
		cl->device = cl->fd_name;
	}
	if (!cl->device)
		cl->device = env_device && *env_device ? env_device :
			     UC_DEFAULT_DEVICE;
	return 0;
fail:
	uc_cmdline_free(cl);
	return 2;
}

void uc_cmdline_free(struct uc_cmdline *cl)
{
	size_t i;

	for (i = 0; cl->cmds && i < cl->ncmds; i++)
		if (cl->cmds[i].id == UC_RAW)
			free(cl->cmds[i].u.raw.data);
	free(cl->cmds);
	cl->cmds = NULL;
	cl->ncmds = 0;
}

bool uc_needs_sys_admin(const struct uc_cmdline *cl)
{
	size_t i;

	for (i = 0; i < cl->ncmds; i++)
		if (cl->cmds[i].id == UC_STATS && cl->cmds[i].u.stats.reset)
			return true;
	return false;
}

static bool has_cmd(const struct uc_cmdline *cl, enum uc_cmd_id id)
{
	size_t i;

	for (i = 0; i < cl->ncmds; i++)
		if (cl->cmds[i].id == id)
			return true;
	return false;
}

bool uc_has_raw(const struct uc_cmdline *cl)
{
	return has_cmd(cl, UC_RAW);
}

bool uc_needs_write(const struct uc_cmdline *cl)
{
	/* RESET_STATS, like SET_VALUE and WRITE, needs a file opened for writing. */
	return has_cmd(cl, UC_SET) || has_cmd(cl, UC_WRITE) ||
	       uc_needs_sys_admin(cl);
}
