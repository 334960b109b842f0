// SPDX-License-Identifier: GPL-2.0
/*
 * np_ctl_test.c - KUnit tests of the NP side of the host<->NP control
 * protocol in the kernel: HELLO, versions, header and payload checks, a VIF
 * configured and read back; every field's refusal is tested natively
 * (tools/testing/native/np_ctl_test.c).
 */
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

#define NP_CTL_TEST_HDR		sizeof(struct np_msg_hdr)

struct np_ctl_test {
	struct np_dp *dp;
	struct np_msg reply;
	size_t reply_len;
};

static struct np_frame *np_ctl_test_clone(void *arg, const struct np_frame *f)
{
	return NULL;
}

static void np_ctl_test_drop(void *arg, struct np_frame *f)
{
}

static bool np_ctl_test_notify(void *arg, unsigned int vif)
{
	return true;
}

KUNIT_DEFINE_ACTION_WRAPPER(np_ctl_test_vfree, vfree, const void *);

static struct np_ctl_test *np_ctl_test_new(struct kunit *test)
{
	static const struct np_dp_ops ops = { np_ctl_test_clone, np_ctl_test_drop,
					      np_ctl_test_notify, NULL };
	struct np_ctl_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->dp = vzalloc(np_dp_bytes(16));
	KUNIT_ASSERT_NOT_NULL(test, t->dp);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, np_ctl_test_vfree,
							t->dp), 0);
	KUNIT_ASSERT_EQ(test, np_dp_init(t->dp, 16, &ops), 0);
	return t;
}

static struct np_msg np_ctl_test_msg(u16 type, size_t payload)
{
	struct np_msg m = {};

	m.hdr.abi_major = NP_ABI_MAJOR;
	m.hdr.abi_minor = NP_ABI_MINOR;
	m.hdr.type = cpu_to_le16(type);
	m.hdr.len = cpu_to_le16(NP_CTL_TEST_HDR + payload);
	m.hdr.seq = cpu_to_le32(77);
	return m;
}

static int np_ctl_test_send(struct np_ctl_test *t, const struct np_msg *m)
{
	t->reply_len = sizeof(t->reply);
	return np_ctl_handle(t->dp, m, le16_to_cpu(m->hdr.len), &t->reply,
			     &t->reply_len);
}

static struct np_msg np_ctl_test_vif_add(u32 vif, u8 id, u16 mtu)
{
	struct np_msg m = np_ctl_test_msg(NP_MSG_VIF_ADD,
					  sizeof(struct np_msg_vif_add));
	struct np_msg_vif_conf *c = &m.body.vif_add.conf;

	m.body.vif_add.vif = cpu_to_le32(vif);
	c->mac[0] = 0x02;
	c->mac[5] = id;
	c->vlan = cpu_to_le16(NP_VLAN_NONE);
	c->mtu = cpu_to_le16(mtu);
	c->rx_mode = cpu_to_le16(NP_RX_BROADCAST);
	return m;
}

static void np_ctl_test_hello(struct kunit *test)
{
	struct np_ctl_test *t = np_ctl_test_new(test);
	struct np_msg m = np_ctl_test_msg(NP_MSG_HELLO, 0);

	KUNIT_ASSERT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, t->reply_len,
			NP_CTL_TEST_HDR + sizeof(struct np_msg_hello));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(t->reply.hdr.type),
			NP_MSG_HELLO | NP_MSG_REPLY);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(t->reply.hdr.seq), 77U);
	KUNIT_EXPECT_TRUE(test, np_abi_compatible(t->reply.hdr.abi_major,
						  t->reply.hdr.abi_minor));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(t->reply.body.hello.max_vifs),
			NP_MAX_VIFS);
	m.hdr.abi_major = NP_ABI_MAJOR + 1;
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EPROTO);
	KUNIT_EXPECT_EQ(test, (s32)le32_to_cpu(t->reply.hdr.status), -EPROTO);
	KUNIT_EXPECT_EQ(test, t->reply.hdr.abi_major, NP_ABI_MAJOR);
}

static void np_ctl_test_bad_headers(struct kunit *test)
{
	struct np_ctl_test *t = np_ctl_test_new(test);
	struct np_msg m;

	m = np_ctl_test_msg(0, 0);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(__NP_MSG_MAX, 0);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(NP_MSG_STATS, 0);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(NP_MSG_HELLO, 8);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(NP_MSG_VIF_DEL, 4);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(NP_MSG_HELLO, 0);
	m.hdr.rsvd = cpu_to_le16(1);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m = np_ctl_test_msg(NP_MSG_HELLO, 0);
	t->reply_len = NP_CTL_TEST_HDR;
	KUNIT_EXPECT_EQ(test, np_ctl_handle(t->dp, &m, NP_CTL_TEST_HDR,
					    &t->reply, &t->reply_len), -ENOSPC);
}

/* A VIF added, changed, limited, read back and removed by messages. */
static void np_ctl_test_vif_life(struct kunit *test)
{
	struct np_ctl_test *t = np_ctl_test_new(test);
	struct np_msg m = np_ctl_test_vif_add(4, 4, 1500);

	KUNIT_ASSERT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EEXIST);
	m.body.vif_add.conf.pad = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);

	m = np_ctl_test_msg(NP_MSG_VIF_SET, sizeof(struct np_msg_vif_set));
	m.body.vif_set.vif = cpu_to_le32(4);
	m.body.vif_set.change = cpu_to_le32(NP_VIF_SET_MTU);
	m.body.vif_set.conf.mtu = cpu_to_le16(9000);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, t->dp->vif[4].cfg.mtu, 9000);
	m.body.vif_set.conf.vlan = cpu_to_le16(3);	/* not in the mask */
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);

	m = np_ctl_test_msg(NP_MSG_RATE_SET, sizeof(struct np_msg_rate_set));
	m.body.rate_set.vif = cpu_to_le32(4);
	m.body.rate_set.rate = cpu_to_le64(1000000);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
	m.body.rate_set.burst = cpu_to_le64(2000);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, t->dp->vif[4].flow.tb.rate, 1000000ULL);

	m = np_ctl_test_msg(NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get));
	m.body.stats_get.vif = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(t->reply.hdr.type), NP_MSG_STATS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(t->reply.body.stats.vif), 4U);

	m = np_ctl_test_msg(NP_MSG_VIF_DEL, sizeof(struct np_msg_vif_del));
	m.body.vif_del.vif = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), 0);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -ENOENT);
	m.body.vif_del.vif = cpu_to_le32(NP_MAX_VIFS);
	KUNIT_EXPECT_EQ(test, np_ctl_test_send(t, &m), -EINVAL);
}

static struct kunit_case np_ctl_test_cases[] = {
	KUNIT_CASE(np_ctl_test_hello),
	KUNIT_CASE(np_ctl_test_bad_headers),
	KUNIT_CASE(np_ctl_test_vif_life),
	{}
};

static struct kunit_suite np_ctl_test_suite = {
	.name = "np_ctl",
	.test_cases = np_ctl_test_cases,
};
kunit_test_suite(np_ctl_test_suite);

MODULE_DESCRIPTION("KUnit tests of the V-Core NP control protocol");
MODULE_LICENSE("GPL");
