// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_dag_test.c - launches ordered only by their data: randomized streams
 * of CPU-controller kernels over byte ranges of shared buffers, with
 * barriers, give the results of running them one by one in program order;
 * ordered contexts retire in submission order; a completing kernel starts
 * its dependents without a round trip (forwarding); a failure cancels what
 * reads its output and nothing else; contexts cannot reach each other's
 * buffers; closing a context or unmapping its rings with work in flight.
 *
 * The CPU controller (vaal_cpu.ko) is reloaded on every guest CPU, so that
 * independent work runs in parallel and completes out of order.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/sysfs.h"
#include "kselftest_harness.h"
#include "vaal_ring_util.h"

#define NBUF	4
#define BUFSZ	4096
#define SLOT	256
#define NSLOT	(BUFSZ / SLOT)

enum { K_MEMCPY, K_XOR, K_MEMSET, NR_K };

static const __u8 sig_modes[NR_K][3] = {
	[K_MEMCPY] = { VAAL_ARG_IN, VAAL_ARG_OUT },
	[K_XOR] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT },
	[K_MEMSET] = { VAAL_ARG_OUT },
};
static const unsigned int sig_args[NR_K] = { 2, 3, 1 };

/* Put vaal_cpu on every guest CPU (two units or more). */
static int reload_cpu_controller(void)
{
	char path[512], params[32];
	const char *suite = getenv("VCORE_SUITE");
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int fd, ret;

	if (!suite)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/kernel/vaal_cpu/vaal_cpu.ko", suite);
	snprintf(params, sizeof(params), "cpus=0-%ld", ncpu - 1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	syscall(SYS_delete_module, "vaal_cpu", O_NONBLOCK);
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

struct ctx {
	int fd;
	struct rt_ring r;
	struct vaal_buffer buf[NBUF];
	unsigned char ref[NBUF][BUFSZ];
	__u32 kid[NR_K];
	unsigned int rng;
	unsigned int inflight;
};

static unsigned int rnd(struct ctx *c, unsigned int n)
{
	c->rng = c->rng * 1103515245 + 12345;
	return (c->rng >> 8) % n;
}

static int ctx_init(struct ctx *c, unsigned int flags, unsigned int seed)
{
	static const char *names[NR_K] = { "memcpy", "xor", "memset" };
	int i, j, ret;

	memset(c, 0, sizeof(*c));
	c->rng = seed;
	c->fd = vaal_open(NULL);
	if (c->fd < 0)
		return c->fd;
	ret = rt_init(&c->r, c->fd, 64, 128, flags);
	for (i = 0; !ret && i < NBUF; i++) {
		ret = vaal_buf_create(c->fd, BUFSZ, &c->buf[i]) ?:
		      vaal_buf_map(c->fd, &c->buf[i]);
		for (j = 0; !ret && j < BUFSZ; j++)
			c->ref[i][j] = ((unsigned char *)c->buf[i].map)[j] = rnd(c, 256);
	}
	for (i = 0; !ret && i < NR_K; i++)
		ret = vaal_kernel_register(c->fd, "cpu", names[i], sig_modes[i],
					   sig_args[i], i == K_MEMSET ? 4 : 0,
					   NULL, 0, &c->kid[i]);
	return ret;
}

/* Reap one completion; it must be a success. */
static int reap_one(struct ctx *c, struct vaal_cqe *cqe)
{
	while (!rt_reap(&c->r, cqe)) {
		int ret = rt_enter(&c->r, 0, 1, VAAL_ENTER_GETEVENTS, 0);

		if (ret < 0)
			return ret;
	}
	c->inflight--;
	return 0;
}

/* One random operation, queued; its effect applied to the reference. */
static void random_op(struct ctx *c, __u64 seq)
{
	struct vaal_sqe_arg a[3];
	unsigned int k = rnd(c, 10), i, n, b[3], s[3];
	__u32 byte;

	if (k == 0) {
		struct vaal_sqe *sqe = rt_sqe(&c->r);

		sqe->opcode = VAAL_OP_BARRIER;
		sqe->user_data = seq;
		return;
	}
	k = k < 5 ? K_XOR : k < 9 ? K_MEMCPY : K_MEMSET;
	n = sig_args[k];
	for (i = 0; i < n; i++) {
		b[i] = rnd(c, NBUF);
		s[i] = rnd(c, NSLOT);
		a[i] = (struct vaal_sqe_arg){ .handle = c->buf[b[i]].handle,
					     .offset = s[i] * SLOT, .length = SLOT };
	}
	byte = rnd(c, 256);
	/* Now and then a whole buffer: what renaming renames. */
	if (k == K_MEMSET && byte < 96)
		a[0] = (struct vaal_sqe_arg){ .handle = c->buf[b[0]].handle };
	rt_launch(&c->r, c->kid[k], seq, a, n, sig_modes[k], &byte,
		  k == K_MEMSET ? 4 : 0);

	/* The reference: run it now, in program order. */
	if (k == K_MEMSET && byte < 96) {
		memset(c->ref[b[0]], byte, BUFSZ);
	} else if (k == K_MEMSET) {
		memset(&c->ref[b[0]][s[0] * SLOT], byte, SLOT);
	} else if (k == K_MEMCPY) {
		memmove(&c->ref[b[1]][s[1] * SLOT], &c->ref[b[0]][s[0] * SLOT],
			SLOT);
	} else {
		for (i = 0; i < SLOT; i++)
			c->ref[b[2]][s[2] * SLOT + i] =
				c->ref[b[0]][s[0] * SLOT + i] ^
				c->ref[b[1]][s[1] * SLOT + i];
	}
}

FIXTURE(dag) {
	struct ctx c;
};

FIXTURE_SETUP(dag)
{
	ASSERT_EQ(0, reload_cpu_controller());
}

FIXTURE_TEARDOWN(dag)
{
	close(self->c.fd);
}

/* @ops random operations, in random batches, then compare. */
static void run_stream(struct __test_metadata *_metadata, struct ctx *c,
		       unsigned int ops, int ordered)
{
	struct vaal_cqe cqe;
	__u64 seq = 0, last = 0;
	unsigned int batch, i, b;

	while (seq < ops) {
		batch = 1 + rnd(c, 12);
		/* Room for the batch in the ring and in flight. */
		while (c->inflight + batch > 48) {
			ASSERT_EQ(0, reap_one(c, &cqe));
			ASSERT_EQ(0, cqe.res) TH_LOG("op %llu", cqe.user_data);
			if (ordered) {
				ASSERT_EQ(last, cqe.user_data);
				last++;
			}
		}
		for (b = 0; b < batch && seq < ops; b++, seq++)
			random_op(c, seq);
		c->inflight += b;
		ASSERT_EQ(b, rt_submit(&c->r, 0));
	}
	while (c->inflight) {
		ASSERT_EQ(0, reap_one(c, &cqe));
		ASSERT_EQ(0, cqe.res) TH_LOG("op %llu", cqe.user_data);
		if (ordered) {
			ASSERT_EQ(last, cqe.user_data);
			last++;
		}
	}
	for (i = 0; i < NBUF; i++) {
		ASSERT_EQ(0, memcmp(c->ref[i], c->buf[i].map, BUFSZ))
			TH_LOG("buffer %u differs from the sequential reference", i);
	}
	EXPECT_EQ(0, *c->r.sq_dropped);
}

TEST_F(dag, random_streams_match_sequential_reference)
{
	unsigned int seed;

	for (seed = 1; seed <= 4; seed++) {
		ASSERT_EQ(0, ctx_init(&self->c, 0, seed));
		run_stream(_metadata, &self->c, 400, 0);
		close(self->c.fd);
		self->c.fd = -1;
	}
}

TEST_F(dag, renaming_streams_match_sequential_reference)
{
	unsigned int seed;

	for (seed = 31; seed <= 33; seed++) {
		ASSERT_EQ(0, ctx_init(&self->c, VAAL_SETUP_RENAME |
				      (seed == 33 ? VAAL_SETUP_ORDERED : 0), seed));
		run_stream(_metadata, &self->c, 400, seed == 33);
		close(self->c.fd);
		self->c.fd = -1;
	}
}

/*
 * A long matmul reads B; a memset then writes all of B.  Renamed, the
 * memset runs while the matmul does: the CPU controller counts it done
 * while no completion is in the ring yet (it retires after the matmul,
 * in program order, its bytes then in B).  Not renamed, it waits: the
 * first work the controller finishes is the matmul, whose completion
 * follows at once (the control).  Either way the matmul reads the old B
 * and a copy of B after the memset sees the memset's bytes.
 */
static void war_stall(struct __test_metadata *_metadata, int fd, int rename)
{
	static const __u8 mm_modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	static const char done_path[] =
		"/sys/class/misc/vaal/controllers/cpu0/completed";
	const __u32 dim[3] = { 256, 256, 256 };
	const size_t mat = 256 * 256 * 4;
	struct vaal_buffer A, B, C, D;
	struct vaal_sqe_arg a[3];
	struct vaal_cqe cqe[3];
	long long base, done;
	struct rt_ring r;
	__u32 mm, ms, cp, seven = 7;
	unsigned char *d;
	int i;

	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, rename ? VAAL_SETUP_RENAME : 0));
	ASSERT_EQ(0, vaal_buf_create(fd, mat, &A));
	ASSERT_EQ(0, vaal_buf_create(fd, mat, &B));
	ASSERT_EQ(0, vaal_buf_create(fd, mat, &C));
	ASSERT_EQ(0, vaal_buf_create(fd, mat, &D));
	ASSERT_EQ(0, vaal_buf_map(fd, &B));
	ASSERT_EQ(0, vaal_buf_map(fd, &D));
	memset(B.map, 1, mat);
	ASSERT_EQ(0, vaal_kernel_register(fd, "cpu", "matmul_i32", mm_modes, 3,
					  12, NULL, 0, &mm));
	ASSERT_EQ(0, vaal_kernel_register(fd, "cpu", "memset",
					  sig_modes[K_MEMSET], 1, 4, NULL, 0, &ms));
	ASSERT_EQ(0, vaal_kernel_register(fd, "cpu", "memcpy",
					  sig_modes[K_MEMCPY], 2, 0, NULL, 0, &cp));
	base = vcore_read_ll(done_path);
	a[0] = (struct vaal_sqe_arg){ .handle = A.handle };
	a[1] = (struct vaal_sqe_arg){ .handle = B.handle };
	a[2] = (struct vaal_sqe_arg){ .handle = C.handle };
	rt_launch(&r, mm, 0, a, 3, mm_modes, dim, 12);
	a[0] = (struct vaal_sqe_arg){ .handle = B.handle };
	rt_launch(&r, ms, 1, a, 1, sig_modes[K_MEMSET], &seven, 4);
	ASSERT_EQ(2, rt_submit(&r, 0));
	/* The first work the controller finishes ... */
	do {
		done = vcore_read_ll(done_path);
	} while (done == base);
	usleep(20000);
	/* ... left no completion behind only if it was the renamed memset. */
	EXPECT_EQ(rename ? 0 : 1, rt_ready(&r) != 0);

	a[1] = (struct vaal_sqe_arg){ .handle = D.handle };
	rt_launch(&r, cp, 2, a, 2, sig_modes[K_MEMCPY], NULL, 0);
	ASSERT_EQ(1, rt_submit(&r, 3));
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(rt_reap(&r, &cqe[i]));
		ASSERT_EQ(0, cqe[i].res);
		EXPECT_EQ(i, cqe[i].user_data);	/* retired in program order */
	}
	d = D.map;
	for (i = 0; i < mat; i++)
		if (d[i] != 7 || ((unsigned char *)B.map)[i] != 7)
			break;
	EXPECT_EQ(mat, i) {
		TH_LOG("byte %d of B or its copy is not the memset's", i);
	}
}

TEST_F(dag, renaming_removes_war_stall)
{
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	war_stall(_metadata, self->c.fd, 1);
}

TEST_F(dag, without_renaming_war_stalls)
{
	self->c.fd = vaal_open(NULL);
	ASSERT_LE(0, self->c.fd);
	war_stall(_metadata, self->c.fd, 0);
}

TEST_F(dag, ordered_context_retires_in_order)
{
	ASSERT_EQ(0, ctx_init(&self->c, VAAL_SETUP_ORDERED, 77));
	run_stream(_metadata, &self->c, 400, 1);
}

TEST_F(dag, forwarding_runs_a_chain_in_one_call)
{
	struct ctx *c = &self->c;
	struct vaal_sqe_arg a[2];
	struct vaal_cqe cqe;
	unsigned int i;

	ASSERT_EQ(0, ctx_init(c, 0, 5));
	/* 40 copies, each reading what the previous one wrote. */
	for (i = 0; i < 40; i++) {
		a[0] = (struct vaal_sqe_arg){ .handle = c->buf[i % 2].handle,
					      .length = BUFSZ };
		a[1] = (struct vaal_sqe_arg){ .handle = c->buf[(i + 1) % 2].handle,
					      .length = BUFSZ };
		rt_launch(&c->r, c->kid[K_MEMCPY], i, a, 2, sig_modes[K_MEMCPY],
			  NULL, 0);
	}
	/* One call submits them all and waits for the last. */
	ASSERT_EQ(40, rt_submit(&c->r, 40));
	for (i = 0; i < 40; i++) {
		ASSERT_TRUE(rt_reap(&c->r, &cqe));
		EXPECT_EQ(0, cqe.res);
		EXPECT_NE(0, cqe.controller);
	}
	/* buf1 = buf0 first, then back and forth: both hold buf0. */
	EXPECT_EQ(0, memcmp(c->buf[0].map, c->ref[0], BUFSZ));
	EXPECT_EQ(0, memcmp(c->buf[1].map, c->ref[0], BUFSZ));
}

TEST_F(dag, failure_cancels_readers_only)
{
	struct ctx *c = &self->c;
	struct vaal_sqe_arg a[3];
	struct vaal_cqe cqe[4];
	unsigned int i;

	ASSERT_EQ(0, ctx_init(c, VAAL_SETUP_ORDERED, 9));
	/* 0: memcpy with unequal lengths fails (-EINVAL) writing buf1. */
	a[0] = (struct vaal_sqe_arg){ .handle = c->buf[0].handle, .length = 100 };
	a[1] = (struct vaal_sqe_arg){ .handle = c->buf[1].handle, .length = 200 };
	rt_launch(&c->r, c->kid[K_MEMCPY], 0, a, 2, sig_modes[K_MEMCPY], NULL, 0);
	/* 1: reads buf1's failed range: cancelled. */
	a[0] = (struct vaal_sqe_arg){ .handle = c->buf[1].handle, .length = 200 };
	a[1] = (struct vaal_sqe_arg){ .handle = c->buf[2].handle, .length = 200 };
	rt_launch(&c->r, c->kid[K_MEMCPY], 1, a, 2, sig_modes[K_MEMCPY], NULL, 0);
	/* 2: reads what 1 was to write: cancelled in turn. */
	a[0] = (struct vaal_sqe_arg){ .handle = c->buf[2].handle, .length = 200 };
	a[1] = (struct vaal_sqe_arg){ .handle = c->buf[3].handle, .length = 200 };
	rt_launch(&c->r, c->kid[K_MEMCPY], 2, a, 2, sig_modes[K_MEMCPY], NULL, 0);
	/* 3: reads buf1 outside the failed range: runs. */
	a[0] = (struct vaal_sqe_arg){ .handle = c->buf[1].handle, .offset = 1024,
				      .length = 200 };
	a[1] = (struct vaal_sqe_arg){ .handle = c->buf[0].handle, .offset = 1024,
				      .length = 200 };
	rt_launch(&c->r, c->kid[K_MEMCPY], 3, a, 2, sig_modes[K_MEMCPY], NULL, 0);
	ASSERT_EQ(4, rt_submit(&c->r, 4));
	for (i = 0; i < 4; i++) {
		ASSERT_TRUE(rt_reap(&c->r, &cqe[i]));
		EXPECT_EQ(i, cqe[i].user_data);
	}
	EXPECT_EQ(-EINVAL, cqe[0].res);
	EXPECT_EQ(-ECANCELED, cqe[1].res);
	EXPECT_EQ(-ECANCELED, cqe[2].res);
	EXPECT_EQ(0, cqe[3].res);
	EXPECT_EQ(0, memcmp((char *)c->buf[0].map + 1024,
			    (char *)c->buf[1].map + 1024, 200));
}

TEST_F(dag, contexts_cannot_reach_each_other)
{
	struct ctx *c = &self->c;
	struct vaal_sqe_arg a[2];
	unsigned char before[BUFSZ];
	struct vaal_buffer mine;
	struct vaal_cqe cqe;
	struct rt_ring r;
	__u32 kid, other = 0;
	int fd;

	ASSERT_EQ(0, ctx_init(c, 0, 11));
	memcpy(before, c->buf[0].map, BUFSZ);
	fd = vaal_open(NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rt_init(&r, fd, 8, 0, 0));
	ASSERT_EQ(0, vaal_kernel_register(fd, "cpu", "memset", sig_modes[K_MEMSET],
					  1, 4, NULL, 0, &kid));
	/* The other context's handles mean nothing here ... */
	a[0] = (struct vaal_sqe_arg){ .handle = c->buf[NBUF - 1].handle };
	rt_launch(&r, kid, 1, a, 1, sig_modes[K_MEMSET], &other, 4);
	ASSERT_EQ(1, rt_submit(&r, 1));
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(-EBADF, cqe.res);
	/* ... and the same handle number is this context's own buffer. */
	ASSERT_EQ(0, vaal_buf_create(fd, BUFSZ, &mine));
	ASSERT_EQ(c->buf[0].handle, mine.handle);
	a[0] = (struct vaal_sqe_arg){ .handle = mine.handle };
	rt_launch(&r, kid, 2, a, 1, sig_modes[K_MEMSET], &other, 4);
	ASSERT_EQ(1, rt_submit(&r, 1));
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, memcmp(before, c->buf[0].map, BUFSZ));
	/* Nor can it launch the other context's kernels. */
	rt_launch(&r, c->kid[K_XOR] == kid ? 99 : c->kid[K_XOR], 3, a, 1,
		  sig_modes[K_MEMSET], &other, 4);
	ASSERT_EQ(1, rt_submit(&r, 1));
	ASSERT_TRUE(rt_reap(&r, &cqe));
	EXPECT_NE(0, cqe.res);
	close(fd);
}

TEST_F(dag, close_and_unmap_with_work_in_flight)
{
	struct ctx *c = &self->c;
	unsigned int round, i;

	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, ctx_init(c, round == 1 ? VAAL_SETUP_ORDERED : 0,
				      round + 20));
		for (i = 0; i < 48; i++)
			random_op(c, i);
		ASSERT_EQ(48, rt_submit(&c->r, 0));
		if (round == 2)	/* the rings go first, then the file */
			ASSERT_EQ(0, munmap(c->r.map, c->r.p.ring_bytes));
		for (i = 0; i < NBUF; i++)
			munmap(c->buf[i].map, c->buf[i].length);
		close(c->fd);
		c->fd = -1;
	}
	/* The controller is still there for new contexts. */
	ASSERT_EQ(0, ctx_init(c, 0, 99));
	run_stream(_metadata, c, 50, 0);
}

TEST_HARNESS_MAIN
