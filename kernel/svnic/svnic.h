/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svnic.h - state shared by the files of svnic.ko
 *
 * The NP core.  An NP instance (struct svnic_np) multiplexes one uplink
 * netdev among VIFs (struct svnic_vif), each a vDPA device that virtio_vdpa
 * makes a host netdev and vhost_vdpa hands to QEMU.  The host configures
 * the NP only through the control messages of firmware/ixp2400/np_abi.h
 * (svnic_msg.c), sent through its backend (struct svnic_backend_ops), which
 * runs the NP's data plane, the way vdpa_sim's core leaves the device to
 * its personalities.
 *
 * The core (svnic_main.c, svnic_netlink.c, svnic_np.c, svnic_vdpa.c,
 * svnic_msg.c, svnic_ring.c) calls a backend only through its ops.  A
 * backend embeds the core's structures first in its own (&svnic_np in its
 * NP, &svnic_vif in its VIFs: &svnic_backend_ops.np_size and .vif_size)
 * and keeps its own state there.  The sidecore backend (svnic_sidecore.h)
 * runs the NP data plane (np_dp.h) in a kthread on a host CPU.
 */
#ifndef _SVNIC_H
#define _SVNIC_H

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/vdpa.h>
#include <linux/vhost_iotlb.h>
#include <linux/wait.h>
#include <uapi/linux/virtio_net.h>

#include <linux/svnic.h>
#include "np_abi.h"
#include "np_dp.h"

#define SVNIC_NR_VQS		3	/* receive, transmit, control */
#define SVNIC_VQ_RX		0
#define SVNIC_VQ_TX		1
#define SVNIC_VQ_CVQ		2	/* the control virtqueue */
#define SVNIC_QUEUE_MAX		256
#define SVNIC_MAX_SEGS		64	/* descriptors in one chain */
/*
 * The MTUs svnic gives a VIF; a VIF of an NP gets the part of this range
 * that the NP's HELLO reply allows too (&svnic_np.mtu_min, .mtu_max).
 */
#define SVNIC_MTU_MIN		68
#define SVNIC_MTU_MAX		9000
/* What a VIF receives until its driver says otherwise: every multicast. */
#define SVNIC_RX_DEFAULT	(NP_RX_BROADCAST | NP_RX_ALLMULTI)

/**
 * struct svnic_mmu - a VIF's software IOMMU
 * @iotlb: IOVA to physical addresses; a driver's map replaces it whole
 * @lock: the lock of all of it
 * @gen: bumped whenever @iotlb changes: what a ring cached of it before
 *	is stale (svnic_mmu_reset(), svnic_mmu_swap())
 */
struct svnic_mmu {
	struct vhost_iotlb *iotlb;
	spinlock_t lock;
	u32 gen;
};

/**
 * struct svnic_xlat - the IOTLB map a ring used last
 * @start: its first IOVA
 * @last: its last IOVA
 * @addr: the physical address of @start; @start to @last are contiguous
 * @perm: its VHOST_MAP_* permissions
 * @gen: &svnic_mmu.gen when it was taken
 */
struct svnic_xlat {
	u64 start;
	u64 last;
	u64 addr;
	u32 perm;
	u32 gen;
};

/**
 * struct svnic_ring - the device side of a split virtqueue
 * @mmu: the VIF's IOMMU, through which every address goes
 * @xlat: the last translation, while @mmu's generation stands
 * @desc: descriptor table IOVA
 * @avail: driver area IOVA
 * @used: device area IOVA
 * @num: entries
 * @last_avail: next available entry to take
 * @avail_idx: the driver's avail index as last read
 * @last_used: next used entry to write
 * @used_idx: the used index the driver was last shown
 * @broken: the driver broke it: nothing more until a reset
 * @kicks: the driver is asked to kick (no %VRING_USED_F_NO_NOTIFY)
 */
struct svnic_ring {
	struct svnic_mmu *mmu;
	struct svnic_xlat xlat;
	u64 desc;
	u64 avail;
	u64 used;
	u32 num;
	u16 last_avail;
	u16 avail_idx;
	u16 last_used;
	u16 used_idx;
	bool broken;
	bool kicks;
};

/**
 * struct svnic_chain - a descriptor chain, checked
 * @head: its head index
 * @nr: entries in @seg
 * @rlen: readable bytes (the driver's to the device)
 * @wlen: writable bytes
 * @seg: the descriptors: IOVA, length, direction
 */
struct svnic_chain {
	u16 head;
	unsigned int nr;
	u32 rlen;
	u32 wlen;
	struct {
		u64 addr;
		u32 len;
		bool write;
	} seg[SVNIC_MAX_SEGS];
};

/**
 * struct svnic_vq - a virtqueue of a VIF
 * @ring: the ring, through the VIF's IOTLB
 * @chain: the chain being handled
 * @desc_addr: descriptor area, an IOVA
 * @driver_addr: driver (avail) area
 * @device_addr: device (used) area
 * @num: entries
 * @ready: the driver enabled it
 * @cb: the driver's callback for used buffers
 * @cb_private: its argument
 * @notify: used buffers were added and not signalled yet
 */
struct svnic_vq {
	struct svnic_ring ring;
	struct svnic_chain chain;
	u64 desc_addr;
	u64 driver_addr;
	u64 device_addr;
	u32 num;
	bool ready;
	irqreturn_t (*cb)(void *data);
	void *cb_private;
	bool notify;
};

/**
 * struct svnic_vif_stats - what a VIF's frames did before they reached the
 *	NP or after they left it; the NP counts the rest (np_dp_stats)
 * @rx_lost: frames the NP handed over for the VIF and its receive buffers
 *	could not take (counted in @drop_no_buffer or @drop_malformed too)
 * @rx_lost_bytes: their bytes
 * @drop_no_buffer: frames the VIF's receive buffers could not hold
 * @drop_malformed: descriptor chains refused (bad addresses, lengths, flags)
 * @drop_too_big: frames above the VIF's MTU
 */
struct svnic_vif_stats {
	u64 rx_lost;
	u64 rx_lost_bytes;
	u64 drop_no_buffer;
	u64 drop_malformed;
	u64 drop_too_big;
};

/**
 * struct svnic_stats - a VIF's or the uplink's counters as svnic reports
 *	them: the NP's and svnic's own, added up
 * @np: the NP's
 * @host: svnic's
 */
struct svnic_stats {
	struct np_dp_stats np;
	struct svnic_vif_stats host;
};

struct svnic_np;

/**
 * struct svnic_vif - a virtual interface: a virtio-net vDPA device
 * @vdpa: the vDPA device (first: vdpa_alloc_device() wants it there)
 * @np: its NP
 * @id: its index in the NP (the virtual interrupt identifier's bit)
 * @node: entry in &svnic_np.vifs (RCU for the backend)
 * @lock: the data path's hold on the rings, against their set up
 * @cfg_lock: serializes the driver's configuration calls
 * @mmu: the software IOMMU: IOVA to physical pages
 * @user_map: @mmu is the map vhost_vdpa's user set (set_map), under its lock
 * @vqs: receive, transmit and control queues
 * @config: virtio-net configuration space (MAC, status, MTU)
 * @features: negotiated features
 * @status: virtio device status
 * @generation: bumped at each configuration change
 * @config_cb: the driver's configuration change callback
 * @stats: svnic's counters, under @lock
 * @rx_mode: enum np_rx_mode bits the NP applies for the VIF: what its
 *	driver asked for (VIRTIO_NET_CTRL_RX) and a full multicast filter's;
 *	changed by the backend's control virtqueue, and by a reset
 * @mc_full: the driver's multicast table did not fit the NP's filter: the
 *	VIF takes every multicast frame
 * @vlan: the VLAN the VIF is an access port of, %NP_VLAN_NONE for none:
 *	what it sends is tagged, what it receives untagged
 * @rate: its egress rate limit in bytes/s (0: none), as the NP applies it
 * @burst: the rate limit's burst in bytes
 *
 * A backend's VIF begins with it (&svnic_backend_ops.vif_size).
 */
struct svnic_vif {
	struct vdpa_device vdpa;
	struct svnic_np *np;
	unsigned int id;
	struct list_head node;
	spinlock_t lock;
	struct mutex cfg_lock;
	struct svnic_mmu mmu;
	bool user_map;
	struct svnic_vq vqs[SVNIC_NR_VQS];
	struct virtio_net_config config;
	u64 features;
	u8 status;
	u32 generation;
	struct vdpa_callback config_cb;
	struct svnic_vif_stats stats;
	u16 rx_mode;
	bool mc_full;
	u16 vlan;
	u64 rate;
	u64 burst;
};

/**
 * struct svnic_backend_ops - what runs an NP's data plane
 * @name: shown by svnicctl np show
 * @np_size: bytes of the backend's NP, which begins with its &svnic_np
 * @vif_size: bytes of the backend's VIF, which begins with its &svnic_vif
 * @create: set the data plane up and run it (&svnic_np.cpu is known);
 *	before the uplink is attached
 * @destroy: stop it, the uplink detached; every frame it holds is freed
 * @attach: take the uplink's frames for the VIFs.  Under RTNL.
 * @detach: let the uplink go; no frame of it comes after.  Under RTNL.
 * @kick: the doorbell: a VIF's driver posted buffers or changed its state
 * @msg: carry one control message (np_abi.h) to the NP and its reply back;
 *	the reply's room in, its length out, through the last argument.  Sleeps.
 *	Return: 0 when a reply came (its status is the NP's answer), or the
 *	errno of the transport.
 * @vif_add: a VIF the NP accepted is in &svnic_np.vifs now (optional)
 * @vif_del: a VIF leaves, before it leaves &svnic_np.vifs (optional)
 * @vif_set: the NP accepted a VIF's new address (%NP_VIF_SET_MAC) or
 *	receive mode (%NP_VIF_SET_RX_MODE); maybe under the VIF's lock, does
 *	not sleep (optional)
 * @uplink_stats: the backend's own counters of the uplink's frames, the
 *	ones dropped before they reached the NP (optional)
 */
struct svnic_backend_ops {
	const char *name;
	size_t np_size;
	size_t vif_size;
	int (*create)(struct svnic_np *np);
	void (*destroy)(struct svnic_np *np);
	int (*attach)(struct svnic_np *np, struct net_device *uplink);
	void (*detach)(struct svnic_np *np, struct net_device *uplink);
	void (*kick)(struct svnic_np *np);
	int (*msg)(struct svnic_np *np, const struct np_msg *req,
		   struct np_msg *reply, size_t *reply_len);
	void (*vif_add)(struct svnic_np *np, struct svnic_vif *vif);
	void (*vif_del)(struct svnic_np *np, struct svnic_vif *vif);
	void (*vif_set)(struct svnic_np *np, struct svnic_vif *vif, u32 change,
			const u8 *mac, u16 rx_mode);
	void (*uplink_stats)(struct svnic_np *np, struct svnic_vif_stats *st);
};

/**
 * struct svnic_np - an NP instance, bound to an uplink
 * @id: index, in the management device's name (svnic-npN)
 * @uplink: the uplink netdev (a reference held), NULL once it is gone
 * @mdev_dev: the management device's struct device
 * @mdev: the vDPA management device VIFs are created through
 * @lock: serializes VIF creation and removal
 * @vifs: the VIFs, RCU-traversed by the backend
 * @nr_vifs: entries in @vifs
 * @vif_ids: allocator of &svnic_vif.id
 * @vif_by_id: the VIFs by id, RCU for the backend
 * @ops: the backend
 * @cpu: the host CPU the backend runs on (the sidecore's), -1 for any
 * @seq: sequence number of the last control message
 * @abi_major: the NP's ABI version, from its HELLO reply
 * @abi_minor: see @abi_major
 * @caps: the NP's enum np_cap bits
 * @mtu_min: the smallest MTU a VIF may have: svnic's and the NP's (HELLO)
 * @mtu_max: the largest: svnic's and the NP's
 * @notify_frames: notification batching, as the NP applies it
 * @notify_cycles: see @notify_frames
 * @node: entry in svnic_nps
 *
 * A backend's NP begins with it (&svnic_backend_ops.np_size).
 */
struct svnic_np {
	unsigned int id;
	struct net_device __rcu *uplink;
	struct device mdev_dev;
	struct vdpa_mgmt_dev mdev;
	struct mutex lock;
	struct list_head vifs;
	unsigned int nr_vifs;
	struct ida vif_ids;
	struct svnic_vif __rcu *vif_by_id[NP_MAX_VIFS];
	const struct svnic_backend_ops *ops;
	int cpu;
	atomic_t seq;
	u8 abi_major;
	u8 abi_minor;
	u64 caps;
	u16 mtu_min;
	u16 mtu_max;
	u32 notify_frames;
	u32 notify_cycles;
	struct list_head node;
};

extern atomic_t svnic_nr_nps;
extern unsigned int svnic_max_vifs;

int svnic_nl_init(void);
void svnic_nl_exit(void);

/* svnic_np.c */
struct svnic_np *svnic_np_create(const struct svnic_backend_ops *ops,
				 const char *uplink, int cpu);
void svnic_np_destroy(struct svnic_np *np);
void svnic_np_destroy_all(void);
int svnic_np_del(u32 id);
extern struct mutex svnic_nps_lock;
extern struct list_head svnic_nps;
int svnic_np_init(void);
void svnic_np_exit(void);

/* svnic_vdpa.c */
int svnic_mgmtdev_register(struct svnic_np *np);
void svnic_mgmtdev_unregister(struct svnic_np *np);
int svnic_vif_set_mac(struct svnic_vif *vif, const u8 *mac);

/* svnic_ring.c */
void svnic_mmu_reset(struct svnic_mmu *mmu);
struct vhost_iotlb *svnic_mmu_swap(struct svnic_mmu *mmu,
				   struct vhost_iotlb *iotlb);
void svnic_ring_init(struct svnic_ring *r, struct svnic_mmu *mmu, u32 num,
		     u64 desc, u64 avail, u64 used, u16 last);
int svnic_ring_pop(struct svnic_ring *r, struct svnic_chain *c);
int svnic_ring_push(struct svnic_ring *r, u16 head, u32 len);
void svnic_ring_publish(struct svnic_ring *r);
bool svnic_ring_want_irq(struct svnic_ring *r);
bool svnic_ring_set_kicks(struct svnic_ring *r, bool on);
int svnic_chain_read(struct svnic_ring *r, const struct svnic_chain *c,
		     size_t off, void *buf, size_t len);
void svnic_ring_unpop(struct svnic_ring *r, u16 n);
ssize_t svnic_chain_pull(struct svnic_ring *r, const struct svnic_chain *c,
			 void *buf, size_t len);
ssize_t svnic_chain_push(struct svnic_ring *r, const struct svnic_chain *c,
			 const void *buf, size_t len);
typedef int (*svnic_fill_t)(void *arg, size_t off, void *to, size_t len);
ssize_t svnic_chain_fill(struct svnic_ring *r, const struct svnic_chain *c,
			 svnic_fill_t fill, void *arg, size_t off, size_t len);

int svnic_ring_pending(struct svnic_ring *r);

/* svnic_msg.c: the host side of the control protocol */
int svnic_np_hello(struct svnic_np *np);
int svnic_np_vif_add(struct svnic_np *np, struct svnic_vif *vif);
int svnic_np_vif_del(struct svnic_np *np, struct svnic_vif *vif);
int svnic_np_vif_set(struct svnic_np *np, struct svnic_vif *vif, u32 change,
		     const u8 *mac, u16 vlan, u16 rx_mode);
int svnic_np_rate(struct svnic_np *np, struct svnic_vif *vif, u64 rate,
		  u64 burst);
int svnic_np_notify_set(struct svnic_np *np, u32 frames, u32 cycles);
int svnic_np_mcast(struct svnic_np *np, struct svnic_vif *vif,
		   const u8 *addrs, unsigned int n);
int svnic_np_stats(struct svnic_np *np, struct svnic_vif *vif,
		   struct svnic_stats *st);
void svnic_msg_init(struct np_msg *m, u16 type, u32 seq);
size_t svnic_msg_len(const struct np_msg *m);
void svnic_msg_vif_set(struct np_msg *m, struct svnic_vif *vif, u32 change,
		       const u8 *mac, u16 vlan, u16 rx_mode);
void svnic_msg_mcast(struct np_msg *m, struct svnic_vif *vif,
		     const u8 *addrs, unsigned int n);
int svnic_msg_reply_check(const struct np_msg *req, const struct np_msg *reply,
			  size_t len);

/* The backends */
extern const struct svnic_backend_ops svnic_sidecore_ops;

/**
 * svnic_np_kick - ring @np's doorbell: its backend looks for work
 * @np: the NP
 */
static inline void svnic_np_kick(struct svnic_np *np)
{
	np->ops->kick(np);
}

/*
 * Hold @vif's rings: its lock (against their set up), then its IOMMU's
 * (their translations, taken once for a burst of accesses).
 */
static inline void svnic_rings_lock(struct svnic_vif *vif)
	__acquires(&vif->lock) __acquires(&vif->mmu.lock)
{
	spin_lock_bh(&vif->lock);
	spin_lock(&vif->mmu.lock);
}

static inline void svnic_rings_unlock(struct svnic_vif *vif)
	__releases(&vif->mmu.lock) __releases(&vif->lock)
{
	spin_unlock(&vif->mmu.lock);
	spin_unlock_bh(&vif->lock);
}

static inline struct svnic_vif *vdpa_to_vif(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct svnic_vif, vdpa);
}

#endif /* _SVNIC_H */
