// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_mdev_cmd.c - the commands of the VAAL PCI device
 *
 * A command runs synchronously in the write of %VAAL_PCI_REG_CMD_DOORBELL,
 * in the VMM's thread that does the write: the host contexts it creates
 * are that process's, charged to its cgroups.  The command is copied in
 * from guest memory, checked field by field, run, and copied back with
 * its results and status.
 *
 * The arguments that carry a structure of <linux/vaal.h> are taken as the
 * ioctls take them (vaal_mdev_args_in()): its size field at least the
 * first version's, bytes past what this kernel knows zero (-E2BIG),
 * fields past the guest's size zero.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vaal_mdev.h"

static_assert(sizeof(struct vaal_pci_cmd) == VAAL_PCI_CMD_SIZE);

typedef int (*vaal_mdev_cmd_fn)(struct vaal_mdev_state *st,
				struct vaal_mdev_ctx *mc,
				struct vaal_pci_cmd *cmd);

/*
 * Take an argument structure that starts with its size from the
 * command's @raw bytes (@room of them may belong to it) into @karg
 * (@ksize bytes, its size field set to @ksize); the guest's size in @usize.
 */
static int vaal_mdev_args_in(void *karg, size_t ksize, const void *raw,
			     size_t room, u32 min_size, u32 *usize)
{
	*usize = *(const u32 *)raw;
	if (*usize < min_size || *usize > room)
		return -EINVAL;
	if (*usize > ksize && memchr_inv(raw + ksize, 0, *usize - ksize))
		return -E2BIG;
	memset(karg, 0, ksize);
	memcpy(karg, raw, min_t(size_t, *usize, ksize));
	*(u32 *)karg = ksize;
	return 0;
}

/* Copy the result back: the fields the guest knows, its size unchanged. */
static void vaal_mdev_args_out(void *raw, const void *karg, size_t ksize,
			       u32 usize)
{
	memcpy(raw, karg, min_t(size_t, usize, ksize));
	*(u32 *)raw = usize;
}

#define VAAL_MDEV_ROOM	sizeof_field(struct vaal_pci_cmd, u)

static int vaal_mdev_cmd_ctx_publish(struct vaal_mdev_state *st,
				     struct vaal_mdev_ctx *mc)
{
	down_write(&st->db_sem);
	st->ctxs[mc->slot] = mc;
	up_write(&st->db_sem);
	WRITE_ONCE(st->nr_ctxs, st->nr_ctxs + 1);
	return 0;
}

/*
 * The core tells of completions: the guest's CQ vector, when the
 * completion ring's tail moved since the last signal (a call with nothing
 * new in the ring would be a spurious interrupt).  Under the queue's lock.
 */
static int vaal_mdev_cq_wake(struct wait_queue_entry *wait, unsigned int mode,
			     int sync, void *key)
{
	struct vaal_mdev_ctx *mc = container_of(wait, struct vaal_mdev_ctx,
						wait);
	/* Pairs with the release in vaal_mdev_setup_rings(). */
	struct page *page = smp_load_acquire(&mc->cq_tail_page);
	u32 *p, tail;

	if (!page)
		return 0;
	p = kmap_local_page(page);
	/* Pairs with the core's release of the tail: the entries are there. */
	tail = smp_load_acquire(&p[mc->cq_tail_off / sizeof(u32)]);
	kunmap_local(p);
	if (tail != mc->cq_seen) {
		mc->cq_seen = tail;
		vaal_mdev_signal(mc->st, VAAL_PCI_VEC_CQ);
	}
	return 0;
}

static int vaal_mdev_cmd_ctx_create(struct vaal_mdev_state *st,
				    struct vaal_mdev_ctx *unused,
				    struct vaal_pci_cmd *cmd)
{
	struct vaal_pci_ctx_create *c = &cmd->u.ctx_create;
	struct vaal_client_stats stats;
	struct vaal_mdev_ctx *mc;
	unsigned int slot;
	int ret;

	if (c->flags & ~VAAL_PCI_CTX_FLAGS_ALL || c->reserved[0] ||
	    c->reserved[1])
		return -EINVAL;
	for (slot = 0; slot < st->type->max_contexts; slot++)
		if (!st->ctxs[slot])
			break;
	if (slot == st->type->max_contexts)
		return -EMFILE;
	mc = kzalloc(sizeof(*mc), GFP_KERNEL_ACCOUNT);
	if (!mc)
		return -ENOMEM;
	mc->st = st;
	mc->slot = slot;
	mc->flags = c->flags;
	xa_init(&mc->bufs);
	/* The VMM's thread: the context is the VMM's, in its cgroups. */
	mc->ctx = vaal_client_open(st->label);
	if (IS_ERR(mc->ctx)) {
		ret = PTR_ERR(mc->ctx);
		goto out_free;
	}
	ret = vaal_mdev_reserve_apply(st, mc->ctx);
	if (ret)
		goto out_close;
	if (!(mc->flags & VAAL_PCI_CTX_NO_IRQ)) {
		init_waitqueue_func_entry(&mc->wait, vaal_mdev_cq_wake);
		vaal_client_notify(mc->ctx, &mc->wait);
	}
	vaal_client_stats(mc->ctx, &stats);
	c->slot = slot;
	c->id = stats.id;
	return vaal_mdev_cmd_ctx_publish(st, mc);

out_close:
	vaal_client_close(mc->ctx);
out_free:
	kfree(mc);
	return ret;
}

static int vaal_mdev_cmd_ctx_destroy(struct vaal_mdev_state *st,
				     struct vaal_mdev_ctx *mc,
				     struct vaal_pci_cmd *cmd)
{
	vaal_mdev_ctx_destroy(st, mc, true);
	return 0;
}

/*
 * The controllers of the classes the type offers, at most @max of them
 * into @out (may be NULL): how many there are.
 */
static int vaal_mdev_controllers(struct vaal_mdev_state *st,
				 struct vaal_controller_info *out, u32 max)
{
	struct vaal_query_controllers q = {
		.size = sizeof(q),
		.entry_size = sizeof(*out),
	};
	struct vaal_controller_info *all;
	u32 i, room, n = 0;
	int ret;

	ret = vaal_client_query_controllers(&q, NULL);
	if (ret)
		return ret;
	if (!q.count)
		return 0;
	room = q.count;
	all = kcalloc(room, sizeof(*all), GFP_KERNEL);
	if (!all)
		return -ENOMEM;
	ret = vaal_client_query_controllers(&q, all);
	if (ret)
		goto out_free;
	/* Controllers that came since are not in @all. */
	for (i = 0; i < min(q.count, room); i++) {
		all[i].class[VAAL_CLASS_LEN - 1] = 0;
		if (!vaal_mdev_class_offered(st->type, all[i].class))
			continue;
		if (out && n < max)
			out[n] = all[i];
		n++;
	}
	ret = n;
out_free:
	kfree(all);
	return ret;
}

static int vaal_mdev_cmd_query(struct vaal_mdev_state *st,
			       struct vaal_mdev_ctx *mc,
			       struct vaal_pci_cmd *cmd)
{
	const struct vaal_mdev_type *type = st->type;
	struct vaal_query q;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&q, sizeof(q), &cmd->u.query, sizeof(q),
				VAAL_QUERY_SIZE_VER0, &usize);
	if (ret)
		return ret;
	ret = vaal_client_query(mc->ctx, &q);
	if (ret)
		return ret;
	ret = vaal_mdev_controllers(st, NULL, 0);
	if (ret < 0)
		return ret;
	/* The limits are the guest's own. */
	q.nr_controllers = ret;
	q.features &= ~(VAAL_FEAT_USER_CONTROLLERS | VAAL_FEAT_CTRL_CTX_ID);
	q.nr_contexts = st->nr_ctxs;
	q.max_contexts = type->max_contexts;
	q.max_buffer_bytes = min(q.max_buffer_bytes, type->max_buf_bytes);
	q.max_inflight = min(q.max_inflight, type->max_inflight);
	q.max_user_contexts = type->max_contexts;
	q.nr_user_contexts = st->nr_ctxs;
	vaal_mdev_args_out(&cmd->u.query, &q, sizeof(q), usize);
	return 0;
}

static int vaal_mdev_cmd_query_controllers(struct vaal_mdev_state *st,
					   struct vaal_mdev_ctx *unused,
					   struct vaal_pci_cmd *cmd)
{
	struct vaal_pci_query_controllers *pq = &cmd->u.query_controllers;
	struct vaal_controller_info *info = NULL;
	struct vaal_query_controllers q;
	size_t esize, len;
	u8 *out = NULL;
	u32 usize, i;
	int n, ret;

	ret = vaal_mdev_args_in(&q, sizeof(q), &pq->req, sizeof(q),
				VAAL_QUERY_CONTROLLERS_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (q.flags || q.reserved[0] || q.reserved[1] ||
	    q.entry_size < VAAL_CONTROLLER_INFO_SIZE_VER0 ||
	    (u64)q.count * q.entry_size > VAAL_PCI_PAGE_SIZE ||
	    (q.count && !q.addr))
		return -EINVAL;
	if (q.count) {
		info = kcalloc(q.count, sizeof(*info), GFP_KERNEL);
		if (!info)
			return -ENOMEM;
	}
	n = vaal_mdev_controllers(st, info, q.count);
	ret = n;
	if (n < 0)
		goto out_free;
	len = (size_t)min_t(u32, n, q.count) * q.entry_size;
	if (len) {
		esize = min_t(size_t, q.entry_size, sizeof(*info));
		ret = -ENOMEM;
		out = kzalloc(len, GFP_KERNEL);
		if (!out)
			goto out_free;
		for (i = 0; i < min_t(u32, n, q.count); i++)
			memcpy(out + i * q.entry_size, &info[i], esize);
		ret = vaal_mdev_dma_write(st, q.addr, out, len);
		if (ret)
			goto out_free;
	}
	q.count = n;
	vaal_mdev_args_out(&pq->req, &q, sizeof(q), usize);
	ret = 0;
out_free:
	kfree(out);
	kfree(info);
	return ret;
}

/* Record a buffer the core made of pinned pages; undo it on failure. */
static int vaal_mdev_buf_add(struct vaal_mdev_state *st,
			     struct vaal_mdev_ctx *mc, u32 handle,
			     struct vaal_mdev_pins *pins, u64 bytes)
{
	struct vaal_buf_destroy d = {
		.size = sizeof(d),
		.handle = handle,
	};
	struct vaal_mdev_buf *mb;
	int ret = -ENOMEM;

	mb = kzalloc(sizeof(*mb), GFP_KERNEL_ACCOUNT);
	if (mb) {
		mb->pins = *pins;
		mb->bytes = bytes;
		ret = xa_insert(&mc->bufs, handle, mb, GFP_KERNEL_ACCOUNT);
		if (!ret) {
			mc->buf_bytes += bytes;
			st->buf_bytes += bytes;
			return 0;
		}
		kfree(mb);
	}
	vaal_client_buf_destroy(mc->ctx, &d);
	vaal_mdev_unpin(st, pins);
	return ret;
}

static int vaal_mdev_cmd_buf_create(struct vaal_mdev_state *st,
				    struct vaal_mdev_ctx *mc,
				    struct vaal_pci_cmd *cmd)
{
	struct vaal_pci_buf_create *b = &cmd->u.buf_create;
	struct vaal_mdev_pins pins;
	struct vaal_buf_create req;
	struct page **pages;
	u64 bytes;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&req, sizeof(req), &b->req, sizeof(req),
				VAAL_BUF_CREATE_SIZE_VER0, &usize);
	if (ret)
		return ret;
	/* The guest's pages only: no memfd to import. */
	if (req.flags || req.memfd || req.reserved[0] || req.reserved[1] ||
	    !req.length)
		return -EINVAL;
	if (req.length > st->type->max_buf_bytes - st->buf_bytes)
		return -ENOSPC;
	if (b->nr_pages != DIV_ROUND_UP(req.length, VAAL_PCI_PAGE_SIZE))
		return -EINVAL;
	bytes = b->nr_pages * VAAL_PCI_PAGE_SIZE;
	if (bytes > st->type->max_buf_bytes - st->buf_bytes)
		return -ENOSPC;
	pages = vaal_mdev_pin_list(st, b->pages, b->nr_pages, b->nr_pages,
				   &pins);
	if (IS_ERR(pages))
		return PTR_ERR(pages);
	ret = vaal_client_buf_create(mc->ctx, &req, pages, b->nr_pages);
	kvfree(pages);
	if (ret) {
		vaal_mdev_unpin(st, &pins);
		return ret;
	}
	ret = vaal_mdev_buf_add(st, mc, req.handle, &pins, bytes);
	if (ret)
		return ret;
	req.mmap_offset = 0;
	vaal_mdev_args_out(&b->req, &req, sizeof(req), usize);
	return 0;
}

static int vaal_mdev_cmd_buf_destroy(struct vaal_mdev_state *st,
				     struct vaal_mdev_ctx *mc,
				     struct vaal_pci_cmd *cmd)
{
	struct vaal_buf_destroy req;
	struct vaal_mdev_buf *mb;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&req, sizeof(req), &cmd->u.buf_destroy,
				VAAL_MDEV_ROOM, VAAL_BUF_DESTROY_SIZE_VER0,
				&usize);
	if (ret)
		return ret;
	ret = vaal_client_buf_destroy(mc->ctx, &req);
	if (ret)
		return ret;
	/* The core holds its own references on the pages now. */
	mb = xa_erase(&mc->bufs, req.handle);
	if (mb) {
		vaal_mdev_unpin(st, &mb->pins);
		mc->buf_bytes -= mb->bytes;
		st->buf_bytes -= mb->bytes;
		kfree(mb);
	}
	return 0;
}

static int vaal_mdev_cmd_kernel_register(struct vaal_mdev_state *st,
					 struct vaal_mdev_ctx *mc,
					 struct vaal_pci_cmd *cmd)
{
	struct vaal_kernel_register req;
	void *blob = NULL;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&req, sizeof(req),
				&cmd->u.kernel_register.req, sizeof(req),
				VAAL_KERNEL_REGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (!req.class[0] || !memchr(req.class, 0, sizeof(req.class)))
		return -EINVAL;
	if (!vaal_mdev_class_offered(st->type, req.class))
		return -EPERM;
	if (req.blob_len) {
		if (!req.blob_addr)
			return -EINVAL;
		if (req.blob_len > READ_ONCE(vaal_mdev_max_blob_bytes))
			return -E2BIG;
		blob = kvmalloc(req.blob_len, GFP_KERNEL_ACCOUNT);
		if (!blob)
			return -ENOMEM;
		ret = vaal_mdev_dma_read(st, req.blob_addr, blob, req.blob_len);
		if (ret)
			goto out_free;
	}
	ret = vaal_client_kernel_register(mc->ctx, &req, blob);
	if (!ret)
		vaal_mdev_args_out(&cmd->u.kernel_register.req, &req,
				   sizeof(req), usize);
out_free:
	kvfree(blob);
	return ret;
}

static int vaal_mdev_cmd_kernel_unregister(struct vaal_mdev_state *st,
					   struct vaal_mdev_ctx *mc,
					   struct vaal_pci_cmd *cmd)
{
	struct vaal_kernel_unregister req;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&req, sizeof(req), &cmd->u.kernel_unregister,
				VAAL_MDEV_ROOM,
				VAAL_KERNEL_UNREGISTER_SIZE_VER0, &usize);
	if (ret)
		return ret;
	return vaal_client_kernel_unregister(mc->ctx, &req);
}

/* Pin the rings' pages and set the rings up in them. */
static int vaal_mdev_setup_rings(struct vaal_mdev_state *st,
				 struct vaal_mdev_ctx *mc,
				 struct vaal_pci_setup *s, struct vaal_setup *req,
				 unsigned long need)
{
	struct vaal_mdev_pins pins;
	struct page **pages;
	int ret;

	pages = vaal_mdev_pin_list(st, s->pages, s->nr_pages, need, &pins);
	if (IS_ERR(pages))
		return PTR_ERR(pages);
	ret = vaal_client_setup(mc->ctx, req, pages, need);
	if (ret) {
		kvfree(pages);
		vaal_mdev_unpin(st, &pins);
		return ret;
	}
	mc->ring = pins;
	/* Where the notifier reads the completion ring's tail. */
	if (IS_ALIGNED(req->cq_off.tail, sizeof(u32)) &&
	    req->cq_off.tail < (u64)need * PAGE_SIZE) {
		mc->cq_tail_off = offset_in_page(req->cq_off.tail);
		/* The offset before the page, for vaal_mdev_cq_wake(). */
		smp_store_release(&mc->cq_tail_page,
				  pages[req->cq_off.tail >> PAGE_SHIFT]);
	}
	kvfree(pages);
	return 0;
}

static int vaal_mdev_cmd_setup(struct vaal_mdev_state *st,
			       struct vaal_mdev_ctx *mc,
			       struct vaal_pci_cmd *cmd)
{
	struct vaal_pci_setup *s = &cmd->u.setup;
	struct vaal_setup req, sized;
	unsigned long need;
	u32 usize, inflight;
	int ret;

	ret = vaal_mdev_args_in(&req, sizeof(req), &s->req, sizeof(req),
				VAAL_SETUP_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (req.flags & VAAL_SETUP_SQPOLL &&
	    !(st->type->features & VAAL_PCI_F_SQPOLL))
		return -EPERM;
	if (mc->ring.nr_pages)
		return -EBUSY;
	/* In flight: at most the type's, fewer if the guest asks. */
	inflight = min_not_zero(req.max_inflight, st->type->max_inflight);
	req.max_inflight = 0;
	sized = req;
	ret = vaal_client_ring_bytes(&sized);
	if (ret)
		return ret;
	sized.mmap_offset = 0;
	need = sized.ring_bytes >> PAGE_SHIFT;
	if (s->nr_pages < need) {
		vaal_mdev_args_out(&s->req, &sized, sizeof(sized), usize);
		return -ENOSPC;
	}
	req.max_inflight = inflight;
	ret = vaal_mdev_setup_rings(st, mc, s, &req, need);
	if (ret)
		return ret;
	req.mmap_offset = 0;
	vaal_mdev_args_out(&s->req, &req, sizeof(req), usize);
	return 0;
}

static int vaal_mdev_cmd_sched(struct vaal_mdev_state *st,
			       struct vaal_mdev_ctx *mc,
			       struct vaal_pci_cmd *cmd, bool set)
{
	struct vaal_sched_attr a;
	u32 usize;
	int ret;

	ret = vaal_mdev_args_in(&a, sizeof(a), &cmd->u.sched, VAAL_MDEV_ROOM,
				VAAL_SCHED_ATTR_SIZE_VER0, &usize);
	if (ret)
		return ret;
	if (!a.class[0] || !memchr(a.class, 0, sizeof(a.class)))
		return -EINVAL;
	/* The administrator's class, or one the guest has not. */
	if (set && (!strcmp(a.class, st->reserve.class) ||
		    !vaal_mdev_class_offered(st->type, a.class))) {
		a.reason = VAAL_SCHED_EPERM;
		ret = -EPERM;
	} else {
		ret = vaal_client_sched_attr(mc->ctx, &a, set);
	}
	vaal_mdev_args_out(&cmd->u.sched, &a, sizeof(a), usize);
	return ret;
}

static int vaal_mdev_cmd_sched_set(struct vaal_mdev_state *st,
				   struct vaal_mdev_ctx *mc,
				   struct vaal_pci_cmd *cmd)
{
	return vaal_mdev_cmd_sched(st, mc, cmd, true);
}

static int vaal_mdev_cmd_sched_get(struct vaal_mdev_state *st,
				   struct vaal_mdev_ctx *mc,
				   struct vaal_pci_cmd *cmd)
{
	return vaal_mdev_cmd_sched(st, mc, cmd, false);
}

static int vaal_mdev_cmd_stats(struct vaal_mdev_state *st,
			       struct vaal_mdev_ctx *mc,
			       struct vaal_pci_cmd *cmd)
{
	struct vaal_pci_stats *out = &cmd->u.stats;
	struct vaal_client_stats cs;

	vaal_client_stats(mc->ctx, &cs);
	memset(out, 0, sizeof(*out));
	out->submitted = cs.submitted;
	out->completed = cs.completed;
	out->inflight = cs.inflight;
	out->nr_bufs = cs.nr_bufs;
	out->buf_bytes = cs.buf_bytes;
	return 0;
}

/**
 * struct vaal_mdev_cmd_op - how a command runs
 * @run: runs it
 * @on_ctx: it names a context in &vaal_pci_cmd.ctx
 */
struct vaal_mdev_cmd_op {
	vaal_mdev_cmd_fn run;
	bool on_ctx;
};

static const struct vaal_mdev_cmd_op vaal_mdev_cmd_ops[VAAL_PCI_CMD_LAST + 1] = {
	[VAAL_PCI_CMD_CTX_CREATE] = { vaal_mdev_cmd_ctx_create, false },
	[VAAL_PCI_CMD_CTX_DESTROY] = { vaal_mdev_cmd_ctx_destroy, true },
	[VAAL_PCI_CMD_QUERY] = { vaal_mdev_cmd_query, true },
	[VAAL_PCI_CMD_QUERY_CONTROLLERS] = {
		vaal_mdev_cmd_query_controllers, false },
	[VAAL_PCI_CMD_BUF_CREATE] = { vaal_mdev_cmd_buf_create, true },
	[VAAL_PCI_CMD_BUF_DESTROY] = { vaal_mdev_cmd_buf_destroy, true },
	[VAAL_PCI_CMD_KERNEL_REGISTER] = {
		vaal_mdev_cmd_kernel_register, true },
	[VAAL_PCI_CMD_KERNEL_UNREGISTER] = {
		vaal_mdev_cmd_kernel_unregister, true },
	[VAAL_PCI_CMD_SETUP] = { vaal_mdev_cmd_setup, true },
	[VAAL_PCI_CMD_SCHED_SET] = { vaal_mdev_cmd_sched_set, true },
	[VAAL_PCI_CMD_SCHED_GET] = { vaal_mdev_cmd_sched_get, true },
	[VAAL_PCI_CMD_STATS] = { vaal_mdev_cmd_stats, true },
};

/* Check the command's header and run it. */
static int vaal_mdev_cmd_exec(struct vaal_mdev_state *st,
			      struct vaal_pci_cmd *cmd)
{
	const struct vaal_mdev_cmd_op *op;
	struct vaal_mdev_ctx *mc = NULL;

	if (cmd->flags || cmd->reserved)
		return -EINVAL;
	if (!cmd->opcode || cmd->opcode > VAAL_PCI_CMD_LAST)
		return -EOPNOTSUPP;
	op = &vaal_mdev_cmd_ops[cmd->opcode];
	if (op->on_ctx) {
		if (cmd->ctx >= st->type->max_contexts)
			return -EBADF;
		mc = st->ctxs[cmd->ctx];
		if (!mc)
			return -EBADF;
	} else if (cmd->ctx) {
		return -EINVAL;
	}
	return op->run(st, mc, cmd);
}

/**
 * vaal_mdev_cmd_doorbell - run the command at %VAAL_PCI_REG_CMD_ADDR_LO/HI
 * @st: the device
 *
 * The status goes into the command (when it can be written back) and
 * into %VAAL_PCI_REG_CMD_STATUS.  A failed command counts as an error,
 * but for the -ENOSPC of a SETUP: that is how a driver learns ring_bytes.
 */
void vaal_mdev_cmd_doorbell(struct vaal_mdev_state *st)
{
	struct vaal_pci_cmd *cmd;
	bool probe = false;
	u64 addr;
	int ret;

	cmd = kmalloc(sizeof(*cmd), GFP_KERNEL);
	mutex_lock(&st->lock);
	addr = (u64)READ_ONCE(st->cmd_addr[1]) << 32 |
	       READ_ONCE(st->cmd_addr[0]);
	ret = -ENOMEM;
	if (!cmd)
		goto out;
	/* Naturally aligned: within one page. */
	ret = -EINVAL;
	if (!IS_ALIGNED(addr, VAAL_PCI_CMD_SIZE))
		goto out;
	ret = vaal_mdev_dma_read(st, addr, cmd, sizeof(*cmd));
	if (ret)
		goto out;
	ret = vaal_mdev_cmd_exec(st, cmd);
	probe = ret == -ENOSPC && cmd->opcode == VAAL_PCI_CMD_SETUP;
	cmd->status = ret;
	if (vaal_mdev_dma_write(st, addr, cmd, sizeof(*cmd))) {
		ret = -EFAULT;
		probe = false;
	}
out:
	WRITE_ONCE(st->cmd_status, ret);
	if (ret && !probe)
		atomic_inc(&st->errors);
	mutex_unlock(&st->lock);
	kfree(cmd);
}
