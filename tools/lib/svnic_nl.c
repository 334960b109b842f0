// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_nl.c - talking to the svnic generic netlink family with libnl-genl-3
 *
 * Errors are negative errnos; the kernel's extack message, when it sent
 * one, is kept in &svnic_nl.extack.
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
	if (req->parse)
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
	}
	return NL_STOP;
}

static int svnic_nl_on_ack(struct nl_msg *msg, void *data)
{
	struct svnic_nl_req *req = data;

	req->done = 1;
	return NL_STOP;
}

/**
 * svnic_nl_transact - send a request, parse its replies, wait for the ack
 * @nl: the connection
 * @msg: the request; consumed
 * @parse: called with the attributes of each reply, may be NULL
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
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, svnic_nl_on_valid, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, svnic_nl_on_ack, &req);
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
