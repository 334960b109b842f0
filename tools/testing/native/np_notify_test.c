// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_test.c - the virtual interrupt identifier
 * (firmware/ixp2400/np_notify.c) natively under ASan and UBSan: each marked
 * VIF called back once and in order, suppression, marks made during a
 * flush, batching by frames and by poll cycles, and a flush that visits the
 * words with marked VIFs only, however many VIFs there are.
 */
#include <errno.h>
#include <string.h>

#include "np_notify.h"
#include "kselftest_harness.h"

struct log {
	unsigned int calls[NP_MAX_VIFS];
	unsigned int order[NP_MAX_VIFS * 2];
	unsigned int n;
	int suppress_odd;		/* suppress the odd VIFs */
	struct np_notify *remark;	/* mark this VIF again from the callback */
	unsigned int remark_vif;
};

static bool cb(void *arg, unsigned int vif)
{
	struct log *l = arg;

	l->calls[vif]++;
	l->order[l->n++] = vif;
	if (l->remark) {
		np_notify_mark(l->remark, l->remark_vif);
		l->remark = NULL;
	}
	return !(l->suppress_odd && vif % 2);
}

TEST(each_marked_vif_once_in_order)
{
	static const unsigned int marks[] = { 200, 3, 64, 3, 255, 0, 63, 200 };
	struct np_notify n;
	struct log l = {};
	unsigned int i;

	np_notify_init(&n);
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		np_notify_mark(&n, marks[i]);
	EXPECT_EQ(6, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(6, l.n);
	for (i = 0; i < NP_MAX_VIFS; i++)
		EXPECT_EQ(i == 0 || i == 3 || i == 63 || i == 64 || i == 200 ||
			  i == 255, l.calls[i]) TH_LOG("vif %u", i);
	for (i = 1; i < l.n; i++)
		EXPECT_LT(l.order[i - 1], l.order[i]);
	/* Nothing left. */
	EXPECT_EQ(0, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(0, n.summary);
	EXPECT_EQ(6, n.sent);
	EXPECT_EQ(0, n.suppressed);
}

TEST(suppression_is_the_callbacks)
{
	struct np_notify n;
	struct log l = { .suppress_odd = 1 };
	unsigned int i;

	np_notify_init(&n);
	for (i = 0; i < 10; i++)
		np_notify_mark(&n, i);
	EXPECT_EQ(10, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(5, n.sent);
	EXPECT_EQ(5, n.suppressed);
}

TEST(clear_forgets)
{
	struct np_notify n;
	struct log l = {};

	np_notify_init(&n);
	np_notify_mark(&n, 70);
	np_notify_mark(&n, 71);
	np_notify_clear(&n, 70);
	EXPECT_EQ(1ULL << 1, n.summary);
	np_notify_clear(&n, 71);
	EXPECT_EQ(0, n.summary);
	np_notify_clear(&n, 5);	/* never marked */
	EXPECT_EQ(0, np_notify_flush(&n, cb, &l));
}

/* A mark made by the callback for a word already visited waits. */
TEST(mark_during_flush_waits_for_the_next)
{
	struct np_notify n;
	struct log l = {};

	np_notify_init(&n);
	np_notify_mark(&n, 1);
	np_notify_mark(&n, 130);
	l.remark = &n;
	l.remark_vif = 1;
	EXPECT_EQ(2, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(1, l.calls[1]);
	EXPECT_EQ(1ULL << 0, n.summary);
	EXPECT_EQ(1, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(2, l.calls[1]);
	EXPECT_EQ(0, n.summary);
}

TEST(batching_by_frames_and_cycles)
{
	struct np_notify n;

	np_notify_init(&n);
	/* Default: every poll cycle, no frame bound. */
	EXPECT_FALSE(np_notify_frames(&n, 100000));
	EXPECT_FALSE(np_notify_poll_end(&n));	/* nothing marked */
	np_notify_mark(&n, 9);
	EXPECT_TRUE(np_notify_poll_end(&n));

	ASSERT_EQ(0, np_notify_config(&n, 32, 3));
	np_notify_flush(&n, cb, &(struct log){});
	np_notify_mark(&n, 9);
	EXPECT_FALSE(np_notify_frames(&n, 31));
	EXPECT_TRUE(np_notify_frames(&n, 1));
	np_notify_flush(&n, cb, &(struct log){});
	np_notify_mark(&n, 9);
	EXPECT_FALSE(np_notify_frames(&n, 31));	/* the count restarted */
	EXPECT_FALSE(np_notify_poll_end(&n));
	EXPECT_FALSE(np_notify_poll_end(&n));
	EXPECT_TRUE(np_notify_poll_end(&n));	/* the third cycle */

	EXPECT_EQ(-EINVAL, np_notify_config(&n, NP_NOTIFY_MAX_FRAMES + 1, 1));
	EXPECT_EQ(-EINVAL, np_notify_config(&n, 0, 0));
	EXPECT_EQ(-EINVAL, np_notify_config(&n, 0, NP_NOTIFY_MAX_CYCLES + 1));
	EXPECT_EQ(32, n.batch_frames);	/* unchanged by the refusals */
	EXPECT_EQ(3, n.batch_cycles);
	EXPECT_EQ(0, np_notify_config(&n, NP_NOTIFY_MAX_FRAMES,
				      NP_NOTIFY_MAX_CYCLES));
}

/* The words a flush visits: those with marked VIFs, never all of them. */
TEST(flush_cost_independent_of_total_vifs)
{
	struct np_notify n;
	struct log l = {};
	unsigned int v;

	np_notify_init(&n);
	/* One VIF marked among 256: one word visited, one call. */
	for (v = 0; v < NP_MAX_VIFS; v += 37) {
		n.words = 0;
		np_notify_mark(&n, v);
		EXPECT_EQ(1, np_notify_flush(&n, cb, &l));
		EXPECT_EQ(1, n.words);
	}
	/* A word's worth marked: one word visited, 64 calls. */
	n.words = 0;
	for (v = 128; v < 192; v++)
		np_notify_mark(&n, v);
	EXPECT_EQ(64, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(1, n.words);
	/* Nothing marked: nothing visited. */
	n.words = 0;
	EXPECT_EQ(0, np_notify_flush(&n, cb, &l));
	EXPECT_EQ(0, n.words);
}

TEST_HARNESS_MAIN
