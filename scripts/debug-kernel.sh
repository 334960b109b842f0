#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh - build the minimal debug kernel the debug test tier boots:
# allnoconfig plus kconfig/vm.config, kconfig/debug.config and every
# selftests/*/config, from Debian's linux-source-6.12 with the fixes of
# kconfig/patches/, compiled through ccache.  Source, object tree and
# ccache live outside the repository (in $VCORE_CACHE), so a fresh clone
# rebuilds warm.
#
# Prints the object tree's path last; the kernel release is in
# <tree>/include/config/kernel.release, the image in
# <tree>/arch/x86/boot/bzImage, modules installed under <tree>/modroot.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VCORE_CACHE:-$HOME/.cache/vcore}
SRC=$CACHE/linux-source-6.12
OUT=$CACHE/kbuild-debug
TAR=/usr/src/linux-source-6.12.tar.xz
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=$CACHE/ccache
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_BASEDIR=$CACHE
# Reproducible inputs, so that ccache hits across object trees.
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=vcore KBUILD_BUILD_HOST=vcore

log() { echo "debug-kernel: $*" >&2; }

# One build at a time per cache: concurrent runs (two checkouts) wait.
mkdir -p "$CACHE"
exec 9>"$CACHE/.debug-kernel.lock"
flock 9

if [ ! -f "$SRC/.extracted" ]; then
	log "extracting $TAR"
	rm -rf "$SRC"
	tar -xJf "$TAR" -C "$CACHE"
	touch "$SRC/.extracted"
fi

# Fixes the debug kernel carries (kconfig/patches/, each with its reason):
# applied once to the extracted source, which the lint tier also reads.
for p in "$TOP"/kconfig/patches/*.patch; do
	[ -f "$p" ] || continue
	if patch -d "$SRC" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
		continue
	fi
	log "applying $(basename "$p")"
	patch -d "$SRC" -p1 -s -N <"$p" || { log "cannot apply $p"; exit 1; }
done

frags=("$TOP/kconfig/vm.config" "$TOP/kconfig/debug.config" "$TOP"/selftests/*/config)
want=$(cat "${frags[@]}" | md5sum | cut -d' ' -f1)
mkdir -p "$OUT"
if [ "$(cat "$OUT/.vcore-config" 2>/dev/null)" != "$want" ]; then
	log "configuring (allnoconfig + ${#frags[@]} fragments)"
	report=$(cd "$SRC" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$OUT" \
		"${frags[@]}" 2>&1) || { echo "$report" >&2; exit 1; }
	# merge_config.sh only warns about requested values that did not stick;
	# a kernel without them would silently test less, so refuse it.
	if grep -A2 "Value requested for" <<<"$report" >&2; then
		log "some requested options could not be set (dependencies missing?)"
		exit 1
	fi
	echo "$want" >"$OUT/.vcore-config"
fi

log "building in $OUT with $JOBS jobs through ccache"
make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" -s bzImage modules
rm -rf "$OUT/modroot"
make -C "$SRC" O="$OUT" ARCH=x86_64 -s INSTALL_MOD_PATH="$OUT/modroot" modules_install
echo "$OUT"
