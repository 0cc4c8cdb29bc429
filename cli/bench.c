/* SPDX-License-Identifier: MIT */
/*
 * bench: throughput (ops/s) of NOP (inline), GET_VALUE (inline) and
 * DELAY(0) (async: the module completes it from task work, as it does
 * every DELAY once its time is up) sent through libmiscuring
 * at each batch size, and of the GET_VALUE ioctl (one system call per op,
 * no SQE), on one open file of the device.
 *
 * A point is one op at one batch size: a fresh ring of batch entries, a
 * few untimed batches to warm up, then batches of "prepare batch
 * commands, submit and wait for all in one io_uring_enter, reap" for
 * --seconds of wall time or --count ops. Every completion is checked.
 * The clock is read about every 16 ops, the same for every point.
 *
 * The JSON results are self-describing records (uringctl(1), "bench
 * results"), so other programs (tests/bench) can print the same records
 * for their own loops and the documents can be merged with jq.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "progress.h"
#include "uringctl.h"

struct bench_def {
	const char	*op;		/* the ABI's name of what is measured */
	const char	*interface;	/* "uring_cmd" or "ioctl" */
	const char	*via;		/* "libmiscuring" or "syscall" */
	const char	*completion;	/* "inline", "async" or "sync" */
	bool		batched;
};

static const struct bench_def defs[UC_BENCH_OP_COUNT] = {
	[UC_BENCH_NOP] = { "MISCURING_CMD_NOP", "uring_cmd", "libmiscuring",
			   "inline", true },
	[UC_BENCH_GET] = { "MISCURING_CMD_GET_VALUE", "uring_cmd",
			   "libmiscuring", "inline", true },
	[UC_BENCH_DELAY] = { "MISCURING_CMD_DELAY", "uring_cmd",
			     "libmiscuring", "async", true },
	[UC_BENCH_IOCTL] = { "MISCURING_IOC_GET_VALUE", "ioctl", "syscall",
			     "sync", false },
};

#define MAX_POINTS	(UC_BENCH_OP_COUNT * UC_BENCH_MAX_BATCHES)
#define CHECK_OPS	16	/* read the clock about this often */
#define WARMUP_OPS	64

struct point {
	unsigned	op;		/* enum uc_bench_op */
	unsigned	batch;
	uint64_t	ops;
	double		secs, cpu;
};

struct run {
	struct uc_ctx		*ctx;
	const struct uc_cmd	*cmd;
	struct uc_progress	prog;
	size_t			index, npoints;	/* for the progress line */
};

/* Stop after this point's budget: --count ops or --seconds. */
static bool point_done(const struct run *r, uint64_t ops, double now, double t0)
{
	if (r->cmd->u.bench.count)
		return ops >= r->cmd->u.bench.count;
	return now - t0 >= r->cmd->u.bench.seconds;
}

static void point_progress(struct run *r, uint64_t ops, double now, double t0)
{
	double f;

	if (!r->prog.f)
		return;
	if (r->cmd->u.bench.count)
		f = (double)ops / (double)r->cmd->u.bench.count;
	else
		f = (now - t0) / r->cmd->u.bench.seconds;
	if (f > 1)
		f = 1;
	uc_progress_update(&r->prog, now, ((double)r->index + f) / (double)r->npoints);
}

/* One batch of n commands: prepare, submit, reap, check. */
static int uring_batch(struct miscuring_ring *ring, unsigned op, unsigned n,
		       uint64_t *values, struct miscuring_cqe *cqes)
{
	unsigned i, got = 0;
	int ret = 0, err = 0;

	for (i = 0; i < n && !ret; i++) {
		switch (op) {
		case UC_BENCH_NOP:
			ret = miscuring_prep_nop(ring, i);
			break;
		case UC_BENCH_GET:
			ret = miscuring_prep_get_value(ring, &values[i], i);
			break;
		default:
			ret = miscuring_prep_delay(ring, 0, 0, i);
			break;
		}
	}
	if (ret)
		return ret;
	ret = miscuring_submit_and_wait(ring, n);
	if (ret < 0)
		return ret;
	if ((unsigned)ret != n)
		return -EAGAIN;
	while (got < n) {
		ret = miscuring_wait_batch(ring, cqes, n - got, n - got, NULL);
		if (ret < 0)
			return ret;
		/* every op here completes with 0: NOP, GET_VALUE, DELAY result 0 */
		for (i = 0; i < (unsigned)ret; i++)
			if (cqes[i].res && !err)
				err = cqes[i].res < 0 ? cqes[i].res : -EPROTO;
		got += (unsigned)ret;
	}
	return err;
}

static int run_uring(struct run *r, struct point *pt)
{
	unsigned batch = pt->batch, n, every, k = 0;
	struct miscuring_ring *ring;
	struct miscuring_cqe *cqes;
	uint64_t *values, ops = 0, limit = r->cmd->u.bench.count;
	double t0, c0, now = 0;
	int ret;

	cqes = calloc(batch, sizeof(*cqes));
	values = calloc(batch, sizeof(*values));
	if (!cqes || !values) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* Throughput is the point: the device as a registered file. */
	ret = miscuring_open_fd(r->ctx->fd, batch, MISCURING_SETUP_FIXED_FILE,
				&ring);
	if (ret)
		goto out_free;
	for (n = 0; n < WARMUP_OPS && !ret; n += batch)
		ret = uring_batch(ring, pt->op, batch, values, cqes);

	every = batch >= CHECK_OPS ? 1 : CHECK_OPS / batch;
	t0 = uc_now();
	c0 = uc_cpu_now();
	while (!ret) {
		n = limit && limit - ops < batch ? (unsigned)(limit - ops) : batch;
		ret = uring_batch(ring, pt->op, n, values, cqes);
		if (ret)
			break;
		ops += n;
		if (limit && ops >= limit)
			break;
		if (++k % every)
			continue;
		now = uc_now();
		if (point_done(r, ops, now, t0))
			break;
		point_progress(r, ops, now, t0);
	}
	pt->secs = uc_now() - t0;
	pt->cpu = uc_cpu_now() - c0;
	pt->ops = ops;
	miscuring_close(ring);
out_free:
	free(values);
	free(cqes);
	return ret;
}

static int run_ioctl(struct run *r, struct point *pt)
{
	uint64_t ops = 0, limit = r->cmd->u.bench.count;
	double t0, c0, now;
	int fd = r->ctx->fd, v, i;

	for (i = 0; i < WARMUP_OPS; i++)
		if (ioctl(fd, MISCURING_IOC_GET_VALUE, &v))
			return -errno;
	t0 = uc_now();
	c0 = uc_cpu_now();
	for (;;) {
		if (ioctl(fd, MISCURING_IOC_GET_VALUE, &v))
			return -errno;
		ops++;
		if (limit) {
			if (ops >= limit)
				break;
			if (ops % CHECK_OPS)
				continue;
			now = uc_now();
		} else {
			if (ops % CHECK_OPS)
				continue;
			now = uc_now();
			if (point_done(r, ops, now, t0))
				break;
		}
		point_progress(r, ops, now, t0);
	}
	pt->secs = uc_now() - t0;
	pt->cpu = uc_cpu_now() - c0;
	pt->ops = ops;
	return 0;
}

static double rate(const struct point *pt)
{
	return pt->secs > 0 ? (double)pt->ops / pt->secs : 0;
}

static void json_point(struct json *j, const struct point *pt)
{
	const struct bench_def *d = &defs[pt->op];

	json_object_begin(j);
	json_kv_string(j, "producer", "uringctl");
	json_kv_string(j, "name", uc_bench_op_names[pt->op]);
	json_kv_string(j, "op", d->op);
	json_kv_string(j, "interface", d->interface);
	json_kv_string(j, "via", d->via);
	json_kv_string(j, "completion", d->completion);
	json_kv_u64(j, "batch", pt->batch);
	json_kv_u64(j, "ops", pt->ops);
	json_kv_double(j, "seconds", pt->secs);
	json_kv_double(j, "cpu_seconds", pt->cpu);
	json_kv_double(j, "ops_per_sec", rate(pt));
	json_object_end(j);
}

static void json_environment(struct uc_ctx *ctx)
{
	struct miscuring_devinfo info;
	struct miscuring_ring *ring;
	struct utsname uts;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	bool probed = false;

	/* The module's version if the device is a miscuring device at all
	 * (bench also runs on /dev/null's uring_cmd, minus the ioctl). */
	if (miscuring_open_fd(ctx->fd, 0, 0, &ring) == 0) {
		probed = miscuring_probe(ring, &info) == 0;
		miscuring_close(ring);
	}
	json_key(ctx->j, "environment");
	json_object_begin(ctx->j);
	json_kv_string(ctx->j, "producer", "uringctl");
	json_kv_string(ctx->j, "producer_version", PACKAGE_VERSION);
	json_kv_string(ctx->j, "library_version", miscuring_version());
	json_key(ctx->j, "module_version");
	if (probed)
		json_string(ctx->j, info.module_version);
	else
		json_null(ctx->j);
	if (uname(&uts) == 0) {
		json_kv_string(ctx->j, "kernel", uts.release);
		json_kv_string(ctx->j, "machine", uts.machine);
	}
	json_kv_s64(ctx->j, "cpus", cpus);
	json_kv_string(ctx->j, "device", ctx->device);
	json_object_end(ctx->j);
}

static void json_params(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	size_t i;

	json_key(ctx->j, "params");
	json_object_begin(ctx->j);
	json_key(ctx->j, "ops");
	json_array_begin(ctx->j);
	for (i = 0; i < cmd->u.bench.nops; i++)
		json_string(ctx->j, uc_bench_op_names[cmd->u.bench.ops[i]]);
	json_array_end(ctx->j);
	json_key(ctx->j, "batches");
	json_array_begin(ctx->j);
	for (i = 0; i < cmd->u.bench.nbatches; i++)
		json_u64(ctx->j, cmd->u.bench.batches[i]);
	json_array_end(ctx->j);
	json_key(ctx->j, "seconds");
	if (cmd->u.bench.count)
		json_null(ctx->j);
	else
		json_double(ctx->j, cmd->u.bench.seconds);
	json_key(ctx->j, "count");
	if (cmd->u.bench.count)
		json_u64(ctx->j, cmd->u.bench.count);
	else
		json_null(ctx->j);
	json_object_end(ctx->j);
}

int uc_cmd_bench(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct point *points;
	struct run r = { .ctx = ctx, .cmd = cmd };
	size_t i, b, n = 0, done;
	char label[96];
	int ret = 0;

	points = calloc(MAX_POINTS, sizeof(*points));
	if (!points)
		return uc_fail(ctx, ENOMEM, NULL, "bench");
	for (i = 0; i < cmd->u.bench.nops; i++) {
		unsigned op = cmd->u.bench.ops[i];

		if (!defs[op].batched) {
			points[n].op = op;
			points[n++].batch = 1;
			continue;
		}
		for (b = 0; b < cmd->u.bench.nbatches; b++) {
			points[n].op = op;
			points[n++].batch = cmd->u.bench.batches[b];
		}
	}
	r.npoints = n;

	if (uc_open(ctx, false)) {
		free(points);
		return 1;
	}
	if (ctx->j) {
		json_environment(ctx);
		json_params(ctx, cmd);
	}
	uc_text(ctx, "%-6s %-10s %-10s %5s %12s %12s %9s\n", "name", "interface",
		"completion", "batch", "ops/s", "ops", "seconds");
	uc_progress_start(&r.prog, ctx->progress ? stderr : NULL, uc_now(), "bench");
	for (done = 0; done < n; done++) {
		struct point *pt = &points[done];

		r.index = done;
		snprintf(label, sizeof(label), "bench: %s, batch %u (%zu/%zu)",
			 uc_bench_op_names[pt->op], pt->batch, done + 1, n);
		uc_progress_label(&r.prog, label);
		ret = defs[pt->op].batched ? run_uring(&r, pt) : run_ioctl(&r, pt);
		if (ret)
			break;
		if (ctx->text) {
			uc_progress_end(&r.prog);
			uc_text(ctx, "%-6s %-10s %-10s %5u %12.0f %12" PRIu64 " %9.3f\n",
				uc_bench_op_names[pt->op], defs[pt->op].interface,
				defs[pt->op].completion, pt->batch, rate(pt),
				pt->ops, pt->secs);
			fflush(stdout);
		}
	}
	uc_progress_end(&r.prog);

	if (ctx->j) {
		json_key(ctx->j, "results");
		json_array_begin(ctx->j);
		for (i = 0; i < done; i++)
			json_point(ctx->j, &points[i]);
		json_array_end(ctx->j);
	}
	if (ret) {
		uc_fail(ctx, -ret, ret == -ENOTTY ?
			"the device has no GET_VALUE ioctl: is it a miscuring device?" :
			NULL, "bench: %s, batch %u", uc_bench_op_names[points[done].op],
			points[done].batch);
		free(points);
		return 1;
	}
	free(points);
	return 0;
}
