// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_unit.c - the units of the CPU sidecore controller
 *
 * A unit is a kthread bound to one CPU.  start() posts the work in the
 * unit's single-slot mailbox, which the thread takes and runs.  After each
 * piece of work the thread keeps polling the mailbox for poll_us
 * microseconds before it goes to sleep, so back-to-back work finds it
 * awake; it stops polling early when the scheduler wants the CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/topology.h>

#include "vaal_cpu.h"

/* The longest poll_us may ask for. */
#define VAAL_CPU_POLL_US_MAX	10000

static unsigned int vaal_cpu_poll_us = 50;

static bool vaal_cpu_owner = true;
module_param_named(owner, vaal_cpu_owner, bool, 0644);
MODULE_PARM_DESC(owner,
		 "Run a launch in a thread of its context's process, on the unit's CPU, so that CFS charges its time to that process's cgroup (default Y; N: in the unit's kthread)");

static int vaal_cpu_poll_us_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, VAAL_CPU_POLL_US_MAX);
}

static const struct kernel_param_ops vaal_cpu_poll_us_ops = {
	.set = vaal_cpu_poll_us_set,
	.get = param_get_uint,
};

module_param_cb(poll_us, &vaal_cpu_poll_us_ops, &vaal_cpu_poll_us, 0644);
MODULE_PARM_DESC(poll_us,
		 "Microseconds a unit polls for more work before it sleeps, 0 to 10000 (default 50, 0: never polls)");

/**
 * vaal_cpu_unit_take - take the work in a unit's mailbox
 * @u: the unit, from its own thread
 *
 * Return: the work, or NULL when the mailbox is empty.
 */
static struct vaal_work *vaal_cpu_unit_take(struct vaal_cpu_unit *u)
{
	if (!READ_ONCE(u->mailbox))
		return NULL;
	/* Full barrier: pairs with the release in vaal_cpu_unit_post(). */
	return xchg(&u->mailbox, NULL);
}

/**
 * vaal_cpu_unit_poll - wait for work without sleeping, for a while
 * @u: the unit, from its own thread
 *
 * Spins for poll_us microseconds at most, less when the CPU is wanted by
 * another task or the thread is asked to stop.
 *
 * Return: the work that arrived, or NULL.
 */
static struct vaal_work *vaal_cpu_unit_poll(struct vaal_cpu_unit *u)
{
	unsigned int us = READ_ONCE(vaal_cpu_poll_us);
	struct vaal_work *work;
	u64 end;

	if (!us)
		return NULL;
	end = local_clock() + (u64)us * NSEC_PER_USEC;
	for (;;) {
		work = vaal_cpu_unit_take(u);
		if (work || need_resched() || kthread_should_stop() ||
		    local_clock() >= end)
			return work;
		cpu_relax();
	}
}

/**
 * vaal_cpu_unit_args - map a launch's arguments for its kernel
 * @a: filled
 * @work: the launch, whose signature start() has checked
 *
 * Return: 0, or -ENOMEM when a buffer could not be mapped.
 */
static int vaal_cpu_unit_args(struct vaal_cpu_args *a, struct vaal_work *work)
{
	unsigned int i, nr = vaal_work_nr_args(work);
	const void *scalars;
	u32 len;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < nr; i++) {
		a->buf[i] = vaal_work_arg(work, i, &a->len[i]);
		if (!a->buf[i])
			return -ENOMEM;
	}
	scalars = vaal_work_scalars(work, &len);
	if (len)
		memcpy(a->scalars, scalars, min_t(u32, len, sizeof(a->scalars)));
	return 0;
}

/*
 * The time the current thread spent waiting for a CPU, up to the last time
 * it got one: a launch is charged the time it ran, not the time CFS gave
 * its CPU to others (the owner's worker runs with its cgroup's weight, and
 * would otherwise pay for that weight twice).  Without the scheduler's
 * statistics, none: the launch pays for all the time it took.
 */
static u64 vaal_cpu_run_delay(void)
{
#ifdef CONFIG_SCHED_INFO
	return READ_ONCE(current->sched_info.run_delay);
#else
	return 0;
#endif
}

/**
 * vaal_cpu_unit_exec - run one launch and report it done
 * @u: the unit holding it
 * @work: the launch; work->priv is its built-in kernel
 *
 * In the unit's thread, or in a worker of the launch's context (on the
 * unit's CPU).  A launch cancelled before it began completes with
 * -ECANCELED without running; one already running is bounded and runs to
 * its end.  Its device time is the time the thread ran it.
 */
void vaal_cpu_unit_exec(struct vaal_cpu_unit *u, struct vaal_work *work)
{
	const struct vaal_cpu_kernel *k = work->priv;
	u64 start, waited;
	int ret = -ECANCELED;

	start = ktime_get_ns();
	waited = vaal_cpu_run_delay();
	if (READ_ONCE(u->cancelled) != work) {
		ret = vaal_cpu_unit_args(&u->args, work);
		if (!ret)
			ret = k->run(&u->args);
	}
	waited = vaal_cpu_run_delay() - waited;
	vaal_work_done_ns(work, ret, ktime_get_ns() - start - waited);
}

/*
 * The unit's thread took a launch: a worker of its context runs it, in the
 * context's process, or the thread itself when there is none (or with
 * owner=0).
 */
static void vaal_cpu_unit_run(struct vaal_cpu_unit *u, struct vaal_work *work)
{
	if (READ_ONCE(vaal_cpu_owner) && !vaal_work_run_in_owner(work))
		return;
	vaal_cpu_unit_exec(u, work);
}

/**
 * vaal_cpu_unit_thread - a unit's kthread
 * @data: the unit
 *
 * Return: 0, once asked to stop.
 */
static int vaal_cpu_unit_thread(void *data)
{
	struct vaal_cpu_unit *u = data;
	struct vaal_work *work;

	while (!kthread_should_stop()) {
		wait_event_idle(u->wait,
				READ_ONCE(u->mailbox) || kthread_should_stop());
		work = vaal_cpu_unit_take(u);
		while (work) {
			vaal_cpu_unit_run(u, work);
			work = vaal_cpu_unit_poll(u);
		}
	}
	return 0;
}

/**
 * vaal_cpu_unit_post - hand a unit its work and wake its thread
 * @u: the unit, free
 * @work: the work
 *
 * Does not sleep: may be called in softirq context.
 */
void vaal_cpu_unit_post(struct vaal_cpu_unit *u, struct vaal_work *work)
{
	WRITE_ONCE(u->cancelled, NULL);
	WARN_ON_ONCE(READ_ONCE(u->mailbox));
	/* Release: the thread that takes @work sees it and @cancelled. */
	smp_store_release(&u->mailbox, work);
	/* wq_has_sleeper() orders the store before the look at the queue. */
	if (wq_has_sleeper(&u->wait))
		wake_up(&u->wait);
}

/**
 * vaal_cpu_unit_cancel - ask a unit to give its work back soon
 * @u: the unit
 * @work: the work it holds
 *
 * The work completes with -ECANCELED if it has not begun; a built-in
 * kernel that has begun runs to its end.  Does not sleep.
 */
void vaal_cpu_unit_cancel(struct vaal_cpu_unit *u, struct vaal_work *work)
{
	WRITE_ONCE(u->cancelled, work);
}

/**
 * vaal_cpu_unit_create - a unit on a CPU, its thread started
 * @cpu: the CPU, online
 *
 * Return: the unit, or an ERR_PTR().
 */
struct vaal_cpu_unit *vaal_cpu_unit_create(unsigned int cpu)
{
	struct vaal_cpu_unit *u;
	int ret;

	u = kzalloc_node(sizeof(*u), GFP_KERNEL, cpu_to_node(cpu));
	if (!u)
		return ERR_PTR(-ENOMEM);
	init_waitqueue_head(&u->wait);
	u->cpu = cpu;
	u->thread = kthread_create_on_cpu(vaal_cpu_unit_thread, u, cpu,
					  KBUILD_MODNAME "/%u");
	if (IS_ERR(u->thread)) {
		ret = PTR_ERR(u->thread);
		pr_err("cannot create the thread of CPU %u: %d\n", cpu, ret);
		goto free_unit;
	}
	wake_up_process(u->thread);
	return u;

free_unit:
	kfree(u);
	return ERR_PTR(ret);
}

/**
 * vaal_cpu_unit_destroy - stop a unit's thread and free the unit
 * @u: the unit, holding no work
 */
void vaal_cpu_unit_destroy(struct vaal_cpu_unit *u)
{
	kthread_stop(u->thread);
	WARN_ON_ONCE(READ_ONCE(u->mailbox));
	kfree(u);
}
