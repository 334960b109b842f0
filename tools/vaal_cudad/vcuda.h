/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcuda.h - a small library over CUDA's driver API, loaded at run time:
 * what vaal_cudad, its tests and its benchmark share.  It knows nothing of
 * /dev/vaal.
 *
 *   vcuda_open()          dlopen libcuda.so.1, cuInit, resolve the entry
 *                         points, count the devices
 *   vcuda_ctx_*()         one CUDA context, created, made current, destroyed
 *   vcuda_module_load()   PTX in, a function out, with the JIT's log
 *   vcuda_sig_check()     a registered signature against the function's
 *                         real parameters (cuFuncGetParamInfo)
 *   vcuda_stream_*()      a stream and the two events that time a launch
 *   vcuda_run()           one work: its buffers registered in place (or
 *                         staged), the launch, the wait with a deadline,
 *                         the device time
 */
#ifndef _VCUDA_H
#define _VCUDA_H

#include <cuda.h>
#include <stddef.h>
#include <stdint.h>

#define VCUDA_MAX_BUFS		8	/* buffer arguments of a work */
#define VCUDA_MAX_PARAMS	80	/* parameters of a function */

/* Exit status of a program that finds no usable CUDA driver (sysexits.h). */
#define VCUDA_EX_UNAVAILABLE	69

/* &vcuda_buf_arg.mode bits */
#define VCUDA_IN	1	/* the kernel reads it */
#define VCUDA_OUT	2	/* the kernel writes it */

/* &vcuda_work.flags */
#define VCUDA_STAGE	1	/* stage every buffer, never register it */

/**
 * struct vcuda_ctx - a CUDA context
 * @cu: the context
 * @dev: its device's ordinal
 */
struct vcuda_ctx {
	CUcontext cu;
	int dev;
};

/**
 * struct vcuda_module - a PTX module loaded in a context, and its function
 * @mod: the module
 * @fn: the function
 * @nr_params: the function's parameters
 * @off: where each is in the parameter layout
 * @size: the size of each
 */
struct vcuda_module {
	CUmodule mod;
	CUfunction fn;
	unsigned int nr_params;
	uint32_t off[VCUDA_MAX_PARAMS];
	uint32_t size[VCUDA_MAX_PARAMS];
};

/**
 * struct vcuda_stream - a stream, and the events around its launches
 * @s: the stream
 * @start: recorded before a launch
 * @stop: recorded after it
 */
struct vcuda_stream {
	CUstream s;
	CUevent start;
	CUevent stop;
};

/**
 * struct vcuda_buf_arg - a buffer argument of a work, in host memory
 * @host: its first byte
 * @len: its bytes
 * @mode: %VCUDA_IN, %VCUDA_OUT or both
 */
struct vcuda_buf_arg {
	void *host;
	size_t len;
	int mode;
};

/**
 * struct vcuda_work - one launch, as vcuda_run() takes it
 * @m: the function's module
 * @grid: blocks in each dimension
 * @block: threads of a block in each dimension
 * @nr_bufs: buffer arguments: the function's first parameters, each a
 *	device pointer
 * @bufs: the buffer arguments
 * @scalars: the scalar parameters, packed as the parameter layout has them
 *	after the pointers
 * @deadline_ns: CLOCK_MONOTONIC time to give up waiting, UINT64_MAX for
 *	none
 * @flags: %VCUDA_STAGE
 * @device_ns: out: the kernel's time on the device (events), UINT64_MAX
 *	when unknown
 * @staged_bytes: out: bytes copied to and from the device for buffers that
 *	could not be registered in place
 * @err: out: the driver's error, when there was one
 * @what: out: the call that failed, for logs
 */
struct vcuda_work {
	const struct vcuda_module *m;
	unsigned int grid[3];
	unsigned int block[3];
	unsigned int nr_bufs;
	struct vcuda_buf_arg bufs[VCUDA_MAX_BUFS];
	const void *scalars;
	uint64_t deadline_ns;
	unsigned int flags;
	uint64_t device_ns;
	uint64_t staged_bytes;
	CUresult err;
	const char *what;
};

/**
 * struct vcuda_api - the driver's entry points, once vcuda_open() succeeded
 * @cuInit: the driver's cuInit
 * @cuDriverGetVersion: the CUDA version the driver supports
 * @cuGetErrorName: the driver's cuGetErrorName
 * @cuDeviceGetCount: the driver's cuDeviceGetCount
 * @cuDeviceGet: the driver's cuDeviceGet
 * @cuDeviceGetName: the driver's cuDeviceGetName
 * @cuCtxCreate: the driver's cuCtxCreate
 * @cuCtxDestroy: the driver's cuCtxDestroy
 * @cuCtxSetCurrent: the driver's cuCtxSetCurrent
 * @cuModuleLoadDataEx: the driver's cuModuleLoadDataEx
 * @cuModuleUnload: the driver's cuModuleUnload
 * @cuModuleGetFunction: the driver's cuModuleGetFunction
 * @cuFuncGetParamInfo: the driver's cuFuncGetParamInfo
 * @cuStreamCreate: the driver's cuStreamCreate
 * @cuStreamDestroy: the driver's cuStreamDestroy
 * @cuStreamQuery: the driver's cuStreamQuery
 * @cuStreamSynchronize: the driver's cuStreamSynchronize
 * @cuEventCreate: the driver's cuEventCreate
 * @cuEventDestroy: the driver's cuEventDestroy
 * @cuEventRecord: the driver's cuEventRecord
 * @cuEventElapsedTime: the driver's cuEventElapsedTime
 * @cuMemHostRegister: the driver's cuMemHostRegister
 * @cuMemHostUnregister: the driver's cuMemHostUnregister
 * @cuMemHostGetDevicePointer: the driver's cuMemHostGetDevicePointer
 * @cuMemAlloc: the driver's cuMemAlloc
 * @cuMemFree: the driver's cuMemFree
 * @cuMemcpyHtoDAsync: the driver's cuMemcpyHtoDAsync
 * @cuMemcpyDtoHAsync: the driver's cuMemcpyDtoHAsync
 * @cuLaunchKernel: the driver's cuLaunchKernel
 *
 * Each member is named as cuda.h's macros spell the function (cuMemAlloc is
 * cuMemAlloc_v2) and has that function's type: vcu.cuMemAlloc(...) calls
 * the version the header declares.
 */
struct vcuda_api {
	__typeof__(cuInit) *cuInit;
	__typeof__(cuDriverGetVersion) *cuDriverGetVersion;
	__typeof__(cuGetErrorName) *cuGetErrorName;
	__typeof__(cuDeviceGetCount) *cuDeviceGetCount;
	__typeof__(cuDeviceGet) *cuDeviceGet;
	__typeof__(cuDeviceGetName) *cuDeviceGetName;
	__typeof__(cuCtxCreate) *cuCtxCreate;
	__typeof__(cuCtxDestroy) *cuCtxDestroy;
	__typeof__(cuCtxSetCurrent) *cuCtxSetCurrent;
	__typeof__(cuModuleLoadDataEx) *cuModuleLoadDataEx;
	__typeof__(cuModuleUnload) *cuModuleUnload;
	__typeof__(cuModuleGetFunction) *cuModuleGetFunction;
	__typeof__(cuFuncGetParamInfo) *cuFuncGetParamInfo;
	__typeof__(cuStreamCreate) *cuStreamCreate;
	__typeof__(cuStreamDestroy) *cuStreamDestroy;
	__typeof__(cuStreamQuery) *cuStreamQuery;
	__typeof__(cuStreamSynchronize) *cuStreamSynchronize;
	__typeof__(cuEventCreate) *cuEventCreate;
	__typeof__(cuEventDestroy) *cuEventDestroy;
	__typeof__(cuEventRecord) *cuEventRecord;
	__typeof__(cuEventElapsedTime) *cuEventElapsedTime;
	__typeof__(cuMemHostRegister) *cuMemHostRegister;
	__typeof__(cuMemHostUnregister) *cuMemHostUnregister;
	__typeof__(cuMemHostGetDevicePointer) *cuMemHostGetDevicePointer;
	__typeof__(cuMemAlloc) *cuMemAlloc;
	__typeof__(cuMemFree) *cuMemFree;
	__typeof__(cuMemcpyHtoDAsync) *cuMemcpyHtoDAsync;
	__typeof__(cuMemcpyDtoHAsync) *cuMemcpyDtoHAsync;
	__typeof__(cuLaunchKernel) *cuLaunchKernel;
};

extern struct vcuda_api vcu;

int vcuda_open(const char *lib, char *why, size_t room);
int vcuda_device_count(void);
void vcuda_device_name(int dev, char *name, size_t room);
const char *vcuda_err_name(CUresult err);
int vcuda_errno(CUresult err);
int vcuda_is_sticky(CUresult err);
uint64_t vcuda_now_ns(void);

CUresult vcuda_ctx_create(int dev, struct vcuda_ctx *c);
CUresult vcuda_ctx_enter(const struct vcuda_ctx *c);
void vcuda_ctx_destroy(struct vcuda_ctx *c);

CUresult vcuda_module_load(const struct vcuda_ctx *c, const void *ptx,
			   size_t len, const char *name,
			   struct vcuda_module *m, char **log);
void vcuda_module_unload(struct vcuda_module *m);
int vcuda_sig_check(const struct vcuda_module *m, const char *name,
		    unsigned int nr_bufs, unsigned int scalar_bytes,
		    char **log);

CUresult vcuda_stream_create(const struct vcuda_ctx *c,
			     struct vcuda_stream *st);
void vcuda_stream_destroy(struct vcuda_stream *st);
int vcuda_wait(struct vcuda_stream *st, uint64_t deadline_ns, CUresult *err);
int vcuda_run(const struct vcuda_ctx *c, struct vcuda_stream *st,
	      struct vcuda_work *w);

#endif /* _VCUDA_H */
