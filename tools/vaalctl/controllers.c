// SPDX-License-Identifier: GPL-2.0
/*
 * controllers.c - vaalctl controllers: the controllers as sysfs shows them
 * (/sys/class/misc/vaal/controllers)
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaalctl.h"

/**
 * struct ctrl_info - a controller as sysfs shows it
 * @name: its directory's name
 * @class: the class it serves
 * @id: as completions report it
 * @units: work it runs at once
 * @busy: units taken now
 * @queued: work of its class waiting for a unit
 * @completed: launches completed with 0
 * @failed: launches completed with an error
 * @timed_out: launches past their deadline
 * @busy_ns: unit time taken
 * @utilization: per mille of the units' time taken
 */
struct ctrl_info {
	char name[NAME_MAX + 1];
	char class[VAAL_CLASS_LEN + 1];
	unsigned long long id, units, busy, queued, completed, failed;
	unsigned long long timed_out, busy_ns, utilization;
};

static int ctrl_read(const char *name, struct ctrl_info *c)
{
	static const char * const attrs[] = {
		"id", "units", "busy", "queued", "completed", "failed",
		"timed_out", "busy_ns", "utilization",
	};
	unsigned long long *vals[] = {
		&c->id, &c->units, &c->busy, &c->queued, &c->completed,
		&c->failed, &c->timed_out, &c->busy_ns, &c->utilization,
	};
	char dir[PATH_MAX];
	unsigned int i;
	int ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/%s", VAAL_SYSFS_CTRLS, name);
	ret = sysfs_read(dir, "class", c->class, sizeof(c->class));
	for (i = 0; !ret && i < ARRAY_SIZE(attrs); i++)
		ret = sysfs_u64(dir, attrs[i], vals[i]);
	return ret;
}

static int ctrl_cmp(const void *a, const void *b)
{
	const struct ctrl_info *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void ctrl_json(const struct ctrl_info *c)
{
	struct json_writer *jw = json_wtr;

	jsonw_start_object(jw);
	jsonw_string_field(jw, "name", c->name);
	jsonw_string_field(jw, "class", c->class);
	jsonw_u64_field(jw, "id", c->id);
	jsonw_u64_field(jw, "units", c->units);
	jsonw_u64_field(jw, "busy", c->busy);
	jsonw_u64_field(jw, "queued", c->queued);
	jsonw_u64_field(jw, "completed", c->completed);
	jsonw_u64_field(jw, "failed", c->failed);
	jsonw_u64_field(jw, "timed_out", c->timed_out);
	jsonw_u64_field(jw, "busy_ns", c->busy_ns);
	jsonw_u64_field(jw, "utilization_permille", c->utilization);
	/* Per mille as a percentage with one decimal: 12.3, 100.0. */
	jsonw_float_fmt_field(jw, "utilization", "%.1f",
			      c->utilization / 10.0);
	jsonw_end_object(jw);
}

int do_controllers(int argc, char **argv)
{
	struct ctrl_info *ctrls = NULL, *c;
	unsigned int n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	if (argc)
		return usage_error("%s takes no arguments", "controllers");
	d = opendir(VAAL_SYSFS_CTRLS);
	if (!d) {
		fprintf(stderr, "%s: cannot read %s: %s%s\n", prog,
			VAAL_SYSFS_CTRLS, strerror(errno),
			errno == ENOENT ? " (is vaal_core loaded?)" : "");
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			c = realloc(ctrls, cap * sizeof(*ctrls));
			if (!c) {
				fprintf(stderr, "%s: out of memory\n", prog);
				closedir(d);
				free(ctrls);
				return 1;
			}
			ctrls = c;
		}
		/* A controller that went away while we read it is skipped. */
		if (!ctrl_read(de->d_name, &ctrls[n]))
			n++;
	}
	closedir(d);
	if (n)
		qsort(ctrls, n, sizeof(*ctrls), ctrl_cmp);

	if (json_output) {
		jsonw_start_array(json_wtr);
		for (i = 0; i < n; i++)
			ctrl_json(&ctrls[i]);
		jsonw_end_array(json_wtr);
	} else {
		printf("%-16s %-12s %4s %5s %4s %6s %10s %7s %9s %14s %6s\n",
		       "NAME", "CLASS", "ID", "UNITS", "BUSY", "QUEUED",
		       "COMPLETED", "FAILED", "TIMED_OUT", "BUSY_NS", "UTIL");
		for (i = 0; i < n; i++) {
			c = &ctrls[i];
			printf("%-16s %-12s %4llu %5llu %4llu %6llu %10llu %7llu %9llu %14llu %4llu.%llu%%\n",
			       c->name, c->class, c->id, c->units, c->busy,
			       c->queued, c->completed, c->failed, c->timed_out,
			       c->busy_ns, c->utilization / 10,
			       c->utilization % 10);
		}
	}
	free(ctrls);
	return 0;
}
