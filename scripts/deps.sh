#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install, with apt-get, everything V-Core's build, tests, demo and
# benchmarks use on Debian 12.  Idempotent: when all is present it only asks
# dpkg and returns in well under a second.  Must run as root to install.
set -euo pipefail

PKGS=(
	# kernel to build against and to boot in the VM, and its source
	linux-headers-6.12-amd64 linux-source-6.12
	# building a kernel (debug kernel) and modules
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio
	xz-utils rsync ccache sparse shellcheck
	# the VM
	qemu-system-x86 busybox-static
	# user-space tools and tests
	pkg-config libnl-3-dev libnl-genl-3-dev
	iproute2 ethtool iperf3 socat iputils-ping procps
	valgrind python3
	# make docs: Sphinx (with docutils) for the kernel's kerneldoc extension
	python3-sphinx
	# the kernel's YNL CLI and its spec validation (svnic_ynl_test.sh)
	python3-yaml python3-jsonschema
	# guests: mediated devices (mdevctl), lspci in the nested guest, uuidgen
	mdevctl pciutils uuid-runtime
	# the StarPU peer of vaal_core's native DAG bench
	libstarpu-dev
	# the OpenCL controller (tools/vaal_opencld): the ICD loader and headers,
	# PoCL's CPU device to run it on, clinfo to see what the ICDs offer
	pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo
	# vcorevm's domain XML: virt-xml-validate (with xmllint), virsh on
	# test:///default; make install DKMS=1 (selftests/tools/vm_install_test.sh)
	libvirt-clients libxml2-utils dkms
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root to install them" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have stale or no package lists: refresh them once.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
