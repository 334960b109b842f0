// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_load.c - saturate an accelerator class from where it runs and say,
 * as it goes, how much work it completed: the loader of vcore_sched's share
 * test, for clients the test cannot fork itself - a guest's, on the guest's
 * own /dev/vaal (selftests/vaal_mdev/qemu_vaal_test.sh).
 *
 *	vaal_load [-c CLASS] [-d DIM] [-t SECONDS] [-i MS]
 *
 * Keeps LOAD_DEPTH launches of a DIM x DIM matmul_i32 in flight on CLASS
 * (cpu, 64 by default) in the cgroup it was started in, for SECONDS (30),
 * and prints every MS milliseconds (100)
 *
 *	load SECONDS COMPLETED
 *
 * the time since it started and the launches it has completed so far, by
 * its own count; then "done SUBMITTED COMPLETED FAILED".  Exit status 0
 * when every launch completed without an error, 1 otherwise, 2 on a usage
 * error.
 */
#include <getopt.h>

#include "../../selftests/lib/vcs_load.h"

static void help(FILE *f)
{
	fprintf(f, "usage: vaal_load [-c CLASS] [-d DIM] [-t SECONDS] [-i MS]\n");
}

static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int dim = LOAD_DIM, secs = 30, ms = 100;
	const char *class = "cpu";
	struct loader l = { .cgroup = NULL };
	double t0, t;
	int c, ret;

	while ((c = getopt(argc, argv, "c:d:t:i:h")) != -1) {
		switch (c) {
		case 'c':
			class = optarg;
			break;
		case 'd':
			if (parse_uint(optarg, 1, 1024, &dim))
				goto bad;
			break;
		case 't':
			if (parse_uint(optarg, 1, 3600, &secs))
				goto bad;
			break;
		case 'i':
			if (parse_uint(optarg, 10, 60000, &ms))
				goto bad;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (load_fork(&l, class, dim, 0, 0, 0)) {
		fprintf(stderr, "vaal_load: cannot start loading class %s\n",
			class);
		if (l.pid > 0)
			load_stop_one(&l);
		return 1;
	}
	t0 = now_s();
	do {
		sleep_s(ms / 1000.0);
		t = now_s() - t0;
		printf("load %.3f %ld\n", t, load_completed(&l));
	} while (t < secs);
	ret = load_stop_one(&l);
	printf("done %ld %ld %ld\n", l.submitted, l.completed, l.failed);
	if (ret)
		fprintf(stderr, "vaal_load: the loader failed at step %d\n", ret);
	return ret || l.failed || l.completed != l.submitted;
bad:
	help(stderr);
	return 2;
}
