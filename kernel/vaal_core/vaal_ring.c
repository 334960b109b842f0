// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ring.c - the shared rings of a context: set up, mapping, waiting
 *
 * One mapping holds both rings: the submission ring's indices, then the
 * completion ring (indices and entries), then the submission entries, each
 * part cache-line aligned.  User space learns the layout from
 * VAAL_IOC_SETUP's offsets, so it may change without an ABI break.
 *
 * The rings of a file's context are pages of its own; those of an
 * in-kernel client's (vaal_client.c) are pages the client lends, laid out
 * the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/vhost_task.h>	/* after linux/types.h: it needs bool */
#include <linux/vmalloc.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_setup) == VAAL_SETUP_SIZE_VER0);
static_assert(sizeof(struct vaal_sqe) == 64);
static_assert(sizeof(struct vaal_cqe) == 32);
static_assert(VAAL_SQE_MAX_SLOTS == 4);

unsigned int vaal_max_inflight = 1024;
module_param_named(max_inflight, vaal_max_inflight, uint, 0644);
MODULE_PARM_DESC(max_inflight, "Submissions one context may have in flight (default 1024, 1 to 65536)");

#define VAAL_MAX_INFLIGHT	65536

/**
 * struct vaal_ring_layout - where the parts of the rings mapping lie
 * @cq: offset of the completion ring
 * @sqes: offset of the submission entries
 * @bytes: length of the mapping, whole pages
 */
struct vaal_ring_layout {
	size_t cq;
	size_t sqes;
	size_t bytes;
};

static void vaal_ring_layout(u32 sq_entries, u32 cq_entries,
			     struct vaal_ring_layout *l)
{
	l->cq = L1_CACHE_ALIGN(sizeof(struct vaal_sq_ring));
	l->sqes = L1_CACHE_ALIGN(l->cq + struct_size_t(struct vaal_cq_ring, cqes,
						      cq_entries));
	l->bytes = PAGE_ALIGN(l->sqes + sq_entries * sizeof(struct vaal_sqe));
}

/* The polling thread's flags and fields. */
static int vaal_setup_check_sqpoll(struct vaal_setup *req)
{
	if (!(req->flags & VAAL_SETUP_SQPOLL))
		return req->flags & VAAL_SETUP_SQ_AFF || req->sq_cpu ||
		       req->sq_idle_ms ? -EINVAL : 0;
	if (req->sq_idle_ms > VAAL_MAX_SQ_IDLE_MS)
		return -EINVAL;
	if (req->flags & VAAL_SETUP_SQ_AFF) {
		if (req->sq_cpu >= nr_cpu_ids || !cpu_online(req->sq_cpu))
			return -EINVAL;
	} else if (req->sq_cpu) {
		return -EINVAL;
	}
	/* A polling thread takes a CPU's time: a scheduling privilege. */
	if (!capable(CAP_SYS_NICE))
		return -EPERM;
	req->sq_idle_ms = req->sq_idle_ms ?: 1000;
	return 0;
}

static int vaal_setup_check(struct vaal_setup *req)
{
	int ret;

	if (req->flags & ~VAAL_SETUP_FLAGS_ALL || req->reserved0 ||
	    req->reserved)
		return -EINVAL;
	ret = vaal_setup_check_sqpoll(req);
	if (ret)
		return ret;
	if (!req->sq_entries || req->sq_entries > VAAL_MAX_SQ_ENTRIES)
		return -EINVAL;
	req->sq_entries = roundup_pow_of_two(req->sq_entries);
	if (!req->cq_entries)
		req->cq_entries = 2 * req->sq_entries;
	if (req->cq_entries < req->sq_entries ||
	    req->cq_entries > VAAL_MAX_CQ_ENTRIES)
		return -EINVAL;
	req->cq_entries = roundup_pow_of_two(req->cq_entries);
	return 0;
}

/* Give back the first @n pages of the rings: the client's, or ours. */
static void vaal_ring_put_pages(struct vaal_ctx *ctx, unsigned int n)
{
	while (n--) {
		if (ctx->ring_lent)
			put_page(ctx->ring_pages[n]);
		else
			__free_page(ctx->ring_pages[n]);
	}
}

/*
 * Zeroed pages for the rings, mapped in the kernel: @lent, a client's (a
 * reference taken on each), or fresh ones charged to the caller.
 */
static void *vaal_ring_alloc(struct vaal_ctx *ctx, size_t bytes,
			     struct page **lent)
{
	void *rings;
	unsigned int i, n = bytes >> PAGE_SHIFT;

	ctx->ring_pages = kvcalloc(n, sizeof(*ctx->ring_pages),
				   GFP_KERNEL_ACCOUNT);
	if (!ctx->ring_pages)
		return NULL;
	ctx->ring_lent = lent;
	for (i = 0; i < n; i++) {
		if (lent) {
			get_page(lent[i]);
			ctx->ring_pages[i] = lent[i];
			continue;
		}
		ctx->ring_pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!ctx->ring_pages[i])
			goto out_free_pages;
	}
	rings = vmap(ctx->ring_pages, n, VM_MAP, PAGE_KERNEL);
	if (!rings)
		goto out_free_pages;
	/* What the client's pages held is not ours to show. */
	if (lent)
		memset(rings, 0, bytes);
	ctx->nr_ring_pages = n;
	return rings;

out_free_pages:
	vaal_ring_put_pages(ctx, i);
	kvfree(ctx->ring_pages);
	ctx->ring_pages = NULL;
	return NULL;
}

/* Free the rings of a context nothing uses any more. */
void vaal_ring_free(struct vaal_ctx *ctx)
{
	if (!ctx->rings)
		return;
	vunmap(ctx->rings);
	vaal_ring_put_pages(ctx, ctx->nr_ring_pages);
	kvfree(ctx->ring_pages);
	kvfree(ctx->rob.slots);
}

static void vaal_setup_offsets(struct vaal_setup *req,
			       const struct vaal_ring_layout *l)
{
	req->ring_bytes = l->bytes;
	req->mmap_offset = VAAL_RINGS_MMAP_OFFSET;
	req->sq_off = (struct vaal_ring_offsets) {
		.head		= offsetof(struct vaal_sq_ring, head),
		.tail		= offsetof(struct vaal_sq_ring, tail),
		.entries	= req->sq_entries,
		.overflow	= offsetof(struct vaal_sq_ring, dropped),
		.array		= l->sqes,
		.flags		= offsetof(struct vaal_sq_ring, flags),
	};
	req->cq_off = (struct vaal_ring_offsets) {
		.head		= l->cq + offsetof(struct vaal_cq_ring, head),
		.tail		= l->cq + offsetof(struct vaal_cq_ring, tail),
		.entries	= req->cq_entries,
		.overflow	= l->cq + offsetof(struct vaal_cq_ring, overflow),
		.array		= l->cq + offsetof(struct vaal_cq_ring, cqes),
	};
}

/* Allocate the rings (and the reorder buffer) and publish them. */
static int vaal_ring_create(struct vaal_ctx *ctx, const struct vaal_setup *req,
			    const struct vaal_ring_layout *l, struct page **lent)
{
	struct vaal_rob_slot *slots = NULL;
	u32 rob_entries = roundup_pow_of_two(req->max_inflight);
	void *rings;

	if (req->flags & VAAL_SETUP_ORDERED) {
		slots = kvcalloc(rob_entries, sizeof(*slots), GFP_KERNEL_ACCOUNT);
		if (!slots)
			return -ENOMEM;
	}
	rings = vaal_ring_alloc(ctx, l->bytes, lent);
	if (!rings) {
		kvfree(slots);
		return -ENOMEM;
	}
	ctx->sq = rings;
	ctx->sqes = rings + l->sqes;
	ctx->sq_entries = req->sq_entries;
	ctx->max_inflight = req->max_inflight;
	ctx->ordered = req->flags & VAAL_SETUP_ORDERED;
	ctx->rename = req->flags & VAAL_SETUP_RENAME;
	spin_lock_irq(&ctx->job_lock);
	vaal_cq_init(&ctx->cq, rings + l->cq, req->cq_entries);
	if (slots)
		vaal_rob_init(&ctx->rob, slots, rob_entries);
	spin_unlock_irq(&ctx->job_lock);
	/* Pairs with the acquire of ENTER and poll(), which take no lock. */
	smp_store_release(&ctx->rings, rings);
	return 0;
}

/*
 * Check a set up request and fill its out fields: its sizes rounded up,
 * @req->max_inflight from the cap it holds (0: none) and the module's
 * limit, the layout into @l.
 */
static int vaal_setup_prepare(struct vaal_setup *req,
			      struct vaal_ring_layout *l)
{
	u32 max = clamp(READ_ONCE(vaal_max_inflight), 1U, VAAL_MAX_INFLIGHT);
	int ret;

	if (req->size < VAAL_SETUP_SIZE_VER0)
		return -EINVAL;
	ret = vaal_setup_check(req);
	if (ret)
		return ret;
	req->max_inflight = req->max_inflight ? min(req->max_inflight, max) :
				max;
	vaal_ring_layout(req->sq_entries, req->cq_entries, l);
	vaal_setup_offsets(req, l);
	return 0;
}

/**
 * vaal_setup_layout - what a set up would be, without doing it
 * @req: in: a set up request, @req->max_inflight a cap (0 for none); out:
 *	its out fields filled as vaal_setup() fills them
 *
 * Return: 0, -EINVAL or -EPERM, as vaal_setup().
 */
int vaal_setup_layout(struct vaal_setup *req)
{
	struct vaal_ring_layout l;

	return vaal_setup_prepare(req, &l);
}

/**
 * vaal_setup - %VAAL_IOC_SETUP on the kernel's copy of its argument
 * @ctx: the context
 * @req: in: the request, @req->max_inflight a cap on the jobs in flight
 *	(0 for none but the module's); out: filled
 * @pages: a client's pages for the rings, at least ring_bytes of them;
 *	NULL: pages of the context's own
 * @nr_pages: entries in @pages
 * @uarg: where @req goes back to user space before anything is set up, or
 *	NULL
 * @usize: bytes of it there
 *
 * Return: 0, -EINVAL, -EPERM, -ENOSPC for too few @pages, -EBUSY when set
 * up already, -EFAULT, -ENOMEM, or the polling thread's errno.
 */
int vaal_setup(struct vaal_ctx *ctx, struct vaal_setup *req,
	       struct page **pages, unsigned long nr_pages,
	       void __user *uarg, u32 usize)
{
	struct vaal_ring_layout l;
	int ret;

	ret = vaal_setup_prepare(req, &l);
	if (ret)
		return ret;
	if (pages && nr_pages < l.bytes >> PAGE_SHIFT)
		return -ENOSPC;

	mutex_lock(&ctx->lock);
	if (ctx->rings) {
		ret = -EBUSY;
		goto out_unlock;
	}
	/* Nothing of the rings is visible before they are set up whole. */
	if (uarg && copy_to_user(uarg, req, min_t(u32, usize, sizeof(*req)))) {
		ret = -EFAULT;
		goto out_unlock;
	}
	if (req->flags & VAAL_SETUP_SQPOLL) {
		ret = vaal_sq_thread_create(ctx, req);
		if (ret)
			goto out_unlock;
	}
	/* Without them, controllers run the work in threads of their own. */
	if (vaal_workers_create(ctx))
		pr_warn_ratelimited("context of %d: %u of %u workers\n",
				    task_pid_nr(current), ctx->nr_workers,
				    READ_ONCE(vaal_owner_workers));
	ret = vaal_ring_create(ctx, req, &l, pages);
	if (ret)
		vaal_sq_thread_stop(ctx);
	else if (ctx->sq_thread)
		vhost_task_start(ctx->sq_thread);
out_unlock:
	mutex_unlock(&ctx->lock);
	return ret;
}

long vaal_ioc_setup(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_setup req;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg, VAAL_SETUP_SIZE_VER0,
			     &usize);
	if (ret)
		return ret;
	/* An out field for user space: what it holds is not looked at. */
	req.max_inflight = 0;
	return vaal_setup(ctx, &req, NULL, 0, uarg, usize);
}

/*
 * mmap() of the rings: the whole mapping from its start, shared.  No lock:
 * once published the rings stay until the context goes, and the mapping
 * holds the context's file.
 */
int vaal_ring_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma)
{
	/* Pairs with the release in vaal_ring_create(): the rings are whole. */
	if (!smp_load_acquire(&ctx->rings))
		return -EBADFD;
	vm_flags_set(vma, VM_DONTEXPAND);
	return vm_map_pages_zero(vma, ctx->ring_pages, ctx->nr_ring_pages);
}
