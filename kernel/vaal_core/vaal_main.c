// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_main.c - module life cycle and the /dev/vaal character device
 *
 * One open file of /dev/vaal is one context.  The number of contexts alive
 * at once is bounded by the max_contexts module parameter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vaal_internal.h"

unsigned int vaal_max_contexts = 1024;
module_param_named(max_contexts, vaal_max_contexts, uint, 0644);
MODULE_PARM_DESC(max_contexts, "Contexts (open files of /dev/vaal) admitted at once (default 1024)");

static int vaal_open(struct inode *inode, struct file *file)
{
	struct vaal_device *vdev = container_of(file->private_data,
						struct vaal_device, misc);
	struct vaal_ctx *ctx;

	if (atomic_inc_return(&vdev->nr_contexts) > READ_ONCE(vaal_max_contexts)) {
		atomic_dec(&vdev->nr_contexts);
		return -EMFILE;
	}

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx) {
		atomic_dec(&vdev->nr_contexts);
		return -ENOMEM;
	}
	ctx->vdev = vdev;
	xa_init_flags(&ctx->bufs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->kernels, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int vaal_release(struct inode *inode, struct file *file)
{
	struct vaal_ctx *ctx = file->private_data;

	/* No mapping is left: each one holds the file. */
	vaal_kernel_release_all(ctx);
	vaal_buf_release_all(ctx);
	WARN_ON_ONCE(atomic_read(&ctx->nr_bufs));
	atomic_dec(&ctx->vdev->nr_contexts);
	kfree(ctx);
	return 0;
}

static const struct file_operations vaal_fops = {
	.owner		= THIS_MODULE,
	.open		= vaal_open,
	.release	= vaal_release,
	.unlocked_ioctl	= vaal_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vaal_mmap,
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
};

static int __init vaal_init(void)
{
	int ret;

	ret = misc_register(&vaal_dev.misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", VAAL_DEVICE_NAME, ret);
		return ret;
	}
	pr_info("ABI %u.%u, /dev/%s ready\n", VAAL_ABI_MAJOR, VAAL_ABI_MINOR,
		VAAL_DEVICE_NAME);
	return 0;
}

static void __exit vaal_exit(void)
{
	misc_deregister(&vaal_dev.misc);
}

module_init(vaal_init);
module_exit(vaal_exit);

MODULE_DESCRIPTION("V-Core Virtualized Accelerator Abstraction Layer");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
