/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svnic_nl.h - talking to the svnic generic netlink family with libnl-genl-3
 */
#ifndef _SVNIC_NL_H
#define _SVNIC_NL_H

#include <netlink/genl/genl.h>
#include <linux/svnic.h>

/**
 * struct svnic_nl - a netlink socket bound to the svnic family
 * @sk: the socket
 * @family: the family's id
 * @extack: the last error's extack message, or ""
 */
struct svnic_nl {
	struct nl_sock *sk;
	int family;
	char extack[256];
};

/**
 * struct svnic_info - reply to %SVNIC_CMD_GET_INFO
 * @abi_major: %SVNIC_ABI_MAJOR of the module
 * @abi_minor: %SVNIC_ABI_MINOR of the module
 * @features: feature bits of the module
 * @nr_nps: network processor instances running
 */
struct svnic_info {
	__u32 abi_major;
	__u32 abi_minor;
	__u64 features;
	__u32 nr_nps;
};

int svnic_nl_open(struct svnic_nl *nl);
void svnic_nl_close(struct svnic_nl *nl);
struct nl_msg *svnic_nl_msg(struct svnic_nl *nl, __u8 cmd);
int svnic_nl_transact(struct svnic_nl *nl, struct nl_msg *msg,
		      int (*parse)(struct nlattr **tb, void *arg), void *arg);
int svnic_nl_get_info(struct svnic_nl *nl, struct svnic_info *info);

#endif /* _SVNIC_NL_H */
