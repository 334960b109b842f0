/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcore_case_kunit.h - the KUnit side of vcore_case.h: the CASE_*()
 * macros as KUNIT_*() on the struct kunit a case runs in, and a
 * parameterised KUnit test that runs every case of a table.
 *
 *	#include "vcore_case_kunit.h"
 *	#include "vcs_fair_cases.h"
 *
 *	VCORE_KUNIT_CASES(vcs_fair_shared, vcs_fair_cases)
 *
 *	static struct kunit_case ...[] = {
 *		VCORE_KUNIT_CASE(vcs_fair_shared),
 *		...
 */
#ifndef _VCORE_CASE_KUNIT_H
#define _VCORE_CASE_KUNIT_H

#include <kunit/test.h>

#include "vcore_case.h"

#define CASE_T(ctx)			((struct kunit *)(ctx))

#define CASE_EXPECT_EQ(ctx, a, b)	KUNIT_EXPECT_EQ(CASE_T(ctx), a, b)
#define CASE_EXPECT_NE(ctx, a, b)	KUNIT_EXPECT_NE(CASE_T(ctx), a, b)
#define CASE_EXPECT_LT(ctx, a, b)	KUNIT_EXPECT_LT(CASE_T(ctx), a, b)
#define CASE_EXPECT_LE(ctx, a, b)	KUNIT_EXPECT_LE(CASE_T(ctx), a, b)
#define CASE_EXPECT_GT(ctx, a, b)	KUNIT_EXPECT_GT(CASE_T(ctx), a, b)
#define CASE_EXPECT_GE(ctx, a, b)	KUNIT_EXPECT_GE(CASE_T(ctx), a, b)
#define CASE_EXPECT_TRUE(ctx, c)	KUNIT_EXPECT_TRUE(CASE_T(ctx), c)
#define CASE_EXPECT_FALSE(ctx, c)	KUNIT_EXPECT_FALSE(CASE_T(ctx), c)
#define CASE_EXPECT_PTR_EQ(ctx, a, b)	KUNIT_EXPECT_PTR_EQ(CASE_T(ctx), a, b)
#define CASE_EXPECT_NULL(ctx, p)	KUNIT_EXPECT_NULL(CASE_T(ctx), p)
#define CASE_EXPECT_NOT_NULL(ctx, p)	KUNIT_EXPECT_NOT_NULL(CASE_T(ctx), p)

#define CASE_ASSERT_EQ(ctx, a, b)	KUNIT_ASSERT_EQ(CASE_T(ctx), a, b)
#define CASE_ASSERT_NE(ctx, a, b)	KUNIT_ASSERT_NE(CASE_T(ctx), a, b)
#define CASE_ASSERT_LT(ctx, a, b)	KUNIT_ASSERT_LT(CASE_T(ctx), a, b)
#define CASE_ASSERT_LE(ctx, a, b)	KUNIT_ASSERT_LE(CASE_T(ctx), a, b)
#define CASE_ASSERT_GT(ctx, a, b)	KUNIT_ASSERT_GT(CASE_T(ctx), a, b)
#define CASE_ASSERT_GE(ctx, a, b)	KUNIT_ASSERT_GE(CASE_T(ctx), a, b)
#define CASE_ASSERT_TRUE(ctx, c)	KUNIT_ASSERT_TRUE(CASE_T(ctx), c)
#define CASE_ASSERT_FALSE(ctx, c)	KUNIT_ASSERT_FALSE(CASE_T(ctx), c)
#define CASE_ASSERT_PTR_EQ(ctx, a, b)	KUNIT_ASSERT_PTR_EQ(CASE_T(ctx), a, b)
#define CASE_ASSERT_NULL(ctx, p)	KUNIT_ASSERT_NULL(CASE_T(ctx), p)
#define CASE_ASSERT_NOT_NULL(ctx, p)	KUNIT_ASSERT_NOT_NULL(CASE_T(ctx), p)

#define CASE_FAIL(ctx, fmt, ...) \
	KUNIT_FAIL(CASE_T(ctx), fmt, ##__VA_ARGS__)
#define CASE_FAILED(ctx)	(CASE_T(ctx)->status == KUNIT_FAILURE)
#define CASE_ZALLOC(ctx, size)	kunit_kzalloc(CASE_T(ctx), size, GFP_KERNEL)

/*
 * VCORE_KUNIT_CASES() - a parameterised KUnit test, @test_name, whose
 * parameters are the entries of @table (struct vcore_case), each reported
 * under its name.  List it with VCORE_KUNIT_CASE(@test_name).
 */
#define VCORE_KUNIT_CASES(test_name, table)				\
	KUNIT_ARRAY_PARAM_DESC(test_name, table, name)			\
	static void test_name(struct kunit *test)			\
	{								\
		const struct vcore_case *c = test->param_value;		\
									\
		c->run((struct vcore_case_ctx *)test);			\
	}

#define VCORE_KUNIT_CASE(test_name) \
	KUNIT_CASE_PARAM(test_name, test_name##_gen_params)

#endif /* _VCORE_CASE_KUNIT_H */
