/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_cpu_kernels.h - the built-in compute kernels of the CPU controllers
 *
 * Run by the CPU sidecore controller (kthreads) and by the reference
 * user-space controller in tools/, from this one source: kernel interfaces
 * only, built in user space through tools/shim/include.
 */
#ifndef _VAAL_CPU_KERNELS_H
#define _VAAL_CPU_KERNELS_H

#include <linux/types.h>
#include <linux/vaal.h>

/**
 * struct vaal_cpu_args - what one launch hands a built-in kernel
 * @buf: the buffer arguments, mapped
 * @len: bytes of each buffer argument
 * @scalars: the scalar arguments
 */
struct vaal_cpu_args {
	void *buf[VAAL_MAX_ARGS];
	u64 len[VAAL_MAX_ARGS];
	u8 scalars[VAAL_MAX_SCALAR_BYTES];
};

/**
 * struct vaal_cpu_kernel - a built-in kernel
 * @name: as registered by users
 * @nr_args: buffer arguments
 * @arg_mode: %VAAL_ARG_* of each
 * @scalar_bytes: bytes of scalar arguments
 * @run: do the work; 0 or a negative errno (-EINVAL: sizes that do not fit)
 */
struct vaal_cpu_kernel {
	const char *name;
	u32 nr_args;
	u8 arg_mode[VAAL_MAX_ARGS];
	u32 scalar_bytes;
	int (*run)(const struct vaal_cpu_args *a);
};

const struct vaal_cpu_kernel *vaal_cpu_kernel_find(const char *name);
const struct vaal_cpu_kernel *vaal_cpu_kernel_at(unsigned int i);

#endif /* _VAAL_CPU_KERNELS_H */
