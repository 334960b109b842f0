/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_internal.h - state shared by the files of vaal_core.ko
 */
#ifndef _VAAL_INTERNAL_H
#define _VAAL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>

#include <linux/vaal.h>
#include "vaal_sched.h"

/**
 * struct vaal_device - the one /dev/vaal instance
 * @misc: the misc character device
 * @nr_contexts: contexts alive (open files)
 * @sched_lock: protects @policies and @nr_policies
 * @policies: registered &struct vaal_sched_policy, by registration order
 * @nr_policies: entries in @policies
 */
struct vaal_device {
	struct miscdevice misc;
	atomic_t nr_contexts;
	struct mutex sched_lock;
	struct list_head policies;
	unsigned int nr_policies;
};

/**
 * struct vaal_ctx - one context: the state behind one open file of /dev/vaal
 * @vdev: the device the context belongs to
 */
struct vaal_ctx {
	struct vaal_device *vdev;
};

extern struct vaal_device vaal_dev;
extern unsigned int vaal_max_contexts;

long vaal_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
unsigned int vaal_sched_nr_policies(struct vaal_device *vdev);

#endif /* _VAAL_INTERNAL_H */
