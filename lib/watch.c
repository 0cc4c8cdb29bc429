/* SPDX-License-Identifier: MIT */
/*
 * Watching a device file's value: miscuring_watch_*().
 *
 * A watcher has an io_uring instance of its own on the ring's device file
 * (the value belongs to that open file), so its CQEs never mix with the
 * ring's. Two implementations behind one API:
 *
 * - multishot (the module says MISCURING_FEAT_MULTISHOT, kernels 6.18+):
 *   one WATCH command with a group of WATCH_NBUFS provided buffers; each
 *   event names the buffer it is in, which goes back to the group (a
 *   PROVIDE_BUFFERS sent with the next wait) once it is read;
 * - re-armed WAIT (every kernel): a WAIT for "not the last value seen"
 *   on a CQE32 ring, whose second result is the new value, sent again
 *   for every change and after each WAIT timeout.
 *
 * The multishot ring is SINGLE_ISSUER | DEFER_TASKRUN where the kernel
 * has them: the module's task work runs only while the watcher waits, so
 * stores that come while the program does other things make one event.
 * The re-arm ring is SINGLE_ISSUER | COOP_TASKRUN: a WAIT is still in
 * flight when the watcher stops, and closing a DEFER_TASKRUN ring whose
 * owner lives on makes 6.12's io_uring post the cancelled WAIT's CQE from
 * its exit work, which its own lockdep check (io_lockdep_assert_cq_locked)
 * warns about on a debug kernel; any cancelable uring_cmd would.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define WATCH_NBUFS	32		/* events in flight, at most */
#define WATCH_BGID	1
#define WATCH_TAG	0x77617463ULL	/* "watc" */
#define WATCH_UD	1		/* the WATCH or WAIT command */
#define WATCH_UD_STOP	2		/* WATCH_STOP */
#define WATCH_UD_BUF	3		/* PROVIDE_BUFFERS */
#define WATCH_EVSZ	sizeof(struct miscuring_watch_event)
/* The longest WAIT the module takes; it is sent again when it times out. */
#define WATCH_WAIT_USEC	MISCURING_WAIT_MAX_USEC

struct miscuring_watcher {
	struct io_uring	uring;
	int		fd;
	bool		mshot;
	bool		armed;		/* the WATCH or WAIT is in flight */
	int		end;		/* the stream's end (< 0), or 0 */
	uint64_t	value;		/* the last value reported */
	uint8_t		*bufs;		/* multishot: WATCH_NBUFS events */
};

/* Setup flags, best first, for a re-arm [0] and a multishot [1] watcher. */
static const unsigned mu_watch_tiers[2][2] = {
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN, 0 },
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, 0 },
};

static int mu_watch_ring(struct miscuring_watcher *w, unsigned flags)
{
	struct io_uring_params p;
	int ret = -EINVAL;

	const unsigned *tiers = mu_watch_tiers[w->mshot];

	for (size_t i = 0; i < sizeof(mu_watch_tiers[0]) / sizeof(tiers[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = flags | tiers[i] | IORING_SETUP_CQSIZE;
		/* Events and buffer returns together never fill it. */
		p.cq_entries = 4 * WATCH_NBUFS;
		ret = io_uring_queue_init_params(8, &w->uring, &p);
		if (ret != -EINVAL)
			return ret;
	}
	return ret;
}

static struct io_uring_sqe *mu_watch_sqe(struct miscuring_watcher *w,
					 uint32_t op, uint64_t ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->uring);

	if (!sqe)
		return NULL;
	memset(sqe, 0, sizeof(*sqe));
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, w->fd, NULL, 0, 0);
	sqe->cmd_op = op;
	io_uring_sqe_set_data64(sqe, ud);
	return sqe;
}

static int mu_provide(struct miscuring_watcher *w, unsigned bid, unsigned nr)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->uring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_provide_buffers(sqe, w->bufs + (size_t)bid * WATCH_EVSZ,
				      (int)WATCH_EVSZ, (int)nr, WATCH_BGID,
				      (int)bid);
	io_uring_sqe_set_data64(sqe, WATCH_UD_BUF);
	return 0;
}

static int mu_arm_watch(struct miscuring_watcher *w)
{
	struct io_uring_sqe *sqe = mu_watch_sqe(w, MISCURING_CMD_WATCH, WATCH_UD);

	if (!sqe)
		return -EBUSY;
	mu_put_le64(mu_sqe_payload(sqe) + offsetof(struct miscuring_watch, tag),
		    WATCH_TAG);
	mu_put_le32(mu_sqe_payload(sqe) + offsetof(struct miscuring_watch, flags),
		    MISCURING_WATCH_INITIAL);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = WATCH_BGID;
	sqe->uring_cmd_flags = LIBMISCURING_URING_CMD_MULTISHOT;
	w->armed = true;
	return 0;
}

static int mu_arm_wait(struct miscuring_watcher *w)
{
	struct io_uring_sqe *sqe = mu_watch_sqe(w, MISCURING_CMD_WAIT, WATCH_UD);

	if (!sqe)
		return -EBUSY;
	mu_put_wait(mu_sqe_payload(sqe), w->value, WATCH_WAIT_USEC);
	w->armed = true;
	return 0;
}

/*
 * Waits until *end (NULL: no limit) for the next CQE of the watch itself,
 * handling the others (buffer returns, the stop's answer) on the way.
 * 0 with *out, -ETIME, or a negative errno.
 */
static int mu_watch_cqe(struct miscuring_watcher *w, struct miscuring_cqe *out,
			const struct timespec *end)
{
	struct __kernel_timespec left = { 0 };
	struct io_uring_cqe *cqe;
	int ret;

	for (;;) {
		/* A deadline that passed still lets what is ready come. */
		if (end && mu_time_left(end, &left))
			left = (struct __kernel_timespec){ 0 };
		cqe = NULL;
		ret = io_uring_submit_and_wait_timeout(&w->uring, &cqe, 1,
						       end ? &left : NULL, NULL);
		if (ret < 0)
			return ret;
		/*
		 * liburing returns how many SQEs it sent, with no CQE when
		 * the time ran out meanwhile.
		 */
		if (!cqe) {
			if (end && mu_time_left(end, &left))
				return -ETIME;
			continue;
		}
		mu_cqe_decode(cqe, w->uring.flags, out);
		io_uring_cqe_seen(&w->uring, cqe);
		if (out->user_data == WATCH_UD)
			return 0;
		/* A buffer that did not go back: the stream would starve. */
		if (out->res < 0 && out->user_data == WATCH_UD_BUF)
			return out->res;
	}
}

/* One step of the stream: a change (1), nothing yet (-ETIME), or its end. */
static int mu_watch_step(struct miscuring_watcher *w,
			 struct miscuring_change *ch, const struct timespec *end)
{
	struct miscuring_cqe cqe;
	int ret;

	if (!w->armed) {
		ret = w->mshot ? mu_arm_watch(w) : mu_arm_wait(w);
		if (ret)
			return ret;
	}
	ret = mu_watch_cqe(w, &cqe, end);
	if (ret)
		return ret;
	if (w->mshot) {
		const uint8_t *ev;
		unsigned bid;

		if (!(cqe.flags & IORING_CQE_F_MORE)) {
			w->armed = false;
			return cqe.res < 0 ? cqe.res : -ESHUTDOWN;
		}
		if (cqe.res != (int)WATCH_EVSZ || !(cqe.flags & IORING_CQE_F_BUFFER))
			return -EPROTO;
		bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
		if (bid >= WATCH_NBUFS)
			return -EPROTO;
		ev = w->bufs + (size_t)bid * WATCH_EVSZ;
		ch->value = mu_get_le64(ev + offsetof(struct miscuring_watch_event,
						      value));
		ch->changes = mu_get_le64(ev + offsetof(struct miscuring_watch_event,
							changes));
		ret = mu_provide(w, bid, 1);
		if (ret)
			return ret;
		w->value = ch->value;
		return 1;
	}
	w->armed = false;
	if (cqe.res == -ETIMEDOUT)
		return -ETIME;
	if (cqe.res < 0)
		return cqe.res;
	/* The WAIT's second result: the value it saw. */
	ch->value = cqe.res2;
	ch->changes = 1;
	w->value = ch->value;
	return 1;
}

int miscuring_watch_start(struct miscuring_ring *ring, unsigned flags,
			  uint64_t *initial, struct miscuring_watcher **wp)
{
	struct miscuring_devinfo info;
	struct miscuring_watcher *w;
	struct miscuring_change ch;
	struct timespec end;
	int ret;

	if (!ring || !wp || (flags & ~MISCURING_WATCHER_REARM))
		return -EINVAL;
	if (!ring->is_device)
		return -ENOTTY;
	ret = miscuring_probe(ring, &info);
	if (ret < 0)
		return ret;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = ring->fd;
	w->mshot = (info.features & MISCURING_FEAT_MULTISHOT) &&
		   !(flags & MISCURING_WATCHER_REARM);
	/* The WAIT's new value comes as its second result. */
	ret = mu_watch_ring(w, w->mshot ? 0 : IORING_SETUP_CQE32);
	if (ret)
		goto err_free;
	if (w->mshot) {
		w->bufs = calloc(WATCH_NBUFS, WATCH_EVSZ);
		ret = w->bufs ? mu_provide(w, 0, WATCH_NBUFS) : -ENOMEM;
		if (ret)
			goto err_ring;
		ret = mu_arm_watch(w);
		if (ret)
			goto err_ring;
		/* The first event is the value at issue. */
		mu_deadline(&(struct timespec){ .tv_sec = 10 }, &end);
		do {
			ret = mu_watch_step(w, &ch, &end);
		} while (ret == -EINTR);
		if (ret != 1)
			goto err_stop;
		w->value = ch.value;
	} else {
		ret = miscuring_get_value(ring, &w->value);
		if (ret < 0)
			goto err_ring;
	}
	if (initial)
		*initial = w->value;
	*wp = w;
	return 0;

err_stop:
	if (!ret)
		ret = -EPROTO;
	miscuring_watch_stop(w);
	return ret == -ETIME ? -ETIMEDOUT : ret;
err_ring:
	io_uring_queue_exit(&w->uring);
err_free:
	free(w->bufs);
	free(w);
	return ret;
}

int miscuring_watch_next(struct miscuring_watcher *w,
			 struct miscuring_change *ch,
			 const struct timespec *timeout)
{
	struct timespec end;
	int ret;

	if (!w || !ch)
		return -EINVAL;
	if (w->end)
		return w->end;
	if (timeout) {
		ret = mu_deadline(timeout, &end);
		if (ret)
			return ret;
	}
	for (;;) {
		ret = mu_watch_step(w, ch, timeout ? &end : NULL);
		if (ret == 1)
			return 0;
		/* A WAIT that timed out: send it again, if time is left. */
		if (ret == -ETIME && !w->mshot && !w->armed) {
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (!timeout || now.tv_sec < end.tv_sec ||
			    (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec))
				continue;
		}
		/* A signal, or no change yet: the watch goes on. */
		if (ret != -ETIME && ret != -EINTR)
			w->end = ret;
		return ret;
	}
}

int miscuring_watch_multishot(const struct miscuring_watcher *w)
{
	return w ? w->mshot : -EINVAL;
}

int miscuring_watch_stop(struct miscuring_watcher *w)
{
	struct io_uring_sqe *sqe;
	struct miscuring_cqe cqe;
	struct timespec end;
	int ret = 0;

	if (!w)
		return -EINVAL;
	/*
	 * A WAIT writes no memory of ours: closing the ring cancels it. A
	 * WATCH writes into the buffers: stop it first.
	 */
	if (w->armed && w->mshot) {
		sqe = mu_watch_sqe(w, MISCURING_CMD_WATCH_STOP, WATCH_UD_STOP);
		if (sqe)
			mu_put_le64(mu_sqe_payload(sqe), WATCH_TAG);
		ret = sqe ? 0 : -EBUSY;
		/*
		 * Until the final CQE: the kernel must be done with the
		 * buffers before they are freed.
		 */
		mu_deadline(&(struct timespec){ .tv_sec = 10 }, &end);
		while (!ret || ret == -EINTR) {
			ret = mu_watch_cqe(w, &cqe, &end);
			if (!ret && !(cqe.flags & IORING_CQE_F_MORE))
				break;
		}
		if (ret == -EPROTO || ret > 0)
			ret = 0;
	}
	/* Closing the ring ends whatever is left (it cancels the command). */
	io_uring_queue_exit(&w->uring);
	if (!ret)
		free(w->bufs);
	/* Else the buffers stay: the kernel might still write an event. */
	free(w);
	return ret;
}
