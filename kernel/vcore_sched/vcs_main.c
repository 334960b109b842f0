// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_main.c - vcore_sched module life cycle
 *
 * vcore_sched shares accelerator time among contexts by the cpu.weight of
 * their owners' cgroups (fair), first come first served (fcfs) or in turn
 * (rr), with reservations served earliest deadline first on top and the
 * units of a class partitioned among cgroups.  It plugs into vaal_core as
 * the default policy of every class; each class picks its mode in
 * /sys/kernel/vcore_sched/CLASS/policy.  Unloading it hands every class
 * back to vaal_core's FIFO, queued work included.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "vcs_internal.h"

static char *default_policy = "fair";
module_param(default_policy, charp, 0444);
MODULE_PARM_DESC(default_policy, "Policy of classes at first: fair (default), fcfs or rr");

static unsigned int rt_limit = 90;
module_param(rt_limit, uint, 0444);
MODULE_PARM_DESC(rt_limit, "Share of a class's units reservations may take at first, in percent (default 90)");

const char * const vcs_mode_names[VCS_NR_MODES] = {
	[VCS_FAIR]	= "fair",
	[VCS_FCFS]	= "fcfs",
	[VCS_RR]	= "rr",
};

DEFINE_MUTEX(vcs_mutex);
LIST_HEAD(vcs_classes);
static enum vcs_mode vcs_default_mode;

struct vaal_sched_policy vcs_policy = {
	.name	= "vcore_sched",
	.owner	= THIS_MODULE,
	.ops	= &vcs_ops,
	.flags	= VAAL_SCHED_DEFAULT,
};

/**
 * vcs_class_get - the settings of a class, made at its first use
 * @name: the class
 * @id: its index in &vaal_sched_ctx.priv
 *
 * Return: the settings, or an ERR_PTR().  May sleep.
 */
struct vcs_class *vcs_class_get(const char *name, unsigned int id)
{
	struct vcs_class *vc;
	int ret;

	mutex_lock(&vcs_mutex);
	list_for_each_entry(vc, &vcs_classes, node)
		if (!strcmp(vc->name, name))
			goto out_unlock;
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc) {
		vc = ERR_PTR(-ENOMEM);
		goto out_unlock;
	}
	strscpy(vc->name, name, sizeof(vc->name));
	vc->id = id;
	vc->mode = vcs_default_mode;
	vc->rt_limit_ppm = rt_limit * (VCS_PPM / 100);
	ret = vcs_sysfs_add(vc);
	if (ret) {
		/* The kobject's release frees it. */
		vc = ERR_PTR(ret);
		goto out_unlock;
	}
	list_add_tail(&vc->node, &vcs_classes);
out_unlock:
	mutex_unlock(&vcs_mutex);
	return vc;
}

static int __init vcs_init(void)
{
	int ret;

	ret = match_string(vcs_mode_names, VCS_NR_MODES, default_policy);
	if (ret < 0 || rt_limit > 100) {
		pr_err("default_policy=fair|fcfs|rr, rt_limit=0..100\n");
		return -EINVAL;
	}
	vcs_default_mode = ret;
	ret = vcs_sysfs_init();
	if (ret)
		return ret;
	ret = vaal_sched_register(&vcs_policy);
	if (ret) {
		pr_err("cannot register with vaal_core: %d\n", ret);
		goto out_sysfs;
	}
	return 0;

out_sysfs:
	vcs_sysfs_exit();
	return ret;
}

static void __exit vcs_exit(void)
{
	vaal_sched_unregister(&vcs_policy);
	vcs_cgroup_exit();
	vcs_sysfs_exit();
}

module_init(vcs_init);
module_exit(vcs_exit);

MODULE_DESCRIPTION("V-Core accelerator scheduling: cgroup weights, reservations, partitions");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
