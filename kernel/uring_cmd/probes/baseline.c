// SPDX-License-Identifier: GPL-2.0
/*
 * Must compile on every kernel the module supports: file_operations has a
 * uring_cmd hook. If this fails, the headers are missing or broken, and
 * the build stops instead of guessing every feature absent.
 */
#include "probe.h"

static const struct file_operations mu_probe_fops = {
	.uring_cmd = NULL,
};

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->file = (struct file *)&mu_probe_fops;
}
