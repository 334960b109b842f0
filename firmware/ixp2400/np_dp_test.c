// SPDX-License-Identifier: GPL-2.0
/*
 * np_dp_test.c - KUnit tests of the NP data plane pipeline in the kernel:
 * the cases of np_dp_cases.h (replication, drops, DRR fairness, rate
 * limits, notifications and VIF removal, with every frame accounted for),
 * which the native test runs too; more cases run natively only
 * (tools/testing/native/np_dp_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"
#include "np_sched.c"
#include "np_classify.c"
#include "np_notify.c"
#include "np_dp.c"
#include "vcore_case_kunit.h"

KUNIT_DEFINE_ACTION_WRAPPER(np_dp_test_vfree, vfree, const void *);

/* A case's memory: vmalloc()ed, its pool is too big for kmalloc(). */
static void *np_dpc_alloc(struct vcore_case_ctx *ctx, size_t bytes)
{
	void *p = vzalloc(bytes);

	if (!p || kunit_add_action_or_reset(CASE_T(ctx), np_dp_test_vfree, p))
		return NULL;
	return p;
}

#include "np_dp_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_dp_shared, np_dp_cases)

static struct kunit_case np_dp_test_cases[] = {
	VCORE_KUNIT_CASE(np_dp_shared),
	{}
};

static struct kunit_suite np_dp_test_suite = {
	.name = "np_dp",
	.test_cases = np_dp_test_cases,
};
kunit_test_suite(np_dp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP data plane pipeline");
MODULE_LICENSE("GPL");
