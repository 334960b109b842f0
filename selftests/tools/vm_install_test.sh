#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm_install_test.sh - "make install" (scripts/install.sh) on a host: the
# VM, whose /lib/modules/KVER, /etc and /usr/local get writable overlays
# for the test.  The tools land in /usr/local/sbin and run; the libvirt
# hook calls the installed vcorevm; the udev rule and the daemons' units
# are there; the modules are in /lib/modules/KVER/updates/vcore and
# depmod knows them, so that modprobe finds every one with no path and
# loads one the suite had not loaded (vaal_pci).  Staged (DESTDIR) with
# DKMS=1, the module sources come with a dkms.conf that dkms takes and
# that names every module the Kbuild file builds.  What dkms built for
# this kernel on the host (selftests/tools/dkms_native.sh) dkms installs,
# and modprobe loads it with no path.  Prints TAP;
# $VCORE_BUILD holds the build tree.
set -u
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$DIR/../.." && pwd)
KVER=$(uname -r)
KDIR=/lib/modules/$KVER/build
T=$(mktemp -d)
MODS=(vaal_core vcore_sched vaal_cpu vaal_crypto vaal_mdev vaal_pci svnic)
OVERLAYS=("/lib/modules/$KVER" /etc /usr/local)
MOUNTED=()
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"

CASES=(
	"setup: writable overlays on /lib/modules/KVER, /etc, /usr/local"
	"make install's script: exit 0"
	"the tools run from /usr/local/sbin; the hook runs the installed vcorevm"
	"the udev rule for /dev/vaal, the daemons' units with their paths"
	"modprobe finds every module in updates/vcore with no path"
	"modprobe vaal_pci loads the installed module, modprobe -r unloads it"
	"staged with DKMS=1: the sources and a dkms.conf that dkms adds, naming every module"
	"dkms install of what DKMS built for this kernel: modprobe finds every module in updates/dkms with no path and loads one"
)

echo "TAP version 13"
echo "1..${#CASES[@]}"

# What make install installs is the stock build (build/stock), for the
# kernel of /lib/modules/KVER/build: a VM running another kernel (the
# debug tier's) cannot load it.
vermagic=$(modinfo -F vermagic "$BUILD/stock/kernel/vaal_core/vaal_core.ko" 2>/dev/null)
if [ "${vermagic%% *}" != "$KVER" ] || [ ! -d "$KDIR" ]; then
	for c in "${CASES[@]}"; do
		n=$((n + 1))
		echo "ok $n $c # SKIP build/stock is not for the running kernel $KVER"
	done
	rm -rf "$T"
	exit 0
fi

cleanup() {
	local i
	[ -n "${LOADED_PCI:-}" ] && rmmod vaal_pci 2>/dev/null
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTED[i]}" || umount -l "${MOUNTED[i]}"
	done
	rm -rf "$T"
}
trap cleanup EXIT

setup() {
	local d i=0
	[ ! -e /sys/module/vaal_pci ] || { echo "vaal_pci is loaded already"; return 1; }
	modprobe overlay || return 1
	for d in "${OVERLAYS[@]}"; do
		i=$((i + 1))
		mkdir -p "$T/ov$i/up" "$T/ov$i/wk" || return 1
		mount -t overlay overlay \
			-o "lowerdir=$d,upperdir=$T/ov$i/up,workdir=$T/ov$i/wk" "$d" || return 1
		MOUNTED+=("$d")
		touch "$d/.vcore-test" && rm "$d/.vcore-test" || return 1
	done
}

install_all() {
	KDIR=$KDIR BUILD=$BUILD "$TOP/scripts/install.sh"
}

tools_hook() {
	local st=0 hook=/etc/libvirt/hooks/qemu.d/vcore
	/usr/local/sbin/vcorevm -h | grep -q '^usage: vcorevm' &&
	/usr/local/sbin/vaalctl -h | grep -q '^usage: vaalctl' &&
	/usr/local/sbin/svnicctl -h | grep -q '^usage: svnicctl' || return 1
	[ -x "$hook" ] && grep -q '^VCOREVM=${VCOREVM:-/usr/local/sbin/vcorevm}' "$hook" || return 1
	# A V-Core domain whose spec names no class vcore_sched has: the
	# installed vcorevm refuses it with the reason, as libvirt would show.
	cat >"$T/g.toml" <<'EOF'
name = "g"
memory = "64MiB"

[[accel]]
class = "nosuchclass"
EOF
	/usr/local/sbin/vcorevm libvirt "$T/g.toml" >"$T/g.xml" || return 1
	env -u VCOREVM PATH=/usr/bin:/bin "$hook" g prepare begin - <"$T/g.xml" 2>"$T/err" || st=$?
	cat "$T/err"
	[ $st = 1 ] && grep -q "accel nosuchclass: no class 'nosuchclass'" "$T/err" || return 1
	[ ! -e /run/vcore/vms/g ] || return 1
	echo '<domain><name>d</name></domain>' |
		env -u VCOREVM PATH=/usr/bin:/bin "$hook" d prepare begin -
}

udev_units() {
	local u
	grep -qx 'KERNEL=="vaal", GROUP="kvm", MODE="0660"' /etc/udev/rules.d/70-vaal.rules || return 1
	for u in "$TOP"/tools/*/*.service; do
		[ -e "$u" ] || continue
		cmp "$u" "/etc/systemd/system/${u##*/}" || return 1
		grep -o '^ExecStart=[^ ]*' "$u" | sed 's/^ExecStart=//' | while read -r p; do
			[ -x "$p" ] || { echo "${u##*/}: $p is not installed"; exit 1; }
		done || return 1
	done
}

modprobe_paths() {
	local m p
	for m in "${MODS[@]}"; do
		p=$(modinfo -n "$m") || return 1
		echo "$m: $p"
		[[ $p == /lib/modules/$KVER/updates/vcore/kernel/$m/$m.ko* ]] || return 1
	done
	modprobe --show-depends vaal_mdev | tee "$T/deps"
	grep -q "updates/vcore/kernel/vaal_core/vaal_core.ko" "$T/deps" &&
	grep -q "updates/vcore/kernel/vaal_mdev/vaal_mdev.ko" "$T/deps" &&
	grep -q "/mdev.ko" "$T/deps"
}

modprobe_load() {
	local file
	modprobe vaal_pci || return 1
	LOADED_PCI=1
	file=$(modinfo -n vaal_pci) &&
	[ "$(cat /sys/module/vaal_pci/srcversion)" = "$(modinfo -F srcversion "$file")" ] || return 1
	modprobe -r vaal_pci || return 1
	LOADED_PCI=
	[ ! -e /sys/module/vaal_pci ]
}

# The DKMS tree that dkms built for this kernel on the host, against the
# same headers (selftests/tools/dkms_native.sh, the native tier: compiling
# under TCG would take most of an hour): dkms install puts its modules in
# updates/dkms, where modprobe finds them, instead of those of make
# install, and loads one.
dkms_install() {
	local tree=$BUILD/dkms/tree m p
	[ -d "$tree/vcore/0.1/$KVER" ] ||
		{ echo "no $tree/vcore/0.1/$KVER: the native tier's dkms_build_test builds it"; return 1; }
	cp -a "$tree" "$T/dkmstree" &&
	rm -rf "/lib/modules/$KVER/updates/vcore" || return 1
	dkms install vcore/0.1 -k "$KVER" --dkmstree "$T/dkmstree" \
		--sourcetree "$BUILD/dkms/stage/usr/src" >"$T/dkms.log" 2>&1 ||
		{ cat "$T/dkms.log"; return 1; }
	dkms status vcore/0.1 --dkmstree "$T/dkmstree" \
		--sourcetree "$BUILD/dkms/stage/usr/src" | tee "$T/status"
	grep -q "^vcore/0.1, $KVER, [^:]*: installed" "$T/status" || return 1
	for m in "${MODS[@]}"; do
		p=$(modinfo -n "$m") || return 1
		echo "$m: $p"
		[[ $p == /lib/modules/$KVER/updates/dkms/$m.ko* ]] || return 1
	done
	modprobe --show-depends vaal_mdev | tee "$T/deps"
	grep -q "updates/dkms/vaal_core.ko" "$T/deps" || return 1
	modprobe vaal_pci || return 1
	LOADED_PCI=1
	p=$(modinfo -n vaal_pci) &&
	[ "$(cat /sys/module/vaal_pci/srcversion)" = "$(modinfo -F srcversion "$p")" ] &&
	modprobe -r vaal_pci || return 1
	LOADED_PCI=
}

staged_dkms() {
	local d=$T/stage src names m
	KDIR=$KDIR BUILD=$BUILD DESTDIR=$d DKMS=1 "$TOP/scripts/install.sh" || return 1
	src=$d/usr/src/vcore-0.1
	[ -f "$src/dkms.conf" ] && [ -f "$src/Kbuild" ] && [ -d "$src/kernel/vaal_core" ] || return 1
	# Staged: nothing of the modules outside DESTDIR was touched.
	[ ! -e "$d/lib/modules" ] || return 1
	# Every module Kbuild builds for a host is one dkms.conf installs.
	names=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' "$src/dkms.conf" | sort)
	for m in $(printf '%s\n' "${MODS[@]}" | sort); do
		grep -qx "$m" <<<"$names" || { echo "dkms.conf lacks $m"; return 1; }
	done
	[ "$(wc -l <<<"$names")" = ${#MODS[@]} ] || return 1
	mkdir -p "$T/dkms" &&
	dkms add vcore/0.1 --sourcetree "$d/usr/src" --dkmstree "$T/dkms" &&
	dkms status vcore/0.1 --sourcetree "$d/usr/src" --dkmstree "$T/dkms" | tee "$T/status" &&
	grep -q '^vcore/0.1: added' "$T/status"
}

check "${CASES[0]}" setup
check "${CASES[1]}" install_all
check "${CASES[2]}" tools_hook
check "${CASES[3]}" udev_units
check "${CASES[4]}" modprobe_paths
check "${CASES[5]}" modprobe_load
check "${CASES[6]}" staged_dkms
check "${CASES[7]}" dkms_install
[ $failed = 0 ]
