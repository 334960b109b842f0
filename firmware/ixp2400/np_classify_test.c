// SPDX-License-Identifier: GPL-2.0
/*
 * np_classify_test.c - KUnit tests of the NP classify stage in the kernel;
 * more cases and a random comparison of the forwarding table with a
 * reference run natively (tools/testing/native/np_classify_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_classify.c"

static const u8 np_cls_test_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 np_cls_test_mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const u8 np_cls_test_ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };

KUNIT_DEFINE_ACTION_WRAPPER(np_cls_test_vfree, vfree, const void *);

static struct np_classify *np_cls_test_new(struct kunit *test)
{
	struct np_classify *cls = vzalloc(sizeof(*cls));

	KUNIT_ASSERT_NOT_NULL(test, cls);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, np_cls_test_vfree,
							cls), 0);
	np_classify_init(cls);
	return cls;
}

static void np_cls_test_mac(u8 *mac, unsigned int id)
{
	static const u8 base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = id >> 8;
	mac[5] = id;
}

static int np_cls_test_add(struct np_classify *cls, unsigned int vif,
			   u16 vlan, u16 mode)
{
	struct np_vif_cfg cfg = { .vlan = vlan, .mtu = 1500, .rx_mode = mode };

	np_cls_test_mac(cfg.mac, vif);
	return np_classify_add(cls, vif, &cfg);
}

/* Classify a 64-byte frame to @dst from @src (tagged unless @vid < 0). */
static bool np_cls_test_run(struct np_classify *cls, const u8 *dst,
			    unsigned int src, int vid, struct np_dest *d)
{
	u8 buf[64] = {};

	memcpy(buf, dst, 6);
	if (src == NP_SRC_UPLINK)
		memcpy(buf + 6, np_cls_test_ext, 6);
	else
		np_cls_test_mac(buf + 6, src);
	if (vid >= 0) {
		buf[12] = 0x81;
		buf[14] = vid >> 8;
		buf[15] = vid;
	}
	return np_classify(cls, buf, sizeof(buf), src, d);
}

static unsigned int np_cls_test_count(const struct np_dest *d)
{
	unsigned int v, n = 0;

	for (v = np_vifset_next(&d->vifs, 0); v < NP_MAX_VIFS;
	     v = np_vifset_next(&d->vifs, v + 1))
		n++;
	return n;
}

static void np_cls_test_unicast_vlan(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	struct np_dest d;
	u8 mac[6];

	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 1, NP_VLAN_NONE, 0), 0);
	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 2, 10, 0), 0);
	np_cls_test_mac(mac, 1);
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, mac, NP_SRC_UPLINK, -1, &d));
	KUNIT_EXPECT_EQ(test, d.vif, 1);
	KUNIT_EXPECT_FALSE(test, d.multi);
	/* VIF 1's address on VLAN 10 is nobody's. */
	KUNIT_EXPECT_FALSE(test, np_cls_test_run(cls, mac, NP_SRC_UPLINK, 10, &d));
	KUNIT_EXPECT_EQ(test, d.reason, NP_DROP_FILTERED);
	np_cls_test_mac(mac, 2);
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, mac, NP_SRC_UPLINK, 10, &d));
	KUNIT_EXPECT_EQ(test, d.vif, 2);
	/* VIF 2 sends on VLAN 10 only; unknown unicast goes to the uplink. */
	KUNIT_EXPECT_FALSE(test, np_cls_test_run(cls, np_cls_test_ext, 2, -1, &d));
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, np_cls_test_ext, 2, 10, &d));
	KUNIT_EXPECT_TRUE(test, d.uplink);
	KUNIT_EXPECT_EQ(test, d.vif, NP_VIF_NONE);
}

static void np_cls_test_broadcast(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	struct np_dest d;
	unsigned int v;

	for (v = 0; v < 100; v++)
		KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, v, NP_VLAN_NONE,
						      v % 3 ? NP_RX_BROADCAST : 0), 0);
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, np_cls_test_bcast,
						NP_SRC_UPLINK, -1, &d));
	KUNIT_EXPECT_EQ(test, np_cls_test_count(&d), 66U);
	KUNIT_EXPECT_FALSE(test, d.uplink);
	/* From VIF 1: the uplink and the 65 others. */
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, np_cls_test_bcast, 1, -1, &d));
	KUNIT_EXPECT_EQ(test, np_cls_test_count(&d), 65U);
	KUNIT_EXPECT_FALSE(test, np_vifset_has(&d.vifs, 1));
	KUNIT_EXPECT_TRUE(test, d.uplink);
}

static void np_cls_test_multicast(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	struct np_dest d;

	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 1, NP_VLAN_NONE, 0), 0);
	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 2, NP_VLAN_NONE, 0), 0);
	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 3, NP_VLAN_NONE,
					      NP_RX_ALLMULTI), 0);
	KUNIT_ASSERT_EQ(test, np_classify_set_mcast(cls, 2, &np_cls_test_mc, 1), 0);
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, np_cls_test_mc,
						NP_SRC_UPLINK, -1, &d));
	KUNIT_EXPECT_EQ(test, np_cls_test_count(&d), 2U);
	KUNIT_EXPECT_TRUE(test, np_vifset_has(&d.vifs, 2));
	KUNIT_EXPECT_TRUE(test, np_vifset_has(&d.vifs, 3));
	KUNIT_EXPECT_EQ(test, np_classify_set_mcast(cls, 2,
			(const u8 (*)[6])np_cls_test_ext, 1), -EINVAL);
}

static void np_cls_test_promisc_unknown(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	struct np_dest d;

	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 1, NP_VLAN_NONE, 0), 0);
	KUNIT_EXPECT_FALSE(test, np_cls_test_run(cls, np_cls_test_ext,
						 NP_SRC_UPLINK, -1, &d));
	KUNIT_EXPECT_EQ(test, d.reason, NP_DROP_FILTERED);
	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 9, 33, NP_RX_PROMISC), 0);
	KUNIT_ASSERT_TRUE(test, np_cls_test_run(cls, np_cls_test_ext,
						NP_SRC_UPLINK, -1, &d));
	KUNIT_EXPECT_EQ(test, np_cls_test_count(&d), 1U);
	KUNIT_EXPECT_TRUE(test, np_vifset_has(&d.vifs, 9));
}

static void np_cls_test_malformed(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	u8 buf[18] = { 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x81, 0 };
	struct np_dest d;
	u32 len;

	KUNIT_ASSERT_EQ(test, np_cls_test_add(cls, 1, NP_VLAN_NONE, 0), 0);
	for (len = 0; len < sizeof(buf); len++) {
		KUNIT_EXPECT_FALSE(test, np_classify(cls, buf, len, NP_SRC_UPLINK,
						     &d));
		KUNIT_EXPECT_EQ(test, d.reason, NP_DROP_MALFORMED);
	}
	KUNIT_EXPECT_TRUE(test, np_classify(cls, buf, 18, NP_SRC_UPLINK, &d));
}

static void np_cls_test_config(struct kunit *test)
{
	struct np_classify *cls = np_cls_test_new(test);
	struct np_vif_cfg cfg = { .vlan = NP_VLAN_NONE, .mtu = 1500 };

	np_cls_test_mac(cfg.mac, 1);
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, NP_MAX_VIFS, &cfg), -EINVAL);
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, 1, &cfg), 0);
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, 1, &cfg), -EEXIST);
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, 2, &cfg), -EADDRINUSE);
	cfg.vlan = 4095;
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, 2, &cfg), -EINVAL);
	cfg.vlan = 5;
	cfg.rx_mode = 0x80;
	KUNIT_EXPECT_EQ(test, np_classify_add(cls, 2, &cfg), -EINVAL);
	KUNIT_EXPECT_EQ(test, np_classify_del(cls, 2), -ENOENT);
	KUNIT_EXPECT_EQ(test, np_classify_del(cls, 1), 0);
	KUNIT_EXPECT_EQ(test, cls->nr_vifs, 0U);
}

static struct kunit_case np_cls_test_cases[] = {
	KUNIT_CASE(np_cls_test_unicast_vlan),
	KUNIT_CASE(np_cls_test_broadcast),
	KUNIT_CASE(np_cls_test_multicast),
	KUNIT_CASE(np_cls_test_promisc_unknown),
	KUNIT_CASE(np_cls_test_malformed),
	KUNIT_CASE(np_cls_test_config),
	{}
};

static struct kunit_suite np_cls_test_suite = {
	.name = "np_classify",
	.test_cases = np_cls_test_cases,
};
kunit_test_suite(np_cls_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP classify stage");
MODULE_LICENSE("GPL");
