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

#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/kthread.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/vmalloc.h>
#include <net/page_pool/types.h>

#include "svnic_sidecore.h"
#include "np_ctl.h"

/*
 * Idle polling before the sidecore sleeps: longer than a wake-up costs, so
 * that a steady stream with gaps does not pay one per gap.
 */
#define SVNIC_IDLE_POLL_NS	(500 * NSEC_PER_USEC)
#define SVNIC_TOKEN_WAIT_NS	(200 * NSEC_PER_USEC)	/* for a rate's tokens */
/* Pages the page pool keeps for the frames in flight: 4 MiB. */
#define SVNIC_POOL_PAGES	1024

/**
 * svnic_sidecore_kick - have the sidecore look for work: its doorbell
 * @sc: the sidecore
 */
void svnic_sidecore_kick(struct svnic_sidecore *sc)
{
	atomic_set(&sc->kicked, 1);
	/* Orders the flag before the look at the queue. */
	if (wq_has_sleeper(&sc->wait))
		wake_up(&sc->wait);
}

/* &svnic_backend_ops.kick */
static void svnic_sidecore_doorbell(struct svnic_np *np)
{
	svnic_sidecore_kick(svnic_sc(np));
}

/* Answer the request waiting in the mailbox, if one is. */
static void svnic_mbox_serve(struct svnic_sidecore *sc)
{
	struct svnic_mbox *mb = &sc->mbox;

	if (!atomic_read_acquire(&mb->pending))
		return;
	mb->reply_len = sizeof(mb->reply);
	np_ctl_handle(sc->dp, &mb->req, le16_to_cpu(mb->req.hdr.len),
		      &mb->reply, &mb->reply_len);
	atomic_set(&mb->pending, 0);
	complete(&mb->done);
}

static int svnic_sidecore_msg(struct svnic_np *np, const struct np_msg *req,
			      struct np_msg *reply, size_t *reply_len)
{
	struct svnic_sidecore *sc = svnic_sc(np);
	struct svnic_mbox *mb = &sc->mbox;
	size_t len = le16_to_cpu(req->hdr.len);

	if (len > sizeof(mb->req))
		return -EMSGSIZE;
	mutex_lock(&mb->lock);
	memcpy(&mb->req, req, len);
	reinit_completion(&mb->done);
	atomic_set_release(&mb->pending, 1);
	svnic_sidecore_kick(sc);
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
	struct svnic_sidecore *sc = arg;
	struct svnic_vif *vif = rcu_dereference(sc->np.vif_by_id[id]);
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
static bool svnic_cycle(struct svnic_sidecore *sc)
{
	struct svnic_vif *vif;
	unsigned int n = 0;

	svnic_mbox_serve(sc);
	rcu_read_lock();
	list_for_each_entry_rcu(vif, &sc->np.vifs, node) {
		n += svnic_vif_cvq(vif);
		n += svnic_vif_tx(sc, vif);
	}
	n += svnic_ingress(sc);
	n += svnic_egress(sc);
	list_for_each_entry_rcu(vif, &sc->np.vifs, node)
		n += svnic_vif_rx(sc, vif);
	np_dp_poll_end(sc->dp);
	rcu_read_unlock();
	return n;
}

/* Sleep @ns at most; a kick (a frame, a request, a VIF's doorbell) wakes. */
static void svnic_sidecore_nap(struct svnic_sidecore *sc, u64 ns)
{
	ktime_t t = ns_to_ktime(ns);
	DEFINE_WAIT(wait);

	prepare_to_wait(&sc->wait, &wait, TASK_INTERRUPTIBLE);
	if (!atomic_xchg(&sc->kicked, 0) && !kthread_should_stop())
		schedule_hrtimeout_range(&t, ns / 4, HRTIMER_MODE_REL);
	finish_wait(&sc->wait, &wait);
}

/*
 * While the sidecore polls, the VIFs' drivers need not kick it; before it
 * sleeps they must.  Return: with @on, whether a ring already has buffers
 * waiting (then it must not sleep).
 */
static bool svnic_sidecore_kicks(struct svnic_sidecore *sc, bool on)
{
	struct svnic_sc_vif *scv;
	struct svnic_vif *vif;
	bool waiting = false;
	int i;

	sc->polling = !on;
	rcu_read_lock();
	list_for_each_entry_rcu(vif, &sc->np.vifs, node) {
		scv = svnic_sc_vif(vif);
		svnic_rings_lock(vif);
		/*
		 * Posted receive buffers are no work, unless a frame waits
		 * for them and they came since it began to.
		 */
		for (i = 0; i < SVNIC_NR_VQS; i++)
			if (vif->vqs[i].ready &&
			    (vif->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
			    svnic_ring_set_kicks(&vif->vqs[i].ring, on) &&
			    (i != SVNIC_VQ_RX || (scv->rx_wait &&
			     vif->vqs[i].ring.avail_idx != scv->rx_wait_idx)))
				waiting = true;
		svnic_rings_unlock(vif);
	}
	rcu_read_unlock();
	return waiting;
}

static int svnic_sidecore(void *data)
{
	struct svnic_sidecore *sc = data;

	sc->idle_since = ktime_get_ns();
	while (!kthread_should_stop()) {
		if (svnic_cycle(sc)) {
			sc->idle_since = ktime_get_ns();
			if (!sc->polling)
				svnic_sidecore_kicks(sc, false);
			cond_resched();
			continue;
		}
		/* Tokens come with time: look again soon, or at a kick. */
		if (np_dp_egress_backlog(sc->dp)) {
			svnic_sidecore_nap(sc, SVNIC_TOKEN_WAIT_NS);
			continue;
		}
		if (ktime_get_ns() - sc->idle_since < SVNIC_IDLE_POLL_NS) {
			cond_resched();
			continue;
		}
		/* Idle: the drivers kick again; sleep until one does. */
		if (svnic_sidecore_kicks(sc, true))
			continue;
		wait_event_interruptible_timeout(sc->wait,
						 atomic_xchg(&sc->kicked, 0) ||
						 kthread_should_stop(),
						 HZ / 10);
		sc->idle_since = ktime_get_ns();
	}
	return 0;
}

/* &svnic_backend_ops.create: the data plane, and the thread that runs it. */
static int svnic_sidecore_create(struct svnic_np *np)
{
	struct svnic_sidecore *sc = svnic_sc(np);
	const struct np_dp_ops ops = {
		.clone = svnic_dp_clone,
		.drop = svnic_dp_drop,
		.notify = svnic_dp_notify,
		.arg = sc,
	};
	struct page_pool_params pp = {
		.pool_size = SVNIC_POOL_PAGES,
	};
	int ret;

	skb_queue_head_init(&sc->ingress);
	init_waitqueue_head(&sc->wait);
	spin_lock_init(&sc->mac_lock);
	hash_init(sc->vif_by_mac);
	mutex_init(&sc->mbox.lock);
	init_completion(&sc->mbox.done);
	sc->dp = kvzalloc(np_dp_bytes(SVNIC_NP_SLOTS), GFP_KERNEL_ACCOUNT);
	if (!sc->dp)
		return -ENOMEM;
	ret = np_dp_init(sc->dp, SVNIC_NP_SLOTS, &ops);
	if (ret)
		goto out_free_dp;
	pp.nid = np->cpu >= 0 ? cpu_to_node(np->cpu) : NUMA_NO_NODE;
	sc->pool = page_pool_create(&pp);
	ret = PTR_ERR_OR_ZERO(sc->pool);
	if (ret) {
		sc->pool = NULL;
		goto out_free_dp;
	}
	sc->thread = kthread_create(svnic_sidecore, sc, "svnic-np%u", np->id);
	ret = PTR_ERR_OR_ZERO(sc->thread);
	if (ret)
		goto out_destroy_pool;
	if (np->cpu >= 0)
		kthread_bind(sc->thread, np->cpu);
	wake_up_process(sc->thread);
	return 0;

out_destroy_pool:
	page_pool_destroy(sc->pool);
out_free_dp:
	kvfree(sc->dp);
	sc->dp = NULL;
	return ret;
}

/*
 * &svnic_backend_ops.destroy: the thread is gone, then the frames the
 * data plane and the ingress queue still hold are freed.
 */
static void svnic_sidecore_destroy(struct svnic_np *np)
{
	struct svnic_sidecore *sc = svnic_sc(np);
	unsigned int i;

	kthread_stop(sc->thread);
	for (i = 0; i < NP_MAX_VIFS; i++)
		np_dp_vif_del(sc->dp, i);
	kvfree(sc->dp);
	sc->dp = NULL;
	skb_queue_purge(&sc->ingress);
	/* Pages still in skbs elsewhere come back to the pool, then go. */
	page_pool_destroy(sc->pool);
	sc->pool = NULL;
}

/* &svnic_backend_ops.attach: the uplink's frames for VIFs come to the NP. */
static int svnic_sidecore_attach(struct svnic_np *np, struct net_device *dev)
{
	ASSERT_RTNL();
	return netdev_rx_handler_register(dev, svnic_rx_handler, svnic_sc(np));
}

/* &svnic_backend_ops.detach: the rx_handler is gone, and what it queued. */
static void svnic_sidecore_detach(struct svnic_np *np, struct net_device *dev)
{
	struct svnic_sidecore *sc = svnic_sc(np);

	ASSERT_RTNL();
	/* Waits for the rx_handlers that run (synchronize_net()). */
	netdev_rx_handler_unregister(dev);
	skb_queue_purge(&sc->ingress);
}

/* &svnic_backend_ops.uplink_stats */
static void svnic_sidecore_uplink_stats(struct svnic_np *np,
					struct svnic_vif_stats *st)
{
	st->drop_no_buffer = atomic64_read(&svnic_sc(np)->ingress_drops);
}

static u32 svnic_mac_hash(const u8 *mac)
{
	return jhash(mac, ETH_ALEN, 0) & (BIT(SVNIC_MAC_BITS) - 1);
}

/* The rx_handler finds @vif by @mac from now on; NULL: no more. */
static void svnic_sc_mac_hash(struct svnic_sidecore *sc,
			      struct svnic_sc_vif *scv, const u8 *mac)
{
	spin_lock_bh(&sc->mac_lock);
	if (!hlist_unhashed(&scv->mac_node))
		hlist_del_init_rcu(&scv->mac_node);
	if (mac) {
		ether_addr_copy(scv->hash_mac, mac);
		hlist_add_head_rcu(&scv->mac_node,
				   &sc->vif_by_mac[svnic_mac_hash(mac)]);
	}
	spin_unlock_bh(&sc->mac_lock);
}

/**
 * svnic_sc_mac_is_vif - whether a VIF of the NP has @mac.  Under RCU.
 * @sc: the sidecore
 * @mac: the address
 *
 * Return: true when one has.
 */
bool svnic_sc_mac_is_vif(struct svnic_sidecore *sc, const u8 *mac)
{
	struct svnic_sc_vif *scv;

	hlist_for_each_entry_rcu(scv, &sc->vif_by_mac[svnic_mac_hash(mac)],
				 mac_node)
		if (ether_addr_equal(scv->hash_mac, mac))
			return true;
	return false;
}

/* Count @scv in the promiscuous VIFs, or not. */
static void svnic_sc_promisc(struct svnic_sidecore *sc,
			     struct svnic_sc_vif *scv, bool on)
{
	if (scv->promisc == on)
		return;
	scv->promisc = on;
	if (on)
		atomic_inc(&sc->promisc_vifs);
	else
		atomic_dec(&sc->promisc_vifs);
}

/* &svnic_backend_ops.vif_add: found by its address from now on. */
static void svnic_sidecore_vif_add(struct svnic_np *np, struct svnic_vif *vif)
{
	struct svnic_sc_vif *scv = svnic_sc_vif(vif);

	INIT_HLIST_NODE(&scv->mac_node);
	svnic_sc_mac_hash(svnic_sc(np), scv, vif->config.mac);
	svnic_sc_promisc(svnic_sc(np), scv, vif->rx_mode & NP_RX_PROMISC);
}

/* &svnic_backend_ops.vif_del: found by the rx_handler no more. */
static void svnic_sidecore_vif_del(struct svnic_np *np, struct svnic_vif *vif)
{
	struct svnic_sc_vif *scv = svnic_sc_vif(vif);

	svnic_sc_mac_hash(svnic_sc(np), scv, NULL);
	svnic_sc_promisc(svnic_sc(np), scv, false);
}

/**
 * svnic_sc_vif_changed - the NP took @vif's new address or receive mode:
 *	the rx_handler's tables follow (&svnic_backend_ops.vif_set)
 * @np: the NP
 * @vif: the VIF
 * @change: %NP_VIF_SET_MAC and/or %NP_VIF_SET_RX_MODE
 * @mac: the new address
 * @rx_mode: the new receive mode
 */
void svnic_sc_vif_changed(struct svnic_np *np, struct svnic_vif *vif,
			  u32 change, const u8 *mac, u16 rx_mode)
{
	struct svnic_sc_vif *scv = svnic_sc_vif(vif);

	if (change & NP_VIF_SET_MAC)
		svnic_sc_mac_hash(svnic_sc(np), scv, mac);
	if (change & NP_VIF_SET_RX_MODE)
		svnic_sc_promisc(svnic_sc(np), scv, rx_mode & NP_RX_PROMISC);
}

/* The sidecore applies @m to its own data plane. */
static int svnic_sc_call(struct svnic_np *np, struct np_msg *m)
{
	size_t len = svnic_msg_len(m);
	struct np_msg reply;
	size_t reply_len = sizeof(reply);

	m->hdr.len = cpu_to_le16(len);
	return np_ctl_handle(svnic_sc(np)->dp, m, len, &reply, &reply_len);
}

/**
 * svnic_sc_vif_set - the sidecore changes @vif's address or receive mode
 *	in its data plane, as the VIF's driver asked through the control
 *	virtqueue
 * @vif: the VIF
 * @change: %NP_VIF_SET_MAC and/or %NP_VIF_SET_RX_MODE
 * @mac: the new address
 * @rx_mode: the new mode
 *
 * Return: 0, or the data plane's refusal (-EADDRINUSE: another VIF's
 * address).
 */
int svnic_sc_vif_set(struct svnic_vif *vif, u32 change, const u8 *mac,
		     u16 rx_mode)
{
	struct np_msg m;

	svnic_msg_vif_set(&m, vif, change, mac, 0, rx_mode);
	return svnic_sc_call(vif->np, &m);
}

/**
 * svnic_sc_mcast - the sidecore replaces @vif's multicast filter in its
 *	data plane
 * @vif: the VIF
 * @addrs: multicast addresses
 * @n: how many, at most %NP_ABI_MCAST_MAX
 *
 * Return: 0, or the data plane's refusal (-EINVAL: an address that is not
 * multicast); then the filter is unchanged.
 */
int svnic_sc_mcast(struct svnic_vif *vif, const u8 *addrs, unsigned int n)
{
	struct np_msg m;

	svnic_msg_mcast(&m, vif, addrs, n);
	return svnic_sc_call(vif->np, &m);
}

const struct svnic_backend_ops svnic_sidecore_ops = {
	.name = "sidecore",
	.np_size = sizeof(struct svnic_sidecore),
	.vif_size = sizeof(struct svnic_sc_vif),
	.create = svnic_sidecore_create,
	.destroy = svnic_sidecore_destroy,
	.attach = svnic_sidecore_attach,
	.detach = svnic_sidecore_detach,
	.kick = svnic_sidecore_doorbell,
	.msg = svnic_sidecore_msg,
	.vif_add = svnic_sidecore_vif_add,
	.vif_del = svnic_sidecore_vif_del,
	.vif_set = svnic_sc_vif_changed,
	.uplink_stats = svnic_sidecore_uplink_stats,
};
