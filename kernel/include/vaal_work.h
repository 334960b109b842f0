/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_work.h - a launch as a controller sees it (see vaal_ctrl.h)
 */
#ifndef _VAAL_WORK_H
#define _VAAL_WORK_H

#include <linux/list.h>
#include <linux/types.h>

/**
 * struct vaal_sched_item - a launch, as a scheduling policy sees it
 * @node: entry in the policy's queue while the launch is ready
 * @seq: the policy's own, from enqueue until the launch is charged
 */
struct vaal_sched_item {
	struct list_head node;
	s64 seq;
};

/**
 * struct vaal_work - a launch, as a controller sees it
 * @node: the controller's own, while it holds the work (between
 *	ops->start() and vaal_work_done()); the core's otherwise
 * @item: the scheduling policy's view: @item.node is @node
 * @priv: the controller's own, while it holds the work
 *
 * The rest of the launch is read with the vaal_work_*() accessors.  The
 * work, its kernel and its buffers stay valid until vaal_work_done().
 */
struct vaal_work {
	union {
		struct list_head node;
		struct vaal_sched_item item;
	};
	void *priv;
};

#endif /* _VAAL_WORK_H */
