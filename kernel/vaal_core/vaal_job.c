// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_job.c - a job's life after submission: through the scoreboard to
 * its completion
 *
 * Everything here runs under the context's job_lock, taken with interrupts
 * off because controllers report completions from any context.  Work that
 * may sleep (dropping the last reference to a buffer unmaps it) happens
 * after the lock is dropped, and is deferred to a work item when the
 * caller cannot sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "vaal_internal.h"


static void vaal_job_stats(struct vaal_ctx *ctx, struct vaal_job *job,
			   u64 device_ns)
{
	struct vaal_class *cls = job->kernel ? READ_ONCE(job->kernel->cls) : NULL;

	if (!cls)
		return;
	ctx->stats[cls->id].completed++;
	ctx->stats[cls->id].device_ns += device_ns;
}


/* @job completed with @res: release its dependents, post its completion. */
static void __vaal_job_finish(struct vaal_ctx *ctx, struct vaal_job *job,
			      int res, u64 device_ns, struct list_head *free)
{
	struct vaal_cqe cqe = {
		.user_data	= job->user_data,
		.res		= res,
		.device_ns	= device_ns,
		.controller	= job->ctrl_id,
	};

	vaal_hz_complete(&ctx->hz, &job->hz, res);
	vaal_job_stats(ctx, job, device_ns);
	/* Renamed: it retires when its output is in the buffer. */
	if (job->flags & VAAL_JOB_RENAMED) {
		job->ovf.cqe = cqe;
		return;
	}
	vaal_job_retire(ctx, job, &cqe, free);
}

/* A copy back is done: release what waits for it; it has no completion. */
static void vaal_copy_finish(struct vaal_ctx *ctx, struct vaal_job *job,
			     int res, struct list_head *free)
{
	struct vaal_job *launch = job->work.priv;
	struct vaal_cqe cqe;

	vaal_hz_complete(&ctx->hz, &job->hz, res);
	list_add_tail(&job->work.node, free);
	/* The launch's output is in the buffer (or never will be). */
	cqe = launch->ovf.cqe;
	vaal_job_retire(ctx, launch, &cqe, free);
}

/*
 * Take the jobs the scoreboard released: those that need no unit complete
 * at once (which may release more), the others go to @dispatch.
 */
static void vaal_ctx_drain(struct vaal_ctx *ctx, struct list_head *dispatch,
			   struct list_head *free)
{
	struct vaal_hz_job *hj;
	struct vaal_job *job;

	while ((hj = vaal_hz_pop_ready(&ctx->hz))) {
		job = container_of(hj, struct vaal_job, hz);
		if ((job->kernel || job->flags & VAAL_JOB_COPY) &&
		    !hj->status && !ctx->dead) {
			list_add_tail(&job->work.node, dispatch);
			continue;
		}
		if (job->flags & VAAL_JOB_COPY) {
			/* What it was to copy was never written. */
			vaal_copy_finish(ctx, job, hj->status ?: -ECANCELED, free);
			continue;
		}
		/* It completes here: no unit will hold it. */
		job->holds &= ~VAAL_JOB_HOLD_UNIT;
		if (hj->status)
			__vaal_job_finish(ctx, job, hj->status, 0, free);
		else if (!job->kernel)
			__vaal_job_finish(ctx, job, job->res, 0, free);
		else
			__vaal_job_finish(ctx, job, -ECANCELED, 0, free);
	}
}

/* Drop job_lock, then wake waiters and free what the locked section let go. */
static void vaal_ctx_unlock(struct vaal_ctx *ctx, unsigned long flags,
			    struct list_head *free)
	__releases(&ctx->job_lock)
{
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	vaal_cq_wake(ctx);
	vaal_jobs_release(free, vaal_may_sleep());
}

/**
 * vaal_job_submit - enter a job into its context's scoreboard
 * @ctx: the context, which has room for one more job in flight
 * @job: the job, built from its submission
 * @dispatch: jobs that became ready for a unit are added here
 */
void vaal_job_submit(struct vaal_ctx *ctx, struct vaal_job *job,
		     struct list_head *dispatch)
{
	unsigned long flags;
	LIST_HEAD(free);

	spin_lock_irqsave(&ctx->job_lock, flags);
	ctx->nr_inflight++;
	ctx->submitted++;
	/* Cannot fail: the reorder buffer has room for max_inflight. */
	if (ctx->ordered)
		WARN_ON_ONCE(vaal_rob_reserve(&ctx->rob, &job->seq));
	vaal_hz_submit(&ctx->hz, &job->hz);
	vaal_ctx_drain(ctx, dispatch, &free);
	vaal_ctx_unlock(ctx, flags, &free);
}

/**
 * vaal_job_finish - complete a launch without its unit's word
 * @job: the job
 * @res: its result
 * @device_ns: device time to report
 * @on_unit: a unit holds the job (it timed out), and keeps it until the
 *	controller gives it back; otherwise no unit ever took it
 * @dispatch: jobs that became ready for a unit are added here
 */
void vaal_job_finish(struct vaal_job *job, int res, u64 device_ns,
		     bool on_unit, struct list_head *dispatch)
{
	struct vaal_ctx *ctx = job->ctx;
	unsigned long flags;
	LIST_HEAD(free);

	spin_lock_irqsave(&ctx->job_lock, flags);
	if (!on_unit)
		job->holds &= ~VAAL_JOB_HOLD_UNIT;
	__vaal_job_finish(ctx, job, res, device_ns, &free);
	vaal_ctx_drain(ctx, dispatch, &free);
	vaal_ctx_unlock(ctx, flags, &free);
}

/**
 * vaal_job_unit_done - a unit gave a job back
 * @job: the job
 * @res: its result
 * @device_ns: time it held the unit
 * @timed_out: the job ran past its deadline: it completes (or completed)
 *	with -ETIMEDOUT through vaal_job_finish(), only its memory is left
 * @dispatch: jobs that became ready for a unit are added here
 */
void vaal_job_unit_done(struct vaal_job *job, int res, u64 device_ns,
			bool timed_out, struct list_head *dispatch)
{
	struct vaal_ctx *ctx = job->ctx;
	unsigned long flags;
	LIST_HEAD(free);

	spin_lock_irqsave(&ctx->job_lock, flags);
	job->holds &= ~VAAL_JOB_HOLD_UNIT;
	if (timed_out) {
		if (!job->holds)
			list_add_tail(&job->work.node, &free);
	} else {
		__vaal_job_finish(ctx, job, res, device_ns, &free);
		vaal_ctx_drain(ctx, dispatch, &free);
	}
	vaal_ctx_unlock(ctx, flags, &free);
}


static LIST_HEAD(vaal_copy_list);
static DEFINE_SPINLOCK(vaal_copy_lock);

/* Copy each ready version into its buffer, in a worker: it may be large. */
static void vaal_copy_workfn(struct work_struct *work)
{
	struct vaal_buf *src, *dst;
	struct vaal_job *job, *tmp;
	LIST_HEAD(dispatch);
	struct vaal_ctx *ctx;
	unsigned long flags;
	LIST_HEAD(list);
	LIST_HEAD(free);

	spin_lock_irq(&vaal_copy_lock);
	list_splice_init(&vaal_copy_list, &list);
	spin_unlock_irq(&vaal_copy_lock);
	list_for_each_entry_safe(job, tmp, &list, work.node) {
		list_del_init(&job->work.node);
		src = container_of(job->acc[0].buf, struct vaal_buf, hz);
		dst = container_of(job->acc[1].buf, struct vaal_buf, hz);
		memcpy(dst->vaddr + job->acc[1].start,
		       src->vaddr + job->acc[0].start,
		       job->acc[1].end - job->acc[1].start);
		cond_resched();
		ctx = job->ctx;
		spin_lock_irqsave(&ctx->job_lock, flags);
		vaal_copy_finish(ctx, job, 0, &free);
		vaal_ctx_drain(ctx, &dispatch, &free);
		vaal_ctx_unlock(ctx, flags, &free);
		vaal_dispatch(&dispatch);
	}
}

static DECLARE_WORK(vaal_copy_work, vaal_copy_workfn);

/**
 * vaal_job_queue_copy - a copy back is ready: have a worker run it
 * @job: the copy job, ready
 */
void vaal_job_queue_copy(struct vaal_job *job)
{
	unsigned long flags;

	spin_lock_irqsave(&vaal_copy_lock, flags);
	list_add_tail(&job->work.node, &vaal_copy_list);
	spin_unlock_irqrestore(&vaal_copy_lock, flags);
	queue_work(system_unbound_wq, &vaal_copy_work);
}

/**
 * vaal_job_submit_copy - enter renaming's copy back, right after its launch
 * @ctx: the context
 * @copy: the copy job: reads the new version whole, writes the buffer whole
 * @dispatch: jobs that became ready are added here
 *
 * It is not a submission of user space's: it takes no place in flight or
 * in the reorder buffer and posts no completion.
 */
void vaal_job_submit_copy(struct vaal_ctx *ctx, struct vaal_job *copy,
			  struct list_head *dispatch)
{
	unsigned long flags;
	LIST_HEAD(free);

	spin_lock_irqsave(&ctx->job_lock, flags);
	vaal_hz_submit(&ctx->hz, &copy->hz);
	vaal_ctx_drain(ctx, dispatch, &free);
	vaal_ctx_unlock(ctx, flags, &free);
}

/* Module exit: every copy back is done. */
void vaal_job_exit(void)
{
	flush_work(&vaal_copy_work);
}
