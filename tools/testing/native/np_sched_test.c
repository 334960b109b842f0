// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched_test.c - the NP egress scheduler (firmware/ixp2400/np_sched.c)
 * natively under ASan and UBSan: byte fairness of deficit round robin,
 * weights through quanta, token-bucket rates, work conservation, and the
 * bucket's arithmetic at its edges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_sched.h"
#include "kselftest_harness.h"

#define NFLOWS	8
#define QLEN	64

struct vif {
	struct np_flow flow;	/* first: the scheduler hands it back */
	u32 frames[QLEN];	/* lengths of the queued frames */
	unsigned int head, count;
	u64 sent;		/* bytes */
	int infinite;		/* refill its queue forever */
};

static unsigned int seed = 1;

static u32 rnd_len(void)
{
	seed = seed * 1103515245 + 12345;
	return 64 + (seed >> 8) % 1451;	/* 64 .. 1514 */
}

static u32 head_len(struct np_flow *f)
{
	struct vif *v = (struct vif *)f;

	return v->count ? v->frames[v->head] : 0;
}

static void enqueue(struct np_sched *s, struct vif *v, u32 len)
{
	v->frames[(v->head + v->count++) % QLEN] = len;
	np_sched_wake(s, &v->flow);
}

/* Send the frame the scheduler picked; keep infinite sources backlogged. */
static struct vif *step(struct np_sched *s, u64 now)
{
	struct np_flow *f = np_sched_next(s, now, head_len);
	struct vif *v = (struct vif *)f;

	if (!f)
		return NULL;
	v->sent += v->frames[v->head];
	v->head = (v->head + 1) % QLEN;
	v->count--;
	if (v->infinite)
		enqueue(s, v, rnd_len());
	return v;
}

static void setup(struct np_sched *s, struct vif *v, int n, const u32 *quanta)
{
	int i, j;

	np_sched_init(s);
	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		np_flow_init(&v[i].flow, quanta ? quanta[i] : 1514);
		v[i].infinite = 1;
		for (j = 0; j < 8; j++)
			enqueue(s, &v[i], rnd_len());
	}
}

/* Backlogged equal flows: bytes never drift more than quantum + frame. */
TEST(equal_quanta_are_fair_at_every_step)
{
	struct vif v[NFLOWS];
	struct np_sched s;
	u64 lo, hi;
	int i, k;

	setup(&s, v, NFLOWS, NULL);
	for (k = 0; k < 200000; k++) {
		ASSERT_NE(NULL, step(&s, 0));
		lo = UINT64_MAX;
		hi = 0;
		for (i = 0; i < NFLOWS; i++) {
			lo = v[i].sent < lo ? v[i].sent : lo;
			hi = v[i].sent > hi ? v[i].sent : hi;
		}
		ASSERT_LE(hi - lo, 2 * (1514 + 1514)) TH_LOG("step %d", k);
	}
}

TEST(quanta_weight_the_shares)
{
	static const u32 quanta[3] = { 1514, 3028, 6056 };
	struct vif v[3];
	struct np_sched s;
	double total = 0;
	int i, k;

	setup(&s, v, 3, quanta);
	for (k = 0; k < 300000; k++)
		ASSERT_NE(NULL, step(&s, 0));
	for (i = 0; i < 3; i++)
		total += v[i].sent;
	for (i = 0; i < 3; i++) {
		double share = v[i].sent / total, want = (1 << i) / 7.0;

		EXPECT_TRUE(share > want - 0.005 && share < want + 0.005)
			TH_LOG("flow %d: share %.4f, want %.4f", i, share, want);
	}
}

/* Emptied flows leave the rounds; woken ones come back. */
TEST(empty_flows_leave)
{
	struct vif v[2];
	struct np_sched s;

	np_sched_init(&s);
	memset(v, 0, sizeof(v));
	np_flow_init(&v[0].flow, 1514);
	np_flow_init(&v[1].flow, 1514);
	enqueue(&s, &v[0], 100);
	enqueue(&s, &v[1], 200);
	EXPECT_EQ(2, s.nr_active);
	ASSERT_NE(NULL, step(&s, 0));
	ASSERT_NE(NULL, step(&s, 0));
	EXPECT_EQ(NULL, step(&s, 0));
	EXPECT_EQ(0, s.nr_active);
	EXPECT_EQ(100, v[0].sent);
	EXPECT_EQ(200, v[1].sent);
	enqueue(&s, &v[1], 300);
	EXPECT_EQ(&v[1], step(&s, 0));
	np_sched_remove(&s, &v[1].flow);
	EXPECT_EQ(0, s.nr_active);
}

/*
 * A flow limited to 1 MB/s beside an unlimited one, over simulated time:
 * it never exceeds burst + rate * t, it gets close to its rate, and the
 * other flow takes all the rest (work conservation).
 */
TEST(rate_limit_and_work_conservation)
{
	const u64 rate = 1000000, burst = 16000, step_ns = 10000;
	struct vif v[2];
	struct np_sched s;
	u64 now, t_end = 2000000000ULL;
	int idle = 0;

	setup(&s, v, 2, NULL);
	np_tb_init(&v[0].flow.tb, rate, burst, 0);
	/* The link sends at most one frame per 10 us of simulated time. */
	for (now = 0; now < t_end; now += step_ns) {
		if (!step(&s, now))
			idle++;
		ASSERT_LE(v[0].sent, burst + rate * now / 1000000000ULL)
			TH_LOG("at %llu ns", (unsigned long long)now);
	}
	EXPECT_EQ(0, idle);	/* never idle while a flow could send */
	EXPECT_LE(rate * 2 * 98 / 100, v[0].sent);
	EXPECT_LT(v[0].sent * 10, v[1].sent);
}

/* Everything throttled: the scheduler says so instead of spinning. */
TEST(all_throttled_returns_null)
{
	struct vif v[3];
	struct np_sched s;
	int i;

	setup(&s, v, 3, NULL);
	for (i = 0; i < 3; i++)
		np_tb_init(&v[i].flow.tb, 1000, 1514, 0);
	while (step(&s, 0))
		;
	EXPECT_EQ(3, s.nr_active);
	/* A second later each bucket has refilled by 1000 bytes. */
	EXPECT_EQ(NULL, np_sched_next(&s, 1000, head_len));
	EXPECT_NE(NULL, step(&s, 2000000000ULL));
}

TEST(token_bucket_edges)
{
	struct np_tb tb;

	np_tb_init(&tb, 1000, 1500, 0);
	EXPECT_TRUE(np_tb_take(&tb, 1500, 0));
	EXPECT_FALSE(np_tb_take(&tb, 1, 0));
	EXPECT_FALSE(np_tb_take(&tb, 1000, 999999999));
	EXPECT_TRUE(np_tb_take(&tb, 1000, 1000000000));
	/* A long idle time refills to the depth, not beyond, not overflowing. */
	EXPECT_TRUE(np_tb_take(&tb, 1500, UINT64_MAX / 2));
	EXPECT_FALSE(np_tb_take(&tb, 1, UINT64_MAX / 2));
	/* A frame deeper than the bucket goes only from a full bucket. */
	np_tb_init(&tb, 1000, 1000, 0);
	EXPECT_TRUE(np_tb_take(&tb, 9000, 0));
	EXPECT_FALSE(np_tb_take(&tb, 9000, 500000000));
	EXPECT_TRUE(np_tb_take(&tb, 9000, 1000000000));
	/* Unlimited. */
	np_tb_init(&tb, 0, 0, 0);
	EXPECT_TRUE(np_tb_take(&tb, 65535, 0));
}

/* Frames much larger than the quantum still go (TSO frames of 64 KiB). */
TEST(large_frames_accumulate_credit)
{
	struct vif v[2];
	struct np_sched s;
	int k;

	np_sched_init(&s);
	memset(v, 0, sizeof(v));
	np_flow_init(&v[0].flow, 1514);
	np_flow_init(&v[1].flow, 1514);
	for (k = 0; k < 4; k++) {
		enqueue(&s, &v[0], 65535);
		enqueue(&s, &v[1], 1000);
	}
	while (step(&s, 0))
		;
	EXPECT_EQ(4 * 65535, v[0].sent);
	EXPECT_EQ(4 * 1000, v[1].sent);
}

/*
 * np_sched_more() bursts the rest of a flow's turn: the frames go in exactly
 * the order np_sched_next() alone gives, rate limits and all.
 */
TEST(more_is_next_without_the_search)
{
	struct vif a[4], b[4];
	struct np_sched sa, sb;
	u64 now = 0;
	int i, k, n = 0;

	setup(&sa, a, 4, NULL);
	seed = 1;
	setup(&sb, b, 4, NULL);
	for (i = 0; i < 2; i++) {
		np_tb_init(&a[i].flow.tb, 2000000 * (i + 1), 4000, 0);
		np_tb_init(&b[i].flow.tb, 2000000 * (i + 1), 4000, 0);
	}
	for (k = 0; k < 100000; k++, now += 700) {
		struct np_flow *f = np_sched_next(&sb, now, head_len);
		struct vif *v = (struct vif *)f, *w;

		if (!f) {
			ASSERT_EQ(NULL, step(&sa, now));
			continue;
		}
		/* b: the whole turn at once; a: one np_sched_next() per frame. */
		do {
			w = step(&sa, now);
			ASSERT_EQ(v - b, w - a) TH_LOG("frame %d", n);
			v->sent += v->frames[v->head];
			v->head = (v->head + 1) % QLEN;
			v->count--;
			/* The frame a's source queued in turn. */
			enqueue(&sb, v, w->frames[(w->head + w->count - 1) % QLEN]);
			n++;
		} while (np_sched_more(f, head_len(f), now));
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(a[i].sent, b[i].sent);
	EXPECT_LT(80000, n);
}

TEST_HARNESS_MAIN
