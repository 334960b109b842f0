// SPDX-License-Identifier: GPL-2.0
/*
 * np_dp.c - the NP data plane pipeline (see np_dp.h)
 */
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "np_dp.h"

/* Where a frame goes in np_dp_send(): a VIF id, or this for the uplink. */
#define NP_DP_TO_UPLINK		NP_SRC_UPLINK
/* Frames queued or sent with one ring operation at most. */
#define NP_DP_BURST		32U

static size_t np_dp_align(size_t bytes)
{
	return (bytes + L1_CACHE_BYTES - 1) & ~(size_t)(L1_CACHE_BYTES - 1);
}

/**
 * np_dp_bytes - memory needed for a data plane and its rings
 * @ring_slots: frames per ring, as np_dp_init() takes them
 *
 * Return: bytes to allocate, aligned to a cache line, for np_dp_init().
 */
size_t np_dp_bytes(u32 ring_slots)
{
	return np_dp_align(sizeof(struct np_dp)) +
	       2 * NP_MAX_VIFS * np_dp_align(np_ring_bytes(ring_slots));
}

/**
 * np_dp_init - a data plane without VIFs
 * @dp: np_dp_bytes() bytes, aligned to a cache line
 * @ring_slots: frames per ring: a power of two up to %NP_DP_MAX_SLOTS
 * @ops: the callbacks, all set; copied
 *
 * Notifications are flushed at the end of every poll cycle until
 * np_dp_notify_config() says otherwise.
 *
 * Return: 0, or -EINVAL for a bad @ring_slots or a callback missing.
 */
int np_dp_init(struct np_dp *dp, u32 ring_slots, const struct np_dp_ops *ops)
{
	size_t stride = np_dp_align(np_ring_bytes(ring_slots));
	char *rings = (char *)dp + np_dp_align(sizeof(*dp));
	unsigned int i;

	if (!is_power_of_2(ring_slots) || ring_slots > NP_DP_MAX_SLOTS ||
	    !ops->clone || !ops->drop || !ops->notify)
		return -EINVAL;
	memset(dp, 0, sizeof(*dp));
	np_classify_init(&dp->cls);
	np_sched_init(&dp->sched);
	np_notify_init(&dp->notify);
	dp->ops = *ops;
	dp->ring_slots = ring_slots;
	for (i = 0; i < NP_MAX_VIFS; i++) {
		dp->vif[i].rxq = (struct np_ring *)(rings + 2 * i * stride);
		dp->vif[i].txq = (struct np_ring *)(rings + (2 * i + 1) * stride);
		np_ring_init(dp->vif[i].rxq, ring_slots);
		np_ring_init(dp->vif[i].txq, ring_slots);
	}
	return 0;
}

static bool np_dp_mtu_ok(u16 mtu)
{
	return mtu >= NP_DP_MTU_MIN && mtu <= NP_DP_MTU_MAX;
}

static void np_dp_vif_cfg(struct np_dp_vif *v, const struct np_vif_cfg *cfg)
{
	v->cfg = *cfg;
	v->max_len = cfg->mtu + NP_ETH_HLEN + NP_VLAN_HLEN;
}

/**
 * np_dp_vif_add - a new VIF: empty rings, no rate limit, no multicast filter
 * @dp: the data plane
 * @vif: its id
 * @cfg: its configuration
 *
 * Return: 0; -EINVAL for an MTU out of %NP_DP_MTU_MIN..%NP_DP_MTU_MAX, or
 * as np_classify_add() fails: -EINVAL, -EEXIST, -EADDRINUSE.
 */
int np_dp_vif_add(struct np_dp *dp, unsigned int vif,
		  const struct np_vif_cfg *cfg)
{
	struct np_dp_vif *v;
	int err;

	if (!np_dp_mtu_ok(cfg->mtu))
		return -EINVAL;
	err = np_classify_add(&dp->cls, vif, cfg);
	if (err)
		return err;
	v = &dp->vif[vif];
	np_ring_init(v->rxq, dp->ring_slots);
	np_ring_init(v->txq, dp->ring_slots);
	np_flow_init(&v->flow, NP_DP_QUANTUM);
	memset(&v->stats, 0, sizeof(v->stats));
	np_dp_vif_cfg(v, cfg);
	v->used = true;
	return 0;
}

/**
 * np_dp_vif_set - change some of a VIF's configuration
 * @dp: the data plane
 * @vif: the VIF
 * @cfg: the new values of the fields @change names; the others are ignored
 * @change: enum np_vif_change bits, at least one
 *
 * Frames already queued stay.
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on, a bad @change or a
 * bad new value; -ENOENT when @vif does not exist; -EADDRINUSE when another
 * VIF has the new address on the new VLAN.  Nothing changes on failure.
 */
int np_dp_vif_set(struct np_dp *dp, unsigned int vif,
		  const struct np_vif_cfg *cfg, u32 change)
{
	struct np_vif_cfg new;
	int err;

	if (vif >= NP_MAX_VIFS || !change || (change & ~NP_VIF_SET_ALL))
		return -EINVAL;
	if (!dp->vif[vif].used)
		return -ENOENT;
	new = dp->vif[vif].cfg;
	if (change & NP_VIF_SET_MAC)
		memcpy(new.mac, cfg->mac, sizeof(new.mac));
	if (change & NP_VIF_SET_VLAN)
		new.vlan = cfg->vlan;
	if (change & NP_VIF_SET_MTU)
		new.mtu = cfg->mtu;
	if (change & NP_VIF_SET_RX_MODE)
		new.rx_mode = cfg->rx_mode;
	if (!np_dp_mtu_ok(new.mtu))
		return -EINVAL;
	err = np_classify_set(&dp->cls, vif, &new);
	if (!err)
		np_dp_vif_cfg(&dp->vif[vif], &new);
	return err;
}

static void np_dp_give_back(struct np_dp *dp, struct np_ring *ring)
{
	void *obj;

	while (np_ring_dequeue_burst(ring, &obj, 1))
		dp->ops.drop(dp->ops.arg, obj);
}

/**
 * np_dp_vif_del - remove a VIF; the frames in its rings go to
 *	&np_dp_ops.drop, its pending notification is forgotten
 * @dp: the data plane
 * @vif: the VIF
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on; -ENOENT when @vif does
 * not exist.
 */
int np_dp_vif_del(struct np_dp *dp, unsigned int vif)
{
	struct np_dp_vif *v;
	int err = np_classify_del(&dp->cls, vif);

	if (err)
		return err;
	v = &dp->vif[vif];
	np_sched_remove(&dp->sched, &v->flow);
	np_notify_clear(&dp->notify, vif);
	np_dp_give_back(dp, v->rxq);
	np_dp_give_back(dp, v->txq);
	v->used = false;
	return 0;
}

/**
 * np_dp_vif_rate - hold a VIF's egress to the uplink to a rate
 * @dp: the data plane
 * @vif: the VIF
 * @rate: bytes per second up to %NP_DP_RATE_MAX; 0 (with @burst 0): no limit
 * @burst: bucket depth in bytes, from 1 to %NP_DP_BURST_MAX when @rate is
 *	set; the bucket starts full
 *
 * Return: 0; -EINVAL for an id from %NP_MAX_VIFS on or values out of
 * range; -ENOENT when @vif does not exist.
 */
int np_dp_vif_rate(struct np_dp *dp, unsigned int vif, u64 rate, u64 burst)
{
	if (vif >= NP_MAX_VIFS || rate > NP_DP_RATE_MAX ||
	    burst > NP_DP_BURST_MAX || !rate != !burst)
		return -EINVAL;
	if (!dp->vif[vif].used)
		return -ENOENT;
	np_tb_init(&dp->vif[vif].flow.tb, rate, burst, dp->now_ns);
	return 0;
}

/**
 * np_dp_vif_mcast - replace a VIF's multicast filter
 * @dp: the data plane
 * @vif: the VIF
 * @addrs: multicast addresses
 * @n: how many (np_classify_set_mcast())
 *
 * Return: as np_classify_set_mcast(): 0, -EINVAL or -ENOENT.
 */
int np_dp_vif_mcast(struct np_dp *dp, unsigned int vif,
		    const u8 addrs[][NP_ABI_MAC_LEN], unsigned int n)
{
	return np_classify_set_mcast(&dp->cls, vif, addrs, n);
}

/**
 * np_dp_notify_config - how notifications are batched
 * @dp: the data plane
 * @batch_frames: as np_notify_config()
 * @batch_cycles: as np_notify_config()
 *
 * Return: 0, or -EINVAL for a value out of range.
 */
int np_dp_notify_config(struct np_dp *dp, u32 batch_frames, u32 batch_cycles)
{
	return np_notify_config(&dp->notify, batch_frames, batch_cycles);
}

/**
 * np_dp_stats - the counters of a VIF or of the uplink
 * @dp: the data plane
 * @vif: the VIF, or %NP_VIF_UPLINK
 * @st: where to copy them
 *
 * Return: 0; -EINVAL for another id from %NP_MAX_VIFS on; -ENOENT when
 * @vif does not exist.
 */
int np_dp_stats(const struct np_dp *dp, u32 vif, struct np_dp_stats *st)
{
	if (vif == NP_VIF_UPLINK) {
		*st = dp->uplink;
		return 0;
	}
	if (vif >= NP_MAX_VIFS)
		return -EINVAL;
	if (!dp->vif[vif].used)
		return -ENOENT;
	*st = dp->vif[vif].stats;
	return 0;
}

/**
 * np_dp_tx_room - frames a VIF may send before its egress queue is full
 * @dp: the data plane
 * @vif: the VIF
 *
 * A host side that takes no more than this from its VIF's transmit ring
 * holds the VIF back (its rate limit, the uplink's pace) instead of having
 * its frames dropped.
 *
 * Return: free slots of @vif's egress queue; 0 when @vif does not exist.
 */
unsigned int np_dp_tx_room(const struct np_dp *dp, unsigned int vif)
{
	if (vif >= NP_MAX_VIFS || !dp->vif[vif].used)
		return 0;
	return dp->ring_slots - np_ring_count(dp->vif[vif].txq);
}

/**
 * np_dp_egress_backlog - whether frames wait for the egress scheduler
 * @dp: the data plane
 *
 * Return: true when some VIF's egress queue holds frames (perhaps held
 * back by its rate limit).
 */
bool np_dp_egress_backlog(const struct np_dp *dp)
{
	return dp->sched.nr_active;
}

/* The length an MTU is checked against: a GSO frame's segments'. */
static inline u32 np_dp_wire_len(const struct np_frame *f)
{
	return f->seg_len ? f->seg_len : f->len;
}

static void np_dp_drop(struct np_dp *dp, struct np_dp_stats *st,
		       struct np_frame *f, unsigned int reason)
{
	st->drops[reason]++;
	dp->ops.drop(dp->ops.arg, f);
}

/**
 * struct np_dp_run - frames for one destination, queued with one burst
 * @src: the VIF they come from, NULL for the uplink
 * @to: their destination: a VIF id, or %NP_DP_TO_UPLINK for the egress
 *	ring of @src
 * @n: frames in @objs
 * @objs: the frames, in order
 *
 * A frame for another destination sends the run on first, so each
 * destination receives its frames in the order they came.
 */
struct np_dp_run {
	struct np_dp_vif *src;
	unsigned int to;
	unsigned int n;
	void *objs[NP_DP_BURST];
};

/* The counters that a frame for @to is dropped on: the receiving VIF's. */
static struct np_dp_stats *np_dp_to_stats(struct np_dp *dp,
					  const struct np_dp_run *run,
					  unsigned int to)
{
	return to == NP_DP_TO_UPLINK ? &run->src->stats : &dp->vif[to].stats;
}

/* Queue the run; what does not fit is dropped. */
static void np_dp_run_flush(struct np_dp *dp, struct np_dp_run *run)
{
	bool up = run->to == NP_DP_TO_UPLINK;
	struct np_ring *ring = up ? run->src->txq : dp->vif[run->to].rxq;
	unsigned int done = np_ring_enqueue_burst(ring, run->objs, run->n);
	unsigned int why = NP_DROP_NO_BUFFER;

	if (up && done)
		np_sched_wake(&dp->sched, &run->src->flow);
	if (up && run->src->flow.tb.rate)
		why = NP_DROP_RATE;
	for (; unlikely(done < run->n); done++)
		np_dp_drop(dp, np_dp_to_stats(dp, run, run->to), run->objs[done],
			   why);
	run->n = 0;
}

static inline void np_dp_send(struct np_dp *dp, struct np_dp_run *run,
			      unsigned int to, struct np_frame *f)
{
	if (to != NP_DP_TO_UPLINK &&
	    unlikely(np_dp_wire_len(f) > dp->vif[to].max_len)) {
		np_dp_drop(dp, &dp->vif[to].stats, f, NP_DROP_TOO_BIG);
		return;
	}
	if (run->n && (run->to != to || run->n == NP_DP_BURST))
		np_dp_run_flush(dp, run);
	run->to = to;
	run->objs[run->n++] = f;
}

static void np_dp_copy(struct np_dp *dp, struct np_dp_run *run,
		       unsigned int to, struct np_frame *f)
{
	struct np_frame *c = dp->ops.clone(dp->ops.arg, f);

	if (likely(c))
		np_dp_send(dp, run, to, c);
	else
		np_dp_to_stats(dp, run, to)->drops[NP_DROP_NO_BUFFER]++;
}

/*
 * Each destination but the last gets a clone, sent as the next destination
 * is found; the last one, the uplink when it is one, gets @f itself.
 */
static void np_dp_replicate(struct np_dp *dp, struct np_dp_run *run,
			    struct np_frame *f, const struct np_dest *d)
{
	unsigned int prev = NP_VIF_NONE, v;

	for (v = np_vifset_next(&d->vifs, 0); v < NP_MAX_VIFS;
	     v = np_vifset_next(&d->vifs, v + 1)) {
		if (prev != NP_VIF_NONE)
			np_dp_copy(dp, run, prev, f);
		prev = v;
	}
	if (d->uplink) {
		if (prev != NP_VIF_NONE)
			np_dp_copy(dp, run, prev, f);
		prev = NP_DP_TO_UPLINK;
	}
	np_dp_send(dp, run, prev, f);
}

static void np_dp_forward(struct np_dp *dp, struct np_dp_run *run,
			  struct np_frame *f, const struct np_dest *d)
{
	if (d->multi)
		np_dp_replicate(dp, run, f, d);
	else
		np_dp_send(dp, run, d->uplink ? NP_DP_TO_UPLINK : d->vif, f);
}

/**
 * np_dp_rx_from_uplink - frames from the wire: classify and queue them
 * @dp: the data plane
 * @frames: the frames; each is queued for its destinations or dropped
 * @n: how many
 *
 * Return: how many were forwarded (not dropped at classification).
 */
unsigned int np_dp_rx_from_uplink(struct np_dp *dp, struct np_frame **frames,
				  unsigned int n)
{
	unsigned int i, fwd = 0;
	struct np_dp_run run;
	struct np_frame *f;
	struct np_dest d;
	u64 bytes = 0;

	run.src = NULL;
	run.n = 0;
	for (i = 0; i < n; i++) {
		f = frames[i];
		if (unlikely(!np_classify(&dp->cls, f->data, f->len,
					  NP_SRC_UPLINK, &d))) {
			np_dp_drop(dp, &dp->uplink, f, d.reason);
			continue;
		}
		bytes += f->len;
		fwd++;
		np_dp_forward(dp, &run, f, &d);
	}
	if (run.n)
		np_dp_run_flush(dp, &run);
	dp->uplink.rx_packets += fwd;
	dp->uplink.rx_bytes += bytes;
	return fwd;
}

static bool np_dp_from_vif(struct np_dp *dp, struct np_dp_run *run,
			   unsigned int vif, struct np_frame *f)
{
	struct np_dp_vif *v = run->src;
	struct np_dest d;

	if (unlikely(np_dp_wire_len(f) > v->max_len)) {
		np_dp_drop(dp, &v->stats, f, NP_DROP_TOO_BIG);
		return false;
	}
	if (unlikely(!np_classify(&dp->cls, f->data, f->len, vif, &d))) {
		np_dp_drop(dp, &v->stats, f, d.reason);
		return false;
	}
	np_dp_forward(dp, run, f, &d);
	return true;
}

/**
 * np_dp_rx_from_vif - frames a VIF's host side sent: classify and queue them
 * @dp: the data plane
 * @vif: the VIF; when it does not exist, every frame goes to
 *	&np_dp_ops.drop
 * @frames: the frames; each is queued for its destinations or dropped
 * @n: how many
 *
 * Return: how many were forwarded (not dropped at classification).
 */
unsigned int np_dp_rx_from_vif(struct np_dp *dp, unsigned int vif,
			       struct np_frame **frames, unsigned int n)
{
	unsigned int i, fwd = 0;
	struct np_dp_run run;
	u64 bytes = 0;

	if (unlikely(vif >= NP_MAX_VIFS || !dp->vif[vif].used)) {
		for (i = 0; i < n; i++)
			dp->ops.drop(dp->ops.arg, frames[i]);
		return 0;
	}
	run.src = &dp->vif[vif];
	run.n = 0;
	for (i = 0; i < n; i++) {
		/* Its length first: once forwarded, it may be given back. */
		u32 len = frames[i]->len;

		if (np_dp_from_vif(dp, &run, vif, frames[i])) {
			bytes += len;
			fwd++;
		}
	}
	if (run.n)
		np_dp_run_flush(dp, &run);
	run.src->stats.tx_packets += fwd;
	run.src->stats.tx_bytes += bytes;
	return fwd;
}

/* The scheduler's view of a VIF's egress ring: the head frame's length. */
static u32 np_dp_head_len(struct np_flow *flow)
{
	struct np_dp_vif *v = container_of(flow, struct np_dp_vif, flow);
	void *obj;

	if (!np_ring_peek_burst(v->txq, &obj, 1))
		return 0;
	return ((const struct np_frame *)obj)->len;
}

/*
 * The scheduler picked @v, its head frame paid for: send it, and the frames
 * after it while the same turn lasts, @max at most.
 */
static unsigned int np_dp_turn(struct np_dp *dp, struct np_dp_vif *v,
			       u64 now_ns, unsigned int max,
			       void (*xmit)(void *arg, struct np_frame *f),
			       void *arg)
{
	unsigned int n = 1, i, queued;
	void *objs[NP_DP_BURST];
	struct np_frame *f;
	u64 bytes = 0;

	queued = np_ring_peek_burst(v->txq, objs, min(max, NP_DP_BURST));
	while (n < queued &&
	       np_sched_more(&v->flow, ((struct np_frame *)objs[n])->len, now_ns))
		n++;
	n = np_ring_dequeue_burst(v->txq, objs, n);
	for (i = 0; i < n; i++) {
		f = objs[i];
		bytes += f->len;
		xmit(arg, f);
	}
	dp->uplink.tx_packets += n;
	dp->uplink.tx_bytes += bytes;
	return n;
}

/**
 * np_dp_egress - transmit to the uplink: deficit round robin among the
 *	VIFs with frames queued, each held to its rate
 * @dp: the data plane
 * @now_ns: current time, not earlier than at the last call
 * @budget: frames to send at most
 * @xmit: takes each frame, in order
 * @arg: passed to @xmit
 *
 * Return: frames sent; fewer than @budget when every queue is empty or
 * held back by its rate limit.
 */
unsigned int np_dp_egress(struct np_dp *dp, u64 now_ns, unsigned int budget,
			  void (*xmit)(void *arg, struct np_frame *f),
			  void *arg)
{
	unsigned int sent = 0;
	struct np_flow *flow;

	dp->now_ns = now_ns;
	while (sent < budget &&
	       (flow = np_sched_next(&dp->sched, now_ns, np_dp_head_len)))
		sent += np_dp_turn(dp, container_of(flow, struct np_dp_vif, flow),
				   now_ns, budget - sent, xmit, arg);
	return sent;
}

static unsigned int np_dp_flush(struct np_dp *dp)
{
	return np_notify_flush(&dp->notify, dp->ops.notify, dp->ops.arg);
}

/**
 * np_dp_mark - a VIF has new used buffers: notify it with the next batch
 * @dp: the data plane
 * @vif: the VIF; nothing happens when it does not exist
 * @frames: frames they hold, for the batch's frame bound
 *
 * np_dp_rx_drain() marks by itself; this is for the other used buffers of
 * the host side, the frames its VIF sent for instance.  A batch that is
 * due is flushed at once through &np_dp_ops.notify.
 */
void np_dp_mark(struct np_dp *dp, unsigned int vif, unsigned int frames)
{
	if (unlikely(vif >= NP_MAX_VIFS || !dp->vif[vif].used))
		return;
	np_notify_mark(&dp->notify, vif);
	if (np_notify_frames(&dp->notify, frames))
		np_dp_flush(dp);
}

/**
 * np_dp_rx_take - take a VIF's received frames for its host side, without
 *	marking it
 * @dp: the data plane
 * @vif: the VIF
 * @frames: where to store them, in order
 * @n: room in @frames (the host side's free buffers)
 *
 * For a host side that writes the frames into its buffers after taking
 * them: it calls np_dp_mark() with their number once they are there, so
 * that no batch is flushed before the buffers it signals are written.
 *
 * Return: frames stored; 0 when @vif does not exist.
 */
unsigned int np_dp_rx_take(struct np_dp *dp, unsigned int vif,
			   struct np_frame **frames, unsigned int n)
{
	struct np_dp_vif *v;
	unsigned int i, got;
	u64 bytes = 0;

	if (unlikely(vif >= NP_MAX_VIFS || !dp->vif[vif].used))
		return 0;
	v = &dp->vif[vif];
	got = np_ring_dequeue_burst(v->rxq, (void **)frames, n);
	for (i = 0; i < got; i++)
		bytes += frames[i]->len;
	v->stats.rx_packets += got;
	v->stats.rx_bytes += bytes;
	return got;
}

/**
 * np_dp_rx_peek - look at a VIF's received frames, leaving them queued
 * @dp: the data plane
 * @vif: the VIF
 * @frames: where to store them, in the order np_dp_rx_take() takes them
 * @n: room in @frames
 *
 * For a host side that learns only as it writes a frame whether its
 * buffers hold it: it takes the frames it wrote or dropped, in order, and
 * leaves the first one that waits for buffers at the head of the queue.
 *
 * Return: frames stored; 0 when @vif does not exist.
 */
unsigned int np_dp_rx_peek(const struct np_dp *dp, unsigned int vif,
			   struct np_frame **frames, unsigned int n)
{
	if (unlikely(vif >= NP_MAX_VIFS || !dp->vif[vif].used))
		return 0;
	return np_ring_peek_burst(dp->vif[vif].rxq, (void **)frames, n);
}

/**
 * np_dp_rx_drain - hand a VIF's received frames to its host side
 * @dp: the data plane
 * @vif: the VIF
 * @frames: where to store them, in order
 * @n: room in @frames (the host side's free buffers)
 *
 * The VIF is marked for notification (np_dp_mark()): the frames count as
 * delivered once they are taken.
 *
 * Return: frames stored; 0 when @vif does not exist.
 */
unsigned int np_dp_rx_drain(struct np_dp *dp, unsigned int vif,
			    struct np_frame **frames, unsigned int n)
{
	unsigned int got = np_dp_rx_take(dp, vif, frames, n);

	if (got)
		np_dp_mark(dp, vif, got);
	return got;
}

/**
 * np_dp_poll_end - a poll cycle of the NP ends: flush the notifications
 *	when the batching says so
 * @dp: the data plane
 *
 * Return: the number of VIFs &np_dp_ops.notify was called for.
 */
unsigned int np_dp_poll_end(struct np_dp *dp)
{
	return np_notify_poll_end(&dp->notify) ? np_dp_flush(dp) : 0;
}
