// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_pci_ctx.c - contexts: one device context per open file of /dev/vaal
 *
 * A context's pages (rings, buffers) are the driver's until the device can
 * no longer touch them.  The device may still run submissions after their
 * buffer's handle is gone, and after the file is closed, so:
 *
 *  - a buffer without handle and mapping waits on its context's zombie
 *    list until the device says the context has nothing in flight (its
 *    submissions naming the buffer were all consumed before the buffer
 *    was destroyed, so they are done);
 *  - a closed file's context is destroyed on the device once nothing of
 *    it is in flight: at once in the common case, else from a work item
 *    that looks again, less and less often;
 *  - a reset (an error, the device going away) ends every context of the
 *    device's generation, after which the device touches none of its pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vaal_pci_internal.h"

/* How soon, and at most how late, a busy closed context is looked at again. */
#define VAAL_PCI_CLOSE_DELAY_MIN	msecs_to_jiffies(10)
#define VAAL_PCI_CLOSE_DELAY_MAX	HZ

/**
 * vaal_pci_ctx_open - a new context on the device, for the current task
 * @vdev: the device
 *
 * Return: the context, or an ERR_PTR(): the device's -EMFILE or -EDQUOT
 * when it holds its contexts already, -ENOMEM, -EIO, -ENODEV.
 */
struct vaal_pci_ctx *vaal_pci_ctx_open(struct vaal_pci_dev *vdev)
{
	struct vaal_pci_ctx_create args = {};
	struct vaal_pci_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->vdev = vdev;
	INIT_LIST_HEAD(&ctx->node);
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->bufs, XA_FLAGS_ACCOUNT);
	spin_lock_init(&ctx->zombie_lock);
	INIT_LIST_HEAD(&ctx->zombies);
	spin_lock_init(&ctx->db_lock);
	spin_lock_init(&ctx->flush_lock);

	/* Polled when the device cannot interrupt. */
	args.flags = READ_ONCE(vdev->nr_vecs) ? 0 : VAAL_PCI_CTX_NO_IRQ;
	ret = vaal_pci_cmd(vdev, ctx, VAAL_PCI_CMD_CTX_CREATE, &args,
			   sizeof(args));
	if (ret)
		goto out_free_ctx;
	if (args.slot >= vdev->max_contexts) {
		dev_err_ratelimited(&vdev->pdev->dev, "context in slot %u of %u\n",
				    args.slot, vdev->max_contexts);
		ret = -EIO;
		goto out_free_ctx;
	}
	ctx->slot = args.slot;
	ctx->host_id = args.id;
	ctx->id = atomic64_fetch_inc(&vdev->next_id);
	ctx->mm = current->mm;
	mmgrab(ctx->mm);
	kref_get(&vdev->ref);
	return ctx;

out_free_ctx:
	kfree(ctx);
	return ERR_PTR(ret);
}

/**
 * vaal_pci_ctx_stats - the device's counters of a context
 * @ctx: the context
 * @st: filled
 *
 * Return: 0, -EIO when the context ended with a reset, -ENODEV.
 */
int vaal_pci_ctx_stats(struct vaal_pci_ctx *ctx, struct vaal_pci_stats *st)
{
	memset(st, 0, sizeof(*st));
	return vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_STATS, st, sizeof(*st));
}

/*
 * Is the device done with every page of @ctx it was given before now?
 * True when the context has nothing in flight, and when it ended with a
 * reset (or the device went away, which resets it).
 */
static bool vaal_pci_ctx_idle(struct vaal_pci_ctx *ctx)
{
	struct vaal_pci_stats st;
	int ret;

	ret = vaal_pci_ctx_stats(ctx, &st);
	if (ret == -EIO || ret == -ENODEV)
		return true;
	return !ret && !st.inflight;
}

/* Free buffers the device no longer uses. */
static void vaal_pci_zombies_free(struct list_head *list)
{
	struct vaal_pci_buf *buf, *tmp;

	list_for_each_entry_safe(buf, tmp, list, node) {
		list_del(&buf->node);
		vaal_pci_buf_free(buf);
	}
}

/**
 * vaal_pci_ctx_reap - free the context's dropped buffers if the device is
 *	done with them
 * @ctx: the context
 *
 * Sleeps (a device command) when there are any.
 */
void vaal_pci_ctx_reap(struct vaal_pci_ctx *ctx)
{
	LIST_HEAD(list);

	if (list_empty_careful(&ctx->zombies))
		return;
	/* Destroyed before the question: done if nothing is in flight. */
	spin_lock(&ctx->zombie_lock);
	list_splice_init(&ctx->zombies, &list);
	spin_unlock(&ctx->zombie_lock);
	if (vaal_pci_ctx_idle(ctx)) {
		vaal_pci_zombies_free(&list);
		return;
	}
	spin_lock(&ctx->zombie_lock);
	list_splice(&list, &ctx->zombies);
	spin_unlock(&ctx->zombie_lock);
}

/* Free a context the device no longer knows, with all its pages. */
static void vaal_pci_ctx_free(struct vaal_pci_ctx *ctx)
{
	struct vaal_pci_dev *vdev = ctx->vdev;

	vaal_pci_ring_free(ctx);
	vaal_pci_zombies_free(&ctx->zombies);
	xa_destroy(&ctx->bufs);
	mmdrop(ctx->mm);
	kfree(ctx);
	vaal_pci_dev_put(vdev);
}

/*
 * Destroy a closed context on the device and free it, once it is idle;
 * false while it is not.
 */
static bool vaal_pci_ctx_try_destroy(struct vaal_pci_ctx *ctx)
{
	int ret;

	if (!vaal_pci_ctx_idle(ctx))
		return false;
	ret = vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_CTX_DESTROY, NULL, 0);
	if (ret && ret != -EIO && ret != -ENODEV && ret != -EBADF) {
		/* The device may still hold the pages: they stay, lost. */
		dev_err_ratelimited(&ctx->vdev->pdev->dev,
				    "context in slot %u not destroyed: %d; its pages are kept\n",
				    ctx->slot, ret);
		return true;
	}
	vaal_pci_ctx_free(ctx);
	return true;
}

/**
 * vaal_pci_ctx_close - the context's file is closed
 * @ctx: the context; no mapping of it is left (mappings hold the file)
 *
 * Its buffers lose their handles; the context goes from the device, and
 * is freed, once the device has nothing of it in flight.
 */
void vaal_pci_ctx_close(struct vaal_pci_ctx *ctx)
{
	struct vaal_pci_dev *vdev = ctx->vdev;
	bool stopped;

	vaal_pci_buf_drop_all(ctx);
	if (vaal_pci_ctx_try_destroy(ctx))
		return;
	spin_lock(&vdev->close_lock);
	stopped = vdev->close_stop;
	if (!stopped) {
		list_add_tail(&ctx->node, &vdev->closing);
		vdev->close_delay = VAAL_PCI_CLOSE_DELAY_MIN;
		mod_delayed_work(system_wq, &vdev->close_work,
				 vdev->close_delay);
	}
	spin_unlock(&vdev->close_lock);
	/* The device was reset for good: nothing of it runs any more. */
	if (stopped)
		vaal_pci_ctx_free(ctx);
}

/**
 * vaal_pci_close_workfn - destroy the closed contexts that became idle
 * @work: &vaal_pci_dev.close_work
 */
void vaal_pci_close_workfn(struct work_struct *work)
{
	struct vaal_pci_dev *vdev = container_of(to_delayed_work(work),
						 struct vaal_pci_dev,
						 close_work);
	struct vaal_pci_ctx *ctx, *tmp;
	LIST_HEAD(list);
	LIST_HEAD(busy);

	spin_lock(&vdev->close_lock);
	list_splice_init(&vdev->closing, &list);
	spin_unlock(&vdev->close_lock);
	list_for_each_entry_safe(ctx, tmp, &list, node) {
		list_del_init(&ctx->node);
		if (!vaal_pci_ctx_try_destroy(ctx))
			list_add_tail(&ctx->node, &busy);
	}
	spin_lock(&vdev->close_lock);
	list_splice(&busy, &vdev->closing);
	if (!list_empty(&vdev->closing) && !vdev->close_stop) {
		vdev->close_delay = min(2 * vdev->close_delay,
					(unsigned long)VAAL_PCI_CLOSE_DELAY_MAX);
		mod_delayed_work(system_wq, &vdev->close_work,
				 vdev->close_delay);
	}
	spin_unlock(&vdev->close_lock);
}

/**
 * vaal_pci_close_all - free every closed context: the device is reset and
 *	gone
 * @vdev: the device
 *
 * Contexts closed from now on are freed as they close.
 */
void vaal_pci_close_all(struct vaal_pci_dev *vdev)
{
	struct vaal_pci_ctx *ctx, *tmp;

	spin_lock(&vdev->close_lock);
	vdev->close_stop = true;
	spin_unlock(&vdev->close_lock);
	cancel_delayed_work_sync(&vdev->close_work);
	list_for_each_entry_safe(ctx, tmp, &vdev->closing, node) {
		list_del(&ctx->node);
		vaal_pci_ctx_free(ctx);
	}
}
