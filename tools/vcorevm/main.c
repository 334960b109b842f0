// SPDX-License-Identifier: GPL-2.0
/*
 * vcorevm - V-Core VMs from one spec: admission control, all-or-nothing
 * apply, release, and the hand-over to QEMU or libvirt
 *
 *   vcorevm [-j] check [--host FILE] SPEC
 *   vcorevm [-j] apply [--libvirt] SPEC
 *   vcorevm release [--force] NAME...
 *   vcorevm [-j] show [NAME]
 *   vcorevm qemu [-x] [--plain] SPEC [-- QEMU-ARG...]
 *   vcorevm libvirt SPEC
 *   vcorevm hook DOMAIN OPERATION SUB-OPERATION [EXTRA]   (libvirt's)
 *   vcorevm bind NAME [--pid PID]
 *   vcorevm exec NAME -- COMMAND [ARG...]
 *   vcorevm host
 *
 * The parts: toml.c (the spec's TOML subset), spec.c (its keys), units.c,
 * host.c (the host's state), check.c (admission), apply.c (apply, bind,
 * release, show, exec; the journal), vdpa.c (VIFs), qemu.c, libvirt.c
 * (domain XML and hook).  Documentation/vm-spec.rst is the manual.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vcorevm.h"

const char *prog = "vcorevm";
bool json_out;
int diag_count;
bool diag_quiet;

void diag(const char *file, int line, const char *what, const char *fmt, ...)
{
	va_list ap;

	diag_count++;
	if (diag_quiet)
		return;
	if (file && line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	else if (line > 0)
		fprintf(stderr, "line %d: ", line);
	if (what && *what)
		fprintf(stderr, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s -h'.\n", prog);
	return EXIT_USAGE;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] COMMAND [ARG...]\n"
		"\n"
		"A V-Core VM is described in one spec file (a subset of TOML; see\n"
		"Documentation/vm-spec.rst): name, vcpus, memory, weight (cpu.weight of its\n"
		"cgroup, for the CPU and every accelerator class), partition; [[vif]] np, mac,\n"
		"mtu, rate, burst, vlan; [[accel]] class, reserve, contexts, units,\n"
		"exclusive; [mdev] type, uuid; [qemu] and [boot] for the QEMU command line.\n"
		"\n"
		"Commands:\n"
		"  check [--host FILE] SPEC   admission control against the host's live state\n"
		"                             (or a state 'host' wrote): one verdict per\n"
		"                             resource; exit 1 when any is refused, 2 for a bad\n"
		"                             spec (FILE:LINE: KEY: why)\n"
		"  apply [--libvirt] SPEC     check, then make it all or nothing: cgroup and\n"
		"                             weight, VIFs on vhost_vdpa (/dev/vcore/VIF) with\n"
		"                             rate and VLAN, the mdev and its reservation,\n"
		"                             partitions of units; a failure at any step rolls\n"
		"                             back every step before it.  --libvirt: the cgroup\n"
		"                             is libvirt's; partitions and reservation wait for\n"
		"                             'bind' (the hook does this)\n"
		"  release [--force] NAME...  undo what apply (or an apply that was killed) did;\n"
		"                             nothing there is no error.  --force: kill what\n"
		"                             still runs in the VM's cgroup first\n"
		"  show [NAME]                the VMs vcorevm manages, their state and steps\n"
		"  qemu [-x] [--plain] SPEC [-- ARG...]\n"
		"                             the QEMU command line, started in the VM's cgroup\n"
		"                             ('exec NAME --' first); -x runs it; --plain\n"
		"                             prints QEMU's arguments alone\n"
		"  libvirt SPEC               libvirt domain XML: <interface type='vdpa'>,\n"
		"                             <hostdev type='mdev'>, <cputune><shares>,\n"
		"                             <resource><partition>, the spec in <metadata>\n"
		"  hook DOMAIN OP SUBOP [X]   libvirt's hook (domain XML on stdin): prepare\n"
		"                             begin applies, started begin binds, release end\n"
		"                             releases; a refusal aborts the start\n"
		"  bind NAME [--pid PID]      a libvirt-prepared VM's partitions and\n"
		"                             reservation, once its QEMU runs\n"
		"  exec NAME -- COMMAND...    run COMMAND in the applied VM's cgroup with\n"
		"                             RLIMIT_MEMLOCK lifted (vhost-vdpa pins memory)\n"
		"  host                       the host's state as check reads it (a host FILE)\n"
		"\n"
		"Options:\n"
		"  -j     JSON output (check, apply's refusals, show)\n"
		"  -h     this text ('COMMAND -h' or 'help COMMAND': that command's)\n"
		"\n"
		"State: $VCOREVM_RUN (default /run/vcore): lock, vms/NAME/{spec.toml,journal}.\n", prog);
}

static int cmd_check_spec(int argc, char **argv)
{
	const char *hostfile = NULL;
	struct verdicts *vs;
	struct vm_spec spec;
	struct host h;
	int ret;

	if (argc >= 2 && !strcmp(argv[0], "--host")) {
		hostfile = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc != 1)
		return usage_error("check [--host FILE] SPEC");
	if (spec_load(argv[0], &spec)) {
		spec_free(&spec);
		return EXIT_USAGE;
	}
	if (hostfile) {
		if (host_load(hostfile, &h)) {
			host_free(&h);
			spec_free(&spec);
			return EXIT_USAGE;
		}
	} else {
		lock_host(false);
		host_collect(&h, &spec);
	}
	vs = malloc(sizeof(*vs));
	if (!vs) {
		host_free(&h);
		spec_free(&spec);
		return EXIT_REFUSED;
	}
	check_vm(&spec, &h, false, vs);
	verdicts_print(&spec, vs, json_out, stdout);
	ret = vs->refused ? EXIT_REFUSED : 0;
	free(vs);
	host_free(&h);
	spec_free(&spec);
	return ret;
}

static int cmd_apply_spec(int argc, char **argv)
{
	struct vm_spec spec;
	bool libvirt = false;
	int ret;

	if (argc && !strcmp(argv[0], "--libvirt")) {
		libvirt = true;
		argc--;
		argv++;
	}
	if (argc != 1)
		return usage_error("apply [--libvirt] SPEC");
	if (spec_load(argv[0], &spec)) {
		spec_free(&spec);
		return EXIT_USAGE;
	}
	ret = apply_spec(&spec, libvirt, json_out);
	spec_free(&spec);
	return ret;
}

static int cmd_release_vms(int argc, char **argv)
{
	bool force = false;
	int i, ret = 0;

	if (argc && !strcmp(argv[0], "--force")) {
		force = true;
		argc--;
		argv++;
	}
	if (argc < 1)
		return usage_error("release [--force] NAME...");
	for (i = 0; i < argc; i++) {
		int st = release_vm(argv[i], force, false);

		if (st > ret)
			ret = st;
	}
	return ret;
}

static int cmd_bind_vm(int argc, char **argv)
{
	int pid = 0;

	if (argc == 3 && !strcmp(argv[1], "--pid"))
		pid = atoi(argv[2]);
	else if (argc != 1)
		return usage_error("bind NAME [--pid PID]");
	if (argc == 3 && pid <= 0)
		return usage_error("bind: bad PID '%s'", argv[2]);
	return bind_vm(argv[0], pid);
}

static int cmd_host_state(int argc, char **argv)
{
	struct host h;

	if (argc)
		return usage_error("host: unexpected '%s'", argv[0]);
	lock_host(false);
	host_collect(&h, NULL);
	host_print(&h, stdout);
	host_free(&h);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "check", cmd_check_spec,
	  "usage: vcorevm [-j] check [--host FILE] SPEC\n"
	  "\n"
	  "Admission control: read SPEC and the host's live state (svnic's NPs,\n"
	  "VIFs and max_vifs, each uplink's speed; vcore_sched's classes, their\n"
	  "units, rt_limit, partitions and the reservations admitted; the VAAL\n"
	  "mdev types and their available instances; MemAvailable, CPUs, the\n"
	  "cgroup cpu controller; the VMs vcorevm manages already) and print one\n"
	  "verdict per resource: 'ok' or 'REFUSED' with the reason and the spec's\n"
	  "FILE:LINE: KEY it comes from, e.g.\n"
	  "  REFUSED accel cpu: reservations 0.20 + 0.75 > limit 0.90 (web1.toml:18: accel[0].reserve)\n"
	  "\n"
	  "  --host FILE  judge against a host state 'vcorevm host' printed\n"
	  "  -j           the verdicts as JSON (before the command)\n"
	  "\n"
	  "Exit status: 0 it fits, 1 refused, 2 a bad spec (every error listed,\n"
	  "FILE:LINE: KEY: why) or bad usage.\n" },
	{ "apply", cmd_apply_spec,
	  "usage: vcorevm [-j] apply [--libvirt] SPEC\n"
	  "\n"
	  "Check SPEC (as 'check', under the host lock: two applies racing for the\n"
	  "last unit of something are judged one after the other), then make the\n"
	  "VM, each step journalled in $VCOREVM_RUN/vms/NAME/journal before it is\n"
	  "taken: the cgroup machine.slice/vcore-NAME.scope and its cpu.weight;\n"
	  "each VIF (vdpa dev add), bound to vhost_vdpa, /dev/vcore/VIF, its rate\n"
	  "and burst, its VLAN; the mdev; its reservation; the partitions of units.\n"
	  "A failure at any step undoes every step before it, in reverse: nothing\n"
	  "is left.  An apply that was killed leaves its journal; 'release NAME'\n"
	  "undoes it.  Prints 'NAME: applied (N steps)'.\n"
	  "\n"
	  "  --libvirt  the cgroup is libvirt's (machine-qemu-ID-NAME.scope):\n"
	  "             make the VIFs and the mdev, and leave the partitions and\n"
	  "             the reservation to 'bind' (the hook's 'started begin')\n"
	  "\n"
	  "Exit status: 0 applied, 1 refused or rolled back, 2 bad spec or usage.\n" },
	{ "release", cmd_release_vms,
	  "usage: vcorevm release [--force] NAME...\n"
	  "\n"
	  "Undo, in reverse, every step the journal of each VM NAME lists - of an\n"
	  "apply that finished, failed or was killed - and remove the VM's state,\n"
	  "leaving the host as it was before the apply.  A VM that is not there is\n"
	  "no error ('NAME: not there: nothing to release').  Refused while\n"
	  "processes still run in the VM's cgroup.\n"
	  "\n"
	  "  --force  kill the processes left in the VM's cgroup first\n" },
	{ "show", cmd_show,
	  "usage: vcorevm [-j] show [NAME]\n"
	  "\n"
	  "The VMs vcorevm manages (or VM NAME): state (applying, applied,\n"
	  "prepared, bound, releasing), cgroup, and the steps taken.  Exit status\n"
	  "1 when NAME is not there.  -j: as JSON.\n" },
	{ "qemu", cmd_qemu,
	  "usage: vcorevm qemu [-x|--run] [--plain] SPEC [-- QEMU-ARG...]\n"
	  "\n"
	  "Print the QEMU command line for an applied VM: -netdev\n"
	  "type=vhost-vdpa,vhostdev=/dev/vcore/VIF with a virtio-net-pci device per\n"
	  "VIF, -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID for the mdev,\n"
	  "vCPUs, memory, machine, accel, the [qemu] and [boot] tables' settings,\n"
	  "then QEMU-ARGs; each word quoted for sh.  It is prefixed by\n"
	  "'vcorevm exec NAME --' so that QEMU starts in the VM's cgroup.\n"
	  "\n"
	  "  -x, --run  run it (through exec) instead of printing it\n"
	  "  --plain    print QEMU's arguments alone, without the exec prefix\n" },
	{ "libvirt", cmd_libvirt,
	  "usage: vcorevm libvirt SPEC\n"
	  "\n"
	  "Print libvirt domain XML for SPEC: <interface type='vdpa'> per VIF on\n"
	  "/dev/vcore/VIF, <hostdev mode='subsystem' type='mdev' model='vfio-pci'>\n"
	  "for the mdev, <cputune><shares> from the weight, <resource><partition>,\n"
	  "and the spec itself in <metadata> (namespace urn:x-vcore:vm:1) for the\n"
	  "hook.  libvirt applies no <bandwidth> to vdpa interfaces: the VIF's own\n"
	  "rate limit in the NP is the QoS.  Define it with 'virsh define'.\n" },
	{ "hook", cmd_hook,
	  "usage: vcorevm hook DOMAIN OPERATION SUB-OPERATION [EXTRA] <DOMAIN-XML\n"
	  "\n"
	  "libvirt's QEMU hook (installed as /etc/libvirt/hooks/qemu.d/vcore).  For\n"
	  "a domain whose <metadata> holds a V-Core spec: 'prepare begin' applies\n"
	  "it ('apply --libvirt'; a refusal exits 1 with the reason on stderr, and\n"
	  "libvirt aborts the start with it), 'started begin' binds the partitions\n"
	  "and the reservation to QEMU's scope and mdev ('bind'), 'release end'\n"
	  "releases it.  Other domains and operations: nothing, exit 0.\n" },
	{ "bind", cmd_bind_vm,
	  "usage: vcorevm bind NAME [--pid PID]\n"
	  "\n"
	  "Once the VM's QEMU runs (PID, or libvirt's pid file): a VM prepared for\n"
	  "libvirt gets its partitions on QEMU's scope and its reservation on its\n"
	  "mdev; the /dev/vaal contexts its processes hold get the reservation too,\n"
	  "up to the contexts booked.\n" },
	{ "exec", cmd_exec,
	  "usage: vcorevm exec NAME -- COMMAND [ARG...]\n"
	  "\n"
	  "Run COMMAND in the applied VM's cgroup, with RLIMIT_MEMLOCK lifted\n"
	  "(vhost-vdpa pins the guest's memory).\n" },
	{ "host", cmd_host_state,
	  "usage: vcorevm host\n"
	  "\n"
	  "Print the host's state as 'check' reads it, as TOML: a file for\n"
	  "'check --host FILE' (to judge a spec against another host's state).\n" },
};

static bool help_arg(const char *s)
{
	return !strcmp(s, "-h") || !strcmp(s, "--help");
}

int main(int argc, char **argv)
{
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "+jh")) != -1) {
		switch (opt) {
		case 'j':
			json_out = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help") || help_arg(argv[optind])) {
		for (i = 0; optind + 1 < argc && i < ARRAY_SIZE(cmds); i++)
			if (!strcmp(argv[optind + 1], cmds[i].name)) {
				fputs(cmds[i].help, stdout);
				return 0;
			}
		if (optind + 1 < argc)
			return usage_error("no command '%s'", argv[optind + 1]);
		print_usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		if (optind + 1 < argc && help_arg(argv[optind + 1])) {
			fputs(cmds[i].help, stdout);
			return 0;
		}
		return cmds[i].fn(argc - optind - 1, argv + optind + 1);
	}
	return usage_error("unknown command '%s'", argv[optind]);
}
