// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Long commands (DELAY and WAIT of 8 s) whose submitting task execs or
 * exits while their ring stays open, and whose ring goes away: each ends
 * with -ECANCELED within REL_END_BOUND_US, on every kernel (the module's
 * promise: within its owner check's period of 100 ms, plus task work).
 *
 *   exec            a process execs with commands in flight (the ring is
 *                   close-on-exec: exec waits for the commands)
 *   thread_exit     a non-leader thread submits on the main thread's ring,
 *                   then exits; the ring stays open
 *   thread_sigkill  a thread of a child process submits on a ring the parent
 *                   shares, and is SIGKILLed (tgkill): the child dies
 *   fd_passed       the creator of a ring passes its fd to another process
 *                   over a unix socket and exits (6.7+ refuses to send an
 *                   io_uring fd over a socket, -EINVAL: there the other
 *                   process takes it with pidfd_getfd() instead)
 *   sqpoll_passed   the same with an SQPOLL ring
 *   ring_close      the ring is closed, the device file stays open
 *
 * Each case reports how long the end took on stderr, and checks that the
 * module's in_flight counter is back to where it was.
 */
#include "rel_util.h"

#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define LONG_US			8000000u
#define REL_END_BOUND_US	1000000u
#define NDELAY			3

/* Queue NDELAY DELAYs and one WAIT (on value 0) of LONG_US; 0 or -errno. */
static int submit_long(struct io_uring *ring, int fd)
{
	struct miscuring_wait w = {
		.value = htole64(0),
		.timeout_usec = htole32(LONG_US),
	};
	int ret;

	for (int i = 0; i < NDELAY; i++)
		if (!gt_prep_delay(ring, fd, LONG_US, 100 + i, (uint64_t)i + 1))
			return -ENOSPC;
	if (!gt_prep_cmd(ring, fd, MISCURING_CMD_WAIT, &w, sizeof(w), 0x77))
		return -ENOSPC;
	ret = io_uring_submit(ring);
	if (ret != NDELAY + 1)
		return ret < 0 ? ret : -EIO;
	return 0;
}

/*
 * Peek for a CQE until timeout_us: a ring whose SQPOLL thread is gone
 * refuses io_uring_enter() (-EOWNERDEAD), so no waiting in the kernel.
 */
static int reap_peek(struct io_uring *ring, struct gt_cqe *cqe,
		     uint64_t timeout_us)
{
	uint64_t deadline = gt_now_us() + timeout_us;

	for (;;) {
		if (!gt_reap(ring, cqe, 0))
			return 0;
		if (gt_now_us() >= deadline)
			return -ETIME;
		gt_sleep_us(1000);
	}
}

/*
 * Reap the NDELAY + 1 CQEs of submit_long(): every one -ECANCELED, the
 * last within REL_END_BOUND_US of t0. 0, or -1 after a FAIL line.
 */
static int expect_cancelled(struct io_uring *ring, uint64_t t0,
			    const char *what)
{
	unsigned int seen = 0;
	struct gt_cqe cqe;
	uint64_t t;

	for (int i = 0; i < NDELAY + 1; i++) {
		int ret = reap_peek(ring, &cqe, REL_END_BOUND_US + 2000000);

		t = gt_now_us() - t0;
		if (ret) {
			gt_fail("%s: %d of %d CQEs after %" PRIu64 " us", what,
				i, NDELAY + 1, t);
			return -1;
		}
		if (cqe.res != -ECANCELED) {
			gt_fail("%s: user_data 0x%" PRIx64 " res %s, expected %s",
				what, cqe.user_data, gt_errname(cqe.res),
				gt_errname(-ECANCELED));
			return -1;
		}
		seen |= cqe.user_data == 0x77 ? 1u << NDELAY :
			1u << (cqe.user_data - 1);
	}
	t = gt_now_us() - t0;
	fprintf(stderr, "%s: all cancelled after %" PRIu64 " us\n", what, t);
	if (seen != (1u << (NDELAY + 1)) - 1) {
		gt_fail("%s: CQEs seen 0x%x", what, seen);
		return -1;
	}
	if (t > REL_END_BOUND_US) {
		gt_fail("%s: ended after %" PRIu64 " us, bound %u us", what, t,
			REL_END_BOUND_US);
		return -1;
	}
	return 0;
}

/* in_flight back to base within the bound; 0, or -1 after a FAIL line. */
static int expect_drained(uint64_t base)
{
	struct rel_stats st;
	long long t = rel_wait_in_flight(base, REL_END_BOUND_US + 2000000, &st);

	if (t < 0) {
		gt_fail("in_flight %" PRIu64 ", expected %" PRIu64 ": %s",
			st.in_flight, base, gt_errname(t));
		return -1;
	}
	return 0;
}

static uint64_t in_flight_now(void)
{
	struct rel_stats st;

	return rel_stats_read(&st) ? ~0ull : st.in_flight;
}

/* ------------------------------------------------------------------ */

static void test_exec(const char *self)
{
	struct rel_stats before = {}, after = {};
	int pfd[2] = { -1, -1 }, status, ret;
	uint64_t t0 = 0, t;
	pid_t pid = -1;

	gt_begin("exec");
	CHECK(rel_stats_read(&before) == 0, "stats unreadable");
	CHECK(pipe(pfd) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct io_uring ring;
		char arg[16];
		int fd;

		alarm(0);
		close(pfd[0]);
		fd = gt_open_dev(O_RDWR);
		if (fd < 0 || gt_ring_init(&ring, 8, GT_RING_PLAIN))
			_exit(2);
		if (submit_long(&ring, fd))
			_exit(3);
		if (write(pfd[1], "S", 1) != 1)
			_exit(4);
		snprintf(arg, sizeof(arg), "%d", pfd[1]);
		execl(self, "t_rel_exec", "--exec-child", arg, (char *)NULL);
		_exit(5);
	}
	close(pfd[1]);
	pfd[1] = -1;
	ret = rel_read_byte(pfd[0], 10000000);
	t0 = gt_now_us();
	CHECK(ret == 'S', "child did not submit: %s", gt_errname(ret));
	ret = rel_read_byte(pfd[0], REL_END_BOUND_US + 9000000);
	t = gt_now_us() - t0;
	CHECK(ret == 'E', "exec'd image did not start: %s", gt_errname(ret));
	fprintf(stderr, "exec: new image ran after %" PRIu64 " us\n", t);
	ret = gt_wait_child(pid, &status, 10000000);
	pid = -1;
	CHECK(ret == 0 && WIFEXITED(status) && !WEXITSTATUS(status),
	      "child: %s status 0x%x", gt_errname(ret), ret ? 0 : status);
	CHECK(t <= REL_END_BOUND_US, "exec took %" PRIu64 " us, bound %u us",
	      t, REL_END_BOUND_US);
	if (expect_drained(before.in_flight))
		goto out;
	CHECK(rel_stats_read(&after) == 0, "stats unreadable");
	CHECK(after.cancelled - before.cancelled == NDELAY + 1,
	      "%" PRIu64 " cancelled, expected %d",
	      after.cancelled - before.cancelled, NDELAY + 1);
out:
	rel_kill_child(pid);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	gt_end();
}

/* ------------------------------------------------------------------ */

struct thread_arg {
	struct io_uring *ring;
	int fd;
	int ret;
	uint64_t t_submitted;
};

static void *submit_and_exit(void *p)
{
	struct thread_arg *a = p;

	a->ret = submit_long(a->ring, a->fd);
	a->t_submitted = gt_now_us();
	return NULL;
}

static void test_thread_exit(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct thread_arg a = {};
	pthread_t th;
	uint64_t base = in_flight_now();
	int fd = -1, ret;

	gt_begin("thread_exit_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 8, k, fd, O_RDWR);
	a.ring = &ring;
	a.fd = fd;
	ret = pthread_create(&th, NULL, submit_and_exit, &a);
	CHECK(ret == 0, "pthread_create: %s", strerror(ret));
	pthread_join(th, NULL);
	CHECK(a.ret == 0, "thread's submit: %s", gt_errname(a.ret));
	if (expect_cancelled(&ring, a.t_submitted, gt_name))
		goto out;
	if (expect_drained(base))
		goto out;
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* ------------------------------------------------------------------ */

struct killed_thread {
	struct io_uring *ring;
	int fd;
	int report_fd;
};

static void *submit_and_sleep(void *p)
{
	struct killed_thread *k = p;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (submit_long(k->ring, k->fd))
		_exit(3);
	if (write(k->report_fd, &tid, sizeof(tid)) != sizeof(tid))
		_exit(4);
	for (;;)
		pause();
	return NULL;
}

static void test_thread_sigkill(void)
{
	struct io_uring ring = {};
	int fd = -1, pfd[2] = { -1, -1 }, status, ret;
	uint64_t base = in_flight_now(), t0;
	pid_t pid = -1, tid = 0;

	gt_begin("thread_sigkill");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	CHECK(pipe(pfd) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct killed_thread k = { &ring, fd, pfd[1] };
		pthread_t th;

		alarm(0);
		if (pthread_create(&th, NULL, submit_and_sleep, &k))
			_exit(2);
		for (;;)
			pause();
	}
	ret = (int)read(pfd[0], &tid, sizeof(tid));
	CHECK(ret == sizeof(tid), "no thread id from the child: %d", ret);
	t0 = gt_now_us();
	CHECK(syscall(SYS_tgkill, pid, tid, SIGKILL) == 0, "tgkill: %s",
	      strerror(errno));
	ret = gt_wait_child(pid, &status, REL_END_BOUND_US + 9000000);
	CHECK(ret == 0, "child still there: %s", gt_errname(ret));
	pid = -1;
	fprintf(stderr, "thread_sigkill: child reaped after %" PRIu64 " us\n",
		gt_now_us() - t0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "child status 0x%x", status);
	if (expect_cancelled(&ring, t0, gt_name))
		goto out;
	if (expect_drained(base))
		goto out;
out:
	rel_kill_child(pid);
	for (int i = 0; i < 2; i++)
		if (pfd[i] >= 0)
			close(pfd[i]);
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* ------------------------------------------------------------------ */

/* What the ring's creator tells the other process. */
struct ring_msg {
	struct io_uring_params p;
	int ring_fd;		/* in the creator */
	int sent;		/* the fd came with the message (SCM_RIGHTS) */
};

/* The message, with the ring's fd over SCM_RIGHTS where the kernel lets it. */
static int send_ring(int sock, struct ring_msg *m)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &m->ring_fd, sizeof(int));
	m->sent = 1;
	if (sendmsg(sock, &msg, 0) == sizeof(*m))
		return 0;
	if (errno != EINVAL)
		return -errno;
	m->sent = 0;
	msg.msg_control = NULL;
	msg.msg_controllen = 0;
	return sendmsg(sock, &msg, 0) == sizeof(*m) ? 0 : -errno;
}

/* The ring fd, from the message or taken from @pid; or -errno. */
static int recv_ring(int sock, pid_t pid, struct ring_msg *m)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *c;
	int fd, pidfd;

	if (poll(&pfd, 1, 10000) != 1)
		return -ETIME;
	if (recvmsg(sock, &msg, 0) != sizeof(*m))
		return -EPROTO;
	c = CMSG_FIRSTHDR(&msg);
	if (m->sent) {
		if (!c || c->cmsg_type != SCM_RIGHTS)
			return -EPROTO;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		return fd;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, m->ring_fd, 0);
	if (fd < 0)
		fd = -errno;
	close(pidfd);
	return fd;
}

/* Child: set up the ring, submit, hand its fd over, exit. */
static void fd_passed_child(int sock, unsigned int flags)
{
	struct ring_msg m = {
		.p = { .flags = flags, .sq_thread_idle = 1000 },
	};
	struct io_uring ring;
	int fd;

	fd = gt_open_dev(O_RDWR);
	if (fd < 0 || io_uring_queue_init_params(8, &ring, &m.p))
		_exit(2);
	if (submit_long(&ring, fd))
		_exit(3);
	/* SQPOLL: the commands are issued once its thread took the SQEs. */
	for (int i = 0; i < 5000 && io_uring_sq_ready(&ring); i++)
		gt_sleep_us(1000);
	if (io_uring_sq_ready(&ring))
		_exit(4);
	m.ring_fd = ring.ring_fd;
	if (send_ring(sock, &m))
		_exit(5);
	/* until the other process has the ring */
	if (rel_read_byte(sock, 10000000) != 'G')
		_exit(6);
	_exit(0);
}

static void test_fd_passed(const char *name, unsigned int flags)
{
	struct io_uring ring = {};
	struct ring_msg m = {};
	int sv[2] = { -1, -1 }, ring_fd = -1, status, ret;
	uint64_t base = in_flight_now(), t0;
	pid_t pid = -1;

	gt_begin("%s", name);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
	      "socketpair: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(0);
		close(sv[0]);
		fd_passed_child(sv[1], flags);
	}
	close(sv[1]);
	sv[1] = -1;
	ring_fd = recv_ring(sv[0], pid, &m);
	CHECK(ring_fd >= 0, "no ring from the child: %s", gt_errname(ring_fd));
	fprintf(stderr, "%s: ring fd %s\n", name,
		m.sent ? "passed over the socket" : "taken with pidfd_getfd()");
	CHECK(write(sv[0], "G", 1) == 1, "write: %s", strerror(errno));
	t0 = gt_now_us();
	ret = gt_wait_child(pid, &status, 10000000);
	CHECK(ret == 0 && WIFEXITED(status) && !WEXITSTATUS(status),
	      "child: %s status 0x%x", gt_errname(ret), ret ? 0 : status);
	pid = -1;
	ret = io_uring_queue_mmap(ring_fd, &m.p, &ring);
	CHECK(ret == 0, "mmap of the passed ring: %s", gt_errname(ret));
	ring_fd = -1;		/* the ring's now */
	if (expect_cancelled(&ring, t0, name))
		goto out;
	if (expect_drained(base))
		goto out;
out:
	rel_kill_child(pid);
	if (ring_fd >= 0)
		close(ring_fd);
	gt_ring_exit(&ring);
	for (int i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
	gt_end();
}

/* ------------------------------------------------------------------ */

static void test_ring_close(void)
{
	struct io_uring ring = {};
	uint64_t base = in_flight_now(), t0;
	struct rel_stats st;
	long long t;
	int fd = -1, ret;

	gt_begin("ring_close");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	ret = submit_long(&ring, fd);
	CHECK(ret == 0, "submit: %s", gt_errname(ret));
	t0 = gt_now_us();
	gt_ring_exit(&ring);
	t = rel_wait_in_flight(base, REL_END_BOUND_US + 9000000, &st);
	CHECK(t >= 0, "in_flight %" PRIu64 ", expected %" PRIu64 ": %s",
	      st.in_flight, base, gt_errname(t));
	t = (long long)(gt_now_us() - t0);
	fprintf(stderr, "ring_close: drained after %lld us\n", t);
	CHECK(t <= REL_END_BOUND_US, "ended after %lld us, bound %u us", t,
	      REL_END_BOUND_US);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(int argc, char **argv)
{
	/* The exec'd image: say it runs, and go. */
	if (argc == 3 && !strcmp(argv[1], "--exec-child")) {
		int fd = atoi(argv[2]);

		_exit(write(fd, "E", 1) == 1 ? 0 : 1);
	}

	gt_init("rel_exec", 110);
	test_exec("/proc/self/exe");
	for (int k = 0; k < GT_RING_KINDS; k++)
		test_thread_exit(k);
	test_thread_sigkill();
	test_fd_passed("fd_passed", 0);
	test_fd_passed("sqpoll_passed", IORING_SETUP_SQPOLL);
	test_ring_close();
	return gt_exit_status();
}
