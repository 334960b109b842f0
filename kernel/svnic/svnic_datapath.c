// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_datapath.c - the sidecore backend's data path
 *
 * A kthread, on its own CPU when asked, runs cycles: it takes up to a burst
 * of frames from each VIF's transmit ring, switches each by destination MAC
 * (to another VIF of the NP, to every VIF that takes broadcast or multicast,
 * or to the uplink), delivers what the uplink's rx_handler queued for the
 * VIFs, then signals in one pass the VIFs that got used buffers (the
 * virtual interrupt identifier).  Idle, it polls a while, then sleeps until
 * a kick or a frame wakes it.  Every descriptor address goes through the
 * VIF's IOTLB; a chain that does not translate or is too short or too long
 * is dropped and counted, and the other VIFs carry on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/kthread.h>
#include <linux/rculist.h>
#include <net/gso.h>

#include "svnic.h"

#define SVNIC_HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define SVNIC_IDLE_POLLS	64	/* empty cycles before sleeping */

static bool svnic_vq_live(struct svnic_vif *vif, struct svnic_vq *vq)
{
	return vq->ready && (READ_ONCE(vif->status) & VIRTIO_CONFIG_S_DRIVER_OK);
}

/* The frame of the chain in @vq->chain as an skb, or NULL (dropped, counted). */
static struct sk_buff *svnic_tx_frame(struct svnic_vif *vif,
				      struct svnic_vq *vq)
{
	u16 mtu = __virtio16_to_cpu(true, vif->config.mtu);
	struct sk_buff *skb;
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
	skb = netdev_alloc_skb(NULL, len);
	if (!skb)
		return NULL;
	skb_put_data(skb, vif->buf + SVNIC_HDR_LEN, len);
	skb_reset_mac_header(skb);
	vif->stats.tx_packets++;
	vif->stats.tx_bytes += len;
	return skb;
}

/*
 * A frame goes on when the VIF's rate limit has tokens for it; otherwise it
 * waits (one per VIF) and the ring with it: back-pressure, not drops.
 */
static bool svnic_vif_paid(struct svnic_vif *vif, struct sk_buff *skb,
			   struct sk_buff_head *frames, u64 now)
{
	if (vif->tb.rate && !np_tb_take(&vif->tb, skb->len, now)) {
		vif->held = skb;
		return false;
	}
	*(struct svnic_vif **)skb->cb = vif;
	__skb_queue_tail(frames, skb);
	return true;
}

/*
 * Take up to a burst of frames from @vif's transmit ring into @frames;
 * @throttled is set when its rate limit holds one back.
 */
static unsigned int svnic_vif_tx(struct svnic_vif *vif,
				 struct sk_buff_head *frames, bool *throttled)
{
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_TX];
	u64 now = ktime_get_ns();
	struct sk_buff *skb = NULL;
	unsigned int n = 0;
	int ret;

	spin_lock_bh(&vif->lock);
	skb = vif->held;
	vif->held = NULL;
	if (skb && !svnic_vif_paid(vif, skb, frames, now))
		goto out_throttled;
	skb = NULL;
	while (svnic_vq_live(vif, vq) && n < SVNIC_BURST) {
		ret = svnic_ring_pop(&vq->ring, &vq->chain);
		if (ret == 0 || ret == -EIO)
			break;
		if (ret < 0 || vq->chain.wlen)
			vif->stats.drop_malformed++;
		else
			skb = svnic_tx_frame(vif, vq);
		svnic_ring_push(&vq->ring, vq->chain.head, 0);
		svnic_vq_mark(vif, vq);
		n++;
		if (skb && !svnic_vif_paid(vif, skb, frames, now))
			goto out_throttled;
		skb = NULL;
	}
	spin_unlock_bh(&vif->lock);
	return n;

out_throttled:
	*throttled = true;
	spin_unlock_bh(&vif->lock);
	return n;
}

/* Put @skb (an Ethernet frame from its MAC header) in @vif's receive ring. */
static void svnic_vif_rx(struct svnic_vif *vif, struct sk_buff *skb)
{
	struct virtio_net_hdr_mrg_rxbuf *hdr = (void *)vif->buf;
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_RX];
	unsigned int len = skb->len;
	ssize_t done = -EINVAL;
	int ret;

	spin_lock_bh(&vif->lock);
	if (!svnic_vq_live(vif, vq) || len > SVNIC_FRAME_MAX) {
		vif->stats.drop_no_buffer++;
		goto out_unlock;
	}
	ret = svnic_ring_pop(&vq->ring, &vq->chain);
	if (ret == 0 || ret == -EIO) {
		vif->stats.drop_no_buffer++;
		goto out_unlock;
	}
	if (ret > 0 && !vq->chain.rlen) {
		memset(hdr, 0, SVNIC_HDR_LEN);
		hdr->num_buffers = __cpu_to_virtio16(true, 1);
		if (!skb_copy_bits(skb, 0, vif->buf + SVNIC_HDR_LEN, len))
			done = svnic_chain_push(&vq->ring, &vq->chain,
						vif->buf, SVNIC_HDR_LEN + len);
	}
	if (done < 0) {
		/* A malformed or too small buffer goes back empty. */
		svnic_ring_push(&vq->ring, vq->chain.head, 0);
		if (ret < 0 || vq->chain.rlen)
			vif->stats.drop_malformed++;
		else
			vif->stats.drop_no_buffer++;
	} else {
		svnic_ring_push(&vq->ring, vq->chain.head, done);
		vif->stats.rx_packets++;
		vif->stats.rx_bytes += len;
	}
	svnic_vq_mark(vif, vq);
out_unlock:
	spin_unlock_bh(&vif->lock);
}

static struct svnic_vif *svnic_vif_by_mac(struct svnic_np *np, const u8 *mac)
{
	struct svnic_vif *vif;

	list_for_each_entry_rcu(vif, &np->vifs, node)
		if (ether_addr_equal(vif->config.mac, mac))
			return vif;
	return NULL;
}

/*
 * Switch one frame from @src (NULL: the uplink): to the VIF that owns its
 * destination MAC, to every other VIF for broadcast and multicast, and to
 * the uplink when it came from a VIF and is not for one of them.
 */
static void svnic_switch(struct svnic_np *np, struct svnic_vif *src,
			 struct sk_buff *skb, struct sk_buff_head *out)
{
	const u8 *dst = eth_hdr(skb)->h_dest;
	struct svnic_vif *vif;

	if (is_multicast_ether_addr(dst)) {
		list_for_each_entry_rcu(vif, &np->vifs, node)
			if (vif != src)
				svnic_vif_rx(vif, skb);
	} else {
		vif = svnic_vif_by_mac(np, dst);
		if (vif && vif != src) {
			svnic_vif_rx(vif, skb);
			consume_skb(skb);
			return;
		}
		/* Unknown unicast: the promiscuous VIFs see it too. */
		list_for_each_entry_rcu(vif, &np->vifs, node)
			if (vif != src && READ_ONCE(vif->promisc))
				svnic_vif_rx(vif, skb);
	}
	if (src)
		__skb_queue_tail(out, skb);
	else
		consume_skb(skb);
}

/*
 * A frame from the uplink, made whole for a VIF that negotiated no
 * offload: a GSO frame (veth, a bridge) cut into segments, a partial
 * checksum completed.
 */
static void svnic_ingress(struct svnic_np *np, struct sk_buff *skb,
			  struct sk_buff_head *out)
{
	struct sk_buff *segs, *next;

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		consume_skb(skb);
		if (IS_ERR_OR_NULL(segs))
			return;
		skb_list_walk_safe(segs, skb, next) {
			skb_mark_not_on_list(skb);
			svnic_switch(np, NULL, skb, out);
		}
		return;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		return;
	}
	svnic_switch(np, NULL, skb, out);
}

/* Signal VIF @id's queues that got used buffers; false: none wanted it. */
static bool svnic_notify_vif(void *arg, unsigned int id)
{
	struct svnic_np *np = arg;
	struct svnic_vif *vif = rcu_dereference(np->vif_by_id[id]);
	irqreturn_t (*cb)(void *data);
	bool sent = false;
	struct svnic_vq *vq;
	void *private;
	int i;

	if (!vif)
		return false;
	for (i = 0; i < SVNIC_NR_VQS; i++) {
		vq = &vif->vqs[i];
		if (!READ_ONCE(vq->notify))
			continue;
		spin_lock_bh(&vif->lock);
		vq->notify = false;
		cb = vq->ready && svnic_ring_want_irq(&vq->ring) ? vq->cb : NULL;
		private = vq->cb_private;
		spin_unlock_bh(&vif->lock);
		if (cb) {
			cb(private);
			sent = true;
		}
	}
	return sent;
}

/*
 * Signal, in one pass over the virtual interrupt identifier's set words,
 * the VIFs whose rings got used buffers: the cost follows the VIFs that
 * have something to hear, not how many VIFs there are.
 */
static void svnic_notify(struct svnic_np *np)
{
	np_notify_flush(&np->notify, svnic_notify_vif, np);
}

/* Frames for the uplink leave through its queueing discipline. */
static void svnic_uplink_xmit(struct svnic_np *np, struct sk_buff_head *out)
{
	struct net_device *uplink;
	struct sk_buff *skb;

	rcu_read_lock();
	uplink = rcu_dereference(np->uplink);
	while ((skb = __skb_dequeue(out))) {
		if (!uplink || !netif_running(uplink)) {
			kfree_skb(skb);
			continue;
		}
		skb->dev = uplink;
		skb->protocol = eth_hdr(skb)->h_proto;
		dev_queue_xmit(skb);
	}
	rcu_read_unlock();
}

/*
 * One cycle of the sidecore; true when it moved frames.  @throttled: a VIF
 * waits for its rate limit's tokens.
 */
static bool svnic_cycle(struct svnic_np *np, bool *throttled)
{
	struct sk_buff_head frames, out;
	struct svnic_vif *vif;
	struct sk_buff *skb;
	unsigned int n = 0;

	__skb_queue_head_init(&frames);
	__skb_queue_head_init(&out);
	rcu_read_lock();
	list_for_each_entry_rcu(vif, &np->vifs, node) {
		n += svnic_vif_ctrl(vif);
		n += svnic_vif_tx(vif, &frames, throttled);
	}
	while ((skb = __skb_dequeue(&frames)))
		svnic_switch(np, *(struct svnic_vif **)skb->cb, skb, &out);
	while (n < SVNIC_BURST * 4 && (skb = skb_dequeue(&np->ingress))) {
		svnic_ingress(np, skb, &out);
		n++;
	}
	svnic_notify(np);
	rcu_read_unlock();
	svnic_uplink_xmit(np, &out);
	return n;
}

/**
 * svnic_sidecore - the NP's data path thread
 * @data: the NP
 *
 * Return: 0, when stopped.
 */
int svnic_sidecore(void *data)
{
	struct svnic_np *np = data;
	bool throttled;

	while (!kthread_should_stop()) {
		throttled = false;
		if (svnic_cycle(np, &throttled)) {
			np->idle_polls = 0;
			cond_resched();
			continue;
		}
		/* Tokens come with time: look again at the next tick. */
		if (throttled) {
			schedule_timeout_interruptible(1);
			continue;
		}
		if (++np->idle_polls < SVNIC_IDLE_POLLS) {
			cond_resched();
			continue;
		}
		/* Idle: sleep until a kick or a frame, and look again anyway. */
		wait_event_interruptible_timeout(np->wait,
						 atomic_xchg(&np->kicked, 0) ||
						 kthread_should_stop(),
						 HZ / 10);
		np->idle_polls = 0;
	}
	return 0;
}

/**
 * svnic_rx_handler - the uplink's frames for the NP's VIFs
 * @pskb: the frame
 *
 * Unicast frames for a VIF are taken; broadcast and multicast frames are
 * copied to the VIFs and go on to the host too; others are the host's.
 *
 * Return: %RX_HANDLER_CONSUMED or %RX_HANDLER_PASS.
 */
rx_handler_result_t svnic_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct svnic_np *np = rcu_dereference(skb->dev->rx_handler_data);
	const u8 *dst = eth_hdr(skb)->h_dest;
	bool mcast = is_multicast_ether_addr(dst);

	if (!mcast && !svnic_vif_by_mac(np, dst))
		return RX_HANDLER_PASS;
	if (mcast) {
		skb = skb_clone(skb, GFP_ATOMIC);
		if (!skb)
			return RX_HANDLER_PASS;
	}
	skb_push(skb, skb->data - skb_mac_header(skb));
	if (skb_queue_len(&np->ingress) >= SVNIC_INGRESS_MAX)
		kfree_skb(skb);
	else
		skb_queue_tail(&np->ingress, skb);
	svnic_np_kick(np);
	return mcast ? RX_HANDLER_PASS : RX_HANDLER_CONSUMED;
}
