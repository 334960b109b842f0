// SPDX-License-Identifier: GPL-2.0
/*
 * vcore_harness_test.c - test-only module that misbehaves on request
 *
 * It proves that the VM harness fails a run on kernel reports even when
 * every test passed.  Never load it outside the harness's own tests:
 *
 *   insmod vcore_harness_test.ko action=warn   - WARN_ON() at load
 *   insmod vcore_harness_test.ko action=leak   - leak one object (kmemleak)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *action = "none";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action, "What to do at load: none, warn or leak");

/* Written with WRITE_ONCE() so the compiler keeps both stores. */
static void *vcore_harness_sink;

static int __init vcore_harness_init(void)
{
	if (!strcmp(action, "warn")) {
		WARN_ON(1);
	} else if (!strcmp(action, "leak")) {
		WRITE_ONCE(vcore_harness_sink, kmalloc(256, GFP_KERNEL));
		WRITE_ONCE(vcore_harness_sink, NULL);
	} else if (strcmp(action, "none")) {
		pr_err("unknown action '%s'\n", action);
		return -EINVAL;
	}
	pr_info("action %s done\n", action);
	return 0;
}

static void __exit vcore_harness_exit(void)
{
}

module_init(vcore_harness_init);
module_exit(vcore_harness_exit);

MODULE_DESCRIPTION("V-Core VM harness self-test module (test only)");
MODULE_LICENSE("GPL");
