// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cq_test.c - KUnit tests of the completion ring, its overflow list and
 * the reorder buffer (vaal_cq.c, built in): the cases of vaal_cq_cases.h,
 * which the native test runs too, beside its random streams and a consumer
 * thread (tools/testing/native/vaal_cq_test.c).
 */
#include <kunit/test.h>

#include "vaal_cq.c"
#include "vcore_case_kunit.h"
#include "vaal_cq_cases.h"

VCORE_KUNIT_CASES(vaal_cq_shared, vaal_cq_cases)

static struct kunit_case vaal_cq_test_cases[] = {
	VCORE_KUNIT_CASE(vaal_cq_shared),
	{}
};

static struct kunit_suite vaal_cq_test_suite = {
	.name = "vaal_cq",
	.test_cases = vaal_cq_test_cases,
};
kunit_test_suite(vaal_cq_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core completion ring and reorder buffer");
MODULE_LICENSE("GPL");
