// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_pci_main.c - the VAAL PCI device (<linux/vaal_pci.h>): probe and
 * remove, MSI-X, resets, and the two ways of talking to the device:
 * commands (one at a time, through a command buffer in coherent guest
 * memory) and the doorbells of the contexts' submission rings
 *
 * The device is the guest's front end of a V-Core host: it must never be
 * bound on a host that runs vaal_core, which owns /dev/vaal there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vaal_pci_internal.h"

static_assert(sizeof(struct vaal_pci_cmd) == VAAL_PCI_CMD_SIZE);
static_assert(VAAL_PCI_PAGE_SIZE == PAGE_SIZE);

/* One /dev/vaal per guest: the first device bound backs it. */
static DEFINE_MUTEX(vaal_pci_bound_lock);
static struct vaal_pci_dev *vaal_pci_bound;

static void vaal_pci_dev_release(struct kref *ref)
{
	struct vaal_pci_dev *vdev = container_of(ref, struct vaal_pci_dev, ref);
	struct device *dev = &vdev->pdev->dev;

	dma_free_coherent(dev, PAGE_SIZE, vdev->info, vdev->info_dma);
	dma_free_coherent(dev, PAGE_SIZE, vdev->cmd, vdev->cmd_dma);
	pci_dev_put(vdev->pdev);
	kfree(vdev);
}

/**
 * vaal_pci_dev_put - drop a reference to a device
 * @vdev: the device
 */
void vaal_pci_dev_put(struct vaal_pci_dev *vdev)
{
	kref_put(&vdev->ref, vaal_pci_dev_release);
}

/* Ring the command doorbell; the device has run the command on return. */
static int vaal_pci_cmd_exec(struct vaal_pci_dev *vdev)
{
	u32 status;

	lockdep_assert_held(&vdev->cmd_lock);
	/* writel() orders the command's bytes before the doorbell. */
	writel(lower_32_bits(vdev->cmd_dma), vdev->bar + VAAL_PCI_REG_CMD_ADDR_LO);
	writel(upper_32_bits(vdev->cmd_dma), vdev->bar + VAAL_PCI_REG_CMD_ADDR_HI);
	writel(1, vdev->bar + VAAL_PCI_REG_CMD_DOORBELL);
	status = readl(vdev->bar + VAAL_PCI_REG_CMD_STATUS);
	/* The results are in memory before the status register says so. */
	dma_rmb();
	if (status == U32_MAX)
		return -ENODEV;	/* the device is gone, reads are all ones */
	if ((s32)status > 0 || (s32)status < -MAX_ERRNO)
		return -EIO;
	return (s32)status;
}

/**
 * vaal_pci_cmd - run one device command
 * @vdev: the device
 * @ctx: the context the command is for; for %VAAL_PCI_CMD_CTX_CREATE the
 *	one being created, which learns its generation; NULL for none
 * @opcode: %VAAL_PCI_CMD_*
 * @args: the command's arguments (&vaal_pci_cmd.u), in and out; NULL
 *	when @len is 0
 * @len: bytes at @args, at most the size of &vaal_pci_cmd.u
 *
 * Nothing of user space's is touched here: the callers copy in and out,
 * so that no fault is taken with the command lock held.
 *
 * Return: the command's status (0 or a negative errno), -EIO when @ctx
 * ended with a reset, -ENODEV when the device is gone.
 */
int vaal_pci_cmd(struct vaal_pci_dev *vdev, struct vaal_pci_ctx *ctx,
		 u32 opcode, void *args, size_t len)
{
	struct vaal_pci_cmd *cmd = vdev->cmd;
	int ret;

	if (WARN_ON_ONCE(len > sizeof(cmd->u)))
		return -EINVAL;
	mutex_lock(&vdev->cmd_lock);
	if (!vdev->alive) {
		ret = -ENODEV;
		goto out_unlock;
	}
	memset(cmd, 0, sizeof(*cmd));
	cmd->opcode = opcode;
	if (opcode == VAAL_PCI_CMD_CTX_CREATE) {
		ctx->gen = vdev->gen;
	} else if (ctx) {
		if (ctx->gen != vdev->gen) {
			ret = -EIO;
			goto out_unlock;
		}
		cmd->ctx = ctx->slot;
	}
	if (len)
		memcpy(&cmd->u, args, len);
	ret = vaal_pci_cmd_exec(vdev);
	if (len)
		memcpy(args, &cmd->u, len);
out_unlock:
	mutex_unlock(&vdev->cmd_lock);
	return ret;
}

/**
 * vaal_pci_doorbell - ring a context's doorbell
 * @ctx: the context, set up
 * @val: entries to consume (%VAAL_PCI_DB_COUNT_MASK), with
 *	%VAAL_PCI_DB_SQ_WAKEUP to wake the device's polling thread; 0 only
 *	lets the device move completions it parked into the room made since
 *
 * Does not sleep: it may be called from a wait's condition.
 *
 * Return: submissions consumed or a negative errno, as the device says;
 * -EIO when the context ended with a reset.
 */
long vaal_pci_doorbell(struct vaal_pci_ctx *ctx, u32 val)
{
	struct vaal_pci_dev *vdev = ctx->vdev;
	long ret = -EIO;

	read_lock(&vdev->state_lock);
	if (ctx->gen == vdev->gen && vdev->alive) {
		spin_lock(&ctx->db_lock);
		writel(val, vdev->bar + VAAL_PCI_REG_DOORBELL(ctx->slot));
		ret = (s32)readl(vdev->bar + VAAL_PCI_REG_DB_RESULT(ctx->slot));
		spin_unlock(&ctx->db_lock);
	}
	read_unlock(&vdev->state_lock);
	return ret;
}

/*
 * End the device's generation: every context of it is dead from now on,
 * and the device forgets them (a reset unpins every page).  Under the
 * command lock.  With @gone, the device is never touched again.
 */
static void vaal_pci_end_gen(struct vaal_pci_dev *vdev, bool gone)
{
	lockdep_assert_held(&vdev->cmd_lock);
	write_lock(&vdev->state_lock);
	vdev->gen++;
	writel(0, vdev->bar + VAAL_PCI_REG_STATUS);
	if (gone)
		vdev->alive = false;
	else
		writel(VAAL_PCI_STATUS_DRIVER_OK, vdev->bar + VAAL_PCI_REG_STATUS);
	write_unlock(&vdev->state_lock);
	/* Waiters see their context dead. */
	wake_up_all(&vdev->cq_wait);
}

/* %VAAL_PCI_STATUS_ERROR: reset, failing every context with -EIO. */
static void vaal_pci_reset_workfn(struct work_struct *work)
{
	struct vaal_pci_dev *vdev = container_of(work, struct vaal_pci_dev,
						 reset_work);
	u32 status;

	mutex_lock(&vdev->cmd_lock);
	if (!vdev->alive)
		goto out_unlock;
	status = readl(vdev->bar + VAAL_PCI_REG_STATUS);
	if (status == U32_MAX || !(status & VAAL_PCI_STATUS_ERROR))
		goto out_unlock;
	dev_warn(&vdev->pdev->dev, "device error: reset, contexts lost (%u errors)\n",
		 readl(vdev->bar + VAAL_PCI_REG_ERRORS));
	vaal_pci_end_gen(vdev, false);
	/* The contexts closed meanwhile can go now. */
	mod_delayed_work(system_wq, &vdev->close_work, 0);
out_unlock:
	mutex_unlock(&vdev->cmd_lock);
}

/* Completions were posted: every waiter looks at its own ring. */
static irqreturn_t vaal_pci_cq_irq(int irq, void *data)
{
	struct vaal_pci_dev *vdev = data;

	wake_up_all(&vdev->cq_wait);
	return IRQ_HANDLED;
}

static irqreturn_t vaal_pci_error_irq(int irq, void *data)
{
	struct vaal_pci_dev *vdev = data;

	schedule_work(&vdev->reset_work);
	return IRQ_HANDLED;
}

/* One vector for both: completions, and a look at the status. */
static irqreturn_t vaal_pci_shared_irq(int irq, void *data)
{
	struct vaal_pci_dev *vdev = data;

	wake_up_all(&vdev->cq_wait);
	if (readl(vdev->bar + VAAL_PCI_REG_STATUS) & VAAL_PCI_STATUS_ERROR)
		schedule_work(&vdev->reset_work);
	return IRQ_HANDLED;
}

/* Free the first @n vectors' interrupts, and the vectors. */
static void vaal_pci_free_irqs(struct vaal_pci_dev *vdev, unsigned int n)
{
	while (n--)
		free_irq(pci_irq_vector(vdev->pdev, n), vdev);
	pci_free_irq_vectors(vdev->pdev);
	vdev->nr_vecs = 0;
}

/*
 * MSI-X: one vector for completions and one for errors, or one for both.
 * Without MSI-X, contexts are polled (%VAAL_PCI_CTX_NO_IRQ).
 */
static int vaal_pci_setup_irqs(struct vaal_pci_dev *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	irq_handler_t fn;
	unsigned int i;
	int n, ret;

	if (!(vdev->features & VAAL_PCI_F_MSIX))
		return 0;
	n = pci_alloc_irq_vectors(pdev, 1, VAAL_PCI_NR_VECTORS, PCI_IRQ_MSIX);
	if (n < 0) {
		dev_warn(&pdev->dev, "no MSI-X (%d): contexts are polled\n", n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (n == 1)
			fn = vaal_pci_shared_irq;
		else
			fn = i == VAAL_PCI_VEC_CQ ? vaal_pci_cq_irq : vaal_pci_error_irq;
		ret = request_irq(pci_irq_vector(pdev, i), fn, 0,
				  KBUILD_MODNAME, vdev);
		if (ret) {
			vaal_pci_free_irqs(vdev, i);
			return ret;
		}
	}
	vdev->nr_vecs = n;
	return 0;
}

/* The registers say it is a device this driver knows; read its limits. */
static int vaal_pci_check_device(struct vaal_pci_dev *vdev)
{
	struct device *dev = &vdev->pdev->dev;
	u32 magic, version;

	if (pci_resource_len(vdev->pdev, 0) < VAAL_PCI_BAR0_SIZE) {
		dev_err(dev, "BAR0 holds %llu bytes, not %u\n",
			(u64)pci_resource_len(vdev->pdev, 0), VAAL_PCI_BAR0_SIZE);
		return -ENODEV;
	}
	magic = readl(vdev->bar + VAAL_PCI_REG_MAGIC);
	version = readl(vdev->bar + VAAL_PCI_REG_VERSION);
	if (magic != VAAL_PCI_MAGIC || version >> 16 != VAAL_PCI_VERSION_MAJOR) {
		dev_err(dev, "magic %#x, version %u.%u: not a device this driver knows\n",
			magic, version >> 16, version & 0xffff);
		return -ENODEV;
	}
	vdev->features = readl(vdev->bar + VAAL_PCI_REG_FEATURES_LO) |
			 (u64)readl(vdev->bar + VAAL_PCI_REG_FEATURES_HI) << 32;
	vdev->max_contexts = min_t(u32, readl(vdev->bar + VAAL_PCI_REG_MAX_CONTEXTS),
				   VAAL_PCI_MAX_SLOTS);
	vdev->max_buf_bytes = readl(vdev->bar + VAAL_PCI_REG_MAX_BUF_LO) |
			      (u64)readl(vdev->bar + VAAL_PCI_REG_MAX_BUF_HI) << 32;
	/* No bound of the device's: the host's own allowance still holds. */
	if (!vdev->max_buf_bytes)
		vdev->max_buf_bytes = U64_MAX;
	return 0;
}

static struct vaal_pci_dev *vaal_pci_dev_alloc(struct pci_dev *pdev)
{
	struct vaal_pci_dev *vdev;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return NULL;
	vdev->cmd = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &vdev->cmd_dma,
				       GFP_KERNEL);
	if (!vdev->cmd)
		goto out_free_vdev;
	vdev->info = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &vdev->info_dma,
					GFP_KERNEL);
	if (!vdev->info)
		goto out_free_cmd;
	vdev->pdev = pci_dev_get(pdev);
	kref_init(&vdev->ref);
	mutex_init(&vdev->cmd_lock);
	mutex_init(&vdev->info_lock);
	rwlock_init(&vdev->state_lock);
	init_waitqueue_head(&vdev->cq_wait);
	INIT_WORK(&vdev->reset_work, vaal_pci_reset_workfn);
	spin_lock_init(&vdev->close_lock);
	INIT_LIST_HEAD(&vdev->closing);
	INIT_DELAYED_WORK(&vdev->close_work, vaal_pci_close_workfn);
	atomic64_set(&vdev->buf_bytes, 0);
	atomic64_set(&vdev->next_id, 1);
	vdev->misc.minor = MISC_DYNAMIC_MINOR;
	vdev->misc.name = VAAL_DEVICE_NAME;
	vdev->misc.fops = &vaal_pci_fops;
	vdev->misc.mode = 0660;
	vdev->misc.parent = &pdev->dev;
	return vdev;

out_free_cmd:
	dma_free_coherent(&pdev->dev, PAGE_SIZE, vdev->cmd, vdev->cmd_dma);
out_free_vdev:
	kfree(vdev);
	return NULL;
}

/* Enable the PCI function and map BAR0. */
static int vaal_pci_enable(struct vaal_pci_dev *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	vdev->bar = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(vdev->bar))
		return PTR_ERR(vdev->bar);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);
	return vaal_pci_check_device(vdev);
}

static int vaal_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vaal_pci_dev *vdev;
	int ret;

	mutex_lock(&vaal_pci_bound_lock);
	if (vaal_pci_bound) {
		dev_warn(&pdev->dev, "/dev/%s is another device's already\n",
			 VAAL_DEVICE_NAME);
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = -ENOMEM;
	vdev = vaal_pci_dev_alloc(pdev);
	if (!vdev)
		goto out_unlock;
	ret = vaal_pci_enable(vdev);
	if (ret)
		goto out_put_vdev;
	/* Nothing of an earlier driver's is left on the device. */
	writel(0, vdev->bar + VAAL_PCI_REG_STATUS);
	vdev->alive = true;
	ret = vaal_pci_setup_irqs(vdev);
	if (ret)
		goto out_reset;
	writel(VAAL_PCI_STATUS_DRIVER_OK, vdev->bar + VAAL_PCI_REG_STATUS);
	ret = misc_register(&vdev->misc);
	if (ret)
		goto out_free_irqs;
	pci_set_drvdata(pdev, vdev);
	vaal_pci_bound = vdev;
	mutex_unlock(&vaal_pci_bound_lock);
	dev_info(&pdev->dev, "/dev/%s: up to %u contexts, %llu buffer bytes, %u MSI-X vectors\n",
		 VAAL_DEVICE_NAME, vdev->max_contexts, vdev->max_buf_bytes,
		 vdev->nr_vecs);
	return 0;

out_free_irqs:
	if (vdev->nr_vecs)
		vaal_pci_free_irqs(vdev, vdev->nr_vecs);
out_reset:
	writel(0, vdev->bar + VAAL_PCI_REG_STATUS);
	vdev->alive = false;
out_put_vdev:
	vaal_pci_dev_put(vdev);
out_unlock:
	mutex_unlock(&vaal_pci_bound_lock);
	return ret;
}

/*
 * Stop the device for good: every context dead, the device reset before
 * any page it may still use is freed, the contexts closed but still busy
 * freed with it.
 */
static void vaal_pci_stop(struct vaal_pci_dev *vdev)
{
	mutex_lock(&vdev->cmd_lock);
	if (vdev->alive)
		vaal_pci_end_gen(vdev, true);
	mutex_unlock(&vdev->cmd_lock);
	vaal_pci_close_all(vdev);
}

static void vaal_pci_remove(struct pci_dev *pdev)
{
	struct vaal_pci_dev *vdev = pci_get_drvdata(pdev);

	/* No new context; open files live on, dead, until closed. */
	misc_deregister(&vdev->misc);
	vaal_pci_stop(vdev);
	if (vdev->nr_vecs)
		vaal_pci_free_irqs(vdev, vdev->nr_vecs);
	cancel_work_sync(&vdev->reset_work);
	mutex_lock(&vaal_pci_bound_lock);
	vaal_pci_bound = NULL;
	mutex_unlock(&vaal_pci_bound_lock);
	vaal_pci_dev_put(vdev);
}

/* Reboot or kexec: the host must stop writing into this memory. */
static void vaal_pci_shutdown(struct pci_dev *pdev)
{
	struct vaal_pci_dev *vdev = pci_get_drvdata(pdev);

	mutex_lock(&vdev->cmd_lock);
	if (vdev->alive)
		vaal_pci_end_gen(vdev, true);
	mutex_unlock(&vdev->cmd_lock);
}

static const struct pci_device_id vaal_pci_ids[] = {
	{ PCI_DEVICE_SUB(VAAL_PCI_VENDOR_ID, VAAL_PCI_DEVICE_ID,
			 VAAL_PCI_SUBSYS_VENDOR_ID, VAAL_PCI_SUBSYS_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vaal_pci_ids);

static struct pci_driver vaal_pci_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= vaal_pci_ids,
	.probe		= vaal_pci_probe,
	.remove		= vaal_pci_remove,
	.shutdown	= vaal_pci_shutdown,
};

module_pci_driver(vaal_pci_driver);

MODULE_DESCRIPTION("V-Core VAAL PCI device: a guest's /dev/vaal");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
