/* SPDX-License-Identifier: MIT */
/*
 * Mixed-size rings against the module, in the test VM on every kernel.
 *
 * Where the kernel has them (CQE_MIXED 6.18+, SQE_MIXED 6.19+):
 *   - CQE_MIXED: commands with and without a second result, 16- and
 *     32-byte CQEs interleaved through every way the library reads them
 *     (wait, batch, reap, the synchronous helpers' backlog), over enough
 *     rounds that the CQ ring wraps at odd slots, where the kernel puts a
 *     skip CQE: res2 is present exactly where IORING_CQE_F_32 is, no skip
 *     CQE is ever handed out, every command completes once;
 *   - SQE_MIXED: 80-byte ECHOes (IORING_OP_URING_CMD128, two SQ slots)
 *     next to 64-byte NOPs and header-only ECHOes over many wraps of a
 *     small SQ ring (the padding NOP at its last slot); a plain uring_cmd
 *     on such a ring shows the module 16 bytes, never the slot after it;
 *   - both at once; a program's own liburing ring with the library's
 *     builders (miscuring_sqe_set_cmd128()) and decoder;
 *   - a WATCH stream on a CQE_MIXED ring: 16-byte multishot CQEs, the final
 *     CQE a 32-byte one with the value at the end.
 * Elsewhere: the documented refusal, -EOPNOTSUPP, and a ring of the other
 * kind still opens. A fixed and a mixed size at once: -EINVAL everywhere.
 *
 * Built statically with the library's sources by make check-vm-guest into
 * build/vm/extra/tests/t_lib_mixed. Output: tests/vm/README.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <liburing.h>

#include "libmiscuring.h"
#include "lib_result.h"

#define ROUNDS		200

static int kver;	/* major * 100 + minor */

/* What a round expects of one command's CQE. */
struct want {
	uint64_t	ud;
	int		res;
	bool		big;		/* 32-byte CQE, IORING_CQE_F_32 */
	uint64_t	res2;
	bool		seen;
};

static bool check_cqe(struct want *w, unsigned n,
		      const struct miscuring_cqe *c, char *why, size_t len)
{
	unsigned i;

	if (c->flags & LIBMISCURING_CQE_F_SKIP) {
		snprintf(why, len, "skip CQE handed out (ud %llu)",
			 (unsigned long long)c->user_data);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (w[i].ud != c->user_data)
			continue;
		if (w[i].seen || c->res != w[i].res ||
		    !!(c->flags & LIBMISCURING_CQE_F_32) != w[i].big ||
		    c->res2 != (w[i].big ? w[i].res2 : 0)) {
			snprintf(why, len,
				 "ud %llu: res %d flags %#x res2 %llu, want res %d big %d res2 %llu%s",
				 (unsigned long long)c->user_data, c->res,
				 c->flags, (unsigned long long)c->res2,
				 w[i].res, w[i].big,
				 (unsigned long long)w[i].res2,
				 w[i].seen ? " (twice)" : "");
			return false;
		}
		w[i].seen = true;
		return true;
	}
	snprintf(why, len, "unexpected ud %llu",
		 (unsigned long long)c->user_data);
	return false;
}

struct reap_ctx {
	struct want	*w;
	unsigned	n;
	bool		ok;
	char		why[160];
};

static int reap_fn(const struct miscuring_cqe *c, void *arg)
{
	struct reap_ctx *r = arg;

	if (r->ok && !check_cqe(r->w, r->n, c, r->why, sizeof(r->why)))
		r->ok = false;
	return 0;
}

/*
 * One round of commands with and without a second result, read back the
 * way `how` says: 0 wait, 1 batch, 2 reap, 3 a synchronous helper in the
 * middle (the others go through its backlog).
 */
static int cq_round(struct miscuring_ring *ring, unsigned round, char *why,
		    size_t len)
{
	unsigned how = round % 4;
	struct timespec ts = { .tv_sec = 10 };
	struct miscuring_cqe cqes[8];
	uint64_t base = (uint64_t)round * 16, v = 1000 + round;
	struct want w[6];
	unsigned n = 0, i, got = 0;
	int ret;

	if (!(miscuring_ring_setup_flags(ring) & LIBMISCURING_SETUP_CQE_MIXED)) {
		snprintf(why, len, "setup flags %#x",
			 miscuring_ring_setup_flags(ring));
		return -1;
	}
	memset(w, 0, sizeof(w));
#define ADD(r, b, r2) (w[n].ud = base + n, w[n].res = (r), w[n].big = (b), \
		       w[n].res2 = (r2), n++)
	ret = miscuring_prep_set_value(ring, v, base + n);
	ADD(0, false, 0);
	if (!ret)
		ret = miscuring_prep_get_value(ring, NULL, base + n);
	ADD(0, true, v);
	if (!ret)
		ret = miscuring_prep_nop(ring, base + n);
	ADD(0, false, 0);
	/* WAIT for another value: done at once, the value as res2. */
	if (!ret)
		ret = miscuring_prep_wait_value(ring, v + 1, 0, base + n);
	ADD(0, true, v);
	/* A poll of the value itself times out; res2 still comes. */
	if (!ret && round % 2)
		ret = miscuring_prep_wait_value(ring, v, 0, base + n);
	if (round % 2)
		ADD(-ETIMEDOUT, true, v);
	/* A refused command: no second result, a 16-byte CQE. */
	if (!ret)
		ret = miscuring_prep_delay(ring, MISCURING_DELAY_MAX_USEC + 1, 0,
					   base + n);
	if (ret != -EINVAL) {
		snprintf(why, len, "prep: %d", ret);
		return -1;
	}
	ret = 0;
#undef ADD
	if (how == 3) {
		uint64_t now = 0;

		/* Sent with the others; theirs wait in the backlog. */
		ret = miscuring_wait_value(ring, v + 7, 0, &now);
		if (ret || now != v) {
			snprintf(why, len, "wait_value %d now %llu", ret,
				 (unsigned long long)now);
			return -1;
		}
	}
	if (how == 2) {
		struct reap_ctx r = { .w = w, .n = n, .ok = true };

		while (got < n && r.ok) {
			ret = miscuring_reap(ring, 1, &ts, reap_fn, &r);
			if (ret < 0) {
				snprintf(why, len, "reap: %d", ret);
				return -1;
			}
			got += (unsigned)ret;
		}
		if (!r.ok) {
			snprintf(why, len, "%s", r.why);
			return -1;
		}
	} else if (how == 1) {
		while (got < n) {
			ret = miscuring_wait_batch(ring, cqes, 8, n - got, &ts);
			if (ret < 0) {
				snprintf(why, len, "wait_batch: %d", ret);
				return -1;
			}
			for (i = 0; i < (unsigned)ret; i++)
				if (!check_cqe(w, n, &cqes[i], why, len))
					return -1;
			got += (unsigned)ret;
		}
	} else {
		while (got < n) {
			ret = miscuring_wait_timeout(ring, &cqes[0], &ts);
			if (ret) {
				snprintf(why, len, "wait: %d", ret);
				return -1;
			}
			if (!check_cqe(w, n, &cqes[0], why, len))
				return -1;
			got++;
		}
	}
	if (got != n || miscuring_inflight(ring) || miscuring_cq_ready(ring)) {
		snprintf(why, len, "got %u of %u, inflight %u, ready %u", got,
			 n, miscuring_inflight(ring), miscuring_cq_ready(ring));
		return -1;
	}
	return 0;
}

/* ECHO through the library ring: data_len bytes of data, buffer of 80. */
static int echo_one(struct miscuring_ring *ring, size_t data_len,
		    unsigned round, char *why, size_t len)
{
	uint8_t data[64], out[64];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(round * 7 + i + 1);
	memset(out, 0, sizeof(out));
	ret = miscuring_echo(ring, data, data_len, out);
	if (ret != (int)data_len || memcmp(out, data, data_len)) {
		snprintf(why, len, "echo of %zu: %d", data_len, ret);
		return -1;
	}
	return 0;
}

/*
 * Queued ECHOes of 80 bytes (two SQ slots each) and NOPs in an order that
 * puts the SQ tail at the ring's last slot now and then.
 */
static int sq_round(struct miscuring_ring *ring, unsigned round, char *why,
		    size_t len)
{
	struct timespec ts = { .tv_sec = 10 };
	uint8_t data[64], buf[2][80];
	struct miscuring_cqe c;
	unsigned n = 0, i, seen = 0, nops = round % 3;
	int ret = 0;

	memset(data, (int)(round & 0xff) | 1, sizeof(data));
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < nops && !ret; i++, n++)
		ret = miscuring_prep_nop(ring, 100 + i);
	for (i = 0; i < 2 && !ret; i++, n++)
		ret = miscuring_prep_echo(ring, buf[i], 80, data, 64, i);
	if (ret) {
		snprintf(why, len, "prep: %d", ret);
		return -1;
	}
	ret = miscuring_submit(ring);
	if (ret != (int)n) {
		snprintf(why, len, "submit: %d of %u", ret, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		ret = miscuring_wait_timeout(ring, &c, &ts);
		if (ret) {
			snprintf(why, len, "wait: %d", ret);
			return -1;
		}
		if (c.user_data >= 100 ? c.res != 0 :
		    c.res != 80 || memcmp(buf[c.user_data] + 16, data, 64)) {
			snprintf(why, len, "ud %llu res %d",
				 (unsigned long long)c.user_data, c.res);
			return -1;
		}
		seen++;
	}
	if (seen != n || miscuring_inflight(ring)) {
		snprintf(why, len, "seen %u of %u, inflight %u", seen, n,
			 miscuring_inflight(ring));
		return -1;
	}
	/* The synchronous path, header only (64-byte SQE) and full. */
	if (echo_one(ring, 0, round, why, len) ||
	    echo_one(ring, round % 65, round, why, len))
		return -1;
	return 0;
}

typedef int (*round_fn)(struct miscuring_ring *ring, unsigned round,
			char *why, size_t len);

/*
 * ROUNDS rounds on a ring of 8 SQ slots and 16 CQ slots: rounds of 4 to 8
 * slots of either bring the tails to the rings' last slots now and then.
 */
static void run_rounds(unsigned flags, round_fn fn, const char *name)
{
	struct miscuring_ring *ring;
	char why[200] = "";
	unsigned i;
	int ret;

	ret = miscuring_open(NULL, 8, flags, &ring);
	if (ret) {
		result(0, name, "open: %d", ret);
		return;
	}
	for (i = 0; i < ROUNDS; i++)
		if (fn(ring, i, why, sizeof(why)))
			break;
	result(i == ROUNDS, name, "round %u: %s", i, why);
	miscuring_close(ring);
}

/*
 * On an SQE_MIXED ring a plain IORING_OP_URING_CMD is a 64-byte SQE: the
 * module echoes its 16 bytes even into a buffer of 80 (the slot after it
 * is not the command's); asked for as IORING_OP_URING_CMD128, all 80.
 */
static void test_sqe_mixed_bound(void)
{
	struct miscuring_cmd_desc d;
	struct miscuring_ring *ring;
	struct miscuring_cqe c;
	uint8_t buf[80], payload[16];
	int ret;

	ret = miscuring_open(NULL, 4, MISCURING_SETUP_SQE_MIXED, &ring);
	if (ret) {
		result(0, "mixed_sqe_payload_bound", "open: %d", ret);
		return;
	}
	memset(buf, 0xee, sizeof(buf));
	memset(payload, 0, sizeof(payload));
	/* struct miscuring_echo: addr, len (little-endian host assumed). */
	{
		uint64_t addr = (uint64_t)(uintptr_t)buf;
		uint32_t l = sizeof(buf);

		memcpy(payload, &addr, 8);
		memcpy(payload + 8, &l, 4);
	}
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = MISCURING_CMD_ECHO;
	d.fd = miscuring_device_fd(ring);
	d.payload = payload;
	d.payload_len = sizeof(payload);
	ret = miscuring_cmd_desc(ring, &d, &c);
	result(!ret && c.res == 16 && buf[16] == 0xee &&
	       !memcmp(buf, payload, 16), "mixed_sqe_payload_bound",
	       "ret %d res %d buf[16] %#x", ret, c.res, buf[16]);
	/* Asked for as CMD128 with the same 16 bytes: 80 come back. */
	d.opcode = LIBMISCURING_OP_URING_CMD128;
	ret = miscuring_cmd_desc(ring, &d, &c);
	result(!ret && c.res == 80 && buf[16] == 0, "mixed_sqe_cmd128_desc",
	       "ret %d res %d buf[16] %#x", ret, c.res, buf[16]);
	miscuring_close(ring);
}

/* The next real CQE of an own ring, skip CQEs consumed; NULL: none. */
static struct io_uring_cqe *own_cqe(struct io_uring *r)
{
	struct io_uring_cqe *cqe;

	for (;;) {
		struct __kernel_timespec kt = { .tv_sec = 10 };

		if (io_uring_wait_cqe_timeout(r, &cqe, &kt))
			return NULL;
		if (!(cqe->flags & LIBMISCURING_CQE_F_SKIP))
			return cqe;
		io_uring_cq_advance(r, 1);
	}
}

static void own_seen(struct io_uring *r, struct io_uring_cqe *cqe)
{
	io_uring_cq_advance(r, cqe->flags & LIBMISCURING_CQE_F_32 ? 2 : 1);
}

/*
 * A program's own liburing ring (2.3: no io_uring_get_sqe128()), SQE_MIXED
 * and CQE_MIXED: 80-byte ECHOes built with miscuring_sqe_echo(..., 128)
 * and miscuring_sqe_set_cmd128() into two slots, the last slot padded by
 * a NOP, GET_VALUE's second result read with miscuring_cqe_decode().
 */
static void test_own_ring(int fd)
{
	unsigned flags = LIBMISCURING_SETUP_SQE_MIXED |
			 LIBMISCURING_SETUP_CQE_MIXED;
	struct miscuring_cqe c;
	struct io_uring r;
	struct io_uring_cqe *cqe;
	uint8_t data[64], buf[80];
	char why[160] = "";
	unsigned i;
	int ret, size;

	ret = io_uring_queue_init(4, &r, flags);
	if (ret) {
		result(0, "mixed_own_ring", "queue_init: %d", ret);
		return;
	}
	for (i = 0; i < ROUNDS && !why[0]; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r), *next;

		memset(data, (int)i | 1, sizeof(data));
		memset(buf, 0, sizeof(buf));
		if (sqe && sqe == &r.sq.sqes[r.sq.ring_entries - 1]) {
			io_uring_prep_nop(sqe);
			sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
			sqe = io_uring_get_sqe(&r);
		}
		next = io_uring_get_sqe(&r);
		if (!sqe || next != sqe + 1) {
			snprintf(why, sizeof(why), "no two slots");
			break;
		}
		ret = miscuring_sqe_echo(sqe, 128, fd, buf, 80, data, 64, 1);
		if (!ret)
			ret = miscuring_sqe_set_cmd128(sqe);
		next = io_uring_get_sqe(&r);
		if (!ret && next)
			ret = miscuring_sqe_get_value(next, 64, fd, NULL, 2);
		if (ret || !next) {
			snprintf(why, sizeof(why), "build: %d", ret);
			break;
		}
		ret = io_uring_submit(&r);
		if (ret < 3) {
			snprintf(why, sizeof(why), "submit: %d", ret);
			break;
		}
		for (unsigned k = 0; k < 2; k++) {
			cqe = own_cqe(&r);
			if (!cqe) {
				snprintf(why, sizeof(why), "no CQE");
				break;
			}
			size = miscuring_cqe_decode(cqe, r.flags, &c);
			own_seen(&r, cqe);
			if (c.user_data == 1 ?
			    size != 16 || c.res != 80 || memcmp(buf + 16, data, 64) :
			    size != 32 || c.res != 0) {
				snprintf(why, sizeof(why),
					 "round %u ud %llu size %d res %d", i,
					 (unsigned long long)c.user_data, size,
					 c.res);
				break;
			}
		}
	}
	result(!why[0], "mixed_own_ring", "%s", why);
	io_uring_queue_exit(&r);
}

/*
 * WATCH on a CQE_MIXED ring of the program's own (provided buffers): each
 * store a 16-byte CQE with F_MORE, the final one after WATCH_STOP a
 * 32-byte CQE whose second result is the value at the end.
 */
static void test_watch(int fd)
{
	struct miscuring_watch wa = { .tag = 0x4d49584544ULL };
	struct miscuring_watch_stop ws = { .tag = 0x4d49584544ULL };
	struct miscuring_cmd_desc d;
	struct miscuring_cqe c;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct miscuring_ring *lr;
	uint8_t bufs[8][16];
	struct io_uring r;
	char why[160] = "";
	unsigned events = 0, small = 0, i;
	bool final = false;
	int ret;

	ret = io_uring_queue_init(8, &r, LIBMISCURING_SETUP_CQE_MIXED);
	if (ret) {
		result(0, "mixed_watch", "queue_init: %d", ret);
		return;
	}
	ret = miscuring_open_fd(fd, 4, 0, &lr);
	if (ret) {
		result(0, "mixed_watch", "open_fd: %d", ret);
		io_uring_queue_exit(&r);
		return;
	}
	sqe = io_uring_get_sqe(&r);
	io_uring_prep_provide_buffers(sqe, bufs, 16, 8, 1, 0);
	sqe->user_data = 9;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.cmd_op = MISCURING_CMD_WATCH;
	d.fd = fd;
	d.user_data = 1;
	d.sqe_flags = IOSQE_BUFFER_SELECT;
	d.uring_cmd_flags = LIBMISCURING_URING_CMD_MULTISHOT;
	d.buf_index = 1;	/* sqe->buf_group shares the field */
	d.payload = &wa;
	d.payload_len = sizeof(wa);
	ret = miscuring_sqe_cmd(io_uring_get_sqe(&r), 64, &d);
	if (!ret)
		ret = io_uring_submit(&r) == 2 ? 0 : -EIO;
	/* Buffers provided: its CQE. */
	cqe = ret ? NULL : own_cqe(&r);
	if (!cqe || cqe->user_data != 9 || cqe->res < 0) {
		result(0, "mixed_watch", "provide: %d %d", ret,
		       cqe ? cqe->res : 0);
		goto out;
	}
	own_seen(&r, cqe);
	for (i = 1; i <= 3; i++) {
		ret = miscuring_set_value(lr, 500 + i);
		cqe = ret ? NULL : own_cqe(&r);
		if (!cqe) {
			snprintf(why, sizeof(why), "set %u: %d", i, ret);
			break;
		}
		miscuring_cqe_decode(cqe, r.flags, &c);
		own_seen(&r, cqe);
		if (!(c.flags & IORING_CQE_F_MORE) ||
		    (c.flags & LIBMISCURING_CQE_F_32) || c.res2) {
			snprintf(why, sizeof(why), "event flags %#x res %d",
				 c.flags, c.res);
			break;
		}
		events++;
		small++;
	}
	if (!why[0]) {
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.cmd_op = MISCURING_CMD_WATCH_STOP;
		d.fd = fd;
		d.user_data = 2;
		d.payload = &ws;
		d.payload_len = sizeof(ws);
		miscuring_sqe_cmd(io_uring_get_sqe(&r), 64, &d);
		io_uring_submit(&r);
		while (!final && (cqe = own_cqe(&r))) {
			miscuring_cqe_decode(cqe, r.flags, &c);
			own_seen(&r, cqe);
			if (c.user_data == 1 && !(c.flags & IORING_CQE_F_MORE)) {
				final = true;
				if (c.res || !(c.flags & LIBMISCURING_CQE_F_32) ||
				    c.res2 != 503)
					snprintf(why, sizeof(why),
						 "final res %d flags %#x res2 %llu",
						 c.res, c.flags,
						 (unsigned long long)c.res2);
			} else if (c.user_data == 2 &&
				   (c.res != 1 || (c.flags & LIBMISCURING_CQE_F_32))) {
				/* res: the watches it stopped; no res2. */
				snprintf(why, sizeof(why), "stop: %d flags %#x",
					 c.res, c.flags);
				break;
			}
		}
	}
	result(!why[0] && final && events == 3 && small == 3, "mixed_watch",
	       "%s (events %u, final %d)", why, events, final);
out:
	miscuring_close(lr);
	io_uring_queue_exit(&r);
}

/* Kernels without the ring kind: -EOPNOTSUPP; the other kind still opens. */
static void test_refusal(unsigned flag, int since, const char *name)
{
	struct miscuring_ring *ring = NULL;
	int ret = miscuring_open(NULL, 4, flag, &ring);
	char plain[64];

	if (kver >= since) {
		result(!ret, name, "open: %d on %d", ret, kver);
	} else {
		result(ret == -EOPNOTSUPP && !ring, name,
		       "open: %d, want -EOPNOTSUPP", ret);
		/* The same ring without the flag: fine. */
		ret = miscuring_open(NULL, 4, 0, &ring);
		snprintf(plain, sizeof(plain), "%s_then_plain", name);
		result(!ret, plain, "open: %d", ret);
	}
	miscuring_close(ring);
}

int main(void)
{
	struct miscuring_ring *ring = NULL;
	struct utsname u;
	int major = 0, minor = 0, fd;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	kver = major * 100 + minor;
	setvbuf(stdout, NULL, _IOLBF, 0);

	result(miscuring_open(NULL, 4, MISCURING_SETUP_CQE32 |
			      MISCURING_SETUP_CQE_MIXED, &ring) == -EINVAL &&
	       miscuring_open(NULL, 4, MISCURING_SETUP_SQE128 |
			      MISCURING_SETUP_SQE_MIXED, &ring) == -EINVAL,
	       "mixed_fixed_and_mixed_einval", "not -EINVAL");
	test_refusal(MISCURING_SETUP_CQE_MIXED, 618, "mixed_cqe_open");
	test_refusal(MISCURING_SETUP_SQE_MIXED, 619, "mixed_sqe_open");

	if (kver >= 618) {
		run_rounds(MISCURING_SETUP_CQE_MIXED, cq_round,
			   "mixed_cqe_interleaved");
		run_rounds(MISCURING_SETUP_CQE_MIXED |
			   MISCURING_SETUP_ANY_THREAD |
			   MISCURING_SETUP_FIXED_FILE, cq_round,
			   "mixed_cqe_interleaved_coop_fixed");
		fd = open(MISCURING_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			test_watch(fd);
			close(fd);
		}
	} else {
		printf("SKIP mixed_cqe: kernel %d.%d has no CQE_MIXED (6.18+)\n",
		       major, minor);
	}
	if (kver >= 619) {
		run_rounds(MISCURING_SETUP_SQE_MIXED, sq_round,
			   "mixed_sqe_echo80");
		run_rounds(MISCURING_SETUP_SQE_MIXED |
			   MISCURING_SETUP_FIXED_FILE, sq_round,
			   "mixed_sqe_echo80_fixed");
		test_sqe_mixed_bound();
		run_rounds(MISCURING_SETUP_CQE_MIXED |
			   MISCURING_SETUP_SQE_MIXED, cq_round,
			   "mixed_both_cq");
		run_rounds(MISCURING_SETUP_CQE_MIXED |
			   MISCURING_SETUP_SQE_MIXED, sq_round,
			   "mixed_both_sq");
		fd = open(MISCURING_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			test_own_ring(fd);
			close(fd);
		}
	} else {
		printf("SKIP mixed_sqe: kernel %d.%d has no SQE_MIXED (6.19+)\n",
		       major, minor);
	}
	return failed;
}
