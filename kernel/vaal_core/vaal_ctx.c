// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ctx.c - contexts: one for each open file of /dev/vaal, alive until
 * the file is closed and its last job is gone
 *
 * The number of contexts alive at once is bounded by the max_contexts
 * module parameter, and the number one user (the opener's effective uid)
 * holds by max_user_contexts, so that no user can take them all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "vaal_internal.h"

unsigned int vaal_max_contexts = 1024;
module_param_named(max_contexts, vaal_max_contexts, uint, 0644);
MODULE_PARM_DESC(max_contexts, "Contexts (open files of /dev/vaal) admitted at once (default 1024)");

unsigned int vaal_max_user_contexts = 256;
module_param_named(max_user_contexts, vaal_max_user_contexts, uint, 0644);
MODULE_PARM_DESC(max_user_contexts, "Contexts one user (effective uid) may hold at once (default 256)");

/**
 * struct vaal_user - the contexts one user holds
 * @node: entry in vaal_users
 * @uid: the user
 * @nr_contexts: contexts alive that the user opened; the entry goes with
 *	the last
 */
struct vaal_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int nr_contexts;
};

static DEFINE_HASHTABLE(vaal_users, 6);
static DEFINE_SPINLOCK(vaal_users_lock);	/* protects vaal_users */

static struct vaal_user *vaal_user_find(kuid_t uid)
{
	struct vaal_user *user;

	hash_for_each_possible(vaal_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

/*
 * Count one more context of the current user: the user's entry, or
 * ERR_PTR(-EDQUOT) when the user holds max_user_contexts already.
 */
static struct vaal_user *vaal_user_get(void)
{
	struct vaal_user *new, *user;
	kuid_t uid = current_euid();

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return ERR_PTR(-ENOMEM);
	spin_lock(&vaal_users_lock);
	user = vaal_user_find(uid);
	if (!user) {
		user = new;
		new = NULL;
		user->uid = uid;
		hash_add(vaal_users, &user->node, __kuid_val(uid));
	}
	if (user->nr_contexts >= READ_ONCE(vaal_max_user_contexts))
		user = ERR_PTR(-EDQUOT);
	else
		user->nr_contexts++;
	spin_unlock(&vaal_users_lock);
	kfree(new);
	return user;
}

static void vaal_user_put(struct vaal_user *user)
{
	spin_lock(&vaal_users_lock);
	if (!--user->nr_contexts)
		hash_del(&user->node);
	else
		user = NULL;
	spin_unlock(&vaal_users_lock);
	kfree(user);
}

/**
 * vaal_user_contexts - contexts the current user holds
 *
 * Return: the count, for QUERY.
 */
unsigned int vaal_user_contexts(void)
{
	struct vaal_user *user;
	unsigned int n;

	spin_lock(&vaal_users_lock);
	user = vaal_user_find(current_euid());
	n = user ? user->nr_contexts : 0;
	spin_unlock(&vaal_users_lock);
	return n;
}

/*
 * A client's label into @dst: at most VAAL_SCHED_LABEL_LEN - 1 bytes, each
 * character that is not printable or is a space made a '?', so that it is
 * one word of the tables that show it.
 */
static void vaal_ctx_label(char *dst, const char *label)
{
	size_t i;

	strscpy(dst, label, VAAL_SCHED_LABEL_LEN);
	for (i = 0; dst[i]; i++)
		if (!isgraph((unsigned char)dst[i]))
			dst[i] = '?';
}

/**
 * vaal_ctx_new - a new context for the current task
 * @vdev: the device
 * @label: the owner of a client's context (copied), NULL for a file's
 *
 * Return: the context, or ERR_PTR(-EMFILE) past max_contexts,
 * ERR_PTR(-EDQUOT) past the user's max_user_contexts, ERR_PTR(-ENOMEM).
 */
struct vaal_ctx *vaal_ctx_new(struct vaal_device *vdev, const char *label)
{
	struct vaal_user *user;
	struct vaal_ctx *ctx;
	int ret;

	if (atomic_inc_return(&vdev->nr_contexts) > READ_ONCE(vaal_max_contexts)) {
		ret = -EMFILE;
		goto out_uncount;
	}
	user = vaal_user_get();
	if (IS_ERR(user)) {
		ret = PTR_ERR(user);
		goto out_uncount;
	}
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx) {
		ret = -ENOMEM;
		goto out_put_user;
	}
	ctx->vdev = vdev;
	ctx->user = user;
	if (label)
		vaal_ctx_label(ctx->sched.label, label);
	xa_init_flags(&ctx->bufs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->kernels, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	kref_init(&ctx->ref);
	ctx->mm = current->mm;
	mmgrab(ctx->mm);
	mutex_init(&ctx->submit_lock);
	spin_lock_init(&ctx->job_lock);
	vaal_hz_init(&ctx->hz);
	init_waitqueue_head(&ctx->cq_wait);
	vaal_workers_init(ctx);
	vaal_sched_ctx_init(ctx);
	return ctx;

out_put_user:
	vaal_user_put(user);
out_uncount:
	atomic_dec(&vdev->nr_contexts);
	return ERR_PTR(ret);
}

static void vaal_ctx_release(struct kref *ref)
{
	struct vaal_ctx *ctx = container_of(ref, struct vaal_ctx, ref);

	/* Every job is gone: nothing holds a buffer but the handles. */
	vaal_buf_release_all(ctx);
	WARN_ON_ONCE(atomic_read(&ctx->nr_bufs));
	vaal_ring_free(ctx);
	vaal_sched_ctx_exit(ctx);
	mmdrop(ctx->mm);
	vaal_user_put(ctx->user);
	atomic_dec(&ctx->vdev->nr_contexts);
	kfree(ctx);
	module_put(THIS_MODULE);
}

/*
 * Drop a reference to a context; may sleep.  A client waiting for the
 * work of a closed context to go (vaal_client_close_wait()) holds a
 * reference of its own and is woken as the others go: the wake-up only
 * hashes the address, so it is safe even once the context is freed.
 */
void vaal_ctx_put(struct vaal_ctx *ctx)
{
	if (kref_put(&ctx->ref, vaal_ctx_release))
		return;
	/* Orders the drop before the waiters' check (a no-op on x86). */
	smp_mb__after_atomic();
	wake_up_var(&ctx->ref);
}

/**
 * vaal_ctx_close - the context's file is closed, or its client closed it
 * @ctx: the context
 *
 * Its controller goes, work that has not started is cancelled, parked
 * completions are dropped; the context lives on until its running work
 * completes.
 */
void vaal_ctx_close(struct vaal_ctx *ctx)
{
	vaal_uctrl_release(ctx);
	vaal_sq_thread_stop(ctx);
	vaal_cq_close(ctx);
	vaal_workers_stop(ctx);
	vaal_kernel_release_all(ctx);
	/* Work that outlives the file needs the module's code. */
	__module_get(THIS_MODULE);
	vaal_ctx_put(ctx);
}

