/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svnic.h - state shared by the files of svnic.ko
 *
 * An NP instance (struct svnic_np) multiplexes one uplink netdev among
 * VIFs (struct svnic_vif), each a vDPA device that virtio_vdpa makes a host
 * netdev and vhost_vdpa hands to QEMU.  The sidecore backend runs the data
 * path in a kthread on a chosen CPU: it polls the VIFs' transmit rings and
 * the NP's ingress queue (fed by an rx_handler on the uplink), switches
 * frames by destination MAC, and signals the VIFs that got used buffers in
 * one pass per cycle.
 */
#ifndef _SVNIC_H
#define _SVNIC_H

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/vdpa.h>
#include <linux/vhost_iotlb.h>
#include <linux/wait.h>
#include <uapi/linux/virtio_net.h>

#include <linux/svnic.h>
#include "np_notify.h"
#include "np_sched.h"

#define SVNIC_NR_VQS		3	/* receive, transmit, control */
#define SVNIC_VQ_RX		0
#define SVNIC_VQ_TX		1
#define SVNIC_VQ_CTRL		2
#define SVNIC_QUEUE_MAX		256
#define SVNIC_INGRESS_MAX	1024	/* frames waiting for the sidecore */
#define SVNIC_BURST		32	/* frames per ring per cycle */
#define SVNIC_MAX_SEGS		64	/* descriptors in one chain */
#define SVNIC_FRAME_MAX		(ETH_FRAME_LEN + VLAN_HLEN + 9000)	/* a frame at the largest MTU */

/**
 * struct svnic_ring - the device side of a split virtqueue
 * @iotlb: the VIF's IOTLB, through which every address goes
 * @iotlb_lock: its lock
 * @desc: descriptor table IOVA
 * @avail: driver area IOVA
 * @used: device area IOVA
 * @num: entries
 * @last_avail: next available entry to take
 * @last_used: next used entry to write
 * @broken: the driver broke it: nothing more until a reset
 */
struct svnic_ring {
	struct vhost_iotlb *iotlb;
	spinlock_t *iotlb_lock;
	u64 desc;
	u64 avail;
	u64 used;
	u32 num;
	u16 last_avail;
	u16 last_used;
	bool broken;
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
 * struct svnic_vif_stats - what a VIF's frames did
 * @tx_packets: frames the VIF sent
 * @tx_bytes: their bytes
 * @rx_packets: frames delivered to the VIF
 * @rx_bytes: their bytes
 * @drop_no_buffer: frames for the VIF with no receive buffer posted
 * @drop_malformed: transmit chains refused (bad addresses, lengths, flags)
 * @drop_too_big: frames above the VIF's MTU
 */
struct svnic_vif_stats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_packets;
	u64 rx_bytes;
	u64 drop_no_buffer;
	u64 drop_malformed;
	u64 drop_too_big;
};

struct svnic_np;

/**
 * struct svnic_vif - a virtual interface: a virtio-net vDPA device
 * @vdpa: the vDPA device (first: vdpa_alloc_device() wants it there)
 * @np: its NP
 * @id: its index in the NP (the virtual interrupt identifier's bit)
 * @node: entry in &svnic_np.vifs (RCU for the sidecore)
 * @lock: the data path's hold on the rings, against their set up
 * @cfg_lock: serializes the driver's configuration calls
 * @iotlb: the software IOMMU: IOVA to physical pages
 * @iotlb_lock: the lock of @iotlb and @user_map
 * @user_map: @iotlb is the map vhost_vdpa's user set (set_map)
 * @vqs: receive, transmit and control queues
 * @config: virtio-net configuration space (MAC, status, MTU)
 * @features: negotiated features
 * @status: virtio device status
 * @generation: bumped at each configuration change
 * @config_cb: the driver's configuration change callback
 * @stats: counters, under @lock
 * @promisc: takes frames for any address (VIRTIO_NET_CTRL_RX), under @lock
 * @allmulti: takes every multicast frame, under @lock
 * @tb: transmit rate limit (token bucket; rate 0: none), under @lock
 * @held: a transmitted frame waiting for tokens (the sidecore's)
 * @buf: the sidecore's bounce buffer for one frame
 */
struct svnic_vif {
	struct vdpa_device vdpa;
	struct svnic_np *np;
	unsigned int id;
	struct list_head node;
	spinlock_t lock;
	struct mutex cfg_lock;
	struct vhost_iotlb iotlb;
	spinlock_t iotlb_lock;
	bool user_map;
	struct svnic_vq vqs[SVNIC_NR_VQS];
	struct virtio_net_config config;
	u64 features;
	u8 status;
	u32 generation;
	struct vdpa_callback config_cb;
	struct svnic_vif_stats stats;
	bool promisc;
	bool allmulti;
	struct np_tb tb;
	struct sk_buff *held;
	u8 *buf;
};

/**
 * struct svnic_np - an NP instance, bound to an uplink
 * @id: index, in the management device's name (svnic-npN)
 * @uplink: the uplink netdev (a reference held), NULL once it is gone
 * @mdev_dev: the management device's struct device
 * @mdev: the vDPA management device VIFs are created through
 * @lock: serializes VIF creation and removal
 * @vifs: the VIFs, RCU-traversed by the sidecore
 * @nr_vifs: entries in @vifs
 * @vif_ids: allocator of &svnic_vif.id
 * @vif_by_id: the VIFs by id, RCU for the sidecore
 * @notify: the virtual interrupt identifier: the VIFs with used buffers
 *	not signalled yet (the sidecore's)
 * @ingress: frames from the uplink for the VIFs
 * @thread: the sidecore kthread
 * @cpu: its CPU
 * @wait: where the sidecore sleeps when idle
 * @kicked: work came while it looked elsewhere
 * @idle_polls: empty cycles in a row (adaptive back-off)
 * @node: entry in svnic_nps
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
	struct np_notify notify;
	struct sk_buff_head ingress;
	struct task_struct *thread;
	int cpu;
	wait_queue_head_t wait;
	atomic_t kicked;
	unsigned int idle_polls;
	struct list_head node;
};

extern atomic_t svnic_nr_nps;
extern unsigned int svnic_max_vifs;

int svnic_nl_init(void);
void svnic_nl_exit(void);

/* svnic_np.c */
struct svnic_np *svnic_np_create(const char *uplink, int cpu);
void svnic_np_destroy(struct svnic_np *np);
void svnic_np_kick(struct svnic_np *np);
void svnic_np_destroy_all(void);
int svnic_np_del(u32 id);
extern struct mutex svnic_nps_lock;
extern struct list_head svnic_nps;
int svnic_np_init(void);
void svnic_np_exit(void);

/* svnic_vdpa.c */
extern const struct vdpa_mgmtdev_ops svnic_mgmtdev_ops;
extern struct virtio_device_id svnic_id_table[];
u64 svnic_supported_features(void);

/* svnic_ring.c */
void svnic_ring_init(struct svnic_ring *r, struct vhost_iotlb *iotlb,
		     spinlock_t *lock, u32 num, u64 desc, u64 avail, u64 used,
		     u16 last);
int svnic_ring_pop(struct svnic_ring *r, struct svnic_chain *c);
int svnic_ring_push(struct svnic_ring *r, u16 head, u32 len);
bool svnic_ring_want_irq(struct svnic_ring *r);
ssize_t svnic_chain_pull(struct svnic_ring *r, const struct svnic_chain *c,
			 void *buf, size_t len);
ssize_t svnic_chain_push(struct svnic_ring *r, const struct svnic_chain *c,
			 const void *buf, size_t len);

/* svnic_ctrl.c */
unsigned int svnic_vif_ctrl(struct svnic_vif *vif);

/* svnic_datapath.c */
int svnic_sidecore(void *data);
rx_handler_result_t svnic_rx_handler(struct sk_buff **pskb);

/* @vq got used buffers: the sidecore signals them at the end of its cycle. */
static inline void svnic_vq_mark(struct svnic_vif *vif, struct svnic_vq *vq)
{
	vq->notify = true;
	np_notify_mark(&vif->np->notify, vif->id);
}

static inline struct svnic_vif *vdpa_to_vif(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct svnic_vif, vdpa);
}

#endif /* _SVNIC_H */
