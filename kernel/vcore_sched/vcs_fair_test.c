// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_fair_test.c - KUnit tests of the run queue of vcore_sched, in the
 * kernel (KASAN, UBSAN and friends watching): the hand-written cases of
 * vcs_fair_cases.h, which the native test runs too (shares by weight, no
 * credit banked while idle, a reservation under saturation, first come
 * first served and round robin orders, switches of mode), and bounded
 * random operation streams checked against invariants:
 * every item picked (or cleared) once, in its leaf's order; fair picks go
 * to the smallest virtual time at each level; first come first served
 * picks the oldest; virtual times never go back.  The random comparison
 * with an exact reference runs natively: tools/testing/native/
 * vcs_fair_test.c.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "vcs_fair.c"
#include "vcore_case_kunit.h"
#include "vcs_fair_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(vcs_fair_shared, vcs_fair_cases)

/* --- random streams against invariants --------------------------------- */

#define R_GROUPS	4
#define R_LEAVES	8
#define R_ENT		(R_GROUPS + R_LEAVES)
#define R_ITEMS		32
#define R_STEPS		3000
#define R_SEEDS		20

/* Groups 0 and 1 at the top, 2 in 0, 3 in 2. */
static const int vcs_test_group_parent[R_GROUPS] = { -1, -1, 0, 2 };

struct vcs_rnd {
	struct vcs_rq rq;
	struct vcs_entity se[R_ENT];
	struct vaal_sched_item item[R_ITEMS];
	/* the test's view */
	int parent[R_ENT];		/* -1: the root */
	int leaf_items[R_ENT][R_ITEMS];	/* first to run first */
	int nr[R_ENT];
	s64 age[R_ITEMS];		/* smaller is older */
	bool free[R_ITEMS];
	bool rt[R_ENT];
	u64 last_vruntime[R_ENT];
	s64 next_age, front_age;
	u32 rng;
};

static u32 vcs_rnd(struct vcs_rnd *r, u32 n)
{
	r->rng = r->rng * 1103515245 + 12345;
	return (r->rng >> 8) % n;
}

/* Whether entity @i has items queued, in itself or below. */
static bool vcs_rnd_runnable(struct vcs_rnd *r, int i)
{
	int j;

	if (i >= R_GROUPS)
		return r->nr[i];
	for (j = 0; j < R_ENT; j++)
		if (r->parent[j] == i && vcs_rnd_runnable(r, j))
			return true;
	return false;
}

static void vcs_rnd_enqueue(struct vcs_rnd *r, int l, int it, bool front)
{
	if (front) {
		memmove(&r->leaf_items[l][1], &r->leaf_items[l][0],
			r->nr[l] * sizeof(int));
		r->leaf_items[l][0] = it;
		r->age[it] = --r->front_age;
		vcs_requeue(&r->rq, &r->se[l], &r->item[it]);
	} else {
		r->leaf_items[l][r->nr[l]] = it;
		r->age[it] = r->next_age++;
		vcs_enqueue(&r->rq, &r->se[l], &r->item[it]);
	}
	r->nr[l]++;
	r->free[it] = false;
}

static void vcs_rnd_pick(struct kunit *test, struct vcs_rnd *r, u64 now)
{
	struct vaal_sched_item *item;
	struct vcs_entity *leaf;
	int i, j, l, it, n = 0;
	bool rt;

	for (i = R_GROUPS; i < R_ENT; i++)
		n += r->nr[i];
	item = vcs_pick(&r->rq, now, &leaf, &rt);
	if (!n) {
		KUNIT_ASSERT_NULL(test, item);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, item);
	l = leaf - r->se;
	KUNIT_ASSERT_TRUE(test, l >= R_GROUPS && l < R_ENT);
	/* The leaf's first item, of a leaf with a reservation if rt. */
	KUNIT_ASSERT_GT(test, r->nr[l], 0);
	it = r->leaf_items[l][0];
	KUNIT_ASSERT_PTR_EQ(test, item, &r->item[it]);
	KUNIT_EXPECT_TRUE(test, !rt || r->rt[l]);
	if (!rt && r->rq.mode == VCS_FCFS) {
		for (i = R_GROUPS; i < R_ENT; i++)
			if (r->nr[i])
				KUNIT_EXPECT_LE(test, r->age[it],
						r->age[r->leaf_items[i][0]]);
	}
	if (!rt && r->rq.mode == VCS_FAIR) {
		/* At each level, no runnable sibling has a smaller vruntime. */
		for (i = l; i >= 0; i = r->parent[i])
			for (j = 0; j < R_ENT; j++)
				if (j != i && r->parent[j] == r->parent[i] &&
				    vcs_rnd_runnable(r, j))
					KUNIT_EXPECT_LE(test,
							r->se[i].vruntime,
							r->se[j].vruntime);
	}
	memmove(&r->leaf_items[l][0], &r->leaf_items[l][1],
		--r->nr[l] * sizeof(int));
	/* Run it, then give it back as done, as new work, or requeued. */
	switch (vcs_rnd(r, 3)) {
	case 0:
		vcs_charge(&r->rq, leaf, vcs_rnd(r, 5000), rt);
		r->free[it] = true;
		break;
	case 1:
		vcs_charge(&r->rq, leaf, vcs_rnd(r, 5000), rt);
		vcs_rnd_enqueue(r, l, it, false);
		break;
	default:
		vcs_rnd_enqueue(r, l, it, true);
		break;
	}
}

/* All of a leaf's items come back, in order. */
static void vcs_rnd_clear(struct kunit *test, struct vcs_rnd *r, int l)
{
	struct vaal_sched_item *item;
	LIST_HEAD(items);
	int i = 0;

	vcs_leaf_clear(&r->rq, &r->se[l], &items);
	list_for_each_entry(item, &items, node) {
		KUNIT_ASSERT_LT(test, i, r->nr[l]);
		KUNIT_EXPECT_PTR_EQ(test, item, &r->item[r->leaf_items[l][i]]);
		r->free[r->leaf_items[l][i++]] = true;
	}
	KUNIT_EXPECT_EQ(test, i, r->nr[l]);
	r->nr[l] = 0;
}

static void vcs_rnd_stream(struct kunit *test, struct vcs_rnd *r, u32 seed)
{
	int i, l, it, step;
	u64 now = 0, period;

	memset(r, 0, sizeof(*r));
	r->rng = seed;
	vcs_rq_init(&r->rq, vcs_rnd(r, VCS_NR_MODES));
	for (i = 0; i < R_ENT; i++) {
		r->parent[i] = i < R_GROUPS ? vcs_test_group_parent[i] :
			       (int)vcs_rnd(r, R_GROUPS + 1) - 1;
		vcs_entity_init(&r->rq, &r->se[i], 1000 - i,
				r->parent[i] < 0 ? NULL : &r->se[r->parent[i]],
				1 + vcs_rnd(r, 1000), i < R_GROUPS);
	}
	for (i = 0; i < R_ITEMS; i++)
		r->free[i] = true;
	for (step = 0; step < R_STEPS; step++) {
		l = R_GROUPS + vcs_rnd(r, R_LEAVES);
		switch (vcs_rnd(r, 40)) {
		case 0 ... 13:
			it = vcs_rnd(r, R_ITEMS);
			if (r->free[it])
				vcs_rnd_enqueue(r, l, it, false);
			break;
		case 14 ... 27:
			vcs_rnd_pick(test, r, now);
			break;
		case 28 ... 31:
			now += vcs_rnd(r, 5000);
			break;
		case 32 ... 33:
			i = vcs_rnd(r, R_ENT);
			vcs_entity_set_weight(&r->se[i], 1 + vcs_rnd(r, 1000));
			break;
		case 34 ... 35:
			r->parent[l] = (int)vcs_rnd(r, R_GROUPS + 1) - 1;
			vcs_entity_set_parent(&r->rq, &r->se[l],
					      r->parent[l] < 0 ? NULL :
					      &r->se[r->parent[l]]);
			break;
		case 36:
			vcs_rnd_clear(test, r, l);
			break;
		case 37 ... 38:
			period = 1000 + vcs_rnd(r, 20000);
			r->rt[l] = vcs_rnd(r, 2);
			vcs_entity_set_rt(&r->rq, &r->se[l],
					  r->rt[l] ? 1 + vcs_rnd(r, period) : 0,
					  period, now);
			break;
		default:
			vcs_rq_set_mode(&r->rq, vcs_rnd(r, VCS_NR_MODES));
			break;
		}
		/* Virtual times never go back. */
		for (i = 0; i < R_ENT; i++) {
			KUNIT_ASSERT_GE(test, r->se[i].vruntime,
					r->last_vruntime[i]);
			r->last_vruntime[i] = r->se[i].vruntime;
		}
		if (test->status == KUNIT_FAILURE)
			return;
	}
	/* Drain: every item still queued comes out, in its leaf's order. */
	while (!vcs_rq_empty(&r->rq))
		vcs_rnd_pick(test, r, now);
	for (i = R_GROUPS; i < R_ENT; i++)
		KUNIT_EXPECT_EQ(test, r->nr[i], 0);
}

static void vcs_test_random(struct kunit *test)
{
	struct vcs_rnd *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	u32 seed;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (seed = 1; seed <= R_SEEDS; seed++) {
		vcs_rnd_stream(test, r, seed);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "seed %u\n", seed);
			return;
		}
		cond_resched();
	}
}

static struct kunit_case vcs_test_cases[] = {
	VCORE_KUNIT_CASE(vcs_fair_shared),
	KUNIT_CASE(vcs_test_random),
	{}
};

static struct kunit_suite vcs_test_suite = {
	.name = "vcs_fair",
	.test_cases = vcs_test_cases,
};
kunit_test_suite(vcs_test_suite);

MODULE_DESCRIPTION("KUnit tests of the vcore_sched run queue");
MODULE_LICENSE("GPL");
