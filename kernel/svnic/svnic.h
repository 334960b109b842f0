/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svnic.h - state shared by the files of svnic.ko
 */
#ifndef _SVNIC_H
#define _SVNIC_H

#include <linux/atomic.h>

#include <linux/svnic.h>

extern atomic_t svnic_nr_nps;

int svnic_nl_init(void);
void svnic_nl_exit(void);

#endif /* _SVNIC_H */
