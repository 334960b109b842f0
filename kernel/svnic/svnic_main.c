// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_main.c - svnic module life cycle
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "svnic.h"

/* Network processor instances running. */
atomic_t svnic_nr_nps = ATOMIC_INIT(0);

unsigned int svnic_max_vifs = 256;
module_param_named(max_vifs, svnic_max_vifs, uint, 0644);
MODULE_PARM_DESC(max_vifs, "VIFs one NP takes at most (default 256)");

static char *svnic_uplink;
module_param_named(uplink, svnic_uplink, charp, 0444);
MODULE_PARM_DESC(uplink, "Netdev of an NP made at load time (none by default)");

static int svnic_sidecore_cpu = -1;
module_param_named(sidecore_cpu, svnic_sidecore_cpu, int, 0444);
MODULE_PARM_DESC(sidecore_cpu, "CPU of that NP's sidecore (default -1: any)");

static int __init svnic_init(void)
{
	struct svnic_np *np;
	int ret;

	ret = svnic_np_init();
	if (ret)
		return ret;
	ret = svnic_nl_init();
	if (ret) {
		pr_err("cannot register generic netlink family %s: %d\n",
		       SVNIC_GENL_NAME, ret);
		goto out_np;
	}
	if (svnic_uplink && *svnic_uplink) {
		np = svnic_np_create(&svnic_sidecore_ops, svnic_uplink,
				     svnic_sidecore_cpu);
		ret = PTR_ERR_OR_ZERO(np);
		if (ret) {
			pr_err("uplink=%s: cannot make an NP: %d\n",
			       svnic_uplink, ret);
			goto out_nl;
		}
	}
	pr_info("ABI %u.%u, generic netlink family %s ready\n",
		SVNIC_ABI_MAJOR, SVNIC_ABI_MINOR, SVNIC_GENL_NAME);
	return 0;

out_nl:
	svnic_nl_exit();
out_np:
	svnic_np_exit();
	return ret;
}

static void __exit svnic_exit(void)
{
	svnic_nl_exit();
	svnic_np_destroy_all();
	svnic_np_exit();
}

module_init(svnic_init);
module_exit(svnic_exit);

MODULE_DESCRIPTION("V-Core self-virtualized NIC");
MODULE_AUTHOR("V-Core developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(SVNIC_GENL_NAME);
