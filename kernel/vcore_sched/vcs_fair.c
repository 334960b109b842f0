// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_fair.c - the run queue of vcore_sched: real-time leaves earliest
 * deadline first within their budget, then best effort by weighted virtual
 * time in a hierarchy of groups, first come first served, or in turn.
 * See vcs_fair.h for the rules.
 */
#include <linux/math64.h>
#include <linux/minmax.h>

#include "vcs_fair.h"

#define vcs_entry(n)	rb_entry((n), struct vcs_entity, node)
#define vcs_rt_entry(n)	rb_entry((n), struct vcs_entity, rt_node)

/* --- fair: one queue of runnable children per group --------------------- */

static bool vcs_fair_less(struct rb_node *a, const struct rb_node *b)
{
	const struct vcs_entity *x = vcs_entry(a), *y = vcs_entry(b);

	if (x->vruntime != y->vruntime)
		return x->vruntime < y->vruntime;
	return x->stamp < y->stamp;
}

/* A group's floor follows its leftmost child and never goes back. */
static void vcs_group_update_min(struct vcs_entity *g)
{
	struct rb_node *left = rb_first_cached(&g->children);

	if (left)
		g->min_vruntime = max(g->min_vruntime, vcs_entry(left)->vruntime);
}

static void vcs_fair_insert(struct vcs_rq *rq, struct vcs_entity *se)
{
	struct vcs_entity *p = se->parent;

	se->stamp = rq->next_stamp++;
	rb_add_cached(&se->node, &p->children, vcs_fair_less);
	p->nr_queued++;
	se->queued = true;
}

static void vcs_fair_erase(struct vcs_entity *se)
{
	struct vcs_entity *p = se->parent;

	rb_erase_cached(&se->node, &p->children);
	p->nr_queued--;
	se->queued = false;
}

/* @se became runnable: place and queue it, and its ancestors that were idle. */
static void vcs_fair_wake(struct vcs_rq *rq, struct vcs_entity *se)
{
	struct vcs_entity *p;
	bool was_idle;

	for (; se != &rq->root; se = p) {
		p = se->parent;
		was_idle = !p->nr_queued;
		se->vruntime = max(se->vruntime, p->min_vruntime);
		vcs_fair_insert(rq, se);
		vcs_group_update_min(p);
		if (!was_idle)
			break;
	}
}

/* @se has nothing left to run: take it out, and its ancestors left idle. */
static void vcs_fair_sleep(struct vcs_rq *rq, struct vcs_entity *se)
{
	struct vcs_entity *p;

	for (; se != &rq->root; se = p) {
		p = se->parent;
		vcs_fair_erase(se);
		vcs_group_update_min(p);
		if (p->nr_queued)
			break;
	}
}

static struct vcs_entity *vcs_fair_pick_leaf(struct vcs_rq *rq)
{
	struct vcs_entity *se = &rq->root;

	while (se->is_group)
		se = vcs_entry(rb_first_cached(&se->children));
	return se;
}

/* --- first come, first served: leaves by their oldest item -------------- */

static s64 vcs_head_seq(const struct vcs_entity *leaf)
{
	return list_first_entry(&leaf->items, struct vaal_sched_item, node)->seq;
}

static bool vcs_fcfs_less(struct rb_node *a, const struct rb_node *b)
{
	return vcs_head_seq(vcs_entry(a)) < vcs_head_seq(vcs_entry(b));
}

static void vcs_fcfs_insert(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	rb_add_cached(&leaf->node, &rq->fcfs, vcs_fcfs_less);
	leaf->queued = true;
}

static void vcs_fcfs_erase(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	rb_erase_cached(&leaf->node, &rq->fcfs);
	leaf->queued = false;
}

/* --- best effort, whatever the mode -------------------------------------- */

static void vcs_be_wake(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	switch (rq->mode) {
	case VCS_FAIR:
		vcs_fair_wake(rq, leaf);
		break;
	case VCS_FCFS:
		vcs_fcfs_insert(rq, leaf);
		break;
	default:
		list_add_tail(&leaf->rr_node, &rq->rr);
		leaf->queued = true;
		break;
	}
}

static void vcs_be_sleep(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	switch (rq->mode) {
	case VCS_FAIR:
		vcs_fair_sleep(rq, leaf);
		break;
	case VCS_FCFS:
		if (leaf->queued)
			vcs_fcfs_erase(rq, leaf);
		break;
	default:
		list_del_init(&leaf->rr_node);
		leaf->queued = false;
		break;
	}
}

static struct vcs_entity *vcs_be_pick_leaf(struct vcs_rq *rq)
{
	switch (rq->mode) {
	case VCS_FAIR:
		return vcs_fair_pick_leaf(rq);
	case VCS_FCFS:
		return vcs_entry(rb_first_cached(&rq->fcfs));
	default:
		return list_first_entry(&rq->rr, struct vcs_entity, rr_node);
	}
}

/* --- real time: leaves with budget by deadline, the others aside --------- */

static bool vcs_rt_less(struct rb_node *a, const struct rb_node *b)
{
	const struct vcs_entity *x = vcs_rt_entry(a), *y = vcs_rt_entry(b);

	if (x->deadline != y->deadline)
		return x->deadline < y->deadline;
	return x->id < y->id;
}

static struct rb_root_cached *vcs_rt_tree(struct vcs_rq *rq,
					  const struct vcs_entity *leaf)
{
	return leaf->remaining > 0 ? &rq->rt_ready : &rq->rt_throttled;
}

static void vcs_rt_insert(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	rb_add_cached(&leaf->rt_node, vcs_rt_tree(rq, leaf), vcs_rt_less);
	leaf->rt_queued = true;
}

static void vcs_rt_erase(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	rb_erase_cached(&leaf->rt_node, vcs_rt_tree(rq, leaf));
	leaf->rt_queued = false;
}

/* Refill the budget of each leaf whose period ended at or before @now. */
static void vcs_rt_update(struct vcs_rq *rq, u64 now)
{
	struct rb_root_cached *trees[] = { &rq->rt_throttled, &rq->rt_ready };
	struct vcs_entity *leaf;
	struct rb_node *n;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		while ((n = rb_first_cached(trees[i]))) {
			leaf = vcs_rt_entry(n);
			if (leaf->deadline > now)
				break;
			vcs_rt_erase(rq, leaf);
			leaf->nr_periods++;
			leaf->nr_met += leaf->remaining <= 0;
			leaf->deadline += (div64_u64(now - leaf->deadline,
						     leaf->period) + 1) *
					  leaf->period;
			leaf->remaining = leaf->budget;
			vcs_rt_insert(rq, leaf);
		}
	}
}

/* --- leaves --------------------------------------------------------------- */

static void vcs_leaf_wake(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	list_add_tail(&leaf->leaf_node, &rq->leaves);
	vcs_be_wake(rq, leaf);
	if (leaf->rt)
		vcs_rt_insert(rq, leaf);
}

static void vcs_leaf_sleep(struct vcs_rq *rq, struct vcs_entity *leaf)
{
	list_del_init(&leaf->leaf_node);
	vcs_be_sleep(rq, leaf);
	if (leaf->rt_queued)
		vcs_rt_erase(rq, leaf);
}

/**
 * vcs_rq_init - set up an empty run queue
 * @rq: the run queue
 * @mode: how it shares best-effort time
 */
void vcs_rq_init(struct vcs_rq *rq, enum vcs_mode mode)
{
	rq->mode = mode;
	vcs_entity_init(rq, &rq->root, 0, NULL, VCS_WEIGHT_DFL, true);
	rq->root.parent = NULL;
	rq->fcfs = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&rq->rr);
	INIT_LIST_HEAD(&rq->leaves);
	rq->rt_ready = RB_ROOT_CACHED;
	rq->rt_throttled = RB_ROOT_CACHED;
	rq->next_seq = 0;
	rq->front_seq = 0;
	rq->next_stamp = 0;
	rq->nr_items = 0;
}

static bool vcs_id_less(struct rb_node *a, const struct rb_node *b)
{
	return vcs_entry(a)->id < vcs_entry(b)->id;
}

/**
 * vcs_rq_set_mode - share best-effort time another way from now on
 * @rq: the run queue
 * @mode: the new mode
 *
 * The runnable leaves leave the old mode's queues (group floors stay as
 * they are) and enter the new one's in ascending id order, placed as
 * waking leaves are.
 */
void vcs_rq_set_mode(struct vcs_rq *rq, enum vcs_mode mode)
{
	struct rb_root_cached sorted = RB_ROOT_CACHED;
	struct vcs_entity *leaf, *se;
	struct rb_node *n;

	list_for_each_entry(leaf, &rq->leaves, leaf_node) {
		if (rq->mode != VCS_FAIR) {
			vcs_be_sleep(rq, leaf);
			continue;
		}
		for (se = leaf; se != &rq->root && se->queued; se = se->parent)
			vcs_fair_erase(se);
	}
	rq->mode = mode;
	list_for_each_entry(leaf, &rq->leaves, leaf_node)
		rb_add_cached(&leaf->node, &sorted, vcs_id_less);
	while ((n = rb_first_cached(&sorted))) {
		rb_erase_cached(n, &sorted);
		vcs_be_wake(rq, vcs_entry(n));
	}
}

/**
 * vcs_entity_init - set up an idle entity
 * @rq: the run queue it will belong to
 * @se: the entity
 * @id: unique in @rq
 * @parent: its group, NULL for the root
 * @weight: %VCS_WEIGHT_MIN to %VCS_WEIGHT_MAX
 * @is_group: a group (children) rather than a leaf (items)
 */
void vcs_entity_init(struct vcs_rq *rq, struct vcs_entity *se, u64 id,
		     struct vcs_entity *parent, u32 weight, bool is_group)
{
	se->id = id;
	se->weight = weight;
	se->vruntime = 0;
	se->parent = parent ?: &rq->root;
	se->is_group = is_group;
	se->queued = false;
	RB_CLEAR_NODE(&se->node);
	se->stamp = 0;
	se->children = RB_ROOT_CACHED;
	se->min_vruntime = 0;
	se->nr_queued = 0;
	INIT_LIST_HEAD(&se->items);
	INIT_LIST_HEAD(&se->rr_node);
	INIT_LIST_HEAD(&se->leaf_node);
	se->rt = false;
	se->rt_queued = false;
	RB_CLEAR_NODE(&se->rt_node);
	se->budget = 0;
	se->period = 0;
	se->deadline = 0;
	se->remaining = 0;
	se->nr_periods = 0;
	se->nr_met = 0;
}

/**
 * vcs_entity_remove - forget an entity
 * @rq: its run queue
 * @se: a leaf without items or a group without runnable children
 */
void vcs_entity_remove(struct vcs_rq *rq, struct vcs_entity *se)
{
	se->rt = false;
}

/**
 * vcs_entity_set_weight - change an entity's weight
 * @se: the entity
 * @weight: %VCS_WEIGHT_MIN to %VCS_WEIGHT_MAX; it applies to later charges
 */
void vcs_entity_set_weight(struct vcs_entity *se, u32 weight)
{
	se->weight = clamp(weight, VCS_WEIGHT_MIN, VCS_WEIGHT_MAX);
}

/**
 * vcs_entity_set_parent - move an entity to another group
 * @rq: its run queue
 * @se: the entity
 * @parent: the group, NULL for the root
 *
 * A runnable entity leaves its old group's queue (and idle ancestors
 * theirs) and is placed in the new group's as a waking entity.
 */
void vcs_entity_set_parent(struct vcs_rq *rq, struct vcs_entity *se,
			   struct vcs_entity *parent)
{
	bool queued = rq->mode == VCS_FAIR && se->queued;

	if (queued)
		vcs_fair_sleep(rq, se);
	se->parent = parent ?: &rq->root;
	if (queued)
		vcs_fair_wake(rq, se);
}

/**
 * vcs_entity_set_rt - give a leaf a reservation, or take it away
 * @rq: its run queue
 * @se: the leaf
 * @budget: ns per period; 0 for best effort only
 * @period: ns, at least @budget
 * @now: the first period starts now
 */
void vcs_entity_set_rt(struct vcs_rq *rq, struct vcs_entity *se,
		       u64 budget, u64 period, u64 now)
{
	if (se->rt_queued)
		vcs_rt_erase(rq, se);
	se->rt = budget;
	if (!budget)
		return;
	se->budget = budget;
	se->period = period;
	se->remaining = budget;
	se->deadline = now + period;
	if (!list_empty(&se->items))
		vcs_rt_insert(rq, se);
}

/**
 * vcs_enqueue - queue a ready item behind its leaf's others
 * @rq: the run queue
 * @leaf: whose work it is
 * @item: the item
 */
void vcs_enqueue(struct vcs_rq *rq, struct vcs_entity *leaf,
		 struct vaal_sched_item *item)
{
	bool was_idle = list_empty(&leaf->items);

	item->seq = rq->next_seq++;
	list_add_tail(&item->node, &leaf->items);
	rq->nr_items++;
	if (was_idle)
		vcs_leaf_wake(rq, leaf);
}

/**
 * vcs_requeue - queue an item that was picked and not run, to run first
 * @rq: the run queue
 * @leaf: whose work it is
 * @item: the item
 */
void vcs_requeue(struct vcs_rq *rq, struct vcs_entity *leaf,
		 struct vaal_sched_item *item)
{
	bool was_idle = list_empty(&leaf->items);

	if (!was_idle && rq->mode == VCS_FCFS)
		vcs_fcfs_erase(rq, leaf);
	item->seq = --rq->front_seq;
	list_add(&item->node, &leaf->items);
	rq->nr_items++;
	if (was_idle)
		vcs_leaf_wake(rq, leaf);
	else if (rq->mode == VCS_FCFS)
		vcs_fcfs_insert(rq, leaf);
}

/**
 * vcs_leaf_clear - take all of a leaf's items off the queue
 * @rq: the run queue
 * @leaf: the leaf, idle afterwards
 * @items: the items are added here, in order
 */
void vcs_leaf_clear(struct vcs_rq *rq, struct vcs_entity *leaf,
		    struct list_head *items)
{
	struct vaal_sched_item *item;

	if (list_empty(&leaf->items))
		return;
	list_for_each_entry(item, &leaf->items, node)
		rq->nr_items--;
	list_splice_tail_init(&leaf->items, items);
	vcs_leaf_sleep(rq, leaf);
}

/* Take @leaf's first item off the queue. */
static struct vaal_sched_item *vcs_leaf_take(struct vcs_rq *rq,
				      struct vcs_entity *leaf, bool rt)
{
	struct vaal_sched_item *item = list_first_entry(&leaf->items,
						 struct vaal_sched_item, node);

	/* Its key, the first item's seq, changes. */
	if (rq->mode == VCS_FCFS)
		vcs_fcfs_erase(rq, leaf);
	list_del_init(&item->node);
	rq->nr_items--;
	if (list_empty(&leaf->items))
		vcs_leaf_sleep(rq, leaf);
	else if (rq->mode == VCS_FCFS)
		vcs_fcfs_insert(rq, leaf);
	else if (rq->mode == VCS_RR && !rt)
		list_move_tail(&leaf->rr_node, &rq->rr);
	return item;
}

/**
 * vcs_pick - take the item a free unit should run
 * @rq: the run queue
 * @now: the time, in ns
 * @leafp: the item's leaf, on return
 * @rtp: whether it was picked on the leaf's reservation, on return
 *
 * Return: the item, or NULL when nothing is queued.
 */
struct vaal_sched_item *vcs_pick(struct vcs_rq *rq, u64 now,
			  struct vcs_entity **leafp, bool *rtp)
{
	struct vcs_entity *leaf;
	struct rb_node *n;

	if (!rq->nr_items)
		return NULL;
	vcs_rt_update(rq, now);
	n = rb_first_cached(&rq->rt_ready);
	*rtp = n;
	leaf = n ? vcs_rt_entry(n) : vcs_be_pick_leaf(rq);
	*leafp = leaf;
	return vcs_leaf_take(rq, leaf, n);
}

/**
 * vcs_charge - account the time a picked item held its unit
 * @rq: the run queue
 * @leaf: the item's leaf
 * @ns: device time
 * @rt: it was picked on the leaf's reservation: charge the budget only
 *
 * A best-effort charge advances the virtual time of the leaf and each of
 * its ancestors, whatever the mode.
 */
void vcs_charge(struct vcs_rq *rq, struct vcs_entity *leaf, u64 ns, bool rt)
{
	struct vcs_entity *se;

	if (rt) {
		if (!leaf->rt)
			return;
		if (leaf->rt_queued)
			vcs_rt_erase(rq, leaf);
		leaf->remaining -= ns;
		if (!list_empty(&leaf->items))
			vcs_rt_insert(rq, leaf);
		return;
	}
	for (se = leaf; se != &rq->root; se = se->parent) {
		se->vruntime += div64_u64(ns * VCS_WEIGHT_DFL, se->weight);
		if (rq->mode == VCS_FAIR && se->queued) {
			vcs_fair_erase(se);
			vcs_fair_insert(rq, se);
		}
		vcs_group_update_min(se->parent);
	}
}
