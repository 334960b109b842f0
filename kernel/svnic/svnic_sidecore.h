/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svnic_sidecore.h - the sidecore backend's own state, shared by its files
 *
 * The sidecore runs the NP data plane (np_dp.h) in a kthread on a host
 * CPU: it polls the VIFs' transmit rings and control queues and the NP's
 * ingress queue (fed by an rx_handler on the uplink), passes the frames
 * through the data plane's classify stage, its per-VIF queues and its
 * egress scheduler, and signals the VIFs that got used buffers in one pass
 * per cycle.
 *
 *   svnic_sidecore.c	the backend's ops: the thread, its mailbox and
 *			doorbell, the uplink's rx_handler hook, the VIFs'
 *			MAC table
 *   svnic_datapath.c	the frames, between the rings, the uplink and np_dp
 *   svnic_cvq.c	the VIFs' control virtqueues
 *
 * Its files include svnic.h and call the core; the core reaches them only
 * through svnic_sidecore_ops.
 */
#ifndef _SVNIC_SIDECORE_H
#define _SVNIC_SIDECORE_H

#include <linux/completion.h>

#include "svnic.h"

#define SVNIC_INGRESS_MAX	1024	/* frames waiting for the sidecore */
#define SVNIC_BURST		32	/* frames per ring per cycle */
/* A frame at the largest MTU. */
#define SVNIC_FRAME_MAX		(ETH_FRAME_LEN + VLAN_HLEN + SVNIC_MTU_MAX)
/* A GSO frame a VIF takes whole (GUEST_TSO4/6). */
#define SVNIC_GSO_FRAME_MAX	(GSO_LEGACY_MAX_SIZE + VLAN_ETH_HLEN)
/* Receive buffers one frame may take with MRG_RXBUF: a GSO frame's worth. */
#define SVNIC_MRG_MAX		128
#define SVNIC_NP_SLOTS		256	/* frames in each queue of the NP */
#define SVNIC_MAC_BITS		8	/* hash of the VIFs by MAC address */

/**
 * struct svnic_mbox - the sidecore's control mailbox: one request at a
 *	time, handled between two poll cycles
 * @lock: one sender at a time
 * @req: the request
 * @reply: its reply
 * @reply_len: the reply's length
 * @pending: a request waits for the sidecore
 * @done: the sidecore answered
 */
struct svnic_mbox {
	struct mutex lock;
	struct np_msg req;
	struct np_msg reply;
	size_t reply_len;
	atomic_t pending;
	struct completion done;
};

/**
 * struct svnic_sidecore - an NP the sidecore runs
 * @np: the NP core's part (first)
 * @dp: the NP data plane the sidecore runs
 * @pool: the sidecore's pages for the frames the VIFs send
 * @mbox: the sidecore's control mailbox
 * @ingress: frames from the uplink for the VIFs
 * @ingress_drops: frames the rx_handler found no room for in @ingress
 * @vif_by_mac: the VIFs by MAC address, RCU for the rx_handler
 * @mac_lock: serializes the writers of @vif_by_mac
 * @promisc_vifs: VIFs in promiscuous mode: the rx_handler copies them
 *	the unicast for other addresses
 * @thread: the sidecore kthread
 * @wait: where the sidecore sleeps when idle
 * @kicked: work came while it looked elsewhere
 * @idle_since: when the sidecore last found work (adaptive back-off)
 * @polling: the VIFs are told not to kick (the sidecore polls them)
 */
struct svnic_sidecore {
	struct svnic_np np;
	struct np_dp *dp;
	struct page_pool *pool;
	struct svnic_mbox mbox;
	struct sk_buff_head ingress;
	atomic64_t ingress_drops;
	struct hlist_head vif_by_mac[1 << SVNIC_MAC_BITS];
	spinlock_t mac_lock;
	atomic_t promisc_vifs;
	struct task_struct *thread;
	wait_queue_head_t wait;
	atomic_t kicked;
	u64 idle_since;
	bool polling;
};

/**
 * struct svnic_sc_vif - a VIF the sidecore runs
 * @vif: the core's part (first)
 * @mac_node: entry in &svnic_sidecore.vif_by_mac
 * @hash_mac: the address @mac_node is hashed by
 * @promisc: counted in &svnic_sidecore.promisc_vifs
 * @rx_first: the first receive buffer of a frame spread over several
 *	(MRG_RXBUF)
 * @rx_head: the heads of the receive buffers a frame takes
 * @rx_used: the bytes written into each
 * @rx_wait: the frame at the head of the VIF's receive queue waits for
 *	receive buffers, under the VIF's lock
 * @rx_wait_idx: the driver's avail index when it began to, under the
 *	VIF's lock
 */
struct svnic_sc_vif {
	struct svnic_vif vif;
	struct hlist_node mac_node;
	u8 hash_mac[ETH_ALEN];
	bool promisc;
	struct svnic_chain rx_first;
	u16 rx_head[SVNIC_MRG_MAX];
	u32 rx_used[SVNIC_MRG_MAX];
	bool rx_wait;
	u16 rx_wait_idx;
};

static inline struct svnic_sidecore *svnic_sc(struct svnic_np *np)
{
	return container_of(np, struct svnic_sidecore, np);
}

static inline struct svnic_sc_vif *svnic_sc_vif(struct svnic_vif *vif)
{
	return container_of(vif, struct svnic_sc_vif, vif);
}

/*
 * @vq got used buffers: the sidecore signals it with the next batch of the
 * virtual interrupt identifier, once its VIF is marked (np_dp_mark()),
 * outside the VIF's lock.  Under the VIF's lock.
 */
static inline void svnic_vq_mark(struct svnic_vq *vq)
{
	vq->notify = true;
}

/* svnic_sidecore.c */
void svnic_sidecore_kick(struct svnic_sidecore *sc);
bool svnic_sc_mac_is_vif(struct svnic_sidecore *sc, const u8 *mac);
int svnic_sc_vif_set(struct svnic_vif *vif, u32 change, const u8 *mac,
		     u16 rx_mode);
int svnic_sc_mcast(struct svnic_vif *vif, const u8 *addrs, unsigned int n);
void svnic_sc_vif_changed(struct svnic_np *np, struct svnic_vif *vif,
			  u32 change, const u8 *mac, u16 rx_mode);

/* svnic_datapath.c */
struct np_frame *svnic_frame(struct sk_buff *skb);
unsigned int svnic_vif_tx(struct svnic_sidecore *sc, struct svnic_vif *vif);
unsigned int svnic_vif_rx(struct svnic_sidecore *sc, struct svnic_vif *vif);
unsigned int svnic_ingress(struct svnic_sidecore *sc);
unsigned int svnic_egress(struct svnic_sidecore *sc);
rx_handler_result_t svnic_rx_handler(struct sk_buff **pskb);

/* svnic_cvq.c */
unsigned int svnic_vif_cvq(struct svnic_vif *vif);

#endif /* _SVNIC_SIDECORE_H */
