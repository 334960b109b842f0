/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the parts of the kernel's <linux/kernel.h> that the
 * portable V-Core code uses.
 */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <linux/list.h>
#include <linux/minmax.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* _SHIM_LINUX_KERNEL_H */
