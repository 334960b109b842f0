#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu_vaal_test.sh - the VAAL in a real guest, end to end: a VAAL mediated
# device (vaal_mdev.ko) given to a tiny guest (the running kernel, busybox
# and guest/init) by stock QEMU with "-device vfio-pci,sysfsdev=...".  The
# guest's own driver, vaal_pci.ko, gives it a /dev/vaal; the repository's
# unmodified tools run there on the host's root (shared read only over 9p,
# as the test VM has it): vaalctl info, vaalctl run crypto sha256 against
# sha256sum, vaal_dag_test's randomized streams against their sequential
# reference, and vaal_ring_test (refusals, overflow, poll, fdinfo).  The
# guest's verdicts come back on its serial console; after QEMU exits, the
# mdev's sysfs says it holds no context and no pinned page, and it can be
# removed.  The guest is TCG inside the VM's TCG: small, and still slow
# (100 to 230 s to boot, 150 to 250 s to run).
# Prints TAP; $VCORE_SUITE holds the modules, $VCORE_BUILD the tools and
# the selftests.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
MDEV_KO=$SUITE/kernel/vaal_mdev/vaal_mdev.ko
PCI_KO=$SUITE/kernel/vaal_pci/vaal_pci.ko
VAALCTL=$BUILD/tools/vaalctl
DAG=$BUILD/selftests/vaal_core/vaal_dag_test
DIR=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
n=0 failed=0
QEMU=${QEMU:-qemu-system-x86_64}
KERNEL=/boot/vmlinuz-$(uname -r)
PARENT=/sys/class/mdev_bus/vaal
UUID=$(cat /proc/sys/kernel/random/uuid)
MDEV=/sys/bus/mdev/devices/$UUID
# vaal_dag_test's tests the guest runs, within the time a test has (its
# two WAR-stall tests read the host's controller statistics in sysfs).
DAG_TESTS=random_streams_match_sequential_reference,contexts_cannot_reach_each_other
DAG_TESTS+=,close_and_unmap_with_work_in_flight
# More selftests the guest runs (in $BUILD/selftests/), each as C/P:T1:T2
# (P but its tests T1 and T2): vaal_ring_test but its tests that set the
# host's module parameters or use a polling thread (the host's, whose
# timing under TCG in TCG is no test of the guest), and those of
# $VCORE_GUEST_TESTS (a space-separated list).
GUEST_TESTS=(vaal_core/vaal_ring_test:inflight_bound:sqpoll_submits_without_system_calls:sqpoll_thread_of_the_owner)
read -ra more <<<"${VCORE_GUEST_TESTS:-}"
GUEST_TESTS+=("${more[@]}")
BIG_BYTES=$(((2 << 20) + 8192))	# more pages than one page list holds (512)
BOOT_TIMEOUT=240	# s, from QEMU's start to the guest's first line
END=570			# s, when the guest must be done: run_tests.sh stops us at 600
QEMU_PID=
QEMU_START=0
BOOTED=0

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"

CASES=(
	"vaal_mdev: the parent vaal in /sys/class/mdev_bus"
	"an mdev created from the parent's supported types"
	"guest initramfs: busybox, guest/init, the 9p modules"
	"QEMU boots the guest on -device vfio-pci,sysfsdev= the mdev"
	"the guest sees 1af4:10f0 on its PCI bus"
	"the guest loads vaal_pci: /dev/vaal"
	"vaalctl info in the guest: the ABI, no user-space controllers"
	"vaalctl run crypto sha256 of a small file equals sha256sum"
	"vaalctl run crypto sha256 of 2 MiB + 8 KiB (chained page lists) equals sha256sum"
	"vaal_dag_test in the guest: streams equal their sequential reference"
	"the guest unloads vaal_pci (a device reset) and stops"
	"no warning from the guest's kernel"
	"QEMU exits"
	"the mdev holds no context and no pinned page"
	"the mdev is removed"
)

for t in "${GUEST_TESTS[@]}"; do
	t=${t%%:*}
	CASES+=("${t##*/} in the guest")
done

echo "TAP version 13"
echo "1..${#CASES[@]}"

# skip_all REASON: every case skipped, for want of something this host lacks.
skip_all() {
	local c
	for c in "${CASES[@]}"; do
		n=$((n + 1))
		echo "ok $n $c # SKIP $1"
	done
	rm -rf "$T"
	exit 0
}

command -v "$QEMU" >/dev/null || skip_all "no $QEMU"
[ -r "$KERNEL" ] || skip_all "no $KERNEL to boot in the guest"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (busybox-static) for the guest"
command -v cpio >/dev/null || skip_all "no cpio"
command -v cc >/dev/null || skip_all "no cc for the DAG test's shim"
[ -f "$MDEV_KO" ] || skip_all "no $MDEV_KO"
[ -f "$PCI_KO" ] || skip_all "no $PCI_KO"
{ [ -x "$VAALCTL" ] && [ -x "$DAG" ]; } || skip_all "no $VAALCTL or $DAG (make tools selftests)"
modprobe -q -a vfio vfio_iommu_type1 mdev || skip_all "no vfio or mdev modules"

cleanup() {
	if [ -n "$QEMU_PID" ]; then
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	[ -d "$MDEV" ] && echo 1 >"$MDEV/remove" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# vaal_pci.ko belongs in guests only: here it would take /dev/vaal.
parent_up() {
	if [ -e /sys/module/vaal_pci ]; then
		echo "vaal_pci is loaded in the VM"
		return 1
	fi
	[ -d "$PARENT" ] || insmod "$MDEV_KO" || return 1
	ls "$PARENT/mdev_supported_types"
}

# The first supported type whose name says "large" (every class, polling
# threads: what the selftests use), or the first.
mdev_up() {
	local types type t
	types=("$PARENT"/mdev_supported_types/*)
	type=${types[0]}
	for t in "${types[@]}"; do
		case ${t##*/} in *large*) type=$t; break ;; esac
	done
	echo "type ${type##*/}: $(cat "$type/description" 2>/dev/null)"
	echo "$UUID" >"$type/create" || return 1
	[ -d "$MDEV" ] && readlink "$MDEV/iommu_group"
}

# The guest's initramfs, $T/initrd: busybox, guest/init, and the modules
# of 9p over virtio (virtio_pci may be built in), uncompressed for
# busybox's insmod, in load order in /modules.list.
initramfs() {
	local root=$T/root ko name
	mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/modules} &&
	cp /bin/busybox "$root/bin/busybox" &&
	cp "$DIR/guest/init" "$root/init" &&
	chmod 755 "$root/init" || return 1
	: >"$root/modules.list"
	modprobe --show-depends -a virtio_pci 9p 9pnet_virtio >"$T/deps" || return 1
	cat "$T/deps"
	while read -r ko; do
		name=${ko##*/}
		case $name in
		*.xz) name=${name%.xz}; xz -dc "$ko" >"$root/lib/modules/$name" ;;
		*.zst) name=${name%.zst}; zstd -qdc "$ko" >"$root/lib/modules/$name" ;;
		*.gz) name=${name%.gz}; gzip -dc "$ko" >"$root/lib/modules/$name" ;;
		*) cp "$ko" "$root/lib/modules/$name" ;;
		esac || return 1
		echo "$name" >>"$root/modules.list"
	done < <(awk '$1 == "insmod" && !seen[$2]++ { print $2 }' "$T/deps")
	grep -qx 9p.ko "$root/modules.list" || return 1
	sha256sum "$PCI_KO"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$T/initrd" &&
	ls -l "$T/initrd"
}

# What the guest reads: a file of more pages than a page list holds, and
# the preload that makes vaal_dag_test's reload of the CPU controller a
# no-op (the guest's controllers are the host's: it has no vaal_cpu.ko).
guest_files() {
	head -c "$BIG_BYTES" /dev/urandom >"$T/big.bin" || return 1
	cat >"$T/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <sys/syscall.h>

/* Loading and unloading kernel modules succeed, doing nothing. */
long syscall(long nr, ...)
{
	static long (*next)(long, ...);
	long a[6];
	va_list ap;
	int i;

	if (nr == SYS_finit_module || nr == SYS_init_module ||
	    nr == SYS_delete_module)
		return 0;
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!next)
		next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return next(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
EOF
	cc -O2 -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl
}

# The guest's serial console, without carriage returns.
console() {
	tr -d '\r' <"$T/console" 2>/dev/null
}

# wait_console REGEX SECONDS: until the console has a line matching REGEX;
# fails when QEMU is gone without it, or after SECONDS.
wait_console() {
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		console | grep -Eq "$1" && return 0
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			console | grep -Eq "$1" && return 0
			echo "QEMU exited before '$1'"
			return 1
		fi
		sleep 0.5
	done
	echo "no '$1' after $2 s"
	return 1
}

# QEMU with the guest, in the background; its serial console goes to
# $T/console.
qemu_start() {
	local append
	# Less to boot: no ACPI, no crypto self-tests, no jitter entropy
	# source; then what guest/init is to do.
	append="console=ttyS0 quiet panic=-1 acpi=off edd=off mitigations=off"
	append+=" tsc=reliable cryptomgr.notests=1"
	append+=" initcall_blacklist=jent_mod_init,crypto_kdf108_init"
	append+=" ipv6.disable=1 vcore.suite=$SUITE vcore.build=$BUILD"
	append+=" vcore.files=/etc/os-release,$T/big.bin vcore.shim=$T/shim.so"
	append+=" vcore.dag=$DAG_TESTS"
	append+=" vcore.tests=$(IFS=,; echo "${GUEST_TESTS[*]}")"
	: >"$T/console"
	QEMU_START=$SECONDS
	(ulimit -l unlimited &&
	 exec "$QEMU" -nodefaults -no-user-config -display none -no-reboot \
		-machine pc -accel tcg,tb-size=64 -m 512 -smp 1 \
		-kernel "$KERNEL" -initrd "$T/initrd" -append "$append" \
		-serial "file:$T/console" -monitor none \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-device "vfio-pci,sysfsdev=$MDEV") \
		</dev/null >"$T/qemu.log" 2>&1 &
	QEMU_PID=$!
}

# The guest's kernel died in start_kernel(), before any driver ran: the
# nested emulator's doing (TCG in TCG), not the device's.
early_panic() {
	console | grep -q 'Kernel panic' && console | grep -q 'start_kernel+'
}

guest_boots() {
	local try
	for try in 1 2 3; do
		qemu_start || return 1
		wait_console '^GUEST-BOOT' "$BOOT_TIMEOUT" && break
		if [ "$try" -lt 3 ] && early_panic; then
			say "# guest: its kernel died in start_kernel(), before any driver; booting it again"
			wait "$QEMU_PID" 2>/dev/null
			continue
		fi
		cat "$T/qemu.log"
		console | tail -n 40
		return 1
	done
	BOOTED=$((SECONDS - QEMU_START))
	say "# guest: QEMU start to its init's first line ${BOOTED}s"
	sed 's/^/# qemu: /' "$T/qemu.log" >&3
}

# guest_said REGEX: the guest's console has a line matching REGEX; the
# guest's lines when not.
guest_said() {
	console | grep -Eq "$1" && return 0
	echo "no '$1' from the guest:"
	console | grep '^GUEST-' | tail -n 40
	return 1
}

# The guest's last line, so that every verdict is in.
guest_done() {
	if wait_console '^GUEST-DONE' $((END - SECONDS)); then
		say "# guest: init's first line to its last $((SECONDS - QEMU_START - BOOTED))s"
	else
		console | tail -n 60
	fi
}

guest_pci() {
	console | grep '^GUEST-PCI'
	guest_said '^GUEST-PCI 1af4:10f0$'
}

# vaalctl info worked, and does not offer user-space controllers.
guest_info() {
	console | grep '^GUEST-INFO'
	guest_said '^GUEST-INFO-OK' &&
	guest_said '^GUEST-INFO features: .* rings' &&
	! console | grep -q '^GUEST-INFO features:.*user-controllers'
}

# guest_test NAME: the guest ran selftest NAME and it passed.
guest_test() {
	console | grep "^GUEST-TEST $1 "
	guest_said "^GUEST-TEST-OK $1 " &&
	say "# guest: $(console | grep "^GUEST-TEST-OK $1 " | cut -d' ' -f2-)"
}

guest_stops() {
	guest_said '^GUEST-RMMOD-OK' && guest_said '^GUEST-DONE'
}

guest_quiet() {
	console | grep -q '^GUEST-DONE' || { echo "the guest did not end"; return 1; }
	console | grep '^GUEST-KMSG'
	! console | grep -q '^GUEST-KMSG'
}

qemu_exits() {
	local i
	if ! console | grep -q '^GUEST-DONE'; then
		echo "the guest did not end: QEMU killed"
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
		QEMU_PID=
		return 1
	fi
	for ((i = 0; i < 60; i++)); do
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			wait "$QEMU_PID"
			echo "QEMU exit status $?"
			QEMU_PID=
			say "# guest: QEMU start to its exit $((SECONDS - QEMU_START))s"
			return 0
		fi
		sleep 0.5
	done
	echo "QEMU still runs 30 s after the guest's last line"
	return 1
}

# The guest's contexts and pages are all gone from the host.
mdev_idle() {
	local f v ok=0
	for f in contexts pinned_pages; do
		v=$(cat "$MDEV/vaal/$f") || return 1
		echo "$f $v"
		[ "$v" = 0 ] || ok=1
	done
	grep -H . "$MDEV"/vaal/* 2>/dev/null
	return $ok
}

mdev_remove() {
	[ -z "$QEMU_PID" ] && echo 1 >"$MDEV/remove" && [ ! -e "$MDEV" ]
}

# Figures go to the TAP stream as comments, beside the check's own log.
exec 3>&1
say() {
	echo "$*"
	echo "$*" >&3
}

check "${CASES[0]}" parent_up
check "${CASES[1]}" mdev_up
check "${CASES[2]}" initramfs
guest_files >"$T/files.log" 2>&1 || sed 's/^/# guest files: /' "$T/files.log"
check "${CASES[3]}" guest_boots
guest_done
check "${CASES[4]}" guest_pci
check "${CASES[5]}" guest_said '^GUEST-INSMOD-OK'
check "${CASES[6]}" guest_info
check "${CASES[7]}" guest_said '^GUEST-SHA-OK /etc/os-release '
check "${CASES[8]}" guest_said "^GUEST-SHA-OK $T/big.bin "
check "${CASES[9]}" guest_test vaal_dag_test
i=15
for t in "${GUEST_TESTS[@]}"; do
	t=${t%%:*}
	check "${CASES[i]}" guest_test "${t##*/}"
	i=$((i + 1))
done
check "${CASES[10]}" guest_stops
check "${CASES[11]}" guest_quiet
check "${CASES[12]}" qemu_exits
check "${CASES[13]}" mdev_idle
check "${CASES[14]}" mdev_remove
# The guest's whole console, for a look later: vcore-vm's LOGDIR/out.
[ -n "${VCORE_OUT:-}" ] && cp "$T/console" "$VCORE_OUT/qemu_vaal_console.log"
echo "# whole test ${SECONDS}s"
[ $failed = 0 ]
