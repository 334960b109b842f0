/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_mdev.h - state shared by the files of vaal_mdev.ko, the VFIO
 * mediated device that a guest sees as the VAAL PCI device
 * (<linux/vaal_pci.h>)
 */
#ifndef _VAAL_MDEV_H
#define _VAAL_MDEV_H

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/vaal.h>
#include <linux/vaal_pci.h>
#include <vaal_client.h>

/* Bytes of the emulated config space: a conventional PCI function. */
#define VAAL_MDEV_CFG_SIZE	256
/* Where the MSI-X capability lies in it. */
#define VAAL_MDEV_MSIX_CAP	0x40

/* Offsets of the regions in the device file, as vfio-pci lays them out. */
#define VAAL_MDEV_OFFSET_SHIFT	40
#define VAAL_MDEV_INDEX_TO_OFFSET(index) ((u64)(index) << VAAL_MDEV_OFFSET_SHIFT)
#define VAAL_MDEV_OFFSET_MASK	(BIT_ULL(VAAL_MDEV_OFFSET_SHIFT) - 1)

/**
 * struct vaal_mdev_type - what a guest of the type gets
 * @type: the mdev core's type
 * @max_contexts: contexts at once (at most %VAAL_PCI_MAX_SLOTS)
 * @max_inflight: submissions in flight per context
 * @max_buf_bytes: bytes of buffers, all contexts together
 * @classes: the accelerator classes offered, separated by commas, or
 *	NULL for all
 * @features: %VAAL_PCI_F_* the type offers
 */
struct vaal_mdev_type {
	struct mdev_type type;
	u32 max_contexts;
	u32 max_inflight;
	u64 max_buf_bytes;
	const char *classes;
	u64 features;
};

/**
 * struct vaal_mdev_run - guest pages pinned by one vfio_pin_pages() call
 * @iova: the first page's guest address
 * @npages: contiguous pages from there, at most
 *	%VFIO_PIN_PAGES_MAX_ENTRIES
 */
struct vaal_mdev_run {
	u64 iova;
	unsigned int npages;
};

/**
 * struct vaal_mdev_pins - the pinned guest pages of a ring or a buffer
 * @runs: the runs, in list order
 * @nr_runs: entries in @runs
 * @nr_pages: pages in all runs
 */
struct vaal_mdev_pins {
	struct vaal_mdev_run *runs;
	unsigned int nr_runs;
	unsigned long nr_pages;
};

/**
 * struct vaal_mdev_buf - a buffer of a guest context
 * @pins: its guest pages
 * @bytes: what it counts against the type's buffer bytes
 */
struct vaal_mdev_buf {
	struct vaal_mdev_pins pins;
	u64 bytes;
};

/**
 * struct vaal_mdev_ctx - a guest context: a host context in a slot
 * @st: the device
 * @ctx: the host context (vaal_core's)
 * @wait: called by vaal_core when completions are posted
 * @slot: its slot, the index of its doorbell
 * @flags: %VAAL_PCI_CTX_* flags it was created with
 * @ring: the pages of its rings, once set up
 * @cq_tail_page: the ring page that holds the completion ring's tail, once
 *	set up (published with release: the notifier reads it)
 * @cq_tail_off: where the tail lies in @cq_tail_page
 * @cq_seen: the tail when the CQ vector was last signalled (under the
 *	notifier's queue lock)
 * @bufs: its buffers by handle: &struct vaal_mdev_buf
 * @buf_bytes: bytes of @bufs
 */
struct vaal_mdev_ctx {
	struct vaal_mdev_state *st;
	struct vaal_ctx *ctx;
	struct wait_queue_entry wait;
	u32 slot;
	u32 flags;
	struct vaal_mdev_pins ring;
	struct page *cq_tail_page;
	unsigned int cq_tail_off;
	u32 cq_seen;
	struct xarray bufs;
	u64 buf_bytes;
};

/**
 * struct vaal_mdev_reserve - the administrator's reservation for the
 *	contexts of a device (sysfs "vaal/reserve")
 * @class: the accelerator class; empty for none
 * @budget_ns: device time reserved in each period
 * @period_ns: the period
 * @cred: the credentials of the administrator who set it, with which it
 *	is applied to contexts created later by the VMM
 */
struct vaal_mdev_reserve {
	char class[VAAL_CLASS_LEN];
	u64 budget_ns;
	u64 period_ns;
	const struct cred *cred;
};

/**
 * struct vaal_mdev_state - one mediated device
 * @vdev: the VFIO device
 * @mdev: the mediated device
 * @type: its type
 * @label: the label of its host contexts, "mdev:UUID"
 * @lock: serializes commands, resets, dma_unmap and the reservation:
 *	everything that creates or destroys contexts or pins
 * @db_sem: doorbells hold it for reading while they use a context;
 *	publishing and unpublishing a context in @ctxs (under @lock too)
 *	hold it for writing
 * @ctxs: the contexts by slot
 * @nr_ctxs: contexts in @ctxs
 * @buf_bytes: buffer bytes of all contexts, against the type's
 * @reserve: the administrator's reservation, under @lock
 * @reg_lock: protects @cfg and @status
 * @cfg: the config space
 * @cfg_wmask: its writable bits
 * @status: %VAAL_PCI_REG_STATUS
 * @cmd_status: %VAAL_PCI_REG_CMD_STATUS
 * @cmd_addr: %VAAL_PCI_REG_CMD_ADDR_LO and _HI
 * @db_result: %VAAL_PCI_REG_DB_RESULT of each slot
 * @irq_lock: protects @msix and @req (taken from any context)
 * @msix: the eventfds of the MSI-X vectors, NULL when not set
 * @req: the eventfd of the device request interrupt
 * @copied: bytes copied between guest memory and the host
 * @pinned: guest pages pinned now
 * @errors: bad commands and register accesses, contexts lost
 * @resets: device resets (by the guest or the VMM)
 */
struct vaal_mdev_state {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	const struct vaal_mdev_type *type;
	char label[VAAL_CLIENT_LABEL_LEN];

	struct mutex lock;
	struct rw_semaphore db_sem;
	struct vaal_mdev_ctx *ctxs[VAAL_PCI_MAX_SLOTS];
	unsigned int nr_ctxs;
	u64 buf_bytes;
	struct vaal_mdev_reserve reserve;

	spinlock_t reg_lock;
	u8 cfg[VAAL_MDEV_CFG_SIZE];
	u8 cfg_wmask[VAAL_MDEV_CFG_SIZE];
	u32 status;
	s32 cmd_status;
	u32 cmd_addr[2];
	s32 db_result[VAAL_PCI_MAX_SLOTS];

	spinlock_t irq_lock;
	struct eventfd_ctx *msix[VAAL_PCI_NR_VECTORS];
	struct eventfd_ctx *req;

	atomic64_t copied;
	atomic_long_t pinned;
	atomic_t errors;
	atomic_t resets;
};

static inline struct vaal_mdev_state *vaal_mdev_of(struct vfio_device *vdev)
{
	return container_of(vdev, struct vaal_mdev_state, vdev);
}

extern unsigned int vaal_mdev_max_blob_bytes;

/* vaal_mdev_main.c */
bool vaal_mdev_class_offered(const struct vaal_mdev_type *type,
			     const char *class);
int vaal_mdev_init_dev(struct vfio_device *vdev);
void vaal_mdev_release_dev(struct vfio_device *vdev);

/* vaal_mdev_sysfs.c */
extern const struct attribute_group *vaal_mdev_dev_groups[];
int vaal_mdev_reserve_apply(struct vaal_mdev_state *st, struct vaal_ctx *ctx);
void vaal_mdev_reserve_free(struct vaal_mdev_state *st);

/* vaal_mdev_pci.c */
extern const struct vfio_device_ops vaal_mdev_ops;
void vaal_mdev_cfg_init(struct vaal_mdev_state *st);
void vaal_mdev_signal(struct vaal_mdev_state *st, unsigned int vec);
void vaal_mdev_reset(struct vaal_mdev_state *st, bool count);

/* vaal_mdev_cmd.c */
void vaal_mdev_cmd_doorbell(struct vaal_mdev_state *st);

/* vaal_mdev_mem.c */
int vaal_mdev_dma_read(struct vaal_mdev_state *st, u64 iova, void *buf,
		       size_t len);
int vaal_mdev_dma_write(struct vaal_mdev_state *st, u64 iova,
			const void *buf, size_t len);
struct page **vaal_mdev_pin_list(struct vaal_mdev_state *st, u64 list,
				 u64 total, unsigned long n,
				 struct vaal_mdev_pins *pins);
void vaal_mdev_unpin(struct vaal_mdev_state *st, struct vaal_mdev_pins *pins);
void vaal_mdev_ctx_destroy(struct vaal_mdev_state *st,
			   struct vaal_mdev_ctx *mc, bool wait);
void vaal_mdev_ctx_destroy_all(struct vaal_mdev_state *st);
void vaal_mdev_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length);

#endif /* _VAAL_MDEV_H */
