// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa.c - a VM's VIFs: made and removed through the vdpa generic netlink
 * family (what iproute2's "vdpa dev add/del" sends, with the kernel's
 * extack message in the refusal and no dependence on PATH, which libvirt's
 * hooks run with little of), bound to vhost_vdpa through sysfs, and their
 * rate limit and VLAN set through the svnic family (tools/lib/svnic_nl.c)
 */
#include <errno.h>
#include <limits.h>
#include <linux/vdpa.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/svnic_nl.h"
#include "vcorevm.h"

/* Default burst: 10 ms at the rate, at least 64 KiB and a frame (svnicctl's). */
#define BURST_MIN	65536ULL
#define FRAME_OVERHEAD	18

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A connection to the vdpa family, in svnic_nl's clothes for its transact. */
static int vdpa_open(struct svnic_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk)) {
		nl_socket_free(nl->sk);
		return -ECONNREFUSED;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, VDPA_GENL_NAME);
	if (nl->family < 0) {
		nl_socket_free(nl->sk);
		return -ENOENT;
	}
	return 0;
}

static struct nl_msg *vdpa_msg(struct svnic_nl *nl, __u8 cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				NLM_F_REQUEST | NLM_F_ACK, cmd,
				VDPA_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int vdpa_do(struct nl_msg *msg, struct svnic_nl *nl, int ret,
		   char *why, size_t whylen)
{
	if (ret) {
		nlmsg_free(msg);
		strf(why, whylen, "cannot build the request");
	} else {
		ret = svnic_nl_transact(nl, msg, NULL, NULL);
		strf(why, whylen, "%s%s%s", strerror(-ret),
			 nl->extack[0] ? ": " : "", nl->extack);
	}
	nl_socket_free(nl->sk);
	return ret;
}

/**
 * vdpa_dev_add - make a VIF: "vdpa dev add name NAME mgmtdev NP mac MAC mtu N"
 * @name: its vdpa device name
 * @mgmtdev: the NP's management device, svnic-npN
 * @mac: its address
 * @mtu: its MTU
 * @why: the reason of a failure
 * @whylen: room at @why
 *
 * Return: 0 or a negative errno.
 */
int vdpa_dev_add(const char *name, const char *mgmtdev, const uint8_t mac[6],
		 unsigned int mtu, char *why, size_t whylen)
{
	struct svnic_nl nl;
	struct nl_msg *msg;
	int ret = vdpa_open(&nl);

	if (ret) {
		strf(why, whylen, "no vdpa netlink family: %s", strerror(-ret));
		return ret;
	}
	msg = vdpa_msg(&nl, VDPA_CMD_DEV_NEW);
	if (!msg) {
		nl_socket_free(nl.sk);
		strf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	ret = nla_put_string(msg, VDPA_ATTR_DEV_NAME, name) ||
	      nla_put_string(msg, VDPA_ATTR_MGMTDEV_DEV_NAME, mgmtdev) ||
	      nla_put(msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, 6, mac) ||
	      nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MTU, mtu) ? -EMSGSIZE : 0;
	return vdpa_do(msg, &nl, ret, why, whylen);
}

/* "vdpa dev del NAME"; -ENODEV when there is none. */
int vdpa_dev_del(const char *name, char *why, size_t whylen)
{
	struct svnic_nl nl;
	struct nl_msg *msg;
	int ret = vdpa_open(&nl);

	if (ret) {
		strf(why, whylen, "no vdpa netlink family: %s", strerror(-ret));
		return ret;
	}
	msg = vdpa_msg(&nl, VDPA_CMD_DEV_DEL);
	if (!msg) {
		nl_socket_free(nl.sk);
		strf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	ret = nla_put_string(msg, VDPA_ATTR_DEV_NAME, name) ? -EMSGSIZE : 0;
	return vdpa_do(msg, &nl, ret, why, whylen);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/**
 * vdpa_bind_vhost - hand VIF @name to vhost_vdpa, whichever driver took it
 * @name: the vdpa device
 * @dev: its character device, /dev/vhost-vdpa-N
 * @len: room at @dev
 *
 * Return: 0, or a negative errno (-ETIMEDOUT when no character device came).
 */
int vdpa_bind_vhost(const char *name, char *dev, size_t len)
{
	char sys[PATH_MAX], path[PATH_MAX + 64], link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int i, ret;

	strf(sys, sizeof(sys), VDPA_DEVICES "/%s", name);
	strf(path, sizeof(path), "%s/driver_override", sys);
	ret = file_write(path, "vhost_vdpa");
	if (ret)
		return ret;
	strf(path, sizeof(path), "%s/driver", sys);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link,
			   "vhost_vdpa")) {
			strf(path, sizeof(path), "%s/driver/unbind", sys);
			ret = file_write(path, name);
			if (ret)
				return ret;
		}
	}
	strf(path, sizeof(path), "%s/driver", sys);
	if (stat(path, &st)) {
		ret = file_write("/sys/bus/vdpa/drivers_probe", name);
		if (ret)
			return ret;
	}
	for (i = 0; i < 100; i++) {
		for (int k = 0; k < 64; k++) {
			strf(path, sizeof(path), "%s/vhost-vdpa-%d", sys, k);
			if (stat(path, &st))
				continue;
			strf(dev, len, "/dev/vhost-vdpa-%d", k);
			if (!stat(dev, &st) && S_ISCHR(st.st_mode))
				return 0;
		}
		sleep_ms(50);
	}
	return -ETIMEDOUT;
}

/**
 * vif_set - a VIF's rate limit and VLAN
 * @name: the VIF
 * @rate: bytes/s, 0 for none; with @burst (0: the default)
 * @burst: bytes
 * @vlan: 1 to 4094, or -1 to leave it
 * @why: the reason of a failure
 * @whylen: room at @why
 *
 * Return: 0 or a negative errno.
 */
int vif_set(const char *name, uint64_t rate, uint64_t burst, int vlan,
	    char *why, size_t whylen)
{
	struct svnic_vif_change chg = { 0 };
	struct svnic_vif_info vif;
	struct svnic_nl nl;
	int ret = svnic_nl_open(&nl);

	if (ret) {
		strf(why, whylen, "no svnic netlink family: %s", strerror(-ret));
		return ret;
	}
	if (vlan >= 0) {
		chg.set |= SVNIC_VIF_CHANGE_VLAN;
		chg.vlan = vlan;
	}
	if (rate) {
		chg.set |= SVNIC_VIF_CHANGE_RATE;
		chg.rate = rate;
		chg.burst = burst;
		if (!burst) {
			ret = svnic_nl_vif_get(&nl, name, &vif);
			if (ret)
				goto out;
			chg.burst = rate / 100;
			if (chg.burst < BURST_MIN)
				chg.burst = BURST_MIN;
			if (chg.burst < (__u64)vif.mtu + FRAME_OVERHEAD)
				chg.burst = vif.mtu + FRAME_OVERHEAD;
		}
	}
	ret = chg.set ? svnic_nl_vif_change(&nl, name, &chg) : 0;
out:
	if (ret)
		strf(why, whylen, "%s%s%s", strerror(-ret),
			 nl.extack[0] ? ": " : "", nl.extack);
	svnic_nl_close(&nl);
	return ret;
}
