/* SPDX-License-Identifier: MIT */
/*
 * Capabilities. Whatever the process was started with (root, a setuid or
 * setcap install, ambient capabilities), everything goes before any
 * command runs but what the commands on the line need, and that stays
 * permitted only, made effective just around the commands that use it:
 *
 * - "stats --reset" keeps CAP_SYS_ADMIN, for RESET_STATS;
 * - "raw" keeps the whole permitted set: its target is any file, and the
 *   driver behind it checks the submitting task's capabilities itself
 *   (NVMe: CAP_SYS_ADMIN for admin commands but, from 6.2, Identify, and
 *   for writing I/O on a file not open for writing; sockets: CAP_NET_ADMIN
 *   or CAP_NET_RAW for some SETSOCKOPT options, as for setsockopt(2)).
 *   uringctl cannot know which a driver wants, so raw's open and
 *   submission run with all of them.
 *
 * The inheritable and ambient sets are emptied. The bounding set stays: it
 * needs CAP_SETPCAP to change, and uringctl executes nothing that could
 * use it.
 */
#include "config.h"

#include <errno.h>
#include <sys/capability.h>

#include "uringctl.h"

/* The permitted set kept, effective empty; NULL before uc_caps_drop(). */
static cap_t kept;

static bool kept_has(cap_value_t v)
{
	cap_flag_value_t f = CAP_CLEAR;

	return kept && cap_get_flag(kept, v, CAP_PERMITTED, &f) == 0 &&
	       f == CAP_SET;
}

/* 0, or a negative errno. */
int uc_caps_drop(bool keep_sys_admin, bool keep_all)
{
	cap_t now = cap_get_proc();
	cap_flag_value_t f;
	cap_value_t v;
	int ret = 0;

	if (!now)
		return -errno;
	cap_free(kept);
	kept = cap_init();	/* every set empty */
	if (!kept) {
		cap_free(now);
		return -errno;
	}
	for (v = 0; v < (cap_value_t)cap_max_bits(); v++) {
		if (!keep_all && !(keep_sys_admin && v == CAP_SYS_ADMIN))
			continue;
		if (cap_get_flag(now, v, CAP_PERMITTED, &f) == 0 && f == CAP_SET &&
		    cap_set_flag(kept, CAP_PERMITTED, 1, &v, CAP_SET)) {
			ret = -errno;
			break;
		}
	}
	cap_free(now);
	/* Emptying the inheritable set empties the ambient set too. */
	if (!ret && cap_set_proc(kept))
		ret = -errno;
	return ret;
}

bool uc_caps_have_sys_admin(void)
{
	return kept_has(CAP_SYS_ADMIN);
}

/*
 * Make what was kept effective (on) or nothing; only_sys_admin: of what was
 * kept, CAP_SYS_ADMIN alone. 0 or a negative errno.
 */
int uc_caps_raise(bool only_sys_admin, bool on)
{
	cap_value_t admin = CAP_SYS_ADMIN, v;
	cap_t next;
	int ret = 0;

	if (!kept)
		return on ? -EPERM : 0;
	if (on && only_sys_admin && !kept_has(CAP_SYS_ADMIN))
		return -EPERM;
	next = cap_dup(kept);
	if (!next)
		return -errno;
	if (on && only_sys_admin) {
		if (cap_set_flag(next, CAP_EFFECTIVE, 1, &admin, CAP_SET))
			ret = -errno;
	} else if (on) {
		for (v = 0; v < (cap_value_t)cap_max_bits() && !ret; v++)
			if (kept_has(v) && cap_set_flag(next, CAP_EFFECTIVE, 1, &v, CAP_SET))
				ret = -errno;
	}
	if (!ret && cap_set_proc(next))
		ret = -errno;
	cap_free(next);
	return ret;
}

void uc_caps_free(void)
{
	cap_free(kept);
	kept = NULL;
}
