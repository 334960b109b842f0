// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cq.c - completion ring with overflow list, and the reorder buffer
 * (see vaal_cq.h)
 *
 * Ordering with user space: the kernel fills an entry, then publishes it
 * with a release store of tail; user space reads tail with acquire before
 * the entry.  User space releases entries with a release store of head,
 * which the kernel loads with acquire before it reuses them.  A head that
 * user space corrupted can only make the ring look full: entries then wait
 * in the overflow list, and nothing is written outside the ring.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/string.h>
#include <asm/barrier.h>

#include "vaal_cq.h"

void vaal_cq_init(struct vaal_cq *cq, struct vaal_cq_ring *ring, u32 entries)
{
	cq->ring = ring;
	cq->entries = entries;
	INIT_LIST_HEAD(&cq->overflow);
	cq->nr_overflow = 0;
	ring->head = 0;
	ring->tail = 0;
	ring->overflow = 0;
	ring->reserved = 0;
}

static bool vaal_cq_has_room(struct vaal_cq *cq)
{
	/* Pairs with user space's release of head: it is done reading. */
	u32 used = cq->ring->tail - smp_load_acquire(&cq->ring->head);

	return used < cq->entries;
}

static void vaal_cq_write(struct vaal_cq *cq, const struct vaal_cqe *cqe)
{
	u32 tail = cq->ring->tail;

	cq->ring->cqes[tail & (cq->entries - 1)] = *cqe;
	/* Publish the entry; pairs with user space's acquire of tail. */
	smp_store_release(&cq->ring->tail, tail + 1);
}

/**
 * vaal_cq_post - post a completion, in order, even when the ring is full
 * @cq: the completion queue
 * @cqe: the completion
 * @spare: an overflow node the call may use, or NULL; set to NULL when used
 *
 * Completions go to the ring while it has room and nothing waits in the
 * overflow list; otherwise to the overflow list, behind those already
 * there.
 *
 * Return: 0, or -ENOSPC when the completion had to wait but no spare node
 * was given: nothing was posted.
 */
int __vaal_hot vaal_cq_post(struct vaal_cq *cq, const struct vaal_cqe *cqe,
		 struct vaal_cq_ovf **spare)
{
	struct vaal_cq_ovf *ovf;

	if (list_empty(&cq->overflow) && vaal_cq_has_room(cq)) {
		vaal_cq_write(cq, cqe);
		return 0;
	}
	if (!spare || !*spare)
		return -ENOSPC;
	ovf = *spare;
	*spare = NULL;
	ovf->cqe = *cqe;
	list_add_tail(&ovf->node, &cq->overflow);
	cq->nr_overflow++;
	WRITE_ONCE(cq->ring->overflow, cq->ring->overflow + 1);
	return 0;
}

/**
 * vaal_cq_flush - move parked completions into the ring as room allows
 * @cq: the completion queue
 * @free_ovf: gives back a node that is no longer used
 * @arg: passed to @free_ovf
 *
 * Return: how many completions moved.
 */
unsigned int vaal_cq_flush(struct vaal_cq *cq,
			   void (*free_ovf)(struct vaal_cq_ovf *ovf, void *arg),
			   void *arg)
{
	struct vaal_cq_ovf *ovf;
	unsigned int n = 0;

	while (!list_empty(&cq->overflow) && vaal_cq_has_room(cq)) {
		ovf = list_first_entry(&cq->overflow, struct vaal_cq_ovf, node);
		vaal_cq_write(cq, &ovf->cqe);
		list_del(&ovf->node);
		cq->nr_overflow--;
		free_ovf(ovf, arg);
		n++;
	}
	return n;
}

/**
 * vaal_cq_discard - drop every parked completion: nobody will read them
 * @cq: the completion queue
 * @free_ovf: gives back each node
 * @arg: passed to @free_ovf
 *
 * Return: how many completions were dropped.
 */
unsigned int vaal_cq_discard(struct vaal_cq *cq,
			     void (*free_ovf)(struct vaal_cq_ovf *ovf, void *arg),
			     void *arg)
{
	struct vaal_cq_ovf *ovf, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(ovf, tmp, &cq->overflow, node) {
		list_del(&ovf->node);
		free_ovf(ovf, arg);
		n++;
	}
	cq->nr_overflow = 0;
	return n;
}

/**
 * vaal_rob_init - an empty reorder buffer
 * @rob: the reorder buffer
 * @slots: @entries slots
 * @entries: a power of two: the submissions in flight at most
 */
void vaal_rob_init(struct vaal_rob *rob, struct vaal_rob_slot *slots,
		   u32 entries)
{
	rob->slots = slots;
	rob->entries = entries;
	rob->head = 0;
	rob->tail = 0;
	memset(slots, 0, entries * sizeof(*slots));
}

/**
 * vaal_rob_reserve - a place in submission order for a new submission
 * @rob: the reorder buffer
 * @seq: its sequence number, on success
 *
 * Return: 0, or -EBUSY when @rob->entries submissions are in flight.
 */
int vaal_rob_reserve(struct vaal_rob *rob, u32 *seq)
{
	if (rob->tail - rob->head == rob->entries)
		return -EBUSY;
	*seq = rob->tail++;
	rob->slots[*seq & (rob->entries - 1)].done = false;
	return 0;
}

/**
 * vaal_rob_complete - a submission completed, in whatever order
 * @rob: the reorder buffer
 * @seq: its sequence number
 * @cqe: its completion
 * @priv: the caller's, handed back by vaal_rob_peek() with @cqe
 */
void vaal_rob_complete(struct vaal_rob *rob, u32 seq, const struct vaal_cqe *cqe,
		       void *priv)
{
	struct vaal_rob_slot *slot = &rob->slots[seq & (rob->entries - 1)];

	slot->cqe = *cqe;
	slot->priv = priv;
	slot->done = true;
}

/**
 * vaal_rob_peek - the oldest completion, if it may retire now
 * @rob: the reorder buffer
 *
 * Return: the slot of the oldest submission in flight once it is done,
 * else NULL.  Post its completion, then vaal_rob_retire().
 */
const struct vaal_rob_slot *vaal_rob_peek(const struct vaal_rob *rob)
{
	const struct vaal_rob_slot *slot = &rob->slots[rob->head & (rob->entries - 1)];

	return rob->head != rob->tail && slot->done ? slot : NULL;
}

/**
 * vaal_rob_retire - drop the oldest completion, which vaal_rob_peek() gave
 * @rob: the reorder buffer
 */
void vaal_rob_retire(struct vaal_rob *rob)
{
	rob->slots[rob->head++ & (rob->entries - 1)].done = false;
}
