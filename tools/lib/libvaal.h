/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvaal.h - user-space library for /dev/vaal
 *
 * Functions return 0 or a negative errno, as the kernel does; they never
 * print.
 */
#ifndef _LIBVAAL_H
#define _LIBVAAL_H

#include <linux/vaal.h>

#define VAAL_DEFAULT_PATH	"/dev/" VAAL_DEVICE_NAME

#include <stddef.h>

int vaal_open(const char *path);
int vaal_query(int fd, struct vaal_query *q);

/**
 * struct vaal_buffer - a buffer as libvaal hands it out
 * @handle: the buffer's handle in its context
 * @length: bytes, whole pages
 * @mmap_offset: where mmap() finds it on the context's file
 * @map: the buffer mapped shared read-write, or NULL
 */
struct vaal_buffer {
	__u32 handle;
	__u64 length;
	__u64 mmap_offset;
	void *map;
};

int vaal_buf_create(int fd, __u64 length, struct vaal_buffer *buf);
int vaal_buf_import(int fd, int memfd, __u64 length, struct vaal_buffer *buf);
int vaal_buf_map(int fd, struct vaal_buffer *buf);
int vaal_buf_destroy(int fd, struct vaal_buffer *buf);

int vaal_kernel_register(int fd, const char *class, const char *name,
			 const __u8 *arg_mode, unsigned int nr_args,
			 unsigned int scalar_bytes, const void *blob,
			 size_t blob_len, __u32 *id);
int vaal_kernel_unregister(int fd, __u32 id);

#endif /* _LIBVAAL_H */
