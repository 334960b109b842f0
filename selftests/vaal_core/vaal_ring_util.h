/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_ring_util.h - the rings through raw ioctls and mmap, for ABI tests
 * that must see every field (applications use libvaal's ring API).
 */
#ifndef _VAAL_RING_UTIL_H
#define _VAAL_RING_UTIL_H

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/vaal.h>

struct rt_ring {
	int fd;
	struct vaal_setup p;
	void *map;
	__u32 *sq_head, *sq_tail, *sq_dropped, *sq_flags;
	struct vaal_sqe *sqes;
	__u32 *cq_head, *cq_tail, *cq_overflow;
	struct vaal_cqe *cqes;
	__u32 tail;
};

static inline int rt_setup(int fd, __u32 sq, __u32 cq, __u32 flags,
			   struct vaal_setup *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->sq_entries = sq;
	p->cq_entries = cq;
	p->flags = flags;
	return ioctl(fd, VAAL_IOC_SETUP, p) ? -errno : 0;
}

/* Map the rings of a context set up with the parameters in @r->p. */
static inline int rt_map(struct rt_ring *r, int fd)
{
	r->fd = fd;
	r->tail = 0;
	r->map = mmap(NULL, r->p.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, r->p.mmap_offset);
	if (r->map == MAP_FAILED)
		return -errno;
	r->sq_head = r->map + r->p.sq_off.head;
	r->sq_tail = r->map + r->p.sq_off.tail;
	r->sq_dropped = r->map + r->p.sq_off.overflow;
	r->sqes = r->map + r->p.sq_off.array;
	r->cq_head = r->map + r->p.cq_off.head;
	r->cq_tail = r->map + r->p.cq_off.tail;
	r->cq_overflow = r->map + r->p.cq_off.overflow;
	r->cqes = r->map + r->p.cq_off.array;
	r->sq_flags = r->map + r->p.sq_off.flags;
	return 0;
}

static inline int rt_init(struct rt_ring *r, int fd, __u32 sq, __u32 cq,
			  __u32 flags)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = rt_setup(fd, sq, cq, flags, &r->p);
	return ret ?: rt_map(r, fd);
}

/* The next ring entry, zeroed. */
static inline struct vaal_sqe *rt_sqe(struct rt_ring *r)
{
	struct vaal_sqe *sqe = &r->sqes[r->tail++ & (r->p.sq_entries - 1)];

	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

static inline void rt_nop(struct rt_ring *r, __u64 user_data)
{
	rt_sqe(r)->user_data = user_data;
}

/* A launch: the payload goes on through the entries that follow. */
static inline void rt_launch(struct rt_ring *r, __u16 kernel, __u64 user_data,
			     const struct vaal_sqe_arg *args, unsigned int nr,
			     const __u8 *modes, const void *scalars,
			     unsigned int scalar_bytes)
{
	unsigned char payload[VAAL_SQE_MAX_SLOTS * sizeof(struct vaal_sqe)];
	unsigned int slots = VAAL_SQE_SLOTS(nr, scalar_bytes), i;
	struct vaal_sqe *sqe = rt_sqe(r);

	memset(payload, 0, sizeof(payload));
	memcpy(payload, args, nr * sizeof(*args));
	memcpy(payload + nr * sizeof(*args), scalars, scalar_bytes);
	sqe->opcode = VAAL_OP_LAUNCH;
	sqe->nr_args = nr;
	sqe->scalar_bytes = scalar_bytes;
	sqe->kernel = kernel;
	sqe->user_data = user_data;
	for (i = 0; i < nr; i++)
		sqe->arg_modes |= VAAL_SQE_ARG_MODE(i, modes[i]);
	memcpy(sqe->payload, payload, VAAL_SQE_INLINE_BYTES);
	for (i = 1; i < slots; i++)
		memcpy(rt_sqe(r), payload + VAAL_SQE_INLINE_BYTES +
		       (i - 1) * sizeof(struct vaal_sqe), sizeof(struct vaal_sqe));
}

static inline int rt_enter(struct rt_ring *r, __u32 to_submit,
			   __u32 min_complete, __u32 flags, __u64 timeout_ns)
{
	struct vaal_enter e = {
		.size = sizeof(e),
		.flags = flags,
		.to_submit = to_submit,
		.min_complete = min_complete,
		.timeout_ns = timeout_ns,
	};
	int ret = ioctl(r->fd, VAAL_IOC_ENTER, &e);

	return ret < 0 ? -errno : ret;
}

/* Publish the entries written since the last call and submit them all. */
static inline int rt_submit(struct rt_ring *r, __u32 wait)
{
	__u32 n = r->tail - *r->sq_head;

	__atomic_store_n(r->sq_tail, r->tail, __ATOMIC_RELEASE);
	return rt_enter(r, n, wait, wait ? VAAL_ENTER_GETEVENTS : 0, 0);
}

/* Completions ready in the ring. */
static inline __u32 rt_ready(struct rt_ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/* Take the oldest completion; false when there is none. */
static inline int rt_reap(struct rt_ring *r, struct vaal_cqe *cqe)
{
	__u32 head = *r->cq_head;

	if (!rt_ready(r))
		return 0;
	*cqe = r->cqes[head & (r->p.cq_entries - 1)];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 1;
}

#endif /* _VAAL_RING_UTIL_H */
