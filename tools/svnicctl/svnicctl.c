// SPDX-License-Identifier: GPL-2.0
/*
 * svnicctl - configure the V-Core self-virtualized NIC over generic netlink
 *
 *   svnicctl [-j] info
 *   svnicctl [-j] np add UPLINK [sidecore-cpu N]
 *   svnicctl [-j] np del ID|svnic-npN
 *   svnicctl [-j] np show [ID|svnic-npN]
 *   svnicctl [-j] np set ID|svnic-npN [notify-frames N] [notify-cycles C]
 *   svnicctl [-j] vif show [NAME]
 *   svnicctl [-j] vif set NAME [rate RATE [burst BYTES]] [vlan ID|none]
 *				[mac XX:XX:XX:XX:XX:XX]
 *
 * "np show" gives an NP's data plane too (backend, control ABI,
 * notification batching) and its uplink's counters; "vif show" a VIF's
 * VLAN, rate limit and counters, drops by reason.  The VIFs themselves are
 * made and removed with iproute2's "vdpa dev".  Refusals name the errno
 * and give the kernel's extack message.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/json_writer.h"
#include "../lib/svnic_nl.h"

/* Default burst: 10 ms of traffic at the rate, and at least 64 KiB. */
#define DEFAULT_BURST_MIN	65536ULL
#define DEFAULT_BURST_MS	10ULL
/* What a frame costs beyond the MTU: an Ethernet header with a VLAN tag. */
#define FRAME_OVERHEAD		18

static const char *prog = "svnicctl";
/* -j: the JSON goes through it */
static struct json_writer *jw;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] COMMAND\n"
		"\n"
		"Commands:\n"
		"  info                              ABI version and features of the svnic module\n"
		"  np add UPLINK [sidecore-cpu N]    make an NP (vDPA management device\n"
		"                                    svnic-npN) on netdev UPLINK; its sidecore\n"
		"                                    polls on CPU N (default: any)\n"
		"  np del ID|svnic-npN               remove an NP and all its VIFs\n"
		"  np show [ID|svnic-npN]            list the NPs (id, name, uplink, sidecore\n"
		"                                    CPU, VIFs, link; backend, NP ABI,\n"
		"                                    notification batching; the uplink's\n"
		"                                    counters: rx from the wire, tx to it)\n"
		"  np set ID|svnic-npN [notify-frames N] [notify-cycles C]\n"
		"                                    batch the NP's notifications to the VIFs:\n"
		"                                    one once N frames went to VIFs (0 to 65536,\n"
		"                                    0: no bound) and at the end of every C-th\n"
		"                                    poll cycle (1 to 1024); at least one\n"
		"  vif show [NAME]                   list the VIFs with their VLANs, rate limits\n"
		"                                    and counters\n"
		"  vif set NAME [rate RATE [burst BYTES]] [vlan ID|none] [mac MAC]\n"
		"                                    limit what VIF NAME transmits; make it an\n"
		"                                    access port of VLAN ID (1 to 4094: its\n"
		"                                    frames tagged on the way out, untagged on\n"
		"                                    the way in; 0 or none: untagged); give it\n"
		"                                    unicast address MAC (XX:XX:XX:XX:XX:XX, no\n"
		"                                    other VIF's of its NP); at least one\n"
		"\n"
		"VIFs are made with iproute2: vdpa dev add name NAME mgmtdev svnic-npN ...\n"
		"\n"
		"RATE is a number with a unit as tc(8) takes it, case-insensitive:\n"
		"  bit (or none)  bits/s             kbit mbit gbit tbit  10^3 .. 10^12 bits/s\n"
		"  kibit mibit gibit tibit  2^10 .. 2^40 bits/s\n"
		"  bps  bytes/s  kbps mbps gbps tbps  10^3 .. 10^12 bytes/s\n"
		"  kibps mibps gibps tibps  2^10 .. 2^40 bytes/s\n"
		"  0 or \"none\" removes the limit.  Example: rate 20mbit, rate 1gbit.\n"
		"BYTES is a number, optionally with b, k/kb/kib (1024), m/mb/mib, g/gb/gib.\n"
		"The default burst is 10 ms of traffic at RATE, at least 64 KiB and at\n"
		"least one frame (MTU + 18 bytes); the kernel refuses a burst below one\n"
		"frame, and a burst without a rate.\n"
		"\n"
		"Options:\n"
		"  -j     JSON output\n"
		"  -h     this text\n", prog);
}

static void report(struct svnic_nl *nl, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s%s%s\n", prog, what, strerror(-err),
		nl->extack[0] ? ": " : "", nl->extack);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s -h'.\n", prog);
	return 2;
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* An NP's index, given as N or svnic-npN. */
static int parse_np_id(const char *s, __u32 *id)
{
	unsigned long long v;

	if (!strncmp(s, "svnic-np", 8))
		s += 8;
	if (parse_u64(s, &v) || v > UINT32_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

struct unit {
	const char *name;
	double mult;
};

/* Rates as tc(8) reads them: bits/s by default, "bps" is bytes/s. */
static const struct unit rate_units[] = {
	{ "", 1. / 8 }, { "bit", 1. / 8 },
	{ "kbit", 1e3 / 8 }, { "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 },
	{ "tbit", 1e12 / 8 },
	{ "kibit", 1024. / 8 }, { "mibit", 1048576. / 8 },
	{ "gibit", 1073741824. / 8 }, { "tibit", 1099511627776. / 8 },
	{ "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 }, { "gbps", 1e9 },
	{ "tbps", 1e12 },
	{ "kibps", 1024. }, { "mibps", 1048576. }, { "gibps", 1073741824. },
	{ "tibps", 1099511627776. },
	{ NULL, 0 }
};

static const struct unit size_units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", 1024. }, { "kb", 1024. }, { "kib", 1024. },
	{ "m", 1048576. }, { "mb", 1048576. }, { "mib", 1048576. },
	{ "g", 1073741824. }, { "gb", 1073741824. }, { "gib", 1073741824. },
	{ NULL, 0 }
};

/* A non-negative number with a unit of @units, rounded to an integer. */
static int parse_unit(const char *s, const struct unit *units,
		      unsigned long long *v)
{
	const struct unit *u;
	double d;
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || d < 0)
		return -EINVAL;
	for (u = units; u->name; u++) {
		if (strcasecmp(end, u->name))
			continue;
		d = d * u->mult + 0.5;
		if (d >= 18446744073709551615.)
			return -ERANGE;
		*v = (unsigned long long)d;
		return 0;
	}
	return -EINVAL;
}

/* A rate in bytes/s as tc(8) prints it, in bits/s. */
static void format_rate(char *buf, size_t len, __u64 rate)
{
	static const char * const units[] = { "bit", "Kbit", "Mbit", "Gbit", "Tbit" };
	double bits = (double)rate * 8;
	unsigned int i = 0;

	if (!rate) {
		snprintf(buf, len, "none");
		return;
	}
	while (bits >= 1000 && i < 4 && bits / 1000 == (__u64)(bits / 1000)) {
		bits /= 1000;
		i++;
	}
	snprintf(buf, len, "%.0f%s", bits, units[i]);
}

static int cmd_info(struct svnic_nl *nl, int json)
{
	struct svnic_info info;
	int ret;

	ret = svnic_nl_get_info(nl, &info);
	if (ret) {
		report(nl, "info", ret);
		return 1;
	}
	if (json) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "abi_major", info.abi_major);
		jsonw_u64_field(jw, "abi_minor", info.abi_minor);
		jsonw_u64_field(jw, "features", info.features);
		jsonw_u64_field(jw, "nps", info.nr_nps);
		jsonw_end_object(jw);
	} else {
		printf("abi:      %u.%u\nfeatures: 0x%llx\nnps:      %u\n",
		       info.abi_major, info.abi_minor,
		       (unsigned long long)info.features, info.nr_nps);
	}
	return 0;
}

struct show {
	int json;
};

/* The JSON keys of the counters; a counter without one is not printed. */
static const char * const stat_names[SVNIC_STAT_MAX + 1] = {
	[SVNIC_STAT_TX_PACKETS]		= "tx_packets",
	[SVNIC_STAT_TX_BYTES]		= "tx_bytes",
	[SVNIC_STAT_RX_PACKETS]		= "rx_packets",
	[SVNIC_STAT_RX_BYTES]		= "rx_bytes",
	[SVNIC_STAT_DROP_NO_BUFFER]	= "drop_no_buffer",
	[SVNIC_STAT_DROP_MALFORMED]	= "drop_malformed",
	[SVNIC_STAT_DROP_TOO_BIG]	= "drop_too_big",
	[SVNIC_STAT_DROP_FILTERED]	= "drop_filtered",
	[SVNIC_STAT_DROP_RATE]		= "drop_rate",
};

/* Counters as JSON: "stats":{"tx_packets":N,...}. */
static void print_stats_json(const __u64 *st)
{
	int i;

	jsonw_name(jw, "stats");
	jsonw_start_object(jw);
	for (i = SVNIC_STAT_TX_PACKETS; i <= SVNIC_STAT_MAX; i++)
		if (stat_names[i])
			jsonw_u64_field(jw, stat_names[i], st[i]);
	jsonw_end_object(jw);
}

/* Counters as text, two indented lines; @what names whose they are. */
static void print_stats_text(const __u64 *st, const char *what)
{
	printf("    %stx packets %llu bytes %llu  rx packets %llu bytes %llu\n"
	       "    %sdrops no-buffer %llu malformed %llu too-big %llu filtered %llu rate %llu\n",
	       what, (unsigned long long)st[SVNIC_STAT_TX_PACKETS],
	       (unsigned long long)st[SVNIC_STAT_TX_BYTES],
	       (unsigned long long)st[SVNIC_STAT_RX_PACKETS],
	       (unsigned long long)st[SVNIC_STAT_RX_BYTES],
	       what, (unsigned long long)st[SVNIC_STAT_DROP_NO_BUFFER],
	       (unsigned long long)st[SVNIC_STAT_DROP_MALFORMED],
	       (unsigned long long)st[SVNIC_STAT_DROP_TOO_BIG],
	       (unsigned long long)st[SVNIC_STAT_DROP_FILTERED],
	       (unsigned long long)st[SVNIC_STAT_DROP_RATE]);
}

static int print_np(const struct svnic_np_info *np, void *arg)
{
	struct show *show = arg;

	if (show->json) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "id", np->id);
		jsonw_string_field(jw, "name", np->name);
		if (np->uplink[0])
			jsonw_string_field(jw, "uplink", np->uplink);
		else
			jsonw_null_field(jw, "uplink");
		jsonw_s64_field(jw, "sidecore_cpu", np->cpu);
		jsonw_u64_field(jw, "vifs", np->nr_vifs);
		jsonw_bool_field(jw, "link", np->link);
		if (np->has_dp) {
			jsonw_string_field(jw, "backend", np->backend);
			jsonw_u64_field(jw, "np_abi_major", np->abi_major);
			jsonw_u64_field(jw, "np_abi_minor", np->abi_minor);
			jsonw_u64_field(jw, "notify_frames", np->notify_frames);
			jsonw_u64_field(jw, "notify_cycles", np->notify_cycles);
			print_stats_json(np->stats);
		}
		jsonw_end_object(jw);
	} else {
		printf("np %u: %s uplink %s sidecore-cpu ", np->id, np->name,
		       np->uplink[0] ? np->uplink : "(gone)");
		if (np->cpu >= 0)
			printf("%d", np->cpu);
		else
			printf("any");
		printf(" vifs %u link %s\n", np->nr_vifs,
		       np->link ? "up" : "down");
		if (np->has_dp) {
			printf("    backend %s np-abi %u.%u notify-frames %u notify-cycles %u\n",
			       np->backend, np->abi_major, np->abi_minor,
			       np->notify_frames, np->notify_cycles);
			print_stats_text(np->stats, "uplink ");
		}
	}
	return 0;
}

static int cmd_np_add(struct svnic_nl *nl, int json, int argc, char **argv)
{
	struct show show = { .json = json };
	struct svnic_np_info np;
	unsigned long long v;
	char what[64];
	int cpu = -1, ret;

	if (argc < 1)
		return usage_error("%snp add: an UPLINK netdev is needed", "");
	if (strlen(argv[0]) >= sizeof(np.uplink))
		return usage_error("np add: netdev name too long: '%s'", argv[0]);
	if (argc == 3 && !strcmp(argv[1], "sidecore-cpu")) {
		if (strcmp(argv[2], "any") && strcmp(argv[2], "-1")) {
			if (parse_u64(argv[2], &v) || v > INT32_MAX)
				return usage_error("np add: bad CPU '%s'", argv[2]);
			cpu = v;
		}
	} else if (argc != 1) {
		return usage_error("np add: unexpected '%s'", argv[1]);
	}
	ret = svnic_nl_np_new(nl, argv[0], cpu, &np);
	if (ret) {
		snprintf(what, sizeof(what), "np add %s", argv[0]);
		report(nl, what, ret);
		return 1;
	}
	print_np(&np, &show);
	return 0;
}

static int cmd_np_del(struct svnic_nl *nl, int argc, char **argv)
{
	char what[64];
	__u32 id;
	int ret;

	if (argc != 1)
		return usage_error("%snp del: one NP (ID or svnic-npN) is needed", "");
	if (parse_np_id(argv[0], &id))
		return usage_error("np del: not an NP: '%s'", argv[0]);
	ret = svnic_nl_np_del(nl, id);
	if (ret) {
		snprintf(what, sizeof(what), "np del %s", argv[0]);
		report(nl, what, ret);
		return 1;
	}
	return 0;
}

static int cmd_np_show(struct svnic_nl *nl, int json, int argc, char **argv)
{
	struct show show = { .json = json };
	struct svnic_np_info np;
	char what[64];
	__u32 id;
	int ret;

	if (argc > 1)
		return usage_error("np show: unexpected '%s'", argv[1]);
	if (argc == 1 && parse_np_id(argv[0], &id))
		return usage_error("np show: not an NP: '%s'", argv[0]);
	if (json)
		jsonw_start_array(jw);
	if (argc == 1) {
		ret = svnic_nl_np_get(nl, id, &np);
		if (!ret)
			print_np(&np, &show);
	} else {
		ret = svnic_nl_np_dump(nl, print_np, &show);
	}
	if (json)
		jsonw_end_array(jw);
	if (ret) {
		snprintf(what, sizeof(what), "np show%s%s", argc ? " " : "",
			 argc ? argv[0] : "");
		report(nl, what, ret);
		return 1;
	}
	return 0;
}

static int print_vif(const struct svnic_vif_info *vif, void *arg)
{
	struct show *show = arg;
	char mac[18], rate[32];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 vif->mac[0], vif->mac[1], vif->mac[2], vif->mac[3],
		 vif->mac[4], vif->mac[5]);
	if (show->json) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "np", vif->np_id);
		jsonw_string_field(jw, "name", vif->name);
		jsonw_string_field(jw, "mac", mac);
		jsonw_u64_field(jw, "mtu", vif->mtu);
		/* The rate first: "rate":R,"burst":B is what scripts match. */
		jsonw_u64_field(jw, "rate", vif->rate);
		jsonw_u64_field(jw, "burst", vif->burst);
		jsonw_u64_field(jw, "vlan", vif->vlan);
		print_stats_json(vif->stats);
		jsonw_end_object(jw);
	} else {
		format_rate(rate, sizeof(rate), vif->rate);
		printf("%s: np %u mac %s mtu %u rate %s", vif->name,
		       vif->np_id, mac, vif->mtu, rate);
		if (vif->rate)
			printf(" burst %llu", (unsigned long long)vif->burst);
		if (vif->vlan)
			printf(" vlan %u\n", vif->vlan);
		else
			printf(" vlan none\n");
		print_stats_text(vif->stats, "");
	}
	return 0;
}

static int cmd_vif_show(struct svnic_nl *nl, int json, int argc, char **argv)
{
	struct show show = { .json = json };
	struct svnic_vif_info vif;
	char what[96];
	int ret;

	if (argc > 1)
		return usage_error("vif show: unexpected '%s'", argv[1]);
	if (json)
		jsonw_start_array(jw);
	if (argc == 1) {
		ret = svnic_nl_vif_get(nl, argv[0], &vif);
		if (!ret)
			print_vif(&vif, &show);
	} else {
		ret = svnic_nl_vif_dump(nl, -1, print_vif, &show);
	}
	if (json)
		jsonw_end_array(jw);
	if (ret) {
		snprintf(what, sizeof(what), "vif show%s%.63s", argc ? " " : "",
			 argc ? argv[0] : "");
		report(nl, what, ret);
		return 1;
	}
	return 0;
}

static int hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* A MAC address, XX:XX:XX:XX:XX:XX in hexadecimal. */
static int parse_mac(const char *s, __u8 *mac)
{
	int i;

	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || (i < 5 && s[2] != ':'))
			return -EINVAL;
		mac[i] = hex_digit(s[0]) << 4 | hex_digit(s[1]);
	}
	return 0;
}

/* The default burst of @rate: 10 ms of it, at least 64 KiB and a frame. */
static int default_burst(struct svnic_nl *nl, const char *name,
			 unsigned long long rate, unsigned long long *burst)
{
	struct svnic_vif_info vif;
	unsigned long long frame;
	int ret;

	/* The MTU decides what one frame is: ask for the VIF first. */
	ret = svnic_nl_vif_get(nl, name, &vif);
	if (ret)
		return ret;
	*burst = rate / (1000 / DEFAULT_BURST_MS);
	if (*burst < DEFAULT_BURST_MIN)
		*burst = DEFAULT_BURST_MIN;
	frame = vif.mtu + FRAME_OVERHEAD;
	if (*burst < frame)
		*burst = frame;
	return 0;
}

/* One "vif set" parameter KEY VALUE into @chg; else a usage error. */
static int vif_set_param(const char *key, const char *val,
			 struct svnic_vif_change *chg)
{
	unsigned long long v;
	unsigned int bit;

	if (!strcmp(key, "rate"))
		bit = SVNIC_VIF_CHANGE_RATE;
	else if (!strcmp(key, "burst"))
		bit = SVNIC_VIF_CHANGE_BURST;
	else if (!strcmp(key, "vlan"))
		bit = SVNIC_VIF_CHANGE_VLAN;
	else if (!strcmp(key, "mac"))
		bit = SVNIC_VIF_CHANGE_MAC;
	else
		return usage_error("vif set: unknown parameter '%s' (rate, burst, vlan, mac)",
				   key);
	if (chg->set & bit)
		return usage_error("vif set: '%s' given twice", key);
	chg->set |= bit;
	switch (bit) {
	case SVNIC_VIF_CHANGE_RATE:
		if (!strcasecmp(val, "none"))
			chg->rate = 0;
		else if (parse_unit(val, rate_units, &v))
			return usage_error("vif set: bad rate '%s' (e.g. 10mbit, 1gbit, 125000bps, none)",
					   val);
		else
			chg->rate = v;
		break;
	case SVNIC_VIF_CHANGE_BURST:
		if (parse_unit(val, size_units, &v))
			return usage_error("vif set: bad burst '%s' (bytes, e.g. 32000, 64k)",
					   val);
		chg->burst = v;
		break;
	case SVNIC_VIF_CHANGE_VLAN:
		/* The kernel says which ids it takes: 0 to 4094. */
		if (!strcasecmp(val, "none"))
			chg->vlan = 0;
		else if (parse_u64(val, &v) || v > UINT16_MAX)
			return usage_error("vif set: bad VLAN '%s' (1 to 4094, or none)",
					   val);
		else
			chg->vlan = v;
		break;
	default:
		if (parse_mac(val, chg->mac))
			return usage_error("vif set: bad MAC address '%s' (XX:XX:XX:XX:XX:XX)",
					   val);
	}
	return 0;
}

static int cmd_vif_set(struct svnic_nl *nl, int argc, char **argv)
{
	struct svnic_vif_change chg = { 0 };
	char what[96];
	int i, ret;

	if (argc < 1)
		return usage_error("%svif set: a VIF NAME is needed", "");
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage_error("vif set: '%s' needs a value", argv[i]);
		ret = vif_set_param(argv[i], argv[i + 1], &chg);
		if (ret)
			return ret;
	}
	if ((chg.set & SVNIC_VIF_CHANGE_BURST) && !(chg.set & SVNIC_VIF_CHANGE_RATE))
		return usage_error("%svif set: a burst comes with a rate (rate RATE burst BYTES)",
				   "");
	if (!chg.set)
		return usage_error("%svif set: nothing to set: give rate RATE (0 or none for no limit), vlan ID|none or mac MAC",
				   "");
	snprintf(what, sizeof(what), "vif set %.63s", argv[0]);
	if (chg.rate && !(chg.set & SVNIC_VIF_CHANGE_BURST)) {
		ret = default_burst(nl, argv[0], chg.rate, &chg.burst);
		if (ret) {
			report(nl, what, ret);
			return 1;
		}
	}
	if (!chg.rate)
		chg.burst = 0;
	ret = svnic_nl_vif_change(nl, argv[0], &chg);
	if (ret) {
		report(nl, what, ret);
		return 1;
	}
	return 0;
}

/* "np set": notify-frames N and/or notify-cycles C, handed to the kernel. */
static int cmd_np_set(struct svnic_nl *nl, int argc, char **argv)
{
	long long frames = -1, cycles = -1, *to;
	unsigned long long v;
	char what[64];
	__u32 id;
	int i, ret;

	if (argc < 1)
		return usage_error("%snp set: an NP (ID or svnic-npN) is needed", "");
	if (parse_np_id(argv[0], &id))
		return usage_error("np set: not an NP: '%s'", argv[0]);
	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "notify-frames"))
			to = &frames;
		else if (!strcmp(argv[i], "notify-cycles"))
			to = &cycles;
		else
			return usage_error("np set: unknown parameter '%s' (notify-frames, notify-cycles)",
					   argv[i]);
		if (i + 1 >= argc)
			return usage_error("np set: '%s' needs a value", argv[i]);
		if (*to >= 0)
			return usage_error("np set: '%s' given twice", argv[i]);
		/* The kernel says which values it takes. */
		if (parse_u64(argv[i + 1], &v) || v > UINT32_MAX)
			return usage_error("np set: bad number '%s'", argv[i + 1]);
		*to = v;
	}
	if (frames < 0 && cycles < 0)
		return usage_error("%snp set: nothing to set: give notify-frames N and/or notify-cycles C",
				   "");
	ret = svnic_nl_np_set(nl, id, frames, cycles);
	if (ret) {
		snprintf(what, sizeof(what), "np set %s", argv[0]);
		report(nl, what, ret);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *obj, *verb;
	struct svnic_nl nl;
	int json = 0, opt, ret;

	/* '+': options only before the command, "sidecore-cpu -1" is no option. */
	while ((opt = getopt(argc, argv, "+jh")) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return 2;
	}
	obj = argv[optind++];
	verb = optind < argc ? argv[optind++] : "show";
	if (!strcmp(obj, "help")) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(obj, "info") && strcmp(obj, "np") && strcmp(obj, "vif"))
		return usage_error("unknown command '%s'", obj);
	if (!strcmp(obj, "info") && strcmp(verb, "show"))
		return usage_error("info: unexpected '%s'", verb);
	if (!strcmp(obj, "np") && strcmp(verb, "add") && strcmp(verb, "del") &&
	    strcmp(verb, "set") && strcmp(verb, "show") && strcmp(verb, "list"))
		return usage_error("np: unknown command '%s' (add, del, show, set)", verb);
	if (!strcmp(obj, "vif") && strcmp(verb, "set") &&
	    strcmp(verb, "show") && strcmp(verb, "list"))
		return usage_error("vif: unknown command '%s' (show, set)", verb);

	ret = svnic_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "%s: cannot reach the %s netlink family: %s%s\n",
			prog, SVNIC_GENL_NAME, strerror(-ret),
			ret == -ENOENT ? " (is svnic loaded?)" : "");
		return 1;
	}
	if (json) {
		jw = jsonw_new(stdout);
		if (!jw) {
			fprintf(stderr, "%s: out of memory\n", prog);
			svnic_nl_close(&nl);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(obj, "info"))
		ret = cmd_info(&nl, json);
	else if (!strcmp(obj, "np") && !strcmp(verb, "add"))
		ret = cmd_np_add(&nl, json, argc, argv);
	else if (!strcmp(obj, "np") && !strcmp(verb, "del"))
		ret = cmd_np_del(&nl, argc, argv);
	else if (!strcmp(obj, "np") && !strcmp(verb, "set"))
		ret = cmd_np_set(&nl, argc, argv);
	else if (!strcmp(obj, "np"))
		ret = cmd_np_show(&nl, json, argc, argv);
	else if (!strcmp(verb, "set"))
		ret = cmd_vif_set(&nl, argc, argv);
	else
		ret = cmd_vif_show(&nl, json, argc, argv);
	svnic_nl_close(&nl);
	/* JSON left unfinished is a bug of svnicctl's. */
	if (jsonw_destroy(&jw) && !ret) {
		fprintf(stderr, "%s: internal error: malformed JSON output\n",
			prog);
		ret = 1;
	}
	return ret;
}
