/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcs_fair_cases.h - the hand-written cases of vcore_sched's run queue
 * (vcs_fair.c), run by its KUnit suite (vcs_fair_test.c, beside it) and
 * its native test (tools/testing/native/vcs_fair_test.c): shares by weight
 * (flat, 1:100, nested groups), no credit banked while idle, a real-time
 * reservation under saturation, first come first served and round robin
 * orders, switches of mode.  Written against vcore_case.h's CASE_*(),
 * which the including harness defines; included once, by a test.
 */
#ifndef _VCS_FAIR_CASES_H
#define _VCS_FAIR_CASES_H

#include "vcore_case.h"
#include "vcs_fair.h"

#define VCS_CASE_SE	8
#define VCS_CASE_ITEMS	4

struct vcs_case {
	struct vcs_rq rq;
	struct vcs_entity se[VCS_CASE_SE];
	struct vaal_sched_item item[VCS_CASE_SE][VCS_CASE_ITEMS];
	unsigned int picks[VCS_CASE_SE];
	unsigned int rt_picks[VCS_CASE_SE];
	u64 now;
};

static struct vcs_case *vcs_case_new(struct vcore_case_ctx *ctx,
				     enum vcs_mode mode)
{
	struct vcs_case *t = CASE_ZALLOC(ctx, sizeof(*t));

	CASE_ASSERT_NOT_NULL(ctx, t);
	vcs_rq_init(&t->rq, mode);
	return t;
}

static struct vcs_entity *vcs_case_leaf(struct vcs_case *t, int i,
					struct vcs_entity *parent, u32 weight,
					int items)
{
	struct vcs_entity *se = &t->se[i];
	int j;

	vcs_entity_init(&t->rq, se, 100 + i, parent, weight, false);
	for (j = 0; j < items; j++)
		vcs_enqueue(&t->rq, se, &t->item[i][j]);
	return se;
}

static struct vcs_entity *vcs_case_group(struct vcs_case *t, int i,
					 struct vcs_entity *parent, u32 weight)
{
	vcs_entity_init(&t->rq, &t->se[i], 100 + i, parent, weight, true);
	return &t->se[i];
}

/*
 * @n rounds of a saturated run queue: pick, hold the unit @ns, give the
 * item back to its leaf as new work.  Counts the picks of each leaf.
 */
static void vcs_case_run(struct vcore_case_ctx *ctx, struct vcs_case *t,
			 int n, u64 ns)
{
	struct vaal_sched_item *item;
	struct vcs_entity *leaf;
	bool rt;

	while (n--) {
		item = vcs_pick(&t->rq, t->now, &leaf, &rt);
		CASE_ASSERT_NOT_NULL(ctx, item);
		t->picks[leaf - t->se]++;
		t->rt_picks[leaf - t->se] += rt;
		vcs_charge(&t->rq, leaf, ns, rt);
		vcs_enqueue(&t->rq, leaf, item);
		t->now += ns;
	}
}

/* @got is within 1% (and 2 picks, for rounding) of @n * @num / @den. */
static void vcs_case_share(struct vcore_case_ctx *ctx, unsigned int got,
			   unsigned int n, unsigned int num, unsigned int den)
{
	u64 want = (u64)n * num, slack = want / 100 + 2 * den;

	/* Scaled by @den: no division, no rounding. */
	CASE_EXPECT_GE(ctx, (u64)got * den + slack, want);
	CASE_EXPECT_LE(ctx, (u64)got * den, want + slack);
}

static struct vaal_sched_item *vcs_case_pick(struct vcs_case *t,
					     struct vcs_entity **leaf)
{
	bool rt;

	return vcs_pick(&t->rq, t->now, leaf, &rt);
}

static void vcs_case_weights_100_200_400(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FAIR);

	vcs_case_leaf(t, 0, NULL, 100, 2);
	vcs_case_leaf(t, 1, NULL, 200, 2);
	vcs_case_leaf(t, 2, NULL, 400, 2);
	vcs_case_run(ctx, t, 7000, 1000);
	vcs_case_share(ctx, t->picks[0], 7000, 1, 7);
	vcs_case_share(ctx, t->picks[1], 7000, 2, 7);
	vcs_case_share(ctx, t->picks[2], 7000, 4, 7);
	CASE_EXPECT_EQ(ctx, t->rt_picks[0] + t->rt_picks[1] + t->rt_picks[2],
		       0);
}

static void vcs_case_weights_1_100(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FAIR);

	vcs_case_leaf(t, 0, NULL, 1, 2);
	vcs_case_leaf(t, 1, NULL, 100, 2);
	vcs_case_run(ctx, t, 10100, 1000);
	vcs_case_share(ctx, t->picks[0], 10100, 1, 101);
	vcs_case_share(ctx, t->picks[1], 10100, 100, 101);
}

/* A (100) holds leaves of 100 and 300, B (100) one leaf: 1/8, 3/8, 1/2. */
static void vcs_case_nested_groups(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FAIR);
	struct vcs_entity *a = vcs_case_group(t, 0, NULL, 100);
	struct vcs_entity *b = vcs_case_group(t, 1, NULL, 100);

	vcs_case_leaf(t, 2, a, 100, 2);
	vcs_case_leaf(t, 3, a, 300, 2);
	vcs_case_leaf(t, 4, b, 100, 2);
	vcs_case_run(ctx, t, 8000, 3000);
	vcs_case_share(ctx, t->picks[2], 8000, 1, 8);
	vcs_case_share(ctx, t->picks[3], 8000, 3, 8);
	vcs_case_share(ctx, t->picks[4], 8000, 4, 8);
	CASE_EXPECT_EQ(ctx, t->picks[0] + t->picks[1], 0);
}

/*
 * Leaves that slept while another ran wake at its virtual time - one at the
 * top, one in a group that slept with it - and share with it from then on:
 * they do not catch up.
 */
static void vcs_case_idle_leaf_banks_no_credit(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FAIR);
	struct vcs_entity *g = vcs_case_group(t, 0, NULL, 100);
	struct vcs_entity *busy = vcs_case_leaf(t, 1, NULL, 100, 2);
	struct vcs_entity *top = vcs_case_leaf(t, 2, NULL, 100, 0);
	struct vcs_entity *in_g = vcs_case_leaf(t, 3, g, 100, 0);
	int i;

	vcs_case_run(ctx, t, 1000, 1000);
	CASE_EXPECT_EQ(ctx, t->picks[1], 1000);
	CASE_EXPECT_EQ(ctx, busy->vruntime, 1000000);
	for (i = 0; i < 2; i++) {
		vcs_enqueue(&t->rq, top, &t->item[2][i]);
		vcs_enqueue(&t->rq, in_g, &t->item[3][i]);
	}
	CASE_EXPECT_EQ(ctx, top->vruntime, 1000000);
	CASE_EXPECT_EQ(ctx, g->vruntime, 1000000);
	CASE_EXPECT_EQ(ctx, in_g->vruntime, 0);	/* its group's floor: 0 */
	vcs_case_run(ctx, t, 300, 1000);
	CASE_EXPECT_GE(ctx, t->picks[1], 1099);
	CASE_EXPECT_LE(ctx, t->picks[1], 1101);
	CASE_EXPECT_GE(ctx, t->picks[2], 99);
	CASE_EXPECT_LE(ctx, t->picks[2], 101);
	CASE_EXPECT_GE(ctx, t->picks[3], 99);
	CASE_EXPECT_LE(ctx, t->picks[3], 101);
}

/*
 * A leaf with 2 of every 10 time units, saturated like two best-effort
 * leaves: its two real-time picks open every period; between them it
 * competes as the others do.
 */
static void vcs_case_rt_budget_every_period(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FAIR);
	unsigned int period, before, rt_before;
	struct vcs_entity *r;

	r = vcs_case_leaf(t, 0, NULL, 100, 2);
	vcs_case_leaf(t, 1, NULL, 100, 2);
	vcs_case_leaf(t, 2, NULL, 100, 2);
	vcs_entity_set_rt(&t->rq, r, 2000, 10000, 0);
	for (period = 0; period < 100; period++) {
		rt_before = t->rt_picks[0];
		vcs_case_run(ctx, t, 2, 1000);
		CASE_ASSERT_EQ(ctx, t->rt_picks[0], rt_before + 2);
		before = t->picks[0];
		vcs_case_run(ctx, t, 8, 1000);
		CASE_ASSERT_EQ(ctx, t->rt_picks[0], rt_before + 2);
		CASE_EXPECT_LE(ctx, t->picks[0] - before, 4);
	}
	/* 99 periods ended (at 10000, ..., 990000), each budget used up. */
	CASE_EXPECT_EQ(ctx, r->nr_periods, 99);
	CASE_EXPECT_EQ(ctx, r->nr_met, 99);
	/* Best effort: a third of the rest, roughly. */
	vcs_case_share(ctx, t->picks[0] - t->rt_picks[0], 800, 1, 3);

	/* No reservation: best effort only. */
	vcs_entity_set_rt(&t->rq, r, 0, 0, t->now);
	rt_before = t->rt_picks[0];
	vcs_case_run(ctx, t, 30, 1000);
	CASE_EXPECT_EQ(ctx, t->rt_picks[0], rt_before);
}

static void vcs_case_fcfs_order(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_FCFS);
	struct vcs_entity *a, *b, *c, *leaf;

	a = vcs_case_leaf(t, 0, NULL, 100, 0);
	b = vcs_case_leaf(t, 1, NULL, 10000, 0);
	c = vcs_case_leaf(t, 2, NULL, 1, 0);
	vcs_enqueue(&t->rq, a, &t->item[0][0]);
	vcs_enqueue(&t->rq, b, &t->item[1][0]);
	vcs_enqueue(&t->rq, a, &t->item[0][1]);
	vcs_enqueue(&t->rq, c, &t->item[2][0]);
	vcs_enqueue(&t->rq, b, &t->item[1][1]);
	/* Requeued: older than all, the last one requeued first. */
	vcs_requeue(&t->rq, c, &t->item[2][1]);
	vcs_requeue(&t->rq, b, &t->item[1][2]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[1][2]);
	CASE_EXPECT_PTR_EQ(ctx, leaf, b);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[2][1]);
	CASE_EXPECT_PTR_EQ(ctx, leaf, c);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[0][0]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[1][0]);
	vcs_enqueue(&t->rq, c, &t->item[2][2]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[0][1]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[2][0]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[1][1]);
	CASE_EXPECT_PTR_EQ(ctx, vcs_case_pick(t, &leaf), &t->item[2][2]);
	CASE_EXPECT_NULL(ctx, vcs_case_pick(t, &leaf));
	CASE_EXPECT_TRUE(ctx, vcs_rq_empty(&t->rq));
}

static void vcs_case_rr_order(struct vcore_case_ctx *ctx)
{
	static const int want[] = { 0, 1, 2, 0, 2, 1, 0, 0 };
	struct vcs_case *t = vcs_case_new(ctx, VCS_RR);
	struct vcs_entity *leaf;
	unsigned int i;

	vcs_case_leaf(t, 0, NULL, 100, 3);
	vcs_case_leaf(t, 1, NULL, 10000, 1);
	vcs_case_leaf(t, 2, NULL, 1, 2);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (i == 3) {	/* b, idle since its turn, joins behind */
			vcs_enqueue(&t->rq, &t->se[1], &t->item[1][1]);
			vcs_enqueue(&t->rq, &t->se[0], &t->item[0][3]);
		}
		CASE_ASSERT_NOT_NULL(ctx, vcs_case_pick(t, &leaf));
		CASE_EXPECT_PTR_EQ(ctx, leaf, &t->se[want[i]]);
	}
	CASE_EXPECT_NULL(ctx, vcs_case_pick(t, &leaf));
}

/* A switch of mode queues the runnable leaves again, by ascending id. */
static void vcs_case_mode_switch_requeues_by_id(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_RR);
	struct vcs_entity *leaf;
	int i, j;

	for (i = 0; i < 3; i++)
		vcs_case_leaf(t, i, NULL, 100, 0);
	for (i = 2; i < 5; i++)	/* runnable in the order 2, 0, 1 */
		for (j = 0; j < 3; j++)
			vcs_enqueue(&t->rq, &t->se[i % 3], &t->item[i % 3][j]);
	CASE_ASSERT_NOT_NULL(ctx, vcs_case_pick(t, &leaf));
	CASE_EXPECT_PTR_EQ(ctx, leaf, &t->se[2]);
	vcs_rq_set_mode(&t->rq, VCS_RR);
	for (i = 0; i < 3; i++) {
		CASE_ASSERT_NOT_NULL(ctx, vcs_case_pick(t, &leaf));
		CASE_EXPECT_PTR_EQ(ctx, leaf, &t->se[i]);
	}
	/* Fair, all at virtual time 0: queued longest is the smallest id. */
	vcs_rq_set_mode(&t->rq, VCS_FAIR);
	CASE_ASSERT_NOT_NULL(ctx, vcs_case_pick(t, &leaf));
	CASE_EXPECT_PTR_EQ(ctx, leaf, &t->se[0]);
}

/* A real-time pick does not take a leaf's best-effort turn. */
static void vcs_case_rr_turn_not_taken_by_rt(struct vcore_case_ctx *ctx)
{
	struct vcs_case *t = vcs_case_new(ctx, VCS_RR);
	struct vcs_entity *a, *b, *leaf;
	bool rt;

	a = vcs_case_leaf(t, 0, NULL, 100, 2);
	b = vcs_case_leaf(t, 1, NULL, 100, 2);
	vcs_entity_set_rt(&t->rq, a, 1000, 10000, 0);
	CASE_ASSERT_NOT_NULL(ctx, vcs_pick(&t->rq, 0, &leaf, &rt));
	CASE_EXPECT_PTR_EQ(ctx, leaf, a);
	CASE_EXPECT_TRUE(ctx, rt);
	vcs_charge(&t->rq, a, 1000, true);
	CASE_ASSERT_NOT_NULL(ctx, vcs_pick(&t->rq, 1000, &leaf, &rt));
	CASE_EXPECT_PTR_EQ(ctx, leaf, a);
	CASE_EXPECT_FALSE(ctx, rt);
	CASE_ASSERT_NOT_NULL(ctx, vcs_pick(&t->rq, 1000, &leaf, &rt));
	CASE_EXPECT_PTR_EQ(ctx, leaf, b);
}

#define VCS_CASE(name)	{ #name, vcs_case_##name }

static const struct vcore_case vcs_fair_cases[] = {
	VCS_CASE(weights_100_200_400),
	VCS_CASE(weights_1_100),
	VCS_CASE(nested_groups),
	VCS_CASE(idle_leaf_banks_no_credit),
	VCS_CASE(rt_budget_every_period),
	VCS_CASE(fcfs_order),
	VCS_CASE(rr_order),
	VCS_CASE(mode_switch_requeues_by_id),
	VCS_CASE(rr_turn_not_taken_by_rt),
};

#endif /* _VCS_FAIR_CASES_H */
