// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_uctrl.c - controllers in user space (driver domains: a GPU's daemon,
 * the reference controller in tools/vaal_ctrld)
 *
 * A file of /dev/vaal whose process has CAP_SYS_ADMIN registers as the
 * controller of a class.  ops->start() puts work on the file's pending
 * list; the process pulls it, maps the buffers of the work its units hold
 * and nothing else, and completes it.  A mapping of a unit's argument is
 * filled at fault time from the work the unit holds then, and zapped when
 * the work is completed, so a controller never reaches a buffer after it
 * gave the work back.  The mapping's pages are ordinary pages, which a
 * device driver or io_uring may pin to use the buffer in place; a pin
 * outlives the zap (the privileged controller must drop it when it
 * completes the work) and keeps the pages, never the buffer's other state.
 * Closing the file hands its work to the class's other controllers, or
 * fails it with -EIO.
 *
 * Controllers that load code (ABI 0.7) also learn each work's kernel key,
 * deadline and geometry, fetch the blob of the kernel of work they hold,
 * attach logs to kernels as they complete work, and - with
 * %VAAL_PULL_GONE - hear of the keys they were handed that are gone for
 * good, so that they free what they built: each such controller keeps the
 * keys it was handed (@known), and a kernel that goes moves its entry to
 * the controller's @gone list, which pulls drain.
 *
 * mmap offsets: bit 63, the controller's id, the unit and the argument
 * index; each argument spans 4 GiB of offsets (a whole buffer).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_ctrl_register) == VAAL_CTRL_REGISTER_SIZE_VER0);
static_assert(sizeof(struct vaal_ctrl_pull) == VAAL_CTRL_PULL_SIZE_VER2);
static_assert(offsetof(struct vaal_ctrl_pull, ctx_id) ==
	      VAAL_CTRL_PULL_SIZE_VER1);
static_assert(sizeof(struct vaal_ctrl_complete) == VAAL_CTRL_COMPLETE_SIZE_VER1);
static_assert(sizeof(struct vaal_ctrl_blob) == VAAL_CTRL_BLOB_SIZE_VER0);
static_assert(offsetof(struct vaal_ctrl_pull, kernel_key) ==
	      VAAL_CTRL_PULL_SIZE_VER0);
static_assert(offsetof(struct vaal_ctrl_complete, log_addr) ==
	      VAAL_CTRL_COMPLETE_SIZE_VER0);

#define VAAL_UCTRL_MMAP_BIT	63
#define VAAL_UCTRL_ID_SHIFT	43
#define VAAL_UCTRL_UNIT_SHIFT	35
#define VAAL_UCTRL_ARG_SHIFT	32
#define VAAL_UCTRL_MAX_ID	((1U << (VAAL_UCTRL_MMAP_BIT - VAAL_UCTRL_ID_SHIFT)) - 1)

/**
 * struct vaal_uctrl_unit - what a unit of a user-space controller holds
 * @job: the work pulled onto it, or NULL
 * @gen: bumped at each pull, so that tokens of completed work go stale
 */
struct vaal_uctrl_unit {
	struct vaal_job *job;
	u32 gen;
};

/**
 * struct vaal_uctrl_key - a kernel key a controller was handed
 * @node: in the controller's gone list, once the kernel is gone
 * @key: the key
 */
struct vaal_uctrl_key {
	struct list_head node;
	u64 key;
};

/**
 * struct vaal_uctrl - a user-space controller: one file of /dev/vaal
 * @ctrl: the controller, as the core sees it
 * @lock: protects @pending and @gone
 * @pending: work on a unit, not pulled yet
 * @gone: &struct vaal_uctrl_key of kernels gone, not reported yet
 * @wait: pullers, and the file's release waiting for work in transit
 * @map_lock: protects @units; held while a fault maps a page
 * @units: per unit, the work pulled onto it
 * @mapping: the file's address space, where its mappings are zapped
 * @known: keys handed to pulls with %VAAL_PULL_GONE of kernels not gone,
 *	to their &struct vaal_uctrl_key
 * @node: in vaal_uctrls, while registered
 */
struct vaal_uctrl {
	struct vaal_controller ctrl;
	spinlock_t lock;
	struct list_head pending;
	struct list_head gone;
	wait_queue_head_t wait;
	struct mutex map_lock;
	struct vaal_uctrl_unit *units;
	struct address_space *mapping;
	struct xarray known;
	struct list_head node;
};

/* Registered user-space controllers, for kernels going away. */
static LIST_HEAD(vaal_uctrls);
static DEFINE_SPINLOCK(vaal_uctrls_lock);

/* Pages a fault maps at once, from the one faulted on. */
#define VAAL_UCTRL_FAULT_PAGES	1024

static u64 vaal_uctrl_offset(const struct vaal_uctrl *u, unsigned int unit,
			     unsigned int arg)
{
	return BIT_ULL(VAAL_UCTRL_MMAP_BIT) |
	       (u64)u->ctrl.id << VAAL_UCTRL_ID_SHIFT |
	       (u64)unit << VAAL_UCTRL_UNIT_SHIFT |
	       (u64)arg << VAAL_UCTRL_ARG_SHIFT;
}

/* Is @pgoff a page offset of a controller's argument mapping? */
bool vaal_uctrl_pgoff(unsigned long pgoff)
{
	return (u64)pgoff >> (VAAL_UCTRL_MMAP_BIT - PAGE_SHIFT);
}

static int vaal_uctrl_start(struct vaal_controller *ctrl, unsigned int unit,
			    struct vaal_work *work)
{
	struct vaal_uctrl *u = container_of(ctrl, struct vaal_uctrl, ctrl);
	unsigned long flags;

	spin_lock_irqsave(&u->lock, flags);
	list_add_tail(&work->node, &u->pending);
	spin_unlock_irqrestore(&u->lock, flags);
	/* One puller (they wait exclusively), and the release and poll. */
	wake_up(&u->wait);
	return 0;
}

static const struct vaal_ctrl_ops vaal_uctrl_ops = {
	.start	= vaal_uctrl_start,
};

static int vaal_uctrl_check(const struct vaal_ctrl_register *req)
{
	if (req->flags || req->id || memchr_inv(req->reserved, 0,
						 sizeof(req->reserved)))
		return -EINVAL;
	if (!req->nr_units || req->nr_units > VAAL_MAX_UNITS)
		return -EINVAL;
	if (!memchr(req->name, 0, sizeof(req->name)) ||
	    !memchr(req->class, 0, sizeof(req->class)))
		return -EINVAL;
	return 0;
}

static struct vaal_uctrl *vaal_uctrl_new(const struct vaal_ctrl_register *req,
					 struct file *file)
{
	struct vaal_uctrl *u;

	u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
	if (!u)
		return NULL;
	u->units = kcalloc(req->nr_units, sizeof(*u->units), GFP_KERNEL_ACCOUNT);
	if (!u->units) {
		kfree(u);
		return NULL;
	}
	strscpy(u->ctrl.name, req->name, sizeof(u->ctrl.name));
	strscpy(u->ctrl.class, req->class, sizeof(u->ctrl.class));
	u->ctrl.nr_units = req->nr_units;
	u->ctrl.ops = &vaal_uctrl_ops;
	u->ctrl.owner = THIS_MODULE;
	spin_lock_init(&u->lock);
	INIT_LIST_HEAD(&u->pending);
	INIT_LIST_HEAD(&u->gone);
	init_waitqueue_head(&u->wait);
	mutex_init(&u->map_lock);
	u->mapping = file->f_mapping;
	xa_init_flags(&u->known, XA_FLAGS_LOCK_IRQ);
	INIT_LIST_HEAD(&u->node);
	return u;
}

static void vaal_uctrl_free(struct vaal_uctrl *u)
{
	struct vaal_uctrl_key *e, *tmp;
	unsigned long key;

	/* Out of kernels' sight first: none moves an entry to @gone after. */
	spin_lock_irq(&vaal_uctrls_lock);
	list_del_init(&u->node);
	spin_unlock_irq(&vaal_uctrls_lock);
	xa_for_each(&u->known, key, e)
		kfree(e);
	xa_destroy(&u->known);
	list_for_each_entry_safe(e, tmp, &u->gone, node)
		kfree(e);
	kfree(u->units);
	kfree(u);
}

/**
 * vaal_uctrl_kernel_gone - a kernel whose key controllers were handed is
 *	gone for good: tell those controllers
 * @key: the kernel's key
 *
 * Any context; allocates nothing.
 */
void vaal_uctrl_kernel_gone(u64 key)
{
	struct vaal_uctrl_key *e;
	struct vaal_uctrl *u;
	unsigned long flags;

	spin_lock_irqsave(&vaal_uctrls_lock, flags);
	list_for_each_entry(u, &vaal_uctrls, node) {
		xa_lock(&u->known);
		e = __xa_erase(&u->known, key);
		xa_unlock(&u->known);
		if (!e)
			continue;
		spin_lock(&u->lock);
		list_add_tail(&e->node, &u->gone);
		spin_unlock(&u->lock);
		/* Every puller: only those asking for gone keys take them. */
		wake_up_all(&u->wait);
	}
	spin_unlock_irqrestore(&vaal_uctrls_lock, flags);
}

static void vaal_uctrl_destroy(struct vaal_uctrl *u);

long vaal_ioc_ctrl_register(struct vaal_ctx *ctx, struct file *file,
			    void __user *uarg)
{
	struct vaal_ctrl_register req;
	struct vaal_uctrl *u;
	u32 usize;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vaal_copy_args(&req, sizeof(req), uarg,
			     VAAL_CTRL_REGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_uctrl_check(&req);
	if (ret)
		return ret;
	u = vaal_uctrl_new(&req, file);
	if (!u)
		return -ENOMEM;

	mutex_lock(&ctx->lock);
	if (ctx->uctrl) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = vaal_controller_register(&u->ctrl);
	if (ret)
		goto out_unlock;
	if (u->ctrl.id > VAAL_UCTRL_MAX_ID ||
	    put_user(u->ctrl.id, (u32 __user *)(uarg + offsetof(typeof(req), id)))) {
		ret = u->ctrl.id > VAAL_UCTRL_MAX_ID ? -ENOSPC : -EFAULT;
		mutex_unlock(&ctx->lock);
		vaal_uctrl_destroy(u);
		return ret;
	}
	spin_lock_irq(&vaal_uctrls_lock);
	list_add_tail(&u->node, &vaal_uctrls);
	spin_unlock_irq(&vaal_uctrls_lock);
	/* Pairs with the acquire of the pull, complete and mmap paths. */
	smp_store_release(&ctx->uctrl, u);
	mutex_unlock(&ctx->lock);
	return 0;

out_unlock:
	mutex_unlock(&ctx->lock);
	vaal_uctrl_free(u);
	return ret;
}

static struct vaal_uctrl *vaal_uctrl_of(struct vaal_ctx *ctx)
{
	/* Pairs with the release in vaal_ioc_ctrl_register(). */
	return smp_load_acquire(&ctx->uctrl);
}

/*
 * The oldest work not pulled yet, or NULL.  Pullers wait exclusively, one
 * woken for each work: one that leaves more behind wakes the next.
 */
static struct vaal_job *vaal_uctrl_take(struct vaal_uctrl *u)
{
	struct vaal_job *job = NULL;
	bool more = false;

	spin_lock_irq(&u->lock);
	if (!list_empty(&u->pending)) {
		job = list_first_entry(&u->pending, struct vaal_job, work.node);
		list_del_init(&job->work.node);
		more = !list_empty(&u->pending);
	}
	spin_unlock_irq(&u->lock);
	if (more)
		wake_up(&u->wait);
	return job;
}

/* Describe @job, pulled onto its unit, for user space. */
static void vaal_uctrl_describe(struct vaal_uctrl *u, struct vaal_job *job,
				u64 token, struct vaal_ctrl_pull *p)
{
	const struct vaal_kernel *k = job->kernel;
	const struct vaal_hz_access *a;
	struct vaal_buf *buf;
	unsigned int i;

	p->events |= VAAL_PULL_EV_WORK;
	p->token = token;
	p->unit = job->unit;
	p->nr_args = k->nr_args;
	memcpy(p->name, k->name, sizeof(p->name));
	p->scalar_bytes = k->scalar_bytes;
	p->blob_len = k->blob_len;
	for (i = 0; i < k->nr_args; i++) {
		a = &job->acc[i];
		buf = container_of(a->buf, struct vaal_buf, hz);
		p->args[i].mmap_offset = vaal_uctrl_offset(u, job->unit, i);
		p->args[i].buf_bytes = buf->length;
		p->args[i].offset = a->start;
		p->args[i].length = a->end - a->start;
		p->args[i].mode = k->arg_mode[i];
	}
	memcpy(p->scalars, vaal_job_scalars(job, k->nr_args), k->scalar_bytes);
	p->kernel_key = k->key;
	p->ctx_id = job->ctx->sched.id;
	/* The watchdog's clock: a unit took the work at start_ns. */
	p->deadline_ns = job->start_ns + k->timeout_ns;
	if (job->geometry)
		memcpy(&p->geometry,
		       vaal_job_geometry(job, k->nr_args, k->scalar_bytes),
		       sizeof(p->geometry));
}

/*
 * Put a taken job back in front, when user space could not take it, for
 * the next puller; @on_unit: it was on its unit already.
 */
static void vaal_uctrl_unpull(struct vaal_uctrl *u, struct vaal_job *job,
			      bool on_unit)
{
	if (on_unit) {
		mutex_lock(&u->map_lock);
		u->units[job->unit].job = NULL;
		mutex_unlock(&u->map_lock);
	}
	spin_lock_irq(&u->lock);
	list_add(&job->work.node, &u->pending);
	spin_unlock_irq(&u->lock);
	wake_up(&u->wait);
}

/* Move the oldest gone keys, a pull's worth, to @keys; return how many. */
static unsigned int vaal_uctrl_take_gone(struct vaal_uctrl *u,
					 struct list_head *keys)
{
	struct vaal_uctrl_key *e, *tmp;
	unsigned int n = 0;

	spin_lock_irq(&u->lock);
	list_for_each_entry_safe(e, tmp, &u->gone, node) {
		if (n == VAAL_PULL_MAX_GONE)
			break;
		list_move_tail(&e->node, keys);
		n++;
	}
	spin_unlock_irq(&u->lock);
	return n;
}

/* Put gone keys a pull could not report back in front, for any puller. */
static void vaal_uctrl_ungone(struct vaal_uctrl *u, struct list_head *keys)
{
	if (list_empty(keys))
		return;
	spin_lock_irq(&u->lock);
	list_splice_init(keys, &u->gone);
	spin_unlock_irq(&u->lock);
	wake_up_all(&u->wait);
}

/* Remember that @u was handed work of @k, to tell it when @k is gone. */
static int vaal_uctrl_know(struct vaal_uctrl *u, struct vaal_kernel *k)
{
	struct vaal_uctrl_key *e;
	int ret;

	if (xa_load(&u->known, k->key))
		return 0;
	e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->key = k->key;
	/* The job holds @k: it cannot be gone before this is in. */
	ret = xa_insert_irq(&u->known, k->key, e, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(e);
		return ret == -EBUSY ? 0 : ret;
	}
	WRITE_ONCE(k->handed, true);
	return 0;
}

static bool vaal_uctrl_ready(struct vaal_uctrl *u, bool gone)
{
	return !list_empty(&u->pending) || (gone && !list_empty(&u->gone));
}

long vaal_ioc_ctrl_pull(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);
	struct vaal_uctrl_key *e, *tmp;
	struct vaal_ctrl_pull *p;
	unsigned int nr_gone = 0;
	struct vaal_job *job;
	LIST_HEAD(keys);
	bool gone;
	u32 usize;
	u64 token;
	int ret;

	if (!u)
		return -ENXIO;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = vaal_copy_args(p, sizeof(*p), uarg, VAAL_CTRL_PULL_SIZE_VER0,
			     &usize);
	if (ret)
		goto out_free;
	/* Fields that are only written back are not looked at. */
	ret = -EINVAL;
	gone = p->flags & VAAL_PULL_GONE;
	if (p->flags & ~VAAL_PULL_FLAGS_ALL ||
	    memchr_inv(p->reserved, 0, sizeof(p->reserved)) ||
	    (gone && usize < VAAL_CTRL_PULL_SIZE_VER1))
		goto out_free;

	for (;;) {
		job = vaal_uctrl_take(u);
		if (gone)
			nr_gone = vaal_uctrl_take_gone(u, &keys);
		if (job || nr_gone)
			break;
		ret = -EAGAIN;
		if (p->flags & VAAL_PULL_NONBLOCK)
			goto out_free;
		/* Exclusive: one work wakes one puller, not all of them. */
		ret = wait_event_interruptible_exclusive(u->wait,
							 vaal_uctrl_ready(u, gone));
		if (ret) {
			/* A wake-up this puller took and leaves with goes on. */
			if (vaal_uctrl_ready(u, true))
				wake_up(&u->wait);
			goto out_free;
		}
	}
	if (job && gone) {
		ret = vaal_uctrl_know(u, job->kernel);
		if (ret) {
			vaal_uctrl_unpull(u, job, false);
			vaal_uctrl_ungone(u, &keys);
			goto out_free;
		}
	}
	if (job) {
		mutex_lock(&u->map_lock);
		u->units[job->unit].job = job;
		u->units[job->unit].gen++;
		token = (u64)u->units[job->unit].gen << 16 | job->unit;
		mutex_unlock(&u->map_lock);
	}

	memset(p, 0, sizeof(*p));
	p->size = min_t(u32, usize, sizeof(*p));
	if (job)
		vaal_uctrl_describe(u, job, token, p);
	list_for_each_entry(e, &keys, node)
		p->gone[p->nr_gone++] = e->key;
	if (p->nr_gone)
		p->events |= VAAL_PULL_EV_GONE;
	ret = 0;
	if (copy_to_user(uarg, p, p->size)) {
		if (job)
			vaal_uctrl_unpull(u, job, true);
		vaal_uctrl_ungone(u, &keys);
		ret = -EFAULT;
	}
	list_for_each_entry_safe(e, tmp, &keys, node)
		kfree(e);
out_free:
	kfree(p);
	return ret;
}

/* Zap every mapping of @unit's arguments: the next access faults. */
static void vaal_uctrl_zap(struct vaal_uctrl *u, unsigned int unit)
{
	unmap_mapping_range(u->mapping, vaal_uctrl_offset(u, unit, 0),
			    (loff_t)VAAL_MAX_ARGS << VAAL_UCTRL_ARG_SHIFT, 1);
}

static int vaal_uctrl_complete_check(const struct vaal_ctrl_complete *req,
				     u32 usize)
{
	bool log = req->flags & VAAL_COMPLETE_LOG;

	if (req->flags & ~VAAL_COMPLETE_FLAGS_ALL || req->reserved0 ||
	    req->reserved || req->reserved1 ||
	    (!(req->flags & VAAL_COMPLETE_DEVICE_NS) && req->device_ns))
		return -EINVAL;
	if (!log && (req->log_addr || req->log_len))
		return -EINVAL;
	if (log && (usize < VAAL_CTRL_COMPLETE_SIZE_VER1 ||
		    req->log_len > VAAL_KERNEL_LOG_MAX ||
		    (req->log_len && !req->log_addr)))
		return -EINVAL;
	if (req->res > 0 || req->res < -MAX_ERRNO)
		return -EINVAL;
	return 0;
}

long vaal_ioc_ctrl_complete(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);
	struct vaal_kernel_klog *log = NULL;
	struct vaal_ctrl_complete req;
	unsigned int unit;
	struct vaal_job *job;
	u32 usize;
	int ret;

	if (!u)
		return -ENXIO;
	ret = vaal_copy_args(&req, sizeof(req), uarg,
			     VAAL_CTRL_COMPLETE_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_uctrl_complete_check(&req, usize);
	if (ret)
		return ret;
	unit = req.token & 0xffff;
	if (unit >= u->ctrl.nr_units)
		return -ENOENT;
	/* A log is copied in before any lock: it may fault. */
	if (req.flags & VAAL_COMPLETE_LOG && req.log_len) {
		log = vaal_kernel_klog_new(USER_SOCKPTR(u64_to_user_ptr(req.log_addr)),
					   req.log_len, u->ctrl.id);
		if (IS_ERR(log))
			return PTR_ERR(log);
	}

	mutex_lock(&u->map_lock);
	job = u->units[unit].job;
	if (!job || u->units[unit].gen != req.token >> 16) {
		mutex_unlock(&u->map_lock);
		if (log)
			vaal_kernel_klog_put(log);
		return -ENOENT;
	}
	u->units[unit].job = NULL;
	vaal_uctrl_zap(u, unit);
	mutex_unlock(&u->map_lock);
	/* The kernel's before its launch's completion is posted. */
	if (req.flags & VAAL_COMPLETE_LOG)
		vaal_kernel_set_log(job->kernel, log);
	vaal_work_done_ns(&job->work, req.res,
			  req.flags & VAAL_COMPLETE_DEVICE_NS ? req.device_ns :
			  U64_MAX);
	return 0;
}

/**
 * vaal_ioc_ctrl_blob - %VAAL_IOC_CTRL_BLOB: the code of the kernel of work
 *	the controller holds
 * @ctx: the controller's context
 * @uarg: the &struct vaal_ctrl_blob
 *
 * Return: 0, -ENOENT for a token the controller does not hold, -ENOSPC
 * (blob_len written back) when the room is short, -EINVAL, -EFAULT.
 */
long vaal_ioc_ctrl_blob(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);
	struct vaal_kernel *k = NULL;
	struct vaal_ctrl_blob req;
	struct vaal_job *job;
	unsigned int unit;
	u32 usize;
	int ret;

	if (!u)
		return -ENXIO;
	ret = vaal_copy_args(&req, sizeof(req), uarg, VAAL_CTRL_BLOB_SIZE_VER0,
			     &usize);
	if (ret)
		return ret;
	/* Fields that are only written back are not looked at. */
	if (req.flags || memchr_inv(req.reserved, 0, sizeof(req.reserved)))
		return -EINVAL;
	unit = req.token & 0xffff;
	if (unit >= u->ctrl.nr_units)
		return -ENOENT;
	mutex_lock(&u->map_lock);
	job = u->units[unit].job;
	if (job && u->units[unit].gen == req.token >> 16) {
		k = job->kernel;
		kref_get(&k->ref);
	}
	mutex_unlock(&u->map_lock);
	if (!k)
		return -ENOENT;

	req.blob_len = k->blob_len;
	req.kernel_key = k->key;
	if (req.room < k->blob_len)
		ret = -ENOSPC;
	else if (copy_to_user(u64_to_user_ptr(req.addr), k->blob, k->blob_len))
		ret = -EFAULT;
	vaal_kernel_put(k);
	if (ret != -EFAULT &&
	    copy_to_user(uarg, &req, min_t(u32, usize, sizeof(req))))
		ret = -EFAULT;
	return ret;
}

/* The unit and argument a mapping of @u shows, from its page offset. */
static bool vaal_uctrl_decode(struct vaal_uctrl *u, unsigned long pgoff,
			      unsigned int *unit, unsigned int *arg)
{
	u64 off = (u64)pgoff << PAGE_SHIFT;

	if (((off >> VAAL_UCTRL_ID_SHIFT) & VAAL_UCTRL_MAX_ID) != u->ctrl.id ||
	    off & (BIT_ULL(VAAL_UCTRL_ARG_SHIFT) - 1))
		return false;
	*unit = (off >> VAAL_UCTRL_UNIT_SHIFT) & (VAAL_MAX_UNITS - 1);
	*arg = (off >> VAAL_UCTRL_ARG_SHIFT) & (VAAL_MAX_ARGS - 1);
	return *unit < u->ctrl.nr_units;
}

/* The buffer argument @arg of the work @unit holds, if @vma may show it. */
static struct vaal_buf *vaal_uctrl_buf(struct vaal_uctrl *u,
				       struct vm_area_struct *vma,
				       unsigned int unit, unsigned int arg)
{
	struct vaal_job *job = u->units[unit].job;

	if (!job || arg >= job->kernel->nr_args)
		return NULL;
	/* Inputs are never written, whatever the mapping was made for. */
	if (vma->vm_flags & VM_WRITE && job->kernel->arg_mode[arg] == VAAL_ARG_IN)
		return NULL;
	return container_of(job->acc[arg].buf, struct vaal_buf, hz);
}

static vm_fault_t vaal_uctrl_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vaal_uctrl *u = vma->vm_private_data;
	unsigned long idx = vmf->pgoff - vma->vm_pgoff, num;
	unsigned int unit, arg;
	struct vaal_buf *buf;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	int err;

	if (!vaal_uctrl_decode(u, vma->vm_pgoff, &unit, &arg))
		return VM_FAULT_SIGBUS;
	mutex_lock(&u->map_lock);
	buf = vaal_uctrl_buf(u, vma, unit, arg);
	/*
	 * The pages themselves, refcounted, not special PTEs of their
	 * frames: a GPU's driver or io_uring can pin them
	 * (pin_user_pages()) and use the buffer in place.  Under map_lock: a
	 * completion cannot zap before the pages are in.  The ones that
	 * follow come with the one faulted on, up to a bound: a device
	 * walks its buffers, and one fault for many pages keeps in-place
	 * buffers as cheap as the runtime's own (-EBUSY: the rest were in).
	 */
	if (buf && idx < buf->nr_pages) {
		num = min3(buf->nr_pages - idx,
			   (vma->vm_end - vmf->address) >> PAGE_SHIFT,
			   (unsigned long)VAAL_UCTRL_FAULT_PAGES);
		err = vm_insert_pages(vma, vmf->address, &buf->pages[idx], &num);
		ret = !err || err == -EBUSY ? VM_FAULT_NOPAGE : vmf_error(err);
	}
	mutex_unlock(&u->map_lock);
	return ret;
}

static const struct vm_operations_struct vaal_uctrl_vm_ops = {
	.fault	= vaal_uctrl_fault,
};

/* mmap() of a controller file: a buffer argument of the work a unit holds. */
int vaal_uctrl_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);
	unsigned int unit, arg;
	struct vaal_buf *buf;
	int ret = 0;

	if (!u || !vaal_uctrl_decode(u, vma->vm_pgoff, &unit, &arg))
		return -EINVAL;
	mutex_lock(&u->map_lock);
	buf = vaal_uctrl_buf(u, vma, unit, arg);
	if (!buf)
		ret = u->units[unit].job ? -EACCES : -EINVAL;
	else if (vma->vm_end - vma->vm_start > buf->length)
		ret = -EINVAL;
	else if (u->units[unit].job->kernel->arg_mode[arg] == VAAL_ARG_IN)
		vm_flags_clear(vma, VM_MAYWRITE);
	mutex_unlock(&u->map_lock);
	if (ret)
		return ret;
	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTCOPY |
		     VM_DONTDUMP);
	vma->vm_ops = &vaal_uctrl_vm_ops;
	vma->vm_private_data = u;
	return 0;
}

/* Is the context's file a user-space controller? */
bool vaal_uctrl_registered(struct vaal_ctx *ctx)
{
	return vaal_uctrl_of(ctx);
}

/**
 * vaal_uctrl_poll - poll() of a user-space controller's file
 * @ctx: the context, a registered controller
 * @file: its file
 * @wait: the poll table
 *
 * Return: readable when a unit holds work not pulled yet, or a kernel
 * key it was handed is gone (for pulls with %VAAL_PULL_GONE).
 */
__poll_t vaal_uctrl_poll(struct vaal_ctx *ctx, struct file *file,
			 struct poll_table_struct *wait)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);
	__poll_t mask = 0;

	poll_wait(file, &u->wait, wait);
	spin_lock_irq(&u->lock);
	if (!list_empty(&u->pending) || !list_empty(&u->gone))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&u->lock);
	return mask;
}

/* Hand back every work @u holds or has not pulled yet. */
static void vaal_uctrl_requeue_all(struct vaal_uctrl *u)
{
	struct vaal_job *job, *tmp;
	unsigned int i;
	LIST_HEAD(list);

	spin_lock_irq(&u->lock);
	list_splice_init(&u->pending, &list);
	spin_unlock_irq(&u->lock);
	mutex_lock(&u->map_lock);
	for (i = 0; i < u->ctrl.nr_units; i++) {
		if (!u->units[i].job)
			continue;
		list_add_tail(&u->units[i].job->work.node, &list);
		u->units[i].job = NULL;
		vaal_uctrl_zap(u, i);
	}
	mutex_unlock(&u->map_lock);
	list_for_each_entry_safe(job, tmp, &list, work.node) {
		list_del_init(&job->work.node);
		vaal_work_requeue(&job->work);
	}
}

/*
 * The controller's file is closed: no new work comes; the work it holds,
 * and work on its way through ops->start(), goes elsewhere or fails.
 */
static void vaal_uctrl_destroy(struct vaal_uctrl *u)
{
	vaal_controller_stop(&u->ctrl);
	for (;;) {
		vaal_uctrl_requeue_all(u);
		if (!READ_ONCE(u->ctrl.nr_busy))
			break;
		wait_event(u->wait, !list_empty(&u->pending) ||
			   !READ_ONCE(u->ctrl.nr_busy));
	}
	vaal_controller_unregister(&u->ctrl);
	vaal_uctrl_free(u);
}

void vaal_uctrl_release(struct vaal_ctx *ctx)
{
	struct vaal_uctrl *u = vaal_uctrl_of(ctx);

	if (u)
		vaal_uctrl_destroy(u);
}
