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
#define SVNIC_ABI_MINOR		1

/* Feature bits reported in %SVNIC_A_FEATURES; none are defined yet. */
#define SVNIC_FEATURES_ALL	0ULL

/**
 * enum svnic_cmd - commands of the svnic family
 * @SVNIC_CMD_UNSPEC: invalid
 * @SVNIC_CMD_GET_INFO: reply with %SVNIC_A_ABI_MAJOR, %SVNIC_A_ABI_MINOR,
 *	%SVNIC_A_FEATURES and %SVNIC_A_NR_NPS; takes no attributes
 * @__SVNIC_CMD_MAX: internal
 * @SVNIC_CMD_MAX: highest command number
 */
enum svnic_cmd {
	SVNIC_CMD_UNSPEC,
	SVNIC_CMD_GET_INFO,
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
	__SVNIC_A_MAX,
	SVNIC_A_MAX = __SVNIC_A_MAX - 1,
};

#endif /* _UAPI_LINUX_SVNIC_H */
