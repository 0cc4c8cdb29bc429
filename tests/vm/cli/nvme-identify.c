// SPDX-License-Identifier: MIT
/*
 * nvme-identify DEV: NVMe Identify Controller through libmiscuring's
 * generic command (miscuring_cmd_desc() on a SQE128 + CQE32 ring): the
 * driver's struct nvme_uring_cmd as the payload, the 4 KiB answer in a
 * buffer it points to. Prints "res R res2 X model MODEL" (the model
 * string without its trailing blanks); exit 0 if res was 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/nvme_ioctl.h>

#include <libmiscuring.h>

int main(int argc, char **argv)
{
	struct miscuring_cmd_desc d = { .size = sizeof(d) };
	struct nvme_uring_cmd c;
	struct miscuring_ring *ring;
	struct miscuring_cqe cqe;
	unsigned char *id;
	int fd, ret, n;

	if (argc != 2) {
		fprintf(stderr, "usage: nvme-identify DEV\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nvme-identify: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	id = aligned_alloc(4096, 4096);
	if (!id)
		return 1;
	memset(id, 0, 4096);
	ret = miscuring_open_fd(fd, 0, MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32,
				&ring);
	if (ret) {
		fprintf(stderr, "nvme-identify: ring: %s\n", miscuring_strerror(-ret));
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.opcode = 0x06;		/* Identify */
	c.cdw10 = 1;			/* CNS 1: the controller */
	c.addr = (uintptr_t)id;
	c.data_len = 4096;
	d.cmd_op = NVME_URING_CMD_ADMIN;
	d.fd = fd;
	d.payload = &c;
	d.payload_len = sizeof(c);
	ret = miscuring_cmd_desc(ring, &d, &cqe);
	if (ret) {
		fprintf(stderr, "nvme-identify: send: %s\n", miscuring_strerror(-ret));
		return 1;
	}
	/* the model number: bytes 24 to 63, ASCII padded with blanks */
	for (n = 40; n > 0 && id[24 + n - 1] == ' '; n--)
		;
	printf("res %d res2 %llu model %.*s\n", cqe.res,
	       (unsigned long long)cqe.res2, n, (const char *)id + 24);
	miscuring_close(ring);
	close(fd);
	free(id);
	return cqe.res == 0 ? 0 : 1;
}
