// SPDX-License-Identifier: GPL-2.0
/*
 * np_sched_test.c - KUnit tests of the NP egress scheduler in the kernel:
 * the cases of np_sched_cases.h, which the native test runs too; the long
 * simulations run natively only (tools/testing/native/np_sched_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_sched.c"
#include "vcore_case_kunit.h"
#include "np_sched_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_sched_shared, np_sched_cases)

static struct kunit_case np_sched_test_cases[] = {
	VCORE_KUNIT_CASE(np_sched_shared),
	{}
};

static struct kunit_suite np_sched_test_suite = {
	.name = "np_sched",
	.test_cases = np_sched_test_cases,
};
kunit_test_suite(np_sched_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP egress scheduler");
MODULE_LICENSE("GPL");
