/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_sched.h - the interface through which scheduling policy modules
 * (vcore_sched.ko) plug into vaal_core.ko
 *
 * Each accelerator class orders its ready work with one policy at a time.
 * The core keeps a FIFO policy ("fifo") built in; a module registers
 * others and chooses them per class with vaal_sched_set_policy(), or makes
 * one the default of every class.  A switch moves the queued work from the
 * old policy to the new one under the class's lock: nothing is lost.
 */
#ifndef _VAAL_SCHED_H
#define _VAAL_SCHED_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/vaal.h>

#define VAAL_SCHED_NAME_LEN	16
#define VAAL_SCHED_MAX_CLASSES	16
#define VAAL_SCHED_DRAIN	(~0U)
#define VAAL_SCHED_LABEL_LEN	48	/* = VAAL_CLIENT_LABEL_LEN */

struct vaal_work;

/**
 * struct vaal_sched_ctx - a context as scheduling policies see it
 * @id: unique among the contexts the module ever had (fdinfo "vaal-ctx")
 * @owner: thread group of the task that opened it
 * @label: who the context belongs to when an in-kernel client opened it
 *	(vaal_client.h; e.g. "mdev:UUID"), printable characters without
 *	spaces; empty for the context of an open file.  Set before the
 *	context has any work, never changed.
 * @priv: one word per class id for the class's policy, NULL at first; a
 *	policy clears the words it set when it is released
 *
 * Valid while any of its work is queued or running, and until the
 * policy's @ctx_exit returned.
 */
struct vaal_sched_ctx {
	u64 id;
	struct pid *owner;
	char label[VAAL_SCHED_LABEL_LEN];
	void *priv[VAAL_SCHED_MAX_CLASSES];
};

/**
 * struct vaal_sched_ops - how a policy orders the ready work of one
 *	accelerator class
 * @init: the class (@name, with index @id in &vaal_sched_ctx.priv) starts
 *	using the policy: return the policy's state for it, or an ERR_PTR().
 *	Called without locks held; may sleep.
 * @release: the class stops using the policy; its queue is empty.  Called
 *	without locks held; may sleep.
 * @enqueue: @work became ready: queue it (&vaal_work.item is the
 *	policy's until @charge; the core zeroes @item.seq before the first
 *	enqueue of the work with this policy)
 * @requeue: @work, which @pick handed out, was not run (its controller
 *	went away): queue it to be picked first
 * @pick: unit @unit (numbered across the class's controllers, in order of
 *	registration) is free: take the work it should run off the queue, or
 *	return NULL to leave the unit idle.  With @unit %VAAL_SCHED_DRAIN the
 *	core empties the queue (to hand the work to another policy): return
 *	any queued work, whatever the units it may use.
 * @charge: @work held a unit for @ns (called as the unit is given back)
 * @ctx_exit: a context is gone: no work of it is queued or running
 * @attr: read (@set false) or change a context's attributes on the class
 *	(&struct vaal_sched_attr); the class has @nr_units units.  Return 0
 *	or an errno with &vaal_sched_attr.reason set.  Optional: without it
 *	the class takes no attributes (-EOPNOTSUPP).
 *
 * All but @init and @release are called with the class's lock held and
 * interrupts off: they must not sleep.  vaal_work_sched_ctx() tells whose
 * work it is.
 */
struct vaal_sched_ops {
	void *(*init)(const char *name, unsigned int id);
	void (*release)(void *sched);
	void (*enqueue)(void *sched, struct vaal_work *work);
	void (*requeue)(void *sched, struct vaal_work *work);
	struct vaal_work *(*pick)(void *sched, unsigned int unit);
	void (*charge)(void *sched, struct vaal_work *work, u64 ns);
	void (*ctx_exit)(void *sched, struct vaal_sched_ctx *sctx);
	int (*attr)(void *sched, struct vaal_sched_ctx *sctx,
		    struct vaal_sched_attr *attr, unsigned int nr_units,
		    bool set);
};

/* &vaal_sched_policy.flags: every class uses it while it is registered. */
#define VAAL_SCHED_DEFAULT	0x1

/**
 * struct vaal_sched_policy - a scheduling policy offered to vaal_core
 * @name: unique name, as shown to users
 * @owner: module implementing the policy
 * @ops: what it does
 * @flags: %VAAL_SCHED_DEFAULT or 0
 * @node: entry in the core's policy list (core private)
 */
struct vaal_sched_policy {
	char name[VAAL_SCHED_NAME_LEN];
	struct module *owner;
	const struct vaal_sched_ops *ops;
	unsigned int flags;
	struct list_head node;
};

int vaal_sched_register(struct vaal_sched_policy *policy);
void vaal_sched_unregister(struct vaal_sched_policy *policy);
int vaal_sched_set_policy(const char *class, const char *policy);
int vaal_sched_class_call(const char *class,
			  const struct vaal_sched_policy *policy,
			  void (*fn)(void *sched, void *arg), void *arg);
int vaal_sched_class_units(const char *class);

struct vaal_sched_ctx *vaal_work_sched_ctx(const struct vaal_work *work);

#endif /* _VAAL_SCHED_H */
