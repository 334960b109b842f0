// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_client.c - contexts of in-kernel clients (vaal_client.h): the
 * mediated device of a guest, which has no file of /dev/vaal
 *
 * Each call is the core of an ioctl, the very function the ioctl runs
 * between copying its argument in and out: the same checks, the same
 * errnos.  What differs is where the memory comes from: the client lends
 * the pages of the rings and of the buffers, and the core holds a
 * reference on each for as long as it uses them.  The calls are
 * documented in vaal_client.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>

#include <vaal_client.h>
#include "vaal_internal.h"

static_assert(VAAL_CLIENT_LABEL_LEN == VAAL_SCHED_LABEL_LEN);

struct vaal_ctx *vaal_client_open(const char *label)
{
	/* The context is its process's: a kernel thread has none. */
	if (!current->mm)
		return ERR_PTR(-EINVAL);
	return vaal_ctx_new(&vaal_dev, label);
}
EXPORT_SYMBOL_GPL(vaal_client_open);

void vaal_client_close(struct vaal_ctx *ctx)
{
	/* Work still running wakes the queue: nothing may be left on it. */
	if (WARN_ON_ONCE(READ_ONCE(ctx->notify)))
		vaal_client_notify(ctx, NULL);
	vaal_ctx_close(ctx);
}
EXPORT_SYMBOL_GPL(vaal_client_close);

int vaal_client_close_wait(struct vaal_ctx *ctx)
{
	int ret;

	/* Ours keeps the context while its jobs let go of theirs. */
	kref_get(&ctx->ref);
	vaal_client_close(ctx);
	ret = wait_var_event_killable(&ctx->ref, kref_read(&ctx->ref) == 1);
	vaal_ctx_put(ctx);
	return ret ? -EINTR : 0;
}
EXPORT_SYMBOL_GPL(vaal_client_close_wait);

int vaal_client_query(struct vaal_ctx *ctx, struct vaal_query *q)
{
	return vaal_query(ctx, q);
}
EXPORT_SYMBOL_GPL(vaal_client_query);

int vaal_client_query_controllers(struct vaal_query_controllers *q,
				  void *info)
{
	return vaal_query_controllers(q, KERNEL_SOCKPTR(info));
}
EXPORT_SYMBOL_GPL(vaal_client_query_controllers);

/* The calls that ioctl()'s dispatch refuses to other processes check it too. */
int vaal_client_buf_create(struct vaal_ctx *ctx, struct vaal_buf_create *req,
			   struct page **pages, unsigned long nr_pages)
{
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	if (!pages)
		return -EINVAL;
	return vaal_buf_create(ctx, req, pages, nr_pages);
}
EXPORT_SYMBOL_GPL(vaal_client_buf_create);

int vaal_client_buf_destroy(struct vaal_ctx *ctx,
			    const struct vaal_buf_destroy *req)
{
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	return vaal_buf_destroy(ctx, req);
}
EXPORT_SYMBOL_GPL(vaal_client_buf_destroy);

int vaal_client_kernel_register(struct vaal_ctx *ctx,
				struct vaal_kernel_register *req,
				const void *blob)
{
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	return vaal_kernel_register(ctx, req, KERNEL_SOCKPTR((void *)blob));
}
EXPORT_SYMBOL_GPL(vaal_client_kernel_register);

int vaal_client_kernel_unregister(struct vaal_ctx *ctx,
				  const struct vaal_kernel_unregister *req)
{
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	return vaal_kernel_unregister(ctx, req);
}
EXPORT_SYMBOL_GPL(vaal_client_kernel_unregister);

int vaal_client_ring_bytes(struct vaal_setup *req)
{
	return vaal_setup_layout(req);
}
EXPORT_SYMBOL_GPL(vaal_client_ring_bytes);

int vaal_client_setup(struct vaal_ctx *ctx, struct vaal_setup *req,
		      struct page **pages, unsigned long nr_pages)
{
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	if (!pages)
		return -ENOSPC;
	return vaal_setup(ctx, req, pages, nr_pages, NULL, 0);
}
EXPORT_SYMBOL_GPL(vaal_client_setup);

long vaal_client_enter(struct vaal_ctx *ctx, u32 to_submit, u32 flags)
{
	const struct vaal_enter req = {
		.size		= sizeof(req),
		.flags		= flags,
		.to_submit	= to_submit,
	};

	if (!vaal_ctx_owned(ctx))
		return -EIO;
	return vaal_enter_nowait(ctx, &req);
}
EXPORT_SYMBOL_GPL(vaal_client_enter);

int vaal_client_sched_attr(struct vaal_ctx *ctx, struct vaal_sched_attr *attr,
			   bool set)
{
	int ret;

	ret = vaal_sched_attr_check(attr, set);
	if (ret)
		return ret;
	return vaal_sched_attr(ctx, attr, set);
}
EXPORT_SYMBOL_GPL(vaal_client_sched_attr);

/*
 * vaal_cq_wake() calls the entry's function whenever the queue is not
 * empty, which the entry alone makes it (wq_has_sleeper() is true).
 */
void vaal_client_notify(struct vaal_ctx *ctx, struct wait_queue_entry *wait)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->cq_wait.lock, flags);
	if (ctx->notify)
		__remove_wait_queue(&ctx->cq_wait, ctx->notify);
	WRITE_ONCE(ctx->notify, wait);
	if (wait)
		__add_wait_queue_entry_tail(&ctx->cq_wait, wait);
	spin_unlock_irqrestore(&ctx->cq_wait.lock, flags);
}
EXPORT_SYMBOL_GPL(vaal_client_notify);

/* As fdinfo reads them. */
void vaal_client_stats(struct vaal_ctx *ctx, struct vaal_client_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->job_lock, flags);
	st->submitted = ctx->submitted;
	st->completed = ctx->completed;
	st->inflight = ctx->nr_inflight;
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	st->nr_bufs = atomic_read(&ctx->nr_bufs);
	st->buf_bytes = atomic64_read(&ctx->buf_bytes);
	st->id = ctx->sched.id;
}
EXPORT_SYMBOL_GPL(vaal_client_stats);
