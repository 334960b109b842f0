/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - what the fuzzers share: a seeded generator, so that a run is
 * replayed from its printed seed, a clock, and TAP results.
 */
#ifndef _SELFTESTS_FUZZ_H
#define _SELFTESTS_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* xorshift64*: the whole run follows from the seed; never 0. */
static uint64_t rng;

static inline uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* From 0 to @n - 1 (0 for 0). */
static inline unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

/* True @percent times in a hundred. */
static inline int chance(unsigned int percent)
{
	return below(100) < percent;
}

/* CLOCK_MONOTONIC, in seconds. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int tap_n, tap_failed;

/* One TAP result, numbered; failures counted in tap_failed. */
static inline void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	tap_failed += !ok;
	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#endif /* _SELFTESTS_FUZZ_H */
