// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_sidecore.c - the sidecore backend: the NP data plane run by a
 * polling kthread on a host core, for an uplink without a network processor
 *
 * The kthread owns the data plane (np_dp.h), which has no locking of its
 * own.  The host reaches it the way it would reach a network processor:
 * with np_abi.h control messages, through a one-slot mailbox the thread
 * answers between two poll cycles (np_ctl_handle()).
 *
 * A cycle: the mailbox; each VIF's control queue and transmit ring; the
 * uplink's ingress queue; the egress scheduler; each VIF's receive
 * buffers; then the batch of notifications that is due (the virtual
 * interrupt identifier).  Idle, the thread polls a while, then sleeps
 * until a kick or a frame wakes it; with frames held back by a rate limit
 * it looks again at the next tick.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/rculist.h>
#include <linux/vmalloc.h>
#include <net/page_pool/types.h>

#include "svnic.h"
#include "np_ctl.h"

/*
 * Idle polling before the sidecore sleeps: longer than a wake-up costs, so
 * that a steady stream with gaps does not pay one per gap.
 */
#define SVNIC_IDLE_POLL_NS	(500 * NSEC_PER_USEC)
#define SVNIC_TOKEN_WAIT_NS	(200 * NSEC_PER_USEC)	/* for a rate's tokens */
/* Pages the page pool keeps for the frames in flight: 4 MiB. */
#define SVNIC_POOL_PAGES	1024

/* Answer the request waiting in the mailbox, if one is. */
static void svnic_mbox_serve(struct svnic_np *np)
{
	struct svnic_mbox *mb = &np->mbox;

	if (!atomic_read_acquire(&mb->pending))
		return;
	mb->reply_len = sizeof(mb->reply);
	np_ctl_handle(np->dp, &mb->req, le16_to_cpu(mb->req.hdr.len),
		      &mb->reply, &mb->reply_len);
	atomic_set(&mb->pending, 0);
	complete(&mb->done);
}

static int svnic_sidecore_msg(struct svnic_np *np, const struct np_msg *req,
			      struct np_msg *reply, size_t *reply_len)
{
	struct svnic_mbox *mb = &np->mbox;
	size_t len = le16_to_cpu(req->hdr.len);

	if (len > sizeof(mb->req))
		return -EMSGSIZE;
	mutex_lock(&mb->lock);
	memcpy(&mb->req, req, len);
	reinit_completion(&mb->done);
	atomic_set_release(&mb->pending, 1);
	svnic_np_kick(np);
	wait_for_completion(&mb->done);
	*reply_len = min(*reply_len, mb->reply_len);
	memcpy(reply, &mb->reply, *reply_len);
	mutex_unlock(&mb->lock);
	return 0;
}

/* &np_dp_ops.clone: another skb on the same bytes. */
static struct np_frame *svnic_dp_clone(void *arg, const struct np_frame *f)
{
	struct sk_buff *skb = skb_clone(f->priv, GFP_ATOMIC);

	return skb ? svnic_frame(skb) : NULL;
}

/* &np_dp_ops.drop */
static void svnic_dp_drop(void *arg, struct np_frame *f)
{
	kfree_skb(f->priv);
}

/*
 * &np_dp_ops.notify: signal VIF @id's queues that got used buffers; false
 * when none wanted it (event suppression).
 */
static bool svnic_dp_notify(void *arg, unsigned int id)
{
	struct svnic_np *np = arg;
	struct svnic_vif *vif = rcu_dereference(np->vif_by_id[id]);
	irqreturn_t (*cb)(void *data);
	bool sent = false;
	struct svnic_vq *vq;
	void *private;
	int i;

	if (!vif)
		return false;
	for (i = 0; i < SVNIC_NR_VQS; i++) {
		vq = &vif->vqs[i];
		if (!READ_ONCE(vq->notify))
			continue;
		svnic_rings_lock(vif);
		vq->notify = false;
		cb = vq->ready && svnic_ring_want_irq(&vq->ring) ? vq->cb : NULL;
		private = vq->cb_private;
		svnic_rings_unlock(vif);
		if (cb) {
			cb(private);
			sent = true;
		}
	}
	return sent;
}

/* One poll cycle; returns whether it moved anything. */
static bool svnic_cycle(struct svnic_np *np)
{
	struct svnic_vif *vif;
	unsigned int n = 0;

	svnic_mbox_serve(np);
	rcu_read_lock();
	list_for_each_entry_rcu(vif, &np->vifs, node) {
		n += svnic_vif_ctrl(vif);
		n += svnic_vif_tx(np, vif);
	}
	n += svnic_ingress(np);
	n += svnic_egress(np);
	list_for_each_entry_rcu(vif, &np->vifs, node)
		n += svnic_vif_rx(np, vif);
	np_dp_poll_end(np->dp);
	rcu_read_unlock();
	return n;
}

/* Sleep @ns at most; a kick (a frame, a request, a VIF's doorbell) wakes. */
static void svnic_sidecore_nap(struct svnic_np *np, u64 ns)
{
	ktime_t t = ns_to_ktime(ns);
	DEFINE_WAIT(wait);

	prepare_to_wait(&np->wait, &wait, TASK_INTERRUPTIBLE);
	if (!atomic_xchg(&np->kicked, 0) && !kthread_should_stop())
		schedule_hrtimeout_range(&t, ns / 4, HRTIMER_MODE_REL);
	finish_wait(&np->wait, &wait);
}

/*
 * While the sidecore polls, the VIFs' drivers need not kick it; before it
 * sleeps they must.  Return: with @on, whether a ring already has buffers
 * waiting (then it must not sleep).
 */
static bool svnic_sidecore_kicks(struct svnic_np *np, bool on)
{
	struct svnic_vif *vif;
	bool waiting = false;
	int i;

	np->polling = !on;
	rcu_read_lock();
	list_for_each_entry_rcu(vif, &np->vifs, node) {
		svnic_rings_lock(vif);
		/*
		 * Posted receive buffers are no work, unless a frame waits
		 * for them and they came since it began to.
		 */
		for (i = 0; i < SVNIC_NR_VQS; i++)
			if (vif->vqs[i].ready &&
			    (vif->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
			    svnic_ring_set_kicks(&vif->vqs[i].ring, on) &&
			    (i != SVNIC_VQ_RX || (vif->rx_wait &&
			     vif->vqs[i].ring.avail_idx != vif->rx_wait_idx)))
				waiting = true;
		svnic_rings_unlock(vif);
	}
	rcu_read_unlock();
	return waiting;
}

static int svnic_sidecore(void *data)
{
	struct svnic_np *np = data;

	np->idle_since = ktime_get_ns();
	while (!kthread_should_stop()) {
		if (svnic_cycle(np)) {
			np->idle_since = ktime_get_ns();
			if (!np->polling)
				svnic_sidecore_kicks(np, false);
			cond_resched();
			continue;
		}
		/* Tokens come with time: look again soon, or at a kick. */
		if (np_dp_egress_backlog(np->dp)) {
			svnic_sidecore_nap(np, SVNIC_TOKEN_WAIT_NS);
			continue;
		}
		if (ktime_get_ns() - np->idle_since < SVNIC_IDLE_POLL_NS) {
			cond_resched();
			continue;
		}
		/* Idle: the drivers kick again; sleep until one does. */
		if (svnic_sidecore_kicks(np, true))
			continue;
		wait_event_interruptible_timeout(np->wait,
						 atomic_xchg(&np->kicked, 0) ||
						 kthread_should_stop(),
						 HZ / 10);
		np->idle_since = ktime_get_ns();
	}
	return 0;
}

static int svnic_sidecore_start(struct svnic_np *np)
{
	const struct np_dp_ops ops = {
		.clone = svnic_dp_clone,
		.drop = svnic_dp_drop,
		.notify = svnic_dp_notify,
		.arg = np,
	};
	struct page_pool_params pp = {
		.pool_size = SVNIC_POOL_PAGES,
	};
	int ret;

	np->dp = kvzalloc(np_dp_bytes(SVNIC_NP_SLOTS), GFP_KERNEL_ACCOUNT);
	if (!np->dp)
		return -ENOMEM;
	ret = np_dp_init(np->dp, SVNIC_NP_SLOTS, &ops);
	if (ret)
		goto out_free_dp;
	pp.nid = np->cpu >= 0 ? cpu_to_node(np->cpu) : NUMA_NO_NODE;
	np->pool = page_pool_create(&pp);
	ret = PTR_ERR_OR_ZERO(np->pool);
	if (ret) {
		np->pool = NULL;
		goto out_free_dp;
	}
	mutex_init(&np->mbox.lock);
	init_completion(&np->mbox.done);
	np->thread = kthread_create(svnic_sidecore, np, "svnic-np%u", np->id);
	ret = PTR_ERR_OR_ZERO(np->thread);
	if (ret)
		goto out_destroy_pool;
	if (np->cpu >= 0)
		kthread_bind(np->thread, np->cpu);
	wake_up_process(np->thread);
	return 0;

out_destroy_pool:
	page_pool_destroy(np->pool);
out_free_dp:
	kvfree(np->dp);
	np->dp = NULL;
	return ret;
}

/* The thread is gone: the frames the data plane still holds are freed. */
static void svnic_sidecore_stop(struct svnic_np *np)
{
	unsigned int i;

	kthread_stop(np->thread);
	for (i = 0; i < NP_MAX_VIFS; i++)
		np_dp_vif_del(np->dp, i);
	kvfree(np->dp);
	np->dp = NULL;
	/* Pages still in skbs elsewhere come back to the pool, then go. */
	page_pool_destroy(np->pool);
	np->pool = NULL;
}

const struct svnic_backend_ops svnic_sidecore_ops = {
	.name = "sidecore",
	.start = svnic_sidecore_start,
	.stop = svnic_sidecore_stop,
	.msg = svnic_sidecore_msg,
};
