// SPDX-License-Identifier: MIT
/*
 * with-socket LEN CMD [ARG]...: run CMD with descriptor 3 a UDP socket on
 * 127.0.0.1 that has one LEN-byte datagram (0 to 65000 bytes of 'x')
 * waiting to be read, so SIOCINQ on it is LEN and SIOCOUTQ 0 once the
 * datagram has been delivered. For uringctl --fd 3 raw, on the host
 * (tests/cli) and in the VM (tests/vm/cli), where it brings the loopback
 * interface up first. Exit status 125 if the socket could not be made.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "with-socket: %s: %s\n", what, strerror(errno));
	return 125;
}

/* lo is down in a VM booted straight into an initramfs. */
static void loopback_up(int s)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	static char buf[65000];
	char *end;
	long len;
	int s;

	if (argc < 3) {
		fprintf(stderr, "usage: with-socket LEN CMD [ARG]...\n");
		return 125;
	}
	errno = 0;
	len = strtol(argv[1], &end, 10);
	if (errno || *end || len < 0 || len > (long)sizeof(buf)) {
		fprintf(stderr, "with-socket: bad LEN '%s'\n", argv[1]);
		return 125;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return die("socket");
	loopback_up(s);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(s, (struct sockaddr *)&a, &alen))
		return die("bind");
	memset(buf, 'x', sizeof(buf));
	if (sendto(s, buf, (size_t)len, 0, (struct sockaddr *)&a, alen) != len)
		return die("sendto");
	if (s != 3) {
		if (dup2(s, 3) < 0)
			return die("dup2");
		close(s);
	}
	execvp(argv[2], argv + 2);
	return die(argv[2]);
}
