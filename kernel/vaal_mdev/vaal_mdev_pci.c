// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_mdev_pci.c - the VAAL PCI device as VFIO shows it: config space,
 * the registers and doorbells of BAR0, MSI-X and the request interrupt,
 * reset
 *
 * The regions are not mappable: every access to BAR0 is a read() or a
 * write() of the device file, so that the device sees each register
 * access.  The MSI-X table and pending bits lie in BAR0 as the capability
 * says; the VMM emulates them (QEMU's vfio-pci does) and only asks for
 * eventfds with VFIO_DEVICE_SET_IRQS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>

#include "vaal_mdev.h"

static_assert(VAAL_MDEV_CFG_SIZE == PCI_CFG_SPACE_SIZE);

/**
 * vaal_mdev_cfg_init - the config space at creation
 * @st: the device
 *
 * A conventional PCI function: the ids and class of <linux/vaal_pci.h>,
 * BAR0 32-bit non-prefetchable memory, no interrupt pin (no INTx), one
 * capability, MSI-X.
 */
void vaal_mdev_cfg_init(struct vaal_mdev_state *st)
{
	u8 *c = st->cfg, *w = st->cfg_wmask, *x = c + VAAL_MDEV_MSIX_CAP;

	memset(c, 0, VAAL_MDEV_CFG_SIZE);
	memset(w, 0, VAAL_MDEV_CFG_SIZE);
	put_unaligned_le16(VAAL_PCI_VENDOR_ID, c + PCI_VENDOR_ID);
	put_unaligned_le16(VAAL_PCI_DEVICE_ID, c + PCI_DEVICE_ID);
	put_unaligned_le16(PCI_STATUS_CAP_LIST, c + PCI_STATUS);
	c[PCI_REVISION_ID] = VAAL_PCI_REVISION;
	c[PCI_CLASS_PROG] = VAAL_PCI_CLASS & 0xff;
	put_unaligned_le16(VAAL_PCI_CLASS >> 8, c + PCI_CLASS_DEVICE);
	c[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	put_unaligned_le32(PCI_BASE_ADDRESS_SPACE_MEMORY |
			   PCI_BASE_ADDRESS_MEM_TYPE_32,
			   c + PCI_BASE_ADDRESS_0);
	put_unaligned_le16(VAAL_PCI_SUBSYS_VENDOR_ID,
			   c + PCI_SUBSYSTEM_VENDOR_ID);
	put_unaligned_le16(VAAL_PCI_SUBSYS_ID, c + PCI_SUBSYSTEM_ID);
	c[PCI_CAPABILITY_LIST] = VAAL_MDEV_MSIX_CAP;

	x[PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
	x[PCI_CAP_LIST_NEXT] = 0;
	put_unaligned_le16(VAAL_PCI_NR_VECTORS - 1, x + PCI_MSIX_FLAGS);
	put_unaligned_le32(VAAL_PCI_MSIX_TABLE, x + PCI_MSIX_TABLE);
	put_unaligned_le32(VAAL_PCI_MSIX_PBA, x + PCI_MSIX_PBA);

	put_unaligned_le16(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			   PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			   PCI_COMMAND_INTX_DISABLE, w + PCI_COMMAND);
	w[PCI_CACHE_LINE_SIZE] = 0xff;
	w[PCI_LATENCY_TIMER] = 0xff;
	/* Sizing: the bits below the size read back as zero. */
	put_unaligned_le32(~(VAAL_PCI_BAR0_SIZE - 1), w + PCI_BASE_ADDRESS_0);
	w[PCI_INTERRUPT_LINE] = 0xff;
	put_unaligned_le16(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
			   w + VAAL_MDEV_MSIX_CAP + PCI_MSIX_FLAGS);
}

static ssize_t vaal_mdev_cfg_rw(struct vaal_mdev_state *st, char __user *ubuf,
				size_t count, loff_t off, bool write)
{
	u8 buf[VAAL_MDEV_CFG_SIZE];
	size_t i;

	if (off >= VAAL_MDEV_CFG_SIZE || count > VAAL_MDEV_CFG_SIZE - off)
		return -EINVAL;
	if (write && copy_from_user(buf, ubuf, count))
		return -EFAULT;
	spin_lock(&st->reg_lock);
	for (i = 0; i < count; i++) {
		u8 *c = &st->cfg[off + i], m = st->cfg_wmask[off + i];

		if (write)
			*c = (*c & ~m) | (buf[i] & m);
		else
			buf[i] = *c;
	}
	spin_unlock(&st->reg_lock);
	if (!write && copy_to_user(ubuf, buf, count))
		return -EFAULT;
	return count;
}

/**
 * vaal_mdev_signal - signal an MSI-X vector, if the VMM gave it an eventfd
 * @st: the device
 * @vec: %VAAL_PCI_VEC_CQ or %VAAL_PCI_VEC_ERROR
 *
 * From any context (vaal_core calls it as completions are posted).
 */
void vaal_mdev_signal(struct vaal_mdev_state *st, unsigned int vec)
{
	unsigned long flags;

	spin_lock_irqsave(&st->irq_lock, flags);
	if (st->msix[vec] && eventfd_signal_allowed())
		eventfd_signal(st->msix[vec]);
	spin_unlock_irqrestore(&st->irq_lock, flags);
}

/**
 * vaal_mdev_reset - back to the state after creation
 * @st: the device
 * @count: count it among the device's resets
 *
 * Every context goes, every page is unpinned, the registers are cleared.
 * Config space and the eventfds stay as the VMM set them.
 */
void vaal_mdev_reset(struct vaal_mdev_state *st, bool count)
{
	unsigned int slot;

	mutex_lock(&st->lock);
	vaal_mdev_ctx_destroy_all(st);
	spin_lock(&st->reg_lock);
	WRITE_ONCE(st->status, 0);
	WRITE_ONCE(st->cmd_status, 0);
	WRITE_ONCE(st->cmd_addr[0], 0);
	WRITE_ONCE(st->cmd_addr[1], 0);
	for (slot = 0; slot < VAAL_PCI_MAX_SLOTS; slot++)
		WRITE_ONCE(st->db_result[slot], 0);
	spin_unlock(&st->reg_lock);
	if (count)
		atomic_inc(&st->resets);
	mutex_unlock(&st->lock);
}

/* A doorbell: consume the context's submissions, keep the result. */
static void vaal_mdev_doorbell(struct vaal_mdev_state *st, unsigned int slot,
			       u32 val)
{
	u32 flags = val & VAAL_PCI_DB_SQ_WAKEUP ? VAAL_ENTER_SQ_WAKEUP : 0;
	struct vaal_mdev_ctx *mc;
	long ret = -EINVAL;

	down_read(&st->db_sem);
	mc = st->ctxs[slot];
	if (val & ~(VAAL_PCI_DB_COUNT_MASK | VAAL_PCI_DB_SQ_WAKEUP))
		ret = -EINVAL;
	else if (!mc)
		ret = -EBADF;
	else
		ret = vaal_client_enter(mc->ctx, val & VAAL_PCI_DB_COUNT_MASK,
					flags);
	WRITE_ONCE(st->db_result[slot], ret);
	up_read(&st->db_sem);
	if (ret < 0 && ret != -EBUSY)
		atomic_inc(&st->errors);
}

static u32 vaal_mdev_reg_read(struct vaal_mdev_state *st, u32 off)
{
	const struct vaal_mdev_type *type = st->type;

	if (off >= VAAL_PCI_REG_DB_BASE &&
	    off < VAAL_PCI_REG_DOORBELL(VAAL_PCI_MAX_SLOTS))
		return off & 4 ?
		       READ_ONCE(st->db_result[(off - VAAL_PCI_REG_DB_BASE) / 8]) : 0;
	switch (off) {
	case VAAL_PCI_REG_MAGIC:
		return VAAL_PCI_MAGIC;
	case VAAL_PCI_REG_VERSION:
		return VAAL_PCI_VERSION_MAJOR << 16 | VAAL_PCI_VERSION_MINOR;
	case VAAL_PCI_REG_FEATURES_LO:
		return lower_32_bits(type->features);
	case VAAL_PCI_REG_FEATURES_HI:
		return upper_32_bits(type->features);
	case VAAL_PCI_REG_MAX_CONTEXTS:
		return type->max_contexts;
	case VAAL_PCI_REG_MAX_INFLIGHT:
		return type->max_inflight;
	case VAAL_PCI_REG_MAX_BUF_LO:
		return lower_32_bits(type->max_buf_bytes);
	case VAAL_PCI_REG_MAX_BUF_HI:
		return upper_32_bits(type->max_buf_bytes);
	case VAAL_PCI_REG_STATUS:
		return READ_ONCE(st->status);
	case VAAL_PCI_REG_CMD_STATUS:
		return READ_ONCE(st->cmd_status);
	case VAAL_PCI_REG_CMD_ADDR_LO:
		return READ_ONCE(st->cmd_addr[0]);
	case VAAL_PCI_REG_CMD_ADDR_HI:
		return READ_ONCE(st->cmd_addr[1]);
	case VAAL_PCI_REG_NR_CONTEXTS:
		return READ_ONCE(st->nr_ctxs);
	case VAAL_PCI_REG_COPIED_LO:
		return lower_32_bits(atomic64_read(&st->copied));
	case VAAL_PCI_REG_COPIED_HI:
		return upper_32_bits(atomic64_read(&st->copied));
	case VAAL_PCI_REG_PINNED:
		return min_t(long, atomic_long_read(&st->pinned), U32_MAX);
	case VAAL_PCI_REG_ERRORS:
		return atomic_read(&st->errors);
	default:
		/* The write-only doorbell, the MSI-X table, holes. */
		return 0;
	}
}

/* %VAAL_PCI_REG_STATUS: 0 resets, DRIVER_OK is the driver's. */
static void vaal_mdev_status_write(struct vaal_mdev_state *st, u32 val)
{
	if (!val) {
		vaal_mdev_reset(st, true);
		return;
	}
	if (val & ~(VAAL_PCI_STATUS_DRIVER_OK | VAAL_PCI_STATUS_ERROR))
		atomic_inc(&st->errors);
	spin_lock(&st->reg_lock);
	WRITE_ONCE(st->status, (st->status & ~VAAL_PCI_STATUS_DRIVER_OK) |
			       (val & VAAL_PCI_STATUS_DRIVER_OK));
	spin_unlock(&st->reg_lock);
}

static void vaal_mdev_reg_write(struct vaal_mdev_state *st, u32 off, u32 val)
{
	if (off >= VAAL_PCI_REG_DB_BASE &&
	    off < VAAL_PCI_REG_DOORBELL(VAAL_PCI_MAX_SLOTS)) {
		if (off & 4)
			atomic_inc(&st->errors);	/* DB_RESULT: read only */
		else
			vaal_mdev_doorbell(st, (off - VAAL_PCI_REG_DB_BASE) / 8,
					   val);
		return;
	}
	/* The VMM's emulation of MSI-X covers these; writes are ignored. */
	if (off >= VAAL_PCI_MSIX_TABLE)
		return;
	switch (off) {
	case VAAL_PCI_REG_STATUS:
		vaal_mdev_status_write(st, val);
		break;
	case VAAL_PCI_REG_CMD_ADDR_LO:
		WRITE_ONCE(st->cmd_addr[0], val);
		break;
	case VAAL_PCI_REG_CMD_ADDR_HI:
		WRITE_ONCE(st->cmd_addr[1], val);
		break;
	case VAAL_PCI_REG_CMD_DOORBELL:
		if (val == 1) {
			vaal_mdev_cmd_doorbell(st);
			break;
		}
		WRITE_ONCE(st->cmd_status, -EINVAL);
		atomic_inc(&st->errors);
		break;
	default:
		/* Read-only registers and holes. */
		atomic_inc(&st->errors);
		break;
	}
}

/* BAR0: 32-bit aligned accesses; others read ~0 and are ignored, counted. */
static ssize_t vaal_mdev_bar_rw(struct vaal_mdev_state *st, char __user *ubuf,
				size_t count, loff_t off, bool write)
{
	u32 val = ~0U;
	size_t i;

	if (off >= VAAL_PCI_BAR0_SIZE || count > VAAL_PCI_BAR0_SIZE - off)
		return -EINVAL;
	if (count != sizeof(u32) || !IS_ALIGNED(off, sizeof(u32))) {
		atomic_inc(&st->errors);
		for (i = 0; !write && i < count; i++)
			if (put_user((u8)0xff, ubuf + i))
				return -EFAULT;
		return count;
	}
	if (write) {
		if (copy_from_user(&val, ubuf, sizeof(val)))
			return -EFAULT;
		vaal_mdev_reg_write(st, off, le32_to_cpu((__force __le32)val));
		return count;
	}
	val = (__force u32)cpu_to_le32(vaal_mdev_reg_read(st, off));
	if (copy_to_user(ubuf, &val, sizeof(val)))
		return -EFAULT;
	return count;
}

static ssize_t vaal_mdev_rw(struct vfio_device *vdev, char __user *ubuf,
			    size_t count, loff_t *ppos, bool write)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);
	unsigned int index = *ppos >> VAAL_MDEV_OFFSET_SHIFT;
	loff_t off = *ppos & VAAL_MDEV_OFFSET_MASK;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return vaal_mdev_cfg_rw(st, ubuf, count, off, write);
	case VFIO_PCI_BAR0_REGION_INDEX:
		return vaal_mdev_bar_rw(st, ubuf, count, off, write);
	default:
		return -EINVAL;
	}
}

static ssize_t vaal_mdev_read(struct vfio_device *vdev, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return vaal_mdev_rw(vdev, ubuf, count, ppos, false);
}

static ssize_t vaal_mdev_write(struct vfio_device *vdev,
			       const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	return vaal_mdev_rw(vdev, (char __user *)ubuf, count, ppos, true);
}

/* Interrupts of each index: MSI-X and the device request only. */
static u32 vaal_mdev_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return VAAL_PCI_NR_VECTORS;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

static struct eventfd_ctx **vaal_mdev_irq_slot(struct vaal_mdev_state *st,
					       unsigned int index,
					       unsigned int i)
{
	return index == VFIO_PCI_MSIX_IRQ_INDEX ? &st->msix[i] : &st->req;
}

/* Put eventfds (or none, for fd -1) on interrupts @start to @start + @count. */
static int vaal_mdev_irq_set_fds(struct vaal_mdev_state *st,
				 unsigned int index, u32 start, u32 count,
				 const s32 *fds)
{
	struct eventfd_ctx *new[VAAL_PCI_NR_VECTORS] = {};
	struct eventfd_ctx *old[VAAL_PCI_NR_VECTORS] = {};
	unsigned int i;
	int ret = 0;

	for (i = 0; i < count && !ret; i++) {
		if (fds[i] == -1)
			continue;
		new[i] = fds[i] < 0 ? ERR_PTR(-EINVAL) :
				      eventfd_ctx_fdget(fds[i]);
		if (IS_ERR(new[i])) {
			ret = PTR_ERR(new[i]);
			new[i] = NULL;
		}
	}
	if (!ret) {
		spin_lock_irq(&st->irq_lock);
		for (i = 0; i < count; i++) {
			struct eventfd_ctx **p = vaal_mdev_irq_slot(st, index,
								    start + i);

			old[i] = *p;
			*p = new[i];
		}
		spin_unlock_irq(&st->irq_lock);
	}
	for (i = 0; i < count; i++) {
		if (old[i])
			eventfd_ctx_put(old[i]);
		if (ret && new[i])
			eventfd_ctx_put(new[i]);
	}
	return ret;
}

/* Signal interrupts by hand: DATA_NONE, or DATA_BOOL where true. */
static void vaal_mdev_irq_fire(struct vaal_mdev_state *st, unsigned int index,
			       u32 start, u32 count, const u8 *bools)
{
	unsigned int i;

	spin_lock_irq(&st->irq_lock);
	for (i = 0; i < count; i++) {
		struct eventfd_ctx *e = *vaal_mdev_irq_slot(st, index,
							    start + i);

		if (e && (!bools || bools[i]))
			eventfd_signal(e);
	}
	spin_unlock_irq(&st->irq_lock);
}

static void vaal_mdev_irq_disable(struct vaal_mdev_state *st,
				  unsigned int index)
{
	static const s32 none[VAAL_PCI_NR_VECTORS] = { -1, -1 };
	u32 n = vaal_mdev_irq_count(index);

	if (n)
		vaal_mdev_irq_set_fds(st, index, 0, n, none);
}

static int vaal_mdev_set_irqs(struct vaal_mdev_state *st,
			      struct vfio_irq_set *hdr, const void *data)
{
	u32 data_type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	/* Only triggers: MSI-X masking is the VMM's, in its table. */
	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	switch (data_type) {
	case VFIO_IRQ_SET_DATA_EVENTFD:
		return vaal_mdev_irq_set_fds(st, hdr->index, hdr->start,
					     hdr->count, data);
	case VFIO_IRQ_SET_DATA_BOOL:
		vaal_mdev_irq_fire(st, hdr->index, hdr->start, hdr->count,
				   data);
		return 0;
	default:
		vaal_mdev_irq_fire(st, hdr->index, hdr->start, hdr->count,
				   NULL);
		return 0;
	}
}

static long vaal_mdev_ioctl_set_irqs(struct vaal_mdev_state *st,
				     unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	/* Trigger with no data and no count: disable the index. */
	if (hdr.argsz >= minsz && hdr.index < VFIO_PCI_NUM_IRQS &&
	    hdr.flags == (VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER) &&
	    !hdr.count) {
		vaal_mdev_irq_disable(st, hdr.index);
		return 0;
	}
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 vaal_mdev_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	ret = vaal_mdev_set_irqs(st, &hdr, data);
	kfree(data);
	return ret;
}

static long vaal_mdev_ioctl_info(unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long vaal_mdev_ioctl_region_info(unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = VAAL_MDEV_INDEX_TO_OFFSET(info.index);
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = VAAL_MDEV_CFG_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info.size = VAAL_PCI_BAR0_SIZE;
		break;
	default:
		info.size = 0;
		break;
	}
	info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ |
				 VFIO_REGION_INFO_FLAG_WRITE : 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long vaal_mdev_ioctl_irq_info(unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	/* No error interrupt: a conventional PCI function, as vfio-pci says. */
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS ||
	    info.index == VFIO_PCI_ERR_IRQ_INDEX)
		return -EINVAL;
	info.count = vaal_mdev_irq_count(info.index);
	info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD : 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long vaal_mdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			    unsigned long arg)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vaal_mdev_ioctl_info(arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vaal_mdev_ioctl_region_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vaal_mdev_ioctl_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return vaal_mdev_ioctl_set_irqs(st, arg);
	case VFIO_DEVICE_RESET:
		vaal_mdev_reset(st, true);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* The VMM closed the device: nothing of its session stays. */
static void vaal_mdev_close_device(struct vfio_device *vdev)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);

	vaal_mdev_reset(st, false);
	vaal_mdev_irq_disable(st, VFIO_PCI_MSIX_IRQ_INDEX);
	vaal_mdev_irq_disable(st, VFIO_PCI_REQ_IRQ_INDEX);
}

/* The device is being removed while open: ask the VMM to let it go. */
static void vaal_mdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct vaal_mdev_state *st = vaal_mdev_of(vdev);
	bool asked = false;

	spin_lock_irq(&st->irq_lock);
	if (st->req) {
		eventfd_signal(st->req);
		asked = true;
	}
	spin_unlock_irq(&st->irq_lock);
	if (!count)
		dev_notice(vdev->dev, "removal waits for the VMM to close the device%s\n",
			   asked ? " (asked)" : "");
}

const struct vfio_device_ops vaal_mdev_ops = {
	.name		= "vfio-vaal",
	.init		= vaal_mdev_init_dev,
	.release	= vaal_mdev_release_dev,
	.close_device	= vaal_mdev_close_device,
	.read		= vaal_mdev_read,
	.write		= vaal_mdev_write,
	.ioctl		= vaal_mdev_ioctl,
	.request	= vaal_mdev_request,
	.dma_unmap	= vaal_mdev_dma_unmap,
	.bind_iommufd	= vfio_iommufd_emulated_bind,
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
};
