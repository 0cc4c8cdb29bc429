/* SPDX-License-Identifier: MIT */
/*
 * The generic path: a raw uring_cmd on a socket, SOCKET_URING_OP_SIOCINQ
 * (Linux 6.7+), which reports the bytes queued for reading, like the
 * SIOCINQ ioctl. Skipped (77) on kernels without socket uring_cmd.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <unistd.h>

#include <libmiscuring.h>

#include "test.h"

T_DEFINE_COUNTERS;

/* From <linux/io_uring.h> of 6.7+; Debian 12's headers predate it. */
#ifndef SOCKET_URING_OP_SIOCINQ
#define SOCKET_URING_OP_SIOCINQ		0
#define SOCKET_URING_OP_SIOCOUTQ	1
#endif

/* A UDP socket on 127.0.0.1 that has sent itself one datagram of len. */
static int udp_with_datagram(size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sin);
	char buf[512] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	REQUIRE(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	REQUIRE(getsockname(fd, (struct sockaddr *)&sin, &slen) == 0);
	REQUIRE(len <= sizeof(buf));
	REQUIRE(sendto(fd, buf, len, 0, (struct sockaddr *)&sin,
		       sizeof(sin)) == (ssize_t)len);
	return fd;
}

int main(void)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_cqe cqe;
	int fd = udp_with_datagram(123), inq = -1, ret;

	/* No device: a ring only for commands on other files. */
	REQUIRE(miscuring_open_fd(-1, 8, 0, &ring) == 0);

	ret = miscuring_cmd(ring, fd, SOCKET_URING_OP_SIOCINQ, NULL, 0, NULL);
	if (ret == -EOPNOTSUPP) {
		printf("SKIP: this kernel has no uring_cmd on sockets "
		       "(SOCKET_URING_OP_SIOCINQ needs Linux 6.7+)\n");
		miscuring_close(ring);
		close(fd);
		return T_SKIP;
	}
	REQUIRE(ioctl(fd, SIOCINQ, &inq) == 0);
	CHECK_EQ(inq, 123);
	CHECK_EQ(ret, inq);

	/* The same through a batch: builder, submit, wait. */
	CHECK_EQ(miscuring_prep_cmd(ring, fd, SOCKET_URING_OP_SIOCINQ, NULL, 0,
				    0x51), 0);
	CHECK_EQ(miscuring_prep_cmd(ring, fd, SOCKET_URING_OP_SIOCOUTQ, NULL, 0,
				    0x52), 0);
	CHECK_EQ(miscuring_submit(ring), 2);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 0x51 || cqe.user_data == 0x52);
	CHECK_EQ(cqe.res, cqe.user_data == 0x51 ? 123 : 0);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK_EQ(cqe.res, cqe.user_data == 0x51 ? 123 : 0);

	/* An op the socket does not know. */
	CHECK_EQ(miscuring_cmd(ring, fd, 0x7fff, NULL, 0, NULL), -EOPNOTSUPP);
	miscuring_close(ring);
	close(fd);
	return t_report("socket");
}
