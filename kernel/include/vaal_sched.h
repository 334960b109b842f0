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

/**
 * struct vaal_sched_policy - a scheduling policy offered to vaal_core
 * @name: unique name, as shown to users
 * @owner: module implementing the policy; pinned while the core uses it
 * @node: entry in the core's policy list (core private)
 */
struct vaal_sched_policy {
	char name[VAAL_SCHED_NAME_LEN];
	struct module *owner;
	struct list_head node;
};

int vaal_sched_register(struct vaal_sched_policy *policy);
void vaal_sched_unregister(struct vaal_sched_policy *policy);

#endif /* _VAAL_SCHED_H */
