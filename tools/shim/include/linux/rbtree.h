/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the kernel's <linux/rbtree.h> is the user-space copy
 * that the kernel source ships in tools/include, taken from the extracted
 * kernel source ($(LINUX_SRC), on the include path with -idirafter), never
 * from this repository.  tools/lib/rbtree.c there, built beside the code
 * under test, provides its functions.
 */
#ifndef _SHIM_LINUX_RBTREE_H
#define _SHIM_LINUX_RBTREE_H

#include <linux/types.h>	/* first: the C library's __always_inline */
#include <linux/compiler.h>
#include <linux/kernel.h>

#include <tools/include/linux/rbtree.h>

#endif /* _SHIM_LINUX_RBTREE_H */
