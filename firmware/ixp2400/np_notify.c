// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify.c - the virtual interrupt identifier (see np_notify.h)
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "np_notify.h"

/* The summary has a bit per word of VIF bits. */
_Static_assert(NP_VIFSET_WORDS <= 64, "np_notify summary");

/**
 * np_notify_init - nothing pending; flush at the end of every poll cycle
 * @n: the notifier
 */
void np_notify_init(struct np_notify *n)
{
	memset(n, 0, sizeof(*n));
	n->batch_cycles = 1;
}

/**
 * np_notify_config - set the batching
 * @n: the notifier
 * @batch_frames: flush after this many frames, up to
 *	%NP_NOTIFY_MAX_FRAMES; 0 for no such bound
 * @batch_cycles: flush at the end of every this many poll cycles, from 1 to
 *	%NP_NOTIFY_MAX_CYCLES
 *
 * Return: 0, or -EINVAL for a value out of range (nothing changes then).
 */
int np_notify_config(struct np_notify *n, u32 batch_frames, u32 batch_cycles)
{
	if (batch_frames > NP_NOTIFY_MAX_FRAMES || !batch_cycles ||
	    batch_cycles > NP_NOTIFY_MAX_CYCLES)
		return -EINVAL;
	n->batch_frames = batch_frames;
	n->batch_cycles = batch_cycles;
	return 0;
}

/**
 * np_notify_mark - a VIF has new used buffers: signal it at the next flush
 * @n: the notifier
 * @vif: the VIF, below %NP_MAX_VIFS; marking it again changes nothing
 */
void np_notify_mark(struct np_notify *n, unsigned int vif)
{
	np_vifset_add(&n->pending, vif);
	n->summary |= 1ULL << (vif / NP_VIFSET_BITS);
}

/**
 * np_notify_clear - forget a VIF's pending notification (it goes away)
 * @n: the notifier
 * @vif: the VIF, below %NP_MAX_VIFS
 */
void np_notify_clear(struct np_notify *n, unsigned int vif)
{
	unsigned int i = vif / NP_VIFSET_BITS;

	np_vifset_del(&n->pending, vif);
	if (!n->pending.w[i])
		n->summary &= ~(1ULL << i);
}

/**
 * np_notify_frames - account frames handed to VIFs
 * @n: the notifier
 * @frames: how many
 *
 * Return: true when a flush is due by the frame bound.
 */
bool np_notify_frames(struct np_notify *n, unsigned int frames)
{
	n->frames += frames;
	return n->batch_frames && n->frames >= n->batch_frames;
}

/**
 * np_notify_poll_end - a poll cycle ends
 * @n: the notifier
 *
 * Return: true when a flush is due by the cycle bound and something is
 * pending.
 */
bool np_notify_poll_end(struct np_notify *n)
{
	if (++n->cycles < n->batch_cycles)
		return false;
	n->cycles = 0;
	return n->summary != 0;
}

/* Call back for each VIF of one word; count what was sent. */
static unsigned int np_notify_word(struct np_notify *n, u64 word,
				   unsigned int base,
				   bool (*cb)(void *arg, unsigned int vif),
				   void *arg)
{
	unsigned int called = 0, sent = 0;

	for (; word; word &= word - 1, called++)
		sent += cb(arg, base + np_ffs64(word));
	n->sent += sent;
	n->suppressed += called - sent;
	return called;
}

/**
 * np_notify_flush - signal every marked VIF once, in one pass
 * @n: the notifier
 * @cb: called once per marked VIF, in increasing VIF order; returns
 *	whether it signalled the VIF (false: the guest suppresses it).  It
 *	may mark VIFs: those of words the pass has visited wait for the next
 *	flush.
 * @arg: passed to @cb
 *
 * Only the words with marked VIFs are visited.  The batch counts restart.
 *
 * Return: the number of VIFs @cb was called for.
 */
unsigned int np_notify_flush(struct np_notify *n,
			     bool (*cb)(void *arg, unsigned int vif),
			     void *arg)
{
	u64 summary = n->summary, word;
	unsigned int i, called = 0;

	n->frames = 0;
	n->cycles = 0;
	n->flushes++;
	for (; summary; summary &= summary - 1) {
		i = np_ffs64(summary);
		word = n->pending.w[i];
		n->pending.w[i] = 0;
		n->summary &= ~(1ULL << i);
		n->words++;
		called += np_notify_word(n, word, i * NP_VIFSET_BITS, cb, arg);
	}
	return called;
}
