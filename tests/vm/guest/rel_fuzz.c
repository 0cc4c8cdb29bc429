// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * An in-guest fuzzer: random io_uring commands, interleaved with random
 * ioctls and reads/writes, each checked against a model of the ABI
 * (kernel/uapi/miscuring.h), until MU_REL_FUZZ_CMDS (default 1,000,000)
 * commands or MU_REL_FUZZ_SECONDS of them (default 90, at most half the
 * watchdog MU_REL_FUZZ_TIMEOUT, default 240 s, inside the harness's 300 s),
 * whichever comes first: a slow kernel (KASAN) or a loaded machine runs
 * fewer commands, not past its timeout. Reproducible: the seed is printed
 * first; set it with MU_REL_FUZZ_SEED (or argv[1], the count with argv[2]);
 * a time-bounded run is reproducible up to where it stopped.
 *
 * io_uring commands, on rings of every kind in turn (SQE64/SQE128, with
 * and without CQE32, with and without registered files) and of every
 * setup (plain, SQPOLL, DEFER_TASKRUN, IOPOLL; MU_REL_FUZZ_COMBINE=0 for
 * plain rings and one odd field at a time only):
 *  - cmd_op: mostly the MISCURING_CMD range, else unknown numbers and
 *    random values;
 *  - payloads: valid, with reserved/tail bytes set, or random; user
 *    pointers valid, NULL, unmapped, PROT_NONE, read-only, straddling a
 *    PROT_NONE page, in kernel space, non-canonical;
 *  - flags: IOSQE_ASYNC, IOSQE_IO_DRAIN, links (IOSQE_IO_LINK /
 *    IOSQE_IO_HARDLINK chains), IOSQE_FIXED_FILE; the file opened
 *    read-write or read-only;
 *  - SQE fields io_uring itself checks (uring_cmd_flags, __pad1, ioprio,
 *    personality, IOSQE_BUFFER_SELECT, invalid flags, bad fds, addr, len,
 *    buf_index...), one to three at once, with or without IOSQE_ASYNC
 *    and a registered file (an IOPOLL ring's wait does not sleep for
 *    the CQE of a command io-wq refused: see fuzz_reap()): how this
 *    kernel's io_uring treats
 *    each alone on each ring setup is measured first (does the command
 *    reach the driver, with which errno if not, and what the driver says
 *    to a NOP with it: 0, or -EINVAL from a module that refuses unused
 *    fields), and a combination is expected to fail with the errno of one
 *    of its fields, or to run as its payload says.
 * The model knows the result of every command that reaches the driver:
 * the exact value, or the set of errnos that apply (their order is not
 * part of the ABI), and checks what was written to user memory (values a
 * file can hold, ECHO bytes, PROBE/STATS prefixes, nothing past them).
 * Every command must complete exactly once (user_data with a generation),
 * none may take 10 s. CAP_SYS_ADMIN is dropped, so RESET_STATS must fail
 * with -EPERM and the counters stay comparable: at the end, issued,
 * failed and cancelled grew by what the model says reached the driver,
 * and in_flight is back to its value before.
 *
 * ioctls: HELLO/GET/SET with good and bad pointers, unknown numbers
 * (ENOTTY). read/write/pread/pwrite/lseek at random offsets with good,
 * bad and partly bad buffers, against a shadow copy of the shared buffer
 * with the semantics of a regular file of at most max_buffer bytes.
 */
#include "rel_util.h"

#include <sys/capability.h>
#include <sys/ioctl.h>

#define QD		256		/* commands in flight per ring */
#define ROUND_CMDS	25000		/* commands per ring */
#define HANG_US		10000000ull
#define SLOTBUF		128

/* ------------------------------------------------------------------ */
/* Random numbers (the fuzzer's own stream, seeded once)               */
/* ------------------------------------------------------------------ */

static uint64_t rnd(void)
{
	return gt_rand64();
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

/* ------------------------------------------------------------------ */
/* Memory the fuzzer hands to the kernel                               */
/* ------------------------------------------------------------------ */

static long pagesz;
static uint64_t user_limit;		/* end of user space: 2^47, 2^56 with LA57 */
static unsigned char *scratch;		/* 64 KiB read-write */
#define SCRATCH_SIZE	(64 * 1024)
static unsigned char *ro_page;		/* read-only */
static unsigned char *pn_page;		/* PROT_NONE */
static unsigned char *edge;		/* end of a rw page; PROT_NONE after */
static unsigned char *edge2;		/* another, for read/write only */

struct fslot;
static struct fslot *slots;
static uint64_t slots_size;		/* bytes at slots */

enum mem { M_OK, M_FAULT, M_PARTIAL, M_UNKNOWN };

/*
 * Can the kernel access [addr, addr+n)? For M_PARTIAL, *prefix is how many
 * bytes from addr are accessible.
 */
static enum mem mem_access(uint64_t addr, uint64_t n, int write, uint64_t *prefix)
{
	uint64_t s0 = (uint64_t)(uintptr_t)scratch, r0 = (uint64_t)(uintptr_t)ro_page;
	uint64_t p0 = (uint64_t)(uintptr_t)pn_page;
	uint64_t b0 = (uint64_t)(uintptr_t)slots;

	*prefix = 0;
	if (n == 0)
		return M_OK;
	if (addr + n < addr)
		return M_FAULT;
	if (addr >= s0 && addr + n <= s0 + SCRATCH_SIZE)
		return M_OK;
	if (addr >= b0 && addr + n <= b0 + slots_size)
		return M_OK;
	if (addr >= r0 && addr + n <= r0 + (uint64_t)pagesz)
		return write ? M_FAULT : M_OK;
	if (addr >= p0 && addr < p0 + (uint64_t)pagesz)
		return M_FAULT;
	for (int i = 0; i < 2; i++) {
		uint64_t e = (uint64_t)(uintptr_t)(i ? edge2 : edge);

		if (addr >= e - (uint64_t)pagesz && addr < e + (uint64_t)pagesz) {
			if (addr >= e)
				return M_FAULT;
			if (addr + n <= e)
				return M_OK;
			*prefix = e - addr;
			return M_PARTIAL;
		}
	}
	/* below mmap_min_addr, kernel half, non-canonical, above 47 bits */
	if (addr + n <= 4096 || addr >= 0x0000800000000000ull)
		return M_FAULT;
	return M_UNKNOWN;
}

/* An address nothing can be accessed at. */
static uint64_t fault_addr(void)
{
	switch (rnd_below(9)) {
	case 0: return 8;
	case 1: return 0xff0;
	case 2: return 0xffff888000000000ull;
	case 3: return 0xffffffff81000000ull;
	case 4: return 0xffffffffff600000ull;		/* vsyscall page */
	case 5: return 0xfffffffffffff000ull + rnd_below(4096);
	case 6: return 0x8000000000000000ull | rnd_below(1ull << 62);
	case 7: return 0x0000800000000000ull + (rnd() & 0x00007ffffffffff8ull);
	default: return (uint64_t)(uintptr_t)pn_page + rnd_below((uint64_t)pagesz);
	}
}

/* A user buffer of n bytes for the kernel to write to, of some class. */
static uint64_t pick_out_addr(unsigned char *own, uint64_t n)
{
	unsigned int c = (unsigned int)rnd_below(100);

	if (c < 60)
		return (uint64_t)(uintptr_t)own + (chance(80) ? 0 : rnd_below(8));
	if (c < 65)
		return 0;
	if (c < 80)
		return fault_addr();
	if (c < 85)
		return (uint64_t)(uintptr_t)ro_page + rnd_below(64);
	/* straddling the edge: 0..n+8 bytes accessible */
	return (uint64_t)(uintptr_t)edge - rnd_below(n + 9);
}

/* ------------------------------------------------------------------ */
/* Values a file can hold                                              */
/* ------------------------------------------------------------------ */

#define VSET_BITS	14
struct vset {
	uint64_t v[1u << VSET_BITS];
	unsigned char used[1u << VSET_BITS];
	unsigned int n;
	int full;		/* too many values: checks off */
};

static void vset_add(struct vset *s, uint64_t v)
{
	unsigned int mask = (1u << VSET_BITS) - 1, i = (unsigned int)(v * 0x9e3779b97f4a7c15ull >> 40) & mask;

	if (s->full)
		return;
	while (s->used[i]) {
		if (s->v[i] == v)
			return;
		i = (i + 1) & mask;
	}
	s->used[i] = 1;
	s->v[i] = v;
	if (++s->n > (1u << VSET_BITS) / 2)
		s->full = 1;
}

static int vset_has(const struct vset *s, uint64_t v)
{
	unsigned int mask = (1u << VSET_BITS) - 1, i = (unsigned int)(v * 0x9e3779b97f4a7c15ull >> 40) & mask;

	if (s->full)
		return 1;
	while (s->used[i]) {
		if (s->v[i] == v)
			return 1;
		i = (i + 1) & mask;
	}
	return 0;
}

/* The two files: 0 read-write, 1 read-only. */
struct ffile {
	int fd;
	int writable;
	struct vset vals;	/* every 64-bit value it may hold */
	struct vset ivals;	/* the same, truncated to int (ioctl GET) */
	long long pos;		/* file position (read/write) */
};
static struct ffile files[2];

static void file_add_value(struct ffile *f, uint64_t v)
{
	vset_add(&f->vals, v);
	vset_add(&f->ivals, (uint64_t)(uint32_t)(int)v);
}

static const uint64_t value_pool[] = {
	0, 1, 2, 42, 0xffffffffffffffffull, 0xffffffffffffffd6ull, 0x7fffffff,
	0x80000000, 0xffffffff, 0x100000000ull, 0x8000000000000000ull,
	0x7fffffffffffffffull, 0xdeadbeefcafef00dull, 0x5555555555555555ull,
	0xffffffff80000000ull, 1000000,
};
#define POOL_N (sizeof(value_pool) / sizeof(value_pool[0]))

static uint64_t pick_value(void)
{
	return chance(90) ? value_pool[rnd_below(POOL_N)] : rnd();
}

/* ------------------------------------------------------------------ */
/* How io_uring itself treats odd SQEs (measured at start)             */
/* ------------------------------------------------------------------ */

enum cls {
	CL_UCMD_FIXED, CL_UCMD_OTHER, CL_PAD1, CL_IOPRIO, CL_PERSONALITY,
	CL_BUFSEL, CL_BADFLAG, CL_FIXED_BADIDX, CL_FD_NEG, CL_FD_CLOSED,
	CL_FD_PIPE, CL_ADDR, CL_LEN, CL_BUFINDEX, CL_SPLICEFD, CL_COUNT,
};

static const char *const cls_names[CL_COUNT] = {
	"uring_cmd_flags=FIXED", "uring_cmd_flags=other", "__pad1", "ioprio",
	"personality", "IOSQE_BUFFER_SELECT", "sqe flag bit 7",
	"IOSQE_FIXED_FILE bad index", "fd -1", "fd closed", "fd pipe",
	"sqe->addr", "sqe->len", "sqe->buf_index", "sqe->splice_fd_in",
};

/*
 * Ring setups the rounds cycle through, besides the ring kinds: every odd
 * field is calibrated on each, and "CL_COUNT" (no odd field) says whether
 * the setup lets a uring_cmd through at all (IOPOLL: not before 7.1).
 */
enum setup { SU_NONE, SU_SQPOLL, SU_DEFER, SU_IOPOLL, SU_COUNT };

static const char *const su_names[SU_COUNT] = {
	"", "sqpoll", "defer_taskrun", "iopoll",
};

static const unsigned int su_flags[SU_COUNT] = {
	[SU_SQPOLL] = IORING_SETUP_SQPOLL,
	[SU_DEFER] = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		     IORING_SETUP_TASKRUN_FLAG,
	[SU_IOPOLL] = IORING_SETUP_IOPOLL,
};

static struct {
	int usable;		/* the ring could be set up */
	struct {
		int reaches_driver;
		int err;	/* the CQE res when it does not */
		int driver_err;	/* the NOP's res when it does: 0 or -EINVAL */
	} c[CL_COUNT + 1];
} calib[SU_COUNT];

static int pipe_fds[2] = { -1, -1 };
static int closed_fd = -1;

static void apply_class(struct io_uring_sqe *sqe, enum cls c)
{
	switch (c) {
	case CL_UCMD_FIXED: sqe->uring_cmd_flags = 1; break;
	case CL_UCMD_OTHER: sqe->uring_cmd_flags = (uint32_t)(rnd() | 2) & ~1u; break;
	case CL_PAD1: sqe->__pad1 = (uint32_t)rnd() | 1; break;
	case CL_IOPRIO: sqe->ioprio = (uint16_t)(rnd() | 1); break;
	case CL_PERSONALITY: sqe->personality = (uint16_t)(rnd() | 1); break;
	case CL_BUFSEL: sqe->flags |= IOSQE_BUFFER_SELECT; break;
	case CL_BADFLAG: sqe->flags |= 1u << 7; break;
	case CL_FIXED_BADIDX:
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->fd = 100 + (int)rnd_below(10000);
		break;
	case CL_FD_NEG: sqe->fd = -1; break;
	case CL_FD_CLOSED: sqe->fd = closed_fd; break;
	case CL_FD_PIPE: sqe->fd = pipe_fds[rnd_below(2)]; break;
	case CL_ADDR: sqe->addr = rnd() | 1; break;
	case CL_LEN: sqe->len = (uint32_t)rnd() | 1; break;
	case CL_BUFINDEX: sqe->buf_index = (uint16_t)(rnd() | 1); break;
	case CL_SPLICEFD: sqe->splice_fd_in = (int32_t)(rnd() | 1); break;
	default: break;
	}
}

static int documented_core_err(int err)
{
	return err == -EINVAL || err == -EFAULT || err == -EOPNOTSUPP ||
	       err == -EBADF;
}

/* ------------------------------------------------------------------ */
/* Commands in flight                                                  */
/* ------------------------------------------------------------------ */

enum chk { CHK_NONE, CHK_GET, CHK_ECHO, CHK_PROBE, CHK_STATS, CHK_WAIT, CHK_DELAY };

struct fslot {
	unsigned char buf[SLOTBUF] __attribute__((aligned(16)));
	unsigned char payload[MISCURING_PAYLOAD_SQE128];
	uint64_t seq;		/* command number, for reports */
	uint64_t sq_pos;	/* its position in the SQ ring (F.sq_pos) */
	uint32_t gen;
	uint8_t busy, done;
	uint8_t core;		/* io_uring rejects it before the driver */
	uint8_t link;		/* 0, IOSQE_IO_LINK or IOSQE_IO_HARDLINK */
	uint8_t sqe_flags;
	uint8_t drain;		/* has IOSQE_IO_DRAIN */
	uint8_t fi;		/* files[] index */
	uint8_t chk;
	uint8_t nerr;
	int32_t err[4];
	int32_t ok;		/* result on success */
	uint32_t op;
	uint32_t n;		/* bytes written on success */
	uint32_t usec;
	uint64_t addr;		/* where the result goes */
	uint64_t watch;
	uint64_t t_submit;
	int16_t chain_next;	/* next member of its link chain, or -1 */
	int16_t chain_head;	/* first member, or -1 when not in a chain */
	int32_t res;
	uint64_t res2;
	uint8_t cqe32;
	uint32_t classes;	/* odd fields set (bit per enum cls) */
};

static struct fuzz {
	struct io_uring ring;
	enum gt_ring_kind kind;
	enum setup su;
	int files_registered;
	int busy;
	int drains;		/* IOSQE_IO_DRAIN commands in flight */
	int chains;		/* link chains in flight */
	uint64_t sq_pos;	/* SQEs prepared so far */
	uint32_t gen;
	uint64_t seq;
	/* what the model says reached the driver */
	uint64_t issued, failed, cancelled;
	uint64_t cqes, link_cancelled, core_rejected, n_async, n_chains;
	uint64_t by_res_class[4];	/* ok, driver error, core error, link-cancelled */
	struct miscuring_info info;
	int failed_case;
	char err[600];
} F;

static uint64_t max_buffer;
static int combine;		/* MU_REL_FUZZ_COMBINE */
static int rw_from_iowq;	/* READ/WRITE work from io-wq: 6.4+ */

static void __attribute__((format(printf, 1, 2))) ffail(const char *fmt, ...)
{
	va_list ap;

	if (F.err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(F.err, sizeof(F.err), fmt, ap);
	va_end(ap);
}

static void add_err(struct fslot *s, int err)
{
	for (int i = 0; i < s->nerr; i++)
		if (s->err[i] == err)
			return;
	if (s->nerr < 4)
		s->err[s->nerr++] = err;
}

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static void put_le64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * The model: what the driver must answer to op with payload p (psize
 * bytes) on file fi. Fills s->nerr/err (errors that apply) or s->ok, and
 * what to check on success.
 */
static void model(struct fslot *s, size_t psize, int cqe32)
{
	const unsigned char *p = s->payload;
	int tail = all_zero(p + 16, psize - 16);
	uint64_t pre;

	s->nerr = 0;
	s->chk = CHK_NONE;
	s->ok = 0;
	switch (s->op) {
	case MISCURING_CMD_NOP:
	case MISCURING_CMD_HELLO:
	case MISCURING_CMD_RESET_STATS:
		if (!all_zero(p, 16) || !tail)
			add_err(s, -EINVAL);
		if (s->op == MISCURING_CMD_RESET_STATS)
			add_err(s, -EPERM);	/* CAP_SYS_ADMIN dropped */
		break;
	case MISCURING_CMD_GET_VALUE:
		s->addr = le64_at(p);
		if (le64_at(p + 8) || !tail)
			add_err(s, -EINVAL);
		if (!s->addr && !cqe32)
			add_err(s, -EINVAL);
		if (s->addr && mem_access(s->addr, 8, 1, &pre) != M_OK)
			add_err(s, -EFAULT);
		s->chk = CHK_GET;
		break;
	case MISCURING_CMD_SET_VALUE:
		if (le64_at(p + 8) || !tail)
			add_err(s, -EINVAL);
		if (!files[s->fi].writable)
			add_err(s, -EBADF);
		if (!s->nerr)
			file_add_value(&files[s->fi], le64_at(p));
		break;
	case MISCURING_CMD_ECHO: {
		uint32_t len = le32_at(p + 8);

		s->addr = le64_at(p);
		s->n = len < psize ? len : (uint32_t)psize;
		if (le32_at(p + 12) || !len)
			add_err(s, -EINVAL);
		else if (mem_access(s->addr, s->n, 1, &pre) != M_OK)
			add_err(s, -EFAULT);
		s->ok = (int32_t)s->n;
		s->chk = CHK_ECHO;
		break;
	}
	case MISCURING_CMD_DELAY:
		s->usec = le32_at(p);
		if (le64_at(p + 8) || !tail)
			add_err(s, -EINVAL);
		if (s->usec > MISCURING_DELAY_MAX_USEC)
			add_err(s, -EINVAL);
		s->ok = (int32_t)le32_at(p + 4);
		s->chk = CHK_DELAY;
		break;
	case MISCURING_CMD_PROBE:
	case MISCURING_CMD_STATS: {
		uint32_t len = le32_at(p + 8);
		uint32_t full = s->op == MISCURING_CMD_PROBE ? sizeof(struct miscuring_info)
							      : sizeof(struct miscuring_stats);

		s->addr = le64_at(p);
		s->n = len < full ? len : full;
		if (le32_at(p + 12) || !tail || !len)
			add_err(s, -EINVAL);
		else if (mem_access(s->addr, s->n, 1, &pre) != M_OK)
			add_err(s, -EFAULT);
		s->ok = (int32_t)s->n;
		s->chk = s->op == MISCURING_CMD_PROBE ? CHK_PROBE : CHK_STATS;
		break;
	}
	case MISCURING_CMD_WAIT:
		s->watch = le64_at(p);
		s->usec = le32_at(p + 8);
		if (le32_at(p + 12) || !tail)
			add_err(s, -EINVAL);
		if (s->usec > MISCURING_WAIT_MAX_USEC)
			add_err(s, -EINVAL);
		s->chk = CHK_WAIT;
		break;
	case MISCURING_CMD_READ:
	case MISCURING_CMD_WRITE: {
		/*
		 * The fuzzer gives them no data (sqe->addr and len stay 0, no
		 * FIXED), so the buffer's shadow holds: 0 bytes, or an error.
		 */
		uint32_t fl = le32_at(p + 8), nr = le32_at(p + 12);

		if ((fl & ~MISCURING_RW_FLAGS) || (!(fl & MISCURING_RW_VECTORED) && nr) ||
		    !tail || le64_at(p) > INT64_MAX)
			add_err(s, -EINVAL);
		else if (s->op == MISCURING_CMD_WRITE && !files[s->fi].writable)
			add_err(s, -EBADF);
		else if (fl & MISCURING_RW_ASYNC)	/* without FIXED */
			add_err(s, -EINVAL);
		else if (nr)
			add_err(s, nr > 1024 ? -EINVAL : -EFAULT);
		break;
	}
	case MISCURING_CMD_WATCH:
	case MISCURING_CMD_WATCH_STOP:
		/*
		 * Only with multishot uring_cmd (6.18+). A WATCH needs
		 * IORING_URING_CMD_MULTISHOT, which the fuzzer does not send;
		 * a WATCH_STOP finds no watch (res 0).
		 */
		if (!(le64toh(F.info.features) & MISCURING_FEAT_WATCH))
			add_err(s, -EOPNOTSUPP);
		else if (s->op == MISCURING_CMD_WATCH || le64_at(p + 8) || !tail)
			add_err(s, -EINVAL);
		break;
	default:
		add_err(s, -EOPNOTSUPP);
		break;
	}
}

/* READ and WRITE: their data is given by SQE fields outside the payload. */
static int is_rw(uint32_t op)
{
	return op == MISCURING_CMD_READ || op == MISCURING_CMD_WRITE;
}

/* Make a generated payload safe to run: known addresses, short times. */
static void sanitize(struct fslot *s, size_t psize)
{
	unsigned char *p = s->payload;
	uint64_t pre;

	(void)psize;
	switch (s->op) {
	case MISCURING_CMD_GET_VALUE:
	case MISCURING_CMD_ECHO:
	case MISCURING_CMD_PROBE:
	case MISCURING_CMD_STATS: {
		uint64_t a = le64_at(p);

		if (a && mem_access(a, 1, 1, &pre) == M_UNKNOWN)
			put_le64(p, fault_addr());
		/* in the slots only the start of its own buffer */
		if (a >= (uint64_t)(uintptr_t)slots &&
		    a < (uint64_t)(uintptr_t)slots + slots_size &&
		    (a < (uint64_t)(uintptr_t)s->buf || a >= (uint64_t)(uintptr_t)s->buf + 8))
			put_le64(p, fault_addr());
		break;
	}
	case MISCURING_CMD_DELAY: {
		uint32_t u = le32_at(p);

		if (u <= MISCURING_DELAY_MAX_USEC && u > 20000)
			put_le32(p, u % 2000);
		break;
	}
	case MISCURING_CMD_WAIT: {
		uint32_t u = le32_at(p + 8);

		if (u <= MISCURING_WAIT_MAX_USEC && u > 20000)
			put_le32(p + 8, u % 2000);
		break;
	}
	default:
		break;
	}
}

static uint32_t pick_len(void)
{
	switch (rnd_below(10)) {
	case 0: return 0;
	case 1: return 1 + (uint32_t)rnd_below(16);
	case 2: return 16;
	case 3: return 56;
	case 4: return 80;
	case 5: return 104;
	case 6: return 105 + (uint32_t)rnd_below(100);
	case 7: return 0xffffffffu;
	case 8: return (uint32_t)rnd();
	default: return 1 + (uint32_t)rnd_below(120);
	}
}

static uint32_t pick_cmd_op(void)
{
	unsigned int c = (unsigned int)rnd_below(100);

	if (c < 80)
		return MISCURING_CMD(1 + (uint32_t)rnd_below(MISCURING_CMD_NR_MAX));
	if (c < 88) {
		/* numbers past the last op: nothing to update for a new op */
		static const uint32_t nrs[] = {
			0, MISCURING_CMD_NR_MAX + 1, MISCURING_CMD_NR_MAX + 2,
			MISCURING_CMD_NR_MAX + 5, 0x7fff, 0x8000, 0xffff,
		};

		return chance(50) ? MISCURING_CMD(nrs[rnd_below(7)])
				  : MISCURING_CMD((uint32_t)rnd_below(0x10000));
	}
	if (c < 96)
		return (uint32_t)rnd();
	switch (rnd_below(5)) {
	case 0: return 0;
	case 1: return 0xffffffffu;
	case 2: return MISCURING_CMD_NOP | 0x80000000u;
	case 3: return MISCURING_CMD_NR(MISCURING_CMD_GET_VALUE);	/* nr without magic */
	default: return (uint32_t)rnd_below(64);
	}
}

/* A random payload for op (psize bytes) into s->payload. */
static void gen_payload(struct fslot *s, size_t psize, int in_chain)
{
	unsigned char *p = s->payload;

	memset(p, 0, sizeof(s->payload));
	switch (s->op) {
	case MISCURING_CMD_GET_VALUE:
		put_le64(p, chance(10) ? 0 : pick_out_addr(s->buf, 8));
		break;
	case MISCURING_CMD_SET_VALUE:
		put_le64(p, pick_value());
		break;
	case MISCURING_CMD_ECHO: {
		uint32_t len = pick_len();

		put_le64(p, pick_out_addr(s->buf, len < psize ? len : psize));
		put_le32(p + 8, len);
		/* ECHO's tail is data */
		gt_fill_random(p + 16, sizeof(s->payload) - 16);
		break;
	}
	case MISCURING_CMD_DELAY: {
		unsigned int c = (unsigned int)rnd_below(100);
		/* short: the module's timer has jiffy (4 ms) granularity anyway */
		uint32_t usec = c < 30 ? 0 : c < 60 ? 1 + (uint32_t)rnd_below(200) :
				c < 88 ? 200 + (uint32_t)rnd_below(1800) :
				c < 90 ? 2000 + (uint32_t)rnd_below(18000) :
				MISCURING_DELAY_MAX_USEC + 1 +
				(uint32_t)rnd_below(0xffffffffu - MISCURING_DELAY_MAX_USEC);
		int32_t res = chance(50) ? (int32_t)rnd() :
			      chance(50) ? -(int32_t)rnd_below(200) : (int32_t)rnd_below(100);

		put_le32(p, usec);
		put_le32(p + 4, (uint32_t)res);
		break;
	}
	case MISCURING_CMD_PROBE:
	case MISCURING_CMD_STATS: {
		uint32_t len = pick_len();
		uint32_t full = s->op == MISCURING_CMD_PROBE ? 104 : 56;

		put_le64(p, pick_out_addr(s->buf, len < full ? len : full));
		put_le32(p + 8, len);
		break;
	}
	case MISCURING_CMD_READ:
	case MISCURING_CMD_WRITE:
		put_le64(p, chance(90) ? rnd_below(1u << 21) : rnd());
		put_le32(p + 8, chance(80) ? (uint32_t)rnd_below(1u << 3) : (uint32_t)rnd());
		if (chance(20))
			put_le32(p + 12, chance(50) ? (uint32_t)rnd_below(1100) : (uint32_t)rnd());
		break;
	case MISCURING_CMD_WAIT: {
		unsigned int c = (unsigned int)rnd_below(100);
		uint32_t t = c < 25 ? 0 : c < 92 ? 1 + (uint32_t)rnd_below(2000) :
			     c < 94 ? 2000 + (uint32_t)rnd_below(18000) :
			     MISCURING_WAIT_MAX_USEC + 1 +
			     (uint32_t)rnd_below(0xffffffffu - MISCURING_WAIT_MAX_USEC);

		put_le64(p, chance(60) ? value_pool[rnd_below(POOL_N)] : rnd());
		put_le32(p + 8, t);
		break;
	}
	default:
		break;
	}
	/* mutations: reserved words, the tail, everything */
	if (chance(6))
		p[8 + rnd_below(8)] |= (unsigned char)(1 + rnd_below(255));
	if (psize > 16 && s->op != MISCURING_CMD_ECHO && chance(6))
		p[16 + rnd_below(psize - 16)] = (unsigned char)(1 + rnd_below(255));
	if (chance(3))
		gt_fill_random(p, psize);
	sanitize(s, psize);
	/* a chain runs one command after the other: keep its waits short */
	if (in_chain && s->op == MISCURING_CMD_DELAY &&
	    le32_at(p) <= MISCURING_DELAY_MAX_USEC)
		put_le32(p, chance(80) ? 0 : le32_at(p) % 101);
	if (in_chain && s->op == MISCURING_CMD_WAIT &&
	    le32_at(p + 8) <= MISCURING_WAIT_MAX_USEC)
		put_le32(p + 8, chance(80) ? 0 : le32_at(p + 8) % 101);
}

/* ------------------------------------------------------------------ */
/* Checking completions                                                */
/* ------------------------------------------------------------------ */

static int err_allowed(const struct fslot *s, int res)
{
	for (int i = 0; i < s->nerr; i++)
		if (s->err[i] == res)
			return 1;
	return 0;
}

static const char *slot_desc(const struct fslot *s)
{
	static char b[400];
	char hex[2 * MISCURING_PAYLOAD_SQE128 + 1];
	size_t ps = F.kind == GT_RING_SQE128 || F.kind == GT_RING_BIG ? 80 : 16;

	for (size_t i = 0; i < ps; i++)
		sprintf(hex + 2 * i, "%02x", s->payload[i]);
	snprintf(b, sizeof(b), "command #%" PRIu64 " cmd_op 0x%08x on %s fd, ring %s%s%s, "
		 "sqe flags 0x%x, odd fields 0x%x, payload %s", s->seq, s->op,
		 s->fi ? "read-only" : "read-write", gt_ring_names[F.kind],
		 F.su ? " " : "", su_names[F.su], s->sqe_flags, s->classes, hex);
	return b;
}

/* Check one command that reached the driver; 0 or -1 (F.err set). */
static int check_driver(struct fslot *s, uint64_t now)
{
	const struct ffile *f = &files[s->fi];
	int own = s->addr >= (uint64_t)(uintptr_t)s->buf &&
		  s->addr < (uint64_t)(uintptr_t)s->buf + SLOTBUF;
	size_t off = own ? (size_t)(s->addr - (uint64_t)(uintptr_t)s->buf) : 0;
	int res = s->res;

	F.issued++;
	if (res < 0) {
		F.failed++;
		if (res == -ECANCELED)
			F.cancelled++;
	}
	/*
	 * Before 6.4 a READ/WRITE that io_uring issues from io-wq (behind a
	 * DRAIN, too) has lost the SQE fields its data is in: -EOPNOTSUPP.
	 */
	if (is_rw(s->op) && !rw_from_iowq && res == -EOPNOTSUPP) {
		F.by_res_class[1]++;
		return 0;
	}

	if (s->nerr) {
		if (err_allowed(s, res)) {
			F.by_res_class[1]++;
			return 0;
		}
		ffail("res %s, expected one of %s%s%s%s: %s", gt_errname(res),
		      gt_errname(s->err[0]), s->nerr > 1 ? ", " : "",
		      s->nerr > 1 ? gt_errname(s->err[1]) : "",
		      s->nerr > 2 ? ", ..." : "", slot_desc(s));
		return -1;
	}
	F.by_res_class[0]++;

	if (s->chk == CHK_WAIT) {
		if (res != 0 && res != -ETIMEDOUT) {
			ffail("res %s, expected 0 or %s: %s", gt_errname(res),
			      gt_errname(-ETIMEDOUT), slot_desc(s));
			return -1;
		}
		if (res == 0 && f->vals.n == 1 && !f->vals.full &&
		    vset_has(&f->vals, s->watch)) {
			ffail("WAIT woke up, but its file only ever held 0x%" PRIx64 ": %s",
			      s->watch, slot_desc(s));
			return -1;
		}
		if (res == -ETIMEDOUT && !vset_has(&f->vals, s->watch)) {
			/* it watched a value the file never had: it cannot wait */
			ffail("WAIT for a change from 0x%" PRIx64 ", a value the file "
			      "never held: -ETIMEDOUT: %s", s->watch, slot_desc(s));
			return -1;
		}
		if (res == -ETIMEDOUT && now - s->t_submit < s->usec) {
			ffail("WAIT timed out after %" PRIu64 " us, timeout %u us: %s",
			      now - s->t_submit, s->usec, slot_desc(s));
			return -1;
		}
		if (s->cqe32 && !vset_has(&f->vals, s->res2))
			goto bad_value;
		return 0;
	}
	if (res != s->ok) {
		ffail("res %s, expected %s: %s", gt_errname(res), gt_errname(s->ok),
		      slot_desc(s));
		return -1;
	}
	if (s->chk == CHK_DELAY && now - s->t_submit < s->usec) {
		ffail("DELAY of %u us completed after %" PRIu64 " us: %s",
		      s->usec, now - s->t_submit, slot_desc(s));
		return -1;
	}

	switch (s->chk) {
	case CHK_GET: {
		uint64_t v = own ? le64_at(s->buf + off) : 0;

		if (own && !vset_has(&f->vals, v)) {
			s->res2 = v;
			goto bad_value;
		}
		if (s->cqe32 && !vset_has(&f->vals, s->res2))
			goto bad_value;
		if (own && s->cqe32 && v != s->res2) {
			ffail("GET_VALUE wrote 0x%" PRIx64 " but posted 0x%" PRIx64 ": %s",
			      v, s->res2, slot_desc(s));
			return -1;
		}
		if (own && !gt_all_bytes(s->buf + off + 8, SLOTBUF - off - 8, 0xee))
			goto overrun;
		return 0;
	}
	case CHK_ECHO:
		if (!own)
			return 0;
		if (memcmp(s->buf + off, s->payload, s->n)) {
			ffail("ECHO: byte %ld of %u differs: %s",
			      gt_first_diff(s->buf + off, s->payload, s->n), s->n,
			      slot_desc(s));
			return -1;
		}
		if (!gt_all_bytes(s->buf + off + s->n, SLOTBUF - off - s->n, 0xee))
			goto overrun;
		return 0;
	case CHK_PROBE:
		if (s->cqe32 && s->res2 != le64toh(F.info.features)) {
			ffail("PROBE: CQE32 value 0x%" PRIx64 ", expected the features 0x%"
			      PRIx64 ": %s", s->res2, (uint64_t)le64toh(F.info.features),
			      slot_desc(s));
			return -1;
		}
		if (!own)
			return 0;
		if (memcmp(s->buf + off, &F.info, s->n)) {
			ffail("PROBE: byte %ld of %u differs from the info: %s",
			      gt_first_diff(s->buf + off, &F.info, s->n), s->n,
			      slot_desc(s));
			return -1;
		}
		if (!gt_all_bytes(s->buf + off + s->n, SLOTBUF - off - s->n, 0xee))
			goto overrun;
		return 0;
	case CHK_STATS:
		if (!own)
			return 0;
		if (s->n >= 4 && le32_at(s->buf + off) != sizeof(struct miscuring_stats)) {
			ffail("STATS: stats_size %u: %s", le32_at(s->buf + off), slot_desc(s));
			return -1;
		}
		if (s->n >= 8 && le32_at(s->buf + off + 4)) {
			ffail("STATS: reserved 0x%x: %s", le32_at(s->buf + off + 4),
			      slot_desc(s));
			return -1;
		}
		if (!gt_all_bytes(s->buf + off + s->n, SLOTBUF - off - s->n, 0xee))
			goto overrun;
		return 0;
	default:
		return 0;
	}
bad_value:
	ffail("value 0x%" PRIx64 " the file never held: %s", s->res2, slot_desc(s));
	return -1;
overrun:
	ffail("wrote past the %u bytes it reported: %s", s->n, slot_desc(s));
	return -1;
}

static void free_slot(struct fslot *s)
{
	if (s->drain)
		F.drains--;
	s->busy = 0;
	s->done = 0;
	F.busy--;
}

/* A command is done: check it, or its whole chain once all are done. */
static int complete(struct fslot *s, uint64_t now)
{
	if (s->chain_head < 0) {
		int ret;

		if (s->core) {
			F.core_rejected++;
			F.by_res_class[2]++;
			ret = err_allowed(s, s->res) ? 0 : -1;
			if (ret)
				ffail("rejected by io_uring: res %s, expected %s%s: %s",
				      gt_errname(s->res), gt_errname(s->err[0]),
				      s->nerr > 1 ? " or another odd field's" : "",
				      slot_desc(s));
		} else {
			ret = check_driver(s, now);
		}
		free_slot(s);
		return ret;
	}

	/* a chain member: wait for all of them, then walk it in order */
	for (int i = s->chain_head; i >= 0; i = slots[i].chain_next)
		if (!slots[i].done)
			return 0;
	F.chains--;
	{
		int broken = 0, ret = 0, i = s->chain_head;

		while (i >= 0) {
			struct fslot *m = &slots[i];
			int next = m->chain_next;

			if (!ret) {
				if (broken) {
					F.link_cancelled++;
					F.by_res_class[3]++;
					if (m->res != -ECANCELED) {
						ffail("link member after a failed one: res %s, "
						      "expected %s: %s", gt_errname(m->res),
						      gt_errname(-ECANCELED), slot_desc(m));
						ret = -1;
					}
				} else {
					ret = check_driver(m, now);
					if (m->res < 0 && m->link == IOSQE_IO_LINK)
						broken = 1;
				}
			}
			free_slot(m);
			i = next;
		}
		return ret;
	}
}

static int handle_cqe(const struct gt_cqe *c, uint64_t now)
{
	unsigned int si = (unsigned int)(c->user_data & 0xffff);
	uint32_t gen = (uint32_t)(c->user_data >> 16);
	struct fslot *s;

	F.cqes++;
	if (si >= QD || !slots[si].busy || slots[si].done || slots[si].gen != gen) {
		ffail("CQE for no command in flight (completed twice?): user_data "
		      "0x%" PRIx64 " res %s", c->user_data, gt_errname(c->res));
		return -1;
	}
	s = &slots[si];
	s->done = 1;
	s->res = c->res;
	s->res2 = c->res2;
	return complete(s, now);
}

/*
 * gt_reap() with a deadline that holds on an IOPOLL ring too. There,
 * io_uring_enter(GETEVENTS) polls the ring's iopoll list and returns when
 * it is empty, without sleeping for a CQE that comes another way (6.1:
 * the task work of a uring_cmd that io-wq ran, e.g. one with IOSQE_ASYNC,
 * refused with -EOPNOTSUPP; /dev/null's uring_cmd does the same), so
 * liburing's timed wait gives -ETIME at once, milliseconds before that
 * CQE arrives: keep asking until the deadline.
 */
static int fuzz_reap(struct gt_cqe *c, uint64_t timeout_us)
{
	uint64_t deadline = gt_now_us() + timeout_us;
	int ret;

	for (;;) {
		uint64_t now = gt_now_us();

		ret = gt_reap(&F.ring, c, now < deadline ? deadline - now : 1);
		if (ret != -ETIME || F.su != SU_IOPOLL || gt_now_us() >= deadline)
			return ret;
		gt_sleep_us(200);
	}
}

static int reap(int wait_one)
{
	struct gt_cqe c;
	int ret;

	if (wait_one) {
		ret = fuzz_reap(&c, HANG_US);
		if (ret) {
			uint64_t oldest = UINT64_MAX;
			int oi = -1;

			for (int i = 0; i < QD; i++)
				if (slots[i].busy && !slots[i].done && slots[i].seq < oldest) {
					oldest = slots[i].seq;
					oi = i;
				}
			ffail("no completion in %llu s with %d commands in flight (%s); "
			      "oldest: %s", HANG_US / 1000000, F.busy, gt_errname(ret),
			      oi >= 0 ? slot_desc(&slots[oi]) : "?");
			return -1;
		}
		if (handle_cqe(&c, gt_now_us()))
			return -1;
	}
	while ((ret = gt_reap(&F.ring, &c, 0)) == 0)
		if (handle_cqe(&c, gt_now_us()))
			return -1;
	if (ret != -ETIME) {
		ffail("reaping: %s", gt_errname(ret));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Generating commands                                                 */
/* ------------------------------------------------------------------ */

/* Would the next batch reuse the SQ slot of a chain still in flight? */
static int chain_slot_at_risk(void)
{
	uint64_t oldest = UINT64_MAX;

	for (int i = 0; i < QD; i++)
		if (slots[i].busy && slots[i].chain_head >= 0 && slots[i].sq_pos < oldest)
			oldest = slots[i].sq_pos;
	return oldest != UINT64_MAX &&
	       F.sq_pos + 36 - oldest > F.ring.sq.ring_entries;
}

static int free_slot_index(void)
{
	static int next;

	for (int i = 0; i < QD; i++) {
		int j = (next + i) % QD;

		if (!slots[j].busy) {
			next = (j + 1) % QD;
			return j;
		}
	}
	return -1;
}

/*
 * The current ring's setup refuses every uring_cmd (IOPOLL before 7.1).
 * Such a ring gets no links or drains: io_uring fails every member.
 */
static int ring_rejects(void)
{
	return !calib[F.su].c[CL_COUNT].reaches_driver;
}

/* Odd fields that set the same SQE field: at most one of a group. */
static unsigned int cls_group(enum cls c)
{
	switch (c) {
	case CL_FIXED_BADIDX: case CL_FD_NEG: case CL_FD_CLOSED: case CL_FD_PIPE:
		return 1;	/* the file */
	case CL_UCMD_FIXED: case CL_UCMD_OTHER:
		return 2;	/* uring_cmd_flags */
	default:
		return 0;
	}
}

/*
 * Set n odd fields at once (at most one per SQE field; none that picks the
 * file with a registered file) and model the result from the calibration: io_uring
 * rejects the command with the errno of one of the fields it rejects
 * alone (which one it checks first is not the ABI's business), or, where
 * it rejects none, the driver gets it and refuses it with the errno it
 * gave a NOP with any of them, or runs it as the payload says.
 */
static void apply_odd_fields(struct fslot *s, struct io_uring_sqe *sqe, int n,
			     int fixed)
{
	const typeof(calib[0].c[0]) *none = &calib[F.su].c[CL_COUNT];
	unsigned int groups = fixed ? 1 : 0;
	int driver_err = 0, core = 0;
	int32_t errs[4];
	int nerrs = 0;

	if (!none->reaches_driver)
		errs[nerrs++] = none->err;
	for (int i = 0; i < n; i++) {
		enum cls c = (enum cls)rnd_below(CL_COUNT);
		const typeof(calib[0].c[0]) *k = &calib[F.su].c[c];

		if ((s->classes & 1u << c) || (cls_group(c) & groups))
			continue;
		groups |= cls_group(c);
		s->classes |= 1u << c;
		apply_class(sqe, c);
		if (!k->reaches_driver) {
			core = 1;
			if (nerrs < 4)
				errs[nerrs++] = k->err;
		} else if (k->driver_err) {
			driver_err = k->driver_err;
		}
	}
	if (core || !none->reaches_driver) {
		s->core = 1;
		s->nerr = 0;
		for (int i = 0; i < nerrs; i++)
			add_err(s, errs[i]);
	} else if (driver_err && !err_allowed(s, -EOPNOTSUPP)) {
		/* the mu_cmd kit answers an unknown op before its fields */
		s->nerr = 0;
		add_err(s, driver_err);
		s->ok = driver_err;
		s->chk = CHK_NONE;
	}
}

/*
 * Queue one random command in slot si. In a chain: only commands io_uring
 * accepts, no DRAIN.
 */
static int gen_cmd(int si, int in_chain, uint8_t link, uint64_t t_submit)
{
	struct fslot *s = &slots[si];
	size_t psize = gt_payload_size(&F.ring);
	int cqe32 = gt_ring_cqe32(&F.ring);
	struct io_uring_sqe *sqe;
	unsigned int fc = (unsigned int)rnd_below(100);
	int fixed = 0, want_core, nodd;

	sqe = io_uring_get_sqe(&F.ring);
	if (!sqe) {
		ffail("no SQE with %d in flight", F.busy);
		return -1;
	}
	memset(sqe, 0, gt_ring_sqe128(&F.ring) ? 128 : 64);
	memset(&s->seq, 0, sizeof(*s) - offsetof(struct fslot, seq));
	memset(s->buf, 0xee, SLOTBUF);
	s->busy = 1;
	s->gen = ++F.gen;
	s->seq = ++F.seq;
	s->sq_pos = F.sq_pos++;
	s->chain_head = -1;
	s->chain_next = -1;
	s->cqe32 = (uint8_t)cqe32;
	s->t_submit = t_submit;
	s->link = link;
	s->fi = fc < 85 ? 0 : 1;
	if (F.files_registered && chance(15))
		fixed = 1;
	s->op = pick_cmd_op();
	/* before 6.4 a READ/WRITE from io-wq (a link's later ones) fails */
	if (in_chain && is_rw(s->op) && !rw_from_iowq)
		s->op = MISCURING_CMD_NOP;
	gen_payload(s, psize, in_chain);
	model(s, psize, cqe32);

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fixed ? s->fi : files[s->fi].fd,
			 NULL, 0, 0);
	sqe->cmd_op = s->op;
	sqe->__pad1 = 0;
	memcpy((unsigned char *)sqe + GT_SQE_CMD_OFF, s->payload, psize);
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	if (chance(10) && (!is_rw(s->op) || rw_from_iowq)) {
		sqe->flags |= IOSQE_ASYNC;
		F.n_async++;
	}
	if (!in_chain && rnd_below(1000) < 2 && !ring_rejects() &&
	    (!is_rw(s->op) || rw_from_iowq)) {
		sqe->flags |= IOSQE_IO_DRAIN;
		s->drain = 1;
		F.drains++;
	}
	sqe->flags |= link;
	/*
	 * Not while a DRAIN waits: io_uring counts the CQE of an SQE it
	 * rejects at submission against the drain, which then runs too early
	 * or, when the count jumps past it, never (6.1 and 6.12).
	 */
	/* draw the dice first: the sequence must not depend on timing */
	want_core = chance(4);
	nodd = combine ? 1 + (int)rnd_below(3) : 1;
	/* the odd fields are calibrated on NOP; READ/WRITE use some */
	if (!in_chain && !F.drains && (!fixed || combine) &&
	    ((want_core && !is_rw(s->op)) || ring_rejects()))
		apply_odd_fields(s, sqe, want_core && !is_rw(s->op) ? nodd : 0, fixed);
	s->sqe_flags = sqe->flags;
	io_uring_sqe_set_data64(sqe, (uint64_t)s->gen << 16 | (uint64_t)si);
	F.busy++;
	return 0;
}

/*
 * Queue a batch of up to 32 + 3 commands; returns how many, or -1. The
 * caller makes room first, so that what is generated never depends on how
 * many commands happen to be in flight: a seed gives one sequence.
 */
static int gen_batch(uint64_t t_submit)
{
	int n = 1 + (int)rnd_below(32), queued = 0;

	while (queued < n) {
		if (chance(2) && !ring_rejects()) {
			int len = 2 + (int)rnd_below(3), prev = -1, head = -1;

			for (int k = 0; k < len; k++) {
				int si = free_slot_index();
				uint8_t link = k == len - 1 ? 0 :
					chance(75) ? IOSQE_IO_LINK : IOSQE_IO_HARDLINK;

				if (si < 0 || gen_cmd(si, 1, link, t_submit))
					return -1;
				if (head < 0)
					head = si;
				slots[si].chain_head = (int16_t)head;
				if (prev >= 0)
					slots[prev].chain_next = (int16_t)si;
				prev = si;
			}
			F.n_chains++;
			F.chains++;
			queued += len;
		} else {
			int si = free_slot_index();

			if (si < 0 || gen_cmd(si, 0, 0, t_submit))
				return -1;
			queued++;
		}
	}
	return queued;
}

/* ------------------------------------------------------------------ */
/* Classic interface                                                   */
/* ------------------------------------------------------------------ */

static unsigned char *shadow;		/* the shared buffer as it must be */
static uint64_t shadow_len;
static uint64_t n_ioctl, n_rw, rw_mismatches;
static char classic_err[600], rw_err[600];

/* The last writes, to tell which one a wrong byte comes from. */
struct wlog {
	uint64_t n_op;		/* n_rw at the time */
	long long pos;
	uint64_t n, acc;
	ssize_t r;
	int err;
};
#define WLOG 4096
static struct wlog wlog[WLOG];
static unsigned int wlog_n;

static const char *last_write_at(uint64_t off)
{
	static char b[200];

	for (unsigned int i = 0; i < WLOG && i < wlog_n; i++) {
		const struct wlog *w = &wlog[(wlog_n - 1 - i) % WLOG];

		if (w->pos >= 0 && off >= (uint64_t)w->pos && off < (uint64_t)w->pos + w->n) {
			snprintf(b, sizeof(b), "the last write over it (operation %" PRIu64
				 " of %" PRIu64 "): %" PRIu64 " bytes at %lld from a buffer with "
				 "%" PRIu64 " accessible bytes returned %zd (errno %d)",
				 w->n_op, n_rw, w->n, w->pos, w->acc, w->r, w->err);
			return b;
		}
	}
	return "no write over it among the last 4096";
}

#define CFAIL(buf, ...) do {						\
		if (!(buf)[0])						\
			snprintf((buf), sizeof(buf), __VA_ARGS__);	\
		return -1;						\
	} while (0)

static int is_vfs_ioctl_type(unsigned int type)
{
	return type == 0 || type == 'T' || type == 'f' || type == 'X' ||
	       type == 0x94 || type == 0x15;
}

static int do_ioctl(void)
{
	struct ffile *f = &files[rnd_below(100) < 80 ? 0 : 1];
	unsigned int c = (unsigned int)rnd_below(100);
	uint64_t pre;
	int *ip = (int *)(scratch + 4 * rnd_below(1024));
	uint64_t addr;
	long r;
	int e;

	n_ioctl++;
	if (c < 10) {
		errno = 0;
		r = ioctl(f->fd, MISCURING_IOC_HELLO);
		if (r != 0)
			CFAIL(classic_err, "ioctl HELLO: %ld errno %d", r, errno);
		return 0;
	}
	if (c < 75) {
		int set = c >= 45, v = (int)pick_value();
		enum mem m;

		/* not edge: io-wq workers may write there meanwhile */
		addr = chance(85) ? (uint64_t)(uintptr_t)ip :
		       chance(50) ? fault_addr() :
		       chance(40) ? (uint64_t)(uintptr_t)ro_page + 4 * rnd_below(16) :
		       (uint64_t)(uintptr_t)edge2 - rnd_below(9);
		m = mem_access(addr, 4, !set, &pre);
		if (m == M_UNKNOWN)
			addr = fault_addr(), m = M_FAULT;
		if (set && m == M_OK) {
			/* a read-only page sets what is in it */
			if (mem_access(addr, 4, 1, &pre) == M_OK)
				memcpy((void *)(uintptr_t)addr, &v, 4);
			else
				memcpy(&v, (void *)(uintptr_t)addr, 4);
		}
		if (!set && m == M_OK)
			memset((void *)(uintptr_t)addr, 0xee, 4);
		errno = 0;
		r = ioctl(f->fd, set ? MISCURING_IOC_SET_VALUE : MISCURING_IOC_GET_VALUE,
			  (void *)(uintptr_t)addr);
		e = errno;
		if (set) {
			int ok = f->writable && m == M_OK;

			if (ok && r != 0)
				CFAIL(classic_err, "ioctl SET %d: %ld errno %d (%s), expected 0",
				      v, r, e, strerror(e));
			if (!ok && !(r == -1 && ((!f->writable && e == EBADF) ||
						 (m != M_OK && e == EFAULT))))
				CFAIL(classic_err, "ioctl SET on a %s file, %s pointer: %ld "
				      "errno %d (%s)", f->writable ? "rw" : "ro",
				      m == M_OK ? "good" : "bad", r, e, strerror(e));
			if (ok)
				file_add_value(f, (uint64_t)(int64_t)v);
		} else {
			int got;

			if (m != M_OK) {
				if (r != -1 || e != EFAULT)
					CFAIL(classic_err, "ioctl GET to a bad pointer 0x%" PRIx64
					      ": %ld errno %d, expected EFAULT", addr, r, e);
				return 0;
			}
			memcpy(&got, (void *)(uintptr_t)addr, 4);
			if (r != 0)
				CFAIL(classic_err, "ioctl GET: %ld errno %d (%s)", r, e, strerror(e));
			if (!vset_has(&f->ivals, (uint64_t)(uint32_t)got))
				CFAIL(classic_err, "ioctl GET: %d, a value the %s file never held",
				      got, f->writable ? "rw" : "ro");
		}
		return 0;
	}
	/* unknown numbers */
	{
		unsigned int cmd;

		do {
			cmd = chance(50) ? _IOC((unsigned int)rnd_below(4), MISCURING_IOC_MAGIC,
						(unsigned int)rnd_below(256),
						(unsigned int)rnd_below(64))
					 : (unsigned int)rnd();
		} while (cmd == MISCURING_IOC_HELLO || cmd == MISCURING_IOC_GET_VALUE ||
			 cmd == MISCURING_IOC_SET_VALUE || is_vfs_ioctl_type(_IOC_TYPE(cmd)));
		errno = 0;
		r = ioctl(f->fd, cmd, (void *)(uintptr_t)fault_addr());
		if (r != -1 || errno != ENOTTY)
			CFAIL(classic_err, "ioctl 0x%08x: %ld errno %d (%s), expected ENOTTY",
			      cmd, r, errno, strerror(errno));
	}
	return 0;
}

/* A user buffer for read/write of n bytes: *acc bytes of it accessible. */
static uint64_t pick_rw_buf(uint64_t n, int write_to_user, enum mem *m, uint64_t *acc)
{
	uint64_t addr, pre;
	unsigned int c = (unsigned int)rnd_below(100);

	if (c < 80 || n == 0)
		addr = (uint64_t)(uintptr_t)scratch + rnd_below(SCRATCH_SIZE - n + 1);
	else if (c < 88)
		addr = fault_addr();
	else if (c < 92 && n <= (uint64_t)pagesz)
		addr = (uint64_t)(uintptr_t)ro_page + rnd_below((uint64_t)pagesz - n + 1);
	else if (n <= (uint64_t)pagesz)
		addr = (uint64_t)(uintptr_t)edge2 - rnd_below(n + 1);
	else
		addr = fault_addr();
	*m = mem_access(addr, n, write_to_user, &pre);
	if (*m == M_UNKNOWN) {
		addr = fault_addr();
		*m = M_FAULT;
	}
	*acc = *m == M_OK ? n : *m == M_PARTIAL ? pre : 0;
	/* a user range the kernel refuses without looking (access_ok) */
	if (addr >= 0x0000800000000000ull || addr + n < addr)
		*acc = 0;
	return addr;
}

static long long pick_pos(void)
{
	unsigned int c = (unsigned int)rnd_below(100);

	if (c < 60)
		return (long long)rnd_below(shadow_len + 200);
	if (c < 80)
		return (long long)rnd_below(max_buffer);
	if (c < 90)
		return (long long)max_buffer - 100 + (long long)rnd_below(200);
	if (c < 95)
		return 1ll << 40;
	return -1 - (long long)rnd_below(1000);
}

/* pread/pwrite, or lseek + read/write: against the shadow. */
static int do_rw(void)
{
	struct ffile *f = &files[chance(85) ? 0 : 1];
	int wr = chance(50), positional = chance(60);
	uint64_t n = chance(5) ? 0 : chance(70) ? 1 + rnd_below(256) : 1 + rnd_below(8192);
	long long pos = pick_pos();
	uint64_t acc, want, pre;
	enum mem m;
	uint64_t addr = pick_rw_buf(n, !wr, &m, &acc);
	unsigned char *u = (unsigned char *)(uintptr_t)addr;
	/* beyond the user address space: access_ok() fails first */
	int kaddr = n && (addr + n < addr || addr + n > user_limit - (uint64_t)pagesz);
	ssize_t r;
	int e;

	n_rw++;
	if (!positional) {
		/* lseek first: the model of generic_file_llseek_size */
		int whence = (int)rnd_below(3);
		long long off = whence == SEEK_SET ? pos :
				whence == SEEK_END ? pos - (long long)shadow_len :
				(chance(30) ? 0 : pos - f->pos);
		long long want_pos = whence == SEEK_SET ? off :
				     whence == SEEK_END ? (long long)shadow_len + off :
				     f->pos + off;
		off_t got;

		if (whence == SEEK_CUR && off == 0)
			want_pos = f->pos;
		else if (want_pos < 0 || want_pos > (long long)max_buffer)
			want_pos = -EINVAL;
		errno = 0;
		got = lseek(f->fd, (off_t)off, whence);
		if ((want_pos >= 0 && got != want_pos) ||
		    (want_pos < 0 && (got != -1 || errno != EINVAL)))
			CFAIL(rw_err, "lseek(%lld, %d) at %lld, length %" PRIu64 ": %lld "
			      "errno %d, expected %lld", off, whence, f->pos, shadow_len,
			      (long long)got, errno, want_pos);
		if (want_pos >= 0)
			f->pos = want_pos;
		pos = f->pos;
	}

	if (wr && n && mem_access(addr, acc, 1, &pre) == M_OK)
		gt_fill_random(u, acc);
	if (!wr && n && acc)
		memset(u, 0xee, acc);
	errno = 0;
	if (wr)
		r = positional ? pwrite(f->fd, u, n, (off_t)pos) : write(f->fd, u, n);
	else
		r = positional ? pread(f->fd, u, n, (off_t)pos) : read(f->fd, u, n);
	e = errno;

#define RWFAIL(fmt, ...)						\
	CFAIL(rw_err, "%s%s of %" PRIu64 " bytes at %lld (buffer %s, 0x%" PRIx64 \
	      ", %" PRIu64 " accessible; length %" PRIu64 ", %s file): " fmt, \
	      positional ? "p" : "", wr ? "write" : "read", n, pos,	\
	      m == M_OK ? "good" : m == M_PARTIAL ? "partly bad" : "bad",	\
	      addr, acc, shadow_len, f->writable ? "rw" : "ro", ##__VA_ARGS__)

	if (wr) {
		wlog[wlog_n++ % WLOG] = (struct wlog){
			.n_op = n_rw, .pos = pos, .n = n, .acc = acc, .r = r,
			.err = r < 0 ? e : 0,
		};
		if (pos < 0) {
			if (r != -1 || e != EINVAL)
				RWFAIL("%zd errno %d, expected EINVAL", r, e);
			return 0;
		}
		if (!f->writable) {
			if (r != -1 || e != EBADF)
				RWFAIL("%zd errno %d, expected EBADF", r, e);
			return 0;
		}
		if (n == 0) {
			if (r != 0)
				RWFAIL("%zd errno %d, expected 0", r, e);
			return 0;
		}
		if ((uint64_t)pos >= max_buffer) {
			/* a kernel pointer fails access_ok() before the driver */
			if (r != -1 || (e != EFBIG && !(kaddr && e == EFAULT)))
				RWFAIL("%zd errno %d, expected EFBIG", r, e);
			return 0;
		}
		want = n < max_buffer - (uint64_t)pos ? n : max_buffer - (uint64_t)pos;
		if (acc >= want) {
			if (r != (ssize_t)want)
				RWFAIL("%zd errno %d (%s), expected %" PRIu64, r, e,
				       strerror(e), want);
		} else if (r == -1) {
			if (e != EFAULT)
				RWFAIL("errno %d (%s), expected EFAULT or a short write",
				       e, strerror(e));
			return 0;	/* nothing may have changed */
		} else if (r <= 0 || (uint64_t)r > acc) {
			RWFAIL("%zd, expected EFAULT or 1..%" PRIu64, r, acc);
		}
		memcpy(shadow + pos, u, (size_t)r);
		if ((uint64_t)pos + (uint64_t)r > shadow_len)
			shadow_len = (uint64_t)pos + (uint64_t)r;
		if (!positional)
			f->pos = pos + r;
		return 0;
	}

	/* read */
	if (pos < 0) {
		if (r != -1 || e != EINVAL)
			RWFAIL("%zd errno %d, expected EINVAL", r, e);
		return 0;
	}
	if (kaddr) {
		if (r != -1 || e != EFAULT)
			RWFAIL("%zd errno %d, expected EFAULT", r, e);
		return 0;
	}
	want = (uint64_t)pos >= shadow_len ? 0 :
	       n < shadow_len - (uint64_t)pos ? n : shadow_len - (uint64_t)pos;
	if (want == 0) {
		if (r != 0)
			RWFAIL("%zd errno %d, expected 0", r, e);
		return 0;
	}
	if (acc >= want) {
		if (r != (ssize_t)want)
			RWFAIL("%zd errno %d (%s), expected %" PRIu64, r, e, strerror(e), want);
	} else if (r == -1) {
		if (e != EFAULT)
			RWFAIL("errno %d (%s), expected EFAULT or a short read", e, strerror(e));
		return 0;
	} else if (r <= 0 || (uint64_t)r > acc) {
		RWFAIL("%zd, expected EFAULT or 1..%" PRIu64, r, acc);
	}
	if (memcmp(u, shadow + pos, (size_t)r)) {
		long d = gt_first_diff(u, shadow + pos, (size_t)r);

		RWFAIL("byte %ld of the %zd read (offset %lld) is 0x%02x, expected 0x%02x; %s",
		       d, r, pos + d, u[d], shadow[pos + d], last_write_at((uint64_t)(pos + d)));
	}
	if (!positional)
		f->pos = pos + r;
	return 0;
#undef RWFAIL
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

static int drop_cap_sys_admin(void)
{
	cap_value_t v = CAP_SYS_ADMIN;
	cap_t caps = cap_get_proc();
	int ret;

	if (!caps)
		return -errno;
	ret = cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) ||
	      cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_CLEAR) ||
	      cap_set_proc(caps);
	cap_free(caps);
	return ret ? -errno : 0;
}

static int ring_setup(enum gt_ring_kind kind, int register_files,
		      enum setup su)
{
	struct io_uring_params p = {};
	int ret;

	F.kind = kind;
	F.su = su;
	memset(&F.ring, 0, sizeof(F.ring));
	p.flags = gt_ring_flags[kind] | IORING_SETUP_CQSIZE | su_flags[su];
	p.cq_entries = QD * 4;
	p.sq_thread_idle = 100;
	ret = io_uring_queue_init_params(QD * 2, &F.ring, &p);
	if (ret) {
		memset(&F.ring, 0, sizeof(F.ring));
		return ret;
	}
	F.files_registered = 0;
	if (register_files) {
		int fds[2] = { files[0].fd, files[1].fd };

		ret = io_uring_register_files(&F.ring, fds, 2);
		if (ret)
			return ret;
		F.files_registered = 1;
	}
	return 0;
}

static int submit_all(int n);

/* How io_uring treats each odd SQE field: measured with NOPs. */
static void calibrate(enum setup su)
{
	struct rel_stats a, b;
	int ret;

	gt_begin("fuzz_calibrate%s%s", su ? "_" : "", su_names[su]);
	ret = ring_setup(GT_RING_PLAIN, 0, su);
	if (ret && su) {
		gt_skip("no %s ring: %s", su_names[su], gt_errname(ret));
		goto out;
	}
	CHECK(ret == 0, "ring setup: %s", gt_errname(ret));
	calib[su].usable = 1;
	for (int c = 0; c <= CL_COUNT; c++) {
		const char *cname = c < CL_COUNT ? cls_names[c] : "a plain NOP";

		for (int trial = 0; trial < 3; trial++) {
			struct miscuring_nop nop = {};
			struct io_uring_sqe *sqe;
			struct gt_cqe cqe;
			int reaches;

			ret = rel_stats_read(&a);
			CHECK(ret == 0, "counters: %s", gt_errname(ret));
			sqe = gt_prep_cmd(&F.ring, files[0].fd, MISCURING_CMD_NOP, &nop,
					  sizeof(nop), 0xca11b);
			CHECK(sqe, "no SQE");
			if (c < CL_COUNT)
				apply_class(sqe, (enum cls)c);
			ret = submit_all(1);
			CHECK(ret == 1, "submit (%s): %s", cname, gt_errname(ret));
			ret = fuzz_reap(&cqe, GT_WAIT_US);
			CHECK(ret == 0 && cqe.user_data == 0xca11b, "%s: no CQE: %s",
			      cname, gt_errname(ret));
			ret = rel_stats_read(&b);
			CHECK(ret == 0, "counters: %s", gt_errname(ret));
			reaches = b.issued != a.issued;
			CHECK(b.issued - a.issued <= 1, "%s: issued grew by %" PRIu64,
			      cname, b.issued - a.issued);
			/*
			 * A driver that refuses unused SQE fields (-EINVAL) is
			 * modelled as such; which fields it refuses is for
			 * the tests of that rule to say.
			 */
			if (reaches)
				CHECK(cqe.res == 0 || (c < CL_COUNT && cqe.res == -EINVAL),
				      "%s: NOP reached the driver but res %s",
				      cname, gt_errname(cqe.res));
			else
				CHECK(documented_core_err(cqe.res),
				      "%s: io_uring rejected it with %s, not one of EINVAL, "
				      "EFAULT, EOPNOTSUPP, EBADF", cname,
				      gt_errname(cqe.res));
			if (trial == 0) {
				calib[su].c[c].reaches_driver = reaches;
				calib[su].c[c].err = reaches ? 0 : cqe.res;
				calib[su].c[c].driver_err = reaches ? cqe.res : 0;
			} else {
				CHECK(calib[su].c[c].reaches_driver == reaches &&
				      calib[su].c[c].err == (reaches ? 0 : cqe.res) &&
				      calib[su].c[c].driver_err == (reaches ? cqe.res : 0),
				      "%s: treated differently on trial %d", cname, trial);
			}
		}
		fprintf(stderr, "rel_fuzz: io_uring%s%s and %-28s %s%s%s\n",
			su ? " " : "", su_names[su], cname,
			calib[su].c[c].reaches_driver ? "passes it to the driver" :
							"rejects it: ",
			calib[su].c[c].reaches_driver ? "" : gt_errname(calib[su].c[c].err),
			calib[su].c[c].driver_err ? ", which refuses it: " : "");
		if (calib[su].c[c].driver_err)
			fprintf(stderr, "  %s\n", gt_errname(calib[su].c[c].driver_err));
	}
out:
	gt_ring_exit(&F.ring);
	gt_end();
}

/* 5-level paging (QEMU's -cpu max has LA57) moves the end of user space. */
static uint64_t find_user_limit(void)
{
	void *hint = (void *)(1ull << 48);
	void *p = mmap(hint, (size_t)pagesz, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return 1ull << 47;
	munmap(p, (size_t)pagesz);
	return p == hint ? 1ull << 56 : 1ull << 47;
}

static int setup_memory(void)
{
	pagesz = sysconf(_SC_PAGESIZE);
	user_limit = find_user_limit();
	scratch = mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	slots_size = sizeof(struct fslot) * QD;
	slots = mmap(NULL, slots_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = gt_readonly_page();
	edge = gt_edge_page();
	edge2 = gt_edge_page();
	pn_page = mmap(NULL, (size_t)pagesz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shadow = malloc(max_buffer + 8192);
	if (scratch == MAP_FAILED || slots == MAP_FAILED || !ro_page || !edge || !edge2 ||
	    pn_page == MAP_FAILED || !shadow)
		return -ENOMEM;
	return 0;
}

/* The shared buffer as it is now: its length and bytes. */
static int load_shadow(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	ssize_t r;

	if (len < 0)
		return -errno;
	shadow_len = (uint64_t)len;
	memset(shadow, 0, max_buffer + 8192);
	r = pread(fd, shadow, shadow_len, 0);
	if (r != (ssize_t)shadow_len)
		return r < 0 ? -errno : -EIO;
	return lseek(fd, 0, SEEK_SET) == 0 ? 0 : -errno;
}

/* ------------------------------------------------------------------ */

static uint64_t seed;
static struct rel_stats stats_before;
static long long refcnt_before;

static int fuzz_setup(void)
{
	struct io_uring ring = {};
	struct gt_cqe cqe;
	struct miscuring_nop nop = {};
	struct miscuring_probe pr = gt_probe_payload(&F.info, sizeof(F.info));
	long long mb;
	int ret, nfail = gt_nfail;

	gt_begin("fuzz_setup");
	refcnt_before = rel_module_refcnt();
	CHECK(refcnt_before >= 0, "module refcount: %s", gt_errname(refcnt_before));
	mb = gt_max_buffer();
	CHECK(mb > 0, "max_buffer: %s", gt_errname(mb));
	max_buffer = (uint64_t)mb;
	ret = setup_memory();
	CHECK(ret == 0, "memory: %s", gt_errname(ret));
	ret = drop_cap_sys_admin();
	CHECK(ret == 0, "dropping CAP_SYS_ADMIN: %s", gt_errname(ret));
	for (int i = 0; i < 2; i++) {
		files[i].writable = i == 0;
		files[i].fd = gt_open_dev(i == 0 ? O_RDWR : O_RDONLY);
		CHECK(files[i].fd >= 0, "open: %s", gt_errname(files[i].fd));
		file_add_value(&files[i], 0);	/* a new file holds 0 */
	}
	CHECK(pipe2(pipe_fds, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	closed_fd = 1000;	/* never opened */
	ret = gt_ring_init(&ring, 4, GT_RING_PLAIN);
	CHECK(ret == 0, "ring: %s", gt_errname(ret));
	CMD_EXPECT(&ring, files[0].fd, MISCURING_CMD_PROBE, &pr, sizeof(pr), &cqe,
		   (int)sizeof(F.info));
	/* CAP_SYS_ADMIN is gone: RESET_STATS fails, the counters stay */
	CMD_EXPECT(&ring, files[0].fd, MISCURING_CMD_RESET_STATS, &nop, sizeof(nop),
		   &cqe, -EPERM);
	ret = load_shadow(files[0].fd);
	CHECK(ret == 0, "reading the shared buffer: %s", gt_errname(ret));
	fprintf(stderr, "rel_fuzz: shared buffer %" PRIu64 " bytes, max_buffer %"
		PRIu64 ", features 0x%" PRIx64 ", user space ends at 0x%" PRIx64 "\n",
		shadow_len, max_buffer, (uint64_t)le64toh(F.info.features), user_limit);
out:
	gt_ring_exit(&ring);
	gt_end();
	return gt_nfail == nfail ? 0 : -1;
}

/* Submit everything queued; io_uring stops at an SQE it rejects. */
static int submit_all(int n)
{
	int done = 0;

	/*
	 * SQPOLL: the count is of the SQEs its thread has yet to take, the
	 * last batch's included; it takes them all, in its own time.
	 */
	if (F.su == SU_SQPOLL) {
		done = io_uring_submit(&F.ring);
		return done < 0 ? done : done >= n ? n : -EPROTO;
	}

	while (done < n) {
		int r = io_uring_submit(&F.ring);

		if (r <= 0)
			return r < 0 ? r : -EIO;
		done += r;
	}
	return done == n ? n : -EPROTO;
}

static uint64_t uring_cmds, fuzz_us;
static uint64_t budget_us;		/* MU_REL_FUZZ_SECONDS */

static void fuzz_uring(uint64_t target)
{
	struct gt_cqe cqe;
	uint64_t t0, t_round, round = 0, last_report = 0;
	int ret, rw_on = 1, ioctl_on = 1;

	gt_begin("fuzz_uring");
	ret = rel_stats_read(&stats_before);
	CHECK(ret == 0, "counters: %s", gt_errname(ret));
	t0 = gt_now_us();
	while (uring_cmds < target && gt_now_us() - t0 < budget_us && !F.err[0]) {
		uint64_t round_end = uring_cmds + ROUND_CMDS;
		uint64_t c0 = uring_cmds;

		/* setups fastest, then ring kinds, then registered files */
		unsigned int nsu = combine ? SU_COUNT : 1;
		enum setup su = (enum setup)(round % nsu);
		enum gt_ring_kind kind = (enum gt_ring_kind)(round / nsu % GT_RING_KINDS);

		if (!calib[su].usable)
			su = SU_NONE;
		ret = ring_setup(kind, (int)(round / (nsu * GT_RING_KINDS) % 2), su);
		CHECK(ret == 0, "ring setup (%s %s): %s", gt_ring_names[kind],
		      su_names[su], gt_errname(ret));
		t_round = gt_now_us();
		while (uring_cmds < round_end && uring_cmds < target &&
		       gt_now_us() - t0 < budget_us && !F.err[0]) {
			int n;

			if (chance(10)) {
				for (int k = (int)rnd_below(8); k >= 0; k--) {
					if (chance(40)) {
						if (ioctl_on && do_ioctl())
							ioctl_on = 0;
					} else if (rw_on && do_rw()) {
						/* count it, resync, go on */
						rw_mismatches++;
						if (load_shadow(files[0].fd))
							rw_on = 0;
						files[0].pos = 0;
					}
				}
			}
			/*
			 * Debian's 6.12 issues a linked uring_cmd with the
			 * payload still in its SQ slot (the SQE is copied only
			 * for IOSQE_ASYNC): no new SQE may reuse that slot
			 * before the chain ran. 6.1 copies it.
			 */
			while (F.chains && !F.err[0] && chain_slot_at_risk())
				if (reap(1))
					break;
			while (F.busy > QD - 36 && !F.err[0])
				if (reap(1))
					break;
			if (F.err[0])
				break;
			n = gen_batch(gt_now_us());
			if (n < 0)
				break;
			ret = submit_all(n);
			if (ret != n) {
				ffail("submit: %s, expected %d", gt_errname(ret), n);
				break;
			}
			uring_cmds += (uint64_t)n;
			if (reap(0))
				break;
		}
		/* the round ends: everything completes, nothing more comes */
		while (F.busy > 0 && !F.err[0])
			if (reap(1))
				break;
		if (!F.err[0] && *F.ring.cq.koverflow)
			ffail("%u CQEs overflowed", *F.ring.cq.koverflow);
		if (!F.err[0] && fuzz_reap(&cqe, 20000) == 0)
			ffail("a CQE after every command completed: user_data 0x%" PRIx64
			      " res %d", cqe.user_data, cqe.res);
		gt_ring_exit(&F.ring);
		if (gt_now_us() - last_report > 5000000 || uring_cmds >= target) {
			fprintf(stderr, "rel_fuzz: %" PRIu64 " commands, %.1f s; round %"
				PRIu64 " (%s%s%s%s): %.0f/s\n", uring_cmds,
				(double)(gt_now_us() - t0) / 1e6, round,
				gt_ring_names[F.kind],
				F.files_registered ? ", registered files" : "",
				F.su ? ", " : "", su_names[F.su],
				(double)(uring_cmds - c0) * 1e6 /
				(double)(gt_now_us() - t_round));
			last_report = gt_now_us();
		}
		round++;
	}
	fuzz_us = gt_now_us() - t0;
	fprintf(stderr, "rel_fuzz: %" PRIu64 " io_uring commands in %.1f s (%.0f/s): "
		"%" PRIu64 " reached the driver (%" PRIu64 " ok, %" PRIu64 " errors), "
		"%" PRIu64 " rejected by io_uring, %" PRIu64 " link-cancelled; %" PRIu64
		" chains, %" PRIu64 " async; %" PRIu64 " ioctls, %" PRIu64
		" reads/writes\n", uring_cmds, (double)fuzz_us / 1e6,
		(double)uring_cmds * 1e6 / (double)(fuzz_us ? fuzz_us : 1), F.issued,
		F.by_res_class[0], F.by_res_class[1], F.core_rejected,
		F.link_cancelled, F.n_chains, F.n_async, n_ioctl, n_rw);
	CHECK(!F.err[0], "seed 0x%" PRIx64 ": %s", seed, F.err);
	CHECK(F.cqes == uring_cmds, "%" PRIu64 " CQEs for %" PRIu64 " commands",
	      F.cqes, uring_cmds);
	if (uring_cmds < target)
		fprintf(stderr, "rel_fuzz: the %" PRIu64 " s budget (MU_REL_FUZZ_SECONDS) "
			"ended it after %" PRIu64 " rounds\n", budget_us / 1000000,
			round);
	/* a kernel so loaded that it does not get this far tests nothing */
	CHECK(uring_cmds >= (target < ROUND_CMDS ? target : ROUND_CMDS),
	      "only %" PRIu64 " commands in %" PRIu64 " s", uring_cmds,
	      fuzz_us / 1000000);
out:
	gt_ring_exit(&F.ring);
	gt_end();
}

static void fuzz_ioctl(void)
{
	gt_begin("fuzz_ioctl");
	CHECK(!classic_err[0], "seed 0x%" PRIx64 ": %s", seed, classic_err);
	CHECK(n_ioctl > 0, "no ioctl done");
out:
	gt_end();
}

static void fuzz_read_write(void)
{
	gt_begin("fuzz_read_write");
	fprintf(stderr, "rel_fuzz: %" PRIu64 " reads/writes/lseeks, %" PRIu64
		" disagreed with the model\n", n_rw, rw_mismatches);
	CHECK(!rw_err[0], "seed 0x%" PRIx64 ": %" PRIu64 " of %" PRIu64 " operations "
	      "disagreed with the model; the first: %s", seed, rw_mismatches, n_rw,
	      rw_err);
	CHECK(n_rw > 0, "no read/write done");
out:
	gt_end();
}

static void fuzz_counters(void)
{
	struct rel_stats after, d;
	long long t_drain;

	gt_begin("fuzz_counters");
	if (F.err[0]) {
		gt_skip("fuzz_uring failed with commands in flight: the model's "
			"counts are incomplete");
		goto out;
	}
	t_drain = rel_wait_in_flight(stats_before.in_flight, 2000000, &after);
	CHECK(t_drain >= 0, "in_flight %" PRIu64 ", expected %" PRIu64 " (%s)",
	      after.in_flight, stats_before.in_flight, rel_stats_str(&after));
	d = rel_stats_delta(&stats_before, &after);
	fprintf(stderr, "rel_fuzz: counter deltas: %s\n", rel_stats_str(&d));
	CHECK(d.issued == F.issued && d.completed_inline + d.completed_async == F.issued,
	      "counter deltas %s; the model: %" PRIu64 " reached the driver",
	      rel_stats_str(&d), F.issued);
	CHECK(d.failed == F.failed && d.cancelled == F.cancelled,
	      "counter deltas %s; the model: %" PRIu64 " failed, %" PRIu64
	      " cancelled", rel_stats_str(&d), F.failed, F.cancelled);
out:
	gt_end();
}

/* Every ring and file is gone: the module's refcount comes back. */
static void fuzz_release(void)
{
	long long t, last = -1;

	gt_begin("fuzz_release");
	if (refcnt_before < 0) {
		gt_skip("no refcount read before");
		goto out;
	}
	t = rel_wait_refcnt(refcnt_before, 5000000, &last);
	CHECK(t >= 0, "module refcount %lld 5 s after the last close, expected %lld "
	      "(%s)", last, refcnt_before, gt_errname(t));
	fprintf(stderr, "rel_fuzz: module refcount back to %lld %lld us after the "
		"last close\n", refcnt_before, t);
out:
	gt_end();
}

int main(int argc, char **argv)
{
	uint64_t target, watchdog_s;

	seed = argc > 1 ? strtoull(argv[1], NULL, 0)
			: rel_env_u64("MU_REL_FUZZ_SEED", 0xf0220001);
	target = argc > 2 ? strtoull(argv[2], NULL, 0)
			  : rel_env_u64("MU_REL_FUZZ_CMDS", 1000000);
	combine = (int)rel_env_u64("MU_REL_FUZZ_COMBINE", 1);
	watchdog_s = rel_env_u64("MU_REL_FUZZ_TIMEOUT", 240);
	/*
	 * Commands stop after the budget, so that the run ends well inside
	 * the watchdog however slow the kernel (KASAN) or the machine (load)
	 * is: what comes after (the last round's drain, the checks) takes
	 * seconds.
	 */
	budget_us = rel_env_u64("MU_REL_FUZZ_SECONDS",
				watchdog_s / 2 < 90 ? watchdog_s / 2 : 90) * 1000000;
	/* before 6.4 io_uring hides addr/len from a command issued from io-wq */
	rw_from_iowq = gt_kernel_at_least(6, 4);
	gt_init("rel_fuzz", (unsigned int)watchdog_s);
	gt_srand(seed);
	fprintf(stderr, "rel_fuzz: seed 0x%" PRIx64 " (MU_REL_FUZZ_SEED), up to %" PRIu64
		" commands (MU_REL_FUZZ_CMDS) in up to %" PRIu64 " s (MU_REL_FUZZ_SECONDS), "
		"watchdog %" PRIu64 " s (MU_REL_FUZZ_TIMEOUT), combine %d (MU_REL_FUZZ_COMBINE)\n",
		seed, target, budget_us / 1000000, watchdog_s, combine);

	if (fuzz_setup() == 0) {
		for (int su = 0; su < (combine ? SU_COUNT : 1); su++)
			calibrate((enum setup)su);
		if (!gt_nfail) {
			fuzz_uring(target);
			fuzz_ioctl();
			fuzz_read_write();
			fuzz_counters();
		}
	}
	for (int i = 0; i < 2; i++)
		if (files[i].fd > 0)
			close(files[i].fd);
	fuzz_release();
	return gt_exit_status();
}
