/* SPDX-License-Identifier: MIT */
/*
 * uringctl: drive /dev/miscuring from the shell, through libmiscuring.
 *
 * main() parses the whole line first (cmdline.c; nothing runs on a usage
 * error), drops every capability the commands do not need (caps.c), then
 * runs the commands in order on one open file of the device (or the
 * descriptor --fd names), stopping at the first that fails. With --json,
 * stdout gets one document, {"output_version", "commands": [...]};
 * failures go to stderr either way.
 *
 * Exit status: 0 success, 1 a command failed, 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "uringctl.h"

typedef int (*uc_cmd_fn)(struct uc_ctx *ctx, const struct uc_cmd *cmd);

static const uc_cmd_fn cmd_fns[UC_CMD_COUNT] = {
	[UC_INFO] = uc_cmd_info,
	[UC_HELLO] = uc_cmd_hello,
	[UC_GET] = uc_cmd_get,
	[UC_SET] = uc_cmd_set,
	[UC_NOP] = uc_cmd_nop,
	[UC_ECHO] = uc_cmd_echo,
	[UC_DELAY] = uc_cmd_delay,
	[UC_WAIT] = uc_cmd_wait,
	[UC_WATCH] = uc_cmd_watch,
	[UC_STATS] = uc_cmd_stats,
	[UC_BENCH] = uc_cmd_bench,
	[UC_RAW] = uc_cmd_raw,
	[UC_READ] = uc_cmd_read,
	[UC_WRITE] = uc_cmd_write,
};

/* Flush stdout; a write error (a full disk, a closed pipe) fails the run. */
static int finish_stdout(int status)
{
	const char *name;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (!errno)
		errno = EIO;
	name = uc_errname(errno);
	fprintf(stderr, "uringctl: write error: %s (%s)\n", strerror(errno),
		name ? name : "?");
	return 1;
}

static int show_version(void)
{
	printf("uringctl %s (libmiscuring %s, ABI version %d)\n", PACKAGE_VERSION,
	       miscuring_version(), MISCURING_ABI_VERSION);
	return finish_stdout(0);
}

/*
 * Run the commands; 0 or 1. The JSON document has one object per command
 * that ran, in "commands", however many there are.
 */
static int run(struct uc_ctx *ctx, const struct uc_cmdline *cl)
{
	struct json *j = ctx->j;
	size_t i;
	int ret = 0;

	for (i = 0; i < cl->ncmds && !ret; i++) {
		const struct uc_cmd *cmd = &cl->cmds[i];

		if (j) {
			json_object_begin(j);
			json_kv_string(j, "command", uc_cmd_specs[cmd->id].name);
		}
		ctx->failed = false;
		ret = cmd_fns[cmd->id](ctx, cmd);
		if (j) {
			if (ret)
				uc_json_error(ctx);
			json_object_end(j);
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct uc_cmdline cl;
	struct uc_ctx ctx;
	struct json j;
	char err[256];
	int ret;

	if (uc_parse(argc, argv, getenv(UC_DEVICE_ENV), &cl, err, sizeof(err))) {
		fprintf(stderr, "uringctl: %s\n", err);
		uc_usage_short(stderr);
		return 2;
	}
	if (cl.action == UC_SHOW_VERSION)
		return show_version();
	if (cl.action == UC_SHOW_HELP || cl.cmds[0].id == UC_HELP) {
		uc_help(stdout, cl.action == UC_SHOW_HELP ? cl.help_topic :
			cl.cmds[0].u.help.topic);
		uc_cmdline_free(&cl);
		return finish_stdout(0);
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.cl = &cl;
	ctx.device = cl.device;
	ctx.fd = -1;
	ctx.text = !cl.json && !cl.quiet;
	ctx.progress = uc_progress_wanted(cl.json, cl.quiet, isatty(STDOUT_FILENO),
					  isatty(STDERR_FILENO));
	ctx.need_write = uc_needs_write(&cl);
	if (cl.json) {
		json_init(&j, stdout, true);
		ctx.j = &j;
		json_object_begin(&j);
		json_kv_u64(&j, "output_version", UC_OUTPUT_VERSION);
	}

	ret = uc_caps_drop(uc_needs_sys_admin(&cl), uc_has_raw(&cl));
	if (ctx.j) {
		json_key(&j, "commands");
		json_array_begin(&j);
	}
	if (!ret)
		ret = run(&ctx, &cl);
	if (ctx.j)
		json_array_end(&j);
	if (ret < 0) {
		/* Nothing ran: the failure is the document's own. */
		uc_fail(&ctx, -ret, NULL, "cannot drop capabilities");
		if (ctx.j)
			uc_json_error(&ctx);
		ret = 1;
	}

	if (ctx.j) {
		json_object_end(&j);
		if (json_finish(&j) && !ferror(stdout)) {
			fprintf(stderr, "uringctl: internal error: malformed JSON\n");
			ret = 1;
		}
	}
	uc_close(&ctx);
	uc_caps_free();
	uc_cmdline_free(&cl);
	return finish_stdout(ret);
}
