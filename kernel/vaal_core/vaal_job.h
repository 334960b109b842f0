/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_job.h - one submission in flight
 *
 * A job is sized to its launch: the fixed part, then one scoreboard access
 * per buffer argument, then the scalar bytes.  Its scoreboard state is dead
 * once the job completed, and the same bytes then park its completion when
 * the completion ring is full, so a job costs no more than while it waits.
 *
 * Pure data: it also builds natively, where the benchmarks measure it.
 */
#ifndef _VAAL_JOB_H
#define _VAAL_JOB_H

#include <linux/types.h>
#include <linux/vaal.h>

#include <vaal_work.h>
#include "vaal_cq.h"
#include "vaal_hazard.h"

struct vaal_controller;
struct vaal_ctx;
struct vaal_kernel;

/* What still holds a job's memory (&vaal_job.holds). */
#define VAAL_JOB_HOLD_CQE	0x1	/* its completion is not in the ring */
#define VAAL_JOB_HOLD_UNIT	0x2	/* a controller's unit holds it */

/* &vaal_job.flags */
#define VAAL_JOB_RETIRED	0x1	/* its completion was posted */
#define VAAL_JOB_COPY		0x2	/* renaming's copy back: acc[0]'s range to acc[1]'s */
#define VAAL_JOB_RENAMED	0x4	/* retires when its copy back is done */

/**
 * struct vaal_job - a submission from the ring until its completion is
 *	posted and no controller holds it any more
 * @hz: scoreboard state, until the job completes
 * @ovf: its completion, while it waits for room in the completion ring
 * @work: what the controller sees; @work.node also links the job into
 *	its class's queue, and into lists of jobs to dispatch or free; a
 *	copy back's @work.priv is the renamed launch it retires
 * @ctx: the context; the job holds a reference
 * @kernel: the kernel launched (a reference), NULL for a job that
 *	completes as soon as it is ready (NOP, barrier, malformed)
 * @ctrl: the controller running it, while a unit holds it; NULL once the
 *	unit gave it back (the controller may be gone then)
 * @ctrl_id: id of the controller whose unit completed it, for its
 *	completion; 0 when none did
 * @user_data: from the submission
 * @start_ns: when a unit took it
 * @seq: place in submission order (ordered contexts)
 * @unit: the unit of @ctrl that holds it
 * @holds: %VAAL_JOB_HOLD_* bits: the job is freed when none is left
 * @flags: %VAAL_JOB_* bits (under the context's job_lock)
 * @timed_out: it ran past its deadline (under its class's lock)
 * @geometry: a &struct vaal_launch_geometry follows the scalar bytes
 *	(rounded up to 8), as the launch carried it; set once, at its build
 * @res: result of a job without @kernel
 * @acc: one access per buffer argument; the scalar bytes follow
 */
struct vaal_job {
	union {
		struct vaal_hz_job hz;
		struct vaal_cq_ovf ovf;
	};
	struct vaal_work work;
	struct vaal_ctx *ctx;
	struct vaal_kernel *kernel;
	struct vaal_controller *ctrl;
	u32 ctrl_id;
	u64 user_data;
	u64 start_ns;
	u32 seq;
	u16 unit;
	u8 holds;
	u8 flags;
	bool timed_out;
	bool geometry;
	int res;
	struct vaal_hz_access acc[];
};

/* Bytes of a job with @nr_args buffer arguments and @scalar_bytes scalars. */
static inline size_t vaal_job_bytes(unsigned int nr_args,
				    unsigned int scalar_bytes)
{
	return sizeof(struct vaal_job) +
	       nr_args * sizeof(struct vaal_hz_access) + scalar_bytes;
}

/* The scalar bytes of a job with @nr_args buffer arguments. */
static inline void *vaal_job_scalars(const struct vaal_job *job,
				     unsigned int nr_args)
{
	return (void *)(job->acc + nr_args);
}

/* Bytes of a launch's job that carries a geometry after its scalars. */
static inline size_t vaal_job_bytes_geometry(unsigned int nr_args,
					     unsigned int scalar_bytes)
{
	return vaal_job_bytes(nr_args, (scalar_bytes + 7) & ~7U) +
	       sizeof(struct vaal_launch_geometry);
}

/* The geometry of a job with &vaal_job.geometry set. */
static inline struct vaal_launch_geometry *
vaal_job_geometry(const struct vaal_job *job, unsigned int nr_args,
		  unsigned int scalar_bytes)
{
	return (struct vaal_launch_geometry *)
		((u8 *)vaal_job_scalars(job, nr_args) + ((scalar_bytes + 7) & ~7U));
}

#endif /* _VAAL_JOB_H */
