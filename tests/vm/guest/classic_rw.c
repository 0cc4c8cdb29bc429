// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The classic read/write interface: one byte buffer shared by every open of
 * the device for as long as the module is loaded. Writes past the end grow
 * it (the gap reads as zeros), reads past the end return 0, writes are
 * shortened at the max_buffer limit and fail with EFBIG at or beyond it,
 * lseek works with SEEK_END relative to the current length.
 *
 * The buffer persists and cannot be truncated, so nothing here assumes it
 * starts empty: data is checked only where this program wrote it, and the
 * end is always taken from lseek(fd, 0, SEEK_END).
 */
#include "guest_test.h"

#include <pthread.h>

static long long max_buf;

static off_t cur_len(int fd)
{
	return lseek(fd, 0, SEEK_END);
}

static void test_two_fds(void)
{
	unsigned char data[100], data2[10], buf[200];
	int fd1 = -1, fd2 = -1;

	gt_begin("rw_two_fds");
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDONLY);
	CHECK(fd1 >= 0 && fd2 >= 0, "open: %s %s", gt_errname(fd1),
	      gt_errname(fd2));
	gt_fill_random(data, sizeof(data));
	gt_fill_random(data2, sizeof(data2));

	/* positional */
	CHECK_SYS(pwrite(fd1, data, sizeof(data), 0), sizeof(data));
	memset(buf, 0, sizeof(buf));
	CHECK_SYS(pread(fd2, buf, sizeof(data), 0), sizeof(data));
	CHECK(memcmp(buf, data, sizeof(data)) == 0,
	      "read back through a second fd differs at %ld",
	      gt_first_diff(buf, data, sizeof(data)));
	CHECK(cur_len(fd2) >= (off_t)sizeof(data), "length %lld after writing %zu",
	      (long long)cur_len(fd2), sizeof(data));

	/* through the file positions, which are per open file */
	CHECK_SYS(lseek(fd1, 0, SEEK_SET), 0);
	CHECK_SYS(lseek(fd2, 0, SEEK_SET), 0);
	CHECK_SYS(write(fd1, data2, sizeof(data2)), sizeof(data2));
	CHECK_SYS(lseek(fd1, 0, SEEK_CUR), sizeof(data2));
	CHECK_SYS(lseek(fd2, 0, SEEK_CUR), 0);
	CHECK_SYS(read(fd2, buf, sizeof(data2)), sizeof(data2));
	CHECK(memcmp(buf, data2, sizeof(data2)) == 0, "read() differs at %ld",
	      gt_first_diff(buf, data2, sizeof(data2)));
	CHECK_SYS(lseek(fd2, 0, SEEK_CUR), sizeof(data2));
	/* the rest of the first write is untouched */
	CHECK_SYS(read(fd2, buf, sizeof(data) - sizeof(data2)),
		  sizeof(data) - sizeof(data2));
	CHECK(memcmp(buf, data + sizeof(data2), sizeof(data) - sizeof(data2)) == 0,
	      "bytes after an overwrite changed");
	/* pread/pwrite leave the position alone */
	CHECK_SYS(pread(fd2, buf, 5, 0), 5);
	CHECK_SYS(lseek(fd2, 0, SEEK_CUR), sizeof(data));
out:
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	gt_end();
}

/* Overwrites in place keep the length; offsets address single bytes. */
static void test_offsets(void)
{
	const char *base = "ABCDEFGHIJKLMNOP";
	char buf[32];
	off_t len;
	int fd = -1;

	gt_begin("rw_offsets");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	CHECK_SYS(pwrite(fd, base, 16, 0), 16);
	len = cur_len(fd);
	CHECK(len >= 16, "length %lld after writing 16 bytes", (long long)len);
	CHECK_SYS(pwrite(fd, "xy", 2, 3), 2);
	CHECK_SYS(pwrite(fd, "z", 1, 15), 1);
	CHECK_SYS(pwrite(fd, "0", 1, 0), 1);
	CHECK_SYS(cur_len(fd), len);
	memset(buf, 0, sizeof(buf));
	CHECK_SYS(pread(fd, buf, 16, 0), 16);
	CHECK(memcmp(buf, "0BCxyFGHIJKLMNOz", 16) == 0,
	      "buffer holds \"%.16s\", expected \"0BCxyFGHIJKLMNOz\"", buf);
	CHECK_SYS(pread(fd, buf, 3, 4), 3);
	CHECK(memcmp(buf, "yFG", 3) == 0, "pread(3 @ 4) \"%.3s\"", buf);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* The buffer outlives every open file. */
static void test_persist(void)
{
	unsigned char mark[24], buf[24];
	int fd = -1;

	gt_begin("rw_persists_across_opens");
	gt_fill_random(mark, sizeof(mark));
	fd = gt_open_dev(O_WRONLY);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	CHECK_SYS(pwrite(fd, mark, sizeof(mark), 1), sizeof(mark));
	CHECK_SYS(close(fd), 0);
	fd = gt_open_dev(O_RDONLY);
	CHECK(fd >= 0, "reopen: %s", gt_errname(fd));
	CHECK(lseek(fd, 0, SEEK_CUR) == 0, "a new open starts at position %lld",
	      (long long)lseek(fd, 0, SEEK_CUR));
	CHECK_SYS(pread(fd, buf, sizeof(buf), 1), sizeof(buf));
	CHECK(memcmp(buf, mark, sizeof(mark)) == 0,
	      "data written before close differs at %ld after reopen",
	      gt_first_diff(buf, mark, sizeof(mark)));
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* Writing past the end grows the buffer; the gap reads as zeros. */
static void test_grow(void)
{
	enum { GAP = 300, N = 16 };
	unsigned char data[N], buf[GAP + N + 64];
	off_t len;
	int fd = -1;

	gt_begin("rw_grow_zero_gap");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	len = cur_len(fd);
	CHECK(len >= 0, "lseek SEEK_END: %s", strerror(errno));
	if (len + GAP + N > max_buf) {
		gt_skip("buffer already %lld of %lld bytes long", (long long)len,
			max_buf);
		goto out;
	}
	gt_fill_random(data, N);
	CHECK_SYS(pwrite(fd, data, N, len + GAP), N);
	CHECK_SYS(cur_len(fd), len + GAP + N);
	memset(buf, 0xcc, sizeof(buf));
	CHECK_SYS(pread(fd, buf, sizeof(buf), len), GAP + N);
	for (int i = 0; i < GAP; i++)
		CHECK(buf[i] == 0, "gap byte %d (offset %lld) is 0x%02x, not 0",
		      i, (long long)len + i, buf[i]);
	CHECK(memcmp(buf + GAP, data, N) == 0, "data after the gap differs");
	CHECK(gt_all_bytes(buf + GAP + N, sizeof(buf) - GAP - N, 0xcc),
	      "pread wrote past the bytes it returned");

	/* a write() at a position past the end, via lseek */
	len = cur_len(fd);
	if (len + 10 + N <= max_buf) {
		CHECK_SYS(lseek(fd, len + 10, SEEK_SET), len + 10);
		CHECK_SYS(write(fd, data, N), N);
		CHECK_SYS(lseek(fd, 0, SEEK_CUR), len + 10 + N);
		CHECK_SYS(cur_len(fd), len + 10 + N);
		CHECK_SYS(pread(fd, buf, 10, len), 10);
		CHECK(gt_all_bytes(buf, 10, 0), "gap before a write() not zero");
	}
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* Reads at and past the end: EOF; a read across the end is short. */
static void test_eof(void)
{
	unsigned char buf[64];
	off_t len;
	int fd = -1;

	gt_begin("rw_eof");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	len = cur_len(fd);
	if (len < 8) {
		CHECK_SYS(pwrite(fd, "12345678", 8, 0), 8);
		len = cur_len(fd);
	}
	CHECK(len >= 8, "length %lld", (long long)len);
	memset(buf, 0xcc, sizeof(buf));
	CHECK_SYS(pread(fd, buf, sizeof(buf), len), 0);
	CHECK_SYS(pread(fd, buf, sizeof(buf), len + 1000), 0);
	CHECK_SYS(pread(fd, buf, sizeof(buf), 0x7fffffffffffff00LL), 0);
	CHECK(gt_all_bytes(buf, sizeof(buf), 0xcc), "EOF read wrote to the buffer");
	CHECK_SYS(pread(fd, buf, sizeof(buf), len - 5), 5);
	CHECK(gt_all_bytes(buf + 5, sizeof(buf) - 5, 0xcc),
	      "short read wrote past 5 bytes");
	/* read() at the end, and the position does not move */
	CHECK_SYS(lseek(fd, 0, SEEK_END), len);
	CHECK_SYS(read(fd, buf, sizeof(buf)), 0);
	CHECK_SYS(lseek(fd, 0, SEEK_CUR), len);
	/* zero-length transfers */
	CHECK_SYS(read(fd, buf, 0), 0);
	CHECK_SYS(pread(fd, buf, 0, 0), 0);
	CHECK_SYS(pwrite(fd, buf, 0, 0), 0);
	CHECK_SYS(cur_len(fd), len);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

static void test_lseek(void)
{
	unsigned char c;
	off_t len;
	int fd = -1;

	gt_begin("rw_lseek");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	CHECK_SYS(pwrite(fd, "0123456789", 10, 0), 10);
	len = cur_len(fd);
	CHECK(len >= 10, "length %lld", (long long)len);
	CHECK_SYS(lseek(fd, 5, SEEK_SET), 5);
	CHECK_SYS(lseek(fd, 3, SEEK_CUR), 8);
	CHECK_SYS(read(fd, &c, 1), 1);
	CHECK(c == '8', "byte at 8 is '%c'", c);
	CHECK_SYS(lseek(fd, -9, SEEK_CUR), 0);
	CHECK_SYS(lseek(fd, 0, SEEK_CUR), 0);
	CHECK_SYS(lseek(fd, 0, SEEK_END), len);
	CHECK_SYS(lseek(fd, -1, SEEK_END), len - 1);
	CHECK_SYS(lseek(fd, -len, SEEK_END), 0);
	CHECK_SYS(read(fd, &c, 1), 1);
	CHECK(c == '0', "byte at 0 is '%c'", c);
	CHECK_SYS(lseek(fd, 10, SEEK_END), len + 10);
	CHECK_SYS(read(fd, &c, 1), 0);
	/* END follows the length as it grows */
	if (len + 4 <= max_buf) {
		CHECK_SYS(pwrite(fd, "abcd", 4, len), 4);
		CHECK_SYS(lseek(fd, 0, SEEK_END), len + 4);
		CHECK_SYS(lseek(fd, -4, SEEK_END), len);
		CHECK_SYS(read(fd, &c, 1), 1);
		CHECK(c == 'a', "first byte of the appended data is '%c'", c);
	}
	/* a negative position is invalid, and leaves the position alone */
	CHECK_SYS(lseek(fd, 7, SEEK_SET), 7);
	CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERRNO(lseek(fd, -8, SEEK_CUR), EINVAL);
	CHECK_SYS(lseek(fd, 0, SEEK_CUR), 7);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* Transfers bigger than a page, read back in odd-sized pieces. */
static void test_large(void)
{
	size_t n = 65536;
	unsigned char *data = NULL, *buf = NULL;
	int fd1 = -1, fd2 = -1;

	gt_begin("rw_large");
	if ((long long)n > max_buf / 2)
		n = (size_t)(max_buf / 2);
	data = malloc(n);
	buf = malloc(n);
	CHECK(data && buf, "out of memory");
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0 && fd2 >= 0, "open: %s %s", gt_errname(fd1),
	      gt_errname(fd2));
	gt_fill_random(data, n);
	CHECK_SYS(pwrite(fd1, data, n, 0), n);
	CHECK_SYS(lseek(fd2, 0, SEEK_SET), 0);
	for (size_t off = 0; off < n;) {
		size_t chunk = n - off < 1000 ? n - off : 1000;

		CHECK_SYS(read(fd2, buf + off, chunk), chunk);
		off += chunk;
	}
	CHECK(memcmp(buf, data, n) == 0, "%zu bytes read back differ at %ld", n,
	      gt_first_diff(buf, data, n));
out:
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	free(data);
	free(buf);
	gt_end();
}

/* Writes are shortened at max_buffer and fail with EFBIG beyond it. */
static void test_limit(void)
{
	unsigned char data[10], buf[16];
	off_t len;
	int fd = -1;

	gt_begin("rw_limit");
	if (max_buf < 64 || max_buf > (64ll << 20)) {
		gt_skip("max_buffer %lld out of the range this test handles",
			max_buf);
		goto out;
	}
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	len = cur_len(fd);
	CHECK(len >= 0 && len <= max_buf, "length %lld, limit %lld",
	      (long long)len, max_buf);
	gt_fill_random(data, sizeof(data));

	/* crossing the limit: only the part below it is written */
	CHECK_SYS(pwrite(fd, data, 10, max_buf - 4), 4);
	CHECK_SYS(cur_len(fd), max_buf);
	memset(buf, 0xcc, sizeof(buf));
	CHECK_SYS(pread(fd, buf, sizeof(buf), max_buf - 4), 4);
	CHECK(memcmp(buf, data, 4) == 0, "the 4 bytes below the limit differ");
	if (len < max_buf - 4) {
		/* the gap up to there is zeros; check its last bytes */
		off_t from = max_buf - 4 - 64 > len ? max_buf - 4 - 64 : len;
		unsigned char gap[64];
		size_t glen = (size_t)(max_buf - 4 - from);

		CHECK_SYS(pread(fd, gap, glen, from), glen);
		CHECK(gt_all_bytes(gap, glen, 0), "gap before the limit not zero");
	}
	CHECK_SYS(pwrite(fd, data, 10, max_buf - 1), 1);

	/* at and beyond the limit */
	CHECK_ERRNO(pwrite(fd, data, 1, max_buf), EFBIG);
	CHECK_ERRNO(pwrite(fd, data, 10, max_buf), EFBIG);
	CHECK_ERRNO(pwrite(fd, data, 10, max_buf + 100), EFBIG);
	CHECK_ERRNO(pwrite(fd, data, 10, 0x7fffffff00000000LL), EFBIG);
	CHECK_SYS(lseek(fd, max_buf, SEEK_SET), max_buf);
	CHECK_ERRNO(write(fd, data, 10), EFBIG);
	CHECK_SYS(lseek(fd, 0, SEEK_CUR), max_buf);
	CHECK_SYS(cur_len(fd), max_buf);
	/* reading at the limit is EOF */
	CHECK_SYS(pread(fd, buf, sizeof(buf), max_buf), 0);
	/* a write() that ends exactly at the limit is whole */
	CHECK_SYS(lseek(fd, max_buf - 3, SEEK_SET), max_buf - 3);
	CHECK_SYS(write(fd, data, 3), 3);
	CHECK_SYS(lseek(fd, 0, SEEK_CUR), max_buf);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

static void test_errors(void)
{
	unsigned char buf[16] = {};
	void *unmapped = gt_unmapped_addr();
	void *prot_none = gt_prot_none_addr();
	unsigned char *ro = gt_readonly_page();
	int rd = -1, wr = -1, rw = -1;

	gt_begin("rw_errors");
	CHECK(prot_none && ro, "mmap failed");
	rd = gt_open_dev(O_RDONLY);
	wr = gt_open_dev(O_WRONLY);
	rw = gt_open_dev(O_RDWR);
	CHECK(rd >= 0 && wr >= 0 && rw >= 0, "open: %s %s %s", gt_errname(rd),
	      gt_errname(wr), gt_errname(rw));
	CHECK_ERRNO(pwrite(rd, buf, 1, 0), EBADF);
	CHECK_ERRNO(pread(wr, buf, 1, 0), EBADF);

	CHECK_SYS(pwrite(rw, "abcdefgh", 8, 0), 8);
	CHECK_ERRNO(pwrite(rw, unmapped, 8, 0), EFAULT);
	CHECK_ERRNO(pwrite(rw, prot_none, 8, 0), EFAULT);
	CHECK_ERRNO(pwrite(rw, GT_KERNEL_ADDR, 8, 0), EFAULT);
	CHECK_ERRNO(pread(rw, unmapped, 8, 0), EFAULT);
	CHECK_ERRNO(pread(rw, prot_none, 8, 0), EFAULT);
	CHECK_ERRNO(pread(rw, GT_KERNEL_ADDR, 8, 0), EFAULT);
	CHECK_ERRNO(pread(rw, ro, 8, 0), EFAULT);
	CHECK(gt_all_bytes(ro, 4096, 0xa5), "read into a read-only page wrote it");
	/* writing from a read-only page is fine */
	CHECK_SYS(pwrite(rw, ro, 8, 0), 8);
	CHECK_SYS(pread(rw, buf, 8, 0), 8);
	CHECK(gt_all_bytes(buf, 8, 0xa5), "data written from a read-only page");
out:
	if (rd >= 0)
		close(rd);
	if (wr >= 0)
		close(wr);
	if (rw >= 0)
		close(rw);
	gt_end();
}

/* Threads, each with its own open file, write and read back own regions. */
#define RW_THREADS	4
#define RW_REGION	256
#define RW_ITERS	150

struct rw_worker {
	pthread_t thread;
	int id;
	char err[200];
};

static void *rw_worker_fn(void *arg)
{
	struct rw_worker *w = arg;
	unsigned char pat[RW_REGION], got[RW_REGION];
	off_t off = (off_t)w->id * RW_REGION;
	int fd = gt_open_dev(O_RDWR);

	if (fd < 0) {
		snprintf(w->err, sizeof(w->err), "open: %s", gt_errname(fd));
		return NULL;
	}
	for (int i = 0; i < RW_ITERS; i++) {
		for (int j = 0; j < RW_REGION; j++)
			pat[j] = (unsigned char)(w->id * 37 + i * 11 + j);
		if (pwrite(fd, pat, RW_REGION, off) != RW_REGION) {
			snprintf(w->err, sizeof(w->err), "pwrite %d: %s", i,
				 strerror(errno));
			break;
		}
		if (pread(fd, got, RW_REGION, off) != RW_REGION) {
			snprintf(w->err, sizeof(w->err), "pread %d: %s", i,
				 strerror(errno));
			break;
		}
		if (memcmp(pat, got, RW_REGION)) {
			snprintf(w->err, sizeof(w->err),
				 "iteration %d: own region differs at %ld", i,
				 gt_first_diff(pat, got, RW_REGION));
			break;
		}
		/* and grow the buffer concurrently, if there is room */
		if (i % 10 == 0) {
			off_t end = lseek(fd, 0, SEEK_END);

			if (end >= 0 && end + 64 <= max_buf &&
			    pwrite(fd, pat, 8, end + 8 * w->id) < 0 &&
			    errno != EFBIG) {
				snprintf(w->err, sizeof(w->err),
					 "growing write: %s", strerror(errno));
				break;
			}
		}
	}
	close(fd);
	return NULL;
}

static void test_threads(void)
{
	struct rw_worker w[RW_THREADS] = {};
	int started = 0;

	gt_begin("rw_threads");
	if (max_buf < RW_THREADS * RW_REGION) {
		gt_skip("max_buffer %lld too small", max_buf);
		goto out;
	}
	for (started = 0; started < RW_THREADS; started++) {
		w[started].id = started;
		CHECK(pthread_create(&w[started].thread, NULL, rw_worker_fn,
				     &w[started]) == 0, "pthread_create");
	}
out:
	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < started; i++)
		if (w[i].err[0])
			gt_fail("thread %d: %s", i, w[i].err);
	gt_end();
}

int main(void)
{
	gt_init("classic_rw", 50);
	gt_srand(gt_now_us());

	gt_begin("rw_max_buffer_param");
	max_buf = gt_max_buffer();
	if (max_buf <= 0) {
		gt_fail("/sys/module/miscuring/parameters/max_buffer: %s",
			gt_errname(max_buf));
		gt_end();
		return gt_exit_status();
	}
	fprintf(stderr, "classic_rw: max_buffer %lld\n", max_buf);
	gt_end();

	test_two_fds();
	test_offsets();
	test_persist();
	test_grow();
	test_eof();
	test_lseek();
	test_large();
	test_errors();
	test_threads();
	test_limit();		/* last: it fills the buffer up to the limit */
	return gt_exit_status();
}
