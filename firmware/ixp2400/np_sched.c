// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched.c - deficit round robin among VIFs, with token-bucket rate limits
 * (see np_sched.h)
 *
 * One frame per call: the flow at the head of the active list sends while
 * its deficit covers its head frame, then goes to the tail, to receive its
 * next quantum when it comes round again.  A flow whose bucket cannot pay
 * goes to the tail too, without a new quantum, so that a throttled flow
 * banks no credit for later bursts.
 */
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "np_sched.h"

#define NP_NSEC_PER_SEC	1000000000ULL

/**
 * np_tb_init - a full bucket
 * @tb: the bucket
 * @rate: bytes per second, 0 for no limit
 * @burst: depth in bytes, at most 8 GB
 * @now_ns: current time
 */
void np_tb_init(struct np_tb *tb, u64 rate, u64 burst, u64 now_ns)
{
	tb->rate = rate;
	tb->burst = min_t(u64, burst, 8000000000ULL);
	tb->tokens = tb->burst * NP_NSEC_PER_SEC;
	tb->last_ns = now_ns;
	tb->fill_ns = rate ? div64_u64(tb->tokens, rate) : 0;
}

/**
 * np_tb_take - pay for a frame if the bucket allows it now
 * @tb: the bucket
 * @bytes: the frame's length
 * @now_ns: current time, not earlier than at the last call
 *
 * A frame longer than the bucket is deep goes when the bucket is full and
 * empties it: such frames pass at less than the rate, never more.
 *
 * Return: true when the frame may go (and was paid for).
 */
bool np_tb_take(struct np_tb *tb, u32 bytes, u64 now_ns)
{
	u64 full, need, elapsed;

	if (!tb->rate)
		return true;
	full = tb->burst * NP_NSEC_PER_SEC;
	need = min_t(u64, bytes, tb->burst) * NP_NSEC_PER_SEC;
	elapsed = now_ns - tb->last_ns;
	/* Refill; a long idle time fills the bucket without overflowing. */
	if (elapsed > tb->fill_ns)
		tb->tokens = full;
	else
		tb->tokens = min(tb->tokens + elapsed * tb->rate, full);
	tb->last_ns = now_ns;

	if (tb->tokens < need)
		return false;
	tb->tokens -= need;
	return true;
}

void np_sched_init(struct np_sched *s)
{
	INIT_LIST_HEAD(&s->active);
	s->nr_active = 0;
}

/**
 * np_flow_init - a flow with no frames, unlimited
 * @f: the flow
 * @quantum: bytes of credit per round, at least 1; use at least the MTU
 *	so that a flow sends at least one frame per round
 */
void np_flow_init(struct np_flow *f, u32 quantum)
{
	INIT_LIST_HEAD(&f->node);
	f->quantum = max_t(u32, quantum, 1);
	f->deficit = 0;
	f->active = false;
	f->fresh = false;
	np_tb_init(&f->tb, 0, 0, 0);
}

/**
 * np_sched_wake - a flow has frames queued: enter it into the rounds
 * @s: the scheduler
 * @f: the flow; nothing happens when it is in the rounds already
 */
void np_sched_wake(struct np_sched *s, struct np_flow *f)
{
	if (f->active)
		return;
	f->active = true;
	f->fresh = true;
	f->deficit = 0;
	list_add_tail(&f->node, &s->active);
	s->nr_active++;
}

/**
 * np_sched_remove - take a flow out of the rounds (its VIF goes away)
 * @s: the scheduler
 * @f: the flow
 */
void np_sched_remove(struct np_sched *s, struct np_flow *f)
{
	if (!f->active)
		return;
	list_del_init(&f->node);
	f->active = false;
	f->deficit = 0;
	s->nr_active--;
}

static void np_sched_rotate(struct np_sched *s, struct np_flow *f)
{
	list_del(&f->node);
	list_add_tail(&f->node, &s->active);
}

/**
 * np_sched_next - the flow whose head frame goes out next
 * @s: the scheduler
 * @now_ns: current time, for the rate limits
 * @head_len: length of a flow's head frame, 0 when its queue is empty
 *
 * The frame is paid for: the caller must send it.  Flows found empty leave
 * the rounds (np_sched_wake() brings them back).
 *
 * Return: the flow, or NULL when no flow has a frame that may go now.
 */
struct np_flow *np_sched_next(struct np_sched *s, u64 now_ns,
			      u32 (*head_len)(struct np_flow *f))
{
	unsigned int throttled = 0;
	struct np_flow *f;
	u32 len;

	while (!list_empty(&s->active) && throttled < s->nr_active) {
		f = list_first_entry(&s->active, struct np_flow, node);
		len = head_len(f);
		if (!len) {
			np_sched_remove(s, f);
			continue;
		}
		if (f->fresh) {
			f->deficit += f->quantum;
			f->fresh = false;
		}
		if (f->deficit < len) {
			/* Round over for this flow; more credit next time. */
			f->fresh = true;
			np_sched_rotate(s, f);
			throttled = 0;
			continue;
		}
		if (!np_tb_take(&f->tb, len, now_ns)) {
			np_sched_rotate(s, f);
			throttled++;
			continue;
		}
		f->deficit -= len;
		return f;
	}
	return NULL;
}

/**
 * np_sched_more - one more frame in the same turn: the flow that
 *	np_sched_next() just returned sends its next frame too, if it may
 * @f: the flow
 * @len: the length of its next frame, not 0
 * @now_ns: current time, for the rate limit
 *
 * What np_sched_next() would decide for @f, still at the head of the
 * rounds, without the search: a sender may send its flow's frames in a
 * burst, asking before each.  When the answer is no, np_sched_next() takes
 * over (ends the flow's turn, or passes over it while it is throttled).
 *
 * Return: true when the frame may go (and was paid for).
 */
bool np_sched_more(struct np_flow *f, u32 len, u64 now_ns)
{
	if (f->deficit < len || !np_tb_take(&f->tb, len, now_ns))
		return false;
	f->deficit -= len;
	return true;
}
