// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_main.c - vcore_sched module life cycle
 *
 * vcore_sched plugs its accelerator scheduling policies into vaal_core
 * through vaal_sched_register().  The module holds a reference on vaal_core
 * for as long as it is loaded, so vaal_core cannot be unloaded under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include <vaal_sched.h>

static struct vaal_sched_policy vcs_policy = {
	.name	= "vcore_sched",
	.owner	= THIS_MODULE,
};

static int __init vcs_init(void)
{
	int ret;

	ret = vaal_sched_register(&vcs_policy);
	if (ret)
		pr_err("cannot register with vaal_core: %d\n", ret);
	return ret;
}

static void __exit vcs_exit(void)
{
	vaal_sched_unregister(&vcs_policy);
}

module_init(vcs_init);
module_exit(vcs_exit);

MODULE_DESCRIPTION("V-Core accelerator scheduling policies");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
