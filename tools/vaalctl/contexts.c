// SPDX-License-Identifier: GPL-2.0
/*
 * contexts.c - vaalctl contexts: the open files of the device in
 * /proc/PID/fd, read from their fdinfo as DRM fdinfo tools do, then the
 * contexts of in-kernel clients (a guest's mediated device), which have no
 * file: vcore_sched's debugfs tables show those that had work on a class,
 * with their owner's label
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
#define VAAL_OWNER_LEN	48	/* VAAL_CLIENT_LABEL_LEN, in the kernel */

/**
 * struct ctx_info - an open context as /proc shows it, or a client's as
 *	vcore_sched's tables do
 * @pid: the process holding it
 * @fd: its file descriptor there, -1 for a client's context
 * @ctx: vaal_core's id of the context
 * @comm: the process's name
 * @owner: the label of a client's context, empty for a file's
 * @counted: the counters below are known (from fdinfo); for a client's
 *	context only the device time of each class is
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
	unsigned long long ctx;
	char comm[64];
	char owner[VAAL_OWNER_LEN];
	int counted;
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

	if (sscanf(line, "vaal-ctx-id: %llu", &a) == 1)
		c->ctx = a;
	else if (sscanf(line, "vaal-submitted: %llu", &a) == 1)
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

/* The name of process @pid into @c->comm, empty when it is gone. */
static void ctx_comm(struct ctx_info *c, int pid)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(c->comm, sizeof(c->comm), f))
			c->comm[strcspn(c->comm, "\n")] = '\0';
		fclose(f);
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
	c->counted = 1;
	ctx_comm(c, pid);
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

static void ctx_print_text(const struct ctx_info *c)
{
	const char *owner = c->owner[0] ? c->owner : "-";
	unsigned int i;

	if (c->counted)
		printf("%7d %-15s %4d %10llu %8llu %10llu %7llu %12lld %-20s ",
		       c->pid, c->comm, c->fd, c->submitted, c->inflight,
		       c->completed, c->buffers, c->buffer_bytes, owner);
	else
		printf("%7d %-15s %4s %10s %8s %10s %7s %12s %-20s ", c->pid,
		       c->comm, "-", "-", "-", "-", "-", "-", owner);
	for (i = 0; i < c->nr_classes; i++) {
		if (c->counted)
			printf(" %s:%llu/%lluns", c->cls[i].name,
			       c->cls[i].completed, c->cls[i].device_ns);
		else
			printf(" %s:-/%lluns", c->cls[i].name,
			       c->cls[i].device_ns);
	}
	printf("\n");
}

/* Unknown counters of a client's context are null. */
static void ctx_u64_field(const struct ctx_info *c, const char *name,
			  unsigned long long v)
{
	if (c->counted)
		jsonw_u64_field(json_wtr, name, v);
	else
		jsonw_null_field(json_wtr, name);
}

static void ctx_print(const struct ctx_info *c)
{
	struct json_writer *jw = json_wtr;
	unsigned int i;

	if (!json_output) {
		ctx_print_text(c);
		return;
	}
	jsonw_start_object(jw);
	jsonw_s64_field(jw, "pid", c->pid);
	jsonw_string_field(jw, "comm", c->comm);
	if (c->fd >= 0)
		jsonw_s64_field(jw, "fd", c->fd);
	else
		jsonw_null_field(jw, "fd");
	if (c->ctx)
		jsonw_u64_field(jw, "ctx", c->ctx);
	else
		jsonw_null_field(jw, "ctx");
	if (c->owner[0])
		jsonw_string_field(jw, "owner", c->owner);
	else
		jsonw_null_field(jw, "owner");
	ctx_u64_field(c, "submitted", c->submitted);
	ctx_u64_field(c, "inflight", c->inflight);
	ctx_u64_field(c, "completed", c->completed);
	ctx_u64_field(c, "buffers", c->buffers);
	if (c->counted)
		jsonw_s64_field(jw, "buffer_bytes", c->buffer_bytes);
	else
		jsonw_null_field(jw, "buffer_bytes");
	jsonw_name(jw, "classes");
	jsonw_start_object(jw);
	for (i = 0; i < c->nr_classes; i++) {
		jsonw_name(jw, c->cls[i].name);
		jsonw_start_object(jw);
		ctx_u64_field(c, "completed", c->cls[i].completed);
		jsonw_u64_field(jw, "device_ns", c->cls[i].device_ns);
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
	jsonw_end_object(jw);
}

/*
 * A client's context in a line of DEBUGFS/vcore_sched/@class/contexts,
 * "ctx=.. pid=.. cgroup=.. ... usage_ns=.. ... owner=LABEL", added to
 * @ctxs (@n of them, room @room) or to its entry there.
 */
static void client_line(struct ctx_info *ctxs, unsigned int *n,
			unsigned int room, const char *class, const char *line)
{
	unsigned long long id, usage;
	const char *owner, *p;
	struct ctx_info *c;
	unsigned int i;
	int pid;

	/* The label has no spaces; a cgroup's name may. */
	owner = strrchr(line, ' ');
	if (!owner || strncmp(owner, " owner=", 7) || !strcmp(owner + 7, "-"))
		return;
	owner += 7;
	p = strstr(line, " usage_ns=");
	if (sscanf(line, "ctx=%llu pid=%d ", &id, &pid) != 2 || !p ||
	    sscanf(p, " usage_ns=%llu", &usage) != 1)
		return;
	for (i = 0; i < *n && ctxs[i].ctx != id; i++)
		;
	c = &ctxs[i];
	if (i == *n) {
		if (*n == room)
			return;
		(*n)++;
		memset(c, 0, sizeof(*c));
		c->ctx = id;
		c->pid = pid;
		c->fd = -1;
		snprintf(c->owner, sizeof(c->owner), "%s", owner);
		ctx_comm(c, pid);
	}
	if (c->nr_classes == CTX_MAX_CLASSES ||
	    strlen(class) >= sizeof(c->cls[0].name))
		return;
	memcpy(c->cls[c->nr_classes].name, class, strlen(class) + 1);
	c->cls[c->nr_classes++].device_ns = usage;
}

/*
 * Print the clients' contexts of vcore_sched's tables (none without
 * vcore_sched, debugfs or the right to read it); at most @room.
 */
static void print_clients(unsigned int room)
{
	char path[sizeof(VCS_DEBUGFS) + NAME_MAX + 16], line[1024];
	struct ctx_info *ctxs;
	unsigned int n = 0, i;
	struct dirent *de;
	DIR *d;
	FILE *f;

	d = opendir(VCS_DEBUGFS);
	if (!d)
		return;
	ctxs = calloc(room, sizeof(*ctxs));
	if (!ctxs) {
		closedir(d);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/contexts", VCS_DEBUGFS,
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			client_line(ctxs, &n, room, de->d_name, line);
		}
		fclose(f);
	}
	closedir(d);
	for (i = 0; i < n; i++)
		ctx_print(&ctxs[i]);
	free(ctxs);
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
		printf("%7s %-15s %4s %10s %8s %10s %7s %12s %-20s  %s\n", "PID",
		       "COMM", "FD", "SUBMITTED", "INFLIGHT", "COMPLETED",
		       "BUFFERS", "BUFFER_BYTES", "OWNER",
		       "CLASS:COMPLETED/DEVICE_NS");
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
	print_clients(256);
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}
