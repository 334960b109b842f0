// SPDX-License-Identifier: GPL-2.0
/*
 * np_ring.c - single-producer, single-consumer ring of pointers
 *
 * Ordering: the producer fills slots, then publishes them with a release
 * store of head; the consumer reads head with an acquire load before it
 * reads the slots.  Symmetrically the consumer releases slots with a release
 * store of tail, which the producer loads with acquire before reusing them.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <asm/barrier.h>

#include "np_ring.h"

/**
 * np_ring_bytes - memory needed for a ring
 * @nr_slots: slots wanted, a power of two
 *
 * Return: bytes to allocate for struct np_ring and its slots.
 */
size_t np_ring_bytes(u32 nr_slots)
{
	return sizeof(struct np_ring) + (size_t)nr_slots * sizeof(void *);
}

/**
 * np_ring_init - initialise an empty ring in np_ring_bytes() bytes
 * @ring: the ring
 * @nr_slots: number of slots, a power of two from 1 to %NP_RING_MAX_SLOTS
 *
 * Return: 0, or -EINVAL when @nr_slots is not acceptable.
 */
int np_ring_init(struct np_ring *ring, u32 nr_slots)
{
	if (!nr_slots || nr_slots > NP_RING_MAX_SLOTS || !is_power_of_2(nr_slots))
		return -EINVAL;
	ring->nr_slots = nr_slots;
	ring->mask = nr_slots - 1;
	ring->head = 0;
	ring->tail = 0;
	return 0;
}

/**
 * np_ring_enqueue_burst - producer side: append up to @n pointers
 * @ring: the ring
 * @objs: the pointers
 * @n: how many
 *
 * Return: how many were appended, fewer than @n when the ring filled up.
 */
unsigned int np_ring_enqueue_burst(struct np_ring *ring, void * const *objs,
				   unsigned int n)
{
	u32 head = ring->head;
	/* Pairs with the release of tail: the consumer is done with the slots. */
	u32 space = ring->nr_slots - (head - smp_load_acquire(&ring->tail));
	unsigned int i;

	n = min(n, space);
	for (i = 0; i < n; i++)
		ring->slots[(head + i) & ring->mask] = objs[i];
	/* Publish the slots; pairs with the acquire of head by the consumer. */
	smp_store_release(&ring->head, head + n);
	return n;
}

/**
 * np_ring_dequeue_burst - consumer side: take up to @n pointers
 * @ring: the ring
 * @objs: where to store them
 * @n: how many at most
 *
 * Return: how many were taken, fewer than @n when the ring ran empty.
 */
unsigned int np_ring_dequeue_burst(struct np_ring *ring, void **objs,
				   unsigned int n)
{
	u32 tail = ring->tail;
	/* Pairs with the release of head: the slots are filled. */
	u32 avail = smp_load_acquire(&ring->head) - tail;
	unsigned int i;

	n = min(n, avail);
	for (i = 0; i < n; i++)
		objs[i] = ring->slots[(tail + i) & ring->mask];
	/* Hand the slots back; pairs with the acquire of tail by the producer. */
	smp_store_release(&ring->tail, tail + n);
	return n;
}

/**
 * np_ring_peek_burst - consumer side: copy up to @n pointers from the head,
 *	leaving them in the ring
 * @ring: the ring
 * @objs: where to store them, in the order np_ring_dequeue_burst() would
 * @n: how many at most
 *
 * Return: how many were copied, fewer than @n when fewer are queued.
 */
unsigned int np_ring_peek_burst(const struct np_ring *ring, void **objs,
				unsigned int n)
{
	u32 tail = ring->tail;
	/* Pairs with the release of head: the slots are filled. */
	u32 avail = smp_load_acquire(&ring->head) - tail;
	unsigned int i;

	n = min(n, avail);
	for (i = 0; i < n; i++)
		objs[i] = ring->slots[(tail + i) & ring->mask];
	return n;
}

/**
 * np_ring_count - pointers in the ring, as seen from either side
 * @ring: the ring
 *
 * Return: the number of pointers queued; a snapshot only.
 */
unsigned int np_ring_count(const struct np_ring *ring)
{
	return READ_ONCE(ring->head) - READ_ONCE(ring->tail);
}
