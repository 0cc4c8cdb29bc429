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
 *   SQE: on a ring set up with IORING_SETUP_SQE128, or (kernels 6.19+) an
 *   SQE with opcode IORING_OP_URING_CMD128 on a ring set up with
 *   IORING_SETUP_SQE_MIXED, where it takes two consecutive SQ slots (not
 *   starting at the ring's last one). On such a mixed ring a plain
 *   IORING_OP_URING_CMD has the 16-byte payload.
 * - Every multi-byte field is little-endian.
 * - Every payload struct is 16 bytes, so every op works in a 64-byte SQE.
 *   In a 128-byte SQE the 64 bytes after the struct belong to the op: ECHO
 *   uses them as data, every other op requires them to be zero.
 * - Reserved fields and unused bytes must be zero, or the command fails with
 *   -EINVAL; this keeps them free for later use.
 * - Only READ and WRITE (sqe->uring_cmd_flags IORING_URING_CMD_FIXED; SQE
 *   fields addr, len, and buf_index with IORING_URING_CMD_FIXED) and WATCH
 *   (IORING_URING_CMD_MULTISHOT, with sqe->buf_group) use
 *   sqe->uring_cmd_flags or SQE fields outside the command area. No other
 *   op uses them or file_index: each must be zero, or the
 *   command fails with -EINVAL (io_uring itself refuses a nonzero
 *   __pad1, the upper half of off, and a fixed buffer index it does not
 *   have). Kernels before 6.4 show the module only the command area: there
 *   the fields outside it are ignored.
 * - IORING_SETUP_IOPOLL rings: the module does not poll (it has no
 *   ->uring_cmd_iopoll). Up to Linux 7.0 io_uring refuses every command on
 *   such a ring with -EOPNOTSUPP before the module sees it; from 7.1 the
 *   commands run there as on any other ring, unpolled: the inline ops
 *   complete at once, DELAY and a queued WAIT from task work, as elsewhere
 *   (WATCH on an IOPOLL ring is not tested).
 * - A second 64-bit result is posted in the CQE's big_cqe[0] only on a ring
 *   set up with IORING_SETUP_CQE32, or (kernels 6.18+) in a 32-byte CQE
 *   flagged IORING_CQE_F_32 on a ring set up with IORING_SETUP_CQE_MIXED;
 *   there, a completion that carries a second result (GET_VALUE, PROBE
 *   and STATS when they succeed, WAIT when it ends or times out, WATCH's
 *   final CQE: see each op) is a 32-byte CQE, its second result there
 *   even when it is 0, and every other CQE (every other op, a command
 *   refused for its arguments, WATCH's multishot CQEs) has 16 bytes. The
 *   kernel may put a CQE flagged IORING_CQE_F_SKIP (no completion) before
 *   a 32-byte one that would not fit before the CQ ring wraps. Kernels
 *   before 6.18 (Debian 12's 6.1 and 6.12) refuse CQE_MIXED, before 6.19
 *   SQE_MIXED (io_uring_setup() fails with -EINVAL).
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
 * WATCH	multishot: one CQE per store of this open file's value, until
 *		stopped, cancelled or an error (see struct miscuring_watch).
 * WATCH_STOP	ends the WATCHes of this open file that have a given tag.
 *
 * DELAY, WAIT and WATCH are long-running. They complete with -ECANCELED when
 * their ring goes away, or when the task that submitted them exits (the
 * process or only that thread) or execs: at once where io_uring cancels
 * them (MISCURING_FEAT_CANCELABLE kernels, on ring close and exec), and
 * otherwise within the module's owner check period of 100 ms plus the time
 * to run task work (every case on kernels without MISCURING_FEAT_CANCELABLE;
 * a thread's exit, or the exit of a process whose ring lives on, on the
 * others). Their timeouts use high-resolution timers: never early, µs
 * resolution, late by the system's timer and wake-up latency. A WATCH,
 * or a DELAY or WAIT that would queue (timeout not 0), fails with -EBUSY
 * while its open file already has max_pending_per_file of them queued, or
 * all files together max_pending (module parameters, 131072 and 1048576
 * by default), and a DELAY or WAIT with -ENOMEM when the module cannot
 * allocate the record it keeps per submitting task and ring (the owner
 * check looks at each such record once, however many commands it stands
 * for).
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
#define MISCURING_CMD_WATCH		MISCURING_CMD(13)
#define MISCURING_CMD_WATCH_STOP	MISCURING_CMD(14)
#define MISCURING_CMD_NR_MAX		14

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
 * included, to the user buffer at addr; res = bytes copied. In a 128-byte
 * SQE the 64 bytes after the struct are free-form data. len 0: -EINVAL.
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

/*
 * WATCH: a stream of the open file's value. Multishot (kernels 6.18+,
 * MISCURING_FEAT_MULTISHOT): submitted with uring_cmd_flags
 * IORING_URING_CMD_MULTISHOT, sqe->flags IOSQE_BUFFER_SELECT and a
 * provided-buffer group in sqe->buf_group. Each store of the value
 * (SET_VALUE, the SET ioctl; the same value stored again counts too) makes
 * the module post a CQE with IORING_CQE_F_MORE and IORING_CQE_F_BUFFER:
 * res = sizeof(struct miscuring_watch_event), the event in the buffer the
 * CQE names (cqe->flags >> IORING_CQE_BUFFER_SHIFT). Such CQEs carry no
 * second result (the kernel's multishot CQEs have none; big_cqe is 0 on a
 * CQE32 ring). With MISCURING_WATCH_INITIAL the first event, at once, is
 * the value at issue (changes 0).
 *
 * Coalescing: events are posted from the submitter's task work; stores
 * that come faster than it runs make one event with the latest value and
 * changes = the number of stores it stands for (1 normally). No store goes
 * unaccounted: the sum of changes is the number of stores since issue.
 *
 * The stream ends with a final CQE without IORING_CQE_F_MORE (on a CQE32
 * ring its second result is the value at the end):
 *	0		WATCH_STOP with the watch's tag
 *	-ECANCELED	its ring went away, or its submitter exited (the thread
 *			or the process) or exec'd (as DELAY and WAIT, below)
 *	-ENOBUFS	the buffer group had no buffer for an event
 *	-EMSGSIZE	the buffer was smaller than an event
 *	-EOVERFLOW	the CQ had no room for an event (the buffer it was
 *			written to is used up; the final CQE goes to io_uring's
 *			overflow list)
 *	-EFAULT		the buffer could not be written
 * Refused at issue: -EOPNOTSUPP on kernels without multishot uring_cmd
 * (MISCURING_FEAT_MULTISHOT clear; there io_uring itself refuses a WATCH
 * submitted as above: -EOPNOTSUPP for IOSQE_BUFFER_SELECT on a uring_cmd,
 * -EINVAL for the flag alone), -EINVAL without IORING_URING_CMD_MULTISHOT, with unknown
 * flags or nonzero reserved fields, -EBUSY past max_pending /
 * max_pending_per_file (a WATCH counts as one queued command, as a DELAY).
 */
#define MISCURING_WATCH_INITIAL		(1U << 0) /* first event: the value now */
#define MISCURING_WATCH_FLAGS		MISCURING_WATCH_INITIAL
struct miscuring_watch {
	__le64	tag;		/* any value; WATCH_STOP finds the watch by it */
	__le32	flags;		/* MISCURING_WATCH_* */
	__le32	reserved;
};

/* The event a WATCH writes to a provided buffer (16 bytes). */
struct miscuring_watch_event {
	__le64	value;		/* the value when the event was posted */
	__le64	changes;	/* stores since the previous event (0: initial) */
};

/*
 * WATCH_STOP: ends every WATCH of this open file whose tag is tag (final
 * CQE res 0, posted from task work right after); res = how many.
 */
struct miscuring_watch_stop {
	__le64	tag;
	__le64	reserved;
};

/* miscuring_info.features */
#define MISCURING_FEAT_CLASSIC_IOCTL	(1ULL << 0) /* HELLO/GET/SET ioctls */
#define MISCURING_FEAT_CLASSIC_RW	(1ULL << 1) /* shared read/write buffer */
#define MISCURING_FEAT_SQE128		(1ULL << 2) /* 80-byte payloads */
#define MISCURING_FEAT_CQE32		(1ULL << 3) /* second result in CQE32 */
#define MISCURING_FEAT_CANCELABLE	(1ULL << 4) /* long ops cancel on ring exit */
#define MISCURING_FEAT_RW_CMD		(1ULL << 5) /* READ/WRITE ops */
#define MISCURING_FEAT_FIXED_VEC	(1ULL << 6) /* vectored registered buffers */
#define MISCURING_FEAT_WATCH		(1ULL << 7) /* WATCH and WATCH_STOP ops */
#define MISCURING_FEAT_MULTISHOT	(1ULL << 8) /* multishot uring_cmd (WATCH works) */

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
MISCURING_ASSERT_SIZE(struct miscuring_watch, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_watch_stop, MISCURING_PAYLOAD_SQE64);
MISCURING_ASSERT_SIZE(struct miscuring_watch_event, 16);
MISCURING_ASSERT_SIZE(struct miscuring_info, 104);
MISCURING_ASSERT_SIZE(struct miscuring_stats, 56);

#endif /* _UAPI_MISCURING_H */
