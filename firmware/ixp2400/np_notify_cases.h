/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_notify_cases.h - the hand-written cases of the NP virtual interrupt
 * identifier (np_notify.c), run by its KUnit suite (np_notify_test.c,
 * beside it) and its native test (tools/testing/native/np_notify_test.c):
 * each marked VIF called back once and in order, suppression, marks made
 * during a flush, batching by frames and by poll cycles, and a flush that
 * visits the words with marked VIFs only.  Written against vcore_case.h's
 * CASE_*(), which the including harness defines; included once, by a test,
 * after the errno values.
 */
#ifndef _NP_NOTIFY_CASES_H
#define _NP_NOTIFY_CASES_H

#include "vcore_case.h"
#include "np_notify.h"

/* Which VIFs the callback says it suppressed. */
#define NP_NOTIFY_CASE_SUPPRESS_ODD	1U
#define NP_NOTIFY_CASE_SUPPRESS_EVEN	2U

/* What the callback saw, and what it does. */
struct np_notify_case_log {
	unsigned int calls[NP_MAX_VIFS];
	unsigned int order[NP_MAX_VIFS * 2];
	unsigned int n;
	unsigned int suppress;		/* NP_NOTIFY_CASE_SUPPRESS_* */
	struct np_notify *remark;	/* mark this VIF again from the callback */
	unsigned int remark_vif;
};

static bool np_notify_case_cb(void *arg, unsigned int vif)
{
	struct np_notify_case_log *l = arg;

	l->calls[vif]++;
	if (l->n < ARRAY_SIZE(l->order))
		l->order[l->n] = vif;
	l->n++;
	if (l->remark) {
		np_notify_mark(l->remark, l->remark_vif);
		l->remark = NULL;
	}
	if (vif % 2)
		return !(l->suppress & NP_NOTIFY_CASE_SUPPRESS_ODD);
	return !(l->suppress & NP_NOTIFY_CASE_SUPPRESS_EVEN);
}

static struct np_notify_case_log *np_notify_case_log(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = CASE_ZALLOC(ctx, sizeof(*l));

	CASE_ASSERT_NOT_NULL(ctx, l);
	return l;
}

/* The callbacks came in increasing VIF order. */
static void np_notify_case_expect_ordered(struct vcore_case_ctx *ctx,
					  const struct np_notify_case_log *l)
{
	unsigned int i;

	CASE_ASSERT_LE(ctx, l->n, (unsigned int)ARRAY_SIZE(l->order));
	for (i = 1; i < l->n; i++)
		CASE_EXPECT_LT(ctx, l->order[i - 1], l->order[i]);
}

static void np_notify_case_each_marked_vif_once_in_order(struct vcore_case_ctx *ctx)
{
	static const unsigned int marks[] = { 200, 3, 64, 3, 255, 0, 63, 200 };
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;
	unsigned int i;

	np_notify_init(&n);
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		np_notify_mark(&n, marks[i]);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 6U);
	CASE_EXPECT_EQ(ctx, l->n, 6U);
	for (i = 0; i < NP_MAX_VIFS; i++)
		CASE_EXPECT_EQ(ctx, l->calls[i],
			       i == 0 || i == 3 || i == 63 || i == 64 ||
			       i == 200 || i == 255 ? 1U : 0U);
	np_notify_case_expect_ordered(ctx, l);
	/* Nothing left. */
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 0U);
	CASE_EXPECT_EQ(ctx, n.summary, 0ULL);
	CASE_EXPECT_EQ(ctx, n.sent, 6ULL);
	CASE_EXPECT_EQ(ctx, n.suppressed, 0ULL);
}

/* Every fifth VIF marked twice, the even ones suppressed. */
static void np_notify_case_once_each(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;
	unsigned int v;

	l->suppress = NP_NOTIFY_CASE_SUPPRESS_EVEN;
	np_notify_init(&n);
	for (v = 0; v < NP_MAX_VIFS; v += 5) {
		np_notify_mark(&n, v);
		np_notify_mark(&n, v);
	}
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 52U);
	for (v = 0; v < NP_MAX_VIFS; v++)
		CASE_EXPECT_EQ(ctx, l->calls[v], v % 5 ? 0U : 1U);
	np_notify_case_expect_ordered(ctx, l);
	CASE_EXPECT_EQ(ctx, n.sent, 26ULL);
	CASE_EXPECT_EQ(ctx, n.suppressed, 26ULL);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 0U);
}

static void np_notify_case_suppression_is_the_callbacks(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;
	unsigned int i;

	l->suppress = NP_NOTIFY_CASE_SUPPRESS_ODD;
	np_notify_init(&n);
	for (i = 0; i < 10; i++)
		np_notify_mark(&n, i);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 10U);
	CASE_EXPECT_EQ(ctx, n.sent, 5ULL);
	CASE_EXPECT_EQ(ctx, n.suppressed, 5ULL);
}

static void np_notify_case_clear_forgets(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;

	np_notify_init(&n);
	np_notify_mark(&n, 70);
	np_notify_mark(&n, 71);
	np_notify_clear(&n, 70);
	CASE_EXPECT_EQ(ctx, n.summary, 1ULL << 1);
	np_notify_clear(&n, 71);
	CASE_EXPECT_EQ(ctx, n.summary, 0ULL);
	np_notify_clear(&n, 5);	/* never marked */
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 0U);
	CASE_EXPECT_EQ(ctx, l->n, 0U);
}

/* A mark made by the callback for a word already visited waits. */
static void np_notify_case_mark_during_flush_waits_for_the_next(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;

	np_notify_init(&n);
	np_notify_mark(&n, 1);
	np_notify_mark(&n, 130);
	l->remark = &n;
	l->remark_vif = 1;
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 2U);
	CASE_EXPECT_EQ(ctx, l->calls[1], 1U);
	CASE_EXPECT_EQ(ctx, n.summary, 1ULL << 0);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 1U);
	CASE_EXPECT_EQ(ctx, l->calls[1], 2U);
	CASE_EXPECT_EQ(ctx, n.summary, 0ULL);
}

static void np_notify_case_batching_by_frames_and_cycles(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;

	np_notify_init(&n);
	/* Default: every poll cycle, no frame bound. */
	CASE_EXPECT_FALSE(ctx, np_notify_frames(&n, 100000));
	CASE_EXPECT_FALSE(ctx, np_notify_poll_end(&n));	/* nothing marked */
	np_notify_mark(&n, 9);
	CASE_EXPECT_TRUE(ctx, np_notify_poll_end(&n));

	CASE_ASSERT_EQ(ctx, np_notify_config(&n, 32, 3), 0);
	np_notify_flush(&n, np_notify_case_cb, l);
	np_notify_mark(&n, 9);
	CASE_EXPECT_FALSE(ctx, np_notify_frames(&n, 31));
	CASE_EXPECT_TRUE(ctx, np_notify_frames(&n, 1));
	np_notify_flush(&n, np_notify_case_cb, l);
	np_notify_mark(&n, 9);
	CASE_EXPECT_FALSE(ctx, np_notify_frames(&n, 31)); /* count restarted */
	CASE_EXPECT_FALSE(ctx, np_notify_poll_end(&n));
	CASE_EXPECT_FALSE(ctx, np_notify_poll_end(&n));
	CASE_EXPECT_TRUE(ctx, np_notify_poll_end(&n));	/* the third cycle */

	CASE_EXPECT_EQ(ctx, np_notify_config(&n, NP_NOTIFY_MAX_FRAMES + 1, 1),
		       -EINVAL);
	CASE_EXPECT_EQ(ctx, np_notify_config(&n, 0, 0), -EINVAL);
	CASE_EXPECT_EQ(ctx, np_notify_config(&n, 0, NP_NOTIFY_MAX_CYCLES + 1),
		       -EINVAL);
	CASE_EXPECT_EQ(ctx, n.batch_frames, 32U); /* unchanged by refusals */
	CASE_EXPECT_EQ(ctx, n.batch_cycles, 3U);
	CASE_EXPECT_EQ(ctx, np_notify_config(&n, NP_NOTIFY_MAX_FRAMES,
					     NP_NOTIFY_MAX_CYCLES), 0);
}

/* Batched by both, not flushed: the cycles count on; a clear empties. */
static void np_notify_case_batching_unflushed(struct vcore_case_ctx *ctx)
{
	struct np_notify n;

	np_notify_init(&n);
	CASE_EXPECT_EQ(ctx, np_notify_config(&n, 0, 0), -EINVAL);
	CASE_ASSERT_EQ(ctx, np_notify_config(&n, 8, 2), 0);
	np_notify_mark(&n, 3);
	CASE_EXPECT_FALSE(ctx, np_notify_frames(&n, 7));
	CASE_EXPECT_TRUE(ctx, np_notify_frames(&n, 1));
	CASE_EXPECT_FALSE(ctx, np_notify_poll_end(&n));
	CASE_EXPECT_TRUE(ctx, np_notify_poll_end(&n));
	np_notify_clear(&n, 3);
	CASE_EXPECT_EQ(ctx, n.summary, 0ULL);
}

/*
 * The words a flush visits: those with marked VIFs, never all of them; the
 * last VIF's word too.
 */
static void np_notify_case_flush_cost_independent_of_total_vifs(struct vcore_case_ctx *ctx)
{
	struct np_notify_case_log *l = np_notify_case_log(ctx);
	struct np_notify n;
	unsigned int v;

	np_notify_init(&n);
	/* One VIF marked among 256: one word visited, one call. */
	for (v = 0; v < NP_MAX_VIFS; v += 37) {
		n.words = 0;
		np_notify_mark(&n, v);
		CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 1U);
		CASE_EXPECT_EQ(ctx, n.words, 1ULL);
	}
	n.words = 0;
	np_notify_mark(&n, NP_MAX_VIFS - 1);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 1U);
	CASE_EXPECT_EQ(ctx, n.words, 1ULL);
	CASE_EXPECT_EQ(ctx, l->calls[NP_MAX_VIFS - 1], 1U);
	/* A word's worth marked: one word visited, 64 calls. */
	n.words = 0;
	for (v = 128; v < 192; v++)
		np_notify_mark(&n, v);
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 64U);
	CASE_EXPECT_EQ(ctx, n.words, 1ULL);
	/* Nothing marked: nothing visited. */
	n.words = 0;
	CASE_EXPECT_EQ(ctx, np_notify_flush(&n, np_notify_case_cb, l), 0U);
	CASE_EXPECT_EQ(ctx, n.words, 0ULL);
}

#define NP_NOTIFY_CASE(name)	{ #name, np_notify_case_##name }

static const struct vcore_case np_notify_cases[] = {
	NP_NOTIFY_CASE(each_marked_vif_once_in_order),
	NP_NOTIFY_CASE(once_each),
	NP_NOTIFY_CASE(suppression_is_the_callbacks),
	NP_NOTIFY_CASE(clear_forgets),
	NP_NOTIFY_CASE(mark_during_flush_waits_for_the_next),
	NP_NOTIFY_CASE(batching_by_frames_and_cycles),
	NP_NOTIFY_CASE(batching_unflushed),
	NP_NOTIFY_CASE(flush_cost_independent_of_total_vifs),
};

#endif /* _NP_NOTIFY_CASES_H */
