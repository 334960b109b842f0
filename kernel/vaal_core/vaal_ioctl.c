// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ioctl.c - ioctl dispatch of /dev/vaal
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/uaccess.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_query) == VAAL_QUERY_SIZE_VER0);

static long vaal_ioc_query(struct vaal_ctx *ctx, struct vaal_query __user *uq)
{
	struct vaal_query q;
	u32 usize;
	int ret;

	if (get_user(usize, &uq->size))
		return -EFAULT;
	if (usize < VAAL_QUERY_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&q, sizeof(q), uq, usize);
	if (ret)
		return ret;
	/* Fields that are only written back are not looked at. */
	if (q.flags || memchr_inv(q.reserved, 0, sizeof(q.reserved)))
		return -EINVAL;

	memset(&q, 0, sizeof(q));
	q.size = min_t(u32, usize, sizeof(q));
	q.abi_major = VAAL_ABI_MAJOR;
	q.abi_minor = VAAL_ABI_MINOR;
	q.features = VAAL_FEATURES_ALL;
	q.nr_contexts = atomic_read(&ctx->vdev->nr_contexts);
	q.max_contexts = READ_ONCE(vaal_max_contexts);
	q.nr_sched_policies = vaal_sched_nr_policies(ctx->vdev);
	q.max_buffer_bytes = READ_ONCE(vaal_max_buffer_bytes);
	q.max_buffers = READ_ONCE(vaal_max_buffers);
	q.max_kernels = READ_ONCE(vaal_max_kernels);

	if (copy_to_user(uq, &q, q.size))
		return -EFAULT;
	return 0;
}

long vaal_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vaal_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VAAL_IOC_QUERY:
		return vaal_ioc_query(ctx, uarg);
	case VAAL_IOC_BUF_CREATE:
		return vaal_ioc_buf_create(ctx, uarg);
	case VAAL_IOC_BUF_DESTROY:
		return vaal_ioc_buf_destroy(ctx, uarg);
	case VAAL_IOC_KERNEL_REGISTER:
		return vaal_ioc_kernel_register(ctx, uarg);
	case VAAL_IOC_KERNEL_UNREGISTER:
		return vaal_ioc_kernel_unregister(ctx, uarg);
	default:
		return -ENOTTY;
	}
}
