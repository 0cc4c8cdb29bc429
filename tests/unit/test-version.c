/* SPDX-License-Identifier: MIT */
/* Version queries and miscuring_strerror(). */
#include "config.h"

#include <stdio.h>

#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

static void test_version(void)
{
	char want[32];

	CHECK_EQ(miscuring_version_major(), LIBMISCURING_VERSION_MAJOR);
	CHECK_EQ(miscuring_version_minor(), LIBMISCURING_VERSION_MINOR);
	CHECK_EQ(miscuring_version_micro(), LIBMISCURING_VERSION_MICRO);
	snprintf(want, sizeof(want), "%d.%d.%d", LIBMISCURING_VERSION_MAJOR,
		 LIBMISCURING_VERSION_MINOR, LIBMISCURING_VERSION_MICRO);
	CHECK(!strcmp(miscuring_version(), want));
	/* The package (configure.ac) takes its version from the header. */
	CHECK(!strcmp(PACKAGE_VERSION, want));
	/*
	 * The project has one version (kernel/VERSION); the soname number,
	 * 1, comes from libtool's -version-info and is not tied to it.
	 */
	CHECK(LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR,
					 LIBMISCURING_VERSION_MINOR,
					 LIBMISCURING_VERSION_MICRO));
	CHECK(LIBMISCURING_CHECK_VERSION(0, 0, 0));
	CHECK(!LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR,
					  LIBMISCURING_VERSION_MINOR,
					  LIBMISCURING_VERSION_MICRO + 1));
	CHECK(!LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR + 1, 0, 0));
	CHECK(!LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR,
					  LIBMISCURING_VERSION_MINOR + 1, 0));
}

static void test_strerror(void)
{
	CHECK(!strcmp(miscuring_strerror(0), "Success"));
	CHECK(!strcmp(miscuring_strerror(-EOPNOTSUPP), "Operation not supported"));
	CHECK(!strcmp(miscuring_strerror(EINVAL), "Invalid argument"));
	CHECK(!strcmp(miscuring_strerror(-EMSGSIZE), "Message too long"));
	CHECK(!strcmp(miscuring_strerror(-EBUSY),
		      "Device or resource busy"));
	CHECK(!strcmp(miscuring_strerror(-100000), "Unknown error"));
	CHECK(!strcmp(miscuring_strerror(-2147483647), "Unknown error"));
	/* -INT_MIN has no positive int: still a string. */
	CHECK(miscuring_strerror(-2147483647 - 1) != NULL);
}

int main(void)
{
	test_version();
	test_strerror();
	return t_report("version");
}
