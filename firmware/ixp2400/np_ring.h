/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_ring.h - single-producer, single-consumer ring of pointers
 *
 * The rings that connect the stages of the NP data plane (receive,
 * classify, queue, schedule, transmit), in the shape of the IXP2400's
 * scratch rings.  One stage produces, the next consumes; each side owns one
 * index and reads the other's with acquire ordering, so no lock is taken.
 * Indices run freely and wrap; the slot of index i is i & mask.
 *
 * The code uses kernel interfaces only and builds unchanged in user space
 * against the shims in tools/shim/include.
 */
#ifndef _NP_RING_H
#define _NP_RING_H

#include <linux/cache.h>
#include <linux/types.h>

/* Largest ring: 2^24 slots. */
#define NP_RING_MAX_SLOTS	(1U << 24)

/**
 * struct np_ring - a ring of pointers
 * @nr_slots: number of slots, a power of two
 * @mask: @nr_slots - 1
 * @head: producer index; written by the producer only
 * @tail: consumer index; written by the consumer only
 * @slots: the slots
 */
struct np_ring {
	u32 nr_slots;
	u32 mask;
	u32 head ____cacheline_aligned_in_smp;
	u32 tail ____cacheline_aligned_in_smp;
	void *slots[] ____cacheline_aligned_in_smp;
};

size_t np_ring_bytes(u32 nr_slots);
int np_ring_init(struct np_ring *ring, u32 nr_slots);
unsigned int np_ring_enqueue_burst(struct np_ring *ring, void * const *objs,
				   unsigned int n);
unsigned int np_ring_dequeue_burst(struct np_ring *ring, void **objs,
				   unsigned int n);
unsigned int np_ring_peek_burst(const struct np_ring *ring, void **objs,
				unsigned int n);
unsigned int np_ring_count(const struct np_ring *ring);

#endif /* _NP_RING_H */
