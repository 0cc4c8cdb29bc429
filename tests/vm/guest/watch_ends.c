// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * WATCH, the multishot stream of an open file's value, and every way a
 * stream ends: WATCH_STOP, ring exit, process exit, a thread's exit (the
 * ring stays), exec, a full CQ, no buffer left, a buffer too small. On
 * kernels without multishot uring_cmd (before 6.18): the feature bits are
 * clear and WATCH is refused.
 *
 * Run as "t_watch_ends --exec-child FD" it is the program an exec case
 * becomes: it says so on FD and lives on for a while.
 */
#include "guest_test.h"

#include <pthread.h>
#include <sys/ioctl.h>

#ifndef IORING_URING_CMD_MULTISHOT
#define IORING_URING_CMD_MULTISHOT	(1U << 1)
#endif

#define BGID		7
#define NBUFS		64
#define EVSZ		sizeof(struct miscuring_watch_event)

static int have_mshot;
static char *self_path;

static uint64_t stats_field(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/misc/miscuring/stats/%s", name);
	return (uint64_t)gt_read_sysfs_ll(path);
}

/* Waits up to us for the cancelled counter to pass @than. */
static int cancelled_after(uint64_t than, uint64_t us)
{
	uint64_t deadline = gt_now_us() + us;

	while (gt_now_us() < deadline) {
		if (stats_field("cancelled") > than)
			return 1;
		gt_sleep_us(2000);
	}
	return 0;
}

static uint64_t features(struct io_uring *ring, int fd, uint64_t *ops)
{
	struct miscuring_info info;
	struct miscuring_probe a = gt_probe_payload(&info, sizeof(info));
	struct gt_cqe cqe;

	memset(&info, 0, sizeof(info));
	if (gt_cmd_sync(ring, fd, MISCURING_CMD_PROBE, &a, sizeof(a), &cqe) ||
	    cqe.res != (int)sizeof(info))
		return 0;
	*ops = le64toh(info.ops);
	return le64toh(info.features);
}

/* Provides nbufs buffers of size bytes each from mem, group BGID. */
static int provide(struct io_uring *ring, void *mem, unsigned int size,
		   unsigned int nbufs)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct gt_cqe cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_provide_buffers(sqe, mem, (int)size, (int)nbufs, BGID, 0);
	io_uring_sqe_set_data64(sqe, 0xb0f);
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = gt_reap(ring, &cqe, GT_WAIT_US);
	if (ret)
		return ret;
	return cqe.res < 0 ? cqe.res : 0;
}

/* A WATCH; with IORING_URING_CMD_MULTISHOT also IOSQE_BUFFER_SELECT. */
static int submit_watch_sel(struct io_uring *ring, int fd, uint64_t tag,
			    uint32_t flags, uint32_t cmd_flags, int bsel,
			    uint64_t user_data)
{
	struct miscuring_watch a = {
		.tag = htole64(tag),
		.flags = htole32(flags),
	};
	struct io_uring_sqe *sqe;
	int ret;

	sqe = gt_prep_cmd(ring, fd, MISCURING_CMD_WATCH, &a, sizeof(a),
			  user_data);
	if (!sqe)
		return -EBUSY;
	if (bsel) {
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = BGID;
	}
	sqe->uring_cmd_flags = cmd_flags;
	ret = io_uring_submit(ring);
	return ret == 1 ? 0 : (ret < 0 ? ret : -EIO);
}

static int submit_watch(struct io_uring *ring, int fd, uint64_t tag,
			uint32_t flags, uint32_t cmd_flags, uint64_t user_data)
{
	return submit_watch_sel(ring, fd, tag, flags, cmd_flags,
				!!(cmd_flags & IORING_URING_CMD_MULTISHOT),
				user_data);
}

static int set_ioctl(int fd, int v)
{
	return ioctl(fd, MISCURING_IOC_SET_VALUE, &v) ? -errno : 0;
}

/* The event a CQE with a buffer names. */
static struct miscuring_watch_event *event_of(void *mem, const struct gt_cqe *c)
{
	unsigned int bid = c->flags >> IORING_CQE_BUFFER_SHIFT;

	return (struct miscuring_watch_event *)((char *)mem + (size_t)bid * EVSZ);
}

static void test_refused(void)
{
	struct io_uring ring = {};
	struct gt_cqe cqe;
	uint64_t ops = 0, feat;
	int fd = -1, ret;

	gt_begin(have_mshot ? "feature_bits" : "refused_without_multishot");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	feat = features(&ring, fd, &ops);
	if (have_mshot) {
		CHECK(feat & MISCURING_FEAT_WATCH, "features 0x%" PRIx64, feat);
		CHECK(ops >> 13 & 1 && ops >> 14 & 1, "ops 0x%" PRIx64, ops);
		goto out;
	}
	CHECK(!(feat & (MISCURING_FEAT_WATCH | MISCURING_FEAT_MULTISHOT)),
	      "features 0x%" PRIx64, feat);
	CHECK(!(ops >> 13 & 1) && !(ops >> 14 & 1), "ops 0x%" PRIx64, ops);
	/* The module's answer to the op alone. */
	ret = submit_watch(&ring, fd, 1, 0, 0, 1);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
	CHECK_RES(cqe.res, -EOPNOTSUPP);
	/*
	 * io_uring's answers: a uring_cmd has no buffer select there, and
	 * the flag alone is one it does not know.
	 */
	ret = submit_watch_sel(&ring, fd, 1, 0, IORING_URING_CMD_MULTISHOT, 1, 2);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
	CHECK_RES(cqe.res, -EOPNOTSUPP);
	ret = submit_watch_sel(&ring, fd, 1, 0, IORING_URING_CMD_MULTISHOT, 0, 3);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
	CHECK_RES(cqe.res, -EINVAL);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static void test_bad_args(void)
{
	struct io_uring ring = {};
	struct miscuring_watch_stop st = { .tag = htole64(99) };
	struct gt_cqe cqe;
	int fd = -1, ret;

	gt_begin("bad_args");
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		return;
	}
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	ret = submit_watch(&ring, fd, 1, 0, 0, 1);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
	CHECK_RES(cqe.res, -EINVAL);
	ret = submit_watch(&ring, fd, 1, 0x80, IORING_URING_CMD_MULTISHOT, 2);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
	CHECK_RES(cqe.res, -EINVAL);
	CHECK(!(cqe.flags & IORING_CQE_F_MORE), "F_MORE on a refusal");
	CHECK(!gt_cmd_sync(&ring, fd, MISCURING_CMD_WATCH_STOP, &st,
			   sizeof(st), &cqe), "WATCH_STOP");
	CHECK_RES(cqe.res, 0);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* A stream of stores, one event each, then WATCH_STOP; on every ring kind. */
static void test_stream(enum gt_ring_kind kind)
{
	struct io_uring ring = {};
	struct miscuring_watch_stop st = { .tag = htole64(0x7a9) };
	struct miscuring_watch_event *ev;
	void *mem = calloc(NBUFS, EVSZ);
	int fd = -1, ret, stopped = 0, final = 0;
	struct gt_cqe cqe;

	gt_begin("stream_%s", gt_ring_names[kind]);
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	CHECK_RING_AND_OPEN(&ring, 16, kind, fd, O_RDWR);
	CHECK(!set_ioctl(fd, 41), "SET ioctl");
	CHECK(!(ret = provide(&ring, mem, EVSZ, NBUFS)), "provide: %s",
	      gt_errname(ret));
	ret = submit_watch(&ring, fd, 0x7a9, MISCURING_WATCH_INITIAL,
			   IORING_URING_CMD_MULTISHOT, 0xa1);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no initial event");
	CHECK(cqe.user_data == 0xa1 && cqe.res == (int)EVSZ &&
	      (cqe.flags & IORING_CQE_F_MORE) && (cqe.flags & IORING_CQE_F_BUFFER),
	      "initial: res %d flags 0x%x", cqe.res, cqe.flags);
	CHECK(cqe.res2 == 0, "res2 %" PRIu64 " on an event", cqe.res2);
	ev = event_of(mem, &cqe);
	CHECK(le64toh(ev->value) == 41 && le64toh(ev->changes) == 0,
	      "initial event %" PRIu64 "/%" PRIu64, le64toh(ev->value),
	      le64toh(ev->changes));
	for (int i = 0; i < 20; i++) {
		/* The same value again is a store, too. */
		int v = i == 5 ? 104 : 100 + i;

		CHECK(!set_ioctl(fd, v), "SET ioctl");
		CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no event %d", i);
		CHECK(cqe.user_data == 0xa1 && cqe.res == (int)EVSZ &&
		      (cqe.flags & IORING_CQE_F_MORE),
		      "event %d: res %d flags 0x%x", i, cqe.res, cqe.flags);
		ev = event_of(mem, &cqe);
		CHECK(le64toh(ev->value) == (uint64_t)v &&
		      le64toh(ev->changes) == 1, "event %d: %" PRIu64 "/%" PRIu64,
		      i, le64toh(ev->value), le64toh(ev->changes));
	}
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_WATCH_STOP, &st, sizeof(st),
			   0x5a) != NULL, "no SQE");
	CHECK(io_uring_submit(&ring) == 1, "submit STOP");
	while (!stopped || !final) {
		CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no end (%d %d)",
		      stopped, final);
		if (cqe.user_data == 0x5a) {
			CHECK_RES(cqe.res, 1);
			stopped = 1;
			continue;
		}
		CHECK(cqe.user_data == 0xa1 && !(cqe.flags & IORING_CQE_F_MORE),
		      "after STOP: ud 0x%" PRIx64 " flags 0x%x", cqe.user_data,
		      cqe.flags);
		CHECK_RES(cqe.res, 0);
		if (gt_ring_cqe32(&ring))
			CHECK(cqe.res2 == 119, "final res2 %" PRIu64, cqe.res2);
		final = 1;
	}
	CHECK(gt_reap(&ring, &cqe, 0) == -ETIME, "a CQE after the end");
out:
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

/*
 * Stores faster than task work runs: on a DEFER_TASKRUN ring task work
 * waits for the next io_uring_enter, so 50 stores make one event that
 * counts 50. Also a different open file's store is not this watch's.
 */
static void test_coalesce(void)
{
	struct io_uring ring = {};
	struct miscuring_watch_stop st = { .tag = htole64(3) };
	struct miscuring_watch_event *ev;
	void *mem = calloc(NBUFS, EVSZ);
	int fd = -1, fd2 = -1, ret;
	struct gt_cqe cqe;

	gt_begin("coalesce_defer_taskrun");
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	ret = io_uring_queue_init(16, &ring, IORING_SETUP_SINGLE_ISSUER |
				  IORING_SETUP_DEFER_TASKRUN);
	CHECK(!ret, "ring: %s", gt_errname(ret));
	fd = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	CHECK(fd >= 0 && fd2 >= 0, "open");
	CHECK(!(ret = provide(&ring, mem, EVSZ, NBUFS)), "provide: %s",
	      gt_errname(ret));
	ret = submit_watch(&ring, fd, 3, 0, IORING_URING_CMD_MULTISHOT, 0xc0);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	CHECK(gt_reap(&ring, &cqe, 20000) == -ETIME, "an event before a store");
	for (int i = 1; i <= 50; i++) {
		CHECK(!set_ioctl(fd, i), "SET ioctl");
		CHECK(!set_ioctl(fd2, 1000 + i), "SET ioctl");
	}
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no event");
	ev = event_of(mem, &cqe);
	CHECK(cqe.res == (int)EVSZ && le64toh(ev->value) == 50 &&
	      le64toh(ev->changes) == 50, "event res %d: %" PRIu64 "/%" PRIu64,
	      cqe.res, le64toh(ev->value), le64toh(ev->changes));
	CHECK(gt_reap(&ring, &cqe, 20000) == -ETIME, "a second event");
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_WATCH_STOP, &st, sizeof(st),
			   0x5b) != NULL, "no SQE");
	CHECK(io_uring_submit(&ring) == 1, "submit STOP");
	for (int n = 0; n < 2; n++) {
		CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no end");
		CHECK(cqe.res == (cqe.user_data == 0x5b ? 1 : 0) &&
		      !(cqe.flags & IORING_CQE_F_MORE), "end: ud 0x%" PRIx64
		      " res %d", cqe.user_data, cqe.res);
	}
out:
	if (fd2 >= 0)
		close(fd2);
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

/* The ends that come from the buffers and the CQ. */
static void test_buffer_ends(const char *name, unsigned int bufsize,
			     unsigned int nbufs, unsigned int cq_entries,
			     int want)
{
	struct io_uring ring = {};
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE };
	void *mem = calloc(NBUFS, 64);
	uint64_t sum = 0;
	int fd = -1, ret, events = 0, stores = 0;
	struct gt_cqe cqe;

	gt_begin("%s", name);
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	p.cq_entries = cq_entries;
	ret = io_uring_queue_init_params(4, &ring, &p);
	CHECK(!ret, "ring: %s", gt_errname(ret));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open");
	CHECK(!(ret = provide(&ring, mem, bufsize, nbufs)), "provide: %s",
	      gt_errname(ret));
	ret = submit_watch(&ring, fd, 4, 0, IORING_URING_CMD_MULTISHOT, 0xd0);
	CHECK(!ret, "submit: %s", gt_errname(ret));
	/*
	 * Each store's task work runs on the way back from the ioctl: with
	 * a CQ nobody reaps, it fills up. Stop storing once the end came.
	 */
	for (stores = 1; stores <= 40; stores++) {
		CHECK(!set_ioctl(fd, 500 + stores), "SET ioctl");
		if (want != -EOVERFLOW) {
			CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no CQE");
			if (!(cqe.flags & IORING_CQE_F_MORE))
				break;
			events++;
			sum += le64toh(event_of(mem, &cqe)->changes);
		} else if (IO_URING_READ_ONCE(*ring.sq.kflags) &
			   IORING_SQ_CQ_OVERFLOW) {
			break;
		}
	}
	if (want == -EOVERFLOW) {
		/* Reap all: the events the CQ held, then the overflowed end. */
		for (;;) {
			CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no end after %d",
			      events);
			if (!(cqe.flags & IORING_CQE_F_MORE))
				break;
			events++;
			sum += le64toh(((struct miscuring_watch_event *)
					((char *)mem + (size_t)(cqe.flags >>
					IORING_CQE_BUFFER_SHIFT) * bufsize))->changes);
		}
		CHECK(events == (int)cq_entries, "%d events in a CQ of %u",
		      events, cq_entries);
	}
	CHECK(cqe.user_data == 0xd0, "ud 0x%" PRIx64, cqe.user_data);
	CHECK_RES(cqe.res, want);
	/* Every store before the end is in an event, or in the lost one. */
	CHECK(sum + 1 >= (uint64_t)events && sum <= (uint64_t)stores,
	      "changes %" PRIu64 " for %d stores, %d events", sum, stores,
	      events);
	if (want == -ENOBUFS)
		CHECK(events == (int)nbufs, "%d events with %u buffers", events,
		      nbufs);
	CHECK(gt_reap(&ring, &cqe, 20000) == -ETIME, "a CQE after the end");
	fprintf(stderr, "%s: %d stores, %d events, %" PRIu64 " changes\n",
		name, stores, events, sum);
out:
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

/* WATCHes in flight and the counters: a helper for the cancel cases. */
static int start_watch(struct io_uring *ring, int *fd, void *mem)
{
	int ret;

	ret = gt_ring_init(ring, 8, GT_RING_PLAIN);
	if (ret)
		return ret;
	*fd = gt_open_dev(O_RDWR);
	if (*fd < 0)
		return *fd;
	ret = provide(ring, mem, EVSZ, NBUFS);
	if (ret)
		return ret;
	return submit_watch(ring, *fd, 5, 0, IORING_URING_CMD_MULTISHOT, 0xe0);
}

static void test_ring_exit(void)
{
	struct io_uring ring = {};
	void *mem = calloc(NBUFS, EVSZ);
	uint64_t c0 = stats_field("cancelled"), f0 = stats_field("in_flight");
	int fd = -1, ret;

	gt_begin("end_ring_exit");
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	ret = start_watch(&ring, &fd, mem);
	CHECK(!ret, "start: %s", gt_errname(ret));
	CHECK(stats_field("in_flight") == f0 + 1, "not in flight");
	gt_ring_exit(&ring);
	CHECK(cancelled_after(c0, GT_WAIT_US), "not cancelled");
	CHECK(stats_field("in_flight") == f0, "still in flight");
	/* The file lives on, its value too. */
	CHECK(!set_ioctl(fd, 9), "SET after");
out:
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

enum child_end { CHILD_EXIT, CHILD_PAUSE, CHILD_EXEC };

/*
 * A child that starts a WATCH, says so on the pipe, then ends its way:
 * exits, waits to be killed, or execs this program (--exec-child), which
 * says so again and lives for 3 s. The child's pid, or -errno.
 */
static pid_t fork_watcher(void *mem, int p[2], enum child_end how)
{
	pid_t pid = fork();

	if (pid)
		return pid < 0 ? -errno : pid;
	struct io_uring ring;
	char fdarg[16];
	int fd;

	if (start_watch(&ring, &fd, mem))
		_exit(2);
	if (how == CHILD_EXEC) {
		snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
		execl(self_path, self_path, "--exec-child", fdarg, (char *)NULL);
		_exit(3);
	}
	(void)!write(p[1], "s", 1);
	if (how == CHILD_PAUSE)
		pause();
	_exit(0);
}

/* The process exits, or is killed, or execs with its WATCH in flight. */
static void test_child_end(enum child_end how)
{
	static const char *const names[] = {
		[CHILD_EXIT] = "end_process_exit",
		[CHILD_PAUSE] = "end_process_sigkill",
		[CHILD_EXEC] = "end_exec",
	};
	void *mem = calloc(NBUFS, EVSZ);
	uint64_t c0 = stats_field("cancelled");
	int status, p[2] = { -1, -1 };
	pid_t pid = -1;
	char c;

	gt_begin("%s", names[how]);
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	CHECK(!pipe(p), "pipe");
	pid = fork_watcher(mem, p, how);
	CHECK(pid > 0, "fork: %s", gt_errname(pid));
	CHECK(read(p[0], &c, 1) == 1, "child did not start its watch");
	if (how == CHILD_PAUSE)
		kill(pid, SIGKILL);
	/* The exec'd child lives for 3 s: the exec must have ended it. */
	if (how == CHILD_EXEC)
		CHECK(cancelled_after(c0, 1500000), "not cancelled by the exec");
	CHECK(!gt_wait_child(pid, &status, GT_WAIT_US), "child hangs");
	CHECK(how == CHILD_PAUSE ? WIFSIGNALED(status) :
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status 0x%x", status);
	CHECK(cancelled_after(c0, GT_WAIT_US), "not cancelled");
out:
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	free(mem);
	gt_end();
}

struct thread_arg {
	struct io_uring *ring;
	int fd;
	int ret;
};

static void *watch_thread(void *p)
{
	struct thread_arg *t = p;

	t->ret = submit_watch(t->ring, t->fd, 6, 0, IORING_URING_CMD_MULTISHOT,
			      0xf0);
	return NULL;
}

/* The submitting thread exits, the ring stays: the owner check ends it. */
static void test_thread_exit(void)
{
	struct io_uring ring = {};
	void *mem = calloc(NBUFS, EVSZ);
	struct thread_arg t;
	struct gt_cqe cqe;
	pthread_t th;
	int fd = -1, ret;

	gt_begin("end_thread_exit");
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	CHECK(!(ret = provide(&ring, mem, EVSZ, NBUFS)), "provide: %s",
	      gt_errname(ret));
	t = (struct thread_arg){ .ring = &ring, .fd = fd };
	CHECK(!pthread_create(&th, NULL, watch_thread, &t), "thread");
	pthread_join(th, NULL);
	CHECK(!t.ret, "submit: %s", gt_errname(t.ret));
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "not ended");
	CHECK(cqe.user_data == 0xf0 && !(cqe.flags & IORING_CQE_F_MORE),
	      "ud 0x%" PRIx64 " flags 0x%x", cqe.user_data, cqe.flags);
	CHECK_RES(cqe.res, -ECANCELED);
out:
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

static int write_param(const char *name, long long v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/miscuring/parameters/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%lld\n", v);
	return fclose(f) ? -errno : 0;
}

/* A WATCH counts against max_pending_per_file, as DELAY and WAIT do. */
static void test_limit(void)
{
	struct io_uring ring = {};
	void *mem = calloc(NBUFS, EVSZ);
	struct miscuring_watch_stop st = { .tag = htole64(8) };
	long long old = gt_read_sysfs_ll(
		"/sys/module/miscuring/parameters/max_pending_per_file");
	struct gt_cqe cqe;
	int fd = -1, ret, ends = 0;

	gt_begin("limit_max_pending_per_file");
	if (!have_mshot) {
		gt_skip("no multishot uring_cmd");
		free(mem);
		return;
	}
	CHECK(old > 0, "max_pending_per_file: %lld", old);
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	CHECK(!(ret = provide(&ring, mem, EVSZ, NBUFS)), "provide");
	CHECK(!write_param("max_pending_per_file", 2), "set limit");
	for (int i = 0; i < 3; i++)
		CHECK(!submit_watch(&ring, fd, 8, 0, IORING_URING_CMD_MULTISHOT,
				    0x100 + i), "submit %d", i);
	CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "third not refused");
	CHECK(cqe.user_data == 0x102, "ud 0x%" PRIx64 " res %d", cqe.user_data,
	      cqe.res);
	CHECK_RES(cqe.res, -EBUSY);
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_WATCH_STOP, &st, sizeof(st),
			   0x5c) != NULL, "no SQE");
	CHECK(io_uring_submit(&ring) == 1, "submit STOP");
	for (int n = 0; n < 3; n++) {
		CHECK(!gt_reap(&ring, &cqe, GT_WAIT_US), "no end");
		if (cqe.user_data == 0x5c)
			CHECK_RES(cqe.res, 2);
		else
			ends++;
	}
	CHECK(ends == 2, "%d ends", ends);
out:
	if (old > 0)
		write_param("max_pending_per_file", old);
	gt_ring_dev_exit(&ring, fd);
	free(mem);
	gt_end();
}

int main(int argc, char **argv)
{
	struct io_uring ring = {};
	uint64_t ops = 0;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--exec-child")) {
		(void)!write(atoi(argv[2]), "e", 1);
		sleep(3);
		return 0;
	}
	self_path = argv[0];
	gt_init("watch_ends", 240);
	if (gt_ring_init(&ring, 8, GT_RING_PLAIN) == 0) {
		fd = gt_open_dev(O_RDWR);
		if (fd >= 0) {
			have_mshot = !!(features(&ring, fd, &ops) &
					MISCURING_FEAT_MULTISHOT);
			close(fd);
		}
		gt_ring_exit(&ring);
	}
	fprintf(stderr, "watch_ends: multishot %s\n", have_mshot ? "yes" : "no");

	test_refused();
	test_bad_args();
	for (int k = 0; k < GT_RING_KINDS; k++)
		test_stream(k);
	test_coalesce();
	test_buffer_ends("end_cq_overflow", EVSZ, NBUFS, 8, -EOVERFLOW);
	test_buffer_ends("end_no_buffers", EVSZ, 3, 64, -ENOBUFS);
	test_buffer_ends("end_buffer_too_small", 8, 4, 64, -EMSGSIZE);
	test_ring_exit();
	test_child_end(CHILD_EXIT);
	test_child_end(CHILD_PAUSE);
	test_thread_exit();
	test_child_end(CHILD_EXEC);
	test_limit();
	return gt_exit_status();
}
