/* SPDX-License-Identifier: MIT */
/*
 * The in-process miscuring module; see fakedev.h. Its checks follow
 * kernel/uapi/miscuring.h: unknown op -EOPNOTSUPP, reserved bytes -EINVAL,
 * SET_VALUE on a read-only file -EBADF, second results on CQE32 rings.
 * Mixed-size rings as 7.2 has them: IORING_OP_URING_CMD128 in two SQ slots
 * on an SQE_MIXED ring, a 32-byte IORING_CQE_F_32 CQE for a completion
 * with a second result on a CQE_MIXED ring, after a skip CQE when it
 * would not fit before the CQ ring wraps.
 */
#include "config.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>

#include "internal.h"
#include "fakedev.h"

struct fake_module fake;

/* With fake.defer, completions wait here for the next wait. */
static struct {
	uint64_t	user_data, res2;
	int		res;
	bool		big;
} deferred[64];
static unsigned ndeferred;

void fake_reset(int fd)
{
	memset(&fake, 0, sizeof(fake));
	ndeferred = 0;
	fake.fd = fd;
	fake.abi_version = MISCURING_ABI_VERSION;
	fake.info_size = sizeof(struct miscuring_info);
	fake.stats_size = sizeof(struct miscuring_stats);
}

static void put32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

#define FAKE_FEATURES	(MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32)

static int fake_probe(const struct miscuring_args *a, uint64_t *res2)
{
	uint8_t info[sizeof(struct miscuring_info)] = { 0 };
	uint32_t n = a->len < fake.info_size ? a->len : fake.info_size;

#define AT(f) (info + offsetof(struct miscuring_info, f))
	put32(AT(abi_version), fake.abi_version);
	put32(AT(info_size), fake.info_size);
	put64(AT(features), FAKE_FEATURES);
	put64(AT(ops), 0xfe);
	put32(AT(payload_sqe64), MISCURING_PAYLOAD_SQE64);
	put32(AT(payload_sqe128), MISCURING_PAYLOAD_SQE128);
	put32(AT(max_delay_usec), MISCURING_DELAY_MAX_USEC);
	put32(AT(max_buffer), 4096);
	memcpy(AT(module_version), "fake-1", 7);
#undef AT
	if (n > sizeof(info))
		n = sizeof(info);
	memcpy((void *)(uintptr_t)a->addr, info, n);
	*res2 = FAKE_FEATURES;
	return (int)n;
}

/* Counters with recognisable values: issued = commands so far. */
static int fake_stats(const struct miscuring_args *a)
{
	uint8_t st[sizeof(struct miscuring_stats)] = { 0 };
	uint32_t n = a->len < fake.stats_size ? a->len : fake.stats_size;

#define AT(f) (st + offsetof(struct miscuring_stats, f))
	put32(AT(stats_size), fake.stats_size);
	put64(AT(issued), fake.commands + 1);
	put64(AT(completed_inline), 2);
	put64(AT(completed_async), 3);
	put64(AT(cancelled), 4);
	put64(AT(failed), 5);
	put64(AT(in_flight), 6);
#undef AT
	if (n > sizeof(st))
		n = sizeof(st);
	memcpy((void *)(uintptr_t)a->addr, st, n);
	return (int)n;
}

static int fake_echo(const struct miscuring_args *a, const uint8_t *payload,
		     size_t size)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)a->addr;
	size_t n = a->len < size ? a->len : size;

	if (fake.short_echo)
		n--;
	memcpy(dst, payload, n);
	if (fake.corrupt_echo)
		dst[n - 1] ^= 0xff;
	/* The header echoed back names another buffer than the one written. */
	if (fake.echo_wrong_addr)
		dst[0] ^= 0x40;
	return (int)n;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int zero_from(const uint8_t *p, size_t from, size_t size)
{
	for (; from < size; from++)
		if (p[from])
			return 0;
	return 1;
}

/*
 * The payload as the module reads it, from the UAPI structs' offsets, on
 * its own: decoding with the library's miscuring_decode() would let a bug
 * shared by the library's encoder and decoder pass. Reserved bytes and
 * bytes past an op's struct must be zero (-EINVAL), except ECHO's data.
 */
static int fake_decode(uint32_t op, const uint8_t *p, size_t size,
		       struct miscuring_args *a)
{
	size_t end = 16;

	memset(a, 0, sizeof(*a));
	switch (op) {
	case MISCURING_CMD_NOP:
	case MISCURING_CMD_HELLO:
	case MISCURING_CMD_RESET_STATS:
		end = 0;
		break;
	case MISCURING_CMD_GET_VALUE:
		a->addr = get64(p + offsetof(struct miscuring_get_value, addr));
		end = 8;
		break;
	case MISCURING_CMD_SET_VALUE:
		a->value = get64(p + offsetof(struct miscuring_set_value, value));
		end = 8;
		break;
	case MISCURING_CMD_ECHO:
	case MISCURING_CMD_PROBE:
	case MISCURING_CMD_STATS:
		/* echo, probe and stats_req share one layout */
		a->addr = get64(p + offsetof(struct miscuring_echo, addr));
		a->len = get32(p + offsetof(struct miscuring_echo, len));
		if (get32(p + offsetof(struct miscuring_echo, reserved)))
			return -EINVAL;
		if (op == MISCURING_CMD_ECHO) {
			a->data_len = (uint32_t)(size - 16);
			memcpy(a->data, p + 16, a->data_len);
			end = size;
		}
		break;
	case MISCURING_CMD_DELAY:
		a->usec = get32(p + offsetof(struct miscuring_delay, usec));
		a->result = (int32_t)get32(p + offsetof(struct miscuring_delay,
							  result));
		end = 8;
		break;
	case MISCURING_CMD_WAIT:
		a->value = get64(p + offsetof(struct miscuring_wait, value));
		a->usec = get32(p + offsetof(struct miscuring_wait,
					     timeout_usec));
		end = 12;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return zero_from(p, end, size) ? 0 : -EINVAL;
}

/*
 * One command; *big: it has a second result (on a CQE_MIXED ring its CQE
 * has 32 bytes). cmd128: an IORING_OP_URING_CMD128 of an SQE_MIXED ring.
 */
static int fake_op(struct io_uring *ring, const struct io_uring_sqe *sqe,
		   bool cmd128, uint64_t *res2, bool *big)
{
	const uint8_t *payload = (const uint8_t *)sqe + MU_SQE_CMD_OFFSET;
	size_t size = ring->flags & IORING_SETUP_SQE128 || cmd128 ?
		      MISCURING_PAYLOAD_SQE128 : MISCURING_PAYLOAD_SQE64;
	int cqe32 = !!(ring->flags & (IORING_SETUP_CQE32 |
				      LIBMISCURING_SETUP_CQE_MIXED));
	struct miscuring_args a;
	int fd = sqe->fd, ret;

	*big = false;
	/* The library registers the device as the ring's file 0. */
	if (sqe->flags & IOSQE_FIXED_FILE)
		fd = sqe->fd == 0 ? fake.fd : -1;
	if ((sqe->opcode != IORING_OP_URING_CMD && !cmd128) || fd != fake.fd)
		return -EOPNOTSUPP;
	/* io_uring rejects stray bits in the header of a uring_cmd. */
	if ((sqe->flags & ~IOSQE_FIXED_FILE) || sqe->ioprio || sqe->__pad1 || sqe->addr || sqe->len ||
	    sqe->rw_flags || sqe->buf_index || sqe->personality)
		return -EINVAL;
	ret = fake_decode(sqe->cmd_op, payload, size, &a);
	if (ret)
		return ret;

	switch (sqe->cmd_op) {
	case MISCURING_CMD_GET_VALUE:
		if (!a.addr && !cqe32)
			return -EINVAL;
		if (a.addr)
			memcpy((void *)(uintptr_t)a.addr, &fake.value, 8);
		*res2 = fake.value;
		*big = true;
		return 0;
	case MISCURING_CMD_SET_VALUE:
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
			return -EBADF;
		fake.value = a.value;
		return 0;
	case MISCURING_CMD_ECHO:
		return fake_echo(&a, payload, size);
	case MISCURING_CMD_DELAY:
		fake.last_usec = a.usec;
		return a.result;
	case MISCURING_CMD_PROBE:
		*big = true;
		return fake_probe(&a, res2);
	case MISCURING_CMD_WAIT:
		/* Nothing else runs here: an unchanged value times out now. */
		fake.last_usec = a.usec;
		*res2 = fake.value;
		*big = true;
		return fake.value != a.value ? 0 : -ETIMEDOUT;
	case MISCURING_CMD_STATS:
		*big = true;
		return fake_stats(&a);
	case MISCURING_CMD_RESET_STATS:
		if (fake.no_admin)
			return -EPERM;
		fake.resets++;
		return 0;
	default:
		return 0;
	}
}

static void fake_post(struct io_uring *ring, uint64_t user_data, int res,
		      uint64_t res2, bool big)
{
	struct io_uring_cq *cq = &ring->cq;
	unsigned shift = ring->flags & IORING_SETUP_CQE32 ? 1 : 0;
	unsigned tail = *cq->ktail;
	struct io_uring_cqe *cqe;

	big = big && (ring->flags & LIBMISCURING_SETUP_CQE_MIXED);
	/* A 32-byte CQE does not wrap: the last slot gets a skip CQE. */
	if (big && (tail & cq->ring_mask) == cq->ring_mask) {
		cqe = &cq->cqes[tail++ & cq->ring_mask];
		cqe->user_data = 0;
		cqe->res = 0;
		cqe->flags = LIBMISCURING_CQE_F_SKIP;
		fake.skips++;
	}
	cqe = &cq->cqes[(tail & cq->ring_mask) << shift];
	cqe->user_data = user_data;
	cqe->res = res;
	cqe->flags = big ? LIBMISCURING_CQE_F_32 : 0;
	if (shift || big) {
		cqe->big_cqe[0] = res2;
		cqe->big_cqe[1] = 0;
	}
	io_uring_smp_store_release(cq->ktail, tail + 1 + big);
}

static void fake_complete(struct io_uring *ring, uint64_t user_data, int res,
			  uint64_t res2, bool big)
{
	if (fake.defer && ndeferred < 64) {
		deferred[ndeferred].user_data = user_data;
		deferred[ndeferred].res = res;
		deferred[ndeferred].big = big;
		deferred[ndeferred++].res2 = res2;
		return;
	}
	fake_post(ring, user_data, res, res2, big);
}

/*
 * What io_uring_wait_cqe() and the like call when no CQE is ready: a
 * signal first (fake.eintr times), then the deferred completions.
 */
int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct io_uring_cq *cq = &ring->cq;
	unsigned shift = ring->flags & IORING_SETUP_CQE32 ? 1 : 0, i;

	(void)submit;
	(void)sigmask;
	fake.waits++;
	if (fake.eintr) {
		fake.eintr--;
		return -EINTR;
	}
	for (i = 0; i < ndeferred; i++)
		fake_post(ring, deferred[i].user_data, deferred[i].res,
			  deferred[i].res2, deferred[i].big);
	ndeferred = 0;
	/* A peek finds nothing; a wait would sleep for ever: say so. */
	if (*cq->khead == *cq->ktail)
		return wait_nr ? -ETIME : -EAGAIN;
	*cqe_ptr = &cq->cqes[(*cq->khead & cq->ring_mask) << shift];
	return 0;
}

int io_uring_register_sync_cancel(struct io_uring *ring,
				  struct io_uring_sync_cancel_reg *reg)
{
	(void)ring;
	fake.cancels++;
	fake.cancel_reg = *reg;
	return -ENOENT;
}

int io_uring_unregister_files(struct io_uring *ring)
{
	(void)ring;
	fake.unregisters++;
	return 0;
}

int io_uring_submit(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned shift = ring->flags & IORING_SETUP_SQE128 ? 1 : 0;
	unsigned head = *sq->khead, n = 0;
	int ret;

	fake.submits++;
	/* What liburing does before io_uring_enter: publish the tail. */
	sq->sqe_head = sq->sqe_tail;
	IO_URING_WRITE_ONCE(*sq->ktail, sq->sqe_tail);
	if (fake.fail_submit) {
		ret = fake.fail_submit;
		fake.fail_submit = 0;
		return ret;
	}
	while (head != sq->sqe_tail) {
		unsigned slot = head & sq->ring_mask;
		struct io_uring_sqe *sqe = &sq->sqes[slot << shift];
		bool mixed = ring->flags & LIBMISCURING_SETUP_SQE_MIXED;
		bool cmd128 = sqe->opcode == LIBMISCURING_OP_URING_CMD128;
		uint64_t res2 = 0;
		bool big = false;
		int res;

		head++;
		n++;
		if (mixed && sqe->opcode == IORING_OP_NOP) {
			if (!(sqe->flags & IOSQE_CQE_SKIP_SUCCESS))
				fake_complete(ring, sqe->user_data, 0, 0, false);
			fake.nops++;
			continue;
		}
		/* io_uring's rule: two slots in a row, never the last one. */
		if (cmd128 && (!mixed || slot == sq->ring_mask ||
			       head == sq->sqe_tail)) {
			fake_complete(ring, sqe->user_data, -EINVAL, 0, false);
			continue;
		}
		res = fake_op(ring, sqe, cmd128, &res2, &big);
		if (cmd128) {
			head++;
			n++;
			fake.cmd128++;
		}
		fake_complete(ring, sqe->user_data, res, res2, big);
		fake.commands++;
	}
	io_uring_smp_store_release(sq->khead, head);
	return (int)n;
}

/*
 * The ring without the mixed-size flags, which the host's kernel may not
 * have: the fake reads the SQ ring and writes the CQ ring itself, so it
 * plays them on any ring (ring->flags say what the library asked for).
 */
int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags)
{
	static int (*real)(unsigned, struct io_uring *, unsigned);
	unsigned mixed = flags & (LIBMISCURING_SETUP_CQE_MIXED |
				  LIBMISCURING_SETUP_SQE_MIXED);
	int ret;

	if (!real)
		real = (int (*)(unsigned, struct io_uring *, unsigned))
			dlsym(RTLD_NEXT, "io_uring_queue_init");
	if (!real)
		return -ENOSYS;
	ret = real(entries, ring, flags & ~mixed);
	if (!ret)
		ring->flags |= mixed;
	return ret;
}

/* Everything completes inside submit, so there is nothing to wait for. */
int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	(void)wait_nr;
	return io_uring_submit(ring);
}
