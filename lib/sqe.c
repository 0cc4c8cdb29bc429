/* SPDX-License-Identifier: MIT */
/*
 * Builders on any ring's SQE and the CQE decoder: the layer everything
 * else in the library stands on. Each builder checks its arguments before
 * it writes, so a failed call leaves the SQE as it was, then clears the
 * whole SQE (64 or 128 bytes: stale bytes would reach the driver, and the
 * module rejects non-zero reserved bytes) and fills it.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "internal.h"

_Static_assert(offsetof(struct io_uring_sqe, cmd) == MU_SQE_CMD_OFFSET,
	       "uring_cmd payload offset");
_Static_assert(MU_SQE_CMD_OFFSET + MISCURING_PAYLOAD_SQE64 == 64,
	       "64-byte SQE payload size");
_Static_assert(offsetof(struct io_uring_sqe, addr) == MU_SQE_LEVEL_OFFSET &&
	       offsetof(struct io_uring_sqe, file_index) == MU_SQE_OPTLEN_OFFSET &&
	       offsetof(struct io_uring_sqe, addr3) == MU_SQE_CMD_OFFSET,
	       "socket command words");

/* The payload bytes an SQE of sqe_size has room for; 0 if no such size. */
static inline unsigned mu_payload_room(unsigned sqe_size)
{
	if (sqe_size == 64)
		return MISCURING_PAYLOAD_SQE64;
	if (sqe_size == 128)
		return MISCURING_PAYLOAD_SQE128;
	return 0;
}

/*
 * Clear the SQE and make it a uring_cmd: what io_uring_prep_uring_cmd()
 * (liburing 2.13+) writes, and on a cleared SQE the only non-zero fields.
 * Returns the payload area.
 */
static uint8_t *mu_sqe_start(struct io_uring_sqe *sqe, unsigned sqe_size,
			     int fd, uint32_t cmd_op, uint64_t user_data)
{
	memset(sqe, 0, sqe_size);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
	return mu_sqe_payload(sqe);
}

/* The checks every device-op builder shares. */
static inline int mu_sqe_check(const struct io_uring_sqe *sqe,
			       unsigned sqe_size, int fd)
{
	if (!sqe || !mu_payload_room(sqe_size))
		return -EINVAL;
	return fd < 0 ? -EBADF : 0;
}

int miscuring_sqe_nop(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		      uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (!ret)
		mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_NOP, user_data);
	return ret;
}

int miscuring_sqe_hello(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (!ret)
		mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_HELLO, user_data);
	return ret;
}

/*
 * value NULL asks for the value as the CQE's second result: only a CQE32
 * ring carries it (the module fails the command with -EINVAL elsewhere).
 */
int miscuring_sqe_get_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			    int fd, uint64_t *value, uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (!ret)
		mu_put_get_value(mu_sqe_start(sqe, sqe_size, fd,
					      MISCURING_CMD_GET_VALUE,
					      user_data),
				 (uint64_t)(uintptr_t)value);
	return ret;
}

int miscuring_sqe_set_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			    int fd, uint64_t value, uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (!ret)
		mu_put_set_value(mu_sqe_start(sqe, sqe_size, fd,
					      MISCURING_CMD_SET_VALUE,
					      user_data), value);
	return ret;
}

/*
 * The module copies min(len, payload size) bytes of the payload to buf:
 * the 16-byte struct miscuring_echo, then data (128-byte SQEs only).
 */
int miscuring_sqe_echo(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		       void *buf, uint32_t len, const void *data,
		       size_t data_len, uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);
	uint8_t *p;

	if (ret)
		return ret;
	if (!buf || !len || (data_len && !data))
		return -EINVAL;
	if (data_len > mu_payload_room(sqe_size) - MISCURING_PAYLOAD_SQE64)
		return -EMSGSIZE;
	p = mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_ECHO, user_data);
	mu_put_addr_len(p, (uint64_t)(uintptr_t)buf, len);
	if (data_len)
		memcpy(p + MISCURING_PAYLOAD_SQE64, data, data_len);
	return 0;
}

int miscuring_sqe_delay(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			uint32_t usec, int32_t result, uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (ret)
		return ret;
	if (usec > MISCURING_DELAY_MAX_USEC)
		return -EINVAL;
	mu_put_delay(mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_DELAY,
				  user_data), usec, result);
	return 0;
}

/* PROBE and STATS: the module writes up to len bytes at buf. */
static int mu_sqe_addr_len(struct io_uring_sqe *sqe, unsigned sqe_size,
			   int fd, uint32_t cmd_op, void *buf, uint32_t len,
			   uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (ret)
		return ret;
	if (!buf || !len)
		return -EINVAL;
	mu_put_addr_len(mu_sqe_start(sqe, sqe_size, fd, cmd_op, user_data),
			(uint64_t)(uintptr_t)buf, len);
	return 0;
}

int miscuring_sqe_probe(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			void *buf, uint32_t len, uint64_t user_data)
{
	return mu_sqe_addr_len(sqe, sqe_size, fd, MISCURING_CMD_PROBE, buf, len,
			       user_data);
}

int miscuring_sqe_stats(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			void *buf, uint32_t len, uint64_t user_data)
{
	return mu_sqe_addr_len(sqe, sqe_size, fd, MISCURING_CMD_STATS, buf, len,
			       user_data);
}

/*
 * WAIT completes once the file's value differs from value (at once if it
 * already does), or with -ETIMEDOUT after timeout_usec (0: just look).
 */
int miscuring_sqe_wait_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			     int fd, uint64_t value, uint32_t timeout_usec,
			     uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (ret)
		return ret;
	if (timeout_usec > MISCURING_WAIT_MAX_USEC)
		return -EINVAL;
	mu_put_wait(mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_WAIT,
				 user_data), value, timeout_usec);
	return 0;
}

int miscuring_sqe_reset_stats(struct io_uring_sqe *sqe, unsigned sqe_size,
			      int fd, uint64_t user_data)
{
	int ret = mu_sqe_check(sqe, sqe_size, fd);

	if (!ret)
		mu_sqe_start(sqe, sqe_size, fd, MISCURING_CMD_RESET_STATS,
			     user_data);
	return ret;
}

/*
 * Copy the caller's description into d: the first desc->size bytes, the
 * rest zero. A larger struct than this library knows is fine as long as
 * the fields it does not know are zero (what the kernel's
 * copy_struct_from_user() does): -E2BIG otherwise.
 */
static int mu_desc_copy(const struct miscuring_cmd_desc *desc,
			struct miscuring_cmd_desc *d)
{
	size_t size;

	if (!desc || desc->size < MU_CMD_DESC_SIZE_1_1)
		return -EINVAL;
	size = desc->size;
	if (size > sizeof(*d)) {
		if (!mu_all_zero((const uint8_t *)desc + sizeof(*d),
				 size - sizeof(*d)))
			return -E2BIG;
		size = sizeof(*d);
	}
	memset(d, 0, sizeof(*d));
	memcpy(d, desc, size);
	return 0;
}

int mu_desc_check(const struct miscuring_cmd_desc *desc, unsigned sqe_size,
		  struct miscuring_cmd_desc *d)
{
	unsigned room = mu_payload_room(sqe_size);
	int ret = mu_desc_copy(desc, d);

	if (ret)
		return ret;
	if (!room)
		return -EINVAL;
	if (d->fd < 0)
		return -EBADF;
	if (d->sqe_flags > 0xff || d->resv)
		return -EINVAL;
	if (d->opcode && (d->opcode != LIBMISCURING_OP_URING_CMD128 ||
			  sqe_size != 128))
		return -EINVAL;
	if (d->payload_len && !d->payload)
		return -EINVAL;
	if (d->payload_len > room)
		return -EMSGSIZE;
	/* Fields that share one word of the SQE. */
	if (d->addr && (d->level || d->optname))
		return -EINVAL;
	if (d->file_index && d->optlen)
		return -EINVAL;
	if ((d->optval && d->addr3) ||
	    ((d->optval || d->addr3) && d->payload_len))
		return -EINVAL;
	return 0;
}

/* Write the checked description d into the SQE. */
void mu_desc_fill(struct io_uring_sqe *sqe, unsigned sqe_size,
		  const struct miscuring_cmd_desc *d)
{
	uint8_t *p = mu_sqe_start(sqe, sqe_size, d->fd, d->cmd_op,
				  d->user_data);
	uint64_t word3 = d->optval | d->addr3;

	if (d->opcode)
		sqe->opcode = (uint8_t)d->opcode;
	sqe->flags = (uint8_t)d->sqe_flags;
	sqe->ioprio = d->ioprio;
	if (d->addr) {
		sqe->addr = d->addr;
	} else {
		memcpy((uint8_t *)sqe + MU_SQE_LEVEL_OFFSET, &d->level, 4);
		memcpy((uint8_t *)sqe + MU_SQE_LEVEL_OFFSET + 4, &d->optname, 4);
	}
	sqe->len = d->len;
	sqe->uring_cmd_flags = d->uring_cmd_flags;
	sqe->buf_index = d->buf_index;
	sqe->personality = d->personality;
	sqe->file_index = d->file_index | d->optlen;
	if (d->payload_len)
		memcpy(p, d->payload, d->payload_len);
	else if (word3)
		memcpy(p, &word3, 8);
}

int miscuring_sqe_cmd(struct io_uring_sqe *sqe, unsigned sqe_size,
		      const struct miscuring_cmd_desc *desc)
{
	struct miscuring_cmd_desc d;
	int ret;

	if (!sqe)
		return -EINVAL;
	ret = mu_desc_check(desc, sqe_size, &d);
	if (!ret)
		mu_desc_fill(sqe, sqe_size, &d);
	return ret;
}

/*
 * The kernel reads the 128 bytes from two consecutive slots of the SQ ring
 * and the opcode says so; the builders above already cleared and filled
 * all of them, so only the opcode changes.
 */
int miscuring_sqe_set_cmd128(struct io_uring_sqe *sqe)
{
	if (!sqe || sqe->opcode != IORING_OP_URING_CMD)
		return -EINVAL;
	sqe->opcode = LIBMISCURING_OP_URING_CMD128;
	return 0;
}

int miscuring_cqe_decode(const struct io_uring_cqe *cqe, unsigned ring_flags,
			 struct miscuring_cqe *out)
{
	if (!cqe || !out)
		return -EINVAL;
	return mu_cqe_decode(cqe, ring_flags, out);
}

/*
 * Whether fd is /dev/miscuring. Only a character device can be; for one,
 * PROBE on a small ring of our own must answer with an info this library
 * decodes (other drivers fail the op, /dev/null answers 0 bytes).
 */
int miscuring_identify(int fd, struct miscuring_devinfo *info)
{
	struct miscuring_info raw;
	struct miscuring_devinfo d;
	struct io_uring_cqe *cqe;
	struct io_uring uring;
	struct stat st;
	int ret, res;

	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	ret = io_uring_queue_init(2, &uring, 0);
	if (ret < 0)
		return ret;
	memset(&raw, 0, sizeof(raw));
	miscuring_sqe_probe(io_uring_get_sqe(&uring), 64, fd, &raw,
			    sizeof(raw), 1);
	ret = io_uring_submit(&uring);
	if (ret == 1) {
		do {
			ret = io_uring_wait_cqe(&uring, &cqe);
		} while (ret == -EINTR);
	} else if (ret >= 0) {
		ret = -EAGAIN;
	}
	res = ret ? ret : cqe->res;
	io_uring_queue_exit(&uring);
	if (ret)
		return ret;
	if (res <= 0 || miscuring_decode_info(&raw, (size_t)res, &d))
		return -ENOTTY;
	if (info)
		*info = d;
	return 0;
}
