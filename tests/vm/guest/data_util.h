/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers of the data-op guest tests (data_*.c): READ and WRITE in each
 * form of data (user buffer, iovecs, registered buffer, registered
 * iovecs), inline or ASYNC.
 */
#ifndef DATA_UTIL_H
#define DATA_UTIL_H

#include "guest_test.h"

#include <limits.h>
#include <sys/uio.h>

#ifndef IORING_URING_CMD_FIXED
#define IORING_URING_CMD_FIXED	(1U << 0)
#endif

enum dt_form { DT_PLAIN, DT_VEC, DT_FIXED, DT_FIXED_VEC, DT_FORMS };

static const char *const dt_form_names[DT_FORMS] = {
	"plain", "vec", "fixed", "fixed_vec",
};

static inline int dt_fixed(enum dt_form f)
{
	return f == DT_FIXED || f == DT_FIXED_VEC;
}

static inline int dt_vec(enum dt_form f)
{
	return f == DT_VEC || f == DT_FIXED_VEC;
}

/* The module's features (PROBE), or 0. */
static inline uint64_t dt_features(struct io_uring *ring, int fd)
{
	struct miscuring_info info;
	struct miscuring_probe p = gt_probe_payload(&info, sizeof(info));
	struct gt_cqe cqe;

	memset(&info, 0, sizeof(info));
	if (gt_cmd_sync(ring, fd, MISCURING_CMD_PROBE, &p, sizeof(p), &cqe) ||
	    cqe.res <= 0)
		return 0;
	return le64toh(info.features);
}

/*
 * Prepare a READ (write == 0) or WRITE at offset: for the vectored forms
 * addr is the iovec array and nr its count, else addr/len the data.
 * flags: MISCURING_RW_ASYNC and the like (VECTORED is added for the
 * vectored forms). NULL when the SQ ring is full.
 */
static inline struct io_uring_sqe *
dt_prep(struct io_uring *ring, int fd, int write, enum dt_form form,
	uint64_t offset, const void *addr, uint32_t len_or_nr, uint32_t flags,
	uint16_t buf_index, uint64_t user_data)
{
	struct miscuring_rw p = { .offset = htole64(offset) };
	struct io_uring_sqe *sqe;

	if (dt_vec(form)) {
		flags |= MISCURING_RW_VECTORED;
		p.nr_vecs = htole32(len_or_nr);
	}
	p.flags = htole32(flags);
	sqe = gt_prep_cmd(ring, fd, write ? MISCURING_CMD_WRITE : MISCURING_CMD_READ,
			  &p, sizeof(p), user_data);
	if (!sqe)
		return NULL;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->len = dt_vec(form) ? 0 : len_or_nr;
	if (dt_fixed(form)) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = buf_index;
	}
	return sqe;
}

/* Submit what is prepared and reap one CQE: its res, or -errno. */
static inline int dt_submit_one(struct io_uring *ring)
{
	struct gt_cqe cqe;
	int ret = io_uring_submit(ring);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = gt_reap(ring, &cqe, GT_WAIT_US);
	return ret ? ret : cqe.res;
}

/* One READ or WRITE, synchronously: the CQE's res, or -errno. */
static inline int dt_rw(struct io_uring *ring, int fd, int write,
			enum dt_form form, uint64_t offset, const void *addr,
			uint32_t len_or_nr, uint32_t flags, uint16_t buf_index)
{
	if (!dt_prep(ring, fd, write, form, offset, addr, len_or_nr, flags,
		     buf_index, 0xda7a))
		return -ENOSPC;
	return dt_submit_one(ring);
}

/* Anonymous memory (6.1 registers no file-backed pages), or NULL. */
static inline void *dt_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#endif /* DATA_UTIL_H */
