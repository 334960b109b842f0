// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cq_test.c - KUnit tests of the completion ring, its overflow list and
 * the reorder buffer (vaal_cq.c, built in)
 */
#include <kunit/test.h>

#include "vaal_cq.c"

#define VAAL_CQ_TEST_ENTRIES	4

/* A ring of four entries, allocated for the test. */
static struct vaal_cq_ring *vaal_cq_test_ring(struct kunit *test,
					      struct vaal_cq *cq)
{
	struct vaal_cq_ring *ring;

	ring = kunit_kzalloc(test, struct_size(ring, cqes, VAAL_CQ_TEST_ENTRIES),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	vaal_cq_init(cq, ring, VAAL_CQ_TEST_ENTRIES);
	return ring;
}

static void vaal_cq_test_free_ovf(struct vaal_cq_ovf *ovf, void *arg)
{
	(*(unsigned int *)arg)++;
}

/* A full ring parks completions in order and lets them in as room comes. */
static void vaal_cq_test_overflow(struct kunit *test)
{
	struct vaal_cq_ovf ovf[3], *spare;
	struct vaal_cqe cqe = { 0 };
	struct vaal_cq_ring *ring;
	unsigned int freed = 0, i;
	struct vaal_cq cq;

	ring = vaal_cq_test_ring(test, &cq);
	for (i = 0; i < VAAL_CQ_TEST_ENTRIES; i++) {
		cqe.user_data = i;
		KUNIT_ASSERT_EQ(test, vaal_cq_post(&cq, &cqe, NULL), 0);
	}
	cqe.user_data = 99;
	KUNIT_EXPECT_EQ(test, vaal_cq_post(&cq, &cqe, NULL), -ENOSPC);
	for (i = 0; i < 3; i++) {
		cqe.user_data = 4 + i;
		spare = &ovf[i];
		KUNIT_ASSERT_EQ(test, vaal_cq_post(&cq, &cqe, &spare), 0);
		KUNIT_EXPECT_NULL(test, spare);
	}
	KUNIT_EXPECT_EQ(test, ring->overflow, 3);
	KUNIT_EXPECT_EQ(test, vaal_cq_flush(&cq, vaal_cq_test_free_ovf, &freed), 0);

	/* User space reaps two: two parked ones move in, oldest first. */
	WRITE_ONCE(ring->head, 2);
	KUNIT_EXPECT_EQ(test, vaal_cq_flush(&cq, vaal_cq_test_free_ovf, &freed), 2);
	KUNIT_EXPECT_EQ(test, freed, 2);
	KUNIT_EXPECT_EQ(test, ring->cqes[4 & 3].user_data, 4);
	KUNIT_EXPECT_EQ(test, ring->cqes[5 & 3].user_data, 5);
	/* While one waits, a new completion goes behind it, not around it. */
	cqe.user_data = 8;
	KUNIT_EXPECT_EQ(test, vaal_cq_post(&cq, &cqe, NULL), -ENOSPC);
	WRITE_ONCE(ring->head, 6);
	KUNIT_EXPECT_EQ(test, vaal_cq_flush(&cq, vaal_cq_test_free_ovf, &freed), 1);
	KUNIT_EXPECT_EQ(test, ring->cqes[6 & 3].user_data, 6);
	KUNIT_EXPECT_EQ(test, ring->tail, 7);
}

/* A head corrupted by user space never makes the kernel write outside. */
static void vaal_cq_test_garbage_head(struct kunit *test)
{
	struct vaal_cqe cqe = { .user_data = 1 };
	struct vaal_cq_ring *ring;
	struct vaal_cq_ovf ovf, *spare = &ovf;
	struct vaal_cq cq;

	ring = vaal_cq_test_ring(test, &cq);
	WRITE_ONCE(ring->head, 0x80000000);
	KUNIT_EXPECT_EQ(test, vaal_cq_post(&cq, &cqe, &spare), 0);
	KUNIT_EXPECT_NULL(test, spare);		/* parked, not written */
	KUNIT_EXPECT_EQ(test, ring->tail, 0);
}

/* The reorder buffer retires in submission order, whatever the finish. */
static void vaal_cq_test_rob(struct kunit *test)
{
	struct vaal_rob_slot *slots;
	const struct vaal_rob_slot *s;
	struct vaal_cqe cqe = { 0 };
	struct vaal_rob rob;
	u32 seq[4], i;
	int tag[4];

	slots = kunit_kcalloc(test, 4, sizeof(*slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	vaal_rob_init(&rob, slots, 4);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, vaal_rob_reserve(&rob, &seq[i]), 0);
	KUNIT_EXPECT_EQ(test, vaal_rob_reserve(&rob, &i), -EBUSY);
	/* Finish 3, 1, 2: nothing retires before 0. */
	for (i = 3; i >= 1; i--) {
		cqe.user_data = i;
		vaal_rob_complete(&rob, seq[i], &cqe, &tag[i]);
		KUNIT_EXPECT_NULL(test, vaal_rob_peek(&rob));
	}
	cqe.user_data = 0;
	vaal_rob_complete(&rob, seq[0], &cqe, &tag[0]);
	for (i = 0; i < 4; i++) {
		s = vaal_rob_peek(&rob);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_EQ(test, s->cqe.user_data, i);
		KUNIT_EXPECT_PTR_EQ(test, s->priv, (void *)&tag[i]);
		vaal_rob_retire(&rob);
	}
	KUNIT_EXPECT_NULL(test, vaal_rob_peek(&rob));
	KUNIT_EXPECT_EQ(test, vaal_rob_reserve(&rob, &i), 0);
}

static struct kunit_case vaal_cq_test_cases[] = {
	KUNIT_CASE(vaal_cq_test_overflow),
	KUNIT_CASE(vaal_cq_test_garbage_head),
	KUNIT_CASE(vaal_cq_test_rob),
	{}
};

static struct kunit_suite vaal_cq_test_suite = {
	.name = "vaal_cq",
	.test_cases = vaal_cq_test_cases,
};
kunit_test_suite(vaal_cq_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core completion ring and reorder buffer");
MODULE_LICENSE("GPL");
