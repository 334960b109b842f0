// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_mdev_mem.c - guest memory: the copies (commands, blobs, page
 * lists), the pinned pages of rings and buffers, and what a removed
 * mapping takes with it
 *
 * Rings and buffers are guest pages pinned with vfio_pin_pages() and used
 * in place by vaal_core, which takes its own reference on each page: the
 * pins are dropped once the buffer is destroyed or the context closed.
 * Every pin is kept in a &struct vaal_mdev_pins, so that when the VMM
 * removes a mapping (dma_unmap) the contexts that use pages in it are
 * closed and their pins dropped before the callback returns, as the
 * type1 IOMMU driver requires.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "vaal_mdev.h"

static_assert(PAGE_SIZE == VAAL_PCI_PAGE_SIZE);

/**
 * vaal_mdev_dma_read - copy guest memory into the host, counted
 * @st: the device
 * @iova: guest address
 * @buf: where to
 * @len: bytes
 *
 * Return: 0, or -EFAULT outside the guest's memory.
 */
int vaal_mdev_dma_read(struct vaal_mdev_state *st, u64 iova, void *buf,
		       size_t len)
{
	if (vfio_dma_rw(&st->vdev, iova, buf, len, false))
		return -EFAULT;
	atomic64_add(len, &st->copied);
	return 0;
}

/**
 * vaal_mdev_dma_write - copy host memory into the guest's, counted
 * @st: the device
 * @iova: guest address
 * @buf: where from
 * @len: bytes
 *
 * Return: 0, or -EFAULT outside the guest's memory.
 */
int vaal_mdev_dma_write(struct vaal_mdev_state *st, u64 iova,
			const void *buf, size_t len)
{
	if (vfio_dma_rw(&st->vdev, iova, (void *)buf, len, true))
		return -EFAULT;
	atomic64_add(len, &st->copied);
	return 0;
}

/*
 * Read the first @n page addresses of a page list of @total (n <= total)
 * starting at list page @list into @addrs.  A list page holds
 * VAAL_PCI_LIST_ENTRIES addresses; when more than that remain, its last
 * entry is the address of the next list page.
 */
static int vaal_mdev_list_read(struct vaal_mdev_state *st, u64 list,
			       u64 total, unsigned long n, u64 *addrs)
{
	unsigned long got = 0;
	u64 *lp;
	int ret = 0;

	lp = kmalloc(VAAL_PCI_PAGE_SIZE, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	while (got < n) {
		bool more = total > VAAL_PCI_LIST_ENTRIES;
		u64 in_page = more ? VAAL_PCI_LIST_ENTRIES - 1 : total;
		unsigned long take = min_t(u64, in_page, n - got);
		bool next = got + take < n;
		size_t bytes = (next ? VAAL_PCI_LIST_ENTRIES : take) * sizeof(u64);

		if (!IS_ALIGNED(list, VAAL_PCI_PAGE_SIZE)) {
			ret = -EINVAL;
			break;
		}
		ret = vaal_mdev_dma_read(st, list, lp, bytes);
		if (ret)
			break;
		memcpy(addrs + got, lp, take * sizeof(u64));
		got += take;
		total -= in_page;
		if (next)
			list = lp[VAAL_PCI_LIST_ENTRIES - 1];
		cond_resched();
	}
	kfree(lp);
	return ret;
}

/* Split @n page addresses into runs of contiguous pages; -EINVAL if unaligned. */
static int vaal_mdev_runs(const u64 *addrs, unsigned long n,
			  struct vaal_mdev_pins *pins)
{
	struct vaal_mdev_run *r;
	unsigned long i, nr = 0;

	for (i = 0; i < n; i++) {
		if (!IS_ALIGNED(addrs[i], VAAL_PCI_PAGE_SIZE))
			return -EINVAL;
		if (!i || addrs[i] != addrs[i - 1] + PAGE_SIZE)
			nr++;
	}
	/* Runs longer than one pin call allows are cut below. */
	nr += n / VFIO_PIN_PAGES_MAX_ENTRIES;
	pins->runs = kvmalloc_array(nr, sizeof(*pins->runs), GFP_KERNEL_ACCOUNT);
	if (!pins->runs)
		return -ENOMEM;
	r = NULL;
	for (i = 0; i < n; i++) {
		if (!r || addrs[i] != r->iova + (u64)r->npages * PAGE_SIZE ||
		    r->npages == VFIO_PIN_PAGES_MAX_ENTRIES) {
			r = &pins->runs[pins->nr_runs++];
			r->iova = addrs[i];
			r->npages = 0;
		}
		r->npages++;
	}
	return 0;
}

/* Pin the runs of @pins into @pages; all or none. */
static int vaal_mdev_pin_runs(struct vaal_mdev_state *st,
			      struct vaal_mdev_pins *pins, struct page **pages)
{
	unsigned long done = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < pins->nr_runs; i++) {
		struct vaal_mdev_run *r = &pins->runs[i];

		ret = vfio_pin_pages(&st->vdev, r->iova, r->npages,
				     IOMMU_READ | IOMMU_WRITE, pages + done);
		if (ret != r->npages)
			goto out_unpin;
		done += r->npages;
		cond_resched();
	}
	pins->nr_pages = done;
	atomic_long_add(done, &st->pinned);
	return 0;

out_unpin:
	if (ret >= 0) {
		/* Not done by this kernel's drivers: all or nothing. */
		if (ret)
			vfio_unpin_pages(&st->vdev, pins->runs[i].iova, ret);
		ret = -EFAULT;
	}
	while (i--)
		vfio_unpin_pages(&st->vdev, pins->runs[i].iova,
				 pins->runs[i].npages);
	/* No mapping there (-EINVAL), or not writable (-EPERM). */
	return ret == -ENOMEM ? -ENOMEM : -EFAULT;
}

/**
 * vaal_mdev_pin_list - pin the guest pages a page list names
 * @st: the device, locked
 * @list: guest address of the first list page
 * @total: page addresses the list holds, for its layout
 * @n: how many of them to pin, from the first, 1 to @total
 * @pins: out: the pins, for vaal_mdev_unpin()
 *
 * Refused while %VAAL_PCI_STATUS_ERROR is set: after a mapping went, the
 * guest resets the device before it pins again.
 *
 * Return: the @n pages (kvfree() them), or ERR_PTR(-EINVAL) for an
 * unaligned address, ERR_PTR(-EFAULT) for a list or a page outside the
 * guest's memory, ERR_PTR(-EIO) while the device needs a reset,
 * ERR_PTR(-ENOMEM) (the VMM's locked memory limit included).
 */
struct page **vaal_mdev_pin_list(struct vaal_mdev_state *st, u64 list,
				 u64 total, unsigned long n,
				 struct vaal_mdev_pins *pins)
{
	struct page **pages;
	u64 *addrs;
	int ret;

	lockdep_assert_held(&st->lock);
	memset(pins, 0, sizeof(*pins));
	if (READ_ONCE(st->status) & VAAL_PCI_STATUS_ERROR)
		return ERR_PTR(-EIO);
	if (!n || n > total)
		return ERR_PTR(-EINVAL);
	addrs = kvmalloc_array(n, sizeof(*addrs), GFP_KERNEL_ACCOUNT);
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!addrs || !pages)
		goto out_free;
	ret = vaal_mdev_list_read(st, list, total, n, addrs);
	if (ret)
		goto out_free;
	ret = vaal_mdev_runs(addrs, n, pins);
	if (ret)
		goto out_free;
	ret = vaal_mdev_pin_runs(st, pins, pages);
	if (ret)
		goto out_free_runs;
	kvfree(addrs);
	return pages;

out_free_runs:
	kvfree(pins->runs);
	memset(pins, 0, sizeof(*pins));
out_free:
	kvfree(pages);
	kvfree(addrs);
	return ERR_PTR(ret);
}

/**
 * vaal_mdev_unpin - drop the pins of a ring or a buffer
 * @st: the device
 * @pins: the pins; empty after
 */
void vaal_mdev_unpin(struct vaal_mdev_state *st, struct vaal_mdev_pins *pins)
{
	unsigned int i;

	for (i = 0; i < pins->nr_runs; i++)
		vfio_unpin_pages(&st->vdev, pins->runs[i].iova,
				 pins->runs[i].npages);
	atomic_long_sub(pins->nr_pages, &st->pinned);
	kvfree(pins->runs);
	memset(pins, 0, sizeof(*pins));
}

/* Whether a pin of @pins lies in [@start, @end). */
static bool vaal_mdev_pins_hit(const struct vaal_mdev_pins *pins, u64 start,
			       u64 end)
{
	unsigned int i;

	for (i = 0; i < pins->nr_runs; i++) {
		const struct vaal_mdev_run *r = &pins->runs[i];

		if (r->iova < end &&
		    start < r->iova + (u64)r->npages * PAGE_SIZE)
			return true;
	}
	return false;
}

static bool vaal_mdev_ctx_hit(struct vaal_mdev_ctx *mc, u64 start, u64 end)
{
	struct vaal_mdev_buf *mb;
	unsigned long handle;

	if (vaal_mdev_pins_hit(&mc->ring, start, end))
		return true;
	xa_for_each(&mc->bufs, handle, mb)
		if (vaal_mdev_pins_hit(&mb->pins, start, end))
			return true;
	return false;
}

/**
 * vaal_mdev_ctx_destroy - close a guest context: its buffers and rings go
 * @st: the device, locked
 * @mc: the context, published in its slot; freed
 * @wait: wait until no controller runs work of the context any more, so
 *	that the guest may reuse its pages once the command or reset that
 *	destroyed it completes (<linux/vaal_pci.h>); not from dma_unmap,
 *	which may not wait on controllers
 *
 * Its doorbell is closed first (waiting for a doorbell in progress), then
 * the host context, then the pins are dropped: vaal_core keeps its own
 * references on the pages for the work still running.
 */
void vaal_mdev_ctx_destroy(struct vaal_mdev_state *st,
			   struct vaal_mdev_ctx *mc, bool wait)
{
	struct vaal_mdev_buf *mb;
	unsigned long handle;

	lockdep_assert_held(&st->lock);
	down_write(&st->db_sem);
	st->ctxs[mc->slot] = NULL;
	WRITE_ONCE(st->db_result[mc->slot], 0);
	up_write(&st->db_sem);
	WRITE_ONCE(st->nr_ctxs, st->nr_ctxs - 1);

	if (!(mc->flags & VAAL_PCI_CTX_NO_IRQ))
		vaal_client_notify(mc->ctx, NULL);
	/* A fatal signal (QEMU killed) stops the wait, not the teardown. */
	if (wait)
		vaal_client_close_wait(mc->ctx);
	else
		vaal_client_close(mc->ctx);
	xa_for_each(&mc->bufs, handle, mb) {
		vaal_mdev_unpin(st, &mb->pins);
		kfree(mb);
	}
	xa_destroy(&mc->bufs);
	vaal_mdev_unpin(st, &mc->ring);
	st->buf_bytes -= mc->buf_bytes;
	kfree(mc);
}

/**
 * vaal_mdev_ctx_destroy_all - close every guest context, and wait until
 *	no controller runs their work
 * @st: the device, locked
 */
void vaal_mdev_ctx_destroy_all(struct vaal_mdev_state *st)
{
	unsigned int slot;

	for (slot = 0; slot < st->type->max_contexts; slot++)
		if (st->ctxs[slot])
			vaal_mdev_ctx_destroy(st, st->ctxs[slot], true);
	WARN_ON_ONCE(st->nr_ctxs || st->buf_bytes ||
		     atomic_long_read(&st->pinned));
}

/**
 * vaal_mdev_dma_unmap - the VMM removes a mapping of guest memory
 * @vdev: the device
 * @iova: where the mapping starts
 * @length: its bytes
 *
 * Every context that has pages pinned in the range loses them: it is
 * closed, so that nothing of the guest's is used once the mapping is
 * gone; %VAAL_PCI_STATUS_ERROR is set and the error vector signalled.
 * All pins in the range are dropped before this returns.
 */
void vaal_mdev_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);
	u64 end = iova + length < iova ? U64_MAX : iova + length;
	unsigned int slot, lost = 0;

	mutex_lock(&st->lock);
	for (slot = 0; slot < st->type->max_contexts; slot++) {
		struct vaal_mdev_ctx *mc = st->ctxs[slot];

		if (mc && vaal_mdev_ctx_hit(mc, iova, end)) {
			vaal_mdev_ctx_destroy(st, mc, false);
			lost++;
		}
	}
	if (lost) {
		spin_lock(&st->reg_lock);
		WRITE_ONCE(st->status, st->status | VAAL_PCI_STATUS_ERROR);
		spin_unlock(&st->reg_lock);
		atomic_add(lost, &st->errors);
		dev_notice_ratelimited(vdev->dev,
				       "guest memory %#llx+%#llx unmapped: %u contexts lost\n",
				       iova, length, lost);
	}
	mutex_unlock(&st->lock);
	if (lost)
		vaal_mdev_signal(st, VAAL_PCI_VEC_ERROR);
}
