/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the C library's string functions under the kernel's name.
 */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>

#endif /* _SHIM_LINUX_STRING_H */
