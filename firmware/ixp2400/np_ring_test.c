// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring_test.c - KUnit tests of the NP data plane ring
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/slab.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"

static struct np_ring *np_ring_test_alloc(struct kunit *test, u32 nr_slots)
{
	struct np_ring *ring;

	ring = kunit_kzalloc(test, np_ring_bytes(nr_slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	KUNIT_ASSERT_EQ(test, np_ring_init(ring, nr_slots), 0);
	return ring;
}

static void np_ring_test_init_rejects(struct kunit *test)
{
	struct np_ring ring;

	KUNIT_EXPECT_EQ(test, np_ring_init(&ring, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, np_ring_init(&ring, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, np_ring_init(&ring, NP_RING_MAX_SLOTS * 2), -EINVAL);
}

static void np_ring_test_fill_drain(struct kunit *test)
{
	struct np_ring *ring = np_ring_test_alloc(test, 8);
	void *in[10], *out[10];
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = (void *)(i + 1);
	KUNIT_EXPECT_EQ(test, np_ring_enqueue_burst(ring, in, 10), 8U);
	KUNIT_EXPECT_EQ(test, np_ring_count(ring), 8U);
	KUNIT_EXPECT_EQ(test, np_ring_enqueue_burst(ring, in, 1), 0U);
	KUNIT_EXPECT_EQ(test, np_ring_dequeue_burst(ring, out, 10), 8U);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_PTR_EQ(test, out[i], in[i]);
	KUNIT_EXPECT_EQ(test, np_ring_dequeue_burst(ring, out, 1), 0U);
}

static void np_ring_test_peek(struct kunit *test)
{
	struct np_ring *ring = np_ring_test_alloc(test, 4);
	void *in[3] = { (void *)1, (void *)2, (void *)3 }, *out[4];

	KUNIT_EXPECT_EQ(test, np_ring_peek_burst(ring, out, 4), 0U);
	KUNIT_EXPECT_EQ(test, np_ring_enqueue_burst(ring, in, 3), 3U);
	KUNIT_EXPECT_EQ(test, np_ring_peek_burst(ring, out, 4), 3U);
	KUNIT_EXPECT_PTR_EQ(test, out[0], in[0]);
	KUNIT_EXPECT_PTR_EQ(test, out[2], in[2]);
	KUNIT_EXPECT_EQ(test, np_ring_count(ring), 3U);
	KUNIT_EXPECT_EQ(test, np_ring_dequeue_burst(ring, out, 1), 1U);
	KUNIT_EXPECT_EQ(test, np_ring_peek_burst(ring, out, 1), 1U);
	KUNIT_EXPECT_PTR_EQ(test, out[0], in[1]);
}

static void np_ring_test_wrap(struct kunit *test)
{
	struct np_ring *ring = np_ring_test_alloc(test, 4);
	void *obj;
	unsigned long i;

	/* Start near the top of the index space so the indices wrap. */
	ring->head = ring->tail = U32_MAX - 5;
	for (i = 1; i <= 20; i++) {
		obj = (void *)i;
		KUNIT_ASSERT_EQ(test, np_ring_enqueue_burst(ring, &obj, 1), 1U);
		KUNIT_ASSERT_EQ(test, np_ring_dequeue_burst(ring, &obj, 1), 1U);
		KUNIT_EXPECT_PTR_EQ(test, obj, (void *)i);
	}
	KUNIT_EXPECT_EQ(test, np_ring_count(ring), 0U);
}

#define NP_RING_TEST_ITEMS	200000UL

static int np_ring_test_producer(void *data)
{
	struct np_ring *ring = data;
	unsigned long next = 1;
	void *obj;

	while (next <= NP_RING_TEST_ITEMS) {
		obj = (void *)next;
		if (np_ring_enqueue_burst(ring, &obj, 1))
			next++;
		else
			cond_resched();
	}
	return 0;
}

/* A producer kthread and the test as consumer: order and integrity. */
static void np_ring_test_concurrent(struct kunit *test)
{
	struct np_ring *ring = np_ring_test_alloc(test, 64);
	struct task_struct *producer;
	unsigned long expect = 1, bad = 0;
	void *objs[16];
	unsigned int i, n;

	producer = kthread_run(np_ring_test_producer, ring, "np_ring_test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(producer));
	while (expect <= NP_RING_TEST_ITEMS) {
		n = np_ring_dequeue_burst(ring, objs, ARRAY_SIZE(objs));
		if (!n)
			cond_resched();
		for (i = 0; i < n; i++, expect++)
			bad += objs[i] != (void *)expect;
	}
	kthread_stop(producer);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
}

static struct kunit_case np_ring_test_cases[] = {
	KUNIT_CASE(np_ring_test_init_rejects),
	KUNIT_CASE(np_ring_test_fill_drain),
	KUNIT_CASE(np_ring_test_peek),
	KUNIT_CASE(np_ring_test_wrap),
	KUNIT_CASE_SLOW(np_ring_test_concurrent),
	{}
};

static struct kunit_suite np_ring_test_suite = {
	.name = "np_ring",
	.test_cases = np_ring_test_cases,
};
kunit_test_suite(np_ring_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP data plane ring");
MODULE_LICENSE("GPL");
