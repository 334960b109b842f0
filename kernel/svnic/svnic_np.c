// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_np.c - NP instances: an uplink, a vDPA management device through
 * which VIFs are made, and the backend that runs their data path
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "svnic.h"

DEFINE_MUTEX(svnic_nps_lock);
LIST_HEAD(svnic_nps);
static DEFINE_IDA(svnic_np_ida);

static void svnic_np_release(struct device *dev)
{
	struct svnic_np *np = container_of(dev, struct svnic_np, mdev_dev);

	ida_free(&svnic_np_ida, np->id);
	ida_destroy(&np->vif_ids);
	/* The backend's NP, which begins with @np. */
	kfree(np);
}

/* Hook the uplink: its frames for VIFs come to the NP.  Under RTNL. */
static int svnic_np_attach(struct svnic_np *np, struct net_device *dev)
{
	int ret;

	ASSERT_RTNL();
	ret = np->ops->attach(np, dev);
	if (ret)
		return ret;
	dev_hold(dev);
	rcu_assign_pointer(np->uplink, dev);
	return 0;
}

/* Let the uplink go (it goes away, or the NP does).  Under RTNL. */
static void svnic_np_detach(struct svnic_np *np)
{
	struct net_device *dev = rtnl_dereference(np->uplink);

	if (!dev)
		return;
	np->ops->detach(np, dev);
	RCU_INIT_POINTER(np->uplink, NULL);
	synchronize_net();
	dev_put(dev);
}

/**
 * svnic_np_create - an NP on an uplink, run by a backend
 * @ops: the backend
 * @uplink: the uplink netdev's name (in the initial namespace)
 * @cpu: the backend's host CPU, or -1 for any
 *
 * Return: the NP, or an ERR_PTR().
 */
struct svnic_np *svnic_np_create(const struct svnic_backend_ops *ops,
				 const char *uplink, int cpu)
{
	struct net_device *dev;
	struct svnic_np *np;
	int ret;

	if (cpu >= 0 && (cpu >= nr_cpu_ids || !cpu_online(cpu)))
		return ERR_PTR(-EINVAL);
	np = kzalloc(max(ops->np_size, sizeof(*np)), GFP_KERNEL);
	if (!np)
		return ERR_PTR(-ENOMEM);
	ret = ida_alloc(&svnic_np_ida, GFP_KERNEL);
	if (ret < 0) {
		kfree(np);
		return ERR_PTR(ret);
	}
	np->id = ret;
	np->cpu = cpu;
	mutex_init(&np->lock);
	INIT_LIST_HEAD(&np->vifs);
	ida_init(&np->vif_ids);
	np->ops = ops;
	np->notify_cycles = 1;
	device_initialize(&np->mdev_dev);
	/* From here on, the last put frees the NP (and its index). */
	np->mdev_dev.release = svnic_np_release;

	ret = ops->create(np);
	if (ret)
		goto out_put;
	rtnl_lock();
	dev = __dev_get_by_name(&init_net, uplink);
	ret = dev ? svnic_np_attach(np, dev) : -ENODEV;
	rtnl_unlock();
	if (ret)
		goto out_destroy;
	ret = svnic_np_hello(np);
	if (ret) {
		pr_err("svnic-np%u: the NP's control ABI is %u.%u, svnic's %u.%u: %d\n",
		       np->id, np->abi_major, np->abi_minor, NP_ABI_MAJOR,
		       NP_ABI_MINOR, ret);
		goto out_detach;
	}
	ret = svnic_mgmtdev_register(np);
	if (ret)
		goto out_detach;
	mutex_lock(&svnic_nps_lock);
	list_add_tail(&np->node, &svnic_nps);
	mutex_unlock(&svnic_nps_lock);
	atomic_inc(&svnic_nr_nps);
	pr_info("svnic-np%u: uplink %s, %s backend on %s%d, NP ABI %u.%u\n",
		np->id, uplink, ops->name, cpu >= 0 ? "CPU " : "any CPU",
		cpu >= 0 ? cpu : 0, np->abi_major, np->abi_minor);
	return np;

out_detach:
	rtnl_lock();
	svnic_np_detach(np);
	rtnl_unlock();
out_destroy:
	ops->destroy(np);
out_put:
	put_device(&np->mdev_dev);
	return ERR_PTR(ret);
}

/**
 * svnic_np_destroy - remove an NP, its VIFs first
 * @np: the NP, off svnic_nps already
 */
void svnic_np_destroy(struct svnic_np *np)
{
	/* Removes every VIF (dev_del) first. */
	svnic_mgmtdev_unregister(np);
	rtnl_lock();
	svnic_np_detach(np);
	rtnl_unlock();
	np->ops->destroy(np);
	atomic_dec(&svnic_nr_nps);
	device_unregister(&np->mdev_dev);
}

/* Remove every NP: module exit. */
void svnic_np_destroy_all(void)
{
	struct svnic_np *np;

	for (;;) {
		mutex_lock(&svnic_nps_lock);
		np = list_first_entry_or_null(&svnic_nps, struct svnic_np, node);
		if (np)
			list_del(&np->node);
		mutex_unlock(&svnic_nps_lock);
		if (!np)
			break;
		svnic_np_destroy(np);
	}
}

/**
 * svnic_np_del - remove the NP of index @id
 * @id: the index
 *
 * Return: 0, or -ENODEV when there is none.
 */
int svnic_np_del(u32 id)
{
	struct svnic_np *np, *found = NULL;

	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		if (np->id == id) {
			found = np;
			list_del(&np->node);
			break;
		}
	}
	mutex_unlock(&svnic_nps_lock);
	if (!found)
		return -ENODEV;
	svnic_np_destroy(found);
	return 0;
}

/* VIFs see the uplink's link state. */
static void svnic_np_link(struct svnic_np *np, bool up)
{
	struct vdpa_callback cb;
	struct svnic_vif *vif;

	rcu_read_lock();
	list_for_each_entry_rcu(vif, &np->vifs, node) {
		spin_lock_bh(&vif->lock);
		vif->config.status = __cpu_to_virtio16(true, up ?
						       VIRTIO_NET_S_LINK_UP : 0);
		vif->generation++;
		cb = vif->config_cb;
		spin_unlock_bh(&vif->lock);
		if (cb.callback)
			cb.callback(cb.private);
	}
	rcu_read_unlock();
}

static int svnic_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct svnic_np *np;

	mutex_lock(&svnic_nps_lock);
	list_for_each_entry(np, &svnic_nps, node) {
		if (rtnl_dereference(np->uplink) != dev)
			continue;
		switch (event) {
		case NETDEV_UNREGISTER:
			pr_info("svnic-np%u: uplink %s gone, no link\n",
				np->id, dev->name);
			svnic_np_detach(np);
			svnic_np_link(np, false);
			break;
		case NETDEV_UP:
		case NETDEV_DOWN:
		case NETDEV_CHANGE:
			svnic_np_link(np, netif_running(dev) &&
				      netif_carrier_ok(dev));
			break;
		}
	}
	mutex_unlock(&svnic_nps_lock);
	return NOTIFY_DONE;
}

static struct notifier_block svnic_netdev_nb = {
	.notifier_call = svnic_netdev_event,
};

int svnic_np_init(void)
{
	return register_netdevice_notifier(&svnic_netdev_nb);
}

void svnic_np_exit(void)
{
	unregister_netdevice_notifier(&svnic_netdev_nb);
}
