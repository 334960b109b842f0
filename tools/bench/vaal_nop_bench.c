// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_nop_bench.c - the round trip of a NOP through /dev/vaal's rings
 * against the same through io_uring, the yardstick, in the same (virtual)
 * machine.
 *
 * Both sides queue NOPs in their submission ring and reap them from their
 * completion ring, with one system call per round that submits and waits:
 * 32 NOPs a round ("batch32") or one ("single").  io_uring is driven with
 * raw system calls (no liburing), /dev/vaal through libvaal.  The runs
 * alternate between the two, and each figure is the median of several
 * repetitions, the ratios the median of each repetition's ratio, which
 * keeps them steady under TCG.  Prints
 *
 *	bench vaal.vm.nop_batch32_vs_io_uring <ratio> ratio
 *	bench vaal.vm.nop_single_vs_io_uring <ratio> ratio
 *
 * (our ns per NOP divided by io_uring's) and the ns per NOP of each side.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "bench.h"

#define RING_ENTRIES	64
#define BATCH		32
#define MAX_REPS	64

static const char *prog = "vaal_nop_bench";

/* --- io_uring, raw ------------------------------------------------------ */

struct uring {
	int fd;
	unsigned int *sq_head, *sq_tail, *sq_array, sq_mask, sq_local_tail;
	unsigned int *cq_head, *cq_tail, cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int uring_init(struct uring *u)
{
	struct io_uring_params p;
	size_t sq_bytes, cq_bytes;
	char *sq, *cq;
	unsigned int i;
	void *sqes;

	memset(&p, 0, sizeof(p));
	u->fd = syscall(__NR_io_uring_setup, RING_ENTRIES, &p);
	if (u->fd < 0)
		return -errno;
	sq_bytes = p.sq_off.array + p.sq_entries * sizeof(__u32);
	cq_bytes = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cq_bytes > sq_bytes)
			sq_bytes = cq_bytes;
		cq_bytes = sq_bytes;
	}
	sq = mmap(NULL, sq_bytes, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		cq = sq;
	} else {
		cq = mmap(NULL, cq_bytes, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
		    IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return -errno;
	u->sq_head = (unsigned int *)(sq + p.sq_off.head);
	u->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	u->sq_array = (unsigned int *)(sq + p.sq_off.array);
	u->sq_mask = *(unsigned int *)(sq + p.sq_off.ring_mask);
	u->sq_local_tail = *u->sq_tail;
	u->cq_head = (unsigned int *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	u->cq_mask = *(unsigned int *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	u->sqes = sqes;
	/* The indirection array maps each slot to itself, once for all. */
	for (i = 0; i <= u->sq_mask; i++)
		u->sq_array[i] = i;
	return 0;
}

/* Submit @n NOPs, wait for their @n completions, reap them. */
static int uring_round(struct uring *u, unsigned int n, __u64 seq)
{
	unsigned int i, head;
	int ret;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe =
			&u->sqes[u->sq_local_tail++ & u->sq_mask];

		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = seq + i;
	}
	__atomic_store_n(u->sq_tail, u->sq_local_tail, __ATOMIC_RELEASE);
	ret = syscall(__NR_io_uring_enter, u->fd, n, n, IORING_ENTER_GETEVENTS,
		      NULL, 0);
	if (ret < 0)
		return -errno;
	if ((unsigned int)ret != n)
		return -EIO;
	head = *u->cq_head;
	if (__atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE) - head < n)
		return -EIO;
	for (i = 0; i < n; i++) {
		struct io_uring_cqe *cqe = &u->cqes[(head + i) & u->cq_mask];

		if (cqe->res || cqe->user_data != seq + i)
			return -EIO;
	}
	__atomic_store_n(u->cq_head, head + n, __ATOMIC_RELEASE);
	return 0;
}

/* --- /dev/vaal, through libvaal ------------------------------------------ */

static int vaal_round(struct vaal_ring *r, unsigned int n, __u64 seq)
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

enum side { IO_URING, VAAL, NR_SIDES };
enum mode { BATCH32, SINGLE, NR_MODES };

static const char * const mode_name[NR_MODES] = { "batch32", "single" };
static const unsigned int mode_batch[NR_MODES] = { BATCH, 1 };

struct bench {
	struct uring u;
	struct vaal_ring r;
	__u64 seq;
	long rounds[NR_SIDES][NR_MODES];
};

static int round_of(struct bench *b, enum side s, enum mode m)
{
	unsigned int n = mode_batch[m];
	int ret;

	if (s == IO_URING)
		ret = uring_round(&b->u, n, b->seq);
	else
		ret = vaal_round(&b->r, n, b->seq);
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

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s [--io-uring-only] [--reps N] [--ms MS] [--device PATH]\n"
		"  NOP round trips, batches of %d and single, /dev/vaal against io_uring;\n"
		"  N repetitions (default 7) of runs of about MS ms (default 250) each\n",
		prog, BATCH);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "io-uring-only", no_argument, NULL, 'u' },
		{ "reps", required_argument, NULL, 'n' },
		{ "ms", required_argument, NULL, 'm' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	double ns[NR_SIDES][NR_MODES][MAX_REPS], ratio[NR_MODES][MAX_REPS];
	const char *device = NULL, *what = "";
	int c, i, reps = 7, vaal = 1, fd = -1, ret;
	struct vaal_query q;
	static struct bench b;
	double ms = 250;
	enum side s;
	enum mode m;

	while ((c = getopt_long(argc, argv, "un:m:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			vaal = 0;
			break;
		case 'n':
			reps = atoi(optarg);
			break;
		case 'm':
			ms = atof(optarg);
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

	what = "io_uring_setup";
	ret = uring_init(&b.u);
	if (ret)
		goto fail;
	if (vaal) {
		what = "open /dev/vaal";
		fd = vaal_open(device);
		ret = fd < 0 ? fd : 0;
		if (ret)
			goto fail;
		what = "VAAL_IOC_QUERY";
		ret = vaal_query(fd, &q);
		if (ret)
			goto fail;
		what = "VAAL_FEAT_RINGS";
		ret = -EOPNOTSUPP;
		if (!(q.features & VAAL_FEAT_RINGS))
			goto fail;
		what = "vaal_ring_init";
		ret = vaal_ring_init(fd, RING_ENTRIES, 0, &b.r);
		if (ret)
			goto fail;
	}

	what = "calibration";
	for (s = 0; s < NR_SIDES; s++)
		for (m = 0; m < NR_MODES; m++) {
			if (s == VAAL && !vaal)
				continue;
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
				if (s == VAAL && !vaal)
					continue;
				ret = run(&b, s, m, b.rounds[s][m], &ns[s][m][i]);
				if (ret)
					goto fail;
			}
			if (vaal)
				ratio[m][i] = ns[VAAL][m][i] / ns[IO_URING][m][i];
		}

	for (m = 0; m < NR_MODES; m++) {
		if (vaal) {
			printf("bench vaal.vm.nop_%s_vs_io_uring %.2f ratio\n",
			       mode_name[m], bench_median(ratio[m], reps));
			printf("bench vaal.vm.nop_%s_ns_per_op %.1f ns/op\n",
			       mode_name[m], bench_median(ns[VAAL][m], reps));
		}
		printf("bench vaal.vm.io_uring_nop_%s_ns_per_op %.1f ns/op\n",
		       mode_name[m], bench_median(ns[IO_URING][m], reps));
	}
	if (vaal) {
		vaal_ring_exit(&b.r);
		close(fd);
	}
	return 0;

fail:
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-ret));
	return 1;
}
