/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_launch.h - one launch through libvaal's rings, waited for: what the
 * controller tests (CPU, crypto, user space) have in common.
 */
#ifndef _VAAL_LAUNCH_H
#define _VAAL_LAUNCH_H

#include <limits.h>

#include "../../tools/lib/libvaal.h"

/* A buffer argument: @len bytes from @offset (0: to the buffer's end). */
static inline struct vaal_sqe_arg vaal_test_arg(const struct vaal_buffer *b,
						__u32 len, __u64 offset)
{
	struct vaal_sqe_arg a = {
		.handle = b->handle,
		.length = len,
		.offset = offset,
	};

	return a;
}

/* Reap one completion, waiting at most @wait_ns; 0 or a negative errno. */
static inline int vaal_test_reap(struct vaal_ring *r, __u64 wait_ns,
				 struct vaal_cqe *out)
{
	struct vaal_cqe *c;
	int ret = vaal_wait_cqe_timeout(r, wait_ns, &c);

	if (ret)
		return ret;
	*out = *c;
	vaal_cqe_seen(r);
	return 0;
}

/*
 * One launch of kernel @id, waited for, with the next of @user_data.
 * Return: its completion's res, or INT_MIN when it could not be queued,
 * submitted or reaped.
 */
static inline int vaal_test_launch(struct vaal_ring *r, __u64 *user_data,
				   __u32 id, const struct vaal_sqe_arg *args,
				   const __u8 *modes, unsigned int nr_args,
				   const void *scalars,
				   unsigned int scalar_bytes, __u64 wait_ns)
{
	__u64 ud = ++*user_data;
	struct vaal_cqe cqe;

	if (!id || vaal_queue_launch(r, id, args, modes, nr_args, scalars,
				     scalar_bytes, ud) ||
	    vaal_submit(r) != 1 || vaal_test_reap(r, wait_ns, &cqe) ||
	    cqe.user_data != ud)
		return INT_MIN;
	return cqe.res;
}

#endif /* _VAAL_LAUNCH_H */
