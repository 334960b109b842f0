/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_cudad.h - the CUDA controller of /dev/vaal: what its parts share
 *
 *   main.c        options, the driver check, registration, signals
 *   loop.c        the pullers, retired keys, deadlines
 *   vctx.c        a CUDA context per vaal context, modules per kernel key
 *   launch.c      a work: geometry, arguments, the run, the completion
 *   bufs.c        the units' mappings of buffer arguments
 *   vcuda*.c      the driver itself (vcuda.h), nothing of /dev/vaal
 */
#ifndef _VAAL_CUDAD_H
#define _VAAL_CUDAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/ctrld.h"
#include "../lib/libvaal.h"
#include "vcuda.h"

#define MAX_UNITS	256	/* &vaal_ctrl_register.nr_units at most */

/**
 * struct opts - the command line
 * @device: the VAAL device node
 * @name: the controller's name
 * @class: the class it serves
 * @libcuda: the driver library to load, or NULL for libcuda.so.1
 * @max_devices: devices to serve at most, 0 for all
 * @units: units per device: works each device runs at once
 * @verbose: a line per event on standard error
 */
struct opts {
	const char *device;
	const char *name;
	const char *class;
	const char *libcuda;
	unsigned int max_devices;
	unsigned int units;
	int verbose;
};

/**
 * struct slot - a buffer argument of a unit: its mapping of the
 *	controller's file
 * @map: the mapping, or NULL
 * @mmap_offset: the file's offset it maps
 * @bytes: its length
 * @prot: its protection
 */
struct slot {
	void *map;
	uint64_t mmap_offset;
	uint64_t bytes;
	int prot;
};

/**
 * struct unit - a unit of the controller: a place for one work on a device
 * @idx: its number, as the core numbers it
 * @dev: its device's ordinal
 * @slots: its buffer arguments' mappings (only the thread running the
 *	unit's work touches them)
 */
struct unit {
	unsigned int idx;
	int dev;
	struct slot slots[VAAL_MAX_ARGS];
};

/**
 * struct vwork - what a work holds of its vaal context's CUDA context
 * @cc: the per-context state
 * @gen: the CUDA context it runs in (a reference)
 * @vc: @gen's context
 * @mod: its function, copied
 * @st: the unit's stream in @gen
 */
struct vwork {
	struct cctx *cc;
	struct cgen *gen;
	struct vcuda_ctx vc;
	struct vcuda_module mod;
	struct vcuda_stream *st;
};

/* vctx_put() outcomes */
enum { VCTX_OK, VCTX_POISONED, VCTX_ABANDON };

/**
 * struct stats - counters, for -v and the exit line
 * @works: works completed
 * @staged_bytes: bytes of buffers staged through device memory
 * @recreated: CUDA contexts destroyed after a fault and made again
 * @abandoned: CUDA contexts left holding a kernel past its deadline
 */
struct stats {
	uint64_t works;
	uint64_t staged_bytes;
	uint64_t recreated;
	uint64_t abandoned;
};

extern const char *prog;
extern struct opts opt;
extern int ctrl_fd;
extern struct unit *units;
extern unsigned int nr_units;
extern struct stats stats;

/* main.c */
void vlog(const char *fmt, ...);

/* loop.c */
int loop_start(void);
void loop_stop(void);
int is_stopping(void);

/* vctx.c */
int vctx_get(const struct vaal_ctrl_pull *p, struct vwork *vw, char **log);
void vctx_put(struct vwork *vw, int outcome);
void vctx_gone(const uint64_t *keys, unsigned int n);
void vctx_free_all(void);

/* launch.c */
void work_run(const struct vaal_ctrl_pull *p);

/* bufs.c */
void *slot_map(struct unit *u, unsigned int i, const struct vaal_ctrl_arg *a);
void slots_abandon(struct unit *u);
void slots_free(struct unit *u);

#endif /* _VAAL_CUDAD_H */
