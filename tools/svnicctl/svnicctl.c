// SPDX-License-Identifier: GPL-2.0
/*
 * svnicctl - configure the V-Core self-virtualized NIC over generic netlink
 *
 *   svnicctl [-j] info
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../lib/svnic_nl.h"

static const char *prog = "svnicctl";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] COMMAND\n"
		"\n"
		"Commands:\n"
		"  info   ABI version and features of the svnic module\n"
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
		printf("{\"abi_major\":%u,", info.abi_major);
		printf("\"abi_minor\":%u,", info.abi_minor);
		printf("\"features\":%llu,", (unsigned long long)info.features);
		printf("\"nps\":%u}\n", info.nr_nps);
	} else {
		printf("abi:      %u.%u\nfeatures: 0x%llx\nnps:      %u\n",
		       info.abi_major, info.abi_minor,
		       (unsigned long long)info.features, info.nr_nps);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct svnic_nl nl;
	int json = 0, opt, ret;

	while ((opt = getopt(argc, argv, "jh")) != -1) {
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
	if (optind != argc - 1 || strcmp(argv[optind], "info")) {
		if (optind < argc)
			fprintf(stderr, "%s: unknown command '%s'\n", prog,
				argv[optind]);
		print_usage(stderr);
		return 2;
	}

	ret = svnic_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "%s: cannot reach the %s netlink family: %s%s\n",
			prog, SVNIC_GENL_NAME, strerror(-ret),
			ret == -ENOENT ? " (is svnic loaded?)" : "");
		return 1;
	}
	ret = cmd_info(&nl, json);
	svnic_nl_close(&nl);
	return ret;
}
