/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * miscuring: io_uring passthrough commands (IORING_OP_URING_CMD) on the
 * misc character device /dev/miscuring, plus the classic ioctl/read/write
 * interface of the upstream rust_misc_device sample.
 *
 * This is the one ABI header, shared by the module, libmiscuring and any
 * program that builds commands by hand.
 *
 * Wire rules
 * ----------
 * - A command is an SQE with opcode IORING_OP_URING_CMD, fd = an open
 *   /dev/miscuring, cmd_op = one of MISCURING_CMD_*, and its payload in the
 *   SQE's command area: 16 bytes in a 64-byte SQE, 80 bytes in a 128-byte
 *   SQE (ring set up with IORING_SETUP_SQE128).
 * - Every multi-byte field is little-endian.
 * - Every payload struct is 16 bytes, so every op works in a 64-byte SQE.
 *   On an SQE128 ring the 64 bytes after the struct belong to the op: ECHO
 *   uses them as data, every other op requires them to be zero.
 * - Reserved fields and unused bytes must be zero, or the command fails with
 *   -EINVAL; this keeps them free for later use.
 * - Only READ and WRITE use sqe->uring_cmd_flags (IORING_URING_CMD_FIXED)
 *   and SQE fields outside the command area (addr, len, and buf_index with
 *   IORING_URING_CMD_FIXED). No other op uses them or file_index: each
 *   must be zero, or the
 *   command fails with -EINVAL (io_uring itself refuses a nonzero
 *   __pad1, the upper half of off, and a fixed buffer index it does not
 *   have). Kernels before 6.4 show the module only the command area: there
 *   the fields outside it are ignored.
 * - A second 64-bit result is posted in the CQE's big_cqe[0] only on a ring
 *   set up with IORING_SETUP_CQE32, or (kernels 6.18+) in a 32-byte CQE
 *   flagged IORING_CQE_F_32 on a ring set up with IORING_SETUP_CQE_MIXED.
 *
 * Numbering
 * ---------
 * cmd_op = MISCURING_CMD(nr) = 0x4d55 ("MU") << 16 | nr, nr counting up
 * from 1. A number is never reused; an op the module does not know fails
 * with -EOPNOTSUPP, and MISCURING_CMD_PROBE reports which ops it knows in
 * miscuring_info.ops (bit nr set for op nr).
 *
 * Versioning
 * ----------
 * MISCURING_ABI_VERSION changes only for an incompatible change. Compatible
 * additions (a new op, a new info field at the end) are announced with a
 * bit in miscuring_info.features or miscuring_info.ops.
 */
#ifndef _UAPI_MISCURING_H
#define _UAPI_MISCURING_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MISCURING_ABI_VERSION		1
#define MISCURING_DEVICE_NAME		"miscuring"
#define MISCURING_DEVICE_PATH		"/dev/" MISCURING_DEVICE_NAME

/* Payload bytes of a command in a 64-byte and in a 128-byte SQE. */
#define MISCURING_PAYLOAD_SQE64		16
#define MISCURING_PAYLOAD_SQE128	80

#define MISCURING_CMD_MAGIC		0x4d55
#define MISCURING_CMD(nr)		((__u32)(MISCURING_CMD_MAGIC << 16 | (nr)))
#define MISCURING_CMD_NR(op)		((op) & 0xffff)

/*
 * uring_cmd ops, ABI version 1.
 *
 * NOP		completes inline with res 0; the floor for benchmarks.
 * HELLO	logs a rate-limited greeting; res 0.
 * GET_VALUE	reads this open file's 64-bit value (the one the ioctls see).
 * SET_VALUE	sets it; -EBADF on a file opened without write access.
 * ECHO		copies the command's whole payload (16 or 80 bytes) to a user
 *		buffer; res = bytes copied.
 * DELAY	completes asynchronously after usec microseconds with the
 *		result the caller chose.
 * PROBE	fills a struct miscuring_info; res = bytes written.
 * WAIT		completes when this open file's value differs from a given
 *		one, or fails with -ETIMEDOUT after a timeout.
 * STATS	fills a struct miscuring_stats; res = bytes written.
 * RESET_STATS	zeroes the counters; needs CAP_SYS_ADMIN, else -EPERM, and
 *		a file opened for writing, else -EBADF (as SET_VALUE).
 * READ		copies bytes of the shared read/write buffer (the one read(2)
 *		and write(2) use) to user memory, like pread(2); res = bytes.
 * WRITE	copies user memory into that buffer, like pwrite(2); res =
 *		bytes; -EBADF on a file opened without write access.
 *
 * DELAY and WAIT are long-running. They complete with -ECANCELED when
 * their ring goes away, or when the task that submitted them exits (the
 * process or only that thread) or execs: at once where io_uring cancels
 * them (MISCURING_FEAT_CANCELABLE kernels, on ring close and exec), and
 * otherwise within the module's owner check period of 100 ms plus the time
 * to run task work (every case on kernels without MISCURING_FEAT_CANCELABLE;
 * a thread's exit, or the exit of a process whose ring lives on, on the
 * others). Their timeouts use high-resolution timers: never early, µs
 * resolution, late by the system's timer and wake-up latency. A DELAY or
 * WAIT that would queue (timeout not 0) fails with -EBUSY while its open
 * file already has max_pending_per_file of them queued, or all files
 * together max_pending (module parameters, 131072 and 1048576 by default),
 * and with -ENOMEM when the module cannot allocate the record it keeps per
 * submitting task and ring (the owner check looks at each such record
 * once, however many commands it stands for).
 */
#define MISCURING_CMD_NOP		MISCURING_CMD(1)
#define MISCURING_CMD_HELLO		MISCURING_CMD(2)
#define MISCURING_CMD_GET_VALUE		MISCURING_CMD(3)
#define MISCURING_CMD_SET_VALUE		MISCURING_CMD(4)
#define MISCURING_CMD_ECHO		MISCURING_CMD(5)
#define MISCURING_CMD_DELAY		MISCURING_CMD(6)
#define MISCURING_CMD_PROBE		MISCURING_CMD(7)
#define MISCURING_CMD_WAIT		MISCURING_CMD(8)
#define MISCURING_CMD_STATS		MISCURING_CMD(9)
#define MISCURING_CMD_RESET_STATS	MISCURING_CMD(10)
#define MISCURING_CMD_READ		MISCURING_CMD(11)
#define MISCURING_CMD_WRITE		MISCURING_CMD(12)
#define MISCURING_CMD_NR_MAX		12

/* NOP and HELLO: no arguments. */
struct miscuring_nop {
	__le64	reserved[2];
};

struct miscuring_hello {
	__le64	reserved[2];
};

/*
 * GET_VALUE: the value is written to the __u64 at addr when addr is not 0,
 * and posted as the CQE's second result on a CQE32 ring. With neither a
 * buffer nor a CQE32 ring there is nowhere to put it: -EINVAL.
 */
struct miscuring_get_value {
	__le64	addr;
	__le64	reserved;
};

/* SET_VALUE: res 0. */
struct miscuring_set_value {
	__le64	value;
	__le64	reserved;
};

/*
 * ECHO: copies min(len, payload size) bytes of the payload, this struct
 * included, to the user buffer at addr; res = bytes copied. On an SQE128
 * ring the 64 bytes after the struct are free-form data. len 0: -EINVAL.
 */
struct miscuring_echo {
	__le64	addr;
	__le32	len;
	__le32	reserved;
};

/*
 * DELAY: completes usec microseconds after issue, through the driver's
 * asynchronous path, with CQE res = result (any value the caller chooses).
 * usec above MISCURING_DELAY_MAX_USEC: -EINVAL.
 */
#define MISCURING_DELAY_MAX_USEC	10000000
struct miscuring_delay {
	__le32	usec;
	__le32	result;		/* __s32 */
	__le64	reserved;
};

/*
 * PROBE: writes min(len, sizeof(struct miscuring_info)) bytes of the info
 * to addr; res = bytes written. On a CQE32 ring the second result is
 * info.features. A caller built against an older header passes a smaller
 * len and gets the prefix it knows. len 0: -EINVAL.
 */
struct miscuring_probe {
	__le64	addr;
	__le32	len;
	__le32	reserved;
};

/*
 * WAIT: completes with res 0 as soon as this open file's value (the one
 * GET/SET_VALUE and the ioctls use) differs from value, at once if it
 * already does; on a CQE32 ring the second result is the value at
 * completion. After timeout_usec without a change: -ETIMEDOUT (0 polls).
 * timeout_usec above MISCURING_WAIT_MAX_USEC: -EINVAL.
 */
#define MISCURING_WAIT_MAX_USEC		10000000
struct miscuring_wait {
	__le64	value;
	__le32	timeout_usec;
	__le32	reserved;
};

/*
 * STATS: writes min(len, sizeof(struct miscuring_stats)) bytes to addr;
 * res = bytes written; len 0: -EINVAL. RESET_STATS takes no arguments.
 */
struct miscuring_stats_req {
	__le64	addr;
	__le32	len;
	__le32	reserved;
};

/*
 * READ and WRITE: the shared read/write buffer at offset, and the data in
 * the submitter's memory, given by the SQE:
 *
 * - a user buffer: sqe->addr, sqe->len (flags without VECTORED);
 * - a user iovec array: MISCURING_RW_VECTORED, sqe->addr = the array,
 *   nr_vecs = its count (at most 1024, UIO_MAXIOV), sqe->len = 0;
 * - a registered buffer: sqe->uring_cmd_flags = IORING_URING_CMD_FIXED,
 *   sqe->buf_index = its index, sqe->addr/len a range inside it;
 * - a registered buffer, vectored: FIXED and VECTORED, the iovecs inside
 *   the registered buffer; only where miscuring_info.features has
 *   MISCURING_FEAT_FIXED_VEC (kernels 6.15+), else -EOPNOTSUPP. The
 *   kernel refuses an empty iovec there (-EFAULT); user iovecs may be.
 *
 * res = bytes moved, like pread/pwrite on the device: a READ is short at
 * the end of the buffer's data (0 at or past it), a WRITE is cut at
 * max_buffer and fails with -EFBIG when it starts at or past it (unless it
 * moves no byte: 0). A write past the end grows the buffer, zero-filled.
 * Errors: -EINVAL for an offset above 2^63 - 1, unknown flags, nr_vecs
 * without VECTORED, VECTORED with sqe->len, more than 1024 iovecs, ASYNC
 * without FIXED, a reserved byte set; -EFAULT for memory the submitter
 * cannot access (nothing copied) or a range outside the registered
 * buffer or an index out of range; -EBADF for a WRITE on a file opened
 * without write access; -ENOMEM. A fault part-way is a short count, and
 * nothing is written to the buffer (READ: to user memory) past what res
 * says.
 *
 * Atomicity, the same as read(2)/write(2) on the device: a transfer of up
 * to 64 KiB is atomic against every other READ, WRITE, read and write; a
 * longer one moves in 64 KiB pieces, each atomic, which others' pieces
 * may come between (as pipes do past PIPE_BUF).
 *
 * MISCURING_RW_ASYNC (registered buffers only) copies in a kernel worker,
 * which no user memory is reachable from, and completes through task work,
 * as a DMA-completing driver does; without it the copy is made inline,
 * during the submission. An async READ/WRITE is not cancelable: it
 * completes after its copy (microseconds), also when its ring is closed
 * or its task exits meanwhile.
 *
 * Kernels before 6.4 give the module the SQE's addr and len only while the
 * command is issued from the submission itself: a READ or WRITE issued
 * from io_uring's worker (IOSQE_ASYNC, behind a link, IOSQE_IO_DRAIN) fails
 * there with -EOPNOTSUPP.
 */
#define MISCURING_RW_VECTORED		(1U << 0) /* sqe->addr: iovecs */
#define MISCURING_RW_ASYNC		(1U << 1) /* copy in a worker (FIXED) */
#define MISCURING_RW_FLAGS		(MISCURING_RW_VECTORED | MISCURING_RW_ASYNC)

struct miscuring_rw {
	__le64	offset;			/* in the buffer, bytes */
	__le32	flags;			/* MISCURING_RW_* */
	__le32	nr_vecs;		/* with VECTORED; else 0 */
};

/*
 * Module-wide command counters, since load or the last RESET_STATS. Also
 * in /sys/class/misc/miscuring/stats/. Every command issued is in flight
 * until it completes, inline (within the submit call) or async (later,
 * from task work); cancelled and failed count completions of either kind
 * with res -ECANCELED, and with any negative res.
 */
struct miscuring_stats {
	__le32	stats_size;		/* sizeof(struct miscuring_stats) */
	__le32	reserved;
	__le64	issued;
	__le64	completed_inline;
	__le64	completed_async;
	__le64	cancelled;
	__le64	failed;
	__le64	in_flight;		/* not reset: always the live count */
};

/* miscuring_info.features */
#define MISCURING_FEAT_CLASSIC_IOCTL	(1ULL << 0) /* HELLO/GET/SET ioctls */
#define MISCURING_FEAT_CLASSIC_RW	(1ULL << 1) /* shared read/write buffer */
#define MISCURING_FEAT_SQE128		(1ULL << 2) /* 80-byte payloads */
#define MISCURING_FEAT_CQE32		(1ULL << 3) /* second result in CQE32 */
#define MISCURING_FEAT_CANCELABLE	(1ULL << 4) /* long ops cancel on ring exit */
#define MISCURING_FEAT_RW_CMD		(1ULL << 5) /* READ/WRITE ops */
#define MISCURING_FEAT_FIXED_VEC	(1ULL << 6) /* vectored registered buffers */

#define MISCURING_VERSION_LEN		32

struct miscuring_info {
	__le32	abi_version;		/* MISCURING_ABI_VERSION */
	__le32	info_size;		/* sizeof(struct miscuring_info) in the module */
	__le64	features;		/* MISCURING_FEAT_* */
	__le64	ops;			/* bit nr set: MISCURING_CMD(nr) is known */
	__le32	payload_sqe64;		/* MISCURING_PAYLOAD_SQE64 */
	__le32	payload_sqe128;		/* MISCURING_PAYLOAD_SQE128 */
	__le32	max_delay_usec;		/* MISCURING_DELAY_MAX_USEC */
	__le32	max_buffer;		/* limit of the read/write buffer, bytes */
	char	module_version[MISCURING_VERSION_LEN]; /* NUL-terminated */
	__le64	reserved[4];
};

/*
 * Classic interface, the same numbers as the upstream rust_misc_device
 * sample. The int they carry is a view of the open file's 64-bit value:
 * GET returns it truncated to int, SET stores the int sign-extended. Any
 * other ioctl fails with -ENOTTY. SET on a file opened without write access
 * fails with -EBADF, as SET_VALUE does.
 */
#define MISCURING_IOC_MAGIC		'|'
#define MISCURING_IOC_HELLO		_IO(MISCURING_IOC_MAGIC, 0x80)
#define MISCURING_IOC_GET_VALUE		_IOR(MISCURING_IOC_MAGIC, 0x81, int)
#define MISCURING_IOC_SET_VALUE		_IOW(MISCURING_IOC_MAGIC, 0x82, int)

#ifdef __cplusplus
#define MISCURING_ASSERT_SIZE(type, size) \
	static_assert(sizeof(type) == (size), "ABI size of " #type)
#else
#define MISCURING_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "ABI size of " #type)
#endif

MISCURING_ASSERT_SIZE(struct miscuring_nop, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_hello, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_get_value, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_set_value, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_echo, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_delay, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_probe, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_wait, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_stats_req, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_rw, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_info, 104);
MISCURING_ASSERT_SIZE(struct miscuring_stats, 56);

#endif /* _UAPI_MISCURING_H */
