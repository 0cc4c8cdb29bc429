/* SPDX-License-Identifier: MIT */
/*
 * info: what the module reports (PROBE), the running kernel, the library
 * and the device node.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include "uringctl.h"

static const char *const feature_names[] = {
	"classic_ioctl",	/* MISCURING_FEAT_CLASSIC_IOCTL */
	"classic_rw",		/* MISCURING_FEAT_CLASSIC_RW */
	"sqe128",		/* MISCURING_FEAT_SQE128 */
	"cqe32",		/* MISCURING_FEAT_CQE32 */
	"cancelable",		/* MISCURING_FEAT_CANCELABLE */
	"rw_cmd",		/* MISCURING_FEAT_RW_CMD */
	"fixed_vec",		/* MISCURING_FEAT_FIXED_VEC */
	"watch",		/* MISCURING_FEAT_WATCH */
	"multishot",		/* MISCURING_FEAT_MULTISHOT */
};

_Static_assert(MISCURING_FEAT_CLASSIC_IOCTL == 1ULL << 0 &&
	       MISCURING_FEAT_CLASSIC_RW == 1ULL << 1 &&
	       MISCURING_FEAT_SQE128 == 1ULL << 2 &&
	       MISCURING_FEAT_CQE32 == 1ULL << 3 &&
	       MISCURING_FEAT_CANCELABLE == 1ULL << 4 &&
	       MISCURING_FEAT_RW_CMD == 1ULL << 5 &&
	       MISCURING_FEAT_FIXED_VEC == 1ULL << 6 &&
	       MISCURING_FEAT_WATCH == 1ULL << 7 &&
	       MISCURING_FEAT_MULTISHOT == 1ULL << 8, "feature bits");

/* The name of feature bit b, or "bitN" for one this uringctl predates. */
static const char *feature_name(unsigned b, char *buf, size_t len)
{
	if (b < sizeof(feature_names) / sizeof(feature_names[0]) &&
	    feature_names[b])
		return feature_names[b];
	snprintf(buf, len, "bit%u", b);
	return buf;
}

static const char *op_name(unsigned nr, char *buf, size_t len)
{
	const char *name = miscuring_op_name(MISCURING_CMD(nr));

	if (name)
		return name;
	snprintf(buf, len, "op%u", nr);
	return buf;
}

/* The names of the bits set in mask, space-separated or as a JSON array. */
static void print_bits(struct uc_ctx *ctx, const char *key, uint64_t mask,
		       const char *(*name)(unsigned, char *, size_t))
{
	char buf[16];
	unsigned b;
	bool first = true;

	if (ctx->j) {
		json_key(ctx->j, key);
		json_array_begin(ctx->j);
	}
	for (b = 0; b < 64; b++) {
		if (!(mask & (1ULL << b)))
			continue;
		if (ctx->j)
			json_string(ctx->j, name(b, buf, sizeof(buf)));
		else
			uc_text(ctx, "%s%s", first ? "" : " ", name(b, buf, sizeof(buf)));
		first = false;
	}
	if (ctx->j)
		json_array_end(ctx->j);
	else
		uc_text(ctx, "%s\n", first ? "(none)" : "");
}

int uc_cmd_info(struct uc_ctx *ctx, const struct uc_cmd *cmd)
{
	struct miscuring_devinfo info;
	struct miscuring_ring *ring;
	struct utsname uts;
	struct stat st;
	char mode[8];
	int ret;

	(void)cmd;
	if (uc_ring(ctx, 0, false, &ring))
		return 1;
	ret = miscuring_probe(ring, &info);
	if (ret)
		return uc_fail(ctx, -ret, NULL, "info: PROBE");
	if (fstat(ctx->fd, &st))
		return uc_fail(ctx, errno, NULL, "info: %s", ctx->device);
	if (uname(&uts))
		return uc_fail(ctx, errno, NULL, "info: uname");
	if (info.abi_version != MISCURING_ABI_VERSION)
		uc_warn("the module has ABI version %" PRIu32
			", uringctl was built for %d", info.abi_version,
			MISCURING_ABI_VERSION);

	if (ctx->j) {
		json_key(ctx->j, "device");
		json_object_begin(ctx->j);
		json_kv_string(ctx->j, "path", ctx->device);
		json_kv_string(ctx->j, "type", S_ISCHR(st.st_mode) ? "char" :
			       S_ISBLK(st.st_mode) ? "block" : "other");
		json_kv_u64(ctx->j, "major", major(st.st_rdev));
		json_kv_u64(ctx->j, "minor", minor(st.st_rdev));
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
		json_kv_string(ctx->j, "mode", mode);
		json_kv_u64(ctx->j, "uid", st.st_uid);
		json_kv_u64(ctx->j, "gid", st.st_gid);
		json_kv_bool(ctx->j, "read_only", ctx->rdonly);
		json_object_end(ctx->j);
		json_kv_string(ctx->j, "module_version", info.module_version);
		json_kv_u64(ctx->j, "abi_version", info.abi_version);
		json_kv_string(ctx->j, "library_version", miscuring_version());
		json_kv_string(ctx->j, "kernel", uts.release);
		json_kv_u64(ctx->j, "features_mask", info.features);
	} else {
		uc_text(ctx, "device:          %s (%s %u:%u, mode %04o, uid %u, gid %u%s)\n",
			ctx->device, S_ISCHR(st.st_mode) ? "char" : "not a char device",
			major(st.st_rdev), minor(st.st_rdev),
			(unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
			(unsigned)st.st_gid, ctx->rdonly ? ", opened read-only" : "");
		uc_text(ctx, "module version:  %s\n", info.module_version);
		uc_text(ctx, "ABI version:     %" PRIu32 "\n", info.abi_version);
		uc_text(ctx, "library version: %s\n", miscuring_version());
		uc_text(ctx, "kernel:          %s\n", uts.release);
		uc_text(ctx, "features:        ");
	}
	print_bits(ctx, "features", info.features, feature_name);
	if (ctx->j)
		json_kv_u64(ctx->j, "ops_mask", info.ops);
	else
		uc_text(ctx, "ops:             ");
	/* bit 0 is no op: op numbers start at 1 */
	print_bits(ctx, "ops", info.ops & ~1ULL, op_name);
	if (ctx->j) {
		json_kv_u64(ctx->j, "payload_sqe64", info.payload_sqe64);
		json_kv_u64(ctx->j, "payload_sqe128", info.payload_sqe128);
		json_kv_u64(ctx->j, "max_delay_usec", info.max_delay_usec);
		json_kv_u64(ctx->j, "max_buffer", info.max_buffer);
	} else {
		uc_text(ctx, "payload:         %" PRIu32 " bytes (64-byte SQE), %" PRIu32
			" bytes (128-byte SQE)\n", info.payload_sqe64,
			info.payload_sqe128);
		uc_text(ctx, "max delay:       %" PRIu32 " us\n", info.max_delay_usec);
		uc_text(ctx, "max buffer:      %" PRIu32 " bytes\n", info.max_buffer);
	}
	return 0;
}
