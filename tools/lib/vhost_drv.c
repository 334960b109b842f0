// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_drv.c - a small user-space vhost driver of one virtio-net device,
 * through /dev/vhost-vdpa-N or /dev/vhost-net (see vhost_drv.h)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vhost_drv.h"

/**
 * vdrv_phys_of - the physical address of a page-backed byte
 * @va: the byte (its page pinned or at least present)
 *
 * Return: its physical address, or 0 when /proc/self/pagemap does not say.
 */
__u64 vdrv_phys_of(void *va)
{
	unsigned long v = (unsigned long)va;
	__u64 e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (v / 4096) * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	if (!(e >> 63) || !(e & ((1ULL << 55) - 1)))
		return 0;
	return (e & ((1ULL << 55) - 1)) * 4096 + v % 4096;
}

/**
 * vdrv_addr - the device address of a byte of the region
 * @d: the device
 * @off: the byte's offset in the region
 *
 * Return: what a descriptor gives the device for it.
 */
__u64 vdrv_addr(const struct vdrv *d, unsigned long off)
{
	return d->phys ? vdrv_phys_of(d->mem + off) : VDRV_IOVA_BASE + off;
}

/*
 * What VHOST_SET_VRING_ADDR takes: IOVAs for vhost-vdpa, user addresses
 * for vhost-net (which translates only what descriptors point at).
 */
static __u64 vdrv_ring_addr(const struct vdrv *d, unsigned long off)
{
	if (d->kind == VDRV_NET)
		return (unsigned long)(d->mem + off);
	return vdrv_addr(d, off);
}

static unsigned long vdrv_ring_off(int q)
{
	return (unsigned long)q * VDRV_RING_SPAN;
}

/**
 * vdrv_buf_off - where the buffer of a descriptor slot lies
 * @q: the queue
 * @slot: the descriptor (taken modulo %VDRV_QNUM)
 *
 * Return: its offset in the region (%VDRV_BUF_SIZE bytes there).
 */
unsigned long vdrv_buf_off(int q, unsigned int slot)
{
	return VDRV_BUF_BASE +
	       ((unsigned long)q * VDRV_QNUM + slot % VDRV_QNUM) * VDRV_BUF_SIZE;
}

/**
 * vdrv_buf - the buffer of a descriptor slot
 * @d: the device
 * @q: the queue
 * @slot: the descriptor (taken modulo %VDRV_QNUM)
 *
 * Return: its first byte.
 */
void *vdrv_buf(struct vdrv *d, int q, unsigned int slot)
{
	return d->mem + vdrv_buf_off(q, slot);
}

static int vdrv_vring_ioctl(struct vdrv *d, unsigned long req, unsigned int q,
			    unsigned int num)
{
	struct vhost_vring_state s = { .index = q, .num = num };

	return ioctl(d->fd, req, &s);
}

/* /dev/vhost-vdpa-K of vDPA device @name, opened; -1 when there is none. */
static int vdrv_vdpa_dev(const char *name)
{
	char path[128];
	int i, k;

	for (i = 0; i < 50; i++) {
		for (k = 0; k < 64; k++) {
			snprintf(path, sizeof(path),
				 "/sys/bus/vdpa/devices/%s/vhost-vdpa-%d", name, k);
			if (access(path, F_OK))
				continue;
			snprintf(path, sizeof(path), "/dev/vhost-vdpa-%d", k);
			if (!access(path, F_OK))
				return open(path, O_RDWR | O_CLOEXEC);
		}
		usleep(100000);
	}
	return -1;
}

static int vdrv_iotlb(struct vdrv *d, __u8 type, __u64 iova, __u64 size,
		      __u64 uaddr)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = uaddr,
			.perm = VHOST_ACCESS_RW,
			.type = type,
		},
	};

	return write(d->fd, &m, sizeof(m)) == sizeof(m) ? 0 : -errno;
}

/*
 * The rings (receive, transmit, and the control queue when asked for):
 * size, addresses, base, kick and call eventfds, and the backend that
 * serves them (vhost-vdpa: the ring enabled; vhost-net: the tap).  0 or a
 * negative step.
 */
static int vdrv_rings(struct vdrv *d)
{
	int q, nr = VDRV_CVQ;

	if (d->kind == VDRV_VDPA &&
	    (d->extra_features & (1ULL << VIRTIO_NET_F_CTRL_VQ)))
		nr = VDRV_NR_VQS;
	memset(d->mem, 0, VDRV_MEM_SIZE);
	for (q = 0; q < nr; q++) {
		unsigned long off = vdrv_ring_off(q);
		struct vhost_vring_addr a = {
			.index = q,
			.desc_user_addr = vdrv_ring_addr(d, off),
			.avail_user_addr = vdrv_ring_addr(d, off + VDRV_QNUM *
							  sizeof(struct vring_desc)),
			.used_user_addr = vdrv_ring_addr(d, off + VDRV_USED_OFF),
		};
		struct vhost_vring_file f = { .index = q };

		d->vq[q].avail_idx = 0;
		d->vq[q].used_seen = 0;
		d->vq[q].next_desc = 0;
		if (vdrv_vring_ioctl(d, VHOST_SET_VRING_NUM, q, VDRV_QNUM) ||
		    ioctl(d->fd, VHOST_SET_VRING_ADDR, &a) ||
		    vdrv_vring_ioctl(d, VHOST_SET_VRING_BASE, q, 0))
			return -14;
		f.fd = d->vq[q].kick;
		if (ioctl(d->fd, VHOST_SET_VRING_KICK, &f))
			return -15;
		f.fd = d->vq[q].call;
		if (ioctl(d->fd, VHOST_SET_VRING_CALL, &f))
			return -16;
		if (d->kind == VDRV_VDPA &&
		    vdrv_vring_ioctl(d, VHOST_VDPA_SET_VRING_ENABLE, q, 1))
			return -17;
		f.fd = d->tap;
		if (d->kind == VDRV_NET && ioctl(d->fd, VHOST_NET_SET_BACKEND, &f))
			return -17;
	}
	return 0;
}

/* vhost-vdpa's bring-up, after open or after a reset. */
static int vdrv_vdpa_start(struct vdrv *d, bool remap)
{
	__u64 features, bf;
	__u8 status = 0;
	struct vhost_vdpa_config *cfg;
	int ret;

	if (ioctl(d->fd, VHOST_GET_BACKEND_FEATURES, &bf))
		return -1;
	bf &= (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2) |
	      (1ULL << VHOST_BACKEND_F_IOTLB_BATCH);
	if (!(bf & (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2)) ||
	    ioctl(d->fd, VHOST_SET_BACKEND_FEATURES, &bf))
		return -2;
	d->backend_features = bf;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -3;
	status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -4;
	if (ioctl(d->fd, VHOST_GET_FEATURES, &features))
		return -5;
	if (!(features & (1ULL << VIRTIO_F_VERSION_1)) ||
	    !(features & (1ULL << VIRTIO_F_ACCESS_PLATFORM)) ||
	    !(features & (1ULL << VIRTIO_NET_F_MAC)))
		return -6;
	features &= (1ULL << VIRTIO_F_VERSION_1) |
		    (1ULL << VIRTIO_F_ACCESS_PLATFORM) |
		    (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_MTU) |
		    (1ULL << VIRTIO_NET_F_STATUS) | d->extra_features;
	if (ioctl(d->fd, VHOST_SET_FEATURES, &features))
		return -7;
	status |= VIRTIO_CONFIG_S_FEATURES_OK;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status) ||
	    ioctl(d->fd, VHOST_VDPA_GET_STATUS, &status) ||
	    !(status & VIRTIO_CONFIG_S_FEATURES_OK))
		return -8;

	cfg = calloc(1, sizeof(*cfg) + ETH_ALEN);
	if (!cfg)
		return -9;
	cfg->off = offsetof(struct virtio_net_config, mac);
	cfg->len = ETH_ALEN;
	if (ioctl(d->fd, VHOST_VDPA_GET_CONFIG, cfg)) {
		free(cfg);
		return -9;
	}
	memcpy(d->mac, cfg->buf, ETH_ALEN);
	free(cfg);

	/* One region: rings and buffers.  A reset keeps vhost's map. */
	if (!d->phys) {
		if (bf & (1ULL << VHOST_BACKEND_F_IOTLB_BATCH) &&
		    vdrv_iotlb(d, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0))
			return -10;
		if (remap && vdrv_iotlb(d, VHOST_IOTLB_INVALIDATE,
					VDRV_IOVA_BASE, VDRV_MEM_SIZE, 0))
			return -11;
		if (vdrv_iotlb(d, VHOST_IOTLB_UPDATE, VDRV_IOVA_BASE,
			       VDRV_MEM_SIZE, (unsigned long)d->mem))
			return -12;
		if (bf & (1ULL << VHOST_BACKEND_F_IOTLB_BATCH) &&
		    vdrv_iotlb(d, VHOST_IOTLB_BATCH_END, 0, 0, 0))
			return -13;
	}
	ret = vdrv_rings(d);
	if (ret)
		return ret;
	status |= VIRTIO_CONFIG_S_DRIVER_OK;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -18;
	return 0;
}

/*
 * vhost-net's bring-up: VERSION_1 (the 12-byte header, which the tap
 * takes: TUNSETVNETHDRSZ), the region in the memory table at
 * VDRV_IOVA_BASE, the rings, the tap as both queues' backend.
 */
static int vdrv_net_start(struct vdrv *d)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} mem = {
		.m.nregions = 1,
		.r = {
			.guest_phys_addr = VDRV_IOVA_BASE,
			.memory_size = VDRV_MEM_SIZE,
			.userspace_addr = (unsigned long)d->mem,
		},
	};
	__u64 features;

	if (ioctl(d->fd, VHOST_GET_FEATURES, &features))
		return -5;
	if (!(features & (1ULL << VIRTIO_F_VERSION_1)))
		return -6;
	features = 1ULL << VIRTIO_F_VERSION_1;
	if (ioctl(d->fd, VHOST_SET_FEATURES, &features))
		return -7;
	if (ioctl(d->fd, VHOST_SET_MEM_TABLE, &mem))
		return -12;
	return vdrv_rings(d);
}

/**
 * vdrv_start - bring the device up (again): features, memory, rings
 * @d: an open device
 * @remap: vhost-vdpa: invalidate the region's IOTLB entry before mapping
 *	   it again (after a reset)
 *
 * The rings start empty, with both queues' indices at 0.
 *
 * Return: 0, or a negative step number (for a log).
 */
int vdrv_start(struct vdrv *d, bool remap)
{
	return d->kind == VDRV_NET ? vdrv_net_start(d) :
				     vdrv_vdpa_start(d, remap);
}

/* What both kinds need before their vhost file: eventfds and the region. */
static int vdrv_init(struct vdrv *d, enum vdrv_kind kind)
{
	int q;

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->fd = -1;
	d->tap = -1;
	for (q = 0; q < VDRV_NR_VQS; q++) {
		d->vq[q].kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		d->vq[q].call = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (d->vq[q].kick < 0 || d->vq[q].call < 0)
			return -100;
	}
	d->mem = mmap(NULL, VDRV_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (d->mem == MAP_FAILED) {
		d->mem = NULL;
		return -101;
	}
	for (q = 0; q < VDRV_NR_VQS; q++) {
		unsigned char *r = d->mem + vdrv_ring_off(q);

		d->vq[q].desc = (void *)r;
		d->vq[q].avail = (void *)(r + VDRV_QNUM * sizeof(struct vring_desc));
		d->vq[q].used = (void *)(r + VDRV_USED_OFF);
	}
	return 0;
}

/**
 * vdrv_open_vdpa - open a vDPA device's vhost file and bring it up
 * @d: filled
 * @name: the vDPA device (bound to vhost_vdpa), e.g. "vif0"
 *
 * Return: 0, or a negative step number; vdrv_close() @d either way.
 */
int vdrv_open_vdpa(struct vdrv *d, const char *name)
{
	__u32 id;
	int ret;

	ret = vdrv_init(d, VDRV_VDPA);
	if (ret)
		return ret;
	d->fd = vdrv_vdpa_dev(name);
	if (d->fd < 0)
		return -102;
	if (ioctl(d->fd, VHOST_SET_OWNER))
		return -103;
	if (ioctl(d->fd, VHOST_VDPA_GET_DEVICE_ID, &id) || id != VIRTIO_ID_NET)
		return -104;
	return vdrv_start(d, false);
}

/* A tap named @name with virtio-net headers of VDRV_HDR_LEN bytes. */
static int vdrv_tap(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd, len = VDRV_HDR_LEN;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETVNETHDRSZ, &len) ||
	    ioctl(fd, TUNSETOFFLOAD, 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * vdrv_open_net - a tap and /dev/vhost-net on it, brought up
 * @d: filled
 * @tap: the tap's name (made now, gone when @d closes)
 * @mac: the MAC the driver sends from (vhost-net has no configuration)
 *
 * The vhost worker is created here, with the calling thread's CPU
 * affinity.
 *
 * Return: 0, or a negative step number; vdrv_close() @d either way.
 */
int vdrv_open_net(struct vdrv *d, const char *tap, const unsigned char *mac)
{
	int ret;

	ret = vdrv_init(d, VDRV_NET);
	if (ret)
		return ret;
	memcpy(d->mac, mac, ETH_ALEN);
	d->tap = vdrv_tap(tap);
	if (d->tap < 0)
		return -105;
	d->fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return -102;
	if (ioctl(d->fd, VHOST_SET_OWNER))
		return -103;
	return vdrv_start(d, false);
}

/**
 * vdrv_reset - reset a vhost-vdpa device (status 0) and bring it up again
 * @d: the device
 *
 * Return: 0, or a negative step number.
 */
int vdrv_reset(struct vdrv *d)
{
	__u8 status = 0;

	if (d->kind != VDRV_VDPA)
		return -EOPNOTSUPP;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -200;
	return vdrv_start(d, true);
}

/**
 * vdrv_busyloop - how long the device busy-polls a ring before it sleeps
 * @d: an open device
 * @us: microseconds, on both data queues (0: it does not poll)
 *
 * VHOST_SET_VRING_BUSYLOOP_TIMEOUT, what QEMU's poll-us sets: vhost-net's
 * worker, out of descriptors to send or of frames to receive, polls the
 * rings and the tap that long (transmit notifications off) before it
 * enables them and sleeps.  Read back with VHOST_GET_VRING_BUSYLOOP_TIMEOUT.
 *
 * Return: 0, or a negative errno (-EIO when the value read back differs).
 */
int vdrv_busyloop(struct vdrv *d, unsigned int us)
{
	struct vhost_vring_state s;
	int q;

	/* The data queues: vhost-net has no control queue. */
	for (q = VDRV_RX; q <= VDRV_TX; q++) {
		if (vdrv_vring_ioctl(d, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, q, us))
			return -errno;
		s = (struct vhost_vring_state){ .index = q };
		if (ioctl(d->fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, &s))
			return -errno;
		if (s.num != us)
			return -EIO;
	}
	return 0;
}

/**
 * vdrv_close - close what an open left, whether or not it succeeded
 * @d: the device (zeroed, or with @fd -1, when never opened)
 */
void vdrv_close(struct vdrv *d)
{
	int q;

	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tap > 0)
		close(d->tap);
	d->tap = -1;
	for (q = 0; q < VDRV_NR_VQS; q++) {
		if (d->vq[q].kick > 0)
			close(d->vq[q].kick);
		if (d->vq[q].call > 0)
			close(d->vq[q].call);
		d->vq[q].kick = 0;
		d->vq[q].call = 0;
	}
	if (d->mem)
		munmap(d->mem, VDRV_MEM_SIZE);
	d->mem = NULL;
}

/**
 * vdrv_new_desc - the next descriptor, round robin
 * @d: the device
 * @q: the queue
 *
 * Return: its index.
 */
__u16 vdrv_new_desc(struct vdrv *d, int q)
{
	return d->vq[q].next_desc++ % VDRV_QNUM;
}

/**
 * vdrv_desc - fill a descriptor
 * @d: the device
 * @q: the queue
 * @i: the descriptor
 * @addr: device address (vdrv_addr())
 * @len: bytes
 * @flags: VRING_DESC_F_*
 * @next: the next descriptor of the chain, with %VRING_DESC_F_NEXT
 *
 * Return: @i.
 */
__u16 vdrv_desc(struct vdrv *d, int q, __u16 i, __u64 addr, __u32 len,
		__u16 flags, __u16 next)
{
	struct vring_desc *ds = &d->vq[q].desc[i];

	ds->addr = addr;
	ds->len = len;
	ds->flags = flags;
	ds->next = next;
	return i;
}

/**
 * vdrv_post - publish a chain in the available ring
 * @d: the device
 * @q: the queue
 * @head: the chain's first descriptor
 */
void vdrv_post(struct vdrv *d, int q, __u16 head)
{
	struct vdrv_vq *vq = &d->vq[q];

	vq->avail->ring[vq->avail_idx % VDRV_QNUM] = head;
	vq->avail_idx++;
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
}

/**
 * vdrv_kick - notify the device of a queue, unconditionally
 * @d: the device
 * @q: the queue
 */
void vdrv_kick(struct vdrv *d, int q)
{
	__u64 one = 1;

	if (write(d->vq[q].kick, &one, sizeof(one)) != sizeof(one))
		perror("kick");
}

/**
 * vdrv_notify - notify the device of a queue unless it asked for no
 *	notifications (%VRING_USED_F_NO_NOTIFY), as a virtio driver does
 * @d: the device
 * @q: the queue
 *
 * Return: true when it kicked.
 */
bool vdrv_notify(struct vdrv *d, int q)
{
	/* The published index before the device's flag (virtio_mb()). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&d->vq[q].used->flags, __ATOMIC_RELAXED) &
	    VRING_USED_F_NO_NOTIFY)
		return false;
	vdrv_kick(d, q);
	return true;
}

/**
 * vdrv_irq - whether the device signals a queue's used buffers
 * @d: the device (started: a start clears the rings)
 * @q: the queue
 * @on: false sets %VRING_AVAIL_F_NO_INTERRUPT
 */
void vdrv_irq(struct vdrv *d, int q, bool on)
{
	__atomic_store_n(&d->vq[q].avail->flags,
			 on ? 0 : VRING_AVAIL_F_NO_INTERRUPT, __ATOMIC_RELEASE);
}

/**
 * vdrv_used_idx - the device's used index of a queue
 * @d: the device
 * @q: the queue
 *
 * Return: the index.
 */
__u16 vdrv_used_idx(struct vdrv *d, int q)
{
	return __atomic_load_n(&d->vq[q].used->idx, __ATOMIC_ACQUIRE);
}

/**
 * vdrv_used_next - the next used element the driver has not seen
 * @d: the device
 * @q: the queue
 *
 * Return: it (and it counts as seen), or NULL when there is none.
 */
struct vring_used_elem *vdrv_used_next(struct vdrv *d, int q)
{
	struct vdrv_vq *vq = &d->vq[q];

	if (vq->used_seen == vdrv_used_idx(d, q))
		return NULL;
	return &vq->used->ring[vq->used_seen++ % VDRV_QNUM];
}

/**
 * vdrv_wait_used - wait until the device used all that was posted
 * @d: the device
 * @q: the queue
 * @ms: how long at most
 *
 * Return: 0, or -1 on timeout.
 */
int vdrv_wait_used(struct vdrv *d, int q, int ms)
{
	for (; ms > 0; ms--) {
		if (vdrv_used_idx(d, q) == d->vq[q].avail_idx)
			return 0;
		usleep(1000);
	}
	return -1;
}

/**
 * vdrv_wait_call - wait for the device to signal a queue's call eventfd
 * @d: the device
 * @q: the queue
 * @ms: how long at most (-1: for ever)
 *
 * Return: 1 when it was signalled (and is reset now), 0 on timeout, or a
 * negative errno.
 */
int vdrv_wait_call(struct vdrv *d, int q, int ms)
{
	struct pollfd pfd = { .fd = d->vq[q].call, .events = POLLIN };
	__u64 v;
	int ret;

	ret = poll(&pfd, 1, ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	if (read(pfd.fd, &v, sizeof(v)) != sizeof(v) && errno != EAGAIN)
		return -errno;
	return 1;
}
