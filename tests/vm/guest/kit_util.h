/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers of the mu_cmd kit's guest tests (kit_*.c): SQEs with one odd
 * property outside the command area, which the kit refuses for every op
 * that did not declare it.
 */
#ifndef KIT_UTIL_H
#define KIT_UTIL_H


#ifndef IORING_URING_CMD_FIXED
#define IORING_URING_CMD_FIXED	(1U << 0)
#endif

enum kit_odd {
	KIT_ODD_NONE, KIT_ODD_FIXED, KIT_ODD_ADDR, KIT_ODD_LEN,
	KIT_ODD_BUF_INDEX, KIT_ODD_FILE_INDEX, KIT_ODD_N,
};

static const char *const kit_odd_names[KIT_ODD_N] = {
	"none", "uring_cmd_flags_fixed", "addr", "len", "buf_index", "file_index",
};

/*
 * Kernels before 6.4 show a driver only the SQE's command area: there the
 * fields outside it are ignored, as the UAPI headers say.
 */
static inline int kit_kernel_shows_sqe(void)
{
	return gt_kernel_at_least(6, 4);
}

/* What the kit answers to a known op with property what: -EINVAL or 0. */
static inline int kit_odd_refused(enum kit_odd what)
{
	return what == KIT_ODD_FIXED || (what != KIT_ODD_NONE && kit_kernel_shows_sqe());
}

/*
 * Submit op with its payload and one odd property; the CQE's res or
 * -errno. FIXED needs a buffer registered at index 0 (io_uring itself
 * fails it otherwise).
 */
static inline int kit_odd_cmd(struct io_uring *ring, int fd, uint32_t op,
			      const void *p, size_t len, enum kit_odd what)
{
	struct io_uring_sqe *sqe;
	struct gt_cqe cqe;
	int ret;

	sqe = gt_prep_cmd(ring, fd, op, p, len, 0x0dd);
	if (!sqe)
		return -ENOSPC;
	switch (what) {
	case KIT_ODD_FIXED: sqe->uring_cmd_flags = IORING_URING_CMD_FIXED; break;
	case KIT_ODD_ADDR: sqe->addr = 0x10000; break;
	case KIT_ODD_LEN: sqe->len = 16; break;
	case KIT_ODD_BUF_INDEX: sqe->buf_index = 3; break;
	case KIT_ODD_FILE_INDEX: sqe->file_index = 2; break;
	default: break;
	}
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = gt_reap(ring, &cqe, GT_WAIT_US);
	return ret ? ret : cqe.res;
}

/*
 * Register one 4 KiB buffer at index 0 of ring: 0 or -errno. Anonymous
 * memory of its own: 6.1 refuses a buffer in a file-backed mapping (a
 * static binary's .data/.bss).
 */
static inline int kit_register_buffer(struct io_uring *ring)
{
	static void *buf;
	struct iovec iov;

	if (!buf) {
		buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED) {
			buf = NULL;
			return -errno;
		}
	}
	iov.iov_base = buf;
	iov.iov_len = 4096;
	return io_uring_register_buffers(ring, &iov, 1);
}

#endif /* KIT_UTIL_H */
