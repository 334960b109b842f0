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

/**
 * struct svnic_np_info - an NP, as %SVNIC_CMD_NP_GET describes it
 * @id: its index
 * @name: its vDPA management device, svnic-npN
 * @uplink: the uplink netdev's name, "" once the uplink is gone
 * @cpu: the sidecore's CPU, -1 for any
 * @nr_vifs: its VIFs
 * @link: 1 when the uplink has a link
 */
struct svnic_np_info {
	__u32 id;
	char name[64];
	char uplink[16];
	__s32 cpu;
	__u32 nr_vifs;
	__u8 link;
};

/**
 * struct svnic_vif_info - a VIF, as %SVNIC_CMD_VIF_GET describes it
 * @np_id: index of its NP
 * @name: its vDPA device name
 * @mac: its MAC address
 * @mtu: its MTU
 * @rate: transmit rate limit in bytes per second, 0 for none
 * @burst: bytes the rate limit lets through at once
 * @stats: its counters, indexed by &enum svnic_stat
 */
struct svnic_vif_info {
	__u32 np_id;
	char name[64];
	__u8 mac[6];
	__u16 mtu;
	__u64 rate;
	__u64 burst;
	__u64 stats[SVNIC_STAT_MAX + 1];
};

int svnic_nl_open(struct svnic_nl *nl);
void svnic_nl_close(struct svnic_nl *nl);
struct nl_msg *svnic_nl_msg(struct svnic_nl *nl, __u8 cmd);
int svnic_nl_transact(struct svnic_nl *nl, struct nl_msg *msg,
		      int (*parse)(struct nlattr **tb, void *arg), void *arg);
struct nl_msg *svnic_nl_dump_msg(struct svnic_nl *nl, __u8 cmd);
int svnic_nl_get_info(struct svnic_nl *nl, struct svnic_info *info);
int svnic_nl_np_new(struct svnic_nl *nl, const char *uplink, int cpu,
		    struct svnic_np_info *np);
int svnic_nl_np_del(struct svnic_nl *nl, __u32 id);
int svnic_nl_np_get(struct svnic_nl *nl, __u32 id, struct svnic_np_info *np);
int svnic_nl_np_dump(struct svnic_nl *nl,
		     int (*fn)(const struct svnic_np_info *np, void *arg),
		     void *arg);
int svnic_nl_vif_get(struct svnic_nl *nl, const char *name,
		     struct svnic_vif_info *vif);
int svnic_nl_vif_dump(struct svnic_nl *nl, int np_id,
		      int (*fn)(const struct svnic_vif_info *vif, void *arg),
		      void *arg);
int svnic_nl_vif_set(struct svnic_nl *nl, const char *name, __u64 rate,
		     __u64 burst);

#endif /* _SVNIC_NL_H */
