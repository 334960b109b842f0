// SPDX-License-Identifier: GPL-2.0
/*
 * libvaal.c - user-space library for /dev/vaal
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libvaal.h"

/**
 * vaal_open - open a context on the VAAL device
 * @path: device node, or NULL for /dev/vaal
 *
 * Return: a file descriptor, or a negative errno.
 */
int vaal_open(const char *path)
{
	int fd = open(path ? path : VAAL_DEFAULT_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * vaal_query - ask the device what it offers
 * @fd: a context
 * @q: filled on success
 *
 * Return: 0 or a negative errno.
 */
int vaal_query(int fd, struct vaal_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	return ioctl(fd, VAAL_IOC_QUERY, q) ? -errno : 0;
}
