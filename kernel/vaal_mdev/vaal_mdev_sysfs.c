// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_mdev_sysfs.c - a mediated device's figures and the administrator's
 * reservation, in /sys/bus/mdev/devices/UUID/vaal/:
 *
 *   contexts      guest contexts now
 *   buf_bytes     bytes of their buffers, against the type's
 *   bytes_copied  bytes copied between guest memory and the host
 *                 (commands, blobs, page lists, controller lists)
 *   pinned_pages  guest pages pinned now (rings and buffers)
 *   errors        bad commands and register accesses, contexts lost
 *   resets        device resets, by the guest or the VMM
 *   reserve       "CLASS BUDGET_NS PERIOD_NS", or "none" (also written to
 *                 drop it): a reservation of device time on CLASS set on
 *                 every context of the device, those alive and those the
 *                 guest creates later.  Setting it needs CAP_SYS_NICE; it
 *                 is applied with the credentials of its writer, whatever
 *                 the VMM's.  The guest may not change the attributes of
 *                 CLASS (%VAAL_PCI_CMD_SCHED_SET gets -EPERM).  A write
 *                 fails when a context alive does not admit it (then
 *                 nothing changes); a context created later that does not
 *                 admit it is refused (the command gets the errno).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vaal_mdev.h"

static struct vaal_mdev_state *vaal_mdev_dev_state(struct device *dev)
{
	return dev_get_drvdata(dev);
}

#define VAAL_MDEV_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct vaal_mdev_state *st = vaal_mdev_dev_state(dev);		\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

VAAL_MDEV_ATTR(contexts, "%u", READ_ONCE(st->nr_ctxs));
VAAL_MDEV_ATTR(buf_bytes, "%llu", READ_ONCE(st->buf_bytes));
VAAL_MDEV_ATTR(bytes_copied, "%lld", atomic64_read(&st->copied));
VAAL_MDEV_ATTR(pinned_pages, "%ld", atomic_long_read(&st->pinned));
VAAL_MDEV_ATTR(errors, "%d", atomic_read(&st->errors));
VAAL_MDEV_ATTR(resets, "%d", atomic_read(&st->resets));

/* Set @r's class's reservation on @ctx, with the privilege of @r's writer. */
static int vaal_mdev_reserve_set(struct vaal_ctx *ctx,
				 const struct vaal_mdev_reserve *r,
				 u64 budget_ns, u64 period_ns)
{
	struct vaal_sched_attr a = {
		.size = sizeof(a),
		.flags = VAAL_SCHED_RESERVE,
		.budget_ns = budget_ns,
		.period_ns = period_ns,
	};
	const struct cred *old = NULL;
	int ret;

	strscpy(a.class, r->class, sizeof(a.class));
	if (r->cred)
		old = override_creds(r->cred);
	ret = vaal_client_sched_attr(ctx, &a, true);
	if (old)
		revert_creds(old);
	return ret;
}

/**
 * vaal_mdev_reserve_apply - put the administrator's reservation on a new
 *	context
 * @st: the device, locked
 * @ctx: the context
 *
 * Return: 0 (also when there is none), or why the context does not admit
 * it.
 */
int vaal_mdev_reserve_apply(struct vaal_mdev_state *st, struct vaal_ctx *ctx)
{
	const struct vaal_mdev_reserve *r = &st->reserve;

	lockdep_assert_held(&st->lock);
	if (!r->class[0])
		return 0;
	return vaal_mdev_reserve_set(ctx, r, r->budget_ns, r->period_ns);
}

/* Drop reservation @r from @ctx. */
static void vaal_mdev_reserve_clear(struct vaal_ctx *ctx,
				    const struct vaal_mdev_reserve *r)
{
	if (r->class[0])
		vaal_mdev_reserve_set(ctx, r, 0, 0);
}

/* Swap @new for the reservation on every context; all or nothing. */
static int vaal_mdev_reserve_swap(struct vaal_mdev_state *st,
				  struct vaal_mdev_reserve *new)
{
	struct vaal_mdev_reserve *old = &st->reserve;
	unsigned int slot, done;
	int ret = 0;

	lockdep_assert_held(&st->lock);
	for (slot = 0; slot < st->type->max_contexts && !ret; slot++) {
		struct vaal_mdev_ctx *mc = st->ctxs[slot];

		if (!mc)
			continue;
		if (strcmp(old->class, new->class))
			vaal_mdev_reserve_clear(mc->ctx, old);
		if (new->class[0])
			ret = vaal_mdev_reserve_set(mc->ctx, new,
						    new->budget_ns,
						    new->period_ns);
	}
	if (!ret) {
		swap(*old, *new);
		return 0;
	}
	/* Put the old one back where the new one went (or was refused). */
	for (done = 0; done < slot; done++) {
		struct vaal_mdev_ctx *mc = st->ctxs[done];

		if (!mc)
			continue;
		vaal_mdev_reserve_clear(mc->ctx, new);
		if (old->class[0])
			vaal_mdev_reserve_set(mc->ctx, old, old->budget_ns,
					      old->period_ns);
	}
	return ret;
}

/* Parse "CLASS BUDGET_NS PERIOD_NS" or "none" into @r. */
static int vaal_mdev_reserve_parse(const char *buf, struct vaal_mdev_reserve *r)
{
	char class[VAAL_CLASS_LEN + 1];
	size_t i;

	memset(r, 0, sizeof(*r));
	if (sysfs_streq(buf, "none") || sysfs_streq(buf, ""))
		return 0;
	if (sscanf(buf, "%16s %llu %llu", class, &r->budget_ns,
		   &r->period_ns) != 3 ||
	    strlen(class) >= VAAL_CLASS_LEN)
		return -EINVAL;
	for (i = 0; class[i]; i++)
		if (!islower(class[i]) && !isdigit(class[i]) &&
		    class[i] != '_' && class[i] != '-')
			return -EINVAL;
	if (r->period_ns < VAAL_SCHED_MIN_PERIOD_NS ||
	    r->period_ns > VAAL_SCHED_MAX_PERIOD_NS ||
	    !r->budget_ns || r->budget_ns > r->period_ns)
		return -EINVAL;
	strscpy(r->class, class, sizeof(r->class));
	return 0;
}

static ssize_t reserve_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct vaal_mdev_state *st = vaal_mdev_dev_state(dev);
	ssize_t n;

	mutex_lock(&st->lock);
	if (st->reserve.class[0])
		n = sysfs_emit(buf, "%s %llu %llu\n", st->reserve.class,
			       st->reserve.budget_ns, st->reserve.period_ns);
	else
		n = sysfs_emit(buf, "none\n");
	mutex_unlock(&st->lock);
	return n;
}

static ssize_t reserve_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct vaal_mdev_state *st = vaal_mdev_dev_state(dev);
	struct vaal_mdev_reserve r;
	int ret;

	ret = vaal_mdev_reserve_parse(buf, &r);
	if (ret)
		return ret;
	if (r.class[0]) {
		/* A reservation is a scheduling privilege, as for the ioctl. */
		if (!capable(CAP_SYS_NICE))
			return -EPERM;
		r.cred = get_current_cred();
	}
	mutex_lock(&st->lock);
	ret = vaal_mdev_reserve_swap(st, &r);
	mutex_unlock(&st->lock);
	/* The one not kept: the old on success, the new on failure. */
	if (r.cred)
		put_cred(r.cred);
	return ret ?: count;
}
static DEVICE_ATTR_RW(reserve);

static struct attribute *vaal_mdev_dev_attrs[] = {
	&dev_attr_contexts.attr,
	&dev_attr_buf_bytes.attr,
	&dev_attr_bytes_copied.attr,
	&dev_attr_pinned_pages.attr,
	&dev_attr_errors.attr,
	&dev_attr_resets.attr,
	&dev_attr_reserve.attr,
	NULL,
};

static const struct attribute_group vaal_mdev_dev_group = {
	.name = "vaal",
	.attrs = vaal_mdev_dev_attrs,
};

const struct attribute_group *vaal_mdev_dev_groups[] = {
	&vaal_mdev_dev_group,
	NULL,
};

/**
 * vaal_mdev_reserve_free - drop the reservation's credentials
 * @st: the device, going
 */
void vaal_mdev_reserve_free(struct vaal_mdev_state *st)
{
	if (st->reserve.cred)
		put_cred(st->reserve.cred);
	memset(&st->reserve, 0, sizeof(st->reserve));
}
