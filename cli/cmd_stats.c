/* SPDX-License-Identifier: MIT */
/*
 * stats [--reset]: the module's command counters (STATS), then zeroed
 * (RESET_STATS, CAP_SYS_ADMIN).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>

#include "uringctl.h"

int uc_cmd_stats(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	bool reset = cmd->u.stats.reset;
	struct miscuring_devstats st;
	struct miscuring_ring *ring;
	static const char *const names[] = {
		"issued", "completed_inline", "completed_async", "cancelled",
		"failed", "in_flight",
	};
	uint64_t values[sizeof(names) / sizeof(names[0])];
	size_t i;
	int ret, drop;

	/* Say so before anything is sent. */
	if (reset && !uc_caps_have_sys_admin())
		return uc_fail_plain(ctx, EPERM, "stats --reset needs CAP_SYS_ADMIN");
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_stats(ring, &st);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "stats");
	if (reset) {
		ret = uc_caps_raise(true, true);
		if (ret)
			return uc_fail(ctx, -ret, NULL, "stats --reset: CAP_SYS_ADMIN");
		ret = miscuring_reset_stats(ring);
		/* Back to no effective capability; failing that, stop here. */
		drop = uc_caps_raise(true, false);
		if (drop)
			return uc_fail(ctx, -drop, NULL, "cannot drop CAP_SYS_ADMIN");
		if (ret)
			return uc_fail(ctx, -ret,
				       ret == -EPERM ? "it needs CAP_SYS_ADMIN" : NULL,
				       "stats --reset");
	}

	values[0] = st.issued;
	values[1] = st.completed_inline;
	values[2] = st.completed_async;
	values[3] = st.cancelled;
	values[4] = st.failed;
	values[5] = st.in_flight;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (ctx->j)
			json_kv_u64(ctx->j, names[i], values[i]);
		uc_text(ctx, "%-17s %" PRIu64 "\n", names[i], values[i]);
	}
	if (ctx->j)
		json_kv_bool(ctx->j, "reset", reset);
	return 0;
}
