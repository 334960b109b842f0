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
#define VAAL_ABI_MINOR		1

/* Feature bits reported in &vaal_query.features. */

/* A scheduling policy module (vcore_sched) can plug into the core. */
#define VAAL_FEAT_SCHED_PLUGIN	(1ULL << 0)

#define VAAL_FEATURES_ALL	(VAAL_FEAT_SCHED_PLUGIN)

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
	__u64 reserved[4];
};

#define VAAL_QUERY_SIZE_VER0	64	/* sizeof first published struct */

#define VAAL_IOC_MAGIC		0xBA

#define VAAL_IOC_QUERY		_IOWR(VAAL_IOC_MAGIC, 0x00, struct vaal_query)

#endif /* _UAPI_LINUX_VAAL_H */
