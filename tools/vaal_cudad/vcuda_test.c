// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda_test - the tests of vaal_cudad's CUDA library (vcuda.h), on a GPU
 *
 *   vcuda_test KERNELS.ptx
 *
 * KERNELS.ptx is vcuda_test_kernels.cu compiled with nvcc -ptx.  Prints
 * TAP; exits 1 when a test fails or cannot run.  Without a CUDA driver or
 * device it prints exactly one line,
 *
 *   1..0 # SKIP no CUDA device: REASON
 *
 * and exits 0: that is the only way it exits 0 without having run every
 * test (scripts/gpu-check.sh treats it as a failure: it wants a GPU).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcuda.h"

#define N	(1U << 20)	/* elements of the vector tests */

static int n, failed;
static struct vcuda_ctx ca, cb;
static struct vcuda_module mod_vadd, mod_vadd_b, mod_saxpy;
static char *ptx;
static size_t ptx_len;

static void check(int ok, const char *name)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", n, name);
	fflush(stdout);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long sz;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	buf = malloc(sz + 1);
	if (buf && fread(buf, 1, sz, f) != (size_t)sz) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = sz;
	return buf;
}

static float *floats(size_t count, float base)
{
	float *p = aligned_alloc(4096, (count * sizeof(float) + 4095) & ~4095UL);
	size_t i;

	for (i = 0; p && i < count; i++)
		p[i] = base + (float)(i % 1000);
	return p;
}

/* One work of @m on @c, its own stream; vcuda_run()'s result. */
static int run(const struct vcuda_ctx *c, struct vcuda_work *w)
{
	struct vcuda_stream st;
	int ret;

	if (vcuda_stream_create(c, &st))
		return -EIO;
	if (!w->deadline_ns)
		w->deadline_ns = UINT64_MAX;
	ret = vcuda_run(c, &st, w);
	if (ret != -ETIMEDOUT)
		vcuda_stream_destroy(&st);
	return ret;
}

static int vadd_ok(const struct vcuda_ctx *c, const struct vcuda_module *m,
		   unsigned int flags, uint64_t *staged, uint64_t *ns)
{
	float *a = floats(N, 1), *b = floats(N, 2), *out = floats(N, 0);
	unsigned int count = N, i;
	struct vcuda_work w = {
		.m = m, .grid = { N / 256, 1, 1 }, .block = { 256, 1, 1 },
		.nr_bufs = 3, .scalars = &count, .flags = flags,
		.bufs = { { a, N * 4, VCUDA_IN }, { b, N * 4, VCUDA_IN },
			  { out, N * 4, VCUDA_OUT } },
	};
	int ok = a && b && out && !run(c, &w);

	for (i = 0; ok && i < N; i++)
		ok = out[i] == a[i] + b[i];
	if (staged)
		*staged = w.staged_bytes;
	if (ns)
		*ns = w.device_ns;
	free(a);
	free(b);
	free(out);
	return ok;
}

static int saxpy_ok(unsigned int flags, uint64_t *staged)
{
	float *x = floats(N, 1), *y = floats(N, 3), *want = floats(N, 3);
	struct {
		float a;
		unsigned int n;
	} sc = { 2.5f, N };
	struct vcuda_work w = {
		.m = &mod_saxpy, .grid = { N / 128, 1, 1 },
		.block = { 128, 1, 1 }, .nr_bufs = 2, .scalars = &sc,
		.flags = flags,
		.bufs = { { x, N * 4, VCUDA_IN },
			  { y, N * 4, VCUDA_IN | VCUDA_OUT } },
	};
	unsigned int i;
	int ok = x && y && want;

	for (i = 0; ok && i < N; i++)
		want[i] = 2.5f * x[i] + y[i];
	ok = ok && !run(&ca, &w);
	for (i = 0; ok && i < N; i++)
		ok = y[i] == want[i];
	*staged = w.staged_bytes;
	free(x);
	free(y);
	free(want);
	return ok;
}

static int load(const struct vcuda_ctx *c, const char *name,
		struct vcuda_module *m)
{
	char *log = NULL;
	CUresult err = vcuda_module_load(c, ptx, ptx_len, name, m, &log);

	if (err)
		printf("# %s: %s%s", name, vcuda_err_name(err), log ? log : "\n");
	free(log);
	return !err;
}

static void test_modules(void)
{
	static const char bad[] = ".version 8.0\n.target sm_90\n.address_size 64\n.visible .entry broken(\n{\n\tfrobnicate.u32 %r1;\n}\n";
	struct vcuda_module m;
	char *log = NULL;
	CUresult err;
	int ok;

	check(load(&ca, "vadd", &mod_vadd) && load(&ca, "saxpy", &mod_saxpy),
	      "load_good_ptx");
	err = vcuda_module_load(&ca, bad, sizeof(bad) - 1, "broken", &m, &log);
	ok = err && vcuda_errno(err) == -EINVAL && log && strstr(log, "error");
	if (log)
		printf("# %s", log);
	free(log);
	check(ok, "bad_ptx_gives_log");
	err = vcuda_module_load(&ca, ptx, ptx_len, "nosuch", &m, &log);
	check(err && log, "missing_entry_gives_log");
	free(log);
	ok = !vcuda_sig_check(&mod_vadd, "vadd", 3, 4, &log);
	free(log);
	ok = ok && vcuda_sig_check(&mod_vadd, "vadd", 2, 4, &log) == -EINVAL;
	if (log)
		printf("# %s", log);
	free(log);
	ok = ok && vcuda_sig_check(&mod_saxpy, "saxpy", 2, 16, &log) == -EINVAL;
	free(log);
	ok = ok && !vcuda_sig_check(&mod_saxpy, "saxpy", 2, 8, &log);
	free(log);
	check(ok, "param_mismatch_detected");
}

/* A fault in @ca poisons it alone; @ca made again works. */
static void test_fault(void)
{
	struct vcuda_module f, m;
	float *p = floats(1024, 0);
	struct vcuda_work w = {
		.m = &f, .grid = { 1, 1, 1 }, .block = { 1, 1, 1 },
		.nr_bufs = 1, .bufs = { { p, 4096, VCUDA_IN | VCUDA_OUT } },
	};
	int ret, ok;

	ok = load(&ca, "fault", &f);
	ret = ok ? run(&ca, &w) : 0;
	printf("# fault: %d, %s\n", ret, vcuda_err_name(w.err));
	check(ret == -EIO && vcuda_is_sticky(w.err), "fault_is_sticky_eio");
	check(vadd_ok(&cb, &mod_vadd_b, 0, NULL, NULL),
	      "other_context_untouched");
	vcuda_ctx_destroy(&ca);
	ok = !vcuda_ctx_create(0, &ca) && load(&ca, "vadd", &m) &&
	     vadd_ok(&ca, &m, 0, NULL, NULL);
	mod_vadd = m;
	check(ok, "recreated_context_works");
	ok = load(&ca, "saxpy", &mod_saxpy);
	check(ok, "recreated_context_reloads");
	free(p);
}

/* Past its deadline a spinning kernel is given up on. */
static void test_deadline(void)
{
	struct vcuda_ctx c;
	struct vcuda_module s;
	float *p = floats(1024, 0);
	unsigned long long cycles = 4000000000ULL;	/* seconds */
	struct vcuda_work w = {
		.m = &s, .grid = { 1, 1, 1 }, .block = { 1, 1, 1 },
		.nr_bufs = 1, .bufs = { { p, 4096, VCUDA_IN | VCUDA_OUT } },
		.scalars = &cycles,
	};
	uint64_t t0 = vcuda_now_ns();
	int ret = -1;

	w.deadline_ns = t0 + 20000000;	/* 20 ms */
	if (!vcuda_ctx_create(0, &c) && load(&c, "spin", &s))
		ret = run(&c, &w);
	printf("# deadline: %d after %llu ms\n", ret,
	       (unsigned long long)(vcuda_now_ns() - t0) / 1000000);
	check(ret == -ETIMEDOUT && vcuda_now_ns() - t0 < 1000000000ULL,
	      "deadline_gives_up");
	/* Abandoned: its kernel and pinned buffer stay; the test ends. */
}

int main(int argc, char **argv)
{
	uint64_t staged = 0, ns = 0;
	char why[512];

	if (argc != 2) {
		fprintf(stderr, "usage: %s KERNELS.ptx\n", argv[0]);
		return 2;
	}
	if (vcuda_open(NULL, why, sizeof(why))) {
		printf("1..0 # SKIP no CUDA device: %s\n", why);
		return 0;
	}
	ptx = read_file(argv[1], &ptx_len);
	if (!ptx || vcuda_ctx_create(0, &ca) || vcuda_ctx_create(0, &cb)) {
		printf("Bail out! no PTX in %s, or no CUDA context\n", argv[1]);
		return 1;
	}
	printf("TAP version 13\n1..15\n");
	test_modules();
	check(load(&cb, "vadd", &mod_vadd_b),
	      "load_in_two_contexts");
	check(vadd_ok(&ca, &mod_vadd, 0, &staged, &ns) && !staged,
	      "vadd_registered_in_place");
	check(vadd_ok(&ca, &mod_vadd, VCUDA_STAGE, &staged, NULL) &&
	      staged == 3ULL * N * 4, "vadd_staged");
	check(saxpy_ok(0, &staged) && !staged, "saxpy_registered_in_place");
	check(saxpy_ok(VCUDA_STAGE, &staged) && staged == 3ULL * N * 4,
	      "saxpy_staged");
	printf("# vadd: %llu ns on the device\n", (unsigned long long)ns);
	check(ns > 0 && ns != UINT64_MAX, "event_time_positive");
	test_fault();
	test_deadline();
	printf("# vcuda_test: %d passed, %d failed\n", n - failed, failed);
	fflush(stdout);
	/* The deadline test left a kernel running: no teardown. */
	_exit(failed ? 1 : 0);
}
