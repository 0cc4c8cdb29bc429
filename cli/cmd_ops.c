/* SPDX-License-Identifier: MIT */
/*
 * hello, nop, echo, delay.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "progress.h"
#include "uringctl.h"

int uc_cmd_hello(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct miscuring_ring *ring;
	int ret;

	(void)cmd;
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_hello(ring);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "hello");
	return 0;
}

/* Send n NOPs in one system call and reap them; 0 or a negative errno. */
static int nop_batch(struct miscuring_ring *ring, unsigned n, uint64_t first,
		     struct miscuring_cqe *cqes)
{
	unsigned i, got = 0;
	int ret, err = 0;

	for (i = 0; i < n; i++) {
		ret = miscuring_prep_nop(ring, first + i);
		if (ret)
			return ret;
	}
	ret = miscuring_submit_and_wait(ring, n);
	if (ret < 0)
		return ret;
	if ((unsigned)ret != n)
		return -EAGAIN;	/* the kernel took only part of the batch */
	while (got < n) {
		ret = miscuring_wait_batch(ring, cqes, n - got, n - got, NULL);
		if (ret < 0)
			return ret;
		for (i = 0; i < (unsigned)ret; i++)
			if (cqes[i].res < 0 && !err)
				err = cqes[i].res;
		got += (unsigned)ret;
	}
	return err;
}

int uc_cmd_nop(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	uint64_t count = cmd->u.nop.count, done = 0;
	unsigned batch = cmd->u.nop.batch, n;
	struct miscuring_ring *ring = NULL;
	struct miscuring_cqe *cqes;
	struct uc_progress prog;
	double t0, c0, secs, cpu;
	int ret;

	if (ctx->j) {
		json_kv_u64(ctx->j, "count", count);
		json_kv_u64(ctx->j, "batch", batch);
	}
	if (uc_open(ctx, false))
		return 1;
	cqes = calloc(batch, sizeof(*cqes));
	if (!cqes)
		return uc_fail(ctx, ENOMEM, NULL, "nop");
	ret = miscuring_open_fd(ctx->fd, batch, 0, &ring);
	if (ret) {
		free(cqes);
		return uc_fail(ctx, -ret, uc_ring_hint(-ret), "io_uring setup");
	}

	t0 = uc_now();
	c0 = uc_cpu_now();
	uc_progress_start(&prog, ctx->progress ? stderr : NULL, t0, "nop");
	while (done < count) {
		n = count - done < batch ? (unsigned)(count - done) : batch;
		ret = nop_batch(ring, n, done, cqes);
		if (ret)
			break;
		done += n;
		if (prog.f)
			uc_progress_update(&prog, uc_now(), (double)done / (double)count);
	}
	secs = uc_now() - t0;
	cpu = uc_cpu_now() - c0;
	uc_progress_end(&prog);
	miscuring_close(ring);
	free(cqes);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "nop: after %" PRIu64 " of %" PRIu64,
			       done, count);

	if (ctx->j) {
		json_kv_double(ctx->j, "seconds", secs);
		json_kv_double(ctx->j, "cpu_seconds", cpu);
		json_kv_double(ctx->j, "ops_per_sec", secs > 0 ? count / secs : 0);
	}
	uc_text(ctx, "%" PRIu64 " nop%s, batch %u: %.6f s, %.0f ops/s\n", count,
		count == 1 ? "" : "s", batch, secs, secs > 0 ? count / secs : 0);
	return 0;
}

int uc_cmd_echo(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char out[UC_ECHO_MAX];
	char hexbuf[2 * UC_ECHO_MAX + 1];
	struct miscuring_ring *ring;
	size_t len = cmd->u.echo.len, i;
	int ret;

	if (uc_ring(ctx, MISCURING_SETUP_SQE128, false, &ring))
		return 1;
	ret = miscuring_echo(ring, cmd->u.echo.data, len, out);
	if (ret < 0)
		return uc_fail(ctx, -ret, NULL, "echo");
	if (ctx->j) {
		for (i = 0; i < len; i++) {
			hexbuf[2 * i] = hex[out[i] >> 4];
			hexbuf[2 * i + 1] = hex[out[i] & 0xf];
		}
		hexbuf[2 * len] = '\0';
		json_key(ctx->j, "data");
		json_string_n(ctx->j, out, len);
		json_kv_u64(ctx->j, "length", len);
		json_kv_string(ctx->j, "hex", hexbuf);
	}
	if (ctx->text) {
		fwrite(out, 1, len, stdout);
		fputc('\n', stdout);
	}
	return 0;
}

int uc_cmd_delay(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	int32_t want = cmd->u.delay.result;
	struct miscuring_ring *ring;
	const char *name;
	double t0, secs;
	int res;

	if (ctx->j)
		json_kv_u64(ctx->j, "usec", cmd->u.delay.usec);
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	t0 = uc_now();
	res = miscuring_delay(ring, cmd->u.delay.usec, want);
	secs = uc_now() - t0;
	if (res != want) {
		if (res < 0)
			return uc_fail(ctx, -res, NULL, "delay");
		return uc_fail_plain(ctx, EPROTO,
				     "delay: completed with result %d, not %" PRId32,
				     res, want);
	}
	if (ctx->j) {
		json_kv_s64(ctx->j, "result", res);
		json_kv_double(ctx->j, "seconds", secs);
	}
	name = res < 0 ? uc_errname(-res) : NULL;
	uc_text(ctx, "result %d%s%s%s after %.3f ms\n", res, name ? " (" : "",
		name ? name : "", name ? ")" : "", secs * 1e3);
	return 0;
}
