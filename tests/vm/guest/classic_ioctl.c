// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The classic ioctls: HELLO, GET/SET of the open file's value as an int,
 * their agreement with the uring GET_VALUE/SET_VALUE view (truncation,
 * sign extension), per-open independence, EBADF on a read-only open,
 * EFAULT on bad pointers and ENOTTY for any other ioctl.
 */
#include "guest_test.h"

#include <limits.h>
#include <sys/ioctl.h>

static void test_hello(void)
{
	int fd = -1, v = 0;

	gt_begin("ioctl_hello");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	CHECK_SYS(ioctl(fd, MISCURING_IOC_HELLO, NULL), 0);
	CHECK_SYS(ioctl(fd, MISCURING_IOC_HELLO, 0x1234UL), 0);
	/* HELLO does not touch the value */
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 0, "value %d after HELLO", v);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

static void test_roundtrip(void)
{
	const int vals[] = { 1, -1, INT_MAX, INT_MIN, 0, 0x5a5a5a5a,
			     (int)(uint32_t)gt_rand64() };
	int fd = -1, v;

	gt_begin("ioctl_roundtrip");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	v = -7;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 0, "initial value %d, expected 0", v);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int set = vals[i];

		CHECK_SYS(ioctl(fd, MISCURING_IOC_SET_VALUE, &set), 0);
		CHECK(set == vals[i], "SET modified its argument: %d", set);
		v = ~vals[i];
		CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
		CHECK(v == vals[i], "GET %d after SET %d", v, vals[i]);
	}
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

/* ioctl and uring views of one value, on every ring kind. */
static void test_interop(enum gt_ring_kind k)
{
	static const struct {
		int ioctl_val;
		uint64_t u64;
	} sx[] = {		/* ioctl SET -> uring GET: sign extension */
		{ -5, 0xfffffffffffffffbull },
		{ INT_MIN, 0xffffffff80000000ull },
		{ INT_MAX, 0x7fffffffull },
		{ 1, 1 },
		{ 0, 0 },
	};
	static const struct {
		uint64_t u64;
		int ioctl_val;
	} tr[] = {		/* uring SET -> ioctl GET: truncation */
		{ 0x123456789ull, 0x23456789 },
		{ 0x80000000ull, INT_MIN },
		{ 0xffffffff00000001ull, 1 },
		{ 0xfffffffffffffffeull, -2 },
		{ 0x7fffffff00000000ull, 0 },
	};
	struct io_uring ring = {};
	uint64_t v64;
	int fd = -1, v;

	gt_begin("ioctl_uring_interop_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 4, k, fd, O_RDWR);

	for (size_t i = 0; i < sizeof(sx) / sizeof(sx[0]); i++) {
		v = sx[i].ioctl_val;
		CHECK_SYS(ioctl(fd, MISCURING_IOC_SET_VALUE, &v), 0);
		v64 = 0x1111;
		CHECK_RES(gt_get_value(&ring, fd, &v64), 0);
		CHECK(v64 == sx[i].u64, "ioctl SET %d, uring GET 0x%" PRIx64
		      ", expected 0x%" PRIx64, sx[i].ioctl_val, v64, sx[i].u64);
	}
	for (size_t i = 0; i < sizeof(tr) / sizeof(tr[0]); i++) {
		CHECK_RES(gt_set_value(&ring, fd, tr[i].u64), 0);
		v = 0x1111;
		CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
		CHECK(v == tr[i].ioctl_val, "uring SET 0x%" PRIx64 ", ioctl GET "
		      "%d, expected %d", tr[i].u64, v, tr[i].ioctl_val);
		/* reading through the ioctl does not change the 64-bit value */
		CHECK_RES(gt_get_value(&ring, fd, &v64), 0);
		CHECK(v64 == tr[i].u64, "value 0x%" PRIx64 " after ioctl GET, "
		      "expected 0x%" PRIx64, v64, tr[i].u64);
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

static void test_independent(void)
{
	int fd1 = -1, fd2 = -1, v;

	gt_begin("ioctl_independent_opens");
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0 && fd2 >= 0, "open: %s %s", gt_errname(fd1),
	      gt_errname(fd2));
	v = 111;
	CHECK_SYS(ioctl(fd1, MISCURING_IOC_SET_VALUE, &v), 0);
	v = -1;
	CHECK_SYS(ioctl(fd2, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 0, "second open sees %d after SET 111 on the first", v);
	v = 222;
	CHECK_SYS(ioctl(fd2, MISCURING_IOC_SET_VALUE, &v), 0);
	CHECK_SYS(ioctl(fd1, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 111, "first open's value %d, expected 111", v);
	CHECK_SYS(ioctl(fd2, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 222, "second open's value %d, expected 222", v);
out:
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);
	gt_end();
}

static void test_rdonly(void)
{
	int fd = -1, v;

	gt_begin("ioctl_set_rdonly_ebadf");
	fd = gt_open_dev(O_RDONLY);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	v = 99;
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, &v), EBADF);
	v = -1;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 0, "value %d after a rejected SET, expected 0", v);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

static void test_efault(void)
{
	unsigned char *ro = gt_readonly_page();
	unsigned char *edge = gt_edge_page();
	void *unmapped = gt_unmapped_addr();
	void *prot_none = gt_prot_none_addr();
	int fd = -1, v;

	gt_begin("ioctl_efault");
	CHECK(ro && edge && prot_none, "mmap failed");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	v = 31337;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_SET_VALUE, &v), 0);

	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, NULL), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, unmapped), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, prot_none), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, GT_KERNEL_ADDR), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, ro), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_GET_VALUE, edge - 2), EFAULT);
	CHECK(gt_all_bytes(ro, 4096, 0xa5), "read-only page modified");

	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, NULL), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, unmapped), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, prot_none), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, GT_KERNEL_ADDR), EFAULT);
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, edge - 2), EFAULT);
	v = 0;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 31337, "value %d after faulting SETs, expected 31337", v);

	/* reading the argument from a read-only page is fine */
	CHECK_SYS(ioctl(fd, MISCURING_IOC_SET_VALUE, ro), 0);
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == (int)0xa5a5a5a5, "value 0x%x, expected 0xa5a5a5a5", v);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

static void test_unknown(void)
{
	static const struct {
		unsigned long cmd;
		const char *name;
	} bad[] = {
		{ _IO('|', 0), "_IO('|', 0)" },
		{ _IO('|', 0x7f), "_IO('|', 0x7f)" },
		{ _IO('|', 0x83), "_IO('|', 0x83)" },
		{ _IO('|', 0xff), "_IO('|', 0xff)" },
		{ _IOR('|', 0x80, int), "_IOR('|', 0x80, int)" },
		{ _IOW('|', 0x81, int), "_IOW('|', 0x81, int)" },
		{ _IOR('|', 0x82, int), "_IOR('|', 0x82, int)" },
		{ _IOWR('|', 0x81, int), "_IOWR('|', 0x81, int)" },
		{ _IOR('|', 0x81, long), "_IOR('|', 0x81, long)" },
		{ _IOW('|', 0x82, char), "_IOW('|', 0x82, char)" },
		{ _IO('x', 0x80), "_IO('x', 0x80)" },
		{ _IO('M', 0x55), "_IO('M', 0x55)" },
	};
	int fd = -1, v = 0;

	gt_begin("ioctl_unknown_enotty");
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int arg = 0x77;

		errno = 0;
		int ret = ioctl(fd, bad[i].cmd, &arg);

		CHECK(ret == -1 && errno == ENOTTY,
		      "ioctl %s (0x%lx): %d errno %d (%s), expected -1 ENOTTY",
		      bad[i].name, bad[i].cmd, ret, errno, strerror(errno));
		CHECK(arg == 0x77, "ioctl %s wrote its argument", bad[i].name);
	}
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &v), 0);
	CHECK(v == 0, "value %d after unknown ioctls", v);
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

int main(void)
{
	gt_init("classic_ioctl", 30);
	gt_srand(gt_now_us());

	test_hello();
	test_roundtrip();
	for (int k = 0; k < GT_RING_KINDS; k++)
		test_interop(k);
	test_independent();
	test_rdonly();
	test_efault();
	test_unknown();
	return gt_exit_status();
}
