// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_main.c - the CPU sidecore controller of vaal_core
 *
 * Registers the controller "cpu0" of class "cpu", with one unit per CPU of
 * the cpus parameter, each a kthread bound to its CPU (vaal_cpu_unit.c)
 * that runs the built-in kernels of vaal_cpu_kernels.c.  A launch naming no
 * built-in kernel, or whose signature differs from the built-in's,
 * completes at once from start(), with -ENOENT or -EINVAL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "vaal_cpu.h"

static char *vaal_cpu_cpus;
module_param_named(cpus, vaal_cpu_cpus, charp, 0444);
MODULE_PARM_DESC(cpus,
		 "CPUs to run units on, a list such as 1,3-4 (default: the last online CPU)");

/**
 * struct vaal_cpu_ctrl - the controller
 * @ctrl: as registered with the core
 * @units: its units, @ctrl.nr_units of them
 */
struct vaal_cpu_ctrl {
	struct vaal_controller ctrl;
	struct vaal_cpu_unit *units[];
};

static struct vaal_cpu_ctrl *vaal_cpu_self;

static struct vaal_cpu_ctrl *vaal_cpu_of(struct vaal_controller *ctrl)
{
	return container_of(ctrl, struct vaal_cpu_ctrl, ctrl);
}

/**
 * vaal_cpu_check - the built-in kernel a launch runs
 * @work: the launch
 *
 * Return: the kernel; ERR_PTR(-ENOENT) when no built-in kernel has the
 * launch's name, ERR_PTR(-EINVAL) when its buffer arguments, their access
 * modes or its scalar bytes differ from the built-in's.
 */
static const struct vaal_cpu_kernel *vaal_cpu_check(const struct vaal_work *work)
{
	const struct vaal_cpu_kernel *k;
	unsigned int i;
	u32 len;

	k = vaal_cpu_kernel_find(vaal_work_name(work));
	if (!k)
		return ERR_PTR(-ENOENT);
	if (vaal_work_nr_args(work) != k->nr_args)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < k->nr_args; i++)
		if (vaal_work_arg_mode(work, i) != k->arg_mode[i])
			return ERR_PTR(-EINVAL);
	vaal_work_scalars(work, &len);
	if (len != k->scalar_bytes)
		return ERR_PTR(-EINVAL);
	return k;
}

/**
 * vaal_cpu_start - &vaal_ctrl_ops.start: post a launch to a unit
 * @ctrl: the controller
 * @unit: the unit, free
 * @work: the launch
 *
 * Does not sleep.
 *
 * Return: 0 when the unit took the launch, or the error it completes with
 * at once (see vaal_cpu_check()).
 */
static int vaal_cpu_start(struct vaal_controller *ctrl, unsigned int unit,
			  struct vaal_work *work)
{
	const struct vaal_cpu_kernel *k;

	if (WARN_ON_ONCE(unit >= ctrl->nr_units))
		return -EINVAL;
	k = vaal_cpu_check(work);
	if (IS_ERR(k))
		return PTR_ERR(k);
	work->priv = (void *)k;
	vaal_cpu_unit_post(vaal_cpu_of(ctrl)->units[unit], work);
	return 0;
}

/**
 * vaal_cpu_cancel - &vaal_ctrl_ops.cancel: give a launch back soon
 * @ctrl: the controller
 * @unit: the unit holding @work
 * @work: the launch
 */
static void vaal_cpu_cancel(struct vaal_controller *ctrl, unsigned int unit,
			    struct vaal_work *work)
{
	if (WARN_ON_ONCE(unit >= ctrl->nr_units))
		return;
	vaal_cpu_unit_cancel(vaal_cpu_of(ctrl)->units[unit], work);
}

/**
 * vaal_cpu_run - &vaal_ctrl_ops.run: run a launch in a worker of its context
 * @ctrl: the controller
 * @unit: the unit holding @work
 * @work: the launch
 *
 * On the unit's CPU, as the unit's own thread would.
 */
static void vaal_cpu_run(struct vaal_controller *ctrl, unsigned int unit,
			 struct vaal_work *work)
{
	struct vaal_cpu_unit *u = vaal_cpu_of(ctrl)->units[unit];

	if (!cpumask_equal(current->cpus_ptr, cpumask_of(u->cpu)))
		set_cpus_allowed_ptr(current, cpumask_of(u->cpu));
	vaal_cpu_unit_exec(u, work);
}

static const struct vaal_ctrl_ops vaal_cpu_ops = {
	.start = vaal_cpu_start,
	.cancel = vaal_cpu_cancel,
	.run = vaal_cpu_run,
};

/**
 * vaal_cpu_parse - the CPUs the cpus parameter names
 * @mask: filled
 *
 * Return: 0, or -EINVAL when cpus is not a list of online CPUs or names
 * more than %VAAL_MAX_UNITS of them.
 */
static int vaal_cpu_parse(struct cpumask *mask)
{
	unsigned int cpu;

	cpumask_clear(mask);
	if (!vaal_cpu_cpus || !*vaal_cpu_cpus) {
		cpumask_set_cpu(cpumask_last(cpu_online_mask), mask);
		return 0;
	}
	if (cpulist_parse(vaal_cpu_cpus, mask) || cpumask_empty(mask)) {
		pr_err("cpus=%s: not a list of CPUs such as 1,3-4 below %u\n",
		       vaal_cpu_cpus, nr_cpu_ids);
		return -EINVAL;
	}
	for_each_cpu(cpu, mask) {
		if (!cpu_online(cpu)) {
			pr_err("cpus=%s: CPU %u is not online (online: %*pbl)\n",
			       vaal_cpu_cpus, cpu,
			       cpumask_pr_args(cpu_online_mask));
			return -EINVAL;
		}
	}
	if (cpumask_weight(mask) > VAAL_MAX_UNITS) {
		pr_err("cpus=%s: more than %u CPUs\n", vaal_cpu_cpus,
		       VAAL_MAX_UNITS);
		return -EINVAL;
	}
	return 0;
}

/**
 * vaal_cpu_destroy_units - stop and free the first units of the controller
 * @vc: the controller, registered no more
 * @nr: units to destroy
 */
static void vaal_cpu_destroy_units(struct vaal_cpu_ctrl *vc, unsigned int nr)
{
	while (nr--)
		vaal_cpu_unit_destroy(vc->units[nr]);
}

/**
 * vaal_cpu_create - the controller, with its units started
 *
 * Holds CPU hotplug off while it checks the CPUs and binds threads to them.
 *
 * Return: the controller, not registered yet, or an ERR_PTR().
 */
static struct vaal_cpu_ctrl *vaal_cpu_create(void)
{
	struct vaal_cpu_ctrl *vc = ERR_PTR(-ENOMEM);
	unsigned int cpu, nr = 0;
	cpumask_var_t mask;
	int ret;

	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return vc;
	cpus_read_lock();
	ret = vaal_cpu_parse(mask);
	if (ret)
		goto unlock;
	ret = -ENOMEM;
	vc = kzalloc(struct_size(vc, units, cpumask_weight(mask)), GFP_KERNEL);
	if (!vc)
		goto unlock;
	for_each_cpu(cpu, mask) {
		vc->units[nr] = vaal_cpu_unit_create(cpu);
		if (IS_ERR(vc->units[nr])) {
			ret = PTR_ERR(vc->units[nr]);
			goto destroy_units;
		}
		nr++;
	}
	cpus_read_unlock();
	pr_info("one unit on each of CPUs %*pbl\n", cpumask_pr_args(mask));
	free_cpumask_var(mask);
	vc->ctrl.nr_units = nr;
	return vc;

destroy_units:
	vaal_cpu_destroy_units(vc, nr);
	kfree(vc);
unlock:
	cpus_read_unlock();
	free_cpumask_var(mask);
	return ERR_PTR(ret);
}

static int __init vaal_cpu_init(void)
{
	struct vaal_cpu_ctrl *vc;
	int ret;

	vc = vaal_cpu_create();
	if (IS_ERR(vc))
		return PTR_ERR(vc);
	strscpy(vc->ctrl.name, "cpu0");
	strscpy(vc->ctrl.class, "cpu");
	vc->ctrl.ops = &vaal_cpu_ops;
	vc->ctrl.owner = THIS_MODULE;
	ret = vaal_controller_register(&vc->ctrl);
	if (ret) {
		pr_err("cannot register controller %s: %d\n", vc->ctrl.name, ret);
		goto destroy_units;
	}
	vaal_cpu_self = vc;
	return 0;

destroy_units:
	vaal_cpu_destroy_units(vc, vc->ctrl.nr_units);
	kfree(vc);
	return ret;
}
module_init(vaal_cpu_init);

static void __exit vaal_cpu_exit(void)
{
	struct vaal_cpu_ctrl *vc = vaal_cpu_self;

	/* Waits until every launch started on a unit is done. */
	vaal_controller_unregister(&vc->ctrl);
	vaal_cpu_destroy_units(vc, vc->ctrl.nr_units);
	kfree(vc);
}
module_exit(vaal_cpu_exit);

MODULE_DESCRIPTION("V-Core CPU sidecore controller: built-in kernels on dedicated CPUs");
MODULE_LICENSE("GPL");
