/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the parts of the kernel's <linux/compiler.h> that the
 * portable V-Core code uses, on C11 atomics.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#endif /* _SHIM_LINUX_COMPILER_H */
