/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_classify.h - the NP data plane's classify stage: where a frame goes.
 *
 * A forwarding table keyed by (destination MAC, VLAN id) maps to the VIF
 * that owns the address: open addressing with linear probing in a table four
 * times the number of VIFs, so a lookup is O(1) (about one probe) and
 * deletion shifts entries back instead of leaving tombstones.  Broadcast and
 * multicast go to the VIFs of the frame's VLAN that accept them, found with
 * word operations on sets of VIFs (np_vifset.h) - a set per VLAN id and per
 * rx mode - and by scanning the multicast filters (at most
 * %NP_ABI_MCAST_MAX entries) of those VIFs only that have one.
 *
 * Rules, for a frame from the uplink or from a VIF (its source):
 *  - malformed (see %NP_DROP_MALFORMED): dropped;
 *  - from a VIF, on a VLAN that is not the VIF's own: dropped (filtered);
 *  - known unicast: to the VIF that owns the address - never back to its
 *    source (filtered);
 *  - unknown unicast: from a VIF to the uplink; from the uplink to the
 *    promiscuous VIFs, or dropped (filtered) when there is none;
 *  - broadcast and multicast: from a VIF to the uplink, and to every VIF
 *    but the source that accepts it: on the frame's VLAN with
 *    %NP_RX_BROADCAST (broadcast), %NP_RX_ALLMULTI or the address in its
 *    filter (multicast), or promiscuous on any VLAN.  From the uplink, a
 *    frame nobody accepts is dropped (filtered).
 *
 * Frames are not modified: 802.1Q tags are parsed, never pushed or popped.
 * A priority tag (VLAN id 0) counts as untagged.
 *
 * Pure logic, no allocation, no locking: the caller serializes.
 */
#ifndef _NP_CLASSIFY_H
#define _NP_CLASSIFY_H

#include <linux/types.h>

#include "np_abi.h"
#include "np_vifset.h"

/* Ethernet header: two addresses and the type. */
#define NP_ETH_HLEN		14
/* 802.1Q tag. */
#define NP_VLAN_HLEN		4
/* VLAN ids: 0 is untagged here, 4095 is reserved. */
#define NP_VLAN_IDS		4096
/* The source of a frame from the uplink, where a VIF id would be. */
#define NP_SRC_UPLINK		NP_MAX_VIFS
/* Multicast filter entries per VIF. */
#define NP_MCAST_MAX		NP_ABI_MCAST_MAX
/* Forwarding table: 4 slots per VIF keeps the probes short, hit or miss. */
#define NP_CLS_BITS		10
#define NP_CLS_SLOTS		(1U << NP_CLS_BITS)

/**
 * struct np_vif_cfg - a VIF's configuration, in host byte order
 * @mac: unicast address, not all zeroes
 * @vlan: VLAN id from 1 to 4094, or %NP_VLAN_NONE
 * @mtu: MTU (used by np_dp, not here)
 * @rx_mode: enum np_rx_mode bits
 */
struct np_vif_cfg {
	u8 mac[NP_ABI_MAC_LEN];
	u16 vlan;
	u16 mtu;
	u16 rx_mode;
};

/**
 * struct np_dest - the destinations of a frame
 * @vifs: the VIFs, when @multi
 * @vif: the one VIF when not @multi; %NP_VIF_NONE for none
 * @uplink: to the uplink too
 * @multi: a broadcast or multicast frame: @vifs holds the VIFs
 * @reason: enum np_drop, when there is no destination at all
 */
struct np_dest {
	struct np_vifset vifs;
	u16 vif;
	bool uplink;
	bool multi;
	u8 reason;
};

/**
 * struct np_cls_slot - an entry of the forwarding table
 * @key: the MAC address in the low 48 bits, the VLAN id (0 for none) above;
 *	0 for a free slot (no VIF has address 0)
 * @vif: the VIF that owns the address
 */
struct np_cls_slot {
	u64 key;
	u32 vif;
};

/**
 * struct np_cls_vif - what the classifier knows of a VIF
 * @key: its forwarding table key
 * @vid: its VLAN id, 0 for none
 * @tx_vid: the VLAN id of the frames it may send: @vid, or 0xffff (none)
 *	when the VIF does not exist
 * @rx_mode: enum np_rx_mode bits
 * @nr_mcast: entries in @mcast; above %NP_MCAST_MAX: too many, the VIF
 *	receives all multicast of its VLAN
 * @used: the VIF exists
 * @mcast: its multicast filter, as keys without VLAN
 */
struct np_cls_vif {
	u64 key;
	u16 vid;
	u16 tx_vid;
	u16 rx_mode;
	u8 nr_mcast;
	bool used;
	u64 mcast[NP_MCAST_MAX];
};

/**
 * struct np_classify - the classifier of one NP
 * @table: forwarding table
 * @promisc: the promiscuous VIFs
 * @allmulti: the VIFs that receive every multicast frame of their VLAN
 * @bcast: the VIFs that receive the broadcast frames of their VLAN
 * @mfilter: the VIFs with a multicast filter to scan
 * @vlan: the VIFs on each VLAN id (index 0: on none)
 * @vif: per VIF
 * @nr_vifs: VIFs that exist
 */
struct np_classify {
	struct np_cls_slot table[NP_CLS_SLOTS];
	struct np_vifset promisc;
	struct np_vifset allmulti;
	struct np_vifset bcast;
	struct np_vifset mfilter;
	struct np_vifset vlan[NP_VLAN_IDS];
	struct np_cls_vif vif[NP_MAX_VIFS];
	unsigned int nr_vifs;
};

void np_classify_init(struct np_classify *cls);
int np_classify_check(const struct np_vif_cfg *cfg);
int np_classify_add(struct np_classify *cls, unsigned int vif,
		    const struct np_vif_cfg *cfg);
int np_classify_set(struct np_classify *cls, unsigned int vif,
		    const struct np_vif_cfg *cfg);
int np_classify_del(struct np_classify *cls, unsigned int vif);
int np_classify_set_mcast(struct np_classify *cls, unsigned int vif,
			  const u8 addrs[][NP_ABI_MAC_LEN], unsigned int n);
bool np_classify(const struct np_classify *cls, const void *data, u32 len,
		 unsigned int src, struct np_dest *dest);

#endif /* _NP_CLASSIFY_H */
