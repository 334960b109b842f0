/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_sched.h - the interface through which scheduling policy modules
 * (vcore_sched.ko) plug into vaal_core.ko
 */
#ifndef _VAAL_SCHED_H
#define _VAAL_SCHED_H

#include <linux/list.h>
#include <linux/module.h>

#define VAAL_SCHED_NAME_LEN	16

struct vaal_work;

/**
 * struct vaal_sched_ops - how a policy orders the ready work of one
 *	accelerator class
 * @init: the class starts using the policy: return the policy's state for
 *	it, or an ERR_PTR().  Called without locks held; may sleep.
 * @release: the class stops using the policy; its queue is empty.  May
 *	sleep.
 * @enqueue: @work became ready: queue it
 * @requeue: @work, which @pick handed out, was not run (its controller
 *	went away): queue it to be picked first
 * @pick: a unit is free: take the work to start next off the queue and
 *	return it, or NULL to leave the unit idle
 * @charge: @work held a unit for @ns (called as the unit is given back)
 *
 * All but @init and @release are called with the class's lock held and
 * interrupts off: they must not sleep.  vaal_work_context() tells whose
 * work it is.  The core keeps the class's FIFO policy ("fifo") built in.
 */
struct vaal_sched_ops {
	void *(*init)(const char *class);
	void (*release)(void *sched);
	void (*enqueue)(void *sched, struct vaal_work *work);
	void (*requeue)(void *sched, struct vaal_work *work);
	struct vaal_work *(*pick)(void *sched);
	void (*charge)(void *sched, struct vaal_work *work, u64 ns);
};

/**
 * struct vaal_sched_policy - a scheduling policy offered to vaal_core
 * @name: unique name, as shown to users
 * @owner: module implementing the policy; pinned while the core uses it
 * @ops: what it does
 * @node: entry in the core's policy list (core private)
 */
struct vaal_sched_policy {
	char name[VAAL_SCHED_NAME_LEN];
	struct module *owner;
	const struct vaal_sched_ops *ops;
	struct list_head node;
};

int vaal_sched_register(struct vaal_sched_policy *policy);
void vaal_sched_unregister(struct vaal_sched_policy *policy);

const void *vaal_work_context(const struct vaal_work *work);

#endif /* _VAAL_SCHED_H */
