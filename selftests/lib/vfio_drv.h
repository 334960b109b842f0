/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_drv.h - a user-space VFIO driver of the VAAL PCI device
 * (<linux/vaal_pci.h>), playing the VMM the way QEMU does for a guest:
 * the mediated device created through sysfs, its IOMMU group put in a
 * type1 container, anonymous memory mapped for DMA as the "guest RAM",
 * config space and BAR0 read and written through the device file, MSI-X
 * vectors on eventfds.  Commands, page lists and rings live in that RAM,
 * at the IOVAs it is mapped at.  Shared by the VFIO selftest
 * (selftests/vaal_mdev) and the VFIO NOP benchmark (tools/bench).
 *
 * Functions return 0 or a negative errno unless they say otherwise, and
 * never print.
 */
#ifndef _VCORE_VFIO_DRV_H
#define _VCORE_VFIO_DRV_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/vaal.h>
#include <linux/vaal_pci.h>

#include "../../tools/lib/libvaal.h"

#define VFD_PAGE		VAAL_PCI_PAGE_SIZE
#define VFD_MDEV_BUS		"/sys/class/mdev_bus"
#define VFD_MDEV_DEVICES	"/sys/bus/mdev/devices"
/* Where the "guest RAM" lies in the device's address space by default. */
#define VFD_IOVA_BASE		0x40000000ULL

/**
 * struct vfd - one VAAL PCI device driven through VFIO
 * @container: /dev/vfio/vfio
 * @group: /dev/vfio/N
 * @dev: the device file
 * @group_id: N
 * @uuid: the mediated device
 * @cfg_off: where config space lies in @dev
 * @cfg_size: its bytes
 * @bar0_off: where BAR0 lies in @dev
 * @bar0_size: its bytes
 * @mem: the guest RAM in this process
 * @mem_size: its bytes
 * @iova: where the device sees it
 * @brk: bytes of it handed out by vfd_alloc(), from the start
 * @cmd: the command page (the first page of @mem)
 * @irq: eventfds of the MSI-X vectors, -1 when not set
 */
struct vfd {
	int container;
	int group;
	int dev;
	int group_id;
	char uuid[40];
	__u64 cfg_off;
	__u64 cfg_size;
	__u64 bar0_off;
	__u64 bar0_size;
	__u8 *mem;
	size_t mem_size;
	__u64 iova;
	size_t brk;
	struct vaal_pci_cmd *cmd;
	int irq[VAAL_PCI_NR_VECTORS];
};

/* The compiler must not keep guest memory the device wrote in registers. */
static inline void vfd_barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* --- sysfs: mediated device types and devices ------------------------- */

/* snprintf() into a path; -ENAMETOOLONG when it does not fit. */
static inline int vfd_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Read a small sysfs file into @buf, without the trailing newline. */
static inline int vfd_read_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static inline long long vfd_read_ll(const char *path)
{
	char buf[64];

	if (vfd_read_str(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 0);
}

static inline int vfd_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

/**
 * vfd_find_types - the mediated device types of the VAAL
 * @dirs: room for @max paths of type folders
 *	(/sys/class/mdev_bus/PARENT/mdev_supported_types/TYPE)
 * @max: entries of @dirs
 *
 * A type is the VAAL's when its folder's name or its "name" attribute
 * starts with "vaal".
 *
 * Return: how many were found (at most @max), in sorted order.
 */
static inline int vfd_find_types(char (*dirs)[PATH_MAX], int max)
{
	struct dirent **parents = NULL, **types;
	int np, nt, i, j, n = 0;
	char path[PATH_MAX], name[128];

	np = scandir(VFD_MDEV_BUS, &parents, NULL, alphasort);
	for (i = 0; i < np; i++) {
		if (parents[i]->d_name[0] == '.')
			goto next_parent;
		vfd_path(path, sizeof(path), VFD_MDEV_BUS "/%s/mdev_supported_types",
			 parents[i]->d_name);
		nt = scandir(path, &types, NULL, alphasort);
		for (j = 0; j < nt; j++) {
			char tdir[PATH_MAX], npath[PATH_MAX + 8];

			if (types[j]->d_name[0] == '.')
				goto next_type;
			if (vfd_path(tdir, sizeof(tdir), "%s/%s", path, types[j]->d_name) ||
			    vfd_path(npath, sizeof(npath), "%s/name", tdir) ||
			    vfd_read_str(npath, name, sizeof(name)))
				name[0] = 0;
			if (n < max && (!strncmp(types[j]->d_name, "vaal", 4) ||
					!strncmp(name, "vaal", 4)))
				snprintf(dirs[n++], PATH_MAX, "%s", tdir);
next_type:
			free(types[j]);
		}
		if (nt >= 0)
			free(types);
next_parent:
		free(parents[i]);
	}
	if (np >= 0)
		free(parents);
	return n;
}

/* An attribute of a type folder: "name", "description", ... */
static inline int vfd_type_attr(const char *type_dir, const char *attr,
				char *buf, size_t len)
{
	char path[PATH_MAX + 64];

	if (vfd_path(path, sizeof(path), "%s/%s", type_dir, attr))
		return -ENAMETOOLONG;
	return vfd_read_str(path, buf, len);
}

static inline long long vfd_type_available(const char *type_dir)
{
	char path[PATH_MAX + 64];

	if (vfd_path(path, sizeof(path), "%s/available_instances", type_dir))
		return -1;
	return vfd_read_ll(path);
}

/* A fresh UUID in @uuid (37 bytes or more). */
static inline int vfd_uuid(char *uuid, size_t len)
{
	return vfd_read_str("/proc/sys/kernel/random/uuid", uuid, len);
}

/* Create a mediated device of @type_dir; its new UUID in @uuid. */
static inline int vfd_mdev_create(const char *type_dir, char *uuid, size_t len)
{
	char path[PATH_MAX + 64];
	int ret = vfd_uuid(uuid, len);

	if (ret)
		return ret;
	if (vfd_path(path, sizeof(path), "%s/create", type_dir))
		return -ENAMETOOLONG;
	return vfd_write_str(path, uuid);
}

/* Remove the mediated device @uuid (blocks while it is open). */
static inline int vfd_mdev_remove(const char *uuid)
{
	char path[PATH_MAX];

	if (vfd_path(path, sizeof(path), VFD_MDEV_DEVICES "/%s/remove", uuid))
		return -ENAMETOOLONG;
	return vfd_write_str(path, "1");
}

static inline bool vfd_mdev_exists(const char *uuid)
{
	char path[PATH_MAX];

	vfd_path(path, sizeof(path), VFD_MDEV_DEVICES "/%s", uuid);
	return !access(path, F_OK);
}

/* The IOMMU group of the mediated device @uuid, or a negative errno. */
static inline int vfd_mdev_group(const char *uuid)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	vfd_path(path, sizeof(path), VFD_MDEV_DEVICES "/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = 0;
	base = strrchr(link, '/');
	return atoi(base ? base + 1 : link);
}

/* --- the device -------------------------------------------------------- */

static inline void vfd_init(struct vfd *d)
{
	memset(d, 0, sizeof(*d));
	d->container = d->group = d->dev = -1;
	d->irq[0] = d->irq[1] = -1;
	d->mem = MAP_FAILED;
}

static inline int vfd_region(struct vfd *d, __u32 index,
			     struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(d->dev, VFIO_DEVICE_GET_REGION_INFO, ri) ? -errno : 0;
}

/*
 * Steps of vfd_open(), returned (negated, below -4095) when one fails so
 * that a test can say which: the errno is in errno.
 */
enum vfd_step {
	VFD_STEP_GROUP = 1,
	VFD_STEP_CONTAINER,
	VFD_STEP_VIABLE,
	VFD_STEP_SET_CONTAINER,
	VFD_STEP_SET_IOMMU,
	VFD_STEP_DEVICE,
	VFD_STEP_REGIONS,
};

static inline
const char *vfd_step_name(int ret)
{
	static const char * const names[] = {
		"", "open the group", "open /dev/vfio/vfio",
		"group not viable", "VFIO_GROUP_SET_CONTAINER",
		"VFIO_SET_IOMMU", "VFIO_GROUP_GET_DEVICE_FD",
		"region info",
	};
	int step = -ret - 4096;

	return step > 0 && step <= VFD_STEP_REGIONS ? names[step] : "?";
}

#define VFD_FAIL(step)	(-4096 - (step))

/**
 * vfd_open - open the mediated device @uuid as QEMU does
 * @d: initialized with vfd_init()
 * @uuid: the device
 * @iommu: VFIO_TYPE1v2_IOMMU or VFIO_TYPE1_IOMMU
 *
 * Return: 0, or VFD_FAIL(step) with errno set.
 */
static inline int vfd_open(struct vfd *d, const char *uuid, int iommu)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info ri;
	char path[64];

	snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
	d->group_id = vfd_mdev_group(uuid);
	if (d->group_id < 0) {
		errno = -d->group_id;
		return VFD_FAIL(VFD_STEP_GROUP);
	}
	vfd_path(path, sizeof(path), "/dev/vfio/%d", d->group_id);
	d->group = open(path, O_RDWR | O_CLOEXEC);
	if (d->group < 0)
		return VFD_FAIL(VFD_STEP_GROUP);
	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0)
		return VFD_FAIL(VFD_STEP_CONTAINER);
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &gs))
		return VFD_FAIL(VFD_STEP_VIABLE);
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EINVAL;
		return VFD_FAIL(VFD_STEP_VIABLE);
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		return VFD_FAIL(VFD_STEP_SET_CONTAINER);
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, iommu) <= 0) {
		errno = ENOTSUP;
		return VFD_FAIL(VFD_STEP_SET_IOMMU);
	}
	if (ioctl(d->container, VFIO_SET_IOMMU, iommu))
		return VFD_FAIL(VFD_STEP_SET_IOMMU);
	d->dev = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (d->dev < 0)
		return VFD_FAIL(VFD_STEP_DEVICE);
	if (vfd_region(d, VFIO_PCI_CONFIG_REGION_INDEX, &ri))
		return VFD_FAIL(VFD_STEP_REGIONS);
	d->cfg_off = ri.offset;
	d->cfg_size = ri.size;
	if (vfd_region(d, VFIO_PCI_BAR0_REGION_INDEX, &ri))
		return VFD_FAIL(VFD_STEP_REGIONS);
	d->bar0_off = ri.offset;
	d->bar0_size = ri.size;
	return 0;
}

/* Close the device, the group and the container; unmap the guest RAM. */
static inline void vfd_close(struct vfd *d)
{
	int i;

	for (i = 0; i < VAAL_PCI_NR_VECTORS; i++) {
		if (d->irq[i] >= 0)
			close(d->irq[i]);
		d->irq[i] = -1;
	}
	if (d->dev >= 0)
		close(d->dev);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->dev = d->group = d->container = -1;
	if (d->mem != MAP_FAILED)
		munmap(d->mem, d->mem_size);
	d->mem = MAP_FAILED;
	d->cmd = NULL;
}

/* --- guest RAM ------------------------------------------------------------- */

static inline int vfd_dma_map(struct vfd *d, void *va, __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};

	return ioctl(d->container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static inline int vfd_dma_unmap(struct vfd *d, __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};

	return ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &u) ? -errno : 0;
}

/**
 * vfd_map_ram - give the device @size bytes of guest RAM at @iova
 * @d: the device, open
 * @size: bytes, whole pages
 * @iova: where the device sees them
 *
 * The first page is the command page.
 *
 * Return: 0 or a negative errno (of mmap() or VFIO_IOMMU_MAP_DMA).
 */
static inline int vfd_map_ram(struct vfd *d, size_t size, __u64 iova)
{
	int ret;

	d->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (d->mem == MAP_FAILED)
		return -errno;
	/* As QEMU does: a fork() must not make the pinned pages copy on write. */
	madvise(d->mem, size, MADV_DONTFORK);
	d->mem_size = size;
	d->iova = iova;
	d->cmd = (struct vaal_pci_cmd *)d->mem;
	d->brk = VFD_PAGE;
	ret = vfd_dma_map(d, d->mem, iova, size);
	if (ret) {
		munmap(d->mem, size);
		d->mem = MAP_FAILED;
		d->cmd = NULL;
	}
	return ret;
}

/* The guest address of @p, inside the guest RAM. */
static inline __u64 vfd_iova(const struct vfd *d, const void *p)
{
	return d->iova + ((const __u8 *)p - d->mem);
}

/* Where guest address @iova is in this process, or NULL outside the RAM. */
static inline void *vfd_va(const struct vfd *d, __u64 iova)
{
	if (iova < d->iova || iova - d->iova >= d->mem_size)
		return NULL;
	return d->mem + (iova - d->iova);
}

/* @n pages of guest RAM, contiguous and zeroed; NULL when it is used up. */
static inline void *vfd_alloc(struct vfd *d, size_t n)
{
	void *p;

	if (n > (d->mem_size - d->brk) / VFD_PAGE)
		return NULL;
	p = d->mem + d->brk;
	memset(p, 0, n * VFD_PAGE);
	d->brk += n * VFD_PAGE;
	return p;
}

/*
 * vfd_list - a page list for the @n page addresses in @pages: list pages
 * taken from the guest RAM, each holding %VAAL_PCI_LIST_ENTRIES - 1 page
 * addresses and the address of the next list page when more follow.
 *
 * Return: the guest address of the first list page, 0 when the RAM is used
 * up (or @n is 0).
 */
static inline __u64 vfd_list(struct vfd *d, const __u64 *pages, size_t n)
{
	size_t per = VAAL_PCI_LIST_ENTRIES - 1, nr_lists, i, k;
	__u64 *lp, first;

	if (!n)
		return 0;
	nr_lists = n <= VAAL_PCI_LIST_ENTRIES ? 1 : (n - 1 + per - 1) / per;
	lp = vfd_alloc(d, nr_lists);
	if (!lp)
		return 0;
	first = vfd_iova(d, lp);
	for (i = 0, k = 0; i < nr_lists; i++) {
		__u64 *l = lp + i * VAAL_PCI_LIST_ENTRIES;
		size_t j;

		for (j = 0; j < per && k < n; j++)
			l[j] = pages[k++];
		if (i + 1 < nr_lists)
			l[per] = vfd_iova(d, lp + (i + 1) * VAAL_PCI_LIST_ENTRIES);
		else if (k < n)
			l[per] = pages[k++];	/* the last list page's last entry */
	}
	return first;
}

/* The guest addresses of @n contiguous pages from @p into @out. */
static inline void vfd_pages_of(const struct vfd *d, const void *p, size_t n,
				__u64 *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = vfd_iova(d, (const __u8 *)p + i * VFD_PAGE);
}

/* --- registers and config space ---------------------------------------- */

/* Raw access to BAR0: what pread/pwrite return. */
static inline ssize_t vfd_bar_rw(struct vfd *d, __u64 off, void *buf,
				 size_t len, bool write)
{
	if (write)
		return pwrite(d->dev, buf, len, d->bar0_off + off);
	return pread(d->dev, buf, len, d->bar0_off + off);
}

/* A register; ~0 when the read fails. */
static inline __u32 vfd_rd(struct vfd *d, __u32 reg)
{
	__u32 v;

	if (pread(d->dev, &v, 4, d->bar0_off + reg) != 4)
		return ~0U;
	return v;
}

static inline int vfd_wr(struct vfd *d, __u32 reg, __u32 v)
{
	return pwrite(d->dev, &v, 4, d->bar0_off + reg) == 4 ? 0 : -errno;
}

static inline __u64 vfd_rd64(struct vfd *d, __u32 reg)
{
	__u64 lo = vfd_rd(d, reg);

	return lo | (__u64)vfd_rd(d, reg + 4) << 32;
}

static inline int vfd_cfg_rd(struct vfd *d, __u32 off, void *buf, size_t len)
{
	return pread(d->dev, buf, len, d->cfg_off + off) == (ssize_t)len ?
	       0 : -errno ?: -EIO;
}

static inline int vfd_cfg_wr(struct vfd *d, __u32 off, const void *buf,
			     size_t len)
{
	return pwrite(d->dev, buf, len, d->cfg_off + off) == (ssize_t)len ?
	       0 : -errno ?: -EIO;
}

static inline __u32 vfd_cfg32(struct vfd *d, __u32 off)
{
	__u32 v = ~0U;

	vfd_cfg_rd(d, off, &v, 4);
	return v;
}

static inline __u16 vfd_cfg16(struct vfd *d, __u32 off)
{
	__u16 v = 0xffff;

	vfd_cfg_rd(d, off, &v, 2);
	return v;
}

static inline __u8 vfd_cfg8(struct vfd *d, __u32 off)
{
	__u8 v = 0xff;

	vfd_cfg_rd(d, off, &v, 1);
	return v;
}

/* Offset of capability @id in config space, 0 when absent. */
static inline __u8 vfd_cfg_cap(struct vfd *d, __u8 id)
{
	__u8 pos;
	int guard = 48;

	if (!(vfd_cfg16(d, 0x06) & 0x10))	/* PCI_STATUS_CAP_LIST */
		return 0;
	pos = vfd_cfg8(d, 0x34) & ~3;
	while (pos >= 0x40 && guard--) {
		if (vfd_cfg8(d, pos) == id)
			return pos;
		pos = vfd_cfg8(d, pos + 1) & ~3;
	}
	return 0;
}

/* --- commands ------------------------------------------------------------ */

/**
 * vfd_cmd_at - run the command at guest address @addr
 * @d: the device
 * @addr: where the command lies
 *
 * Return: %VAAL_PCI_REG_CMD_STATUS after the doorbell (0 or a negative
 * errno), or INT_MIN when a register access failed.
 */
static inline int vfd_cmd_at(struct vfd *d, __u64 addr)
{
	if (vfd_wr(d, VAAL_PCI_REG_CMD_ADDR_LO, (__u32)addr) ||
	    vfd_wr(d, VAAL_PCI_REG_CMD_ADDR_HI, (__u32)(addr >> 32)) ||
	    vfd_wr(d, VAAL_PCI_REG_CMD_DOORBELL, 1))
		return INT_MIN;
	vfd_barrier();
	return (int)vfd_rd(d, VAAL_PCI_REG_CMD_STATUS);
}

/**
 * vfd_cmd - run command @c through the command page
 * @d: the device
 * @c: in: the command; out: what the device wrote back
 *
 * Return: the command's status (0 or a negative errno), INT_MIN when a
 * register access failed, INT_MIN + 1 when the status in the command and
 * the status register disagree.
 */
static inline int vfd_cmd(struct vfd *d, struct vaal_pci_cmd *c)
{
	int st;

	memcpy(d->cmd, c, sizeof(*c));
	/* The device writes it back: a value it must overwrite. */
	__atomic_store_n(&d->cmd->status, 0x7eadbeef, __ATOMIC_RELAXED);
	st = vfd_cmd_at(d, vfd_iova(d, d->cmd));
	if (st == INT_MIN)
		return st;
	memcpy(c, d->cmd, sizeof(*c));
	return c->status == st ? st : INT_MIN + 1;
}

static inline void vfd_cmd_init(struct vaal_pci_cmd *c, __u32 opcode, __u32 ctx)
{
	memset(c, 0, sizeof(*c));
	c->opcode = opcode;
	c->ctx = ctx;
}

/* Open a context; its slot in @slot, its host id in @id (may be NULL). */
static inline int vfd_ctx_create(struct vfd *d, __u32 flags, __u32 *slot,
				 __u64 *id)
{
	struct vaal_pci_cmd c;
	int ret;

	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_CREATE, 0);
	c.u.ctx_create.flags = flags;
	ret = vfd_cmd(d, &c);
	if (!ret) {
		*slot = c.u.ctx_create.slot;
		if (id)
			*id = c.u.ctx_create.id;
	}
	return ret;
}

static inline int vfd_ctx_destroy(struct vfd *d, __u32 slot)
{
	struct vaal_pci_cmd c;

	vfd_cmd_init(&c, VAAL_PCI_CMD_CTX_DESTROY, slot);
	return vfd_cmd(d, &c);
}

static inline int vfd_query(struct vfd *d, __u32 slot, struct vaal_query *q)
{
	struct vaal_pci_cmd c;
	int ret;

	vfd_cmd_init(&c, VAAL_PCI_CMD_QUERY, slot);
	c.u.query.size = sizeof(struct vaal_query);
	ret = vfd_cmd(d, &c);
	if (!ret)
		memcpy(q, &c.u.query, sizeof(*q));
	return ret;
}

/**
 * vfd_buf_create_pages - a buffer of @len bytes in the pages @pages
 * @d: the device
 * @slot: the context
 * @len: bytes
 * @pages: DIV_ROUND_UP(@len, 4096) guest page addresses
 * @handle: out: its handle
 *
 * Return: the command's status, or -ENOMEM when the guest RAM has no room
 * for the list.
 */
static inline int vfd_buf_create_pages(struct vfd *d, __u32 slot, __u64 len,
				       const __u64 *pages, __u32 *handle)
{
	size_t n = (len + VFD_PAGE - 1) / VFD_PAGE;
	struct vaal_pci_cmd c;
	int ret;

	vfd_cmd_init(&c, VAAL_PCI_CMD_BUF_CREATE, slot);
	c.u.buf_create.req.size = sizeof(struct vaal_buf_create);
	c.u.buf_create.req.length = len;
	c.u.buf_create.pages = vfd_list(d, pages, n);
	c.u.buf_create.nr_pages = n;
	if (!c.u.buf_create.pages)
		return -ENOMEM;
	ret = vfd_cmd(d, &c);
	if (!ret)
		*handle = c.u.buf_create.req.handle;
	return ret;
}

/*
 * A buffer of @len bytes in fresh contiguous guest pages; where they are
 * in @map (may be NULL).
 */
static inline int vfd_buf_create(struct vfd *d, __u32 slot, __u64 len,
				 __u32 *handle, void **map)
{
	size_t n = (len + VFD_PAGE - 1) / VFD_PAGE;
	__u64 *pages = calloc(n ?: 1, sizeof(*pages));
	void *p = vfd_alloc(d, n);
	int ret;

	if (!pages || !p) {
		free(pages);
		return -ENOMEM;
	}
	vfd_pages_of(d, p, n, pages);
	ret = vfd_buf_create_pages(d, slot, len, pages, handle);
	free(pages);
	if (map)
		*map = p;
	return ret;
}

static inline int vfd_buf_destroy(struct vfd *d, __u32 slot, __u32 handle)
{
	struct vaal_pci_cmd c;

	vfd_cmd_init(&c, VAAL_PCI_CMD_BUF_DESTROY, slot);
	c.u.buf_destroy.size = sizeof(struct vaal_buf_destroy);
	c.u.buf_destroy.handle = handle;
	return vfd_cmd(d, &c);
}

/* Register a built-in kernel (no blob); its id in @id. */
static inline int vfd_kernel_register(struct vfd *d, __u32 slot,
				      const char *class, const char *name,
				      const __u8 *modes, unsigned int nr_args,
				      unsigned int scalar_bytes, __u32 *id)
{
	struct vaal_kernel_register *k;
	struct vaal_pci_cmd c;
	int ret;

	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_REGISTER, slot);
	k = &c.u.kernel_register.req;
	k->size = sizeof(*k);
	snprintf(k->class, sizeof(k->class), "%s", class);
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->nr_args = nr_args;
	k->scalar_bytes = scalar_bytes;
	if (nr_args)
		memcpy(k->arg_mode, modes, nr_args);
	ret = vfd_cmd(d, &c);
	if (!ret)
		*id = k->id;
	return ret;
}

static inline int vfd_kernel_unregister(struct vfd *d, __u32 slot, __u32 id)
{
	struct vaal_pci_cmd c;

	vfd_cmd_init(&c, VAAL_PCI_CMD_KERNEL_UNREGISTER, slot);
	c.u.kernel_unregister.size = sizeof(struct vaal_kernel_unregister);
	c.u.kernel_unregister.id = id;
	return vfd_cmd(d, &c);
}

static inline int vfd_stats(struct vfd *d, __u32 slot, struct vaal_pci_stats *st)
{
	struct vaal_pci_cmd c;
	int ret;

	vfd_cmd_init(&c, VAAL_PCI_CMD_STATS, slot);
	ret = vfd_cmd(d, &c);
	if (!ret)
		*st = c.u.stats;
	return ret;
}

/* --- rings ------------------------------------------------------------------ */

/* Point libvaal's ring at rings set up in guest memory at @map. */
static inline void vfd_ring_map(struct vaal_ring *r, const struct vaal_setup *p,
				void *map)
{
	const struct vaal_ring_offsets *so = &p->sq_off, *co = &p->cq_off;
	char *m = map;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->flags = p->flags;
	r->max_inflight = p->max_inflight;
	r->map = map;
	r->map_bytes = p->ring_bytes;
	r->sq_head = (__u32 *)(m + so->head);
	r->sq_tail = (__u32 *)(m + so->tail);
	r->sq_dropped = (__u32 *)(m + so->overflow);
	r->sqes = (struct vaal_sqe *)(m + so->array);
	r->sq_entries = p->sq_entries;
	r->sq_mask = p->sq_entries - 1;
	r->sq_local_tail = __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED);
	r->cq_head = (__u32 *)(m + co->head);
	r->cq_tail = (__u32 *)(m + co->tail);
	r->cq_overflow = (__u32 *)(m + co->overflow);
	r->cqes = (struct vaal_cqe *)(m + co->array);
	r->cq_entries = p->cq_entries;
	r->cq_mask = p->cq_entries - 1;
}

/* Whether the offsets of a set up fit its ring bytes. */
static inline bool vfd_setup_sane(const struct vaal_setup *p)
{
	const struct vaal_ring_offsets *so = &p->sq_off, *co = &p->cq_off;
	__u64 n = p->ring_bytes;

	return n && !(n % VFD_PAGE) && p->sq_entries &&
	       !(p->sq_entries & (p->sq_entries - 1)) && p->cq_entries &&
	       !(p->cq_entries & (p->cq_entries - 1)) &&
	       so->entries == p->sq_entries && co->entries == p->cq_entries &&
	       so->head + 4 <= n && so->tail + 4 <= n && co->head + 4 <= n &&
	       co->tail + 4 <= n && so->overflow + 4 <= n &&
	       co->overflow + 4 <= n && !(so->array % 8) && !(co->array % 8) &&
	       so->array + (__u64)p->sq_entries * sizeof(struct vaal_sqe) <= n &&
	       co->array + (__u64)p->cq_entries * sizeof(struct vaal_cqe) <= n;
}

/**
 * vfd_setup - set the rings of context @slot up in fresh guest pages, the
 *	way a driver learns their size: a first try with no pages gets
 *	-ENOSPC and ring_bytes, the second gives that many pages
 * @d: the device
 * @slot: the context
 * @p: in: sq_entries, cq_entries, flags; out: as %VAAL_IOC_SETUP fills it
 * @r: out: libvaal's view of the rings, in guest memory
 *
 * Return: 0, the first try's status when it is not -ENOSPC (or -EPROTO
 * when it succeeded), or the second's.
 */
static inline int vfd_setup(struct vfd *d, __u32 slot, struct vaal_setup *p,
			    struct vaal_ring *r)
{
	struct vaal_pci_cmd c;
	size_t n;
	__u64 *pages;
	void *map;
	int ret;

	p->size = sizeof(*p);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req = *p;
	c.u.setup.pages = 0;
	c.u.setup.nr_pages = 0;
	ret = vfd_cmd(d, &c);
	if (ret != -ENOSPC)
		return ret ?: -EPROTO;
	n = c.u.setup.req.ring_bytes / VFD_PAGE;
	if (!n || c.u.setup.req.ring_bytes % VFD_PAGE)
		return -EPROTO;
	map = vfd_alloc(d, n);
	pages = calloc(n, sizeof(*pages));
	if (!map || !pages) {
		free(pages);
		return -ENOMEM;
	}
	/* Dirty, to see the device zero them. */
	memset(map, 0xa5, n * VFD_PAGE);
	vfd_pages_of(d, map, n, pages);
	vfd_cmd_init(&c, VAAL_PCI_CMD_SETUP, slot);
	c.u.setup.req = *p;
	c.u.setup.pages = vfd_list(d, pages, n);
	c.u.setup.nr_pages = n;
	free(pages);
	ret = vfd_cmd(d, &c);
	if (ret)
		return ret;
	*p = c.u.setup.req;
	if (!vfd_setup_sane(p) || p->ring_bytes != n * VFD_PAGE)
		return -EPROTO;
	vfd_ring_map(r, p, map);
	return 0;
}

/*
 * Publish what is queued in @r and ring context @slot's doorbell.
 * Return: %VAAL_PCI_REG_DB_RESULT (submissions consumed, or a negative
 * errno), or INT_MIN when a register access failed.
 */
static inline int vfd_submit(struct vfd *d, __u32 slot, struct vaal_ring *r)
{
	__u32 n;

	__atomic_store_n(r->sq_tail, r->sq_local_tail, __ATOMIC_RELEASE);
	n = vaal_sq_pending(r);
	if (vfd_wr(d, VAAL_PCI_REG_DOORBELL(slot), n & VAAL_PCI_DB_COUNT_MASK))
		return INT_MIN;
	return (int)vfd_rd(d, VAAL_PCI_REG_DB_RESULT(slot));
}

static inline __u64 vfd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Poll the completion ring of @r until @n completions are in it, at most
 * @ms milliseconds (sleeping a little between looks after the first
 * millisecond).  Return: completions ready.
 */
static inline unsigned int vfd_poll_cq(struct vaal_ring *r, unsigned int n,
				       unsigned int ms)
{
	__u64 end = vfd_now_ns() + ms * 1000000ULL, spin = vfd_now_ns() + 1000000;
	unsigned int ready;

	while ((ready = vaal_cq_ready(r)) < n) {
		__u64 now = vfd_now_ns();

		if (now > end)
			break;
		if (now > spin)
			usleep(200);
	}
	return ready;
}

/* --- interrupts ------------------------------------------------------------ */

/* Put an eventfd on each MSI-X vector (VFIO_DEVICE_SET_IRQS). */
static inline int vfd_irq_enable(struct vfd *d)
{
	char buf[sizeof(struct vfio_irq_set) + VAAL_PCI_NR_VECTORS * sizeof(int)];
	struct vfio_irq_set *s = (struct vfio_irq_set *)buf;
	int i;

	for (i = 0; i < VAAL_PCI_NR_VECTORS; i++) {
		if (d->irq[i] < 0)
			d->irq[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->irq[i] < 0)
			return -errno;
	}
	s->argsz = sizeof(buf);
	s->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	s->index = VFIO_PCI_MSIX_IRQ_INDEX;
	s->start = 0;
	s->count = VAAL_PCI_NR_VECTORS;
	memcpy(s->data, d->irq, VAAL_PCI_NR_VECTORS * sizeof(int));
	return ioctl(d->dev, VFIO_DEVICE_SET_IRQS, s) ? -errno : 0;
}

/* Take the eventfds off the MSI-X vectors (the fds stay open). */
static inline int vfd_irq_disable(struct vfd *d)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
		.start = 0,
		.count = 0,
	};

	return ioctl(d->dev, VFIO_DEVICE_SET_IRQS, &s) ? -errno : 0;
}

/*
 * Wait up to @ms for vector @vec's eventfd; the count it held (0 when it
 * did not fire).
 */
static inline __u64 vfd_irq_wait(struct vfd *d, int vec, int ms)
{
	struct pollfd pfd = { .fd = d->irq[vec], .events = POLLIN };
	__u64 v = 0;

	if (d->irq[vec] < 0 || poll(&pfd, 1, ms) != 1)
		return 0;
	if (read(d->irq[vec], &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* --- the whole bring-up ------------------------------------------------------ */

/*
 * Open @uuid, give it @mem_size bytes of RAM at %VFD_IOVA_BASE, and set
 * DRIVER_OK.  Return: 0, VFD_FAIL(step) with errno, or a negative errno.
 */
static inline int vfd_start(struct vfd *d, const char *uuid, size_t mem_size)
{
	int ret = vfd_open(d, uuid, VFIO_TYPE1v2_IOMMU);

	if (ret)
		return ret;
	ret = vfd_map_ram(d, mem_size, VFD_IOVA_BASE);
	if (ret)
		return ret;
	if (vfd_rd(d, VAAL_PCI_REG_MAGIC) != VAAL_PCI_MAGIC)
		return -ENODEV;
	return vfd_wr(d, VAAL_PCI_REG_STATUS, VAAL_PCI_STATUS_DRIVER_OK);
}

#endif /* _VCORE_VFIO_DRV_H */
