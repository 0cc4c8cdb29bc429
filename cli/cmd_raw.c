/* SPDX-License-Identifier: MIT */
/*
 * raw --op N [--payload HEX] [--sqe128] [--cqe32]: one uring_cmd with any
 * cmd_op and payload, to any file (--device), through miscuring_cmd().
 */
#include "config.h"

#include <inttypes.h>

#include "uringctl.h"

int uc_cmd_raw(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	unsigned flags = (cmd->u.raw.sqe128 ? MISCURING_SETUP_SQE128 : 0) |
			 (cmd->u.raw.cqe32 ? MISCURING_SETUP_CQE32 : 0);
	struct miscuring_ring *ring;
	uint64_t res2 = 0;
	int res, drop;

	if (ctx->j) {
		json_kv_u64(ctx->j, "op", cmd->u.raw.op);
		json_kv_u64(ctx->j, "payload_length", cmd->u.raw.len);
		json_kv_bool(ctx->j, "sqe128", cmd->u.raw.sqe128);
		json_kv_bool(ctx->j, "cqe32", cmd->u.raw.cqe32);
	}
	/* The driver checks the capabilities itself (caps.c). */
	res = uc_caps_raise(false, true);
	if (res)
		return uc_fail(ctx, -res, NULL, "raw: cannot raise capabilities");
	if (uc_open(ctx, true) || uc_ring(ctx, flags, &ring)) {
		uc_caps_raise(false, false);
		return 1;
	}
	res = miscuring_cmd(ring, ctx->fd, cmd->u.raw.op, cmd->u.raw.payload,
			    cmd->u.raw.len, &res2);
	drop = uc_caps_raise(false, false);
	if (drop)
		return uc_fail(ctx, -drop, NULL, "raw: cannot drop capabilities");
	if (ctx->j) {
		json_kv_s64(ctx->j, "res", res);
		if (cmd->u.raw.cqe32)
			json_kv_u64(ctx->j, "res2", res2);
	}
	if (res < 0)
		return uc_fail(ctx, -res, NULL, "raw");
	uc_text(ctx, "res %d", res);
	if (cmd->u.raw.cqe32)
		uc_text(ctx, " res2 %" PRIu64 " (0x%" PRIx64 ")", res2, res2);
	uc_text(ctx, "\n");
	return 0;
}
