// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The mu_cmd kit refuses, for every op of /dev/miscuring, what the op did
 * not declare: uring_cmd_flags (IORING_URING_CMD_FIXED) and the SQE fields
 * outside the command area (addr, len, buf_index, file_index) fail with
 * -EINVAL and never run the op; kernels before 6.4 show the module only
 * the command area, and there those fields are ignored (the UAPI header
 * says so). The counters see each refusal as a failed command.
 */
#include "guest_test.h"
#include "rel_util.h"

#include "kit_util.h"

/*
 * Each op with each odd property: -EINVAL where the kit can see it, and
 * the op's own result where it cannot. SET_VALUE shows that the op never
 * ran: the value stays.
 */
static void test_ops(void)
{
	struct io_uring ring = {};
	int fd = -1, ret;
	struct rel_stats a, b;
	uint64_t value = 0;

	gt_begin("refused_fields");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	/* io_uring itself fails FIXED when it has no buffer at the index. */
	ret = kit_register_buffer(&ring);
	CHECK(ret == 0, "register buffers: %s", gt_errname(ret));
	for (int w = KIT_ODD_NONE; w < KIT_ODD_N; w++) {
		struct miscuring_set_value set = gt_set_payload(100 + w);
		struct miscuring_get_value get = gt_get_payload(&value);
		struct miscuring_nop nop = {};
		int refused = kit_odd_refused(w);
		int exp = refused ? -EINVAL : 0;

		ret = rel_stats_read(&a);
		CHECK(ret == 0, "counters: %s", gt_errname(ret));
		ret = kit_odd_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), w);
		CHECK(ret == exp, "NOP with %s: res %s, expected %s", kit_odd_names[w],
		      gt_errname(ret), gt_errname(exp));
		ret = kit_odd_cmd(&ring, fd, MISCURING_CMD_SET_VALUE, &set, sizeof(set), w);
		CHECK(ret == exp, "SET_VALUE with %s: res %s, expected %s", kit_odd_names[w],
		      gt_errname(ret), gt_errname(exp));
		ret = rel_stats_read(&b);
		CHECK(ret == 0, "counters: %s", gt_errname(ret));
		CHECK(b.issued - a.issued == 2 && b.failed - a.failed == (refused ? 2u : 0u),
		      "with %s: counters moved by issued %" PRIu64 " failed %" PRIu64,
		      kit_odd_names[w], b.issued - a.issued, b.failed - a.failed);
		ret = kit_odd_cmd(&ring, fd, MISCURING_CMD_GET_VALUE, &get, sizeof(get), KIT_ODD_NONE);
		CHECK(ret == 0, "GET_VALUE: %s", gt_errname(ret));
		if (refused)
			CHECK(value != 100u + w, "SET_VALUE with %s ran: the value is %" PRIu64,
			      kit_odd_names[w], value);
		else
			CHECK(value == 100u + w, "the value is %" PRIu64 ", expected %d",
			      value, 100 + w);
		fprintf(stderr, "kit_sqe: %-22s %s\n", kit_odd_names[w],
			refused ? "refused (-EINVAL)" : "accepted");
	}
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* Without a registered buffer io_uring fails FIXED itself (-EFAULT). */
static void test_fixed_no_buffer(void)
{
	struct miscuring_nop nop = {};
	struct io_uring ring = {};
	int fd = -1, ret;

	gt_begin("fixed_without_buffer");
	CHECK_RING_AND_OPEN(&ring, 8, GT_RING_PLAIN, fd, O_RDWR);
	ret = kit_odd_cmd(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), KIT_ODD_FIXED);
	CHECK(ret == -EFAULT || ret == -EINVAL, "NOP with FIXED: res %s", gt_errname(ret));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

int main(void)
{
	gt_init("kit_sqe", 60);
	test_ops();
	test_fixed_no_buffer();
	return gt_exit_status();
}
