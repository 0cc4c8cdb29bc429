/* SPDX-License-Identifier: MIT */
/*
 * raw --op N [RAW-OPTION]...: one uring_cmd with any cmd_op, payload and
 * SQE fields, to any file (--device, --fd), through miscuring_cmd_desc(),
 * with an optional data buffer whose address goes into the SQE or the
 * payload and whose bytes are printed after the completion.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uringctl.h"

/* Buffers start on a page: what drivers doing DMA from them like best. */
#define DATA_ALIGN	4096

/* Read all of path (at most UC_RAW_DATA_MAX bytes) into a new buffer. */
static int read_file(struct uc_ctx *ctx, const char *path, uint8_t **bufp,
		     size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return uc_fail(ctx, errno, NULL, "raw: --data-file %s", path);
	err = uc_read_all(fd, UC_RAW_DATA_MAX, bufp, lenp);
	close(fd);
	if (err == EFBIG)
		return uc_fail_plain(ctx, EFBIG, "raw: --data-file %s is larger than %u bytes",
				     path, UC_RAW_DATA_MAX);
	return err ? uc_fail(ctx, err, NULL, "raw: --data-file %s", path) : 0;
}

/* The aligned, zeroed data buffer with the input bytes in front. */
static int make_buffer(struct uc_ctx *ctx, const struct uc_cmd *cmd,
		       uint8_t **bufp, uint32_t *lenp)
{
	const uint8_t *in = cmd->u.raw.data;
	size_t in_len = cmd->u.raw.data_in, size;
	uint32_t len = cmd->u.raw.data_len;
	uint8_t *file = NULL, *buf;

	if (cmd->u.raw.data_file) {
		if (read_file(ctx, cmd->u.raw.data_file, &file, &in_len))
			return 1;
		in = file;
		if (!cmd->u.raw.data_len_set)
			len = (uint32_t)in_len;
		if (in_len > len) {
			free(file);
			return uc_fail_plain(ctx, EINVAL, "raw: --data-file %s has %zu bytes, more than --data-len %u",
					     cmd->u.raw.data_file, in_len, len);
		}
		if (!len) {
			free(file);
			return uc_fail_plain(ctx, EINVAL, "raw: --data-file %s is empty",
					     cmd->u.raw.data_file);
		}
	}
	size = ((size_t)len + DATA_ALIGN - 1) / DATA_ALIGN * DATA_ALIGN;
	buf = aligned_alloc(DATA_ALIGN, size);
	if (!buf) {
		free(file);
		return uc_fail(ctx, ENOMEM, NULL, "raw: data buffer");
	}
	memset(buf, 0, size);
	if (in_len)
		memcpy(buf, in, in_len);
	free(file);
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* The buffer after the command: JSON base64, text hex, or raw bytes. */
static int show_data(struct uc_ctx *ctx, const struct uc_cmd *cmd,
		     const uint8_t *buf, uint32_t len)
{
	size_t i;

	if (ctx->j) {
		json_kv_u64(ctx->j, "data_length", len);
		json_kv_base64(ctx->j, "data_base64", buf, len);
		return 0;
	}
	if (!ctx->text)
		return 0;
	if (cmd->u.raw.data_raw) {
		fwrite(buf, 1, len, stdout);
		return 0;
	}
	printf("data");
	for (i = 0; i < len; i++)
		printf("%s%02x", i % 32 ? "" : (i ? "\n     " : " "), buf[i]);
	printf("\n");
	return 0;
}

/* Where the buffer goes: its address (and size) into desc and payload. */
static void place_buffer(const struct uc_cmd *cmd, struct miscuring_cmd_desc *d,
			 uint8_t *payload, const uint8_t *buf, uint32_t len)
{
	uint64_t a = (uint64_t)(uintptr_t)buf, le;
	uint32_t le32;

	switch (cmd->u.raw.data_at) {
	case UC_DATA_AT_ADDR:
		d->addr = a;
		break;
	case UC_DATA_AT_OPTVAL:
		d->optval = a;
		break;
	case UC_DATA_AT_ADDR3:
		d->addr3 = a;
		break;
	case UC_DATA_AT_PAYLOAD:
		le = htole64(a);
		memcpy(payload + cmd->u.raw.data_off, &le, sizeof(le));
		break;
	case UC_DATA_AT_NONE:
		break;
	}
	if (cmd->u.raw.data_len_off >= 0) {
		le32 = htole32(len);
		memcpy(payload + cmd->u.raw.data_len_off, &le32, sizeof(le32));
	}
}

int uc_cmd_raw(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	unsigned flags = (cmd->u.raw.sqe128 ? MISCURING_SETUP_SQE128 : 0) |
			 (cmd->u.raw.cqe32 ? MISCURING_SETUP_CQE32 : 0);
	uint8_t payload[MISCURING_PAYLOAD_SQE128], *buf = NULL;
	size_t plen = cmd->u.raw.len;
	struct miscuring_cmd_desc d;
	struct miscuring_ring *ring;
	struct miscuring_cqe cqe;
	uint32_t len = 0;
	int ret, drop;

	if (ctx->j) {
		json_kv_u64(ctx->j, "op", cmd->u.raw.op);
		json_kv_u64(ctx->j, "payload_length", cmd->u.raw.len);
		json_kv_bool(ctx->j, "sqe128", cmd->u.raw.sqe128);
		json_kv_bool(ctx->j, "cqe32", cmd->u.raw.cqe32);
	}
	memset(payload, 0, sizeof(payload));
	memcpy(payload, cmd->u.raw.payload, plen);
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = cmd->u.raw.op;
	d.sqe_flags = cmd->u.raw.sqe_flags;
	d.addr = cmd->u.raw.addr;
	d.len = cmd->u.raw.sqe_len;
	d.uring_cmd_flags = cmd->u.raw.uring_cmd_flags;
	d.ioprio = cmd->u.raw.ioprio;
	d.buf_index = cmd->u.raw.buf_index;
	d.personality = cmd->u.raw.personality;
	d.file_index = cmd->u.raw.file_index;
	d.level = cmd->u.raw.level;
	d.optname = cmd->u.raw.optname;
	d.optlen = cmd->u.raw.optlen;
	d.optval = cmd->u.raw.optval;
	d.addr3 = cmd->u.raw.addr3;
	if (cmd->u.raw.data_at) {
		if (make_buffer(ctx, cmd, &buf, &len))
			return 1;
		place_buffer(cmd, &d, payload, buf, len);
		/* what the driver reads: the payload up to the buffer's fields */
		if (cmd->u.raw.data_at == UC_DATA_AT_PAYLOAD && plen < cmd->u.raw.data_off + 8)
			plen = cmd->u.raw.data_off + 8;
		if (cmd->u.raw.data_len_off >= 0 && plen < (size_t)cmd->u.raw.data_len_off + 4)
			plen = (size_t)cmd->u.raw.data_len_off + 4;
	}
	if (plen) {
		d.payload = payload;
		d.payload_len = (uint32_t)plen;
	}

	/* The driver checks the capabilities itself (caps.c). */
	ret = uc_caps_raise(false, true);
	if (ret) {
		free(buf);
		return uc_fail(ctx, -ret, NULL, "raw: cannot raise capabilities");
	}
	if (uc_ring(ctx, flags, true, &ring)) {
		uc_caps_raise(false, false);
		free(buf);
		return 1;
	}
	d.fd = ctx->fd;
	ret = miscuring_cmd_desc(ring, &d, &cqe);
	drop = uc_caps_raise(false, false);
	if (drop) {
		free(buf);
		return uc_fail(ctx, -drop, NULL, "raw: cannot drop capabilities");
	}
	if (ret) {
		free(buf);
		return uc_fail(ctx, -ret, NULL, "raw: cannot send the command");
	}

	if (ctx->j) {
		json_kv_s64(ctx->j, "res", cqe.res);
		json_kv_u64(ctx->j, "flags", cqe.flags);
		if (cmd->u.raw.cqe32) {
			json_kv_u64(ctx->j, "res2", cqe.res2);
			json_kv_u64(ctx->j, "res3", cqe.res3);
		}
	}
	if (cqe.res < 0) {
		ret = uc_fail(ctx, -cqe.res, NULL, "raw");
	} else if (cqe.res > 0 && cmd->u.raw.nonzero_fails) {
		/* an NVMe command's status (SCT << 8 | SC, DNR 0x4000) */
		ret = uc_fail_plain(ctx, 0, "raw: completed with res %d (0x%x)",
				    cqe.res, (unsigned)cqe.res);
	} else {
		if (!(buf && cmd->u.raw.data_raw)) {
			uc_text(ctx, "res %d", cqe.res);
			if (cmd->u.raw.cqe32)
				uc_text(ctx, " res2 %" PRIu64 " (0x%" PRIx64 ") res3 %" PRIu64
					" (0x%" PRIx64 ")", cqe.res2, cqe.res2, cqe.res3, cqe.res3);
			uc_text(ctx, "\n");
		}
		ret = buf ? show_data(ctx, cmd, buf, len) : 0;
	}
	free(buf);
	return ret;
}
