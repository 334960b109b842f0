// SPDX-License-Identifier: GPL-2.0
/*
 * vaal_load.c - saturate an accelerator class from where it runs and say,
 * as it goes, how much work it completed: the loader of vcore_sched's share
 * test, for clients the test cannot fork itself - a guest's, on the guest's
 * own /dev/vaal (selftests/vaal_mdev/qemu_vaal_test.sh), a VM's processes
 * (selftests/tools/vm_spec_test.sh).
 *
 *	vaal_load [-c CLASS] [-d DIM] [-t SECONDS] [-i MS]
 *	vaal_load -p PERIOD_MS -n PERIODS [-D SECONDS] [-c CLASS] [-d DIM]
 *
 * Keeps LOAD_DEPTH launches of a DIM x DIM matmul_i32 in flight on CLASS
 * (cpu, 64 by default) in the cgroup it was started in, for SECONDS (30),
 * and prints every MS milliseconds (100)
 *
 *	load SECONDS COMPLETED
 *
 * the time since it started and the launches it has completed so far, by
 * its own count; then "done SUBMITTED COMPLETED FAILED".
 *
 * With -p, it is a real-time client instead: it sets its context up, says
 * "ready CTX" (its context's id, the vaal-ctx-id of its fdinfo), waits
 * SECONDS (-D, 0) and a period - time for whoever reserves for it (the
 * client asks for no reservation itself) - then, at the start of each of
 * PERIODS periods of PERIOD_MS, submits one launch and waits for it.  It
 * judges each period by its own clock, prints what it saw, and ends with
 *
 *	periods PERIODS met MET
 *
 * MET the periods whose launch completed inside the period.  Exit status 0
 * when every launch completed without an error, 1 otherwise, 2 on a usage
 * error.
 */
#include <getopt.h>

#include "../../selftests/lib/vcs_load.h"

static void help(FILE *f)
{
	fprintf(f, "usage: vaal_load [-c CLASS] [-d DIM] [-t SECONDS] [-i MS]\n"
		"       vaal_load -p PERIOD_MS -n PERIODS [-D SECONDS] [-c CLASS] [-d DIM]\n");
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

/* The vaal-ctx-id in the fdinfo of the first /dev/vaal file of @pid, or 0. */
static unsigned long long ctx_id_of(pid_t pid)
{
	unsigned long long id = 0;
	char path[64], line[128];
	int fd;
	FILE *f;

	for (fd = 0; fd < 64 && !id; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "vaal-ctx-id: %llu", &id) == 1)
				break;
		fclose(f);
	}
	return id;
}

/* The real-time client: -p PERIOD_MS -n PERIODS -D DELAY. */
static int periodic(const char *class, unsigned int dim, unsigned int ms,
		    unsigned int n, unsigned int delay)
{
	struct loader l = { .cgroup = NULL };
	long met, ran;
	int ret;

	l.delay_ns = delay * 1000000000LL;
	if (load_start_periodic(&l, class, dim, 0, ms * 1000, n)) {
		fprintf(stderr, "vaal_load: cannot start a client of class %s\n",
			class);
		if (l.pid > 0)
			load_stop_one(&l);
		return 1;
	}
	printf("ready %llu\n", ctx_id_of(l.pid));
	ran = load_wait_periods(&l);
	met = ran == n ? load_judge_periods(&l, n, ms * 1000000LL,
					    "vaal_load") : -1;
	ret = load_stop_one(&l);
	if (met < 0 || ret) {
		fprintf(stderr, "vaal_load: the client failed (%ld periods ran, step %d)\n",
			ran, ret);
		return 1;
	}
	printf("periods %u met %ld\n", n, met);
	return l.failed || l.completed != l.submitted;
}

int main(int argc, char **argv)
{
	unsigned int dim = LOAD_DIM, secs = 30, ms = 100;
	unsigned int period = 0, periods = 0, delay = 0;
	const char *class = "cpu";
	struct loader l = { .cgroup = NULL };
	double t0, t;
	int c, ret;

	while ((c = getopt(argc, argv, "c:d:t:i:p:n:D:h")) != -1) {
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
		case 'p':
			if (parse_uint(optarg, 1, 10000, &period))
				goto bad;
			break;
		case 'n':
			if (parse_uint(optarg, 1, 100000, &periods))
				goto bad;
			break;
		case 'D':
			if (parse_uint(optarg, 0, 3600, &delay))
				goto bad;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc || !period != !periods)
		goto bad;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (period)
		return periodic(class, dim, period, periods, delay);
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
