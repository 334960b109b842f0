/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_abi.h - the control protocol between the host (svnic) and a network
 * processor's data plane: versioned, fixed-size messages.
 *
 * A message is a &struct np_msg_hdr followed by the payload its type fixes;
 * the request's length must be exactly the header plus that payload.  Every
 * request gets one reply of the same type with %NP_MSG_REPLY set, the same
 * sequence number and a status: 0 or a negative errno (Linux numbering).  A
 * reply carries a payload only when its status is 0.
 *
 * All fields are little-endian (as virtio 1.x), whatever the NP's byte
 * order; every structure is naturally aligned and padded explicitly to a
 * multiple of 8 bytes.  Padding, reserved fields, unknown types and unknown
 * flags must be zero or absent: the NP refuses them with -EINVAL, so that
 * they can be given a meaning later.
 *
 * Versions: the major number changes when the protocol breaks, the minor
 * one when it grows compatibly (new types, new flags).  The NP refuses a
 * request of another major version with -EPROTO, and the host must refuse
 * an NP whose major version differs from its own (np_abi_compatible()).
 * Each reply header carries the NP's version, so the host learns it from
 * any reply, and from the HELLO reply first.
 *
 * Errors (status of a reply):
 *	-EPROTO		the request's major version is not the NP's
 *	-EINVAL		malformed message: length, unknown type, nonzero
 *			padding or reserved field, unknown flag, a field out
 *			of range (VIF id, MAC, VLAN, MTU, rate, batching)
 *	-EEXIST		VIF_ADD of a VIF that exists
 *	-ENOENT		a message about a VIF that does not exist
 *	-EADDRINUSE	another VIF has that MAC address on that VLAN
 *	-ENOSPC		the reply would not fit the host's reply buffer
 */
#ifndef _NP_ABI_H
#define _NP_ABI_H

#include <linux/types.h>

#define NP_ABI_MAJOR		1
#define NP_ABI_MINOR		0

/* Bytes of a MAC address. */
#define NP_ABI_MAC_LEN		6
/* Multicast addresses a VIF's filter holds; beyond, ask for all-multicast. */
#define NP_ABI_MCAST_MAX	16
/* Drop counters in a STATS reply, indexed by enum np_drop. */
#define NP_ABI_DROP_SLOTS	8
/* The VLAN id of a VIF on no VLAN (untagged frames). */
#define NP_VLAN_NONE		0xffffU
/* The VIF id that STATS_GET gives to ask for the uplink's counters. */
#define NP_VIF_UPLINK		0xffffffffU

/* Set in the type of a reply. */
#define NP_MSG_REPLY		0x8000U

/**
 * enum np_msg_type - message types
 * @NP_MSG_HELLO: no payload; reply &struct np_msg_hello.  The first message
 *	of a session: the reply header carries the NP's ABI version.
 * @NP_MSG_VIF_ADD: &struct np_msg_vif_add; no reply payload
 * @NP_MSG_VIF_DEL: &struct np_msg_vif_del; no reply payload.  Frames still
 *	queued for or from the VIF are given back to the host.
 * @NP_MSG_VIF_SET: &struct np_msg_vif_set; no reply payload
 * @NP_MSG_RATE_SET: &struct np_msg_rate_set; no reply payload
 * @NP_MSG_STATS_GET: &struct np_msg_stats_get; reply &struct np_msg_stats
 * @NP_MSG_NOTIFY_SET: &struct np_msg_notify_set; no reply payload
 * @NP_MSG_MCAST_SET: &struct np_msg_mcast_set; no reply payload
 * @__NP_MSG_MAX: internal: one more than the highest type
 */
enum np_msg_type {
	NP_MSG_HELLO = 1,
	NP_MSG_VIF_ADD = 2,
	NP_MSG_VIF_DEL = 3,
	NP_MSG_VIF_SET = 4,
	NP_MSG_RATE_SET = 5,
	NP_MSG_STATS_GET = 6,
	NP_MSG_NOTIFY_SET = 7,
	NP_MSG_MCAST_SET = 8,
	__NP_MSG_MAX,
};

/* The type of the reply to STATS_GET. */
#define NP_MSG_STATS		(NP_MSG_STATS_GET | NP_MSG_REPLY)

/**
 * enum np_cap - capability bits in &np_msg_hello.caps
 * @NP_CAP_VLAN: VIFs on 802.1Q VLANs (&np_msg_vif_conf.vlan)
 * @NP_CAP_MCAST_FILTER: multicast filters (%NP_MSG_MCAST_SET)
 * @NP_CAP_RATE: egress rate limits (%NP_MSG_RATE_SET)
 * @NP_CAP_NOTIFY_BATCH: batched notifications (%NP_MSG_NOTIFY_SET)
 */
enum np_cap {
	NP_CAP_VLAN = 1 << 0,
	NP_CAP_MCAST_FILTER = 1 << 1,
	NP_CAP_RATE = 1 << 2,
	NP_CAP_NOTIFY_BATCH = 1 << 3,
};

/**
 * enum np_rx_mode - what a VIF receives besides unicast to its address
 * @NP_RX_PROMISC: every broadcast and multicast frame on any VLAN, and the
 *	unicast from the uplink to addresses no VIF owns
 * @NP_RX_ALLMULTI: every multicast frame of its VLAN
 * @NP_RX_BROADCAST: the broadcast frames of its VLAN
 */
enum np_rx_mode {
	NP_RX_PROMISC = 1 << 0,
	NP_RX_ALLMULTI = 1 << 1,
	NP_RX_BROADCAST = 1 << 2,
};

#define NP_RX_MODES		(NP_RX_PROMISC | NP_RX_ALLMULTI | NP_RX_BROADCAST)

/**
 * enum np_vif_change - which fields a VIF_SET changes (&np_msg_vif_set.change)
 * @NP_VIF_SET_MAC: &np_msg_vif_conf.mac
 * @NP_VIF_SET_VLAN: &np_msg_vif_conf.vlan
 * @NP_VIF_SET_MTU: &np_msg_vif_conf.mtu
 * @NP_VIF_SET_RX_MODE: &np_msg_vif_conf.rx_mode
 */
enum np_vif_change {
	NP_VIF_SET_MAC = 1 << 0,
	NP_VIF_SET_VLAN = 1 << 1,
	NP_VIF_SET_MTU = 1 << 2,
	NP_VIF_SET_RX_MODE = 1 << 3,
};

#define NP_VIF_SET_ALL		(NP_VIF_SET_MAC | NP_VIF_SET_VLAN | \
				 NP_VIF_SET_MTU | NP_VIF_SET_RX_MODE)

/**
 * enum np_drop - why the NP dropped a frame; indexes &np_msg_stats.drops
 * @NP_DROP_NO_BUFFER: the queue it was headed for was full, or a copy for
 *	one more destination could not be made
 * @NP_DROP_FILTERED: no destination accepts it (unknown unicast from the
 *	uplink with no promiscuous VIF, multicast nobody listens to, a VIF
 *	sending to itself or on a VLAN that is not its own)
 * @NP_DROP_RATE: the egress queue of a rate-limited VIF was full
 * @NP_DROP_MALFORMED: shorter than its Ethernet (and 802.1Q) header, a
 *	multicast source address, or VLAN id 4095
 * @NP_DROP_TOO_BIG: longer than the MTU of the VIF that sent or would
 *	receive it, plus the Ethernet and 802.1Q headers
 * @NP_DROP_NR: number of reasons
 */
enum np_drop {
	NP_DROP_NO_BUFFER,
	NP_DROP_FILTERED,
	NP_DROP_RATE,
	NP_DROP_MALFORMED,
	NP_DROP_TOO_BIG,
	NP_DROP_NR,
};

/**
 * struct np_msg_hdr - header of every message (16 bytes)
 * @abi_major: %NP_ABI_MAJOR of the sender
 * @abi_minor: %NP_ABI_MINOR of the sender
 * @type: enum np_msg_type, with %NP_MSG_REPLY in replies
 * @len: bytes of the message, this header included
 * @rsvd: reserved, 0
 * @seq: chosen by the host, echoed in the reply
 * @status: 0 in requests; in replies 0 or a negative errno (s32)
 */
struct np_msg_hdr {
	__u8 abi_major;
	__u8 abi_minor;
	__le16 type;
	__le16 len;
	__le16 rsvd;
	__le32 seq;
	__le32 status;
};

/**
 * struct np_msg_hello - reply to HELLO: what the NP offers
 * @caps: enum np_cap bits
 * @max_vifs: VIF ids run from 0 to @max_vifs - 1
 * @ring_slots: frames each VIF's receive and egress queue holds
 * @mtu_min: smallest MTU a VIF may have
 * @mtu_max: largest MTU a VIF may have
 * @max_mcast: entries of a VIF's multicast filter
 * @pad: 0
 */
struct np_msg_hello {
	__le64 caps;
	__le32 max_vifs;
	__le32 ring_slots;
	__le16 mtu_min;
	__le16 mtu_max;
	__le16 max_mcast;
	__le16 pad;
};

/**
 * struct np_msg_vif_conf - the configuration of a VIF
 * @mac: unicast address, not all zeroes
 * @vlan: VLAN id from 1 to 4094, or %NP_VLAN_NONE.  The VIF receives the
 *	frames tagged with that id (untagged ones for none), and what it
 *	sends must carry that tag; tags are neither pushed nor popped.
 * @mtu: from &np_msg_hello.mtu_min to &np_msg_hello.mtu_max
 * @rx_mode: enum np_rx_mode bits
 * @pad: 0
 */
struct np_msg_vif_conf {
	__u8 mac[NP_ABI_MAC_LEN];
	__le16 vlan;
	__le16 mtu;
	__le16 rx_mode;
	__le32 pad;
};

/**
 * struct np_msg_vif_add - VIF_ADD: a new VIF, empty queues, no rate limit,
 *	an empty multicast filter
 * @vif: its id, below &np_msg_hello.max_vifs
 * @pad: 0
 * @conf: its configuration
 */
struct np_msg_vif_add {
	__le32 vif;
	__le32 pad;
	struct np_msg_vif_conf conf;
};

/**
 * struct np_msg_vif_set - VIF_SET: change some of a VIF's configuration
 * @vif: the VIF
 * @change: enum np_vif_change bits, at least one
 * @conf: the new values of the fields named in @change; the other fields
 *	must be 0
 */
struct np_msg_vif_set {
	__le32 vif;
	__le32 change;
	struct np_msg_vif_conf conf;
};

/**
 * struct np_msg_vif_del - VIF_DEL: remove a VIF
 * @vif: the VIF
 * @pad: 0
 */
struct np_msg_vif_del {
	__le32 vif;
	__le32 pad;
};

/**
 * struct np_msg_rate_set - RATE_SET: hold a VIF's egress to the uplink to a
 *	rate (token bucket); both 0 for no limit
 * @vif: the VIF
 * @pad: 0
 * @rate: bytes per second, at most 125000000000 (1 Tbit/s); 0 with @burst 0
 * @burst: bucket depth in bytes, from 1 to 8000000000 when @rate is set
 */
struct np_msg_rate_set {
	__le32 vif;
	__le32 pad;
	__le64 rate;
	__le64 burst;
};

/**
 * struct np_msg_stats_get - STATS_GET: a VIF's counters
 * @vif: the VIF, or %NP_VIF_UPLINK for the uplink's
 * @pad: 0
 */
struct np_msg_stats_get {
	__le32 vif;
	__le32 pad;
};

/**
 * struct np_msg_stats - reply to STATS_GET.  A VIF's counters are seen from
 *	the VIF, as a NIC's are: rx is what its host side received, tx what it
 *	sent into the NP; the uplink's rx is what came from the wire and its tx
 *	what went to it.
 * @vif: the VIF, as asked
 * @pad: 0
 * @rx_packets: frames received
 * @rx_bytes: their bytes
 * @tx_packets: frames sent and accepted by the NP
 * @tx_bytes: their bytes
 * @drops: frames dropped, indexed by enum np_drop; unused slots 0
 */
struct np_msg_stats {
	__le32 vif;
	__le32 pad;
	__le64 rx_packets;
	__le64 rx_bytes;
	__le64 tx_packets;
	__le64 tx_bytes;
	__le64 drops[NP_ABI_DROP_SLOTS];
};

/**
 * struct np_msg_notify_set - NOTIFY_SET: how notifications are batched.
 *	The NP signals the VIFs with new used buffers in one pass: once
 *	@frames frames were handed to VIFs since the last pass (0: no such
 *	bound), and at the end of every @cycles-th poll cycle.
 * @frames: from 0 to 65536
 * @cycles: from 1 to 1024
 */
struct np_msg_notify_set {
	__le32 frames;
	__le32 cycles;
};

/**
 * struct np_msg_mcast_set - MCAST_SET: replace a VIF's multicast filter
 * @vif: the VIF
 * @count: addresses in @addrs, at most %NP_ABI_MCAST_MAX
 * @addrs: multicast addresses; the entries from @count on are 0
 */
struct np_msg_mcast_set {
	__le32 vif;
	__le32 count;
	__u8 addrs[NP_ABI_MCAST_MAX][NP_ABI_MAC_LEN];
};

/**
 * union np_msg_body - the payloads
 * @hello: reply to HELLO
 * @vif_add: VIF_ADD
 * @vif_set: VIF_SET
 * @vif_del: VIF_DEL
 * @rate_set: RATE_SET
 * @stats_get: STATS_GET
 * @stats: reply to STATS_GET
 * @notify_set: NOTIFY_SET
 * @mcast_set: MCAST_SET
 */
union np_msg_body {
	struct np_msg_hello hello;
	struct np_msg_vif_add vif_add;
	struct np_msg_vif_set vif_set;
	struct np_msg_vif_del vif_del;
	struct np_msg_rate_set rate_set;
	struct np_msg_stats_get stats_get;
	struct np_msg_stats stats;
	struct np_msg_notify_set notify_set;
	struct np_msg_mcast_set mcast_set;
};

/**
 * struct np_msg - the largest message; a buffer of this size holds any
 * @hdr: header
 * @body: payload, as long as the type says
 */
struct np_msg {
	struct np_msg_hdr hdr;
	union np_msg_body body;
};

#define NP_MSG_MAX_LEN		sizeof(struct np_msg)

/* The layout is the ABI: any change of these sizes is a new major version. */
_Static_assert(sizeof(struct np_msg_hdr) == 16, "np_msg_hdr");
_Static_assert(sizeof(struct np_msg_hello) == 24, "np_msg_hello");
_Static_assert(sizeof(struct np_msg_vif_conf) == 16, "np_msg_vif_conf");
_Static_assert(sizeof(struct np_msg_vif_add) == 24, "np_msg_vif_add");
_Static_assert(sizeof(struct np_msg_vif_set) == 24, "np_msg_vif_set");
_Static_assert(sizeof(struct np_msg_vif_del) == 8, "np_msg_vif_del");
_Static_assert(sizeof(struct np_msg_rate_set) == 24, "np_msg_rate_set");
_Static_assert(sizeof(struct np_msg_stats_get) == 8, "np_msg_stats_get");
_Static_assert(sizeof(struct np_msg_stats) == 104, "np_msg_stats");
_Static_assert(sizeof(struct np_msg_notify_set) == 8, "np_msg_notify_set");
_Static_assert(sizeof(struct np_msg_mcast_set) == 104, "np_msg_mcast_set");
_Static_assert(sizeof(struct np_msg) == 120, "np_msg");
_Static_assert(NP_DROP_NR <= NP_ABI_DROP_SLOTS, "np_drop");

/**
 * np_abi_compatible - whether the host may talk to an NP of that version
 * @major: the NP's &np_msg_hdr.abi_major
 * @minor: the NP's &np_msg_hdr.abi_minor
 *
 * Minor versions are compatible both ways: each side uses what the older
 * one defines (an NP refuses the message types and flags it does not know
 * with -EINVAL).  A different major version is not compatible at all.
 *
 * Return: true when @major is %NP_ABI_MAJOR.
 */
static inline bool np_abi_compatible(unsigned int major, unsigned int minor)
{
	return major == NP_ABI_MAJOR;
}

/**
 * np_msg_body_len - the payload of a message type, as both sides check it
 * @type: enum np_msg_type
 * @reply: the payload of its reply when it succeeds (an error's reply has
 *	none), else the request's
 *
 * Return: its bytes, or -1 for a type this version does not define.
 */
static inline int np_msg_body_len(unsigned int type, bool reply)
{
	switch (type) {
	case NP_MSG_HELLO:
		return reply ? sizeof(struct np_msg_hello) : 0;
	case NP_MSG_VIF_ADD:
		return reply ? 0 : sizeof(struct np_msg_vif_add);
	case NP_MSG_VIF_DEL:
		return reply ? 0 : sizeof(struct np_msg_vif_del);
	case NP_MSG_VIF_SET:
		return reply ? 0 : sizeof(struct np_msg_vif_set);
	case NP_MSG_RATE_SET:
		return reply ? 0 : sizeof(struct np_msg_rate_set);
	case NP_MSG_STATS_GET:
		return reply ? sizeof(struct np_msg_stats) :
			       sizeof(struct np_msg_stats_get);
	case NP_MSG_NOTIFY_SET:
		return reply ? 0 : sizeof(struct np_msg_notify_set);
	case NP_MSG_MCAST_SET:
		return reply ? 0 : sizeof(struct np_msg_mcast_set);
	}
	return -1;
}

#endif /* _NP_ABI_H */
