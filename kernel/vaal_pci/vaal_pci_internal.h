/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_pci_internal.h - state shared by the files of vaal_pci.ko, the guest
 * driver of the VAAL PCI device (<linux/vaal_pci.h>)
 *
 * The driver gives the guest its own /dev/vaal with the host's ABI
 * (<linux/vaal.h>): one open file is one context of the device, and each
 * ioctl becomes a device command (vaal_pci_main.c), except the submissions
 * and completions themselves, which go through rings in guest memory that
 * the device uses in place.
 *
 * Guest memory the device uses - the rings and buffer pages - stays the
 * driver's until the device can no longer touch it: until the context's
 * submissions that may name it have completed, or the device was reset.
 */
#ifndef _VAAL_PCI_INTERNAL_H
#define _VAAL_PCI_INTERNAL_H

#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <linux/vaal.h>
#include <linux/vaal_pci.h>

/* A buffer's mmap() offset is its handle shifted by this much, as on the host. */
#define VAAL_PCI_BUF_MMAP_SHIFT	32

/* Longest a buffer may be: its mmap() offsets span 4 GiB. */
#define VAAL_PCI_BUF_MAX_BYTES	(1ULL << VAAL_PCI_BUF_MMAP_SHIFT)

/**
 * struct vaal_pci_pages - guest pages the device uses, with their bus
 *	addresses
 * @pages: the pages
 * @dma: the device's address of each
 * @nr: entries in @pages and @dma
 */
struct vaal_pci_pages {
	struct page **pages;
	dma_addr_t *dma;
	unsigned long nr;
};

/**
 * struct vaal_pci_dev - one VAAL PCI device and the /dev/vaal it backs
 * @pdev: the PCI device (a reference is held)
 * @bar: its registers, BAR0; touched only while @alive
 * @misc: /dev/vaal
 * @ref: held by the binding and by each context
 * @cmd_lock: serializes commands; protects @cmd and, with
 *	@state_lock, @gen and @alive
 * @cmd: the command buffer, coherent guest memory
 * @cmd_dma: its bus address
 * @info_lock: one user of @info at a time, around the command that fills
 *	it
 * @info: one page for %VAAL_PCI_CMD_QUERY_CONTROLLERS' entries
 * @info_dma: its bus address
 * @state_lock: taken for reading around a doorbell, for writing when the
 *	device is reset or goes away
 * @gen: the device's generation: a reset ends every context of the one
 *	before
 * @alive: the device is bound and its registers mapped
 * @features: %VAAL_PCI_F_* bits the device offers
 * @max_contexts: contexts the device holds at once
 * @max_buf_bytes: buffer bytes the guest may hold in all
 * @buf_bytes: bytes of buffers the driver holds, live or waiting for the
 *	device to let go, against @max_buf_bytes
 * @nr_vecs: MSI-X vectors in use: 0 (contexts are polled), 1 (one for
 *	all) or %VAAL_PCI_NR_VECTORS
 * @cq_wait: every task waiting for completions, of any context: the
 *	completion vector wakes them all and each looks at its own ring
 * @reset_work: resets the device after %VAAL_PCI_STATUS_ERROR
 * @close_lock: protects @closing, @close_delay and @close_stop
 * @closing: contexts whose file is closed but whose submissions still run
 *	on the device, by &vaal_pci_ctx.node
 * @close_delay: jiffies until @close_work looks at them again
 * @close_stop: the device is gone: contexts are freed at once
 * @close_work: destroys the contexts of @closing once they are idle
 * @next_id: the id of the next context, as fdinfo shows it
 */
struct vaal_pci_dev {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct miscdevice misc;
	struct kref ref;

	struct mutex cmd_lock;
	struct vaal_pci_cmd *cmd;
	dma_addr_t cmd_dma;
	struct mutex info_lock;
	void *info;
	dma_addr_t info_dma;

	rwlock_t state_lock;
	unsigned long gen;
	bool alive;

	u64 features;
	u32 max_contexts;
	u64 max_buf_bytes;
	atomic64_t buf_bytes;
	unsigned int nr_vecs;
	wait_queue_head_t cq_wait;
	struct work_struct reset_work;

	spinlock_t close_lock;
	struct list_head closing;
	unsigned long close_delay;
	bool close_stop;
	struct delayed_work close_work;
	atomic64_t next_id;
};

/**
 * struct vaal_pci_ctx - one context: the state behind one open file
 * @vdev: the device
 * @node: entry in &vaal_pci_dev.closing once the file is closed
 * @mm: the address space of the opener; other tasks' ioctls get -EIO
 * @gen: the device's generation the context was created in
 * @slot: the context's slot on the device: its doorbell
 * @host_id: the host context's id
 * @id: the guest's id of the context
 * @lock: serializes set up, buffer and kernel changes
 * @bufs: buffers by handle (the device's handle)
 * @zombie_lock: protects @zombies
 * @zombies: buffers without a handle or mapping whose pages the device
 *	may still use, by &vaal_pci_buf.node
 * @db_lock: one doorbell of the context at a time: its result register
 *	is the context's
 * @flush_lock: one flush of parked completions at a time; protects
 *	@ovf_seen and @ovf_pending
 * @ovf_seen: the completion ring's overflow count at the last flush
 * @ovf_pending: completions may still wait on the device for room
 * @rings: the pages of the rings, once set up
 * @vaddr: the kernel's mapping of @rings
 * @ready: the rings are set up (published with release)
 * @sqpoll: the device's thread consumes the submission ring
 * @sq_entries: submission ring entries
 * @cq_entries: completion ring entries
 * @cq_head: the completion ring's head, in @vaddr
 * @cq_tail: the completion ring's tail, in @vaddr
 * @cq_overflow: the completion ring's overflow count, in @vaddr
 */
struct vaal_pci_ctx {
	struct vaal_pci_dev *vdev;
	struct list_head node;
	struct mm_struct *mm;
	unsigned long gen;
	u32 slot;
	u64 host_id;
	u64 id;

	struct mutex lock;
	struct xarray bufs;
	spinlock_t zombie_lock;
	struct list_head zombies;

	spinlock_t db_lock;
	spinlock_t flush_lock;
	u32 ovf_seen;
	bool ovf_pending;

	struct vaal_pci_pages rings;
	void *vaddr;
	bool ready;
	bool sqpoll;
	u32 sq_entries;
	u32 cq_entries;
	u32 *cq_head;
	u32 *cq_tail;
	u32 *cq_overflow;
};

/**
 * struct vaal_pci_buf - a buffer: guest pages the device knows by handle
 * @ref: held by the handle and by each mapping
 * @ctx: the context; outlives the buffer (mappings hold its file)
 * @node: entry in &vaal_pci_ctx.zombies once @ref is gone
 * @pg: the pages
 * @length: bytes, whole pages
 * @handle: the device's handle
 */
struct vaal_pci_buf {
	struct kref ref;
	struct vaal_pci_ctx *ctx;
	struct list_head node;
	struct vaal_pci_pages pg;
	u64 length;
	u32 handle;
};

/**
 * vaal_pci_copy_args - copy in an ioctl argument that starts with its size
 * @karg: the kernel's copy, @ksize bytes
 * @ksize: sizeof the structure as this driver knows it
 * @uarg: user space's copy; its first __u32 is the size it knows
 * @min_size: size of the structure's first published version
 * @usize: the size user space gave, for copying results back
 *
 * As vaal_core: fields past the end of user space's structure read as
 * zero; fields past the end of the driver's must be zero.
 *
 * Return: 0, -EFAULT, -EINVAL for a size below @min_size, or -E2BIG.
 */
static inline int vaal_pci_copy_args(void *karg, size_t ksize,
				     void __user *uarg, u32 min_size,
				     u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min_size)
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

/**
 * vaal_pci_ctx_dead - did the context end with its device's generation?
 * @ctx: the context
 *
 * Return: true once the device was reset or went away since @ctx was
 * created: nothing of it is left on the device.
 */
static inline bool vaal_pci_ctx_dead(const struct vaal_pci_ctx *ctx)
{
	return READ_ONCE(ctx->vdev->gen) != ctx->gen;
}

/* vaal_pci_main.c */
void vaal_pci_dev_put(struct vaal_pci_dev *vdev);
int vaal_pci_cmd(struct vaal_pci_dev *vdev, struct vaal_pci_ctx *ctx,
		 u32 opcode, void *args, size_t len);
long vaal_pci_doorbell(struct vaal_pci_ctx *ctx, u32 val);

/* vaal_pci_ctx.c */
struct vaal_pci_ctx *vaal_pci_ctx_open(struct vaal_pci_dev *vdev);
void vaal_pci_ctx_close(struct vaal_pci_ctx *ctx);
void vaal_pci_close_workfn(struct work_struct *work);
void vaal_pci_close_all(struct vaal_pci_dev *vdev);
void vaal_pci_ctx_reap(struct vaal_pci_ctx *ctx);
int vaal_pci_ctx_stats(struct vaal_pci_ctx *ctx, struct vaal_pci_stats *st);

/* vaal_pci_dev.c */
extern const struct file_operations vaal_pci_fops;

/* vaal_pci_buf.c */
int vaal_pci_pages_alloc(struct vaal_pci_dev *vdev, struct vaal_pci_pages *pg,
			 unsigned long nr);
void vaal_pci_pages_free(struct vaal_pci_dev *vdev, struct vaal_pci_pages *pg);
int vaal_pci_list_build(struct vaal_pci_dev *vdev,
			const struct vaal_pci_pages *pg,
			struct vaal_pci_pages *list);
long vaal_pci_ioc_buf_create(struct vaal_pci_ctx *ctx, void __user *uarg);
long vaal_pci_ioc_buf_destroy(struct vaal_pci_ctx *ctx, void __user *uarg);
int vaal_pci_buf_mmap(struct vaal_pci_ctx *ctx, struct vm_area_struct *vma);
void vaal_pci_buf_drop_all(struct vaal_pci_ctx *ctx);
void vaal_pci_buf_free(struct vaal_pci_buf *buf);

/* vaal_pci_ring.c */
long vaal_pci_ioc_setup(struct vaal_pci_ctx *ctx, void __user *uarg);
long vaal_pci_ioc_enter(struct vaal_pci_ctx *ctx, void __user *uarg);
int vaal_pci_ring_mmap(struct vaal_pci_ctx *ctx, struct vm_area_struct *vma);
__poll_t vaal_pci_ring_poll(struct vaal_pci_ctx *ctx, struct file *file,
			    struct poll_table_struct *wait);
void vaal_pci_ring_free(struct vaal_pci_ctx *ctx);

#endif /* _VAAL_PCI_INTERNAL_H */
