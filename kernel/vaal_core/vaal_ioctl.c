// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ioctl.c - ioctl dispatch of /dev/vaal
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/uaccess.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_query) == VAAL_QUERY_SIZE_VER1);
static_assert(sizeof(struct vaal_query_controllers) ==
	      VAAL_QUERY_CONTROLLERS_SIZE_VER0);
static_assert(sizeof(struct vaal_controller_info) ==
	      VAAL_CONTROLLER_INFO_SIZE_VER0);

/**
 * vaal_query - %VAAL_IOC_QUERY on the kernel's copy of its argument
 * @ctx: the context
 * @q: in: size (at least %VAAL_QUERY_SIZE_VER0) and flags; out: filled,
 *	size clamped to what this kernel knows
 *
 * Return: 0 or -EINVAL.
 */
int vaal_query(struct vaal_ctx *ctx, struct vaal_query *q)
{
	u32 size = q->size;

	if (size < VAAL_QUERY_SIZE_VER0)
		return -EINVAL;
	/* Fields that are only written back are not looked at. */
	if (q->flags || q->reserved)
		return -EINVAL;

	memset(q, 0, sizeof(*q));
	q->size = min_t(u32, size, sizeof(*q));
	q->abi_major = VAAL_ABI_MAJOR;
	q->abi_minor = VAAL_ABI_MINOR;
	q->features = VAAL_FEATURES_ALL;
	q->nr_contexts = atomic_read(&ctx->vdev->nr_contexts);
	q->max_contexts = READ_ONCE(vaal_max_contexts);
	q->nr_sched_policies = vaal_sched_nr_policies(ctx->vdev);
	q->max_buffer_bytes = READ_ONCE(vaal_max_buffer_bytes);
	q->max_buffers = READ_ONCE(vaal_max_buffers);
	q->max_kernels = READ_ONCE(vaal_max_kernels);
	q->nr_controllers = vaal_nr_controllers();
	q->max_inflight = READ_ONCE(vaal_max_inflight);
	q->max_user_contexts = READ_ONCE(vaal_max_user_contexts);
	q->nr_user_contexts = vaal_user_contexts();
	return 0;
}

static long vaal_ioc_query(struct vaal_ctx *ctx, struct vaal_query __user *uq)
{
	struct vaal_query q;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&q, sizeof(q), uq, VAAL_QUERY_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_query(ctx, &q);
	if (ret)
		return ret;
	if (copy_to_user(uq, &q, q.size))
		return -EFAULT;
	return 0;
}

/*
 * Commands are told apart by their number alone, as DRM does: the size
 * encoded in the ioctl number is that of the structure's first version,
 * and a structure that grows carries its own size (vaal_copy_args()), so
 * a caller built against a newer header uses the same command.  The type
 * and the direction must still be ours.
 */
#define VAAL_IOC_BASE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static bool vaal_ioc_is(unsigned int cmd, unsigned int ioc)
{
	return VAAL_IOC_BASE(cmd) == VAAL_IOC_BASE(ioc);
}

/* Set-up and control: every command but ENTER, off the hot path. */
static noinline long vaal_ioctl_ctl(struct vaal_ctx *ctx, struct file *file,
				    unsigned int cmd, void __user *uarg)
{
	if (vaal_ioc_is(cmd, VAAL_IOC_QUERY))
		return vaal_ioc_query(ctx, uarg);
	if (vaal_ioc_is(cmd, VAAL_IOC_QUERY_CONTROLLERS))
		return vaal_ioc_query_controllers(uarg);
	/* Scheduling attributes: also for an administrator holding the fd. */
	if (vaal_ioc_is(cmd, VAAL_IOC_SCHED_SET) ||
	    vaal_ioc_is(cmd, VAAL_IOC_SCHED_GET))
		return vaal_ioc_sched_attr(ctx, uarg,
					   vaal_ioc_is(cmd, VAAL_IOC_SCHED_SET));
	if (_IOC_TYPE(cmd) != VAAL_IOC_MAGIC)
		return -ENOTTY;
	/* A context belongs to the process that opened it, as a VM does. */
	if (!vaal_ctx_owned(ctx))
		return -EIO;

	switch (VAAL_IOC_BASE(cmd)) {
	case VAAL_IOC_BASE(VAAL_IOC_BUF_CREATE):
		return vaal_ioc_buf_create(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_BUF_DESTROY):
		return vaal_ioc_buf_destroy(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_KERNEL_REGISTER):
		return vaal_ioc_kernel_register(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_KERNEL_UNREGISTER):
		return vaal_ioc_kernel_unregister(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_SETUP):
		return vaal_ioc_setup(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_CTRL_REGISTER):
		return vaal_ioc_ctrl_register(ctx, file, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_CTRL_PULL):
		return vaal_ioc_ctrl_pull(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_CTRL_COMPLETE):
		return vaal_ioc_ctrl_complete(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_CTRL_BLOB):
		return vaal_ioc_ctrl_blob(ctx, uarg);
	case VAAL_IOC_BASE(VAAL_IOC_KERNEL_LOG):
		return vaal_ioc_kernel_log(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

/*
 * The hot path starts here, on a page of its own: the rest of .text.hot
 * follows it, so that a round trip through the rings runs within one page
 * of the module's code (and one iTLB entry).
 */
long __vaal_hot __aligned(PAGE_SIZE)
vaal_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vaal_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (likely(vaal_ioc_is(cmd, VAAL_IOC_ENTER))) {
		/* A context belongs to the process that opened it, as a VM does. */
		if (!vaal_ctx_owned(ctx))
			return -EIO;
		return vaal_ioc_enter(ctx, uarg);
	}
	return vaal_ioctl_ctl(ctx, file, cmd, uarg);
}
