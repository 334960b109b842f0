// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_main.c - module life cycle and the /dev/vaal character device: its
 * file operations, which hand each call to the part of the context it is
 * for
 *
 * One open file of /dev/vaal is one context (vaal_ctx.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vaal_internal.h"

static int vaal_open(struct inode *inode, struct file *file)
{
	struct vaal_device *vdev = container_of(file->private_data,
						struct vaal_device, misc);
	struct vaal_ctx *ctx = vaal_ctx_new(vdev, NULL);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int vaal_release(struct inode *inode, struct file *file)
{
	vaal_ctx_close(file->private_data);
	return 0;
}

/*
 * mmap() offsets: the rings at %VAAL_RINGS_MMAP_OFFSET, a buffer at its
 * handle << %VAAL_BUF_MMAP_SHIFT, a user-space controller's argument with
 * bit 63 set (vaal_uctrl.c).  Every mapping is shared.
 */
static int vaal_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vaal_ctx *ctx = file->private_data;

	if (vma->vm_pgoff & ((1UL << (VAAL_BUF_MMAP_SHIFT - PAGE_SHIFT)) - 1))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!vaal_ctx_owned(ctx))
		return -EIO;
	if (vaal_uctrl_pgoff(vma->vm_pgoff))
		return vaal_uctrl_mmap(ctx, vma);
	if (!vma->vm_pgoff)
		return vaal_ring_mmap(ctx, vma);
	return vaal_buf_mmap(ctx, vma);
}

/*
 * Readable when a completion is in the ring, or when a user-space
 * controller has work to pull; an error on a context that has neither
 * rings nor a controller, where nothing can become readable.
 */
static __poll_t vaal_poll(struct file *file, struct poll_table_struct *wait)
{
	struct vaal_ctx *ctx = file->private_data;
	__poll_t mask = 0;
	bool any = false;

	if (vaal_uctrl_registered(ctx)) {
		mask |= vaal_uctrl_poll(ctx, file, wait);
		any = true;
	}
	/* Pairs with the release in vaal_ring_create(): the rings are whole. */
	if (smp_load_acquire(&ctx->rings)) {
		mask |= vaal_cq_poll(ctx, file, wait);
		any = true;
	}
	return any ? mask : EPOLLERR;
}

static void vaal_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct vaal_ctx *ctx = file->private_data;
	struct vaal_class_stats stats[VAAL_MAX_CLASSES];
	u64 submitted, completed;
	unsigned int i, inflight;
	struct vaal_class *cls;

	spin_lock_irq(&ctx->job_lock);
	submitted = ctx->submitted;
	completed = ctx->completed;
	inflight = ctx->nr_inflight;
	memcpy(stats, ctx->stats, sizeof(stats));
	spin_unlock_irq(&ctx->job_lock);

	seq_printf(m, "vaal-ctx-id:\t%llu\n", ctx->sched.id);
	seq_printf(m, "vaal-submitted:\t%llu\n", submitted);
	seq_printf(m, "vaal-inflight:\t%u\n", inflight);
	seq_printf(m, "vaal-completed:\t%llu\n", completed);
	seq_printf(m, "vaal-buffers:\t%d\n", atomic_read(&ctx->nr_bufs));
	seq_printf(m, "vaal-buffer-bytes:\t%lld\n",
		   atomic64_read(&ctx->buf_bytes));
	for (i = 0; i < VAAL_MAX_CLASSES; i++) {
		/* Pairs with the class's publication: it is initialized. */
		cls = smp_load_acquire(&vaal_classes[i]);
		if (!cls)
			break;
		seq_printf(m, "vaal-class-%s:\t%llu completed %llu ns\n",
			   cls->name, stats[i].completed, stats[i].device_ns);
	}
	/* Device time per class, as DRM's drm-engine-<name> keys show it. */
	for (i = 0; i < VAAL_MAX_CLASSES; i++) {
		cls = vaal_class_at(i);
		if (!cls)
			break;
		seq_printf(m, "vaal-engine-%s:\t%llu ns\n", cls->name,
			   stats[i].device_ns);
	}
}

static const struct file_operations vaal_fops = {
	.owner		= THIS_MODULE,
	.open		= vaal_open,
	.release	= vaal_release,
	.unlocked_ioctl	= vaal_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vaal_mmap,
	.poll		= vaal_poll,
	.show_fdinfo	= vaal_show_fdinfo,
};

struct vaal_device vaal_dev = {
	.misc = {
		.minor	= MISC_DYNAMIC_MINOR,
		.name	= VAAL_DEVICE_NAME,
		.fops	= &vaal_fops,
		.mode	= 0660,
	},
	.nr_contexts	= ATOMIC_INIT(0),
	.sched_lock	= __MUTEX_INITIALIZER(vaal_dev.sched_lock),
	.policies	= LIST_HEAD_INIT(vaal_dev.policies),
	.ctx_lock	= __SPIN_LOCK_UNLOCKED(vaal_dev.ctx_lock),
	.contexts	= LIST_HEAD_INIT(vaal_dev.contexts),
};

static int __init vaal_init(void)
{
	int ret;

	ret = misc_register(&vaal_dev.misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", VAAL_DEVICE_NAME, ret);
		return ret;
	}
	ret = vaal_sysfs_init(&vaal_dev);
	if (ret) {
		pr_err("cannot create the controllers directory: %d\n", ret);
		misc_deregister(&vaal_dev.misc);
		return ret;
	}
	pr_info("ABI %u.%u, /dev/%s ready\n", VAAL_ABI_MAJOR, VAAL_ABI_MINOR,
		VAAL_DEVICE_NAME);
	return 0;
}

static void __exit vaal_exit(void)
{
	vaal_sysfs_exit();
	misc_deregister(&vaal_dev.misc);
	vaal_job_exit();
	vaal_completion_exit();
	vaal_ctrl_exit();
}

module_init(vaal_init);
module_exit(vaal_exit);

MODULE_DESCRIPTION("V-Core Virtualized Accelerator Abstraction Layer");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
