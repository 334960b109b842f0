// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring_test.c - KUnit tests of the NP data plane ring: the cases of
 * np_ring_cases.h, which the native test runs too, and a producer kthread.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/slab.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"
#include "vcore_case_kunit.h"
#include "np_ring_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_ring_shared, np_ring_cases)

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
	struct np_ring *ring = kunit_kzalloc(test, np_ring_bytes(64), GFP_KERNEL);
	struct task_struct *producer;
	unsigned long expect = 1, bad = 0;
	void *objs[16];
	unsigned int i, n;

	KUNIT_ASSERT_NOT_NULL(test, ring);
	KUNIT_ASSERT_EQ(test, np_ring_init(ring, 64), 0);
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
	VCORE_KUNIT_CASE(np_ring_shared),
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
