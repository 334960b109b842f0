// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda_test_kernels.cu - the kernels of vcuda_test and vcuda_bench,
 * compiled to PTX (nvcc -ptx -arch=sm_90) where nvcc is installed
 */

extern "C" __global__ void empty(float *p)
{
}

extern "C" __global__ void vadd(const float *a, const float *b, float *c,
				unsigned int n)
{
	unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		c[i] = a[i] + b[i];
}

extern "C" __global__ void saxpy(const float *x, float *y, float a,
				 unsigned int n)
{
	unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x +
			       threadIdx.x;

	if (i < n)
		y[i] = a * x[i] + y[i];
}

/* Writes where nothing is mapped: CUDA_ERROR_ILLEGAL_ADDRESS. */
extern "C" __global__ void fault(float *p)
{
	*(volatile float *)(p + (1ULL << 40)) = 1.0f;
}

/* Runs for @cycles clock cycles. */
extern "C" __global__ void spin(float *p, unsigned long long cycles)
{
	long long start = clock64();

	while ((unsigned long long)(clock64() - start) < cycles)
		;
}
