/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_ctrl.h - the interface through which accelerator controller modules
 * (vaal_cpu.ko, vaal_crypto.ko, ...) plug into vaal_core.ko
 *
 * A controller serves one accelerator class ("cpu", "crypto", ...) with a
 * number of units, each running one piece of work at a time.  The core
 * hands it work that is ready (every hazard resolved) through ops->start()
 * on a free unit; the controller runs it, from any context and in any
 * order, and reports the result with vaal_work_done().  Work that holds a
 * unit past its kernel's deadline is completed to user space with
 * -ETIMEDOUT and ops->cancel() asks the controller to give the unit back;
 * the unit stays taken until the controller calls vaal_work_done(), so a
 * hung unit is never handed new work.
 */
#ifndef _VAAL_CTRL_H
#define _VAAL_CTRL_H

#include <linux/completion.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/vaal.h>
#include <vaal_work.h>

struct page;
struct vaal_class;
struct vaal_controller;
struct vaal_job;

/* Units one controller may have. */
#define VAAL_MAX_UNITS		256

/**
 * struct vaal_ctrl_ops - what a controller does
 * @start: begin @work on @unit, which is free.  Called in process or
 *	softirq context without locks of the core held; must not sleep.
 *	Return 0 when the controller took the work (it then calls
 *	vaal_work_done() exactly once, possibly before start() returns), or
 *	a negative errno to complete it at once with that status (the
 *	controller must then not call vaal_work_done()).
 * @cancel: optional: @work on @unit is past its deadline or its
 *	controller is going away; stop it soon.  Must not sleep.  The
 *	controller still calls vaal_work_done() for it.
 * @run: optional: run @work, which @unit holds, in the thread of its
 *	context's process that vaal_work_run_in_owner() handed it to (or, as
 *	the context goes away, in the one closing it).  May sleep; calls
 *	vaal_work_done() as @start's work does.
 */
struct vaal_ctrl_ops {
	int (*start)(struct vaal_controller *ctrl, unsigned int unit,
		     struct vaal_work *work);
	void (*cancel)(struct vaal_controller *ctrl, unsigned int unit,
		       struct vaal_work *work);
	void (*run)(struct vaal_controller *ctrl, unsigned int unit,
		    struct vaal_work *work);
};

/**
 * struct vaal_controller - a controller, registered by its module
 * @name: unique name, as shown in sysfs: lower-case letters, digits, '_'
 *	and '-'
 * @class: accelerator class served, same characters
 * @nr_units: units, 1 to %VAAL_MAX_UNITS
 * @ops: what it does
 * @owner: the module implementing @ops
 *
 * The fields below are the core's.
 *
 * @id: unique id, reported in &vaal_cqe.controller, never zero
 * @cls: the class
 * @node: entry in the class's list of controllers
 * @running: per unit, the job on it or NULL
 * @nr_busy: units taken
 * @dying: being unregistered: gets no new work
 * @idle: woken when a unit is given back
 * @kobj: sysfs directory
 * @kobj_gone: the last reference to @kobj is gone
 * @registered_ns: when it was registered
 * @completed: launches that completed with 0
 * @failed: launches that completed with an error (timeouts included)
 * @timed_out: launches that ran past their deadline
 * @busy_ns: time units were taken, all units together
 */
struct vaal_controller {
	char name[VAAL_NAME_LEN];
	char class[VAAL_CLASS_LEN];
	unsigned int nr_units;
	const struct vaal_ctrl_ops *ops;
	struct module *owner;

	u32 id;
	struct vaal_class *cls;
	struct list_head node;
	struct vaal_job **running;
	unsigned int nr_busy;
	bool dying;
	wait_queue_head_t idle;
	struct kobject kobj;
	struct completion kobj_gone;
	u64 registered_ns;
	u64 completed;
	u64 failed;
	u64 timed_out;
	u64 busy_ns;
};

int vaal_controller_register(struct vaal_controller *ctrl);
void vaal_controller_unregister(struct vaal_controller *ctrl);

void vaal_work_done(struct vaal_work *work, int status);
void vaal_work_done_ns(struct vaal_work *work, int status, u64 device_ns);
int vaal_work_run_in_owner(struct vaal_work *work);

const char *vaal_work_name(const struct vaal_work *work);
const void *vaal_work_blob(const struct vaal_work *work, u32 *len);
unsigned int vaal_work_nr_args(const struct vaal_work *work);
void *vaal_work_arg(const struct vaal_work *work, unsigned int i, u64 *len);
struct page **vaal_work_arg_pages(const struct vaal_work *work, unsigned int i,
				  u64 *offset, u64 *len);
u8 vaal_work_arg_mode(const struct vaal_work *work, unsigned int i);
const void *vaal_work_scalars(const struct vaal_work *work, u32 *len);

#endif /* _VAAL_CTRL_H */
