// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_sched.c - registration of scheduling policy modules
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>

#include "vaal_internal.h"

static struct vaal_sched_policy *vaal_sched_find(struct vaal_device *vdev,
						 const char *name)
{
	struct vaal_sched_policy *p;

	lockdep_assert_held(&vdev->sched_lock);
	list_for_each_entry(p, &vdev->policies, node)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/**
 * vaal_sched_register - offer a scheduling policy to the core
 * @policy: the policy; @policy->name must be unique and NUL-terminated
 *
 * Return: 0, -EINVAL for a nameless or unterminated name, -EEXIST when a
 * policy of that name is registered already.
 */
int vaal_sched_register(struct vaal_sched_policy *policy)
{
	struct vaal_device *vdev = &vaal_dev;
	int ret = 0;

	if (!policy->name[0] ||
	    strnlen(policy->name, VAAL_SCHED_NAME_LEN) == VAAL_SCHED_NAME_LEN)
		return -EINVAL;

	mutex_lock(&vdev->sched_lock);
	if (vaal_sched_find(vdev, policy->name)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	list_add_tail(&policy->node, &vdev->policies);
	vdev->nr_policies++;
	pr_info("scheduling policy %s registered\n", policy->name);
out_unlock:
	mutex_unlock(&vdev->sched_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vaal_sched_register);

/**
 * vaal_sched_unregister - withdraw a policy registered by vaal_sched_register()
 * @policy: the policy
 */
void vaal_sched_unregister(struct vaal_sched_policy *policy)
{
	struct vaal_device *vdev = &vaal_dev;

	mutex_lock(&vdev->sched_lock);
	list_del(&policy->node);
	vdev->nr_policies--;
	mutex_unlock(&vdev->sched_lock);
	pr_info("scheduling policy %s unregistered\n", policy->name);
}
EXPORT_SYMBOL_GPL(vaal_sched_unregister);

unsigned int vaal_sched_nr_policies(struct vaal_device *vdev)
{
	unsigned int n;

	mutex_lock(&vdev->sched_lock);
	n = vdev->nr_policies;
	mutex_unlock(&vdev->sched_lock);
	return n;
}
