// SPDX-License-Identifier: GPL-2.0
/*
 * libvaal.c - user-space library for /dev/vaal
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "libvaal.h"

/**
 * vaal_open - open a context on the VAAL device
 * @path: device node, or NULL for /dev/vaal
 *
 * Return: a file descriptor, or a negative errno.
 */
int vaal_open(const char *path)
{
	int fd = open(path ? path : VAAL_DEFAULT_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * vaal_query - ask the device what it offers
 * @fd: a context
 * @q: filled on success
 *
 * Return: 0 or a negative errno.
 */
int vaal_query(int fd, struct vaal_query *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	return ioctl(fd, VAAL_IOC_QUERY, q) ? -errno : 0;
}

static int vaal_buf_new(int fd, __u32 flags, int memfd, __u64 length,
			struct vaal_buffer *buf)
{
	struct vaal_buf_create req = {
		.size = sizeof(req),
		.flags = flags,
		.length = length,
		.memfd = memfd,
	};

	if (ioctl(fd, VAAL_IOC_BUF_CREATE, &req))
		return -errno;
	buf->handle = req.handle;
	buf->mmap_offset = req.mmap_offset;
	buf->length = (length + getpagesize() - 1) & ~(__u64)(getpagesize() - 1);
	buf->map = NULL;
	return 0;
}

/**
 * vaal_buf_create - a new zeroed buffer, charged to the caller's memcg
 * @fd: a context
 * @length: bytes (rounded up to pages)
 * @buf: filled on success; not mapped
 *
 * Return: 0 or a negative errno (-ENOSPC: the context's allowance is used).
 */
int vaal_buf_create(int fd, __u64 length, struct vaal_buffer *buf)
{
	return vaal_buf_new(fd, 0, 0, length, buf);
}

/**
 * vaal_buf_import - a buffer sharing the first @length bytes of a memfd
 * @fd: a context
 * @memfd: the memfd, open read-write
 * @length: bytes (rounded up to pages; the memfd must be that long)
 * @buf: filled on success; not mapped
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_import(int fd, int memfd, __u64 length, struct vaal_buffer *buf)
{
	return vaal_buf_new(fd, VAAL_BUF_IMPORT, memfd, length, buf);
}

/**
 * vaal_buf_map - map a buffer shared, read-write, into @buf->map
 * @fd: the buffer's context
 * @buf: the buffer
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_map(int fd, struct vaal_buffer *buf)
{
	void *p = mmap(NULL, buf->length, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, buf->mmap_offset);

	if (p == MAP_FAILED)
		return -errno;
	buf->map = p;
	return 0;
}

/**
 * vaal_buf_destroy - unmap a buffer and drop its handle
 * @fd: the buffer's context
 * @buf: the buffer
 *
 * Return: 0 or a negative errno.
 */
int vaal_buf_destroy(int fd, struct vaal_buffer *buf)
{
	struct vaal_buf_destroy req = {
		.size = sizeof(req),
		.handle = buf->handle,
	};

	if (buf->map) {
		munmap(buf->map, buf->length);
		buf->map = NULL;
	}
	return ioctl(fd, VAAL_IOC_BUF_DESTROY, &req) ? -errno : 0;
}

/**
 * vaal_kernel_register_desc - register a kernel with a context
 * @fd: the context
 * @d: the kernel: class, name, signature, code and deadline
 * @id: the kernel's id on success
 *
 *	const __u8 modes[] = { VAAL_ARG_IN, VAAL_ARG_OUT };
 *	struct vaal_kernel_desc d = {
 *		.class = "crypto", .name = "sha256",
 *		.nr_args = 2, .arg_mode = modes,
 *		.timeout_ns = 10000000,
 *	};
 *
 *	ret = vaal_kernel_register_desc(fd, &d, &id);
 *
 * Return: 0 or a negative errno (-ENAMETOOLONG for a name or class that
 * does not fit the ABI, -EINVAL for more than %VAAL_MAX_ARGS arguments or
 * a blob past 4 GiB, before asking the kernel; -ERANGE from the kernel for
 * a deadline past %VAAL_MAX_TIMEOUT_NS).
 */
int vaal_kernel_register_desc(int fd, const struct vaal_kernel_desc *d,
			      __u32 *id)
{
	struct vaal_kernel_register req;

	memset(&req, 0, sizeof(req));
	if (strlen(d->class) >= sizeof(req.class) ||
	    strlen(d->name) >= sizeof(req.name))
		return -ENAMETOOLONG;
	if (d->nr_args > VAAL_MAX_ARGS || d->blob_len > UINT32_MAX)
		return -EINVAL;
	req.size = sizeof(req);
	memcpy(req.class, d->class, strlen(d->class));
	memcpy(req.name, d->name, strlen(d->name));
	req.nr_args = d->nr_args;
	req.scalar_bytes = d->scalar_bytes;
	if (d->nr_args)
		memcpy(req.arg_mode, d->arg_mode, d->nr_args);
	req.blob_len = d->blob_len;
	req.blob_addr = (__u64)(uintptr_t)d->blob;
	req.timeout_ns = d->timeout_ns;
	if (ioctl(fd, VAAL_IOC_KERNEL_REGISTER, &req))
		return -errno;
	*id = req.id;
	return 0;
}

/**
 * vaal_kernel_register - register a kernel with the module's deadline
 * @fd: the context
 * @class: accelerator class ("cpu", "crypto", ...)
 * @name: function name
 * @arg_mode: %VAAL_ARG_* of each buffer argument
 * @nr_args: entries in @arg_mode
 * @scalar_bytes: bytes of scalar arguments a launch passes
 * @blob: code blob, or NULL
 * @blob_len: bytes at @blob
 * @id: the kernel's id on success
 *
 * vaal_kernel_register_desc() with a &struct vaal_kernel_desc of these and
 * no deadline of its own; kept for the callers written before it.
 *
 * Return: as vaal_kernel_register_desc().
 */
int vaal_kernel_register(int fd, const char *class, const char *name,
			 const __u8 *arg_mode, unsigned int nr_args,
			 unsigned int scalar_bytes, const void *blob,
			 size_t blob_len, __u32 *id)
{
	const struct vaal_kernel_desc d = {
		.class = class,
		.name = name,
		.nr_args = nr_args,
		.arg_mode = arg_mode,
		.scalar_bytes = scalar_bytes,
		.blob = blob,
		.blob_len = blob_len,
	};

	return vaal_kernel_register_desc(fd, &d, id);
}

/**
 * vaal_kernel_unregister - withdraw a kernel
 * @fd: the context
 * @id: the kernel's id
 *
 * Return: 0 or a negative errno.
 */
int vaal_kernel_unregister(int fd, __u32 id)
{
	struct vaal_kernel_unregister req = { .size = sizeof(req), .id = id };

	return ioctl(fd, VAAL_IOC_KERNEL_UNREGISTER, &req) ? -errno : 0;
}

/**
 * vaal_kernel_log - read the log a controller attached to a kernel: the
 *	build log of its program, why its signature does not fit its code, ...
 * @fd: the kernel's context
 * @id: the kernel's id
 * @buf: room for @room bytes; the log is copied there and NUL-terminated
 *	(cut short when @room is too small)
 * @room: bytes at @buf, at least 1
 * @info: if not NULL, filled on success: the whole log's length, the
 *	controller that wrote it and the kernel's key
 *
 *	char log[4096];
 *
 *	if (cqe->res == -EINVAL && !vaal_kernel_log(fd, id, log, sizeof(log), NULL))
 *		fprintf(stderr, "%s", log);
 *
 * Return: the log's length (0: no log), or a negative errno (-ENOENT: no
 * kernel @id in the context, -EINVAL: no room, -ENOTTY: a vaal_core older
 * than ABI 0.7).
 */
int vaal_kernel_log(int fd, __u32 id, char *buf, size_t room,
		    struct vaal_kernel_log *info)
{
	struct vaal_kernel_log req = {
		.size = sizeof(req),
		.id = id,
		.addr = (__u64)(uintptr_t)buf,
	};

	if (!room || !buf)
		return -EINVAL;
	req.room = room - 1 > VAAL_KERNEL_LOG_MAX ? VAAL_KERNEL_LOG_MAX : room - 1;
	if (ioctl(fd, VAAL_IOC_KERNEL_LOG, &req))
		return -errno;
	buf[req.log_len < req.room ? req.log_len : req.room] = '\0';
	if (info)
		*info = req;
	return req.log_len;
}

/*
 * Rings.  The submission ring's tail and the completion ring's head are
 * ours: stored with release once what they cover is written (entries) or
 * read (completions).  The submission ring's head and the completion
 * ring's tail are the kernel's: loaded with acquire before reading what
 * they cover.
 */

static int ring_off_ok(__u64 off, __u64 bytes, __u64 align, __u64 map_bytes)
{
	return off % align == 0 && off <= map_bytes && bytes <= map_bytes - off;
}

/**
 * vaal_ring_init_params - set a context's rings up and map them
 * @fd: the context, not set up yet
 * @p: in: &vaal_setup.flags, &vaal_setup.sq_entries and
 *	&vaal_setup.cq_entries (0 for twice @sq_entries), the rest zero;
 *	out: what %VAAL_IOC_SETUP filled in
 * @r: filled on success
 *
 * A context is set up once: when the mapping fails after the kernel set
 * the rings up, the context keeps them and a second call gets -EBUSY.
 * @r is left alone on failure.
 *
 * Return: 0 or a negative errno (-EPROTO when the kernel describes rings
 * that do not fit their mapping).
 */
int vaal_ring_init_params(int fd, struct vaal_setup *p, struct vaal_ring *r)
{
	const struct vaal_ring_offsets *so = &p->sq_off, *co = &p->cq_off;
	__u64 len;
	char *map;

	p->size = sizeof(*p);
	if (ioctl(fd, VAAL_IOC_SETUP, p))
		return -errno;
	len = p->ring_bytes;
	if (!len || len > SIZE_MAX ||
	    !p->sq_entries || (p->sq_entries & (p->sq_entries - 1)) ||
	    !p->cq_entries || (p->cq_entries & (p->cq_entries - 1)) ||
	    so->entries != p->sq_entries || co->entries != p->cq_entries ||
	    !ring_off_ok(so->head, 4, 4, len) ||
	    !ring_off_ok(so->tail, 4, 4, len) ||
	    !ring_off_ok(so->overflow, 4, 4, len) ||
	    !ring_off_ok(so->array, (__u64)p->sq_entries * sizeof(struct vaal_sqe),
			 8, len) ||
	    !ring_off_ok(co->head, 4, 4, len) ||
	    !ring_off_ok(co->tail, 4, 4, len) ||
	    !ring_off_ok(co->overflow, 4, 4, len) ||
	    !ring_off_ok(co->array, (__u64)p->cq_entries * sizeof(struct vaal_cqe),
			 8, len))
		return -EPROTO;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		   fd, p->mmap_offset);
	if (map == MAP_FAILED)
		return -errno;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->flags = p->flags;
	r->max_inflight = p->max_inflight;
	r->map = map;
	r->map_bytes = len;
	r->sq_head = (__u32 *)(map + so->head);
	r->sq_tail = (__u32 *)(map + so->tail);
	r->sq_dropped = (__u32 *)(map + so->overflow);
	r->sqes = (struct vaal_sqe *)(map + so->array);
	r->sq_entries = p->sq_entries;
	r->sq_mask = p->sq_entries - 1;
	/* Nothing is queued yet: start where the kernel stands. */
	r->sq_local_tail = __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED);
	r->cq_head = (__u32 *)(map + co->head);
	r->cq_tail = (__u32 *)(map + co->tail);
	r->cq_overflow = (__u32 *)(map + co->overflow);
	r->cqes = (struct vaal_cqe *)(map + co->array);
	r->cq_entries = p->cq_entries;
	r->cq_mask = p->cq_entries - 1;
	return 0;
}

/**
 * vaal_ring_init - set a context's rings up with default sizes and map them
 * @fd: the context, not set up yet
 * @sq_entries: submission ring entries, 1 to %VAAL_MAX_SQ_ENTRIES (rounded
 *	up to a power of two); the completion ring gets twice as many
 * @flags: %VAAL_SETUP_* flags
 * @r: filled on success
 *
 * Return: 0 or a negative errno.
 */
int vaal_ring_init(int fd, unsigned int sq_entries, unsigned int flags,
		   struct vaal_ring *r)
{
	struct vaal_setup p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.sq_entries = sq_entries;
	return vaal_ring_init_params(fd, &p, r);
}

/**
 * vaal_ring_exit - unmap the rings
 * @r: rings mapped by vaal_ring_init()
 *
 * The context (@r->fd) stays open: closing it is the caller's business.
 * The kernel frees the rings when the context is closed.
 */
void vaal_ring_exit(struct vaal_ring *r)
{
	if (r->map)
		munmap(r->map, r->map_bytes);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/**
 * vaal_sq_pending - entries queued and not yet consumed by the kernel
 * @r: the rings
 *
 * Return: entries handed out by vaal_get_sqe() that the kernel has not
 * consumed, whether vaal_submit() published them or not.
 */
unsigned int vaal_sq_pending(const struct vaal_ring *r)
{
	return r->sq_local_tail - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
}

/**
 * vaal_sq_space_left - free entries in the submission ring
 * @r: the rings
 *
 * Return: the number of entries vaal_get_sqe() can hand out now.
 */
unsigned int vaal_sq_space_left(const struct vaal_ring *r)
{
	unsigned int used = vaal_sq_pending(r);

	return used >= r->sq_entries ? 0 : r->sq_entries - used;
}

/**
 * vaal_sqe_next - the ring entry after @sqe, wrapping at the ring's end
 * @r: the rings
 * @sqe: an entry of @r
 *
 * Return: the entry that follows @sqe in the ring.
 */
struct vaal_sqe *vaal_sqe_next(const struct vaal_ring *r,
			       const struct vaal_sqe *sqe)
{
	return &r->sqes[(unsigned int)(sqe - r->sqes + 1) & r->sq_mask];
}

/**
 * vaal_get_sqe - hand out consecutive submission ring entries
 * @r: the rings
 * @slots: entries wanted: 1 for a NOP or a barrier,
 *	VAAL_SQE_SLOTS(nr_args, scalar_bytes) for a launch
 *
 * The entries are zeroed.  They may wrap at the ring's end: the first one
 * is returned, vaal_sqe_next() finds the others, vaal_prep_launch() writes
 * across them.  They go to the kernel at the next vaal_submit().
 *
 * Return: the first entry, or NULL when the ring has fewer than @slots
 * free entries (submit, reap and try again) or @slots is 0 or larger
 * than the ring.
 */
struct vaal_sqe *vaal_get_sqe(struct vaal_ring *r, unsigned int slots)
{
	struct vaal_sqe *first;
	unsigned int i;

	if (!slots || slots > vaal_sq_space_left(r))
		return NULL;
	first = &r->sqes[r->sq_local_tail & r->sq_mask];
	for (i = 0; i < slots; i++)
		memset(&r->sqes[(r->sq_local_tail + i) & r->sq_mask], 0,
		       sizeof(struct vaal_sqe));
	r->sq_local_tail += slots;
	return first;
}

/**
 * vaal_prep_nop - make an entry a NOP, which completes with res 0
 * @sqe: an entry from vaal_get_sqe()
 * @user_data: passed back in the completion
 */
void vaal_prep_nop(struct vaal_sqe *sqe, __u64 user_data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = VAAL_OP_NOP;
	sqe->user_data = user_data;
}

/**
 * vaal_prep_barrier - make an entry a barrier: what was submitted before it
 *	completes before what is submitted after it starts
 * @sqe: an entry from vaal_get_sqe()
 * @user_data: passed back in the completion
 */
void vaal_prep_barrier(struct vaal_sqe *sqe, __u64 user_data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = VAAL_OP_BARRIER;
	sqe->user_data = user_data;
}

static int launch_check(__u32 kernel_id, const struct vaal_sqe_arg *args,
			const __u8 *modes, unsigned int nr_args,
			const void *scalars, unsigned int scalar_bytes)
{
	unsigned int i;

	if (!kernel_id || kernel_id > VAAL_MAX_KERNEL_ID ||
	    nr_args > VAAL_MAX_ARGS || scalar_bytes > VAAL_MAX_SCALAR_BYTES ||
	    (nr_args && (!args || !modes)) || (scalar_bytes && !scalars))
		return -EINVAL;
	for (i = 0; i < nr_args; i++)
		if (modes[i] < VAAL_ARG_IN || modes[i] > VAAL_ARG_INOUT)
			return -EINVAL;
	return 0;
}

/* Write @len bytes at byte @pos of the payload that starts in @sqe. */
static void payload_write(const struct vaal_ring *r, struct vaal_sqe *sqe,
			  size_t pos, const void *src, size_t len)
{
	unsigned int first = sqe - r->sqes;
	const __u8 *s = src;

	while (len) {
		size_t n, off;
		__u8 *dst;

		if (pos < VAAL_SQE_INLINE_BYTES) {
			off = pos;
			n = VAAL_SQE_INLINE_BYTES - off;
			dst = sqe->payload + off;
		} else {
			size_t k = (pos - VAAL_SQE_INLINE_BYTES) /
				   sizeof(struct vaal_sqe) + 1;

			off = (pos - VAAL_SQE_INLINE_BYTES) % sizeof(struct vaal_sqe);
			n = sizeof(struct vaal_sqe) - off;
			dst = (__u8 *)&r->sqes[(first + k) & r->sq_mask] + off;
		}
		if (n > len)
			n = len;
		memcpy(dst, s, n);
		s += n;
		pos += n;
		len -= n;
	}
}

/**
 * vaal_prep_launch - make a run of entries a launch of a registered kernel
 * @r: the rings @sqe belongs to
 * @sqe: the first of VAAL_SQE_SLOTS(@nr_args, @scalar_bytes) entries from
 *	one vaal_get_sqe() call
 * @kernel_id: the kernel's id, from vaal_kernel_register()
 * @args: @nr_args buffer arguments
 * @modes: %VAAL_ARG_* of each buffer argument, as the kernel's signature
 *	has them
 * @nr_args: buffer arguments, as many as the kernel's signature has
 * @scalars: @scalar_bytes bytes of scalar arguments
 * @scalar_bytes: as many as the kernel's signature has
 * @user_data: passed back in the completion
 *
 * The payload (the arguments, then the scalars) starts in @sqe and goes on
 * through the entries that follow it in the ring, wrapping at its end;
 * bytes past it are zeroed.
 *
 * Return: 0, or -EINVAL for a launch the ABI cannot carry (nothing is
 * written then).
 */
int vaal_prep_launch(const struct vaal_ring *r, struct vaal_sqe *sqe,
		     __u32 kernel_id, const struct vaal_sqe_arg *args,
		     const __u8 *modes, unsigned int nr_args,
		     const void *scalars, unsigned int scalar_bytes,
		     __u64 user_data)
{
	return vaal_prep_launch_geo(r, sqe, kernel_id, args, modes, nr_args,
				    scalars, scalar_bytes, NULL, user_data);
}

/**
 * vaal_geometry_check - is @g a geometry the core takes?
 * @g: the geometry
 *
 * The shape the core checks: 1 to %VAAL_MAX_DIMS dimensions, a global size
 * from 1 in each, local sizes all zero or all from 1, zero past @g->dims,
 * flags and reserved zero.  Whether the device can run it is its
 * controller's to say.
 *
 * Return: 0 or -EINVAL.
 */
int vaal_geometry_check(const struct vaal_launch_geometry *g)
{
	unsigned int i, nr_local = 0;

	if (g->dims < 1 || g->dims > VAAL_MAX_DIMS || g->flags || g->reserved)
		return -EINVAL;
	for (i = 0; i < VAAL_MAX_DIMS; i++) {
		if (i >= g->dims) {
			if (g->global[i] || g->local[i])
				return -EINVAL;
			continue;
		}
		if (!g->global[i])
			return -EINVAL;
		nr_local += !!g->local[i];
	}
	return nr_local && nr_local != g->dims ? -EINVAL : 0;
}

/**
 * vaal_geometry - fill a geometry in
 * @g: filled
 * @dims: dimensions, 1 to %VAAL_MAX_DIMS
 * @global: @dims global work sizes
 * @local: @dims local work sizes, or NULL for the runtime to choose
 *
 * Return: 0, or -EINVAL for a geometry the core would refuse.
 */
int vaal_geometry(struct vaal_launch_geometry *g, unsigned int dims,
		  const __u64 *global, const __u32 *local)
{
	unsigned int i;

	memset(g, 0, sizeof(*g));
	if (dims < 1 || dims > VAAL_MAX_DIMS)
		return -EINVAL;
	g->dims = dims;
	for (i = 0; i < dims; i++) {
		g->global[i] = global[i];
		g->local[i] = local ? local[i] : 0;
	}
	return vaal_geometry_check(g);
}

/**
 * vaal_prep_launch_geo - make a run of entries a launch with its geometry
 * @r: the rings @sqe belongs to
 * @sqe: the first of VAAL_SQE_LAUNCH_SLOTS(@nr_args, @scalar_bytes,
 *	@geo ? %VAAL_SQE_GEOMETRY : 0) entries from one vaal_get_sqe() call
 * @kernel_id: the kernel's id, from vaal_kernel_register()
 * @args: @nr_args buffer arguments
 * @modes: %VAAL_ARG_* of each buffer argument, as the kernel's signature
 *	has them
 * @nr_args: buffer arguments, as many as the kernel's signature has
 * @scalars: @scalar_bytes bytes of scalar arguments
 * @scalar_bytes: as many as the kernel's signature has
 * @geo: the launch's geometry (global and local work sizes), for classes
 *	whose controllers load code; NULL for none (ABI 0.7)
 * @user_data: passed back in the completion
 *
 * As vaal_prep_launch(), the geometry following the scalars (rounded up to
 * 8 bytes) with %VAAL_SQE_GEOMETRY set.
 *
 * Return: 0, or -EINVAL for a launch the ABI cannot carry (nothing is
 * written then).
 */
int vaal_prep_launch_geo(const struct vaal_ring *r, struct vaal_sqe *sqe,
			 __u32 kernel_id, const struct vaal_sqe_arg *args,
			 const __u8 *modes, unsigned int nr_args,
			 const void *scalars, unsigned int scalar_bytes,
			 const struct vaal_launch_geometry *geo,
			 __u64 user_data)
{
	__u8 flags = geo ? VAAL_SQE_GEOMETRY : 0;
	unsigned int i, slots;
	struct vaal_sqe *e;
	__u16 arg_modes = 0;
	int ret;

	ret = launch_check(kernel_id, args, modes, nr_args, scalars,
			   scalar_bytes);
	if (!ret && geo)
		ret = vaal_geometry_check(geo);
	if (ret)
		return ret;
	slots = VAAL_SQE_LAUNCH_SLOTS(nr_args, scalar_bytes, flags);
	for (i = 0, e = sqe; i < slots; i++, e = vaal_sqe_next(r, e))
		memset(e, 0, sizeof(*e));
	for (i = 0; i < nr_args; i++)
		arg_modes |= VAAL_SQE_ARG_MODE(i, modes[i]);
	sqe->opcode = VAAL_OP_LAUNCH;
	sqe->flags = flags;
	sqe->nr_args = nr_args;
	sqe->scalar_bytes = scalar_bytes;
	sqe->kernel = kernel_id;
	sqe->arg_modes = arg_modes;
	sqe->user_data = user_data;
	if (nr_args)
		payload_write(r, sqe, 0, args, nr_args * sizeof(*args));
	if (scalar_bytes)
		payload_write(r, sqe, nr_args * sizeof(*args), scalars,
			      scalar_bytes);
	if (geo)
		payload_write(r, sqe, VAAL_SQE_PAYLOAD_BYTES(nr_args, scalar_bytes),
			      geo, sizeof(*geo));
	return 0;
}

/**
 * vaal_queue_nop - queue a NOP
 * @r: the rings
 * @user_data: passed back in the completion
 *
 * Return: 0, or -EAGAIN when the submission ring is full.
 */
int vaal_queue_nop(struct vaal_ring *r, __u64 user_data)
{
	struct vaal_sqe *sqe = vaal_get_sqe(r, 1);

	if (!sqe)
		return -EAGAIN;
	vaal_prep_nop(sqe, user_data);
	return 0;
}

/**
 * vaal_queue_barrier - queue a barrier
 * @r: the rings
 * @user_data: passed back in the completion
 *
 * Return: 0, or -EAGAIN when the submission ring is full.
 */
int vaal_queue_barrier(struct vaal_ring *r, __u64 user_data)
{
	struct vaal_sqe *sqe = vaal_get_sqe(r, 1);

	if (!sqe)
		return -EAGAIN;
	vaal_prep_barrier(sqe, user_data);
	return 0;
}

/**
 * vaal_queue_launch - get the entries a launch needs and fill them
 * @r: the rings
 * @kernel_id: the kernel's id, from vaal_kernel_register()
 * @args: @nr_args buffer arguments
 * @modes: %VAAL_ARG_* of each buffer argument
 * @nr_args: buffer arguments, as many as the kernel's signature has
 * @scalars: @scalar_bytes bytes of scalar arguments
 * @scalar_bytes: as many as the kernel's signature has
 * @user_data: passed back in the completion
 *
 * Return: 0, -EINVAL for a launch the ABI cannot carry, or -EAGAIN when the
 * submission ring has fewer free entries than the launch takes.
 */
int vaal_queue_launch(struct vaal_ring *r, __u32 kernel_id,
		      const struct vaal_sqe_arg *args, const __u8 *modes,
		      unsigned int nr_args, const void *scalars,
		      unsigned int scalar_bytes, __u64 user_data)
{
	struct vaal_sqe *sqe;
	int ret;

	ret = launch_check(kernel_id, args, modes, nr_args, scalars,
			   scalar_bytes);
	if (ret)
		return ret;
	sqe = vaal_get_sqe(r, VAAL_SQE_SLOTS(nr_args, scalar_bytes));
	if (!sqe)
		return -EAGAIN;
	return vaal_prep_launch(r, sqe, kernel_id, args, modes, nr_args,
				scalars, scalar_bytes, user_data);
}

/**
 * vaal_queue_launch_geo - get the entries a launch with geometry needs and
 *	fill them
 * @r: the rings
 * @kernel_id: the kernel's id, from vaal_kernel_register()
 * @args: @nr_args buffer arguments
 * @modes: %VAAL_ARG_* of each buffer argument
 * @nr_args: buffer arguments, as many as the kernel's signature has
 * @scalars: @scalar_bytes bytes of scalar arguments
 * @scalar_bytes: as many as the kernel's signature has
 * @geo: the launch's geometry, or NULL (then as vaal_queue_launch())
 * @user_data: passed back in the completion
 *
 *	struct vaal_launch_geometry g;
 *	__u64 global = n;
 *
 *	vaal_geometry(&g, 1, &global, NULL);
 *	vaal_queue_launch_geo(&r, saxpy, args, modes, 2, &s, 8, &g, 1);
 *
 * Return: 0, -EINVAL for a launch the ABI cannot carry, or -EAGAIN when the
 * submission ring has fewer free entries than the launch takes.
 */
int vaal_queue_launch_geo(struct vaal_ring *r, __u32 kernel_id,
			  const struct vaal_sqe_arg *args, const __u8 *modes,
			  unsigned int nr_args, const void *scalars,
			  unsigned int scalar_bytes,
			  const struct vaal_launch_geometry *geo,
			  __u64 user_data)
{
	struct vaal_sqe *sqe;
	int ret;

	ret = launch_check(kernel_id, args, modes, nr_args, scalars,
			   scalar_bytes);
	if (!ret && geo)
		ret = vaal_geometry_check(geo);
	if (ret)
		return ret;
	sqe = vaal_get_sqe(r, VAAL_SQE_LAUNCH_SLOTS(nr_args, scalar_bytes,
						    geo ? VAAL_SQE_GEOMETRY : 0));
	if (!sqe)
		return -EAGAIN;
	return vaal_prep_launch_geo(r, sqe, kernel_id, args, modes, nr_args,
				    scalars, scalar_bytes, geo, user_data);
}

static int ring_enter(struct vaal_ring *r, unsigned int to_submit,
		      unsigned int min_complete, __u32 flags, __u64 timeout_ns)
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

/**
 * vaal_submit_and_wait_timeout - submit what is queued, wait for completions
 * @r: the rings
 * @min_complete: completions to wait for in the completion ring, 0 not to
 *	wait
 * @timeout_ns: the longest to wait, 0 for no limit
 *
 * Publishes the entries handed out since the last call (a release store of
 * the submission ring's tail) and asks the kernel to consume every entry
 * it has not consumed yet, including those an earlier call left (-EBUSY).
 *
 * Return: the number of submissions (not entries) the kernel consumed, or
 * a negative errno when it consumed none: -EBUSY with the context's most
 * submissions in flight (reap, then submit again), -ETIME when the wait
 * timed out, -EINTR on a signal, ...
 */
int vaal_submit_and_wait_timeout(struct vaal_ring *r,
				 unsigned int min_complete, __u64 timeout_ns)
{
	unsigned int to_submit;
	__u32 flags = 0;

	__atomic_store_n(r->sq_tail, r->sq_local_tail, __ATOMIC_RELEASE);
	to_submit = vaal_sq_pending(r);
	if (min_complete) {
		flags |= VAAL_ENTER_GETEVENTS;
		if (timeout_ns)
			flags |= VAAL_ENTER_TIMEOUT;
	} else {
		timeout_ns = 0;
		if (!to_submit)
			return 0;
	}
	return ring_enter(r, to_submit, min_complete, flags, timeout_ns);
}

/**
 * vaal_submit - submit what is queued without waiting
 * @r: the rings
 *
 * Return: the number of submissions the kernel consumed, or a negative
 * errno (see vaal_submit_and_wait_timeout()).
 */
int vaal_submit(struct vaal_ring *r)
{
	return vaal_submit_and_wait_timeout(r, 0, 0);
}

/**
 * vaal_submit_and_wait - submit what is queued, then wait until
 *	@min_complete completions are in the completion ring
 * @r: the rings
 * @min_complete: completions to wait for, 0 not to wait
 *
 * Return: the number of submissions the kernel consumed, or a negative
 * errno (see vaal_submit_and_wait_timeout()).
 */
int vaal_submit_and_wait(struct vaal_ring *r, unsigned int min_complete)
{
	return vaal_submit_and_wait_timeout(r, min_complete, 0);
}

/**
 * vaal_cq_ready - completions waiting in the completion ring
 * @r: the rings
 *
 * Return: the number of completions posted and not yet marked seen.
 */
unsigned int vaal_cq_ready(const struct vaal_ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);
}

/**
 * vaal_peek_cqe - the oldest completion, without waiting
 * @r: the rings
 * @cqe: the completion on success, NULL otherwise; it stays valid until
 *	vaal_cqe_seen() or vaal_cq_advance()
 *
 * Return: 0, or -EAGAIN when the completion ring is empty.
 */
int vaal_peek_cqe(struct vaal_ring *r, struct vaal_cqe **cqe)
{
	__u32 head = __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
		*cqe = NULL;
		return -EAGAIN;
	}
	*cqe = &r->cqes[head & r->cq_mask];
	return 0;
}

/**
 * vaal_peek_batch_cqe - the oldest completions, without waiting
 * @r: the rings
 * @cqes: filled with up to @max completions, oldest first
 * @max: room in @cqes
 *
 * Mark them seen with vaal_cq_advance(@r, returned count).
 *
 * Return: the number of completions put in @cqes.
 */
unsigned int vaal_peek_batch_cqe(struct vaal_ring *r, struct vaal_cqe **cqes,
				 unsigned int max)
{
	__u32 head = __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);
	unsigned int i, n = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - head;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		cqes[i] = &r->cqes[(head + i) & r->cq_mask];
	return n;
}

/**
 * vaal_wait_cqe_nr - wait until @wait_nr completions are in the ring
 * @r: the rings
 * @cqe: the oldest completion on success, NULL otherwise
 * @wait_nr: completions to wait for; 0 is vaal_peek_cqe()
 *
 * Does not submit: vaal_submit() queued entries first.
 *
 * Return: 0 or a negative errno (-EINTR on a signal, -EINVAL for more than
 * the completion ring holds).
 */
int vaal_wait_cqe_nr(struct vaal_ring *r, struct vaal_cqe **cqe,
		     unsigned int wait_nr)
{
	int ret;

	while (vaal_cq_ready(r) < wait_nr) {
		ret = ring_enter(r, 0, wait_nr, VAAL_ENTER_GETEVENTS, 0);
		if (ret < 0) {
			*cqe = NULL;
			return ret;
		}
	}
	return vaal_peek_cqe(r, cqe);
}

/**
 * vaal_wait_cqe - the oldest completion, waiting for one if need be
 * @r: the rings
 * @cqe: the completion on success, NULL otherwise
 *
 * Return: 0 or a negative errno (-EINTR on a signal).
 */
int vaal_wait_cqe(struct vaal_ring *r, struct vaal_cqe **cqe)
{
	return vaal_wait_cqe_nr(r, cqe, 1);
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * vaal_wait_cqe_timeout - the oldest completion, waiting at most @timeout_ns
 * @r: the rings
 * @timeout_ns: the longest to wait, in ns; 0 is vaal_peek_cqe() but for
 *	its -ETIME
 * @cqe: the completion on success, NULL otherwise
 *
 * Return: 0 or a negative errno (-ETIME when none came in time, -EINTR on
 * a signal).
 */
int vaal_wait_cqe_timeout(struct vaal_ring *r, __u64 timeout_ns,
			  struct vaal_cqe **cqe)
{
	__u64 deadline = mono_ns() + timeout_ns, now;
	int ret;

	while (vaal_peek_cqe(r, cqe)) {
		now = mono_ns();
		if (now >= deadline)
			return -ETIME;
		ret = ring_enter(r, 0, 1,
				 VAAL_ENTER_GETEVENTS | VAAL_ENTER_TIMEOUT,
				 deadline - now);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * vaal_cq_advance - mark the @n oldest completions seen
 * @r: the rings
 * @n: completions read, at most vaal_cq_ready()
 *
 * Their ring entries go back to the kernel (a release store of the
 * completion ring's head).
 */
void vaal_cq_advance(struct vaal_ring *r, unsigned int n)
{
	__u32 head = __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);

	if (n)
		__atomic_store_n(r->cq_head, head + n, __ATOMIC_RELEASE);
}

/**
 * vaal_cqe_seen - mark the completion vaal_peek_cqe() or vaal_wait_cqe()
 *	returned seen
 * @r: the rings
 */
void vaal_cqe_seen(struct vaal_ring *r)
{
	vaal_cq_advance(r, 1);
}

/**
 * vaal_ctrl_register - make a context the controller of a class
 * @fd: the context; one controller per context
 * @name: the controller's name, unique among all controllers
 * @class: the accelerator class it serves
 * @nr_units: units it runs work on at once, 1 to 256
 * @id: the controller's id on success, as completions report it
 *
 * Return: 0 or a negative errno (-EPERM without CAP_SYS_ADMIN, -EEXIST for
 * a name taken, -EBUSY for a context that is a controller already,
 * -ENAMETOOLONG for a name or class that does not fit the ABI).
 */
int vaal_ctrl_register(int fd, const char *name, const char *class,
		       unsigned int nr_units, __u32 *id)
{
	struct vaal_ctrl_register req;

	memset(&req, 0, sizeof(req));
	if (strlen(name) >= sizeof(req.name) || strlen(class) >= sizeof(req.class))
		return -ENAMETOOLONG;
	req.size = sizeof(req);
	memcpy(req.name, name, strlen(name));
	memcpy(req.class, class, strlen(class));
	req.nr_units = nr_units;
	if (ioctl(fd, VAAL_IOC_CTRL_REGISTER, &req))
		return -errno;
	*id = req.id;
	return 0;
}

/**
 * vaal_ctrl_pull - take work a unit of the controller holds
 * @fd: the controller's context
 * @flags: %VAAL_PULL_* flags
 * @p: filled on success: the work's token, unit, kernel and arguments
 *
 * Waits, unless @flags has %VAAL_PULL_NONBLOCK, until there is work.
 *
 * Return: 0 or a negative errno (-EAGAIN: no work and %VAAL_PULL_NONBLOCK,
 * -EINTR: a signal).
 */
int vaal_ctrl_pull(int fd, unsigned int flags, struct vaal_ctrl_pull *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->flags = flags;
	return ioctl(fd, VAAL_IOC_CTRL_PULL, p) ? -errno : 0;
}

/**
 * vaal_ctrl_blob - copy the code blob of the kernel of work the controller
 *	holds
 * @fd: the controller's context
 * @token: the work's token, from vaal_ctrl_pull()
 * @buf: room for @room bytes
 * @room: bytes at @buf, at least &vaal_ctrl_pull.blob_len
 * @key: if not NULL, the kernel's key on success
 *
 * Return: the blob's length, or a negative errno (-ENOENT: a token the
 * controller does not hold, -ENOSPC: @room is short).
 */
int vaal_ctrl_blob(int fd, __u64 token, void *buf, size_t room, __u64 *key)
{
	struct vaal_ctrl_blob req = {
		.size = sizeof(req),
		.token = token,
		.addr = (__u64)(uintptr_t)buf,
		.room = room > UINT32_MAX ? UINT32_MAX : room,
	};

	if (ioctl(fd, VAAL_IOC_CTRL_BLOB, &req))
		return -errno;
	if (key)
		*key = req.kernel_key;
	return req.blob_len;
}

/**
 * vaal_ctrl_complete_log - give pulled work back, done, with its device
 *	time and a log for its kernel
 * @fd: the controller's context
 * @token: the work's token, from vaal_ctrl_pull()
 * @res: 0 or a negative errno, for the submitter's completion
 * @device_ns: the time the work used the device; U64_MAX for the time the
 *	unit held it
 * @log: @log_len bytes of text the kernel keeps as its log (the submitter
 *	reads it with vaal_kernel_log()), or NULL to leave its log alone
 * @log_len: bytes at @log, at most %VAAL_KERNEL_LOG_MAX (cut there)
 *
 * Return: 0 or a negative errno (-ENOENT: a token the controller does not
 * hold).
 */
int vaal_ctrl_complete_log(int fd, __u64 token, int res, __u64 device_ns,
			   const char *log, size_t log_len)
{
	struct vaal_ctrl_complete req = {
		.size = sizeof(req),
		.token = token,
		.res = res,
	};

	if (device_ns != UINT64_MAX) {
		req.flags |= VAAL_COMPLETE_DEVICE_NS;
		req.device_ns = device_ns;
	}
	if (log) {
		req.flags |= VAAL_COMPLETE_LOG;
		req.log_addr = (__u64)(uintptr_t)log;
		req.log_len = log_len > VAAL_KERNEL_LOG_MAX ?
			      VAAL_KERNEL_LOG_MAX : log_len;
	}
	return ioctl(fd, VAAL_IOC_CTRL_COMPLETE, &req) ? -errno : 0;
}

/**
 * vaal_ctrl_complete_ns - give pulled work back, done, with its device time
 * @fd: the controller's context
 * @token: the work's token, from vaal_ctrl_pull()
 * @res: 0 or a negative errno, for the submitter's completion
 * @device_ns: the time the work used the device, as the controller
 *	measured it; charged to the submitter and reported in its completion
 *
 * Return: 0 or a negative errno (-ENOENT: a token the controller does not
 * hold).
 */
int vaal_ctrl_complete_ns(int fd, __u64 token, int res, __u64 device_ns)
{
	struct vaal_ctrl_complete req = {
		.size = sizeof(req),
		.flags = VAAL_COMPLETE_DEVICE_NS,
		.token = token,
		.res = res,
		.device_ns = device_ns,
	};

	return ioctl(fd, VAAL_IOC_CTRL_COMPLETE, &req) ? -errno : 0;
}

/**
 * vaal_ctrl_complete - give pulled work back, done
 * @fd: the controller's context
 * @token: the work's token, from vaal_ctrl_pull()
 * @res: 0 or a negative errno, for the submitter's completion
 *
 * The device time is the time the unit held the work.
 *
 * Return: 0 or a negative errno (-ENOENT: a token the controller does not
 * hold).
 */
int vaal_ctrl_complete(int fd, __u64 token, int res)
{
	struct vaal_ctrl_complete req = {
		.size = sizeof(req),
		.token = token,
		.res = res,
	};

	return ioctl(fd, VAAL_IOC_CTRL_COMPLETE, &req) ? -errno : 0;
}

/* A request for @class; -ENAMETOOLONG when the class does not fit. */
static int vaal_sched_attr_init(struct vaal_sched_attr *attr,
				const char *class, __u32 flags)
{
	memset(attr, 0, sizeof(*attr));
	if (strlen(class) >= sizeof(attr->class))
		return -ENAMETOOLONG;
	attr->size = sizeof(*attr);
	attr->flags = flags;
	memcpy(attr->class, class, strlen(class));
	return 0;
}

/**
 * vaal_sched_set - set a context's scheduling attributes on a class
 * @fd: the context (the caller's own, or another process's taken with
 *	pidfd_getfd())
 * @class: the accelerator class ("cpu", "crypto", ...)
 * @flags: what to set: %VAAL_SCHED_RESERVE, %VAAL_SCHED_UNITS or both
 * @budget_ns: %VAAL_SCHED_RESERVE: device time reserved in each period;
 *	0 (with @period_ns 0) for no reservation
 * @period_ns: %VAAL_SCHED_RESERVE: the reservation's period,
 *	%VAAL_SCHED_MIN_PERIOD_NS to %VAAL_SCHED_MAX_PERIOD_NS
 * @units: %VAAL_SCHED_UNITS: bit n allows the class's unit n; 0 for any
 * @out: if not NULL, the structure as the kernel copied it back, on
 *	failure too: &vaal_sched_attr.reason says why the kernel refused
 *	(see vaal_sched_reason()); it stays %VAAL_SCHED_OK when the request
 *	was refused before the class was looked at (a malformed request)
 *
 * Return: 0 or a negative errno (-ENOENT: unknown class, -EOPNOTSUPP: the
 * class's policy takes no attributes, -EINVAL: a bad period, budget or
 * units, -EBUSY: the class's real-time limit would be exceeded,
 * -ENAMETOOLONG for a class that does not fit the ABI, before asking the
 * kernel).
 */
int vaal_sched_set(int fd, const char *class, __u32 flags, __u64 budget_ns,
		   __u64 period_ns, __u64 units, struct vaal_sched_attr *out)
{
	struct vaal_sched_attr attr;
	int ret;

	ret = vaal_sched_attr_init(&attr, class, flags);
	if (!ret) {
		attr.budget_ns = budget_ns;
		attr.period_ns = period_ns;
		attr.units = units;
		ret = ioctl(fd, VAAL_IOC_SCHED_SET, &attr) ? -errno : 0;
	}
	if (out)
		*out = attr;
	return ret;
}

/**
 * vaal_sched_get - read a context's scheduling attributes on a class
 * @fd: the context
 * @class: the accelerator class
 * @out: filled on success: the reservation (&vaal_sched_attr.budget_ns 0
 *	for none), the units (0 for any), and the class's real-time limit and
 *	admitted share
 *
 * Return: 0 or a negative errno (-ENOENT: unknown class, -EOPNOTSUPP: the
 * class's policy takes no attributes, -ENAMETOOLONG for a class that does
 * not fit the ABI).
 */
int vaal_sched_get(int fd, const char *class, struct vaal_sched_attr *out)
{
	int ret;

	ret = vaal_sched_attr_init(out, class, 0);
	if (ret)
		return ret;
	return ioctl(fd, VAAL_IOC_SCHED_GET, out) ? -errno : 0;
}

/* vaal_sched_reason() names the bounds. */
_Static_assert(VAAL_SCHED_MIN_PERIOD_NS == 100000ULL &&
	       VAAL_SCHED_MAX_PERIOD_NS == 10000000000ULL,
	       "update the period's bounds in vaal_sched_reason()");

/**
 * vaal_sched_reason - what a refusal of %VAAL_IOC_SCHED_SET means
 * @reason: &vaal_sched_attr.reason, %VAAL_SCHED_OK or %VAAL_SCHED_E*
 *
 * Return: a sentence without a final period, never NULL.
 */
const char *vaal_sched_reason(__u32 reason)
{
	switch (reason) {
	case VAAL_SCHED_OK:
		return "accepted";
	case VAAL_SCHED_ENOCLASS:
		return "no controller has made the class known";
	case VAAL_SCHED_ENOPOLICY:
		return "the class's scheduling policy takes no attributes";
	case VAAL_SCHED_EPERIOD:
		return "the period is out of bounds (100 us to 10 s)";
	case VAAL_SCHED_EBUDGET:
		return "the budget is zero or above the period";
	case VAAL_SCHED_EOVERLOAD:
		return "the class's reservations would exceed its real-time limit";
	case VAAL_SCHED_EUNITS:
		return "the class has no such units, or no partition of exactly those units";
	case VAAL_SCHED_ENOMEM:
		return "the kernel is out of memory";
	case VAAL_SCHED_EPERM:
		return "a reservation needs CAP_SYS_NICE";
	}
	return "unknown reason";
}
