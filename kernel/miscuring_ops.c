// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring command ops of /dev/miscuring, one function each, and their
 * table for the mu_cmd kit (uring_cmd/), which dispatches to them with a
 * private copy of the payload. Every op checks its reserved fields and
 * unused bytes first and completes through the kit; none of them touches
 * struct io_uring_cmd directly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/uaccess.h>

#include "miscuring_dev.h"

/* Bit nr of miscuring_info.ops for every op of the table (on this kernel). */
static u64 miscuring_ops_known(void)
{
	u64 ops = 0;
	u32 i;

	for (i = 0; i < miscuring_cmds.nr_ops; i++)
		if (miscuring_cmds.ops[i].issue)
			ops |= BIT_ULL(i);
	return ops;
}

static u64 miscuring_features(void)
{
	u64 features = MISCURING_FEAT_CLASSIC_IOCTL | MISCURING_FEAT_CLASSIC_RW |
		       MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32;

	if (mu_cmd_cancel_supported())
		features |= MISCURING_FEAT_CANCELABLE;
	features |= MISCURING_FEAT_RW_CMD;
	if (mu_cmd_data_fixed_vec_supported())
		features |= MISCURING_FEAT_FIXED_VEC;
	if (miscuring_watch_supported())
		features |= MISCURING_FEAT_WATCH | MISCURING_FEAT_MULTISHOT;
	return features;
}

/* An op's argument struct is valid when its reserved words and tail are 0. */
static bool mu_args_clean(const struct mu_payload *p, size_t args_size,
			  bool reserved_zero)
{
	return reserved_zero && mu_payload_tail_is_zero(p, args_size);
}

static int mu_op_nop(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_nop *a = mu_payload_args(p, struct miscuring_nop);

	if (!mu_args_clean(p, sizeof(*a), !a->reserved[0] && !a->reserved[1]))
		return mu_cmd_complete(cmd, -EINVAL);
	return mu_cmd_complete(cmd, 0);
}

static int mu_op_hello(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_hello *a = mu_payload_args(p, struct miscuring_hello);

	if (!mu_args_clean(p, sizeof(*a), !a->reserved[0] && !a->reserved[1]))
		return mu_cmd_complete(cmd, -EINVAL);
	dev_info_ratelimited(miscuring_misc.this_device,
			     "hello from io_uring (pid %d)\n",
			     task_tgid_vnr(current));
	return mu_cmd_complete(cmd, 0);
}

static int mu_op_get_value(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_get_value *a =
		mu_payload_args(p, struct miscuring_get_value);
	struct miscuring_file *mf = miscuring_file(mu_cmd_file(cmd));
	u64 addr = le64_to_cpu(a->addr);
	u64 value;

	if (!mu_args_clean(p, sizeof(*a), !a->reserved))
		return mu_cmd_complete(cmd, -EINVAL);
	/* Without a buffer the value can only travel in a CQE32. */
	if (!addr && !mu_cmd_has_cqe32(cmd))
		return mu_cmd_complete(cmd, -EINVAL);

	value = atomic64_read(&mf->value);
	if (addr && put_user(value, (u64 __user *)u64_to_user_ptr(addr)))
		return mu_cmd_complete(cmd, -EFAULT);
	return mu_cmd_complete2(cmd, 0, value);
}

static int mu_op_set_value(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_set_value *a =
		mu_payload_args(p, struct miscuring_set_value);
	struct file *file = mu_cmd_file(cmd);

	if (!mu_args_clean(p, sizeof(*a), !a->reserved))
		return mu_cmd_complete(cmd, -EINVAL);
	if (!miscuring_may_write(file))
		return mu_cmd_complete(cmd, -EBADF);

	miscuring_set_value(miscuring_file(file), le64_to_cpu(a->value));
	return mu_cmd_complete(cmd, 0);
}

static int mu_op_echo(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_echo *a = mu_payload_args(p, struct miscuring_echo);
	u32 len = le32_to_cpu(a->len);
	u32 n;

	/* The tail is ECHO's data: only the reserved word must be zero. */
	if (a->reserved || !len)
		return mu_cmd_complete(cmd, -EINVAL);

	n = min(len, p->size);
	if (copy_to_user(u64_to_user_ptr(le64_to_cpu(a->addr)), p->bytes, n))
		return mu_cmd_complete(cmd, -EFAULT);
	return mu_cmd_complete(cmd, n);
}

static void mu_fill_info(struct miscuring_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi_version = cpu_to_le32(MISCURING_ABI_VERSION);
	info->info_size = cpu_to_le32(sizeof(*info));
	info->features = cpu_to_le64(miscuring_features());
	info->ops = cpu_to_le64(miscuring_ops_known());
	info->payload_sqe64 = cpu_to_le32(MISCURING_PAYLOAD_SQE64);
	info->payload_sqe128 = cpu_to_le32(MISCURING_PAYLOAD_SQE128);
	info->max_delay_usec = cpu_to_le32(MISCURING_DELAY_MAX_USEC);
	info->max_buffer = cpu_to_le32(miscuring_max_buffer);
	strscpy(info->module_version, MISCURING_VERSION,
		sizeof(info->module_version));
}

/* Copies the first len bytes of @st to addr, as PROBE and STATS do. */
/* struct miscuring_probe and miscuring_stats_req share one layout. */
static int mu_copy_out(struct mu_cmd *cmd, const struct mu_payload *p,
		       const void *st, size_t size, u64 res2)
{
	const struct miscuring_stats_req *a =
		mu_payload_args(p, struct miscuring_stats_req);
	u32 len = le32_to_cpu(a->len);
	u32 n;

	if (!mu_args_clean(p, sizeof(*a), !a->reserved) || !len)
		return mu_cmd_complete(cmd, -EINVAL);
	n = min_t(u32, len, size);
	if (copy_to_user(u64_to_user_ptr(le64_to_cpu(a->addr)), st, n))
		return mu_cmd_complete(cmd, -EFAULT);
	return mu_cmd_complete2(cmd, n, res2);
}

static int mu_op_probe(struct mu_cmd *cmd, const struct mu_payload *p)
{
	struct miscuring_info info;

	mu_fill_info(&info);
	return mu_copy_out(cmd, p, &info, sizeof(info),
			   le64_to_cpu(info.features));
}

static int mu_op_stats(struct mu_cmd *cmd, const struct mu_payload *p)
{
	struct miscuring_stats st;

	miscuring_stats_get(&st);
	return mu_copy_out(cmd, p, &st, sizeof(st), 0);
}

static int mu_op_reset_stats(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_nop *a = mu_payload_args(p, struct miscuring_nop);

	if (!mu_args_clean(p, sizeof(*a), !a->reserved[0] && !a->reserved[1]))
		return mu_cmd_complete(cmd, -EINVAL);
	if (!capable(CAP_SYS_ADMIN))
		return mu_cmd_complete(cmd, -EPERM);
	/* It changes state, as SET_VALUE does: a writable open, too. */
	if (!miscuring_may_write(mu_cmd_file(cmd)))
		return mu_cmd_complete(cmd, -EBADF);
	miscuring_stats_reset();
	return mu_cmd_complete(cmd, 0);
}

/* The index of an op in miscuring_ops[]. */
#define MU_NR(op)	MISCURING_CMD_NR(MISCURING_CMD_##op)

/*
 * Every op, by number. The ops that complete every command inline never
 * use its PDU (.no_pdu). Only READ and WRITE (IORING_URING_CMD_FIXED, addr,
 * len and with FIXED buf_index) and WATCH (IORING_URING_CMD_MULTISHOT, and
 * its buffer group in sqe->buf_index) use uring_cmd_flags or SQE fields
 * outside the command area: the kit refuses them for the others (-EINVAL,
 * see the UAPI header).
 */
static const struct mu_cmd_op miscuring_ops[MISCURING_CMD_NR_MAX + 1] = {
	[MU_NR(NOP)]		= { .issue = mu_op_nop,
				    .no_pdu = true },
	[MU_NR(HELLO)]		= { .issue = mu_op_hello,
				    .no_pdu = true },
	[MU_NR(GET_VALUE)]	= { .issue = mu_op_get_value,
				    .no_pdu = true },
	[MU_NR(SET_VALUE)]	= { .issue = mu_op_set_value,
				    .no_pdu = true },
	[MU_NR(ECHO)]		= { .issue = mu_op_echo,
				    .no_pdu = true },
	[MU_NR(DELAY)]		= { .issue = miscuring_op_delay,
				    .cancel = miscuring_cancel_delay },
	[MU_NR(PROBE)]		= { .issue = mu_op_probe,
				    .no_pdu = true },
	[MU_NR(WAIT)]		= { .issue = miscuring_op_wait,
				    .cancel = miscuring_cancel_wait },
	[MU_NR(STATS)]		= { .issue = mu_op_stats,
				    .no_pdu = true },
	[MU_NR(RESET_STATS)]	= { .issue = mu_op_reset_stats,
				    .no_pdu = true },
	[MU_NR(READ)]		= { .issue = miscuring_op_read,
				    .uring_cmd_flags = IORING_URING_CMD_FIXED,
				    .sqe_fields = MU_SQE_ADDR | MU_SQE_LEN },
	[MU_NR(WRITE)]		= { .issue = miscuring_op_write,
				    .uring_cmd_flags = IORING_URING_CMD_FIXED,
				    .sqe_fields = MU_SQE_ADDR | MU_SQE_LEN },
	/* Multishot: only where the kernel has it (else -EOPNOTSUPP). */
	[MU_NR(WATCH)]		= { .issue = MU_CMD_F_MULTISHOT ?
					    miscuring_op_watch : NULL,
				    .cancel = miscuring_cancel_watch,
				    .uring_cmd_flags = MU_CMD_F_MULTISHOT },
	[MU_NR(WATCH_STOP)]	= { .issue = MU_CMD_F_MULTISHOT ?
					    miscuring_op_watch_stop : NULL },
};

const struct mu_cmd_table miscuring_cmds =
	MU_CMD_TABLE(miscuring_ops, MISCURING_CMD(0));
