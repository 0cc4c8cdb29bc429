/* SPDX-License-Identifier: MIT */
/*
 * cli/progress.c: when a progress line is drawn, what it looks like, and
 * that it is erased.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "test.h"

T_DEFINE_COUNTERS;

static void test_wanted(void)
{
	/* only on a terminal, both stdout and stderr, in text mode */
	CHECK(uc_progress_wanted(false, false, true, true));
	CHECK(!uc_progress_wanted(true, false, true, true));
	CHECK(!uc_progress_wanted(false, true, true, true));
	CHECK(!uc_progress_wanted(false, false, false, true));
	CHECK(!uc_progress_wanted(false, false, true, false));
	CHECK(!uc_progress_wanted(false, false, false, false));
}

static void test_line(void)
{
	struct uc_progress p;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	REQUIRE(f);
	uc_progress_start(&p, f, 100.0, "nop");
	uc_progress_update(&p, 100.5, 0.1);	/* before 1 s: nothing */
	uc_progress_update(&p, 100.99, 0.2);
	fflush(f);
	CHECK_EQ(size, 0);
	uc_progress_end(&p);			/* nothing drawn, nothing to erase */
	fflush(f);
	CHECK_EQ(size, 0);

	uc_progress_update(&p, 101.0, 0.5);
	fflush(f);
	CHECK(!strcmp(buf, "\rnop  50%\033[K"));
	uc_progress_update(&p, 101.05, 0.6);	/* within 0.1 s of the last */
	fflush(f);
	CHECK(!strcmp(buf, "\rnop  50%\033[K"));
	uc_progress_label(&p, "bench: get, batch 8 (2/13)");
	uc_progress_update(&p, 101.1, 1.5);	/* clamped to 100% */
	uc_progress_update(&p, 101.3, -1);	/* and to 0% */
	uc_progress_end(&p);
	uc_progress_end(&p);			/* erased once */
	fflush(f);
	CHECK(!strcmp(buf, "\rnop  50%\033[K"
			   "\rbench: get, batch 8 (2/13) 100%\033[K"
			   "\rbench: get, batch 8 (2/13)   0%\033[K"
			   "\r\033[K"));
	fclose(f);
	free(buf);

	/* disabled: nothing at all, whatever the time */
	uc_progress_start(&p, NULL, 0, "nop");
	uc_progress_update(&p, 50, 0.5);
	uc_progress_end(&p);
	CHECK(!p.drawn);
}

int main(void)
{
	test_wanted();
	test_line();
	return t_report("test-progress");
}
