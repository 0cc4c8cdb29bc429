/* SPDX-License-Identifier: MIT */
/*
 * The generic path on a driver nobody here wrote: socket uring_cmds,
 * through the library's ring and through a liburing ring of the test's
 * own (the caller's-SQE builders and the CQE decoder):
 *
 *   SIOCINQ/SIOCOUTQ (Linux 6.6+) against known queue sizes: a UDP
 *     datagram of 123 bytes, 100 bytes held in a corked TCP socket;
 *   GETSOCKOPT/SETSOCKOPT (6.7+, SOL_SOCKET), round trips checked with
 *     getsockopt(2)/setsockopt(2);
 *   TX_TIMESTAMP (6.17+): a multishot command whose CQEs (F_MORE, the
 *     timestamp in both extra words) are in the CQ ring when a sync
 *     helper runs: it must return its own CQE and keep those.
 *
 * Each part is skipped where this kernel lacks the op; the whole program
 * exits 77 if the kernel has no socket uring_cmd at all.
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <unistd.h>

#include <liburing.h>
#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

/* From <linux/io_uring.h> of 6.7+ (6.17+); Debian 12's headers predate it. */
#define SOCK_OP_SIOCINQ		0
#define SOCK_OP_SIOCOUTQ	1
#define SOCK_OP_GETSOCKOPT	2
#define SOCK_OP_SETSOCKOPT	3
#define SOCK_OP_TX_TIMESTAMP	4

static int skipped;

static void skip(const char *what)
{
	printf("SKIP: %s: not on this kernel\n", what);
	skipped++;
}

static void loopback(struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* A UDP socket on 127.0.0.1, bound, sending to itself. */
static int udp_self(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	REQUIRE(fd >= 0);
	loopback(&sin);
	REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	REQUIRE(getsockname(fd, (struct sockaddr *)&sin, &slen) == 0);
	REQUIRE(connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	return fd;
}

/* A connected TCP pair on 127.0.0.1: fds[0] sends, fds[1] receives. */
static void tcp_pair(int fds[2])
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	REQUIRE(l >= 0);
	loopback(&sin);
	REQUIRE(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	REQUIRE(listen(l, 1) == 0);
	REQUIRE(getsockname(l, (struct sockaddr *)&sin, &slen) == 0);
	fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	REQUIRE(fds[0] >= 0);
	REQUIRE(connect(fds[0], (struct sockaddr *)&sin, sizeof(sin)) == 0);
	fds[1] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	REQUIRE(fds[1] >= 0);
	close(l);
}

static int sock_cmd(struct miscuring_ring *ring, int fd, uint32_t op)
{
	return miscuring_cmd(ring, fd, op, NULL, 0, NULL);
}

/* SIOCINQ/SIOCOUTQ; returns 0 if the kernel has no socket uring_cmd. */
static int test_queues(struct miscuring_ring *ring)
{
	const char data[123] = { 1 };
	int udp = udp_self(), tcp[2], one = 1, n, tries, ret;
	struct pollfd pfd;

	ret = sock_cmd(ring, udp, SOCK_OP_SIOCINQ);
	if (ret == -EOPNOTSUPP) {
		close(udp);
		return 0;
	}
	CHECK_EQ(ret, 0);
	REQUIRE(send(udp, data, sizeof(data), 0) == (ssize_t)sizeof(data));
	CHECK_EQ(sock_cmd(ring, udp, SOCK_OP_SIOCINQ), 123);
	REQUIRE(ioctl(udp, SIOCINQ, &n) == 0);
	CHECK_EQ(n, 123);
	CHECK_EQ(sock_cmd(ring, udp, SOCK_OP_SIOCOUTQ), 0);
	close(udp);

	/*
	 * 100 bytes in a corked TCP socket stay unsent, so SIOCOUTQ (bytes
	 * not yet acknowledged) is exactly 100; the cork's 200 ms ceiling
	 * may flush them on a slow machine: then try again.
	 */
	for (tries = 0; tries < 5; tries++) {
		tcp_pair(tcp);
		REQUIRE(setsockopt(tcp[0], IPPROTO_TCP, TCP_CORK, &one,
				   sizeof(one)) == 0);
		REQUIRE(send(tcp[0], data, 100, 0) == 100);
		ret = sock_cmd(ring, tcp[0], SOCK_OP_SIOCOUTQ);
		REQUIRE(ioctl(tcp[0], SIOCOUTQ, &n) == 0);
		if (n == 100)
			break;
		close(tcp[0]);
		close(tcp[1]);
	}
	REQUIRE(tries < 5);
	CHECK_EQ(ret, 100);
	CHECK_EQ(sock_cmd(ring, tcp[1], SOCK_OP_SIOCINQ), 0);
	one = 0;
	REQUIRE(setsockopt(tcp[0], IPPROTO_TCP, TCP_CORK, &one,
			   sizeof(one)) == 0);
	pfd.fd = tcp[1];
	pfd.events = POLLIN;
	REQUIRE(poll(&pfd, 1, 5000) == 1);
	CHECK_EQ(sock_cmd(ring, tcp[1], SOCK_OP_SIOCINQ), 100);
	close(tcp[0]);
	close(tcp[1]);
	return 1;
}

/* A socket option through the generic command: its res (optlen for get). */
static int sockopt(struct miscuring_ring *ring, int fd, uint32_t op,
		   int name, int *val)
{
	struct miscuring_cmd_desc d;
	struct miscuring_cqe cqe;
	int ret;

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.fd = fd;
	d.cmd_op = op;
	d.level = SOL_SOCKET;
	d.optname = (uint32_t)name;
	d.optval = (uint64_t)(uintptr_t)val;
	d.optlen = sizeof(*val);
	ret = miscuring_cmd_desc(ring, &d, &cqe);
	return ret ? ret : cqe.res;
}

static void test_sockopt(struct miscuring_ring *ring)
{
	int fd = udp_self(), v, sys;
	socklen_t len = sizeof(sys);

	v = 0;
	if (sockopt(ring, fd, SOCK_OP_GETSOCKOPT, SO_RCVBUF, &v) ==
	    -EOPNOTSUPP) {
		skip("GETSOCKOPT/SETSOCKOPT (Linux 6.7+)");
		close(fd);
		return;
	}
	v = 65536;
	CHECK_EQ(sockopt(ring, fd, SOCK_OP_SETSOCKOPT, SO_RCVBUF, &v), 0);
	REQUIRE(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sys, &len) == 0);
	CHECK_EQ(sys, 2 * 65536);	/* the kernel doubles it */
	v = 0;
	CHECK_EQ(sockopt(ring, fd, SOCK_OP_GETSOCKOPT, SO_RCVBUF, &v), 4);
	CHECK_EQ(v, sys);

	sys = 1;
	REQUIRE(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &sys, 4) == 0);
	v = 7;
	CHECK_EQ(sockopt(ring, fd, SOCK_OP_GETSOCKOPT, SO_KEEPALIVE, &v), 4);
	CHECK_EQ(v, 1);
	v = 0;
	CHECK_EQ(sockopt(ring, fd, SOCK_OP_SETSOCKOPT, SO_KEEPALIVE, &v), 0);
	REQUIRE(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &sys, &len) == 0);
	CHECK_EQ(sys, 0);
	close(fd);
}

/*
 * A multishot command next to a sync helper: TX_TIMESTAMP stays armed and
 * posts a CQE with F_MORE per timestamp; three are in the CQ ring when
 * SIOCOUTQ runs synchronously.
 */
static void test_multishot(void)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_cqe cqes[8];
	struct timespec now, ts = { 5, 0 };
	int fd = udp_self(), flags, i, n, want;
	const char one = 1;

	REQUIRE(miscuring_open_fd(-1, 16, MISCURING_SETUP_CQE32, &ring) == 0);
	flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
	REQUIRE(setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags,
			   sizeof(flags)) == 0);
	CHECK_EQ(miscuring_prep_cmd(ring, fd, SOCK_OP_TX_TIMESTAMP, NULL, 0,
				    0x7575), 0);
	CHECK_EQ(miscuring_submit(ring), 1);
	n = miscuring_wait_batch(ring, cqes, 8, 0, NULL);
	if (n == 1 && cqes[0].res < 0) {
		skip("TX_TIMESTAMP (Linux 6.17+)");
		miscuring_close(ring);
		close(fd);
		return;
	}
	CHECK_EQ(n, 0);
	for (i = 0; i < 3; i++)
		REQUIRE(send(fd, &one, 1, 0) == 1);
	/* Wait until the three timestamps' CQEs are there, unread. */
	CHECK_EQ(miscuring_submit_and_wait(ring, 3), 0);
	CHECK_EQ(miscuring_cq_ready(ring), 3);
	REQUIRE(ioctl(fd, SIOCOUTQ, &want) == 0);
	CHECK_EQ(sock_cmd(ring, fd, SOCK_OP_SIOCOUTQ), want);
	CHECK_EQ(miscuring_cq_ready(ring), 3);
	/* The multishot command is still in flight after its CQEs. */
	n = miscuring_wait_batch(ring, cqes, 8, 3, NULL);
	CHECK_EQ(n, 3);
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < n; i++) {
		CHECK(cqes[i].user_data == 0x7575);
		CHECK(cqes[i].flags & IORING_CQE_F_MORE);
		CHECK_EQ(cqes[i].res, i);		/* OPT_ID's key */
		/* res2, res3: when the datagram left, tv_sec and tv_nsec */
		CHECK((int64_t)cqes[i].res2 <= now.tv_sec &&
		      (int64_t)cqes[i].res2 > now.tv_sec - 60);
		CHECK(cqes[i].res3 < 1000000000ULL);
	}
	CHECK_EQ(miscuring_inflight(ring), 1);
	/* Cancelled, it ends with a CQE without F_MORE. */
	CHECK_EQ(miscuring_cancel(ring, 0x7575, &ts), 0);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 8, 1, &ts), 1);
	CHECK(!(cqes[0].flags & IORING_CQE_F_MORE));
	CHECK_EQ(cqes[0].res, -ECANCELED);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
	close(fd);
}

/* Submit one SQE on the test's own ring; the decoded CQE. */
static void own_run(struct io_uring *ring, struct miscuring_cqe *out)
{
	struct io_uring_cqe *cqe;

	REQUIRE(io_uring_submit(ring) == 1);
	REQUIRE(io_uring_wait_cqe(ring, &cqe) == 0);
	CHECK_EQ(miscuring_cqe_decode(cqe, ring->flags, out),
		 ring->flags & IORING_SETUP_CQE32 ? 32 : 16);
	io_uring_cqe_seen(ring, cqe);
}

/*
 * A program with its own liburing ring: the library fills its SQEs and
 * decodes its CQEs, on a socket and on /dev/null (the kernel's own empty
 * uring_cmd handler), and refuses to call either /dev/miscuring.
 */
static void test_own_ring(unsigned setup, unsigned sqe_size)
{
	struct miscuring_cmd_desc d;
	struct miscuring_cqe out;
	struct io_uring ring;
	int udp = udp_self(), null_fd, v = 0;
	const char data[77] = { 0 };

	REQUIRE(io_uring_queue_init(4, &ring, setup) == 0);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	REQUIRE(null_fd >= 0);
	CHECK_EQ(miscuring_identify(null_fd, NULL), -ENOTTY);
	CHECK_EQ(miscuring_identify(udp, NULL), -ENOTTY);

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.fd = null_fd;
	d.cmd_op = 0x1234;
	d.user_data = 0xabc;
	CHECK_EQ(miscuring_sqe_cmd(io_uring_get_sqe(&ring), sqe_size, &d), 0);
	own_run(&ring, &out);
	CHECK(out.user_data == 0xabc);
	CHECK_EQ(out.res, 0);

	REQUIRE(send(udp, data, sizeof(data), 0) == (ssize_t)sizeof(data));
	d.fd = udp;
	d.cmd_op = SOCK_OP_SIOCINQ;
	CHECK_EQ(miscuring_sqe_cmd(io_uring_get_sqe(&ring), sqe_size, &d), 0);
	own_run(&ring, &out);
	CHECK_EQ(out.res, 77);
	CHECK(!out.res2 && !out.res3);

	d.cmd_op = SOCK_OP_GETSOCKOPT;
	d.level = SOL_SOCKET;
	d.optname = SO_TYPE;
	d.optval = (uint64_t)(uintptr_t)&v;
	d.optlen = sizeof(v);
	CHECK_EQ(miscuring_sqe_cmd(io_uring_get_sqe(&ring), sqe_size, &d), 0);
	own_run(&ring, &out);
	if (out.res == -EOPNOTSUPP) {
		skip("GETSOCKOPT on an own ring (Linux 6.7+)");
	} else {
		CHECK_EQ(out.res, 4);
		CHECK_EQ(v, SOCK_DGRAM);
	}
	io_uring_queue_exit(&ring);
	close(null_fd);
	close(udp);
}

int main(void)
{
	struct miscuring_ring *ring = NULL;

	/* No device: a ring only for commands on other files. */
	REQUIRE(miscuring_open_fd(-1, 8, 0, &ring) == 0);
	if (!test_queues(ring)) {
		printf("SKIP: this kernel has no uring_cmd on sockets "
		       "(SOCKET_URING_OP_SIOCINQ needs Linux 6.6+)\n");
		miscuring_close(ring);
		return T_SKIP;
	}
	test_sockopt(ring);
	miscuring_close(ring);
	test_multishot();
	test_own_ring(0, 64);
	test_own_ring(IORING_SETUP_SQE128 | IORING_SETUP_CQE32, 128);
	printf("%d parts skipped\n", skipped);
	return t_report("socket");
}
