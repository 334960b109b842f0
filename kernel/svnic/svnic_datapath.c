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
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/rculist.h>
#include <linux/virtio_net.h>
#include <net/checksum.h>
#include <net/gso.h>
#include <net/page_pool/helpers.h>

#include "svnic_sidecore.h"

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

/*
 * The longest wire frame a GSO frame becomes: its headers and a segment;
 * its whole length for a kind whose segments svnic does not know.
 */
static u32 svnic_gso_seg_len(const struct sk_buff *skb)
{
	unsigned int type = skb_shinfo(skb)->gso_type, l4;

	if (!skb_transport_header_was_set(skb))
		return skb->len;
	if (type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))
		l4 = tcp_hdrlen(skb);
	else if (type & SKB_GSO_UDP_L4)
		l4 = sizeof(struct udphdr);
	else
		return skb->len;
	return skb_transport_header(skb) - skb_mac_header(skb) + l4 +
	       skb_shinfo(skb)->gso_size;
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
	f->seg_len = skb_is_gso(skb) ? svnic_gso_seg_len(skb) : 0;
	f->priv = skb;
	return f;
}

/* Longest frame a chain may carry: a GSO frame when the VIF offloads TSO. */
static u32 svnic_tx_max(struct svnic_vif *vif, const struct virtio_net_hdr *h)
{
	u16 mtu = __virtio16_to_cpu(true, vif->config.mtu);

	if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return GSO_LEGACY_MAX_SIZE + ETH_HLEN;
	return mtu + ETH_HLEN + VLAN_HLEN;
}

/*
 * Whether the VIF negotiated what the header asks for: a partial checksum
 * needs VIRTIO_NET_F_CSUM, TCP segmentation HOST_TSO4/6 (with ECN,
 * HOST_ECN) and a partial checksum too.
 */
static bool svnic_tx_hdr_ok(struct svnic_vif *vif, const struct virtio_net_hdr *h)
{
	u8 gso = h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	u64 f = vif->features;

	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    !(f & BIT_ULL(VIRTIO_NET_F_CSUM)))
		return false;
	if (gso == VIRTIO_NET_HDR_GSO_NONE)
		return !(h->gso_type & VIRTIO_NET_HDR_GSO_ECN);
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    ((h->gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	     !(f & BIT_ULL(VIRTIO_NET_F_HOST_ECN))))
		return false;
	return (gso == VIRTIO_NET_HDR_GSO_TCPV4 &&
		(f & BIT_ULL(VIRTIO_NET_F_HOST_TSO4))) ||
	       (gso == VIRTIO_NET_HDR_GSO_TCPV6 &&
		(f & BIT_ULL(VIRTIO_NET_F_HOST_TSO6)));
}

/* Tag @skb for VLAN @vlan in its bytes; NULL when that fails (freed). */
static struct sk_buff *svnic_vlan_push(struct sk_buff *skb, u16 vlan)
{
	skb = vlan_insert_tag_set_proto(skb, htons(ETH_P_8021Q), vlan);
	/* The tag is part of the MAC header, for GSO's parsing too. */
	if (skb)
		skb_reset_mac_len(skb);
	return skb;
}

/*
 * The frame a VIF sent, its virtio-net header applied, into @out.  A GSO
 * frame goes on whole, its checksum partial: the uplink's own offloads cut
 * it, or its delivery to a VIF does (GSO pass-through).  Only a VIF held
 * to a rate has its GSO frames cut here, for the egress scheduler charges
 * what it sends by wire frames.  An access port's frames are tagged.
 * Returns how many frames went to @out, 0 when it was dropped (counted).
 */
static unsigned int svnic_tx_offload(struct svnic_vif *vif, struct sk_buff *skb,
				     struct sk_buff_head *out)
{
	u16 vlan = READ_ONCE(vif->vlan);
	struct sk_buff *segs, *next;
	unsigned int n = 0;

	segs = skb;
	if (skb_is_gso(skb) && vif->rate) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			vif->stats.drop_malformed++;
			kfree_skb(skb);
			return 0;
		}
		consume_skb(skb);
	}
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		if (vlan != NP_VLAN_NONE && !eth_type_vlan(eth_hdr(skb)->h_proto)) {
			skb = svnic_vlan_push(skb, vlan);
			if (!skb)
				continue;
		}
		__skb_queue_tail(out, skb);
		n++;
	}
	return n;
}

/*
 * An skb for a frame of @len bytes that a VIF sends.  Up to a page, its
 * bytes come from the NP's page pool, to which the page goes back when
 * the skb is freed, wherever that is: not from the page allocator, which
 * zeroes every page (init_on_alloc) and costs more than the frame's copy.
 * With BHs off.
 */
static struct sk_buff *svnic_tx_skb(struct svnic_sidecore *sc, u32 len)
{
	unsigned int size = SKB_HEAD_ALIGN(NET_SKB_PAD + len);
	struct sk_buff *skb;
	void *va;

	if (size > PAGE_SIZE)
		return netdev_alloc_skb(NULL, len);
	va = page_pool_dev_alloc_va(sc->pool, &size);
	if (!va)
		return NULL;
	skb = napi_build_skb(va, size);
	if (!skb) {
		page_pool_free_va(sc->pool, va, true);
		return NULL;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, NET_SKB_PAD);
	return skb;
}

/*
 * The frame of the chain in @vq->chain, read straight into an skb, into
 * @out as wire frames; returns how many, 0 when it was dropped (counted).
 */
static unsigned int svnic_tx_frame(struct svnic_vif *vif, struct svnic_vq *vq,
				   struct sk_buff_head *out)
{
	struct virtio_net_hdr_mrg_rxbuf hdr;
	const struct svnic_chain *c = &vq->chain;
	struct sk_buff *skb;
	u32 len;

	if (c->rlen < SVNIC_HDR_LEN + ETH_HLEN ||
	    svnic_chain_read(&vq->ring, c, 0, &hdr, SVNIC_HDR_LEN) ||
	    !svnic_tx_hdr_ok(vif, &hdr.hdr)) {
		vif->stats.drop_malformed++;
		return 0;
	}
	len = c->rlen - SVNIC_HDR_LEN;
	if (len > svnic_tx_max(vif, &hdr.hdr)) {
		vif->stats.drop_too_big++;
		return 0;
	}
	skb = svnic_tx_skb(svnic_sc(vif->np), len);
	if (!skb) {
		vif->stats.drop_no_buffer++;
		return 0;
	}
	if (svnic_chain_read(&vq->ring, c, SVNIC_HDR_LEN, skb_put(skb, len), len))
		goto out_malformed;
	skb_reset_mac_header(skb);
	skb->mac_len = ETH_HLEN;
	skb->protocol = eth_hdr(skb)->h_proto;
	skb_set_network_header(skb, ETH_HLEN);
	if (virtio_net_hdr_to_skb(skb, &hdr.hdr, true))
		goto out_malformed;
	return svnic_tx_offload(vif, skb, out);

out_malformed:
	vif->stats.drop_malformed++;
	kfree_skb(skb);
	return 0;
}

/* Hand the frames in @list to the data plane, a burst at a time. */
static void svnic_tx_to_np(struct svnic_sidecore *sc, struct svnic_vif *vif,
			   struct sk_buff_head *list)
{
	struct np_frame *frames[SVNIC_BURST];
	struct sk_buff *skb;
	unsigned int nf = 0;

	while ((skb = __skb_dequeue(list))) {
		frames[nf] = svnic_frame(skb);
		if (frames[nf] && ++nf == SVNIC_BURST) {
			np_dp_rx_from_vif(sc->dp, vif->id, frames, nf);
			nf = 0;
		}
	}
	if (nf)
		np_dp_rx_from_vif(sc->dp, vif->id, frames, nf);
}

/**
 * svnic_vif_tx - frames from @vif's transmit ring into the data plane
 * @sc: the sidecore
 * @vif: the VIF
 *
 * No more are taken than its egress queue has room for, up to
 * %SVNIC_TXQ_FILL frames (a GSO frame may go over by its segments): a VIF
 * held to its rate, or faster than the uplink, is held back in its own
 * ring.
 *
 * Return: descriptor chains taken.
 */
unsigned int svnic_vif_tx(struct svnic_sidecore *sc, struct svnic_vif *vif)
{
	unsigned int free = np_dp_tx_room(sc->dp, vif->id);
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_TX];
	unsigned int room = free > SVNIC_NP_SLOTS - SVNIC_TXQ_FILL ?
			    free - (SVNIC_NP_SLOTS - SVNIC_TXQ_FILL) : 0;
	unsigned int n = 0, nf = 0;
	struct sk_buff_head list;
	int ret;

	__skb_queue_head_init(&list);
	svnic_rings_lock(vif);
	while (nf < room && n < SVNIC_BURST && svnic_vq_live(vif, vq)) {
		ret = svnic_ring_pop(&vq->ring, &vq->chain);
		if (ret == 0 || ret == -EIO)
			break;
		if (ret < 0 || vq->chain.wlen)
			vif->stats.drop_malformed++;
		else
			nf += svnic_tx_frame(vif, vq, &list);
		svnic_ring_push(&vq->ring, vq->chain.head, 0);
		n++;
	}
	if (n) {
		svnic_ring_publish(&vq->ring);
		svnic_vq_mark(vq);
	}
	svnic_rings_unlock(vif);
	svnic_tx_to_np(sc, vif, &list);
	if (n)
		np_dp_mark(sc->dp, vif->id, 0);
	return n;
}

/**
 * struct svnic_rx_src - a frame as a VIF's driver gets it: the virtio-net
 *	header, then the frame without an access port's tag
 * @hdr: the header
 * @skb: the frame
 * @skip: the tag's bytes, after the addresses (0: none)
 * @sum_at: where a checksum svnic completed goes, 0 for none
 * @sum: that checksum
 */
struct svnic_rx_src {
	struct virtio_net_hdr_mrg_rxbuf hdr;
	const struct sk_buff *skb;
	unsigned int skip;
	unsigned int sum_at;
	__sum16 sum;
};

/* &svnic_fill_t: bytes @off to @off + @len of the frame @arg describes. */
static int svnic_rx_fill(void *arg, size_t off, void *to, size_t len)
{
	const size_t macs = SVNIC_HDR_LEN + 2 * ETH_ALEN;
	const struct svnic_rx_src *s = arg;
	size_t at = off, n = len, part;
	u8 *p = to;
	int i;

	if (at < SVNIC_HDR_LEN) {
		part = min(n, SVNIC_HDR_LEN - at);
		memcpy(p, (const u8 *)&s->hdr + at, part);
		p += part;
		at += part;
		n -= part;
	}
	if (n && at < macs) {
		part = min(n, macs - at);
		if (skb_copy_bits(s->skb, at - SVNIC_HDR_LEN, p, part))
			return -EFAULT;
		p += part;
		at += part;
		n -= part;
	}
	if (n && skb_copy_bits(s->skb, at - SVNIC_HDR_LEN + s->skip, p, n))
		return -EFAULT;
	for (i = 0; s->sum_at && i < sizeof(s->sum); i++)
		if (s->sum_at + i >= off && s->sum_at + i < off + len)
			((u8 *)to)[s->sum_at + i - off] = ((const u8 *)&s->sum)[i];
	return 0;
}

/*
 * The header's checksum fields for @s->skb: a partial checksum handed on
 * when the driver takes them (GUEST_CSUM), else completed on the way; a
 * checked one marked valid.
 */
static void svnic_rx_csum(struct svnic_vif *vif, struct svnic_rx_src *s)
{
	bool guest_csum = vif->features & BIT_ULL(VIRTIO_NET_F_GUEST_CSUM);
	const struct sk_buff *skb = s->skb;
	struct virtio_net_hdr *h = &s->hdr.hdr;
	unsigned int start, at;
	__sum16 sum;

	if (skb->ip_summed == CHECKSUM_UNNECESSARY && guest_csum) {
		h->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	start = skb_checksum_start_offset(skb);
	at = start + skb->csum_offset;
	if (start < 2 * ETH_ALEN + s->skip || at + sizeof(sum) > skb->len)
		return;
	if (guest_csum) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = __cpu_to_virtio16(true, start - s->skip);
		h->csum_offset = __cpu_to_virtio16(true, skb->csum_offset);
		return;
	}
	sum = csum_fold(skb_checksum(skb, start, skb->len - start, 0));
	s->sum = sum ?: CSUM_MANGLED_0;
	s->sum_at = SVNIC_HDR_LEN + at - s->skip;
}

/*
 * Whether @skb, a GSO frame, goes to the driver whole (GUEST_TSO4/6, with
 * a partial checksum), and then its header's GSO fields.
 */
static bool svnic_rx_gso(struct svnic_vif *vif, struct svnic_rx_src *s)
{
	const struct sk_buff *skb = s->skb;
	unsigned int type = skb_shinfo(skb)->gso_type;
	struct virtio_net_hdr *h = &s->hdr.hdr;
	u64 f = vif->features;
	u8 gso;

	if (!(f & BIT_ULL(VIRTIO_NET_F_GUEST_CSUM)) ||
	    skb->ip_summed != CHECKSUM_PARTIAL ||
	    !skb_transport_header_was_set(skb) ||
	    skb_transport_offset(skb) + sizeof(struct tcphdr) > skb_headlen(skb) ||
	    (type & ~(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_TCP_ECN |
		      SKB_GSO_TCP_FIXEDID | SKB_GSO_DODGY)))
		return false;
	if ((type & SKB_GSO_TCPV4) && (f & BIT_ULL(VIRTIO_NET_F_GUEST_TSO4)))
		gso = VIRTIO_NET_HDR_GSO_TCPV4;
	else if ((type & SKB_GSO_TCPV6) && (f & BIT_ULL(VIRTIO_NET_F_GUEST_TSO6)))
		gso = VIRTIO_NET_HDR_GSO_TCPV6;
	else
		return false;
	if (type & SKB_GSO_TCP_ECN) {
		if (!(f & BIT_ULL(VIRTIO_NET_F_GUEST_ECN)))
			return false;
		gso |= VIRTIO_NET_HDR_GSO_ECN;
	}
	h->gso_type = gso;
	h->gso_size = __cpu_to_virtio16(true, skb_shinfo(skb)->gso_size);
	h->hdr_len = __cpu_to_virtio16(true, skb_transport_offset(skb) +
				       tcp_hdrlen(skb) - s->skip);
	return true;
}

/*
 * @s for @skb as @vif's driver gets it.  Return: its length, header
 * included; 0 when it is too big (a GSO frame that the driver does not
 * take whole is delivered as segments).
 */
static unsigned int svnic_rx_src(struct svnic_vif *vif, struct sk_buff *skb,
				 u16 vlan, struct svnic_rx_src *s)
{
	unsigned int max = SVNIC_FRAME_MAX;

	memset(s, 0, sizeof(*s));
	s->skb = skb;
	s->hdr.num_buffers = __cpu_to_virtio16(true, 1);
	if (vlan != NP_VLAN_NONE && skb->len >= VLAN_ETH_HLEN)
		s->skip = VLAN_HLEN;
	if (skb_is_gso(skb)) {
		if (!svnic_rx_gso(vif, s))
			return 0;
		max = SVNIC_GSO_FRAME_MAX;
	}
	if (skb->len < ETH_HLEN || skb->len - s->skip > max)
		return 0;
	svnic_rx_csum(vif, s);
	return SVNIC_HDR_LEN + skb->len - s->skip;
}

/* The @n chains taken for a frame go back used, @scv->rx_used[i] bytes each. */
static void svnic_rx_used(struct svnic_sc_vif *scv, struct svnic_vq *vq,
			  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		svnic_ring_push(&vq->ring, scv->rx_head[i], scv->rx_used[i]);
}

/*
 * Copy the frame @s into the next buffers of @vq, @total bytes: one
 * buffer, or with MRG_RXBUF as many as it takes (num_buffers in the
 * header).  Under the rings' lock.  Return: 0 when it was delivered;
 * -EAGAIN when the driver has not posted the buffers it needs yet (none
 * is taken: the frame waits for them); else it was dropped (counted).
 */
static int svnic_deliver(struct svnic_vif *vif, struct svnic_vq *vq,
			 struct svnic_rx_src *s, unsigned int total)
{
	bool mrg = vif->features & BIT_ULL(VIRTIO_NET_F_MRG_RXBUF);
	struct svnic_sc_vif *scv = svnic_sc_vif(vif);
	unsigned int done = 0, k = 0;
	struct svnic_chain *c;
	u32 part;
	int ret;

	while (done < total) {
		if (k == (mrg ? SVNIC_MRG_MAX : 1))
			goto out_no_room;
		c = k ? &vq->chain : &scv->rx_first;
		ret = svnic_ring_pop(&vq->ring, c);
		if (ret == 0 && k < vq->ring.num)
			goto out_wait;
		if (ret == 0 || ret == -EIO)
			goto out_no_buffer;
		scv->rx_head[k] = c->head;
		scv->rx_used[k++] = 0;
		if (ret < 0 || c->rlen)
			goto out_malformed;
		part = min_t(u32, c->wlen, total - done);
		if ((!mrg && part < total) ||
		    svnic_chain_fill(&vq->ring, c, svnic_rx_fill, s, done, part) < 0)
			goto out_no_room;
		scv->rx_used[k - 1] = part;
		done += part;
	}
	if (k > 1) {
		s->hdr.num_buffers = __cpu_to_virtio16(true, k);
		if (svnic_chain_push(&vq->ring, &scv->rx_first, &s->hdr,
				     SVNIC_HDR_LEN) < 0)
			goto out_no_room;
	}
	svnic_rx_used(scv, vq, k);
	return 0;

out_wait:
	/* Not posted yet: the chains taken are taken again for the frame. */
	svnic_ring_unpop(&vq->ring, k);
	return -EAGAIN;
out_no_buffer:
	svnic_ring_unpop(&vq->ring, k);
	vif->stats.drop_no_buffer++;
	return -ENOBUFS;
out_no_room:
	/* Buffers too small for it, even all the driver could post. */
	vif->stats.drop_no_buffer++;
	memset(scv->rx_used, 0, k * sizeof(*scv->rx_used));
	svnic_rx_used(scv, vq, k);
	return -ENOSPC;
out_malformed:
	/* A malformed chain, and those before it, go back empty. */
	vif->stats.drop_malformed++;
	memset(scv->rx_used, 0, k * sizeof(*scv->rx_used));
	svnic_rx_used(scv, vq, k);
	return -EINVAL;
}

/*
 * Whether @vq lacks the buffers that the segments of @skb take, one each
 * at least, while its driver may still post them: then the frame waits.
 */
static bool svnic_segs_wait(struct svnic_vq *vq, const struct sk_buff *skb)
{
	unsigned int segs = skb_shinfo(skb)->gso_segs;
	int posted = svnic_ring_pending(&vq->ring);

	if (!segs)
		segs = DIV_ROUND_UP(skb->len, skb_shinfo(skb)->gso_size);
	return posted >= 0 && posted < segs && posted < vq->ring.num;
}

/*
 * Deliver @skb: whole, or a GSO frame the driver does not take whole in
 * its segments (their checksums computed).  Return: 0 when all of it was
 * delivered, -EAGAIN when it waits for receive buffers (nothing of it was
 * delivered), another errno when some or all of it was dropped.
 */
static int svnic_deliver_frame(struct svnic_vif *vif, struct svnic_vq *vq,
			       struct sk_buff *skb, u16 vlan)
{
	struct sk_buff *segs, *next;
	struct svnic_rx_src s;
	unsigned int total;
	int err, ret = 0;

	total = svnic_rx_src(vif, skb, vlan, &s);
	if (total)
		return svnic_deliver(vif, vq, &s, total);
	if (!skb_is_gso(skb)) {
		vif->stats.drop_too_big++;
		return -EMSGSIZE;
	}
	if (svnic_segs_wait(vq, skb))
		return -EAGAIN;
	segs = NULL;
	if (skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb->ip_summed == CHECKSUM_UNNECESSARY)
		segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		vif->stats.drop_malformed++;
		return -EINVAL;
	}
	/* Once a segment is in, those that find no buffer are dropped. */
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		total = svnic_rx_src(vif, skb, vlan, &s);
		if (!total) {
			vif->stats.drop_too_big++;
			ret = -EMSGSIZE;
		} else {
			err = svnic_deliver(vif, vq, &s, total);
			if (err == -EAGAIN) {
				vif->stats.drop_no_buffer++;
				err = -ENOBUFS;
			}
			ret = err ?: ret;
		}
		consume_skb(skb);
	}
	return ret;
}

/**
 * svnic_vif_rx - the data plane's frames for @vif into its receive buffers
 * @sc: the sidecore
 * @vif: the VIF
 *
 * Frames are taken from the VIF's receive queue of the NP as far as the
 * driver posted buffers for them: the first one that waits for more stays
 * at the head of the queue, and what comes after it waits behind it (the
 * queue's bound drops the excess, as a NIC's FIFO would).  A VIF whose
 * driver is not running gets nothing: what waits for it is dropped.
 *
 * Return: frames taken.
 */
unsigned int svnic_vif_rx(struct svnic_sidecore *sc, struct svnic_vif *vif)
{
	struct svnic_sc_vif *scv = svnic_sc_vif(vif);
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_RX];
	struct np_frame *frames[SVNIC_BURST];
	u16 vlan = READ_ONCE(vif->vlan);
	unsigned int i, n;
	bool live;
	int ret;

	n = np_dp_rx_peek(sc->dp, vif->id, frames, SVNIC_BURST);
	if (!n)
		return 0;
	svnic_rings_lock(vif);
	live = svnic_vq_live(vif, vq);
	scv->rx_wait = false;
	for (i = 0; i < n; i++) {
		ret = live ? svnic_deliver_frame(vif, vq, frames[i]->priv, vlan) :
			     -ENODEV;
		if (ret == -EAGAIN) {
			scv->rx_wait = true;
			scv->rx_wait_idx = vq->ring.avail_idx;
			break;
		}
		if (ret == -ENODEV)
			vif->stats.drop_no_buffer++;
		if (ret) {
			vif->stats.rx_lost++;
			vif->stats.rx_lost_bytes += frames[i]->len;
		}
	}
	if (live && i) {
		svnic_ring_publish(&vq->ring);
		svnic_vq_mark(vq);
	}
	svnic_rings_unlock(vif);
	n = np_dp_rx_take(sc->dp, vif->id, frames, i);
	for (i = 0; i < n; i++)
		consume_skb(frames[i]->priv);
	/* Marked once its used buffers are written: a due batch goes now. */
	if (live && n)
		np_dp_mark(sc->dp, vif->id, n);
	return n;
}

/*
 * A frame from the uplink made whole for the data plane: its VLAN tag in
 * the frame.  A GSO frame (veth, a bridge) stays whole and a partial
 * checksum partial: each VIF's delivery cuts or completes them.
 * Return: the frame, or NULL (freed).
 */
static struct sk_buff *svnic_ingress_prep(struct sk_buff *skb)
{
	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (skb)
			skb_reset_mac_len(skb);
	}
	return skb;
}

/**
 * svnic_ingress - frames the uplink's rx_handler queued, into the data plane
 * @sc: the sidecore
 *
 * Return: frames taken from the queue.
 */
unsigned int svnic_ingress(struct svnic_sidecore *sc)
{
	struct np_frame *frames[SVNIC_BURST];
	unsigned int n = 0, nf = 0;
	struct sk_buff *skb;

	while (n < SVNIC_INGRESS_BURST && (skb = skb_dequeue(&sc->ingress))) {
		n++;
		skb = svnic_ingress_prep(skb);
		frames[nf] = skb ? svnic_frame(skb) : NULL;
		if (frames[nf] && ++nf == SVNIC_BURST) {
			np_dp_rx_from_uplink(sc->dp, frames, nf);
			nf = 0;
		}
	}
	if (nf)
		np_dp_rx_from_uplink(sc->dp, frames, nf);
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
 * @sc: the sidecore
 *
 * Return: frames sent.
 */
unsigned int svnic_egress(struct svnic_sidecore *sc)
{
	unsigned int n;

	rcu_read_lock();
	n = np_dp_egress(sc->dp, ktime_get_ns(), SVNIC_INGRESS_BURST,
			 svnic_xmit, rcu_dereference(sc->np.uplink));
	rcu_read_unlock();
	return n;
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
	struct svnic_sidecore *sc = rcu_dereference(skb->dev->rx_handler_data);
	const u8 *dst = eth_hdr(skb)->h_dest;
	bool copy = is_multicast_ether_addr(dst);

	if (!copy && !svnic_sc_mac_is_vif(sc, dst)) {
		if (!atomic_read(&sc->promisc_vifs))
			return RX_HANDLER_PASS;
		copy = true;
	}
	if (copy) {
		skb = skb_clone(skb, GFP_ATOMIC);
		if (!skb)
			return RX_HANDLER_PASS;
	}
	skb_push(skb, skb->data - skb_mac_header(skb));
	if (skb_queue_len(&sc->ingress) >= SVNIC_INGRESS_MAX) {
		atomic64_inc(&sc->ingress_drops);
		kfree_skb(skb);
	} else {
		skb_queue_tail(&sc->ingress, skb);
	}
	svnic_sidecore_kick(sc);
	return copy ? RX_HANDLER_PASS : RX_HANDLER_CONSUMED;
}
