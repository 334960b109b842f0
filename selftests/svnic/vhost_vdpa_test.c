// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vdpa_test.c - svnic VIFs driven through /dev/vhost-vdpa-K by a
 * user-space vhost driver, the way QEMU drives them: owner, features,
 * backend features (IOTLB v2 messages, batching), configuration space,
 * one region mapped through IOTLB messages, split rings, kick and call
 * eventfds, ring enable and device status (tools/lib/vhost_drv.c).  Frames
 * go to and come from the uplink's peer (wire0, in netns "wire") through
 * AF_PACKET; a frame waits for the receive buffers it takes (MRG_RXBUF);
 * malformed chains from the "guest" are handed back without reaching the
 * wire, and a broken queue recovers through a device reset.
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
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "../../tools/lib/svnic_nl.h"
#include "../../tools/lib/vhost_drv.h"
#include "kselftest_harness.h"

#define ETH_P_TEST	0x88b5
#define HDR_LEN		VDRV_HDR_LEN
#define QNUM		VDRV_QNUM
#define MEM_SIZE	VDRV_MEM_SIZE
#define IOVA_BASE	VDRV_IOVA_BASE
#define BUF_SIZE	VDRV_BUF_SIZE
#define MAGIC		0x5356ee01U
#define NR_FRAMES	64

static const unsigned char wire_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xfe };

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
static __u16 vdev_tx(struct vdrv *d, const unsigned char *dst, __u32 tag,
		     __u32 seq, size_t len, bool split)
{
	__u16 h = vdrv_new_desc(d, 1), n;
	unsigned long off = vdrv_buf_off(1, h);
	unsigned char *b = d->mem + off;

	memset(b, 0, HDR_LEN);
	frame_fill(b + HDR_LEN, dst, d->mac, tag, seq, len);
	if (split) {
		n = vdrv_new_desc(d, 1);
		vdrv_desc(d, 1, n, vdrv_addr(d, off + HDR_LEN), len, 0, 0);
		vdrv_desc(d, 1, h, vdrv_addr(d, off), HDR_LEN, VRING_DESC_F_NEXT, n);
	} else {
		vdrv_desc(d, 1, h, vdrv_addr(d, off), HDR_LEN + len, 0, 0);
	}
	vdrv_post(d, 1, h);
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
	struct vdrv vif[2];
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
		ret = vdrv_open_vdpa(&self->vif[i], name);
		if (ret)
			break;
	}
	if (self->wire < 0 || ret) {
		vdrv_close(&self->vif[0]);
		vdrv_close(&self->vif[1]);
		env_cleanup();
		sh("insmod $VCORE_SUITE/kernel/svnic/svnic.ko 2>/dev/null");
		ASSERT_LE(0, self->wire) TH_LOG("wire socket: %s", strerror(errno));
		ASSERT_EQ(0, ret) TH_LOG("vhost bring-up of vif%d failed at step %d (%s)",
					 i, ret, strerror(errno));
	}
}

FIXTURE_TEARDOWN(vhost)
{
	vdrv_close(&self->vif[0]);
	vdrv_close(&self->vif[1]);
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
	struct vdrv *d = &self->vif[0];
	unsigned char want[2048], got[2048];
	bool seen[NR_FRAMES] = { false }, heads[QNUM] = { false };
	struct vring_used *u = d->vq[1].used;
	__u32 seq, w[3];
	int i, n = 0;
	ssize_t len;

	for (seq = 0; seq < NR_FRAMES; seq++)
		heads[vdev_tx(d, wire_mac, 1, seq, frame_len(seq), seq & 1)] = true;
	vdrv_kick(d, 1);
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
	ASSERT_EQ(0, vdrv_wait_used(d, 1, 2000))
		TH_LOG("used idx %u, avail idx %u", vdrv_used_idx(d, 1), d->vq[1].avail_idx);
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
	struct vdrv *d = &self->vif[0];
	struct vring_used *u = d->vq[0].used;
	struct pollfd pfd = { .fd = d->vq[0].call, .events = POLLIN };
	unsigned char want[2048];
	bool seen[NR_FRAMES] = { false };
	int i, got = 0;
	__u64 v;

	for (i = 0; i < QNUM / 2; i++) {
		__u16 h = vdrv_new_desc(d, 0);

		vdrv_desc(d, 0, h, IOVA_BASE + vdrv_buf_off(0, h), BUF_SIZE,
			  VRING_DESC_F_WRITE, 0);
		vdrv_post(d, 0, h);
	}
	vdrv_kick(d, 0);
	for (i = 0; i < NR_FRAMES; i++) {
		frame_fill(want, d->mac, wire_mac, 2, i, frame_len(i));
		ASSERT_EQ(0, wire_send(self->wire, want, frame_len(i)));
	}
	ASSERT_EQ(1, poll(&pfd, 1, 2000)) TH_LOG("call eventfd did not fire");
	EXPECT_EQ(sizeof(v), read(d->vq[0].call, &v, sizeof(v)));
	for (i = 0; i < 2000 && got < NR_FRAMES; i++) {
		__u16 idx = vdrv_used_idx(d, 0);

		while (d->vq[0].used_seen != idx) {
			struct vring_used_elem *e = &u->ring[d->vq[0].used_seen++ % QNUM];
			unsigned char *b = d->mem + vdrv_buf_off(0, e->id);
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

/* Post @n receive buffers of @len bytes on queue 0 and kick. */
static void post_rx(struct vdrv *d, int n, __u32 len)
{
	while (n--) {
		__u16 h = vdrv_new_desc(d, 0);

		vdrv_desc(d, 0, h, IOVA_BASE + vdrv_buf_off(0, h), len,
			  VRING_DESC_F_WRITE, 0);
		vdrv_post(d, 0, h);
	}
	vdrv_kick(d, 0);
}

/*
 * Restart @d with MRG_RXBUF, post @n receive buffers of @len bytes, and
 * send it the 1000-byte frame @want, tagged @tag, from the wire.  Return: the
 * VIF's no-buffer drops before the frame, ~0 when something failed.
 */
static __u64 mrg_rx_start(struct vdrv *d, int wire, int n, __u32 len,
			  unsigned char *want, __u32 tag)
{
	__u64 drops;

	d->extra_features = 1ULL << VIRTIO_NET_F_MRG_RXBUF;
	if (vdrv_reset(d))
		return ~0ULL;
	drops = vif_stat("vif0", SVNIC_STAT_DROP_NO_BUFFER);
	post_rx(d, n, len);
	frame_fill(want, d->mac, wire_mac, tag, 0, 1000);
	return wire_send(wire, want, 1000) ? ~0ULL : drops;
}

/* Wait up to 2 s for the device to have used @n receive buffers. */
static __u16 wait_rx_used(struct vdrv *d, __u16 n)
{
	int i;

	for (i = 0; i < 2000 && vdrv_used_idx(d, 0) < n; i++)
		usleep(1000);
	return vdrv_used_idx(d, 0);
}

/*
 * With MRG_RXBUF, a frame that takes more receive buffers than the driver
 * posted waits for the rest, untouched and not dropped, and then spreads
 * over them (num_buffers).
 */
TEST_F(vhost, rx_frame_waits_for_buffers)
{
	struct vdrv *d = &self->vif[0];
	unsigned char want[1024], got[HDR_LEN + 1024];
	struct virtio_net_hdr_mrg_rxbuf hdr;
	struct vring_used_elem *e;
	size_t len = 0;
	__u64 drops;
	int i;

	/* 12 + 1000 bytes: four buffers of 256. */
	drops = mrg_rx_start(d, self->wire, 1, 256, want, 3);
	ASSERT_NE(~0ULL, drops);
	usleep(300000);
	EXPECT_EQ(0, vdrv_used_idx(d, 0)) TH_LOG("a buffer was used");
	EXPECT_EQ(drops, vif_stat("vif0", SVNIC_STAT_DROP_NO_BUFFER));
	post_rx(d, 3, 256);
	ASSERT_EQ(4, wait_rx_used(d, 4));
	for (i = 0; i < 4; i++) {
		e = vdrv_used_next(d, 0);
		ASSERT_NE(NULL, e);
		EXPECT_EQ(i, e->id) TH_LOG("buffers used out of order");
		ASSERT_LE(len + e->len, sizeof(got));
		memcpy(got + len, d->mem + vdrv_buf_off(0, e->id), e->len);
		len += e->len;
	}
	memcpy(&hdr, got, sizeof(hdr));
	EXPECT_EQ(4, hdr.num_buffers);
	ASSERT_EQ(HDR_LEN + 1000, len);
	EXPECT_EQ(0, memcmp(want, got + HDR_LEN, 1000)) TH_LOG("frame corrupted");
	EXPECT_EQ(drops, vif_stat("vif0", SVNIC_STAT_DROP_NO_BUFFER));
}

/*
 * A frame that would take more buffers than a frame may (128) is dropped
 * and counted, not held: the buffers it took come back empty.
 */
TEST_F(vhost, rx_frame_past_buffer_bound_dropped)
{
	struct vdrv *d = &self->vif[0];
	unsigned char want[1024];
	struct vring_used_elem *e;
	__u64 drops;

	drops = mrg_rx_start(d, self->wire, 200, 4, want, 4);
	ASSERT_NE(~0ULL, drops);
	ASSERT_EQ(128, wait_rx_used(d, 128));
	while ((e = vdrv_used_next(d, 0)))
		EXPECT_EQ(0, e->len);
	EXPECT_EQ(drops + 1, vif_stat("vif0", SVNIC_STAT_DROP_NO_BUFFER));
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
static int vdev_tx_bad(struct vdrv *d, enum bad_kind kind, __u32 tag)
{
	__u16 h = vdrv_new_desc(d, 1), n = vdrv_new_desc(d, 1);
	unsigned long off = vdrv_buf_off(1, h);
	__u64 iova = IOVA_BASE + off;
	unsigned char *b = d->mem + off;
	size_t len = kind == BAD_TOO_BIG ? 2000 : 100;
	int stat = SVNIC_STAT_DROP_MALFORMED;

	memset(b, 0, HDR_LEN);
	frame_fill(b + HDR_LEN, wire_mac, d->mac, tag, 0, len);
	switch (kind) {
	case BAD_ADDR:	/* the frame lies past the end of the map */
		vdrv_desc(d, 1, n, IOVA_BASE + MEM_SIZE + 0x1000, len, 0, 0);
		vdrv_desc(d, 1, h, iova, HDR_LEN, VRING_DESC_F_NEXT, n);
		break;
	case BAD_ZERO_LEN:
		vdrv_desc(d, 1, n, iova + HDR_LEN, 0, 0, 0);
		vdrv_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, n);
		break;
	case BAD_LOOP:
		vdrv_desc(d, 1, n, iova + HDR_LEN, 8, VRING_DESC_F_NEXT, h);
		vdrv_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, n);
		break;
	case BAD_NEXT:
		vdrv_desc(d, 1, h, iova, HDR_LEN + len, VRING_DESC_F_NEXT, QNUM);
		break;
	case BAD_READ_AFTER_WRITE:
		vdrv_desc(d, 1, n, iova + HDR_LEN, len, 0, 0);
		vdrv_desc(d, 1, h, iova, HDR_LEN, VRING_DESC_F_NEXT |
			  VRING_DESC_F_WRITE, n);
		break;
	case BAD_TOO_BIG:
		vdrv_desc(d, 1, h, iova, HDR_LEN + len, 0, 0);
		stat = SVNIC_STAT_DROP_TOO_BIG;
		break;
	}
	vdrv_post(d, 1, h);
	vdrv_kick(d, 1);
	return stat;
}

/* A good frame from @d reaches the wire. */
static bool good_frame_passes(struct vdrv *d, int wire, __u32 tag)
{
	vdev_tx(d, wire_mac, tag, 0, 200, false);
	vdrv_kick(d, 1);
	return wire_count_tag(wire, tag, 500) == 1;
}

static void bad_chain(struct __test_metadata *_metadata, struct vdrv *vif,
		      int wire, enum bad_kind kind)
{
	struct vdrv *d = &vif[0];
	__u64 before = vif_stat("vif0", kind == BAD_TOO_BIG ?
				SVNIC_STAT_DROP_TOO_BIG :
				SVNIC_STAT_DROP_MALFORMED);
	__u16 head = d->vq[1].next_desc % QNUM;
	int stat;

	stat = vdev_tx_bad(d, kind, 100 + kind);
	ASSERT_EQ(0, vdrv_wait_used(d, 1, 2000))
		TH_LOG("malformed chain not handed back (used %u avail %u)",
		       vdrv_used_idx(d, 1), d->vq[1].avail_idx);
	EXPECT_EQ(head, d->vq[1].used->ring[(d->vq[1].avail_idx - 1) % QNUM].id);
	EXPECT_EQ(0, d->vq[1].used->ring[(d->vq[1].avail_idx - 1) % QNUM].len);
	EXPECT_EQ(0, wire_count_tag(wire, 100 + kind, 300))
		TH_LOG("the malformed chain's frame reached the wire");
	if (before != ~0ULL)
		EXPECT_EQ(before + 1, vif_stat("vif0", stat));
	/* The queue keeps working, and so does the other VIF. */
	EXPECT_TRUE(good_frame_passes(d, wire, 200 + kind));
	EXPECT_EQ(0, vdrv_wait_used(d, 1, 2000));
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
	struct vdrv *d = &self->vif[0];
	struct vring_avail *av = d->vq[1].avail;
	__u16 used;

	ASSERT_TRUE(good_frame_passes(d, self->wire, 400));
	ASSERT_EQ(0, vdrv_wait_used(d, 1, 2000));
	used = vdrv_used_idx(d, 1);
	__atomic_store_n(&av->idx, (__u16)(d->vq[1].avail_idx + QNUM + 1),
			 __ATOMIC_RELEASE);
	vdrv_kick(d, 1);
	usleep(200000);
	/* Back to a sane index, with a good frame: the queue stays broken. */
	__atomic_store_n(&av->idx, d->vq[1].avail_idx, __ATOMIC_RELEASE);
	EXPECT_FALSE(good_frame_passes(d, self->wire, 401));
	EXPECT_EQ(used, vdrv_used_idx(d, 1));
	EXPECT_TRUE(good_frame_passes(&self->vif[1], self->wire, 402));

	ASSERT_EQ(0, vdrv_reset(d)) TH_LOG("reset: %s", strerror(errno));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 403));
	EXPECT_EQ(0, vdrv_wait_used(d, 1, 2000));
	EXPECT_TRUE(good_frame_passes(&self->vif[1], self->wire, 404));
}

/* A reset with no fault before it: the device comes back the same. */
TEST_F(vhost, reset_roundtrip)
{
	struct vdrv *d = &self->vif[0];
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, vdrv_reset(d)) TH_LOG("reset %d: %s", i, strerror(errno));
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
	struct vdrv *d = &self->vif[0];
	__u8 status = 0;
	int ret;

	if (!vdrv_phys_of(d->mem) || !vdrv_phys_of(d->mem + MEM_SIZE - 1))
		SKIP(return, "no physical addresses in /proc/self/pagemap");
	ASSERT_EQ(0, ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status));
	d->phys = true;
	ret = vdrv_start(d, false);
	ASSERT_EQ(0, ret) TH_LOG("bring-up step %d", ret);
	EXPECT_FALSE(good_frame_passes(d, self->wire, 600))
		TH_LOG("the device read memory outside the user's IOTLB map");
	d->phys = false;
	status = 0;
	ASSERT_EQ(0, ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status));
	ASSERT_EQ(0, vdrv_reset(d));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 601));
}

/*
 * One command on the control queue: @class, @cmd and @len bytes of @data,
 * then the device's ack.  Return: the ack (VIRTIO_NET_OK or
 * VIRTIO_NET_ERR), or -1 when the device did not answer.
 */
static int cvq_cmd(struct vdrv *d, __u8 class, __u8 cmd, const void *data,
		   size_t len)
{
	__u16 out = vdrv_new_desc(d, VDRV_CVQ), in = vdrv_new_desc(d, VDRV_CVQ);
	unsigned char *p = vdrv_buf(d, VDRV_CVQ, out);
	unsigned char *ack = vdrv_buf(d, VDRV_CVQ, in);

	p[0] = class;
	p[1] = cmd;
	memcpy(p + 2, data, len);
	__atomic_store_n(ack, 0xff, __ATOMIC_RELAXED);
	vdrv_desc(d, VDRV_CVQ, out, vdrv_addr(d, vdrv_buf_off(VDRV_CVQ, out)),
		  2 + len, VRING_DESC_F_NEXT, in);
	vdrv_desc(d, VDRV_CVQ, in, vdrv_addr(d, vdrv_buf_off(VDRV_CVQ, in)),
		  1, VRING_DESC_F_WRITE, 0);
	vdrv_post(d, VDRV_CVQ, out);
	vdrv_kick(d, VDRV_CVQ);
	if (vdrv_wait_used(d, VDRV_CVQ, 5000))
		return -1;
	/* Written by the device: read after the used index. */
	return __atomic_load_n(ack, __ATOMIC_ACQUIRE);
}

/*
 * The control queue's answers are the NP's: a multicast table with a
 * unicast address in it, which the NP refuses, is answered VIRTIO_NET_ERR
 * (it was answered OK); a table of multicast addresses, and promiscuous
 * mode on and off, are answered OK; the VIF carries on.
 */
TEST_F(vhost, cvq_answers_the_nps_refusal)
{
	static const unsigned char mc1[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	static const unsigned char mc2[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0, 0, 2 };
	static const unsigned char uc[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 9 };
	/* Unicast table: 0 entries; multicast table: 2 entries. */
	unsigned char tbl[4 + 4 + 2 * ETH_ALEN] = { [4] = 2 };
	struct vdrv *d = &self->vif[0];
	__u8 on = 1, off = 0;
	int ret;

	d->extra_features = (1ULL << VIRTIO_NET_F_CTRL_VQ) |
			    (1ULL << VIRTIO_NET_F_CTRL_RX);
	ret = vdrv_reset(d);
	ASSERT_EQ(0, ret) TH_LOG("bring-up with a control queue: step %d", ret);
	memcpy(tbl + 8, mc1, ETH_ALEN);
	memcpy(tbl + 8 + ETH_ALEN, uc, ETH_ALEN);
	EXPECT_EQ(VIRTIO_NET_ERR, cvq_cmd(d, VIRTIO_NET_CTRL_MAC,
					  VIRTIO_NET_CTRL_MAC_TABLE_SET,
					  tbl, sizeof(tbl)));
	memcpy(tbl + 8 + ETH_ALEN, mc2, ETH_ALEN);
	EXPECT_EQ(VIRTIO_NET_OK, cvq_cmd(d, VIRTIO_NET_CTRL_MAC,
					 VIRTIO_NET_CTRL_MAC_TABLE_SET,
					 tbl, sizeof(tbl)));
	EXPECT_EQ(VIRTIO_NET_OK, cvq_cmd(d, VIRTIO_NET_CTRL_RX,
					 VIRTIO_NET_CTRL_RX_PROMISC, &on, 1));
	EXPECT_EQ(VIRTIO_NET_OK, cvq_cmd(d, VIRTIO_NET_CTRL_RX,
					 VIRTIO_NET_CTRL_RX_PROMISC, &off, 1));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 700));
}

/* One IOTLB message of vhost-vdpa's v2 format; 0 or -errno. */
static int iotlb_msg(int fd, __u8 type, __u64 iova, __u64 size, void *uaddr)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = (unsigned long)uaddr,
			.perm = VHOST_ACCESS_RW,
			.type = type,
		},
	};

	return write(fd, &m, sizeof(m)) == sizeof(m) ? 0 : -errno;
}

#define MANY_MAPS	4096
#define MANY_IOVA	0x100000000ULL

/*
 * A guest's memory reaches the device as an IOTLB entry per run of
 * physically contiguous pages: 4096 of them (16 MiB of guest memory
 * without huge pages, 8 GiB with 2 MiB ones) are all taken, in one batch,
 * and frames pass as before.  vhost-vdpa bounds the entries of a user
 * (its max_iotlb_entries, 2048 unless raised, as vm/vcore-vm does); svnic
 * takes what it lets through.
 */
TEST_F(vhost, many_maps)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	const size_t pg = getpagesize();
	struct vdrv *d = &self->vif[0];
	bool batch = d->backend_features & (1ULL << VHOST_BACKEND_F_IOTLB_BATCH);
	unsigned char *m;
	int i, ret = 0;
	FILE *f;

	f = fopen("/sys/module/vhost_vdpa/parameters/max_iotlb_entries", "r");
	if (!f || fscanf(f, "%d", &i) != 1)
		i = 0;
	if (f)
		fclose(f);
	if (i < MANY_MAPS + 64)
		SKIP(return, "vhost_vdpa.max_iotlb_entries is %d, under %d", i,
		     MANY_MAPS + 64);
	ret = 0;

	/* vhost-vdpa charges the pages it pins to RLIMIT_MEMLOCK. */
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &unlimited));
	m = mmap(NULL, MANY_MAPS * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	if (batch)
		ASSERT_EQ(0, iotlb_msg(d->fd, VHOST_IOTLB_BATCH_BEGIN, 0, 0, NULL));
	/* A page each, a page apart: no two entries can be one. */
	for (i = 0; i < MANY_MAPS && !ret; i++)
		ret = iotlb_msg(d->fd, VHOST_IOTLB_UPDATE, MANY_IOVA + 2 * i * pg,
				pg, m + i * pg);
	EXPECT_EQ(0, ret) TH_LOG("IOTLB update %d: %s", i, strerror(-ret));
	if (batch)
		ASSERT_EQ(0, iotlb_msg(d->fd, VHOST_IOTLB_BATCH_END, 0, 0, NULL));
	EXPECT_TRUE(good_frame_passes(d, self->wire, 700))
		TH_LOG("no frame passes with %d more IOTLB entries", MANY_MAPS);
	/* The pages stay pinned, and mapped, until the device is closed. */
	munmap(m, MANY_MAPS * pg);
}

TEST_HARNESS_MAIN
