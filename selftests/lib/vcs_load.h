/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcs_load.h - saturating an accelerator class from processes in cgroups,
 * and measuring who got how much of it: what vcore_sched's share test and
 * its benchmark have in common.
 *
 * Each loader is a child process that moves itself into its cgroup (cgroup
 * v2, under /sys/fs/cgroup/vcs_test), opens a context on /dev/vaal,
 * optionally asks for a reservation, and keeps %LOAD_DEPTH launches of
 * matmul_i32 in flight on the class until SIGTERM; then it waits for what
 * is in flight and reports, through a pipe, what it submitted and what
 * completed (and how many failed).  The parent reads the device time per
 * cgroup from /sys/kernel/vcore_sched/CLASS/usage.
 */
#ifndef _VCS_LOAD_H
#define _VCS_LOAD_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_TEST		CG_ROOT "/vcs_test"
#define VCS_SYSFS	"/sys/kernel/vcore_sched"
#define LOAD_DEPTH	48		/* launches in flight per loader */
#define LOAD_DIM	40		/* matmul size: a ms or two under TCG */
#define MAX_LOADERS	8

/**
 * struct loader - one saturating process
 * @cgroup: its cgroup, below CG_TEST ("a", "A/x")
 * @pid: the child
 * @report: read end of its pipe
 * @submitted: launches it submitted, once reaped
 * @completed: launches that completed
 * @failed: of which with an error
 */
struct loader {
	const char *cgroup;
	pid_t pid;
	int report;
	long submitted, completed, failed;
};

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

static inline int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

/* Make CG_TEST/@cg with the cpu controller and @weight (0: default). */
static inline int cg_make(const char *cg, unsigned int weight)
{
	char path[256], parent[256], w[16];
	char *slash;

	snprintf(path, sizeof(path), CG_TEST "/%s", cg);
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	*slash = 0;
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	/* The cpu controller for the children of the parent and of the new one. */
	strncat(parent, "/cgroup.subtree_control", sizeof(parent) - strlen(parent) - 1);
	write_file(parent, "+cpu");
	if (!weight)
		return 0;
	snprintf(path, sizeof(path), CG_TEST "/%s/cpu.weight", cg);
	snprintf(w, sizeof(w), "%u", weight);
	return write_file(path, w);
}

static inline int cg_set_weight(const char *cg, unsigned int weight)
{
	char path[256], w[16];

	snprintf(path, sizeof(path), CG_TEST "/%s/cpu.weight", cg);
	snprintf(w, sizeof(w), "%u", weight);
	return write_file(path, w);
}

/* The test's hierarchy: made fresh, with the cpu controller at its top. */
static inline int cg_init(void)
{
	if (access(CG_ROOT "/cgroup.controllers", F_OK))
		return -ENOENT;
	if (write_file(CG_ROOT "/cgroup.subtree_control", "+cpu"))
		return -EOPNOTSUPP;
	if (mkdir(CG_TEST, 0755) && errno != EEXIST)
		return -errno;
	return write_file(CG_TEST "/cgroup.subtree_control", "+cpu");
}

/* Remove the cgroups below CG_TEST (leaves first), then CG_TEST. */
static inline void cg_cleanup(const char * const *cgs, int n)
{
	char path[256];
	int i;

	for (i = n - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), CG_TEST "/%s", cgs[i]);
		rmdir(path);
	}
	rmdir(CG_TEST);
}

static int load_stop;	/* set by SIGTERM */

static void load_on_term(int sig)
{
	__atomic_store_n(&load_stop, 1, __ATOMIC_RELAXED);
}

static inline int load_stopping(void)
{
	return __atomic_load_n(&load_stop, __ATOMIC_RELAXED);
}

/* Queue one launch of the matmul into output buffer @slot. */
static inline int load_queue(struct vaal_ring *r, __u32 id,
			     struct vaal_buffer *in, struct vaal_buffer *out,
			     __u64 ud)
{
	static const __u8 modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	__le32 dims[3] = { LOAD_DIM, LOAD_DIM, LOAD_DIM };
	struct vaal_sqe_arg a[3] = {
		{ .handle = in->handle, .length = LOAD_DIM * LOAD_DIM * 4 },
		{ .handle = in->handle, .length = LOAD_DIM * LOAD_DIM * 4 },
		{ .handle = out->handle },
	};

	return vaal_queue_launch(r, id, a, modes, 3, dims, sizeof(dims), ud);
}

/*
 * The child: join the cgroup, set up, ask for the reservation (@budget_ms
 * per @period_ms, none when 0), say so on @fd, saturate until SIGTERM,
 * report.  Exit status 0, or what failed (10 + step).
 */
static inline int load_child(const char *cg, const char *class, int fd_out,
			     unsigned int budget_us, unsigned int period_us)
{
	static const __u8 modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	struct vaal_buffer in, out[LOAD_DEPTH];
	long sub = 0, done = 0, failed = 0;
	struct vaal_ring r;
	struct vaal_cqe *cqe;
	char path[256], pid[16];
	__u32 id = 0;
	int fd, i;

	signal(SIGTERM, load_on_term);
	snprintf(path, sizeof(path), CG_TEST "/%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_file(path, pid))
		return 11;
	fd = vaal_open(NULL);
	if (fd < 0 || vaal_ring_init(fd, 128, 0, &r))
		return 12;
	if (vaal_kernel_register(fd, class, "matmul_i32", modes, 3, 12, NULL,
				 0, &id))
		return 13;
	if (vaal_buf_create(fd, LOAD_DIM * LOAD_DIM * 4, &in))
		return 14;
	for (i = 0; i < LOAD_DEPTH; i++)
		if (vaal_buf_create(fd, LOAD_DIM * LOAD_DIM * 4, &out[i]))
			return 14;
	if (budget_us) {
		struct vaal_sched_attr attr = {
			.size = sizeof(attr),
			.flags = VAAL_SCHED_RESERVE,
			.budget_ns = budget_us * 1000ULL,
			.period_ns = period_us * 1000ULL,
		};

		snprintf(attr.class, sizeof(attr.class), "%s", class);
		if (ioctl(fd, VAAL_IOC_SCHED_SET, &attr))
			return 15;
	}
	if (write(fd_out, "r", 1) != 1)
		return 16;
	while (!load_stopping() || done < sub) {
		while (!load_stopping() && sub - done < LOAD_DEPTH) {
			/* A full submission ring goes to the kernel first. */
			if (load_queue(&r, id, &in, &out[sub % LOAD_DEPTH], sub) &&
			    (vaal_submit(&r) < 0 ||
			     load_queue(&r, id, &in, &out[sub % LOAD_DEPTH], sub)))
				return 17;
			sub++;
		}
		i = vaal_submit_and_wait_timeout(&r, 1, 1000000000ULL);
		if (i < 0 && i != -EINTR && i != -ETIME)
			return 18;
		while (!vaal_peek_cqe(&r, &cqe)) {
			failed += cqe->res != 0;
			done++;
			vaal_cqe_seen(&r);
		}
	}
	dprintf(fd_out, "%ld %ld %ld\n", sub, done, failed);
	return 0;
}

/* Start @l's child; wait until it is saturating.  0 or -1. */
static inline int load_start(struct loader *l, const char *class,
			     unsigned int budget_us, unsigned int period_us)
{
	int p[2];
	char c;

	if (pipe(p))
		return -1;
	l->pid = fork();
	if (l->pid < 0)
		return -1;
	if (!l->pid) {
		close(p[0]);
		_exit(load_child(l->cgroup, class, p[1], budget_us, period_us));
	}
	close(p[1]);
	l->report = p[0];
	return read(p[0], &c, 1) == 1 ? 0 : -1;
}

/* Stop @l's child and read its report; its exit status, or -1. */
static inline int load_stop_one(struct loader *l)
{
	char buf[64] = "";
	int status = -1;
	FILE *f;

	kill(l->pid, SIGTERM);
	f = fdopen(l->report, "r");
	if (f && fgets(buf, sizeof(buf), f))
		sscanf(buf, "%ld %ld %ld", &l->submitted, &l->completed,
		       &l->failed);
	if (f)
		fclose(f);
	if (waitpid(l->pid, &status, 0) != l->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Device time of CG_TEST/@cg on @class so far, from the usage file. */
static inline long long cg_usage(const char *class, const char *cg)
{
	char path[128], want[256], buf[8192], *line, *save;
	long long ns;

	snprintf(path, sizeof(path), VCS_SYSFS "/%s/usage", class);
	snprintf(want, sizeof(want), "/vcs_test/%s", cg);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[256];

		if (sscanf(line, "%255s %lld", name, &ns) == 2 &&
		    !strcmp(name, want))
			return ns;
	}
	return 0;
}

/*
 * Shares (percent) of @n cgroups' device time on @class over @window
 * seconds; returns the largest deviation from @ideal (percent), or -1.
 */
static inline double measure_shares(const char *class, const char * const *cgs,
				    const double *ideal, int n, double window,
				    double *share)
{
	long long before[MAX_LOADERS], total = 0;
	double err = 0;
	int i;

	for (i = 0; i < n; i++) {
		share[i] = 0;
		before[i] = cg_usage(class, cgs[i]);
	}
	sleep_s(window);
	for (i = 0; i < n; i++) {
		long long now = cg_usage(class, cgs[i]);

		if (before[i] < 0 || now < before[i])
			return -1;
		before[i] = now - before[i];
		total += before[i];
	}
	if (!total)
		return -1;
	for (i = 0; i < n; i++) {
		share[i] = 100.0 * before[i] / total;
		if (share[i] - ideal[i] > err || ideal[i] - share[i] > err)
			err = share[i] > ideal[i] ? share[i] - ideal[i] :
						    ideal[i] - share[i];
	}
	return err;
}

static inline int set_policy(const char *class, const char *policy)
{
	char path[128];

	snprintf(path, sizeof(path), VCS_SYSFS "/%s/policy", class);
	return write_file(path, policy);
}

#endif /* _VCS_LOAD_H */
