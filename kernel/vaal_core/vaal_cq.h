/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_cq.h - the completion side of a context: a reorder buffer that
 * retires completions in submission order when the context asks for it, and
 * the completion ring with an overflow list behind it, so that no
 * completion is ever lost when user space is slow to reap.
 *
 * Pure logic: no allocation (the caller provides every array and overflow
 * node), no locking (the caller serializes producers; the ring's consumer
 * is user space, synchronized by acquire/release on head and tail).
 */
#ifndef _VAAL_CQ_H
#define _VAAL_CQ_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/vaal.h>

/*
 * The path of a submission and its completion, NOPs above all: the
 * compiler groups these functions in .text.hot, apart from the slow
 * paths, so that a round trip runs from a few contiguous lines of code.
 */
#define __vaal_hot	__attribute__((__hot__))

/**
 * struct vaal_cq_ring - the completion ring, as shared with user space
 * @head: consumer index, written by user space
 * @tail: producer index, written by the kernel
 * @overflow: completions that waited in the overflow list (a counter)
 * @reserved: zero
 * @cqes: the entries
 */
struct vaal_cq_ring {
	u32 head;
	u32 tail;
	u32 overflow;
	u32 reserved;
	struct vaal_cqe cqes[];
};

/**
 * struct vaal_cq_ovf - a completion parked while the ring is full
 * @node: entry in &vaal_cq.overflow
 * @cqe: the completion
 */
struct vaal_cq_ovf {
	struct list_head node;
	struct vaal_cqe cqe;
};

/**
 * struct vaal_cq - kernel-private state of a completion ring
 * @ring: the shared ring
 * @entries: ring size, a power of two
 * @overflow: parked completions, oldest first
 * @nr_overflow: entries in @overflow
 */
struct vaal_cq {
	struct vaal_cq_ring *ring;
	u32 entries;
	struct list_head overflow;
	unsigned int nr_overflow;
};

void vaal_cq_init(struct vaal_cq *cq, struct vaal_cq_ring *ring, u32 entries);
int vaal_cq_post(struct vaal_cq *cq, const struct vaal_cqe *cqe,
		 struct vaal_cq_ovf **spare);
unsigned int vaal_cq_flush(struct vaal_cq *cq,
			   void (*free_ovf)(struct vaal_cq_ovf *ovf, void *arg),
			   void *arg);
unsigned int vaal_cq_discard(struct vaal_cq *cq,
			     void (*free_ovf)(struct vaal_cq_ovf *ovf, void *arg),
			     void *arg);

/**
 * struct vaal_rob_slot - one submission awaiting retirement
 * @cqe: its completion, once done
 * @priv: the caller's, given with the completion
 * @done: it completed
 */
struct vaal_rob_slot {
	struct vaal_cqe cqe;
	void *priv;
	bool done;
};

/**
 * struct vaal_rob - reorder buffer
 * @slots: one per submission in flight, indexed by sequence number
 * @entries: slots, a power of two
 * @head: oldest sequence number not retired
 * @tail: next sequence number to hand out
 */
struct vaal_rob {
	struct vaal_rob_slot *slots;
	u32 entries;
	u32 head;
	u32 tail;
};

void vaal_rob_init(struct vaal_rob *rob, struct vaal_rob_slot *slots,
		   u32 entries);
int vaal_rob_reserve(struct vaal_rob *rob, u32 *seq);
void vaal_rob_complete(struct vaal_rob *rob, u32 seq, const struct vaal_cqe *cqe,
		       void *priv);
const struct vaal_rob_slot *vaal_rob_peek(const struct vaal_rob *rob);
void vaal_rob_retire(struct vaal_rob *rob);

#endif /* _VAAL_CQ_H */
