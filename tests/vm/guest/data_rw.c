// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * READ and WRITE, the data ops: every form of data (user buffer, iovecs,
 * registered buffer, registered iovecs), inline and ASYNC, at the
 * boundary sizes 0, 1, page-1, page, page+1, max_buffer and past it, at
 * aligned and unaligned addresses, each checked byte for byte against the
 * classic pread/pwrite on the same buffer; then every errno the UAPI
 * header promises, and faults part-way.
 */
#include "data_util.h"

#define PG	4096u

static size_t max_buf;
static uint8_t *mem;		/* registered at index 0 of the ring */
static size_t mem_len;
static uint8_t *ref;		/* what the device should hold */
static uint8_t *chk;
static uint64_t feats;

/* iovecs over [base, base + n): a third, an empty one, the rest. */
static void split3(struct iovec *iov, uint8_t *base, size_t n)
{
	iov[0] = (struct iovec){ base, n / 3 };
	iov[1] = (struct iovec){ base + n / 3, 0 };
	iov[2] = (struct iovec){ base + n / 3, n - n / 3 };
}

/*
 * A transfer of n bytes at buf in form f. Registered vectors take no
 * empty iovec (the kernel refuses one, see test_fixed_vec_empty()): the
 * empty ones are left out there.
 */
static int rw_form(struct io_uring *ring, int fd, int write, enum dt_form f,
		   uint64_t off, uint8_t *buf, size_t n, uint32_t flags)
{
	struct iovec iov[3], full[3];
	uint32_t nr = 0;

	if (!dt_vec(f))
		return dt_rw(ring, fd, write, f, off, buf, (uint32_t)n, flags, 0);
	split3(iov, buf, n);
	if (f != DT_FIXED_VEC)
		return dt_rw(ring, fd, write, f, off, iov, 3, flags, 0);
	for (int i = 0; i < 3; i++)
		if (iov[i].iov_len)
			full[nr++] = iov[i];
	return dt_rw(ring, fd, write, f, off, full, nr, flags, 0);
}

/* Fill the whole device buffer (max_buf bytes) with fresh random bytes. */
static int reset_device(int fd)
{
	gt_fill_random(ref, max_buf);
	return pwrite(fd, ref, max_buf, 0) == (ssize_t)max_buf ? 0 : -EIO;
}

static void test_sizes(struct io_uring *ring, int fd, enum dt_form f,
		       uint32_t flags)
{
	const size_t sizes[] = { 0, 1, PG - 1, PG, PG + 1, max_buf, max_buf + 1 };
	const size_t misalign[] = { 0, 1, 7 };

	gt_begin("sizes_%s%s", dt_form_names[f],
		 flags & MISCURING_RW_ASYNC ? "_async" : "");
	if (f == DT_FIXED_VEC && !(feats & MISCURING_FEAT_FIXED_VEC)) {
		gt_skip("no vectored registered buffers on this kernel");
		goto out;
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (size_t j = 0; j < sizeof(misalign) / sizeof(misalign[0]); j++) {
			size_t n = sizes[i], exp = n < max_buf ? n : max_buf;
			uint8_t *buf = mem + misalign[j];
			int res;

			/* WRITE: the device holds what was written, the rest stays. */
			CHECK(reset_device(fd) == 0, "pwrite failed");
			gt_fill_random(buf, n);
			res = rw_form(ring, fd, 1, f, 0, buf, n, flags);
			CHECK(res == (int)exp, "WRITE of %zu at +%zu: res %s, expected %zu",
			      n, misalign[j], gt_errname(res), exp);
			memcpy(ref, buf, exp);
			CHECK_SYS(pread(fd, chk, max_buf, 0), (long)max_buf);
			CHECK(!memcmp(chk, ref, max_buf), "WRITE of %zu at +%zu: the "
			      "device differs from what was written", n, misalign[j]);

			/* READ: the bytes, and nothing past res touched. */
			memset(buf, 0xee, n + 16);
			res = rw_form(ring, fd, 0, f, 0, buf, n, flags);
			CHECK(res == (int)exp, "READ of %zu at +%zu: res %s, expected %zu",
			      n, misalign[j], gt_errname(res), exp);
			CHECK(!memcmp(buf, ref, exp), "READ of %zu at +%zu: wrong bytes",
			      n, misalign[j]);
			for (size_t k = exp; k < n + 16; k++)
				CHECK(buf[k] == 0xee, "READ of %zu returned %zu but wrote "
				      "byte %zu", n, exp, k);
		}
	}
	/* At the end: short, 0, -EFBIG, cut. */
	CHECK_RES(rw_form(ring, fd, 0, f, max_buf - 1, mem, PG, flags), 1);
	CHECK(mem[0] == ref[max_buf - 1], "READ of the last byte: wrong byte");
	CHECK_RES(rw_form(ring, fd, 0, f, max_buf, mem, PG, flags), 0);
	CHECK_RES(rw_form(ring, fd, 0, f, max_buf + PG, mem, PG, flags), 0);
	CHECK_RES(rw_form(ring, fd, 1, f, max_buf, mem, PG, flags), -EFBIG);
	CHECK_RES(rw_form(ring, fd, 1, f, max_buf, mem, 0, flags), 0);
	CHECK_RES(rw_form(ring, fd, 1, f, max_buf - 1, mem, 2, flags), 1);
	/* Unaligned offsets, inside. */
	CHECK(reset_device(fd) == 0, "pwrite failed");
	gt_fill_random(mem + 3, 3 * PG);
	CHECK_RES(rw_form(ring, fd, 1, f, 4093, mem + 3, 3 * PG, flags), 3 * PG);
	memcpy(ref + 4093, mem + 3, 3 * PG);
	CHECK_SYS(pread(fd, chk, max_buf, 0), (long)max_buf);
	CHECK(!memcmp(chk, ref, max_buf), "WRITE at offset 4093: device differs");
	CHECK_RES(rw_form(ring, fd, 0, f, 1, mem + 5, 2 * PG + 1, flags), 2 * PG + 1);
	CHECK(!memcmp(mem + 5, ref + 1, 2 * PG + 1), "READ at offset 1: wrong bytes");
out:
	gt_end();
}

static void test_features(void)
{
	gt_begin("features");
	CHECK(feats & MISCURING_FEAT_RW_CMD, "MISCURING_FEAT_RW_CMD not set: 0x%llx",
	      (unsigned long long)feats);
	CHECK(!!(feats & MISCURING_FEAT_FIXED_VEC) == gt_kernel_at_least(6, 15),
	      "MISCURING_FEAT_FIXED_VEC %s on this kernel",
	      feats & MISCURING_FEAT_FIXED_VEC ? "set" : "not set");
out:
	gt_end();
}

static void test_fixed_vec_unsupported(struct io_uring *ring, int fd)
{
	struct iovec iov = { .iov_base = mem, .iov_len = 16 };

	gt_begin("fixed_vec_unsupported");
	if (feats & MISCURING_FEAT_FIXED_VEC) {
		gt_skip("the kernel has vectored registered buffers");
		goto out;
	}
	CHECK_RES(dt_rw(ring, fd, 0, DT_FIXED_VEC, 0, &iov, 1, 0, 0), -EOPNOTSUPP);
	CHECK_RES(dt_rw(ring, fd, 1, DT_FIXED_VEC, 0, &iov, 1, 0, 0), -EOPNOTSUPP);
out:
	gt_end();
}

/* An empty iovec in a registered vector: the kernel says -EFAULT. */
static void test_fixed_vec_empty(struct io_uring *ring, int fd)
{
	struct iovec iov[2] = {
		{ .iov_base = mem, .iov_len = 16 },
		{ .iov_base = mem + 16, .iov_len = 0 },
	};

	gt_begin("fixed_vec_empty_iovec");
	if (!(feats & MISCURING_FEAT_FIXED_VEC)) {
		gt_skip("no vectored registered buffers on this kernel");
		goto out;
	}
	for (int w = 0; w <= 1; w++) {
		CHECK_RES(dt_rw(ring, fd, w, DT_FIXED_VEC, 0, iov, 2, 0, 0), -EFAULT);
		CHECK_RES(dt_rw(ring, fd, w, DT_FIXED_VEC, 0, iov, 1, 0, 0), 16);
		CHECK_RES(dt_rw(ring, fd, w, DT_FIXED_VEC, 0, iov, 0, 0, 0), 0);
	}
out:
	gt_end();
}

static void test_einval(struct io_uring *ring, int fd)
{
	struct iovec iov[2] = {
		{ .iov_base = mem, .iov_len = 16 },
		{ .iov_base = mem + 16, .iov_len = (size_t)SSIZE_MAX + 1 },
	};
	struct io_uring ring128 = {};
	struct miscuring_rw p128[5] = {};
	struct io_uring_sqe *sqe;
	struct iovec *many = NULL;

	gt_begin("einval");
	for (int w = 0; w <= 1; w++) {
		CHECK_RES(dt_rw(ring, fd, w, DT_PLAIN, 0, mem, 16, 1u << 7, 0), -EINVAL);
		CHECK_RES(dt_rw(ring, fd, w, DT_PLAIN, 1ull << 63, mem, 16, 0, 0), -EINVAL);
		CHECK_RES(dt_rw(ring, fd, w, DT_PLAIN, 0, mem, 16, MISCURING_RW_ASYNC, 0),
			  -EINVAL);
		CHECK_RES(dt_rw(ring, fd, w, DT_VEC, 0, iov, 2, 0, 0), -EINVAL);
		CHECK_RES(dt_rw(ring, fd, w, DT_VEC, 0, iov, 1025, 0, 0), -EINVAL);
		/* nr_vecs without VECTORED */
		sqe = dt_prep(ring, fd, w, DT_PLAIN, 0, mem, 16, 0, 0, 1);
		CHECK(sqe, "no SQE");
		((struct miscuring_rw *)sqe->cmd)->nr_vecs = htole32(1);
		CHECK_RES(dt_submit_one(ring), -EINVAL);
		/* VECTORED with sqe->len */
		if (gt_kernel_at_least(6, 4)) {
			sqe = dt_prep(ring, fd, w, DT_VEC, 0, iov, 1, 0, 0, 1);
			CHECK(sqe, "no SQE");
			sqe->len = 16;
			CHECK_RES(dt_submit_one(ring), -EINVAL);
		}
	}
	/* A byte of the SQE128 tail. */
	CHECK(gt_ring_init(&ring128, 8, GT_RING_SQE128) == 0, "SQE128 ring");
	p128[0].flags = 0;
	((uint8_t *)p128)[40] = 1;
	sqe = gt_prep_cmd(&ring128, fd, MISCURING_CMD_READ, p128, sizeof(p128), 2);
	CHECK(sqe, "no SQE");
	sqe->addr = (uint64_t)(uintptr_t)mem;
	sqe->len = 16;
	CHECK_RES(dt_submit_one(&ring128), -EINVAL);
	/* ...and a clean one works there. */
	((uint8_t *)p128)[40] = 0;
	sqe = gt_prep_cmd(&ring128, fd, MISCURING_CMD_READ, p128, sizeof(p128), 2);
	CHECK(sqe, "no SQE");
	sqe->addr = (uint64_t)(uintptr_t)mem;
	sqe->len = 16;
	CHECK_RES(dt_submit_one(&ring128), 16);
	/* UIO_MAXIOV iovecs are fine. */
	many = calloc(1024, sizeof(*many));
	CHECK(many, "calloc");
	for (int i = 0; i < 1024; i++)
		many[i] = (struct iovec){ mem + 2 * i, 1 };
	CHECK_RES(dt_rw(ring, fd, 0, DT_VEC, 0, many, 1024, 0, 0), 1024);
	CHECK(reset_device(fd) == 0, "pwrite");
	CHECK_RES(dt_rw(ring, fd, 0, DT_VEC, 0, many, 1024, 0, 0), 1024);
	for (int i = 0; i < 1024; i++)
		CHECK(mem[2 * i] == ref[i], "1024 iovecs: byte %d wrong", i);
out:
	free(many);
	gt_ring_exit(&ring128);
	gt_end();
}

static void test_efault(struct io_uring *ring, int fd)
{
	void *kaddr = (void *)0xffff888000000000ull;
	struct iovec bad[2] = {
		{ .iov_base = mem, .iov_len = 16 },
		{ .iov_base = kaddr, .iov_len = 16 },
	};
	void *hole = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	gt_begin("efault");
	CHECK(hole != MAP_FAILED, "mmap");
	CHECK(reset_device(fd) == 0, "pwrite");
	for (int w = 0; w <= 1; w++) {
		CHECK_RES(dt_rw(ring, fd, w, DT_PLAIN, 0, kaddr, 16, 0, 0), -EFAULT);
		CHECK_RES(dt_rw(ring, fd, w, DT_PLAIN, 0, hole, 16, 0, 0), -EFAULT);
		CHECK_RES(dt_rw(ring, fd, w, DT_VEC, 0, kaddr, 1, 0, 0), -EFAULT);
		CHECK_RES(dt_rw(ring, fd, w, DT_VEC, 0, hole, 2, 0, 0), -EFAULT);
		CHECK_RES(dt_rw(ring, fd, w, DT_VEC, 0, bad, 2, 0, 0), -EFAULT);
	}
	CHECK_SYS(pread(fd, chk, max_buf, 0), (long)max_buf);
	CHECK(!memcmp(chk, ref, max_buf), "a failed WRITE changed the device");
out:
	if (hole != MAP_FAILED)
		munmap(hole, PG);
	gt_end();
}

static void test_registered_errors(struct io_uring *ring, int fd)
{
	struct io_uring bare = {};

	gt_begin("registered_errors");
	for (int w = 0; w <= 1; w++) {
		for (uint32_t fl = 0; fl <= MISCURING_RW_ASYNC; fl += MISCURING_RW_ASYNC) {
			CHECK_RES(dt_rw(ring, fd, w, DT_FIXED, 0, mem, 16, fl, 1), -EFAULT);
			CHECK_RES(dt_rw(ring, fd, w, DT_FIXED, 0, mem, 16, fl, 0xffff),
				  -EFAULT);
			CHECK_RES(dt_rw(ring, fd, w, DT_FIXED, 0, mem - 1, 16, fl, 0),
				  -EFAULT);
			CHECK_RES(dt_rw(ring, fd, w, DT_FIXED, 0, mem + mem_len - 8, 16,
					fl, 0), -EFAULT);
			CHECK_RES(dt_rw(ring, fd, w, DT_FIXED, 0, mem + mem_len - 16, 16,
					fl, 0), 16);
		}
	}
	/* A ring with no registered buffer at all. */
	CHECK(gt_ring_init(&bare, 4, GT_RING_PLAIN) == 0, "ring");
	CHECK_RES(dt_rw(&bare, fd, 0, DT_FIXED, 0, mem, 16, 0, 0), -EFAULT);
out:
	gt_ring_exit(&bare);
	gt_end();
}

static void test_ebadf(void)
{
	struct io_uring ring = {};
	int fd = -1;

	gt_begin("ebadf_read_only");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDONLY);
	CHECK_RES(dt_rw(&ring, fd, 1, DT_PLAIN, 0, mem, 16, 0, 0), -EBADF);
	CHECK_RES(dt_rw(&ring, fd, 1, DT_PLAIN, 0, mem, 0, 0, 0), -EBADF);
	CHECK_RES(dt_rw(&ring, fd, 0, DT_PLAIN, 0, mem, 16, 0, 0), 16);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* Two pages, the second PROT_NONE: transfers stop at the first's end. */
static void test_fault_partway(struct io_uring *ring, int fd)
{
	uint8_t *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov[2];
	int res;

	gt_begin("fault_partway");
	CHECK(two != MAP_FAILED, "mmap");
	CHECK(mprotect(two + PG, PG, PROT_NONE) == 0, "mprotect");
	for (enum dt_form f = DT_PLAIN; f <= DT_VEC; f++) {
		CHECK(reset_device(fd) == 0, "pwrite");
		memset(two, 'B', PG);
		iov[0] = (struct iovec){ two, PG };
		iov[1] = (struct iovec){ two + PG, PG };
		res = f == DT_VEC ? dt_rw(ring, fd, 1, f, 100, iov, 2, 0, 0)
				  : dt_rw(ring, fd, 1, f, 100, two, 2 * PG, 0, 0);
		CHECK(res > 0 && res <= (int)PG, "%s WRITE over a hole: res %s, "
		      "expected 1..4096", dt_form_names[f], gt_errname(res));
		memset(ref + 100, 'B', (size_t)res);
		CHECK_SYS(pread(fd, chk, max_buf, 0), (long)max_buf);
		CHECK(!memcmp(chk, ref, max_buf), "%s WRITE of %d over a hole changed "
		      "bytes past them", dt_form_names[f], res);
		memset(two, 0xee, PG);
		res = f == DT_VEC ? dt_rw(ring, fd, 0, f, 100, iov, 2, 0, 0)
				  : dt_rw(ring, fd, 0, f, 100, two, 2 * PG, 0, 0);
		CHECK(res > 0 && res <= (int)PG, "%s READ into a hole: res %s",
		      dt_form_names[f], gt_errname(res));
		CHECK(!memcmp(two, ref + 100, (size_t)res), "%s READ into a hole: "
		      "wrong bytes", dt_form_names[f]);
	}
out:
	if (two != MAP_FAILED)
		munmap(two, 2 * PG);
	gt_end();
}

/* From io-wq: fine from 6.4; before, the SQE is gone: -EOPNOTSUPP. */
static void test_iosqe_async(struct io_uring *ring, int fd)
{
	int exp = gt_kernel_at_least(6, 4) ? 16 : -EOPNOTSUPP;
	struct io_uring_sqe *sqe;

	gt_begin("iosqe_async");
	CHECK(reset_device(fd) == 0, "pwrite");
	sqe = dt_prep(ring, fd, 0, DT_PLAIN, 0, mem, 16, 0, 0, 3);
	CHECK(sqe, "no SQE");
	sqe->flags |= IOSQE_ASYNC;
	CHECK_RES(dt_submit_one(ring), exp);
	if (exp > 0)
		CHECK(!memcmp(mem, ref, 16), "IOSQE_ASYNC READ: wrong bytes");
	sqe = dt_prep(ring, fd, 0, DT_FIXED, 0, mem, 16, 0, 0, 3);
	CHECK(sqe, "no SQE");
	sqe->flags |= IOSQE_ASYNC;
	CHECK_RES(dt_submit_one(ring), exp);
out:
	gt_end();
}

int main(void)
{
	struct io_uring ring = {};
	struct iovec reg;
	long long mb;
	int fd = -1, ret;

	gt_init("data_rw", 280);
	gt_srand((uint64_t)time(NULL));
	gt_begin("setup");
	mb = gt_max_buffer();
	CHECK(mb > 0, "max_buffer: %s", gt_errname(mb));
	max_buf = (size_t)mb;
	mem_len = max_buf + 4 * PG;
	mem = dt_alloc(mem_len);
	ref = malloc(max_buf);
	chk = malloc(max_buf);
	CHECK(mem && ref && chk, "out of memory");
	CHECK_RING_AND_OPEN(&ring, 64, GT_RING_PLAIN, fd, O_RDWR);
	reg = (struct iovec){ mem, mem_len };
	ret = io_uring_register_buffers(&ring, &reg, 1);
	CHECK(ret == 0, "register_buffers: %s", gt_errname(ret));
	feats = dt_features(&ring, fd);
	gt_end();

	test_features();
	for (enum dt_form f = DT_PLAIN; f < DT_FORMS; f++) {
		test_sizes(&ring, fd, f, 0);
		if (dt_fixed(f))
			test_sizes(&ring, fd, f, MISCURING_RW_ASYNC);
	}
	test_fixed_vec_unsupported(&ring, fd);
	test_fixed_vec_empty(&ring, fd);
	test_einval(&ring, fd);
	test_efault(&ring, fd);
	test_registered_errors(&ring, fd);
	test_ebadf();
	test_fault_partway(&ring, fd);
	test_iosqe_async(&ring, fd);
out:
	gt_ring_dev_exit(&ring, fd);
	return gt_exit_status();
}
