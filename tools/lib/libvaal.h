/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvaal.h - user-space library for /dev/vaal
 *
 * Functions return 0 or a negative errno, as the kernel does; they never
 * print.
 */
#ifndef _LIBVAAL_H
#define _LIBVAAL_H

#include <linux/vaal.h>

#define VAAL_DEFAULT_PATH	"/dev/" VAAL_DEVICE_NAME

int vaal_open(const char *path);
int vaal_query(int fd, struct vaal_query *q);

#endif /* _LIBVAAL_H */
