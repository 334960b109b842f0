// SPDX-License-Identifier: GPL-2.0
/*
 * qemu.c - the QEMU command line of a VM, started in the VM's cgroup
 *
 *   vcorevm exec NAME -- qemu-system-x86_64 -name NAME,debug-threads=on
 *       -uuid UUID -machine q35 -accel kvm -m MiB -smp N
 *       -netdev type=vhost-vdpa,vhostdev=/dev/vcore/VIF,id=vifI
 *       -device virtio-net-pci,netdev=vifI,mac=MAC
 *       -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID
 *       [-kernel ... -initrd ... -append ...] [[qemu] args] [-- ARGS]
 *
 * "exec NAME --" moves itself into the VM's cgroup, lifts RLIMIT_MEMLOCK
 * (vhost-vdpa pins the guest's memory) and runs the rest.  /dev/vcore/VIF
 * is the VIF's vhost-vdpa device by its name, made by apply (and by the
 * udev rule that make install puts in place).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcorevm.h"

#define QEMU_MAX_ARGS	(SPEC_MAX_ARGS + 128)

struct argv {
	char *v[QEMU_MAX_ARGS + 1];
	int n;
};

static int add(struct argv *a, const char *fmt, ...)
	__printf(2, 3);

static int add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (a->n == QEMU_MAX_ARGS)
		return -E2BIG;
	va_start(ap, fmt);
	ret = vasprintf(&a->v[a->n], fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -ENOMEM;
	a->n++;
	return 0;
}

static int qemu_argv(const struct vm_spec *spec, int nextra, char **extra,
		     struct argv *a)
{
	char mac[18], link[PATH_MAX];
	unsigned int i;
	int k, ret;

	ret = add(a, "%s", spec->qemu_binary) ||
	      add(a, "-name") || add(a, "%s,debug-threads=on", spec->name) ||
	      add(a, "-uuid") || add(a, "%s", spec->uuid) ||
	      add(a, "-machine") || add(a, "%s", spec->qemu_machine) ||
	      add(a, "-accel") || add(a, "%s", spec->qemu_accel) ||
	      add(a, "-m") || add(a, "%" PRIu64, spec->memory >> 20) ||
	      add(a, "-smp") || add(a, "%u", spec->vcpus);
	if (!ret && *spec->kernel)
		ret = add(a, "-kernel") || add(a, "%s", spec->kernel);
	if (!ret && *spec->initrd)
		ret = add(a, "-initrd") || add(a, "%s", spec->initrd);
	if (!ret && *spec->cmdline)
		ret = add(a, "-append") || add(a, "%s", spec->cmdline);
	for (i = 0; !ret && i < spec->nvifs; i++) {
		const struct spec_vif *v = &spec->vifs[i];

		vif_link(v, link, sizeof(link));
		ret = add(a, "-netdev") ||
		      add(a, "type=vhost-vdpa,vhostdev=%s,id=vif%u", link, i) ||
		      add(a, "-device") ||
		      add(a, "virtio-net-pci,netdev=vif%u,mac=%s%s%s", i,
			  fmt_mac(v->mac, mac, sizeof(mac)),
			  *spec->nic_opts ? "," : "", spec->nic_opts);
	}
	if (!ret && spec->mdev.present)
		ret = add(a, "-device") ||
		      add(a, "vfio-pci,sysfsdev=" MDEV_DEVICES "/%s", spec->mdev.uuid);
	for (i = 0; !ret && i < spec->nargs; i++)
		ret = add(a, "%s", spec->args[i]);
	for (k = 0; !ret && k < nextra; k++)
		ret = add(a, "%s", extra[k]);
	a->v[a->n] = NULL;
	return ret ? -E2BIG : 0;
}

static void argv_free(struct argv *a)
{
	while (a->n)
		free(a->v[--a->n]);
}

/* @s as one word of sh. */
static void put_word(const char *s, FILE *f)
{
	const char *p;

	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_./:=,+-@%", *p))
			break;
	if (*s && !*p) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

int cmd_qemu(int argc, char **argv)
{
	char self[PATH_MAX], *exec_argv[QEMU_MAX_ARGS + 4];
	bool run = false, plain = false;
	struct vm_spec spec;
	struct argv a = { .n = 0 };
	int i, nextra = 0, ret;
	char **extra = NULL;
	ssize_t n;

	while (argc && argv[0][0] == '-' && strcmp(argv[0], "--")) {
		if (!strcmp(argv[0], "-x") || !strcmp(argv[0], "--run"))
			run = true;
		else if (!strcmp(argv[0], "--plain"))
			plain = true;
		else
			return usage_error("qemu: unknown option '%s'", argv[0]);
		argc--;
		argv++;
	}
	if (argc < 1)
		return usage_error("qemu [-x|--run] [--plain] SPEC [-- QEMU-ARG...]");
	if (argc > 1) {
		if (strcmp(argv[1], "--"))
			return usage_error("qemu: unexpected '%s' (QEMU's own arguments go after --)",
					   argv[1]);
		nextra = argc - 2;
		extra = argv + 2;
	}
	if (spec_load(argv[0], &spec)) {
		spec_free(&spec);
		return EXIT_USAGE;
	}
	ret = qemu_argv(&spec, nextra, extra, &a);
	if (ret) {
		err_msg("%s: too many QEMU arguments", spec.name);
		goto out;
	}
	if (run) {
		/* As "vcorevm exec NAME -- QEMU-ARGV": what follows "exec". */
		exec_argv[0] = spec.name;
		exec_argv[1] = (char *)"--";
		for (i = 0; i <= a.n; i++)
			exec_argv[2 + i] = a.v[i];
		ret = cmd_exec(a.n + 2, exec_argv);
		goto out;
	}
	if (!plain) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		put_word(n > 0 ? self : "vcorevm", stdout);
		printf(" exec ");
		put_word(spec.name, stdout);
		printf(" --");
	}
	for (i = 0; i < a.n; i++) {
		if (i || !plain)
			putchar(' ');
		put_word(a.v[i], stdout);
	}
	putchar('\n');
out:
	argv_free(&a);
	spec_free(&spec);
	return ret ? EXIT_REFUSED : 0;
}
