/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * The ABI of /dev/uring_cmd_sample, the mu_cmd kit's sample driver: two
 * io_uring passthrough ops (IORING_OP_URING_CMD), both with a 16-byte
 * payload, in a 64- or 128-byte SQE. Multi-byte fields are little-endian;
 * reserved fields and the rest of an SQE128 payload must be zero.
 * uring_cmd_flags and the SQE fields outside the command area (addr, len,
 * buf_index, file_index) must be zero too: -EINVAL otherwise (kernels
 * before 6.4 do not show the driver those fields, and it ignores them).
 * An unknown op fails with -EOPNOTSUPP.
 */
#ifndef _UAPI_URING_CMD_SAMPLE_H
#define _UAPI_URING_CMD_SAMPLE_H

#include <linux/types.h>

#define URING_CMD_SAMPLE_NAME		"uring_cmd_sample"

/*
 * ADD: completes inline; res = a + b, or -EOVERFLOW when the sum does not
 * fit a non-negative s32 (a result must not look like an errno).
 */
#define URING_CMD_SAMPLE_ADD		1
/*
 * SLEEP: completes with res 0 after msec milliseconds (at most
 * URING_CMD_SAMPLE_SLEEP_MAX_MSEC, or -EINVAL), from a workqueue through
 * task work; with -ECANCELED when its ring closes or its task exits first
 * (within 100 ms on kernels without uring_cmd cancellation, 6.1).
 */
#define URING_CMD_SAMPLE_SLEEP		2
#define URING_CMD_SAMPLE_SLEEP_MAX_MSEC	60000

struct uring_cmd_sample_add {
	__le32	a;
	__le32	b;
	__le64	reserved;
};

struct uring_cmd_sample_sleep {
	__le32	msec;
	__le32	reserved;
	__le64	reserved2;
};

#endif /* _UAPI_URING_CMD_SAMPLE_H */
