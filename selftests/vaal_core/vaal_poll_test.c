// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_poll_test.c - poll() on /dev/vaal: a context with nothing to wait
 * for reports an error; a context's completion ring and a user-space
 * controller's work to pull report readable, each as the ABI promises.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/vaal.h>

#include "vaal_ring_util.h"
#include "kselftest_harness.h"

#define CLASS	"polltest"

static short poll_one(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) < 0 ? -1 : p.revents;
}

FIXTURE(vpoll) {
	int ctrl;	/* the user-space controller of CLASS */
	int user;	/* a context that launches on it */
	struct rt_ring ring;
	__u32 kernel;
};

FIXTURE_SETUP(vpoll)
{
	struct vaal_ctrl_register reg = {
		.size = sizeof(reg), .name = "polltest0", .class = CLASS,
		.nr_units = 1,
	};
	struct vaal_kernel_register kr = {
		.size = sizeof(kr), .class = CLASS, .name = "nothing",
	};

	self->ctrl = open("/dev/vaal", O_RDWR);
	self->user = open("/dev/vaal", O_RDWR);
	ASSERT_LE(0, self->ctrl);
	ASSERT_LE(0, self->user);
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_REGISTER, &reg));
	ASSERT_EQ(0, ioctl(self->user, VAAL_IOC_KERNEL_REGISTER, &kr));
	self->kernel = kr.id;
	ASSERT_EQ(0, rt_init(&self->ring, self->user, 4, 0, 0));
}

FIXTURE_TEARDOWN(vpoll)
{
	close(self->user);
	close(self->ctrl);
}

/* Nothing can ever become readable: no rings, no controller. */
TEST(bare_context_is_an_error)
{
	int fd = open("/dev/vaal", O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(POLLERR, poll_one(fd, 0));
	close(fd);
}

/* The controller's file is readable exactly while work waits to be pulled. */
TEST_F(vpoll, controller_readable_with_work)
{
	struct vaal_ctrl_pull *p = calloc(1, sizeof(*p));
	struct vaal_ctrl_complete done = { .size = sizeof(done) };
	struct vaal_cqe cqe;

	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, poll_one(self->ctrl, 0));
	EXPECT_EQ(0, poll_one(self->user, 0));

	rt_launch(&self->ring, self->kernel, 7, NULL, 0, NULL, NULL, 0);
	ASSERT_EQ(1, rt_submit(&self->ring, 0));
	/* Woken from a sleep in poll(), not found at its start. */
	EXPECT_EQ(POLLIN, poll_one(self->ctrl, 5000));

	p->size = sizeof(*p);
	p->flags = VAAL_PULL_NONBLOCK;
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_PULL, p));
	EXPECT_EQ(0, poll_one(self->ctrl, 0));
	EXPECT_EQ(0, poll_one(self->user, 0));

	done.token = p->token;
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_COMPLETE, &done));
	EXPECT_EQ(POLLIN, poll_one(self->user, 5000));
	ASSERT_TRUE(rt_reap(&self->ring, &cqe));
	EXPECT_EQ(7, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, poll_one(self->user, 0));
	free(p);
}

/* A controller that also has rings: either source makes it readable. */
TEST_F(vpoll, controller_with_rings)
{
	struct rt_ring r;

	ASSERT_EQ(0, rt_init(&r, self->ctrl, 4, 0, 0));
	EXPECT_EQ(0, poll_one(self->ctrl, 0));
	rt_nop(&r, 1);
	ASSERT_EQ(1, rt_submit(&r, 0));
	EXPECT_EQ(POLLIN, poll_one(self->ctrl, 5000));
}

TEST_HARNESS_MAIN
