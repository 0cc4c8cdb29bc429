/* SPDX-License-Identifier: MIT */
/*
 * Wire payloads of the miscuring ops <-> struct miscuring_args, and
 * struct miscuring_info -> struct miscuring_devinfo.
 *
 * Both directions apply the same rules (mu_check_args()), so whatever
 * miscuring_decode() accepts, miscuring_encode() turns back into the same
 * bytes. Every read and write stays inside the size the caller gave.
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

/* What an op's payload carries besides reserved bytes. */
#define MU_ADDR		(1U << 0)	/* addr at 0 */
#define MU_NEED_ADDR	(1U << 1)	/* ... and it must not be 0 */
#define MU_LEN		(1U << 2)	/* len at 8, not 0 */
#define MU_VALUE	(1U << 3)	/* value at 0 */
#define MU_USEC		(1U << 4)	/* usec at usec_off, up to usec_max */
#define MU_RESULT	(1U << 5)	/* result at 4 */
#define MU_DATA		(1U << 6)	/* the bytes after the struct */
#define MU_NO_ARGS	(1U << 7)	/* struct miscuring_args cannot hold it */

struct mu_op {
	const char	*name;
	unsigned	fields;
	size_t		reserved;	/* reserved bytes run from here to 16 */
	size_t		usec_off;
	uint32_t	usec_max;
};

#define MU_BUF_OP	(MU_ADDR | MU_NEED_ADDR | MU_LEN)

static const struct mu_op mu_ops[] = {
	[1] = { "nop", 0, offsetof(struct miscuring_nop, reserved), 0, 0 },
	[2] = { "hello", 0, offsetof(struct miscuring_hello, reserved), 0, 0 },
	[3] = { "get_value", MU_ADDR,
		offsetof(struct miscuring_get_value, reserved), 0, 0 },
	[4] = { "set_value", MU_VALUE,
		offsetof(struct miscuring_set_value, reserved), 0, 0 },
	[5] = { "echo", MU_BUF_OP | MU_DATA,
		offsetof(struct miscuring_echo, reserved), 0, 0 },
	[6] = { "delay", MU_USEC | MU_RESULT,
		offsetof(struct miscuring_delay, reserved),
		offsetof(struct miscuring_delay, usec), MISCURING_DELAY_MAX_USEC },
	[7] = { "probe", MU_BUF_OP, offsetof(struct miscuring_probe, reserved),
		0, 0 },
	[8] = { "wait", MU_VALUE | MU_USEC,
		offsetof(struct miscuring_wait, reserved),
		offsetof(struct miscuring_wait, timeout_usec),
		MISCURING_WAIT_MAX_USEC },
	[9] = { "stats", MU_BUF_OP,
		offsetof(struct miscuring_stats_req, reserved), 0, 0 },
	/* RESET_STATS has no struct: all 16 bytes are reserved. */
	[10] = { "reset_stats", 0, 0, 0, 0 },
	/* READ/WRITE: offset, flags, nr_vecs (miscuring_sqe_read() builds them) */
	[11] = { "read", MU_NO_ARGS, 0, 0, 0 },
	[12] = { "write", MU_NO_ARGS, 0, 0, 0 },
};

/* Where the shared fields are, in every struct that has them. */
#define MU_SAME_OFFSET(a, b, f)						\
	(offsetof(struct a, f) == offsetof(struct b, f))
_Static_assert(MU_SAME_OFFSET(miscuring_echo, miscuring_probe, addr) &&
	       MU_SAME_OFFSET(miscuring_echo, miscuring_probe, len) &&
	       MU_SAME_OFFSET(miscuring_echo, miscuring_stats_req, addr) &&
	       MU_SAME_OFFSET(miscuring_echo, miscuring_stats_req, len) &&
	       MU_SAME_OFFSET(miscuring_echo, miscuring_get_value, addr) &&
	       MU_SAME_OFFSET(miscuring_set_value, miscuring_wait, value),
	       "payload layouts");

#define MU_DATA_MAX	(MISCURING_PAYLOAD_SQE128 - MISCURING_PAYLOAD_SQE64)

static const struct mu_op *mu_op_get(uint32_t cmd_op)
{
	uint32_t nr = MISCURING_CMD_NR(cmd_op);

	if (cmd_op >> 16 != MISCURING_CMD_MAGIC ||
	    nr >= sizeof(mu_ops) / sizeof(mu_ops[0]) || !mu_ops[nr].name)
		return NULL;
	return &mu_ops[nr];
}

const char *miscuring_op_name(uint32_t cmd_op)
{
	const struct mu_op *op = mu_op_get(cmd_op);

	if (op)
		return op->name;
	/*
	 * Named, but not in the codec: struct miscuring_args has no place
	 * for their tag and flags (miscuring_watch_start() builds its own).
	 */
	if (cmd_op == MISCURING_CMD_WATCH)
		return "watch";
	if (cmd_op == MISCURING_CMD_WATCH_STOP)
		return "watch_stop";
	return NULL;
}

static int mu_check_size(size_t size)
{
	if (size != MISCURING_PAYLOAD_SQE64 && size != MISCURING_PAYLOAD_SQE128)
		return -EMSGSIZE;
	return 0;
}

/* The rules of one op, in host order; size is the payload's. */
static int mu_check_args(const struct mu_op *op,
			 const struct miscuring_args *args, size_t size)
{
	unsigned f = op->fields;

	if ((!(f & MU_ADDR) && args->addr) || (!(f & MU_LEN) && args->len) ||
	    (!(f & MU_VALUE) && args->value) || (!(f & MU_USEC) && args->usec) ||
	    (!(f & MU_RESULT) && args->result))
		return -EINVAL;
	if ((f & MU_NEED_ADDR) && !args->addr)
		return -EINVAL;
	if ((f & MU_LEN) && !args->len)
		return -EINVAL;
	if ((f & MU_USEC) && args->usec > op->usec_max)
		return -EINVAL;
	if (!(f & MU_DATA) && args->data_len)
		return -EINVAL;
	if (args->data_len > size - MISCURING_PAYLOAD_SQE64)
		return -EMSGSIZE;
	if (args->data_len > MU_DATA_MAX ||
	    !mu_all_zero(args->data + args->data_len,
			 MU_DATA_MAX - args->data_len))
		return -EINVAL;
	return 0;
}

int miscuring_encode(const struct miscuring_args *args, void *payload,
		     size_t size)
{
	const struct mu_op *op;
	uint8_t *p = payload;
	int ret;

	if (!args || !payload)
		return -EINVAL;
	ret = mu_check_size(size);
	if (ret)
		return ret;
	op = mu_op_get(args->cmd_op);
	if (!op || (op->fields & MU_NO_ARGS))
		return -EOPNOTSUPP;
	ret = mu_check_args(op, args, size);
	if (ret)
		return ret;

	memset(p, 0, size);
	if (op->fields & MU_ADDR)
		mu_put_le64(p + offsetof(struct miscuring_echo, addr), args->addr);
	if (op->fields & MU_LEN)
		mu_put_le32(p + offsetof(struct miscuring_echo, len), args->len);
	if (op->fields & MU_VALUE)
		mu_put_le64(p + offsetof(struct miscuring_set_value, value),
			    args->value);
	if (op->fields & MU_USEC)
		mu_put_le32(p + op->usec_off, args->usec);
	if (op->fields & MU_RESULT)
		mu_put_le32(p + offsetof(struct miscuring_delay, result),
			    (uint32_t)args->result);
	memcpy(p + MISCURING_PAYLOAD_SQE64, args->data, args->data_len);
	return 0;
}

/* Decode into *args; on failure *args is left untouched. */
int miscuring_decode(uint32_t cmd_op, const void *payload, size_t size,
		     struct miscuring_args *args)
{
	struct miscuring_args a;
	const struct mu_op *op;
	const uint8_t *p = payload;
	int ret;

	if (!args || !payload)
		return -EINVAL;
	ret = mu_check_size(size);
	if (ret)
		return ret;
	op = mu_op_get(cmd_op);
	if (!op || (op->fields & MU_NO_ARGS))
		return -EOPNOTSUPP;
	if (!mu_all_zero(p + op->reserved, MISCURING_PAYLOAD_SQE64 - op->reserved))
		return -EINVAL;

	memset(&a, 0, sizeof(a));
	a.cmd_op = cmd_op;
	if (op->fields & MU_ADDR)
		a.addr = mu_get_le64(p + offsetof(struct miscuring_echo, addr));
	if (op->fields & MU_LEN)
		a.len = mu_get_le32(p + offsetof(struct miscuring_echo, len));
	if (op->fields & MU_VALUE)
		a.value = mu_get_le64(p + offsetof(struct miscuring_set_value,
						   value));
	if (op->fields & MU_USEC)
		a.usec = mu_get_le32(p + op->usec_off);
	if (op->fields & MU_RESULT)
		a.result = (int32_t)mu_get_le32(p +
				offsetof(struct miscuring_delay, result));

	/* The 64 bytes after the struct are ECHO's data, zero for the rest. */
	if (op->fields & MU_DATA) {
		a.data_len = (uint32_t)(size - MISCURING_PAYLOAD_SQE64);
		memcpy(a.data, p + MISCURING_PAYLOAD_SQE64, a.data_len);
	} else if (!mu_all_zero(p + MISCURING_PAYLOAD_SQE64,
				size - MISCURING_PAYLOAD_SQE64)) {
		return -EINVAL;
	}

	ret = mu_check_args(op, &a, size);
	if (!ret)
		*args = a;
	return ret;
}
