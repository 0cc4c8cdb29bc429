/* SPDX-License-Identifier: MIT */
/*
 * raw-bench: throughput (ops/s) of /dev/miscuring's commands sent by hand
 * with raw liburing, of io_uring's own IORING_OP_NOP, of the same commands
 * through libmiscuring (the loop uringctl bench runs), and of the classic
 * ioctls, at each batch size. tests/bench/run runs it in a VM next to
 * uringctl bench; the ratios between these figures are what it reports.
 *
 *   name       what one op is                          via
 *   ring_nop   IORING_OP_NOP (io_uring's floor)         liburing
 *   nop        uring_cmd MISCURING_CMD_NOP, inline      liburing
 *   get        uring_cmd MISCURING_CMD_GET_VALUE        liburing
 *   delay      uring_cmd MISCURING_CMD_DELAY(0): async  liburing
 *              (straight to task work -> CQE)
 *   nop_fixed, get_fixed, delay_fixed: the same three  liburing, with
 *              the device registered as the ring's file 0 (IOSQE_FIXED_FILE)
 *   lib_nop, lib_get, lib_delay: the same three        libmiscuring
 *              (MISCURING_SETUP_FIXED_FILE, as uringctl bench: file 0 too)
 *   ioctl      MISCURING_IOC_GET_VALUE, one syscall     syscall
 *   ioctl_nop  an ioctl number the driver does not     syscall
 *              know: enters its ioctl handler and leaves with -ENOTTY,
 *              the ioctl path with an empty handler (the HELLO ioctl is
 *              no NOP: it logs, rate-limited)
 *
 * The raw loops are what a program without the library writes with
 * liburing 2.3 (no io_uring_prep_uring_cmd): io_uring_prep_rw(
 * IORING_OP_URING_CMD, ...), cmd_op, the payload copied into sqe->cmd;
 * the _fixed ones also register the device file with the ring
 * (io_uring_register_files), which spares the kernel a file lookup and a
 * reference count per command.
 *
 * A point is one op at one batch size: a fresh ring of BATCH entries with
 * the setup libmiscuring picks (SINGLE_ISSUER | DEFER_TASKRUN |
 * TASKRUN_FLAG where the kernel has them), a few untimed batches, then
 * "prepare BATCH commands, one io_uring_enter that submits them and waits
 * for all, reap and check every CQE" for S seconds of wall time. An ioctl
 * cannot batch: its points are the same syscall loop at every batch size,
 * measured there so every batch column has its own same-time figure.
 *
 * Every result is checked: a CQE or ioctl with an unexpected result, or a
 * failed submit, ends the program with exit status 1. Speed never does.
 *
 * usage: raw-bench [-d DEVICE] [-b LIST] [-s SECONDS] [-o LIST] [-j]
 *   -b  batch sizes (default 1,8,32,128)
 *   -s  seconds per point (default 0.5)
 *   -o  ops (default: all of the table above)
 *   -j  print one JSON document (uringctl bench's record format, producer
 *       "raw-bench") instead of a table
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <liburing.h>
#include <libmiscuring.h>

/* Grouped by what sends them: raw liburing, libmiscuring, a syscall. */
enum op {
	OP_RING_NOP, OP_NOP, OP_GET, OP_DELAY,
	OP_NOP_FIXED, OP_GET_FIXED, OP_DELAY_FIXED,
	OP_LIB_NOP, OP_LIB_GET, OP_LIB_DELAY,
	OP_IOCTL, OP_IOCTL_NOP,
	OP_COUNT
};

struct def {
	const char	*name;
	const char	*op;		/* what the kernel sees */
	const char	*interface;
	const char	*via;
	const char	*completion;
};

static const struct def defs[OP_COUNT] = {
	[OP_RING_NOP]	= { "ring_nop", "IORING_OP_NOP", "io_uring", "liburing", "inline" },
	[OP_NOP]	= { "nop", "MISCURING_CMD_NOP", "uring_cmd", "liburing", "inline" },
	[OP_GET]	= { "get", "MISCURING_CMD_GET_VALUE", "uring_cmd", "liburing", "inline" },
	[OP_DELAY]	= { "delay", "MISCURING_CMD_DELAY", "uring_cmd", "liburing", "async" },
	[OP_NOP_FIXED]	= { "nop_fixed", "MISCURING_CMD_NOP", "uring_cmd", "liburing, registered file", "inline" },
	[OP_GET_FIXED]	= { "get_fixed", "MISCURING_CMD_GET_VALUE", "uring_cmd", "liburing, registered file", "inline" },
	[OP_DELAY_FIXED] = { "delay_fixed", "MISCURING_CMD_DELAY", "uring_cmd", "liburing, registered file", "async" },
	[OP_LIB_NOP]	= { "lib_nop", "MISCURING_CMD_NOP", "uring_cmd", "libmiscuring", "inline" },
	[OP_LIB_GET]	= { "lib_get", "MISCURING_CMD_GET_VALUE", "uring_cmd", "libmiscuring", "inline" },
	[OP_LIB_DELAY]	= { "lib_delay", "MISCURING_CMD_DELAY", "uring_cmd", "libmiscuring", "async" },
	[OP_IOCTL]	= { "ioctl", "MISCURING_IOC_GET_VALUE", "ioctl", "syscall", "sync" },
	[OP_IOCTL_NOP]	= { "ioctl_nop", "unknown ioctl (-ENOTTY)", "ioctl", "syscall", "sync" },
};

/* Not one of the driver's ioctls: its handler answers -ENOTTY at once. */
#define MU_IOC_UNKNOWN	_IO(MISCURING_IOC_MAGIC, 0xff)

#define MAX_BATCHES	8
#define MAX_BATCH	4096
#define CHECK_OPS	16	/* read the clock about this often */
#define WARMUP_OPS	256

struct opts {
	const char	*dev;
	unsigned	batches[MAX_BATCHES];
	unsigned	nbatches;
	bool		ops[OP_COUNT];
	double		seconds;
	bool		json;
};

struct point {
	enum op		op;
	unsigned	batch;
	uint64_t	ops;
	double		secs, cpu;
};

static double clock_secs(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "raw-bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* --- raw liburing ---------------------------------------------------- */

/* The ops that name the device as registered file 0, not by its fd. */
static bool op_is_fixed(enum op op)
{
	return op >= OP_NOP_FIXED && op <= OP_DELAY_FIXED;
}

static void prep_raw(struct io_uring_sqe *sqe, enum op op, int fd,
		     uint64_t *value)
{
	union {
		struct miscuring_nop		nop;
		struct miscuring_get_value	get;
		struct miscuring_delay		delay;
	} p;

	if (op == OP_RING_NOP) {
		io_uring_prep_nop(sqe);
		return;
	}
	memset(&p, 0, sizeof(p));
	if (op_is_fixed(op)) {
		/* the device is file 0 of the ring's registered files */
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		op = (enum op)(op - OP_NOP_FIXED + OP_NOP);
	} else {
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	}
	switch (op) {
	case OP_NOP:
		sqe->cmd_op = MISCURING_CMD_NOP;
		break;
	case OP_GET:
		sqe->cmd_op = MISCURING_CMD_GET_VALUE;
		p.get.addr = htole64((uint64_t)(uintptr_t)value);
		break;
	default:
		sqe->cmd_op = MISCURING_CMD_DELAY;	/* usec 0, result 0 */
		break;
	}
	memcpy(sqe->cmd, &p, MISCURING_PAYLOAD_SQE64);
}

/* One batch of n: prepare, one enter to submit and wait for all, reap. */
static int raw_batch(struct io_uring *ring, enum op op, int fd, unsigned n,
		     uint64_t *values)
{
	struct io_uring_cqe *cqe;
	unsigned i, head, got = 0, seen;
	int ret, err = 0;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			return -EBUSY;
		prep_raw(sqe, op, fd, &values[i]);
		sqe->user_data = i;
	}
	ret = io_uring_submit_and_wait(ring, n);
	if (ret < 0)
		return ret;
	if ((unsigned)ret != n)
		return -EAGAIN;
	while (got < n) {
		seen = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			/* every op here completes with 0 */
			if (cqe->res && !err)
				err = cqe->res < 0 ? cqe->res : -EPROTO;
			seen++;
		}
		io_uring_cq_advance(ring, seen);
		got += seen;
		if (got < n) {
			ret = io_uring_wait_cqe_nr(ring, &cqe, n - got);
			if (ret < 0)
				return ret;
		}
	}
	return err;
}

/* --- libmiscuring: uringctl bench's loop ------------------------------- */

static int lib_batch(struct miscuring_ring *ring, enum op op, unsigned n,
		     uint64_t *values, struct miscuring_cqe *cqes)
{
	unsigned i, got = 0;
	int ret = 0, err = 0;

	for (i = 0; i < n && !ret; i++) {
		switch (op) {
		case OP_LIB_NOP:
			ret = miscuring_prep_nop(ring, i);
			break;
		case OP_LIB_GET:
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
			if (cqes[i].res && !err)
				err = cqes[i].res < 0 ? cqes[i].res : -EPROTO;
		got += (unsigned)ret;
	}
	return err;
}

/* --- ioctl ------------------------------------------------------------- */

static int ioctl_one(enum op op, int fd)
{
	int v;

	if (op == OP_IOCTL)
		return ioctl(fd, MISCURING_IOC_GET_VALUE, &v) ? -errno : 0;
	if (ioctl(fd, MU_IOC_UNKNOWN, &v) == 0)
		return -EPROTO;
	return errno == ENOTTY ? 0 : -errno;
}

/* --- one point --------------------------------------------------------- */

struct engine {
	enum op			op;
	int			fd;
	struct io_uring		raw;
	struct miscuring_ring	*lib;
	uint64_t		*values;
	struct miscuring_cqe	*cqes;
};

enum engine_kind { ENGINE_RAW, ENGINE_LIB, ENGINE_SYSCALL };

static enum engine_kind engine_kind(enum op op)
{
	if (op <= OP_DELAY_FIXED)
		return ENGINE_RAW;
	return op <= OP_LIB_DELAY ? ENGINE_LIB : ENGINE_SYSCALL;
}

static int engine_batch(struct engine *e, unsigned n)
{
	unsigned i;
	int ret;

	switch (engine_kind(e->op)) {
	case ENGINE_RAW:
		return raw_batch(&e->raw, e->op, e->fd, n, e->values);
	case ENGINE_LIB:
		return lib_batch(e->lib, e->op, n, e->values, e->cqes);
	default:
		for (i = 0; i < n; i++) {
			ret = ioctl_one(e->op, e->fd);
			if (ret)
				return ret;
		}
		return 0;
	}
}

static int engine_open(struct engine *e, enum op op, int fd, unsigned batch)
{
	struct miscuring_ring *probe;
	unsigned flags;
	int ret;

	memset(e, 0, sizeof(*e));
	e->op = op;
	e->fd = fd;
	e->values = calloc(batch, sizeof(*e->values));
	e->cqes = calloc(batch, sizeof(*e->cqes));
	if (!e->values || !e->cqes)
		return -ENOMEM;
	switch (engine_kind(op)) {
	case ENGINE_RAW:
		/* Exactly the setup the library ends up with on this kernel. */
		ret = miscuring_open_fd(fd, batch, 0, &probe);
		if (ret)
			return ret;
		flags = miscuring_ring_setup_flags(probe);
		miscuring_close(probe);
		ret = io_uring_queue_init(batch, &e->raw, flags);
		if (ret || !op_is_fixed(op))
			return ret;
		return io_uring_register_files(&e->raw, &fd, 1);
	case ENGINE_LIB:
		return miscuring_open_fd(fd, batch, MISCURING_SETUP_FIXED_FILE,
					 &e->lib);
	default:
		return 0;
	}
}

static void engine_close(struct engine *e)
{
	if (e->raw.ring_fd > 0)
		io_uring_queue_exit(&e->raw);
	if (e->lib)
		miscuring_close(e->lib);
	free(e->values);
	free(e->cqes);
}

static int measure(const struct opts *o, int fd, struct point *pt)
{
	unsigned batch = pt->batch, every, k = 0;
	struct engine e;
	uint64_t n;
	double t0, c0;
	int ret;

	ret = engine_open(&e, pt->op, fd, batch);
	for (n = 0; !ret && n < WARMUP_OPS; n += batch)
		ret = engine_batch(&e, batch);
	every = batch >= CHECK_OPS ? 1 : CHECK_OPS / batch;
	pt->ops = 0;
	t0 = clock_secs(CLOCK_MONOTONIC);
	c0 = clock_secs(CLOCK_PROCESS_CPUTIME_ID);
	while (!ret) {
		ret = engine_batch(&e, batch);
		if (ret)
			break;
		pt->ops += batch;
		if (++k % every)
			continue;
		if (clock_secs(CLOCK_MONOTONIC) - t0 >= o->seconds)
			break;
	}
	pt->secs = clock_secs(CLOCK_MONOTONIC) - t0;
	pt->cpu = clock_secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
	engine_close(&e);
	return ret;
}

/* --- output ------------------------------------------------------------ */

static double rate(const struct point *pt)
{
	return pt->secs > 0 ? (double)pt->ops / pt->secs : 0;
}

static void json_string_list(const char *key, const struct opts *o, bool ops)
{
	unsigned i;
	bool first = true;

	printf("    \"%s\": [", key);
	if (ops) {
		for (i = 0; i < OP_COUNT; i++) {
			if (!o->ops[i])
				continue;
			printf("%s\"%s\"", first ? "" : ", ", defs[i].name);
			first = false;
		}
	} else {
		for (i = 0; i < o->nbatches; i++)
			printf("%s%u", i ? ", " : "", o->batches[i]);
	}
	printf("],\n");
}

static void json_begin(const struct opts *o)
{
	struct utsname uts;

	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	printf("{\n  \"output_version\": 1,\n  \"command\": \"raw-bench\",\n");
	printf("  \"environment\": {\n    \"producer\": \"raw-bench\",\n");
	printf("    \"library_version\": \"%s\",\n", miscuring_version());
	printf("    \"kernel\": \"%s\",\n    \"machine\": \"%s\",\n",
	       uts.release, uts.machine);
	printf("    \"cpus\": %ld,\n    \"device\": \"%s\"\n  },\n",
	       sysconf(_SC_NPROCESSORS_ONLN), o->dev);
	printf("  \"params\": {\n");
	json_string_list("ops", o, true);
	json_string_list("batches", o, false);
	printf("    \"seconds\": %g\n  },\n  \"results\": [", o->seconds);
}

static void json_point(const struct point *pt, bool first)
{
	const struct def *d = &defs[pt->op];

	printf("%s\n    {\"producer\": \"raw-bench\", \"name\": \"%s\", \"op\": \"%s\", "
	       "\"interface\": \"%s\", \"via\": \"%s\", \"completion\": \"%s\", "
	       "\"batch\": %u, \"ops\": %llu, \"seconds\": %.6f, "
	       "\"cpu_seconds\": %.6f, \"ops_per_sec\": %.1f}",
	       first ? "" : ",", d->name, d->op, d->interface, d->via,
	       d->completion, pt->batch, (unsigned long long)pt->ops, pt->secs,
	       pt->cpu, rate(pt));
	fflush(stdout);
}

/* --- options ----------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: raw-bench [-d DEVICE] [-b LIST] [-s SECONDS] [-o LIST] [-j]\n");
	exit(2);
}

static void parse_ops(struct opts *o, char *list)
{
	char *tok, *save = NULL;
	unsigned i;

	memset(o->ops, 0, sizeof(o->ops));
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < OP_COUNT && strcmp(tok, defs[i].name); i++)
			;
		if (i == OP_COUNT) {
			fprintf(stderr, "raw-bench: unknown op %s\n", tok);
			usage();
		}
		o->ops[i] = true;
	}
}

static void parse_batches(struct opts *o, char *list)
{
	char *tok, *save = NULL, *end;
	unsigned long v;

	o->nbatches = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		v = strtoul(tok, &end, 10);
		if (*end || !v || v > MAX_BATCH || o->nbatches == MAX_BATCHES)
			usage();
		o->batches[o->nbatches++] = (unsigned)v;
	}
	if (!o->nbatches)
		usage();
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const unsigned def_batches[] = { 1, 8, 32, 128 };
	unsigned i;
	int c;

	memset(o, 0, sizeof(*o));
	o->dev = MISCURING_DEVICE_PATH;
	o->seconds = 0.5;
	for (i = 0; i < 4; i++)
		o->batches[i] = def_batches[i];
	o->nbatches = 4;
	for (i = 0; i < OP_COUNT; i++)
		o->ops[i] = true;
	while ((c = getopt(argc, argv, "d:b:s:o:j")) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'b': parse_batches(o, optarg); break;
		case 's': o->seconds = atof(optarg); break;
		case 'o': parse_ops(o, optarg); break;
		case 'j': o->json = true; break;
		default: usage();
		}
	}
	if (optind != argc || !(o->seconds > 0))
		usage();
}

int main(int argc, char **argv)
{
	struct point pt;
	struct opts o;
	unsigned b, i;
	bool first = true;
	int fd, ret;

	parse(argc, argv, &o);
	fd = open(o.dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(o.dev, errno);
	if (o.json)
		json_begin(&o);
	else
		printf("%-10s %-10s %-12s %-9s %5s %12s %10s\n", "name", "interface",
		       "via", "completion", "batch", "ops/s", "ops");
	/* Batch by batch, so the ops compared at one size run close in time. */
	for (b = 0; b < o.nbatches; b++) {
		for (i = 0; i < OP_COUNT; i++) {
			if (!o.ops[i])
				continue;
			pt.op = (enum op)i;
			pt.batch = o.batches[b];
			ret = measure(&o, fd, &pt);
			if (ret) {
				fprintf(stderr, "raw-bench: %s, batch %u: %s\n",
					defs[i].name, pt.batch, strerror(-ret));
				return 1;
			}
			if (o.json) {
				json_point(&pt, first);
				first = false;
			} else {
				printf("%-10s %-10s %-12s %-9s %5u %12.0f %10llu\n",
				       defs[i].name, defs[i].interface, defs[i].via,
				       defs[i].completion, pt.batch, rate(&pt),
				       (unsigned long long)pt.ops);
				fflush(stdout);
			}
		}
	}
	if (o.json)
		printf("\n  ]\n}\n");
	close(fd);
	return 0;
}
