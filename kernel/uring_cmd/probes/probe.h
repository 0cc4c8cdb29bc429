/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common prelude of the compat probes. Each probes/<name>.c compiles only
 * when the kernel has the feature it is named after; the build turns that
 * into MU_HAVE_<NAME> in mu_compat_probed.h.
 *
 * Probes are compiled by gcc alone (never by sparse), so they may pick the
 * io_uring header with __has_include; the module itself selects it from
 * the MU_HAVE_IO_URING_CMD_H probe instead.
 */
#ifndef MU_PROBE_H
#define MU_PROBE_H

#if __has_include("linux/io_uring/cmd.h")
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif
#include <linux/fs.h>

/* Every probe defines this one function; the prototype keeps W=1 quiet. */
void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags);

#endif
