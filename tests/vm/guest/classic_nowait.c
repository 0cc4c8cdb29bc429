// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The shared read/write buffer under contention and odd flags:
 *
 *   append            O_APPEND writes land at the end, whatever the file
 *                     position (write(2), pwrite(2) and io_uring alike)
 *   rwf_nowait        preadv2/pwritev2 with RWF_NOWAIT work (the file says
 *                     it supports IOCB_NOWAIT)
 *   nowait_busy       reads with RWF_NOWAIT while other threads keep the
 *                     buffer busy, through io_uring on an O_NONBLOCK file
 *                     and through preadv2(): each is whole or -EAGAIN, and
 *                     -EAGAIN does happen; plain io_uring reads on the
 *                     O_NONBLOCK file are whole or -EAGAIN (io_uring
 *                     retries them from a worker where the file supports
 *                     IOCB_NOWAIT, 6.12: the module's -EAGAIN stays inside)
 *   fault_unlocked    a write stuck in a page fault (userfaultfd) holds up
 *                     no other reader or writer of the buffer
 */
#include "rel_util.h"

#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static long long max_buf;

static off_t cur_len(int fd)
{
	return lseek(fd, 0, SEEK_END);
}

static void test_append(void)
{
	const char a[] = "append-one", b[] = "append-two", c[] = "ring-append";
	struct io_uring ring = {};
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	char got[32];
	int fd = -1, afd = -1, ret;
	off_t len;

	gt_begin("append");
	fd = gt_open_dev(O_RDWR);
	afd = gt_open_dev(O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && afd >= 0, "open: %s %s", gt_errname(fd), gt_errname(afd));
	len = cur_len(fd);
	CHECK(len >= 0, "lseek: %s", strerror(errno));
	if (len + 64 > max_buf) {
		/* A full buffer: nothing to append to. */
		CHECK_ERRNO(write(afd, a, sizeof(a)), EFBIG);
		goto out;
	}
	/* at the end, though this file's position is 0 */
	CHECK_SYS(lseek(afd, 0, SEEK_SET), 0);
	CHECK_SYS(write(afd, a, sizeof(a)), sizeof(a));
	CHECK_SYS(cur_len(fd), len + (off_t)sizeof(a));
	CHECK_SYS(lseek(afd, 0, SEEK_CUR), len + (off_t)sizeof(a));
	/* pwrite on an O_APPEND file appends too (Linux) */
	CHECK_SYS(pwrite(afd, b, sizeof(b), 0), sizeof(b));
	CHECK_SYS(pread(fd, got, sizeof(a) + sizeof(b), len),
		  sizeof(a) + sizeof(b));
	CHECK(!memcmp(got, a, sizeof(a)) && !memcmp(got + sizeof(a), b, sizeof(b)),
	      "appended bytes differ");
	/* an io_uring write at offset 0 on the O_APPEND file */
	len = cur_len(fd);
	ret = gt_ring_init(&ring, 4, GT_RING_PLAIN);
	CHECK(ret == 0, "ring: %s", gt_errname(ret));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, afd, c, sizeof(c), 0);
	CHECK_SYS(io_uring_submit(&ring), 1);
	CHECK_SYS(io_uring_wait_cqe(&ring, &cqe), 0);
	ret = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	CHECK_RES(ret, sizeof(c));
	CHECK_SYS(pread(fd, got, sizeof(c), len), sizeof(c));
	CHECK(!memcmp(got, c, sizeof(c)), "io_uring append differs");
out:
	gt_ring_exit(&ring);
	if (fd >= 0)
		close(fd);
	if (afd >= 0)
		close(afd);
	gt_end();
}

static void test_rwf_nowait(void)
{
	char w[16] = "nowait-bytes", r[16] = {};
	struct iovec wv = { w, sizeof(w) }, rv = { r, sizeof(r) };
	int fd = -1;

	gt_begin("rwf_nowait");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	/* uncontended: no reason to refuse */
	CHECK_SYS(pwritev2(fd, &wv, 1, 64, RWF_NOWAIT), sizeof(w));
	CHECK_SYS(preadv2(fd, &rv, 1, 64, RWF_NOWAIT), sizeof(r));
	CHECK(!memcmp(w, r, sizeof(w)), "read back differs");
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* ------------------------------------------------------------------ */

#define BUSY_LEN	(64 << 10)
#define BUSY_OFF	(128 << 10)

static volatile int busy_stop;

static void *busy_writer(void *p)
{
	int fd = *(int *)p;
	char *chunk = malloc(BUSY_LEN);
	void *ret = NULL;

	if (!chunk)
		return (void *)1;
	memset(chunk, 0x5a, BUSY_LEN);
	while (!busy_stop && !ret)
		if (pwrite(fd, chunk, BUSY_LEN, BUSY_OFF) != BUSY_LEN)
			ret = (void *)1;
	free(chunk);
	return ret;
}

/* One read of BUSY_LEN at BUSY_OFF: bytes read, or -errno. */
static int busy_read(struct io_uring *ring, int fd, char *buf, int how)
{
	struct iovec iov = { buf, BUSY_LEN };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret;

	if (how == 2) {
		ret = (int)preadv2(fd, &iov, 1, BUSY_OFF, RWF_NOWAIT);
		return ret < 0 ? -errno : ret;
	}
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, BUSY_LEN, BUSY_OFF);
	if (how == 1)
		sqe->rw_flags = RWF_NOWAIT;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

static void test_nowait_busy(void)
{
	static const char *const how_names[] = {
		"io_uring O_NONBLOCK", "io_uring O_NONBLOCK + RWF_NOWAIT",
		"preadv2 RWF_NOWAIT",
	};
	static char buf[BUSY_LEN];
	struct io_uring ring = {};
	pthread_t th[2];
	int nth = 0, fd = -1, nbfd = -1, ret;
	unsigned long reads[3] = {}, again[3] = {}, whole[3] = {};
	uint64_t t0;

	gt_begin("nowait_busy");
	if (max_buf < BUSY_OFF + BUSY_LEN) {
		gt_skip("max_buffer %lld is below %d", max_buf, BUSY_OFF + BUSY_LEN);
		goto out;
	}
	fd = gt_open_dev(O_RDWR);
	nbfd = gt_open_dev(O_RDONLY | O_NONBLOCK);
	CHECK(fd >= 0 && nbfd >= 0, "open: %s %s", gt_errname(fd),
	      gt_errname(nbfd));
	ret = gt_ring_init(&ring, 4, GT_RING_PLAIN);
	CHECK(ret == 0, "ring: %s", gt_errname(ret));
	/* the bytes exist before the race starts */
	memset(buf, 0x5a, sizeof(buf));
	CHECK_SYS(pwrite(fd, buf, sizeof(buf), BUSY_OFF), sizeof(buf));
	busy_stop = 0;
	for (; nth < 2; nth++) {
		ret = pthread_create(&th[nth], NULL, busy_writer, &fd);
		CHECK(ret == 0, "pthread_create: %s", strerror(ret));
	}
	t0 = gt_now_us();
	while (gt_now_us() - t0 < 10000000 &&
	       (again[1] < 20 || again[2] < 20 || whole[1] < 20 || whole[2] < 20 ||
		reads[0] < 20)) {
		int how = (int)(reads[0] + reads[1] + reads[2]) % 3;

		ret = busy_read(&ring, nbfd, buf, how);
		reads[how]++;
		if (ret == -EAGAIN) {
			again[how]++;
			continue;
		}
		CHECK(ret == BUSY_LEN, "%s read %lu: %s", how_names[how],
		      reads[how], gt_errname(ret));
		CHECK(gt_all_bytes(buf, BUSY_LEN, 0x5a), "%s read %lu: wrong bytes",
		      how_names[how], reads[how]);
		whole[how]++;
	}
	for (int how = 0; how < 3; how++)
		fprintf(stderr, "nowait_busy: %s: %lu reads, %lu -EAGAIN, %lu whole\n",
			how_names[how], reads[how], again[how], whole[how]);
	for (int how = 1; how < 3; how++) {
		CHECK(again[how] > 0, "%s: no -EAGAIN in %lu reads of a busy buffer",
		      how_names[how], reads[how]);
		CHECK(whole[how] > 0, "%s: no read got through in %lu tries",
		      how_names[how], reads[how]);
	}
out:
	busy_stop = 1;
	while (nth > 0) {
		void *r;

		pthread_join(th[--nth], &r);
		if (r && gt_case_state == 0)
			gt_fail("a busy writer's pwrite failed");
	}
	gt_ring_exit(&ring);
	if (fd >= 0)
		close(fd);
	if (nbfd >= 0)
		close(nbfd);
	gt_end();
}

/* ------------------------------------------------------------------ */

struct io_job {
	int fd;
	void *buf;
	size_t len;
	off_t off;
	int write;
	volatile int done;
	ssize_t ret;
};

static void *io_job_fn(void *p)
{
	struct io_job *j = p;

	j->ret = j->write ? pwrite(j->fd, j->buf, j->len, j->off) :
			    pread(j->fd, j->buf, j->len, j->off);
	j->done = 1;
	return NULL;
}

static int wait_done(struct io_job *j, uint64_t timeout_us)
{
	uint64_t t0 = gt_now_us();

	while (!j->done && gt_now_us() - t0 < timeout_us)
		gt_sleep_us(1000);
	return j->done;
}

static void test_fault_unlocked(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct uffdio_copy copy = {};
	char rbuf[64], wbuf[64] = "other-writer", *src = NULL, *page = NULL;
	struct io_job stuck = {}, reader = {}, writer = {};
	pthread_t ts, tr, tw;
	int started = 0, uffd = -1, fd = -1;

	gt_begin("fault_unlocked");
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0) {
		gt_skip("userfaultfd: %s", strerror(errno));
		goto out;
	}
	CHECK(ioctl(uffd, UFFDIO_API, &api) == 0, "UFFDIO_API: %s", strerror(errno));
	page = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED && src != MAP_FAILED, "mmap: %s", strerror(errno));
	reg.range.start = (uintptr_t)page;
	reg.range.len = (uint64_t)pg;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	CHECK(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0, "UFFDIO_REGISTER: %s",
	      strerror(errno));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	CHECK_SYS(pwrite(fd, wbuf, sizeof(wbuf), 8192), sizeof(wbuf));

	/* a write from the missing page: stuck in the fault until resolved */
	stuck = (struct io_job){ .fd = fd, .buf = page, .len = 256, .off = 4096,
				 .write = 1 };
	CHECK(pthread_create(&ts, NULL, io_job_fn, &stuck) == 0, "thread");
	started = 1;
	gt_sleep_us(200000);
	CHECK(!stuck.done, "the faulting write did not wait for its page");

	reader = (struct io_job){ .fd = fd, .buf = rbuf, .len = sizeof(rbuf),
				  .off = 8192 };
	writer = (struct io_job){ .fd = fd, .buf = wbuf, .len = sizeof(wbuf),
				  .off = 12288, .write = 1 };
	CHECK(pthread_create(&tr, NULL, io_job_fn, &reader) == 0, "thread");
	started |= 2;
	CHECK(pthread_create(&tw, NULL, io_job_fn, &writer) == 0, "thread");
	started |= 4;
	wait_done(&reader, 2000000);
	wait_done(&writer, 2000000);
	CHECK(reader.done && writer.done,
	      "read %s, write %s while another write faults",
	      reader.done ? "done" : "blocked", writer.done ? "done" : "blocked");
	CHECK(reader.ret == sizeof(rbuf) && !memcmp(rbuf, wbuf, sizeof(wbuf)),
	      "read: %zd", reader.ret);
	CHECK(writer.ret == sizeof(wbuf), "write: %zd", writer.ret);
out:
	/* resolve the fault: the stuck write completes */
	if (started) {
		memset(src, 'F', (size_t)pg);
		copy.dst = (uintptr_t)page;
		copy.src = (uintptr_t)src;
		copy.len = (uint64_t)pg;
		if (ioctl(uffd, UFFDIO_COPY, &copy))
			gt_fail("UFFDIO_COPY: %s", strerror(errno));
		pthread_join(ts, NULL);
		if (started & 2)
			pthread_join(tr, NULL);
		if (started & 4)
			pthread_join(tw, NULL);
		if (stuck.ret != 256)
			gt_fail("the faulting write returned %zd", stuck.ret);
	}
	if (fd >= 0)
		close(fd);
	if (uffd >= 0)
		close(uffd);
	gt_end();
}

int main(void)
{
	gt_init("classic_nowait", 100);
	max_buf = gt_max_buffer();
	if (max_buf <= 0) {
		printf("FAIL classic_nowait: max_buffer unreadable: %lld\n", max_buf);
		return 1;
	}
	test_append();
	test_rwf_nowait();
	test_nowait_busy();
	test_fault_unlocked();
	return gt_exit_status();
}
