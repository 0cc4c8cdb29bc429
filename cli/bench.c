/* SPDX-License-Identifier: MIT */
/*
 * bench: throughput (ops/s) of NOP (inline), GET_VALUE (inline) and
 * DELAY(0) (async: the module completes it from task work, as it does
 * every DELAY once its time is up) sent through libmiscuring
 * at each batch size, and of the GET_VALUE ioctl (one system call per op,
 * no SQE), on one open file of the device; and, asked for, of READ and
 * WRITE (ops/s and MB/s) at offset 0 with a user buffer, a vectored one
 * (one iovec a 4 KiB page) and a registered one, at each transfer size.
 * The data ops first fill the device's buffer up to the largest size, so
 * every READ moves all it asks for; all the commands of a batch use the
 * same buffer.
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

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
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
	unsigned	data;		/* BD_*: a READ or WRITE */
};

#define BD_DATA		(1U << 0)
#define BD_WRITE	(1U << 1)
#define BD_VEC		(1U << 2)	/* iovecs, one a 4 KiB page */
#define BD_FIXED	(1U << 3)	/* registered buffer 0 */
#define VEC_BYTES	4096

static const struct bench_def defs[UC_BENCH_OP_COUNT] = {
	[UC_BENCH_NOP] = { "MISCURING_CMD_NOP", "uring_cmd", "libmiscuring",
			   "inline", true },
	[UC_BENCH_GET] = { "MISCURING_CMD_GET_VALUE", "uring_cmd",
			   "libmiscuring", "inline", true },
	[UC_BENCH_DELAY] = { "MISCURING_CMD_DELAY", "uring_cmd",
			     "libmiscuring", "async", true },
	[UC_BENCH_IOCTL] = { "MISCURING_IOC_GET_VALUE", "ioctl", "syscall",
			     "sync", false },
	[UC_BENCH_READ] = { "MISCURING_CMD_READ", "uring_cmd", "libmiscuring",
			    "inline", true, BD_DATA },
	[UC_BENCH_WRITE] = { "MISCURING_CMD_WRITE", "uring_cmd", "libmiscuring",
			     "inline", true, BD_DATA | BD_WRITE },
	[UC_BENCH_READV] = { "MISCURING_CMD_READ, vectored", "uring_cmd",
			     "libmiscuring", "inline", true, BD_DATA | BD_VEC },
	[UC_BENCH_WRITEV] = { "MISCURING_CMD_WRITE, vectored", "uring_cmd",
			      "libmiscuring", "inline", true,
			      BD_DATA | BD_WRITE | BD_VEC },
	[UC_BENCH_READ_FIXED] = { "MISCURING_CMD_READ, registered buffer",
				  "uring_cmd", "libmiscuring", "inline", true,
				  BD_DATA | BD_FIXED },
	[UC_BENCH_WRITE_FIXED] = { "MISCURING_CMD_WRITE, registered buffer",
				   "uring_cmd", "libmiscuring", "inline", true,
				   BD_DATA | BD_WRITE | BD_FIXED },
};

#define MAX_POINTS	(UC_BENCH_OP_COUNT * UC_BENCH_MAX_BATCHES * UC_BENCH_MAX_SIZES)
#define CHECK_OPS	16	/* read the clock about this often */
#define CHECK_BYTES	65536	/* ... or after this many bytes */
#define WARMUP_OPS	64
#define WARMUP_BYTES	(4U << 20)

struct point {
	unsigned	op;		/* enum uc_bench_op */
	unsigned	batch;
	uint32_t	size;		/* data ops: bytes per op, else 0 */
	uint64_t	ops;
	double		secs, cpu;
};

struct run {
	struct uc_ctx		*ctx;
	const struct uc_cmd	*cmd;
	struct uc_progress	prog;
	size_t			index, npoints;	/* for the progress line */
	void			*buf;		/* data ops: max_size bytes */
	uint32_t		max_size;
};

/* One point's READ or WRITE, the same for every command of a batch. */
struct data_cmd {
	struct miscuring_cmd_desc desc;
	struct miscuring_rw	payload;	/* little-endian, as the ABI */
	struct iovec		*iov;
	int32_t			res;		/* what each CQE must have */
};

/*
 * The command a library user queues for a READ or WRITE on the library's
 * ring (miscuring_prep_cmd_desc(): the ring's registered file 0), from
 * the buffer at offset 0 of the device's.
 */
static int data_cmd_init(struct data_cmd *c, unsigned op, void *buf,
			 uint32_t size)
{
	const struct bench_def *d = &defs[op];
	uint32_t i, n = size > VEC_BYTES ? size / VEC_BYTES : 1;

	memset(c, 0, sizeof(*c));
	c->res = (int32_t)size;
	c->desc.size = sizeof(c->desc);
	c->desc.cmd_op = d->data & BD_WRITE ? MISCURING_CMD_WRITE :
					      MISCURING_CMD_READ;
	c->desc.fd = 0;
	c->desc.sqe_flags = IOSQE_FIXED_FILE;
	c->desc.addr = (uint64_t)(uintptr_t)buf;
	c->desc.len = size;
	if (d->data & BD_VEC) {
		c->iov = calloc(n, sizeof(*c->iov));
		if (!c->iov)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			c->iov[i].iov_base = (char *)buf + (size_t)i * (size / n);
			c->iov[i].iov_len = size / n;
		}
		c->res = (int32_t)(size / n * n);
		c->payload.flags = htole32(MISCURING_RW_VECTORED);
		c->payload.nr_vecs = htole32(n);
		c->desc.addr = (uint64_t)(uintptr_t)c->iov;
		c->desc.len = 0;
	}
	if (d->data & BD_FIXED) {
		c->desc.uring_cmd_flags = LIBMISCURING_URING_CMD_FIXED;
		c->desc.buf_index = 0;
	}
	c->desc.payload = &c->payload;
	c->desc.payload_len = sizeof(c->payload);
	return 0;
}

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
		       uint64_t *values, struct miscuring_cqe *cqes,
		       struct data_cmd *dc)
{
	unsigned i, got = 0;
	/* NOP, GET_VALUE, DELAY result 0; a READ or WRITE moves all */
	int32_t want = dc ? dc->res : 0;
	int ret = 0, err = 0;

	for (i = 0; i < n && !ret; i++) {
		if (dc) {
			dc->desc.user_data = i;
			ret = miscuring_prep_cmd_desc(ring, &dc->desc);
			continue;
		}
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
		for (i = 0; i < (unsigned)ret; i++)
			if (cqes[i].res != want && !err)
				err = cqes[i].res < 0 ? cqes[i].res : -EPROTO;
		got += (unsigned)ret;
	}
	return err;
}

static int run_uring(struct run *r, struct point *pt)
{
	unsigned batch = pt->batch, n, every, k = 0, warm = WARMUP_OPS;
	struct miscuring_ring *ring;
	struct miscuring_cqe *cqes;
	struct data_cmd dc, *dcp = NULL;
	struct iovec reg = { r->buf, r->max_size };
	uint64_t *values, ops = 0, limit = r->cmd->u.bench.count;
	double t0, c0, now = 0;
	int ret;

	memset(&dc, 0, sizeof(dc));
	cqes = calloc(batch, sizeof(*cqes));
	values = calloc(batch, sizeof(*values));
	if (!cqes || !values) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (defs[pt->op].data) {
		ret = data_cmd_init(&dc, pt->op, r->buf, pt->size);
		if (ret)
			goto out_free;
		dcp = &dc;
		/* a few MiB of warm-up at most */
		if ((uint64_t)warm * pt->size > WARMUP_BYTES)
			warm = WARMUP_BYTES / pt->size;
	}
	/* Throughput is the point: the device as a registered file. */
	ret = miscuring_open_fd(r->ctx->fd, batch, MISCURING_SETUP_FIXED_FILE,
				&ring);
	if (ret)
		goto out_free;
	if (defs[pt->op].data & BD_FIXED)
		ret = miscuring_register_buffers(ring, &reg, 1);
	for (n = 0; n < warm && !ret; n += batch)
		ret = uring_batch(ring, pt->op, batch, values, cqes, dcp);

	every = batch >= CHECK_OPS || (uint64_t)pt->size * batch >= CHECK_BYTES ?
		1 : CHECK_OPS / batch;
	t0 = uc_now();
	c0 = uc_cpu_now();
	while (!ret) {
		n = limit && limit - ops < batch ? (unsigned)(limit - ops) : batch;
		ret = uring_batch(ring, pt->op, n, values, cqes, dcp);
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
	free(dc.iov);
	free(values);
	free(cqes);
	return ret;
}

/*
 * The data ops' buffer, and the device's filled up to the largest size
 * from it, so that every READ moves all it asks for. 0, or 1 when the
 * error is reported.
 */
static int data_setup(struct run *r)
{
	const struct uc_cmd *cmd = r->cmd;
	struct uc_ctx *ctx = r->ctx;
	ssize_t n;
	size_t i;

	for (i = 0; i < cmd->u.bench.nops; i++)
		if (defs[cmd->u.bench.ops[i]].data)
			break;
	if (i == cmd->u.bench.nops)
		return 0;
	for (i = 0; i < cmd->u.bench.nsizes; i++)
		if (cmd->u.bench.sizes[i] > r->max_size)
			r->max_size = cmd->u.bench.sizes[i];
	if (ctx->rdonly)
		return uc_fail(ctx, EBADF, "the read/write ops write the buffer first",
			       "bench: %s is open read-only", ctx->device);
	if (posix_memalign(&r->buf, 4096, r->max_size))
		return uc_fail(ctx, ENOMEM, NULL, "bench");
	memset(r->buf, 0x5a, r->max_size);
	n = pwrite(ctx->fd, r->buf, r->max_size, 0);
	if (n < 0)
		return uc_fail(ctx, errno, NULL, "bench: filling the buffer");
	if ((size_t)n != r->max_size)
		return uc_fail(ctx, EFBIG, "the module's max_buffer is smaller",
			       "bench: the buffer takes %zd bytes, not %" PRIu32,
			       n, r->max_size);
	return 0;
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
	if (d->data) {
		json_kv_u64(j, "bytes", pt->size);
		json_kv_double(j, "mb_per_sec", rate(pt) * pt->size / 1e6);
	}
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

static void json_params(struct uc_ctx *ctx, const struct uc_cmd *cmd,
			bool data)
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
	/* only when a data op runs: the other records stay as they were */
	if (data) {
		json_key(ctx->j, "sizes");
		json_array_begin(ctx->j);
		for (i = 0; i < cmd->u.bench.nsizes; i++)
			json_u64(ctx->j, cmd->u.bench.sizes[i]);
		json_array_end(ctx->j);
	}
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

/* Whether any op of the command moves data (then sizes matter). */
static bool bench_has_data(const struct uc_cmd *cmd)
{
	size_t i;

	for (i = 0; i < cmd->u.bench.nops; i++)
		if (defs[cmd->u.bench.ops[i]].data)
			return true;
	return false;
}

static void text_point(struct uc_ctx *ctx, const struct point *pt, bool data)
{
	const struct bench_def *d = &defs[pt->op];

	if (!data) {
		uc_text(ctx, "%-6s %-10s %-10s %5u %12.0f %12" PRIu64 " %9.3f\n",
			uc_bench_op_names[pt->op], d->interface, d->completion,
			pt->batch, rate(pt), pt->ops, pt->secs);
		return;
	}
	uc_text(ctx, "%-11s %-10s %-10s %5u %8" PRIu32 " %12.0f %10.1f %12" PRIu64 " %9.3f\n",
		uc_bench_op_names[pt->op], d->interface, d->completion,
		pt->batch, pt->size, rate(pt), rate(pt) * pt->size / 1e6,
		pt->ops, pt->secs);
}

int uc_cmd_bench(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct point *points;
	struct run r = { .ctx = ctx, .cmd = cmd };
	size_t i, b, z, n = 0, done;
	bool data = bench_has_data(cmd);
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
			for (z = 0; z < (defs[op].data ? cmd->u.bench.nsizes : 1); z++) {
				points[n].op = op;
				points[n].size = defs[op].data ? cmd->u.bench.sizes[z] : 0;
				points[n++].batch = cmd->u.bench.batches[b];
			}
		}
	}
	r.npoints = n;

	if (uc_open(ctx, false) || data_setup(&r)) {
		free(r.buf);
		free(points);
		return 1;
	}
	if (ctx->j) {
		json_environment(ctx);
		json_params(ctx, cmd, data);
	}
	if (data)
		uc_text(ctx, "%-11s %-10s %-10s %5s %8s %12s %10s %12s %9s\n", "name",
			"interface", "completion", "batch", "bytes", "ops/s", "MB/s",
			"ops", "seconds");
	else
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
			text_point(ctx, pt, data);
			fflush(stdout);
		}
	}
	uc_progress_end(&r.prog);
	free(r.buf);

	if (ctx->j) {
		json_key(ctx->j, "results");
		json_array_begin(ctx->j);
		for (i = 0; i < done; i++)
			json_point(ctx->j, &points[i]);
		json_array_end(ctx->j);
	}
	if (ret) {
		if (points[done].size)
			uc_fail(ctx, -ret, NULL, "bench: %s, batch %u, %" PRIu32 " bytes",
				uc_bench_op_names[points[done].op], points[done].batch,
				points[done].size);
		else
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
