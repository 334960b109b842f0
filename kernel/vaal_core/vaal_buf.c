// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_buf.c - buffers: the memory kernels read and write
 *
 * A buffer is an array of pages, mapped once into the kernel (vmap) for
 * in-kernel controllers and into user space on mmap() of the context's
 * file.  New buffers take fresh zeroed pages charged to the memory cgroup
 * of the creating task; imported ones share the pages of a memfd, and
 * those of an in-kernel client (vaal_client.c) the pages it gives.  Either
 * way the bytes count against the context's allowance until the last user
 * (handle, mapping, in-flight kernel) lets go.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_buf_create) == VAAL_BUF_CREATE_SIZE_VER0);
static_assert(sizeof(struct vaal_buf_destroy) == VAAL_BUF_DESTROY_SIZE_VER0);

/*
 * mmap offsets: the handle above bit 32, so a buffer spans at most 4 GiB
 * of offsets and the page offset within it must be zero.
 */
#define VAAL_BUF_MAX_BYTES	(1ULL << VAAL_BUF_MMAP_SHIFT)

unsigned long long vaal_max_buffer_bytes = 256ULL << 20;
module_param_named(max_buffer_bytes, vaal_max_buffer_bytes, ullong, 0644);
MODULE_PARM_DESC(max_buffer_bytes, "Buffer memory one context may hold, in bytes (default 256 MiB, at most 4 GiB per buffer)");

unsigned int vaal_max_buffers = 1024;
module_param_named(max_buffers, vaal_max_buffers, uint, 0644);
MODULE_PARM_DESC(max_buffers, "Buffers one context may hold (default 1024)");

/* Take @bytes and one buffer from the context's allowance. */
static int vaal_buf_charge(struct vaal_ctx *ctx, u64 bytes)
{
	if (atomic_inc_return(&ctx->nr_bufs) > READ_ONCE(vaal_max_buffers))
		goto out_uncount;
	if (atomic64_add_return(bytes, &ctx->buf_bytes) >
	    READ_ONCE(vaal_max_buffer_bytes))
		goto out_unbytes;
	return 0;

out_unbytes:
	atomic64_sub(bytes, &ctx->buf_bytes);
out_uncount:
	atomic_dec(&ctx->nr_bufs);
	return -ENOSPC;
}

static void vaal_buf_uncharge(struct vaal_ctx *ctx, u64 bytes)
{
	atomic64_sub(bytes, &ctx->buf_bytes);
	atomic_dec(&ctx->nr_bufs);
}

static void vaal_buf_put_pages(struct vaal_buf *buf, unsigned long n)
{
	while (n--) {
		if (buf->imported) {
			/* Kernels may have written through the vmap. */
			set_page_dirty_lock(buf->pages[n]);
			put_page(buf->pages[n]);
		} else {
			__free_page(buf->pages[n]);
		}
	}
}

static void vaal_buf_release(struct kref *ref)
{
	struct vaal_buf *buf = container_of(ref, struct vaal_buf, ref);

	vunmap(buf->vaddr);
	vaal_buf_put_pages(buf, buf->nr_pages);
	kvfree(buf->pages);
	vaal_buf_uncharge(buf->ctx, buf->length);
	kfree(buf);
}

void vaal_buf_put(struct vaal_buf *buf)
{
	kref_put(&buf->ref, vaal_buf_release);
}

/* Fresh zeroed pages, charged to the current task's memory cgroup. */
static int vaal_buf_alloc_pages(struct vaal_buf *buf)
{
	unsigned long i;

	for (i = 0; i < buf->nr_pages; i++) {
		if (fatal_signal_pending(current))
			goto out_put_pages;
		buf->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!buf->pages[i])
			goto out_put_pages;
		cond_resched();
	}
	return 0;

out_put_pages:
	vaal_buf_put_pages(buf, i);
	return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
}

/* The first pages of a memfd (any shmem file) open for reading and writing. */
static int vaal_buf_import_pages(struct vaal_buf *buf, int memfd)
{
	struct file *file;
	struct page *page;
	unsigned long i;
	int ret = 0;

	file = fget(memfd);
	if (!file)
		return -EBADF;
	if (!shmem_file(file)) {
		ret = -EINVAL;
		goto out_put_file;
	}
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE)) {
		ret = -EACCES;
		goto out_put_file;
	}
	if (i_size_read(file_inode(file)) < buf->length) {
		ret = -EINVAL;
		goto out_put_file;
	}
	for (i = 0; i < buf->nr_pages; i++) {
		page = shmem_read_mapping_page(file->f_mapping, i);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			vaal_buf_put_pages(buf, i);
			goto out_put_file;
		}
		buf->pages[i] = page;
	}
out_put_file:
	fput(file);
	return ret;
}

/* A client's pages, a reference taken on each. */
static void vaal_buf_lent_pages(struct vaal_buf *buf, struct page **pages)
{
	unsigned long i;

	for (i = 0; i < buf->nr_pages; i++) {
		get_page(pages[i]);
		buf->pages[i] = pages[i];
	}
}

/*
 * A buffer of @req's length: of @pages when a client gives them (as many
 * as the length takes), of the memfd of an import, or fresh.
 */
static struct vaal_buf *vaal_buf_new(struct vaal_ctx *ctx,
				     const struct vaal_buf_create *req,
				     struct page **pages)
{
	struct vaal_buf *buf;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	kref_init(&buf->ref);
	buf->ctx = ctx;
	buf->imported = pages || req->flags & VAAL_BUF_IMPORT;
	buf->nr_pages = DIV_ROUND_UP(req->length, PAGE_SIZE);
	buf->length = (u64)buf->nr_pages << PAGE_SHIFT;
	vaal_hz_buf_init(&buf->hz);

	ret = vaal_buf_charge(ctx, buf->length);
	if (ret)
		goto out_free_buf;
	buf->pages = kvcalloc(buf->nr_pages, sizeof(*buf->pages),
			      GFP_KERNEL_ACCOUNT);
	if (!buf->pages) {
		ret = -ENOMEM;
		goto out_uncharge;
	}
	if (pages)
		vaal_buf_lent_pages(buf, pages);
	else if (buf->imported)
		ret = vaal_buf_import_pages(buf, req->memfd);
	else
		ret = vaal_buf_alloc_pages(buf);
	if (ret)
		goto out_free_pages_array;
	buf->vaddr = vmap(buf->pages, buf->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!buf->vaddr) {
		ret = -ENOMEM;
		goto out_put_pages;
	}
	return buf;

out_put_pages:
	vaal_buf_put_pages(buf, buf->nr_pages);
out_free_pages_array:
	kvfree(buf->pages);
out_uncharge:
	vaal_buf_uncharge(ctx, buf->length);
out_free_buf:
	kfree(buf);
	return ERR_PTR(ret);
}

/**
 * vaal_buf_version - a fresh version of a buffer, for renaming
 * @buf: the buffer
 *
 * Return: a buffer of the same length, charged to the context's allowance
 * and without a handle, or an ERR_PTR() (-ENOSPC past the allowance).
 */
struct vaal_buf *vaal_buf_version(struct vaal_buf *buf)
{
	struct vaal_buf_create req = { .length = buf->length };

	return vaal_buf_new(buf->ctx, &req, NULL);
}

static int vaal_buf_check_create(const struct vaal_buf_create *req)
{
	if (req->flags & ~VAAL_BUF_FLAGS_ALL ||
	    memchr_inv(req->reserved, 0, sizeof(req->reserved)))
		return -EINVAL;
	if (!(req->flags & VAAL_BUF_IMPORT) && req->memfd)
		return -EINVAL;
	if (!req->length)
		return -EINVAL;
	if (req->length > VAAL_BUF_MAX_BYTES)
		return -E2BIG;
	return 0;
}

/* The buffer of vaal_buf_create(), its handle's; or an ERR_PTR(). */
static struct vaal_buf *__vaal_buf_create(struct vaal_ctx *ctx,
					  struct vaal_buf_create *req,
					  struct page **pages,
					  unsigned long nr_pages)
{
	struct vaal_buf *buf;
	u32 handle;
	int ret;

	if (req->size < VAAL_BUF_CREATE_SIZE_VER0)
		return ERR_PTR(-EINVAL);
	ret = vaal_buf_check_create(req);
	if (ret)
		return ERR_PTR(ret);
	if (nr_pages != (pages ? DIV_ROUND_UP(req->length, PAGE_SIZE) : 0) ||
	    (pages && req->flags & VAAL_BUF_IMPORT))
		return ERR_PTR(-EINVAL);

	buf = vaal_buf_new(ctx, req, pages);
	if (IS_ERR(buf))
		return buf;
	ret = xa_alloc(&ctx->bufs, &handle, buf, xa_limit_31b, GFP_KERNEL_ACCOUNT);
	if (ret) {
		vaal_buf_put(buf);
		return ERR_PTR(ret);
	}
	req->handle = handle;
	req->mmap_offset = pages ? 0 : (u64)handle << VAAL_BUF_MMAP_SHIFT;
	return buf;
}

/**
 * vaal_buf_create - %VAAL_IOC_BUF_CREATE on the kernel's copy of its
 *	argument
 * @ctx: the context
 * @req: in: size, flags, length, memfd; out: handle and mmap_offset (0 for
 *	a client's pages, which are not mapped)
 * @pages: a client's pages, DIV_ROUND_UP(@req->length, PAGE_SIZE) of them
 *	(then no %VAAL_BUF_IMPORT), or NULL for the ioctl's buffers
 * @nr_pages: entries in @pages
 *
 * Return: 0, -EINVAL, -E2BIG, -ENOSPC past the context's allowance,
 * -ENOMEM, or an import's errno.
 */
int vaal_buf_create(struct vaal_ctx *ctx, struct vaal_buf_create *req,
		    struct page **pages, unsigned long nr_pages)
{
	return PTR_ERR_OR_ZERO(__vaal_buf_create(ctx, req, pages, nr_pages));
}

long vaal_ioc_buf_create(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_buf_create req;
	struct vaal_buf *buf;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg, VAAL_BUF_CREATE_SIZE_VER0,
			     &usize);
	if (ret)
		return ret;
	buf = __vaal_buf_create(ctx, &req, NULL, 0);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (copy_to_user(uarg, &req, min_t(u32, usize, sizeof(req)))) {
		/* Unless another thread destroyed the handle meanwhile. */
		if (xa_cmpxchg(&ctx->bufs, req.handle, buf, NULL, 0) == buf)
			vaal_buf_put(buf);
		return -EFAULT;
	}
	return 0;
}

/**
 * vaal_buf_destroy - %VAAL_IOC_BUF_DESTROY on the kernel's copy of its
 *	argument
 * @ctx: the context
 * @req: the request
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int vaal_buf_destroy(struct vaal_ctx *ctx, const struct vaal_buf_destroy *req)
{
	struct vaal_buf *buf;

	if (req->size < VAAL_BUF_DESTROY_SIZE_VER0 || req->flags ||
	    req->reserved0 || memchr_inv(req->reserved, 0, sizeof(req->reserved)))
		return -EINVAL;

	buf = xa_erase(&ctx->bufs, req->handle);
	if (!buf)
		return -ENOENT;
	vaal_buf_put(buf);
	return 0;
}

long vaal_ioc_buf_destroy(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_buf_destroy req;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg, VAAL_BUF_DESTROY_SIZE_VER0,
			     &usize);
	if (ret)
		return ret;
	return vaal_buf_destroy(ctx, &req);
}

/**
 * vaal_buf_get - find a buffer by handle and take a reference
 * @ctx: the context
 * @handle: the buffer's handle
 *
 * Return: the buffer, or NULL when @ctx has no buffer @handle.
 */
struct vaal_buf *vaal_buf_get(struct vaal_ctx *ctx, u32 handle)
{
	struct vaal_buf *buf;

	xa_lock(&ctx->bufs);
	buf = xa_load(&ctx->bufs, handle);
	if (buf)
		kref_get(&buf->ref);
	xa_unlock(&ctx->bufs);
	return buf;
}

/* Drop every handle of a context that is going away. */
void vaal_buf_release_all(struct vaal_ctx *ctx)
{
	struct vaal_buf *buf;
	unsigned long handle;

	xa_for_each(&ctx->bufs, handle, buf) {
		xa_erase(&ctx->bufs, handle);
		vaal_buf_put(buf);
	}
	xa_destroy(&ctx->bufs);
}

static void vaal_buf_vm_open(struct vm_area_struct *vma)
{
	struct vaal_buf *buf = vma->vm_private_data;

	kref_get(&buf->ref);
}

static void vaal_buf_vm_close(struct vm_area_struct *vma)
{
	vaal_buf_put(vma->vm_private_data);
}

static const struct vm_operations_struct vaal_buf_vm_ops = {
	.open	= vaal_buf_vm_open,
	.close	= vaal_buf_vm_close,
};

/* mmap() of one buffer of a context, from its start, shared. */
int vaal_buf_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma)
{
	unsigned long handle = vma->vm_pgoff >>
			       (VAAL_BUF_MMAP_SHIFT - PAGE_SHIFT);
	struct vaal_buf *buf;
	int ret;

	buf = vaal_buf_get(ctx, handle);
	if (!buf)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND);
	ret = vm_map_pages_zero(vma, buf->pages, buf->nr_pages);
	if (ret) {
		vaal_buf_put(buf);
		return ret;
	}
	vma->vm_private_data = buf;
	vma->vm_ops = &vaal_buf_vm_ops;
	return 0;
}
