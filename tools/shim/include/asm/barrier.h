/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the kernel's acquire/release primitives on C11 atomics.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

/* Loads after it are not reordered before it; pairs with a release. */
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
/* Accesses before it are not reordered after it; pairs with an acquire. */
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
/* Full fence: orders all earlier accesses against all later ones. */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* _SHIM_ASM_BARRIER_H */
