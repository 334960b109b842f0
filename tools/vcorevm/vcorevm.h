/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcorevm.h - what vcorevm's parts share
 *
 * vcorevm describes a V-Core VM in one spec file (a TOML subset, toml.c),
 * checks it against the host's live state (host.c collects it, check.c
 * judges), applies it all or nothing with a journal (apply.c, vdpa.c) and
 * hands it to QEMU (qemu.c) or libvirt (libvirt.c, with its hook).
 * main.c parses the options and dispatches.
 */
#ifndef _VCOREVM_H
#define _VCOREVM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/json_writer.h"

/* The kernel's name for printf-like checking (compiler_attributes.h). */
#ifndef __printf
#define VCOREVM_FORMAT format
#define __printf(a, b) __attribute__((VCOREVM_FORMAT(printf, a, b)))
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses: refused or failed, and bad usage or a bad spec. */
#define EXIT_REFUSED	1
#define EXIT_USAGE	2

/* Bounds of a spec. */
#define VM_NAME_MAX	32		/* characters of a VM's name */
#define SPEC_MAX_VIFS	16
#define SPEC_MAX_ACCELS	8
#define SPEC_MAX_ARGS	64
#define CLASS_LEN	16		/* VAAL_CLASS_LEN */
#define UUID_LEN	37		/* with its NUL */
#define MTU_MIN		68		/* svnic's */
#define MTU_MAX		9000
#define MAX_VIFS_UNKNOWN	UINT_MAX	/* svnic's parameter unread */
#define WEIGHT_MIN	1		/* cpu.weight's */
#define WEIGHT_MAX	10000
#define WEIGHT_DFL	100
#define PERIOD_MIN_NS	100000ULL	/* VAAL_SCHED_MIN_PERIOD_NS */
#define PERIOD_MAX_NS	10000000000ULL	/* VAAL_SCHED_MAX_PERIOD_NS */
#define MAX_PARTS	8		/* vcore_sched's partitions per class */
#define MAX_UNITS	64

/* Where things are; tests move the state directory (VCOREVM_RUN). */
#define RUN_DIR_DFL	"/run/vcore"
#define VCS_SYSFS	"/sys/kernel/vcore_sched"
#define VCS_DEBUGFS	"/sys/kernel/debug/vcore_sched"
#define MDEV_PARENT	"/sys/class/mdev_bus/vaal"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"
#define VDPA_DEVICES	"/sys/bus/vdpa/devices"
#define VIF_LINK_DIR	"/dev/vcore"
#define LIBVIRT_NS	"urn:x-vcore:vm:1"
#define LIBVIRT_PIDDIR	"/run/libvirt/qemu"

/* ---- toml.c: the TOML subset ------------------------------------------ */

enum tval_type { TV_STR, TV_INT, TV_BOOL, TV_ARRAY, TV_FLOAT };

/**
 * struct tval - a value of the spec
 * @type: which of the members below holds it
 * @line: where it starts
 * @s: %TV_STR
 * @i: %TV_INT
 * @b: %TV_BOOL
 * @items: %TV_ARRAY's values
 * @n: how many
 */
struct tval {
	enum tval_type type;
	int line;
	char *s;
	long long i;
	bool b;
	struct tval *items;
	unsigned int n;
};

struct tkey {
	char *key;
	int line;
	bool used;
	struct tval v;
};

/**
 * struct ttable - a table: the root (name ""), [name] or one [[name]]
 * @name: its name
 * @array: given as [[name]]
 * @index: its place among the [[name]] of the same name
 * @line: its header's line (1 for the root)
 * @keys: its keys, in the order given
 * @nkeys: how many
 */
struct ttable {
	char *name;
	bool array;
	unsigned int index;
	int line;
	struct tkey *keys;
	unsigned int nkeys;
};

struct tdoc {
	char *file;
	struct ttable *tables;
	unsigned int ntables;
};

int toml_parse(const char *file, const char *text, struct tdoc *doc);
void toml_free(struct tdoc *doc);
struct tkey *toml_key(const struct ttable *t, const char *key);
const char *tval_type_name(enum tval_type t);

/* ---- diagnostics ------------------------------------------------------- */

extern const char *prog;
extern int diag_count;
extern bool diag_quiet;
/* "FILE:LINE: WHAT: message" on stderr, counted in diag_count. */
void diag(const char *file, int line, const char *what, const char *fmt, ...)
	__printf(4, 5);
void err_msg(const char *fmt, ...) __printf(1, 2);

/* ---- units.c ---------------------------------------------------------- */

int strf(char *buf, size_t len, const char *fmt, ...)
	__printf(3, 4);

int parse_rate(const char *s, uint64_t *bytes_per_s);
int parse_size(const char *s, uint64_t *bytes);
int parse_ns(const char *s, uint64_t *ns);
int parse_reserve(const char *s, uint64_t *budget, uint64_t *period);
int parse_units(const char *s, uint64_t *mask);
int parse_mac(const char *s, uint8_t mac[6]);
int parse_uuid(const char *s);
const char *fmt_rate(uint64_t bytes_per_s, char *buf, size_t len);
const char *fmt_size(uint64_t bytes, char *buf, size_t len);
const char *fmt_ns(uint64_t ns, char *buf, size_t len);
const char *fmt_units(uint64_t mask, char *buf, size_t len);
const char *fmt_mac(const uint8_t mac[6], char *buf, size_t len);
/* Share of one unit a reservation takes, in millionths, rounded up. */
uint64_t rt_ppm(uint64_t budget, uint64_t period);
void name_uuid(const char *ns, const char *name, char out[UUID_LEN]);

/* ---- spec.c: a VM's spec ----------------------------------------------- */

struct spec_vif {
	const struct ttable *t;
	char name[64];
	char np[64];
	uint8_t mac[6];
	bool mac_ok;		/* given, and a VIF's MAC */
	unsigned int mtu;
	uint64_t rate;		/* bytes/s, 0: none */
	uint64_t burst;		/* bytes, 0: the default */
	unsigned int vlan;	/* 0: none */
};

struct spec_accel {
	const struct ttable *t;
	char class[CLASS_LEN];
	uint64_t budget_ns, period_ns;	/* 0: no reservation */
	unsigned int contexts;		/* the reservation is booked for */
	uint64_t units;			/* 0: no partition */
	bool exclusive;
};

struct spec_mdev {
	const struct ttable *t;
	bool present;
	char type[64];
	char uuid[UUID_LEN];
};

/**
 * struct vm_spec - one VM, as its spec file describes it
 * @doc: the parsed file (kept for where each value was given)
 * @text: the file's text
 * @name: the VM's name, also libvirt's domain name
 * @uuid: the domain's UUID, given or derived from the name
 * @vcpus: virtual CPUs
 * @memory: bytes
 * @weight: cpu.weight of the VM's cgroup: CPU and every accelerator class
 * @partition: libvirt's resource partition ("/machine")
 * @vifs: its network interfaces
 * @nvifs: how many
 * @accels: its accelerator classes
 * @naccels: how many
 * @mdev: its VAAL mediated device
 * @qemu_binary: QEMU to run
 * @qemu_machine: -machine
 * @qemu_accel: -accel
 * @nic_opts: more properties of every virtio-net-pci device
 * @args: more QEMU arguments
 * @nargs: how many
 * @kernel: direct kernel boot, or ""
 * @initrd: with it
 * @cmdline: the kernel's command line
 */
struct vm_spec {
	struct tdoc doc;
	char *text;
	char name[VM_NAME_MAX + 1];
	char uuid[UUID_LEN];
	unsigned int vcpus;
	uint64_t memory;
	unsigned int weight;
	char partition[128];
	struct spec_vif vifs[SPEC_MAX_VIFS];
	unsigned int nvifs;
	struct spec_accel accels[SPEC_MAX_ACCELS];
	unsigned int naccels;
	struct spec_mdev mdev;
	char qemu_binary[256];
	char qemu_machine[64];
	char qemu_accel[64];
	char nic_opts[512];
	char *args[SPEC_MAX_ARGS];
	unsigned int nargs;
	char kernel[256];
	char initrd[256];
	char cmdline[1024];
};

int spec_load(const char *file, struct vm_spec *spec);
int spec_from_text(const char *file, const char *text, struct vm_spec *spec);
void spec_free(struct vm_spec *spec);
const struct spec_accel *spec_reserving(const struct vm_spec *spec);
/* Where a key of a table was given: its line, or the table's. */
int spec_line(const struct ttable *t, const char *key);
int valid_vm_name(const char *name);
/* The cgroup path (from cgroupfs's root) of partition @part, into @buf. */
int partition_cgroup(const char *part, char *buf, size_t len);
/* The cgroup vcorevm makes for the VM when QEMU is not libvirt's. */
void vm_cgroup(const struct vm_spec *spec, char *buf, size_t len);

/* ---- host.c: what the host has ------------------------------------------ */

struct host_np {
	char name[64];
	char uplink[16];
	int64_t speed;		/* bytes/s, -1: unknown */
	unsigned int nr_vifs;
};

struct host_vif {
	char name[64];
	char np[64];
	uint8_t mac[6];
	unsigned int vlan;
	uint64_t rate;
};

struct host_part {
	uint64_t units;
	char cgroup[256];
	bool exclusive;
};

struct host_class {
	char name[CLASS_LEN];
	unsigned int units;
	unsigned int rt_limit;	/* percent */
	struct host_part parts[MAX_PARTS];
	unsigned int nparts;
};

struct host_resv {
	char class[CLASS_LEN];
	uint64_t budget, period;
	char owner[64];		/* "mdev:UUID", or "pid:N" */
};

struct host_mdev_type {
	char name[64];
	unsigned int available;
	unsigned int contexts;	/* per device at once */
	char classes[128];	/* "cpu,crypto" or "all" */
};

struct host_mdev {
	char uuid[UUID_LEN];
	char type[64];
	unsigned int contexts;	/* guest contexts now */
};

struct host_vm_part {
	char class[CLASS_LEN];
	uint64_t units;
	bool exclusive;
};

/*
 * A VM vcorevm manages: what it booked.  A VM prepared for libvirt has
 * its partitions written once QEMU runs (bound): till then they are
 * booked, not live.
 */
struct host_vm {
	char name[VM_NAME_MAX + 1];
	char state[32];
	char class[CLASS_LEN];	/* its reservation's, "" for none */
	uint64_t budget, period;
	unsigned int contexts;	/* booked */
	char mdev[UUID_LEN];
	char cgroup[256];
	struct host_vm_part parts[SPEC_MAX_ACCELS];
	unsigned int nparts;
	bool parts_live;
};

/**
 * struct host - the host's state that admission control reads
 * @from: "live", or the host file it was read from
 * @mem_available: bytes (MemAvailable)
 * @cpus: online CPUs
 * @cgroup_cpu: cgroup v2 with the cpu controller
 * @cgroup_root: where cgroupfs is mounted
 * @svnic: the svnic family answered
 * @max_vifs: svnic's max_vifs (0: no VIF at all), or %MAX_VIFS_UNKNOWN
 * @vcs: vcore_sched is loaded
 * @exact_resv: reservations are read per context (debugfs), not summed
 * @mdev_parent: the VAAL mdev parent is there
 * @nps: svnic's NPs
 * @nnps: how many
 * @vifs: svnic's VIFs
 * @nvifs: how many
 * @vdpa: every vdpa device's name
 * @nvdpa: how many
 * @classes: vcore_sched's classes
 * @nclasses: how many
 * @resvs: reservations of contexts (with @exact_resv)
 * @nresvs: how many
 * @admitted_ppm: without @exact_resv, what each class admitted, in
 *	millionths of one unit
 * @types: the VAAL mdev types
 * @ntypes: how many
 * @mdevs: the VAAL mdevs
 * @nmdevs: how many
 * @vms: the VMs vcorevm manages
 * @nvms: how many
 * @cgroups: cgroups that exist, of those asked about
 * @ncgroups: how many
 */
struct host {
	char from[256];
	uint64_t mem_available;
	unsigned int cpus;
	bool cgroup_cpu;
	char cgroup_root[256];
	bool svnic;
	unsigned int max_vifs;
	bool vcs;
	bool exact_resv;
	bool mdev_parent;
	struct host_np *nps;
	unsigned int nnps;
	struct host_vif *vifs;
	unsigned int nvifs;
	char (*vdpa)[64];
	unsigned int nvdpa;
	struct host_class *classes;
	unsigned int nclasses;
	struct host_resv *resvs;
	unsigned int nresvs;
	uint64_t *admitted_ppm;
	struct host_mdev_type *types;
	unsigned int ntypes;
	struct host_mdev *mdevs;
	unsigned int nmdevs;
	struct host_vm *vms;
	unsigned int nvms;
	char (*cgroups)[256];
	unsigned int ncgroups;
};

int host_collect(struct host *h, const struct vm_spec *spec);
int host_load(const char *file, struct host *h);
void host_print(const struct host *h, FILE *f);
void host_free(struct host *h);
const struct host_class *host_class_find(const struct host *h,
					 const char *name);
const struct host_np *host_np_find(const struct host *h, const char *name);
const struct host_mdev_type *host_type_find(const struct host *h,
					    const char *name);

/* ---- check.c: admission control ---------------------------------------- */

/**
 * struct verdict - one resource's answer
 * @resource: what it is about ("accel cpu", "vif 0 (svnic-np0)", ...)
 * @fits: whether it does
 * @reason: why not, or what was found when it does
 * @line: where in the spec (0: nowhere in particular)
 * @key: which key there ("vif[0].rate")
 */
struct verdict {
	char resource[96];
	bool fits;
	char reason[256];
	int line;
	char key[64];
};

struct verdicts {
	struct verdict v[128];
	unsigned int n;
	unsigned int refused;
};

void check_vm(const struct vm_spec *spec, const struct host *h,
	      bool for_apply, struct verdicts *out);
void verdicts_print(const struct vm_spec *spec, const struct verdicts *vs,
		    bool json, FILE *f);

/* ---- apply.c: all or nothing, a journal, release ---------------------- */

const char *run_dir(void);
int lock_host(bool exclusive);
int vm_dir(const char *name, char *buf, size_t len);
int journal_state(const char *dir, char *state, size_t len, char *cgroup,
		  size_t cglen);
int cmd_show(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int apply_spec(struct vm_spec *spec, bool libvirt, bool json);
int release_vm(const char *name, bool force, bool quiet);
int bind_vm(const char *name, int pid);
/* The VIF's vhost-vdpa path for QEMU and libvirt. */
void vif_link(const struct spec_vif *v, char *buf, size_t len);

/* ---- vdpa.c: VIFs -------------------------------------------------------- */

int vdpa_dev_add(const char *name, const char *mgmtdev, const uint8_t mac[6],
		 unsigned int mtu, char *why, size_t whylen);
int vdpa_dev_del(const char *name, char *why, size_t whylen);
int vdpa_bind_vhost(const char *name, char *dev, size_t len);
int vif_set(const char *name, uint64_t rate, uint64_t burst, int vlan,
	    char *why, size_t whylen);

/* ---- sysfs helpers (host.c) ------------------------------------------- */

int file_read(const char *path, char *buf, size_t len);
char *file_slurp(const char *path);
int file_write(const char *path, const char *text);
int file_u64(const char *path, uint64_t *v);

/* ---- qemu.c, libvirt.c -------------------------------------------------- */

int cmd_qemu(int argc, char **argv);
int cmd_libvirt(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int libvirt_xml(const struct vm_spec *spec, FILE *f);
char *libvirt_spec_of(const char *xml);

/* ---- main.c ----------------------------------------------------------------- */

extern bool json_out;
int usage_error(const char *fmt, ...) __printf(1, 2);

#endif /* _VCOREVM_H */
