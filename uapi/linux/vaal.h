/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vaal.h - user-space ABI of the V-Core Virtualized Accelerator Abstraction
 * Layer (/dev/vaal).
 *
 * Every argument structure starts with its own size, so that the kernel and
 * user space can grow it independently: fields the kernel does not know must
 * be zero (-E2BIG otherwise), fields user space does not know are not copied
 * back.  Reserved fields and unknown flags are rejected with -EINVAL.
 */
#ifndef _UAPI_LINUX_VAAL_H
#define _UAPI_LINUX_VAAL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VAAL_DEVICE_NAME	"vaal"

/*
 * ABI version: the major number changes when the ABI breaks, the minor one
 * when it grows compatibly.
 */
#define VAAL_ABI_MAJOR		0
#define VAAL_ABI_MINOR		2

/* Feature bits reported in &vaal_query.features. */

/* A scheduling policy module (vcore_sched) can plug into the core. */
#define VAAL_FEAT_SCHED_PLUGIN	(1ULL << 0)

/* Buffers: VAAL_IOC_BUF_CREATE, VAAL_IOC_BUF_DESTROY, mmap. */
#define VAAL_FEAT_BUFFERS	(1ULL << 1)

#define VAAL_FEATURES_ALL	(VAAL_FEAT_SCHED_PLUGIN | VAAL_FEAT_BUFFERS)

/**
 * struct vaal_query - what the device offers, filled by %VAAL_IOC_QUERY
 * @size: in: sizeof(struct vaal_query) as the caller knows it; at least
 *	%VAAL_QUERY_SIZE_VER0
 * @flags: in: must be zero
 * @abi_major: out: %VAAL_ABI_MAJOR of the running module
 * @abi_minor: out: %VAAL_ABI_MINOR of the running module
 * @nr_contexts: out: contexts (open files of the device) now alive
 * @features: out: %VAAL_FEAT_* bits the running module supports
 * @max_contexts: out: contexts the module admits at most (module parameter)
 * @nr_sched_policies: out: scheduling policies registered with the core
 * @max_buffer_bytes: out: buffer memory one context may hold at most, in
 *	bytes (module parameter)
 * @max_buffers: out: buffers one context may hold at most (module parameter)
 * @reserved0: in: must be zero; out: zero
 * @reserved: in: must be zero; out: zero
 */
struct vaal_query {
	__u32 size;
	__u32 flags;
	__u16 abi_major;
	__u16 abi_minor;
	__u32 nr_contexts;
	__u64 features;
	__u32 max_contexts;
	__u32 nr_sched_policies;
	__u64 max_buffer_bytes;
	__u32 max_buffers;
	__u32 reserved0;
	__u64 reserved[2];
};

#define VAAL_QUERY_SIZE_VER0	64	/* sizeof first published struct */

/* Flags of &vaal_buf_create.flags. */

/* Share the pages of the memfd in @memfd instead of allocating new ones. */
#define VAAL_BUF_IMPORT		(1U << 0)

#define VAAL_BUF_FLAGS_ALL	(VAAL_BUF_IMPORT)

/**
 * struct vaal_buf_create - create a buffer, %VAAL_IOC_BUF_CREATE
 * @size: in: sizeof(struct vaal_buf_create) as the caller knows it; at
 *	least %VAAL_BUF_CREATE_SIZE_VER0
 * @flags: in: %VAAL_BUF_* flags
 * @length: in: bytes, from 1 to the context's remaining allowance (see
 *	&vaal_query.max_buffer_bytes); rounded up to whole pages.  With
 *	%VAAL_BUF_IMPORT, the first @length bytes of the memfd, which must be
 *	at least that long
 * @memfd: in: with %VAAL_BUF_IMPORT a memfd (or other shmem file) open for
 *	reading and writing; otherwise must be zero
 * @handle: out: the buffer's handle in this context, never zero
 * @mmap_offset: out: the offset to pass to mmap() on the context's file
 *	to map the buffer (whole, shared, read and/or write)
 * @reserved: in: must be zero; out: zero
 *
 * New buffers are zeroed, and their memory is charged to the memory cgroup
 * of the creating task.  An imported buffer shares the memfd's pages, which
 * stay charged where they already are.
 */
struct vaal_buf_create {
	__u32 size;
	__u32 flags;
	__u64 length;
	__s32 memfd;
	__u32 handle;
	__u64 mmap_offset;
	__u64 reserved[2];
};

#define VAAL_BUF_CREATE_SIZE_VER0	48

/**
 * struct vaal_buf_destroy - drop a buffer's handle, %VAAL_IOC_BUF_DESTROY
 * @size: in: sizeof(struct vaal_buf_destroy) as the caller knows it
 * @flags: in: must be zero
 * @handle: in: the buffer's handle
 * @reserved0: in: must be zero
 * @reserved: in: must be zero
 *
 * The memory is freed, and uncharged from the context's allowance, once no
 * mapping and no in-flight kernel uses the buffer any more.
 */
struct vaal_buf_destroy {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 reserved0;
	__u64 reserved[2];
};

#define VAAL_BUF_DESTROY_SIZE_VER0	32

#define VAAL_IOC_MAGIC		0xBA

#define VAAL_IOC_QUERY		_IOWR(VAAL_IOC_MAGIC, 0x00, struct vaal_query)
#define VAAL_IOC_BUF_CREATE	_IOWR(VAAL_IOC_MAGIC, 0x01, struct vaal_buf_create)
#define VAAL_IOC_BUF_DESTROY	_IOW(VAAL_IOC_MAGIC, 0x02, struct vaal_buf_destroy)

#endif /* _UAPI_LINUX_VAAL_H */
