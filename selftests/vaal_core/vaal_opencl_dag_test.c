// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_opencl_dag_test.c - one stream, three classes: randomized DAGs whose
 * launches go to the CPU controller (vaal_cpu: memcpy, xor, memset), the
 * crypto controller (vaal_crypto: crc32c) and the OpenCL controller
 * (tools/vaal_opencld on PoCL: add_u8, xor_u8) over byte ranges of shared
 * buffers, with barriers, give the results of running them one by one in
 * program order: the scoreboard keeps every RAW, WAR and WAW order across
 * classes.  An ordered context retires them in submission order.  A chain
 * that hops from class to class runs from one submission to its last
 * completion without a call in between: a completion on one controller
 * starts its dependent on another at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/lib/libvaal.h"
#include "../lib/vaal_launch.h"
#include "../lib/vaal_opencld.h"
#include "kselftest_harness.h"

#define NBUF		4
#define BUFSZ		4096
#define SLOT		256
#define NSLOT		(BUFSZ / SLOT)
#define WAIT_NS		(300 * 1000000000ULL)
#define DEADLINE_NS	(300 * 1000000000ULL)

enum { K_MEMCPY, K_XOR, K_MEMSET, K_CRC, K_ADD, K_CLXOR, NR_K };

static const struct {
	const char *class;
	const char *name;
	unsigned int nr_args;
	__u8 modes[3];
	unsigned int scalar_bytes;
} kdesc[NR_K] = {
	[K_MEMCPY] = { "cpu", "memcpy", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	[K_XOR] = { "cpu", "xor", 3,
		    { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	[K_MEMSET] = { "cpu", "memset", 1, { VAAL_ARG_OUT }, 4 },
	[K_CRC] = { "crypto", "crc32c", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	[K_ADD] = { OCLD_CLASS, "add_u8", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 4 },
	[K_CLXOR] = { OCLD_CLASS, "xor_u8", 3,
		      { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
};

/* CRC-32C (Castagnoli), as the crypto API's "crc32c" digest computes it. */
static __u32 crc32c(const unsigned char *p, size_t len)
{
	__u32 crc = ~0U;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0x82f63b78 & -(crc & 1));
	}
	return ~crc;
}

/**
 * struct stream - a context and the sequential reference of its buffers
 * @fd: the context
 * @r: its rings
 * @buf: its buffers, mapped
 * @ref: what they hold after the launches run one by one in program order
 * @kid: the kernels' ids
 * @ctrl: the controller id each kernel's class has
 * @rng: the random generator's state
 * @inflight: submissions not reaped
 */
struct stream {
	int fd;
	struct vaal_ring r;
	struct vaal_buffer buf[NBUF];
	unsigned char ref[NBUF][BUFSZ];
	__u32 kid[NR_K];
	__u32 ctrl[NR_K];
	unsigned int rng;
	unsigned int inflight;
};

FIXTURE(mixed) {
	struct ocld d;
	struct stream s;
};

static unsigned int rnd(struct stream *m, unsigned int n)
{
	m->rng = m->rng * 1103515245 + 12345;
	return (m->rng >> 8) % n;
}

/* The id of the first controller of @class, 0 for none. */
static __u32 class_ctrl(int fd, const char *class)
{
	struct vaal_controller_info info[64];
	struct vaal_query_controllers q = {
		.size = sizeof(q),
		.count = 64,
		.entry_size = sizeof(info[0]),
		.addr = (__u64)(uintptr_t)info,
	};
	unsigned int i;

	if (ioctl(fd, VAAL_IOC_QUERY_CONTROLLERS, &q))
		return 0;
	for (i = 0; i < q.count && i < 64; i++)
		if (!strcmp(info[i].class, class))
			return info[i].id;
	return 0;
}

/* A new context: rings, buffers of random bytes, the kernels. */
static int ctx_init(struct stream *m, unsigned int flags,
		    unsigned int seed)
{
	unsigned int i, j;
	int ret;

	if (m->fd > 0)
		close(m->fd);
	m->rng = seed;
	m->inflight = 0;
	m->fd = vaal_open(NULL);
	if (m->fd < 0)
		return m->fd;
	ret = vaal_ring_init(m->fd, 128, flags, &m->r);
	for (i = 0; !ret && i < NBUF; i++) {
		ret = vaal_buf_create(m->fd, BUFSZ, &m->buf[i]) ?:
		      vaal_buf_map(m->fd, &m->buf[i]);
		for (j = 0; !ret && j < BUFSZ; j++)
			m->ref[i][j] = ((unsigned char *)m->buf[i].map)[j] =
				rnd(m, 256);
	}
	for (i = 0; !ret && i < NR_K; i++) {
		const struct vaal_kernel_desc d = {
			.class = kdesc[i].class,
			.name = kdesc[i].name,
			.nr_args = kdesc[i].nr_args,
			.arg_mode = kdesc[i].modes,
			.scalar_bytes = kdesc[i].scalar_bytes,
			.blob = strcmp(kdesc[i].class, OCLD_CLASS) ? NULL :
				ocl_test_src,
			.blob_len = strcmp(kdesc[i].class, OCLD_CLASS) ? 0 :
				    sizeof(ocl_test_src),
			.timeout_ns = DEADLINE_NS,
		};

		ret = vaal_kernel_register_desc(m->fd, &d, &m->kid[i]);
		m->ctrl[i] = class_ctrl(m->fd, kdesc[i].class);
		if (!ret && !m->ctrl[i])
			ret = -ENODEV;
	}
	return ret;
}

FIXTURE_SETUP(mixed)
{
	self->s.fd = -1;
	ASSERT_EQ(0, ocld_start(&self->d, "ocldag0", NULL)) {
		ocld_dump(&self->d);
	}
}

FIXTURE_TEARDOWN(mixed)
{
	if (self->s.fd > 0)
		close(self->s.fd);
	ocld_stop(&self->d, SIGTERM);
	if (_metadata->exit_code)
		ocld_dump(&self->d);
	unlink(self->d.err_path);
}

/* Queue launch @k of @m over the ranges in @a; apply it to the reference. */
static void queue_op(struct __test_metadata *_metadata,
		     struct stream *m, unsigned int k,
		     const struct vaal_sqe_arg *a, const unsigned int *b,
		     const unsigned int *s, __u32 v, __u64 seq)
{
	struct vaal_launch_geometry g = ocl_geo1(SLOT, 0);
	int is_ocl = !strcmp(kdesc[k].class, OCLD_CLASS);
	unsigned char *src0 = &m->ref[b[0]][s[0] * SLOT];
	unsigned char tmp[SLOT];
	__u32 crc;
	unsigned int i;

	ASSERT_EQ(0, vaal_queue_launch_geo(&m->r, m->kid[k], a, kdesc[k].modes,
					   kdesc[k].nr_args, &v,
					   kdesc[k].scalar_bytes,
					   is_ocl ? &g : NULL, seq));
	switch (k) {
	case K_MEMCPY:
		memmove(&m->ref[b[1]][s[1] * SLOT], src0, SLOT);
		break;
	case K_XOR:
	case K_CLXOR:
		for (i = 0; i < SLOT; i++)
			tmp[i] = src0[i] ^ m->ref[b[1]][s[1] * SLOT + i];
		memcpy(&m->ref[b[2]][s[2] * SLOT], tmp, SLOT);
		break;
	case K_MEMSET:
		memset(src0, v, SLOT);
		break;
	case K_CRC:
		crc = crc32c(src0, SLOT);
		for (i = 0; i < 4; i++)
			m->ref[b[1]][s[1] * SLOT + i] = crc >> (8 * i);
		break;
	case K_ADD:
		for (i = 0; i < SLOT; i++)
			tmp[i] = src0[i] + (unsigned char)v;
		memcpy(&m->ref[b[1]][s[1] * SLOT], tmp, SLOT);
		break;
	}
}

/* One random operation, queued, its effect on the reference applied. */
static void random_op(struct __test_metadata *_metadata,
		      struct stream *m, __u64 seq, unsigned int *used)
{
	unsigned int k = rnd(m, 14), i, b[3], s[3];
	struct vaal_sqe_arg a[3];
	__u32 v;

	if (k == 0) {
		ASSERT_EQ(0, vaal_queue_barrier(&m->r, seq));
		return;
	}
	k = k < 3 ? K_MEMCPY : k < 5 ? K_XOR : k < 6 ? K_MEMSET :
	    k < 9 ? K_CRC : k < 12 ? K_ADD : K_CLXOR;
	for (i = 0; i < kdesc[k].nr_args; i++) {
		b[i] = rnd(m, NBUF);
		s[i] = rnd(m, NSLOT);
		a[i] = (struct vaal_sqe_arg){ .handle = m->buf[b[i]].handle,
					     .offset = s[i] * SLOT,
					     .length = SLOT };
	}
	/* The digest: 4 bytes at the start of a slot other than the data. */
	if (k == K_CRC) {
		if (b[1] == b[0] && s[1] == s[0])
			s[1] = (s[1] + 1) % NSLOT;
		a[1].offset = s[1] * SLOT;
		a[1].length = 4;
	}
	v = rnd(m, 256);
	queue_op(_metadata, m, k, a, b, s, v, seq);
	used[k]++;
}

/* Reap one completion into @cqe, waiting. */
static int reap_one(struct stream *m, struct vaal_cqe *cqe)
{
	int ret = vaal_test_reap(&m->r, WAIT_NS, cqe);

	if (!ret)
		m->inflight--;
	return ret;
}

static void run_stream(struct __test_metadata *_metadata,
		       struct stream *m, unsigned int ops, int ordered)
{
	unsigned int batch, i, b, used[NR_K] = { 0 };
	__u64 seq = 0, last = 0;
	struct vaal_cqe cqe;

	while (seq < ops) {
		batch = 1 + rnd(m, 16);
		while (m->inflight + batch > 48) {
			ASSERT_EQ(0, reap_one(m, &cqe));
			ASSERT_EQ(0, cqe.res) TH_LOG("op %llu", cqe.user_data);
			if (ordered)
				ASSERT_EQ(last++, cqe.user_data);
		}
		for (b = 0; b < batch && seq < ops; b++, seq++)
			random_op(_metadata, m, seq, used);
		m->inflight += b;
		ASSERT_EQ(b, vaal_submit(&m->r));
	}
	while (m->inflight) {
		ASSERT_EQ(0, reap_one(m, &cqe));
		ASSERT_EQ(0, cqe.res) TH_LOG("op %llu", cqe.user_data);
		if (ordered)
			ASSERT_EQ(last++, cqe.user_data);
	}
	for (i = 0; i < NBUF; i++)
		ASSERT_EQ(0, memcmp(m->ref[i], m->buf[i].map, BUFSZ))
			TH_LOG("buffer %u differs from the sequential reference", i);
	EXPECT_EQ(0, *m->r.sq_dropped);
	/* Every class had its share of the stream. */
	for (i = 0; i < NR_K; i++)
		EXPECT_LT(0, used[i]) TH_LOG("no launch of kernel %u", i);
}

TEST_F_TIMEOUT(mixed, random_dags_match_sequential_reference, 550)
{
	unsigned int seed;

	for (seed = 1; seed <= 4; seed++) {
		ASSERT_EQ(0, ctx_init(&self->s, 0, seed));
		run_stream(_metadata, &self->s, 250, 0);
	}
}

TEST_F_TIMEOUT(mixed, ordered_context_retires_in_order, 550)
{
	ASSERT_EQ(0, ctx_init(&self->s, VAAL_SETUP_ORDERED, 77));
	run_stream(_metadata, &self->s, 250, 1);
}

/*
 * A chain through the classes, each launch reading what the one before it
 * wrote (every step to another class): all of it submitted in one call,
 * the last completion awaited in the same call.  The completions come in
 * chain order, each from the controller of its class.
 */
TEST_F_TIMEOUT(mixed, completion_starts_dependents_across_classes, 550)
{
	static const unsigned int hop[] = { K_MEMCPY, K_ADD, K_CRC, K_XOR,
					    K_CLXOR, K_CRC };
	const unsigned int n = 36;
	struct vaal_cqe *cqes[64];
	struct vaal_sqe_arg a[3];
	unsigned int i, k, b[3], s[3];
	struct stream *m = &self->s;

	ASSERT_EQ(0, ctx_init(&self->s, 0, 5));
	/* Each step reads slot i of buffer i % 2, writes slot i + 1 of the other. */
	for (i = 0; i < n; i++) {
		k = hop[i % 6];
		b[0] = i % 2;
		s[0] = i % NSLOT;
		b[1] = (i + 1) % 2;
		s[1] = (i + 1) % NSLOT;
		b[2] = b[1];
		s[2] = s[1];
		if (k == K_XOR || k == K_CLXOR) {
			b[1] = 2 + i % 2;	/* a constant second operand */
			s[1] = s[0];
		}
		a[0] = (struct vaal_sqe_arg){ .handle = m->buf[b[0]].handle,
					     .offset = s[0] * SLOT, .length = SLOT };
		a[1] = (struct vaal_sqe_arg){ .handle = m->buf[b[1]].handle,
					     .offset = s[1] * SLOT,
					     .length = k == K_CRC ? 4 : SLOT };
		a[2] = (struct vaal_sqe_arg){ .handle = m->buf[b[2]].handle,
					     .offset = s[2] * SLOT, .length = SLOT };
		queue_op(_metadata, m, k, a, b, s, i * 7, i);
	}
	ASSERT_EQ(n, vaal_submit_and_wait_timeout(&m->r, n, WAIT_NS));
	ASSERT_EQ(n, vaal_peek_batch_cqe(&m->r, cqes, n));
	for (i = 0; i < n; i++) {
		EXPECT_EQ(i, cqes[i]->user_data);
		EXPECT_EQ(0, cqes[i]->res);
		EXPECT_EQ(m->ctrl[hop[i % 6]], cqes[i]->controller)
			TH_LOG("step %u (%s)", i, kdesc[hop[i % 6]].name);
	}
	vaal_cq_advance(&m->r, n);
	for (i = 0; i < NBUF; i++)
		EXPECT_EQ(0, memcmp(m->ref[i], m->buf[i].map, BUFSZ))
			TH_LOG("buffer %u differs from the sequential reference", i);
}

TEST_HARNESS_MAIN
