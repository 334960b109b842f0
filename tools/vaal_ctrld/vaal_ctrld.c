// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_ctrld - the reference user-space controller of /dev/vaal
 *
 *   vaal_ctrld [-d DEVICE] [--name NAME] [--class CLASS] [--threads N]
 *              [--once N] [--fail-after N] [--hang] [-v]
 *
 * Registers a controller of CLASS with N units (VAAL_IOC_CTRL_REGISTER)
 * and runs a pool of N threads that pull work (VAAL_IOC_CTRL_PULL), run it
 * on the built-in kernels of the CPU controllers - the very source the
 * in-kernel CPU controller runs, kernel/vaal_cpu/vaal_cpu_kernels.c - on
 * the buffers mapped from the controller's file, and complete it
 * (VAAL_IOC_CTRL_COMPLETE).  Once registered it prints one line on
 * standard output:
 *
 *   vaal_ctrld: NAME: ready, id ID, class CLASS, N units
 *
 * SIGTERM and SIGINT stop it: work being run is completed first, then the
 * controller goes away with its file.  --once, --fail-after and --hang
 * are for tests.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "../lib/ctrld.h"
#include "../lib/libvaal.h"
#include "vaal_cpu_kernels.h"

#define MAX_UNITS	256	/* &vaal_ctrl_register.nr_units at most */

static const char *prog = "vaal_ctrld";

/* Options. */
static const char *opt_name = "ucpu0";
static const char *opt_class = "ucpu";
static unsigned int opt_threads = 2;
static unsigned long opt_once;
static unsigned long opt_fail_after;
static int opt_hang;
static int opt_verbose;

/**
 * struct map_slot - a buffer argument of a unit, mapped
 * @addr: the mapping, or NULL
 * @mmap_offset: the offset it was mapped at
 * @bytes: its length
 * @prot: its protection
 *
 * The mapping shows the buffer of the work its unit holds, whichever that
 * is: it is kept from one work to the next and remapped only when the
 * offset, length or protection change.  Only the thread that pulled the
 * unit's current work touches it.
 */
struct map_slot {
	void *addr;
	__u64 mmap_offset;
	__u64 bytes;
	int prot;
};

static int ctrl_fd = -1;
static struct map_slot (*maps)[VAAL_MAX_ARGS];
static pthread_t main_thread;

static int stopping;		/* atomic: workers are to return */
static int fatal;		/* atomic: a worker failed */
static unsigned long reserved;	/* atomic: works pulled or being pulled */
static unsigned long pulled;	/* atomic: works pulled */
static unsigned long completed;	/* atomic: works completed */
static int stop_signal;		/* atomic: the signal that stops us */

static void on_signal(int sig)
{
	/* SIGUSR1 only interrupts: a blocked pull returns -EINTR. */
	if (sig != SIGUSR1)
		__atomic_store_n(&stop_signal, sig, __ATOMIC_RELAXED);
}

static int is_stopping(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

/* Stop every thread; the main thread wakes up and joins the workers. */
static void request_stop(void)
{
	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	pthread_kill(main_thread, SIGUSR1);
}

/* With --once N: take one of the N works; false when all are taken. */
static int reserve_work(void)
{
	unsigned long n = __atomic_load_n(&reserved, __ATOMIC_RELAXED);

	if (!opt_once)
		return 1;
	do {
		if (n >= opt_once)
			return 0;
	} while (!__atomic_compare_exchange_n(&reserved, &n, n + 1, 0,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 1;
}

static void unreserve_work(void)
{
	if (opt_once)
		__atomic_fetch_sub(&reserved, 1, __ATOMIC_RELAXED);
}

/* Map @arg of @unit's work; NULL with errno set on failure. */
static void *map_arg(unsigned int unit, unsigned int i,
		     const struct vaal_ctrl_arg *arg)
{
	int prot = arg->mode == VAAL_ARG_IN ? PROT_READ : PROT_READ | PROT_WRITE;
	struct map_slot *s = &maps[unit][i];
	void *p;

	if (s->addr && s->mmap_offset == arg->mmap_offset &&
	    s->bytes == arg->buf_bytes && s->prot == prot)
		return s->addr;
	if (s->addr) {
		munmap(s->addr, s->bytes);
		s->addr = NULL;
	}
	if (!arg->buf_bytes || arg->buf_bytes > SIZE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	p = mmap(NULL, arg->buf_bytes, prot, MAP_SHARED, ctrl_fd,
		 arg->mmap_offset);
	if (p == MAP_FAILED)
		return NULL;
	s->addr = p;
	s->mmap_offset = arg->mmap_offset;
	s->bytes = arg->buf_bytes;
	s->prot = prot;
	return p;
}

/* Run pulled work on its built-in kernel; 0 or a negative errno. */
static int run_work(const struct vaal_ctrl_pull *p)
{
	const struct vaal_cpu_kernel *k;
	const struct vaal_ctrl_arg *arg;
	struct vaal_cpu_args a;
	unsigned int i;
	void *base;

	if (!memchr(p->name, '\0', sizeof(p->name)))
		return -EINVAL;
	k = vaal_cpu_kernel_find(p->name);
	if (!k)
		return -ENOENT;
	if (p->nr_args != k->nr_args || p->scalar_bytes != k->scalar_bytes ||
	    p->nr_args > VAAL_MAX_ARGS ||
	    p->scalar_bytes > VAAL_MAX_SCALAR_BYTES)
		return -EINVAL;
	for (i = 0; i < p->nr_args; i++)
		if (p->args[i].mode != k->arg_mode[i])
			return -EINVAL;
	if (p->unit >= opt_threads)
		return -EPROTO;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < p->nr_args; i++) {
		arg = &p->args[i];
		if (arg->offset > arg->buf_bytes ||
		    arg->length > arg->buf_bytes - arg->offset)
			return -EFAULT;
		base = map_arg(p->unit, i, arg);
		if (!base)
			return -errno;
		a.buf[i] = (char *)base + arg->offset;
		a.len[i] = arg->length;
	}
	memcpy(a.scalars, p->scalars, p->scalar_bytes);
	return k->run(&a);
}

/* Hold pulled work without completing it until told to stop (--hang). */
/* The CPU time the calling thread has run, in ns. */
static __u64 thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void hang(void)
{
	while (!is_stopping())
		pause();
}

static void *worker(void *unused)
{
	struct vaal_ctrl_pull p;
	unsigned long n;
	sigset_t set;
	int ret, res;
	__u64 t0;

	/* SIGUSR1 from the main thread breaks a blocked pull. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!is_stopping() && reserve_work()) {
		ret = vaal_ctrl_pull(ctrl_fd, 0, &p);
		if (ret) {
			unreserve_work();
			if (ret == -EINTR)
				continue;
			fprintf(stderr, "%s: %s: pull work: %s\n", prog,
				opt_name, strerror(-ret));
			__atomic_store_n(&fatal, 1, __ATOMIC_RELAXED);
			request_stop();
			break;
		}
		p.name[sizeof(p.name) - 1] = '\0';
		n = __atomic_add_fetch(&pulled, 1, __ATOMIC_RELAXED);
		if (opt_fail_after && n == opt_fail_after) {
			fprintf(stderr, "%s: %s: unit %u: %s: failing on purpose (--fail-after %lu)\n",
				prog, opt_name, p.unit, p.name, opt_fail_after);
			_exit(3);
		}
		if (opt_hang) {
			if (opt_verbose)
				fprintf(stderr, "%s: %s: unit %u: %s: holding it (--hang)\n",
					prog, opt_name, p.unit, p.name);
			hang();
			break;
		}

		/* Its device time: the CPU time this thread ran it. */
		t0 = thread_ns();
		res = run_work(&p);
		ret = vaal_ctrl_complete_ns(ctrl_fd, p.token, res,
					    thread_ns() - t0);
		if (ret)
			fprintf(stderr, "%s: %s: unit %u: complete %s: %s\n",
				prog, opt_name, p.unit, p.name, strerror(-ret));
		else if (opt_verbose)
			fprintf(stderr, "%s: %s: unit %u: %s: %s\n", prog,
				opt_name, p.unit, p.name,
				res ? strerror(-res) : "done");
		n = __atomic_add_fetch(&completed, 1, __ATOMIC_RELAXED);
		if (opt_once && n >= opt_once)
			request_stop();
	}
	return NULL;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options]\n"
		"\n"
		"Serve an accelerator class of /dev/vaal from user space with the\n"
		"built-in kernels of the CPU controllers.\n"
		"\n"
		"Options:\n"
		"  -d, --device DEV   device node (default %s)\n"
		"  --name NAME        controller name (default ucpu0)\n"
		"  --class CLASS      accelerator class to serve (default ucpu)\n"
		"  --threads N        threads, and units of the controller, 1 to %d\n"
		"                     (default 2)\n"
		"  --once N           exit after completing N works\n"
		"  --fail-after N     exit with status 3 right after pulling the N-th\n"
		"                     work, without completing it (crash tests)\n"
		"  --hang             pull work and never complete it (deadline tests)\n"
		"  -v, --verbose      a line per work on standard error\n"
		"  -h, --help         this text\n",
		prog, VAAL_DEFAULT_PATH, MAX_UNITS);
}

/* Stop the workers: break blocked pulls until every one has returned. */
static void join_workers(pthread_t *threads, unsigned int nr)
{
	struct timespec ts;
	unsigned int i;

	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nr; i++) {
		/* The signal may come just before the pull: send it again. */
		do {
			pthread_kill(threads[i], SIGUSR1);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 10 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
		} while (pthread_timedjoin_np(threads[i], NULL, &ts));
	}
}

int main(int argc, char **argv)
{
	enum { OPT_NAME = 256, OPT_CLASS, OPT_THREADS, OPT_ONCE,
	       OPT_FAIL_AFTER, OPT_HANG };
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "once", required_argument, NULL, OPT_ONCE },
		{ "fail-after", required_argument, NULL, OPT_FAIL_AFTER },
		{ "hang", no_argument, NULL, OPT_HANG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dev = NULL;
	pthread_t *threads;
	unsigned int i, started;
	sigset_t empty;
	int opt, ret, sig;
	__u32 id;

	while ((opt = getopt_long(argc, argv, "d:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
		case OPT_NAME:
			opt_name = optarg;
			break;
		case OPT_CLASS:
			opt_class = optarg;
			break;
		case OPT_THREADS:
			opt_threads = ctrld_parse_count(prog, "--threads", optarg, MAX_UNITS);
			if (!opt_threads)
				return 2;
			break;
		case OPT_ONCE:
			opt_once = ctrld_parse_count(prog, "--once", optarg, ULONG_MAX);
			if (!opt_once)
				return 2;
			break;
		case OPT_FAIL_AFTER:
			opt_fail_after = ctrld_parse_count(prog, "--fail-after", optarg,
						     ULONG_MAX);
			if (!opt_fail_after)
				return 2;
			break;
		case OPT_HANG:
			opt_hang = 1;
			break;
		case 'v':
			opt_verbose = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		print_usage(stderr);
		return 2;
	}

	ctrl_fd = vaal_open(dev);
	if (ctrl_fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			dev ? dev : VAAL_DEFAULT_PATH, strerror(-ctrl_fd));
		return 1;
	}
	maps = calloc(opt_threads, sizeof(*maps));
	threads = calloc(opt_threads, sizeof(*threads));
	if (!maps || !threads) {
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		return 1;
	}
	ret = vaal_ctrl_register(ctrl_fd, opt_name, opt_class, opt_threads,
				 &id);
	if (ret) {
		fprintf(stderr, "%s: register controller %s: %s%s\n", prog,
			opt_name, strerror(-ret), ctrld_register_hint(ret));
		return 1;
	}

	/*
	 * No SA_RESTART: a signal breaks a blocked pull.  The workers block
	 * SIGTERM and SIGINT, so that the main thread takes them; it keeps
	 * every signal blocked but while it waits in sigsuspend().
	 */
	ctrld_signals(on_signal);
	main_thread = pthread_self();

	for (started = 0; started < opt_threads; started++) {
		ret = pthread_create(&threads[started], NULL, worker, NULL);
		if (ret) {
			fprintf(stderr, "%s: %s: start thread: %s\n", prog,
				opt_name, strerror(ret));
			__atomic_store_n(&fatal, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	if (started == opt_threads) {
		printf("%s: %s: ready, id %u, class %s, %u units\n", prog,
		       opt_name, id, opt_class, opt_threads);
		fflush(stdout);
		sigemptyset(&empty);
		while (!__atomic_load_n(&stop_signal, __ATOMIC_RELAXED) &&
		       !is_stopping())
			sigsuspend(&empty);
	}
	join_workers(threads, started);
	sig = __atomic_load_n(&stop_signal, __ATOMIC_RELAXED);
	if (opt_verbose && sig)
		fprintf(stderr, "%s: %s: stopped by %s, %lu works completed\n",
			prog, opt_name, strsignal(sig),
			__atomic_load_n(&completed, __ATOMIC_RELAXED));

	for (i = 0; i < opt_threads; i++) {
		int j;

		for (j = 0; j < VAAL_MAX_ARGS; j++)
			if (maps[i][j].addr)
				munmap(maps[i][j].addr, maps[i][j].bytes);
	}
	close(ctrl_fd);
	free(maps);
	free(threads);
	return __atomic_load_n(&fatal, __ATOMIC_RELAXED) ? 1 : 0;
}
