/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_classify_cases.h - the hand-written cases of the NP classify stage
 * (np_classify.c), run by its KUnit suite (np_classify_test.c, beside it)
 * and its native test (tools/testing/native/np_classify_test.c): unicast,
 * VLANs, broadcast, multicast filters and all-multicast, promiscuous VIFs,
 * unknown unicast both ways, source exclusion, malformed frames,
 * configuration errors.  The random comparison of the forwarding table with
 * a reference is the native test's own; it uses the helpers below
 * (np_clsc_*()) for it too.
 *
 * Written against vcore_case.h's CASE_*(), which the including harness
 * defines; included once, by a test, after the errno values and after its
 * np_clsc_alloc(): a zeroed struct np_classify that lives as long as the
 * case (it is too big for kmalloc()), or NULL.
 */
#ifndef _NP_CLASSIFY_CASES_H
#define _NP_CLASSIFY_CASES_H

#include "vcore_case.h"
#include "np_classify.h"

static const u8 np_clsc_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 np_clsc_mc1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const u8 np_clsc_mc2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 };
static const u8 np_clsc_ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };

static struct np_classify *np_clsc_new(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_alloc(ctx);

	CASE_ASSERT_NOT_NULL(ctx, cls);
	np_classify_init(cls);
	return cls;
}

/* A locally administered unicast address per id (the last 8 stay valid). */
static const u8 *np_clsc_mac(unsigned int id)
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

/* A 64-byte frame from @src to @dst, tagged with @vid unless it is -1. */
static u32 np_clsc_frame(u8 *buf, const u8 *dst, const u8 *src, int vid)
{
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
	return 64;
}

/* VIF @vif with address np_clsc_mac(@id). */
static int np_clsc_add(struct np_classify *cls, unsigned int vif,
		       unsigned int id, u16 vlan, u16 mode)
{
	struct np_vif_cfg cfg = { .vlan = vlan, .mtu = 1500, .rx_mode = mode };

	memcpy(cfg.mac, np_clsc_mac(id), 6);
	return np_classify_add(cls, vif, &cfg);
}

static unsigned int np_clsc_count(const struct np_dest *d)
{
	unsigned int v, n = 0;

	for (v = np_vifset_next(&d->vifs, 0); v < NP_MAX_VIFS;
	     v = np_vifset_next(&d->vifs, v + 1))
		n++;
	return n;
}

/* Classify a frame to @dst from @src (VIF @src's address, or the uplink's). */
static bool np_clsc_run(struct np_classify *cls, const u8 *dst,
			unsigned int src, int vid, struct np_dest *d)
{
	u8 buf[64];
	u32 len = np_clsc_frame(buf, dst, src == NP_SRC_UPLINK ? np_clsc_ext :
				np_clsc_mac(src), vid);

	return np_classify(cls, buf, len, src, d);
}

/* Unicast by address and VLAN; a VIF sends on its VLAN only. */
static void np_cls_case_unicast_vlan(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;

	CASE_ASSERT_EQ(ctx, np_clsc_add(cls, 1, 1, NP_VLAN_NONE, 0), 0);
	CASE_ASSERT_EQ(ctx, np_clsc_add(cls, 2, 2, 10, 0), 0);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(1), NP_SRC_UPLINK,
					  -1, &d));
	CASE_EXPECT_EQ(ctx, d.vif, 1);
	CASE_EXPECT_FALSE(ctx, d.multi);
	/* VIF 1's address on VLAN 10 is nobody's. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(1), NP_SRC_UPLINK,
					   10, &d));
	CASE_EXPECT_EQ(ctx, d.reason, NP_DROP_FILTERED);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(2), NP_SRC_UPLINK,
					  10, &d));
	CASE_EXPECT_EQ(ctx, d.vif, 2);
	/* VIF 2 sends on VLAN 10 only; unknown unicast goes to the uplink. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_ext, 2, -1, &d));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_ext, 2, 10, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, d.vif, NP_VIF_NONE);
}

/* Broadcast to the 66 of 100 VIFs that take it. */
static void np_cls_case_broadcast(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	unsigned int v;

	for (v = 0; v < 100; v++)
		CASE_ASSERT_EQ(ctx, np_clsc_add(cls, v, v, NP_VLAN_NONE,
						v % 3 ? NP_RX_BROADCAST : 0),
			       0);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK,
					  -1, &d));
	CASE_EXPECT_EQ(ctx, np_clsc_count(&d), 66U);
	CASE_EXPECT_FALSE(ctx, d.uplink);
	/* From VIF 1: the uplink and the 65 others. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, 1, -1, &d));
	CASE_EXPECT_EQ(ctx, np_clsc_count(&d), 65U);
	CASE_EXPECT_FALSE(ctx, np_vifset_has(&d.vifs, 1));
	CASE_EXPECT_TRUE(ctx, d.uplink);
}

static void np_cls_case_unicast_from_uplink_and_between_vifs(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 3, 3, NP_VLAN_NONE, 0));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 200, 200, NP_VLAN_NONE, 0));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(3), NP_SRC_UPLINK,
					  -1, &d));
	CASE_EXPECT_FALSE(ctx, d.multi);
	CASE_EXPECT_FALSE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 3, d.vif);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(200), 3, -1, &d));
	CASE_EXPECT_EQ(ctx, 200, d.vif);
	CASE_EXPECT_FALSE(ctx, d.uplink);
	/* A priority tag (VLAN id 0) is untagged. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(3), NP_SRC_UPLINK, 0,
					  &d));
	CASE_EXPECT_EQ(ctx, 3, d.vif);
}

static void np_cls_case_unknown_unicast(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 1, 1, NP_VLAN_NONE,
					   NP_RX_BROADCAST));
	/* From a VIF: to the uplink only. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_ext, 1, -1, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_FALSE(ctx, d.multi);
	CASE_EXPECT_EQ(ctx, NP_VIF_NONE, d.vif);
	/* From the uplink, no promiscuous VIF: dropped, filtered. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_ext, NP_SRC_UPLINK, -1,
					   &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
	/* With promiscuous VIFs: to them only, whatever their VLAN. */
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 7, 7, NP_VLAN_NONE,
					   NP_RX_PROMISC));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 9, 9, 100, NP_RX_PROMISC));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_ext, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_TRUE(ctx, d.multi);
	CASE_EXPECT_FALSE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 2, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 7));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 9));
	/* Unknown unicast from a VIF still goes to the uplink only. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_ext, 1, -1, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_FALSE(ctx, d.multi);
}

static void np_cls_case_vlans_separate_same_address(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	struct np_vif_cfg cfg = { .vlan = 20, .mtu = 1500 };

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 1, 42, 10, 0));
	memcpy(cfg.mac, np_clsc_mac(42), 6);
	CASE_ASSERT_EQ(ctx, 0, np_classify_add(cls, 2, &cfg));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 3, 42, NP_VLAN_NONE, 0));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(42), NP_SRC_UPLINK,
					  10, &d));
	CASE_EXPECT_EQ(ctx, 1, d.vif);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(42), NP_SRC_UPLINK,
					  20, &d));
	CASE_EXPECT_EQ(ctx, 2, d.vif);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(42), NP_SRC_UPLINK,
					  -1, &d));
	CASE_EXPECT_EQ(ctx, 3, d.vif);
	/* No VIF of that address on VLAN 30. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(42), NP_SRC_UPLINK,
					   30, &d));
	/* A VIF sends only on its own VLAN. */
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 4, 4, 10, 0));
	CASE_EXPECT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(42), 4, 10, &d));
	CASE_EXPECT_EQ(ctx, 1, d.vif);
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(42), 4, 20, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(42), 4, -1, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
}

static void
np_cls_case_broadcast_replicated_within_vlan_never_to_source(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	unsigned int v;

	for (v = 0; v < 10; v++)
		CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, v, v,
						   v < 6 ? NP_VLAN_NONE : 5,
						   v % 2 ? 0 :
						   NP_RX_BROADCAST));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 100, 100, 7, NP_RX_PROMISC));
	/* From the uplink, untagged: VIFs 0, 2, 4 and the promiscuous one. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_TRUE(ctx, d.multi);
	CASE_EXPECT_FALSE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 4, np_clsc_count(&d));
	for (v = 0; v < 6; v++)
		CASE_EXPECT_EQ(ctx, !(v % 2), np_vifset_has(&d.vifs, v));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 100));
	/* From VIF 2: the uplink, 0, 4 and the promiscuous one, not 2. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, 2, -1, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 3, np_clsc_count(&d));
	CASE_EXPECT_FALSE(ctx, np_vifset_has(&d.vifs, 2));
	/* On VLAN 5: VIFs 6 and 8. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK, 5,
					  &d));
	CASE_EXPECT_EQ(ctx, 3, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 6));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 8));
	/* The promiscuous VIF's own broadcast: not back to it. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, 100, 7, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 0, np_clsc_count(&d));
	/* Nobody on VLAN 9 from the uplink and no promiscuous VIF: dropped. */
	CASE_ASSERT_EQ(ctx, 0, np_classify_del(cls, 100));
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK, 9,
					   &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
	/* A lone VIF's broadcast still goes to the uplink. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, 6, 5, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 1, np_clsc_count(&d));
}

static void np_cls_case_multicast_filters_and_allmulti(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	u8 many[NP_MCAST_MAX + 1][6];
	unsigned int i;

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 1, 1, NP_VLAN_NONE, 0));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 2, 2, NP_VLAN_NONE, 0));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 3, 3, NP_VLAN_NONE,
					   NP_RX_ALLMULTI));
	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 4, 4, 8, NP_RX_ALLMULTI));
	CASE_ASSERT_EQ(ctx, 0, np_classify_set_mcast(cls, 1, &np_clsc_mc1, 1));
	/* mc1: VIF 1 by its filter, VIF 3 by all-multicast; not 2 nor 4. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc1, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_EQ(ctx, 2, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 1));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 3));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc2, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_EQ(ctx, 1, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 3));
	/* From VIF 3: uplink and VIF 1. */
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc1, 3, -1, &d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	CASE_EXPECT_EQ(ctx, 1, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 1));
	/* More addresses than the filter holds: all-multicast. */
	for (i = 0; i <= NP_MCAST_MAX; i++) {
		memcpy(many[i], np_clsc_mc1, 6);
		many[i][5] = 0x80 + i;
	}
	CASE_ASSERT_EQ(ctx, 0, np_classify_set_mcast(cls, 2, many,
						     NP_MCAST_MAX + 1));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc2, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_EQ(ctx, 2, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 2));
	/* Back to a filter of NP_MCAST_MAX: exact again. */
	CASE_ASSERT_EQ(ctx, 0, np_classify_set_mcast(cls, 2, many,
						     NP_MCAST_MAX));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc2, NP_SRC_UPLINK, -1,
					  &d));
	CASE_EXPECT_FALSE(ctx, np_vifset_has(&d.vifs, 2));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, many[NP_MCAST_MAX - 1],
					  NP_SRC_UPLINK, -1, &d));
	CASE_EXPECT_TRUE(ctx, np_vifset_has(&d.vifs, 2));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, many[NP_MCAST_MAX],
					  NP_SRC_UPLINK, -1, &d));
	CASE_EXPECT_FALSE(ctx, np_vifset_has(&d.vifs, 2));
	/* Nobody listens to mc2 on VLAN 9. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mc2, NP_SRC_UPLINK, 9,
					   &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
	/* Unicast addresses are refused in a filter. */
	CASE_EXPECT_EQ(ctx, -EINVAL,
		       np_classify_set_mcast(cls, 1,
					     (const u8 (*)[6])np_clsc_mac(5), 1));
	CASE_EXPECT_EQ(ctx, -ENOENT, np_classify_set_mcast(cls, 50,
							   &np_clsc_mc1, 1));
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_set_mcast(cls, NP_MAX_VIFS,
							   &np_clsc_mc1, 1));
}

static void np_cls_case_source_exclusion(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 5, 5, NP_VLAN_NONE,
					   NP_RX_PROMISC | NP_RX_BROADCAST |
					   NP_RX_ALLMULTI));
	/* A VIF's frame to its own address: filtered, not hairpinned. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(5), 5, -1, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, 5, -1, &d));
	CASE_EXPECT_EQ(ctx, 0, np_clsc_count(&d));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mc2, 5, -1, &d));
	CASE_EXPECT_EQ(ctx, 0, np_clsc_count(&d));
	CASE_EXPECT_TRUE(ctx, d.uplink);
	/* A frame from a VIF that does not exist. */
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_bcast, 6, -1, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_FILTERED, d.reason);
}

static void np_cls_case_malformed(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	u8 buf[64];
	u32 len;

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 1, 1, NP_VLAN_NONE,
					   NP_RX_PROMISC));
	np_clsc_frame(buf, np_clsc_mac(1), np_clsc_ext, -1);
	CASE_EXPECT_TRUE(ctx, np_classify(cls, buf, NP_ETH_HLEN, NP_SRC_UPLINK,
					  &d));
	for (len = 0; len < NP_ETH_HLEN; len++) {
		CASE_EXPECT_FALSE(ctx, np_classify(cls, buf, len, NP_SRC_UPLINK,
						   &d));
		CASE_EXPECT_EQ(ctx, NP_DROP_MALFORMED, d.reason);
	}
	/* A tag cut short, anywhere. */
	np_clsc_frame(buf, np_clsc_mac(1), np_clsc_ext, 0);
	for (len = NP_ETH_HLEN; len < 18; len++) {
		CASE_EXPECT_FALSE(ctx, np_classify(cls, buf, len, NP_SRC_UPLINK,
						   &d));
		CASE_EXPECT_EQ(ctx, NP_DROP_MALFORMED, d.reason);
	}
	CASE_EXPECT_TRUE(ctx, np_classify(cls, buf, 18, NP_SRC_UPLINK, &d));
	/* The reserved VLAN id. */
	len = np_clsc_frame(buf, np_clsc_mac(1), np_clsc_ext, 4095);
	CASE_EXPECT_FALSE(ctx, np_classify(cls, buf, len, NP_SRC_UPLINK, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_MALFORMED, d.reason);
	/* A multicast source address. */
	len = np_clsc_frame(buf, np_clsc_mac(1), np_clsc_mc1, -1);
	CASE_EXPECT_FALSE(ctx, np_classify(cls, buf, len, NP_SRC_UPLINK, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_MALFORMED, d.reason);
	CASE_EXPECT_FALSE(ctx, np_classify(cls, buf, len, 1, &d));
	CASE_EXPECT_EQ(ctx, NP_DROP_MALFORMED, d.reason);
}

static void np_cls_case_configuration_errors(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_vif_cfg cfg = { .vlan = NP_VLAN_NONE, .mtu = 1500 };

	memcpy(cfg.mac, np_clsc_mac(1), 6);
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, NP_MAX_VIFS, &cfg));
	cfg.mac[0] = 0x03;	/* multicast */
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	memset(cfg.mac, 0, 6);
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	memcpy(cfg.mac, np_clsc_mac(1), 6);
	cfg.vlan = 0;
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	cfg.vlan = 4095;
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	cfg.vlan = 4094;
	cfg.rx_mode = 8;
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	cfg.rx_mode = 0x80;
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_add(cls, 0, &cfg));
	cfg.rx_mode = NP_RX_MODES;
	CASE_EXPECT_EQ(ctx, 0, np_classify_add(cls, 0, &cfg));
	CASE_EXPECT_EQ(ctx, -EEXIST, np_classify_add(cls, 0, &cfg));
	CASE_EXPECT_EQ(ctx, -EADDRINUSE, np_classify_add(cls, 1, &cfg));
	cfg.vlan = 1;
	CASE_EXPECT_EQ(ctx, 0, np_classify_add(cls, 1, &cfg));
	CASE_EXPECT_EQ(ctx, 2, cls->nr_vifs);
	/* set: to VIF 1's key is taken; to its own key is fine. */
	cfg.vlan = 4094;
	CASE_EXPECT_EQ(ctx, -EADDRINUSE, np_classify_set(cls, 1, &cfg));
	CASE_EXPECT_EQ(ctx, 0, np_classify_set(cls, 0, &cfg));
	CASE_EXPECT_EQ(ctx, -ENOENT, np_classify_set(cls, 2, &cfg));
	CASE_EXPECT_EQ(ctx, -ENOENT, np_classify_del(cls, 2));
	CASE_EXPECT_EQ(ctx, -EINVAL, np_classify_del(cls, NP_MAX_VIFS));
	CASE_EXPECT_EQ(ctx, 0, np_classify_del(cls, 0));
	CASE_EXPECT_EQ(ctx, -ENOENT, np_classify_del(cls, 0));
	CASE_EXPECT_EQ(ctx, 1, cls->nr_vifs);
}

static void np_cls_case_set_moves_address_vlan_and_modes(struct vcore_case_ctx *ctx)
{
	struct np_classify *cls = np_clsc_new(ctx);
	struct np_dest d;
	struct np_vif_cfg cfg = { .vlan = 7, .mtu = 1500,
				  .rx_mode = NP_RX_BROADCAST };

	CASE_ASSERT_EQ(ctx, 0, np_clsc_add(cls, 1, 1, NP_VLAN_NONE, 0));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(1), NP_SRC_UPLINK,
					  -1, &d));
	memcpy(cfg.mac, np_clsc_mac(11), 6);
	CASE_ASSERT_EQ(ctx, 0, np_classify_set(cls, 1, &cfg));
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_mac(1), NP_SRC_UPLINK,
					   -1, &d));
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_mac(11), NP_SRC_UPLINK,
					  7, &d));
	CASE_EXPECT_EQ(ctx, 1, d.vif);
	CASE_ASSERT_TRUE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK, 7,
					  &d));
	CASE_EXPECT_EQ(ctx, 1, np_clsc_count(&d));
	CASE_EXPECT_FALSE(ctx, np_clsc_run(cls, np_clsc_bcast, NP_SRC_UPLINK,
					   -1, &d));
}

#define NP_CLS_CASE(name)	{ #name, np_cls_case_##name }

static const struct vcore_case np_classify_cases[] = {
	NP_CLS_CASE(unicast_vlan),
	NP_CLS_CASE(unicast_from_uplink_and_between_vifs),
	NP_CLS_CASE(unknown_unicast),
	NP_CLS_CASE(vlans_separate_same_address),
	NP_CLS_CASE(broadcast),
	NP_CLS_CASE(broadcast_replicated_within_vlan_never_to_source),
	NP_CLS_CASE(multicast_filters_and_allmulti),
	NP_CLS_CASE(source_exclusion),
	NP_CLS_CASE(malformed),
	NP_CLS_CASE(configuration_errors),
	NP_CLS_CASE(set_moves_address_vlan_and_modes),
};

#endif /* _NP_CLASSIFY_CASES_H */
