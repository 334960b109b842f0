// SPDX-License-Identifier: GPL-2.0
/*
 * bufs.c - the buffer arguments of a unit's work, mapped from the
 * controller's file
 *
 * The core shows at each argument's mmap_offset the buffer of the work the
 * unit holds, and nothing once the work is completed; its pages are
 * inserted one by one (vm_insert_page), so the driver can pin them.  A
 * unit keeps each mapping from one work to the next while the buffer's
 * size and access stay the same; the core fills it again at the first
 * touch.  vcuda_run() registers the argument's range in place for the
 * work (or stages it) and lets it go before the work is completed.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "vaal_cudad.h"

static void slot_unmap(struct slot *s)
{
	if (s->map)
		munmap(s->map, s->bytes);
	memset(s, 0, sizeof(*s));
}

/**
 * slot_map - the mapping of the @i-th buffer argument of @u's work
 * @u: the unit, holding the work
 * @i: the argument
 * @a: the argument as pulled
 *
 * Return: the whole buffer's first byte, or NULL with errno set (EFAULT
 * for a range outside the buffer).
 */
void *slot_map(struct unit *u, unsigned int i, const struct vaal_ctrl_arg *a)
{
	int prot = a->mode == VAAL_ARG_IN ? PROT_READ : PROT_READ | PROT_WRITE;
	struct slot *s = &u->slots[i];
	void *map;

	if (!a->buf_bytes || a->offset > a->buf_bytes || !a->length ||
	    a->length > a->buf_bytes - a->offset || a->buf_bytes > SIZE_MAX) {
		errno = EFAULT;
		return NULL;
	}
	if (s->map && s->mmap_offset == a->mmap_offset &&
	    s->bytes == a->buf_bytes && s->prot == prot)
		return s->map;
	slot_unmap(s);
	map = mmap(NULL, a->buf_bytes, prot, MAP_SHARED, ctrl_fd,
		   a->mmap_offset);
	if (map == MAP_FAILED)
		return NULL;
	s->map = map;
	s->mmap_offset = a->mmap_offset;
	s->bytes = a->buf_bytes;
	s->prot = prot;
	return map;
}

/**
 * slots_abandon - forget the mappings of a unit whose kernel does not end
 * @u: the unit
 *
 * The kernel keeps the pages it was given pinned through its abandoned
 * context; the unit maps its next work afresh.
 */
void slots_abandon(struct unit *u)
{
	unsigned int i;

	for (i = 0; i < VAAL_MAX_ARGS; i++)
		slot_unmap(&u->slots[i]);
}

/**
 * slots_free - unmap every argument of a unit
 * @u: the unit, idle
 */
void slots_free(struct unit *u)
{
	slots_abandon(u);
}
