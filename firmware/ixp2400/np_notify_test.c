// SPDX-License-Identifier: GPL-2.0
/*
 * np_notify_test.c - KUnit tests of the NP virtual interrupt identifier in
 * the kernel; more cases run natively (tools/testing/native/np_notify_test.c).
 */
#include <kunit/test.h>
#include <linux/module.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_notify.c"

struct np_notify_test_log {
	unsigned int calls[NP_MAX_VIFS];
	unsigned int last;
	bool ordered;
};

static bool np_notify_test_cb(void *arg, unsigned int vif)
{
	struct np_notify_test_log *l = arg;

	l->ordered &= l->last == NP_MAX_VIFS || vif > l->last;
	l->last = vif;
	l->calls[vif]++;
	return vif % 2;
}

static void np_notify_test_once_each(struct kunit *test)
{
	struct np_notify_test_log *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct np_notify n;
	unsigned int v;

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->last = NP_MAX_VIFS;
	l->ordered = true;
	np_notify_init(&n);
	for (v = 0; v < NP_MAX_VIFS; v += 5) {
		np_notify_mark(&n, v);
		np_notify_mark(&n, v);
	}
	KUNIT_EXPECT_EQ(test, np_notify_flush(&n, np_notify_test_cb, l), 52U);
	for (v = 0; v < NP_MAX_VIFS; v++)
		KUNIT_EXPECT_EQ(test, l->calls[v], v % 5 ? 0U : 1U);
	KUNIT_EXPECT_TRUE(test, l->ordered);
	KUNIT_EXPECT_EQ(test, n.sent, 26ULL);
	KUNIT_EXPECT_EQ(test, n.suppressed, 26ULL);
	KUNIT_EXPECT_EQ(test, np_notify_flush(&n, np_notify_test_cb, l), 0U);
}

/* A flush visits the words with marked VIFs only. */
static void np_notify_test_flat(struct kunit *test)
{
	struct np_notify_test_log *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct np_notify n;

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->last = NP_MAX_VIFS;
	np_notify_init(&n);
	np_notify_mark(&n, NP_MAX_VIFS - 1);
	KUNIT_EXPECT_EQ(test, np_notify_flush(&n, np_notify_test_cb, l), 1U);
	KUNIT_EXPECT_EQ(test, n.words, 1ULL);
	KUNIT_EXPECT_EQ(test, np_notify_flush(&n, np_notify_test_cb, l), 0U);
	KUNIT_EXPECT_EQ(test, n.words, 1ULL);
}

static void np_notify_test_batching(struct kunit *test)
{
	struct np_notify n;

	np_notify_init(&n);
	KUNIT_EXPECT_EQ(test, np_notify_config(&n, 0, 0), -EINVAL);
	KUNIT_ASSERT_EQ(test, np_notify_config(&n, 8, 2), 0);
	np_notify_mark(&n, 3);
	KUNIT_EXPECT_FALSE(test, np_notify_frames(&n, 7));
	KUNIT_EXPECT_TRUE(test, np_notify_frames(&n, 1));
	KUNIT_EXPECT_FALSE(test, np_notify_poll_end(&n));
	KUNIT_EXPECT_TRUE(test, np_notify_poll_end(&n));
	np_notify_clear(&n, 3);
	KUNIT_EXPECT_EQ(test, n.summary, 0ULL);
}

static struct kunit_case np_notify_test_cases[] = {
	KUNIT_CASE(np_notify_test_once_each),
	KUNIT_CASE(np_notify_test_flat),
	KUNIT_CASE(np_notify_test_batching),
	{}
};

static struct kunit_suite np_notify_test_suite = {
	.name = "np_notify",
	.test_cases = np_notify_test_cases,
};
kunit_test_suite(np_notify_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP virtual interrupt identifier");
MODULE_LICENSE("GPL");
