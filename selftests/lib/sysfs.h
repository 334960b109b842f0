/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysfs.h - reading and writing the small files of sysfs, procfs, debugfs
 * and cgroupfs from the V-Core selftests.
 */
#ifndef _VCORE_SELFTEST_SYSFS_H
#define _VCORE_SELFTEST_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The number in a file, or -1 when it cannot be read. */
static inline long long vcore_read_ll(const char *path)
{
	char buf[64] = "";
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtoll(buf, NULL, 0);
		fclose(f);
	}
	return v;
}

/* Write a string in one write(); 0 or a negative errno. */
static inline int vcore_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

static inline int vcore_write_ll(const char *path, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return vcore_write_str(path, buf);
}

#endif /* _VCORE_SELFTEST_SYSFS_H */
