// SPDX-License-Identifier: GPL-2.0
/*
 * vaalctl - show and drive the V-Core accelerator abstraction layer
 *
 *   vaalctl [-j] [-v] [-d DEVICE] info
 *   vaalctl [-j] controllers
 *   vaalctl [-j] [-d DEVICE] contexts
 *   vaalctl [-j] [-v] [-d DEVICE] run CLASS KERNEL ARG...
 *   vaalctl [-j] sched
 *   vaalctl sched policy|rt-limit|partitions CLASS VALUE...
 *   vaalctl [-j] [-d DEVICE] sched reserve|pin|get PID FD CLASS ...
 *   vaalctl [-j] sched reserve|get mdev UUID ...
 *   vaalctl help
 *
 * controllers reads /sys/class/misc/vaal/controllers; contexts finds the
 * open files of the device in /proc/PID/fd and reads their fdinfo, as DRM
 * fdinfo tools do, then adds the contexts kernel clients hold (a guest's,
 * through its mediated device) from vcore_sched's debugfs tables; run opens a context, creates a buffer per argument,
 * registers the kernel with the signature the arguments make, launches it
 * once through a small ring and writes the outputs.  sched reads and
 * writes vcore_sched's files in /sys/kernel/vcore_sched/CLASS/, and sets a
 * process's context's reservation or units through a descriptor taken
 * with pidfd_getfd() (ptrace permission over the process).
 *
 * This file parses the options and dispatches through cmds[]; each command
 * family has a file of its own (info.c, controllers.c, contexts.c, run.c,
 * sched.c), helpers they share are in common.c, and JSON goes through
 * tools/lib/json_writer.c, as svnicctl's does.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vaalctl.h"

const char *prog = "vaalctl";
const char *device;
bool json_output;
struct json_writer *json_wtr;
bool verbose;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] [-v] [-d DEVICE] COMMAND [ARG...]\n"
		"\n"
		"Commands:\n"
		"  info         ABI version, features, limits and controllers of the device\n"
		"  controllers  the controllers (sysfs): class, id, units, busy, queued,\n"
		"               completed, failed, timed_out, busy_ns, utilization\n"
		"  contexts     the open contexts of all processes (/proc/PID/fdinfo):\n"
		"               pid, comm, fd, submissions, buffers, work per class,\n"
		"               owner; and guests' (mdev:UUID), from vcore_sched's debugfs\n"
		"  run CLASS KERNEL ARG...\n"
		"               run the kernel KERNEL of class CLASS once; ARG, in order:\n"
		"     --in FILE        a buffer argument read by the kernel ('-': stdin)\n"
		"     --inout FILE     read and written; FILE is written back\n"
		"     --out FILE:SIZE  written by the kernel, SIZE bytes (suffixes k, M, G);\n"
		"                      FILE '-' prints it to stdout in hex, one line\n"
		"     --u32 N, --u64 N a little-endian scalar (decimal, 0x hex, 0 octal)\n"
		"     --hex HEXBYTES   scalar bytes, as written\n"
		"     --timeout MS     the kernel's deadline (default: the module's)\n"
		"     --reserve [CLASS:]BUDGET/PERIOD\n"
		"                      reserve device time for the context first (CLASS:\n"
		"                      the kernel's by default), e.g. cpu:2ms/10ms\n"
		"               buffer arguments and scalars are passed in the order given;\n"
		"               the signature (arguments, modes, scalar bytes) is theirs\n"
		"  sched        vcore_sched's classes (/sys/kernel/vcore_sched): policy,\n"
		"               rt_limit, units, partitions, contexts, usage per cgroup\n"
		"  sched policy CLASS fair|fcfs|rr|fifo\n"
		"               the class's policy: cgroup weights (fair), first come first\n"
		"               served (fcfs), in turn (rr), or vaal_core's FIFO (fifo)\n"
		"  sched rt-limit CLASS PERCENT\n"
		"               share of the class's units reservations may take\n"
		"  sched partitions CLASS 'UNITS CGROUP [exclusive]'... | none\n"
		"               the class's units (a list: 0-1,3) shared by the contexts\n"
		"               of a cgroup ('-': contexts pinned to them), exclusive: by\n"
		"               those only; none: no partitions\n"
		"  sched reserve PID FD CLASS BUDGET PERIOD\n"
		"               reserve BUDGET of device time in every PERIOD (ns, us, ms,\n"
		"               s: 2ms 10ms; 0 0: none) for the context FD of process PID\n"
		"  sched pin PID FD CLASS UNITS\n"
		"               let that context use only UNITS (exactly a partition's\n"
		"               units; any: all)\n"
		"  sched get PID FD CLASS\n"
		"               that context's reservation and units; reserve, pin and get\n"
		"               take the descriptor with pidfd_getfd (ptrace permission)\n"
		"  sched reserve mdev UUID CLASS BUDGET PERIOD\n"
		"               the same for every context of the guest of a VAAL mdev,\n"
		"               those it has and those it makes later (0 0: none)\n"
		"  sched get mdev UUID\n"
		"               that mdev's reservation\n"
		"  help         this text\n"
		"\n"
		"Options:\n"
		"  -d DEVICE  device node (default %s)\n"
		"  -j         JSON output\n"
		"  -v         run: controller id and device time on stderr\n"
		"  -h         this text\n"
		"\n"
		"Exit status: 0 on success, 1 on failure, 2 on usage errors.\n"
		"Examples:\n"
		"  %s run crypto sha256 --in /etc/os-release --out -:32\n"
		"  %s run cpu crc32c --in FILE --out -:4 --u32 0\n"
		"  %s run cpu xor --in a --in b --out c:4096\n"
		"  %s sched partitions crypto '0-1 /machine.slice/vm1 exclusive' '2-3 -'\n"
		"  %s sched reserve 1234 9 crypto 2ms 10ms\n",
		prog, VAAL_DEFAULT_PATH, prog, prog, prog, prog, prog);
}

int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see '%s help')\n", prog);
	return 2;
}

static int do_help(int argc, char **argv)
{
	print_usage(stdout);
	return 0;
}

/**
 * struct cmd - a command of vaalctl
 * @name: as given on the command line
 * @func: its family's handler, given the arguments after @name
 */
struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

static const struct cmd cmds[] = {
	{ "info",		do_info },
	{ "controllers",	do_controllers },
	{ "contexts",		do_contexts },
	{ "run",		do_run },
	{ "sched",		do_sched },
	{ "help",		do_help },
};

int main(int argc, char **argv)
{
	const char *cmd;
	unsigned int i;
	int opt, ret;

	/* '+': options end at the command, run's arguments are its own. */
	while ((opt = getopt(argc, argv, "+d:jvh")) != -1) {
		switch (opt) {
		case 'd':
			device = optarg;
			break;
		case 'j':
			json_output = true;
			break;
		case 'v':
			verbose = true;
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
	cmd = argv[optind];
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmd, cmds[i].name))
			break;
	if (i == ARRAY_SIZE(cmds)) {
		fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
		print_usage(stderr);
		return 2;
	}
	if (json_output) {
		json_wtr = jsonw_new(stdout);
		if (!json_wtr) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return 1;
		}
	}
	ret = cmds[i].func(argc - optind - 1, argv + optind + 1);
	/* A family that left its JSON unfinished is a bug of vaalctl's. */
	if (jsonw_destroy(&json_wtr) && !ret) {
		fprintf(stderr, "%s: internal error: malformed JSON output\n",
			prog);
		ret = 1;
	}
	return ret;
}
