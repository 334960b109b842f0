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
#define VAAL_ABI_MINOR		3

/* Feature bits reported in &vaal_query.features. */

/* A scheduling policy module (vcore_sched) can plug into the core. */
#define VAAL_FEAT_SCHED_PLUGIN	(1ULL << 0)

/* Buffers: VAAL_IOC_BUF_CREATE, VAAL_IOC_BUF_DESTROY, mmap. */
#define VAAL_FEAT_BUFFERS	(1ULL << 1)

/* Kernels: VAAL_IOC_KERNEL_REGISTER, VAAL_IOC_KERNEL_UNREGISTER. */
#define VAAL_FEAT_KERNELS	(1ULL << 2)

#define VAAL_FEATURES_ALL	(VAAL_FEAT_SCHED_PLUGIN | VAAL_FEAT_BUFFERS | \
				 VAAL_FEAT_KERNELS)

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
 * @max_kernels: out: kernels one context may register at most (module
 *	parameter)
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
	__u32 max_kernels;
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

/* Limits of a kernel's signature. */
#define VAAL_MAX_ARGS		8	/* buffer arguments */
#define VAAL_MAX_SCALAR_BYTES	64	/* scalar argument bytes */
#define VAAL_NAME_LEN		32	/* kernel names, NUL included */
#define VAAL_CLASS_LEN		16	/* accelerator class names, NUL included */

/* Access modes of a buffer argument: &vaal_kernel_register.arg_mode. */
#define VAAL_ARG_IN		1	/* read */
#define VAAL_ARG_OUT		2	/* written */
#define VAAL_ARG_INOUT		3	/* read and written */

/**
 * struct vaal_kernel_register - register a kernel, %VAAL_IOC_KERNEL_REGISTER
 * @size: in: sizeof(struct vaal_kernel_register) as the caller knows it; at
 *	least %VAAL_KERNEL_REGISTER_SIZE_VER0
 * @flags: in: must be zero
 * @class: in: accelerator class the kernel runs on ("cpu", "crypto", ...),
 *	NUL-terminated: lower-case letters, digits, '_' and '-'
 * @name: in: the function: a built-in kernel of the class's controllers,
 *	or the entry point of @blob_addr's code; NUL-terminated printable
 *	ASCII without spaces; unique among the context's kernels of @class
 * @nr_args: in: buffer arguments a launch passes, at most %VAAL_MAX_ARGS
 * @scalar_bytes: in: bytes of scalar arguments a launch passes, at most
 *	%VAAL_MAX_SCALAR_BYTES
 * @arg_mode: in: %VAAL_ARG_IN, %VAAL_ARG_OUT or %VAAL_ARG_INOUT for each of
 *	the first @nr_args buffer arguments; the rest must be zero
 * @blob_len: in: bytes of code at @blob_addr (PTX, SPIR-V, OpenCL C, ...
 *	for controllers that load code), 0 for none; at most the
 *	max_blob_bytes module parameter
 * @reserved0: in: must be zero
 * @blob_addr: in: user address of the code blob, or 0
 * @id: out: the kernel's id in this context, never zero
 * @reserved1: in: must be zero
 * @reserved: in: must be zero
 *
 * The kernel is the context's own: another context cannot launch it.
 */
struct vaal_kernel_register {
	__u32 size;
	__u32 flags;
	char class[VAAL_CLASS_LEN];
	char name[VAAL_NAME_LEN];
	__u32 nr_args;
	__u32 scalar_bytes;
	__u8 arg_mode[VAAL_MAX_ARGS];
	__u32 blob_len;
	__u32 reserved0;
	__u64 blob_addr;
	__u32 id;
	__u32 reserved1;
	__u64 reserved[2];
};

#define VAAL_KERNEL_REGISTER_SIZE_VER0	112

/**
 * struct vaal_kernel_unregister - %VAAL_IOC_KERNEL_UNREGISTER
 * @size: in: sizeof(struct vaal_kernel_unregister) as the caller knows it
 * @flags: in: must be zero
 * @id: in: the kernel's id
 * @reserved0: in: must be zero
 * @reserved: in: must be zero
 *
 * Launches already submitted still run; new ones naming @id are refused.
 */
struct vaal_kernel_unregister {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 reserved0;
	__u64 reserved[2];
};

#define VAAL_KERNEL_UNREGISTER_SIZE_VER0	32

/**
 * struct vaal_cqe - a completion, as posted in the completion ring
 * @user_data: the &user_data of the submission it completes
 * @res: 0 or a negative errno: the kernel's own error, -ECANCELED when a
 *	kernel it depends on failed, -ETIMEDOUT past its deadline, ...
 * @flags: %VAAL_CQE_* flags
 * @device_ns: time the work held a unit of its accelerator, in ns
 * @controller: id of the controller that ran it, 0 for none
 * @reserved: zero
 */
struct vaal_cqe {
	__u64 user_data;
	__s32 res;
	__u32 flags;
	__u64 device_ns;
	__u32 controller;
	__u32 reserved;
};

#define VAAL_IOC_MAGIC		0xBA

#define VAAL_IOC_QUERY		_IOWR(VAAL_IOC_MAGIC, 0x00, struct vaal_query)
#define VAAL_IOC_BUF_CREATE	_IOWR(VAAL_IOC_MAGIC, 0x01, struct vaal_buf_create)
#define VAAL_IOC_BUF_DESTROY	_IOW(VAAL_IOC_MAGIC, 0x02, struct vaal_buf_destroy)
#define VAAL_IOC_KERNEL_REGISTER	\
	_IOWR(VAAL_IOC_MAGIC, 0x03, struct vaal_kernel_register)
#define VAAL_IOC_KERNEL_UNREGISTER	\
	_IOW(VAAL_IOC_MAGIC, 0x04, struct vaal_kernel_unregister)

#endif /* _UAPI_LINUX_VAAL_H */
