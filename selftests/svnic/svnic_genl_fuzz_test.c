// SPDX-License-Identifier: GPL-2.0
/*
 * svnic_genl_fuzz_test - a structure-aware fuzzer of the svnic generic
 * netlink family
 *
 * Every command with attributes that are mostly well formed and sometimes
 * wrong in type, length or range, unknown attributes and commands, NPs made
 * and removed on uplinks that come and go, VIFs added and deleted through
 * iproute2's vdpa in between.  Afterwards every NP is removed, nothing of
 * the run may be left (NPs, vDPA devices), and the family must still make
 * an NP whose VIF is listed.
 *
 *   SVNIC_FUZZ_SEED=N     replay a run (the seed is printed first)
 *   SVNIC_FUZZ_SECONDS=N  length of the run (default 15)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netlink/attr.h>

#include "../../tools/lib/svnic_nl.h"
#include "../lib/fuzz.h"


static struct svnic_nl nl;
static unsigned int ops, refused;

static const char *const uplinks[] = { "fzu0", "fzu2", "lo", "nosuch0", "" };

static int sh(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* An attribute of the family, of the right type mostly. */
static void put_attr(struct nl_msg *msg)
{
	unsigned int type = chance(90) ? 1 + below(SVNIC_A_MAX) :
			    below(SVNIC_A_MAX + 20);
	char bytes[64];
	unsigned int i, len = below(sizeof(bytes));

	switch (chance(70) ? type : 0) {
	case SVNIC_A_NP_ID:
		nla_put_u32(msg, type, chance(80) ? below(4) : rnd());
		return;
	case SVNIC_A_UPLINK:
		nla_put_string(msg, type, uplinks[below(ARRAY_SIZE(uplinks))]);
		return;
	case SVNIC_A_SIDECORE_CPU:
		nla_put_s32(msg, type, chance(80) ? (int)below(3) - 1 : (int)rnd());
		return;
	case SVNIC_A_VIF_NAME:
		snprintf(bytes, sizeof(bytes), "fzv%u", below(4));
		nla_put_string(msg, type, bytes);
		return;
	case SVNIC_A_MAC:
		for (i = 0; i < 6; i++)
			bytes[i] = rnd();
		nla_put(msg, type, chance(90) ? 6 : below(12), bytes);
		return;
	case SVNIC_A_MTU:
	case SVNIC_A_VLAN:
		nla_put_u16(msg, type, chance(70) ? below(4100) : rnd());
		return;
	case SVNIC_A_RATE:
	case SVNIC_A_BURST:
		nla_put_u64(msg, type, chance(50) ? below(1 << 24) : rnd());
		return;
	case SVNIC_A_NOTIFY_FRAMES:
	case SVNIC_A_NOTIFY_CYCLES:
		nla_put_u32(msg, type, chance(70) ? below(70000) : rnd());
		return;
	}
	for (i = 0; i < len; i++)
		bytes[i] = rnd();
	nla_put(msg, type, len, bytes);
}

static const uint8_t cmds[] = {
	SVNIC_CMD_GET_INFO, SVNIC_CMD_NP_NEW, SVNIC_CMD_NP_DEL,
	SVNIC_CMD_NP_GET, SVNIC_CMD_VIF_GET, SVNIC_CMD_VIF_SET,
	SVNIC_CMD_NP_SET,
};

static void op_request(void)
{
	uint8_t cmd = chance(95) ? cmds[below(ARRAY_SIZE(cmds))] : rnd();
	unsigned int n = below(5), i;
	struct nl_msg *msg;

	msg = chance(20) ? svnic_nl_dump_msg(&nl, cmd) : svnic_nl_msg(&nl, cmd);
	if (!msg)
		return;
	for (i = 0; i < n; i++)
		put_attr(msg);
	if (svnic_nl_transact(&nl, msg, NULL, NULL))
		refused++;
	ops++;
}

/* Through iproute2's vdpa, the other family that makes VIFs. */
static void op_vdpa(void)
{
	unsigned int v = below(4);

	if (chance(60))
		sh("vdpa dev add name fzv%u mgmtdev svnic-np%u mac 02:00:00:00:%02x:%02x >/dev/null 2>&1",
		   v, below(4), below(4), v);
	else
		sh("vdpa dev del fzv%u >/dev/null 2>&1", v);
	ops++;
}

/* An uplink goes away under its NP, or comes back. */
static void op_uplink(void)
{
	if (chance(50))
		sh("ip link del fzu2 >/dev/null 2>&1");
	else
		sh("ip link add fzu2 type veth peer name fzu3 >/dev/null 2>&1 && ip link set fzu2 up");
	ops++;
}

static int collect_np(struct nlattr **tb, void *arg)
{
	__u32 *ids = arg;

	if (tb[SVNIC_A_NP_ID] && ids[0] < 63)
		ids[++ids[0]] = nla_get_u32(tb[SVNIC_A_NP_ID]);
	return 0;
}

/* Remove every NP; return how many there were. */
static unsigned int remove_nps(void)
{
	__u32 ids[64] = {};
	struct nl_msg *msg = svnic_nl_dump_msg(&nl, SVNIC_CMD_NP_GET);
	unsigned int i;

	if (msg)
		svnic_nl_transact(&nl, msg, collect_np, ids);
	for (i = 1; i <= ids[0]; i++)
		svnic_nl_np_del(&nl, ids[i]);
	return ids[0];
}

/* A fresh NP on a fresh uplink takes a VIF, which VIF_GET lists. */
static int family_works(void)
{
	struct svnic_np_info np;
	struct svnic_vif_info vif;
	int ok;

	if (sh("ip link add fzw0 type veth peer name fzw1 && ip link set fzw0 up") ||
	    svnic_nl_np_new(&nl, "fzw0", -1, &np))
		return 0;
	ok = !sh("vdpa dev add name fzok mgmtdev %s mac 02:00:00:00:ff:01", np.name) &&
	     !svnic_nl_vif_get(&nl, "fzok", &vif) && vif.np_id == np.id;
	sh("vdpa dev del fzok >/dev/null 2>&1");
	ok &= !svnic_nl_np_del(&nl, np.id);
	sh("ip link del fzw0");
	return ok;
}

int main(void)
{
	const char *env = getenv("SVNIC_FUZZ_SEED");
	unsigned int seconds = getenv("SVNIC_FUZZ_SECONDS") ?
			       strtoul(getenv("SVNIC_FUZZ_SECONDS"), NULL, 0) : 15;
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0;
	struct svnic_info info;
	unsigned int left;
	double end;
	int ret;

	if (!seed)
		seed = (uint64_t)time(NULL) * 2654435761ULL ^ getpid();
	rng = seed;
	printf("TAP version 13\n1..4\n");
	printf("# seed %llu (replay: SVNIC_FUZZ_SEED=%llu SVNIC_FUZZ_SECONDS=%u)\n",
	       (unsigned long long)seed, (unsigned long long)seed, seconds);
	ret = svnic_nl_open(&nl);
	if (ret || svnic_nl_get_info(&nl, &info) || info.nr_nps) {
		printf("Bail out! the svnic family (%s), or NPs exist already\n",
		       strerror(-ret));
		return 1;
	}
	if (sh("ip link add fzu0 type veth peer name fzu1 && ip link set fzu0 up")) {
		printf("Bail out! cannot make the veth uplink\n");
		return 1;
	}

	for (end = now() + seconds; now() < end;) {
		if (chance(8))
			op_vdpa();
		else if (chance(3))
			op_uplink();
		else
			op_request();
	}
	tap(1, "fuzz: %u requests, %u refused, in %u s", ops, refused, seconds);

	left = remove_nps();
	ret = svnic_nl_get_info(&nl, &info);
	tap(!ret && !info.nr_nps, "every NP removed (%u were left), GET_INFO counts %u",
	    left, ret ? ~0U : info.nr_nps);
	tap(sh("vdpa dev show | grep -q fzv") != 0, "no vDPA device of the run is left");
	tap(family_works(), "the family still makes an NP whose VIF is listed");
	sh("ip link del fzu0 >/dev/null 2>&1; ip link del fzu2 >/dev/null 2>&1");
	svnic_nl_close(&nl);
	return tap_failed ? 1 : 0;
}
