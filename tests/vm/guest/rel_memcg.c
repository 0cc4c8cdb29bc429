// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The classic read/write buffer's memory belongs to the memory cgroup of
 * the writer that grew it (GFP_KERNEL_ACCOUNT):
 *
 *   memcg_charge   a writer in a cgroup of its own grows the buffer to
 *                  8 MiB: the cgroup's memory.current and its memory.stat
 *                  "kernel" rise by about 8 MiB (the writer's own memory
 *                  is a 64 KiB source buffer, touched before); unloading
 *                  the module (which frees the buffer) gives it back
 *   memcg_limit    the same writer under memory.max = 2 MiB: a write that
 *                  would grow the buffer past it fails with -ENOMEM, as the
 *                  README and miscuring(4) say; the writer is not OOM-killed
 *                  (memory.events oom_kill stays 0), the cgroup stays
 *                  under its limit, the bytes written before read back
 *
 * The buffer lives as long as the module and grows up to max_buffer, so
 * each case starts from an empty one: the module is unloaded and loaded
 * again with max_buffer=8 MiB (plus the miscuring.* parameters of the
 * kernel command line, as the guest's init gives them), and at the end
 * loaded again as init loaded it. cgroup2 is mounted on /sys/fs/cgroup if
 * it is not there yet. A kernel without the memory controller SKIPs.
 */
#include "rel_util.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define CG_ROOT		"/sys/fs/cgroup"
#define MODULE_KO	"/miscuring.ko"
#define BIG		(8u << 20)
#define CHUNK		(64u << 10)
#define LIMIT		(2u << 20)

static char cmdline_params[512];	/* miscuring.* of /proc/cmdline */

/* "miscuring.a=1 miscuring.b=2" on the kernel command line -> "a=1 b=2" */
static void read_cmdline_params(void)
{
	char line[4096], *save = NULL, *tok;
	FILE *f = fopen("/proc/cmdline", "r");

	cmdline_params[0] = 0;
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	for (tok = strtok_r(line, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		if (strncmp(tok, "miscuring.", 10))
			continue;
		if (strlen(cmdline_params) + strlen(tok) + 2 > sizeof(cmdline_params))
			break;
		strcat(cmdline_params, tok + 10);
		strcat(cmdline_params, " ");
	}
}

/* Unload miscuring and load it again with @extra after init's parameters. */
static int reload_module(const char *extra)
{
	char params[640];
	uint64_t t0 = gt_now_us();
	long r;
	int fd, e;

	do {
		r = syscall(SYS_delete_module, "miscuring", O_NONBLOCK);
		e = errno;
		if (r == 0 || (e != EAGAIN && e != EBUSY))
			break;
		gt_sleep_us(10000);
	} while (gt_now_us() - t0 < 5000000);
	if (r && e != ENOENT)
		return -e;
	snprintf(params, sizeof(params), "%s%s", cmdline_params, extra);
	fd = open(MODULE_KO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, params, 0);
	e = errno;
	close(fd);
	if (r)
		return -e;
	t0 = gt_now_us();
	while (access(MISCURING_DEVICE_PATH, F_OK) && gt_now_us() - t0 < 2000000)
		gt_sleep_us(5000);
	return access(MISCURING_DEVICE_PATH, F_OK) ? -ENODEV : 0;
}

/* A "key value" line of a cgroup file (memory.stat, memory.events). */
static long long cg_key(const char *cg, const char *file, const char *key)
{
	char path[256], k[64];
	long long v, ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), CG_ROOT "/%s/%s", cg, file);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fscanf(f, "%63s %lld", k, &v) == 2) {
		if (!strcmp(k, key)) {
			ret = v;
			break;
		}
	}
	fclose(f);
	return ret;
}

static long long cg_current(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), CG_ROOT "/%s/memory.current", cg);
	return gt_read_sysfs_ll(path);
}

/* cgroup2 with the memory controller for children: 0, or why not. */
static int cg_setup(char *why, size_t len)
{
	char ctl[256] = "";
	FILE *f;

	mkdir(CG_ROOT, 0755);
	if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL) && errno != EBUSY) {
		snprintf(why, len, "mount cgroup2: %s", strerror(errno));
		return -1;
	}
	f = fopen(CG_ROOT "/cgroup.controllers", "r");
	if (!f || !fgets(ctl, sizeof(ctl), f) || !strstr(ctl, "memory")) {
		snprintf(why, len, "no memory controller (cgroup.controllers: %s)",
			 f ? ctl : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	if (rel_write_file(CG_ROOT "/cgroup.subtree_control", "+memory")) {
		snprintf(why, len, "cannot enable memory for child cgroups: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* What the writer saw, sent to the parent through a pipe. */
struct writer_report {
	int setup_err;		/* joining the cgroup, opening: -errno */
	int write_err;		/* the first failed pwrite: -errno, or 0 */
	uint64_t written;	/* bytes written before it */
	long long cur0, cur1;	/* memory.current before and after */
	long long kern0, kern1;	/* memory.stat kernel before and after */
	int readback_ok;	/* the bytes written read back */
};

static void writer(const char *cg, int out)
{
	struct writer_report r = { 0 };
	unsigned char *src = malloc(CHUNK), *back = malloc(CHUNK);
	char path[256];
	int fd = -1;

	snprintf(path, sizeof(path), CG_ROOT "/%s/cgroup.procs", cg);
	if (!src || !back) {
		r.setup_err = -ENOMEM;
		goto report;
	}
	/* touched before joining: the cgroup sees only the device's memory */
	memset(back, 0, CHUNK);
	for (unsigned int i = 0; i < CHUNK; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	r.setup_err = rel_write_file(path, "0");
	if (r.setup_err)
		goto report;
	fd = gt_open_dev(O_RDWR);
	if (fd < 0) {
		r.setup_err = fd;
		goto report;
	}
	r.cur0 = cg_current(cg);
	r.kern0 = cg_key(cg, "memory.stat", "kernel");
	while (r.written < BIG) {
		ssize_t n = pwrite(fd, src, CHUNK, (off_t)r.written);

		if (n != (ssize_t)CHUNK) {
			r.write_err = n < 0 ? -errno : -EIO;
			break;
		}
		r.written += CHUNK;
	}
	r.cur1 = cg_current(cg);
	r.kern1 = cg_key(cg, "memory.stat", "kernel");
	r.readback_ok = 1;
	for (uint64_t off = 0; off < r.written; off += CHUNK) {
		if (pread(fd, back, CHUNK, (off_t)off) != (ssize_t)CHUNK ||
		    memcmp(back, src, CHUNK)) {
			r.readback_ok = 0;
			break;
		}
	}
report:
	if (fd >= 0)
		close(fd);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

/* Runs writer() in a child in cgroup @cg; its report, and how it ended. */
static int run_writer(const char *cg, struct writer_report *r, int *status)
{
	int p[2], ret;
	pid_t pid;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(p[0]);
		writer(cg, p[1]);
	}
	close(p[1]);
	ret = read(p[0], r, sizeof(*r)) == sizeof(*r) ? 0 : -EPIPE;
	close(p[0]);
	if (gt_wait_child(pid, status, 60000000))
		return -ETIMEDOUT;
	return ret;
}

static int make_cg(const char *cg, const char *max)
{
	char path[256];

	snprintf(path, sizeof(path), CG_ROOT "/%s", cg);
	rmdir(path);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(path, sizeof(path), CG_ROOT "/%s/memory.max", cg);
	return max ? rel_write_file(path, max) : 0;
}

static void rm_cg(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), CG_ROOT "/%s", cg);
	rmdir(path);
}

#define MIB(x)	((double)(x) / (1 << 20))

static void test_charge(void)
{
	const char *cg = "mu_memcg_charge";
	struct writer_report r;
	long long after_unload;
	int status, ret;

	gt_begin("memcg_charge");
	ret = reload_module("max_buffer=8388608");
	CHECK(ret == 0, "loading miscuring with max_buffer=8 MiB: %s", gt_errname(ret));
	CHECK(gt_max_buffer() == BIG, "max_buffer %lld", gt_max_buffer());
	ret = make_cg(cg, NULL);
	CHECK(ret == 0, "cgroup %s: %s", cg, gt_errname(ret));
	ret = run_writer(cg, &r, &status);
	CHECK(ret == 0, "writer: %s", gt_errname(ret));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer status 0x%x", status);
	CHECK(r.setup_err == 0, "writer setup: %s", gt_errname(r.setup_err));
	CHECK(r.write_err == 0 && r.written == BIG, "write at %" PRIu64 ": %s",
	      r.written, gt_errname(r.write_err));
	CHECK(r.readback_ok, "the bytes written did not read back");
	fprintf(stderr, "memcg_charge: memory.current %.2f -> %.2f MiB, kernel "
		"%.2f -> %.2f MiB, for a buffer of %.2f MiB\n", MIB(r.cur0),
		MIB(r.cur1), MIB(r.kern0), MIB(r.kern1), MIB(BIG));
	CHECK(r.cur0 >= 0 && r.cur1 >= 0, "memory.current unreadable");
	CHECK(r.cur1 - r.cur0 >= BIG * 9LL / 10 && r.cur1 - r.cur0 <= BIG + (2LL << 20),
	      "memory.current rose by %.2f MiB, not about %.2f", MIB(r.cur1 - r.cur0),
	      MIB(BIG));
	if (r.kern0 >= 0)
		CHECK(r.kern1 - r.kern0 >= BIG * 9LL / 10 &&
		      r.kern1 - r.kern0 <= BIG + (2LL << 20),
		      "memory.stat kernel rose by %.2f MiB, not about %.2f",
		      MIB(r.kern1 - r.kern0), MIB(BIG));
	/* The buffer goes with the module, and its charge with it. */
	ret = reload_module("");
	CHECK(ret == 0, "loading miscuring again: %s", gt_errname(ret));
	after_unload = cg_current(cg);
	fprintf(stderr, "memcg_charge: memory.current %.2f MiB once the module "
		"freed the buffer\n", MIB(after_unload));
	CHECK(after_unload >= 0 && r.cur1 - after_unload >= BIG * 9LL / 10,
	      "memory.current %.2f MiB after the buffer was freed (%.2f before)",
	      MIB(after_unload), MIB(r.cur1));
out:
	rm_cg(cg);
	gt_end();
}

static void test_limit(void)
{
	const char *cg = "mu_memcg_limit";
	struct writer_report r;
	char max[32];
	long long oom_kills, peak_max;
	int status, ret;

	gt_begin("memcg_limit");
	ret = reload_module("max_buffer=8388608");
	CHECK(ret == 0, "loading miscuring with max_buffer=8 MiB: %s", gt_errname(ret));
	snprintf(max, sizeof(max), "%u", LIMIT);
	ret = make_cg(cg, max);
	CHECK(ret == 0, "cgroup %s with memory.max %s: %s", cg, max, gt_errname(ret));
	ret = run_writer(cg, &r, &status);
	CHECK(ret == 0, "writer: %s (status 0x%x)", gt_errname(ret), status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "writer ended with status 0x%x (OOM-killed?)", status);
	CHECK(r.setup_err == 0, "writer setup: %s", gt_errname(r.setup_err));
	fprintf(stderr, "memcg_limit: memory.max %.2f MiB: %.2f MiB written, then %s; "
		"memory.current %.2f MiB\n", MIB(LIMIT), MIB(r.written),
		gt_errname(r.write_err), MIB(r.cur1));
	CHECK(r.write_err == -ENOMEM && r.written < BIG,
	      "%.2f MiB written under memory.max %.2f MiB, then %s, not ENOMEM",
	      MIB(r.written), MIB(LIMIT), gt_errname(r.write_err));
	CHECK(r.written > 0, "not even the first 64 KiB were written");
	CHECK(r.readback_ok, "the bytes written before the failure did not read back");
	CHECK(r.cur1 >= 0 && r.cur1 <= LIMIT, "memory.current %.2f MiB over the limit",
	      MIB(r.cur1));
	oom_kills = cg_key(cg, "memory.events", "oom_kill");
	CHECK(oom_kills == 0, "memory.events oom_kill %lld", oom_kills);
	peak_max = cg_key(cg, "memory.events", "max");
	CHECK(peak_max > 0, "memory.events max %lld: the limit was never hit", peak_max);
out:
	rm_cg(cg);
	gt_end();
}

int main(void)
{
	char why[256];
	int ret;

	gt_init("rel_memcg", 120);
	read_cmdline_params();
	gt_begin("memcg_setup");
	if (cg_setup(why, sizeof(why))) {
		gt_skip("%s", why);
		gt_end();
		return gt_exit_status();
	}
	gt_end();
	test_charge();
	test_limit();
	/* As init loaded it, whatever happened. */
	ret = reload_module("");
	gt_begin("memcg_module_back");
	CHECK(ret == 0, "loading miscuring as init did: %s", gt_errname(ret));
out:
	gt_end();
	return gt_exit_status();
}
