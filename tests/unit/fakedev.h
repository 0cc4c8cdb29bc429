/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the miscuring module, in this process: fakedev.c defines
 * io_uring_submit(), io_uring_submit_and_wait(), __io_uring_get_cqe(),
 * io_uring_register_sync_cancel() and io_uring_unregister_files(), which
 * the library's calls bind to (an executable's symbols come first). It takes the SQEs out
 * of the SQ ring, runs them as the UAPI header describes, and posts CQEs in
 * the CQ ring, so the library's success paths run without the module.
 * A ring used with it must never reach the real kernel's submit path.
 */
#ifndef MU_FAKEDEV_H
#define MU_FAKEDEV_H

#include <stdint.h>
#include <linux/io_uring.h>

struct fake_module {
	int		fd;		/* the "device"; other fds: -EOPNOTSUPP */
	uint64_t	value;		/* GET/SET_VALUE */
	uint32_t	abi_version;	/* what PROBE reports */
	uint32_t	info_size;
	int		corrupt_echo;	/* flip a byte of what ECHO copies */
	int		short_echo;	/* ECHO copies 1 byte less */
	int		fail_submit;	/* next submit fails with this */
	unsigned	submits;	/* calls of io_uring_submit*() */
	unsigned	commands;	/* SQEs run */
	uint32_t	last_usec;	/* DELAY's or WAIT's usec, as decoded */
	uint32_t	stats_size;	/* what STATS reports */
	int		no_admin;	/* RESET_STATS: -EPERM */
	unsigned	resets;		/* RESET_STATS that worked */
	int		echo_wrong_addr; /* ECHO's header names another buffer */
	int		defer;		/* complete at the next wait, not submit */
	unsigned	eintr;		/* waits that fail with -EINTR first */
	unsigned	waits;		/* calls of __io_uring_get_cqe() */
	unsigned	cancels;	/* io_uring_register_sync_cancel() calls */
	struct io_uring_sync_cancel_reg cancel_reg; /* the last one's */
	unsigned	unregisters;	/* io_uring_unregister_files() calls */
	unsigned	cmd128;		/* IORING_OP_URING_CMD128 SQEs run */
	unsigned	nops;		/* IORING_OP_NOPs of an SQE_MIXED ring */
	unsigned	skips;		/* skip CQEs posted (CQE_MIXED) */
};

extern struct fake_module fake;

/* Back to a v1 module with value 0. */
void fake_reset(int fd);

#endif /* MU_FAKEDEV_H */
