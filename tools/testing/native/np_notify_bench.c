// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_bench.c - cost of a notification event of the virtual interrupt
 * identifier with VIFS VIFs, all active: in each poll cycle every VIF is
 * marked (new used buffers), then one flush signals them all.
 *
 *   np_notify_bench EVENTS VIFS
 *
 * The VIFs are spread over the whole id space, so that the flush has as
 * many words to visit as they can occupy.  Prints "events ns_per_event".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "np_notify.h"

static bool notify_cb(void *arg, unsigned int vif)
{
	++*(unsigned long *)arg;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long events, vifs, done = 0, signalled = 0;
	unsigned int ids[NP_MAX_VIFS], i;
	struct timespec t0, t1;
	struct np_notify n;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s EVENTS VIFS\n", argv[0]);
		return 2;
	}
	events = strtoul(argv[1], NULL, 0);
	vifs = strtoul(argv[2], NULL, 0);
	if (!events || !vifs || vifs > NP_MAX_VIFS) {
		fprintf(stderr, "%s: EVENTS > 0, 0 < VIFS <= %u\n", argv[0],
			NP_MAX_VIFS);
		return 2;
	}
	for (i = 0; i < vifs; i++)
		ids[i] = i * (NP_MAX_VIFS / vifs);
	np_notify_init(&n);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < events) {
		for (i = 0; i < vifs; i++)
			np_notify_mark(&n, ids[i]);
		done += np_notify_flush(&n, notify_cb, &signalled);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", done, ns / done);
	return signalled == done ? 0 : 1;
}
