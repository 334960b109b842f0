// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_genl_test.c - the svnic generic netlink family: GET_INFO and the
 * refusal of malformed requests with extack messages.
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

TEST_HARNESS_MAIN
