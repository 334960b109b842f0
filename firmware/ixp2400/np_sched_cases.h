/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_sched_cases.h - the hand-written cases of the NP egress scheduler
 * (np_sched.c), run by its KUnit suite (np_sched_test.c, beside it) and its
 * native test (tools/testing/native/np_sched_test.c): weights through
 * quanta, token-bucket rates, bursts of a turn, flows leaving and coming
 * back, throttling, large frames and the bucket's arithmetic at its edges.
 * The long simulations are the native test's own; it uses the VIF queues
 * below for them too.  Written against vcore_case.h's CASE_*(), which the
 * including harness defines; included once, by a test.
 */
#ifndef _NP_SCHED_CASES_H
#define _NP_SCHED_CASES_H

#include "vcore_case.h"
#include "np_sched.h"

#define NP_SCHED_CASE_QLEN	64
#define NP_SCHED_CASE_NS	1000000000ULL	/* a second */

/* A VIF with a queue of frames of lengths of their own. */
struct np_sched_case_vif {
	struct np_flow flow;	/* first: the scheduler hands it back */
	u32 frames[NP_SCHED_CASE_QLEN];	/* lengths of the queued frames */
	unsigned int head, count;
	u64 sent;		/* bytes */
	int infinite;		/* refill its queue forever */
};

static unsigned int np_sched_case_seed = 1;

/* A pseudo-random frame length, 64 .. 1514. */
static u32 np_sched_case_rnd_len(void)
{
	np_sched_case_seed = np_sched_case_seed * 1103515245 + 12345;
	return 64 + (np_sched_case_seed >> 8) % 1451;
}

static u32 np_sched_case_head_len(struct np_flow *f)
{
	struct np_sched_case_vif *v = (struct np_sched_case_vif *)f;

	return v->count ? v->frames[v->head] : 0;
}

static void np_sched_case_enqueue(struct np_sched *s,
				  struct np_sched_case_vif *v, u32 len)
{
	v->frames[(v->head + v->count++) % NP_SCHED_CASE_QLEN] = len;
	np_sched_wake(s, &v->flow);
}

/* Send the frame the scheduler picked; keep infinite sources backlogged. */
static struct np_sched_case_vif *np_sched_case_step(struct np_sched *s,
						    u64 now)
{
	struct np_flow *f = np_sched_next(s, now, np_sched_case_head_len);
	struct np_sched_case_vif *v = (struct np_sched_case_vif *)f;

	if (!f)
		return NULL;
	v->sent += v->frames[v->head];
	v->head = (v->head + 1) % NP_SCHED_CASE_QLEN;
	v->count--;
	if (v->infinite)
		np_sched_case_enqueue(s, v, np_sched_case_rnd_len());
	return v;
}

/* @n infinite sources of random frames, 8 queued each. */
static void np_sched_case_setup(struct np_sched *s,
				struct np_sched_case_vif *v, int n,
				const u32 *quanta)
{
	int i, j;

	np_sched_init(s);
	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		np_flow_init(&v[i].flow, quanta ? quanta[i] : 1514);
		v[i].infinite = 1;
		for (j = 0; j < 8; j++)
			np_sched_case_enqueue(s, &v[i],
					      np_sched_case_rnd_len());
	}
}

static struct np_sched_case_vif *np_sched_case_vifs(struct vcore_case_ctx *ctx,
						    int n)
{
	struct np_sched_case_vif *v = CASE_ZALLOC(ctx, n * sizeof(*v));

	CASE_ASSERT_NOT_NULL(ctx, v);
	return v;
}

/* A source of @left frames of @len bytes each. */
struct np_sched_case_src {
	struct np_flow flow;
	u32 len;	/* every frame */
	u32 left;	/* frames queued */
	u64 sent;
};

static u32 np_sched_case_src_len(struct np_flow *f)
{
	struct np_sched_case_src *v =
		container_of(f, struct np_sched_case_src, flow);

	return v->left ? v->len : 0;
}

static void np_sched_case_src_drain(struct np_sched *s, u64 now)
{
	struct np_sched_case_src *v;
	struct np_flow *f;

	while ((f = np_sched_next(s, now, np_sched_case_src_len))) {
		v = container_of(f, struct np_sched_case_src, flow);
		v->left--;
		v->sent += v->len;
	}
}

/* Two flows, one with twice the quantum, both backlogged for a while. */
static void np_sched_case_weights(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_src v[2] = {
		{ .len = 500, .left = 3000 }, { .len = 500, .left = 3000 },
	};
	struct np_sched s;
	int i;

	np_sched_init(&s);
	np_flow_init(&v[0].flow, 1000);
	np_flow_init(&v[1].flow, 2000);
	np_sched_wake(&s, &v[0].flow);
	np_sched_wake(&s, &v[1].flow);
	for (i = 0; i < 1500; i++) {
		struct np_flow *f = np_sched_next(&s, 0, np_sched_case_src_len);
		struct np_sched_case_src *w;

		CASE_ASSERT_NOT_NULL(ctx, f);
		w = container_of(f, struct np_sched_case_src, flow);
		w->left--;
		w->sent += w->len;
	}
	CASE_EXPECT_EQ(ctx, v[0].sent, 250000ULL);
	CASE_EXPECT_EQ(ctx, v[1].sent, 500000ULL);
}

/* 1 MB/s with a 10 kB bucket: 10 kB at once, then 1 kB per ms. */
static void np_sched_case_rate(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_src v = { .len = 1000, .left = 100 };
	struct np_sched s;

	np_sched_init(&s);
	np_flow_init(&v.flow, 1514);
	np_tb_init(&v.flow.tb, 1000000, 10000, 0);
	np_sched_wake(&s, &v.flow);
	np_sched_case_src_drain(&s, 0);
	CASE_EXPECT_EQ(ctx, v.sent, 10000ULL);
	np_sched_case_src_drain(&s, 5000000);
	CASE_EXPECT_EQ(ctx, v.sent, 15000ULL);
	np_sched_case_src_drain(&s, NP_SCHED_CASE_NS);
	CASE_EXPECT_EQ(ctx, v.sent, 25000ULL);	/* capped by the depth */
}

/* A turn sent in a burst: np_sched_more() stops where the quantum ends. */
static void np_sched_case_more(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_src v[2] = {
		{ .len = 400, .left = 100 }, { .len = 400, .left = 100 },
	};
	struct np_sched s;
	struct np_flow *f;
	int n = 1;

	np_sched_init(&s);
	np_flow_init(&v[0].flow, 1500);
	np_flow_init(&v[1].flow, 1500);
	np_sched_wake(&s, &v[0].flow);
	np_sched_wake(&s, &v[1].flow);
	f = np_sched_next(&s, 0, np_sched_case_src_len);
	CASE_ASSERT_PTR_EQ(ctx, f, &v[0].flow);
	while (np_sched_more(f, 400, 0))
		n++;
	CASE_EXPECT_EQ(ctx, n, 3);	/* 3 x 400 <= 1500 < 4 x 400 */
	CASE_EXPECT_PTR_EQ(ctx, np_sched_next(&s, 0, np_sched_case_src_len),
			   &v[1].flow);
	/* A bucket that cannot pay stops the burst as well. */
	np_tb_init(&v[1].flow.tb, 1000, 600, 0);
	CASE_EXPECT_TRUE(ctx, np_sched_more(&v[1].flow, 400, 0));
	CASE_EXPECT_FALSE(ctx, np_sched_more(&v[1].flow, 400, 0));
}

/* Emptied flows leave the rounds; woken ones come back. */
static void np_sched_case_empty_flows_leave(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_vif *v = np_sched_case_vifs(ctx, 2);
	struct np_sched s;

	np_sched_init(&s);
	np_flow_init(&v[0].flow, 1514);
	np_flow_init(&v[1].flow, 1514);
	np_sched_case_enqueue(&s, &v[0], 100);
	np_sched_case_enqueue(&s, &v[1], 200);
	CASE_EXPECT_EQ(ctx, s.nr_active, 2U);
	CASE_ASSERT_NOT_NULL(ctx, np_sched_case_step(&s, 0));
	CASE_ASSERT_NOT_NULL(ctx, np_sched_case_step(&s, 0));
	CASE_EXPECT_NULL(ctx, np_sched_case_step(&s, 0));
	CASE_EXPECT_EQ(ctx, s.nr_active, 0U);
	CASE_EXPECT_EQ(ctx, v[0].sent, 100ULL);
	CASE_EXPECT_EQ(ctx, v[1].sent, 200ULL);
	np_sched_case_enqueue(&s, &v[1], 300);
	CASE_EXPECT_PTR_EQ(ctx, np_sched_case_step(&s, 0), &v[1]);
	np_sched_remove(&s, &v[1].flow);
	CASE_EXPECT_EQ(ctx, s.nr_active, 0U);
}

/* Everything throttled: the scheduler says so instead of spinning. */
static void np_sched_case_all_throttled_returns_null(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_vif *v = np_sched_case_vifs(ctx, 3);
	struct np_sched s;
	int i;

	np_sched_case_setup(&s, v, 3, NULL);
	for (i = 0; i < 3; i++)
		np_tb_init(&v[i].flow.tb, 1000, 1514, 0);
	while (np_sched_case_step(&s, 0))
		;
	CASE_EXPECT_EQ(ctx, s.nr_active, 3U);
	/* A second later each bucket has refilled by 1000 bytes. */
	CASE_EXPECT_NULL(ctx, np_sched_next(&s, 1000, np_sched_case_head_len));
	CASE_EXPECT_NOT_NULL(ctx, np_sched_case_step(&s, 2 * NP_SCHED_CASE_NS));
}

static void np_sched_case_token_bucket_edges(struct vcore_case_ctx *ctx)
{
	struct np_tb tb;

	np_tb_init(&tb, 1000, 1500, 0);
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 1500, 0));
	CASE_EXPECT_FALSE(ctx, np_tb_take(&tb, 1, 0));
	CASE_EXPECT_FALSE(ctx, np_tb_take(&tb, 1000, NP_SCHED_CASE_NS - 1));
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 1000, NP_SCHED_CASE_NS));
	/* A long idle time refills to the depth, not beyond, not overflowing. */
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 1500, ~0ULL / 2));
	CASE_EXPECT_FALSE(ctx, np_tb_take(&tb, 1, ~0ULL / 2));
	/* A frame deeper than the bucket goes only from a full bucket. */
	np_tb_init(&tb, 1000, 1000, 0);
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 9000, 0));
	CASE_EXPECT_FALSE(ctx, np_tb_take(&tb, 9000, NP_SCHED_CASE_NS / 2));
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 9000, NP_SCHED_CASE_NS));
	/* Unlimited. */
	np_tb_init(&tb, 0, 0, 0);
	CASE_EXPECT_TRUE(ctx, np_tb_take(&tb, 65535, 0));
}

/* Frames much larger than the quantum still go (TSO frames of 64 KiB). */
static void np_sched_case_large_frames_accumulate_credit(struct vcore_case_ctx *ctx)
{
	struct np_sched_case_vif *v = np_sched_case_vifs(ctx, 2);
	struct np_sched s;
	int k;

	np_sched_init(&s);
	np_flow_init(&v[0].flow, 1514);
	np_flow_init(&v[1].flow, 1514);
	for (k = 0; k < 4; k++) {
		np_sched_case_enqueue(&s, &v[0], 65535);
		np_sched_case_enqueue(&s, &v[1], 1000);
	}
	while (np_sched_case_step(&s, 0))
		;
	CASE_EXPECT_EQ(ctx, v[0].sent, 4 * 65535ULL);
	CASE_EXPECT_EQ(ctx, v[1].sent, 4 * 1000ULL);
}

#define NP_SCHED_CASE(name)	{ #name, np_sched_case_##name }

static const struct vcore_case np_sched_cases[] = {
	NP_SCHED_CASE(weights),
	NP_SCHED_CASE(rate),
	NP_SCHED_CASE(more),
	NP_SCHED_CASE(empty_flows_leave),
	NP_SCHED_CASE(all_throttled_returns_null),
	NP_SCHED_CASE(token_bucket_edges),
	NP_SCHED_CASE(large_frames_accumulate_credit),
};

#endif /* _NP_SCHED_CASES_H */
