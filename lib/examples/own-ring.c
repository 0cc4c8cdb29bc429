/* SPDX-License-Identifier: MIT */
/*
 * own-ring: /dev/miscuring driven from a liburing ring this program owns.
 * libmiscuring only fills the SQEs (miscuring_sqe_*()) and decodes the
 * CQEs (miscuring_cqe_decode()); the ring, submission and waiting are
 * liburing's. It checks the file first (miscuring_identify()), then sends
 * SET_VALUE, GET_VALUE (the value as the CQE's second result), ECHO and
 * PROBE in one submission, and prints each completion.
 *
 *   own-ring [DEVICE]      exit 0: all worked; 1: no such file or no
 *                          io_uring; 2: not /dev/miscuring; 3: an op failed
 *
 * Build: cc own-ring.c $(pkg-config --cflags --libs libmiscuring liburing)
 */
#define _GNU_SOURCE	/* liburing.h needs POSIX types under -std=c11 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <liburing.h>
#include <libmiscuring.h>

enum { SET = 1, GET, ECHO, PROBE };

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : MISCURING_DEVICE_PATH;
	struct miscuring_info info;
	struct miscuring_cqe out;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint8_t echo[MISCURING_PAYLOAD_SQE128];
	const char msg[] = "hello from my own ring";
	int fd, ret, i, bad = 0;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	ret = miscuring_identify(fd, NULL);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", path,
			ret == -ENOTTY ? "not a miscuring device" :
			miscuring_strerror(ret));
		close(fd);
		return ret == -ENOTTY ? 2 : 1;
	}
	/* 128-byte SQEs carry 80-byte payloads, 32-byte CQEs a 2nd result. */
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_SQE128 |
				  IORING_SETUP_CQE32);
	if (ret < 0) {
		fprintf(stderr, "io_uring: %s\n", miscuring_strerror(ret));
		close(fd);
		return 1;
	}
	sqe = io_uring_get_sqe(&ring);
	miscuring_sqe_set_value(sqe, 128, fd, 42, SET);
	/* Flags go on after the builder, which clears the whole SQE. */
	sqe->flags |= IOSQE_IO_LINK;	/* GET_VALUE starts after it */
	/* Without a buffer the value comes back in res2 (CQE32 rings). */
	miscuring_sqe_get_value(io_uring_get_sqe(&ring), 128, fd, NULL, GET);
	memset(echo, 0, sizeof(echo));
	miscuring_sqe_echo(io_uring_get_sqe(&ring), 128, fd, echo,
			   sizeof(echo), msg, sizeof(msg), ECHO);
	memset(&info, 0, sizeof(info));
	miscuring_sqe_probe(io_uring_get_sqe(&ring), 128, fd, &info,
			    sizeof(info), PROBE);
	ret = io_uring_submit_and_wait(&ring, 4);
	if (ret < 0) {
		fprintf(stderr, "submit: %s\n", miscuring_strerror(ret));
		bad = 1;
	}
	for (i = 0; ret >= 0 && i < 4; i++) {
		if (io_uring_wait_cqe(&ring, &cqe))
			break;
		miscuring_cqe_decode(cqe, ring.flags, &out);
		io_uring_cqe_seen(&ring, cqe);
		if (out.res < 0) {
			printf("%s: %s\n", miscuring_op_name(
			       out.user_data == SET ? MISCURING_CMD_SET_VALUE :
			       out.user_data == GET ? MISCURING_CMD_GET_VALUE :
			       out.user_data == ECHO ? MISCURING_CMD_ECHO :
			       MISCURING_CMD_PROBE), miscuring_strerror(out.res));
			bad = 1;
			continue;
		}
		switch (out.user_data) {
		case SET:
			printf("set 42\n");
			break;
		case GET:
			printf("value %" PRIu64 "\n", out.res2);
			bad |= out.res2 != 42;
			break;
		case ECHO:
			printf("echo %d bytes: %s\n", out.res,
			       (char *)echo + 16);
			bad |= memcmp(echo + 16, msg, sizeof(msg)) != 0;
			break;
		case PROBE:
			printf("probe %d bytes: module %.*s\n", out.res,
			       (int)sizeof(info.module_version),
			       info.module_version);
			break;
		}
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return bad ? 3 : 0;
}
