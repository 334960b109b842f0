// SPDX-License-Identifier: GPL-2.0
/*
 * vctx.c - one CUDA context per vaal context, and the modules of its
 * kernels
 *
 * Works are pulled with the id of the vaal context they belong to
 * (&vaal_ctrl_pull.ctx_id).  The first work of a context on a device makes
 * a CUDA context for it (a struct cgen, one "generation"); the first work
 * of a kernel key there fetches the key's PTX (VAAL_IOC_CTRL_BLOB), loads
 * it with the JIT's logs, finds the function and checks the registered
 * signature against its parameters.  A PTX that does not load, a name it
 * lacks and a signature that does not fit fail every launch of the key
 * with -EINVAL and the reason as the kernel's log.
 *
 * A kernel that faults leaves its CUDA context unusable (a sticky error):
 * that generation is dropped, destroyed once no work of it is left, and
 * the context's next work makes a new one, where its modules are loaded
 * again.  A kernel past its deadline cannot be stopped: its generation is
 * dropped the same way but never destroyed (it would wait for the
 * kernel), abandoned with the kernel in it.  Other vaal contexts have
 * CUDA contexts of their own and notice neither.
 *
 * When the core reports a key gone its module is unloaded; once every key
 * of a vaal context the daemon was handed is gone, its CUDA context is
 * destroyed.  One lock covers it all, module loads included.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_cudad.h"

/**
 * struct cgen - a CUDA context of a vaal context
 * @vc: the context
 * @serial: numbers it among every generation made
 * @refs: the cctx's while it is current, and each work's
 * @abandoned: holds a kernel that does not end: never destroyed
 * @streams: one per unit, made at the unit's first work here
 */
struct cgen {
	struct vcuda_ctx vc;
	uint64_t serial;
	unsigned int refs;
	int abandoned;
	struct vcuda_stream *streams;
};

/**
 * struct kent - a kernel key of a vaal context
 * @key: the key
 * @err: 0, or every launch's result (its PTX does not fit)
 * @log: with @err, why (NUL-terminated)
 * @mod: its module, loaded in the generation numbered @serial
 * @serial: the generation @mod was loaded in, 0 for none
 */
struct kent {
	uint64_t key;
	int err;
	char *log;
	struct vcuda_module mod;
	uint64_t serial;
};

/**
 * struct cctx - the state of a vaal context on a device
 * @next: in the list of them
 * @ctx_id: the vaal context
 * @dev: the device
 * @cur: its current CUDA context, or NULL until its next work
 * @keys: the keys of its kernels the daemon was handed
 * @nr_keys: entries in @keys
 * @room: room in @keys
 * @users: works running with it
 */
struct cctx {
	struct cctx *next;
	uint64_t ctx_id;
	int dev;
	struct cgen *cur;
	struct kent *keys;
	unsigned int nr_keys;
	unsigned int room;
	unsigned int users;
};

static pthread_mutex_t vctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cctx *cctxs;
static uint64_t serials;

static void gen_put_locked(struct cgen *g)
{
	unsigned int i;

	if (--g->refs)
		return;
	if (!g->abandoned && !vcuda_ctx_enter(&g->vc)) {
		for (i = 0; i < nr_units; i++)
			vcuda_stream_destroy(&g->streams[i]);
		vcuda_ctx_destroy(&g->vc);
	}
	free(g->streams);
	free(g);
}

/* A new CUDA context for @cc; 0 or a negative errno with a log. */
static int gen_new_locked(struct cctx *cc, char **log)
{
	struct cgen *g = calloc(1, sizeof(*g));
	CUresult err = CUDA_ERROR_OUT_OF_MEMORY;

	if (g)
		g->streams = calloc(nr_units, sizeof(*g->streams));
	if (g && g->streams)
		err = vcuda_ctx_create(cc->dev, &g->vc);
	if (err) {
		*log = ctrld_msg("%s: %s: cannot create a CUDA context on device %d for context %llu: %s\n",
			   prog, opt.name, cc->dev,
			   (unsigned long long)cc->ctx_id, vcuda_err_name(err));
		if (g)
			free(g->streams);
		free(g);
		return err == CUDA_ERROR_OUT_OF_MEMORY ? -ENOMEM : -EIO;
	}
	g->serial = ++serials;
	g->refs = 1;
	cc->cur = g;
	if (opt.verbose)
		vlog("context %llu: CUDA context %llu on device %d",
		     (unsigned long long)cc->ctx_id,
		     (unsigned long long)g->serial, cc->dev);
	return 0;
}

static struct cctx *cctx_get_locked(uint64_t ctx_id, int dev)
{
	struct cctx *cc;

	for (cc = cctxs; cc; cc = cc->next)
		if (cc->ctx_id == ctx_id && cc->dev == dev)
			return cc;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->ctx_id = ctx_id;
	cc->dev = dev;
	cc->next = cctxs;
	cctxs = cc;
	return cc;
}

static struct kent *kent_get_locked(struct cctx *cc, uint64_t key)
{
	struct kent *k;
	unsigned int i;

	for (i = 0; i < cc->nr_keys; i++)
		if (cc->keys[i].key == key)
			return &cc->keys[i];
	if (cc->nr_keys == cc->room) {
		k = realloc(cc->keys, (cc->room * 2 + 4) * sizeof(*k));
		if (!k)
			return NULL;
		cc->keys = k;
		cc->room = cc->room * 2 + 4;
	}
	k = &cc->keys[cc->nr_keys++];
	memset(k, 0, sizeof(*k));
	k->key = key;
	return k;
}

/* Fetch the key's PTX and load it in @g: 0, or a negative errno + log. */
static int kent_load_locked(struct kent *k, struct cgen *g,
			    const struct vaal_ctrl_pull *p, char **log)
{
	char *ptx = malloc(p->blob_len + 1), *why = NULL;
	CUresult err;
	int ret;

	if (!ptx)
		return -ENOMEM;
	ret = vaal_ctrl_blob(ctrl_fd, p->token, ptx, p->blob_len, NULL);
	if (ret < 0) {
		free(ptx);
		return ret;
	}
	err = vcuda_module_load(&g->vc, ptx, ret, p->name, &k->mod, &why);
	free(ptx);
	ret = vcuda_errno(err);
	if (!err) {
		ret = vcuda_sig_check(&k->mod, p->name, p->nr_args,
				      p->scalar_bytes, &why);
		if (ret)
			vcuda_module_unload(&k->mod);
	}
	if (!ret) {
		k->serial = g->serial;
		return 0;
	}
	*log = ctrld_msg("%s: %s: kernel '%s' (key %llu): %s", prog, opt.name,
		   p->name, (unsigned long long)p->kernel_key,
		   why ? why : "out of memory\n");
	if (ret == -EINVAL && *log) {
		/* The PTX does not fit: every launch of the key fails. */
		k->err = ret;
		k->log = strdup(*log);
	}
	free(why);
	return ret;
}

/* The module and stream of @p's work; under the lock. */
static int work_prepare_locked(struct cctx *cc, struct kent *k,
			       const struct vaal_ctrl_pull *p,
			       struct vwork *vw, char **log)
{
	struct vcuda_stream *st;
	CUresult err;
	int ret;

	if (!cc->cur) {
		ret = gen_new_locked(cc, log);
		if (ret)
			return ret;
	}
	if (k->serial != cc->cur->serial) {
		ret = kent_load_locked(k, cc->cur, p, log);
		if (ret)
			return ret;
	}
	st = &cc->cur->streams[p->unit];
	if (!st->s) {
		err = vcuda_stream_create(&cc->cur->vc, st);
		if (err) {
			*log = ctrld_msg("%s: %s: cannot create a stream: %s\n", prog,
				   opt.name, vcuda_err_name(err));
			return vcuda_errno(err);
		}
	}
	vw->cc = cc;
	vw->gen = cc->cur;
	vw->gen->refs++;
	vw->vc = cc->cur->vc;
	vw->mod = k->mod;
	vw->st = st;
	cc->users++;
	return 0;
}

/**
 * vctx_get - the CUDA context, function and stream of a work
 * @p: the work, as pulled (its unit checked)
 * @vw: filled on success; vctx_put() gives it back
 * @log: set to a malloc'ed log for the kernel on failure, or NULL
 *
 * Return: 0, or the work's result: -EINVAL (its PTX does not fit), -EIO,
 * -ENOMEM, or the blob's errno.
 */
int vctx_get(const struct vaal_ctrl_pull *p, struct vwork *vw, char **log)
{
	struct cctx *cc;
	struct kent *k;
	int ret = -ENOMEM;

	*log = NULL;
	pthread_mutex_lock(&vctx_lock);
	cc = cctx_get_locked(p->ctx_id, units[p->unit].dev);
	k = cc ? kent_get_locked(cc, p->kernel_key) : NULL;
	if (k && k->err) {
		ret = k->err;
		*log = k->log ? strdup(k->log) : NULL;
	} else if (k) {
		ret = work_prepare_locked(cc, k, p, vw, log);
	}
	pthread_mutex_unlock(&vctx_lock);
	return ret;
}

/**
 * vctx_put - a work is done with its CUDA context
 * @vw: what vctx_get() gave it
 * @outcome: %VCTX_OK; %VCTX_POISONED when its kernel faulted (the
 *	context is destroyed, the next work makes another); %VCTX_ABANDON
 *	when its kernel ran past its deadline (the context is left as it is)
 */
void vctx_put(struct vwork *vw, int outcome)
{
	struct cctx *cc = vw->cc;
	struct cgen *g = vw->gen;

	pthread_mutex_lock(&vctx_lock);
	if (outcome == VCTX_ABANDON && !g->abandoned) {
		g->abandoned = 1;
		stats.abandoned++;
	}
	if (outcome != VCTX_OK && cc->cur == g) {
		cc->cur = NULL;
		if (outcome == VCTX_POISONED)
			stats.recreated++;
		gen_put_locked(g);
	}
	gen_put_locked(g);
	cc->users--;
	pthread_mutex_unlock(&vctx_lock);
}

static void cctx_free_locked(struct cctx *cc)
{
	struct cctx **pp;

	for (pp = &cctxs; *pp != cc; pp = &(*pp)->next)
		;
	*pp = cc->next;
	if (cc->cur)
		gen_put_locked(cc->cur);
	if (opt.verbose)
		vlog("context %llu: gone, its CUDA context too",
		     (unsigned long long)cc->ctx_id);
	free(cc->keys);
	free(cc);
}

/* Forget @key in @cc: its module, its log. */
static void kent_drop_locked(struct cctx *cc, unsigned int i)
{
	struct kent *k = &cc->keys[i];

	if (cc->cur && k->serial == cc->cur->serial &&
	    !vcuda_ctx_enter(&cc->cur->vc))
		vcuda_module_unload(&k->mod);
	free(k->log);
	cc->keys[i] = cc->keys[--cc->nr_keys];
}

/**
 * vctx_gone - the core reports kernel keys gone: unload their modules,
 *	and destroy the CUDA contexts none of whose keys are left
 * @keys: the keys
 * @n: entries in @keys
 */
void vctx_gone(const uint64_t *keys, unsigned int n)
{
	struct cctx *cc, *next;
	unsigned int i, j;

	pthread_mutex_lock(&vctx_lock);
	for (cc = cctxs; cc; cc = next) {
		next = cc->next;
		for (i = 0; i < n; i++)
			for (j = 0; j < cc->nr_keys; j++)
				if (cc->keys[j].key == keys[i])
					kent_drop_locked(cc, j);
		if (!cc->nr_keys && !cc->users)
			cctx_free_locked(cc);
	}
	pthread_mutex_unlock(&vctx_lock);
}

/**
 * vctx_free_all - destroy every CUDA context left (at exit, nothing runs)
 */
void vctx_free_all(void)
{
	pthread_mutex_lock(&vctx_lock);
	while (cctxs) {
		while (cctxs->nr_keys)
			kent_drop_locked(cctxs, 0);
		cctx_free_locked(cctxs);
	}
	pthread_mutex_unlock(&vctx_lock);
}
