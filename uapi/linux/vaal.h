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
#define VAAL_ABI_MINOR		8

/* Feature bits reported in &vaal_query.features. */

/* A scheduling policy module (vcore_sched) can plug into the core. */
#define VAAL_FEAT_SCHED_PLUGIN	(1ULL << 0)

/* Buffers: VAAL_IOC_BUF_CREATE, VAAL_IOC_BUF_DESTROY, mmap. */
#define VAAL_FEAT_BUFFERS	(1ULL << 1)

/* Kernels: VAAL_IOC_KERNEL_REGISTER, VAAL_IOC_KERNEL_UNREGISTER. */
#define VAAL_FEAT_KERNELS	(1ULL << 2)

/* Rings: VAAL_IOC_SETUP, VAAL_IOC_ENTER, struct vaal_sqe, struct vaal_cqe. */
#define VAAL_FEAT_RINGS		(1ULL << 3)

/* Controllers: the in-kernel controller API and the sysfs listing. */
#define VAAL_FEAT_CONTROLLERS	(1ULL << 4)

/* User-space controllers: VAAL_IOC_CTRL_REGISTER, _PULL, _COMPLETE. */
#define VAAL_FEAT_USER_CONTROLLERS	(1ULL << 5)

/* Scheduling attributes of a context: VAAL_IOC_SCHED_SET, _GET. */
#define VAAL_FEAT_SCHED_ATTR	(1ULL << 6)

/*
 * Controllers that load code (ABI 0.7): launch geometry
 * (%VAAL_SQE_GEOMETRY), kernel keys, %VAAL_IOC_CTRL_BLOB, retired keys
 * (%VAAL_PULL_GONE), work deadlines, and kernel logs (%VAAL_COMPLETE_LOG,
 * %VAAL_IOC_KERNEL_LOG).
 */
#define VAAL_FEAT_CODE_LOADING	(1ULL << 7)

/*
 * A user-space controller's pull names the context the work belongs to
 * (&vaal_ctrl_pull.ctx_id, ABI 0.8), so that a controller that loads code
 * can keep a device context per vaal context.
 */
#define VAAL_FEAT_CTRL_CTX_ID	(1ULL << 8)

#define VAAL_FEATURES_ALL	(VAAL_FEAT_SCHED_PLUGIN | VAAL_FEAT_BUFFERS | \
				 VAAL_FEAT_KERNELS | VAAL_FEAT_RINGS | \
				 VAAL_FEAT_CONTROLLERS | \
				 VAAL_FEAT_USER_CONTROLLERS | \
				 VAAL_FEAT_SCHED_ATTR | \
				 VAAL_FEAT_CODE_LOADING | \
				 VAAL_FEAT_CTRL_CTX_ID)

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
 * @nr_controllers: out: controllers registered now, all classes
 * @max_inflight: out: submissions one context may have in flight at most,
 *	from submission until their completion is in the completion ring
 *	(module parameter, read when the context is set up)
 * @reserved: in: must be zero; out: zero
 * @max_user_contexts: out: contexts one user (effective uid) may hold at
 *	once (module parameter); opening one more fails with -EDQUOT, as
 *	opening one past @max_contexts fails with -EMFILE (ABI 0.6)
 * @nr_user_contexts: out: contexts the caller's user holds now, this one
 *	included; a context counts until its work is gone (ABI 0.6)
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
	__u32 nr_controllers;
	__u32 max_inflight;
	__u64 reserved;
	__u32 max_user_contexts;
	__u32 nr_user_contexts;
};

#define VAAL_QUERY_SIZE_VER0	64	/* sizeof first published struct */
#define VAAL_QUERY_SIZE_VER1	72	/* + max_user_contexts, nr_user_contexts */

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
 * @id: out: the kernel's id in this context, from 1 to %VAAL_MAX_KERNEL_ID
 * @reserved1: in: must be zero
 * @timeout_ns: in: the longest a launch of the kernel may hold a unit of
 *	its accelerator; past it the launch completes with -ETIMEDOUT and the
 *	controller is asked to cancel it.  0 for the default, the
 *	default_timeout_ms module parameter; at most %VAAL_MAX_TIMEOUT_NS
 *	(-ERANGE)
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
	__u64 timeout_ns;
	__u64 reserved;
};

#define VAAL_MAX_KERNEL_ID	0xffff	/* ids fit &vaal_sqe.kernel */
#define VAAL_MAX_TIMEOUT_NS	(3600ULL * 1000000000ULL)	/* one hour */

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

/* Flags of &vaal_setup.flags. */

/* Completions retire strictly in submission order (a reorder buffer). */
#define VAAL_SETUP_ORDERED	(1U << 0)

/*
 * A kernel thread polls the submission ring (needs CAP_SYS_NICE): no
 * system call to submit while it is awake; after &vaal_setup.sq_idle_ms
 * without work it sets %VAAL_SQ_NEED_WAKEUP in the ring's flags and
 * sleeps until %VAAL_ENTER_SQ_WAKEUP.
 */
#define VAAL_SETUP_SQPOLL	(1U << 1)

/* With %VAAL_SETUP_SQPOLL: the thread runs on &vaal_setup.sq_cpu only. */
#define VAAL_SETUP_SQ_AFF	(1U << 2)

/*
 * Renaming: a launch whose %VAAL_ARG_OUT (write-only) argument names a
 * buffer that earlier launches still read or write does not wait for them
 * (WAR, WAW): it writes its range into a fresh version of the buffer, and
 * the range is copied into the buffer in program order, once those
 * earlier launches are done.  Later launches and the buffer's mappings see
 * the buffer itself.  Versions count against the context's buffer
 * allowance; without room the launch waits as it would without renaming.
 * One argument per launch is renamed (the first).
 */
#define VAAL_SETUP_RENAME	(1U << 3)

#define VAAL_SETUP_FLAGS_ALL	(VAAL_SETUP_ORDERED | VAAL_SETUP_SQPOLL | \
				 VAAL_SETUP_SQ_AFF | VAAL_SETUP_RENAME)

/* Flags of the submission ring (at &vaal_ring_offsets.flags). */

/* The polling thread sleeps: wake it with %VAAL_ENTER_SQ_WAKEUP. */
#define VAAL_SQ_NEED_WAKEUP	(1U << 0)

/* Longest idle time of a polling thread before it sleeps, in ms. */
#define VAAL_MAX_SQ_IDLE_MS	10000

/* Ring sizes, in entries (rounded up to a power of two). */
#define VAAL_MAX_SQ_ENTRIES	4096
#define VAAL_MAX_CQ_ENTRIES	8192

/* The rings are mapped at this mmap() offset of the context's file. */
#define VAAL_RINGS_MMAP_OFFSET	0ULL

/**
 * struct vaal_ring_offsets - where a ring's parts lie in the rings mapping
 * @head: offset of the __u32 consumer index: the kernel's for the
 *	submission ring (read it with acquire), user space's for the
 *	completion ring (store it with release)
 * @tail: offset of the __u32 producer index: user space's for the
 *	submission ring (store it with release once the entries are
 *	written), the kernel's for the completion ring (read it with acquire)
 * @entries: entries in the ring, a power of two; indices run freely and
 *	wrap at 2^32, the entry of index i is at i & (@entries - 1)
 * @overflow: submission ring: offset of a __u32 that counts submissions
 *	the kernel dropped as malformed; completion ring: offset of a __u32
 *	that counts completions that had to wait for room in the ring
 * @array: offset of the first entry (&struct vaal_sqe or &struct vaal_cqe)
 * @flags: submission ring: offset of a __u32 of %VAAL_SQ_* flags the kernel
 *	sets (read it after a full barrier that follows the store of tail);
 *	completion ring: zero
 * @reserved: zero
 */
struct vaal_ring_offsets {
	__u32 head;
	__u32 tail;
	__u32 entries;
	__u32 overflow;
	__u64 array;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct vaal_setup - set the context's rings up, %VAAL_IOC_SETUP
 * @size: in: sizeof(struct vaal_setup) as the caller knows it; at least
 *	%VAAL_SETUP_SIZE_VER0
 * @flags: in: %VAAL_SETUP_* flags
 * @sq_entries: in: submission ring entries, 1 to %VAAL_MAX_SQ_ENTRIES;
 *	out: the size chosen, a power of two
 * @cq_entries: in: completion ring entries, 0 for twice @sq_entries, else
 *	from @sq_entries to %VAAL_MAX_CQ_ENTRIES; out: the size chosen
 * @max_inflight: out: submissions the context may have in flight
 * @reserved0: in: must be zero
 * @ring_bytes: out: length to pass to mmap() to map both rings
 * @mmap_offset: out: offset to pass to mmap(): %VAAL_RINGS_MMAP_OFFSET
 * @sq_off: out: the submission ring's layout in the mapping
 * @cq_off: out: the completion ring's layout in the mapping
 * @sq_cpu: in: with %VAAL_SETUP_SQ_AFF, the online CPU of the polling
 *	thread; otherwise must be zero
 * @sq_idle_ms: in: with %VAAL_SETUP_SQPOLL, how long the thread polls
 *	without work before it sleeps, 1 to %VAAL_MAX_SQ_IDLE_MS (0 for 1000);
 *	otherwise must be zero
 * @reserved: in: must be zero
 *
 * A context is set up once (-EBUSY after that).  The rings live until the
 * context's file is closed and its last mapping goes.
 */
struct vaal_setup {
	__u32 size;
	__u32 flags;
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 max_inflight;
	__u32 reserved0;
	__u64 ring_bytes;
	__u64 mmap_offset;
	struct vaal_ring_offsets sq_off;
	struct vaal_ring_offsets cq_off;
	__u32 sq_cpu;
	__u32 sq_idle_ms;
	__u64 reserved;
};

#define VAAL_SETUP_SIZE_VER0	120

/* Opcodes of &vaal_sqe.opcode. */
#define VAAL_OP_NOP		0	/* completes with res 0 */
#define VAAL_OP_LAUNCH		1	/* runs a registered kernel */
#define VAAL_OP_BARRIER		2	/* orders all before against all after */
#define VAAL_OP_LAST		VAAL_OP_BARRIER

/**
 * struct vaal_sqe_arg - a buffer argument of a launch
 * @handle: the buffer's handle in the context
 * @length: bytes from @offset, 0 for up to the end of the buffer
 * @offset: first byte; the range must lie inside the buffer
 */
struct vaal_sqe_arg {
	__u32 handle;
	__u32 length;
	__u64 offset;
};

/* Bits of &vaal_sqe.arg_modes for buffer argument i. */
#define VAAL_SQE_ARG_MODE(i, mode)	((__u16)((mode) << (2 * (i))))

/* Bytes of a launch's payload the first entry holds. */
#define VAAL_SQE_INLINE_BYTES	48

/* Flags of &vaal_sqe.flags. */

/*
 * A launch's payload ends with a &struct vaal_launch_geometry, after its
 * scalars (ABI 0.7).  Only with %VAAL_OP_LAUNCH.
 */
#define VAAL_SQE_GEOMETRY	(1U << 0)

#define VAAL_SQE_FLAGS_ALL	(VAAL_SQE_GEOMETRY)

/* Dimensions of a launch's geometry at most. */
#define VAAL_MAX_DIMS		3

/**
 * struct vaal_launch_geometry - the work-items of a launch, for controllers
 *	that load code (ABI 0.7)
 * @dims: dimensions, 1 to %VAAL_MAX_DIMS
 * @flags: must be zero
 * @global: work-items in each dimension (OpenCL's global work size; CUDA's
 *	grid times its block): from 1 in each of the first @dims, zero in
 *	the others
 * @local: work-items of one work-group in each dimension (OpenCL's local
 *	work size, CUDA's block): zero in all of the first @dims to let the
 *	runtime choose, else from 1 in each of them; zero in the others
 * @reserved: must be zero
 *
 * The core checks the shape above (-EINVAL in the launch's completion
 * otherwise) and hands the geometry to a user-space controller with the
 * work (&vaal_ctrl_pull.geometry); whether the device can run it (work
 * sizes that divide, a work-group size the device takes) is the
 * controller's to say, with -EINVAL.  In-kernel controllers ignore it, as
 * does every class whose kernels are not loaded code.  A launch of a
 * code-loading class without geometry runs one work-item.
 */
struct vaal_launch_geometry {
	__u32 dims;
	__u32 flags;
	__u64 global[VAAL_MAX_DIMS];
	__u32 local[VAAL_MAX_DIMS];
	__u32 reserved;
};

#define VAAL_LAUNCH_GEOMETRY_SIZE	48

/**
 * struct vaal_sqe - a submission, as written to the submission ring
 * @opcode: %VAAL_OP_*
 * @flags: %VAAL_SQE_* flags: %VAAL_SQE_GEOMETRY with %VAAL_OP_LAUNCH;
 *	otherwise zero
 * @nr_args: launch: buffer arguments, as many as the kernel's signature
 *	has; otherwise zero
 * @scalar_bytes: launch: bytes of scalar arguments, as many as the
 *	kernel's signature has; otherwise zero
 * @kernel: launch: the kernel's id; otherwise zero
 * @arg_modes: launch: the access mode (%VAAL_ARG_*) of each buffer
 *	argument, 2 bits each, see VAAL_SQE_ARG_MODE(); must equal the
 *	kernel's signature; otherwise zero
 * @user_data: passed back untouched in the completion
 * @args: launch: the buffer arguments, followed by the scalar bytes
 * @payload: the same bytes, raw; zero for %VAAL_OP_NOP and
 *	%VAAL_OP_BARRIER
 *
 * A launch's payload (@nr_args &struct vaal_sqe_arg, then @scalar_bytes,
 * rounded up to 8 bytes, then with %VAAL_SQE_GEOMETRY a &struct
 * vaal_launch_geometry) starts in @args and, when it is longer than
 * %VAAL_SQE_INLINE_BYTES, goes on through the whole of the entries that
 * follow in the ring: VAAL_SQE_LAUNCH_SLOTS() entries in all (VAAL_SQE_SLOTS()
 * without geometry), all of them submitted together.  Bytes past the
 * payload, and between the scalars and the geometry, must be zero.
 */
struct vaal_sqe {
	__u8 opcode;
	__u8 flags;
	__u8 nr_args;
	__u8 scalar_bytes;
	__u16 kernel;
	__u16 arg_modes;
	__u64 user_data;
	union {
		struct vaal_sqe_arg args[VAAL_SQE_INLINE_BYTES /
					 sizeof(struct vaal_sqe_arg)];
		__u8 payload[VAAL_SQE_INLINE_BYTES];
	};
};

/* Bytes of a launch's payload: its arguments, then its scalars. */
#define VAAL_SQE_PAYLOAD_BYTES(nr_args, scalar_bytes)			\
	((nr_args) * sizeof(struct vaal_sqe_arg) + (((scalar_bytes) + 7) & ~7U))

/* Ring entries a launch takes: the first, and the payload that overflows. */
#define VAAL_SQE_SLOTS(nr_args, scalar_bytes)				\
	(1 + (VAAL_SQE_PAYLOAD_BYTES(nr_args, scalar_bytes) >		\
	      VAAL_SQE_INLINE_BYTES ?					\
	      (VAAL_SQE_PAYLOAD_BYTES(nr_args, scalar_bytes) -		\
	       VAAL_SQE_INLINE_BYTES + sizeof(struct vaal_sqe) - 1) /	\
	      sizeof(struct vaal_sqe) : 0))

/*
 * Bytes of a launch's payload with %VAAL_SQE_* @flags: its arguments, its
 * scalars, and its geometry with %VAAL_SQE_GEOMETRY (ABI 0.7).
 */
#define VAAL_SQE_LAUNCH_BYTES(nr_args, scalar_bytes, flags)		\
	(VAAL_SQE_PAYLOAD_BYTES(nr_args, scalar_bytes) +		\
	 ((flags) & VAAL_SQE_GEOMETRY ? VAAL_LAUNCH_GEOMETRY_SIZE : 0))

/* Ring entries a launch with %VAAL_SQE_* @flags takes (ABI 0.7). */
#define VAAL_SQE_LAUNCH_SLOTS(nr_args, scalar_bytes, flags)		\
	(1 + (VAAL_SQE_LAUNCH_BYTES(nr_args, scalar_bytes, flags) >	\
	      VAAL_SQE_INLINE_BYTES ?					\
	      (VAAL_SQE_LAUNCH_BYTES(nr_args, scalar_bytes, flags) -	\
	       VAAL_SQE_INLINE_BYTES + sizeof(struct vaal_sqe) - 1) /	\
	      sizeof(struct vaal_sqe) : 0))

/* Most entries one launch takes, geometry included (4, as before it). */
#define VAAL_SQE_MAX_SLOTS						\
	VAAL_SQE_LAUNCH_SLOTS(VAAL_MAX_ARGS, VAAL_MAX_SCALAR_BYTES,	\
			      VAAL_SQE_GEOMETRY)

/* Flags of &vaal_enter.flags. */

/* Wait until @min_complete completions are in the completion ring. */
#define VAAL_ENTER_GETEVENTS	(1U << 0)

/* Give up waiting after &vaal_enter.timeout_ns (-ETIME). */
#define VAAL_ENTER_TIMEOUT	(1U << 1)

/* Wake the polling thread of a %VAAL_SETUP_SQPOLL context. */
#define VAAL_ENTER_SQ_WAKEUP	(1U << 2)

#define VAAL_ENTER_FLAGS_ALL	(VAAL_ENTER_GETEVENTS | VAAL_ENTER_TIMEOUT | \
				 VAAL_ENTER_SQ_WAKEUP)

/**
 * struct vaal_enter - submit and/or wait, %VAAL_IOC_ENTER
 * @size: in: sizeof(struct vaal_enter) as the caller knows it; at least
 *	%VAAL_ENTER_SIZE_VER0
 * @flags: in: %VAAL_ENTER_* flags
 * @to_submit: in: submission ring entries to consume, at most the ring's
 *	size; fewer when fewer are queued.  Zero in a %VAAL_SETUP_SQPOLL
 *	context, whose thread consumes them
 * @min_complete: in: with %VAAL_ENTER_GETEVENTS, completions to wait for,
 *	at most the completion ring's size; otherwise must be zero
 * @timeout_ns: in: with %VAAL_ENTER_TIMEOUT, the longest to wait, in ns;
 *	otherwise must be zero
 * @reserved: in: must be zero
 *
 * Return (of the ioctl): the number of submissions (not ring entries)
 * consumed.  Each consumed submission posts exactly one completion: a
 * malformed one posts its error (-EINVAL, -ENOENT for an unknown kernel,
 * -EBADF for an unknown buffer, -EFAULT for a range outside its buffer).
 * When nothing was consumed, errors of the call itself: -EINVAL for a
 * tail more than the ring's size ahead of head or a launch cut short by
 * @to_submit, -EBUSY while the context has its most submissions in
 * flight, -ETIME when the wait timed out, -EINTR on a signal, -EBADFD
 * before %VAAL_IOC_SETUP.
 */
struct vaal_enter {
	__u32 size;
	__u32 flags;
	__u32 to_submit;
	__u32 min_complete;
	__u64 timeout_ns;
	__u64 reserved[2];
};

#define VAAL_ENTER_SIZE_VER0	40

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

/**
 * struct vaal_controller_info - a controller, as %VAAL_IOC_QUERY_CONTROLLERS
 *	lists it
 * @id: its id, as completions report it
 * @nr_units: units it runs work on at once
 * @name: its name
 * @class: the accelerator class it serves
 * @reserved: zero
 */
struct vaal_controller_info {
	__u32 id;
	__u32 nr_units;
	char name[VAAL_NAME_LEN];
	char class[VAAL_CLASS_LEN];
	__u64 reserved[2];
};

/**
 * struct vaal_query_controllers - list the controllers (and so the classes
 *	served), %VAAL_IOC_QUERY_CONTROLLERS
 * @size: in: sizeof(struct vaal_query_controllers) as the caller knows it
 * @flags: in: must be zero
 * @count: in: entries of room at @addr; out: controllers registered (more
 *	than were written when the room was short)
 * @entry_size: in: sizeof(struct vaal_controller_info) as the caller knows
 *	it, at least %VAAL_CONTROLLER_INFO_SIZE_VER0
 * @addr: in: user address of the array, or 0 with @count 0 to ask how many
 * @reserved: in: must be zero
 */
struct vaal_query_controllers {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 entry_size;
	__u64 addr;
	__u64 reserved[2];
};

#define VAAL_QUERY_CONTROLLERS_SIZE_VER0	40
#define VAAL_CONTROLLER_INFO_SIZE_VER0		72

/**
 * struct vaal_ctrl_register - make this file the controller of a class,
 *	%VAAL_IOC_CTRL_REGISTER (needs CAP_SYS_ADMIN)
 * @size: in: sizeof(struct vaal_ctrl_register) as the caller knows it; at
 *	least %VAAL_CTRL_REGISTER_SIZE_VER0
 * @flags: in: must be zero
 * @name: in: the controller's name, unique among all controllers:
 *	lower-case letters, digits, '_' and '-', NUL-terminated
 * @class: in: the accelerator class it serves, same characters
 * @nr_units: in: units it runs work on at once, 1 to 256
 * @id: out: its id, as completions report it
 * @reserved: in: must be zero
 *
 * One controller per file (-EBUSY).  Work of the class that is ready is
 * handed to its free units; the process takes it with
 * %VAAL_IOC_CTRL_PULL and gives it back with %VAAL_IOC_CTRL_COMPLETE.
 * When the file is closed (the process exits or crashes), the work it
 * holds goes back to the class's other controllers, or fails with -EIO
 * when there is none.  Work held past its kernel's deadline completes with
 * -ETIMEDOUT; its unit stays taken until the controller completes it.
 */
struct vaal_ctrl_register {
	__u32 size;
	__u32 flags;
	char name[VAAL_NAME_LEN];
	char class[VAAL_CLASS_LEN];
	__u32 nr_units;
	__u32 id;
	__u64 reserved[2];
};

#define VAAL_CTRL_REGISTER_SIZE_VER0	80

/* Flags of &vaal_ctrl_pull.flags. */

/* Do not wait for work: -EAGAIN when there is none. */
#define VAAL_PULL_NONBLOCK	(1U << 0)

/*
 * Report the keys of kernels gone (&vaal_ctrl_pull.gone) and return with
 * them alone when there is no work (ABI 0.7); the structure must be at
 * least %VAAL_CTRL_PULL_SIZE_VER1.
 */
#define VAAL_PULL_GONE		(1U << 1)

#define VAAL_PULL_FLAGS_ALL	(VAAL_PULL_NONBLOCK | VAAL_PULL_GONE)

/* Bits of &vaal_ctrl_pull.events. */
#define VAAL_PULL_EV_WORK	(1U << 0)	/* work is described */
#define VAAL_PULL_EV_GONE	(1U << 1)	/* keys in &vaal_ctrl_pull.gone */

/* Keys one pull reports gone at most. */
#define VAAL_PULL_MAX_GONE	16

/**
 * struct vaal_ctrl_arg - a buffer argument of pulled work
 * @mmap_offset: offset to pass to mmap() on the controller's file to map
 *	the whole buffer, shared; read-only for %VAAL_ARG_IN.  The mapping
 *	shows the buffer of the work the unit holds: once the work is
 *	completed, access to it raises SIGBUS until the unit holds work again
 * @buf_bytes: bytes of the whole buffer (the length to map)
 * @offset: first byte of the argument's range in the buffer
 * @length: bytes of the range
 * @mode: %VAAL_ARG_IN, %VAAL_ARG_OUT or %VAAL_ARG_INOUT
 * @reserved: zero
 */
struct vaal_ctrl_arg {
	__u64 mmap_offset;
	__u64 buf_bytes;
	__u64 offset;
	__u32 length;
	__u8 mode;
	__u8 reserved[3];
};

/**
 * struct vaal_ctrl_pull - take work, %VAAL_IOC_CTRL_PULL
 * @size: in: sizeof(struct vaal_ctrl_pull) as the caller knows it; at least
 *	%VAAL_CTRL_PULL_SIZE_VER0
 * @flags: in: %VAAL_PULL_* flags
 * @token: out: names the work to %VAAL_IOC_CTRL_COMPLETE
 * @unit: out: the unit that holds it
 * @nr_args: out: buffer arguments in @args
 * @name: out: the kernel's name
 * @scalar_bytes: out: bytes in @scalars
 * @blob_len: out: bytes of the kernel's code blob (%VAAL_IOC_CTRL_BLOB
 *	copies it)
 * @args: out: the buffer arguments
 * @scalars: out: the scalar arguments
 * @reserved: in: must be zero
 * @kernel_key: out: the kernel's key: unique among every kernel registered
 *	on the host since vaal_core was loaded, never zero, never reused; a
 *	controller that loads code keeps what it built for the kernel under
 *	it (ABI 0.7)
 * @deadline_ns: out: the CLOCK_MONOTONIC time, in ns, past which the core
 *	completes the work with -ETIMEDOUT; the unit stays taken until the
 *	controller completes it, which it should do as soon as it gave up on
 *	the work (ABI 0.7)
 * @geometry: out: the launch's geometry; all zero (@geometry.dims 0) for a
 *	launch without %VAAL_SQE_GEOMETRY (ABI 0.7)
 * @events: out: %VAAL_PULL_EV_WORK when the fields above describe work;
 *	%VAAL_PULL_EV_GONE when @gone holds keys (ABI 0.7)
 * @nr_gone: out: keys in @gone, at most %VAAL_PULL_MAX_GONE (ABI 0.7)
 * @gone: out: with %VAAL_PULL_GONE, keys of kernels that pulls with
 *	%VAAL_PULL_GONE handed this controller work of and that are gone for
 *	good: unregistered, or their context closed, and no launch of them
 *	left anywhere.  Each is reported once; the controller frees what it
 *	built for them (ABI 0.7)
 * @ctx_id: out: with %VAAL_PULL_EV_WORK, the id of the context the work
 *	belongs to, as its fdinfo names it (vaal-ctx-id): unique among
 *	the contexts opened since vaal_core was loaded, never reused.  Every
 *	kernel belongs to one context, so the context is gone once the keys
 *	of all its kernels it was handed are (ABI 0.8)
 *
 * Waits, interruptibly, until a unit holds work the process has not pulled
 * yet, or, with %VAAL_PULL_GONE, a key is gone; poll() on the file reports
 * either as readable.  Without %VAAL_PULL_GONE every successful pull
 * describes work.
 */
struct vaal_ctrl_pull {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 unit;
	__u32 nr_args;
	char name[VAAL_NAME_LEN];
	__u32 scalar_bytes;
	__u32 blob_len;
	struct vaal_ctrl_arg args[VAAL_MAX_ARGS];
	__u8 scalars[VAAL_MAX_SCALAR_BYTES];
	__u64 reserved[2];
	__u64 kernel_key;
	__u64 deadline_ns;
	struct vaal_launch_geometry geometry;
	__u32 events;
	__u32 nr_gone;
	__u64 gone[VAAL_PULL_MAX_GONE];
	__u64 ctx_id;
};

#define VAAL_CTRL_PULL_SIZE_VER0	400
#define VAAL_CTRL_PULL_SIZE_VER1	600	/* + kernel_key ... gone */
#define VAAL_CTRL_PULL_SIZE_VER2	608	/* + ctx_id */

/* Flags of &vaal_ctrl_complete.flags. */

/* &vaal_ctrl_complete.device_ns holds the time the work used the device. */
#define VAAL_COMPLETE_DEVICE_NS	(1U << 0)

/*
 * &vaal_ctrl_complete.log_addr holds a log for the work's kernel (ABI 0.7):
 * the structure must be at least %VAAL_CTRL_COMPLETE_SIZE_VER1.
 */
#define VAAL_COMPLETE_LOG	(1U << 1)

#define VAAL_COMPLETE_FLAGS_ALL	(VAAL_COMPLETE_DEVICE_NS | VAAL_COMPLETE_LOG)

/* Bytes of a kernel's log at most. */
#define VAAL_KERNEL_LOG_MAX	65536

/**
 * struct vaal_ctrl_complete - give work back, %VAAL_IOC_CTRL_COMPLETE
 * @size: in: sizeof(struct vaal_ctrl_complete) as the caller knows it
 * @flags: in: %VAAL_COMPLETE_* flags
 * @token: in: from %VAAL_IOC_CTRL_PULL
 * @res: in: 0 or a negative errno, for the submitter's completion
 * @reserved0: in: must be zero
 * @device_ns: in: with %VAAL_COMPLETE_DEVICE_NS, the time the work used the
 *	device, as the controller measured it (a CPU thread's run time, a
 *	GPU's or an OpenCL runtime's event timestamps); the context is
 *	charged it and its completion reports it, at most the time the unit
 *	held the work.  Without the flag, the unit's time holding it.  Must
 *	be zero without the flag (ABI 0.6)
 * @reserved: in: must be zero
 * @log_addr: in: with %VAAL_COMPLETE_LOG, the user address of @log_len
 *	bytes of text the work's kernel keeps as its log, in place of the one
 *	it had (a build log, why the kernel's signature does not fit its
 *	code, ...); its context reads it with %VAAL_IOC_KERNEL_LOG.  Must be
 *	zero without the flag (ABI 0.7)
 * @log_len: in: with %VAAL_COMPLETE_LOG, bytes at @log_addr, at most
 *	%VAAL_KERNEL_LOG_MAX, 0 to drop the log; must be zero without the
 *	flag (ABI 0.7)
 * @reserved1: in: must be zero
 *
 * -ENOENT for a token the controller does not hold (completed already, or
 * never pulled).  The log is the kernel's before the completion is posted.
 */
struct vaal_ctrl_complete {
	__u32 size;
	__u32 flags;
	__u64 token;
	__s32 res;
	__u32 reserved0;
	__u64 device_ns;
	__u64 reserved;
	__u64 log_addr;
	__u32 log_len;
	__u32 reserved1;
};

#define VAAL_CTRL_COMPLETE_SIZE_VER0	40
#define VAAL_CTRL_COMPLETE_SIZE_VER1	56	/* + log_addr, log_len */

/**
 * struct vaal_ctrl_blob - copy the code blob of held work's kernel,
 *	%VAAL_IOC_CTRL_BLOB (ABI 0.7)
 * @size: in: sizeof(struct vaal_ctrl_blob) as the caller knows it
 * @flags: in: must be zero
 * @token: in: work the controller holds, from %VAAL_IOC_CTRL_PULL
 * @addr: in: user address of @room bytes
 * @room: in: bytes at @addr
 * @blob_len: out: bytes of the blob (&vaal_ctrl_pull.blob_len)
 * @kernel_key: out: the kernel's key (&vaal_ctrl_pull.kernel_key)
 * @reserved: in: must be zero
 *
 * A controller sees the code of the kernels it runs, and no other: it
 * fetches a kernel's blob once, with work of it in hand, and keeps what it
 * built under the kernel's key.  -ENOENT for a token the controller does
 * not hold, -ENOSPC (with @blob_len written) when @room is short: nothing
 * is copied then.
 */
struct vaal_ctrl_blob {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 addr;
	__u32 room;
	__u32 blob_len;
	__u64 kernel_key;
	__u64 reserved[2];
};

#define VAAL_CTRL_BLOB_SIZE_VER0	56

/**
 * struct vaal_kernel_log - read a kernel's log, %VAAL_IOC_KERNEL_LOG
 *	(ABI 0.7)
 * @size: in: sizeof(struct vaal_kernel_log) as the caller knows it
 * @flags: in: must be zero
 * @id: in: the kernel's id in the context
 * @log_len: out: bytes of the log, 0 for none
 * @addr: in: user address of @room bytes, or 0 with @room 0 to ask the
 *	length
 * @room: in: bytes at @addr; the first min(@room, @log_len) bytes of the
 *	log are copied
 * @controller: out: id of the controller that wrote the log, 0 for none
 * @kernel_key: out: the kernel's key, as its controllers know it
 *	(&vaal_ctrl_pull.kernel_key)
 * @reserved: in: must be zero
 *
 * A controller that loads code attaches a log to a kernel when it
 * completes a launch of it (%VAAL_COMPLETE_LOG): the build log of the
 * kernel's program - which fails the launch with -EINVAL when the code
 * does not build - why the kernel's signature does not fit the code, ...
 * The log is text, not NUL-terminated, at most %VAAL_KERNEL_LOG_MAX bytes;
 * it is there once the launch's completion is posted, until the next one
 * replaces it or the kernel is unregistered.  -ENOENT for an id the
 * context has no kernel of.
 */
struct vaal_kernel_log {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 log_len;
	__u64 addr;
	__u32 room;
	__u32 controller;
	__u64 kernel_key;
	__u64 reserved[2];
};

#define VAAL_KERNEL_LOG_SIZE_VER0	56

/* Flags of &vaal_sched_attr.flags for %VAAL_IOC_SCHED_SET. */

/* Set the reservation: @budget_ns per @period_ns, or none when both are 0. */
#define VAAL_SCHED_RESERVE	(1U << 0)

/* Set the units the context may use: @units, or any when 0. */
#define VAAL_SCHED_UNITS	(1U << 1)

#define VAAL_SCHED_FLAGS_ALL	(VAAL_SCHED_RESERVE | VAAL_SCHED_UNITS)

/* Bounds of a reservation's period. */
#define VAAL_SCHED_MIN_PERIOD_NS	100000ULL	/* 100 us */
#define VAAL_SCHED_MAX_PERIOD_NS	10000000000ULL	/* 10 s */

/* Why %VAAL_IOC_SCHED_SET refused (&vaal_sched_attr.reason), with its errno. */
#define VAAL_SCHED_OK		0	/* accepted */
#define VAAL_SCHED_ENOCLASS	1	/* -ENOENT: no controller made the class known */
#define VAAL_SCHED_ENOPOLICY	2	/* -EOPNOTSUPP: the class's policy takes no attributes */
#define VAAL_SCHED_EPERIOD	3	/* -EINVAL: period out of bounds */
#define VAAL_SCHED_EBUDGET	4	/* -EINVAL: budget zero or above the period */
#define VAAL_SCHED_EOVERLOAD	5	/* -EBUSY: the class's real-time limit would be exceeded */
#define VAAL_SCHED_EUNITS	6	/* -EINVAL: units the class does not have */
#define VAAL_SCHED_ENOMEM	7	/* -ENOMEM */
#define VAAL_SCHED_EPERM	8	/* -EPERM: a reservation needs CAP_SYS_NICE */

/**
 * struct vaal_sched_attr - a context's scheduling attributes on one
 *	accelerator class, %VAAL_IOC_SCHED_SET and %VAAL_IOC_SCHED_GET
 * @size: in: sizeof(struct vaal_sched_attr) as the caller knows it; at
 *	least %VAAL_SCHED_ATTR_SIZE_VER0
 * @flags: in: %VAAL_SCHED_* flags saying what SET changes; zero for GET
 * @class: in: the accelerator class, NUL-terminated
 * @budget_ns: in (%VAAL_SCHED_RESERVE) / out: device time reserved in
 *	each period; 0 for none
 * @period_ns: in (%VAAL_SCHED_RESERVE) / out: the reservation's period,
 *	%VAAL_SCHED_MIN_PERIOD_NS to %VAAL_SCHED_MAX_PERIOD_NS
 * @units: in (%VAAL_SCHED_UNITS) / out: bit n allows the class's unit n
 *	(numbered across its controllers in order of registration, as
 *	/sys/kernel/vcore_sched/CLASS/units lists them); 0 for any
 * @reason: out: %VAAL_SCHED_OK, or why SET was refused (also copied back
 *	when the ioctl fails)
 * @limit_ppm: out: share of the class's capacity (its units) that
 *	reservations may take, in millionths
 * @admitted_ppm: out: share the class's admitted reservations take
 * @reserved0: in: must be zero
 * @reserved: in: must be zero
 *
 * A reservation needs CAP_SYS_NICE (as real-time CPU scheduling does), and
 * is admitted when all of the class's reservations together stay within
 * its limit; admitted, the context's work is served earliest
 * deadline first for @budget_ns in every @period_ns, before best-effort
 * work.  The class's policy must offer attributes (vcore_sched's do).
 */
struct vaal_sched_attr {
	__u32 size;
	__u32 flags;
	char class[VAAL_CLASS_LEN];
	__u64 budget_ns;
	__u64 period_ns;
	__u64 units;
	__u32 reason;
	__u32 limit_ppm;
	__u32 admitted_ppm;
	__u32 reserved0;
	__u64 reserved[2];
};

#define VAAL_SCHED_ATTR_SIZE_VER0	80

#define VAAL_IOC_MAGIC		0xBA

#define VAAL_IOC_QUERY		_IOWR(VAAL_IOC_MAGIC, 0x00, struct vaal_query)
#define VAAL_IOC_BUF_CREATE	_IOWR(VAAL_IOC_MAGIC, 0x01, struct vaal_buf_create)
#define VAAL_IOC_BUF_DESTROY	_IOW(VAAL_IOC_MAGIC, 0x02, struct vaal_buf_destroy)
#define VAAL_IOC_KERNEL_REGISTER	\
	_IOWR(VAAL_IOC_MAGIC, 0x03, struct vaal_kernel_register)
#define VAAL_IOC_KERNEL_UNREGISTER	\
	_IOW(VAAL_IOC_MAGIC, 0x04, struct vaal_kernel_unregister)
#define VAAL_IOC_SETUP		_IOWR(VAAL_IOC_MAGIC, 0x05, struct vaal_setup)
#define VAAL_IOC_ENTER		_IOW(VAAL_IOC_MAGIC, 0x06, struct vaal_enter)
#define VAAL_IOC_CTRL_REGISTER	\
	_IOWR(VAAL_IOC_MAGIC, 0x07, struct vaal_ctrl_register)
#define VAAL_IOC_CTRL_PULL	_IOWR(VAAL_IOC_MAGIC, 0x08, struct vaal_ctrl_pull)
#define VAAL_IOC_CTRL_COMPLETE	\
	_IOW(VAAL_IOC_MAGIC, 0x09, struct vaal_ctrl_complete)
#define VAAL_IOC_QUERY_CONTROLLERS	\
	_IOWR(VAAL_IOC_MAGIC, 0x0a, struct vaal_query_controllers)
#define VAAL_IOC_SCHED_SET	_IOWR(VAAL_IOC_MAGIC, 0x0b, struct vaal_sched_attr)
#define VAAL_IOC_SCHED_GET	_IOWR(VAAL_IOC_MAGIC, 0x0c, struct vaal_sched_attr)
#define VAAL_IOC_CTRL_BLOB	_IOWR(VAAL_IOC_MAGIC, 0x0d, struct vaal_ctrl_blob)
#define VAAL_IOC_KERNEL_LOG	_IOWR(VAAL_IOC_MAGIC, 0x0e, struct vaal_kernel_log)

#endif /* _UAPI_LINUX_VAAL_H */
