// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_opencld - the OpenCL controller of /dev/vaal: serves an accelerator
 * class (opencl) through any OpenCL ICD
 *
 *   vaal_opencld [-d DEVICE] [--name NAME] [--class CLASS]
 *                [--platform NAME] [--type TYPE] [--devices N]
 *                [--queues N] [--depth N] [--threads N]
 *                [--build-options OPTS] [--cache-dir DIR] [--guard MIB]
 *                [--fail-after N] [-v]
 *
 * Registers a controller of CLASS (VAAL_IOC_CTRL_REGISTER) whose units are
 * places on the command queues of the OpenCL devices it finds: N queues
 * per device (--queues), each holding --depth units' work at once (one by
 * default: one unit per queue).  Kernels registered for the class carry
 * their program in their blob - OpenCL C source, or SPIR-V for a device
 * that takes it - and run with the launch's geometry on the launch's
 * buffers, in place where the runtime allows.  Once registered it prints
 * one line on standard output:
 *
 *   vaal_opencld: NAME: ready, id ID, class CLASS, N units on M devices
 *
 * and tells systemd it is ready when NOTIFY_SOCKET is set (Type=notify).
 * SIGTERM and SIGINT stop it: works on the devices finish first (a few
 * seconds at most), then the controller goes away with its file; the core
 * hands what it still held to the class's other controllers, or fails it
 * with -EIO.  --fail-after is for tests.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vaal_opencld.h"

const char *prog = "vaal_opencld";
struct opts opt = {
	.name = "opencl0",
	.class = "opencl",
	.type = CL_DEVICE_TYPE_ALL,
	.queues = 2,
	.depth = 1,
	.threads = 2,
	.guard = 256UL << 20,
};

int ctrl_fd = -1;
int trace_on;
struct device *devs;
unsigned int nr_devs;
struct unit *units;
unsigned int nr_units;

static int stop_signal;	/* atomic: the signal that stops us */

/**
 * vlog - a line on standard error, "vaal_opencld: NAME: ..."
 * @fmt: printf format of the rest
 */
void vlog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctrld_vlog(prog, opt.name, fmt, ap);
	va_end(ap);
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

const char *cl_err_name(cl_int err)
{
#define E(x)	{ x, #x }
	static const struct {
		cl_int err;
		const char *name;
	} names[] = {
		E(CL_SUCCESS), E(CL_DEVICE_NOT_FOUND), E(CL_DEVICE_NOT_AVAILABLE),
		E(CL_COMPILER_NOT_AVAILABLE), E(CL_MEM_OBJECT_ALLOCATION_FAILURE),
		E(CL_OUT_OF_RESOURCES), E(CL_OUT_OF_HOST_MEMORY),
		E(CL_PROFILING_INFO_NOT_AVAILABLE), E(CL_BUILD_PROGRAM_FAILURE),
		E(CL_MAP_FAILURE), E(CL_MISALIGNED_SUB_BUFFER_OFFSET),
		E(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST),
		E(CL_KERNEL_ARG_INFO_NOT_AVAILABLE), E(CL_INVALID_VALUE),
		E(CL_INVALID_DEVICE_TYPE), E(CL_INVALID_PLATFORM),
		E(CL_INVALID_DEVICE), E(CL_INVALID_CONTEXT),
		E(CL_INVALID_QUEUE_PROPERTIES), E(CL_INVALID_COMMAND_QUEUE),
		E(CL_INVALID_HOST_PTR), E(CL_INVALID_MEM_OBJECT),
		E(CL_INVALID_BINARY), E(CL_INVALID_BUILD_OPTIONS),
		E(CL_INVALID_PROGRAM), E(CL_INVALID_PROGRAM_EXECUTABLE),
		E(CL_INVALID_KERNEL_NAME), E(CL_INVALID_KERNEL_DEFINITION),
		E(CL_INVALID_KERNEL), E(CL_INVALID_ARG_INDEX),
		E(CL_INVALID_ARG_VALUE), E(CL_INVALID_ARG_SIZE),
		E(CL_INVALID_KERNEL_ARGS), E(CL_INVALID_WORK_DIMENSION),
		E(CL_INVALID_WORK_GROUP_SIZE), E(CL_INVALID_WORK_ITEM_SIZE),
		E(CL_INVALID_GLOBAL_OFFSET), E(CL_INVALID_EVENT_WAIT_LIST),
		E(CL_INVALID_EVENT), E(CL_INVALID_OPERATION),
		E(CL_INVALID_BUFFER_SIZE), E(CL_INVALID_GLOBAL_WORK_SIZE),
		E(CL_INVALID_PROPERTY),
	};
#undef E
	static __thread char other[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "OpenCL error %d", err);
	return other;
}

/**
 * cl_errno - the errno a launch gets for a runtime's error
 * @err: the runtime's error
 *
 * Return: -EINVAL for launches the device cannot run as asked (work
 * sizes, arguments), -ENOMEM when it runs out of memory, -EIO otherwise.
 */
int cl_errno(cl_int err)
{
	switch (err) {
	case CL_SUCCESS:
		return 0;
	case CL_INVALID_WORK_DIMENSION:
	case CL_INVALID_WORK_GROUP_SIZE:
	case CL_INVALID_WORK_ITEM_SIZE:
	case CL_INVALID_GLOBAL_WORK_SIZE:
	case CL_INVALID_GLOBAL_OFFSET:
	case CL_INVALID_ARG_SIZE:
	case CL_INVALID_ARG_VALUE:
	case CL_INVALID_KERNEL_ARGS:
	case CL_INVALID_BUFFER_SIZE:
	case CL_INVALID_HOST_PTR:
	case CL_INVALID_KERNEL_NAME:
	case CL_BUILD_PROGRAM_FAILURE:
	case CL_MISALIGNED_SUB_BUFFER_OFFSET:
		return -EINVAL;
	case CL_OUT_OF_HOST_MEMORY:
	case CL_OUT_OF_RESOURCES:
	case CL_MEM_OBJECT_ALLOCATION_FAILURE:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

static cl_command_queue queue_new(struct device *d, cl_int *err)
{
	cl_queue_properties props[] = {
		CL_QUEUE_PROPERTIES,
		CL_QUEUE_PROFILING_ENABLE |
		(d->ooo ? CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE : 0),
		0
	};

	return clCreateCommandQueueWithProperties(d->ctx, d->id, props, err);
}

/**
 * queue_of - the command queue of a unit
 * @u: the unit
 *
 * Return: the queue; a replaced one stays valid (it is never released).
 */
cl_command_queue queue_of(const struct unit *u)
{
	cl_command_queue q;

	pthread_mutex_lock(&u->dev->qlock);
	q = u->dev->queues[u->queue];
	pthread_mutex_unlock(&u->dev->qlock);
	return q;
}

/**
 * queue_replace - a fresh queue in place of a unit's, which holds a
 *	kernel that does not end
 * @u: the unit
 *
 * The old queue is left as it is: releasing it would wait for the kernel.
 */
void queue_replace(struct unit *u)
{
	struct device *d = u->dev;
	cl_command_queue q;
	cl_int err;

	q = queue_new(d, &err);
	if (!q) {
		vlog("unit %u: cannot replace its queue: %s", u->idx,
		     cl_err_name(err));
		return;
	}
	pthread_mutex_lock(&d->qlock);
	d->queues[u->queue] = q;
	pthread_mutex_unlock(&d->qlock);
}

/* Does a CL_MEM_USE_HOST_PTR buffer of @d map at its host pointer? */
static int probe_in_place(struct device *d)
{
	size_t bytes = 4096;
	cl_command_queue q;
	void *host, *map;
	cl_mem mem;
	cl_int err;
	int same = 0;

	host = aligned_alloc(4096, bytes);
	if (!host)
		return 0;
	q = queue_new(d, &err);
	mem = q ? clCreateBuffer(d->ctx, CL_MEM_USE_HOST_PTR | CL_MEM_READ_WRITE,
				 bytes, host, &err) : NULL;
	if (mem) {
		map = clEnqueueMapBuffer(q, mem, CL_TRUE, CL_MAP_READ, 0, bytes,
					 0, NULL, NULL, &err);
		same = map == host;
		if (map)
			clEnqueueUnmapMemObject(q, mem, map, 0, NULL, NULL);
		clFinish(q);
		clReleaseMemObject(mem);
	}
	if (q)
		clReleaseCommandQueue(q);
	free(host);
	return same;
}

/* Set @d up: its context, what it can do, its queues.  0 or -1. */
static int device_init(struct device *d)
{
	cl_command_queue_properties qp = 0;
	char il[256] = "";
	cl_uint bits = 0;
	unsigned int i;
	cl_int err;

	clGetDeviceInfo(d->id, CL_DEVICE_NAME, sizeof(d->name) - 1, d->name,
			NULL);
	if (!clGetDeviceInfo(d->id, CL_DEVICE_IL_VERSION, sizeof(il) - 1, il,
			     NULL))
		d->spirv = !!strstr(il, "SPIR-V");
	clGetDeviceInfo(d->id, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof(bits),
			&bits, NULL);
	d->align = bits >= 8 ? bits / 8 : 1;
	clGetDeviceInfo(d->id, CL_DEVICE_QUEUE_ON_HOST_PROPERTIES, sizeof(qp),
			&qp, NULL);
	d->ooo = opt.depth > 1 && (qp & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE);
	d->ctx = clCreateContext(NULL, 1, &d->id, NULL, NULL, &err);
	if (!d->ctx) {
		fprintf(stderr, "%s: %s: device '%s': cannot create a context: %s\n",
			prog, opt.name, d->name, cl_err_name(err));
		return -1;
	}
	d->in_place = probe_in_place(d);
	pthread_mutex_init(&d->qlock, NULL);
	d->nr_queues = opt.queues;
	d->queues = calloc(d->nr_queues, sizeof(*d->queues));
	if (!d->queues)
		return -1;
	for (i = 0; i < d->nr_queues; i++) {
		d->queues[i] = queue_new(d, &err);
		if (!d->queues[i]) {
			fprintf(stderr, "%s: %s: device '%s': cannot create a command queue: %s\n",
				prog, opt.name, d->name, cl_err_name(err));
			return -1;
		}
	}
	return 0;
}

/* Find the devices to serve.  0, or -1 when there is none. */
static int devices_find(void)
{
	cl_platform_id pf[16];
	cl_device_id ids[64];
	cl_uint npf = 0, nd, i, j;
	char pname[256];
	cl_int err;

	err = clGetPlatformIDs(16, pf, &npf);
	if (err || !npf) {
		fprintf(stderr, "%s: %s: no OpenCL platform (%s): install an ICD (pocl-opencl-icd, a vendor's)\n",
			prog, opt.name, err ? cl_err_name(err) : "none found");
		return -1;
	}
	devs = calloc(64, sizeof(*devs));
	if (!devs)
		return -1;
	for (i = 0; i < npf && i < 16; i++) {
		pname[0] = '\0';
		clGetPlatformInfo(pf[i], CL_PLATFORM_NAME, sizeof(pname) - 1,
				  pname, NULL);
		if (opt.platform && !strstr(pname, opt.platform))
			continue;
		if (clGetDeviceIDs(pf[i], opt.type, 64, ids, &nd))
			continue;
		for (j = 0; j < nd && j < 64 && nr_devs < 64; j++) {
			if (opt.max_devices && nr_devs == opt.max_devices)
				break;
			devs[nr_devs].index = nr_devs;
			devs[nr_devs].platform = pf[i];
			devs[nr_devs].id = ids[j];
			nr_devs++;
		}
	}
	if (!nr_devs) {
		fprintf(stderr, "%s: %s: no OpenCL device of the type asked%s%s\n",
			prog, opt.name, opt.platform ? " on a platform named like " : "",
			opt.platform ? opt.platform : "");
		return -1;
	}
	for (i = 0; i < nr_devs; i++)
		if (device_init(&devs[i]))
			return -1;
	return 0;
}

static int units_init(void)
{
	unsigned int d, q, k, n = 0;

	nr_units = nr_devs * opt.queues * opt.depth;
	if (nr_units > MAX_UNITS) {
		fprintf(stderr, "%s: %s: %u devices x %u queues x depth %u is %u units, more than %d\n",
			prog, opt.name, nr_devs, opt.queues, opt.depth, nr_units,
			MAX_UNITS);
		return -1;
	}
	units = calloc(nr_units, sizeof(*units));
	if (!units)
		return -1;
	for (d = 0; d < nr_devs; d++)
		for (q = 0; q < opt.queues; q++)
			for (k = 0; k < opt.depth; k++, n++) {
				units[n].idx = n;
				units[n].dev = &devs[d];
				units[n].queue = q;
				pthread_mutex_init(&units[n].lock, NULL);
			}
	return 0;
}

static void on_signal(int sig)
{
	/* SIGUSR1 only interrupts: a blocked pull returns -EINTR. */
	if (sig != SIGUSR1)
		__atomic_store_n(&stop_signal, sig, __ATOMIC_RELAXED);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options]\n"
		"\n"
		"Serve an accelerator class of /dev/vaal with the OpenCL devices of the\n"
		"installed ICDs: kernels registered for the class carry OpenCL C source (or\n"
		"SPIR-V for a device that takes it) in their blob.\n"
		"\n"
		"Options:\n"
		"  -d, --device DEV       device node (default %s)\n"
		"  --name NAME            controller name (default opencl0)\n"
		"  --class CLASS          accelerator class to serve (default opencl)\n"
		"  --platform NAME        only OpenCL platforms whose name contains NAME\n"
		"  --type TYPE            device types: all, cpu, gpu, accelerator or\n"
		"                         default (default all)\n"
		"  --devices N            serve N devices at most (default all)\n"
		"  --queues N             command queues per device (default 2)\n"
		"  --depth N              units per queue, works it holds at once; one\n"
		"                         unit per queue by default, an out-of-order\n"
		"                         queue where the device has them otherwise\n"
		"  --threads N            threads pulling work (default 2)\n"
		"  --build-options OPTS   options for every program's build\n"
		"  --cache-dir DIR        PoCL's kernel cache (POCL_CACHE_DIR)\n"
		"  --guard MIB            inaccessible MiB on each side of a buffer\n"
		"                         argument: strays there fail the launch with\n"
		"                         EFAULT (default 256)\n"
		"  --fail-after N         exit with status 3 right after pulling the N-th\n"
		"                         work, without completing it (crash tests)\n"
		"  -v, --verbose          a line per work and per program on standard error\n"
		"  -h, --help             this text\n"
		"\n"
		"Units: devices x queues x depth, at most %d.\n",
		prog, VAAL_DEFAULT_PATH, MAX_UNITS);
}

static int parse_type(const char *s)
{
	static const struct {
		const char *name;
		cl_device_type type;
	} types[] = {
		{ "all", CL_DEVICE_TYPE_ALL },
		{ "cpu", CL_DEVICE_TYPE_CPU },
		{ "gpu", CL_DEVICE_TYPE_GPU },
		{ "accelerator", CL_DEVICE_TYPE_ACCELERATOR },
		{ "default", CL_DEVICE_TYPE_DEFAULT },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(s, types[i].name)) {
			opt.type = types[i].type;
			return 0;
		}
	fprintf(stderr, "%s: --type wants all, cpu, gpu, accelerator or default, not '%s'\n",
		prog, s);
	return -1;
}

static int parse_args(int argc, char **argv)
{
	enum { OPT_NAME = 256, OPT_CLASS, OPT_PLATFORM, OPT_TYPE, OPT_DEVICES,
	       OPT_QUEUES, OPT_DEPTH, OPT_THREADS, OPT_BUILD, OPT_CACHE,
	       OPT_GUARD, OPT_FAIL_AFTER };
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "devices", required_argument, NULL, OPT_DEVICES },
		{ "queues", required_argument, NULL, OPT_QUEUES },
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "build-options", required_argument, NULL, OPT_BUILD },
		{ "cache-dir", required_argument, NULL, OPT_CACHE },
		{ "guard", required_argument, NULL, OPT_GUARD },
		{ "fail-after", required_argument, NULL, OPT_FAIL_AFTER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long v;
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
		case OPT_PLATFORM:
			opt.platform = optarg;
			break;
		case OPT_TYPE:
			if (parse_type(optarg))
				return 2;
			break;
		case OPT_DEVICES:
			opt.max_devices = ctrld_parse_count(prog, "--devices", optarg,
						      MAX_UNITS);
			if (!opt.max_devices)
				return 2;
			break;
		case OPT_QUEUES:
			opt.queues = ctrld_parse_count(prog, "--queues", optarg, MAX_UNITS);
			if (!opt.queues)
				return 2;
			break;
		case OPT_DEPTH:
			opt.depth = ctrld_parse_count(prog, "--depth", optarg, MAX_UNITS);
			if (!opt.depth)
				return 2;
			break;
		case OPT_THREADS:
			opt.threads = ctrld_parse_count(prog, "--threads", optarg, 64);
			if (!opt.threads)
				return 2;
			break;
		case OPT_BUILD:
			opt.build_options = optarg;
			break;
		case OPT_CACHE:
			opt.cache_dir = optarg;
			break;
		case OPT_GUARD:
			v = ctrld_parse_count(prog, "--guard", optarg, 65536);
			if (!v)
				return 2;
			opt.guard = v << 20;
			break;
		case OPT_FAIL_AFTER:
			opt.fail_after = ctrld_parse_count(prog, "--fail-after", optarg,
						     ULONG_MAX);
			if (!opt.fail_after)
				return 2;
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

static void devices_free(void)
{
	unsigned int i, j;

	for (i = 0; i < nr_units; i++)
		slots_free(&units[i]);
	for (i = 0; i < nr_devs; i++) {
		for (j = 0; j < devs[i].nr_queues; j++)
			if (devs[i].queues[j])
				clReleaseCommandQueue(devs[i].queues[j]);
		free(devs[i].queues);
		if (devs[i].ctx)
			clReleaseContext(devs[i].ctx);
	}
	free(units);
	free(devs);
}

int main(int argc, char **argv)
{
	struct vaal_query q;
	sigset_t empty;
	int ret, sig;
	__u32 id;

	trace_on = !!getenv("VAAL_OPENCLD_TRACE");
	ret = parse_args(argc, argv);
	if (ret)
		return ret;

	/*
	 * No SA_RESTART: a signal breaks a blocked pull.  Every thread -
	 * the runtime's too, created from here - blocks SIGTERM, SIGINT and
	 * SIGUSR1 but the pullers, which take SIGUSR1, and this one while it
	 * waits in sigsuspend().
	 */
	ctrld_signals(on_signal);

	ctrl_fd = vaal_open(opt.device);
	if (ctrl_fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			opt.device ? opt.device : VAAL_DEFAULT_PATH,
			strerror(-ctrl_fd));
		return 1;
	}
	ret = vaal_query(ctrl_fd, &q);
	if (ret || !(q.features & VAAL_FEAT_CODE_LOADING)) {
		fprintf(stderr, "%s: %s: the running vaal_core does not serve controllers that load code (ABI %u.%u, 0.7 wanted)\n",
			prog, opt.name, q.abi_major, q.abi_minor);
		return 1;
	}
	if (opt.cache_dir && setenv("POCL_CACHE_DIR", opt.cache_dir, 1))
		return 1;
	if (devices_find() || units_init() || cache_init() || bufs_init())
		return 1;

	ret = vaal_ctrl_register(ctrl_fd, opt.name, opt.class, nr_units, &id);
	if (ret) {
		fprintf(stderr, "%s: register controller %s: %s%s\n", prog,
			opt.name, strerror(-ret), ctrld_register_hint(ret));
		return 1;
	}
	ret = loop_start();
	if (!ret) {
		unsigned int i;

		printf("%s: %s: ready, id %u, class %s, %u units on %u devices\n",
		       prog, opt.name, id, opt.class, nr_units, nr_devs);
		fflush(stdout);
		if (opt.verbose)
			for (i = 0; i < nr_devs; i++)
				vlog("device %u: %s: %u queues%s, depth %u, buffers %s, %s",
				     i, devs[i].name, devs[i].nr_queues,
				     devs[i].ooo ? " (out of order)" : "",
				     opt.depth,
				     devs[i].in_place ? "in place" : "copied",
				     devs[i].spirv ? "SPIR-V" : "no SPIR-V");
		ctrld_sd_notify_ready();
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
	if (opt.verbose && sig)
		vlog("stopped by %s", strsignal(sig));
	units_close();
	close(ctrl_fd);
	/* A kernel that never ended would hold the runtime's teardown. */
	if (__atomic_load_n(&nr_abandoned, __ATOMIC_RELAXED))
		_exit(ret ? 1 : 0);
	for (unsigned int i = 0; i < nr_units; i++)
		if (__atomic_load_n(&units[i].busy, __ATOMIC_RELAXED))
			_exit(ret ? 1 : 0);
	devices_free();
	return ret ? 1 : 0;
}
