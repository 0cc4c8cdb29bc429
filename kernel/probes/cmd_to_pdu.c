// SPDX-License-Identifier: GPL-2.0
/* io_uring_cmd_to_pdu(cmd, type) with its size check: ~6.10+. */
#include "probe.h"

struct mu_probe_pdu {
	u64 v;
};

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_to_pdu(cmd, struct mu_probe_pdu)->v = issue_flags;
}
