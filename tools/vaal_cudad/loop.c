// SPDX-License-Identifier: GPL-2.0
/*
 * loop.c - the threads that take work from the core, retired keys, and
 * deadlines
 *
 * One pulling thread per unit blocks in VAAL_IOC_CTRL_PULL with
 * VAAL_PULL_GONE.  A pull brings work, kernel keys the core reports gone
 * (vctx.c unloads their modules and destroys the CUDA contexts left with
 * no key), or both.  The thread runs the work it pulled to its end and
 * pulls again: with as many threads as units, a free unit always has a
 * thread to pull its work.
 *
 * Deadlines: the thread running a work is its watchdog.  It polls the
 * work's stream (vcuda_wait(): spinning, then yielding, then sleeping
 * longer each time) and gives up at &vaal_ctrl_pull.deadline_ns, when the
 * core has completed the work with -ETIMEDOUT already and keeps the unit
 * taken until the controller completes it too: launch.c does at once, with
 * -ETIMEDOUT, and abandons the CUDA context that holds the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vaal_cudad.h"

static pthread_t *pullers;
static unsigned int nr_pullers;
static int stopping;		/* atomic: the pullers are to return */

/**
 * is_stopping - have the pullers been told to return?
 *
 * Return: 1 once loop_stop() began, or a puller failed.
 */
int is_stopping(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

static void *puller(void *unused)
{
	struct vaal_ctrl_pull *p = malloc(sizeof(*p));
	sigset_t set;
	int ret;

	/* SIGUSR1 breaks a blocked pull, to stop. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (p && !is_stopping()) {
		ret = vaal_ctrl_pull(ctrl_fd, VAAL_PULL_GONE, p);
		if (ret == -EINTR)
			continue;
		if (ret) {
			vlog("pull work: %s", strerror(-ret));
			__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
			kill(getpid(), SIGTERM);
			break;
		}
		if (p->events & VAAL_PULL_EV_GONE)
			vctx_gone((const uint64_t *)p->gone,
				  p->nr_gone < VAAL_PULL_MAX_GONE ?
				  p->nr_gone : VAAL_PULL_MAX_GONE);
		if (!(p->events & VAAL_PULL_EV_WORK))
			continue;
		p->name[sizeof(p->name) - 1] = '\0';
		work_run(p);
	}
	free(p);
	return NULL;
}

/**
 * loop_start - start one pulling thread per unit
 *
 * Return: 0 or a negative errno.
 */
int loop_start(void)
{
	int ret;

	pullers = calloc(nr_units, sizeof(*pullers));
	if (!pullers)
		return -ENOMEM;
	for (nr_pullers = 0; nr_pullers < nr_units; nr_pullers++) {
		ret = pthread_create(&pullers[nr_pullers], NULL, puller, NULL);
		if (ret)
			return -ret;
	}
	return 0;
}

/**
 * loop_stop - stop pulling; works being run end first (their deadlines
 *	bound the wait)
 */
void loop_stop(void)
{
	struct timespec ts;
	unsigned int i;

	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nr_pullers; i++) {
		/* The signal may come just before the pull: send it again. */
		do {
			pthread_kill(pullers[i], SIGUSR1);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 10 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
		} while (pthread_timedjoin_np(pullers[i], NULL, &ts));
	}
	free(pullers);
	pullers = NULL;
	nr_pullers = 0;
}
