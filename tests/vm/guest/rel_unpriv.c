// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * An unprivileged user (uid/gid 65534, no capabilities) on /dev/miscuring:
 *
 *  - with the node chmod'ed 0664, it may open it read-only but not
 *    read-write (EACCES);
 *  - read-only ops work: NOP, GET_VALUE, PROBE, STATS, a WAIT poll, a short
 *    DELAY, ioctl GET/HELLO, read();
 *  - write ops fail with EBADF and change nothing: SET_VALUE via io_uring,
 *    ioctl SET, write();
 *  - privileged ops fail with EPERM/EACCES and change nothing: RESET_STATS
 *    via io_uring, the sysfs reset file;
 *  - with the node at its default 0660 root:root, even a read-only open
 *    fails with EACCES.
 *
 * The node's mode and owner are put back however the test ends.
 */
#include "rel_util.h"

#include <grp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define NOBODY	65534

static struct stat node_orig;
static int node_saved;

static void restore_node(void)
{
	if (!node_saved)
		return;
	if (chmod(MISCURING_DEVICE_PATH, node_orig.st_mode & 07777) ||
	    chown(MISCURING_DEVICE_PATH, node_orig.st_uid, node_orig.st_gid))
		fprintf(stderr, "rel_unpriv: restoring %s: %s\n",
			MISCURING_DEVICE_PATH, strerror(errno));
}

/* Child: become nobody; exit codes >= 100 are setup failures. */
static void drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(100);
	if (getuid() != NOBODY || geteuid() != NOBODY || getegid() != NOBODY)
		_exit(101);
	/* setuid() from root drops every capability: check one */
	if (setuid(0) == 0)
		_exit(102);
}

/*
 * Child side of the read-only test: prints its own FAIL line (stdout is
 * shared, line-buffered) and exits 1 on failure, 0 on success.
 */
static void unpriv_ops(void)
{
	struct miscuring_info info = {};
	struct miscuring_stats st = {};
	struct miscuring_probe pr = gt_probe_payload(&info, sizeof(info));
	struct miscuring_stats_req sr = {
		.addr = htole64((uint64_t)(uintptr_t)&st), .len = htole32(sizeof(st)),
	};
	struct miscuring_set_value sv = gt_set_payload(0xbad);
	struct miscuring_wait w = { .value = htole64(0) };	/* poll */
	struct miscuring_delay d = gt_delay_payload(1000, 4242);
	struct miscuring_nop nop = {};
	struct io_uring ring = {};
	struct gt_cqe cqe;
	uint64_t v = 1;
	char buf[8];
	int fd = -1, ret, iv;

	drop_privileges();
	/* 0664 root:root: others may read, not write */
	CHECK_ERRNO(open(MISCURING_DEVICE_PATH, O_RDWR), EACCES);
	CHECK_ERRNO(open(MISCURING_DEVICE_PATH, O_WRONLY), EACCES);
	fd = gt_open_dev(O_RDONLY);
	CHECK(fd >= 0, "open O_RDONLY as uid %d: %s", NOBODY, gt_errname(fd));
	ret = gt_ring_init(&ring, 8, GT_RING_CQE32);
	CHECK(ret == 0, "ring setup as uid %d: %s", NOBODY, gt_errname(ret));

	/* read-only ops */
	CMD_EXPECT(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe, 0);
	ret = gt_get_value(&ring, fd, &v);
	CHECK(ret == 0 && v == 0, "GET_VALUE: %s value %" PRIu64 ", expected 0 0",
	      gt_errname(ret), v);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_PROBE, &pr, sizeof(pr), &cqe,
		   (int)sizeof(info));
	CHECK(le32toh(info.abi_version) == MISCURING_ABI_VERSION &&
	      le32toh(info.info_size) == sizeof(info),
	      "PROBE: abi %u size %u", le32toh(info.abi_version),
	      le32toh(info.info_size));
	CMD_EXPECT(&ring, fd, MISCURING_CMD_STATS, &sr, sizeof(sr), &cqe,
		   (int)sizeof(st));
	CHECK(le32toh(st.stats_size) == sizeof(st) && le64toh(st.issued) > 0,
	      "STATS: size %u issued %" PRIu64, le32toh(st.stats_size),
	      (uint64_t)le64toh(st.issued));
	CMD_EXPECT(&ring, fd, MISCURING_CMD_WAIT, &w, sizeof(w), &cqe, -ETIMEDOUT);
	CMD_EXPECT(&ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), &cqe, 4242);
	CHECK_SYS(ioctl(fd, MISCURING_IOC_HELLO), 0);
	iv = 99;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &iv), 0);
	CHECK(iv == 0, "ioctl GET: %d, expected 0", iv);
	CHECK(read(fd, buf, sizeof(buf)) >= 0, "read: %s", strerror(errno));

	/* write ops: EBADF, nothing changes */
	CMD_EXPECT(&ring, fd, MISCURING_CMD_SET_VALUE, &sv, sizeof(sv), &cqe, -EBADF);
	iv = 0x0bad;
	CHECK_ERRNO(ioctl(fd, MISCURING_IOC_SET_VALUE, &iv), EBADF);
	CHECK_ERRNO(write(fd, "x", 1), EBADF);
	CHECK_ERRNO(pwrite(fd, "x", 1, 0), EBADF);
	v = 1;
	ret = gt_get_value(&ring, fd, &v);
	CHECK(ret == 0 && v == 0, "GET_VALUE after the refused SETs: %s value %"
	      PRIu64 ", expected 0", gt_errname(ret), v);
	iv = 99;
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &iv), 0);
	CHECK(iv == 0, "ioctl GET after the refused SETs: %d, expected 0", iv);

	/* privileged ops: EPERM / EACCES (the parent checks the counters) */
	CMD_EXPECT(&ring, fd, MISCURING_CMD_RESET_STATS, &nop, sizeof(nop), &cqe,
		   -EPERM);
	CHECK_ERRNO(open(REL_STATS_DIR "reset", O_WRONLY), EACCES);
	gt_ring_exit(&ring);
	close(fd);
	_exit(0);
out:
	_exit(1);
}

/* Child side of the 0660 test: even O_RDONLY is refused. */
static void unpriv_no_access(void)
{
	drop_privileges();
	CHECK_ERRNO(open(MISCURING_DEVICE_PATH, O_RDWR), EACCES);
	CHECK_ERRNO(open(MISCURING_DEVICE_PATH, O_RDONLY), EACCES);
	_exit(0);
out:
	_exit(1);
}

/* Run fn in a child as gt_name; 0 if it passed (it prints its own FAIL). */
static int run_child(void (*fn)(void), const char *what)
{
	int status = 0, ret;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		gt_fail("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		fn();
		_exit(103);
	}
	ret = gt_wait_child(pid, &status, 30000000);
	if (ret) {
		rel_kill_child(pid);
		gt_fail("%s: child did not finish: %s", what, gt_errname(ret));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
		/* the child printed the FAIL line: count it here */
		gt_case_state = 1;
		gt_nfail++;
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 100)
		gt_fail("%s: could not become uid/gid %d (setup step %d): "
			"setgroups/setgid/setuid failed or capabilities kept",
			what, NOBODY, WEXITSTATUS(status) - 100);
	else
		gt_fail("%s: child status 0x%x", what, status);
	return -1;
}

static void test_readonly_user(void)
{
	struct rel_stats before, after;
	int fd = -1, ret, iv = 0;

	gt_begin("unpriv_readonly_ops");
	ret = rel_stats_read(&before);
	CHECK(ret == 0, "reading %s: %s", REL_STATS_DIR, gt_errname(ret));
	CHECK(chmod(MISCURING_DEVICE_PATH, 0664) == 0, "chmod 0664: %s",
	      strerror(errno));
	if (run_child(unpriv_ops, "as uid 65534") < 0)
		goto out;

	/*
	 * Nothing was reset: the child's 9 commands (3 of them failed: WAIT
	 * poll, SET, RESET_STATS) add to the counters.
	 */
	ret = rel_stats_read(&after);
	CHECK(ret == 0, "reading counters: %s", gt_errname(ret));
	CHECK(after.issued == before.issued + 9 &&
	      after.failed == before.failed + 3 &&
	      after.in_flight == before.in_flight,
	      "expected issued +9, failed +3, in_flight unchanged: before %s, "
	      "after %s", rel_stats_str(&before), rel_stats_str(&after));
	/* a fresh open sees the default value, and root may still write */
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open as root: %s", gt_errname(fd));
	CHECK_SYS(ioctl(fd, MISCURING_IOC_GET_VALUE, &iv), 0);
	CHECK(iv == 0, "value of a new open: %d", iv);
out:
	if (fd >= 0)
		close(fd);
	restore_node();
	gt_end();
}

static void test_no_access(void)
{
	struct stat sb;

	gt_begin("unpriv_0660_root_only");
	CHECK(chown(MISCURING_DEVICE_PATH, 0, 0) == 0 &&
	      chmod(MISCURING_DEVICE_PATH, 0660) == 0,
	      "chown/chmod: %s", strerror(errno));
	CHECK(stat(MISCURING_DEVICE_PATH, &sb) == 0 && (sb.st_mode & 0777) == 0660,
	      "mode 0%o", sb.st_mode & 0777);
	(void)run_child(unpriv_no_access, "as uid 65534, mode 0660");
out:
	restore_node();
	gt_end();
}

int main(void)
{
	gt_init("rel_unpriv", 60);
	gt_begin("unpriv_setup");
	if (stat(MISCURING_DEVICE_PATH, &node_orig)) {
		gt_fail("stat %s: %s", MISCURING_DEVICE_PATH, strerror(errno));
		return gt_exit_status();
	}
	node_saved = 1;
	fprintf(stderr, "rel_unpriv: %s is 0%o %d:%d\n", MISCURING_DEVICE_PATH,
		node_orig.st_mode & 07777, node_orig.st_uid, node_orig.st_gid);
	/* the module creates the node 0660 */
	if ((node_orig.st_mode & 0777) != 0660)
		gt_fail("%s has mode 0%o, expected 0660 (miscdevice.mode)",
			MISCURING_DEVICE_PATH, node_orig.st_mode & 0777);
	gt_end();

	test_readonly_user();
	test_no_access();
	restore_node();
	return gt_exit_status();
}
