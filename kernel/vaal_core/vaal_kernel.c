// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_kernel.c - kernels registered at run time: the functions launches
 * name, with the class of accelerator they run on, their argument
 * signature and, for controllers that load code, a blob, a key controllers
 * know them by across contexts, and the log a controller attaches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vaal_internal.h"

static_assert(sizeof(struct vaal_kernel_register) ==
	      VAAL_KERNEL_REGISTER_SIZE_VER0);
static_assert(sizeof(struct vaal_kernel_unregister) ==
	      VAAL_KERNEL_UNREGISTER_SIZE_VER0);
static_assert(sizeof(struct vaal_kernel_log) == VAAL_KERNEL_LOG_SIZE_VER0);

/* The last kernel key handed out: keys are never reused. */
static atomic64_t vaal_kernel_keys = ATOMIC64_INIT(0);

unsigned int vaal_max_kernels = 256;
module_param_named(max_kernels, vaal_max_kernels, uint, 0644);
MODULE_PARM_DESC(max_kernels, "Kernels one context may register (default 256)");

static unsigned int vaal_max_blob_bytes = 1 << 20;
module_param_named(max_blob_bytes, vaal_max_blob_bytes, uint, 0644);
MODULE_PARM_DESC(max_blob_bytes, "Largest code blob of a kernel, in bytes (default 1 MiB)");

/*
 * A NUL-terminated, non-empty string of @len bytes at most whose characters
 * all pass @ok, with nothing but zeroes after the NUL.
 */
static bool vaal_valid_ident(const char *s, size_t len, int (*ok)(int c))
{
	size_t n = strnlen(s, len), i;

	if (!n || n == len || memchr_inv(s + n, 0, len - n))
		return false;
	for (i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return false;
	return true;
}

static int vaal_class_char(int c)
{
	return islower(c) || isdigit(c) || c == '_' || c == '-';
}

static int vaal_name_char(int c)
{
	return c > ' ' && c < 0x7f;	/* printable ASCII, no space */
}

static int vaal_kernel_check(const struct vaal_kernel_register *req,
			     sockptr_t blob)
{
	unsigned int i;

	if (req->size < VAAL_KERNEL_REGISTER_SIZE_VER0 || req->flags || req->reserved0 || req->reserved1 || req->reserved)
		return -EINVAL;
	if (req->timeout_ns > VAAL_MAX_TIMEOUT_NS)
		return -ERANGE;
	if (!vaal_valid_ident(req->class, sizeof(req->class), vaal_class_char) ||
	    !vaal_valid_ident(req->name, sizeof(req->name), vaal_name_char))
		return -EINVAL;
	if (req->nr_args > VAAL_MAX_ARGS ||
	    req->scalar_bytes > VAAL_MAX_SCALAR_BYTES)
		return -EINVAL;
	for (i = 0; i < VAAL_MAX_ARGS; i++) {
		u8 mode = req->arg_mode[i];

		if (i < req->nr_args ? mode < VAAL_ARG_IN || mode > VAAL_ARG_INOUT
				     : mode)
			return -EINVAL;
	}
	if (!req->blob_len != sockptr_is_null(blob))
		return -EINVAL;
	if (req->blob_len > READ_ONCE(vaal_max_blob_bytes))
		return -E2BIG;
	return 0;
}

static struct vaal_kernel *vaal_kernel_new(const struct vaal_kernel_register *req,
					   sockptr_t blob)
{
	struct vaal_kernel *k;

	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return ERR_PTR(-ENOMEM);
	kref_init(&k->ref);
	memcpy(k->class, req->class, sizeof(k->class));
	memcpy(k->name, req->name, sizeof(k->name));
	k->nr_args = req->nr_args;
	k->scalar_bytes = req->scalar_bytes;
	memcpy(k->arg_mode, req->arg_mode, sizeof(k->arg_mode));
	k->timeout_ns = req->timeout_ns ?:
		(u64)READ_ONCE(vaal_default_timeout_ms) * NSEC_PER_MSEC;
	k->key = atomic64_inc_return(&vaal_kernel_keys);
	spin_lock_init(&k->log_lock);
	k->blob_len = req->blob_len;
	if (!k->blob_len)
		return k;

	k->blob = kvmalloc(k->blob_len, GFP_KERNEL_ACCOUNT);
	if (!k->blob) {
		kfree(k);
		return ERR_PTR(-ENOMEM);
	}
	if (copy_from_sockptr(k->blob, blob, k->blob_len)) {
		kvfree(k->blob);
		kfree(k);
		return ERR_PTR(-EFAULT);
	}
	return k;
}

/*
 * The last reference is gone: the kernel is unregistered (or its context
 * closed) and no launch of it is left.  User-space controllers that built
 * something for it hear of its key.
 */
static void vaal_kernel_release(struct kref *ref)
{
	struct vaal_kernel *k = container_of(ref, struct vaal_kernel, ref);

	if (READ_ONCE(k->handed))
		vaal_uctrl_kernel_gone(k->key);
	if (k->log)
		vaal_kernel_klog_put(k->log);
	kvfree(k->blob);
	kfree(k);
}

void vaal_kernel_put(struct vaal_kernel *k)
{
	kref_put(&k->ref, vaal_kernel_release);
}

/* Is a kernel of that class and name registered?  Under ctx->lock. */
static bool vaal_kernel_exists(struct vaal_ctx *ctx, const struct vaal_kernel *k)
{
	struct vaal_kernel *o;
	unsigned long id;

	lockdep_assert_held(&ctx->lock);
	xa_for_each(&ctx->kernels, id, o)
		if (!strcmp(o->class, k->class) && !strcmp(o->name, k->name))
			return true;
	return false;
}

static int vaal_kernel_insert(struct vaal_ctx *ctx, struct vaal_kernel *k)
{
	int ret;

	mutex_lock(&ctx->lock);
	if (ctx->nr_kernels >= READ_ONCE(vaal_max_kernels)) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (vaal_kernel_exists(ctx, k)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	ret = xa_alloc(&ctx->kernels, &k->id, k,
		       XA_LIMIT(1, VAAL_MAX_KERNEL_ID), GFP_KERNEL_ACCOUNT);
	if (!ret)
		ctx->nr_kernels++;
out_unlock:
	mutex_unlock(&ctx->lock);
	return ret;
}

/**
 * vaal_kernel_get - find a kernel by id and take a reference
 * @ctx: the context
 * @id: the kernel's id
 *
 * Return: the kernel, or NULL when @ctx has no kernel @id.
 */
struct vaal_kernel *vaal_kernel_get(struct vaal_ctx *ctx, u32 id)
{
	struct vaal_kernel *k;

	xa_lock(&ctx->kernels);
	k = xa_load(&ctx->kernels, id);
	if (k)
		kref_get(&k->ref);
	xa_unlock(&ctx->kernels);
	return k;
}

/* Take a kernel's id away; the caller puts the returned kernel. */
static struct vaal_kernel *vaal_kernel_remove(struct vaal_ctx *ctx, u32 id)
{
	struct vaal_kernel *k;

	mutex_lock(&ctx->lock);
	k = xa_erase(&ctx->kernels, id);
	if (k)
		ctx->nr_kernels--;
	mutex_unlock(&ctx->lock);
	return k;
}

/**
 * vaal_kernel_register - %VAAL_IOC_KERNEL_REGISTER on the kernel's copy of
 *	its argument
 * @ctx: the context
 * @req: in: the request (its blob_addr is not looked at); out: id
 * @blob: where the blob_len bytes of code are, user or kernel memory; NULL
 *	without code
 *
 * Return: 0, -EINVAL, -ERANGE, -E2BIG, -ENOSPC past max_kernels, -EEXIST
 * for a second kernel of that class and name, -ENOMEM or -EFAULT.
 */
int vaal_kernel_register(struct vaal_ctx *ctx,
			 struct vaal_kernel_register *req, sockptr_t blob)
{
	struct vaal_kernel *k;
	int ret;

	ret = vaal_kernel_check(req, blob);
	if (ret)
		return ret;
	k = vaal_kernel_new(req, blob);
	if (IS_ERR(k))
		return PTR_ERR(k);
	ret = vaal_kernel_insert(ctx, k);
	if (ret) {
		vaal_kernel_put(k);
		return ret;
	}
	req->id = k->id;
	return 0;
}

long vaal_ioc_kernel_register(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_kernel_register req;
	struct vaal_kernel *k;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg,
			     VAAL_KERNEL_REGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_kernel_register(ctx, &req,
				   USER_SOCKPTR(u64_to_user_ptr(req.blob_addr)));
	if (ret)
		return ret;
	if (put_user(req.id, (u32 __user *)(uarg + offsetof(typeof(req), id)))) {
		/* Unless another thread took the id away meanwhile. */
		k = vaal_kernel_remove(ctx, req.id);
		if (k)
			vaal_kernel_put(k);
		return -EFAULT;
	}
	return 0;
}

/**
 * vaal_kernel_unregister - %VAAL_IOC_KERNEL_UNREGISTER on the kernel's copy
 *	of its argument
 * @ctx: the context
 * @req: the request
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int vaal_kernel_unregister(struct vaal_ctx *ctx,
			   const struct vaal_kernel_unregister *req)
{
	struct vaal_kernel *k;

	if (req->size < VAAL_KERNEL_UNREGISTER_SIZE_VER0 || req->flags ||
	    req->reserved0 || memchr_inv(req->reserved, 0, sizeof(req->reserved)))
		return -EINVAL;

	k = vaal_kernel_remove(ctx, req->id);
	if (!k)
		return -ENOENT;
	vaal_kernel_put(k);
	return 0;
}

long vaal_ioc_kernel_unregister(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_kernel_unregister req;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg,
			     VAAL_KERNEL_UNREGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	return vaal_kernel_unregister(ctx, &req);
}

/**
 * vaal_kernel_klog_new - a log for a kernel, copied from @text
 * @text: @len bytes of text, user or kernel memory
 * @len: at most %VAAL_KERNEL_LOG_MAX
 * @ctrl_id: the controller attaching it
 *
 * Return: the log, with one reference, or an ERR_PTR() (-ENOMEM, -EFAULT).
 */
struct vaal_kernel_klog *vaal_kernel_klog_new(sockptr_t text, u32 len,
					      u32 ctrl_id)
{
	struct vaal_kernel_klog *log;

	log = kvmalloc(struct_size(log, text, len), GFP_KERNEL_ACCOUNT);
	if (!log)
		return ERR_PTR(-ENOMEM);
	if (copy_from_sockptr(log->text, text, len)) {
		kvfree(log);
		return ERR_PTR(-EFAULT);
	}
	refcount_set(&log->ref, 1);
	log->len = len;
	log->ctrl_id = ctrl_id;
	return log;
}

void vaal_kernel_klog_put(struct vaal_kernel_klog *log)
{
	if (refcount_dec_and_test(&log->ref))
		kvfree(log);
}

/**
 * vaal_kernel_set_log - attach a log to a kernel, in place of its last one
 * @k: the kernel
 * @log: the log, whose reference the kernel takes over; NULL for none
 */
void vaal_kernel_set_log(struct vaal_kernel *k, struct vaal_kernel_klog *log)
{
	struct vaal_kernel_klog *old;
	unsigned long flags;

	spin_lock_irqsave(&k->log_lock, flags);
	old = k->log;
	k->log = log;
	spin_unlock_irqrestore(&k->log_lock, flags);
	if (old)
		vaal_kernel_klog_put(old);
}

/**
 * vaal_kernel_log - %VAAL_IOC_KERNEL_LOG on the kernel's copy of its
 *	argument
 * @ctx: the context
 * @req: in: size, flags, id, room; out: log_len, controller, kernel_key
 * @buf: where the first min(room, log_len) bytes of the log go
 *
 * Return: 0, -EINVAL, -ENOENT for an id the context has no kernel of,
 * -EFAULT.
 */
int vaal_kernel_log(struct vaal_ctx *ctx, struct vaal_kernel_log *req,
		    sockptr_t buf)
{
	struct vaal_kernel_klog *log;
	struct vaal_kernel *k;
	int ret = 0;

	if (req->size < VAAL_KERNEL_LOG_SIZE_VER0 || req->flags ||
	    memchr_inv(req->reserved, 0, sizeof(req->reserved)) ||
	    (req->room && sockptr_is_null(buf)))
		return -EINVAL;
	k = vaal_kernel_get(ctx, req->id);
	if (!k)
		return -ENOENT;
	spin_lock_irq(&k->log_lock);
	log = k->log;
	if (log)
		refcount_inc(&log->ref);
	spin_unlock_irq(&k->log_lock);
	req->log_len = log ? log->len : 0;
	req->controller = log ? log->ctrl_id : 0;
	req->kernel_key = k->key;
	if (log && copy_to_sockptr(buf, log->text, min(req->room, log->len)))
		ret = -EFAULT;
	if (log)
		vaal_kernel_klog_put(log);
	vaal_kernel_put(k);
	return ret;
}

long vaal_ioc_kernel_log(struct vaal_ctx *ctx, void __user *uarg)
{
	struct vaal_kernel_log req;
	u32 usize;
	int ret;

	ret = vaal_copy_args(&req, sizeof(req), uarg, VAAL_KERNEL_LOG_SIZE_VER0,
			     &usize);
	if (ret)
		return ret;
	ret = vaal_kernel_log(ctx, &req,
			      USER_SOCKPTR(u64_to_user_ptr(req.addr)));
	if (ret)
		return ret;
	if (copy_to_user(uarg, &req, min_t(u32, usize, sizeof(req))))
		return -EFAULT;
	return 0;
}

/* Drop every kernel of a context that is going away. */
void vaal_kernel_release_all(struct vaal_ctx *ctx)
{
	struct vaal_kernel *k;
	unsigned long id;

	xa_for_each(&ctx->kernels, id, k) {
		xa_erase(&ctx->kernels, id);
		vaal_kernel_put(k);
	}
	xa_destroy(&ctx->kernels);
	ctx->nr_kernels = 0;
}
