// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - vaalctl run: open a context, create a buffer per argument,
 * register the kernel with the signature the arguments make, launch it
 * once through a small ring and write the outputs
 */
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vaalctl.h"

/**
 * struct run_arg - a buffer argument of run
 * @mode: %VAAL_ARG_*
 * @file: the file it comes from or goes to, "-" for stdin/stdout
 * @data: the input's bytes (in, inout)
 * @len: bytes of the argument
 * @buf: its buffer in the context
 */
struct run_arg {
	__u8 mode;
	const char *file;
	void *data;
	size_t len;
	struct vaal_buffer buf;
};

/**
 * struct run_req - what run was asked to do
 * @class: the kernel's class
 * @name: the kernel's name
 * @args: the buffer arguments, in order
 * @nr_args: their number
 * @scalars: the scalar bytes, in order
 * @scalar_bytes: their number
 * @timeout_ns: the kernel's deadline, 0 for the module's default
 * @rsv_class: the class of the reservation to make first, NULL for none
 * @rsv_budget: its budget, ns
 * @rsv_period: its period, ns
 */
struct run_req {
	const char *class, *name;
	struct run_arg args[VAAL_MAX_ARGS];
	unsigned int nr_args;
	__u8 scalars[VAAL_MAX_SCALAR_BYTES];
	unsigned int scalar_bytes;
	__u64 timeout_ns;
	const char *rsv_class;
	unsigned long long rsv_budget, rsv_period;
};

/* "4096", "4k", "1M", "0x100": bytes; 0 on failure. */
static unsigned long long parse_size(const char *s)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	}
	if (*end || v > ULLONG_MAX / mul)
		return 0;
	return v * mul;
}

static int parse_ull(const char *s, unsigned long long max,
		     unsigned long long *v)
{
	char *end;

	if (*s == '-' || !*s)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int add_scalar(struct run_req *rq, const void *p, unsigned int len)
{
	if (rq->scalar_bytes + len > VAAL_MAX_SCALAR_BYTES) {
		fprintf(stderr, "%s: more than %u bytes of scalars (see '%s help')\n",
			prog, VAAL_MAX_SCALAR_BYTES, prog);
		return 2;
	}
	memcpy(rq->scalars + rq->scalar_bytes, p, len);
	rq->scalar_bytes += len;
	return 0;
}

static int add_hex(struct run_req *rq, const char *s)
{
	__u8 b;
	int hi, lo, ret;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!*s || strlen(s) % 2)
		return usage_error("--hex wants an even number of hex digits, not '%s'", s);
	for (; *s; s += 2) {
		hi = hex_digit(s[0]);
		lo = hex_digit(s[1]);
		if (hi < 0 || lo < 0)
			return usage_error("--hex: '%s' is not hex", s);
		b = hi << 4 | lo;
		ret = add_scalar(rq, &b, 1);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_buf_arg(struct run_req *rq, __u8 mode, const char *val)
{
	struct run_arg *a;
	unsigned long long size;
	char *colon;

	if (rq->nr_args == VAAL_MAX_ARGS) {
		fprintf(stderr, "%s: more than %u buffer arguments (see '%s help')\n",
			prog, VAAL_MAX_ARGS, prog);
		return 2;
	}
	a = &rq->args[rq->nr_args];
	a->mode = mode;
	a->file = val;
	if (mode == VAAL_ARG_OUT) {
		colon = strrchr(val, ':');
		if (!colon || colon == val)
			return usage_error("--out wants FILE:SIZE, not '%s'", val);
		size = parse_size(colon + 1);
		if (!size || size > UINT32_MAX)
			return usage_error("--out: bad size '%s' (1 byte to 4G - 1)",
					   colon + 1);
		*colon = '\0';
		a->len = size;
	} else if (!*val) {
		return usage_error("%s", "--in and --inout want a FILE");
	}
	rq->nr_args++;
	return 0;
}

/* --reserve [CLASS:]BUDGET/PERIOD */
static int parse_reserve(struct run_req *rq, char *val)
{
	char *colon = strchr(val, ':'), *slash, *b = val;

	rq->rsv_class = rq->class;
	if (colon) {
		*colon = '\0';
		if (!*val)
			return usage_error("%s", "--reserve: empty CLASS");
		rq->rsv_class = val;
		b = colon + 1;
	}
	slash = strchr(b, '/');
	if (!slash)
		return usage_error("--reserve wants [CLASS:]BUDGET/PERIOD, not '%s'",
				   b);
	*slash = '\0';
	if (parse_ns(b, &rq->rsv_budget) || parse_ns(slash + 1, &rq->rsv_period))
		return usage_error("--reserve: bad duration in '%s' (a number with ns, us, ms or s)",
				   b);
	return 0;
}

static int parse_run_args(struct run_req *rq, int argc, char **argv)
{
	unsigned long long v;
	int i, ret, stdin_used = 0;
	char *opt, *val, *eq;
	__u32 v32;
	__u64 v64;

	for (i = 0; i < argc; i++) {
		opt = argv[i];
		eq = strncmp(opt, "--", 2) ? NULL : strchr(opt, '=');
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			if (!strncmp(opt, "--", 2))
				return usage_error("%s wants a value", opt);
			val = NULL;
		}
		if (!strcmp(opt, "--in") || !strcmp(opt, "--inout")) {
			if (!strcmp(val, "-") && stdin_used++)
				return usage_error("%s", "stdin ('-') can feed one argument only");
			ret = add_buf_arg(rq, opt[4] ? VAAL_ARG_INOUT : VAAL_ARG_IN, val);
		} else if (!strcmp(opt, "--out")) {
			ret = add_buf_arg(rq, VAAL_ARG_OUT, val);
		} else if (!strcmp(opt, "--u32")) {
			if (parse_ull(val, UINT32_MAX, &v))
				return usage_error("--u32: bad number '%s'", val);
			v32 = htole32((__u32)v);
			ret = add_scalar(rq, &v32, sizeof(v32));
		} else if (!strcmp(opt, "--u64")) {
			if (parse_ull(val, ULLONG_MAX, &v))
				return usage_error("--u64: bad number '%s'", val);
			v64 = htole64((__u64)v);
			ret = add_scalar(rq, &v64, sizeof(v64));
		} else if (!strcmp(opt, "--hex")) {
			ret = add_hex(rq, val);
		} else if (!strcmp(opt, "--timeout")) {
			if (parse_ull(val, VAAL_MAX_TIMEOUT_NS / 1000000, &v) || !v)
				return usage_error("--timeout: bad milliseconds '%s'", val);
			rq->timeout_ns = v * 1000000;
			ret = 0;
		} else if (!strcmp(opt, "--reserve")) {
			ret = parse_reserve(rq, val);
		} else {
			return usage_error("run: unknown argument '%s'", opt);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Read all of @file ("-": stdin) into @a->data. */
static int read_input(struct run_arg *a)
{
	size_t cap = 0, len = 0;
	char *p;
	ssize_t n;
	int fd;

	fd = strcmp(a->file, "-") ? open(a->file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			p = realloc(a->data, cap);
			if (!p) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			a->data = p;
		}
		n = read(fd, (char *)a->data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (n < 0) {
		n = -errno;
		if (fd)
			close(fd);
		return n;
	}
	if (fd)
		close(fd);
	a->len = len;
	return 0;
}

static int write_all(int fd, const void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p = (const char *)p + n;
		len -= n;
	}
	return 0;
}

static void print_hex(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", b[i]);
}

/* Write an output argument to its file; "-" is printed in hex later. */
static int write_output(const struct run_arg *a)
{
	int fd, ret;

	if (!strcmp(a->file, "-"))
		return 0;
	fd = open(a->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, a->buf.map, a->len);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* What a launch's error means, beyond strerror(). */
static const char *res_hint(int res)
{
	switch (res) {
	case -ENODEV:
		return "no controller serves class %s";
	case -ENOENT:
		return "unknown kernel";
	case -EINVAL:
		return "arguments do not match the kernel's signature";
	case -ETIMEDOUT:
		return "the kernel ran past its deadline";
	case -ECANCELED:
		return "a kernel it depends on failed";
	case -EBADMSG:
		return "authentication failed";
	case -EIO:
		return "its controller went away";
	case -EFAULT:
		return "an argument's range lies outside its buffer";
	case -EBADF:
		return "unknown buffer";
	}
	return NULL;
}

/* Register @rq's kernel, with its deadline. */
static int kernel_register(int fd, const struct run_req *rq, __u32 *id)
{
	struct vaal_kernel_desc d = {
		.class = rq->class,
		.name = rq->name,
		.nr_args = rq->nr_args,
		.scalar_bytes = rq->scalar_bytes,
		.timeout_ns = rq->timeout_ns,
	};
	__u8 modes[VAAL_MAX_ARGS];
	unsigned int i;

	for (i = 0; i < rq->nr_args; i++)
		modes[i] = rq->args[i].mode;
	d.arg_mode = modes;
	return vaal_kernel_register_desc(fd, &d, id);
}

static void run_fail(const struct run_req *rq, const char *what, int err)
{
	fprintf(stderr, "%s: %s on %s: %s: %s\n", prog, rq->name, rq->class,
		what, strerror(-err));
}

/*
 * Launch @rq on @fd once; 0 with *@cqe filled when it completed (with
 * whatever result), 1 when it could not be launched.
 */
static int run_launch(int fd, struct run_req *rq, struct vaal_cqe *out)
{
	struct vaal_sqe_arg sargs[VAAL_MAX_ARGS];
	__u8 modes[VAAL_MAX_ARGS];
	struct vaal_cqe *cqe;
	struct vaal_ring r;
	unsigned int i;
	__u32 id = 0;
	int ret;

	for (i = 0; i < rq->nr_args; i++) {
		struct run_arg *a = &rq->args[i];

		ret = vaal_buf_create(fd, a->len, &a->buf);
		if (!ret)
			ret = vaal_buf_map(fd, &a->buf);
		if (ret) {
			fprintf(stderr, "%s: %s on %s: cannot create a buffer of %zu bytes for argument %u: %s\n",
				prog, rq->name, rq->class, a->len, i,
				strerror(-ret));
			return 1;
		}
		if (a->mode != VAAL_ARG_OUT)
			memcpy(a->buf.map, a->data, a->len);
		sargs[i].handle = a->buf.handle;
		sargs[i].length = a->len;
		sargs[i].offset = 0;
		modes[i] = a->mode;
	}
	ret = kernel_register(fd, rq, &id);
	if (ret) {
		fprintf(stderr, "%s: %s on %s: cannot register the kernel: %s%s\n",
			prog, rq->name, rq->class, strerror(-ret),
			ret == -EINVAL ? " (bad class or kernel name?)" : "");
		return 1;
	}
	ret = vaal_ring_init(fd, 8, 0, &r);
	if (ret) {
		run_fail(rq, "cannot set the rings up", ret);
		return 1;
	}
	ret = vaal_queue_launch(&r, id, sargs, modes, rq->nr_args,
				rq->scalars, rq->scalar_bytes, 1);
	if (ret) {
		run_fail(rq, "cannot queue the launch", ret);
		goto out;
	}
	do {
		ret = vaal_submit_and_wait(&r, 1);
	} while (ret == -EINTR);
	if (ret < 0) {
		run_fail(rq, "cannot submit", ret);
		goto out;
	}
	do {
		ret = vaal_wait_cqe(&r, &cqe);
	} while (ret == -EINTR);
	if (ret) {
		run_fail(rq, "cannot reap the completion", ret);
		goto out;
	}
	*out = *cqe;
	vaal_cqe_seen(&r);
out:
	vaal_ring_exit(&r);
	return ret ? 1 : 0;
}

/* --reserve: 0, or 1 after saying why the reservation was refused. */
static int run_reserve(int fd, const struct run_req *rq)
{
	char b[32], p[32], adm[32], lim[32];
	struct vaal_sched_attr attr;
	int ret;

	fmt_ns(rq->rsv_budget, b, sizeof(b));
	fmt_ns(rq->rsv_period, p, sizeof(p));
	ret = vaal_sched_set(fd, rq->rsv_class, VAAL_SCHED_RESERVE,
			     rq->rsv_budget, rq->rsv_period, 0, &attr);
	if (!ret) {
		if (verbose)
			fprintf(stderr, "%s: reserved %s per %s on %s\n", prog,
				b, p, rq->rsv_class);
		return 0;
	}
	fprintf(stderr, "%s: %s on %s: cannot reserve %s per %s on %s: %s",
		prog, rq->name, rq->class, b, p, rq->rsv_class,
		strerror(-ret));
	if (attr.reason != VAAL_SCHED_OK)
		fprintf(stderr, " (%s", vaal_sched_reason(attr.reason));
	if (attr.reason == VAAL_SCHED_EOVERLOAD)
		fprintf(stderr, ": %s of its units reserved, limit %s",
			fmt_ppm(attr.admitted_ppm, adm, sizeof(adm)),
			fmt_ppm(attr.limit_ppm, lim, sizeof(lim)));
	fprintf(stderr, "%s\n", attr.reason != VAAL_SCHED_OK ? ")" : "");
	return 1;
}

/* The completion, and the outputs printed rather than written, as JSON. */
static void run_json(const struct run_req *rq, const struct vaal_cqe *cqe)
{
	struct json_writer *jw = json_wtr;
	unsigned int i;

	jsonw_start_object(jw);
	jsonw_s64_field(jw, "res", cqe->res);
	if (cqe->res)
		jsonw_string_field(jw, "error", strerror(-cqe->res));
	jsonw_u64_field(jw, "controller", cqe->controller);
	jsonw_u64_field(jw, "device_ns", cqe->device_ns);
	jsonw_name(jw, "outputs");
	jsonw_start_array(jw);
	for (i = 0; !cqe->res && i < rq->nr_args; i++) {
		const struct run_arg *a = &rq->args[i];

		if (a->mode == VAAL_ARG_IN)
			continue;
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "arg", i);
		jsonw_string_field(jw, "file", a->file);
		jsonw_u64_field(jw, "bytes", a->len);
		if (!strcmp(a->file, "-")) {
			jsonw_name(jw, "hex");
			jsonw_hex(jw, a->buf.map, a->len);
		}
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
	jsonw_end_object(jw);
}

int do_run(int argc, char **argv)
{
	struct run_req *rq;
	struct vaal_cqe cqe;
	unsigned int i;
	const char *hint;
	int fd = -1, ret;

	if (argc < 2)
		return usage_error("%s", "run wants CLASS KERNEL ARG...");
	rq = calloc(1, sizeof(*rq));
	if (!rq) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	rq->class = argv[0];
	rq->name = argv[1];
	ret = parse_run_args(rq, argc - 2, argv + 2);
	if (ret)
		goto out;

	ret = 1;
	for (i = 0; i < rq->nr_args; i++) {
		struct run_arg *a = &rq->args[i];
		int err;

		if (a->mode == VAAL_ARG_OUT)
			continue;
		err = read_input(a);
		if (err) {
			fprintf(stderr, "%s: cannot read %s: %s\n", prog,
				a->file, strerror(-err));
			goto out;
		}
		if (!a->len || a->len > UINT32_MAX) {
			fprintf(stderr, "%s: %s: %s (a buffer argument holds 1 byte to 4G - 1)\n",
				prog, a->file, a->len ? "too large" : "empty");
			goto out;
		}
	}

	fd = open_device(device);
	if (fd < 0)
		goto out;
	if (rq->rsv_class && run_reserve(fd, rq))
		goto out;
	if (run_launch(fd, rq, &cqe))
		goto out;

	if (verbose)
		fprintf(stderr, "%s: %s on %s: res %d, controller %u, device time %llu ns\n",
			prog, rq->name, rq->class, cqe.res, cqe.controller,
			(unsigned long long)cqe.device_ns);
	if (cqe.res) {
		hint = res_hint(cqe.res);
		fprintf(stderr, "%s: %s on %s: %s", prog, rq->name, rq->class,
			strerror(-cqe.res));
		if (hint) {
			fprintf(stderr, " (");
			fprintf(stderr, hint, rq->class);
			fprintf(stderr, ")");
		}
		fprintf(stderr, "\n");
	} else {
		for (i = 0; i < rq->nr_args; i++) {
			struct run_arg *a = &rq->args[i];
			int err;

			if (a->mode == VAAL_ARG_IN)
				continue;
			err = write_output(a);
			if (err) {
				fprintf(stderr, "%s: cannot write %s: %s\n",
					prog, a->file, strerror(-err));
				goto out;
			}
		}
	}

	if (json_output) {
		run_json(rq, &cqe);
	} else if (!cqe.res) {
		for (i = 0; i < rq->nr_args; i++) {
			struct run_arg *a = &rq->args[i];

			if (a->mode == VAAL_ARG_IN || strcmp(a->file, "-"))
				continue;
			print_hex(a->buf.map, a->len);
			printf("\n");
		}
	}
	ret = cqe.res ? 1 : 0;
out:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < rq->nr_args; i++)
		free(rq->args[i].data);
	free(rq);
	if (fflush(stdout) && !ret) {
		fprintf(stderr, "%s: cannot write stdout: %s\n", prog,
			strerror(errno));
		ret = 1;
	}
	return ret;
}
