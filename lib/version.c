/* SPDX-License-Identifier: MIT */
/*
 * The version of the library that is running, which can differ from the
 * LIBMISCURING_VERSION_* macros a program was compiled with.
 */
#include "config.h"

#include "libmiscuring.h"

#define MU_STR(x)	#x
#define MU_XSTR(x)	MU_STR(x)

const char *miscuring_version(void)
{
	return MU_XSTR(LIBMISCURING_VERSION_MAJOR) "."
	       MU_XSTR(LIBMISCURING_VERSION_MINOR) "."
	       MU_XSTR(LIBMISCURING_VERSION_MICRO);
}

int miscuring_version_major(void)
{
	return LIBMISCURING_VERSION_MAJOR;
}

int miscuring_version_minor(void)
{
	return LIBMISCURING_VERSION_MINOR;
}

int miscuring_version_micro(void)
{
	return LIBMISCURING_VERSION_MICRO;
}
