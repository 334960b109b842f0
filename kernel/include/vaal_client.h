/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_client.h - contexts of vaal_core for in-kernel clients
 *
 * A client is a kernel module that uses the VAAL on behalf of someone who
 * has no file of /dev/vaal: the mediated device of a guest (vaal_mdev) is
 * the first.  A client context is a context like any other - it is counted
 * against max_contexts and its owner's max_user_contexts, its work is
 * scheduled by the cgroup of the task that created it, its buffers count
 * against the context's allowance - but its memory comes from the client:
 *
 *  - its rings live in pages the client gives (a guest's RAM, pinned);
 *  - its buffers are pages the client gives (pinned guest pages).
 *
 * The core takes its own reference on every page it is given, for as long
 * as a ring, a buffer or an in-flight kernel uses it, so a client may
 * unpin its pages once it has destroyed the buffer or closed the context:
 * no controller ever touches a freed page.
 *
 * The calls take kernel copies of the structures of <linux/vaal.h>, check
 * them exactly as the ioctls do (the ioctls run the same code) and return
 * the same errnos.  A structure's size field is the caller's, as user
 * space passes it: at least the first version's (the %..._SIZE_VER0 of
 * <linux/vaal.h>; -EINVAL below), fields past it zero as the ioctls make
 * them; out, it is clamped to the kernel's.  They may sleep, and must be
 * called from the task that created the context (or one sharing its mm),
 * as the ioctls must: the context's workers and polling thread are threads
 * of that process, so their CPU time is charged to its cgroups; from
 * another task they fail with -EIO, as the ioctls do (the only errno not
 * listed below).  Exceptions, callable from any task (an administrator's
 * write to sysfs, the exit path of the process, where current->mm is
 * already NULL): vaal_client_close(), vaal_client_sched_attr() (as the
 * SCHED ioctls serve any holder of the file), vaal_client_notify(),
 * vaal_client_stats(), vaal_client_query() and
 * vaal_client_query_controllers().
 *
 * Privileges (CAP_SYS_NICE for a reservation or %VAAL_SETUP_SQPOLL) are
 * those of the current task's subjective credentials, current_cred(), as
 * for the ioctls: a client acting for an administrator may
 * override_creds() with the administrator's credentials around the call.
 */
#ifndef _VAAL_CLIENT_H
#define _VAAL_CLIENT_H

#include <linux/types.h>
#include <linux/wait.h>
#include <linux/vaal.h>

struct page;
struct vaal_ctx;

/* Longest label of a client context, NUL included. */
#define VAAL_CLIENT_LABEL_LEN	48

/**
 * vaal_client_open - a new context for the current task
 * @label: who the context belongs to, shown with the context in vcore_sched's
 *	debugfs tables and vaalctl (e.g. "mdev:UUID"); copied, cut at
 *	%VAAL_CLIENT_LABEL_LEN - 1 bytes, each space or unprintable
 *	character made a '?'; NULL for none
 *
 * Return: the context, or ERR_PTR(-EMFILE), ERR_PTR(-EDQUOT),
 * ERR_PTR(-ENOMEM) as open() of /dev/vaal fails; ERR_PTR(-EINVAL) from a
 * kernel thread (no mm).
 */
struct vaal_ctx *vaal_client_open(const char *label);

/**
 * vaal_client_close - close a context, as closing its file does
 * @ctx: the context
 *
 * Work not running yet is cancelled; running work finishes on its own and
 * posts nothing.  Remove the notifier first (one left is removed, with a
 * warning).  @ctx must not be used after.
 */
void vaal_client_close(struct vaal_ctx *ctx);

/**
 * vaal_client_close_wait - vaal_client_close(), then wait until no work of
 *	the context holds a unit of a controller any more
 * @ctx: the context
 *
 * For a client that gives its pages back to their owner once the context
 * is closed (vaal_mdev's device reset, <linux/vaal_pci.h>): when it returns
 * 0, no controller touches the context's rings or buffers any more, work
 * run past its deadline included.  Waits killably; -EINTR when a fatal
 * signal came first (the context is closed all the same, its running work
 * finishes on its own).  Not from a context that may not wait on a
 * controller (a dma_unmap callback: vaal_client_close() there).
 *
 * Return: 0 or -EINTR.
 */
int vaal_client_close_wait(struct vaal_ctx *ctx);

/**
 * vaal_client_query - %VAAL_IOC_QUERY
 * @ctx: the context
 * @q: in: @q->size and @q->flags as user space passes them; out: filled
 *
 * Return: 0 or -EINVAL.
 */
int vaal_client_query(struct vaal_ctx *ctx, struct vaal_query *q);

/**
 * vaal_client_query_controllers - %VAAL_IOC_QUERY_CONTROLLERS into kernel
 *	memory
 * @q: in: flags, entry_size and count (the room at @info); out: count
 * @info: room for @q->count entries of @q->entry_size bytes; @q->addr is
 *	ignored
 *
 * Return: 0, -EINVAL or -ENOMEM, as the ioctl.
 */
int vaal_client_query_controllers(struct vaal_query_controllers *q,
				  void *info);

/**
 * vaal_client_buf_create - a buffer made of the client's pages
 * @ctx: the context
 * @req: in: size, flags (0: no %VAAL_BUF_IMPORT) and length; out: handle
 *	(mmap_offset is meaningless for a client and left 0)
 * @pages: DIV_ROUND_UP(@req->length, PAGE_SIZE) pages; the buffer takes a
 *	reference on each and dirties them when it goes
 * @nr_pages: entries in @pages, which must be exactly that many
 *
 * Return: 0, -EINVAL (also for @pages NULL or not that many), -E2BIG past
 * 4 GiB, -ENOSPC past the context's allowance, -ENOMEM.
 */
int vaal_client_buf_create(struct vaal_ctx *ctx, struct vaal_buf_create *req,
			   struct page **pages, unsigned long nr_pages);

/**
 * vaal_client_buf_destroy - %VAAL_IOC_BUF_DESTROY
 * @ctx: the context
 * @req: the request, as user space passes it
 *
 * The pages go once no in-flight kernel uses them.
 *
 * Return: 0, -EINVAL, or -ENOENT for no such handle (as the ioctl).
 */
int vaal_client_buf_destroy(struct vaal_ctx *ctx,
			    const struct vaal_buf_destroy *req);

/**
 * vaal_client_kernel_register - %VAAL_IOC_KERNEL_REGISTER
 * @ctx: the context
 * @req: in: the request, blob_addr ignored; out: id
 * @blob: @req->blob_len bytes of code in kernel memory (copied), or NULL
 *	when blob_len is 0
 *
 * Return: 0 or the ioctl's errnos.
 */
int vaal_client_kernel_register(struct vaal_ctx *ctx,
				struct vaal_kernel_register *req,
				const void *blob);

/**
 * vaal_client_kernel_unregister - %VAAL_IOC_KERNEL_UNREGISTER
 * @ctx: the context
 * @req: the request
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int vaal_client_kernel_unregister(struct vaal_ctx *ctx,
				  const struct vaal_kernel_unregister *req);

/**
 * vaal_client_ring_bytes - bytes of ring memory a set up needs
 * @req: in: the set up the client will ask for (checked, sizes rounded up
 *	as %VAAL_IOC_SETUP rounds them); out: every out field filled as
 *	%VAAL_IOC_SETUP fills it, ring_bytes included
 *
 * Return: 0, -EINVAL, or -EPERM for %VAAL_SETUP_SQPOLL without
 * CAP_SYS_NICE.
 */
int vaal_client_ring_bytes(struct vaal_setup *req);

/**
 * vaal_client_setup - %VAAL_IOC_SETUP on rings in the client's pages
 * @ctx: the context
 * @req: as vaal_client_ring_bytes(); @req->max_inflight in: at most that
 *	many in flight (0 for the module's max_inflight), out: the number
 * @pages: the pages of the rings, ring_bytes / PAGE_SIZE of them: the core
 *	takes a reference on each and zeroes them
 * @nr_pages: entries in @pages
 *
 * More pages than that are fine: the rest are not used.
 *
 * Return: 0, -EBUSY when set up already, -ENOSPC for too few pages (@pages
 * NULL included), -EINVAL, -EPERM, -ENOMEM.
 */
int vaal_client_setup(struct vaal_ctx *ctx, struct vaal_setup *req,
		      struct page **pages, unsigned long nr_pages);

/**
 * vaal_client_enter - consume submissions, as %VAAL_IOC_ENTER without
 *	%VAAL_ENTER_GETEVENTS (a client waits on its own)
 * @ctx: the context
 * @to_submit: submission ring entries to consume
 * @flags: 0 or %VAAL_ENTER_SQ_WAKEUP
 *
 * Completions parked while the completion ring was full (the core never
 * drops one) also move into the room its consumer made since, and the
 * notifier is called for them: %VAAL_ENTER_GETEVENTS does that for user
 * space.  So call it, with @to_submit 0 if nothing is queued, after the
 * consumer made room in a ring whose overflow counter moved, or before the
 * consumer waits for completions.
 *
 * Return: submissions consumed, or -EINVAL, -EBUSY, -EBADFD as the ioctl.
 */
long vaal_client_enter(struct vaal_ctx *ctx, u32 to_submit, u32 flags);

/**
 * vaal_client_sched_attr - %VAAL_IOC_SCHED_SET (@set) or %VAAL_IOC_SCHED_GET
 * @ctx: the context
 * @attr: the attributes, in and out as for the ioctl
 * @set: change them
 *
 * Return: 0 or the ioctl's errnos, &vaal_sched_attr.reason set.
 */
int vaal_client_sched_attr(struct vaal_ctx *ctx, struct vaal_sched_attr *attr,
			   bool set);

/**
 * vaal_client_notify - be told when completions are posted
 * @ctx: the context
 * @wait: an entry whose function is called, from any context (interrupts
 *	off included), each time completions are posted, and only then (a
 *	client turns each call into an interrupt: a call with nothing new in
 *	the ring is a spurious one); NULL to remove the one added
 *
 * One entry per context: adding one replaces the one there.  The function
 * is called with the queue's lock held: it must not sleep
 * (eventfd_signal() does not) nor call this.  Completions posted before
 * the entry was added told nobody: look at the ring after adding it.  Once
 * vaal_client_notify(@ctx, NULL) returns, the function of the entry
 * removed is not running and is not called again, so that the client may
 * free the entry.
 */
void vaal_client_notify(struct vaal_ctx *ctx, struct wait_queue_entry *wait);

/**
 * struct vaal_client_stats - a client context's counters
 * @submitted: submissions consumed
 * @completed: completions posted
 * @inflight: submitted, completion not in the ring yet
 * @nr_bufs: buffers held
 * @buf_bytes: bytes of them
 * @id: the context's id, as vcore_sched's tables show it
 */
struct vaal_client_stats {
	u64 submitted;
	u64 completed;
	u32 inflight;
	u32 nr_bufs;
	u64 buf_bytes;
	u64 id;
};

/**
 * vaal_client_stats - read a context's counters
 * @ctx: the context
 * @st: filled
 */
void vaal_client_stats(struct vaal_ctx *ctx, struct vaal_client_stats *st);

#endif /* _VAAL_CLIENT_H */
