// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * runas UID GID[,GID...] PROGRAM [ARG]...: run PROGRAM as user UID with
 * primary group GID and the other GIDs as supplementary groups, with no
 * capabilities (setuid from root to another uid drops them all). The
 * guest of the VM bench has busybox, whose setpriv cannot change ids and
 * whose su needs /etc/passwd; uringctl's VM test (t_uringctl) uses this.
 *
 * Exit status: PROGRAM's, or 125 when runas itself failed (usage, ids),
 * 126/127 when PROGRAM could not be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long id_arg(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 0xfffffffeUL) {
		fprintf(stderr, "runas: bad id '%s'\n", s);
		exit(125);
	}
	return v;
}

int main(int argc, char **argv)
{
	gid_t groups[16];
	char *list, *tok, *save = NULL;
	size_t n = 0;
	uid_t uid;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID[,GID...] PROGRAM [ARG]...\n");
		return 125;
	}
	uid = (uid_t)id_arg(argv[1]);
	list = argv[2];
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == sizeof(groups) / sizeof(groups[0])) {
			fprintf(stderr, "runas: too many groups\n");
			return 125;
		}
		groups[n++] = (gid_t)id_arg(tok);
	}
	if (!n) {
		fprintf(stderr, "runas: no group\n");
		return 125;
	}
	if (setgroups(n - 1, groups + 1) || setresgid(groups[0], groups[0], groups[0]) ||
	    setresuid(uid, uid, uid)) {
		fprintf(stderr, "runas: %s\n", strerror(errno));
		return 125;
	}
	/* From root to another uid, the kernel clears every capability. */
	if (uid != 0 && setuid(0) == 0) {
		fprintf(stderr, "runas: could become root again\n");
		return 125;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "runas: %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
