// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_sha_bench.c - the time of one sha256 of a large buffer through the
 * crypto controller, by the client's own clock: from the submission of the
 * launch to the reaping of its completion.  The same program runs in a
 * guest, on the /dev/vaal of vaal_pci.ko, and in a host process, on
 * vaal_core's, in the same run (tools/bench/vaal_guest_bench.sh): the
 * ratio of the two is what the guest's path costs over the host's.
 *
 *	vaal_sha_bench [-m MIB] [-r REPS]
 *
 * Fills a buffer of MIB MiB (64) with a fixed pattern, in place in its
 * mapping, registers crypto's sha256, and times REPS (9) launches, one at
 * a time.  Prints
 *
 *	sha256 <digest in hex>
 *	ns <median> <min> <max>
 *
 * Exit status 0, 1 when a step failed (with a message), 2 on a usage
 * error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "bench.h"

#define MAX_REPS	64

static const char *prog = "vaal_sha_bench";

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-err));
	return 1;
}

/* One launch of sha256 over @in into @out, timed; its ns or < 0. */
static double launch(struct vaal_ring *r, __u32 id, struct vaal_buffer *in,
		     struct vaal_buffer *out, int *err)
{
	static const __u8 modes[2] = { VAAL_ARG_IN, VAAL_ARG_OUT };
	struct vaal_sqe_arg a[2] = {
		{ .handle = in->handle, .length = in->length },
		{ .handle = out->handle, .length = 32 },
	};
	struct vaal_cqe *cqe;
	double t0, t1;

	t0 = bench_now_ns();
	*err = vaal_queue_launch(r, id, a, modes, 2, NULL, 0, 1);
	if (!*err)
		*err = vaal_submit_and_wait(r, 1);
	if (*err >= 0)
		*err = vaal_peek_cqe(r, &cqe);
	t1 = bench_now_ns();
	if (*err < 0)
		return -1;
	*err = cqe->res;
	vaal_cqe_seen(r);
	return *err ? -1 : t1 - t0;
}

int main(int argc, char **argv)
{
	static const __u8 modes[2] = { VAAL_ARG_IN, VAAL_ARG_OUT };
	unsigned long mib = 64, reps = 9, i;
	struct vaal_buffer in, out;
	double ns[MAX_REPS];
	struct vaal_ring r;
	__u32 id;
	int c, fd, err;
	char *end;

	while ((c = getopt(argc, argv, "m:r:h")) != -1) {
		switch (c) {
		case 'm':
			mib = strtoul(optarg, &end, 10);
			if (*end || !mib || mib > 4096)
				goto usage;
			break;
		case 'r':
			reps = strtoul(optarg, &end, 10);
			if (*end || !reps || reps > MAX_REPS)
				goto usage;
			break;
		case 'h':
			printf("usage: %s [-m MIB] [-r REPS]\n", prog);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;

	fd = vaal_open(NULL);
	if (fd < 0)
		return fail("open /dev/vaal", fd);
	err = vaal_ring_init(fd, 8, 0, &r);
	if (err)
		return fail("ring setup", err);
	err = vaal_kernel_register(fd, "crypto", "sha256", modes, 2, 0, NULL,
				   0, &id);
	if (err)
		return fail("register crypto sha256", err);
	err = vaal_buf_create(fd, mib << 20, &in);
	if (!err)
		err = vaal_buf_map(fd, &in);
	if (!err)
		err = vaal_buf_create(fd, 4096, &out);
	if (!err)
		err = vaal_buf_map(fd, &out);
	if (err)
		return fail("buffers", err);
	for (i = 0; i < in.length / sizeof(__u32); i++)
		((__u32 *)in.map)[i] = i * 2654435761u;

	for (i = 0; i < reps; i++) {
		ns[i] = launch(&r, id, &in, &out, &err);
		if (ns[i] < 0)
			return fail("launch", err);
	}
	printf("sha256 ");
	for (i = 0; i < 32; i++)
		printf("%02x", ((unsigned char *)out.map)[i]);
	qsort(ns, reps, sizeof(ns[0]), bench_cmp_double);
	printf("\nns %.0f %.0f %.0f\n", ns[reps / 2], ns[0], ns[reps - 1]);
	return 0;
usage:
	fprintf(stderr, "usage: %s [-m MIB] [-r REPS]\n", prog);
	return 2;
}
