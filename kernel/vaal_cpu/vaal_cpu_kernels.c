// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_kernels.c - the built-in compute kernels of the CPU controllers
 *
 *   memcpy       (in src, out dst)              dst = src; equal lengths
 *   memset       (out dst) u32 byte             every byte of dst = byte
 *   xor          (in a, in b, out c)            c = a ^ b; equal lengths
 *   crc32c       (in data, out crc) u32 seed    CRC-32C (Castagnoli) of data,
 *                                               seed 0 for the standard one;
 *                                               crc: 4 bytes, little endian
 *   matmul_i32   (in A, in B, out C) u32 m,n,k  C[m][n] = A[m][k] * B[k][n],
 *                                               int32, wrapping
 *   sum_i32      (in data, out sum)             sum: int64 of int32 data
 *
 * Scalars are little-endian u32 values packed from the first byte.
 */
#include <linux/crc32c.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "vaal_cpu_kernels.h"

/* Work between two reschedule points, in bytes. */
#define VAAL_CPU_CHUNK	(64 * 1024)

static u32 vaal_cpu_scalar(const struct vaal_cpu_args *a, unsigned int i)
{
	__le32 v;

	memcpy(&v, a->scalars + 4 * i, sizeof(v));
	return le32_to_cpu(v);
}

static int vaal_cpu_memcpy(const struct vaal_cpu_args *a)
{
	u64 off, n;

	if (a->len[0] != a->len[1])
		return -EINVAL;
	for (off = 0; off < a->len[1]; off += n) {
		n = min_t(u64, a->len[1] - off, VAAL_CPU_CHUNK);
		memcpy(a->buf[1] + off, a->buf[0] + off, n);
		cond_resched();
	}
	return 0;
}

static int vaal_cpu_memset(const struct vaal_cpu_args *a)
{
	u32 byte = vaal_cpu_scalar(a, 0);
	u64 off, n;

	if (byte > 0xff)
		return -EINVAL;
	for (off = 0; off < a->len[0]; off += n) {
		n = min_t(u64, a->len[0] - off, VAAL_CPU_CHUNK);
		memset(a->buf[0] + off, byte, n);
		cond_resched();
	}
	return 0;
}

static int vaal_cpu_xor(const struct vaal_cpu_args *a)
{
	const u8 *x = a->buf[0], *y = a->buf[1];
	u8 *z = a->buf[2];
	u64 i;

	if (a->len[0] != a->len[2] || a->len[1] != a->len[2])
		return -EINVAL;
	for (i = 0; i < a->len[2]; i++) {
		z[i] = x[i] ^ y[i];
		if (!(i % VAAL_CPU_CHUNK))
			cond_resched();
	}
	return 0;
}

static int vaal_cpu_crc32c(const struct vaal_cpu_args *a)
{
	u32 crc = ~vaal_cpu_scalar(a, 0);
	__le32 out;
	u64 off, n;

	if (a->len[1] < sizeof(out))
		return -EINVAL;
	for (off = 0; off < a->len[0]; off += n) {
		n = min_t(u64, a->len[0] - off, VAAL_CPU_CHUNK);
		crc = crc32c(crc, a->buf[0] + off, n);
		cond_resched();
	}
	out = cpu_to_le32(~crc);
	memcpy(a->buf[1], &out, sizeof(out));
	return 0;
}

static int vaal_cpu_matmul_i32(const struct vaal_cpu_args *a)
{
	u32 m = vaal_cpu_scalar(a, 0), n = vaal_cpu_scalar(a, 1);
	u32 k = vaal_cpu_scalar(a, 2), i, j, l;
	const s32 *A = a->buf[0], *B = a->buf[1];
	s32 *C = a->buf[2];
	u32 acc;

	if (!m || !n || !k ||
	    a->len[0] / 4 / m < k || a->len[1] / 4 / k < n || a->len[2] / 4 / m < n)
		return -EINVAL;
	for (i = 0; i < m; i++) {
		for (j = 0; j < n; j++) {
			/* Unsigned: int32 overflow wraps instead of being UB. */
			acc = 0;
			for (l = 0; l < k; l++)
				acc += (u32)A[(u64)i * k + l] * (u32)B[(u64)l * n + j];
			C[(u64)i * n + j] = (s32)acc;
		}
		cond_resched();
	}
	return 0;
}

static int vaal_cpu_sum_i32(const struct vaal_cpu_args *a)
{
	const s32 *x = a->buf[0];
	s64 sum = 0;
	__le64 out;
	u64 i;

	if (a->len[0] % 4 || a->len[1] < sizeof(out))
		return -EINVAL;
	for (i = 0; i < a->len[0] / 4; i++) {
		sum += x[i];
		if (!(i % VAAL_CPU_CHUNK))
			cond_resched();
	}
	out = cpu_to_le64(sum);
	memcpy(a->buf[1], &out, sizeof(out));
	return 0;
}

#define IN	VAAL_ARG_IN
#define OUT	VAAL_ARG_OUT

static const struct vaal_cpu_kernel vaal_cpu_kernels[] = {
	{ "memcpy", 2, { IN, OUT }, 0, vaal_cpu_memcpy },
	{ "memset", 1, { OUT }, 4, vaal_cpu_memset },
	{ "xor", 3, { IN, IN, OUT }, 0, vaal_cpu_xor },
	{ "crc32c", 2, { IN, OUT }, 4, vaal_cpu_crc32c },
	{ "matmul_i32", 3, { IN, IN, OUT }, 12, vaal_cpu_matmul_i32 },
	{ "sum_i32", 2, { IN, OUT }, 0, vaal_cpu_sum_i32 },
};

/**
 * vaal_cpu_kernel_find - a built-in kernel by name
 * @name: the name
 *
 * Return: the kernel, or NULL when none has that name.
 */
const struct vaal_cpu_kernel *vaal_cpu_kernel_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vaal_cpu_kernels); i++)
		if (!strcmp(vaal_cpu_kernels[i].name, name))
			return &vaal_cpu_kernels[i];
	return NULL;
}

/**
 * vaal_cpu_kernel_at - the built-in kernels, one by one
 * @i: from 0
 *
 * Return: the @i-th kernel, or NULL past the last.
 */
const struct vaal_cpu_kernel *vaal_cpu_kernel_at(unsigned int i)
{
	return i < ARRAY_SIZE(vaal_cpu_kernels) ? &vaal_cpu_kernels[i] : NULL;
}
