// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_msg.c - the host side of the host<->NP control protocol
 *
 * Everything the host changes in an NP - a VIF made, removed or
 * reconfigured, a rate limit, the notification batching - and every
 * counter it reads travel as the messages of firmware/ixp2400/np_abi.h
 * through the NP's backend, whether the NP is a network processor or the
 * sidecore: the VIF logic does not know which.  A reply is checked before
 * it is believed: its type, sequence number, length and ABI version.
 *
 * The sidecore's own work on the data plane (a driver's control virtqueue
 * commands) builds the same messages (svnic_msg_vif_set(),
 * svnic_msg_mcast()) and hands them to np_ctl_handle() directly: it is the
 * NP's side.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>

#include "svnic.h"

/**
 * svnic_msg_init - a request's header and an empty body
 * @m: the message
 * @type: enum np_msg_type
 * @seq: its sequence number
 */
void svnic_msg_init(struct np_msg *m, u16 type, u32 seq)
{
	memset(m, 0, sizeof(*m));
	m->hdr.abi_major = NP_ABI_MAJOR;
	m->hdr.abi_minor = NP_ABI_MINOR;
	m->hdr.type = cpu_to_le16(type);
	m->hdr.seq = cpu_to_le32(seq);
}

/**
 * svnic_msg_len - a request's length, its header included
 * @m: the request, of a type np_abi.h defines
 *
 * Return: the length.
 */
size_t svnic_msg_len(const struct np_msg *m)
{
	return sizeof(m->hdr) + np_msg_body_len(le16_to_cpu(m->hdr.type), false);
}

/**
 * svnic_msg_reply_check - whether @reply answers @req
 * @req: the request
 * @reply: what came back
 * @len: its length
 *
 * Return: the NP's status (0 or a negative errno) for a reply that matches
 * the request; -EPROTO for one that does not, or comes from an NP of
 * another major ABI version.
 */
int svnic_msg_reply_check(const struct np_msg *req, const struct np_msg *reply,
			  size_t len)
{
	u16 type = le16_to_cpu(req->hdr.type);
	int status;

	if (len < sizeof(reply->hdr) || len > sizeof(*reply) ||
	    le16_to_cpu(reply->hdr.len) != len ||
	    !np_abi_compatible(reply->hdr.abi_major, reply->hdr.abi_minor) ||
	    le16_to_cpu(reply->hdr.type) != (type | NP_MSG_REPLY) ||
	    reply->hdr.seq != req->hdr.seq)
		return -EPROTO;
	status = (s32)le32_to_cpu(reply->hdr.status);
	if (status > 0 || status < -MAX_ERRNO)
		return -EPROTO;
	if (!status && len != sizeof(reply->hdr) + np_msg_body_len(type, true))
		return -EPROTO;
	return status;
}

/*
 * Send @m (its body filled) to @np and wait for the answer, put in @m.
 * Return: the NP's status, -EPROTO for a reply that does not answer @m, or
 * the transport's error.
 */
static int svnic_np_call(struct svnic_np *np, struct np_msg *m)
{
	size_t len = svnic_msg_len(m);
	struct np_msg reply;
	size_t reply_len = sizeof(reply);
	int ret;

	m->hdr.seq = cpu_to_le32(atomic_inc_return(&np->seq));
	m->hdr.len = cpu_to_le16(len);
	ret = np->ops->msg(np, m, &reply, &reply_len);
	if (ret)
		return ret;
	ret = svnic_msg_reply_check(m, &reply, reply_len);
	if (ret == -EPROTO)
		pr_warn_ratelimited("svnic-np%u: bad reply to message type %u\n",
				    np->id, le16_to_cpu(m->hdr.type));
	/* The reply, whatever it says: HELLO looks at its version. */
	if (reply_len >= sizeof(reply.hdr))
		memcpy(m, &reply, min(reply_len, sizeof(reply)));
	return ret;
}

/**
 * svnic_np_hello - open the NP's control session: its ABI version,
 *	capabilities and MTU range
 * @np: the NP, its backend started
 *
 * A VIF's MTU is then one that both svnic (%SVNIC_MTU_MIN to
 * %SVNIC_MTU_MAX) and the NP allow.
 *
 * Return: 0; -EPROTONOSUPPORT for an NP of another major ABI version, or
 * the error of the exchange.
 */
int svnic_np_hello(struct svnic_np *np)
{
	struct np_msg m;
	int ret;

	svnic_msg_init(&m, NP_MSG_HELLO, 0);
	ret = svnic_np_call(np, &m);
	np->abi_major = m.hdr.abi_major;
	np->abi_minor = m.hdr.abi_minor;
	if (ret == -EPROTO && m.hdr.abi_major != NP_ABI_MAJOR)
		ret = -EPROTONOSUPPORT;
	if (ret)
		return ret;
	np->caps = le64_to_cpu(m.body.hello.caps);
	np->mtu_min = max_t(u16, SVNIC_MTU_MIN,
			    le16_to_cpu(m.body.hello.mtu_min));
	np->mtu_max = min_t(u16, SVNIC_MTU_MAX,
			    le16_to_cpu(m.body.hello.mtu_max));
	return 0;
}

static void svnic_msg_conf(struct np_msg_vif_conf *c, const u8 *mac, u16 vlan,
			   u16 mtu, u16 rx_mode)
{
	ether_addr_copy(c->mac, mac);
	c->vlan = cpu_to_le16(vlan);
	c->mtu = cpu_to_le16(mtu);
	c->rx_mode = cpu_to_le16(rx_mode);
}

/**
 * svnic_np_vif_add - make @vif's place in the NP
 * @np: the NP
 * @vif: the VIF: its id, address, VLAN, MTU and receive mode
 *
 * Return: 0, or the NP's refusal.
 */
int svnic_np_vif_add(struct svnic_np *np, struct svnic_vif *vif)
{
	struct np_msg m;

	svnic_msg_init(&m, NP_MSG_VIF_ADD, 0);
	m.body.vif_add.vif = cpu_to_le32(vif->id);
	svnic_msg_conf(&m.body.vif_add.conf, vif->config.mac, vif->vlan,
		       __virtio16_to_cpu(true, vif->config.mtu), vif->rx_mode);
	return svnic_np_call(np, &m);
}

/**
 * svnic_np_vif_del - remove @vif from the NP; the frames it holds for or
 *	from the VIF are freed
 * @np: the NP
 * @vif: the VIF
 *
 * Return: 0, or the NP's refusal.
 */
int svnic_np_vif_del(struct svnic_np *np, struct svnic_vif *vif)
{
	struct np_msg m;

	svnic_msg_init(&m, NP_MSG_VIF_DEL, 0);
	m.body.vif_del.vif = cpu_to_le32(vif->id);
	return svnic_np_call(np, &m);
}

/**
 * svnic_msg_vif_set - a VIF_SET request for @vif: the fields @change names
 *	take @mac, @vlan and @rx_mode, the others are 0 as the ABI wants
 * @m: the request
 * @vif: the VIF
 * @change: enum np_vif_change bits
 * @mac: the new address, with %NP_VIF_SET_MAC
 * @vlan: the new VLAN, with %NP_VIF_SET_VLAN
 * @rx_mode: the new receive mode, with %NP_VIF_SET_RX_MODE
 */
void svnic_msg_vif_set(struct np_msg *m, struct svnic_vif *vif, u32 change,
		       const u8 *mac, u16 vlan, u16 rx_mode)
{
	static const u8 zero[ETH_ALEN];

	svnic_msg_init(m, NP_MSG_VIF_SET, 0);
	m->body.vif_set.vif = cpu_to_le32(vif->id);
	m->body.vif_set.change = cpu_to_le32(change);
	svnic_msg_conf(&m->body.vif_set.conf,
		       change & NP_VIF_SET_MAC ? mac : zero,
		       change & NP_VIF_SET_VLAN ? vlan : 0, 0,
		       change & NP_VIF_SET_RX_MODE ? rx_mode : 0);
}

/**
 * svnic_np_vif_set - change some of @vif's configuration in the NP
 * @np: the NP
 * @vif: the VIF
 * @change: enum np_vif_change bits
 * @mac: the new address, with %NP_VIF_SET_MAC
 * @vlan: the new VLAN, with %NP_VIF_SET_VLAN
 * @rx_mode: the new receive mode, with %NP_VIF_SET_RX_MODE
 *
 * Return: 0, or the NP's refusal (-EADDRINUSE: another VIF has that
 * address on that VLAN).
 */
int svnic_np_vif_set(struct svnic_np *np, struct svnic_vif *vif, u32 change,
		     const u8 *mac, u16 vlan, u16 rx_mode)
{
	struct np_msg m;

	svnic_msg_vif_set(&m, vif, change, mac, vlan, rx_mode);
	return svnic_np_call(np, &m);
}

/**
 * svnic_np_rate - hold @vif's egress to a rate
 * @np: the NP
 * @vif: the VIF
 * @rate: bytes per second, 0 for no limit
 * @burst: bucket depth in bytes (0 with @rate 0)
 *
 * Return: 0, or the NP's refusal.
 */
int svnic_np_rate(struct svnic_np *np, struct svnic_vif *vif, u64 rate,
		  u64 burst)
{
	struct np_msg m;

	svnic_msg_init(&m, NP_MSG_RATE_SET, 0);
	m.body.rate_set.vif = cpu_to_le32(vif->id);
	m.body.rate_set.rate = cpu_to_le64(rate);
	m.body.rate_set.burst = cpu_to_le64(rate ? burst : 0);
	return svnic_np_call(np, &m);
}

/**
 * svnic_np_notify_set - how the NP batches its notifications
 * @np: the NP
 * @frames: signal once this many frames went to VIFs (0: no such bound)
 * @cycles: and every this-many-th poll cycle
 *
 * Return: 0, or the NP's refusal (-EINVAL: out of range).
 */
int svnic_np_notify_set(struct svnic_np *np, u32 frames, u32 cycles)
{
	struct np_msg m;

	svnic_msg_init(&m, NP_MSG_NOTIFY_SET, 0);
	m.body.notify_set.frames = cpu_to_le32(frames);
	m.body.notify_set.cycles = cpu_to_le32(cycles);
	return svnic_np_call(np, &m);
}

/**
 * svnic_msg_mcast - a multicast filter request for @vif
 * @m: the request
 * @vif: the VIF
 * @addrs: the addresses
 * @n: how many, at most %NP_ABI_MCAST_MAX
 */
void svnic_msg_mcast(struct np_msg *m, struct svnic_vif *vif,
		     const u8 *addrs, unsigned int n)
{
	svnic_msg_init(m, NP_MSG_MCAST_SET, 0);
	m->body.mcast_set.vif = cpu_to_le32(vif->id);
	m->body.mcast_set.count = cpu_to_le32(n);
	if (n)
		memcpy(m->body.mcast_set.addrs, addrs, n * ETH_ALEN);
}

/**
 * svnic_np_mcast - replace @vif's multicast filter in the NP
 * @np: the NP
 * @vif: the VIF
 * @addrs: multicast addresses
 * @n: how many, at most %NP_ABI_MCAST_MAX
 *
 * Return: 0, or the NP's refusal.
 */
int svnic_np_mcast(struct svnic_np *np, struct svnic_vif *vif,
		   const u8 *addrs, unsigned int n)
{
	struct np_msg m;

	svnic_msg_mcast(&m, vif, addrs, n);
	return svnic_np_call(np, &m);
}

/**
 * svnic_np_stats - the counters of @vif, or of the uplink
 * @np: the NP
 * @vif: the VIF, NULL for the uplink
 * @st: where they go: the NP's and svnic's own (the backend's, for the
 *	uplink)
 *
 * Return: 0, or the error of the exchange.
 */
int svnic_np_stats(struct svnic_np *np, struct svnic_vif *vif,
		   struct svnic_stats *st)
{
	struct np_msg_stats *r;
	struct np_msg m;
	int i, ret;

	svnic_msg_init(&m, NP_MSG_STATS_GET, 0);
	m.body.stats_get.vif = cpu_to_le32(vif ? vif->id : NP_VIF_UPLINK);
	ret = svnic_np_call(np, &m);
	if (ret)
		return ret;
	r = &m.body.stats;
	st->np.rx_packets = le64_to_cpu(r->rx_packets);
	st->np.rx_bytes = le64_to_cpu(r->rx_bytes);
	st->np.tx_packets = le64_to_cpu(r->tx_packets);
	st->np.tx_bytes = le64_to_cpu(r->tx_bytes);
	for (i = 0; i < NP_DROP_NR; i++)
		st->np.drops[i] = le64_to_cpu(r->drops[i]);
	memset(&st->host, 0, sizeof(st->host));
	if (vif) {
		spin_lock_bh(&vif->lock);
		st->host = vif->stats;
		spin_unlock_bh(&vif->lock);
	} else if (np->ops->uplink_stats) {
		np->ops->uplink_stats(np, &st->host);
	}
	return 0;
}
