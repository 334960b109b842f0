/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcore_case_native.h - the native side of kernel/include/vcore_case.h:
 * the CASE_*() macros as the kselftest harness's EXPECT_*() and ASSERT_*()
 * on the struct __test_metadata a case runs in, and a fixture with one
 * variant per case of a table, so that each case is one TAP result.
 *
 *	#include "vcs_fair.h"
 *	#include "kselftest_harness.h"
 *	#include "vcore_case_native.h"
 *	#include "vcs_fair_cases.h"
 *
 *	VCORE_NATIVE_CASES(vcs_fair, vcs_fair_cases)
 *
 * reports "vcs_fair.CASE.run" for each case.  Include it after
 * kselftest_harness.h.
 */
#ifndef _VCORE_CASE_NATIVE_H
#define _VCORE_CASE_NATIVE_H

#include <stdlib.h>
#include <string.h>

#include "vcore_case.h"

/* The harness's macros name their test "_metadata". */
#define CASE__DO(ctx, check)						\
	do {								\
		struct __test_metadata *_metadata =			\
			(struct __test_metadata *)(ctx);		\
		check;							\
	} while (0)

#define CASE_EXPECT_EQ(ctx, a, b)	CASE__DO(ctx, EXPECT_EQ(a, b))
#define CASE_EXPECT_NE(ctx, a, b)	CASE__DO(ctx, EXPECT_NE(a, b))
#define CASE_EXPECT_LT(ctx, a, b)	CASE__DO(ctx, EXPECT_LT(a, b))
#define CASE_EXPECT_LE(ctx, a, b)	CASE__DO(ctx, EXPECT_LE(a, b))
#define CASE_EXPECT_GT(ctx, a, b)	CASE__DO(ctx, EXPECT_GT(a, b))
#define CASE_EXPECT_GE(ctx, a, b)	CASE__DO(ctx, EXPECT_GE(a, b))
#define CASE_EXPECT_TRUE(ctx, c)	CASE__DO(ctx, EXPECT_TRUE(c))
#define CASE_EXPECT_FALSE(ctx, c)	CASE__DO(ctx, EXPECT_FALSE(c))
#define CASE_EXPECT_PTR_EQ(ctx, a, b) \
	CASE__DO(ctx, EXPECT_EQ((const void *)(a), (const void *)(b)))
#define CASE_EXPECT_NULL(ctx, p) \
	CASE__DO(ctx, EXPECT_EQ(NULL, (const void *)(p)))
#define CASE_EXPECT_NOT_NULL(ctx, p) \
	CASE__DO(ctx, EXPECT_NE(NULL, (const void *)(p)))

#define CASE_ASSERT_EQ(ctx, a, b)	CASE__DO(ctx, ASSERT_EQ(a, b))
#define CASE_ASSERT_NE(ctx, a, b)	CASE__DO(ctx, ASSERT_NE(a, b))
#define CASE_ASSERT_LT(ctx, a, b)	CASE__DO(ctx, ASSERT_LT(a, b))
#define CASE_ASSERT_LE(ctx, a, b)	CASE__DO(ctx, ASSERT_LE(a, b))
#define CASE_ASSERT_GT(ctx, a, b)	CASE__DO(ctx, ASSERT_GT(a, b))
#define CASE_ASSERT_GE(ctx, a, b)	CASE__DO(ctx, ASSERT_GE(a, b))
#define CASE_ASSERT_TRUE(ctx, c)	CASE__DO(ctx, ASSERT_TRUE(c))
#define CASE_ASSERT_FALSE(ctx, c)	CASE__DO(ctx, ASSERT_FALSE(c))
#define CASE_ASSERT_PTR_EQ(ctx, a, b) \
	CASE__DO(ctx, ASSERT_EQ((const void *)(a), (const void *)(b)))
#define CASE_ASSERT_NULL(ctx, p) \
	CASE__DO(ctx, ASSERT_EQ(NULL, (const void *)(p)))
#define CASE_ASSERT_NOT_NULL(ctx, p) \
	CASE__DO(ctx, ASSERT_NE(NULL, (const void *)(p)))

#define CASE_FAIL(ctx, fmt, ...)					\
	CASE__DO(ctx, do {						\
		TH_LOG(fmt, ##__VA_ARGS__);				\
		_metadata->exit_code = KSFT_FAIL;			\
	} while (0))
#define CASE_FAILED(ctx) \
	(((struct __test_metadata *)(ctx))->exit_code == KSFT_FAIL)
/*
 * Each test runs in a child process of its own, which exits after it: what
 * a case allocates goes with it.  Aligned to a cache line, as structures
 * that ask for it (____cacheline_aligned) need.
 */
static inline void *vcore_case_zalloc(size_t size)
{
	void *p = aligned_alloc(64, (size + 63) & ~(size_t)63);

	return p ? memset(p, 0, size) : NULL;
}

#define CASE_ZALLOC(ctx, size)	((void)(ctx), vcore_case_zalloc(size))

/*
 * VCORE_NATIVE_CASES() - fixture @fixture, with one variant per entry of
 * @table (struct vcore_case), named as the case, and one test, "run",
 * that runs the variant's case.
 */
#define VCORE_NATIVE_CASES(fixture, table)				\
	FIXTURE(fixture) {						\
		char unused;						\
	};								\
	FIXTURE_VARIANT(fixture) {					\
		const struct vcore_case *c;				\
	};								\
	FIXTURE_SETUP(fixture)						\
	{								\
	}								\
	FIXTURE_TEARDOWN(fixture)					\
	{								\
	}								\
	static FIXTURE_VARIANT(fixture)					\
		_##fixture##_case_data[ARRAY_SIZE(table)];		\
	static struct __fixture_variant_metadata			\
		_##fixture##_case_variant[ARRAY_SIZE(table)];		\
	static void __attribute__((constructor(KSELFTEST_PRIO_TEST)))	\
	_##fixture##_register_cases(void)				\
	{								\
		unsigned int i;						\
									\
		for (i = 0; i < ARRAY_SIZE(table); i++) {		\
			_##fixture##_case_data[i].c = &(table)[i];	\
			_##fixture##_case_variant[i].name =		\
				(table)[i].name;			\
			_##fixture##_case_variant[i].data =		\
				&_##fixture##_case_data[i];		\
			__register_fixture_variant(			\
				&_##fixture##_fixture_object,		\
				&_##fixture##_case_variant[i]);		\
		}							\
	}								\
	TEST_F(fixture, run)						\
	{								\
		variant->c->run((struct vcore_case_ctx *)_metadata);	\
	}

#endif /* _VCORE_CASE_NATIVE_H */
