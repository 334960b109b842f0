// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_cudad - the CUDA controller of /dev/vaal: serves an accelerator
 * class (cuda) with the NVIDIA GPUs of CUDA's driver API
 *
 *   vaal_cudad [-d DEVICE] [--name NAME] [--class CLASS] [--devices N]
 *              [--units N] [--libcuda PATH] [-v]
 *
 * Loads the CUDA driver (libcuda.so.1, at run time: nothing links it),
 * and only when it has a device registers a controller of CLASS
 * (VAAL_IOC_CTRL_REGISTER) with --units units per device.  Kernels
 * registered for the class carry PTX in their blob, and run in a CUDA
 * context of their vaal context's own, on the launch's buffers registered
 * in place.  Once registered it prints one line on standard output:
 *
 *   vaal_cudad: NAME: ready, id ID, class CLASS, N units on M devices
 *
 * and tells systemd it is ready when NOTIFY_SOCKET is set (Type=notify).
 * Without a driver or a device it says why in one line and exits with
 * status 69 (EX_UNAVAILABLE), /dev/vaal untouched.  SIGTERM and SIGINT
 * stop it once the works it runs have ended.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vaal_cudad.h"

const char *prog = "vaal_cudad";
struct opts opt = {
	.name = "cuda0",
	.class = "cuda",
	.units = 4,
};

int ctrl_fd = -1;
struct unit *units;
unsigned int nr_units;
struct stats stats;
static unsigned int nr_devs;
static int stop_signal;	/* atomic: the signal that stops us */

/**
 * vlog - a line on standard error, "vaal_cudad: NAME: ..."
 * @fmt: printf format of the rest
 */
void vlog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctrld_vlog(prog, opt.name, fmt, ap);
	va_end(ap);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options]\n"
		"\n"
		"Serve an accelerator class of /dev/vaal with the GPUs of the CUDA driver:\n"
		"kernels registered for the class carry PTX in their blob.  Each vaal\n"
		"context gets a CUDA context of its own.  Without a CUDA driver or device\n"
		"it exits with status %d and registers nothing.\n"
		"\n"
		"Options:\n"
		"  -d, --device DEV       device node (default %s)\n"
		"  --name NAME            controller name (default cuda0)\n"
		"  --class CLASS          accelerator class to serve (default cuda)\n"
		"  --devices N            serve the first N CUDA devices (default all)\n"
		"  --units N              units per device: works it runs at once\n"
		"                         (default 4)\n"
		"  --libcuda PATH         the CUDA driver library to load (default\n"
		"                         libcuda.so.1, where the dynamic loader finds it)\n"
		"  -v, --verbose          a line per work and per CUDA context on standard\n"
		"                         error, and the counters at exit\n"
		"  -h, --help             this text\n"
		"\n"
		"Units: devices x units, at most %d.\n",
		prog, VCUDA_EX_UNAVAILABLE, VAAL_DEFAULT_PATH, MAX_UNITS);
}

static int parse_args(int argc, char **argv)
{
	enum { OPT_NAME = 256, OPT_CLASS, OPT_DEVICES, OPT_UNITS,
	       OPT_LIBCUDA };
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "devices", required_argument, NULL, OPT_DEVICES },
		{ "units", required_argument, NULL, OPT_UNITS },
		{ "libcuda", required_argument, NULL, OPT_LIBCUDA },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;

	while ((o = getopt_long(argc, argv, "d:vh", longopts, NULL)) != -1) {
		switch (o) {
		case 'd':
			opt.device = optarg;
			break;
		case OPT_NAME:
			opt.name = optarg;
			break;
		case OPT_CLASS:
			opt.class = optarg;
			break;
		case OPT_DEVICES:
			opt.max_devices = ctrld_parse_count(prog, "--devices", optarg,
						      MAX_UNITS);
			if (!opt.max_devices)
				return 2;
			break;
		case OPT_UNITS:
			opt.units = ctrld_parse_count(prog, "--units", optarg, MAX_UNITS);
			if (!opt.units)
				return 2;
			break;
		case OPT_LIBCUDA:
			opt.libcuda = optarg;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		print_usage(stderr);
		return 2;
	}
	return 0;
}

/* The driver and its devices, before /dev/vaal is touched: 0 or status. */
static int cuda_check(void)
{
	char why[512];

	if (vcuda_open(opt.libcuda, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", prog, why);
		return VCUDA_EX_UNAVAILABLE;
	}
	nr_devs = vcuda_device_count();
	if (opt.max_devices && nr_devs > opt.max_devices)
		nr_devs = opt.max_devices;
	if (nr_devs * opt.units > MAX_UNITS) {
		fprintf(stderr, "%s: %s: %u devices x %u units is %u units, more than %d\n",
			prog, opt.name, nr_devs, opt.units,
			nr_devs * opt.units, MAX_UNITS);
		return 1;
	}
	return 0;
}

static int units_init(void)
{
	unsigned int i;

	nr_units = nr_devs * opt.units;
	units = calloc(nr_units, sizeof(*units));
	if (!units)
		return -1;
	for (i = 0; i < nr_units; i++) {
		units[i].idx = i;
		units[i].dev = i / opt.units;
	}
	return 0;
}

static void on_signal(int sig)
{
	/* SIGUSR1 only interrupts: a blocked pull returns -EINTR. */
	if (sig != SIGUSR1)
		__atomic_store_n(&stop_signal, sig, __ATOMIC_RELAXED);
}

/* Open the device and register the controller: 0 or exit status. */
static int ctrl_register(__u32 *id)
{
	struct vaal_query q;
	int ret;

	ctrl_fd = vaal_open(opt.device);
	if (ctrl_fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			opt.device ? opt.device : VAAL_DEFAULT_PATH,
			strerror(-ctrl_fd));
		return 1;
	}
	memset(&q, 0, sizeof(q));
	ret = vaal_query(ctrl_fd, &q);
	if (ret || !(q.features & VAAL_FEAT_CTRL_CTX_ID)) {
		fprintf(stderr, "%s: %s: the running vaal_core does not name the context of a controller's work (ABI %u.%u, 0.8 wanted)\n",
			prog, opt.name, q.abi_major, q.abi_minor);
		return 1;
	}
	ret = vaal_ctrl_register(ctrl_fd, opt.name, opt.class, nr_units, id);
	if (ret) {
		fprintf(stderr, "%s: register controller %s: %s%s\n", prog,
			opt.name, strerror(-ret), ctrld_register_hint(ret));
		return 1;
	}
	return 0;
}

static void say_ready(__u32 id)
{
	char name[128];
	unsigned int i;

	printf("%s: %s: ready, id %u, class %s, %u units on %u devices\n",
	       prog, opt.name, id, opt.class, nr_units, nr_devs);
	fflush(stdout);
	for (i = 0; opt.verbose && i < nr_devs; i++) {
		vcuda_device_name(i, name, sizeof(name));
		vlog("device %u: %s: %u units", i, name, opt.units);
	}
	ctrld_sd_notify_ready();
}

int main(int argc, char **argv)
{
	sigset_t empty;
	int ret, sig;
	__u32 id;

	ret = parse_args(argc, argv);
	if (!ret)
		ret = cuda_check();
	if (ret)
		return ret;
	/* No SA_RESTART: a signal breaks a blocked pull. */
	ctrld_signals(on_signal);
	if (units_init())
		return 1;
	ret = ctrl_register(&id);
	if (ret)
		return ret;
	ret = loop_start();
	if (!ret) {
		say_ready(id);
		sigemptyset(&empty);
		while (!__atomic_load_n(&stop_signal, __ATOMIC_RELAXED) &&
		       !is_stopping())
			sigsuspend(&empty);
	} else {
		fprintf(stderr, "%s: %s: start threads: %s\n", prog, opt.name,
			strerror(-ret));
	}
	loop_stop();
	sig = __atomic_load_n(&stop_signal, __ATOMIC_RELAXED);
	if (opt.verbose)
		vlog("%s%s%llu works, %llu bytes staged, %llu CUDA contexts made again after a fault, %llu abandoned past a deadline",
		     sig ? "stopped by " : "", sig ? strsignal(sig) : "",
		     (unsigned long long)stats.works,
		     (unsigned long long)stats.staged_bytes,
		     (unsigned long long)stats.recreated,
		     (unsigned long long)stats.abandoned);
	close(ctrl_fd);
	/* A kernel that never ended would hold the driver's teardown. */
	if (stats.abandoned)
		_exit(ret ? 1 : 0);
	vctx_free_all();
	for (unsigned int i = 0; i < nr_units; i++)
		slots_free(&units[i]);
	free(units);
	return ret ? 1 : 0;
}
