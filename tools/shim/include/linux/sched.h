/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space shim: scheduling points are no-ops in user space.
 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

static inline void cond_resched(void)
{
}

#endif /* _SHIM_LINUX_SCHED_H */
