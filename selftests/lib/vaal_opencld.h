/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_opencld.h - the OpenCL controller, tools/vaal_opencld, run as a
 * child of a test or a benchmark, and the OpenCL C program the tests
 * register their kernels from.
 *
 * The daemon is $VCORE_BUILD/tools/vaal_opencld, else found next to the
 * program's build directory.  Its standard error goes to a file (its -v
 * lines: programs built, keys released), PoCL's kernel cache to
 * $VAAL_OPENCL_CACHE or /tmp/vaal-opencl-cache, so that a program built
 * once is not compiled again by the next daemon (7.8 s under TCG).
 */
#ifndef _VAAL_OPENCLD_TEST_H
#define _VAAL_OPENCLD_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../tools/lib/libvaal.h"

#define OCLD_CLASS	"opencl"
#define OCLD_READY_MS	120000	/* PoCL's start under TCG, with margin */

/*
 * The tests' kernels, one program: built once, its kernels share the
 * build.  Scalars follow the buffers, packed as a C structure's members.
 */
static const char ocl_test_src[] =
	"__kernel void empty(void)\n"
	"{\n"
	"}\n"
	"\n"
	"__kernel void vadd(const __global float *a, const __global float *b,\n"
	"		   __global float *c, uint n)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"\n"
	"	if (i < n)\n"
	"		c[i] = a[i] + b[i];\n"
	"}\n"
	"\n"
	"__kernel void saxpy(const __global float *x, __global float *y,\n"
	"		    float a, uint n)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"\n"
	"	if (i < n)\n"
	"		y[i] = a * x[i] + y[i];\n"
	"}\n"
	"\n"
	"/* C[m][n] = A[m][k] * B[k][n], int32 wrapping; global (n, m). */\n"
	"__kernel void matmul_i32(const __global int *A, const __global int *B,\n"
	"			 __global int *C, uint m, uint n, uint k)\n"
	"{\n"
	"	size_t j = get_global_id(0), i = get_global_id(1);\n"
	"	uint acc = 0;\n"
	"\n"
	"	if (i >= m || j >= n)\n"
	"		return;\n"
	"	for (uint l = 0; l < k; l++)\n"
	"		acc += (uint)A[i * k + l] * (uint)B[l * n + j];\n"
	"	C[i * n + j] = (int)acc;\n"
	"}\n"
	"\n"
	"__kernel void xor_u8(const __global uchar *a, const __global uchar *b,\n"
	"		     __global uchar *c)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"\n"
	"	c[i] = a[i] ^ b[i];\n"
	"}\n"
	"\n"
	"__kernel void add_u8(const __global uchar *a, __global uchar *b, uint v)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"\n"
	"	b[i] = a[i] + (uchar)v;\n"
	"}\n"
	"\n"
	"/* Writes one word @far words past the end of its @n words. */\n"
	"__kernel void oob(__global uint *p, uint n, uint far)\n"
	"{\n"
	"	if (get_global_id(0) == 0)\n"
	"		p[(size_t)n + far] = 0xdeadbeef;\n"
	"}\n"
	"\n"
	"/* Writes the buffer it is only to read. */\n"
	"__kernel void write_in(const __global uint *p, __global uint *q)\n"
	"{\n"
	"	((__global uint *)p)[0] = 1;\n"
	"	q[0] = 2;\n"
	"}\n"
	"\n"
	"/* Runs for @iters steps of an LCG: for ever, as good as, with ~0. */\n"
	"__kernel void slow(__global uint *p, ulong iters)\n"
	"{\n"
	"	uint x = p[0];\n"
	"\n"
	"	for (ulong i = 0; i < iters; i++)\n"
	"		x = x * 1664525u + 1013904223u;\n"
	"	p[0] = x;\n"
	"}\n";

/**
 * struct ocld - a vaal_opencld process
 * @pid: its pid, 0 once reaped
 * @out: the read end of its standard output
 * @id: the controller id it reported
 * @name: its controller's name
 * @err_path: the file its standard error goes to
 */
struct ocld {
	pid_t pid;
	int out;
	__u32 id;
	char name[32];
	char err_path[128];
};

static inline long long ocld_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static inline const char *ocld_path(void)
{
	static char path[PATH_MAX];
	const char *build = getenv("VCORE_BUILD");
	char exe[PATH_MAX - 32];
	ssize_t n;

	if (build) {
		snprintf(path, sizeof(path), "%s/tools/vaal_opencld", build);
		return path;
	}
	/* BUILD/selftests/COMPONENT/PROGRAM or BUILD/tools/PROGRAM */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "vaal_opencld";
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(path, sizeof(path), "%s/vaal_opencld", exe);
	if (access(path, X_OK))
		snprintf(path, sizeof(path), "%s/../../tools/vaal_opencld", exe);
	return path;
}

static inline const char *ocld_cache_dir(void)
{
	const char *dir = getenv("VAAL_OPENCL_CACHE");

	return dir ? dir : "/tmp/vaal-opencl-cache";
}

/* Its wait status once it exits within @ms; -1 when it does not. */
static inline int ocld_wait(struct ocld *d, int ms)
{
	long long end = ocld_now_ms() + ms;
	int status;
	pid_t ret;

	if (!d->pid)
		return -1;
	do {
		ret = waitpid(d->pid, &status, WNOHANG);
		if (ret == d->pid) {
			d->pid = 0;
			if (d->out >= 0)
				close(d->out);
			d->out = -1;
			return status;
		}
		if (ret < 0)
			return -1;
		usleep(5000);
	} while (ocld_now_ms() < end);
	return -1;
}

/* Signal it and wait for it to exit; its wait status, or -1. */
static inline int ocld_stop(struct ocld *d, int sig)
{
	int status;

	if (!d->pid)
		return -1;
	kill(d->pid, sig);
	status = ocld_wait(d, 20000);
	if (status == -1 && d->pid) {
		kill(d->pid, SIGKILL);
		ocld_wait(d, 20000);
	}
	return status;
}

/*
 * Start vaal_opencld as controller @name, verbose, with PoCL's cache, and
 * the options in @extra (NULL-terminated, or NULL); wait for its ready
 * line.  Return: 0, or -1 when it did not get ready.
 */
static inline int ocld_start(struct ocld *d, const char *name,
			     const char *const *extra)
{
	const char *argv[32] = { ocld_path(), "--name", name, "--cache-dir",
				 ocld_cache_dir(), "-v" };
	int pipefd[2], argc = 6, errfd;
	char line[256], *p;
	struct pollfd pfd;
	long long end;
	size_t len = 0;

	memset(d, 0, sizeof(*d));
	d->out = -1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->err_path, sizeof(d->err_path), "/tmp/vaal_opencld.%s.%d.err",
		 name, getpid());
	while (extra && *extra && argc < 31)
		argv[argc++] = *extra++;
	argv[argc] = NULL;
	mkdir(ocld_cache_dir(), 0700);
	errfd = open(d->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (errfd < 0 || pipe2(pipefd, O_CLOEXEC))
		return -1;
	d->pid = fork();
	if (d->pid < 0) {
		d->pid = 0;
		return -1;
	}
	if (!d->pid) {
		/* Dies with the test, whatever becomes of the test. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(errfd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(errfd);
	close(pipefd[1]);
	d->out = pipefd[0];

	/* "vaal_opencld: NAME: ready, id ID, class CLASS, N units on M devices" */
	end = ocld_now_ms() + OCLD_READY_MS;
	pfd.fd = d->out;
	pfd.events = POLLIN;
	while (len < sizeof(line) - 1) {
		if (poll(&pfd, 1, 100) < 0 || ocld_now_ms() > end)
			return -1;
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		if (read(d->out, line + len, 1) != 1)
			return -1;	/* it exited */
		if (line[len++] == '\n')
			break;
	}
	line[len] = '\0';
	p = strstr(line, ": ready, id ");
	if (!p)
		return -1;
	d->id = strtoul(p + strlen(": ready, id "), NULL, 10);
	return d->id ? 0 : -1;
}

/* How often @needle is in the daemon's standard error. */
static inline int ocld_log_count(const struct ocld *d, const char *needle)
{
	char line[2048];
	int n = 0;
	FILE *f = fopen(d->err_path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, needle);
	fclose(f);
	return n;
}

/* Wait up to @ms for @needle in the daemon's standard error. */
static inline int ocld_log_wait(const struct ocld *d, const char *needle,
				int ms)
{
	long long end = ocld_now_ms() + ms;

	while (!ocld_log_count(d, needle)) {
		if (ocld_now_ms() > end)
			return 0;
		usleep(20000);
	}
	return 1;
}

/* Show the daemon's standard error (on a failure). */
static inline void ocld_dump(const struct ocld *d)
{
	char line[2048];
	FILE *f = fopen(d->err_path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "# %s: %s", d->name, line);
	fclose(f);
}

/* Register an OpenCL kernel of @src; 0 or a negative errno. */
static inline int ocl_register(int fd, const char *name, const __u8 *modes,
			       unsigned int nr_args, unsigned int scalar_bytes,
			       const void *src, size_t len, __u64 timeout_ns,
			       __u32 *id)
{
	const struct vaal_kernel_desc desc = {
		.class = OCLD_CLASS,
		.name = name,
		.nr_args = nr_args,
		.arg_mode = modes,
		.scalar_bytes = scalar_bytes,
		.blob = src,
		.blob_len = len,
		.timeout_ns = timeout_ns,
	};

	return vaal_kernel_register_desc(fd, &desc, id);
}

/* A 1-D geometry of @global work-items, @local a work-group (0: any). */
static inline struct vaal_launch_geometry ocl_geo1(__u64 global, __u32 local)
{
	struct vaal_launch_geometry g;

	vaal_geometry(&g, 1, &global, local ? &local : NULL);
	return g;
}

#endif /* _VAAL_OPENCLD_TEST_H */
