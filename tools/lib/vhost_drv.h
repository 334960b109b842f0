/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_drv.h - a small user-space vhost driver of one virtio-net device
 * (queue 0 receives, queue 1 transmits), the way QEMU drives one: through
 * /dev/vhost-vdpa-N (IOTLB v2 messages, configuration space, device
 * status) or through /dev/vhost-net with a tap as its backend (memory
 * table, VHOST_NET_SET_BACKEND).  One anonymous region holds both split
 * rings and a buffer for every descriptor; the device sees it at
 * VDRV_IOVA_BASE (an IOVA for vhost-vdpa, a guest-physical address for
 * vhost-net).
 */
#ifndef _VHOST_DRV_H
#define _VHOST_DRV_H

#include <stdbool.h>
#include <linux/if_ether.h>
#include <linux/types.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#define VDRV_RX		0
#define VDRV_TX		1
#define VDRV_CVQ	2	/* with VIRTIO_NET_F_CTRL_VQ in extra_features */
#define VDRV_NR_VQS	3
#define VDRV_QNUM	256		/* entries of each queue */
#define VDRV_MEM_SIZE	(2UL << 20)	/* the region */
#define VDRV_IOVA_BASE	0x40000000ULL	/* where the device sees it */
#define VDRV_RING_SPAN	0x4000UL	/* desc + avail + used of one queue */
#define VDRV_USED_OFF	0x2000UL	/* the used ring, in a queue's span */
#define VDRV_BUF_BASE	0x10000UL	/* the buffers, after the rings */
#define VDRV_BUF_SIZE	2048UL
#define VDRV_HDR_LEN	sizeof(struct virtio_net_hdr_mrg_rxbuf)

/**
 * enum vdrv_kind - what the driver talks to
 * @VDRV_VDPA: /dev/vhost-vdpa-N
 * @VDRV_NET: /dev/vhost-net, with a tap as its backend
 */
enum vdrv_kind {
	VDRV_VDPA,
	VDRV_NET,
};

/**
 * struct vdrv_vq - one split ring, as the driver keeps it
 * @desc: its descriptor table
 * @avail: its available ring
 * @used: its used ring
 * @kick: eventfd the driver writes to notify the device
 * @call: eventfd the device signals used buffers through
 * @avail_idx: the next available index the driver publishes
 * @used_seen: the used index the driver has read up to
 * @next_desc: the next descriptor vdrv_new_desc() hands out
 */
struct vdrv_vq {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	int kick;
	int call;
	__u16 avail_idx;
	__u16 used_seen;
	__u16 next_desc;
};

/**
 * struct vdrv - one virtio-net device driven through vhost
 * @kind: vhost-vdpa or vhost-net
 * @fd: the vhost file, -1 when closed
 * @tap: vhost-net's tap, -1 when none
 * @mem: the region (%VDRV_MEM_SIZE bytes)
 * @vq: receive and transmit queue; the control queue, when set up
 * @mac: the device's MAC: vhost-vdpa's configuration space, or the one
 *	 given to vdrv_open_net()
 * @backend_features: vhost backend features negotiated (vhost-vdpa)
 * @phys: give the device physical addresses of the region instead of its
 *	  IOVAs (a test's way to prove that a device reaches only what the
 *	  IOTLB maps; vhost-vdpa only)
 * @extra_features: features to negotiate at the next start besides the
 *	  base set (VERSION_1, ACCESS_PLATFORM, MAC, MTU, STATUS), when the
 *	  device offers them, e.g. MRG_RXBUF; vhost-vdpa only.  With
 *	  CTRL_VQ, the control queue (%VDRV_CVQ) is set up too
 */
struct vdrv {
	enum vdrv_kind kind;
	int fd;
	int tap;
	unsigned char *mem;
	struct vdrv_vq vq[VDRV_NR_VQS];
	unsigned char mac[ETH_ALEN];
	__u64 backend_features;
	bool phys;
	__u64 extra_features;
};

int vdrv_open_vdpa(struct vdrv *d, const char *name);
int vdrv_open_net(struct vdrv *d, const char *tap, const unsigned char *mac);
int vdrv_start(struct vdrv *d, bool remap);
int vdrv_reset(struct vdrv *d);
int vdrv_busyloop(struct vdrv *d, unsigned int us);
void vdrv_close(struct vdrv *d);

__u64 vdrv_phys_of(void *va);
__u64 vdrv_addr(const struct vdrv *d, unsigned long off);
unsigned long vdrv_buf_off(int q, unsigned int slot);
void *vdrv_buf(struct vdrv *d, int q, unsigned int slot);

__u16 vdrv_new_desc(struct vdrv *d, int q);
__u16 vdrv_desc(struct vdrv *d, int q, __u16 i, __u64 addr, __u32 len,
		__u16 flags, __u16 next);
void vdrv_post(struct vdrv *d, int q, __u16 head);
void vdrv_kick(struct vdrv *d, int q);
bool vdrv_notify(struct vdrv *d, int q);
void vdrv_irq(struct vdrv *d, int q, bool on);
__u16 vdrv_used_idx(struct vdrv *d, int q);
struct vring_used_elem *vdrv_used_next(struct vdrv *d, int q);
int vdrv_wait_used(struct vdrv *d, int q, int ms);
int vdrv_wait_call(struct vdrv *d, int q, int ms);

#endif /* _VHOST_DRV_H */
