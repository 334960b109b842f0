// SPDX-License-Identifier: GPL-2.0
/*
 * launch.c - a work, from its pull to its completion
 *
 * The thread that pulled a work runs it: the geometry becomes a grid of
 * blocks, the buffer arguments are mapped, vcuda_run() launches the
 * kernel in the CUDA context of the work's vaal context and waits for it,
 * polling, until it ends or its deadline passes; then the work is
 * completed with the device time the events measured.
 *
 * Geometry: dims 1 to 3, each global size a multiple of its local size;
 * grid = global / local, block = local.  Local sizes all zero (the runtime
 * to choose) take the largest block of at most 256 threads that divides
 * the first dimension, and 1 in the others.  A launch without geometry
 * (dims 0) runs one thread: a grid and a block of 1 x 1 x 1.  Anything
 * else fails with -EINVAL and a log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_cudad.h"

#define AUTO_BLOCK	256	/* threads of a block the daemon chooses */

static void work_complete(const struct vaal_ctrl_pull *p, int res,
			  uint64_t ns, const char *log)
{
	int ret;

	ret = vaal_ctrl_complete_log(ctrl_fd, p->token, res, ns, log,
				     log ? strlen(log) : 0);
	__atomic_add_fetch(&stats.works, 1, __ATOMIC_RELAXED);
	if (ret)
		vlog("unit %u: complete %s: %s", p->unit, p->name,
		     strerror(-ret));
	else if (opt.verbose)
		vlog("unit %u: context %llu: %s: %s", p->unit,
		     (unsigned long long)p->ctx_id, p->name,
		     res ? strerror(-res) : "done");
}

/* The grid and block of @p's geometry; 0, or -EINVAL with a log. */
static int grid_of(const struct vaal_ctrl_pull *p, struct vcuda_work *w,
		   char **log)
{
	const struct vaal_launch_geometry *g = &p->geometry;
	unsigned int i, auto_local = !g->local[0];
	uint64_t local;

	for (i = 0; i < 3; i++)
		w->grid[i] = w->block[i] = 1;
	if (!g->dims)
		return 0;
	i = 0;
	if (g->dims > VAAL_MAX_DIMS)
		goto out_bad;
	for (i = 0; i < g->dims; i++) {
		local = g->local[i];
		if (auto_local && !i)
			for (local = AUTO_BLOCK; g->global[0] % local; local--)
				;
		else if (auto_local)
			local = 1;
		if (!local || g->global[i] % local ||
		    g->global[i] / local > INT32_MAX)
			goto out_bad;
		w->grid[i] = g->global[i] / local;
		w->block[i] = local;
	}
	return 0;

out_bad:
	*log = ctrld_msg("%s: %s: kernel '%s': geometry not for CUDA: dimension %u, global %llu, local %u: the global size must be a multiple of the local one, and at most 2^31 - 1 blocks\n",
		   prog, opt.name, p->name, i,
		   (unsigned long long)g->global[i], g->local[i]);
	return -EINVAL;
}

/* The buffer arguments of @p into @w; 0, or a negative errno + log. */
static int buffers(struct unit *u, const struct vaal_ctrl_pull *p,
		   struct vcuda_work *w, char **log)
{
	const struct vaal_ctrl_arg *a;
	unsigned int i;
	char *map;

	w->nr_bufs = p->nr_args;
	for (i = 0; i < p->nr_args; i++) {
		a = &p->args[i];
		map = slot_map(u, i, a);
		if (!map) {
			*log = ctrld_msg("%s: %s: kernel '%s': buffer argument %u (%u bytes at %llu of %llu): %s\n",
				   prog, opt.name, p->name, i, a->length,
				   (unsigned long long)a->offset,
				   (unsigned long long)a->buf_bytes,
				   strerror(errno));
			return -errno;
		}
		w->bufs[i].host = map + a->offset;
		w->bufs[i].len = a->length;
		w->bufs[i].mode = (a->mode & VAAL_ARG_IN ? VCUDA_IN : 0) |
				  (a->mode & VAAL_ARG_OUT ? VCUDA_OUT : 0);
	}
	return 0;
}

/* Complete a work that vcuda_run() returned @res for. */
static void work_done(struct unit *u, const struct vaal_ctrl_pull *p,
		      struct vwork *vw, struct vcuda_work *w, int res)
{
	int outcome = VCTX_OK;
	char *log = NULL;

	__atomic_add_fetch(&stats.staged_bytes, w->staged_bytes,
			   __ATOMIC_RELAXED);
	if (res == -ETIMEDOUT) {
		outcome = VCTX_ABANDON;
		slots_abandon(u);
		log = ctrld_msg("%s: %s: kernel '%s' ran past its deadline on unit %u: a CUDA kernel cannot be stopped: its CUDA context (vaal context %llu) is abandoned with it, and the next launch gets a new one\n",
			  prog, opt.name, p->name, u->idx,
			  (unsigned long long)p->ctx_id);
	} else if (res && vcuda_is_sticky(w->err)) {
		outcome = VCTX_POISONED;
		log = ctrld_msg("%s: %s: kernel '%s' (key %llu) faulted: %s: its CUDA context (vaal context %llu) is destroyed, and the next launch gets a new one\n",
			  prog, opt.name, p->name,
			  (unsigned long long)p->kernel_key,
			  vcuda_err_name(w->err),
			  (unsigned long long)p->ctx_id);
	} else if (res) {
		log = ctrld_msg("%s: %s: kernel '%s': %s: %s (grid %u %u %u, block %u %u %u)\n",
			  prog, opt.name, p->name, w->what,
			  vcuda_err_name(w->err), w->grid[0], w->grid[1],
			  w->grid[2], w->block[0], w->block[1], w->block[2]);
	}
	vctx_put(vw, outcome);
	if (opt.verbose && w->staged_bytes)
		vlog("unit %u: %s: %llu bytes staged", u->idx, p->name,
		     (unsigned long long)w->staged_bytes);
	work_complete(p, res, res ? UINT64_MAX : w->device_ns, log);
	free(log);
}

/**
 * work_run - run pulled work and complete it
 * @p: the pull that describes the work
 */
void work_run(const struct vaal_ctrl_pull *p)
{
	struct vcuda_work w = {
		.deadline_ns = p->deadline_ns ? p->deadline_ns : UINT64_MAX,
	};
	struct vwork vw;
	char *log = NULL;
	struct unit *u;
	int res;

	if (p->unit >= nr_units || !memchr(p->name, '\0', sizeof(p->name)) ||
	    p->nr_args > VAAL_MAX_ARGS ||
	    p->scalar_bytes > VAAL_MAX_SCALAR_BYTES || !p->kernel_key) {
		vlog("malformed work on unit %u", p->unit);
		work_complete(p, -EPROTO, UINT64_MAX, NULL);
		return;
	}
	u = &units[p->unit];
	res = grid_of(p, &w, &log);
	if (!res)
		res = vctx_get(p, &vw, &log);
	if (res)
		goto out_fail;
	w.m = &vw.mod;
	w.scalars = p->scalars;
	res = buffers(u, p, &w, &log);
	if (res) {
		vctx_put(&vw, VCTX_OK);
		goto out_fail;
	}
	res = vcuda_run(&vw.vc, vw.st, &w);
	work_done(u, p, &vw, &w, res);
	return;

out_fail:
	work_complete(p, res, UINT64_MAX, log);
	free(log);
}
