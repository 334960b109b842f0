/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_sched.h - the NP data plane's egress scheduler: deficit round robin
 * (Shreedhar and Varghese) among the VIFs with frames queued, each VIF
 * optionally held to a rate by a token bucket.
 *
 * Fair in bytes: over any stretch in which two VIFs stay backlogged and
 * unthrottled, the bytes each sends differ by less than one quantum plus
 * one largest frame.  Work-conserving: a VIF whose bucket cannot pay for
 * its next frame is passed over, never waited for.
 *
 * Pure logic: the caller owns the frames and serializes calls.
 */
#ifndef _NP_SCHED_H
#define _NP_SCHED_H

#include <linux/list.h>
#include <linux/types.h>

/**
 * struct np_tb - token bucket
 * @rate: bytes per second; 0 means unlimited
 * @burst: bucket depth in bytes
 * @tokens: available credit, in bytes scaled by NSEC_PER_SEC
 * @last_ns: time of the last refill
 * @fill_ns: time to fill the empty bucket: a longer wait fills it, a
 *	shorter one adds less than a full bucket (no overflow, no division)
 */
struct np_tb {
	u64 rate;
	u64 burst;
	u64 tokens;
	u64 last_ns;
	u64 fill_ns;
};

/**
 * struct np_flow - one VIF's queue as the scheduler sees it
 * @node: entry in &np_sched.active while backlogged
 * @quantum: bytes of credit per round
 * @deficit: credit left in this round
 * @active: on &np_sched.active
 * @fresh: a new round starts for it: add @quantum when it is next at the head
 * @tb: rate limit
 */
struct np_flow {
	struct list_head node;
	u32 quantum;
	u32 deficit;
	bool active;
	bool fresh;
	struct np_tb tb;
};

/**
 * struct np_sched - the scheduler of one NP
 * @active: backlogged flows, in round order
 * @nr_active: entries in @active
 */
struct np_sched {
	struct list_head active;
	unsigned int nr_active;
};

void np_tb_init(struct np_tb *tb, u64 rate, u64 burst, u64 now_ns);
bool np_tb_take(struct np_tb *tb, u32 bytes, u64 now_ns);

void np_sched_init(struct np_sched *s);
void np_flow_init(struct np_flow *f, u32 quantum);
void np_sched_wake(struct np_sched *s, struct np_flow *f);
struct np_flow *np_sched_next(struct np_sched *s, u64 now_ns,
			      u32 (*head_len)(struct np_flow *f));
bool np_sched_more(struct np_flow *f, u32 len, u64 now_ns);
void np_sched_remove(struct np_sched *s, struct np_flow *f);

#endif /* _NP_SCHED_H */
