/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: uringctl needs none, except CAP_SYS_ADMIN for
 * "stats --reset" (RESET_STATS). Whatever the process was started with
 * (root, a setuid or setcap install, ambient capabilities), everything
 * else goes before any command runs: the permitted, effective,
 * inheritable and ambient sets are emptied, but for CAP_SYS_ADMIN in the
 * permitted set when a stats --reset is on the line, and that is made
 * effective only around the RESET_STATS command itself. The bounding set
 * stays: it needs CAP_SETPCAP to change, and uringctl executes nothing
 * that could use it.
 */
#include "config.h"

#include <errno.h>
#include <sys/capability.h>

#include "uringctl.h"

/* Only CAP_SYS_ADMIN, permitted if asked and had, effective if on. */
static int set_caps(bool permitted, bool effective)
{
	cap_value_t admin = CAP_SYS_ADMIN;
	cap_t next = cap_init();	/* every set empty */
	int ret = 0;

	if (!next)
		return -errno;
	if ((permitted && cap_set_flag(next, CAP_PERMITTED, 1, &admin, CAP_SET)) ||
	    (effective && cap_set_flag(next, CAP_EFFECTIVE, 1, &admin, CAP_SET)))
		ret = -errno;
	/* Emptying the permitted set empties the ambient set too. */
	if (!ret && cap_set_proc(next))
		ret = -errno;
	cap_free(next);
	return ret;
}

static bool have_permitted;

/* 0, or a negative errno. */
int uc_caps_drop(bool keep_sys_admin)
{
	cap_flag_value_t have = CAP_CLEAR;
	cap_t now = cap_get_proc();

	if (!now)
		return -errno;
	if (keep_sys_admin &&
	    cap_get_flag(now, CAP_SYS_ADMIN, CAP_PERMITTED, &have) != 0)
		have = CAP_CLEAR;
	cap_free(now);
	have_permitted = have == CAP_SET;
	return set_caps(have_permitted, false);
}

bool uc_caps_have_sys_admin(void)
{
	return have_permitted;
}

/* Make CAP_SYS_ADMIN effective (on) or not; 0 or a negative errno. */
int uc_caps_sys_admin(bool on)
{
	if (!have_permitted)
		return on ? -EPERM : 0;
	return set_caps(true, on);
}
