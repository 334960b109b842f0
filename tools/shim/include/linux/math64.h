/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: 64-bit division helpers of the kernel's <linux/math64.h>.
 */
#ifndef _SHIM_LINUX_MATH64_H
#define _SHIM_LINUX_MATH64_H

#include <stdint.h>

static inline uint64_t div64_u64(uint64_t dividend, uint64_t divisor)
{
	return dividend / divisor;
}

#endif /* _SHIM_LINUX_MATH64_H */
