// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_completion.c - a context's completion queue: completions retired in
 * submission order when the context asks, posted into the ring or parked
 * in their jobs while it is full, moved in as user space makes room,
 * waited for and polled; and a job's end, freed once its completion is in
 * the ring and no unit holds it.  The ring itself, parking and the reorder
 * buffer are pure data in vaal_cq.c (built natively too).
 *
 * Everything that touches a context's queue runs under its job_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "vaal_internal.h"

static LIST_HEAD(vaal_free_list);
static DEFINE_SPINLOCK(vaal_free_lock);

/* Can the caller sleep?  When unsure, no. */
bool vaal_may_sleep(void)
{
	return IS_ENABLED(CONFIG_PREEMPT_COUNT) && preemptible();
}

/**
 * vaal_job_free - drop what a job holds and free it; may sleep
 * @job: a job neither the ring nor a unit holds any more
 */
void vaal_job_free(struct vaal_job *job)
{
	struct vaal_ctx *ctx = job->ctx;
	unsigned int i, n;

	/* A launch's scoreboard state may hold its parked completion. */
	n = job->kernel ? job->kernel->nr_args :
	    job->flags & VAAL_JOB_COPY ? 2 : 0;
	for (i = 0; i < n; i++)
		vaal_buf_put(container_of(job->acc[i].buf, struct vaal_buf, hz));
	if (job->kernel)
		vaal_kernel_put(job->kernel);
	kfree(job);
	vaal_ctx_put(ctx);
}

static void vaal_free_workfn(struct work_struct *work)
{
	struct vaal_job *job, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&vaal_free_lock);
	list_splice_init(&vaal_free_list, &list);
	spin_unlock_irq(&vaal_free_lock);
	list_for_each_entry_safe(job, tmp, &list, work.node)
		vaal_job_free(job);
}

static DECLARE_WORK(vaal_free_work, vaal_free_workfn);

/*
 * Free the jobs on @list now, or from a work item when we cannot sleep;
 * @list is empty again on return.
 */
void vaal_jobs_release(struct list_head *list, bool may_sleep)
{
	struct vaal_job *job, *tmp;
	unsigned long flags;

	if (list_empty(list))
		return;
	if (may_sleep) {
		list_for_each_entry_safe(job, tmp, list, work.node)
			vaal_job_free(job);
		INIT_LIST_HEAD(list);
		return;
	}
	spin_lock_irqsave(&vaal_free_lock, flags);
	list_splice_tail_init(list, &vaal_free_list);
	spin_unlock_irqrestore(&vaal_free_lock, flags);
	schedule_work(&vaal_free_work);
}


/* The job's completion is in the ring; free it if nothing else holds it. */
static void vaal_job_posted(struct vaal_ctx *ctx, struct vaal_job *job,
			    struct list_head *free)
{
	ctx->nr_inflight--;
	job->holds &= ~VAAL_JOB_HOLD_CQE;
	if (!job->holds)
		list_add_tail(&job->work.node, free);
}

/* Post @cqe, @job's completion, into the ring or park it in @job. */
static void vaal_job_post(struct vaal_ctx *ctx, struct vaal_job *job,
			  const struct vaal_cqe *cqe, struct list_head *free)
{
	struct vaal_cq_ovf *spare = &job->ovf;

	/*
	 * The scoreboard is done with the job: its bytes may park it.  A
	 * closed context's ring has no reader: a parked completion would
	 * hold the job, and so the context, for ever.
	 */
	if (!ctx->dead)
		vaal_cq_post(&ctx->cq, cqe, &spare);
	job->flags |= VAAL_JOB_RETIRED;
	ctx->completed++;
	if (spare)
		vaal_job_posted(ctx, job, free);
}

/**
 * vaal_job_retire - post a job's completion, in submission order if the
 *	context asks
 * @ctx: the context, its job_lock held
 * @job: the job, done with the scoreboard
 * @cqe: its completion
 * @free: jobs that may be freed are added here (vaal_jobs_release())
 */
void vaal_job_retire(struct vaal_ctx *ctx, struct vaal_job *job,
			    const struct vaal_cqe *cqe, struct list_head *free)
{
	const struct vaal_rob_slot *slot;

	if (!ctx->ordered) {
		vaal_job_post(ctx, job, cqe, free);
		return;
	}
	vaal_rob_complete(&ctx->rob, job->seq, cqe, job);
	while ((slot = vaal_rob_peek(&ctx->rob))) {
		vaal_job_post(ctx, slot->priv, &slot->cqe, free);
		vaal_rob_retire(&ctx->rob);
	}
}

static void vaal_free_ovf(struct vaal_cq_ovf *ovf, void *arg)
{
	struct vaal_job *job = container_of(ovf, struct vaal_job, ovf);

	vaal_job_posted(job->ctx, job, arg);
}

/**
 * vaal_cq_flush_ctx - move parked completions into the room user space made
 * @ctx: the context, set up
 * @may_sleep: the caller may sleep (not so in a wait condition)
 *
 * Return: how many moved; waking waiters for them is the caller's call.
 */
unsigned int vaal_cq_flush_ctx(struct vaal_ctx *ctx, bool may_sleep)
{
	unsigned long flags;
	unsigned int n;
	LIST_HEAD(free);

	spin_lock_irqsave(&ctx->job_lock, flags);
	n = vaal_cq_flush(&ctx->cq, vaal_free_ovf, &free);
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	vaal_jobs_release(&free, may_sleep);
	return n;
}

/**
 * vaal_cq_close - the context's file is closed
 * @ctx: the context
 *
 * Work that has not started is cancelled from now on, completions are no
 * longer posted, and those waiting for room in the ring are dropped with
 * the jobs they held.  May sleep.
 */
void vaal_cq_close(struct vaal_ctx *ctx)
{
	LIST_HEAD(free);

	spin_lock_irq(&ctx->job_lock);
	ctx->dead = true;
	if (ctx->rings)
		vaal_cq_discard(&ctx->cq, vaal_free_ovf, &free);
	spin_unlock_irq(&ctx->job_lock);
	vaal_jobs_release(&free, true);
}

/**
 * vaal_cq_wake - wake the tasks waiting for completions of a context, and
 *	call its client's notifier
 * @ctx: the context
 *
 * From any context.  A client's entry on the queue counts as a sleeper.
 */
void vaal_cq_wake(struct vaal_ctx *ctx)
{
	if (wq_has_sleeper(&ctx->cq_wait))
		wake_up_all(&ctx->cq_wait);
}

/* Completions in the ring that user space has not consumed yet. */
static u32 vaal_cq_ready(struct vaal_ctx *ctx)
{
	struct vaal_cq_ring *ring = ctx->cq.ring;

	return READ_ONCE(ring->tail) - READ_ONCE(ring->head);
}

/* Move parked completions into the room user space made; true if enough. */
static bool vaal_cq_enough(struct vaal_ctx *ctx, u32 min_complete)
{
	if (READ_ONCE(ctx->cq.nr_overflow))
		vaal_cq_flush_ctx(ctx, false);
	/* A head corrupted by user space reads as enough: it returns. */
	return vaal_cq_ready(ctx) >= min_complete;
}

/**
 * struct vaal_cq_waiter - a task waiting for completions of a context
 * @wq: its entry on the context's cq_wait
 * @ctx: the context
 * @min_complete: completions it waits for
 */
struct vaal_cq_waiter {
	struct wait_queue_entry wq;
	struct vaal_ctx *ctx;
	u32 min_complete;
};

/*
 * Enough completions in the ring for @min_complete, or parked ones that
 * room may let in (the waiter moves them)?  A hint, from any context; a
 * head corrupted by user space reads as enough.
 */
static bool vaal_cq_hint(struct vaal_ctx *ctx, u32 min_complete)
{
	return vaal_cq_ready(ctx) >= min_complete ||
	       READ_ONCE(ctx->cq.nr_overflow);
}

/*
 * Wake the waiter once its completions are there, not at each of them: a
 * batch of launches wakes it once (io_uring's way).
 */
static int vaal_cq_waiter_wake(struct wait_queue_entry *wq, unsigned int mode,
			       int sync, void *key)
{
	struct vaal_cq_waiter *w = container_of(wq, struct vaal_cq_waiter, wq);

	if (!vaal_cq_hint(w->ctx, w->min_complete))
		return 0;
	return autoremove_wake_function(wq, mode, sync, key);
}

/**
 * vaal_cq_wait - wait for completions in the ring
 * @ctx: the context, set up
 * @min_complete: completions to wait for, at most the ring's size
 * @timeout_ns: the longest to wait, when @timed
 * @timed: give up after @timeout_ns
 *
 * The waiter is woken once its @min_complete completions are there, not
 * at each of them.
 *
 * Return: 0, -ETIME on timeout or -EINTR on a signal.
 */
int __vaal_hot vaal_cq_wait(struct vaal_ctx *ctx, u32 min_complete,
			    u64 timeout_ns, bool timed)
{
	struct vaal_cq_waiter w = {
		.ctx = ctx,
		.min_complete = min_complete,
	};
	ktime_t end = KTIME_MAX;
	int ret = 0;

	/* Without the scheduler's attention when they are there already. */
	if (vaal_cq_enough(ctx, min_complete))
		return 0;
	/* A timeout past what ktime_t holds is no timeout. */
	if (timed && timeout_ns < KTIME_MAX)
		end = ktime_add_safe(ktime_get(), ns_to_ktime(timeout_ns));
	init_waitqueue_func_entry(&w.wq, vaal_cq_waiter_wake);
	w.wq.private = current;
	INIT_LIST_HEAD(&w.wq.entry);
	for (;;) {
		prepare_to_wait(&ctx->cq_wait, &w.wq, TASK_INTERRUPTIBLE);
		if (vaal_cq_enough(ctx, min_complete))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!schedule_hrtimeout(&end, HRTIMER_MODE_ABS)) {
			ret = vaal_cq_enough(ctx, min_complete) ? 0 : -ETIME;
			break;
		}
	}
	finish_wait(&ctx->cq_wait, &w.wq);
	return ret;
}

/**
 * vaal_cq_poll - poll() of a context's completion queue
 * @ctx: the context, set up
 * @file: its file
 * @wait: the poll table
 *
 * Return: readable when a completion is in the ring.
 */
__poll_t vaal_cq_poll(struct vaal_ctx *ctx, struct file *file,
		      struct poll_table_struct *wait)
{
	poll_wait(file, &ctx->cq_wait, wait);
	return vaal_cq_enough(ctx, 1) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* Module exit: every deferred free is done. */
void vaal_completion_exit(void)
{
	flush_work(&vaal_free_work);
}
