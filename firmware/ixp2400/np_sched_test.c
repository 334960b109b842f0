// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched_test.c - KUnit tests of the NP egress scheduler in the kernel;
 * the long simulations run natively (tools/testing/native/np_sched_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_sched.c"

struct np_sched_test_vif {
	struct np_flow flow;
	u32 len;	/* every frame */
	u32 left;	/* frames queued */
	u64 sent;
};

static u32 np_sched_test_head_len(struct np_flow *f)
{
	struct np_sched_test_vif *v = container_of(f, struct np_sched_test_vif, flow);

	return v->left ? v->len : 0;
}

static void np_sched_test_drain(struct np_sched *s, u64 now)
{
	struct np_sched_test_vif *v;
	struct np_flow *f;

	while ((f = np_sched_next(s, now, np_sched_test_head_len))) {
		v = container_of(f, struct np_sched_test_vif, flow);
		v->left--;
		v->sent += v->len;
	}
}

/* Two flows, one with twice the quantum, both backlogged for a while. */
static void np_sched_test_weights(struct kunit *test)
{
	struct np_sched_test_vif v[2] = {
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
		struct np_flow *f = np_sched_next(&s, 0, np_sched_test_head_len);
		struct np_sched_test_vif *w;

		KUNIT_ASSERT_NOT_NULL(test, f);
		w = container_of(f, struct np_sched_test_vif, flow);
		w->left--;
		w->sent += w->len;
	}
	KUNIT_EXPECT_EQ(test, v[0].sent, 250000ULL);
	KUNIT_EXPECT_EQ(test, v[1].sent, 500000ULL);
}

/* 1 MB/s with a 10 kB bucket: 10 kB at once, then 1 kB per ms. */
static void np_sched_test_rate(struct kunit *test)
{
	struct np_sched_test_vif v = { .len = 1000, .left = 100 };
	struct np_sched s;

	np_sched_init(&s);
	np_flow_init(&v.flow, 1514);
	np_tb_init(&v.flow.tb, 1000000, 10000, 0);
	np_sched_wake(&s, &v.flow);
	np_sched_test_drain(&s, 0);
	KUNIT_EXPECT_EQ(test, v.sent, 10000ULL);
	np_sched_test_drain(&s, 5000000);
	KUNIT_EXPECT_EQ(test, v.sent, 15000ULL);
	np_sched_test_drain(&s, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, v.sent, 25000ULL);	/* capped by the depth */
}

/* A turn sent in a burst: np_sched_more() stops where the quantum ends. */
static void np_sched_test_more(struct kunit *test)
{
	struct np_sched_test_vif v[2] = {
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
	f = np_sched_next(&s, 0, np_sched_test_head_len);
	KUNIT_ASSERT_PTR_EQ(test, f, &v[0].flow);
	while (np_sched_more(f, 400, 0))
		n++;
	KUNIT_EXPECT_EQ(test, n, 3);	/* 3 x 400 <= 1500 < 4 x 400 */
	KUNIT_EXPECT_PTR_EQ(test, np_sched_next(&s, 0, np_sched_test_head_len),
			    &v[1].flow);
	/* A bucket that cannot pay stops the burst as well. */
	np_tb_init(&v[1].flow.tb, 1000, 600, 0);
	KUNIT_EXPECT_TRUE(test, np_sched_more(&v[1].flow, 400, 0));
	KUNIT_EXPECT_FALSE(test, np_sched_more(&v[1].flow, 400, 0));
}

static struct kunit_case np_sched_test_cases[] = {
	KUNIT_CASE(np_sched_test_weights),
	KUNIT_CASE(np_sched_test_rate),
	KUNIT_CASE(np_sched_test_more),
	{}
};

static struct kunit_suite np_sched_test_suite = {
	.name = "np_sched",
	.test_cases = np_sched_test_cases,
};
kunit_test_suite(np_sched_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP egress scheduler");
MODULE_LICENSE("GPL");
