// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda_module.c - PTX loaded with the JIT's logs, its function found, and
 * a registered signature checked against the function's parameters
 *
 * Signatures: the function's first nr_bufs parameters are the buffer
 * arguments, each an 8-byte device pointer, at offsets 0, 8, 16, ...; the
 * rest are scalars, which the launch passes as bytes packed as the
 * parameter layout has them after the pointers: a scalar at offset O of
 * the layout is at O - 8 * nr_bufs of the scalar bytes (the members of a
 * C structure of those types, in order).  The registered scalar_bytes is
 * where the last one ends, or that rounded up to 8.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcuda.h"

#define JIT_LOG_BYTES	16384

/* Append to the malloc'ed string @*s (kept as it is without memory). */
static void strf(char **s, const char *fmt, ...)
{
	char *add = NULL, *n;
	size_t have = *s ? strlen(*s) : 0;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&add, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	n = realloc(*s, have + len + 1);
	if (n) {
		memcpy(n + have, add, len + 1);
		*s = n;
	}
	free(add);
}

/* The function's parameters, into @m; CUDA_SUCCESS or the error. */
static CUresult params_get(struct vcuda_module *m)
{
	size_t off, size;
	unsigned int i;

	for (i = 0; ; i++) {
		if (vcu.cuFuncGetParamInfo(m->fn, i, &off, &size))
			break;
		if (i == VCUDA_MAX_PARAMS)
			return CUDA_ERROR_INVALID_VALUE;
		m->off[i] = off;
		m->size[i] = size;
	}
	m->nr_params = i;
	return CUDA_SUCCESS;
}

/**
 * vcuda_module_load - load PTX in a context and find a function of it
 * @c: the context
 * @ptx: the PTX text (need not end with a NUL)
 * @len: its bytes
 * @name: the function (an extern "C" name, as .entry names it)
 * @m: the module, on success
 * @log: set to a malloc'ed, NUL-terminated log when the load fails (the
 *	JIT's error and information logs, or why), NULL otherwise
 *
 * Return: CUDA_SUCCESS or the driver's error.
 */
CUresult vcuda_module_load(const struct vcuda_ctx *c, const void *ptx,
			   size_t len, const char *name,
			   struct vcuda_module *m, char **log)
{
	char *src, *elog, *ilog;
	CUjit_option o[5] = {
		CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
		CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
		CU_JIT_LOG_VERBOSE,
	};
	void *v[5];
	CUresult err;

	*log = NULL;
	memset(m, 0, sizeof(*m));
	src = malloc(len + 1);
	elog = calloc(2, JIT_LOG_BYTES);
	if (!src || !elog) {
		err = CUDA_ERROR_OUT_OF_MEMORY;
		goto out_free;
	}
	ilog = elog + JIT_LOG_BYTES;
	memcpy(src, ptx, len);
	src[len] = '\0';
	v[0] = elog;
	v[1] = (void *)(uintptr_t)(JIT_LOG_BYTES - 1);
	v[2] = ilog;
	v[3] = (void *)(uintptr_t)(JIT_LOG_BYTES - 1);
	v[4] = (void *)(uintptr_t)1;
	err = vcuda_ctx_enter(c);
	if (!err)
		err = vcu.cuModuleLoadDataEx(&m->mod, src, 5, o, v);
	if (err) {
		strf(log, "cuModuleLoadDataEx: %s\n%s%s%s", vcuda_err_name(err),
		     elog, *elog && elog[strlen(elog) - 1] != '\n' ? "\n" : "",
		     ilog);
		goto out_free;
	}
	err = vcu.cuModuleGetFunction(&m->fn, m->mod, name);
	if (!err)
		err = params_get(m);
	if (err) {
		strf(log, "cuModuleGetFunction(%s): %s: the PTX has no .entry of that name, or one with too many parameters\n",
		     name, vcuda_err_name(err));
		vcu.cuModuleUnload(m->mod);
		m->mod = NULL;
	}
out_free:
	free(elog);
	free(src);
	return err;
}

/**
 * vcuda_module_unload - unload a module
 * @m: the module (its context current or not: the module names it)
 */
void vcuda_module_unload(struct vcuda_module *m)
{
	if (m->mod)
		vcu.cuModuleUnload(m->mod);
	m->mod = NULL;
	m->fn = NULL;
}

/* The parameters as a log line: "(8@0, 8@8, 4@16)". */
static void params_say(const struct vcuda_module *m, char **log)
{
	unsigned int i;

	strf(log, "the function's parameters (size@offset):");
	for (i = 0; i < m->nr_params; i++)
		strf(log, " %u@%u", m->size[i], m->off[i]);
	strf(log, "%s\n", m->nr_params ? "" : " none");
}

/**
 * vcuda_sig_check - does a registered signature fit the function?
 * @m: the function's module
 * @name: the function's name, for the log
 * @nr_bufs: registered buffer arguments
 * @scalar_bytes: registered scalar bytes
 * @log: set to a malloc'ed log saying why not, NULL when it fits
 *
 * Return: 0, or -EINVAL with the log.
 */
int vcuda_sig_check(const struct vcuda_module *m, const char *name,
		    unsigned int nr_bufs, unsigned int scalar_bytes,
		    char **log)
{
	unsigned int i, end = 8 * nr_bufs;

	*log = NULL;
	if (m->nr_params < nr_bufs) {
		strf(log, "kernel '%s': registered with %u buffer arguments, but the function takes %u parameters\n",
		     name, nr_bufs, m->nr_params);
		goto out_bad;
	}
	for (i = 0; i < nr_bufs; i++)
		if (m->size[i] != 8 || m->off[i] != 8 * i) {
			strf(log, "kernel '%s': parameter %u is a buffer argument: it must be a pointer (8 bytes at offset %u)\n",
			     name, i, 8 * i);
			goto out_bad;
		}
	for (; i < m->nr_params; i++)
		if (m->off[i] + m->size[i] > end)
			end = m->off[i] + m->size[i];
	end -= 8 * nr_bufs;
	if (scalar_bytes < end || scalar_bytes > ((end + 7) & ~7u)) {
		strf(log, "kernel '%s': registered with %u scalar bytes, but its scalar parameters take %u (up to %u with padding)\n",
		     name, scalar_bytes, end, (end + 7) & ~7u);
		goto out_bad;
	}
	return 0;

out_bad:
	params_say(m, log);
	return -EINVAL;
}
