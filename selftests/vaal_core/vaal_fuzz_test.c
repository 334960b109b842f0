// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_fuzz_test - a structure-aware fuzzer of the /dev/vaal ABI
 *
 * Worker processes, each with its own seed drawn from one master seed,
 * call every ioctl and mmap of /dev/vaal with values that are mostly well
 * formed and sometimes garbage: contexts opened and closed with work in
 * flight, buffers, kernels, rings (garbage indices and entries included),
 * user-space controllers registered into new and existing classes that
 * pull work and exit with it, forked children using inherited files,
 * workers that exit or are killed with everything open.
 *
 * After the run every count must be back where it started: contexts and
 * controllers (QUERY), and the buffer memory charged to the workers'
 * memory cgroup; and the device must still run a launch correctly.
 * A kernel report (KASAN, WARN, lockdep, kmemleak) fails the run through
 * vm/vcore-vm.
 *
 *   VAAL_FUZZ_SEED=N     replay a run (the seed is printed first)
 *   VAAL_FUZZ_SECONDS=N  length of the run (default 20)
 *   VAAL_FUZZ_PROCS=N    workers at once (default 4)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vaal.h>

#include "../lib/fuzz.h"
#include "vaal_ring_util.h"

#define FZ_FDS		6	/* contexts a worker holds at once */
#define FZ_BUFS		8	/* buffers per context */
#define FZ_KERNELS	6	/* kernels per context */
#define FZ_MAX_PROCS	16
#define FZ_CGROUP	"/sys/fs/cgroup/vaal-fuzz"
#define FZ_STOCK_BYTES	(sysconf(_SC_NPROCESSORS_CONF) * sysconf(_SC_PAGESIZE))

/* Read a byte of a mapping: the access is the point, not the value. */
static void touch(const void *p)
{
	__atomic_load_n((const char *)p, __ATOMIC_RELAXED);
}

/* A value that is right most of the time and wrong in a telling way else. */
static uint64_t fuzz_u64(uint64_t good)
{
	static const uint64_t odd[] = {
		0, 1, 0xffffffff, 0x80000000, ~0ULL, 1ULL << 63, 4096, 4097,
	};

	if (chance(90))
		return good;
	return chance(50) ? odd[below(ARRAY_SIZE(odd))] : rnd();
}

struct fz_buf {
	__u32 handle;
	__u64 len;
	__u64 off;
	void *map;
};

struct fz_kernel {
	__u32 id;
	unsigned int nr_args;
	unsigned int scalar_bytes;
	__u8 mode[VAAL_MAX_ARGS];
};

struct fz_ctx {
	int fd;
	int set_up;
	struct rt_ring ring;
	struct fz_buf bufs[FZ_BUFS];
	struct fz_kernel kernels[FZ_KERNELS];
	int uctrl;
	__u64 tokens[4];
};

static struct fz_ctx ctxs[FZ_FDS];
static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* A kernel a controller knows, so that launches really run. */
struct fz_sig {
	const char *class;
	const char *name;
	unsigned int nr_args;
	__u8 mode[3];
	unsigned int scalar_bytes;
};

static const struct fz_sig sigs[] = {
	{ "cpu", "xor", 3, { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	{ "cpu", "memcpy", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	{ "cpu", "memset", 1, { VAAL_ARG_OUT }, 4 },
	{ "cpu", "crc32c", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 4 },
	{ "crypto", "sha256", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	{ "fzc0", "xor", 3, { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
	{ "fzc1", "memcpy", 2, { VAAL_ARG_IN, VAAL_ARG_OUT }, 0 },
};

static const char *const classes[] = { "cpu", "crypto", "fzc0", "fzc1" };

static struct fz_ctx *any_ctx(void)
{
	struct fz_ctx *c = &ctxs[below(FZ_FDS)];

	return c->fd >= 0 ? c : NULL;
}

static void op_open(void)
{
	struct fz_ctx *c = &ctxs[below(FZ_FDS)];

	if (c->fd >= 0)
		return;
	memset(c, 0, sizeof(*c));
	c->fd = open("/dev/vaal", O_RDWR);
}

/* Close a context, its mappings left behind or not. */
static void op_close(void)
{
	struct fz_ctx *c = any_ctx();
	unsigned int i;

	if (!c)
		return;
	if (chance(50)) {
		for (i = 0; i < FZ_BUFS; i++)
			if (c->bufs[i].map)
				munmap(c->bufs[i].map, c->bufs[i].len);
		if (c->set_up)
			munmap(c->ring.map, c->ring.p.ring_bytes);
	}
	close(c->fd);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void op_buf_create(struct fz_ctx *c)
{
	struct fz_buf *b = &c->bufs[below(FZ_BUFS)];
	struct vaal_buf_create req = {
		.size = fuzz_u64(sizeof(req)),
		.flags = fuzz_u64(0),
		.length = fuzz_u64(1 + below(4) * 4096 + below(4096)),
		.memfd = fuzz_u64(0),
	};

	if (b->handle || ioctl(c->fd, VAAL_IOC_BUF_CREATE, &req))
		return;
	b->handle = req.handle;
	b->len = (req.length + 4095) & ~4095ULL;
	b->off = req.mmap_offset;
	b->map = NULL;
	if (chance(60)) {
		b->map = mmap(NULL, b->len, PROT_READ | PROT_WRITE, MAP_SHARED,
			      c->fd, b->off);
		if (b->map == MAP_FAILED)
			b->map = NULL;
	}
}

static void op_buf_destroy(struct fz_ctx *c)
{
	struct fz_buf *b = &c->bufs[below(FZ_BUFS)];
	struct vaal_buf_destroy req = {
		.size = sizeof(req),
		.handle = fuzz_u64(b->handle),
	};

	ioctl(c->fd, VAAL_IOC_BUF_DESTROY, &req);
	if (chance(50) && b->map)
		munmap(b->map, b->len);
	memset(b, 0, sizeof(*b));
}

/* mmap at offsets that are right, nearly right, or anything. */
static void op_mmap(struct fz_ctx *c)
{
	struct fz_buf *b = &c->bufs[below(FZ_BUFS)];
	__u64 off = chance(50) ? b->off : chance(50) ? (1ULL << 63) | rnd() : rnd();
	size_t len = 4096 * (1 + below(4));
	void *p;

	p = mmap(NULL, len, chance(50) ? PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_SHARED, c->fd, off & ~4095ULL);
	if (p != MAP_FAILED && !sigsetjmp(fault_jmp, 1)) {
		touch(p);
		munmap(p, len);
	} else if (p != MAP_FAILED) {
		munmap(p, len);
	}
}

static void op_kernel_register(struct fz_ctx *c)
{
	const struct fz_sig *s = &sigs[below(ARRAY_SIZE(sigs))];
	struct fz_kernel *k = &c->kernels[below(FZ_KERNELS)];
	struct vaal_kernel_register req = {
		.size = sizeof(req),
		.flags = fuzz_u64(0),
		.nr_args = fuzz_u64(s->nr_args),
		.scalar_bytes = fuzz_u64(s->scalar_bytes),
		/* Short deadlines: held work expires during the run. */
		.timeout_ns = chance(50) ? 20000000 + below(200) * 1000000ULL : 0,
	};
	unsigned int i;

	if (k->id)
		return;
	snprintf(req.class, sizeof(req.class), "%s", s->class);
	snprintf(req.name, sizeof(req.name), "%s", s->name);
	for (i = 0; i < s->nr_args; i++)
		req.arg_mode[i] = s->mode[i];
	if (chance(5))
		req.arg_mode[below(VAAL_MAX_ARGS)] = below(5);
	if (ioctl(c->fd, VAAL_IOC_KERNEL_REGISTER, &req))
		return;
	k->id = req.id;
	k->nr_args = s->nr_args;
	k->scalar_bytes = s->scalar_bytes;
	memcpy(k->mode, s->mode, sizeof(s->mode));
}

static void op_kernel_unregister(struct fz_ctx *c)
{
	struct fz_kernel *k = &c->kernels[below(FZ_KERNELS)];
	struct vaal_kernel_unregister req = {
		.size = sizeof(req),
		.id = fuzz_u64(k->id),
	};

	ioctl(c->fd, VAAL_IOC_KERNEL_UNREGISTER, &req);
	memset(k, 0, sizeof(*k));
}

static void op_setup(struct fz_ctx *c)
{
	__u32 flags = 0;

	if (c->set_up)
		return;
	if (chance(30))
		flags |= VAAL_SETUP_ORDERED;
	if (chance(30))
		flags |= VAAL_SETUP_RENAME;
	if (chance(3))
		flags = rnd();
	/* Small rings fill up: completions wait for room. */
	if (!rt_init(&c->ring, c->fd, fuzz_u64(1 + below(16)),
		     chance(50) ? 0 : fuzz_u64(1 + below(32)), flags))
		c->set_up = 1;
}

/* A launch of a registered kernel over the context's buffers. */
/*
 * One of @n slots of @size bytes at @base whose first __u32 is not zero
 * (a live handle or id), mostly; any slot else.
 */
static void *pick_live(void *base, unsigned int n, size_t size)
{
	unsigned int i, start = below(n);
	void *slot;

	for (i = 0; chance(90) && i < n; i++) {
		slot = base + (start + i) % n * size;
		if (*(__u32 *)slot)
			return slot;
	}
	return base + start * size;
}

static void put_launch(struct fz_ctx *c)
{
	struct fz_kernel *k = pick_live(c->kernels, FZ_KERNELS,
					sizeof(c->kernels[0]));
	struct vaal_sqe_arg args[VAAL_MAX_ARGS] = {};
	__u8 scalars[VAAL_MAX_SCALAR_BYTES] = {};
	unsigned int i;
	struct fz_buf *b;

	/* Mostly launches that run: work queues up on the controllers. */
	for (i = 0; i < k->nr_args; i++) {
		b = pick_live(c->bufs, FZ_BUFS, sizeof(c->bufs[0]));
		args[i].handle = fuzz_u64(b->handle);
		args[i].length = chance(70) ? 0 : below(b->len + 2);
		args[i].offset = chance(80) ? 0 : fuzz_u64(below(b->len + 1));
	}
	for (i = 0; i < k->scalar_bytes; i++)
		scalars[i] = rnd();
	rt_launch(&c->ring, fuzz_u64(k->id), rnd(), args, k->nr_args, k->mode,
		  scalars, k->scalar_bytes);
}

static void op_submit(struct fz_ctx *c)
{
	unsigned int n = 1 + below(8), i;
	struct vaal_sqe *sqe;
	__u32 flags = 0;

	if (!c->set_up)
		return;
	c->ring.tail = *c->ring.sq_head + (*c->ring.sq_tail - *c->ring.sq_head);
	for (i = 0; i < n; i++) {
		switch (below(6)) {
		case 0:
			rt_nop(&c->ring, i);
			break;
		case 1:
			rt_sqe(&c->ring)->opcode = VAAL_OP_BARRIER;
			break;
		case 2:	/* garbage entry */
			sqe = rt_sqe(&c->ring);
			for (unsigned int j = 0; j < sizeof(*sqe) / 8; j++)
				((uint64_t *)sqe)[j] = rnd();
			break;
		default:
			put_launch(c);
			break;
		}
	}
	if (chance(70))
		flags |= VAAL_ENTER_GETEVENTS | VAAL_ENTER_TIMEOUT;
	__atomic_store_n(c->ring.sq_tail, chance(95) ? c->ring.tail : (__u32)rnd(),
			 __ATOMIC_RELEASE);
	rt_enter(&c->ring, fuzz_u64(c->ring.tail - *c->ring.sq_head),
		 flags ? below(4) : 0, fuzz_u64(flags),
		 flags ? 1000000 + below(5) * 1000000ULL : 0);
}

/* Take completions, or write garbage into the indices user space owns. */
static void op_reap(struct fz_ctx *c)
{
	struct vaal_cqe cqe;
	unsigned int n = below(16);

	if (!c->set_up)
		return;
	if (chance(10)) {
		__atomic_store_n(c->ring.cq_head, (__u32)rnd(), __ATOMIC_RELEASE);
		return;
	}
	while (n-- && rt_reap(&c->ring, &cqe))
		;
}

static void op_ctrl_register(struct fz_ctx *c)
{
	struct vaal_ctrl_register req = {
		.size = sizeof(req),
		.flags = fuzz_u64(0),
		.nr_units = fuzz_u64(1 + below(4)),
	};

	if (c->uctrl)
		return;
	snprintf(req.name, sizeof(req.name), "fz%d-%u", getpid(), below(1000));
	/* Into an existing class, beside an in-kernel controller, half the time. */
	snprintf(req.class, sizeof(req.class), "%s",
		 chance(50) ? "cpu" : classes[below(ARRAY_SIZE(classes))]);
	if (!ioctl(c->fd, VAAL_IOC_CTRL_REGISTER, &req))
		c->uctrl = 1;
}

/* Pull work, touch its buffers, complete it - or keep it. */
static void op_ctrl_pull(struct fz_ctx *c)
{
	struct vaal_ctrl_pull *p;
	struct vaal_ctrl_complete done = { .size = sizeof(done) };
	unsigned int i;
	void *m;

	if (!c->uctrl)
		return;
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	p->size = sizeof(*p);
	p->flags = VAAL_PULL_NONBLOCK;
	if (!ioctl(c->fd, VAAL_IOC_CTRL_PULL, p)) {
		c->tokens[below(4)] = p->token;
		for (i = 0; i < p->nr_args && i < VAAL_MAX_ARGS; i++) {
			if (!chance(50))
				continue;
			m = mmap(NULL, p->args[i].buf_bytes, PROT_READ,
				 MAP_SHARED, c->fd, p->args[i].mmap_offset);
			if (m == MAP_FAILED)
				continue;
			if (!sigsetjmp(fault_jmp, 1))
				touch(m);
			munmap(m, p->args[i].buf_bytes);
		}
	}
	free(p);
	if (chance(70)) {
		done.token = fuzz_u64(c->tokens[below(4)]);
		done.res = chance(80) ? 0 : -(int)below(140);
		ioctl(c->fd, VAAL_IOC_CTRL_COMPLETE, &done);
	}
}

static void op_sched(struct fz_ctx *c)
{
	struct vaal_sched_attr a = {
		.size = sizeof(a),
		.flags = fuzz_u64(chance(50) ? VAAL_SCHED_UNITS : VAAL_SCHED_RESERVE),
		.budget_ns = fuzz_u64(100000 + below(1000) * 1000ULL),
		.period_ns = fuzz_u64(10000000),
		.units = fuzz_u64(below(4)),
	};

	snprintf(a.class, sizeof(a.class), "%s",
		 classes[below(ARRAY_SIZE(classes))]);
	ioctl(c->fd, chance(70) ? VAAL_IOC_SCHED_SET : VAAL_IOC_SCHED_GET, &a);
}

static void op_query(struct fz_ctx *c)
{
	struct vaal_controller_info info[8];
	struct vaal_query_controllers qc = {
		.size = sizeof(qc),
		.entry_size = fuzz_u64(sizeof(info[0])),
		.count = fuzz_u64(8),
		.addr = (uintptr_t)info,
	};
	struct vaal_query q = { .size = fuzz_u64(sizeof(q)) };

	ioctl(c->fd, VAAL_IOC_QUERY, &q);
	if (qc.entry_size * (__u64)qc.count <= sizeof(info))
		ioctl(c->fd, VAAL_IOC_QUERY_CONTROLLERS, &qc);
	/* An ioctl number the device does not know, with a live argument. */
	ioctl(c->fd, _IOWR(VAAL_IOC_MAGIC, below(32), struct vaal_query), &q);
}

static void worker_op(void);

/* A child with the contexts inherited: they are not its to use. */
static void op_fork(void)
{
	pid_t pid = fork();
	unsigned int i;

	if (pid)
		return;
	for (i = 0; i < 8; i++)
		worker_op();
	_exit(0);
}

static void worker_op(void)
{
	unsigned int op = below(100);
	struct fz_ctx *c;

	if (op < 8) {
		op_open();
		return;
	}
	if (op < 12) {
		op_close();
		return;
	}
	if (op < 13) {
		op_fork();
		return;
	}
	c = any_ctx();
	if (!c) {
		op_open();
		return;
	}
	if (op < 22)
		op_buf_create(c);
	else if (op < 25)
		op_buf_destroy(c);
	else if (op < 30)
		op_mmap(c);
	else if (op < 38)
		op_kernel_register(c);
	else if (op < 40)
		op_kernel_unregister(c);
	else if (op < 46)
		op_setup(c);
	else if (op < 66)
		op_submit(c);
	else if (op < 72)
		op_reap(c);
	else if (op < 77)
		op_ctrl_register(c);
	else if (op < 92)
		op_ctrl_pull(c);
	else if (op < 96)
		op_sched(c);
	else
		op_query(c);
}

/* A worker: random calls until it exits with everything open. */
static void worker(uint64_t seed, unsigned int ops)
{
	unsigned int i;

	rng = seed ?: 1;
	signal(SIGBUS, on_fault);
	signal(SIGSEGV, on_fault);
	signal(SIGCHLD, SIG_IGN);	/* forked children reap themselves */
	for (i = 0; i < FZ_FDS; i++)
		ctxs[i].fd = -1;
	for (i = 0; i < ops; i++)
		worker_op();
	_exit(0);
}

static int query(struct vaal_query *q)
{
	int fd = open("/dev/vaal", O_RDWR), ret;

	if (fd < 0)
		return -errno;
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	ret = ioctl(fd, VAAL_IOC_QUERY, q) ? -errno : 0;
	close(fd);
	return ret;
}

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* A memory cgroup for the workers, so that their charges can be read. */
static int cg_setup(void)
{
	int fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "+memory", 7) < 0)
			perror("+memory");
		close(fd);
	}
	if (mkdir(FZ_CGROUP, 0755) && errno != EEXIST)
		return -errno;
	return access(FZ_CGROUP "/memory.stat", R_OK) ? -errno : 0;
}

static void cg_enter(void)
{
	FILE *f = fopen(FZ_CGROUP "/cgroup.procs", "w");

	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
}

/* A memory.stat key of the workers' cgroup, -1 when unreadable. */
static long long cg_stat(const char *key)
{
	FILE *f = fopen(FZ_CGROUP "/memory.stat", "r");
	char k[64];
	long long v, ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}

/* A part of the cgroup's kernel memory: 0 when this kernel lists none. */
static long long cg_part(const char *key)
{
	long long v = cg_stat(key);

	return v > 0 ? v : 0;
}

/* Spawn workers until @seconds have passed, then kill those still running. */
static unsigned int run(uint64_t seed, unsigned int seconds, unsigned int procs)
{
	pid_t pids[FZ_MAX_PROCS] = {};
	double end = now() + seconds;
	unsigned int spawned = 0, i;
	int status;
	pid_t pid;

	rng = seed;
	while (now() < end) {
		for (i = 0; i < procs; i++) {
			if (pids[i])
				continue;
			uint64_t s = rnd();
			unsigned int ops = 50 + below(400);

			pids[i] = fork();
			if (!pids[i]) {
				cg_enter();
				worker(s, ops);
			}
			spawned++;
		}
		pid = waitpid(-1, &status, 0);
		for (i = 0; i < procs; i++)
			if (pids[i] == pid)
				pids[i] = 0;
	}
	/* The rest die with their work in flight. */
	for (i = 0; i < procs; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	return spawned;
}

/* Launch xor on fresh buffers and check the result. */
static int device_works(void)
{
	struct vaal_kernel_register kr = {
		.size = sizeof(kr), .class = "cpu", .name = "xor", .nr_args = 3,
		.arg_mode = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT },
	};
	struct vaal_buf_create bc[3];
	struct vaal_sqe_arg args[3] = {};
	__u8 modes[3] = { VAAL_ARG_IN, VAAL_ARG_IN, VAAL_ARG_OUT };
	unsigned char *m[3];
	struct rt_ring r;
	struct vaal_cqe cqe;
	int fd, i, ok = 0;

	fd = open("/dev/vaal", O_RDWR);
	if (fd < 0 || ioctl(fd, VAAL_IOC_KERNEL_REGISTER, &kr) ||
	    rt_init(&r, fd, 4, 0, 0))
		goto out;
	for (i = 0; i < 3; i++) {
		memset(&bc[i], 0, sizeof(bc[i]));
		bc[i].size = sizeof(bc[i]);
		bc[i].length = 4096;
		if (ioctl(fd, VAAL_IOC_BUF_CREATE, &bc[i]))
			goto out;
		m[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    bc[i].mmap_offset);
		if (m[i] == MAP_FAILED)
			goto out;
		args[i].handle = bc[i].handle;
	}
	for (i = 0; i < 4096; i++) {
		m[0][i] = i;
		m[1][i] = i * 7 + 3;
	}
	rt_launch(&r, kr.id, 42, args, 3, modes, NULL, 0);
	if (rt_submit(&r, 1) != 1 || !rt_reap(&r, &cqe) || cqe.res ||
	    cqe.user_data != 42)
		goto out;
	ok = 1;
	for (i = 0; i < 4096; i++)
		if (m[2][i] != (unsigned char)(i ^ (i * 7 + 3)))
			ok = 0;
out:
	if (fd >= 0)
		close(fd);
	return ok;
}

int main(void)
{
	uint64_t seed = env_uint("VAAL_FUZZ_SEED", 0);
	unsigned int seconds = env_uint("VAAL_FUZZ_SECONDS", 20);
	unsigned int procs = env_uint("VAAL_FUZZ_PROCS", 4);
	struct vaal_query before, after;
	long long kernel_mem = -1, pages = -1;
	unsigned int spawned;
	double t0;
	int ret;

	if (!seed)
		seed = (uint64_t)time(NULL) * 2654435761ULL ^ getpid();
	if (procs > FZ_MAX_PROCS)
		procs = FZ_MAX_PROCS;
	printf("TAP version 13\n1..5\n");
	printf("# seed %llu (replay: VAAL_FUZZ_SEED=%llu VAAL_FUZZ_SECONDS=%u VAAL_FUZZ_PROCS=%u)\n",
	       (unsigned long long)seed, (unsigned long long)seed, seconds, procs);
	fflush(stdout);
	ret = query(&before);
	if (ret || cg_setup()) {
		printf("# /dev/vaal or the memory cgroup: %s\n", strerror(-ret ?: errno));
		printf("Bail out! cannot start\n");
		return 1;
	}

	spawned = run(seed, seconds, procs);
	tap(1, "fuzz: %u workers in %u s", spawned, seconds);

	/* Work in flight finishes or expires; files of killed tasks close. */
	t0 = now();
	do {
		usleep(200000);
		if (query(&after))
			break;
	} while ((after.nr_contexts != before.nr_contexts ||
		  after.nr_controllers != before.nr_controllers) &&
		 now() - t0 < 30);
	tap(after.nr_contexts == before.nr_contexts,
	    "contexts back to %u (now %u, %.1f s after the run)",
	    before.nr_contexts, after.nr_contexts, now() - t0);
	tap(after.nr_controllers == before.nr_controllers,
	    "controllers back to %u (now %u)", before.nr_controllers,
	    after.nr_controllers);

	/*
	 * Buffers and rings are pages charged to the workers' cgroup, which
	 * had none before them: kernel memory that is none of slab, stacks,
	 * page tables, percpu or vmalloc.  They must all be gone: what may
	 * stay is less than a page a CPU, the bytes each CPU's stock holds
	 * charged for slab objects to come.  (Slab objects are not judged
	 * by their charge: in the debug kernel KASAN's quarantine keeps some
	 * for a while; a leaked context shows in the count above, and
	 * kmemleak sees the rest.)  The stats are flushed lazily: wait.
	 */
	for (t0 = now(); now() - t0 < 10; usleep(200000)) {
		kernel_mem = cg_stat("kernel");
		pages = kernel_mem - cg_part("slab") - cg_part("kernel_stack") -
			cg_part("pagetables") - cg_part("percpu") -
			cg_part("vmalloc");
		if (kernel_mem >= 0 && pages < FZ_STOCK_BYTES)
			break;
	}
	tap(kernel_mem >= 0 && pages < FZ_STOCK_BYTES,
	    "buffer and ring pages charged to the workers gone: %lld bytes left, below %ld (all kernel memory %lld)",
	    pages, (long)FZ_STOCK_BYTES, kernel_mem);
	tap(device_works(), "the device still runs a launch right");
	rmdir(FZ_CGROUP);
	return tap_failed ? 1 : 0;
}
