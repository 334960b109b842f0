// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched_test.c - the NP egress scheduler (firmware/ixp2400/np_sched.c)
 * natively under ASan and UBSan: the cases of
 * firmware/ixp2400/np_sched_cases.h (shared with the KUnit suite) and the
 * long simulations: byte fairness of deficit round robin, weights through
 * quanta, token-bucket rates with work conservation, and bursts of a turn
 * against one pick per frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_sched.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "np_sched_cases.h"

#define NFLOWS	8
#define QLEN	NP_SCHED_CASE_QLEN

/* The hand-written cases, firmware/ixp2400/np_sched_cases.h. */
VCORE_NATIVE_CASES(np_sched, np_sched_cases)

/* Backlogged equal flows: bytes never drift more than quantum + frame. */
TEST(equal_quanta_are_fair_at_every_step)
{
	struct np_sched_case_vif v[NFLOWS];
	struct np_sched s;
	u64 lo, hi;
	int i, k;

	np_sched_case_setup(&s, v, NFLOWS, NULL);
	for (k = 0; k < 200000; k++) {
		ASSERT_NE(NULL, np_sched_case_step(&s, 0));
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
	struct np_sched_case_vif v[3];
	struct np_sched s;
	double total = 0;
	int i, k;

	np_sched_case_setup(&s, v, 3, quanta);
	for (k = 0; k < 300000; k++)
		ASSERT_NE(NULL, np_sched_case_step(&s, 0));
	for (i = 0; i < 3; i++)
		total += v[i].sent;
	for (i = 0; i < 3; i++) {
		double share = v[i].sent / total, want = (1 << i) / 7.0;

		EXPECT_TRUE(share > want - 0.005 && share < want + 0.005)
			TH_LOG("flow %d: share %.4f, want %.4f", i, share, want);
	}
}

/*
 * A flow limited to 1 MB/s beside an unlimited one, over simulated time:
 * it never exceeds burst + rate * t, it gets close to its rate, and the
 * other flow takes all the rest (work conservation).
 */
TEST(rate_limit_and_work_conservation)
{
	const u64 rate = 1000000, burst = 16000, step_ns = 10000;
	struct np_sched_case_vif v[2];
	struct np_sched s;
	u64 now, t_end = 2000000000ULL;
	int idle = 0;

	np_sched_case_setup(&s, v, 2, NULL);
	np_tb_init(&v[0].flow.tb, rate, burst, 0);
	/* The link sends at most one frame per 10 us of simulated time. */
	for (now = 0; now < t_end; now += step_ns) {
		if (!np_sched_case_step(&s, now))
			idle++;
		ASSERT_LE(v[0].sent, burst + rate * now / 1000000000ULL)
			TH_LOG("at %llu ns", (unsigned long long)now);
	}
	EXPECT_EQ(0, idle);	/* never idle while a flow could send */
	EXPECT_LE(rate * 2 * 98 / 100, v[0].sent);
	EXPECT_LT(v[0].sent * 10, v[1].sent);
}

/*
 * np_sched_more() bursts the rest of a flow's turn: the frames go in exactly
 * the order np_sched_next() alone gives, rate limits and all.
 */
TEST(more_is_next_without_the_search)
{
	struct np_sched_case_vif a[4], b[4];
	struct np_sched sa, sb;
	u64 now = 0;
	int i, k, n = 0;

	np_sched_case_setup(&sa, a, 4, NULL);
	np_sched_case_seed = 1;
	np_sched_case_setup(&sb, b, 4, NULL);
	for (i = 0; i < 2; i++) {
		np_tb_init(&a[i].flow.tb, 2000000 * (i + 1), 4000, 0);
		np_tb_init(&b[i].flow.tb, 2000000 * (i + 1), 4000, 0);
	}
	for (k = 0; k < 100000; k++, now += 700) {
		struct np_flow *f = np_sched_next(&sb, now,
						  np_sched_case_head_len);
		struct np_sched_case_vif *v = (struct np_sched_case_vif *)f;
		struct np_sched_case_vif *w;

		if (!f) {
			ASSERT_EQ(NULL, np_sched_case_step(&sa, now));
			continue;
		}
		/* b: the whole turn at once; a: one np_sched_next() per frame. */
		do {
			w = np_sched_case_step(&sa, now);
			ASSERT_EQ(v - b, w - a) TH_LOG("frame %d", n);
			v->sent += v->frames[v->head];
			v->head = (v->head + 1) % QLEN;
			v->count--;
			/* The frame a's source queued in turn. */
			np_sched_case_enqueue(&sb, v,
				w->frames[(w->head + w->count - 1) % QLEN]);
			n++;
		} while (np_sched_more(f, np_sched_case_head_len(f), now));
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(a[i].sent, b[i].sent);
	EXPECT_LT(80000, n);
}

TEST_HARNESS_MAIN
