/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_notify.h - the virtual interrupt identifier: which VIFs have new used
 * buffers, signalled in one batched pass.
 *
 * A two-level bitmap: a bit per VIF, and a summary word with a bit per
 * nonzero word of VIF bits.  Marking a VIF is O(1); a flush visits only the
 * words with marked VIFs, found through the summary, and calls back once
 * per marked VIF - so its cost follows the number of VIFs to signal, never
 * the number of VIFs there are.
 *
 * Batching: a flush is due once @batch_frames frames were accounted since
 * the last one (np_notify_frames()), and at the end of every
 * @batch_cycles-th poll cycle (np_notify_poll_end()), so that nothing waits
 * longer than that many cycles.  Event suppression is the callback's: it
 * reads the guest's wishes (a virtqueue's used_event or NO_INTERRUPT flag)
 * and says whether it signalled.
 *
 * Pure logic, no allocation, no locking: the caller serializes.
 */
#ifndef _NP_NOTIFY_H
#define _NP_NOTIFY_H

#include <linux/types.h>

#include "np_vifset.h"

/* Largest frame bound of a batch (&np_msg_notify_set.frames). */
#define NP_NOTIFY_MAX_FRAMES	65536U
/* Largest poll cycle bound of a batch (&np_msg_notify_set.cycles). */
#define NP_NOTIFY_MAX_CYCLES	1024U

/**
 * struct np_notify - pending notifications of one NP
 * @summary: bit i set when @pending.w[i] is not 0
 * @pending: the marked VIFs
 * @batch_frames: flush after this many frames; 0 for no such bound
 * @batch_cycles: flush at the end of every this many poll cycles, at least 1
 * @frames: frames accounted since the last flush
 * @cycles: poll cycles ended since the last flush
 * @sent: notifications the callback sent
 * @suppressed: notifications the callback suppressed
 * @flushes: flushes done
 * @words: words of @pending the flushes visited
 */
struct np_notify {
	u64 summary;
	struct np_vifset pending;
	u32 batch_frames;
	u32 batch_cycles;
	u32 frames;
	u32 cycles;
	u64 sent;
	u64 suppressed;
	u64 flushes;
	u64 words;
};

void np_notify_init(struct np_notify *n);
int np_notify_config(struct np_notify *n, u32 batch_frames, u32 batch_cycles);
void np_notify_mark(struct np_notify *n, unsigned int vif);
void np_notify_clear(struct np_notify *n, unsigned int vif);
bool np_notify_frames(struct np_notify *n, unsigned int frames);
bool np_notify_poll_end(struct np_notify *n);
unsigned int np_notify_flush(struct np_notify *n,
			     bool (*cb)(void *arg, unsigned int vif),
			     void *arg);

#endif /* _NP_NOTIFY_H */
