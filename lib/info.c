/* SPDX-License-Identifier: MIT */
/*
 * struct miscuring_info (what PROBE writes) -> struct miscuring_devinfo.
 *
 * PROBE writes a prefix: min(len asked for, the module's info_size). A
 * newer module has fields we do not know (ignored); an older one lacks
 * fields we know (left zero, and devinfo.decoded says where it stopped).
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

#define MU_INFO_END(field)						\
	(offsetof(struct miscuring_info, field) +			\
	 sizeof(((struct miscuring_info *)0)->field))

/* Where a prefix may end: after a whole field, never inside one. */
static const size_t mu_info_ends[] = {
	MU_INFO_END(abi_version),
	MU_INFO_END(info_size),
	MU_INFO_END(features),
	MU_INFO_END(ops),
	MU_INFO_END(payload_sqe64),
	MU_INFO_END(payload_sqe128),
	MU_INFO_END(max_delay_usec),
	MU_INFO_END(max_buffer),
	MU_INFO_END(module_version),
	MU_INFO_END(reserved[0]),
	MU_INFO_END(reserved[1]),
	MU_INFO_END(reserved[2]),
	MU_INFO_END(reserved[3]),
};

_Static_assert(MU_INFO_END(reserved[3]) == sizeof(struct miscuring_info),
	       "every field of struct miscuring_info is listed");

static int mu_info_prefix_ok(size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(mu_info_ends) / sizeof(mu_info_ends[0]); i++)
		if (mu_info_ends[i] == n)
			return 1;
	return 0;
}

#define MU_HAS(n, field)	((n) >= MU_INFO_END(field))
#define MU_AT(p, field)		((p) + offsetof(struct miscuring_info, field))

/* Fields after info_size, each checked only when present. */
static int mu_info_body(const uint8_t *p, size_t n,
			struct miscuring_devinfo *d)
{
	if (MU_HAS(n, features))
		d->features = mu_get_le64(MU_AT(p, features));
	if (MU_HAS(n, ops))
		d->ops = mu_get_le64(MU_AT(p, ops));
	if (d->ops & 1)			/* op numbers start at 1 */
		return -EINVAL;
	if (MU_HAS(n, payload_sqe64)) {
		d->payload_sqe64 = mu_get_le32(MU_AT(p, payload_sqe64));
		if (d->payload_sqe64 != MISCURING_PAYLOAD_SQE64)
			return -EINVAL;
	}
	if (MU_HAS(n, payload_sqe128)) {
		d->payload_sqe128 = mu_get_le32(MU_AT(p, payload_sqe128));
		if (d->payload_sqe128 != MISCURING_PAYLOAD_SQE128)
			return -EINVAL;
	}
	if (MU_HAS(n, max_delay_usec))
		d->max_delay_usec = mu_get_le32(MU_AT(p, max_delay_usec));
	if (MU_HAS(n, max_buffer))
		d->max_buffer = mu_get_le32(MU_AT(p, max_buffer));
	if (MU_HAS(n, module_version)) {
		if (!memchr(MU_AT(p, module_version), 0, MISCURING_VERSION_LEN))
			return -EINVAL;
		memcpy(d->module_version, MU_AT(p, module_version),
		       MISCURING_VERSION_LEN);
	}
	if (n > MU_INFO_END(module_version) &&
	    !mu_all_zero(MU_AT(p, reserved), n - MU_INFO_END(module_version)))
		return -EINVAL;
	return 0;
}

/*
 * len is what PROBE returned (bytes written). On failure *info is left
 * untouched, except that an ABI other than ours (-EPROTONOSUPPORT) still
 * reports abi_version there, so a caller can say which one it met.
 */
int miscuring_decode_info(const void *buf, size_t len,
			  struct miscuring_devinfo *info)
{
	struct miscuring_devinfo d;
	const uint8_t *p = buf;
	size_t n;
	int ret;

	if (!buf || !info)
		return -EINVAL;
	if (len < MU_INFO_END(info_size))
		return -EMSGSIZE;

	memset(&d, 0, sizeof(d));
	d.abi_version = mu_get_le32(MU_AT(p, abi_version));
	d.info_size = mu_get_le32(MU_AT(p, info_size));
	if (d.abi_version != MISCURING_ABI_VERSION) {
		memset(info, 0, sizeof(*info));
		info->abi_version = d.abi_version;
		return -EPROTONOSUPPORT;
	}
	if (d.info_size < MU_INFO_END(info_size))
		return -EINVAL;

	n = len;
	if (n > d.info_size)
		n = d.info_size;
	if (n > sizeof(struct miscuring_info))
		n = sizeof(struct miscuring_info);
	if (!mu_info_prefix_ok(n))
		return -EMSGSIZE;

	ret = mu_info_body(p, n, &d);
	if (ret)
		return ret;
	d.decoded = (uint32_t)n;
	*info = d;
	return 0;
}

/* 1 when the module said it knows cmd_op, 0 when not (or not said). */
int miscuring_has_op(const struct miscuring_devinfo *info, uint32_t cmd_op)
{
	uint32_t nr = MISCURING_CMD_NR(cmd_op);

	if (!info || cmd_op >> 16 != MISCURING_CMD_MAGIC || nr >= 64)
		return 0;
	return (int)(info->ops >> nr & 1);
}
