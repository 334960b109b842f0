// SPDX-License-Identifier: GPL-2.0
/*
 * contexts.c - vaalctl contexts: the open files of the device in
 * /proc/PID/fd, read from their fdinfo as DRM fdinfo tools do
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vaalctl.h"

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

static void ctx_print(const struct ctx_info *c)
{
	struct json_writer *jw = json_wtr;
	unsigned int i;

	if (!json_output) {
		printf("%7d %-15s %4d %10llu %8llu %10llu %7llu %12lld ",
		       c->pid, c->comm, c->fd, c->submitted, c->inflight,
		       c->completed, c->buffers, c->buffer_bytes);
		for (i = 0; i < c->nr_classes; i++)
			printf(" %s:%llu/%lluns", c->cls[i].name,
			       c->cls[i].completed, c->cls[i].device_ns);
		printf("\n");
		return;
	}
	jsonw_start_object(jw);
	jsonw_s64_field(jw, "pid", c->pid);
	jsonw_string_field(jw, "comm", c->comm);
	jsonw_s64_field(jw, "fd", c->fd);
	jsonw_u64_field(jw, "submitted", c->submitted);
	jsonw_u64_field(jw, "inflight", c->inflight);
	jsonw_u64_field(jw, "completed", c->completed);
	jsonw_u64_field(jw, "buffers", c->buffers);
	jsonw_s64_field(jw, "buffer_bytes", c->buffer_bytes);
	jsonw_name(jw, "classes");
	jsonw_start_object(jw);
	for (i = 0; i < c->nr_classes; i++) {
		jsonw_name(jw, c->cls[i].name);
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "completed", c->cls[i].completed);
		jsonw_u64_field(jw, "device_ns", c->cls[i].device_ns);
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
	jsonw_end_object(jw);
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

int do_contexts(int argc, char **argv)
{
	const char *path = device ? device : VAAL_DEFAULT_PATH;
	unsigned int nr_pids, i;
	struct ctx_info c;
	struct dirent *de;
	char dir[64], link[64 + NAME_MAX + 2];
	struct stat st, dst;
	int *pids;
	DIR *d;

	if (argc)
		return usage_error("%s takes no arguments", "contexts");
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
	if (json_output)
		jsonw_start_array(json_wtr);
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
			ctx_print(&c);
		}
		closedir(d);
	}
	free(pids);
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}
