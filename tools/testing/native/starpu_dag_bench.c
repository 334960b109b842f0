// SPDX-License-Identifier: GPL-2.0
/*
 * starpu_dag_bench.c - the peer of vaal_dispatch_bench's dag8 mode: the same
 * random DAG of width 8 (dag8.h, job for job) of empty tasks through StarPU,
 * the runtime that, like vaal_core, infers the dependencies between tasks
 * from the data they access.
 *
 *   starpu_dag_bench JOBS dag8    prints "JOBS NS_PER_JOB"
 *   starpu_dag_bench JOBS check   runs the DAG on two workers, tasks that
 *                                 note the order they start in, and fails
 *                                 unless every dependency was kept
 *
 * Each lane's buffer is registered once as a vector handle over host memory;
 * a task reads its source lane (STARPU_R) and writes its destination lane
 * (STARPU_W), or reads and writes it (STARPU_RW) when the two are the same,
 * so StarPU infers the same RAW, WAR and WAW dependencies as the scoreboard.
 * Per task, StarPU allocates the task (starpu_task_insert), infers its
 * implicit data dependencies, schedules it onto the worker when they are
 * met, runs the empty CPU function there, releases the data and the tasks
 * that wait on it, runs the callback (which counts completions, as vaal's
 * CQE does) and frees the task.  Submission runs on this thread and
 * execution on one worker thread, so StarPU may use two cores where
 * vaal_dispatch_bench uses one.
 *
 * StarPU gets its fast paths: one CPU worker and no CUDA, OpenCL or other
 * device, the eager scheduler (a single central FIFO: no performance models
 * to consult), no statistics, and all submitted at once (no throttling).
 * The time is the wall time from the first submission to the end of
 * starpu_task_wait_for_all(), divided by JOBS: set-up and shutdown are out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <starpu.h>

#include "dag8.h"

static char bufs[DAG8_LANES][DAG8_BYTES];
static starpu_data_handle_t handles[DAG8_LANES];
static unsigned long completed;

/* check mode: the order tasks start in, by job number. */
static unsigned long *started;
static unsigned long nr_started;

static void empty(void *buffers[], void *arg)
{
}

static void note_start(void *buffers[], void *arg)
{
	struct starpu_task *task = starpu_task_get_current();

	started[task->tag_id] = __atomic_fetch_add(&nr_started, 1,
						   __ATOMIC_SEQ_CST);
}

static void done(void *arg)
{
	__atomic_fetch_add(&completed, 1, __ATOMIC_RELAXED);
}

/* A job reading one lane and writing another, or reading and writing one. */
static struct starpu_codelet cl2 = {
	.cpu_funcs = { empty },
	.nbuffers = 2,
	.name = "dag8",
};
static struct starpu_codelet cl1 = {
	.cpu_funcs = { empty },
	.nbuffers = 1,
	.name = "dag8_rw",
};

static int submit(unsigned long n, unsigned int src, unsigned int dst)
{
	if (src == dst)
		return starpu_task_insert(&cl1, STARPU_RW, handles[dst],
					  STARPU_CALLBACK, done,
					  STARPU_TAG_ONLY, (starpu_tag_t)n, 0);
	return starpu_task_insert(&cl2, STARPU_R, handles[src],
				  STARPU_W, handles[dst],
				  STARPU_CALLBACK, done,
				  STARPU_TAG_ONLY, (starpu_tag_t)n, 0);
}

/*
 * Every pair of jobs that touch a lane, one of them writing it, must have
 * started in submission order: on two workers, a missed dependency shows as
 * a later job that started first.  Returns the number of violations.
 */
static unsigned long check_order(unsigned long total)
{
	struct dag8 gen = DAG8_INIT;
	unsigned int *src = calloc(total, sizeof(*src));
	unsigned int *dst = calloc(total, sizeof(*dst));
	unsigned long n, m, bad = 0;

	if (!src || !dst)
		abort();
	for (n = 0; n < total; n++)
		dag8_next(&gen, n, &src[n], &dst[n]);
	for (n = 0; n < total; n++)
		for (m = 0; m < n; m++) {
			if (dst[m] != src[n] && dst[m] != dst[n] &&
			    src[m] != dst[n])
				continue;
			if (started[m] < started[n])
				continue;
			if (bad++ < 5)
				fprintf(stderr, "job %lu started before job %lu\n",
					n, m);
		}
	free(src);
	free(dst);
	return bad;
}

int main(int argc, char **argv)
{
	struct dag8 gen = DAG8_INIT;
	unsigned long total, n, bad = 0;
	unsigned int src, dst, i;
	struct timespec t0, t1;
	struct starpu_conf conf;
	int check, ret;
	double ns;

	if (argc != 3 || (strcmp(argv[2], "dag8") && strcmp(argv[2], "check"))) {
		fprintf(stderr, "usage: %s JOBS dag8|check\n", argv[0]);
		return 2;
	}
	total = strtoul(argv[1], NULL, 0);
	check = !strcmp(argv[2], "check");
	if (!total) {
		fprintf(stderr, "starpu_dag_bench: no jobs\n");
		return 2;
	}
	if (check) {
		started = calloc(total, sizeof(*started));
		if (!started)
			return 1;
		cl1.cpu_funcs[0] = note_start;
		cl2.cpu_funcs[0] = note_start;
	}

	setenv("STARPU_SILENT", "1", 1);
	starpu_conf_init(&conf);
	conf.sched_policy_name = "eager";
	conf.ncpus = check ? 2 : 1;
	conf.ncuda = 0;
	conf.nopencl = 0;
	conf.nmic = 0;
	conf.nmpi_ms = 0;
	conf.precedence_over_environment_variables = 1;
	ret = starpu_init(&conf);
	if (ret) {
		fprintf(stderr, "starpu_dag_bench: starpu_init: %d\n", ret);
		return 1;
	}
	if (starpu_cpu_worker_get_count() != (unsigned int)conf.ncpus) {
		fprintf(stderr, "starpu_dag_bench: %u CPU workers, not %d\n",
			starpu_cpu_worker_get_count(), conf.ncpus);
		starpu_shutdown();
		return 1;
	}
	for (i = 0; i < DAG8_LANES; i++)
		starpu_vector_data_register(&handles[i], STARPU_MAIN_RAM,
					    (uintptr_t)bufs[i], DAG8_BYTES, 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < total; n++) {
		dag8_next(&gen, n, &src, &dst);
		ret = submit(n, src, dst);
		if (ret) {
			fprintf(stderr, "starpu_dag_bench: job %lu: %d\n",
				n, ret);
			break;
		}
	}
	starpu_task_wait_for_all();
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (i = 0; i < DAG8_LANES; i++)
		starpu_data_unregister(handles[i]);
	starpu_shutdown();

	if (completed != total) {
		fprintf(stderr, "starpu_dag_bench: %lu of %lu jobs completed\n",
			completed, total);
		return 1;
	}
	if (check) {
		bad = check_order(total);
		free(started);
		if (bad || nr_started != total) {
			fprintf(stderr, "starpu_dag_bench: %lu dependencies broken, %lu of %lu started\n",
				bad, nr_started, total);
			return 1;
		}
		printf("%lu ok\n", total);
		return 0;
	}
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%lu %.3f\n", total, ns / total);
	return 0;
}
