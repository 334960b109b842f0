// SPDX-License-Identifier: GPL-2.0
/*
 * progcache.c - programs, built once per registered kernel and kept under
 * its key
 *
 * A kernel registered for the class carries its program in its blob:
 * OpenCL C source, or SPIR-V for a device that takes it.  The first work
 * of a kernel key fetches the blob (VAAL_IOC_CTRL_BLOB), builds it for the
 * unit's device and checks the registered signature against the kernel's
 * real arguments; later works of the key find the result here.  Kernels
 * whose blobs are the same bytes (the same program registered by several
 * contexts, or several kernels of one program) share one build.  While a
 * key builds, other works of it wait parked and the pulling thread goes
 * on; the build's end launches them.  When the core reports the key gone
 * (unregistered, no launch left), what was built for it is released, and
 * the program with its last kernel.
 *
 * A program that does not build, a kernel the program lacks and a
 * signature that does not fit fail every launch of the key with -EINVAL,
 * and the reason goes to the kernel's log (VAAL_IOC_KERNEL_LOG); SPIR-V on
 * a device without IL support fails with -EOPNOTSUPP the same way.
 *
 * Signatures: the kernel's first nr_args arguments are the buffer
 * arguments - pointers to __global or __constant memory, const (or
 * __constant) for VAAL_ARG_IN ones and not const for the others - and the
 * rest are scalars passed by value, packed in the launch's scalar bytes as
 * the members of a C structure of their types are (each at the next
 * multiple of its alignment); the registered scalar_bytes is where the
 * last one ends, or that rounded up to the largest alignment.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaal_opencld.h"

#define KEY_BUCKETS	1024
#define PROG_BUCKETS	256

enum { K_NEW, K_BUILDING, K_READY, K_FAILED };

/**
 * struct pdev - a program built for one device
 * @lock: held while it builds
 * @built: 0 before the build, 1 once built, a negative errno when it failed
 * @program: the program
 * @log: why it failed to build (NUL-terminated), or NULL
 */
struct pdev {
	pthread_mutex_t lock;
	int built;
	cl_program program;
	char *log;
};

/**
 * struct prog - a program: the bytes of a blob, and its builds
 * @next: in its hash bucket
 * @hash: FNV-1a of @src
 * @src: the blob
 * @len: bytes of @src
 * @il: @src is SPIR-V
 * @refs: kernel keys using it (under cache_lock)
 * @pd: its builds, one per device
 */
struct prog {
	struct prog *next;
	uint64_t hash;
	char *src;
	size_t len;
	int il;
	unsigned int refs;
	struct pdev pd[];
};

/**
 * struct kdev - a kernel key on one device
 * @state: K_NEW, K_BUILDING, K_READY or K_FAILED
 * @err: with K_FAILED, every launch's result
 * @log: with K_FAILED, why (NUL-terminated)
 * @nr_scalars: kernel arguments after the buffers
 * @sc: where each is in the scalar bytes, and its size
 * @parked: works waiting for the build
 */
struct kdev {
	int state;
	int err;
	char *log;
	unsigned int nr_scalars;
	struct {
		unsigned int off;
		unsigned int size;
	} sc[VAAL_MAX_SCALAR_BYTES];
	struct work *parked;
};

/**
 * struct kent - a registered kernel, by its key
 * @next: in its hash bucket
 * @key: the kernel's key
 * @refs: the table's (until the key is gone) and each work's
 * @name: the kernel's name
 * @nr_args: its buffer arguments
 * @scalar_bytes: its scalar bytes
 * @modes: its buffer arguments' modes
 * @prog: its program, once fetched
 * @kern: per unit, the cl_kernel it sets arguments of (only the thread
 *	holding the unit touches it)
 * @kd: per device
 */
struct kent {
	struct kent *next;
	uint64_t key;
	unsigned int refs;
	char name[VAAL_NAME_LEN];
	__u32 nr_args;
	__u32 scalar_bytes;
	__u8 modes[VAAL_MAX_ARGS];
	struct prog *prog;
	cl_kernel *kern;
	struct kdev kd[];
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kent *keys[KEY_BUCKETS];
static struct prog *progs[PROG_BUCKETS];

int cache_init(void)
{
	return 0;
}

const char *kent_name(const struct kent *k)
{
	return k->name;
}

uint64_t kent_key(const struct kent *k)
{
	return k->key;
}

/* --- text ------------------------------------------------------------ */

/* Append to a malloc'ed string; it stays NULL when memory runs out. */
static void strf(char **s, const char *fmt, ...)
{
	size_t old = *s ? strlen(*s) : 0;
	va_list ap;
	char *n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	n = realloc(*s, old + len + 1);
	if (!n)
		return;
	va_start(ap, fmt);
	vsnprintf(n + old, len + 1, fmt, ap);
	va_end(ap);
	*s = n;
}

static const char *mode_name(__u8 mode)
{
	switch (mode) {
	case VAAL_ARG_IN:
		return "in";
	case VAAL_ARG_OUT:
		return "out";
	default:
		return "inout";
	}
}

static uint64_t fnv1a(const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

/* --- programs ---------------------------------------------------------- */

static void prog_free(struct prog *pr)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++) {
		if (pr->pd[i].program)
			clReleaseProgram(pr->pd[i].program);
		free(pr->pd[i].log);
		pthread_mutex_destroy(&pr->pd[i].lock);
	}
	if (opt.verbose)
		vlog("program %016llx (%zu bytes) released",
		     (unsigned long long)pr->hash, pr->len);
	free(pr->src);
	free(pr);
}

/* The program of these bytes, shared, with a reference; under cache_lock. */
static struct prog *prog_get_locked(char *src, size_t len, int il)
{
	uint64_t h = fnv1a(src, len);
	struct prog **b = &progs[h % PROG_BUCKETS], *pr;
	unsigned int i;

	for (pr = *b; pr; pr = pr->next)
		if (pr->hash == h && pr->len == len && pr->il == il &&
		    !memcmp(pr->src, src, len)) {
			pr->refs++;
			free(src);
			return pr;
		}
	pr = calloc(1, sizeof(*pr) + nr_devs * sizeof(pr->pd[0]));
	if (!pr)
		return NULL;
	for (i = 0; i < nr_devs; i++)
		pthread_mutex_init(&pr->pd[i].lock, NULL);
	pr->hash = h;
	pr->src = src;
	pr->len = len;
	pr->il = il;
	pr->refs = 1;
	pr->next = *b;
	*b = pr;
	return pr;
}

/* Drop a reference; under cache_lock.  Returns the program to free. */
static struct prog *prog_put_locked(struct prog *pr)
{
	struct prog **b;

	if (--pr->refs)
		return NULL;
	for (b = &progs[pr->hash % PROG_BUCKETS]; *b != pr; b = &(*b)->next)
		;
	*b = pr->next;
	return pr;
}

static int is_spirv(const unsigned char *b, size_t len)
{
	return len >= 4 && ((b[0] == 0x03 && b[1] == 0x02 && b[2] == 0x23 &&
			     b[3] == 0x07) ||
			    (b[0] == 0x07 && b[1] == 0x23 && b[2] == 0x02 &&
			     b[3] == 0x03));
}

/* Build @pr for @d once; 1 or a negative errno (then pd->log says why). */
static int prog_build(struct prog *pr, struct device *d)
{
	struct pdev *pd = &pr->pd[d->index];
	const char *src = pr->src;
	char *options = NULL, *log = NULL;
	uint64_t t0 = mono_ns();
	size_t log_len = 0;
	cl_int err;
	int ret;

	pthread_mutex_lock(&pd->lock);
	ret = pd->built;
	if (ret)
		goto out_unlock;
	if (pr->il) {
		if (!d->spirv) {
			strf(&pd->log, "%s: %s: SPIR-V (%zu bytes) refused: device '%s' takes no intermediate language (CL_DEVICE_IL_VERSION is empty); register OpenCL C source\n",
			     prog, opt.name, pr->len, d->name);
			ret = -EOPNOTSUPP;
			goto out_done;
		}
		pd->program = clCreateProgramWithIL(d->ctx, pr->src, pr->len,
						    &err);
	} else {
		pd->program = clCreateProgramWithSource(d->ctx, 1, &src,
							&pr->len, &err);
	}
	if (!pd->program) {
		strf(&pd->log, "%s: %s: cannot create the program on '%s': %s\n",
		     prog, opt.name, d->name, cl_err_name(err));
		ret = cl_errno(err);
		goto out_done;
	}
	strf(&options, "-cl-kernel-arg-info%s%s",
	     opt.build_options ? " " : "",
	     opt.build_options ? opt.build_options : "");
	err = clBuildProgram(pd->program, 1, &d->id, options ? options : "",
			     NULL, NULL);
	free(options);
	if (err) {
		clGetProgramBuildInfo(pd->program, d->id, CL_PROGRAM_BUILD_LOG,
				      0, NULL, &log_len);
		log = log_len ? calloc(1, log_len + 1) : NULL;
		if (log)
			clGetProgramBuildInfo(pd->program, d->id,
					      CL_PROGRAM_BUILD_LOG, log_len,
					      log, NULL);
		strf(&pd->log, "%s: %s: the program (%zu bytes of %s) does not build for '%s': %s\n%s",
		     prog, opt.name, pr->len,
		     pr->il ? "SPIR-V" : "OpenCL C", d->name, cl_err_name(err),
		     log ? log : "");
		free(log);
		ret = err == CL_BUILD_PROGRAM_FAILURE ||
		      err == CL_INVALID_BUILD_OPTIONS ? -EINVAL : cl_errno(err);
		goto out_done;
	}
	ret = 1;
	if (opt.verbose)
		vlog("program %016llx (%zu bytes) built for %s in %llu ms",
		     (unsigned long long)pr->hash, pr->len, d->name,
		     (unsigned long long)(mono_ns() - t0) / 1000000);
out_done:
	pd->built = ret;
out_unlock:
	pthread_mutex_unlock(&pd->lock);
	return ret;
}

/* --- signatures -------------------------------------------------------- */

/* Size of a scalar OpenCL C type by name (vectors too); 0 for unknown. */
static unsigned int type_size(const char *t, const struct device *d)
{
	static const struct {
		const char *name;
		unsigned int size;
	} base[] = {
		{ "char", 1 }, { "uchar", 1 }, { "short", 2 }, { "ushort", 2 },
		{ "int", 4 }, { "uint", 4 }, { "long", 8 }, { "ulong", 8 },
		{ "float", 4 }, { "double", 8 }, { "half", 2 },
		{ "unsigned char", 1 }, { "unsigned short", 2 },
		{ "unsigned int", 4 }, { "unsigned long", 8 },
	};
	static const char * const addr[] = {
		"size_t", "ptrdiff_t", "intptr_t", "uintptr_t",
	};
	unsigned int i, n = 1;
	size_t len = strlen(t), bl;
	cl_uint bits = 64;
	char *end;

	for (i = 0; i < ARRAY_SIZE(addr); i++)
		if (!strcmp(t, addr[i])) {
			clGetDeviceInfo(d->id, CL_DEVICE_ADDRESS_BITS,
					sizeof(bits), &bits, NULL);
			return bits / 8;
		}
	for (i = 0; i < ARRAY_SIZE(base); i++) {
		bl = strlen(base[i].name);
		if (len < bl || strncmp(t, base[i].name, bl))
			continue;
		if (t[bl]) {
			n = strtoul(t + bl, &end, 10);
			if (*end || (n != 2 && n != 3 && n != 4 && n != 8 &&
				     n != 16))
				continue;
		}
		return base[i].size * (n == 3 ? 4 : n);
	}
	return 0;
}

static const char *aq_name(cl_kernel_arg_address_qualifier aq)
{
	switch (aq) {
	case CL_KERNEL_ARG_ADDRESS_GLOBAL:
		return "__global ";
	case CL_KERNEL_ARG_ADDRESS_CONSTANT:
		return "__constant ";
	case CL_KERNEL_ARG_ADDRESS_LOCAL:
		return "__local ";
	default:
		return "";
	}
}

/**
 * struct karg - what the runtime says of a kernel argument
 * @aq: its address qualifier
 * @tq: its type qualifiers
 * @type: its type's name
 * @name: its name
 */
struct karg {
	cl_kernel_arg_address_qualifier aq;
	cl_kernel_arg_type_qualifier tq;
	char type[64];
	char name[64];
};

static int karg_info(cl_kernel kern, cl_uint i, struct karg *a)
{
	cl_int err;

	memset(a, 0, sizeof(*a));
	err = clGetKernelArgInfo(kern, i, CL_KERNEL_ARG_ADDRESS_QUALIFIER,
				 sizeof(a->aq), &a->aq, NULL);
	if (!err)
		err = clGetKernelArgInfo(kern, i, CL_KERNEL_ARG_TYPE_QUALIFIER,
					 sizeof(a->tq), &a->tq, NULL);
	if (!err)
		err = clGetKernelArgInfo(kern, i, CL_KERNEL_ARG_TYPE_NAME,
					 sizeof(a->type) - 1, a->type, NULL);
	if (!err)
		clGetKernelArgInfo(kern, i, CL_KERNEL_ARG_NAME,
				   sizeof(a->name) - 1, a->name, NULL);
	return err;
}

/*
 * Check @k's signature against @kern's arguments on @d; fill @kd's scalar
 * layout.  Return: 0, or a negative errno with @kd->log saying why.
 */
static int sig_check(struct kent *k, struct kdev *kd, cl_kernel kern,
		     const struct device *d)
{
	unsigned int off = 0, maxal = 1, size, j = 0;
	struct karg a[VAAL_MAX_ARGS + VAAL_MAX_SCALAR_BYTES];
	int ptr;
	char *why = NULL, *code = NULL;
	cl_uint n, i;
	cl_int err;

	err = clGetKernelInfo(kern, CL_KERNEL_NUM_ARGS, sizeof(n), &n, NULL);
	if (err) {
		strf(&kd->log, "%s: %s: kernel '%s': its arguments are unknown: %s\n",
		     prog, opt.name, k->name, cl_err_name(err));
		return cl_errno(err);
	}
	if (n > ARRAY_SIZE(a)) {
		strf(&why, "it takes %u arguments, more than a launch can pass",
		     n);
		goto mismatch;
	}
	for (i = 0; i < n; i++) {
		err = karg_info(kern, i, &a[i]);
		if (err) {
			strf(&kd->log, "%s: %s: kernel '%s': the runtime does not describe its arguments (%s), so its signature cannot be checked\n",
			     prog, opt.name, k->name, cl_err_name(err));
			return -EOPNOTSUPP;
		}
		size = strlen(a[i].type);
		ptr = size && a[i].type[size - 1] == '*';
		strf(&code, "%s%s%s%.*s %s%s", i ? ", " : "",
		     a[i].tq & CL_KERNEL_ARG_TYPE_CONST ? "const " : "",
		     aq_name(a[i].aq), (int)(size - ptr), a[i].type,
		     ptr ? "*" : "", a[i].name);
	}
	if (n < k->nr_args) {
		strf(&why, "it takes %u arguments, fewer than the %u buffers registered",
		     n, k->nr_args);
		goto mismatch;
	}
	for (i = 0; i < n; i++) {
		size = strlen(a[i].type);
		ptr = size && a[i].type[size - 1] == '*';
		if (i < k->nr_args) {
			if (!ptr || (a[i].aq != CL_KERNEL_ARG_ADDRESS_GLOBAL &&
				     a[i].aq != CL_KERNEL_ARG_ADDRESS_CONSTANT)) {
				strf(&why, "argument %u '%s' is registered as a buffer (%s) but is not a pointer to __global or __constant memory",
				     i, a[i].name, mode_name(k->modes[i]));
				goto mismatch;
			}
			if (k->modes[i] == VAAL_ARG_IN &&
			    a[i].aq == CL_KERNEL_ARG_ADDRESS_GLOBAL &&
			    !(a[i].tq & CL_KERNEL_ARG_TYPE_CONST)) {
				strf(&why, "argument %u '%s' is registered in (read only) but the kernel may write it: declare it 'const __global %.*s *%s'",
				     i, a[i].name, (int)(size - ptr), a[i].type,
				     a[i].name);
				goto mismatch;
			}
			if (k->modes[i] != VAAL_ARG_IN &&
			    (a[i].aq == CL_KERNEL_ARG_ADDRESS_CONSTANT ||
			     a[i].tq & CL_KERNEL_ARG_TYPE_CONST)) {
				strf(&why, "argument %u '%s' is registered %s but the kernel cannot write it (const)",
				     i, a[i].name, mode_name(k->modes[i]));
				goto mismatch;
			}
			continue;
		}
		size = ptr || a[i].aq != CL_KERNEL_ARG_ADDRESS_PRIVATE ? 0 :
		       type_size(a[i].type, d);
		if (!size) {
			strf(&why, "argument %u '%s' (%s%s) is past the %u registered buffers, and is not a scalar a launch can pass by value",
			     i, a[i].name, aq_name(a[i].aq), a[i].type,
			     k->nr_args);
			goto mismatch;
		}
		off = (off + size - 1) / size * size;
		kd->sc[j].off = off;
		kd->sc[j].size = size;
		j++;
		off += size;
		if (size > maxal)
			maxal = size;
	}
	if (k->scalar_bytes != off &&
	    k->scalar_bytes != (off + maxal - 1) / maxal * maxal) {
		strf(&why, "its scalar arguments take %u bytes, packed as a C structure's members, not the %u registered",
		     off, k->scalar_bytes);
		goto mismatch;
	}
	kd->nr_scalars = j;
	free(code);
	return 0;

mismatch:
	strf(&kd->log, "%s: %s: kernel '%s' (key %llu): the registered signature does not fit the code on '%s':\n  registered: %u buffers (",
	     prog, opt.name, k->name, (unsigned long long)k->key, d->name,
	     k->nr_args);
	for (i = 0; i < k->nr_args; i++)
		strf(&kd->log, "%s%s", i ? ", " : "", mode_name(k->modes[i]));
	strf(&kd->log, "), %u scalar bytes\n  code: %s(%s)\n  %s\n", k->scalar_bytes,
	     k->name, code ? code : "", why ? why : "");
	free(code);
	free(why);
	return -EINVAL;
}

/* The names of the program's kernels, for a log. */
static void kernel_names(cl_program program, char **s)
{
	size_t len = 0;
	char *names;

	if (clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, 0, NULL, &len) ||
	    !len)
		return;
	names = calloc(1, len + 1);
	if (names && !clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, len,
				       names, NULL))
		strf(s, "%s", names);
	free(names);
}

/* --- kernel keys ------------------------------------------------------- */

static struct kent *kent_find_locked(uint64_t key)
{
	struct kent *k;

	for (k = keys[key % KEY_BUCKETS]; k; k = k->next)
		if (k->key == key)
			return k;
	return NULL;
}

static struct kent *kent_new_locked(const struct vaal_ctrl_pull *p)
{
	struct kent **b = &keys[p->kernel_key % KEY_BUCKETS], *k;

	k = calloc(1, sizeof(*k) + nr_devs * sizeof(k->kd[0]));
	if (!k)
		return NULL;
	k->kern = calloc(nr_units, sizeof(*k->kern));
	if (!k->kern) {
		free(k);
		return NULL;
	}
	k->key = p->kernel_key;
	k->refs = 1;
	memcpy(k->name, p->name, sizeof(k->name));
	k->name[sizeof(k->name) - 1] = '\0';
	k->nr_args = p->nr_args;
	k->scalar_bytes = p->scalar_bytes;
	for (unsigned int i = 0; i < p->nr_args; i++)
		k->modes[i] = p->args[i].mode;
	k->next = *b;
	*b = k;
	return k;
}

static void kent_free(struct kent *k)
{
	struct prog *pr = NULL;
	unsigned int i;

	for (i = 0; i < nr_units; i++)
		if (k->kern[i])
			clReleaseKernel(k->kern[i]);
	for (i = 0; i < nr_devs; i++)
		free(k->kd[i].log);
	if (k->prog) {
		pthread_mutex_lock(&cache_lock);
		pr = prog_put_locked(k->prog);
		pthread_mutex_unlock(&cache_lock);
	}
	if (opt.verbose)
		vlog("key %llu (%s): released", (unsigned long long)k->key,
		     k->name);
	if (pr)
		prog_free(pr);
	free(k->kern);
	free(k);
}

void kent_put(struct kent *k)
{
	unsigned int refs;

	pthread_mutex_lock(&cache_lock);
	refs = --k->refs;
	pthread_mutex_unlock(&cache_lock);
	if (!refs)
		kent_free(k);
}

/* The program of @k, fetched with the work @p holds; 0 or a negative errno. */
static int kent_fetch(struct kent *k, struct kdev *kd,
		      const struct vaal_ctrl_pull *p)
{
	size_t len = p->blob_len;
	struct prog *pr;
	char *src;
	int ret, il;

	if (__atomic_load_n(&k->prog, __ATOMIC_ACQUIRE))
		return 0;
	if (!len) {
		strf(&kd->log, "%s: %s: kernel '%s' has no code: register its program (OpenCL C source, or SPIR-V where the device takes it) as the kernel's blob\n",
		     prog, opt.name, k->name);
		return -EINVAL;
	}
	src = malloc(len + 1);
	if (!src)
		return -ENOMEM;
	ret = vaal_ctrl_blob(ctrl_fd, p->token, src, len, NULL);
	if (ret < 0 || (size_t)ret != len) {
		free(src);
		strf(&kd->log, "%s: %s: kernel '%s': cannot fetch its code: %s\n",
		     prog, opt.name, k->name,
		     strerror(ret < 0 ? -ret : EPROTO));
		return ret < 0 ? ret : -EPROTO;
	}
	il = is_spirv((unsigned char *)src, len);
	if (!il) {
		/* Source: trailing NULs are fine, others are not text. */
		while (len && !src[len - 1])
			len--;
		if (memchr(src, '\0', len)) {
			free(src);
			strf(&kd->log, "%s: %s: kernel '%s': its blob is neither OpenCL C source (it holds NUL bytes) nor SPIR-V (no magic number)\n",
			     prog, opt.name, k->name);
			return -EINVAL;
		}
		src[len] = '\0';
	}
	pthread_mutex_lock(&cache_lock);
	if (!k->prog) {
		pr = prog_get_locked(src, len, il);
		if (!pr) {
			pthread_mutex_unlock(&cache_lock);
			free(src);
			return -ENOMEM;
		}
		__atomic_store_n(&k->prog, pr, __ATOMIC_RELEASE);
	} else {
		free(src);
	}
	pthread_mutex_unlock(&cache_lock);
	return 0;
}

/* Build @k for @u's device and check its signature; 0 or an errno. */
static int kent_prepare(struct kent *k, struct kdev *kd, struct unit *u,
			const struct vaal_ctrl_pull *p)
{
	struct device *d = u->dev;
	struct pdev *pd;
	cl_kernel kern;
	cl_int err;
	int ret;

	ret = kent_fetch(k, kd, p);
	if (ret)
		return ret;
	ret = prog_build(k->prog, d);
	pd = &k->prog->pd[d->index];
	if (ret < 0) {
		strf(&kd->log, "%s", pd->log ? pd->log : "");
		return ret;
	}
	kern = clCreateKernel(pd->program, k->name, &err);
	if (!kern) {
		strf(&kd->log, "%s: %s: no kernel '%s' in the program on '%s' (%s); it has: ",
		     prog, opt.name, k->name, d->name, cl_err_name(err));
		kernel_names(pd->program, &kd->log);
		strf(&kd->log, "\n");
		return err == CL_INVALID_KERNEL_NAME ? -EINVAL : cl_errno(err);
	}
	ret = sig_check(k, kd, kern, d);
	if (ret) {
		clReleaseKernel(kern);
		return ret;
	}
	/* The unit is this thread's while it holds the work. */
	if (!k->kern[u->idx])
		k->kern[u->idx] = kern;
	else
		clReleaseKernel(kern);
	return 0;
}

/**
 * kent_get - the kernel of pulled work, built for the unit's device
 * @u: the unit holding the work
 * @gen: the unit's generation for the work
 * @p: the pull describing the work
 * @kp: the kernel, with a reference for the work, on success
 *
 * Builds the kernel's program the first time (fetching its blob with the
 * work's token); launches the works that waited for that build before it
 * returns.
 *
 * Return: 0, KENT_PARKED when the work waits for a build another thread
 * runs (it is launched from there), or a negative errno (no memory) to
 * complete the work with.
 */
int kent_get(struct unit *u, uint32_t gen, const struct vaal_ctrl_pull *p,
	     struct kent **kp)
{
	struct work *w, *parked;
	struct kdev *kd;
	struct kent *k;
	int ret;

	pthread_mutex_lock(&cache_lock);
	k = kent_find_locked(p->kernel_key);
	if (!k)
		k = kent_new_locked(p);
	if (!k) {
		pthread_mutex_unlock(&cache_lock);
		return -ENOMEM;
	}
	kd = &k->kd[u->dev->index];
	if (kd->state == K_BUILDING) {
		w = malloc(sizeof(*w));
		if (!w) {
			pthread_mutex_unlock(&cache_lock);
			return -ENOMEM;
		}
		w->unit = u;
		w->gen = gen;
		w->p = *p;
		w->next = kd->parked;
		kd->parked = w;
		pthread_mutex_unlock(&cache_lock);
		return KENT_PARKED;
	}
	k->refs++;
	if (kd->state != K_NEW) {
		pthread_mutex_unlock(&cache_lock);
		*kp = k;
		return 0;
	}
	kd->state = K_BUILDING;
	pthread_mutex_unlock(&cache_lock);

	ret = kent_prepare(k, kd, u, p);
	if (ret && opt.verbose)
		vlog("key %llu (%s): %s", (unsigned long long)k->key, k->name,
		     strerror(-ret));

	pthread_mutex_lock(&cache_lock);
	kd->err = ret;
	kd->state = ret ? K_FAILED : K_READY;
	parked = kd->parked;
	kd->parked = NULL;
	for (w = parked; w; w = w->next)
		k->refs++;
	pthread_mutex_unlock(&cache_lock);
	while ((w = parked)) {
		parked = w->next;
		work_launch(w->unit, w->gen, &w->p, k);
		free(w);
	}
	*kp = k;
	return 0;
}

/**
 * kent_failed - why launches of @k on @d fail
 * @k: the kernel, built (or not) for @d
 * @d: the device
 * @log: the log for the kernel, or NULL
 * @log_len: its bytes
 *
 * Return: 0 when @k runs on @d, else the errno every launch gets.
 */
int kent_failed(const struct kent *k, const struct device *d,
		const char **log, size_t *log_len)
{
	const struct kdev *kd = &k->kd[d->index];

	*log = kd->log;
	*log_len = kd->log ? strlen(kd->log) : 0;
	return kd->state == K_READY ? 0 : kd->err ?: -EIO;
}

/**
 * kent_kernel - the cl_kernel of @k for @u
 * @k: the kernel, ready on @u's device
 * @u: the unit, held by the caller
 * @err: the runtime's error when there is none
 *
 * Return: the unit's own cl_kernel of @k (arguments are set per unit), or
 * NULL.
 */
cl_kernel kent_kernel(struct kent *k, struct unit *u, cl_int *err)
{
	if (!k->kern[u->idx])
		k->kern[u->idx] = clCreateKernel(k->prog->pd[u->dev->index].program,
						 k->name, err);
	return k->kern[u->idx];
}

/**
 * kent_set_scalars - set the scalar arguments of a launch
 * @k: the kernel, ready on @d
 * @d: the device
 * @kern: the cl_kernel
 * @p: the pull with the scalars
 *
 * Return: 0 or the runtime's error.
 */
int kent_set_scalars(const struct kent *k, const struct device *d,
		     cl_kernel kern, const struct vaal_ctrl_pull *p)
{
	const struct kdev *kd = &k->kd[d->index];
	unsigned int j;
	cl_int err;

	for (j = 0; j < kd->nr_scalars; j++) {
		err = clSetKernelArg(kern, k->nr_args + j, kd->sc[j].size,
				     p->scalars + kd->sc[j].off);
		if (err)
			return err;
	}
	return 0;
}

/**
 * cache_gone - the core reports kernel keys gone: release what was built
 * @gone: the keys
 * @n: entries in @gone
 */
void cache_gone(const uint64_t *gone, unsigned int n)
{
	struct kent **b, *k;
	unsigned int i;

	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&cache_lock);
		for (b = &keys[gone[i] % KEY_BUCKETS]; *b; b = &(*b)->next)
			if ((*b)->key == gone[i])
				break;
		k = *b;
		if (k)
			*b = k->next;
		pthread_mutex_unlock(&cache_lock);
		if (k)
			kent_put(k);
		else if (opt.verbose)
			vlog("key %llu: gone, never built",
			     (unsigned long long)gone[i]);
	}
}
