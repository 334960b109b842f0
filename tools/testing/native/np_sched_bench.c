// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched_bench.c - cost of the egress scheduler per frame, with VIFS
 * backlogged flows, half of them rate limited (and never throttled).
 *
 *   np_sched_bench FRAMES VIFS
 *
 * Prints "frames ns_per_frame".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "np_sched.h"

static u32 head_len(struct np_flow *f)
{
	return 1514;	/* always backlogged, full-size frames */
}

int main(int argc, char **argv)
{
	unsigned long frames, vifs, i;
	struct timespec t0, t1;
	struct np_flow *flows;
	struct np_sched s;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FRAMES VIFS\n", argv[0]);
		return 2;
	}
	frames = strtoul(argv[1], NULL, 0);
	vifs = strtoul(argv[2], NULL, 0);
	flows = calloc(vifs, sizeof(*flows));
	if (!flows || !vifs)
		return 1;
	np_sched_init(&s);
	for (i = 0; i < vifs; i++) {
		np_flow_init(&flows[i], 1514);
		if (i % 2)	/* 100 Gbit/s: limited, but never throttled */
			np_tb_init(&flows[i].tb, 12500000000ULL, 1 << 20, 0);
		np_sched_wake(&s, &flows[i]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < frames; i++)
		if (!np_sched_next(&s, i * 100, head_len))
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", frames, ns / frames);
	free(flows);
	return 0;
}
