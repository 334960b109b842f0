// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_pci_ring.c - a context's rings: set up in guest pages, mapped at
 * offset 0, submitted through the context's doorbell and waited on in
 * guest memory, woken by the completion interrupt
 *
 * The device lays the rings out and says where each part lies
 * (VAAL_IOC_SETUP's offsets, the host's layout): the driver gives it
 * pages for the size it expects, and the size the device asks for when
 * that was too few.
 *
 * While the completion ring is full, the device parks completions; it
 * moves them into the room user space makes at each doorbell.  A waiter
 * rings the doorbell (with nothing to submit) when completions may be
 * parked: the ring's overflow count moved, or the ring was still full
 * after the last such flush.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/hrtimer.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/vmalloc.h>

#include "vaal_pci_internal.h"

static_assert(sizeof(struct vaal_setup) == VAAL_SETUP_SIZE_VER0);
static_assert(sizeof(struct vaal_enter) == VAAL_ENTER_SIZE_VER0);
static_assert(sizeof(struct vaal_sqe) == 64);
static_assert(sizeof(struct vaal_cqe) == 32);

/* How often a context without an interrupt looks at its ring. */
#define VAAL_PCI_POLL_NS	(1 * NSEC_PER_MSEC)

/*
 * The bytes of the rings as vaal_core lays them out: the submission
 * ring's indices, the completion ring (16 bytes of indices, then the
 * entries), the submission entries, each part cache-line aligned.  The
 * device may ask for more (VAAL_PCI_CMD_SETUP's -ENOSPC), up to
 * VAAL_PCI_RING_MAX_BYTES.
 */
static size_t vaal_pci_ring_bytes(u32 sq_entries, u32 cq_entries)
{
	size_t cq = L1_CACHE_ALIGN(16);
	size_t sqes = L1_CACHE_ALIGN(cq + 16 + (size_t)cq_entries *
				     sizeof(struct vaal_cqe));

	return PAGE_ALIGN(sqes + (size_t)sq_entries * sizeof(struct vaal_sqe));
}

#define VAAL_PCI_RING_MAX_BYTES						\
	(vaal_pci_ring_bytes(VAAL_MAX_SQ_ENTRIES, VAAL_MAX_CQ_ENTRIES) +	\
	 4 * PAGE_SIZE)

/* The polling thread's flags and fields, as vaal_core checks them. */
static int vaal_pci_setup_check_sqpoll(struct vaal_pci_ctx *ctx,
				       struct vaal_setup *req)
{
	if (!(req->flags & VAAL_SETUP_SQPOLL))
		return req->flags & VAAL_SETUP_SQ_AFF || req->sq_cpu ||
		       req->sq_idle_ms ? -EINVAL : 0;
	if (req->sq_idle_ms > VAAL_MAX_SQ_IDLE_MS)
		return -EINVAL;
	/*
	 * The thread is the host's, and so are its CPUs: the device checks
	 * that one is online; none is past what a kernel's config allows.
	 */
	if (req->flags & VAAL_SETUP_SQ_AFF ? req->sq_cpu >= CONFIG_NR_CPUS :
					     req->sq_cpu)
		return -EINVAL;
	if (!capable(CAP_SYS_NICE))
		return -EPERM;
	if (!(ctx->vdev->features & VAAL_PCI_F_SQPOLL))
		return -EOPNOTSUPP;
	req->sq_idle_ms = req->sq_idle_ms ?: 1000;
	return 0;
}

static int vaal_pci_setup_check(struct vaal_pci_ctx *ctx,
				struct vaal_setup *req)
{
	int ret;

	if (req->flags & ~VAAL_SETUP_FLAGS_ALL || req->reserved0 ||
	    req->reserved)
		return -EINVAL;
	ret = vaal_pci_setup_check_sqpoll(ctx, req);
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
	/* Out fields: what the device fills. */
	req->max_inflight = 0;
	req->ring_bytes = 0;
	req->mmap_offset = 0;
	memset(&req->sq_off, 0, sizeof(req->sq_off));
	memset(&req->cq_off, 0, sizeof(req->cq_off));
	return 0;
}

/* One ring's layout lies in @bytes, its words aligned. */
static bool vaal_pci_off_ok(const struct vaal_ring_offsets *o, u32 entries,
			    size_t esize, u64 bytes, bool sq)
{
	u32 words[] = { o->head, o->tail, o->overflow, sq ? o->flags : 0 };
	unsigned int i;

	if (o->entries != entries || o->array % 8 || o->array > bytes ||
	    (u64)entries * esize > bytes - o->array)
		return false;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (words[i] % 4 || words[i] + 4ULL > bytes)
			return false;
	return true;
}

/* The device's answer to a set up it accepted, checked; 0 or -EIO. */
static int vaal_pci_setup_reply_ok(const struct vaal_setup *want,
				   const struct vaal_setup *got,
				   unsigned long nr_pages)
{
	u64 bytes = got->ring_bytes;

	if (!bytes || bytes > (u64)nr_pages << PAGE_SHIFT || !got->max_inflight ||
	    !vaal_pci_off_ok(&got->sq_off, want->sq_entries,
			     sizeof(struct vaal_sqe), bytes, true) ||
	    !vaal_pci_off_ok(&got->cq_off, want->cq_entries,
			     sizeof(struct vaal_cqe), bytes, false))
		return -EIO;
	return 0;
}

/* VAAL_PCI_CMD_SETUP on @bytes of fresh ring pages, kept in ctx->rings. */
static int vaal_pci_setup_dev(struct vaal_pci_ctx *ctx,
			      struct vaal_pci_setup *args, size_t bytes)
{
	struct vaal_pci_pages list;
	int ret;

	ret = vaal_pci_pages_alloc(ctx->vdev, &ctx->rings, bytes >> PAGE_SHIFT);
	if (ret)
		return ret;
	ret = vaal_pci_list_build(ctx->vdev, &ctx->rings, &list);
	if (ret)
		goto out_free_rings;
	args->pages = list.dma[0];
	args->nr_pages = ctx->rings.nr;
	ret = vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_SETUP, args,
			   sizeof(*args));
	vaal_pci_pages_free(ctx->vdev, &list);
	if (!ret)
		return 0;
out_free_rings:
	vaal_pci_pages_free(ctx->vdev, &ctx->rings);
	return ret;
}

/*
 * Set the rings up on the device: with the pages the driver expects, then
 * once more with as many as the device asked for.  Under ctx->lock.
 */
static int vaal_pci_setup_try(struct vaal_pci_ctx *ctx, struct vaal_setup *req)
{
	size_t bytes = vaal_pci_ring_bytes(req->sq_entries, req->cq_entries);
	struct vaal_pci_setup args;
	unsigned int try;
	int ret;

	for (try = 0; try < 2; try++) {
		memset(&args, 0, sizeof(args));
		args.req = *req;
		args.req.size = sizeof(args.req);
		ret = vaal_pci_setup_dev(ctx, &args, bytes);
		if (ret != -ENOSPC || args.req.ring_bytes <= bytes ||
		    args.req.ring_bytes > VAAL_PCI_RING_MAX_BYTES)
			break;
		bytes = PAGE_ALIGN(args.req.ring_bytes);
	}
	if (ret)
		return ret;
	/* Bad news from the device: the pages stay its until the end. */
	ret = vaal_pci_setup_reply_ok(req, &args.req, ctx->rings.nr);
	if (ret) {
		dev_err_ratelimited(&ctx->vdev->pdev->dev,
				    "rings of slot %u: a layout outside %lu pages\n",
				    ctx->slot, ctx->rings.nr);
		return ret;
	}
	args.req.mmap_offset = VAAL_RINGS_MMAP_OFFSET;
	*req = args.req;
	return 0;
}

/* Map the rings for the kernel and publish them. */
static int vaal_pci_ring_publish(struct vaal_pci_ctx *ctx,
				 const struct vaal_setup *req)
{
	ctx->vaddr = vmap(ctx->rings.pages, ctx->rings.nr, VM_MAP, PAGE_KERNEL);
	if (!ctx->vaddr)
		return -ENOMEM;
	ctx->sqpoll = req->flags & VAAL_SETUP_SQPOLL;
	ctx->sq_entries = req->sq_entries;
	ctx->cq_entries = req->cq_entries;
	ctx->cq_head = ctx->vaddr + req->cq_off.head;
	ctx->cq_tail = ctx->vaddr + req->cq_off.tail;
	ctx->cq_overflow = ctx->vaddr + req->cq_off.overflow;
	/* Pairs with the acquires of ENTER, poll() and mmap(). */
	smp_store_release(&ctx->ready, true);
	return 0;
}

/**
 * vaal_pci_ioc_setup - %VAAL_IOC_SETUP
 * @ctx: the context
 * @uarg: the user's &struct vaal_setup
 *
 * Return: 0 or a negative errno, as vaal_core's.  A context whose rings
 * the device took stays set up, even when the answer cannot be copied
 * back (-EFAULT).
 */
long vaal_pci_ioc_setup(struct vaal_pci_ctx *ctx, void __user *uarg)
{
	struct vaal_setup req;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&req, sizeof(req), uarg, VAAL_SETUP_SIZE_VER0,
				 &usize);
	if (ret)
		return ret;
	ret = vaal_pci_setup_check(ctx, &req);
	if (ret)
		return ret;

	mutex_lock(&ctx->lock);
	if (ctx->rings.nr) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = vaal_pci_setup_try(ctx, &req);
	if (!ret)
		ret = vaal_pci_ring_publish(ctx, &req);
out_unlock:
	mutex_unlock(&ctx->lock);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &req, min_t(u32, usize, sizeof(req))))
		return -EFAULT;
	return 0;
}

/**
 * vaal_pci_ring_free - free the rings of a context the device no longer
 *	knows
 * @ctx: the context
 */
void vaal_pci_ring_free(struct vaal_pci_ctx *ctx)
{
	if (ctx->vaddr)
		vunmap(ctx->vaddr);
	vaal_pci_pages_free(ctx->vdev, &ctx->rings);
}

/**
 * vaal_pci_ring_mmap - mmap() of the rings, from their start, shared
 * @ctx: the context
 * @vma: the mapping, at offset 0
 *
 * No lock: once published the rings stay until the context goes, and the
 * mapping holds the context's file.
 *
 * Return: 0, -EBADFD before the set up, -ENXIO past the rings' end.
 */
int vaal_pci_ring_mmap(struct vaal_pci_ctx *ctx, struct vm_area_struct *vma)
{
	/* Pairs with the release in vaal_pci_ring_publish(). */
	if (!smp_load_acquire(&ctx->ready))
		return -EBADFD;
	vm_flags_set(vma, VM_DONTEXPAND);
	return vm_map_pages_zero(vma, ctx->rings.pages, ctx->rings.nr);
}

/* Completions in the ring that user space has not consumed yet. */
static u32 vaal_pci_cq_ready(struct vaal_pci_ctx *ctx)
{
	return READ_ONCE(*ctx->cq_tail) - READ_ONCE(*ctx->cq_head);
}

/* Let the device move the completions it parked into the room made since. */
static void vaal_pci_cq_flush(struct vaal_pci_ctx *ctx)
{
	u32 ovf;

	spin_lock(&ctx->flush_lock);
	ovf = READ_ONCE(*ctx->cq_overflow);
	if (ovf != ctx->ovf_seen || ctx->ovf_pending) {
		/* A device that refuses it has nothing to move, either. */
		vaal_pci_doorbell(ctx, 0);
		WRITE_ONCE(ctx->ovf_seen, ovf);
		/* Full still: more may wait behind. */
		WRITE_ONCE(ctx->ovf_pending,
			   vaal_pci_cq_ready(ctx) >= ctx->cq_entries);
	}
	spin_unlock(&ctx->flush_lock);
}

/* May completions wait on the device for room that user space made? */
static bool vaal_pci_cq_parked(struct vaal_pci_ctx *ctx)
{
	return READ_ONCE(*ctx->cq_overflow) != READ_ONCE(ctx->ovf_seen) ||
	       READ_ONCE(ctx->ovf_pending);
}

/* 1 when @min completions are in the ring, -EIO when the context is dead. */
static int vaal_pci_cq_check(struct vaal_pci_ctx *ctx, u32 min)
{
	if (vaal_pci_ctx_dead(ctx))
		return -EIO;
	/* A head corrupted by user space reads as enough: it returns. */
	if (vaal_pci_cq_ready(ctx) >= min)
		return 1;
	if (!vaal_pci_cq_parked(ctx))
		return 0;
	vaal_pci_cq_flush(ctx);
	return vaal_pci_cq_ready(ctx) >= min;
}

/* Worth a look by vaal_pci_cq_check(); no lock, no device access. */
static bool vaal_pci_cq_wake(struct vaal_pci_ctx *ctx, u32 min)
{
	return vaal_pci_ctx_dead(ctx) || vaal_pci_cq_ready(ctx) >= min ||
	       vaal_pci_cq_parked(ctx);
}

/*
 * Wait for @min completions in the ring: 0, -ETIME after @timeout_ns when
 * @timed, -EINTR on a signal, -EIO when the context died.
 */
static int vaal_pci_cq_wait(struct vaal_pci_ctx *ctx, u32 min, u64 timeout_ns,
			    bool timed)
{
	struct vaal_pci_dev *vdev = ctx->vdev;
	ktime_t end = timed ? ktime_add_ns(ktime_get(), timeout_ns) : KTIME_MAX;
	ktime_t left;
	int ret;

	for (;;) {
		ret = vaal_pci_cq_check(ctx, min);
		if (ret)
			return ret < 0 ? ret : 0;
		left = timed ? ktime_sub(end, ktime_get()) : KTIME_MAX;
		if (left <= 0)
			return -ETIME;
		if (!READ_ONCE(vdev->nr_vecs))
			left = min_t(ktime_t, left, VAAL_PCI_POLL_NS);
		ret = wait_event_interruptible_hrtimeout(vdev->cq_wait,
							 vaal_pci_cq_wake(ctx, min),
							 left);
		if (ret == -ERESTARTSYS)
			return -EINTR;
	}
}

static int vaal_pci_enter_check(struct vaal_pci_ctx *ctx,
				const struct vaal_enter *req)
{
	if (req->flags & ~VAAL_ENTER_FLAGS_ALL ||
	    req->reserved[0] | req->reserved[1])
		return -EINVAL;
	if (!(req->flags & VAAL_ENTER_GETEVENTS) && req->min_complete)
		return -EINVAL;
	if (!(req->flags & VAAL_ENTER_TIMEOUT) && req->timeout_ns)
		return -EINVAL;
	/* Pairs with the release in vaal_pci_ring_publish(). */
	if (!smp_load_acquire(&ctx->ready))
		return -EBADFD;
	if (req->to_submit > ctx->sq_entries ||
	    req->min_complete > ctx->cq_entries)
		return -EINVAL;
	/* The polling thread alone consumes the ring of an SQPOLL context. */
	if (ctx->sqpoll ? req->to_submit : req->flags & VAAL_ENTER_SQ_WAKEUP)
		return -EINVAL;
	return 0;
}

/**
 * vaal_pci_ioc_enter - %VAAL_IOC_ENTER
 * @ctx: the context
 * @uarg: the user's &struct vaal_enter
 *
 * Return: submissions consumed, or a negative errno, as vaal_core's; -EIO
 * once the context died with a device reset.
 */
long vaal_pci_ioc_enter(struct vaal_pci_ctx *ctx, void __user *uarg)
{
	struct vaal_enter req;
	long submitted = 0;
	u32 usize, db;
	int ret;

	/* The hot path: one copy when user space knows this very struct. */
	if (copy_from_user(&req, uarg, sizeof(req)) || req.size != sizeof(req)) {
		ret = vaal_pci_copy_args(&req, sizeof(req), uarg,
					 VAAL_ENTER_SIZE_VER0, &usize);
		if (ret)
			return ret;
	}
	ret = vaal_pci_enter_check(ctx, &req);
	if (ret)
		return ret;
	db = req.to_submit;
	if (req.flags & VAAL_ENTER_SQ_WAKEUP)
		db |= VAAL_PCI_DB_SQ_WAKEUP;
	if (db) {
		submitted = vaal_pci_doorbell(ctx, db);
		if (submitted < 0)
			return submitted;
	}
	if (req.flags & VAAL_ENTER_GETEVENTS) {
		ret = vaal_pci_cq_wait(ctx, req.min_complete, req.timeout_ns,
				       req.flags & VAAL_ENTER_TIMEOUT);
		if (ret && !submitted)
			return ret;
	}
	/* Buffers destroyed while in use may be free now. */
	vaal_pci_ctx_reap(ctx);
	return submitted;
}

/**
 * vaal_pci_ring_poll - poll() of a context: readable when a completion is
 *	in the ring
 * @ctx: the context
 * @file: its file
 * @wait: the poll table
 *
 * Return: the poll mask; EPOLLERR before the set up (nothing can become
 * readable) and once the context died.
 */
__poll_t vaal_pci_ring_poll(struct vaal_pci_ctx *ctx, struct file *file,
			    struct poll_table_struct *wait)
{
	int ret;

	/* Pairs with the release in vaal_pci_ring_publish(). */
	if (!smp_load_acquire(&ctx->ready))
		return EPOLLERR;
	poll_wait(file, &ctx->vdev->cq_wait, wait);
	ret = vaal_pci_cq_check(ctx, 1);
	if (ret < 0)
		return EPOLLERR;
	return ret ? EPOLLIN | EPOLLRDNORM : 0;
}
