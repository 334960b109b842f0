/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_ctl.h - the NP side of the host<->NP control protocol (np_abi.h): one
 * request in, one reply out, applied to a data plane (np_dp.h).
 *
 * Every field of a request is validated before anything changes: a request
 * is applied whole or not at all.
 *
 * Pure logic, no allocation, no locking: the caller serializes the control
 * messages with the data plane's other calls.
 */
#ifndef _NP_CTL_H
#define _NP_CTL_H

#include <linux/types.h>

#include "np_abi.h"

struct np_dp;

int np_ctl_handle(struct np_dp *dp, const void *req, size_t len,
		  void *reply, size_t *reply_len);

#endif /* _NP_CTL_H */
