// SPDX-License-Identifier: GPL-2.0
/*
 * vaalctl - show and drive the V-Core accelerator abstraction layer
 *
 *   vaalctl [-j] [-d DEVICE] info
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/libvaal.h"

static const char *prog = "vaalctl";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] [-d DEVICE] COMMAND\n"
		"\n"
		"Commands:\n"
		"  info       ABI version, features and limits of the device\n"
		"\n"
		"Options:\n"
		"  -d DEVICE  device node (default %s)\n"
		"  -j         JSON output\n"
		"  -h         this text\n", prog, VAAL_DEFAULT_PATH);
}

static int cmd_info(int fd, int json)
{
	struct vaal_query q;
	int ret;

	ret = vaal_query(fd, &q);
	if (ret) {
		fprintf(stderr, "%s: query failed: %s\n", prog, strerror(-ret));
		return 1;
	}
	if (json) {
		printf("{\"abi_major\":%u,", q.abi_major);
		printf("\"abi_minor\":%u,", q.abi_minor);
		printf("\"features\":%llu,", (unsigned long long)q.features);
		printf("\"contexts\":%u,", q.nr_contexts);
		printf("\"max_contexts\":%u,", q.max_contexts);
		printf("\"sched_policies\":%u,", q.nr_sched_policies);
		printf("\"max_buffer_bytes\":%llu,",
		       (unsigned long long)q.max_buffer_bytes);
		printf("\"max_buffers\":%u,", q.max_buffers);
		printf("\"max_kernels\":%u}\n", q.max_kernels);
		return 0;
	}
	printf("abi:            %u.%u\n", q.abi_major, q.abi_minor);
	printf("features:       0x%llx%s%s%s\n", (unsigned long long)q.features,
	       q.features & VAAL_FEAT_SCHED_PLUGIN ? " sched-plugin" : "",
	       q.features & VAAL_FEAT_BUFFERS ? " buffers" : "",
	       q.features & VAAL_FEAT_KERNELS ? " kernels" : "");
	printf("contexts:       %u of at most %u\n", q.nr_contexts,
	       q.max_contexts);
	printf("sched policies: %u\n", q.nr_sched_policies);
	printf("buffers:        at most %u and %llu bytes per context\n",
	       q.max_buffers, (unsigned long long)q.max_buffer_bytes);
	printf("kernels:        at most %u per context\n", q.max_kernels);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dev = NULL;
	int json = 0, fd, opt, ret;

	while ((opt = getopt(argc, argv, "d:jh")) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
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

	fd = vaal_open(dev);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s%s\n", prog,
			dev ? dev : VAAL_DEFAULT_PATH, strerror(-fd),
			fd == -ENOENT ? " (is vaal_core loaded?)" : "");
		return 1;
	}
	ret = cmd_info(fd, json);
	close(fd);
	return ret;
}
