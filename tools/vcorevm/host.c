// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - what the host has, as admission control reads it
 *
 * Live (host_collect()): memory and CPUs from /proc, cgroup v2, svnic's
 * NPs and VIFs through its genetlink family, vdpa devices, vcore_sched's
 * classes (units, rt_limit, partitions) and the reservations admitted on
 * each (per context from its debugfs table, else the class's sum through
 * VAAL_IOC_SCHED_GET on a context of our own), the VAAL mdev types and
 * devices, and the VMs vcorevm manages with what they booked.
 *
 * The same state prints as a TOML file ("vcorevm host") and reads back
 * from one (check --host FILE): what a check saw can be kept, and the
 * checks can be tested against hosts that do not exist.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/libvaal.h"
#include "../lib/svnic_nl.h"
#include "vcorevm.h"

#define SLURP_MAX	(1 << 20)

/* ---- files -------------------------------------------------------------- */

/* The first line of a file, without its newline. */
int file_read(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (!ok)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* All of a file, NUL-terminated; NULL with errno set. */
char *file_slurp(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf, *p;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		if (len + 1 == cap) {
			p = cap < SLURP_MAX ? realloc(buf, 2 * cap) : NULL;
			if (!p) {
				errno = EFBIG;
				goto fail;
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;

fail:
	n = errno;
	free(buf);
	close(fd);
	errno = n;
	return NULL;
}

/* @text in one write(); 0 or -errno. */
int file_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int file_u64(const char *path, uint64_t *v)
{
	char buf[64], *end;
	int ret = file_read(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EIO;
	return 0;
}

#define GROW(arr, n) ({							\
	void *__p = realloc((arr), ((n) + 1) * sizeof(*(arr)));		\
	if (__p) {							\
		(arr) = __p;						\
		memset(&(arr)[(n)], 0, sizeof(*(arr)));			\
	}								\
	__p ? &(arr)[(n)++] : NULL;					\
})

/* ---- live --------------------------------------------------------------- */

static void collect_mem(struct host *h)
{
	char line[256];
	unsigned long long kb;
	FILE *f = fopen("/proc/meminfo", "r");
	long n;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			h->mem_available = kb * 1024;
	if (f)
		fclose(f);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	h->cpus = n > 0 ? n : 1;
}

static void collect_cgroup(struct host *h)
{
	char line[PATH_MAX + 256], dir[PATH_MAX], type[64], path[PATH_MAX + 32];
	char *ctrl;
	FILE *f = fopen("/proc/self/mounts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			strf(h->cgroup_root, sizeof(h->cgroup_root), "%s", dir);
			break;
		}
	}
	if (f)
		fclose(f);
	if (!*h->cgroup_root)
		return;
	strf(path, sizeof(path), "%s/cgroup.controllers", h->cgroup_root);
	ctrl = file_slurp(path);
	if (ctrl) {
		for (char *tok = strtok(ctrl, "\n "); tok; tok = strtok(NULL, "\n "))
			if (!strcmp(tok, "cpu"))
				h->cgroup_cpu = true;
		free(ctrl);
	}
}

static int add_np(const struct svnic_np_info *np, void *arg)
{
	struct host *h = arg;
	struct host_np *n = GROW(h->nps, h->nnps);
	char path[128];
	uint64_t mbit;

	if (!n)
		return -ENOMEM;
	strf(n->name, sizeof(n->name), "%s", np->name);
	strf(n->uplink, sizeof(n->uplink), "%s", np->uplink);
	n->nr_vifs = np->nr_vifs;
	n->speed = -1;
	strf(path, sizeof(path), "/sys/class/net/%s/speed", np->uplink);
	/* Mb/s; -1 or an error when the link does not say (or is down). */
	if (*np->uplink && !file_u64(path, &mbit) && mbit && mbit < 10000000)
		n->speed = mbit * 1000000 / 8;
	return 0;
}

static int add_vif(const struct svnic_vif_info *vif, void *arg)
{
	struct host *h = arg;
	struct host_vif *v = GROW(h->vifs, h->nvifs);

	if (!v)
		return -ENOMEM;
	strf(v->name, sizeof(v->name), "%s", vif->name);
	/* An NP's vDPA management device is svnic-npN, N its id. */
	strf(v->np, sizeof(v->np), "svnic-np%u", vif->np_id);
	memcpy(v->mac, vif->mac, 6);
	v->vlan = vif->vlan;
	v->rate = vif->rate;
	return 0;
}

static void collect_svnic(struct host *h)
{
	struct svnic_nl nl;
	uint64_t v;

	h->max_vifs = MAX_VIFS_UNKNOWN;
	if (!file_u64("/sys/module/svnic/parameters/max_vifs", &v) &&
	    v < MAX_VIFS_UNKNOWN)
		h->max_vifs = v;
	if (svnic_nl_open(&nl))
		return;
	h->svnic = true;
	if (svnic_nl_np_dump(&nl, add_np, h) ||
	    svnic_nl_vif_dump(&nl, -1, add_vif, h))
		h->svnic = false;
	svnic_nl_close(&nl);
}

static void collect_vdpa(struct host *h)
{
	DIR *d = opendir(VDPA_DEVICES);
	struct dirent *de;
	char (*slot)[64];

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		slot = GROW(h->vdpa, h->nvdpa);
		if (slot)
			strf(*slot, sizeof(*slot), "%s", de->d_name);
	}
	if (d)
		closedir(d);
}

/* One line of a class's partitions file: "UNITS CGROUP [exclusive]". */
static int parse_part(const char *line, struct host_part *p)
{
	char units[128], cgroup[256], flag[32] = "";
	int n = sscanf(line, "%127s %255s %31s", units, cgroup, flag);

	if (n < 2 || (n == 3 && strcmp(flag, "exclusive")))
		return -EINVAL;
	if (parse_units(units, &p->units))
		return -EINVAL;
	strf(p->cgroup, sizeof(p->cgroup), "%s", cgroup);
	p->exclusive = n == 3;
	return 0;
}

/* Reservations of @class from vcore_sched's table of contexts. */
static int collect_resvs(struct host *h, const char *class)
{
	char path[PATH_MAX], *text, *line, *save, *o;
	unsigned long long budget, period;
	struct host_resv *r;
	int pid;

	strf(path, sizeof(path), "%s/%s/contexts", VCS_DEBUGFS, class);
	text = file_slurp(path);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		o = strstr(line, " budget_ns=");
		if (!o || sscanf(o, " budget_ns=%llu period_ns=%llu", &budget,
				 &period) != 2 || !budget)
			continue;
		r = GROW(h->resvs, h->nresvs);
		if (!r)
			break;
		strf(r->class, sizeof(r->class), "%s", class);
		r->budget = budget;
		r->period = period;
		o = strstr(line, " owner=");
		if (o && strncmp(o + 7, "-", 2) && o[7] != '-' && o[7])
			strf(r->owner, sizeof(r->owner), "%s", o + 7);
		else if (sscanf(line, "ctx=%*u pid=%d", &pid) == 1)
			strf(r->owner, sizeof(r->owner), "pid:%d", pid);
	}
	free(text);
	return 0;
}

/* Without debugfs: the class's admitted sum, through a context of ours. */
static void collect_admitted(struct host *h, unsigned int i, int *fd)
{
	struct vaal_sched_attr a;

	if (*fd == -1)
		*fd = vaal_open(NULL);
	if (*fd < 0) {
		*fd = -2;
		return;
	}
	if (!vaal_sched_get(*fd, h->classes[i].name, &a))
		h->admitted_ppm[i] = (uint64_t)a.admitted_ppm * h->classes[i].units;
}

static void collect_vcs(struct host *h)
{
	char path[PATH_MAX], *text, *line, *save;
	struct host_class *c;
	struct dirent *de;
	uint64_t v;
	DIR *d = opendir(VCS_SYSFS);
	int fd = -1;
	unsigned int i;

	if (!d)
		return;
	h->vcs = true;
	h->exact_resv = true;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= CLASS_LEN)
			continue;
		c = GROW(h->classes, h->nclasses);
		if (!c)
			break;
		strf(c->name, sizeof(c->name), "%s", de->d_name);
		strf(path, sizeof(path), "%s/%s/units", VCS_SYSFS, c->name);
		if (!file_u64(path, &v))
			c->units = v;
		strf(path, sizeof(path), "%s/%s/rt_limit", VCS_SYSFS, c->name);
		if (!file_u64(path, &v))
			c->rt_limit = v;
		strf(path, sizeof(path), "%s/%s/partitions", VCS_SYSFS, c->name);
		text = file_slurp(path);
		for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save))
			if (c->nparts < MAX_PARTS &&
			    !parse_part(line, &c->parts[c->nparts]))
				c->nparts++;
		free(text);
		if (collect_resvs(h, c->name))
			h->exact_resv = false;
	}
	closedir(d);
	if (h->exact_resv)
		return;
	h->admitted_ppm = calloc(h->nclasses ? h->nclasses : 1,
				 sizeof(*h->admitted_ppm));
	for (i = 0; h->admitted_ppm && i < h->nclasses; i++)
		collect_admitted(h, i, &fd);
	if (fd >= 0)
		close(fd);
}

/* "contexts=4 inflight=64 buffer_bytes=... classes=cpu,crypto sqpoll=no" */
static void parse_type_desc(const char *desc, struct host_mdev_type *t)
{
	const char *p = strstr(desc, "contexts=");

	if (p)
		t->contexts = strtoul(p + 9, NULL, 10);
	p = strstr(desc, "classes=");
	if (p)
		strf(t->classes, sizeof(t->classes), "%.*s",
			 (int)strcspn(p + 8, "\n "), p + 8);
}

static void collect_mdev(struct host *h)
{
	char path[PATH_MAX], buf[512], link[PATH_MAX];
	struct host_mdev_type *t;
	struct host_mdev *m;
	struct dirent *de;
	uint64_t v;
	ssize_t n;
	DIR *d;

	d = opendir(MDEV_PARENT "/mdev_supported_types");
	h->mdev_parent = d != NULL;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		t = GROW(h->types, h->ntypes);
		if (!t)
			break;
		strf(t->name, sizeof(t->name), "%s", de->d_name);
		strf(path, sizeof(path), MDEV_PARENT "/mdev_supported_types/%s/available_instances",
			 de->d_name);
		if (!file_u64(path, &v))
			t->available = v;
		strf(path, sizeof(path), MDEV_PARENT "/mdev_supported_types/%s/description",
			 de->d_name);
		if (!file_read(path, buf, sizeof(buf)))
			parse_type_desc(buf, t);
	}
	if (d)
		closedir(d);
	d = opendir(MDEV_DEVICES);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		m = GROW(h->mdevs, h->nmdevs);
		if (!m)
			break;
		strf(m->uuid, sizeof(m->uuid), "%s", de->d_name);
		strf(path, sizeof(path), MDEV_DEVICES "/%s/mdev_type", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			strf(m->type, sizeof(m->type), "%s",
				 strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
		}
		strf(path, sizeof(path), MDEV_DEVICES "/%s/vaal/contexts", de->d_name);
		if (!file_u64(path, &v))
			m->contexts = v;
	}
	if (d)
		closedir(d);
}

/* The VMs of the state directory, with what their specs booked. */
static void collect_vms(struct host *h)
{
	char path[PATH_MAX], state[32];
	struct vm_spec spec;
	const struct spec_accel *a;
	struct dirent *de;
	struct host_vm *vm;
	bool quiet = diag_quiet;
	int errs = diag_count;
	DIR *d;

	strf(path, sizeof(path), "%s/vms", run_dir());
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || valid_vm_name(de->d_name))
			continue;
		vm = GROW(h->vms, h->nvms);
		if (!vm)
			break;
		strf(vm->name, sizeof(vm->name), "%s", de->d_name);
		strf(path, sizeof(path), "%s/vms/%s/spec.toml", run_dir(),
			 de->d_name);
		diag_quiet = true;
		if (spec_load(path, &spec)) {
			strf(vm->state, sizeof(vm->state), "broken");
		} else {
			a = spec_reserving(&spec);
			if (a) {
				strf(vm->class, sizeof(vm->class), "%s", a->class);
				vm->budget = a->budget_ns;
				vm->period = a->period_ns;
				vm->contexts = a->contexts;
			}
			if (spec.mdev.present)
				strf(vm->mdev, sizeof(vm->mdev), "%s", spec.mdev.uuid);
			vm_cgroup(&spec, vm->cgroup, sizeof(vm->cgroup));
			for (unsigned int i = 0; i < spec.naccels; i++) {
				if (!spec.accels[i].units)
					continue;
				strf(vm->parts[vm->nparts].class, CLASS_LEN, "%s",
					 spec.accels[i].class);
				vm->parts[vm->nparts].units = spec.accels[i].units;
				vm->parts[vm->nparts++].exclusive =
					spec.accels[i].exclusive;
			}
		}
		spec_free(&spec);
		diag_quiet = quiet;
		if (!vm_dir(vm->name, path, sizeof(path))) {
			if (!journal_state(path, state, sizeof(state),
					   vm->cgroup, sizeof(vm->cgroup)) &&
			    strcmp(vm->state, "broken"))
				strf(vm->state, sizeof(vm->state), "%s", state);
		}
		vm->parts_live = strcmp(vm->state, "prepared") != 0;
	}
	diag_count = errs;
	if (d)
		closedir(d);
}

/* Which of the cgroups @spec would make exist already. */
static void collect_cgroups(struct host *h, const struct vm_spec *spec)
{
	char cg[256], path[PATH_MAX];
	char (*slot)[256];
	struct stat st;

	if (!spec || !*h->cgroup_root)
		return;
	vm_cgroup(spec, cg, sizeof(cg));
	strf(path, sizeof(path), "%s%s", h->cgroup_root, cg);
	if (!stat(path, &st)) {
		slot = GROW(h->cgroups, h->ncgroups);
		if (slot)
			strf(*slot, sizeof(*slot), "%s", cg);
	}
}

/**
 * host_collect - the host's live state
 * @h: filled; host_free() it
 * @spec: the spec about to be checked, for what only it asks (its
 *	cgroup); may be NULL
 *
 * Return: 0.  What cannot be read is absent (check.c says so).
 */
int host_collect(struct host *h, const struct vm_spec *spec)
{
	memset(h, 0, sizeof(*h));
	strf(h->from, sizeof(h->from), "live");
	collect_mem(h);
	collect_cgroup(h);
	collect_svnic(h);
	collect_vdpa(h);
	collect_vcs(h);
	collect_mdev(h);
	collect_vms(h);
	collect_cgroups(h, spec);
	return 0;
}

void host_free(struct host *h)
{
	free(h->nps);
	free(h->vifs);
	free(h->vdpa);
	free(h->classes);
	free(h->resvs);
	free(h->admitted_ppm);
	free(h->types);
	free(h->mdevs);
	free(h->vms);
	free(h->cgroups);
	memset(h, 0, sizeof(*h));
}

const struct host_class *host_class_find(const struct host *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->nclasses; i++)
		if (!strcmp(h->classes[i].name, name))
			return &h->classes[i];
	return NULL;
}

const struct host_np *host_np_find(const struct host *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->nnps; i++)
		if (!strcmp(h->nps[i].name, name))
			return &h->nps[i];
	return NULL;
}

const struct host_mdev_type *host_type_find(const struct host *h,
					    const char *name)
{
	unsigned int i;

	for (i = 0; i < h->ntypes; i++)
		if (!strcmp(h->types[i].name, name))
			return &h->types[i];
	return NULL;
}

/* ---- as a TOML file ------------------------------------------------------- */

/* @s as a TOML basic string. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void put_kv(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s = ", key);
	put_str(f, s);
	fputc('\n', f);
}

void host_print(const struct host *h, FILE *f)
{
	char a[64], b[64];
	unsigned int i, j;

	fprintf(f, "# vcorevm host: what admission control reads from the host (%s)\n",
		h->from);
	put_kv(f, "mem_available", fmt_size(h->mem_available, a, sizeof(a)));
	fprintf(f, "cpus = %u\n", h->cpus);
	fprintf(f, "cgroup_cpu = %s\n", h->cgroup_cpu ? "true" : "false");
	fprintf(f, "svnic = %s\n", h->svnic ? "true" : "false");
	if (h->max_vifs != MAX_VIFS_UNKNOWN)
		fprintf(f, "max_vifs = %u\n", h->max_vifs);
	fprintf(f, "vcore_sched = %s\n", h->vcs ? "true" : "false");
	fprintf(f, "exact_reservations = %s\n", h->exact_resv ? "true" : "false");
	fprintf(f, "mdev_parent = %s\n", h->mdev_parent ? "true" : "false");
	fprintf(f, "vdpa = [");
	for (i = 0; i < h->nvdpa; i++) {
		fprintf(f, "%s", i ? ", " : "");
		put_str(f, h->vdpa[i]);
	}
	fprintf(f, "]\ncgroups = [");
	for (i = 0; i < h->ncgroups; i++) {
		fprintf(f, "%s", i ? ", " : "");
		put_str(f, h->cgroups[i]);
	}
	fprintf(f, "]\n");
	for (i = 0; i < h->nnps; i++) {
		fprintf(f, "\n[[np]]\n");
		put_kv(f, "name", h->nps[i].name);
		put_kv(f, "uplink", h->nps[i].uplink);
		put_kv(f, "speed", h->nps[i].speed < 0 ? "unknown" :
		       fmt_rate(h->nps[i].speed, a, sizeof(a)));
		fprintf(f, "vifs = %u\n", h->nps[i].nr_vifs);
	}
	for (i = 0; i < h->nvifs; i++) {
		fprintf(f, "\n[[vif]]\n");
		put_kv(f, "name", h->vifs[i].name);
		put_kv(f, "np", h->vifs[i].np);
		put_kv(f, "mac", fmt_mac(h->vifs[i].mac, a, sizeof(a)));
		fprintf(f, "vlan = %u\n", h->vifs[i].vlan);
		put_kv(f, "rate", fmt_rate(h->vifs[i].rate, a, sizeof(a)));
	}
	for (i = 0; i < h->nclasses; i++) {
		const struct host_class *c = &h->classes[i];

		fprintf(f, "\n[[class]]\n");
		put_kv(f, "name", c->name);
		fprintf(f, "units = %u\nrt_limit = %u\n", c->units, c->rt_limit);
		if (!h->exact_resv && h->admitted_ppm)
			fprintf(f, "admitted_ppm = %" PRIu64 "\n", h->admitted_ppm[i]);
		fprintf(f, "partitions = [");
		for (j = 0; j < c->nparts; j++) {
			strf(b, sizeof(b), "%s",
				 fmt_units(c->parts[j].units, a, sizeof(a)));
			fprintf(f, "%s\"%s %s%s\"", j ? ", " : "", b,
				c->parts[j].cgroup,
				c->parts[j].exclusive ? " exclusive" : "");
		}
		fprintf(f, "]\n");
	}
	for (i = 0; i < h->nresvs; i++) {
		fprintf(f, "\n[[reservation]]\n");
		put_kv(f, "class", h->resvs[i].class);
		strf(b, sizeof(b), "%s/%s", fmt_ns(h->resvs[i].budget, a, 32),
			 fmt_ns(h->resvs[i].period, a + 32, 32));
		put_kv(f, "reserve", b);
		put_kv(f, "owner", h->resvs[i].owner);
	}
	for (i = 0; i < h->ntypes; i++) {
		fprintf(f, "\n[[mdev_type]]\n");
		put_kv(f, "name", h->types[i].name);
		fprintf(f, "available = %u\ncontexts = %u\n", h->types[i].available,
			h->types[i].contexts);
		put_kv(f, "classes", h->types[i].classes);
	}
	for (i = 0; i < h->nmdevs; i++) {
		fprintf(f, "\n[[mdev]]\n");
		put_kv(f, "uuid", h->mdevs[i].uuid);
		put_kv(f, "type", h->mdevs[i].type);
		fprintf(f, "contexts = %u\n", h->mdevs[i].contexts);
	}
	for (i = 0; i < h->nvms; i++) {
		const struct host_vm *vm = &h->vms[i];

		fprintf(f, "\n[[vm]]\n");
		put_kv(f, "name", vm->name);
		put_kv(f, "state", vm->state);
		put_kv(f, "cgroup", vm->cgroup);
		if (*vm->mdev)
			put_kv(f, "mdev", vm->mdev);
		fprintf(f, "partitions = [");
		for (j = 0; j < vm->nparts; j++)
			fprintf(f, "%s\"%s %s%s\"", j ? ", " : "", vm->parts[j].class,
				fmt_units(vm->parts[j].units, a, sizeof(a)),
				vm->parts[j].exclusive ? " exclusive" : "");
		fprintf(f, "]\npartitions_live = %s\n", vm->parts_live ? "true" : "false");
		if (!*vm->class)
			continue;
		put_kv(f, "class", vm->class);
		strf(b, sizeof(b), "%s/%s", fmt_ns(vm->budget, a, 32),
			 fmt_ns(vm->period, a + 32, 32));
		put_kv(f, "reserve", b);
		fprintf(f, "contexts = %u\n", vm->contexts);
	}
}

/* ---- read back -------------------------------------------------------------- */

static const char *hstr(const struct ttable *t, const char *key)
{
	struct tkey *k = toml_key(t, key);

	return k && k->v.type == TV_STR ? k->v.s : "";
}

static long long hint(const struct ttable *t, const char *key)
{
	struct tkey *k = toml_key(t, key);

	return k && k->v.type == TV_INT ? k->v.i : 0;
}

static bool hbool(const struct ttable *t, const char *key)
{
	struct tkey *k = toml_key(t, key);

	return k && k->v.type == TV_BOOL && k->v.b;
}

static void hstrs(const struct ttable *t, const char *key,
		  void (*fn)(struct host *h, const char *s, void *arg),
		  struct host *h, void *arg)
{
	struct tkey *k = toml_key(t, key);
	unsigned int i;

	for (i = 0; k && k->v.type == TV_ARRAY && i < k->v.n; i++)
		if (k->v.items[i].type == TV_STR)
			fn(h, k->v.items[i].s, arg);
}

static void add_vdpa(struct host *h, const char *s, void *arg)
{
	char (*slot)[64] = GROW(h->vdpa, h->nvdpa);

	if (slot)
		strf(*slot, sizeof(*slot), "%s", s);
}

static void add_cgroup(struct host *h, const char *s, void *arg)
{
	char (*slot)[256] = GROW(h->cgroups, h->ncgroups);

	if (slot)
		strf(*slot, sizeof(*slot), "%s", s);
}

static void add_part(struct host *h, const char *s, void *arg)
{
	struct host_class *c = arg;

	if (c->nparts < MAX_PARTS && !parse_part(s, &c->parts[c->nparts]))
		c->nparts++;
}

/* A managed VM's booked partition: "CLASS UNITS [exclusive]". */
static void add_vm_part(struct host *h, const char *s, void *arg)
{
	struct host_vm *vm = arg;
	struct host_vm_part *p = &vm->parts[vm->nparts];
	char class[CLASS_LEN + 1], units[128], flag[32] = "";
	int n = sscanf(s, "%16s %127s %31s", class, units, flag);

	if (n < 2 || vm->nparts == SPEC_MAX_ACCELS || strlen(class) >= CLASS_LEN ||
	    parse_units(units, &p->units))
		return;
	snprintf(p->class, sizeof(p->class), "%s", class);
	p->exclusive = !strcmp(flag, "exclusive");
	vm->nparts++;
}

static int host_table(struct host *h, const struct ttable *t)
{
	const char *s;
	uint64_t v;

	if (!*t->name) {
		parse_size(hstr(t, "mem_available"), &h->mem_available);
		h->cpus = hint(t, "cpus");
		h->cgroup_cpu = hbool(t, "cgroup_cpu");
		h->svnic = hbool(t, "svnic");
		h->max_vifs = toml_key(t, "max_vifs") ? hint(t, "max_vifs") :
							MAX_VIFS_UNKNOWN;
		h->vcs = hbool(t, "vcore_sched");
		h->exact_resv = hbool(t, "exact_reservations");
		h->mdev_parent = hbool(t, "mdev_parent");
		hstrs(t, "vdpa", add_vdpa, h, NULL);
		hstrs(t, "cgroups", add_cgroup, h, NULL);
		strf(h->cgroup_root, sizeof(h->cgroup_root), "/sys/fs/cgroup");
	} else if (!strcmp(t->name, "np")) {
		struct host_np *n = GROW(h->nps, h->nnps);

		if (!n)
			return -ENOMEM;
		strf(n->name, sizeof(n->name), "%s", hstr(t, "name"));
		strf(n->uplink, sizeof(n->uplink), "%s", hstr(t, "uplink"));
		n->speed = parse_rate(hstr(t, "speed"), &v) ? -1 : (int64_t)v;
		n->nr_vifs = hint(t, "vifs");
	} else if (!strcmp(t->name, "vif")) {
		struct host_vif *vf = GROW(h->vifs, h->nvifs);

		if (!vf)
			return -ENOMEM;
		strf(vf->name, sizeof(vf->name), "%s", hstr(t, "name"));
		strf(vf->np, sizeof(vf->np), "%s", hstr(t, "np"));
		parse_mac(hstr(t, "mac"), vf->mac);
		vf->vlan = hint(t, "vlan");
		s = hstr(t, "rate");
		if (strcmp(s, "none"))
			parse_rate(s, &vf->rate);
	} else if (!strcmp(t->name, "class")) {
		struct host_class *c = GROW(h->classes, h->nclasses);
		uint64_t *ap;

		if (!c)
			return -ENOMEM;
		strf(c->name, sizeof(c->name), "%s", hstr(t, "name"));
		c->units = hint(t, "units");
		c->rt_limit = hint(t, "rt_limit");
		hstrs(t, "partitions", add_part, h, c);
		ap = realloc(h->admitted_ppm, h->nclasses * sizeof(*ap));
		if (!ap)
			return -ENOMEM;
		h->admitted_ppm = ap;
		ap[h->nclasses - 1] = hint(t, "admitted_ppm");
	} else if (!strcmp(t->name, "reservation")) {
		struct host_resv *r = GROW(h->resvs, h->nresvs);

		if (!r)
			return -ENOMEM;
		strf(r->class, sizeof(r->class), "%s", hstr(t, "class"));
		parse_reserve(hstr(t, "reserve"), &r->budget, &r->period);
		strf(r->owner, sizeof(r->owner), "%s", hstr(t, "owner"));
	} else if (!strcmp(t->name, "mdev_type")) {
		struct host_mdev_type *mt = GROW(h->types, h->ntypes);

		if (!mt)
			return -ENOMEM;
		strf(mt->name, sizeof(mt->name), "%s", hstr(t, "name"));
		mt->available = hint(t, "available");
		mt->contexts = hint(t, "contexts");
		strf(mt->classes, sizeof(mt->classes), "%s", hstr(t, "classes"));
	} else if (!strcmp(t->name, "mdev")) {
		struct host_mdev *m = GROW(h->mdevs, h->nmdevs);

		if (!m)
			return -ENOMEM;
		strf(m->uuid, sizeof(m->uuid), "%s", hstr(t, "uuid"));
		strf(m->type, sizeof(m->type), "%s", hstr(t, "type"));
		m->contexts = hint(t, "contexts");
	} else if (!strcmp(t->name, "vm")) {
		struct host_vm *vm = GROW(h->vms, h->nvms);

		if (!vm)
			return -ENOMEM;
		strf(vm->name, sizeof(vm->name), "%s", hstr(t, "name"));
		strf(vm->state, sizeof(vm->state), "%s", hstr(t, "state"));
		strf(vm->cgroup, sizeof(vm->cgroup), "%s", hstr(t, "cgroup"));
		strf(vm->mdev, sizeof(vm->mdev), "%s", hstr(t, "mdev"));
		strf(vm->class, sizeof(vm->class), "%s", hstr(t, "class"));
		parse_reserve(hstr(t, "reserve"), &vm->budget, &vm->period);
		vm->contexts = hint(t, "contexts");
		hstrs(t, "partitions", add_vm_part, h, vm);
		vm->parts_live = hbool(t, "partitions_live");
	} else {
		diag(NULL, t->line, NULL, "unknown table [[%s]] in a host file", t->name);
		return -EINVAL;
	}
	return 0;
}

/**
 * host_load - a host's state from a file "vcorevm host" wrote
 * @file: its name
 * @h: filled; host_free() it
 *
 * Return: 0 or a negative errno (after saying why).
 */
int host_load(const char *file, struct host *h)
{
	struct tdoc doc;
	char *text;
	unsigned int i;
	int ret;

	memset(h, 0, sizeof(*h));
	strf(h->from, sizeof(h->from), "%s", file);
	text = file_slurp(file);
	if (!text) {
		diag(file, 0, NULL, "cannot read it: %s", strerror(errno));
		return -errno;
	}
	ret = toml_parse(file, text, &doc);
	free(text);
	for (i = 0; !ret && i < doc.ntables; i++)
		ret = host_table(h, &doc.tables[i]);
	toml_free(&doc);
	return ret;
}
