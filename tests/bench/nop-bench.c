/* SPDX-License-Identifier: MIT */
/*
 * NOP throughput: libmiscuring against hand-written liburing, same target
 * (registered as file 0 on both rings), same ring setup, same batch size, runs interleaved; the best run of each
 * counts. A benchmark, not a test: it reports the ratio and never fails on
 * speed (exit 0), only on real errors (a failed submit, a failed NOP: exit
 * 2). The project's target for the ratio is MU_BENCH_TARGET (0.95); the
 * report says where the measurement stands against it.
 *
 * Time is this thread's CPU time (user + system), not wall time: on a
 * shared machine, time spent preempted would otherwise swamp the
 * difference being measured.
 *
 * usage: nop-bench [-d DEVICE] [-b BATCH] [-n OPS] [-r ROUNDS]
 *
 * DEVICE defaults to /dev/miscuring (MISCURING_CMD_NOP) if it exists, else
 * /dev/null, whose uring_cmd handler completes any command with 0 inline:
 * the same kernel path without the module, so what differs between the
 * two loops is the userspace cost of building and reaping. The library's
 * device builders refuse a file that is not miscuring (-ENOTTY), so there
 * its loop sends the same NOP through the generic miscuring_prep_cmd().
 *
 * Built with -DMU_BENCH_GUEST (tests/bench/run) it runs in the bench VM on
 * the module with smaller defaults.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <libmiscuring.h>

struct opts {
	const char	*dev;
	unsigned	batch;
	unsigned long	ops;
	unsigned	rounds;
};

/* What the library should reach; reported, never enforced. */
#define MU_BENCH_TARGET	0.95

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "nop-bench: %s: %s\n", what, miscuring_strerror(err));
	exit(2);
}

/*
 * Raw liburing: what a program without the library writes, with the device
 * registered as the ring's file 0, as the library does when asked
 * (MISCURING_SETUP_FIXED_FILE).
 */
static double run_raw(struct io_uring *ring, const struct opts *o)
{
	unsigned long done = 0;
	double t0 = now();
	unsigned i, head, n;
	struct io_uring_cqe *cqe;
	int ret;

	while (done < o->ops) {
		for (i = 0; i < o->batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
			sqe->flags |= IOSQE_FIXED_FILE;
			sqe->cmd_op = MISCURING_CMD_NOP;
			sqe->user_data = i;
		}
		ret = io_uring_submit_and_wait(ring, o->batch);
		if (ret != (int)o->batch)
			die("raw submit", ret < 0 ? ret : -EIO);
		n = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			if (cqe->res < 0)
				die("raw nop", cqe->res);
			n++;
		}
		io_uring_cq_advance(ring, n);
		done += n;
	}
	return done / (now() - t0);
}

/* The device is not miscuring (/dev/null): NOPs go as generic commands. */
static int lib_generic;

/* The library's batch path: queue, one submit-and-wait, one batch read. */
static double run_lib(struct miscuring_ring *ring, const struct opts *o)
{
	struct miscuring_cqe cqes[256];
	unsigned long done = 0;
	double t0 = now();
	unsigned i;
	int ret, n;

	while (done < o->ops) {
		for (i = 0; i < o->batch; i++) {
			ret = lib_generic ?
			      miscuring_prep_cmd(ring, miscuring_device_fd(ring),
						 MISCURING_CMD_NOP, NULL, 0, i) :
			      miscuring_prep_nop(ring, i);
			if (ret)
				die("prep", ret);
		}
		ret = miscuring_submit_and_wait(ring, o->batch);
		if (ret != (int)o->batch)
			die("submit", ret < 0 ? ret : -EIO);
		n = miscuring_wait_batch(ring, cqes, o->batch, 0, NULL);
		if (n < 0)
			die("wait_batch", n);
		for (i = 0; i < (unsigned)n; i++)
			if (cqes[i].res < 0)
				die("nop", cqes[i].res);
		done += (unsigned)n;
	}
	return done / (now() - t0);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	o->dev = access(MISCURING_DEVICE_PATH, F_OK) ? "/dev/null" :
		 MISCURING_DEVICE_PATH;
	o->batch = 32;
#ifdef MU_BENCH_GUEST
	o->ops = 30000;		/* the VM emulates the CPU: short rounds, */
	o->rounds = 31;		/* many of them, for a stable best */
#else
	o->ops = 200000;
	o->rounds = 21;
#endif
	while ((c = getopt(argc, argv, "d:b:n:r:")) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'b': o->batch = (unsigned)atoi(optarg); break;
		case 'n': o->ops = strtoul(optarg, NULL, 0); break;
		case 'r': o->rounds = (unsigned)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-d DEVICE] [-b BATCH] [-n OPS] [-r ROUNDS]\n",
				argv[0]);
			exit(2);
		}
	}
	if (!o->batch || o->batch > 256 || !o->rounds)
		die("options", -EINVAL);
}

/* One measurement: the best round of each, interleaved. */
static double measure(struct miscuring_ring *lib, struct io_uring *raw,
		      const struct opts *o)
{
	double best_raw = 0, best_lib = 0, r;
	unsigned i;

	/* Alternate which goes first, so neither always runs warm. */
	for (i = 0; i < o->rounds; i++) {
		if (i & 1) {
			r = run_lib(lib, o);
			best_lib = r > best_lib ? r : best_lib;
		}
		r = run_raw(raw, o);
		best_raw = r > best_raw ? r : best_raw;
		if (!(i & 1)) {
			r = run_lib(lib, o);
			best_lib = r > best_lib ? r : best_lib;
		}
	}
	printf("  liburing %.0f ops/s, libmiscuring %.0f ops/s: ratio %.3f\n",
	       best_raw, best_lib, best_lib / best_raw);
	return best_lib / best_raw;
}

int main(int argc, char **argv)
{
	struct miscuring_ring *lib;
	struct io_uring raw;
	struct opts o;
	double ratio;
	int fd, ret;

	parse(argc, argv, &o);
	ret = miscuring_open(o.dev, o.batch * 2, MISCURING_SETUP_FIXED_FILE, &lib);
	if (ret < 0)
		die(o.dev, ret);
	/* The raw ring gets exactly the setup the library ended up with. */
	ret = io_uring_queue_init(o.batch * 2, &raw,
				  miscuring_ring_setup_flags(lib));
	if (ret < 0)
		die("io_uring_queue_init", ret);
	fd = miscuring_device_fd(lib);
	lib_generic = miscuring_identify(fd, NULL) == -ENOTTY;
	ret = io_uring_register_files(&raw, &fd, 1);
	if (ret < 0)
		die("io_uring_register_files", ret);

	printf("nop-bench: %s, batch %u, %lu ops x %u rounds\n",
	       o.dev, o.batch, o.ops, o.rounds);
	ratio = measure(lib, &raw, &o);
	printf("nop-bench: libmiscuring/liburing %.3f (target %.2f: %s; a benchmark, not a test)\n",
	       ratio, MU_BENCH_TARGET,
	       ratio >= MU_BENCH_TARGET ? "met" : "below");
	io_uring_queue_exit(&raw);
	miscuring_close(lib);
	return 0;
}
