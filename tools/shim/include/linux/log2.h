/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the kernel's <linux/log2.h> helpers that V-Core uses.
 */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <stdbool.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

#endif /* _SHIM_LINUX_LOG2_H */
