// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_sched.c - registration of scheduling policy modules
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

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

/* The default policy, or the FIFO; under vdev->sched_lock. */
const struct vaal_sched_policy *vaal_sched_default(struct vaal_device *vdev)
{
	lockdep_assert_held(&vdev->sched_lock);
	return vdev->default_policy ?: &vaal_fifo_policy;
}

/*
 * Move the queued work of @cls from its policy to @to, whose state for the
 * class is @sched, and forget the old policy's words in every context.
 * Return the old state, for the old policy's release.
 */
static void *vaal_class_switch(struct vaal_device *vdev, struct vaal_class *cls,
			       const struct vaal_sched_policy *to, void *sched)
{
	const struct vaal_sched_ops *old = cls->policy->ops;
	void *old_sched = cls->sched;
	struct vaal_work *work, *tmp;
	struct vaal_ctx *ctx;
	LIST_HEAD(moved);
	unsigned int n;

	spin_lock_irq(&cls->lock);
	for (n = 0; n < cls->nr_queued; n++) {
		work = old->pick(old_sched, VAAL_SCHED_DRAIN);
		if (WARN_ON_ONCE(!work))
			break;
		list_add_tail(&work->node, &moved);
	}
	spin_lock(&vdev->ctx_lock);
	list_for_each_entry(ctx, &vdev->contexts, node)
		ctx->sched.priv[cls->id] = NULL;
	spin_unlock(&vdev->ctx_lock);
	cls->policy = to;
	cls->sched = sched;
	list_for_each_entry_safe(work, tmp, &moved, node) {
		list_del_init(&work->node);
		work->item.seq = 0;
		to->ops->enqueue(sched, work);
	}
	spin_unlock_irq(&cls->lock);
	return old_sched;
}

/* Make @to the policy of @cls.  Under vdev->sched_lock; may sleep. */
static int vaal_class_set_policy(struct vaal_device *vdev,
				 struct vaal_class *cls,
				 const struct vaal_sched_policy *to)
{
	const struct vaal_sched_policy *from = cls->policy;
	void *sched;

	lockdep_assert_held(&vdev->sched_lock);
	if (from == to)
		return 0;
	sched = to->ops->init(cls->name, cls->id);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	sched = vaal_class_switch(vdev, cls, to, sched);
	from->ops->release(sched);
	vaal_class_kick(cls);
	pr_info("class %s: scheduling policy %s (was %s)\n", cls->name,
		to->name, from->name);
	return 0;
}

/* Every class; classes are only ever added. */
#define for_each_vaal_class(cls, i)					\
	for ((i) = 0; (i) < VAAL_MAX_CLASSES &&				\
		      ((cls) = vaal_class_at(i)); (i)++)

/**
 * vaal_sched_register - offer a scheduling policy to the core
 * @policy: the policy; @policy->name must be unique and NUL-terminated.
 *	With %VAAL_SCHED_DEFAULT every class, existing or new, uses it (a
 *	class whose switch fails keeps its policy and says so).
 *
 * Return: 0, -EINVAL for a nameless or unterminated name or unknown flags,
 * -EEXIST when a policy of that name is registered already, -EBUSY for a
 * second default.
 */
int vaal_sched_register(struct vaal_sched_policy *policy)
{
	struct vaal_device *vdev = &vaal_dev;
	struct vaal_class *cls;
	unsigned int i;
	int ret = 0;

	if (!policy->name[0] || policy->flags & ~VAAL_SCHED_DEFAULT ||
	    strnlen(policy->name, VAAL_SCHED_NAME_LEN) == VAAL_SCHED_NAME_LEN)
		return -EINVAL;

	mutex_lock(&vdev->sched_lock);
	if (vaal_sched_find(vdev, policy->name)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (policy->flags & VAAL_SCHED_DEFAULT && vdev->default_policy) {
		ret = -EBUSY;
		goto out_unlock;
	}
	list_add_tail(&policy->node, &vdev->policies);
	vdev->nr_policies++;
	pr_info("scheduling policy %s registered\n", policy->name);
	if (!(policy->flags & VAAL_SCHED_DEFAULT))
		goto out_unlock;
	vdev->default_policy = policy;
	for_each_vaal_class(cls, i)
		if (vaal_class_set_policy(vdev, cls, policy))
			pr_warn("class %s keeps policy %s\n", cls->name,
				cls->policy->name);
out_unlock:
	mutex_unlock(&vdev->sched_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vaal_sched_register);

/**
 * vaal_sched_unregister - withdraw a policy registered by vaal_sched_register()
 * @policy: the policy
 *
 * The classes that use it go back to the FIFO, their queued work with
 * them.
 */
void vaal_sched_unregister(struct vaal_sched_policy *policy)
{
	struct vaal_device *vdev = &vaal_dev;
	struct vaal_class *cls;
	unsigned int i;

	mutex_lock(&vdev->sched_lock);
	if (vdev->default_policy == policy)
		vdev->default_policy = NULL;
	/* The FIFO's init cannot fail: it allocates nothing. */
	for_each_vaal_class(cls, i)
		if (cls->policy == policy)
			WARN_ON(vaal_class_set_policy(vdev, cls,
						      &vaal_fifo_policy));
	list_del(&policy->node);
	vdev->nr_policies--;
	mutex_unlock(&vdev->sched_lock);
	pr_info("scheduling policy %s unregistered\n", policy->name);
}
EXPORT_SYMBOL_GPL(vaal_sched_unregister);

/**
 * vaal_sched_set_policy - choose the policy of a class
 * @class: the class's name
 * @policy: a registered policy's name ("fifo" for the built-in one)
 *
 * Return: 0, -ENOENT for an unknown class or policy, or the policy's
 * init error.
 */
int vaal_sched_set_policy(const char *class, const char *policy)
{
	struct vaal_device *vdev = &vaal_dev;
	const struct vaal_sched_policy *to;
	struct vaal_class *cls;
	int ret = -ENOENT;

	mutex_lock(&vdev->sched_lock);
	cls = vaal_class_find(class);
	to = strcmp(policy, vaal_fifo_policy.name) ?
	     vaal_sched_find(vdev, policy) : &vaal_fifo_policy;
	if (cls && to)
		ret = vaal_class_set_policy(vdev, cls, to);
	mutex_unlock(&vdev->sched_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vaal_sched_set_policy);

/**
 * vaal_sched_class_call - change a policy's state of a class under its lock
 * @class: the class's name
 * @policy: the policy the class must be using
 * @fn: called with the class's lock held and interrupts off
 * @arg: passed to @fn, with the policy's state
 *
 * The class's free units then look for work again.
 *
 * Return: 0, -ENOENT for an unknown class, -ESRCH when the class uses
 * another policy.
 */
int vaal_sched_class_call(const char *class,
			  const struct vaal_sched_policy *policy,
			  void (*fn)(void *sched, void *arg), void *arg)
{
	struct vaal_class *cls = vaal_class_find(class);
	int ret = 0;

	if (!cls)
		return -ENOENT;
	spin_lock_irq(&cls->lock);
	if (cls->policy == policy)
		fn(cls->sched, arg);
	else
		ret = -ESRCH;
	spin_unlock_irq(&cls->lock);
	if (!ret)
		vaal_class_kick(cls);
	return ret;
}
EXPORT_SYMBOL_GPL(vaal_sched_class_call);

/**
 * vaal_sched_class_units - how many units a class has
 * @class: the class's name
 *
 * Return: the units of its controllers (numbered from 0 in order of
 * registration; those of controllers going away keep their numbers until
 * they are gone), or -ENOENT.
 */
int vaal_sched_class_units(const char *class)
{
	struct vaal_class *cls = vaal_class_find(class);

	return cls ? READ_ONCE(cls->nr_units) : -ENOENT;
}
EXPORT_SYMBOL_GPL(vaal_sched_class_units);

unsigned int vaal_sched_nr_policies(struct vaal_device *vdev)
{
	unsigned int n;

	mutex_lock(&vdev->sched_lock);
	n = vdev->nr_policies;
	mutex_unlock(&vdev->sched_lock);
	return n;
}

/* A new context: its identity for policies, and its place in the list. */
void vaal_sched_ctx_init(struct vaal_ctx *ctx)
{
	static atomic64_t last_id;

	ctx->sched.id = atomic64_inc_return(&last_id);
	ctx->sched.owner = get_task_pid(current, PIDTYPE_TGID);
	spin_lock(&ctx->vdev->ctx_lock);
	list_add_tail(&ctx->node, &ctx->vdev->contexts);
	spin_unlock(&ctx->vdev->ctx_lock);
}

/* A context is gone, its work with it: the policies forget it. */
void vaal_sched_ctx_exit(struct vaal_ctx *ctx)
{
	const struct vaal_sched_ops *ops;
	struct vaal_class *cls;
	unsigned int i;

	for_each_vaal_class(cls, i) {
		spin_lock_irq(&cls->lock);
		ops = cls->policy->ops;
		if (ops->ctx_exit && ctx->sched.priv[cls->id])
			ops->ctx_exit(cls->sched, &ctx->sched);
		spin_unlock_irq(&cls->lock);
	}
	spin_lock(&ctx->vdev->ctx_lock);
	list_del(&ctx->node);
	spin_unlock(&ctx->vdev->ctx_lock);
	put_pid(ctx->sched.owner);
}

/**
 * vaal_sched_attr_check - is a %VAAL_IOC_SCHED_SET or GET request well
 *	formed?
 * @attr: the kernel's copy of the request
 * @set: SET rather than GET
 *
 * Return: 0 or -EINVAL (then nothing goes back).
 */
int vaal_sched_attr_check(const struct vaal_sched_attr *attr, bool set)
{
	if (attr->size < VAAL_SCHED_ATTR_SIZE_VER0)
		return -EINVAL;
	if (set ? attr->flags & ~VAAL_SCHED_FLAGS_ALL : attr->flags)
		return -EINVAL;
	if (attr->reserved0 || attr->reserved[0] || attr->reserved[1])
		return -EINVAL;
	if (!attr->class[0] ||
	    strnlen(attr->class, sizeof(attr->class)) == sizeof(attr->class))
		return -EINVAL;
	return 0;
}

/**
 * vaal_sched_attr - %VAAL_IOC_SCHED_SET or GET on the kernel's copy of a
 *	request vaal_sched_attr_check() passed
 * @ctx: the context
 * @attr: in: the request; out: the answer, with the reason of a refusal,
 *	size clamped to what this kernel knows
 * @set: SET rather than GET
 *
 * Return: 0 or an errno (see %VAAL_SCHED_OK and the reasons after it).
 */
int vaal_sched_attr(struct vaal_ctx *ctx, struct vaal_sched_attr *attr,
		    bool set)
{
	const struct vaal_sched_ops *ops;
	struct vaal_class *cls;
	int ret;

	attr->size = min_t(u32, attr->size, sizeof(*attr));
	if (set && attr->flags & VAAL_SCHED_RESERVE && attr->budget_ns &&
	    !capable(CAP_SYS_NICE)) {
		attr->reason = VAAL_SCHED_EPERM;
		return -EPERM;
	}
	attr->reason = VAAL_SCHED_ENOCLASS;
	attr->limit_ppm = 0;
	attr->admitted_ppm = 0;
	cls = vaal_class_find(attr->class);
	if (!cls)
		return -ENOENT;
	spin_lock_irq(&cls->lock);
	ops = cls->policy->ops;
	if (ops->attr) {
		attr->reason = VAAL_SCHED_OK;
		ret = ops->attr(cls->sched, &ctx->sched, attr, cls->nr_units,
				set);
	} else {
		attr->reason = VAAL_SCHED_ENOPOLICY;
		ret = -EOPNOTSUPP;
	}
	spin_unlock_irq(&cls->lock);
	if (set && !ret)
		vaal_class_kick(cls);
	return ret;
}

/**
 * vaal_ioc_sched_attr - %VAAL_IOC_SCHED_SET and %VAAL_IOC_SCHED_GET
 * @ctx: the context
 * @uarg: its &struct vaal_sched_attr
 * @set: SET rather than GET
 *
 * The structure comes back on failure too, with the reason of a refusal.
 *
 * Return: 0 or an errno (see %VAAL_SCHED_OK and the reasons after it).
 */
long vaal_ioc_sched_attr(struct vaal_ctx *ctx, void __user *uarg, bool set)
{
	struct vaal_sched_attr attr;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&attr, sizeof(attr), uarg,
			     VAAL_SCHED_ATTR_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_sched_attr_check(&attr, set);
	if (ret)
		return ret;
	ret = vaal_sched_attr(ctx, &attr, set);
	if (copy_to_user(uarg, &attr, attr.size))
		return -EFAULT;
	return ret;
}

/*
 * The built-in policy: ready work runs in the order it became ready, the
 * work of a controller that went away first.  Its queue of each class is
 * static, so that a class can always fall back to it.
 */
static struct list_head vaal_fifo_queues[VAAL_MAX_CLASSES];

static void *vaal_fifo_init(const char *class, unsigned int id)
{
	INIT_LIST_HEAD(&vaal_fifo_queues[id]);
	return &vaal_fifo_queues[id];
}

static void vaal_fifo_release(void *sched)
{
	WARN_ON_ONCE(!list_empty((struct list_head *)sched));
}

static void vaal_fifo_enqueue(void *sched, struct vaal_work *work)
{
	list_add_tail(&work->node, sched);
}

static void vaal_fifo_requeue(void *sched, struct vaal_work *work)
{
	list_add(&work->node, sched);
}

static struct vaal_work *vaal_fifo_pick(void *sched, unsigned int unit)
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
