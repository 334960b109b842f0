// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring_test.c - the NP data plane ring, built natively in user space from
 * the same source as the kernel (firmware/ixp2400/np_ring.c), run under
 * ASan and UBSan: the cases of np_ring_cases.h (shared with the KUnit
 * suite) and a producer thread against a consumer.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "np_ring.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "np_ring_cases.h"

static struct np_ring *ring_new(uint32_t nr_slots)
{
	/* aligned_alloc() wants a multiple of the alignment. */
	size_t bytes = (np_ring_bytes(nr_slots) + 63) & ~(size_t)63;
	struct np_ring *ring = aligned_alloc(64, bytes);

	if (ring && np_ring_init(ring, nr_slots)) {
		free(ring);
		ring = NULL;
	}
	return ring;
}

/* The hand-written cases, firmware/ixp2400/np_ring_cases.h. */
VCORE_NATIVE_CASES(np_ring, np_ring_cases)

#define ITEMS 2000000UL

static void *producer(void *arg)
{
	struct np_ring *ring = arg;
	void *objs[7];
	uintptr_t next = 1;
	unsigned int i, n;

	while (next <= ITEMS) {
		for (n = 0; n < 7 && next + n <= ITEMS; n++)
			objs[n] = (void *)(next + n);
		i = np_ring_enqueue_burst(ring, objs, n);
		next += i;
	}
	return NULL;
}

/* One producer thread, one consumer: every item arrives once, in order. */
TEST(spsc_threads)
{
	struct np_ring *ring = ring_new(64);
	uintptr_t expect = 1, bad = 0;
	void *objs[13];
	pthread_t tid;
	unsigned int i, n;

	ASSERT_NE(NULL, ring);
	ASSERT_EQ(0, pthread_create(&tid, NULL, producer, ring));
	while (expect <= ITEMS) {
		n = np_ring_dequeue_burst(ring, objs, 13);
		for (i = 0; i < n; i++, expect++)
			bad += objs[i] != (void *)expect;
	}
	pthread_join(tid, NULL);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, np_ring_count(ring));
	free(ring);
}

TEST_HARNESS_MAIN
