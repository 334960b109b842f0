// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_opencl_bench.c - OpenCL kernels through /dev/vaal and the OpenCL
 * controller (tools/vaal_opencld) against the same kernels given to the
 * OpenCL runtime directly, in the same run, on the same device.
 *
 * The direct side is the runtime's own fast path: one in-order queue,
 * clEnqueueNDRangeKernel and clFinish, kernels built and buffers made
 * (CL_MEM_USE_HOST_PTR) once.  Ours: launches with geometry through
 * libvaal's rings to the daemon, which this program starts (and stops).
 *
 *	single	an empty kernel, one launch waited for at a time
 *	batch32	32 empty kernels a round, the round waited for
 *	saxpy	y = a * x + y on 16 Mi floats, in place
 *
 * The sides alternate run after run; each figure is the median of the
 * repetitions' ratios (ours over direct).  Prints
 *
 *	bench vaal.vm.opencl_launch_single_vs_direct <ratio> ratio
 *	bench vaal.vm.opencl_launch_batch32_vs_direct <ratio> ratio
 *	bench vaal.vm.opencl_saxpy_16m_vs_direct <ratio> ratio
 *
 * and the us per launch of each side.  Both sides' SAXPY results are
 * checked at the end.
 */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "../../selftests/lib/vaal_opencld.h"
#include "bench.h"

#define BATCH		32
#define MAX_REPS	64
#define SAXPY_N		(16u << 20)
#define DEADLINE_NS	(600 * 1000000000ULL)

static const char *prog = "vaal_opencl_bench";

/* --- the runtime, directly ------------------------------------------------ */

struct direct {
	cl_context ctx;
	cl_command_queue q;
	cl_program program;
	cl_kernel empty;
	cl_kernel saxpy;
	float *x, *y;
	cl_mem bx, by;
};

static int direct_init(struct direct *d)
{
	const char *src = ocl_test_src;
	float a = 1.0f;
	cl_platform_id pf;
	cl_uint n = SAXPY_N;
	cl_device_id dev;
	cl_int err;
	size_t i;

	err = clGetPlatformIDs(1, &pf, NULL);
	if (!err)
		err = clGetDeviceIDs(pf, CL_DEVICE_TYPE_ALL, 1, &dev, NULL);
	if (err)
		return err;
	d->ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
	if (!d->ctx)
		return err;
	d->q = clCreateCommandQueueWithProperties(d->ctx, dev, NULL, &err);
	if (!d->q)
		return err;
	d->program = clCreateProgramWithSource(d->ctx, 1, &src, NULL, &err);
	if (!d->program)
		return err;
	err = clBuildProgram(d->program, 1, &dev, "", NULL, NULL);
	if (err)
		return err;
	d->empty = clCreateKernel(d->program, "empty", &err);
	if (!d->empty)
		return err;
	d->saxpy = clCreateKernel(d->program, "saxpy", &err);
	if (!d->saxpy)
		return err;
	d->x = aligned_alloc(4096, SAXPY_N * 4);
	d->y = aligned_alloc(4096, SAXPY_N * 4);
	if (!d->x || !d->y)
		return CL_OUT_OF_HOST_MEMORY;
	for (i = 0; i < SAXPY_N; i++) {
		d->x[i] = 1;
		d->y[i] = i % 1024;
	}
	d->bx = clCreateBuffer(d->ctx, CL_MEM_USE_HOST_PTR | CL_MEM_READ_ONLY,
			       SAXPY_N * 4, d->x, &err);
	if (!d->bx)
		return err;
	d->by = clCreateBuffer(d->ctx, CL_MEM_USE_HOST_PTR | CL_MEM_READ_WRITE,
			       SAXPY_N * 4, d->y, &err);
	if (!d->by)
		return err;
	err = clSetKernelArg(d->saxpy, 0, sizeof(d->bx), &d->bx);
	if (!err)
		err = clSetKernelArg(d->saxpy, 1, sizeof(d->by), &d->by);
	if (!err)
		err = clSetKernelArg(d->saxpy, 2, sizeof(a), &a);
	if (!err)
		err = clSetKernelArg(d->saxpy, 3, sizeof(n), &n);
	return err;
}

static int direct_round(struct direct *d, int mode)
{
	size_t one = 1, n = SAXPY_N;
	cl_int err = 0;
	int i;

	switch (mode) {
	case 0:
		err = clEnqueueNDRangeKernel(d->q, d->empty, 1, NULL, &one, NULL,
					     0, NULL, NULL);
		break;
	case 1:
		for (i = 0; i < BATCH && !err; i++)
			err = clEnqueueNDRangeKernel(d->q, d->empty, 1, NULL, &one,
						     NULL, 0, NULL, NULL);
		break;
	default:
		err = clEnqueueNDRangeKernel(d->q, d->saxpy, 1, NULL, &n, NULL,
					     0, NULL, NULL);
		break;
	}
	return err ?: clFinish(d->q);
}

/* --- through /dev/vaal ---------------------------------------------------- */

struct ours {
	int fd;
	struct vaal_ring r;
	__u32 empty, saxpy;
	struct vaal_buffer x, y;
	__u64 seq;
};

static int ours_init(struct ours *o)
{
	static const __u8 in_inout[] = { VAAL_ARG_IN, VAAL_ARG_INOUT };
	float *x, *y;
	size_t i;
	int ret;

	o->fd = vaal_open(NULL);
	if (o->fd < 0)
		return o->fd;
	ret = vaal_ring_init(o->fd, 128, 0, &o->r) ?:
	      ocl_register(o->fd, "empty", NULL, 0, 0, ocl_test_src,
			   sizeof(ocl_test_src), DEADLINE_NS, &o->empty) ?:
	      ocl_register(o->fd, "saxpy", in_inout, 2, 8, ocl_test_src,
			   sizeof(ocl_test_src), DEADLINE_NS, &o->saxpy) ?:
	      vaal_buf_create(o->fd, SAXPY_N * 4, &o->x) ?:
	      vaal_buf_map(o->fd, &o->x) ?:
	      vaal_buf_create(o->fd, SAXPY_N * 4, &o->y) ?:
	      vaal_buf_map(o->fd, &o->y);
	if (ret)
		return ret;
	x = o->x.map;
	y = o->y.map;
	for (i = 0; i < SAXPY_N; i++) {
		x[i] = 1;
		y[i] = i % 1024;
	}
	return 0;
}

static int ours_round(struct ours *o, int mode)
{
	static const __u8 in_inout[] = { VAAL_ARG_IN, VAAL_ARG_INOUT };
	struct vaal_launch_geometry one = ocl_geo1(1, 0), n = ocl_geo1(SAXPY_N, 0);
	struct {
		float a;
		__u32 n;
	} s = { 1.0f, SAXPY_N };
	struct vaal_cqe *cqes[BATCH];
	struct vaal_sqe_arg args[2] = {
		{ .handle = o->x.handle },
		{ .handle = o->y.handle },
	};
	unsigned int i, nr = mode == 1 ? BATCH : 1;
	int ret;

	for (i = 0; i < nr; i++) {
		if (mode == 2)
			ret = vaal_queue_launch_geo(&o->r, o->saxpy, args,
						    in_inout, 2, &s, sizeof(s),
						    &n, o->seq + i);
		else
			ret = vaal_queue_launch_geo(&o->r, o->empty, NULL, NULL,
						    0, NULL, 0, &one,
						    o->seq + i);
		if (ret)
			return ret;
	}
	ret = vaal_submit_and_wait(&o->r, nr);
	if (ret < 0)
		return ret;
	if ((unsigned int)ret != nr || vaal_peek_batch_cqe(&o->r, cqes, nr) != nr)
		return -EIO;
	for (i = 0; i < nr; i++)
		if (cqes[i]->res || cqes[i]->user_data < o->seq ||
		    cqes[i]->user_data >= o->seq + nr)
			return cqes[i]->res ?: -EIO;
	vaal_cq_advance(&o->r, nr);
	o->seq += nr;
	return 0;
}

/* --- measurement ---------------------------------------------------------- */

enum { DIRECT, OURS, NR_SIDES };
enum { SINGLE, BATCH32, SAXPY, NR_MODES };

static const char * const mode_name[NR_MODES] = {
	"launch_single", "launch_batch32", "saxpy_16m",
};

static const char * const mode_short[NR_MODES] = {
	"single", "batch32", "saxpy",
};

static const unsigned int mode_launches[NR_MODES] = { 1, BATCH, 1 };

struct bench {
	struct direct d;
	struct ours o;
	long rounds[NR_MODES];
	long done[NR_SIDES][NR_MODES];	/* SAXPY launches, for the check */
};

static int round_of(struct bench *b, int side, int mode)
{
	int ret;

	if (side == DIRECT) {
		ret = direct_round(&b->d, mode);
		ret = ret ? -EIO : 0;
	} else {
		ret = ours_round(&b->o, mode);
	}
	if (!ret)
		b->done[side][mode] += mode_launches[mode];
	return ret;
}

/* Time @rounds rounds; us per launch in @us. */
static int run(struct bench *b, int side, int mode, long rounds, double *us)
{
	double t0 = bench_now_ns();
	long i;
	int ret;

	for (i = 0; i < rounds; i++) {
		ret = round_of(b, side, mode);
		if (ret)
			return ret;
	}
	*us = (bench_now_ns() - t0) / 1e3 / ((double)rounds * mode_launches[mode]);
	return 0;
}

/* Warm both sides up; rounds of about @ms on the direct side. */
static int calibrate(struct bench *b, int mode, double ms)
{
	double t0, t;
	long n = 0;
	int ret, i;

	for (i = 0; i < 3; i++) {
		ret = round_of(b, OURS, mode) ?: round_of(b, DIRECT, mode);
		if (ret)
			return ret;
	}
	t0 = bench_now_ns();
	do {
		ret = round_of(b, DIRECT, mode);
		if (ret)
			return ret;
		n++;
		t = bench_now_ns() - t0;
	} while (t < ms * 1e6 / 4);
	b->rounds[mode] = (long)(n * ms * 1e6 / t) + 1;
	return 0;
}

/* y started as i % 1024 and got x (1) added per launch. */
static int saxpy_check(const float *y, long launches)
{
	size_t i;

	for (i = 0; i < SAXPY_N; i += 4097)
		if (y[i] != (float)(i % 1024) + launches)
			return 0;
	return 1;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s [--reps N] [--ms MS] [--daemon-args ARGS] [--modes LIST]\n"
		"  OpenCL launches through /dev/vaal and vaal_opencld against the runtime\n"
		"  called directly: an empty kernel one at a time and %d a round, SAXPY on\n"
		"  16 Mi floats; N repetitions (default 7) of runs of about MS ms (default\n"
		"  300) each.  The daemon runs with --queues 1 --depth 32 and ARGS (split\n"
		"  at spaces) after them.  LIST: some of single, batch32, saxpy (default\n"
		"  all).\n",
		prog, BATCH);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'n' },
		{ "ms", required_argument, NULL, 'm' },
		{ "daemon-args", required_argument, NULL, 'a' },
		{ "modes", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *dargs[24] = { "--queues", "1", "--depth", "32" };
	double us[NR_SIDES][NR_MODES][MAX_REPS], ratio[NR_MODES][MAX_REPS];
	int c, i, reps = 7, nd = 4, ret = 0, s, m;
	const char *what = "";
	static struct bench b;
	char *extra = NULL, *tok, *modes = NULL;
	int on[NR_MODES] = { 1, 1, 1 };
	struct ocld d = { 0 };
	double ms = 300;

	while ((c = getopt_long(argc, argv, "n:m:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			reps = atoi(optarg);
			break;
		case 'm':
			ms = atof(optarg);
			break;
		case 'a':
			extra = strdup(optarg);
			break;
		case 'M':
			modes = optarg;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return 2;
		}
	}
	if (optind != argc || reps < 1 || reps > MAX_REPS || !(ms > 0)) {
		help(stderr);
		return 2;
	}
	if (modes) {
		for (m = 0; m < NR_MODES; m++)
			on[m] = !!strstr(modes, mode_short[m]);
		if (!on[SINGLE] && !on[BATCH32] && !on[SAXPY]) {
			help(stderr);
			return 2;
		}
	}
	for (tok = extra ? strtok(extra, " ") : NULL; tok && nd < 23;
	     tok = strtok(NULL, " "))
		dargs[nd++] = tok;
	dargs[nd] = NULL;

	/* PoCL's kernel cache, ours and the daemon's: somewhere writable. */
	mkdir(ocld_cache_dir(), 0700);
	setenv("POCL_CACHE_DIR", ocld_cache_dir(), 0);
	what = "the runtime, directly";
	ret = direct_init(&b.d);
	if (ret) {
		fprintf(stderr, "%s: %s: OpenCL error %d\n", prog, what, ret);
		return 1;
	}
	what = "start vaal_opencld";
	ret = ocld_start(&d, "oclbench0", dargs) ? -EIO : 0;
	if (ret) {
		ocld_dump(&d);
		goto fail;
	}
	what = "a context of /dev/vaal";
	ret = ours_init(&b.o);
	if (ret)
		goto fail;

	what = "calibration";
	for (m = 0; m < NR_MODES; m++) {
		if (!on[m])
			continue;
		ret = calibrate(&b, m, m == SAXPY ? ms * 3 : ms);
		if (ret)
			goto fail;
	}
	/* Alternate the sides, and which goes first, run after run. */
	what = "measurement";
	for (i = 0; i < reps; i++)
		for (m = 0; m < NR_MODES; m++) {
			if (!on[m])
				continue;
			for (c = 0; c < NR_SIDES; c++) {
				s = (c + i) % NR_SIDES;
				ret = run(&b, s, m, b.rounds[m], &us[s][m][i]);
				if (ret)
					goto fail;
			}
			ratio[m][i] = us[OURS][m][i] / us[DIRECT][m][i];
		}

	what = "SAXPY's results";
	ret = -EBADMSG;
	if (!saxpy_check(b.d.y, b.done[DIRECT][SAXPY]) ||
	    !saxpy_check(b.o.y.map, b.done[OURS][SAXPY]))
		goto fail;
	for (m = 0; m < NR_MODES; m++) {
		if (!on[m])
			continue;
		printf("bench vaal.vm.opencl_%s_vs_direct %.3f ratio\n",
		       mode_name[m], bench_median(ratio[m], reps));
		printf("bench vaal.vm.opencl_%s_us %.1f us/launch\n",
		       mode_name[m], bench_median(us[OURS][m], reps));
		printf("bench vaal.vm.opencl_direct_%s_us %.1f us/launch\n",
		       mode_name[m], bench_median(us[DIRECT][m], reps));
	}
	ocld_stop(&d, SIGTERM);
	unlink(d.err_path);
	return 0;

fail:
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-ret));
	if (d.pid) {
		ocld_dump(&d);
		ocld_stop(&d, SIGKILL);
	}
	return 1;
}
