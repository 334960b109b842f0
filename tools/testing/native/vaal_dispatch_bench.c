// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_dispatch_bench.c - the path of a job through vaal_core's pure logic,
 * natively on one core: allocate the job as the kernel sizes it, enter it
 * into the hazard scoreboard, queue it for a unit when ready, complete it,
 * post its completion, reap it.  Locks and the controller are left out.
 *
 *   vaal_dispatch_bench JOBS independent|dag8   prints "JOBS NS_PER_JOB"
 *   vaal_dispatch_bench bytes                    prints "BYTES"
 *
 * independent: each job reads and writes buffers of its own.
 * dag8: eight lanes; a job writes its lane's buffer and reads a random
 * lane's, so every job depends on up to three earlier ones (RAW, WAR, WAW)
 * and at most eight run at once: a random DAG of width 8 (dag8.h, the same
 * DAG starpu_dag_bench runs through StarPU).  Per job, all on one thread:
 * the job allocated, entered into the scoreboard (its dependencies found),
 * popped when ready onto the class queue, taken by a free unit, completed
 * in the scoreboard (its dependents released), its CQE posted, freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kernel.h>

#include "vaal_job.h"
#include "dag8.h"

#define WINDOW	64	/* jobs in flight */
#define UNITS	8
#define NBUF	(2 * WINDOW)
#define CQ_SIZE	256

static struct vaal_hz hz;
static struct vaal_hz_buf bufs[NBUF];
static struct vaal_cq cq;
static struct vaal_cq_ring *ring;
static struct list_head queue = LIST_HEAD_INIT(queue);
static struct vaal_job *units[UNITS];
static struct dag8 gen = DAG8_INIT;

/* The kernel's kmalloc() size class for @n bytes. */
static size_t kmalloc_size(size_t n)
{
	static const size_t sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512,
					1024, 2048, 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (n <= sizes[i])
			return sizes[i];
	return n;
}

static struct vaal_job *job_new(unsigned long n, int dag)
{
	struct vaal_job *job = malloc(vaal_job_bytes(2, 0));
	unsigned int src, dst;

	if (dag) {
		dag8_next(&gen, n, &src, &dst);
	} else {
		src = 2 * (n % WINDOW);
		dst = src + 1;
	}
	job->hz.acc = job->acc;
	job->hz.nr_acc = 2;
	job->hz.barrier = false;
	job->acc[0] = (struct vaal_hz_access){ .buf = &bufs[src], .start = 0,
					       .end = 4096, .mode = VAAL_HZ_READ };
	job->acc[1] = (struct vaal_hz_access){ .buf = &bufs[dst], .start = 0,
					       .end = 4096, .mode = VAAL_HZ_WRITE };
	job->user_data = n;
	job->holds = VAAL_JOB_HOLD_CQE | VAAL_JOB_HOLD_UNIT;
	return job;
}

/* Ready jobs to the class queue, queued jobs to free units. */
static void dispatch(void)
{
	struct vaal_hz_job *hj;
	struct vaal_job *job;
	unsigned int u;

	while ((hj = vaal_hz_pop_ready(&hz))) {
		job = container_of(hj, struct vaal_job, hz);
		list_add_tail(&job->work.node, &queue);
	}
	for (u = 0; u < UNITS && !list_empty(&queue); u++) {
		if (units[u])
			continue;
		job = list_first_entry(&queue, struct vaal_job, work.node);
		list_del(&job->work.node);
		job->unit = u;
		units[u] = job;
	}
}

/* Every unit finishes its job; completions go to the ring. */
static unsigned long complete_all(void)
{
	struct vaal_cq_ovf *spare;
	struct vaal_cqe cqe = { 0 };
	unsigned long n = 0;
	unsigned int u;

	for (u = 0; u < UNITS; u++) {
		struct vaal_job *job = units[u];

		if (!job)
			continue;
		units[u] = NULL;
		vaal_hz_complete(&hz, &job->hz, 0);
		cqe.user_data = job->user_data;
		spare = &job->ovf;
		if (vaal_cq_post(&cq, &cqe, &spare) || !spare)
			abort();	/* the consumer keeps up */
		free(job);
		n++;
	}
	/* User space reaps. */
	__atomic_store_n(&ring->head, ring->tail, __ATOMIC_RELEASE);
	return n;
}

int main(int argc, char **argv)
{
	unsigned long total, submitted = 0, done = 0;
	struct timespec t0, t1;
	int dag, i;
	double ns;

	if (argc == 2 && !strcmp(argv[1], "bytes")) {
		printf("%zu\n", kmalloc_size(vaal_job_bytes(2, 0)));
		return 0;
	}
	if (argc != 3 || (strcmp(argv[2], "independent") && strcmp(argv[2], "dag8"))) {
		fprintf(stderr, "usage: %s JOBS independent|dag8 | %s bytes\n",
			argv[0], argv[0]);
		return 2;
	}
	total = strtoul(argv[1], NULL, 0);
	dag = !strcmp(argv[2], "dag8");
	vaal_hz_init(&hz);
	for (i = 0; i < NBUF; i++)
		vaal_hz_buf_init(&bufs[i]);
	ring = calloc(1, sizeof(*ring) + CQ_SIZE * sizeof(struct vaal_cqe));
	vaal_cq_init(&cq, ring, CQ_SIZE);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < total) {
		while (submitted < total && submitted - done < WINDOW)
			vaal_hz_submit(&hz, &job_new(submitted++, dag)->hz);
		dispatch();
		done += complete_all();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", done, ns / done);
	free(ring);
	return 0;
}
