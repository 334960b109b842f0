// SPDX-License-Identifier: GPL-2.0
/*
 * sched.c - vaalctl sched: vcore_sched's files in /sys/kernel/vcore_sched/
 * CLASS/, read and written, and a process's context's reservation or units
 * set through a descriptor taken with pidfd_getfd() (ptrace permission
 * over the process)
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vaalctl.h"

#define SCHED_TEXT_MAX	(1 << 20)
#define SCHED_DIR_LEN	(sizeof(VCS_DEBUGFS) + NAME_MAX + 1)

/* A list of units, "0-1,3" ("any": 0), into a mask; -EINVAL. */
static int parse_units(const char *s, unsigned long long *mask)
{
	unsigned long a, b;
	char *end;

	*mask = 0;
	if (!strcmp(s, "any"))
		return 0;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -EINVAL;
			b = strtoul(end + 1, &end, 10);
		}
		if (a > b || b > 63)
			return -EINVAL;
		for (; a <= b; a++)
			*mask |= 1ULL << a;
		if (!*end)
			return 0;
		if (*end != ',')
			return -EINVAL;
		s = end + 1;
	}
}

/* A mask of units as a list, "0-1,3"; "any" for 0. */
static const char *fmt_units(unsigned long long mask, char *buf, size_t len)
{
	unsigned int a, b;
	size_t n = 0;

	if (!mask) {
		snprintf(buf, len, "any");
		return buf;
	}
	buf[0] = '\0';
	for (a = 0; a < 64 && n < len; a++) {
		if (!(mask >> a & 1))
			continue;
		for (b = a; b < 63 && mask >> (b + 1) & 1; b++)
			;
		if (a == b)
			n += snprintf(buf + n, len - n, "%s%u", n ? "," : "", a);
		else
			n += snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "",
				      a, b);
		a = b;
	}
	return buf;
}

/*
 * All of a sysfs file into *@text (malloc'ed, NUL-terminated); 0 or
 * -errno.
 */
static int sysfs_slurp(const char *dir, const char *attr, char **text)
{
	size_t cap = 4096, len = 0;
	char path[PATH_MAX], *buf, *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len + 1 == cap) {
			p = cap < SCHED_TEXT_MAX ? realloc(buf, 2 * cap) : NULL;
			if (!p) {
				n = -ENOMEM;
				break;
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			n = -errno;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return n;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

/* Write @text to a sysfs file in one write(); 0 or -errno. */
static int sysfs_write(const char *dir, const char *attr, const char *text)
{
	size_t len = strlen(text);
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	if (close(fd))
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * The classes of vcore_sched, sorted; NULL with errno set on failure
 * (ENOENT: vcore_sched is not loaded).  Free each and the array.
 */
static char **sched_classes(unsigned int *n)
{
	char **names = NULL, **p;
	unsigned int cap = 0;
	struct dirent *de;
	DIR *d;

	*n = 0;
	d = opendir(VCS_SYSFS);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			p = realloc(names, cap * sizeof(*names));
			if (!p)
				goto fail;
			names = p;
		}
		names[*n] = strdup(de->d_name);
		if (!names[*n])
			goto fail;
		(*n)++;
	}
	closedir(d);
	if (!names)
		names = calloc(1, sizeof(*names));
	if (*n)
		qsort(names, *n, sizeof(*names), str_cmp);
	return names;

fail:
	closedir(d);
	while (*n)
		free(names[--*n]);
	free(names);
	errno = ENOMEM;
	return NULL;
}

static void free_names(char **names, unsigned int n)
{
	while (n)
		free(names[--n]);
	free(names);
}

static void sched_not_loaded(void)
{
	fprintf(stderr, "%s: vcore_sched is not loaded (no %s)\n", prog,
		VCS_SYSFS);
}

/*
 * @dir: the sysfs directory of @class; 0, or 1 after saying why there is
 * none.
 */
static int sched_class_dir(const char *class, char *dir, size_t len)
{
	unsigned int n, i;
	struct stat st;
	char **names;

	if (stat(VCS_SYSFS, &st)) {
		sched_not_loaded();
		return 1;
	}
	snprintf(dir, len, "%s/%s", VCS_SYSFS, class);
	if (*class && *class != '.' && !strchr(class, '/') && !stat(dir, &st))
		return 0;
	fprintf(stderr, "%s: no class '%s' in %s", prog, class, VCS_SYSFS);
	names = sched_classes(&n);
	if (names) {
		fprintf(stderr, " (classes:%s", n ? "" : " none");
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s %s", i ? "," : "", names[i]);
		fprintf(stderr, ")");
		free_names(names, n);
	}
	fprintf(stderr, "\n");
	return 1;
}

/**
 * struct sched_ctx - a line of a class's contexts file
 * @ctx: the context's id
 * @pid: its owner
 * @cgroup: its owner's cgroup (points into the line)
 * @partition: its run queue: -1 the shared pool, n partition n
 * @units: units it pinned itself to, 0 for any
 * @budget_ns: its reservation, 0 for none
 * @period_ns: the reservation's period
 * @usage_ns: device time
 * @rt_ns: of which on the reservation
 * @periods: periods that ended with work queued
 * @met: of which with the whole budget used
 */
struct sched_ctx {
	unsigned long long ctx;
	int pid;
	const char *cgroup;
	int partition;
	unsigned long long units, budget_ns, period_ns, usage_ns, rt_ns;
	unsigned long long periods, met;
};

/*
 * "ctx=.. pid=.. cgroup=.. partition=.. units=.. budget_ns=.. period_ns=..
 * usage_ns=.. rt_ns=.. periods=.. met=.."; later fields are ignored.
 */
static int sched_ctx_parse(char *line, struct sched_ctx *c)
{
	char *rest;
	int n = 0;

	memset(c, 0, sizeof(*c));
	if (sscanf(line, "ctx=%llu pid=%d cgroup=%n", &c->ctx, &c->pid,
		   &n) != 2 || !n)
		return -EINVAL;
	c->cgroup = line + n;
	rest = strstr(line + n, " partition=");
	if (!rest)
		return -EINVAL;
	*rest++ = '\0';
	n = 0;
	if (sscanf(rest, "partition=%d units=%llx budget_ns=%llu period_ns=%llu usage_ns=%llu rt_ns=%llu periods=%llu met=%llu%n",
		   &c->partition, &c->units, &c->budget_ns, &c->period_ns,
		   &c->usage_ns, &c->rt_ns, &c->periods, &c->met, &n) != 8 ||
	    !n || (rest[n] && rest[n] != ' '))
		return -EINVAL;
	return 0;
}

/* "UNITS CGROUP [exclusive]": @units and @cgroup point into @line. */
static int sched_part_parse(char *line, char **units, char **cgroup,
			    int *exclusive)
{
	size_t len;
	char *sp;

	sp = strchr(line, ' ');
	if (!sp || sp == line || !sp[1])
		return -EINVAL;
	*sp = '\0';
	*units = line;
	*cgroup = sp + 1;
	len = strlen(*cgroup);
	*exclusive = len > 10 && !strcmp(*cgroup + len - 10, " exclusive");
	if (*exclusive)
		(*cgroup)[len - 10] = '\0';
	return 0;
}

/* "CGROUP NS": @cgroup points into @line. */
static int sched_usage_parse(char *line, char **cgroup,
			     unsigned long long *ns)
{
	char *sp = strrchr(line, ' '), *end;

	if (!sp || sp == line || !isdigit((unsigned char)sp[1]))
		return -EINVAL;
	errno = 0;
	*ns = strtoull(sp + 1, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*sp = '\0';
	*cgroup = line;
	return 0;
}

static void sched_bad_line(const char *class, const char *attr,
			   const char *line)
{
	fprintf(stderr, "%s: %s/%s/%s: cannot parse '%s'\n", prog,
		strcmp(attr, "contexts") && strcmp(attr, "usage") ?
		VCS_SYSFS : VCS_DEBUGFS, class, attr, line);
}

/* The lines of @text, each NUL-terminated in place; NULL at the end. */
static char *next_line(char **text)
{
	char *line;

	while (*text && **text == '\n')
		(*text)++;
	if (!*text || !**text)
		return NULL;
	line = *text;
	*text = strchr(line, '\n');
	if (*text)
		*(*text)++ = '\0';
	return line;
}

static void sched_show_parts(const char *class, char *text)
{
	struct json_writer *jw = json_wtr;
	char *line, *units, *cgroup;
	unsigned long long mask;
	int excl, n = 0;

	if (json_output) {
		jsonw_name(jw, "partitions");
		jsonw_start_array(jw);
	}
	while ((line = next_line(&text))) {
		if (sched_part_parse(line, &units, &cgroup, &excl) ||
		    parse_units(units, &mask)) {
			sched_bad_line(class, "partitions", line);
			continue;
		}
		if (json_output) {
			jsonw_start_object(jw);
			jsonw_string_field(jw, "units", units);
			jsonw_u64_field(jw, "units_mask", mask);
			jsonw_string_field(jw, "cgroup", cgroup);
			jsonw_bool_field(jw, "exclusive", excl);
			jsonw_end_object(jw);
		} else {
			if (!n)
				printf("  partitions:\n");
			printf("    %d: units %s, %s%s\n", n, units,
			       strcmp(cgroup, "-") ? cgroup :
			       "pinned contexts only",
			       excl ? ", exclusive" : "");
		}
		n++;
	}
	if (json_output)
		jsonw_end_array(jw);
	else if (!n)
		printf("  partitions: none\n");
}

static void sched_ctx_json(const struct sched_ctx *c, const char *ub)
{
	struct json_writer *jw = json_wtr;

	jsonw_start_object(jw);
	jsonw_u64_field(jw, "ctx", c->ctx);
	jsonw_s64_field(jw, "pid", c->pid);
	jsonw_string_field(jw, "cgroup", c->cgroup);
	jsonw_s64_field(jw, "partition", c->partition);
	jsonw_string_field(jw, "units", ub);
	jsonw_u64_field(jw, "units_mask", c->units);
	jsonw_u64_field(jw, "budget_ns", c->budget_ns);
	jsonw_u64_field(jw, "period_ns", c->period_ns);
	jsonw_u64_field(jw, "usage_ns", c->usage_ns);
	jsonw_u64_field(jw, "rt_ns", c->rt_ns);
	jsonw_u64_field(jw, "periods", c->periods);
	jsonw_u64_field(jw, "met", c->met);
	jsonw_end_object(jw);
}

static void sched_show_ctxs(const char *class, char *text)
{
	char ub[256], part[16];
	struct sched_ctx c;
	char *line;
	int n = 0;

	if (json_output) {
		jsonw_name(json_wtr, "contexts");
		jsonw_start_array(json_wtr);
	}
	while ((line = next_line(&text))) {
		if (sched_ctx_parse(line, &c)) {
			sched_bad_line(class, "contexts", line);
			continue;
		}
		fmt_units(c.units, ub, sizeof(ub));
		if (json_output) {
			sched_ctx_json(&c, ub);
			n++;
			continue;
		}
		if (!n++)
			printf("  contexts:\n    %8s %7s %-20s %9s %-8s %12s %12s %14s %14s %8s %8s\n",
			       "CTX", "PID", "CGROUP", "PARTITION", "UNITS",
			       "BUDGET_NS", "PERIOD_NS", "USAGE_NS", "RT_NS",
			       "PERIODS", "MET");
		if (c.partition < 0)
			snprintf(part, sizeof(part), "pool");
		else
			snprintf(part, sizeof(part), "%d", c.partition);
		printf("    %8llu %7d %-20s %9s %-8s %12llu %12llu %14llu %14llu %8llu %8llu\n",
		       c.ctx, c.pid, c.cgroup, part, ub, c.budget_ns,
		       c.period_ns, c.usage_ns, c.rt_ns, c.periods, c.met);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	else if (!n)
		printf("  contexts: none\n");
}

static void sched_show_usage(const char *class, char *text)
{
	unsigned long long ns;
	char *line, *cgroup;

	if (json_output) {
		jsonw_name(json_wtr, "usage");
		jsonw_start_object(json_wtr);
	} else {
		printf("  usage:\n");
	}
	while ((line = next_line(&text))) {
		if (sched_usage_parse(line, &cgroup, &ns)) {
			sched_bad_line(class, "usage", line);
			continue;
		}
		if (json_output)
			jsonw_u64_field(json_wtr, cgroup, ns);
		else
			printf("    %-24s %14llu ns\n", cgroup, ns);
	}
	if (json_output)
		jsonw_end_object(json_wtr);
}

/* One class: 0, or -errno when its directory cannot be read. */
/*
 * A whole number of a class's file as JSON (the text as it is otherwise);
 * null after saying it cannot be parsed.
 */
static void sched_number_json(const char *class, const char *attr,
			      const char *text)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (!errno && end != text && !*end) {
		jsonw_s64_field(json_wtr, attr, v);
		return;
	}
	sched_bad_line(class, attr, text);
	jsonw_null_field(json_wtr, attr);
}

static int sched_show_class(const char *class, int first)
{
	/* Settings are sysfs files, who uses what tables in debugfs. */
	static const struct {
		const char *root;
		const char *name;
	} attrs[] = {
		{ VCS_SYSFS, "policy" }, { VCS_SYSFS, "rt_limit" },
		{ VCS_SYSFS, "units" }, { VCS_SYSFS, "partitions" },
		{ VCS_DEBUGFS, "contexts" }, { VCS_DEBUGFS, "usage" },
	};
	char *text[ARRAY_SIZE(attrs)] = { NULL };
	char dir[SCHED_DIR_LEN];
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < ARRAY_SIZE(attrs); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", attrs[i].root, class);
		ret = sysfs_slurp(dir, attrs[i].name, &text[i]);
		if (ret)
			fprintf(stderr, "%s: cannot read %s/%s: %s%s\n", prog,
				dir, attrs[i].name, strerror(-ret),
				!strcmp(attrs[i].root, VCS_DEBUGFS) && ret == -ENOENT ?
				" (is debugfs mounted on /sys/kernel/debug?)" :
				"");
	}
	if (ret)
		goto out;
	for (i = 0; i < 3; i++)
		text[i][strcspn(text[i], "\n")] = '\0';
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "class", class);
		jsonw_string_field(json_wtr, "policy", text[0]);
		sched_number_json(class, "rt_limit", text[1]);
		sched_number_json(class, "units", text[2]);
	} else {
		printf("%s%s: policy %s, rt_limit %s%%, units %s\n",
		       first ? "" : "\n", class, text[0], text[1], text[2]);
	}
	sched_show_parts(class, text[3]);
	sched_show_ctxs(class, text[4]);
	sched_show_usage(class, text[5]);
	if (json_output)
		jsonw_end_object(json_wtr);
out:
	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		free(text[i]);
	return ret;
}

static int sched_show(void)
{
	unsigned int n, i, shown = 0;
	char **names;
	int ret = 0;

	names = sched_classes(&n);
	if (!names) {
		if (errno == ENOENT)
			sched_not_loaded();
		else
			fprintf(stderr, "%s: cannot read %s: %s\n", prog,
				VCS_SYSFS, strerror(errno));
		return 1;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++) {
		if (sched_show_class(names[i], !shown))
			ret = 1;
		else
			shown++;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	else if (!n)
		printf("no classes (none has a controller yet)\n");
	free_names(names, n);
	return ret;
}

static int sched_policy(const char *class, const char *policy)
{
	char dir[SCHED_DIR_LEN];
	int ret;

	if (sched_class_dir(class, dir, sizeof(dir)))
		return 1;
	ret = sysfs_write(dir, "policy", policy);
	if (!ret)
		return 0;
	fprintf(stderr, "%s: cannot set the policy of %s to '%s': %s%s\n", prog,
		class, policy, strerror(-ret),
		ret == -EINVAL ? " (unknown policy: fair, fcfs, rr or fifo)" :
		ret == -ENOENT ? " (the class or the policy is gone)" : "");
	return 1;
}

static int sched_rt_limit(const char *class, const char *pct)
{
	char dir[SCHED_DIR_LEN];
	int ret;

	if (sched_class_dir(class, dir, sizeof(dir)))
		return 1;
	ret = sysfs_write(dir, "rt_limit", pct);
	if (!ret)
		return 0;
	fprintf(stderr, "%s: cannot set the rt_limit of %s to '%s': %s%s\n",
		prog, class, pct, strerror(-ret),
		ret == -EINVAL ?
		" (PERCENT is a whole number from 0 to 100: the share of the class's units reservations may take)" :
		"");
	return 1;
}

/* The cgroup2 mount point, into @buf; -errno. */
static int cgroup2_mount(char *buf, size_t len)
{
	char line[PATH_MAX + 256], dir[PATH_MAX], type[64];
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mounts", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* For -ENOENT: the first cgroup of @text that is not in cgroupfs, or NULL. */
static const char *missing_cgroup(char *text)
{
	char mnt[PATH_MAX], path[2 * PATH_MAX], *line, *units, *cgroup;
	struct stat st;
	int excl;

	if (cgroup2_mount(mnt, sizeof(mnt)))
		return NULL;
	while ((line = next_line(&text))) {
		if (sched_part_parse(line, &units, &cgroup, &excl) ||
		    !strcmp(cgroup, "-"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", mnt, cgroup);
		if (stat(path, &st))
			return cgroup;
	}
	return NULL;
}

static int sched_partitions(const char *class, int argc, char **argv)
{
	unsigned long long units = 0;
	char dir[SCHED_DIR_LEN], *text, *copy;
	const char *cg;
	size_t len = 1;
	int i, ret;

	if (sched_class_dir(class, dir, sizeof(dir)))
		return 1;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = calloc(1, len);
	if (!text) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	/*
	 * One line per partition; no newline after the last, as "none"
	 * must be the whole of what is written.
	 */
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(text, "\n");
		strcat(text, argv[i]);
	}
	if (!text[strspn(text, " \t\n")]) {
		free(text);
		return usage_error("%s", "sched partitions wants 'UNITS CGROUP [exclusive]'... or 'none'");
	}
	ret = sysfs_write(dir, "partitions", text);
	if (!ret) {
		free(text);
		return 0;
	}
	fprintf(stderr, "%s: cannot set the partitions of %s: %s", prog, class,
		strerror(-ret));
	switch (ret) {
	case -EINVAL:
		fprintf(stderr, " (a partition is 'UNITS CGROUP [exclusive]': UNITS a list such as 0-1,3, CGROUP a cgroup's path or '-'; or 'none')");
		break;
	case -ERANGE:
		fprintf(stderr, " (units past the class's");
		if (!sysfs_u64(dir, "units", &units) && units)
			fprintf(stderr, " %llu: 0 to %llu", units, units - 1);
		fprintf(stderr, ")");
		break;
	case -ENOENT:
		copy = strdup(text);
		cg = copy ? missing_cgroup(copy) : NULL;
		if (cg)
			fprintf(stderr, " (no cgroup '%s')", cg);
		else
			fprintf(stderr, " (no such cgroup)");
		free(copy);
		break;
	case -EBUSY:
		fprintf(stderr, " (the units of an exclusive partition are in another partition too)");
		break;
	case -ENOSPC:
		fprintf(stderr, " (too many partitions)");
		break;
	}
	fprintf(stderr, "\n");
	free(text);
	return 1;
}

/* A decimal number from @min to INT_MAX; -EINVAL. */
static int parse_int_arg(const char *s, int min, int *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > INT_MAX || x < (unsigned long long)min)
		return -EINVAL;
	*v = x;
	return 0;
}

/*
 * The descriptor @fd of process @pid, duplicated into ours (needs ptrace
 * permission over it); -1 after saying why not.
 */
static int take_fd(const char *dev, int pid, int fd)
{
	const char *path = dev ? dev : VAAL_DEFAULT_PATH;
	struct stat st, dst;
	int pidfd, tfd, err;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		fprintf(stderr, "%s: cannot open process %d: %s\n", prog, pid,
			strerror(errno));
		return -1;
	}
	tfd = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = errno;
	close(pidfd);
	if (tfd < 0) {
		fprintf(stderr, "%s: cannot take fd %d of process %d: %s%s\n",
			prog, fd, pid, strerror(err),
			err == EPERM ? " (needs ptrace permission over it)" :
			err == EBADF ? " (it has no such descriptor)" : "");
		return -1;
	}
	/* Without the device node to compare with, the ioctl tells. */
	if (!stat(path, &dst) &&
	    (fstat(tfd, &st) || !S_ISCHR(st.st_mode) ||
	     st.st_rdev != dst.st_rdev)) {
		fprintf(stderr, "%s: fd %d of process %d is not a context of %s\n",
			prog, fd, pid, path);
		close(tfd);
		return -1;
	}
	return tfd;
}

static void sched_attr_print(const struct vaal_sched_attr *a, int pid, int fd)
{
	struct json_writer *jw = json_wtr;
	char ub[256], b[32], p[32], adm[32], lim[32];

	fmt_units(a->units, ub, sizeof(ub));
	fmt_ppm(a->admitted_ppm, adm, sizeof(adm));
	fmt_ppm(a->limit_ppm, lim, sizeof(lim));
	if (json_output) {
		jsonw_start_object(jw);
		jsonw_s64_field(jw, "pid", pid);
		jsonw_s64_field(jw, "fd", fd);
		jsonw_string_field(jw, "class", a->class);
		jsonw_u64_field(jw, "budget_ns", a->budget_ns);
		jsonw_u64_field(jw, "period_ns", a->period_ns);
		jsonw_string_field(jw, "units", ub);
		jsonw_u64_field(jw, "units_mask", a->units);
		jsonw_u64_field(jw, "limit_ppm", a->limit_ppm);
		jsonw_u64_field(jw, "admitted_ppm", a->admitted_ppm);
		jsonw_end_object(jw);
		return;
	}
	printf("context:      fd %d of process %d\n", fd, pid);
	printf("class:        %s\n", a->class);
	if (a->budget_ns)
		printf("reservation:  %s per %s\n",
		       fmt_ns(a->budget_ns, b, sizeof(b)),
		       fmt_ns(a->period_ns, p, sizeof(p)));
	else
		printf("reservation:  none\n");
	printf("units:        %s\n", ub);
	printf("admitted:     %s of the class's units reserved, limit %s\n",
	       adm, lim);
}

/* reserve, pin and get: PID FD CLASS ... */
static int sched_ctx_cmd(const char *sub, int argc, char **argv)
{
	unsigned long long budget = 0, period = 0, units = 0;
	char what[128], b[32], p[32], ub[256], adm[32], lim[32];
	struct vaal_sched_attr attr;
	const char *class = argv[2];
	int pid, fd, tfd, ret;
	__u32 flags = 0;

	if (parse_int_arg(argv[0], 1, &pid))
		return usage_error("sched: bad PID '%s'", argv[0]);
	if (parse_int_arg(argv[1], 0, &fd))
		return usage_error("sched: bad FD '%s'", argv[1]);
	if (!strcmp(sub, "reserve")) {
		if (parse_ns(argv[3], &budget))
			return usage_error("sched reserve: bad BUDGET '%s' (a number with ns, us, ms or s)",
					   argv[3]);
		if (parse_ns(argv[4], &period))
			return usage_error("sched reserve: bad PERIOD '%s' (a number with ns, us, ms or s)",
					   argv[4]);
		flags = VAAL_SCHED_RESERVE;
		snprintf(what, sizeof(what), "reserve %s per %s",
			 fmt_ns(budget, b, sizeof(b)),
			 fmt_ns(period, p, sizeof(p)));
	} else if (!strcmp(sub, "pin")) {
		if (parse_units(argv[3], &units))
			return usage_error("sched pin: bad UNITS '%s' (a list such as 0-1,3 of units 0 to 63, or 'any')",
					   argv[3]);
		flags = VAAL_SCHED_UNITS;
		snprintf(what, sizeof(what), "pin to units %s",
			 fmt_units(units, ub, sizeof(ub)));
	}
	tfd = take_fd(device, pid, fd);
	if (tfd < 0)
		return 1;
	if (flags)
		ret = vaal_sched_set(tfd, class, flags, budget, period, units,
				     &attr);
	else
		ret = vaal_sched_get(tfd, class, &attr);
	close(tfd);
	if (!ret) {
		sched_attr_print(&attr, pid, fd);
		return 0;
	}
	if (!flags)
		snprintf(what, sizeof(what), "get the attributes");
	fprintf(stderr, "%s: cannot %s on %s for fd %d of process %d: %s",
		prog, what, class, fd, pid, strerror(-ret));
	if (attr.reason != VAAL_SCHED_OK)
		fprintf(stderr, " (%s", vaal_sched_reason(attr.reason));
	if (attr.reason == VAAL_SCHED_EOVERLOAD)
		fprintf(stderr, ": %s of its units reserved, limit %s",
			fmt_ppm(attr.admitted_ppm, adm, sizeof(adm)),
			fmt_ppm(attr.limit_ppm, lim, sizeof(lim)));
	if (attr.reason != VAAL_SCHED_OK)
		fprintf(stderr, ")");
	else if (ret == -ENAMETOOLONG)
		fprintf(stderr, " (class names have at most %u characters)",
			VAAL_CLASS_LEN - 1);
	else if (ret == -ENOTTY)
		fprintf(stderr, " (not a context)");
	fprintf(stderr, "\n");
	return 1;
}

#define MDEV_DEVICES	"/sys/bus/mdev/devices"

/* A UUID as mdevs are named: 8-4-4-4-12 hex digits. */
static int is_uuid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

static void mdev_reserve_print(const char *uuid, const char *val)
{
	char class[VAAL_CLASS_LEN + 1] = "", b[32], p[32];
	unsigned long long budget = 0, period = 0;

	if (sscanf(val, "%16s %llu %llu", class, &budget, &period) != 3)
		class[0] = 0;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "mdev", uuid);
		if (class[0]) {
			jsonw_string_field(json_wtr, "class", class);
			jsonw_u64_field(json_wtr, "budget_ns", budget);
			jsonw_u64_field(json_wtr, "period_ns", period);
		} else {
			jsonw_null_field(json_wtr, "class");
		}
		jsonw_end_object(json_wtr);
		return;
	}
	printf("mdev:         %s (every context of its guest)\n", uuid);
	if (class[0])
		printf("reservation:  %s per %s on %s\n",
		       fmt_ns(budget, b, sizeof(b)),
		       fmt_ns(period, p, sizeof(p)), class);
	else
		printf("reservation:  none\n");
}

/*
 * reserve and get on a VAAL mdev: mdev UUID [CLASS BUDGET PERIOD], through
 * the device's vaal/reserve file, which applies it to every context of the
 * guest, those alive and those to come.
 */
static int sched_mdev_cmd(const char *sub, int argc, char **argv)
{
	unsigned long long budget, period;
	const char *uuid = argv[1];
	char dir[PATH_MAX], val[128];
	int ret;

	if (!is_uuid(uuid))
		return usage_error("sched: bad mdev UUID '%s'", uuid);
	snprintf(dir, sizeof(dir), MDEV_DEVICES "/%s/vaal", uuid);
	if (access(dir, F_OK)) {
		fprintf(stderr, "%s: no VAAL mdev %s (%s: %s)\n", prog, uuid,
			dir, strerror(errno));
		return 1;
	}
	if (!strcmp(sub, "reserve")) {
		if (argc != 5)
			return usage_error("sched reserve mdev: wrong number of arguments",
					   NULL);
		if (parse_ns(argv[3], &budget))
			return usage_error("sched reserve: bad BUDGET '%s' (a number with ns, us, ms or s)",
					   argv[3]);
		if (parse_ns(argv[4], &period))
			return usage_error("sched reserve: bad PERIOD '%s' (a number with ns, us, ms or s)",
					   argv[4]);
		if (!budget && !period)
			snprintf(val, sizeof(val), "none");
		else
			snprintf(val, sizeof(val), "%s %llu %llu", argv[2],
				 budget, period);
		ret = sysfs_write(dir, "reserve", val);
		if (ret) {
			fprintf(stderr, "%s: cannot reserve '%s' on mdev %s: %s%s\n",
				prog, val, uuid, strerror(-ret),
				ret == -EPERM ? " (needs CAP_SYS_NICE)" :
				ret == -EINVAL ? " (a bad class name, a budget above the period or a period out of bounds: 100 us to 10 s)" :
				"");
			return 1;
		}
	} else if (argc != 2) {
		return usage_error("sched get mdev: wrong number of arguments",
				   NULL);
	}
	ret = sysfs_read(dir, "reserve", val, sizeof(val));
	if (ret) {
		fprintf(stderr, "%s: %s/reserve: %s\n", prog, dir,
			strerror(-ret));
		return 1;
	}
	mdev_reserve_print(uuid, val);
	return 0;
}

int do_sched(int argc, char **argv)
{
	static const struct {
		const char *name;
		int min, max;
	} subs[] = {
		{ "policy", 3, 3 }, { "rt-limit", 3, 3 },
		{ "partitions", 3, INT_MAX }, { "reserve", 6, 6 },
		{ "pin", 5, 5 }, { "get", 3, 4 },
	};
	unsigned int i;

	if (!argc)
		return sched_show();
	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[0], subs[i].name))
			break;
	if (i == ARRAY_SIZE(subs))
		return usage_error("sched: unknown subcommand '%s'", argv[0]);
	if (argc < subs[i].min || argc > subs[i].max)
		return usage_error("sched %s: wrong number of arguments",
				   argv[0]);
	if (i < 2 && !*argv[2])
		return usage_error("sched %s: empty value", argv[0]);
	if (!strcmp(argv[0], "policy"))
		return sched_policy(argv[1], argv[2]);
	if (!strcmp(argv[0], "rt-limit"))
		return sched_rt_limit(argv[1], argv[2]);
	if (!strcmp(argv[0], "partitions"))
		return sched_partitions(argv[1], argc - 2, argv + 2);
	if (!strcmp(argv[1], "mdev") &&
	    (!strcmp(argv[0], "reserve") || !strcmp(argv[0], "get")))
		return sched_mdev_cmd(argv[0], argc - 1, argv + 1);
	if (argc < 4)
		return usage_error("sched %s: wrong number of arguments",
				   argv[0]);
	return sched_ctx_cmd(argv[0], argc - 1, argv + 1);
}
