/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vaal_pci.h - the VAAL PCI device: what a guest (or a user-space VFIO
 * driver) sees of a V-Core mediated device (vaal_mdev.ko on the host)
 *
 * The device forwards the /dev/vaal ABI of <linux/vaal.h>: each context the
 * guest opens is a host context, its rings and buffers are guest RAM that
 * the host pins and uses in place, so no buffer data is ever copied.
 *
 * PCI identity: vendor 0x1af4, device 0x10f0 (QEMU's range for
 * experimental devices, 1af4:10f0-10ff), subsystem 1af4:0001, class 0x1200
 * (processing accelerator), revision 1.
 *
 * BAR0 (32-bit memory, %VAAL_PCI_BAR0_SIZE bytes) holds the registers, the
 * doorbells and the MSI-X table and pending bits.  Registers are 32 bits,
 * accessed whole and aligned (other accesses read as ~0 and are ignored,
 * counted as bad accesses on the host).  64-bit values are two registers,
 * low word first.
 *
 * Commands.  The driver writes a &struct vaal_pci_cmd into guest memory
 * (naturally aligned: at an address that is a multiple of its size,
 * %VAAL_PCI_CMD_SIZE, so within one page; -EINVAL otherwise, -EFAULT
 * outside the guest's memory), writes its guest-physical address
 * to %VAAL_PCI_REG_CMD_ADDR_LO/HI and then writes 1 to
 * %VAAL_PCI_REG_CMD_DOORBELL.  The device runs the command before the
 * write completes, writes its results back into the command (out fields,
 * and &vaal_pci_cmd.status) and into %VAAL_PCI_REG_CMD_STATUS.  One
 * command at a time: the driver serializes them.
 *
 * Guest memory the device reads or writes is named by guest-physical
 * addresses (for a user-space VFIO driver: IOVAs it mapped with
 * VFIO_IOMMU_MAP_DMA).  Page lists (rings, buffers) are chains of list
 * pages: each list page holds %VAAL_PCI_LIST_ENTRIES __u64 addresses of
 * pages, and when more follow, its last entry is the address of the next
 * list page (so it holds %VAAL_PCI_LIST_ENTRIES - 1 page addresses).
 * Every address is page aligned.
 *
 * Submission.  The driver writes the submission ring of context @slot as
 * <linux/vaal.h> says, then writes a doorbell value to
 * VAAL_PCI_REG_DOORBELL(@slot): the device consumes the entries before the
 * write completes, and the return value of %VAAL_IOC_ENTER's submission
 * part (submissions consumed, or a negative errno) is then readable at
 * VAAL_PCI_REG_DB_RESULT(@slot).  A context set up with
 * %VAAL_SETUP_SQPOLL needs no doorbell while its host thread is awake.
 * Every doorbell write, a count of 0 included, first moves the completions
 * the device parked while the completion ring was full into the room the
 * driver has made since (as %VAAL_IOC_ENTER does on the host): the driver
 * rings with 0 before it waits when the ring's overflow count moved, or
 * when the ring was still full after the last such doorbell.
 *
 * Completion.  The device posts completions into the context's completion
 * ring (in guest memory) and, unless the context was created with
 * %VAAL_PCI_CTX_NO_IRQ, signals MSI-X vector %VAAL_PCI_VEC_CQ once MSI-X is
 * enabled.  Polling the ring needs no interrupt at all.
 *
 * Guest memory in use.  The device may go on using a buffer's pages after
 * %VAAL_PCI_CMD_BUF_DESTROY, for the submissions that named it and are
 * still in flight, and a context's rings and buffers until
 * %VAAL_PCI_CMD_CTX_DESTROY.  So the driver keeps a destroyed buffer's
 * pages until %VAAL_PCI_CMD_STATS reports no submission of the context in
 * flight (the ones that named it were consumed before the destroy), and
 * destroys a context only once nothing of it is in flight.  Once
 * CTX_DESTROY or a reset (%VAAL_PCI_REG_STATUS written 0) has completed,
 * the device touches none of the pages concerned: a device whose work can
 * outlive them (a launch a controller still runs past its deadline) counts
 * it in &vaal_pci_stats.inflight, and waits for it before a reset
 * completes.
 *
 * Errors.  A malformed command gets its errno in &vaal_pci_cmd.status; the
 * device stays usable.  A guest that breaks what the device relies on (an
 * address outside its RAM while the device pins it, a removed mapping)
 * loses the contexts concerned; %VAAL_PCI_STATUS_ERROR is set and the
 * driver resets the device (write 0 to %VAAL_PCI_REG_STATUS).
 */
#ifndef _UAPI_LINUX_VAAL_PCI_H
#define _UAPI_LINUX_VAAL_PCI_H

#include <linux/types.h>
#include <linux/vaal.h>

#define VAAL_PCI_VENDOR_ID		0x1af4
#define VAAL_PCI_DEVICE_ID		0x10f0
#define VAAL_PCI_SUBSYS_VENDOR_ID	0x1af4
#define VAAL_PCI_SUBSYS_ID		0x0001
#define VAAL_PCI_CLASS			0x120000	/* accelerator, prog-if 0 */
#define VAAL_PCI_REVISION		1

/* The device's register layout version: major changes break drivers. */
#define VAAL_PCI_VERSION_MAJOR		1
#define VAAL_PCI_VERSION_MINOR		0

#define VAAL_PCI_MAGIC			0x4c414156	/* "VAAL" */

#define VAAL_PCI_BAR0_SIZE		0x4000

/* Registers of BAR0 (RO: read only, RW, WO: write only, reads 0). */
#define VAAL_PCI_REG_MAGIC		0x000	/* RO: %VAAL_PCI_MAGIC */
#define VAAL_PCI_REG_VERSION		0x004	/* RO: major << 16 | minor */
#define VAAL_PCI_REG_FEATURES_LO	0x008	/* RO: %VAAL_PCI_F_* */
#define VAAL_PCI_REG_FEATURES_HI	0x00c
#define VAAL_PCI_REG_MAX_CONTEXTS	0x010	/* RO: contexts at once */
#define VAAL_PCI_REG_MAX_INFLIGHT	0x014	/* RO: in flight per context */
#define VAAL_PCI_REG_MAX_BUF_LO		0x018	/* RO: buffer bytes in all */
#define VAAL_PCI_REG_MAX_BUF_HI		0x01c
#define VAAL_PCI_REG_STATUS		0x020	/* RW: %VAAL_PCI_STATUS_* */
#define VAAL_PCI_REG_CMD_STATUS		0x024	/* RO: last command's status */
#define VAAL_PCI_REG_CMD_ADDR_LO	0x028	/* RW: address of the command */
#define VAAL_PCI_REG_CMD_ADDR_HI	0x02c
#define VAAL_PCI_REG_CMD_DOORBELL	0x030	/* WO: 1 runs the command */
#define VAAL_PCI_REG_NR_CONTEXTS	0x034	/* RO: contexts now */
#define VAAL_PCI_REG_COPIED_LO		0x038	/* RO: bytes the device copied */
#define VAAL_PCI_REG_COPIED_HI		0x03c
#define VAAL_PCI_REG_PINNED		0x040	/* RO: guest pages pinned now */
#define VAAL_PCI_REG_ERRORS		0x044	/* RO: bad commands and accesses */

/* Doorbells: one register per context slot, and the result of the last. */
#define VAAL_PCI_REG_DB_BASE		0x1000
#define VAAL_PCI_REG_DOORBELL(slot)	(VAAL_PCI_REG_DB_BASE + 8 * (slot))
#define VAAL_PCI_REG_DB_RESULT(slot)	(VAAL_PCI_REG_DB_BASE + 8 * (slot) + 4)
#define VAAL_PCI_MAX_SLOTS		256

/* MSI-X: the table and the pending bits, emulated by the VMM. */
#define VAAL_PCI_MSIX_TABLE		0x2000
#define VAAL_PCI_MSIX_PBA		0x3000
#define VAAL_PCI_NR_VECTORS		2
#define VAAL_PCI_VEC_CQ			0	/* completions posted */
#define VAAL_PCI_VEC_ERROR		1	/* %VAAL_PCI_STATUS_ERROR set */

/* Features (%VAAL_PCI_REG_FEATURES_LO/HI). */
#define VAAL_PCI_F_MSIX			(1ULL << 0)	/* MSI-X signalling */
#define VAAL_PCI_F_SQPOLL		(1ULL << 1)	/* %VAAL_SETUP_SQPOLL allowed */
#define VAAL_PCI_F_ALL			(VAAL_PCI_F_MSIX | VAAL_PCI_F_SQPOLL)

/* %VAAL_PCI_REG_STATUS bits. */
#define VAAL_PCI_STATUS_DRIVER_OK	(1U << 0)	/* RW: the driver is up */
#define VAAL_PCI_STATUS_ERROR		(1U << 1)	/* RO: reset needed */
/* Writing 0 resets the device: every context goes, every page is unpinned. */

/* Doorbell values (VAAL_PCI_REG_DOORBELL()). */
#define VAAL_PCI_DB_COUNT_MASK		0xffffU	/* entries to consume */
#define VAAL_PCI_DB_SQ_WAKEUP		(1U << 31)	/* %VAAL_ENTER_SQ_WAKEUP */

/* Page lists. */
#define VAAL_PCI_PAGE_SIZE		4096
#define VAAL_PCI_LIST_ENTRIES		(VAAL_PCI_PAGE_SIZE / 8)

/* Commands (&vaal_pci_cmd.opcode). */
enum vaal_pci_opcode {
	VAAL_PCI_CMD_CTX_CREATE = 1,
	VAAL_PCI_CMD_CTX_DESTROY,
	VAAL_PCI_CMD_QUERY,
	VAAL_PCI_CMD_QUERY_CONTROLLERS,
	VAAL_PCI_CMD_BUF_CREATE,
	VAAL_PCI_CMD_BUF_DESTROY,
	VAAL_PCI_CMD_KERNEL_REGISTER,
	VAAL_PCI_CMD_KERNEL_UNREGISTER,
	VAAL_PCI_CMD_SETUP,
	VAAL_PCI_CMD_SCHED_SET,
	VAAL_PCI_CMD_SCHED_GET,
	VAAL_PCI_CMD_STATS,
	VAAL_PCI_CMD_LAST = VAAL_PCI_CMD_STATS,
};

/* Flags of &vaal_pci_ctx_create.flags. */
#define VAAL_PCI_CTX_NO_IRQ		(1U << 0)	/* never signal: polled */
#define VAAL_PCI_CTX_FLAGS_ALL		(VAAL_PCI_CTX_NO_IRQ)

/**
 * struct vaal_pci_ctx_create - %VAAL_PCI_CMD_CTX_CREATE: open a context
 * @flags: in: %VAAL_PCI_CTX_* flags
 * @slot: out: the context's slot, below %VAAL_PCI_REG_MAX_CONTEXTS: what
 *	the other commands name in &vaal_pci_cmd.ctx, and its doorbell
 * @id: out: the host context's id (as the host's tools show it)
 * @reserved: in: must be zero
 *
 * -EMFILE when the guest holds its type's contexts already; -EDQUOT,
 * -EMFILE from the host as open() of /dev/vaal.
 */
struct vaal_pci_ctx_create {
	__u32 flags;
	__u32 slot;
	__u64 id;
	__u64 reserved[2];
};

/**
 * struct vaal_pci_buf_create - %VAAL_PCI_CMD_BUF_CREATE: a buffer in guest
 *	pages
 * @req: in: size, flags (no %VAAL_BUF_IMPORT), length, memfd (zero);
 *	out: handle (mmap_offset is the driver's business, left zero)
 * @pages: in: address of the first list page of the buffer's pages
 * @nr_pages: in: pages in the list: DIV_ROUND_UP(length, 4096)
 *
 * -ENOSPC past the guest's type's buffer bytes, -EFAULT for a page outside
 * the guest's memory.
 */
struct vaal_pci_buf_create {
	struct vaal_buf_create req;
	__u64 pages;
	__u64 nr_pages;
};

/**
 * struct vaal_pci_kernel_register - %VAAL_PCI_CMD_KERNEL_REGISTER
 * @req: in and out as %VAAL_IOC_KERNEL_REGISTER; blob_addr is the guest
 *	address of the blob, contiguous in guest memory
 *
 * -EPERM for a class the guest's type does not offer.
 */
struct vaal_pci_kernel_register {
	struct vaal_kernel_register req;
};

/**
 * struct vaal_pci_setup - %VAAL_PCI_CMD_SETUP: set the rings up in guest
 *	pages
 * @req: in and out as %VAAL_IOC_SETUP (mmap_offset out is zero)
 * @pages: in: address of the first list page of the rings' pages
 * @nr_pages: in: pages in the list; -ENOSPC when fewer than
 *	@req.ring_bytes / 4096, with @req filled so that the driver learns
 *	ring_bytes and tries again
 */
struct vaal_pci_setup {
	struct vaal_setup req;
	__u64 pages;
	__u64 nr_pages;
};

/**
 * struct vaal_pci_query_controllers - %VAAL_PCI_CMD_QUERY_CONTROLLERS
 * @req: as %VAAL_IOC_QUERY_CONTROLLERS; addr is the guest address of room
 *	for count entries of entry_size bytes, contiguous in guest memory,
 *	at most one page
 */
struct vaal_pci_query_controllers {
	struct vaal_query_controllers req;
};

/**
 * struct vaal_pci_stats - %VAAL_PCI_CMD_STATS: a context's counters
 * @submitted: out: submissions consumed
 * @completed: out: completions posted
 * @inflight: out: submitted, completion not posted yet, or posted while a
 *	unit of a controller still holds the work (past its deadline): while
 *	it is not 0, the device may still use the context's pages
 * @nr_bufs: out: buffers held
 * @buf_bytes: out: their bytes
 * @reserved: out: zero
 */
struct vaal_pci_stats {
	__u64 submitted;
	__u64 completed;
	__u32 inflight;
	__u32 nr_bufs;
	__u64 buf_bytes;
	__u64 reserved[2];
};

/**
 * struct vaal_pci_cmd - a command, in guest memory
 * @opcode: in: %VAAL_PCI_CMD_*
 * @ctx: in: the context's slot for commands on a context
 *	(%VAAL_PCI_CMD_CTX_DESTROY, BUF_*, KERNEL_*, SETUP, SCHED_*, STATS,
 *	QUERY); otherwise zero
 * @status: out: 0 or a negative errno (also in %VAAL_PCI_REG_CMD_STATUS)
 * @flags: in: must be zero
 * @reserved: in: must be zero
 * @u: in and out: the command's arguments
 * @u.ctx_create: %VAAL_PCI_CMD_CTX_CREATE
 * @u.query: %VAAL_PCI_CMD_QUERY, as %VAAL_IOC_QUERY (size at most
 *	sizeof(struct vaal_query)); the limits are the guest's own
 * @u.query_controllers: %VAAL_PCI_CMD_QUERY_CONTROLLERS
 * @u.buf_create: %VAAL_PCI_CMD_BUF_CREATE
 * @u.buf_destroy: %VAAL_PCI_CMD_BUF_DESTROY, as %VAAL_IOC_BUF_DESTROY
 * @u.kernel_register: %VAAL_PCI_CMD_KERNEL_REGISTER
 * @u.kernel_unregister: %VAAL_PCI_CMD_KERNEL_UNREGISTER
 * @u.setup: %VAAL_PCI_CMD_SETUP
 * @u.sched: %VAAL_PCI_CMD_SCHED_SET and %VAAL_PCI_CMD_SCHED_GET, as the
 *	ioctls; the host's administrator may have set what the guest may not
 *	change (-EPERM)
 * @u.stats: %VAAL_PCI_CMD_STATS
 * @u.raw: the size of the union, which never shrinks
 *
 * Unknown opcodes get -EOPNOTSUPP, reserved fields that are not zero
 * -EINVAL, a slot that holds no context -EBADF.
 */
struct vaal_pci_cmd {
	__u32 opcode;
	__u32 ctx;
	__s32 status;
	__u32 flags;
	__u64 reserved;
	union {
		struct vaal_pci_ctx_create ctx_create;
		struct vaal_query query;
		struct vaal_pci_query_controllers query_controllers;
		struct vaal_pci_buf_create buf_create;
		struct vaal_buf_destroy buf_destroy;
		struct vaal_pci_kernel_register kernel_register;
		struct vaal_kernel_unregister kernel_unregister;
		struct vaal_pci_setup setup;
		struct vaal_sched_attr sched;
		struct vaal_pci_stats stats;
		__u8 raw[232];
	} u;
};

#define VAAL_PCI_CMD_SIZE	256

#endif /* _UAPI_LINUX_VAAL_PCI_H */
