// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_buf_test.c - /dev/vaal buffers: create, mmap, import from a memfd,
 * destroy; the per-context allowance; isolation between contexts; bad
 * arguments; and the memory cgroup the pages are charged to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"

#define PARAM_DIR	"/sys/module/vaal_core/parameters/"
#define MIB		(1ULL << 20)




/* In a guest, /dev/vaal is vaal_pci's: its limits are its mdev type's. */
#define IN_A_GUEST	"a guest's /dev/vaal: no vaal_core parameters to set"

FIXTURE(buf) {
	int fd;
	int host;
	long long max_bytes;
	long long max_bufs;
};

FIXTURE_SETUP(buf)
{
	struct vaal_query q;

	self->fd = vaal_open(NULL);
	ASSERT_LE(0, self->fd);
	self->host = !access(PARAM_DIR, F_OK);
	if (self->host) {
		self->max_bytes = vcore_read_ll(PARAM_DIR "max_buffer_bytes");
		self->max_bufs = vcore_read_ll(PARAM_DIR "max_buffers");
	} else {
		ASSERT_EQ(0, vaal_query(self->fd, &q));
		self->max_bytes = q.max_buffer_bytes;
		self->max_bufs = q.max_buffers;
	}
	ASSERT_LT(0, self->max_bytes);
	ASSERT_LT(0, self->max_bufs);
}

FIXTURE_TEARDOWN(buf)
{
	close(self->fd);
	if (!self->host)
		return;
	vcore_write_ll(PARAM_DIR "max_buffer_bytes", self->max_bytes);
	vcore_write_ll(PARAM_DIR "max_buffers", self->max_bufs);
}

TEST_F(buf, query_reports_limits)
{
	struct vaal_query q;

	if (!self->host)
		SKIP(return, IN_A_GUEST);

	ASSERT_EQ(0, vaal_query(self->fd, &q));
	EXPECT_TRUE(q.features & VAAL_FEAT_BUFFERS);
	EXPECT_EQ(self->max_bytes, q.max_buffer_bytes);
	EXPECT_EQ(self->max_bufs, q.max_buffers);
}

/* A new buffer is zeroed, keeps what is written, and can be remapped. */
TEST_F(buf, create_map_write_remap)
{
	struct vaal_buffer b;
	unsigned char *p;
	size_t i, nonzero = 0;

	ASSERT_EQ(0, vaal_buf_create(self->fd, MIB + 1, &b));
	EXPECT_NE(0, b.handle);
	EXPECT_EQ(MIB + getpagesize(), b.length);
	ASSERT_EQ(0, vaal_buf_map(self->fd, &b));
	p = b.map;
	for (i = 0; i < b.length; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(0, nonzero);
	for (i = 0; i < b.length; i++)
		p[i] = i * 7;
	ASSERT_EQ(0, munmap(b.map, b.length));
	ASSERT_EQ(0, vaal_buf_map(self->fd, &b));
	p = b.map;
	for (i = 0; i < b.length; i++)
		nonzero += p[i] != (unsigned char)(i * 7);
	EXPECT_EQ(0, nonzero);
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
}

TEST_F(buf, handles_are_distinct)
{
	struct vaal_buffer a, b;

	ASSERT_EQ(0, vaal_buf_create(self->fd, 4096, &a));
	ASSERT_EQ(0, vaal_buf_create(self->fd, 4096, &b));
	EXPECT_NE(a.handle, b.handle);
	EXPECT_NE(a.mmap_offset, b.mmap_offset);
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &a));
	EXPECT_EQ(-ENOENT, vaal_buf_destroy(self->fd, &a));
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
}

/* The first pages of a memfd, shared both ways. */
TEST_F(buf, import_memfd)
{
	int memfd = memfd_create("vaal_test", MFD_CLOEXEC);
	struct vaal_buffer b;
	char text[16] = "";

	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, 2 * getpagesize()));
	ASSERT_EQ(5, pwrite(memfd, "hello", 5, 100));
	ASSERT_EQ(0, vaal_buf_import(self->fd, memfd, 2 * getpagesize(), &b));
	ASSERT_EQ(0, vaal_buf_map(self->fd, &b));
	EXPECT_EQ(0, memcmp((char *)b.map + 100, "hello", 5));
	memcpy((char *)b.map + 4000, "world", 5);
	ASSERT_EQ(5, pread(memfd, text, 5, 4000));
	EXPECT_STREQ("world", text);
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
	close(memfd);
}

TEST_F(buf, import_rejects_bad_files)
{
	int memfd = memfd_create("vaal_test", MFD_CLOEXEC), ro, nul;
	struct vaal_buffer b;
	char path[64];

	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, 4096));
	EXPECT_EQ(-EBADF, vaal_buf_import(self->fd, 9999, 4096, &b));
	nul = open("/dev/null", O_RDWR);
	ASSERT_LE(0, nul);
	EXPECT_EQ(-EINVAL, vaal_buf_import(self->fd, nul, 4096, &b));
	EXPECT_EQ(-EINVAL, vaal_buf_import(self->fd, memfd, 8192, &b));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	ro = open(path, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EACCES, vaal_buf_import(self->fd, ro, 4096, &b));
	close(ro);
	close(nul);
	close(memfd);
}

TEST_F(buf, create_rejects_bad_arguments)
{
	struct vaal_buf_create req;
	struct vaal_buf_destroy dreq;
	struct vaal_buffer b;

	EXPECT_EQ(-EINVAL, vaal_buf_create(self->fd, 0, &b));
	EXPECT_EQ(-E2BIG, vaal_buf_create(self->fd, 8ULL << 30, &b));

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.length = 4096;
	req.flags = 1U << 31;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_CREATE, &req));
	EXPECT_EQ(EINVAL, errno);
	req.flags = 0;
	req.memfd = 3;		/* a memfd without VAAL_BUF_IMPORT */
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_CREATE, &req));
	EXPECT_EQ(EINVAL, errno);
	req.memfd = 0;
	req.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_CREATE, &req));
	EXPECT_EQ(EINVAL, errno);
	req.reserved[1] = 0;
	req.size = 8;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_CREATE, &req));
	EXPECT_EQ(EINVAL, errno);

	memset(&dreq, 0, sizeof(dreq));
	dreq.size = sizeof(dreq);
	dreq.handle = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_DESTROY, &dreq));
	EXPECT_EQ(ENOENT, errno);
	dreq.reserved0 = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VAAL_IOC_BUF_DESTROY, &dreq));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(buf, mmap_rejects_bad_requests)
{
	struct vaal_buffer b;
	void *p;

	ASSERT_EQ(0, vaal_buf_create(self->fd, 4096, &b));
	/* Private, past the end, at an offset inside, of an unknown handle. */
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self->fd, b.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, self->fd, b.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, b.mmap_offset + 4096);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, b.mmap_offset << 4);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
}

/* Another context sees none of this one's buffers. */
TEST_F(buf, contexts_are_isolated)
{
	struct vaal_buffer b, other;
	int fd2 = vaal_open(NULL);
	void *p;

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, vaal_buf_create(self->fd, 4096, &b));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, b.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	other = b;
	EXPECT_EQ(-ENOENT, vaal_buf_destroy(fd2, &other));
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
	close(fd2);
}

/*
 * The allowance holds the bytes until the last user lets go: a destroyed
 * buffer that is still mapped still counts.
 */
TEST_F(buf, allowance_counts_until_unmapped)
{
	struct vaal_buffer a, b, c;

	if (!self->host)
		SKIP(return, IN_A_GUEST);
	ASSERT_EQ(0, vcore_write_ll(PARAM_DIR "max_buffer_bytes", 2 * MIB));
	ASSERT_EQ(0, vaal_buf_create(self->fd, MIB, &a));
	ASSERT_EQ(0, vaal_buf_create(self->fd, MIB, &b));
	EXPECT_EQ(-ENOSPC, vaal_buf_create(self->fd, 4096, &c));

	ASSERT_EQ(0, vaal_buf_map(self->fd, &a));
	memset(a.map, 0x5a, a.length);
	{
		void *map = a.map;

		a.map = NULL;	/* destroy the handle, keep the mapping */
		ASSERT_EQ(0, vaal_buf_destroy(self->fd, &a));
		EXPECT_EQ(0x5a, ((unsigned char *)map)[a.length - 1]);
		EXPECT_EQ(-ENOSPC, vaal_buf_create(self->fd, 4096, &c));
		ASSERT_EQ(0, munmap(map, a.length));
	}
	EXPECT_EQ(0, vaal_buf_create(self->fd, 4096, &c));
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &c));
	EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b));
}

TEST_F(buf, buffer_count_limit)
{
	struct vaal_buffer b[4];
	int i;

	if (!self->host)
		SKIP(return, IN_A_GUEST);
	ASSERT_EQ(0, vcore_write_ll(PARAM_DIR "max_buffers", 3));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vaal_buf_create(self->fd, 4096, &b[i]));
	EXPECT_EQ(-ENOSPC, vaal_buf_create(self->fd, 4096, &b[3]));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, vaal_buf_destroy(self->fd, &b[i]));
}

/* Closing the context frees buffers it still holds (kmemleak watches). */
TEST_F(buf, close_frees_buffers)
{
	struct vaal_buffer b;
	int fd2 = vaal_open(NULL), i;

	ASSERT_LE(0, fd2);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, vaal_buf_create(fd2, 64 * 1024, &b));
	ASSERT_EQ(0, vaal_buf_map(fd2, &b));
	close(fd2);		/* the mapping keeps the context alive */
	memset(b.map, 1, b.length);
	EXPECT_EQ(0, munmap(b.map, b.length));
}

#define CG	"/sys/fs/cgroup/vaal_buf_test"

/* Pages of a new buffer are charged to the creator's memory cgroup. */
TEST(charged_to_creator_memcg)
{
	long long before, during, after;
	int to_parent[2], to_child[2], status;
	char c;
	pid_t pid;

	if (access("/sys/fs/cgroup/cgroup.subtree_control", W_OK))
		SKIP(return, "no writable cgroup v2 hierarchy");
	ASSERT_EQ(0, vcore_write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory"));
	rmdir(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vaal_buffer b;
		int fd;

		if (vcore_write_ll(CG "/cgroup.procs", getpid()))
			_exit(10);
		fd = vaal_open(NULL);
		if (fd < 0 || vaal_buf_create(fd, 16 * MIB, &b))
			_exit(11);
		if (write(to_parent[1], "c", 1) != 1)	/* created */
			_exit(12);
		if (read(to_child[0], &c, 1) != 1)	/* measured */
			_exit(13);
		_exit(vaal_buf_destroy(fd, &b) ? 14 : 0);
	}
	before = vcore_read_ll(CG "/memory.current");
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	during = vcore_read_ll(CG "/memory.current");
	ASSERT_EQ(1, write(to_child[1], "m", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	after = vcore_read_ll(CG "/memory.current");
	TH_LOG("memory.current: before %lld, with 16 MiB buffer %lld, after %lld",
	       before, during, after);
	EXPECT_LE(16 * (long long)MIB, during - before);
	EXPECT_GT(16 * (long long)MIB, after - before);
	rmdir(CG);
}

TEST_HARNESS_MAIN
