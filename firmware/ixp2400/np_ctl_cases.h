/* SPDX-License-Identifier: GPL-2.0 */
/*
 * np_ctl_cases.h - the hand-written cases of the NP side of the host<->NP
 * control protocol (np_ctl.c), run by its KUnit suite (np_ctl_test.c,
 * beside it) and its native test (tools/testing/native/np_ctl_test.c):
 * HELLO and another major refused, bad headers, a VIF configured and read
 * back.  Every field's refusal is the native test's own.
 *
 * Written against vcore_case.h's CASE_*(), which the including harness
 * defines; included once, by a test, after the errno values and after its
 * np_ctlc_alloc_dp(): zeroed memory for a data plane of @bytes that lives
 * as long as the case (too big for kmalloc()), or NULL.
 */
#ifndef _NP_CTL_CASES_H
#define _NP_CTL_CASES_H

#include <asm/byteorder.h>

#include "vcore_case.h"
#include "np_ctl.h"
#include "np_dp.h"

#define NP_CTLC_HDR		sizeof(struct np_msg_hdr)

/* A data plane of 16-slot rings, and the last reply it gave. */
struct np_ctlc {
	struct np_dp *dp;
	struct np_msg reply;
	size_t reply_len;
};

static struct np_frame *np_ctlc_clone(void *arg, const struct np_frame *f)
{
	return NULL;
}

static void np_ctlc_drop(void *arg, struct np_frame *f)
{
}

static bool np_ctlc_notify(void *arg, unsigned int vif)
{
	return true;
}

static struct np_ctlc *np_ctlc_new(struct vcore_case_ctx *ctx)
{
	static const struct np_dp_ops ops = { np_ctlc_clone, np_ctlc_drop,
					      np_ctlc_notify, NULL };
	struct np_ctlc *t = CASE_ZALLOC(ctx, sizeof(*t));

	CASE_ASSERT_NOT_NULL(ctx, t);
	t->dp = np_ctlc_alloc_dp(ctx, np_dp_bytes(16));
	CASE_ASSERT_NOT_NULL(ctx, t->dp);
	CASE_ASSERT_EQ(ctx, np_dp_init(t->dp, 16, &ops), 0);
	return t;
}

/* A request of @type with @payload bytes of payload, all zero. */
static struct np_msg np_ctlc_msg(u16 type, size_t payload)
{
	struct np_msg m = {};

	m.hdr.abi_major = NP_ABI_MAJOR;
	m.hdr.abi_minor = NP_ABI_MINOR;
	m.hdr.type = __cpu_to_le16(type);
	m.hdr.len = __cpu_to_le16(NP_CTLC_HDR + payload);
	m.hdr.seq = __cpu_to_le32(77);
	return m;
}

static int np_ctlc_send(struct np_ctlc *t, const struct np_msg *m)
{
	t->reply_len = sizeof(t->reply);
	return np_ctl_handle(t->dp, m, __le16_to_cpu(m->hdr.len), &t->reply,
			     &t->reply_len);
}

static struct np_msg np_ctlc_vif_add(u32 vif, u8 id, u16 mtu)
{
	struct np_msg m = np_ctlc_msg(NP_MSG_VIF_ADD,
				      sizeof(struct np_msg_vif_add));
	struct np_msg_vif_conf *c = &m.body.vif_add.conf;

	m.body.vif_add.vif = __cpu_to_le32(vif);
	c->mac[0] = 0x02;
	c->mac[5] = id;
	c->vlan = __cpu_to_le16(NP_VLAN_NONE);
	c->mtu = __cpu_to_le16(mtu);
	c->rx_mode = __cpu_to_le16(NP_RX_BROADCAST);
	return m;
}

/* HELLO answered with our version and limits; another major refused. */
static void np_ctl_case_hello(struct vcore_case_ctx *ctx)
{
	struct np_ctlc *t = np_ctlc_new(ctx);
	struct np_msg m = np_ctlc_msg(NP_MSG_HELLO, 0);

	CASE_ASSERT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, t->reply_len,
		       NP_CTLC_HDR + sizeof(struct np_msg_hello));
	CASE_EXPECT_EQ(ctx, __le16_to_cpu(t->reply.hdr.type),
		       NP_MSG_HELLO | NP_MSG_REPLY);
	CASE_EXPECT_EQ(ctx, __le32_to_cpu(t->reply.hdr.seq), 77U);
	CASE_EXPECT_TRUE(ctx, np_abi_compatible(t->reply.hdr.abi_major,
						t->reply.hdr.abi_minor));
	CASE_EXPECT_EQ(ctx, __le32_to_cpu(t->reply.body.hello.max_vifs),
		       NP_MAX_VIFS);
	m.hdr.abi_major = NP_ABI_MAJOR + 1;
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EPROTO);
	CASE_EXPECT_EQ(ctx, (s32)__le32_to_cpu(t->reply.hdr.status), -EPROTO);
	CASE_EXPECT_EQ(ctx, t->reply.hdr.abi_major, NP_ABI_MAJOR);
}

static void np_ctl_case_bad_headers(struct vcore_case_ctx *ctx)
{
	struct np_ctlc *t = np_ctlc_new(ctx);
	struct np_msg m;

	m = np_ctlc_msg(0, 0);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(__NP_MSG_MAX, 0);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(NP_MSG_STATS, 0);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(NP_MSG_HELLO, 8);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(NP_MSG_VIF_DEL, 4);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(NP_MSG_HELLO, 0);
	m.hdr.rsvd = __cpu_to_le16(1);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m = np_ctlc_msg(NP_MSG_HELLO, 0);
	t->reply_len = NP_CTLC_HDR;
	CASE_EXPECT_EQ(ctx, np_ctl_handle(t->dp, &m, NP_CTLC_HDR, &t->reply,
					  &t->reply_len), -ENOSPC);
}

/* A VIF added, changed, limited, read back and removed by messages. */
static void np_ctl_case_vif_life(struct vcore_case_ctx *ctx)
{
	struct np_ctlc *t = np_ctlc_new(ctx);
	struct np_msg m = np_ctlc_vif_add(4, 4, 1500);

	CASE_ASSERT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EEXIST);
	m.body.vif_add.conf.pad = __cpu_to_le32(1);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);

	m = np_ctlc_msg(NP_MSG_VIF_SET, sizeof(struct np_msg_vif_set));
	m.body.vif_set.vif = __cpu_to_le32(4);
	m.body.vif_set.change = __cpu_to_le32(NP_VIF_SET_MTU);
	m.body.vif_set.conf.mtu = __cpu_to_le16(9000);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, t->dp->vif[4].cfg.mtu, 9000);
	m.body.vif_set.conf.vlan = __cpu_to_le16(3);	/* not in the mask */
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);

	m = np_ctlc_msg(NP_MSG_RATE_SET, sizeof(struct np_msg_rate_set));
	m.body.rate_set.vif = __cpu_to_le32(4);
	m.body.rate_set.rate = __cpu_to_le64(1000000);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
	m.body.rate_set.burst = __cpu_to_le64(2000);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, t->dp->vif[4].flow.tb.rate, 1000000ULL);

	m = np_ctlc_msg(NP_MSG_STATS_GET, sizeof(struct np_msg_stats_get));
	m.body.stats_get.vif = __cpu_to_le32(4);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, __le16_to_cpu(t->reply.hdr.type), NP_MSG_STATS);
	CASE_EXPECT_EQ(ctx, __le32_to_cpu(t->reply.body.stats.vif), 4U);

	m = np_ctlc_msg(NP_MSG_VIF_DEL, sizeof(struct np_msg_vif_del));
	m.body.vif_del.vif = __cpu_to_le32(4);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), 0);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -ENOENT);
	m.body.vif_del.vif = __cpu_to_le32(NP_MAX_VIFS);
	CASE_EXPECT_EQ(ctx, np_ctlc_send(t, &m), -EINVAL);
}

#define NP_CTL_CASE(name)	{ #name, np_ctl_case_##name }

static const struct vcore_case np_ctl_cases[] = {
	NP_CTL_CASE(hello),
	NP_CTL_CASE(bad_headers),
	NP_CTL_CASE(vif_life),
};

#endif /* _NP_CTL_CASES_H */
