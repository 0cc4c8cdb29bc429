/* SPDX-License-Identifier: MIT */
/*
 * raw-bench: throughput (ops/s) of /dev/miscuring's commands sent by hand
 * with raw liburing, of io_uring's own IORING_OP_NOP, of the same commands
 * through libmiscuring (the loop uringctl bench runs), of the classic
 * ioctls, and of data transfers (MB/s and ops/s) by every path the device
 * has, at each batch size. tests/bench/run runs it in a VM next to
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
 *   nop_cqe32  NOP, registered file, on a CQE32 ring    liburing
 *   null_cqe32 the same uring_cmd sent to /dev/null,    liburing
 *              whose ->uring_cmd (the kernel's own, 6.0+) completes any
 *              command with 0 inline: the floor of a driver's handler
 *   lib_nop, lib_get, lib_delay: the same three        libmiscuring
 *              (MISCURING_SETUP_FIXED_FILE, as uringctl bench: file 0 too)
 *   ioctl      MISCURING_IOC_GET_VALUE, one syscall     syscall
 *   ioctl_nop  an ioctl number the driver does not     syscall
 *              know: enters its ioctl handler and leaves with -ENOTTY,
 *              the ioctl path with an empty handler (the HELLO ioctl is
 *              no NOP: it logs, rate-limited)
 *
 * Data ops (-o data: all of them), each at every transfer size (-z) and
 * batch size, at offset 0 of the device's shared buffer, which is filled
 * to the largest size first (a READ is short at the end of its data):
 *
 *   pread, pwrite            the classic syscalls, one per op
 *   ring_read, ring_write    IORING_OP_READ/WRITE: the device's read_iter
 *                            and write_iter through io_uring
 *   ring_read_fixed, ring_write_fixed
 *                            IORING_OP_READ_FIXED/WRITE_FIXED, the buffer
 *                            registered with the ring
 *   cmd_read, cmd_write      uring_cmd READ/WRITE, a user buffer
 *   cmd_readv, cmd_writev    the same, vectored: one iovec a 4 KiB page
 *                            (one for 512 B, 256 for 1 MiB)
 *   cmd_read_fixed, cmd_write_fixed
 *                            the same, a registered buffer
 *                            (IORING_URING_CMD_FIXED), copied inline
 *
 * Every io_uring data op runs on the ring setup the library picks, with
 * the device registered as file 0 and one buffer of the largest size
 * registered as buffer 0; all the commands of a batch use the same buffer
 * (and the same iovecs), so what is measured is the path and the copy,
 * not the cache misses of 32 buffers.
 *
 * The raw loops are what a program without the library writes with
 * liburing 2.3 (no io_uring_prep_uring_cmd): io_uring_prep_rw(
 * IORING_OP_URING_CMD, ...), cmd_op, the payload copied into sqe->cmd
 * (READ/WRITE: libmiscuring's builders on the caller's SQE);
 * the _fixed ones also register the device file with the ring
 * (io_uring_register_files), which spares the kernel a file lookup and a
 * reference count per command.
 *
 * A point is one op at one batch size: a fresh ring of BATCH entries with
 * the setup libmiscuring picks (SINGLE_ISSUER | DEFER_TASKRUN |
 * TASKRUN_FLAG where the kernel has them), a few untimed batches, then
 * "prepare BATCH commands, one io_uring_enter that submits them and waits
 * for all, reap and check every CQE" for S seconds of wall time. An ioctl
 * or a pread cannot batch: its points are the same syscall loop at every
 * batch size, measured there so every batch column has its own same-time
 * figure.
 *
 * Every result is checked: a CQE or ioctl with an unexpected result (a
 * transfer: not the full size), or a failed submit, ends the program with
 * exit status 1. Speed never does.
 *
 * usage: raw-bench [-d DEVICE] [-b LIST] [-z LIST] [-s SECONDS] [-o LIST] [-j]
 *   -b  batch sizes (default 1,8,32,128)
 *   -z  transfer sizes of the data ops, bytes (default 512,4096,65536,1048576)
 *   -s  seconds per point (default 0.5)
 *   -o  ops (default: all of the first table; "data": all data ops)
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
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <liburing.h>
#include <libmiscuring.h>

/* Grouped by what sends them: raw liburing, libmiscuring, a syscall, data. */
enum op {
	OP_RING_NOP, OP_NOP, OP_GET, OP_DELAY,
	OP_NOP_FIXED, OP_GET_FIXED, OP_DELAY_FIXED,
	OP_NOP_CQE32, OP_NULL_CQE32,
	OP_LIB_NOP, OP_LIB_GET, OP_LIB_DELAY,
	OP_IOCTL, OP_IOCTL_NOP,
	OP_PREAD, OP_PWRITE,
	OP_RING_READ, OP_RING_WRITE, OP_RING_READ_FIXED, OP_RING_WRITE_FIXED,
	OP_CMD_READ, OP_CMD_WRITE, OP_CMD_READV, OP_CMD_WRITEV,
	OP_CMD_READ_FIXED, OP_CMD_WRITE_FIXED,
	OP_COUNT
};

enum engine_kind { ENGINE_RAW, ENGINE_LIB, ENGINE_SYSCALL, ENGINE_DATA,
		   ENGINE_DATA_SYSCALL };

/* def.flags */
#define D_FILE		(1U << 0)	/* the target is registered file 0 */
#define D_CQE32		(1U << 1)	/* a CQE32 ring */
#define D_NULL		(1U << 2)	/* the target is /dev/null */
#define D_WRITE		(1U << 3)	/* data into the device */
#define D_VEC		(1U << 4)	/* iovecs */
#define D_BUF		(1U << 5)	/* a registered buffer */

struct def {
	const char	*name;
	const char	*op;		/* what the kernel sees */
	const char	*interface;
	const char	*via;
	const char	*completion;
	enum engine_kind kind;
	uint32_t	cmd_op;		/* ENGINE_RAW's uring_cmds */
	unsigned	flags;		/* D_* */
};

#define RAW(n, o, cmd, f, via, c) \
	{ n, o, "uring_cmd", via, c, ENGINE_RAW, cmd, f }
#define DATA(n, o, iface, f) \
	{ n, o, iface, "liburing, registered file", "inline", ENGINE_DATA, 0, (f) | D_FILE }

static const struct def defs[OP_COUNT] = {
	[OP_RING_NOP]	= { "ring_nop", "IORING_OP_NOP", "io_uring", "liburing", "inline", ENGINE_RAW, 0, 0 },
	[OP_NOP]	= RAW("nop", "MISCURING_CMD_NOP", MISCURING_CMD_NOP, 0, "liburing", "inline"),
	[OP_GET]	= RAW("get", "MISCURING_CMD_GET_VALUE", MISCURING_CMD_GET_VALUE, 0, "liburing", "inline"),
	[OP_DELAY]	= RAW("delay", "MISCURING_CMD_DELAY", MISCURING_CMD_DELAY, 0, "liburing", "async"),
	[OP_NOP_FIXED]	= RAW("nop_fixed", "MISCURING_CMD_NOP", MISCURING_CMD_NOP, D_FILE,
			      "liburing, registered file", "inline"),
	[OP_GET_FIXED]	= RAW("get_fixed", "MISCURING_CMD_GET_VALUE", MISCURING_CMD_GET_VALUE, D_FILE,
			      "liburing, registered file", "inline"),
	[OP_DELAY_FIXED] = RAW("delay_fixed", "MISCURING_CMD_DELAY", MISCURING_CMD_DELAY, D_FILE,
			       "liburing, registered file", "async"),
	[OP_NOP_CQE32]	= RAW("nop_cqe32", "MISCURING_CMD_NOP", MISCURING_CMD_NOP, D_FILE | D_CQE32,
			      "liburing, registered file, CQE32 ring", "inline"),
	[OP_NULL_CQE32]	= RAW("null_cqe32", "uring_cmd on /dev/null", MISCURING_CMD_NOP,
			      D_FILE | D_CQE32 | D_NULL,
			      "liburing, registered file, CQE32 ring", "inline"),
	[OP_LIB_NOP]	= { "lib_nop", "MISCURING_CMD_NOP", "uring_cmd", "libmiscuring", "inline", ENGINE_LIB, 0, 0 },
	[OP_LIB_GET]	= { "lib_get", "MISCURING_CMD_GET_VALUE", "uring_cmd", "libmiscuring", "inline", ENGINE_LIB, 0, 0 },
	[OP_LIB_DELAY]	= { "lib_delay", "MISCURING_CMD_DELAY", "uring_cmd", "libmiscuring", "async", ENGINE_LIB, 0, 0 },
	[OP_IOCTL]	= { "ioctl", "MISCURING_IOC_GET_VALUE", "ioctl", "syscall", "sync", ENGINE_SYSCALL, 0, 0 },
	[OP_IOCTL_NOP]	= { "ioctl_nop", "unknown ioctl (-ENOTTY)", "ioctl", "syscall", "sync", ENGINE_SYSCALL, 0, 0 },
	[OP_PREAD]	= { "pread", "pread(2)", "syscall", "syscall", "sync", ENGINE_DATA_SYSCALL, 0, 0 },
	[OP_PWRITE]	= { "pwrite", "pwrite(2)", "syscall", "syscall", "sync", ENGINE_DATA_SYSCALL, 0, D_WRITE },
	[OP_RING_READ]	= DATA("ring_read", "IORING_OP_READ", "io_uring", 0),
	[OP_RING_WRITE]	= DATA("ring_write", "IORING_OP_WRITE", "io_uring", D_WRITE),
	[OP_RING_READ_FIXED] = DATA("ring_read_fixed", "IORING_OP_READ_FIXED", "io_uring", D_BUF),
	[OP_RING_WRITE_FIXED] = DATA("ring_write_fixed", "IORING_OP_WRITE_FIXED", "io_uring",
				     D_WRITE | D_BUF),
	[OP_CMD_READ]	= DATA("cmd_read", "MISCURING_CMD_READ", "uring_cmd", 0),
	[OP_CMD_WRITE]	= DATA("cmd_write", "MISCURING_CMD_WRITE", "uring_cmd", D_WRITE),
	[OP_CMD_READV]	= DATA("cmd_readv", "MISCURING_CMD_READ, vectored", "uring_cmd", D_VEC),
	[OP_CMD_WRITEV]	= DATA("cmd_writev", "MISCURING_CMD_WRITE, vectored", "uring_cmd",
			       D_WRITE | D_VEC),
	[OP_CMD_READ_FIXED] = DATA("cmd_read_fixed", "MISCURING_CMD_READ, registered buffer",
				   "uring_cmd", D_BUF),
	[OP_CMD_WRITE_FIXED] = DATA("cmd_write_fixed", "MISCURING_CMD_WRITE, registered buffer",
				    "uring_cmd", D_WRITE | D_BUF),
};

/* Not one of the driver's ioctls: its handler answers -ENOTTY at once. */
#define MU_IOC_UNKNOWN	_IO(MISCURING_IOC_MAGIC, 0xff)

#define MAX_BATCHES	8
#define MAX_SIZES	8
#define MAX_SIZE	(1U << 20)	/* the module's default max_buffer */
#define MAX_BATCH	4096
#define CHECK_OPS	16	/* read the clock about this often */
#define CHECK_BYTES	65536	/* ... or after this many bytes */
#define WARMUP_OPS	256
#define WARMUP_BYTES	(4U << 20)
#define VEC_BYTES	4096	/* one iovec a page */

struct opts {
	const char	*dev;
	unsigned	batches[MAX_BATCHES];
	unsigned	nbatches;
	unsigned	sizes[MAX_SIZES];
	unsigned	nsizes;
	bool		ops[OP_COUNT];
	double		seconds;
	bool		json;
};

struct point {
	enum op		op;
	unsigned	batch;
	unsigned	size;		/* data ops: bytes per op, else 0 */
	uint64_t	ops;
	double		secs, cpu;
};

/* The targets: the device, and /dev/null for null_cqe32. */
struct files {
	int		dev;
	int		null;
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

static bool op_is_data(enum op op)
{
	return defs[op].kind == ENGINE_DATA || defs[op].kind == ENGINE_DATA_SYSCALL;
}

/* --- raw liburing ---------------------------------------------------- */

static void prep_raw(struct io_uring_sqe *sqe, enum op op, int fd,
		     uint64_t *value)
{
	const struct def *d = &defs[op];
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
	/* a registered target is the ring's file 0 */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, d->flags & D_FILE ? 0 : fd,
			 NULL, 0, 0);
	if (d->flags & D_FILE)
		sqe->flags |= IOSQE_FIXED_FILE;
	sqe->cmd_op = d->cmd_op;
	/* DELAY: usec 0, result 0 */
	if (d->cmd_op == MISCURING_CMD_GET_VALUE)
		p.get.addr = htole64((uint64_t)(uintptr_t)value);
	memcpy(sqe->cmd, &p, MISCURING_PAYLOAD_SQE64);
}

/* Reap n CQEs that the last submit asked for; each must have res == want. */
static int reap_all(struct io_uring *ring, unsigned n, int want)
{
	struct io_uring_cqe *cqe;
	unsigned head, got = 0, seen;
	int ret, err = 0;

	while (got < n) {
		seen = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			if (cqe->res != want && !err)
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

/* One batch of n: prepare, one enter to submit and wait for all, reap. */
static int raw_batch(struct io_uring *ring, enum op op, int fd, unsigned n,
		     uint64_t *values)
{
	unsigned i;
	int ret;

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
	/* every op here completes with 0 */
	return reap_all(ring, n, 0);
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
	unsigned		size;		/* data ops */
	struct io_uring		raw;
	struct miscuring_ring	*lib;
	uint64_t		*values;
	struct miscuring_cqe	*cqes;
	void			*buf;		/* data ops: MAX_SIZE bytes */
	struct iovec		*iov;
	unsigned		nr_iov;
	unsigned		sqe_size;
};

/* One data transfer of e->size bytes at offset 0, on the SQE. */
static int prep_data(struct engine *e, struct io_uring_sqe *sqe, unsigned i)
{
	unsigned f = defs[e->op].flags;
	int ret = 0;

	switch (e->op) {
	case OP_RING_READ:
		io_uring_prep_read(sqe, 0, e->buf, e->size, 0);
		break;
	case OP_RING_WRITE:
		io_uring_prep_write(sqe, 0, e->buf, e->size, 0);
		break;
	case OP_RING_READ_FIXED:
		io_uring_prep_read_fixed(sqe, 0, e->buf, e->size, 0, 0);
		break;
	case OP_RING_WRITE_FIXED:
		io_uring_prep_write_fixed(sqe, 0, e->buf, e->size, 0, 0);
		break;
	default:
		if (f & D_VEC)
			ret = (f & D_WRITE) ?
				miscuring_sqe_writev(sqe, e->sqe_size, 0, e->iov, e->nr_iov, 0, i) :
				miscuring_sqe_readv(sqe, e->sqe_size, 0, e->iov, e->nr_iov, 0, i);
		else
			ret = (f & D_WRITE) ?
				miscuring_sqe_write(sqe, e->sqe_size, 0, e->buf, e->size, 0, i) :
				miscuring_sqe_read(sqe, e->sqe_size, 0, e->buf, e->size, 0, i);
		if (!ret && (f & D_BUF))
			ret = miscuring_sqe_set_fixed(sqe, 0);
		break;
	}
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = i;
	return ret;
}

static int data_batch(struct engine *e, unsigned n)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&e->raw);

		if (!sqe)
			return -EBUSY;
		ret = prep_data(e, sqe, i);
		if (ret)
			return ret;
	}
	ret = io_uring_submit_and_wait(&e->raw, n);
	if (ret < 0)
		return ret;
	if ((unsigned)ret != n)
		return -EAGAIN;
	/* every transfer moves all its bytes: the buffer holds MAX_SIZE */
	return reap_all(&e->raw, n, (int)e->size);
}

static int data_syscall(struct engine *e)
{
	ssize_t ret;

	if (defs[e->op].flags & D_WRITE)
		ret = pwrite(e->fd, e->buf, e->size, 0);
	else
		ret = pread(e->fd, e->buf, e->size, 0);
	if (ret < 0)
		return -errno;
	return ret == (ssize_t)e->size ? 0 : -EPROTO;
}

static int engine_batch(struct engine *e, unsigned n)
{
	unsigned i;
	int ret;

	switch (defs[e->op].kind) {
	case ENGINE_RAW:
		return raw_batch(&e->raw, e->op, e->fd, n, e->values);
	case ENGINE_LIB:
		return lib_batch(e->lib, e->op, n, e->values, e->cqes);
	case ENGINE_DATA:
		return data_batch(e, n);
	case ENGINE_DATA_SYSCALL:
		for (i = 0; i < n; i++) {
			ret = data_syscall(e);
			if (ret)
				return ret;
		}
		return 0;
	default:
		for (i = 0; i < n; i++) {
			ret = ioctl_one(e->op, e->fd);
			if (ret)
				return ret;
		}
		return 0;
	}
}

/* The ring setup the library ends up with on this kernel, plus extra. */
static int raw_ring(struct engine *e, int devfd, unsigned batch, unsigned extra)
{
	struct miscuring_ring *probe;
	unsigned flags;
	int ret;

	ret = miscuring_open_fd(devfd, batch, 0, &probe);
	if (ret)
		return ret;
	flags = miscuring_ring_setup_flags(probe) | extra;
	miscuring_close(probe);
	e->sqe_size = flags & IORING_SETUP_SQE128 ? 128 : 64;
	return io_uring_queue_init(batch, &e->raw, flags);
}

static int engine_open(struct engine *e, enum op op, const struct files *fs,
		       unsigned batch, unsigned size, void *buf)
{
	const struct def *d = &defs[op];
	struct iovec reg;
	unsigned i;
	int ret;

	memset(e, 0, sizeof(*e));
	e->op = op;
	e->fd = d->flags & D_NULL ? fs->null : fs->dev;
	e->size = size;
	e->buf = buf;
	e->values = calloc(batch, sizeof(*e->values));
	e->cqes = calloc(batch, sizeof(*e->cqes));
	if (!e->values || !e->cqes)
		return -ENOMEM;
	switch (d->kind) {
	case ENGINE_RAW:
	case ENGINE_DATA:
		ret = raw_ring(e, fs->dev, batch, d->flags & D_CQE32 ? IORING_SETUP_CQE32 : 0);
		if (ret || !(d->flags & D_FILE))
			return ret;
		ret = io_uring_register_files(&e->raw, &e->fd, 1);
		if (ret || d->kind == ENGINE_RAW)
			return ret;
		if (d->flags & D_VEC) {
			e->nr_iov = size > VEC_BYTES ? size / VEC_BYTES : 1;
			e->iov = calloc(e->nr_iov, sizeof(*e->iov));
			if (!e->iov)
				return -ENOMEM;
			for (i = 0; i < e->nr_iov; i++) {
				e->iov[i].iov_base = (char *)buf + (size_t)i * (size / e->nr_iov);
				e->iov[i].iov_len = size / e->nr_iov;
			}
		}
		if (!(d->flags & D_BUF))
			return 0;
		reg.iov_base = buf;
		reg.iov_len = MAX_SIZE;
		return io_uring_register_buffers(&e->raw, &reg, 1);
	case ENGINE_LIB:
		return miscuring_open_fd(e->fd, batch, MISCURING_SETUP_FIXED_FILE,
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
	free(e->iov);
}

static int measure(const struct opts *o, const struct files *fs, void *buf,
		   struct point *pt)
{
	unsigned batch = pt->batch, every, k = 0;
	uint64_t n, warm = WARMUP_OPS;
	struct engine e;
	double t0, c0;
	int ret;

	ret = engine_open(&e, pt->op, fs, batch, pt->size, buf);
	/* data ops: a few MiB at most, and at least one batch */
	if (pt->size && warm * pt->size > WARMUP_BYTES)
		warm = WARMUP_BYTES / pt->size;
	for (n = 0; !ret && n < warm; n += batch)
		ret = engine_batch(&e, batch);
	if (ret == 0 && n == 0)
		ret = engine_batch(&e, batch);
	every = batch >= CHECK_OPS || (uint64_t)pt->size * batch >= CHECK_BYTES ?
		1 : CHECK_OPS / batch;
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

static void json_list(const char *key, const unsigned *v, unsigned n)
{
	unsigned i;

	printf("    \"%s\": [", key);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? ", " : "", v[i]);
	printf("],\n");
}

static void json_begin(const struct opts *o)
{
	struct utsname uts;
	bool first = true;
	unsigned i;

	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	printf("{\n  \"output_version\": 1,\n  \"command\": \"raw-bench\",\n");
	printf("  \"environment\": {\n    \"producer\": \"raw-bench\",\n");
	printf("    \"library_version\": \"%s\",\n", miscuring_version());
	printf("    \"kernel\": \"%s\",\n    \"machine\": \"%s\",\n",
	       uts.release, uts.machine);
	printf("    \"cpus\": %ld,\n    \"device\": \"%s\"\n  },\n",
	       sysconf(_SC_NPROCESSORS_ONLN), o->dev);
	printf("  \"params\": {\n    \"ops\": [");
	for (i = 0; i < OP_COUNT; i++) {
		if (!o->ops[i])
			continue;
		printf("%s\"%s\"", first ? "" : ", ", defs[i].name);
		first = false;
	}
	printf("],\n");
	json_list("batches", o->batches, o->nbatches);
	json_list("sizes", o->sizes, o->nsizes);
	printf("    \"seconds\": %g\n  },\n  \"results\": [", o->seconds);
}

static void json_point(const struct point *pt, bool first)
{
	const struct def *d = &defs[pt->op];

	printf("%s\n    {\"producer\": \"raw-bench\", \"name\": \"%s\", \"op\": \"%s\", "
	       "\"interface\": \"%s\", \"via\": \"%s\", \"completion\": \"%s\", "
	       "\"batch\": %u, ",
	       first ? "" : ",", d->name, d->op, d->interface, d->via,
	       d->completion, pt->batch);
	if (pt->size)
		printf("\"bytes\": %u, \"mb_per_sec\": %.3f, ", pt->size,
		       rate(pt) * pt->size / 1e6);
	printf("\"ops\": %llu, \"seconds\": %.6f, \"cpu_seconds\": %.6f, "
	       "\"ops_per_sec\": %.1f}",
	       (unsigned long long)pt->ops, pt->secs, pt->cpu, rate(pt));
	fflush(stdout);
}

static void text_point(const struct point *pt)
{
	const struct def *d = &defs[pt->op];

	printf("%-16s %-10s %5u %8u %12.0f %10.1f %10llu\n", d->name,
	       d->interface, pt->batch, pt->size, rate(pt),
	       rate(pt) * pt->size / 1e6, (unsigned long long)pt->ops);
	fflush(stdout);
}

/* --- options ----------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: raw-bench [-d DEVICE] [-b LIST] [-z LIST] [-s SECONDS] [-o LIST] [-j]\n");
	exit(2);
}

static void parse_ops(struct opts *o, char *list)
{
	char *tok, *save = NULL;
	unsigned i;

	memset(o->ops, 0, sizeof(o->ops));
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "data")) {
			for (i = 0; i < OP_COUNT; i++)
				o->ops[i] |= op_is_data((enum op)i);
			continue;
		}
		for (i = 0; i < OP_COUNT && strcmp(tok, defs[i].name); i++)
			;
		if (i == OP_COUNT) {
			fprintf(stderr, "raw-bench: unknown op %s\n", tok);
			usage();
		}
		o->ops[i] = true;
	}
}

static unsigned parse_list(char *list, unsigned *v, unsigned max_n,
			   unsigned long max)
{
	char *tok, *save = NULL, *end;
	unsigned long x;
	unsigned n = 0;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		x = strtoul(tok, &end, 10);
		if (*end || !x || x > max || n == max_n)
			usage();
		v[n++] = (unsigned)x;
	}
	if (!n)
		usage();
	return n;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const unsigned def_batches[] = { 1, 8, 32, 128 };
	static const unsigned def_sizes[] = { 512, 4096, 65536, 1U << 20 };
	unsigned i;
	int c;

	memset(o, 0, sizeof(*o));
	o->dev = MISCURING_DEVICE_PATH;
	o->seconds = 0.5;
	memcpy(o->batches, def_batches, sizeof(def_batches));
	o->nbatches = 4;
	memcpy(o->sizes, def_sizes, sizeof(def_sizes));
	o->nsizes = 4;
	for (i = 0; i < OP_COUNT; i++)
		o->ops[i] = !op_is_data((enum op)i);
	while ((c = getopt(argc, argv, "d:b:z:s:o:j")) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'b': o->nbatches = parse_list(optarg, o->batches, MAX_BATCHES, MAX_BATCH); break;
		case 'z': o->nsizes = parse_list(optarg, o->sizes, MAX_SIZES, MAX_SIZE); break;
		case 's': o->seconds = atof(optarg); break;
		case 'o': parse_ops(o, optarg); break;
		case 'j': o->json = true; break;
		default: usage();
		}
	}
	if (optind != argc || !(o->seconds > 0))
		usage();
}

/* The device's buffer holds MAX_SIZE bytes, so every READ moves all it asks. */
static void *data_setup(int fd)
{
	void *buf;
	ssize_t n;

	if (posix_memalign(&buf, 4096, MAX_SIZE))
		die("a data buffer", ENOMEM);
	memset(buf, 0x5a, MAX_SIZE);
	n = pwrite(fd, buf, MAX_SIZE, 0);
	if (n < 0)
		die("filling the device's buffer", errno);
	if (n != MAX_SIZE) {
		fprintf(stderr, "raw-bench: the device takes %zd bytes, not %u: "
			"load the module with max_buffer=%u or more\n", n, MAX_SIZE,
			MAX_SIZE);
		exit(1);
	}
	return buf;
}

static int run_point(const struct opts *o, const struct files *fs, void *buf,
		     struct point *pt, bool *first)
{
	int ret = measure(o, fs, buf, pt);

	if (ret) {
		fprintf(stderr, "raw-bench: %s, batch %u", defs[pt->op].name, pt->batch);
		if (pt->size)
			fprintf(stderr, ", %u bytes", pt->size);
		fprintf(stderr, ": %s\n", strerror(-ret));
		return 1;
	}
	if (o->json)
		json_point(pt, *first);
	else
		text_point(pt);
	*first = false;
	return 0;
}

int main(int argc, char **argv)
{
	struct files fs = { .dev = -1, .null = -1 };
	struct point pt;
	struct opts o;
	unsigned b, i, z;
	bool first = true, data = false;
	void *buf = NULL;

	parse(argc, argv, &o);
	fs.dev = open(o.dev, O_RDWR | O_CLOEXEC);
	if (fs.dev < 0)
		die(o.dev, errno);
	if (o.ops[OP_NULL_CQE32]) {
		fs.null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fs.null < 0)
			die("/dev/null", errno);
	}
	for (i = 0; i < OP_COUNT; i++)
		data |= o.ops[i] && op_is_data((enum op)i);
	if (data)
		buf = data_setup(fs.dev);
	if (o.json)
		json_begin(&o);
	else
		printf("%-16s %-10s %5s %8s %12s %10s %10s\n", "name", "interface",
		       "batch", "bytes", "ops/s", "MB/s", "ops");
	/* Batch by batch, so the ops compared at one size run close in time. */
	for (b = 0; b < o.nbatches; b++) {
		for (i = 0; i < OP_COUNT; i++) {
			if (!o.ops[i])
				continue;
			pt.op = (enum op)i;
			pt.batch = o.batches[b];
			pt.size = 0;
			if (!op_is_data(pt.op)) {
				if (run_point(&o, &fs, buf, &pt, &first))
					return 1;
				continue;
			}
			for (z = 0; z < o.nsizes; z++) {
				pt.size = o.sizes[z];
				if (run_point(&o, &fs, buf, &pt, &first))
					return 1;
			}
		}
	}
	if (o.json)
		printf("\n  ]\n}\n");
	free(buf);
	if (fs.null >= 0)
		close(fs.null);
	close(fs.dev);
	return 0;
}
