/* SPDX-License-Identifier: MIT */
/*
 * struct miscuring_stats (what STATS writes) -> struct miscuring_devstats.
 * Like the info, STATS writes a prefix of the module's struct; fields an
 * older module lacks stay zero and devstats.decoded says where it ended.
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

#define MU_STATS_END(f)							\
	(offsetof(struct miscuring_stats, f) +				\
	 sizeof(((struct miscuring_stats *)0)->f))
#define MU_STATS_AT(p, f)	((p) + offsetof(struct miscuring_stats, f))

/* After the 8-byte header every field is a __le64 counter. */
_Static_assert(MU_STATS_END(reserved) == 8 &&
	       sizeof(struct miscuring_stats) % 8 == 0, "stats layout");

int miscuring_decode_stats(const void *buf, size_t len,
			   struct miscuring_devstats *stats)
{
	struct miscuring_devstats d;
	const uint8_t *p = buf;
	size_t n;

	if (!buf || !stats)
		return -EINVAL;
	if (len < MU_STATS_END(reserved))
		return -EMSGSIZE;

	memset(&d, 0, sizeof(d));
	d.stats_size = mu_get_le32(MU_STATS_AT(p, stats_size));
	if (d.stats_size < MU_STATS_END(reserved) ||
	    mu_get_le32(MU_STATS_AT(p, reserved)))
		return -EINVAL;
	n = len;
	if (n > d.stats_size)
		n = d.stats_size;
	if (n > sizeof(struct miscuring_stats))
		n = sizeof(struct miscuring_stats);
	if (n % 8)
		return -EMSGSIZE;

#define MU_COUNTER(f)							\
	if (n >= MU_STATS_END(f))					\
		d.f = mu_get_le64(MU_STATS_AT(p, f))
	MU_COUNTER(issued);
	MU_COUNTER(completed_inline);
	MU_COUNTER(completed_async);
	MU_COUNTER(cancelled);
	MU_COUNTER(failed);
	MU_COUNTER(in_flight);
#undef MU_COUNTER
	d.decoded = (uint32_t)n;
	*stats = d;
	return 0;
}
