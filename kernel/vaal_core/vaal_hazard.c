// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_hazard.c - the hazard scoreboard (see vaal_hazard.h)
 *
 * Dependencies are not stored as edges: the buffers' lists of live accesses,
 * kept in submission order, are the edges.  A job counts, when submitted,
 * each conflicting pair (its access, an earlier live access); the job that
 * owns the earlier access finds the same pairs when it completes by walking
 * the accesses after its own, and uncounts them.  Barriers count whole jobs:
 * a barrier waits for every job live when it was submitted, and the jobs
 * submitted after it wait for it alone.
 */
#include <linux/errno.h>
#include <linux/list.h>

#include "vaal_hazard.h"

void vaal_hz_init(struct vaal_hz *hz)
{
	INIT_LIST_HEAD(&hz->jobs);
	INIT_LIST_HEAD(&hz->ready);
	hz->last_barrier = NULL;
}

void vaal_hz_buf_init(struct vaal_hz_buf *buf)
{
	INIT_LIST_HEAD(&buf->accesses);
}

/**
 * vaal_hz_buf_busy - does a live job still access the buffer?
 * @buf: the buffer
 *
 * Return: true while a submitted job that names @buf has not completed.
 */
bool vaal_hz_buf_busy(const struct vaal_hz_buf *buf)
{
	return !list_empty(&buf->accesses);
}

/* Two accesses conflict when their ranges overlap and one of them writes. */
static bool vaal_hz_conflict(const struct vaal_hz_access *a,
			     const struct vaal_hz_access *b)
{
	if (!((a->mode | b->mode) & VAAL_HZ_WRITE))
		return false;
	return a->start < b->end && b->start < a->end;
}

static void vaal_hz_release(struct vaal_hz *hz, struct vaal_hz_job *job)
{
	if (!--job->pending)
		list_add_tail(&job->ready_node, &hz->ready);
}

/**
 * vaal_hz_submit - enter a job; it becomes ready when nothing holds it back
 * @hz: the scoreboard
 * @job: the job, with @acc, @nr_acc and @barrier filled in
 *
 * A job that is ready at once is on @hz->ready when this returns.
 */
void vaal_hz_submit(struct vaal_hz *hz, struct vaal_hz_job *job)
{
	struct vaal_hz_access *a, *o;
	struct vaal_hz_job *live;
	unsigned int i;

	/* One extra count, dropped below, keeps the job off the ready list
	 * while it is counted.
	 */
	job->pending = 1;
	job->status = 0;
	if (job->barrier) {
		/* Jobs before the previous live barrier finish before it:
		 * waiting for that barrier and the jobs after it is enough.
		 */
		job->nr_acc = 0;
		live = hz->last_barrier;
		if (live) {
			job->pending++;
			list_for_each_entry_continue(live, &hz->jobs, node)
				job->pending++;
		} else {
			list_for_each_entry(live, &hz->jobs, node)
				job->pending++;
		}
		hz->last_barrier = job;
	} else {
		if (hz->last_barrier)
			job->pending++;
		for (i = 0; i < job->nr_acc; i++) {
			a = &job->acc[i];
			a->job = job;
			list_for_each_entry(o, &a->buf->accesses, node)
				if (vaal_hz_conflict(a, o))
					job->pending++;
		}
		/* Only now, so that the job's own accesses do not count. */
		for (i = 0; i < job->nr_acc; i++)
			list_add_tail(&job->acc[i].node, &job->acc[i].buf->accesses);
	}
	list_add_tail(&job->node, &hz->jobs);
	vaal_hz_release(hz, job);
}

/* Uncount the pairs later jobs formed with the accesses of @job. */
static void vaal_hz_release_data(struct vaal_hz *hz, struct vaal_hz_job *job,
				 int status)
{
	struct vaal_hz_access *a, *o;
	unsigned int i;

	for (i = 0; i < job->nr_acc; i++) {
		a = &job->acc[i];
		o = a;
		list_for_each_entry_continue(o, &a->buf->accesses, node) {
			if (o->job == job || !vaal_hz_conflict(a, o))
				continue;
			/* The waiter reads what failed to be produced. */
			if (status && (a->mode & VAAL_HZ_WRITE) &&
			    (o->mode & VAAL_HZ_READ) && !o->job->status)
				o->job->status = -ECANCELED;
			vaal_hz_release(hz, o->job);
		}
	}
	for (i = 0; i < job->nr_acc; i++)
		list_del(&job->acc[i].node);
}

/* Uncount the barrier waits that involve @job. */
static void vaal_hz_release_barriers(struct vaal_hz *hz,
				     struct vaal_hz_job *job)
{
	struct vaal_hz_job *next = job;

	/* The first barrier after the job waits for it ... */
	list_for_each_entry_continue(next, &hz->jobs, node) {
		if (next->barrier) {
			vaal_hz_release(hz, next);
			break;
		}
		/* ... and so does every job between a barrier and the next. */
		if (job->barrier)
			vaal_hz_release(hz, next);
	}
	if (hz->last_barrier == job)
		hz->last_barrier = NULL;
}

/**
 * vaal_hz_complete - a job finished (or was cancelled); release its waiters
 * @hz: the scoreboard
 * @job: a job taken off the ready list
 * @status: 0, or the job's negative errno: the jobs that depend on its data
 *	then complete with -ECANCELED (their @status says so when they come
 *	off the ready list)
 *
 * Jobs that became ready are on @hz->ready when this returns.
 */
void vaal_hz_complete(struct vaal_hz *hz, struct vaal_hz_job *job, int status)
{
	vaal_hz_release_data(hz, job, status);
	if (hz->last_barrier)
		vaal_hz_release_barriers(hz, job);
	list_del(&job->node);
}

/**
 * vaal_hz_pop_ready - take the oldest ready job
 * @hz: the scoreboard
 *
 * Return: the job, or NULL when none is ready.  A job whose @status is
 * non-zero must not run: complete it with that status.
 */
struct vaal_hz_job *vaal_hz_pop_ready(struct vaal_hz *hz)
{
	struct vaal_hz_job *job;

	job = list_first_entry_or_null(&hz->ready, struct vaal_hz_job,
				       ready_node);
	if (job)
		list_del(&job->ready_node);
	return job;
}
