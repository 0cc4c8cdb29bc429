// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * HELLO logs a line to the kernel log, rate-limited: one HELLO shows up in
 * /dev/kmsg (after at most one rate-limit interval of quiet), a burst of
 * hundreds does not produce hundreds of lines.
 */
#include "guest_test.h"

#include <ctype.h>
#include <sys/ioctl.h>

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* Records since the last call that mention the module; the last in *last. */
static int count_module_records(int kfd, char *last, size_t lastsz)
{
	char rec[8192];
	int n = 0;

	for (;;) {
		ssize_t r = read(kfd, rec, sizeof(rec) - 1);

		if (r < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			break;		/* EAGAIN: no more */
		}
		rec[r] = 0;
		/* "prio,seq,usec,flags;text\n": look at the text only */
		{
			char *text = strchr(rec, ';');

			text = text ? text + 1 : rec;
			if (contains_ci(text, MISCURING_DEVICE_NAME) &&
			    !contains_ci(text, "callbacks suppressed")) {
				n++;
				if (last) {
					size_t l = strcspn(text, "\n");

					if (l >= lastsz)
						l = lastsz - 1;
					memcpy(last, text, l);
					last[l] = 0;
				}
			}
		}
	}
	return n;
}

static int hello(struct io_uring *ring, int fd)
{
	struct miscuring_hello h = {};
	struct gt_cqe cqe = {};
	int ret;

	ret = gt_cmd_sync(ring, fd, MISCURING_CMD_HELLO, &h, sizeof(h), &cqe);
	return ret ? ret : cqe.res;
}

static struct io_uring ring;
static int kfd = -1, fd = -1;

static void test_logs(void)
{
	char last[512] = "";
	int n;

	gt_begin("hello_logs");
	kfd = kmsg_open_at_end();
	if (kfd == -ENOENT) {
		gt_skip("no /dev/kmsg");
		goto out;
	}
	CHECK(kfd >= 0, "/dev/kmsg: %s", gt_errname(kfd));
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);

	CHECK_RES(hello(&ring, fd), 0);
	n = count_module_records(kfd, last, sizeof(last));
	if (n == 0) {
		/* earlier programs may have used up this interval's burst */
		fprintf(stderr, "hello_log: nothing logged, retrying after the "
			"rate-limit interval\n");
		gt_sleep_us(5500000);
		count_module_records(kfd, NULL, 0);
		CHECK_RES(hello(&ring, fd), 0);
		n = count_module_records(kfd, last, sizeof(last));
	}
	CHECK(n >= 1, "HELLO logged no line mentioning \"%s\"",
	      MISCURING_DEVICE_NAME);
	CHECK(n == 1, "one HELLO logged %d lines", n);
	fprintf(stderr, "hello_log: logged \"%s\"\n", last);
out:
	gt_end();
}

static void test_rate_limited(void)
{
	int n;

	gt_begin("hello_rate_limited");
	if (kfd < 0 || fd < 0 || !ring.sq.ring_ptr) {
		gt_skip("no /dev/kmsg or no device");
		goto out;
	}
	count_module_records(kfd, NULL, 0);
	for (int i = 0; i < 300; i++)
		CHECK_RES(hello(&ring, fd), 0);
	n = count_module_records(kfd, NULL, 0);
	fprintf(stderr, "hello_log: 300 HELLOs -> %d lines\n", n);
	CHECK(n <= 50, "300 HELLOs in a burst logged %d lines: not rate-limited",
	      n);
out:
	gt_end();
}

int main(void)
{
	gt_init("hello_log", 40);
	test_logs();
	test_rate_limited();
	if (fd >= 0)
		close(fd);
	if (kfd >= 0)
		close(kfd);
	gt_ring_exit(&ring);
	return gt_exit_status();
}
