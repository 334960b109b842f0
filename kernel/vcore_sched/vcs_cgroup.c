// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_cgroup.c - where the owners of contexts live, and what their
 * cgroups weigh: cgroup v2's cpu.weight, read from cgroupfs itself
 *
 * A worker looks at every owner of a context every %VCS_REFRESH_MS: the
 * cgroups from its own up to the root, and the cpu.weight of those that
 * have the cpu controller.  The weights are read from the files users
 * write (through the module's own mount of cgroup2), so that a change in
 * cgroupfs takes effect with no agent in user space.  When an owner's
 * cgroups or their weights change, the classes move its contexts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "vcs_internal.h"

#define VCS_REFRESH_MS		40
#define VCS_RETRY_OPEN		(HZ)	/* a cgroup without cpu.weight */

/**
 * struct vcs_cg - a cgroup whose cpu.weight the worker follows
 * @id: the cgroup's id
 * @weight: the last weight read, 0 without the cpu controller
 * @retry: when to look for cpu.weight again, if it had none (jiffies)
 * @seen: the refresh that last needed it
 * @node: entry in vcs_cgs
 */
struct vcs_cg {
	u64 id;
	u32 weight;
	unsigned long retry;
	u64 seen;
	struct list_head node;
};

static DEFINE_SPINLOCK(vcs_owners_lock);
static LIST_HEAD(vcs_owners);

/* The worker's own: the cgroups it follows and its cgroup2 mount. */
static LIST_HEAD(vcs_cgs);
static struct vfsmount *vcs_mnt;
static u64 vcs_refreshes;

static void vcs_refresh_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vcs_refresh_work, vcs_refresh_fn);

/**
 * vcs_owner_get - the entry of a context's owner, with a reference
 * @pid: the owner's thread group
 *
 * Any context.
 *
 * Return: the entry, or NULL when memory is short.
 */
struct vcs_owner *vcs_owner_get(struct pid *pid)
{
	struct vcs_owner *o;
	unsigned long flags;
	bool created = false;

	spin_lock_irqsave(&vcs_owners_lock, flags);
	list_for_each_entry(o, &vcs_owners, node) {
		if (o->pid == pid) {
			o->refs++;
			goto out_unlock;
		}
	}
	o = kzalloc(sizeof(*o), GFP_ATOMIC);
	if (o) {
		o->pid = get_pid(pid);
		o->refs = 1;
		list_add_tail(&o->node, &vcs_owners);
		created = true;
	}
out_unlock:
	spin_unlock_irqrestore(&vcs_owners_lock, flags);
	/* A new owner's cgroups are looked at now, not in a while. */
	if (created)
		mod_delayed_work(system_wq, &vcs_refresh_work, 0);
	return o;
}

/**
 * vcs_owner_put - drop a reference from vcs_owner_get()
 * @owner: the entry
 */
void vcs_owner_put(struct vcs_owner *owner)
{
	unsigned long flags;
	bool last;

	spin_lock_irqsave(&vcs_owners_lock, flags);
	last = !--owner->refs;
	if (last)
		list_del(&owner->node);
	spin_unlock_irqrestore(&vcs_owners_lock, flags);
	if (last) {
		put_pid(owner->pid);
		kfree(owner);
	}
}

/**
 * vcs_owner_path - where an owner lives, as last found
 * @owner: the entry
 * @path: filled in
 * @gen: its generation, filled in
 */
void vcs_owner_path(struct vcs_owner *owner, struct vcs_path *path, u64 *gen)
{
	unsigned long flags;

	spin_lock_irqsave(&vcs_owners_lock, flags);
	*path = owner->path;
	*gen = owner->gen;
	spin_unlock_irqrestore(&vcs_owners_lock, flags);
}

/**
 * vcs_path_below - does an owner live in a cgroup or below it?
 * @path: where it lives
 * @cgroup: the cgroup's id
 *
 * Return: true when @cgroup is one of @path's.
 */
bool vcs_path_below(const struct vcs_path *path, u64 cgroup)
{
	unsigned int i;

	for (i = 0; i < path->depth; i++)
		if (path->id[i] == cgroup)
			return true;
	return false;
}

/**
 * vcs_cgroup_name - a cgroup's path, as cgroupfs shows it
 * @id: the cgroup's id
 * @buf: where to write it
 * @len: bytes at @buf
 *
 * Return: 0, or -ENOENT for a cgroup that is gone.
 */
int vcs_cgroup_name(u64 id, char *buf, size_t len)
{
	struct cgroup *cgrp = cgroup_get_from_id(id);
	int ret;

	if (IS_ERR(cgrp))
		return -ENOENT;
	ret = cgroup_path_ns(cgrp, buf, len, current->nsproxy->cgroup_ns);
	cgroup_put(cgrp);
	return ret < 0 ? ret : 0;
}

/**
 * vcs_cgroup_id - the id of a cgroup given by its path in cgroupfs
 * @path: e.g. "/machine.slice/vm1"
 * @id: filled in
 *
 * Return: 0, or -ENOENT.
 */
int vcs_cgroup_id(const char *path, u64 *id)
{
	struct cgroup *cgrp = cgroup_get_from_path(path);

	if (IS_ERR(cgrp))
		return -ENOENT;
	*id = cgroup_id(cgrp);
	cgroup_put(cgrp);
	return 0;
}

/* Open a cgroup's cpu.weight; NULL when it has none (or is gone). */
static struct file *vcs_cg_open(u64 id)
{
	struct file *file;
	char *buf;
	int len;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return NULL;
	if (vcs_cgroup_name(id, buf, PATH_MAX - sizeof("/cpu.weight")))
		goto out_free;
	len = strlen(buf);
	strscpy(buf + len, len > 1 ? "/cpu.weight" : "cpu.weight",
		PATH_MAX - len);
	/* Relative to the mount's root: skip the leading slash. */
	file = file_open_root_mnt(vcs_mnt, buf + 1, O_RDONLY, 0);
	kfree(buf);
	return IS_ERR(file) ? NULL : file;

out_free:
	kfree(buf);
	return NULL;
}

/*
 * A cgroup's cpu.weight now, read as users see it: 0 without the cpu
 * controller (looked for again after VCS_RETRY_OPEN), the last value read
 * when the cgroup is gone.
 */
static u32 vcs_cg_weight(u64 id)
{
	char buf[16] = "";
	struct vcs_cg *cg;
	struct file *file;
	loff_t pos = 0;
	u32 weight;

	list_for_each_entry(cg, &vcs_cgs, node)
		if (cg->id == id)
			goto found;
	cg = kzalloc(sizeof(*cg), GFP_KERNEL);
	if (!cg)
		return VCS_WEIGHT_DFL;
	cg->id = id;
	cg->retry = jiffies;
	list_add(&cg->node, &vcs_cgs);
found:
	cg->seen = vcs_refreshes;
	if (!cg->weight && time_before(jiffies, cg->retry))
		return 0;
	file = vcs_cg_open(id);
	if (!file) {
		if (!cg->weight)
			cg->retry = jiffies + VCS_RETRY_OPEN;
		return cg->weight;
	}
	if (kernel_read(file, buf, sizeof(buf) - 1, &pos) > 0 &&
	    !kstrtou32(strim(buf), 10, &weight))
		cg->weight = clamp(weight, VCS_WEIGHT_MIN, VCS_WEIGHT_MAX);
	else if (!cg->weight)
		cg->weight = VCS_WEIGHT_DFL;
	fput(file);
	return cg->weight;
}

/* Where @pid lives; false when it is gone (its contexts stay put). */
static bool vcs_path_of(struct pid *pid, struct vcs_path *path)
{
	u64 ids[VCS_MAX_DEPTH * 4];
	struct task_struct *task;
	struct cgroup *cgrp;
	unsigned int n = 0, i;

	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return false;
	rcu_read_lock();
	for (cgrp = task_dfl_cgroup(task); cgroup_parent(cgrp) &&
	     n < ARRAY_SIZE(ids); cgrp = cgroup_parent(cgrp))
		ids[n++] = cgroup_id(cgrp);
	rcu_read_unlock();
	put_task_struct(task);

	/* The outermost levels weigh; deeper ones share their parent's. */
	path->depth = min_t(unsigned int, n, VCS_MAX_DEPTH);
	for (i = 0; i < path->depth; i++) {
		path->id[i] = ids[n - 1 - i];
		path->weight[i] = vcs_cg_weight(path->id[i]);
	}
	return true;
}

/*
 * Owners, each with a reference, for the worker to look at unlocked; those
 * that came meanwhile wait for the next round (they asked for it).
 */
static unsigned int vcs_owners_grab(struct vcs_owner ***arrayp)
{
	unsigned int n = 0, room = 8;
	struct vcs_owner *o;

	spin_lock_irq(&vcs_owners_lock);
	list_for_each_entry(o, &vcs_owners, node)
		room++;
	spin_unlock_irq(&vcs_owners_lock);
	*arrayp = kcalloc(room, sizeof(**arrayp), GFP_KERNEL);
	if (!*arrayp)
		return 0;
	spin_lock_irq(&vcs_owners_lock);
	list_for_each_entry(o, &vcs_owners, node) {
		if (n == room)
			break;
		o->refs++;
		(*arrayp)[n++] = o;
	}
	spin_unlock_irq(&vcs_owners_lock);
	return n;
}

/* Forget the cgroups no owner lives under any more. */
static void vcs_cgs_prune(void)
{
	struct vcs_cg *cg, *tmp;

	list_for_each_entry_safe(cg, tmp, &vcs_cgs, node) {
		if (cg->seen == vcs_refreshes)
			continue;
		list_del(&cg->node);
		kfree(cg);
	}
}

static void vcs_refresh_fn(struct work_struct *work)
{
	struct vcs_owner **owners = NULL;
	struct vcs_path path;
	struct vcs_class *vc;
	unsigned int n, i;
	bool more;

	if (!vcs_mnt) {
		struct file_system_type *type = get_fs_type("cgroup2");

		/* A worker's: the mount shows the whole hierarchy. */
		vcs_mnt = type ? vfs_kern_mount(type, 0, "cgroup2", NULL) :
			  ERR_PTR(-ENODEV);
		/* The mount holds the type; put_filesystem() is not exported. */
		if (type)
			module_put(type->owner);
		if (IS_ERR(vcs_mnt)) {
			pr_warn_once("no cgroup2 mount (%ld): weights stay %u\n",
				     PTR_ERR(vcs_mnt), VCS_WEIGHT_DFL);
			vcs_mnt = NULL;
		}
	}
	vcs_refreshes++;
	n = vcs_owners_grab(&owners);
	for (i = 0; i < n; i++) {
		memset(&path, 0, sizeof(path));
		if (vcs_mnt && vcs_path_of(owners[i]->pid, &path)) {
			spin_lock_irq(&vcs_owners_lock);
			if (memcmp(&path, &owners[i]->path, sizeof(path))) {
				owners[i]->path = path;
				owners[i]->gen++;
			}
			spin_unlock_irq(&vcs_owners_lock);
		}
		vcs_owner_put(owners[i]);
	}
	kfree(owners);
	vcs_cgs_prune();

	mutex_lock(&vcs_mutex);
	list_for_each_entry(vc, &vcs_classes, node)
		vaal_sched_class_call(vc->name, &vcs_policy, vcs_sched_refresh,
				      NULL);
	mutex_unlock(&vcs_mutex);

	spin_lock_irq(&vcs_owners_lock);
	more = !list_empty(&vcs_owners);
	spin_unlock_irq(&vcs_owners_lock);
	if (more)
		schedule_delayed_work(&vcs_refresh_work,
				      msecs_to_jiffies(VCS_REFRESH_MS));
}

/* Module exit: every class went back to the FIFO, no owner is left. */
void vcs_cgroup_exit(void)
{
	cancel_delayed_work_sync(&vcs_refresh_work);
	vcs_refreshes++;
	vcs_cgs_prune();
	if (vcs_mnt)
		mntput(vcs_mnt);
}
