// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_example.c - a tour of what a /dev/vaal context offers today, through
 * libvaal: buffers (new and imported from a memfd, mapped, charged to the
 * caller's memory cgroup) and kernels registered at run time.  The demo
 * runs it; it is also the shortest libvaal program to start from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/libvaal.h"

static long long memcg_current(void)
{
	char line[512], path[600];
	long long v = -1;
	FILE *f = fopen("/proc/self/cgroup", "r");

	if (!f)
		return -1;
	/* cgroup v2: "0::/path" */
	if (fgets(line, sizeof(line), f) && !strncmp(line, "0::", 3)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.current",
			 line + 3);
		fclose(f);
		f = fopen(path, "r");
		if (f && fscanf(f, "%lld", &v) != 1)
			v = -1;
	}
	if (f)
		fclose(f);
	return v;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "vaal_example: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(void)
{
	static const __u8 mm[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	struct vaal_buffer b, shared;
	long long before, after;
	int fd, memfd, ret;
	__u32 id;

	fd = vaal_open(NULL);
	if (fd < 0)
		return fail("open /dev/vaal", fd);

	before = memcg_current();
	ret = vaal_buf_create(fd, 8 << 20, &b);
	if (ret)
		return fail("create an 8 MiB buffer", ret);
	after = memcg_current();
	printf("buffer %u: %llu bytes, mmap offset 0x%llx\n", b.handle,
	       (unsigned long long)b.length, (unsigned long long)b.mmap_offset);
	if (before >= 0)
		printf("memory.current of our cgroup grew by %lld KiB\n",
		       (after - before) >> 10);
	else
		printf("(not in a memory cgroup of its own: charge not shown)\n");
	ret = vaal_buf_map(fd, &b);
	if (ret)
		return fail("map it", ret);
	snprintf(b.map, b.length, "%s", "written through the mapping");
	printf("buffer %u mapped at %p: \"%s\"\n", b.handle, b.map, (char *)b.map);

	memfd = memfd_create("vaal_example", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, 4096) ||
	    pwrite(memfd, "from the memfd", 15, 0) != 15)
		return fail("make a memfd", -errno);
	ret = vaal_buf_import(fd, memfd, 4096, &shared);
	if (!ret)
		ret = vaal_buf_map(fd, &shared);
	if (ret)
		return fail("import the memfd", ret);
	printf("buffer %u imported from a memfd: \"%s\"\n", shared.handle,
	       (char *)shared.map);

	ret = vaal_kernel_register(fd, "cpu", "matmul_i32", mm, 3, 12, NULL, 0, &id);
	if (ret)
		return fail("register cpu/matmul_i32", ret);
	printf("kernel %u: cpu/matmul_i32 (in A, in B, out C; m, n, k)\n", id);
	ret = vaal_kernel_register(fd, "cpu", "matmul_i32", mm, 3, 12, NULL, 0, &id);
	printf("registering it twice: %s\n", strerror(-ret));
	ret = vaal_kernel_register(fd, "CPU", "x", mm, 3, 12, NULL, 0, &id);
	printf("registering for class \"CPU\": %s\n", strerror(-ret));

	vaal_buf_destroy(fd, &shared);
	vaal_buf_destroy(fd, &b);
	close(memfd);
	close(fd);
	if (before >= 0)
		printf("after closing: memory.current %+lld KiB from the start\n",
		       (memcg_current() - before) >> 10);
	return 0;
}
