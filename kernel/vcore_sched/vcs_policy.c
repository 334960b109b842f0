// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_policy.c - vcore_sched as a vaal_core scheduling policy: the ops a
 * class calls under its lock, on top of the run queues of vcs_fair.c
 *
 * A class has a run queue for the shared pool of its units and one per
 * partition.  A context's entry (struct vcs_ctx) is a leaf of one of them,
 * below the groups of its owner's cgroups; it is made at its first work,
 * and moved when its owner's cgroups, its pin or the partitions change.
 * A unit serves the partitions that hold it, then (unless one of them has
 * it exclusively) the pool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "vcs_internal.h"

/* &vaal_sched_item.seq of a picked item: how it was picked. */
#define VCS_SEQ_BE	1
#define VCS_SEQ_RT	2

static struct vcs_ctx *vcs_ctx_of(struct vcs_sched *s,
				  struct vaal_sched_ctx *sctx)
{
	return sctx->priv[s->vc->id];
}

static struct vcs_group *vcs_group_find(struct vcs_sched *s, unsigned int rq,
					u64 cgroup)
{
	struct vcs_group *g;

	list_for_each_entry(g, &s->groups, node)
		if (g->rq == rq && g->cgroup == cgroup)
			return g;
	return NULL;
}

static void vcs_group_put(struct vcs_sched *s, struct vcs_group *g)
{
	struct vcs_group *parent;

	for (; g && !--g->users; g = parent) {
		parent = g->parent;
		vcs_entity_remove(&s->rq[g->rq], &g->se);
		list_del(&g->node);
		kfree(g);
	}
}

/*
 * The group of the cgroup at level @level of @path in run queue @rq, made
 * with its ancestors if new, with a user more.  NULL at the root or when
 * memory is short: then the levels above do.
 */
static struct vcs_group *vcs_group_get(struct vcs_sched *s, unsigned int rq,
				       const struct vcs_path *path, int level)
{
	struct vcs_group *g, *parent;

	for (; level >= 0 && !path->weight[level]; level--)
		;
	if (level < 0)
		return NULL;
	g = vcs_group_find(s, rq, path->id[level]);
	if (g) {
		vcs_entity_set_weight(&g->se, path->weight[level]);
		g->users++;
		return g;
	}
	parent = vcs_group_get(s, rq, path, level - 1);
	g = kzalloc(sizeof(*g), GFP_ATOMIC);
	if (!g)
		return parent;
	g->cgroup = path->id[level];
	g->parent = parent;
	g->rq = rq;
	g->users = 1;
	vcs_entity_init(&s->rq[rq], &g->se, ++s->next_id,
			parent ? &parent->se : NULL, path->weight[level], true);
	list_add_tail(&g->node, &s->groups);
	return g;
}

/* The run queue a context belongs in: its pin's partition, its cgroup's. */
static unsigned int vcs_ctx_rq(struct vcs_sched *s, struct vcs_ctx *c,
			       const struct vcs_path *path)
{
	unsigned int i;

	for (i = 0; i < s->nr_parts; i++) {
		if (c->units ? c->units == s->parts[i].units :
		    s->parts[i].cgroup &&
		    vcs_path_below(path, s->parts[i].cgroup))
			return i + 1;
	}
	return 0;
}

/*
 * Put @c where its owner's cgroups, its pin and the partitions say: move
 * its leaf (and queued work) to another run queue, or below other groups.
 */
static void vcs_ctx_place(struct vcs_sched *s, struct vcs_ctx *c, u64 now)
{
	struct vaal_sched_item *item, *tmp;
	struct vcs_group *old = c->group;
	struct vcs_path path;
	LIST_HEAD(items);
	unsigned int rq;

	vcs_owner_path(c->owner, &path, &c->gen);
	rq = vcs_ctx_rq(s, c, &path);
	c->group = vcs_group_get(s, rq, &path, path.depth - 1);
	if (rq == c->rq) {
		vcs_entity_set_parent(&s->rq[rq], &c->se,
				      c->group ? &c->group->se : NULL);
		vcs_group_put(s, old);
		return;
	}
	vcs_leaf_clear(&s->rq[c->rq], &c->se, &items);
	vcs_entity_set_rt(&s->rq[c->rq], &c->se, 0, 0, now);
	vcs_entity_remove(&s->rq[c->rq], &c->se);
	vcs_group_put(s, old);
	c->rq = rq;
	vcs_entity_init(&s->rq[rq], &c->se, c->se.id,
			c->group ? &c->group->se : NULL, VCS_WEIGHT_DFL, false);
	if (c->budget)
		vcs_entity_set_rt(&s->rq[rq], &c->se, c->budget, c->period, now);
	list_for_each_entry_safe(item, tmp, &items, node) {
		list_del_init(&item->node);
		vcs_enqueue(&s->rq[rq], &c->se, item);
	}
}

/* The entry of @sctx, made at its first work; NULL when memory is short. */
static struct vcs_ctx *vcs_ctx_get(struct vcs_sched *s,
				   struct vaal_sched_ctx *sctx)
{
	struct vcs_ctx *c = vcs_ctx_of(s, sctx);

	if (c)
		return c;
	c = kzalloc(sizeof(*c), GFP_ATOMIC);
	if (!c)
		return NULL;
	c->owner = vcs_owner_get(sctx->owner);
	if (!c->owner) {
		kfree(c);
		return NULL;
	}
	c->sctx = sctx;
	c->sched = s;
	vcs_entity_init(&s->rq[0], &c->se, ++s->next_id, NULL, VCS_WEIGHT_DFL,
			false);
	list_add_tail(&c->node, &s->ctxs);
	sctx->priv[s->vc->id] = c;
	vcs_ctx_place(s, c, ktime_get_ns());
	return c;
}

/* Share of one unit a reservation takes, in millionths, rounded up. */
static u64 vcs_rt_ppm(u64 budget, u64 period)
{
	return budget ? div64_u64(budget * VCS_PPM + period - 1, period) : 0;
}

static void vcs_ctx_free(struct vcs_sched *s, struct vcs_ctx *c)
{
	s->admitted_ppm -= vcs_rt_ppm(c->budget, c->period);
	vcs_entity_set_rt(&s->rq[c->rq], &c->se, 0, 0, 0);
	vcs_entity_remove(&s->rq[c->rq], &c->se);
	vcs_group_put(s, c->group);
	vcs_owner_put(c->owner);
	list_del(&c->node);
	kfree(c);
}

/* --- the ops ---------------------------------------------------------------- */

static void *vcs_init(const char *name, unsigned int id)
{
	struct vcs_class *vc = vcs_class_get(name, id);
	struct vcs_sched *s;
	unsigned int i;

	if (IS_ERR(vc))
		return vc;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->vc = vc;
	INIT_LIST_HEAD(&s->ctxs);
	INIT_LIST_HEAD(&s->groups);
	for (i = 0; i < ARRAY_SIZE(s->rq); i++)
		vcs_rq_init(&s->rq[i], VCS_FAIR);
	vcs_entity_init(&s->rq[0], &s->spare, 0, NULL, VCS_WEIGHT_DFL, false);
	mutex_lock(&vcs_mutex);
	vcs_sched_apply_settings(s, vc);
	mutex_unlock(&vcs_mutex);
	return s;
}

static void vcs_release(void *sched)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c, *tmp;

	/* The core forgot the contexts' words: only the entries go. */
	list_for_each_entry_safe(c, tmp, &s->ctxs, node)
		vcs_ctx_free(s, c);
	WARN_ON_ONCE(!list_empty(&s->groups));
	kfree(s);
}

static void vcs_enqueue_work(void *sched, struct vaal_work *work)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c = vcs_ctx_get(s, vaal_work_sched_ctx(work));

	/* Short of memory, the work waits in the pool, at the top. */
	if (unlikely(!c)) {
		vcs_enqueue(&s->rq[0], &s->spare, &work->item);
		return;
	}
	vcs_enqueue(&s->rq[c->rq], &c->se, &work->item);
}

static void vcs_requeue_work(void *sched, struct vaal_work *work)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c = vcs_ctx_get(s, vaal_work_sched_ctx(work));

	if (unlikely(!c)) {
		vcs_requeue(&s->rq[0], &s->spare, &work->item);
		return;
	}
	vcs_requeue(&s->rq[c->rq], &c->se, &work->item);
}

static struct vaal_work *vcs_pick_rq(struct vcs_rq *rq, u64 now)
{
	struct vaal_sched_item *item;
	struct vcs_entity *leaf;
	bool rt;

	item = vcs_pick(rq, now, &leaf, &rt);
	if (!item)
		return NULL;
	item->seq = rt ? VCS_SEQ_RT : VCS_SEQ_BE;
	return container_of(item, struct vaal_work, item);
}

static struct vaal_work *vcs_pick_work(void *sched, unsigned int unit)
{
	u64 bit = unit < VCS_MAX_UNITS ? BIT_ULL(unit) : 0, now;
	struct vcs_sched *s = sched;
	struct vaal_work *work;
	unsigned int i;

	now = ktime_get_ns();
	for (i = 0; i < s->nr_parts; i++) {
		if (unit != VAAL_SCHED_DRAIN && !(s->parts[i].units & bit))
			continue;
		work = vcs_pick_rq(&s->rq[i + 1], now);
		if (work)
			return work;
	}
	if (unit != VAAL_SCHED_DRAIN && s->excl_units & bit)
		return NULL;
	return vcs_pick_rq(&s->rq[0], now);
}

static void vcs_charge_work(void *sched, struct vaal_work *work, u64 ns)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c = vcs_ctx_of(s, vaal_work_sched_ctx(work));
	bool rt = work->item.seq == VCS_SEQ_RT;
	struct vcs_group *g;

	/* Work another policy picked, before a switch: its context is new. */
	if (!c || !work->item.seq)
		return;
	vcs_charge(&s->rq[c->rq], &c->se, ns, rt);
	c->usage_ns += ns;
	if (rt)
		c->rt_ns += ns;
	for (g = c->group; g; g = g->parent)
		g->usage_ns += ns;
}

static void vcs_ctx_exit(void *sched, struct vaal_sched_ctx *sctx)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c = vcs_ctx_of(s, sctx);

	if (c)
		vcs_ctx_free(s, c);
	sctx->priv[s->vc->id] = NULL;
}

static int vcs_attr_reserve(struct vcs_sched *s, struct vcs_ctx *c,
			    struct vaal_sched_attr *attr, unsigned int nr_units)
{
	u64 budget = attr->budget_ns, period = attr->period_ns, ppm, limit;

	if (!budget && !period)
		goto out_admit;
	if (period < VAAL_SCHED_MIN_PERIOD_NS ||
	    period > VAAL_SCHED_MAX_PERIOD_NS) {
		attr->reason = VAAL_SCHED_EPERIOD;
		return -EINVAL;
	}
	if (!budget || budget > period) {
		attr->reason = VAAL_SCHED_EBUDGET;
		return -EINVAL;
	}
out_admit:
	ppm = vcs_rt_ppm(budget, period);
	limit = (u64)s->rt_limit_ppm * nr_units;
	if (s->admitted_ppm - vcs_rt_ppm(c->budget, c->period) + ppm > limit) {
		attr->reason = VAAL_SCHED_EOVERLOAD;
		return -EBUSY;
	}
	return 0;
}

static int vcs_attr_units(struct vcs_sched *s, struct vaal_sched_attr *attr,
			  unsigned int nr_units)
{
	unsigned int i;

	if (!attr->units)
		return 0;
	if (nr_units < VCS_MAX_UNITS && attr->units >> nr_units) {
		attr->reason = VAAL_SCHED_EUNITS;
		return -EINVAL;
	}
	for (i = 0; i < s->nr_parts; i++)
		if (s->parts[i].units == attr->units)
			return 0;
	attr->reason = VAAL_SCHED_EUNITS;
	return -EINVAL;
}

static int vcs_attr_set(struct vcs_sched *s, struct vaal_sched_ctx *sctx,
			struct vaal_sched_attr *attr, unsigned int nr_units)
{
	struct vcs_ctx *c = vcs_ctx_get(s, sctx);
	u64 now = ktime_get_ns();
	int ret;

	if (!c) {
		attr->reason = VAAL_SCHED_ENOMEM;
		return -ENOMEM;
	}
	if (attr->flags & VAAL_SCHED_RESERVE) {
		ret = vcs_attr_reserve(s, c, attr, nr_units);
		if (ret)
			return ret;
	}
	if (attr->flags & VAAL_SCHED_UNITS) {
		ret = vcs_attr_units(s, attr, nr_units);
		if (ret)
			return ret;
		c->units = attr->units;
		vcs_ctx_place(s, c, now);
	}
	if (attr->flags & VAAL_SCHED_RESERVE) {
		s->admitted_ppm -= vcs_rt_ppm(c->budget, c->period);
		c->budget = attr->budget_ns;
		c->period = attr->period_ns;
		s->admitted_ppm += vcs_rt_ppm(c->budget, c->period);
		vcs_entity_set_rt(&s->rq[c->rq], &c->se, c->budget, c->period,
				  now);
	}
	return 0;
}

static int vcs_attr(void *sched, struct vaal_sched_ctx *sctx,
		    struct vaal_sched_attr *attr, unsigned int nr_units,
		    bool set)
{
	struct vcs_sched *s = sched;
	struct vcs_ctx *c;
	int ret = 0;

	if (set)
		ret = vcs_attr_set(s, sctx, attr, nr_units);
	c = vcs_ctx_of(s, sctx);
	if (!set || !ret) {
		attr->budget_ns = c ? c->budget : 0;
		attr->period_ns = c ? c->period : 0;
		attr->units = c ? c->units : 0;
	}
	attr->limit_ppm = s->rt_limit_ppm;
	attr->admitted_ppm = nr_units ? div_u64(s->admitted_ppm, nr_units) : 0;
	return ret;
}

const struct vaal_sched_ops vcs_ops = {
	.init		= vcs_init,
	.release	= vcs_release,
	.enqueue	= vcs_enqueue_work,
	.requeue	= vcs_requeue_work,
	.pick		= vcs_pick_work,
	.charge		= vcs_charge_work,
	.ctx_exit	= vcs_ctx_exit,
	.attr		= vcs_attr,
};

/* --- settings and refreshes, under the class's lock ------------------------ */

/**
 * vcs_sched_apply_settings - make a class's policy state follow its settings
 * @sched: the state
 * @arg: the &struct vcs_class, under vcs_mutex
 *
 * Contexts whose partition went away, or that a new partition claims, move
 * with their queued work.
 */
void vcs_sched_apply_settings(void *sched, void *arg)
{
	struct vcs_class *vc = arg;
	struct vcs_sched *s = sched;
	u64 now = ktime_get_ns(), gen;
	struct vcs_path path;
	struct vcs_ctx *c;
	unsigned int i;

	if (s->mode != vc->mode)
		for (i = 0; i < ARRAY_SIZE(s->rq); i++)
			vcs_rq_set_mode(&s->rq[i], vc->mode);
	s->mode = vc->mode;
	s->rt_limit_ppm = vc->rt_limit_ppm;
	memcpy(s->parts, vc->parts, sizeof(s->parts));
	s->nr_parts = vc->nr_parts;
	s->excl_units = 0;
	for (i = 0; i < s->nr_parts; i++)
		if (s->parts[i].exclusive)
			s->excl_units |= s->parts[i].units;
	list_for_each_entry(c, &s->ctxs, node) {
		vcs_owner_path(c->owner, &path, &gen);
		if (c->units && vcs_ctx_rq(s, c, &path) == 0)
			c->units = 0;	/* its partition is gone */
		vcs_ctx_place(s, c, now);
	}
}

/**
 * vcs_sched_refresh - follow the owners' cgroups and their weights
 * @sched: the state
 * @arg: unused
 */
void vcs_sched_refresh(void *sched, void *arg)
{
	struct vcs_sched *s = sched;
	u64 now = ktime_get_ns();
	struct vcs_ctx *c;

	list_for_each_entry(c, &s->ctxs, node)
		if (c->gen != READ_ONCE(c->owner->gen))
			vcs_ctx_place(s, c, now);
}
