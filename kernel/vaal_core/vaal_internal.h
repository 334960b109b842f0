/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_internal.h - state shared by the files of vaal_core.ko
 */
#ifndef _VAAL_INTERNAL_H
#define _VAAL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sockptr.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/vaal.h>
#include <vaal_ctrl.h>
#include <vaal_sched.h>
#include "vaal_cq.h"
#include "vaal_hazard.h"
#include "vaal_job.h"

/* A buffer's mmap() offset is its handle shifted by this much. */
#define VAAL_BUF_MMAP_SHIFT	32

/* Accelerator classes the core knows at most (each has a controller). */
#define VAAL_MAX_CLASSES	VAAL_SCHED_MAX_CLASSES
#define VAAL_MAX_WORKERS	8	/* owner threads of a context */

/**
 * struct vaal_class - an accelerator class: its controllers and the work
 *	ready for them
 * @name: the class name
 * @id: index in vaal_classes[]
 * @policy: the scheduling policy ordering @sched's queue
 * @sched: the policy's state for the class: the ready jobs not on a
 *	unit yet
 * @lock: protects everything below, and the core's fields of the
 *	controllers
 * @nr_queued: jobs in @sched's queue
 * @nr_units: units of @ctrls, dying ones included (they keep their numbers)
 * @ctrls: registered controllers
 * @dispatching: a task is handing out work; others only queue theirs
 */
struct vaal_class {
	char name[VAAL_CLASS_LEN];
	unsigned int id;
	const struct vaal_sched_policy *policy;
	void *sched;
	spinlock_t lock;
	unsigned int nr_queued;
	unsigned int nr_units;
	struct list_head ctrls;
	bool dispatching;
};

/**
 * struct vaal_sq_ring - the submission ring's indices, as shared with user
 *	space (the entries follow elsewhere in the mapping)
 * @head: consumer index, written by the kernel
 * @tail: producer index, written by user space
 * @dropped: malformed submissions (each also posted its error)
 * @flags: %VAAL_SQ_* flags, written by the kernel
 */
struct vaal_sq_ring {
	u32 head;
	u32 tail;
	u32 dropped;
	u32 flags;
};

/**
 * struct vaal_class_stats - what a context's launches did on a class
 * @completed: launches completed
 * @device_ns: time they held units
 */
struct vaal_class_stats {
	u64 completed;
	u64 device_ns;
};

struct vaal_uctrl;
struct vaal_user;
struct vhost_task;

/**
 * struct vaal_device - the one /dev/vaal instance
 * @misc: the misc character device
 * @nr_contexts: contexts alive (open files)
 * @sched_lock: protects @policies, @nr_policies and @default_policy, and
 *	serializes changes of the classes' policies
 * @policies: registered &struct vaal_sched_policy, by registration order
 * @nr_policies: entries in @policies
 * @default_policy: the policy of new classes (the FIFO without one)
 * @ctx_lock: protects @contexts
 * @contexts: every context alive, by &vaal_ctx.node
 */
struct vaal_device {
	struct miscdevice misc;
	atomic_t nr_contexts;
	struct mutex sched_lock;
	struct list_head policies;
	unsigned int nr_policies;
	struct vaal_sched_policy *default_policy;
	spinlock_t ctx_lock;
	struct list_head contexts;
};

/**
 * struct vaal_ctx - one context: the state behind one open file of /dev/vaal,
 *	or of an in-kernel client (vaal_client.c)
 * @vdev: the device the context belongs to
 * @node: entry in &vaal_device.contexts
 * @sched: the context as scheduling policies see it
 * @bufs: buffers by handle (from 1)
 * @nr_bufs: buffers held, handles or not, against vaal_max_buffers
 * @buf_bytes: bytes of those buffers, against vaal_max_buffer_bytes
 * @lock: serializes changes to @kernels and the set up of the rings
 * @kernels: registered kernels by id (from 1)
 * @nr_kernels: entries in @kernels, against vaal_max_kernels
 * @ref: held by the file and by each job
 * @mm: the address space of the task that opened the context; others are
 *	refused (a forked child's inherited fd included)
 * @submit_lock: one submitter at a time
 * @rings: the shared rings, once set up
 * @ring_pages: the pages of @rings
 * @nr_ring_pages: entries in @ring_pages
 * @ring_lent: @ring_pages are a client's (a reference held on each), not
 *	the context's
 * @sq: the submission ring's indices
 * @sqes: the submission ring's entries
 * @sq_entries: entries in @sqes
 * @sq_head: the submission ring's head, the kernel's copy
 * @max_inflight: jobs in flight at most
 * @ordered: completions retire in submission order
 * @rename: whole-buffer outputs of busy buffers are renamed
 * @sq_thread: the polling submission thread of a %VAAL_SETUP_SQPOLL
 *	context, a thread of the process that set it up (as vhost's workers
 *	are of QEMU's): its CPU time and memory are charged to that process's
 *	cgroups
 * @sq_idle: jiffies it polls without work before it sleeps
 * @sq_idle_until: when it sleeps if no work comes
 * @sq_cpu: the CPU it runs on, with @sq_aff
 * @sq_aff: bind it to @sq_cpu (done by the thread itself, at its start)
 * @workers: threads of the context's process that run controllers' work
 *	for it (vaal_work_run_in_owner()), so that CFS charges that CPU time
 *	to the process's cgroup
 * @nr_workers: entries in @workers
 * @next_worker: the one to wake next
 * @work_lock: protects @works and @workers_dead
 * @works: work waiting for a worker, by &vaal_work.node
 * @workers_dead: the workers stopped or were killed: take no more
 * @job_lock: protects everything below (completions come from any context)
 * @hz: the scoreboard
 * @cq: the completion ring
 * @rob: the reorder buffer of an ordered context
 * @nr_inflight: jobs submitted whose completion is not in the ring yet
 * @dead: the file is closed: work that is not running yet is cancelled
 * @submitted: jobs submitted
 * @completed: completions posted
 * @stats: per class, what the context's launches did
 * @cq_wait: tasks waiting for completions, and a client's notifier
 * @notify: the client's entry on @cq_wait, or NULL; under @cq_wait's lock
 * @uctrl: the user-space controller this file registered, or NULL
 * @user: the user who opened it, whose contexts it counts among
 */
struct vaal_ctx {
	struct vaal_device *vdev;
	struct list_head node;
	struct vaal_sched_ctx sched;
	struct xarray bufs;
	atomic_t nr_bufs;
	atomic64_t buf_bytes;
	struct mutex lock;
	struct xarray kernels;
	unsigned int nr_kernels;
	struct kref ref;
	struct mm_struct *mm;

	struct mutex submit_lock;
	void *rings;
	struct page **ring_pages;
	unsigned int nr_ring_pages;
	bool ring_lent;
	struct vaal_sq_ring *sq;
	struct vaal_sqe *sqes;
	u32 sq_entries;
	u32 sq_head;
	u32 max_inflight;
	bool ordered;
	bool rename;
	struct vhost_task *sq_thread;
	unsigned long sq_idle;
	unsigned long sq_idle_until;
	u32 sq_cpu;
	bool sq_aff;
	struct vhost_task *workers[VAAL_MAX_WORKERS];
	unsigned int nr_workers;
	unsigned int next_worker;
	spinlock_t work_lock;
	struct list_head works;
	bool workers_dead;

	spinlock_t job_lock;
	struct vaal_hz hz;
	struct vaal_cq cq;
	struct vaal_rob rob;
	unsigned int nr_inflight;
	bool dead;
	u64 submitted;
	u64 completed;
	struct vaal_class_stats stats[VAAL_MAX_CLASSES];
	wait_queue_head_t cq_wait;
	struct wait_queue_entry *notify;
	struct vaal_uctrl *uctrl;
	struct vaal_user *user;
};

/**
 * struct vaal_kernel - a registered kernel
 * @ref: held by the id and by each in-flight launch
 * @class: accelerator class
 * @name: function name
 * @nr_args: buffer arguments
 * @scalar_bytes: bytes of scalar arguments
 * @arg_mode: %VAAL_ARG_* of each buffer argument
 * @blob: code for the controller, or NULL
 * @blob_len: bytes at @blob
 * @id: id in the context
 * @timeout_ns: deadline of a launch on a unit
 * @cls: its class, once a launch found it
 * @key: unique among the kernels registered since the module was loaded,
 *	never reused: what controllers that load code know it by
 * @handed: a user-space controller that asks for gone keys was handed
 *	work of it (%VAAL_PULL_GONE): tell it when the kernel goes
 * @log_lock: protects @log
 * @log: what a controller attached (%VAAL_COMPLETE_LOG), or NULL
 */
struct vaal_kernel {
	struct kref ref;
	char class[VAAL_CLASS_LEN];
	char name[VAAL_NAME_LEN];
	u32 nr_args;
	u32 scalar_bytes;
	u8 arg_mode[VAAL_MAX_ARGS];
	void *blob;
	u32 blob_len;
	u32 id;
	u64 timeout_ns;
	struct vaal_class *cls;
	u64 key;
	bool handed;
	spinlock_t log_lock;
	struct vaal_kernel_klog *log;
};

/**
 * struct vaal_kernel_klog - a kernel's log, as a controller attached it
 * @ref: held by the kernel and by each reader copying it out
 * @len: bytes at @text
 * @ctrl_id: the controller that attached it
 * @text: the log, not NUL-terminated
 */
struct vaal_kernel_klog {
	refcount_t ref;
	u32 len;
	u32 ctrl_id;
	char text[];
};

/**
 * struct vaal_buf - a buffer
 * @ref: held by the handle, each mapping and each in-flight kernel
 * @ctx: the owning context; outlives the buffer (mappings pin its file)
 * @pages: the pages
 * @nr_pages: entries in @pages
 * @vaddr: kernel mapping of @pages
 * @length: bytes (@nr_pages pages)
 * @imported: @pages belong to a memfd or to a client (references held),
 *	not to the buffer
 * @hz: hazard scoreboard state
 */
struct vaal_buf {
	struct kref ref;
	struct vaal_ctx *ctx;
	struct page **pages;
	unsigned long nr_pages;
	void *vaddr;
	u64 length;
	bool imported;
	struct vaal_hz_buf hz;
};

extern struct vaal_device vaal_dev;
extern unsigned int vaal_max_contexts;
extern unsigned int vaal_max_user_contexts;
extern unsigned long long vaal_max_buffer_bytes;
extern unsigned int vaal_max_buffers;
extern unsigned int vaal_max_kernels;
extern unsigned int vaal_max_inflight;
extern unsigned int vaal_default_timeout_ms;

long vaal_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * vaal_copy_args - copy in an ioctl argument that starts with its own size
 * @karg: the kernel's copy, @ksize bytes
 * @ksize: sizeof the structure as this kernel knows it
 * @uarg: user space's copy; its first __u32 is the size it knows
 * @min_size: size of the structure's first published version
 * @usize: the size user space gave, for copying results back
 *
 * Fields past the end of user space's structure read as zero; fields past
 * the end of the kernel's must be zero.
 *
 * Return: 0, -EFAULT, -EINVAL for a size below @min_size, or -E2BIG for
 * non-zero bytes this kernel does not know.
 */
static inline int vaal_copy_args(void *karg, size_t ksize, void __user *uarg,
				 u32 min_size, u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min_size)
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

/*
 * A context belongs to the process that opened it, as a VM does: calls
 * from another address space (a forked child's inherited fd included) are
 * refused with -EIO.
 */
static inline bool vaal_ctx_owned(const struct vaal_ctx *ctx)
{
	return current->mm == ctx->mm;
}

/*
 * Each command has a core taking the kernel's copy of its argument, which
 * runs every check: the ioctl copies in and out around it, an in-kernel
 * client (vaal_client.c) calls it directly.
 */
int vaal_query(struct vaal_ctx *ctx, struct vaal_query *q);

/* vaal_sched.c */
unsigned int vaal_sched_nr_policies(struct vaal_device *vdev);
const struct vaal_sched_policy *vaal_sched_default(struct vaal_device *vdev);
void vaal_sched_ctx_init(struct vaal_ctx *ctx);
void vaal_sched_ctx_exit(struct vaal_ctx *ctx);
int vaal_sched_attr_check(const struct vaal_sched_attr *attr, bool set);
int vaal_sched_attr(struct vaal_ctx *ctx, struct vaal_sched_attr *attr,
		    bool set);
long vaal_ioc_sched_attr(struct vaal_ctx *ctx, void __user *uarg, bool set);

int vaal_buf_create(struct vaal_ctx *ctx, struct vaal_buf_create *req,
		    struct page **pages, unsigned long nr_pages);
int vaal_buf_destroy(struct vaal_ctx *ctx, const struct vaal_buf_destroy *req);
long vaal_ioc_buf_create(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_buf_destroy(struct vaal_ctx *ctx, void __user *uarg);
void vaal_buf_put(struct vaal_buf *buf);
void vaal_buf_release_all(struct vaal_ctx *ctx);
int vaal_buf_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma);

int vaal_kernel_register(struct vaal_ctx *ctx,
			 struct vaal_kernel_register *req, sockptr_t blob);
int vaal_kernel_unregister(struct vaal_ctx *ctx,
			   const struct vaal_kernel_unregister *req);
long vaal_ioc_kernel_register(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_kernel_unregister(struct vaal_ctx *ctx, void __user *uarg);
void vaal_kernel_put(struct vaal_kernel *k);
int vaal_kernel_log(struct vaal_ctx *ctx, struct vaal_kernel_log *req,
		    sockptr_t buf);
long vaal_ioc_kernel_log(struct vaal_ctx *ctx, void __user *uarg);
struct vaal_kernel_klog *vaal_kernel_klog_new(sockptr_t text, u32 len,
					      u32 ctrl_id);
void vaal_kernel_klog_put(struct vaal_kernel_klog *log);
void vaal_kernel_set_log(struct vaal_kernel *k, struct vaal_kernel_klog *log);
void vaal_kernel_release_all(struct vaal_ctx *ctx);
struct vaal_kernel *vaal_kernel_get(struct vaal_ctx *ctx, u32 id);
struct vaal_buf *vaal_buf_get(struct vaal_ctx *ctx, u32 handle);
struct vaal_buf *vaal_buf_version(struct vaal_buf *buf);

/* vaal_ctx.c */
struct vaal_ctx *vaal_ctx_new(struct vaal_device *vdev, const char *label);
void vaal_ctx_close(struct vaal_ctx *ctx);
void vaal_ctx_put(struct vaal_ctx *ctx);
unsigned int vaal_user_contexts(void);

/* vaal_ring.c */
int vaal_setup_layout(struct vaal_setup *req);
int vaal_setup(struct vaal_ctx *ctx, struct vaal_setup *req,
	       struct page **pages, unsigned long nr_pages,
	       void __user *uarg, u32 usize);
long vaal_ioc_setup(struct vaal_ctx *ctx, void __user *uarg);
int vaal_ring_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma);
void vaal_ring_free(struct vaal_ctx *ctx);

/* vaal_submit.c */
long vaal_enter_nowait(struct vaal_ctx *ctx, const struct vaal_enter *req);
long vaal_ioc_enter(struct vaal_ctx *ctx, void __user *uarg);
int vaal_sq_thread_create(struct vaal_ctx *ctx, const struct vaal_setup *req);
void vaal_sq_thread_stop(struct vaal_ctx *ctx);

/* vaal_worker.c */
extern unsigned int vaal_owner_workers;
void vaal_workers_init(struct vaal_ctx *ctx);
int vaal_workers_create(struct vaal_ctx *ctx);
void vaal_workers_stop(struct vaal_ctx *ctx);

/* vaal_job.c */
void vaal_job_submit(struct vaal_ctx *ctx, struct vaal_job *job,
		     struct list_head *dispatch);
void vaal_job_finish(struct vaal_job *job, int res, u64 device_ns,
		     bool on_unit, struct list_head *dispatch);
void vaal_job_unit_done(struct vaal_job *job, int res, u64 device_ns,
			bool timed_out, struct list_head *dispatch);
void vaal_job_free(struct vaal_job *job);
void vaal_job_submit_copy(struct vaal_ctx *ctx, struct vaal_job *copy,
			  struct list_head *dispatch);
void vaal_job_queue_copy(struct vaal_job *job);

void vaal_job_exit(void);

/* vaal_completion.c */
bool vaal_may_sleep(void);
void vaal_jobs_release(struct list_head *list, bool may_sleep);
void vaal_job_retire(struct vaal_ctx *ctx, struct vaal_job *job,
		     const struct vaal_cqe *cqe, struct list_head *free);
unsigned int vaal_cq_flush_ctx(struct vaal_ctx *ctx, bool may_sleep);
void vaal_cq_close(struct vaal_ctx *ctx);
void vaal_cq_wake(struct vaal_ctx *ctx);
int vaal_cq_wait(struct vaal_ctx *ctx, u32 min_complete, u64 timeout_ns,
		 bool timed);
__poll_t vaal_cq_poll(struct vaal_ctx *ctx, struct file *file,
		      struct poll_table_struct *wait);
void vaal_completion_exit(void);

/* vaal_ctrl.c */
void vaal_dispatch(struct list_head *jobs);
unsigned int vaal_nr_controllers(void);
void vaal_ctrl_exit(void);
extern struct mutex vaal_ctrl_mutex;
extern struct vaal_class *vaal_classes[VAAL_MAX_CLASSES];
struct vaal_class *vaal_class_at(unsigned int i);
struct vaal_class *vaal_class_find(const char *name);
void vaal_class_kick(struct vaal_class *cls);

void vaal_work_requeue(struct vaal_work *work);
int vaal_query_controllers(struct vaal_query_controllers *q, sockptr_t info);
long vaal_ioc_query_controllers(void __user *uarg);
void vaal_controller_stop(struct vaal_controller *ctrl);

extern struct vaal_sched_policy vaal_fifo_policy;

/* vaal_uctrl.c */
long vaal_ioc_ctrl_register(struct vaal_ctx *ctx, struct file *file,
			    void __user *uarg);
long vaal_ioc_ctrl_pull(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_ctrl_complete(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_ctrl_blob(struct vaal_ctx *ctx, void __user *uarg);
void vaal_uctrl_kernel_gone(u64 key);
bool vaal_uctrl_pgoff(unsigned long pgoff);
bool vaal_uctrl_registered(struct vaal_ctx *ctx);
int vaal_uctrl_mmap(struct vaal_ctx *ctx, struct vm_area_struct *vma);
__poll_t vaal_uctrl_poll(struct vaal_ctx *ctx, struct file *file,
			 struct poll_table_struct *wait);
void vaal_uctrl_release(struct vaal_ctx *ctx);

/* vaal_sysfs.c */
int vaal_sysfs_init(struct vaal_device *vdev);
void vaal_sysfs_exit(void);
int vaal_sysfs_add_ctrl(struct vaal_controller *ctrl);
void vaal_sysfs_del_ctrl(struct vaal_controller *ctrl);

#endif /* _VAAL_INTERNAL_H */
