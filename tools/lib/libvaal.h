/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvaal.h - user-space library for /dev/vaal
 *
 * Functions return 0 or a negative errno, as the kernel does; they never
 * print.
 */
#ifndef _LIBVAAL_H
#define _LIBVAAL_H

#include <linux/vaal.h>

#define VAAL_DEFAULT_PATH	"/dev/" VAAL_DEVICE_NAME

#include <stddef.h>

int vaal_open(const char *path);
int vaal_query(int fd, struct vaal_query *q);

/**
 * struct vaal_buffer - a buffer as libvaal hands it out
 * @handle: the buffer's handle in its context
 * @length: bytes, whole pages
 * @mmap_offset: where mmap() finds it on the context's file
 * @map: the buffer mapped shared read-write, or NULL
 */
struct vaal_buffer {
	__u32 handle;
	__u64 length;
	__u64 mmap_offset;
	void *map;
};

int vaal_buf_create(int fd, __u64 length, struct vaal_buffer *buf);
int vaal_buf_import(int fd, int memfd, __u64 length, struct vaal_buffer *buf);
int vaal_buf_map(int fd, struct vaal_buffer *buf);
int vaal_buf_destroy(int fd, struct vaal_buffer *buf);

/**
 * struct vaal_kernel_desc - a kernel to register, vaal_kernel_register_desc()
 * @class: accelerator class ("cpu", "crypto", ...)
 * @name: function name: a built-in kernel of the class's controllers, or
 *	the entry point of @blob
 * @nr_args: buffer arguments a launch passes, at most %VAAL_MAX_ARGS
 * @arg_mode: %VAAL_ARG_* of each of the @nr_args buffer arguments
 * @scalar_bytes: bytes of scalar arguments a launch passes
 * @blob: code blob, or NULL
 * @blob_len: bytes at @blob
 * @timeout_ns: the longest a launch may hold a unit of its accelerator
 *	before it completes with -ETIMEDOUT; 0 for the module's default, at
 *	most %VAAL_MAX_TIMEOUT_NS
 *
 * Members left zero (a designated initializer) take their defaults: no
 * arguments, no blob, the module's deadline.
 */
struct vaal_kernel_desc {
	const char *class;
	const char *name;
	unsigned int nr_args;
	const __u8 *arg_mode;
	unsigned int scalar_bytes;
	const void *blob;
	size_t blob_len;
	__u64 timeout_ns;
};

int vaal_kernel_register_desc(int fd, const struct vaal_kernel_desc *d,
			      __u32 *id);
int vaal_kernel_register(int fd, const char *class, const char *name,
			 const __u8 *arg_mode, unsigned int nr_args,
			 unsigned int scalar_bytes, const void *blob,
			 size_t blob_len, __u32 *id);
int vaal_kernel_unregister(int fd, __u32 id);
int vaal_kernel_log(int fd, __u32 id, char *buf, size_t room,
		    struct vaal_kernel_log *info);

/*
 * Rings: what liburing is to io_uring.  A &struct vaal_ring maps the
 * submission and completion rings of one context; it is not thread-safe
 * (one submitter and one reaper, or a lock around it).
 *
 *	struct vaal_ring r;
 *	struct vaal_sqe *sqe;
 *	struct vaal_cqe *cqe;
 *
 *	vaal_ring_init(fd, 64, 0, &r);
 *	sqe = vaal_get_sqe(&r, 1);
 *	vaal_prep_nop(sqe, 42);
 *	vaal_submit_and_wait(&r, 1);
 *	vaal_peek_cqe(&r, &cqe);	(cqe->user_data == 42, cqe->res == 0)
 *	vaal_cqe_seen(&r);
 *	vaal_ring_exit(&r);
 *
 * A launch takes VAAL_SQE_SLOTS(nr_args, scalar_bytes) consecutive ring
 * entries: vaal_queue_launch() gets them and fills them in one call.
 */

/**
 * struct vaal_ring - a context's rings as libvaal maps them
 * @fd: the context
 * @flags: the %VAAL_SETUP_* flags the rings were set up with
 * @max_inflight: submissions the context may have in flight
 * @map: the mapping of both rings
 * @map_bytes: its length
 * @sq_head: the submission ring's consumer index (the kernel's)
 * @sq_tail: the submission ring's producer index (ours)
 * @sq_dropped: submissions the kernel dropped as malformed
 * @sqes: the submission ring's entries
 * @sq_entries: entries in the submission ring, a power of two
 * @sq_mask: @sq_entries - 1
 * @sq_local_tail: entries handed out by vaal_get_sqe(), ahead of @sq_tail
 *	until vaal_submit() publishes them
 * @cq_head: the completion ring's consumer index (ours)
 * @cq_tail: the completion ring's producer index (the kernel's)
 * @cq_overflow: completions that had to wait for room in the ring
 * @cqes: the completion ring's entries
 * @cq_entries: entries in the completion ring, a power of two
 * @cq_mask: @cq_entries - 1
 */
struct vaal_ring {
	int fd;
	__u32 flags;
	__u32 max_inflight;
	void *map;
	size_t map_bytes;
	__u32 *sq_head;
	__u32 *sq_tail;
	__u32 *sq_dropped;
	struct vaal_sqe *sqes;
	__u32 sq_entries;
	__u32 sq_mask;
	__u32 sq_local_tail;
	__u32 *cq_head;
	__u32 *cq_tail;
	__u32 *cq_overflow;
	struct vaal_cqe *cqes;
	__u32 cq_entries;
	__u32 cq_mask;
};

int vaal_ring_init(int fd, unsigned int sq_entries, unsigned int flags,
		   struct vaal_ring *r);
int vaal_ring_init_params(int fd, struct vaal_setup *p, struct vaal_ring *r);
void vaal_ring_exit(struct vaal_ring *r);

unsigned int vaal_sq_space_left(const struct vaal_ring *r);
unsigned int vaal_sq_pending(const struct vaal_ring *r);
struct vaal_sqe *vaal_get_sqe(struct vaal_ring *r, unsigned int slots);
struct vaal_sqe *vaal_sqe_next(const struct vaal_ring *r,
			       const struct vaal_sqe *sqe);

void vaal_prep_nop(struct vaal_sqe *sqe, __u64 user_data);
void vaal_prep_barrier(struct vaal_sqe *sqe, __u64 user_data);
int vaal_prep_launch(const struct vaal_ring *r, struct vaal_sqe *sqe,
		     __u32 kernel_id, const struct vaal_sqe_arg *args,
		     const __u8 *modes, unsigned int nr_args,
		     const void *scalars, unsigned int scalar_bytes,
		     __u64 user_data);
int vaal_queue_nop(struct vaal_ring *r, __u64 user_data);
int vaal_queue_barrier(struct vaal_ring *r, __u64 user_data);
int vaal_queue_launch(struct vaal_ring *r, __u32 kernel_id,
		      const struct vaal_sqe_arg *args, const __u8 *modes,
		      unsigned int nr_args, const void *scalars,
		      unsigned int scalar_bytes, __u64 user_data);

/*
 * Launch geometry (ABI 0.7): the global and local work sizes of a launch
 * of a class whose controllers load code (OpenCL, CUDA).  A launch with
 * geometry takes VAAL_SQE_LAUNCH_SLOTS(nr_args, scalar_bytes,
 * VAAL_SQE_GEOMETRY) entries.
 */
int vaal_geometry(struct vaal_launch_geometry *g, unsigned int dims,
		  const __u64 *global, const __u32 *local);
int vaal_geometry_check(const struct vaal_launch_geometry *g);
int vaal_prep_launch_geo(const struct vaal_ring *r, struct vaal_sqe *sqe,
			 __u32 kernel_id, const struct vaal_sqe_arg *args,
			 const __u8 *modes, unsigned int nr_args,
			 const void *scalars, unsigned int scalar_bytes,
			 const struct vaal_launch_geometry *geo,
			 __u64 user_data);
int vaal_queue_launch_geo(struct vaal_ring *r, __u32 kernel_id,
			  const struct vaal_sqe_arg *args, const __u8 *modes,
			  unsigned int nr_args, const void *scalars,
			  unsigned int scalar_bytes,
			  const struct vaal_launch_geometry *geo,
			  __u64 user_data);

int vaal_submit(struct vaal_ring *r);
int vaal_submit_and_wait(struct vaal_ring *r, unsigned int min_complete);
int vaal_submit_and_wait_timeout(struct vaal_ring *r,
				 unsigned int min_complete, __u64 timeout_ns);

unsigned int vaal_cq_ready(const struct vaal_ring *r);
int vaal_peek_cqe(struct vaal_ring *r, struct vaal_cqe **cqe);
unsigned int vaal_peek_batch_cqe(struct vaal_ring *r, struct vaal_cqe **cqes,
				 unsigned int max);
int vaal_wait_cqe(struct vaal_ring *r, struct vaal_cqe **cqe);
int vaal_wait_cqe_nr(struct vaal_ring *r, struct vaal_cqe **cqe,
		     unsigned int wait_nr);
int vaal_wait_cqe_timeout(struct vaal_ring *r, __u64 timeout_ns,
			  struct vaal_cqe **cqe);
void vaal_cq_advance(struct vaal_ring *r, unsigned int n);
void vaal_cqe_seen(struct vaal_ring *r);

/*
 * User-space controllers: a process serves an accelerator class, pulling
 * work and completing it (see tools/vaal_ctrld).  Needs CAP_SYS_ADMIN.
 */
int vaal_ctrl_register(int fd, const char *name, const char *class,
		       unsigned int nr_units, __u32 *id);
int vaal_ctrl_pull(int fd, unsigned int flags, struct vaal_ctrl_pull *p);
int vaal_ctrl_complete(int fd, __u64 token, int res);
int vaal_ctrl_complete_ns(int fd, __u64 token, int res, __u64 device_ns);
int vaal_ctrl_complete_log(int fd, __u64 token, int res, __u64 device_ns,
			   const char *log, size_t log_len);
int vaal_ctrl_blob(int fd, __u64 token, void *buf, size_t room, __u64 *key);

/*
 * Scheduling attributes of a context on one class (vcore_sched): a
 * reservation of device time per period, and the units it may use.  An
 * administrator may set them on another process's context through a
 * descriptor taken with pidfd_getfd().
 */
int vaal_sched_set(int fd, const char *class, __u32 flags, __u64 budget_ns,
		   __u64 period_ns, __u64 units, struct vaal_sched_attr *out);
int vaal_sched_get(int fd, const char *class, struct vaal_sched_attr *out);
const char *vaal_sched_reason(__u32 reason);

#endif /* _LIBVAAL_H */
