// SPDX-License-Identifier: GPL-2.0
/*
 * np_ctl_test.c - KUnit tests of the NP side of the host<->NP control
 * protocol in the kernel: the cases of np_ctl_cases.h (HELLO, versions,
 * header and payload checks, a VIF configured and read back), which the
 * native test runs too; every field's refusal is tested natively
 * (tools/testing/native/np_ctl_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"
#include "np_sched.c"
#include "np_classify.c"
#include "np_notify.c"
#include "np_dp.c"
#include "np_ctl.c"
#include "vcore_case_kunit.h"

KUNIT_DEFINE_ACTION_WRAPPER(np_ctl_test_vfree, vfree, const void *);

/* A case's data plane: vmalloc()ed, it is too big for kmalloc(). */
static struct np_dp *np_ctlc_alloc_dp(struct vcore_case_ctx *ctx,
				      size_t bytes)
{
	struct np_dp *dp = vzalloc(bytes);

	if (!dp || kunit_add_action_or_reset(CASE_T(ctx), np_ctl_test_vfree,
					     dp))
		return NULL;
	return dp;
}

#include "np_ctl_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_ctl_shared, np_ctl_cases)

static struct kunit_case np_ctl_test_cases[] = {
	VCORE_KUNIT_CASE(np_ctl_shared),
	{}
};

static struct kunit_suite np_ctl_test_suite = {
	.name = "np_ctl",
	.test_cases = np_ctl_test_cases,
};
kunit_test_suite(np_ctl_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP control protocol");
MODULE_LICENSE("GPL");
