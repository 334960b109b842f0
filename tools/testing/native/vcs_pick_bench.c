// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_pick_bench.c - cost of one pick and its accounting in the run queue
 * of vcore_sched (kernel/vcore_sched/vcs_fair.c, %VCS_FAIR): vcs_pick(),
 * vcs_charge() of the picked leaf with a fixed time, vcs_enqueue() of the
 * item back - a saturated unit - with LEAVES saturated leaves of various
 * weights, spread over a two-level hierarchy of groups (F groups of F
 * groups, F the smallest with F * F * F >= LEAVES).
 *
 *   vcs_pick_bench PICKS LEAVES
 *
 * Prints "picks ns_per_pick".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vcs_fair.h"

#define CHARGE_NS	1000
#define LEAF_ITEMS	2	/* never idle: a charge repositions, no wake */

int main(int argc, char **argv)
{
	unsigned long picks, leaves, fan, i;
	struct vaal_sched_item *items, *item;
	struct vcs_entity *groups, *se, *leaf;
	struct timespec t0, t1;
	static struct vcs_rq rq;
	u64 now = 0;
	double ns;
	bool rt;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PICKS LEAVES\n", argv[0]);
		return 2;
	}
	picks = strtoul(argv[1], NULL, 0);
	leaves = strtoul(argv[2], NULL, 0);
	for (fan = 1; fan * fan * fan < leaves; fan++)
		;
	groups = calloc(fan + fan * fan, sizeof(*groups));
	se = calloc(leaves, sizeof(*se));
	items = calloc(leaves * LEAF_ITEMS, sizeof(*items));
	if (!leaves || !groups || !se || !items)
		return 1;

	vcs_rq_init(&rq, VCS_FAIR);
	for (i = 0; i < fan; i++)
		vcs_entity_init(&rq, &groups[i], i, NULL, 100 + i * 53 % 300,
				true);
	for (i = 0; i < fan * fan; i++)
		vcs_entity_init(&rq, &groups[fan + i], fan + i,
				&groups[i / fan], 50 + i * 71 % 500, true);
	for (i = 0; i < leaves; i++)
		vcs_entity_init(&rq, &se[i], fan + fan * fan + i,
				&groups[fan + i % (fan * fan)],
				10 + i * 37 % 1000, false);
	for (i = 0; i < leaves * LEAF_ITEMS; i++)
		vcs_enqueue(&rq, &se[i % leaves], &items[i]);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < picks; i++) {
		item = vcs_pick(&rq, now, &leaf, &rt);
		if (!item)
			return 1;
		vcs_charge(&rq, leaf, CHARGE_NS, rt);
		vcs_enqueue(&rq, leaf, item);
		now += CHARGE_NS;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", picks, ns / picks);
	free(items);
	free(se);
	free(groups);
	return 0;
}
