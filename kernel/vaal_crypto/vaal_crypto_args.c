// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_crypto_args.c - a launch's buffer arguments as the crypto API
 * takes them
 *
 * Buffers are arrays of pages mapped together (vmap), not physically
 * contiguous memory: requests get scatterlists over the pages, so that an
 * engine can DMA to and from them.
 */
#include <linux/limits.h>
#include <linux/mm.h>

#include "vaal_crypto.h"

/**
 * vaal_crypto_arg_sg() - a scatterlist over a buffer argument
 * @vw: the launch
 * @i: the argument
 * @sgt: filled; free it with sg_free_table()
 * @len: set to the argument's bytes
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for an argument longer than a request can take, or
 * -ENOMEM.
 */
int vaal_crypto_arg_sg(const struct vaal_work *vw, unsigned int i,
		       struct sg_table *sgt, unsigned int *len)
{
	struct page **pages;
	u64 off, n;

	memset(sgt, 0, sizeof(*sgt));
	pages = vaal_work_arg_pages(vw, i, &off, &n);
	if (n > UINT_MAX)
		return -EINVAL;
	*len = n;
	if (!n)
		return 0;
	pages += off >> PAGE_SHIFT;
	off = offset_in_page(off);
	return sg_alloc_table_from_pages(sgt, pages,
					 DIV_ROUND_UP(off + n, PAGE_SIZE),
					 off, n, GFP_KERNEL);
}

/**
 * vaal_crypto_args_overlap() - whether two buffer arguments share bytes
 * @vw: the launch
 * @a: one argument
 * @b: another
 *
 * Each buffer has a kernel mapping of its own: ranges of the same buffer
 * overlap where their addresses do.
 *
 * Return: true when they overlap.
 */
bool vaal_crypto_args_overlap(const struct vaal_work *vw, unsigned int a,
			      unsigned int b)
{
	const u8 *pa, *pb;
	u64 la, lb;

	pa = vaal_work_arg(vw, a, &la);
	pb = vaal_work_arg(vw, b, &lb);
	return la && lb && pa < pb + lb && pb < pa + la;
}
