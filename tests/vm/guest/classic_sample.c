// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The user-space flow of the upstream rust_misc_device sample, with the
 * sample's ioctl numbers spelled out here: open read-write, HELLO, read the
 * value, write value + 1, read it back, check that an ioctl the driver does
 * not know fails with ENOTTY, close. Run against /dev/miscuring and, to show
 * that a program written for the sample works unchanged, through a symlink
 * /dev/rust-misc-device -> /dev/miscuring created for the occasion.
 */
#include "guest_test.h"

#include <sys/ioctl.h>
#include <sys/stat.h>

/* the sample's numbers */
#define SAMPLE_DEVICE		"/dev/rust-misc-device"
#define SAMPLE_FAIL		_IO('|', 0)
#define SAMPLE_HELLO		_IO('|', 0x80)
#define SAMPLE_GET_VALUE	_IOR('|', 0x81, int)
#define SAMPLE_SET_VALUE	_IOW('|', 0x82, int)

_Static_assert(SAMPLE_HELLO == MISCURING_IOC_HELLO, "HELLO number");
_Static_assert(SAMPLE_GET_VALUE == MISCURING_IOC_GET_VALUE, "GET number");
_Static_assert(SAMPLE_SET_VALUE == MISCURING_IOC_SET_VALUE, "SET number");

static void sample_flow(const char *name, const char *path)
{
	int fd, ret, value = -1, new_value = -1;

	gt_begin("%s", name);
	fprintf(stderr, "%s: opening %s for reading and writing\n", name, path);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));

	ret = ioctl(fd, SAMPLE_HELLO, NULL);
	CHECK(ret == 0, "ioctl HELLO: %d (%s)", ret, strerror(errno));

	ret = ioctl(fd, SAMPLE_GET_VALUE, &value);
	CHECK(ret == 0, "ioctl GET_VALUE: %d (%s)", ret, strerror(errno));
	CHECK(value == 0, "initial value of a new open file is %d, expected 0",
	      value);

	value++;
	ret = ioctl(fd, SAMPLE_SET_VALUE, &value);
	CHECK(ret == 0, "ioctl SET_VALUE: %d (%s)", ret, strerror(errno));

	ret = ioctl(fd, SAMPLE_GET_VALUE, &new_value);
	CHECK(ret == 0, "ioctl GET_VALUE: %d (%s)", ret, strerror(errno));
	CHECK(new_value == value, "value %d after setting %d", new_value, value);

	/* the sample's "succeeded to fail" step */
	errno = 0;
	ret = ioctl(fd, SAMPLE_FAIL, NULL);
	CHECK(ret == -1 && errno == ENOTTY,
	      "ioctl _IO('|', 0): %d errno %d (%s), expected -1 ENOTTY", ret,
	      errno, strerror(errno));

	ret = close(fd);
	fd = -1;
	CHECK(ret == 0, "close: %s", strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	gt_end();
}

int main(void)
{
	struct stat st;
	int made_link = 0;

	gt_init("classic_sample", 30);

	sample_flow("sample_flow", MISCURING_DEVICE_PATH);

	gt_begin("sample_flow_symlink");
	if (lstat(SAMPLE_DEVICE, &st) == 0) {
		/* the real sample may be loaded; do not touch its node */
		gt_skip("%s already exists", SAMPLE_DEVICE);
		gt_end();
	} else if (symlink(MISCURING_DEVICE_PATH, SAMPLE_DEVICE)) {
		gt_fail("symlink %s: %s", SAMPLE_DEVICE, strerror(errno));
		gt_end();
	} else {
		made_link = 1;
		sample_flow("sample_flow_symlink", SAMPLE_DEVICE);
	}
	if (made_link && unlink(SAMPLE_DEVICE)) {
		gt_begin("sample_symlink_cleanup");
		gt_fail("unlink %s: %s", SAMPLE_DEVICE, strerror(errno));
		gt_end();
	}
	return gt_exit_status();
}
