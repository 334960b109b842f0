/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_opencld.h - the OpenCL controller of /dev/vaal: what its parts share
 *
 *   main.c       options, devices and their queues, threads, signals
 *   loop.c       the pullers, retired keys, the deadline watchdog
 *   progcache.c  programs built once per kernel key, signatures, logs
 *   launch.c     a work on its unit: arguments, enqueue, completion
 *   bufs.c       the units' guarded mappings of buffer arguments, cl_mems
 */
#ifndef _VAAL_OPENCLD_H
#define _VAAL_OPENCLD_H

#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/ctrld.h"
#include "../lib/libvaal.h"

#define MAX_UNITS	256	/* &vaal_ctrl_register.nr_units at most */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/**
 * struct opts - the command line
 * @device: the VAAL device node
 * @name: the controller's name
 * @class: the class it serves
 * @platform: only platforms whose name contains this, or NULL
 * @type: OpenCL device types to serve
 * @max_devices: devices to serve at most
 * @queues: command queues per device
 * @depth: units per queue
 * @threads: pulling threads
 * @build_options: options every build gets, after -cl-kernel-arg-info
 * @cache_dir: PoCL's kernel cache (POCL_CACHE_DIR), or NULL
 * @guard: bytes of guard on each side of a buffer argument's mapping
 * @fail_after: exit with status 3 right after pulling this many works
 * @verbose: a line per event on standard error
 */
struct opts {
	const char *device;
	const char *name;
	const char *class;
	const char *platform;
	cl_device_type type;
	unsigned int max_devices;
	unsigned int queues;
	unsigned int depth;
	unsigned int threads;
	const char *build_options;
	const char *cache_dir;
	size_t guard;
	unsigned long fail_after;
	int verbose;
};

/**
 * struct device - an OpenCL device served
 * @index: its place in devs[]
 * @platform: its platform
 * @id: the device
 * @ctx: a context of it alone
 * @name: its name, for logs
 * @spirv: it takes SPIR-V (CL_DEVICE_IL_VERSION names it)
 * @in_place: a CL_MEM_USE_HOST_PTR buffer maps at its host pointer: the
 *	device uses host memory in place
 * @align: bytes a host pointer is aligned to for that (MEM_BASE_ADDR_ALIGN)
 * @ooo: its queues execute out of order (they hold several units' work)
 * @qlock: protects @queues
 * @queues: its command queues
 * @nr_queues: entries in @queues
 */
struct device {
	unsigned int index;
	cl_platform_id platform;
	cl_device_id id;
	cl_context ctx;
	char name[128];
	int spirv;
	int in_place;
	size_t align;
	int ooo;
	pthread_mutex_t qlock;
	cl_command_queue *queues;
	unsigned int nr_queues;
};

/**
 * struct slot - a buffer argument of a unit: a guarded mapping, and the
 *	cl_mem over the range last used
 * @resv: the reservation, guard + mapping + guard, or NULL
 * @resv_bytes: its length
 * @map: the mapping of the whole buffer, in @resv
 * @mmap_offset: the controller file's offset it maps
 * @bytes: the buffer's length (mapped)
 * @prot: its protection
 * @dirty: a fault replaced it with scratch memory: map it again
 * @mem: the cl_mem over [@mem_off, @mem_off + @mem_len) of @map, kept
 *	while the same range is used again (in-place devices), or NULL
 * @mem_off: its range's offset
 * @mem_len: its range's length
 * @mem_flags: its flags
 *
 * Only the thread that holds the unit's lock changes it; the fault
 * handler reads @resv and @resv_bytes.
 */
struct slot {
	char *resv;
	size_t resv_bytes;
	char *map;
	uint64_t mmap_offset;
	uint64_t bytes;
	int prot;
	int dirty;
	cl_mem mem;
	uint64_t mem_off;
	uint64_t mem_len;
	cl_mem_flags mem_flags;
};

struct kent;

/**
 * struct unit - a unit of the controller: one place of a command queue
 * @idx: its number, as the core numbers it
 * @dev: its device
 * @queue: its queue, an index into @dev->queues
 * @lock: protects everything below
 * @busy: it holds work
 * @gen: bumped at each work: callbacks and parked work of an older one
 *	are stale
 * @token: the work's token
 * @deadline_ns: when the core times it out (CLOCK_MONOTONIC)
 * @kent: the work's kernel (a reference), once known
 * @kev: the kernel's event, once enqueued
 * @tmp_mem: cl_mems of this work only (not in place)
 * @nr_tmp: entries in @tmp_mem
 * @faulted: a fault in the unit's mappings (set by the signal handler;
 *	read and written with atomics)
 * @slots: its buffer arguments' mappings
 */
struct unit {
	unsigned int idx;
	struct device *dev;
	unsigned int queue;
	pthread_mutex_t lock;
	int busy;
	uint32_t gen;
	uint64_t token;
	uint64_t deadline_ns;
	struct kent *kent;
	cl_event kev;
	cl_mem tmp_mem[VAAL_MAX_ARGS];
	unsigned int nr_tmp;
	int faulted;
	struct slot slots[VAAL_MAX_ARGS];
};

/**
 * struct work - pulled work waiting for its kernel's build (parked)
 * @next: the next one parked
 * @unit: its unit
 * @gen: its unit's generation when it was pulled
 * @p: the pull that described it
 */
struct work {
	struct work *next;
	struct unit *unit;
	uint32_t gen;
	struct vaal_ctrl_pull p;
};

extern const char *prog;
extern struct opts opt;
extern int ctrl_fd;
extern struct device *devs;
extern unsigned int nr_devs;
extern struct unit *units;
extern unsigned int nr_units;
extern unsigned int nr_abandoned;

/* main.c */
extern int trace_on;
#define TRACE(what) do { if (trace_on) fprintf(stderr, "T %s %llu\n", what, (unsigned long long)(mono_ns() / 1000 % 100000000)); } while (0)
void vlog(const char *fmt, ...);
uint64_t mono_ns(void);
cl_command_queue queue_of(const struct unit *u);
void queue_replace(struct unit *u);
const char *cl_err_name(cl_int err);
int cl_errno(cl_int err);

/* loop.c */
int loop_start(void);
void loop_stop(void);
void watchdog_kick(uint64_t deadline_ns);
int is_stopping(void);

/* progcache.c */
#define KENT_PARKED	1	/* kent_get(): the work waits for a build */
int cache_init(void);
int kent_get(struct unit *u, uint32_t gen, const struct vaal_ctrl_pull *p,
	     struct kent **kp);
void kent_put(struct kent *k);
void cache_gone(const uint64_t *keys, unsigned int n);
int kent_failed(const struct kent *k, const struct device *d,
		const char **log, size_t *log_len);
cl_kernel kent_kernel(struct kent *k, struct unit *u, cl_int *err);
int kent_set_scalars(const struct kent *k, const struct device *d,
		     cl_kernel kern, const struct vaal_ctrl_pull *p);
const char *kent_name(const struct kent *k);
uint64_t kent_key(const struct kent *k);

/* launch.c */
void work_start(const struct vaal_ctrl_pull *p);
void work_launch(struct unit *u, uint32_t gen, const struct vaal_ctrl_pull *p,
		 struct kent *k);
int unit_complete(struct unit *u, uint32_t gen, int res, uint64_t device_ns,
		  const char *log, size_t log_len);
void unit_abandon(struct unit *u, uint32_t gen);
void units_close(void);

/* bufs.c */
int bufs_init(void);
int slot_mem(struct unit *u, unsigned int i, const struct vaal_ctrl_arg *arg,
	     cl_mem *mem, int *tmp);
void slots_refresh(struct unit *u);
void slots_abandon(struct unit *u);
void slots_free(struct unit *u);

#endif /* _VAAL_OPENCLD_H */
