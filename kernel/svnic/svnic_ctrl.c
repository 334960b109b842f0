// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_ctrl.c - a VIF's control virtqueue: the driver's MAC address and
 * receive-mode commands, handled by the sidecore
 *
 * VIRTIO_NET_CTRL_MAC_ADDR_SET moves the VIF's address in the NP's
 * switch (what "ip link set ... address" does in a guest);
 * VIRTIO_NET_CTRL_RX sets promiscuous and all-multicast reception;
 * VIRTIO_NET_CTRL_MAC_TABLE_SET is accepted (multicast frames reach every
 * VIF that takes multicast).  Anything else is answered VIRTIO_NET_ERR.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>

#include "svnic.h"

#define SVNIC_CTRL_MAX		512	/* bytes of a command and its data */

/* Carry out one command of class @class, @cmd with @len bytes at @data. */
static u8 svnic_ctrl_cmd(struct svnic_vif *vif, u8 class, u8 cmd,
			 const u8 *data, size_t len)
{
	switch (class) {
	case VIRTIO_NET_CTRL_MAC:
		if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
			if (len != ETH_ALEN || !is_valid_ether_addr(data))
				return VIRTIO_NET_ERR;
			ether_addr_copy(vif->config.mac, data);
			vif->generation++;
			return VIRTIO_NET_OK;
		}
		return cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET ? VIRTIO_NET_OK :
							       VIRTIO_NET_ERR;
	case VIRTIO_NET_CTRL_RX:
		if (len != 1 || (cmd != VIRTIO_NET_CTRL_RX_PROMISC &&
				 cmd != VIRTIO_NET_CTRL_RX_ALLMULTI))
			return VIRTIO_NET_ERR;
		if (cmd == VIRTIO_NET_CTRL_RX_PROMISC)
			vif->promisc = data[0];
		else
			vif->allmulti = data[0];
		return VIRTIO_NET_OK;
	}
	return VIRTIO_NET_ERR;
}

/**
 * svnic_vif_ctrl - answer the commands waiting in @vif's control queue
 * @vif: the VIF
 *
 * Return: commands answered.
 */
unsigned int svnic_vif_ctrl(struct svnic_vif *vif)
{
	struct svnic_vq *vq = &vif->vqs[SVNIC_VQ_CTRL];
	u8 buf[SVNIC_CTRL_MAX], ack;
	unsigned int n = 0;
	ssize_t len;
	int ret;

	spin_lock_bh(&vif->lock);
	while (vq->ready && (vif->features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ)) &&
	       n < SVNIC_BURST) {
		ret = svnic_ring_pop(&vq->ring, &vq->chain);
		if (ret == 0 || ret == -EIO)
			break;
		ack = VIRTIO_NET_ERR;
		len = ret < 0 ? -EINVAL :
		      svnic_chain_pull(&vq->ring, &vq->chain, buf, sizeof(buf));
		if (len >= 2)
			ack = svnic_ctrl_cmd(vif, buf[0], buf[1], buf + 2, len - 2);
		else
			vif->stats.drop_malformed++;
		len = ret < 0 ? -EINVAL :
		      svnic_chain_push(&vq->ring, &vq->chain, &ack, sizeof(ack));
		svnic_ring_push(&vq->ring, vq->chain.head, len > 0 ? len : 0);
		svnic_vq_mark(vif, vq);
		n++;
	}
	spin_unlock_bh(&vif->lock);
	return n;
}
