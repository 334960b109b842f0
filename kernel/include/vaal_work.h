/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_work.h - a launch as a controller sees it (see vaal_ctrl.h)
 */
#ifndef _VAAL_WORK_H
#define _VAAL_WORK_H

#include <linux/list.h>

/**
 * struct vaal_work - a launch, as a controller sees it
 * @node: the controller's own, while it holds the work (between
 *	ops->start() and vaal_work_done()); the core's otherwise
 * @priv: the controller's own, while it holds the work
 *
 * The rest of the launch is read with the vaal_work_*() accessors.  The
 * work, its kernel and its buffers stay valid until vaal_work_done().
 */
struct vaal_work {
	struct list_head node;
	void *priv;
};

#endif /* _VAAL_WORK_H */
