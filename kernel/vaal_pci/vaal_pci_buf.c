// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_pci_buf.c - buffers: zeroed guest pages, charged to the creating
 * task's memory cgroup, that the device uses in place (it pins them on the
 * host) and user space maps at the buffer's handle << 32, as on the host
 *
 * The device learns a set of pages from a page list: list pages of
 * %VAAL_PCI_LIST_ENTRIES addresses, the last entry of each but the last
 * one naming the next list page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "vaal_pci_internal.h"

static_assert(sizeof(struct vaal_buf_create) == VAAL_BUF_CREATE_SIZE_VER0);
static_assert(sizeof(struct vaal_buf_destroy) == VAAL_BUF_DESTROY_SIZE_VER0);

/**
 * vaal_pci_pages_free - free pages the device no longer uses
 * @vdev: the device
 * @pg: the pages; empty after
 */
void vaal_pci_pages_free(struct vaal_pci_dev *vdev, struct vaal_pci_pages *pg)
{
	unsigned long i;

	for (i = 0; i < pg->nr; i++)
		dma_free_pages(&vdev->pdev->dev, PAGE_SIZE, pg->pages[i],
			       pg->dma[i], DMA_BIDIRECTIONAL);
	kvfree(pg->pages);
	kvfree(pg->dma);
	memset(pg, 0, sizeof(*pg));
}

/**
 * vaal_pci_pages_alloc - zeroed pages for the device, charged to the
 *	current task's memory cgroup
 * @vdev: the device
 * @pg: out: the pages
 * @nr: how many
 *
 * The device is virtual and its memory coherent (x86), so that user space
 * and the device share the pages with no syncing, as on the host.
 *
 * Return: 0, -ENOMEM, or -EINTR when the task was killed meanwhile.
 */
int vaal_pci_pages_alloc(struct vaal_pci_dev *vdev, struct vaal_pci_pages *pg,
			 unsigned long nr)
{
	unsigned long i;
	int ret = -ENOMEM;

	memset(pg, 0, sizeof(*pg));
	pg->pages = kvcalloc(nr, sizeof(*pg->pages), GFP_KERNEL_ACCOUNT);
	pg->dma = kvcalloc(nr, sizeof(*pg->dma), GFP_KERNEL_ACCOUNT);
	if (!pg->pages || !pg->dma)
		goto out_free_pages;
	for (i = 0; i < nr; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_free_pages;
		}
		pg->pages[i] = dma_alloc_pages(&vdev->pdev->dev, PAGE_SIZE,
					       &pg->dma[i], DMA_BIDIRECTIONAL,
					       GFP_KERNEL_ACCOUNT);
		if (!pg->pages[i])
			goto out_free_pages;
		pg->nr = i + 1;
		cond_resched();
	}
	return 0;

out_free_pages:
	vaal_pci_pages_free(vdev, pg);
	return ret;
}

/**
 * vaal_pci_list_build - the page list of a set of pages
 * @vdev: the device
 * @pg: the pages to list
 * @list: out: the list pages, the first at @list->dma[0]; free them with
 *	vaal_pci_pages_free() once the command that names them has run
 *
 * Return: 0 or the errors of vaal_pci_pages_alloc().
 */
int vaal_pci_list_build(struct vaal_pci_dev *vdev,
			const struct vaal_pci_pages *pg,
			struct vaal_pci_pages *list)
{
	unsigned long nr_lists = 1, l, i, n = 0, room;
	u64 *ent;
	int ret;

	if (pg->nr > VAAL_PCI_LIST_ENTRIES)
		nr_lists += DIV_ROUND_UP(pg->nr - VAAL_PCI_LIST_ENTRIES,
					 VAAL_PCI_LIST_ENTRIES - 1);
	ret = vaal_pci_pages_alloc(vdev, list, nr_lists);
	if (ret)
		return ret;
	for (l = 0; l < nr_lists; l++) {
		ent = page_address(list->pages[l]);
		room = l + 1 < nr_lists ? VAAL_PCI_LIST_ENTRIES - 1 :
					  VAAL_PCI_LIST_ENTRIES;
		for (i = 0; i < room && n < pg->nr; i++)
			ent[i] = pg->dma[n++];
		if (l + 1 < nr_lists)
			ent[VAAL_PCI_LIST_ENTRIES - 1] = list->dma[l + 1];
		dma_sync_single_for_device(&vdev->pdev->dev, list->dma[l],
					   PAGE_SIZE, DMA_TO_DEVICE);
	}
	return 0;
}

/**
 * vaal_pci_buf_free - free a buffer the device no longer uses
 * @buf: the buffer, without handle or mapping
 */
void vaal_pci_buf_free(struct vaal_pci_buf *buf)
{
	struct vaal_pci_dev *vdev = buf->ctx->vdev;

	vaal_pci_pages_free(vdev, &buf->pg);
	atomic64_sub(buf->length, &vdev->buf_bytes);
	kfree(buf);
}

/* The last handle or mapping went: free it once the device lets go. */
static void vaal_pci_buf_release(struct kref *ref)
{
	struct vaal_pci_buf *buf = container_of(ref, struct vaal_pci_buf, ref);
	struct vaal_pci_ctx *ctx = buf->ctx;

	spin_lock(&ctx->zombie_lock);
	list_add_tail(&buf->node, &ctx->zombies);
	spin_unlock(&ctx->zombie_lock);
}

static void vaal_pci_buf_put(struct vaal_pci_buf *buf)
{
	kref_put(&buf->ref, vaal_pci_buf_release);
}

/* Take @bytes of the guest's buffer allowance. */
static int vaal_pci_buf_charge(struct vaal_pci_ctx *ctx, u64 bytes)
{
	struct vaal_pci_dev *vdev = ctx->vdev;

	if (atomic64_add_return(bytes, &vdev->buf_bytes) <= vdev->max_buf_bytes)
		return 0;
	atomic64_sub(bytes, &vdev->buf_bytes);
	/* Buffers the device let go of since count no more. */
	vaal_pci_ctx_reap(ctx);
	if (atomic64_add_return(bytes, &vdev->buf_bytes) <= vdev->max_buf_bytes)
		return 0;
	atomic64_sub(bytes, &vdev->buf_bytes);
	return -ENOSPC;
}

/* A buffer of @nr_pages fresh pages, charged, with no handle yet. */
static struct vaal_pci_buf *vaal_pci_buf_new(struct vaal_pci_ctx *ctx,
					     unsigned long nr_pages)
{
	struct vaal_pci_buf *buf;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	kref_init(&buf->ref);
	buf->ctx = ctx;
	INIT_LIST_HEAD(&buf->node);
	buf->length = (u64)nr_pages << PAGE_SHIFT;
	ret = vaal_pci_buf_charge(ctx, buf->length);
	if (ret)
		goto out_free_buf;
	ret = vaal_pci_pages_alloc(ctx->vdev, &buf->pg, nr_pages);
	if (ret)
		goto out_uncharge;
	return buf;

out_uncharge:
	atomic64_sub(buf->length, &ctx->vdev->buf_bytes);
out_free_buf:
	kfree(buf);
	return ERR_PTR(ret);
}

/* The checks of vaal_core; importing a memfd is the host's alone. */
static int vaal_pci_buf_check(const struct vaal_buf_create *req)
{
	if (req->flags & ~VAAL_BUF_FLAGS_ALL ||
	    memchr_inv(req->reserved, 0, sizeof(req->reserved)))
		return -EINVAL;
	if (!(req->flags & VAAL_BUF_IMPORT) && req->memfd)
		return -EINVAL;
	if (!req->length)
		return -EINVAL;
	if (req->length > VAAL_PCI_BUF_MAX_BYTES)
		return -E2BIG;
	if (req->flags & VAAL_BUF_IMPORT)
		return -EOPNOTSUPP;
	return 0;
}

/* BUF_DESTROY of @handle on the device; errors of a context that is gone. */
static int vaal_pci_buf_destroy_dev(struct vaal_pci_ctx *ctx, u32 handle)
{
	struct vaal_buf_destroy req = {
		.size = sizeof(req),
		.handle = handle,
	};

	return vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_BUF_DESTROY, &req,
			    sizeof(req));
}

/*
 * Create @buf on the device and give it its handle there; under ctx->lock.
 * On failure the device has no buffer of @buf's pages.
 */
static int vaal_pci_buf_create_dev(struct vaal_pci_ctx *ctx,
				   struct vaal_pci_buf *buf)
{
	struct vaal_pci_buf_create args = {};
	struct vaal_pci_pages list;
	int ret;

	lockdep_assert_held(&ctx->lock);
	ret = vaal_pci_list_build(ctx->vdev, &buf->pg, &list);
	if (ret)
		return ret;
	args.req.size = sizeof(args.req);
	args.req.length = buf->length;
	args.pages = list.dma[0];
	args.nr_pages = buf->pg.nr;
	ret = vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_BUF_CREATE, &args,
			   sizeof(args));
	vaal_pci_pages_free(ctx->vdev, &list);
	if (ret)
		return ret;
	buf->handle = args.req.handle;
	/* Handles fit 31 bits on the host, and their mmap() offsets 63. */
	if (!buf->handle || buf->handle > INT_MAX)
		ret = -EIO;
	else
		ret = xa_insert(&ctx->bufs, buf->handle, buf, GFP_KERNEL_ACCOUNT);
	if (ret) {
		dev_err_ratelimited(&ctx->vdev->pdev->dev,
				    "buffer handle %u: %d\n", buf->handle, ret);
		vaal_pci_buf_destroy_dev(ctx, buf->handle);
		return ret == -EBUSY ? -EIO : ret;
	}
	return 0;
}

/**
 * vaal_pci_ioc_buf_create - %VAAL_IOC_BUF_CREATE
 * @ctx: the context
 * @uarg: the user's &struct vaal_buf_create
 *
 * Return: 0 or a negative errno, as vaal_core's.
 */
long vaal_pci_ioc_buf_create(struct vaal_pci_ctx *ctx, void __user *uarg)
{
	struct vaal_buf_create req;
	struct vaal_pci_buf *buf;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&req, sizeof(req), uarg,
				 VAAL_BUF_CREATE_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_pci_buf_check(&req);
	if (ret)
		return ret;
	buf = vaal_pci_buf_new(ctx, DIV_ROUND_UP(req.length, PAGE_SIZE));
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&ctx->lock);
	ret = vaal_pci_buf_create_dev(ctx, buf);
	mutex_unlock(&ctx->lock);
	if (ret) {
		/* A launch may have guessed the handle meanwhile. */
		vaal_pci_buf_put(buf);
		return ret;
	}
	req.handle = buf->handle;
	req.mmap_offset = (u64)buf->handle << VAAL_PCI_BUF_MMAP_SHIFT;
	if (copy_to_user(uarg, &req, min_t(u32, usize, sizeof(req)))) {
		mutex_lock(&ctx->lock);
		xa_erase(&ctx->bufs, buf->handle);
		vaal_pci_buf_destroy_dev(ctx, buf->handle);
		mutex_unlock(&ctx->lock);
		vaal_pci_buf_put(buf);
		return -EFAULT;
	}
	return 0;
}

/**
 * vaal_pci_ioc_buf_destroy - %VAAL_IOC_BUF_DESTROY
 * @ctx: the context
 * @uarg: the user's &struct vaal_buf_destroy
 *
 * The handle goes at once; the pages once no mapping and no submission
 * on the device uses them.
 *
 * Return: 0, -EINVAL, -ENOENT for an unknown handle, or the device's errno.
 */
long vaal_pci_ioc_buf_destroy(struct vaal_pci_ctx *ctx, void __user *uarg)
{
	struct vaal_buf_destroy req;
	struct vaal_pci_buf *buf;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&req, sizeof(req), uarg,
				 VAAL_BUF_DESTROY_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (req.flags || req.reserved0 ||
	    memchr_inv(req.reserved, 0, sizeof(req.reserved)))
		return -EINVAL;

	mutex_lock(&ctx->lock);
	buf = xa_load(&ctx->bufs, req.handle);
	if (!buf) {
		mutex_unlock(&ctx->lock);
		return -ENOENT;
	}
	ret = vaal_pci_buf_destroy_dev(ctx, req.handle);
	/* Unknown to the device (or the context is gone): not in its use. */
	if (!ret || ret == -EBADF || ret == -ENOENT)
		xa_erase(&ctx->bufs, req.handle);
	else
		buf = NULL;
	mutex_unlock(&ctx->lock);
	if (!buf)
		return ret;
	vaal_pci_buf_put(buf);
	vaal_pci_ctx_reap(ctx);
	return 0;
}

/**
 * vaal_pci_buf_drop_all - drop every handle of a context that is closing
 * @ctx: the context, its file closed
 */
void vaal_pci_buf_drop_all(struct vaal_pci_ctx *ctx)
{
	struct vaal_pci_buf *buf;
	unsigned long handle;

	xa_for_each(&ctx->bufs, handle, buf) {
		xa_erase(&ctx->bufs, handle);
		vaal_pci_buf_put(buf);
	}
}

static void vaal_pci_buf_vm_open(struct vm_area_struct *vma)
{
	struct vaal_pci_buf *buf = vma->vm_private_data;

	kref_get(&buf->ref);
}

static void vaal_pci_buf_vm_close(struct vm_area_struct *vma)
{
	vaal_pci_buf_put(vma->vm_private_data);
}

static const struct vm_operations_struct vaal_pci_buf_vm_ops = {
	.open	= vaal_pci_buf_vm_open,
	.close	= vaal_pci_buf_vm_close,
};

/**
 * vaal_pci_buf_mmap - mmap() of one buffer, from its start, shared
 * @ctx: the context
 * @vma: the mapping, at the buffer's handle << 32
 *
 * Return: 0, -EINVAL for an unknown handle, -ENXIO past the buffer's end.
 */
int vaal_pci_buf_mmap(struct vaal_pci_ctx *ctx, struct vm_area_struct *vma)
{
	unsigned long handle = vma->vm_pgoff >>
			       (VAAL_PCI_BUF_MMAP_SHIFT - PAGE_SHIFT);
	struct vaal_pci_buf *buf;
	int ret;

	xa_lock(&ctx->bufs);
	buf = xa_load(&ctx->bufs, handle);
	if (buf)
		kref_get(&buf->ref);
	xa_unlock(&ctx->bufs);
	if (!buf)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND);
	ret = vm_map_pages_zero(vma, buf->pg.pages, buf->pg.nr);
	if (ret) {
		vaal_pci_buf_put(buf);
		return ret;
	}
	vma->vm_private_data = buf;
	vma->vm_ops = &vaal_pci_buf_vm_ops;
	return 0;
}
