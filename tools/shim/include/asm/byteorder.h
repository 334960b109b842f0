/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: the kernel's byte order helpers on top of the uapi ones.
 */
#ifndef _SHIM_ASM_BYTEORDER_H
#define _SHIM_ASM_BYTEORDER_H

#include_next <asm/byteorder.h>

#define le32_to_cpu	__le32_to_cpu
#define cpu_to_le32	__cpu_to_le32
#define le64_to_cpu	__le64_to_cpu
#define cpu_to_le64	__cpu_to_le64

#endif /* _SHIM_ASM_BYTEORDER_H */
