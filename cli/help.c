/* SPDX-License-Identifier: MIT */
/*
 * Usage and help texts, from the command table in cmdline.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "uringctl.h"

static void print_opts(FILE *f, const struct uc_opt *o)
{
	char left[48];

	for (; o->name; o++) {
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
}

void uc_usage_short(FILE *f)
{
	fprintf(f, "Usage: uringctl [OPTION]... COMMAND [ARG]... [COMMAND [ARG]...]...\n"
		   "Try 'uringctl help' for more information.\n");
}

void uc_help(FILE *f, int topic)
{
	const struct uc_cmd_spec *s;
	char left[64];
	int i;

	if (topic >= 0) {
		s = &uc_cmd_specs[topic];
		/* The summary as a sentence: capitalized, with a full stop. */
		fprintf(f, "Usage: uringctl [OPTION]... %s%s%s\n\n%c%s.\n%s", s->name,
			*s->synopsis ? " " : "", s->synopsis,
			toupper((unsigned char)s->summary[0]), s->summary + 1,
			s->details);
		if (s->opts[0].name) {
			fprintf(f, "\nOptions:\n");
			print_opts(f, s->opts);
		}
		fprintf(f, "\nGlobal options: see 'uringctl help'.\n");
		return;
	}
	fprintf(f,
		"Usage: uringctl [OPTION]... COMMAND [ARG]... [COMMAND [ARG]...]...\n"
		"\n"
		"Send io_uring passthrough commands to the miscuring device.\n"
		"Commands run in the order given, on one open file of the device,\n"
		"so a value one of them sets is the value the next one sees:\n"
		"  uringctl set 5 get\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < UC_CMD_COUNT; i++) {
		s = &uc_cmd_specs[i];
		snprintf(left, sizeof(left), "%s%s%s", s->name,
			 *s->synopsis ? " " : "", s->synopsis);
		if (strlen(left) > 24)
			fprintf(f, "  %s\n  %-24s %s\n", left, "", s->summary);
		else
			fprintf(f, "  %-24s %s\n", left, s->summary);
	}
	fprintf(f, "\nOptions (anywhere on the line):\n");
	print_opts(f, uc_global_opts);
	fprintf(f,
		"\n"
		"Exit status: 0 success, 1 a command failed, 2 a usage error.\n"
		"'uringctl help COMMAND' shows a command's options; uringctl(1)\n"
		"has the details, and the JSON output.\n");
}
