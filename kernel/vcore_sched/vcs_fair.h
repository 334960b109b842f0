/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcs_fair.h - the run queue of vcore_sched: which ready piece of work an
 * accelerator unit runs next.
 *
 * A run queue (&struct vcs_rq) orders the ready work of its leaf entities
 * (contexts): items, &struct vaal_sched_item (vaal_work.h), whose @node
 * links them in their leaf's list and whose @seq is the run queue's while
 * they are queued (arrival order).  Two tiers:
 *
 * Real time.  A leaf with a reservation (vcs_entity_set_rt(): @budget ns of
 * device time in every @period ns) is served first, earliest deadline
 * first, while it has budget left in its current period.  Its period
 * starts when the reservation is made; at a pick at or after the deadline
 * (the end of the period) the budget of a leaf that has items is refilled
 * and its deadline moves on by whole periods past the pick's time (an
 * idle leaf's at the first pick after it gets items again).  Time a real-time pick held a unit
 * is charged to the budget only (vcs_charge() with @rt true).  Out of
 * budget, a leaf waits for its next period as far as real time goes and
 * competes as a best-effort leaf meanwhile.
 *
 * Best effort, by the run queue's mode:
 *  - %VCS_FAIR: weighted fair sharing by virtual time in a hierarchy of
 *    groups - CFS's algorithm applied to device time.  Each entity (a leaf
 *    or a group) has a weight; charging a leaf @ns of device time advances
 *    its virtual time and that of each of its ancestor groups by
 *    @ns * %VCS_WEIGHT_DFL / weight (integer division), each at its own
 *    weight.  A pick descends from the root, at each level taking the
 *    queued child with the smallest virtual time (ties: the one queued
 *    longest), and takes the first item of the leaf it reaches.  An entity
 *    that becomes runnable (a leaf that gets an item; a group a child of
 *    which becomes runnable) is placed at max(own, parent's min_vruntime):
 *    it banks no credit while idle.  A group's min_vruntime never goes
 *    back; it follows its leftmost queued child.
 *  - %VCS_FCFS: the item that became ready first (requeued items count as
 *    older than all others), across all leaves.
 *  - %VCS_RR: leaves in turn, one item each, in the order they became
 *    runnable.
 *
 * Exact rules, which the reference simulation in the tests follows:
 *  - Fair tie-break: every (re)insertion of an entity into its parent's
 *    queue - on becoming runnable, on each charge of it or of a
 *    descendant while it is queued, on a change of parent, on a switch to
 *    %VCS_FAIR - orders it after every queued sibling of equal virtual
 *    time.  On a switch of mode every runnable leaf leaves the old mode's
 *    queues, group floors untouched, and the runnable leaves are then
 *    queued in the new mode's in ascending @id order, placed as waking
 *    ones.  min_vruntime of a group starts at 0 and is raised to the
 *    leftmost queued child's virtual time after a child joins or leaves
 *    its queue and after every charge of one of its children (the
 *    repositioning a charge causes is not a leave and a join: the floor
 *    is raised once, after it).
 *  - A best-effort charge advances virtual times whatever the mode; a
 *    real-time charge of a leaf that has no reservation any more is
 *    dropped.
 *  - Round robin moves a leaf to the back on a best-effort pick only.
 *  - Real-time tie-break: equal deadlines go to the smaller @id.
 *  - A leaf's items are picked in order (a requeued item first).
 *
 * Pure logic: no allocation, no locking (the caller serializes), no clock
 * (the caller passes @now in ns, never decreasing), kernel interfaces
 * only, so that it also builds natively in user space.  Cost: O(depth *
 * log n) for fair picks and charges, O(log n) otherwise.
 */
#ifndef _VCS_FAIR_H
#define _VCS_FAIR_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>

#include <vaal_work.h>

#define VCS_WEIGHT_MIN		1
#define VCS_WEIGHT_DFL		100
#define VCS_WEIGHT_MAX		10000

/**
 * enum vcs_mode - how a run queue shares what real time leaves
 * @VCS_FAIR: weighted fair sharing by virtual time, hierarchical
 * @VCS_FCFS: first come, first served (the baseline)
 * @VCS_RR: round robin among leaves (the other baseline)
 * @VCS_NR_MODES: how many there are
 */
enum vcs_mode {
	VCS_FAIR,
	VCS_FCFS,
	VCS_RR,
	VCS_NR_MODES,
};

/**
 * struct vcs_entity - a leaf (a context) or a group (a cgroup) of a run
 *	queue; embedded by the caller, fields run queue private but @id,
 *	@weight (read only: see vcs_entity_set_weight()) and @vruntime (read
 *	only)
 * @id: caller's identifier, unique in the run queue (tie-breaks)
 * @weight: %VCS_WEIGHT_MIN to %VCS_WEIGHT_MAX
 * @vruntime: virtual time, ns at weight %VCS_WEIGHT_DFL
 * @parent: the group it belongs to; the run queue's root when at the top
 * @is_group: a group (children) or a leaf (items)
 * @queued: runnable, in @parent's queue (fair) or the flat structures
 * @node: entry in @parent's queue (fair) or the FCFS tree
 * @stamp: insertion order in @parent's queue
 * @children: a group's runnable children by (vruntime, stamp)
 * @min_vruntime: a group's floor for the placement of waking children
 * @nr_queued: a group's children in @children
 * @items: a leaf's ready work, oldest first
 * @rr_node: a leaf's entry in the round-robin list
 * @leaf_node: a runnable leaf's entry in &vcs_rq.leaves
 * @rt: a leaf with a reservation
 * @rt_queued: in one of the real-time trees
 * @rt_node: entry in &vcs_rq.rt_ready or &vcs_rq.rt_throttled
 * @budget: a real-time leaf's ns per period
 * @period: its period in ns
 * @deadline: end of its current period
 * @remaining: budget left in the current period (negative after overrun)
 * @nr_periods: refills (periods that ended with the leaf runnable; periods
 *	without a pick in between count once)
 * @nr_met: of those, refills after the whole budget was used
 */
struct vcs_entity {
	u64 id;
	u32 weight;
	u64 vruntime;
	struct vcs_entity *parent;
	bool is_group;
	bool queued;
	struct rb_node node;
	u64 stamp;
	/* groups */
	struct rb_root_cached children;
	u64 min_vruntime;
	unsigned int nr_queued;
	/* leaves */
	struct list_head items;
	struct list_head rr_node;
	struct list_head leaf_node;
	bool rt;
	bool rt_queued;
	struct rb_node rt_node;
	u64 budget;
	u64 period;
	u64 deadline;
	s64 remaining;
	u64 nr_periods;
	u64 nr_met;
};

/**
 * struct vcs_rq - a run queue
 * @mode: how best-effort work is shared
 * @root: the group at the top of the hierarchy (its weight is unused)
 * @fcfs: runnable leaves by their first item's @seq (%VCS_FCFS)
 * @rr: runnable leaves in turn (%VCS_RR)
 * @leaves: every runnable leaf (any mode)
 * @rt_ready: real-time leaves with items and budget, by deadline
 * @rt_throttled: real-time leaves with items and no budget, by deadline
 * @next_seq: the next item's @seq
 * @front_seq: the next requeued item's @seq (counting down from -1)
 * @next_stamp: the next insertion's stamp
 * @nr_items: items queued
 */
struct vcs_rq {
	enum vcs_mode mode;
	struct vcs_entity root;
	struct rb_root_cached fcfs;
	struct list_head rr;
	struct list_head leaves;
	struct rb_root_cached rt_ready;
	struct rb_root_cached rt_throttled;
	s64 next_seq;
	s64 front_seq;
	u64 next_stamp;
	unsigned int nr_items;
};

void vcs_rq_init(struct vcs_rq *rq, enum vcs_mode mode);
void vcs_rq_set_mode(struct vcs_rq *rq, enum vcs_mode mode);

/*
 * An entity starts idle, at virtual time 0, best effort; @parent NULL
 * means the root.  A group must have no children and a leaf no items when
 * removed.
 */
void vcs_entity_init(struct vcs_rq *rq, struct vcs_entity *se, u64 id,
		     struct vcs_entity *parent, u32 weight, bool is_group);
void vcs_entity_remove(struct vcs_rq *rq, struct vcs_entity *se);
void vcs_entity_set_weight(struct vcs_entity *se, u32 weight);
void vcs_entity_set_parent(struct vcs_rq *rq, struct vcs_entity *se,
			   struct vcs_entity *parent);
/* @budget 0: best effort again.  Otherwise 0 < @budget <= @period. */
void vcs_entity_set_rt(struct vcs_rq *rq, struct vcs_entity *se,
		       u64 budget, u64 period, u64 now);

void vcs_enqueue(struct vcs_rq *rq, struct vcs_entity *leaf,
		 struct vaal_sched_item *item);
void vcs_requeue(struct vcs_rq *rq, struct vcs_entity *leaf,
		 struct vaal_sched_item *item);
void vcs_leaf_clear(struct vcs_rq *rq, struct vcs_entity *leaf,
		    struct list_head *items);
struct vaal_sched_item *vcs_pick(struct vcs_rq *rq, u64 now,
			  struct vcs_entity **leafp, bool *rtp);
void vcs_charge(struct vcs_rq *rq, struct vcs_entity *leaf, u64 ns,
		bool rt);

static inline bool vcs_rq_empty(const struct vcs_rq *rq)
{
	return !rq->nr_items;
}

#endif /* _VCS_FAIR_H */
