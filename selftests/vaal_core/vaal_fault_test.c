// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_fault_test.c - every slab allocation on the paths that open a
 * context, create or import a buffer, register a kernel, set the rings up
 * and submit launches fails in turn (fault injection,
 * /proc/thread-self/fail-nth with failslab): each failure must come back as
 * a clean error, leave the context usable, and leak nothing (the debug
 * kernel's kmemleak scan checks that after the run).
 *
 * Needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS: skipped on a
 * kernel without them (the stock one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"
#include "vaal_ring_util.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define MAX_NTH		200


/* Arm the nth fault-injection point this thread reaches; 0 disarms. */
static int fail_nth(int fd, int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", nth);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/* Did the armed fault fire?  fail-nth reads 0 once it has. */
static int fired(int fd)
{
	char buf[16] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return atoi(buf) == 0;
}

FIXTURE(fault) {
	int nth_fd;
};

FIXTURE_SETUP(fault)
{
	if (access(FAILSLAB "ignore-gfp-wait", W_OK))
		SKIP(return, "kernel without failslab fault injection");
	/* Fail sleeping allocations too, only where fail-nth says. */
	ASSERT_EQ(0, vcore_write_str(FAILSLAB "ignore-gfp-wait", "N"));
	ASSERT_EQ(0, vcore_write_str(FAILSLAB "probability", "0"));
	ASSERT_EQ(0, vcore_write_str(FAILSLAB "verbose", "0"));
	self->nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	ASSERT_LE(0, self->nth_fd);
}

FIXTURE_TEARDOWN(fault)
{
	if (self->nth_fd > 0) {
		fail_nth(self->nth_fd, 0);
		close(self->nth_fd);
		vcore_write_str(FAILSLAB "ignore-gfp-wait", "Y");
	}
}

/*
 * run_nth - fail the 1st, 2nd, ... allocation of @op until it runs through
 * with no fault left to fire; @op returns 0 or a negative errno and undoes
 * its own success.  Returns the number of faults that fired.
 */
#define run_nth(op, ok_errno) ({					\
	int nth, ret, hit = 0;						\
	for (nth = 1; nth < MAX_NTH; nth++) {				\
		ASSERT_EQ(0, fail_nth(self->nth_fd, nth));		\
		ret = (op);						\
		if (fired(self->nth_fd) != 1) {				\
			ASSERT_EQ(0, ret) TH_LOG("clean run failed: %d", ret); \
			break;						\
		}							\
		hit++;							\
		EXPECT_TRUE(ret == 0 || ret == (ok_errno))		\
			TH_LOG("fault %d: %s", nth, strerror(-ret));	\
	}								\
	fail_nth(self->nth_fd, 0);					\
	ASSERT_LT(nth, MAX_NTH);					\
	hit;								\
})

static int open_close(void)
{
	int fd = vaal_open(NULL);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

TEST_F(fault, open_context)
{
	int hit = run_nth(open_close(), -ENOMEM);

	TH_LOG("%d allocation faults injected", hit);
	EXPECT_LT(0, hit);
}

static int create_destroy(int fd, int memfd)
{
	struct vaal_buffer b;
	int ret;

	ret = memfd >= 0 ? vaal_buf_import(fd, memfd, 64 * 1024, &b) :
			   vaal_buf_create(fd, 64 * 1024, &b);
	if (ret)
		return ret;
	ret = vaal_buf_map(fd, &b);
	if (!ret)
		memset(b.map, 0xa5, b.length);
	return vaal_buf_destroy(fd, &b) ?: ret;
}

TEST_F(fault, create_buffer)
{
	int fd = vaal_open(NULL), hit;
	struct vaal_buffer b;

	ASSERT_LE(0, fd);
	hit = run_nth(create_destroy(fd, -1), -ENOMEM);
	TH_LOG("%d allocation faults injected", hit);
	EXPECT_LT(0, hit);
	/* Nothing was left half-made: the allowance is whole again. */
	EXPECT_EQ(0, vaal_buf_create(fd, 64 * 1024, &b));
	EXPECT_EQ(0, vaal_buf_destroy(fd, &b));
	close(fd);
}

TEST_F(fault, import_buffer)
{
	int fd = vaal_open(NULL), memfd, hit;

	ASSERT_LE(0, fd);
	memfd = memfd_create("vaal_fault", MFD_CLOEXEC);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, 64 * 1024));
	hit = run_nth(create_destroy(fd, memfd), -ENOMEM);
	TH_LOG("%d allocation faults injected", hit);
	EXPECT_LT(0, hit);
	close(memfd);
	close(fd);
}

static int register_unregister(int fd)
{
	static const char blob[4096];
	__u32 id;
	int ret;

	ret = vaal_kernel_register(fd, "gpu", "saxpy", NULL, 0, 8, blob,
				   sizeof(blob), &id);
	return ret ?: vaal_kernel_unregister(fd, id);
}

TEST_F(fault, register_kernel)
{
	int fd = vaal_open(NULL), hit;

	ASSERT_LE(0, fd);
	hit = run_nth(register_unregister(fd), -ENOMEM);
	TH_LOG("%d allocation faults injected", hit);
	EXPECT_LT(0, hit);
	/* The name is free: nothing half-registered stayed behind. */
	EXPECT_EQ(0, register_unregister(fd));
	close(fd);
}

/*
 * A whole life: context, ordered rings, two buffers, a kernel, a launch,
 * a NOP and a barrier submitted and completed, all closed.  A failure
 * anywhere comes back as -ENOMEM; submissions not consumed stay queued
 * and are thrown away with the context.
 */
static int ring_life(void)
{
	static const __u8 modes[2] = { VAAL_ARG_IN, VAAL_ARG_OUT };
	struct vaal_sqe_arg args[2] = { { 0 } };
	struct vaal_buffer a, b;
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), ret, n, i;
	__u32 id;

	if (fd < 0)
		return fd;
	ret = rt_init(&r, fd, 8, 0, VAAL_SETUP_ORDERED) ?:
	      vaal_buf_create(fd, 4096, &a) ?: vaal_buf_create(fd, 4096, &b) ?:
	      vaal_kernel_register(fd, "cpu", "memcpy", modes, 2, 0, NULL, 0, &id);
	if (ret)
		goto out_close;
	args[0].handle = a.handle;
	args[1].handle = b.handle;
	rt_launch(&r, id, 1, args, 2, modes, NULL, 0);
	rt_nop(&r, 2);
	rt_sqe(&r)->opcode = VAAL_OP_BARRIER;
	n = rt_submit(&r, 0);
	if (n < 0) {
		ret = n;
		goto out_close;
	}
	for (i = 0; i < n; i++) {
		if (!rt_reap(&r, &cqe) &&
		    (rt_enter(&r, 0, 1, VAAL_ENTER_GETEVENTS, 0) < 0 ||
		     !rt_reap(&r, &cqe))) {
			ret = -EPROTO;
			goto out_close;
		}
		if (cqe.res && !ret)
			ret = cqe.res;
	}
	if (!ret && n != 3)
		ret = -ENOMEM;
out_close:
	close(fd);
	return ret;
}

TEST_F(fault, rings_and_submission)
{
	int hit = run_nth(ring_life(), -ENOMEM);

	TH_LOG("%d allocation faults injected", hit);
	EXPECT_LT(0, hit);
	EXPECT_EQ(0, ring_life());
}

TEST_HARNESS_MAIN
