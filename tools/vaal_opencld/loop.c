// SPDX-License-Identifier: GPL-2.0
/*
 * loop.c - the threads that take work from the core, and the watchdog
 *
 * Pulling threads (--threads) block in VAAL_IOC_CTRL_PULL with
 * VAAL_PULL_GONE: each pull brings work for a unit, kernel keys the core
 * reports gone (their programs are released), or both.  A thread launches
 * the work it pulled and pulls again; it only stays with a work while it
 * builds the work's program, and the others go on meanwhile.
 *
 * The watchdog gives up work past the deadline the core set for it
 * (&vaal_ctrl_pull.deadline_ns): the core has completed it with
 * -ETIMEDOUT by then, and keeps the unit taken until we complete it too.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vaal_opencld.h"

static pthread_t *pullers;
static unsigned int nr_pullers;
static pthread_t wd_thread;
static int wd_started;

static int stopping;		/* atomic: the pullers are to return */
static unsigned long pulled;	/* atomic: works pulled */

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cond;
static int wd_stop;		/* under wd_lock */
static int wd_kicked;		/* under wd_lock: a unit took work */
static uint64_t wd_next = UINT64_MAX;	/* atomic: when the watchdog wakes */

int is_stopping(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

static void *puller(void *unused)
{
	struct vaal_ctrl_pull *p = malloc(sizeof(*p));
	unsigned long n;
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
			kill(getpid(), SIGTERM);
			break;
		}
		if (p->events & VAAL_PULL_EV_GONE)
			cache_gone((const uint64_t *)p->gone,
				   p->nr_gone < VAAL_PULL_MAX_GONE ?
				   p->nr_gone : VAAL_PULL_MAX_GONE);
		if (!(p->events & VAAL_PULL_EV_WORK))
			continue;
		TRACE("pulled");
		p->name[sizeof(p->name) - 1] = '\0';
		n = __atomic_add_fetch(&pulled, 1, __ATOMIC_RELAXED);
		if (opt.fail_after && n == opt.fail_after) {
			fprintf(stderr, "%s: %s: unit %u: %s: failing on purpose (--fail-after %lu)\n",
				prog, opt.name, p->unit, p->name,
				opt.fail_after);
			_exit(3);
		}
		work_start(p);
	}
	free(p);
	return NULL;
}

/**
 * watchdog_kick - a unit took work: wake the watchdog if it sleeps past
 *	the work's deadline
 * @deadline_ns: the work's deadline
 */
void watchdog_kick(uint64_t deadline_ns)
{
	/* Cheap: a deadline is almost never earlier than the one awaited. */
	if (deadline_ns >= __atomic_load_n(&wd_next, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&wd_lock);
	wd_kicked = 1;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_lock);
}

static void *watchdog(void *unused)
{
	uint64_t now, next, d;
	struct timespec ts;
	uint32_t gen;
	unsigned int i;

	pthread_mutex_lock(&wd_lock);
	while (!wd_stop) {
		/* Awake: every unit taking work from now on kicks us. */
		__atomic_store_n(&wd_next, UINT64_MAX, __ATOMIC_RELEASE);
		wd_kicked = 0;
		pthread_mutex_unlock(&wd_lock);
		now = mono_ns();
		next = UINT64_MAX;
		for (i = 0; i < nr_units; i++) {
			pthread_mutex_lock(&units[i].lock);
			d = units[i].busy ? units[i].deadline_ns : UINT64_MAX;
			gen = units[i].gen;
			pthread_mutex_unlock(&units[i].lock);
			if (d <= now)
				unit_abandon(&units[i], gen);
			else if (d < next)
				next = d;
		}
		pthread_mutex_lock(&wd_lock);
		/* A unit took work during the scan: look again. */
		if (wd_stop || wd_kicked)
			continue;
		__atomic_store_n(&wd_next, next, __ATOMIC_RELEASE);
		if (next == UINT64_MAX) {
			pthread_cond_wait(&wd_cond, &wd_lock);
			continue;
		}
		ts.tv_sec = next / 1000000000ULL;
		ts.tv_nsec = next % 1000000000ULL;
		pthread_cond_timedwait(&wd_cond, &wd_lock, &ts);
	}
	pthread_mutex_unlock(&wd_lock);
	return NULL;
}

/**
 * loop_start - start the watchdog and the pulling threads
 *
 * Return: 0 or a negative errno.
 */
int loop_start(void)
{
	pthread_condattr_t ca;
	int ret;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd_cond, &ca);
	pthread_condattr_destroy(&ca);
	ret = pthread_create(&wd_thread, NULL, watchdog, NULL);
	if (ret)
		return -ret;
	wd_started = 1;
	pullers = calloc(opt.threads, sizeof(*pullers));
	if (!pullers)
		return -ENOMEM;
	for (nr_pullers = 0; nr_pullers < opt.threads; nr_pullers++) {
		ret = pthread_create(&pullers[nr_pullers], NULL, puller, NULL);
		if (ret)
			return -ret;
	}
	return 0;
}

static int units_busy(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_units; i++)
		n += __atomic_load_n(&units[i].busy, __ATOMIC_RELAXED);
	return n;
}

/**
 * loop_stop - stop pulling, let the works being run finish (a few seconds
 *	at most), stop the watchdog
 */
void loop_stop(void)
{
	struct timespec ts;
	unsigned int i;
	int waited;

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
	nr_pullers = 0;
	/* Work on its way through the device completes as usual. */
	for (waited = 0; units_busy() && waited < 5000; waited += 10)
		usleep(10000);
	if (!wd_started)
		return;
	pthread_mutex_lock(&wd_lock);
	wd_stop = 1;
	pthread_cond_signal(&wd_cond);
	pthread_mutex_unlock(&wd_lock);
	pthread_join(wd_thread, NULL);
	wd_started = 0;
}
