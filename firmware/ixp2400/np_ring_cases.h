/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_ring_cases.h - the hand-written cases of the NP data plane ring
 * (np_ring.c), run by its KUnit suite (np_ring_test.c, beside it) and its
 * native test (tools/testing/native/np_ring_test.c); the producer and
 * consumer threads are each harness's own.  Written against vcore_case.h's
 * CASE_*(), which the including harness defines; included once, by a test,
 * after the errno values.
 */
#ifndef _NP_RING_CASES_H
#define _NP_RING_CASES_H

#include "vcore_case.h"
#include "np_ring.h"

static struct np_ring *np_ring_case_new(struct vcore_case_ctx *ctx,
					u32 nr_slots)
{
	struct np_ring *ring = CASE_ZALLOC(ctx, np_ring_bytes(nr_slots));

	CASE_ASSERT_NOT_NULL(ctx, ring);
	CASE_ASSERT_EQ(ctx, np_ring_init(ring, nr_slots), 0);
	return ring;
}

/* Items 1, 2, ... as pointers. */
static void np_ring_case_items(void **in, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		in[i] = (void *)(i + 1);
}

static void np_ring_case_init_rejects_bad_sizes(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = CASE_ZALLOC(ctx, sizeof(*ring));

	CASE_ASSERT_NOT_NULL(ctx, ring);
	CASE_EXPECT_EQ(ctx, np_ring_init(ring, 0), -EINVAL);
	CASE_EXPECT_EQ(ctx, np_ring_init(ring, 3), -EINVAL);
	CASE_EXPECT_EQ(ctx, np_ring_init(ring, 1000), -EINVAL);
	CASE_EXPECT_EQ(ctx, np_ring_init(ring, NP_RING_MAX_SLOTS * 2), -EINVAL);
	CASE_EXPECT_EQ(ctx, np_ring_init(ring, 1), 0);
}

/* Filled past its size, then drained whole. */
static void np_ring_case_fill_then_drain(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = np_ring_case_new(ctx, 8);
	void *in[10], *out[10];
	unsigned long i;

	np_ring_case_items(in, 10);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 10), 8U);
	CASE_EXPECT_EQ(ctx, np_ring_count(ring), 8U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 1), 0U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 10), 8U);
	for (i = 0; i < 8; i++)
		CASE_EXPECT_PTR_EQ(ctx, out[i], in[i]);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 1), 0U);
}

/* Filled, partly drained, topped up across the wrap, drained. */
static void np_ring_case_fill_and_drain(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = np_ring_case_new(ctx, 8);
	void *in[10], *out[10];
	unsigned long i;

	np_ring_case_items(in, 10);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 10), 8U);
	CASE_EXPECT_EQ(ctx, np_ring_count(ring), 8U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 1), 0U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 3), 3U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in + 8, 2), 2U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out + 3, 10), 7U);
	for (i = 0; i < 10; i++)
		CASE_EXPECT_PTR_EQ(ctx, out[i], in[i]);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 1), 0U);
}

/* Peeking copies from the head and takes nothing. */
static void np_ring_case_peek_then_dequeue(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = np_ring_case_new(ctx, 4);
	void *in[3], *out[4];

	np_ring_case_items(in, 3);
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 4), 0U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 3), 3U);
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 4), 3U);
	CASE_EXPECT_PTR_EQ(ctx, out[0], in[0]);
	CASE_EXPECT_PTR_EQ(ctx, out[2], in[2]);
	CASE_EXPECT_EQ(ctx, np_ring_count(ring), 3U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 1), 1U);
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 1), 1U);
	CASE_EXPECT_PTR_EQ(ctx, out[0], in[1]);
}

/* Peeking copies from the head and takes nothing; across the wrap too. */
static void np_ring_case_peek_leaves_the_items(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = np_ring_case_new(ctx, 4);
	void *in[4], *out[4];

	np_ring_case_items(in, 4);
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 4), 0U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 3), 3U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 2), 2U);
	CASE_EXPECT_EQ(ctx, np_ring_enqueue_burst(ring, in, 3), 3U); /* wraps */
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 8), 4U);
	CASE_EXPECT_PTR_EQ(ctx, out[0], in[2]);
	CASE_EXPECT_PTR_EQ(ctx, out[1], in[0]);
	CASE_EXPECT_PTR_EQ(ctx, out[3], in[2]);
	CASE_EXPECT_EQ(ctx, np_ring_peek_burst(ring, out, 1), 1U);
	CASE_EXPECT_PTR_EQ(ctx, out[0], in[2]);
	CASE_EXPECT_EQ(ctx, np_ring_count(ring), 4U);
	CASE_EXPECT_EQ(ctx, np_ring_dequeue_burst(ring, out, 4), 4U);
	CASE_EXPECT_PTR_EQ(ctx, out[0], in[2]);
	CASE_EXPECT_PTR_EQ(ctx, out[3], in[2]);
}

/* Free-running indices wrap at 2^32 without losing or reordering. */
static void np_ring_case_index_wrap(struct vcore_case_ctx *ctx)
{
	struct np_ring *ring = np_ring_case_new(ctx, 4);
	unsigned long i;
	void *obj;

	ring->head = (u32)-6;	/* U32_MAX - 5 */
	ring->tail = (u32)-6;	/* U32_MAX - 5 */
	for (i = 1; i <= 20; i++) {
		obj = (void *)i;
		CASE_ASSERT_EQ(ctx, np_ring_enqueue_burst(ring, &obj, 1), 1U);
		CASE_ASSERT_EQ(ctx, np_ring_dequeue_burst(ring, &obj, 1), 1U);
		CASE_EXPECT_PTR_EQ(ctx, obj, (void *)i);
	}
	CASE_EXPECT_EQ(ctx, np_ring_count(ring), 0U);
}

#define NP_RING_CASE(name)	{ #name, np_ring_case_##name }

static const struct vcore_case np_ring_cases[] = {
	NP_RING_CASE(init_rejects_bad_sizes),
	NP_RING_CASE(fill_then_drain),
	NP_RING_CASE(fill_and_drain),
	NP_RING_CASE(peek_then_dequeue),
	NP_RING_CASE(peek_leaves_the_items),
	NP_RING_CASE(index_wrap),
};

#endif /* _NP_RING_CASES_H */
