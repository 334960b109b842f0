// SPDX-License-Identifier: GPL-2.0
/*
 * vcuda.c - CUDA's driver API, loaded at run time (see vcuda.h)
 *
 * Nothing links libcuda: vcuda_open() loads libcuda.so.1 with dlopen,
 * calls cuInit, and resolves every other entry point with
 * cuGetProcAddress_v2 at the CUDA version of the headers built against
 * (CUDA_VERSION), so that each pointer is the ABI version cuda.h declares.
 * A driver older than the headers cannot give that version by number: the
 * versioned symbols cuda.h's macros name (cuMemAlloc_v2, ...) are looked up
 * with dlsym instead, and a driver that lacks one is refused.
 *
 * The toolkit's stub library (lib64/stubs/libcuda.so, whose SONAME is
 * libcuda.so.1 too) loads, but its cuInit fails with
 * CUDA_ERROR_STUB_LIBRARY: vcuda_open() says so.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vcuda.h"

#define STR(x)	#x
#define XSTR(x)	STR(x)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct vcuda_api vcu;
static void *libcuda;

/**
 * vcuda_now_ns - CLOCK_MONOTONIC now
 *
 * Return: nanoseconds.
 */
uint64_t vcuda_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * vcuda_err_name - the name of a driver error, "CUDA_ERROR_..." or a number
 * @err: the error
 *
 * Return: a string; the numbered one is the calling thread's until its
 * next call.
 */
const char *vcuda_err_name(CUresult err)
{
	static __thread char other[40];
	const char *name = NULL;

	if (vcu.cuGetErrorName && !vcu.cuGetErrorName(err, &name) && name)
		return name;
	if (err == CUDA_ERROR_STUB_LIBRARY)
		return "CUDA_ERROR_STUB_LIBRARY";
	if (err == CUDA_ERROR_NO_DEVICE)
		return "CUDA_ERROR_NO_DEVICE";
	snprintf(other, sizeof(other), "CUDA error %d", (int)err);
	return other;
}

/**
 * vcuda_is_sticky - does an error leave its context unusable?
 * @err: the error of a launch or of a wait for one
 *
 * Return: 1 for the errors after which every call in the context fails (a
 * kernel that faulted): the context must be destroyed and made again.
 */
int vcuda_is_sticky(CUresult err)
{
	switch (err) {
	case CUDA_ERROR_ILLEGAL_ADDRESS:
	case CUDA_ERROR_LAUNCH_FAILED:
	case CUDA_ERROR_ILLEGAL_INSTRUCTION:
	case CUDA_ERROR_MISALIGNED_ADDRESS:
	case CUDA_ERROR_INVALID_ADDRESS_SPACE:
	case CUDA_ERROR_INVALID_PC:
	case CUDA_ERROR_HARDWARE_STACK_ERROR:
	case CUDA_ERROR_ASSERT:
	case CUDA_ERROR_LAUNCH_TIMEOUT:
	case CUDA_ERROR_ECC_UNCORRECTABLE:
	case CUDA_ERROR_CONTEXT_IS_DESTROYED:
		return 1;
	default:
		return 0;
	}
}

/**
 * vcuda_errno - the errno a launch gets for a driver's error
 * @err: the error
 *
 * Return: 0, -EINVAL for a launch the device cannot run as asked, -ENOMEM,
 * -ETIMEDOUT, or -EIO (a fault, and anything else).
 */
int vcuda_errno(CUresult err)
{
	switch (err) {
	case CUDA_SUCCESS:
		return 0;
	case CUDA_ERROR_INVALID_VALUE:
	case CUDA_ERROR_INVALID_IMAGE:
	case CUDA_ERROR_INVALID_PTX:
	case CUDA_ERROR_NOT_FOUND:
	case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
	case CUDA_ERROR_UNSUPPORTED_PTX_VERSION:
	case CUDA_ERROR_NO_BINARY_FOR_GPU:
	case CUDA_ERROR_INVALID_SOURCE:
		return -EINVAL;
	case CUDA_ERROR_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* dlsym() of the versioned name, when the driver is older than cuda.h. */
#define VCUDA_SYM(f)	{ #f, XSTR(f), (void **)&vcu.f },

static const struct {
	const char *base;
	const char *versioned;
	void **fn;
} syms[] = {
	VCUDA_SYM(cuGetErrorName)
	VCUDA_SYM(cuDeviceGetCount)
	VCUDA_SYM(cuDeviceGet)
	VCUDA_SYM(cuDeviceGetName)
	VCUDA_SYM(cuCtxCreate)
	VCUDA_SYM(cuCtxDestroy)
	VCUDA_SYM(cuCtxSetCurrent)
	VCUDA_SYM(cuModuleLoadDataEx)
	VCUDA_SYM(cuModuleUnload)
	VCUDA_SYM(cuModuleGetFunction)
	VCUDA_SYM(cuFuncGetParamInfo)
	VCUDA_SYM(cuStreamCreate)
	VCUDA_SYM(cuStreamDestroy)
	VCUDA_SYM(cuStreamQuery)
	VCUDA_SYM(cuStreamSynchronize)
	VCUDA_SYM(cuEventCreate)
	VCUDA_SYM(cuEventDestroy)
	VCUDA_SYM(cuEventRecord)
	VCUDA_SYM(cuEventElapsedTime)
	VCUDA_SYM(cuMemHostRegister)
	VCUDA_SYM(cuMemHostUnregister)
	VCUDA_SYM(cuMemHostGetDevicePointer)
	VCUDA_SYM(cuMemAlloc)
	VCUDA_SYM(cuMemFree)
	VCUDA_SYM(cuMemcpyHtoDAsync)
	VCUDA_SYM(cuMemcpyDtoHAsync)
	VCUDA_SYM(cuLaunchKernel)
};

/* Resolve every entry point; 0 or -1 with @why said. */
static int resolve(char *why, size_t room)
{
	__typeof__(cuGetProcAddress) *gpa;
	CUdriverProcAddressQueryResult st;
	int drv = 0;
	size_t i;

	vcu.cuDriverGetVersion(&drv);
	gpa = dlsym(libcuda, "cuGetProcAddress_v2");
	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		*syms[i].fn = NULL;
		if (gpa && drv >= CUDA_VERSION &&
		    gpa(syms[i].base, syms[i].fn, CUDA_VERSION,
			CU_GET_PROC_ADDRESS_DEFAULT, &st))
			*syms[i].fn = NULL;
		if (!*syms[i].fn)
			*syms[i].fn = dlsym(libcuda, syms[i].versioned);
		if (!*syms[i].fn) {
			snprintf(why, room, "the driver (CUDA %d.%d) has no %s (built for CUDA %d.%d)",
				 drv / 1000, drv % 1000 / 10, syms[i].versioned,
				 CUDA_VERSION / 1000, CUDA_VERSION % 1000 / 10);
			return -1;
		}
	}
	return 0;
}

/* cuInit; 0, or a negative errno with @why said. */
static int init(char *why, size_t room)
{
	CUresult err;

	vcu.cuInit = dlsym(libcuda, "cuInit");
	vcu.cuDriverGetVersion = dlsym(libcuda, "cuDriverGetVersion");
	if (!vcu.cuInit || !vcu.cuDriverGetVersion) {
		snprintf(why, room, "no CUDA driver: %s has no cuInit",
			 "libcuda.so.1");
		return -ENOENT;
	}
	err = vcu.cuInit(0);
	if (err == CUDA_ERROR_STUB_LIBRARY) {
		snprintf(why, room, "cuInit: CUDA_ERROR_STUB_LIBRARY (%d): this is the toolkit's stub library, not a driver",
			 (int)err);
		return -ENOENT;
	}
	if (err == CUDA_ERROR_NO_DEVICE) {
		snprintf(why, room, "cuInit: CUDA_ERROR_NO_DEVICE (%d): no CUDA device",
			 (int)err);
		return -ENODEV;
	}
	if (err) {
		snprintf(why, room, "cuInit: %s (%d)", vcuda_err_name(err),
			 (int)err);
		return -EIO;
	}
	return 0;
}

/**
 * vcuda_open - load the CUDA driver and find its devices
 * @lib: the library to load, or NULL for libcuda.so.1 where ld.so finds it
 * @why: room for the reason it failed, one line
 * @room: bytes at @why
 *
 * Return: 0 when there is at least one device; -ENOENT without a driver
 * (no library, the toolkit's stub), -ENODEV without a device, -EIO when
 * the driver fails otherwise.
 */
int vcuda_open(const char *lib, char *why, size_t room)
{
	int n = 0, ret;
	CUresult err;

	libcuda = dlopen(lib ? lib : "libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!libcuda) {
		snprintf(why, room, "no CUDA driver: cannot load %s: %s",
			 lib ? lib : "libcuda.so.1", dlerror());
		return -ENOENT;
	}
	ret = init(why, room);
	if (ret)
		goto out_close;
	ret = -EIO;
	if (resolve(why, room))
		goto out_close;
	err = vcu.cuDeviceGetCount(&n);
	if (err) {
		snprintf(why, room, "cuDeviceGetCount: %s", vcuda_err_name(err));
		goto out_close;
	}
	if (n < 1) {
		snprintf(why, room, "no CUDA device: the driver found none");
		ret = -ENODEV;
		goto out_close;
	}
	return 0;

out_close:
	memset(&vcu, 0, sizeof(vcu));
	dlclose(libcuda);
	libcuda = NULL;
	return ret;
}

/**
 * vcuda_device_count - the devices the driver found
 *
 * Return: their number, 0 before vcuda_open().
 */
int vcuda_device_count(void)
{
	int n = 0;

	if (!vcu.cuDeviceGetCount || vcu.cuDeviceGetCount(&n))
		return 0;
	return n;
}

/**
 * vcuda_device_name - the name of a device
 * @dev: its ordinal
 * @name: room for the name
 * @room: bytes at @name
 */
void vcuda_device_name(int dev, char *name, size_t room)
{
	CUdevice d;

	if (vcu.cuDeviceGet(&d, dev) || vcu.cuDeviceGetName(name, room, d))
		snprintf(name, room, "CUDA device %d", dev);
}

/**
 * vcuda_ctx_create - a CUDA context of its own on a device
 * @dev: the device's ordinal
 * @c: the context, on success
 *
 * The context is current in the calling thread afterwards.
 *
 * Return: CUDA_SUCCESS or the driver's error.
 */
CUresult vcuda_ctx_create(int dev, struct vcuda_ctx *c)
{
	CUresult err;
	CUdevice d;

	c->cu = NULL;
	c->dev = dev;
	err = vcu.cuDeviceGet(&d, dev);
	if (err)
		return err;
	return vcu.cuCtxCreate(&c->cu, NULL, CU_CTX_SCHED_AUTO, d);
}

/**
 * vcuda_ctx_enter - make a context current in the calling thread
 * @c: the context
 *
 * Return: CUDA_SUCCESS or the driver's error.
 */
CUresult vcuda_ctx_enter(const struct vcuda_ctx *c)
{
	return vcu.cuCtxSetCurrent(c->cu);
}

/**
 * vcuda_ctx_destroy - destroy a context, and everything made in it
 * @c: the context (nothing of it may run any more)
 */
void vcuda_ctx_destroy(struct vcuda_ctx *c)
{
	if (c->cu)
		vcu.cuCtxDestroy(c->cu);
	c->cu = NULL;
}
