// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring_bench.c - cost of moving one item through the NP data plane ring
 * (one enqueue and one dequeue), in bursts, on one thread.
 *
 *   np_ring_bench ITEMS BURST
 *
 * Prints "items ns_per_item".  scripts/bench.sh runs it natively for wall
 * time and under callgrind for instruction counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "np_ring.h"

#define SLOTS	256

int main(int argc, char **argv)
{
	static void *in[SLOTS], *out[SLOTS];
	unsigned long items, done = 0, burst;
	struct timespec t0, t1;
	struct np_ring *ring;
	uintptr_t sum = 0;
	unsigned int i, n;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s ITEMS BURST\n", argv[0]);
		return 2;
	}
	items = strtoul(argv[1], NULL, 0);
	burst = strtoul(argv[2], NULL, 0);
	if (!items || !burst || burst > SLOTS) {
		fprintf(stderr, "%s: ITEMS > 0, 0 < BURST <= %d\n", argv[0], SLOTS);
		return 2;
	}
	ring = aligned_alloc(64, (np_ring_bytes(SLOTS) + 63) & ~(size_t)63);
	if (!ring || np_ring_init(ring, SLOTS))
		return 1;
	for (i = 0; i < SLOTS; i++)
		in[i] = (void *)(uintptr_t)(i + 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < items) {
		n = np_ring_enqueue_burst(ring, in, burst);
		n = np_ring_dequeue_burst(ring, out, n);
		sum += (uintptr_t)out[n - 1];
		done += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", done, ns / done);
	free(ring);
	return sum ? 0 : 1;
}
