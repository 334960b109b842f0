// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_uctrl_map_test.c - a user-space controller's mapping of the buffers
 * of the work it holds: it shows the submitter's buffer in place, its pages
 * can be pinned as a GPU's driver pins host memory (here by io_uring's
 * buffer registration, which uses pin_user_pages()), and once the work is
 * completed it shows nothing (SIGBUS), while the submitter sees what the
 * controller wrote.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/io_uring.h>

#include <linux/vaal.h>

#include "vaal_ring_util.h"
#include "kselftest_harness.h"

#define CLASS	"maptest"
#define BYTES	(4 * 4096)

static sigjmp_buf fault_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(fault_jmp, 1);
}

/* Does reading @p raise SIGBUS? */
static int faults(const unsigned char *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(fault_jmp, 1))
		ret = 1;
	else
		__atomic_load_n(p, __ATOMIC_RELAXED);
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

FIXTURE(umap) {
	int ctrl, user;
	struct rt_ring ring;
	struct vaal_buf_create buf;
	unsigned char *data;
	struct vaal_ctrl_pull pull;
};

FIXTURE_SETUP(umap)
{
	struct vaal_ctrl_register reg = {
		.size = sizeof(reg), .name = "maptest0", .class = CLASS,
		.nr_units = 1,
	};
	struct vaal_kernel_register kr = {
		.size = sizeof(kr), .class = CLASS, .name = "fill",
		.nr_args = 1, .arg_mode = { VAAL_ARG_INOUT },
	};
	struct vaal_sqe_arg arg = {};
	__u8 mode = VAAL_ARG_INOUT;
	int i;

	self->ctrl = open("/dev/vaal", O_RDWR);
	self->user = open("/dev/vaal", O_RDWR);
	ASSERT_LE(0, self->ctrl);
	ASSERT_LE(0, self->user);
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_REGISTER, &reg));
	ASSERT_EQ(0, ioctl(self->user, VAAL_IOC_KERNEL_REGISTER, &kr));
	memset(&self->buf, 0, sizeof(self->buf));
	self->buf.size = sizeof(self->buf);
	self->buf.length = BYTES;
	ASSERT_EQ(0, ioctl(self->user, VAAL_IOC_BUF_CREATE, &self->buf));
	self->data = mmap(NULL, BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->user, self->buf.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->data);
	for (i = 0; i < BYTES; i++)
		self->data[i] = i * 13;
	ASSERT_EQ(0, rt_init(&self->ring, self->user, 4, 0, 0));
	arg.handle = self->buf.handle;
	rt_launch(&self->ring, kr.id, 5, &arg, 1, &mode, NULL, 0);
	ASSERT_EQ(1, rt_submit(&self->ring, 0));

	memset(&self->pull, 0, sizeof(self->pull));
	self->pull.size = sizeof(self->pull);
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_PULL, &self->pull));
	ASSERT_EQ(1, self->pull.nr_args);
	ASSERT_EQ(BYTES, self->pull.args[0].buf_bytes);
}

FIXTURE_TEARDOWN(umap)
{
	munmap(self->data, BYTES);
	close(self->user);
	close(self->ctrl);
}

static int complete(int ctrl, __u64 token)
{
	struct vaal_ctrl_complete done = { .size = sizeof(done), .token = token };

	return ioctl(ctrl, VAAL_IOC_CTRL_COMPLETE, &done) ? -errno : 0;
}

/* The buffer in place: what the submitter wrote, and back what we write. */
TEST_F(umap, shows_the_buffer_in_place)
{
	struct vaal_cqe cqe;
	unsigned char *m;
	int i, same = 1;

	m = mmap(NULL, BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, self->ctrl,
		 self->pull.args[0].mmap_offset);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < BYTES; i++)
		same &= m[i] == (unsigned char)(i * 13);
	EXPECT_TRUE(same);
	memset(m, 0x5a, BYTES);
	ASSERT_EQ(0, complete(self->ctrl, self->pull.token));
	EXPECT_TRUE(faults(m)) TH_LOG("the mapping outlived the work");
	ASSERT_EQ(0, rt_enter(&self->ring, 0, 1, VAAL_ENTER_GETEVENTS, 0));
	ASSERT_TRUE(rt_reap(&self->ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0x5a, self->data[0]);
	EXPECT_EQ(0x5a, self->data[BYTES - 1]);
	munmap(m, BYTES);
}

/*
 * The pages can be pinned: io_uring's buffer registration pins them with
 * pin_user_pages(FOLL_WRITE | FOLL_LONGTERM), as a GPU's driver pins host
 * memory to use it in place.  With the special PTEs of raw frames the
 * mapping had before, the registration failed (-EEXIST on 6.12).
 */
TEST_F(umap, pages_can_be_pinned)
{
	struct io_uring_params p = {};
	struct iovec iov;
	unsigned char *m;
	int ring, ret;

	m = mmap(NULL, BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, self->ctrl,
		 self->pull.args[0].mmap_offset);
	ASSERT_NE(MAP_FAILED, m);
	ring = syscall(__NR_io_uring_setup, 4, &p);
	ASSERT_LE(0, ring) TH_LOG("io_uring_setup: %s", strerror(errno));
	iov.iov_base = m;
	iov.iov_len = BYTES;
	ret = syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
		      &iov, 1);
	EXPECT_EQ(0, ret) TH_LOG("pinning the mapping: %s", strerror(errno));
	EXPECT_EQ(0, syscall(__NR_io_uring_register, ring,
			     IORING_UNREGISTER_BUFFERS, NULL, 0));
	close(ring);
	ASSERT_EQ(0, complete(self->ctrl, self->pull.token));
	munmap(m, BYTES);
}

/*
 * The controller says how long the work used the device: the submitter's
 * completion reports it; a device time without its flag, an unknown flag
 * or a reserved field is refused.
 */
TEST_F(umap, device_time_from_the_controller)
{
	struct vaal_ctrl_complete done = {
		.size = sizeof(done), .token = self->pull.token,
		.device_ns = 12345,
	};
	struct vaal_cqe cqe;

	EXPECT_EQ(-1, ioctl(self->ctrl, VAAL_IOC_CTRL_COMPLETE, &done));
	EXPECT_EQ(EINVAL, errno);
	done.flags = VAAL_COMPLETE_DEVICE_NS | (1U << 7);
	EXPECT_EQ(-1, ioctl(self->ctrl, VAAL_IOC_CTRL_COMPLETE, &done));
	EXPECT_EQ(EINVAL, errno);
	done.flags = VAAL_COMPLETE_DEVICE_NS;
	done.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->ctrl, VAAL_IOC_CTRL_COMPLETE, &done));
	EXPECT_EQ(EINVAL, errno);
	done.reserved = 0;
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_COMPLETE, &done));
	ASSERT_EQ(0, rt_enter(&self->ring, 0, 1, VAAL_ENTER_GETEVENTS, 0));
	ASSERT_TRUE(rt_reap(&self->ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(12345, cqe.device_ns);
}

/* The context's id in /proc/self/fdinfo/@fd (vaal-ctx-id), or 0. */
static __u64 fdinfo_ctx_id(int fd)
{
	unsigned long long id = 0;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "vaal-ctx-id: %llu", &id) == 1)
			break;
	fclose(f);
	return id;
}

/*
 * The pull names the submitter's context as its fdinfo does (ABI 0.8),
 * and another context's work by another id; a pull of the 0.7 size is
 * answered in that size.
 */
TEST_F(umap, names_the_context_of_the_work)
{
	struct vaal_kernel_register kr = {
		.size = sizeof(kr), .class = CLASS, .name = "nop",
	};
	struct vaal_query q = { .size = sizeof(q) };
	struct vaal_sqe_arg arg = {};
	struct vaal_ctrl_pull *p;
	struct rt_ring ring2;
	int other;

	ASSERT_EQ(0, ioctl(self->user, VAAL_IOC_QUERY, &q));
	EXPECT_TRUE(q.features & VAAL_FEAT_CTRL_CTX_ID);
	EXPECT_EQ(VAAL_CTRL_PULL_SIZE_VER2, self->pull.size);
	EXPECT_NE(0, self->pull.ctx_id);
	EXPECT_EQ(fdinfo_ctx_id(self->user), self->pull.ctx_id);
	ASSERT_EQ(0, complete(self->ctrl, self->pull.token));

	/* Another context's launches of a kernel of no buffer. */
	other = open("/dev/vaal", O_RDWR);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, ioctl(other, VAAL_IOC_KERNEL_REGISTER, &kr));
	ASSERT_EQ(0, rt_init(&ring2, other, 4, 0, 0));
	rt_launch(&ring2, kr.id, 6, &arg, 0, NULL, NULL, 0);
	rt_launch(&ring2, kr.id, 7, &arg, 0, NULL, NULL, 0);
	ASSERT_EQ(2, rt_submit(&ring2, 0));
	p = calloc(1, sizeof(*p));
	ASSERT_NE(NULL, p);

	/* A pull of the 0.7 size is answered in that size. */
	p->size = VAAL_CTRL_PULL_SIZE_VER1;
	p->ctx_id = 0x5a5a;
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_PULL, p));
	EXPECT_EQ(VAAL_CTRL_PULL_SIZE_VER1, p->size);
	EXPECT_EQ(0x5a5a, p->ctx_id);
	ASSERT_EQ(0, complete(self->ctrl, p->token));

	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	ASSERT_EQ(0, ioctl(self->ctrl, VAAL_IOC_CTRL_PULL, p));
	EXPECT_EQ(fdinfo_ctx_id(other), p->ctx_id);
	EXPECT_NE(self->pull.ctx_id, p->ctx_id);
	EXPECT_EQ(0, complete(self->ctrl, p->token));
	free(p);
	close(other);
}

TEST_HARNESS_MAIN
