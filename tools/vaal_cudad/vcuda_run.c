// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda_run.c - one work on a stream: its buffers, the launch between two
 * events, the wait, the device time
 *
 * A buffer argument is host memory.  It is registered in place
 * (cuMemHostRegister with CU_MEMHOSTREGISTER_DEVICEMAP, READ_ONLY for one
 * the kernel only reads) for the work's duration, and the kernel reads
 * and writes those pages over the bus; where the pages cannot be pinned it
 * is staged instead: device memory, copied in before the kernel for
 * inputs and out after it for outputs (&vcuda_work.staged_bytes counts
 * the bytes).
 *
 * The wait polls the stream: spinning at first (a short kernel is back in
 * microseconds), then yielding, then sleeping, each sleep twice the last
 * up to a millisecond, until the work ends or its deadline passes.  A
 * kernel cannot be aborted: past the deadline vcuda_run() returns
 * -ETIMEDOUT and leaves everything as it is (its buffers stay registered,
 * its staging allocated); the caller abandons the context.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vcuda.h"

#define SPIN_NS		50000ULL	/* poll without pause this long */
#define YIELD_NS	1000000ULL	/* then yield between polls */
#define SLEEP_MAX_NS	1000000ULL	/* then sleep, this long at most */

/**
 * struct vbuf - a buffer argument as the device sees it
 * @base: the page-aligned range registered, or NULL
 * @dptr: the device's address of the argument's first byte
 * @stage: device memory it is staged in, or 0
 */
struct vbuf {
	void *base;
	CUdeviceptr dptr;
	CUdeviceptr stage;
};

/**
 * vcuda_stream_create - a stream and its two timing events, in a context
 * @c: the context, made current
 * @st: the stream, on success
 *
 * Return: CUDA_SUCCESS or the driver's error.
 */
CUresult vcuda_stream_create(const struct vcuda_ctx *c,
			     struct vcuda_stream *st)
{
	CUresult err;

	memset(st, 0, sizeof(*st));
	err = vcuda_ctx_enter(c);
	if (err)
		return err;
	err = vcu.cuStreamCreate(&st->s, CU_STREAM_NON_BLOCKING);
	if (err)
		return err;
	err = vcu.cuEventCreate(&st->start, CU_EVENT_DEFAULT);
	if (err)
		goto out_stream;
	err = vcu.cuEventCreate(&st->stop, CU_EVENT_DEFAULT);
	if (err)
		goto out_start;
	return CUDA_SUCCESS;

out_start:
	vcu.cuEventDestroy(st->start);
out_stream:
	vcu.cuStreamDestroy(st->s);
	memset(st, 0, sizeof(*st));
	return err;
}

/**
 * vcuda_stream_destroy - destroy a stream and its events
 * @st: the stream, its context current
 */
void vcuda_stream_destroy(struct vcuda_stream *st)
{
	if (st->stop)
		vcu.cuEventDestroy(st->stop);
	if (st->start)
		vcu.cuEventDestroy(st->start);
	if (st->s)
		vcu.cuStreamDestroy(st->s);
	memset(st, 0, sizeof(*st));
}

/**
 * vcuda_wait - wait for everything on a stream, until a deadline
 * @st: the stream
 * @deadline_ns: CLOCK_MONOTONIC time to give up, UINT64_MAX for none
 * @err: the stream's result once it is done
 *
 * Return: 0 when the stream is done (@err says how), -ETIMEDOUT.
 */
int vcuda_wait(struct vcuda_stream *st, uint64_t deadline_ns, CUresult *err)
{
	uint64_t start = vcuda_now_ns(), now, nap = 1000;
	struct timespec ts;
	CUresult e;

	for (;;) {
		e = vcu.cuStreamQuery(st->s);
		if (e != CUDA_ERROR_NOT_READY) {
			*err = e;
			return 0;
		}
		now = vcuda_now_ns();
		if (now >= deadline_ns)
			return -ETIMEDOUT;
		if (now - start < SPIN_NS)
			continue;
		if (now - start < YIELD_NS) {
			sched_yield();
			continue;
		}
		if (nap > deadline_ns - now)
			nap = deadline_ns - now;
		ts.tv_sec = nap / 1000000000ULL;
		ts.tv_nsec = nap % 1000000000ULL;
		nanosleep(&ts, NULL);
		nap = nap * 2 > SLEEP_MAX_NS ? SLEEP_MAX_NS : nap * 2;
	}
}

/* Register @a in place, or stage it; CUDA_SUCCESS or the error. */
static CUresult buf_map(struct vbuf *b, const struct vcuda_buf_arg *a,
			unsigned int flags)
{
	uintptr_t page = sysconf(_SC_PAGESIZE), host = (uintptr_t)a->host;
	uintptr_t base = host & ~(page - 1);
	size_t len = ((host + a->len + page - 1) & ~(page - 1)) - base;
	unsigned int rf = CU_MEMHOSTREGISTER_DEVICEMAP;
	CUdeviceptr d;
	CUresult err;

	memset(b, 0, sizeof(*b));
	if (!(a->mode & VCUDA_OUT))
		rf |= CU_MEMHOSTREGISTER_READ_ONLY;
	if (!(flags & VCUDA_STAGE)) {
		err = vcu.cuMemHostRegister((void *)base, len, rf);
		if (!err || err == CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED) {
			if (!vcu.cuMemHostGetDevicePointer(&d, (void *)base, 0)) {
				b->base = err ? NULL : (void *)base;
				b->dptr = d + (host - base);
				return CUDA_SUCCESS;
			}
			if (!err)
				vcu.cuMemHostUnregister((void *)base);
		}
	}
	err = vcu.cuMemAlloc(&b->stage, a->len);
	if (err)
		return err;
	b->dptr = b->stage;
	return CUDA_SUCCESS;
}

static void buf_unmap(struct vbuf *b)
{
	if (b->base)
		vcu.cuMemHostUnregister(b->base);
	if (b->stage)
		vcu.cuMemFree(b->stage);
	memset(b, 0, sizeof(*b));
}

/* Copy staged buffers of @mode in (@in) or out; CUDA_SUCCESS or error. */
static CUresult bufs_copy(struct vcuda_work *w, struct vbuf *b,
			  CUstream s, int in)
{
	int mode = in ? VCUDA_IN : VCUDA_OUT;
	CUresult err = CUDA_SUCCESS;
	unsigned int i;

	for (i = 0; i < w->nr_bufs && !err; i++) {
		if (!b[i].stage || !(w->bufs[i].mode & mode))
			continue;
		if (in)
			err = vcu.cuMemcpyHtoDAsync(b[i].stage, w->bufs[i].host,
						    w->bufs[i].len, s);
		else
			err = vcu.cuMemcpyDtoHAsync(w->bufs[i].host, b[i].stage,
						    w->bufs[i].len, s);
		w->staged_bytes += w->bufs[i].len;
	}
	return err;
}

/* Enqueue the copies in, the launch between its events, the copies out. */
static CUresult enqueue(struct vcuda_stream *st, struct vcuda_work *w,
			struct vbuf *b)
{
	const struct vcuda_module *m = w->m;
	void *params[VCUDA_MAX_PARAMS];
	unsigned int i;
	CUresult err;

	for (i = 0; i < m->nr_params; i++)
		params[i] = i < w->nr_bufs ? (void *)&b[i].dptr :
			    (char *)w->scalars + m->off[i] - 8 * w->nr_bufs;
	w->what = "cuMemcpyHtoDAsync";
	err = bufs_copy(w, b, st->s, 1);
	if (err)
		return err;
	w->what = "cuEventRecord";
	err = vcu.cuEventRecord(st->start, st->s);
	if (err)
		return err;
	w->what = "cuLaunchKernel";
	err = vcu.cuLaunchKernel(m->fn, w->grid[0], w->grid[1], w->grid[2],
				 w->block[0], w->block[1], w->block[2], 0,
				 st->s, params, NULL);
	if (err)
		return err;
	w->what = "cuEventRecord";
	err = vcu.cuEventRecord(st->stop, st->s);
	if (err)
		return err;
	w->what = "cuMemcpyDtoHAsync";
	return bufs_copy(w, b, st->s, 0);
}

/* After the stream is done: the work's result, its device time. */
static int finish(struct vcuda_stream *st, struct vcuda_work *w)
{
	float ms = 0;

	if (w->err) {
		w->what = "the kernel";
		return vcuda_is_sticky(w->err) ? -EIO : vcuda_errno(w->err);
	}
	if (!vcu.cuEventElapsedTime(&ms, st->start, st->stop) && ms >= 0)
		w->device_ns = (uint64_t)((double)ms * 1e6);
	return 0;
}

/**
 * vcuda_run - run one work and wait for it
 * @c: the context the module and stream belong to
 * @st: the stream
 * @w: the work; its out fields are filled
 *
 * Return: 0; -ETIMEDOUT past the deadline (the context holds the kernel
 * for good: abandon it); -EIO when the kernel faulted (@w->err is sticky:
 * the context is unusable, destroy it) or the driver failed; -EINVAL for a
 * launch the device refused; -ENOMEM.
 */
int vcuda_run(const struct vcuda_ctx *c, struct vcuda_stream *st,
	      struct vcuda_work *w)
{
	struct vbuf b[VCUDA_MAX_BUFS];
	unsigned int n;
	CUresult err;
	int ret;

	w->device_ns = UINT64_MAX;
	w->staged_bytes = 0;
	w->what = "cuCtxSetCurrent";
	if (w->nr_bufs > VCUDA_MAX_BUFS || w->nr_bufs > w->m->nr_params) {
		w->err = CUDA_ERROR_INVALID_VALUE;
		return -EINVAL;
	}
	err = vcuda_ctx_enter(c);
	for (n = 0; n < w->nr_bufs && !err; n++) {
		w->what = "cuMemAlloc";
		err = buf_map(&b[n], &w->bufs[n], w->flags);
	}
	if (err) {
		n -= n > 0;
		goto out_unmap;
	}
	err = enqueue(st, w, b);
	if (err) {
		/* What was enqueued ends before its buffers go. */
		vcu.cuStreamSynchronize(st->s);
		goto out_unmap;
	}
	ret = vcuda_wait(st, w->deadline_ns, &w->err);
	if (ret) {
		w->what = "the kernel";
		w->err = CUDA_ERROR_NOT_READY;
		return ret;
	}
	ret = finish(st, w);
	while (n--)
		buf_unmap(&b[n]);
	return ret;

out_unmap:
	w->err = err;
	while (n--)
		buf_unmap(&b[n]);
	return vcuda_is_sticky(err) ? -EIO : vcuda_errno(err);
}
