// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_vfio_bench.c - the round trip of a NOP through the VAAL mediated
 * device (vaal_mdev.ko), driven by a user-space VFIO driver as QEMU would
 * drive it for a guest, against the same through a host process's
 * /dev/vaal, in the same (virtual) machine.
 *
 * The VFIO side plays the guest's driver: the NOPs go into a submission
 * ring in "guest RAM" (anonymous memory mapped for DMA), one write of the
 * context's doorbell register (a pwrite() of the device file) submits
 * them, and the completion ring is polled (a context without interrupts,
 * %VAAL_PCI_CTX_NO_IRQ).  The host side queues NOPs in its rings and
 * submits and waits with one VAAL_IOC_ENTER, through libvaal, as
 * vaal_nop_bench does.  32 NOPs a round ("batch32") or one ("single");
 * the runs alternate between the two sides, each figure is the median of
 * several repetitions, the ratios the median of each repetition's ratio.
 * Prints
 *
 *	bench vaal.vm.vfio_nop_batch32_vs_host <ratio> ratio
 *	bench vaal.vm.vfio_nop_single_vs_host <ratio> ratio
 *
 * (the VFIO driver's ns per NOP divided by the host process's) and the ns
 * per NOP of each side.  Needs root, vfio, vfio_iommu_type1, mdev and
 * vaal_mdev loaded; it makes an mdev of the first VAAL type with an
 * instance available and removes it at the end (or uses --uuid's).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "../../selftests/lib/vfio_drv.h"
#include "bench.h"

#define RING_ENTRIES	64
#define BATCH		32
#define MAX_REPS	64
#define MEM_SIZE	(4UL << 20)

static const char *prog = "vaal_vfio_bench";

/* --- the VFIO driver ------------------------------------------------------- */

struct vfio_side {
	struct vfd d;
	struct vaal_ring r;
	__u32 slot;
	__u32 db;	/* VAAL_PCI_REG_DOORBELL(slot) */
};

/* Queue @n NOPs, ring the doorbell once, poll for their completions. */
static int vfio_round(struct vfio_side *v, unsigned int n, __u64 seq)
{
	struct vaal_ring *r = &v->r;
	unsigned int i, spins;
	__u32 head;

	for (i = 0; i < n; i++)
		if (vaal_queue_nop(r, seq + i))
			return -ENOSPC;
	__atomic_store_n(r->sq_tail, r->sq_local_tail, __ATOMIC_RELEASE);
	if (vfd_wr(&v->d, v->db, n))
		return -EIO;
	/* The device consumed them before the write returned. */
	for (spins = 0; vaal_cq_ready(r) < n; spins++)
		if (spins > 100000000)
			return -ETIME;
	head = __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		const struct vaal_cqe *c = &r->cqes[(head + i) & r->cq_mask];

		if (c->res || c->user_data != seq + i)
			return -EIO;
	}
	vaal_cq_advance(r, n);
	return 0;
}

/* --- the host process, through libvaal ---------------------------------- */

static int host_round(struct vaal_ring *r, unsigned int n, __u64 seq)
{
	struct vaal_cqe *cqes[BATCH];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = vaal_queue_nop(r, seq + i);
		if (ret)
			return ret;
	}
	ret = vaal_submit_and_wait(r, n);
	if (ret < 0)
		return ret;
	if ((unsigned int)ret != n || vaal_peek_batch_cqe(r, cqes, n) != n)
		return -EIO;
	for (i = 0; i < n; i++)
		if (cqes[i]->res || cqes[i]->user_data != seq + i)
			return -EIO;
	vaal_cq_advance(r, n);
	return 0;
}

/* --- measurement ---------------------------------------------------------- */

enum side { HOST, VFIO, NR_SIDES };
enum mode { BATCH32, SINGLE, NR_MODES };

static const char * const mode_name[NR_MODES] = { "batch32", "single" };
static const unsigned int mode_batch[NR_MODES] = { BATCH, 1 };

struct bench {
	struct vfio_side v;
	struct vaal_ring host;
	__u64 seq;
	long rounds[NR_SIDES][NR_MODES];
};

static int round_of(struct bench *b, enum side s, enum mode m)
{
	unsigned int n = mode_batch[m];
	int ret;

	if (s == HOST)
		ret = host_round(&b->host, n, b->seq);
	else
		ret = vfio_round(&b->v, n, b->seq);
	b->seq += n;
	return ret;
}

/* Time @rounds rounds; ns per NOP in @ns_per_op. */
static int run(struct bench *b, enum side s, enum mode m, long rounds,
	       double *ns_per_op)
{
	double t0 = bench_now_ns();
	long i;
	int ret;

	for (i = 0; i < rounds; i++) {
		ret = round_of(b, s, m);
		if (ret)
			return ret;
	}
	*ns_per_op = (bench_now_ns() - t0) / ((double)rounds * mode_batch[m]);
	return 0;
}

/* Warm up, and find how many rounds take about @ms milliseconds. */
static int calibrate(struct bench *b, enum side s, enum mode m, double ms)
{
	double t0 = bench_now_ns(), t;
	long n = 0;
	int ret;

	do {
		ret = round_of(b, s, m);
		if (ret)
			return ret;
		n++;
		t = bench_now_ns() - t0;
	} while (t < ms * 1e6 / 4);
	b->rounds[s][m] = (long)(n * ms * 1e6 / t) + 1;
	return 0;
}

/* Bring the VFIO side up on mdev @uuid: RAM, a polled context, rings. */
static int vfio_up(struct vfio_side *v, const char *uuid, const char **what)
{
	struct vaal_setup p = { .sq_entries = RING_ENTRIES };
	int ret;

	*what = "open the mdev through VFIO";
	vfd_init(&v->d);
	ret = vfd_start(&v->d, uuid, MEM_SIZE);
	if (ret < -4096) {
		*what = vfd_step_name(ret);
		return -errno;
	}
	if (ret)
		return ret;
	*what = "VAAL_PCI_CMD_CTX_CREATE";
	ret = vfd_ctx_create(&v->d, VAAL_PCI_CTX_NO_IRQ, &v->slot, NULL);
	if (ret)
		return ret;
	*what = "VAAL_PCI_CMD_SETUP";
	ret = vfd_setup(&v->d, v->slot, &p, &v->r);
	v->db = VAAL_PCI_REG_DOORBELL(v->slot);
	return ret;
}

/* Make an mdev of the first VAAL type with an instance available. */
static int mdev_make(char *uuid, size_t len, const char **what)
{
	char dirs[8][PATH_MAX];
	int n = vfd_find_types(dirs, 8), i;

	*what = "no VAAL mdev type with an instance available (vaal_mdev loaded?)";
	for (i = 0; i < n; i++)
		if (vfd_type_available(dirs[i]) > 0) {
			*what = "create an mdev";
			return vfd_mdev_create(dirs[i], uuid, len);
		}
	return -ENODEV;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s [--reps N] [--ms MS] [--uuid UUID] [--device PATH]\n"
		"  NOP round trips, batches of %d and single, through the VAAL mdev by a\n"
		"  user-space VFIO driver (doorbell, polled completions) against a host\n"
		"  process's /dev/vaal; N repetitions (default 7) of runs of about MS ms\n"
		"  (default 250) each; UUID: an mdev to use instead of making one\n",
		prog, BATCH);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'n' },
		{ "ms", required_argument, NULL, 'm' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	double ns[NR_SIDES][NR_MODES][MAX_REPS], ratio[NR_MODES][MAX_REPS];
	const char *uuid = NULL, *device = NULL, *what = "";
	int c, i, reps = 7, fd = -1, ret, status = 1;
	static struct bench b;
	char made[40] = "";
	double ms = 250;
	enum side s;
	enum mode m;

	while ((c = getopt_long(argc, argv, "n:m:u:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			reps = atoi(optarg);
			break;
		case 'm':
			ms = atof(optarg);
			break;
		case 'u':
			uuid = optarg;
			break;
		case 'd':
			device = optarg;
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
	/* Pinned guest pages count against RLIMIT_MEMLOCK, as for QEMU. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	vfd_init(&b.v.d);

	what = "open /dev/vaal";
	fd = vaal_open(device);
	ret = fd < 0 ? fd : 0;
	if (ret)
		goto fail;
	what = "vaal_ring_init";
	ret = vaal_ring_init(fd, RING_ENTRIES, 0, &b.host);
	if (ret)
		goto fail;
	if (!uuid) {
		ret = mdev_make(made, sizeof(made), &what);
		if (ret)
			goto fail;
		uuid = made;
	}
	ret = vfio_up(&b.v, uuid, &what);
	if (ret)
		goto fail;

	what = "calibration";
	for (s = 0; s < NR_SIDES; s++)
		for (m = 0; m < NR_MODES; m++) {
			ret = calibrate(&b, s, m, ms);
			if (ret)
				goto fail;
		}

	/* Alternate the sides, and which goes first, run after run. */
	what = "measurement";
	for (i = 0; i < reps; i++)
		for (m = 0; m < NR_MODES; m++) {
			for (c = 0; c < NR_SIDES; c++) {
				s = (c + i) % NR_SIDES;
				ret = run(&b, s, m, b.rounds[s][m], &ns[s][m][i]);
				if (ret)
					goto fail;
			}
			ratio[m][i] = ns[VFIO][m][i] / ns[HOST][m][i];
		}

	for (m = 0; m < NR_MODES; m++) {
		printf("bench vaal.vm.vfio_nop_%s_vs_host %.2f ratio\n",
		       mode_name[m], bench_median(ratio[m], reps));
		printf("bench vaal.vm.vfio_nop_%s_ns_per_op %.1f ns/op\n",
		       mode_name[m], bench_median(ns[VFIO][m], reps));
		printf("bench vaal.vm.host_nop_%s_ns_per_op %.1f ns/op\n",
		       mode_name[m], bench_median(ns[HOST][m], reps));
	}
	status = 0;
	goto out;

fail:
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-ret));
out:
	vfd_close(&b.v.d);
	if (made[0]) {
		ret = vfd_mdev_remove(made);
		if (ret)
			fprintf(stderr, "%s: remove mdev %s: %s\n", prog, made,
				strerror(-ret));
	}
	if (fd >= 0) {
		vaal_ring_exit(&b.host);
		close(fd);
	}
	return status;
}
