// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cpu_kunit.c - KUnit tests of the CPU controllers' built-in kernels,
 * in the kernel: they also prove that the kernel's crc32c() and the user-
 * space shim's agree (the native tests check the shim against the CRC
 * definition bit by bit).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

/* The code under test, built into this module. */
#include "vaal_cpu_kernels.c"

static int vaal_cpu_test_run(const char *name, struct vaal_cpu_args *a)
{
	const struct vaal_cpu_kernel *k = vaal_cpu_kernel_find(name);

	return k ? k->run(a) : -ENOENT;
}

static void vaal_cpu_test_crc32c(struct kunit *test)
{
	struct vaal_cpu_args *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	char *data = kunit_kzalloc(test, 9, GFP_KERNEL);
	__le32 *out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memcpy(data, "123456789", 9);
	a->buf[0] = data;
	a->len[0] = 9;
	a->buf[1] = out;
	a->len[1] = sizeof(*out);
	KUNIT_ASSERT_EQ(test, vaal_cpu_test_run("crc32c", a), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(*out), 0xe3069283U);
}

static void vaal_cpu_test_matmul(struct kunit *test)
{
	static const s32 ma[] = { 1, 2, 3, 4, 5, 6 }, mb[] = { 7, 8, 9, 10, 11, 12 };
	struct vaal_cpu_args *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	s32 *c = kunit_kzalloc(test, 4 * sizeof(*c), GFP_KERNEL);
	__le32 dims[3] = { cpu_to_le32(2), cpu_to_le32(2), cpu_to_le32(3) };

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	a->buf[0] = (void *)ma;
	a->len[0] = sizeof(ma);
	a->buf[1] = (void *)mb;
	a->len[1] = sizeof(mb);
	a->buf[2] = c;
	a->len[2] = 4 * sizeof(*c);
	memcpy(a->scalars, dims, sizeof(dims));
	KUNIT_ASSERT_EQ(test, vaal_cpu_test_run("matmul_i32", a), 0);
	KUNIT_EXPECT_EQ(test, c[0], 58);
	KUNIT_EXPECT_EQ(test, c[3], 154);
	a->len[2] = 3 * sizeof(*c);
	KUNIT_EXPECT_EQ(test, vaal_cpu_test_run("matmul_i32", a), -EINVAL);
}

static void vaal_cpu_test_sum(struct kunit *test)
{
	struct vaal_cpu_args *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	s32 *x = kunit_kcalloc(test, 1000, sizeof(*x), GFP_KERNEL);
	__le64 *out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < 1000; i++)
		x[i] = S32_MAX;
	a->buf[0] = x;
	a->len[0] = 1000 * sizeof(*x);
	a->buf[1] = out;
	a->len[1] = sizeof(*out);
	KUNIT_ASSERT_EQ(test, vaal_cpu_test_run("sum_i32", a), 0);
	KUNIT_EXPECT_EQ(test, (s64)le64_to_cpu(*out), 1000LL * S32_MAX);
}

static struct kunit_case vaal_cpu_test_cases[] = {
	KUNIT_CASE(vaal_cpu_test_crc32c),
	KUNIT_CASE(vaal_cpu_test_matmul),
	KUNIT_CASE(vaal_cpu_test_sum),
	{}
};

static struct kunit_suite vaal_cpu_test_suite = {
	.name = "vaal_cpu_kernels",
	.test_cases = vaal_cpu_test_cases,
};
kunit_test_suite(vaal_cpu_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core CPU controllers' built-in kernels");
MODULE_LICENSE("GPL");
