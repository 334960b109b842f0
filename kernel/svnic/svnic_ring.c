// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_ring.c - the device side of a split virtqueue, every address
 * translated through a VIF's IOTLB (the software IOMMU) and checked
 *
 * Every function here is called with the rings held (svnic_rings_lock():
 * the VIF's lock and its IOMMU's, so that the IOTLB cannot change under a
 * burst of accesses).
 *
 * A chain is walked with no trust in the driver: a descriptor whose index,
 * flags or length is wrong, a loop, a readable descriptor after a writable
 * one, or a range the IOTLB does not map with the needed permission makes
 * the chain malformed; it is handed back unused and counted.  An avail
 * index that runs ahead of the ring by more than its size breaks the queue
 * until the device is reset.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/virtio_byteorder.h>
#include <linux/virtio_ring.h>

#include "svnic.h"

/**
 * svnic_mmu_reset - empty a VIF's IOTLB; what the rings cached of it is
 *	stale from now on
 * @mmu: the IOMMU, its lock held (or not yet shared)
 */
void svnic_mmu_reset(struct svnic_mmu *mmu)
{
	vhost_iotlb_reset(mmu->iotlb);
	mmu->gen++;
}

/**
 * svnic_mmu_swap - put another IOTLB in place; what the rings cached of
 *	the old one is stale from now on
 * @mmu: the IOMMU, its lock held
 * @iotlb: the new IOTLB
 *
 * Return: the old one, for the caller to free once it let go of the lock.
 */
struct vhost_iotlb *svnic_mmu_swap(struct svnic_mmu *mmu,
				   struct vhost_iotlb *iotlb)
{
	struct vhost_iotlb *old = mmu->iotlb;

	mmu->iotlb = iotlb;
	mmu->gen++;
	return old;
}

/*
 * The map that holds @iova with @perm: the ring's last one while the IOTLB
 * has not changed, else looked up (and kept).  NULL when there is none.
 * Under the IOMMU's lock.
 */
static const struct svnic_xlat *svnic_xlat(struct svnic_ring *r, u64 iova,
					   u32 perm)
{
	struct svnic_xlat *x = &r->xlat;
	struct vhost_iotlb_map *map;

	lockdep_assert_held(&r->mmu->lock);
	if (likely(x->gen == r->mmu->gen && iova >= x->start &&
		   iova <= x->last && (x->perm & perm)))
		return x;
	map = vhost_iotlb_itree_first(r->mmu->iotlb, iova, iova);
	if (!map || !(map->perm & perm))
		return NULL;
	*x = (struct svnic_xlat){
		.start = map->start,
		.last = map->last,
		.addr = map->addr,
		.perm = map->perm,
		.gen = r->mmu->gen,
	};
	return x;
}

/*
 * The page that IOVA @iova is on, with @perm, and the physical address of
 * @iova through @pa; NULL when it does not translate to RAM.  @len: bytes
 * wanted from @iova on, cut to what the map holds.  Under the lock.
 */
static struct page *svnic_iova_page(struct svnic_ring *r, u64 iova,
				    size_t *len, u32 perm, phys_addr_t *pa)
{
	const struct svnic_xlat *x = svnic_xlat(r, iova, perm);

	if (!x)
		return NULL;
	*pa = x->addr + (iova - x->start);
	*len = min_t(u64, *len, x->last - iova + 1);
	*len = min_t(size_t, *len, PAGE_SIZE - offset_in_page(*pa));
	if (!pfn_valid(PHYS_PFN(*pa)))
		return NULL;
	return pfn_to_page(PHYS_PFN(*pa));
}

/* Copy @len bytes between @buf and IOVA @iova, @write: to the IOVA. */
static int svnic_iova_copy(struct svnic_ring *r, u64 iova, void *buf,
			   size_t len, bool write)
{
	u32 perm = write ? VHOST_MAP_WO : VHOST_MAP_RO;
	struct page *page;
	phys_addr_t pa;
	size_t part;
	void *va;

	if (len && iova + len - 1 < iova)
		return -EFAULT;
	while (len) {
		part = len;
		page = svnic_iova_page(r, iova, &part, perm, &pa);
		if (!page)
			return -EFAULT;
		va = kmap_local_page(page) + offset_in_page(pa);
		if (write)
			memcpy(va, buf, part);
		else
			memcpy(buf, va, part);
		kunmap_local(va);
		iova += part;
		buf += part;
		len -= part;
	}
	return 0;
}

static int svnic_ring_read(struct svnic_ring *r, u64 iova, void *buf,
			   size_t len)
{
	return svnic_iova_copy(r, iova, buf, len, false);
}

static int svnic_ring_write(struct svnic_ring *r, u64 iova, const void *buf,
			    size_t len)
{
	return svnic_iova_copy(r, iova, (void *)buf, len, true);
}

/*
 * A ring's 16-bit field (an index, flags, an avail entry) at @iova, read
 * into @val or written from it in one access, as the other side may read
 * or write it at the same time: a copy may tear it.  Its alignment keeps it
 * on one page.  Return: 0, or -EFAULT when it does not translate.
 */
static int svnic_ring_access16(struct svnic_ring *r, u64 iova, u16 *val,
			       bool write)
{
	size_t len = sizeof(__virtio16);
	__virtio16 *p;
	struct page *page;
	phys_addr_t pa;

	if (iova & (sizeof(__virtio16) - 1))
		return -EFAULT;
	page = svnic_iova_page(r, iova, &len,
			       write ? VHOST_MAP_WO : VHOST_MAP_RO, &pa);
	if (!page || len != sizeof(__virtio16))
		return -EFAULT;
	p = kmap_local_page(page) + offset_in_page(pa);
	if (write)
		WRITE_ONCE(*p, __cpu_to_virtio16(true, *val));
	else
		*val = __virtio16_to_cpu(true, READ_ONCE(*p));
	kunmap_local(p);
	return 0;
}

static int svnic_ring_read16(struct svnic_ring *r, u64 iova, u16 *val)
{
	return svnic_ring_access16(r, iova, val, false);
}

static int svnic_ring_write16(struct svnic_ring *r, u64 iova, u16 val)
{
	return svnic_ring_access16(r, iova, &val, true);
}

/**
 * svnic_ring_init - start the device side of a ring
 * @r: the ring
 * @mmu: the VIF's IOMMU
 * @num: entries, a power of two up to %SVNIC_QUEUE_MAX
 * @desc: descriptor area IOVA
 * @avail: driver area IOVA
 * @used: device area IOVA
 * @last: index to start from (the queue's saved state)
 */
void svnic_ring_init(struct svnic_ring *r, struct svnic_mmu *mmu, u32 num,
		     u64 desc, u64 avail, u64 used, u16 last)
{
	r->mmu = mmu;
	/* Nothing cached: no generation is one below the current one yet. */
	r->xlat.gen = READ_ONCE(mmu->gen) - 1;
	r->num = num;
	r->desc = desc;
	r->avail = avail;
	r->used = used;
	r->last_avail = last;
	r->avail_idx = last;
	r->last_used = last;
	r->used_idx = last;
	r->kicks = true;	/* the used ring's flags start at 0 */
	/* The alignments of the split ring's areas (virtio 1.1, 2.7). */
	r->broken = !num || num > SVNIC_QUEUE_MAX || !is_power_of_2(num) ||
		    !IS_ALIGNED(desc, 16) || !IS_ALIGNED(avail, 2) ||
		    !IS_ALIGNED(used, 4);
}

/**
 * svnic_ring_pending - entries the driver made available and the device
 *	has not taken
 * @r: the ring
 *
 * Return: their number, or -EIO when the ring is broken.
 */
int svnic_ring_pending(struct svnic_ring *r)
{
	u16 idx, n;

	if (r->broken)
		return -EIO;
	if (svnic_ring_read16(r, r->avail + offsetof(struct vring_avail, idx),
			      &idx))
		goto out_broken;
	n = idx - r->last_avail;
	if (n > r->num)
		goto out_broken;
	r->avail_idx = idx;
	/* The entries and descriptors are read after the index. */
	smp_rmb();
	return n;

out_broken:
	r->broken = true;
	return -EIO;
}

/* Add descriptor @d to @c, checking it; 0 or -EINVAL. */
static int svnic_chain_add(struct svnic_chain *c, const struct vring_desc *d)
{
	u16 flags = __virtio16_to_cpu(true, d->flags);
	u32 len = __virtio32_to_cpu(true, d->len);
	bool write = flags & VRING_DESC_F_WRITE;

	if (flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE) || !len ||
	    c->nr == SVNIC_MAX_SEGS || (!write && c->wlen))
		return -EINVAL;
	c->seg[c->nr].addr = __virtio64_to_cpu(true, d->addr);
	c->seg[c->nr].len = len;
	c->seg[c->nr].write = write;
	c->nr++;
	if (write)
		c->wlen += len;
	else
		c->rlen += len;
	return 0;
}

/**
 * svnic_ring_pop - take the next chain the driver made available
 * @r: the ring
 * @c: filled with the chain's head and segments
 *
 * Return: 1 with a well-formed chain; 0 when none is available; -EINVAL
 * when the chain is malformed (@c->head is set: hand it back with
 * svnic_ring_push()); -EIO when the ring is broken.
 */
int svnic_ring_pop(struct svnic_ring *r, struct svnic_chain *c)
{
	struct vring_desc d;
	unsigned int hops;
	u16 i, head;
	int n;

	/* The driver's index is read again only once what it showed is taken. */
	n = (u16)(r->avail_idx - r->last_avail);
	if (!n)
		n = svnic_ring_pending(r);
	if (n <= 0)
		return n;
	if (svnic_ring_read16(r, r->avail + offsetof(struct vring_avail, ring) +
			      (r->last_avail & (r->num - 1)) * sizeof(__virtio16),
			      &head))
		goto out_broken;
	r->last_avail++;
	c->head = head;
	c->nr = 0;
	c->rlen = 0;
	c->wlen = 0;
	if (c->head >= r->num)
		goto out_broken;
	for (i = c->head, hops = 0; ; hops++) {
		/* More hops than entries: a loop. */
		if (hops == r->num ||
		    svnic_ring_read(r, r->desc + (u64)i * sizeof(d), &d,
				    sizeof(d)) ||
		    svnic_chain_add(c, &d))
			return -EINVAL;
		if (!(__virtio16_to_cpu(true, d.flags) & VRING_DESC_F_NEXT))
			return 1;
		i = __virtio16_to_cpu(true, d.next);
		if (i >= r->num)
			return -EINVAL;
	}

out_broken:
	r->broken = true;
	return -EIO;
}

/**
 * svnic_ring_push - hand a chain back to the driver as used; the driver
 *	sees it at the next svnic_ring_publish()
 * @r: the ring
 * @head: the chain's head
 * @len: bytes written into it
 *
 * Return: 0, or -EIO when the used ring does not translate (it breaks).
 */
int svnic_ring_push(struct svnic_ring *r, u16 head, u32 len)
{
	struct vring_used_elem e = {
		.id = __cpu_to_virtio32(true, head),
		.len = __cpu_to_virtio32(true, len),
	};

	if (r->broken)
		return -EIO;
	if (svnic_ring_write(r, r->used + offsetof(struct vring_used, ring) +
			     (r->last_used & (r->num - 1)) * sizeof(e),
			     &e, sizeof(e))) {
		r->broken = true;
		return -EIO;
	}
	r->last_used++;
	return 0;
}

/**
 * svnic_ring_publish - show the driver the chains pushed since the last
 *	time: one write of the used index for a burst
 * @r: the ring
 */
void svnic_ring_publish(struct svnic_ring *r)
{
	if (r->broken || r->last_used == r->used_idx)
		return;
	/* The entries are visible before the index that publishes them. */
	smp_wmb();
	if (svnic_ring_write16(r, r->used + offsetof(struct vring_used, idx),
			       r->last_used)) {
		r->broken = true;
		return;
	}
	r->used_idx = r->last_used;
}

/**
 * svnic_ring_set_kicks - whether the driver should kick the device when it
 *	makes buffers available (%VRING_USED_F_NO_NOTIFY): not while the
 *	sidecore polls the ring anyway
 * @r: the ring
 * @on: kicks wanted
 *
 * Return: with @on, whether buffers are already waiting (they came before
 * the driver could see the flag: no kick comes for them); else false.
 */
bool svnic_ring_set_kicks(struct svnic_ring *r, bool on)
{
	if (r->broken || r->kicks == on)
		return false;
	/* A map not set up yet is no fault of the driver's: try again later. */
	if (svnic_ring_write16(r, r->used + offsetof(struct vring_used, flags),
			       on ? 0 : VRING_USED_F_NO_NOTIFY))
		return false;
	r->kicks = on;
	if (!on)
		return false;
	/* The flag is visible before the look at the avail index. */
	smp_mb();
	return svnic_ring_pending(r) > 0;
}

/**
 * svnic_ring_want_irq - does the driver want to hear of used buffers?
 * @r: the ring
 *
 * Return: false when it set %VRING_AVAIL_F_NO_INTERRUPT.
 */
bool svnic_ring_want_irq(struct svnic_ring *r)
{
	u16 flags;

	/* Orders the used index written before the flags read. */
	smp_mb();
	if (svnic_ring_read16(r, r->avail + offsetof(struct vring_avail, flags),
			      &flags))
		return true;
	return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
}

/**
 * svnic_chain_read - copy some of a chain's readable bytes out
 * @r: the ring
 * @c: the chain
 * @off: the first byte's offset in the chain's readable bytes
 * @buf: where to
 * @len: how many; @off + @len within the readable bytes
 *
 * Return: 0, -EINVAL when the chain is shorter, -EFAULT when a range does
 * not translate.
 */
int svnic_chain_read(struct svnic_ring *r, const struct svnic_chain *c,
		     size_t off, void *buf, size_t len)
{
	size_t part, done = 0;
	unsigned int i;

	if (off > c->rlen || len > c->rlen - off)
		return -EINVAL;
	for (i = 0; i < c->nr && !c->seg[i].write && done < len; i++) {
		if (off >= c->seg[i].len) {
			off -= c->seg[i].len;
			continue;
		}
		part = min_t(size_t, c->seg[i].len - off, len - done);
		if (svnic_ring_read(r, c->seg[i].addr + off, buf + done, part))
			return -EFAULT;
		done += part;
		off = 0;
	}
	return 0;
}

/**
 * svnic_chain_pull - copy a chain's readable bytes out
 * @r: the ring
 * @c: the chain
 * @buf: where to
 * @len: room at @buf
 *
 * Return: bytes copied (all of them), -EMSGSIZE when they do not fit,
 * -EFAULT when a range does not translate.
 */
ssize_t svnic_chain_pull(struct svnic_ring *r, const struct svnic_chain *c,
			 void *buf, size_t len)
{
	int ret;

	if (c->rlen > len)
		return -EMSGSIZE;
	ret = svnic_chain_read(r, c, 0, buf, c->rlen);
	return ret ? ret : c->rlen;
}

/**
 * svnic_ring_unpop - give back the last @n chains taken, not pushed yet
 * @r: the ring
 * @n: how many
 */
void svnic_ring_unpop(struct svnic_ring *r, u16 n)
{
	r->last_avail -= n;
}

/**
 * svnic_chain_fill - write bytes of a source into a chain's writable
 *	segments, straight from the source to the driver's pages
 * @r: the ring
 * @c: the chain
 * @fill: copies @len bytes of the source, from its byte @off on, to @to
 *	(0 or an errno)
 * @arg: @fill's argument
 * @off: the source's first byte to write
 * @len: how many
 *
 * Return: @len, -ENOSPC when the chain is too small, -EFAULT when a range
 * does not translate, or @fill's errno.
 */
ssize_t svnic_chain_fill(struct svnic_ring *r, const struct svnic_chain *c,
			 svnic_fill_t fill, void *arg, size_t off, size_t len)
{
	size_t done = 0, left, part;
	struct page *page;
	unsigned int i;
	phys_addr_t pa;
	u64 iova;
	void *va;
	int ret;

	if (c->wlen < len)
		return -ENOSPC;
	for (i = 0; i < c->nr && done < len; i++) {
		if (!c->seg[i].write)
			continue;
		iova = c->seg[i].addr;
		left = min_t(size_t, len - done, c->seg[i].len);
		if (iova + left - 1 < iova)
			return -EFAULT;
		for (; left; left -= part, iova += part, done += part) {
			part = left;
			page = svnic_iova_page(r, iova, &part, VHOST_MAP_WO, &pa);
			if (!page)
				return -EFAULT;
			va = kmap_local_page(page) + offset_in_page(pa);
			ret = fill(arg, off + done, va, part);
			kunmap_local(va);
			if (ret)
				return ret;
		}
	}
	return done;
}

static int svnic_fill_linear(void *arg, size_t off, void *to, size_t len)
{
	memcpy(to, (const u8 *)arg + off, len);
	return 0;
}

/**
 * svnic_chain_push - copy bytes into a chain's writable segments
 * @r: the ring
 * @c: the chain
 * @buf: the bytes
 * @len: how many
 *
 * Return: @len, -ENOSPC when the chain is too small, -EFAULT.
 */
ssize_t svnic_chain_push(struct svnic_ring *r, const struct svnic_chain *c,
			 const void *buf, size_t len)
{
	return svnic_chain_fill(r, c, svnic_fill_linear, (void *)buf, 0, len);
}
