#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm_spec_native.sh VCOREVM - vcorevm natively, no VM and no module: the
# spec parser's messages (file, line and key of every bad input), admission
# control against the host files of hosts/ (each kind of overload refused
# with its reason), the QEMU command line, libvirt's domain XML (valid for
# virt-xml-validate, kept whole through a define/dumpxml round trip on
# libvirt's test:///default driver) and the hook's reading of it.  Run by
# "make native" through build/native/vcorevm_spec_test, with VCOREVM built
# under ASan and UBSan.  Prints TAP.
set -u
VM=${1:?usage: $0 VCOREVM}
DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$DIR/../.." && pwd)
HOST=$DIR/hosts/host1.toml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export VCOREVM_RUN=$T/run
n=0 failed=0

# shellcheck source=selftests/lib/tap.sh
. "$DIR/../lib/tap.sh"

# A spec that fits host1: VM $1, with the text of stdin appended.
spec() {
	{
		cat <<EOF
name = "$1"
vcpus = 2
memory = "2GiB"
weight = 300

[[vif]]
np = "svnic-np0"
mac = "52:54:00:00:00:10"
rate = "1gbit"
vlan = 10

[[accel]]
class = "cpu"
reserve = "2ms/10ms"
units = "1"

[mdev]
type = "vaal-small"
EOF
		cat
	} >"$T/$1.toml"
}

# bad FILE REGEX: the spec $T/FILE.toml is refused as bad input (exit 2)
# with a message matching REGEX (which names the file, line and key).
bad() {
	local st=0
	"$VM" check --host "$HOST" "$T/$1.toml" >"$T/out" 2>"$T/err" || st=$?
	cat "$T/err"
	[ $st = 2 ] || { echo "exit status $st, not 2"; return 1; }
	grep -Eq -- "$2" "$T/err" || { echo "no /$2/"; return 1; }
}

# refused FILE REGEX: check exits 1 and says REGEX on a REFUSED line.
refused() {
	local st=0
	"$VM" check --host "${3:-$HOST}" "$T/$1.toml" >"$T/out" 2>"$T/err" || st=$?
	cat "$T/out" "$T/err"
	[ $st = 1 ] || { echo "exit status $st, not 1"; return 1; }
	grep -E '^  REFUSED ' "$T/out" | grep -Eq -- "$2" || { echo "no /$2/"; return 1; }
}

# --- bad input ----------------------------------------------------------------

bad_unknown_key() {
	spec u1 </dev/null
	sed -i '4a colour = "red"' "$T/u1.toml"
	bad u1 "u1\.toml:5: colour: unknown key at the top \(known: name,"
}

bad_unknown_vif_key() {
	spec u2 </dev/null
	sed -i 's/^vlan = 10$/vlan = 10\nqos = "gold"/' "$T/u2.toml"
	bad u2 'u2\.toml:11: qos: unknown key in \[\[vif\]\] \(known: np, mac'
}

bad_units() {
	spec w1 </dev/null
	sed -i 's/^memory = .*/memory = "2 gigs"/' "$T/w1.toml"
	bad w1 "w1\.toml:3: memory: '2 gigs' is not a size" || return 1
	sed -i 's/^memory = .*/memory = 2048/' "$T/w1.toml"
	bad w1 'w1\.toml:3: memory: a number without a unit' || return 1
	sed -i 's/^memory = .*/memory = "2GiB"/; s/^rate = .*/rate = "100"/' "$T/w1.toml"
	bad w1 "w1\.toml:9: vif\[0\]\.rate: '100' has no unit" || return 1
	sed -i 's/^rate = .*/rate = "100mbit"/; s/^reserve = .*/reserve = "2ms"/' "$T/w1.toml"
	bad w1 "w1\.toml:14: accel\[0\]\.reserve: '2ms' is not BUDGET/PERIOD"
}

bad_dup_mac() {
	spec d1 <<'EOF'

[[vif]]
np = "svnic-np0"
mac = "52:54:00:00:00:10"
EOF
	bad d1 "d1\.toml:22: vif\[1\]\.mac: 52:54:00:00:00:10 is vif\[0\]'s too \(line 8\)"
}

bad_dup_name() {
	spec d2 <<'EOF'

[[vif]]
name = "d2-n0"
np = "svnic-np0"
mac = "52:54:00:00:00:11"
EOF
	bad d2 "d2\.toml:21: vif\[1\]\.name: 'd2-n0' is vif\[0\]'s too" || return 1
	spec d3 </dev/null
	sed -i '1a name = "again"' "$T/d3.toml"
	bad d3 'd3\.toml:2: name: given twice \(first at line 1\)' || return 1
	spec d4 <<'EOF'

[[accel]]
class = "cpu"
EOF
	bad d4 "d4\.toml:21: accel\[1\]\.class: 'cpu' is accel\[0\]'s too \(line 13\)"
}

bad_vlan() {
	spec v1 </dev/null
	sed -i 's/^vlan = .*/vlan = 4095/' "$T/v1.toml"
	bad v1 'v1\.toml:10: vif\[0\]\.vlan: 4095 is out of range \(1 to 4094\)' || return 1
	sed -i 's/^vlan = .*/vlan = 0/' "$T/v1.toml"
	bad v1 'v1\.toml:10: vif\[0\]\.vlan: 0 is out of range'
}

bad_syntax() {
	printf 'extra = 2GiB\n' | spec s1
	bad s1 "s1\.toml:19: bare value '2GiB': strings are quoted" || return 1
	printf 'extra = "open\n' | spec s2
	bad s2 's2\.toml:19: unterminated string' || return 1
	printf '[vif]\nnp = "x"\n' | spec s3
	bad s3 's3\.toml:19: vif is one of many: write \[\[vif\]\]' || return 1
	printf '[network]\n' | spec s4
	bad s4 's4\.toml:19: unknown table \[network\]' || return 1
	printf 'x = { a = 1 }\n' | spec s5
	bad s5 's5\.toml:19: inline tables are not part' || return 1
	printf 'contexts 2\n' | spec s6
	bad s6 "s6\.toml:19: expected '=' after key 'contexts'"
}

bad_values() {
	spec b1 </dev/null
	sed -i 's/^mac = .*/mac = "01:00:5e:00:00:01"/' "$T/b1.toml"
	bad b1 'b1\.toml:8: vif\[0\]\.mac: 01:00:5e:00:00:01 is a multicast address' || return 1
	spec b2 </dev/null
	sed -i 's/^reserve = .*/reserve = "20ms\/10ms"/' "$T/b2.toml"
	bad b2 "b2\.toml:14: accel\[0\]\.reserve: budget of '20ms/10ms' is 0 or above its period" || return 1
	spec b3 </dev/null
	sed -i 's/^reserve = .*/contexts = 2/' "$T/b3.toml"
	bad b3 "b3\.toml:14: accel\[0\]\.contexts: contexts book a reservation: give 'reserve'" || return 1
	spec b7 <<'EOF'

[[accel]]
class = "crypto"
reserve = "1ms/10ms"
EOF
	bad b7 "b7\.toml:22: accel\[1\]\.reserve: a second reservation \(accel\[0\] has one, line 14\)" || return 1
	spec b4 <<'EOF'

[[accel]]
class = "crypto"
weight = 100
EOF
	bad b4 'b4\.toml:22: accel\[1\]\.weight: 100 differs from the VM.s weight 300' || return 1
	spec b5 </dev/null
	sed -i 's/^name = .*/name = "web 1"/' "$T/b5.toml"
	bad b5 "b5\.toml:1: name: 'web 1': 1 to 32 letters" || return 1
	spec b6 </dev/null
	sed -i 's/^vcpus = .*/vcpus = true/' "$T/b6.toml"
	bad b6 'b6\.toml:2: vcpus: wants an integer, not a boolean'
}

# Every error of a file is reported, not the first only.
bad_all_listed() {
	printf 'a = 1\nb = 2\n\n[[vif]]\nnp = "svnic-np0"\nmac = "52:54:00:00:00:10"\n' |
		spec m1
	sed -i 's/^vlan = .*/vlan = 5000/' "$T/m1.toml"
	bad m1 'm1\.toml:19: a: unknown key in \[mdev\]' &&
	grep -q 'm1\.toml:20: b: unknown key' "$T/err" &&
	grep -q 'm1\.toml:10: vif\[0\]\.vlan: 5000 is out of range' "$T/err" &&
	# What holds among the tables is judged too, with the rest wrong.
	grep -q "m1\.toml:24: vif\[1\]\.mac: 52:54:00:00:00:10 is vif\[0\]'s too (line 8)" "$T/err"
}

# --- admission control ---------------------------------------------------------

fits_host1() {
	spec ok1 </dev/null
	"$VM" check --host "$HOST" "$T/ok1.toml" | tee "$T/out" &&
	! grep -q REFUSED "$T/out" &&
	grep -q 'accel cpu: reservations 0.20 + 0.10 <= limit 0.90' "$T/out" &&
	grep -q 'np svnic-np0: rates 8gbit + 1gbit <= uplink eth1.s 10gbit' "$T/out"
}

refuses_reservation() {
	spec r1 </dev/null
	sed -i 's/^reserve = .*/reserve = "7500us\/10ms"\ncontexts = 2/' "$T/r1.toml"
	refused r1 'accel cpu: reservations 0\.20 \+ 0\.75 > limit 0\.90 \(shares of its 2 units; 2 contexts booked\) \(.*r1\.toml:14: accel\[0\]\.reserve\)'
}

# web0's booking on crypto counts although its guest opened no context.
refuses_booked() {
	spec r2 </dev/null
	sed -i 's/^class = "cpu"/class = "crypto"/; s/^units = .*//; s/^reserve = .*/reserve = "8ms\/10ms"/' "$T/r2.toml"
	refused r2 'accel crypto: reservations 0\.20 \+ 0\.80 > limit 0\.90'
}

refuses_no_class() {
	spec c1 </dev/null
	sed -i 's/^class = "cpu"/class = "gpu"/' "$T/c1.toml"
	refused c1 "accel gpu: no class 'gpu' in vcore_sched \(classes: cpu, crypto\) \(.*c1\.toml:13: accel\[0\]\.class\)"
}

refuses_units() {
	spec p1 </dev/null
	sed -i 's/^units = .*/units = "1-2"/' "$T/p1.toml"
	refused p1 'accel cpu: units 1-2 are not all the class.s: it has 2 \(0-1\)' || return 1
	sed -i 's/^units = .*/units = "0"/' "$T/p1.toml"
	refused p1 "accel cpu: units 0 overlap partition '0 /other.slice exclusive'" || return 1
	sed -i 's/^units = .*/units = "1"\nexclusive = true/' "$T/p1.toml"
	"$VM" check --host "$HOST" "$T/p1.toml"
}

refuses_rates() {
	spec n1 </dev/null
	sed -i 's/^rate = .*/rate = "12gbit"/' "$T/n1.toml"
	refused n1 "vif\[0\] n1-n0: rate 12gbit > uplink eth1's 10gbit \(.*n1\.toml:9: vif\[0\]\.rate\)" || return 1
	sed -i 's/^rate = .*/rate = "4gbit"/' "$T/n1.toml"
	refused n1 "np svnic-np0: rates 8gbit \+ 4gbit > uplink eth1's 10gbit"
}

refuses_vifs() {
	spec n2 <<'EOF'

[[vif]]
np = "svnic-np0"
mac = "52:54:00:00:00:11"

[[vif]]
np = "svnic-np0"
mac = "52:54:00:00:00:12"
EOF
	refused n2 'np svnic-np0: VIFs 2 \+ 3 > max_vifs 4' || return 1
	# max_vifs 0 takes no VIF (svnic's rule); no max_vifs known: no limit.
	sed 's/^max_vifs = .*/max_vifs = 0/' "$HOST" >"$T/host0.toml"
	spec n5 </dev/null
	refused n5 'np svnic-np0: VIFs 2 \+ 1 > max_vifs 0' "$T/host0.toml" || return 1
	sed '/^max_vifs = /d' "$HOST" >"$T/hostu.toml"
	"$VM" check --host "$T/hostu.toml" "$T/n5.toml" >"$T/out" || { cat "$T/out"; return 1; }
	! grep -q max_vifs "$T/out" || { cat "$T/out"; return 1; }
	spec n3 </dev/null
	sed -i 's/^np = .*/np = "svnic-np7"/' "$T/n3.toml"
	refused n3 "vif\[0\] n3-n0: no NP 'svnic-np7' \(NPs: svnic-np0, svnic-np1\)" || return 1
	spec n4 </dev/null
	sed -i 's/^mac = .*/mac = "52:54:00:00:00:99"/; s/^vlan = 10//' "$T/n4.toml"
	refused n4 'vif\[0\] n4-n0: 52:54:00:00:00:99 is VIF vif1.s on svnic-np0, VLAN none' || return 1
	spec web0 </dev/null
	refused web0 'vm web0: vcorevm manages a VM of that name already \(applied\)' &&
	grep -q "vif\[0\] web0-n0: a vdpa device of that name exists already" "$T/out"
}

refuses_host() {
	spec h1 </dev/null
	sed -i 's/^memory = .*/memory = "12GiB"/; s/^vcpus = .*/vcpus = 6/' "$T/h1.toml"
	refused h1 'memory: 12GiB > 8GiB available' &&
	grep -q 'REFUSED vcpus: 6 > 4 online CPUs' "$T/out" || return 1
	sed 's/^cgroup_cpu = true/cgroup_cpu = false/' "$HOST" >"$T/host2.toml"
	spec h2 </dev/null
	refused h2 'cgroup: no cgroup v2 with the cpu controller' "$T/host2.toml"
}

refuses_mdev() {
	spec x1 </dev/null
	sed -i 's/^type = .*/type = "vaal-huge"/' "$T/x1.toml"
	refused x1 'mdev vaal-huge: no such type .* \(types: vaal-small, vaal-large\)' || return 1
	spec x2 </dev/null
	sed -i 's/^reserve = .*/reserve = "1ms\/10ms"\ncontexts = 8/' "$T/x2.toml"
	refused x2 'mdev vaal-small: 8 contexts booked, the type holds 4 at once' || return 1
	spec x3 <<'EOF'

[[accel]]
class = "opencl"
EOF
	sed 's/^name = "crypto"/name = "opencl"/' "$HOST" >"$T/host3.toml"
	refused x3 "mdev vaal-small: the type does not offer class 'opencl' \(it offers cpu,crypto\)" "$T/host3.toml" || return 1
	sed 's/^available = 2/available = 0/' "$HOST" >"$T/host4.toml"
	spec x4 </dev/null
	refused x4 'mdev vaal-small: no instance available' "$T/host4.toml"
}

check_json() {
	spec r1 </dev/null
	sed -i 's/^reserve = .*/reserve = "7500us\/10ms"\ncontexts = 2/' "$T/r1.toml"
	"$VM" -j check --host "$HOST" "$T/r1.toml" >"$T/r1.json"
	[ $? = 1 ] || return 1
	python3 - "$T/r1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["vm"] == "r1" and j["fits"] is False, j
bad = [r for r in j["resources"] if not r["fits"]]
assert len(bad) == 1 and bad[0]["resource"] == "accel cpu", bad
assert bad[0]["line"] == 14 and bad[0]["key"] == "accel[0].reserve", bad
assert "0.20 + 0.75 > limit 0.90" in bad[0]["reason"], bad
PY
}

# --- the subset is TOML, the host file reads back -----------------------------

is_toml() {
	local f
	for f in "$TOP"/tools/vcorevm/examples/*.toml "$HOST"; do
		python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$f" ||
			{ echo "$f: not TOML"; return 1; }
		case $f in */hosts/*) continue ;; esac
		"$VM" check --host "$HOST" "$f" >/dev/null
		[ $? -le 1 ] || { echo "$f: vcorevm refuses it as input"; return 1; }
	done
}

# --- generators ------------------------------------------------------------------

qemu_line() {
	spec q1 <<'EOF'

[qemu]
machine = "pc"
accel = "tcg"
nic_opts = "mrg_rxbuf=off"
args = ["-nographic", "-serial", "file:/tmp/a b"]

[boot]
kernel = "/boot/vmlinuz"
cmdline = "console=ttyS0 quiet"
EOF
	"$VM" qemu --plain "$T/q1.toml" -- -no-reboot | tee "$T/q1.line" || return 1
	# shellcheck disable=SC2016
	grep -q -- '-netdev type=vhost-vdpa,vhostdev=/dev/vcore/q1-n0,id=vif0 -device virtio-net-pci,netdev=vif0,mac=52:54:00:00:00:10,mrg_rxbuf=off' "$T/q1.line" &&
	grep -Eq -- '-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/[0-9a-f-]{36}' "$T/q1.line" &&
	grep -q -- "-machine pc -accel tcg -m 2048 -smp 2 -kernel /boot/vmlinuz -append 'console=ttyS0 quiet'" "$T/q1.line" &&
	grep -q -- "-nographic -serial 'file:/tmp/a b' -no-reboot\$" "$T/q1.line" || return 1
	"$VM" qemu "$T/q1.toml" | grep -q '^[^ ]*vcorevm[^ ]* exec q1 -- qemu-system-x86_64 '
}

xml_valid() {
	spec l1 </dev/null
	"$VM" libvirt "$T/l1.toml" >"$T/l1.xml" || return 1
	cat "$T/l1.xml"
	if ! command -v virt-xml-validate >/dev/null; then
		echo "no virt-xml-validate (libvirt-clients)"
		return 1
	fi
	virt-xml-validate "$T/l1.xml" domain
}

# define and dumpxml on test:///default: what V-Core put in is all there.
xml_round_trip() {
	command -v virsh >/dev/null || { echo "no virsh (libvirt-clients)"; return 1; }
	virsh -q -c test:///default "define $T/l1.xml; dumpxml l1" >"$T/l1.dump" || return 1
	cat "$T/l1.dump"
	python3 - "$T/l1.dump" "$T/l1.toml" <<'PY'
import sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
ns = {"vcore": "urn:x-vcore:vm:1"}
assert d.findtext("name") == "l1"
i = d.find("devices/interface[@type='vdpa']")
assert i.find("source").get("dev") == "/dev/vcore/l1-n0", ET.tostring(i)
assert i.find("mac").get("address") == "52:54:00:00:00:10"
h = d.find("devices/hostdev[@type='mdev']")
assert h.get("model") == "vfio-pci" and len(h.find("source/address").get("uuid")) == 36
assert d.findtext("cputune/shares") == "300"
assert d.findtext("resource/partition") == "/machine"
assert d.find("memory").text == "2097152"
spec = d.find("metadata/vcore:vm/vcore:spec", ns).text
assert spec == open(sys.argv[2]).read(), "the spec in <metadata> differs"
PY
}

# The hook finds the spec in libvirt's own XML (prefix and quotes its own)
# and checks it: against this host (no svnic here) it refuses, naming the
# domain's metadata and the line.
hook_reads_xml() {
	local st=0
	"$VM" hook l1 prepare begin - <"$T/l1.dump" >"$T/out" 2>"$T/err" || st=$?
	cat "$T/out" "$T/err"
	[ $st = 1 ] && grep -q "(domain l1 <metadata>:7: vif\[0\]\.np)" "$T/err" || return 1
	sed 's/<vcore:/<v:/g; s/<\/vcore:/<\/v:/g; s/xmlns:vcore=/xmlns:v=/' "$T/l1.dump" >"$T/l1b.xml"
	st=0
	"$VM" hook l1 prepare begin - <"$T/l1b.xml" >"$T/out" 2>"$T/err" || st=$?
	if [ $st != 1 ] || ! grep -q "domain l1 <metadata>" "$T/err"; then
		cat "$T/err"
		return 1
	fi
	# Other operations, or a domain without our metadata: nothing, 0.
	"$VM" hook l1 started end - <"$T/l1.dump" &&
	echo '<domain><name>l1</name></domain>' | "$VM" hook l1 prepare begin -
}

hook_name_mismatch() {
	local st=0
	"$VM" hook other prepare begin - <"$T/l1.dump" 2>"$T/err" || st=$?
	cat "$T/err"
	[ $st = 1 ] && grep -q "domain other: its V-Core spec is VM 'l1'" "$T/err"
}

usage() {
	local st=0
	"$VM" -h | grep -q '^  check \[--host FILE\] SPEC' || return 1
	"$VM" frobnicate 2>/dev/null || st=$?
	[ $st = 2 ] || return 1
	"$VM" release 'bad name' 2>/dev/null; [ $? = 2 ] || return 1
	"$VM" release nothere | grep -q 'nothere: not there: nothing to release' || return 1
	# Several at once: each takes the host's lock its process holds already.
	timeout 20 "$VM" release n1 n2 n3 >"$T/out" || { echo "status $?"; return 1; }
	[ "$(grep -c 'not there: nothing to release' "$T/out")" = 3 ]
}

# The hook libvirt runs (tools/vcorevm/libvirt-hook, installed in
# /etc/libvirt/hooks/qemu.d/): it hands its arguments and stdin to
# "vcorevm hook"; without vcorevm, a V-Core domain cannot start and any
# other domain is let be.
hook_script() {
	local st=0 hook=$TOP/tools/vcorevm/libvirt-hook
	VCOREVM=$VM "$hook" l1 prepare begin - <"$T/l1.dump" >"$T/out" 2>"$T/err" || st=$?
	cat "$T/out" "$T/err"
	[ $st = 1 ] && grep -q "(domain l1 <metadata>:7: vif\[0\]\.np)" "$T/err" || return 1
	VCOREVM=$VM "$hook" l1 started end - <"$T/l1.dump" || return 1
	st=0
	PATH=/usr/bin:/bin VCOREVM=/nonexistent "$hook" l1 prepare begin - \
		<"$T/l1.dump" 2>"$T/err" || st=$?
	cat "$T/err"
	[ $st = 1 ] && grep -q 'domain l1 has a V-Core spec, and vcorevm is not installed' "$T/err" || return 1
	echo '<domain><name>d</name></domain>' |
		PATH=/usr/bin:/bin VCOREVM=/nonexistent "$hook" d prepare begin -
}

# Every command's own help: "CMD -h", "CMD --help" and "help CMD" print its
# usage line and more, and exit 0; help of no command exits 2.
verb_help() {
	local c out
	for c in check apply release show qemu libvirt hook bind exec host; do
		for out in "$("$VM" "$c" -h)" "$("$VM" "$c" --help)" "$("$VM" help "$c")"; do
			grep -Eq "^usage: vcorevm (\[-j\] )?$c( |\$)" <<<"$out" ||
				{ echo "$c: no usage line in: $out"; return 1; }
			[ "$(wc -l <<<"$out")" -ge 3 ] || { echo "$c: a bare usage line"; return 1; }
		done
	done
	"$VM" help frobnicate 2>/dev/null
	[ $? = 2 ]
}

CASES=(
	"bad input: unknown key, named with file and line" bad_unknown_key
	"bad input: unknown key in [[vif]]" bad_unknown_vif_key
	"bad input: wrong units (size, rate, reservation)" bad_units
	"bad input: duplicate MACs" bad_dup_mac
	"bad input: duplicate names (VIF, key, class)" bad_dup_name
	"bad input: VLAN out of range" bad_vlan
	"bad input: syntax (bare value, string, tables)" bad_syntax
	"bad input: values (MAC, budget, contexts, reservations, weight, name, type)" bad_values
	"bad input: every error of a file is listed" bad_all_listed
	"check: a spec that fits host1" fits_host1
	"check: reservations over rt_limit refused with the sum" refuses_reservation
	"check: a managed VM's booked reservation counts" refuses_booked
	"check: a class that does not exist" refuses_no_class
	"check: units beyond the class, exclusive overlap" refuses_units
	"check: a rate above the uplink, rates summed over it" refuses_rates
	"check: max_vifs, NP, MAC clash, VM and VIF names taken" refuses_vifs
	"check: memory, vcpus, cgroup controller" refuses_host
	"check: mdev type, contexts, classes offered, instances" refuses_mdev
	"check -j: the refusal as JSON with line and key" check_json
	"the examples and host file are TOML (Python's tomllib)" is_toml
	"qemu: vhost-vdpa netdevs, vfio-pci mdev, args quoted" qemu_line
	"libvirt: the domain XML validates (virt-xml-validate)" xml_valid
	"libvirt: define/dumpxml round trip on test:///default" xml_round_trip
	"hook: reads libvirt's XML, refuses with the spec's lines" hook_reads_xml
	"hook: a domain whose spec names another VM is refused" hook_name_mismatch
	"hook script: runs vcorevm hook; without vcorevm only V-Core domains fail" hook_script
	"usage: -h, unknown command, release of nothing (several at once)" usage
	"usage: each command's own help (CMD -h, CMD --help, help CMD)" verb_help
)

echo "TAP version 13"
echo "1..$((${#CASES[@]} / 2))"
for ((i = 0; i < ${#CASES[@]}; i += 2)); do
	check "${CASES[i]}" "${CASES[i + 1]}"
done
[ $failed = 0 ]
