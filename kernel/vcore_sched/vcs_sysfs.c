// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_sysfs.c - /sys/kernel/vcore_sched/CLASS/: a class's policy, its
 * real-time limit, its partitions, and who uses what
 *
 *   policy	rw  fair, fcfs or rr (vcore_sched's), or fifo (vaal_core's,
 *		    which takes no reservations: going there drops them)
 *   rt_limit	rw  percent of the class's units reservations may take
 *		    (-EBUSY below what is admitted)
 *   units	ro  units of the class
 *   partitions	rw  one per line: UNITS CGROUP [exclusive]; UNITS a list
 *		    ("0-1,3"), CGROUP a path in cgroupfs or "-" (only
 *		    contexts pinned to those units); "none" clears
 *
 * Who uses what - tables, one line per context or cgroup - is in debugfs
 * (vcs_debugfs.c): sysfs holds one value per file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/kobject.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vcs_internal.h"

static struct kobject *vcs_kobj;

static struct vcs_class *to_vcs_class(struct kobject *kobj)
{
	return container_of(kobj, struct vcs_class, kobj);
}

static void vcs_noop(void *sched, void *arg)
{
}

/* Does the class use vcore_sched now? */
static bool vcs_class_ours(struct vcs_class *vc)
{
	return !vaal_sched_class_call(vc->name, &vcs_policy, vcs_noop, NULL);
}

/* Apply @vc's settings to its policy state; under vcs_mutex. */
static void vcs_class_apply(struct vcs_class *vc)
{
	vaal_sched_class_call(vc->name, &vcs_policy, vcs_sched_apply_settings,
			      vc);
}

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct vcs_class *vc = to_vcs_class(kobj);

	return sysfs_emit(buf, "%s\n", vcs_class_ours(vc) ?
			  vcs_mode_names[READ_ONCE(vc->mode)] : "fifo");
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct vcs_class *vc = to_vcs_class(kobj);
	int mode, ret;

	if (sysfs_streq(buf, "fifo"))
		return vaal_sched_set_policy(vc->name, "fifo") ?: count;
	mode = sysfs_match_string(vcs_mode_names, buf);
	if (mode < 0)
		return -EINVAL;
	mutex_lock(&vcs_mutex);
	WRITE_ONCE(vc->mode, mode);
	vcs_class_apply(vc);
	mutex_unlock(&vcs_mutex);
	/* A class on the FIFO comes back, in the mode just set. */
	ret = vaal_sched_set_policy(vc->name, vcs_policy.name);
	return ret ?: count;
}

static ssize_t rt_limit_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(to_vcs_class(kobj)->rt_limit_ppm) /
			  (VCS_PPM / 100));
}

struct vcs_limit_check {
	u64 limit;	/* in: per-unit millionths, all units */
	bool fits;	/* out */
};

static void vcs_limit_check_fn(void *sched, void *arg)
{
	struct vcs_limit_check *lc = arg;

	lc->fits = ((struct vcs_sched *)sched)->admitted_ppm <= lc->limit;
}

/* A lower limit must still hold what was admitted: -EBUSY otherwise. */
static ssize_t rt_limit_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct vcs_class *vc = to_vcs_class(kobj);
	int units = vaal_sched_class_units(vc->name);
	struct vcs_limit_check lc = { .fits = true };
	unsigned int pct;
	int ret = count;

	if (kstrtouint(buf, 10, &pct) || pct > 100)
		return -EINVAL;
	lc.limit = (u64)pct * (VCS_PPM / 100) * max(units, 0);
	mutex_lock(&vcs_mutex);
	vaal_sched_class_call(vc->name, &vcs_policy, vcs_limit_check_fn, &lc);
	if (lc.fits) {
		WRITE_ONCE(vc->rt_limit_ppm, pct * (VCS_PPM / 100));
		vcs_class_apply(vc);
	} else {
		ret = -EBUSY;
	}
	mutex_unlock(&vcs_mutex);
	return ret;
}

static ssize_t units_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int n = vaal_sched_class_units(to_vcs_class(kobj)->name);

	return n < 0 ? n : sysfs_emit(buf, "%d\n", n);
}

static ssize_t partitions_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct vcs_class *vc = to_vcs_class(kobj);
	char name[128];
	unsigned long units;
	unsigned int i;
	int len = 0;

	mutex_lock(&vcs_mutex);
	for (i = 0; i < vc->nr_parts; i++) {
		units = vc->parts[i].units;
		if (!vc->parts[i].cgroup)
			strscpy(name, "-");
		else if (vcs_cgroup_name(vc->parts[i].cgroup, name,
					 sizeof(name)))
			strscpy(name, "(removed)");
		len += sysfs_emit_at(buf, len, "%*pbl %s%s\n", VCS_MAX_UNITS,
				     &units, name,
				     vc->parts[i].exclusive ? " exclusive" : "");
	}
	mutex_unlock(&vcs_mutex);
	return len;
}

/* One line of the partitions file: "UNITS CGROUP [exclusive]". */
static int vcs_part_parse(char *line, struct vcs_part *part, int nr_units)
{
	char *units = strsep(&line, " \t"), *cgroup, *flag;
	unsigned long bits = 0;

	line = skip_spaces(line ?: "");
	cgroup = strsep(&line, " \t");
	flag = strim(line ?: "");
	if (!cgroup || !*cgroup || (*flag && strcmp(flag, "exclusive")))
		return -EINVAL;
	if (bitmap_parselist(units, &bits, VCS_MAX_UNITS) || !bits)
		return -EINVAL;
	if (nr_units < VCS_MAX_UNITS && bits >> nr_units)
		return -ERANGE;
	part->units = bits;
	part->exclusive = *flag;
	part->cgroup = 0;
	if (strcmp(cgroup, "-"))
		return vcs_cgroup_id(cgroup, &part->cgroup);
	return 0;
}

/* Exclusive units belong to one partition only. */
static int vcs_parts_check(const struct vcs_part *parts, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (parts[i].units & parts[j].units &&
			    (parts[i].exclusive || parts[j].exclusive))
				return -EBUSY;
	return 0;
}

static ssize_t partitions_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	struct vcs_class *vc = to_vcs_class(kobj);
	int nr_units = vaal_sched_class_units(vc->name);
	struct vcs_part parts[VCS_MAX_PARTS];
	char *text, *cur, *line;
	unsigned int n = 0;
	int ret = 0;

	if (nr_units < 0)
		return nr_units;
	text = kstrndup(buf, count, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	cur = strim(text);
	/* "none", alone, clears; so does an empty write. */
	if (!strcmp(cur, "none"))
		*cur = 0;
	while (!ret && (line = strsep(&cur, "\n"))) {
		line = strim(line);
		if (!*line)
			continue;
		if (n == VCS_MAX_PARTS)
			ret = -ENOSPC;
		else
			ret = vcs_part_parse(line, &parts[n++], nr_units);
	}
	kfree(text);
	ret = ret ?: vcs_parts_check(parts, n);
	if (ret)
		return ret;
	mutex_lock(&vcs_mutex);
	memcpy(vc->parts, parts, n * sizeof(parts[0]));
	vc->nr_parts = n;
	vcs_class_apply(vc);
	mutex_unlock(&vcs_mutex);
	return count;
}

static struct kobj_attribute vcs_attr_policy = __ATTR_RW(policy);
static struct kobj_attribute vcs_attr_rt_limit = __ATTR_RW(rt_limit);
static struct kobj_attribute vcs_attr_units = __ATTR_RO(units);
static struct kobj_attribute vcs_attr_partitions = __ATTR_RW(partitions);

static struct attribute *vcs_class_attrs[] = {
	&vcs_attr_policy.attr,
	&vcs_attr_rt_limit.attr,
	&vcs_attr_units.attr,
	&vcs_attr_partitions.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vcs_class);

static void vcs_class_kobj_release(struct kobject *kobj)
{
	kfree(to_vcs_class(kobj));
}

static const struct kobj_type vcs_class_ktype = {
	.release	= vcs_class_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= vcs_class_groups,
};

/**
 * vcs_sysfs_add - give a class its directory
 * @vc: the class's settings; on failure, the kobject's release frees them
 *
 * Return: 0 or an errno.
 */
int vcs_sysfs_add(struct vcs_class *vc)
{
	int ret;

	ret = kobject_init_and_add(&vc->kobj, &vcs_class_ktype, vcs_kobj, "%s",
				   vc->name);
	if (ret)
		kobject_put(&vc->kobj);
	else
		vcs_debugfs_add(vc);
	return ret;
}

int vcs_sysfs_init(void)
{
	vcs_kobj = kobject_create_and_add("vcore_sched", kernel_kobj);
	if (!vcs_kobj)
		return -ENOMEM;
	vcs_debugfs_init();
	return 0;
}

/* Module exit: no class uses the policy any more. */
void vcs_sysfs_exit(void)
{
	struct vcs_class *vc, *tmp;

	/* First: its files' readers are done when this returns. */
	vcs_debugfs_exit();
	list_for_each_entry_safe(vc, tmp, &vcs_classes, node) {
		list_del(&vc->node);
		kobject_put(&vc->kobj);
	}
	kobject_put(vcs_kobj);
}
