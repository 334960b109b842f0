// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_hazard_test.c - the hazard scoreboard of vaal_core, built natively
 * from kernel/vaal_core/vaal_hazard.c, under ASan and UBSan: the
 * hand-written cases of vaal_hazard_cases.h (shared with the KUnit suite),
 * then random job streams checked step by step against an exact reference: a job may run iff every conflicting job
 * submitted before it, and live then, has finished; it is cancelled iff one
 * of those that wrote what it reads failed or was cancelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_hazard.h"
#include "kselftest_harness.h"
#include "vcore_case_native.h"
#include "vaal_hazard_cases.h"

#define R	VAAL_HZ_READ
#define W	VAAL_HZ_WRITE
#define RW	(VAAL_HZ_READ | VAAL_HZ_WRITE)

/* --- the hand-written cases, kernel/vaal_core/vaal_hazard_cases.h ----- */

VCORE_NATIVE_CASES(vaal_hazard, vaal_hazard_cases)

/* --- random streams against the reference -------------------------------- */

enum { UNSUBMITTED, WAITING, RUNNING, DONE };

#define NBUF	4
#define NJOBS	400
#define WINDOW	24

struct sim {
	struct vaal_hz hz;
	struct vaal_hz_buf buf[NBUF];
	struct vaal_hz_job job[NJOBS];
	struct vaal_hz_access acc[NJOBS][VAAL_HZ_MAX_ARGS];
	int state[NJOBS];
	int final[NJOBS];
	unsigned char done_before[NJOBS][NJOBS];
	int running[NJOBS];
	int submitted, done, live, nrun;
	unsigned int rng;
};

static unsigned int rnd(struct sim *s, unsigned int n)
{
	s->rng = s->rng * 1103515245 + 12345;
	return (s->rng >> 8) % n;
}

static int idx(struct sim *s, struct vaal_hz_job *j)
{
	return j - s->job;
}

/* Do a's accesses conflict with b's (any hazard), or b read what a writes? */
static int jobs_conflict(const struct vaal_hz_job *a, const struct vaal_hz_job *b,
			 int raw_only)
{
	unsigned int i, k;

	for (i = 0; i < a->nr_acc; i++)
		for (k = 0; k < b->nr_acc; k++) {
			const struct vaal_hz_access *x = &a->acc[i], *y = &b->acc[k];
			int hazard = raw_only ? (x->mode & W) && (y->mode & R) :
						((x->mode | y->mode) & W);

			if (x->buf == y->buf && hazard &&
			    x->start < y->end && y->start < x->end)
				return 1;
		}
	return 0;
}

/* The reference: may job n run now, and must it be cancelled? */
static int ref_ready(struct sim *s, int n, int *cancel)
{
	int e;

	*cancel = 0;
	for (e = 0; e < n; e++) {
		struct vaal_hz_job *je = &s->job[e];

		if (s->job[n].barrier || je->barrier) {
			if (s->state[e] != DONE)
				return 0;
			continue;
		}
		/* Jobs finished before n was submitted do not hold it. */
		if (s->done_before[n][e] || !jobs_conflict(je, &s->job[n], 0))
			continue;
		if (s->state[e] != DONE)
			return 0;
		if (s->final[e] && jobs_conflict(je, &s->job[n], 1))
			*cancel = 1;
	}
	return 1;
}

static void make_job(struct sim *s, struct vaal_hz_job *j)
{
	static const u8 modes[] = { R, W, RW };
	struct vaal_hz_access *acc = s->acc[j - s->job];
	unsigned int i, n, a, b;

	memset(j, 0, sizeof(*j));
	j->acc = acc;
	if (!rnd(s, 10)) {
		j->barrier = true;
		return;
	}
	n = 1 + rnd(s, 3);
	for (i = 0; i < n; i++) {
		a = rnd(s, 64);
		b = rnd(s, 64);
		if (a > b) {
			unsigned int t = a;

			a = b;
			b = t;
		}
		vaal_hz_case_acc(j, &s->buf[rnd(s, NBUF)], a, b + 1,
				 modes[rnd(s, 3)]);
	}
}

/* Every live job is on the ready list (or running) iff the reference agrees. */
static int check(struct sim *s, int submitted)
{
	int in_ready[NJOBS] = { 0 };
	struct vaal_hz_job *j;
	int n, cancel, want;

	list_for_each_entry(j, &s->hz.ready, ready_node)
		in_ready[idx(s, j)] = 1;
	for (n = 0; n < submitted; n++) {
		if (s->state[n] == DONE)
			continue;
		want = ref_ready(s, n, &cancel);
		if (want != (in_ready[n] || s->state[n] == RUNNING))
			return n + 1;
		if (want && s->job[n].status != (cancel ? -ECANCELED : 0))
			return -(n + 1);
	}
	return 0;
}

static void sim_submit(struct sim *s)
{
	int n = s->submitted++, e;

	make_job(s, &s->job[n]);
	s->state[n] = WAITING;
	for (e = 0; e < n; e++)
		s->done_before[n][e] = s->state[e] == DONE;
	vaal_hz_submit(&s->hz, &s->job[n]);
	s->live++;
}

static void sim_finish(struct sim *s, int n, int status)
{
	s->state[n] = DONE;
	s->final[n] = status;
	vaal_hz_complete(&s->hz, &s->job[n], status);
	s->done++;
	s->live--;
}

/* Take a ready job: run it, or finish it at once when it was cancelled. */
static void sim_pop(struct sim *s)
{
	struct vaal_hz_job *j = vaal_hz_pop_ready(&s->hz);
	int n = idx(s, j);

	if (j->status) {
		sim_finish(s, n, j->status);
	} else {
		s->state[n] = RUNNING;
		s->running[s->nrun++] = n;
	}
}

/* A random running job finishes, one in twenty with an error. */
static void sim_complete(struct sim *s)
{
	int r = rnd(s, s->nrun), n = s->running[r];

	s->running[r] = s->running[--s->nrun];
	sim_finish(s, n, rnd(s, 20) ? 0 : -EIO);
}

static int simulate(struct sim *s, unsigned int seed)
{
	int bad, r, n;

	memset(s, 0, sizeof(*s));
	s->rng = seed;
	vaal_hz_init(&s->hz);
	for (n = 0; n < NBUF; n++)
		vaal_hz_buf_init(&s->buf[n]);

	while (s->done < NJOBS) {
		/* Stuck: live jobs that nothing will ever release. */
		if (s->submitted == NJOBS && !s->nrun && list_empty(&s->hz.ready))
			return -100000;
		r = rnd(s, 3);
		if (r == 0 && s->submitted < NJOBS && s->live < WINDOW)
			sim_submit(s);
		else if (r == 1 && !list_empty(&s->hz.ready))
			sim_pop(s);
		else if (r == 2 && s->nrun)
			sim_complete(s);
		else
			continue;
		bad = check(s, s->submitted);
		if (bad)
			return bad;
	}
	for (n = 0; n < NBUF; n++)
		if (vaal_hz_buf_busy(&s->buf[n]))
			return -200000;
	return list_empty(&s->hz.jobs) ? 0 : -300000;
}

TEST(random_streams_match_reference)
{
	static struct sim s;
	unsigned int seed;
	int bad;

	for (seed = 1; seed <= 300; seed++) {
		bad = simulate(&s, seed);
		ASSERT_EQ(0, bad) TH_LOG("seed %u: job %d disagrees", seed, bad);
	}
}

TEST_HARNESS_MAIN
