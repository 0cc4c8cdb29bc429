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
#define MU_ADDR		(1U << 0)	/* addr; ECHO and PROBE need one */
#define MU_LEN		(1U << 1)	/* len, not 0 */
#define MU_VALUE	(1U << 2)	/* value */
#define MU_DELAY	(1U << 3)	/* usec and result */
#define MU_DATA		(1U << 4)	/* the bytes after the struct */
#define MU_NEED_ADDR	(1U << 5)

struct mu_op {
	const char	*name;
	unsigned	fields;
	size_t		reserved;	/* reserved bytes run from here to 16 */
};

static const struct mu_op mu_ops[] = {
	[1] = { "nop", 0, offsetof(struct miscuring_nop, reserved) },
	[2] = { "hello", 0, offsetof(struct miscuring_hello, reserved) },
	[3] = { "get_value", MU_ADDR,
		offsetof(struct miscuring_get_value, reserved) },
	[4] = { "set_value", MU_VALUE,
		offsetof(struct miscuring_set_value, reserved) },
	[5] = { "echo", MU_ADDR | MU_NEED_ADDR | MU_LEN | MU_DATA,
		offsetof(struct miscuring_echo, reserved) },
	[6] = { "delay", MU_DELAY, offsetof(struct miscuring_delay, reserved) },
	[7] = { "probe", MU_ADDR | MU_NEED_ADDR | MU_LEN,
		offsetof(struct miscuring_probe, reserved) },
};

/* ECHO and PROBE share the addr/len writer. */
_Static_assert(offsetof(struct miscuring_echo, addr) ==
	       offsetof(struct miscuring_probe, addr) &&
	       offsetof(struct miscuring_echo, len) ==
	       offsetof(struct miscuring_probe, len), "echo/probe layout");

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

	return op ? op->name : NULL;
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
	    (!(f & MU_VALUE) && args->value) ||
	    (!(f & MU_DELAY) && (args->usec || args->result)))
		return -EINVAL;
	if ((f & MU_NEED_ADDR) && !args->addr)
		return -EINVAL;
	if ((f & MU_LEN) && !args->len)
		return -EINVAL;
	if ((f & MU_DELAY) && args->usec > MISCURING_DELAY_MAX_USEC)
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
	if (!op)
		return -EOPNOTSUPP;
	ret = mu_check_args(op, args, size);
	if (ret)
		return ret;

	memset(p, 0, size);
	if (op->fields & MU_LEN)
		mu_put_addr_len(p, args->addr, args->len);
	else if (op->fields & MU_ADDR)
		mu_put_get_value(p, args->addr);
	if (op->fields & MU_VALUE)
		mu_put_set_value(p, args->value);
	if (op->fields & MU_DELAY)
		mu_put_delay(p, args->usec, args->result);
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
	if (!op)
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
	if (op->fields & MU_DELAY) {
		a.usec = mu_get_le32(p + offsetof(struct miscuring_delay, usec));
		a.result = (int32_t)mu_get_le32(p +
				offsetof(struct miscuring_delay, result));
	}

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
