/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: cache line alignment as the kernel spells it.
 */
#ifndef _SHIM_LINUX_CACHE_H
#define _SHIM_LINUX_CACHE_H

#define L1_CACHE_BYTES			64
/* __aligned() itself comes from the compiler command line (Makefile). */
#define ____cacheline_aligned		__aligned(L1_CACHE_BYTES)
#define ____cacheline_aligned_in_smp	____cacheline_aligned

#endif /* _SHIM_LINUX_CACHE_H */
