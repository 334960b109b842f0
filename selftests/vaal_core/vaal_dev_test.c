// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_dev_test.c - /dev/vaal: the device node, the query ioctl and its
 * argument checking, the context limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"

#define MAX_CONTEXTS_PARAM "/sys/module/vaal_core/parameters/max_contexts"
#define MAX_USER_CONTEXTS_PARAM \
	"/sys/module/vaal_core/parameters/max_user_contexts"

FIXTURE(vaal) {
	int fd;
};

FIXTURE_SETUP(vaal)
{
	self->fd = vaal_open(NULL);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VAAL_DEFAULT_PATH,
				      strerror(-self->fd));
}

FIXTURE_TEARDOWN(vaal)
{
	close(self->fd);
}

TEST(device_node_is_0660_misc)
{
	struct stat st;

	ASSERT_EQ(0, stat(VAAL_DEFAULT_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(10, major(st.st_rdev));	/* MISC_MAJOR */
	EXPECT_EQ(0660, st.st_mode & 07777);
}

/* Mode 0660 root:root: an unprivileged user must not get a context. */
TEST(unprivileged_open_refused)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(vaal_open(NULL) == -EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(vaal, query_reports_abi)
{
	struct vaal_query q;

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_EQ(sizeof(q), q.size);
	EXPECT_EQ(VAAL_ABI_MAJOR, q.abi_major);
	EXPECT_EQ(VAAL_ABI_MINOR, q.abi_minor);
	EXPECT_EQ(0, q.features & ~VAAL_FEATURES_ALL);
	EXPECT_LE(1, q.nr_contexts);
	EXPECT_LE(q.nr_contexts, q.max_contexts);
	EXPECT_EQ(0, q.flags);
}

/* vcore_sched is loaded by the harness and registers itself. */
TEST_F(vaal, query_counts_sched_plugin)
{
	struct vaal_query q;

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_TRUE(q.features & VAAL_FEAT_SCHED_PLUGIN);
	EXPECT_EQ(1, q.nr_sched_policies);
}

TEST_F(vaal, query_rejects_unknown_flags)
{
	struct vaal_query q = { .size = sizeof(q), .flags = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY, &q));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vaal, query_rejects_reserved)
{
	struct vaal_query q = { .size = sizeof(q) };

	q.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY, &q));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vaal, query_rejects_short_size)
{
	struct vaal_query q = { .size = VAAL_QUERY_SIZE_VER0 - 8 };

	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY, &q));
	EXPECT_EQ(EINVAL, errno);
}

/* A newer user space may pass a larger struct: a zero tail is fine. */
TEST_F(vaal, query_accepts_larger_zero_tail)
{
	union {
		struct vaal_query q;
		char bytes[256];
	} u;

	memset(&u, 0, sizeof(u));
	u.q.size = sizeof(u);
	ASSERT_EQ(0, ioctl(self->fd, VAAL_IOC_QUERY, &u));
	EXPECT_EQ(sizeof(struct vaal_query), u.q.size);
	EXPECT_EQ(VAAL_ABI_MAJOR, u.q.abi_major);
}

/* ... but a field this kernel does not know must not be silently dropped. */
TEST_F(vaal, query_rejects_nonzero_tail)
{
	union {
		struct vaal_query q;
		char bytes[256];
	} u;

	memset(&u, 0, sizeof(u));
	u.q.size = sizeof(u);
	u.bytes[200] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY, &u));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(vaal, query_bad_pointer)
{
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(vaal, unknown_ioctl)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(VAAL_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
}


/* Contexts are bounded by max_contexts; a freed one can be reused. */
TEST_F(vaal, context_limit)
{
	struct vaal_query q;
	int fds[4], i, fd;
	__u32 old;

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	ASSERT_EQ(1, q.nr_contexts) TH_LOG("another context is open");
	old = q.max_contexts;
	ASSERT_EQ(0, vcore_write_ll(MAX_CONTEXTS_PARAM, 1 + ARRAY_SIZE(fds)));

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		fds[i] = vaal_open(NULL);
		EXPECT_LE(0, fds[i]);
	}
	fd = vaal_open(NULL);
	EXPECT_EQ(-EMFILE, fd);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_EQ(1 + ARRAY_SIZE(fds), q.nr_contexts);

	close(fds[0]);
	fds[0] = vaal_open(NULL);
	EXPECT_LE(0, fds[0]);

	for (i = 0; i < ARRAY_SIZE(fds); i++)
		close(fds[i]);
	ASSERT_EQ(0, vcore_write_ll(MAX_CONTEXTS_PARAM, old));
	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_EQ(1, q.nr_contexts);
	EXPECT_EQ(old, q.max_contexts);
}

/*
 * One user cannot hold more than max_user_contexts (-EDQUOT), and that
 * leaves the others theirs: a second user (gid 0 reaches the 0660 node)
 * still opens contexts, counted apart.
 */
TEST_F(vaal, user_context_limit)
{
	struct vaal_query q;
	int fds[3], i, fd, status;
	__u32 old;
	pid_t pid;

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	ASSERT_EQ(1, q.nr_user_contexts) TH_LOG("another context of root is open");
	old = q.max_user_contexts;
	EXPECT_EQ(256, old);
	ASSERT_EQ(0, vcore_write_ll(MAX_USER_CONTEXTS_PARAM, 1 + ARRAY_SIZE(fds)));

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		fds[i] = vaal_open(NULL);
		EXPECT_LE(0, fds[i]);
	}
	fd = vaal_open(NULL);
	EXPECT_EQ(-EDQUOT, fd);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_EQ(1 + ARRAY_SIZE(fds), q.nr_user_contexts);
	EXPECT_EQ(1 + ARRAY_SIZE(fds), q.max_user_contexts);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vaal_query cq;
		int a, b;

		if (setresuid(1000, 1000, 1000))
			_exit(2);
		a = vaal_open(NULL);
		b = vaal_open(NULL);
		if (a < 0 || b < 0 || vaal_query(a, &cq))
			_exit(3);
		_exit(cq.nr_user_contexts == 2 ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	close(fds[0]);
	fds[0] = vaal_open(NULL);
	EXPECT_LE(0, fds[0]);
	for (i = 0; i < ARRAY_SIZE(fds); i++)
		close(fds[i]);
	ASSERT_EQ(0, vcore_write_ll(MAX_USER_CONTEXTS_PARAM, old));
	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_EQ(1, q.nr_user_contexts);
}

static int query_ctrls(int fd, struct vaal_query_controllers *q, __u32 count,
		       __u32 entry_size, void *addr)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->count = count;
	q->entry_size = entry_size;
	q->addr = (unsigned long)addr;
	return ioctl(fd, VAAL_IOC_QUERY_CONTROLLERS, q) ? -errno : 0;
}

/* The controllers, and so the classes served, as the query lists them. */
TEST_F(vaal, query_controllers)
{
	struct vaal_controller_info info[16];
	struct { struct vaal_controller_info i; __u64 more; } big[16];
	struct vaal_query_controllers q;
	struct vaal_query vq;
	int i, cpu = 0, crypto = 0;
	__u32 n;

	ASSERT_EQ(0, vaal_query(self->fd, &vq));
	ASSERT_EQ(0, query_ctrls(self->fd, &q, 0, sizeof(info[0]), NULL));
	n = q.count;
	EXPECT_EQ(vq.nr_controllers, n);
	ASSERT_LE(2, n);	/* the suite's cpu0 and crypto0 */
	ASSERT_GE(16, n);
	ASSERT_EQ(0, query_ctrls(self->fd, &q, 16, sizeof(info[0]), info));
	EXPECT_EQ(n, q.count);
	for (i = 0; i < n; i++) {
		EXPECT_NE(0, info[i].id);
		EXPECT_LE(1, info[i].nr_units);
		cpu += !strcmp(info[i].name, "cpu0") && !strcmp(info[i].class, "cpu");
		crypto += !strcmp(info[i].name, "crypto0") &&
			  !strcmp(info[i].class, "crypto");
	}
	EXPECT_EQ(1, cpu);
	EXPECT_EQ(1, crypto);
	/* Short of room: one written, the total told. */
	memset(info, 0xff, sizeof(info));
	ASSERT_EQ(0, query_ctrls(self->fd, &q, 1, sizeof(info[0]), info));
	EXPECT_EQ(n, q.count);
	EXPECT_NE(0, info[0].id);
	EXPECT_EQ(0xffffffff, info[1].id);
	/* A longer entry than the kernel knows: the tail comes back zero. */
	memset(big, 0xff, sizeof(big));
	ASSERT_EQ(0, query_ctrls(self->fd, &q, 16, sizeof(big[0]), big));
	EXPECT_EQ(0, big[0].more);
	EXPECT_EQ(0, memcmp(&big[0].i, &info[0], sizeof(info[0])));

	EXPECT_EQ(-EINVAL, query_ctrls(self->fd, &q, 1, sizeof(info[0]), NULL));
	EXPECT_EQ(-EINVAL, query_ctrls(self->fd, &q, 1, 8, info));
	EXPECT_EQ(-EFAULT, query_ctrls(self->fd, &q, 16, sizeof(info[0]),
				       (void *)8));
	q.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_QUERY_CONTROLLERS, &q));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
