/* SPDX-License-Identifier: MIT */
/*
 * libmiscuring against the real module, in the test VM: every public
 * function that talks to the device, on 64/128-byte SQE and 16/32-byte CQE
 * rings. Built statically with the library's sources by
 * tests/vm/lib/build-guest-lib (make check-vm-guest) into
 * build/vm/extra/tests/t_lib_api, which the bench copies into the guest
 * and runs like its own t_* programs.
 *
 * Output follows tests/vm/README.md: PASS/FAIL/SKIP <name>[: message].
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmiscuring.h>

#include "lib_result.h"

/* ret must be want; the message names both as errnos. */
static void expect(const char *name, int ret, int want)
{
	result(ret == want, name, "%d (%s), want %d (%s)", ret,
	       miscuring_strerror(ret), want, miscuring_strerror(want));
}

static struct miscuring_ring *open_ring(unsigned flags)
{
	struct miscuring_ring *ring = NULL;
	int ret = miscuring_open(NULL, 64, flags, &ring);

	if (ret < 0) {
		printf("FAIL lib_open: flags %#x: %s\n", flags,
		       miscuring_strerror(ret));
		exit(1);
	}
	return ring;
}

static void test_probe(struct miscuring_devinfo *info)
{
	struct miscuring_ring *ring = open_ring(MISCURING_SETUP_CQE32);
	uint32_t nr;
	int ret, all = 1;

	ret = miscuring_probe(ring, info);
	expect("lib_probe", ret, 0);
	result(info->abi_version == MISCURING_ABI_VERSION &&
	       info->decoded == sizeof(struct miscuring_info) &&
	       info->payload_sqe64 == 16 && info->payload_sqe128 == 80 &&
	       info->module_version[0], "lib_probe_fields",
	       "abi %u decoded %u sizes %u/%u version '%s'", info->abi_version,
	       info->decoded, info->payload_sqe64, info->payload_sqe128,
	       info->module_version);
	/* 1..10 everywhere; WATCH (13) and WATCH_STOP (14) where they work. */
	for (nr = 1; nr <= 10; nr++)
		all &= miscuring_has_op(info, MISCURING_CMD(nr));
	for (nr = 13; nr <= 14; nr++)
		all &= miscuring_has_op(info, MISCURING_CMD(nr)) ==
		       !!(info->features & MISCURING_FEAT_WATCH);
	result(all, "lib_probe_ops", "ops %#llx, features %#llx",
	       (unsigned long long)info->ops,
	       (unsigned long long)info->features);
	miscuring_close(ring);
}

static void test_sync(unsigned flags, const char *tag)
{
	struct miscuring_ring *ring = open_ring(flags);
	char name[64];
	uint64_t v = 0;

#define NAME(s) (snprintf(name, sizeof(name), "lib_%s_%s", s, tag), name)
	expect(NAME("nop"), miscuring_nop(ring), 0);
	expect(NAME("hello"), miscuring_hello(ring), 0);
	expect(NAME("set_value"), miscuring_set_value(ring, 0x1122334455667788ULL), 0);
	expect(NAME("get_value"), miscuring_get_value(ring, &v), 0);
	result(v == 0x1122334455667788ULL, NAME("value_roundtrip"),
	       "got %#llx", (unsigned long long)v);
	expect(NAME("delay"), miscuring_delay(ring, 1000, -42), -42);
	expect(NAME("echo_header"), miscuring_echo(ring, NULL, 0, NULL), 0);
	expect(NAME("raw_nop"), miscuring_cmd(ring, miscuring_device_fd(ring),
					      MISCURING_CMD_NOP, NULL, 0, NULL), 0);
	expect(NAME("raw_unknown_op"),
	       miscuring_cmd(ring, miscuring_device_fd(ring),
			     MISCURING_CMD(MISCURING_CMD_NR_MAX + 1), NULL, 0,
			     NULL), -EOPNOTSUPP);
	expect(NAME("raw_reserved"),
	       miscuring_cmd(ring, miscuring_device_fd(ring), MISCURING_CMD_NOP,
			     "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16, NULL),
	       -EINVAL);
#undef NAME
	miscuring_close(ring);
}

static void test_echo128(void)
{
	struct miscuring_ring *ring = open_ring(MISCURING_SETUP_SQE128);
	uint8_t data[64], out[64];
	int i;

	for (i = 0; i < 64; i++)
		data[i] = (uint8_t)(i * 3 + 1);
	memset(out, 0, sizeof(out));
	expect("lib_echo_sqe128", miscuring_echo(ring, data, 64, out), 64);
	result(!memcmp(data, out, 64), "lib_echo_data", "data differs");
	miscuring_close(ring);
}

static void test_cqe32(const struct miscuring_devinfo *info)
{
	struct miscuring_ring *ring = open_ring(MISCURING_SETUP_CQE32 |
						MISCURING_SETUP_SQE128);
	struct miscuring_info raw;
	struct miscuring_cqe cqe;

	miscuring_set_value(ring, 77);
	expect("lib_prep_get_value_cqe32", miscuring_prep_get_value(ring, NULL, 1), 0);
	expect("lib_wait_cqe32", miscuring_wait(ring, &cqe), 0);
	result(cqe.user_data == 1 && cqe.res == 0 && cqe.res2 == 77,
	       "lib_res2_value", "user_data %llu res %d res2 %llu",
	       (unsigned long long)cqe.user_data, cqe.res,
	       (unsigned long long)cqe.res2);

	expect("lib_prep_probe", miscuring_prep_probe(ring, &raw, sizeof(raw), 2), 0);
	expect("lib_wait_probe", miscuring_wait(ring, &cqe), 0);
	result(cqe.res == (int)sizeof(raw) && cqe.res2 == info->features,
	       "lib_res2_features", "res %d res2 %#llx", cqe.res,
	       (unsigned long long)cqe.res2);
	miscuring_close(ring);
}

static int count_ok(const struct miscuring_cqe *cqe, void *arg)
{
	unsigned *n = arg;

	if (cqe->res == 0 && cqe->user_data < 1000)
		(*n)++;
	return 0;
}

/* 32 NOPs in one submit, reaped by callback; then by wait_batch. */
static void test_batch(void)
{
	struct miscuring_ring *ring = open_ring(0);
	struct miscuring_cqe cqes[32];
	unsigned ok = 0, i;
	int ret, n;

	for (i = 0; i < 32; i++)
		miscuring_prep_nop(ring, i);
	expect("lib_batch_submit", miscuring_submit(ring), 32);
	ret = miscuring_reap(ring, 32, NULL, count_ok, &ok);
	result(ret == 32 && ok == 32, "lib_batch_reap", "reaped %d, %u ok", ret, ok);

	for (i = 0; i < 16; i++)
		miscuring_prep_delay(ring, 1000 + i * 100, (int)i, i);
	n = miscuring_wait_batch(ring, cqes, 32, 16, NULL);
	ok = 0;
	for (i = 0; i < (unsigned)n && i < 32; i++)
		ok += cqes[i].res == (int)cqes[i].user_data;
	result(n == 16 && ok == 16, "lib_batch_delay", "%d completions, %u ok", n, ok);
	expect("lib_inflight_zero", (int)miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

/* DELAY outlives a short wait; peek sees nothing, then it completes. */
static void test_timeouts(void)
{
	struct miscuring_ring *ring = open_ring(0);
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct miscuring_cqe cqe;

	expect("lib_prep_delay", miscuring_prep_delay(ring, 300000, 5, 9), 0);
	expect("lib_wait_timeout", miscuring_wait_timeout(ring, &cqe, &ts), -ETIME);
	expect("lib_peek_empty", miscuring_peek(ring, &cqe), -EAGAIN);
	expect("lib_wait_delay", miscuring_wait(ring, &cqe), 0);
	result(cqe.user_data == 9 && cqe.res == 5, "lib_delay_result",
	       "user_data %llu res %d", (unsigned long long)cqe.user_data, cqe.res);
	miscuring_close(ring);
}

/*
 * io_uring's cancel by user_data does not reach uring_cmd commands (they
 * are cancelled only when their ring goes away): the DELAY is not found
 * and completes normally. Should a kernel learn to cancel them, the
 * completion must say so.
 */
static void test_cancel(void)
{
	struct miscuring_ring *ring = open_ring(0);
	struct timespec ts = { 2, 0 };
	struct miscuring_cqe cqes[2];
	int ret, cancel_res = 1, delay_res = 1, i;

	miscuring_prep_delay(ring, 200000, 7, 0xcafe);
	miscuring_submit(ring);
	expect("lib_cancel_unknown", miscuring_cancel(ring, 0xbeef, &ts), -ENOENT);
	ret = miscuring_cancel(ring, 0xcafe, &ts);
	result(ret == 0 || ret == -ENOENT, "lib_cancel", "%d (%s)", ret,
	       miscuring_strerror(ret));
	expect("lib_cancel_wait", miscuring_wait(ring, &cqes[0]), 0);
	result(cqes[0].user_data == 0xcafe &&
	       cqes[0].res == (ret == 0 ? -ECANCELED : 7), "lib_cancel_result",
	       "cancel %d, then user_data %#llx res %d", ret,
	       (unsigned long long)cqes[0].user_data, cqes[0].res);

	miscuring_prep_delay(ring, 200000, 7, 1);
	miscuring_prep_cancel(ring, 1, 2);
	ret = miscuring_wait_batch(ring, cqes, 2, 2, NULL);
	expect("lib_prep_cancel", ret, 2);
	for (i = 0; i < ret && i < 2; i++) {
		if (cqes[i].user_data == 1)
			delay_res = cqes[i].res;
		else if (cqes[i].user_data == 2)
			cancel_res = cqes[i].res;
	}
	result((cancel_res == -ENOENT && delay_res == 7) ||
	       (cancel_res == 0 && delay_res == -ECANCELED),
	       "lib_prep_cancel_result", "cancel res %d, delay res %d",
	       cancel_res, delay_res);
	miscuring_close(ring);
}

static void test_wait_value(void)
{
	struct miscuring_ring *ring = open_ring(MISCURING_SETUP_CQE32);
	uint64_t now = 0;

	miscuring_set_value(ring, 5);
	expect("lib_wait_value_timeout", miscuring_wait_value(ring, 5, 1000, &now),
	       -ETIMEDOUT);
	expect("lib_wait_value_changed", miscuring_wait_value(ring, 4, 0, &now), 0);
	result(now == 5, "lib_wait_value_now", "now %llu", (unsigned long long)now);
	miscuring_close(ring);
}

static void test_stats(void)
{
	struct miscuring_ring *ring = open_ring(0);
	struct miscuring_devstats st;

	expect("lib_reset_stats", miscuring_reset_stats(ring), 0);
	miscuring_nop(ring);
	expect("lib_stats", miscuring_stats(ring, &st), 0);
	result(st.decoded == sizeof(struct miscuring_stats) && st.issued >= 1,
	       "lib_stats_fields", "decoded %u issued %llu", st.decoded,
	       (unsigned long long)st.issued);
	miscuring_close(ring);
}

static void test_read_only(void)
{
	struct miscuring_ring *ring = open_ring(MISCURING_SETUP_RDONLY);
	uint64_t v;

	expect("lib_rdonly_set_value", miscuring_set_value(ring, 1), -EBADF);
	expect("lib_rdonly_get_value", miscuring_get_value(ring, &v), 0);
	miscuring_close(ring);
}

/* A line of a file as a number, or -1. */
static long read_number(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

#define MODULE_REFCNT	"/sys/module/miscuring/refcnt"

/*
 * MISCURING_SETUP_FIXED_FILE registers the device fd (io_uring fdinfo:
 * "UserFiles: 1"; without the flag, 0), and closing ring and fd still
 * releases the device at once, as without registration: the module's
 * count is back where it was when miscuring_close() and close() return,
 * so `rmmod` right after works.
 */
static void test_registered_file(void)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct miscuring_ring *ring;
	long before, during, after;
	char fdinfo[64];
	uint64_t v;
	int fd, i;

	/* Rings of earlier tests that had work in flight go in the background. */
	for (i = 0; i < 500 && read_number(MODULE_REFCNT, "") > 0; i++)
		nanosleep(&tick, NULL);
	before = read_number(MODULE_REFCNT, "");

	ring = open_ring(0);
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d",
		 miscuring_ring_fd(ring));
	during = read_number(fdinfo, "UserFiles:");
	result(during == 0, "lib_unregistered_file", "UserFiles %ld", during);
	miscuring_close(ring);

	ring = open_ring(MISCURING_SETUP_FIXED_FILE);
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d",
		 miscuring_ring_fd(ring));
	during = read_number(fdinfo, "UserFiles:");
	result(during == 1, "lib_registered_file", "UserFiles %ld", during);
	expect("lib_registered_nop", miscuring_nop(ring), 0);
	expect("lib_registered_delay", miscuring_delay(ring, 0, 3), 3);
	during = read_number(MODULE_REFCNT, "");
	miscuring_close(ring);
	after = read_number(MODULE_REFCNT, "");
	result(before >= 0 && during == before + 1 && after == before,
	       "lib_registered_release", "module refcnt %ld, open %ld, closed %ld",
	       before, during, after);

	/* A caller's fd: released at its close(), after miscuring_close(). */
	fd = open("/dev/miscuring", O_RDWR | O_CLOEXEC);
	ring = NULL;
	expect("lib_registered_open_fd",
	       miscuring_open_fd(fd, 8, MISCURING_SETUP_FIXED_FILE, &ring), 0);
	if (!ring)
		return;
	expect("lib_registered_open_fd_get", miscuring_get_value(ring, &v), 0);
	miscuring_close(ring);
	close(fd);
	after = read_number(MODULE_REFCNT, "");
	result(after == before, "lib_registered_open_fd_release",
	       "module refcnt %ld, want %ld", after, before);
}

int main(void)
{
	struct miscuring_devinfo info;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&info, 0, sizeof(info));
	test_probe(&info);
	test_sync(0, "sqe64");
	test_sync(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32, "sqe128");
	test_sync(MISCURING_SETUP_ANY_THREAD, "any_thread");
	test_sync(MISCURING_SETUP_FIXED_FILE | MISCURING_SETUP_SQE128 |
		  MISCURING_SETUP_CQE32, "fixed_file");
	test_echo128();
	test_cqe32(&info);
	test_batch();
	test_timeouts();
	test_cancel();
	test_wait_value();
	test_stats();
	test_read_only();
	test_registered_file();
	return failed;
}
