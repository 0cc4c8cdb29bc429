/* SPDX-License-Identifier: MIT */
/*
 * get, set, wait: the open file's 64-bit value (GET_VALUE, SET_VALUE,
 * WAIT).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>

#include "uringctl.h"

int uc_cmd_get(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct miscuring_ring *ring;
	uint64_t value;
	int ret;

	(void)cmd;
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_get_value(ring, &value);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "get");
	if (ctx->j)
		json_kv_u64(ctx->j, "value", value);
	uc_text(ctx, "%" PRIu64 "\n", value);
	return 0;
}

int uc_cmd_set(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct miscuring_ring *ring;
	int ret;

	if (ctx->j)
		json_kv_u64(ctx->j, "value", cmd->u.set.value);
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_set_value(ring, cmd->u.set.value);
	if (ret)
		return uc_fail(ctx, -ret,
			       ret == -EBADF && ctx->rdonly ?
			       "the device is open read-only" : NULL, "set");
	return 0;
}

int uc_cmd_wait(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct miscuring_ring *ring;
	uint64_t now = 0;
	double t0;
	int ret;

	if (ctx->j) {
		json_kv_u64(ctx->j, "old_value", cmd->u.wait.value);
		json_kv_u64(ctx->j, "timeout_usec", cmd->u.wait.timeout_usec);
	}
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	t0 = uc_now();
	ret = miscuring_wait_value(ring, cmd->u.wait.value,
				   cmd->u.wait.timeout_usec, &now);
	if (ret == -ETIMEDOUT)
		return uc_fail(ctx, ETIMEDOUT, NULL,
			       "wait: the value was still %" PRIu64 " after %" PRIu32 " us",
			       cmd->u.wait.value, cmd->u.wait.timeout_usec);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "wait");
	if (ctx->j) {
		json_kv_u64(ctx->j, "value", now);
		json_kv_double(ctx->j, "seconds", uc_now() - t0);
	}
	uc_text(ctx, "%" PRIu64 "\n", now);
	return 0;
}
