/* SPDX-License-Identifier: MIT */
/*
 * Messages: failures and warnings on stderr, text on stdout, the failure
 * in the JSON document, errno names.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "uringctl.h"

const char *uc_errname(int err)
{
#ifdef HAVE_STRERRORNAME_NP
	return strerrorname_np(err);
#else
	(void)err;
	return NULL;
#endif
}

__attribute__((format(printf, 5, 0)))
static int vfail(struct uc_ctx *ctx, int err, bool describe, const char *hint,
		 const char *fmt, va_list ap)
{
	char *m = ctx->errmsg;
	size_t size = sizeof(ctx->errmsg), n;
	const char *name;

	vsnprintf(m, size, fmt, ap);
	n = strlen(m);
	if (err && describe) {
		name = uc_errname(err);
		if (name)
			snprintf(m + n, size - n, ": %s (%s)",
				 miscuring_strerror(err), name);
		else
			snprintf(m + n, size - n, ": %s (errno %d)",
				 miscuring_strerror(err), err);
		n = strlen(m);
	}
	if (hint)
		snprintf(m + n, size - n, "; %s", hint);
	fprintf(stderr, "uringctl: %s\n", m);
	ctx->failed = true;
	ctx->err = err;
	return 1;
}

int uc_fail(struct uc_ctx *ctx, int err, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(ctx, err, true, hint, fmt, ap);
	va_end(ap);
	return ret;
}

int uc_fail_plain(struct uc_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(ctx, err, false, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

void uc_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("uringctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void uc_json_error(struct uc_ctx *ctx)
{
	const char *name = ctx->err ? uc_errname(ctx->err) : NULL;

	json_key(ctx->j, "error");
	json_object_begin(ctx->j);
	json_kv_s64(ctx->j, "errno", ctx->err);
	json_key(ctx->j, "name");
	if (name)
		json_string(ctx->j, name);
	else
		json_null(ctx->j);
	json_kv_string(ctx->j, "message", ctx->errmsg);
	json_object_end(ctx->j);
}

void uc_text(struct uc_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->text)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static double clock_seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double uc_now(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

double uc_cpu_now(void)
{
	return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
