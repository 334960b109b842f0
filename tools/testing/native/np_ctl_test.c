// SPDX-License-Identifier: GPL-2.0
/*
 * np_ctl_test.c - the NP side of the host<->NP control protocol
 * (firmware/ixp2400/np_ctl.c, np_abi.h) natively under ASan and UBSan: the
 * cases of firmware/ixp2400/np_ctl_cases.h (shared with the KUnit suite),
 * and its own: HELLO and versions, every header check, every payload field
 * of every message refused with its errno (and nothing applied), replies
 * that do not fit, requests at odd alignments, and random garbage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_ctl.h"
#include "np_dp.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"

/* A case's data plane, freed when the case's process exits. */
static struct np_dp *np_ctlc_alloc_dp(struct vcore_case_ctx *ctx,
				      size_t bytes)
{
	return CASE_ZALLOC(ctx, bytes);
}

#include "np_ctl_cases.h"

/* The hand-written cases, firmware/ixp2400/np_ctl_cases.h. */
VCORE_NATIVE_CASES(np_ctl, np_ctl_cases)

#define HDR	sizeof(struct np_msg_hdr)

/* The messages are built with plain stores: little-endian hosts only. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian");

static struct np_frame *clone_cb(void *arg, const struct np_frame *f)
{
	return NULL;
}

static void drop_cb(void *arg, struct np_frame *f)
{
	++*(unsigned int *)arg;
}

static bool notify_cb(void *arg, unsigned int vif)
{
	return true;
}

/* A request of @type with @payload bytes of payload, all zero. */
static struct np_msg msg(u16 type, size_t payload)
{
	struct np_msg m = {};

	m.hdr.abi_major = NP_ABI_MAJOR;
	m.hdr.abi_minor = NP_ABI_MINOR;
	m.hdr.type = type;
	m.hdr.len = HDR + payload;
	m.hdr.seq = 0x12345678;
	return m;
}

static struct np_msg vif_add(u32 vif, u8 id, u16 vlan, u16 mtu, u16 mode)
{
	struct np_msg m = msg(NP_MSG_VIF_ADD, sizeof(struct np_msg_vif_add));
	struct np_msg_vif_conf *c = &m.body.vif_add.conf;

	m.body.vif_add.vif = vif;
	memcpy(c->mac, (u8 []){ 0x02, 0, 0, 0, 0, id }, 6);
	c->vlan = vlan;
	c->mtu = mtu;
	c->rx_mode = mode;
	return m;
}

/* What a test sends to and gets back from the NP. */
struct ctx {
	struct np_dp *dp;
	struct np_msg reply;
	size_t reply_len;
	unsigned int dropped;
};

FIXTURE(ctl) {
	struct ctx c;
};

FIXTURE_SETUP(ctl)
{
	struct np_dp_ops ops = { clone_cb, drop_cb, notify_cb, &self->c.dropped };

	self->c.dp = aligned_alloc(64, np_dp_bytes(16));
	ASSERT_NE(NULL, self->c.dp);
	ASSERT_EQ(0, np_dp_init(self->c.dp, 16, &ops));
}

FIXTURE_TEARDOWN(ctl)
{
	free(self->c.dp);
}

/* Send @m (its header's length) and check the reply's header. */
static int send_msg(struct __test_metadata *_metadata, struct ctx *c,
		    const struct np_msg *m)
{
	int status;

	memset(&c->reply, 0xa5, sizeof(c->reply));
	c->reply_len = sizeof(c->reply);
	status = np_ctl_handle(c->dp, m, m->hdr.len, &c->reply, &c->reply_len);
	EXPECT_EQ(NP_ABI_MAJOR, c->reply.hdr.abi_major);
	EXPECT_EQ(NP_ABI_MINOR, c->reply.hdr.abi_minor);
	EXPECT_EQ(m->hdr.type | NP_MSG_REPLY, c->reply.hdr.type);
	EXPECT_EQ(m->hdr.seq, c->reply.hdr.seq);
	EXPECT_EQ(0, c->reply.hdr.rsvd);
	EXPECT_EQ(status, (s32)c->reply.hdr.status);
	EXPECT_EQ(c->reply_len, c->reply.hdr.len);
	if (status)
		EXPECT_EQ(HDR, c->reply_len);
	return status;
}

#define SEND(m) send_msg(_metadata, &self->c, &(m))

TEST_F(ctl, hello)
{
	struct np_msg m = msg(NP_MSG_HELLO, 0);
	const struct np_msg_hello *h = &self->c.reply.body.hello;

	ASSERT_EQ(0, SEND(m));
	EXPECT_EQ(HDR + sizeof(*h), self->c.reply_len);
	EXPECT_EQ(NP_CAP_VLAN | NP_CAP_MCAST_FILTER | NP_CAP_RATE |
		  NP_CAP_NOTIFY_BATCH, h->caps);
	EXPECT_EQ(NP_MAX_VIFS, h->max_vifs);
	EXPECT_EQ(16, h->ring_slots);
	EXPECT_EQ(NP_DP_MTU_MIN, h->mtu_min);
	EXPECT_EQ(NP_DP_MTU_MAX, h->mtu_max);
	EXPECT_EQ(NP_ABI_MCAST_MAX, h->max_mcast);
	EXPECT_EQ(0, h->pad);
	EXPECT_TRUE(np_abi_compatible(self->c.reply.hdr.abi_major,
				      self->c.reply.hdr.abi_minor));
}

TEST_F(ctl, versions)
{
	struct np_msg m = msg(NP_MSG_HELLO, 0);

	EXPECT_TRUE(np_abi_compatible(NP_ABI_MAJOR, NP_ABI_MINOR + 1));
	EXPECT_FALSE(np_abi_compatible(NP_ABI_MAJOR + 1, NP_ABI_MINOR));
	EXPECT_FALSE(np_abi_compatible(NP_ABI_MAJOR - 1, NP_ABI_MINOR));
	/* A newer minor talks; another major is refused, with our version. */
	m.hdr.abi_minor = NP_ABI_MINOR + 7;
	EXPECT_EQ(0, SEND(m));
	m.hdr.abi_major = NP_ABI_MAJOR + 1;
	EXPECT_EQ(-EPROTO, SEND(m));
	m.hdr.abi_major = NP_ABI_MAJOR - 1;
	EXPECT_EQ(-EPROTO, SEND(m));
	/* Even a message that is otherwise garbage. */
	m.hdr.type = 999;
	m.hdr.rsvd = 1;
	EXPECT_EQ(-EPROTO, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	m.hdr.abi_major = 0;
	EXPECT_EQ(-EPROTO, SEND(m));
	EXPECT_EQ(0, self->c.dp->cls.nr_vifs);
}

TEST_F(ctl, header_checks)
{
	static const u8 big[512] = { NP_ABI_MAJOR };
	static const u16 types[] = { 0, __NP_MSG_MAX, 0x7fff, NP_MSG_REPLY,
				     NP_MSG_HELLO | NP_MSG_REPLY, NP_MSG_STATS,
				     0xffff };
	struct np_msg m = msg(NP_MSG_HELLO, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m.hdr.type = types[i];
		EXPECT_EQ(-EINVAL, SEND(m)) TH_LOG("type %#x", types[i]);
	}
	m = msg(NP_MSG_HELLO, 0);
	m.hdr.rsvd = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = msg(NP_MSG_HELLO, 0);
	m.hdr.status = -1;
	EXPECT_EQ(-EINVAL, SEND(m));
	/* HELLO takes no payload. */
	m = msg(NP_MSG_HELLO, 8);
	EXPECT_EQ(-EINVAL, SEND(m));
	/* The header's length must be the buffer's. */
	m = msg(NP_MSG_HELLO, 0);
	self->c.reply_len = sizeof(self->c.reply);
	EXPECT_EQ(-EINVAL, np_ctl_handle(self->c.dp, &m, HDR + 8, &self->c.reply,
					 &self->c.reply_len));
	m.hdr.len = HDR - 1;
	self->c.reply_len = sizeof(self->c.reply);
	EXPECT_EQ(-EINVAL, np_ctl_handle(self->c.dp, &m, HDR, &self->c.reply,
					 &self->c.reply_len));
	/* Cut short: no type nor sequence number to echo. */
	m = msg(NP_MSG_HELLO, 0);
	for (i = 0; i < HDR; i++) {
		m.hdr.len = i;
		self->c.reply_len = sizeof(self->c.reply);
		EXPECT_EQ(-EINVAL, np_ctl_handle(self->c.dp, i ? &m : NULL, i,
						 &self->c.reply, &self->c.reply_len));
		EXPECT_EQ(HDR, self->c.reply_len);
		EXPECT_EQ(HDR, self->c.reply.hdr.len);
		EXPECT_EQ(NP_MSG_REPLY, self->c.reply.hdr.type);
		EXPECT_EQ(0, self->c.reply.hdr.seq);
	}
	/* Longer than any message. */
	self->c.reply_len = sizeof(self->c.reply);
	EXPECT_EQ(-EINVAL, np_ctl_handle(self->c.dp, big, sizeof(big),
					 &self->c.reply, &self->c.reply_len));
}

/* Every type: its exact payload length only. */
TEST_F(ctl, payload_lengths)
{
	static const struct { u16 type; size_t len; } t[] = {
		{ NP_MSG_VIF_ADD, sizeof(struct np_msg_vif_add) },
		{ NP_MSG_VIF_DEL, sizeof(struct np_msg_vif_del) },
		{ NP_MSG_VIF_SET, sizeof(struct np_msg_vif_set) },
		{ NP_MSG_RATE_SET, sizeof(struct np_msg_rate_set) },
		{ NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get) },
		{ NP_MSG_NOTIFY_SET, sizeof(struct np_msg_notify_set) },
		{ NP_MSG_MCAST_SET, sizeof(struct np_msg_mcast_set) },
	};
	static const int delta[] = { -8, -1, 1, 8 };
	struct np_msg m;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		for (j = 0; j < 4; j++) {
			if ((int)t[i].len + delta[j] + HDR > NP_MSG_MAX_LEN)
				continue;
			m = msg(t[i].type, t[i].len + delta[j]);
			EXPECT_EQ(-EINVAL, SEND(m)) TH_LOG("type %u len %zd",
				  t[i].type, t[i].len + delta[j]);
		}
}

TEST_F(ctl, vif_add_fields)
{
	struct np_msg m;

	m = vif_add(1, 1, NP_VLAN_NONE, 1500, NP_RX_BROADCAST);
	m.body.vif_add.pad = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, 1500, NP_RX_BROADCAST);
	m.body.vif_add.conf.pad = 1 << 24;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(NP_MAX_VIFS, 1, NP_VLAN_NONE, 1500, 0);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	m.body.vif_add.conf.mac[0] = 0x01;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	memset(m.body.vif_add.conf.mac, 0, 6);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, 0, 1500, 0);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, 4095, 1500, 0);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, NP_DP_MTU_MIN - 1, 0);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, NP_DP_MTU_MAX + 1, 0);
	EXPECT_EQ(-EINVAL, SEND(m));
	m = vif_add(1, 1, NP_VLAN_NONE, 1500, NP_RX_MODES + 1);
	EXPECT_EQ(-EINVAL, SEND(m));
	EXPECT_EQ(0, self->c.dp->cls.nr_vifs);
	/* Good ones, then the conflicts. */
	m = vif_add(1, 1, NP_VLAN_NONE, NP_DP_MTU_MIN, NP_RX_MODES);
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(-EEXIST, SEND(m));
	m = vif_add(2, 1, NP_VLAN_NONE, 1500, 0);
	EXPECT_EQ(-EADDRINUSE, SEND(m));
	m = vif_add(2, 1, 4094, NP_DP_MTU_MAX, 0);
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(2, self->c.dp->cls.nr_vifs);
}

TEST_F(ctl, vif_set_fields)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg b = vif_add(2, 2, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_VIF_SET, sizeof(struct np_msg_vif_set));
	struct np_msg_vif_set *s = &m.body.vif_set;
	struct np_msg base;

	ASSERT_EQ(0, SEND(a));
	ASSERT_EQ(0, SEND(b));
	s->vif = 1;
	base = m;
	EXPECT_EQ(-EINVAL, SEND(m));		/* nothing to change */
	s->change = NP_VIF_SET_ALL + 1;
	EXPECT_EQ(-EINVAL, SEND(m));		/* unknown bit */
	/* Fields outside the mask must be 0. */
	m = base;
	s->change = NP_VIF_SET_MTU;
	s->conf.mtu = 9000;
	s->conf.vlan = 5;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->conf.vlan = 0;
	s->conf.rx_mode = NP_RX_PROMISC;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->conf.rx_mode = 0;
	s->conf.mac[5] = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->conf.mac[5] = 0;
	s->conf.pad = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->conf.pad = 0;
	s->vif = 3;
	EXPECT_EQ(-ENOENT, SEND(m));
	s->vif = NP_MAX_VIFS;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->vif = 1;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(9000, self->c.dp->vif[1].cfg.mtu);
	/* Bad new values. */
	s->conf.mtu = 20;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = base;
	s->change = NP_VIF_SET_RX_MODE;
	s->conf.rx_mode = 0x100;
	EXPECT_EQ(-EINVAL, SEND(m));
	m = base;
	s->change = NP_VIF_SET_VLAN;
	s->conf.vlan = 4095;
	EXPECT_EQ(-EINVAL, SEND(m));
	/* VIF 2's address: in use; on VLAN 7 as well: free. */
	m = base;
	s->change = NP_VIF_SET_MAC;
	memcpy(s->conf.mac, b.body.vif_add.conf.mac, 6);
	EXPECT_EQ(-EADDRINUSE, SEND(m));
	s->change |= NP_VIF_SET_VLAN;
	s->conf.vlan = 7;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(7, self->c.dp->vif[1].cfg.vlan);
	EXPECT_EQ(9000, self->c.dp->vif[1].cfg.mtu);
}

TEST_F(ctl, vif_del_fields)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_VIF_DEL, sizeof(struct np_msg_vif_del));

	ASSERT_EQ(0, SEND(a));
	m.body.vif_del.vif = 1;
	m.body.vif_del.pad = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	m.body.vif_del.pad = 0;
	m.body.vif_del.vif = NP_MAX_VIFS;
	EXPECT_EQ(-EINVAL, SEND(m));
	m.body.vif_del.vif = 2;
	EXPECT_EQ(-ENOENT, SEND(m));
	m.body.vif_del.vif = 1;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(-ENOENT, SEND(m));
}

TEST_F(ctl, rate_set_fields)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_RATE_SET, sizeof(struct np_msg_rate_set));
	struct np_msg_rate_set *r = &m.body.rate_set;

	ASSERT_EQ(0, SEND(a));
	r->vif = 1;
	r->rate = 1000000;
	r->burst = 3000;
	r->pad = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	r->pad = 0;
	r->burst = 0;
	EXPECT_EQ(-EINVAL, SEND(m));		/* a rate needs a bucket */
	r->rate = 0;
	r->burst = 3000;
	EXPECT_EQ(-EINVAL, SEND(m));		/* a bucket needs a rate */
	r->rate = NP_DP_RATE_MAX + 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	r->rate = 1000000;
	r->burst = NP_DP_BURST_MAX + 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	EXPECT_EQ(0, self->c.dp->vif[1].flow.tb.rate);	/* nothing applied */
	r->burst = 3000;
	r->vif = 2;
	EXPECT_EQ(-ENOENT, SEND(m));
	r->vif = ~0U;
	EXPECT_EQ(-EINVAL, SEND(m));
	r->vif = 1;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(1000000, self->c.dp->vif[1].flow.tb.rate);
	EXPECT_EQ(3000, self->c.dp->vif[1].flow.tb.burst);
	r->rate = 0;
	r->burst = 0;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(0, self->c.dp->vif[1].flow.tb.rate);
}

TEST_F(ctl, stats)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get));
	const struct np_msg_stats *st = &self->c.reply.body.stats;
	u8 data[64] = { 0x02, 0, 0, 0, 0, 1, 0x02, 0xee };
	struct np_frame f = { .data = data, .len = 64 };
	struct np_frame runt = { .data = data, .len = 10 };
	struct np_frame *fp = &f, *rp = &runt;
	unsigned int i;

	ASSERT_EQ(0, SEND(a));
	ASSERT_EQ(1, np_dp_rx_from_uplink(self->c.dp, &fp, 1));
	ASSERT_EQ(1, np_dp_rx_drain(self->c.dp, 1, &fp, 1));
	ASSERT_EQ(0, np_dp_rx_from_uplink(self->c.dp, &rp, 1));
	ASSERT_EQ(0, np_dp_rx_from_vif(self->c.dp, 1, &rp, 1));
	m.body.stats_get.vif = 1;
	ASSERT_EQ(0, SEND(m));
	EXPECT_EQ(HDR + sizeof(*st), self->c.reply_len);
	EXPECT_EQ(1, st->vif);
	EXPECT_EQ(0, st->pad);
	EXPECT_EQ(1, st->rx_packets);
	EXPECT_EQ(64, st->rx_bytes);
	EXPECT_EQ(0, st->tx_packets);
	EXPECT_EQ(1, st->drops[NP_DROP_MALFORMED]);
	for (i = NP_DROP_NR; i < NP_ABI_DROP_SLOTS; i++)
		EXPECT_EQ(0, st->drops[i]);
	m.body.stats_get.vif = NP_VIF_UPLINK;
	ASSERT_EQ(0, SEND(m));
	EXPECT_EQ(NP_VIF_UPLINK, st->vif);
	EXPECT_EQ(1, st->rx_packets);
	EXPECT_EQ(1, st->drops[NP_DROP_MALFORMED]);
	m.body.stats_get.vif = 2;
	EXPECT_EQ(-ENOENT, SEND(m));
	m.body.stats_get.vif = NP_MAX_VIFS;
	EXPECT_EQ(-EINVAL, SEND(m));
	m.body.stats_get.vif = 1;
	m.body.stats_get.pad = 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	EXPECT_EQ(2, self->c.dropped);
}

TEST_F(ctl, notify_set_fields)
{
	struct np_msg m = msg(NP_MSG_NOTIFY_SET, sizeof(struct np_msg_notify_set));

	m.body.notify_set.frames = 32;
	m.body.notify_set.cycles = 0;
	EXPECT_EQ(-EINVAL, SEND(m));
	m.body.notify_set.cycles = NP_NOTIFY_MAX_CYCLES + 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	m.body.notify_set.cycles = 4;
	m.body.notify_set.frames = NP_NOTIFY_MAX_FRAMES + 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	EXPECT_EQ(0, self->c.dp->notify.batch_frames);
	EXPECT_EQ(1, self->c.dp->notify.batch_cycles);
	m.body.notify_set.frames = 32;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(32, self->c.dp->notify.batch_frames);
	EXPECT_EQ(4, self->c.dp->notify.batch_cycles);
}

TEST_F(ctl, mcast_set_fields)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_MCAST_SET, sizeof(struct np_msg_mcast_set));
	struct np_msg_mcast_set *s = &m.body.mcast_set;
	struct np_msg base;
	unsigned int i;

	ASSERT_EQ(0, SEND(a));
	s->vif = 1;
	for (i = 0; i < NP_ABI_MCAST_MAX; i++)
		memcpy(s->addrs[i], (u8 []){ 0x01, 0, 0x5e, 0, 0, i }, 6);
	s->count = NP_ABI_MCAST_MAX + 1;
	EXPECT_EQ(-EINVAL, SEND(m));
	s->count = NP_ABI_MCAST_MAX;
	base = m;
	s->addrs[3][0] = 0x02;			/* unicast */
	EXPECT_EQ(-EINVAL, SEND(m));
	m = base;
	s->count = 2;				/* entries 2.. are not 0 */
	EXPECT_EQ(-EINVAL, SEND(m));
	memset(s->addrs[2], 0, sizeof(s->addrs) - 2 * 6);
	s->vif = 2;
	EXPECT_EQ(-ENOENT, SEND(m));
	s->vif = NP_MAX_VIFS;
	EXPECT_EQ(-EINVAL, SEND(m));
	EXPECT_EQ(0, self->c.dp->cls.vif[1].nr_mcast);
	s->vif = 1;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(2, self->c.dp->cls.vif[1].nr_mcast);
	m = base;
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(NP_ABI_MCAST_MAX, self->c.dp->cls.vif[1].nr_mcast);
	s->count = 0;
	memset(s->addrs, 0, sizeof(s->addrs));
	EXPECT_EQ(0, SEND(m));
	EXPECT_EQ(0, self->c.dp->cls.vif[1].nr_mcast);
}

/* A reply that would not fit: refused, and the request not applied. */
TEST_F(ctl, reply_room)
{
	struct np_msg m = msg(NP_MSG_HELLO, 0);
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);

	self->c.reply_len = HDR - 1;
	EXPECT_EQ(-ENOSPC, np_ctl_handle(self->c.dp, &m, HDR, &self->c.reply,
					 &self->c.reply_len));
	EXPECT_EQ(0, self->c.reply_len);
	self->c.reply_len = HDR;
	EXPECT_EQ(-ENOSPC, np_ctl_handle(self->c.dp, &m, HDR, &self->c.reply,
					 &self->c.reply_len));
	EXPECT_EQ(HDR, self->c.reply_len);
	EXPECT_EQ(-ENOSPC, (s32)self->c.reply.hdr.status);
	/* VIF_ADD has no reply payload: a header's room is enough. */
	self->c.reply_len = HDR;
	EXPECT_EQ(0, np_ctl_handle(self->c.dp, &a, a.hdr.len, &self->c.reply,
				   &self->c.reply_len));
	self->c.reply_len = HDR + sizeof(struct np_msg_stats) - 1;
	m = msg(NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get));
	m.body.stats_get.vif = 1;
	EXPECT_EQ(-ENOSPC, np_ctl_handle(self->c.dp, &m, m.hdr.len, &self->c.reply,
					 &self->c.reply_len));
}

/* Requests and replies at odd addresses (the shims run on x86, but UBSan
 * checks the alignment of every access).
 */
TEST_F(ctl, any_alignment)
{
	struct np_msg a = vif_add(1, 1, NP_VLAN_NONE, 1500, 0);
	struct np_msg m = msg(NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get));
	u8 in[NP_MSG_MAX_LEN + 8], out[NP_MSG_MAX_LEN + 8];
	unsigned int off;
	size_t len;

	memcpy(in + 1, &a, a.hdr.len);
	len = NP_MSG_MAX_LEN;
	EXPECT_EQ(0, np_ctl_handle(self->c.dp, in + 1, a.hdr.len, out + 3, &len));
	m.body.stats_get.vif = 1;
	for (off = 0; off < 8; off++) {
		memcpy(in + off, &m, m.hdr.len);
		len = NP_MSG_MAX_LEN;
		EXPECT_EQ(0, np_ctl_handle(self->c.dp, in + off, m.hdr.len,
					   out + 7 - off, &len));
		EXPECT_EQ(HDR + sizeof(struct np_msg_stats), len);
	}
}

/* Garbage never crashes, and never gets a reply that breaks the rules. */
TEST_F(ctl, random_garbage)
{
	static const size_t sizes[__NP_MSG_MAX] = {
		[NP_MSG_VIF_ADD] = sizeof(struct np_msg_vif_add),
		[NP_MSG_VIF_DEL] = sizeof(struct np_msg_vif_del),
		[NP_MSG_VIF_SET] = sizeof(struct np_msg_vif_set),
		[NP_MSG_RATE_SET] = sizeof(struct np_msg_rate_set),
		[NP_MSG_STATS_GET] = sizeof(struct np_msg_stats_get),
		[NP_MSG_NOTIFY_SET] = sizeof(struct np_msg_notify_set),
		[NP_MSG_MCAST_SET] = sizeof(struct np_msg_mcast_set),
	};
	unsigned int seed = 11, i, j, ok = 0;
	union { struct np_msg m; u8 b[NP_MSG_MAX_LEN]; } u;
	size_t len;
	int status;

	for (i = 0; i < 200000; i++) {
		for (j = 0; j < sizeof(u.b); j++) {
			seed = seed * 1103515245 + 12345;
			u.b[j] = (seed >> 16) % 16 ? 0 : seed >> 24;
		}
		u.m.hdr.abi_major = seed % 16 ? NP_ABI_MAJOR : seed >> 8;
		u.m.hdr.type = 1 + (seed >> 4) % __NP_MSG_MAX;
		/* Mostly the type's length, sometimes any. */
		len = HDR + ((seed >> 10) % 4 ? sizes[u.m.hdr.type % __NP_MSG_MAX]
					      : (seed >> 6) % 105);
		u.m.hdr.len = len;
		if (!((seed >> 12) % 8))
			len = (seed >> 6) % sizeof(u.b);
		self->c.reply_len = sizeof(self->c.reply);
		status = np_ctl_handle(self->c.dp, &u, len, &self->c.reply,
				       &self->c.reply_len);
		ASSERT_TRUE(status <= 0 && status != -ENOSPC);
		ASSERT_EQ(status, (s32)self->c.reply.hdr.status);
		ASSERT_TRUE(self->c.reply.hdr.type & NP_MSG_REPLY);
		ASSERT_EQ(self->c.reply_len, self->c.reply.hdr.len);
		ok += !status;
	}
	TH_LOG("%u of 200000 random requests accepted", ok);
}

TEST_HARNESS_MAIN
