// SPDX-License-Identifier: GPL-2.0
/*
 * common.c - vaalctl's helpers shared by its command families: the device,
 * sysfs attributes, durations and shares
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaalctl.h"

int open_device(const char *dev)
{
	int fd = vaal_open(dev);

	if (fd < 0)
		fprintf(stderr, "%s: cannot open %s: %s%s\n", prog,
			dev ? dev : VAAL_DEFAULT_PATH, strerror(-fd),
			fd == -ENOENT ? " (is vaal_core loaded?)" : "");
	return fd;
}
/* One line of a sysfs file into @buf, without its newline. */
int sysfs_read(const char *dir, const char *attr, char *buf,
		      size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int sysfs_u64(const char *dir, const char *attr,
		     unsigned long long *v)
{
	char buf[64], *end;
	int ret;

	ret = sysfs_read(dir, attr, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EIO;
	return 0;
}

/* "2ms", "100us", "1s", "500ns", "500" (ns): nanoseconds; -EINVAL. */
int parse_ns(const char *s, unsigned long long *ns)
{
	static const struct {
		const char *suffix;
		unsigned long long mul;
	} units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	unsigned long long v;
	unsigned int i;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > ULLONG_MAX / units[i].mul)
			return -EINVAL;
		*ns = v * units[i].mul;
		return 0;
	}
	return -EINVAL;
}

/* @ns in the largest unit that shows it whole: "2ms", "150us", "7ns". */
const char *fmt_ns(unsigned long long ns, char *buf, size_t len)
{
	if (ns && !(ns % 1000000000))
		snprintf(buf, len, "%llus", ns / 1000000000);
	else if (ns && !(ns % 1000000))
		snprintf(buf, len, "%llums", ns / 1000000);
	else if (ns && !(ns % 1000))
		snprintf(buf, len, "%lluus", ns / 1000);
	else
		snprintf(buf, len, "%lluns", ns);
	return buf;
}


/* A share in millionths as a percentage, exactly: "20%", "0.025%". */
const char *fmt_ppm(unsigned long long ppm, char *buf, size_t len)
{
	unsigned int frac = ppm % 10000, digits = 4;

	if (!frac) {
		snprintf(buf, len, "%llu%%", ppm / 10000);
		return buf;
	}
	for (; !(frac % 10); frac /= 10)
		digits--;
	snprintf(buf, len, "%llu.%0*u%%", ppm / 10000, digits, frac);
	return buf;
}
