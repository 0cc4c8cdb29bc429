/* SPDX-License-Identifier: MIT */
/*
 * The result lines of the library's VM tests (tests/vm/README.md's
 * protocol): result() prints PASS or FAIL for one case; main() returns
 * failed.
 */
#ifndef LIB_RESULT_H
#define LIB_RESULT_H

#include <stdarg.h>
#include <stdio.h>

static int failed;

__attribute__((format(printf, 3, 4)))
static void result(int ok, const char *name, const char *fmt, ...)
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
