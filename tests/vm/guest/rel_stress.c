// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Everything at once, for a while (default 60 s; argv[1] or
 * MU_REL_STRESS_SECS; MU_REL_STRESS_THREADS uring threads, default 4):
 *
 *  - uring threads, each with its own ring (plain, SQE128, CQE32, both, in
 *    turn) and its own open file, keep up to 128 commands in flight: NOP,
 *    GET/SET_VALUE on their file, GET_VALUE and WAIT on a file shared with
 *    the ioctl thread, ECHO, DELAY (0..1000 us), WAIT (0..2000 us) on their
 *    file, PROBE and STATS. Commands are issued in SQ order, so the value
 *    of a thread's own file is known for each of them and every result is
 *    checked exactly; a WAIT must end with 0 only after its value changed,
 *    with -ETIMEDOUT only after its timeout and only if no change came
 *    before it; a DELAY never ends early.
 *  - an ioctl thread counts the shared file's value up (ioctl SET, then
 *    GET must agree) and checks ioctl SET/GET against io_uring GET_VALUE
 *    on a file of its own.
 *  - two read/write threads each own a region of the shared buffer and
 *    check read/pread after write/pwrite against a shadow copy; one region
 *    is far out, so the buffer grows while the others use it.
 *
 * At the end every command has completed and the counters balance: issued
 * and failed/cancelled grew by exactly what the threads submitted and saw
 * fail, and in_flight is back to its value before the test.
 */
#include "rel_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>

#define DEPTH		128
#define MAX_URING	8
#define CHANGES		1024	/* value changes remembered per thread */
#define STUCK_US	10000000ull

enum op {
	OP_NOP, OP_GET_PRIV, OP_GET_PRIV_CQE, OP_GET_SHARED, OP_SET_PRIV,
	OP_ECHO, OP_DELAY, OP_WAIT_PRIV, OP_WAIT_SHARED, OP_PROBE, OP_STATS,
	OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
	"NOP", "GET(own)", "GET(own,cqe32)", "GET(shared)", "SET(own)", "ECHO",
	"DELAY", "WAIT(own)", "WAIT(shared)", "PROBE", "STATS",
};

struct slot {
	int busy;
	enum op op;
	int32_t res;		/* expected res, where exact */
	uint64_t t_submit;	/* start of the submit call */
	uint64_t val;		/* expected value / watched value */
	uint64_t lb;		/* WAIT(own): changes so far; GET(shared): lower bound */
	uint64_t cur;		/* WAIT(own): the file's value at issue */
	uint32_t usec;		/* DELAY, WAIT: time */
	uint32_t len;		/* ECHO, PROBE, STATS: bytes asked */
	unsigned char payload[MISCURING_PAYLOAD_SQE128];
	unsigned char buf[128] __attribute__((aligned(8)));
};

struct uthread {
	int idx;
	enum gt_ring_kind kind;
	pthread_t tid;
	struct io_uring ring;
	int fd;			/* own file */
	uint64_t rng;
	uint64_t value;		/* own file's value, in issue order */
	uint64_t nchanges;	/* value changes issued */
	uint64_t change_t[CHANGES];	/* when change i had certainly happened */
	struct slot slot[DEPTH];
	int nbusy;
	/* results */
	uint64_t submitted, negative, ecanceled, per_op[OP_COUNT];
	char err[400];
};

static atomic_int stop_flag;
static int shared_fd = -1;
static _Atomic uint64_t shared_published;	/* last value the ioctl thread set */
static uint64_t duration_s;
static long long max_buffer;

static __thread uint64_t *trng;

static uint64_t rnd(void)
{
	uint64_t x = *trng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*trng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static int stopping(void)
{
	return atomic_load_explicit(&stop_flag, memory_order_relaxed);
}

/* Record the first failure of a thread and make everyone stop. */
static void __attribute__((format(printf, 2, 3)))
tfail(char *err, const char *fmt, ...)
{
	va_list ap;

	if (err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(err, 400, fmt, ap);
	va_end(ap);
	atomic_store(&stop_flag, 1);
}

/* ------------------------------------------------------------------ */
/* uring threads                                                       */
/* ------------------------------------------------------------------ */

static int prep(struct uthread *t, int si, int fd, uint32_t op,
		const void *payload, size_t len)
{
	struct io_uring_sqe *sqe;
	struct slot *s = &t->slot[si];

	sqe = gt_prep_cmd(&t->ring, fd, op, payload, len, (uint64_t)si);
	if (!sqe) {
		tfail(t->err, "no SQE for %s with %d busy", op_names[s->op], t->nbusy);
		return -1;
	}
	return 0;
}

/* Fill slot si with a random command and queue its SQE. */
static int prep_random(struct uthread *t, int si, uint64_t t_submit)
{
	struct slot *s = &t->slot[si];
	size_t psize = gt_payload_size(&t->ring);
	uint64_t r = rnd();
	unsigned int pick = (unsigned int)(r % 100);

	memset(s, 0, offsetof(struct slot, payload));
	s->busy = 1;
	s->t_submit = t_submit;
	r >>= 8;
	if (pick < 8)
		s->op = OP_NOP;
	else if (pick < 20)
		s->op = OP_GET_PRIV;
	else if (pick < 24)
		s->op = gt_ring_cqe32(&t->ring) ? OP_GET_PRIV_CQE : OP_GET_PRIV;
	else if (pick < 32)
		s->op = OP_GET_SHARED;
	else if (pick < 46)
		s->op = OP_SET_PRIV;
	else if (pick < 56)
		s->op = OP_ECHO;
	else if (pick < 72)
		s->op = OP_DELAY;
	else if (pick < 86)
		s->op = OP_WAIT_PRIV;
	else if (pick < 92)
		s->op = OP_WAIT_SHARED;
	else if (pick < 96)
		s->op = OP_PROBE;
	else
		s->op = OP_STATS;
	t->per_op[s->op]++;

	switch (s->op) {
	case OP_NOP: {
		struct miscuring_nop p = {};

		s->res = 0;
		return prep(t, si, t->fd, MISCURING_CMD_NOP, &p, sizeof(p));
	}
	case OP_GET_PRIV:
	case OP_GET_SHARED: {
		struct miscuring_get_value p = gt_get_payload(s->buf);

		memset(s->buf, 0xee, 8);
		s->res = 0;
		s->val = t->value;
		s->lb = atomic_load(&shared_published);
		return prep(t, si, s->op == OP_GET_SHARED ? shared_fd : t->fd,
			    MISCURING_CMD_GET_VALUE, &p, sizeof(p));
	}
	case OP_GET_PRIV_CQE: {
		struct miscuring_get_value p = gt_get_payload(NULL);

		s->res = 0;
		s->val = t->value;
		return prep(t, si, t->fd, MISCURING_CMD_GET_VALUE, &p, sizeof(p));
	}
	case OP_SET_PRIV: {
		/* now and then the same value again: no change, no wake-up */
		uint64_t v = (r & 7) == 0 ? t->value : rnd();
		struct miscuring_set_value p = gt_set_payload(v);

		s->res = 0;
		s->val = v;
		if (v != t->value) {
			t->nchanges++;
			/* the time is filled in when the submit call returns */
			t->change_t[t->nchanges % CHANGES] = 0;
		}
		t->value = v;
		return prep(t, si, t->fd, MISCURING_CMD_SET_VALUE, &p, sizeof(p));
	}
	case OP_ECHO: {
		struct miscuring_echo e;

		s->len = 1 + (uint32_t)(r % 100);
		e = gt_echo_payload(s->buf, s->len);
		/* free-form data after the struct on an SQE128 ring */
		for (size_t i = 0; i < sizeof(s->payload); i++)
			s->payload[i] = (unsigned char)rnd();
		memcpy(s->payload, &e, sizeof(e));
		memset(s->buf, 0xee, sizeof(s->buf));
		s->res = (int32_t)(s->len < psize ? s->len : psize);
		return prep(t, si, t->fd, MISCURING_CMD_ECHO, s->payload, psize);
	}
	case OP_DELAY: {
		struct miscuring_delay p;

		s->usec = (uint32_t)(r % 1001);
		s->res = (int32_t)(uint32_t)rnd();
		p = gt_delay_payload(s->usec, s->res);
		return prep(t, si, t->fd, MISCURING_CMD_DELAY, &p, sizeof(p));
	}
	case OP_WAIT_PRIV: {
		struct miscuring_wait p = {};

		/* mostly the current value (it waits), else another (it doesn't) */
		s->val = (r & 3) ? t->value : t->value ^ (1ull << (r >> 2 & 63));
		s->usec = (r >> 8 & 7) == 0 ? 0 : (uint32_t)(r >> 12) % 2001;
		s->lb = t->nchanges;
		s->cur = t->value;
		p.value = htole64(s->val);
		p.timeout_usec = htole32(s->usec);
		return prep(t, si, t->fd, MISCURING_CMD_WAIT, &p, sizeof(p));
	}
	case OP_WAIT_SHARED: {
		struct miscuring_wait p = {};

		s->val = atomic_load(&shared_published);
		s->usec = (uint32_t)(r % 2001);
		p.value = htole64(s->val);
		p.timeout_usec = htole32(s->usec);
		return prep(t, si, shared_fd, MISCURING_CMD_WAIT, &p, sizeof(p));
	}
	case OP_PROBE:
	case OP_STATS: {
		struct miscuring_probe p;
		uint32_t full = s->op == OP_PROBE ? sizeof(struct miscuring_info)
						  : sizeof(struct miscuring_stats);

		s->len = 1 + (uint32_t)(r % sizeof(s->buf));
		memset(s->buf, 0xee, sizeof(s->buf));
		s->res = (int32_t)(s->len < full ? s->len : full);
		p = gt_probe_payload(s->buf, s->len);
		return prep(t, si, t->fd, s->op == OP_PROBE ? MISCURING_CMD_PROBE
							    : MISCURING_CMD_STATS,
			    &p, sizeof(p));
	}
	default:
		break;
	}
	return -1;
}

/* Check a completion against its slot; 0 or -1 (t->err set). */
static int check_cqe(struct uthread *t, const struct gt_cqe *c, uint64_t now)
{
	struct slot *s;
	int si;

	if (c->user_data >= DEPTH || !t->slot[c->user_data].busy) {
		tfail(t->err, "CQE for no command in flight: user_data %" PRIu64
		      " res %d", c->user_data, c->res);
		return -1;
	}
	si = (int)c->user_data;
	s = &t->slot[si];
	s->busy = 0;
	t->nbusy--;
	if (c->res < 0) {
		t->negative++;
		if (c->res == -ECANCELED)
			t->ecanceled++;
	}

#define BAD(fmt, ...) do {						\
		tfail(t->err, "%s (slot %d): " fmt, op_names[s->op], si,	\
		      ##__VA_ARGS__);					\
		return -1;						\
	} while (0)
#define EXPECT_RES() do {						\
		if (c->res != s->res)					\
			BAD("res %s, expected %s", gt_errname(c->res),	\
			    gt_errname(s->res));			\
	} while (0)

	switch (s->op) {
	case OP_NOP:
	case OP_SET_PRIV:
		EXPECT_RES();
		break;
	case OP_GET_PRIV: {
		uint64_t v;

		EXPECT_RES();
		memcpy(&v, s->buf, 8);
		if (le64toh(v) != s->val)
			BAD("value 0x%" PRIx64 ", expected 0x%" PRIx64, le64toh(v), s->val);
		if (gt_ring_cqe32(&t->ring) && c->res2 != s->val)
			BAD("CQE32 value 0x%" PRIx64 ", expected 0x%" PRIx64, c->res2, s->val);
		break;
	}
	case OP_GET_PRIV_CQE:
		EXPECT_RES();
		if (c->res2 != s->val)
			BAD("CQE32 value 0x%" PRIx64 ", expected 0x%" PRIx64, c->res2, s->val);
		break;
	case OP_GET_SHARED: {
		uint64_t v, ub = atomic_load(&shared_published) + 1;

		EXPECT_RES();
		memcpy(&v, s->buf, 8);
		v = le64toh(v);
		/* the count only goes up, one ioctl at a time */
		if (v < s->lb || v > ub)
			BAD("shared value %" PRIu64 " outside [%" PRIu64 ", %" PRIu64 "]",
			    v, s->lb, ub);
		break;
	}
	case OP_ECHO:
		EXPECT_RES();
		if (memcmp(s->buf, s->payload, (size_t)s->res))
			BAD("echoed bytes differ at %ld",
			    gt_first_diff(s->buf, s->payload, (size_t)s->res));
		if (!gt_all_bytes(s->buf + s->res, sizeof(s->buf) - (size_t)s->res, 0xee))
			BAD("ECHO of %d bytes wrote past them", s->res);
		break;
	case OP_DELAY:
		EXPECT_RES();
		if (now - s->t_submit < s->usec)
			BAD("DELAY of %u us completed after %" PRIu64 " us",
			    s->usec, now - s->t_submit);
		break;
	case OP_WAIT_PRIV: {
		uint64_t first_change = 0;

		if (s->val != s->cur) {
			/* the value differed at issue: done at once */
			if (c->res != 0)
				BAD("res %s, expected 0 (watched 0x%" PRIx64 ", value 0x%"
				    PRIx64 ")", gt_errname(c->res), s->val, s->cur);
			if (gt_ring_cqe32(&t->ring) && c->res2 != s->cur)
				BAD("CQE32 value 0x%" PRIx64 ", expected 0x%" PRIx64,
				    c->res2, s->cur);
		} else if (s->usec == 0) {
			/* a poll of an unchanged value */
			if (c->res != -ETIMEDOUT)
				BAD("poll: res %s, expected %s", gt_errname(c->res),
				    gt_errname(-ETIMEDOUT));
		} else if (c->res == 0) {
			if (t->nchanges == s->lb)
				BAD("res 0 but the value never changed from 0x%" PRIx64,
				    s->val);
			if (gt_ring_cqe32(&t->ring) && c->res2 == s->val)
				BAD("res 0 with CQE32 value = the watched 0x%" PRIx64, s->val);
		} else if (c->res == -ETIMEDOUT) {
			if (now - s->t_submit < s->usec)
				BAD("-ETIMEDOUT after %" PRIu64 " us, timeout %u us",
				    now - s->t_submit, s->usec);
			if (t->nchanges > s->lb && t->nchanges - s->lb < CHANGES)
				first_change = t->change_t[(s->lb + 1) % CHANGES];
			if (first_change && first_change < s->t_submit + s->usec)
				BAD("-ETIMEDOUT (timeout %u us) though the value changed "
				    "at most %" PRIu64 " us after the submit began",
				    s->usec, first_change - s->t_submit);
		} else {
			BAD("res %s, expected 0 or %s", gt_errname(c->res),
			    gt_errname(-ETIMEDOUT));
		}
		break;
	}
	case OP_WAIT_SHARED:
		if (c->res == 0) {
			if (gt_ring_cqe32(&t->ring) && c->res2 <= s->val)
				BAD("res 0 with value %" PRIu64 " <= watched %" PRIu64,
				    c->res2, s->val);
		} else if (c->res == -ETIMEDOUT) {
			if (now - s->t_submit < s->usec)
				BAD("-ETIMEDOUT after %" PRIu64 " us, timeout %u us",
				    now - s->t_submit, s->usec);
		} else {
			BAD("res %s, expected 0 or %s", gt_errname(c->res),
			    gt_errname(-ETIMEDOUT));
		}
		break;
	case OP_PROBE: {
		struct miscuring_info info;

		EXPECT_RES();
		memset(&info, 0, sizeof(info));
		memcpy(&info, s->buf, (size_t)s->res);
		if ((s->res >= 4 && le32toh(info.abi_version) != MISCURING_ABI_VERSION) ||
		    (s->res >= 8 && le32toh(info.info_size) != sizeof(info)))
			BAD("info: abi %u size %u", le32toh(info.abi_version),
			    le32toh(info.info_size));
		if (!gt_all_bytes(s->buf + s->res, sizeof(s->buf) - (size_t)s->res, 0xee))
			BAD("PROBE of %d bytes wrote past them", s->res);
		break;
	}
	case OP_STATS: {
		struct miscuring_stats st;

		EXPECT_RES();
		memset(&st, 0, sizeof(st));
		memcpy(&st, s->buf, (size_t)s->res);
		if (s->res >= 4 && le32toh(st.stats_size) != sizeof(st))
			BAD("stats_size %u", le32toh(st.stats_size));
		if (!gt_all_bytes(s->buf + s->res, sizeof(s->buf) - (size_t)s->res, 0xee))
			BAD("STATS of %d bytes wrote past them", s->res);
		break;
	}
	default:
		tfail(t->err, "slot %d: unknown op %d", si, (int)s->op);
		return -1;
	}
#undef BAD
#undef EXPECT_RES
	return 0;
}

/* Reap what is there; wait for one first if wait_one. 0 or -1. */
static int reap(struct uthread *t, int wait_one)
{
	struct gt_cqe c;
	int ret;

	if (wait_one) {
		ret = gt_reap(&t->ring, &c, STUCK_US);
		if (ret) {
			tfail(t->err, "no completion in %llu s with %d commands in "
			      "flight: %s", STUCK_US / 1000000, t->nbusy,
			      gt_errname(ret));
			return -1;
		}
		if (check_cqe(t, &c, gt_now_us()))
			return -1;
	}
	while ((ret = gt_reap(&t->ring, &c, 0)) == 0)
		if (check_cqe(t, &c, gt_now_us()))
			return -1;
	if (ret != -ETIME) {
		tfail(t->err, "peek: %s", gt_errname(ret));
		return -1;
	}
	return 0;
}

static void *uring_main(void *arg)
{
	struct uthread *t = arg;
	int next = 0;

	trng = &t->rng;
	while (!stopping()) {
		int n = 1 + (int)(rnd() % 16), queued = 0, ret;
		uint64_t t0 = gt_now_us(), t1, c0 = t->nchanges;

		for (int i = 0; i < n && t->nbusy < DEPTH; i++) {
			while (t->slot[next].busy)
				next = (next + 1) % DEPTH;
			if (prep_random(t, next, t0))
				goto out;
			t->nbusy++;
			queued++;
		}
		ret = io_uring_submit(&t->ring);
		t1 = gt_now_us();
		if (ret != queued) {
			tfail(t->err, "submit: %s, expected %d", gt_errname(ret), queued);
			goto out;
		}
		t->submitted += (uint64_t)queued;
		for (uint64_t c = c0 + 1; c <= t->nchanges; c++)
			t->change_t[c % CHANGES] = t1;
		if (reap(t, t->nbusy > DEPTH - 16))
			goto out;
	}
out:
	/* everything in flight must still complete */
	while (t->nbusy > 0 && !t->err[0])
		if (reap(t, 1))
			break;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* ioctl thread                                                        */
/* ------------------------------------------------------------------ */

struct cthread {
	pthread_t tid;
	uint64_t rng;
	uint64_t iterations, uring_cmds, uring_negative;
	int region;		/* rw threads: which one */
	char err[400];
};

static void *ioctl_main(void *arg)
{
	struct cthread *c = arg;
	struct io_uring ring = {};
	uint64_t n = atomic_load(&shared_published);
	int fd, ret;

	trng = &c->rng;
	fd = gt_open_dev(O_RDWR);
	if (fd < 0) {
		tfail(c->err, "open: %s", gt_errname(fd));
		return NULL;
	}
	ret = gt_ring_init(&ring, 8, GT_RING_PLAIN);
	if (ret) {
		tfail(c->err, "ring setup: %s", gt_errname(ret));
		goto out;
	}
	while (!stopping()) {
		int v = (int)rnd(), got = ~v, sv = (int)(n + 1);

		/* own file: SET/GET agree, and io_uring sees the int sign-extended */
		if (ioctl(fd, MISCURING_IOC_SET_VALUE, &v)) {
			tfail(c->err, "ioctl SET: %s", strerror(errno));
			break;
		}
		if (ioctl(fd, MISCURING_IOC_GET_VALUE, &got) || got != v) {
			tfail(c->err, "ioctl GET: %d (%s), expected %d", got,
			      strerror(errno), v);
			break;
		}
		if ((c->iterations & 15) == 0) {
			uint64_t u = 0;

			ret = gt_get_value(&ring, fd, &u);
			c->uring_cmds++;
			if (ret || u != (uint64_t)(int64_t)v) {
				tfail(c->err, "uring GET after ioctl SET %d: %s value "
				      "0x%" PRIx64, v, gt_errname(ret), u);
				break;
			}
		}
		/* shared file: count up */
		if (ioctl(shared_fd, MISCURING_IOC_SET_VALUE, &sv)) {
			tfail(c->err, "ioctl SET shared: %s", strerror(errno));
			break;
		}
		n++;
		atomic_store(&shared_published, n);
		got = -1;
		if (ioctl(shared_fd, MISCURING_IOC_GET_VALUE, &got) || got != sv) {
			tfail(c->err, "ioctl GET shared: %d (%s), expected %d", got,
			      strerror(errno), sv);
			break;
		}
		errno = 0;
		if (ioctl(fd, _IO(MISCURING_IOC_MAGIC, 0x7f)) != -1 || errno != ENOTTY) {
			tfail(c->err, "unknown ioctl: errno %d, expected ENOTTY", errno);
			break;
		}
		c->iterations++;
	}
out:
	gt_ring_exit(&ring);
	close(fd);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* read/write threads                                                  */
/* ------------------------------------------------------------------ */

static void *rw_main(void *arg)
{
	struct cthread *c = arg;
	size_t reg = (size_t)(max_buffer / 8);
	/* region 0: low; region 1: the top of the buffer (it grows there) */
	off_t base = c->region == 0 ? 0 : (off_t)(max_buffer - (long long)reg);
	unsigned char *shadow, *buf;
	int fd;

	trng = &c->rng;
	shadow = malloc(reg);
	buf = malloc(reg);
	fd = gt_open_dev(O_RDWR);
	if (!shadow || !buf || fd < 0) {
		tfail(c->err, "setup: %s", fd < 0 ? gt_errname(fd) : "malloc");
		goto out;
	}
	gt_fill_random(shadow, reg);
	if (pwrite(fd, shadow, reg, base) != (ssize_t)reg) {
		tfail(c->err, "initial pwrite of %zu bytes at %lld: %s", reg,
		      (long long)base, strerror(errno));
		goto out;
	}
	while (!stopping()) {
		size_t off = rnd() % reg, len = 1 + rnd() % 4096;
		unsigned int what = (unsigned int)(rnd() % 4);
		ssize_t n;

		if (len > reg - off)
			len = reg - off;
		if (what == 0 || what == 1) {
			for (size_t i = 0; i < len; i++)
				buf[i] = (unsigned char)rnd();
			if (what == 0) {
				n = pwrite(fd, buf, len, base + (off_t)off);
			} else {
				if (lseek(fd, base + (off_t)off, SEEK_SET) != base + (off_t)off) {
					tfail(c->err, "lseek: %s", strerror(errno));
					break;
				}
				n = write(fd, buf, len);
			}
			if (n != (ssize_t)len) {
				tfail(c->err, "%s %zu bytes at %lld: %zd (%s)",
				      what ? "write" : "pwrite", len,
				      (long long)(base + (off_t)off), n, strerror(errno));
				break;
			}
			memcpy(shadow + off, buf, len);
			if (what == 1 && lseek(fd, 0, SEEK_CUR) != base + (off_t)(off + len)) {
				tfail(c->err, "file position after write: %lld, expected %lld",
				      (long long)lseek(fd, 0, SEEK_CUR),
				      (long long)(base + (off_t)(off + len)));
				break;
			}
		} else {
			if (what == 2) {
				n = pread(fd, buf, len, base + (off_t)off);
			} else {
				if (lseek(fd, base + (off_t)off, SEEK_SET) != base + (off_t)off) {
					tfail(c->err, "lseek: %s", strerror(errno));
					break;
				}
				n = read(fd, buf, len);
			}
			if (n != (ssize_t)len) {
				tfail(c->err, "%s %zu bytes at %lld: %zd (%s)",
				      what == 2 ? "pread" : "read", len,
				      (long long)(base + (off_t)off), n, strerror(errno));
				break;
			}
			if (memcmp(buf, shadow + off, len)) {
				tfail(c->err, "%s at %lld: byte %ld differs from what "
				      "was written", what == 2 ? "pread" : "read",
				      (long long)(base + (off_t)off),
				      gt_first_diff(buf, shadow + off, len));
				break;
			}
		}
		c->iterations++;
	}
out:
	if (fd >= 0)
		close(fd);
	free(shadow);
	free(buf);
	return NULL;
}

/* ------------------------------------------------------------------ */

static struct uthread uth[MAX_URING];
static struct cthread ioc, rw[2];
static uint64_t nuring;
static int started, ioc_started, rw_started;
static struct rel_stats before;

static int setup(void)
{
	int ret, nfail = gt_nfail;

	gt_begin("stress_setup");
	max_buffer = gt_max_buffer();
	CHECK(max_buffer >= 4096, "max_buffer: %s", gt_errname(max_buffer));
	ret = rel_stats_read(&before);
	CHECK(ret == 0, "reading %s: %s", REL_STATS_DIR, gt_errname(ret));
	shared_fd = gt_open_dev(O_RDWR);
	CHECK(shared_fd >= 0, "open: %s", gt_errname(shared_fd));
	for (uint64_t i = 0; i < nuring; i++) {
		struct uthread *t = &uth[i];

		t->idx = (int)i;
		t->kind = (enum gt_ring_kind)(i % GT_RING_KINDS);
		t->rng = gt_rand64() | 1;
		t->fd = gt_open_dev(O_RDWR);
		CHECK(t->fd >= 0, "open: %s", gt_errname(t->fd));
		ret = rel_ring_init(&t->ring, DEPTH * 2, DEPTH * 4, t->kind);
		CHECK(ret == 0, "ring setup: %s", gt_errname(ret));
	}
	ioc.rng = gt_rand64() | 1;
	for (int i = 0; i < 2; i++) {
		rw[i].rng = gt_rand64() | 1;
		rw[i].region = i;
	}
out:
	gt_end();
	return gt_nfail == nfail ? 0 : -1;
}

static void run(void)
{
	uint64_t t_start = gt_now_us();

	for (uint64_t i = 0; i < nuring; i++, started++)
		if (pthread_create(&uth[i].tid, NULL, uring_main, &uth[i]))
			break;
	ioc_started = !pthread_create(&ioc.tid, NULL, ioctl_main, &ioc);
	for (int i = 0; i < 2; i++, rw_started++)
		if (pthread_create(&rw[i].tid, NULL, rw_main, &rw[i]))
			break;
	while (!stopping() && gt_now_us() - t_start < duration_s * 1000000)
		gt_sleep_us(100000);
	atomic_store(&stop_flag, 1);
	for (int i = 0; i < started; i++)
		pthread_join(uth[i].tid, NULL);
	if (ioc_started)
		pthread_join(ioc.tid, NULL);
	for (int i = 0; i < rw_started; i++)
		pthread_join(rw[i].tid, NULL);
	fprintf(stderr, "rel_stress: ran %.1f s\n",
		(double)(gt_now_us() - t_start) / 1e6);
}

static void check_uring(void)
{
	gt_begin("stress_uring");
	CHECK(started == (int)nuring, "pthread_create: only %d of %" PRIu64,
	      started, nuring);
	for (uint64_t i = 0; i < nuring; i++) {
		const struct uthread *t = &uth[i];

		fprintf(stderr, "uring thread %" PRIu64 " (%s): %" PRIu64
			" commands, %" PRIu64 " negative results; by op:", i,
			gt_ring_names[t->kind], t->submitted, t->negative);
		for (int op = 0; op < OP_COUNT; op++)
			fprintf(stderr, " %s %" PRIu64, op_names[op], t->per_op[op]);
		fputc('\n', stderr);
	}
	for (uint64_t i = 0; i < nuring; i++)
		CHECK(!uth[i].err[0], "thread %" PRIu64 " (%s ring): %s", i,
		      gt_ring_names[uth[i].kind], uth[i].err);
	for (uint64_t i = 0; i < nuring; i++)
		CHECK(uth[i].submitted > 0 && uth[i].nbusy == 0,
		      "thread %" PRIu64 ": %" PRIu64 " submitted, %d still in flight",
		      i, uth[i].submitted, uth[i].nbusy);
out:
	gt_end();
}

static void check_ioctl(void)
{
	gt_begin("stress_ioctl");
	fprintf(stderr, "ioctl thread: %" PRIu64 " rounds, shared value %" PRIu64 "\n",
		ioc.iterations, atomic_load(&shared_published));
	CHECK(ioc_started, "pthread_create failed");
	CHECK(!ioc.err[0], "%s", ioc.err);
	CHECK(ioc.iterations > 0, "no round completed");
out:
	gt_end();
}

static void check_rw(void)
{
	gt_begin("stress_read_write");
	CHECK(rw_started == 2, "pthread_create failed");
	for (int i = 0; i < 2; i++) {
		fprintf(stderr, "rw thread %d: %" PRIu64 " operations\n", i,
			rw[i].iterations);
		CHECK(!rw[i].err[0], "thread %d: %s", i, rw[i].err);
		CHECK(rw[i].iterations > 0, "thread %d did nothing", i);
	}
out:
	gt_end();
}

static void check_counters(void)
{
	uint64_t total = ioc.uring_cmds, negative = 0, ecanceled = 0;
	struct rel_stats after, d;
	long long t_drain;

	gt_begin("stress_counters");
	for (uint64_t i = 0; i < nuring; i++) {
		total += uth[i].submitted;
		negative += uth[i].negative;
		ecanceled += uth[i].ecanceled;
		gt_ring_exit(&uth[i].ring);
	}
	t_drain = rel_wait_in_flight(before.in_flight, 2000000, &after);
	CHECK(t_drain >= 0, "in_flight %" PRIu64 " 2 s after the end, expected %"
	      PRIu64 " (%s)", after.in_flight, before.in_flight,
	      rel_stats_str(&after));
	d = rel_stats_delta(&before, &after);
	fprintf(stderr, "rel_stress: %" PRIu64 " uring commands (%.0f/s), "
		"counter deltas: %s\n", total,
		(double)total / (double)(duration_s ? duration_s : 1),
		rel_stats_str(&d));
	CHECK(d.issued == total && d.completed_inline + d.completed_async == total,
	      "counter deltas: %s; the threads submitted %" PRIu64 " commands",
	      rel_stats_str(&d), total);
	CHECK(d.failed == negative && d.cancelled == ecanceled,
	      "counter deltas: %s; the threads saw %" PRIu64 " negative results, "
	      "%" PRIu64 " of them -ECANCELED", rel_stats_str(&d), negative,
	      ecanceled);
out:
	gt_end();
}

int main(int argc, char **argv)
{
	duration_s = argc > 1 ? strtoull(argv[1], NULL, 0)
			      : rel_env_u64("MU_REL_STRESS_SECS", 60);
	nuring = rel_env_u64("MU_REL_STRESS_THREADS", 4);
	if (nuring < 1 || nuring > MAX_URING)
		nuring = 4;
	gt_init("rel_stress", (unsigned int)duration_s + 50);
	gt_srand(rel_env_u64("MU_REL_SEED", 0x57e55));
	fprintf(stderr, "rel_stress: %" PRIu64 " s, %" PRIu64 " uring threads, "
		"1 ioctl thread, 2 read/write threads\n", duration_s, nuring);

	if (setup() == 0) {
		run();
		check_uring();
		check_ioctl();
		check_rw();
		check_counters();
	}
	for (uint64_t i = 0; i < nuring; i++) {
		gt_ring_exit(&uth[i].ring);
		if (uth[i].fd > 0)
			close(uth[i].fd);
	}
	if (shared_fd >= 0)
		close(shared_fd);
	return gt_exit_status();
}
