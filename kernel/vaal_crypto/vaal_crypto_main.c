// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_main.c - the crypto-API controller: module life cycle, the
 * controller's operations and the path every launch takes
 *
 * ops->start() may be called in softirq context and must not sleep, while
 * allocating a transform may load a module: start() only queues the unit's
 * work item.  The worker finds the transform, lets the algorithm's kind
 * check the launch and submit its request, and either the request's
 * callback or the worker itself (when the algorithm completed at once or
 * the launch failed) ends the launch in vaal_crypto_finish().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "vaal_crypto.h"

static unsigned int units = 4;
module_param(units, uint, 0444);
MODULE_PARM_DESC(units, "units of the controller: launches run at once (1-256, default 4)");

/* Transforms the cache keeps beyond one per unit. */
#define VAAL_CRYPTO_CACHE_SPARE		16

/**
 * struct vaal_crypto_ctrl - the controller
 * @ctrl: what vaal_core knows of it
 * @wq: runs the units' work items
 * @cache: the transforms
 * @units: &vaal_controller.nr_units of them
 */
struct vaal_crypto_ctrl {
	struct vaal_controller ctrl;
	struct workqueue_struct *wq;
	struct vaal_crypto_cache cache;
	struct vaal_crypto_unit *units;
};

static struct vaal_crypto_ctrl vaal_crypto;

/*
 * The launch on @u ended with @err: free what it holds and report it.  The
 * unit may get its next launch as soon as vaal_work_done() is called, so
 * nothing of @u is touched after it.  The RCU read-side section lets
 * module exit wait for callbacks still returning from here.
 */
static void vaal_crypto_finish(struct vaal_crypto_unit *u, int err)
{
	struct vaal_work *vw = u->vw;

	if (u->tfm) {
		u->tfm->type->finish(u, err);
		u->req = NULL;
		vaal_crypto_tfm_put(u->tfm);
		u->tfm = NULL;
	}
	sg_free_table(&u->src);
	sg_free_table(&u->dst);
	rcu_read_lock();
	vaal_work_done(vw, err);
	rcu_read_unlock();
}

/**
 * vaal_crypto_req_done() - completion callback of every request
 * @data: the unit whose launch the request is
 * @err: the request's status; -EINPROGRESS when a backlogged request
 *	entered the queue, the final call follows
 *
 * May be called in softirq context.
 */
void vaal_crypto_req_done(void *data, int err)
{
	if (err == -EINPROGRESS)
		return;
	vaal_crypto_finish(data, err);
}

/* Whether @vw's signature is what launches of @type need. */
static bool vaal_crypto_signature_ok(const struct vaal_crypto_type *type,
				     const struct vaal_work *vw)
{
	unsigned int i;
	u32 scalar_bytes;

	if (vaal_work_nr_args(vw) != type->nr_args)
		return false;
	vaal_work_scalars(vw, &scalar_bytes);
	if (scalar_bytes != type->scalar_bytes)
		return false;
	for (i = 0; i < type->nr_args; i++) {
		u8 mode = vaal_work_arg_mode(vw, i);

		if ((mode & type->modes[i]) != type->modes[i])
			return false;
	}
	return true;
}

/* Find the launch's transform, check the launch and submit it. */
static int vaal_crypto_submit(struct vaal_crypto_unit *u)
{
	int ret;

	ret = vaal_crypto_tfm_get(u->cache, u->vw, u->idx, &u->tfm);
	if (ret)
		return ret;
	if (!vaal_crypto_signature_ok(u->tfm->type, u->vw))
		return -EINVAL;
	return u->tfm->type->submit(u);
}

static void vaal_crypto_run(struct work_struct *work)
{
	struct vaal_crypto_unit *u;
	int ret;

	u = container_of(work, struct vaal_crypto_unit, work);
	if (READ_ONCE(u->cancel) == u->vw)
		ret = -ECANCELED;
	else
		ret = vaal_crypto_submit(u);
	if (ret != -EINPROGRESS)
		vaal_crypto_finish(u, ret);
}

static int vaal_crypto_start(struct vaal_controller *ctrl, unsigned int unit,
			     struct vaal_work *work)
{
	struct vaal_crypto_ctrl *vc;
	struct vaal_crypto_unit *u;

	vc = container_of(ctrl, struct vaal_crypto_ctrl, ctrl);
	if (WARN_ON_ONCE(unit >= ctrl->nr_units))
		return -EINVAL;
	u = &vc->units[unit];
	u->vw = work;
	WRITE_ONCE(u->cancel, NULL);
	work->priv = u;
	queue_work(vc->wq, &u->work);
	return 0;
}

/*
 * A request in the crypto API cannot be recalled: only a launch still
 * waiting for the worker is stopped (-ECANCELED).  One already submitted
 * keeps its unit until the algorithm completes it.
 */
static void vaal_crypto_cancel(struct vaal_controller *ctrl, unsigned int unit,
			       struct vaal_work *work)
{
	struct vaal_crypto_unit *u = work->priv;

	WRITE_ONCE(u->cancel, work);
}

static const struct vaal_ctrl_ops vaal_crypto_ops = {
	.start	= vaal_crypto_start,
	.cancel	= vaal_crypto_cancel,
};

static int vaal_crypto_units_alloc(struct vaal_crypto_ctrl *vc,
				   unsigned int nr)
{
	unsigned int i;

	vc->units = kcalloc(nr, sizeof(*vc->units), GFP_KERNEL);
	if (!vc->units)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		INIT_WORK(&vc->units[i].work, vaal_crypto_run);
		vc->units[i].cache = &vc->cache;
		vc->units[i].idx = i;
	}
	return 0;
}

static int __init vaal_crypto_init(void)
{
	struct vaal_crypto_ctrl *vc = &vaal_crypto;
	int ret;

	if (units < 1 || units > VAAL_MAX_UNITS) {
		pr_err("units=%u: must be 1 to %d\n", units, VAAL_MAX_UNITS);
		return -EINVAL;
	}
	ret = vaal_crypto_units_alloc(vc, units);
	if (ret)
		return ret;
	vaal_crypto_cache_init(&vc->cache, units + VAAL_CRYPTO_CACHE_SPARE);
	vc->wq = alloc_workqueue("vaal_crypto", WQ_UNBOUND, units);
	if (!vc->wq) {
		ret = -ENOMEM;
		goto free_units;
	}
	strscpy(vc->ctrl.name, "crypto0");
	strscpy(vc->ctrl.class, "crypto");
	vc->ctrl.nr_units = units;
	vc->ctrl.ops = &vaal_crypto_ops;
	vc->ctrl.owner = THIS_MODULE;
	ret = vaal_controller_register(&vc->ctrl);
	if (ret) {
		pr_err("cannot register with vaal_core: %d\n", ret);
		goto destroy_wq;
	}
	return 0;

destroy_wq:
	destroy_workqueue(vc->wq);
free_units:
	kfree(vc->units);
	return ret;
}

static void __exit vaal_crypto_exit(void)
{
	struct vaal_crypto_ctrl *vc = &vaal_crypto;

	/* Waits until every launch started was done: the worker still runs. */
	vaal_controller_unregister(&vc->ctrl);
	destroy_workqueue(vc->wq);
	/* Callbacks still returning from vaal_crypto_finish(). */
	synchronize_rcu();
	vaal_crypto_cache_destroy(&vc->cache);
	kfree(vc->units);
}

module_init(vaal_crypto_init);
module_exit(vaal_crypto_exit);

MODULE_DESCRIPTION("V-Core accelerator controller: the kernel's crypto API");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
