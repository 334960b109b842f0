/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * svnic.h - generic netlink ABI of the V-Core self-virtualized NIC.
 *
 * vDPA netlink (iproute2 "vdpa") creates and removes the virtual interfaces;
 * this family carries what vDPA cannot express.  Requests are validated
 * strictly: unknown attributes are refused with an extack message.
 */
#ifndef _UAPI_LINUX_SVNIC_H
#define _UAPI_LINUX_SVNIC_H

#define SVNIC_GENL_NAME		"svnic"
#define SVNIC_GENL_VERSION	1

/*
 * ABI version of the family's commands and attributes: the major number
 * changes when the ABI breaks, the minor one when it grows compatibly.
 */
#define SVNIC_ABI_MAJOR		0
#define SVNIC_ABI_MINOR		3

/* Feature bits reported in %SVNIC_A_FEATURES. */

/* NPs made and removed at run time: %SVNIC_CMD_NP_NEW, %SVNIC_CMD_NP_DEL. */
#define SVNIC_FEAT_NP		(1ULL << 0)

/* VIFs listed with statistics, rate limits set: %SVNIC_CMD_VIF_GET/_SET. */
#define SVNIC_FEAT_VIF		(1ULL << 1)

/*
 * The NP data plane's settings: VIF VLANs (%SVNIC_A_VLAN), notification
 * batching (%SVNIC_CMD_NP_SET), the NP's backend and ABI in
 * %SVNIC_CMD_NP_GET, the uplink's counters, drops by every reason.
 */
#define SVNIC_FEAT_NP_DP	(1ULL << 2)

#define SVNIC_FEATURES_ALL	(SVNIC_FEAT_NP | SVNIC_FEAT_VIF | SVNIC_FEAT_NP_DP)

/**
 * enum svnic_cmd - commands of the svnic family
 * @SVNIC_CMD_UNSPEC: invalid
 * @SVNIC_CMD_GET_INFO: reply with %SVNIC_A_ABI_MAJOR, %SVNIC_A_ABI_MINOR,
 *	%SVNIC_A_FEATURES and %SVNIC_A_NR_NPS; takes no attributes
 * @SVNIC_CMD_NP_NEW: make an NP on %SVNIC_A_UPLINK (a netdev name in the
 *	caller's namespace), its sidecore on %SVNIC_A_SIDECORE_CPU (optional,
 *	-1 or absent: any); replies like %SVNIC_CMD_NP_GET.  CAP_NET_ADMIN.
 * @SVNIC_CMD_NP_DEL: remove NP %SVNIC_A_NP_ID and its VIFs.  CAP_NET_ADMIN.
 * @SVNIC_CMD_NP_GET: NP %SVNIC_A_NP_ID, or a dump of all: %SVNIC_A_NP_ID,
 *	%SVNIC_A_NP_NAME (its vDPA management device), %SVNIC_A_UPLINK (absent
 *	once the uplink is gone), %SVNIC_A_SIDECORE_CPU, %SVNIC_A_NR_VIFS,
 *	%SVNIC_A_LINK, %SVNIC_A_BACKEND, %SVNIC_A_NP_ABI_MAJOR,
 *	%SVNIC_A_NP_ABI_MINOR, %SVNIC_A_NOTIFY_FRAMES, %SVNIC_A_NOTIFY_CYCLES
 *	and the uplink's counters in %SVNIC_A_STATS
 * @SVNIC_CMD_VIF_GET: VIF %SVNIC_A_VIF_NAME, or a dump of all (of NP
 *	%SVNIC_A_NP_ID when given): %SVNIC_A_NP_ID, %SVNIC_A_VIF_NAME,
 *	%SVNIC_A_MAC, %SVNIC_A_MTU, %SVNIC_A_VLAN, %SVNIC_A_RATE,
 *	%SVNIC_A_BURST and %SVNIC_A_STATS
 * @SVNIC_CMD_VIF_SET: change VIF %SVNIC_A_VIF_NAME: its rate limit
 *	(%SVNIC_A_RATE in bytes/s, 0: none, with %SVNIC_A_BURST in bytes, at
 *	least one frame of its MTU), its VLAN (%SVNIC_A_VLAN), its MAC address
 *	(%SVNIC_A_MAC); at least one of them.  The values are checked first,
 *	then applied in that order: the address, the VLAN, the rate; when
 *	the NP refuses one (-EADDRINUSE: another VIF has the address on the
 *	VLAN), the changes before it stay.  CAP_NET_ADMIN.
 * @SVNIC_CMD_NP_SET: change NP %SVNIC_A_NP_ID's notification batching:
 *	%SVNIC_A_NOTIFY_FRAMES and/or %SVNIC_A_NOTIFY_CYCLES.  CAP_NET_ADMIN.
 * @__SVNIC_CMD_MAX: internal
 * @SVNIC_CMD_MAX: highest command number
 */
enum svnic_cmd {
	SVNIC_CMD_UNSPEC,
	SVNIC_CMD_GET_INFO,
	SVNIC_CMD_NP_NEW,
	SVNIC_CMD_NP_DEL,
	SVNIC_CMD_NP_GET,
	SVNIC_CMD_VIF_GET,
	SVNIC_CMD_VIF_SET,
	SVNIC_CMD_NP_SET,
	__SVNIC_CMD_MAX,
	SVNIC_CMD_MAX = __SVNIC_CMD_MAX - 1,
};

/**
 * enum svnic_attr - attributes of the svnic family
 * @SVNIC_A_UNSPEC: invalid
 * @SVNIC_A_PAD: padding for 64-bit attributes
 * @SVNIC_A_ABI_MAJOR: u32, %SVNIC_ABI_MAJOR of the running module
 * @SVNIC_A_ABI_MINOR: u32, %SVNIC_ABI_MINOR of the running module
 * @SVNIC_A_FEATURES: u64, feature bits of the running module
 * @SVNIC_A_NR_NPS: u32, network processor instances now running
 * @SVNIC_A_NP_ID: u32, an NP's index (its management device is svnic-npN)
 * @SVNIC_A_NP_NAME: string, the NP's vDPA management device
 * @SVNIC_A_UPLINK: string, the uplink netdev's name
 * @SVNIC_A_SIDECORE_CPU: s32, the sidecore's CPU, -1 for any
 * @SVNIC_A_NR_VIFS: u32, VIFs of the NP
 * @SVNIC_A_LINK: u8, 1 when the uplink has a link
 * @SVNIC_A_VIF_NAME: string, a VIF's vDPA device name
 * @SVNIC_A_MAC: binary, 6 bytes
 * @SVNIC_A_MTU: u16
 * @SVNIC_A_RATE: u64, transmit rate limit in bytes per second, 0 for none
 * @SVNIC_A_BURST: u64, bytes the rate limit lets through at once
 * @SVNIC_A_STATS: nested, &enum svnic_stat attributes (u64 each)
 * @SVNIC_A_VLAN: u16, the VLAN id (1 to 4094) a VIF is an access port of:
 *	its frames are tagged on the way out and untagged on the way in; 0
 *	for none
 * @SVNIC_A_NOTIFY_FRAMES: u32, the NP signals the VIFs' new used buffers
 *	once this many frames went to VIFs since the last time (0: no such
 *	bound), up to 65536
 * @SVNIC_A_NOTIFY_CYCLES: u32, and at the end of every this-many-th poll
 *	cycle, from 1 to 1024
 * @SVNIC_A_BACKEND: string, what runs the NP's data plane ("sidecore")
 * @SVNIC_A_NP_ABI_MAJOR: u32, the NP's control ABI (np_abi.h), major
 * @SVNIC_A_NP_ABI_MINOR: u32, and minor
 * @__SVNIC_A_MAX: internal
 * @SVNIC_A_MAX: highest attribute number
 */
enum svnic_attr {
	SVNIC_A_UNSPEC,
	SVNIC_A_PAD,
	SVNIC_A_ABI_MAJOR,
	SVNIC_A_ABI_MINOR,
	SVNIC_A_FEATURES,
	SVNIC_A_NR_NPS,
	SVNIC_A_NP_ID,
	SVNIC_A_NP_NAME,
	SVNIC_A_UPLINK,
	SVNIC_A_SIDECORE_CPU,
	SVNIC_A_NR_VIFS,
	SVNIC_A_LINK,
	SVNIC_A_VIF_NAME,
	SVNIC_A_MAC,
	SVNIC_A_MTU,
	SVNIC_A_RATE,
	SVNIC_A_BURST,
	SVNIC_A_STATS,
	SVNIC_A_VLAN,
	SVNIC_A_NOTIFY_FRAMES,
	SVNIC_A_NOTIFY_CYCLES,
	SVNIC_A_BACKEND,
	SVNIC_A_NP_ABI_MAJOR,
	SVNIC_A_NP_ABI_MINOR,
	__SVNIC_A_MAX,
	SVNIC_A_MAX = __SVNIC_A_MAX - 1,
};

/**
 * enum svnic_stat - a VIF's or an uplink's counters, nested in
 *	%SVNIC_A_STATS.  A VIF's are seen from the VIF: rx is what it
 *	received, tx what it sent; the uplink's rx is what came from the wire
 *	for the VIFs, its tx what went to the wire.
 * @SVNIC_STAT_UNSPEC: invalid
 * @SVNIC_STAT_PAD: padding
 * @SVNIC_STAT_TX_PACKETS: frames sent
 * @SVNIC_STAT_TX_BYTES: their bytes
 * @SVNIC_STAT_RX_PACKETS: frames received
 * @SVNIC_STAT_RX_BYTES: their bytes
 * @SVNIC_STAT_DROP_NO_BUFFER: frames dropped for want of room: a full queue
 *	of the NP, no receive buffer posted by the VIF's driver
 * @SVNIC_STAT_DROP_MALFORMED: descriptor chains refused; frames too short
 *	for their headers, or from a multicast source address
 * @SVNIC_STAT_DROP_TOO_BIG: frames above the MTU
 * @SVNIC_STAT_DROP_FILTERED: frames no destination accepts (unknown
 *	unicast, unwanted multicast, a VLAN that is not the VIF's)
 * @SVNIC_STAT_DROP_RATE: frames dropped because the VIF's rate limit's
 *	queue was full
 * @__SVNIC_STAT_MAX: internal
 * @SVNIC_STAT_MAX: highest counter
 */
enum svnic_stat {
	SVNIC_STAT_UNSPEC,
	SVNIC_STAT_PAD,
	SVNIC_STAT_TX_PACKETS,
	SVNIC_STAT_TX_BYTES,
	SVNIC_STAT_RX_PACKETS,
	SVNIC_STAT_RX_BYTES,
	SVNIC_STAT_DROP_NO_BUFFER,
	SVNIC_STAT_DROP_MALFORMED,
	SVNIC_STAT_DROP_TOO_BIG,
	SVNIC_STAT_DROP_FILTERED,
	SVNIC_STAT_DROP_RATE,
	__SVNIC_STAT_MAX,
	SVNIC_STAT_MAX = __SVNIC_STAT_MAX - 1,
};

#endif /* _UAPI_LINUX_SVNIC_H */
