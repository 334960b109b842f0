// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_sysfs.c - the controllers in sysfs
 *
 * /sys/class/misc/vaal/controllers/<name>/ holds one value per file:
 * class, units, busy (units taken now), queued (work of the class waiting
 * for a unit), completed, failed, timed_out, busy_ns and utilization (per
 * mille of the units' time taken since the controller registered).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/math64.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>

#include "vaal_internal.h"

static struct kobject *vaal_ctrls_kobj;

/**
 * struct vaal_ctrl_snap - a controller's figures, read at one instant
 * @busy: units taken
 * @queued: work of its class waiting for a unit
 * @completed: launches completed with 0
 * @failed: launches completed with an error
 * @timed_out: launches past their deadline
 * @busy_ns: unit time taken
 */
struct vaal_ctrl_snap {
	unsigned int busy;
	unsigned int queued;
	u64 completed;
	u64 failed;
	u64 timed_out;
	u64 busy_ns;
};

static void vaal_ctrl_snap(struct vaal_controller *ctrl,
			   struct vaal_ctrl_snap *s)
{
	struct vaal_class *cls = ctrl->cls;

	spin_lock_irq(&cls->lock);
	s->busy = ctrl->nr_busy;
	s->queued = cls->nr_queued;
	s->completed = ctrl->completed;
	s->failed = ctrl->failed;
	s->timed_out = ctrl->timed_out;
	s->busy_ns = ctrl->busy_ns;
	spin_unlock_irq(&cls->lock);
}

static struct vaal_controller *vaal_kobj_ctrl(struct kobject *kobj)
{
	return container_of(kobj, struct vaal_controller, kobj);
}

#define VAAL_CTRL_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct vaal_controller *ctrl = vaal_kobj_ctrl(kobj);		\
	struct vaal_ctrl_snap s;					\
									\
	vaal_ctrl_snap(ctrl, &s);					\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static struct kobj_attribute vaal_attr_##_name = __ATTR_RO(_name)

VAAL_CTRL_ATTR(class, "%s", ctrl->class);
VAAL_CTRL_ATTR(id, "%u", ctrl->id);
VAAL_CTRL_ATTR(units, "%u", ctrl->nr_units);
VAAL_CTRL_ATTR(busy, "%u", s.busy);
VAAL_CTRL_ATTR(queued, "%u", s.queued);
VAAL_CTRL_ATTR(completed, "%llu", s.completed);
VAAL_CTRL_ATTR(failed, "%llu", s.failed);
VAAL_CTRL_ATTR(timed_out, "%llu", s.timed_out);
VAAL_CTRL_ATTR(busy_ns, "%llu", s.busy_ns);

static ssize_t utilization_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct vaal_controller *ctrl = vaal_kobj_ctrl(kobj);
	u64 span = ktime_get_ns() - ctrl->registered_ns;
	struct vaal_ctrl_snap s;

	vaal_ctrl_snap(ctrl, &s);
	span *= ctrl->nr_units;
	return sysfs_emit(buf, "%llu\n",
			  span ? div64_u64(min(s.busy_ns, span) * 1000, span) : 0);
}
static struct kobj_attribute vaal_attr_utilization = __ATTR_RO(utilization);

static struct attribute *vaal_ctrl_attrs[] = {
	&vaal_attr_class.attr,
	&vaal_attr_id.attr,
	&vaal_attr_units.attr,
	&vaal_attr_busy.attr,
	&vaal_attr_queued.attr,
	&vaal_attr_completed.attr,
	&vaal_attr_failed.attr,
	&vaal_attr_timed_out.attr,
	&vaal_attr_busy_ns.attr,
	&vaal_attr_utilization.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vaal_ctrl);

static void vaal_ctrl_kobj_release(struct kobject *kobj)
{
	complete(&vaal_kobj_ctrl(kobj)->kobj_gone);
}

static const struct kobj_type vaal_ctrl_ktype = {
	.release	= vaal_ctrl_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= vaal_ctrl_groups,
};

int vaal_sysfs_add_ctrl(struct vaal_controller *ctrl)
{
	int ret;

	ctrl->registered_ns = ktime_get_ns();
	init_completion(&ctrl->kobj_gone);
	memset(&ctrl->kobj, 0, sizeof(ctrl->kobj));
	ret = kobject_init_and_add(&ctrl->kobj, &vaal_ctrl_ktype,
				   vaal_ctrls_kobj, "%s", ctrl->name);
	if (ret) {
		kobject_put(&ctrl->kobj);
		wait_for_completion(&ctrl->kobj_gone);
	}
	return ret;
}

/* The controller's memory may go once this returns. */
void vaal_sysfs_del_ctrl(struct vaal_controller *ctrl)
{
	kobject_del(&ctrl->kobj);
	kobject_put(&ctrl->kobj);
	wait_for_completion(&ctrl->kobj_gone);
}

int vaal_sysfs_init(struct vaal_device *vdev)
{
	vaal_ctrls_kobj = kobject_create_and_add("controllers",
						 &vdev->misc.this_device->kobj);
	return vaal_ctrls_kobj ? 0 : -ENOMEM;
}

void vaal_sysfs_exit(void)
{
	kobject_put(vaal_ctrls_kobj);
}
