/* SPDX-License-Identifier: MIT */
/*
 * watch-bench: how many changes of an open file's value a watcher
 * (miscuring_watch_*()) is told of per second while another thread stores
 * values as fast as it can, by each implementation the kernel has:
 *
 *   name             watcher
 *   watch_multishot  one multishot WATCH command (MISCURING_FEAT_MULTISHOT,
 *                    kernels 6.18+; left out where the module lacks it)
 *   watch_rearm      a WAIT re-armed after every change
 *                    (MISCURING_WATCHER_REARM), every kernel
 *
 * The writer is a thread with a ring of its own on the same open file (the
 * value belongs to it), sending batches of BATCH SET_VALUEs (one
 * io_uring_enter each), each a new value, for S seconds, at each BATCH of
 * the list: 1 is a store per system call, the most chances a watcher gets
 * to see each one; with 32 a batch's stores land within one system call,
 * so both watchers mostly see one change per batch. The watcher reads changes until the writer is
 * done. A change stands for one or more stores: with multishot its count
 * is exact (stores that came while the watcher was not waiting coalesce
 * into one event), a re-armed WAIT sees only the value at the time it runs
 * (changes 1). So the record gives changes delivered per second
 * (ops_per_sec), the stores per second the writer made (stores_per_sec),
 * and the stores the delivered changes stand for (stores_seen, multishot
 * only: it must be every store but those after the last event).
 *
 * A delivered value that is not one the writer stored ends the program
 * with exit status 1, as does any error; speed never does. A change to a
 * value not after the last one (stale: counted), a last change that is not the writer's last store
 * (within 2 s of its end), or multishot counts that do not add up to every
 * store, are reported on stderr and in the record (last_seen,
 * stores_seen), not fatal.
 *
 * usage: watch-bench [-d DEVICE] [-b LIST] [-s SECONDS] [-j]
 *   -b  the writer's SET_VALUEs per submission (default 1,32)
 *   -s  seconds per point (default 0.5)
 *   -j  one JSON document (uringctl bench's record format, producer
 *       "watch-bench") instead of a table
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <libmiscuring.h>

#define MAX_BATCH	4096
#define MAX_BATCHES	4
/* The writer's values: base + n, so a delivered value names its store. */
#define VALUE_BASE	0x1000000000ULL

struct opts {
	const char	*dev;
	unsigned	batches[MAX_BATCHES];
	unsigned	nbatches;
	unsigned	batch;		/* the point's */
	double		seconds;
	bool		json;
};

struct writer {
	int		fd;
	unsigned	batch;
	double		seconds;
	atomic_bool	go;
	atomic_bool	done;		/* the fields below are final */
	uint64_t	stores;		/* values stored: base + 1 .. base + stores */
	double		secs;
	int		err;
};

struct point {
	const char	*name;
	bool		multishot;
	unsigned	batch;
	uint64_t	changes;	/* changes delivered */
	uint64_t	stores_seen;	/* stores those stand for */
	uint64_t	stores;		/* stores made */
	double		secs;		/* the writer's time */
	bool		last_seen;	/* the last change was the last store */
	uint64_t	stale;		/* changes to a value not after the last */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "watch-bench: %s: %s\n", what,
		miscuring_strerror(err < 0 ? err : -err));
	exit(1);
}

/* Stores base + 1, base + 2, ... in batches for w->seconds. */
static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct miscuring_ring *ring;
	struct miscuring_cqe cqes[64];
	uint64_t next = VALUE_BASE;
	unsigned i, got;
	double t0;
	int ret;

	ret = miscuring_open_fd(w->fd, w->batch, MISCURING_SETUP_FIXED_FILE,
				&ring);
	if (ret) {
		w->err = ret;
		atomic_store(&w->done, true);
		return NULL;
	}
	while (!atomic_load(&w->go))
		;
	t0 = now();
	do {
		for (i = 0; i < w->batch && !ret; i++)
			ret = miscuring_prep_set_value(ring, ++next, i);
		if (!ret)
			ret = miscuring_submit_and_wait(ring, w->batch);
		if (ret >= 0 && (unsigned)ret != w->batch)
			ret = -EAGAIN;
		for (got = 0; ret >= 0 && got < w->batch; got += (unsigned)ret) {
			unsigned want = w->batch - got;

			if (want > 64)
				want = 64;
			ret = miscuring_wait_batch(ring, cqes, want, want, NULL);
			for (i = 0; ret > 0 && i < (unsigned)ret; i++)
				if (cqes[i].res)
					ret = cqes[i].res < 0 ? cqes[i].res : -EPROTO;
		}
		if (ret < 0)
			break;
		ret = 0;
		w->stores += w->batch;
	} while (now() - t0 < w->seconds);
	w->secs = now() - t0;
	w->err = ret < 0 ? ret : 0;
	miscuring_close(ring);
	atomic_store(&w->done, true);
	return NULL;
}

static int measure(const struct opts *o, struct miscuring_ring *ring,
		   int fd, struct point *pt)
{
	struct timespec slice = { 0, 100 * 1000 * 1000 };
	struct miscuring_watcher *wt;
	struct miscuring_change ch;
	struct writer w = { .fd = fd, .batch = o->batch, .seconds = o->seconds };
	pthread_t th;
	uint64_t last;
	unsigned late = 0;
	int ret, jret;

	/* Every point starts from a value no store of this one makes. */
	ret = miscuring_set_value(ring, 0);
	if (ret)
		return ret;
	ret = miscuring_watch_start(ring, pt->multishot ? 0 : MISCURING_WATCHER_REARM,
				    &last, &wt);
	if (ret)
		return ret;
	if (miscuring_watch_multishot(wt) != pt->multishot) {
		miscuring_watch_stop(wt);
		return -EOPNOTSUPP;
	}
	ret = -pthread_create(&th, NULL, writer_main, &w);
	if (ret) {
		miscuring_watch_stop(wt);
		return ret;
	}
	atomic_store(&w.go, true);
	/* Until the writer's last store is seen (or 2 s after its end). */
	for (;;) {
		ret = miscuring_watch_next(wt, &ch, &slice);
		if (ret == -ETIME || ret == -EINTR) {
			if (atomic_load(&w.done) && ++late >= 20)
				break;
			continue;
		}
		if (ret)
			break;
		/* not going forward: recorded (stale), reported below */
		if (ch.value > VALUE_BASE && ch.changes && ch.value <= last) {
			pt->stale++;
			pt->changes++;
			pt->stores_seen += ch.changes;
			continue;
		}
		if (ch.value <= VALUE_BASE || !ch.changes) {
			fprintf(stderr, "watch-bench: %s: change to %#llx (%llu stores) after %#llx\n",
				pt->name, (unsigned long long)ch.value,
				(unsigned long long)ch.changes, (unsigned long long)last);
			ret = -EPROTO;
			break;
		}
		pt->changes++;
		pt->stores_seen += ch.changes;
		last = ch.value;
		if (atomic_load(&w.done) && last == VALUE_BASE + w.stores)
			break;
	}
	jret = pthread_join(th, NULL);
	miscuring_watch_stop(wt);
	if (jret)
		return -jret;
	if (w.err)
		return w.err;
	if (ret && ret != -ETIME)
		return ret;
	/*
	 * The last value delivered should be the writer's last store, and
	 * multishot's counts should add up to every store. Reported, not
	 * fatal: the record says what was seen (last_seen, stores_seen).
	 */
	pt->last_seen = last == VALUE_BASE + w.stores;
	if (pt->stale)
		fprintf(stderr, "watch-bench: %s, batch %u: %llu changes repeated or went back\n",
			pt->name, pt->batch, (unsigned long long)pt->stale);
	if (!pt->last_seen)
		fprintf(stderr, "watch-bench: %s, batch %u: the last change seen is store %lld of %llu\n",
			pt->name, pt->batch, (long long)(last - VALUE_BASE),
			(unsigned long long)w.stores);
	if (pt->multishot && pt->stores_seen != w.stores)
		fprintf(stderr, "watch-bench: %s, batch %u: the changes stand for %llu stores of %llu\n",
			pt->name, pt->batch, (unsigned long long)pt->stores_seen,
			(unsigned long long)w.stores);
	pt->stores = w.stores;
	pt->secs = w.secs;
	return 0;
}

static void json_point(const struct point *pt, bool first)
{
	printf("%s\n    {\"producer\": \"watch-bench\", \"name\": \"%s\", "
	       "\"op\": \"%s\", \"interface\": \"uring_cmd\", \"via\": \"libmiscuring\", "
	       "\"completion\": \"async\", \"batch\": %u, \"ops\": %llu, "
	       "\"seconds\": %.6f, \"ops_per_sec\": %.1f, \"stores\": %llu, "
	       "\"stores_per_sec\": %.1f, \"stores_seen\": %llu, \"last_seen\": %s, \"stale\": %llu}",
	       first ? "" : ",", pt->name,
	       pt->multishot ? "MISCURING_CMD_WATCH, multishot" :
			       "MISCURING_CMD_WAIT, re-armed",
	       pt->batch, (unsigned long long)pt->changes, pt->secs,
	       (double)pt->changes / pt->secs, (unsigned long long)pt->stores,
	       (double)pt->stores / pt->secs, (unsigned long long)pt->stores_seen,
	       pt->last_seen ? "true" : "false", (unsigned long long)pt->stale);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: watch-bench [-d DEVICE] [-b LIST] [-s SECONDS] [-j]\n");
	exit(2);
}

static void parse_batches(struct opts *o, char *list)
{
	char *tok, *save = NULL, *end;
	unsigned long v;

	o->nbatches = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		v = strtoul(tok, &end, 10);
		if (*end || !v || v > MAX_BATCH || o->nbatches == MAX_BATCHES)
			usage();
		o->batches[o->nbatches++] = (unsigned)v;
	}
	if (!o->nbatches)
		usage();
}

int main(int argc, char **argv)
{
	struct opts o = { MISCURING_DEVICE_PATH, { 1, 32 }, 2, 0, 0.5, false };
	struct miscuring_devinfo info;
	struct miscuring_ring *ring;
	static const struct point kinds[2] = {
		{ .name = "watch_multishot", .multishot = true },
		{ .name = "watch_rearm", .multishot = false },
	};
	struct point pt;
	struct utsname uts;
	bool first = true;
	unsigned b, i;
	int fd, ret, c;

	while ((c = getopt(argc, argv, "d:b:s:j")) != -1) {
		switch (c) {
		case 'd': o.dev = optarg; break;
		case 'b': parse_batches(&o, optarg); break;
		case 's': o.seconds = atof(optarg); break;
		case 'j': o.json = true; break;
		default: usage();
		}
	}
	if (optind != argc || !(o.seconds > 0))
		usage();
	fd = open(o.dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(o.dev, errno);
	ret = miscuring_open_fd(fd, 0, 0, &ring);
	if (ret)
		die("a ring", ret);
	ret = miscuring_probe(ring, &info);
	if (ret)
		die("PROBE", ret);
	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	if (o.json)
		printf("{\n  \"output_version\": 1,\n  \"command\": \"watch-bench\",\n"
		       "  \"environment\": {\"producer\": \"watch-bench\", \"kernel\": \"%s\", "
		       "\"multishot\": %s},\n  \"params\": {\"seconds\": %g},\n"
		       "  \"results\": [", uts.release,
		       info.features & MISCURING_FEAT_MULTISHOT ? "true" : "false",
		       o.seconds);
	else
		printf("%-16s %5s %12s %12s %12s %12s\n", "name", "batch", "changes/s",
		       "stores/s", "changes", "stores");
	for (b = 0; b < o.nbatches; b++) {
		o.batch = o.batches[b];
		for (i = 0; i < 2; i++) {
			if (kinds[i].multishot &&
			    !(info.features & MISCURING_FEAT_MULTISHOT))
				continue;
			pt = kinds[i];
			pt.batch = o.batch;
			ret = measure(&o, ring, fd, &pt);
			if (ret)
				die(pt.name, ret);
			if (o.json) {
				json_point(&pt, first);
				first = false;
				continue;
			}
			printf("%-16s %5u %12.0f %12.0f %12llu %12llu\n", pt.name,
			       pt.batch, (double)pt.changes / pt.secs,
			       (double)pt.stores / pt.secs,
			       (unsigned long long)pt.changes,
			       (unsigned long long)pt.stores);
		}
	}
	if (o.json)
		printf("\n  ]\n}\n");
	miscuring_close(ring);
	close(fd);
	return 0;
}
