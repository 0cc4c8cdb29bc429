/* SPDX-License-Identifier: MIT */
/*
 * A minimal harness for the unit tests: each program runs its checks,
 * prints the failed ones, and exits 0 (pass), 1 (fail) or 77 (skip), the
 * codes automake's test driver reads.
 */
#ifndef MU_TEST_H
#define MU_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T_SKIP	77

/*
 * Every test program ends within T_TIMEOUT seconds (MU_TEST_TIMEOUT in the
 * environment overrides it; valgrind runs give more): a hang is a failure,
 * killed by SIGALRM, never a make check that does not return.
 */
#define T_TIMEOUT	60

__attribute__((constructor)) static void t_set_timeout(void)
{
	const char *s = getenv("MU_TEST_TIMEOUT");
	unsigned t = s ? (unsigned)atoi(s) : T_TIMEOUT;

	alarm(t ? t : T_TIMEOUT);
}

extern int t_failed;
extern int t_checks;

#define CHECK(cond) do {						\
	t_checks++;							\
	if (!(cond)) {							\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",	\
			__FILE__, __LINE__, __func__, #cond);		\
	}								\
} while (0)

/* Compare two ints and show both on failure (errnos mostly). */
#define CHECK_EQ(a, b) do {						\
	long long t_a_ = (long long)(a), t_b_ = (long long)(b);		\
	t_checks++;							\
	if (t_a_ != t_b_) {						\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: %s == %lld, want %s == %lld\n", \
			__FILE__, __LINE__, __func__, #a, t_a_, #b, t_b_); \
	}								\
} while (0)

/* Stop the program: a precondition of the remaining checks failed. */
#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s: REQUIRE(%s) failed\n",	\
			__FILE__, __LINE__, __func__, #cond);		\
		exit(1);						\
	}								\
} while (0)

#define T_DEFINE_COUNTERS	int t_failed, t_checks

static inline int t_report(const char *name)
{
	if (!t_checks) {
		fprintf(stderr, "%s: no checks ran\n", name);
		return 1;
	}
	printf("%s: %d checks, %d failed\n", name, t_checks, t_failed);
	return t_failed ? 1 : 0;
}

#endif /* MU_TEST_H */
