// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_sched.c - registration of scheduling policy modules
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
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

/*
 * The built-in policy: ready work runs in the order it became ready, the
 * work of a controller that went away first.
 */
static void *vaal_fifo_init(const char *class)
{
	struct list_head *queue = kmalloc(sizeof(*queue), GFP_KERNEL);

	if (!queue)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(queue);
	return queue;
}

static void vaal_fifo_release(void *sched)
{
	WARN_ON_ONCE(!list_empty((struct list_head *)sched));
	kfree(sched);
}

static void vaal_fifo_enqueue(void *sched, struct vaal_work *work)
{
	list_add_tail(&work->node, sched);
}

static void vaal_fifo_requeue(void *sched, struct vaal_work *work)
{
	list_add(&work->node, sched);
}

static struct vaal_work *vaal_fifo_pick(void *sched)
{
	struct vaal_work *work;

	work = list_first_entry_or_null((struct list_head *)sched,
					struct vaal_work, node);
	if (work)
		list_del_init(&work->node);
	return work;
}

static const struct vaal_sched_ops vaal_fifo_ops = {
	.init		= vaal_fifo_init,
	.release	= vaal_fifo_release,
	.enqueue	= vaal_fifo_enqueue,
	.requeue	= vaal_fifo_requeue,
	.pick		= vaal_fifo_pick,
};

struct vaal_sched_policy vaal_fifo_policy = {
	.name	= "fifo",
	.owner	= THIS_MODULE,
	.ops	= &vaal_fifo_ops,
};
