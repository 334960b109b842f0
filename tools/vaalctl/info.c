// SPDX-License-Identifier: GPL-2.0
/*
 * info.c - vaalctl info: the device's ABI version, features and limits
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vaalctl.h"

static const struct {
	__u64 bit;
	const char *name;
} features[] = {
	{ VAAL_FEAT_SCHED_PLUGIN, "sched-plugin" },
	{ VAAL_FEAT_BUFFERS, "buffers" },
	{ VAAL_FEAT_KERNELS, "kernels" },
	{ VAAL_FEAT_RINGS, "rings" },
	{ VAAL_FEAT_CONTROLLERS, "controllers" },
	{ VAAL_FEAT_USER_CONTROLLERS, "user-controllers" },
	{ VAAL_FEAT_SCHED_ATTR, "sched-attr" },
};

int do_info(int argc, char **argv)
{
	struct json_writer *jw = json_wtr;
	struct vaal_query q;
	unsigned int i;
	int fd, ret;

	if (argc)
		return usage_error("%s takes no arguments", "info");
	fd = open_device(device);
	if (fd < 0)
		return 1;
	ret = vaal_query(fd, &q);
	close(fd);
	if (ret) {
		fprintf(stderr, "%s: query failed: %s\n", prog, strerror(-ret));
		return 1;
	}
	if (json_output) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "abi_major", q.abi_major);
		jsonw_u64_field(jw, "abi_minor", q.abi_minor);
		jsonw_u64_field(jw, "features", q.features);
		jsonw_name(jw, "feature_names");
		jsonw_start_array(jw);
		for (i = 0; i < ARRAY_SIZE(features); i++)
			if (q.features & features[i].bit)
				jsonw_string(jw, features[i].name);
		jsonw_end_array(jw);
		jsonw_u64_field(jw, "contexts", q.nr_contexts);
		jsonw_u64_field(jw, "max_contexts", q.max_contexts);
		jsonw_u64_field(jw, "user_contexts", q.nr_user_contexts);
		jsonw_u64_field(jw, "max_user_contexts", q.max_user_contexts);
		jsonw_u64_field(jw, "sched_policies", q.nr_sched_policies);
		jsonw_u64_field(jw, "max_buffer_bytes", q.max_buffer_bytes);
		jsonw_u64_field(jw, "max_buffers", q.max_buffers);
		jsonw_u64_field(jw, "max_kernels", q.max_kernels);
		jsonw_u64_field(jw, "controllers", q.nr_controllers);
		jsonw_u64_field(jw, "max_inflight", q.max_inflight);
		jsonw_end_object(jw);
		return 0;
	}
	printf("abi:            %u.%u\n", q.abi_major, q.abi_minor);
	printf("features:       0x%llx", (unsigned long long)q.features);
	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (q.features & features[i].bit)
			printf(" %s", features[i].name);
	printf("\n");
	printf("contexts:       %u of at most %u\n", q.nr_contexts,
	       q.max_contexts);
	printf("your contexts:  %u of at most %u\n", q.nr_user_contexts,
	       q.max_user_contexts);
	printf("sched policies: %u\n", q.nr_sched_policies);
	printf("buffers:        at most %u and %llu bytes per context\n",
	       q.max_buffers, (unsigned long long)q.max_buffer_bytes);
	printf("kernels:        at most %u per context\n", q.max_kernels);
	printf("controllers:    %u\n", q.nr_controllers);
	printf("in flight:      at most %u per context\n", q.max_inflight);
	return 0;
}
