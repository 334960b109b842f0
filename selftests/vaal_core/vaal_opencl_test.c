// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_opencl_test.c - the OpenCL controller, tools/vaal_opencld, on the
 * machine's ICD (PoCL on the CPU in the VM), end to end through /dev/vaal:
 * vector add, SAXPY with a work-group size, an int32 matmul equal to the
 * CPU controller's; the geometry the core checks and the one the device
 * refuses; programs that do not build, signatures that do not fit their
 * code, SPIR-V without IL support, blobs that are no program (each failing
 * its launches, with the reason in the kernel's log, while the daemon
 * serves everyone else); kernels that stray outside their buffers, one
 * that never ends (the deadline), the daemon killed mid-launch (-EIO) or
 * crashing with another controller of the class (requeued); programs
 * built once per kernel and released when it is unregistered; two
 * contexts' isolation.
 *
 * Each test starts its own daemon (two queues of one unit); PoCL's kernel
 * cache is shared, so that a program is compiled once per run.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "../lib/vaal_launch.h"
#include "../lib/vaal_opencld.h"
#include "kselftest_harness.h"

#define CTRL_DIR	"/sys/class/misc/vaal/controllers/"
#define WAIT_NS		(300 * 1000000000ULL)	/* a build under TCG, and more */
#define DEADLINE_NS	(300 * 1000000000ULL)	/* kernels that end */
#define MAX_BUFS	16
#define NAME		"ocltest0"

static const __u8 in_in_out[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 in_inout[] = { VAAL_ARG_IN, VAAL_ARG_INOUT };
static const __u8 inout_only[] = { VAAL_ARG_INOUT };
static const __u8 in_out[] = { VAAL_ARG_IN, VAAL_ARG_OUT };

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

	if (c->fd <= 0)
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

/* Register a kernel of the tests' program; its id, or 0. */
static __u32 reg(struct client *c, const char *name, const __u8 *modes,
		 unsigned int nr_args, unsigned int scalar_bytes)
{
	__u32 id = 0;

	if (ocl_register(c->fd, name, modes, nr_args, scalar_bytes, ocl_test_src,
			 sizeof(ocl_test_src), DEADLINE_NS, &id))
		return 0;
	return id;
}

/*
 * One launch with geometry @g (NULL: none), waited for.  Return: its
 * completion's res (the completion in @cqe), or INT_MIN when it could not
 * be queued, submitted or reaped.
 */
static int launch(struct client *c, __u32 id, const struct vaal_sqe_arg *args,
		  const __u8 *modes, unsigned int nr_args, const void *scalars,
		  unsigned int scalar_bytes,
		  const struct vaal_launch_geometry *g, struct vaal_cqe *cqe)
{
	__u64 ud = ++c->user_data;
	struct vaal_cqe dummy;

	if (!cqe)
		cqe = &dummy;
	if (!id || vaal_queue_launch_geo(&c->r, id, args, modes, nr_args,
					 scalars, scalar_bytes, g, ud) ||
	    vaal_submit(&c->r) != 1 || vaal_test_reap(&c->r, WAIT_NS, cqe) ||
	    cqe->user_data != ud)
		return INT_MIN;
	return cqe->res;
}

#define arg(b, len, offset)	vaal_test_arg(b, len, offset)

/* The log of kernel @id, NUL-terminated in @buf; its length or an errno. */
static int klog(struct client *c, __u32 id, char *buf, size_t room,
		__u64 *key)
{
	struct vaal_kernel_log info;
	int ret = vaal_kernel_log(c->fd, id, buf, room, &info);

	if (ret >= 0 && key)
		*key = info.kernel_key;
	return ret;
}

/* Its unit count, busy ones, as sysfs lists the controller. */
static long long ctrl_attr(const char *name, const char *attr)
{
	char path[128];

	snprintf(path, sizeof(path), CTRL_DIR "%s/%s", name, attr);
	return vcore_read_ll(path);
}

/* Wait until controller @name has a busy unit; 1 when it does. */
static int wait_busy(const char *name, int ms)
{
	long long end = ocld_now_ms() + ms;

	while (ctrl_attr(name, "busy") < 1) {
		if (ocld_now_ms() > end)
			return 0;
		usleep(10000);
	}
	return 1;
}

/* vadd of @n floats in @c's three new buffers, checked; its res. */
static int vadd_check(struct client *c, __u32 id, unsigned int n)
{
	struct vaal_buffer *a = new_buf(c, n * 4), *b = new_buf(c, n * 4);
	struct vaal_buffer *s = new_buf(c, n * 4);
	struct vaal_launch_geometry g = ocl_geo1(n, 0);
	struct vaal_sqe_arg args[3];
	float *fa, *fb, *fs;
	unsigned int i;
	int ret;

	if (!a || !b || !s)
		return INT_MIN;
	fa = a->map;
	fb = b->map;
	fs = s->map;
	for (i = 0; i < n; i++) {
		fa[i] = i;
		fb[i] = 3 * (float)i + 0.5f;
	}
	args[0] = arg(a, 0, 0);
	args[1] = arg(b, 0, 0);
	args[2] = arg(s, 0, 0);
	ret = launch(c, id, args, in_in_out, 3, &n, 4, &g, NULL);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (fs[i] != fa[i] + fb[i])
			return -EBADMSG;
	return 0;
}

FIXTURE(opencl) {
	struct ocld d;
	struct client c;
};

FIXTURE_SETUP(opencl)
{
	struct vaal_query q;
	int fd = vaal_open(NULL);

	self->c.fd = -1;
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vaal_query(fd, &q));
	close(fd);
	ASSERT_TRUE(q.features & VAAL_FEAT_CODE_LOADING);
	ASSERT_EQ(0, ocld_start(&self->d, NAME, NULL)) {
		ocld_dump(&self->d);
	}
	ASSERT_EQ(0, client_open(&self->c));
}

FIXTURE_TEARDOWN(opencl)
{
	client_close(&self->c);
	if (self->d.pid)
		ocld_stop(&self->d, SIGKILL);
	if (_metadata->exit_code)
		ocld_dump(&self->d);
	unlink(self->d.err_path);
}

TEST_F_TIMEOUT(opencl, vector_add, 400)
{
	struct client *c = &self->c;
	struct vaal_buffer *a, *b, *s;
	struct vaal_sqe_arg args[3];
	struct vaal_launch_geometry g;
	struct vaal_cqe cqe;
	const unsigned int n = 65536;
	float *fa, *fb, *fs;
	unsigned int i;
	__u32 id;

	id = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_NE(0, id);
	a = new_buf(c, n * 4);
	b = new_buf(c, n * 4);
	s = new_buf(c, n * 4);
	ASSERT_TRUE(a && b && s);
	fa = a->map;
	fb = b->map;
	fs = s->map;
	for (i = 0; i < n; i++) {
		fa[i] = i;
		fb[i] = 2 * (float)i + 0.25f;
		fs[i] = -1;
	}
	args[0] = arg(a, 0, 0);
	args[1] = arg(b, 0, 0);
	args[2] = arg(s, 0, 0);
	g = ocl_geo1(n, 0);
	ASSERT_EQ(0, launch(c, id, args, in_in_out, 3, &n, 4, &g, &cqe));
	for (i = 0; i < n; i++)
		if (fs[i] != fa[i] + fb[i])
			break;
	EXPECT_EQ(n, i) TH_LOG("c[%u] = %f, not %f", i, fs[i], fa[i] + fb[i]);
	EXPECT_EQ(self->d.id, cqe.controller);
	/* The device's own time, from the profiling events. */
	EXPECT_LT(0, cqe.device_ns);
	EXPECT_GT(WAIT_NS, cqe.device_ns);

	/* Again, now built: the program was built once. */
	for (i = 0; i < n; i++)
		fa[i] = 7;
	ASSERT_EQ(0, launch(c, id, args, in_in_out, 3, &n, 4, &g, &cqe));
	EXPECT_EQ(7 + fb[n - 1], fs[n - 1]);
	EXPECT_EQ(1, ocld_log_count(&self->d, ") built for "));

	/* Half of it: ranges at an offset, in place. */
	args[0] = arg(a, n * 2, n * 2);
	args[1] = arg(b, n * 2, n * 2);
	args[2] = arg(s, n * 2, 0);
	memset(fs, 0, n * 4);
	g = ocl_geo1(n / 2, 0);
	i = n / 2;
	ASSERT_EQ(0, launch(c, id, args, in_in_out, 3, &i, 4, &g, &cqe));
	EXPECT_EQ(fa[n / 2] + fb[n / 2], fs[0]);
	EXPECT_EQ(fa[n - 1] + fb[n - 1], fs[n / 2 - 1]);
	EXPECT_EQ(0, fs[n / 2]);
}

TEST_F_TIMEOUT(opencl, saxpy_with_work_group_size, 400)
{
	struct client *c = &self->c;
	struct vaal_launch_geometry g;
	struct vaal_buffer *x, *y;
	struct vaal_sqe_arg args[2];
	const unsigned int n = 1 << 16;
	struct {
		float a;
		__u32 n;
	} s = { 2.0f, n };
	float *fx, *fy;
	unsigned int i;
	__u32 id;

	id = reg(c, "saxpy", in_inout, 2, sizeof(s));
	ASSERT_NE(0, id);
	x = new_buf(c, n * 4);
	y = new_buf(c, n * 4);
	ASSERT_TRUE(x && y);
	fx = x->map;
	fy = y->map;
	for (i = 0; i < n; i++) {
		fx[i] = i % 1000;	/* exact in float, fused or not */
		fy[i] = 3;
	}
	args[0] = arg(x, 0, 0);
	args[1] = arg(y, 0, 0);
	g = ocl_geo1(n, 64);
	ASSERT_EQ(0, launch(c, id, args, in_inout, 2, &s, sizeof(s), &g, NULL));
	for (i = 0; i < n; i++)
		if (fy[i] != 2.0f * (i % 1000) + 3)
			break;
	EXPECT_EQ(n, i) TH_LOG("y[%u] = %f", i, fy[i]);
}

TEST_F_TIMEOUT(opencl, matmul_i32_equals_cpu_controller, 400)
{
	const __u32 m = 48, n = 40, k = 32, dim[3] = { m, n, k };
	struct client *c = &self->c;
	struct vaal_buffer *A, *B, *Ccpu, *Cocl;
	struct vaal_launch_geometry g;
	struct vaal_sqe_arg args[3];
	const __u64 global[2] = { n, m };
	__s32 *a, *b;
	unsigned int i;
	__u32 cpu, ocl;

	ASSERT_EQ(0, vaal_kernel_register(c->fd, "cpu", "matmul_i32", in_in_out,
					  3, 12, NULL, 0, &cpu));
	ocl = reg(c, "matmul_i32", in_in_out, 3, 12);
	ASSERT_NE(0, ocl);
	A = new_buf(c, m * k * 4);
	B = new_buf(c, k * n * 4);
	Ccpu = new_buf(c, m * n * 4);
	Cocl = new_buf(c, m * n * 4);
	ASSERT_TRUE(A && B && Ccpu && Cocl);
	a = A->map;
	b = B->map;
	srand(42);
	for (i = 0; i < m * k; i++)
		a[i] = rand() - RAND_MAX / 2;	/* products wrap */
	for (i = 0; i < k * n; i++)
		b[i] = rand() % 2001 - 1000;
	args[0] = arg(A, 0, 0);
	args[1] = arg(B, 0, 0);
	args[2] = arg(Ccpu, 0, 0);
	ASSERT_EQ(0, launch(c, cpu, args, in_in_out, 3, dim, 12, NULL, NULL));
	args[2] = arg(Cocl, 0, 0);
	ASSERT_EQ(0, vaal_geometry(&g, 2, global, NULL));
	ASSERT_EQ(0, launch(c, ocl, args, in_in_out, 3, dim, 12, &g, NULL));
	EXPECT_EQ(0, memcmp(Ccpu->map, Cocl->map, m * n * 4));
	EXPECT_NE(0, ((__s32 *)Cocl->map)[m * n - 1]);
}

/* Submit the launch in @sqe's slots as is; its completion's res. */
static int submit_raw(struct client *c, __u64 ud)
{
	struct vaal_cqe cqe;

	if (vaal_submit(&c->r) != 1 || vaal_test_reap(&c->r, WAIT_NS, &cqe) ||
	    cqe.user_data != ud)
		return INT_MIN;
	return cqe.res;
}

TEST_F_TIMEOUT(opencl, geometry_checks, 400)
{
	struct client *c = &self->c;
	struct vaal_launch_geometry good, bad;
	struct vaal_buffer *a, *b;
	struct vaal_sqe_arg args[3];
	struct vaal_sqe *sqe;
	__u32 empty, add, vadd, v = 1, n;
	char log[4096];
	float *fa, *fs;
	int i;

	empty = reg(c, "empty", NULL, 0, 0);
	add = reg(c, "add_u8", in_out, 2, 4);
	vadd = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_TRUE(empty && add && vadd);
	good = ocl_geo1(4, 0);
	ASSERT_EQ(0, launch(c, empty, NULL, NULL, 0, NULL, 0, &good, NULL));

	/* The shapes the core refuses, in the completion. */
	for (i = 0; i < 8; i++) {
		bad = good;
		if (i == 0)
			bad.dims = 0;
		if (i == 1)
			bad.dims = VAAL_MAX_DIMS + 1;
		if (i == 2)
			bad.global[0] = 0;	/* a used dimension empty */
		if (i == 3)
			bad.global[2] = 5;	/* an unused one not */
		if (i == 4) {			/* a local size for one of two */
			bad.dims = 2;
			bad.global[1] = 2;
			bad.local[0] = 2;
		}
		if (i == 5)
			bad.local[1] = 1;
		if (i == 6)
			bad.flags = 1;
		if (i == 7)
			bad.reserved = 1;
		sqe = vaal_get_sqe(&c->r, 1);
		ASSERT_NE(NULL, sqe);
		ASSERT_EQ(0, vaal_prep_launch_geo(&c->r, sqe, empty, NULL, NULL,
						  0, NULL, 0, &good, 100 + i));
		memcpy(sqe->payload, &bad, sizeof(bad));
		EXPECT_EQ(-EINVAL, submit_raw(c, 100 + i)) TH_LOG("case %d", i);
	}
	/* Geometry on a NOP. */
	sqe = vaal_get_sqe(&c->r, 1);
	vaal_prep_nop(sqe, 200);
	sqe->flags = VAAL_SQE_GEOMETRY;
	EXPECT_EQ(-EINVAL, submit_raw(c, 200));
	/* Bytes between the scalars and the geometry. */
	a = new_buf(c, 4096);
	b = new_buf(c, 4096);
	ASSERT_TRUE(a && b);
	args[0] = arg(a, 256, 0);
	args[1] = arg(b, 256, 0);
	sqe = vaal_get_sqe(&c->r, VAAL_SQE_LAUNCH_SLOTS(2, 4, VAAL_SQE_GEOMETRY));
	ASSERT_NE(NULL, sqe);
	good = ocl_geo1(256, 0);
	ASSERT_EQ(0, vaal_prep_launch_geo(&c->r, sqe, add, args, in_out, 2, &v,
					  4, &good, 201));
	sqe->payload[2 * sizeof(struct vaal_sqe_arg) + 5] = 1;
	EXPECT_EQ(-EINVAL, submit_raw(c, 201));
	/* The same, well formed. */
	EXPECT_EQ(0, launch(c, add, args, in_out, 2, &v, 4, &good, NULL));
	EXPECT_EQ(1, ((unsigned char *)b->map)[255]);
	EXPECT_EQ(0, ((unsigned char *)b->map)[256]);

	/* A shape the device refuses: a work-group that does not divide. */
	good = ocl_geo1(100, 7);
	n = 100;
	args[0] = arg(a, 400, 0);
	args[1] = arg(a, 400, 0);
	args[2] = arg(b, 400, 0);
	EXPECT_EQ(-EINVAL, launch(c, vadd, args, in_in_out, 3, &n, 4, &good,
				  NULL));
	ASSERT_LT(0, klog(c, vadd, log, sizeof(log), NULL));
	EXPECT_NE(NULL, strstr(log, "CL_INVALID_WORK_GROUP_SIZE")) TH_LOG("%s", log);

	/* No geometry: one work-item. */
	fa = a->map;
	fs = b->map;
	for (i = 0; i < 4; i++) {
		fa[i] = i + 1;
		fs[i] = 0;
	}
	n = 4;
	EXPECT_EQ(0, launch(c, vadd, args, in_in_out, 3, &n, 4, NULL, NULL));
	EXPECT_EQ(2, fs[0]);
	EXPECT_EQ(0, fs[1]);
}

TEST_F_TIMEOUT(opencl, build_failure_fails_launches_with_log, 400)
{
	static const char bad_src[] =
		"__kernel void broken(__global int *p)\n"
		"{\n"
		"	p[0] = undeclared_thing;\n"
		"}\n";
	struct client *c = &self->c;
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	struct vaal_kernel_log info;
	struct vaal_buffer *b;
	struct vaal_sqe_arg a;
	char log[16384];
	__u32 id, good;
	int len;

	ASSERT_EQ(0, ocl_register(c->fd, "broken", inout_only, 1, 0, bad_src,
				  strlen(bad_src), DEADLINE_NS, &id));
	b = new_buf(c, 4096);
	ASSERT_NE(NULL, b);
	a = arg(b, 0, 0);
	/* No log before a controller wrote one. */
	EXPECT_EQ(0, vaal_kernel_log(c->fd, id, log, sizeof(log), &info));
	EXPECT_EQ(0, info.controller);
	EXPECT_NE(0, info.kernel_key);

	EXPECT_EQ(-EINVAL, launch(c, id, &a, inout_only, 1, NULL, 0, &g, NULL));
	len = vaal_kernel_log(c->fd, id, log, sizeof(log), &info);
	ASSERT_LT(0, len);
	EXPECT_EQ(strlen(log), len);
	EXPECT_EQ(self->d.id, info.controller);
	EXPECT_NE(NULL, strstr(log, "does not build")) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "undeclared_thing")) TH_LOG("%s", log);
	/* Cut short to the room, the length still the whole log's. */
	EXPECT_EQ(len, vaal_kernel_log(c->fd, id, log, 8, NULL));
	EXPECT_EQ(7, strlen(log));

	/* Built once: the next launch fails at once, the same way. */
	EXPECT_EQ(-EINVAL, launch(c, id, &a, inout_only, 1, NULL, 0, &g, NULL));
	EXPECT_EQ(1, ocld_log_count(&self->d, "(broken): Invalid argument"));

	/* And the daemon serves the good kernels as before. */
	good = reg(c, "vadd", in_in_out, 3, 4);
	EXPECT_EQ(0, vadd_check(c, good, 1024));
	/* A kernel without a log, and an id the context does not have. */
	EXPECT_EQ(0, vaal_kernel_log(c->fd, good, log, sizeof(log), NULL));
	EXPECT_EQ(-ENOENT, vaal_kernel_log(c->fd, 999, log, sizeof(log), NULL));
}

/* One launch of a kernel registered as given must fail with @err, and its
 * log say @why.
 */
static void bad_kernel(struct __test_metadata *_metadata, struct client *c,
		       const char *name, const __u8 *modes,
		       unsigned int nr_args, unsigned int scalar_bytes,
		       const void *blob, size_t blob_len, int err,
		       const char *why)
{
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	struct vaal_sqe_arg args[VAAL_MAX_ARGS];
	__u8 scalars[VAAL_MAX_SCALAR_BYTES] = { 0 };
	struct vaal_buffer *b = new_buf(c, 4096);
	char log[8192] = "";
	unsigned int i;
	__u32 id;

	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, ocl_register(c->fd, name, modes, nr_args, scalar_bytes,
				  blob, blob_len, DEADLINE_NS, &id));
	for (i = 0; i < nr_args; i++)
		args[i] = arg(b, 256, i * 256);
	EXPECT_EQ(err, launch(c, id, args, modes, nr_args, scalars,
			      scalar_bytes, &g, NULL)) TH_LOG("kernel %s", name);
	EXPECT_LT(0, klog(c, id, log, sizeof(log), NULL));
	EXPECT_NE(NULL, strstr(log, why)) TH_LOG("kernel %s: log: %s", name, log);
	EXPECT_EQ(0, vaal_kernel_unregister(c->fd, id));
}

TEST_F_TIMEOUT(opencl, signatures_checked_against_code, 400)
{
	static const __u8 in_in[] = { VAAL_ARG_IN, VAAL_ARG_IN };
	static const __u8 out_out[] = { VAAL_ARG_OUT, VAAL_ARG_OUT };
	static const __u8 four[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT,
				     VAAL_ARG_OUT };
	struct client *c = &self->c;
	__u32 good;

	/* vadd's n missing from the scalars, then too many of them. */
	bad_kernel(_metadata, c, "vadd", in_in_out, 3, 0, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "scalar arguments take 4 bytes");
	bad_kernel(_metadata, c, "vadd", in_in_out, 3, 12, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "not the 12 registered");
	/* An output registered as input, an input as output. */
	bad_kernel(_metadata, c, "vadd", in_in, 2, 8, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "not a scalar");
	bad_kernel(_metadata, c, "saxpy", out_out, 2, 8, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "cannot write it");
	bad_kernel(_metadata, c, "oob", in_out, 1, 8, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "may write it");
	/* More buffers than the kernel has arguments. */
	bad_kernel(_metadata, c, "add_u8", four, 4, 0, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "fewer than the 4 buffers");
	/* A name the program does not have: the log lists those it has. */
	bad_kernel(_metadata, c, "vsub", in_in_out, 3, 4, ocl_test_src,
		   sizeof(ocl_test_src), -EINVAL, "matmul_i32");

	good = reg(c, "vadd", in_in_out, 3, 4);
	EXPECT_EQ(0, vadd_check(c, good, 4096));
}

TEST_F_TIMEOUT(opencl, blobs_that_are_no_program, 400)
{
	static const unsigned char spirv[] = {
		0x03, 0x02, 0x23, 0x07, 0x00, 0x00, 0x01, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
	};
	static const char binary[] = { 0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 0 };
	struct client *c = &self->c;
	__u32 id, good;

	/* SPIR-V: PoCL as Debian builds it takes none (IL version n/a). */
	bad_kernel(_metadata, c, "vadd", in_in_out, 3, 4, spirv, sizeof(spirv),
		   -EOPNOTSUPP, "takes no intermediate language");
	bad_kernel(_metadata, c, "vadd", in_in_out, 3, 4, binary,
		   sizeof(binary), -EINVAL, "neither OpenCL C source");
	/* No blob at all. */
	ASSERT_EQ(0, vaal_kernel_register(c->fd, OCLD_CLASS, "nocode",
					  NULL, 0, 0, NULL, 0, &id));
	{
		struct vaal_launch_geometry g = ocl_geo1(1, 0);
		char log[1024];

		EXPECT_EQ(-EINVAL, launch(c, id, NULL, NULL, 0, NULL, 0, &g, NULL));
		EXPECT_LT(0, klog(c, id, log, sizeof(log), NULL));
		EXPECT_NE(NULL, strstr(log, "has no code")) TH_LOG("%s", log);
	}
	good = reg(c, "vadd", in_in_out, 3, 4);
	EXPECT_EQ(0, vadd_check(c, good, 4096));
}

TEST_F_TIMEOUT(opencl, strays_outside_buffers_fault, 400)
{
	struct client *c = &self->c, other;
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	struct vaal_buffer *b, *in, *ob;
	struct vaal_sqe_arg args[2];
	struct {
		__u32 n;
		__u32 far;
	} s;
	__u32 oob, wr, good, i;
	char log[4096];

	oob = reg(c, "oob", inout_only, 1, 8);
	wr = reg(c, "write_in", in_out, 2, 0);
	good = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_TRUE(oob && wr && good);
	/* Another context's buffer, which nothing may touch. */
	ASSERT_EQ(0, client_open(&other));
	ob = new_buf(&other, 8192);
	ASSERT_NE(NULL, ob);
	memset(ob->map, 0x5a, 8192);

	b = new_buf(c, 8192);
	ASSERT_NE(NULL, b);
	args[0] = arg(b, 0, 0);
	/* In bounds first: the word is written. */
	s.n = 2047;
	s.far = 0;
	EXPECT_EQ(0, launch(c, oob, args, inout_only, 1, &s, 8, &g, NULL));
	EXPECT_EQ(0xdeadbeef, ((__u32 *)b->map)[2047]);
	/* Just past the buffer's end, then 4 MiB past it. */
	for (i = 0; i < 2; i++) {
		s.n = 2048;
		s.far = i ? 1 << 20 : 0;
		EXPECT_EQ(-EFAULT, launch(c, oob, args, inout_only, 1, &s, 8,
					  &g, NULL)) TH_LOG("far %u", s.far);
		ASSERT_LT(0, klog(c, oob, log, sizeof(log), NULL));
		EXPECT_NE(NULL, strstr(log, "outside its buffer")) TH_LOG("%s", log);
	}
	/* A buffer it only reads, written. */
	in = new_buf(c, 4096);
	ASSERT_NE(NULL, in);
	args[0] = arg(in, 0, 0);
	args[1] = arg(b, 0, 0);
	EXPECT_EQ(-EFAULT, launch(c, wr, args, in_out, 2, NULL, 0, &g, NULL));
	EXPECT_EQ(0, ((__u32 *)in->map)[0]);

	/* The daemon serves on, on every unit. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, vadd_check(c, good, 4096));
	for (i = 0; i < 8192; i++)
		if (((unsigned char *)ob->map)[i] != 0x5a)
			break;
	EXPECT_EQ(8192, i);
	EXPECT_EQ(0, kill(self->d.pid, 0));
	client_close(&other);
}

TEST_F_TIMEOUT(opencl, deadline_abandons_a_kernel_that_never_ends, 400)
{
	const struct vaal_kernel_desc d = {
		.class = OCLD_CLASS,
		.name = "slow",
		.nr_args = 1,
		.arg_mode = inout_only,
		.scalar_bytes = 8,
		.blob = ocl_test_src,
		.blob_len = sizeof(ocl_test_src),
		.timeout_ns = 60 * 1000000000ULL,
	};
	struct client *c = &self->c;
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	struct vaal_kernel_desc dshort = d;
	struct vaal_buffer *b;
	struct vaal_sqe_arg a;
	__u64 iters = 10, t0, ms;
	__u32 warm, id, good, i;
	char log[4096];

	dshort.timeout_ns = 3 * 1000000000ULL;
	ASSERT_EQ(0, vaal_kernel_register_desc(c->fd, &d, &warm));
	good = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_NE(0, good);
	ASSERT_EQ(0, vadd_check(c, good, 1024));
	b = new_buf(c, 4096);
	ASSERT_NE(NULL, b);
	a = arg(b, 0, 0);
	/*
	 * Built and compiled by a short run of a kernel with a long deadline,
	 * so that the short deadline is the run's alone; then the same code
	 * with the short deadline.
	 */
	ASSERT_EQ(0, launch(c, warm, &a, inout_only, 1, &iters, 8, &g, NULL));
	ASSERT_EQ(0, vaal_kernel_unregister(c->fd, warm));
	ASSERT_EQ(0, vaal_kernel_register_desc(c->fd, &dshort, &id));

	iters = ~0ULL;
	t0 = ocld_now_ms();
	EXPECT_EQ(-ETIMEDOUT, launch(c, id, &a, inout_only, 1, &iters, 8, &g,
				     NULL));
	ms = ocld_now_ms() - t0;
	EXPECT_LE(2900, ms);
	EXPECT_GT(60000, ms);
	/* The daemon gave the unit back, the kernel still running. */
	EXPECT_TRUE(ocld_log_wait(&self->d, "past its deadline", 10000));
	EXPECT_EQ(1, ocld_log_count(&self->d, "its queue replaced"));
	EXPECT_EQ(0, ((__u32 *)b->map)[1]);
	ASSERT_LT(0, klog(c, id, log, sizeof(log), NULL));
	EXPECT_NE(NULL, strstr(log, "ran past its deadline")) TH_LOG("%s", log);
	/* Both units serve: the other one, and the one with a fresh queue. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, vadd_check(c, good, 1024));
	EXPECT_EQ(0, ctrl_attr(NAME, "busy"));
}

TEST_F_TIMEOUT(opencl, killed_mid_launch_fails_with_eio, 400)
{
	struct client *c = &self->c;
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	struct vaal_buffer *b;
	struct vaal_sqe_arg a;
	struct vaal_cqe cqe;
	__u64 iters = 10;
	__u32 id;

	id = reg(c, "slow", inout_only, 1, 8);
	b = new_buf(c, 4096);
	ASSERT_TRUE(id && b);
	a = arg(b, 0, 0);
	ASSERT_EQ(0, launch(c, id, &a, inout_only, 1, &iters, 8, &g, NULL));
	iters = ~0ULL;
	ASSERT_EQ(0, vaal_queue_launch_geo(&c->r, id, &a, inout_only, 1, &iters,
					   8, &g, 77));
	ASSERT_EQ(1, vaal_submit(&c->r));
	ASSERT_TRUE(wait_busy(NAME, 60000));
	usleep(200000);
	EXPECT_EQ(0, vaal_cq_ready(&c->r));
	kill(self->d.pid, SIGKILL);
	ASSERT_EQ(0, vaal_test_reap(&c->r, WAIT_NS, &cqe));
	EXPECT_EQ(77, cqe.user_data);
	EXPECT_EQ(-EIO, cqe.res);
	ocld_wait(&self->d, 10000);
}

TEST_F_TIMEOUT(opencl, crash_requeues_to_another_controller, 400)
{
	static const char *const fail[] = { "--fail-after", "1", NULL };
	struct client *c = &self->c;
	struct ocld first;
	__u32 id;
	int status;

	/* A second daemon of the class, registered first: it takes the work. */
	ocld_stop(&self->d, SIGTERM);
	ASSERT_EQ(0, ocld_start(&first, "ocltest1", fail));
	ASSERT_EQ(0, ocld_start(&self->d, NAME, NULL));
	id = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_NE(0, id);
	EXPECT_EQ(0, vadd_check(c, id, 4096));
	status = ocld_wait(&first, 10000);
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 3);
	EXPECT_EQ(1, ocld_log_count(&first, "failing on purpose"));
	/* The second ran it (and says so after it completed it). */
	EXPECT_TRUE(ocld_log_wait(&self->d, ": vadd: done", 5000));
	EXPECT_EQ(1, ocld_log_count(&self->d, ": vadd: done"));
	if (first.pid)
		ocld_stop(&first, SIGKILL);
	unlink(first.err_path);
}

TEST_F_TIMEOUT(opencl, programs_released_with_their_kernels, 400)
{
	struct client *c = &self->c, other;
	struct vaal_launch_geometry g = ocl_geo1(1, 0);
	char needle[128], log[64];
	__u64 key, key2, key3;
	__u32 vadd, empty, e2;

	vadd = reg(c, "vadd", in_in_out, 3, 4);
	empty = reg(c, "empty", NULL, 0, 0);
	ASSERT_TRUE(vadd && empty);
	ASSERT_EQ(0, klog(c, vadd, log, sizeof(log), &key));
	ASSERT_EQ(0, klog(c, empty, log, sizeof(log), &key2));
	EXPECT_NE(key, key2);
	EXPECT_EQ(0, vadd_check(c, vadd, 1024));
	EXPECT_EQ(0, launch(c, empty, NULL, NULL, 0, NULL, 0, &g, NULL));
	/* Two kernels of one program: one build. */
	EXPECT_EQ(1, ocld_log_count(&self->d, ") built for "));

	/* Unregistered: its key goes, the program stays for the other. */
	ASSERT_EQ(0, vaal_kernel_unregister(c->fd, vadd));
	snprintf(needle, sizeof(needle), "key %llu (vadd): released",
		 (unsigned long long)key);
	EXPECT_TRUE(ocld_log_wait(&self->d, needle, 10000));
	EXPECT_EQ(0, ocld_log_count(&self->d, "bytes) released"));
	EXPECT_EQ(0, launch(c, empty, NULL, NULL, 0, NULL, 0, &g, NULL));

	/* A context closed: its keys go; with the last, the program. */
	ASSERT_EQ(0, client_open(&other));
	e2 = reg(&other, "empty", NULL, 0, 0);
	ASSERT_NE(0, e2);
	ASSERT_EQ(0, klog(&other, e2, log, sizeof(log), &key3));
	EXPECT_EQ(0, launch(&other, e2, NULL, NULL, 0, NULL, 0, &g, NULL));
	client_close(&other);
	snprintf(needle, sizeof(needle), "key %llu (empty): released",
		 (unsigned long long)key3);
	EXPECT_TRUE(ocld_log_wait(&self->d, needle, 10000));
	ASSERT_EQ(0, vaal_kernel_unregister(c->fd, empty));
	EXPECT_TRUE(ocld_log_wait(&self->d, "bytes) released", 10000));
	EXPECT_EQ(1, ocld_log_count(&self->d, ") built for "));
}

/* Queue @n vadds of @c's kernel @id on new buffers, seeded with @seed. */
static int vadd_queue(struct client *c, __u32 id, unsigned int n,
		      unsigned int seed, struct vaal_buffer **out)
{
	struct vaal_launch_geometry g = ocl_geo1(n, 0);
	struct vaal_buffer *a = new_buf(c, n * 4), *b = new_buf(c, n * 4);
	struct vaal_sqe_arg args[3];
	unsigned int i;

	*out = new_buf(c, n * 4);
	if (!a || !b || !*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		((float *)a->map)[i] = i + seed;
		((float *)b->map)[i] = seed;
	}
	args[0] = arg(a, 0, 0);
	args[1] = arg(b, 0, 0);
	args[2] = arg(*out, 0, 0);
	return vaal_queue_launch_geo(&c->r, id, args, in_in_out, 3, &n, 4, &g,
				     ++c->user_data);
}

static int vadd_result(struct vaal_buffer *s, unsigned int n,
		       unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (((float *)s->map)[i] != (float)(i + seed) + seed)
			return 0;
	return 1;
}

TEST_F_TIMEOUT(opencl, contexts_are_isolated, 400)
{
	struct client *c = &self->c, other;
	struct vaal_launch_geometry g = ocl_geo1(1024, 0);
	struct vaal_buffer *mine, *sa[4], *sb[4];
	struct vaal_sqe_arg args[3];
	struct vaal_cqe cqe;
	__u32 a, b, n = 1024, i;
	__u64 ka, kb;
	char log[64];

	ASSERT_EQ(0, client_open(&other));
	a = reg(c, "vadd", in_in_out, 3, 4);
	b = reg(&other, "vadd", in_in_out, 3, 4);
	ASSERT_TRUE(a && b);
	/* The same name and code, two kernels: two keys. */
	ASSERT_EQ(0, klog(c, a, log, sizeof(log), &ka));
	ASSERT_EQ(0, klog(&other, b, log, sizeof(log), &kb));
	EXPECT_NE(ka, kb);
	/* Both at once, each on its own buffers. */
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, vadd_queue(c, a, 1024, 10 * i, &sa[i]));
		ASSERT_EQ(0, vadd_queue(&other, b, 1024, 10 * i + 5, &sb[i]));
	}
	ASSERT_EQ(4, vaal_submit(&c->r));
	ASSERT_EQ(4, vaal_submit(&other.r));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, vaal_test_reap(i % 2 ? &other.r : &c->r, WAIT_NS,
					    &cqe));
		EXPECT_EQ(0, cqe.res);
	}
	for (i = 0; i < 4; i++) {
		EXPECT_TRUE(vadd_result(sa[i], 1024, 10 * i));
		EXPECT_TRUE(vadd_result(sb[i], 1024, 10 * i + 5));
	}
	/*
	 * The other's buffer handles and kernel ids mean nothing in a
	 * context that has none.
	 */
	client_close(c);
	ASSERT_EQ(0, client_open(c));
	a = reg(c, "vadd", in_in_out, 3, 4);
	ASSERT_EQ(1, a);
	for (i = 0; i < 3; i++)
		args[i] = (struct vaal_sqe_arg){ .handle = sb[3]->handle };
	EXPECT_EQ(-EBADF, launch(c, a, args, in_in_out, 3, &n, 4, &g, &cqe));
	EXPECT_EQ(-ENOENT, launch(c, b + 1, args, in_in_out, 3, &n, 4, &g,
				  &cqe));
	EXPECT_EQ(-ENOENT, vaal_kernel_log(c->fd, b + 1, log, sizeof(log),
					   NULL));
	mine = new_buf(c, 4096);
	ASSERT_NE(NULL, mine);
	/* Each context's keys go with it. */
	client_close(&other);
	snprintf(log, sizeof(log), "key %llu (vadd): released",
		 (unsigned long long)kb);
	EXPECT_TRUE(ocld_log_wait(&self->d, log, 10000));
}

TEST_HARNESS_MAIN
