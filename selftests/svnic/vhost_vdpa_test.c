// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vdpa_test.c - svnic VIFs driven through /dev/vhost-vdpa-K by a
 * user-space vhost driver, the way QEMU drives them: owner, features,
 * backend features (IOTLB v2 messages, batching), configuration space,
 * one region mapped through IOTLB messages, split rings, kick and call
 * eventfds, ring enable and device status.  Frames go to and come from
 * the uplink's peer (wire0, in netns "wire") through AF_PACKET; malformed
 * chains from the "guest" are handed back without reaching the wire, and a
 * broken queue recovers through a device reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "../../tools/lib/svnic_nl.h"
#include "kselftest_harness.h"

#define ETH_P_TEST	0x88b5
#define HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define QNUM		256
#define MEM_SIZE	(2UL << 20)
#define IOVA_BASE	0x40000000ULL
#define RING_SPAN	0x4000UL	/* desc + avail + used of one queue */
#define BUF_BASE	0x10000UL
#define BUF_SIZE	2048UL
#define MAGIC		0x5356ee01U
#define NR_FRAMES	64

static const unsigned char wire_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xfe };

/* One VIF, as the driver sees it. */
struct vdev {
	int fd;
	int kick[2];
	int call[2];
	unsigned char *mem;
	unsigned char mac[ETH_ALEN];
	char name[16];
	__u16 avail_idx[2];
	__u16 used_seen[2];
	__u16 next_desc[2];
	bool phys;
};

/* Physical address of @va (pinned by vhost_vdpa), 0 when unknown. */
static __u64 phys_of(void *va)
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

/* The device address of offset @off of the region. */
static __u64 daddr(struct vdev *d, unsigned long off)
{
	return d->phys ? phys_of(d->mem + off) : IOVA_BASE + off;
}

static unsigned long ring_off(int q)
{
	return (unsigned long)q * RING_SPAN;
}

static struct vring_desc *vdesc(struct vdev *d, int q)
{
	return (void *)(d->mem + ring_off(q));
}

static struct vring_avail *vavail(struct vdev *d, int q)
{
	return (void *)(d->mem + ring_off(q) + QNUM * sizeof(struct vring_desc));
}

static struct vring_used *vused(struct vdev *d, int q)
{
	return (void *)(d->mem + ring_off(q) + 0x2000);
}

/* Buffer @slot of queue @q: its offset in the region. */
static unsigned long buf_off(int q, unsigned int slot)
{
	return BUF_BASE + ((unsigned long)q * QNUM + slot % QNUM) * BUF_SIZE;
}

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return ret == -1 ? -1 : WEXITSTATUS(ret);
}

static void env_cleanup(void)
{
	sh("vdpa dev del vif0 2>/dev/null; vdpa dev del vif1 2>/dev/null;"
	   "rmmod svnic 2>/dev/null; ip link del veth0 2>/dev/null;"
	   "ip netns del wire 2>/dev/null; true");
}

static int env_setup(void)
{
	char cmd[1024];

	env_cleanup();
	snprintf(cmd, sizeof(cmd),
		 "set -e; modprobe -a vhost_vdpa virtio_vdpa 2>/dev/null || true;"
		 "ip link add veth0 type veth peer name wire0;"
		 "ip link set wire0 address 02:00:00:00:00:fe;"
		 "ip netns add wire; ip link set wire0 netns wire;"
		 "ip netns exec wire sysctl -qw net.ipv6.conf.wire0.disable_ipv6=1;"
		 "sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1;"
		 "ip -n wire link set wire0 up; ip link set veth0 up;"
		 "insmod %s/kernel/svnic/svnic.ko uplink=veth0;"
		 "for i in 1 2; do v=vif$((i - 1)); m=52:54:00:00:00:0$i;"
		 "vdpa dev add name $v mgmtdev svnic-np0 mac $m mtu 1500;"
		 "s=/sys/bus/vdpa/devices/$v; echo vhost_vdpa >$s/driver_override;"
		 "d=$(basename \"$(readlink $s/driver)\");"
		 "[ ! -e $s/driver ] || [ \"$d\" = vhost_vdpa ] || echo $v >$s/driver/unbind;"
		 "[ -e $s/driver ] || echo $v >/sys/bus/vdpa/drivers_probe;"
		 "done",
		 getenv("VCORE_SUITE") ?: ".");
	return sh(cmd);
}

/* /dev/vhost-vdpa-K of VIF @name, opened; -1 when there is none. */
static int vhost_open(const char *name)
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
				return open(path, O_RDWR);
		}
		usleep(100000);
	}
	return -1;
}

static int iotlb_msg(struct vdev *d, __u8 type, __u64 iova, __u64 size,
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

static int vring_ioctl(struct vdev *d, unsigned long req, unsigned int q,
		       unsigned int num)
{
	struct vhost_vring_state s = { .index = q, .num = num };

	return ioctl(d->fd, req, &s);
}

/*
 * The driver's side of the device's bring-up, after open or after a reset:
 * returns 0 or a negative step number (for the log).
 */
static int vdev_start(struct vdev *d, bool remap)
{
	__u64 features, bf;
	__u8 status = 0;
	struct vhost_vdpa_config *cfg;
	int q;

	if (ioctl(d->fd, VHOST_GET_BACKEND_FEATURES, &bf))
		return -1;
	bf &= (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2) |
	      (1ULL << VHOST_BACKEND_F_IOTLB_BATCH);
	if (!(bf & (1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2)) ||
	    ioctl(d->fd, VHOST_SET_BACKEND_FEATURES, &bf))
		return -2;
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
		    (1ULL << VIRTIO_NET_F_STATUS);
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
	if (d->phys)
		goto rings;
	if (bf & (1ULL << VHOST_BACKEND_F_IOTLB_BATCH) &&
	    iotlb_msg(d, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0))
		return -10;
	if (remap && iotlb_msg(d, VHOST_IOTLB_INVALIDATE, IOVA_BASE, MEM_SIZE, 0))
		return -11;
	if (iotlb_msg(d, VHOST_IOTLB_UPDATE, IOVA_BASE, MEM_SIZE,
		      (unsigned long)d->mem))
		return -12;
	if (bf & (1ULL << VHOST_BACKEND_F_IOTLB_BATCH) &&
	    iotlb_msg(d, VHOST_IOTLB_BATCH_END, 0, 0, 0))
		return -13;
rings:
	memset(d->mem, 0, MEM_SIZE);
	for (q = 0; q < 2; q++) {
		struct vhost_vring_addr a = {
			.index = q,
			.desc_user_addr = daddr(d, ring_off(q)),
			.avail_user_addr = daddr(d, ring_off(q) +
						 QNUM * sizeof(struct vring_desc)),
			.used_user_addr = daddr(d, ring_off(q) + 0x2000),
		};
		struct vhost_vring_file f = { .index = q };

		d->avail_idx[q] = 0;
		d->used_seen[q] = 0;
		d->next_desc[q] = 0;
		if (vring_ioctl(d, VHOST_SET_VRING_NUM, q, QNUM) ||
		    ioctl(d->fd, VHOST_SET_VRING_ADDR, &a) ||
		    vring_ioctl(d, VHOST_SET_VRING_BASE, q, 0))
			return -14;
		f.fd = d->kick[q];
		if (ioctl(d->fd, VHOST_SET_VRING_KICK, &f))
			return -15;
		f.fd = d->call[q];
		if (ioctl(d->fd, VHOST_SET_VRING_CALL, &f))
			return -16;
		if (vring_ioctl(d, VHOST_VDPA_SET_VRING_ENABLE, q, 1))
			return -17;
	}
	status |= VIRTIO_CONFIG_S_DRIVER_OK;
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -18;
	return 0;
}

/* Open VIF @name's vhost fd and bring it up; 0 or a negative step. */
static int vdev_open(struct vdev *d, const char *name)
{
	__u32 id;
	int q;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	for (q = 0; q < 2; q++) {
		d->kick[q] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		d->call[q] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (d->kick[q] < 0 || d->call[q] < 0)
			return -100;
	}
	d->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (d->mem == MAP_FAILED) {
		d->mem = NULL;
		return -101;
	}
	d->fd = vhost_open(name);
	if (d->fd < 0)
		return -102;
	if (ioctl(d->fd, VHOST_SET_OWNER))
		return -103;
	if (ioctl(d->fd, VHOST_VDPA_GET_DEVICE_ID, &id) || id != VIRTIO_ID_NET)
		return -104;
	return vdev_start(d, false);
}

static void vdev_close(struct vdev *d)
{
	int q;

	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	for (q = 0; q < 2; q++) {
		if (d->kick[q] > 0)
			close(d->kick[q]);
		if (d->call[q] > 0)
			close(d->call[q]);
		d->kick[q] = d->call[q] = 0;
	}
	if (d->mem)
		munmap(d->mem, MEM_SIZE);
	d->mem = NULL;
}

/* Device reset (status 0), then the whole bring-up again. */
static int vdev_reset(struct vdev *d)
{
	__u8 status = 0;

	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status))
		return -200;
	return vdev_start(d, true);
}

static void vdev_kick(struct vdev *d, int q)
{
	__u64 one = 1;

	if (write(d->kick[q], &one, sizeof(one)) != sizeof(one))
		perror("kick");
}

/* Publish chain head @head on queue @q. */
static void vdev_post(struct vdev *d, int q, __u16 head)
{
	struct vring_avail *av = vavail(d, q);

	av->ring[d->avail_idx[q] % QNUM] = head;
	d->avail_idx[q]++;
	__atomic_store_n(&av->idx, d->avail_idx[q], __ATOMIC_RELEASE);
}

/* Fill descriptor @i; returns @i. */
static __u16 vdev_desc(struct vdev *d, int q, __u16 i, __u64 addr, __u32 len,
		       __u16 flags, __u16 next)
{
	struct vring_desc *ds = &vdesc(d, q)[i];

	ds->addr = addr;
	ds->len = len;
	ds->flags = flags;
	ds->next = next;
	return i;
}

static __u16 vdev_new_desc(struct vdev *d, int q)
{
	return d->next_desc[q]++ % QNUM;
}

/* Wait until queue @q's used index reaches the avail index; 0 or -1. */
static int vdev_wait_used(struct vdev *d, int q, int ms)
{
	struct vring_used *u = vused(d, q);

	for (; ms > 0; ms--) {
		if (__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) == d->avail_idx[q])
			return 0;
		usleep(1000);
	}
	return -1;
}

static __u16 used_idx(struct vdev *d, int q)
{
	return __atomic_load_n(&vused(d, q)->idx, __ATOMIC_ACQUIRE);
}

/* Build a test frame of @len bytes from @d (tag, seq) into @p. */
static void frame_fill(unsigned char *p, const unsigned char *dst,
		       const unsigned char *src, __u32 tag, __u32 seq,
		       size_t len)
{
	__u32 w[3] = { htonl(MAGIC), htonl(tag), htonl(seq) };
	size_t i;

	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, src, ETH_ALEN);
	p[12] = ETH_P_TEST >> 8;
	p[13] = ETH_P_TEST & 0xff;
	memcpy(p + 14, w, sizeof(w));
	for (i = 14 + sizeof(w); i < len; i++)
		p[i] = (unsigned char)(seq * 7 + i);
}

static size_t frame_len(__u32 seq)
{
	return 60 + (seq * 97) % (1514 - 60 + 1);
}

/*
 * Post one well-formed transmit chain on queue 1: the header in one
 * descriptor, the frame in a second (the way virtio-net does it when it
 * is not inlined), or both in one.
 */
static __u16 vdev_tx(struct vdev *d, const unsigned char *dst, __u32 tag,
		     __u32 seq, size_t len, bool split)
{
	__u16 h = vdev_new_desc(d, 1), n;
	unsigned long off = buf_off(1, h);
	unsigned char *b = d->mem + off;

	memset(b, 0, HDR_LEN);
	frame_fill(b + HDR_LEN, dst, d->mac, tag, seq, len);
	if (split) {
		n = vdev_new_desc(d, 1);
		vdev_desc(d, 1, n, daddr(d, off + HDR_LEN), len, 0, 0);
		vdev_desc(d, 1, h, daddr(d, off), HDR_LEN, VRING_DESC_F_NEXT, n);
	} else {
		vdev_desc(d, 1, h, daddr(d, off), HDR_LEN + len, 0, 0);
	}
	vdev_post(d, 1, h);
	return h;
}

/* An AF_PACKET socket on wire0 in netns "wire", for the test ethertype. */
static int wire_socket(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_TEST),
	};
	int self_ns, wire_ns, fd = -1;

	self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	wire_ns = open("/run/netns/wire", O_RDONLY | O_CLOEXEC);
	if (self_ns < 0 || wire_ns < 0)
		goto out;
	if (setns(wire_ns, CLONE_NEWNET))
		goto out;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TEST));
	sll.sll_ifindex = if_nametoindex("wire0");
	if (fd >= 0 && (!sll.sll_ifindex ||
			bind(fd, (struct sockaddr *)&sll, sizeof(sll)))) {
		close(fd);
		fd = -1;
	}
	if (setns(self_ns, CLONE_NEWNET)) {
		perror("setns back");
		exit(1);
	}
out:
	if (self_ns >= 0)
		close(self_ns);
	if (wire_ns >= 0)
		close(wire_ns);
	return fd;
}

/* Send @len bytes as a frame from wire0. */
static int wire_send(int fd, const unsigned char *p, size_t len)
{
	return send(fd, p, len, 0) == (ssize_t)len ? 0 : -1;
}

/*
 * Receive the next test frame coming into wire0 (not one it sent) within
 * @ms; its length, 0 on timeout.
 */
static ssize_t wire_recv(int fd, unsigned char *p, size_t room, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_ll sll;
	socklen_t sl;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, ms) <= 0)
			return 0;
		sl = sizeof(sll);
		n = recvfrom(fd, p, room, MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &sl);
		if (n < 0)
			continue;
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		return n;
	}
}

/* Drain whatever wire0 has; returns frames carrying @tag. */
static int wire_count_tag(int fd, __u32 tag, int ms)
{
	unsigned char p[2048];
	__u32 w[3];
	ssize_t n;
	int c = 0;

	while ((n = wire_recv(fd, p, sizeof(p), ms)) > 0) {
		if (n < 26)
			continue;
		memcpy(w, p + 14, sizeof(w));
		if (ntohl(w[0]) == MAGIC && ntohl(w[1]) == tag)
			c++;
	}
	return c;
}

static __u64 vif_stat(const char *name, int stat)
{
	struct svnic_vif_info info;
	struct svnic_nl nl;
	__u64 v = ~0ULL;

	if (svnic_nl_open(&nl))
		return v;
	if (!svnic_nl_vif_get(&nl, name, &info))
		v = info.stats[stat];
	svnic_nl_close(&nl);
	return v;
}

FIXTURE(vhost) {
	struct vdev vif[2];
	int wire;
};

FIXTURE_SETUP(vhost)
{
	int ret, i;

	self->wire = -1;
	self->vif[0].fd = self->vif[1].fd = -1;
	if (access("/dev/vhost-vdpa-0", F_OK) && sh("modprobe vhost_vdpa"))
		TH_LOG("modprobe vhost_vdpa failed");
	ret = env_setup();
	if (ret) {
		env_cleanup();
		sh("insmod $VCORE_SUITE/kernel/svnic/svnic.ko 2>/dev/null");
		ASSERT_EQ(0, ret) TH_LOG("veth/netns/svnic/vdpa setup failed");
	}
	self->wire = wire_socket();
	for (i = 0; i < 2 && self->wire >= 0; i++) {
		char name[8];

		snprintf(name, sizeof(name), "vif%d", i);
		ret = vdev_open(&self->vif[i], name);
		if (ret)
			break;
	}
	if (self->wire < 0 || ret) {
		vdev_close(&self->vif[0]);
		vdev_close(&self->vif[1]);
		env_cleanup();
		sh("insmod $VCORE_SUITE/kernel/svnic/svnic.ko 2>/dev/null");
		ASSERT_LE(0, self->wire) TH_LOG("wire socket: %s", strerror(errno));
		ASSERT_EQ(0, ret) TH_LOG("vhost bring-up of vif%d failed at step %d (%s)",
					 i, ret, strerror(errno));
	}
}

FIXTURE_TEARDOWN(vhost)
{
	vdev_close(&self->vif[0]);
	vdev_close(&self->vif[1]);
	if (self->wire >= 0)
		close(self->wire);
	env_cleanup();
	sh("insmod $VCORE_SUITE/kernel/svnic/svnic.ko 2>/dev/null");
}

/* The driver read the MAC the VIF was created with. */
TEST_F(vhost, config_mac)
{
	static const unsigned char mac0[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };

	EXPECT_EQ(0, memcmp(mac0, self->vif[0].mac, ETH_ALEN));
}

/* N frames through the transmit ring reach wire0 intact; all chains used. */
TEST_F(vhost, tx_to_wire)
{
	struct vdev *d = &self->vif[0];
	unsigned char want[2048], got[2048];
	bool seen[NR_FRAMES] = { false }, heads[QNUM] = { false };
	struct vring_used *u = vused(d, 1);
	__u32 seq, w[3];
	int i, n = 0;
	ssize_t len;

	for (seq = 0; seq < NR_FRAMES; seq++)
		heads[vdev_tx(d, wire_mac, 1, seq, frame_len(seq), seq & 1)] = true;
	vdev_kick(d, 1);
	while (n < NR_FRAMES && (len = wire_recv(self->wire, got, sizeof(got), 2000)) > 0) {
		memcpy(w, got + 14, sizeof(w));
		if (ntohl(w[0]) != MAGIC || ntohl(w[1]) != 1)
			continue;
		seq = ntohl(w[2]);
		ASSERT_LT(seq, NR_FRAMES);
		EXPECT_FALSE(seen[seq]) TH_LOG("frame %u twice", seq);
		seen[seq] = true;
		frame_fill(want, wire_mac, d->mac, 1, seq, frame_len(seq));
		EXPECT_EQ(frame_len(seq), len);
		EXPECT_EQ(0, memcmp(want, got, frame_len(seq)))
			TH_LOG("frame %u corrupted", seq);
		n++;
	}
	EXPECT_EQ(NR_FRAMES, n);
	ASSERT_EQ(0, vdev_wait_used(d, 1, 2000))
		TH_LOG("used idx %u, avail idx %u", used_idx(d, 1), d->avail_idx[1]);
	for (i = 0; i < NR_FRAMES; i++) {
		__u32 id = u->ring[i].id;

		ASSERT_LT(id, QNUM);
		EXPECT_TRUE(heads[id]) TH_LOG("used id %u not a posted head", id);
		heads[id] = false;
	}
	EXPECT_EQ(NR_FRAMES, vif_stat("vif0", SVNIC_STAT_TX_PACKETS));
}

/* Frames from wire0 to the VIF's MAC land in posted receive buffers. */
TEST_F(vhost, rx_from_wire)
{
	struct vdev *d = &self->vif[0];
	struct vring_used *u = vused(d, 0);
	struct pollfd pfd = { .fd = d->call[0], .events = POLLIN };
	unsigned char want[2048];
	bool seen[NR_FRAMES] = { false };
	int i, got = 0;
	__u64 v;

	for (i = 0; i < QNUM / 2; i++) {
		__u16 h = vdev_new_desc(d, 0);

		vdev_desc(d, 0, h, IOVA_BASE + buf_off(0, h), BUF_SIZE,
			  VRING_DESC_F_WRITE, 0);
		vdev_post(d, 0, h);
	}
	vdev_kick(d, 0);
	for (i = 0; i < NR_FRAMES; i++) {
		frame_fill(want, d->mac, wire_mac, 2, i, frame_len(i));
		ASSERT_EQ(0, wire_send(self->wire, want, frame_len(i)));
	}
	ASSERT_EQ(1, poll(&pfd, 1, 2000)) TH_LOG("call eventfd did not fire");
	EXPECT_EQ(sizeof(v), read(d->call[0], &v, sizeof(v)));
	for (i = 0; i < 2000 && got < NR_FRAMES; i++) {
		__u16 idx = used_idx(d, 0);

		while (d->used_seen[0] != idx) {
			struct vring_used_elem *e = &u->ring[d->used_seen[0]++ % QNUM];
			unsigned char *b = d->mem + buf_off(0, e->id);
			struct virtio_net_hdr_mrg_rxbuf hdr;
			__u32 w[3], seq;

			ASSERT_LT(e->id, QNUM);
			ASSERT_LE(HDR_LEN + 26, e->len);
			memcpy(&hdr, b, sizeof(hdr));
			memcpy(w, b + HDR_LEN + 14, sizeof(w));
			if (ntohl(w[0]) != MAGIC || ntohl(w[1]) != 2)
				continue;	/* something else on the wire */
			seq = ntohl(w[2]);
			ASSERT_LT(seq, NR_FRAMES);
			EXPECT_FALSE(seen[seq]);
			seen[seq] = true;
			EXPECT_EQ(1, hdr.num_buffers);
			EXPECT_EQ(0, hdr.hdr.flags);
			EXPECT_EQ(0, hdr.hdr.gso_type);
			EXPECT_EQ(HDR_LEN + frame_len(seq), e->len);
			frame_fill(want, d->mac, wire_mac, 2, seq, frame_len(seq));
			EXPECT_EQ(0, memcmp(want, b + HDR_LEN, frame_len(seq)))
				TH_LOG("frame %u corrupted", seq);
			got++;
		}
		if (got < NR_FRAMES)
			usleep(1000);
	}
	EXPECT_EQ(NR_FRAMES, got);
}

enum bad_kind {
	BAD_ADDR,
	BAD_ZERO_LEN,
	BAD_LOOP,
	BAD_NEXT,
	BAD_READ_AFTER_WRITE,
	BAD_TOO_BIG,
};

/*
 * Post one malformed transmit chain carrying a frame tagged @tag; returns
 * the SVNIC_STAT_* counter it should raise.
 */
static int vdev_tx_bad(struct vdev *d, enum bad_kind kind, __u32 tag)
{
	__u16 h = vdev_new_desc(d, 1), n = vdev_new_desc(d, 1);
	unsigned long off = buf_off(1, h);
	__u64 iova = IOVA_BASE + off;
	unsigned char *b = d->mem + off;
	size_t len = kind == BAD_TOO_BIG ? 2000 : 100;
	int stat = SVNIC_STAT_DROP_MALFORMED;

	memset(b, 0, HDR_LEN);
	frame_fill(b + HDR_LEN, wire_mac, d->mac, tag, 0, len);
	switch (kind) {
	case BAD_ADDR:	/* the frame lies past the end of the map */
		vdev_desc(d, 1, n, IOVA_BASE + MEM_SIZE + 0x1000, len, 0, 0);
		vdev_desc(d, 1, h, iova, HDR_LEN, VRING_DESC_F_NEXT, n);
		break;
	case BAD_ZERO_LEN:
		vdev_desc(d, 1, n, iova + HDR_LEN, 0, 0, 0);
		vdev_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, n);
		break;
	case BAD_LOOP:
		vdev_desc(d, 1, n, iova + HDR_LEN, 8, VRING_DESC_F_NEXT, h);
		vdev_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, n);
		break;
	case BAD_NEXT:
		vdev_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, QNUM);
		break;
	case BAD_READ_AFTER_WRITE:
		vdev_desc(d, 1, n, iova + HDR_LEN, len, 0, 0);
		vdev_desc(d, 1, h, iova, HDR_LEN, VRING_DESC_F_NEXT |
			  VRING_DESC_F_WRITE, n);
		break;
	case BAD_TOO_BIG:
		vdev_desc(d, 1, h, iova, HDR_LEN + len, 0, 0);
		stat = SVNIC_STAT_DROP_TOO_BIG;
		break;
	}
	vdev_post(d, 1, h);
	vdev_kick(d, 1);
	return stat;
}

/* A good frame from @d reaches the wire. */
static bool good_frame_passes(struct vdev *d, int wire, __u32 tag)
{
	vdev_tx(d, wire_mac, tag, 0, 200, false);
	vdev_kick(d, 1);
	return wire_count_tag(wire, tag, 500) == 1;
}

static void bad_chain(struct __test_metadata *_metadata, struct vdev *vif,
		      int wire, enum bad_kind kind)
{
	struct vdev *d = &vif[0];
	__u64 before = vif_stat("vif0", kind == BAD_TOO_BIG ?
				SVNIC_STAT_DROP_TOO_BIG :
				SVNIC_STAT_DROP_MALFORMED);
	__u16 head = d->next_desc[1] % QNUM;
	int stat;

	stat = vdev_tx_bad(d, kind, 100 + kind);
	ASSERT_EQ(0, vdev_wait_used(d, 1, 2000))
		TH_LOG("malformed chain not handed back (used %u avail %u)",
		       used_idx(d, 1), d->avail_idx[1]);
	EXPECT_EQ(head, vused(d, 1)->ring[(d->avail_idx[1] - 1) % QNUM].id);
	EXPECT_EQ(0, vused(d, 1)->ring[(d->avail_idx[1] - 1) % QNUM].len);
	EXPECT_EQ(0, wire_count_tag(wire, 100 + kind, 300))
		TH_LOG("the malformed chain's frame reached the wire");
	if (before != ~0ULL)
		EXPECT_EQ(before + 1, vif_stat("vif0", stat));
	/* The queue keeps working, and so does the other VIF. */
	EXPECT_TRUE(good_frame_passes(d, wire, 200 + kind));
	EXPECT_EQ(0, vdev_wait_used(d, 1, 2000));
	EXPECT_TRUE(good_frame_passes(&vif[1], wire, 300 + kind));
}

TEST_F(vhost, bad_addr)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_ADDR);
}

TEST_F(vhost, bad_zero_len)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_ZERO_LEN);
}

TEST_F(vhost, bad_loop)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_LOOP);
}

TEST_F(vhost, bad_next)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_NEXT);
}

TEST_F(vhost, bad_read_after_write)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_READ_AFTER_WRITE);
}

TEST_F(vhost, bad_too_big)
{
	bad_chain(_metadata, self->vif, self->wire, BAD_TOO_BIG);
}

/*
 * An avail index more than the queue size ahead breaks the queue: nothing
 * more goes through, the other VIF is unaffected, and a reset heals it.
 */
TEST_F(vhost, avail_runaway_then_reset)
{
	struct vdev *d = &self->vif[0];
	struct vring_avail *av = vavail(d, 1);
	__u16 used;

	ASSERT_TRUE(good_frame_passes(d, self->wire, 400));
	ASSERT_EQ(0, vdev_wait_used(d, 1, 2000));
	used = used_idx(d, 1);
	__atomic_store_n(&av->idx, (__u16)(d->avail_idx[1] + QNUM + 1),
			 __ATOMIC_RELEASE);
	vdev_kick(d, 1);
	usleep(200000);
	/* Back to a sane index, with a good frame: the queue stays broken. */
	__atomic_store_n(&av->idx, d->avail_idx[1], __ATOMIC_RELEASE);
	EXPECT_FALSE(good_frame_passes(d, self->wire, 401));
	EXPECT_EQ(used, used_idx(d, 1));
	EXPECT_TRUE(good_frame_passes(&self->vif[1], self->wire, 402));

	ASSERT_EQ(0, vdev_reset(d)) TH_LOG("reset: %s", strerror(errno));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 403));
	EXPECT_EQ(0, vdev_wait_used(d, 1, 2000));
	EXPECT_TRUE(good_frame_passes(&self->vif[1], self->wire, 404));
}

/* A reset with no fault before it: the device comes back the same. */
TEST_F(vhost, reset_roundtrip)
{
	struct vdev *d = &self->vif[0];
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, vdev_reset(d)) TH_LOG("reset %d: %s", i, strerror(errno));
		EXPECT_TRUE(good_frame_passes(d, self->wire, 500 + i));
	}
}

/*
 * After a reset the device may reach only what the user's IOTLB maps (the
 * map vhost_vdpa keeps): rings and a buffer given by their physical
 * addresses, which the user never mapped, must not move a frame (svnic
 * keeps a vhost user's map across resets and never gives a user device the
 * identity map a kernel driver gets).
 */
TEST_F(vhost, reset_keeps_user_map)
{
	struct vdev *d = &self->vif[0];
	__u8 status = 0;
	int ret;

	if (!phys_of(d->mem) || !phys_of(d->mem + MEM_SIZE - 1))
		SKIP(return, "no physical addresses in /proc/self/pagemap");
	ASSERT_EQ(0, ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status));
	d->phys = true;
	ret = vdev_start(d, false);
	ASSERT_EQ(0, ret) TH_LOG("bring-up step %d", ret);
	EXPECT_FALSE(good_frame_passes(d, self->wire, 600))
		TH_LOG("the device read memory outside the user's IOTLB map");
	d->phys = false;
	status = 0;
	ASSERT_EQ(0, ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status));
	ASSERT_EQ(0, vdev_reset(d));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 601));
}

TEST_HARNESS_MAIN
