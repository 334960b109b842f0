// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda_bench - vaal_cudad's CUDA path against the driver called directly
 *
 *   vcuda_bench KERNELS.ptx [ROUNDS]
 *
 * Prints, as scripts/bench.sh does, "bench NAME VALUE UNIT":
 *
 *   vaal.gpu.cuda_launch_single_vs_direct   an empty kernel with one 4 KiB
 *	buffer, through vcuda_run() as the daemon runs each work (the buffer
 *	registered and let go, the launch between two events, the polled
 *	wait, the device time) over cuLaunchKernel + cuStreamSynchronize on
 *	memory registered once; the median of ROUNDS (1000) of each side,
 *	interleaved (goal: at most 2.0)
 *   vaal.gpu.cuda_saxpy_256m_vs_direct   SAXPY over 256 Mi floats of host
 *	memory used in place, the same way (goal: at most 1.05); 5 rounds
 *
 * and the medians of each side in microseconds ("# ..." lines).  A
 * measurement that fails prints no figure and the program exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcuda.h"

#define SAXPY_N		(256ULL << 20)
#define SAXPY_ROUNDS	5

static struct vcuda_ctx ctx;
static struct vcuda_stream st;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static int load(const char *ptx, size_t len, const char *name,
		struct vcuda_module *m)
{
	char *log = NULL;
	CUresult err = vcuda_module_load(&ctx, ptx, len, name, m, &log);

	if (err)
		fprintf(stderr, "vcuda_bench: %s: %s\n%s", name,
			vcuda_err_name(err), log ? log : "");
	free(log);
	return err ? -1 : 0;
}

/* One direct launch and wait; its wall time in ns, 0 on failure. */
static uint64_t direct(const struct vcuda_module *m, unsigned int grid,
		       unsigned int block, void **params)
{
	uint64_t t = vcuda_now_ns();

	if (vcu.cuLaunchKernel(m->fn, grid, 1, 1, block, 1, 1, 0, st.s,
			       params, NULL) ||
	    vcu.cuStreamSynchronize(st.s))
		return 0;
	return vcuda_now_ns() - t;
}

/* One work through the library; its wall time in ns, 0 on failure. */
static uint64_t library(struct vcuda_work *w)
{
	uint64_t t = vcuda_now_ns();

	w->deadline_ns = UINT64_MAX;
	if (vcuda_run(&ctx, &st, w) || w->staged_bytes)
		return 0;
	return vcuda_now_ns() - t;
}

/* Median ratio library / direct over @rounds interleaved rounds. */
static int measure(const char *name, unsigned int rounds,
		   struct vcuda_work *w, void **params)
{
	uint64_t *lib = calloc(rounds, 8), *dir = calloc(rounds, 8);
	unsigned int i;
	int ret = -1;

	for (i = 0; lib && dir && i < rounds; i++) {
		lib[i] = library(w);
		dir[i] = direct(w->m, w->grid[0], w->block[0], params);
		if (!lib[i] || !dir[i]) {
			fprintf(stderr, "vcuda_bench: %s: round %u failed: %s: %s\n",
				name, i, w->what ? w->what : "direct launch",
				vcuda_err_name(w->err));
			goto out;
		}
	}
	if (!lib || !dir)
		goto out;
	printf("# %s: library %.1f us, direct %.1f us (medians of %u)\n",
	       name, median(lib, rounds) / 1e3, median(dir, rounds) / 1e3,
	       rounds);
	printf("bench %s %.3f ratio\n", name,
	       (double)median(lib, rounds) / (double)median(dir, rounds));
	fflush(stdout);
	ret = 0;
out:
	free(lib);
	free(dir);
	return ret;
}

static int bench_launch(const char *ptx, size_t len, unsigned int rounds)
{
	void *buf = aligned_alloc(4096, 4096);
	struct vcuda_module m;
	CUdeviceptr d;
	void *params[1] = { &d };
	struct vcuda_work w = {
		.m = &m, .grid = { 1, 1, 1 }, .block = { 1, 1, 1 },
		.nr_bufs = 1, .bufs = { { buf, 4096, VCUDA_IN | VCUDA_OUT } },
	};
	void *direct_buf = aligned_alloc(4096, 4096);
	int ret;

	if (!buf || !direct_buf || load(ptx, len, "empty", &m) ||
	    vcu.cuMemHostRegister(direct_buf, 4096,
				  CU_MEMHOSTREGISTER_DEVICEMAP) ||
	    vcu.cuMemHostGetDevicePointer(&d, direct_buf, 0))
		return -1;
	ret = measure("vaal.gpu.cuda_launch_single_vs_direct", rounds, &w,
		      params);
	vcu.cuMemHostUnregister(direct_buf);
	vcuda_module_unload(&m);
	free(buf);
	free(direct_buf);
	return ret;
}

/* Page-aligned floats, zero. */
static float *floats(size_t bytes)
{
	float *p = aligned_alloc(4096, bytes);

	if (p)
		memset(p, 0, bytes);
	return p;
}

static int bench_saxpy(const char *ptx, size_t len)
{
	const size_t bytes = SAXPY_N * sizeof(float);
	float *x = floats(bytes), *y = floats(bytes);
	float *xd = floats(bytes), *yd = floats(bytes);
	struct {
		float a;
		unsigned int n;
	} sc = { 2.0f, SAXPY_N };
	struct vcuda_module m;
	CUdeviceptr dx, dy;
	void *params[4] = { &dx, &dy, &sc.a, &sc.n };
	struct vcuda_work w = {
		.m = &m, .grid = { SAXPY_N / 256, 1, 1 },
		.block = { 256, 1, 1 }, .nr_bufs = 2, .scalars = &sc,
		.bufs = { { x, bytes, VCUDA_IN },
			  { y, bytes, VCUDA_IN | VCUDA_OUT } },
	};
	int ret = -1;

	/* The direct side's memory is registered once, untimed. */
	if (!x || !y || !xd || !yd || load(ptx, len, "saxpy", &m) ||
	    vcu.cuMemHostRegister(xd, bytes, CU_MEMHOSTREGISTER_DEVICEMAP))
		goto out_free;
	if (vcu.cuMemHostRegister(yd, bytes, CU_MEMHOSTREGISTER_DEVICEMAP))
		goto out_unregister_x;
	if (!vcu.cuMemHostGetDevicePointer(&dx, xd, 0) &&
	    !vcu.cuMemHostGetDevicePointer(&dy, yd, 0))
		ret = measure("vaal.gpu.cuda_saxpy_256m_vs_direct",
			      SAXPY_ROUNDS, &w, params);
	vcu.cuMemHostUnregister(yd);
out_unregister_x:
	vcu.cuMemHostUnregister(xd);
out_free:
	free(x);
	free(y);
	free(xd);
	free(yd);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 1000;
	size_t len = 0;
	char why[512], *ptx = NULL;
	FILE *f;

	if (argc < 2 || argc > 3 || !rounds) {
		fprintf(stderr, "usage: %s KERNELS.ptx [ROUNDS]\n", argv[0]);
		return 2;
	}
	if (vcuda_open(NULL, why, sizeof(why))) {
		fprintf(stderr, "vcuda_bench: FAILED: %s\n", why);
		return 1;
	}
	f = fopen(argv[1], "r");
	if (!f || getdelim(&ptx, &len, '\0', f) < 0) {
		fprintf(stderr, "vcuda_bench: FAILED: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	if (vcuda_ctx_create(0, &ctx) || vcuda_stream_create(&ctx, &st)) {
		fprintf(stderr, "vcuda_bench: FAILED: no CUDA context\n");
		return 1;
	}
	printf("# vcuda_bench: goals: launch_single <= 2.0, saxpy_256m <= 1.05\n");
	if (bench_launch(ptx, strlen(ptx), rounds) ||
	    bench_saxpy(ptx, strlen(ptx))) {
		fprintf(stderr, "vcuda_bench: FAILED\n");
		return 1;
	}
	vcuda_stream_destroy(&st);
	vcuda_ctx_destroy(&ctx);
	free(ptx);
	return 0;
}
