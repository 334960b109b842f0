// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_kernels_bench.c - the CPU controllers' matmul_i32 kernel on
 * 64 x 64 x 64 int32 matrices, ITERS times.
 *
 *   vaal_cpu_kernels_bench ITERS
 *
 * Prints "multiply_adds ns_per_multiply_add".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vaal_cpu_kernels.h"

#define DIM	64

int main(int argc, char **argv)
{
	static s32 a[DIM * DIM], b[DIM * DIM], c[DIM * DIM];
	const struct vaal_cpu_kernel *k = vaal_cpu_kernel_find("matmul_i32");
	struct vaal_cpu_args args = { 0 };
	unsigned long iters, i;
	struct timespec t0, t1;
	u32 dims[3] = { DIM, DIM, DIM };
	double macs, ns;

	if (argc != 2 || !k) {
		fprintf(stderr, "usage: %s ITERS\n", argv[0]);
		return 2;
	}
	iters = strtoul(argv[1], NULL, 0);
	for (i = 0; i < DIM * DIM; i++) {
		a[i] = i;
		b[i] = DIM * DIM - i;
	}
	args.buf[0] = a;
	args.buf[1] = b;
	args.buf[2] = c;
	args.len[0] = args.len[1] = args.len[2] = sizeof(a);
	memcpy(args.scalars, dims, sizeof(dims));	/* x86: little endian */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < iters; i++)
		if (k->run(&args))
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	macs = (double)iters * DIM * DIM * DIM;
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%.0f %.4f\n", macs, ns / macs);
	return c[DIM + 1] == 0x7fffffff;	/* use the result */
}
