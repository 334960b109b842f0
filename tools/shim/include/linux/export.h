/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: <linux/export.h> from the extracted kernel source's
 * tools/include (see rbtree.h here): there are no modules to export to.
 */
#ifndef _SHIM_LINUX_EXPORT_H
#define _SHIM_LINUX_EXPORT_H

#include <tools/include/linux/export.h>

#endif /* _SHIM_LINUX_EXPORT_H */
