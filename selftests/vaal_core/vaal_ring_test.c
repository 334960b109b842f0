// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ring_test.c - the rings: set up, every refusal of SETUP and ENTER,
 * NOP and BARRIER round trips, malformed submissions completing with
 * their errno, completion ring overflow without loss, the in-flight bound,
 * timeouts, poll, fdinfo and the forked child.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"
#include "vaal_ring_util.h"

#define PARAM_DIR	"/sys/module/vaal_core/parameters/"

TEST(setup_refusals)
{
	struct vaal_setup p;
	int fd = vaal_open(NULL);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, rt_setup(fd, 0, 0, 0, &p));
	EXPECT_EQ(-EINVAL, rt_setup(fd, VAAL_MAX_SQ_ENTRIES + 1, 0, 0, &p));
	EXPECT_EQ(-EINVAL, rt_setup(fd, 8, 4, 0, &p));	/* cq < sq */
	EXPECT_EQ(-EINVAL, rt_setup(fd, 8, VAAL_MAX_CQ_ENTRIES + 1, 0, &p));
	EXPECT_EQ(-EINVAL, rt_setup(fd, 8, 0, 0x80000000, &p));
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.sq_entries = 8;
	p.reserved = 1;
	EXPECT_EQ(-1, ioctl(fd, VAAL_IOC_SETUP, &p));
	EXPECT_EQ(EINVAL, errno);
	p.reserved = 0;
	p.size = VAAL_SETUP_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(fd, VAAL_IOC_SETUP, &p));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing before set up. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(EBADFD, errno);

	ASSERT_EQ(0, rt_setup(fd, 5, 0, 0, &p));
	EXPECT_EQ(8, p.sq_entries);	/* rounded up */
	EXPECT_EQ(16, p.cq_entries);	/* twice */
	EXPECT_LT(0, p.max_inflight);
	EXPECT_EQ(0, p.ring_bytes % 4096);
	EXPECT_EQ(VAAL_RINGS_MMAP_OFFSET, p.mmap_offset);
	EXPECT_EQ(-EBUSY, rt_setup(fd, 8, 0, 0, &p));
	close(fd);
}

TEST(enter_refusals)
{
	struct vaal_enter e = { .size = sizeof(e) };
	struct rt_ring r;
	int fd = vaal_open(NULL);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, VAAL_IOC_ENTER, &e));
	EXPECT_EQ(EBADFD, errno);
	ASSERT_EQ(0, rt_init(&r, fd, 4, 8, 0));
	EXPECT_EQ(-EINVAL, rt_enter(&r, 5, 0, 0, 0));		/* > ring */
	EXPECT_EQ(-EINVAL, rt_enter(&r, 0, 9, VAAL_ENTER_GETEVENTS, 0));
	EXPECT_EQ(-EINVAL, rt_enter(&r, 0, 1, 0, 0));		/* no GETEVENTS */
	EXPECT_EQ(-EINVAL, rt_enter(&r, 0, 0, 0, 5));		/* no TIMEOUT */
	EXPECT_EQ(-EINVAL, rt_enter(&r, 0, 0, 0x100, 0));
	e.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(fd, VAAL_IOC_ENTER, &e));
	EXPECT_EQ(EINVAL, errno);
	/* A tail more than the ring ahead of head is garbage. */
	*r.sq_tail = 5;
	EXPECT_EQ(-EINVAL, rt_enter(&r, 4, 0, 0, 0));
	*r.sq_tail = (__u32)-1;
	EXPECT_EQ(-EINVAL, rt_enter(&r, 4, 0, 0, 0));
	*r.sq_tail = 0;
	/* Nothing queued: nothing consumed. */
	EXPECT_EQ(0, rt_enter(&r, 4, 0, 0, 0));
	/* Waiting for nothing returns; waiting on an empty ring times out. */
	EXPECT_EQ(0, rt_enter(&r, 0, 0, VAAL_ENTER_GETEVENTS, 0));
	EXPECT_EQ(-ETIME, rt_enter(&r, 0, 1, VAAL_ENTER_GETEVENTS |
				   VAAL_ENTER_TIMEOUT, 20000000));
	close(fd);
}

TEST(nop_round_trip)
{
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), i, round;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, 0));
	/* Several laps, so that the indices wrap the rings. */
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 8; i++)
			rt_nop(&r, 100 * round + i);
		ASSERT_EQ(8, rt_submit(&r, 8));
		EXPECT_EQ(8, rt_ready(&r));
		for (i = 0; i < 8; i++) {
			ASSERT_TRUE(rt_reap(&r, &cqe));
			EXPECT_EQ(100 * round + i, cqe.user_data);
			EXPECT_EQ(0, cqe.res);
			EXPECT_EQ(0, cqe.controller);
		}
	}
	EXPECT_EQ(40, *r.sq_head);
	EXPECT_EQ(0, *r.sq_dropped);
	/* A barrier completes too, after what came before it. */
	rt_nop(&r, 1);
	rt_sqe(&r)->opcode = VAAL_OP_BARRIER;
	rt_nop(&r, 3);
	ASSERT_EQ(3, rt_submit(&r, 3));
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(rt_reap(&r, &cqe));
		EXPECT_EQ(0, cqe.res);
	}
	close(fd);
}

/* One submission's completion. */
static int one(struct rt_ring *r, struct vaal_cqe *cqe)
{
	int ret = rt_submit(r, 1);

	if (ret != 1)
		return ret < 0 ? ret : -1000;
	return rt_reap(r, cqe) ? cqe->res : -1001;
}

TEST(malformed_submissions)
{
	static const __u8 io[2] = { VAAL_ARG_IN, VAAL_ARG_OUT };
	struct vaal_sqe_arg args[2] = { { 0 } };
	struct vaal_buffer a, b;
	struct vaal_sqe *sqe;
	struct vaal_cqe cqe;
	struct rt_ring r;
	__u32 id, other;
	int fd = vaal_open(NULL);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, 0));
	ASSERT_EQ(0, vaal_buf_create(fd, 8192, &a));
	ASSERT_EQ(0, vaal_buf_create(fd, 4096, &b));
	ASSERT_EQ(0, vaal_kernel_register(fd, "nosuchclass", "copy", io, 2, 0,
					  NULL, 0, &id));
	ASSERT_EQ(0, vaal_kernel_register(fd, "nosuchclass", "scaled", io, 2, 8,
					  NULL, 0, &other));

	rt_sqe(&r)->opcode = VAAL_OP_LAST + 1;
	EXPECT_EQ(-EINVAL, one(&r, &cqe));
	rt_sqe(&r)->flags = 1;
	EXPECT_EQ(-EINVAL, one(&r, &cqe));
	rt_sqe(&r)->payload[47] = 1;			/* NOP with payload */
	EXPECT_EQ(-EINVAL, one(&r, &cqe));
	sqe = rt_sqe(&r);
	sqe->opcode = VAAL_OP_BARRIER;
	sqe->kernel = 1;
	EXPECT_EQ(-EINVAL, one(&r, &cqe));

	args[0] = (struct vaal_sqe_arg){ .handle = a.handle };
	args[1] = (struct vaal_sqe_arg){ .handle = b.handle };
	rt_launch(&r, 999, 7, args, 2, io, NULL, 0);
	EXPECT_EQ(-ENOENT, one(&r, &cqe));
	EXPECT_EQ(7, cqe.user_data);
	rt_launch(&r, id, 0, args, 1, io, NULL, 0);	/* too few args */
	EXPECT_EQ(-EINVAL, one(&r, &cqe));
	rt_launch(&r, other, 0, args, 2, io, NULL, 0);	/* no scalars */
	EXPECT_EQ(-EINVAL, one(&r, &cqe));
	rt_launch(&r, id, 0, args, 2, (const __u8[]){ VAAL_ARG_IN, VAAL_ARG_IN },
		  NULL, 0);				/* wrong modes */
	EXPECT_EQ(-EINVAL, one(&r, &cqe));

	args[1].handle = 12345;
	rt_launch(&r, id, 0, args, 2, io, NULL, 0);
	EXPECT_EQ(-EBADF, one(&r, &cqe));
	args[1] = (struct vaal_sqe_arg){ .handle = b.handle, .offset = 4096 };
	rt_launch(&r, id, 0, args, 2, io, NULL, 0);
	EXPECT_EQ(-EFAULT, one(&r, &cqe));
	args[1] = (struct vaal_sqe_arg){ .handle = b.handle, .offset = 1,
					 .length = 4096 };
	rt_launch(&r, id, 0, args, 2, io, NULL, 0);
	EXPECT_EQ(-EFAULT, one(&r, &cqe));
	args[1] = (struct vaal_sqe_arg){ .handle = b.handle,
					 .offset = 0xffffffffffff0000ULL,
					 .length = 0x10000 };
	rt_launch(&r, id, 0, args, 2, io, NULL, 0);
	EXPECT_EQ(-EFAULT, one(&r, &cqe));
	EXPECT_EQ(12, *r.sq_dropped);

	/* Well formed, but no controller serves the class. */
	args[1] = (struct vaal_sqe_arg){ .handle = b.handle, .length = 16 };
	rt_launch(&r, id, 0, args, 2, io, NULL, 0);
	EXPECT_EQ(-ENODEV, one(&r, &cqe));
	EXPECT_EQ(12, *r.sq_dropped);
	close(fd);
}

TEST(launch_cut_short)
{
	static const __u8 modes[8] = { 1, 1, 1, 1, 1, 1, 1, 2 };
	struct vaal_sqe_arg args[8];
	__u8 scalars[64] = { 1 };
	struct vaal_buffer a;
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), i;
	__u32 id;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, 0));
	ASSERT_EQ(0, vaal_buf_create(fd, 4096, &a));
	ASSERT_EQ(0, vaal_kernel_register(fd, "nosuchclass", "wide", modes, 8,
					  64, NULL, 0, &id));
	for (i = 0; i < 8; i++)
		args[i] = (struct vaal_sqe_arg){ .handle = a.handle };
	/* 8 args and 64 scalar bytes take 4 entries; offer 3 of them. */
	ASSERT_EQ(4, VAAL_SQE_SLOTS(8, 64));
	rt_launch(&r, id, 5, args, 8, modes, scalars, 64);
	__atomic_store_n(r.sq_tail, r.tail, __ATOMIC_RELEASE);
	EXPECT_EQ(-EINVAL, rt_enter(&r, 3, 0, 0, 0));
	EXPECT_EQ(0, *r.sq_head);
	/* Whole, it is consumed (and fails later: no controller). */
	EXPECT_EQ(1, rt_enter(&r, 4, 1, VAAL_ENTER_GETEVENTS, 0));
	EXPECT_EQ(4, *r.sq_head);
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(5, cqe.user_data);
	EXPECT_EQ(-ENODEV, cqe.res);
	close(fd);
}

TEST(cq_overflow_keeps_order)
{
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 4, 4, 0));
	for (i = 0; i < 12; i++) {
		rt_nop(&r, i);
		if (i % 4 == 3)
			ASSERT_EQ(4, rt_submit(&r, 0));
	}
	EXPECT_EQ(4, rt_ready(&r));
	EXPECT_EQ(8, *r.cq_overflow);
	for (i = 0; i < 12; i++) {
		if (!rt_ready(&r))	/* room made: the parked ones move on */
			ASSERT_EQ(0, rt_enter(&r, 0, 1, VAAL_ENTER_GETEVENTS, 0));
		ASSERT_TRUE(rt_reap(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
	}
	EXPECT_EQ(0, rt_ready(&r));
	close(fd);
}

TEST(inflight_bound)
{
	long long old = vcore_read_ll(PARAM_DIR "max_inflight");
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vcore_write_ll(PARAM_DIR "max_inflight", 4));
	ASSERT_EQ(0, rt_init(&r, fd, 4, 4, 0));
	vcore_write_ll(PARAM_DIR "max_inflight", old);
	EXPECT_EQ(4, r.p.max_inflight);
	/* Four fill the ring, four wait parked: in flight until reaped. */
	for (i = 0; i < 8; i++) {
		rt_nop(&r, i);
		if (i % 4 == 3)
			ASSERT_EQ(4, rt_submit(&r, 0));
	}
	rt_nop(&r, 8);
	EXPECT_EQ(-EBUSY, rt_submit(&r, 0));
	for (i = 0; i < 4; i++)
		ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(1, rt_submit(&r, 0));	/* the flush made room */
	for (i = 4; i < 9; i++) {
		if (!rt_ready(&r))
			ASSERT_EQ(0, rt_enter(&r, 0, 1, VAAL_ENTER_GETEVENTS, 0));
		ASSERT_TRUE(rt_reap(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
	}
	close(fd);
}

TEST(poll_and_fdinfo)
{
	struct rt_ring r;
	struct pollfd pfd;
	char path[64], info[4096];
	int fd = vaal_open(NULL), ifd;
	ssize_t n;

	ASSERT_LE(0, fd);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));		/* not set up */
	EXPECT_TRUE(pfd.revents & POLLERR);
	ASSERT_EQ(0, rt_init(&r, fd, 4, 0, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	rt_nop(&r, 1);
	rt_nop(&r, 2);
	ASSERT_EQ(2, rt_submit(&r, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLIN);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ifd = open(path, O_RDONLY);
	ASSERT_LE(0, ifd);
	n = read(ifd, info, sizeof(info) - 1);
	ASSERT_LT(0, n);
	info[n] = 0;
	close(ifd);
	EXPECT_NE(NULL, strstr(info, "vaal-submitted:\t2\n")) TH_LOG("%s", info);
	EXPECT_NE(NULL, strstr(info, "vaal-completed:\t2\n"));
	EXPECT_NE(NULL, strstr(info, "vaal-inflight:\t0\n"));
	close(fd);
}

TEST(forked_child_refused)
{
	struct vaal_buffer buf;
	struct rt_ring r;
	int fd = vaal_open(NULL), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 4, 0, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vaal_query q = { .size = sizeof(q) };

		rt_nop(&r, 1);
		if (rt_submit(&r, 0) != -EIO)
			_exit(1);
		if (vaal_buf_create(fd, 4096, &buf) != -EIO)
			_exit(2);
		if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) != MAP_FAILED ||
		    errno != EIO)
			_exit(3);
		/* Looking is allowed. */
		_exit(ioctl(fd, VAAL_IOC_QUERY, &q) ? 4 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's context is untouched. */
	EXPECT_EQ(0, *r.sq_head);
	rt_nop(&r, 2);
	EXPECT_EQ(1, rt_submit(&r, 1));
	close(fd);
}

static int sqpoll_setup(int fd, __u32 flags, __u32 cpu, __u32 idle_ms,
			struct vaal_setup *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->sq_entries = 8;
	p->flags = VAAL_SETUP_SQPOLL | flags;
	p->sq_cpu = cpu;
	p->sq_idle_ms = idle_ms;
	return ioctl(fd, VAAL_IOC_SETUP, p) ? -errno : 0;
}

/* Wait up to two seconds for @n completions, without a system call. */
static int spin_for(struct rt_ring *r, __u32 n)
{
	int i;

	for (i = 0; i < 2000 && rt_ready(r) < n; i++)
		usleep(1000);
	return rt_ready(r) >= n;
}

TEST(sqpoll_refusals)
{
	struct vaal_setup p;
	struct rt_ring r;
	int fd = vaal_open(NULL), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, rt_setup(fd, 8, 0, VAAL_SETUP_SQ_AFF, &p));
	EXPECT_EQ(-EINVAL, sqpoll_setup(fd, VAAL_SETUP_SQ_AFF, 99999, 10, &p));
	EXPECT_EQ(-EINVAL, sqpoll_setup(fd, 0, 1, 10, &p));	/* cpu, no AFF */
	EXPECT_EQ(-EINVAL, sqpoll_setup(fd, 0, 0, VAAL_MAX_SQ_IDLE_MS + 1, &p));
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.sq_entries = 8;
	p.sq_idle_ms = 10;					/* no SQPOLL */
	EXPECT_EQ(-1, ioctl(fd, VAAL_IOC_SETUP, &p));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, 0));
	EXPECT_EQ(-EINVAL, rt_enter(&r, 0, 0, VAAL_ENTER_SQ_WAKEUP, 0));
	close(fd);

	/* Without CAP_SYS_NICE, no polling thread. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			_exit(1);
		d[0].effective &= ~(1U << CAP_SYS_NICE);
		if (syscall(SYS_capset, &h, d))
			_exit(2);
		fd = vaal_open(NULL);
		_exit(sqpoll_setup(fd, 0, 0, 10, &p) == -EPERM ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(sqpoll_submits_without_system_calls)
{
	struct vaal_cqe cqe;
	struct rt_ring r;
	int fd = vaal_open(NULL), i;

	ASSERT_LE(0, fd);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, sqpoll_setup(fd, VAAL_SETUP_SQ_AFF, 0, 20, &r.p));
	ASSERT_EQ(0, rt_map(&r, fd));
	EXPECT_EQ(-EINVAL, rt_enter(&r, 1, 0, 0, 0));	/* the thread submits */

	for (i = 0; i < 4; i++)
		rt_nop(&r, i);
	__atomic_store_n(r.sq_tail, r.tail, __ATOMIC_RELEASE);
	ASSERT_TRUE(spin_for(&r, 4));
	for (i = 0; i < 4; i++) {
		ASSERT_TRUE(rt_reap(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
	}

	/* Idle past sq_idle_ms: it sleeps and says so. */
	usleep(300000);
	EXPECT_EQ(VAAL_SQ_NEED_WAKEUP,
		  __atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE));
	rt_nop(&r, 10);
	rt_nop(&r, 11);
	__atomic_store_n(r.sq_tail, r.tail, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (*r.sq_flags & VAAL_SQ_NEED_WAKEUP)
		EXPECT_EQ(0, rt_enter(&r, 0, 2, VAAL_ENTER_SQ_WAKEUP |
				      VAAL_ENTER_GETEVENTS, 0));
	ASSERT_TRUE(spin_for(&r, 2));
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(10, cqe.user_data);
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(11, cqe.user_data);
	/* Closed with the thread awake or asleep: it stops. */
	close(fd);
}

/* The tid of this process's thread named @comm, or 0. */
static pid_t find_thread(const char *comm)
{
	char path[300], name[32] = "";
	struct dirent *de;
	pid_t tid = 0;
	DIR *d = opendir("/proc/self/task");

	while (d && !tid && (de = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 de->d_name);
		f = fopen(path, "r");
		if (f && fgets(name, sizeof(name), f) && !strncmp(name, comm,
								  strlen(comm)))
			tid = atoi(de->d_name);
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return tid;
}

/*
 * The polling thread is a thread of the process that set the ring up, in
 * its cgroups (CFS charges its time there), until the context goes.
 */
TEST(sqpoll_thread_of_the_owner)
{
	char comm[32], path[64], own[256] = "", its[256] = "";
	struct rt_ring r;
	pid_t tid;
	FILE *f;
	int fd = vaal_open(NULL);

	ASSERT_LE(0, fd);
	snprintf(comm, sizeof(comm), "vaal-sqp-%d", getpid());
	EXPECT_EQ(0, find_thread(comm));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, sqpoll_setup(fd, 0, 0, 20, &r.p));
	tid = find_thread(comm);
	ASSERT_LT(0, tid);
	f = fopen("/proc/self/cgroup", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(own, sizeof(own), f));
	fclose(f);
	snprintf(path, sizeof(path), "/proc/self/task/%d/cgroup", tid);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(its, sizeof(its), f));
	fclose(f);
	EXPECT_STREQ(own, its);
	close(fd);
	EXPECT_EQ(0, find_thread(comm));
}

TEST_HARNESS_MAIN
