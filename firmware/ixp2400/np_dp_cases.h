/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_dp_cases.h - the hand-written cases of the NP data plane pipeline
 * (np_dp.c), run by its KUnit suite (np_dp_test.c, beside it) and its
 * native test (tools/testing/native/np_dp_test.c): replication, drops, DRR
 * fairness, rate limits, notifications and VIF removal, with every frame
 * accounted for.  The native test has more of its own.
 *
 * Written against vcore_case.h's CASE_*(), which the including harness
 * defines; included once, by a test, after its np_dpc_alloc(): zeroed
 * memory of @bytes that lives as long as the case (too big for kmalloc()),
 * or NULL.
 */
#ifndef _NP_DP_CASES_H
#define _NP_DP_CASES_H

#include <linux/minmax.h>

#include "vcore_case.h"
#include "np_dp.h"

#define NP_DPC_NS		1000000000ULL	/* a second */
#define NP_DPC_POOL		1024
#define NP_DPC_SLOTS		64

/* A data plane, a pool of frames it is handed, and what its callbacks saw. */
struct np_dpc {
	struct np_dp *dp;
	struct np_frame fr[NP_DPC_POOL];
	u8 buf[NP_DPC_POOL][32];
	u16 free[NP_DPC_POOL];
	unsigned int nfree;
	unsigned int bad;		/* frames given back twice or foreign */
	unsigned int clones, drops, xmits;
	unsigned int notified[NP_MAX_VIFS];
	u64 sent[NP_MAX_VIFS];		/* bytes to the uplink, by source */
};

static const u8 np_dpc_ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };
static const u8 np_dpc_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void np_dpc_mac(u8 *mac, unsigned int id)
{
	static const u8 base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = id >> 8;
	mac[5] = id;
}

static struct np_frame *np_dpc_get(struct np_dpc *t, const u8 *dst,
				       unsigned int src, u32 len)
{
	unsigned int i = t->free[--t->nfree];

	memset(t->buf[i], 0, sizeof(t->buf[i]));
	memcpy(t->buf[i], dst, 6);
	if (src == NP_SRC_UPLINK)
		memcpy(t->buf[i] + 6, np_dpc_ext, 6);
	else
		np_dpc_mac(t->buf[i] + 6, src);
	t->fr[i] = (struct np_frame){ .data = t->buf[i], .len = len,
					.priv = (void *)(uintptr_t)src };
	return &t->fr[i];
}

static void np_dpc_put(struct np_dpc *t, struct np_frame *f)
{
	unsigned int i = f - t->fr;

	if (i >= NP_DPC_POOL || !f->data) {
		t->bad++;
		return;
	}
	f->data = NULL;
	t->free[t->nfree++] = i;
}

static struct np_frame *np_dpc_clone(void *arg, const struct np_frame *f)
{
	struct np_dpc *t = arg;
	struct np_frame *c = np_dpc_get(t, f->data, NP_SRC_UPLINK, f->len);

	memcpy(c->data, f->data, 32);
	c->priv = f->priv;
	t->clones++;
	return c;
}

static void np_dpc_drop(void *arg, struct np_frame *f)
{
	struct np_dpc *t = arg;

	t->drops++;
	np_dpc_put(t, f);
}

static bool np_dpc_notify(void *arg, unsigned int vif)
{
	struct np_dpc *t = arg;

	t->notified[vif]++;
	return true;
}

static void np_dpc_xmit(void *arg, struct np_frame *f)
{
	struct np_dpc *t = arg;

	t->xmits++;
	t->sent[(uintptr_t)f->priv] += f->len;
	np_dpc_put(t, f);
}

/* Every VIF removed, which gives back the frames queued to it. */
static void np_dpc_exit(struct np_dpc *t)
{
	unsigned int v;

	for (v = 0; v < NP_MAX_VIFS; v++)
		np_dp_vif_del(t->dp, v);
}

static struct np_dpc *np_dpc_new(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_alloc(ctx, sizeof(*t));
	struct np_dp_ops ops = { np_dpc_clone, np_dpc_drop,
				 np_dpc_notify, t };
	unsigned int i;

	CASE_ASSERT_NOT_NULL(ctx, t);
	t->dp = np_dpc_alloc(ctx, np_dp_bytes(NP_DPC_SLOTS));
	CASE_ASSERT_NOT_NULL(ctx, t->dp);
	CASE_ASSERT_EQ(ctx, np_dp_init(t->dp, NP_DPC_SLOTS, &ops), 0);
	for (i = 0; i < NP_DPC_POOL; i++)
		t->free[i] = i;
	t->nfree = NP_DPC_POOL;
	return t;
}

/* The end of a case: every frame back in the pool once the VIFs are gone. */
static void np_dpc_end(struct vcore_case_ctx *ctx, struct np_dpc *t)
{
	np_dpc_exit(t);
	CASE_EXPECT_EQ(ctx, t->nfree, NP_DPC_POOL);
	CASE_EXPECT_EQ(ctx, t->bad, 0U);
}

static int np_dpc_add(struct np_dpc *t, unsigned int vif, u16 mode)
{
	struct np_vif_cfg cfg = { .vlan = NP_VLAN_NONE, .mtu = 1500,
				  .rx_mode = mode };

	np_dpc_mac(cfg.mac, vif);
	return np_dp_vif_add(t->dp, vif, &cfg);
}

static unsigned int np_dpc_drain(struct np_dpc *t, unsigned int vif)
{
	struct np_frame *out[16];
	unsigned int i, n, total = 0;

	while ((n = np_dp_rx_drain(t->dp, vif, out, ARRAY_SIZE(out)))) {
		for (i = 0; i < n; i++)
			np_dpc_put(t, out[i]);
		total += n;
	}
	return total;
}

static void np_dp_case_replication(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_new(ctx);
	unsigned int v, got = 0;
	struct np_frame *f;

	for (v = 0; v < 40; v++)
		CASE_ASSERT_EQ(ctx, np_dpc_add(t, v, v < 30 ? NP_RX_BROADCAST :
						   0), 0);
	f = np_dpc_get(t, np_dpc_bcast, NP_SRC_UPLINK, 60);
	CASE_EXPECT_EQ(ctx, np_dp_rx_from_uplink(t->dp, &f, 1), 1U);
	CASE_EXPECT_EQ(ctx, t->clones, 29U);
	for (v = 0; v < 40; v++)
		got += np_dpc_drain(t, v);
	CASE_EXPECT_EQ(ctx, got, 30U);
	/* From VIF 0: 28 clones, the frame itself to the uplink. */
	f = np_dpc_get(t, np_dpc_bcast, 0, 60);
	CASE_EXPECT_EQ(ctx, np_dp_rx_from_vif(t->dp, 0, &f, 1), 1U);
	CASE_EXPECT_EQ(ctx, t->clones, 29U + 29U);
	CASE_EXPECT_EQ(ctx, np_dp_egress(t->dp, 0, 8, np_dpc_xmit, t), 1U);
	CASE_EXPECT_EQ(ctx, np_dpc_drain(t, 0), 0U);
	CASE_EXPECT_EQ(ctx, np_dpc_drain(t, 29), 1U);
	/* Queued frames come back when the VIFs go. */
	np_dpc_end(ctx, t);
	CASE_EXPECT_EQ(ctx, t->drops, 28U);
}

static void np_dp_case_drops(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_new(ctx);
	struct np_dp_stats st;
	struct np_frame *f;
	unsigned int i;
	u8 mac[6];

	CASE_ASSERT_EQ(ctx, np_dpc_add(t, 1, 0), 0);
	np_dpc_mac(mac, 1);
	for (i = 0; i < NP_DPC_SLOTS + 2; i++) {
		f = np_dpc_get(t, mac, NP_SRC_UPLINK, 64);
		np_dp_rx_from_uplink(t->dp, &f, 1);
	}
	f = np_dpc_get(t, np_dpc_ext, 1, 1519);
	CASE_EXPECT_EQ(ctx, np_dp_rx_from_vif(t->dp, 1, &f, 1), 0U);
	f = np_dpc_get(t, mac, NP_SRC_UPLINK, 13);
	CASE_EXPECT_EQ(ctx, np_dp_rx_from_uplink(t->dp, &f, 1), 0U);
	CASE_ASSERT_EQ(ctx, np_dp_stats(t->dp, 1, &st), 0);
	CASE_EXPECT_EQ(ctx, st.drops[NP_DROP_NO_BUFFER], 2ULL);
	CASE_EXPECT_EQ(ctx, st.drops[NP_DROP_TOO_BIG], 1ULL);
	CASE_ASSERT_EQ(ctx, np_dp_stats(t->dp, NP_VIF_UPLINK, &st), 0);
	CASE_EXPECT_EQ(ctx, st.drops[NP_DROP_MALFORMED], 1ULL);
	CASE_EXPECT_EQ(ctx, np_dpc_drain(t, 1), NP_DPC_SLOTS);
	np_dpc_end(ctx, t);
}

/* Four backlogged VIFs, 1000-byte frames: never more than a quantum apart. */
static void np_dp_case_drr(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_new(ctx);
	unsigned int v, k;
	struct np_frame *f;
	u64 lo, hi;

	for (v = 0; v < 4; v++) {
		CASE_ASSERT_EQ(ctx, np_dpc_add(t, v, 0), 0);
		for (k = 0; k < 8; k++) {
			f = np_dpc_get(t, np_dpc_ext, v, 100 + v * 400);
			np_dp_rx_from_vif(t->dp, v, &f, 1);
		}
	}
	for (k = 0; k < 20000; k++) {
		CASE_ASSERT_EQ(ctx, np_dp_egress(t->dp, 0, 1, np_dpc_xmit, t),
			       1U);
		v = (uintptr_t)t->fr[t->free[t->nfree - 1]].priv;
		f = np_dpc_get(t, np_dpc_ext, v, 100 + v * 400);
		CASE_ASSERT_EQ(ctx, np_dp_rx_from_vif(t->dp, v, &f, 1), 1U);
		lo = min(min(t->sent[0], t->sent[1]),
			 min(t->sent[2], t->sent[3]));
		hi = max(max(t->sent[0], t->sent[1]),
			 max(t->sent[2], t->sent[3]));
		CASE_ASSERT_LT(ctx, hi - lo, (u64)NP_DP_QUANTUM + 1514);
	}
	np_dpc_end(ctx, t);
}

/* 10 MB/s over a simulated second: within 1%. */
static void np_dp_case_rate(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_new(ctx);
	const u64 rate = 10000000, burst = 4000;
	struct np_frame *f;
	u64 now;

	CASE_ASSERT_EQ(ctx, np_dpc_add(t, 3, 0), 0);
	CASE_ASSERT_EQ(ctx, np_dp_vif_rate(t->dp, 3, rate, burst), 0);
	for (now = 0; now <= NP_DPC_NS; now += 20000) {
		while (np_ring_count(t->dp->vif[3].txq) < 4) {
			f = np_dpc_get(t, np_dpc_ext, 3, 1000);
			np_dp_rx_from_vif(t->dp, 3, &f, 1);
		}
		np_dp_egress(t->dp, now, 32, np_dpc_xmit, t);
	}
	CASE_EXPECT_LE(ctx, t->sent[3], rate + burst);
	CASE_EXPECT_GE(ctx, t->sent[3] + rate / 100, rate + burst);
	np_dpc_end(ctx, t);
}

static void np_dp_case_notifications(struct vcore_case_ctx *ctx)
{
	struct np_dpc *t = np_dpc_new(ctx);
	struct np_frame *f;
	unsigned int v;
	u8 mac[6];

	for (v = 0; v < NP_MAX_VIFS; v += 51) {
		CASE_ASSERT_EQ(ctx, np_dpc_add(t, v, 0), 0);
		np_dpc_mac(mac, v);
		f = np_dpc_get(t, mac, NP_SRC_UPLINK, 64);
		CASE_ASSERT_EQ(ctx, np_dp_rx_from_uplink(t->dp, &f, 1), 1U);
		CASE_EXPECT_EQ(ctx, np_dpc_drain(t, v), 1U);
	}
	CASE_EXPECT_EQ(ctx, np_dp_poll_end(t->dp), 6U);
	for (v = 0; v < NP_MAX_VIFS; v++)
		CASE_EXPECT_EQ(ctx, t->notified[v], v % 51 ? 0U : 1U);
	CASE_EXPECT_EQ(ctx, np_dp_poll_end(t->dp), 0U);
	np_dpc_end(ctx, t);
}

#define NP_DP_CASE(name)	{ #name, np_dp_case_##name }

static const struct vcore_case np_dp_cases[] = {
	NP_DP_CASE(replication),
	NP_DP_CASE(drops),
	NP_DP_CASE(drr),
	NP_DP_CASE(rate),
	NP_DP_CASE(notifications),
};

#endif /* _NP_DP_CASES_H */
