// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_cvq.c - a VIF's control virtqueue: the driver's MAC address and
 * receive-mode commands, handled by the sidecore
 *
 * The sidecore applies them to the NP data plane with the same control
 * messages the host sends (svnic_sc_vif_set(), svnic_sc_mcast()):
 * VIRTIO_NET_CTRL_MAC_ADDR_SET moves the VIF's address in the NP's
 * forwarding table (what "ip link set ... address" does in a guest), and
 * is refused when another VIF of the NP has the address;
 * VIRTIO_NET_CTRL_RX sets promiscuous and all-multicast reception;
 * VIRTIO_NET_CTRL_MAC_TABLE_SET's multicast table becomes the VIF's
 * multicast filter, or all-multicast reception when it has more entries
 * than the NP's filter holds.  The unicast table has no use: the NP gives
 * each VIF one address.  A command the NP refuses, and anything else, is
 * answered VIRTIO_NET_ERR; what the VIF records of its state is what the
 * NP holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/unaligned.h>

#include "svnic_sidecore.h"

#define SVNIC_CVQ_CMD_MAX	512	/* bytes of a command and its data */

/*
 * The receive mode the NP applies: the driver's @mode, and all-multicast
 * with a full filter (@mc_full).  Return: 0, or the NP's refusal: then
 * nothing changed.
 */
static int svnic_cvq_rx_mode(struct svnic_vif *vif, u16 mode, bool mc_full)
{
	int ret;

	mode |= NP_RX_BROADCAST | (mc_full ? NP_RX_ALLMULTI : 0);
	if (mode == vif->rx_mode)
		return 0;
	ret = svnic_sc_vif_set(vif, NP_VIF_SET_RX_MODE, NULL, mode);
	if (ret)
		return ret;
	vif->rx_mode = mode;
	svnic_sc_vif_changed(vif->np, vif, NP_VIF_SET_RX_MODE, NULL, mode);
	return 0;
}

/*
 * VIRTIO_NET_CTRL_MAC_TABLE_SET: a unicast table, then a multicast one.
 * The filter is replaced, then the receive mode follows it; when the NP
 * refuses the mode, the filter it took stands and @vif->mc_full says so.
 */
static u8 svnic_cvq_mac_table(struct svnic_vif *vif, const u8 *data,
			      size_t len)
{
	bool mc_full;
	u32 uc, mc;

	if (len < 4)
		return VIRTIO_NET_ERR;
	uc = get_unaligned_le32(data);
	if (uc > SVNIC_CVQ_CMD_MAX / ETH_ALEN || len < 8 + (size_t)uc * ETH_ALEN)
		return VIRTIO_NET_ERR;
	data += 4 + uc * ETH_ALEN;
	len -= 4 + uc * ETH_ALEN;
	mc = get_unaligned_le32(data);
	if (mc > SVNIC_CVQ_CMD_MAX / ETH_ALEN || len != 4 + (size_t)mc * ETH_ALEN)
		return VIRTIO_NET_ERR;
	data += 4;
	mc_full = mc > NP_ABI_MCAST_MAX;
	if (svnic_sc_mcast(vif, mc_full ? NULL : data, mc_full ? 0 : mc))
		return VIRTIO_NET_ERR;
	vif->mc_full = mc_full;
	if (svnic_cvq_rx_mode(vif, vif->rx_mode & ~NP_RX_ALLMULTI, mc_full))
		return VIRTIO_NET_ERR;
	return VIRTIO_NET_OK;
}

static u8 svnic_cvq_mac(struct svnic_vif *vif, u8 cmd, const u8 *data,
			 size_t len)
{
	if (cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET)
		return svnic_cvq_mac_table(vif, data, len);
	if (cmd != VIRTIO_NET_CTRL_MAC_ADDR_SET || len != ETH_ALEN ||
	    !is_valid_ether_addr(data) ||
	    svnic_sc_vif_set(vif, NP_VIF_SET_MAC, data, 0))
		return VIRTIO_NET_ERR;
	svnic_sc_vif_changed(vif->np, vif, NP_VIF_SET_MAC, data, 0);
	ether_addr_copy(vif->config.mac, data);
	vif->generation++;
	return VIRTIO_NET_OK;
}

/* Carry out one command of class @class, @cmd with @len bytes at @data. */
static u8 svnic_cvq_cmd(struct svnic_vif *vif, u8 class, u8 cmd,
			const u8 *data, size_t len)
{
	u16 mode = vif->rx_mode, bit;

	switch (class) {
	case VIRTIO_NET_CTRL_MAC:
		return svnic_cvq_mac(vif, cmd, data, len);
	case VIRTIO_NET_CTRL_RX:
		if (len != 1 || (cmd != VIRTIO_NET_CTRL_RX_PROMISC &&
				 cmd != VIRTIO_NET_CTRL_RX_ALLMULTI))
			return VIRTIO_NET_ERR;
		bit = cmd == VIRTIO_NET_CTRL_RX_PROMISC ? NP_RX_PROMISC :
							  NP_RX_ALLMULTI;
		mode = data[0] ? mode | bit : mode & ~bit;
		if (svnic_cvq_rx_mode(vif, mode, vif->mc_full))
			return VIRTIO_NET_ERR;
		return VIRTIO_NET_OK;
	}
	return VIRTIO_NET_ERR;
}

/**
 * svnic_vif_cvq - answer the commands waiting in @vif's control virtqueue
 * @vif: the VIF
 *
 * Return: commands answered.
 */
unsigned int svnic_vif_cvq(struct svnic_vif *vif)
{
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_CVQ];
	u8 buf[SVNIC_CVQ_CMD_MAX], ack;
	unsigned int n = 0;
	ssize_t len;
	int ret;

	svnic_rings_lock(vif);
	while (vq->ready &&
	       (READ_ONCE(vif->status) & VIRTIO_CONFIG_S_DRIVER_OK) &&
	       (vif->features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ)) &&
	       n < SVNIC_BURST) {
		ret = svnic_ring_pop(&vq->ring, &vq->chain);
		if (ret == 0 || ret == -EIO)
			break;
		ack = VIRTIO_NET_ERR;
		len = ret < 0 ? -EINVAL :
		      svnic_chain_pull(&vq->ring, &vq->chain, buf, sizeof(buf));
		if (len >= 2)
			ack = svnic_cvq_cmd(vif, buf[0], buf[1], buf + 2, len - 2);
		else
			vif->stats.drop_malformed++;
		len = ret < 0 ? -EINVAL :
		      svnic_chain_push(&vq->ring, &vq->chain, &ack, sizeof(ack));
		svnic_ring_push(&vq->ring, vq->chain.head, len > 0 ? len : 0);
		n++;
	}
	if (n) {
		svnic_ring_publish(&vq->ring);
		svnic_vq_mark(vq);
	}
	svnic_rings_unlock(vif);
	if (n)
		np_dp_mark(svnic_sc(vif->np)->dp, vif->id, 0);
	return n;
}
