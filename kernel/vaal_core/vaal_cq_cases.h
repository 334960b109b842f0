/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_cq_cases.h - the hand-written cases of a context's completion side
 * (vaal_cq.c: the completion ring, its overflow list, the reorder buffer),
 * run by its KUnit suite (vaal_cq_test.c, beside it) and its native test
 * (tools/testing/native/vaal_cq_test.c).  Written against vcore_case.h's
 * CASE_*(), which the including harness defines; included once, by a test,
 * after the errno values.
 */
#ifndef _VAAL_CQ_CASES_H
#define _VAAL_CQ_CASES_H

#include <linux/compiler.h>

#include "vcore_case.h"
#include "vaal_cq.h"

struct vaal_cq_case {
	struct vcore_case_ctx *ctx;
	struct vaal_cq cq;
	struct vaal_cq_ring *ring;
	u32 entries;
	unsigned int nodes;	/* overflow nodes handed out, not returned */
};

/* A completion ring of @entries (a power of 2), allocated for the case. */
static struct vaal_cq_case *vaal_cq_case_new(struct vcore_case_ctx *ctx,
					     u32 entries)
{
	struct vaal_cq_case *t = CASE_ZALLOC(ctx, sizeof(*t));

	CASE_ASSERT_NOT_NULL(ctx, t);
	t->ring = CASE_ZALLOC(ctx, sizeof(*t->ring) +
				   entries * sizeof(struct vaal_cqe));
	CASE_ASSERT_NOT_NULL(ctx, t->ring);
	t->ctx = ctx;
	t->entries = entries;
	vaal_cq_init(&t->cq, t->ring, entries);
	return t;
}

/* A parked completion given back: counted (its memory is the case's). */
static void vaal_cq_case_free_ovf(struct vaal_cq_ovf *ovf, void *arg)
{
	struct vaal_cq_case *t = arg;

	t->nodes--;
}

/* Posts @cqe with a spare overflow node, as vaal_core does. */
static int vaal_cq_case_post(struct vaal_cq_case *t,
			     const struct vaal_cqe *cqe)
{
	struct vaal_cq_ovf *spare = CASE_ZALLOC(t->ctx, sizeof(*spare));
	int ret;

	CASE_ASSERT_NOT_NULL(t->ctx, spare);
	t->nodes++;
	ret = vaal_cq_post(&t->cq, cqe, &spare);
	if (spare)
		vaal_cq_case_free_ovf(spare, t);
	return ret;
}

/* What user space does: take up to @max entries. */
static unsigned int vaal_cq_case_reap(struct vaal_cq_case *t, u64 *out,
				      unsigned int max)
{
	u32 head = READ_ONCE(t->ring->head), tail = READ_ONCE(t->ring->tail);
	unsigned int n = 0;

	while (head != tail && n < max)
		out[n++] = t->ring->cqes[head++ & (t->entries - 1)].user_data;
	WRITE_ONCE(t->ring->head, head);
	return n;
}

/* A full ring parks completions in order and lets them in as room comes. */
static void vaal_cq_case_overflow_parks_in_order(struct vcore_case_ctx *ctx)
{
	struct vaal_cq_case *t = vaal_cq_case_new(ctx, 4);
	struct vaal_cq_ovf ovf[3], *spare;
	struct vaal_cq_ring *ring = t->ring;
	struct vaal_cqe cqe = { 0 };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		cqe.user_data = i;
		CASE_ASSERT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, NULL), 0);
	}
	cqe.user_data = 99;
	CASE_EXPECT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, NULL), -ENOSPC);
	for (i = 0; i < 3; i++) {
		cqe.user_data = 4 + i;
		spare = &ovf[i];
		t->nodes++;
		CASE_ASSERT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, &spare), 0);
		CASE_EXPECT_NULL(ctx, spare);
	}
	CASE_EXPECT_EQ(ctx, ring->overflow, 3);
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 0);

	/* User space reaps two: two parked ones move in, oldest first. */
	WRITE_ONCE(ring->head, 2);
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 2);
	CASE_EXPECT_EQ(ctx, t->nodes, 1);
	CASE_EXPECT_EQ(ctx, ring->cqes[4 & 3].user_data, 4);
	CASE_EXPECT_EQ(ctx, ring->cqes[5 & 3].user_data, 5);
	/* While one waits, a new completion goes behind it, not around it. */
	cqe.user_data = 8;
	CASE_EXPECT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, NULL), -ENOSPC);
	WRITE_ONCE(ring->head, 6);
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 1);
	CASE_EXPECT_EQ(ctx, ring->cqes[6 & 3].user_data, 6);
	CASE_EXPECT_EQ(ctx, ring->tail, 7);
	CASE_EXPECT_EQ(ctx, t->nodes, 0);
}

static void
vaal_cq_case_overflow_counts_and_needs_a_spare(struct vcore_case_ctx *ctx)
{
	struct vaal_cq_case *t = vaal_cq_case_new(ctx, 8);
	struct vaal_cqe cqe = { 0 };
	u64 out[8 * 3];
	int i;

	for (i = 0; i < 8 + 5; i++) {
		cqe.user_data = i;
		CASE_ASSERT_EQ(ctx, vaal_cq_case_post(t, &cqe), 0);
	}
	CASE_EXPECT_EQ(ctx, t->cq.nr_overflow, 5);
	CASE_EXPECT_EQ(ctx, t->ring->overflow, 5);
	cqe.user_data = 99;
	CASE_EXPECT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, NULL), -ENOSPC);
	CASE_EXPECT_EQ(ctx, vaal_cq_case_reap(t, out, 8 * 3), 8);
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 5);
	CASE_EXPECT_EQ(ctx, vaal_cq_case_reap(t, out + 8, 8 * 3), 5);
	for (i = 0; i < 8 + 5; i++)
		CASE_EXPECT_EQ(ctx, out[i], i);
	CASE_EXPECT_EQ(ctx, t->nodes, 0);
}

/* A head corrupted by user space never makes the kernel write outside. */
static void vaal_cq_case_garbage_head_parks(struct vcore_case_ctx *ctx)
{
	struct vaal_cq_case *t = vaal_cq_case_new(ctx, 4);
	struct vaal_cqe cqe = { .user_data = 1 };
	struct vaal_cq_ovf ovf, *spare = &ovf;

	WRITE_ONCE(t->ring->head, 0x80000000);
	CASE_EXPECT_EQ(ctx, vaal_cq_post(&t->cq, &cqe, &spare), 0);
	CASE_EXPECT_NULL(ctx, spare);		/* parked, not written */
	CASE_EXPECT_EQ(ctx, t->ring->tail, 0);
}

/* User space scribbles on head: the ring looks full, nothing is lost. */
static void
vaal_cq_case_corrupted_head_cannot_cause_harm(struct vcore_case_ctx *ctx)
{
	struct vaal_cq_case *t = vaal_cq_case_new(ctx, 8);
	struct vaal_cqe cqe = { .user_data = 7 };
	u64 out[4];

	t->ring->head = 0x80000000;
	CASE_ASSERT_EQ(ctx, vaal_cq_case_post(t, &cqe), 0);
	CASE_EXPECT_EQ(ctx, t->ring->tail, 0);
	CASE_EXPECT_EQ(ctx, t->cq.nr_overflow, 1);
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 0);
	t->ring->head = 0;		/* sanity comes back */
	CASE_EXPECT_EQ(ctx, vaal_cq_flush(&t->cq, vaal_cq_case_free_ovf, t), 1);
	CASE_EXPECT_EQ(ctx, vaal_cq_case_reap(t, out, 4), 1);
	CASE_EXPECT_EQ(ctx, out[0], 7);
}

/* A reorder buffer of @n slots, allocated for the case. */
static struct vaal_rob *vaal_cq_case_rob(struct vcore_case_ctx *ctx, u32 n)
{
	struct vaal_rob *rob = CASE_ZALLOC(ctx, sizeof(*rob));
	struct vaal_rob_slot *slots = CASE_ZALLOC(ctx, n * sizeof(*slots));

	CASE_ASSERT_NOT_NULL(ctx, rob);
	CASE_ASSERT_NOT_NULL(ctx, slots);
	vaal_rob_init(rob, slots, n);
	return rob;
}

/* The reorder buffer retires in submission order, whatever the finish. */
static void vaal_cq_case_rob_retires_in_order(struct vcore_case_ctx *ctx)
{
	struct vaal_rob *rob = vaal_cq_case_rob(ctx, 4);
	const struct vaal_rob_slot *s;
	struct vaal_cqe cqe = { 0 };
	u32 seq[4], i;
	int tag[4];

	for (i = 0; i < 4; i++)
		CASE_ASSERT_EQ(ctx, vaal_rob_reserve(rob, &seq[i]), 0);
	CASE_EXPECT_EQ(ctx, vaal_rob_reserve(rob, &i), -EBUSY);
	/* Finish 3, 1, 2: nothing retires before 0. */
	for (i = 3; i >= 1; i--) {
		cqe.user_data = i;
		vaal_rob_complete(rob, seq[i], &cqe, &tag[i]);
		CASE_EXPECT_NULL(ctx, vaal_rob_peek(rob));
	}
	cqe.user_data = 0;
	vaal_rob_complete(rob, seq[0], &cqe, &tag[0]);
	for (i = 0; i < 4; i++) {
		s = vaal_rob_peek(rob);
		CASE_ASSERT_NOT_NULL(ctx, s);
		CASE_EXPECT_EQ(ctx, s->cqe.user_data, i);
		CASE_EXPECT_PTR_EQ(ctx, s->priv, (void *)&tag[i]);
		vaal_rob_retire(rob);
	}
	CASE_EXPECT_NULL(ctx, vaal_rob_peek(rob));
	CASE_EXPECT_EQ(ctx, vaal_rob_reserve(rob, &i), 0);
}

static void vaal_cq_case_rob_bounds_inflight(struct vcore_case_ctx *ctx)
{
	struct vaal_rob *rob = vaal_cq_case_rob(ctx, 32);
	struct vaal_cqe cqe = { 0 };
	u32 seq;
	int i;

	for (i = 0; i < 32; i++)
		CASE_ASSERT_EQ(ctx, vaal_rob_reserve(rob, &seq), 0);
	CASE_EXPECT_EQ(ctx, vaal_rob_reserve(rob, &seq), -EBUSY);
	CASE_EXPECT_NULL(ctx, vaal_rob_peek(rob));
	vaal_rob_complete(rob, 1, &cqe, NULL);	/* the second: not yet */
	CASE_EXPECT_NULL(ctx, vaal_rob_peek(rob));
	vaal_rob_complete(rob, 0, &cqe, NULL);
	CASE_EXPECT_NOT_NULL(ctx, vaal_rob_peek(rob));
	vaal_rob_retire(rob);
	CASE_EXPECT_NOT_NULL(ctx, vaal_rob_peek(rob));
	vaal_rob_retire(rob);
	CASE_EXPECT_NULL(ctx, vaal_rob_peek(rob));
	CASE_EXPECT_EQ(ctx, vaal_rob_reserve(rob, &seq), 0);
}

#define VAAL_CQ_CASE(name)	{ #name, vaal_cq_case_##name }

static const struct vcore_case vaal_cq_cases[] = {
	VAAL_CQ_CASE(overflow_parks_in_order),
	VAAL_CQ_CASE(overflow_counts_and_needs_a_spare),
	VAAL_CQ_CASE(garbage_head_parks),
	VAAL_CQ_CASE(corrupted_head_cannot_cause_harm),
	VAAL_CQ_CASE(rob_retires_in_order),
	VAAL_CQ_CASE(rob_bounds_inflight),
};

#endif /* _VAAL_CQ_CASES_H */
