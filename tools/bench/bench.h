/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the benchmarks of tools/bench share: the monotonic clock
 * and the median of a sample
 */
#ifndef _VCORE_BENCH_H
#define _VCORE_BENCH_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CLOCK_MONOTONIC, in ns. */
static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* CLOCK_MONOTONIC, in seconds. */
static inline double bench_now_s(void)
{
	return bench_now_ns() * 1e-9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the @n values at @v, left as they are; NAN for none. */
static inline double bench_median(const double *v, int n)
{
	double *s, m;

	if (n <= 0)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), bench_cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

#endif /* _VCORE_BENCH_H */
