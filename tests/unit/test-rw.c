/* SPDX-License-Identifier: MIT */
/*
 * The READ and WRITE builders: each form's SQE field by field, on 64- and
 * 128-byte SQEs; the modifiers (registered buffer, ASYNC); the errors,
 * which leave the SQE untouched; buffer registration on the library's
 * ring.
 */
#include "config.h"

#include <limits.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

union sqe_space {
	struct io_uring_sqe sqe;
	uint8_t bytes[128];
};

static void dirty(union sqe_space *u)
{
	memset(u, 0xa5, sizeof(*u));
}

/* The SQE says cmd_op on fd at addr/len, with this payload. */
static void check_rw(const union sqe_space *u, unsigned size, uint32_t cmd_op,
		     uint64_t addr, uint32_t len, uint64_t offset,
		     uint32_t flags, uint32_t nr_vecs, uint64_t user_data)
{
	const uint8_t *p = u->bytes + MU_SQE_CMD_OFFSET;

	CHECK_EQ(u->sqe.opcode, IORING_OP_URING_CMD);
	CHECK_EQ(u->sqe.fd, 3);
	CHECK_EQ(u->sqe.cmd_op, cmd_op);
	CHECK_EQ(u->sqe.addr, addr);
	CHECK_EQ(u->sqe.len, len);
	CHECK_EQ(u->sqe.user_data, user_data);
	CHECK_EQ(u->sqe.uring_cmd_flags, 0);
	CHECK_EQ(u->sqe.buf_index, 0);
	CHECK_EQ(u->sqe.flags, 0);
	CHECK_EQ(mu_get_le64(p), offset);
	CHECK_EQ(mu_get_le32(p + 8), flags);
	CHECK_EQ(mu_get_le32(p + 12), nr_vecs);
	CHECK(mu_all_zero(p + 16, size - MU_SQE_CMD_OFFSET - 16));
}

static void test_builders(unsigned size)
{
	union sqe_space u, old;
	struct iovec iov[2];
	char buf[64];

	dirty(&u);
	CHECK_EQ(miscuring_sqe_read(&u.sqe, size, 3, buf, 64, 4096, 7), 0);
	check_rw(&u, size, MISCURING_CMD_READ, (uintptr_t)buf, 64, 4096, 0, 0, 7);
	dirty(&u);
	CHECK_EQ(miscuring_sqe_write(&u.sqe, size, 3, buf, 0, 1, 8), 0);
	check_rw(&u, size, MISCURING_CMD_WRITE, (uintptr_t)buf, 0, 1, 0, 0, 8);
	dirty(&u);
	CHECK_EQ(miscuring_sqe_readv(&u.sqe, size, 3, iov, 2, INT64_MAX, 9), 0);
	check_rw(&u, size, MISCURING_CMD_READ, (uintptr_t)iov, 0, INT64_MAX,
		 MISCURING_RW_VECTORED, 2, 9);
	dirty(&u);
	CHECK_EQ(miscuring_sqe_writev(&u.sqe, size, 3, NULL, 0, 0, 10), 0);
	check_rw(&u, size, MISCURING_CMD_WRITE, 0, 0, 0, MISCURING_RW_VECTORED,
		 0, 10);

	/* The modifiers. */
	CHECK_EQ(miscuring_sqe_set_fixed(&u.sqe, 5), 0);
	CHECK_EQ(u.sqe.uring_cmd_flags, LIBMISCURING_URING_CMD_FIXED);
	CHECK_EQ(u.sqe.buf_index, 5);
	CHECK_EQ(miscuring_sqe_set_rw_flags(&u.sqe, MISCURING_RW_ASYNC), 0);
	CHECK_EQ(mu_get_le32(u.bytes + MU_SQE_CMD_OFFSET + 8),
		 MISCURING_RW_VECTORED | MISCURING_RW_ASYNC);
	old = u;
	CHECK_EQ(miscuring_sqe_set_fixed(&u.sqe, 65536), -EINVAL);
	CHECK_EQ(miscuring_sqe_set_rw_flags(&u.sqe, MISCURING_RW_VECTORED), -EINVAL);
	CHECK_EQ(miscuring_sqe_set_rw_flags(&u.sqe, 1U << 9), -EINVAL);
	CHECK(!memcmp(&u, &old, sizeof(u)));
	/* ...only on READ and WRITE. */
	CHECK_EQ(miscuring_sqe_nop(&u.sqe, size, 3, 1), 0);
	old = u;
	CHECK_EQ(miscuring_sqe_set_fixed(&u.sqe, 0), -EINVAL);
	CHECK_EQ(miscuring_sqe_set_rw_flags(&u.sqe, MISCURING_RW_ASYNC), -EINVAL);
	CHECK_EQ(miscuring_sqe_set_fixed(NULL, 0), -EINVAL);
	CHECK(!memcmp(&u, &old, sizeof(u)));

	/* Errors leave the SQE alone. */
	dirty(&u);
	old = u;
	CHECK_EQ(miscuring_sqe_read(NULL, size, 3, buf, 1, 0, 1), -EINVAL);
	CHECK_EQ(miscuring_sqe_read(&u.sqe, 96, 3, buf, 1, 0, 1), -EINVAL);
	CHECK_EQ(miscuring_sqe_read(&u.sqe, size, -1, buf, 1, 0, 1), -EBADF);
	CHECK_EQ(miscuring_sqe_write(&u.sqe, size, 3, buf, 1,
				     (uint64_t)INT64_MAX + 1, 1), -EINVAL);
	CHECK_EQ(miscuring_sqe_readv(&u.sqe, size, 3, iov, IOV_MAX + 1, 0, 1),
		 -EINVAL);
	CHECK_EQ(miscuring_sqe_writev(&u.sqe, size, 3, NULL, 1, 0, 1), -EINVAL);
	CHECK(!memcmp(&u, &old, sizeof(u)));
}

static void test_register(void)
{
	struct miscuring_ring *ring = NULL;
	size_t len = 8192;
	void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { .iov_base = mem, .iov_len = len };

	REQUIRE(mem != MAP_FAILED);
	REQUIRE(miscuring_open_fd(-1, 8, 0, &ring) == 0);
	CHECK_EQ(miscuring_register_buffers(NULL, &iov, 1), -EINVAL);
	CHECK_EQ(miscuring_register_buffers(ring, NULL, 1), -EINVAL);
	CHECK_EQ(miscuring_register_buffers(ring, &iov, 0), -EINVAL);
	CHECK_EQ(miscuring_unregister_buffers(NULL), -EINVAL);
	CHECK_EQ(miscuring_unregister_buffers(ring), -ENXIO);
	CHECK_EQ(miscuring_register_buffers(ring, &iov, 1), 0);
	CHECK_EQ(miscuring_register_buffers(ring, &iov, 1), -EBUSY);
	CHECK_EQ(miscuring_unregister_buffers(ring), 0);
	miscuring_close(ring);
	munmap(mem, len);
}

int main(void)
{
	test_builders(64);
	test_builders(128);
	test_register();
	return t_report("rw");
}
