/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaalctl.h - what vaalctl's command families share
 *
 * main.c parses the options into the globals below and hands a command's
 * arguments (those after its name) to its family's do_<family>(), which
 * returns the exit status: 0 on success, 1 on failure, 2 on usage errors.
 * With -j a family writes its JSON through json_wtr.
 */
#ifndef _VAALCTL_H
#define _VAALCTL_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/json_writer.h"
#include "../lib/libvaal.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define VAAL_SYSFS_CTRLS	"/sys/class/misc/" VAAL_DEVICE_NAME "/controllers"
#define VCS_SYSFS		"/sys/kernel/vcore_sched"
/* The tables of who uses a class (contexts, usage) are in debugfs. */
#define VCS_DEBUGFS		"/sys/kernel/debug/vcore_sched"

extern const char *prog;
/* -d DEVICE, NULL for VAAL_DEFAULT_PATH */
extern const char *device;
/* -j: JSON output, through json_wtr */
extern bool json_output;
extern struct json_writer *json_wtr;
/* -v */
extern bool verbose;

int do_info(int argc, char **argv);
int do_controllers(int argc, char **argv);
int do_contexts(int argc, char **argv);
int do_sched(int argc, char **argv);
int do_run(int argc, char **argv);

/* main.c */
int usage_error(const char *fmt, const char *arg);

/* common.c */
int open_device(const char *dev);
int sysfs_read(const char *dir, const char *attr, char *buf, size_t len);
int sysfs_u64(const char *dir, const char *attr, unsigned long long *v);
int parse_ns(const char *s, unsigned long long *ns);
const char *fmt_ns(unsigned long long ns, char *buf, size_t len);
const char *fmt_ppm(unsigned long long ppm, char *buf, size_t len);

#endif /* _VAALCTL_H */
