/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared helpers for the in-guest miscuring tests (tests/vm/guest/, one program per .c file).
 *
 * Output contract: one line per case on stdout, exactly
 *	PASS <name>
 *	FAIL <name>: <message>
 *	SKIP <name>: <reason>
 * and exit status 0 iff no case failed. Diagnostics go to stderr.
 *
 * A case is written as
 *
 *	static void test_foo(void)
 *	{
 *		gt_begin("foo");
 *		CHECK(x == 1, "x is %d, expected 1", x);
 *		CHECK_RES(res, -EINVAL);
 *	out:
 *		gt_end();
 *	}
 *
 * CHECK* print the FAIL line for the current case and jump to "out";
 * gt_end() prints PASS if nothing failed (and nothing was skipped).
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strerrorname_np(); include this header first */
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <endian.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <liburing.h>

#include "miscuring.h"

/* ------------------------------------------------------------------ */
/* Result reporting                                                    */
/* ------------------------------------------------------------------ */

static char gt_name[96];
static int gt_case_state;	/* 0 running, 1 failed, 2 skipped */
static int gt_nfail, gt_npass, gt_nskip;

static inline void gt_line(const char *kind, const char *name,
			   const char *fmt, va_list ap)
{
	char msg[512];

	if (fmt) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		/* keep the result on one line */
		for (char *p = msg; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		printf("%s %s: %s\n", kind, name, msg);
	} else {
		printf("%s %s\n", kind, name);
	}
	fflush(stdout);
}

static inline void __attribute__((format(printf, 1, 2)))
gt_begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(gt_name, sizeof(gt_name), fmt, ap);
	va_end(ap);
	gt_case_state = 0;
}

/* Report a failure of the current case; only the first one is a FAIL line. */
static inline void __attribute__((format(printf, 1, 2)))
gt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (gt_case_state == 0) {
		gt_line("FAIL", gt_name, fmt, ap);
		gt_nfail++;
		gt_case_state = 1;
	} else {
		fprintf(stderr, "  (%s, further failure) ", gt_name);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static inline void __attribute__((format(printf, 1, 2)))
gt_skip(const char *fmt, ...)
{
	va_list ap;

	if (gt_case_state != 0)
		return;
	va_start(ap, fmt);
	gt_line("SKIP", gt_name, fmt, ap);
	va_end(ap);
	gt_nskip++;
	gt_case_state = 2;
}

static inline void gt_end(void)
{
	if (gt_case_state == 0) {
		printf("PASS %s\n", gt_name);
		fflush(stdout);
		gt_npass++;
	}
	gt_case_state = 3;
}

static inline int gt_exit_status(void)
{
	fprintf(stderr, "summary: %d pass, %d fail, %d skip\n",
		gt_npass, gt_nfail, gt_nskip);
	fflush(stdout);
	return gt_nfail ? 1 : 0;
}

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond)) {						\
			gt_fail("line %d: " fmt, __LINE__, ##__VA_ARGS__); \
			goto out;					\
		}							\
	} while (0)

static inline const char *gt_errname(long res)
{
	static char buf[4][96];
	static int idx;
	char *b = buf[idx++ & 3];

	if (res < 0 && res > -4096 && strerrorname_np((int)-res))
		snprintf(b, sizeof(buf[0]), "%ld (-%s: %s)", res,
			 strerrorname_np((int)-res), strerror((int)-res));
	else
		snprintf(b, sizeof(buf[0]), "%ld", res);
	return b;
}

/* A CQE result (or -errno) against the expected value. */
#define CHECK_RES(res, exp)						\
	do {								\
		long __r = (long)(res), __e = (long)(exp);		\
		if (__r != __e) {					\
			gt_fail("line %d: %s: res %s, expected %s",	\
				__LINE__, #res, gt_errname(__r),	\
				gt_errname(__e));			\
			goto out;					\
		}							\
	} while (0)

/* A syscall that returns -1/errno: expect failure with exactly err. */
#define CHECK_ERRNO(call, err)						\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		int __err = errno;					\
		if (__r != -1 || __err != (err)) {			\
			gt_fail("line %d: %s: returned %ld errno %d (%s), " \
				"expected -1 errno %d (%s)", __LINE__, #call, \
				__r, __err, strerror(__err), (err),	\
				strerror(err));				\
			goto out;					\
		}							\
	} while (0)

/* A syscall expected to succeed with exactly the value exp. */
#define CHECK_SYS(call, exp)						\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		int __err = errno;					\
		if (__r != (long)(exp)) {				\
			gt_fail("line %d: %s: returned %ld (errno %d %s), " \
				"expected %ld", __LINE__, #call, __r,	\
				__err, __r < 0 ? strerror(__err) : "-",	\
				(long)(exp));				\
			goto out;					\
		}							\
	} while (0)

/* ------------------------------------------------------------------ */
/* Watchdog: a test program must never hang                            */
/* ------------------------------------------------------------------ */

static const char *gt_prog = "guest";

static inline void gt_alarm_handler(int sig)
{
	char buf[256];
	int n;

	(void)sig;
	/* async-signal-safe: no stdio */
	n = snprintf(buf, sizeof(buf), "FAIL %s: watchdog timeout (case %s still running)\n",
		     gt_prog, gt_name[0] ? gt_name : "none");
	if (n > 0)
		(void)!write(STDOUT_FILENO, buf, (size_t)n);
	_exit(1);
}

/* Call first in main(): names the program and arms a watchdog. */
static inline void gt_init(const char *prog, unsigned int timeout_s)
{
	struct sigaction sa = { .sa_handler = gt_alarm_handler };

	gt_prog = prog;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout_s);
}

/* ------------------------------------------------------------------ */
/* Time                                                                */
/* ------------------------------------------------------------------ */

static inline uint64_t gt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

static inline void gt_sleep_us(uint64_t us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ------------------------------------------------------------------ */
/* Processes                                                           */
/* ------------------------------------------------------------------ */

/*
 * Reap child pid, waiting at most timeout_us. 0 with *status, -ETIME if it
 * is still there, or -errno. Polls every 1 ms, so timings are that precise.
 */
static inline int gt_wait_child(pid_t pid, int *status, uint64_t timeout_us)
{
	uint64_t deadline = gt_now_us() + timeout_us;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (gt_now_us() >= deadline)
			return -ETIME;
		gt_sleep_us(1000);
	}
}

/* xorshift64*: reproducible pseudo-random numbers, seed printed to stderr */
static uint64_t gt_rng_state = 0x9e3779b97f4a7c15ull;

/*
 * The running kernel's release is at least major.minor. For what a test
 * expects of io_uring itself on that kernel (what it shows a driver, what
 * it refuses before the driver sees a command): the module's own
 * behaviour is never chosen by version, it comes from its compile probes.
 */
static inline int gt_kernel_at_least(int want_major, int want_minor)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &major, &minor);
	return major > want_major || (major == want_major && minor >= want_minor);
}

static inline void gt_srand(uint64_t seed)
{
	gt_rng_state = seed ? seed : 0x9e3779b97f4a7c15ull;
	fprintf(stderr, "%s: random seed 0x%" PRIx64 "\n", gt_prog, seed);
}

static inline uint64_t gt_rand64(void)
{
	uint64_t x = gt_rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	gt_rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static inline void gt_fill_random(void *buf, size_t len)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(gt_rand64() >> 56);
}

/* ------------------------------------------------------------------ */
/* Device                                                              */
/* ------------------------------------------------------------------ */

/*
 * Whether op nr must be in miscuring_info.ops given its features: 1 must,
 * 0 must not (READ and WRITE without MISCURING_FEAT_RW_CMD, WATCH and
 * WATCH_STOP without MISCURING_FEAT_WATCH), -1 an op this test predates.
 */
static inline int gt_op_required(unsigned int nr, uint64_t features)
{
	if (nr == MISCURING_CMD_NR(MISCURING_CMD_READ) ||
	    nr == MISCURING_CMD_NR(MISCURING_CMD_WRITE))
		return !!(features & MISCURING_FEAT_RW_CMD);
	if (nr == MISCURING_CMD_NR(MISCURING_CMD_WATCH) ||
	    nr == MISCURING_CMD_NR(MISCURING_CMD_WATCH_STOP))
		return !!(features & MISCURING_FEAT_WATCH);
	return nr <= MISCURING_CMD_NR(MISCURING_CMD_RESET_STATS) ? 1 : -1;
}

static inline int gt_open_dev(int flags)
{
	int fd = open(MISCURING_DEVICE_PATH, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* The number a sysfs file such as a module parameter holds, or -errno. */
static inline long long gt_read_sysfs_ll(const char *path)
{
	FILE *f = fopen(path, "r");
	long long v;
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%lld", &v) == 1;
	fclose(f);
	return ok ? v : -EINVAL;
}

/* /sys/module/miscuring/parameters/max_buffer, or -errno */
static inline long long gt_max_buffer(void)
{
	return gt_read_sysfs_ll("/sys/module/miscuring/parameters/max_buffer");
}

/* ------------------------------------------------------------------ */
/* Rings                                                               */
/* ------------------------------------------------------------------ */

enum gt_ring_kind {
	GT_RING_PLAIN,
	GT_RING_SQE128,
	GT_RING_CQE32,
	GT_RING_BIG,		/* SQE128 | CQE32 */
	GT_RING_KINDS,
};

static const char *const gt_ring_names[GT_RING_KINDS] = {
	[GT_RING_PLAIN] = "plain",
	[GT_RING_SQE128] = "sqe128",
	[GT_RING_CQE32] = "cqe32",
	[GT_RING_BIG] = "sqe128_cqe32",
};

static const unsigned int gt_ring_flags[GT_RING_KINDS] = {
	[GT_RING_PLAIN] = 0,
	[GT_RING_SQE128] = IORING_SETUP_SQE128,
	[GT_RING_CQE32] = IORING_SETUP_CQE32,
	[GT_RING_BIG] = IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
};

/* 0 or -errno; on failure the ring is marked unset for gt_ring_exit() */
static inline int gt_ring_init(struct io_uring *ring, unsigned int entries,
			       enum gt_ring_kind kind)
{
	int ret;

	memset(ring, 0, sizeof(*ring));
	ret = io_uring_queue_init(entries, ring, gt_ring_flags[kind]);
	if (ret)
		memset(ring, 0, sizeof(*ring));
	return ret;
}

/* Tear down a ring set up by gt_ring_init(), or do nothing. */
static inline void gt_ring_exit(struct io_uring *ring)
{
	if (ring->sq.ring_ptr)
		io_uring_queue_exit(ring);
	memset(ring, 0, sizeof(*ring));
}

/*
 * Most cases use one ring and one open file of the device. Set up both,
 * CHECKing each: a failure ends the case at "out". Declare them as
 * "struct io_uring ring = {}" and "int fd = -1" so that gt_ring_dev_exit()
 * at "out" is right however far the case got.
 */
#define CHECK_RING_AND_OPEN(ring, entries, kind, fd, open_flags)	\
	do {								\
		int __ret = gt_ring_init((ring), (entries), (kind));	\
		CHECK(__ret == 0, "ring setup: %s", gt_errname(__ret));	\
		(fd) = gt_open_dev(open_flags);				\
		CHECK((fd) >= 0, "open: %s", gt_errname(fd));		\
	} while (0)

/* Undo CHECK_RING_AND_OPEN(): close fd if it is open, tear down the ring. */
static inline void gt_ring_dev_exit(struct io_uring *ring, int fd)
{
	if (fd >= 0)
		close(fd);
	gt_ring_exit(ring);
}

static inline int gt_ring_sqe128(const struct io_uring *ring)
{
	return !!(ring->flags & IORING_SETUP_SQE128);
}

static inline int gt_ring_cqe32(const struct io_uring *ring)
{
	return !!(ring->flags & IORING_SETUP_CQE32);
}

/* Payload bytes a command carries on this ring: 16 or 80. */
static inline size_t gt_payload_size(const struct io_uring *ring)
{
	return gt_ring_sqe128(ring) ? MISCURING_PAYLOAD_SQE128
				    : MISCURING_PAYLOAD_SQE64;
}

#define GT_SQE_CMD_OFF	48
_Static_assert(offsetof(struct io_uring_sqe, cmd) == GT_SQE_CMD_OFF,
	       "command area of the SQE");
_Static_assert(sizeof(struct io_uring_sqe) == 64, "SQE size");

/*
 * Get an SQE and fill it with IORING_OP_URING_CMD op on fd; the command
 * area holds len bytes of payload (len <= gt_payload_size(ring)), the rest
 * of it zero. The whole SQE (64 or 128 bytes) is zeroed first: liburing
 * 2.3's io_uring_prep_rw() leaves __pad1, the personality area and the
 * second half of a 128-byte SQE alone. Returns NULL if the SQ ring is full
 * or the payload does not fit.
 */
static inline struct io_uring_sqe *
gt_prep_cmd(struct io_uring *ring, int fd, uint32_t op, const void *payload,
	    size_t len, uint64_t user_data)
{
	struct io_uring_sqe *sqe;

	if (len > gt_payload_size(ring))
		return NULL;
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return NULL;
	memset(sqe, 0, gt_ring_sqe128(ring) ? 128 : 64);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	sqe->__pad1 = 0;
	if (len)
		memcpy((unsigned char *)sqe + GT_SQE_CMD_OFF, payload, len);
	io_uring_sqe_set_data64(sqe, user_data);
	return sqe;
}

struct gt_cqe {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	uint64_t res2;		/* big_cqe[0] on a CQE32 ring, else 0 */
};

/*
 * Wait up to timeout_us for one CQE, copy it out and mark it seen.
 * timeout_us == 0: just peek. Returns 0, -ETIME if none arrived, or -errno.
 */
static inline int gt_reap(struct io_uring *ring, struct gt_cqe *out,
			  uint64_t timeout_us)
{
	struct io_uring_cqe *cqe = NULL;
	int ret;

	if (timeout_us) {
		struct __kernel_timespec ts = {
			.tv_sec = (long long)(timeout_us / 1000000),
			.tv_nsec = (long long)(timeout_us % 1000000) * 1000,
		};
		uint64_t deadline = gt_now_us() + timeout_us;

		do {
			ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		} while (ret == -EINTR && gt_now_us() < deadline);
	} else {
		ret = io_uring_peek_cqe(ring, &cqe);
		if (ret == -EAGAIN)
			ret = -ETIME;
	}
	if (ret < 0)
		return ret;
	if (!cqe)
		return -ETIME;
	out->user_data = cqe->user_data;
	out->res = cqe->res;
	out->flags = cqe->flags;
	out->res2 = gt_ring_cqe32(ring) ? cqe->big_cqe[0] : 0;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

#define GT_WAIT_US	(10ull * 1000000)	/* generous for QEMU TCG */

static uint64_t gt_next_tag = 0x5eed000000000000ull;

/*
 * Submit one command and wait for its completion. On success returns 0 and
 * fills *cqe; the CQE must carry the user_data of this command and be the
 * only one: a stray CQE is reported as -EPROTO.
 */
static inline int gt_cmd_sync(struct io_uring *ring, int fd, uint32_t op,
			      const void *payload, size_t len,
			      struct gt_cqe *cqe)
{
	uint64_t tag = ++gt_next_tag;
	struct gt_cqe extra;
	int ret;

	if (!gt_prep_cmd(ring, fd, op, payload, len, tag))
		return -ENOSPC;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = gt_reap(ring, cqe, GT_WAIT_US);
	if (ret)
		return ret;
	if (cqe->user_data != tag) {
		fprintf(stderr, "unexpected CQE user_data 0x%" PRIx64
			" (expected 0x%" PRIx64 ") res %d\n",
			cqe->user_data, tag, cqe->res);
		return -EPROTO;
	}
	if (gt_reap(ring, &extra, 0) == 0) {
		fprintf(stderr, "stray CQE user_data 0x%" PRIx64 " res %d\n",
			extra.user_data, extra.res);
		return -EPROTO;
	}
	return 0;
}

/* Run a command, CHECK that it was delivered and its result is exp. */
#define CMD_EXPECT(ring, fd, op, payload, len, cqe, exp)		\
	do {								\
		int __ret = gt_cmd_sync((ring), (fd), (op), (payload),	\
					(len), (cqe));			\
		CHECK(__ret == 0, "%s: submit/wait failed: %s", #op,	\
		      gt_errname(__ret));				\
		if ((long)(cqe)->res != (long)(exp)) {			\
			gt_fail("line %d: %s: res %s, expected %s",	\
				__LINE__, #op, gt_errname((cqe)->res),	\
				gt_errname(exp));			\
			goto out;					\
		}							\
	} while (0)

/* ------------------------------------------------------------------ */
/* Payload builders (little-endian on the wire)                        */
/* ------------------------------------------------------------------ */

static inline struct miscuring_get_value gt_get_payload(const void *addr)
{
	return (struct miscuring_get_value){
		.addr = htole64((uint64_t)(uintptr_t)addr),
	};
}

static inline struct miscuring_set_value gt_set_payload(uint64_t value)
{
	return (struct miscuring_set_value){ .value = htole64(value) };
}

static inline struct miscuring_echo gt_echo_payload(const void *addr,
						    uint32_t len)
{
	return (struct miscuring_echo){
		.addr = htole64((uint64_t)(uintptr_t)addr),
		.len = htole32(len),
	};
}

static inline struct miscuring_delay gt_delay_payload(uint32_t usec,
						      int32_t result)
{
	return (struct miscuring_delay){
		.usec = htole32(usec),
		.result = htole32((uint32_t)result),
	};
}

static inline struct miscuring_probe gt_probe_payload(const void *addr,
						      uint32_t len)
{
	return (struct miscuring_probe){
		.addr = htole64((uint64_t)(uintptr_t)addr),
		.len = htole32(len),
	};
}

/*
 * Make the payload buffer p (size bytes) hold s, one of the gt_*_payload()
 * structs above, followed by zeros: what a command with only its own
 * fields set looks like on a ring of any SQE size.
 */
#define GT_PUT_PAYLOAD(p, size, s)					\
	do {								\
		__typeof__(s) __s = (s);				\
		memset((p), 0, (size));					\
		memcpy((p), &__s, sizeof(__s));				\
	} while (0)

/*
 * Queue a DELAY of usec that completes with result, for the caller to
 * submit. The SQE (to add flags to), or NULL if the SQ ring is full.
 */
static inline struct io_uring_sqe *
gt_prep_delay(struct io_uring *ring, int fd, uint32_t usec, int32_t result,
	      uint64_t user_data)
{
	struct miscuring_delay d = gt_delay_payload(usec, result);

	return gt_prep_cmd(ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d),
			   user_data);
}

/* GET_VALUE through a buffer; 0 and *val, or a negative error/res. */
static inline int gt_get_value(struct io_uring *ring, int fd, uint64_t *val)
{
	struct miscuring_get_value p;
	struct gt_cqe cqe;
	uint64_t v = 0;
	int ret;

	p = gt_get_payload(&v);
	ret = gt_cmd_sync(ring, fd, MISCURING_CMD_GET_VALUE, &p, sizeof(p), &cqe);
	if (ret)
		return ret;
	if (cqe.res)
		return cqe.res;
	*val = le64toh(v);
	return 0;
}

static inline int gt_set_value(struct io_uring *ring, int fd, uint64_t val)
{
	struct miscuring_set_value p = gt_set_payload(val);
	struct gt_cqe cqe;
	int ret;

	ret = gt_cmd_sync(ring, fd, MISCURING_CMD_SET_VALUE, &p, sizeof(p), &cqe);
	return ret ? ret : cqe.res;
}

/* ------------------------------------------------------------------ */
/* Bad user addresses                                                  */
/* ------------------------------------------------------------------ */

#define GT_KERNEL_ADDR	((void *)0xffff888000000000ull)

/*
 * An address nothing is mapped at: below mmap_min_addr (64 KiB on Debian),
 * where no later mmap() (a ring, malloc) can land either.
 */
static inline void *gt_unmapped_addr(void)
{
	return (void *)0x1040;
}

/* A reserved PROT_NONE page: mapped, but any access faults. */
static inline void *gt_prot_none_addr(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)pg, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : (char *)p + 64;
}

/*
 * Two pages: the first read-write, the second PROT_NONE. Returns the end
 * of the accessible page (buffers placed just before it straddle the edge).
 */
static inline unsigned char *gt_edge_page(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + pg, (size_t)pg, PROT_NONE))
		return NULL;
	return p + pg;
}

/* A read-only page (writes to it fault). */
static inline unsigned char *gt_readonly_page(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0xa5, (size_t)pg);
	if (mprotect(p, (size_t)pg, PROT_READ))
		return NULL;
	return p;
}

/* All len bytes of buf equal c? */
static inline int gt_all_bytes(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* Index of the first byte where a and b differ, or -1. */
static inline long gt_first_diff(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

#endif /* GUEST_TEST_H */
