/* SPDX-License-Identifier: MIT */
/*
 * Library-private definitions. Nothing here is exported (the version script
 * keeps every symbol not named in libmiscuring.map local); the unit tests
 * include this header to look at the SQEs the builders write.
 */
#ifndef LIBMISCURING_INTERNAL_H
#define LIBMISCURING_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <liburing.h>

#include "libmiscuring.h"

#define MU_SETUP_ALL	(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32 | \
			 MISCURING_SETUP_RDONLY | MISCURING_SETUP_OWN_FD | \
			 MISCURING_SETUP_ANY_THREAD | MISCURING_SETUP_FIXED_FILE | \
			 MISCURING_SETUP_CQE_MIXED | MISCURING_SETUP_SQE_MIXED)
/* The setup flags under which a CQE may carry a second result. */
#define MU_SETUP_RES2	(MISCURING_SETUP_CQE32 | MISCURING_SETUP_CQE_MIXED)

/* Offset of the command payload in an SQE (sqe->cmd, where addr3 is). */
#define MU_SQE_CMD_OFFSET	48
/* sqe->level and optname (6.7 UAPI) overlay addr; optlen, file_index. */
#define MU_SQE_LEVEL_OFFSET	16
#define MU_SQE_OPTLEN_OFFSET	44

/* struct miscuring_cmd_desc as MISCURING_1.1 defines it: the least size. */
#define MU_CMD_DESC_SIZE_1_1	(offsetof(struct miscuring_cmd_desc, payload) + \
				 sizeof(void *))

struct miscuring_ring {
	struct io_uring	uring;
	int		fd;		/* target of the miscuring ops, or -1 */
	unsigned	flags;		/* MISCURING_SETUP_* asked for; with
					   FIXED_FILE, fd is registered file 0 */
	unsigned	sqe_size;	/* 64 or 128: an SQ slot */
	unsigned	payload_size;	/* MISCURING_PAYLOAD_SQE64 or _SQE128:
					   the most a command can carry */
	unsigned	inflight;	/* submitted, last CQE not yet handed out */
	unsigned	last_slots;	/* SQ slots the last queued command took */
	/*
	 * SQE_MIXED rings: per SQ slot, 1 when a command starts there, 0 for
	 * the second half of a 128-byte one or the NOP that pads the ring's
	 * last slot. io_uring_enter() counts slots; inflight counts commands.
	 */
	uint8_t		*slot_cmd;
	bool		cq_mixed;	/* IORING_SETUP_CQE_MIXED */
	bool		is_device;	/* the fd is /dev/miscuring (PROBE) */
	bool		saw_more;	/* a multishot CQE came: no CQE bound */
	uint64_t	sync_seq;	/* user_data of the sync helpers */
	/*
	 * CQEs the sync helpers took out of the CQ ring while they looked for
	 * their own: handed out first, in order. A ring buffer of bl_cap
	 * (a power of two) entries; bl_final counts those without F_MORE.
	 */
	struct miscuring_cqe *backlog;
	unsigned	bl_head, bl_count, bl_cap, bl_final;
	/*
	 * Where the sync helpers let the kernel write. It lives as long as
	 * the ring, so a command that outlives its helper (a wait that
	 * failed) never writes into a stack frame that is gone.
	 */
	union {
		struct miscuring_info	info;
		struct miscuring_stats	stats;
		uint8_t			echo[MISCURING_PAYLOAD_SQE128];
		uint64_t		value;
	} scratch;
};

/*
 * The largest SQE a command of this ring may be: on an SQE_MIXED ring a
 * 128-byte one (two 64-byte slots), else the ring's slot size.
 */
static inline unsigned mu_ring_max_sqe(const struct miscuring_ring *ring)
{
	return ring->slot_cmd ? 128 : ring->sqe_size;
}

#define MU_SYNC_SEQ_MASK	((1ULL << MISCURING_SYNC_TAG_SHIFT) - 1)

/* sqe.c: the generic command's checks and writer, shared with prep.c */
int mu_desc_check(const struct miscuring_cmd_desc *desc, unsigned sqe_size,
		  struct miscuring_cmd_desc *d);
void mu_desc_fill(struct io_uring_sqe *sqe, unsigned sqe_size,
		  const struct miscuring_cmd_desc *d);

/*
 * Points a zeroed SQE at fd: at registered file 0 when fd is the ring's
 * own device fd and the ring registered it (MISCURING_SETUP_FIXED_FILE: no
 * per-command file lookup and reference in the kernel), else at the fd.
 */
static inline void mu_sqe_set_file(const struct miscuring_ring *ring,
				   struct io_uring_sqe *sqe, int fd)
{
	if ((ring->flags & MISCURING_SETUP_FIXED_FILE) && fd == ring->fd &&
	    !(sqe->flags & IOSQE_FIXED_FILE)) {
		sqe->fd = 0;
		sqe->flags |= IOSQE_FIXED_FILE;
	} else {
		sqe->fd = fd;
	}
}

static inline uint8_t *mu_sqe_payload(struct io_uring_sqe *sqe)
{
	return (uint8_t *)sqe + MU_SQE_CMD_OFFSET;
}

/* Little-endian stores and loads, byte by byte: any host, any alignment. */
static inline void mu_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void mu_put_le64(uint8_t *p, uint64_t v)
{
	mu_put_le32(p, (uint32_t)v);
	mu_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t mu_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mu_get_le64(const uint8_t *p)
{
	return (uint64_t)mu_get_le32(p) | (uint64_t)mu_get_le32(p + 4) << 32;
}

/* True when the n bytes at p are all zero. */
static inline bool mu_all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Payload writers for the SQE builders, one per layout. p points at a
 * zeroed payload area. miscuring_encode() writes the same offsets from its
 * op table; the unit tests hold both to hand-made bytes.
 */
static inline void mu_put_addr_len(uint8_t *p, uint64_t addr, uint32_t len)
{
	mu_put_le64(p + offsetof(struct miscuring_echo, addr), addr);
	mu_put_le32(p + offsetof(struct miscuring_echo, len), len);
}

static inline void mu_put_get_value(uint8_t *p, uint64_t addr)
{
	mu_put_le64(p + offsetof(struct miscuring_get_value, addr), addr);
}

static inline void mu_put_set_value(uint8_t *p, uint64_t value)
{
	mu_put_le64(p + offsetof(struct miscuring_set_value, value), value);
}

static inline void mu_put_delay(uint8_t *p, uint32_t usec, int32_t result)
{
	mu_put_le32(p + offsetof(struct miscuring_delay, usec), usec);
	mu_put_le32(p + offsetof(struct miscuring_delay, result),
		    (uint32_t)result);
}

static inline void mu_put_wait(uint8_t *p, uint64_t value, uint32_t usec)
{
	mu_put_le64(p + offsetof(struct miscuring_wait, value), value);
	mu_put_le32(p + offsetof(struct miscuring_wait, timeout_usec), usec);
}

/* Decode a CQE of a ring with setup flags ring_flags; its size in bytes. */
static inline int mu_cqe_decode(const struct io_uring_cqe *cqe,
				unsigned ring_flags, struct miscuring_cqe *out)
{
	bool big = (ring_flags & IORING_SETUP_CQE32) ||
		   ((ring_flags & LIBMISCURING_SETUP_CQE_MIXED) &&
		    (cqe->flags & LIBMISCURING_CQE_F_32));

	out->user_data = cqe->user_data;
	out->res = cqe->res;
	out->flags = cqe->flags;
	out->res2 = big ? cqe->big_cqe[0] : 0;
	out->res3 = big ? cqe->big_cqe[1] : 0;
	return big ? 32 : 16;
}

/* The caller gets a CQE: its command is done unless more CQEs follow. */
static inline void mu_handed_out(struct miscuring_ring *ring,
				 const struct miscuring_cqe *cqe)
{
	if (cqe->flags & IORING_CQE_F_MORE)
		ring->saw_more = true;
	else if (ring->inflight)
		ring->inflight--;
}

/*
 * Copy one CQE out of the CQ ring and mark it seen there: one slot, or two
 * for a 32-byte CQE on a CQE_MIXED ring.
 */
static inline void mu_pull_cqe(struct miscuring_ring *ring,
			       struct io_uring_cqe *cqe,
			       struct miscuring_cqe *out)
{
	int size = mu_cqe_decode(cqe, ring->uring.flags, out);

	io_uring_cq_advance(&ring->uring, ring->cq_mixed && size == 32 ? 2 : 1);
}

/* sync.c: finds out at open whether the ring's fd is /dev/miscuring */
int mu_identify(struct miscuring_ring *ring);

/* complete.c: the CQEs the sync helpers put aside */
int mu_backlog_push(struct miscuring_ring *ring,
		    const struct miscuring_cqe *cqe);
bool mu_backlog_pop(struct miscuring_ring *ring, struct miscuring_cqe *out);
/* complete.c: deadlines of the waits (watch.c's too) */
int mu_deadline(const struct timespec *timeout, struct timespec *end);
int mu_time_left(const struct timespec *end, struct __kernel_timespec *left);

/*
 * The next CQE already in the ring, or NULL; never a system call. On a
 * CQE_MIXED ring the kernel fills the CQ ring's last slot with a CQE
 * flagged IORING_CQE_F_SKIP when a 32-byte CQE would not fit there before
 * the wrap: no completion, consumed here.
 */
static inline struct io_uring_cqe *mu_ready_cqe(struct miscuring_ring *ring)
{
	struct io_uring_cq *cq = &ring->uring.cq;
	struct io_uring_cqe *cqe;
	unsigned head = *cq->khead;

	for (;;) {
		if (head == io_uring_smp_load_acquire(cq->ktail))
			return NULL;
		cqe = &cq->cqes[(head & cq->ring_mask) <<
				io_uring_cqe_shift(&ring->uring)];
		if (!ring->cq_mixed || !(cqe->flags & LIBMISCURING_CQE_F_SKIP))
			return cqe;
		io_uring_smp_store_release(cq->khead, ++head);
	}
}

/* complete.c: completions ready in the CQ ring (not slots); no syscall */
unsigned mu_cq_count(const struct miscuring_ring *ring);

#endif /* LIBMISCURING_INTERNAL_H */
