// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_netlink.c - the svnic generic netlink family
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

static const struct genl_small_ops svnic_ops[] = {
	{
		.cmd	= SVNIC_CMD_GET_INFO,
		.doit	= svnic_nl_get_info,
	},
};

static struct genl_family svnic_family __ro_after_init = {
	.name		= SVNIC_GENL_NAME,
	.version	= SVNIC_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= svnic_ops,
	.n_small_ops	= ARRAY_SIZE(svnic_ops),
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
