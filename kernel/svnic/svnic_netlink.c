// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_netlink.c - the svnic generic netlink family
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <net/genetlink.h>

#include "svnic.h"

static struct genl_family svnic_family;

static int svnic_fill_info(struct sk_buff *skb)
{
	if (nla_put_u32(skb, SVNIC_A_ABI_MAJOR, SVNIC_ABI_MAJOR) ||
	    nla_put_u32(skb, SVNIC_A_ABI_MINOR, SVNIC_ABI_MINOR) ||
	    nla_put_u64_64bit(skb, SVNIC_A_FEATURES, SVNIC_FEATURES_ALL,
			      SVNIC_A_PAD) ||
	    nla_put_u32(skb, SVNIC_A_NR_NPS, atomic_read(&svnic_nr_nps)))
		return -EMSGSIZE;
	return 0;
}

static int svnic_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &svnic_family, 0, SVNIC_CMD_GET_INFO);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto out_free_msg;
	}
	ret = svnic_fill_info(msg);
	if (ret)
		goto out_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free_msg:
	nlmsg_free(msg);
	return ret;
}

static int svnic_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, SVNIC_STAT_PAD);
}

/* The counters in a nest; svnic's own added to the NP's. */
static int svnic_fill_stats(struct sk_buff *skb, const struct svnic_stats *st)
{
	const struct np_dp_stats *np = &st->np;
	const struct svnic_vif_stats *h = &st->host;
	struct nlattr *nest = nla_nest_start(skb, SVNIC_A_STATS);

	if (!nest ||
	    svnic_put_u64(skb, SVNIC_STAT_TX_PACKETS, np->tx_packets) ||
	    svnic_put_u64(skb, SVNIC_STAT_TX_BYTES, np->tx_bytes) ||
	    svnic_put_u64(skb, SVNIC_STAT_RX_PACKETS, np->rx_packets - h->rx_lost) ||
	    svnic_put_u64(skb, SVNIC_STAT_RX_BYTES, np->rx_bytes - h->rx_lost_bytes) ||
	    svnic_put_u64(skb, SVNIC_STAT_DROP_NO_BUFFER,
			  np->drops[NP_DROP_NO_BUFFER] + h->drop_no_buffer) ||
	    svnic_put_u64(skb, SVNIC_STAT_DROP_MALFORMED,
			  np->drops[NP_DROP_MALFORMED] + h->drop_malformed) ||
	    svnic_put_u64(skb, SVNIC_STAT_DROP_TOO_BIG,
			  np->drops[NP_DROP_TOO_BIG] + h->drop_too_big) ||
	    svnic_put_u64(skb, SVNIC_STAT_DROP_FILTERED, np->drops[NP_DROP_FILTERED]) ||
	    svnic_put_u64(skb, SVNIC_STAT_DROP_RATE, np->drops[NP_DROP_RATE]))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int svnic_fill_uplink(struct sk_buff *skb, struct svnic_np *np)
{
	struct net_device *uplink;
	int ret = 0;

	rcu_read_lock();
	uplink = rcu_dereference(np->uplink);
	if (uplink && nla_put_string(skb, SVNIC_A_UPLINK, uplink->name))
		ret = -EMSGSIZE;
	if (!ret && nla_put_u8(skb, SVNIC_A_LINK, uplink &&
			       netif_running(uplink) && netif_carrier_ok(uplink)))
		ret = -EMSGSIZE;
	rcu_read_unlock();
	return ret;
}

static int svnic_fill_np(struct sk_buff *skb, struct svnic_np *np)
{
	struct svnic_stats st;
	int ret;

	if (nla_put_u32(skb, SVNIC_A_NP_ID, np->id) ||
	    nla_put_string(skb, SVNIC_A_NP_NAME, dev_name(&np->mdev_dev)) ||
	    nla_put_s32(skb, SVNIC_A_SIDECORE_CPU, np->cpu) ||
	    nla_put_u32(skb, SVNIC_A_NR_VIFS, READ_ONCE(np->nr_vifs)) ||
	    nla_put_string(skb, SVNIC_A_BACKEND, np->ops->name) ||
	    nla_put_u32(skb, SVNIC_A_NP_ABI_MAJOR, np->abi_major) ||
	    nla_put_u32(skb, SVNIC_A_NP_ABI_MINOR, np->abi_minor) ||
	    nla_put_u32(skb, SVNIC_A_NOTIFY_FRAMES, READ_ONCE(np->notify_frames)) ||
	    nla_put_u32(skb, SVNIC_A_NOTIFY_CYCLES, READ_ONCE(np->notify_cycles)))
		return -EMSGSIZE;
	ret = svnic_fill_uplink(skb, np);
	if (ret)
		return ret;
	ret = svnic_np_stats(np, NULL, &st);
	if (ret)
		return ret;
	return svnic_fill_stats(skb, &st);
}

static int svnic_fill_vif(struct sk_buff *skb, struct svnic_vif *vif)
{
	struct svnic_stats st;
	u8 mac[ETH_ALEN];
	u64 rate, burst;
	u16 mtu, vlan;
	int ret;

	ret = svnic_np_stats(vif->np, vif, &st);
	if (ret)
		return ret;
	spin_lock_bh(&vif->lock);
	rate = vif->rate;
	burst = vif->burst;
	vlan = vif->vlan;
	ether_addr_copy(mac, vif->config.mac);
	mtu = __virtio16_to_cpu(true, vif->config.mtu);
	spin_unlock_bh(&vif->lock);
	if (nla_put_u32(skb, SVNIC_A_NP_ID, vif->np->id) ||
	    nla_put_string(skb, SVNIC_A_VIF_NAME, dev_name(&vif->vdpa.dev)) ||
	    nla_put(skb, SVNIC_A_MAC, ETH_ALEN, mac) ||
	    nla_put_u16(skb, SVNIC_A_MTU, mtu) ||
	    nla_put_u16(skb, SVNIC_A_VLAN, vlan == NP_VLAN_NONE ? 0 : vlan) ||
	    nla_put_u64_64bit(skb, SVNIC_A_RATE, rate, SVNIC_A_PAD) ||
	    nla_put_u64_64bit(skb, SVNIC_A_BURST, burst, SVNIC_A_PAD))
		return -EMSGSIZE;
	return svnic_fill_stats(skb, &st);
}

/* One object as a reply: @fill(msg, @obj) in a message of @cmd. */
static int svnic_reply(struct genl_info *info, u8 cmd,
		       int (*fill)(struct sk_buff *, void *), void *obj)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &svnic_family, 0, cmd);
	ret = hdr ? fill(msg, obj) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int svnic_fill_np_any(struct sk_buff *skb, void *np)
{
	return svnic_fill_np(skb, np);
}

static int svnic_fill_vif_any(struct sk_buff *skb, void *vif)
{
	return svnic_fill_vif(skb, vif);
}

static int svnic_nl_np_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct svnic_np *np;
	int cpu = -1;

	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_UPLINK))
		return -EINVAL;
	if (genl_info_net(info) != &init_net) {
		NL_SET_ERR_MSG(info->extack, "uplinks are netdevs of the initial network namespace");
		return -EOPNOTSUPP;
	}
	if (tb[SVNIC_A_SIDECORE_CPU])
		cpu = nla_get_s32(tb[SVNIC_A_SIDECORE_CPU]);
	np = svnic_np_create(&svnic_sidecore_ops, nla_data(tb[SVNIC_A_UPLINK]),
			     cpu);
	if (IS_ERR(np)) {
		switch (PTR_ERR(np)) {
		case -ENODEV:
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_UPLINK], "no netdev of that name");
			break;
		case -EBUSY:
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_UPLINK],
					    "the netdev has an rx_handler already (a bridge, a bond or an NP)");
			break;
		case -EINVAL:
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_SIDECORE_CPU], "no such online CPU");
			break;
		}
		return PTR_ERR(np);
	}
	return svnic_reply(info, SVNIC_CMD_NP_NEW, svnic_fill_np_any, np);
}

static int svnic_nl_np_del(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_NP_ID))
		return -EINVAL;
	ret = svnic_np_del(nla_get_u32(info->attrs[SVNIC_A_NP_ID]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVNIC_A_NP_ID], "no NP of that index");
	return ret;
}

static int svnic_nl_np_get(struct sk_buff *skb, struct genl_info *info)
{
	struct svnic_np *np;
	int ret = -ENODEV;

	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_NP_ID))
		return -EINVAL;
	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node)
		if (np->id == nla_get_u32(info->attrs[SVNIC_A_NP_ID]))
			ret = svnic_reply(info, SVNIC_CMD_NP_GET, svnic_fill_np_any, np);
	mutex_unlock(&svnic_nps_lock);
	if (ret == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVNIC_A_NP_ID], "no NP of that index");
	return ret;
}

/* Put one dumped object in @skb; false when it is full. */
static bool svnic_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd, int (*fill)(struct sk_buff *, void *), void *obj)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &svnic_family, NLM_F_MULTI, cmd);

	if (!hdr)
		return false;
	if (fill(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return false;
	}
	genlmsg_end(skb, hdr);
	return true;
}

static int svnic_nl_np_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	long idx = 0, start = cb->args[0];
	struct svnic_np *np;

	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		if (idx >= start &&
		    !svnic_dump_one(skb, cb, SVNIC_CMD_NP_GET, svnic_fill_np_any, np))
			break;
		idx++;
	}
	mutex_unlock(&svnic_nps_lock);
	cb->args[0] = idx;
	return skb->len;
}

static int svnic_nl_vif_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = genl_info_dump(cb)->attrs[SVNIC_A_NP_ID];
	long idx = 0, start = cb->args[0];
	struct svnic_vif *vif;
	struct svnic_np *np;
	bool full = false;

	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		if (only && np->id != nla_get_u32(only))
			continue;
		mutex_lock(&np->lock);
		list_for_each_entry(vif, &np->vifs, node) {
			if (idx >= start && !full)
				full = !svnic_dump_one(skb, cb, SVNIC_CMD_VIF_GET,
						       svnic_fill_vif_any, vif);
			if (!full)
				idx++;
		}
		mutex_unlock(&np->lock);
	}
	mutex_unlock(&svnic_nps_lock);
	cb->args[0] = idx;
	return skb->len;
}

/* Run @fn on the VIF named by %SVNIC_A_VIF_NAME, under the NP locks. */
static int svnic_vif_call(struct genl_info *info,
			  int (*fn)(struct genl_info *, struct svnic_vif *))
{
	const char *name = nla_data(info->attrs[SVNIC_A_VIF_NAME]);
	struct svnic_vif *vif;
	struct svnic_np *np;
	int ret = -ENODEV;

	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		mutex_lock(&np->lock);
		list_for_each_entry(vif, &np->vifs, node)
			if (!strcmp(dev_name(&vif->vdpa.dev), name))
				ret = fn(info, vif);
		mutex_unlock(&np->lock);
	}
	mutex_unlock(&svnic_nps_lock);
	if (ret == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVNIC_A_VIF_NAME], "no VIF of that name");
	return ret;
}

static int svnic_vif_get_fn(struct genl_info *info, struct svnic_vif *vif)
{
	return svnic_reply(info, SVNIC_CMD_VIF_GET, svnic_fill_vif_any, vif);
}

static int svnic_nl_vif_get(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_VIF_NAME))
		return -EINVAL;
	return svnic_vif_call(info, svnic_vif_get_fn);
}

/* The rate limit's values, checked before anything changes. */
static int svnic_vif_rate_check(struct genl_info *info, struct svnic_vif *vif)
{
	struct nlattr **tb = info->attrs;
	u64 rate = nla_get_u64(tb[SVNIC_A_RATE]);
	u64 burst = tb[SVNIC_A_BURST] ? nla_get_u64(tb[SVNIC_A_BURST]) : 0;
	u32 frame = __virtio16_to_cpu(true, vif->config.mtu) + VLAN_ETH_HLEN;

	if (rate && burst < frame) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[SVNIC_A_BURST],
					"a burst below one frame (%u bytes) would never let one through",
					frame);
		return -EINVAL;
	}
	if (rate > NP_DP_RATE_MAX || burst > NP_DP_BURST_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[rate > NP_DP_RATE_MAX ?
					SVNIC_A_RATE : SVNIC_A_BURST],
				    "above the NP's limit (1 Tbit/s, a burst of 8 GB)");
		return -ERANGE;
	}
	return 0;
}

static int svnic_vif_set_rate(struct genl_info *info, struct svnic_vif *vif)
{
	struct nlattr **tb = info->attrs;
	u64 rate = nla_get_u64(tb[SVNIC_A_RATE]);
	u64 burst = tb[SVNIC_A_BURST] ? nla_get_u64(tb[SVNIC_A_BURST]) : 0;
	int ret;

	ret = svnic_np_rate(vif->np, vif, rate, burst);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "the NP refused the rate limit");
		return ret;
	}
	spin_lock_bh(&vif->lock);
	vif->rate = rate;
	vif->burst = rate ? burst : 0;
	spin_unlock_bh(&vif->lock);
	return 0;
}

static int svnic_vif_set_vlan(struct genl_info *info, struct svnic_vif *vif)
{
	u16 vlan = nla_get_u16(info->attrs[SVNIC_A_VLAN]);
	int ret;

	vlan = vlan ? vlan : NP_VLAN_NONE;
	ret = svnic_np_vif_set(vif->np, vif, NP_VIF_SET_VLAN, NULL, vlan, 0);
	if (ret == -EADDRINUSE)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVNIC_A_VLAN],
				    "another VIF has this VIF's MAC address on that VLAN");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SVNIC_A_VLAN],
				    "the NP refused the VLAN");
	else
		WRITE_ONCE(vif->vlan, vlan);
	return ret;
}

static int svnic_vif_set_fn(struct genl_info *info, struct svnic_vif *vif)
{
	struct nlattr **tb = info->attrs;
	int ret = 0;

	/* What svnic can check goes first; the NP may still refuse. */
	if (tb[SVNIC_A_RATE])
		ret = svnic_vif_rate_check(info, vif);
	if (!ret && tb[SVNIC_A_MAC]) {
		ret = svnic_vif_set_mac(vif, nla_data(tb[SVNIC_A_MAC]));
		if (ret == -EADDRINUSE)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_MAC],
					    "another VIF of the NP has that address on its VLAN");
		else if (ret)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_MAC],
					    "not a unicast address");
	}
	if (!ret && tb[SVNIC_A_VLAN])
		ret = svnic_vif_set_vlan(info, vif);
	if (!ret && tb[SVNIC_A_RATE])
		ret = svnic_vif_set_rate(info, vif);
	return ret;
}

static int svnic_nl_vif_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;

	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_VIF_NAME))
		return -EINVAL;
	if (!tb[SVNIC_A_RATE] && !tb[SVNIC_A_VLAN] && !tb[SVNIC_A_MAC]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give a rate, a VLAN or an address");
		return -EINVAL;
	}
	if (tb[SVNIC_A_BURST] && !tb[SVNIC_A_RATE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_BURST], "a burst comes with a rate");
		return -EINVAL;
	}
	return svnic_vif_call(info, svnic_vif_set_fn);
}

static int svnic_nl_np_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	u32 frames, cycles;
	struct svnic_np *np;
	int ret = -ENODEV;

	if (GENL_REQ_ATTR_CHECK(info, SVNIC_A_NP_ID))
		return -EINVAL;
	if (!tb[SVNIC_A_NOTIFY_FRAMES] && !tb[SVNIC_A_NOTIFY_CYCLES]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give notify frames or cycles");
		return -EINVAL;
	}
	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		if (np->id != nla_get_u32(tb[SVNIC_A_NP_ID]))
			continue;
		frames = tb[SVNIC_A_NOTIFY_FRAMES] ?
			 nla_get_u32(tb[SVNIC_A_NOTIFY_FRAMES]) : np->notify_frames;
		cycles = tb[SVNIC_A_NOTIFY_CYCLES] ?
			 nla_get_u32(tb[SVNIC_A_NOTIFY_CYCLES]) : np->notify_cycles;
		ret = svnic_np_notify_set(np, frames, cycles);
		if (!ret) {
			WRITE_ONCE(np->notify_frames, frames);
			WRITE_ONCE(np->notify_cycles, cycles);
		} else {
			NL_SET_ERR_MSG(info->extack, "the NP refused the notification settings");
		}
		break;
	}
	mutex_unlock(&svnic_nps_lock);
	if (ret == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SVNIC_A_NP_ID], "no NP of that index");
	return ret;
}

static const struct netlink_range_validation svnic_notify_frames_range = {
	.max = NP_NOTIFY_MAX_FRAMES,
};

static const struct nla_policy svnic_np_policy[SVNIC_A_MAX + 1] = {
	[SVNIC_A_NP_ID]		= { .type = NLA_U32 },
	[SVNIC_A_UPLINK]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[SVNIC_A_SIDECORE_CPU]	= NLA_POLICY_MIN(NLA_S32, -1),
	[SVNIC_A_NOTIFY_FRAMES]	= NLA_POLICY_FULL_RANGE(NLA_U32, &svnic_notify_frames_range),
	[SVNIC_A_NOTIFY_CYCLES]	= NLA_POLICY_RANGE(NLA_U32, 1, NP_NOTIFY_MAX_CYCLES),
};

static const struct nla_policy svnic_vif_policy[SVNIC_A_MAX + 1] = {
	[SVNIC_A_NP_ID]		= { .type = NLA_U32 },
	[SVNIC_A_VIF_NAME]	= { .type = NLA_NUL_STRING, .len = 63 },
	[SVNIC_A_RATE]		= { .type = NLA_U64 },
	[SVNIC_A_BURST]		= { .type = NLA_U64 },
	[SVNIC_A_VLAN]		= NLA_POLICY_MAX(NLA_U16, VLAN_N_VID - 2),
	[SVNIC_A_MAC]		= NLA_POLICY_ETH_ADDR,
};

static const struct genl_ops svnic_ops[] = {
	{
		.cmd	= SVNIC_CMD_GET_INFO,
		.doit	= svnic_nl_get_info,
	},
	{
		.cmd	= SVNIC_CMD_NP_NEW,
		.doit	= svnic_nl_np_new,
		.flags	= GENL_ADMIN_PERM,
		.policy	= svnic_np_policy,
		.maxattr = SVNIC_A_MAX,
	},
	{
		.cmd	= SVNIC_CMD_NP_DEL,
		.doit	= svnic_nl_np_del,
		.flags	= GENL_ADMIN_PERM,
		.policy	= svnic_np_policy,
		.maxattr = SVNIC_A_MAX,
	},
	{
		.cmd	= SVNIC_CMD_NP_GET,
		.doit	= svnic_nl_np_get,
		.dumpit	= svnic_nl_np_dump,
		.policy	= svnic_np_policy,
		.maxattr = SVNIC_A_MAX,
	},
	{
		.cmd	= SVNIC_CMD_VIF_GET,
		.doit	= svnic_nl_vif_get,
		.dumpit	= svnic_nl_vif_dump,
		.policy	= svnic_vif_policy,
		.maxattr = SVNIC_A_MAX,
	},
	{
		.cmd	= SVNIC_CMD_VIF_SET,
		.doit	= svnic_nl_vif_set,
		.flags	= GENL_ADMIN_PERM,
		.policy	= svnic_vif_policy,
		.maxattr = SVNIC_A_MAX,
	},
	{
		.cmd	= SVNIC_CMD_NP_SET,
		.doit	= svnic_nl_np_set,
		.flags	= GENL_ADMIN_PERM,
		.policy	= svnic_np_policy,
		.maxattr = SVNIC_A_MAX,
	},
};

static struct genl_family svnic_family __ro_after_init = {
	.name		= SVNIC_GENL_NAME,
	.version	= SVNIC_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= svnic_ops,
	.n_ops		= ARRAY_SIZE(svnic_ops),
	/*
	 * Every command is validated strictly; one without a policy of its
	 * own (GET_INFO) refuses any attribute.
	 */
	.resv_start_op	= SVNIC_CMD_GET_INFO,
};

int __init svnic_nl_init(void)
{
	return genl_register_family(&svnic_family);
}

void svnic_nl_exit(void)
{
	genl_unregister_family(&svnic_family);
}
