/* SPDX-License-Identifier: MIT */
/*
 * uringctl's command line: global options, then one or more commands with
 * their arguments, run in order on one open file of the device:
 *
 *   uringctl [OPTION]... COMMAND [ARG]... [COMMAND [ARG]...]...
 *
 * Global options may appear anywhere; a command's options anywhere after
 * its name and before the next command. A word is a command's positional
 * argument while that command still wants one, else the next command. "--"
 * makes the next word an argument even if it starts with '-'; a word like
 * "-5" (a '-' and a digit) is never an option.
 *
 * uc_parse() only parses: it opens nothing and prints nothing.
 */
#ifndef URINGCTL_CMDLINE_H
#define URINGCTL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <miscuring/miscuring.h>

#define UC_DEFAULT_DEVICE	MISCURING_DEVICE_PATH
#define UC_DEVICE_ENV		"MISCURING_DEVICE"

/* Limits of the arguments (also in uringctl(1)). */
#define UC_BATCH_MAX		4096
#define UC_ECHO_MAX		(MISCURING_PAYLOAD_SQE128 - MISCURING_PAYLOAD_SQE64)
#define UC_WAIT_TIMEOUT_DEFAULT	1000000	/* usec */
#define UC_BENCH_SECONDS_DEFAULT 1.0
#define UC_BENCH_SECONDS_MIN	0.001
#define UC_BENCH_SECONDS_MAX	3600.0
#define UC_BENCH_MAX_BATCHES	16
#define UC_BENCH_MAX_SIZES	8
#define UC_BENCH_SIZE_DEFAULT	4096
#define UC_BENCH_SIZE_MAX	1048576	/* bytes a READ/WRITE op moves, at most */
#define UC_RAW_DATA_MAX		(1U << 20)	/* raw's data buffer */
#define UC_RW_MAX		16777216	/* read's LEN, write's DATA: 16 MiB */
#define UC_RW_VECS_MAX		1024		/* --vectored: IOV_MAX */
#define UC_POS_MAX		2		/* positional arguments a command takes */

enum uc_cmd_id {
	UC_INFO,
	UC_HELLO,
	UC_GET,
	UC_SET,
	UC_NOP,
	UC_ECHO,
	UC_DELAY,
	UC_WAIT,
	UC_STATS,
	UC_BENCH,
	UC_RAW,
	UC_WATCH,
	UC_READ,
	UC_WRITE,
	UC_HELP,
	UC_CMD_COUNT
};

/*
 * What bench measures (--ops names: "nop", "get", "delay", "ioctl", then
 * the data ops, which the default leaves out: "read", "write", "readv",
 * "writev", "read_fixed", "write_fixed").
 */
enum uc_bench_op {
	UC_BENCH_NOP,
	UC_BENCH_GET,
	UC_BENCH_DELAY,
	UC_BENCH_IOCTL,
	UC_BENCH_READ,
	UC_BENCH_WRITE,
	UC_BENCH_READV,
	UC_BENCH_WRITEV,
	UC_BENCH_READ_FIXED,
	UC_BENCH_WRITE_FIXED,
	UC_BENCH_OP_COUNT
};

/* The ops bench runs without --ops: those before the data ops. */
#define UC_BENCH_DEFAULT_OPS	(UC_BENCH_IOCTL + 1)

extern const char *const uc_bench_op_names[UC_BENCH_OP_COUNT];

/* Where raw puts its data buffer's address. */
enum uc_data_at {
	UC_DATA_AT_NONE,	/* no buffer */
	UC_DATA_AT_ADDR,	/* sqe->addr (the default) */
	UC_DATA_AT_OPTVAL,	/* sqe->optval (socket options) */
	UC_DATA_AT_ADDR3,	/* sqe->addr3 */
	UC_DATA_AT_PAYLOAD,	/* 8 bytes, little-endian, at data_off in the payload */
};

struct uc_cmd {
	enum uc_cmd_id id;
	union {
		struct { uint64_t value; } set;
		struct { uint64_t count; uint32_t batch; } nop;
		struct { const char *data; size_t len; } echo;
		struct { uint32_t usec; int32_t result; } delay;
		struct { uint64_t value; uint32_t timeout_usec; } wait;
		struct { bool reset; } stats;
		struct {
			unsigned	ops[UC_BENCH_OP_COUNT];
			size_t		nops;
			uint32_t	batches[UC_BENCH_MAX_BATCHES];
			size_t		nbatches;
			uint32_t	sizes[UC_BENCH_MAX_SIZES]; /* data ops, bytes */
			size_t		nsizes;
			double		seconds;	/* per point, if count is 0 */
			uint64_t	count;		/* ops per point, or 0 */
		} bench;
		struct {
			uint32_t	op;
			bool		op_set;
			uint8_t		payload[MISCURING_PAYLOAD_SQE128];
			size_t		len;
			bool		sqe128, cqe32;
			/* the SQE's other fields, as struct miscuring_cmd_desc has them */
			uint64_t	addr, addr3, optval;
			uint32_t	sqe_len, uring_cmd_flags, file_index;
			uint32_t	level, optname, optlen, sqe_flags;
			uint16_t	ioprio, buf_index, personality;
			/* the data buffer */
			uint8_t		*data;		/* input bytes (--data-hex), or NULL */
			const char	*data_file;	/* --data-file */
			size_t		data_in;	/* bytes in data */
			uint32_t	data_len;	/* the buffer's size */
			bool		data_len_set;
			enum uc_data_at	data_at;
			uint32_t	data_off;	/* UC_DATA_AT_PAYLOAD */
			int32_t		data_len_off;	/* length at this offset, or -1 */
			bool		data_raw;	/* --data-format raw */
			bool		nonzero_fails;
		} raw;
		struct {
			uint64_t	count;		/* changes to print, 0: all */
			uint64_t	timeout_usec;	/* per change, 0: none */
			bool		rearm;		/* re-armed WAIT, always */
		} watch;
		struct {
			uint64_t	offset;
			uint32_t	len;		/* read: LEN */
			const char	*data;		/* write: DATA, or NULL: stdin */
			size_t		data_len;
			uint32_t	vectored;	/* iovecs, or 0: one buffer */
			bool		fixed;		/* a registered buffer */
			bool		async;		/* MISCURING_RW_ASYNC */
		} rw;				/* read, write */
		struct { int topic; } help;	/* a command, or -1 */
	} u;
};

enum uc_action {
	UC_RUN,		/* run cmds */
	UC_SHOW_HELP,	/* --help: help for help_topic (-1: general) */
	UC_SHOW_VERSION,
};

struct uc_cmdline {
	enum uc_action	action;
	int		help_topic;
	const char	*device;	/* --device, else $MISCURING_DEVICE, else default;
					   with --fd, fd_name */
	int		fd;		/* --fd N, else -1 */
	char		fd_name[16];	/* "fd N" */
	bool		json, quiet, read_only;
	struct uc_cmd	*cmds;
	size_t		ncmds;
};

/* An option of a command, or a global one. */
struct uc_opt {
	const char	*name;		/* long name without "--" */
	char		short_name;	/* or 0 */
	const char	*arg;		/* the value's name, NULL for a flag */
	int		key;
	const char	*help;
};

struct uc_cmd_spec {
	const char		*name;
	const char		*pos[UC_POS_MAX]; /* positional arguments' names */
	unsigned		pos_required;	/* how many of them must be given */
	const struct uc_opt	*opts;		/* ends with a NULL name */
	const char		*synopsis;	/* after the name, for usage lines */
	const char		*summary;	/* one line */
	const char		*details;	/* more lines for "help COMMAND" */
};

extern const struct uc_cmd_spec uc_cmd_specs[UC_CMD_COUNT];
extern const struct uc_opt uc_global_opts[];

/* The command called name, or -1. */
int uc_cmd_lookup(const char *name);

/*
 * Parse argv. env_device is $MISCURING_DEVICE (may be NULL). Returns 0, or
 * 2 (a usage error) with a message in err, and then cl holds nothing to
 * free. uc_cmdline_free() releases what a successful parse allocated.
 */
int uc_parse(int argc, char *const argv[], const char *env_device,
	     struct uc_cmdline *cl, char *err, size_t errlen);
void uc_cmdline_free(struct uc_cmdline *cl);

/* True if some command needs CAP_SYS_ADMIN (stats --reset). */
bool uc_needs_sys_admin(const struct uc_cmdline *cl);
/* True if a raw command is on the line: it keeps the capabilities. */
bool uc_has_raw(const struct uc_cmdline *cl);
/* True if some command needs the device opened for writing (set, write, stats --reset). */
bool uc_needs_write(const struct uc_cmdline *cl);

#endif /* URINGCTL_CMDLINE_H */
