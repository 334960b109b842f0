/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcs_internal.h - vcore_sched's state: per accelerator class a policy
 * state (run queues for the shared pool and the partitions, the contexts
 * and cgroup groups in them), the settings that outlive it, and the
 * owners' cgroups as cgroupfs shows them.
 */
#ifndef _VCS_INTERNAL_H
#define _VCS_INTERNAL_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <vaal_sched.h>
#include "vcs_fair.h"

#define VCS_MAX_PARTS		8	/* partitions of a class's units */
#define VCS_MAX_DEPTH		8	/* cgroup levels weighed below the root */
#define VCS_MAX_UNITS		64	/* units a mask names */
#define VCS_PPM			1000000U

/**
 * struct vcs_path - where an owner lives: the cgroups that weigh its
 *	contexts, outermost first (those with the cpu controller, below the
 *	root), and their cpu.weight
 * @depth: entries in @id and @weight
 * @id: cgroup ids
 * @weight: cpu.weight of each
 */
struct vcs_path {
	unsigned int depth;
	u64 id[VCS_MAX_DEPTH];
	u32 weight[VCS_MAX_DEPTH];
};

/**
 * struct vcs_owner - a process that owns contexts, shared by their entries
 * @pid: the owner's thread group
 * @refs: contexts' entries (all classes) that point here
 * @node: entry in vcs_owners
 * @path: its cgroups, as the refresher last found them
 * @gen: bumped at each change of @path
 */
struct vcs_owner {
	struct pid *pid;
	unsigned int refs;
	struct list_head node;
	struct vcs_path path;
	u64 gen;
};

/**
 * struct vcs_part - a partition of a class's units
 * @units: the units, a bit each
 * @exclusive: only members run there
 * @cgroup: members: contexts whose owner lives in this cgroup or below
 *	(0: only contexts that pinned themselves to exactly @units)
 */
struct vcs_part {
	u64 units;
	bool exclusive;
	u64 cgroup;
};

struct vcs_sched;

/**
 * struct vcs_group - a cgroup's entity in one run queue
 * @se: the entity
 * @cgroup: the cgroup's id
 * @parent: the enclosing group, NULL at the top
 * @rq: index of the run queue
 * @users: contexts and groups below it
 * @usage_ns: device time charged through it (best effort and real time)
 * @node: entry in &vcs_sched.groups
 */
struct vcs_group {
	struct vcs_entity se;
	u64 cgroup;
	struct vcs_group *parent;
	unsigned int rq;
	unsigned int users;
	u64 usage_ns;
	struct list_head node;
};

/**
 * struct vcs_ctx - a context's entry in one class
 * @se: its leaf entity
 * @sctx: the context, as vaal_core shows it
 * @sched: the class's state
 * @owner: its owner
 * @gen: @owner->path.gen its groups follow
 * @group: the innermost group, NULL for the run queue's root
 * @rq: index of its run queue
 * @units: units it pinned itself to, 0 for any
 * @budget: reservation, ns per @period (0: none)
 * @period: ns
 * @usage_ns: device time charged, best effort and real time
 * @rt_ns: of which on the reservation
 * @node: entry in &vcs_sched.ctxs
 */
struct vcs_ctx {
	struct vcs_entity se;
	struct vaal_sched_ctx *sctx;
	struct vcs_sched *sched;
	struct vcs_owner *owner;
	u64 gen;
	struct vcs_group *group;
	unsigned int rq;
	u64 units;
	u64 budget;
	u64 period;
	u64 usage_ns;
	u64 rt_ns;
	struct list_head node;
};

/**
 * struct vcs_class - vcore_sched's settings of a class, which outlive the
 *	policy state (its sysfs directory)
 * @kobj: /sys/kernel/vcore_sched/NAME
 * @name: the class
 * @id: its index in &vaal_sched_ctx.priv
 * @mode: best-effort policy
 * @rt_limit_ppm: share of the class's units reservations may take
 * @parts: partitions
 * @nr_parts: entries in @parts
 * @node: entry in vcs_classes
 */
struct vcs_class {
	struct kobject kobj;
	char name[VAAL_CLASS_LEN];
	unsigned int id;
	enum vcs_mode mode;
	u32 rt_limit_ppm;
	struct vcs_part parts[VCS_MAX_PARTS];
	unsigned int nr_parts;
	struct list_head node;
};

/**
 * struct vcs_sched - the policy state of a class that uses vcore_sched
 * @vc: its settings
 * @mode: best-effort policy now
 * @rt_limit_ppm: reservations' limit now
 * @rq: run queues: [0] the shared pool, [1 + i] partition i
 * @parts: the partitions now
 * @nr_parts: entries in @parts
 * @excl_units: units of exclusive partitions (not the pool's)
 * @admitted_ppm: what admitted reservations take (per unit: 1e6 = one)
 * @ctxs: contexts' entries
 * @groups: groups of all run queues
 * @next_id: ids of entities
 * @spare: where work waits when its context's entry cannot be made
 */
struct vcs_sched {
	struct vcs_class *vc;
	enum vcs_mode mode;
	u32 rt_limit_ppm;
	struct vcs_rq rq[VCS_MAX_PARTS + 1];
	struct vcs_part parts[VCS_MAX_PARTS];
	unsigned int nr_parts;
	u64 excl_units;
	u64 admitted_ppm;
	struct list_head ctxs;
	struct list_head groups;
	u64 next_id;
	struct vcs_entity spare;
};

extern struct vaal_sched_policy vcs_policy;
extern const char * const vcs_mode_names[VCS_NR_MODES];

/* vcs_policy.c */
extern const struct vaal_sched_ops vcs_ops;
void vcs_sched_apply_settings(void *sched, void *arg);
void vcs_sched_refresh(void *sched, void *arg);

/* vcs_main.c */
extern struct mutex vcs_mutex;
extern struct list_head vcs_classes;
struct vcs_class *vcs_class_get(const char *name, unsigned int id);

/* vcs_cgroup.c */
void vcs_cgroup_exit(void);
struct vcs_owner *vcs_owner_get(struct pid *pid);
void vcs_owner_put(struct vcs_owner *owner);
void vcs_owner_path(struct vcs_owner *owner, struct vcs_path *path, u64 *gen);
int vcs_cgroup_id(const char *path, u64 *id);
int vcs_cgroup_name(u64 id, char *buf, size_t len);
bool vcs_path_below(const struct vcs_path *path, u64 cgroup);

/* vcs_sysfs.c */
int vcs_sysfs_init(void);
void vcs_sysfs_exit(void);
int vcs_sysfs_add(struct vcs_class *vc);

/* vcs_debugfs.c */
void vcs_debugfs_init(void);
void vcs_debugfs_exit(void);
void vcs_debugfs_add(struct vcs_class *vc);

#endif /* _VCS_INTERNAL_H */
