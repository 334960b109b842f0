// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_submit.c - VAAL_IOC_ENTER: consume the submission ring, wait
 *
 * Each submission is copied out of the shared ring before it is looked
 * at, so user space changing it meanwhile changes nothing.  A malformed
 * submission is consumed and completes with its error, in order, like any
 * other; only a submission the kernel cannot take at all (no memory, no
 * room in flight, cut short) stays in the ring for the next call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/vhost_task.h>	/* after linux/types.h: it needs bool */

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_enter) == VAAL_ENTER_SIZE_VER0);
static_assert(sizeof(struct vaal_sqe_arg) == 16);
static_assert(sizeof(struct vaal_launch_geometry) == VAAL_LAUNCH_GEOMETRY_SIZE);
/* A geometry fits the entries the largest launch took before it: 4. */
static_assert(VAAL_SQE_MAX_SLOTS == 4);
static_assert(VAAL_SQE_SLOTS(VAAL_MAX_ARGS, VAAL_MAX_SCALAR_BYTES) == 4);

/* Copy the entries of the submission at ring index @idx into @raw. */
static int vaal_sqe_fetch(struct vaal_ctx *ctx, u32 idx, u32 avail,
			  struct vaal_sqe *raw)
{
	u32 mask = ctx->sq_entries - 1;
	unsigned int i, slots = 1;

	memcpy(&raw[0], &ctx->sqes[idx & mask], sizeof(raw[0]));
	if (raw[0].opcode == VAAL_OP_LAUNCH &&
	    raw[0].nr_args <= VAAL_MAX_ARGS &&
	    raw[0].scalar_bytes <= VAAL_MAX_SCALAR_BYTES)
		slots = VAAL_SQE_LAUNCH_SLOTS(raw[0].nr_args,
					      raw[0].scalar_bytes,
					      raw[0].flags & VAAL_SQE_GEOMETRY);
	if (slots > avail)
		return -EINVAL;
	for (i = 1; i < slots; i++)
		memcpy(&raw[i], &ctx->sqes[(idx + i) & mask], sizeof(raw[i]));
	return slots;
}

static u16 vaal_sig_modes(const struct vaal_kernel *k)
{
	u16 modes = 0;
	unsigned int i;

	for (i = 0; i < k->nr_args; i++)
		modes |= VAAL_SQE_ARG_MODE(i, k->arg_mode[i]);
	return modes;
}

/*
 * A launch geometry's shape: 1 to VAAL_MAX_DIMS dimensions, each used one
 * with work-items, local sizes in all used dimensions or in none, nothing
 * in the unused ones.  Whether the device takes it is its controller's
 * business.
 */
static int vaal_geometry_check(const struct vaal_launch_geometry *g)
{
	unsigned int i, nr_local = 0;

	if (g->dims < 1 || g->dims > VAAL_MAX_DIMS || g->flags || g->reserved)
		return -EINVAL;
	for (i = 0; i < VAAL_MAX_DIMS; i++) {
		if (i >= g->dims) {
			if (g->global[i] || g->local[i])
				return -EINVAL;
			continue;
		}
		if (!g->global[i])
			return -EINVAL;
		nr_local += !!g->local[i];
	}
	return nr_local && nr_local != g->dims ? -EINVAL : 0;
}

/*
 * Does the launch match its kernel's signature, its geometry (if any) its
 * shape, padding zero?  The geometry is copied to @geo.
 */
static int vaal_launch_check(const struct vaal_sqe *raw, unsigned int slots,
			     const struct vaal_kernel *k,
			     struct vaal_launch_geometry *geo)
{
	const u8 *payload = raw[0].payload;
	size_t used = raw[0].nr_args * sizeof(struct vaal_sqe_arg) +
		      raw[0].scalar_bytes;
	size_t room = slots * sizeof(*raw) - offsetof(struct vaal_sqe, payload);
	size_t geo_at;

	if (raw[0].nr_args != k->nr_args ||
	    raw[0].scalar_bytes != k->scalar_bytes ||
	    raw[0].arg_modes != vaal_sig_modes(k))
		return -EINVAL;
	if (raw[0].flags & VAAL_SQE_GEOMETRY) {
		/* The entries are copied whole: the payload runs on in @raw. */
		geo_at = VAAL_SQE_PAYLOAD_BYTES(raw[0].nr_args,
						raw[0].scalar_bytes);
		if (memchr_inv(payload + used, 0, geo_at - used))
			return -EINVAL;
		memcpy(geo, payload + geo_at, sizeof(*geo));
		if (vaal_geometry_check(geo))
			return -EINVAL;
		used = geo_at + sizeof(*geo);
	}
	if (memchr_inv(payload + used, 0, room - used))
		return -EINVAL;
	return 0;
}

/* Take the buffer ranges of a launch into @job; put them on failure. */
static int vaal_launch_args(struct vaal_ctx *ctx, struct vaal_job *job,
			    const struct vaal_sqe *raw,
			    const struct vaal_kernel *k)
{
	const struct vaal_sqe_arg *args = raw[0].args;
	struct vaal_hz_access *a;
	struct vaal_buf *buf;
	unsigned int i;
	u64 len;
	int ret;

	for (i = 0; i < k->nr_args; i++) {
		buf = vaal_buf_get(ctx, args[i].handle);
		if (!buf) {
			ret = -EBADF;
			goto out_put_bufs;
		}
		len = args[i].length ?: buf->length - min(args[i].offset,
							  buf->length);
		if (args[i].offset >= buf->length || !len ||
		    len > buf->length - args[i].offset) {
			vaal_buf_put(buf);
			ret = -EFAULT;
			goto out_put_bufs;
		}
		a = &job->acc[i];
		a->buf = &buf->hz;
		a->start = args[i].offset;
		a->end = args[i].offset + len;
		a->mode = (k->arg_mode[i] & VAAL_ARG_IN ? VAAL_HZ_READ : 0) |
			  (k->arg_mode[i] & VAAL_ARG_OUT ? VAAL_HZ_WRITE : 0);
	}
	return 0;

out_put_bufs:
	while (i--)
		vaal_buf_put(container_of(job->acc[i].buf, struct vaal_buf, hz));
	return ret;
}

/*
 * Renaming: the first output (write-only) range of @job whose buffer
 * earlier work still uses is written into a fresh version of the buffer;
 * return the job that copies that range back into the buffer in program
 * order, or NULL (nothing to rename, or no allowance or memory left: then
 * @job waits as usual).
 */
static struct vaal_job *vaal_launch_rename(struct vaal_ctx *ctx,
					   struct vaal_job *job,
					   const struct vaal_kernel *k)
{
	struct vaal_buf *buf, *ver;
	struct vaal_hz_access *a;
	struct vaal_job *copy;
	unsigned int i;

	for (i = 0; i < k->nr_args; i++) {
		a = &job->acc[i];
		buf = container_of(a->buf, struct vaal_buf, hz);
		/* A hint, read without the lock: renaming is never wrong. */
		if (k->arg_mode[i] == VAAL_ARG_OUT && vaal_hz_buf_busy(&buf->hz))
			break;
	}
	if (i == k->nr_args)
		return NULL;
	copy = kmalloc(vaal_job_bytes(2, 0), GFP_KERNEL_ACCOUNT);
	if (!copy)
		return NULL;
	ver = vaal_buf_version(buf);
	if (IS_ERR(ver)) {
		kfree(copy);
		return NULL;
	}
	/* The launch writes the version; the copy takes its hold on @buf. */
	a->buf = &ver->hz;
	kref_get(&ver->ref);
	copy->acc[0] = (struct vaal_hz_access){ .buf = &ver->hz,
						.start = a->start, .end = a->end,
						.mode = VAAL_HZ_READ };
	copy->acc[1] = (struct vaal_hz_access){ .buf = &buf->hz,
						.start = a->start, .end = a->end,
						.mode = VAAL_HZ_WRITE };
	copy->hz.acc = copy->acc;
	copy->hz.nr_acc = 2;
	copy->hz.barrier = false;
	copy->kernel = NULL;
	copy->flags = VAAL_JOB_COPY;
	copy->geometry = false;
	copy->holds = 0;
	copy->ctx = ctx;
	kref_get(&ctx->ref);
	copy->ctrl = NULL;
	copy->ctrl_id = 0;
	copy->user_data = 0;
	copy->timed_out = false;
	copy->work.priv = job;
	job->flags |= VAAL_JOB_RENAMED;
	return copy;
}

/* A launch: 0 with the kernel and its buffers held, or an errno. */
static int vaal_launch_build(struct vaal_ctx *ctx, struct vaal_job **jobp,
			     struct vaal_job **copyp,
			     const struct vaal_sqe *raw, unsigned int slots)
{
	const u8 *scalars = raw[0].payload +
			    raw[0].nr_args * sizeof(struct vaal_sqe_arg);
	bool geometry = raw[0].flags & VAAL_SQE_GEOMETRY;
	struct vaal_launch_geometry geo;
	struct vaal_kernel *k;
	struct vaal_job *job;
	int ret;

	k = vaal_kernel_get(ctx, raw[0].kernel);
	if (!k)
		return -ENOENT;
	ret = vaal_launch_check(raw, slots, k, &geo);
	if (ret)
		goto out_put_kernel;
	job = kmalloc(geometry ? vaal_job_bytes_geometry(k->nr_args,
							 k->scalar_bytes) :
			       vaal_job_bytes(k->nr_args, k->scalar_bytes),
		      GFP_KERNEL_ACCOUNT);
	if (!job) {
		ret = -ENOMEM;
		goto out_put_kernel;
	}
	ret = vaal_launch_args(ctx, job, raw, k);
	if (ret)
		goto out_free_job;
	memcpy(vaal_job_scalars(job, k->nr_args), scalars, k->scalar_bytes);
	job->geometry = geometry;
	if (geometry)
		memcpy(vaal_job_geometry(job, k->nr_args, k->scalar_bytes), &geo,
		       sizeof(geo));
	job->kernel = k;
	job->hz.nr_acc = k->nr_args;
	job->hz.barrier = false;
	job->holds = VAAL_JOB_HOLD_CQE | VAAL_JOB_HOLD_UNIT;
	job->flags = 0;
	if (ctx->rename)
		*copyp = vaal_launch_rename(ctx, job, k);
	*jobp = job;
	return 0;

out_free_job:
	kfree(job);
out_put_kernel:
	vaal_kernel_put(k);
	return ret;
}

/* NOP and BARRIER take no arguments. */
static inline int vaal_simple_check(const struct vaal_sqe *sqe)
{
	u64 words[sizeof(sqe->payload) / sizeof(u64)], any = 0;
	unsigned int i;

	/* Word by word: the check of every NOP, kept inline. */
	memcpy(words, sqe->payload, sizeof(words));
	for (i = 0; i < ARRAY_SIZE(words); i++)
		any |= words[i];
	if (sqe->nr_args || sqe->scalar_bytes || sqe->kernel ||
	    sqe->arg_modes || any)
		return -EINVAL;
	return 0;
}

/* A job that completes as soon as it is ready, with @res. */
static struct vaal_job *vaal_simple_build(int res, bool barrier)
{
	struct vaal_job *job = kmalloc(sizeof(*job), GFP_KERNEL_ACCOUNT);

	if (!job)
		return NULL;
	job->kernel = NULL;
	job->flags = 0;
	job->geometry = false;
	job->res = res;
	job->hz.nr_acc = 0;
	job->hz.barrier = barrier;
	job->holds = VAAL_JOB_HOLD_CQE;
	return job;
}

/* The job of one submission, or ERR_PTR(-ENOMEM): then it stays queued. */
static noinline struct vaal_job *vaal_job_build(struct vaal_ctx *ctx,
				       const struct vaal_sqe *raw,
				       unsigned int slots,
				       struct vaal_job **copyp)
{
	struct vaal_job *job = NULL;
	int ret = -EINVAL;

	*copyp = NULL;
	if (raw[0].flags & ~VAAL_SQE_FLAGS_ALL || raw[0].opcode > VAAL_OP_LAST)
		goto out_simple;
	if (raw[0].opcode != VAAL_OP_LAUNCH) {
		/* Geometry is a launch's. */
		ret = raw[0].flags ? -EINVAL : vaal_simple_check(&raw[0]);
		goto out_simple;
	}
	ret = vaal_launch_build(ctx, &job, copyp, raw, slots);
	if (ret == -ENOMEM)
		return ERR_PTR(ret);
out_simple:
	if (!job) {
		job = vaal_simple_build(ret,
					!ret && raw[0].opcode == VAAL_OP_BARRIER);
		if (!job)
			return ERR_PTR(-ENOMEM);
		if (ret)
			WRITE_ONCE(ctx->sq->dropped, ctx->sq->dropped + 1);
	}
	job->hz.acc = job->acc;
	job->ctx = ctx;
	kref_get(&ctx->ref);
	job->ctrl = NULL;
	job->ctrl_id = 0;
	job->user_data = raw[0].user_data;
	job->timed_out = false;
	return job;
}

/* A well-formed NOP, which may complete without a job. */
static bool vaal_sqe_plain_nop(const struct vaal_sqe *sqe)
{
	return sqe->opcode == VAAL_OP_NOP && !sqe->flags &&
	       !vaal_simple_check(sqe);
}

/**
 * vaal_job_nop_inline - complete a NOP at once, without a job
 * @ctx: the context, job_lock held
 * @user_data: the NOP's
 *
 * What the scoreboard would do with a NOP when nothing orders it (no live
 * barrier, an unordered context) and its completion goes straight into
 * the ring (room, nothing parked before it), done here without allocating
 * a job - the io_uring way.
 *
 * Return: true when it completed; false: submit it as a job.
 */
static bool vaal_job_nop_inline(struct vaal_ctx *ctx, u64 user_data)
{
	struct vaal_cqe cqe = { .user_data = user_data };

	lockdep_assert_held(&ctx->job_lock);
	if (ctx->ordered || ctx->hz.last_barrier)
		return false;
	if (vaal_cq_post(&ctx->cq, &cqe, NULL))
		return false;
	ctx->submitted++;
	ctx->completed++;
	return true;
}

/*
 * Complete the run of plain NOPs at the ring's index @idx inline, under
 * one hold of the lock; return how many.
 */
static u32 vaal_submit_nops(struct vaal_ctx *ctx, u32 idx, u32 avail)
{
	u32 mask = ctx->sq_entries - 1, n;
	struct vaal_sqe sqe;

	/* A peek, to spare the lock; the copy below decides. */
	if (READ_ONCE(ctx->sqes[idx & mask].opcode) != VAAL_OP_NOP)
		return 0;
	spin_lock_irq(&ctx->job_lock);
	for (n = 0; n < avail; n++) {
		memcpy(&sqe, &ctx->sqes[(idx + n) & mask], sizeof(sqe));
		if (!vaal_sqe_plain_nop(&sqe) ||
		    !vaal_job_nop_inline(ctx, sqe.user_data))
			break;
	}
	spin_unlock_irq(&ctx->job_lock);
	return n;
}

/* Consume up to @to_submit ring entries; under ctx->submit_lock. */
static long __vaal_hot vaal_submit(struct vaal_ctx *ctx, u32 to_submit)
{
	struct vaal_sqe raw[VAAL_SQE_MAX_SLOTS];
	u32 head = ctx->sq_head, queued, used = 0, nops;
	struct vaal_job *job, *copy;
	LIST_HEAD(dispatch);
	long ret = 0, count = 0;
	int slots;

	/*
	 * Completions parked for room user space made since are in flight;
	 * those that move in are posted now (a client's notifier hears it).
	 */
	if (READ_ONCE(ctx->cq.nr_overflow) && vaal_cq_flush_ctx(ctx, true))
		vaal_cq_wake(ctx);
	/* Pairs with user space's release of tail: the entries are written. */
	queued = smp_load_acquire(&ctx->sq->tail) - head;
	if (queued > ctx->sq_entries)
		return -EINVAL;
	to_submit = min(to_submit, queued);
	while (used < to_submit) {
		nops = vaal_submit_nops(ctx, head + used, to_submit - used);
		used += nops;
		count += nops;
		if (used == to_submit)
			break;
		/* Only completions change it meanwhile, and only down. */
		if (READ_ONCE(ctx->nr_inflight) >= ctx->max_inflight) {
			ret = -EBUSY;
			break;
		}
		slots = vaal_sqe_fetch(ctx, head + used, to_submit - used, raw);
		if (slots < 0) {
			ret = slots;
			break;
		}
		job = vaal_job_build(ctx, raw, slots, &copy);
		if (IS_ERR(job)) {
			ret = PTR_ERR(job);
			break;
		}
		vaal_job_submit(ctx, job, &dispatch);
		if (copy)
			vaal_job_submit_copy(ctx, copy, &dispatch);
		used += slots;
		count++;
	}
	ctx->sq_head = head + used;
	/* The entries are copied: user space may reuse them. */
	smp_store_release(&ctx->sq->head, ctx->sq_head);
	if (count)
		vaal_cq_wake(ctx);
	if (!list_empty(&dispatch))
		vaal_dispatch(&dispatch);
	return count ?: ret;
}

/* Entries user space queued that the kernel has not consumed. */
static bool vaal_sq_queued(struct vaal_ctx *ctx)
{
	return READ_ONCE(ctx->sq->tail) != ctx->sq_head;
}

static void vaal_sq_set_flags(struct vaal_ctx *ctx, u32 flags)
{
	WRITE_ONCE(ctx->sq->flags, flags);
	/* Pairs with user space's barrier between its tail store and this load. */
	smp_mb();
}

/*
 * The polling submission thread: consumes the ring while user space fills
 * it, and after sq_idle without work raises %VAAL_SQ_NEED_WAKEUP and
 * sleeps until woken (or new entries show up at the check after it raised
 * the flag).  vhost_task calls it in a loop, in TASK_INTERRUPTIBLE: it
 * sleeps when this returns false.  Being a thread of the context's
 * process, it charges the jobs it allocates to that process's memory
 * cgroup and its own CPU time to its cpu cgroup.
 */
static bool vaal_sq_thread_fn(void *data)
{
	struct vaal_ctx *ctx = data;
	long ret;

	if (unlikely(ctx->sq_aff)) {
		__set_current_state(TASK_RUNNING);
		ctx->sq_aff = false;
		set_cpus_allowed_ptr(current, cpumask_of(ctx->sq_cpu));
		return true;
	}
	if (!vaal_sq_queued(ctx)) {
		if (time_before(jiffies, ctx->sq_idle_until)) {
			__set_current_state(TASK_RUNNING);
			cond_resched();
			cpu_relax();
			return true;
		}
		vaal_sq_set_flags(ctx, VAAL_SQ_NEED_WAKEUP);
		if (!vaal_sq_queued(ctx))
			return false;
	}
	__set_current_state(TASK_RUNNING);
	if (READ_ONCE(ctx->sq->flags))
		vaal_sq_set_flags(ctx, 0);
	mutex_lock(&ctx->submit_lock);
	ret = vaal_submit(ctx, ctx->sq_entries);
	mutex_unlock(&ctx->submit_lock);
	if (ret > 0)
		ctx->sq_idle_until = jiffies + ctx->sq_idle;
	else	/* full, or garbage in the ring: back off */
		schedule_timeout_idle(1);
	cond_resched();
	return true;
}

/* Killed with its process: its context is going away, nothing to do. */
static void vaal_sq_thread_killed(void *data)
{
}

/**
 * vaal_sq_thread_create - the polling thread of a context, not running yet
 * @ctx: the context, being set up by its process
 * @req: the checked setup request
 *
 * Return: 0 or a negative errno.
 */
int vaal_sq_thread_create(struct vaal_ctx *ctx, const struct vaal_setup *req)
{
	char name[32];	/* the comm keeps TASK_COMM_LEN of it */
	struct vhost_task *t;

	ctx->sq_idle = msecs_to_jiffies(req->sq_idle_ms);
	ctx->sq_idle_until = jiffies + ctx->sq_idle;
	ctx->sq_aff = req->flags & VAAL_SETUP_SQ_AFF;
	ctx->sq_cpu = req->sq_cpu;
	snprintf(name, sizeof(name), "vaal-sqp-%d", task_pid_nr(current));
	t = vhost_task_create(vaal_sq_thread_fn, vaal_sq_thread_killed, ctx,
			      name);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ctx->sq_thread = t;
	return 0;
}

/**
 * vaal_sq_thread_stop - stop a context's polling thread, if it has one
 * @ctx: the context
 */
void vaal_sq_thread_stop(struct vaal_ctx *ctx)
{
	if (!ctx->sq_thread)
		return;
	vhost_task_stop(ctx->sq_thread);
	ctx->sq_thread = NULL;
}

static __always_inline int vaal_enter_check(struct vaal_ctx *ctx,
					    const struct vaal_enter *req)
{
	BUILD_BUG_ON(ARRAY_SIZE(req->reserved) != 2);
	if (req->flags & ~VAAL_ENTER_FLAGS_ALL ||
	    req->reserved[0] | req->reserved[1])
		return -EINVAL;
	if (!(req->flags & VAAL_ENTER_GETEVENTS) && req->min_complete)
		return -EINVAL;
	if (!(req->flags & VAAL_ENTER_TIMEOUT) && req->timeout_ns)
		return -EINVAL;
	/* Pairs with the release in vaal_ring_create(): the rings are whole. */
	if (!smp_load_acquire(&ctx->rings))
		return -EBADFD;
	if (req->to_submit > ctx->sq_entries ||
	    req->min_complete > ctx->cq.entries)
		return -EINVAL;
	/* The polling thread alone consumes the ring of an SQPOLL context. */
	if (ctx->sq_thread ? req->to_submit : req->flags & VAAL_ENTER_SQ_WAKEUP)
		return -EINVAL;
	return 0;
}

/* Check an ENTER and consume its submissions: all of it but the wait. */
static __always_inline long vaal_enter_submit(struct vaal_ctx *ctx,
					      const struct vaal_enter *req)
{
	long submitted = 0;
	int ret;

	ret = vaal_enter_check(ctx, req);
	if (ret)
		return ret;
	if (req->flags & VAAL_ENTER_SQ_WAKEUP)
		vhost_task_wake(ctx->sq_thread);
	if (req->to_submit) {
		mutex_lock(&ctx->submit_lock);
		submitted = vaal_submit(ctx, req->to_submit);
		mutex_unlock(&ctx->submit_lock);
	}
	return submitted;
}

/**
 * vaal_enter_nowait - %VAAL_IOC_ENTER without %VAAL_ENTER_GETEVENTS, for an
 *	in-kernel client, which waits on its own
 * @ctx: the context
 * @req: the request; %VAAL_ENTER_SQ_WAKEUP its only flag
 *
 * Completions parked while the completion ring was full also move into
 * the room its consumer made since (GETEVENTS does that for user space),
 * and waiters are told as of posted ones: a call with nothing to submit
 * does that alone.
 *
 * Return: submissions consumed, or -EINVAL, -EBUSY, -EBADFD.
 */
long vaal_enter_nowait(struct vaal_ctx *ctx, const struct vaal_enter *req)
{
	long ret;

	if (req->flags & ~VAAL_ENTER_SQ_WAKEUP)
		return -EINVAL;
	ret = vaal_enter_submit(ctx, req);
	/* Pairs with the release in vaal_ring_create(): the rings are whole. */
	if (smp_load_acquire(&ctx->rings) && READ_ONCE(ctx->cq.nr_overflow) &&
	    vaal_cq_flush_ctx(ctx, true))
		vaal_cq_wake(ctx);
	return ret;
}

long __vaal_hot vaal_ioc_enter(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_enter req;
	long submitted;
	u32 usize;
	int ret;

	/* The hot path: one copy when user space knows this very struct. */
	if (copy_from_user(&req, uarg, sizeof(req)) || req.size != sizeof(req)) {
		ret = vaal_copy_args(&req, sizeof(req), uarg,
				     VAAL_ENTER_SIZE_VER0, &usize);
		if (ret)
			return ret;
	}
	submitted = vaal_enter_submit(ctx, &req);
	if (submitted < 0)
		return submitted;
	if (req.flags & VAAL_ENTER_GETEVENTS) {
		ret = vaal_cq_wait(ctx, req.min_complete, req.timeout_ns,
				      req.flags & VAAL_ENTER_TIMEOUT);
		if (ret && !submitted)
			return ret;
	}
	return submitted;
}
