// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A write to the shared buffer from user memory that faults, over data
 * already there, must not change what it did not write: the module says
 * "a fault part-way is a short write, as for a regular file", and a
 * regular file keeps the bytes past a short write, and all of them after
 * a write that failed with EFAULT. (rel_fuzz found this; these are its two
 * cases in their smallest form.)
 */
#include "rel_util.h"

#define OFF	4096
#define LEN	64

/* Fill [OFF, OFF+LEN) with 'A' and check it reads back. 0 or -errno. */
static int fill_a(int fd)
{
	unsigned char a[LEN], b[LEN];
	ssize_t n;

	memset(a, 'A', sizeof(a));
	n = pwrite(fd, a, sizeof(a), OFF);
	if (n != LEN)
		return n < 0 ? -errno : -EIO;
	n = pread(fd, b, sizeof(b), OFF);
	if (n != LEN)
		return n < 0 ? -errno : -EIO;
	return memcmp(a, b, LEN) ? -EPROTO : 0;
}

/* 16 bytes accessible, then PROT_NONE: a short write of 16 'B's. */
static void test_short_write(void)
{
	unsigned char *edge = gt_edge_page(), got[LEN];
	int fd = -1, ret;
	ssize_t n;
	long d;

	gt_begin("short_write_keeps_the_rest");
	CHECK(edge, "mmap: %s", strerror(errno));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	ret = fill_a(fd);
	CHECK(ret == 0, "writing the 'A's: %s", gt_errname(ret));
	memset(edge - 16, 'B', 16);
	errno = 0;
	n = pwrite(fd, edge - 16, LEN, OFF);
	CHECK(n > 0 && n <= 16, "pwrite of %d bytes with 16 accessible: %zd (%s), "
	      "expected a short write of 1..16", LEN, n, strerror(errno));
	CHECK_SYS(pread(fd, got, LEN, OFF), LEN);
	CHECK(gt_all_bytes(got, (size_t)n, 'B'), "the %zd bytes written read back "
	      "wrong", n);
	d = gt_first_diff(got + n, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			  (size_t)(LEN - n));
	CHECK(d < 0, "pwrite returned %zd, but byte %ld (offset %ld) past it changed "
	      "from 'A' to 0x%02x", n, n + d, OFF + n + d, got[n + d]);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* Nothing accessible: EFAULT, and not a byte may change. */
static void test_failed_write(void)
{
	unsigned char got[LEN];
	int fd = -1, ret;
	long d;

	gt_begin("failed_write_changes_nothing");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	ret = fill_a(fd);
	CHECK(ret == 0, "writing the 'A's: %s", gt_errname(ret));
	CHECK_ERRNO(pwrite(fd, gt_unmapped_addr(), LEN, OFF), EFAULT);
	CHECK_SYS(pread(fd, got, LEN, OFF), LEN);
	d = gt_first_diff(got, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", LEN);
	CHECK(d < 0, "pwrite failed with EFAULT, but byte %ld (offset %ld) changed "
	      "from 'A' to 0x%02x", d, OFF + d, got[d]);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

int main(void)
{
	gt_init("rel_rw_fault", 30);
	test_short_write();
	test_failed_write();
	return gt_exit_status();
}
