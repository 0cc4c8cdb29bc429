// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * lib-roundtrip: the same round trip as raw-roundtrip, through the
 * installed library. The packaging test compiles it inside the Debian root
 * with "pkg-config --cflags --libs libmiscuring" (so libmiscuring-dev's
 * header, .so link and .pc file are used as a user would) and runs it in
 * the VM against the root's libmiscuring.so.1.
 *
 *   lib-roundtrip NAME MODULE_VERSION
 *
 * Prints "PASS NAME" or "FAIL NAME: why" and exits 0 iff it passed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libmiscuring.h>

int main(int argc, char **argv)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_devinfo info;
	uint64_t value = 0;
	const char *name;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME MODULE_VERSION\n", argv[0]);
		return 2;
	}
	name = argv[1];

#define FAIL(...) do { printf("FAIL %s: ", name); printf(__VA_ARGS__); \
		       printf("\n"); return 1; } while (0)

	/* One project version: the packaged library is the module's. */
	if (strcmp(miscuring_version(), argv[2]) != 0)
		FAIL("libmiscuring %s, expected the module's version %s",
		     miscuring_version(), argv[2]);
	if (miscuring_version_major() != LIBMISCURING_VERSION_MAJOR)
		FAIL("library major version %d, header %d",
		     miscuring_version_major(), LIBMISCURING_VERSION_MAJOR);

	ret = miscuring_open(MISCURING_DEVICE_PATH, 0, 0, &ring);
	if (ret < 0)
		FAIL("miscuring_open: %s", miscuring_strerror(ret));
	ret = miscuring_probe(ring, &info);
	if (ret < 0)
		FAIL("miscuring_probe: %s", miscuring_strerror(ret));
	if (info.abi_version != MISCURING_ABI_VERSION)
		FAIL("ABI %u, expected %d", info.abi_version, MISCURING_ABI_VERSION);
	if (strcmp(info.module_version, argv[2]) != 0)
		FAIL("module version '%s', expected '%s'", info.module_version, argv[2]);
	ret = miscuring_set_value(ring, 5);
	if (ret < 0)
		FAIL("miscuring_set_value(5): %s", miscuring_strerror(ret));
	ret = miscuring_get_value(ring, &value);
	if (ret < 0)
		FAIL("miscuring_get_value: %s", miscuring_strerror(ret));
	if (value != 5)
		FAIL("value %llu after setting 5", (unsigned long long)value);
	miscuring_close(ring);
	fprintf(stderr, "%s: libmiscuring %s, module %s\n", name,
		miscuring_version(), info.module_version);
	printf("PASS %s\n", name);
	return 0;
}
