// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_fair_test.c - KUnit tests of the run queue of vcore_sched, in the
 * kernel (KASAN, UBSAN and friends watching): shares by weight (flat,
 * 1:100, nested groups), no credit banked while idle, a real-time
 * reservation under saturation, first come first served and round robin
 * orders, switches of mode, and bounded random operation streams checked against invariants:
 * every item picked (or cleared) once, in its leaf's order; fair picks go
 * to the smallest virtual time at each level; first come first served
 * picks the oldest; virtual times never go back.  The random comparison
 * with an exact reference runs natively: tools/testing/native/
 * vcs_fair_test.c.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "vcs_fair.c"

#define NR_SE		8
#define SE_ITEMS	4

struct vcs_test {
	struct vcs_rq rq;
	struct vcs_entity se[NR_SE];
	struct vaal_sched_item item[NR_SE][SE_ITEMS];
	unsigned int picks[NR_SE];
	unsigned int rt_picks[NR_SE];
	u64 now;
};

static struct vcs_test *vcs_test_new(struct kunit *test, enum vcs_mode mode)
{
	struct vcs_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	vcs_rq_init(&t->rq, mode);
	return t;
}

static struct vcs_entity *vcs_test_leaf(struct vcs_test *t, int i,
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

static struct vcs_entity *vcs_test_group(struct vcs_test *t, int i,
					 struct vcs_entity *parent, u32 weight)
{
	vcs_entity_init(&t->rq, &t->se[i], 100 + i, parent, weight, true);
	return &t->se[i];
}

/*
 * @n rounds of a saturated run queue: pick, hold the unit @ns, give the
 * item back to its leaf as new work.  Counts the picks of each leaf.
 */
static void vcs_test_run(struct kunit *test, struct vcs_test *t, int n,
			 u64 ns)
{
	struct vaal_sched_item *item;
	struct vcs_entity *leaf;
	bool rt;

	while (n--) {
		item = vcs_pick(&t->rq, t->now, &leaf, &rt);
		KUNIT_ASSERT_NOT_NULL(test, item);
		t->picks[leaf - t->se]++;
		t->rt_picks[leaf - t->se] += rt;
		vcs_charge(&t->rq, leaf, ns, rt);
		vcs_enqueue(&t->rq, leaf, item);
		t->now += ns;
	}
}

/* @got is within 1% (and 2 picks) of @n * @num / @den. */
static void vcs_test_share(struct kunit *test, unsigned int got,
			   unsigned int n, unsigned int num, unsigned int den)
{
	unsigned int want = n * num / den, slack = want / 100 + 2;

	KUNIT_EXPECT_GE(test, got + slack, want);
	KUNIT_EXPECT_LE(test, got, want + slack);
}

static void vcs_test_weights(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FAIR);

	vcs_test_leaf(t, 0, NULL, 100, 2);
	vcs_test_leaf(t, 1, NULL, 200, 2);
	vcs_test_leaf(t, 2, NULL, 400, 2);
	vcs_test_run(test, t, 7000, 1000);
	vcs_test_share(test, t->picks[0], 7000, 1, 7);
	vcs_test_share(test, t->picks[1], 7000, 2, 7);
	vcs_test_share(test, t->picks[2], 7000, 4, 7);
	KUNIT_EXPECT_EQ(test, t->rt_picks[0] + t->rt_picks[1] + t->rt_picks[2],
			0);
}

static void vcs_test_weights_1_100(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FAIR);

	vcs_test_leaf(t, 0, NULL, 1, 2);
	vcs_test_leaf(t, 1, NULL, 100, 2);
	vcs_test_run(test, t, 10100, 1000);
	vcs_test_share(test, t->picks[0], 10100, 1, 101);
	vcs_test_share(test, t->picks[1], 10100, 100, 101);
}

/* A (100) holds leaves of 100 and 300, B (100) one leaf: 1/8, 3/8, 1/2. */
static void vcs_test_nested(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FAIR);
	struct vcs_entity *a = vcs_test_group(t, 0, NULL, 100);
	struct vcs_entity *b = vcs_test_group(t, 1, NULL, 100);

	vcs_test_leaf(t, 2, a, 100, 2);
	vcs_test_leaf(t, 3, a, 300, 2);
	vcs_test_leaf(t, 4, b, 100, 2);
	vcs_test_run(test, t, 8000, 3000);
	vcs_test_share(test, t->picks[2], 8000, 1, 8);
	vcs_test_share(test, t->picks[3], 8000, 3, 8);
	vcs_test_share(test, t->picks[4], 8000, 4, 8);
}

/*
 * Leaves that slept while another ran wake at its virtual time - one at the
 * top, one in a group that slept with it - and share with it from then on.
 */
static void vcs_test_no_credit(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FAIR);
	struct vcs_entity *g = vcs_test_group(t, 0, NULL, 100);
	struct vcs_entity *busy = vcs_test_leaf(t, 1, NULL, 100, 2);
	struct vcs_entity *top = vcs_test_leaf(t, 2, NULL, 100, 0);
	struct vcs_entity *in_g = vcs_test_leaf(t, 3, g, 100, 0);
	int i;

	vcs_test_run(test, t, 1000, 1000);
	KUNIT_EXPECT_EQ(test, busy->vruntime, 1000000);
	for (i = 0; i < 2; i++) {
		vcs_enqueue(&t->rq, top, &t->item[2][i]);
		vcs_enqueue(&t->rq, in_g, &t->item[3][i]);
	}
	KUNIT_EXPECT_EQ(test, top->vruntime, 1000000);
	KUNIT_EXPECT_EQ(test, g->vruntime, 1000000);
	vcs_test_run(test, t, 300, 1000);
	KUNIT_EXPECT_GE(test, t->picks[2], 99);
	KUNIT_EXPECT_LE(test, t->picks[2], 101);
	KUNIT_EXPECT_GE(test, t->picks[3], 99);
	KUNIT_EXPECT_LE(test, t->picks[3], 101);
}

/* 2 of every 10 time units, against two saturated best-effort leaves. */
static void vcs_test_rt(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FAIR);
	unsigned int period, rt_before;
	struct vcs_entity *r;

	r = vcs_test_leaf(t, 0, NULL, 100, 2);
	vcs_test_leaf(t, 1, NULL, 100, 2);
	vcs_test_leaf(t, 2, NULL, 100, 2);
	vcs_entity_set_rt(&t->rq, r, 2000, 10000, 0);
	for (period = 0; period < 100; period++) {
		rt_before = t->rt_picks[0];
		vcs_test_run(test, t, 2, 1000);
		KUNIT_ASSERT_EQ(test, t->rt_picks[0], rt_before + 2);
		vcs_test_run(test, t, 8, 1000);
		KUNIT_ASSERT_EQ(test, t->rt_picks[0], rt_before + 2);
	}
	/* 99 periods ended (at 10000, ..., 990000), each budget used up. */
	KUNIT_EXPECT_EQ(test, r->nr_periods, 99);
	KUNIT_EXPECT_EQ(test, r->nr_met, 99);
	vcs_test_share(test, t->picks[0] - t->rt_picks[0], 800, 1, 3);
	vcs_entity_set_rt(&t->rq, r, 0, 0, t->now);
	rt_before = t->rt_picks[0];
	vcs_test_run(test, t, 30, 1000);
	KUNIT_EXPECT_EQ(test, t->rt_picks[0], rt_before);
}

static struct vaal_sched_item *vcs_test_pick(struct vcs_test *t,
					     struct vcs_entity **leaf)
{
	bool rt;

	return vcs_pick(&t->rq, t->now, leaf, &rt);
}

static void vcs_test_fcfs(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_FCFS);
	struct vcs_entity *a, *b, *c, *leaf;

	a = vcs_test_leaf(t, 0, NULL, 100, 0);
	b = vcs_test_leaf(t, 1, NULL, 10000, 0);
	c = vcs_test_leaf(t, 2, NULL, 1, 0);
	vcs_enqueue(&t->rq, a, &t->item[0][0]);
	vcs_enqueue(&t->rq, b, &t->item[1][0]);
	vcs_enqueue(&t->rq, a, &t->item[0][1]);
	vcs_enqueue(&t->rq, c, &t->item[2][0]);
	vcs_enqueue(&t->rq, b, &t->item[1][1]);
	/* Requeued: older than all, the last one requeued first. */
	vcs_requeue(&t->rq, c, &t->item[2][1]);
	vcs_requeue(&t->rq, b, &t->item[1][2]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[1][2]);
	KUNIT_EXPECT_PTR_EQ(test, leaf, b);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[2][1]);
	KUNIT_EXPECT_PTR_EQ(test, leaf, c);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[0][0]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[1][0]);
	vcs_enqueue(&t->rq, c, &t->item[2][2]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[0][1]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[2][0]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[1][1]);
	KUNIT_EXPECT_PTR_EQ(test, vcs_test_pick(t, &leaf), &t->item[2][2]);
	KUNIT_EXPECT_NULL(test, vcs_test_pick(t, &leaf));
	KUNIT_EXPECT_TRUE(test, vcs_rq_empty(&t->rq));
}

static void vcs_test_rr(struct kunit *test)
{
	static const int want[] = { 0, 1, 2, 0, 2, 1, 0, 0 };
	struct vcs_test *t = vcs_test_new(test, VCS_RR);
	struct vcs_entity *leaf;
	unsigned int i;

	vcs_test_leaf(t, 0, NULL, 100, 3);
	vcs_test_leaf(t, 1, NULL, 10000, 1);
	vcs_test_leaf(t, 2, NULL, 1, 2);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (i == 3) {	/* b, idle since its turn, joins behind */
			vcs_enqueue(&t->rq, &t->se[1], &t->item[1][1]);
			vcs_enqueue(&t->rq, &t->se[0], &t->item[0][3]);
		}
		KUNIT_ASSERT_NOT_NULL(test, vcs_test_pick(t, &leaf));
		KUNIT_EXPECT_PTR_EQ(test, leaf, &t->se[want[i]]);
	}
	KUNIT_EXPECT_NULL(test, vcs_test_pick(t, &leaf));
}

/* A switch of mode queues the runnable leaves again, by ascending id. */
static void vcs_test_switch(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_RR);
	struct vcs_entity *leaf;
	int i, j;

	for (i = 0; i < 3; i++)
		vcs_test_leaf(t, i, NULL, 100, 0);
	for (i = 2; i < 5; i++)	/* runnable in the order 2, 0, 1 */
		for (j = 0; j < 3; j++)
			vcs_enqueue(&t->rq, &t->se[i % 3], &t->item[i % 3][j]);
	KUNIT_ASSERT_NOT_NULL(test, vcs_test_pick(t, &leaf));
	KUNIT_EXPECT_PTR_EQ(test, leaf, &t->se[2]);
	vcs_rq_set_mode(&t->rq, VCS_RR);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_NOT_NULL(test, vcs_test_pick(t, &leaf));
		KUNIT_EXPECT_PTR_EQ(test, leaf, &t->se[i]);
	}
	/* Fair, all at virtual time 0: queued longest is the smallest id. */
	vcs_rq_set_mode(&t->rq, VCS_FAIR);
	KUNIT_ASSERT_NOT_NULL(test, vcs_test_pick(t, &leaf));
	KUNIT_EXPECT_PTR_EQ(test, leaf, &t->se[0]);
}

/* A real-time pick does not take a leaf's best-effort turn. */
static void vcs_test_rr_rt(struct kunit *test)
{
	struct vcs_test *t = vcs_test_new(test, VCS_RR);
	struct vcs_entity *a, *b, *leaf;
	bool rt;

	a = vcs_test_leaf(t, 0, NULL, 100, 2);
	b = vcs_test_leaf(t, 1, NULL, 100, 2);
	vcs_entity_set_rt(&t->rq, a, 1000, 10000, 0);
	KUNIT_ASSERT_NOT_NULL(test, vcs_pick(&t->rq, 0, &leaf, &rt));
	KUNIT_EXPECT_PTR_EQ(test, leaf, a);
	KUNIT_EXPECT_TRUE(test, rt);
	vcs_charge(&t->rq, a, 1000, true);
	KUNIT_ASSERT_NOT_NULL(test, vcs_pick(&t->rq, 1000, &leaf, &rt));
	KUNIT_EXPECT_PTR_EQ(test, leaf, a);
	KUNIT_EXPECT_FALSE(test, rt);
	KUNIT_ASSERT_NOT_NULL(test, vcs_pick(&t->rq, 1000, &leaf, &rt));
	KUNIT_EXPECT_PTR_EQ(test, leaf, b);
}

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
	KUNIT_CASE(vcs_test_weights),
	KUNIT_CASE(vcs_test_weights_1_100),
	KUNIT_CASE(vcs_test_nested),
	KUNIT_CASE(vcs_test_no_credit),
	KUNIT_CASE(vcs_test_rt),
	KUNIT_CASE(vcs_test_fcfs),
	KUNIT_CASE(vcs_test_rr),
	KUNIT_CASE(vcs_test_switch),
	KUNIT_CASE(vcs_test_rr_rt),
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
