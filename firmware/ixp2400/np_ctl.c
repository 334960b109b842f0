// SPDX-License-Identifier: GPL-2.0
/*
 * np_ctl.c - the NP side of the control protocol (see np_ctl.h, np_abi.h)
 *
 * A request is copied into a &struct np_msg first, so that it may sit at any
 * alignment; a table gives each type its payload sizes and its handler.
 * Handlers check the wire format (padding, flags, counts) and leave the
 * values to the data plane, which checks them before it changes anything.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "np_ctl.h"
#include "np_dp.h"

/**
 * struct np_ctl_op - how to handle one message type (its payloads'
 *	lengths are the ABI's: np_msg_body_len())
 * @handle: applies it; returns the reply's status
 */
struct np_ctl_op {
	int (*handle)(struct np_dp *dp, const union np_msg_body *req,
		      union np_msg_body *reply);
};

static int np_ctl_hello(struct np_dp *dp, const union np_msg_body *req,
			union np_msg_body *reply)
{
	struct np_msg_hello *h = &reply->hello;

	h->caps = __cpu_to_le64(NP_CAP_VLAN | NP_CAP_MCAST_FILTER |
				NP_CAP_RATE | NP_CAP_NOTIFY_BATCH);
	h->max_vifs = __cpu_to_le32(NP_MAX_VIFS);
	h->ring_slots = __cpu_to_le32(dp->ring_slots);
	h->mtu_min = __cpu_to_le16(NP_DP_MTU_MIN);
	h->mtu_max = __cpu_to_le16(NP_DP_MTU_MAX);
	h->max_mcast = __cpu_to_le16(NP_ABI_MCAST_MAX);
	return 0;
}

/* The wire configuration in host order; -EINVAL for nonzero padding. */
static int np_ctl_conf(const struct np_msg_vif_conf *conf,
		       struct np_vif_cfg *cfg)
{
	memcpy(cfg->mac, conf->mac, sizeof(cfg->mac));
	cfg->vlan = __le16_to_cpu(conf->vlan);
	cfg->mtu = __le16_to_cpu(conf->mtu);
	cfg->rx_mode = __le16_to_cpu(conf->rx_mode);
	return conf->pad ? -EINVAL : 0;
}

static int np_ctl_vif_add(struct np_dp *dp, const union np_msg_body *req,
			  union np_msg_body *reply)
{
	const struct np_msg_vif_add *m = &req->vif_add;
	struct np_vif_cfg cfg;

	if (m->pad || np_ctl_conf(&m->conf, &cfg))
		return -EINVAL;
	return np_dp_vif_add(dp, __le32_to_cpu(m->vif), &cfg);
}

/* Whether the fields that @change leaves alone are 0, as they must be. */
static bool np_ctl_unchanged_zero(const struct np_vif_cfg *cfg, u32 change)
{
	static const u8 zero[NP_ABI_MAC_LEN];

	if (!(change & NP_VIF_SET_MAC) && memcmp(cfg->mac, zero, sizeof(zero)))
		return false;
	if (!(change & NP_VIF_SET_VLAN) && cfg->vlan)
		return false;
	if (!(change & NP_VIF_SET_MTU) && cfg->mtu)
		return false;
	return (change & NP_VIF_SET_RX_MODE) || !cfg->rx_mode;
}

static int np_ctl_vif_set(struct np_dp *dp, const union np_msg_body *req,
			  union np_msg_body *reply)
{
	const struct np_msg_vif_set *m = &req->vif_set;
	u32 change = __le32_to_cpu(m->change);
	struct np_vif_cfg cfg;

	if (np_ctl_conf(&m->conf, &cfg) || !change ||
	    (change & ~NP_VIF_SET_ALL) || !np_ctl_unchanged_zero(&cfg, change))
		return -EINVAL;
	return np_dp_vif_set(dp, __le32_to_cpu(m->vif), &cfg, change);
}

static int np_ctl_vif_del(struct np_dp *dp, const union np_msg_body *req,
			  union np_msg_body *reply)
{
	if (req->vif_del.pad)
		return -EINVAL;
	return np_dp_vif_del(dp, __le32_to_cpu(req->vif_del.vif));
}

static int np_ctl_rate_set(struct np_dp *dp, const union np_msg_body *req,
			   union np_msg_body *reply)
{
	const struct np_msg_rate_set *m = &req->rate_set;

	if (m->pad)
		return -EINVAL;
	return np_dp_vif_rate(dp, __le32_to_cpu(m->vif),
			      __le64_to_cpu(m->rate), __le64_to_cpu(m->burst));
}

static int np_ctl_stats_get(struct np_dp *dp, const union np_msg_body *req,
			    union np_msg_body *reply)
{
	struct np_msg_stats *out = &reply->stats;
	struct np_dp_stats st;
	unsigned int i;
	int err;

	if (req->stats_get.pad)
		return -EINVAL;
	err = np_dp_stats(dp, __le32_to_cpu(req->stats_get.vif), &st);
	if (err)
		return err;
	out->vif = req->stats_get.vif;
	out->rx_packets = __cpu_to_le64(st.rx_packets);
	out->rx_bytes = __cpu_to_le64(st.rx_bytes);
	out->tx_packets = __cpu_to_le64(st.tx_packets);
	out->tx_bytes = __cpu_to_le64(st.tx_bytes);
	for (i = 0; i < NP_DROP_NR; i++)
		out->drops[i] = __cpu_to_le64(st.drops[i]);
	return 0;
}

static int np_ctl_notify_set(struct np_dp *dp, const union np_msg_body *req,
			     union np_msg_body *reply)
{
	const struct np_msg_notify_set *m = &req->notify_set;

	return np_dp_notify_config(dp, __le32_to_cpu(m->frames),
				   __le32_to_cpu(m->cycles));
}

static int np_ctl_mcast_set(struct np_dp *dp, const union np_msg_body *req,
			    union np_msg_body *reply)
{
	const struct np_msg_mcast_set *m = &req->mcast_set;
	u32 count = __le32_to_cpu(m->count);
	size_t used = (size_t)count * NP_ABI_MAC_LEN;
	unsigned int i;

	if (count > NP_ABI_MCAST_MAX)
		return -EINVAL;
	for (i = used; i < sizeof(m->addrs); i++)
		if (((const u8 *)m->addrs)[i])
			return -EINVAL;
	return np_dp_vif_mcast(dp, __le32_to_cpu(m->vif), m->addrs, count);
}

static const struct np_ctl_op np_ctl_ops[__NP_MSG_MAX] = {
	[NP_MSG_HELLO] = { np_ctl_hello },
	[NP_MSG_VIF_ADD] = { np_ctl_vif_add },
	[NP_MSG_VIF_DEL] = { np_ctl_vif_del },
	[NP_MSG_VIF_SET] = { np_ctl_vif_set },
	[NP_MSG_RATE_SET] = { np_ctl_rate_set },
	[NP_MSG_STATS_GET] = { np_ctl_stats_get },
	[NP_MSG_NOTIFY_SET] = { np_ctl_notify_set },
	[NP_MSG_MCAST_SET] = { np_ctl_mcast_set },
};

/* The header's checks; the operation of a well-formed request. */
static int np_ctl_check(const struct np_msg *in, size_t len,
			const struct np_ctl_op **op)
{
	u16 type = __le16_to_cpu(in->hdr.type);

	if (len < 2)
		return -EINVAL;
	if (in->hdr.abi_major != NP_ABI_MAJOR)
		return -EPROTO;
	if (len < sizeof(in->hdr) || len > sizeof(*in) ||
	    __le16_to_cpu(in->hdr.len) != len || in->hdr.rsvd ||
	    in->hdr.status)
		return -EINVAL;
	if (type >= __NP_MSG_MAX || !np_ctl_ops[type].handle)
		return -EINVAL;
	*op = &np_ctl_ops[type];
	return len == sizeof(in->hdr) + np_msg_body_len(type, false) ? 0 : -EINVAL;
}

/*
 * Fill the reply's header: the NP's version, and the request's type and
 * sequence number when the request holds a whole header (0 otherwise).
 */
static void np_ctl_reply_hdr(const struct np_msg *in, size_t in_len,
			     struct np_msg *out, int status, size_t len)
{
	bool whole = in_len >= sizeof(in->hdr);
	u16 type = whole ? __le16_to_cpu(in->hdr.type) : 0;

	out->hdr.abi_major = NP_ABI_MAJOR;
	out->hdr.abi_minor = NP_ABI_MINOR;
	out->hdr.type = __cpu_to_le16(type | NP_MSG_REPLY);
	out->hdr.len = __cpu_to_le16(len);
	out->hdr.seq = whole ? in->hdr.seq : 0;
	out->hdr.status = __cpu_to_le32((u32)status);
}

/**
 * np_ctl_handle - handle one control request
 * @dp: the data plane it applies to
 * @req: the request, at any alignment
 * @len: its length; it must match the header's
 * @reply: where the reply goes, at any alignment
 * @reply_len: in: room at @reply, at least a header (%NP_MSG_MAX_LEN
 *	always suffices); out: the reply's length, 0 when nothing was written
 *
 * The reply carries the NP's ABI version, the request's type with
 * %NP_MSG_REPLY and its sequence number (type and sequence 0 when the
 * request is shorter than a header), and the status; its payload only when
 * the status is 0.  A request whose
 * reply would not fit in @reply_len is not applied (-ENOSPC).
 *
 * Return: the reply's status: 0, or the negative errno np_abi.h lists;
 * -ENOSPC with nothing written when @reply_len cannot hold a header.
 */
int np_ctl_handle(struct np_dp *dp, const void *req, size_t len,
		  void *reply, size_t *reply_len)
{
	const struct np_ctl_op *op = NULL;
	struct np_msg in = {}, out = {};
	size_t out_len = sizeof(out.hdr), body = 0;
	int status;

	if (*reply_len < sizeof(out.hdr)) {
		*reply_len = 0;
		return -ENOSPC;
	}
	if (len)
		memcpy(&in, req, min(len, sizeof(in)));
	status = np_ctl_check(&in, len, &op);
	if (!status)
		body = np_msg_body_len(__le16_to_cpu(in.hdr.type), true);
	if (!status && *reply_len < out_len + body)
		status = -ENOSPC;
	if (!status)
		status = op->handle(dp, &in.body, &out.body);
	if (!status)
		out_len += body;
	np_ctl_reply_hdr(&in, len, &out, status, out_len);
	memcpy(reply, &out, out_len);
	*reply_len = out_len;
	return status;
}
