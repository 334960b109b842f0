// SPDX-License-Identifier: GPL-2.0
/*
 * np_dp_bench.c - cost of a 64-byte frame through the NP data plane
 * (classify, queue, schedule) in batches of 32, with VIFS VIFs.
 *
 *   np_dp_bench FRAMES VIFS
 *
 * Every VIF's egress ring starts with 64 frames, so that all VIFs stay
 * backlogged and the scheduler rotates among all of them.  Each round takes
 * the next VIF: 32 frames from it to the uplink (classify, its egress ring),
 * 32 frames out of the egress scheduler (DRR among the VIFs, the token
 * buckets of the half that is rate limited, never throttled), 32 frames
 * from the uplink to it (classify, its receive ring), drained to its host
 * side, and the end of a poll cycle (one notification).  FRAMES counts both
 * directions.  Prints "frames ns_per_frame"; scripts/bench.sh runs it
 * natively for wall time and under callgrind for instruction counts
 * (svnic.native.classify_queue_sched_*).
 *
 * This is the NP data plane alone: the frames are descriptors of bytes
 * already in memory.  The sidecore's whole path for a frame also walks the
 * VIF's ring, translates and checks its addresses, copies the bytes and
 * builds or frees an skb; svnic_vhost_bench measures that in the VM
 * (svnic.vm.sidecore_ns_per_frame_64b).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_dp.h"

#define BATCH	32
#define SLOTS	256
#define LEN	64

static struct np_frame in[NP_MAX_VIFS][BATCH], out;
static struct np_frame *inp[NP_MAX_VIFS][BATCH], *outp[BATCH];
static u8 in_data[NP_MAX_VIFS][LEN], out_data[LEN];
static unsigned long sent, notified;

static struct np_frame *clone_cb(void *arg, const struct np_frame *f)
{
	return NULL;
}

static void drop_cb(void *arg, struct np_frame *f)
{
	abort();	/* nothing is dropped here */
}

static bool notify_cb(void *arg, unsigned int vif)
{
	notified++;
	return true;
}

static void xmit_cb(void *arg, struct np_frame *f)
{
	sent++;
}

static void mac(u8 *p, unsigned int id)
{
	memcpy(p, (u8 []){ 0x02, 0, 0, 0, id >> 8, id }, 6);
}

/* Frames to VIF @v from the wire; frames from any VIF to the wire. */
static void frames_init(unsigned int vifs)
{
	unsigned int v, i;

	for (v = 0; v < vifs; v++) {
		mac(in_data[v], v);
		mac(in_data[v] + 6, 0xeee);
		for (i = 0; i < BATCH; i++) {
			in[v][i] = (struct np_frame){ .data = in_data[v],
						     .len = LEN };
			inp[v][i] = &in[v][i];
		}
	}
	mac(out_data, 0xeee);
	mac(out_data + 6, 0);
	out = (struct np_frame){ .data = out_data, .len = LEN };
	for (i = 0; i < BATCH; i++)
		outp[i] = &out;
}

static struct np_dp *setup(unsigned int vifs)
{
	struct np_dp_ops ops = { clone_cb, drop_cb, notify_cb, NULL };
	struct np_vif_cfg cfg = { .vlan = NP_VLAN_NONE, .mtu = 1500 };
	struct np_dp *dp = aligned_alloc(64, np_dp_bytes(SLOTS));
	unsigned int v;

	if (!dp || np_dp_init(dp, SLOTS, &ops))
		return NULL;
	for (v = 0; v < vifs; v++) {
		mac(cfg.mac, v);
		if (np_dp_vif_add(dp, v, &cfg))
			return NULL;
		/* 100 Gbit/s: limited, but never throttled */
		if (v % 2 && np_dp_vif_rate(dp, v, 12500000000ULL, 1 << 20))
			return NULL;
		np_dp_rx_from_vif(dp, v, outp, BATCH);
		np_dp_rx_from_vif(dp, v, outp, BATCH);
	}
	return dp;
}

int main(int argc, char **argv)
{
	struct np_frame *drained[BATCH];
	unsigned long frames, done = 0, vifs;
	struct timespec t0, t1;
	unsigned int v = 0;
	struct np_dp *dp;
	u64 now = 0;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FRAMES VIFS\n", argv[0]);
		return 2;
	}
	frames = strtoul(argv[1], NULL, 0);
	vifs = strtoul(argv[2], NULL, 0);
	if (!frames || !vifs || vifs > NP_MAX_VIFS) {
		fprintf(stderr, "%s: FRAMES > 0, 0 < VIFS <= %u\n", argv[0],
			NP_MAX_VIFS);
		return 2;
	}
	frames_init(vifs);
	dp = setup(vifs);
	if (!dp)
		return 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < frames) {
		done += np_dp_rx_from_vif(dp, v, outp, BATCH);
		np_dp_egress(dp, now, BATCH, xmit_cb, NULL);
		done += np_dp_rx_from_uplink(dp, inp[v], BATCH);
		np_dp_rx_drain(dp, v, drained, BATCH);
		np_dp_poll_end(dp);
		now += 1000;
		v = v + 1 == vifs ? 0 : v + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", done, ns / done);
	free(dp);
	return sent && notified ? 0 : 1;
}
