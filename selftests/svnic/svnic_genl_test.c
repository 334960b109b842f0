// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_genl_test.c - the svnic generic netlink family: GET_INFO and the
 * refusal of malformed requests with extack messages: GET_INFO with
 * attributes, unknown commands, NP_SET and VIF_SET with nothing to set,
 * a burst without a rate, values out of the policy's range.  None needs an
 * NP: each is refused before one is looked up.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>

#include "../../tools/lib/svnic_nl.h"
#include "kselftest_harness.h"

FIXTURE(svnic) {
	struct svnic_nl nl;
};

FIXTURE_SETUP(svnic)
{
	int ret = svnic_nl_open(&self->nl);

	ASSERT_EQ(0, ret) TH_LOG("svnic family: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(svnic)
{
	svnic_nl_close(&self->nl);
}

TEST_F(svnic, get_info)
{
	struct svnic_info info;

	ASSERT_EQ(0, svnic_nl_get_info(&self->nl, &info));
	EXPECT_EQ(SVNIC_ABI_MAJOR, info.abi_major);
	EXPECT_EQ(SVNIC_ABI_MINOR, info.abi_minor);
	EXPECT_EQ(0, info.features & ~SVNIC_FEATURES_ALL);
	EXPECT_NE(0, info.features & SVNIC_FEAT_NP_DP);
	EXPECT_EQ(0, info.nr_nps);
}

/* GET_INFO takes no attributes: one is refused, and the kernel says why. */
TEST_F(svnic, get_info_rejects_attribute)
{
	struct nl_msg *msg = svnic_nl_msg(&self->nl, SVNIC_CMD_GET_INFO);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, SVNIC_A_NR_NPS, 1));
	EXPECT_EQ(-EINVAL, svnic_nl_transact(&self->nl, msg, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]) TH_LOG("no extack message");
}

TEST_F(svnic, get_info_rejects_unknown_attribute)
{
	struct nl_msg *msg = svnic_nl_msg(&self->nl, SVNIC_CMD_GET_INFO);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, SVNIC_A_MAX + 10, 1));
	EXPECT_EQ(-EINVAL, svnic_nl_transact(&self->nl, msg, NULL, NULL));
	EXPECT_NE(0, self->nl.extack[0]) TH_LOG("no extack message");
}

TEST_F(svnic, unknown_command)
{
	struct nl_msg *msg = svnic_nl_msg(&self->nl, SVNIC_CMD_MAX + 1);

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EOPNOTSUPP, svnic_nl_transact(&self->nl, msg, NULL, NULL));
}

/* Send @msg; the errno the kernel answered with (0: accepted). */
static int send_msg(struct svnic_nl *nl, struct nl_msg *msg)
{
	return svnic_nl_transact(nl, msg, NULL, NULL);
}

/* An NP_SET request for NP @id, or NULL. */
static struct nl_msg *np_set_msg(struct svnic_nl *nl, __u32 id)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_NP_SET);

	if (msg && nla_put_u32(msg, SVNIC_A_NP_ID, id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* A VIF_SET request for a VIF that does not exist, or NULL. */
static struct nl_msg *vif_set_msg(struct svnic_nl *nl)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_VIF_SET);

	if (msg && nla_put_string(msg, SVNIC_A_VIF_NAME, "nosuch")) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* NP_SET needs NP_ID: the kernel names it as the missing attribute. */
TEST_F(svnic, np_set_rejects_no_attribute)
{
	struct nl_msg *msg = svnic_nl_msg(&self->nl, SVNIC_CMD_NP_SET);

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EINVAL, send_msg(&self->nl, msg));
	EXPECT_EQ(SVNIC_A_NP_ID, self->nl.miss_type);
}

TEST_F(svnic, np_set_rejects_nothing_to_set)
{
	struct nl_msg *msg = np_set_msg(&self->nl, 0);

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EINVAL, send_msg(&self->nl, msg));
	EXPECT_STREQ("nothing to set: give notify frames or cycles",
		     self->nl.extack);
}

/* The policy's ranges: frames 0 to 65536, cycles 1 to 1024. */
TEST_F(svnic, np_set_rejects_out_of_range)
{
	static const struct { int attr; __u32 v; } bad[] = {
		{ SVNIC_A_NOTIFY_CYCLES, 0 },
		{ SVNIC_A_NOTIFY_CYCLES, 1025 },
		{ SVNIC_A_NOTIFY_FRAMES, 65537 },
	};
	struct nl_msg *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		msg = np_set_msg(&self->nl, 0);
		ASSERT_NE(NULL, msg);
		ASSERT_EQ(0, nla_put_u32(msg, bad[i].attr, bad[i].v));
		EXPECT_EQ(-ERANGE, send_msg(&self->nl, msg))
			TH_LOG("attribute %d value %u", bad[i].attr, bad[i].v);
		EXPECT_STREQ("integer out of range", self->nl.extack);
	}
}

/* An NP that does not exist, once the request itself is sound. */
TEST_F(svnic, np_set_no_such_np)
{
	struct nl_msg *msg = np_set_msg(&self->nl, 99);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, SVNIC_A_NOTIFY_CYCLES, 4));
	EXPECT_EQ(-ENODEV, send_msg(&self->nl, msg));
	EXPECT_STREQ("no NP of that index", self->nl.extack);
}

/* VIF_SET with only a burst: nothing to set. */
TEST_F(svnic, vif_set_rejects_burst_only)
{
	struct nl_msg *msg = vif_set_msg(&self->nl);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u64(msg, SVNIC_A_BURST, 65536));
	EXPECT_EQ(-EINVAL, send_msg(&self->nl, msg));
	EXPECT_STREQ("nothing to set: give a rate, a VLAN or an address",
		     self->nl.extack);
}

/* A burst with a VLAN but no rate: the burst has nothing to go with. */
TEST_F(svnic, vif_set_rejects_burst_without_rate)
{
	struct nl_msg *msg = vif_set_msg(&self->nl);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u16(msg, SVNIC_A_VLAN, 10));
	ASSERT_EQ(0, nla_put_u64(msg, SVNIC_A_BURST, 65536));
	EXPECT_EQ(-EINVAL, send_msg(&self->nl, msg));
	EXPECT_STREQ("a burst comes with a rate", self->nl.extack);
}

/* VLAN ids 1 to 4094: 4095 is reserved, and a u16 goes further. */
TEST_F(svnic, vif_set_rejects_vlan_out_of_range)
{
	static const __u16 bad[] = { 4095, 5000, 65535 };
	struct nl_msg *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		msg = vif_set_msg(&self->nl);
		ASSERT_NE(NULL, msg);
		ASSERT_EQ(0, nla_put_u16(msg, SVNIC_A_VLAN, bad[i]));
		EXPECT_EQ(-ERANGE, send_msg(&self->nl, msg)) TH_LOG("VLAN %u", bad[i]);
		EXPECT_STREQ("integer out of range", self->nl.extack);
	}
}

/* A MAC address is 6 bytes. */
TEST_F(svnic, vif_set_rejects_short_mac)
{
	static const __u8 mac[5] = { 0x52, 0x54, 0, 0, 0 };
	struct nl_msg *msg = vif_set_msg(&self->nl);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put(msg, SVNIC_A_MAC, sizeof(mac), mac));
	EXPECT_EQ(-ERANGE, send_msg(&self->nl, msg));
	EXPECT_STREQ("binary attribute size out of range", self->nl.extack);
}

/* A sound request for a VIF that does not exist. */
TEST_F(svnic, vif_set_no_such_vif)
{
	struct nl_msg *msg = vif_set_msg(&self->nl);

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u16(msg, SVNIC_A_VLAN, 10));
	EXPECT_EQ(-ENODEV, send_msg(&self->nl, msg));
	EXPECT_STREQ("no VIF of that name", self->nl.extack);
}

TEST_HARNESS_MAIN
