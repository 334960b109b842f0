// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_hazard_test.c - KUnit tests of the hazard scoreboard, in the kernel
 * (KASAN, lockdep and friends watching).  The exhaustive random comparison
 * with a reference runs natively: tools/testing/native/vaal_hazard_test.c.
 */
#include <kunit/test.h>

/* The code under test, built into this module (vaal_core.ko has its own). */
#include "vaal_hazard.c"

struct vaal_hz_test {
	struct vaal_hz hz;
	struct vaal_hz_buf buf[2];
	struct vaal_hz_job job[4];
	struct vaal_hz_access acc[4][VAAL_HZ_MAX_ARGS];
};

static struct vaal_hz_test *vaal_hz_test_new(struct kunit *test)
{
	struct vaal_hz_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < ARRAY_SIZE(t->job); i++)
		t->job[i].acc = t->acc[i];
	vaal_hz_init(&t->hz);
	vaal_hz_buf_init(&t->buf[0]);
	vaal_hz_buf_init(&t->buf[1]);
	return t;
}

static void vaal_hz_test_acc(struct vaal_hz_job *job, struct vaal_hz_buf *buf,
			     u64 start, u64 end, u8 mode)
{
	struct vaal_hz_access *a = &job->acc[job->nr_acc++];

	a->buf = buf;
	a->start = start;
	a->end = end;
	a->mode = mode;
}

static void vaal_hz_test_raw(struct kunit *test)
{
	struct vaal_hz_test *t = vaal_hz_test_new(test);

	vaal_hz_test_acc(&t->job[0], &t->buf[0], 0, 64, VAAL_HZ_WRITE);
	vaal_hz_test_acc(&t->job[1], &t->buf[0], 63, 64, VAAL_HZ_READ);
	vaal_hz_test_acc(&t->job[2], &t->buf[0], 64, 128, VAAL_HZ_READ);
	vaal_hz_submit(&t->hz, &t->job[0]);
	vaal_hz_submit(&t->hz, &t->job[1]);
	vaal_hz_submit(&t->hz, &t->job[2]);
	KUNIT_EXPECT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	KUNIT_EXPECT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[2]);
	KUNIT_EXPECT_NULL(test, vaal_hz_pop_ready(&t->hz));
	vaal_hz_complete(&t->hz, &t->job[0], 0);
	KUNIT_EXPECT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	vaal_hz_complete(&t->hz, &t->job[1], 0);
	vaal_hz_complete(&t->hz, &t->job[2], 0);
	KUNIT_EXPECT_FALSE(test, vaal_hz_buf_busy(&t->buf[0]));
}

static void vaal_hz_test_barrier(struct kunit *test)
{
	struct vaal_hz_test *t = vaal_hz_test_new(test);

	vaal_hz_test_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	t->job[1].barrier = true;
	t->job[2].barrier = true;
	vaal_hz_test_acc(&t->job[3], &t->buf[1], 0, 8, VAAL_HZ_READ);
	for (int i = 0; i < 4; i++)
		vaal_hz_submit(&t->hz, &t->job[i]);
	for (int i = 0; i < 4; i++) {
		KUNIT_ASSERT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[i]);
		KUNIT_EXPECT_NULL(test, vaal_hz_pop_ready(&t->hz));
		vaal_hz_complete(&t->hz, &t->job[i], 0);
	}
}

static void vaal_hz_test_cancel(struct kunit *test)
{
	struct vaal_hz_test *t = vaal_hz_test_new(test);

	vaal_hz_test_acc(&t->job[0], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	vaal_hz_test_acc(&t->job[1], &t->buf[0], 0, 8, VAAL_HZ_READ);
	vaal_hz_test_acc(&t->job[2], &t->buf[0], 0, 8, VAAL_HZ_WRITE);
	for (int i = 0; i < 3; i++)
		vaal_hz_submit(&t->hz, &t->job[i]);
	KUNIT_ASSERT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[0]);
	vaal_hz_complete(&t->hz, &t->job[0], -EIO);
	/* The reader is cancelled; the writer after it (WAW) still runs. */
	KUNIT_ASSERT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[1]);
	KUNIT_EXPECT_EQ(test, t->job[1].status, -ECANCELED);
	vaal_hz_complete(&t->hz, &t->job[1], t->job[1].status);
	KUNIT_ASSERT_PTR_EQ(test, vaal_hz_pop_ready(&t->hz), &t->job[2]);
	KUNIT_EXPECT_EQ(test, t->job[2].status, 0);
	vaal_hz_complete(&t->hz, &t->job[2], 0);
}

static struct kunit_case vaal_hz_test_cases[] = {
	KUNIT_CASE(vaal_hz_test_raw),
	KUNIT_CASE(vaal_hz_test_barrier),
	KUNIT_CASE(vaal_hz_test_cancel),
	{}
};

static struct kunit_suite vaal_hz_test_suite = {
	.name = "vaal_hazard",
	.test_cases = vaal_hz_test_cases,
};
kunit_test_suite(vaal_hz_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core hazard scoreboard");
MODULE_LICENSE("GPL");
