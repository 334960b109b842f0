// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_worker.c - threads of a context's process that run controllers'
 * work for it
 *
 * A controller whose units are host CPUs (vaal_cpu) does not run a
 * context's kernels in threads of its own: it hands them, with
 * vaal_work_run_in_owner(), to one of the context's workers - vhost_tasks
 * made by the process when it sets the context's rings up, threads of that
 * process the way vhost's workers are threads of QEMU - so that CFS
 * charges the CPU time to the process's cgroup, and vcore_sched's shares
 * of device time and the CPU shares of cpu.weight agree.  The unit stays
 * held until the work is done, so units still bound how much runs at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sched/vhost_task.h>	/* after linux/types.h: it needs bool */

#include "vaal_internal.h"

unsigned int vaal_owner_workers = 2;

static int vaal_owner_workers_set(const char *val,
				  const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, VAAL_MAX_WORKERS);
}

static const struct kernel_param_ops vaal_owner_workers_ops = {
	.set = vaal_owner_workers_set,
	.get = param_get_uint,
};

module_param_cb(owner_workers, &vaal_owner_workers_ops, &vaal_owner_workers,
		0644);
MODULE_PARM_DESC(owner_workers,
		 "Threads a context's process gets at ring setup to run CPU controllers' work for it, 0 to 8 (default 2; 0: the controllers' own threads run it)");

/* The next piece of work waiting for a worker, or NULL. */
static struct vaal_work *vaal_worker_take(struct vaal_ctx *ctx)
{
	struct vaal_work *work;

	spin_lock_irq(&ctx->work_lock);
	work = list_first_entry_or_null(&ctx->works, struct vaal_work, node);
	if (work)
		list_del_init(&work->node);
	spin_unlock_irq(&ctx->work_lock);
	return work;
}

static void vaal_worker_run(struct vaal_work *work)
{
	struct vaal_job *job = container_of(work, struct vaal_job, work);

	job->ctrl->ops->run(job->ctrl, job->unit, work);
}

/* vhost_task's loop calls it in TASK_INTERRUPTIBLE: false to sleep. */
static bool vaal_worker_fn(void *data)
{
	struct vaal_work *work = vaal_worker_take(data);

	if (!work)
		return false;
	__set_current_state(TASK_RUNNING);
	vaal_worker_run(work);
	cond_resched();
	return true;
}

/* Take no more work, and run what waits in the calling thread. */
static void vaal_workers_drain(struct vaal_ctx *ctx)
{
	struct vaal_work *work;

	spin_lock_irq(&ctx->work_lock);
	ctx->workers_dead = true;
	spin_unlock_irq(&ctx->work_lock);
	while ((work = vaal_worker_take(ctx)))
		vaal_worker_run(work);
}

/* Killed with its process: what waits runs here, nothing more comes. */
static void vaal_worker_killed(void *data)
{
	vaal_workers_drain(data);
}

void vaal_workers_init(struct vaal_ctx *ctx)
{
	spin_lock_init(&ctx->work_lock);
	INIT_LIST_HEAD(&ctx->works);
}

/**
 * vaal_workers_create - the context's workers, in the calling process
 * @ctx: the context, being set up by its process
 *
 * Return: 0 or a negative errno; the workers made so far then stay.
 */
int vaal_workers_create(struct vaal_ctx *ctx)
{
	unsigned int n = READ_ONCE(vaal_owner_workers);
	char name[32];	/* the comm keeps TASK_COMM_LEN of it */
	struct vhost_task *t;

	while (ctx->nr_workers < n) {
		snprintf(name, sizeof(name), "vaal-w%u-%d", ctx->nr_workers,
			 task_pid_nr(current));
		t = vhost_task_create(vaal_worker_fn, vaal_worker_killed, ctx,
				      name);
		if (IS_ERR(t))
			return PTR_ERR(t);
		vhost_task_start(t);
		ctx->workers[ctx->nr_workers++] = t;
	}
	return 0;
}

/**
 * vaal_workers_stop - stop the context's workers
 * @ctx: the context, its file closing
 *
 * Work they hold finishes first; work still waiting runs in the caller.
 */
void vaal_workers_stop(struct vaal_ctx *ctx)
{
	unsigned int i;

	spin_lock_irq(&ctx->work_lock);
	ctx->workers_dead = true;
	spin_unlock_irq(&ctx->work_lock);
	for (i = 0; i < ctx->nr_workers; i++)
		vhost_task_stop(ctx->workers[i]);
	ctx->nr_workers = 0;
	vaal_workers_drain(ctx);
}

/**
 * vaal_work_run_in_owner - run work in a thread of its context's process
 * @work: work a unit of the calling controller holds (after ops->start());
 *	the controller must have ops->run
 *
 * One of the context's workers calls ops->run() for it.  Any context.
 *
 * Return: 0, or -ESRCH when the context has no workers (set up before,
 * without them, or going away): the controller runs the work itself.
 */
int vaal_work_run_in_owner(struct vaal_work *work)
{
	struct vaal_job *job = container_of(work, struct vaal_job, work);
	struct vaal_ctx *ctx = job->ctx;
	struct vhost_task *t = NULL;
	unsigned long flags;

	if (WARN_ON_ONCE(!job->ctrl->ops->run))
		return -EINVAL;
	spin_lock_irqsave(&ctx->work_lock, flags);
	if (ctx->nr_workers && !ctx->workers_dead) {
		list_add_tail(&work->node, &ctx->works);
		t = ctx->workers[ctx->next_worker++ % ctx->nr_workers];
		/* Under the lock: the workers are not stopped meanwhile. */
		vhost_task_wake(t);
	}
	spin_unlock_irqrestore(&ctx->work_lock, flags);
	return t ? 0 : -ESRCH;
}
EXPORT_SYMBOL_GPL(vaal_work_run_in_owner);
