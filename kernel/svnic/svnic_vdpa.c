// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_vdpa.c - a VIF as a vDPA device: the virtio-net device that
 * virtio_vdpa and vhost_vdpa drive, and its creation through an NP's vDPA
 * management device ("vdpa dev add name vif0 mgmtdev svnic-np0 mac ...")
 *
 * Every address the driver gives is an IOVA, translated through the VIF's
 * IOTLB (the software IOMMU): an identity map for virtio_vdpa, the user's
 * map for vhost_vdpa.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <uapi/linux/vdpa.h>

#include "svnic.h"

/*
 * Entries of a VIF's IOTLB: no bound of svnic's own.  A user's map has an
 * entry per run of pages that vhost_vdpa pinned for it (charged to its
 * RLIMIT_MEMLOCK), and vhost_vdpa bounds their number (its
 * max_iotlb_entries); a bound here would refuse the larger guests an admin
 * allows for there.
 */
#define SVNIC_IOTLB_MAX		UINT_MAX

#define SVNIC_VENDOR_ID		0x1af4	/* virtio's: a standard device */

static u64 svnic_supported_features(void)
{
	return BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |
	       BIT_ULL(VIRTIO_NET_F_MAC) | BIT_ULL(VIRTIO_NET_F_MTU) |
	       BIT_ULL(VIRTIO_NET_F_STATUS) | BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |
	       BIT_ULL(VIRTIO_NET_F_CTRL_RX) |
	       BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR) |
	       BIT_ULL(VIRTIO_NET_F_CSUM) | BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |
	       BIT_ULL(VIRTIO_NET_F_HOST_TSO4) | BIT_ULL(VIRTIO_NET_F_HOST_TSO6) |
	       BIT_ULL(VIRTIO_NET_F_HOST_ECN) | BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |
	       BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) | BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |
	       BIT_ULL(VIRTIO_NET_F_GUEST_ECN);
}

/*
 * The map a VIF has without one from its driver.  virtio_vdpa, a kernel
 * driver whose DMA addresses are physical, gets the whole physical address
 * space; any other driver (vhost_vdpa: user space) gets nothing until it
 * maps memory, and its map then holds across device resets, so that no
 * address user space gives ever reaches memory it did not map.
 */
static int svnic_iotlb_default(struct svnic_vif *vif)
{
	struct device_driver *drv = READ_ONCE(vif->vdpa.dev.driver);

	if (!drv || strcmp(drv->name, "virtio_vdpa")) {
		if (!vif->user_map)
			svnic_mmu_reset(&vif->mmu);
		return 0;
	}
	vif->user_map = false;
	svnic_mmu_reset(&vif->mmu);
	return vhost_iotlb_add_range(vif->mmu.iotlb, 0, ULONG_MAX, 0,
				     VHOST_MAP_RW);
}

/* Start the ring of @vq, keeping its position (set_vq_state). */
static void svnic_vq_start(struct svnic_vif *vif, struct svnic_vq *vq)
{
	svnic_ring_init(&vq->ring, &vif->mmu, vq->num,
			vq->desc_addr, vq->driver_addr, vq->device_addr,
			vq->ring.last_avail);
}

static void svnic_vq_reset(struct svnic_vq *vq)
{
	vq->ready = false;
	vq->desc_addr = 0;
	vq->driver_addr = 0;
	vq->device_addr = 0;
	vq->num = 0;
	vq->cb = NULL;
	vq->cb_private = NULL;
	vq->notify = false;
	vq->ring.last_avail = 0;
	vq->ring.last_used = 0;
	vq->ring.broken = false;
}

static int svnic_set_vq_address(struct vdpa_device *vdpa, u16 idx,
				u64 desc_area, u64 driver_area, u64 device_area)
{
	struct svnic_vq *vq = &vdpa_to_vif(vdpa)->vqs[idx];

	vq->desc_addr = desc_area;
	vq->driver_addr = driver_area;
	vq->device_addr = device_area;
	return 0;
}

static void svnic_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
	vdpa_to_vif(vdpa)->vqs[idx].num = num;
}

static void svnic_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
	svnic_np_kick(vdpa_to_vif(vdpa)->np);
}

static void svnic_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
			    struct vdpa_callback *cb)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	spin_lock_bh(&vif->lock);
	vif->vqs[idx].cb = cb->callback;
	vif->vqs[idx].cb_private = cb->private;
	spin_unlock_bh(&vif->lock);
}

static void svnic_set_vq_ready(struct vdpa_device *vdpa, u16 idx, bool ready)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);
	struct svnic_vq *vq = &vif->vqs[idx];

	spin_lock_bh(&vif->lock);
	if (ready && !vq->ready)
		svnic_vq_start(vif, vq);
	vq->ready = ready;
	spin_unlock_bh(&vif->lock);
	if (ready)
		svnic_np_kick(vif->np);
}

static bool svnic_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	return vdpa_to_vif(vdpa)->vqs[idx].ready;
}

static int svnic_set_vq_state(struct vdpa_device *vdpa, u16 idx,
			      const struct vdpa_vq_state *state)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	spin_lock_bh(&vif->lock);
	vif->vqs[idx].ring.last_avail = state->split.avail_index;
	/* Nothing is known to be available from there. */
	vif->vqs[idx].ring.avail_idx = state->split.avail_index;
	spin_unlock_bh(&vif->lock);
	return 0;
}

static int svnic_get_vq_state(struct vdpa_device *vdpa, u16 idx,
			      struct vdpa_vq_state *state)
{
	state->split.avail_index = vdpa_to_vif(vdpa)->vqs[idx].ring.last_avail;
	return 0;
}

static u32 svnic_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u64 svnic_get_device_features(struct vdpa_device *vdpa)
{
	return svnic_supported_features();
}

static int svnic_set_driver_features(struct vdpa_device *vdpa, u64 features)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	/* Modern little-endian devices only, behind the IOTLB. */
	if (!(features & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)) ||
	    !(features & BIT_ULL(VIRTIO_F_VERSION_1)))
		return -EINVAL;
	vif->features = features & svnic_supported_features();
	return 0;
}

static u64 svnic_get_driver_features(struct vdpa_device *vdpa)
{
	return vdpa_to_vif(vdpa)->features;
}

static void svnic_set_config_cb(struct vdpa_device *vdpa,
				struct vdpa_callback *cb)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	spin_lock_bh(&vif->lock);
	vif->config_cb = *cb;
	spin_unlock_bh(&vif->lock);
}

static u16 svnic_get_vq_num_max(struct vdpa_device *vdpa)
{
	return SVNIC_QUEUE_MAX;
}

static u32 svnic_get_device_id(struct vdpa_device *vdpa)
{
	return VIRTIO_ID_NET;
}

static u32 svnic_get_vendor_id(struct vdpa_device *vdpa)
{
	return SVNIC_VENDOR_ID;
}

static u8 svnic_get_status(struct vdpa_device *vdpa)
{
	return READ_ONCE(vdpa_to_vif(vdpa)->status);
}

static void svnic_set_status(struct vdpa_device *vdpa, u8 status)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	spin_lock_bh(&vif->lock);
	WRITE_ONCE(vif->status, status);
	spin_unlock_bh(&vif->lock);
	svnic_np_kick(vif->np);
}

static int svnic_reset(struct vdpa_device *vdpa)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);
	int i, ret;

	spin_lock_bh(&vif->lock);
	for (i = 0; i < SVNIC_NR_VQS; i++)
		svnic_vq_reset(&vif->vqs[i]);
	vif->features = 0;
	WRITE_ONCE(vif->status, 0);
	vif->config_cb.callback = NULL;
	vif->rx_mode = SVNIC_RX_DEFAULT;
	if (vif->np->ops->vif_set)
		vif->np->ops->vif_set(vif->np, vif, NP_VIF_SET_RX_MODE, NULL,
				      SVNIC_RX_DEFAULT);
	vif->mc_full = false;
	vif->generation++;
	spin_unlock_bh(&vif->lock);
	spin_lock(&vif->mmu.lock);
	ret = svnic_iotlb_default(vif);
	spin_unlock(&vif->mmu.lock);
	/* The NP forgets what the driver asked for: no filter, no modes. */
	svnic_np_mcast(vif->np, vif, NULL, 0);
	svnic_np_vif_set(vif->np, vif, NP_VIF_SET_RX_MODE, NULL, 0,
			 SVNIC_RX_DEFAULT);
	return ret;
}

/* vhost_vdpa lets go of its address space: back to the default map. */
static int svnic_reset_map(struct vdpa_device *vdpa, unsigned int asid)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);
	int ret;

	if (asid)
		return -EINVAL;
	spin_lock(&vif->mmu.lock);
	vif->user_map = false;
	ret = svnic_iotlb_default(vif);
	spin_unlock(&vif->mmu.lock);
	return ret;
}

static size_t svnic_get_config_size(struct vdpa_device *vdpa)
{
	return sizeof(struct virtio_net_config);
}

static void svnic_get_config(struct vdpa_device *vdpa, unsigned int offset,
			     void *buf, unsigned int len)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);

	if (offset > sizeof(vif->config) || len > sizeof(vif->config) - offset)
		return;
	spin_lock_bh(&vif->lock);
	memcpy(buf, (u8 *)&vif->config + offset, len);
	spin_unlock_bh(&vif->lock);
}

static void svnic_set_config(struct vdpa_device *vdpa, unsigned int offset,
			     const void *buf, unsigned int len)
{
	/* virtio-net's configuration space is read-only for the driver. */
}

static u32 svnic_get_generation(struct vdpa_device *vdpa)
{
	return READ_ONCE(vdpa_to_vif(vdpa)->generation);
}

/*
 * vhost_vdpa: the user's IOVA map replaces the identity one, or the last
 * one.  It is copied outside the lock and put in place whole.  A map that
 * cannot be copied leaves the VIF none (vhost_vdpa may have let go of the
 * pages the last one had).
 */
static int svnic_set_map(struct vdpa_device *vdpa, unsigned int asid,
			 struct vhost_iotlb *iotlb)
{
	struct svnic_vif *vif = vdpa_to_vif(vdpa);
	struct vhost_iotlb_map *map;
	struct vhost_iotlb *new;
	int ret = -ENOMEM;

	if (asid)
		return -EINVAL;
	new = vhost_iotlb_alloc(SVNIC_IOTLB_MAX, 0);
	if (new) {
		ret = 0;
		for (map = vhost_iotlb_itree_first(iotlb, 0, ULONG_MAX);
		     map && !ret; map = vhost_iotlb_itree_next(map, 0, ULONG_MAX))
			ret = vhost_iotlb_add_range(new, map->start, map->last,
						    map->addr, map->perm);
	}
	spin_lock(&vif->mmu.lock);
	if (ret)
		svnic_mmu_reset(&vif->mmu);
	else
		new = svnic_mmu_swap(&vif->mmu, new);
	vif->user_map = true;
	spin_unlock(&vif->mmu.lock);
	vhost_iotlb_free(new);
	return ret;
}

static void svnic_free(struct vdpa_device *vdpa)
{
	vhost_iotlb_free(vdpa_to_vif(vdpa)->mmu.iotlb);
}

static const struct vdpa_config_ops svnic_vdpa_ops = {
	.set_vq_address		= svnic_set_vq_address,
	.set_vq_num		= svnic_set_vq_num,
	.kick_vq		= svnic_kick_vq,
	.set_vq_cb		= svnic_set_vq_cb,
	.set_vq_ready		= svnic_set_vq_ready,
	.get_vq_ready		= svnic_get_vq_ready,
	.set_vq_state		= svnic_set_vq_state,
	.get_vq_state		= svnic_get_vq_state,
	.get_vq_align		= svnic_get_vq_align,
	.get_device_features	= svnic_get_device_features,
	.set_driver_features	= svnic_set_driver_features,
	.get_driver_features	= svnic_get_driver_features,
	.set_config_cb		= svnic_set_config_cb,
	.get_vq_num_max		= svnic_get_vq_num_max,
	.get_device_id		= svnic_get_device_id,
	.get_vendor_id		= svnic_get_vendor_id,
	.get_status		= svnic_get_status,
	.set_status		= svnic_set_status,
	.reset			= svnic_reset,
	.get_config_size	= svnic_get_config_size,
	.get_config		= svnic_get_config,
	.set_config		= svnic_set_config,
	.get_generation		= svnic_get_generation,
	.set_map		= svnic_set_map,
	.reset_map		= svnic_reset_map,
	.free			= svnic_free,
};

/*
 * The configuration space a new VIF starts with.  Its MTU is one that
 * svnic and the NP allow (svnic_np_hello()).
 */
static int svnic_vif_config(struct svnic_vif *vif,
			    const struct vdpa_dev_set_config *config)
{
	struct virtio_net_config *c = &vif->config;
	u16 mtu = ETH_DATA_LEN;

	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU))
		mtu = config->net.mtu;
	if (mtu < vif->np->mtu_min || mtu > vif->np->mtu_max)
		return -ERANGE;
	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR)) {
		if (!is_valid_ether_addr(config->net.mac))
			return -EADDRNOTAVAIL;
		ether_addr_copy(c->mac, config->net.mac);
	} else {
		eth_random_addr(c->mac);
	}
	c->mtu = __cpu_to_virtio16(true, mtu);
	c->status = __cpu_to_virtio16(true, VIRTIO_NET_S_LINK_UP);
	return 0;
}

/*
 * A new VIF's memory, set up but not registered: the backend's VIF, which
 * begins with it (as vdpa_alloc_device() does for one struct).
 */
static struct svnic_vif *svnic_vif_alloc(struct svnic_np *np, const char *name,
					 const struct vdpa_dev_set_config *config)
{
	size_t size = max(np->ops->vif_size, sizeof(struct svnic_vif));
	struct vdpa_device *vdpa;
	struct svnic_vif *vif;
	int ret;

	BUILD_BUG_ON(offsetof(struct svnic_vif, vdpa));
	vdpa = __vdpa_alloc_device(&np->mdev_dev, &svnic_vdpa_ops, 1, 1, size,
				   name, false);
	if (IS_ERR(vdpa))
		return ERR_CAST(vdpa);
	vif = vdpa_to_vif(vdpa);
	vif->np = np;
	vif->vdpa.mdev = &np->mdev;
	vif->vlan = NP_VLAN_NONE;
	vif->rx_mode = SVNIC_RX_DEFAULT;
	spin_lock_init(&vif->lock);
	mutex_init(&vif->cfg_lock);
	spin_lock_init(&vif->mmu.lock);
	vif->mmu.iotlb = vhost_iotlb_alloc(SVNIC_IOTLB_MAX, 0);
	vif->vdpa.dev.dma_mask = &vif->vdpa.dev.coherent_dma_mask;
	/* Empty until a driver resets the device: see svnic_iotlb_default(). */
	ret = vif->mmu.iotlb ? 0 : -ENOMEM;
	if (!ret)
		ret = dma_set_mask_and_coherent(&vif->vdpa.dev, DMA_BIT_MASK(64));
	if (!ret)
		ret = svnic_vif_config(vif, config);
	if (ret) {
		put_device(&vif->vdpa.dev);
		return ERR_PTR(ret);
	}
	vif->vdpa.dma_dev = &vif->vdpa.dev;
	return vif;
}

/*
 * Take @vif out of the NP: out of the backend's tables and the lists it
 * walks, then out of the data plane, with the frames it holds.
 */
static void svnic_vif_unlink(struct svnic_np *np, struct svnic_vif *vif)
{
	if (np->ops->vif_del)
		np->ops->vif_del(np, vif);
	mutex_lock(&np->lock);
	list_del_rcu(&vif->node);
	RCU_INIT_POINTER(np->vif_by_id[vif->id], NULL);
	mutex_unlock(&np->lock);
	synchronize_rcu();
	vif->rx_mode = 0;
	svnic_np_vif_del(np, vif);
}

static int svnic_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			 const struct vdpa_dev_set_config *config)
{
	struct svnic_np *np = container_of(mdev, struct svnic_np, mdev);
	struct svnic_vif *vif;
	int ret;

	/* A place is taken first; the driver's probe (RTNL) runs unlocked. */
	mutex_lock(&np->lock);
	ret = np->nr_vifs < READ_ONCE(svnic_max_vifs) ? 0 : -ENOSPC;
	if (!ret)
		np->nr_vifs++;
	mutex_unlock(&np->lock);
	if (ret)
		return ret;
	vif = svnic_vif_alloc(np, name, config);
	ret = PTR_ERR_OR_ZERO(vif);
	if (ret)
		goto out_unreserve;
	ret = ida_alloc_max(&np->vif_ids, NP_MAX_VIFS - 1, GFP_KERNEL);
	if (ret < 0) {
		put_device(&vif->vdpa.dev);
		goto out_unreserve;
	}
	vif->id = ret;
	ret = svnic_np_vif_add(np, vif);
	if (ret)
		goto out_free_id;
	mutex_lock(&np->lock);
	list_add_tail_rcu(&vif->node, &np->vifs);
	rcu_assign_pointer(np->vif_by_id[vif->id], vif);
	mutex_unlock(&np->lock);
	if (np->ops->vif_add)
		np->ops->vif_add(np, vif);
	ret = _vdpa_register_device(&vif->vdpa, SVNIC_NR_VQS);
	if (!ret)
		return 0;
	svnic_vif_unlink(np, vif);
out_free_id:
	ida_free(&np->vif_ids, vif->id);
	put_device(&vif->vdpa.dev);
out_unreserve:
	mutex_lock(&np->lock);
	np->nr_vifs--;
	mutex_unlock(&np->lock);
	return ret;
}

static void svnic_dev_del(struct vdpa_mgmt_dev *mdev, struct vdpa_device *dev)
{
	struct svnic_np *np = container_of(mdev, struct svnic_np, mdev);
	struct svnic_vif *vif = vdpa_to_vif(dev);

	/* The backend lets go of it before its driver does. */
	svnic_vif_unlink(np, vif);
	mutex_lock(&np->lock);
	np->nr_vifs--;
	mutex_unlock(&np->lock);
	ida_free(&np->vif_ids, vif->id);
	_vdpa_unregister_device(dev);
}

/**
 * svnic_vif_set_mac - give @vif another address, in the NP and in its
 *	configuration space
 * @vif: the VIF
 * @mac: the address
 *
 * Return: 0; -EADDRNOTAVAIL for an address that is not a unicast one;
 * -EADDRINUSE when another VIF of the NP has it on the same VLAN.
 */
int svnic_vif_set_mac(struct svnic_vif *vif, const u8 *mac)
{
	struct vdpa_callback cb;
	int ret;

	if (!is_valid_ether_addr(mac))
		return -EADDRNOTAVAIL;
	ret = svnic_np_vif_set(vif->np, vif, NP_VIF_SET_MAC, mac, 0, 0);
	if (ret)
		return ret;
	if (vif->np->ops->vif_set)
		vif->np->ops->vif_set(vif->np, vif, NP_VIF_SET_MAC, mac, 0);
	spin_lock_bh(&vif->lock);
	ether_addr_copy(vif->config.mac, mac);
	vif->generation++;
	cb = vif->config_cb;
	spin_unlock_bh(&vif->lock);
	if (cb.callback)
		cb.callback(cb.private);
	return 0;
}

static int svnic_dev_set_attr(struct vdpa_mgmt_dev *mdev,
			      struct vdpa_device *dev,
			      const struct vdpa_dev_set_config *config)
{
	struct svnic_vif *vif = vdpa_to_vif(dev);

	if (!(config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR)))
		return -EOPNOTSUPP;
	return svnic_vif_set_mac(vif, config->net.mac);
}

static const struct vdpa_mgmtdev_ops svnic_mgmtdev_ops = {
	.dev_add	= svnic_dev_add,
	.dev_del	= svnic_dev_del,
	.dev_set_attr	= svnic_dev_set_attr,
};

static struct virtio_device_id svnic_id_table[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

/**
 * svnic_mgmtdev_register - make @np's vDPA management device, through
 *	which its VIFs are made
 * @np: the NP, its control session open (svnic_np_hello())
 *
 * Return: 0, or an errno.
 */
int svnic_mgmtdev_register(struct svnic_np *np)
{
	int ret;

	ret = dev_set_name(&np->mdev_dev, "svnic-np%u", np->id);
	if (ret)
		return ret;
	ret = device_add(&np->mdev_dev);
	if (ret)
		return ret;
	np->mdev.device = &np->mdev_dev;
	np->mdev.ops = &svnic_mgmtdev_ops;
	np->mdev.id_table = svnic_id_table;
	np->mdev.config_attr_mask = BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR) |
				    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU);
	np->mdev.max_supported_vqs = SVNIC_NR_VQS;
	np->mdev.supported_features = svnic_supported_features();
	ret = vdpa_mgmtdev_register(&np->mdev);
	if (ret)
		device_del(&np->mdev_dev);
	return ret;
}

/**
 * svnic_mgmtdev_unregister - remove @np's management device, and every
 *	VIF made through it
 * @np: the NP
 */
void svnic_mgmtdev_unregister(struct svnic_np *np)
{
	vdpa_mgmtdev_unregister(&np->mdev);
}
