// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring_test.c - the NP data plane ring, built natively in user space from
 * the same source as the kernel (firmware/ixp2400/np_ring.c), run under
 * ASan and UBSan.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "np_ring.h"
#include "kselftest_harness.h"

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

TEST(init_rejects_bad_sizes)
{
	struct np_ring ring;

	EXPECT_EQ(-EINVAL, np_ring_init(&ring, 0));
	EXPECT_EQ(-EINVAL, np_ring_init(&ring, 3));
	EXPECT_EQ(-EINVAL, np_ring_init(&ring, 1000));
	EXPECT_EQ(-EINVAL, np_ring_init(&ring, NP_RING_MAX_SLOTS * 2));
	EXPECT_EQ(0, np_ring_init(&ring, 1));
}

/* Peeking copies from the head and takes nothing; across the wrap too. */
TEST(peek_leaves_the_items)
{
	struct np_ring *ring = ring_new(4);
	void *in[4], *out[4];
	uintptr_t i;

	ASSERT_NE(NULL, ring);
	for (i = 0; i < 4; i++)
		in[i] = (void *)(i + 1);
	EXPECT_EQ(0, np_ring_peek_burst(ring, out, 4));
	EXPECT_EQ(3, np_ring_enqueue_burst(ring, in, 3));
	EXPECT_EQ(2, np_ring_dequeue_burst(ring, out, 2));
	EXPECT_EQ(3, np_ring_enqueue_burst(ring, in, 3));	/* wraps */
	EXPECT_EQ(4, np_ring_peek_burst(ring, out, 8));
	EXPECT_EQ(in[2], out[0]);
	EXPECT_EQ(in[0], out[1]);
	EXPECT_EQ(in[2], out[3]);
	EXPECT_EQ(1, np_ring_peek_burst(ring, out, 1));
	EXPECT_EQ(in[2], out[0]);
	EXPECT_EQ(4, np_ring_count(ring));
	EXPECT_EQ(4, np_ring_dequeue_burst(ring, out, 4));
	EXPECT_EQ(in[2], out[0]);
	EXPECT_EQ(in[2], out[3]);
	free(ring);
}

TEST(fill_and_drain)
{
	struct np_ring *ring = ring_new(8);
	void *in[10], *out[10];
	uintptr_t i;

	ASSERT_NE(NULL, ring);
	for (i = 0; i < 10; i++)
		in[i] = (void *)(i + 1);
	EXPECT_EQ(8, np_ring_enqueue_burst(ring, in, 10));
	EXPECT_EQ(8, np_ring_count(ring));
	EXPECT_EQ(0, np_ring_enqueue_burst(ring, in, 1));
	EXPECT_EQ(3, np_ring_dequeue_burst(ring, out, 3));
	EXPECT_EQ(2, np_ring_enqueue_burst(ring, in + 8, 2));
	EXPECT_EQ(7, np_ring_dequeue_burst(ring, out + 3, 10));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(in[i], out[i]);
	EXPECT_EQ(in[8], out[8]);
	EXPECT_EQ(in[9], out[9]);
	EXPECT_EQ(0, np_ring_dequeue_burst(ring, out, 1));
	free(ring);
}

/* Free-running indices wrap at 2^32 without losing or reordering. */
TEST(index_wrap)
{
	struct np_ring *ring = ring_new(4);
	uintptr_t i;
	void *obj;

	ASSERT_NE(NULL, ring);
	ring->head = ring->tail = UINT32_MAX - 5;
	for (i = 1; i <= 20; i++) {
		obj = (void *)i;
		ASSERT_EQ(1, np_ring_enqueue_burst(ring, &obj, 1));
		ASSERT_EQ(1, np_ring_dequeue_burst(ring, &obj, 1));
		EXPECT_EQ((void *)i, obj);
	}
	EXPECT_EQ(0, np_ring_count(ring));
	free(ring);
}

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
