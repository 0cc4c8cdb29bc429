// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Concurrency: several threads, each with its own ring (one of each kind),
 * hammer the module at once. Per-file values stay per file, a shared file's
 * value is never torn, and DELAYs issued from many rings all come back.
 */
#include "guest_test.h"

#include <pthread.h>
#include <sys/ioctl.h>

#define NTHREADS	4
#define ITERS		300

struct worker {
	pthread_t thread;
	int id;
	int fd;			/* own file, or the shared one */
	int shared;
	uint64_t seed;
	char err[256];		/* first failure, reported by main */
};

static pthread_barrier_t start_barrier;

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* A value that carries its own check: tid, counter, counter again. */
static uint64_t tagged(int tid, uint32_t n)
{
	return (uint64_t)tid << 56 | (uint64_t)(n & 0xfffffff) << 28 | (n & 0xfffffff);
}

static int tag_ok(uint64_t v)
{
	return v == 0 || ((v >> 56) < NTHREADS &&
			  ((v >> 28) & 0xfffffff) == (v & 0xfffffff));
}

#define WFAIL(w, ...)							\
	do {								\
		snprintf((w)->err, sizeof((w)->err), __VA_ARGS__);	\
		goto out;						\
	} while (0)

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	enum gt_ring_kind k = (enum gt_ring_kind)(w->id % GT_RING_KINDS);
	struct io_uring ring = {};
	int32_t delay_res[ITERS];
	unsigned int ndelay = 0, nreaped = 0;
	unsigned char seen[ITERS] = {};
	struct gt_cqe cqe = {};
	int ret;

	ret = gt_ring_init(&ring, 64, k);
	pthread_barrier_wait(&start_barrier);
	if (ret)
		WFAIL(w, "ring setup: %s", gt_errname(ret));

	for (uint32_t i = 1; i <= ITERS; i++) {
		uint64_t want = w->shared ? tagged(w->id, i) : rnd(&w->seed);
		struct miscuring_set_value s = gt_set_payload(want);
		struct miscuring_get_value g;
		struct io_uring_sqe *sqe;
		uint64_t got = 0;

		/* SET and GET linked, so the GET runs after the SET */
		g = gt_get_payload(&got);
		sqe = gt_prep_cmd(&ring, w->fd, MISCURING_CMD_SET_VALUE, &s,
				  sizeof(s), 1);
		if (!sqe)
			WFAIL(w, "no SQE");
		sqe->flags |= IOSQE_IO_LINK;
		if (!gt_prep_cmd(&ring, w->fd, MISCURING_CMD_GET_VALUE, &g,
				 sizeof(g), 2))
			WFAIL(w, "no SQE");
		/* every few iterations, a DELAY to reap later */
		if (i % 3 == 0) {
			struct miscuring_delay d;

			delay_res[ndelay] = (int32_t)(rnd(&w->seed) >> 33);
			d = gt_delay_payload((uint32_t)(rnd(&w->seed) % 3000),
					     delay_res[ndelay]);
			if (!gt_prep_cmd(&ring, w->fd, MISCURING_CMD_DELAY, &d,
					 sizeof(d), 0x1000 + ndelay))
				WFAIL(w, "no SQE");
			ndelay++;
		}
		ret = io_uring_submit(&ring);
		if (ret < 2)
			WFAIL(w, "submit: %s", gt_errname(ret));

		/* reap until SET and GET are both in */
		for (int have = 0; have != 3;) {
			ret = gt_reap(&ring, &cqe, GT_WAIT_US);
			if (ret)
				WFAIL(w, "iteration %u: reap: %s", i, gt_errname(ret));
			if (cqe.user_data >= 0x1000) {
				unsigned int d = (unsigned int)(cqe.user_data - 0x1000);

				if (d >= ndelay || seen[d])
					WFAIL(w, "bad/duplicate DELAY CQE %u", d);
				seen[d] = 1;
				nreaped++;
				if (cqe.res != delay_res[d])
					WFAIL(w, "DELAY %u: res %d, expected %d", d,
					      cqe.res, delay_res[d]);
				continue;
			}
			if (cqe.user_data != 1 && cqe.user_data != 2)
				WFAIL(w, "stray user_data 0x%" PRIx64, cqe.user_data);
			if (cqe.res != 0)
				WFAIL(w, "iteration %u: %s res %s", i,
				      cqe.user_data == 1 ? "SET" : "GET",
				      gt_errname(cqe.res));
			have |= (int)cqe.user_data;
		}
		got = le64toh(got);
		if (!w->shared) {
			if (got != want)
				WFAIL(w, "iteration %u: GET 0x%" PRIx64 " after SET 0x%"
				      PRIx64 " on its own file", i, got, want);
		} else if (!tag_ok(got)) {
			WFAIL(w, "iteration %u: torn or foreign value 0x%" PRIx64,
			      i, got);
		}
		if (gt_ring_cqe32(&ring) && cqe.user_data == 2 && cqe.res2 != got)
			WFAIL(w, "big_cqe[0] 0x%" PRIx64 " != GET buffer 0x%"
			      PRIx64, cqe.res2, got);
		/* the ioctl view of the same value */
		if (!w->shared) {
			int iv = 0;

			if (ioctl(w->fd, MISCURING_IOC_GET_VALUE, &iv))
				WFAIL(w, "ioctl GET: %s", strerror(errno));
			if (iv != (int)(uint32_t)want)
				WFAIL(w, "ioctl GET %d, expected %d", iv,
				      (int)(uint32_t)want);
		}
	}
	while (nreaped < ndelay) {
		ret = gt_reap(&ring, &cqe, GT_WAIT_US);
		if (ret)
			WFAIL(w, "%u of %u DELAYs reaped: %s", nreaped, ndelay,
			      gt_errname(ret));
		if (cqe.user_data < 0x1000 || cqe.user_data >= 0x1000 + ndelay ||
		    seen[cqe.user_data - 0x1000])
			WFAIL(w, "bad/duplicate CQE 0x%" PRIx64, cqe.user_data);
		seen[cqe.user_data - 0x1000] = 1;
		if (cqe.res != delay_res[cqe.user_data - 0x1000])
			WFAIL(w, "DELAY res %d, expected %d", cqe.res,
			      delay_res[cqe.user_data - 0x1000]);
		nreaped++;
	}
out:
	gt_ring_exit(&ring);
	return NULL;
}

static void run(int shared)
{
	struct worker w[NTHREADS] = {};
	int shared_fd = -1, started = 0;

	gt_begin(shared ? "threads_shared_file" : "threads_own_files");
	CHECK(pthread_barrier_init(&start_barrier, NULL, NTHREADS) == 0,
	      "barrier");
	if (shared) {
		shared_fd = gt_open_dev(O_RDWR);
		CHECK(shared_fd >= 0, "open: %s", gt_errname(shared_fd));
	}
	for (int i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].shared = shared;
		w[i].seed = gt_rand64() | 1;
		w[i].fd = shared ? shared_fd : gt_open_dev(O_RDWR);
		CHECK(w[i].fd >= 0, "open: %s", gt_errname(w[i].fd));
	}
	for (started = 0; started < NTHREADS; started++)
		CHECK(pthread_create(&w[started].thread, NULL, worker_fn,
				     &w[started]) == 0, "pthread_create");
out:
	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	if (started == NTHREADS) {
		for (int i = 0; i < NTHREADS; i++)
			if (w[i].err[0])
				gt_fail("thread %d (%s ring): %s", i,
					gt_ring_names[i % GT_RING_KINDS], w[i].err);
		if (shared) {
			/* the final value is the last one some thread wrote */
			struct io_uring ring = {};
			uint64_t v = 0;

			if (gt_ring_init(&ring, 4, GT_RING_PLAIN) == 0 &&
			    gt_get_value(&ring, shared_fd, &v) == 0) {
				if (!tag_ok(v) || ((v >> 28) & 0xfffffff) != ITERS)
					gt_fail("final shared value 0x%" PRIx64
						" is not a last write", v);
			} else {
				gt_fail("final GET failed");
			}
			gt_ring_exit(&ring);
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		if (!shared && w[i].fd > 0)
			close(w[i].fd);
	if (shared_fd >= 0)
		close(shared_fd);
	pthread_barrier_destroy(&start_barrier);
	gt_end();
}

int main(void)
{
	gt_init("ops_threads", 55);
	gt_srand(gt_now_us());
	run(0);
	run(1);
	return gt_exit_status();
}
