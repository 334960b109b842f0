// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_main.c - svnic module life cycle
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "svnic.h"

/* Network processor instances running; none can be created yet. */
atomic_t svnic_nr_nps = ATOMIC_INIT(0);

static int __init svnic_init(void)
{
	int ret;

	ret = svnic_nl_init();
	if (ret) {
		pr_err("cannot register generic netlink family %s: %d\n",
		       SVNIC_GENL_NAME, ret);
		return ret;
	}
	pr_info("ABI %u.%u, generic netlink family %s ready\n",
		SVNIC_ABI_MAJOR, SVNIC_ABI_MINOR, SVNIC_GENL_NAME);
	return 0;
}

static void __exit svnic_exit(void)
{
	svnic_nl_exit();
}

module_init(svnic_init);
module_exit(svnic_exit);

MODULE_DESCRIPTION("V-Core self-virtualized NIC");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(SVNIC_GENL_NAME);
