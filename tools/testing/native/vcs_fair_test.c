// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_fair_test.c - the run queue of vcore_sched (kernel/vcore_sched/
 * vcs_fair.c), built natively under ASan and UBSan.  The hand-written
 * cases, shared with the KUnit suite, are kernel/vcore_sched/
 * vcs_fair_cases.h's.  Then random operation streams - enqueue,
 * requeue, pick, charge, weights, parents, reservations, modes, time,
 * clearing a leaf, removal - checked at every pick (item, leaf, real-time
 * or not), every virtual time and every reservation's count of periods
 * ended and met against a reference simulation written from the rules of
 * vcs_fair.h alone, with linear scans over arrays.
 *
 * VCS_FAIR_SEEDS=N runs N random streams (default 1000); VCS_FAIR_TRACE=SEED
 * prints that seed's operations as C calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcs_fair.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "vcs_fair_cases.h"

/* --- the hand-written cases, kernel/vcore_sched/vcs_fair_cases.h ------ */

VCORE_NATIVE_CASES(vcs_fair, vcs_fair_cases)

/* --- random streams against the reference ------------------------------ */

#define NR_GROUPS	5
#define NR_LEAVES	8
#define FIRST_LEAF	(1 + NR_GROUPS)
#define NR_ENT		(FIRST_LEAF + NR_LEAVES)
#define NR_ITEMS	40
#define NR_UNITS	3
#define ROOT		0
#define STEPS		4000
#define SEEDS		1000

/* Groups 1 and 2 at the top, 3 in 1, 4 in 3, 5 in 2. */
static const int group_parent[FIRST_LEAF] = { -1, 0, 0, 1, 3, 2 };
static const u32 weights[] = { 1, 3, 50, 100, 100, 150, 300, 1000, 10000 };

/* What the rules of vcs_fair.h say an entity is. */
struct ref_ent {
	u64 id;
	int parent;
	u32 weight;
	u64 vruntime;
	u64 min_vruntime;
	u64 stamp;
	bool queued;
	int items[NR_ITEMS];	/* first to run first */
	int nr_items;
	u64 rr_key;
	bool rt;
	u64 budget;
	u64 period;
	u64 deadline;
	s64 remaining;
	u64 nr_periods;
	u64 nr_met;
};

struct unit {
	int item;
	int leaf;
	bool rt;
};

enum { FREE, QUEUED, RUNNING };

struct sim {
	/* the implementation */
	struct vcs_rq rq;
	struct vcs_entity se[NR_ENT];
	struct vaal_sched_item item[NR_ITEMS];
	/* the reference */
	struct ref_ent e[NR_ENT];
	s64 seq[NR_ITEMS];
	int state[NR_ITEMS];
	enum vcs_mode mode;
	s64 next_seq;
	s64 front_seq;
	u64 next_stamp;
	u64 next_rr;
	u64 next_id;
	u64 now;
	struct unit unit[NR_UNITS];
	int nr_units;
	unsigned int picks;
	unsigned int rng;
	bool trace;
	char why[160];
};

static unsigned int rnd(struct sim *s, unsigned int n)
{
	s->rng = s->rng * 1103515245 + 12345;
	return (s->rng >> 8) % n;
}

static const char *const mode_name[] = { "VCS_FAIR", "VCS_FCFS", "VCS_RR" };

#define TRACE(s, ...)	do { if ((s)->trace) printf(__VA_ARGS__); } while (0)

/* The queued child of group @g first by (vruntime, stamp), or -1. */
static int ref_leftmost(struct sim *s, int g)
{
	int i, best = -1;

	for (i = 1; i < NR_ENT; i++) {
		struct ref_ent *e = &s->e[i];

		if (e->parent != g || !e->queued)
			continue;
		if (best < 0 || e->vruntime < s->e[best].vruntime ||
		    (e->vruntime == s->e[best].vruntime &&
		     e->stamp < s->e[best].stamp))
			best = i;
	}
	return best;
}

/* min_vruntime: raised to the leftmost queued child, never lowered. */
static void ref_update_min(struct sim *s, int g)
{
	int l = ref_leftmost(s, g);

	if (l >= 0 && s->e[l].vruntime > s->e[g].min_vruntime)
		s->e[g].min_vruntime = s->e[l].vruntime;
}

/*
 * @i becomes runnable: placed at max(own, parent's min_vruntime), queued
 * after its equals; its parent, idle until now, becomes runnable with it.
 */
static void ref_fair_wake(struct sim *s, int i)
{
	struct ref_ent *e = &s->e[i];
	int p = e->parent;
	bool parent_idle = p != ROOT && !s->e[p].queued;

	if (e->vruntime < s->e[p].min_vruntime)
		e->vruntime = s->e[p].min_vruntime;
	e->stamp = s->next_stamp++;
	e->queued = true;
	ref_update_min(s, p);
	if (parent_idle)
		ref_fair_wake(s, p);
}

/* @i is no longer runnable; nor is its parent if that was its last child. */
static void ref_fair_sleep(struct sim *s, int i)
{
	int p = s->e[i].parent;

	s->e[i].queued = false;
	ref_update_min(s, p);
	if (p != ROOT && ref_leftmost(s, p) < 0)
		ref_fair_sleep(s, p);
}

static void ref_leaf_wake(struct sim *s, int l)
{
	if (s->mode == VCS_FAIR)
		ref_fair_wake(s, l);
	else if (s->mode == VCS_RR)
		s->e[l].rr_key = s->next_rr++;
}

static void ref_enqueue(struct sim *s, int l, int it, bool front)
{
	struct ref_ent *e = &s->e[l];

	if (front) {
		memmove(&e->items[1], &e->items[0],
			e->nr_items * sizeof(e->items[0]));
		e->items[0] = it;
		s->seq[it] = --s->front_seq;
	} else {
		e->items[e->nr_items] = it;
		s->seq[it] = s->next_seq++;
	}
	s->state[it] = QUEUED;
	if (!e->nr_items++)
		ref_leaf_wake(s, l);
}

/* Returns the item, or -1; the leaf and whether it ran on its budget. */
static int ref_pick(struct sim *s, int *leafp, bool *rtp)
{
	int i, l = -1, it;
	struct ref_ent *e;

	/* A pick at or after a deadline refills, deadline moved past now. */
	for (i = FIRST_LEAF; i < NR_ENT; i++) {
		e = &s->e[i];
		if (!e->rt || !e->nr_items || e->deadline > s->now)
			continue;
		while (e->deadline <= s->now)
			e->deadline += e->period;
		e->nr_periods++;
		e->nr_met += e->remaining <= 0;
		e->remaining = e->budget;
	}
	/* Earliest deadline first among those with budget; then smaller id. */
	for (i = FIRST_LEAF; i < NR_ENT; i++) {
		e = &s->e[i];
		if (!e->rt || !e->nr_items || e->remaining <= 0)
			continue;
		if (l < 0 || e->deadline < s->e[l].deadline ||
		    (e->deadline == s->e[l].deadline && e->id < s->e[l].id))
			l = i;
	}
	*rtp = l >= 0;
	if (l < 0 && s->mode == VCS_FAIR) {
		for (l = ROOT; l >= 0 && l < FIRST_LEAF; )
			l = ref_leftmost(s, l);
	} else if (l < 0) {
		for (i = FIRST_LEAF; i < NR_ENT; i++) {
			e = &s->e[i];
			if (!e->nr_items)
				continue;
			if (l < 0 ||
			    (s->mode == VCS_FCFS ?
			     s->seq[e->items[0]] < s->seq[s->e[l].items[0]] :
			     e->rr_key < s->e[l].rr_key))
				l = i;
		}
	}
	*leafp = l;
	if (l < 0)
		return -1;
	e = &s->e[l];
	it = e->items[0];
	memmove(&e->items[0], &e->items[1],
		--e->nr_items * sizeof(e->items[0]));
	s->state[it] = RUNNING;
	if (!e->nr_items) {
		if (s->mode == VCS_FAIR)
			ref_fair_sleep(s, l);
	} else if (s->mode == VCS_RR && !*rtp) {
		e->rr_key = s->next_rr++;	/* its turn is over */
	}
	return it;
}

static void ref_charge(struct sim *s, int l, u64 ns, bool rt)
{
	struct ref_ent *e;
	int i;

	if (rt) {
		if (s->e[l].rt)
			s->e[l].remaining -= ns;
		return;
	}
	for (i = l; i != ROOT; i = e->parent) {
		e = &s->e[i];
		e->vruntime += ns * VCS_WEIGHT_DFL / e->weight;
		if (s->mode == VCS_FAIR && e->queued)
			e->stamp = s->next_stamp++;
		ref_update_min(s, e->parent);
	}
}

static void ref_set_mode(struct sim *s, enum vcs_mode mode)
{
	int i, j, n = 0, order[NR_LEAVES];

	for (i = 1; i < NR_ENT; i++)
		s->e[i].queued = false;
	s->mode = mode;
	for (i = FIRST_LEAF; i < NR_ENT; i++) {	/* runnable, by ascending id */
		if (!s->e[i].nr_items)
			continue;
		for (j = n++; j > 0 && s->e[order[j - 1]].id > s->e[i].id; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < n; i++)
		ref_leaf_wake(s, order[i]);
}

/* --- the operations, on both ------------------------------------------- */

/* "NULL" or "&se[@i]", for traces. */
static const char *se_arg(char *buf, int i)
{
	if (i == ROOT)
		return "NULL";
	sprintf(buf, "&se[%d]", i);
	return buf;
}

static void ent_init(struct sim *s, int i, int parent, u32 weight)
{
	struct ref_ent *e = &s->e[i];
	char buf[16];

	/* Ids unique, in an order unrelated to the slots. */
	memset(e, 0, sizeof(*e));
	e->id = ++s->next_id * 0x9e3779b97f4a7c15ULL;
	e->parent = parent;
	e->weight = weight;
	vcs_entity_init(&s->rq, &s->se[i], e->id,
			parent == ROOT ? NULL : &s->se[parent], weight,
			i < FIRST_LEAF);
	TRACE(s, "\tvcs_entity_init(&rq, &se[%d], %#llx, %s, %u, %s);\n", i,
	      (unsigned long long)e->id, se_arg(buf, parent), weight,
	      i < FIRST_LEAF ? "true" : "false");
}

static int free_item(struct sim *s)
{
	int i, start = rnd(s, NR_ITEMS);

	for (i = 0; i < NR_ITEMS; i++)
		if (s->state[(start + i) % NR_ITEMS] == FREE)
			return (start + i) % NR_ITEMS;
	return -1;
}

static void op_enqueue(struct sim *s, int l, int it, bool front)
{
	TRACE(s, "\tvcs_%s(&rq, &se[%d], &item[%d]);\n",
	      front ? "requeue" : "enqueue", l, it);
	ref_enqueue(s, l, it, front);
	if (front)
		vcs_requeue(&s->rq, &s->se[l], &s->item[it]);
	else
		vcs_enqueue(&s->rq, &s->se[l], &s->item[it]);
}

static int op_pick(struct sim *s)
{
	struct vcs_entity *leaf = NULL;
	struct vaal_sched_item *item;
	int l, it;
	bool rt = false, ref_rt;

	it = ref_pick(s, &l, &ref_rt);
	item = vcs_pick(&s->rq, s->now, &leaf, &rt);
	TRACE(s, "\tvcs_pick(&rq, %llu, &leaf, &rt);",
	      (unsigned long long)s->now);
	TRACE(s, "\t/* item[%d] se[%d]%s */\n", it, l, ref_rt ? " rt" : "");
	if (it < 0 ? item != NULL : item != &s->item[it]) {
		snprintf(s->why, sizeof(s->why),
			 "pick: item %ld, want %d (leaf se[%d]%s)",
			 item ? (long)(item - s->item) : -1L, it, l,
			 ref_rt ? ", rt" : "");
		return -1;
	}
	if (it < 0)
		return 0;
	if (leaf != &s->se[l] || rt != ref_rt) {
		snprintf(s->why, sizeof(s->why),
			 "pick: leaf se[%ld]%s, want se[%d]%s",
			 (long)(leaf - s->se), rt ? " rt" : "", l,
			 ref_rt ? " rt" : "");
		return -1;
	}
	s->unit[s->nr_units++] = (struct unit){ it, l, rt };
	s->picks++;
	return 0;
}

/* A unit finishes: charged, then done, given new work, or requeued. */
static void op_finish(struct sim *s)
{
	int u = rnd(s, s->nr_units), how = rnd(s, 4);
	struct unit w = s->unit[u];
	u64 ns;

	s->unit[u] = s->unit[--s->nr_units];
	if (how != 2) {
		ns = rnd(s, 8) ? rnd(s, 5000) : rnd(s, 2) ? 0 :
		     rnd(s, 1000000);
		TRACE(s, "\tvcs_charge(&rq, &se[%d], %llu, %s);\n", w.leaf,
		      (unsigned long long)ns, w.rt ? "true" : "false");
		ref_charge(s, w.leaf, ns, w.rt);
		vcs_charge(&s->rq, &s->se[w.leaf], ns, w.rt);
	}
	if (how == 0)
		s->state[w.item] = FREE;
	else
		op_enqueue(s, w.leaf, w.item, how >= 2);
}

static void op_set_rt(struct sim *s, int l)
{
	u64 period = 500 + rnd(s, 20000), budget = 1 + rnd(s, period);

	if (!rnd(s, 3))
		budget = period = 0;
	else if (!rnd(s, 4))
		budget = period;
	TRACE(s, "\tvcs_entity_set_rt(&rq, &se[%d], %llu, %llu, %llu);\n", l,
	      (unsigned long long)budget, (unsigned long long)period,
	      (unsigned long long)s->now);
	s->e[l].rt = budget;
	if (budget) {
		s->e[l].budget = budget;
		s->e[l].period = period;
		s->e[l].remaining = budget;
		s->e[l].deadline = s->now + period;
	}
	vcs_entity_set_rt(&s->rq, &s->se[l], budget, period, s->now);
}

static void op_set_parent(struct sim *s, int l, int g)
{
	char buf[16];

	TRACE(s, "\tvcs_entity_set_parent(&rq, &se[%d], %s);\n", l,
	      se_arg(buf, g));
	if (s->mode == VCS_FAIR && s->e[l].queued) {
		ref_fair_sleep(s, l);
		s->e[l].parent = g;
		ref_fair_wake(s, l);
	} else {
		s->e[l].parent = g;
	}
	vcs_entity_set_parent(&s->rq, &s->se[l], g ? &s->se[g] : NULL);
}

/* All of a leaf's items taken back, in order: the leaf is idle then. */
static int op_clear(struct sim *s, int l)
{
	struct vaal_sched_item *item;
	struct ref_ent *e = &s->e[l];
	LIST_HEAD(items);
	int i = 0;

	TRACE(s, "\tvcs_leaf_clear(&rq, &se[%d], &items);\n", l);
	vcs_leaf_clear(&s->rq, &s->se[l], &items);
	list_for_each_entry(item, &items, node) {
		if (i == e->nr_items || item != &s->item[e->items[i]]) {
			snprintf(s->why, sizeof(s->why),
				 "clear: item %ld at %d, want %d",
				 (long)(item - s->item), i,
				 i < e->nr_items ? e->items[i] : -1);
			return -1;
		}
		s->state[e->items[i++]] = FREE;
	}
	if (i != e->nr_items) {
		snprintf(s->why, sizeof(s->why), "clear: %d items, want %d",
			 i, e->nr_items);
		return -1;
	}
	if (e->nr_items && s->mode == VCS_FAIR)
		ref_fair_sleep(s, l);
	e->nr_items = 0;
	return 0;
}

static bool leaf_busy(struct sim *s, int l)
{
	int u;

	for (u = 0; u < s->nr_units; u++)
		if (s->unit[u].leaf == l)
			return true;
	return s->e[l].nr_items;
}

static int check(struct sim *s)
{
	int i, n = 0;

	for (i = 1; i < NR_ENT; i++) {
		n += s->e[i].nr_items;
		if (s->se[i].vruntime != s->e[i].vruntime) {
			snprintf(s->why, sizeof(s->why),
				 "se[%d].vruntime %llu, want %llu", i,
				 (unsigned long long)s->se[i].vruntime,
				 (unsigned long long)s->e[i].vruntime);
			return -1;
		}
		if (s->se[i].nr_periods != s->e[i].nr_periods ||
		    s->se[i].nr_met != s->e[i].nr_met) {
			snprintf(s->why, sizeof(s->why),
				 "se[%d] periods/met %llu/%llu, want %llu/%llu",
				 i, (unsigned long long)s->se[i].nr_periods,
				 (unsigned long long)s->se[i].nr_met,
				 (unsigned long long)s->e[i].nr_periods,
				 (unsigned long long)s->e[i].nr_met);
			return -1;
		}
	}
	if (vcs_rq_empty(&s->rq) != !n) {
		snprintf(s->why, sizeof(s->why), "empty %d, want %d",
			 vcs_rq_empty(&s->rq), !n);
		return -1;
	}
	return 0;
}

static int step(struct sim *s)
{
	int r = rnd(s, 100), l = FIRST_LEAF + rnd(s, NR_LEAVES), it;
	enum vcs_mode mode;
	u32 w;

	if (r < 30) {
		it = free_item(s);
		if (it >= 0)
			op_enqueue(s, l, it, false);
	} else if (r < 55) {
		if (s->nr_units == NR_UNITS)
			op_finish(s);
		else if (op_pick(s))
			return -1;
	} else if (r < 75) {
		if (s->nr_units)
			op_finish(s);
	} else if (r < 85) {
		s->now += rnd(s, 4) ? rnd(s, 4000) : rnd(s, 40000);
	} else if (r < 89) {
		it = 1 + rnd(s, NR_ENT - 1);
		w = weights[rnd(s, ARRAY_SIZE(weights))];
		TRACE(s, "\tvcs_entity_set_weight(&se[%d], %u);\n", it, w);
		s->e[it].weight = w;
		vcs_entity_set_weight(&s->se[it], w);
	} else if (r < 93) {
		op_set_parent(s, l, rnd(s, FIRST_LEAF));
	} else if (r < 95) {
		op_set_rt(s, l);
	} else if (r < 96) {
		if (op_clear(s, l))
			return -1;
	} else if (r < 98) {
		mode = rnd(s, VCS_NR_MODES);
		TRACE(s, "\tvcs_rq_set_mode(&rq, %s);\n", mode_name[mode]);
		ref_set_mode(s, mode);
		vcs_rq_set_mode(&s->rq, mode);
	} else if (!leaf_busy(s, l)) {
		TRACE(s, "\tvcs_entity_remove(&rq, &se[%d]);\n", l);
		vcs_entity_remove(&s->rq, &s->se[l]);
		ent_init(s, l, rnd(s, FIRST_LEAF),
			 weights[rnd(s, ARRAY_SIZE(weights))]);
	}
	return check(s);
}

/* Returns 0, or the step (from 1) at which the two disagree. */
static int simulate(struct sim *s, unsigned int seed, bool trace)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->rng = seed;
	s->trace = trace;
	s->mode = rnd(s, VCS_NR_MODES);
	TRACE(s, "\tvcs_rq_init(&rq, %s);\n", mode_name[s->mode]);
	vcs_rq_init(&s->rq, s->mode);
	for (i = 1; i < FIRST_LEAF; i++)
		ent_init(s, i, group_parent[i],
			 weights[rnd(s, ARRAY_SIZE(weights))]);
	for (; i < NR_ENT; i++)
		ent_init(s, i, rnd(s, FIRST_LEAF),
			 weights[rnd(s, ARRAY_SIZE(weights))]);
	for (i = 1; i <= STEPS; i++)
		if (step(s))
			return i;
	return 0;
}

TEST(random_ops_match_reference)
{
	static struct sim s;
	const char *env = getenv("VCS_FAIR_TRACE");
	unsigned int seed, seeds = SEEDS, picks = 0;
	int bad;

	if (env) {
		seed = strtoul(env, NULL, 0);
		bad = simulate(&s, seed, true);
		printf("/* seed %u: %s%s */\n", seed,
		       bad ? "disagrees: " : "agrees", bad ? s.why : "");
	}
	if (getenv("VCS_FAIR_SEEDS"))
		seeds = strtoul(getenv("VCS_FAIR_SEEDS"), NULL, 0);
	for (seed = 1; seed <= seeds; seed++) {
		bad = simulate(&s, seed, false);
		ASSERT_EQ(0, bad)
			TH_LOG("seed %u, step %d: %s", seed, bad, s.why);
		picks += s.picks;
	}
	EXPECT_TRUE(picks >= seeds * STEPS / 10) TH_LOG("%u picks", picks);
}

TEST_HARNESS_MAIN
