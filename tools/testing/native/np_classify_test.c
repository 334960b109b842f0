// SPDX-License-Identifier: GPL-2.0
/*
 * np_classify_test.c - the NP classify stage (firmware/ixp2400/np_classify.c)
 * natively under ASan and UBSan: unicast, VLANs, broadcast, multicast
 * filters and all-multicast, promiscuous VIFs, unknown unicast both ways,
 * source exclusion, malformed frames, configuration errors, and the
 * forwarding table against a reference through random adds and removals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np_classify.h"
#include "kselftest_harness.h"

#define UPLINK	NP_SRC_UPLINK
#define NOVLAN	NP_VLAN_NONE

static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 mc1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const u8 mc2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 };
static const u8 ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };

/* A locally administered unicast address per id. */
static const u8 *mac(unsigned int id)
{
	static u8 m[8][6];
	static unsigned int next;
	u8 *p = m[next++ % 8];

	p[0] = 0x02;
	p[1] = 0;
	p[2] = id >> 24;
	p[3] = id >> 16;
	p[4] = id >> 8;
	p[5] = id;
	return p;
}

/* A frame from @src to @dst, tagged with @vid unless it is -1. */
static u32 frame(u8 *buf, const u8 *dst, const u8 *src, int vid)
{
	u32 len = 64;

	memset(buf, 0, 64);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	if (vid >= 0) {
		buf[12] = 0x81;
		buf[14] = vid >> 8;
		buf[15] = vid;
		buf[16] = 0x08;
	} else {
		buf[12] = 0x08;
	}
	return len;
}

static int add(struct np_classify *cls, unsigned int vif, unsigned int id,
	       u16 vlan, u16 mode)
{
	struct np_vif_cfg cfg = { .vlan = vlan, .mtu = 1500, .rx_mode = mode };

	memcpy(cfg.mac, mac(id), 6);
	return np_classify_add(cls, vif, &cfg);
}

static unsigned int count(const struct np_dest *d)
{
	unsigned int v, n = 0;

	for (v = np_vifset_next(&d->vifs, 0); v < NP_MAX_VIFS;
	     v = np_vifset_next(&d->vifs, v + 1))
		n++;
	return n;
}

static bool classify(struct np_classify *cls, const u8 *dst, unsigned int src,
		     int vid, struct np_dest *d)
{
	u8 buf[64];
	u32 len = frame(buf, dst, src == UPLINK ? ext : mac(src), vid);

	return np_classify(cls, buf, len, src, d);
}

FIXTURE(cls) {
	struct np_classify *cls;
	struct np_dest d;
};

FIXTURE_SETUP(cls)
{
	self->cls = malloc(sizeof(*self->cls));
	ASSERT_NE(NULL, self->cls);
	np_classify_init(self->cls);
}

FIXTURE_TEARDOWN(cls)
{
	free(self->cls);
}

TEST_F(cls, unicast_from_uplink_and_between_vifs)
{
	ASSERT_EQ(0, add(self->cls, 3, 3, NOVLAN, 0));
	ASSERT_EQ(0, add(self->cls, 200, 200, NOVLAN, 0));
	ASSERT_TRUE(classify(self->cls, mac(3), UPLINK, -1, &self->d));
	EXPECT_FALSE(self->d.multi);
	EXPECT_FALSE(self->d.uplink);
	EXPECT_EQ(3, self->d.vif);
	ASSERT_TRUE(classify(self->cls, mac(200), 3, -1, &self->d));
	EXPECT_EQ(200, self->d.vif);
	EXPECT_FALSE(self->d.uplink);
	/* A priority tag (VLAN id 0) is untagged. */
	ASSERT_TRUE(classify(self->cls, mac(3), UPLINK, 0, &self->d));
	EXPECT_EQ(3, self->d.vif);
}

TEST_F(cls, unknown_unicast)
{
	ASSERT_EQ(0, add(self->cls, 1, 1, NOVLAN, NP_RX_BROADCAST));
	/* From a VIF: to the uplink only. */
	ASSERT_TRUE(classify(self->cls, ext, 1, -1, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_FALSE(self->d.multi);
	EXPECT_EQ(NP_VIF_NONE, self->d.vif);
	/* From the uplink, no promiscuous VIF: dropped, filtered. */
	EXPECT_FALSE(classify(self->cls, ext, UPLINK, -1, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
	/* With promiscuous VIFs: to them only, whatever their VLAN. */
	ASSERT_EQ(0, add(self->cls, 7, 7, NOVLAN, NP_RX_PROMISC));
	ASSERT_EQ(0, add(self->cls, 9, 9, 100, NP_RX_PROMISC));
	ASSERT_TRUE(classify(self->cls, ext, UPLINK, -1, &self->d));
	EXPECT_TRUE(self->d.multi);
	EXPECT_FALSE(self->d.uplink);
	EXPECT_EQ(2, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 7));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 9));
	/* Unknown unicast from a VIF still goes to the uplink only. */
	ASSERT_TRUE(classify(self->cls, ext, 1, -1, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_FALSE(self->d.multi);
}

TEST_F(cls, vlans_separate_same_address)
{
	struct np_vif_cfg cfg = { .vlan = 20, .mtu = 1500 };

	ASSERT_EQ(0, add(self->cls, 1, 42, 10, 0));
	memcpy(cfg.mac, mac(42), 6);
	ASSERT_EQ(0, np_classify_add(self->cls, 2, &cfg));
	ASSERT_EQ(0, add(self->cls, 3, 42, NOVLAN, 0));
	ASSERT_TRUE(classify(self->cls, mac(42), UPLINK, 10, &self->d));
	EXPECT_EQ(1, self->d.vif);
	ASSERT_TRUE(classify(self->cls, mac(42), UPLINK, 20, &self->d));
	EXPECT_EQ(2, self->d.vif);
	ASSERT_TRUE(classify(self->cls, mac(42), UPLINK, -1, &self->d));
	EXPECT_EQ(3, self->d.vif);
	/* No VIF of that address on VLAN 30. */
	EXPECT_FALSE(classify(self->cls, mac(42), UPLINK, 30, &self->d));
	/* A VIF sends only on its own VLAN. */
	ASSERT_EQ(0, add(self->cls, 4, 4, 10, 0));
	EXPECT_TRUE(classify(self->cls, mac(42), 4, 10, &self->d));
	EXPECT_EQ(1, self->d.vif);
	EXPECT_FALSE(classify(self->cls, mac(42), 4, 20, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
	EXPECT_FALSE(classify(self->cls, mac(42), 4, -1, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
}

TEST_F(cls, broadcast_replicated_within_vlan_never_to_source)
{
	unsigned int v;

	for (v = 0; v < 10; v++)
		ASSERT_EQ(0, add(self->cls, v, v, v < 6 ? NOVLAN : 5,
				 v % 2 ? 0 : NP_RX_BROADCAST));
	ASSERT_EQ(0, add(self->cls, 100, 100, 7, NP_RX_PROMISC));
	/* From the uplink, untagged: VIFs 0, 2, 4 and the promiscuous one. */
	ASSERT_TRUE(classify(self->cls, bcast, UPLINK, -1, &self->d));
	EXPECT_TRUE(self->d.multi);
	EXPECT_FALSE(self->d.uplink);
	EXPECT_EQ(4, count(&self->d));
	for (v = 0; v < 6; v++)
		EXPECT_EQ(!(v % 2), np_vifset_has(&self->d.vifs, v));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 100));
	/* From VIF 2: the uplink, 0, 4 and the promiscuous one, not 2. */
	ASSERT_TRUE(classify(self->cls, bcast, 2, -1, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_EQ(3, count(&self->d));
	EXPECT_FALSE(np_vifset_has(&self->d.vifs, 2));
	/* On VLAN 5: VIFs 6 and 8. */
	ASSERT_TRUE(classify(self->cls, bcast, UPLINK, 5, &self->d));
	EXPECT_EQ(3, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 6));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 8));
	/* The promiscuous VIF's own broadcast: not back to it. */
	ASSERT_TRUE(classify(self->cls, bcast, 100, 7, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_EQ(0, count(&self->d));
	/* Nobody on VLAN 9 from the uplink and no promiscuous VIF: dropped. */
	ASSERT_EQ(0, np_classify_del(self->cls, 100));
	EXPECT_FALSE(classify(self->cls, bcast, UPLINK, 9, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
	/* A lone VIF's broadcast still goes to the uplink. */
	ASSERT_TRUE(classify(self->cls, bcast, 6, 5, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_EQ(1, count(&self->d));
}

TEST_F(cls, multicast_filters_and_allmulti)
{
	u8 many[NP_MCAST_MAX + 1][6];
	unsigned int i;

	ASSERT_EQ(0, add(self->cls, 1, 1, NOVLAN, 0));
	ASSERT_EQ(0, add(self->cls, 2, 2, NOVLAN, 0));
	ASSERT_EQ(0, add(self->cls, 3, 3, NOVLAN, NP_RX_ALLMULTI));
	ASSERT_EQ(0, add(self->cls, 4, 4, 8, NP_RX_ALLMULTI));
	ASSERT_EQ(0, np_classify_set_mcast(self->cls, 1, &mc1, 1));
	/* mc1: VIF 1 by its filter, VIF 3 by all-multicast; not 2 nor 4. */
	ASSERT_TRUE(classify(self->cls, mc1, UPLINK, -1, &self->d));
	EXPECT_EQ(2, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 1));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 3));
	ASSERT_TRUE(classify(self->cls, mc2, UPLINK, -1, &self->d));
	EXPECT_EQ(1, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 3));
	/* From VIF 3: uplink and VIF 1. */
	ASSERT_TRUE(classify(self->cls, mc1, 3, -1, &self->d));
	EXPECT_TRUE(self->d.uplink);
	EXPECT_EQ(1, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 1));
	/* More addresses than the filter holds: all-multicast. */
	for (i = 0; i <= NP_MCAST_MAX; i++) {
		memcpy(many[i], mc1, 6);
		many[i][5] = 0x80 + i;
	}
	ASSERT_EQ(0, np_classify_set_mcast(self->cls, 2, many, NP_MCAST_MAX + 1));
	ASSERT_TRUE(classify(self->cls, mc2, UPLINK, -1, &self->d));
	EXPECT_EQ(2, count(&self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 2));
	/* Back to a filter of NP_MCAST_MAX: exact again. */
	ASSERT_EQ(0, np_classify_set_mcast(self->cls, 2, many, NP_MCAST_MAX));
	ASSERT_TRUE(classify(self->cls, mc2, UPLINK, -1, &self->d));
	EXPECT_FALSE(np_vifset_has(&self->d.vifs, 2));
	ASSERT_TRUE(classify(self->cls, many[NP_MCAST_MAX - 1], UPLINK, -1,
			     &self->d));
	EXPECT_TRUE(np_vifset_has(&self->d.vifs, 2));
	ASSERT_TRUE(classify(self->cls, many[NP_MCAST_MAX], UPLINK, -1, &self->d));
	EXPECT_FALSE(np_vifset_has(&self->d.vifs, 2));
	/* Nobody listens to mc2 on VLAN 9. */
	EXPECT_FALSE(classify(self->cls, mc2, UPLINK, 9, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
	/* Unicast addresses are refused in a filter. */
	EXPECT_EQ(-EINVAL, np_classify_set_mcast(self->cls, 1,
			   (const u8 (*)[6])mac(5), 1));
	EXPECT_EQ(-ENOENT, np_classify_set_mcast(self->cls, 50, &mc1, 1));
	EXPECT_EQ(-EINVAL, np_classify_set_mcast(self->cls, NP_MAX_VIFS, &mc1, 1));
}

TEST_F(cls, source_exclusion)
{
	ASSERT_EQ(0, add(self->cls, 5, 5, NOVLAN, NP_RX_PROMISC | NP_RX_BROADCAST |
			 NP_RX_ALLMULTI));
	/* A VIF's frame to its own address: filtered, not hairpinned. */
	EXPECT_FALSE(classify(self->cls, mac(5), 5, -1, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
	ASSERT_TRUE(classify(self->cls, bcast, 5, -1, &self->d));
	EXPECT_EQ(0, count(&self->d));
	ASSERT_TRUE(classify(self->cls, mc2, 5, -1, &self->d));
	EXPECT_EQ(0, count(&self->d));
	EXPECT_TRUE(self->d.uplink);
	/* A frame from a VIF that does not exist. */
	EXPECT_FALSE(classify(self->cls, bcast, 6, -1, &self->d));
	EXPECT_EQ(NP_DROP_FILTERED, self->d.reason);
}

TEST_F(cls, malformed)
{
	u8 buf[64];
	u32 len;

	ASSERT_EQ(0, add(self->cls, 1, 1, NOVLAN, NP_RX_PROMISC));
	len = frame(buf, mac(1), ext, -1);
	EXPECT_TRUE(np_classify(self->cls, buf, NP_ETH_HLEN, UPLINK, &self->d));
	for (len = 0; len < NP_ETH_HLEN; len++) {
		EXPECT_FALSE(np_classify(self->cls, buf, len, UPLINK, &self->d));
		EXPECT_EQ(NP_DROP_MALFORMED, self->d.reason);
	}
	/* A tag cut short. */
	len = frame(buf, mac(1), ext, 0);
	EXPECT_FALSE(np_classify(self->cls, buf, 17, UPLINK, &self->d));
	EXPECT_EQ(NP_DROP_MALFORMED, self->d.reason);
	EXPECT_TRUE(np_classify(self->cls, buf, 18, UPLINK, &self->d));
	/* The reserved VLAN id. */
	len = frame(buf, mac(1), ext, 4095);
	EXPECT_FALSE(np_classify(self->cls, buf, len, UPLINK, &self->d));
	EXPECT_EQ(NP_DROP_MALFORMED, self->d.reason);
	/* A multicast source address. */
	len = frame(buf, mac(1), mc1, -1);
	EXPECT_FALSE(np_classify(self->cls, buf, len, UPLINK, &self->d));
	EXPECT_EQ(NP_DROP_MALFORMED, self->d.reason);
	EXPECT_FALSE(np_classify(self->cls, buf, len, 1, &self->d));
	EXPECT_EQ(NP_DROP_MALFORMED, self->d.reason);
}

TEST_F(cls, configuration_errors)
{
	struct np_vif_cfg cfg = { .vlan = NOVLAN, .mtu = 1500 };

	memcpy(cfg.mac, mac(1), 6);
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, NP_MAX_VIFS, &cfg));
	cfg.mac[0] = 0x03;	/* multicast */
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, 0, &cfg));
	memset(cfg.mac, 0, 6);
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, 0, &cfg));
	memcpy(cfg.mac, mac(1), 6);
	cfg.vlan = 0;
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, 0, &cfg));
	cfg.vlan = 4095;
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, 0, &cfg));
	cfg.vlan = 4094;
	cfg.rx_mode = 8;
	EXPECT_EQ(-EINVAL, np_classify_add(self->cls, 0, &cfg));
	cfg.rx_mode = NP_RX_MODES;
	EXPECT_EQ(0, np_classify_add(self->cls, 0, &cfg));
	EXPECT_EQ(-EEXIST, np_classify_add(self->cls, 0, &cfg));
	EXPECT_EQ(-EADDRINUSE, np_classify_add(self->cls, 1, &cfg));
	cfg.vlan = 1;
	EXPECT_EQ(0, np_classify_add(self->cls, 1, &cfg));
	EXPECT_EQ(2, self->cls->nr_vifs);
	/* set: to VIF 1's key is taken; to its own key is fine. */
	cfg.vlan = 4094;
	EXPECT_EQ(-EADDRINUSE, np_classify_set(self->cls, 1, &cfg));
	EXPECT_EQ(0, np_classify_set(self->cls, 0, &cfg));
	EXPECT_EQ(-ENOENT, np_classify_set(self->cls, 2, &cfg));
	EXPECT_EQ(-ENOENT, np_classify_del(self->cls, 2));
	EXPECT_EQ(-EINVAL, np_classify_del(self->cls, NP_MAX_VIFS));
	EXPECT_EQ(0, np_classify_del(self->cls, 0));
	EXPECT_EQ(-ENOENT, np_classify_del(self->cls, 0));
	EXPECT_EQ(1, self->cls->nr_vifs);
}

TEST_F(cls, set_moves_address_vlan_and_modes)
{
	struct np_vif_cfg cfg = { .vlan = 7, .mtu = 1500,
				  .rx_mode = NP_RX_BROADCAST };

	ASSERT_EQ(0, add(self->cls, 1, 1, NOVLAN, 0));
	ASSERT_TRUE(classify(self->cls, mac(1), UPLINK, -1, &self->d));
	memcpy(cfg.mac, mac(11), 6);
	ASSERT_EQ(0, np_classify_set(self->cls, 1, &cfg));
	EXPECT_FALSE(classify(self->cls, mac(1), UPLINK, -1, &self->d));
	ASSERT_TRUE(classify(self->cls, mac(11), UPLINK, 7, &self->d));
	EXPECT_EQ(1, self->d.vif);
	ASSERT_TRUE(classify(self->cls, bcast, UPLINK, 7, &self->d));
	EXPECT_EQ(1, count(&self->d));
	EXPECT_FALSE(classify(self->cls, bcast, UPLINK, -1, &self->d));
}

/*
 * Random adds, changes and removals against a reference array; every key
 * looked up after each step.  Exercises the backward shift of deletions
 * with clusters (the keys differ in one byte).
 */
TEST_F(cls, table_matches_reference)
{
	struct { bool used; unsigned int id; u16 vlan; } ref[NP_MAX_VIFS] = {};
	unsigned int seed = 7, step, v, w;
	u16 vlan;

	for (step = 0; step < 20000; step++) {
		seed = seed * 1103515245 + 12345;
		v = (seed >> 8) % NP_MAX_VIFS;
		vlan = (seed >> 20) % 3 ? NOVLAN : 1 + (seed >> 22) % 3;
		if (ref[v].used && (seed >> 16) % 2) {
			ASSERT_EQ(0, np_classify_del(self->cls, v));
			ref[v].used = false;
			EXPECT_FALSE(classify(self->cls, mac(ref[v].id), UPLINK,
					      ref[v].vlan == NOVLAN ? -1 : ref[v].vlan,
					      &self->d));
		} else if (!ref[v].used) {
			unsigned int id = (seed >> 12) % 600;
			bool taken = false;
			int err = add(self->cls, v, id, vlan, 0);

			for (w = 0; w < NP_MAX_VIFS; w++)
				taken |= ref[w].used && ref[w].id == id &&
					 ref[w].vlan == vlan;
			ASSERT_EQ(taken ? -EADDRINUSE : 0, err);
			if (!err)
				ref[v] = (typeof(ref[v])){ true, id, vlan };
		}
		for (w = 0; w < NP_MAX_VIFS; w++) {
			if (!ref[w].used)
				continue;
			ASSERT_TRUE(classify(self->cls, mac(ref[w].id), UPLINK,
					     ref[w].vlan == NOVLAN ? -1 : ref[w].vlan,
					     &self->d));
			ASSERT_EQ(w, self->d.vif) TH_LOG("step %u", step);
		}
	}
}

TEST_HARNESS_MAIN
