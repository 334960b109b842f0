// SPDX-License-Identifier: GPL-2.0
/*
 * vcs_share_bench.c - how close vcore_sched's shares of the CPU sidecore
 * controller (class "cpu") come to the cgroups' weights, in the VM, under
 * fair and, as baselines, under fcfs and rr.
 *
 * The workloads are those of selftests/vcore_sched/vcs_share_test.c: flat
 * cgroups a, b, c with cpu.weight 100:200:400; flat a, b with 1:100; and a
 * hierarchy, A (100) holding x (100) and y (300), B (100) holding z, whose
 * ideal shares are 12.5, 37.5 and 50%.  Each run sets the policy, makes the
 * cgroups, starts one saturating loader per leaf, lets it ramp for a
 * second, counts the launches each leaf's loader completes over a window
 * (5 s, -w) - identical launches, counted by the loaders themselves, so
 * that a leaf's share of them is its share of the device time as the
 * clients see it -, stops the loaders (none may fail or lose work) and
 * removes the cgroups.  For each run it prints, as comments, the shares
 * observed and, beside them, the shares of vcore_sched's own accounting
 * (its usage file, what fair picks by), and
 *
 *	bench vcs.vm.share_err_<workload> <points> points		(fair)
 *	bench vcs.vm.share_err_<policy>_<workload> <points> points	(fcfs, rr)
 *	bench vcs.vm.share_relerr_min_<workload> <percent> percent	(fair)
 *	bench vcs.vm.share_relerr_min_<policy>_<workload> <percent> percent
 *
 * the largest absolute deviation of a leaf's observed share from its
 * ideal share, in percentage points, and the deviation of the leaf with
 * the smallest ideal share relative to that ideal share, in percent of
 * it.  The policy is fair again at the end.  Exit status 0, 1 when a run
 * failed, 2 when vcore_sched (or cgroup v2's cpu controller) is not there.
 */
#include <getopt.h>

#include "../../selftests/lib/vcs_load.h"

#define CLASS		"cpu"
#define RAMP		1.0	/* seconds before measuring */
#define MAX_CGS		8

static const char *prog = "vcs_share_bench";

/**
 * struct workload - cgroups, their weights, and the leaves that load them
 * @name: as the comment lines show it
 * @metric: as the figures' names end
 * @cgs: every cgroup below CG_TEST, parents first
 * @weights: their cpu.weight
 * @nr_cgs: how many
 * @leaves: the cgroups that get one loader each
 * @ideal: each leaf's ideal share, percent
 * @nr_leaves: how many
 */
struct workload {
	const char *name, *metric;
	const char *cgs[MAX_CGS];
	unsigned int weights[MAX_CGS];
	int nr_cgs;
	const char *leaves[MAX_LOADERS];
	double ideal[MAX_LOADERS];
	int nr_leaves;
};

static const struct workload workloads[] = {
	{
		.name = "100:200:400", .metric = "100_200_400",
		.cgs = { "a", "b", "c" }, .weights = { 100, 200, 400 },
		.nr_cgs = 3,
		.leaves = { "a", "b", "c" },
		.ideal = { 100.0 / 7, 200.0 / 7, 400.0 / 7 },
		.nr_leaves = 3,
	},
	{
		.name = "1:100", .metric = "1_100",
		.cgs = { "a", "b" }, .weights = { 1, 100 }, .nr_cgs = 2,
		.leaves = { "a", "b" },
		.ideal = { 100.0 / 101, 10000.0 / 101 },
		.nr_leaves = 2,
	},
	{
		.name = "nested", .metric = "nested",
		.cgs = { "A", "B", "A/x", "A/y", "B/z" },
		.weights = { 100, 100, 100, 300, 100 }, .nr_cgs = 5,
		.leaves = { "A/x", "A/y", "B/z" },
		.ideal = { 12.5, 37.5, 50 },
		.nr_leaves = 3,
	},
};

static const char * const policies[] = { "fair", "fcfs", "rr" };

/**
 * struct run - what one run started, for its teardown
 * @l: the loaders, one per leaf
 * @nr_loaders: how many were started (or tried)
 * @cgs: the cgroups made (or tried)
 * @nr_cgs: how many
 */
struct run {
	struct loader l[MAX_LOADERS];
	int nr_loaders;
	const char *cgs[MAX_CGS];
	int nr_cgs;
};

/* Stop every loader still running; the first failure's message, or NULL. */
static const char *stop_all(struct run *r, char *msg, size_t len)
{
	const char *err = NULL;
	int i, status;

	for (i = 0; i < r->nr_loaders; i++) {
		struct loader *l = &r->l[i];

		if (l->pid <= 0)
			continue;
		l->submitted = l->completed = l->failed = -1;
		status = load_stop_one(l);
		l->pid = 0;
		if (err)
			continue;
		if (status)
			snprintf(msg, len, "loader in %s exited with %d",
				 l->cgroup, status);
		else if (l->submitted != l->completed)
			snprintf(msg, len,
				 "loader in %s lost work: %ld submitted, %ld completed",
				 l->cgroup, l->submitted, l->completed);
		else if (l->failed)
			snprintf(msg, len, "loader in %s: %ld launches failed",
				 l->cgroup, l->failed);
		else if (l->completed <= 0)
			snprintf(msg, len, "loader in %s completed nothing",
				 l->cgroup);
		else
			continue;
		err = msg;
	}
	return err;
}

/*
 * Run workload @w under @policy over @window seconds: the shares in @m.
 * NULL, or what failed.
 */
static const char *run_one(const struct workload *w, const char *policy,
			   double window, struct shares *m, char *msg,
			   size_t len)
{
	const char *fail = NULL, *stop;
	struct run r = { .nr_loaders = 0 };
	char stop_msg[256];
	int i, ret;

	ret = set_policy(CLASS, policy);
	if (ret) {
		snprintf(msg, len, "policy %s: %s", policy, strerror(-ret));
		return msg;
	}
	ret = cg_init();
	if (ret) {
		snprintf(msg, len, "cgroup %s: %s", CG_TEST, strerror(-ret));
		return msg;
	}
	for (i = 0; i < w->nr_cgs; i++) {
		r.cgs[r.nr_cgs++] = w->cgs[i];
		ret = cg_make(w->cgs[i], w->weights[i]);
		if (ret) {
			snprintf(msg, len, "cgroup %s, weight %u: %s",
				 w->cgs[i], w->weights[i], strerror(-ret));
			fail = msg;
			goto out;
		}
	}
	for (i = 0; i < w->nr_leaves; i++) {
		struct loader *l = &r.l[r.nr_loaders++];

		l->cgroup = w->leaves[i];
		l->pid = 0;
		if (load_start(l, CLASS, 0, 0)) {
			snprintf(msg, len, "loader in %s did not start",
				 l->cgroup);
			fail = msg;
			goto out;
		}
	}
	sleep_s(RAMP);
	if (measure_shares(CLASS, r.l, r.nr_loaders, w->leaves, w->ideal,
			   w->nr_leaves, window, m)) {
		snprintf(msg, len,
			 "no launches completed, or no device time in %s/usage",
			 VCS_DEBUGFS "/" CLASS);
		fail = msg;
	}
out:
	stop = stop_all(&r, stop_msg, sizeof(stop_msg));
	if (stop && !fail) {
		snprintf(msg, len, "%s", stop);
		fail = msg;
	}
	cg_cleanup(r.cgs, r.nr_cgs);
	return fail;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s [-w SECONDS]\n"
		"  shares of class \"%s\" against cgroup weights under fair, fcfs and rr;\n"
		"  each measured over SECONDS (default 5) after %.0f s of ramp\n",
		prog, CLASS, RAMP);
}

int main(int argc, char **argv)
{
	double window = 5;
	struct shares m;
	const char *fail;
	unsigned int p, k;
	char msg[512], pfx[16];
	int c, i;

	while ((c = getopt(argc, argv, "w:h")) != -1) {
		switch (c) {
		case 'w':
			window = strtod(optarg, NULL);
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return 2;
		}
	}
	if (optind != argc || !(window > 0)) {
		help(stderr);
		return 2;
	}
	if (access(VCS_SYSFS "/" CLASS, F_OK)) {
		fprintf(stderr, "%s: no %s: vcore_sched or vaal_cpu is not loaded\n",
			prog, VCS_SYSFS "/" CLASS);
		return 2;
	}
	if (cg_init()) {
		fprintf(stderr, "%s: no cgroup v2 with the cpu controller\n",
			prog);
		return 2;
	}
	/* The VM's console interleaves stdout and stderr: a line at a time. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (p = 0; p < sizeof(policies) / sizeof(*policies); p++)
		for (k = 0; k < sizeof(workloads) / sizeof(*workloads); k++) {
			const struct workload *w = &workloads[k];

			fail = run_one(w, policies[p], window, &m, msg,
				       sizeof(msg));
			if (fail) {
				fprintf(stderr, "%s: %s %s: %s\n", prog,
					policies[p], w->name, fail);
				set_policy(CLASS, "fair");
				return 1;
			}
			printf("# %s %s, observed:", policies[p], w->name);
			for (i = 0; i < w->nr_leaves; i++)
				printf(" %s %.2f%% (%ld launches, ran dry %ld times)",
				       w->leaves[i], m.obs[i], m.launches[i],
				       m.dry[i]);
			printf(" (ideal");
			for (i = 0; i < w->nr_leaves; i++)
				printf(" %.2f", w->ideal[i]);
			printf(")\n# %s %s, vcore_sched's usage:", policies[p],
			       w->name);
			for (i = 0; i < w->nr_leaves; i++)
				printf(" %s %.2f%% (%.2f ms/launch)",
				       w->leaves[i], m.sched[i],
				       m.ns_per_launch[i] / 1e6);
			printf(" (max error %.2f points)\n", m.sched_err);
			if (!strcmp(policies[p], "fair"))
				pfx[0] = 0;
			else
				snprintf(pfx, sizeof(pfx), "%s_", policies[p]);
			printf("bench vcs.vm.share_err_%s%s %.1f points\n",
			       pfx, w->metric, m.err);
			printf("bench vcs.vm.share_relerr_min_%s%s %.1f percent\n",
			       pfx, w->metric, m.relerr_min);
		}

	if (set_policy(CLASS, "fair")) {
		fprintf(stderr, "%s: policy fair could not be restored\n", prog);
		return 1;
	}
	return 0;
}
