// SPDX-License-Identifier: GPL-2.0
/*
 * spec.c - a VM's spec: the keys of each table, their types, units and
 * bounds, and what must hold among them, each refusal naming the file,
 * the line and the key
 *
 *   name, uuid, vcpus, memory, weight, partition       the VM
 *   [[vif]]    np, mac, name, mtu, rate, burst, vlan   one per interface
 *   [[accel]]  class, weight, reserve, contexts, units, exclusive
 *                                                      one per class
 *   [mdev]     type, uuid                              the VAAL device
 *   [qemu]     binary, machine, accel, nic_opts, args
 *   [boot]     kernel, initrd, cmdline
 *
 * What the host has is check.c's business: this file needs no host.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vcorevm.h"

#define SPEC_MAX_BYTES	(1 << 20)

struct table_keys {
	const char *name;
	bool array;
	const char * const *keys;
};

static const char * const root_keys[] = {
	"name", "uuid", "vcpus", "memory", "weight", "partition", NULL
};
static const char * const vif_keys[] = {
	"np", "mac", "name", "mtu", "rate", "burst", "vlan", NULL
};
static const char * const accel_keys[] = {
	"class", "weight", "reserve", "contexts", "units", "exclusive", NULL
};
static const char * const mdev_keys[] = {
	"type", "uuid", NULL
};
static const char * const qemu_keys[] = {
	"binary", "machine", "accel", "nic_opts", "args", NULL
};
static const char * const boot_keys[] = {
	"kernel", "initrd", "cmdline", NULL
};

static const struct table_keys tables[] = {
	{ "", false, root_keys },
	{ "vif", true, vif_keys },
	{ "accel", true, accel_keys },
	{ "mdev", false, mdev_keys },
	{ "qemu", false, qemu_keys },
	{ "boot", false, boot_keys },
};

struct sctx {
	struct vm_spec *spec;
	const char *file;
	int errors;
};

/* "vif[0].rate", "mdev.type", "memory": how the messages name a key. */
static const char *kpath(const struct ttable *t, const char *key, char *buf,
			 size_t len)
{
	if (!*t->name)
		strf(buf, len, "%s", key);
	else if (t->array)
		strf(buf, len, "%s[%u]%s%s", t->name, t->index,
			 key ? "." : "", key ? key : "");
	else
		strf(buf, len, "%s%s%s", t->name, key ? "." : "",
			 key ? key : "");
	return buf;
}

int spec_line(const struct ttable *t, const char *key)
{
	unsigned int i;

	for (i = 0; key && i < t->nkeys; i++)
		if (!strcmp(t->keys[i].key, key))
			return t->keys[i].line;
	return t->line;
}

static void serr(struct sctx *x, const struct ttable *t, const char *key,
		 const char *fmt, ...) __printf(4, 5);

static void serr(struct sctx *x, const struct ttable *t, const char *key,
		 const char *fmt, ...)
{
	char path[96], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(x->file, spec_line(t, key), kpath(t, key, path, sizeof(path)),
	     "%s", msg);
	x->errors++;
}

/*
 * Key @key of @t when given with type @type: its value, else NULL (after
 * saying what is wrong when it is given with another type, or missing and
 * @required).  @hint says what a string of the key looks like, for the
 * message when a number was written instead.
 */
static const struct tval *want(struct sctx *x, const struct ttable *t,
			       const char *key, enum tval_type type,
			       bool required, const char *hint)
{
	struct tkey *k = toml_key(t, key);

	if (!k) {
		if (required)
			serr(x, t, NULL, "'%s' is required%s%s", key,
			     hint ? ", e.g. " : "", hint ? hint : "");
		return NULL;
	}
	if (k->v.type == type)
		return &k->v;
	if (type == TV_STR && hint && (k->v.type == TV_INT ||
				       k->v.type == TV_FLOAT))
		serr(x, t, key, "a number without a unit: write a string with one, e.g. %s",
		     hint);
	else
		serr(x, t, key, "wants %s, not %s", tval_type_name(type),
		     tval_type_name(k->v.type));
	return NULL;
}

static bool want_str(struct sctx *x, const struct ttable *t, const char *key,
		     bool required, const char *hint, char *buf, size_t len)
{
	const struct tval *v = want(x, t, key, TV_STR, required, hint);

	if (!v)
		return false;
	if (strlen(v->s) >= len) {
		serr(x, t, key, "longer than %zu characters", len - 1);
		return false;
	}
	memcpy(buf, v->s, strlen(v->s) + 1);
	return true;
}

static bool want_int(struct sctx *x, const struct ttable *t, const char *key,
		     long long min, long long max, unsigned int *out)
{
	const struct tval *v = want(x, t, key, TV_INT, false, NULL);

	if (!v)
		return false;
	if (v->i < min || v->i > max) {
		serr(x, t, key, "%lld is out of range (%lld to %lld)", v->i, min,
		     max);
		return false;
	}
	*out = v->i;
	return true;
}

/* The name of a VM: also a libvirt domain's, a cgroup's, a VIF's prefix. */
int valid_vm_name(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > VM_NAME_MAX || name[0] == '-' || name[0] == '.')
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			return -EINVAL;
	return 0;
}

static bool valid_class(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n >= CLASS_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static bool valid_dev_name(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 31 || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/*
 * libvirt's resource partition, "/machine" or "/machine/vcore": absolute,
 * its parts letters, digits and '_' (systemd's slice names use '-' to
 * nest).  Its cgroup, as systemd and libvirt name it: /machine.slice,
 * /machine.slice/machine-vcore.slice.
 */
int partition_cgroup(const char *part, char *buf, size_t len)
{
	char prefix[128] = "";
	size_t n = 0, plen = 0;
	const char *p = part, *e;

	if (*p != '/' || !p[1])
		return -EINVAL;
	buf[0] = '\0';
	while (*p == '/') {
		p++;
		e = p + strcspn(p, "/");
		if (e == p || (size_t)(e - p) > 32)
			return -EINVAL;
		for (const char *q = p; q < e; q++)
			if (!isalnum((unsigned char)*q) && *q != '_')
				return -EINVAL;
		if (plen + (e - p) + 2 >= sizeof(prefix))
			return -EINVAL;
		plen += strf(prefix + plen, sizeof(prefix) - plen, "%s%.*s",
				 plen ? "-" : "", (int)(e - p), p);
		n += strf(buf + n, n < len ? len - n : 0, "/%s.slice", prefix);
		p = e;
	}
	if (*p || n >= len)
		return -EINVAL;
	return 0;
}

void vm_cgroup(const struct vm_spec *spec, char *buf, size_t len)
{
	char part[256];

	if (partition_cgroup(spec->partition, part, sizeof(part)))
		part[0] = '\0';
	strf(buf, len, "%s/vcore-%s.scope", part, spec->name);
}

static void root_table(struct sctx *x, const struct ttable *t)
{
	struct vm_spec *s = x->spec;
	char buf[128], part[256];
	int ret;

	if (want_str(x, t, "name", true, "name = \"web1\"", s->name,
		     sizeof(s->name)) && valid_vm_name(s->name))
		serr(x, t, "name", "'%s': 1 to %d letters, digits, '_' or '-', not first",
		     s->name, VM_NAME_MAX);
	if (want_str(x, t, "uuid", false, NULL, s->uuid, sizeof(s->uuid)) &&
	    parse_uuid(s->uuid))
		serr(x, t, "uuid", "'%s' is not a UUID in lower case (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
		     s->uuid);
	s->vcpus = 1;
	want_int(x, t, "vcpus", 1, 1024, &s->vcpus);
	if (want_str(x, t, "memory", true, "\"2GiB\"", buf, sizeof(buf))) {
		ret = parse_size(buf, &s->memory);
		if (ret == -EDOM)
			serr(x, t, "memory", "'%s' has no unit: MiB, GiB (e.g. \"2GiB\")",
			     buf);
		else if (ret)
			serr(x, t, "memory", "'%s' is not a size (e.g. \"512MiB\", \"2GiB\")",
			     buf);
		else if (s->memory % (1 << 20) || s->memory < 16 << 20)
			serr(x, t, "memory", "'%s': a whole number of MiB, at least 16MiB",
			     buf);
	}
	s->weight = WEIGHT_DFL;
	want_int(x, t, "weight", WEIGHT_MIN, WEIGHT_MAX, &s->weight);
	snprintf(s->partition, sizeof(s->partition), "%s", "/machine");
	if (want_str(x, t, "partition", false, NULL, s->partition,
		     sizeof(s->partition)) &&
	    partition_cgroup(s->partition, part, sizeof(part)))
		serr(x, t, "partition", "'%s' is not a partition as libvirt takes them: /machine or /machine/NAME..., parts of letters, digits and '_'",
		     s->partition);
}

static void vif_table(struct sctx *x, const struct ttable *t)
{
	struct spec_vif *v;
	char buf[128];
	const struct tval *val;
	int ret;

	if (x->spec->nvifs == SPEC_MAX_VIFS) {
		serr(x, t, NULL, "more than %d VIFs", SPEC_MAX_VIFS);
		return;
	}
	v = &x->spec->vifs[x->spec->nvifs++];
	v->t = t;
	if (want_str(x, t, "np", true, "np = \"svnic-np0\"", v->np,
		     sizeof(v->np)) && !*v->np)
		serr(x, t, "np", "empty");
	if (want_str(x, t, "mac", true, "mac = \"52:54:00:00:00:01\"", buf,
		     sizeof(buf))) {
		if (parse_mac(buf, v->mac))
			serr(x, t, "mac", "'%s' is not a MAC address (XX:XX:XX:XX:XX:XX)",
			     buf);
		else if (v->mac[0] & 1)
			serr(x, t, "mac", "%s is a multicast address: a VIF's is unicast",
			     buf);
		else if (!(v->mac[0] | v->mac[1] | v->mac[2] | v->mac[3] |
			   v->mac[4] | v->mac[5]))
			serr(x, t, "mac", "the zero address");
		else
			v->mac_ok = true;
	}
	if (want_str(x, t, "name", false, NULL, v->name, sizeof(v->name))) {
		if (!valid_dev_name(v->name))
			serr(x, t, "name", "'%s': 1 to 31 letters, digits, '_', '-' or '.'",
			     v->name);
	} else if (!toml_key(t, "name")) {
		strf(v->name, sizeof(v->name), "%s-n%u", x->spec->name,
			 t->index);
	}
	v->mtu = 1500;
	want_int(x, t, "mtu", MTU_MIN, MTU_MAX, &v->mtu);
	val = want(x, t, "rate", TV_STR, false, "\"100mbit\"");
	if (val && strcmp(val->s, "none")) {
		ret = parse_rate(val->s, &v->rate);
		if (ret == -EDOM)
			serr(x, t, "rate", "'%s' has no unit: bit, kbit, mbit, gbit (bits/s), or bps, kbps, mbps (bytes/s)",
			     val->s);
		else if (ret || !v->rate)
			serr(x, t, "rate", "'%s' is not a rate (e.g. \"100mbit\", \"1gbit\", \"125000bps\", \"none\")",
			     val->s);
	}
	val = want(x, t, "burst", TV_STR, false, "\"64KiB\"");
	if (val) {
		ret = parse_size(val->s, &v->burst);
		if (ret == -EDOM)
			serr(x, t, "burst", "'%s' has no unit: B, KiB, MiB (e.g. \"64KiB\")",
			     val->s);
		else if (ret)
			serr(x, t, "burst", "'%s' is not a size (e.g. \"64KiB\")", val->s);
		else if (!toml_key(t, "rate") || !v->rate)
			serr(x, t, "burst", "a burst comes with a rate");
		else if (v->burst < v->mtu + 18ULL)
			serr(x, t, "burst", "%s is less than one frame (MTU %u + 18 bytes)",
			     val->s, v->mtu);
	}
	want_int(x, t, "vlan", 1, 4094, &v->vlan);
}

static void accel_table(struct sctx *x, const struct ttable *t)
{
	struct spec_accel *a;
	const struct tval *val;
	unsigned int weight;
	char buf[128];
	int ret;

	if (x->spec->naccels == SPEC_MAX_ACCELS) {
		serr(x, t, NULL, "more than %d accelerator classes", SPEC_MAX_ACCELS);
		return;
	}
	a = &x->spec->accels[x->spec->naccels++];
	a->t = t;
	if (want_str(x, t, "class", true, "class = \"cpu\"", buf, sizeof(buf))) {
		if (!valid_class(buf))
			serr(x, t, "class", "'%s' is not a class name (lower case letters, digits, '_', '-'; at most %d)",
			     buf, CLASS_LEN - 1);
		else
			snprintf(a->class, sizeof(a->class), "%s", buf);
	}
	/*
	 * vcore_sched shares every class by the cgroup's cpu.weight: one
	 * weight per VM.  A class's own is taken when it says the same.
	 */
	if (want_int(x, t, "weight", WEIGHT_MIN, WEIGHT_MAX, &weight) &&
	    weight != x->spec->weight)
		serr(x, t, "weight", "%u differs from the VM's weight %u: vcore_sched shares every class by the one cpu.weight of the VM's cgroup",
		     weight, x->spec->weight);
	val = want(x, t, "reserve", TV_STR, false, "\"2ms/10ms\"");
	if (val) {
		if (parse_reserve(val->s, &a->budget_ns, &a->period_ns))
			serr(x, t, "reserve", "'%s' is not BUDGET/PERIOD with units ns, us, ms or s (e.g. \"2ms/10ms\")",
			     val->s);
		else if (a->period_ns < PERIOD_MIN_NS || a->period_ns > PERIOD_MAX_NS)
			serr(x, t, "reserve", "period of '%s' is out of range (100us to 10s)",
			     val->s);
		else if (!a->budget_ns || a->budget_ns > a->period_ns)
			serr(x, t, "reserve", "budget of '%s' is 0 or above its period",
			     val->s);
	}
	a->contexts = 1;
	if (want_int(x, t, "contexts", 1, 64, &a->contexts) && !a->budget_ns)
		serr(x, t, "contexts", "contexts book a reservation: give 'reserve'");
	val = want(x, t, "units", TV_STR, false, "\"0-1\"");
	if (val) {
		ret = parse_units(val->s, &a->units);
		if (ret == -ERANGE)
			serr(x, t, "units", "'%s': units are numbered 0 to %d", val->s,
			     MAX_UNITS - 1);
		else if (ret)
			serr(x, t, "units", "'%s' is not a list of units (e.g. \"0-1,3\")",
			     val->s);
	}
	val = want(x, t, "exclusive", TV_BOOL, false, NULL);
	if (val) {
		a->exclusive = val->b;
		if (a->exclusive && !toml_key(t, "units"))
			serr(x, t, "exclusive", "an exclusive partition needs its 'units'");
	}
}

static void mdev_table(struct sctx *x, const struct ttable *t)
{
	struct spec_mdev *m = &x->spec->mdev;

	m->t = t;
	m->present = true;
	want_str(x, t, "type", true, "type = \"vaal-small\" (mdev_supported_types)",
		 m->type, sizeof(m->type));
	if (strchr(m->type, '/') || m->type[0] == '.')
		serr(x, t, "type", "'%s' is not a type's name", m->type);
	if (want_str(x, t, "uuid", false, NULL, m->uuid, sizeof(m->uuid)) &&
	    parse_uuid(m->uuid))
		serr(x, t, "uuid", "'%s' is not a UUID in lower case (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
		     m->uuid);
}

static void qemu_table(struct sctx *x, const struct ttable *t)
{
	struct vm_spec *s = x->spec;
	const struct tval *v;
	unsigned int i;

	want_str(x, t, "binary", false, NULL, s->qemu_binary,
		 sizeof(s->qemu_binary));
	want_str(x, t, "machine", false, NULL, s->qemu_machine,
		 sizeof(s->qemu_machine));
	want_str(x, t, "accel", false, NULL, s->qemu_accel,
		 sizeof(s->qemu_accel));
	want_str(x, t, "nic_opts", false, NULL, s->nic_opts,
		 sizeof(s->nic_opts));
	v = want(x, t, "args", TV_ARRAY, false, NULL);
	if (!v)
		return;
	if (v->n > SPEC_MAX_ARGS) {
		serr(x, t, "args", "more than %d arguments", SPEC_MAX_ARGS);
		return;
	}
	for (i = 0; i < v->n; i++) {
		if (v->items[i].type != TV_STR) {
			serr(x, t, "args", "argument %u is %s: every argument is a string",
			     i, tval_type_name(v->items[i].type));
			return;
		}
	}
	for (i = 0; i < v->n; i++)
		s->args[s->nargs++] = v->items[i].s;
}

static void boot_table(struct sctx *x, const struct ttable *t)
{
	struct vm_spec *s = x->spec;

	want_str(x, t, "kernel", false, NULL, s->kernel, sizeof(s->kernel));
	want_str(x, t, "initrd", false, NULL, s->initrd, sizeof(s->initrd));
	want_str(x, t, "cmdline", false, NULL, s->cmdline, sizeof(s->cmdline));
	if ((*s->initrd || *s->cmdline) && !*s->kernel)
		serr(x, t, NULL, "an initrd or a cmdline needs a kernel");
}

static void unknown_keys(struct sctx *x, const struct ttable *t,
			 const struct table_keys *tk)
{
	char known[256], path[96];
	unsigned int i, j;
	size_t n;

	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].used)
			continue;
		n = 0;
		known[0] = '\0';
		for (j = 0; tk->keys[j]; j++)
			n += strf(known + n, sizeof(known) - n, "%s%s",
				      j ? ", " : "", tk->keys[j]);
		if (*t->name)
			strf(path, sizeof(path), " in %s%s%s", t->array ? "[[" : "[",
				 t->name, t->array ? "]]" : "]");
		else
			strf(path, sizeof(path), " at the top");
		diag(x->file, t->keys[i].line, t->keys[i].key,
		     "unknown key%s (known: %s)", path, known);
		x->errors++;
	}
}

/* What must hold among the tables. */
static void cross_checks(struct sctx *x)
{
	struct vm_spec *s = x->spec;
	const struct spec_accel *res = NULL;
	char mac[18];
	unsigned int i, j;

	for (i = 0; i < s->nvifs; i++) {
		for (j = 0; j < i; j++) {
			if (s->vifs[i].mac_ok && s->vifs[j].mac_ok &&
			    !memcmp(s->vifs[i].mac, s->vifs[j].mac, 6))
				serr(x, s->vifs[i].t, "mac", "%s is vif[%u]'s too (line %d)",
				     fmt_mac(s->vifs[i].mac, mac, sizeof(mac)), j,
				     spec_line(s->vifs[j].t, "mac"));
			if (*s->vifs[i].name && !strcmp(s->vifs[i].name, s->vifs[j].name))
				serr(x, s->vifs[i].t, "name", "'%s' is vif[%u]'s too (line %d)",
				     s->vifs[i].name, j, spec_line(s->vifs[j].t, "name"));
		}
	}
	for (i = 0; i < s->naccels; i++) {
		const struct spec_accel *a = &s->accels[i];

		for (j = 0; j < i; j++)
			if (*a->class && !strcmp(a->class, s->accels[j].class))
				serr(x, a->t, "class", "'%s' is accel[%u]'s too (line %d): one [[accel]] per class",
				     a->class, j, spec_line(s->accels[j].t, "class"));
		if (!a->budget_ns)
			continue;
		if (res)
			serr(x, a->t, "reserve", "a second reservation (accel[%u] has one, line %d): a VM holds one, on one class (its mdev holds one)",
			     res->t->index, spec_line(res->t, "reserve"));
		else
			res = a;
	}
	if (s->mdev.present && !*s->mdev.uuid && *s->name)
		name_uuid("vcore-mdev", s->name, s->mdev.uuid);
	if (!*s->uuid && *s->name)
		name_uuid("vcore-domain", s->name, s->uuid);
	if (!*s->qemu_binary)
		snprintf(s->qemu_binary, sizeof(s->qemu_binary), "%s", "qemu-system-x86_64");
	if (!*s->qemu_machine)
		snprintf(s->qemu_machine, sizeof(s->qemu_machine), "%s", "q35");
	if (!*s->qemu_accel)
		snprintf(s->qemu_accel, sizeof(s->qemu_accel), "%s", "kvm");
}

/**
 * spec_from_text - a VM's spec from the text of its file
 * @file: the file's name, for messages
 * @text: its text
 * @spec: filled; spec_free() it whatever the result
 *
 * Every error is reported with diag() as FILE:LINE: KEY: why.
 *
 * Return: 0, -EINVAL for a spec with errors, -ENOMEM.
 */
int spec_from_text(const char *file, const char *text, struct vm_spec *spec)
{
	struct sctx x = { .spec = spec, .file = file };
	unsigned int i, j;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->text = strdup(text);
	if (!spec->text)
		return -ENOMEM;
	ret = toml_parse(file, text, &spec->doc);
	if (ret)
		return ret;
	for (i = 0; i < spec->doc.ntables; i++) {
		const struct ttable *t = &spec->doc.tables[i];

		for (j = 0; j < ARRAY_SIZE(tables); j++)
			if (!strcmp(t->name, tables[j].name))
				break;
		if (j == ARRAY_SIZE(tables)) {
			diag(file, t->line, NULL,
			     "unknown table [%s] (known: [[vif]], [[accel]], [mdev], [qemu], [boot])",
			     t->name);
			x.errors++;
			continue;
		}
		if (t->array != tables[j].array) {
			diag(file, t->line, NULL, "%s is %s: write %s%s%s",
			     t->name, tables[j].array ? "one of many" :
			     "a single table", tables[j].array ? "[[" : "[",
			     t->name, tables[j].array ? "]]" : "]");
			x.errors++;
			continue;
		}
		switch (j) {
		case 0:
			root_table(&x, t);
			break;
		case 1:
			vif_table(&x, t);
			break;
		case 2:
			accel_table(&x, t);
			break;
		case 3:
			mdev_table(&x, t);
			break;
		case 4:
			qemu_table(&x, t);
			break;
		case 5:
			boot_table(&x, t);
			break;
		}
		unknown_keys(&x, t, &tables[j]);
	}
	/* Among the tables too, whatever else is wrong: every error at once. */
	cross_checks(&x);
	return x.errors ? -EINVAL : 0;
}

int spec_load(const char *file, struct vm_spec *spec)
{
	char *text;
	int ret;

	memset(spec, 0, sizeof(*spec));
	text = file_slurp(file);
	if (!text) {
		diag(file, 0, NULL, "cannot read it: %s", strerror(errno));
		return -errno;
	}
	ret = spec_from_text(file, text, spec);
	free(text);
	return ret;
}

void spec_free(struct vm_spec *spec)
{
	toml_free(&spec->doc);
	free(spec->text);
	spec->text = NULL;
}

/* The [[accel]] with the VM's reservation, or NULL. */
const struct spec_accel *spec_reserving(const struct vm_spec *spec)
{
	unsigned int i;

	for (i = 0; i < spec->naccels; i++)
		if (spec->accels[i].budget_ns)
			return &spec->accels[i];
	return NULL;
}
