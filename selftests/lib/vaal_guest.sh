# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# vaal_guest.sh - a tiny guest on a VAAL mediated device, in the test VM:
# what qemu_vaal_test.sh and tools/bench/vaal_guest_bench.sh have in
# common.  The guest is the running kernel, busybox and
# selftests/vaal_mdev/guest/init, booted by stock QEMU with
# "-device vfio-pci,sysfsdev=" an mdev of vaal_mdev.ko; the host's root
# comes to it read only over 9p.  The caller sets
#	SUITE, BUILD	the modules, the tools and selftests
#	T		a scratch directory
#	GUEST_APPEND	what guest/init is to do (vcore.* parameters)
#	GUEST_CG	a cgroup for QEMU, or empty
#	OFF_UNITS	CPUs for QEMU (taskset -c), or empty
#	GUEST_MODULES	more modules for the guest's initramfs (virtio_net),
#			loaded before vaal_pci, or unset
# and defines say() (a line for the log and the TAP stream) before
# calling these.
GUEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../vaal_mdev" && pwd)
MDEV_KO=$SUITE/kernel/vaal_mdev/vaal_mdev.ko
PCI_KO=$SUITE/kernel/vaal_pci/vaal_pci.ko
QEMU=${QEMU:-qemu-system-x86_64}
KERNEL=/boot/vmlinuz-$(uname -r)
PARENT=/sys/class/mdev_bus/vaal
UUID=$(cat /proc/sys/kernel/random/uuid)
MDEV=/sys/bus/mdev/devices/$UUID
BOOT_TIMEOUT=420	# s, from QEMU's start to the guest's first line
# The guest's CPU: without CMPXCHG16B, which TCG inside TCG has been seen
# to get wrong (a double fault with impossible RFLAGS right after one, in
# SLUB's fast path), the kernel takes the lock-based path instead.
GUEST_CPU=qemu64,-cx16
QEMU_PID=
QEMU_START=0
BOOTED=0

# guest_missing: why a guest cannot be booted here, or nothing.
guest_missing() {
	command -v "$QEMU" >/dev/null || { echo "no $QEMU"; return; }
	[ -r "$KERNEL" ] || { echo "no $KERNEL to boot in the guest"; return; }
	[ -x /bin/busybox ] ||
		{ echo "no /bin/busybox (busybox-static) for the guest"; return; }
	command -v cpio >/dev/null || { echo "no cpio"; return; }
	[ -f "$MDEV_KO" ] || { echo "no $MDEV_KO"; return; }
	[ -f "$PCI_KO" ] || { echo "no $PCI_KO"; return; }
	modprobe -q -a vfio vfio_iommu_type1 mdev ||
		echo "no vfio or mdev modules"
}

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
# of 9p over virtio (virtio_pci may be built in) and of $GUEST_MODULES,
# uncompressed for busybox's insmod, in load order in /modules.list.
initramfs() {
	local root=$T/root ko name
	mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/modules} &&
	cp /bin/busybox "$root/bin/busybox" &&
	cp "$GUEST_DIR/guest/init" "$root/init" &&
	chmod 755 "$root/init" || return 1
	: >"$root/modules.list"
	# shellcheck disable=SC2086 # a list of names
	modprobe --show-depends -a virtio_pci 9p 9pnet_virtio ${GUEST_MODULES:-} \
		>"$T/deps" || return 1
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

# QEMU with the guest, in the background, in $GUEST_CG on $OFF_UNITS; its
# serial console goes to $T/console.
qemu_start() {
	local append
	# Less to boot: no ACPI, no crypto self-tests, no jitter entropy
	# source; then what guest/init is to do.
	append="console=ttyS0 quiet panic=-1 acpi=off edd=off mitigations=off"
	append+=" tsc=reliable cryptomgr.notests=1"
	append+=" initcall_blacklist=jent_mod_init,crypto_kdf108_init"
	append+=" ipv6.disable=1 vcore.suite=$SUITE vcore.build=$BUILD"
	append+=" $GUEST_APPEND"
	: >"$T/console"
	QEMU_START=$SECONDS
	(ulimit -l unlimited &&
	 { [ -z "$GUEST_CG" ] || echo $BASHPID >"$GUEST_CG/cgroup.procs"; } &&
	 exec ${OFF_UNITS:+taskset -c "$OFF_UNITS"} "$QEMU" -nodefaults \
		-no-user-config -display none -no-reboot \
		-machine pc -accel tcg,tb-size=64 -cpu "$GUEST_CPU" -m 512 -smp 1 \
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
	local try line
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
	while read -r line; do
		say "# qemu: $line"
	done <"$T/qemu.log"
}

# guest_said REGEX: the guest's console has a line matching REGEX; the
# guest's lines when not.
guest_said() {
	console | grep -Eq "$1" && return 0
	echo "no '$1' from the guest:"
	console | grep '^GUEST-' | tail -n 40
	return 1
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

mdev_remove() {
	[ -z "$QEMU_PID" ] && echo 1 >"$MDEV/remove" && [ ! -e "$MDEV" ]
}
