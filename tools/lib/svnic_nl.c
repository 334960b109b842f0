// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_nl.c - talking to the svnic generic netlink family with libnl-genl-3
 *
 * Errors are negative errnos; the kernel's extack message, when it sent
 * one, is kept in &svnic_nl.extack, and the missing attribute it named in
 * &svnic_nl.miss_type.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "svnic_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/**
 * svnic_nl_open - connect to the svnic family
 * @nl: filled on success
 *
 * Return: 0, -ENOENT when the family is not registered (svnic not loaded),
 * or another negative errno.
 */
int svnic_nl_open(struct svnic_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	ret = genl_connect(nl->sk);
	if (ret) {
		ret = -ECONNREFUSED;
		goto out_free_sock;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, SVNIC_GENL_NAME);
	if (nl->family < 0) {
		ret = -ENOENT;
		goto out_free_sock;
	}
	return 0;

out_free_sock:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret;
}

void svnic_nl_close(struct svnic_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/**
 * svnic_nl_msg - a request of the svnic family, to fill with attributes
 * @nl: the connection
 * @cmd: an %SVNIC_CMD_* command
 *
 * Return: the message, or NULL when out of memory.
 */
struct nl_msg *svnic_nl_msg(struct svnic_nl *nl, __u8 cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				NLM_F_REQUEST | NLM_F_ACK, cmd,
				SVNIC_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/**
 * svnic_nl_dump_msg - a dump request of the svnic family
 * @nl: the connection
 * @cmd: an %SVNIC_CMD_* command with a dump
 *
 * Return: the message, or NULL when out of memory.
 */
struct nl_msg *svnic_nl_dump_msg(struct svnic_nl *nl, __u8 cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				NLM_F_REQUEST | NLM_F_DUMP, cmd,
				SVNIC_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct svnic_nl_req {
	struct svnic_nl *nl;
	int (*parse)(struct nlattr **tb, void *arg);
	void *arg;
	int err;
	int done;
};

static int svnic_nl_on_valid(struct nl_msg *msg, void *data)
{
	struct svnic_nl_req *req = data;
	struct nlattr *tb[SVNIC_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, SVNIC_A_MAX, NULL);
	if (ret < 0) {
		req->err = -EPROTO;
		return NL_STOP;
	}
	if (req->parse && !req->err)
		req->err = req->parse(tb, req->arg);
	return NL_OK;
}

/* The error message carries extack attributes after the capped request. */
static int svnic_nl_on_error(struct sockaddr_nl *nla, struct nlmsgerr *err,
			     void *data)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct svnic_nl_req *req = data;
	struct nlattr *tlvs, *a;
	int len, off, rem;

	req->err = err->error;
	req->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	len = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	if (len <= 0)
		return NL_STOP;
	tlvs = (struct nlattr *)((char *)err + off);
	nla_for_each_attr(a, tlvs, len, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(req->nl->extack, sizeof(req->nl->extack),
				 "%s", (char *)nla_data(a));
		else if (nla_type(a) == NLMSGERR_ATTR_MISS_TYPE &&
			 nla_len(a) >= (int)sizeof(__u32))
			req->nl->miss_type = nla_get_u32(a);
	}
	return NL_STOP;
}

static int svnic_nl_on_ack(struct nl_msg *msg, void *data)
{
	struct svnic_nl_req *req = data;

	req->done = 1;
	return NL_STOP;
}

/* The end of a dump: its payload is the dump's error, 0 when it went well. */
static int svnic_nl_on_finish(struct nl_msg *msg, void *data)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct svnic_nl_req *req = data;
	int err;

	req->done = 1;
	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0 && !req->err)
			req->err = err;
	}
	return NL_STOP;
}

/**
 * svnic_nl_transact - send a request, parse its replies, wait for the ack
 * @nl: the connection
 * @msg: the request (svnic_nl_msg() or svnic_nl_dump_msg()); consumed
 * @parse: called with the attributes of each reply, may be NULL; the
 *	first error it returns ends the parsing
 * @arg: passed to @parse
 *
 * Return: 0, the kernel's negative errno (with @nl->extack set when the
 * kernel explained), or the first error @parse returned.
 */
int svnic_nl_transact(struct svnic_nl *nl, struct nl_msg *msg,
		      int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	struct svnic_nl_req req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->extack[0] = '\0';
	nl->miss_type = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, svnic_nl_on_valid, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, svnic_nl_on_ack, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, svnic_nl_on_finish, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, svnic_nl_on_error, &req);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = -EIO;
		goto out_put_cb;
	}
	while (!req.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !req.done) {
			ret = -EIO;
			goto out_put_cb;
		}
	}
	ret = req.err;
out_put_cb:
	nl_cb_put(cb);
	return ret;
}

static int svnic_nl_parse_info(struct nlattr **tb, void *arg)
{
	struct svnic_info *info = arg;

	if (!tb[SVNIC_A_ABI_MAJOR] || !tb[SVNIC_A_ABI_MINOR] ||
	    !tb[SVNIC_A_FEATURES] || !tb[SVNIC_A_NR_NPS])
		return -EPROTO;
	info->abi_major = nla_get_u32(tb[SVNIC_A_ABI_MAJOR]);
	info->abi_minor = nla_get_u32(tb[SVNIC_A_ABI_MINOR]);
	info->features = nla_get_u64(tb[SVNIC_A_FEATURES]);
	info->nr_nps = nla_get_u32(tb[SVNIC_A_NR_NPS]);
	return 0;
}

/**
 * svnic_nl_get_info - what the running svnic module offers
 * @nl: the connection
 * @info: filled on success
 *
 * Return: 0 or a negative errno.
 */
int svnic_nl_get_info(struct svnic_nl *nl, struct svnic_info *info)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_GET_INFO);

	if (!msg)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	return svnic_nl_transact(nl, msg, svnic_nl_parse_info, info);
}

/* The counters nested in @nest into @stats, by &enum svnic_stat. */
static int svnic_nl_parse_stats(struct nlattr *nest, __u64 *stats)
{
	struct nlattr *st[SVNIC_STAT_MAX + 1];
	int i;

	if (nla_parse_nested(st, SVNIC_STAT_MAX, nest, NULL))
		return -EPROTO;
	for (i = SVNIC_STAT_TX_PACKETS; i <= SVNIC_STAT_MAX; i++)
		if (st[i])
			stats[i] = nla_get_u64(st[i]);
	return 0;
}

/* The data plane's attributes of ABI 0.3: all of them, or none. */
static int svnic_nl_parse_np_dp(struct nlattr **tb, struct svnic_np_info *np)
{
	if (!tb[SVNIC_A_BACKEND])
		return 0;
	if (!tb[SVNIC_A_NP_ABI_MAJOR] || !tb[SVNIC_A_NP_ABI_MINOR] ||
	    !tb[SVNIC_A_NOTIFY_FRAMES] || !tb[SVNIC_A_NOTIFY_CYCLES] ||
	    !tb[SVNIC_A_STATS])
		return -EPROTO;
	np->has_dp = 1;
	nla_strlcpy(np->backend, tb[SVNIC_A_BACKEND], sizeof(np->backend));
	np->abi_major = nla_get_u32(tb[SVNIC_A_NP_ABI_MAJOR]);
	np->abi_minor = nla_get_u32(tb[SVNIC_A_NP_ABI_MINOR]);
	np->notify_frames = nla_get_u32(tb[SVNIC_A_NOTIFY_FRAMES]);
	np->notify_cycles = nla_get_u32(tb[SVNIC_A_NOTIFY_CYCLES]);
	return svnic_nl_parse_stats(tb[SVNIC_A_STATS], np->stats);
}

static int svnic_nl_parse_np(struct nlattr **tb, struct svnic_np_info *np)
{
	if (!tb[SVNIC_A_NP_ID] || !tb[SVNIC_A_NP_NAME] ||
	    !tb[SVNIC_A_SIDECORE_CPU] || !tb[SVNIC_A_NR_VIFS] ||
	    !tb[SVNIC_A_LINK])
		return -EPROTO;
	memset(np, 0, sizeof(*np));
	np->id = nla_get_u32(tb[SVNIC_A_NP_ID]);
	nla_strlcpy(np->name, tb[SVNIC_A_NP_NAME], sizeof(np->name));
	if (tb[SVNIC_A_UPLINK])
		nla_strlcpy(np->uplink, tb[SVNIC_A_UPLINK], sizeof(np->uplink));
	np->cpu = (__s32)nla_get_u32(tb[SVNIC_A_SIDECORE_CPU]);
	np->nr_vifs = nla_get_u32(tb[SVNIC_A_NR_VIFS]);
	np->link = nla_get_u8(tb[SVNIC_A_LINK]);
	return svnic_nl_parse_np_dp(tb, np);
}

static int svnic_nl_parse_np_one(struct nlattr **tb, void *arg)
{
	return svnic_nl_parse_np(tb, arg);
}

/**
 * svnic_nl_np_new - make an NP
 * @nl: the connection
 * @uplink: the uplink netdev's name
 * @cpu: the sidecore's CPU, -1 for any
 * @np: filled with the new NP on success
 *
 * Return: 0 or a negative errno.
 */
int svnic_nl_np_new(struct svnic_nl *nl, const char *uplink, int cpu,
		    struct svnic_np_info *np)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_NP_NEW);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, SVNIC_A_UPLINK, uplink) ||
	    (cpu >= 0 && nla_put_u32(msg, SVNIC_A_SIDECORE_CPU, cpu))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	memset(np, 0, sizeof(*np));
	return svnic_nl_transact(nl, msg, svnic_nl_parse_np_one, np);
}

/**
 * svnic_nl_np_del - remove an NP and its VIFs
 * @nl: the connection
 * @id: the NP's index
 *
 * Return: 0 or a negative errno (-ENODEV: no such NP).
 */
int svnic_nl_np_del(struct svnic_nl *nl, __u32 id)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_NP_DEL);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SVNIC_A_NP_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return svnic_nl_transact(nl, msg, NULL, NULL);
}

/**
 * svnic_nl_np_get - describe one NP
 * @nl: the connection
 * @id: the NP's index
 * @np: filled on success
 *
 * Return: 0 or a negative errno (-ENODEV: no such NP).
 */
int svnic_nl_np_get(struct svnic_nl *nl, __u32 id, struct svnic_np_info *np)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_NP_GET);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SVNIC_A_NP_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	memset(np, 0, sizeof(*np));
	return svnic_nl_transact(nl, msg, svnic_nl_parse_np_one, np);
}

struct svnic_nl_np_walk {
	int (*fn)(const struct svnic_np_info *np, void *arg);
	void *arg;
};

static int svnic_nl_parse_np_each(struct nlattr **tb, void *arg)
{
	struct svnic_nl_np_walk *walk = arg;
	struct svnic_np_info np;
	int ret;

	ret = svnic_nl_parse_np(tb, &np);
	return ret ? ret : walk->fn(&np, walk->arg);
}

/**
 * svnic_nl_np_dump - describe every NP
 * @nl: the connection
 * @fn: called for each NP; a nonzero return ends the walk and is returned
 * @arg: passed to @fn
 *
 * Return: 0, a negative errno, or what @fn returned.
 */
int svnic_nl_np_dump(struct svnic_nl *nl,
		     int (*fn)(const struct svnic_np_info *np, void *arg),
		     void *arg)
{
	struct svnic_nl_np_walk walk = { .fn = fn, .arg = arg };
	struct nl_msg *msg = svnic_nl_dump_msg(nl, SVNIC_CMD_NP_GET);

	if (!msg)
		return -ENOMEM;
	return svnic_nl_transact(nl, msg, svnic_nl_parse_np_each, &walk);
}

static int svnic_nl_parse_vif(struct nlattr **tb, struct svnic_vif_info *vif)
{
	if (!tb[SVNIC_A_NP_ID] || !tb[SVNIC_A_VIF_NAME] || !tb[SVNIC_A_MAC] ||
	    nla_len(tb[SVNIC_A_MAC]) != 6 || !tb[SVNIC_A_MTU] ||
	    !tb[SVNIC_A_RATE] || !tb[SVNIC_A_BURST] || !tb[SVNIC_A_STATS])
		return -EPROTO;
	memset(vif, 0, sizeof(*vif));
	vif->np_id = nla_get_u32(tb[SVNIC_A_NP_ID]);
	nla_strlcpy(vif->name, tb[SVNIC_A_VIF_NAME], sizeof(vif->name));
	memcpy(vif->mac, nla_data(tb[SVNIC_A_MAC]), sizeof(vif->mac));
	vif->mtu = nla_get_u16(tb[SVNIC_A_MTU]);
	vif->rate = nla_get_u64(tb[SVNIC_A_RATE]);
	vif->burst = nla_get_u64(tb[SVNIC_A_BURST]);
	/* Absent before ABI 0.3: no VLAN. */
	if (tb[SVNIC_A_VLAN])
		vif->vlan = nla_get_u16(tb[SVNIC_A_VLAN]);
	return svnic_nl_parse_stats(tb[SVNIC_A_STATS], vif->stats);
}

static int svnic_nl_parse_vif_one(struct nlattr **tb, void *arg)
{
	return svnic_nl_parse_vif(tb, arg);
}

/**
 * svnic_nl_vif_get - describe one VIF, with its counters
 * @nl: the connection
 * @name: the VIF's vDPA device name
 * @vif: filled on success
 *
 * Return: 0 or a negative errno (-ENODEV: no such VIF).
 */
int svnic_nl_vif_get(struct svnic_nl *nl, const char *name,
		     struct svnic_vif_info *vif)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_VIF_GET);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, SVNIC_A_VIF_NAME, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	memset(vif, 0, sizeof(*vif));
	return svnic_nl_transact(nl, msg, svnic_nl_parse_vif_one, vif);
}

struct svnic_nl_vif_walk {
	int (*fn)(const struct svnic_vif_info *vif, void *arg);
	void *arg;
	int np_id;
};

static int svnic_nl_parse_vif_each(struct nlattr **tb, void *arg)
{
	struct svnic_nl_vif_walk *walk = arg;
	struct svnic_vif_info vif;
	int ret;

	ret = svnic_nl_parse_vif(tb, &vif);
	if (ret)
		return ret;
	/* Filtered here too: the kernel's dump may ignore %SVNIC_A_NP_ID. */
	if (walk->np_id >= 0 && vif.np_id != (__u32)walk->np_id)
		return 0;
	return walk->fn(&vif, walk->arg);
}

/**
 * svnic_nl_vif_dump - describe every VIF, with its counters
 * @nl: the connection
 * @np_id: only the VIFs of this NP, or -1 for all
 * @fn: called for each VIF; a nonzero return ends the walk and is returned
 * @arg: passed to @fn
 *
 * Return: 0, a negative errno, or what @fn returned.
 */
int svnic_nl_vif_dump(struct svnic_nl *nl, int np_id,
		      int (*fn)(const struct svnic_vif_info *vif, void *arg),
		      void *arg)
{
	struct svnic_nl_vif_walk walk = { .fn = fn, .arg = arg, .np_id = np_id };
	struct nl_msg *msg = svnic_nl_dump_msg(nl, SVNIC_CMD_VIF_GET);

	if (!msg)
		return -ENOMEM;
	if (np_id >= 0 && nla_put_u32(msg, SVNIC_A_NP_ID, np_id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return svnic_nl_transact(nl, msg, svnic_nl_parse_vif_each, &walk);
}

/**
 * svnic_nl_vif_change - change a VIF's rate limit, VLAN and/or address
 * @nl: the connection
 * @name: the VIF's vDPA device name
 * @chg: what to change; the kernel refuses an empty change, and a burst
 *	without a rate
 *
 * The kernel applies the address first, then the VLAN, then the rate; the
 * first refusal ends the change, what went before it stays.
 *
 * Return: 0 or a negative errno (-ENODEV: no such VIF; -EINVAL: nothing
 * to change, a burst without a rate or below one frame; -ERANGE: a VLAN
 * above 4094; -EADDRINUSE: another VIF of the NP has the address;
 * -EADDRNOTAVAIL: not a unicast address).
 */
int svnic_nl_vif_change(struct svnic_nl *nl, const char *name,
			const struct svnic_vif_change *chg)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_VIF_SET);
	unsigned int set = chg->set;

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, SVNIC_A_VIF_NAME, name) ||
	    ((set & SVNIC_VIF_CHANGE_RATE) &&
	     nla_put_u64(msg, SVNIC_A_RATE, chg->rate)) ||
	    ((set & (SVNIC_VIF_CHANGE_RATE | SVNIC_VIF_CHANGE_BURST)) &&
	     nla_put_u64(msg, SVNIC_A_BURST, chg->burst)) ||
	    ((set & SVNIC_VIF_CHANGE_VLAN) &&
	     nla_put_u16(msg, SVNIC_A_VLAN, chg->vlan)) ||
	    ((set & SVNIC_VIF_CHANGE_MAC) &&
	     nla_put(msg, SVNIC_A_MAC, sizeof(chg->mac), chg->mac))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return svnic_nl_transact(nl, msg, NULL, NULL);
}

/**
 * svnic_nl_vif_set - set a VIF's transmit rate limit
 * @nl: the connection
 * @name: the VIF's vDPA device name
 * @rate: bytes per second, 0 for no limit
 * @burst: bytes let through at once, at least one frame when @rate is set
 *
 * Return: 0 or a negative errno (-ENODEV: no such VIF, -EINVAL: a burst
 * below one frame).
 */
int svnic_nl_vif_set(struct svnic_nl *nl, const char *name, __u64 rate,
		     __u64 burst)
{
	struct svnic_vif_change chg = {
		.set = SVNIC_VIF_CHANGE_RATE, .rate = rate, .burst = burst,
	};

	return svnic_nl_vif_change(nl, name, &chg);
}

/**
 * svnic_nl_np_set - change an NP's notification batching
 * @nl: the connection
 * @id: the NP's index
 * @frames: frames to VIFs between two notifications at most (0 to 65536,
 *	0: no such bound), or negative to leave it
 * @cycles: a notification every this-many-th poll cycle (1 to 1024), or
 *	negative to leave it
 *
 * Return: 0 or a negative errno (-ENODEV: no such NP; -EINVAL: neither
 * given; -ERANGE: out of range).
 */
int svnic_nl_np_set(struct svnic_nl *nl, __u32 id, long long frames,
		    long long cycles)
{
	struct nl_msg *msg = svnic_nl_msg(nl, SVNIC_CMD_NP_SET);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SVNIC_A_NP_ID, id) ||
	    (frames >= 0 && nla_put_u32(msg, SVNIC_A_NOTIFY_FRAMES, frames)) ||
	    (cycles >= 0 && nla_put_u32(msg, SVNIC_A_NOTIFY_CYCLES, cycles))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return svnic_nl_transact(nl, msg, NULL, NULL);
}
