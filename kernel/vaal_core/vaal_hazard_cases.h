/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_hazard_cases.h - the hand-written cases of vaal_core's hazard
 * scoreboard (vaal_hazard.c), run by its KUnit suite (vaal_hazard_test.c,
 * beside it) and its native test (tools/testing/native/
 * vaal_hazard_test.c): each hazard, barriers, cancellation.  Written
 * against vcore_case.h's CASE_*(), which the including harness defines;
 * included once, by a test, after the errno values.
 */
#ifndef _VAAL_HAZARD_CASES_H
#define _VAAL_HAZARD_CASES_H

#include "vcore_case.h"
#include "vaal_hazard.h"

#define VAAL_HZ_CASE_RW		(VAAL_HZ_READ | VAAL_HZ_WRITE)

struct vaal_hz_case {
	struct vaal_hz hz;
	struct vaal_hz_buf buf[2];
	struct vaal_hz_job job[4];
	struct vaal_hz_access acc[4][VAAL_HZ_MAX_ARGS];
};

static struct vaal_hz_case *vaal_hz_case_new(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = CASE_ZALLOC(ctx, sizeof(*t));
	unsigned int i;

	CASE_ASSERT_NOT_NULL(ctx, t);
	for (i = 0; i < ARRAY_SIZE(t->job); i++)
		t->job[i].acc = t->acc[i];
	vaal_hz_init(&t->hz);
	vaal_hz_buf_init(&t->buf[0]);
	vaal_hz_buf_init(&t->buf[1]);
	return t;
}

static void vaal_hz_case_acc(struct vaal_hz_job *job, struct vaal_hz_buf *buf,
			     u64 start, u64 end, u8 mode)
{
	struct vaal_hz_access *a = &job->acc[job->nr_acc++];

	a->buf = buf;
	a->start = start;
	a->end = end;
	a->mode = mode;
}

static bool vaal_hz_case_ready(struct vaal_hz *hz, struct vaal_hz_job *job)
{
	struct vaal_hz_job *j;

	list_for_each_entry(j, &hz->ready, ready_node)
		if (j == job)
			return true;
	return false;
}

/* Job 0 then job 1, one access each on buffer 0. */
static struct vaal_hz_case *vaal_hz_case_pair(struct vcore_case_ctx *ctx,
					      u64 s0, u64 e0, u8 m0,
					      u64 s1, u64 e1, u8 m1)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);

	vaal_hz_case_acc(&t->job[0], &t->buf[0], s0, e0, m0);
	vaal_hz_case_acc(&t->job[1], &t->buf[0], s1, e1, m1);
	vaal_hz_submit(&t->hz, &t->job[0]);
	vaal_hz_submit(&t->hz, &t->job[1]);
	return t;
}

static void vaal_hz_case_raw_waits(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_pair(ctx, 0, 64, VAAL_HZ_WRITE,
						   0, 64, VAAL_HZ_READ);

	CASE_EXPECT_TRUE(ctx, vaal_hz_case_ready(&t->hz, &t->job[0]));
	CASE_EXPECT_FALSE(ctx, vaal_hz_case_ready(&t->hz, &t->job[1]));
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	vaal_hz_complete(&t->hz, &t->job[0], 0);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	CASE_EXPECT_EQ(ctx, t->job[1].status, 0);
}

/* A read of the written range's last byte waits; one just past it runs. */
static void vaal_hz_case_raw_byte_ranges(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 64, VAAL_HZ_WRITE);
	vaal_hz_case_acc(&t->job[1], &t->buf[0], 63, 64, VAAL_HZ_READ);
	vaal_hz_case_acc(&t->job[2], &t->buf[0], 64, 128, VAAL_HZ_READ);
	vaal_hz_submit(&t->hz, &t->job[0]);
	vaal_hz_submit(&t->hz, &t->job[1]);
	vaal_hz_submit(&t->hz, &t->job[2]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[2]);
	CASE_EXPECT_NULL(ctx, vaal_hz_pop_ready(&t->hz));
	vaal_hz_complete(&t->hz, &t->job[0], 0);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	vaal_hz_complete(&t->hz, &t->job[1], 0);
	vaal_hz_complete(&t->hz, &t->job[2], 0);
	CASE_EXPECT_FALSE(ctx, vaal_hz_buf_busy(&t->buf[0]));
}

static void vaal_hz_case_war_waits(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_pair(ctx, 0, 64, VAAL_HZ_READ,
						   32, 40, VAAL_HZ_WRITE);

	CASE_EXPECT_FALSE(ctx, vaal_hz_case_ready(&t->hz, &t->job[1]));
}

static void vaal_hz_case_waw_waits(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_pair(ctx, 0, 8, VAAL_HZ_WRITE,
						   7, 9, VAAL_HZ_CASE_RW);

	CASE_EXPECT_FALSE(ctx, vaal_hz_case_ready(&t->hz, &t->job[1]));
}

static void vaal_hz_case_rar_runs_in_parallel(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_pair(ctx, 0, 64, VAAL_HZ_READ,
						   0, 64, VAAL_HZ_READ);

	CASE_EXPECT_TRUE(ctx, vaal_hz_case_ready(&t->hz, &t->job[1]));
}

static void
vaal_hz_case_disjoint_ranges_run_in_parallel(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_pair(ctx, 0, 32, VAAL_HZ_WRITE,
						   32, 64, VAAL_HZ_WRITE);

	CASE_EXPECT_TRUE(ctx, vaal_hz_case_ready(&t->hz, &t->job[1]));
}

/* A job may name one buffer twice: it must not wait for itself. */
static void vaal_hz_case_own_accesses_do_not_conflict(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 64, VAAL_HZ_READ);
	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 64, VAAL_HZ_WRITE);
	vaal_hz_submit(&t->hz, &t->job[0]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	vaal_hz_complete(&t->hz, &t->job[0], 0);
	CASE_EXPECT_FALSE(ctx, vaal_hz_buf_busy(&t->buf[0]));
}

static void vaal_hz_case_barrier_orders_unrelated_jobs(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	t->job[1].barrier = true;
	vaal_hz_case_acc(&t->job[2], &t->buf[1], 0, 8, VAAL_HZ_WRITE);
	vaal_hz_submit(&t->hz, &t->job[0]);
	vaal_hz_submit(&t->hz, &t->job[1]);
	vaal_hz_submit(&t->hz, &t->job[2]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	CASE_EXPECT_NULL(ctx, vaal_hz_pop_ready(&t->hz));
	vaal_hz_complete(&t->hz, &t->job[0], 0);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	CASE_EXPECT_NULL(ctx, vaal_hz_pop_ready(&t->hz));
	vaal_hz_complete(&t->hz, &t->job[1], 0);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[2]);
}

/* Two barriers in a row: each job, barrier or not, runs alone. */
static void vaal_hz_case_barriers_in_a_row(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);
	int i;

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	t->job[1].barrier = true;
	t->job[2].barrier = true;
	vaal_hz_case_acc(&t->job[3], &t->buf[1], 0, 8, VAAL_HZ_READ);
	for (i = 0; i < 4; i++)
		vaal_hz_submit(&t->hz, &t->job[i]);
	for (i = 0; i < 4; i++) {
		CASE_ASSERT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[i]);
		CASE_EXPECT_NULL(ctx, vaal_hz_pop_ready(&t->hz));
		vaal_hz_complete(&t->hz, &t->job[i], 0);
	}
}

/* A failed producer cancels its consumer and, through it, the next one. */
static void vaal_hz_case_failure_cancels_dependents(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);
	int i;

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	vaal_hz_case_acc(&t->job[1], &t->buf[0], 0, 8, VAAL_HZ_READ);
	vaal_hz_case_acc(&t->job[1], &t->buf[1], 0, 8, VAAL_HZ_WRITE);
	vaal_hz_case_acc(&t->job[2], &t->buf[1], 4, 5, VAAL_HZ_READ);
	/* unrelated */
	vaal_hz_case_acc(&t->job[3], &t->buf[1], 8, 16, VAAL_HZ_READ);
	for (i = 0; i < 4; i++)
		vaal_hz_submit(&t->hz, &t->job[i]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[3]);
	vaal_hz_complete(&t->hz, &t->job[0], -EIO);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	CASE_EXPECT_EQ(ctx, t->job[1].status, -ECANCELED);
	vaal_hz_complete(&t->hz, &t->job[1], t->job[1].status);
	CASE_EXPECT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[2]);
	CASE_EXPECT_EQ(ctx, t->job[2].status, -ECANCELED);
	vaal_hz_complete(&t->hz, &t->job[2], t->job[2].status);
	vaal_hz_complete(&t->hz, &t->job[3], 0);
	CASE_EXPECT_EQ(ctx, t->job[3].status, 0);
	CASE_EXPECT_FALSE(ctx, vaal_hz_buf_busy(&t->buf[1]));
}

/* A failure cancels the reader after it, not the writer after that (WAW). */
static void vaal_hz_case_failure_spares_next_writer(struct vcore_case_ctx *ctx)
{
	struct vaal_hz_case *t = vaal_hz_case_new(ctx);
	int i;

	vaal_hz_case_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	vaal_hz_case_acc(&t->job[1], &t->buf[0], 0, 8, VAAL_HZ_READ);
	vaal_hz_case_acc(&t->job[2], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	for (i = 0; i < 3; i++)
		vaal_hz_submit(&t->hz, &t->job[i]);
	CASE_ASSERT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	vaal_hz_complete(&t->hz, &t->job[0], -EIO);
	CASE_ASSERT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	CASE_EXPECT_EQ(ctx, t->job[1].status, -ECANCELED);
	vaal_hz_complete(&t->hz, &t->job[1], t->job[1].status);
	CASE_ASSERT_PTR_EQ(ctx, vaal_hz_pop_ready(&t->hz), &t->job[2]);
	CASE_EXPECT_EQ(ctx, t->job[2].status, 0);
	vaal_hz_complete(&t->hz, &t->job[2], 0);
}

#define VAAL_HZ_CASE(name)	{ #name, vaal_hz_case_##name }

static const struct vcore_case vaal_hazard_cases[] = {
	VAAL_HZ_CASE(raw_waits),
	VAAL_HZ_CASE(raw_byte_ranges),
	VAAL_HZ_CASE(war_waits),
	VAAL_HZ_CASE(waw_waits),
	VAAL_HZ_CASE(rar_runs_in_parallel),
	VAAL_HZ_CASE(disjoint_ranges_run_in_parallel),
	VAAL_HZ_CASE(own_accesses_do_not_conflict),
	VAAL_HZ_CASE(barrier_orders_unrelated_jobs),
	VAAL_HZ_CASE(barriers_in_a_row),
	VAAL_HZ_CASE(failure_cancels_dependents),
	VAAL_HZ_CASE(failure_spares_next_writer),
};

#endif /* _VAAL_HAZARD_CASES_H */
