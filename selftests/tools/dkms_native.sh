#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms_native.sh KDIR BUILD - DKMS builds the suite's kernel modules for
# the kernel whose headers are KDIR (the kernel the test VM runs), here on
# the host, where compiling takes a minute and a half rather than the
# better part of an hour under TCG.  The sources are staged as
# "make install DKMS=1" stages them; dkms add and build work in a DKMS
# tree of their own, BUILD/dkms/tree, touching nothing outside BUILD/dkms.
# Every module dkms.conf names is built, for that kernel.  The VM then
# installs that tree with "dkms install" and loads the modules with
# modprobe and no path (selftests/tools/vm_install_test.sh).  Prints TAP.
set -u
KDIR=${1:?usage: dkms_native.sh KDIR BUILD}
BUILD=${2:?usage: dkms_native.sh KDIR BUILD}
DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$DIR/../.." && pwd)
D=$BUILD/dkms
T=$(mktemp -d)
KVER=
MODS=(vaal_core vcore_sched vaal_cpu vaal_crypto vaal_mdev vaal_pci svnic)
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"

CASES=(
	"the kernel headers of the VM's kernel, and dkms"
	"the sources staged with their dkms.conf (install.sh, DESTDIR, DKMS=1)"
	"dkms add into a tree of its own"
	"dkms build against the kernel's headers"
	"every module of dkms.conf built, for that kernel"
)

trap 'rm -rf "$T"' EXIT

echo "TAP version 13"
echo "1..${#CASES[@]}"

# dkms on the tree under $D; it signs what it builds, as on a host with
# Secure Boot, with a key of its own made there (not /var/lib/dkms's).
dkms_() {
	mok_signing_key=$D/mok.key mok_certificate=$D/mok.pub \
		dkms "$@" --sourcetree "$D/stage/usr/src" --dkmstree "$D/tree"
}

headers() {
	KVER=$(cat "$KDIR/include/config/kernel.release") &&
	echo "kernel $KVER, headers $KDIR; $(dkms --version)"
}

stage() {
	rm -rf "$D" && mkdir -p "$D/tree" &&
	KDIR=$KDIR BUILD=$BUILD DESTDIR=$D/stage DKMS=1 \
		"$TOP/scripts/install.sh" >/dev/null &&
	[ -f "$D/stage/usr/src/vcore-0.1/dkms.conf" ]
}

add() {
	dkms_ add vcore/0.1 && dkms_ status vcore/0.1 | tee "$D/status" &&
	grep -q '^vcore/0.1: added' "$D/status"
}

build() {
	if ! dkms_ build vcore/0.1 -k "$KVER" --kernelsourcedir "$KDIR" \
		>"$D/build.log" 2>&1; then
		tail -n 40 "$D/build.log" "$D/tree/vcore/0.1/build/make.log"
		return 1
	fi
	dkms_ status vcore/0.1 -k "$KVER" | tee "$D/status" &&
	grep -q "^vcore/0.1, $KVER, [^:]*: built" "$D/status"
}

built() {
	local m ko v
	for m in "${MODS[@]}"; do
		ko=$(find "$D/tree/vcore/0.1/$KVER" -name "$m.ko*" | head -n 1)
		[ -n "$ko" ] || { echo "no $m.ko"; return 1; }
		v=$(modinfo -F vermagic "$ko")
		echo "$m: ${ko#"$D/"}: $v"
		[[ $v == "$KVER "* ]] || return 1
	done
	# Signed, with the key made under BUILD/dkms.
	modinfo -F signer "$ko" | grep -q 'DKMS module signing key' &&
	[ -f "$D/mok.key" ] && [ -f "$D/mok.pub" ]
}

check "${CASES[0]}" headers
check "${CASES[1]}" stage
check "${CASES[2]}" add
check "${CASES[3]}" build
check "${CASES[4]}" built
[ $failed = 0 ]
