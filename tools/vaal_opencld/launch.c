// SPDX-License-Identifier: GPL-2.0
/*
 * launch.c - a work on its unit: the kernel's arguments, the enqueue, and
 * the completion that the command's event brings
 *
 * A unit holds one work at a time, from its pull until it is completed.
 * The work is enqueued on the unit's command queue and left there: the
 * completion comes from the runtime's event callback, with the device time
 * from the event's profiling information, so the pulling thread goes on
 * pulling, and a queue holds as many works as it has units.  A launch
 * without geometry runs one work-item.
 *
 * Each work has its unit's generation; the callback of a work whose unit
 * has moved on (it ran past its deadline and was abandoned) only drops its
 * event.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_opencld.h"

static int closing;	/* under every unit's lock: the file is going */
unsigned int nr_abandoned;	/* atomic: kernels left running */

static void *cookie(const struct unit *u, uint32_t gen)
{
	return (void *)(((uintptr_t)gen << 16) | u->idx);
}

/* Drop what the unit's work held in the runtime; under its lock. */
static void unit_release(struct unit *u)
{
	unsigned int i;

	for (i = 0; i < u->nr_tmp; i++)
		clReleaseMemObject(u->tmp_mem[i]);
	u->nr_tmp = 0;
	if (u->kev)
		clReleaseEvent(u->kev);
	u->kev = NULL;
}

/**
 * unit_complete - give a unit's work back to the core
 * @u: the unit
 * @gen: the generation of the work
 * @res: its result
 * @device_ns: its device time, UINT64_MAX for the time the unit held it
 * @log: a log for its kernel, or NULL
 * @log_len: bytes at @log
 *
 * Return: 0, -ESTALE when the unit no longer holds that work, or the
 * ioctl's errno.
 */
int unit_complete(struct unit *u, uint32_t gen, int res, uint64_t device_ns,
		  const char *log, size_t log_len)
{
	struct kent *k;
	uint64_t token;
	int ret = 0;

	pthread_mutex_lock(&u->lock);
	if (!u->busy || u->gen != gen) {
		pthread_mutex_unlock(&u->lock);
		return -ESTALE;
	}
	unit_release(u);
	u->busy = 0;
	k = u->kent;
	u->kent = NULL;
	token = u->token;
	if (!closing)
		ret = vaal_ctrl_complete_log(ctrl_fd, token, res, device_ns,
					     log, log_len);
	pthread_mutex_unlock(&u->lock);
	TRACE("completed");
	if (ret)
		vlog("unit %u: complete %s: %s", u->idx, k ? kent_name(k) : "?",
		     strerror(-ret));
	else if (opt.verbose)
		vlog("unit %u: %s: %s", u->idx, k ? kent_name(k) : "?",
		     res ? strerror(-res) : "done");
	if (k)
		kent_put(k);
	return ret;
}

/* The device time of a finished kernel, from its profiling events. */
static uint64_t kernel_ns(cl_event ev)
{
	cl_ulong start, end;

	if (!ev ||
	    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START,
				    sizeof(start), &start, NULL) ||
	    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END,
				    sizeof(end), &end, NULL) || end < start)
		return UINT64_MAX;
	return end - start;
}

static void CL_CALLBACK on_done(cl_event ev, cl_int status, void *data)
{
	uintptr_t c = (uintptr_t)data;
	struct unit *u = &units[c & 0xffff];
	uint32_t gen = c >> 16;
	uint64_t ns = UINT64_MAX;
	char *log = NULL;
	int res = 0;

	TRACE("callback");
	pthread_mutex_lock(&u->lock);
	if (!u->busy || u->gen != gen) {
		pthread_mutex_unlock(&u->lock);
		clReleaseEvent(ev);
		return;
	}
	if (__atomic_load_n(&u->faulted, __ATOMIC_ACQUIRE)) {
		res = -EFAULT;
		log = ctrld_msg("%s: %s: kernel '%s' (key %llu) read or wrote outside its buffer arguments, or wrote one it only reads: the launch on unit %u faulted and is void\n",
			  prog, opt.name, kent_name(u->kent),
			  (unsigned long long)kent_key(u->kent), u->idx);
		__atomic_store_n(&u->faulted, 0, __ATOMIC_RELAXED);
		slots_refresh(u);
	} else if (status < 0) {
		res = -EIO;
		log = ctrld_msg("%s: %s: kernel '%s' (key %llu): the runtime aborted the launch: %s\n",
			  prog, opt.name, kent_name(u->kent),
			  (unsigned long long)kent_key(u->kent),
			  cl_err_name(status));
	} else {
		ns = kernel_ns(u->kev);
	}
	pthread_mutex_unlock(&u->lock);
	unit_complete(u, gen, res, ns, log, log ? strlen(log) : 0);
	free(log);
	clReleaseEvent(ev);
}

/* Map the runtime's copies of the outputs back, after @*last. */
static cl_int map_back(struct unit *u, cl_command_queue q,
		       const struct vaal_ctrl_pull *p, const int *tmp_of,
		       cl_event *last)
{
	cl_event mev, uev;
	unsigned int i;
	cl_int err;
	void *ptr;

	for (i = 0; i < p->nr_args; i++) {
		if (tmp_of[i] < 0 || p->args[i].mode == VAAL_ARG_IN)
			continue;
		ptr = clEnqueueMapBuffer(q, u->tmp_mem[tmp_of[i]], CL_FALSE,
					 CL_MAP_READ, 0, p->args[i].length, 1,
					 last, &mev, &err);
		if (!ptr)
			return err;
		err = clEnqueueUnmapMemObject(q, u->tmp_mem[tmp_of[i]], ptr, 1,
					      &mev, &uev);
		clReleaseEvent(mev);
		if (err)
			return err;
		clReleaseEvent(*last);
		*last = uev;
	}
	return CL_SUCCESS;
}

/**
 * work_launch - enqueue a work whose kernel is built (or failed to)
 * @u: its unit
 * @gen: the unit's generation for the work
 * @p: the pull describing it
 * @k: its kernel, with a reference the work takes over
 */
void work_launch(struct unit *u, uint32_t gen, const struct vaal_ctrl_pull *p,
		 struct kent *k)
{
	size_t global[VAAL_MAX_DIMS] = { 1 }, local[VAAL_MAX_DIMS] = { 0 };
	const struct vaal_launch_geometry *g = &p->geometry;
	int tmp_of[VAAL_MAX_ARGS], tmp, res;
	cl_event ev = NULL, last = NULL;
	const char *klog = NULL;
	unsigned int i, dims = 1;
	char *log = NULL;
	cl_command_queue q;
	size_t klog_len;
	cl_kernel kern;
	cl_mem mem;
	cl_int err;

	pthread_mutex_lock(&u->lock);
	if (!u->busy || u->gen != gen) {
		pthread_mutex_unlock(&u->lock);
		kent_put(k);
		return;
	}
	u->kent = k;
	res = kent_failed(k, u->dev, &klog, &klog_len);
	if (res)
		goto out_fail;
	kern = kent_kernel(k, u, &err);
	if (!kern) {
		res = cl_errno(err);
		log = ctrld_msg("%s: %s: kernel '%s': %s\n", prog, opt.name,
			  kent_name(k), cl_err_name(err));
		goto out_fail;
	}
	for (i = 0; i < p->nr_args; i++) {
		tmp_of[i] = -1;
		res = slot_mem(u, i, &p->args[i], &mem, &tmp);
		if (res) {
			log = ctrld_msg("%s: %s: kernel '%s': buffer argument %u (%llu bytes at %llu of %llu): %s\n",
				  prog, opt.name, kent_name(k), i,
				  (unsigned long long)p->args[i].length,
				  (unsigned long long)p->args[i].offset,
				  (unsigned long long)p->args[i].buf_bytes,
				  strerror(-res));
			goto out_fail;
		}
		if (tmp) {
			tmp_of[i] = u->nr_tmp;
			u->tmp_mem[u->nr_tmp++] = mem;
		}
		err = clSetKernelArg(kern, i, sizeof(mem), &mem);
		if (err)
			goto out_cl;
	}
	err = kent_set_scalars(k, u->dev, kern, p);
	if (err)
		goto out_cl;
	if (g->dims) {
		dims = g->dims;
		for (i = 0; i < dims; i++) {
			global[i] = g->global[i];
			local[i] = g->local[i];
		}
	}
	q = queue_of(u);
	err = clEnqueueNDRangeKernel(q, kern, dims, NULL, global,
				     local[0] ? local : NULL, 0, NULL, &ev);
	if (err)
		goto out_cl;
	last = ev;
	clRetainEvent(last);
	err = map_back(u, q, p, tmp_of, &last);
	if (err) {
		/* The kernel is queued: let it end, then fail the work. */
		clReleaseEvent(last);
		clWaitForEvents(1, &ev);
		clReleaseEvent(ev);
		goto out_cl;
	}
	u->kev = ev;
	pthread_mutex_unlock(&u->lock);

	/* The callback's own reference is @last's. */
	err = clSetEventCallback(last, CL_COMPLETE, on_done, cookie(u, gen));
	clFlush(q);
	TRACE("flushed");
	if (err) {
		clWaitForEvents(1, &last);
		on_done(last, CL_COMPLETE, cookie(u, gen));
	}
	return;

out_cl:
	res = cl_errno(err);
	log = ctrld_msg("%s: %s: kernel '%s': cannot launch it: %s (dimensions %u, global %zu %zu %zu, local %zu %zu %zu)\n",
		  prog, opt.name, kent_name(k), cl_err_name(err), dims,
		  global[0], global[1], global[2], local[0], local[1], local[2]);
out_fail:
	pthread_mutex_unlock(&u->lock);
	if (log) {
		klog = log;
		klog_len = strlen(log);
	}
	unit_complete(u, gen, res, UINT64_MAX, klog, klog_len);
	free(log);
}

/**
 * work_start - take pulled work onto its unit and launch it
 * @p: the pull that describes the work
 */
void work_start(const struct vaal_ctrl_pull *p)
{
	struct unit *u;
	struct kent *k;
	uint32_t gen;
	int ret;

	if (p->unit >= nr_units) {
		vlog("work on unit %u, which we do not have", p->unit);
		vaal_ctrl_complete(ctrl_fd, p->token, -EPROTO);
		return;
	}
	u = &units[p->unit];
	pthread_mutex_lock(&u->lock);
	gen = ++u->gen;
	u->busy = 1;
	u->token = p->token;
	u->deadline_ns = p->deadline_ns;
	u->kent = NULL;
	pthread_mutex_unlock(&u->lock);
	watchdog_kick(p->deadline_ns);

	if (!memchr(p->name, '\0', sizeof(p->name)) ||
	    p->nr_args > VAAL_MAX_ARGS ||
	    p->scalar_bytes > VAAL_MAX_SCALAR_BYTES || !p->kernel_key) {
		unit_complete(u, gen, -EPROTO, UINT64_MAX, NULL, 0);
		return;
	}
	ret = kent_get(u, gen, p, &k);
	if (ret == KENT_PARKED)
		return;
	if (ret < 0) {
		unit_complete(u, gen, ret, UINT64_MAX, NULL, 0);
		return;
	}
	work_launch(u, gen, p, k);
}

/**
 * unit_abandon - give up a work past its deadline
 * @u: the unit
 * @gen: the generation of the work
 *
 * A kernel cannot be stopped: when one is running, its mappings become
 * scratch memory for good and an in-order queue is replaced by a fresh
 * one, so that the unit can take new work; the kernel runs on, harmless.
 */
void unit_abandon(struct unit *u, uint32_t gen)
{
	uint64_t token, deadline;
	const char *what = "";
	struct kent *k;
	char *log;
	int ret = 0;

	pthread_mutex_lock(&u->lock);
	if (!u->busy || u->gen != gen || mono_ns() < u->deadline_ns) {
		pthread_mutex_unlock(&u->lock);
		return;
	}
	deadline = u->deadline_ns;
	if (u->kev) {
		__atomic_add_fetch(&nr_abandoned, 1, __ATOMIC_RELAXED);
		slots_abandon(u);
		what = ", its buffers let go";
		if (!u->dev->ooo) {
			queue_replace(u);
			what = ", its buffers let go, its queue replaced";
		}
	}
	unit_release(u);
	u->busy = 0;
	k = u->kent;
	u->kent = NULL;
	token = u->token;
	log = ctrld_msg("%s: %s: kernel '%s' ran past its deadline on unit %u: abandoned%s\n",
		  prog, opt.name, k ? kent_name(k) : "?", u->idx, what);
	if (!closing)
		ret = vaal_ctrl_complete_log(ctrl_fd, token, -ETIMEDOUT,
					     UINT64_MAX, log,
					     log ? strlen(log) : 0);
	pthread_mutex_unlock(&u->lock);
	vlog("unit %u: %s: past its deadline by %llu ms: abandoned%s%s%s",
	     u->idx, k ? kent_name(k) : "?",
	     (unsigned long long)(mono_ns() - deadline) / 1000000, what,
	     ret ? ": " : "", ret ? strerror(-ret) : "");
	free(log);
	if (k)
		kent_put(k);
}

/**
 * units_close - no completion goes to the file any more
 *
 * Waits for completions on their way (every unit's lock is taken once).
 */
void units_close(void)
{
	unsigned int i;

	for (i = 0; i < nr_units; i++)
		pthread_mutex_lock(&units[i].lock);
	closing = 1;
	for (i = 0; i < nr_units; i++)
		pthread_mutex_unlock(&units[i].lock);
}
