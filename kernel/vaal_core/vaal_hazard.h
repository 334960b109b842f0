/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_hazard.h - the hazard scoreboard: orders kernels only as their data
 * hazards require, the way an out-of-order CPU orders instructions.
 *
 * Each job (a submitted kernel) names up to %VAAL_HZ_MAX_ARGS byte ranges of
 * buffers, each read, written or both.  A job waits for every earlier, still
 * unfinished job with a conflicting access to an overlapping range:
 *   read after write (RAW), write after read (WAR), write after write (WAW).
 * A barrier waits for every earlier job and every later job waits for it.
 * A job that finishes makes its waiters ready at once (forwarding); one that
 * fails cancels the waiters that read what it was to write (RAW), and so,
 * transitively, theirs.  Only jobs submitted while the failed one was live
 * wait for it, so only they are cancelled.
 *
 * Pure logic: no allocation, no locking (the caller serializes), kernel
 * interfaces only, so that it also builds natively in user space.
 */
#ifndef _VAAL_HAZARD_H
#define _VAAL_HAZARD_H

#include <linux/list.h>
#include <linux/types.h>

#define VAAL_HZ_MAX_ARGS	8

/* Access modes of a buffer range. */
#define VAAL_HZ_READ		0x1
#define VAAL_HZ_WRITE		0x2

struct vaal_hz_job;

/**
 * struct vaal_hz_buf - per-buffer state of the scoreboard
 * @accesses: live accesses to the buffer, in submission order
 */
struct vaal_hz_buf {
	struct list_head accesses;
};

/**
 * struct vaal_hz_access - one buffer range a job reads and/or writes
 * @node: entry in @buf->accesses while the job is live
 * @job: the job the access belongs to (set by vaal_hz_submit())
 * @buf: the buffer
 * @start: first byte
 * @end: one past the last byte
 * @mode: %VAAL_HZ_READ and/or %VAAL_HZ_WRITE
 */
struct vaal_hz_access {
	struct list_head node;
	struct vaal_hz_job *job;
	struct vaal_hz_buf *buf;
	u64 start;
	u64 end;
	u8 mode;
};

/**
 * struct vaal_hz_job - a job as the scoreboard sees it; embedded by the caller
 * @node: entry in &vaal_hz.jobs (live jobs, submission order)
 * @ready_node: entry in &vaal_hz.ready once nothing holds the job back
 * @acc: the buffer ranges, @nr_acc entries the caller provides and fills
 *	before submission
 * @nr_acc: entries in @acc, at most %VAAL_HZ_MAX_ARGS
 * @barrier: the job is a barrier (no accesses)
 * @pending: conflicts (access pairs and barrier waits) not yet resolved
 * @status: 0, or -ECANCELED once a job whose output it reads failed
 */
struct vaal_hz_job {
	struct list_head node;
	struct list_head ready_node;
	struct vaal_hz_access *acc;
	unsigned int nr_acc;
	bool barrier;
	unsigned int pending;
	int status;
};

/**
 * struct vaal_hz - a scoreboard, one per context
 * @jobs: live jobs (submitted, not completed), in submission order
 * @ready: jobs nothing holds back any more, in the order they became ready;
 *	the caller takes them off with vaal_hz_pop_ready()
 * @last_barrier: the newest live barrier, or NULL
 */
struct vaal_hz {
	struct list_head jobs;
	struct list_head ready;
	struct vaal_hz_job *last_barrier;
};

void vaal_hz_init(struct vaal_hz *hz);
void vaal_hz_buf_init(struct vaal_hz_buf *buf);
void vaal_hz_submit(struct vaal_hz *hz, struct vaal_hz_job *job);
void vaal_hz_complete(struct vaal_hz *hz, struct vaal_hz_job *job, int status);
struct vaal_hz_job *vaal_hz_pop_ready(struct vaal_hz *hz);
bool vaal_hz_buf_busy(const struct vaal_hz_buf *buf);

#endif /* _VAAL_HAZARD_H */
