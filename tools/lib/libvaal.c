// SPDX-License-Identifier: GPL-2.0
/*
 * libvaal.c - user-space library for /dev/vaal
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "libvaal.h"

/**
 * vaal_open - open a context on the VAAL device
 * @path: device node, or NULL for /dev/vaal
 *
 * Return: a file descriptor, or a negative errno.
 */
int vaal_open(const char *path)
{
	int fd = open(path ? path : VAAL_DEFAULT_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * vaal_query - ask the device what it offers
 * @fd: a context
 * @q: filled on success
 *
 * Return: 0 or a negative errno.
 */
int vaal_query(int fd, struct vaal_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	return ioctl(fd, VAAL_IOC_QUERY, q) ? -errno : 0;
}

static int vaal_buf_new(int fd, __u32 flags, int memfd, __u64 length,
			struct vaal_buffer *buf)
{
	struct vaal_buf_create req = {
		.size = sizeof(req),
		.flags = flags,
		.length = length,
		.memfd = memfd,
	};

	if (ioctl(fd, VAAL_IOC_BUF_CREATE, &req))
		return -errno;
	buf->handle = req.handle;
	buf->mmap_offset = req.mmap_offset;
	buf->length = (length + getpagesize() - 1) & ~(__u64)(getpagesize() - 1);
	buf->map = NULL;
	return 0;
}

/**
 * vaal_buf_create - a new zeroed buffer, charged to the caller's memcg
 * @fd: a context
 * @length: bytes (rounded up to pages)
 * @buf: filled on success; not mapped
 *
 * Return: 0 or a negative errno (-ENOSPC: the context's allowance is used).
 */
int vaal_buf_create(int fd, __u64 length, struct vaal_buffer *buf)
{
	return vaal_buf_new(fd, 0, 0, length, buf);
}

/**
 * vaal_buf_import - a buffer sharing the first @length bytes of a memfd
 * @fd: a context
 * @memfd: the memfd, open read-write
 * @length: bytes (rounded up to pages; the memfd must be that long)
 * @buf: filled on success; not mapped
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_import(int fd, int memfd, __u64 length, struct vaal_buffer *buf)
{
	return vaal_buf_new(fd, VAAL_BUF_IMPORT, memfd, length, buf);
}

/**
 * vaal_buf_map - map a buffer shared, read-write, into @buf->map
 * @fd: the buffer's context
 * @buf: the buffer
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_map(int fd, struct vaal_buffer *buf)
{
	void *p = mmap(NULL, buf->length, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, buf->mmap_offset);

	if (p == MAP_FAILED)
		return -errno;
	buf->map = p;
	return 0;
}

/**
 * vaal_buf_destroy - unmap a buffer and drop its handle
 * @fd: the buffer's context
 * @buf: the buffer
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_destroy(int fd, struct vaal_buffer *buf)
{
	struct vaal_buf_destroy req = {
		.size = sizeof(req),
		.handle = buf->handle,
	};

	if (buf->map) {
		munmap(buf->map, buf->length);
		buf->map = NULL;
	}
	return ioctl(fd, VAAL_IOC_BUF_DESTROY, &req) ? -errno : 0;
}

/**
 * vaal_kernel_register - register a kernel with a context
 * @fd: the context
 * @class: accelerator class ("cpu", "crypto", ...)
 * @name: function name
 * @arg_mode: %VAAL_ARG_* of each buffer argument
 * @nr_args: entries in @arg_mode
 * @scalar_bytes: bytes of scalar arguments a launch passes
 * @blob: code blob, or NULL
 * @blob_len: bytes at @blob
 * @id: the kernel's id on success
 *
 * Return: 0 or a negative errno (-ENAMETOOLONG for a name or class that
 * does not fit the ABI, before asking the kernel).
 */
int vaal_kernel_register(int fd, const char *class, const char *name,
			 const __u8 *arg_mode, unsigned int nr_args,
			 unsigned int scalar_bytes, const void *blob,
			 size_t blob_len, __u32 *id)
{
	struct vaal_kernel_register req;

	memset(&req, 0, sizeof(req));
	if (strlen(class) >= sizeof(req.class) || strlen(name) >= sizeof(req.name))
		return -ENAMETOOLONG;
	if (nr_args > VAAL_MAX_ARGS || blob_len > UINT32_MAX)
		return -EINVAL;
	req.size = sizeof(req);
	memcpy(req.class, class, strlen(class));
	memcpy(req.name, name, strlen(name));
	req.nr_args = nr_args;
	req.scalar_bytes = scalar_bytes;
	if (nr_args)
		memcpy(req.arg_mode, arg_mode, nr_args);
	req.blob_len = blob_len;
	req.blob_addr = (__u64)(uintptr_t)blob;
	if (ioctl(fd, VAAL_IOC_KERNEL_REGISTER, &req))
		return -errno;
	*id = req.id;
	return 0;
}

/**
 * vaal_kernel_unregister - withdraw a kernel
 * @fd: the context
 * @id: the kernel's id
 *
 * Return: 0 or a negative errno.
 */
int vaal_kernel_unregister(int fd, __u32 id)
{
	struct vaal_kernel_unregister req = { .size = sizeof(req), .id = id };

	return ioctl(fd, VAAL_IOC_KERNEL_UNREGISTER, &req) ? -errno : 0;
}
