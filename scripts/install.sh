#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh - install V-Core on a host: "make install" runs it after
# building the modules and the tools.
#
#   $PREFIX/sbin (/usr/local/sbin)   vcorevm, vaalctl, svnicctl, vaal_ctrld,
#                                    vaal_opencld, vaal_cudad (where the
#                                    CUDA headers were: built)
#   /etc/libvirt/hooks/qemu.d/vcore  libvirt's hook for V-Core VMs
#   /etc/udev/rules.d/70-vaal.rules  /dev/vaal for the kvm group, 0660
#   /etc/systemd/system/             the controller daemons' units
#   the kernel modules               DKMS=1: the sources in
#                                    /usr/src/vcore-VERSION, then dkms add,
#                                    build and install (rebuilt for every
#                                    kernel installed later); otherwise
#                                    modules_install of the built ones into
#                                    /lib/modules/KVER/updates/vcore, and
#                                    depmod (not under DESTDIR)
#
# Then "modprobe vaal_core" (and svnic, vcore_sched, ...) works with no
# path.  DESTDIR stages everything under a directory instead (packaging,
# tests): the DKMS sources are copied there and dkms is not run.
# Environment: KDIR (the kernel headers, for KVER), BUILD (the build tree),
# DESTDIR, PREFIX, DKMS.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${KDIR:?KDIR: the kernel headers the modules are built against}"
BUILD=${BUILD:-$TOP/build}
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
DKMS=${DKMS:-}
KVER=$(cat "$KDIR/include/config/kernel.release")
SBIN=$PREFIX/sbin
# The modules a host gets; the test-only module of selftests/harness is not
# one of them.
MODULES=(vaal_core vcore_sched vaal_cpu vaal_crypto vaal_mdev vaal_pci svnic)

say() { echo "  INSTALL $*"; }
die() { echo "install: $*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------
install -d "$DESTDIR$SBIN"
for t in vcorevm vaalctl svnicctl vaal_ctrld vaal_opencld; do
	[ -x "$BUILD/tools/$t" ] || die "no $BUILD/tools/$t: run make tools"
	install -m 0755 "$BUILD/tools/$t" "$DESTDIR$SBIN/$t"
	say "$SBIN/$t"
done
# The CUDA controller is built only where the CUDA headers are.
if [ -x "$BUILD/tools/vaal_cudad" ]; then
	install -m 0755 "$BUILD/tools/vaal_cudad" "$DESTDIR$SBIN/vaal_cudad"
	say "$SBIN/vaal_cudad"
fi

# --- libvirt's hook, udev, systemd ----------------------------------------
install -d "$DESTDIR/etc/libvirt/hooks/qemu.d"
sed "s|@SBINDIR@|$SBIN|" "$TOP/tools/vcorevm/libvirt-hook" \
	>"$DESTDIR/etc/libvirt/hooks/qemu.d/vcore"
chmod 0755 "$DESTDIR/etc/libvirt/hooks/qemu.d/vcore"
say /etc/libvirt/hooks/qemu.d/vcore

install -d "$DESTDIR/etc/udev/rules.d"
cat >"$DESTDIR/etc/udev/rules.d/70-vaal.rules" <<'EOF'
# V-Core: /dev/vaal for the users of the kvm group (and QEMU), not others.
KERNEL=="vaal", GROUP="kvm", MODE="0660"
EOF
say /etc/udev/rules.d/70-vaal.rules

install -d "$DESTDIR/etc/systemd/system"
for unit in "$TOP"/tools/*/*.service; do
	[ -e "$unit" ] || continue
	[ "${unit##*/}" = vaal_cudad.service ] &&
		[ ! -x "$BUILD/tools/vaal_cudad" ] && continue
	sed "s|/usr/local/sbin/|$SBIN/|g" "$unit" \
		>"$DESTDIR/etc/systemd/system/${unit##*/}"
	say "/etc/systemd/system/${unit##*/}"
done

# --- kernel modules --------------------------------------------------------
if [ -n "$DKMS" ]; then
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TOP/dkms.conf")
	src=/usr/src/vcore-$ver
	rm -rf "$DESTDIR$src"
	install -d "$DESTDIR$src/selftests/harness"
	(cd "$TOP" && cp -r Kbuild dkms.conf kernel firmware uapi "$DESTDIR$src/" &&
	 cp -r selftests/harness/module "$DESTDIR$src/selftests/harness/")
	say "$src (DKMS)"
	if [ -z "$DESTDIR" ]; then
		command -v dkms >/dev/null || die "no dkms: apt-get install dkms"
		dkms remove "vcore/$ver" --all >/dev/null 2>&1 || true
		dkms add "$src"
		dkms build "vcore/$ver" -k "$KVER"
		dkms install "vcore/$ver" -k "$KVER"
	fi
else
	# Without their debug information, as DKMS and Debian install modules;
	# unsigned: Debian's headers carry no signing key (a Secure Boot host
	# signs them as it does DKMS's, with its machine owner key).
	make -s -C "$KDIR" M="$BUILD/stock" INSTALL_MOD_PATH="$DESTDIR" \
		INSTALL_MOD_DIR=updates/vcore INSTALL_MOD_STRIP=1 \
		CONFIG_MODULE_SIG_ALL= modules_install
	dir=$DESTDIR/lib/modules/$KVER/updates/vcore
	rm -rf "$dir/selftests"
	for m in "${MODULES[@]}"; do
		ls "$dir"/*/*/"$m.ko"* >/dev/null 2>&1 || die "$m was not installed in $dir"
	done
	# Staged: depmod is the package's postinst business.
	[ -n "$DESTDIR" ] || depmod "$KVER"
	say "/lib/modules/$KVER/updates/vcore: ${MODULES[*]}"
fi
