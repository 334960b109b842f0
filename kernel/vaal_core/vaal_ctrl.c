// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ctrl.c - accelerator classes, their controllers, and dispatch
 *
 * Each class keeps the jobs that are ready and waiting for a unit in FIFO
 * order, and hands them to free units of its controllers.  One task at a
 * time hands out a class's work (&vaal_class.dispatching); a task that
 * queues work or frees a unit meanwhile leaves it to that one, which looks
 * again under the lock before it stops.  So a controller may complete
 * work from inside ops->start() without recursion.
 *
 * Lock order: a class's lock, then a context's job_lock (never the other
 * way round); ops->start() is called with neither held, ops->cancel() with
 * the class's lock held.
 *
 * Lifetime of a controller: vaal_controller_unregister() returns, and the
 * controller's memory may be freed (a user-space controller's is, when its
 * file is closed), as soon as its last unit is given back: nr_busy reaches
 * zero under the class's lock.  So a job refers to its controller only
 * while a unit holds it: &vaal_job.ctrl is set when a unit takes the job
 * and cleared, under the class's lock, when the unit gives it back
 * (vaal_work_done(), vaal_work_requeue()).  What is needed of the
 * controller after that - its id, for the completion and the trace - is
 * copied under the same lock.  A job given back without completing
 * (requeued to another controller of the class, or cancelled in the queue)
 * reports controller 0 unless another unit completes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "vaal_internal.h"

#define CREATE_TRACE_POINTS
#include "vaal_trace.h"

unsigned int vaal_default_timeout_ms = 10000;
module_param_named(default_timeout_ms, vaal_default_timeout_ms, uint, 0644);
MODULE_PARM_DESC(default_timeout_ms, "Deadline of a launch on a unit when its kernel sets none, in ms (default 10000)");

DEFINE_MUTEX(vaal_ctrl_mutex);
struct vaal_class *vaal_classes[VAAL_MAX_CLASSES];
static unsigned int vaal_nr_ctrls;
static u32 vaal_last_ctrl_id;

#define VAAL_WATCHDOG_PERIOD	(HZ / 50)

static void vaal_watchdog_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vaal_watchdog, vaal_watchdog_fn);

unsigned int vaal_nr_controllers(void)
{
	return READ_ONCE(vaal_nr_ctrls);
}

/**
 * vaal_class_at - the class at index @i of vaal_classes[], or NULL
 * @i: the index
 *
 * Return: the class, initialized, or NULL.  Classes are only ever added.
 */
struct vaal_class *vaal_class_at(unsigned int i)
{
	/* Pairs with the release that publishes the class: it is whole. */
	return smp_load_acquire(&vaal_classes[i]);
}

/* A class by name; classes are never freed while the module is loaded. */
struct vaal_class *vaal_class_find(const char *name)
{
	struct vaal_class *cls;
	unsigned int i;

	for (i = 0; i < VAAL_MAX_CLASSES; i++) {
		/* Pairs with vaal_class_get(): the class is initialized. */
		cls = smp_load_acquire(&vaal_classes[i]);
		if (!cls)
			break;
		if (!strcmp(cls->name, name))
			return cls;
	}
	return NULL;
}

/* A new class, with the default policy.  Under vdev->sched_lock. */
static struct vaal_class *vaal_class_new(const char *name, unsigned int id)
{
	struct vaal_class *cls = kzalloc(sizeof(*cls), GFP_KERNEL);

	if (!cls)
		return ERR_PTR(-ENOMEM);
	cls->policy = vaal_sched_default(&vaal_dev);
	cls->sched = cls->policy->ops->init(name, id);
	if (IS_ERR(cls->sched)) {
		void *err = cls->sched;

		kfree(cls);
		return err;
	}
	strscpy(cls->name, name, sizeof(cls->name));
	cls->id = id;
	spin_lock_init(&cls->lock);
	INIT_LIST_HEAD(&cls->ctrls);
	return cls;
}

/* A class by name, created if new.  Under vaal_ctrl_mutex. */
static struct vaal_class *vaal_class_get(const char *name)
{
	struct vaal_class *cls = vaal_class_find(name);
	unsigned int i;

	if (cls)
		return cls;
	for (i = 0; i < VAAL_MAX_CLASSES && vaal_classes[i]; i++)
		;
	if (i == VAAL_MAX_CLASSES)
		return ERR_PTR(-ENOSPC);
	/* A default policy registered meanwhile sees the class, or it sees it. */
	mutex_lock(&vaal_dev.sched_lock);
	cls = vaal_class_new(name, i);
	if (!IS_ERR(cls))
		/* Publish it whole: pairs with vaal_class_at()'s acquire. */
		smp_store_release(&vaal_classes[i], cls);
	mutex_unlock(&vaal_dev.sched_lock);
	return cls;
}

/* The class a kernel runs on, once a controller made it known. */
static struct vaal_class *vaal_kernel_class(struct vaal_kernel *k)
{
	struct vaal_class *cls = READ_ONCE(k->cls);

	if (!cls) {
		cls = vaal_class_find(k->class);
		if (cls)
			WRITE_ONCE(k->cls, cls);
	}
	return cls;
}

/*
 * Work for a free unit of a live controller of @cls, as the policy picks
 * it for that unit: the first free unit it picks work for.  Under
 * cls->lock.
 */
static struct vaal_work *vaal_class_pick(struct vaal_class *cls,
					 struct vaal_controller **ctrlp,
					 unsigned int *unitp)
{
	struct vaal_controller *ctrl;
	unsigned int base = 0, i;
	struct vaal_work *work;

	list_for_each_entry(ctrl, &cls->ctrls, node) {
		if (ctrl->dying || ctrl->nr_busy == ctrl->nr_units)
			goto next;
		for (i = 0; i < ctrl->nr_units; i++) {
			if (ctrl->running[i])
				continue;
			work = cls->policy->ops->pick(cls->sched, base + i);
			if (work) {
				*ctrlp = ctrl;
				*unitp = i;
				return work;
			}
		}
next:
		base += ctrl->nr_units;
	}
	return NULL;
}

/* Put @job on @unit of @ctrl.  Under cls->lock. */
static void vaal_unit_take(struct vaal_controller *ctrl, unsigned int unit,
			   struct vaal_job *job)
{
	ctrl->running[unit] = job;
	ctrl->nr_busy++;
	job->ctrl = ctrl;
	job->ctrl_id = 0;
	job->unit = unit;
	job->timed_out = false;
	job->start_ns = ktime_get_ns();
}

/*
 * Take @job off its unit, whose time it held @ns.  Under cls->lock; the
 * controller may be freed once the lock is dropped.
 */
static void vaal_unit_give(struct vaal_controller *ctrl, struct vaal_job *job,
			   u64 ns)
{
	ctrl->running[job->unit] = NULL;
	ctrl->nr_busy--;
	ctrl->busy_ns += ns;
	job->ctrl = NULL;
	if (ctrl->dying)
		wake_up_all(&ctrl->idle);
}

/* Cancel a queued job whose context is gone, without a unit. */
static void vaal_job_cancel_queued(struct vaal_job *job)
{
	LIST_HEAD(dispatch);

	vaal_job_finish(job, -ECANCELED, 0, false, &dispatch);
	vaal_dispatch(&dispatch);
}

/* Hand the class's queued work to free units, unless someone else does. */
void vaal_class_kick(struct vaal_class *cls)
{
	struct vaal_controller *ctrl;
	struct vaal_work *work;
	struct vaal_job *job;
	unsigned long flags;
	unsigned int unit;
	int ret;

	spin_lock_irqsave(&cls->lock, flags);
	if (cls->dispatching)
		goto out_unlock;
	cls->dispatching = true;
	while (cls->nr_queued &&
	       (work = vaal_class_pick(cls, &ctrl, &unit))) {
		job = container_of(work, struct vaal_job, work);
		cls->nr_queued--;
		if (READ_ONCE(job->ctx->dead)) {
			spin_unlock_irqrestore(&cls->lock, flags);
			vaal_job_cancel_queued(job);
			spin_lock_irqsave(&cls->lock, flags);
			continue;
		}
		vaal_unit_take(ctrl, unit, job);
		spin_unlock_irqrestore(&cls->lock, flags);
		trace_vaal_dispatch(cls->name, job->ctx->sched.id, ctrl->id,
				    unit, job->kernel->name);

		schedule_delayed_work(&vaal_watchdog, VAAL_WATCHDOG_PERIOD);
		ret = ctrl->ops->start(ctrl, unit, &job->work);
		if (ret)
			vaal_work_done(&job->work, ret);
		spin_lock_irqsave(&cls->lock, flags);
	}
	cls->dispatching = false;
out_unlock:
	spin_unlock_irqrestore(&cls->lock, flags);
}

/**
 * vaal_dispatch - queue ready jobs on their classes and start what can start
 * @jobs: ready launches, linked by work.node; emptied
 *
 * A launch of a class no controller serves completes with -ENODEV.
 */
void vaal_dispatch(struct list_head *jobs)
{
	struct vaal_class *cls;
	struct vaal_job *job;
	unsigned long flags;
	bool served;

	while (!list_empty(jobs)) {
		job = list_first_entry(jobs, struct vaal_job, work.node);
		list_del_init(&job->work.node);
		if (job->flags & VAAL_JOB_COPY) {
			vaal_job_queue_copy(job);
			continue;
		}
		cls = vaal_kernel_class(job->kernel);
		served = false;
		if (cls) {
			spin_lock_irqsave(&cls->lock, flags);
			served = !list_empty(&cls->ctrls);
			if (served) {
				job->work.item.seq = 0;
				cls->policy->ops->enqueue(cls->sched, &job->work);
				cls->nr_queued++;
			}
			spin_unlock_irqrestore(&cls->lock, flags);
		}
		if (served)
			vaal_class_kick(cls);
		else
			vaal_job_finish(job, -ENODEV, 0, false, jobs);
	}
}

/**
 * vaal_work_done_ns - a controller finished a piece of work, and says how
 *	long it used the device
 * @work: the work, as ops->start() handed it over
 * @status: 0, or a negative errno for user space
 * @device_ns: the time the work used the unit's device, as the controller
 *	measured it: a CPU controller the time its thread ran (not the time
 *	it waited for a CPU), a GPU's the device's own timestamps.  At most
 *	the time the unit held the work; U64_MAX for that time.
 *
 * The context is charged @device_ns, and its completion reports it.
 *
 * May be called from any context, also from inside ops->start(); not with
 * locks held that ops->start() or ops->cancel() take.  The work must not
 * be touched afterwards.
 */
void vaal_work_done_ns(struct vaal_work *work, int status, u64 device_ns)
{
	struct vaal_job *job = container_of(work, struct vaal_job, work);
	struct vaal_controller *ctrl = job->ctrl;
	struct vaal_class *cls = ctrl->cls;
	u64 held = ktime_get_ns() - job->start_ns;
	u64 ns = min(device_ns, held);
	unsigned long flags;
	LIST_HEAD(dispatch);
	bool timed_out;

	if (status > 0 || status < -MAX_ERRNO)
		status = -EIO;
	spin_lock_irqsave(&cls->lock, flags);
	if (WARN_ON_ONCE(ctrl->running[job->unit] != job)) {
		spin_unlock_irqrestore(&cls->lock, flags);
		return;
	}
	if (cls->policy->ops->charge)
		cls->policy->ops->charge(cls->sched, work, ns);
	timed_out = job->timed_out;
	if (!timed_out && status)
		ctrl->failed++;
	else if (!timed_out)
		ctrl->completed++;
	job->ctrl_id = ctrl->id;
	vaal_unit_give(ctrl, job, held);
	spin_unlock_irqrestore(&cls->lock, flags);

	trace_vaal_complete(cls->name, job->ctx->sched.id, job->ctrl_id,
			    job->unit, ns, status);
	vaal_job_unit_done(job, status, ns, timed_out, &dispatch);
	vaal_dispatch(&dispatch);
	vaal_class_kick(cls);
}
EXPORT_SYMBOL_GPL(vaal_work_done_ns);

/**
 * vaal_work_done - a controller finished a piece of work
 * @work: the work, as ops->start() handed it over
 * @status: 0, or a negative errno for user space
 *
 * As vaal_work_done_ns(), the device's time being all the time the unit
 * held the work.
 */
void vaal_work_done(struct vaal_work *work, int status)
{
	vaal_work_done_ns(work, status, U64_MAX);
}
EXPORT_SYMBOL_GPL(vaal_work_done);

/* Is there a live controller of @cls besides @ctrl?  Under cls->lock. */
static bool vaal_class_has_other(struct vaal_class *cls,
				 struct vaal_controller *ctrl)
{
	struct vaal_controller *other;

	list_for_each_entry(other, &cls->ctrls, node)
		if (other != ctrl && !other->dying)
			return true;
	return false;
}

/**
 * vaal_work_requeue - a controller gives work back without running it
 * @work: the work, as ops->start() handed it over
 *
 * The work goes back to the front of its class's queue when another
 * controller serves the class; otherwise it completes with -EIO.  Work
 * that timed out completed already: only its unit is given back.
 */
void vaal_work_requeue(struct vaal_work *work)
{
	struct vaal_job *job = container_of(work, struct vaal_job, work);
	struct vaal_controller *ctrl = job->ctrl;
	struct vaal_class *cls = ctrl->cls;
	u64 ns = ktime_get_ns() - job->start_ns;
	bool timed_out, requeued;
	unsigned long flags;
	LIST_HEAD(dispatch);

	spin_lock_irqsave(&cls->lock, flags);
	timed_out = job->timed_out;
	requeued = !timed_out && vaal_class_has_other(cls, ctrl);
	if (cls->policy->ops->charge)
		cls->policy->ops->charge(cls->sched, work, ns);
	if (requeued) {
		cls->policy->ops->requeue(cls->sched, work);
		cls->nr_queued++;
	} else if (!timed_out) {
		ctrl->failed++;
	}
	vaal_unit_give(ctrl, job, ns);
	spin_unlock_irqrestore(&cls->lock, flags);

	if (!requeued) {
		vaal_job_unit_done(job, -EIO, ns, timed_out, &dispatch);
		vaal_dispatch(&dispatch);
	}
	vaal_class_kick(cls);
}

/**
 * vaal_controller_stop - hand a controller no more work
 * @ctrl: a registered controller, about to be unregistered
 */
void vaal_controller_stop(struct vaal_controller *ctrl)
{
	spin_lock_irq(&ctrl->cls->lock);
	ctrl->dying = true;
	spin_unlock_irq(&ctrl->cls->lock);
}

/* The first job past its deadline on a unit of @cls, marked; or NULL. */
static struct vaal_job *vaal_class_expired(struct vaal_class *cls, u64 now,
					   bool *busy)
{
	struct vaal_controller *ctrl;
	struct vaal_job *job;
	unsigned int i;

	list_for_each_entry(ctrl, &cls->ctrls, node) {
		for (i = 0; i < ctrl->nr_units; i++) {
			job = ctrl->running[i];
			if (!job)
				continue;
			*busy = true;
			if (job->timed_out ||
			    now - job->start_ns <= job->kernel->timeout_ns)
				continue;
			job->timed_out = true;
			job->ctrl_id = ctrl->id;
			ctrl->timed_out++;
			ctrl->failed++;
			if (ctrl->ops->cancel)
				ctrl->ops->cancel(ctrl, i, &job->work);
			return job;
		}
	}
	return NULL;
}

/*
 * Complete work past its deadline with -ETIMEDOUT.  Its unit stays taken
 * until the controller gives it back: a hung unit gets no new work.
 */
static void vaal_watchdog_fn(struct work_struct *work)
{
	struct vaal_class *cls;
	struct vaal_job *job;
	LIST_HEAD(dispatch);
	bool busy = false;
	unsigned int i;

	for (i = 0; i < VAAL_MAX_CLASSES; i++) {
		/* Pairs with vaal_class_get(): the class is initialized. */
		cls = smp_load_acquire(&vaal_classes[i]);
		if (!cls)
			break;
		for (;;) {
			spin_lock_irq(&cls->lock);
			job = vaal_class_expired(cls, ktime_get_ns(), &busy);
			spin_unlock_irq(&cls->lock);
			if (!job)
				break;
			/* Alive: its completion is not posted yet. */
			vaal_job_finish(job, -ETIMEDOUT, job->kernel->timeout_ns,
					true, &dispatch);
			vaal_dispatch(&dispatch);
		}
	}
	if (busy)
		schedule_delayed_work(&vaal_watchdog, VAAL_WATCHDOG_PERIOD);
}

static bool vaal_ctrl_ident(const char *s, size_t len)
{
	size_t n = strnlen(s, len);
	size_t i;

	if (!n || n == len)
		return false;
	for (i = 0; i < n; i++)
		if (!islower(s[i]) && !isdigit(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static int vaal_ctrl_check(const struct vaal_controller *ctrl)
{
	if (!vaal_ctrl_ident(ctrl->name, sizeof(ctrl->name)) ||
	    !vaal_ctrl_ident(ctrl->class, sizeof(ctrl->class)))
		return -EINVAL;
	if (!ctrl->nr_units || ctrl->nr_units > VAAL_MAX_UNITS)
		return -EINVAL;
	if (!ctrl->ops || !ctrl->ops->start)
		return -EINVAL;
	return 0;
}

/* Is a controller of that name registered?  Under vaal_ctrl_mutex. */
static bool vaal_ctrl_exists(const char *name)
{
	struct vaal_controller *ctrl;
	unsigned int i;

	for (i = 0; i < VAAL_MAX_CLASSES && vaal_classes[i]; i++)
		list_for_each_entry(ctrl, &vaal_classes[i]->ctrls, node)
			if (!strcmp(ctrl->name, name))
				return true;
	return false;
}

static int vaal_ctrl_insert(struct vaal_controller *ctrl)
{
	struct vaal_class *cls;
	int ret;

	if (vaal_ctrl_exists(ctrl->name))
		return -EEXIST;
	cls = vaal_class_get(ctrl->class);
	if (IS_ERR(cls))
		return PTR_ERR(cls);
	ctrl->cls = cls;
	ctrl->id = ++vaal_last_ctrl_id;
	ret = vaal_sysfs_add_ctrl(ctrl);
	if (ret)
		return ret;
	spin_lock_irq(&cls->lock);
	list_add_tail(&ctrl->node, &cls->ctrls);
	cls->nr_units += ctrl->nr_units;
	spin_unlock_irq(&cls->lock);
	vaal_nr_ctrls++;
	return 0;
}

/**
 * vaal_controller_register - offer a class's units to vaal_core
 * @ctrl: the controller, with @name, @class, @nr_units, @ops and @owner
 *	set; it must stay registered until vaal_controller_unregister()
 *
 * Return: 0, -EINVAL for a malformed controller, -EEXIST when the name is
 * taken, -ENOSPC when %VAAL_MAX_CLASSES classes exist already, -ENOMEM.
 */
int vaal_controller_register(struct vaal_controller *ctrl)
{
	int ret;

	ret = vaal_ctrl_check(ctrl);
	if (ret)
		return ret;
	ctrl->running = kcalloc(ctrl->nr_units, sizeof(*ctrl->running),
				GFP_KERNEL);
	if (!ctrl->running)
		return -ENOMEM;
	ctrl->nr_busy = 0;
	ctrl->dying = false;
	init_waitqueue_head(&ctrl->idle);
	ctrl->completed = 0;
	ctrl->failed = 0;
	ctrl->timed_out = 0;
	ctrl->busy_ns = 0;

	mutex_lock(&vaal_ctrl_mutex);
	ret = vaal_ctrl_insert(ctrl);
	mutex_unlock(&vaal_ctrl_mutex);
	if (ret) {
		kfree(ctrl->running);
		return ret;
	}
	pr_info("controller %s: class %s, %u units\n", ctrl->name, ctrl->class,
		ctrl->nr_units);
	vaal_class_kick(ctrl->cls);
	return 0;
}
EXPORT_SYMBOL_GPL(vaal_controller_register);

/* Ask the controller to stop, and wait until it gave every unit back. */
static void vaal_ctrl_drain(struct vaal_controller *ctrl)
{
	struct vaal_class *cls = ctrl->cls;
	unsigned int i;

	spin_lock_irq(&cls->lock);
	ctrl->dying = true;
	for (i = 0; i < ctrl->nr_units; i++)
		if (ctrl->running[i] && ctrl->ops->cancel)
			ctrl->ops->cancel(ctrl, i, &ctrl->running[i]->work);
	spin_unlock_irq(&cls->lock);
	wait_event(ctrl->idle, !READ_ONCE(ctrl->nr_busy));
}

/**
 * vaal_controller_unregister - take a controller away
 * @ctrl: a registered controller
 *
 * Waits until the controller completed all the work it holds (it is asked
 * to hurry through ops->cancel()).  When it was the last of its class, the
 * work queued for the class fails with -EIO.  May sleep.
 */
void vaal_controller_unregister(struct vaal_controller *ctrl)
{
	struct vaal_class *cls = ctrl->cls;
	struct vaal_job *job, *tmp;
	struct vaal_work *work;
	LIST_HEAD(dispatch);
	LIST_HEAD(orphans);

	mutex_lock(&vaal_ctrl_mutex);
	vaal_ctrl_drain(ctrl);
	spin_lock_irq(&cls->lock);
	list_del(&ctrl->node);
	cls->nr_units -= ctrl->nr_units;
	if (list_empty(&cls->ctrls)) {
		while ((work = cls->policy->ops->pick(cls->sched,
						      VAAL_SCHED_DRAIN)))
			list_add_tail(&work->node, &orphans);
		cls->nr_queued = 0;
	}
	spin_unlock_irq(&cls->lock);
	vaal_nr_ctrls--;
	vaal_sysfs_del_ctrl(ctrl);
	mutex_unlock(&vaal_ctrl_mutex);

	list_for_each_entry_safe(job, tmp, &orphans, work.node) {
		list_del_init(&job->work.node);
		vaal_job_finish(job, -EIO, 0, false, &dispatch);
	}
	vaal_dispatch(&dispatch);
	kfree(ctrl->running);
	ctrl->running = NULL;
	pr_info("controller %s: unregistered\n", ctrl->name);
}
EXPORT_SYMBOL_GPL(vaal_controller_unregister);

/* Fill up to @room entries of @info; return how many controllers exist. */
static unsigned int vaal_ctrl_list(struct vaal_controller_info *info,
				   unsigned int room)
{
	struct vaal_controller *ctrl;
	unsigned int i, n = 0;

	mutex_lock(&vaal_ctrl_mutex);
	for (i = 0; i < VAAL_MAX_CLASSES && vaal_classes[i]; i++) {
		list_for_each_entry(ctrl, &vaal_classes[i]->ctrls, node) {
			if (n < room) {
				info[n].id = ctrl->id;
				info[n].nr_units = ctrl->nr_units;
				memcpy(info[n].name, ctrl->name, sizeof(info[n].name));
				memcpy(info[n].class, ctrl->class,
				       sizeof(info[n].class));
			}
			n++;
		}
	}
	mutex_unlock(&vaal_ctrl_mutex);
	return n;
}

/* Entry @i of a QUERY_CONTROLLERS answer at @dst, zero padded. */
static int vaal_ctrl_info_put(sockptr_t dst, unsigned int i, u32 entry_size,
			      const struct vaal_controller_info *info)
{
	size_t off = (size_t)i * entry_size, pad = entry_size - sizeof(*info);

	if (copy_to_sockptr_offset(dst, off, info, sizeof(*info)))
		return -EFAULT;
	off += sizeof(*info);
	if (sockptr_is_kernel(dst))
		memset(dst.kernel + off, 0, pad);
	else if (clear_user(dst.user + off, pad))
		return -EFAULT;
	return 0;
}

/**
 * vaal_query_controllers - %VAAL_IOC_QUERY_CONTROLLERS on the kernel's
 *	copy of its argument
 * @q: in: size, flags, entry_size and count; out: count
 * @info: where the entries go, user or kernel memory: room for @q->count
 *	of @q->entry_size bytes
 *
 * Return: 0, -EINVAL, -ENOMEM or -EFAULT.
 */
int vaal_query_controllers(struct vaal_query_controllers *q, sockptr_t info)
{
	struct vaal_controller_info *snap;
	unsigned int room, n, i;
	int ret = 0;

	if (q->size < VAAL_QUERY_CONTROLLERS_SIZE_VER0 || q->flags ||
	    memchr_inv(q->reserved, 0, sizeof(q->reserved)) ||
	    q->entry_size < VAAL_CONTROLLER_INFO_SIZE_VER0 ||
	    (q->count && sockptr_is_null(info)))
		return -EINVAL;
	/* Never more than can exist: the copy is bounded whatever @count. */
	room = min(q->count, VAAL_MAX_CLASSES * 64U);
	snap = kcalloc(room, sizeof(*snap), GFP_KERNEL);
	if (room && !snap)
		return -ENOMEM;
	n = vaal_ctrl_list(snap, room);
	for (i = 0; i < min(n, room) && !ret; i++)
		ret = vaal_ctrl_info_put(info, i, q->entry_size, &snap[i]);
	kfree(snap);
	if (!ret)
		q->count = n;
	return ret;
}

long vaal_ioc_query_controllers(void __user *uarg)
{
	struct vaal_query_controllers req;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg,
			     VAAL_QUERY_CONTROLLERS_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_query_controllers(&req,
				     USER_SOCKPTR(u64_to_user_ptr(req.addr)));
	if (!ret && put_user(req.count, (u32 __user *)(uarg +
			     offsetof(typeof(req), count))))
		ret = -EFAULT;
	return ret;
}

/* Module exit: no controller is left (each module pins vaal_core). */
void vaal_ctrl_exit(void)
{
	unsigned int i;

	cancel_delayed_work_sync(&vaal_watchdog);
	for (i = 0; i < VAAL_MAX_CLASSES && vaal_classes[i]; i++) {
		vaal_classes[i]->policy->ops->release(vaal_classes[i]->sched);
		kfree(vaal_classes[i]);
		vaal_classes[i] = NULL;
	}
}

static struct vaal_job *vaal_work_job(const struct vaal_work *work)
{
	return container_of(work, struct vaal_job, work);
}

/**
 * vaal_work_sched_ctx - whose work it is, for scheduling policies
 * @work: the work
 *
 * Return: the context, as policies see it; valid while the work is.
 */
struct vaal_sched_ctx *vaal_work_sched_ctx(const struct vaal_work *work)
{
	return &vaal_work_job(work)->ctx->sched;
}
EXPORT_SYMBOL_GPL(vaal_work_sched_ctx);

/**
 * vaal_work_name - the name of the kernel a work launches
 * @work: the work
 *
 * Return: the NUL-terminated name, as registered.
 */
const char *vaal_work_name(const struct vaal_work *work)
{
	return vaal_work_job(work)->kernel->name;
}
EXPORT_SYMBOL_GPL(vaal_work_name);

/**
 * vaal_work_blob - the code blob registered with the kernel
 * @work: the work
 * @len: its length, 0 for none
 *
 * Return: the blob, or NULL.
 */
const void *vaal_work_blob(const struct vaal_work *work, u32 *len)
{
	const struct vaal_kernel *k = vaal_work_job(work)->kernel;

	*len = k->blob_len;
	return k->blob;
}
EXPORT_SYMBOL_GPL(vaal_work_blob);

/**
 * vaal_work_nr_args - buffer arguments of a work
 * @work: the work
 *
 * Return: as many as its kernel's signature has.
 */
unsigned int vaal_work_nr_args(const struct vaal_work *work)
{
	return vaal_work_job(work)->kernel->nr_args;
}
EXPORT_SYMBOL_GPL(vaal_work_nr_args);

/**
 * vaal_work_arg - a buffer argument, mapped in the kernel
 * @work: the work
 * @i: the argument, below vaal_work_nr_args()
 * @len: bytes of the argument's range
 *
 * Return: the kernel address of the first byte of the range.
 */
void *vaal_work_arg(const struct vaal_work *work, unsigned int i, u64 *len)
{
	const struct vaal_job *job = vaal_work_job(work);
	const struct vaal_hz_access *a = &job->acc[i];

	*len = a->end - a->start;
	return container_of(a->buf, struct vaal_buf, hz)->vaddr + a->start;
}
EXPORT_SYMBOL_GPL(vaal_work_arg);

/**
 * vaal_work_arg_pages - a buffer argument as pages, for scatterlists
 * @work: the work
 * @i: the argument, below vaal_work_nr_args()
 * @offset: byte offset of the range from the start of the first page
 * @len: bytes of the range
 *
 * Return: the buffer's page array; the range starts at @offset in it.
 */
struct page **vaal_work_arg_pages(const struct vaal_work *work, unsigned int i,
				  u64 *offset, u64 *len)
{
	const struct vaal_hz_access *a = &vaal_work_job(work)->acc[i];

	*offset = a->start;
	*len = a->end - a->start;
	return container_of(a->buf, struct vaal_buf, hz)->pages;
}
EXPORT_SYMBOL_GPL(vaal_work_arg_pages);

/**
 * vaal_work_arg_mode - how a buffer argument is accessed
 * @work: the work
 * @i: the argument, below vaal_work_nr_args()
 *
 * Return: %VAAL_ARG_IN, %VAAL_ARG_OUT or %VAAL_ARG_INOUT.
 */
u8 vaal_work_arg_mode(const struct vaal_work *work, unsigned int i)
{
	return vaal_work_job(work)->kernel->arg_mode[i];
}
EXPORT_SYMBOL_GPL(vaal_work_arg_mode);

/**
 * vaal_work_scalars - the scalar arguments of a work
 * @work: the work
 * @len: their bytes, as the kernel's signature has
 *
 * Return: the bytes, 8-byte aligned.
 */
const void *vaal_work_scalars(const struct vaal_work *work, u32 *len)
{
	const struct vaal_job *job = vaal_work_job(work);

	*len = job->kernel->scalar_bytes;
	return vaal_job_scalars(job, job->kernel->nr_args);
}
EXPORT_SYMBOL_GPL(vaal_work_scalars);
