// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_debugfs.c - DEBUGFS/vcore_sched/CLASS/: who uses a class, as tables
 * (sysfs has one value per file, vcs_sysfs.c)
 *
 *   contexts  one line per context with work on the class: its id, owner,
 *	       cgroup, partition, units, reservation, device time, periods
 *	       and the label of an in-kernel client's context ("-" for a
 *	       file's), last so that parsers of the older lines still work
 *   usage     device time of the live contexts per cgroup, "/" first
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vcs_internal.h"

/**
 * struct vcs_ctx_info - a context's line, taken under the class's lock
 * @id: vaal_core's id of the context ("vaal-ctx-id" in its fdinfo)
 * @pid: its owner's
 * @path: its owner's cgroups
 * @rq: 0 for the pool, 1 + n for partition n
 * @units: its pin
 * @budget: its reservation
 * @period: of the reservation
 * @usage: device time
 * @rt: of which on the reservation
 * @periods: periods that ended with work queued
 * @met: of which with the whole budget used
 * @label: the client's label (&vaal_sched_ctx.label), empty for a file's
 */
struct vcs_ctx_info {
	u64 id;
	pid_t pid;
	struct vcs_path path;
	unsigned int rq;
	u64 units, budget, period, usage, rt, periods, met;
	char label[VAAL_SCHED_LABEL_LEN];
};

struct vcs_snapshot {
	struct vcs_ctx_info *info;
	unsigned int room;
	unsigned int n;
};

static void vcs_snapshot_fn(void *sched, void *arg)
{
	struct vcs_sched *s = sched;
	struct vcs_snapshot *snap = arg;
	struct vcs_ctx_info *ci;
	struct vcs_ctx *c;
	u64 gen;

	list_for_each_entry(c, &s->ctxs, node) {
		if (snap->n == snap->room)
			break;
		ci = &snap->info[snap->n++];
		ci->id = c->sctx->id;
		ci->pid = pid_nr(c->owner->pid);
		vcs_owner_path(c->owner, &ci->path, &gen);
		ci->rq = c->rq;
		ci->units = c->units;
		ci->budget = c->budget;
		ci->period = c->period;
		ci->usage = c->usage_ns;
		ci->rt = c->rt_ns;
		ci->periods = c->se.nr_periods;
		ci->met = c->se.nr_met;
		memcpy(ci->label, c->sctx->label, sizeof(ci->label));
	}
}

/*
 * The contexts of a class, all of them, or an ERR_PTR(); kvfree() it.
 * Taken under the class's lock into room allocated before: more room
 * until it was enough.
 */
static struct vcs_ctx_info *vcs_snapshot(struct vcs_class *vc, unsigned int *n)
{
	struct vcs_snapshot snap = { .room = 64 };

	for (;;) {
		snap.n = 0;
		snap.info = kvcalloc(snap.room, sizeof(*snap.info), GFP_KERNEL);
		if (!snap.info)
			return ERR_PTR(-ENOMEM);
		vaal_sched_class_call(vc->name, &vcs_policy, vcs_snapshot_fn,
				      &snap);
		if (snap.n < snap.room)
			break;
		kvfree(snap.info);
		snap.room *= 2;
	}
	*n = snap.n;
	return snap.info;
}

/* The name of the innermost cgroup of @path, into @name. */
static void vcs_path_name(const struct vcs_path *path, char *name, size_t len)
{
	if (!path->depth)
		strscpy(name, "/", len);
	else if (vcs_cgroup_name(path->id[path->depth - 1], name, len))
		strscpy(name, "(removed)", len);
}

static int vcs_contexts_show(struct seq_file *m, void *unused)
{
	struct vcs_ctx_info *info, *ci;
	unsigned int n, i;
	char name[128];

	info = vcs_snapshot(m->private, &n);
	if (IS_ERR(info))
		return PTR_ERR(info);
	for (i = 0; i < n; i++) {
		ci = &info[i];
		vcs_path_name(&ci->path, name, sizeof(name));
		seq_printf(m, "ctx=%llu pid=%d cgroup=%s partition=%d units=%#llx budget_ns=%llu period_ns=%llu usage_ns=%llu rt_ns=%llu periods=%llu met=%llu owner=%.*s\n",
			   ci->id, ci->pid, name, (int)ci->rq - 1, ci->units,
			   ci->budget, ci->period, ci->usage, ci->rt,
			   ci->periods, ci->met, (int)sizeof(ci->label),
			   ci->label[0] ? ci->label : "-");
	}
	kvfree(info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcs_contexts);

/* Add @ns to cgroup @id's line in @ids/@ns (of @n, room @room). */
static void vcs_usage_add(u64 *ids, u64 *usage, unsigned int *n,
			  unsigned int room, u64 id, u64 ns)
{
	unsigned int i;

	for (i = 0; i < *n && ids[i] != id; i++)
		;
	if (i == *n) {
		if (*n == room)
			return;
		ids[(*n)++] = id;
		usage[i] = 0;
	}
	usage[i] += ns;
}

static int vcs_usage_show(struct seq_file *m, void *unused)
{
	unsigned int n, i, j, nr_cg = 0, room;
	struct vcs_ctx_info *info;
	u64 *ids, *usage, total = 0;
	char name[128];

	info = vcs_snapshot(m->private, &n);
	if (IS_ERR(info))
		return PTR_ERR(info);
	room = n * VCS_MAX_DEPTH + 1;
	ids = kvcalloc(room * 2, sizeof(*ids), GFP_KERNEL);
	if (!ids) {
		kvfree(info);
		return -ENOMEM;
	}
	usage = ids + room;
	for (i = 0; i < n; i++) {
		total += info[i].usage;
		for (j = 0; j < info[i].path.depth; j++)
			vcs_usage_add(ids, usage, &nr_cg, room,
				      info[i].path.id[j], info[i].usage);
	}
	seq_printf(m, "/ %llu\n", total);
	for (i = 0; i < nr_cg; i++)
		if (!vcs_cgroup_name(ids[i], name, sizeof(name)))
			seq_printf(m, "%s %llu\n", name, usage[i]);
	kvfree(ids);
	kvfree(info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcs_usage);

static struct dentry *vcs_debugfs;

/**
 * vcs_debugfs_add - a class's tables: DEBUGFS/vcore_sched/CLASS/
 * @vc: the class; it lives until vcs_debugfs_exit()
 *
 * No error is returned: the tables are for people, the class works
 * without them.
 */
void vcs_debugfs_add(struct vcs_class *vc)
{
	struct dentry *dir = debugfs_create_dir(vc->name, vcs_debugfs);

	debugfs_create_file("contexts", 0400, dir, vc, &vcs_contexts_fops);
	debugfs_create_file("usage", 0400, dir, vc, &vcs_usage_fops);
}

void vcs_debugfs_init(void)
{
	vcs_debugfs = debugfs_create_dir("vcore_sched", NULL);
}

/* Once it returns, no table is being read. */
void vcs_debugfs_exit(void)
{
	debugfs_remove_recursive(vcs_debugfs);
}
