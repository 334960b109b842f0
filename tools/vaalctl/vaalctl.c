// SPDX-License-Identifier: GPL-2.0
/*
 * vaalctl - show and drive the V-Core accelerator abstraction layer
 *
 *   vaalctl [-j] [-v] [-d DEVICE] info
 *   vaalctl [-j] controllers
 *   vaalctl [-j] [-d DEVICE] contexts
 *   vaalctl [-j] [-v] [-d DEVICE] run CLASS KERNEL ARG...
 *   vaalctl help
 *
 * controllers reads /sys/class/misc/vaal/controllers; contexts finds the
 * open files of the device in /proc/PID/fd and reads their fdinfo, as DRM
 * fdinfo tools do; run opens a context, creates a buffer per argument,
 * registers the kernel with the signature the arguments make, launches it
 * once through a small ring and writes the outputs.
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
		"               buffer arguments and scalars are passed in the order given;\n"
		"               the signature (arguments, modes, scalar bytes) is theirs\n"
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
		"  %s run cpu xor --in a --in b --out c:4096\n",
		prog, VAAL_DEFAULT_PATH, prog, prog, prog);
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
 */
struct run_req {
	const char *class, *name;
	struct run_arg args[VAAL_MAX_ARGS];
	unsigned int nr_args;
	__u8 scalars[VAAL_MAX_SCALAR_BYTES];
	unsigned int scalar_bytes;
	__u64 timeout_ns;
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
