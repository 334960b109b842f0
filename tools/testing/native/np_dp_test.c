// SPDX-License-Identifier: GPL-2.0
/*
 * np_dp_test.c - the NP data plane pipeline (firmware/ixp2400/np_dp.c)
 * natively under ASan and UBSan: the cases of
 * firmware/ixp2400/np_dp_cases.h (shared with the KUnit suite), and its
 * own: frames from the uplink and from VIFs to VIFs and to the uplink,
 * replication and its clone counts, every drop reason, DRR fairness among
 * backlogged VIFs, token-bucket accuracy over a simulated second, batched
 * notifications, and VIF removal.  Every frame is tracked: each must come
 * back exactly once (xmit, drain or drop).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_dp.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"

/* A case's memory, freed when the case's process exits. */
static void *np_dpc_alloc(struct vcore_case_ctx *ctx, size_t bytes)
{
	return CASE_ZALLOC(ctx, bytes);
}

#include "np_dp_cases.h"

/* The hand-written cases, firmware/ixp2400/np_dp_cases.h. */
VCORE_NATIVE_CASES(np_dp, np_dp_cases)

#define POOL		4096
#define SLOTS		64
#define UPLINK_ID	NP_MAX_VIFS	/* priv of the uplink's frames */

struct env {
	struct np_dp *dp;
	struct np_frame fr[POOL];
	u8 buf[POOL][32];
	u8 live[POOL];
	unsigned int free[POOL], nfree;
	int clone_budget;		/* < 0: unlimited */
	unsigned int clones, drops, xmits, notifies;
	unsigned int notified[NP_MAX_VIFS];
	u64 xmit_bytes[NP_MAX_VIFS + 1];	/* by source */
	bool suppress;
};

static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 ext[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0x01 };

static const u8 *mac(unsigned int id)
{
	static u8 m[8][6];
	static unsigned int next;
	u8 *p = m[next++ % 8];

	memcpy(p, (u8 []){ 0x02, 0, 0, 0, id >> 8, id }, 6);
	return p;
}

static struct np_frame *get(struct env *e, const u8 *dst, unsigned int src,
			    int vid, u32 len)
{
	unsigned int i = e->free[--e->nfree];
	u8 *p = e->buf[i];

	memset(p, 0, sizeof(e->buf[i]));
	memcpy(p, dst, 6);
	memcpy(p + 6, src == UPLINK_ID ? ext : mac(src), 6);
	if (vid >= 0) {
		p[12] = 0x81;
		p[14] = vid >> 8;
		p[15] = vid;
	}
	e->live[i] = 1;
	e->fr[i] = (struct np_frame){ .data = p, .len = len,
					.priv = (void *)(uintptr_t)src };
	return &e->fr[i];
}

static void put(struct env *e, struct np_frame *f)
{
	unsigned int i = f - e->fr;

	if (i >= POOL || !e->live[i])
		abort();	/* not ours, or given back twice */
	e->live[i] = 0;
	e->free[e->nfree++] = i;
}

static struct np_frame *clone_cb(void *arg, const struct np_frame *f)
{
	struct env *e = arg;
	struct np_frame *c;
	unsigned int i;

	if (!e->clone_budget)
		return NULL;
	if (e->clone_budget > 0)
		e->clone_budget--;
	i = e->free[--e->nfree];
	e->live[i] = 1;
	memcpy(e->buf[i], f->data, sizeof(e->buf[i]));
	c = &e->fr[i];
	*c = (struct np_frame){ .data = e->buf[i], .len = f->len,
				.priv = f->priv };
	e->clones++;
	return c;
}

static void drop_cb(void *arg, struct np_frame *f)
{
	struct env *e = arg;

	e->drops++;
	put(e, f);
}

static bool notify_cb(void *arg, unsigned int vif)
{
	struct env *e = arg;

	e->notified[vif]++;
	e->notifies++;
	return !e->suppress;
}

static void xmit_cb(void *arg, struct np_frame *f)
{
	struct env *e = arg;

	e->xmits++;
	e->xmit_bytes[(uintptr_t)f->priv] += f->len;
	put(e, f);
}

static unsigned int drain(struct env *e, unsigned int vif)
{
	struct np_frame *out[32];
	unsigned int i, n, total = 0;

	while ((n = np_dp_rx_drain(e->dp, vif, out, 32))) {
		for (i = 0; i < n; i++)
			put(e, out[i]);
		total += n;
	}
	return total;
}

static int add(struct env *e, unsigned int vif, u16 vlan, u16 mode, u16 mtu)
{
	struct np_vif_cfg cfg = { .vlan = vlan, .mtu = mtu, .rx_mode = mode };

	memcpy(cfg.mac, mac(vif), 6);
	return np_dp_vif_add(e->dp, vif, &cfg);
}

static unsigned int from_uplink(struct env *e, struct np_frame *f)
{
	return np_dp_rx_from_uplink(e->dp, &f, 1);
}

static unsigned int from_vif(struct env *e, unsigned int vif,
			     struct np_frame *f)
{
	return np_dp_rx_from_vif(e->dp, vif, &f, 1);
}

static u64 drops(struct env *e, u32 vif, enum np_drop why)
{
	struct np_dp_stats st;

	if (np_dp_stats(e->dp, vif, &st))
		return ~0ULL;
	return st.drops[why];
}

FIXTURE(dp) {
	struct env *e;
};

FIXTURE_SETUP(dp)
{
	struct np_dp_ops ops = { clone_cb, drop_cb, notify_cb, NULL };
	struct env *e = calloc(1, sizeof(*e));
	unsigned int i;

	ASSERT_NE(NULL, e);
	e->dp = aligned_alloc(64, np_dp_bytes(SLOTS));
	ASSERT_NE(NULL, e->dp);
	ops.arg = e;
	ASSERT_EQ(0, np_dp_init(e->dp, SLOTS, &ops));
	for (i = 0; i < POOL; i++)
		e->free[i] = POOL - 1 - i;
	e->nfree = POOL;
	e->clone_budget = -1;
	self->e = e;
}

/* Removing every VIF gives back what is queued: nothing may be missing. */
FIXTURE_TEARDOWN(dp)
{
	struct env *e = self->e;
	unsigned int v;

	for (v = 0; v < NP_MAX_VIFS; v++)
		np_dp_vif_del(e->dp, v);
	EXPECT_EQ(POOL, e->nfree);
	free(e->dp);
	free(e);
}

TEST_F(dp, init_refusals)
{
	struct np_dp_ops ops = { clone_cb, drop_cb, notify_cb, NULL };

	EXPECT_EQ(-EINVAL, np_dp_init(self->e->dp, 0, &ops));
	EXPECT_EQ(-EINVAL, np_dp_init(self->e->dp, 48, &ops));
	EXPECT_EQ(-EINVAL, np_dp_init(self->e->dp, NP_DP_MAX_SLOTS * 2, &ops));
	ops.clone = NULL;
	EXPECT_EQ(-EINVAL, np_dp_init(self->e->dp, SLOTS, &ops));
}

TEST_F(dp, unicast_both_ways)
{
	struct env *e = self->e;
	struct np_dp_stats st;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, 0, 1500));
	/* Uplink to VIF 1, VIF 2 to VIF 1, VIF 1 to the world. */
	EXPECT_EQ(1, from_uplink(e, get(e, mac(1), UPLINK_ID, -1, 100)));
	EXPECT_EQ(1, from_vif(e, 2, get(e, mac(1), 2, -1, 200)));
	EXPECT_EQ(1, from_vif(e, 1, get(e, ext, 1, -1, 300)));
	EXPECT_EQ(2, drain(e, 1));
	EXPECT_EQ(0, drain(e, 2));
	EXPECT_EQ(1, np_dp_egress(e->dp, 0, 32, xmit_cb, e));
	EXPECT_EQ(300, e->xmit_bytes[1]);
	ASSERT_EQ(0, np_dp_stats(e->dp, 1, &st));
	EXPECT_EQ(2, st.rx_packets);
	EXPECT_EQ(300, st.rx_bytes);
	EXPECT_EQ(1, st.tx_packets);
	EXPECT_EQ(300, st.tx_bytes);
	ASSERT_EQ(0, np_dp_stats(e->dp, NP_VIF_UPLINK, &st));
	EXPECT_EQ(1, st.rx_packets);
	EXPECT_EQ(1, st.tx_packets);
	EXPECT_EQ(300, st.tx_bytes);
	EXPECT_EQ(-EINVAL, np_dp_stats(e->dp, NP_MAX_VIFS, &st));
	EXPECT_EQ(-ENOENT, np_dp_stats(e->dp, 3, &st));
	EXPECT_EQ(0, e->drops);
}

TEST_F(dp, replication_counts)
{
	struct env *e = self->e;
	unsigned int v, got = 0;

	for (v = 0; v < 10; v++)
		ASSERT_EQ(0, add(e, v, NP_VLAN_NONE,
				 v < 6 ? NP_RX_BROADCAST : 0, 1500));
	/* From the uplink to 6 VIFs: 5 clones and the frame itself. */
	EXPECT_EQ(1, from_uplink(e, get(e, bcast, UPLINK_ID, -1, 60)));
	EXPECT_EQ(5, e->clones);
	for (v = 0; v < 10; v++) {
		unsigned int n = drain(e, v);

		EXPECT_EQ(v < 6, n) TH_LOG("vif %u", v);
		got += n;
	}
	EXPECT_EQ(6, got);
	/* From VIF 0: VIFs 1-5 and the uplink, 5 clones. */
	e->clones = 0;
	EXPECT_EQ(1, from_vif(e, 0, get(e, bcast, 0, -1, 60)));
	EXPECT_EQ(5, e->clones);
	EXPECT_EQ(0, drain(e, 0));
	for (v = 1; v < 6; v++)
		EXPECT_EQ(1, drain(e, v));
	EXPECT_EQ(1, np_dp_egress(e->dp, 0, 32, xmit_cb, e));
	EXPECT_EQ(0, e->drops);
}

/* No buffer for clones: each missed destination counts a no-buffer drop. */
TEST_F(dp, clone_failures)
{
	struct env *e = self->e;
	unsigned int v, got = 0;

	for (v = 0; v < 4; v++)
		ASSERT_EQ(0, add(e, v, NP_VLAN_NONE, NP_RX_BROADCAST, 1500));
	e->clone_budget = 1;
	EXPECT_EQ(1, from_uplink(e, get(e, bcast, UPLINK_ID, -1, 60)));
	for (v = 0; v < 4; v++)
		got += drain(e, v);
	/* VIF 0 got the clone, 1 and 2 none, 3 the frame itself. */
	EXPECT_EQ(2, got);
	EXPECT_EQ(0, drops(e, 0, NP_DROP_NO_BUFFER));
	EXPECT_EQ(1, drops(e, 1, NP_DROP_NO_BUFFER));
	EXPECT_EQ(1, drops(e, 2, NP_DROP_NO_BUFFER));
	EXPECT_EQ(0, drops(e, 3, NP_DROP_NO_BUFFER));
	/* From a VIF: the uplink gets the frame itself. */
	e->clone_budget = 0;
	EXPECT_EQ(1, from_vif(e, 0, get(e, bcast, 0, -1, 60)));
	EXPECT_EQ(1, np_dp_egress(e->dp, 0, 32, xmit_cb, e));
	for (v = 1; v < 4; v++)
		EXPECT_EQ(0, drain(e, v));
}

TEST_F(dp, full_rings_drop_no_buffer_or_rate)
{
	struct env *e = self->e;
	unsigned int i;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, 0, 1500));
	for (i = 0; i < SLOTS + 3; i++)
		from_uplink(e, get(e, mac(1), UPLINK_ID, -1, 64));
	EXPECT_EQ(3, drops(e, 1, NP_DROP_NO_BUFFER));
	EXPECT_EQ(3, e->drops);
	/* The egress ring of an unlimited VIF, then of a limited one. */
	for (i = 0; i < SLOTS + 2; i++)
		from_vif(e, 2, get(e, ext, 2, -1, 64));
	EXPECT_EQ(2, drops(e, 2, NP_DROP_NO_BUFFER));
	ASSERT_EQ(0, np_dp_vif_rate(e->dp, 2, 1000, 1500));
	from_vif(e, 2, get(e, ext, 2, -1, 64));
	EXPECT_EQ(1, drops(e, 2, NP_DROP_RATE));
	EXPECT_EQ(SLOTS, drain(e, 1));
}

TEST_F(dp, too_big_and_malformed)
{
	struct env *e = self->e;
	struct np_frame *f;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, NP_RX_BROADCAST, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, NP_RX_BROADCAST, 9000));
	/* MTU + Ethernet + 802.1Q headers is the longest frame. */
	EXPECT_EQ(1, from_vif(e, 1, get(e, ext, 1, -1, 1518)));
	EXPECT_EQ(0, from_vif(e, 1, get(e, ext, 1, -1, 1519)));
	EXPECT_EQ(1, drops(e, 1, NP_DROP_TOO_BIG));
	/* A jumbo broadcast from VIF 2 reaches the uplink, not VIF 1. */
	EXPECT_EQ(1, from_vif(e, 2, get(e, bcast, 2, -1, 9000)));
	EXPECT_EQ(2, drops(e, 1, NP_DROP_TOO_BIG));
	EXPECT_EQ(0, drain(e, 1));
	EXPECT_EQ(2, np_dp_egress(e->dp, 0, 32, xmit_cb, e));
	/* A GSO frame is held to the MTU by its segments, not its length. */
	f = get(e, mac(1), 2, -1, 60000);
	f->seg_len = 1514;
	EXPECT_EQ(1, from_vif(e, 2, f));
	EXPECT_EQ(1, drain(e, 1));
	f = get(e, mac(1), 2, -1, 60000);
	f->seg_len = 1519;
	EXPECT_EQ(1, from_vif(e, 2, f));
	EXPECT_EQ(3, drops(e, 1, NP_DROP_TOO_BIG));
	/* Runts from the uplink. */
	EXPECT_EQ(0, from_uplink(e, get(e, mac(1), UPLINK_ID, -1, 13)));
	EXPECT_EQ(1, drops(e, NP_VIF_UPLINK, NP_DROP_MALFORMED));
	/* Unknown unicast from the uplink, nobody promiscuous. */
	EXPECT_EQ(0, from_uplink(e, get(e, ext, UPLINK_ID, -1, 64)));
	EXPECT_EQ(1, drops(e, NP_VIF_UPLINK, NP_DROP_FILTERED));
	/* A VIF that does not exist sends nothing. */
	EXPECT_EQ(0, from_vif(e, 9, get(e, ext, 9, -1, 64)));
	EXPECT_EQ(0, from_vif(e, NP_MAX_VIFS, get(e, ext, 9, -1, 64)));
}

static u32 rnd_len(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return 64 + (*seed >> 8) % 1451;	/* 64 .. 1514 */
}

/*
 * Backlogged VIFs, frames of random lengths, the scheduler asked for one
 * frame at a time: after every frame, the bytes the VIFs sent differ by
 * less than one quantum plus one largest frame.
 */
TEST_F(dp, drr_fair_among_backlogged_vifs)
{
	struct env *e = self->e;
	unsigned int seed = 3, v, k, n = 8;
	u64 lo, hi;

	for (v = 0; v < n; v++) {
		ASSERT_EQ(0, add(e, v, NP_VLAN_NONE, 0, 1500));
		for (k = 0; k < SLOTS / 2; k++)
			from_vif(e, v, get(e, ext, v, -1, rnd_len(&seed)));
	}
	for (k = 0; k < 200000; k++) {
		unsigned int before = e->xmits;
		struct np_frame *f;

		ASSERT_EQ(1, np_dp_egress(e->dp, 0, 1, xmit_cb, e));
		ASSERT_EQ(before + 1, e->xmits);
		/* Keep the sender backlogged: the last put frame is its. */
		f = &e->fr[e->free[e->nfree - 1]];
		v = (uintptr_t)f->priv;
		ASSERT_EQ(1, from_vif(e, v, get(e, ext, v, -1, rnd_len(&seed))));
		lo = ~0ULL;
		hi = 0;
		for (v = 0; v < n; v++) {
			lo = e->xmit_bytes[v] < lo ? e->xmit_bytes[v] : lo;
			hi = e->xmit_bytes[v] > hi ? e->xmit_bytes[v] : hi;
		}
		ASSERT_LT(hi - lo, NP_DP_QUANTUM + 1514) TH_LOG("frame %u", k);
	}
	EXPECT_EQ(0, e->drops);
}

/*
 * Three VIFs held to different rates, always backlogged, over a simulated
 * second: each sends its rate (plus its initial bucket) within 1%.
 */
TEST_F(dp, token_buckets_hold_the_rate)
{
	static const u64 rate[3] = { 1000000, 12500000, 125000000 };
	const u64 burst = 3000, step = 10000, second = 1000000000ULL;
	struct env *e = self->e;
	unsigned int v, k;
	u64 now;

	for (v = 0; v < 3; v++) {
		ASSERT_EQ(0, add(e, v, NP_VLAN_NONE, 0, 1500));
		ASSERT_EQ(0, np_dp_vif_rate(e->dp, v, rate[v], burst));
	}
	for (now = 0; now <= second; now += step) {
		for (v = 0; v < 3; v++)
			for (k = np_ring_count(e->dp->vif[v].txq); k < 8; k++)
				from_vif(e, v, get(e, ext, v, -1, 1000));
		np_dp_egress(e->dp, now, 64, xmit_cb, e);
	}
	for (v = 0; v < 3; v++) {
		double got = e->xmit_bytes[v] - burst;

		EXPECT_TRUE(got > rate[v] * 0.99 && got < rate[v] * 1.01)
			TH_LOG("vif %u: %.0f B/s for %llu", v, got,
			       (unsigned long long)rate[v]);
		EXPECT_LE(e->xmit_bytes[v], rate[v] + burst);
	}
	/* Limits off: the next egress drains what is queued at once. */
	for (k = 0, v = 0; v < 3; v++) {
		ASSERT_EQ(0, np_dp_vif_rate(e->dp, v, 0, 0));
		k += np_ring_count(e->dp->vif[v].txq);
	}
	EXPECT_LT(0, k);
	EXPECT_EQ(k, np_dp_egress(e->dp, now, 64, xmit_cb, e));
	EXPECT_EQ(0, e->drops);
}

TEST_F(dp, rate_refusals)
{
	struct env *e = self->e;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	EXPECT_EQ(-EINVAL, np_dp_vif_rate(e->dp, 1, 1000, 0));
	EXPECT_EQ(-EINVAL, np_dp_vif_rate(e->dp, 1, 0, 1000));
	EXPECT_EQ(-EINVAL, np_dp_vif_rate(e->dp, 1, NP_DP_RATE_MAX + 1, 1000));
	EXPECT_EQ(-EINVAL, np_dp_vif_rate(e->dp, 1, 1000, NP_DP_BURST_MAX + 1));
	EXPECT_EQ(-EINVAL, np_dp_vif_rate(e->dp, NP_MAX_VIFS, 1000, 1000));
	EXPECT_EQ(-ENOENT, np_dp_vif_rate(e->dp, 2, 1000, 1000));
	EXPECT_EQ(0, np_dp_vif_rate(e->dp, 1, NP_DP_RATE_MAX, NP_DP_BURST_MAX));
}

TEST_F(dp, notifications_batched)
{
	struct env *e = self->e;
	unsigned int v, i;

	for (v = 0; v < 4; v++)
		ASSERT_EQ(0, add(e, v * 70, NP_VLAN_NONE, 0, 1500));
	/* Default: at the end of each poll cycle, each VIF once. */
	for (v = 0; v < 4; v++)
		for (i = 0; i < 3; i++)
			from_uplink(e, get(e, mac(v * 70), UPLINK_ID, -1, 64));
	for (v = 0; v < 4; v++)
		EXPECT_EQ(3, drain(e, v * 70));
	EXPECT_EQ(0, e->notifies);
	EXPECT_EQ(4, np_dp_poll_end(e->dp));
	for (v = 0; v < 4; v++)
		EXPECT_EQ(1, e->notified[v * 70]);
	EXPECT_EQ(0, np_dp_poll_end(e->dp));
	/* Every 5 frames: the flush comes with the drain that reaches 5. */
	ASSERT_EQ(0, np_dp_notify_config(e->dp, 5, 1000));
	for (i = 0; i < 4; i++)
		from_uplink(e, get(e, mac(0), UPLINK_ID, -1, 64));
	EXPECT_EQ(4, drain(e, 0));
	EXPECT_EQ(4, e->notifies);
	from_uplink(e, get(e, mac(70), UPLINK_ID, -1, 64));
	EXPECT_EQ(1, drain(e, 70));
	EXPECT_EQ(6, e->notifies);
	EXPECT_EQ(2, e->notified[0]);
	EXPECT_EQ(2, e->notified[70]);
	/* Suppressed by the guest: counted apart. */
	e->suppress = true;
	np_dp_mark(e->dp, 140, 5);
	EXPECT_EQ(1, e->dp->notify.suppressed);
	np_dp_mark(e->dp, 141, 5);	/* no such VIF */
	EXPECT_EQ(0, e->notified[141]);
	EXPECT_EQ(-EINVAL, np_dp_notify_config(e->dp, 0, 0));
}

TEST_F(dp, take_marks_when_written)
{
	struct env *e = self->e;
	struct np_frame *out[4];
	unsigned int i;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, np_dp_notify_config(e->dp, 2, 1000));
	for (i = 0; i < 2; i++)
		from_uplink(e, get(e, mac(1), UPLINK_ID, -1, 64));
	/* Taken, not yet written: no flush, although the bound is reached. */
	EXPECT_EQ(2, np_dp_rx_take(e->dp, 1, out, 4));
	EXPECT_EQ(0, e->notifies);
	EXPECT_EQ(0, np_dp_poll_end(e->dp));
	EXPECT_EQ(2, e->dp->vif[1].stats.rx_packets);
	/* Written: the mark with their number flushes the due batch. */
	np_dp_mark(e->dp, 1, 2);
	EXPECT_EQ(1, e->notifies);
	EXPECT_EQ(1, e->notified[1]);
	for (i = 0; i < 2; i++)
		put(e, out[i]);
	EXPECT_EQ(0, np_dp_rx_take(e->dp, 1, out, 4));
	EXPECT_EQ(0, np_dp_rx_take(e->dp, 2, out, 4));
}

TEST_F(dp, peek_leaves_frames_queued)
{
	struct env *e = self->e;
	struct np_frame *in[3], *seen[4], *out[4];
	unsigned int i;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	for (i = 0; i < 3; i++) {
		in[i] = get(e, mac(1), UPLINK_ID, -1, 64);
		from_uplink(e, in[i]);
	}
	EXPECT_EQ(3, np_dp_rx_peek(e->dp, 1, seen, 4));
	EXPECT_EQ(2, np_dp_rx_peek(e->dp, 1, seen, 2));
	EXPECT_EQ(0, e->dp->vif[1].stats.rx_packets);
	/* Taken as far as the host side got: the rest wait, in order. */
	EXPECT_EQ(1, np_dp_rx_take(e->dp, 1, out, 1));
	EXPECT_EQ(in[0], out[0]);
	EXPECT_EQ(2, np_dp_rx_peek(e->dp, 1, seen, 4));
	EXPECT_EQ(in[1], seen[0]);
	EXPECT_EQ(in[2], seen[1]);
	EXPECT_EQ(2, np_dp_rx_take(e->dp, 1, out + 1, 4));
	EXPECT_EQ(in[2], out[2]);
	EXPECT_EQ(3, e->dp->vif[1].stats.rx_packets);
	for (i = 0; i < 3; i++)
		put(e, out[i]);
	EXPECT_EQ(0, np_dp_rx_peek(e->dp, 1, seen, 4));
	EXPECT_EQ(0, np_dp_rx_peek(e->dp, 2, seen, 4));
	EXPECT_EQ(0, np_dp_rx_peek(e->dp, NP_MAX_VIFS, seen, 4));
}

TEST_F(dp, vif_del_gives_frames_back)
{
	struct env *e = self->e;
	struct np_vif_cfg cfg = {};
	unsigned int i;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, 0, 1500));
	for (i = 0; i < 10; i++) {
		from_uplink(e, get(e, mac(1), UPLINK_ID, -1, 64));
		from_vif(e, 1, get(e, ext, 1, -1, 64));
	}
	from_uplink(e, get(e, mac(2), UPLINK_ID, -1, 64));
	EXPECT_EQ(1, drain(e, 2));	/* VIF 2 marked, not yet flushed */
	EXPECT_EQ(0, np_dp_vif_del(e->dp, 1));
	EXPECT_EQ(20, e->drops);
	EXPECT_EQ(0, e->dp->sched.nr_active);
	EXPECT_EQ(-ENOENT, np_dp_vif_del(e->dp, 1));
	EXPECT_EQ(-EINVAL, np_dp_vif_del(e->dp, NP_MAX_VIFS));
	EXPECT_EQ(0, np_dp_vif_del(e->dp, 2));
	EXPECT_EQ(0, np_dp_poll_end(e->dp));	/* its mark is gone */
	EXPECT_EQ(0, np_dp_egress(e->dp, 0, 32, xmit_cb, e));
	/* The id is free again, with fresh counters. */
	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	EXPECT_EQ(0, drops(e, 1, NP_DROP_NO_BUFFER));
	EXPECT_EQ(-ENOENT, np_dp_vif_set(e->dp, 2, &cfg, NP_VIF_SET_MTU));
}

TEST_F(dp, vif_set_changes_what_it_names)
{
	struct env *e = self->e;
	struct np_vif_cfg cfg = { .vlan = 5, .mtu = 9000 };

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, 0, 1500));
	memcpy(cfg.mac, mac(2), 6);
	/* VIF 2's address on no VLAN is taken; on VLAN 5 it is not. */
	EXPECT_EQ(-EADDRINUSE, np_dp_vif_set(e->dp, 1, &cfg, NP_VIF_SET_MAC));
	EXPECT_EQ(0, np_dp_vif_set(e->dp, 1, &cfg, NP_VIF_SET_MAC |
				   NP_VIF_SET_VLAN | NP_VIF_SET_MTU));
	EXPECT_EQ(1, from_uplink(e, get(e, mac(2), UPLINK_ID, 5, 9000)));
	EXPECT_EQ(1, drain(e, 1));
	cfg.mtu = 67;
	EXPECT_EQ(-EINVAL, np_dp_vif_set(e->dp, 1, &cfg, NP_VIF_SET_MTU));
	EXPECT_EQ(-EINVAL, np_dp_vif_set(e->dp, 1, &cfg, 0));
	EXPECT_EQ(-EINVAL, np_dp_vif_set(e->dp, 1, &cfg, 16));
	EXPECT_EQ(-EINVAL, np_dp_vif_set(e->dp, NP_MAX_VIFS, &cfg,
					 NP_VIF_SET_MTU));
	cfg.rx_mode = 64;
	EXPECT_EQ(-EINVAL, np_dp_vif_set(e->dp, 1, &cfg, NP_VIF_SET_RX_MODE));
	EXPECT_EQ(9000, e->dp->vif[1].cfg.mtu);	/* unchanged */
	EXPECT_EQ(-EINVAL, add(e, 3, NP_VLAN_NONE, 0, 67));
	EXPECT_EQ(-EINVAL, add(e, 3, NP_VLAN_NONE, 0, NP_DP_MTU_MAX + 1));
}

TEST_F(dp, multicast_filter_through_dp)
{
	static const u8 grp[1][6] = { { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 } };
	struct env *e = self->e;

	ASSERT_EQ(0, add(e, 1, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, add(e, 2, NP_VLAN_NONE, 0, 1500));
	ASSERT_EQ(0, np_dp_vif_mcast(e->dp, 2, grp, 1));
	EXPECT_EQ(1, from_uplink(e, get(e, grp[0], UPLINK_ID, -1, 64)));
	EXPECT_EQ(0, drain(e, 1));
	EXPECT_EQ(1, drain(e, 2));
	EXPECT_EQ(0, e->clones);
}

TEST_HARNESS_MAIN
