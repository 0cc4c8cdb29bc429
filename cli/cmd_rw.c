/* SPDX-License-Identifier: MIT */
/*
 * read OFFSET LEN, write OFFSET [DATA]: the READ and WRITE ops on the
 * shared read/write buffer, with the library's builders
 * (miscuring_sqe_read/_readv/_write/_writev, miscuring_sqe_set_fixed,
 * miscuring_sqe_set_rw_flags) on an SQE whose fields go to the library's
 * ring through miscuring_cmd_desc(); --fixed registers the buffer first
 * (miscuring_register_buffers).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "uringctl.h"

/* The buffer starts on a page, as registered buffers like best. */
#define RW_ALIGN	4096

/* Split len bytes at buf into n iovecs of (nearly) equal size. */
static void split(struct iovec *iov, uint32_t n, uint8_t *buf, size_t len)
{
	size_t at = 0, part;
	uint32_t i;

	for (i = 0; i < n; i++) {
		part = len / n + (i < len % n);
		iov[i].iov_base = buf + at;
		iov[i].iov_len = part;
		at += part;
	}
}

/*
 * One READ or WRITE of len bytes at buf; *moved gets the bytes the module
 * moved. Returns 0 or 1 (reported).
 */
static int rw(struct uc_ctx *ctx, const struct uc_cmd *cmd, uint8_t *buf,
	      size_t len, uint32_t *moved)
{
	const char *name = uc_cmd_specs[cmd->id].name;
	bool is_read = cmd->id == UC_READ;
	struct io_uring_sqe sqe;
	struct miscuring_cmd_desc d;
	struct miscuring_ring *ring;
	struct miscuring_cqe cqe;
	struct iovec whole = { buf, len ? len : 1 }, *iov = NULL;
	uint32_t n = cmd->u.rw.vectored;
	const char *hint = NULL;
	int fd, ret;

	if (n && len < n)
		return uc_fail_plain(ctx, EINVAL, "%s: --vectored %" PRIu32 " needs at least %" PRIu32 " bytes, not %zu",
				     name, n, n, len);
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	fd = miscuring_device_fd(ring);
	if (n) {
		iov = calloc(n, sizeof(*iov));
		if (!iov)
			return uc_fail(ctx, ENOMEM, NULL, "%s: iovecs", name);
		split(iov, n, buf, len);
	}

	memset(&sqe, 0, sizeof(sqe));
	if (n && is_read)
		ret = miscuring_sqe_readv(&sqe, sizeof(sqe), fd, iov, n,
					  cmd->u.rw.offset, 0);
	else if (n)
		ret = miscuring_sqe_writev(&sqe, sizeof(sqe), fd, iov, n,
					   cmd->u.rw.offset, 0);
	else if (is_read)
		ret = miscuring_sqe_read(&sqe, sizeof(sqe), fd, buf,
					 (uint32_t)len, cmd->u.rw.offset, 0);
	else
		ret = miscuring_sqe_write(&sqe, sizeof(sqe), fd, buf,
					  (uint32_t)len, cmd->u.rw.offset, 0);
	if (!ret && cmd->u.rw.fixed)
		ret = miscuring_sqe_set_fixed(&sqe, 0);
	if (!ret && cmd->u.rw.async)
		ret = miscuring_sqe_set_rw_flags(&sqe, MISCURING_RW_ASYNC);
	if (ret) {
		free(iov);
		return uc_fail(ctx, -ret, NULL, "%s: building the command", name);
	}

	if (cmd->u.rw.fixed) {
		ret = miscuring_register_buffers(ring, &whole, 1);
		if (ret) {
			free(iov);
			return uc_fail(ctx, -ret,
				       ret == -ENOMEM ? "registered buffers count against RLIMIT_MEMLOCK" : NULL,
				       "%s: registering the buffer", name);
		}
	}
	/* The SQE's fields, as the library's ring queues them. */
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = sqe.cmd_op;
	d.fd = sqe.fd;
	d.addr = sqe.addr;
	d.len = sqe.len;
	d.uring_cmd_flags = sqe.uring_cmd_flags;
	d.buf_index = sqe.buf_index;
	d.payload = (const uint8_t *)&sqe + offsetof(struct io_uring_sqe, addr3);
	d.payload_len = MISCURING_PAYLOAD_SQE64;
	ret = miscuring_cmd_desc(ring, &d, &cqe);
	if (!ret && cqe.res < 0)
		ret = cqe.res;
	if (cmd->u.rw.fixed)
		miscuring_unregister_buffers(ring);
	free(iov);

	if (ret == -EBADF && !is_read && ctx->rdonly)
		hint = "the device is open read-only";
	else if (ret == -EOPNOTSUPP && n && cmd->u.rw.fixed)
		hint = "vectored registered buffers need MISCURING_FEAT_FIXED_VEC (Linux 6.15 and later)";
	if (ret)
		return uc_fail(ctx, -ret, hint, "%s at offset %" PRIu64, name,
			       cmd->u.rw.offset);
	*moved = (uint32_t)cqe.res;
	return 0;
}

/* A zeroed, page-aligned buffer of at least len bytes (one for 0). */
static uint8_t *rw_buffer(size_t len)
{
	size_t size = (len + RW_ALIGN) / RW_ALIGN * RW_ALIGN;
	uint8_t *buf = aligned_alloc(RW_ALIGN, size);

	if (buf)
		memset(buf, 0, size);
	return buf;
}

static void rw_json(struct uc_ctx *ctx, const struct uc_cmd *cmd,
		    const uint8_t *buf, uint32_t moved)
{
	json_kv_u64(ctx->j, "offset", cmd->u.rw.offset);
	json_kv_u64(ctx->j, "bytes", moved);
	json_kv_base64(ctx->j, "data_base64", buf, moved);
}

int uc_cmd_read(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	uint8_t *buf = rw_buffer(cmd->u.rw.len);
	uint32_t moved = 0;

	if (!buf)
		return uc_fail(ctx, ENOMEM, NULL, "read: a buffer of %" PRIu32 " bytes",
			       cmd->u.rw.len);
	if (rw(ctx, cmd, buf, cmd->u.rw.len, &moved)) {
		free(buf);
		return 1;
	}
	if (ctx->j)
		rw_json(ctx, cmd, buf, moved);
	else if (ctx->text)
		fwrite(buf, 1, moved, stdout);
	free(buf);
	return 0;
}

int uc_cmd_write(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	uint8_t *in = NULL, *buf;
	size_t len = cmd->u.rw.data_len;
	uint32_t moved = 0;
	int err;

	if (!cmd->u.rw.data) {
		err = uc_read_all(STDIN_FILENO, UC_RW_MAX, &in, &len);
		if (err == EFBIG)
			return uc_fail_plain(ctx, EFBIG, "write: stdin holds more than %u bytes",
					     UC_RW_MAX);
		if (err)
			return uc_fail(ctx, err, NULL, "write: reading stdin");
	}
	buf = rw_buffer(len);
	if (!buf) {
		free(in);
		return uc_fail(ctx, ENOMEM, NULL, "write: a buffer of %zu bytes", len);
	}
	if (len)
		memcpy(buf, in ? in : (const uint8_t *)cmd->u.rw.data, len);
	free(in);
	if (rw(ctx, cmd, buf, len, &moved)) {
		free(buf);
		return 1;
	}
	if (moved < len)
		uc_warn("write: the module took %" PRIu32 " of %zu bytes (its buffer ends at max_buffer)",
			moved, len);
	if (ctx->j)
		rw_json(ctx, cmd, buf, moved);
	uc_text(ctx, "%" PRIu32 "\n", moved);
	free(buf);
	return 0;
}
