// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cq_test.c - the completion side of a context (vaal_core's
 * vaal_cq.c) natively under ASan and UBSan: random completion orders and a
 * slow reaper against the rules - every completion reaped exactly once, in
 * submission order when ordered, in completion order otherwise - plus a
 * consumer thread, and the hand-written cases of vaal_cq_cases.h (shared
 * with the KUnit suite): overflow, a corrupted head, a missing spare, the
 * reorder buffer's order and bound.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_cq.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "vaal_cq_cases.h"

#define ENTRIES		8
#define INFLIGHT	32
#define TOTAL		20000

struct harness {
	struct vaal_cq cq;
	struct vaal_cq_ring *ring;
	struct vaal_rob rob;
	struct vaal_rob_slot slots[INFLIGHT];
	unsigned int rng;
	unsigned int nodes;	/* overflow nodes handed out, not returned */
};

static unsigned int rnd(struct harness *h, unsigned int n)
{
	h->rng = h->rng * 1103515245 + 12345;
	return (h->rng >> 8) % n;
}

static void free_ovf(struct vaal_cq_ovf *ovf, void *arg)
{
	struct harness *h = arg;

	h->nodes--;
	free(ovf);
}

static int post(struct harness *h, const struct vaal_cqe *cqe)
{
	struct vaal_cq_ovf *spare = malloc(sizeof(*spare));
	int ret;

	h->nodes++;
	ret = vaal_cq_post(&h->cq, cqe, &spare);
	if (spare)
		free_ovf(spare, h);
	return ret;
}

/* What user space does: take up to @max entries. */
static unsigned int reap(struct harness *h, u64 *out, unsigned int max)
{
	u32 head = h->ring->head, tail = __atomic_load_n(&h->ring->tail,
						      __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	while (head != tail && n < max)
		out[n++] = h->ring->cqes[head++ & (ENTRIES - 1)].user_data;
	__atomic_store_n(&h->ring->head, head, __ATOMIC_RELEASE);
	return n;
}

static struct harness *harness_new(unsigned int seed)
{
	struct harness *h = calloc(1, sizeof(*h));

	h->ring = calloc(1, sizeof(*h->ring) + ENTRIES * sizeof(struct vaal_cqe));
	vaal_cq_init(&h->cq, h->ring, ENTRIES);
	vaal_rob_init(&h->rob, h->slots, INFLIGHT);
	h->rng = seed;
	return h;
}

static void harness_free(struct harness *h)
{
	free(h->ring);
	free(h);
}

/*
 * Submit TOTAL, complete in random order, reap slowly; check what user
 * space sees.  Returns 0, or the index of the first wrong completion + 1.
 */
static int simulate(unsigned int seed, int ordered)
{
	static u64 got[TOTAL], done_order[TOTAL];
	struct harness *h = harness_new(seed);
	u32 seqs[INFLIGHT], nin = 0, submitted = 0, ndone = 0, ngot = 0, i;
	const struct vaal_rob_slot *c;
	struct vaal_cqe cqe;
	int bad = 0;

	memset(&cqe, 0, sizeof(cqe));
	while (ngot < TOTAL) {
		switch (rnd(h, 4)) {
		case 0:		/* submit */
			if (submitted == TOTAL || nin == INFLIGHT)
				break;
			/* Completed but unretired work holds its slot. */
			if (ordered && vaal_rob_reserve(&h->rob, &seqs[nin]))
				break;
			if (!ordered)
				seqs[nin] = submitted;
			nin++;
			submitted++;
			break;
		case 1:		/* a random one in flight completes */
			if (!nin)
				break;
			i = rnd(h, nin);
			cqe.user_data = seqs[i];
			seqs[i] = seqs[--nin];
			done_order[ndone++] = cqe.user_data;
			if (!ordered) {
				if (post(h, &cqe))
					return -2;
				break;
			}
			vaal_rob_complete(&h->rob, cqe.user_data, &cqe, &cqe);
			while ((c = vaal_rob_peek(&h->rob))) {
				if (c->priv != &cqe || post(h, &c->cqe))
					return -2;
				vaal_rob_retire(&h->rob);
			}
			break;
		case 2:		/* user space reaps a few */
			ngot += reap(h, got + ngot, 1 + rnd(h, 3));
			break;
		case 3:		/* the kernel moves parked completions on */
			vaal_cq_flush(&h->cq, free_ovf, h);
			break;
		}
	}
	for (i = 0; i < TOTAL && !bad; i++)
		if (got[i] != (ordered ? i : done_order[i]))
			bad = i + 1;
	if (!bad && (h->nodes || h->cq.nr_overflow))
		bad = -3;
	harness_free(h);
	return bad;
}

TEST(unordered_posts_in_completion_order)
{
	unsigned int seed;

	for (seed = 1; seed <= 20; seed++)
		ASSERT_EQ(0, simulate(seed, 0)) TH_LOG("seed %u", seed);
}

TEST(ordered_retires_in_submission_order)
{
	unsigned int seed;

	for (seed = 1; seed <= 20; seed++)
		ASSERT_EQ(0, simulate(seed, 1)) TH_LOG("seed %u", seed);
}

/* The hand-written cases, kernel/vaal_core/vaal_cq_cases.h. */
VCORE_NATIVE_CASES(vaal_cq, vaal_cq_cases)

struct consumer {
	struct harness *h;
	u64 next, bad;
};

static void *consume(void *arg)
{
	struct consumer *c = arg;
	u64 out[ENTRIES];
	unsigned int n, i;

	while (c->next < TOTAL * 10) {
		n = reap(c->h, out, ENTRIES);
		for (i = 0; i < n; i++)
			c->bad += out[i] != c->next++;
	}
	return NULL;
}

/* A real consumer thread: acquire/release on head and tail hold. */
TEST(consumer_thread)
{
	struct harness *h = harness_new(1);
	struct consumer c = { .h = h };
	struct vaal_cqe cqe = { 0 };
	pthread_t tid;
	u64 i;

	ASSERT_EQ(0, pthread_create(&tid, NULL, consume, &c));
	for (i = 0; i < TOTAL * 10; i++) {
		cqe.user_data = i;
		ASSERT_EQ(0, post(h, &cqe));
		vaal_cq_flush(&h->cq, free_ovf, h);
	}
	while (h->cq.nr_overflow)
		vaal_cq_flush(&h->cq, free_ovf, h);
	pthread_join(tid, NULL);
	EXPECT_EQ(0, c.bad);
	EXPECT_EQ(0, h->nodes);
	harness_free(h);
}

TEST_HARNESS_MAIN
