// SPDX-License-Identifier: GPL-2.0
/*
 * np_classify_test.c - KUnit tests of the NP classify stage in the kernel:
 * the cases of np_classify_cases.h, which the native test runs too; a
 * random comparison of the forwarding table with a reference runs natively
 * only (tools/testing/native/np_classify_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_classify.c"
#include "vcore_case_kunit.h"

KUNIT_DEFINE_ACTION_WRAPPER(np_cls_test_vfree, vfree, const void *);

/* The classifier of a case: vmalloc()ed, it is too big for kmalloc(). */
static struct np_classify *np_clsc_alloc(struct vcore_case_ctx *ctx)
{
	struct kunit *test = CASE_T(ctx);
	struct np_classify *cls = vzalloc(sizeof(*cls));

	if (!cls || kunit_add_action_or_reset(test, np_cls_test_vfree, cls))
		return NULL;
	return cls;
}

#include "np_classify_cases.h"

/* The hand-written cases, shared with the native test. */
VCORE_KUNIT_CASES(np_classify_shared, np_classify_cases)

static struct kunit_case np_cls_test_cases[] = {
	VCORE_KUNIT_CASE(np_classify_shared),
	{}
};

static struct kunit_suite np_cls_test_suite = {
	.name = "np_classify",
	.test_cases = np_cls_test_cases,
};
kunit_test_suite(np_cls_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP classify stage");
MODULE_LICENSE("GPL");
