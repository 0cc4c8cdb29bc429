/* SPDX-License-Identifier: MIT */
/*
 * What uringctl's parts share: the run context, error reporting, the open
 * device, and one entry point per command.
 */
#ifndef URINGCTL_H
#define URINGCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmiscuring.h>

#include "cmdline.h"
#include "json.h"

/* The version of the JSON documents uringctl prints (uringctl(1)). */
#define UC_OUTPUT_VERSION	2

struct uc_ctx {
	const struct uc_cmdline	*cl;
	const char		*device;
	bool			text;		/* text on stdout: not --json, not --quiet */
	struct json		*j;		/* --json: the document, else NULL */
	bool			progress;	/* progress lines on stderr allowed */

	/* The device, opened by the first command that needs it. */
	int			fd;		/* -1 until then */
	bool			rdonly;
	bool			fd_inherited;	/* --fd: not ours to close */
	bool			identified;	/* it is /dev/miscuring */
	bool			need_write;
	struct miscuring_ring	*ring;		/* on fd, made by uc_ring() */
	unsigned		ring_flags;

	/* The running command's failure, for the JSON document. */
	bool			failed;
	int			err;		/* positive errno */
	char			errmsg[512];	/* as printed, without "uringctl: " */
};

/*
 * Report a failure on stderr as "uringctl: MESSAGE: DESCRIPTION (ENAME)"
 * (err > 0 a positive errno; the description and name are left out when
 * err is 0), then "; HINT" if hint is not NULL, and keep it for the JSON
 * document. Returns 1, the exit status of a failed command.
 */
__attribute__((format(printf, 4, 5)))
int uc_fail(struct uc_ctx *ctx, int err, const char *hint, const char *fmt, ...);
/* The same, without the description: the message says it all. */
__attribute__((format(printf, 3, 4)))
int uc_fail_plain(struct uc_ctx *ctx, int err, const char *fmt, ...);
/* "uringctl: warning: ..." on stderr; the command goes on. */
__attribute__((format(printf, 1, 2)))
void uc_warn(const char *fmt, ...);
/* "EBADF" for EBADF, or NULL when the C library cannot tell. */
const char *uc_errname(int err);
/* The failure kept in ctx as a JSON object, under "error". */
void uc_json_error(struct uc_ctx *ctx);

/* printf() to stdout in text mode; nothing with --json or --quiet. */
__attribute__((format(printf, 2, 3)))
void uc_text(struct uc_ctx *ctx, const char *fmt, ...);

/*
 * device.c: open ctx->device (once; reports failures, with a hint for
 * ENOENT and EACCES), and unless any_file (raw) check that it is
 * /dev/miscuring (ENOTTY if not); get a ring on it with the
 * MISCURING_SETUP_* flags given. Both return 0 or 1 (reported).
 */
int uc_open(struct uc_ctx *ctx, bool any_file);
int uc_ring(struct uc_ctx *ctx, unsigned flags, bool any_file,
	    struct miscuring_ring **ring);
void uc_close(struct uc_ctx *ctx);
/* The hint for a failed io_uring setup, or NULL. */
const char *uc_ring_hint(int err);
/* The hint for a failed open of path with errno err, or NULL. */
const char *uc_open_hint(const char *path, int err, bool want_write,
			 char *buf, size_t len);

/*
 * caps.c: drop every capability but CAP_SYS_ADMIN if keep_sys_admin, or
 * but the whole permitted set if keep_all (and those only permitted);
 * whether CAP_SYS_ADMIN was kept; make it (only_sys_admin) or all that was
 * kept effective, or nothing; free what caps.c holds.
 */
int uc_caps_drop(bool keep_sys_admin, bool keep_all);
bool uc_caps_have_sys_admin(void);
int uc_caps_raise(bool only_sys_admin, bool on);
void uc_caps_free(void);

/*
 * input.c: read fd to its end into a new buffer (*bufp, to free; *lenp
 * bytes). Returns 0, EFBIG when it holds more than max bytes, or another
 * positive errno.
 */
int uc_read_all(int fd, size_t max, uint8_t **bufp, size_t *lenp);

/* help.c */
void uc_usage_short(FILE *f);
void uc_help(FILE *f, int topic);

/* The commands: 0 on success, 1 on failure (reported with uc_fail()). */
int uc_cmd_info(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_hello(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_get(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_set(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_wait(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_watch(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_nop(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_echo(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_delay(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_stats(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_raw(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_bench(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_read(struct uc_ctx *ctx, const struct uc_cmd *cmd);
int uc_cmd_write(struct uc_ctx *ctx, const struct uc_cmd *cmd);

/* Monotonic seconds, and this process's CPU seconds. */
double uc_now(void);
double uc_cpu_now(void);

#endif /* URINGCTL_H */
