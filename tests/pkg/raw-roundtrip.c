// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * raw-roundtrip: the packaging test's own command round trip on
 * /dev/miscuring, with liburing and the UAPI header only (no libmiscuring),
 * linked statically so that it runs in the test VM whatever got installed.
 *
 *   raw-roundtrip NAME MODULE_VERSION   PROBE (ABI 1, that module version),
 *                                       SET_VALUE 5, GET_VALUE == 5, and
 *                                       the classic GET ioctl == 5
 *   raw-roundtrip --denied NAME         opening the device must fail with
 *                                       EACCES (a user outside the group)
 *
 * Prints "PASS NAME" or "FAIL NAME: why" (tests/vm protocol) and exits 0
 * iff it passed. The value is per open file, so the round trip happens on
 * one open file descriptor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <endian.h>
#include <sys/ioctl.h>

#include <liburing.h>

#include <miscuring/miscuring.h>

static const char *name = "raw-roundtrip";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 1;
}

/* Submit one uring_cmd with a 16-byte payload; return the CQE's res. */
static int cmd(struct io_uring *ring, int fd, uint32_t op, const void *payload)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	/* liburing 2.3 has no io_uring_prep_uring_cmd() */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, payload, MISCURING_PAYLOAD_SQE64);
	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

int main(int argc, char **argv)
{
	struct miscuring_info info;
	struct miscuring_probe probe;
	struct miscuring_set_value set;
	struct miscuring_get_value get;
	struct io_uring ring;
	uint64_t value = 0;
	int fd, ret, ival = 0;

	if (argc == 3 && strcmp(argv[1], "--denied") == 0) {
		name = argv[2];
		fd = open(MISCURING_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fail("opened %s although not in its group", MISCURING_DEVICE_PATH);
		if (errno != EACCES)
			return fail("open: %s, expected EACCES", strerror(errno));
		printf("PASS %s\n", name);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME MODULE_VERSION | --denied NAME\n", argv[0]);
		return 2;
	}
	name = argv[1];

	fd = open(MISCURING_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s: %s", MISCURING_DEVICE_PATH, strerror(errno));
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0)
		return fail("io_uring_queue_init: %s", strerror(-ret));

	memset(&info, 0, sizeof(info));
	memset(&probe, 0, sizeof(probe));
	probe.addr = htole64((uintptr_t)&info);
	probe.len = htole32(sizeof(info));
	ret = cmd(&ring, fd, MISCURING_CMD_PROBE, &probe);
	if (ret != (int)sizeof(info))
		return fail("PROBE: res %d, expected %zu", ret, sizeof(info));
	if (le32toh(info.abi_version) != MISCURING_ABI_VERSION)
		return fail("PROBE: ABI %u, expected %d", le32toh(info.abi_version),
			    MISCURING_ABI_VERSION);
	info.module_version[MISCURING_VERSION_LEN - 1] = 0;
	if (strcmp(info.module_version, argv[2]) != 0)
		return fail("PROBE: module version '%s', expected '%s'",
			    info.module_version, argv[2]);

	memset(&set, 0, sizeof(set));
	set.value = htole64(5);
	ret = cmd(&ring, fd, MISCURING_CMD_SET_VALUE, &set);
	if (ret != 0)
		return fail("SET_VALUE 5: res %d", ret);

	memset(&get, 0, sizeof(get));
	get.addr = htole64((uintptr_t)&value);
	ret = cmd(&ring, fd, MISCURING_CMD_GET_VALUE, &get);
	if (ret != 0)
		return fail("GET_VALUE: res %d", ret);
	if (value != 5)
		return fail("GET_VALUE: %llu after SET_VALUE 5", (unsigned long long)value);

	if (ioctl(fd, MISCURING_IOC_GET_VALUE, &ival) != 0)
		return fail("ioctl GET_VALUE: %s", strerror(errno));
	if (ival != 5)
		return fail("ioctl GET_VALUE: %d after SET_VALUE 5", ival);

	io_uring_queue_exit(&ring);
	close(fd);
	printf("PASS %s\n", name);
	return 0;
}
