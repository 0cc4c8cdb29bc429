/* SPDX-License-Identifier: MIT */
/*
 * libmiscuring in a program that owns its liburing ring, in the test VM on
 * every kernel: the device ops and the socket ops built with the library's
 * miscuring_sqe_*() on the program's SQEs, the CQEs read with
 * miscuring_cqe_decode(); the device check (miscuring_identify() and the
 * library ring's -ENOTTY on /dev/null); and lib/examples/own-ring.c run
 * against the module. Socket ops are checked where the kernel has them
 * (SIOCINQ/SIOCOUTQ 6.6+, GETSOCKOPT/SETSOCKOPT 6.7+, TX_TIMESTAMP 6.17+)
 * and must fail with -EOPNOTSUPP where it has not.
 *
 * Built statically with the library's sources by make check-vm-guest into
 * build/vm/extra/tests/t_lib_own_ring. Output: tests/vm/README.md.
 */
/* The example, its main() renamed: it runs as one of the cases below. */
#define main example_own_ring_main
int example_own_ring_main(int argc, char **argv);
#include "../../../lib/examples/own-ring.c"
#undef main

#include <stdarg.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <net/if.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>

#define SOCK_OP_SIOCINQ		0
#define SOCK_OP_SIOCOUTQ	1
#define SOCK_OP_GETSOCKOPT	2
#define SOCK_OP_SETSOCKOPT	3
#define SOCK_OP_TX_TIMESTAMP	4

#include "lib_result.h"

static int kver;	/* major * 100 + minor */


/* Send the one prepared SQE; its decoded CQE. */
static int run(struct io_uring *ring, struct miscuring_cqe *out)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit(ring);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	miscuring_cqe_decode(cqe, ring->flags, out);
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* The device ops on the program's own ring. */
static void test_device_ops(int fd, unsigned setup, const char *tag)
{
	unsigned size = setup & IORING_SETUP_SQE128 ? 128 : 64;
	int cqe32 = !!(setup & IORING_SETUP_CQE32);
	struct miscuring_info info;
	struct miscuring_stats st;
	struct miscuring_cqe c;
	struct io_uring ring;
	uint8_t echo[80];
	uint64_t v = 0;
	char name[64];
	int ret;

#define CASE(what) snprintf(name, sizeof(name), "own_%s_%s", what, tag)
	ret = io_uring_queue_init(8, &ring, setup);
	CASE("setup");
	if (ret) {
		result(0, name, "io_uring_queue_init: %d", ret);
		return;
	}
	miscuring_sqe_nop(io_uring_get_sqe(&ring), size, fd, 1);
	ret = run(&ring, &c);
	CASE("nop");
	result(!ret && c.res == 0 && c.user_data == 1, name,
	       "ret %d res %d", ret, c.res);

	miscuring_sqe_set_value(io_uring_get_sqe(&ring), size, fd, 0x5eed, 2);
	ret = run(&ring, &c);
	miscuring_sqe_get_value(io_uring_get_sqe(&ring), size, fd, &v, 3);
	ret = ret ? ret : run(&ring, &c);
	CASE("set_get");
	result(!ret && c.res == 0 && v == 0x5eed, name, "ret %d res %d v %llu",
	       ret, c.res, (unsigned long long)v);

	miscuring_sqe_get_value(io_uring_get_sqe(&ring), size, fd, NULL, 4);
	ret = run(&ring, &c);
	CASE("get_res2");
	if (cqe32)
		result(!ret && c.res == 0 && c.res2 == 0x5eed, name,
		       "res %d res2 %llu", c.res, (unsigned long long)c.res2);
	else
		result(!ret && c.res == -EINVAL && !c.res2, name,
		       "res %d (want -EINVAL without CQE32)", c.res);

	miscuring_sqe_delay(io_uring_get_sqe(&ring), size, fd, 2000, -77, 5);
	ret = run(&ring, &c);
	CASE("delay");
	result(!ret && c.res == -77, name, "res %d", c.res);

	miscuring_sqe_wait_value(io_uring_get_sqe(&ring), size, fd, 0x5eed,
				 1000, 6);
	ret = run(&ring, &c);
	CASE("wait_timeout");
	result(!ret && c.res == -ETIMEDOUT, name, "res %d", c.res);

	memset(echo, 0, sizeof(echo));
	miscuring_sqe_echo(io_uring_get_sqe(&ring), size, fd, echo,
			   sizeof(echo), size == 128 ? "abc" : NULL,
			   size == 128 ? 3 : 0, 7);
	ret = run(&ring, &c);
	CASE("echo");
	result(!ret && c.res == (size == 128 ? 80 : 16) &&
	       (size == 64 || !memcmp(echo + 16, "abc", 3)), name,
	       "res %d", c.res);

	memset(&info, 0, sizeof(info));
	miscuring_sqe_probe(io_uring_get_sqe(&ring), size, fd, &info,
			    sizeof(info), 8);
	ret = run(&ring, &c);
	CASE("probe");
	result(!ret && c.res == (int)sizeof(info) && info.abi_version == 1,
	       name, "res %d", c.res);

	memset(&st, 0, sizeof(st));
	miscuring_sqe_stats(io_uring_get_sqe(&ring), size, fd, &st,
			    sizeof(st), 9);
	ret = run(&ring, &c);
	CASE("stats");
	result(!ret && c.res == (int)sizeof(st) && st.issued >= 8, name,
	       "res %d issued %llu", c.res, (unsigned long long)st.issued);
	io_uring_queue_exit(&ring);
#undef CASE
}

/* The library ring and miscuring_identify() tell the device from others. */
static void test_identity(int fd)
{
	struct miscuring_devinfo info;
	struct miscuring_ring *ring;
	uint64_t v = 99;
	int ret, null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	ret = miscuring_identify(fd, &info);
	result(!ret && info.abi_version == MISCURING_ABI_VERSION, "identify_device",
	       "ret %d", ret);
	ret = miscuring_identify(null_fd, NULL);
	result(ret == -ENOTTY, "identify_null", "ret %d", ret);
	ret = miscuring_open("/dev/null", 4, MISCURING_SETUP_CQE32, &ring);
	if (ret) {
		result(0, "lib_ring_null", "open: %d", ret);
	} else {
		int set = miscuring_set_value(ring, 5);
		int get = miscuring_get_value(ring, &v);
		int cmd = miscuring_cmd(ring, miscuring_device_fd(ring), 1,
					NULL, 0, NULL);

		result(set == -ENOTTY && get == -ENOTTY && v == 99 && cmd == 0,
		       "lib_ring_null", "set %d get %d v %llu cmd %d", set, get,
		       (unsigned long long)v, cmd);
		miscuring_close(ring);
	}
	close(null_fd);
}

/* The guest's init leaves the loopback interface down: bring it up. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr) && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			perror("lo up");
	}
	close(fd);
}

static int udp_self(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &slen) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return -1;
	return fd;
}

/* A socket op on the own ring: its CQE's res, or the error. */
static int sock_op(struct io_uring *ring, struct miscuring_cmd_desc *d,
		   struct miscuring_cqe *c)
{
	int ret = miscuring_sqe_cmd(io_uring_get_sqe(ring),
				    ring->flags & IORING_SETUP_SQE128 ? 128 : 64,
				    d);

	if (!ret)
		ret = run(ring, c);
	return ret ? ret : c->res;
}

/* Where the kernel lacks an op, it must say -EOPNOTSUPP. */
static int has_op(const char *name, int since, int res)
{
	char what[64];

	if (kver >= since)
		return 1;
	snprintf(what, sizeof(what), "%s_absent", name);
	result(res == -EOPNOTSUPP, what, "res %d before %d.%d", res,
	       since / 100, since % 100);
	printf("SKIP %s: needs Linux %d.%d\n", name, since / 100, since % 100);
	return 0;
}

static void test_socket_ops(void)
{
	struct miscuring_cmd_desc d;
	struct miscuring_cqe c;
	struct io_uring ring;
	const char data[123] = { 0 };
	int fd = udp_self(), res, n = -1, v;

	if (fd < 0 || io_uring_queue_init(8, &ring, IORING_SETUP_CQE32)) {
		result(0, "sock_setup", "no socket or ring");
		return;
	}
	if (send(fd, data, sizeof(data), 0) != (ssize_t)sizeof(data))
		result(0, "sock_setup", "send failed");
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.fd = fd;
	d.cmd_op = SOCK_OP_SIOCINQ;
	res = sock_op(&ring, &d, &c);
	if (has_op("sock_siocinq", 606, res))
		result(res == 123, "sock_siocinq", "res %d, want 123", res);
	d.cmd_op = SOCK_OP_SIOCOUTQ;
	res = sock_op(&ring, &d, &c);
	ioctl(fd, SIOCOUTQ, &n);
	if (has_op("sock_siocoutq", 606, res))
		result(res == n, "sock_siocoutq", "res %d, ioctl %d", res, n);

	v = 0;
	d.cmd_op = SOCK_OP_GETSOCKOPT;
	d.level = SOL_SOCKET;
	d.optname = SO_TYPE;
	d.optval = (uint64_t)(uintptr_t)&v;
	d.optlen = sizeof(v);
	res = sock_op(&ring, &d, &c);
	if (has_op("sock_getsockopt", 607, res))
		result(res == 4 && v == SOCK_DGRAM, "sock_getsockopt",
		       "res %d v %d", res, v);
	v = 1;
	d.cmd_op = SOCK_OP_SETSOCKOPT;
	d.optname = SO_KEEPALIVE;
	res = sock_op(&ring, &d, &c);
	if (has_op("sock_setsockopt", 607, res)) {
		socklen_t len = sizeof(n);

		n = 0;
		getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &n, &len);
		result(res == 0 && n == 1, "sock_setsockopt", "res %d now %d",
		       res, n);
	}
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Multishot (6.17+): TX_TIMESTAMP posts a CQE with F_MORE per datagram,
 * the timestamp in both extra words, until cancelled; a device NOP in
 * between completes on its own.
 */
static void test_multishot(int dev)
{
	struct io_uring_cqe *cqe;
	struct miscuring_cqe c;
	struct io_uring ring;
	const char one = 1;
	int fd = udp_self(), flags, i, more = 0, ok = 1, nop = 0, fin = 0;

	if (fd < 0 || io_uring_queue_init(8, &ring, IORING_SETUP_CQE32)) {
		result(0, "tx_timestamp", "no socket or ring");
		return;
	}
	flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags));
	miscuring_sqe_cmd(io_uring_get_sqe(&ring), 64,
			  &(struct miscuring_cmd_desc){
				.size = sizeof(struct miscuring_cmd_desc),
				.fd = fd, .cmd_op = SOCK_OP_TX_TIMESTAMP,
				.user_data = 0x75 });
	io_uring_submit(&ring);
	/* A kernel without the op fails it at once. */
	if (!io_uring_peek_cqe(&ring, &cqe) && cqe->res < 0) {
		if (has_op("tx_timestamp", 617, cqe->res))
			result(0, "tx_timestamp", "res %d", cqe->res);
		io_uring_queue_exit(&ring);
		close(fd);
		return;
	}
	for (i = 0; i < 2; i++)
		if (send(fd, &one, 1, 0) != 1)
			ok = 0;
	miscuring_sqe_nop(io_uring_get_sqe(&ring), 64, dev, 0x76);
	io_uring_submit(&ring);
	while (more + nop < 3 && !io_uring_wait_cqe(&ring, &cqe)) {
		miscuring_cqe_decode(cqe, ring.flags, &c);
		io_uring_cqe_seen(&ring, cqe);
		if (c.user_data == 0x76) {
			nop++;
			ok &= c.res == 0;
		} else if (c.flags & IORING_CQE_F_MORE) {
			ok &= c.res == more && c.res2 > 0 &&
			      c.res3 < 1000000000ULL;
			more++;
		} else {
			ok = 0;
			break;
		}
	}
	io_uring_prep_cancel64(io_uring_get_sqe(&ring), 0x75, 0);
	io_uring_submit(&ring);
	for (i = 0; i < 2 && !io_uring_wait_cqe(&ring, &cqe); i++) {
		miscuring_cqe_decode(cqe, ring.flags, &c);
		io_uring_cqe_seen(&ring, cqe);
		if (c.user_data == 0x75)
			fin = !(c.flags & IORING_CQE_F_MORE) &&
			      c.res == -ECANCELED;
	}
	if (kver < 617)
		printf("SKIP tx_timestamp: armed, but needs Linux 6.17\n");
	result(ok && more == 2 && nop == 1 && fin, "tx_timestamp",
	       "ok %d, %d timestamps, nop %d, final %d", ok, more, nop, fin);
	io_uring_queue_exit(&ring);
	close(fd);
}

int main(void)
{
	char *argv[] = { "own-ring", MISCURING_DEVICE_PATH, NULL };
	struct utsname u;
	int fd, major = 0, minor = 0, ret;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	kver = major * 100 + minor;
	setvbuf(stdout, NULL, _IOLBF, 0);

	ret = example_own_ring_main(2, argv);
	fflush(stdout);
	result(ret == 0, "example_own_ring", "exit %d", ret);

	fd = open(MISCURING_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		result(0, "open", "%s: %s", MISCURING_DEVICE_PATH,
		       strerror(errno));
		return 1;
	}
	test_device_ops(fd, 0, "sqe64");
	test_device_ops(fd, IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
			"sqe128_cqe32");
	test_identity(fd);
	loopback_up();
	test_socket_ops();
	test_multishot(fd);
	close(fd);
	return failed;
}
