// SPDX-License-Identifier: GPL-2.0
/*
 * bufs.c - the buffer arguments of a unit's work, as the device sees them
 *
 * Each buffer argument of a unit is mapped from the controller's file (the
 * core shows there the buffer of the work the unit holds, and nothing once
 * the work is completed) inside a reservation of inaccessible guard pages,
 * --guard bytes on each side.  The mapping is kept from one work to the
 * next while the buffer's size and access stay the same; the core fills it
 * again at the first touch.
 *
 * The device gets each argument's range as a CL_MEM_USE_HOST_PTR buffer
 * over the mapping: on a device that uses host memory in place (PoCL on
 * the CPU, integrated GPUs) the kernel reads and writes the application's
 * pages themselves, and the cl_mem is kept for the next work over the same
 * range; elsewhere the runtime copies, and launch.c maps the outputs back.
 *
 * A kernel that reads or writes past its buffer (up to --guard bytes
 * away), or writes a buffer it only reads, faults in the reservation: the
 * handler replaces the whole reservation with scratch memory, so that the
 * kernel runs on harmlessly, and marks the unit, whose work then completes
 * with -EFAULT.  A fault anywhere else is a real crash.  A kernel that
 * writes further than the guard from its buffers can reach the daemon's
 * own memory: a CPU device runs kernels in the daemon's address space.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vaal_opencld.h"

/* The region of @s, if @addr is in it: the fault handler's lookup. */
static int slot_holds(const struct slot *s, const char *addr)
{
	const char *resv = __atomic_load_n(&s->resv, __ATOMIC_ACQUIRE);
	size_t bytes = __atomic_load_n(&s->resv_bytes, __ATOMIC_RELAXED);

	return resv && addr >= resv && addr < resv + bytes;
}

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	const char *addr = si->si_addr;
	struct slot *s;
	unsigned int i, j;
	void *p;

	for (i = 0; i < nr_units; i++) {
		for (j = 0; j < VAAL_MAX_ARGS; j++) {
			s = &units[i].slots[j];
			if (!slot_holds(s, addr))
				continue;
			/* Scratch memory in place of the buffer and its guards. */
			p = mmap(s->resv, s->resv_bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				 MAP_FIXED, -1, 0);
			if (p == MAP_FAILED)
				break;
			__atomic_store_n(&s->dirty, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&units[i].faulted, 1, __ATOMIC_RELEASE);
			return;
		}
	}
	/* Not a kernel's stray access: the default action, at once. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/**
 * bufs_init - catch the faults of kernels in their buffers' guards
 *
 * Return: 0 or a negative errno.
 */
int bufs_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -errno;
	return 0;
}

static void slot_drop_mem(struct slot *s)
{
	if (s->mem)
		clReleaseMemObject(s->mem);
	s->mem = NULL;
}

/* Take @s's region from the fault handler's sight. */
static void slot_unpublish(struct slot *s)
{
	__atomic_store_n(&s->resv, NULL, __ATOMIC_RELEASE);
}

static void slot_unmap(struct slot *s)
{
	char *resv = s->resv;

	slot_drop_mem(s);
	if (!resv)
		return;
	slot_unpublish(s);
	munmap(resv, s->resv_bytes);
	s->map = NULL;
	s->dirty = 0;
}

/* Map @a, the @i-th argument of @u's work, guarded; NULL with errno set. */
static char *slot_map(struct unit *u, unsigned int i,
		      const struct vaal_ctrl_arg *a)
{
	int prot = a->mode == VAAL_ARG_IN ? PROT_READ : PROT_READ | PROT_WRITE;
	struct slot *s = &u->slots[i];
	size_t bytes;
	char *resv;
	void *map;

	if (s->resv && !__atomic_load_n(&s->dirty, __ATOMIC_RELAXED) &&
	    s->mmap_offset == a->mmap_offset && s->bytes == a->buf_bytes &&
	    s->prot == prot)
		return s->map;
	slot_unmap(s);
	if (!a->buf_bytes || a->buf_bytes > SIZE_MAX / 2 - 2 * opt.guard) {
		errno = EINVAL;
		return NULL;
	}
	bytes = 2 * opt.guard + a->buf_bytes;
	resv = mmap(NULL, bytes, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		return NULL;
	map = mmap(resv + opt.guard, a->buf_bytes, prot, MAP_SHARED | MAP_FIXED,
		   ctrl_fd, a->mmap_offset);
	if (map == MAP_FAILED) {
		int err = errno;

		munmap(resv, bytes);
		errno = err;
		return NULL;
	}
	s->map = map;
	s->mmap_offset = a->mmap_offset;
	s->bytes = a->buf_bytes;
	s->prot = prot;
	s->dirty = 0;
	s->resv_bytes = bytes;
	/* Pairs with the handler's acquire: the length is there first. */
	__atomic_store_n(&s->resv, resv, __ATOMIC_RELEASE);
	return s->map;
}

static cl_mem_flags mem_flags(__u8 mode)
{
	switch (mode) {
	case VAAL_ARG_IN:
		return CL_MEM_USE_HOST_PTR | CL_MEM_READ_ONLY;
	case VAAL_ARG_OUT:
		return CL_MEM_USE_HOST_PTR | CL_MEM_WRITE_ONLY;
	default:
		return CL_MEM_USE_HOST_PTR | CL_MEM_READ_WRITE;
	}
}

/**
 * slot_mem - the cl_mem of the @i-th buffer argument of @u's work
 * @u: the unit, locked, holding the work
 * @i: the argument
 * @arg: the argument as pulled
 * @mem: the cl_mem on success
 * @tmp: set when the cl_mem is this work's alone (the runtime copies): the
 *	caller releases it, and maps it back when the kernel writes it
 *
 * Return: 0 or a negative errno (-EFAULT for a range outside the buffer,
 * -ENOMEM, or the errno of a mapping that failed).
 */
int slot_mem(struct unit *u, unsigned int i, const struct vaal_ctrl_arg *arg,
	     cl_mem *mem, int *tmp)
{
	struct slot *s = &u->slots[i];
	cl_mem_flags flags = mem_flags(arg->mode);
	char *map, *host;
	cl_int err;
	int in_place;

	if (arg->offset > arg->buf_bytes || !arg->length ||
	    arg->length > arg->buf_bytes - arg->offset)
		return -EFAULT;
	map = slot_map(u, i, arg);
	if (!map)
		return -errno;
	host = map + arg->offset;
	in_place = u->dev->in_place && !((uintptr_t)host % u->dev->align);
	if (in_place && s->mem && s->mem_off == arg->offset &&
	    s->mem_len == arg->length && s->mem_flags == flags) {
		*mem = s->mem;
		*tmp = 0;
		return 0;
	}
	if (in_place)
		slot_drop_mem(s);
	*mem = clCreateBuffer(u->dev->ctx, flags, arg->length, host, &err);
	if (!*mem)
		return cl_errno(err);
	*tmp = !in_place;
	if (in_place) {
		s->mem = *mem;
		s->mem_off = arg->offset;
		s->mem_len = arg->length;
		s->mem_flags = flags;
	}
	return 0;
}

/**
 * slots_refresh - drop what a fault replaced with scratch memory
 * @u: the unit, locked, whose work is done
 */
void slots_refresh(struct unit *u)
{
	unsigned int i;

	for (i = 0; i < VAAL_MAX_ARGS; i++)
		if (__atomic_load_n(&u->slots[i].dirty, __ATOMIC_RELAXED))
			slot_unmap(&u->slots[i]);
}

/**
 * slots_abandon - give up the mappings of a unit whose kernel does not end
 * @u: the unit, locked
 *
 * The kernel still runs, on the addresses it was given: they get scratch
 * memory, for good, before the work is completed and the core shows the
 * unit's next buffers; the unit maps its next work elsewhere.
 */
void slots_abandon(struct unit *u)
{
	struct slot *s;
	unsigned int i;

	for (i = 0; i < VAAL_MAX_ARGS; i++) {
		s = &u->slots[i];
		slot_drop_mem(s);
		if (!s->resv)
			continue;
		slot_unpublish(s);
		if (mmap(s->resv, s->resv_bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
			 -1, 0) == MAP_FAILED)
			/* No scratch: take the addresses away instead. */
			mprotect(s->resv, s->resv_bytes, PROT_NONE);
		s->resv = NULL;
		s->map = NULL;
		s->dirty = 0;
	}
}

/**
 * slots_free - unmap every argument of a unit
 * @u: the unit, idle
 */
void slots_free(struct unit *u)
{
	unsigned int i;

	for (i = 0; i < VAAL_MAX_ARGS; i++)
		slot_unmap(&u->slots[i]);
}
