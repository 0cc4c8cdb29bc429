// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Counters read while others reset them: for 4 s, readers (the STATS op
 * and the sysfs files) race resetters (RESET_STATS and sysfs "reset") and
 * a thread issuing NOPs. No reading may ever be torn across a reset, which
 * shows as a counter near 2^64 ("negative"): every value read must stay
 * below what the whole run could have counted.
 */
#include "guest_test.h"
#include "rel_util.h"

#include <pthread.h>
#include <stdatomic.h>

#define RUN_US		4000000ull
#define SANE_MAX	(1ull << 40)	/* far above anything 4 s can count */

static atomic_int stop;
static atomic_ullong n_reads, n_resets, n_nops;
static char bad[256];
static pthread_mutex_t bad_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const char *who, const char *field, uint64_t v)
{
	pthread_mutex_lock(&bad_lock);
	if (!bad[0])
		snprintf(bad, sizeof(bad), "%s read %s = %" PRIu64 " (0x%" PRIx64 ")",
			 who, field, v, v);
	pthread_mutex_unlock(&bad_lock);
	atomic_store(&stop, 1);
}

static int ring_and_dev(struct io_uring *ring, int *fd)
{
	int ret = gt_ring_init(ring, 32, GT_RING_PLAIN);

	if (ret)
		return ret;
	*fd = gt_open_dev(O_RDWR);
	return *fd < 0 ? *fd : 0;
}

static void *op_reader(void *arg)
{
	struct io_uring ring;
	int fd = -1;

	(void)arg;
	if (ring_and_dev(&ring, &fd)) {
		report("STATS reader", "setup", 0);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		struct miscuring_stats st = {};
		struct miscuring_stats_req req = {
			.addr = htole64((uint64_t)(uintptr_t)&st),
			.len = htole32(sizeof(st)),
		};
		const __le64 *f[] = { &st.issued, &st.completed_inline, &st.completed_async,
				      &st.cancelled, &st.failed, &st.in_flight };
		static const char *const names[] = { "issued", "completed_inline",
			"completed_async", "cancelled", "failed", "in_flight" };
		struct gt_cqe cqe;

		if (gt_cmd_sync(&ring, fd, MISCURING_CMD_STATS, &req, sizeof(req), &cqe) ||
		    cqe.res != (int)sizeof(st)) {
			report("STATS reader", "res", (uint64_t)cqe.res);
			break;
		}
		for (size_t i = 0; i < 6; i++)
			if (le64toh(*f[i]) >= SANE_MAX)
				report("STATS op", names[i], le64toh(*f[i]));
		atomic_fetch_add(&n_reads, 1);
	}
	close(fd);
	gt_ring_exit(&ring);
	return NULL;
}

static void *sysfs_reader(void *arg)
{
	static const char *const names[] = { "issued", "completed_inline",
		"completed_async", "cancelled", "failed", "in_flight" };

	(void)arg;
	while (!atomic_load(&stop)) {
		for (size_t i = 0; i < 6; i++) {
			uint64_t v = 0;

			if (rel_read_counter(names[i], &v)) {
				report("sysfs reader", names[i], 0);
				return NULL;
			}
			if (v >= SANE_MAX)
				report("sysfs", names[i], v);
		}
		atomic_fetch_add(&n_reads, 1);
	}
	return NULL;
}

static void *resetter(void *arg)
{
	struct miscuring_nop nop = {};
	struct io_uring ring;
	int fd = -1, i = 0;

	(void)arg;
	if (ring_and_dev(&ring, &fd)) {
		report("resetter", "setup", 0);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		struct gt_cqe cqe;

		if (i++ & 1) {
			int sfd = open(REL_STATS_DIR "reset", O_WRONLY | O_CLOEXEC);

			if (sfd < 0 || write(sfd, "1", 1) != 1) {
				report("sysfs reset", "errno", (uint64_t)errno);
				if (sfd >= 0)
					close(sfd);
				break;
			}
			close(sfd);
		} else if (gt_cmd_sync(&ring, fd, MISCURING_CMD_RESET_STATS, &nop,
				       sizeof(nop), &cqe) || cqe.res != 0) {
			report("RESET_STATS", "res", (uint64_t)cqe.res);
			break;
		}
		atomic_fetch_add(&n_resets, 1);
	}
	close(fd);
	gt_ring_exit(&ring);
	return NULL;
}

static void *nopper(void *arg)
{
	struct miscuring_nop nop = {};
	struct io_uring ring;
	int fd = -1;

	(void)arg;
	if (ring_and_dev(&ring, &fd)) {
		report("NOP thread", "setup", 0);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		struct gt_cqe cqe;
		int n = 0;

		for (; n < 16; n++)
			if (!gt_prep_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), n))
				break;
		if (io_uring_submit(&ring) != n) {
			report("NOP thread", "submit", 0);
			break;
		}
		for (int i = 0; i < n; i++)
			if (gt_reap(&ring, &cqe, GT_WAIT_US) || cqe.res) {
				report("NOP thread", "res", (uint64_t)cqe.res);
				goto out;
			}
		atomic_fetch_add(&n_nops, (unsigned long long)n);
	}
out:
	close(fd);
	gt_ring_exit(&ring);
	return NULL;
}

static void test_race(void)
{
	void *(*const fns[])(void *) = { op_reader, op_reader, sysfs_reader,
					 resetter, resetter, nopper };
	pthread_t th[6];
	size_t started = 0;

	gt_begin("stats_reset_race");
	for (; started < 6; started++)
		if (pthread_create(&th[started], NULL, fns[started], NULL))
			break;
	if (started == 6)
		gt_sleep_us(RUN_US);
	atomic_store(&stop, 1);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "stats_race: %llu readings, %llu resets, %llu NOPs\n",
		(unsigned long long)n_reads, (unsigned long long)n_resets,
		(unsigned long long)n_nops);
	CHECK(started == 6, "pthread_create failed");
	CHECK(!bad[0], "%s", bad);
	CHECK(n_reads > 100 && n_resets > 100 && n_nops > 100,
	      "too little happened: %llu readings, %llu resets, %llu NOPs",
	      (unsigned long long)n_reads, (unsigned long long)n_resets,
	      (unsigned long long)n_nops);
out:
	gt_end();
}

int main(void)
{
	gt_init("stats_race", 60);
	test_race();
	return gt_exit_status();
}
