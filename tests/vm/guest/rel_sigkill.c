// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SIGKILL of a process with 1,000 long commands in flight on its own
 * ring(s) (DELAYs of 4-5 s, WAITs of 5-10 s): the process must be gone
 * quickly - waitpid() returns under 1 s where io_uring cancels commands
 * (MISCURING_FEAT_CANCELABLE, 6.7+), under 2 s elsewhere (6.1: the module
 * polls for exiting submitters every 100 ms) - and afterwards the counters
 * must balance: in_flight back to its value before the test (within 2 s),
 * exactly 1,000 issued, completed asynchronously and cancelled.
 *
 * Cases: one thread with one ring; two threads with a ring each (500
 * commands each), so the kill is a group exit of a multi-threaded task.
 */
#include "rel_util.h"

#include <pthread.h>

#define NCMDS		1000
#define DELAY_MIN_US	4000000u
#define DELAY_SPAN_US	1000000u
#define WAIT_MIN_US	5000000u
#define WAIT_SPAN_US	5000000u
#define DRAIN_MAX_US	2000000u

/* Child side: each submitter thread opens its file and ring, queues n. */
struct submitter {
	int n;
	int ready_fd;		/* write end of the readiness pipe */
	uint64_t seed;
	int err;		/* exit status of the child on failure */
};

static void *submit_and_wait(void *arg)
{
	struct submitter *s = arg;
	struct io_uring ring;
	uint64_t rng = s->seed;
	char c = 'R';
	int fd, ret;

	fd = gt_open_dev(O_RDWR);
	if (fd < 0) {
		s->err = 10;
		return NULL;
	}
	if (rel_ring_init(&ring, 1024, 2048, GT_RING_PLAIN)) {
		s->err = 11;
		return NULL;
	}
	for (int i = 0; i < s->n; i++) {
		struct io_uring_sqe *sqe;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		if (rng >> 63) {
			sqe = gt_prep_delay(&ring, fd, DELAY_MIN_US +
					    (uint32_t)(rng >> 20) % DELAY_SPAN_US,
					    i, (uint64_t)i);
		} else {
			struct miscuring_wait w = {
				.value = htole64(0),
				.timeout_usec = htole32(WAIT_MIN_US +
					(uint32_t)(rng >> 20) % WAIT_SPAN_US),
			};

			sqe = gt_prep_cmd(&ring, fd, MISCURING_CMD_WAIT, &w,
					  sizeof(w), (uint64_t)i);
		}
		if (!sqe) {
			s->err = 12;
			return NULL;
		}
	}
	ret = io_uring_submit(&ring);
	if (ret != s->n) {
		s->err = 13;
		return NULL;
	}
	if (write(s->ready_fd, &c, 1) != 1) {
		s->err = 14;
		return NULL;
	}
	for (;;)
		pause();
	return NULL;
}

/* The child: nthreads submitters, n/nthreads commands each; never returns. */
static void child(int nthreads, int ready_fd)
{
	struct submitter s[4];
	pthread_t tid[4];

	alarm(60);	/* never outlive a parent that died */
	for (int i = 0; i < nthreads; i++) {
		s[i] = (struct submitter){
			.n = NCMDS / nthreads, .ready_fd = ready_fd,
			.seed = 0x5151 + (uint64_t)i,
		};
		if (i && pthread_create(&tid[i], NULL, submit_and_wait, &s[i]))
			_exit(20);
	}
	submit_and_wait(&s[0]);
	/* only on failure: report the first error */
	for (int i = 0; i < nthreads; i++)
		if (s[i].err)
			_exit(s[i].err);
	_exit(21);
}

static void test_sigkill(int nthreads, uint64_t kill_limit_us)
{
	struct rel_stats before, mid, after, d;
	int pipefd[2] = { -1, -1 }, status = 0, ret;
	uint64_t t0, t_wait;
	long long t_drain;
	pid_t pid = -1;

	gt_begin("sigkill_%d_thread%s", nthreads, nthreads > 1 ? "s" : "");
	ret = rel_stats_read(&before);
	CHECK(ret == 0, "reading %s: %s", REL_STATS_DIR, gt_errname(ret));
	CHECK(pipe2(pipefd, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(pipefd[0]);
		child(nthreads, pipefd[1]);
	}
	close(pipefd[1]);
	pipefd[1] = -1;

	for (int i = 0; i < nthreads; i++) {
		ret = rel_read_byte(pipefd[0], 20000000);
		if (ret != 'R') {
			int r = gt_wait_child(pid, &status, 100000);

			CHECK(0, "child not ready (%s), child %s, status 0x%x",
			      gt_errname(ret), r ? "still running" : "exited",
			      r ? 0 : status);
		}
	}
	ret = rel_stats_read(&mid);
	CHECK(ret == 0, "reading counters: %s", gt_errname(ret));
	d = rel_stats_delta(&before, &mid);
	CHECK(d.issued == NCMDS && mid.in_flight == before.in_flight + NCMDS,
	      "with the child's %d commands queued: issued +%" PRIu64
	      ", in_flight %" PRIu64 " (before %" PRIu64 ")", NCMDS,
	      d.issued, mid.in_flight, before.in_flight);

	t0 = gt_now_us();
	CHECK(kill(pid, SIGKILL) == 0, "kill: %s", strerror(errno));
	ret = gt_wait_child(pid, &status, 20000000);
	t_wait = gt_now_us() - t0;
	CHECK(ret == 0, "the killed child is still there after %" PRIu64 " us: %s",
	      t_wait, gt_errname(ret));
	pid = -1;
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "child status 0x%x, expected killed by SIGKILL", status);
	CHECK(t_wait < kill_limit_us,
	      "waitpid returned %" PRIu64 " us after SIGKILL (limit %" PRIu64
	      " us) with %d commands in flight", t_wait, kill_limit_us, NCMDS);

	t_drain = rel_wait_in_flight(before.in_flight, DRAIN_MAX_US, &after);
	CHECK(t_drain >= 0, "in_flight still %" PRIu64 " (%s) %u us after the "
	      "child was reaped, expected %" PRIu64 ": %s", after.in_flight,
	      gt_errname(t_drain), DRAIN_MAX_US, before.in_flight,
	      rel_stats_str(&after));
	fprintf(stderr, "%s: waitpid %" PRIu64 " us after SIGKILL (limit %"
		PRIu64 "), in_flight back %lld us later\n", gt_name, t_wait,
		kill_limit_us, t_drain);

	d = rel_stats_delta(&before, &after);
	CHECK(d.issued == NCMDS && d.completed_async == NCMDS &&
	      d.completed_inline == 0 && d.cancelled == NCMDS &&
	      d.failed == NCMDS,
	      "counter deltas: %s; expected issued %d, async %d, inline 0, "
	      "cancelled %d, failed %d", rel_stats_str(&d), NCMDS, NCMDS,
	      NCMDS, NCMDS);
out:
	rel_kill_child(pid);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	gt_end();
}

int main(void)
{
	long long features;
	uint64_t limit;

	gt_init("rel_sigkill", 100);
	features = rel_features();
	if (features < 0) {
		gt_begin("sigkill_setup");
		gt_fail("PROBE: %s", gt_errname(features));
		return gt_exit_status();
	}
	/* io_uring cancels at once; else the module's 100 ms poll + slack */
	limit = (features & MISCURING_FEAT_CANCELABLE) ? 1000000 : 2000000;
	fprintf(stderr, "rel_sigkill: cancelable %d, waitpid limit %" PRIu64 " us\n",
		!!(features & MISCURING_FEAT_CANCELABLE), limit);

	test_sigkill(1, limit);
	test_sigkill(2, limit);
	return gt_exit_status();
}
