/* SPDX-License-Identifier: MIT */
/*
 * libmiscuring: io_uring passthrough commands (IORING_OP_URING_CMD) on
 * /dev/miscuring, and raw uring_cmd on any file that accepts them.
 *
 * Headers
 * -------
 * This header is installed as <libmiscuring.h>. The wire ABI (ops, payload
 * structs, struct miscuring_info, MISCURING_* constants) is the kernel's
 * UAPI header, installed as <miscuring/miscuring.h> and included from here.
 * The UAPI header owns the MISCURING_* macro names it defines and the
 * struct tags of its payloads; this library names its own things
 * miscuring_*() (functions), struct miscuring_ring / _cqe / _args /
 * _devinfo, MISCURING_SETUP_* and LIBMISCURING_*.
 *
 * Types
 * -----
 * struct miscuring_ring is opaque: a device file plus an io_uring instance.
 * No liburing type appears here, so programs need not build against the
 * same liburing as the library.
 *
 * Errors
 * ------
 * Every function that can fail returns a negative errno value
 * (miscuring_strerror() describes it) and leaves errno alone.
 *
 * Threads
 * -------
 * A ring belongs to one thread at a time: calls on one ring must not run
 * concurrently. By default the ring is set up with
 * IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN where the kernel
 * has them, which binds it to the thread that opened it; open it with
 * MISCURING_SETUP_ANY_THREAD to hand it to another thread. Use one ring per
 * thread. Functions that take no ring (payload codecs, miscuring_strerror(),
 * version queries) are thread-safe.
 */
#ifndef LIBMISCURING_H
#define LIBMISCURING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <miscuring/miscuring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the library this header belongs to. */
#define LIBMISCURING_VERSION_MAJOR	0
#define LIBMISCURING_VERSION_MINOR	2
#define LIBMISCURING_VERSION_MICRO	0

/* True when the header is at least version major.minor.micro. */
#define LIBMISCURING_CHECK_VERSION(major, minor, micro)			\
	(LIBMISCURING_VERSION_MAJOR > (major) ||			\
	 (LIBMISCURING_VERSION_MAJOR == (major) &&			\
	  (LIBMISCURING_VERSION_MINOR > (minor) ||			\
	   (LIBMISCURING_VERSION_MINOR == (minor) &&			\
	    LIBMISCURING_VERSION_MICRO >= (micro)))))

/* Ring size used when miscuring_open*() gets entries == 0. */
#define MISCURING_DEFAULT_ENTRIES	64

/* flags of miscuring_open() and miscuring_open_fd() */
#define MISCURING_SETUP_SQE128		(1U << 0) /* 128-byte SQEs: 80-byte payloads */
#define MISCURING_SETUP_CQE32		(1U << 1) /* 32-byte CQEs: a second result */
#define MISCURING_SETUP_RDONLY		(1U << 2) /* open the device read-only */
#define MISCURING_SETUP_OWN_FD		(1U << 3) /* miscuring_close() closes the fd */
#define MISCURING_SETUP_ANY_THREAD	(1U << 4) /* no SINGLE_ISSUER/DEFER_TASKRUN */
#define MISCURING_SETUP_FIXED_FILE	(1U << 5) /* register the device: cheaper commands */

struct miscuring_ring;
struct timespec;	/* <time.h> of strict C99 does not declare it */

/* A completion, copied out of the ring in host byte order. */
struct miscuring_cqe {
	uint64_t	user_data;	/* as given to the builder */
	int32_t		res;		/* result or negative errno */
	uint32_t	flags;		/* IORING_CQE_F_* */
	uint64_t	res2;		/* second result on a CQE32 ring, else 0 */
};

/*
 * Host-order view of one command's payload, for miscuring_encode() and
 * miscuring_decode(). Fields an op does not have must be zero.
 *
 *   NOP, HELLO	no fields
 *   GET_VALUE	addr (0: the value comes back as the CQE32 second result)
 *   SET_VALUE	value
 *   ECHO	addr, len, data_len + data (the bytes after the struct,
 *		SQE128 only; data past data_len must be zero)
 *   DELAY	usec, result
 *   PROBE	addr, len
 *   WAIT	value, usec (the timeout)
 *   STATS	addr, len
 *   RESET_STATS no fields
 */
struct miscuring_args {
	uint32_t	cmd_op;		/* MISCURING_CMD_* */
	uint32_t	len;
	uint64_t	addr;
	uint64_t	value;
	uint32_t	usec;
	int32_t		result;
	uint32_t	data_len;
	uint8_t		data[MISCURING_PAYLOAD_SQE128 - MISCURING_PAYLOAD_SQE64];
};

/* struct miscuring_info decoded to host byte order. */
struct miscuring_devinfo {
	uint32_t	abi_version;
	uint32_t	info_size;
	uint64_t	features;	/* MISCURING_FEAT_* */
	uint64_t	ops;		/* bit nr: MISCURING_CMD(nr) is known */
	uint32_t	payload_sqe64;
	uint32_t	payload_sqe128;
	uint32_t	max_delay_usec;
	uint32_t	max_buffer;
	char		module_version[MISCURING_VERSION_LEN];
	uint32_t	decoded;	/* bytes of the info that were present */
};

/* struct miscuring_stats decoded to host byte order. */
struct miscuring_devstats {
	uint32_t	stats_size;
	uint32_t	decoded;	/* bytes of the stats that were present */
	uint64_t	issued;
	uint64_t	completed_inline;
	uint64_t	completed_async;
	uint64_t	cancelled;
	uint64_t	failed;
	uint64_t	in_flight;
};

/* Called once per completion by miscuring_reap(); non-zero stops. */
typedef int (*miscuring_cqe_fn)(const struct miscuring_cqe *cqe, void *arg);

/* setup.c: rings */
int miscuring_open(const char *path, unsigned entries, unsigned flags,
		   struct miscuring_ring **ringp);
int miscuring_open_fd(int fd, unsigned entries, unsigned flags,
		      struct miscuring_ring **ringp);
void miscuring_close(struct miscuring_ring *ring);
int miscuring_device_fd(const struct miscuring_ring *ring);
int miscuring_ring_fd(const struct miscuring_ring *ring);
unsigned miscuring_ring_setup_flags(const struct miscuring_ring *ring);
unsigned miscuring_sq_space_left(const struct miscuring_ring *ring);
unsigned miscuring_inflight(const struct miscuring_ring *ring);

/* prep.c: builders; each queues one SQE, sent by miscuring_submit() */
int miscuring_prep_nop(struct miscuring_ring *ring, uint64_t user_data);
int miscuring_prep_hello(struct miscuring_ring *ring, uint64_t user_data);
int miscuring_prep_get_value(struct miscuring_ring *ring, uint64_t *value,
			     uint64_t user_data);
int miscuring_prep_set_value(struct miscuring_ring *ring, uint64_t value,
			     uint64_t user_data);
int miscuring_prep_echo(struct miscuring_ring *ring, void *buf, uint32_t len,
			const void *data, size_t data_len, uint64_t user_data);
int miscuring_prep_delay(struct miscuring_ring *ring, uint32_t usec,
			 int32_t result, uint64_t user_data);
int miscuring_prep_probe(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data);
int miscuring_prep_wait_value(struct miscuring_ring *ring, uint64_t value,
			      uint32_t timeout_usec, uint64_t user_data);
int miscuring_prep_stats(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data);
int miscuring_prep_reset_stats(struct miscuring_ring *ring, uint64_t user_data);
int miscuring_prep_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		       const void *payload, size_t len, uint64_t user_data);
int miscuring_prep_cancel(struct miscuring_ring *ring, uint64_t target,
			  uint64_t user_data);

/* submit.c */
int miscuring_submit(struct miscuring_ring *ring);
int miscuring_submit_and_wait(struct miscuring_ring *ring, unsigned wait_nr);

/* complete.c: completions; waiting sends prepared commands first */
int miscuring_peek(struct miscuring_ring *ring, struct miscuring_cqe *cqe);
int miscuring_wait(struct miscuring_ring *ring, struct miscuring_cqe *cqe);
int miscuring_wait_timeout(struct miscuring_ring *ring,
			   struct miscuring_cqe *cqe,
			   const struct timespec *timeout);
int miscuring_wait_batch(struct miscuring_ring *ring,
			 struct miscuring_cqe *cqes, unsigned max,
			 unsigned min, const struct timespec *timeout);
int miscuring_reap(struct miscuring_ring *ring, unsigned min,
		   const struct timespec *timeout, miscuring_cqe_fn fn,
		   void *arg);
unsigned miscuring_cq_ready(const struct miscuring_ring *ring);
int miscuring_cancel(struct miscuring_ring *ring, uint64_t target,
		     const struct timespec *timeout);

/* sync.c: one command, waited for; the ring must have none in flight */
int miscuring_nop(struct miscuring_ring *ring);
int miscuring_hello(struct miscuring_ring *ring);
int miscuring_get_value(struct miscuring_ring *ring, uint64_t *value);
int miscuring_set_value(struct miscuring_ring *ring, uint64_t value);
int miscuring_echo(struct miscuring_ring *ring, const void *data, size_t len,
		   void *out);
int miscuring_delay(struct miscuring_ring *ring, uint32_t usec,
		    int32_t result);
int miscuring_probe(struct miscuring_ring *ring,
		    struct miscuring_devinfo *info);
int miscuring_wait_value(struct miscuring_ring *ring, uint64_t value,
			 uint32_t timeout_usec, uint64_t *now);
int miscuring_stats(struct miscuring_ring *ring,
		    struct miscuring_devstats *stats);
int miscuring_reset_stats(struct miscuring_ring *ring);
int miscuring_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		  const void *payload, size_t len, uint64_t *res2);

/* payload.c: wire payloads <-> host order */
int miscuring_encode(const struct miscuring_args *args, void *payload,
		     size_t size);
int miscuring_decode(uint32_t cmd_op, const void *payload, size_t size,
		     struct miscuring_args *args);
int miscuring_decode_info(const void *buf, size_t len,
			  struct miscuring_devinfo *info);
int miscuring_decode_stats(const void *buf, size_t len,
			   struct miscuring_devstats *stats);
int miscuring_has_op(const struct miscuring_devinfo *info, uint32_t cmd_op);
const char *miscuring_op_name(uint32_t cmd_op);

/* error.c, version.c */
const char *miscuring_strerror(int err);
const char *miscuring_version(void);
int miscuring_version_major(void);
int miscuring_version_minor(void);
int miscuring_version_micro(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBMISCURING_H */
