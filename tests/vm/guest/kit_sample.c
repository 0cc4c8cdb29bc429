// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The mu_cmd kit's sample driver (examples/uring_cmd_sample), loaded next
 * to miscuring.ko: its inline op (ADD), its workqueue -> task work op
 * (SLEEP), the kit's refusal of undeclared uring_cmd_flags and SQE fields,
 * SLEEPs ended by their ring's exit and their task's exit, the module
 * refusing to unload while commands are queued and unloading (and loading
 * again) once they ended, and both drivers on one ring.
 */
#include "guest_test.h"

#include "kit_util.h"

#include <sys/syscall.h>

#include "../../../examples/uring_cmd_sample/uring_cmd_sample.h"

#define SAMPLE_DEV	"/dev/" URING_CMD_SAMPLE_NAME
#define SAMPLE_KO	"/modules/" URING_CMD_SAMPLE_NAME ".ko"
#define SAMPLE_REFCNT	"/sys/module/" URING_CMD_SAMPLE_NAME "/refcnt"
#define LONG_MSEC	20000	/* never reached: these end by cancellation */

static int sample_open(void)
{
	int fd = open(SAMPLE_DEV, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* gt_ring_init() and sample_open(), CHECKed: see CHECK_RING_AND_OPEN(). */
#define CHECK_SAMPLE_RING(ring, entries, kind, fd)			\
	do {								\
		int __ret = gt_ring_init((ring), (entries), (kind));	\
		CHECK(__ret == 0, "ring setup: %s", gt_errname(__ret));	\
		(fd) = sample_open();					\
		CHECK((fd) >= 0, "open %s: %s", SAMPLE_DEV, gt_errname(fd)); \
	} while (0)

static struct uring_cmd_sample_add add_args(uint32_t a, uint32_t b)
{
	return (struct uring_cmd_sample_add){ .a = htole32(a), .b = htole32(b) };
}

static struct uring_cmd_sample_sleep sleep_args(uint32_t msec)
{
	return (struct uring_cmd_sample_sleep){ .msec = htole32(msec) };
}

/* Poll the module's refcount until it is at most target: -ETIME or us. */
static long long wait_refcnt(long long target, uint64_t timeout_us)
{
	uint64_t t0 = gt_now_us();

	for (;;) {
		long long r = gt_read_sysfs_ll(SAMPLE_REFCNT);

		if (r >= 0 && r <= target)
			return (long long)(gt_now_us() - t0);
		if (gt_now_us() - t0 >= timeout_us)
			return -ETIME;
		gt_sleep_us(2000);
	}
}

/* Queue n long SLEEPs on ring and fd; 0 or -errno. */
static int queue_sleeps(struct io_uring *ring, int fd, int n)
{
	struct uring_cmd_sample_sleep s = sleep_args(LONG_MSEC);
	int ret;

	for (int i = 0; i < n; i++)
		if (!gt_prep_cmd(ring, fd, URING_CMD_SAMPLE_SLEEP, &s, sizeof(s), 100 + i))
			return -ENOSPC;
	ret = io_uring_submit(ring);
	return ret == n ? 0 : ret < 0 ? ret : -EIO;
}

static void test_add(const char *when)
{
	for (int k = GT_RING_PLAIN; k < GT_RING_KINDS; k++) {
		struct io_uring ring = {};
		struct uring_cmd_sample_add a;
		unsigned char big[80] = {};
		struct gt_cqe cqe;
		int fd = -1, ret;

		gt_begin("add%s_%s", when, gt_ring_names[k]);
		CHECK_SAMPLE_RING(&ring, 8, (enum gt_ring_kind)k, fd);
		a = add_args(2, 40);
		ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), &cqe);
		CHECK(ret == 0, "ADD: %s", gt_errname(ret));
		CHECK_RES(cqe.res, 42);
		a = add_args(0x7fffffff, 1);
		ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), &cqe);
		CHECK(ret == 0, "ADD: %s", gt_errname(ret));
		CHECK_RES(cqe.res, -EOVERFLOW);
		a = add_args(1, 1);
		a.reserved = htole64(1);
		ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), &cqe);
		CHECK(ret == 0, "ADD: %s", gt_errname(ret));
		CHECK_RES(cqe.res, -EINVAL);
		if (gt_ring_sqe128(&ring)) {
			a = add_args(1, 1);
			memcpy(big, &a, sizeof(a));
			big[79] = 1;
			ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_ADD, big, sizeof(big), &cqe);
			CHECK(ret == 0, "ADD: %s", gt_errname(ret));
			CHECK_RES(cqe.res, -EINVAL);
		}
		for (uint32_t op = 0; op < 8; op += 7) {
			ret = gt_cmd_sync(&ring, fd, op, NULL, 0, &cqe);
			CHECK(ret == 0, "op %u: %s", op, gt_errname(ret));
			CHECK_RES(cqe.res, -EOPNOTSUPP);
		}
out:
		gt_ring_dev_exit(&ring, fd);
		gt_end();
	}
}

static void test_sqe_fields(void)
{
	struct uring_cmd_sample_add a = add_args(2, 3);
	struct io_uring ring = {};
	int fd = -1, ret;

	gt_begin("sqe_fields");
	CHECK_SAMPLE_RING(&ring, 8, GT_RING_PLAIN, fd);
	ret = kit_register_buffer(&ring);
	CHECK(ret == 0, "register buffers: %s", gt_errname(ret));
	for (int w = KIT_ODD_NONE; w < KIT_ODD_N; w++) {
		int exp = kit_odd_refused(w) ? -EINVAL : 5;

		ret = kit_odd_cmd(&ring, fd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), w);
		CHECK(ret == exp, "ADD with %s: res %s, expected %s", kit_odd_names[w],
		      gt_errname(ret), gt_errname(exp));
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static void test_sleep(void)
{
	struct uring_cmd_sample_sleep s;
	struct io_uring ring = {};
	struct gt_cqe cqe;
	uint64_t t0, dt;
	uint64_t seen = 0;
	int fd = -1, ret;

	gt_begin("sleep");
	CHECK_SAMPLE_RING(&ring, 64, GT_RING_PLAIN, fd);
	s = sleep_args(URING_CMD_SAMPLE_SLEEP_MAX_MSEC + 1);
	ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_SLEEP, &s, sizeof(s), &cqe);
	CHECK(ret == 0, "SLEEP: %s", gt_errname(ret));
	CHECK_RES(cqe.res, -EINVAL);
	s = sleep_args(100);
	t0 = gt_now_us();
	ret = gt_cmd_sync(&ring, fd, URING_CMD_SAMPLE_SLEEP, &s, sizeof(s), &cqe);
	dt = gt_now_us() - t0;
	CHECK(ret == 0, "SLEEP: %s", gt_errname(ret));
	CHECK_RES(cqe.res, 0);
	CHECK(dt >= 100000, "SLEEP(100 ms) completed after %" PRIu64 " us", dt);
	/* 48 at once, 0 to 47 ms: every one completes, once. */
	for (int i = 0; i < 48; i++) {
		s = sleep_args((uint32_t)i);
		CHECK(gt_prep_cmd(&ring, fd, URING_CMD_SAMPLE_SLEEP, &s, sizeof(s), 1000 + i),
		      "no SQE");
	}
	ret = io_uring_submit(&ring);
	CHECK(ret == 48, "submit: %s", gt_errname(ret));
	for (int i = 0; i < 48; i++) {
		ret = gt_reap(&ring, &cqe, GT_WAIT_US);
		CHECK(ret == 0, "CQE %d: %s", i, gt_errname(ret));
		CHECK(cqe.user_data >= 1000 && cqe.user_data < 1048 &&
		      !(seen & 1ull << (cqe.user_data - 1000)), "user_data %" PRIu64,
		      cqe.user_data);
		seen |= 1ull << (cqe.user_data - 1000);
		CHECK_RES(cqe.res, 0);
	}
	ret = gt_reap(&ring, &cqe, 0);
	CHECK(ret == -ETIME, "a 49th CQE: %s", gt_errname(ret));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* Closing the ring ends its SLEEPs (-ECANCELED) and releases the file. */
static void test_ring_exit(void)
{
	struct io_uring ring = {};
	long long base, t;
	int fd = -1, ret;

	gt_begin("ring_exit");
	base = gt_read_sysfs_ll(SAMPLE_REFCNT);
	CHECK(base >= 0, "refcnt: %s", gt_errname(base));
	CHECK_SAMPLE_RING(&ring, 32, GT_RING_PLAIN, fd);
	ret = queue_sleeps(&ring, fd, 16);
	CHECK(ret == 0, "queue: %s", gt_errname(ret));
	gt_sleep_us(50000);
	close(fd);
	fd = -1;
	gt_ring_exit(&ring);
	t = wait_refcnt(base, 5000000);
	CHECK(t >= 0, "module refcnt still %lld 5 s after the ring closed, expected %lld",
	      gt_read_sysfs_ll(SAMPLE_REFCNT), base);
	fprintf(stderr, "kit_sample: ring exit released the SLEEPs in %lld us\n", t);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* A child with SLEEPs queued exits: its exit waits for nothing long. */
static void test_task_exit(void)
{
	long long base, t;
	uint64_t t0, dt;
	int status = 0, ret, pfd[2] = { -1, -1 };
	pid_t pid = -1;
	char c = 0;

	gt_begin("task_exit");
	base = gt_read_sysfs_ll(SAMPLE_REFCNT);
	CHECK(base >= 0, "refcnt: %s", gt_errname(base));
	CHECK(pipe(pfd) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct io_uring ring;
		int fd = sample_open();

		if (fd < 0 || gt_ring_init(&ring, 32, GT_RING_PLAIN) ||
		    queue_sleeps(&ring, fd, 16))
			_exit(2);
		(void)!write(pfd[1], "q", 1);
		gt_sleep_us(50000);
		_exit(0);	/* ring, file and SLEEPs still there */
	}
	close(pfd[1]);
	pfd[1] = -1;
	CHECK(read(pfd[0], &c, 1) == 1, "the child did not queue its SLEEPs");
	t0 = gt_now_us();
	ret = gt_wait_child(pid, &status, 10000000);
	dt = gt_now_us() - t0;
	CHECK(ret == 0, "child still there after 10 s: %s", gt_errname(ret));
	pid = -1;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
	CHECK(dt < 3000000, "the child's exit took %" PRIu64 " us", dt);
	t = wait_refcnt(base, 5000000);
	CHECK(t >= 0, "module refcnt still %lld 5 s after the child exited, expected %lld",
	      gt_read_sysfs_ll(SAMPLE_REFCNT), base);
	fprintf(stderr, "kit_sample: the child's exit took %" PRIu64 " us\n", dt);
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	gt_end();
}

/* miscuring and the sample on one ring, both kinds of op of each. */
static void test_side_by_side(void)
{
	struct miscuring_delay d = gt_delay_payload(50000, 7);
	struct uring_cmd_sample_sleep s = sleep_args(50);
	struct uring_cmd_sample_add a = add_args(20, 22);
	struct miscuring_nop nop = {};
	struct io_uring ring = {};
	int fd = -1, sfd = -1, ret, got = 0;
	struct gt_cqe cqe;

	gt_begin("side_by_side");
	CHECK_RING_AND_OPEN(&ring, 16, GT_RING_PLAIN, fd, O_RDWR);
	sfd = sample_open();
	CHECK(sfd >= 0, "open: %s", gt_errname(sfd));
	CHECK(gt_prep_cmd(&ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), 1) &&
	      gt_prep_cmd(&ring, sfd, URING_CMD_SAMPLE_SLEEP, &s, sizeof(s), 2) &&
	      gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), 3) &&
	      gt_prep_cmd(&ring, sfd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), 4) &&
	      gt_prep_cmd(&ring, fd, URING_CMD_SAMPLE_ADD, &a, sizeof(a), 5) &&
	      gt_prep_cmd(&ring, sfd, MISCURING_CMD_NOP, &nop, sizeof(nop), 6), "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == 6, "submit: %s", gt_errname(ret));
	for (int i = 0; i < 6; i++) {
		static const int exp[7] = { 0, 7, 0, 0, 42, -EOPNOTSUPP, -EOPNOTSUPP };

		ret = gt_reap(&ring, &cqe, GT_WAIT_US);
		CHECK(ret == 0, "CQE %d: %s", i, gt_errname(ret));
		CHECK(cqe.user_data >= 1 && cqe.user_data <= 6 &&
		      !(got & (1 << cqe.user_data)), "user_data %" PRIu64, cqe.user_data);
		got |= 1 << cqe.user_data;
		CHECK(cqe.res == exp[cqe.user_data], "command %" PRIu64 ": res %s, expected %s",
		      cqe.user_data, gt_errname(cqe.res), gt_errname(exp[cqe.user_data]));
	}
out:
	if (sfd >= 0)
		close(sfd);
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static long del_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

/*
 * With SLEEPs queued the module cannot go (every queued command holds its
 * file, every file the module); once the ring closed it can, miscuring
 * stays unaffected, and it loads again.
 */
static void test_rmmod_queued(void)
{
	struct miscuring_nop nop = {};
	struct io_uring ring = {};
	struct gt_cqe cqe;
	int fd = -1, mfd = -1, kfd = -1, ret, e = 0;
	uint64_t t0;
	long r;

	gt_begin("rmmod_queued");
	CHECK_SAMPLE_RING(&ring, 32, GT_RING_PLAIN, fd);
	ret = queue_sleeps(&ring, fd, 8);
	CHECK(ret == 0, "queue: %s", gt_errname(ret));
	close(fd);
	fd = -1;	/* now only the queued commands hold the file */
	gt_sleep_us(50000);
	errno = 0;
	r = del_module(URING_CMD_SAMPLE_NAME);
	CHECK(r == -1 && (errno == EAGAIN || errno == EBUSY),
	      "delete_module with SLEEPs queued: %ld errno %d (%s)", r, errno, strerror(errno));
	gt_ring_exit(&ring);
	t0 = gt_now_us();
	do {
		r = del_module(URING_CMD_SAMPLE_NAME);
		e = errno;
		if (r == 0)
			break;
		gt_sleep_us(5000);
	} while (gt_now_us() - t0 < 5000000);
	CHECK(r == 0, "delete_module 5 s after the ring closed: errno %d (%s)", e, strerror(e));
	CHECK(access(SAMPLE_DEV, F_OK) != 0, "%s still there", SAMPLE_DEV);
	mfd = gt_open_dev(O_RDWR);
	CHECK(mfd >= 0, "open miscuring: %s", gt_errname(mfd));
	ret = gt_ring_init(&ring, 8, GT_RING_PLAIN);
	CHECK(ret == 0, "ring: %s", gt_errname(ret));
	ret = gt_cmd_sync(&ring, mfd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe);
	CHECK(ret == 0, "NOP: %s", gt_errname(ret));
	CHECK_RES(cqe.res, 0);
out:
	gt_ring_exit(&ring);
	if (fd >= 0)
		close(fd);
	if (mfd >= 0)
		close(mfd);
	/* Whatever happened: the module must be there for the rest. */
	if (access("/sys/module/" URING_CMD_SAMPLE_NAME, F_OK) != 0) {
		kfd = open(SAMPLE_KO, O_RDONLY | O_CLOEXEC);
		if (kfd < 0 || syscall(SYS_finit_module, kfd, "", 0) != 0)
			gt_fail("loading %s again: %s", SAMPLE_KO, strerror(errno));
		if (kfd >= 0)
			close(kfd);
		t0 = gt_now_us();
		while (access(SAMPLE_DEV, F_OK) != 0 && gt_now_us() - t0 < 2000000)
			gt_sleep_us(5000);
		if (access(SAMPLE_DEV, F_OK) != 0)
			gt_fail("%s not back 2 s after loading the module", SAMPLE_DEV);
	}
	gt_end();
}

int main(void)
{
	gt_init("kit_sample", 100);
	if (access(SAMPLE_DEV, F_OK) != 0) {
		gt_begin("loaded");
		gt_fail("%s is missing: the sample module is not loaded", SAMPLE_DEV);
		return gt_exit_status();
	}
	test_add("");
	test_sqe_fields();
	test_sleep();
	test_side_by_side();
	test_ring_exit();
	test_task_exit();
	test_rmmod_queued();
	test_add("_reloaded");
	return gt_exit_status();
}
