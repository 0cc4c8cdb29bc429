/* SPDX-License-Identifier: MIT */
/*
 * watch: the open file's value, then every change of it
 * (miscuring_watch_*(): multishot WATCH, or re-armed WAITs).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "uringctl.h"

static volatile sig_atomic_t uc_watch_stop;

static void uc_watch_signal(int sig)
{
	(void)sig;
	uc_watch_stop = 1;
}

/* SIGINT and SIGTERM end the watch, interrupting its wait (no SA_RESTART). */
static void uc_watch_signals(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? uc_watch_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * Waits in slices of this many us, so that a signal ends the watch soon
 * even where it does not interrupt the wait.
 */
#define UC_WATCH_SLICE_USEC	100000

/* The next change, or -ETIME after usec (0: never). */
static int uc_watch_next(struct miscuring_watcher *w,
			 struct miscuring_change *ch, uint64_t usec)
{
	double end = uc_now() + (double)usec / 1e6;
	uint64_t left = UC_WATCH_SLICE_USEC;
	int ret;

	do {
		if (usec) {
			double rest = (end - uc_now()) * 1e6;

			if (rest <= 0)
				return -ETIME;
			if (rest < UC_WATCH_SLICE_USEC)
				left = (uint64_t)rest + 1;
		}
		ret = miscuring_watch_next(w, ch, &(struct timespec){
				.tv_sec = (time_t)(left / 1000000),
				.tv_nsec = (long)(left % 1000000) * 1000 });
	} while ((ret == -ETIME || ret == -EINTR) && !uc_watch_stop);
	return ret;
}

int uc_cmd_watch(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	const uint64_t usec = cmd->u.watch.timeout_usec;
	struct miscuring_watcher *w;
	struct miscuring_ring *ring;
	struct miscuring_change ch;
	uint64_t value, n = 0;
	int ret, err = 0;

	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_watch_start(ring, cmd->u.watch.rearm ?
				    MISCURING_WATCHER_REARM : 0, &value, &w);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "watch");
	if (ctx->j) {
		json_kv_string(ctx->j, "method",
			       miscuring_watch_multishot(w) ? "multishot" : "rearm");
		json_kv_u64(ctx->j, "value", value);
		json_key(ctx->j, "changes");
		json_array_begin(ctx->j);
	}
	uc_text(ctx, "%" PRIu64 "\n", value);
	/* A stream: each line as it comes, also into a pipe or a file. */
	fflush(stdout);
	uc_watch_stop = 0;
	uc_watch_signals(true);
	while (!uc_watch_stop && (!cmd->u.watch.count || n < cmd->u.watch.count)) {
		ret = uc_watch_next(w, &ch, usec);
		if (ret == -EINTR || (ret == -ETIME && uc_watch_stop))
			continue;
		if (ret) {
			err = ret;
			break;
		}
		n++;
		if (ctx->j) {
			json_object_begin(ctx->j);
			json_kv_u64(ctx->j, "value", ch.value);
			json_kv_u64(ctx->j, "stores", ch.changes);
			json_object_end(ctx->j);
		}
		uc_text(ctx, "%" PRIu64 " %" PRIu64 "\n", ch.value, ch.changes);
		fflush(stdout);
	}
	uc_watch_signals(false);
	ret = miscuring_watch_stop(w);
	if (ctx->j) {
		json_array_end(ctx->j);
		json_kv_bool(ctx->j, "interrupted", uc_watch_stop);
	}
	if (err == -ETIME)
		return uc_fail(ctx, ETIMEDOUT, NULL,
			       "watch: no change in %" PRIu64 " us", usec);
	if (err)
		return uc_fail(ctx, -err, NULL, "watch: the stream ended");
	if (ret)
		return uc_fail(ctx, -ret, NULL, "watch: stop");
	return 0;
}
