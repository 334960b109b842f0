/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcore_case.h - the cases of a pure-logic unit, written once and run by
 * two harnesses: its KUnit suite in the kernel and its native test in user
 * space (ASan, UBSan).
 *
 * A unit's cases live in a header beside it (e.g. vcs_fair_cases.h): each
 * case is a function of a struct vcore_case_ctx, listed with its name in a
 * table of struct vcore_case.  A case states what it expects only through
 * the CASE_* macros below, which each harness defines before it includes
 * the cases: vcore_case_kunit.h maps them to KUnit's KUNIT_EXPECT_*(),
 * tools/testing/native/vcore_case_native.h to the kselftest harness's
 * EXPECT_*().  Each harness runs every entry of the table as one test
 * (VCORE_KUNIT_CASES(), VCORE_NATIVE_CASES()).
 *
 *   CASE_EXPECT_EQ(ctx, a, b)	 and _NE, _LT, _LE, _GT, _GE: a OP b
 *   CASE_EXPECT_TRUE(ctx, c)	 and _FALSE
 *   CASE_EXPECT_PTR_EQ(ctx, a, b), CASE_EXPECT_NULL(ctx, p), _NOT_NULL
 *   CASE_ASSERT_*(ctx, ...)	 the same, but a failure ends the case
 *   CASE_FAIL(ctx, fmt, ...)	 a failure, with a message
 *   CASE_FAILED(ctx)		 whether the case has failed so far
 *   CASE_ZALLOC(ctx, size)	 zeroed memory that lives as long as the
 *				 case (NULL when there is none)
 *
 * The cases are compiled in both worlds: a case header includes only the
 * unit's own header and what the native shim (tools/shim/include) has too.
 */
#ifndef _VCORE_CASE_H
#define _VCORE_CASE_H

/* A harness's state for one case; what it is, only the harness knows. */
struct vcore_case_ctx;

/**
 * struct vcore_case - one case of a unit
 * @name: its name, an identifier (the harnesses' test names)
 * @run: the case; states its expectations on @ctx through CASE_*()
 */
struct vcore_case {
	const char *name;
	void (*run)(struct vcore_case_ctx *ctx);
};

#endif /* _VCORE_CASE_H */
