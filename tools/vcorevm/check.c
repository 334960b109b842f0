// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - admission control: does a VM's spec fit what the host has?
 *
 * One verdict per resource, each with the figures it was judged by and,
 * for a refusal, the place in the spec it is about:
 *
 *   vm NAME       not managed already (release it first)
 *   memory        the VM's memory within MemAvailable (vhost-vdpa pins
 *                 all of it)
 *   vcpus         within the host's online CPUs
 *   cgroup        cgroup v2 with the cpu controller, the VM's cgroup free
 *   np NP         the NP exists; its VIFs within svnic's max_vifs; the
 *                 rate limits of its VIFs, with the new ones, within its
 *                 uplink's speed
 *   vif[i]        its name free, its MAC not another VIF's on its NP and
 *                 VLAN, its rate within the uplink's
 *   accel CLASS   the class exists; reservations admitted, booked by
 *                 managed VMs whose guests have not opened their contexts
 *                 yet, and the new one within rt_limit of the class's
 *                 units (vcore_sched's own sum); its units within the
 *                 class's, no exclusive partition overlapping another,
 *                 room for one more partition
 *   mdev TYPE     the VAAL mdev parent and the type exist, an instance is
 *                 available, the UUID is free, the type offers every
 *                 class of the VM and the contexts booked
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "vcorevm.h"

static void verdict(struct verdicts *vs, bool fits, const struct ttable *t,
		    const char *key, const char *resource, const char *fmt, ...)
	__printf(6, 7);

static void verdict(struct verdicts *vs, bool fits, const struct ttable *t,
		    const char *key, const char *resource, const char *fmt, ...)
{
	struct verdict *v;
	va_list ap;

	if (vs->n == ARRAY_SIZE(vs->v))
		return;
	v = &vs->v[vs->n++];
	memset(v, 0, sizeof(*v));
	v->fits = fits;
	if (!fits)
		vs->refused++;
	strf(v->resource, sizeof(v->resource), "%s", resource);
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
	if (!t)
		return;
	v->line = spec_line(t, key);
	if (!*t->name)
		strf(v->key, sizeof(v->key), "%s", key ? key : "");
	else if (t->array)
		strf(v->key, sizeof(v->key), "%s[%u]%s%s", t->name, t->index,
			 key ? "." : "", key ? key : "");
	else
		strf(v->key, sizeof(v->key), "%s%s%s", t->name,
			 key ? "." : "", key ? key : "");
}

static const struct ttable *root_of(const struct vm_spec *spec)
{
	return &spec->doc.tables[0];
}

/*
 * "a + b <= l" or "a + b > l" as shares of a class's capacity: with as few
 * decimals as show the comparison the way it goes.
 */
static void fmt_sum(char *buf, size_t len, double a, double b, double l,
		    bool fits)
{
	int d;

	for (d = 2; d < 6; d++) {
		double m = pow(10, d);
		double ra = round(a * m) / m, rb = round(b * m) / m;
		double rl = round(l * m) / m;

		if (fits ? ra + rb <= rl + 1e-12 : ra + rb > rl + 1e-12)
			break;
	}
	strf(buf, len, "%.*f + %.*f %s limit %.*f", d, a, d, b,
		 fits ? "<=" : ">", d, l);
}

static void check_vm_name(const struct vm_spec *spec, const struct host *h,
			  struct verdicts *vs)
{
	char res[64];
	unsigned int i;

	strf(res, sizeof(res), "vm %s", spec->name);
	for (i = 0; i < h->nvms; i++) {
		if (strcmp(h->vms[i].name, spec->name))
			continue;
		verdict(vs, false, root_of(spec), "name", res,
			"vcorevm manages a VM of that name already (%s): release it first",
			h->vms[i].state);
		return;
	}
}

static void check_cpu_mem(const struct vm_spec *spec, const struct host *h,
			  struct verdicts *vs)
{
	char a[32], b[32];
	bool fits;

	fits = spec->memory <= h->mem_available;
	verdict(vs, fits, root_of(spec), "memory", "memory", "%s %s %s available%s",
		fmt_size(spec->memory, a, sizeof(a)), fits ? "<=" : ">",
		fmt_size(h->mem_available, b, sizeof(b)),
		spec->nvifs ? " (vhost-vdpa pins all of it)" : "");
	fits = spec->vcpus <= h->cpus;
	verdict(vs, fits, root_of(spec), "vcpus", "vcpus", "%u %s %u online CPUs",
		spec->vcpus, fits ? "<=" : ">", h->cpus);
}

static void check_cgroup(const struct vm_spec *spec, const struct host *h,
			 struct verdicts *vs)
{
	char cg[256];
	unsigned int i;

	if (!h->cgroup_cpu) {
		verdict(vs, false, root_of(spec), "weight", "cgroup",
			"no cgroup v2 with the cpu controller: the VM's weight is a cgroup's cpu.weight, for the CPU and vcore_sched");
		return;
	}
	vm_cgroup(spec, cg, sizeof(cg));
	for (i = 0; i < h->ncgroups; i++) {
		if (strcmp(h->cgroups[i], cg))
			continue;
		verdict(vs, false, root_of(spec), "name", "cgroup",
			"%s exists already", cg);
		return;
	}
	verdict(vs, true, root_of(spec), "partition", "cgroup",
		"%s, cpu.weight %u", cg, spec->weight);
}

static void list_nps(const struct host *h, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < h->nnps; i++)
		n += strf(buf + n, n < len ? len - n : 0, "%s%s",
			      i ? ", " : "", h->nps[i].name);
	if (!h->nnps)
		strf(buf, len, "none");
}

static void check_vif(const struct vm_spec *spec, unsigned int i,
		      const struct host *h, struct verdicts *vs)
{
	const struct spec_vif *v = &spec->vifs[i];
	const struct host_np *np = host_np_find(h, v->np);
	char res[96], a[32], b[32], nps[256];
	unsigned int j;
	bool ok = true;

	strf(res, sizeof(res), "vif[%u] %s", i, v->name);
	if (!np) {
		list_nps(h, nps, sizeof(nps));
		verdict(vs, false, v->t, "np", res, "no NP '%s' (NPs: %s)", v->np, nps);
		return;
	}
	for (j = 0; j < h->nvdpa; j++) {
		if (strcmp(h->vdpa[j], v->name))
			continue;
		verdict(vs, false, v->t, "name", res,
			"a vdpa device of that name exists already");
		ok = false;
	}
	for (j = 0; j < h->nvifs; j++) {
		const struct host_vif *o = &h->vifs[j];

		if (strcmp(o->np, v->np) || memcmp(o->mac, v->mac, 6) ||
		    o->vlan != v->vlan)
			continue;
		verdict(vs, false, v->t, "mac", res,
			"%s is VIF %s's on %s, VLAN %s%s", fmt_mac(v->mac, a, sizeof(a)),
			o->name, o->np, o->vlan ? "" : "none",
			o->vlan ? (strf(b, sizeof(b), "%u", o->vlan), b) : "");
		ok = false;
	}
	if (v->rate && np->speed >= 0 && v->rate > (uint64_t)np->speed) {
		verdict(vs, false, v->t, "rate", res, "rate %s > uplink %s's %s",
			fmt_rate(v->rate, a, sizeof(a)), np->uplink,
			fmt_rate(np->speed, b, sizeof(b)));
		ok = false;
	}
	if (ok)
		verdict(vs, true, v->t, NULL, res, "%s on %s, rate %s",
			fmt_mac(v->mac, a, sizeof(a)), v->np,
			fmt_rate(v->rate, b, sizeof(b)));
}

/* Per NP: its VIFs against max_vifs, its rates against its uplink. */
static void check_nps(const struct vm_spec *spec, const struct host *h,
		      struct verdicts *vs)
{
	char res[96], a[32], b[32], c[32];
	unsigned int i, j, n;
	uint64_t have, want;
	bool fits;

	for (i = 0; i < spec->nvifs; i++) {
		const struct spec_vif *v = &spec->vifs[i];
		const struct host_np *np = host_np_find(h, v->np);

		for (j = 0; j < i; j++)
			if (!strcmp(spec->vifs[j].np, v->np))
				break;
		if (j < i || !np)
			continue;
		strf(res, sizeof(res), "np %s", np->name);
		for (n = 0, want = 0, j = i; j < spec->nvifs; j++) {
			if (strcmp(spec->vifs[j].np, v->np))
				continue;
			n++;
			want += spec->vifs[j].rate;
		}
		fits = h->max_vifs == MAX_VIFS_UNKNOWN ||
		       np->nr_vifs + n <= h->max_vifs;
		if (h->max_vifs != MAX_VIFS_UNKNOWN)
			verdict(vs, fits, v->t, "np", res, "VIFs %u + %u %s max_vifs %u",
				np->nr_vifs, n, fits ? "<=" : ">", h->max_vifs);
		for (have = 0, j = 0; j < h->nvifs; j++)
			if (!strcmp(h->vifs[j].np, np->name))
				have += h->vifs[j].rate;
		if (np->speed < 0) {
			verdict(vs, true, v->t, "rate", res,
				"uplink %s's speed is unknown: rates not summed",
				np->uplink);
			continue;
		}
		fits = have + want <= (uint64_t)np->speed;
		verdict(vs, fits, v->t, "rate", res, "rates %s + %s %s uplink %s's %s",
			have ? fmt_rate(have, a, sizeof(a)) : "0",
			want ? fmt_rate(want, b, sizeof(b)) : "0",
			fits ? "<=" : ">", np->uplink,
			fmt_rate(np->speed, c, sizeof(c)));
	}
}

static void check_vifs(const struct vm_spec *spec, const struct host *h,
		       struct verdicts *vs)
{
	unsigned int i;

	if (!spec->nvifs)
		return;
	if (!h->svnic) {
		verdict(vs, false, spec->vifs[0].t, "np", "svnic",
			"not loaded (no svnic genetlink family)");
		return;
	}
	for (i = 0; i < spec->nvifs; i++)
		check_vif(spec, i, h, vs);
	check_nps(spec, h, vs);
}

static void list_classes(const struct host *h, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < h->nclasses; i++)
		n += strf(buf + n, n < len ? len - n : 0, "%s%s",
			      i ? ", " : "", h->classes[i].name);
	if (!h->nclasses)
		strf(buf, len, "none");
}

/*
 * What reservations on @class take now, in millionths of one unit: those
 * admitted, and those managed VMs booked for guest contexts not open yet.
 */
static uint64_t class_committed(const struct host *h, const struct host_class *c)
{
	uint64_t sum = 0, booked, live;
	char owner[64];
	unsigned int i, j;

	if (h->exact_resv) {
		for (i = 0; i < h->nresvs; i++)
			if (!strcmp(h->resvs[i].class, c->name))
				sum += rt_ppm(h->resvs[i].budget, h->resvs[i].period);
	} else if (h->admitted_ppm) {
		sum = h->admitted_ppm[c - h->classes];
	}
	for (i = 0; i < h->nvms; i++) {
		const struct host_vm *vm = &h->vms[i];

		if (strcmp(vm->class, c->name))
			continue;
		booked = vm->contexts * rt_ppm(vm->budget, vm->period);
		live = 0;
		strf(owner, sizeof(owner), "mdev:%s", vm->mdev);
		if (h->exact_resv) {
			for (j = 0; j < h->nresvs; j++)
				if (!strcmp(h->resvs[j].owner, owner) &&
				    !strcmp(h->resvs[j].class, c->name))
					live += rt_ppm(h->resvs[j].budget,
						       h->resvs[j].period);
		} else {
			for (j = 0; j < h->nmdevs; j++)
				if (!strcmp(h->mdevs[j].uuid, vm->mdev))
					live = h->mdevs[j].contexts *
					       rt_ppm(vm->budget, vm->period);
		}
		if (booked > live)
			sum += booked - live;
	}
	return sum;
}

static void check_partition(const struct vm_spec *spec,
			    const struct spec_accel *a,
			    const struct host_class *c, const struct host *h,
			    struct verdicts *vs)
{
	char res[64], u[128], o[128];
	unsigned int i, j, n = c->nparts;
	uint64_t all = c->units >= 64 ? ~0ULL : (1ULL << c->units) - 1;

	strf(res, sizeof(res), "accel %s", a->class);
	if (a->units & ~all) {
		verdict(vs, false, a->t, "units", res,
			"units %s are not all the class's: it has %u (%s)",
			fmt_units(a->units, u, sizeof(u)), c->units,
			c->units ? fmt_units(all, o, sizeof(o)) : "none");
		return;
	}
	for (i = 0; i < c->nparts; i++) {
		const struct host_part *p = &c->parts[i];

		if (!(p->units & a->units) || (!p->exclusive && !a->exclusive))
			continue;
		verdict(vs, false, a->t, a->exclusive ? "exclusive" : "units", res,
			"units %s%s overlap partition '%s %s%s'",
			fmt_units(a->units, u, sizeof(u)),
			a->exclusive ? " exclusive" : "",
			fmt_units(p->units, o, sizeof(o)), p->cgroup,
			p->exclusive ? " exclusive" : "");
		return;
	}
	/* Partitions managed VMs booked that libvirt has not started yet. */
	for (i = 0; i < h->nvms; i++) {
		const struct host_vm *vm = &h->vms[i];

		for (j = 0; !vm->parts_live && j < vm->nparts; j++) {
			const struct host_vm_part *p = &vm->parts[j];

			if (strcmp(p->class, c->name))
				continue;
			n++;
			if (!(p->units & a->units) || (!p->exclusive && !a->exclusive))
				continue;
			verdict(vs, false, a->t, a->exclusive ? "exclusive" : "units",
				res, "units %s%s overlap VM %s's booked partition '%s%s'",
				fmt_units(a->units, u, sizeof(u)),
				a->exclusive ? " exclusive" : "", vm->name,
				fmt_units(p->units, o, sizeof(o)),
				p->exclusive ? " exclusive" : "");
			return;
		}
	}
	if (n >= MAX_PARTS) {
		verdict(vs, false, a->t, "units", res,
			"the class has %u partitions already, vcore_sched's most", n);
		return;
	}
	verdict(vs, true, a->t, "units", res, "partition of units %s%s",
		fmt_units(a->units, u, sizeof(u)), a->exclusive ? ", exclusive" : "");
}

static void check_accel(const struct vm_spec *spec, const struct spec_accel *a,
			const struct host *h, struct verdicts *vs)
{
	const struct host_class *c = host_class_find(h, a->class);
	char res[64], list[256], sum[128];
	double cap, have, want, lim;
	unsigned int ctxs = a->contexts;
	bool fits;

	strf(res, sizeof(res), "accel %s", a->class);
	if (!c) {
		list_classes(h, list, sizeof(list));
		verdict(vs, false, a->t, "class", res,
			"no class '%s' in vcore_sched (classes: %s)", a->class, list);
		return;
	}
	if (a->budget_ns) {
		cap = c->units * 1e6;
		if (!c->units) {
			verdict(vs, false, a->t, "reserve", res,
				"the class has no units to reserve");
		} else {
			have = class_committed(h, c) / cap;
			want = ctxs * rt_ppm(a->budget_ns, a->period_ns) / cap;
			lim = c->rt_limit / 100.;
			/* vcore_sched's own sum: millionths of one unit. */
			fits = class_committed(h, c) +
			       ctxs * rt_ppm(a->budget_ns, a->period_ns) <=
			       (uint64_t)c->rt_limit * 10000 * c->units;
			fmt_sum(sum, sizeof(sum), have, want, lim, fits);
			verdict(vs, fits, a->t, "reserve", res,
				"reservations %s (shares of its %u unit%s; %u context%s booked)",
				sum, c->units, c->units == 1 ? "" : "s", ctxs,
				ctxs == 1 ? "" : "s");
		}
	}
	if (a->units)
		check_partition(spec, a, c, h, vs);
	if (!a->budget_ns && !a->units)
		verdict(vs, true, a->t, "class", res, "shared by weight %u",
			spec->weight);
}

static void check_accels(const struct vm_spec *spec, const struct host *h,
			 struct verdicts *vs)
{
	unsigned int i;

	if (!spec->naccels)
		return;
	if (!h->vcs) {
		verdict(vs, false, spec->accels[0].t, "class", "vcore_sched",
			"not loaded (no %s)", VCS_SYSFS);
		return;
	}
	for (i = 0; i < spec->naccels; i++)
		check_accel(spec, &spec->accels[i], h, vs);
}

static bool class_offered(const char *classes, const char *class)
{
	size_t len = strlen(class);
	const char *p = classes;

	if (!strcmp(classes, "all"))
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, class, len))
			return true;
		p += n + !!p[n];
	}
	return false;
}

static void check_mdev(const struct vm_spec *spec, const struct host *h,
		       struct verdicts *vs)
{
	const struct spec_mdev *m = &spec->mdev;
	const struct host_mdev_type *t;
	char res[96], list[256];
	unsigned int i;
	size_t n = 0;
	bool ok = true;

	if (!m->present)
		return;
	strf(res, sizeof(res), "mdev %s", m->type);
	if (!h->mdev_parent) {
		verdict(vs, false, m->t, "type", res,
			"no VAAL mdev parent (%s: is vaal_mdev loaded?)", MDEV_PARENT);
		return;
	}
	t = host_type_find(h, m->type);
	if (!t) {
		list[0] = '\0';
		for (i = 0; i < h->ntypes; i++)
			n += strf(list + n, n < sizeof(list) ? sizeof(list) - n : 0,
				      "%s%s", i ? ", " : "", h->types[i].name);
		verdict(vs, false, m->t, "type", res,
			"no such type in %s/mdev_supported_types (types: %s)",
			MDEV_PARENT, h->ntypes ? list : "none");
		return;
	}
	if (!t->available) {
		verdict(vs, false, m->t, "type", res, "no instance available");
		ok = false;
	}
	for (i = 0; i < h->nmdevs; i++) {
		if (strcmp(h->mdevs[i].uuid, m->uuid))
			continue;
		verdict(vs, false, m->t, "uuid", res, "a mediated device %s exists already",
			m->uuid);
		ok = false;
	}
	for (i = 0; i < spec->naccels; i++) {
		const struct spec_accel *a = &spec->accels[i];

		if (!t->contexts || !a->budget_ns || a->contexts <= t->contexts)
			continue;
		verdict(vs, false, a->t, "contexts", res,
			"%u contexts booked, the type holds %u at once", a->contexts,
			t->contexts);
		ok = false;
	}
	for (i = 0; i < spec->naccels; i++) {
		if (!*t->classes || class_offered(t->classes, spec->accels[i].class))
			continue;
		verdict(vs, false, spec->accels[i].t, "class", res,
			"the type does not offer class '%s' (it offers %s)",
			spec->accels[i].class, t->classes);
		ok = false;
	}
	if (ok)
		verdict(vs, true, m->t, "type", res, "%u available, %s", t->available,
			m->uuid);
}

/**
 * check_vm - judge a spec against a host
 * @spec: the VM
 * @h: the host, with the VMs vcorevm manages
 * @for_apply: unused for now: check and apply judge alike
 * @out: the verdicts, refusals counted
 */
void check_vm(const struct vm_spec *spec, const struct host *h, bool for_apply,
	      struct verdicts *out)
{
	memset(out, 0, sizeof(*out));
	check_vm_name(spec, h, out);
	check_cpu_mem(spec, h, out);
	check_cgroup(spec, h, out);
	check_vifs(spec, h, out);
	check_accels(spec, h, out);
	check_mdev(spec, h, out);
}

/**
 * verdicts_print - the verdicts, refusals first
 * @spec: the VM
 * @vs: its verdicts
 * @json: as one JSON document
 * @f: where
 */
void verdicts_print(const struct vm_spec *spec, const struct verdicts *vs,
		    bool json, FILE *f)
{
	struct json_writer *jw;
	unsigned int i, pass;

	if (json) {
		jw = jsonw_new(f);
		if (!jw)
			return;
		jsonw_start_object(jw);
		jsonw_string_field(jw, "vm", spec->name);
		jsonw_string_field(jw, "spec", spec->doc.file);
		jsonw_bool_field(jw, "fits", !vs->refused);
		jsonw_name(jw, "resources");
		jsonw_start_array(jw);
		for (i = 0; i < vs->n; i++) {
			const struct verdict *v = &vs->v[i];

			jsonw_start_object(jw);
			jsonw_string_field(jw, "resource", v->resource);
			jsonw_bool_field(jw, "fits", v->fits);
			jsonw_string_field(jw, "reason", v->reason);
			if (v->line) {
				jsonw_u64_field(jw, "line", v->line);
				jsonw_string_field(jw, "key", v->key);
			}
			jsonw_end_object(jw);
		}
		jsonw_end_array(jw);
		jsonw_end_object(jw);
		jsonw_destroy(&jw);
		return;
	}
	if (vs->refused)
		fprintf(f, "%s: refused: %u of %u resources do not fit\n",
			spec->name, vs->refused, vs->n);
	else
		fprintf(f, "%s: fits\n", spec->name);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < vs->n; i++) {
			const struct verdict *v = &vs->v[i];

			if (v->fits != (pass == 1))
				continue;
			fprintf(f, "  %-7s %s: %s", v->fits ? "ok" : "REFUSED",
				v->resource, v->reason);
			if (!v->fits && v->line)
				fprintf(f, " (%s:%d: %s)", spec->doc.file, v->line,
					v->key);
			fputc('\n', f);
		}
	}
}
