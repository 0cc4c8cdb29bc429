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
 * same liburing as the library. The miscuring_sqe_*() builders and
 * miscuring_cqe_decode() work on the kernel's own struct io_uring_sqe and
 * struct io_uring_cqe (<linux/io_uring.h>): a program that owns its ring
 * (liburing's or its own) fills SQEs it got from that ring with them.
 * liburing carries its own copy of <linux/io_uring.h> under the same
 * include guard: include <liburing.h> first, so liburing gets its copy.
 *
 * Device identity
 * ---------------
 * The device commands (NOP ... RESET_STATS) are for /dev/miscuring only. A
 * library ring finds out at open whether its file is one: a character
 * device whose PROBE answers as miscuring. On any other file (a socket,
 * /dev/null, an NVMe device) the device commands fail with -ENOTTY and send
 * nothing; the generic command (miscuring_prep_cmd*(), miscuring_cmd*())
 * goes to any file. A program with its own ring calls miscuring_identify()
 * once on its fd: the SQE builders cannot see which file an fd names.
 *
 * Completions and multishot commands
 * ----------------------------------
 * A command is in flight until its last CQE: one without IORING_CQE_F_MORE.
 * The synchronous helpers wait for their own command's CQE by user_data and
 * keep every other CQE they meet for miscuring_peek(), _wait*() and
 * _reap(), in order. They mark their commands with user_data values whose
 * top 16 bits are MISCURING_SYNC_TAG: do not use such values yourself.
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
#include <linux/io_uring.h>
#include <miscuring/miscuring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the library this header belongs to. */
#define LIBMISCURING_VERSION_MAJOR	0
#define LIBMISCURING_VERSION_MINOR	4
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
/*
 * Mixed-size rings (where the kernel has them; -EOPNOTSUPP elsewhere):
 * CQE_MIXED (6.18+) gives a second result only to the CQEs that carry one,
 * in a 32-byte CQE next to 16-byte ones; SQE_MIXED (6.19+) sends a command
 * whose payload exceeds 16 bytes (up to 80) in a 128-byte SQE, two SQ
 * slots, next to 64-byte ones. Not with CQE32 / SQE128 (-EINVAL).
 */
#define MISCURING_SETUP_CQE_MIXED	(1U << 6) /* 32-byte CQEs where needed */
#define MISCURING_SETUP_SQE_MIXED	(1U << 7) /* 128-byte SQEs where needed */

struct miscuring_ring;
struct timespec;	/* <time.h> of strict C99 does not declare it */

/* user_data of the synchronous helpers' commands: (TAG << 48) | sequence */
#define MISCURING_SYNC_TAG		0x6d75ULL	/* "mu" */
#define MISCURING_SYNC_TAG_SHIFT	48

/*
 * Kernel values this library uses that UAPI headers before 6.18 lack
 * (Debian 12's are 6.1); named here so they cannot clash with the
 * kernel's or liburing's own definitions.
 */
#define LIBMISCURING_SETUP_CQE_MIXED	(1U << 18) /* IORING_SETUP_CQE_MIXED */
#define LIBMISCURING_SETUP_SQE_MIXED	(1U << 19) /* IORING_SETUP_SQE_MIXED */
#define LIBMISCURING_CQE_F_SKIP		(1U << 5)  /* IORING_CQE_F_SKIP */
#define LIBMISCURING_CQE_F_32		(1U << 15) /* IORING_CQE_F_32 */
#define LIBMISCURING_OP_URING_CMD128	64	   /* IORING_OP_URING_CMD128 */
#define LIBMISCURING_URING_CMD_FIXED	(1U << 0)  /* IORING_URING_CMD_FIXED */
#define LIBMISCURING_URING_CMD_MULTISHOT (1U << 1) /* IORING_URING_CMD_MULTISHOT */

/*
 * A completion, copied out of the ring in host byte order. A CQE has
 * 16 bytes, or 32 on a CQE32 ring (and on a CQE_MIXED ring when it has
 * IORING_CQE_F_32): then its two extra 64-bit words are res2 and res3.
 * That is all a CQE can carry, so this struct will not grow.
 */
struct miscuring_cqe {
	uint64_t	user_data;	/* as given to the builder */
	int32_t		res;		/* result or negative errno */
	uint32_t	flags;		/* IORING_CQE_F_* */
	uint64_t	res2;		/* big_cqe[0] of a 32-byte CQE, else 0 */
	uint64_t	res3;		/* big_cqe[1] of a 32-byte CQE, else 0 */
};

/*
 * One IORING_OP_URING_CMD, every field of its SQE, for any file with a
 * ->uring_cmd handler. Zero it, set size = sizeof(struct
 * miscuring_cmd_desc), then the fields the driver reads; zero fields are
 * zero in the SQE. The library reads only the first size bytes: a program
 * built against this version keeps working when the struct grows. Fields
 * that share a word of the SQE (the kernel's unions) must not both be set
 * (-EINVAL):
 *
 *   addr	 with level/optname (sqe->addr: 64 bits, or level + optname)
 *   file_index	 with optlen (sqe->file_index / sqe->optlen)
 *   payload	 with optval/addr3 (the command area starts with the
 *		 addr3/optval word)
 *
 * There is no `off`: for a uring_cmd the SQE's off word holds cmd_op and
 * a pad io_uring requires to be zero. Drivers take offsets where they read
 * them: NVMe in its command (the payload), a block device's discard in
 * addr (start) and addr3 (length).
 *
 *   sqe_flags	IOSQE_*; with IOSQE_FIXED_FILE, fd is a registered file's
 *		index
 *   buf_index	a registered buffer, with LIBMISCURING_URING_CMD_FIXED in
 *		uring_cmd_flags
 *   opcode	0 means IORING_OP_URING_CMD; LIBMISCURING_OP_URING_CMD128
 *		for a 128-byte SQE on an IORING_SETUP_SQE_MIXED ring
 *   payload	payload_len bytes copied to the command area: up to 16 in a
 *		64-byte SQE, 80 in a 128-byte one (-EMSGSIZE); the rest of
 *		the area is zeroed
 */
struct miscuring_cmd_desc {
	uint32_t	size;		/* sizeof(struct miscuring_cmd_desc) */
	uint32_t	cmd_op;
	int32_t		fd;
	uint32_t	sqe_flags;	/* IOSQE_* (8 bits) */
	uint64_t	user_data;
	uint64_t	addr;		/* sqe->addr */
	uint32_t	len;		/* sqe->len */
	uint32_t	uring_cmd_flags; /* IORING_URING_CMD_* */
	uint16_t	ioprio;
	uint16_t	buf_index;
	uint16_t	personality;
	uint16_t	opcode;
	uint32_t	file_index;
	uint32_t	level;		/* socket commands: sqe->level */
	uint32_t	optname;	/* sqe->optname */
	uint32_t	optlen;		/* sqe->optlen */
	uint32_t	payload_len;
	uint32_t	resv;		/* must be zero */
	uint64_t	optval;		/* sqe->optval: the addr3 word */
	uint64_t	addr3;		/* sqe->addr3: the same word */
	const void	*payload;
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
int miscuring_prep_cmd_desc(struct miscuring_ring *ring,
			    const struct miscuring_cmd_desc *desc);
int miscuring_prep_cancel(struct miscuring_ring *ring, uint64_t target,
			  uint64_t user_data);

/*
 * sqe.c: builders on an SQE from the caller's own ring. sqe_size is the
 * ring's SQE size, 64 or 128 (IORING_SETUP_SQE128; on an SQE_MIXED ring
 * 128 for two free slots, see miscuring_sqe_set_cmd128()): the whole SQE
 * is cleared first, then filled. fd is /dev/miscuring's fd (or, with
 * IOSQE_FIXED_FILE set in sqe->flags afterwards, its registered index).
 * 0 or a negative errno; on error the SQE is left untouched.
 */
int miscuring_sqe_nop(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		      uint64_t user_data);
int miscuring_sqe_hello(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			uint64_t user_data);
int miscuring_sqe_get_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			    int fd, uint64_t *value, uint64_t user_data);
int miscuring_sqe_set_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			    int fd, uint64_t value, uint64_t user_data);
int miscuring_sqe_echo(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		       void *buf, uint32_t len, const void *data,
		       size_t data_len, uint64_t user_data);
int miscuring_sqe_delay(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			uint32_t usec, int32_t result, uint64_t user_data);
int miscuring_sqe_probe(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			void *buf, uint32_t len, uint64_t user_data);
int miscuring_sqe_wait_value(struct io_uring_sqe *sqe, unsigned sqe_size,
			     int fd, uint64_t value, uint32_t timeout_usec,
			     uint64_t user_data);
int miscuring_sqe_stats(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			void *buf, uint32_t len, uint64_t user_data);
int miscuring_sqe_reset_stats(struct io_uring_sqe *sqe, unsigned sqe_size,
			      int fd, uint64_t user_data);
int miscuring_sqe_cmd(struct io_uring_sqe *sqe, unsigned sqe_size,
		      const struct miscuring_cmd_desc *desc);
/*
 * On a ring set up with IORING_SETUP_SQE_MIXED (6.19+): turn a command built
 * above with sqe_size 128 into an IORING_OP_URING_CMD128, which the kernel
 * reads from two consecutive SQ slots. sqe must be the first of two free
 * slots, never the ring's last slot (the kernel fails it with -EINVAL):
 * there, fill the last slot with an IORING_OP_NOP flagged
 * IOSQE_CQE_SKIP_SUCCESS and start at slot 0. The command takes two
 * slots of the SQ tail. -EINVAL if sqe is not a uring_cmd.
 */
int miscuring_sqe_set_cmd128(struct io_uring_sqe *sqe);

/*
 * rw.c: READ and WRITE (MISCURING_FEAT_RW_CMD) on the caller's SQE, in
 * liburing's model: read/write on a buffer, readv/writev on nr_vecs iovecs
 * (at most IOV_MAX); then optionally miscuring_sqe_set_fixed() for a
 * registered buffer (buf and len, or the iovecs, lie inside it; vectored
 * only where MISCURING_FEAT_FIXED_VEC) and miscuring_sqe_set_rw_flags()
 * for MISCURING_RW_ASYNC (registered buffers only). offset above
 * INT64_MAX: -EINVAL. On the library's ring, register its buffers with
 * miscuring_register_buffers() and queue these SQEs' fields with
 * miscuring_prep_cmd_desc().
 */
struct iovec;
int miscuring_sqe_read(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		       void *buf, uint32_t len, uint64_t offset,
		       uint64_t user_data);
int miscuring_sqe_write(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			const void *buf, uint32_t len, uint64_t offset,
			uint64_t user_data);
int miscuring_sqe_readv(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			const struct iovec *iov, uint32_t nr_vecs,
			uint64_t offset, uint64_t user_data);
int miscuring_sqe_writev(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			 const struct iovec *iov, uint32_t nr_vecs,
			 uint64_t offset, uint64_t user_data);
int miscuring_sqe_set_fixed(struct io_uring_sqe *sqe, unsigned buf_index);
int miscuring_sqe_set_rw_flags(struct io_uring_sqe *sqe, uint32_t flags);
int miscuring_register_buffers(struct miscuring_ring *ring,
			       const struct iovec *iov, unsigned nr);
int miscuring_unregister_buffers(struct miscuring_ring *ring);

/*
 * Decode a CQE of a ring set up with ring_flags (IORING_SETUP_*, as the
 * kernel accepted them): res2/res3 are its extra words when it is a
 * 32-byte CQE (CQE32 ring, or IORING_CQE_F_32 on a CQE_MIXED ring), else 0.
 * Returns the CQE's size in bytes, 16 or 32. On a CQE_MIXED ring a 32-byte
 * CQE takes two slots of the CQ ring (advance the head by 2), and a CQE
 * flagged LIBMISCURING_CQE_F_SKIP is no completion: skip its slot.
 */
int miscuring_cqe_decode(const struct io_uring_cqe *cqe, unsigned ring_flags,
			 struct miscuring_cqe *out);

/*
 * 0 if fd is /dev/miscuring (a character device whose PROBE answers as
 * miscuring; info, if not NULL, gets the PROBE), -ENOTTY if it is another
 * file, another negative errno if it could not be told (no io_uring).
 */
int miscuring_identify(int fd, struct miscuring_devinfo *info);

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
/*
 * reap hands fn at most the completions that were ready when it began (after
 * waiting for min): those of commands fn itself sends wait for the next call.
 */
int miscuring_reap(struct miscuring_ring *ring, unsigned min,
		   const struct timespec *timeout, miscuring_cqe_fn fn,
		   void *arg);
unsigned miscuring_cq_ready(const struct miscuring_ring *ring);
int miscuring_cancel(struct miscuring_ring *ring, uint64_t target,
		     const struct timespec *timeout);

/*
 * sync.c: one command, sent with whatever else is queued, and waited for;
 * other commands' CQEs are kept for peek/wait/reap. Returns the CQE's res.
 */
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
/*
 * The command of desc (its user_data is replaced by the helper's own),
 * waited for until its first CQE, copied to *cqe. Returns 0 when a CQE came
 * (its res may be negative), a negative errno when none could. Later CQEs
 * of a multishot command go to peek/wait/reap with cqe->user_data.
 */
int miscuring_cmd_desc(struct miscuring_ring *ring,
		       const struct miscuring_cmd_desc *desc,
		       struct miscuring_cqe *cqe);

/*
 * watch.c: a stream of the device file's value (the ring's file: the
 * value belongs to that open file). miscuring_watch_start() gives the
 * value now (*initial, if not NULL); each miscuring_watch_next() the next
 * change: 0 with *change, -ETIME when none came within timeout (NULL:
 * wait for ever; the watch goes on), -EINTR when a signal came (the
 * watch goes on too), or the stream's end, which every
 * later call returns again: -ECANCELED (the thread that started it exited
 * or exec'd), -ENOBUFS (more than 32 unread events: read faster), another
 * negative errno. miscuring_watch_stop() ends it and frees the watcher.
 *
 * Two implementations, one behaviour: where the module has multishot
 * commands (MISCURING_FEAT_MULTISHOT, kernels 6.18+) one WATCH command
 * streams every store of the value; elsewhere (or with
 * MISCURING_WATCHER_REARM) a WAIT is sent again after every change.
 * change->changes is how many stores the change stands for: exact with
 * multishot (stores that come while the watcher does not wait are
 * coalesced into one change that counts them; a store of the same value
 * is a change too); with re-armed WAITs always 1, and a value that
 * changes twice between two WAITs, or back to what it was, is seen once
 * or not at all (a WAIT sees only a value different from the last one).
 * miscuring_watch_multishot() says which one runs. A watcher has its own
 * io_uring instance on the file, so its completions never mix with the
 * ring's; it belongs to the thread that started it.
 */
#define MISCURING_WATCHER_REARM		(1U << 0) /* re-armed WAIT, always */

struct miscuring_watcher;

struct miscuring_change {
	uint64_t	value;		/* the value after the change */
	uint64_t	changes;	/* stores it stands for (>= 1) */
};

int miscuring_watch_start(struct miscuring_ring *ring, unsigned flags,
			  uint64_t *initial, struct miscuring_watcher **wp);
int miscuring_watch_next(struct miscuring_watcher *w,
			 struct miscuring_change *change,
			 const struct timespec *timeout);
int miscuring_watch_stop(struct miscuring_watcher *w);
int miscuring_watch_multishot(const struct miscuring_watcher *w);

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
