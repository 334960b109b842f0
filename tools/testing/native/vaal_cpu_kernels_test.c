// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_kernels_test.c - the built-in compute kernels of the CPU
 * controllers (kernel/vaal_cpu/vaal_cpu_kernels.c), natively under ASan and
 * UBSan: known answers, naive references on random data, size checks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_cpu_kernels.h"
#include "kselftest_harness.h"

static int run(const char *name, struct vaal_cpu_args *a)
{
	const struct vaal_cpu_kernel *k = vaal_cpu_kernel_find(name);

	return k ? k->run(a) : -ENOENT;
}

static void arg(struct vaal_cpu_args *a, int i, const void *p, uint64_t len)
{
	a->buf[i] = (void *)p;
	a->len[i] = len;
}

static void set_u32(struct vaal_cpu_args *a, unsigned int i, uint32_t v)
{
	memcpy(a->scalars + 4 * i, &v, 4);	/* x86: little endian */
}

TEST(catalogue)
{
	static const char * const names[] = {
		"memcpy", "memset", "xor", "crc32c", "matmul_i32", "sum_i32",
	};
	const struct vaal_cpu_kernel *k;
	unsigned int i, n = 0;

	for (i = 0; i < 6; i++)
		EXPECT_NE(NULL, vaal_cpu_kernel_find(names[i]));
	EXPECT_EQ(NULL, vaal_cpu_kernel_find("memcpyy"));
	while ((k = vaal_cpu_kernel_at(n))) {
		EXPECT_LE(k->nr_args, VAAL_MAX_ARGS);
		EXPECT_LE(k->scalar_bytes, VAAL_MAX_SCALAR_BYTES);
		n++;
	}
	EXPECT_EQ(6, n);
}

TEST(memcpy_memset_xor)
{
	unsigned char x[1000], y[1000], z[1000];
	struct vaal_cpu_args a = { 0 };
	int i;

	for (i = 0; i < 1000; i++) {
		x[i] = rand();
		y[i] = rand();
	}
	arg(&a, 0, x, 1000);
	arg(&a, 1, z, 1000);
	ASSERT_EQ(0, run("memcpy", &a));
	EXPECT_EQ(0, memcmp(x, z, 1000));
	a.len[1] = 999;
	EXPECT_EQ(-EINVAL, run("memcpy", &a));

	memset(&a, 0, sizeof(a));
	arg(&a, 0, z, 1000);
	set_u32(&a, 0, 0x7e);
	ASSERT_EQ(0, run("memset", &a));
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0x7e, z[i]);
	set_u32(&a, 0, 0x100);
	EXPECT_EQ(-EINVAL, run("memset", &a));

	memset(&a, 0, sizeof(a));
	arg(&a, 0, x, 1000);
	arg(&a, 1, y, 1000);
	arg(&a, 2, z, 1000);
	ASSERT_EQ(0, run("xor", &a));
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(x[i] ^ y[i], z[i]);
	a.len[1] = 10;
	EXPECT_EQ(-EINVAL, run("xor", &a));
}

static uint32_t crc32c_ref(uint32_t crc, const unsigned char *p, size_t n)
{
	int j;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (j = 0; j < 8; j++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78 : crc >> 1;
	}
	return ~crc;
}

TEST(crc32c)
{
	static unsigned char big[200000];
	struct vaal_cpu_args a = { 0 };
	uint32_t out;
	size_t i;

	arg(&a, 0, "123456789", 9);
	arg(&a, 1, &out, 4);
	ASSERT_EQ(0, run("crc32c", &a));
	EXPECT_EQ(0xe3069283, out);	/* the standard check value */

	/* Longer than one chunk, and a seed: the same as bit by bit. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = rand();
	arg(&a, 0, big, sizeof(big));
	set_u32(&a, 0, 0x12345678);
	ASSERT_EQ(0, run("crc32c", &a));
	EXPECT_EQ(crc32c_ref(0x12345678, big, sizeof(big)), out);

	a.len[1] = 3;
	EXPECT_EQ(-EINVAL, run("crc32c", &a));
}

TEST(matmul_i32)
{
	enum { M = 17, N = 13, K = 11 };
	int32_t A[M * K], B[K * N], C[M * N], small_c[4];
	static const int32_t small_a[] = { 1, 2, 3, 4, 5, 6 };	/* 2x3 */
	static const int32_t small_b[] = { 7, 8, 9, 10, 11, 12 };	/* 3x2 */
	struct vaal_cpu_args a = { 0 };
	int i, j, l;

	arg(&a, 0, (void *)small_a, sizeof(small_a));
	arg(&a, 1, (void *)small_b, sizeof(small_b));
	arg(&a, 2, small_c, sizeof(small_c));
	set_u32(&a, 0, 2);
	set_u32(&a, 1, 2);
	set_u32(&a, 2, 3);
	ASSERT_EQ(0, run("matmul_i32", &a));
	EXPECT_EQ(58, small_c[0]);
	EXPECT_EQ(64, small_c[1]);
	EXPECT_EQ(139, small_c[2]);
	EXPECT_EQ(154, small_c[3]);

	/* Random values, overflow included: wraps like two's complement. */
	for (i = 0; i < M * K; i++)
		A[i] = rand() - RAND_MAX / 2;
	for (i = 0; i < K * N; i++)
		B[i] = rand() - RAND_MAX / 2;
	arg(&a, 0, A, sizeof(A));
	arg(&a, 1, B, sizeof(B));
	arg(&a, 2, C, sizeof(C));
	set_u32(&a, 0, M);
	set_u32(&a, 1, N);
	set_u32(&a, 2, K);
	ASSERT_EQ(0, run("matmul_i32", &a));
	for (i = 0; i < M; i++)
		for (j = 0; j < N; j++) {
			uint32_t acc = 0;

			for (l = 0; l < K; l++)
				acc += (uint32_t)A[i * K + l] * (uint32_t)B[l * N + j];
			ASSERT_EQ((int32_t)acc, C[i * N + j]);
		}

	a.len[2] = sizeof(C) - 4;	/* C too small */
	EXPECT_EQ(-EINVAL, run("matmul_i32", &a));
	a.len[2] = sizeof(C);
	set_u32(&a, 2, 0);		/* empty inner dimension */
	EXPECT_EQ(-EINVAL, run("matmul_i32", &a));
	set_u32(&a, 0, 0x40000000);	/* sizes that would overflow */
	set_u32(&a, 2, 0x40000000);
	EXPECT_EQ(-EINVAL, run("matmul_i32", &a));
}

TEST(sum_i32)
{
	int32_t x[1001];
	struct vaal_cpu_args a = { 0 };
	int64_t want = 0, out;
	int i;

	for (i = 0; i < 1001; i++) {
		x[i] = i % 2 ? INT32_MIN + i : INT32_MAX - i;
		want += x[i];
	}
	arg(&a, 0, x, sizeof(x));
	arg(&a, 1, &out, sizeof(out));
	ASSERT_EQ(0, run("sum_i32", &a));
	EXPECT_EQ(want, out);
	a.len[0] = 6;
	EXPECT_EQ(-EINVAL, run("sum_i32", &a));
}

TEST_HARNESS_MAIN
