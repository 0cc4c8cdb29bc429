/* SPDX-License-Identifier: MIT */
/*
 * libmiscuring's watch API in the test VM on every kernel: the same calls
 * over both implementations, multishot WATCH where the module has it
 * (MISCURING_FEAT_MULTISHOT) and re-armed WAITs (always, and forced with
 * MISCURING_WATCHER_REARM): the initial value, one change per store, what
 * each does with stores that come while nobody waits, a timeout that
 * leaves the watch going, a writer thread on the same open file, stop.
 *
 * Built statically with the library's sources by make check-vm-guest into
 * build/vm/extra/tests/t_lib_watch. Output: tests/vm/README.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <libmiscuring.h>

#define WRITER_STORES	200
#define BURST_STORES	20000

#include "lib_result.h"

static int store(int fd, int v)
{
	return ioctl(fd, MISCURING_IOC_SET_VALUE, &v) ? -errno : 0;
}

static const struct timespec ten_s = { .tv_sec = 10 };

struct writer {
	int fd;
	int stores;	/* 1000 + 1, ..., 1000 + stores */
	long pause_ns;	/* between two stores; 0: none, through io_uring */
	int ret;
};

static void *writer_fn(void *p)
{
	struct writer *wr = p;
	struct timespec pause = { .tv_nsec = wr->pause_ns };
	struct miscuring_ring *ring = NULL;

	/* SET_VALUE on a ring of its own, as a program's event loop would. */
	if (!wr->pause_ns)
		wr->ret = miscuring_open_fd(wr->fd, 8, 0, &ring);
	for (int i = 1; i <= wr->stores && !wr->ret; i++) {
		if (ring) {
			wr->ret = miscuring_set_value(ring, 1000 + (uint64_t)i);
			continue;
		}
		wr->ret = store(wr->fd, 1000 + i);
		nanosleep(&pause, NULL);
	}
	miscuring_close(ring);
	return NULL;
}

/*
 * A writer thread on the same open file: every value seen in order, never
 * one twice (each event's value and count are the same moment's), and
 * multishot's counts add up to every store.
 */
static void writer_case(const char *label, struct miscuring_watcher *w,
			int fd, int want_mshot, int stores, long pause_ns)
{
	struct writer wr = { .fd = fd, .stores = stores, .pause_ns = pause_ns };
	struct miscuring_change ch;
	uint64_t last, sum = 0, events = 0;
	pthread_t th;
	int ret = 0, ok;

	ok = store(fd, 1000) == 0 && !miscuring_watch_next(w, &ch, &ten_s) &&
	     ch.value == 1000;
	last = 1000;
	ok = ok && !pthread_create(&th, NULL, writer_fn, &wr);
	if (!ok) {
		result(0, label, "could not start the writer");
		return;
	}
	while (ok && last != (uint64_t)(1000 + stores)) {
		ret = miscuring_watch_next(w, &ch, &ten_s);
		ok = !ret && ch.value > last && ch.changes >= 1;
		last = ch.value;
		sum += ch.changes;
		events++;
	}
	pthread_join(th, NULL);
	result(ok && !wr.ret && (!want_mshot || sum == (uint64_t)stores), label,
	       "ret %d value %" PRIu64 " after %" PRIu64 " events, changes %"
	       PRIu64 ", writer %d", ret, ch.value, events, sum, wr.ret);
	fprintf(stderr, "%s: %d stores seen as %" PRIu64 " changes in %" PRIu64
		" events\n", label, stores, sum, events);
}

/* One implementation, every case; name is its label in the results. */
static void run(const char *name, unsigned flags, int want_mshot)
{
	struct miscuring_watcher *w = NULL;
	struct miscuring_ring *ring = NULL;
	struct miscuring_change ch;
	struct timespec t0, t1;
	char label[64];
	uint64_t initial = 0;
	int ret, fd, ok = 1, n;

	snprintf(label, sizeof(label), "%s_start", name);
	ret = miscuring_open(NULL, 0, 0, &ring);
	if (ret) {
		result(0, label, "open: %s", miscuring_strerror(-ret));
		return;
	}
	fd = miscuring_device_fd(ring);
	store(fd, 77);
	ret = miscuring_watch_start(ring, flags, &initial, &w);
	result(!ret && initial == 77 && miscuring_watch_multishot(w) == want_mshot,
	       label, "ret %d initial %" PRIu64 " multishot %d", ret, initial,
	       w ? miscuring_watch_multishot(w) : -1);
	if (ret)
		goto out;

	snprintf(label, sizeof(label), "%s_each_store", name);
	for (int i = 1; i <= 10 && ok; i++) {
		store(fd, 100 + i);
		ret = miscuring_watch_next(w, &ch, &ten_s);
		ok = !ret && ch.value == (uint64_t)(100 + i) && ch.changes == 1;
		if (!ok)
			result(0, label, "store %d: ret %d value %" PRIu64
			       " changes %" PRIu64, i, ret, ch.value, ch.changes);
	}
	if (ok)
		result(1, label, NULL);

	/* Five stores while nobody waits: one change, counted as what it is. */
	snprintf(label, sizeof(label), "%s_coalesced", name);
	for (int i = 1; i <= 5; i++)
		store(fd, 200 + i);
	ret = miscuring_watch_next(w, &ch, &ten_s);
	result(!ret && ch.value == 205 && ch.changes == (want_mshot ? 5 : 1),
	       label, "ret %d value %" PRIu64 " changes %" PRIu64, ret,
	       ch.value, ch.changes);

	/* Nothing changes: -ETIME after the timeout, and the watch goes on. */
	snprintf(label, sizeof(label), "%s_timeout", name);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = miscuring_watch_next(w, &ch, &(struct timespec){ .tv_nsec = 100000000 });
	clock_gettime(CLOCK_MONOTONIC, &t1);
	n = (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	store(fd, 300);
	result(ret == -ETIME && n >= 100 &&
	       !miscuring_watch_next(w, &ch, &ten_s) && ch.value == 300, label,
	       "ret %d after %d ms, then value %" PRIu64, ret, n, ch.value);

	snprintf(label, sizeof(label), "%s_writer_thread", name);
	writer_case(label, w, fd, want_mshot, WRITER_STORES, 200000);
	/* As fast as it can: stores race the events being taken. */
	snprintf(label, sizeof(label), "%s_writer_burst", name);
	writer_case(label, w, fd, want_mshot, BURST_STORES, 0);

	snprintf(label, sizeof(label), "%s_stop", name);
	ret = miscuring_watch_stop(w);
	w = NULL;
	result(!ret, label, "%d", ret);
out:
	if (w)
		miscuring_watch_stop(w);
	miscuring_close(ring);
}

static void test_errors(void)
{
	struct miscuring_watcher *w = NULL;
	struct miscuring_ring *ring = NULL;
	int ret;

	ret = miscuring_open("/dev/null", 0, 0, &ring);
	if (!ret) {
		ret = miscuring_watch_start(ring, 0, NULL, &w);
		miscuring_close(ring);
	}
	result(ret == -ENOTTY, "watch_not_the_device", "%d", ret);
	ret = miscuring_open(NULL, 0, 0, &ring);
	if (!ret) {
		ret = miscuring_watch_start(ring, 0x80, NULL, &w);
		miscuring_close(ring);
	}
	result(ret == -EINVAL, "watch_bad_flags", "%d", ret);
	result(miscuring_watch_next(NULL, NULL, NULL) == -EINVAL &&
	       miscuring_watch_stop(NULL) == -EINVAL, "watch_null",
	       "a NULL watcher was accepted");
}

int main(void)
{
	struct miscuring_ring *ring;
	struct miscuring_devinfo info;
	int mshot = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(240);
	if (!miscuring_open(NULL, 0, 0, &ring)) {
		if (!miscuring_probe(ring, &info))
			mshot = !!(info.features & MISCURING_FEAT_MULTISHOT);
		miscuring_close(ring);
	}
	fprintf(stderr, "lib_watch: multishot %s\n", mshot ? "yes" : "no");
	run(mshot ? "multishot" : "rearm", 0, mshot);
	if (mshot)
		run("forced_rearm", MISCURING_WATCHER_REARM, 0);
	test_errors();
	return failed;
}
