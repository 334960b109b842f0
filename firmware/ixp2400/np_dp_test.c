// SPDX-License-Identifier: GPL-2.0
/*
 * np_dp_test.c - KUnit tests of the NP data plane pipeline in the kernel:
 * replication, drops, DRR fairness, rate limits, notifications and VIF
 * removal, with every frame accounted for; more cases run natively
 * (tools/testing/native/np_dp_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"
#include "np_sched.c"
#include "np_classify.c"
#include "np_notify.c"
#include "np_dp.c"

#define NP_DP_TEST_POOL		1024
#define NP_DP_TEST_SLOTS	64

struct np_dp_test {
	struct np_dp *dp;
	struct np_frame fr[NP_DP_TEST_POOL];
	u8 buf[NP_DP_TEST_POOL][32];
	u16 free[NP_DP_TEST_POOL];
	unsigned int nfree;
	unsigned int bad;		/* frames given back twice or foreign */
	unsigned int clones, drops, xmits;
	unsigned int notified[NP_MAX_VIFS];
	u64 sent[NP_MAX_VIFS];		/* bytes to the uplink, by source */
};

static const u8 np_dp_test_ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };
static const u8 np_dp_test_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void np_dp_test_mac(u8 *mac, unsigned int id)
{
	static const u8 base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = id >> 8;
	mac[5] = id;
}

static struct np_frame *np_dp_test_get(struct np_dp_test *t, const u8 *dst,
				       unsigned int src, u32 len)
{
	unsigned int i = t->free[--t->nfree];

	memset(t->buf[i], 0, sizeof(t->buf[i]));
	memcpy(t->buf[i], dst, 6);
	if (src == NP_SRC_UPLINK)
		memcpy(t->buf[i] + 6, np_dp_test_ext, 6);
	else
		np_dp_test_mac(t->buf[i] + 6, src);
	t->fr[i] = (struct np_frame){ .data = t->buf[i], .len = len,
					.priv = (void *)(uintptr_t)src };
	return &t->fr[i];
}

static void np_dp_test_put(struct np_dp_test *t, struct np_frame *f)
{
	unsigned int i = f - t->fr;

	if (i >= NP_DP_TEST_POOL || !f->data) {
		t->bad++;
		return;
	}
	f->data = NULL;
	t->free[t->nfree++] = i;
}

static struct np_frame *np_dp_test_clone(void *arg, const struct np_frame *f)
{
	struct np_dp_test *t = arg;
	struct np_frame *c = np_dp_test_get(t, f->data, NP_SRC_UPLINK, f->len);

	memcpy(c->data, f->data, 32);
	c->priv = f->priv;
	t->clones++;
	return c;
}

static void np_dp_test_drop(void *arg, struct np_frame *f)
{
	struct np_dp_test *t = arg;

	t->drops++;
	np_dp_test_put(t, f);
}

static bool np_dp_test_notify(void *arg, unsigned int vif)
{
	struct np_dp_test *t = arg;

	t->notified[vif]++;
	return true;
}

static void np_dp_test_xmit(void *arg, struct np_frame *f)
{
	struct np_dp_test *t = arg;

	t->xmits++;
	t->sent[(uintptr_t)f->priv] += f->len;
	np_dp_test_put(t, f);
}

KUNIT_DEFINE_ACTION_WRAPPER(np_dp_test_vfree, vfree, const void *);

/* Every frame back in the pool once the VIFs are gone. */
static void np_dp_test_exit(void *arg)
{
	struct np_dp_test *t = arg;
	unsigned int v;

	for (v = 0; v < NP_MAX_VIFS; v++)
		np_dp_vif_del(t->dp, v);
}

static struct np_dp_test *np_dp_test_new(struct kunit *test)
{
	struct np_dp_test *t = vzalloc(sizeof(*t));
	struct np_dp_ops ops = { np_dp_test_clone, np_dp_test_drop,
				 np_dp_test_notify, t };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, np_dp_test_vfree,
							t), 0);
	t->dp = vzalloc(np_dp_bytes(NP_DP_TEST_SLOTS));
	KUNIT_ASSERT_NOT_NULL(test, t->dp);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, np_dp_test_vfree,
							t->dp), 0);
	KUNIT_ASSERT_EQ(test, np_dp_init(t->dp, NP_DP_TEST_SLOTS, &ops), 0);
	for (i = 0; i < NP_DP_TEST_POOL; i++)
		t->free[i] = i;
	t->nfree = NP_DP_TEST_POOL;
	return t;
}

static void np_dp_test_end(struct kunit *test, struct np_dp_test *t)
{
	np_dp_test_exit(t);
	KUNIT_EXPECT_EQ(test, t->nfree, NP_DP_TEST_POOL);
	KUNIT_EXPECT_EQ(test, t->bad, 0U);
}

static int np_dp_test_add(struct np_dp_test *t, unsigned int vif, u16 mode)
{
	struct np_vif_cfg cfg = { .vlan = NP_VLAN_NONE, .mtu = 1500,
				  .rx_mode = mode };

	np_dp_test_mac(cfg.mac, vif);
	return np_dp_vif_add(t->dp, vif, &cfg);
}

static unsigned int np_dp_test_drain(struct np_dp_test *t, unsigned int vif)
{
	struct np_frame *out[16];
	unsigned int i, n, total = 0;

	while ((n = np_dp_rx_drain(t->dp, vif, out, ARRAY_SIZE(out)))) {
		for (i = 0; i < n; i++)
			np_dp_test_put(t, out[i]);
		total += n;
	}
	return total;
}

static void np_dp_test_replication(struct kunit *test)
{
	struct np_dp_test *t = np_dp_test_new(test);
	unsigned int v, got = 0;
	struct np_frame *f;

	for (v = 0; v < 40; v++)
		KUNIT_ASSERT_EQ(test, np_dp_test_add(t, v, v < 30 ? NP_RX_BROADCAST : 0), 0);
	f = np_dp_test_get(t, np_dp_test_bcast, NP_SRC_UPLINK, 60);
	KUNIT_EXPECT_EQ(test, np_dp_rx_from_uplink(t->dp, &f, 1), 1U);
	KUNIT_EXPECT_EQ(test, t->clones, 29U);
	for (v = 0; v < 40; v++)
		got += np_dp_test_drain(t, v);
	KUNIT_EXPECT_EQ(test, got, 30U);
	/* From VIF 0: 28 clones, the frame itself to the uplink. */
	f = np_dp_test_get(t, np_dp_test_bcast, 0, 60);
	KUNIT_EXPECT_EQ(test, np_dp_rx_from_vif(t->dp, 0, &f, 1), 1U);
	KUNIT_EXPECT_EQ(test, t->clones, 29U + 29U);
	KUNIT_EXPECT_EQ(test, np_dp_egress(t->dp, 0, 8, np_dp_test_xmit, t), 1U);
	KUNIT_EXPECT_EQ(test, np_dp_test_drain(t, 0), 0U);
	KUNIT_EXPECT_EQ(test, np_dp_test_drain(t, 29), 1U);
	/* Queued frames come back when the VIFs go. */
	np_dp_test_end(test, t);
	KUNIT_EXPECT_EQ(test, t->drops, 28U);
}

static void np_dp_test_drops(struct kunit *test)
{
	struct np_dp_test *t = np_dp_test_new(test);
	struct np_dp_stats st;
	struct np_frame *f;
	unsigned int i;
	u8 mac[6];

	KUNIT_ASSERT_EQ(test, np_dp_test_add(t, 1, 0), 0);
	np_dp_test_mac(mac, 1);
	for (i = 0; i < NP_DP_TEST_SLOTS + 2; i++) {
		f = np_dp_test_get(t, mac, NP_SRC_UPLINK, 64);
		np_dp_rx_from_uplink(t->dp, &f, 1);
	}
	f = np_dp_test_get(t, np_dp_test_ext, 1, 1519);
	KUNIT_EXPECT_EQ(test, np_dp_rx_from_vif(t->dp, 1, &f, 1), 0U);
	f = np_dp_test_get(t, mac, NP_SRC_UPLINK, 13);
	KUNIT_EXPECT_EQ(test, np_dp_rx_from_uplink(t->dp, &f, 1), 0U);
	KUNIT_ASSERT_EQ(test, np_dp_stats(t->dp, 1, &st), 0);
	KUNIT_EXPECT_EQ(test, st.drops[NP_DROP_NO_BUFFER], 2ULL);
	KUNIT_EXPECT_EQ(test, st.drops[NP_DROP_TOO_BIG], 1ULL);
	KUNIT_ASSERT_EQ(test, np_dp_stats(t->dp, NP_VIF_UPLINK, &st), 0);
	KUNIT_EXPECT_EQ(test, st.drops[NP_DROP_MALFORMED], 1ULL);
	KUNIT_EXPECT_EQ(test, np_dp_test_drain(t, 1), NP_DP_TEST_SLOTS);
	np_dp_test_end(test, t);
}

/* Four backlogged VIFs, 1000-byte frames: never more than a quantum apart. */
static void np_dp_test_drr(struct kunit *test)
{
	struct np_dp_test *t = np_dp_test_new(test);
	unsigned int v, k;
	struct np_frame *f;
	u64 lo, hi;

	for (v = 0; v < 4; v++) {
		KUNIT_ASSERT_EQ(test, np_dp_test_add(t, v, 0), 0);
		for (k = 0; k < 8; k++) {
			f = np_dp_test_get(t, np_dp_test_ext, v, 100 + v * 400);
			np_dp_rx_from_vif(t->dp, v, &f, 1);
		}
	}
	for (k = 0; k < 20000; k++) {
		KUNIT_ASSERT_EQ(test, np_dp_egress(t->dp, 0, 1, np_dp_test_xmit, t), 1U);
		v = (uintptr_t)t->fr[t->free[t->nfree - 1]].priv;
		f = np_dp_test_get(t, np_dp_test_ext, v, 100 + v * 400);
		KUNIT_ASSERT_EQ(test, np_dp_rx_from_vif(t->dp, v, &f, 1), 1U);
		lo = min(min(t->sent[0], t->sent[1]), min(t->sent[2], t->sent[3]));
		hi = max(max(t->sent[0], t->sent[1]), max(t->sent[2], t->sent[3]));
		KUNIT_ASSERT_LT(test, hi - lo, (u64)NP_DP_QUANTUM + 1514);
	}
	np_dp_test_end(test, t);
}

/* 10 MB/s over a simulated second: within 1%. */
static void np_dp_test_rate(struct kunit *test)
{
	struct np_dp_test *t = np_dp_test_new(test);
	const u64 rate = 10000000, burst = 4000;
	struct np_frame *f;
	u64 now;

	KUNIT_ASSERT_EQ(test, np_dp_test_add(t, 3, 0), 0);
	KUNIT_ASSERT_EQ(test, np_dp_vif_rate(t->dp, 3, rate, burst), 0);
	for (now = 0; now <= NSEC_PER_SEC; now += 20000) {
		while (np_ring_count(t->dp->vif[3].txq) < 4) {
			f = np_dp_test_get(t, np_dp_test_ext, 3, 1000);
			np_dp_rx_from_vif(t->dp, 3, &f, 1);
		}
		np_dp_egress(t->dp, now, 32, np_dp_test_xmit, t);
	}
	KUNIT_EXPECT_LE(test, t->sent[3], rate + burst);
	KUNIT_EXPECT_GE(test, t->sent[3] + rate / 100, rate + burst);
	np_dp_test_end(test, t);
}

static void np_dp_test_notifications(struct kunit *test)
{
	struct np_dp_test *t = np_dp_test_new(test);
	struct np_frame *f;
	unsigned int v;
	u8 mac[6];

	for (v = 0; v < NP_MAX_VIFS; v += 51) {
		KUNIT_ASSERT_EQ(test, np_dp_test_add(t, v, 0), 0);
		np_dp_test_mac(mac, v);
		f = np_dp_test_get(t, mac, NP_SRC_UPLINK, 64);
		KUNIT_ASSERT_EQ(test, np_dp_rx_from_uplink(t->dp, &f, 1), 1U);
		KUNIT_EXPECT_EQ(test, np_dp_test_drain(t, v), 1U);
	}
	KUNIT_EXPECT_EQ(test, np_dp_poll_end(t->dp), 6U);
	for (v = 0; v < NP_MAX_VIFS; v++)
		KUNIT_EXPECT_EQ(test, t->notified[v], v % 51 ? 0U : 1U);
	KUNIT_EXPECT_EQ(test, np_dp_poll_end(t->dp), 0U);
	np_dp_test_end(test, t);
}

static struct kunit_case np_dp_test_cases[] = {
	KUNIT_CASE(np_dp_test_replication),
	KUNIT_CASE(np_dp_test_drops),
	KUNIT_CASE(np_dp_test_drr),
	KUNIT_CASE(np_dp_test_rate),
	KUNIT_CASE(np_dp_test_notifications),
	{}
};

static struct kunit_suite np_dp_test_suite = {
	.name = "np_dp",
	.test_cases = np_dp_test_cases,
};
kunit_test_suite(np_dp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP data plane pipeline");
MODULE_LICENSE("GPL");
