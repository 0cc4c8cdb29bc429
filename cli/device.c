/* SPDX-License-Identifier: MIT */
/*
 * The device: opened once, by the first command that needs it, and shared
 * by all of them (the value GET/SET_VALUE see belongs to the open file).
 * uringctl opens it itself and hands the fd to libmiscuring, so a failed
 * open() and a failed io_uring setup get their own messages. With --fd N,
 * the file is descriptor N as the process got it (its access mode, its
 * flags), and it stays open when uringctl ends.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uringctl.h"

const char *uc_open_hint(const char *path, int err, bool want_write,
			 char *buf, size_t len)
{
	mode_t bit = want_write ? S_IWGRP : S_IRGRP;
	struct group *gr;
	struct stat st;

	switch (err) {
	case ENOENT:
		return "is the miscuring module loaded? (modprobe miscuring)";
	case EACCES:
		if (stat(path, &st))
			return NULL;
		if (!(st.st_mode & bit)) {
			snprintf(buf, len, "its mode %04o gives its group no %s access",
				 (unsigned)(st.st_mode & 07777),
				 want_write ? "write" : "read");
			return buf;
		}
		gr = getgrgid(st.st_gid);
		if (gr)
			snprintf(buf, len, "members of group '%s' may use it",
				 gr->gr_name);
		else
			snprintf(buf, len, "members of group %u may use it",
				 (unsigned)st.st_gid);
		return buf;
	default:
		return NULL;
	}
}

/* --fd N: a descriptor the process inherited, used as it is. */
static int use_fd(struct uc_ctx *ctx)
{
	int fl = fcntl(ctx->cl->fd, F_GETFL);

	if (fl < 0)
		return uc_fail(ctx, errno, NULL, "--fd %d", ctx->cl->fd);
	ctx->fd = ctx->cl->fd;
	ctx->fd_inherited = true;
	ctx->rdonly = (fl & O_ACCMODE) == O_RDONLY;
	return 0;
}

/*
 * Device commands only on /dev/miscuring: another file's uring_cmd would
 * answer them with anything (/dev/null: 0 for every op). Told once per
 * file; when it cannot be told (no io_uring), the command's own failure
 * says why.
 */
static int identify(struct uc_ctx *ctx)
{
	int ret;

	if (ctx->identified)
		return 0;
	ret = miscuring_identify(ctx->fd, NULL);
	if (ret == -ENOTTY)
		return uc_fail(ctx, ENOTTY, "device commands need /dev/miscuring; raw sends to any file",
			       "%s: not a miscuring device", ctx->device);
	ctx->identified = true;
	return 0;
}

static int open_file(struct uc_ctx *ctx, bool any_file)
{
	bool want_write = !ctx->cl->read_only;
	char buf[160];
	int fd, err;

	if (ctx->fd >= 0)
		return 0;
	if (ctx->cl->fd >= 0)
		return use_fd(ctx);
	fd = open(ctx->device, (want_write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	err = errno;
	/* Reading commands work on a node the user may only read. */
	if (fd < 0 && want_write && !ctx->need_write &&
	    (err == EACCES || err == EPERM || err == EROFS)) {
		want_write = false;
		fd = open(ctx->device, O_RDONLY | O_CLOEXEC);
		err = errno;
	}
	if (fd < 0)
		return uc_fail(ctx, err,
			       any_file ? NULL : uc_open_hint(ctx->device, err,
							      want_write, buf,
							      sizeof(buf)),
			       "%s", ctx->device);
	ctx->fd = fd;
	ctx->rdonly = !want_write;
	return 0;
}

int uc_open(struct uc_ctx *ctx, bool any_file)
{
	if (open_file(ctx, any_file))
		return 1;
	return any_file ? 0 : identify(ctx);
}

const char *uc_ring_hint(int err)
{
	switch (err) {
	case EPERM:
		return "is io_uring disabled? (sysctl kernel.io_uring_disabled)";
	case ENOSYS:
		return "this kernel has no io_uring";
	case ENOMEM:
		return "RLIMIT_MEMLOCK may be too low for the ring (ulimit -l)";
	default:
		return NULL;
	}
}

int uc_ring(struct uc_ctx *ctx, unsigned flags, bool any_file,
	    struct miscuring_ring **ring)
{
	int ret;

	if (uc_open(ctx, any_file))
		return 1;
	if (ctx->ring && ctx->ring_flags == flags) {
		*ring = ctx->ring;
		return 0;
	}
	miscuring_close(ctx->ring);
	ctx->ring = NULL;
	ret = miscuring_open_fd(ctx->fd, 0, flags, &ctx->ring);
	if (ret)
		return uc_fail(ctx, -ret, uc_ring_hint(-ret), "io_uring setup");
	ctx->ring_flags = flags;
	*ring = ctx->ring;
	return 0;
}

void uc_close(struct uc_ctx *ctx)
{
	miscuring_close(ctx->ring);
	ctx->ring = NULL;
	if (ctx->fd >= 0 && !ctx->fd_inherited)
		close(ctx->fd);
	ctx->fd = -1;
}
