// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_uctrl_test.c - user-space controllers, end to end through the
 * reference one, tools/vaal_ctrld: the built-in kernels it runs checked
 * against references computed here, the controller id in completions,
 * work it pulls and crashes on (-EIO with no other controller, requeued
 * with one), work it holds past its kernel's deadline (-ETIMEDOUT, and
 * -ECANCELED for what depends on it), registration without privilege.
 *
 * vaal_ctrld is $VCORE_BUILD/tools/vaal_ctrld, else found next to this
 * program's build directory.
 *
 *   vaal_uctrl_test --client NAME ID
 *
 * runs the built-in kernels through controller NAME, already running with
 * id ID, and exits 0 when every result is right (for the shell selftest
 * selftests/tools/vaal_ctrld_test.sh).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "../lib/vaal_launch.h"
#include "kselftest_harness.h"

#define CTRL_DIR	"/sys/class/misc/vaal/controllers/"
#define CLASS		"ucpu"
#define WAIT_NS		(20 * 1000000000ULL)
#define WAIT_MS		10000
#define MAX_BUFS	16
#define NOBODY		65534

static const __u8 in_out[] = { VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 in_in_out[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 out_only[] = { VAAL_ARG_OUT };

/* --- vaal_ctrld, run as a child ------------------------------------------ */

/**
 * struct ctrld - a vaal_ctrld process
 * @pid: its pid, 0 once reaped
 * @out: the read end of its standard output
 * @id: the controller id it reported
 */
struct ctrld {
	pid_t pid;
	int out;
	__u32 id;
};

static const char *ctrld_path(void)
{
	static char path[PATH_MAX];
	const char *build = getenv("VCORE_BUILD");
	char exe[PATH_MAX - 32];
	ssize_t n;

	if (build) {
		snprintf(path, sizeof(path), "%s/tools/vaal_ctrld", build);
		return path;
	}
	/* BUILD/selftests/vaal_core/vaal_uctrl_test */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "vaal_ctrld";
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(path, sizeof(path), "%s/../../tools/vaal_ctrld", exe);
	return path;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Its wait status once it exits within @ms; -1 when it does not. */
static int ctrld_wait(struct ctrld *d, int ms)
{
	long long end = now_ms() + ms;
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
	} while (now_ms() < end);
	return -1;
}

/* Signal it and wait for it to exit; its wait status, or -1. */
static int ctrld_stop(struct ctrld *d, int sig)
{
	int status;

	if (!d->pid)
		return -1;
	kill(d->pid, sig);
	status = ctrld_wait(d, WAIT_MS);
	if (status == -1 && d->pid) {
		kill(d->pid, SIGKILL);
		ctrld_wait(d, WAIT_MS);
	}
	return status;
}

static int exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* Wait until no controller of that name is listed (it is gone). */
static int ctrl_gone(const char *name)
{
	long long end = now_ms() + WAIT_MS;
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), CTRL_DIR "%s", name);
	while (!stat(path, &st)) {
		if (now_ms() > end)
			return 0;
		usleep(5000);
	}
	return 1;
}

/*
 * Start vaal_ctrld with the given options (NULL-terminated) and wait for
 * its ready line.  Return: 0, or -1 when it did not get ready.
 */
static int ctrld_start(struct ctrld *d, ...)
{
	const char *argv[16] = { ctrld_path() };
	char line[256], *p;
	struct pollfd pfd;
	int pipefd[2], argc = 1;
	long long end;
	size_t len = 0;
	va_list ap;

	d->pid = 0;
	d->out = -1;
	d->id = 0;
	va_start(ap, d);
	while (argc < 15 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	if (pipe2(pipefd, O_CLOEXEC))
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
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	d->out = pipefd[0];

	/* "vaal_ctrld: NAME: ready, id ID, class CLASS, N units" */
	end = now_ms() + WAIT_MS;
	pfd.fd = d->out;
	pfd.events = POLLIN;
	while (len < sizeof(line) - 1) {
		if (poll(&pfd, 1, 100) < 0 || now_ms() > end)
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

/* --- a client context ------------------------------------------------------- */

/**
 * struct client - a context with its rings and buffers
 * @fd: the context
 * @r: its rings
 * @buf: its buffers, mapped
 * @nr_bufs: buffers in @buf
 * @user_data: the last launch's user_data
 */
struct client {
	int fd;
	struct vaal_ring r;
	struct vaal_buffer buf[MAX_BUFS];
	int nr_bufs;
	__u64 user_data;
};

static int client_open(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = vaal_open(NULL);
	if (c->fd < 0)
		return c->fd;
	return vaal_ring_init(c->fd, 64, 0, &c->r);
}

static void client_close(struct client *c)
{
	int i;

	if (c->fd < 0)
		return;
	for (i = 0; i < c->nr_bufs; i++)
		vaal_buf_destroy(c->fd, &c->buf[i]);
	vaal_ring_exit(&c->r);
	close(c->fd);
	c->fd = -1;
}

/* A new zeroed buffer of @len bytes, mapped. */
static struct vaal_buffer *new_buf(struct client *c, size_t len)
{
	struct vaal_buffer *b = &c->buf[c->nr_bufs];

	if (c->nr_bufs == MAX_BUFS)
		return NULL;
	if (vaal_buf_create(c->fd, len, b) || vaal_buf_map(c->fd, b))
		return NULL;
	c->nr_bufs++;
	return b;
}

/* Register a kernel of @class; its id, or 0. */
static __u32 reg(struct client *c, const char *class, const char *name,
		 const __u8 *modes, unsigned int nr_args,
		 unsigned int scalar_bytes)
{
	__u32 id = 0;

	if (vaal_kernel_register(c->fd, class, name, modes, nr_args,
				 scalar_bytes, NULL, 0, &id))
		return 0;
	return id;
}

/* The same with a deadline: its id, or 0. */
static __u32 reg_timeout(struct client *c, const char *class, const char *name,
			 const __u8 *modes, unsigned int nr_args,
			 __u64 timeout_ns)
{
	const struct vaal_kernel_desc d = {
		.class = class,
		.name = name,
		.nr_args = nr_args,
		.arg_mode = modes,
		.timeout_ns = timeout_ns,
	};
	__u32 id = 0;

	if (vaal_kernel_register_desc(c->fd, &d, &id))
		return 0;
	return id;
}

#define arg(b, len, offset)	vaal_test_arg(b, len, offset)

static int reap(struct client *c, struct vaal_cqe *out)
{
	return vaal_test_reap(&c->r, WAIT_NS, out);
}

/*
 * One launch, waited for.  Return: its completion's res (the completion in
 * @cqe), or INT_MIN when it could not be queued, submitted or reaped.
 */
static int launch(struct client *c, __u32 id, const struct vaal_sqe_arg *args,
		  const __u8 *modes, unsigned int nr_args, const void *scalars,
		  unsigned int scalar_bytes, struct vaal_cqe *cqe)
{
	__u64 ud = ++c->user_data;
	struct vaal_cqe dummy;

	if (!cqe)
		cqe = &dummy;
	if (!id || vaal_queue_launch(&c->r, id, args, modes, nr_args,
				     scalars, scalar_bytes, ud) ||
	    vaal_submit(&c->r) != 1 || reap(c, cqe) || cqe->user_data != ud)
		return INT_MIN;
	return cqe->res;
}

/* --- references ------------------------------------------------------------- */

static __u32 rnd_state = 0x2545f491;

static __u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void fill_random(void *p, size_t len)
{
	__u8 *b = p;

	while (len--)
		*b++ = rnd();
}

static int all_bytes(const void *p, size_t len, __u8 byte)
{
	const __u8 *b = p;

	while (len--)
		if (*b++ != byte)
			return 0;
	return 1;
}

static void matmul_ref(const __s32 *A, const __s32 *B, __s32 *C,
		       __u32 m, __u32 n, __u32 k)
{
	__u32 i, j, l, acc;

	for (i = 0; i < m; i++)
		for (j = 0; j < n; j++) {
			for (acc = 0, l = 0; l < k; l++)
				acc += (__u32)A[i * k + l] * (__u32)B[l * n + j];
			C[i * n + j] = (__s32)acc;
		}
}

/* What went wrong, for the caller to print. */
static char why[256];

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Check a launch's completion: res 0 from controller @ctrl_id. */
static int done_by(const char *what, int res, const struct vaal_cqe *cqe,
		   __u32 ctrl_id)
{
	if (res)
		return fail("%s: res %d (%s)", what, res,
			    res == INT_MIN ? "no completion" : strerror(-res));
	if (cqe->controller != ctrl_id)
		return fail("%s: ran on controller %u, not %u", what,
			    cqe->controller, ctrl_id);
	return 0;
}

/*
 * memcpy, xor, sum_i32 and matmul_i32 through the controller of @class
 * whose id is @ctrl_id, checked against references.  Return: 0, or -1
 * with the reason in why[].
 */
static int run_builtins(struct client *c, const char *class, __u32 ctrl_id)
{
	const size_t cp_len = 3 * 4096 + 123, x_len = 5000, nr = 50000;
	const __u32 m = 19, n = 23, k = 37;
	__le32 dims[3] = { htole32(m), htole32(n), htole32(k) };
	struct vaal_buffer *b[4];
	struct vaal_sqe_arg a[3];
	struct vaal_cqe cqe;
	__s32 *want, *x;
	__s64 sum = 0;
	size_t i;
	__u32 id;
	int ret;

	/* memcpy, between offsets, and nothing around. */
	b[0] = new_buf(c, cp_len + 100);
	b[1] = new_buf(c, cp_len + 200);
	id = reg(c, class, "memcpy", in_out, 2, 0);
	if (!b[0] || !b[1] || !id)
		return fail("memcpy: buffers or kernel");
	fill_random(b[0]->map, b[0]->length);
	a[0] = arg(b[0], cp_len, 100);
	a[1] = arg(b[1], cp_len, 200);
	ret = launch(c, id, a, in_out, 2, NULL, 0, &cqe);
	vaal_kernel_unregister(c->fd, id);
	if (done_by("memcpy", ret, &cqe, ctrl_id))
		return -1;
	if (memcmp((char *)b[1]->map + 200, (char *)b[0]->map + 100, cp_len) ||
	    !all_bytes(b[1]->map, 200, 0) ||
	    !all_bytes((char *)b[1]->map + 200 + cp_len,
		       b[1]->length - 200 - cp_len, 0))
		return fail("memcpy: wrong result");

	/* xor */
	b[0] = new_buf(c, x_len);
	b[1] = new_buf(c, x_len);
	b[2] = new_buf(c, x_len);
	id = reg(c, class, "xor", in_in_out, 3, 0);
	if (!b[0] || !b[1] || !b[2] || !id)
		return fail("xor: buffers or kernel");
	fill_random(b[0]->map, x_len);
	fill_random(b[1]->map, x_len);
	for (i = 0; i < 3; i++)
		a[i] = arg(b[i], x_len, 0);
	ret = launch(c, id, a, in_in_out, 3, NULL, 0, &cqe);
	vaal_kernel_unregister(c->fd, id);
	if (done_by("xor", ret, &cqe, ctrl_id))
		return -1;
	for (i = 0; i < x_len; i++)
		if ((((__u8 *)b[0]->map)[i] ^ ((__u8 *)b[1]->map)[i]) !=
		    ((__u8 *)b[2]->map)[i])
			return fail("xor: wrong byte %zu", i);

	/* sum_i32, beyond 32 bits */
	b[0] = new_buf(c, nr * 4);
	b[1] = new_buf(c, 8);
	id = reg(c, class, "sum_i32", in_out, 2, 0);
	if (!b[0] || !b[1] || !id)
		return fail("sum_i32: buffers or kernel");
	x = b[0]->map;
	for (i = 0; i < nr; i++) {
		x[i] = i & 1 ? (__s32)rnd() : (i & 2 ? INT_MAX : INT_MIN + 1);
		sum += x[i];
	}
	a[0] = arg(b[0], nr * 4, 0);
	a[1] = arg(b[1], 8, 0);
	ret = launch(c, id, a, in_out, 2, NULL, 0, &cqe);
	vaal_kernel_unregister(c->fd, id);
	if (done_by("sum_i32", ret, &cqe, ctrl_id))
		return -1;
	if ((__s64)le64toh(*(__le64 *)b[1]->map) != sum)
		return fail("sum_i32: %lld, not %lld",
			    (long long)le64toh(*(__le64 *)b[1]->map),
			    (long long)sum);

	/* matmul_i32, wrapping */
	b[0] = new_buf(c, m * k * 4);
	b[1] = new_buf(c, k * n * 4);
	b[2] = new_buf(c, m * n * 4);
	id = reg(c, class, "matmul_i32", in_in_out, 3, 12);
	want = calloc(m * n, 4);
	if (!b[0] || !b[1] || !b[2] || !id || !want) {
		free(want);
		return fail("matmul_i32: buffers or kernel");
	}
	fill_random(b[0]->map, m * k * 4);
	fill_random(b[1]->map, k * n * 4);
	matmul_ref(b[0]->map, b[1]->map, want, m, n, k);
	a[0] = arg(b[0], m * k * 4, 0);
	a[1] = arg(b[1], k * n * 4, 0);
	a[2] = arg(b[2], m * n * 4, 0);
	ret = launch(c, id, a, in_in_out, 3, dims, 12, &cqe);
	vaal_kernel_unregister(c->fd, id);
	if (done_by("matmul_i32", ret, &cqe, ctrl_id)) {
		free(want);
		return -1;
	}
	ret = memcmp(want, b[2]->map, m * n * 4);
	free(want);
	if (ret)
		return fail("matmul_i32: wrong result");
	return 0;
}

/* The controller's id as sysfs lists it; 0 when it does not. */
static __u32 sysfs_id(const char *name)
{
	char path[128];
	long long v;

	snprintf(path, sizeof(path), CTRL_DIR "%s/id", name);
	v = vcore_read_ll(path);
	return v > 0 ? v : 0;
}

/* --- the tests ------------------------------------------------------------- */

FIXTURE(uctrl) {
	struct ctrld d[2];
	struct client c;
};

FIXTURE_SETUP(uctrl)
{
	struct vaal_query q;

	self->d[0].out = self->d[1].out = -1;
	self->c.fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (access(ctrld_path(), X_OK))
		SKIP(return, "no %s (make tools)", ctrld_path());
	ASSERT_EQ(0, client_open(&self->c));
	ASSERT_EQ(0, vaal_query(self->c.fd, &q));
	if (!(q.features & VAAL_FEAT_USER_CONTROLLERS))
		SKIP(return, "vaal_core has no user-space controllers");
	/* Left over by an earlier test? */
	ASSERT_TRUE(ctrl_gone("ucpu0"));
	ASSERT_TRUE(ctrl_gone("ucpu1"));
}

FIXTURE_TEARDOWN(uctrl)
{
	int i;

	for (i = 0; i < 2; i++)
		if (self->d[i].pid)
			ctrld_stop(&self->d[i], SIGKILL);
	client_close(&self->c);
}

/* The built-ins, right, from the controller that registered. */
TEST_F_TIMEOUT(uctrl, builtins, 120)
{
	static const __u8 in_inout[] = { VAAL_ARG_IN, VAAL_ARG_INOUT };
	struct vaal_buffer *x, *y;
	struct vaal_sqe_arg a[2];
	__u32 id, sid;

	ASSERT_EQ(0, ctrld_start(&self->d[0], NULL));
	EXPECT_EQ(2, vcore_read_ll(CTRL_DIR "ucpu0/units"));
	sid = sysfs_id("ucpu0");
	if (!sid)
		TH_LOG("no " CTRL_DIR "ucpu0/id: the id is the one vaal_ctrld printed");
	EXPECT_TRUE(!sid || sid == self->d[0].id);
	ASSERT_EQ(0, run_builtins(&self->c, CLASS, self->d[0].id))
		TH_LOG("%s", why);

	x = new_buf(&self->c, 4096);
	y = new_buf(&self->c, 4096);
	ASSERT_NE(NULL, y);
	a[0] = arg(x, 0, 0);
	a[1] = arg(y, 0, 0);
	/* No such built-in. */
	id = reg(&self->c, CLASS, "no_such_kernel", in_out, 2, 0);
	EXPECT_EQ(-ENOENT, launch(&self->c, id, a, in_out, 2, NULL, 0, NULL));
	/* Another signature than the built-in's. */
	id = reg(&self->c, CLASS, "crc32c", in_inout, 2, 4);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_inout, 2,
				  (__u32[]){ 0 }, 4, NULL));
	id = reg(&self->c, CLASS, "memset", out_only, 1, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, out_only, 1, NULL, 0, NULL));
	EXPECT_TRUE(all_bytes(y->map, 4096, 0));
	/* Sizes the built-in refuses. */
	id = reg(&self->c, CLASS, "memcpy", in_out, 2, 0);
	a[1] = arg(y, 100, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, NULL, 0, NULL));

	/* SIGTERM: a clean exit, and the controller is gone. */
	EXPECT_TRUE(exited_with(ctrld_stop(&self->d[0], SIGTERM), 0));
	EXPECT_TRUE(ctrl_gone("ucpu0"));
}

/*
 * Many launches in flight on three units, over buffers of several sizes,
 * so that a unit's mappings change size from one work to the next.
 */
TEST_F_TIMEOUT(uctrl, many_in_flight, 120)
{
	const unsigned int nr = 24, rounds = 8;
	struct vaal_buffer *b[3];
	unsigned int i, round, submitted, done;
	struct vaal_sqe_arg a;
	struct vaal_cqe cqe;
	__le32 byte;
	__u64 mask;
	__u32 id;
	int ret;

	ASSERT_EQ(0, ctrld_start(&self->d[0], "--threads", "3", NULL));
	for (i = 0; i < 3; i++) {
		b[i] = new_buf(&self->c, (i + 1) * nr * 4096);
		ASSERT_NE(NULL, b[i]);
	}
	id = reg(&self->c, CLASS, "memset", out_only, 1, 4);
	ASSERT_NE(0, id);
	for (round = 0; round < rounds; round++) {
		for (i = 0; i < nr; i++) {
			a = arg(b[i % 3], 4096, (i / 3) * 4096);
			byte = htole32((round * nr + i) & 0xff);
			ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, &a,
						       out_only, 1, &byte, 4, i));
		}
		mask = 0;
		for (submitted = 0, done = 0; done < nr; done++) {
			if (submitted < nr) {
				ret = vaal_submit(&self->c.r);
				ASSERT_TRUE(ret >= 0 || ret == -EBUSY) TH_LOG("%d", ret);
				submitted += ret > 0 ? ret : 0;
			}
			ASSERT_EQ(0, reap(&self->c, &cqe));
			ASSERT_EQ(0, cqe.res);
			ASSERT_EQ(self->d[0].id, cqe.controller);
			ASSERT_GT(nr, cqe.user_data);
			mask |= 1ULL << cqe.user_data;
		}
		EXPECT_EQ((1ULL << nr) - 1, mask);
		for (i = 0; i < nr; i++)
			ASSERT_TRUE(all_bytes((char *)b[i % 3]->map + (i / 3) * 4096,
					      4096, (round * nr + i) & 0xff))
				TH_LOG("round %u launch %u", round, i);
	}
	EXPECT_TRUE(exited_with(ctrld_stop(&self->d[0], SIGINT), 0));
}

/* --once N: N works completed, then a clean exit on its own. */
TEST_F_TIMEOUT(uctrl, once, 60)
{
	struct vaal_buffer *b = new_buf(&self->c, 4096);
	__u32 id = reg(&self->c, CLASS, "memset", out_only, 1, 4);
	struct vaal_sqe_arg a;
	__le32 byte;
	int i;

	ASSERT_NE(NULL, b);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, ctrld_start(&self->d[0], "--once", "3", NULL));
	for (i = 0; i < 3; i++) {
		a = arg(b, 4096, 0);
		byte = htole32(i + 1);
		ASSERT_EQ(0, launch(&self->c, id, &a, out_only, 1, &byte, 4,
				    NULL));
		EXPECT_TRUE(all_bytes(b->map, 4096, i + 1));
	}
	EXPECT_TRUE(exited_with(ctrld_wait(&self->d[0], WAIT_MS), 0));
	EXPECT_TRUE(ctrl_gone("ucpu0"));
}

/* A crash with no other controller: -EIO, and the context goes on. */
TEST_F_TIMEOUT(uctrl, crash_alone, 60)
{
	struct vaal_buffer *src = new_buf(&self->c, 8192);
	struct vaal_buffer *dst = new_buf(&self->c, 8192);
	__u32 id = reg(&self->c, CLASS, "memcpy", in_out, 2, 0);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;

	ASSERT_NE(NULL, dst);
	ASSERT_NE(0, id);
	fill_random(src->map, 8192);
	a[0] = arg(src, 0, 0);
	a[1] = arg(dst, 0, 0);
	ASSERT_EQ(0, ctrld_start(&self->d[0], "--fail-after", "1", NULL));
	EXPECT_EQ(-EIO, launch(&self->c, id, a, in_out, 2, NULL, 0, &cqe));
	EXPECT_TRUE(exited_with(ctrld_wait(&self->d[0], WAIT_MS), 3));
	EXPECT_TRUE(ctrl_gone("ucpu0"));
	EXPECT_TRUE(all_bytes(dst->map, 8192, 0));

	/* No controller of the class now; then a new one. */
	EXPECT_EQ(-ENODEV, launch(&self->c, id, a, in_out, 2, NULL, 0, NULL));
	ASSERT_EQ(0, vaal_queue_nop(&self->c.r, 99));
	ASSERT_EQ(1, vaal_submit(&self->c.r));
	ASSERT_EQ(0, reap(&self->c, &cqe));
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, ctrld_start(&self->d[0], NULL));
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, NULL, 0, &cqe));
	EXPECT_EQ(self->d[0].id, cqe.controller);
	EXPECT_EQ(0, memcmp(src->map, dst->map, 8192));
}

/*
 * A crash with another controller of the class: the work goes to it.  Both
 * have one unit, so that of two launches submitted together one lands on
 * the controller that crashes.
 */
TEST_F_TIMEOUT(uctrl, crash_requeued, 120)
{
	struct vaal_buffer *src = new_buf(&self->c, 8192);
	struct vaal_buffer *dst[2] = { new_buf(&self->c, 8192),
				       new_buf(&self->c, 8192) };
	__u32 id = reg(&self->c, CLASS, "memcpy", in_out, 2, 0);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	int i, round, status = -1;

	ASSERT_NE(NULL, dst[1]);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, ctrld_start(&self->d[0], "--threads", "1",
				 "--fail-after", "1", NULL));
	ASSERT_EQ(0, ctrld_start(&self->d[1], "--name", "ucpu1",
				 "--threads", "1", NULL));
	for (round = 0; round < 10 && status == -1; round++) {
		fill_random(src->map, 8192);
		for (i = 0; i < 2; i++) {
			memset(dst[i]->map, 0, 8192);
			a[0] = arg(src, 0, 0);
			a[1] = arg(dst[i], 0, 0);
			ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, a, in_out,
						       2, NULL, 0, i));
		}
		ASSERT_EQ(2, vaal_submit(&self->c.r));
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, reap(&self->c, &cqe));
			EXPECT_EQ(0, cqe.res) TH_LOG("round %d launch %llu", round,
						     (unsigned long long)cqe.user_data);
			EXPECT_EQ(self->d[1].id, cqe.controller);
		}
		for (i = 0; i < 2; i++)
			EXPECT_EQ(0, memcmp(src->map, dst[i]->map, 8192));
		status = ctrld_wait(&self->d[0], 200);
	}
	/* ucpu0 took one and crashed on it. */
	EXPECT_TRUE(exited_with(status, 3)) TH_LOG("status %#x", status);
	EXPECT_TRUE(exited_with(ctrld_stop(&self->d[1], SIGTERM), 0));
}

/* Work held past its deadline: -ETIMEDOUT; what reads its output: -ECANCELED. */
TEST_F_TIMEOUT(uctrl, deadline, 60)
{
	const __u64 timeout_ns = 100 * 1000000ULL;
	struct vaal_buffer *A = new_buf(&self->c, 4096);
	struct vaal_buffer *B = new_buf(&self->c, 4096);
	struct vaal_buffer *C = new_buf(&self->c, 4096);
	__u32 id = reg_timeout(&self->c, CLASS, "memcpy", in_out, 2, timeout_ns);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	long long t0, ms;
	int i, res[2] = { 1, 1 };

	ASSERT_NE(NULL, C);
	ASSERT_NE(0, id);
	memset(A->map, 0x5a, 4096);
	ASSERT_EQ(0, ctrld_start(&self->d[0], "--hang", NULL));
	a[0] = arg(A, 0, 0);
	a[1] = arg(B, 0, 0);
	ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, a, in_out, 2, NULL, 0, 0));
	a[0] = arg(B, 0, 0);
	a[1] = arg(C, 0, 0);
	ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, a, in_out, 2, NULL, 0, 1));
	t0 = now_ms();
	ASSERT_EQ(2, vaal_submit(&self->c.r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, reap(&self->c, &cqe));
		ASSERT_GT(2, cqe.user_data);
		res[cqe.user_data] = cqe.res;
	}
	ms = now_ms() - t0;
	EXPECT_EQ(-ETIMEDOUT, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	EXPECT_LE(90, ms);
	EXPECT_TRUE(all_bytes(C->map, 4096, 0));
	/* It still holds the work; SIGTERM lets it go. */
	EXPECT_TRUE(exited_with(ctrld_stop(&self->d[0], SIGTERM), 0));
	EXPECT_TRUE(ctrl_gone("ucpu0"));
}

/* Registering a controller needs CAP_SYS_ADMIN. */
TEST(unprivileged)
{
	struct vaal_query q;
	int fd, ret, status;
	pid_t pid;
	__u32 id;

	if (geteuid())
		SKIP(return, "needs root");
	fd = vaal_open(NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vaal_query(fd, &q));
	if (!(q.features & VAAL_FEAT_USER_CONTROLLERS))
		SKIP(return, "vaal_core has no user-space controllers");
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/*
		 * Opened while root (a context is its opener's: forked
		 * children get -EIO), so that only the capability is missing.
		 */
		fd = vaal_open(NULL);
		if (fd < 0)
			_exit(10);
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(11);
		ret = vaal_ctrl_register(fd, "ucpu_nobody", CLASS, 1, &id);
		_exit(ret == -EPERM ? 0 : -ret);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(exited_with(status, 0))
		TH_LOG("status %#x (exit: 10, 11 set-up, else the errno)", status);
	EXPECT_TRUE(ctrl_gone("ucpu_nobody"));
}

/* --client NAME ID: the built-ins through a running controller. */
static int client_main(const char *name, const char *id_str)
{
	char path[128], class[VAAL_CLASS_LEN] = "";
	__u32 id = strtoul(id_str, NULL, 10);
	struct client c;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), CTRL_DIR "%s/class", name);
	f = fopen(path, "r");
	if (!f || !fgets(class, sizeof(class), f)) {
		fprintf(stderr, "vaal_uctrl_test: cannot read %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	fclose(f);
	class[strcspn(class, "\n")] = '\0';
	ret = client_open(&c);
	if (ret) {
		fprintf(stderr, "vaal_uctrl_test: context: %s\n", strerror(-ret));
		return 1;
	}
	ret = run_builtins(&c, class, id);
	client_close(&c);
	if (ret) {
		fprintf(stderr, "vaal_uctrl_test: %s: %s\n", name, why);
		return 1;
	}
	printf("memcpy, xor, sum_i32, matmul_i32 right through %s (class %s, id %u)\n",
	       name, class, id);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--client"))
		return client_main(argv[2], argv[3]);
	return test_harness_run(argc, argv);
}
