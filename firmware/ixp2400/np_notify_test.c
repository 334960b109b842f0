// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_test.c - KUnit tests of the NP virtual interrupt identifier in
 * the kernel: the cases of np_notify_cases.h, which the native test
 * (tools/testing/native/np_notify_test.c) runs too.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_notify.c"
#include "vcore_case_kunit.h"
#include "np_notify_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_notify_shared, np_notify_cases)

static struct kunit_case np_notify_test_cases[] = {
	VCORE_KUNIT_CASE(np_notify_shared),
	{}
};

static struct kunit_suite np_notify_test_suite = {
	.name = "np_notify",
	.test_cases = np_notify_test_cases,
};
kunit_test_suite(np_notify_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP virtual interrupt identifier");
MODULE_LICENSE("GPL");
