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
 * @miss_type: the attribute the last error says is missing, or 0
 */
struct svnic_nl {
	struct nl_sock *sk;
	int family;
	char extack[256];
	int miss_type;
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
 * @has_dp: 1 when the module described the data plane (ABI 0.3,
 *	%SVNIC_FEAT_NP_DP): the fields below are set
 * @backend: what runs the NP's data plane ("sidecore")
 * @abi_major: the NP's control ABI, major
 * @abi_minor: and minor
 * @notify_frames: notification batching: frames to VIFs between two
 *	notifications at most, 0 for no such bound
 * @notify_cycles: and poll cycles
 * @stats: the uplink's counters, indexed by &enum svnic_stat (rx: from the
 *	wire for the VIFs, tx: to the wire)
 */
struct svnic_np_info {
	__u32 id;
	char name[64];
	char uplink[16];
	__s32 cpu;
	__u32 nr_vifs;
	__u8 link;
	__u8 has_dp;
	char backend[32];
	__u32 abi_major;
	__u32 abi_minor;
	__u32 notify_frames;
	__u32 notify_cycles;
	__u64 stats[SVNIC_STAT_MAX + 1];
};

/**
 * struct svnic_vif_info - a VIF, as %SVNIC_CMD_VIF_GET describes it
 * @np_id: index of its NP
 * @name: its vDPA device name
 * @mac: its MAC address
 * @mtu: its MTU
 * @vlan: the VLAN it is an access port of, 0 for none
 * @rate: transmit rate limit in bytes per second, 0 for none
 * @burst: bytes the rate limit lets through at once
 * @stats: its counters, indexed by &enum svnic_stat
 */
struct svnic_vif_info {
	__u32 np_id;
	char name[64];
	__u8 mac[6];
	__u16 mtu;
	__u16 vlan;
	__u64 rate;
	__u64 burst;
	__u64 stats[SVNIC_STAT_MAX + 1];
};

/* What &struct svnic_vif_change changes: its @set bits. */
#define SVNIC_VIF_CHANGE_RATE	(1U << 0)	/* @rate and @burst */
#define SVNIC_VIF_CHANGE_BURST	(1U << 1)	/* @burst alone: refused */
#define SVNIC_VIF_CHANGE_VLAN	(1U << 2)
#define SVNIC_VIF_CHANGE_MAC	(1U << 3)

/**
 * struct svnic_vif_change - a change of a VIF, for svnic_nl_vif_change()
 * @set: SVNIC_VIF_CHANGE_* bits, at least one
 * @rate: transmit rate limit in bytes per second, 0 for none
 * @burst: bytes let through at once, at least one frame when @rate is set
 * @vlan: the VLAN (1 to 4094) the VIF becomes an access port of, 0: none
 * @mac: its new address, unicast, not another VIF's of the NP
 */
struct svnic_vif_change {
	unsigned int set;
	__u64 rate;
	__u64 burst;
	__u16 vlan;
	__u8 mac[6];
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
int svnic_nl_vif_change(struct svnic_nl *nl, const char *name,
			const struct svnic_vif_change *chg);
int svnic_nl_np_set(struct svnic_nl *nl, __u32 id, long long frames,
		    long long cycles);

#endif /* _SVNIC_NL_H */
