// SPDX-License-Identifier: GPL-2.0
/*
 * vaalctl - show and drive the V-Core accelerator abstraction layer
 *
 *   vaalctl [-j] [-v] [-d DEVICE] info
 *   vaalctl [-j] controllers
 *   vaalctl [-j] [-d DEVICE] contexts
 *   vaalctl [-j] [-v] [-d DEVICE] run CLASS KERNEL ARG...
 *   vaalctl [-j] sched
 *   vaalctl sched policy|rt-limit|partitions CLASS VALUE...
 *   vaalctl [-j] [-d DEVICE] sched reserve|pin|get PID FD CLASS ...
 *   vaalctl help
 *
 * controllers reads /sys/class/misc/vaal/controllers; contexts finds the
 * open files of the device in /proc/PID/fd and reads their fdinfo, as DRM
 * fdinfo tools do; run opens a context, creates a buffer per argument,
 * registers the kernel with the signature the arguments make, launches it
 * once through a small ring and writes the outputs.  sched reads and
 * writes vcore_sched's files in /sys/kernel/vcore_sched/CLASS/, and sets a
 * process's context's reservation or units through a descriptor taken
 * with pidfd_getfd() (ptrace permission over the process).
 */
#include <ctype.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/libvaal.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define VAAL_SYSFS_CTRLS	"/sys/class/misc/" VAAL_DEVICE_NAME "/controllers"

static const char *prog = "vaalctl";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] [-v] [-d DEVICE] COMMAND [ARG...]\n"
		"\n"
		"Commands:\n"
		"  info         ABI version, features, limits and controllers of the device\n"
		"  controllers  the controllers (sysfs): class, id, units, busy, queued,\n"
		"               completed, failed, timed_out, busy_ns, utilization\n"
		"  contexts     the open contexts of all processes (/proc/PID/fdinfo):\n"
		"               pid, comm, fd, submissions, buffers, work per class\n"
		"  run CLASS KERNEL ARG...\n"
		"               run the kernel KERNEL of class CLASS once; ARG, in order:\n"
		"     --in FILE        a buffer argument read by the kernel ('-': stdin)\n"
		"     --inout FILE     read and written; FILE is written back\n"
		"     --out FILE:SIZE  written by the kernel, SIZE bytes (suffixes k, M, G);\n"
		"                      FILE '-' prints it to stdout in hex, one line\n"
		"     --u32 N, --u64 N a little-endian scalar (decimal, 0x hex, 0 octal)\n"
		"     --hex HEXBYTES   scalar bytes, as written\n"
		"     --timeout MS     the kernel's deadline (default: the module's)\n"
		"     --reserve [CLASS:]BUDGET/PERIOD\n"
		"                      reserve device time for the context first (CLASS:\n"
		"                      the kernel's by default), e.g. cpu:2ms/10ms\n"
		"               buffer arguments and scalars are passed in the order given;\n"
		"               the signature (arguments, modes, scalar bytes) is theirs\n"
		"  sched        vcore_sched's classes (/sys/kernel/vcore_sched): policy,\n"
		"               rt_limit, units, partitions, contexts, usage per cgroup\n"
		"  sched policy CLASS fair|fcfs|rr|fifo\n"
		"               the class's policy: cgroup weights (fair), first come first\n"
		"               served (fcfs), in turn (rr), or vaal_core's FIFO (fifo)\n"
		"  sched rt-limit CLASS PERCENT\n"
		"               share of the class's units reservations may take\n"
		"  sched partitions CLASS 'UNITS CGROUP [exclusive]'... | none\n"
		"               the class's units (a list: 0-1,3) shared by the contexts\n"
		"               of a cgroup ('-': contexts pinned to them), exclusive: by\n"
		"               those only; none: no partitions\n"
		"  sched reserve PID FD CLASS BUDGET PERIOD\n"
		"               reserve BUDGET of device time in every PERIOD (ns, us, ms,\n"
		"               s: 2ms 10ms; 0 0: none) for the context FD of process PID\n"
		"  sched pin PID FD CLASS UNITS\n"
		"               let that context use only UNITS (exactly a partition's\n"
		"               units; any: all)\n"
		"  sched get PID FD CLASS\n"
		"               that context's reservation and units; reserve, pin and get\n"
		"               take the descriptor with pidfd_getfd (ptrace permission)\n"
		"  help         this text\n"
		"\n"
		"Options:\n"
		"  -d DEVICE  device node (default %s)\n"
		"  -j         JSON output\n"
		"  -v         run: controller id and device time on stderr\n"
		"  -h         this text\n"
		"\n"
		"Exit status: 0 on success, 1 on failure, 2 on usage errors.\n"
		"Examples:\n"
		"  %s run crypto sha256 --in /etc/os-release --out -:32\n"
		"  %s run cpu crc32c --in FILE --out -:4 --u32 0\n"
		"  %s run cpu xor --in a --in b --out c:4096\n"
		"  %s sched partitions crypto '0-1 /machine.slice/vm1 exclusive' '2-3 -'\n"
		"  %s sched reserve 1234 9 crypto 2ms 10ms\n",
		prog, VAAL_DEFAULT_PATH, prog, prog, prog, prog, prog);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see '%s help')\n", prog);
	return 2;
}

/* A JSON string, quoted and escaped. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int open_device(const char *dev)
{
	int fd = vaal_open(dev);

	if (fd < 0)
		fprintf(stderr, "%s: cannot open %s: %s%s\n", prog,
			dev ? dev : VAAL_DEFAULT_PATH, strerror(-fd),
			fd == -ENOENT ? " (is vaal_core loaded?)" : "");
	return fd;
}

/* ---- info --------------------------------------------------------------- */

static const struct {
	__u64 bit;
	const char *name;
} features[] = {
	{ VAAL_FEAT_SCHED_PLUGIN, "sched-plugin" },
	{ VAAL_FEAT_BUFFERS, "buffers" },
	{ VAAL_FEAT_KERNELS, "kernels" },
	{ VAAL_FEAT_RINGS, "rings" },
	{ VAAL_FEAT_CONTROLLERS, "controllers" },
	{ VAAL_FEAT_USER_CONTROLLERS, "user-controllers" },
	{ VAAL_FEAT_SCHED_ATTR, "sched-attr" },
};

static int cmd_info(const char *dev, int json)
{
	struct vaal_query q;
	unsigned int i, n;
	int fd, ret;

	fd = open_device(dev);
	if (fd < 0)
		return 1;
	ret = vaal_query(fd, &q);
	close(fd);
	if (ret) {
		fprintf(stderr, "%s: query failed: %s\n", prog, strerror(-ret));
		return 1;
	}
	if (json) {
		printf("{\"abi_major\":%u,", q.abi_major);
		printf("\"abi_minor\":%u,", q.abi_minor);
		printf("\"features\":%llu,", (unsigned long long)q.features);
		printf("\"feature_names\":[");
		for (i = 0, n = 0; i < ARRAY_SIZE(features); i++) {
			if (!(q.features & features[i].bit))
				continue;
			printf("%s\"%s\"", n++ ? "," : "", features[i].name);
		}
		printf("],");
		printf("\"contexts\":%u,", q.nr_contexts);
		printf("\"max_contexts\":%u,", q.max_contexts);
		printf("\"user_contexts\":%u,", q.nr_user_contexts);
		printf("\"max_user_contexts\":%u,", q.max_user_contexts);
		printf("\"sched_policies\":%u,", q.nr_sched_policies);
		printf("\"max_buffer_bytes\":%llu,",
		       (unsigned long long)q.max_buffer_bytes);
		printf("\"max_buffers\":%u,", q.max_buffers);
		printf("\"max_kernels\":%u,", q.max_kernels);
		printf("\"controllers\":%u,", q.nr_controllers);
		printf("\"max_inflight\":%u}\n", q.max_inflight);
		return 0;
	}
	printf("abi:            %u.%u\n", q.abi_major, q.abi_minor);
	printf("features:       0x%llx", (unsigned long long)q.features);
	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (q.features & features[i].bit)
			printf(" %s", features[i].name);
	printf("\n");
	printf("contexts:       %u of at most %u\n", q.nr_contexts,
	       q.max_contexts);
	printf("your contexts:  %u of at most %u\n", q.nr_user_contexts,
	       q.max_user_contexts);
	printf("sched policies: %u\n", q.nr_sched_policies);
	printf("buffers:        at most %u and %llu bytes per context\n",
	       q.max_buffers, (unsigned long long)q.max_buffer_bytes);
	printf("kernels:        at most %u per context\n", q.max_kernels);
	printf("controllers:    %u\n", q.nr_controllers);
	printf("in flight:      at most %u per context\n", q.max_inflight);
	return 0;
}

/* ---- controllers -------------------------------------------------------- */

/**
 * struct ctrl_info - a controller as sysfs shows it
 * @name: its directory's name
 * @class: the class it serves
 * @id: as completions report it
 * @units: work it runs at once
 * @busy: units taken now
 * @queued: work of its class waiting for a unit
 * @completed: launches completed with 0
 * @failed: launches completed with an error
 * @timed_out: launches past their deadline
 * @busy_ns: unit time taken
 * @utilization: per mille of the units' time taken
 */
struct ctrl_info {
	char name[NAME_MAX + 1];
	char class[VAAL_CLASS_LEN + 1];
	unsigned long long id, units, busy, queued, completed, failed;
	unsigned long long timed_out, busy_ns, utilization;
};

/* One line of a sysfs file into @buf, without its newline. */
static int sysfs_read(const char *dir, const char *attr, char *buf,
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

static int sysfs_u64(const char *dir, const char *attr,
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

static int ctrl_read(const char *name, struct ctrl_info *c)
{
	static const char * const attrs[] = {
		"id", "units", "busy", "queued", "completed", "failed",
		"timed_out", "busy_ns", "utilization",
	};
	unsigned long long *vals[] = {
		&c->id, &c->units, &c->busy, &c->queued, &c->completed,
		&c->failed, &c->timed_out, &c->busy_ns, &c->utilization,
	};
	char dir[PATH_MAX];
	unsigned int i;
	int ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/%s", VAAL_SYSFS_CTRLS, name);
	ret = sysfs_read(dir, "class", c->class, sizeof(c->class));
	for (i = 0; !ret && i < ARRAY_SIZE(attrs); i++)
		ret = sysfs_u64(dir, attrs[i], vals[i]);
	return ret;
}

static int ctrl_cmp(const void *a, const void *b)
{
	const struct ctrl_info *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmd_controllers(int json)
{
	struct ctrl_info *ctrls = NULL, *c;
	unsigned int n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	d = opendir(VAAL_SYSFS_CTRLS);
	if (!d) {
		fprintf(stderr, "%s: cannot read %s: %s%s\n", prog,
			VAAL_SYSFS_CTRLS, strerror(errno),
			errno == ENOENT ? " (is vaal_core loaded?)" : "");
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			c = realloc(ctrls, cap * sizeof(*ctrls));
			if (!c) {
				fprintf(stderr, "%s: out of memory\n", prog);
				closedir(d);
				free(ctrls);
				return 1;
			}
			ctrls = c;
		}
		/* A controller that went away while we read it is skipped. */
		if (!ctrl_read(de->d_name, &ctrls[n]))
			n++;
	}
	closedir(d);
	if (n)
		qsort(ctrls, n, sizeof(*ctrls), ctrl_cmp);

	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			c = &ctrls[i];
			printf("%s{\"name\":", i ? "," : "");
			json_str(c->name);
			printf(",\"class\":");
			json_str(c->class);
			printf(",\"id\":%llu,\"units\":%llu,\"busy\":%llu,\"queued\":%llu,",
			       c->id, c->units, c->busy, c->queued);
			printf("\"completed\":%llu,\"failed\":%llu,\"timed_out\":%llu,",
			       c->completed, c->failed, c->timed_out);
			printf("\"busy_ns\":%llu,\"utilization_permille\":%llu,",
			       c->busy_ns, c->utilization);
			printf("\"utilization\":%llu.%llu}",
			       c->utilization / 10, c->utilization % 10);
		}
		printf("]\n");
	} else {
		printf("%-16s %-12s %4s %5s %4s %6s %10s %7s %9s %14s %6s\n",
		       "NAME", "CLASS", "ID", "UNITS", "BUSY", "QUEUED",
		       "COMPLETED", "FAILED", "TIMED_OUT", "BUSY_NS", "UTIL");
		for (i = 0; i < n; i++) {
			c = &ctrls[i];
			printf("%-16s %-12s %4llu %5llu %4llu %6llu %10llu %7llu %9llu %14llu %4llu.%llu%%\n",
			       c->name, c->class, c->id, c->units, c->busy,
			       c->queued, c->completed, c->failed, c->timed_out,
			       c->busy_ns, c->utilization / 10,
			       c->utilization % 10);
		}
	}
	free(ctrls);
	return 0;
}

/* ---- contexts ----------------------------------------------------------- */

#define CTX_MAX_CLASSES	32

/**
 * struct ctx_info - an open context as /proc shows it
 * @pid: the process holding it
 * @fd: its file descriptor there
 * @comm: the process's name
 * @submitted: submissions consumed
 * @inflight: submissions in flight
 * @completed: completions posted
 * @buffers: buffers held
 * @buffer_bytes: their bytes
 * @nr_classes: entries in @cls
 * @cls: work done per class: name, launches completed, device time
 */
struct ctx_info {
	int pid, fd;
	char comm[64];
	unsigned long long submitted, inflight, completed, buffers;
	long long buffer_bytes;
	unsigned int nr_classes;
	struct {
		char name[VAAL_CLASS_LEN + 1];
		unsigned long long completed, device_ns;
	} cls[CTX_MAX_CLASSES];
};

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static void fdinfo_line(struct ctx_info *c, const char *line)
{
	unsigned long long a, b;
	char name[VAAL_CLASS_LEN + 1];

	if (sscanf(line, "vaal-submitted: %llu", &a) == 1)
		c->submitted = a;
	else if (sscanf(line, "vaal-inflight: %llu", &a) == 1)
		c->inflight = a;
	else if (sscanf(line, "vaal-completed: %llu", &a) == 1)
		c->completed = a;
	else if (sscanf(line, "vaal-buffers: %llu", &a) == 1)
		c->buffers = a;
	else if (sscanf(line, "vaal-buffer-bytes: %lld", &c->buffer_bytes) == 1)
		;
	else if (sscanf(line, "vaal-class-%16[^:]: %llu completed %llu ns",
			name, &a, &b) == 3 && c->nr_classes < CTX_MAX_CLASSES) {
		snprintf(c->cls[c->nr_classes].name,
			 sizeof(c->cls[0].name), "%s", name);
		c->cls[c->nr_classes].completed = a;
		c->cls[c->nr_classes].device_ns = b;
		c->nr_classes++;
	}
}

/*
 * Fill @c from /proc/@pid/fdinfo/@fd; -errno when it went away or is no
 * context.
 */
static int ctx_read(int pid, int fd, struct ctx_info *c)
{
	char path[64], line[256];
	int vaal = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->fd = fd;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(c->comm, sizeof(c->comm), f))
			c->comm[strcspn(c->comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "vaal-submitted:", 15))
			vaal = 1;
		fdinfo_line(c, line);
	}
	fclose(f);
	/* Another device behind the same number (-d) is not a context. */
	return vaal ? 0 : -ENOTTY;
}

static void ctx_print(const struct ctx_info *c, int json, int first)
{
	unsigned int i;

	if (!json) {
		printf("%7d %-15s %4d %10llu %8llu %10llu %7llu %12lld ",
		       c->pid, c->comm, c->fd, c->submitted, c->inflight,
		       c->completed, c->buffers, c->buffer_bytes);
		for (i = 0; i < c->nr_classes; i++)
			printf(" %s:%llu/%lluns", c->cls[i].name,
			       c->cls[i].completed, c->cls[i].device_ns);
		printf("\n");
		return;
	}
	printf("%s{\"pid\":%d,\"comm\":", first ? "" : ",", c->pid);
	json_str(c->comm);
	printf(",\"fd\":%d,\"submitted\":%llu,\"inflight\":%llu,", c->fd,
	       c->submitted, c->inflight);
	printf("\"completed\":%llu,\"buffers\":%llu,\"buffer_bytes\":%lld,",
	       c->completed, c->buffers, c->buffer_bytes);
	printf("\"classes\":{");
	for (i = 0; i < c->nr_classes; i++) {
		printf("%s", i ? "," : "");
		json_str(c->cls[i].name);
		printf(":{\"completed\":%llu,\"device_ns\":%llu}",
		       c->cls[i].completed, c->cls[i].device_ns);
	}
	printf("}}");
}

static int pid_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The pids in /proc, ascending; NULL on failure. */
static int *list_pids(unsigned int *n)
{
	unsigned int cap = 0;
	struct dirent *de;
	int *pids = NULL, *p;
	DIR *d;

	*n = 0;
	d = opendir("/proc");
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (!is_number(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			p = realloc(pids, cap * sizeof(*pids));
			if (!p) {
				free(pids);
				closedir(d);
				errno = ENOMEM;
				return NULL;
			}
			pids = p;
		}
		pids[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	if (!pids)
		pids = malloc(sizeof(*pids));
	if (*n)
		qsort(pids, *n, sizeof(*pids), pid_cmp);
	return pids;
}

static int cmd_contexts(const char *dev, int json)
{
	const char *path = dev ? dev : VAAL_DEFAULT_PATH;
	unsigned int nr_pids, i, found = 0;
	struct ctx_info c;
	struct dirent *de;
	char dir[64], link[64 + NAME_MAX + 2];
	struct stat st, dst;
	int *pids;
	DIR *d;

	if (stat(path, &dst)) {
		fprintf(stderr, "%s: cannot stat %s: %s%s\n", prog, path,
			strerror(errno),
			errno == ENOENT ? " (is vaal_core loaded?)" : "");
		return 1;
	}
	if (!S_ISCHR(dst.st_mode)) {
		fprintf(stderr, "%s: %s is not a character device\n", prog, path);
		return 1;
	}
	pids = list_pids(&nr_pids);
	if (!pids) {
		fprintf(stderr, "%s: cannot read /proc: %s\n", prog,
			strerror(errno));
		return 1;
	}
	if (json)
		printf("[");
	else
		printf("%7s %-15s %4s %10s %8s %10s %7s %12s  %s\n", "PID", "COMM",
		       "FD", "SUBMITTED", "INFLIGHT", "COMPLETED", "BUFFERS",
		       "BUFFER_BYTES", "CLASS:COMPLETED/DEVICE_NS");
	for (i = 0; i < nr_pids; i++) {
		snprintf(dir, sizeof(dir), "/proc/%d/fd", pids[i]);
		/* Processes gone or not ours to see are skipped. */
		d = opendir(dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (!is_number(de->d_name))
				continue;
			snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
			if (stat(link, &st) || !S_ISCHR(st.st_mode) ||
			    st.st_rdev != dst.st_rdev)
				continue;
			if (ctx_read(pids[i], atoi(de->d_name), &c))
				continue;
			ctx_print(&c, json, !found);
			found++;
		}
		closedir(d);
	}
	free(pids);
	if (json)
		printf("]\n");
	return 0;
}

/* ---- sched -------------------------------------------------------------- */

#define VCS_SYSFS	"/sys/kernel/vcore_sched"
#define SCHED_TEXT_MAX	(1 << 20)
#define SCHED_DIR_LEN	(sizeof(VCS_SYSFS) + NAME_MAX + 1)

/* "2ms", "100us", "1s", "500ns", "500" (ns): nanoseconds; -EINVAL. */
static int parse_ns(const char *s, unsigned long long *ns)
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
static const char *fmt_ns(unsigned long long ns, char *buf, size_t len)
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

/* A share in millionths as a percentage, exactly: "20%", "0.025%". */
static const char *fmt_ppm(unsigned long long ppm, char *buf, size_t len)
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
	fprintf(stderr, "%s: %s/%s/%s: cannot parse '%s'\n", prog, VCS_SYSFS,
		class, attr, line);
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

static void sched_show_parts(const char *class, char *text, int json)
{
	char *line, *units, *cgroup;
	unsigned long long mask;
	int excl, n = 0;

	if (json)
		printf("\"partitions\":[");
	while ((line = next_line(&text))) {
		if (sched_part_parse(line, &units, &cgroup, &excl) ||
		    parse_units(units, &mask)) {
			sched_bad_line(class, "partitions", line);
			continue;
		}
		if (json) {
			printf("%s{\"units\":", n ? "," : "");
			json_str(units);
			printf(",\"units_mask\":%llu,\"cgroup\":", mask);
			json_str(cgroup);
			printf(",\"exclusive\":%s}", excl ? "true" : "false");
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
	if (json)
		printf("],");
	else if (!n)
		printf("  partitions: none\n");
}

static void sched_show_ctxs(const char *class, char *text, int json)
{
	char ub[256], part[16];
	struct sched_ctx c;
	char *line;
	int n = 0;

	if (json)
		printf("\"contexts\":[");
	while ((line = next_line(&text))) {
		if (sched_ctx_parse(line, &c)) {
			sched_bad_line(class, "contexts", line);
			continue;
		}
		fmt_units(c.units, ub, sizeof(ub));
		if (json) {
			printf("%s{\"ctx\":%llu,\"pid\":%d,\"cgroup\":",
			       n ? "," : "", c.ctx, c.pid);
			json_str(c.cgroup);
			printf(",\"partition\":%d,\"units\":\"%s\",\"units_mask\":%llu,",
			       c.partition, ub, c.units);
			printf("\"budget_ns\":%llu,\"period_ns\":%llu,\"usage_ns\":%llu,",
			       c.budget_ns, c.period_ns, c.usage_ns);
			printf("\"rt_ns\":%llu,\"periods\":%llu,\"met\":%llu}",
			       c.rt_ns, c.periods, c.met);
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
	if (json)
		printf("],");
	else if (!n)
		printf("  contexts: none\n");
}

static void sched_show_usage(const char *class, char *text, int json)
{
	unsigned long long ns;
	char *line, *cgroup;
	int n = 0;

	if (json)
		printf("\"usage\":{");
	else
		printf("  usage:\n");
	while ((line = next_line(&text))) {
		if (sched_usage_parse(line, &cgroup, &ns)) {
			sched_bad_line(class, "usage", line);
			continue;
		}
		if (json) {
			printf("%s", n ? "," : "");
			json_str(cgroup);
			printf(":%llu", ns);
		} else {
			printf("    %-24s %14llu ns\n", cgroup, ns);
		}
		n++;
	}
	if (json)
		printf("}}");
}

/* One class: 0, or -errno when its directory cannot be read. */
static int sched_show_class(const char *class, int json, int first)
{
	static const char * const attrs[] = {
		"policy", "rt_limit", "units", "partitions", "contexts", "usage",
	};
	char *text[ARRAY_SIZE(attrs)] = { NULL };
	char dir[SCHED_DIR_LEN];
	unsigned int i;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/%s", VCS_SYSFS, class);
	for (i = 0; !ret && i < ARRAY_SIZE(attrs); i++) {
		ret = sysfs_slurp(dir, attrs[i], &text[i]);
		if (ret)
			fprintf(stderr, "%s: cannot read %s/%s: %s\n", prog,
				dir, attrs[i], strerror(-ret));
	}
	if (ret)
		goto out;
	for (i = 0; i < 3; i++)
		text[i][strcspn(text[i], "\n")] = '\0';
	if (json) {
		printf("%s{\"class\":", first ? "" : ",");
		json_str(class);
		printf(",\"policy\":");
		json_str(text[0]);
		printf(",\"rt_limit\":%s,\"units\":%s,", text[1], text[2]);
	} else {
		printf("%s%s: policy %s, rt_limit %s%%, units %s\n",
		       first ? "" : "\n", class, text[0], text[1], text[2]);
	}
	sched_show_parts(class, text[3], json);
	sched_show_ctxs(class, text[4], json);
	sched_show_usage(class, text[5], json);
out:
	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		free(text[i]);
	return ret;
}

static int sched_show(int json)
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
	if (json)
		printf("[");
	for (i = 0; i < n; i++) {
		if (sched_show_class(names[i], json, !shown))
			ret = 1;
		else
			shown++;
	}
	if (json)
		printf("]\n");
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

static void sched_attr_print(const struct vaal_sched_attr *a, int pid, int fd,
			     int json)
{
	char ub[256], b[32], p[32], adm[32], lim[32];

	fmt_units(a->units, ub, sizeof(ub));
	fmt_ppm(a->admitted_ppm, adm, sizeof(adm));
	fmt_ppm(a->limit_ppm, lim, sizeof(lim));
	if (json) {
		printf("{\"pid\":%d,\"fd\":%d,\"class\":", pid, fd);
		json_str(a->class);
		printf(",\"budget_ns\":%llu,\"period_ns\":%llu,",
		       (unsigned long long)a->budget_ns,
		       (unsigned long long)a->period_ns);
		printf("\"units\":\"%s\",\"units_mask\":%llu,", ub,
		       (unsigned long long)a->units);
		printf("\"limit_ppm\":%u,\"admitted_ppm\":%u}\n", a->limit_ppm,
		       a->admitted_ppm);
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
static int sched_ctx_cmd(const char *dev, int json, const char *sub,
			 int argc, char **argv)
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
	tfd = take_fd(dev, pid, fd);
	if (tfd < 0)
		return 1;
	if (flags)
		ret = vaal_sched_set(tfd, class, flags, budget, period, units,
				     &attr);
	else
		ret = vaal_sched_get(tfd, class, &attr);
	close(tfd);
	if (!ret) {
		sched_attr_print(&attr, pid, fd, json);
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

static int cmd_sched(const char *dev, int json, int argc, char **argv)
{
	static const struct {
		const char *name;
		int min, max;
	} subs[] = {
		{ "policy", 3, 3 }, { "rt-limit", 3, 3 },
		{ "partitions", 3, INT_MAX }, { "reserve", 6, 6 },
		{ "pin", 5, 5 }, { "get", 4, 4 },
	};
	unsigned int i;

	if (!argc)
		return sched_show(json);
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
	return sched_ctx_cmd(dev, json, argv[0], argc - 1, argv + 1);
}

/* ---- run ---------------------------------------------------------------- */

/**
 * struct run_arg - a buffer argument of run
 * @mode: %VAAL_ARG_*
 * @file: the file it comes from or goes to, "-" for stdin/stdout
 * @data: the input's bytes (in, inout)
 * @len: bytes of the argument
 * @buf: its buffer in the context
 */
struct run_arg {
	__u8 mode;
	const char *file;
	void *data;
	size_t len;
	struct vaal_buffer buf;
};

/**
 * struct run_req - what run was asked to do
 * @class: the kernel's class
 * @name: the kernel's name
 * @args: the buffer arguments, in order
 * @nr_args: their number
 * @scalars: the scalar bytes, in order
 * @scalar_bytes: their number
 * @timeout_ns: the kernel's deadline, 0 for the module's default
 * @rsv_class: the class of the reservation to make first, NULL for none
 * @rsv_budget: its budget, ns
 * @rsv_period: its period, ns
 */
struct run_req {
	const char *class, *name;
	struct run_arg args[VAAL_MAX_ARGS];
	unsigned int nr_args;
	__u8 scalars[VAAL_MAX_SCALAR_BYTES];
	unsigned int scalar_bytes;
	__u64 timeout_ns;
	const char *rsv_class;
	unsigned long long rsv_budget, rsv_period;
};

/* "4096", "4k", "1M", "0x100": bytes; 0 on failure. */
static unsigned long long parse_size(const char *s)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	}
	if (*end || v > ULLONG_MAX / mul)
		return 0;
	return v * mul;
}

static int parse_ull(const char *s, unsigned long long max,
		     unsigned long long *v)
{
	char *end;

	if (*s == '-' || !*s)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int add_scalar(struct run_req *rq, const void *p, unsigned int len)
{
	if (rq->scalar_bytes + len > VAAL_MAX_SCALAR_BYTES) {
		fprintf(stderr, "%s: more than %u bytes of scalars (see '%s help')\n",
			prog, VAAL_MAX_SCALAR_BYTES, prog);
		return 2;
	}
	memcpy(rq->scalars + rq->scalar_bytes, p, len);
	rq->scalar_bytes += len;
	return 0;
}

static int add_hex(struct run_req *rq, const char *s)
{
	__u8 b;
	int hi, lo, ret;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!*s || strlen(s) % 2)
		return usage_error("--hex wants an even number of hex digits, not '%s'", s);
	for (; *s; s += 2) {
		hi = hex_digit(s[0]);
		lo = hex_digit(s[1]);
		if (hi < 0 || lo < 0)
			return usage_error("--hex: '%s' is not hex", s);
		b = hi << 4 | lo;
		ret = add_scalar(rq, &b, 1);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_buf_arg(struct run_req *rq, __u8 mode, const char *val)
{
	struct run_arg *a;
	unsigned long long size;
	char *colon;

	if (rq->nr_args == VAAL_MAX_ARGS) {
		fprintf(stderr, "%s: more than %u buffer arguments (see '%s help')\n",
			prog, VAAL_MAX_ARGS, prog);
		return 2;
	}
	a = &rq->args[rq->nr_args];
	a->mode = mode;
	a->file = val;
	if (mode == VAAL_ARG_OUT) {
		colon = strrchr(val, ':');
		if (!colon || colon == val)
			return usage_error("--out wants FILE:SIZE, not '%s'", val);
		size = parse_size(colon + 1);
		if (!size || size > UINT32_MAX)
			return usage_error("--out: bad size '%s' (1 byte to 4G - 1)",
					   colon + 1);
		*colon = '\0';
		a->len = size;
	} else if (!*val) {
		return usage_error("%s", "--in and --inout want a FILE");
	}
	rq->nr_args++;
	return 0;
}

/* --reserve [CLASS:]BUDGET/PERIOD */
static int parse_reserve(struct run_req *rq, char *val)
{
	char *colon = strchr(val, ':'), *slash, *b = val;

	rq->rsv_class = rq->class;
	if (colon) {
		*colon = '\0';
		if (!*val)
			return usage_error("%s", "--reserve: empty CLASS");
		rq->rsv_class = val;
		b = colon + 1;
	}
	slash = strchr(b, '/');
	if (!slash)
		return usage_error("--reserve wants [CLASS:]BUDGET/PERIOD, not '%s'",
				   b);
	*slash = '\0';
	if (parse_ns(b, &rq->rsv_budget) || parse_ns(slash + 1, &rq->rsv_period))
		return usage_error("--reserve: bad duration in '%s' (a number with ns, us, ms or s)",
				   b);
	return 0;
}

static int parse_run_args(struct run_req *rq, int argc, char **argv)
{
	unsigned long long v;
	int i, ret, stdin_used = 0;
	char *opt, *val, *eq;
	__u32 v32;
	__u64 v64;

	for (i = 0; i < argc; i++) {
		opt = argv[i];
		eq = strncmp(opt, "--", 2) ? NULL : strchr(opt, '=');
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			if (!strncmp(opt, "--", 2))
				return usage_error("%s wants a value", opt);
			val = NULL;
		}
		if (!strcmp(opt, "--in") || !strcmp(opt, "--inout")) {
			if (!strcmp(val, "-") && stdin_used++)
				return usage_error("%s", "stdin ('-') can feed one argument only");
			ret = add_buf_arg(rq, opt[4] ? VAAL_ARG_INOUT : VAAL_ARG_IN, val);
		} else if (!strcmp(opt, "--out")) {
			ret = add_buf_arg(rq, VAAL_ARG_OUT, val);
		} else if (!strcmp(opt, "--u32")) {
			if (parse_ull(val, UINT32_MAX, &v))
				return usage_error("--u32: bad number '%s'", val);
			v32 = htole32((__u32)v);
			ret = add_scalar(rq, &v32, sizeof(v32));
		} else if (!strcmp(opt, "--u64")) {
			if (parse_ull(val, ULLONG_MAX, &v))
				return usage_error("--u64: bad number '%s'", val);
			v64 = htole64((__u64)v);
			ret = add_scalar(rq, &v64, sizeof(v64));
		} else if (!strcmp(opt, "--hex")) {
			ret = add_hex(rq, val);
		} else if (!strcmp(opt, "--timeout")) {
			if (parse_ull(val, VAAL_MAX_TIMEOUT_NS / 1000000, &v) || !v)
				return usage_error("--timeout: bad milliseconds '%s'", val);
			rq->timeout_ns = v * 1000000;
			ret = 0;
		} else if (!strcmp(opt, "--reserve")) {
			ret = parse_reserve(rq, val);
		} else {
			return usage_error("run: unknown argument '%s'", opt);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Read all of @file ("-": stdin) into @a->data. */
static int read_input(struct run_arg *a)
{
	size_t cap = 0, len = 0;
	char *p;
	ssize_t n;
	int fd;

	fd = strcmp(a->file, "-") ? open(a->file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			p = realloc(a->data, cap);
			if (!p) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			a->data = p;
		}
		n = read(fd, (char *)a->data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (n < 0) {
		n = -errno;
		if (fd)
			close(fd);
		return n;
	}
	if (fd)
		close(fd);
	a->len = len;
	return 0;
}

static int write_all(int fd, const void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p = (const char *)p + n;
		len -= n;
	}
	return 0;
}

static void print_hex(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", b[i]);
}

/* Write an output argument to its file; "-" is printed in hex later. */
static int write_output(const struct run_arg *a)
{
	int fd, ret;

	if (!strcmp(a->file, "-"))
		return 0;
	fd = open(a->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, a->buf.map, a->len);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* What a launch's error means, beyond strerror(). */
static const char *res_hint(int res)
{
	switch (res) {
	case -ENODEV:
		return "no controller serves class %s";
	case -ENOENT:
		return "unknown kernel";
	case -EINVAL:
		return "arguments do not match the kernel's signature";
	case -ETIMEDOUT:
		return "the kernel ran past its deadline";
	case -ECANCELED:
		return "a kernel it depends on failed";
	case -EBADMSG:
		return "authentication failed";
	case -EIO:
		return "its controller went away";
	case -EFAULT:
		return "an argument's range lies outside its buffer";
	case -EBADF:
		return "unknown buffer";
	}
	return NULL;
}

/* Register @rq's kernel; libvaal's call has no deadline, so do it here. */
static int kernel_register(int fd, const struct run_req *rq, __u32 *id)
{
	struct vaal_kernel_register req;
	unsigned int i;

	memset(&req, 0, sizeof(req));
	if (strlen(rq->class) >= sizeof(req.class) ||
	    strlen(rq->name) >= sizeof(req.name))
		return -ENAMETOOLONG;
	req.size = sizeof(req);
	memcpy(req.class, rq->class, strlen(rq->class));
	memcpy(req.name, rq->name, strlen(rq->name));
	req.nr_args = rq->nr_args;
	req.scalar_bytes = rq->scalar_bytes;
	for (i = 0; i < rq->nr_args; i++)
		req.arg_mode[i] = rq->args[i].mode;
	req.timeout_ns = rq->timeout_ns;
	if (ioctl(fd, VAAL_IOC_KERNEL_REGISTER, &req))
		return -errno;
	*id = req.id;
	return 0;
}

static void run_fail(const struct run_req *rq, const char *what, int err)
{
	fprintf(stderr, "%s: %s on %s: %s: %s\n", prog, rq->name, rq->class,
		what, strerror(-err));
}

/*
 * Launch @rq on @fd once; 0 with *@cqe filled when it completed (with
 * whatever result), 1 when it could not be launched.
 */
static int run_launch(int fd, struct run_req *rq, struct vaal_cqe *out)
{
	struct vaal_sqe_arg sargs[VAAL_MAX_ARGS];
	__u8 modes[VAAL_MAX_ARGS];
	struct vaal_cqe *cqe;
	struct vaal_ring r;
	unsigned int i;
	__u32 id = 0;
	int ret;

	for (i = 0; i < rq->nr_args; i++) {
		struct run_arg *a = &rq->args[i];

		ret = vaal_buf_create(fd, a->len, &a->buf);
		if (!ret)
			ret = vaal_buf_map(fd, &a->buf);
		if (ret) {
			fprintf(stderr, "%s: %s on %s: cannot create a buffer of %zu bytes for argument %u: %s\n",
				prog, rq->name, rq->class, a->len, i,
				strerror(-ret));
			return 1;
		}
		if (a->mode != VAAL_ARG_OUT)
			memcpy(a->buf.map, a->data, a->len);
		sargs[i].handle = a->buf.handle;
		sargs[i].length = a->len;
		sargs[i].offset = 0;
		modes[i] = a->mode;
	}
	ret = kernel_register(fd, rq, &id);
	if (ret) {
		fprintf(stderr, "%s: %s on %s: cannot register the kernel: %s%s\n",
			prog, rq->name, rq->class, strerror(-ret),
			ret == -EINVAL ? " (bad class or kernel name?)" : "");
		return 1;
	}
	ret = vaal_ring_init(fd, 8, 0, &r);
	if (ret) {
		run_fail(rq, "cannot set the rings up", ret);
		return 1;
	}
	ret = vaal_queue_launch(&r, id, sargs, modes, rq->nr_args,
				rq->scalars, rq->scalar_bytes, 1);
	if (ret) {
		run_fail(rq, "cannot queue the launch", ret);
		goto out;
	}
	do {
		ret = vaal_submit_and_wait(&r, 1);
	} while (ret == -EINTR);
	if (ret < 0) {
		run_fail(rq, "cannot submit", ret);
		goto out;
	}
	do {
		ret = vaal_wait_cqe(&r, &cqe);
	} while (ret == -EINTR);
	if (ret) {
		run_fail(rq, "cannot reap the completion", ret);
		goto out;
	}
	*out = *cqe;
	vaal_cqe_seen(&r);
out:
	vaal_ring_exit(&r);
	return ret ? 1 : 0;
}

/* --reserve: 0, or 1 after saying why the reservation was refused. */
static int run_reserve(int fd, const struct run_req *rq, int verbose)
{
	char b[32], p[32], adm[32], lim[32];
	struct vaal_sched_attr attr;
	int ret;

	fmt_ns(rq->rsv_budget, b, sizeof(b));
	fmt_ns(rq->rsv_period, p, sizeof(p));
	ret = vaal_sched_set(fd, rq->rsv_class, VAAL_SCHED_RESERVE,
			     rq->rsv_budget, rq->rsv_period, 0, &attr);
	if (!ret) {
		if (verbose)
			fprintf(stderr, "%s: reserved %s per %s on %s\n", prog,
				b, p, rq->rsv_class);
		return 0;
	}
	fprintf(stderr, "%s: %s on %s: cannot reserve %s per %s on %s: %s",
		prog, rq->name, rq->class, b, p, rq->rsv_class,
		strerror(-ret));
	if (attr.reason != VAAL_SCHED_OK)
		fprintf(stderr, " (%s", vaal_sched_reason(attr.reason));
	if (attr.reason == VAAL_SCHED_EOVERLOAD)
		fprintf(stderr, ": %s of its units reserved, limit %s",
			fmt_ppm(attr.admitted_ppm, adm, sizeof(adm)),
			fmt_ppm(attr.limit_ppm, lim, sizeof(lim)));
	fprintf(stderr, "%s\n", attr.reason != VAAL_SCHED_OK ? ")" : "");
	return 1;
}

static int cmd_run(const char *dev, int json, int verbose, int argc,
		   char **argv)
{
	struct run_req *rq;
	struct vaal_cqe cqe;
	unsigned int i, n;
	const char *hint;
	int fd = -1, ret;

	if (argc < 2)
		return usage_error("%s", "run wants CLASS KERNEL ARG...");
	rq = calloc(1, sizeof(*rq));
	if (!rq) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	rq->class = argv[0];
	rq->name = argv[1];
	ret = parse_run_args(rq, argc - 2, argv + 2);
	if (ret)
		goto out;

	ret = 1;
	for (i = 0; i < rq->nr_args; i++) {
		struct run_arg *a = &rq->args[i];
		int err;

		if (a->mode == VAAL_ARG_OUT)
			continue;
		err = read_input(a);
		if (err) {
			fprintf(stderr, "%s: cannot read %s: %s\n", prog,
				a->file, strerror(-err));
			goto out;
		}
		if (!a->len || a->len > UINT32_MAX) {
			fprintf(stderr, "%s: %s: %s (a buffer argument holds 1 byte to 4G - 1)\n",
				prog, a->file, a->len ? "too large" : "empty");
			goto out;
		}
	}

	fd = open_device(dev);
	if (fd < 0)
		goto out;
	if (rq->rsv_class && run_reserve(fd, rq, verbose))
		goto out;
	if (run_launch(fd, rq, &cqe))
		goto out;

	if (verbose)
		fprintf(stderr, "%s: %s on %s: res %d, controller %u, device time %llu ns\n",
			prog, rq->name, rq->class, cqe.res, cqe.controller,
			(unsigned long long)cqe.device_ns);
	if (cqe.res) {
		hint = res_hint(cqe.res);
		fprintf(stderr, "%s: %s on %s: %s", prog, rq->name, rq->class,
			strerror(-cqe.res));
		if (hint) {
			fprintf(stderr, " (");
			fprintf(stderr, hint, rq->class);
			fprintf(stderr, ")");
		}
		fprintf(stderr, "\n");
	} else {
		for (i = 0; i < rq->nr_args; i++) {
			struct run_arg *a = &rq->args[i];
			int err;

			if (a->mode == VAAL_ARG_IN)
				continue;
			err = write_output(a);
			if (err) {
				fprintf(stderr, "%s: cannot write %s: %s\n",
					prog, a->file, strerror(-err));
				goto out;
			}
		}
	}

	if (json) {
		printf("{\"res\":%d,", cqe.res);
		if (cqe.res) {
			printf("\"error\":");
			json_str(strerror(-cqe.res));
			printf(",");
		}
		printf("\"controller\":%u,\"device_ns\":%llu,\"outputs\":[",
		       cqe.controller, (unsigned long long)cqe.device_ns);
		for (i = 0, n = 0; !cqe.res && i < rq->nr_args; i++) {
			struct run_arg *a = &rq->args[i];

			if (a->mode == VAAL_ARG_IN)
				continue;
			printf("%s{\"arg\":%u,\"file\":", n++ ? "," : "", i);
			json_str(a->file);
			printf(",\"bytes\":%zu", a->len);
			if (!strcmp(a->file, "-")) {
				printf(",\"hex\":\"");
				print_hex(a->buf.map, a->len);
				printf("\"");
			}
			printf("}");
		}
		printf("]}\n");
	} else if (!cqe.res) {
		for (i = 0; i < rq->nr_args; i++) {
			struct run_arg *a = &rq->args[i];

			if (a->mode == VAAL_ARG_IN || strcmp(a->file, "-"))
				continue;
			print_hex(a->buf.map, a->len);
			printf("\n");
		}
	}
	ret = cqe.res ? 1 : 0;
out:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < rq->nr_args; i++)
		free(rq->args[i].data);
	free(rq);
	if (fflush(stdout) && !ret) {
		fprintf(stderr, "%s: cannot write stdout: %s\n", prog,
			strerror(errno));
		ret = 1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *cmd;
	int json = 0, verbose = 0, opt, nargs;

	/* '+': options end at the command, run's arguments are its own. */
	while ((opt = getopt(argc, argv, "+d:jvh")) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	nargs = argc - optind - 1;
	if (!strcmp(cmd, "run"))
		return cmd_run(dev, json, verbose, nargs, argv + optind + 1);
	if (!strcmp(cmd, "sched"))
		return cmd_sched(dev, json, nargs, argv + optind + 1);
	if (!strcmp(cmd, "help")) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "info") && strcmp(cmd, "controllers") &&
	    strcmp(cmd, "contexts")) {
		fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
		print_usage(stderr);
		return 2;
	}
	if (nargs)
		return usage_error("%s takes no arguments", cmd);
	if (!strcmp(cmd, "info"))
		return cmd_info(dev, json);
	if (!strcmp(cmd, "controllers"))
		return cmd_controllers(json);
	return cmd_contexts(dev, json);
}
