#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gpu-check.sh [OUTDIR] - vaal_cudad's CUDA library on a real GPU: builds
# tools/vaal_cudad's vcuda_test and vcuda_bench with cc and their PTX with
# nvcc, runs them, and prints their TAP and "bench NAME VALUE UNIT" lines.
# Needs only a checkout, a C compiler, the CUDA toolkit (CUDA_HOME,
# /usr/local/cuda by default: nvcc and cuda.h) and the NVIDIA driver; no
# kernel module, no "make deps".  Exits non-zero when anything fails,
# a test program that skips for want of a GPU included.  OUTDIR (a
# temporary directory by default) keeps the programs.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
NVCC=${NVCC:-$CUDA_HOME/bin/nvcc}
CC=${CC:-$(command -v cc || command -v gcc)}
SRC=$TOP/tools/vaal_cudad
OUT=${1:-$(mktemp -d)}
CFLAGS=(-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter
	-D_GNU_SOURCE "-I$CUDA_HOME/include")
LIB=("$SRC/vcuda.c" "$SRC/vcuda_module.c" "$SRC/vcuda_run.c")
rc=0

die() { echo "gpu-check: $*" >&2; exit 1; }

[ -n "$CC" ] || die "no C compiler (cc, gcc)"
[ -e "$CUDA_HOME/include/cuda.h" ] || die "no $CUDA_HOME/include/cuda.h (CUDA_HOME)"
[ -x "$NVCC" ] || die "no nvcc at $NVCC"
mkdir -p "$OUT" || die "cannot make $OUT"

echo "# gpu-check: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n 1)"
"$NVCC" -ptx -arch=sm_90 -o "$OUT/vcuda_test_kernels.ptx" \
	"$SRC/vcuda_test_kernels.cu" || die "nvcc failed"
for p in vcuda_test vcuda_bench; do
	"$CC" "${CFLAGS[@]}" -o "$OUT/$p" "$SRC/$p.c" "${LIB[@]}" -ldl ||
		die "building $p failed"
done

out=$("$OUT/vcuda_test" "$OUT/vcuda_test_kernels.ptx")
status=$?
echo "$out"
if [ $status != 0 ] || grep -q '^1\.\.0' <<<"$out"; then
	echo "gpu-check: vcuda_test failed (exit $status)" >&2
	rc=1
fi

"$OUT/vcuda_bench" "$OUT/vcuda_test_kernels.ptx" || {
	echo "gpu-check: vcuda_bench failed" >&2
	rc=1
}
exit $rc
