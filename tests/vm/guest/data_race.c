// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * READ and WRITE under pressure: ASYNC WRITEs in flight when their
 * buffers are unregistered and their ring closed, or when their submitter
 * is SIGKILLed (every command completes, the counters balance, the
 * kernel log stays clean); uring_cmd and classic writers next to uring_cmd
 * and classic readers, every block read checked whole (a transfer of up
 * to 64 KiB is atomic).
 */
#include "data_util.h"

#define PG	4096u
#define CHUNK	(64u << 10)
#define AREA	(256u << 10)	/* the part of the buffer the racers use */

/* The module's in_flight back to 0 within 10 s: 0, or the last count. */
static long long settle(void)
{
	long long n = -1;

	for (int i = 0; i < 1000; i++) {
		n = gt_read_sysfs_ll("/sys/class/misc/miscuring/stats/in_flight");
		if (!n)
			break;
		gt_sleep_us(10000);
	}
	return n;
}

static void test_unregister_and_close(int async)
{
	struct io_uring ring = {};
	size_t len = AREA;
	uint8_t *mem = dt_alloc(len), *chk = malloc(len);
	struct iovec reg = { mem, len };
	int fd = -1, ret, n = 0;
	long long left;

	gt_begin("unregister_and_close_in_flight%s", async ? "_async" : "");
	CHECK(mem && chk, "out of memory");
	CHECK_RING_AND_OPEN(&ring, 256, GT_RING_PLAIN, fd, O_RDWR);
	ret = io_uring_register_buffers(&ring, &reg, 1);
	CHECK(ret == 0, "register: %s", gt_errname(ret));
	memset(mem, 'Q', len);
	for (int i = 0; i < 200; i++) {
		uint32_t off = (uint32_t)(i % (AREA / CHUNK)) * CHUNK;

		if (!dt_prep(&ring, fd, 1, DT_FIXED, off, mem + off, CHUNK,
			     async ? MISCURING_RW_ASYNC : 0, 0, (uint64_t)i))
			break;
		n++;
	}
	ret = io_uring_submit(&ring);
	CHECK(ret == n, "submit: %s of %d", gt_errname(ret), n);
	/*
	 * Gone from under them: the registration, the mapping, the ring. (The
	 * pages stay pinned for the commands: writing into them before the
	 * munmap would change what an ASYNC WRITE not yet run copies.)
	 */
	ret = io_uring_unregister_buffers(&ring);
	CHECK(ret == 0, "unregister: %s", gt_errname(ret));
	munmap(mem, len);
	mem = NULL;
	gt_ring_exit(&ring);
	left = settle();
	CHECK(left == 0, "in_flight %lld after 10 s", left);
	CHECK_SYS(pread(fd, chk, AREA, 0), (long)AREA);
	for (size_t i = 0; i < AREA; i++)
		CHECK(chk[i] == 'Q', "byte %zu is 0x%02x, expected 'Q'", i, chk[i]);
out:
	if (mem)
		munmap(mem, len);
	free(chk);
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/*
 * A child floods ASYNC WRITEs and READs until SIGKILL, a ring's worth in
 * flight at a time (unbounded, the queue would only measure how long the
 * worker takes to drain it).
 */
static void flood(void)
{
	struct io_uring ring;
	uint8_t *mem = dt_alloc(CHUNK);
	struct iovec reg = { mem, CHUNK };
	int fd = gt_open_dev(O_RDWR);

	if (!mem || fd < 0 || io_uring_queue_init(256, &ring, 0) ||
	    io_uring_register_buffers(&ring, &reg, 1))
		_exit(2);
	memset(mem, 'K', CHUNK);
	for (uint64_t i = 0;; i++) {
		struct io_uring_cqe *cqe;

		if (!dt_prep(&ring, fd, i & 1, DT_FIXED, (i % 4) * CHUNK, mem,
			     CHUNK, MISCURING_RW_ASYNC, 0, i)) {
			io_uring_submit_and_wait(&ring, 256);
			while (io_uring_peek_cqe(&ring, &cqe) == 0)
				io_uring_cqe_seen(&ring, cqe);
		}
	}
}

static void test_sigkill(void)
{
	int status = 0, ret;
	long long left;
	pid_t pid;

	gt_begin("sigkill_in_flight");
	for (int round = 0; round < 5; round++) {
		pid = fork();
		CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (!pid)
			flood();
		gt_sleep_us(50000 + 50000 * (uint64_t)round);
		kill(pid, SIGKILL);
		ret = gt_wait_child(pid, &status, 20000000);
		CHECK(ret == 0, "child did not exit after SIGKILL: %s", gt_errname(ret));
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "child ended with status 0x%x", status);
	}
	left = settle();
	CHECK(left == 0, "in_flight %lld after 10 s", left);
out:
	gt_end();
}

/* A writer: blocks of 4 KiB, each one byte value throughout. */
static void racer(int id, uint64_t until_us)
{
	struct io_uring ring;
	uint8_t *mem = dt_alloc(CHUNK), *rd = dt_alloc(CHUNK);
	struct iovec reg[2] = { { mem, CHUNK }, { rd, CHUNK } };
	int fd = gt_open_dev(O_RDWR);
	uint64_t n = 0;

	gt_srand((uint64_t)id * 7919 + 1);
	if (!mem || !rd || fd < 0 || io_uring_queue_init(8, &ring, 0) ||
	    io_uring_register_buffers(&ring, reg, 2))
		_exit(2);
	while (gt_now_us() < until_us) {
		uint32_t blocks = 1 + (uint32_t)(gt_rand64() % (CHUNK / PG));
		uint32_t off = (uint32_t)(gt_rand64() % (AREA / PG - blocks + 1)) * PG;
		uint32_t len = blocks * PG;
		int res;

		n++;
		switch (id) {
		case 0:	/* uring_cmd WRITE, user buffer */
		case 1:	/* uring_cmd WRITE, registered, ASYNC */
		case 2:	/* pwrite */
			memset(mem, (id << 6) | (int)(n & 63), len);
			if (id == 2)
				res = (int)pwrite(fd, mem, len, off);
			else
				res = dt_rw(&ring, fd, 1, id ? DT_FIXED : DT_PLAIN, off,
					    mem, len, id ? MISCURING_RW_ASYNC : 0, 0);
			if (res != (int)len) {
				printf("FAIL concurrent: writer %d: res %d of %u\n",
				       id, res, len);
				_exit(1);
			}
			break;
		default: /* readers: uring_cmd READ (both forms), pread */
			res = id == 5 ? (int)pread(fd, rd, len, off)
				      : dt_rw(&ring, fd, 0, id == 3 ? DT_PLAIN : DT_FIXED,
					      off, rd, len, 0, 1);
			if (res != (int)len) {
				printf("FAIL concurrent: reader %d: res %d of %u\n",
				       id, res, len);
				_exit(1);
			}
			for (uint32_t b = 0; b < blocks; b++)
				for (uint32_t i = 1; i < PG; i++)
					if (rd[b * PG + i] != rd[b * PG]) {
						printf("FAIL concurrent: reader %d: torn block at "
						       "%u: byte %u is 0x%02x, byte 0 0x%02x\n",
						       id, off + b * PG, i, rd[b * PG + i],
						       rd[b * PG]);
						_exit(1);
					}
			break;
		}
	}
	fprintf(stderr, "racer %d: %" PRIu64 " transfers\n", id, n);
	_exit(0);
}

static void test_concurrent(void)
{
	uint8_t *blk = malloc(AREA);
	uint64_t until = gt_now_us() + 4000000;
	pid_t pids[6];
	int fd = -1, status, ret, failed = 0;

	gt_begin("concurrent");
	CHECK(blk, "malloc");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open");
	memset(blk, 0, AREA);
	CHECK_SYS(pwrite(fd, blk, AREA, 0), (long)AREA);
	fflush(stdout);
	for (int i = 0; i < 6; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			racer(i, until);
		CHECK(pids[i] > 0, "fork");
	}
	for (int i = 0; i < 6; i++) {
		ret = gt_wait_child(pids[i], &status, 60000000);
		if (ret) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &status, 0);
			failed = 1;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			failed = 1;
		}
	}
	CHECK(!failed, "a racer failed (see above)");
out:
	if (fd >= 0)
		close(fd);
	free(blk);
	gt_end();
}

int main(void)
{
	gt_init("data_race", 280);
	test_unregister_and_close(0);
	test_unregister_and_close(1);
	test_sigkill();
	test_concurrent();
	return gt_exit_status();
}
