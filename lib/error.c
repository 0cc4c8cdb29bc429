/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "libmiscuring.h"

/*
 * A description of err (negative or positive errno). Returns a static
 * string, never NULL, and is safe to call from any thread, unlike
 * strerror(), whose buffer is shared.
 */
const char *miscuring_strerror(int err)
{
	const char *s;

	if (err == INT_MIN)
		return "Unknown error";
	if (err < 0)
		err = -err;
	if (err == 0)
		return "Success";
#ifdef HAVE_STRERRORDESC_NP
	s = strerrordesc_np(err);
#else
	s = strerror(err);
#endif
	return s ? s : "Unknown error";
}
