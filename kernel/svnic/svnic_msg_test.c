// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_msg_test.c - KUnit tests of the host side of the host<->NP control
 * protocol: svnic's requests answered by a real NP data plane through a
 * backend that can tamper with the replies, to show that svnic believes
 * only a reply that answers its request, and refuses an NP of another
 * major ABI version.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

/* The code under test, built into this module (see Kbuild). */
#include "np_ring.c"
#include "np_sched.c"
#include "np_classify.c"
#include "np_notify.c"
#include "np_dp.c"
#include "np_ctl.c"
#include "svnic_msg.c"

#define SVNIC_TEST_SLOTS	16

/* How the test backend spoils the reply. */
enum svnic_test_spoil {
	SPOIL_NONE,
	SPOIL_MAJOR,
	SPOIL_SEQ,
	SPOIL_TYPE,
	SPOIL_LEN,
	SPOIL_STATUS,
	SPOIL_TRANSPORT,
};

struct svnic_msg_test {
	struct svnic_np np;
	struct np_dp *dp;
	struct svnic_vif vif;
	enum svnic_test_spoil spoil;
	unsigned int calls;
};

static struct np_frame *svnic_test_clone(void *arg, const struct np_frame *f)
{
	return NULL;
}

static void svnic_test_drop(void *arg, struct np_frame *f)
{
}

static bool svnic_test_notify(void *arg, unsigned int vif)
{
	return true;
}

static int svnic_test_msg(struct svnic_np *np, const struct np_msg *req,
			  struct np_msg *reply, size_t *reply_len)
{
	struct svnic_msg_test *t = container_of(np, struct svnic_msg_test, np);

	t->calls++;
	if (t->spoil == SPOIL_TRANSPORT)
		return -ETIMEDOUT;
	np_ctl_handle(t->dp, req, le16_to_cpu(req->hdr.len), reply, reply_len);
	switch (t->spoil) {
	case SPOIL_MAJOR:
		reply->hdr.abi_major++;
		break;
	case SPOIL_SEQ:
		le32_add_cpu(&reply->hdr.seq, 1);
		break;
	case SPOIL_TYPE:
		reply->hdr.type = cpu_to_le16(NP_MSG_VIF_DEL | NP_MSG_REPLY);
		break;
	case SPOIL_LEN:
		(*reply_len)--;
		break;
	case SPOIL_STATUS:
		reply->hdr.status = cpu_to_le32(7);
		break;
	default:
		break;
	}
	return 0;
}

static const struct svnic_backend_ops svnic_test_ops = {
	.name = "test",
	.msg = svnic_test_msg,
};

static int svnic_msg_test_init(struct kunit *test)
{
	const struct np_dp_ops ops = {
		.clone = svnic_test_clone,
		.drop = svnic_test_drop,
		.notify = svnic_test_notify,
	};
	struct svnic_msg_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->dp = vzalloc(np_dp_bytes(SVNIC_TEST_SLOTS));
	KUNIT_ASSERT_NOT_NULL(test, t->dp);
	KUNIT_ASSERT_EQ(test, np_dp_init(t->dp, SVNIC_TEST_SLOTS, &ops), 0);
	t->np.ops = &svnic_test_ops;
	t->vif.np = &t->np;
	t->vif.id = 3;
	t->vif.vlan = NP_VLAN_NONE;
	t->vif.rx_mode = SVNIC_RX_DEFAULT;
	t->vif.config.mtu = __cpu_to_virtio16(true, 1500);
	eth_random_addr(t->vif.config.mac);
	spin_lock_init(&t->vif.lock);
	test->priv = t;
	return 0;
}

static void svnic_msg_test_exit(struct kunit *test)
{
	struct svnic_msg_test *t = test->priv;

	vfree(t->dp);
}

/*
 * HELLO: the NP's version and capabilities are recorded, and the MTUs
 * both svnic and the NP allow.
 */
static void svnic_msg_hello(struct kunit *test)
{
	struct svnic_msg_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, svnic_np_hello(&t->np), 0);
	KUNIT_EXPECT_EQ(test, t->np.abi_major, NP_ABI_MAJOR);
	KUNIT_EXPECT_EQ(test, t->np.abi_minor, NP_ABI_MINOR);
	KUNIT_EXPECT_TRUE(test, t->np.caps & NP_CAP_VLAN);
	KUNIT_EXPECT_EQ(test, t->np.mtu_min, max(SVNIC_MTU_MIN, NP_DP_MTU_MIN));
	KUNIT_EXPECT_EQ(test, t->np.mtu_max, min(SVNIC_MTU_MAX, NP_DP_MTU_MAX));
}

/* An NP of another major version is refused, and its version recorded. */
static void svnic_msg_hello_other_major(struct kunit *test)
{
	struct svnic_msg_test *t = test->priv;

	t->spoil = SPOIL_MAJOR;
	KUNIT_EXPECT_EQ(test, svnic_np_hello(&t->np), -EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, t->np.abi_major, NP_ABI_MAJOR + 1);
}

/* A reply that does not answer the request is not believed. */
static void svnic_msg_bad_replies(struct kunit *test)
{
	static const enum svnic_test_spoil bad[] = {
		SPOIL_SEQ, SPOIL_TYPE, SPOIL_LEN, SPOIL_STATUS,
	};
	struct svnic_msg_test *t = test->priv;
	struct svnic_stats st;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, svnic_np_vif_add(&t->np, &t->vif), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t->spoil = bad[i];
		KUNIT_EXPECT_EQ_MSG(test, svnic_np_stats(&t->np, &t->vif, &st),
				    -EPROTO, "spoil %d", bad[i]);
	}
	t->spoil = SPOIL_TRANSPORT;
	KUNIT_EXPECT_EQ(test, svnic_np_stats(&t->np, &t->vif, &st), -ETIMEDOUT);
}

/* VIF_ADD, a refused duplicate, VIF_SET, RATE_SET, STATS_GET, VIF_DEL. */
static void svnic_msg_vif_life(struct kunit *test)
{
	struct svnic_msg_test *t = test->priv;
	struct svnic_vif *other;
	struct svnic_stats st;

	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	*other = t->vif;
	other->id = 4;
	KUNIT_ASSERT_EQ(test, svnic_np_vif_add(&t->np, &t->vif), 0);
	KUNIT_EXPECT_EQ(test, svnic_np_vif_add(&t->np, &t->vif), -EEXIST);
	KUNIT_EXPECT_EQ(test, svnic_np_vif_add(&t->np, other), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, svnic_np_vif_set(&t->np, &t->vif, NP_VIF_SET_VLAN,
					       NULL, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, t->dp->vif[3].cfg.vlan, 10);
	/* Now on VLAN 10, the address is free on no VLAN. */
	KUNIT_EXPECT_EQ(test, svnic_np_vif_add(&t->np, other), 0);
	KUNIT_EXPECT_EQ(test, svnic_np_rate(&t->np, &t->vif, 125000, 3000), 0);
	KUNIT_EXPECT_EQ(test, t->dp->vif[3].flow.tb.rate, 125000);
	KUNIT_EXPECT_EQ(test, svnic_np_rate(&t->np, &t->vif, 125000, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, svnic_np_notify_set(&t->np, 16, 4), 0);
	KUNIT_EXPECT_EQ(test, svnic_np_notify_set(&t->np, 16, 0), -EINVAL);
	t->dp->vif[3].stats.tx_packets = 42;
	t->vif.stats.drop_malformed = 5;
	KUNIT_ASSERT_EQ(test, svnic_np_stats(&t->np, &t->vif, &st), 0);
	KUNIT_EXPECT_EQ(test, st.np.tx_packets, 42);
	KUNIT_EXPECT_EQ(test, st.host.drop_malformed, 5);
	KUNIT_EXPECT_EQ(test, svnic_np_vif_del(&t->np, &t->vif), 0);
	KUNIT_EXPECT_EQ(test, svnic_np_stats(&t->np, &t->vif, &st), -ENOENT);
}

static struct kunit_case svnic_msg_cases[] = {
	KUNIT_CASE(svnic_msg_hello),
	KUNIT_CASE(svnic_msg_hello_other_major),
	KUNIT_CASE(svnic_msg_bad_replies),
	KUNIT_CASE(svnic_msg_vif_life),
	{}
};

static struct kunit_suite svnic_msg_suite = {
	.name = "svnic_msg",
	.init = svnic_msg_test_init,
	.exit = svnic_msg_test_exit,
	.test_cases = svnic_msg_cases,
};
kunit_test_suite(svnic_msg_suite);

MODULE_DESCRIPTION("KUnit tests of svnic's control messages to the NP");
MODULE_LICENSE("GPL");
