// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_datapath.c - the sidecore's frames: from the VIFs' rings and the
 * uplink into the NP data plane, and out of it
 *
 * The NP data plane (np_dp.h) classifies, queues, schedules and counts;
 * this file is the stages around it that a network processor's receive and
 * transmit microengines would be: frames taken from a VIF's transmit ring
 * through its IOTLB (every address translated and checked; a chain that
 * does not translate, or is too short or too long, is dropped and counted
 * and the other VIFs carry on), frames from the uplink made whole, frames
 * the data plane hands out copied into the VIFs' receive buffers or sent
 * on the uplink.  A VIF on a VLAN is an access port: its frames get the
 * tag on the way in and lose it on the way out.
 *
 * A frame is an skb; its struct np_frame lives in the skb's control block.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/jhash.h>
#include <linux/rculist.h>
#include <net/gso.h>

#include "svnic.h"

#define SVNIC_HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define SVNIC_INGRESS_BURST	(SVNIC_BURST * 4)	/* uplink frames per cycle */
/*
 * Frames of a VIF's egress queue the sidecore fills at most: a cycle's
 * worth.  Deeper, a rate-limited VIF's queue would only add delay (at
 * 20 Mbit/s, 256 full frames are 150 ms); the VIF's own ring and its
 * driver's queue hold the rest back.
 */
#define SVNIC_TXQ_FILL		SVNIC_BURST

static bool svnic_vq_live(struct svnic_vif *vif, struct svnic_vq *vq)
{
	return vq->ready && (READ_ONCE(vif->status) & VIRTIO_CONFIG_S_DRIVER_OK);
}

/**
 * svnic_frame - the data plane's view of @skb (its bytes from the MAC
 *	header on), in its control block
 * @skb: the frame; its headers up to an 802.1Q tag are made linear
 *
 * Return: the frame, or NULL when @skb is too short to read (freed).
 */
struct np_frame *svnic_frame(struct sk_buff *skb)
{
	struct np_frame *f = (struct np_frame *)skb->cb;

	BUILD_BUG_ON(sizeof(*f) > sizeof(skb->cb));
	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, VLAN_ETH_HLEN))) {
		kfree_skb(skb);
		return NULL;
	}
	f->data = skb->data;
	f->len = skb->len;
	f->priv = skb;
	return f;
}

/*
 * The frame of the chain in @vq->chain as an skb, tagged with the VIF's
 * VLAN when it has one and the frame none; NULL when dropped (counted).
 */
static struct sk_buff *svnic_tx_frame(struct svnic_vif *vif,
				      struct svnic_vq *vq)
{
	u16 mtu = __virtio16_to_cpu(true, vif->config.mtu);
	u16 vlan = READ_ONCE(vif->vlan);
	const u8 *eth = vif->buf + SVNIC_HDR_LEN;
	struct sk_buff *skb;
	bool push;
	ssize_t len;

	len = svnic_chain_pull(&vq->ring, &vq->chain, vif->buf,
			       SVNIC_FRAME_MAX + SVNIC_HDR_LEN);
	if (len == -EMSGSIZE ||
	    len > (ssize_t)(SVNIC_HDR_LEN + mtu + ETH_HLEN + VLAN_HLEN)) {
		vif->stats.drop_too_big++;
		return NULL;
	}
	if (len < (ssize_t)(SVNIC_HDR_LEN + ETH_HLEN)) {
		vif->stats.drop_malformed++;
		return NULL;
	}
	len -= SVNIC_HDR_LEN;
	push = vlan != NP_VLAN_NONE && !eth_type_vlan(*(__be16 *)(eth + 12));
	skb = netdev_alloc_skb(NULL, len + (push ? VLAN_HLEN : 0));
	if (!skb)
		return NULL;
	if (push) {
		skb_put_data(skb, eth, 2 * ETH_ALEN);
		*(__be16 *)skb_put(skb, 2) = htons(ETH_P_8021Q);
		*(__be16 *)skb_put(skb, 2) = htons(vlan);
		skb_put_data(skb, eth + 2 * ETH_ALEN, len - 2 * ETH_ALEN);
	} else {
		skb_put_data(skb, eth, len);
	}
	skb_reset_mac_header(skb);
	return skb;
}

/**
 * svnic_vif_tx - frames from @vif's transmit ring into the data plane
 * @np: the NP
 * @vif: the VIF
 *
 * No more are taken than its egress queue has room for, up to
 * %SVNIC_TXQ_FILL frames: a VIF held to its rate, or faster than the
 * uplink, is held back in its own ring.
 *
 * Return: descriptor chains taken.
 */
unsigned int svnic_vif_tx(struct svnic_np *np, struct svnic_vif *vif)
{
	unsigned int free = np_dp_tx_room(np->dp, vif->id);
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_TX];
	unsigned int room = free > SVNIC_NP_SLOTS - SVNIC_TXQ_FILL ?
			    free - (SVNIC_NP_SLOTS - SVNIC_TXQ_FILL) : 0;
	struct np_frame *frames[SVNIC_BURST];
	unsigned int n = 0, nf = 0;
	struct sk_buff *skb;
	int ret;

	spin_lock_bh(&vif->lock);
	while (n < room && svnic_vq_live(vif, vq)) {
		ret = svnic_ring_pop(&vq->ring, &vq->chain);
		if (ret == 0 || ret == -EIO)
			break;
		skb = NULL;
		if (ret < 0 || vq->chain.wlen)
			vif->stats.drop_malformed++;
		else
			skb = svnic_tx_frame(vif, vq);
		svnic_ring_push(&vq->ring, vq->chain.head, 0);
		n++;
		if (skb)
			frames[nf] = svnic_frame(skb);
		if (skb && frames[nf])
			nf++;
	}
	if (n)
		svnic_vq_mark(vq);
	spin_unlock_bh(&vif->lock);
	if (nf)
		np_dp_rx_from_vif(np->dp, vif->id, frames, nf);
	if (n)
		np_dp_mark(np->dp, vif->id, 0);
	return n;
}

/*
 * Copy @skb into the next buffer of @vq; an access port's tag is left out.
 * Under the VIF's lock.  Return: whether it was delivered (else counted).
 */
static bool svnic_deliver(struct svnic_vif *vif, struct svnic_vq *vq,
			  struct sk_buff *skb, u16 vlan)
{
	struct virtio_net_hdr_mrg_rxbuf *hdr = (void *)vif->buf;
	u8 *to = vif->buf + SVNIC_HDR_LEN;
	unsigned int len = skb->len, skip = 0;
	ssize_t done = -EINVAL;
	int ret;

	ret = svnic_ring_pop(&vq->ring, &vq->chain);
	if (ret == 0 || ret == -EIO) {
		vif->stats.drop_no_buffer++;
		return false;
	}
	if (vlan != NP_VLAN_NONE && len >= VLAN_ETH_HLEN)
		skip = VLAN_HLEN;
	if (ret > 0 && !vq->chain.rlen) {
		memset(hdr, 0, SVNIC_HDR_LEN);
		hdr->num_buffers = __cpu_to_virtio16(true, 1);
		if (!skb_copy_bits(skb, 0, to, 2 * ETH_ALEN) &&
		    !skb_copy_bits(skb, 2 * ETH_ALEN + skip, to + 2 * ETH_ALEN,
				   len - 2 * ETH_ALEN - skip))
			done = svnic_chain_push(&vq->ring, &vq->chain, vif->buf,
						SVNIC_HDR_LEN + len - skip);
	}
	if (done >= 0) {
		svnic_ring_push(&vq->ring, vq->chain.head, done);
		return true;
	}
	/* A malformed or too small buffer goes back empty. */
	svnic_ring_push(&vq->ring, vq->chain.head, 0);
	if (ret < 0 || vq->chain.rlen)
		vif->stats.drop_malformed++;
	else
		vif->stats.drop_no_buffer++;
	return false;
}

/**
 * svnic_vif_rx - the data plane's frames for @vif into its receive buffers
 * @np: the NP
 * @vif: the VIF
 *
 * No more are taken than the driver posted buffers for; the rest wait in
 * the VIF's receive queue of the NP.  A VIF whose driver is not running
 * gets nothing: what waits for it is dropped.
 *
 * Return: frames taken.
 */
unsigned int svnic_vif_rx(struct svnic_np *np, struct svnic_vif *vif)
{
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_RX];
	struct np_frame *frames[SVNIC_BURST];
	u16 vlan = READ_ONCE(vif->vlan);
	unsigned int i, n;
	int room;
	bool live;

	spin_lock_bh(&vif->lock);
	live = svnic_vq_live(vif, vq);
	room = live ? svnic_ring_pending(&vq->ring) : SVNIC_BURST;
	spin_unlock_bh(&vif->lock);
	if (room <= 0)
		return 0;
	n = np_dp_rx_drain(np->dp, vif->id, frames, min_t(int, room, SVNIC_BURST));
	if (!n)
		return 0;
	spin_lock_bh(&vif->lock);
	for (i = 0; i < n; i++) {
		if (!live)
			vif->stats.drop_no_buffer++;
		if (!live || !svnic_deliver(vif, vq, frames[i]->priv, vlan)) {
			vif->stats.rx_lost++;
			vif->stats.rx_lost_bytes += frames[i]->len;
		}
	}
	if (live)
		svnic_vq_mark(vq);
	spin_unlock_bh(&vif->lock);
	for (i = 0; i < n; i++)
		consume_skb(frames[i]->priv);
	/* Marked again: its used buffers were written after the drain. */
	if (live)
		np_dp_mark(np->dp, vif->id, 0);
	return n;
}

/*
 * A frame from the uplink made whole for the data plane: its VLAN tag in
 * the frame, a GSO frame (veth, a bridge) cut into segments, a partial
 * checksum completed.  Return: the frames, or NULL (freed).
 */
static struct sk_buff *svnic_ingress_prep(struct sk_buff *skb)
{
	struct sk_buff *segs;

	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			return NULL;
	}
	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			kfree_skb(skb);
			return NULL;
		}
		consume_skb(skb);
		return segs;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/**
 * svnic_ingress - frames the uplink's rx_handler queued, into the data plane
 * @np: the NP
 *
 * Return: frames taken from the queue.
 */
unsigned int svnic_ingress(struct svnic_np *np)
{
	struct np_frame *frames[SVNIC_BURST];
	struct sk_buff *skb, *next;
	unsigned int n = 0, nf = 0;

	while (n < SVNIC_INGRESS_BURST && (skb = skb_dequeue(&np->ingress))) {
		n++;
		skb_list_walk_safe(svnic_ingress_prep(skb), skb, next) {
			skb_mark_not_on_list(skb);
			frames[nf] = svnic_frame(skb);
			if (frames[nf] && ++nf == SVNIC_BURST) {
				np_dp_rx_from_uplink(np->dp, frames, nf);
				nf = 0;
			}
		}
	}
	if (nf)
		np_dp_rx_from_uplink(np->dp, frames, nf);
	return n;
}

/* np_dp_egress()'s transmit: a frame leaves through the uplink's qdisc. */
static void svnic_xmit(void *arg, struct np_frame *f)
{
	struct net_device *uplink = arg;
	struct sk_buff *skb = f->priv;

	if (!uplink || !netif_running(uplink)) {
		kfree_skb(skb);
		return;
	}
	skb->dev = uplink;
	skb_reset_mac_header(skb);
	skb->protocol = eth_hdr(skb)->h_proto;
	dev_queue_xmit(skb);
}

/**
 * svnic_egress - the egress scheduler's frames out on the uplink
 * @np: the NP
 *
 * Return: frames sent.
 */
unsigned int svnic_egress(struct svnic_np *np)
{
	unsigned int n;

	rcu_read_lock();
	n = np_dp_egress(np->dp, ktime_get_ns(), SVNIC_INGRESS_BURST,
			 svnic_xmit, rcu_dereference(np->uplink));
	rcu_read_unlock();
	return n;
}

static u32 svnic_mac_hash(const u8 *mac)
{
	return jhash(mac, ETH_ALEN, 0) & (BIT(SVNIC_MAC_BITS) - 1);
}

/**
 * svnic_vif_mac_hash - the rx_handler finds @vif by @mac from now on
 * @vif: the VIF
 * @mac: its address; NULL: it is found no more
 */
void svnic_vif_mac_hash(struct svnic_vif *vif, const u8 *mac)
{
	struct svnic_np *np = vif->np;

	spin_lock_bh(&np->mac_lock);
	if (!hlist_unhashed(&vif->mac_node))
		hlist_del_init_rcu(&vif->mac_node);
	if (mac) {
		ether_addr_copy(vif->hash_mac, mac);
		hlist_add_head_rcu(&vif->mac_node,
				   &np->vif_by_mac[svnic_mac_hash(mac)]);
	}
	spin_unlock_bh(&np->mac_lock);
}

static bool svnic_mac_is_vif(struct svnic_np *np, const u8 *mac)
{
	struct svnic_vif *vif;

	hlist_for_each_entry_rcu(vif, &np->vif_by_mac[svnic_mac_hash(mac)],
				 mac_node)
		if (ether_addr_equal(vif->hash_mac, mac))
			return true;
	return false;
}

/**
 * svnic_rx_handler - the uplink's frames for the NP's VIFs
 * @pskb: the frame
 *
 * Unicast frames for a VIF are taken; broadcast and multicast frames, and
 * other unicast while a VIF is promiscuous, are copied to the NP and go on
 * to the host too; the rest are the host's.
 *
 * Return: %RX_HANDLER_CONSUMED or %RX_HANDLER_PASS.
 */
rx_handler_result_t svnic_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct svnic_np *np = rcu_dereference(skb->dev->rx_handler_data);
	const u8 *dst = eth_hdr(skb)->h_dest;
	bool copy = is_multicast_ether_addr(dst);

	if (!copy && !svnic_mac_is_vif(np, dst)) {
		if (!atomic_read(&np->promisc_vifs))
			return RX_HANDLER_PASS;
		copy = true;
	}
	if (copy) {
		skb = skb_clone(skb, GFP_ATOMIC);
		if (!skb)
			return RX_HANDLER_PASS;
	}
	skb_push(skb, skb->data - skb_mac_header(skb));
	if (skb_queue_len(&np->ingress) >= SVNIC_INGRESS_MAX) {
		atomic64_inc(&np->ingress_drops);
		kfree_skb(skb);
	} else {
		skb_queue_tail(&np->ingress, skb);
	}
	svnic_np_kick(np);
	return copy ? RX_HANDLER_PASS : RX_HANDLER_CONSUMED;
}
