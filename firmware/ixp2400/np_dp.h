/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_dp.h - the NP data plane: the stages tied into a pipeline.
 *
 *   uplink rx --> classify --+--> VIF rx rings --> rx_drain (host side) --> notify
 *   VIF tx -----> classify --+
 *                            +--> VIF egress rings --> DRR, token buckets --> uplink
 *
 * Each VIF has two rings of frame pointers: its receive queue (frames for
 * its host side) and its egress queue (frames for the uplink), the latter a
 * flow of the egress scheduler, with its token bucket.  Frames switched
 * between VIFs go straight to the receive ring of the destination.  A frame
 * for several destinations is cloned by the caller's callback, one clone
 * per destination but the last, which gets the frame itself.
 *
 * Frames are the caller's: the data plane never allocates.  A frame is
 * handed back exactly once - to the xmit callback of np_dp_egress(), out of
 * np_dp_rx_drain(), or to &np_dp_ops.drop - whatever happens to it.
 *
 * Pure logic, no allocation, no locking: one thread, or a caller that
 * serializes, runs every function of one &struct np_dp.
 */
#ifndef _NP_DP_H
#define _NP_DP_H

#include <linux/types.h>

#include "np_abi.h"
#include "np_classify.h"
#include "np_notify.h"
#include "np_ring.h"
#include "np_sched.h"

/* MTU range of a VIF. */
#define NP_DP_MTU_MIN		68
#define NP_DP_MTU_MAX		9216
/* DRR quantum of every VIF: a full-size frame with its 802.1Q tag. */
#define NP_DP_QUANTUM		1518
/* Rate limits: 1 Tbit/s, and the token bucket's deepest bucket. */
#define NP_DP_RATE_MAX		125000000000ULL
#define NP_DP_BURST_MAX		8000000000ULL
/* Largest queue, in frames. */
#define NP_DP_MAX_SLOTS		4096U

/**
 * struct np_frame - a frame, opaque to the data plane but for its bytes
 * @data: the frame from its Ethernet header on
 * @len: its length in bytes
 * @seg_len: the longest frame on the wire it stands for when the host
 *	side cuts it into segments on its way out (a GSO frame: the NP checks
 *	this against the MTUs, and schedules @len); 0: @len
 * @priv: the caller's
 */
struct np_frame {
	void *data;
	u32 len;
	u32 seg_len;
	void *priv;
};

/**
 * struct np_dp_stats - the counters of a VIF or of the uplink, seen from it
 *	(as &struct np_msg_stats)
 * @rx_packets: frames received: from the wire (uplink), by the host side
 *	(VIF)
 * @rx_bytes: their bytes
 * @tx_packets: frames sent: to the wire (uplink), into the NP (VIF)
 * @tx_bytes: their bytes
 * @drops: frames dropped, by enum np_drop
 */
struct np_dp_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 drops[NP_DROP_NR];
};

/**
 * struct np_dp_ops - the caller's callbacks
 * @clone: another frame with the same bytes, or NULL when there is no
 *	buffer for one (that destination misses the frame)
 * @drop: take back a frame that goes nowhere
 * @notify: signal a VIF that has new used buffers; return whether it was
 *	signalled (false: the guest suppresses it)
 * @arg: passed to each
 */
struct np_dp_ops {
	struct np_frame *(*clone)(void *arg, const struct np_frame *f);
	void (*drop)(void *arg, struct np_frame *f);
	bool (*notify)(void *arg, unsigned int vif);
	void *arg;
};

/**
 * struct np_dp_vif - a VIF of the data plane
 * @flow: its egress flow, in &np_dp.sched while its egress ring has frames
 * @rxq: frames for its host side
 * @txq: frames for the uplink
 * @cfg: its configuration
 * @max_len: longest frame it sends or receives: MTU, Ethernet and 802.1Q
 *	headers
 * @used: the VIF exists
 * @stats: its counters
 */
struct np_dp_vif {
	struct np_flow flow;
	struct np_ring *rxq;
	struct np_ring *txq;
	struct np_vif_cfg cfg;
	u32 max_len;
	bool used;
	struct np_dp_stats stats;
};

/**
 * struct np_dp - the data plane of one NP, followed in memory by its rings
 *	(np_dp_bytes())
 * @cls: the classify stage
 * @sched: the egress scheduler
 * @notify: pending notifications
 * @ops: the caller's callbacks
 * @uplink: the uplink's counters
 * @now_ns: time of the last np_dp_egress(), for new token buckets
 * @ring_slots: frames per ring
 * @vif: the VIFs
 */
struct np_dp {
	struct np_classify cls;
	struct np_sched sched;
	struct np_notify notify;
	struct np_dp_ops ops;
	struct np_dp_stats uplink;
	u64 now_ns;
	u32 ring_slots;
	struct np_dp_vif vif[NP_MAX_VIFS];
};

size_t np_dp_bytes(u32 ring_slots);
int np_dp_init(struct np_dp *dp, u32 ring_slots, const struct np_dp_ops *ops);

int np_dp_vif_add(struct np_dp *dp, unsigned int vif,
		  const struct np_vif_cfg *cfg);
int np_dp_vif_set(struct np_dp *dp, unsigned int vif,
		  const struct np_vif_cfg *cfg, u32 change);
int np_dp_vif_del(struct np_dp *dp, unsigned int vif);
int np_dp_vif_rate(struct np_dp *dp, unsigned int vif, u64 rate, u64 burst);
int np_dp_vif_mcast(struct np_dp *dp, unsigned int vif,
		    const u8 addrs[][NP_ABI_MAC_LEN], unsigned int n);
int np_dp_notify_config(struct np_dp *dp, u32 batch_frames, u32 batch_cycles);
int np_dp_stats(const struct np_dp *dp, u32 vif, struct np_dp_stats *st);
unsigned int np_dp_tx_room(const struct np_dp *dp, unsigned int vif);
bool np_dp_egress_backlog(const struct np_dp *dp);

unsigned int np_dp_rx_from_uplink(struct np_dp *dp, struct np_frame **frames,
				  unsigned int n);
unsigned int np_dp_rx_from_vif(struct np_dp *dp, unsigned int vif,
			       struct np_frame **frames, unsigned int n);
unsigned int np_dp_egress(struct np_dp *dp, u64 now_ns, unsigned int budget,
			  void (*xmit)(void *arg, struct np_frame *f),
			  void *arg);
unsigned int np_dp_rx_take(struct np_dp *dp, unsigned int vif,
			   struct np_frame **frames, unsigned int n);
unsigned int np_dp_rx_peek(const struct np_dp *dp, unsigned int vif,
			   struct np_frame **frames, unsigned int n);
unsigned int np_dp_rx_drain(struct np_dp *dp, unsigned int vif,
			    struct np_frame **frames, unsigned int n);
void np_dp_mark(struct np_dp *dp, unsigned int vif, unsigned int frames);
unsigned int np_dp_poll_end(struct np_dp *dp);

#endif /* _NP_DP_H */
