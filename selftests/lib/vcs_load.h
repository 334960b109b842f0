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
 * completed (and how many failed).  Every launch of every loader is the
 * same (the same kernel, the same size, inputs of zeros), so the launches
 * a loader completes measure the device time it got - by the loader's own
 * count, which it keeps in memory shared with the parent: the shares are
 * measured by the loaders, and vcore_sched's accounting (the device time
 * per cgroup in /sys/kernel/debug/vcore_sched/CLASS/usage, what its fair policy
 * picks by) is only shown beside them.
 *
 * A real-time client (load_start_periodic()) submits one launch at the
 * start of each period of its reservation and records, by its own clock,
 * when it submitted and when the launch completed.
 */
#ifndef _VCS_LOAD_H
#define _VCS_LOAD_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_TEST		CG_ROOT "/vcs_test"
#define VCS_SYSFS	"/sys/kernel/vcore_sched"
/* Tables of who uses a class: contexts, usage. */
#define VCS_DEBUGFS	"/sys/kernel/debug/vcore_sched"
#define LOAD_DEPTH	48		/* launches in flight per loader */
/*
 * matmul size: a few ms under TCG, so that what a launch costs besides
 * its work (cold caches and TLB of a context that ran long ago) weighs
 * little: the loaders' launch counts measure device time.
 */
#define LOAD_DIM	64
#define MAX_LOADERS	8

/**
 * struct load_period - one period of a real-time client, by its clock
 * @submit_ns: when it submitted the period's launch, from the period's
 *	start; -1 when the period was over before it could
 * @complete_ns: when it reaped the launch's completion, from the same
 *	start; -1 without a launch
 */
struct load_period {
	long long submit_ns, complete_ns;
};

/**
 * struct load_shm - what a loader shows its parent while it runs, in
 *	memory shared across the fork
 * @completed: launches it completed (reaped) so far
 * @dry: times it found none of its launches in flight when it reaped:
 *	it may have left the class idle to others meanwhile
 * @t0_ns: a real-time client's first period start (CLOCK_MONOTONIC)
 * @delay_ns: how long a real-time client waits, set up, before its first
 *	period (a period more than that): time for an admin to reserve for
 *	its context
 * @nr_periods: a real-time client's periods; 0 for a saturating loader
 * @rec: a real-time client's record of each period
 */
struct load_shm {
	long completed;
	long dry;
	long long t0_ns;
	long long delay_ns;
	long nr_periods;
	struct load_period rec[];
};

/**
 * struct loader - one saturating process, or a real-time client
 * @cgroup: its cgroup, below CG_TEST ("a", "A/x"); NULL: the parent's
 * @pid: the child
 * @rep: its reports, the read end of its pipe
 * @shm: its counts, shared
 * @shm_len: the size of @shm
 * @submitted: launches it submitted, once reaped
 * @completed: launches that completed
 * @failed: of which with an error
 * @delay_ns: a real-time client's wait before its first period, set
 *	before it starts
 */
struct loader {
	const char *cgroup;
	pid_t pid;
	FILE *rep;
	struct load_shm *shm;
	size_t shm_len;
	long submitted, completed, failed;
	long long delay_ns;
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

/* Queue one launch of the @dim matmul into output buffer @out. */
static inline int load_queue(struct vaal_ring *r, __u32 id, unsigned int dim,
			     struct vaal_buffer *in, struct vaal_buffer *out,
			     __u64 ud)
{
	static const __u8 modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	__le32 dims[3] = { dim, dim, dim };
	struct vaal_sqe_arg a[3] = {
		{ .handle = in->handle, .length = dim * dim * 4 },
		{ .handle = in->handle, .length = dim * dim * 4 },
		{ .handle = out->handle },
	};

	return vaal_queue_launch(r, id, a, modes, 3, dims, sizeof(dims), ud);
}

/**
 * struct load_ctx - a loader's context on /dev/vaal, in the child
 * @r: its ring
 * @id: the matmul_i32 kernel
 * @dim: the matmul's size
 * @in: both inputs (zeros: every launch does the same work)
 * @out: one output buffer per launch in flight
 */
struct load_ctx {
	struct vaal_ring r;
	__u32 id;
	unsigned int dim;
	struct vaal_buffer in, out[LOAD_DEPTH];
};

/*
 * Keep the calling thread off the CPUs of vaal_cpu's units (its cpus
 * parameter; by default the last CPU), as a host keeps its other tasks off
 * a sidecore.  A launch runs on its unit's CPU in a worker of the
 * launching process, and the unit is held, its device time counted, until
 * it ends: a loader's own thread runnable there, in a cgroup of another
 * weight, would stretch the launches of the others by CFS's shares of that
 * CPU (measured: 4.2 ms for a launch of cpu.weight 100 against 1.0 ms for
 * one of 400, the same launch), and the scheduler would charge it to
 * them.  Nothing when no CPU is left.
 */
static inline void load_off_units(void)
{
	char buf[256] = "", *p = buf, *end;
	cpu_set_t set, units;
	long a, b, last = -1;
	int i;

	CPU_ZERO(&units);
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			last = i;
	read_file("/sys/module/vaal_cpu/parameters/cpus", buf, sizeof(buf));
	if (!*buf || *buf == '\n' || !strncmp(buf, "(null)", 6)) {
		if (last >= 0)
			CPU_SET(last, &units);
	}
	while (*buf && *buf != '(' && *p && *p != '\n') {
		a = strtol(p, &end, 10);
		b = *end == '-' ? strtol(end + 1, &end, 10) : a;
		if (end == p || a < 0 || b >= CPU_SETSIZE)
			return;
		for (; a <= b; a++)
			CPU_SET(a, &units);
		p = *end == ',' ? end + 1 : end;
	}
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &units))
			CPU_CLR(i, &set);
	if (CPU_COUNT(&set))
		sched_setaffinity(0, sizeof(set), &set);
}

/*
 * In the child: join @cg (stay where it is when NULL), open a context with @class's matmul of size
 * @dim, ask for the reservation (@budget_us per @period_us, none when 0).
 * 0, or what failed (10 + step).
 */
static inline int load_setup(struct load_ctx *c, const char *cg,
			     const char *class, unsigned int dim,
			     unsigned int budget_us, unsigned int period_us)
{
	static const __u8 modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	char path[256], pid[16];
	int fd, i;

	snprintf(path, sizeof(path), CG_TEST "/%s/cgroup.procs", cg ? cg : "");
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (cg && write_file(path, pid))
		return 11;
	if (!strcmp(class, "cpu"))
		load_off_units();
	fd = vaal_open(NULL);
	if (fd < 0 || vaal_ring_init(fd, 128, 0, &c->r))
		return 12;
	c->dim = dim;
	if (vaal_kernel_register(fd, class, "matmul_i32", modes, 3, 12, NULL,
				 0, &c->id))
		return 13;
	if (vaal_buf_create(fd, dim * dim * 4, &c->in))
		return 14;
	for (i = 0; i < LOAD_DEPTH; i++)
		if (vaal_buf_create(fd, dim * dim * 4, &c->out[i]))
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
	return 0;
}

/*
 * In the child: keep %LOAD_DEPTH launches in flight until SIGTERM, with
 * the count of completed ones in @shm; then wait for those in flight and
 * report "submitted completed failed" on @fd_out.
 */
static inline int load_saturate(struct load_ctx *c, struct load_shm *shm,
				int fd_out)
{
	long sub = 0, done = 0, failed = 0;
	struct vaal_cqe *cqe;
	int i;

	while (!load_stopping() || done < sub) {
		while (!load_stopping() && sub - done < LOAD_DEPTH) {
			struct vaal_buffer *out = &c->out[sub % LOAD_DEPTH];

			/* A full submission ring goes to the kernel first. */
			if (load_queue(&c->r, c->id, c->dim, &c->in, out, sub) &&
			    (vaal_submit(&c->r) < 0 ||
			     load_queue(&c->r, c->id, c->dim, &c->in, out, sub)))
				return 17;
			sub++;
		}
		i = vaal_submit_and_wait_timeout(&c->r, 1, 1000000000ULL);
		if (i < 0 && i != -EINTR && i != -ETIME)
			return 18;
		while (!vaal_peek_cqe(&c->r, &cqe)) {
			failed += cqe->res != 0;
			done++;
			vaal_cqe_seen(&c->r);
		}
		if (done == sub && !load_stopping())
			__atomic_store_n(&shm->dry, shm->dry + 1,
					 __ATOMIC_RELAXED);
		__atomic_store_n(&shm->completed, done, __ATOMIC_RELEASE);
	}
	dprintf(fd_out, "%ld %ld %ld\n", sub, done, failed);
	return 0;
}

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void sleep_until_ns(long long t)
{
	struct timespec ts = { t / 1000000000LL, t % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR && !load_stopping())
		;
}

/*
 * In the child: the real-time client.  Period k starts at t0 + k *
 * @period_ns (t0 a period from now); at its start the client submits one
 * launch and waits for it, and records in @shm when it submitted and when
 * it reaped the completion (its own CLOCK_MONOTONIC), from the period's
 * start.  A period that was over before the client could submit in it (the
 * previous launch completed too late, or the client woke too late) is
 * recorded without a launch.  After @shm->nr_periods periods it says
 * "periods" on @fd_out and waits for SIGTERM to report as load_saturate()
 * does (its context lives until then, for the scheduler's records).
 */
static inline int load_periodic(struct load_ctx *c, struct load_shm *shm,
				int fd_out, long long period_ns)
{
	long sub = 0, done = 0, failed = 0, k;
	long long t0 = now_ns() + period_ns + shm->delay_ns, start, t;
	struct vaal_cqe *cqe;
	int ret;

	shm->t0_ns = t0;
	for (k = 0; k < shm->nr_periods && !load_stopping(); k++) {
		struct load_period *p = &shm->rec[k];

		start = t0 + k * period_ns;
		p->submit_ns = -1;
		p->complete_ns = -1;
		sleep_until_ns(start);
		if (now_ns() - start >= period_ns)
			continue;	/* its period is over: no launch in it */
		if (load_queue(&c->r, c->id, c->dim, &c->in, &c->out[0], k))
			return 17;
		t = now_ns();
		p->submit_ns = t - start;
		sub++;
		ret = vaal_submit_and_wait_timeout(&c->r, 1, 2000000000ULL);
		while (vaal_peek_cqe(&c->r, &cqe)) {
			if (ret < 0 && ret != -EINTR)
				return ret == -ETIME ? 19 : 18;
			ret = vaal_submit_and_wait_timeout(&c->r, 1,
							   2000000000ULL);
		}
		p->complete_ns = now_ns() - start;
		failed += cqe->res != 0;
		done++;
		vaal_cqe_seen(&c->r);
	}
	dprintf(fd_out, "%ld\n", k);
	while (!load_stopping())
		sleep_s(0.01);
	dprintf(fd_out, "%ld %ld %ld\n", sub, done, failed);
	return 0;
}

/*
 * The child: set up (with @budget_us per @period_us when not 0), say so on
 * @fd_out, then saturate, or be the real-time client when @shm asks for
 * periods.  Exit status 0, or what failed (10 + step).
 */
static inline int load_child(const char *cg, const char *class,
			     struct load_shm *shm, int fd_out,
			     unsigned int dim, unsigned int budget_us,
			     unsigned int period_us)
{
	static struct load_ctx c;
	int ret;

	signal(SIGTERM, load_on_term);
	/*
	 * A real-time client is one on the CPU too (its workers, made at ring
	 * setup, inherit it): the reservation is of the class's units, not
	 * of the CPUs that submit and reap.
	 */
	if (shm->nr_periods) {
		struct sched_param sp = { .sched_priority = 50 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			return 10;
	}
	ret = load_setup(&c, cg, class, dim, budget_us, period_us);
	if (ret)
		return ret;
	if (write(fd_out, "r", 1) != 1)
		return 16;
	if (shm->nr_periods)
		return load_periodic(&c, shm, fd_out, period_us * 1000LL);
	return load_saturate(&c, shm, fd_out);
}

/*
 * Start @l's child, with @nr_periods periods of a real-time client or (0)
 * saturating; wait until it is set up.  0 or -1.
 */
static inline int load_fork(struct loader *l, const char *class,
			    unsigned int dim, unsigned int budget_us,
			    unsigned int period_us, long nr_periods)
{
	size_t len = sizeof(*l->shm) + nr_periods * sizeof(l->shm->rec[0]);
	int p[2];

	l->rep = NULL;
	l->shm = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l->shm == MAP_FAILED) {
		l->shm = NULL;
		return -1;
	}
	l->shm_len = len;
	l->shm->nr_periods = nr_periods;
	l->shm->delay_ns = l->delay_ns;
	if (pipe(p))
		return -1;
	l->pid = fork();
	if (l->pid < 0)
		return -1;
	if (!l->pid) {
		close(p[0]);
		_exit(load_child(l->cgroup, class, l->shm, p[1], dim,
				 budget_us, period_us));
	}
	close(p[1]);
	l->rep = fdopen(p[0], "r");
	if (!l->rep) {
		close(p[0]);
		return -1;
	}
	return fgetc(l->rep) == 'r' ? 0 : -1;
}

/* Start a saturating loader, optionally with a reservation.  0 or -1. */
static inline int load_start(struct loader *l, const char *class,
			     unsigned int budget_us, unsigned int period_us)
{
	return load_fork(l, class, LOAD_DIM, budget_us, period_us, 0);
}

/*
 * Start a real-time client: @nr_periods periods of @period_us, one launch
 * of the @dim matmul each, on a reservation of @budget_us.  0 or -1.
 */
static inline int load_start_periodic(struct loader *l, const char *class,
				      unsigned int dim, unsigned int budget_us,
				      unsigned int period_us, long nr_periods)
{
	return load_fork(l, class, dim, budget_us, period_us, nr_periods);
}

/* Wait until @l's real-time client ran its periods: how many, or -1. */
static inline long load_wait_periods(struct loader *l)
{
	char buf[64];
	long n;

	if (!l->rep || !fgets(buf, sizeof(buf), l->rep) ||
	    sscanf(buf, "%ld", &n) != 1)
		return -1;
	return n;
}

static inline int load_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Microseconds of the @q quantile of @n values @v (sorted in place). */
static inline double load_quantile_us(long long *v, long n, double q)
{
	if (!n)
		return -1;
	qsort(v, n, sizeof(*v), load_cmp_ll);
	return v[(long)(q * (n - 1))] / 1e3;
}

/*
 * What @rt's records of its @n periods of @period_ns say, every period
 * counted: those whose launch completed inside the period by the client's
 * own clock (met), printed as @what.  The periods met, or -1.
 */
static inline long load_judge_periods(const struct loader *rt, long n,
				      long long period_ns, const char *what)
{
	long k, met = 0, launched = 0, late = 0;
	long long *wake, *resp;

	wake = calloc(n + 1, sizeof(*wake));
	resp = calloc(n + 1, sizeof(*resp));
	if (!wake || !resp) {
		free(wake);
		free(resp);
		return -1;
	}
	for (k = 0; k < n; k++) {
		const struct load_period *p = &rt->shm->rec[k];

		if (p->submit_ns < 0)
			continue;
		wake[launched] = p->submit_ns;
		resp[launched++] = p->complete_ns - p->submit_ns;
		met += p->complete_ns >= 0 && p->complete_ns < period_ns;
		late += p->submit_ns >= period_ns / 2;
	}
	printf("# %s, by the client: %ld periods, %ld met (launch completed inside its period), %ld missed: %ld without a launch (the client woke after the period), %ld launched late (after half the period), %ld launched in time and served late\n",
	       what, n, met, n - met, n - launched, late,
	       n - met - (n - launched) - late);
	printf("#   submission after the period's start: median %.0f us, 99%% %.0f us, max %.0f us\n",
	       load_quantile_us(wake, launched, 0.5),
	       load_quantile_us(wake, launched, 0.99),
	       load_quantile_us(wake, launched, 1));
	printf("#   submission to completion: median %.0f us, 99%% %.0f us, max %.0f us\n",
	       load_quantile_us(resp, launched, 0.5),
	       load_quantile_us(resp, launched, 0.99),
	       load_quantile_us(resp, launched, 1));
	free(wake);
	free(resp);
	return met;
}

/* Launches @l completed so far. */
static inline long load_completed(const struct loader *l)
{
	return l->shm ? __atomic_load_n(&l->shm->completed, __ATOMIC_ACQUIRE) :
			0;
}

/* Times @l found none of its launches in flight. */
static inline long load_dry(const struct loader *l)
{
	return l->shm ? __atomic_load_n(&l->shm->dry, __ATOMIC_RELAXED) : 0;
}

/* Stop @l's child and read its report; its exit status, or -1. */
static inline int load_stop_one(struct loader *l)
{
	char buf[64] = "";
	int status = -1;

	kill(l->pid, SIGTERM);
	if (l->rep && fgets(buf, sizeof(buf), l->rep))
		sscanf(buf, "%ld %ld %ld", &l->submitted, &l->completed,
		       &l->failed);
	if (l->rep)
		fclose(l->rep);
	l->rep = NULL;
	if (waitpid(l->pid, &status, 0) != l->pid)
		status = -1;
	else
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	/* The parent reads the periods' records before it stops the client. */
	if (l->shm)
		munmap(l->shm, l->shm_len);
	l->shm = NULL;
	return status;
}

/* Device time of CG_TEST/@cg on @class so far, from the usage file. */
static inline long long cg_usage(const char *class, const char *cg)
{
	char path[128], want[256], buf[8192], *line, *save;
	long long ns;

	snprintf(path, sizeof(path), VCS_DEBUGFS "/%s/usage", class);
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
 * The CPU time the threads of @l's process that run launches for it (its
 * vaal_core workers, "vaal-w*": the CPU class runs its launches there, in
 * its cgroup) have run, in ns, from their schedstat: the loader's own clock
 * of the device time it got, kept by the CPU scheduler, not vcore_sched.
 * -1 when unreadable.
 */
static inline long long load_worker_ns(const struct loader *l)
{
	char path[320], comm[32], line[128];
	long long sum = 0;
	struct dirent *e;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", l->pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", l->pid,
			 e->d_name);
		if (read_file(path, comm, sizeof(comm)) ||
		    strncmp(comm, "vaal-w", 6))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat",
			 l->pid, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f))
			sum += strtoll(line, NULL, 10);
		fclose(f);
	}
	closedir(d);
	return sum;
}

/**
 * struct shares - who got how much of a class over a window
 * @launches: launches the loaders of each cgroup completed in the window,
 *	by their own count
 * @cpu_ns: CPU time the worker threads of each cgroup's loaders ran in the
 *	window (load_worker_ns())
 * @dry: times in the window its loaders found nothing of theirs in flight
 * @obs: each cgroup's share, percent, as the loaders observed it: of
 *	@cpu_ns where their own threads ran the launches, else of @launches
 * @sched: its share of the device time vcore_sched accounted to the
 *	cgroups (its usage file) over the same window, percent
 * @ns_per_launch: that device time over its launches
 * @err: the largest |@obs - ideal|, points
 * @sched_err: the largest |@sched - ideal|, points
 * @min: the cgroup whose ideal share is the smallest
 * @relerr_min: |@obs - ideal| / ideal of @min, percent
 */
struct shares {
	long launches[MAX_LOADERS], dry[MAX_LOADERS];
	long long cpu_ns[MAX_LOADERS];
	double obs[MAX_LOADERS], sched[MAX_LOADERS];
	double ns_per_launch[MAX_LOADERS];
	double err, sched_err, relerr_min;
	int min;
};

static inline double dev(double a, double b)
{
	return a > b ? a - b : b - a;
}

/*
 * The shares of @n cgroups @cgs of @class over @window seconds, against
 * @ideal (percent): by the launches their loaders (the @nr_loaders of @l,
 * in those cgroups) completed - identical launches, so their counts weigh
 * device time - and, a second column, by vcore_sched's accounting.  The
 * counts are taken at both ends of the window one loader after another
 * (microseconds apart).  0, or -1 when nothing was measured.
 */
static inline int measure_shares(const char *class, const struct loader *l,
				 int nr_loaders, const char * const *cgs,
				 const double *ideal, int n, double window,
				 struct shares *s)
{
	long c0[MAX_LOADERS], c1[MAX_LOADERS], d0[MAX_LOADERS], total = 0;
	long long u0[MAX_LOADERS], u1[MAX_LOADERS], utotal = 0;
	long long w0[MAX_LOADERS], w1[MAX_LOADERS], wtotal = 0;
	int i, j;

	memset(s, 0, sizeof(*s));
	for (j = 0; j < nr_loaders; j++) {
		c0[j] = load_completed(&l[j]);
		d0[j] = load_dry(&l[j]);
		w0[j] = load_worker_ns(&l[j]);
	}
	for (i = 0; i < n; i++)
		u0[i] = cg_usage(class, cgs[i]);
	sleep_s(window);
	for (j = 0; j < nr_loaders; j++) {
		c1[j] = load_completed(&l[j]);
		w1[j] = load_worker_ns(&l[j]);
	}
	for (i = 0; i < n; i++)
		u1[i] = cg_usage(class, cgs[i]);

	for (i = 0; i < n; i++) {
		for (j = 0; j < nr_loaders; j++)
			if (!strcmp(l[j].cgroup, cgs[i])) {
				s->launches[i] += c1[j] - c0[j];
				s->dry[i] += load_dry(&l[j]) - d0[j];
				if (w0[j] >= 0 && w1[j] >= w0[j])
					s->cpu_ns[i] += w1[j] - w0[j];
			}
		if (u0[i] < 0 || u1[i] < u0[i] || s->launches[i] < 0)
			return -1;
		total += s->launches[i];
		utotal += u1[i] - u0[i];
		wtotal += s->cpu_ns[i];
		if (ideal[i] < ideal[s->min])
			s->min = i;
	}
	if (!total || !utotal)
		return -1;
	for (i = 0; i < n; i++) {
		/*
		 * Where the loaders' own threads ran the launches (the CPU
		 * class), the CPU time they ran is the device time each got:
		 * identical launches cost more or less under TCG, by what
		 * ran on the unit before (a switch of address space empties
		 * the soft TLB).  Elsewhere (a user-space controller's
		 * threads run them), the launches each completed.
		 */
		s->obs[i] = wtotal ? 100.0 * s->cpu_ns[i] / wtotal :
			    100.0 * s->launches[i] / total;
		s->sched[i] = 100.0 * (u1[i] - u0[i]) / utotal;
		s->ns_per_launch[i] = s->launches[i] ?
			(double)(u1[i] - u0[i]) / s->launches[i] : 0;
		if (dev(s->obs[i], ideal[i]) > s->err)
			s->err = dev(s->obs[i], ideal[i]);
		if (dev(s->sched[i], ideal[i]) > s->sched_err)
			s->sched_err = dev(s->sched[i], ideal[i]);
	}
	s->relerr_min = 100 * dev(s->obs[s->min], ideal[s->min]) /
			ideal[s->min];
	return 0;
}

static inline int set_policy(const char *class, const char *policy)
{
	char path[128];

	snprintf(path, sizeof(path), VCS_SYSFS "/%s/policy", class);
	return write_file(path, policy);
}

#endif /* _VCS_LOAD_H */
