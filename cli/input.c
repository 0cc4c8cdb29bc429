/* SPDX-License-Identifier: MIT */
/*
 * Reading a whole input (a file, stdin) into memory, bounded.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "uringctl.h"

int uc_read_all(int fd, size_t max, uint8_t **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	uint8_t *buf = malloc(cap), *more;
	ssize_t n;
	int err;

	if (!buf)
		return ENOMEM;
	for (;;) {
		if (len == cap) {
			/* One byte past max tells "too large" from "just fits". */
			if (cap > max) {
				err = EFBIG;
				break;
			}
			more = realloc(buf, cap * 2);
			if (!more) {
				err = ENOMEM;
				break;
			}
			buf = more;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0) {
			if (len > max) {
				err = EFBIG;
				break;
			}
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		len += (size_t)n;
	}
	free(buf);
	return err;
}
