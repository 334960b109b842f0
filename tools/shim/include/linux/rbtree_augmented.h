/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: <linux/rbtree_augmented.h> from the extracted kernel
 * source's tools/include, for its tools/lib/rbtree.c (see rbtree.h here).
 */
#ifndef _SHIM_LINUX_RBTREE_AUGMENTED_H
#define _SHIM_LINUX_RBTREE_AUGMENTED_H

#include <linux/rbtree.h>

#include <tools/include/linux/rbtree_augmented.h>

#endif /* _SHIM_LINUX_RBTREE_AUGMENTED_H */
