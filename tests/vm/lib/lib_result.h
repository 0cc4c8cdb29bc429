/* SPDX-License-Identifier: MIT */
/*
 * The result lines of the library's VM tests (lib_api.c, lib_own_ring.c), as
 * tests/vm/README.md defines them: result() prints PASS or FAIL <name>
 * with a message, and remembers a failure for main()'s exit status.
 */
#ifndef LIB_RESULT_H
#define LIB_RESULT_H

#include <stdarg.h>
#include <stdio.h>

/* Set by the first FAIL; main() returns it. */
static int failed;

static void __attribute__((format(printf, 3, 4)))
result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	failed = 1;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#endif /* LIB_RESULT_H */
