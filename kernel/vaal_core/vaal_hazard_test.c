// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_hazard_test.c - KUnit tests of the hazard scoreboard, in the kernel
 * (KASAN, lockdep and friends watching): the cases of vaal_hazard_cases.h,
 * which the native test runs too.  The exhaustive random comparison with a
 * reference runs natively: tools/testing/native/vaal_hazard_test.c.
 */
#include <kunit/test.h>

/* The code under test, built into this module (vaal_core.ko has its own). */
#include "vaal_hazard.c"
#include "vcore_case_kunit.h"
#include "vaal_hazard_cases.h"

VCORE_KUNIT_CASES(vaal_hz_shared, vaal_hazard_cases)

static struct kunit_case vaal_hz_test_cases[] = {
	VCORE_KUNIT_CASE(vaal_hz_shared),
	{}
};

static struct kunit_suite vaal_hz_test_suite = {
	.name = "vaal_hazard",
	.test_cases = vaal_hz_test_cases,
};
kunit_test_suite(vaal_hz_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core hazard scoreboard");
MODULE_LICENSE("GPL");
