/* SPDX-License-Identifier: MIT */
/*
 * miscuring_close() with a DELAY and a WAIT in flight while the thread that
 * opened the ring lives on, in the test VM on every kernel: on the default
 * ring (SINGLE_ISSUER | DEFER_TASKRUN where the kernel has them) and on a
 * MISCURING_SETUP_ANY_THREAD one (COOP_TASKRUN). close returns at once, and
 * both commands end cancelled, not run out: the module's counters (read on
 * a ring of their own) show two more cancelled and none left in flight
 * within 2 s, where the DELAY would take 8 s.
 *
 * What miscuring_close(3) documents besides: on Linux 6.7 to 6.12 with
 * lockdep, io_uring's exit work posts the cancelled commands' CQEs of the
 * DEFER_TASKRUN ring, and its own io_lockdep_assert_cq_locked() warns
 * ("WARNING: ... at io_uring/io_uring.h:N io_get_cqe_overflow" from
 * io_uring_try_cancel_uring_cmd). tests/vm/kernel-log-known expects that
 * warning here on the KASAN + lockdep kernel, and only here; the program
 * waits after each close until the counters show the cancel, and 0.5 s
 * more, so that the warning comes while it runs.
 *
 * Built statically with the library's sources by make check-vm-guest into
 * build/vm/extra/tests/t_lib_close. Output: tests/vm/README.md.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmiscuring.h>

#include "lib_result.h"

#define DELAY_USEC	8000000	/* far longer than the 2 s the cancel may take */
#define CANCEL_MSEC	2000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void close_in_flight(struct miscuring_ring *obs, unsigned flags,
			    const char *kind, int cancelable)
{
	struct miscuring_devstats before, st;
	struct miscuring_ring *ring = NULL;
	char name[64];
	double t0, closed, done = -1;
	int ret;

	snprintf(name, sizeof(name), "lib_close_%s_open", kind);
	ret = miscuring_open(NULL, 8, flags, &ring);
	result(ret == 0, name, "miscuring_open: %s", miscuring_strerror(ret));
	if (ret)
		return;
	printf("%s: ring setup flags %#x\n", kind, miscuring_ring_setup_flags(ring));
	snprintf(name, sizeof(name), "lib_close_%s_submit", kind);
	ret = miscuring_stats(obs, &before);
	if (!ret)
		ret = miscuring_prep_delay(ring, DELAY_USEC, 7, 1);
	/* The new open file's value is 0: the WAIT queues until its timeout. */
	if (!ret)
		ret = miscuring_prep_wait_value(ring, 0, DELAY_USEC, 2);
	if (!ret)
		ret = miscuring_submit(ring);
	result(ret == 2 && miscuring_inflight(ring) == 2, name,
	       "submit %d (%s), %u in flight", ret, miscuring_strerror(ret),
	       miscuring_inflight(ring));
	if (ret != 2) {
		miscuring_close(ring);
		return;
	}

	t0 = now_ms();
	miscuring_close(ring);
	closed = now_ms() - t0;
	snprintf(name, sizeof(name), "lib_close_%s_returns", kind);
	result(closed < 1000, name, "miscuring_close took %.0f ms", closed);

	while (now_ms() - t0 < CANCEL_MSEC) {
		if (miscuring_stats(obs, &st) == 0 &&
		    st.cancelled >= before.cancelled + 2 &&
		    st.in_flight <= before.in_flight) {
			done = now_ms() - t0;
			break;
		}
		usleep(10000);
	}
	snprintf(name, sizeof(name), "lib_close_%s_cancelled", kind);
	if (done < 0)
		miscuring_stats(obs, &st);
	result(done >= 0, name,
	       "after %d ms: cancelled %llu -> %llu, in flight %llu -> %llu (%s kernel)",
	       CANCEL_MSEC, (unsigned long long)before.cancelled,
	       (unsigned long long)st.cancelled,
	       (unsigned long long)before.in_flight,
	       (unsigned long long)st.in_flight,
	       cancelable ? "a CANCELABLE" : "a non-CANCELABLE");
	if (done >= 0)
		printf("%s: both cancelled %.0f ms after close\n", kind, done);
	/* The exit work's warning, where there is one, is printed by now. */
	usleep(500000);
}

int main(void)
{
	struct miscuring_ring *obs = NULL;
	struct miscuring_devinfo info;
	int ret, cancelable;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = miscuring_open(NULL, 8, MISCURING_SETUP_ANY_THREAD, &obs);
	if (!ret)
		ret = miscuring_probe(obs, &info);
	result(ret == 0, "lib_close_probe", "%s", miscuring_strerror(ret));
	if (ret)
		return 1;
	cancelable = !!(info.features & MISCURING_FEAT_CANCELABLE);
	close_in_flight(obs, 0, "default", cancelable);
	close_in_flight(obs, MISCURING_SETUP_ANY_THREAD, "any_thread", cancelable);
	miscuring_close(obs);
	return failed;
}
