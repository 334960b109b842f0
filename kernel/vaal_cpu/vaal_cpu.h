/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_cpu.h - the CPU sidecore controller: one unit per chosen CPU, each a
 * kthread bound to its CPU that runs the built-in kernels
 */
#ifndef _VAAL_CPU_H
#define _VAAL_CPU_H

#include <linux/cache.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <vaal_ctrl.h>

#include "vaal_cpu_kernels.h"

/**
 * struct vaal_cpu_unit - one unit: a kthread bound to a CPU
 * @mailbox: the work posted by vaal_cpu_unit_post() and not yet taken by
 *	the thread, or NULL; one at a time (the core gives a unit no second
 *	work before vaal_work_done() for the first)
 * @cancelled: the work vaal_cpu_unit_cancel() was last called for
 * @wait: where the thread sleeps when its mailbox stays empty
 * @thread: the kthread
 * @cpu: the CPU it is bound to
 * @args: the running kernel's arguments; the thread's own
 */
struct vaal_cpu_unit {
	struct vaal_work *mailbox;
	struct vaal_work *cancelled;
	wait_queue_head_t wait;
	struct task_struct *thread;
	unsigned int cpu;

	struct vaal_cpu_args args ____cacheline_aligned_in_smp;
};

struct vaal_cpu_unit *vaal_cpu_unit_create(unsigned int cpu);
void vaal_cpu_unit_destroy(struct vaal_cpu_unit *u);
void vaal_cpu_unit_post(struct vaal_cpu_unit *u, struct vaal_work *work);
void vaal_cpu_unit_cancel(struct vaal_cpu_unit *u, struct vaal_work *work);
void vaal_cpu_unit_exec(struct vaal_cpu_unit *u, struct vaal_work *work);

#endif /* _VAAL_CPU_H */
