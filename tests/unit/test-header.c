/* SPDX-License-Identifier: MIT */
/*
 * <libmiscuring.h> on its own, compiled as strict C99 (-pedantic): what a
 * program that uses the library sees. Also pins the sizes of the public
 * structs, which are ABI.
 */
#include <libmiscuring.h>

#include <stdio.h>

/* True for the header's own version, false for the next micro version. */
#if !LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR,		\
				LIBMISCURING_VERSION_MINOR,		\
				LIBMISCURING_VERSION_MICRO) ||		\
	LIBMISCURING_CHECK_VERSION(LIBMISCURING_VERSION_MAJOR,		\
				   LIBMISCURING_VERSION_MINOR,		\
				   LIBMISCURING_VERSION_MICRO + 1)
#error "the header's version macros are broken"
#endif

static int check_size(const char *what, size_t got, size_t want)
{
	if (got == want)
		return 0;
	fprintf(stderr, "sizeof(%s) = %zu, want %zu\n", what, got, want);
	return 1;
}

int main(void)
{
	int bad = 0;

	bad |= check_size("struct miscuring_cqe",
			  sizeof(struct miscuring_cqe), 32);
	bad |= check_size("struct miscuring_cmd_desc",
			  sizeof(struct miscuring_cmd_desc), 96);
	bad |= check_size("struct miscuring_args",
			  sizeof(struct miscuring_args), 104);
	bad |= check_size("struct miscuring_devinfo",
			  sizeof(struct miscuring_devinfo), 80);
	bad |= check_size("struct miscuring_devstats",
			  sizeof(struct miscuring_devstats), 56);
	printf("header: 5 checks, %d failed\n", bad);
	return bad;
}
