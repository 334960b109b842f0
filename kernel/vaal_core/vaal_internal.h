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
#include <linux/xarray.h>

#include <linux/vaal.h>
#include <vaal_sched.h>
#include "vaal_hazard.h"

/**
 * struct vaal_device - the one /dev/vaal instance
 * @misc: the misc character device
 * @nr_contexts: contexts alive (open files)
 * @sched_lock: protects @policies and @nr_policies
 * @policies: registered &struct vaal_sched_policy, by registration order
 * @nr_policies: entries in @policies
 */
struct vaal_device {
	struct miscdevice misc;
	atomic_t nr_contexts;
	struct mutex sched_lock;
	struct list_head policies;
	unsigned int nr_policies;
};

/**
 * struct vaal_ctx - one context: the state behind one open file of /dev/vaal
 * @vdev: the device the context belongs to
 * @bufs: buffers by handle (from 1)
 * @nr_bufs: buffers held, handles or not, against vaal_max_buffers
 * @buf_bytes: bytes of those buffers, against vaal_max_buffer_bytes
 * @lock: serializes changes to @kernels
 * @kernels: registered kernels by id (from 1)
 * @nr_kernels: entries in @kernels, against vaal_max_kernels
 */
struct vaal_ctx {
	struct vaal_device *vdev;
	struct xarray bufs;
	atomic_t nr_bufs;
	atomic64_t buf_bytes;
	struct mutex lock;
	struct xarray kernels;
	unsigned int nr_kernels;
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
};

/**
 * struct vaal_buf - a buffer
 * @ref: held by the handle, each mapping and each in-flight kernel
 * @ctx: the owning context; outlives the buffer (mappings pin its file)
 * @pages: the pages
 * @nr_pages: entries in @pages
 * @vaddr: kernel mapping of @pages
 * @length: bytes (@nr_pages pages)
 * @imported: @pages belong to a memfd (references held), not to the buffer
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
extern unsigned long long vaal_max_buffer_bytes;
extern unsigned int vaal_max_buffers;
extern unsigned int vaal_max_kernels;

long vaal_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int vaal_copy_args(void *karg, size_t ksize, void __user *uarg, u32 min_size,
		   u32 *usize);
unsigned int vaal_sched_nr_policies(struct vaal_device *vdev);

long vaal_ioc_buf_create(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_buf_destroy(struct vaal_ctx *ctx, void __user *uarg);
void vaal_buf_put(struct vaal_buf *buf);
void vaal_buf_release_all(struct vaal_ctx *ctx);
int vaal_mmap(struct file *file, struct vm_area_struct *vma);

long vaal_ioc_kernel_register(struct vaal_ctx *ctx, void __user *uarg);
long vaal_ioc_kernel_unregister(struct vaal_ctx *ctx, void __user *uarg);
void vaal_kernel_put(struct vaal_kernel *k);
void vaal_kernel_release_all(struct vaal_ctx *ctx);

#endif /* _VAAL_INTERNAL_H */
