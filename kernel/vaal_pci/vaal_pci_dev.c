// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_pci_dev.c - the guest's /dev/vaal: the file operations of
 * <linux/vaal.h>, each ioctl checked as vaal_core checks it (the guest's
 * user space is no more trusted than the host's) and then run as a device
 * command
 *
 * User-space controllers (VAAL_IOC_CTRL_*) are the host's business: the
 * guest offers none.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vaal_pci_internal.h"

static_assert(sizeof(struct vaal_query) == VAAL_QUERY_SIZE_VER1);
static_assert(sizeof(struct vaal_query_controllers) ==
	      VAAL_QUERY_CONTROLLERS_SIZE_VER0);
static_assert(sizeof(struct vaal_controller_info) ==
	      VAAL_CONTROLLER_INFO_SIZE_VER0);
static_assert(sizeof(struct vaal_kernel_register) ==
	      VAAL_KERNEL_REGISTER_SIZE_VER0);
static_assert(sizeof(struct vaal_kernel_unregister) ==
	      VAAL_KERNEL_UNREGISTER_SIZE_VER0);
static_assert(sizeof(struct vaal_sched_attr) == VAAL_SCHED_ATTR_SIZE_VER0);

static unsigned int vaal_pci_max_blob_bytes = 1 << 20;
module_param_named(max_blob_bytes, vaal_pci_max_blob_bytes, uint, 0644);
MODULE_PARM_DESC(max_blob_bytes, "Largest code blob of a kernel, in bytes (default 1 MiB; the host may take less)");

/*
 * Features a guest offers, of those the host offers: not user-space
 * controllers (the host's business), nor any this driver does not know.
 */
#define VAAL_PCI_FEATURES	(VAAL_FEAT_SCHED_PLUGIN | VAAL_FEAT_BUFFERS | \
				 VAAL_FEAT_KERNELS | VAAL_FEAT_RINGS | \
				 VAAL_FEAT_CONTROLLERS | VAAL_FEAT_SCHED_ATTR)

static long vaal_pci_ioc_query(struct vaal_pci_ctx *ctx,
			       struct vaal_query __user *uq)
{
	struct vaal_query q;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&q, sizeof(q), uq, VAAL_QUERY_SIZE_VER0,
				 &usize);
	if (ret)
		return ret;
	if (q.flags || q.reserved)
		return -EINVAL;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	ret = vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_QUERY, &q, sizeof(q));
	if (ret)
		return ret;
	/* The ABI is this driver's, no newer than the host's. */
	if (q.abi_major != VAAL_ABI_MAJOR || q.abi_minor > VAAL_ABI_MINOR)
		q.abi_minor = VAAL_ABI_MINOR;
	q.abi_major = VAAL_ABI_MAJOR;
	q.features &= VAAL_PCI_FEATURES;
	q.reserved = 0;
	q.size = min_t(u32, usize, sizeof(q));
	if (copy_to_user(uq, &q, q.size))
		return -EFAULT;
	return 0;
}

/* The device's entries, up to one page of them, into @info; how many. */
static int vaal_pci_controllers(struct vaal_pci_ctx *ctx,
				struct vaal_controller_info *info,
				unsigned int room, u32 *count)
{
	struct vaal_pci_dev *vdev = ctx->vdev;
	struct vaal_pci_query_controllers args = {
		.req = {
			.size = sizeof(args.req),
			.count = room,
			.entry_size = sizeof(*info),
			.addr = room ? vdev->info_dma : 0,
		},
	};
	unsigned int i;
	int ret;

	/* The page is the device's while the command runs, then ours. */
	mutex_lock(&vdev->info_lock);
	/* The device's controllers, not a context's: the command names none. */
	ret = vaal_pci_cmd(vdev, NULL, VAAL_PCI_CMD_QUERY_CONTROLLERS, &args,
			   sizeof(args));
	if (!ret && room)
		memcpy(info, vdev->info, min(args.req.count, room) * sizeof(*info));
	mutex_unlock(&vdev->info_lock);
	if (ret)
		return ret;
	for (i = 0; i < min(args.req.count, room); i++) {
		info[i].name[sizeof(info[i].name) - 1] = 0;
		info[i].class[sizeof(info[i].class) - 1] = 0;
		memset(info[i].reserved, 0, sizeof(info[i].reserved));
	}
	*count = args.req.count;
	return 0;
}

/*
 * %VAAL_IOC_QUERY_CONTROLLERS.  The device lists one page of entries at
 * most (56): past that many controllers, the count says more than the
 * entries written.
 */
static long vaal_pci_ioc_query_controllers(struct vaal_pci_ctx *ctx,
					   void __user *uarg)
{
	struct vaal_controller_info *info = NULL;
	struct vaal_query_controllers req;
	unsigned int room, i;
	u32 usize, n;
	int ret;

	ret = vaal_pci_copy_args(&req, sizeof(req), uarg,
				 VAAL_QUERY_CONTROLLERS_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (req.flags || memchr_inv(req.reserved, 0, sizeof(req.reserved)) ||
	    req.entry_size < VAAL_CONTROLLER_INFO_SIZE_VER0 ||
	    (req.count && !req.addr))
		return -EINVAL;
	room = min_t(u32, req.count, PAGE_SIZE / sizeof(*info));
	if (room) {
		info = kcalloc(room, sizeof(*info), GFP_KERNEL);
		if (!info)
			return -ENOMEM;
	}
	ret = vaal_pci_controllers(ctx, info, room, &n);
	for (i = 0; !ret && i < min(n, room); i++)
		if (copy_to_user(u64_to_user_ptr(req.addr) + i * req.entry_size,
				 &info[i], sizeof(info[i])) ||
		    clear_user(u64_to_user_ptr(req.addr) + i * req.entry_size +
			       sizeof(info[i]), req.entry_size - sizeof(info[i])))
			ret = -EFAULT;
	kfree(info);
	if (!ret && put_user(n, (u32 __user *)(uarg +
			     offsetof(typeof(req), count))))
		ret = -EFAULT;
	return ret;
}

/*
 * A NUL-terminated, non-empty string of @len bytes at most whose characters
 * all pass @ok, with nothing but zeroes after the NUL (as vaal_core).
 */
static bool vaal_pci_valid_ident(const char *s, size_t len, int (*ok)(int c))
{
	size_t n = strnlen(s, len), i;

	if (!n || n == len || memchr_inv(s + n, 0, len - n))
		return false;
	for (i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return false;
	return true;
}

static int vaal_pci_class_char(int c)
{
	return islower(c) || isdigit(c) || c == '_' || c == '-';
}

static int vaal_pci_name_char(int c)
{
	return c > ' ' && c < 0x7f;	/* printable ASCII, no space */
}

static int vaal_pci_kernel_check(const struct vaal_kernel_register *req)
{
	unsigned int i;

	if (req->flags || req->reserved0 || req->reserved1 || req->reserved)
		return -EINVAL;
	if (req->timeout_ns > VAAL_MAX_TIMEOUT_NS)
		return -ERANGE;
	if (!vaal_pci_valid_ident(req->class, sizeof(req->class),
				  vaal_pci_class_char) ||
	    !vaal_pci_valid_ident(req->name, sizeof(req->name),
				  vaal_pci_name_char))
		return -EINVAL;
	if (req->nr_args > VAAL_MAX_ARGS ||
	    req->scalar_bytes > VAAL_MAX_SCALAR_BYTES)
		return -EINVAL;
	for (i = 0; i < VAAL_MAX_ARGS; i++) {
		u8 mode = req->arg_mode[i];

		if (i < req->nr_args ? mode < VAAL_ARG_IN || mode > VAAL_ARG_INOUT
				     : mode)
			return -EINVAL;
	}
	if (!req->blob_len != !req->blob_addr)
		return -EINVAL;
	if (req->blob_len > READ_ONCE(vaal_pci_max_blob_bytes))
		return -E2BIG;
	return 0;
}

/* Register @args on the device, the blob copied into contiguous memory. */
static int vaal_pci_kernel_register_dev(struct vaal_pci_ctx *ctx,
					struct vaal_pci_kernel_register *args)
{
	struct device *dev = &ctx->vdev->pdev->dev;
	struct vaal_kernel_register *req = &args->req;
	u32 len = req->blob_len;
	dma_addr_t blob_dma = 0;
	void *blob = NULL;
	int ret;

	if (len) {
		blob = dma_alloc_coherent(dev, len, &blob_dma, GFP_KERNEL);
		if (!blob)
			return -ENOMEM;
		if (copy_from_user(blob, u64_to_user_ptr(req->blob_addr), len)) {
			ret = -EFAULT;
			goto out_free_blob;
		}
		req->blob_addr = blob_dma;
	}
	req->size = sizeof(*req);
	req->id = 0;
	ret = vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_KERNEL_REGISTER, args,
			   sizeof(*args));
out_free_blob:
	if (blob)
		dma_free_coherent(dev, len, blob, blob_dma);
	return ret;
}

static int vaal_pci_kernel_unregister_dev(struct vaal_pci_ctx *ctx, u32 id)
{
	struct vaal_kernel_unregister req = {
		.size = sizeof(req),
		.id = id,
	};

	return vaal_pci_cmd(ctx->vdev, ctx, VAAL_PCI_CMD_KERNEL_UNREGISTER,
			    &req, sizeof(req));
}

static long vaal_pci_ioc_kernel_register(struct vaal_pci_ctx *ctx,
					 void __user *uarg)
{
	struct vaal_pci_kernel_register args;
	struct vaal_kernel_register *req = &args.req;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(req, sizeof(*req), uarg,
				 VAAL_KERNEL_REGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_pci_kernel_check(req);
	if (ret)
		return ret;
	ret = vaal_pci_kernel_register_dev(ctx, &args);
	if (ret)
		return ret;
	if (put_user(req->id, (u32 __user *)(uarg + offsetof(typeof(*req), id)))) {
		vaal_pci_kernel_unregister_dev(ctx, req->id);
		return -EFAULT;
	}
	return 0;
}

static long vaal_pci_ioc_kernel_unregister(struct vaal_pci_ctx *ctx,
					   void __user *uarg)
{
	struct vaal_kernel_unregister req;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&req, sizeof(req), uarg,
				 VAAL_KERNEL_UNREGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (req.flags || req.reserved0 ||
	    memchr_inv(req.reserved, 0, sizeof(req.reserved)))
		return -EINVAL;
	return vaal_pci_kernel_unregister_dev(ctx, req.id);
}

static int vaal_pci_sched_check(const struct vaal_sched_attr *attr, bool set)
{
	if (set ? attr->flags & ~VAAL_SCHED_FLAGS_ALL : attr->flags)
		return -EINVAL;
	if (attr->reserved0 || attr->reserved[0] || attr->reserved[1])
		return -EINVAL;
	if (!attr->class[0] ||
	    strnlen(attr->class, sizeof(attr->class)) == sizeof(attr->class))
		return -EINVAL;
	return 0;
}

/*
 * %VAAL_IOC_SCHED_SET and %VAAL_IOC_SCHED_GET: the attributes come back
 * on failure too, with the reason of a refusal.  A reservation needs
 * CAP_SYS_NICE in the guest too.
 */
static long vaal_pci_ioc_sched_attr(struct vaal_pci_ctx *ctx,
				    void __user *uarg, bool set)
{
	struct vaal_sched_attr attr;
	u32 usize;
	int ret;

	ret = vaal_pci_copy_args(&attr, sizeof(attr), uarg,
				 VAAL_SCHED_ATTR_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_pci_sched_check(&attr, set);
	if (ret)
		return ret;
	if (set && attr.flags & VAAL_SCHED_RESERVE && attr.budget_ns &&
	    !capable(CAP_SYS_NICE)) {
		attr.reason = VAAL_SCHED_EPERM;
		ret = -EPERM;
		goto out_copy;
	}
	attr.size = sizeof(attr);
	ret = vaal_pci_cmd(ctx->vdev, ctx,
			   set ? VAAL_PCI_CMD_SCHED_SET : VAAL_PCI_CMD_SCHED_GET,
			   &attr, sizeof(attr));
	attr.reserved0 = 0;
	memset(attr.reserved, 0, sizeof(attr.reserved));
out_copy:
	attr.size = min_t(u32, usize, sizeof(attr));
	if (copy_to_user(uarg, &attr, attr.size))
		return -EFAULT;
	return ret;
}

/*
 * Commands are told apart by their number alone, as vaal_core does: the
 * size in the number is that of the structure's first version.
 */
#define VAAL_PCI_IOC_BASE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static bool vaal_pci_ioc_is(unsigned int cmd, unsigned int ioc)
{
	return VAAL_PCI_IOC_BASE(cmd) == VAAL_PCI_IOC_BASE(ioc);
}

/* Set-up and control: every command but ENTER. */
static noinline long vaal_pci_ioctl_ctl(struct vaal_pci_ctx *ctx,
					unsigned int cmd, void __user *uarg)
{
	if (vaal_pci_ioc_is(cmd, VAAL_IOC_QUERY))
		return vaal_pci_ioc_query(ctx, uarg);
	if (vaal_pci_ioc_is(cmd, VAAL_IOC_QUERY_CONTROLLERS))
		return vaal_pci_ioc_query_controllers(ctx, uarg);
	/* Scheduling attributes: also for an administrator holding the fd. */
	if (vaal_pci_ioc_is(cmd, VAAL_IOC_SCHED_SET) ||
	    vaal_pci_ioc_is(cmd, VAAL_IOC_SCHED_GET))
		return vaal_pci_ioc_sched_attr(ctx, uarg,
					       vaal_pci_ioc_is(cmd, VAAL_IOC_SCHED_SET));
	if (_IOC_TYPE(cmd) != VAAL_IOC_MAGIC)
		return -ENOTTY;
	/* A context belongs to the process that opened it. */
	if (current->mm != ctx->mm)
		return -EIO;

	switch (VAAL_PCI_IOC_BASE(cmd)) {
	case VAAL_PCI_IOC_BASE(VAAL_IOC_BUF_CREATE):
		return vaal_pci_ioc_buf_create(ctx, uarg);
	case VAAL_PCI_IOC_BASE(VAAL_IOC_BUF_DESTROY):
		return vaal_pci_ioc_buf_destroy(ctx, uarg);
	case VAAL_PCI_IOC_BASE(VAAL_IOC_KERNEL_REGISTER):
		return vaal_pci_ioc_kernel_register(ctx, uarg);
	case VAAL_PCI_IOC_BASE(VAAL_IOC_KERNEL_UNREGISTER):
		return vaal_pci_ioc_kernel_unregister(ctx, uarg);
	case VAAL_PCI_IOC_BASE(VAAL_IOC_SETUP):
		return vaal_pci_ioc_setup(ctx, uarg);
	case VAAL_PCI_IOC_BASE(VAAL_IOC_CTRL_REGISTER):
	case VAAL_PCI_IOC_BASE(VAAL_IOC_CTRL_PULL):
	case VAAL_PCI_IOC_BASE(VAAL_IOC_CTRL_COMPLETE):
#ifdef VAAL_IOC_CTRL_BLOB
	case VAAL_PCI_IOC_BASE(VAAL_IOC_CTRL_BLOB):
#endif
		/* Controllers in user space are the host's. */
		return -EOPNOTSUPP;
#ifdef VAAL_IOC_KERNEL_LOG
	case VAAL_PCI_IOC_BASE(VAAL_IOC_KERNEL_LOG):
		/* No device command fetches a kernel's log. */
		return -EOPNOTSUPP;
#endif
	default:
		return -ENOTTY;
	}
}

static long vaal_pci_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct vaal_pci_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (likely(vaal_pci_ioc_is(cmd, VAAL_IOC_ENTER))) {
		if (current->mm != ctx->mm)
			return -EIO;
		return vaal_pci_ioc_enter(ctx, uarg);
	}
	return vaal_pci_ioctl_ctl(ctx, cmd, uarg);
}

static int vaal_pci_open(struct inode *inode, struct file *file)
{
	struct vaal_pci_dev *vdev = container_of(file->private_data,
						 struct vaal_pci_dev, misc);
	struct vaal_pci_ctx *ctx = vaal_pci_ctx_open(vdev);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int vaal_pci_release(struct inode *inode, struct file *file)
{
	vaal_pci_ctx_close(file->private_data);
	return 0;
}

/*
 * mmap() offsets: the rings at %VAAL_RINGS_MMAP_OFFSET, a buffer at its
 * handle << 32.  Every mapping is shared.
 */
static int vaal_pci_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vaal_pci_ctx *ctx = file->private_data;

	if (vma->vm_pgoff &
	    ((1UL << (VAAL_PCI_BUF_MMAP_SHIFT - PAGE_SHIFT)) - 1))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (current->mm != ctx->mm)
		return -EIO;
	if (!vma->vm_pgoff)
		return vaal_pci_ring_mmap(ctx, vma);
	return vaal_pci_buf_mmap(ctx, vma);
}

static __poll_t vaal_pci_poll(struct file *file, struct poll_table_struct *wait)
{
	return vaal_pci_ring_poll(file->private_data, file, wait);
}

/* As the host's, with the host's id of the context and its slot. */
static void vaal_pci_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct vaal_pci_ctx *ctx = file->private_data;
	struct vaal_pci_stats st;
	int ret;

	ret = vaal_pci_ctx_stats(ctx, &st);
	seq_printf(m, "vaal-ctx-id:\t%llu\n", ctx->id);
	seq_printf(m, "vaal-host-ctx-id:\t%llu\n", ctx->host_id);
	seq_printf(m, "vaal-pci-slot:\t%u\n", ctx->slot);
	seq_printf(m, "vaal-submitted:\t%llu\n", st.submitted);
	seq_printf(m, "vaal-inflight:\t%u\n", st.inflight);
	seq_printf(m, "vaal-completed:\t%llu\n", st.completed);
	seq_printf(m, "vaal-buffers:\t%u\n", st.nr_bufs);
	seq_printf(m, "vaal-buffer-bytes:\t%llu\n", st.buf_bytes);
	if (ret)
		seq_printf(m, "vaal-error:\t%d\n", ret);
}

const struct file_operations vaal_pci_fops = {
	.owner		= THIS_MODULE,
	.open		= vaal_pci_open,
	.release	= vaal_pci_release,
	.unlocked_ioctl	= vaal_pci_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vaal_pci_mmap,
	.poll		= vaal_pci_poll,
	.show_fdinfo	= vaal_pci_show_fdinfo,
};
