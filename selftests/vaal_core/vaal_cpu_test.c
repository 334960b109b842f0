// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_test.c - the CPU sidecore controller (vaal_cpu.ko): every
 * built-in kernel launched through the rings and checked against a
 * reference computed here; launches the controller refuses (unknown name,
 * signature or sizes that do not fit); chains ordered by their hazards;
 * back-to-back launches; a launch past its deadline; load parameters.
 *
 * The launch tests run on the controller as loaded, and again after
 * reloading it with one unit per CPU of two and with polling off.
 * $VCORE_SUITE names the build tree holding the modules.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/vaal_launch.h"
#include "kselftest_harness.h"

#define CPU_KO		"kernel/vaal_cpu/vaal_cpu.ko"
#define WAIT_NS		(20 * 1000000000ULL)
#define MAX_BUFS	8

static const __u8 in_out[] = { VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 in_in_out[] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
static const __u8 out_only[] = { VAAL_ARG_OUT };

static int cpu_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/vaal_cpu", &st);
}

/* (Re)load vaal_cpu with @params; 0 or a negative errno. */
static int cpu_reload(const char *params)
{
	const char *dir = getenv("VCORE_SUITE");
	char path[PATH_MAX];
	int fd, ret;

	if (!dir)
		return -ENOENT;
	if (cpu_loaded() && syscall(SYS_delete_module, "vaal_cpu", O_NONBLOCK))
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", dir, CPU_KO);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

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

/* CRC-32C bit by bit, continuing from @seed as the built-in kernel does. */
static __u32 crc32c_ref(__u32 seed, const void *p, size_t len)
{
	const __u8 *b = p;
	__u32 crc = ~seed;
	int k;

	while (len--) {
		crc ^= *b++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return ~crc;
}

static int all_bytes(const void *p, size_t len, __u8 byte)
{
	const __u8 *b = p;

	while (len--)
		if (*b++ != byte)
			return 0;
	return 1;
}

/* A context with its rings and buffers. */
struct cpu_ctx {
	int fd;
	struct vaal_ring r;
	struct vaal_buffer buf[MAX_BUFS];
	int nr_bufs;
	__u64 user_data;
};

FIXTURE(cpu) {
	struct cpu_ctx c;
	int reloaded;
};

FIXTURE_VARIANT(cpu) {
	const char *params;	/* NULL: the controller as loaded */
	long cpus;		/* online CPUs the variant needs */
};

FIXTURE_VARIANT_ADD(cpu, as_loaded) {
	.params = NULL,
	.cpus = 1,
};

FIXTURE_VARIANT_ADD(cpu, two_units) {
	.params = "cpus=0-1",
	.cpus = 2,
};

FIXTURE_VARIANT_ADD(cpu, no_polling) {
	.params = "cpus=0 poll_us=0",
	.cpus = 1,
};

FIXTURE_SETUP(cpu)
{
	self->c.fd = -1;
	if (variant->params) {
		if (sysconf(_SC_NPROCESSORS_ONLN) < variant->cpus)
			SKIP(return, "needs %ld online CPUs", variant->cpus);
		if (!getenv("VCORE_SUITE"))
			SKIP(return, "VCORE_SUITE not set");
		ASSERT_EQ(0, cpu_reload(variant->params));
		self->reloaded = 1;
	}
	if (!cpu_loaded())
		SKIP(return, "vaal_cpu is not loaded");
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, vaal_ring_init(self->c.fd, 64, 0, &self->c.r));
}

FIXTURE_TEARDOWN(cpu)
{
	int i;

	if (self->c.fd >= 0) {
		for (i = 0; i < self->c.nr_bufs; i++)
			vaal_buf_destroy(self->c.fd, &self->c.buf[i]);
		vaal_ring_exit(&self->c.r);
		close(self->c.fd);
	}
	if (self->reloaded)
		EXPECT_EQ(0, cpu_reload(""));
}

/* A new zeroed buffer of @len bytes, mapped. */
static struct vaal_buffer *new_buf(struct cpu_ctx *c, size_t len)
{
	struct vaal_buffer *b = &c->buf[c->nr_bufs];

	if (c->nr_bufs == MAX_BUFS)
		return NULL;
	if (vaal_buf_create(c->fd, len, b) || vaal_buf_map(c->fd, b))
		return NULL;
	c->nr_bufs++;
	return b;
}

static __u32 reg(int fd, const char *name, const __u8 *modes,
		 unsigned int nr_args, unsigned int scalar_bytes)
{
	__u32 id = 0;

	if (vaal_kernel_register(fd, "cpu", name, modes, nr_args, scalar_bytes,
				 NULL, 0, &id))
		return 0;
	return id;
}

#define arg(b, len, offset)	vaal_test_arg(b, len, offset)

static int reap(struct vaal_ring *r, struct vaal_cqe *out)
{
	return vaal_test_reap(r, WAIT_NS, out);
}

/* One launch, waited for: its res, or INT_MIN. */
static int launch(struct cpu_ctx *c, __u32 id,
		  const struct vaal_sqe_arg *args, const __u8 *modes,
		  unsigned int nr_args, const void *scalars,
		  unsigned int scalar_bytes)
{
	return vaal_test_launch(&c->r, &c->user_data, id, args, modes, nr_args,
				scalars, scalar_bytes, WAIT_NS);
}

TEST_F(cpu, memcpy)
{
	const size_t len = 3 * 4096 + 123;
	struct vaal_buffer *src = new_buf(&self->c, len + 100);
	struct vaal_buffer *dst = new_buf(&self->c, len + 200);
	struct vaal_sqe_arg a[2];
	__u32 id = reg(self->c.fd, "memcpy", in_out, 2, 0);

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	ASSERT_NE(0, id);
	fill_random(src->map, src->length);
	a[0] = arg(src, len, 100);
	a[1] = arg(dst, len, 200);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, NULL, 0));
	EXPECT_EQ(0, memcmp((char *)dst->map + 200, (char *)src->map + 100, len));
	EXPECT_TRUE(all_bytes(dst->map, 200, 0));
	EXPECT_TRUE(all_bytes((char *)dst->map + 200 + len,
			      dst->length - 200 - len, 0));
}

TEST_F(cpu, memset)
{
	struct vaal_buffer *b = new_buf(&self->c, 3 * 4096);
	__u32 id = reg(self->c.fd, "memset", out_only, 1, 4);
	__le32 byte = htole32(0xa5);
	struct vaal_sqe_arg a;

	ASSERT_NE(NULL, b);
	ASSERT_NE(0, id);
	a = arg(b, 10000, 7);
	ASSERT_EQ(0, launch(&self->c, id, &a, out_only, 1, &byte, 4));
	EXPECT_TRUE(all_bytes(b->map, 7, 0));
	EXPECT_TRUE(all_bytes((char *)b->map + 7, 10000, 0xa5));
	EXPECT_TRUE(all_bytes((char *)b->map + 10007, b->length - 10007, 0));
	/* Not a byte. */
	byte = htole32(0x100);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, &a, out_only, 1, &byte, 4));
	EXPECT_TRUE(all_bytes((char *)b->map + 7, 10000, 0xa5));
}

TEST_F(cpu, xor)
{
	const size_t len = 5000;
	struct vaal_buffer *x = new_buf(&self->c, len);
	struct vaal_buffer *y = new_buf(&self->c, len);
	struct vaal_buffer *z = new_buf(&self->c, len);
	__u32 id = reg(self->c.fd, "xor", in_in_out, 3, 0);
	struct vaal_sqe_arg a[3];
	__u8 *p, *q, *s;
	size_t i;

	ASSERT_NE(NULL, z);
	ASSERT_NE(0, id);
	fill_random(x->map, len);
	fill_random(y->map, len);
	a[0] = arg(x, len, 0);
	a[1] = arg(y, len, 0);
	a[2] = arg(z, len, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_in_out, 3, NULL, 0));
	p = x->map;
	q = y->map;
	s = z->map;
	for (i = 0; i < len; i++)
		ASSERT_EQ(p[i] ^ q[i], s[i]) TH_LOG("byte %zu", i);
}

TEST_F(cpu, crc32c)
{
	const size_t len = 100000;
	struct vaal_buffer *data = new_buf(&self->c, len);
	struct vaal_buffer *out = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "crc32c", in_out, 2, 4);
	__le32 seed = 0, *crc;
	struct vaal_sqe_arg a[2];

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	crc = out->map;
	/* The check value of the standard. */
	memcpy(data->map, "123456789", 9);
	a[0] = arg(data, 9, 0);
	a[1] = arg(out, 4, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, &seed, 4));
	EXPECT_EQ(0xe3069283U, le32toh(*crc));

	fill_random(data->map, len);
	a[0] = arg(data, len, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, &seed, 4));
	EXPECT_EQ(crc32c_ref(0, data->map, len), le32toh(*crc));
	/* A seed continues a CRC: the whole from its two halves. */
	a[0] = arg(data, len / 2, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, &seed, 4));
	seed = *crc;
	a[0] = arg(data, len - len / 2, len / 2);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, &seed, 4));
	EXPECT_EQ(crc32c_ref(0, data->map, len), le32toh(*crc));
	/* No room for the CRC. */
	a[1] = arg(out, 3, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, &seed, 4));
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

TEST_F(cpu, matmul_i32)
{
	const __u32 m = 19, n = 23, k = 37;
	struct vaal_buffer *A = new_buf(&self->c, m * k * 4);
	struct vaal_buffer *B = new_buf(&self->c, k * n * 4);
	struct vaal_buffer *C = new_buf(&self->c, m * n * 4);
	__u32 id = reg(self->c.fd, "matmul_i32", in_in_out, 3, 12);
	__le32 dims[3] = { htole32(m), htole32(n), htole32(k) };
	__s32 *want = calloc(m * n, 4);
	struct vaal_sqe_arg a[3];
	__u32 i;

	ASSERT_NE(NULL, C);
	ASSERT_NE(NULL, want);
	ASSERT_NE(0, id);
	/* Large values: the products wrap as int32. */
	fill_random(A->map, m * k * 4);
	fill_random(B->map, k * n * 4);
	matmul_ref(A->map, B->map, want, m, n, k);
	a[0] = arg(A, m * k * 4, 0);
	a[1] = arg(B, k * n * 4, 0);
	a[2] = arg(C, m * n * 4, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_in_out, 3, dims, 12));
	for (i = 0; i < m * n; i++)
		ASSERT_EQ(want[i], ((__s32 *)C->map)[i]) TH_LOG("C[%u]", i);
	/* C one element short. */
	a[2] = arg(C, m * n * 4 - 4, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_in_out, 3, dims, 12));
	/* A zero dimension. */
	a[2] = arg(C, m * n * 4, 0);
	dims[1] = 0;
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_in_out, 3, dims, 12));
	free(want);
}

TEST_F(cpu, sum_i32)
{
	const size_t nr = 50000;
	struct vaal_buffer *data = new_buf(&self->c, nr * 4);
	struct vaal_buffer *out = new_buf(&self->c, 8);
	__u32 id = reg(self->c.fd, "sum_i32", in_out, 2, 0);
	__s32 *x;
	__s64 want = 0;
	struct vaal_sqe_arg a[2];
	size_t i;

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, id);
	x = data->map;
	for (i = 0; i < nr; i++) {
		/* Beyond 32 bits: half of them near the extremes. */
		x[i] = i & 1 ? (__s32)rnd() : (i & 2 ? INT_MAX : INT_MIN + 1);
		want += x[i];
	}
	a[0] = arg(data, nr * 4, 0);
	a[1] = arg(out, 8, 0);
	ASSERT_EQ(0, launch(&self->c, id, a, in_out, 2, NULL, 0));
	EXPECT_EQ(want, (__s64)le64toh(*(__le64 *)out->map));
	/* Not whole int32s; no room for the sum. */
	a[0] = arg(data, nr * 4 - 1, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, NULL, 0));
	a[0] = arg(data, nr * 4, 0);
	a[1] = arg(out, 7, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, NULL, 0));
}

/* A kernel of class "cpu" that is no built-in: -ENOENT. */
TEST_F(cpu, unknown_kernel)
{
	struct vaal_buffer *b = new_buf(&self->c, 4096);
	__u32 id = reg(self->c.fd, "no_such_kernel", out_only, 1, 0);
	struct vaal_sqe_arg a;

	ASSERT_NE(NULL, b);
	ASSERT_NE(0, id);
	a = arg(b, 0, 0);
	EXPECT_EQ(-ENOENT, launch(&self->c, id, &a, out_only, 1, NULL, 0));
}

/* Registered with another signature than the built-in's: -EINVAL. */
TEST_F(cpu, signature_mismatch)
{
	static const __u8 in_inout[] = { VAAL_ARG_IN, VAAL_ARG_INOUT };
	struct vaal_buffer *x = new_buf(&self->c, 4096);
	struct vaal_buffer *y = new_buf(&self->c, 4096);
	struct vaal_buffer *z = new_buf(&self->c, 4096);
	struct vaal_sqe_arg a[3];
	__le32 scalar = 0;
	__u32 id;

	ASSERT_NE(NULL, z);
	memset(x->map, 0x11, 4096);
	a[0] = arg(x, 0, 0);
	a[1] = arg(y, 0, 0);
	a[2] = arg(z, 0, 0);
	/* Another access mode. */
	id = reg(self->c.fd, "memcpy", in_inout, 2, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_inout, 2, NULL, 0));
	ASSERT_EQ(0, vaal_kernel_unregister(self->c.fd, id));
	/* Scalars it does not take. */
	id = reg(self->c.fd, "memcpy", in_out, 2, 4);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, &scalar, 4));
	ASSERT_EQ(0, vaal_kernel_unregister(self->c.fd, id));
	/* One buffer too many, one too few. */
	id = reg(self->c.fd, "memcpy", in_in_out, 3, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_in_out, 3, NULL, 0));
	ASSERT_EQ(0, vaal_kernel_unregister(self->c.fd, id));
	id = reg(self->c.fd, "memcpy", in_out, 1, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 1, NULL, 0));
	ASSERT_EQ(0, vaal_kernel_unregister(self->c.fd, id));
	/* Scalars it needs, missing. */
	id = reg(self->c.fd, "memset", out_only, 1, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, &a[1], out_only, 1, NULL, 0));
	/* None of them ran. */
	EXPECT_TRUE(all_bytes(y->map, 4096, 0));
	EXPECT_TRUE(all_bytes(z->map, 4096, 0));
}

/* Buffer sizes the built-in refuses: -EINVAL, nothing written. */
TEST_F(cpu, size_mismatch)
{
	struct vaal_buffer *x = new_buf(&self->c, 8192);
	struct vaal_buffer *y = new_buf(&self->c, 8192);
	__u32 id = reg(self->c.fd, "memcpy", in_out, 2, 0);
	struct vaal_sqe_arg a[2];

	ASSERT_NE(NULL, y);
	ASSERT_NE(0, id);
	memset(x->map, 0x22, 8192);
	a[0] = arg(x, 4096, 0);
	a[1] = arg(y, 4097, 0);
	EXPECT_EQ(-EINVAL, launch(&self->c, id, a, in_out, 2, NULL, 0));
	EXPECT_TRUE(all_bytes(y->map, 8192, 0));
	a[1] = arg(y, 4096, 4096);
	EXPECT_EQ(0, launch(&self->c, id, a, in_out, 2, NULL, 0));
	EXPECT_TRUE(all_bytes((char *)y->map + 4096, 4096, 0x22));
}

/* memcpy A->B, memcpy B->C, crc32c C: one submission, ordered by hazards. */
TEST_F(cpu, chain)
{
	const size_t len = 64 * 1024;
	struct vaal_buffer *A = new_buf(&self->c, len);
	struct vaal_buffer *B = new_buf(&self->c, len);
	struct vaal_buffer *C = new_buf(&self->c, len);
	struct vaal_buffer *out = new_buf(&self->c, 4);
	__u32 cp = reg(self->c.fd, "memcpy", in_out, 2, 0);
	__u32 crc = reg(self->c.fd, "crc32c", in_out, 2, 4);
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	__le32 seed = 0;
	int i, round;

	ASSERT_NE(NULL, out);
	ASSERT_NE(0, cp);
	ASSERT_NE(0, crc);
	for (round = 0; round < 4; round++) {
		fill_random(A->map, len);
		a[0] = arg(A, 0, 0);
		a[1] = arg(B, 0, 0);
		ASSERT_EQ(0, vaal_queue_launch(&self->c.r, cp, a, in_out, 2,
					       NULL, 0, 1));
		a[0] = arg(B, 0, 0);
		a[1] = arg(C, 0, 0);
		ASSERT_EQ(0, vaal_queue_launch(&self->c.r, cp, a, in_out, 2,
					       NULL, 0, 2));
		a[0] = arg(C, 0, 0);
		a[1] = arg(out, 4, 0);
		ASSERT_EQ(0, vaal_queue_launch(&self->c.r, crc, a, in_out, 2,
					       &seed, 4, 3));
		ASSERT_EQ(3, vaal_submit(&self->c.r));
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, reap(&self->c.r, &cqe));
			EXPECT_EQ(0, cqe.res) TH_LOG("launch %llu",
						     (unsigned long long)cqe.user_data);
			EXPECT_NE(0, cqe.controller);
		}
		EXPECT_EQ(crc32c_ref(0, A->map, len),
			  le32toh(*(__le32 *)out->map));
	}
}

/* Many small launches in flight at once, each completed once, right. */
TEST_F(cpu, back_to_back)
{
	const unsigned int nr = 32, rounds = 16;
	struct vaal_buffer *b = new_buf(&self->c, nr * 4096);
	__u32 id = reg(self->c.fd, "memset", out_only, 1, 4);
	unsigned int i, round, submitted, done;
	struct vaal_sqe_arg a;
	struct vaal_cqe cqe;
	__u64 mask;
	__le32 byte;
	int ret;

	ASSERT_NE(NULL, b);
	ASSERT_NE(0, id);
	for (round = 0; round < rounds; round++) {
		for (i = 0; i < nr; i++) {
			a = arg(b, 4096, i * 4096);
			byte = htole32((round * nr + i) & 0xff);
			ASSERT_EQ(0, vaal_queue_launch(&self->c.r, id, &a,
						       out_only, 1, &byte, 4, i));
		}
		/* Submit what the context admits, reap, again. */
		mask = 0;
		for (submitted = 0, done = 0; done < nr; done++) {
			if (submitted < nr) {
				ret = vaal_submit(&self->c.r);
				ASSERT_TRUE(ret >= 0 || ret == -EBUSY) TH_LOG("%d", ret);
				submitted += ret > 0 ? ret : 0;
			}
			ASSERT_EQ(0, reap(&self->c.r, &cqe));
			ASSERT_EQ(0, cqe.res);
			ASSERT_GT(nr, cqe.user_data);
			mask |= 1ULL << cqe.user_data;
		}
		EXPECT_EQ((1ULL << nr) - 1, mask);
		for (i = 0; i < nr; i++)
			ASSERT_TRUE(all_bytes((char *)b->map + i * 4096, 4096,
					      (round * nr + i) & 0xff))
				TH_LOG("round %u launch %u", round, i);
	}
}

/*
 * A launch past its kernel's deadline completes with -ETIMEDOUT; the unit
 * is asked to cancel, finishes the kernel and takes work again.
 */
TEST_F(cpu, deadline)
{
	const __u32 dim = 384, bytes = dim * dim * 4;
	struct vaal_buffer *A = new_buf(&self->c, bytes);
	struct vaal_buffer *C = new_buf(&self->c, bytes);
	struct vaal_buffer *D = new_buf(&self->c, 4096);
	__le32 dims[3] = { htole32(dim), htole32(dim), htole32(dim) };
	__u32 ms = reg(self->c.fd, "memset", out_only, 1, 4);
	const struct vaal_kernel_desc d = {
		.class = "cpu",
		.name = "matmul_i32",
		.nr_args = 3,
		.arg_mode = in_in_out,
		.scalar_bytes = 12,
		.timeout_ns = 1000000,
	};
	struct vaal_sqe_arg a[3];
	__le32 byte = htole32(0x33);
	__u32 id = 0;

	ASSERT_NE(NULL, D);
	ASSERT_NE(0, ms);
	ASSERT_EQ(0, vaal_kernel_register_desc(self->c.fd, &d, &id));
	fill_random(A->map, bytes);
	a[0] = arg(A, bytes, 0);
	a[1] = arg(A, bytes, 0);
	a[2] = arg(C, bytes, 0);
	/* 57 million multiply-adds: well past 1 ms, even natively. */
	EXPECT_EQ(-ETIMEDOUT, launch(&self->c, id, a, in_in_out, 3, dims, 12));
	/* The units are back: a launch on another buffer runs. */
	a[0] = arg(D, 0, 0);
	EXPECT_EQ(0, launch(&self->c, ms, a, out_only, 1, &byte, 4));
	EXPECT_TRUE(all_bytes(D->map, 4096, 0x33));
}

/* Write @val to CPU @cpu's online file; 0 or a negative errno. */
static int set_online(int cpu, const char *val)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* Bad parameters fail the load with -EINVAL. */
TEST(load_parameters)
{
	char bad[64];

	if (!getenv("VCORE_SUITE"))
		SKIP(return, "VCORE_SUITE not set");
	if (!cpu_loaded())
		SKIP(return, "vaal_cpu is not loaded");
	snprintf(bad, sizeof(bad), "cpus=%ld", sysconf(_SC_NPROCESSORS_CONF));
	EXPECT_EQ(-EINVAL, cpu_reload(bad));
	EXPECT_EQ(-EINVAL, cpu_reload("cpus=one"));
	EXPECT_EQ(-EINVAL, cpu_reload("cpus=100000"));
	EXPECT_EQ(-EINVAL, cpu_reload("poll_us=10001"));
	EXPECT_FALSE(cpu_loaded());
	/* An offline CPU, where CPUs can go offline. */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1 && !set_online(1, "0")) {
		EXPECT_EQ(-EINVAL, cpu_reload("cpus=1"));
		EXPECT_EQ(0, set_online(1, "1"));
	}
	EXPECT_EQ(0, cpu_reload("cpus=0 poll_us=10000"));
	EXPECT_EQ(0, cpu_reload(""));
	EXPECT_TRUE(cpu_loaded());
}

TEST_HARNESS_MAIN
