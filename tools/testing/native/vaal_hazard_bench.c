// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_hazard_bench.c - scoreboard cost per job (submit, pop, complete) with
 * WINDOW jobs in flight, each naming three buffer ranges.
 *
 *   vaal_hazard_bench JOBS independent|chain
 *
 * independent: every job has buffers of its own - all run in parallel;
 * chain: each job reads what the previous one wrote (RAW) - one at a time.
 * Prints "jobs ns_per_job".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vaal_hazard.h"

#define WINDOW	32
#define NBUF	(3 * WINDOW)

static struct vaal_hz hz;
static struct vaal_hz_buf bufs[NBUF];
static struct vaal_hz_job jobs[WINDOW];
static struct vaal_hz_access accs[WINDOW][3];

static void fill(struct vaal_hz_job *j, unsigned long n, int chain)
{
	unsigned int slot = n % WINDOW, i;

	j->acc = accs[slot];
	j->nr_acc = 3;
	j->barrier = false;
	for (i = 0; i < 3; i++) {
		j->acc[i].buf = &bufs[chain ? i : 3 * slot + i];
		j->acc[i].start = 0;
		j->acc[i].end = 4096;
		j->acc[i].mode = i == 2 ? VAAL_HZ_WRITE : VAAL_HZ_READ;
	}
	if (chain)	/* read the previous job's output */
		j->acc[0].buf = &bufs[2];
}

int main(int argc, char **argv)
{
	unsigned long total, submitted = 0, done = 0;
	struct timespec t0, t1;
	struct vaal_hz_job *j;
	int chain, i;
	double ns;

	if (argc != 3 || (strcmp(argv[2], "independent") && strcmp(argv[2], "chain"))) {
		fprintf(stderr, "usage: %s JOBS independent|chain\n", argv[0]);
		return 2;
	}
	total = strtoul(argv[1], NULL, 0);
	chain = !strcmp(argv[2], "chain");
	vaal_hz_init(&hz);
	for (i = 0; i < NBUF; i++)
		vaal_hz_buf_init(&bufs[i]);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < total) {
		/* Keep the window full, then finish what is ready. */
		while (submitted < total && submitted - done < WINDOW) {
			j = &jobs[submitted % WINDOW];
			fill(j, submitted++, chain);
			vaal_hz_submit(&hz, j);
		}
		while ((j = vaal_hz_pop_ready(&hz))) {
			vaal_hz_complete(&hz, j, 0);
			done++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", done, ns / done);
	return 0;
}
