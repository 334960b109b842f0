# SPDX-License-Identifier: GPL-2.0
#
# V-Core: build, test, demo and benchmark entry points.  See README.md.
#
#   make            modules (against the newest installed 6.12 headers) and tools
#   make check      every test tier; ends with "N passed, N failed"
#   make demo       boot the VM, load the suite, exercise it, print a report
#
# Every target installs missing packages first (scripts/deps.sh).

SHELL		:= /bin/bash
TOP		:= $(abspath .)
BUILD		:= $(TOP)/build

# Kernel headers to build against: the newest installed 6.12 by default.
# Evaluated lazily, after "deps" has installed them on a fresh machine.
KDIR		?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64)))
KVER		 = $(shell cat $(KDIR)/include/config/kernel.release)

# Caches that outlive a clone: the extracted kernel source, ccache, the
# debug kernel's object tree.
VCORE_CACHE	?= $(HOME)/.cache/vcore
export VCORE_CACHE
LINUX_SRC	:= $(VCORE_CACHE)/linux-source-6.12
LINUX_TAR	:= /usr/src/linux-source-6.12.tar.xz

CC		:= gcc
UCFLAGS		:= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -D_GNU_SOURCE -I$(TOP)/uapi -I$(BUILD)/include
SANFLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
# kselftest_harness.h compares signed and unsigned in its macros.
SELFTEST_CFLAGS	:= $(UCFLAGS) -Wno-sign-compare -Wno-clobbered
NL_CFLAGS	 = $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS		 = $(shell pkg-config --libs libnl-genl-3.0)

KSRC_DIRS	:= kernel firmware uapi selftests/harness/module
SRC_FILES	 = $(shell git -C $(TOP) ls-files -co --exclude-standard \
		     '*.c' '*.h' 2>/dev/null)

.PHONY: all deps modules debug-modules tools selftests native lint check check-debug \
	vm-run vm-shell demo bench bench-report docs clean FORCE

all: modules tools selftests

deps:
	@$(TOP)/scripts/deps.sh

# --- kernel modules ------------------------------------------------------
# Built in a tree of symbolic links per kernel, so that the stock and the
# debug kernel's modules do not overwrite each other.
define build_modules
	@for d in Kbuild $(KSRC_DIRS); do \
		mkdir -p $(2)/$$(dirname $$d) && cp -rsf $(TOP)/$$d $(2)/$$(dirname $$d)/; \
	done
	+$(MAKE) -C $(1) M=$(2) W=1 VCORE_WERROR=y $(3) modules
endef

modules: deps
	$(call build_modules,$(KDIR),$(BUILD)/stock)

# The same modules against the debug kernel (scripts/debug-kernel.sh).
KDIR_DEBUG	?= $(VCORE_CACHE)/kbuild-debug
debug-modules: deps
	$(call build_modules,$(KDIR_DEBUG),$(BUILD)/debug)

# --- kernel source (checkpatch, kselftest harness, debug kernel) ---------
$(LINUX_SRC)/.extracted: | deps
	@mkdir -p $(VCORE_CACHE)
	@echo "  EXTRACT $(LINUX_TAR)"
	@rm -rf $(LINUX_SRC)
	@tar -xJf $(LINUX_TAR) -C $(VCORE_CACHE)
	@touch $@

$(BUILD)/include/kselftest_harness.h: $(LINUX_SRC)/.extracted
	@mkdir -p $(@D)
	@cp $(LINUX_SRC)/tools/testing/selftests/kselftest.h \
	    $(LINUX_SRC)/tools/testing/selftests/kselftest_harness.h $(@D)/

# --- user-space tools ------------------------------------------------------
TOOLS := $(BUILD)/tools/vaalctl $(BUILD)/tools/svnicctl $(BUILD)/tools/vaal_example
# Benchmarks that run in the VM (scripts/bench.sh).
BENCH_TOOLS := $(BUILD)/tools/vaal_nop_bench $(BUILD)/tools/vcs_share_bench \
	       $(BUILD)/tools/svnic_vhost_bench $(BUILD)/tools/vaal_vfio_bench
TOOLS += $(BENCH_TOOLS)
# The reference user-space controller (selftests/tools/vaal_ctrld_test.sh).
TOOLS += $(BUILD)/tools/vaal_ctrld
# Clients that count their own work, in a guest or on the host
# (qemu_vaal_test.sh, tools/bench/vaal_guest_bench.sh).
TOOLS += $(BUILD)/tools/vaal_load $(BUILD)/tools/vaal_sha_bench
# The OpenCL controller (selftests/tools/vaal_opencld_test.sh), its bench.
TOOLS += $(BUILD)/tools/vaal_opencld $(BUILD)/tools/vaal_opencl_bench
# The CUDA controller, where the CUDA headers are (below).
CUDA_HOME	?= /usr/local/cuda
NVCC		?= $(CUDA_HOME)/bin/nvcc
ifneq ($(wildcard $(CUDA_HOME)/include/cuda.h),)
TOOLS += $(BUILD)/tools/vaal_cudad
endif

# V-Core VMs from a spec: admission control, apply, QEMU and libvirt
# (Documentation/vm-spec.rst).
TOOLS += $(BUILD)/tools/vcorevm

tools: deps $(TOOLS)

# On a host: the tools, the libvirt hook, the udev rule, the daemons' units
# and the modules (DKMS=1: through DKMS); DESTDIR stages, PREFIX places the
# tools (scripts/install.sh).
.PHONY: install
install: modules tools
	@KDIR=$(KDIR) BUILD=$(BUILD) DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' \
		DKMS='$(DKMS)' $(TOP)/scripts/install.sh

LIBVAAL		:= tools/lib/libvaal.c tools/lib/libvaal.h uapi/linux/vaal.h
# What the user-space controller daemons share.
CTRLD		:= tools/lib/ctrld.c tools/lib/ctrld.h
SVNIC_NL	:= tools/lib/svnic_nl.c tools/lib/svnic_nl.h uapi/linux/svnic.h
VHOST_DRV	:= tools/lib/vhost_drv.c tools/lib/vhost_drv.h
JSON_WRITER	:= tools/lib/json_writer.c tools/lib/json_writer.h

$(BUILD)/tools/vaalctl: $(wildcard tools/vaalctl/*.[ch]) $(LIBVAAL) $(JSON_WRITER)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/tools/vaal_example: tools/examples/vaal_example.c $(LIBVAAL)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/tools/vaal_nop_bench: tools/bench/vaal_nop_bench.c $(LIBVAAL) \
			       tools/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# NOPs through the VAAL mdev by a user-space VFIO driver (the selftest's).
$(BUILD)/tools/vaal_vfio_bench: tools/bench/vaal_vfio_bench.c $(LIBVAAL) \
				selftests/lib/vfio_drv.h tools/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# The loaders and the share measurement are the share selftest's.
$(BUILD)/tools/vcs_share_bench: tools/bench/vcs_share_bench.c $(LIBVAAL) \
				selftests/lib/vcs_load.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# sha256 of a large buffer by the client's clock, in a guest and on the host.
$(BUILD)/tools/vaal_sha_bench: tools/bench/vaal_sha_bench.c $(LIBVAAL) \
			       tools/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# A loader of one client, for clients the share test cannot fork (guests).
$(BUILD)/tools/vaal_load: tools/bench/vaal_load.c $(LIBVAAL) \
			  selftests/lib/vcs_load.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# svnic's VIF against vhost-net through the user-space vhost driver.
$(BUILD)/tools/svnic_vhost_bench: tools/bench/svnic_vhost_bench.c $(VHOST_DRV) \
				  tools/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^)

# The CPU controllers' built-in kernels, built in user space as natively.
$(BUILD)/tools/vaal_ctrld: tools/vaal_ctrld/vaal_ctrld.c $(LIBVAAL) $(CTRLD) \
			   kernel/vaal_cpu/vaal_cpu_kernels.c \
			   kernel/vaal_cpu/vaal_cpu_kernels.h
	@mkdir -p $(@D)
	$(CC) -I$(TOP)/tools/shim/include -I$(TOP)/kernel/vaal_cpu $(UCFLAGS) \
		-o $@ $(filter %.c,$^) -lpthread

# The OpenCL controller and its benchmark against the runtime called
# directly: any ICD (ocl-icd).
$(BUILD)/tools/vaal_opencld: $(wildcard tools/vaal_opencld/*.[ch]) $(LIBVAAL) $(CTRLD)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^) -lOpenCL -lpthread

$(BUILD)/tools/vaal_opencl_bench: tools/bench/vaal_opencl_bench.c $(LIBVAAL) \
				  selftests/lib/vaal_opencld.h tools/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -o $@ $(filter %.c,$^) -lOpenCL

# The CUDA controller (selftests/tools/vaal_cudad_test.sh), where the CUDA
# headers are: it loads libcuda.so.1 at run time and links nothing of CUDA.
# Its library's GPU test and benchmark (scripts/gpu-check.sh) also want
# nvcc, for their PTX.
VCUDA_SRCS	:= tools/vaal_cudad/vcuda.c tools/vaal_cudad/vcuda_module.c \
		   tools/vaal_cudad/vcuda_run.c tools/vaal_cudad/vcuda.h
CUDAD_SRCS	:= $(filter-out %_test.c %_bench.c,$(wildcard tools/vaal_cudad/*.[ch]))

$(BUILD)/tools/vaal_cudad: $(CUDAD_SRCS) $(LIBVAAL) $(CTRLD)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -I$(CUDA_HOME)/include -o $@ $(filter %.c,$^) -ldl -lpthread

$(BUILD)/tools/vcuda_test $(BUILD)/tools/vcuda_bench: $(BUILD)/tools/%: \
		tools/vaal_cudad/%.c $(VCUDA_SRCS)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -I$(CUDA_HOME)/include -o $@ $(filter %.c,$^) -ldl

$(BUILD)/tools/vcuda_test_kernels.ptx: tools/vaal_cudad/vcuda_test_kernels.cu
	@mkdir -p $(@D)
	$(NVCC) -ptx -arch=sm_90 -o $@ $<

# What scripts/gpu-check.sh runs on a GPU host.
.PHONY: vcuda-gpu
vcuda-gpu: $(BUILD)/tools/vcuda_test $(BUILD)/tools/vcuda_bench \
	   $(BUILD)/tools/vcuda_test_kernels.ptx

$(BUILD)/tools/svnicctl: tools/svnicctl/svnicctl.c $(SVNIC_NL) $(JSON_WRITER)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $(NL_CFLAGS) -o $@ $(filter %.c,$^) $(NL_LIBS)

VCOREVM_DEPS	:= $(wildcard tools/vcorevm/*.[ch]) $(LIBVAAL) $(SVNIC_NL) $(JSON_WRITER)
$(BUILD)/tools/vcorevm: $(VCOREVM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $(NL_CFLAGS) -o $@ $(filter %.c,$^) $(NL_LIBS) -lm

# --- selftests (run in the VM) --------------------------------------------
SELFTEST_SRCS	:= $(wildcard selftests/*/*_test.c)
SELFTEST_BINS	:= $(patsubst selftests/%.c,$(BUILD)/selftests/%,$(SELFTEST_SRCS))

selftests: deps $(SELFTEST_BINS)

$(BUILD)/selftests/svnic/%: selftests/svnic/%.c $(SVNIC_NL) $(VHOST_DRV) \
			    $(BUILD)/include/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) $(NL_CFLAGS) -o $@ $(filter %.c,$^) $(NL_LIBS)

$(BUILD)/selftests/%: selftests/%.c $(LIBVAAL) $(wildcard selftests/lib/*.h) \
		      $(BUILD)/include/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $(filter %.c,$^) -lpthread

# --- pure logic, natively in user space ------------------------------------
# <linux/rbtree.h> and its functions come from the extracted kernel
# source's copy for user space (tools/include, tools/lib): the shim includes
# <tools/include/linux/rbtree.h>, found through -idirafter $(LINUX_SRC).
NATIVE_CFLAGS	:= -I$(TOP)/tools/shim/include -I$(TOP)/firmware/ixp2400 \
		   -I$(TOP)/kernel/vaal_core -I$(TOP)/kernel/vaal_cpu -I$(TOP)/kernel/include \
		   -I$(TOP)/kernel/vcore_sched -idirafter $(LINUX_SRC) \
		   '-D__aligned(x)=__attribute__((__aligned__(x)))'
NATIVE_LIB_SRCS	:= firmware/ixp2400/np_ring.c firmware/ixp2400/np_sched.c \
		   firmware/ixp2400/np_classify.c firmware/ixp2400/np_notify.c \
		   firmware/ixp2400/np_dp.c firmware/ixp2400/np_ctl.c \
		   kernel/vaal_core/vaal_hazard.c kernel/vaal_core/vaal_cq.c \
		   kernel/vaal_cpu/vaal_cpu_kernels.c kernel/vcore_sched/vcs_fair.c
NATIVE_KSRCS	:= $(LINUX_SRC)/tools/lib/rbtree.c
NATIVE_TESTS	:= $(patsubst tools/testing/native/%.c,$(BUILD)/native/%,\
		     $(wildcard tools/testing/native/*_test.c))
NATIVE_BENCHES	:= $(patsubst tools/testing/native/%.c,$(BUILD)/native/%,\
		     $(wildcard tools/testing/native/*_bench.c))

native: deps $(NATIVE_TESTS) $(NATIVE_BENCHES)

# The cases each shares with its KUnit suite (kernel/include/vcore_case.h).
NATIVE_CASES	:= kernel/include/vcore_case.h tools/testing/native/vcore_case_native.h \
		   $(wildcard kernel/*/*_cases.h firmware/*/*_cases.h)

$(BUILD)/native/%_test: tools/testing/native/%_test.c $(NATIVE_LIB_SRCS) \
			$(NATIVE_CASES) \
			$(BUILD)/include/kselftest_harness.h $(LINUX_SRC)/.extracted
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) $(SELFTEST_CFLAGS) $(SANFLAGS) -o $@ $< \
		$(NATIVE_LIB_SRCS) $(NATIVE_KSRCS) -lpthread

# vcorevm's spec parser, checks and generators, run natively on the specs
# and host files of selftests/vmspec/ by a build under ASan and UBSan.
native: $(BUILD)/native/vcorevm_spec_test
$(BUILD)/native/vcorevm_san: $(VCOREVM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $(SANFLAGS) $(NL_CFLAGS) -o $@ $(filter %.c,$^) $(NL_LIBS) -lm
$(BUILD)/native/vcorevm_spec_test: selftests/vmspec/vm_spec_native.sh \
				   $(BUILD)/native/vcorevm_san
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' $(TOP)/$< $(BUILD)/native/vcorevm_san >$@
	@chmod +x $@

# DKMS builds the modules for the VM's kernel here, into build/dkms (a
# minute; vm_install_test.sh installs them in the VM with dkms install).
native: $(BUILD)/native/dkms_build_test
$(BUILD)/native/dkms_build_test: selftests/tools/dkms_native.sh
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec %s %s %s "$$@"\n' $(TOP)/$< $(KDIR) $(BUILD) >$@
	@chmod +x $@

# The tools' JSON writer links nothing else.
$(BUILD)/native/json_writer_test: tools/testing/native/json_writer_test.c \
				  tools/lib/json_writer.c tools/lib/json_writer.h \
				  $(BUILD)/include/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) $(SANFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/native/%_bench: tools/testing/native/%_bench.c $(NATIVE_LIB_SRCS) \
			 $(LINUX_SRC)/.extracted
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) $(UCFLAGS) -o $@ $< $(NATIVE_LIB_SRCS) \
		$(NATIVE_KSRCS) -lpthread

# vaal_dispatch_bench's StarPU peer: the only thing that links StarPU.
STARPU_PC	:= starpu-1.3
$(BUILD)/native/starpu_dag_bench: tools/testing/native/starpu_dag_bench.c \
				  tools/testing/native/dag8.h
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) $$(pkg-config --cflags $(STARPU_PC)) -o $@ $< \
		$$(pkg-config --libs $(STARPU_PC))

# --- lint ---------------------------------------------------------------------
lint: deps $(LINUX_SRC)/.extracted
	@KDIR=$(KDIR) BUILD=$(BUILD) LINUX_SRC=$(LINUX_SRC) \
		$(TOP)/scripts/lint.sh $(SRC_FILES)

# --- tests, demo, benchmarks ----------------------------------------------
check: deps
	@KDIR=$(KDIR) $(TOP)/scripts/check.sh

check-debug: deps
	@KDIR=$(KDIR) $(TOP)/scripts/check.sh build debug

VM_ARGS ?=
vm-run: all
	@$(TOP)/vm/vcore-vm --kdir $(KDIR) $(VM_ARGS) -- $(CMD)

vm-shell: all
	@$(TOP)/vm/vcore-vm --kdir $(KDIR) $(VM_ARGS) --shell

demo: all
	@KDIR=$(KDIR) $(TOP)/scripts/demo.sh

# The figures also go to build/bench.out, for "make bench-report".
bench: deps native modules tools
	@mkdir -p $(BUILD)
	@set -o pipefail; KDIR=$(KDIR) $(TOP)/scripts/bench.sh | tee $(BUILD)/bench.out

# The markdown table of the last "make bench" (README's figures).
bench-report:
	@$(TOP)/scripts/bench-report.sh $(BUILD)/bench.out

# Documentation/: kernel-doc of the headers it pulls in, then Sphinx's HTML
# in build/docs/html (scripts/docs.sh).
docs: deps $(LINUX_SRC)/.extracted
	@LINUX_SRC=$(LINUX_SRC) $(TOP)/scripts/docs.sh

clean:
	rm -rf $(BUILD)
