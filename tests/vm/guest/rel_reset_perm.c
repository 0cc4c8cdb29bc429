// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RESET_STATS changes module state, so it needs a writable open as well as
 * CAP_SYS_ADMIN (rel_unpriv shows -EPERM without the capability): as root,
 * a read-only open gets -EBADF and the counters stay; a writable one
 * (O_RDWR, O_WRONLY) resets them.
 */
#include "rel_util.h"

static void test_reset(const char *name, int flags, int expect)
{
	struct miscuring_nop nop = {};
	struct io_uring ring = {};
	struct rel_stats before, after;
	struct gt_cqe cqe;
	int fd = -1;

	gt_begin("%s", name);
	CHECK_RING_AND_OPEN(&ring, 4, GT_RING_PLAIN, fd, flags);
	/* a few commands, so that a reset shows */
	for (int i = 0; i < 3; i++)
		CMD_EXPECT(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe, 0);
	CHECK(rel_stats_read(&before) == 0, "stats unreadable");
	CMD_EXPECT(&ring, fd, MISCURING_CMD_RESET_STATS, &nop, sizeof(nop), &cqe,
		   expect);
	CHECK(rel_stats_read(&after) == 0, "stats unreadable");
	if (expect)
		CHECK(after.issued > before.issued &&
		      after.completed_inline > before.completed_inline,
		      "counters changed by a refused reset: before %s, after %s",
		      rel_stats_str(&before), rel_stats_str(&after));
	else
		CHECK(after.issued < before.issued,
		      "counters not reset: before %s, after %s",
		      rel_stats_str(&before), rel_stats_str(&after));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(void)
{
	gt_init("rel_reset_perm", 30);
	test_reset("reset_rdonly_ebadf", O_RDONLY, -EBADF);
	test_reset("reset_wronly", O_WRONLY, 0);
	test_reset("reset_rdwr", O_RDWR, 0);
	return gt_exit_status();
}
