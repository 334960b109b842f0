// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - a VM made all or nothing, and taken apart again
 *
 * State lives in $VCOREVM_RUN (/run/vcore):
 *
 *   lock              flock()ed across check and apply, release, bind:
 *                     two applies racing for the last unit of something
 *                     are judged one after the other
 *   vms/NAME/spec.toml  the spec as applied: what the VM booked
 *   vms/NAME/journal  one line per step, written (and synced) before the
 *                     step is taken: "do KIND ARGS...", then "state S"
 *                     (applied, prepared, bound, releasing)
 *   host.journal      what vcorevm changed on the host for all its VMs
 *                     (cgroup slices it made, controllers it enabled, the
 *                     /dev/vcore directory), undone with the last VM
 *
 * A failure at any step undoes the steps before it, in reverse, and
 * removes the VM's directory: nothing is left.  A killed apply leaves its
 * journal: "release NAME" undoes what it lists, each undo idempotent (a
 * step written but not taken finds nothing to undo).
 *
 * For tests, VCOREVM_FAIL_STEP=N fails step N before it is taken, and
 * VCOREVM_KILL_STEP=N kills vcorevm (SIGKILL) right after taking it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "vcorevm.h"

#define JOURNAL_LINE	1024

const char *run_dir(void)
{
	const char *d = getenv("VCOREVM_RUN");

	return d && *d ? d : RUN_DIR_DFL;
}

int vm_dir(const char *name, char *buf, size_t len)
{
	if (valid_vm_name(name))
		return -EINVAL;
	strf(buf, len, "%s/vms/%s", run_dir(), name);
	return 0;
}

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *p;

	strf(buf, sizeof(buf), "%s", dir);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * lock_host - serialize vcorevm's judges and changes on this host
 * @exclusive: for apply, release, bind; shared for check and show
 *
 * The descriptor stays open (and the lock held) until vcorevm exits, and
 * is the one every later call uses: a second open file of the lock would
 * wait for the first (flock() locks belong to open files), as "release A
 * B" does with one lock per VM.
 *
 * Return: 0, or a negative errno after saying why.
 */
int lock_host(bool exclusive)
{
	static int held_fd = -1;
	static bool held_ex;
	char path[PATH_MAX];
	int fd, ret;

	if (held_fd >= 0 && (held_ex || !exclusive))
		return 0;
	if (held_fd >= 0) {
		/* Shared to exclusive, on the same open file. */
		if (flock(held_fd, LOCK_EX)) {
			ret = -errno;
			err_msg("cannot lock %s/lock: %s", run_dir(), strerror(errno));
			return ret;
		}
		held_ex = true;
		return 0;
	}

	ret = mkdir_p(run_dir());
	strf(path, sizeof(path), "%s/vms", run_dir());
	if (!ret)
		ret = mkdir_p(path);
	if (ret) {
		err_msg("cannot make %s: %s", path, strerror(-ret));
		return ret;
	}
	strf(path, sizeof(path), "%s/lock", run_dir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && !exclusive && errno == EACCES)
		return 0;	/* a reader without the right to lock */
	if (fd < 0 || flock(fd, exclusive ? LOCK_EX : LOCK_SH)) {
		ret = -errno;
		err_msg("cannot lock %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	held_fd = fd;
	held_ex = exclusive;
	return 0;
}

/* ---- the journal ----------------------------------------------------------- */

struct journal {
	int fd;
	const char *name;
	int step;
	int fail_at, kill_at;
};

static int jwrite(int fd, const char *fmt, ...)
	__printf(2, 3);

static int jwrite(int fd, const char *fmt, ...)
{
	char line[JOURNAL_LINE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		return -ENAMETOOLONG;
	line[n++] = '\n';
	if (write(fd, line, n) != n || fdatasync(fd))
		return -errno ? -errno : -EIO;
	return 0;
}

static int env_int(const char *name)
{
	const char *s = getenv(name);

	return s && *s ? atoi(s) : 0;
}

/*
 * Step "KIND ARGS": written to the journal before it is taken.  Returns
 * -ECANCELED for an injected failure.
 */
static int step_begin(struct journal *j, const char *fmt, ...)
	__printf(2, 3);

static int step_begin(struct journal *j, const char *fmt, ...)
{
	char line[JOURNAL_LINE];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	j->step++;
	ret = jwrite(j->fd, "do %s", line);
	if (ret)
		return ret;
	if (j->step == j->fail_at) {
		err_msg("%s: step %d (%s): injected failure (VCOREVM_FAIL_STEP)",
			j->name, j->step, line);
		return -ECANCELED;
	}
	return 0;
}

/* The step is taken: a test may kill us here. */
static void step_done(struct journal *j)
{
	if (j->step == j->kill_at) {
		fprintf(stderr, "%s: %s: killed after step %d (VCOREVM_KILL_STEP)\n",
			prog, j->name, j->step);
		raise(SIGKILL);
	}
}

/**
 * journal_state - where a VM's journal says it is
 * @dir: the VM's directory
 * @state: "applying" (no state line: an apply that did not finish),
 *	"applied", "prepared", "bound" or "releasing"
 * @len: room at @state
 * @cgroup: the VM's cgroup when the journal names one (else untouched)
 * @cglen: room at @cgroup
 *
 * Return: 0 or a negative errno.
 */
int journal_state(const char *dir, char *state, size_t len, char *cgroup,
		  size_t cglen)
{
	char path[PATH_MAX], *text, *line, *save;

	strf(path, sizeof(path), "%s/journal", dir);
	text = file_slurp(path);
	if (!text)
		return -errno;
	strf(state, len, "applying");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "state ", 6))
			strf(state, len, "%s", line + 6);
		else if (!strncmp(line, "do cgroup ", 10) ||
			 !strncmp(line, "do scope ", 9))
			strf(cgroup, cglen, "%s", strchr(line + 3, ' ') + 1);
	}
	free(text);
	return 0;
}

/* ---- cgroups ---------------------------------------------------------------- */

static int cgroup_root(char *buf, size_t len)
{
	char line[PATH_MAX + 256], dir[PATH_MAX], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	int ret = -ENOENT;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			strf(buf, len, "%s", dir);
			ret = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		if ((p == text || p[-1] == ' ') && (!p[n] || p[n] == ' ' || p[n] == '\n'))
			return true;
		p += n;
	}
	return false;
}

/* The names of @dir's child cgroups, comma-separated. */
static void child_cgroups(const char *dir, char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	buf[0] = '\0';
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		n += strf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
			      de->d_name);
	}
	if (d)
		closedir(d);
	if (n >= len)
		buf[0] = '\0';
}

/* A line of the host journal: what vcorevm changed for all its VMs. */
static int host_note(const char *fmt, ...) __printf(1, 2);

static int host_note(const char *fmt, ...)
{
	char path[PATH_MAX], line[JOURNAL_LINE * 4];
	va_list ap;
	int fd, ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strf(path, sizeof(path), "%s/host.journal", run_dir());
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ret = jwrite(fd, "%s", line);
	close(fd);
	return ret;
}

/* The cpu controller for the children of cgroupfs directory @dir. */
static int enable_cpu(const char *dir)
{
	char path[PATH_MAX], *text, children[JOURNAL_LINE * 3];
	bool on;
	int ret;

	strf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	text = file_slurp(path);
	if (!text)
		return -errno;
	on = has_word(text, "cpu");
	free(text);
	if (on)
		return 0;
	/* Who was there before: undone only if no newcomer relies on it. */
	child_cgroups(dir, children, sizeof(children));
	ret = host_note("subtree %s %s", dir, *children ? children : "-");
	return ret ?: file_write(path, "+cpu");
}

/*
 * The partition's slices, made where missing, with the cpu controller
 * down to the VM's cgroup; the host journal keeps what was made.
 */
static int make_slices(const char *root, const char *part, char *why,
		       size_t whylen)
{
	char dir[PATH_MAX];
	const char *p = part;
	size_t n;
	int ret = enable_cpu(root);

	strf(dir, sizeof(dir), "%s", root);
	while (!ret && p) {
		p = strchr(p + 1, '/');
		n = p ? (size_t)(p - part) : strlen(part);
		strf(dir, sizeof(dir), "%s%.*s", root, (int)n, part);
		if (!mkdir(dir, 0755))
			ret = host_note("slice %s", dir);
		else if (errno != EEXIST)
			ret = -errno;
		if (!ret)
			ret = enable_cpu(dir);
	}
	if (ret)
		strf(why, whylen, "%s: %s", dir, strerror(-ret));
	return ret;
}

/* The processes in cgroup @dir (and below), as "pid pid..."; 0 when none. */
static int cgroup_pids(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX], *text, *p;
	int n = 0;
	DIR *d;
	struct dirent *de;

	strf(path, sizeof(path), "%s/cgroup.procs", dir);
	text = file_slurp(path);
	for (p = text ? strtok(text, "\n") : NULL; p; p = strtok(NULL, "\n")) {
		size_t l = strlen(buf);

		strf(buf + l, len - l, "%s%s", l ? " " : "", p);
		n++;
	}
	free(text);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		strf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n += cgroup_pids(path, buf, len);
	}
	if (d)
		closedir(d);
	return n;
}

/* ---- vcore_sched's partitions ---------------------------------------------- */

/*
 * Class @class's partitions file rewritten: the lines whose cgroup is
 * @cgroup with units @units dropped ("(removed)" lines too: they cannot be
 * written back), then @add appended when not NULL.
 */
static int partitions_edit(const char *class, const char *units,
			   const char *cgroup, const char *add)
{
	char path[PATH_MAX], *text, *line, *save, u[128], cg[256];
	size_t cap, n = 0;
	char *out;
	int ret;

	strf(path, sizeof(path), "%s/%s/partitions", VCS_SYSFS, class);
	text = file_slurp(path);
	if (!text)
		return -errno;
	cap = strlen(text) + (add ? strlen(add) : 0) + 16;
	out = calloc(1, cap);
	if (!out) {
		free(text);
		return -ENOMEM;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%127s %255s", u, cg) != 2 ||
		    !strcmp(cg, "(removed)") ||
		    (!strcmp(cg, cgroup) && !strcmp(u, units)))
			continue;
		n += strf(out + n, cap - n, "%s%s", n ? "\n" : "", line);
	}
	if (add)
		n += strf(out + n, cap - n, "%s%s", n ? "\n" : "", add);
	ret = file_write(path, n ? out : "none");
	free(out);
	free(text);
	return ret;
}

/* ---- undo ----------------------------------------------------------------------- */

/* Undo one journal line "do KIND ARGS"; 0 when undone or nothing to undo. */
static int undo(const char *name, char *line, bool quiet)
{
	char why[512] = "", path[PATH_MAX], *kind, *a, *b, *c, *d, *save;
	struct stat st;
	int ret = 0;

	kind = strtok_r(line + 3, " ", &save);
	a = strtok_r(NULL, " ", &save);
	b = strtok_r(NULL, " ", &save);
	c = strtok_r(NULL, " ", &save);
	d = strtok_r(NULL, " ", &save);
	if (!kind || !a)
		return 0;
	if (!strcmp(kind, "cgroup")) {
		if (rmdir(a) && errno != ENOENT)
			ret = -errno;
	} else if (!strcmp(kind, "vif")) {
		ret = vdpa_dev_del(a, why, sizeof(why));
		if (ret == -ENODEV || ret == -ENOENT)
			ret = 0;
	} else if (!strcmp(kind, "link")) {
		if (unlink(a) && errno != ENOENT)
			ret = -errno;
	} else if (!strcmp(kind, "mdev")) {
		strf(path, sizeof(path), MDEV_DEVICES "/%s", a);
		if (!stat(path, &st)) {
			strf(path, sizeof(path), MDEV_DEVICES "/%s/remove", a);
			ret = file_write(path, "1");
			if (ret == -ENOENT || ret == -ENODEV)
				ret = 0;
		}
	} else if (!strcmp(kind, "reserve")) {
		strf(path, sizeof(path), MDEV_DEVICES "/%s/vaal/reserve", a);
		if (!stat(path, &st)) {
			ret = file_write(path, "none");
			if (ret == -ENOENT || ret == -ENODEV)
				ret = 0;
		}
	} else if (!strcmp(kind, "partition") && b && c) {
		/* partition CLASS CGROUP UNITS [exclusive] */
		strf(path, sizeof(path), "%s/%s/partitions", VCS_SYSFS, a);
		if (!stat(path, &st))
			ret = partitions_edit(a, c, b, NULL);
		(void)d;
	}
	/* vhost, rate, vlan, weight, scope: gone with what they were of. */
	if (ret && !quiet)
		err_msg("%s: cannot roll back '%s %s': %s%s%s", name, kind, a,
			strerror(-ret), *why ? ": " : "", why);
	return ret;
}

/* Undo every step of @dir's journal, last first; 0 when all are undone. */
static int undo_journal(const char *name, const char *dir, bool quiet)
{
	char path[PATH_MAX], *text, **lines = NULL, *line, *save;
	unsigned int n = 0, i;
	int ret = 0, fd;

	strf(path, sizeof(path), "%s/journal", dir);
	text = file_slurp(path);
	if (!text)
		return errno == ENOENT ? 0 : -errno;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		jwrite(fd, "state releasing");
		close(fd);
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char **p;

		if (strncmp(line, "do ", 3))
			continue;
		p = realloc(lines, (n + 1) * sizeof(*lines));
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		lines = p;
		lines[n++] = line;
	}
	for (i = n; !ret && i-- > 0;)
		if (undo(name, lines[i], quiet))
			ret = -EBUSY;
	/* On with the others after one that failed: less left behind. */
	if (ret == -EBUSY)
		for (; i-- > 0;)
			undo(name, lines[i], quiet);
	free(lines);
	free(text);
	return ret;
}

static int rm_vm_dir(const char *dir)
{
	char path[PATH_MAX];

	strf(path, sizeof(path), "%s/journal", dir);
	unlink(path);
	strf(path, sizeof(path), "%s/spec.toml", dir);
	unlink(path);
	return rmdir(dir) ? -errno : 0;
}

static bool any_vm(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool any = false;
	DIR *d;

	strf(path, sizeof(path), "%s/vms", run_dir());
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			any = true;
	if (d)
		closedir(d);
	return any;
}

/* With the last VM gone, what vcorevm changed on the host goes too. */
static void host_cleanup(void)
{
	char path[PATH_MAX], *text, **lines = NULL, *line, *save, kids[JOURNAL_LINE * 3];
	char keep[JOURNAL_LINE * 4 * 8] = "";
	unsigned int n = 0, i;
	size_t k = 0;
	int fd;

	if (any_vm())
		return;
	strf(path, sizeof(path), "%s/host.journal", run_dir());
	text = file_slurp(path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char **p = realloc(lines, (n + 1) * sizeof(*lines));

		if (!p)
			break;
		lines = p;
		lines[n++] = line;
	}
	for (i = n; i-- > 0;) {
		char *kind = lines[i], *a, *b, buf[JOURNAL_LINE * 4];
		bool done = false;

		strf(buf, sizeof(buf), "%s", lines[i]);
		a = strchr(kind, ' ');
		if (!a)
			continue;
		*a++ = '\0';
		b = strchr(a, ' ');
		if (b)
			*b++ = '\0';
		if (!strcmp(kind, "slice") || !strcmp(kind, "dir")) {
			done = !rmdir(a) || errno == ENOENT;
		} else if (!strcmp(kind, "subtree") && b) {
			char p2[PATH_MAX];

			child_cgroups(a, kids, sizeof(kids));
			strf(p2, sizeof(p2), "%s/cgroup.subtree_control", a);
			if (!strcmp(kids, strcmp(b, "-") ? b : ""))
				done = !file_write(p2, "-cpu");
			else
				done = access(a, F_OK) != 0;
		}
		if (!done)
			k += strf(keep + k, k < sizeof(keep) ? sizeof(keep) - k : 0,
				      "%s\n", buf);
	}
	free(lines);
	free(text);
	if (!k) {
		unlink(path);
		return;
	}
	/* What stays (in use by others) is kept for the next last VM. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, keep, strlen(keep)) < 0)
			err_msg("cannot rewrite %s: %s", path, strerror(errno));
		close(fd);
	}
}

/* ---- apply ------------------------------------------------------------------- */

void vif_link(const struct spec_vif *v, char *buf, size_t len)
{
	strf(buf, len, VIF_LINK_DIR "/%s", v->name);
}

static int apply_cgroup(struct journal *j, const struct vm_spec *spec,
			const char *root, char *why, size_t whylen)
{
	char part[256], cg[256], dir[PATH_MAX], path[PATH_MAX + 16], w[16];
	int ret;

	partition_cgroup(spec->partition, part, sizeof(part));
	vm_cgroup(spec, cg, sizeof(cg));
	strf(dir, sizeof(dir), "%s%s", root, cg);
	ret = step_begin(j, "slices %s", part);
	if (ret)
		return ret;
	ret = make_slices(root, part, why, whylen);
	if (ret)
		return ret;
	step_done(j);
	ret = step_begin(j, "cgroup %s", dir);
	if (ret)
		return ret;
	if (mkdir(dir, 0755)) {
		ret = -errno;
		strf(why, whylen, "mkdir %s: %s", dir, strerror(errno));
		return ret;
	}
	step_done(j);
	ret = step_begin(j, "weight %s %u", dir, spec->weight);
	if (ret)
		return ret;
	strf(path, sizeof(path), "%s/cpu.weight", dir);
	strf(w, sizeof(w), "%u", spec->weight);
	ret = file_write(path, w);
	if (ret) {
		strf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	step_done(j);
	return 0;
}

static int apply_vif(struct journal *j, const struct spec_vif *v, char *why,
		     size_t whylen)
{
	char dev[64], link[PATH_MAX], rel[80], r[32];
	struct stat st;
	int ret;

	ret = step_begin(j, "vif %s %s", v->name, v->np);
	if (ret)
		return ret;
	ret = vdpa_dev_add(v->name, v->np, v->mac, v->mtu, why, whylen);
	if (ret)
		return ret;
	step_done(j);
	ret = step_begin(j, "vhost %s", v->name);
	if (ret)
		return ret;
	ret = vdpa_bind_vhost(v->name, dev, sizeof(dev));
	if (ret) {
		strf(why, whylen, "binding %s to vhost_vdpa: %s", v->name,
			 strerror(-ret));
		return ret;
	}
	step_done(j);
	vif_link(v, link, sizeof(link));
	ret = step_begin(j, "link %s %s", link, dev);
	if (ret)
		return ret;
	if (stat(VIF_LINK_DIR, &st)) {
		if (mkdir(VIF_LINK_DIR, 0755) && errno != EEXIST) {
			ret = -errno;
			strf(why, whylen, "mkdir %s: %s", VIF_LINK_DIR, strerror(errno));
			return ret;
		}
		ret = host_note("dir %s", VIF_LINK_DIR);
		if (ret)
			return ret;
	}
	/* Relative, as udev's links are: the same inside a QEMU namespace. */
	strf(rel, sizeof(rel), "..%s", dev + 4);
	unlink(link);
	if (symlink(rel, link)) {
		ret = -errno;
		strf(why, whylen, "symlink %s: %s", link, strerror(errno));
		return ret;
	}
	step_done(j);
	if (v->rate) {
		ret = step_begin(j, "rate %s %s", v->name, fmt_rate(v->rate, r, sizeof(r)));
		if (ret)
			return ret;
		ret = vif_set(v->name, v->rate, v->burst, -1, why, whylen);
		if (ret)
			return ret;
		step_done(j);
	}
	if (v->vlan) {
		ret = step_begin(j, "vlan %s %u", v->name, v->vlan);
		if (ret)
			return ret;
		ret = vif_set(v->name, 0, 0, v->vlan, why, whylen);
		if (ret)
			return ret;
		step_done(j);
	}
	return 0;
}

static int apply_mdev(struct journal *j, const struct vm_spec *spec, char *why,
		      size_t whylen)
{
	char path[PATH_MAX];
	int ret;

	ret = step_begin(j, "mdev %s %s", spec->mdev.uuid, spec->mdev.type);
	if (ret)
		return ret;
	strf(path, sizeof(path), MDEV_PARENT "/mdev_supported_types/%s/create",
		 spec->mdev.type);
	ret = file_write(path, spec->mdev.uuid);
	if (ret) {
		strf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	step_done(j);
	return 0;
}

/* The mdev's reservation: every context of the guest, now and later. */
static int apply_reserve(struct journal *j, const struct vm_spec *spec,
			 char *why, size_t whylen)
{
	const struct spec_accel *a = spec_reserving(spec);
	char path[PATH_MAX], text[96], b[32], p[32];
	int ret;

	if (!a)
		return 0;
	ret = step_begin(j, "reserve %s %s %s %s", spec->mdev.uuid, a->class,
			 fmt_ns(a->budget_ns, b, sizeof(b)),
			 fmt_ns(a->period_ns, p, sizeof(p)));
	if (ret)
		return ret;
	strf(path, sizeof(path), MDEV_DEVICES "/%s/vaal/reserve", spec->mdev.uuid);
	strf(text, sizeof(text), "%s %" PRIu64 " %" PRIu64, a->class,
		 a->budget_ns, a->period_ns);
	ret = file_write(path, text);
	if (ret) {
		strf(why, whylen, "%s: %s%s", path, strerror(-ret),
			 ret == -EBUSY ? " (a context of the guest does not admit it)" : "");
		return ret;
	}
	step_done(j);
	return 0;
}

/* Partitions of units for the VM's cgroup @cg (from cgroupfs's root). */
static int apply_partitions(struct journal *j, const struct vm_spec *spec,
			    const char *cg, char *why, size_t whylen)
{
	char u[128], line[512];
	unsigned int i;
	int ret;

	for (i = 0; i < spec->naccels; i++) {
		const struct spec_accel *a = &spec->accels[i];

		if (!a->units)
			continue;
		fmt_units(a->units, u, sizeof(u));
		ret = step_begin(j, "partition %s %s %s%s", a->class, cg, u,
				 a->exclusive ? " exclusive" : "");
		if (ret)
			return ret;
		strf(line, sizeof(line), "%s %s%s", u, cg,
			 a->exclusive ? " exclusive" : "");
		ret = partitions_edit(a->class, u, cg, line);
		if (ret) {
			strf(why, whylen, "%s/%s/partitions: '%s': %s", VCS_SYSFS,
				 a->class, line, strerror(-ret));
			return ret;
		}
		step_done(j);
	}
	return 0;
}

static int open_journal(struct journal *j, const char *dir, const char *name)
{
	char path[PATH_MAX];

	memset(j, 0, sizeof(*j));
	j->name = name;
	j->fail_at = env_int("VCOREVM_FAIL_STEP");
	j->kill_at = env_int("VCOREVM_KILL_STEP");
	strf(path, sizeof(path), "%s/journal", dir);
	j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	return j->fd < 0 ? -errno : 0;
}

static int write_spec(const char *dir, const struct vm_spec *spec)
{
	char path[PATH_MAX];
	size_t len = strlen(spec->text);
	int fd, ret = 0;

	strf(path, sizeof(path), "%s/spec.toml", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, spec->text, len) != (ssize_t)len || fdatasync(fd))
		ret = -EIO;
	close(fd);
	return ret;
}

/**
 * apply_spec - check a VM against the host and make it, all or nothing
 * @spec: the VM
 * @libvirt: for libvirt's hook: the cgroup is libvirt's, and what needs
 *	it (partitions, the reservation) waits for bind_vm()
 * @json: the verdicts of a refusal as JSON
 *
 * Return: the exit status: 0, or 1 when refused or failed (rolled back).
 */
int apply_spec(struct vm_spec *spec, bool libvirt, bool json)
{
	char dir[PATH_MAX], root[PATH_MAX], why[512] = "", cg[256];
	struct verdicts *vs;
	struct journal j;
	struct host h;
	unsigned int i;
	int ret;

	if (lock_host(true))
		return EXIT_REFUSED;
	vs = malloc(sizeof(*vs));
	if (!vs)
		return EXIT_REFUSED;
	host_collect(&h, spec);
	check_vm(spec, &h, true, vs);
	host_free(&h);
	if (vs->refused) {
		verdicts_print(spec, vs, json, json ? stdout : stderr);
		free(vs);
		return EXIT_REFUSED;
	}
	free(vs);
	if (cgroup_root(root, sizeof(root))) {
		err_msg("%s: no cgroup v2 mounted", spec->name);
		return EXIT_REFUSED;
	}
	vm_dir(spec->name, dir, sizeof(dir));
	if (mkdir(dir, 0700) || write_spec(dir, spec) ||
	    open_journal(&j, dir, spec->name)) {
		err_msg("%s: cannot record it in %s: %s", spec->name, dir,
			strerror(errno));
		rm_vm_dir(dir);
		return EXIT_REFUSED;
	}
	ret = jwrite(j.fd, "mode %s", libvirt ? "libvirt" : "plain");
	if (!ret && !libvirt)
		ret = apply_cgroup(&j, spec, root, why, sizeof(why));
	for (i = 0; !ret && i < spec->nvifs; i++)
		ret = apply_vif(&j, &spec->vifs[i], why, sizeof(why));
	if (!ret && spec->mdev.present)
		ret = apply_mdev(&j, spec, why, sizeof(why));
	if (!ret && !libvirt && spec->mdev.present)
		ret = apply_reserve(&j, spec, why, sizeof(why));
	vm_cgroup(spec, cg, sizeof(cg));
	if (!ret && !libvirt)
		ret = apply_partitions(&j, spec, cg, why, sizeof(why));
	if (!ret)
		ret = jwrite(j.fd, "state %s", libvirt ? "prepared" : "applied");
	close(j.fd);
	if (!ret) {
		printf("%s: %s (%d steps)\n", spec->name,
		       libvirt ? "prepared for libvirt" : "applied", j.step);
		return 0;
	}
	if (ret != -ECANCELED)
		err_msg("%s: apply failed at step %d: %s", spec->name, j.step,
			*why ? why : strerror(-ret));
	if (undo_journal(spec->name, dir, false)) {
		err_msg("%s: rollback incomplete: 'vcorevm release %s' retries it",
			spec->name, spec->name);
		return EXIT_REFUSED;
	}
	rm_vm_dir(dir);
	host_cleanup();
	err_msg("%s: rolled back: nothing is left", spec->name);
	return EXIT_REFUSED;
}

/* ---- bind: what needs the VM's processes -------------------------------------- */

/* The /dev/vaal descriptors of @pid into @fds; how many. */
static int vaal_fds(int pid, dev_t rdev, int *fds, int max)
{
	char path[64], fdpath[320];
	struct dirent *de;
	struct stat st;
	int n = 0;
	DIR *d;

	strf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	while (d && (de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		strf(fdpath, sizeof(fdpath), "%s/%s", path, de->d_name);
		if (!stat(fdpath, &st) && S_ISCHR(st.st_mode) && st.st_rdev == rdev)
			fds[n++] = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * The VM's reservation on the contexts its processes hold (in cgroup
 * @cg, a cgroupfs path): each /dev/vaal descriptor of theirs, taken with
 * pidfd_getfd() (ptrace permission), up to the contexts the spec booked.
 * The guest's contexts are its mdev's: those get it through the mdev.
 */
static int bind_contexts(struct journal *j, const struct vm_spec *spec,
			 const char *cg, unsigned int *bound, char *why,
			 size_t whylen)
{
	const struct spec_accel *a = spec_reserving(spec);
	char pids[4096] = "", *p, *save, b[32], q[32];
	struct vaal_sched_attr attr;
	int fds[64], nfd, i, pid, pidfd, tfd, ret;
	struct stat st;

	*bound = 0;
	if (!a || stat(VAAL_DEFAULT_PATH, &st))
		return 0;
	cgroup_pids(cg, pids, sizeof(pids));
	for (p = strtok_r(pids, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		pid = atoi(p);
		nfd = vaal_fds(pid, st.st_rdev, fds, ARRAY_SIZE(fds));
		for (i = 0; i < nfd; i++) {
			if (*bound == a->contexts) {
				fprintf(stderr, "%s: %s: warning: pid %d fd %d: more contexts than the %u booked: left without the reservation\n",
					prog, spec->name, pid, fds[i], a->contexts);
				continue;
			}
			ret = step_begin(j, "ctx %d %d %s %s/%s", pid, fds[i], a->class,
					 fmt_ns(a->budget_ns, b, sizeof(b)),
					 fmt_ns(a->period_ns, q, sizeof(q)));
			if (ret)
				return ret;
			pidfd = syscall(SYS_pidfd_open, pid, 0);
			tfd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, fds[i], 0);
			ret = tfd < 0 ? -errno : 0;
			if (pidfd >= 0)
				close(pidfd);
			if (!ret) {
				ret = vaal_sched_set(tfd, a->class, VAAL_SCHED_RESERVE,
						     a->budget_ns, a->period_ns, 0, &attr);
				close(tfd);
			}
			if (ret) {
				strf(why, whylen, "context fd %d of pid %d: %s%s%s", fds[i],
				     pid, strerror(-ret), tfd >= 0 && attr.reason ? ": " : "",
				     tfd >= 0 && attr.reason ? vaal_sched_reason(attr.reason) : "");
				return ret;
			}
			step_done(j);
			(*bound)++;
		}
	}
	return 0;
}

/* ---- bind (libvirt: once QEMU runs) ------------------------------------------ */

/*
 * The VM's scope: the cgroup of @pid up to its first ".scope" (libvirt
 * puts QEMU's threads in scope/libvirt/{emulator,vcpuN}).
 */
static int pid_scope(int pid, char *buf, size_t len)
{
	char path[64], line[PATH_MAX], *p, *end;
	FILE *f;

	strf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		p = line + 3;
		p[strcspn(p, "\n")] = '\0';
		end = strstr(p, ".scope/");
		if (end) {
			end[6] = '\0';
		} else {
			end = strstr(p, "/libvirt");
			if (end && (!end[8] || end[8] == '/'))
				*end = '\0';
		}
		strf(buf, len, "%s", p);
	}
	fclose(f);
	return *buf ? 0 : -ENOENT;
}

static int libvirt_pid(const char *name)
{
	const char *dir = getenv("VCOREVM_LIBVIRT_PIDDIR");
	char path[PATH_MAX], buf[32];

	strf(path, sizeof(path), "%s/%s.pid", dir && *dir ? dir : LIBVIRT_PIDDIR,
		 name);
	if (file_read(path, buf, sizeof(buf)))
		return -1;
	return atoi(buf) > 0 ? atoi(buf) : -1;
}

/**
 * bind_vm - what a VM needs its running processes for
 * @name: the VM
 * @pid: QEMU's, or 0 for libvirt's pid file
 *
 * A VM prepared for libvirt: QEMU's scope gets the spec's weight (libvirt
 * wrote it from <shares> already: checked), the spec's partitions name
 * the scope, and the mdev its reservation.  Any VM: the contexts its
 * processes hold on /dev/vaal get the reservation too (up to those booked).
 *
 * Return: the exit status.
 */
int bind_vm(const char *name, int pid)
{
	char dir[PATH_MAX], path[PATH_MAX], root[PATH_MAX], scope[PATH_MAX];
	char state[32], cg[256] = "", why[512] = "", w[32], full[PATH_MAX];
	struct vm_spec spec;
	struct journal j;
	unsigned int n = 0;
	bool libvirt;
	int ret;

	if (vm_dir(name, dir, sizeof(dir)))
		return usage_error("not a VM name: '%s'", name);
	if (lock_host(true))
		return EXIT_REFUSED;
	if (journal_state(dir, state, sizeof(state), cg, sizeof(cg))) {
		err_msg("%s: not managed by vcorevm (no %s)", name, dir);
		return EXIT_REFUSED;
	}
	libvirt = !strcmp(state, "prepared");
	if (!libvirt && strcmp(state, "applied") && strcmp(state, "bound")) {
		err_msg("%s: %s: nothing to bind", name, state);
		return EXIT_REFUSED;
	}
	strf(path, sizeof(path), "%s/spec.toml", dir);
	if (spec_load(path, &spec) || cgroup_root(root, sizeof(root)) ||
	    open_journal(&j, dir, name)) {
		spec_free(&spec);
		err_msg("%s: cannot read what it applied", name);
		return EXIT_REFUSED;
	}
	ret = 0;
	if (libvirt) {
		if (!pid)
			pid = libvirt_pid(name);
		ret = pid > 0 ? pid_scope(pid, scope, sizeof(scope)) : -ESRCH;
		if (ret)
			strf(why, sizeof(why), "no cgroup of QEMU's (pid %d, libvirt's pid file)",
			     pid);
		if (!ret)
			ret = step_begin(&j, "scope %s%s", root, scope);
		if (!ret) {
			step_done(&j);
			strf(path, sizeof(path), "%s%s/cpu.weight", root, scope);
			if (file_read(path, w, sizeof(w)) ||
			    (unsigned int)atoi(w) != spec.weight) {
				ret = step_begin(&j, "weight %s%s %u", root, scope,
						 spec.weight);
				strf(w, sizeof(w), "%u", spec.weight);
				if (!ret)
					ret = file_write(path, w);
				if (!ret)
					step_done(&j);
				else if (ret != -ECANCELED)
					strf(why, sizeof(why), "%s: %s", path, strerror(-ret));
			}
		}
		if (!ret && spec.mdev.present)
			ret = apply_reserve(&j, &spec, why, sizeof(why));
		if (!ret)
			ret = apply_partitions(&j, &spec, scope, why, sizeof(why));
		strf(cg, sizeof(cg), "%s%s", root, scope);
	}
	strf(full, sizeof(full), "%s", cg);
	if (!ret && *full)
		ret = bind_contexts(&j, &spec, full, &n, why, sizeof(why));
	if (!ret && libvirt)
		ret = jwrite(j.fd, "state bound");
	close(j.fd);
	spec_free(&spec);
	if (!ret) {
		printf("%s: bound%s%s, %u context%s of its processes reserved\n",
		       name, libvirt ? " in " : "", libvirt ? scope : "", n,
		       n == 1 ? "" : "s");
		return 0;
	}
	if (ret != -ECANCELED)
		err_msg("%s: bind failed: %s", name, *why ? why : strerror(-ret));
	return EXIT_REFUSED;
}

/* ---- release ---------------------------------------------------------------- */

/**
 * release_vm - take a VM apart, idempotently
 * @name: the VM
 * @force: kill what still runs in its cgroup first
 * @quiet: say nothing of a VM that is not there
 *
 * Return: the exit status.
 */
int release_vm(const char *name, bool force, bool quiet)
{
	char dir[PATH_MAX], state[32], cg[256] = "", pids[1024] = "", path[PATH_MAX];
	struct stat st;
	int i;

	if (vm_dir(name, dir, sizeof(dir)))
		return usage_error("not a VM name: '%s'", name);
	if (lock_host(true))
		return EXIT_REFUSED;
	if (stat(dir, &st)) {
		if (!quiet)
			printf("%s: not there: nothing to release\n", name);
		return 0;
	}
	if (journal_state(dir, state, sizeof(state), cg, sizeof(cg)))
		strf(state, sizeof(state), "applying");
	if (*cg && cgroup_pids(cg, pids, sizeof(pids))) {
		if (!force) {
			err_msg("%s: still runs: process %s in %s (stop it, or release --force)",
				name, pids, cg);
			return EXIT_REFUSED;
		}
		strf(path, sizeof(path), "%s/cgroup.kill", cg);
		file_write(path, "1");
		for (i = 0; i < 100; i++) {
			pids[0] = '\0';
			if (!cgroup_pids(cg, pids, sizeof(pids)))
				break;
			usleep(100000);
		}
		if (*pids) {
			err_msg("%s: process %s in %s would not die", name, pids, cg);
			return EXIT_REFUSED;
		}
	}
	if (undo_journal(name, dir, false)) {
		err_msg("%s: not all released; run release again", name);
		return EXIT_REFUSED;
	}
	if (rm_vm_dir(dir)) {
		err_msg("%s: cannot remove %s: %s", name, dir, strerror(errno));
		return EXIT_REFUSED;
	}
	host_cleanup();
	printf("%s: released (was %s)\n", name, state);
	return 0;
}

/* ---- show ------------------------------------------------------------------ */

static void show_vm(const char *name, struct json_writer *jw)
{
	char dir[PATH_MAX], path[PATH_MAX], state[32], cg[256] = "";
	char mode[16] = "?", *text, *line, *save;
	bool quiet = diag_quiet;

	vm_dir(name, dir, sizeof(dir));
	if (journal_state(dir, state, sizeof(state), cg, sizeof(cg)))
		strf(state, sizeof(state), "broken");
	strf(path, sizeof(path), "%s/journal", dir);
	text = file_slurp(path);
	if (jw) {
		jsonw_start_object(jw);
		jsonw_string_field(jw, "name", name);
		jsonw_string_field(jw, "state", state);
		jsonw_string_field(jw, "cgroup", cg);
		jsonw_name(jw, "steps");
		jsonw_start_array(jw);
	} else {
		printf("%s: %s%s%s\n", name, state, *cg ? ", cgroup " : "", cg);
	}
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "mode ", 5))
			strf(mode, sizeof(mode), "%s", line + 5);
		if (strncmp(line, "do ", 3))
			continue;
		if (jw)
			jsonw_string(jw, line + 3);
		else
			printf("    %s\n", line + 3);
	}
	free(text);
	if (jw) {
		jsonw_end_array(jw);
		jsonw_string_field(jw, "mode", mode);
		jsonw_end_object(jw);
	}
	diag_quiet = quiet;
}

int cmd_show(int argc, char **argv)
{
	struct json_writer *jw = NULL;
	char path[PATH_MAX];
	struct dirent **names;
	int n, i, shown = 0;

	if (argc > 1)
		return usage_error("show: unexpected '%s'", argv[1]);
	lock_host(false);
	strf(path, sizeof(path), "%s/vms", run_dir());
	n = scandir(path, &names, NULL, alphasort);
	if (json_out) {
		jw = jsonw_new(stdout);
		if (!jw)
			return EXIT_REFUSED;
		jsonw_start_array(jw);
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' &&
		    (argc < 1 || !strcmp(argv[0], names[i]->d_name)) &&
		    !valid_vm_name(names[i]->d_name)) {
			show_vm(names[i]->d_name, jw);
			shown++;
		}
		free(names[i]);
	}
	if (n > 0)
		free(names);
	if (jw) {
		jsonw_end_array(jw);
		jsonw_destroy(&jw);
	} else if (!shown) {
		printf("no VMs%s%s\n", argc ? " named " : "", argc ? argv[0] : "");
	}
	return argc && !shown ? EXIT_REFUSED : 0;
}

/* ---- exec: QEMU in the VM's cgroup ---------------------------------------- */

int cmd_exec(int argc, char **argv)
{
	char dir[PATH_MAX], state[32], cg[256] = "", path[PATH_MAX], pid[32];
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	int ret;

	if (argc < 3 || strcmp(argv[1], "--"))
		return usage_error("exec NAME -- COMMAND [ARG...]");
	if (vm_dir(argv[0], dir, sizeof(dir)))
		return usage_error("not a VM name: '%s'", argv[0]);
	if (journal_state(dir, state, sizeof(state), cg, sizeof(cg)) ||
	    strcmp(state, "applied") || !*cg) {
		err_msg("%s: not applied by 'vcorevm apply' (%s)", argv[0],
			*state ? state : "unknown");
		return EXIT_REFUSED;
	}
	strf(path, sizeof(path), "%s/cgroup.procs", cg);
	strf(pid, sizeof(pid), "%d", getpid());
	ret = file_write(path, pid);
	if (ret) {
		err_msg("%s: cannot move into %s: %s", argv[0], cg, strerror(-ret));
		return EXIT_REFUSED;
	}
	/* vhost-vdpa pins all of the guest's memory. */
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		fprintf(stderr, "%s: warning: RLIMIT_MEMLOCK stays: %s\n", prog,
			strerror(errno));
	execvp(argv[2], argv + 2);
	err_msg("cannot run %s: %s", argv[2], strerror(errno));
	return 127;
}
