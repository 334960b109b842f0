#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svnic_ynl_test.sh - the svnic generic netlink family driven through its
# YNL spec (Documentation/netlink/specs/svnic.yaml) by the kernel's own YNL
# CLI (tools/net/ynl/cli.py of the extracted linux-source-6.12), the spec
# validated against the kernel's genetlink-legacy schema on every call:
# the uAPI header ynl-gen-c makes of the spec equals uapi/linux/svnic.h;
# every command (get-info, np-new, np-get do and dump, vif-get do and dump,
# vif-set, np-set, np-del) with its replies' values checked, the stats nest
# parsed; the kernel's refusals (errno, extack message, the attribute it
# names, the policy's bounds) as the CLI reports them; admin-perm commands
# refused to an unprivileged user.  The kernel source is found as the
# Makefile finds it: $VCORE_CACHE, else $HOME/.cache/vcore (vcore-vm passes
# the host's VCORE_CACHE to the guest); without it the test fails.
# Prints TAP; $VCORE_SUITE holds svnic.ko.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
KO=$SUITE/kernel/svnic/svnic.ko
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LINUX_SRC=${VCORE_CACHE:-$HOME/.cache/vcore}/linux-source-6.12
CLI=$LINUX_SRC/tools/net/ynl/cli.py
GEN=$LINUX_SRC/tools/net/ynl/ynl-gen-c.py
SCHEMA=$LINUX_SRC/Documentation/netlink/genetlink-legacy.yaml
SPEC=$TOP/Documentation/netlink/specs/svnic.yaml
UAPI=$TOP/uapi/linux/svnic.h
T=$(mktemp -d)
n=0 failed=0
VIF_MAC=52:54:00:00:00:01
NEW_MAC=52:54:00:00:00:0b

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=selftests/lib/net.sh
. "$(dirname "$0")/../lib/net.sh"
trap svnic_cleanup EXIT

# ynl ARGS...: the CLI on the spec; the reply, as JSON, in $T/reply.  The
# spec's validation against the kernel's schema (jsonschema: seconds a call
# in a TCG guest) is the schema checks' (ynl_schema), not every call's.
ynl() {
	python3 "$CLI" --spec "$SPEC" --no-schema --output-json "$@" >"$T/reply" 2>&1
	local ret=$?
	cat "$T/reply"
	return $ret
}

ynl_schema() {
	python3 "$CLI" --spec "$1" --schema "$SCHEMA" --list-ops >"$T/reply" 2>&1
	local ret=$?
	cat "$T/reply"
	return $ret
}

# reply FILTER: the jq FILTER of the last reply is true.
reply() {
	jq -e "$1" "$T/reply" >/dev/null || { echo "not: $1"; return 1; }
}

# refused ERRNO MSG ATTR ARGS...: ynl ARGS fails with ERRNO's text, the
# extack message MSG and, unless ATTR is empty, the bad attribute ATTR.
refused() {
	local err=$1 msg=$2 attr=$3
	shift 3
	if ynl "$@"; then
		echo "succeeded, should have been refused"
		return 1
	fi
	grep -qF "Netlink error: $err" "$T/reply" ||
		{ echo "no '$err' in the error"; return 1; }
	grep -qF "'msg': '$msg" "$T/reply" ||
		{ echo "no extack message '$msg'"; return 1; }
	[ -z "$attr" ] || grep -qF "'bad-attr': '$attr'" "$T/reply" ||
		{ echo "no bad attribute '$attr'"; return 1; }
}

have_source() {
	ls -d "$LINUX_SRC" && [ -f "$CLI" ] && [ -f "$GEN" ] && [ -f "$SCHEMA" ]
}

# veth0, its peer wire0, both up, without IPv6: nothing on the wire.
wire_up() {
	ip link add veth0 type veth peer name wire0 &&
	sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1 &&
	sysctl -qw net.ipv6.conf.wire0.disable_ipv6=1 &&
	ip link set wire0 up && ip link set veth0 up
}

# The uAPI header ynl-gen-c renders from the spec (in a scratch tree laid
# out as the kernel's) names the family's constants, commands, attributes
# and counters with uapi/linux/svnic.h's values; the *_MAX ones make sure
# that neither has an entry more.
uapi_gen() {
	local g=$T/gen names
	mkdir -p "$g/Documentation/netlink/specs" "$g/include/linux" &&
	touch "$g/MAINTAINERS" &&
	cp "$SPEC" "$g/Documentation/netlink/specs/" &&
	cp "$SCHEMA" "$g/Documentation/netlink/" &&
	python3 "$GEN" --mode uapi --header \
		--spec "$g/Documentation/netlink/specs/svnic.yaml" \
		-o "$g/include/linux/svnic.h" || return 1
	names=$(grep -oE '\b_*SVNIC_[A-Z0-9_]+' "$g/include/linux/svnic.h" |
		grep -vx SVNIC_GENL_NAME | sort -u)
	echo "$names" | grep -qx SVNIC_A_MAX && echo "$names" | grep -qx SVNIC_STAT_MAX &&
	echo "$names" | grep -qx SVNIC_CMD_MAX || return 1
	{
		echo '#include <stdio.h>'
		echo '#include <linux/svnic.h>'
		echo 'int main(void) {'
		printf '\tprintf("%s %%s\\n", %s);\n' SVNIC_GENL_NAME SVNIC_GENL_NAME
		for v in $names; do
			printf '\tprintf("%s %%lld\\n", (long long)%s);\n' "$v" "$v"
		done
		echo '	return 0; }'
	} >"$g/names.c" &&
	gcc -Wall -Werror -I"$g/include" -o "$g/spec" "$g/names.c" &&
	gcc -Wall -Werror -I"$TOP/uapi" -o "$g/uapi" "$g/names.c" &&
	"$g/spec" >"$g/spec.txt" && "$g/uapi" >"$g/uapi.txt" &&
	echo "$(wc -l <"$g/spec.txt") names" &&
	diff -u "$g/uapi.txt" "$g/spec.txt"
}

load() {
	rmmod svnic 2>/dev/null
	insmod "$KO"
}

# The kernel's CLI validates the spec against the kernel's schema and
# lists every command with its modes (a set: in any order).
schema_ok() {
	ynl_schema "$SPEC" &&
	grep -qE '^get-info +\[ do \]$' "$T/reply" &&
	grep -qE '^np-get +\[ (do, dump|dump, do) \]$' "$T/reply" &&
	grep -qE '^vif-get +\[ (do, dump|dump, do) \]$' "$T/reply" &&
	[ "$(grep -cE '^(np-new|np-del|vif-set|np-set) +\[ do \]$' "$T/reply")" = 4 ]
}

# A spec with a type the schema does not know is refused: the validation
# is on (python3-jsonschema present), not skipped.
schema_refuses() {
	sed 's/type: u16/type: u24/' "$SPEC" >"$T/bad.yaml" || return 1
	if ynl_schema "$T/bad.yaml"; then
		echo "the schema took type u24"
		return 1
	fi
	grep -q "ValidationError: 'u24' is not one of" "$T/reply"
}

STATS='["drop-filtered", "drop-malformed", "drop-no-buffer", "drop-rate",
	"drop-too-big", "rx-bytes", "rx-packets", "tx-bytes", "tx-packets"]'
# Every counter of the stats nest, by its name, a number.
STATS_OK="(.stats | keys == $STATS and all(.[]; type == \"number\"))"

# The ABI the header declares, every feature bit by its name, NPS NPs.
INFO() {
	local major minor
	major=$(awk '$2 == "SVNIC_ABI_MAJOR" { print $3 }' "$UAPI")
	minor=$(awk '$2 == "SVNIC_ABI_MINOR" { print $3 }' "$UAPI")
	echo "(.[\"abi-major\"] == $major and .[\"abi-minor\"] == $minor and
		(.features | sort) == [\"np\", \"np-dp\", \"vif\"] and .[\"nr-nps\"] == $1)"
}

# NP 0 on veth0 as np-new makes it.
NP0='(.["np-id"] == 0 and .["np-name"] == "svnic-np0" and .uplink == "veth0"
	and .["sidecore-cpu"] == -1 and .link == 1 and .backend == "sidecore"
	and [.["np-abi-major"], .["np-abi-minor"]] == [1, 0]
	and '"$STATS_OK)"

# np-new and get-info in one request (the CLI's --multi).
np_new() {
	ynl --multi np-new '{"uplink": "veth0"}' --multi get-info '{}' &&
	reply ".[0] | $NP0 and .[\"nr-vifs\"] == 0" &&
	reply '.[0] | [.["notify-frames"], .["notify-cycles"]] == [0, 1]' &&
	reply ".[1] | $(INFO 1)" &&
	vdpa mgmtdev show | grep -q svnic-np0
}

np_get() {
	ynl --do np-get --json '{"np-id": 0}' && reply "$NP0"
}

np_dump() {
	ynl --dump np-get && reply "length == 1 and (.[0] | $NP0)"
}

vif_up() {
	modprobe -a virtio_vdpa vhost_vdpa 2>/dev/null
	vdpa dev add name vif1 mgmtdev svnic-np0 mac $VIF_MAC mtu 1500
}

# vif1 on NP 0, MTU 1500, its counters.  (Not all 0: what reaches it
# before a driver posts buffers counts in drop-no-buffer.)
VIF1='(.["np-id"] == 0 and .["vif-name"] == "vif1" and .mtu == 1500
	and '"$STATS_OK)"

# vif-get and np-get (NP 0 has one VIF now) in one request.
vif_get() {
	ynl --multi vif-get '{"vif-name": "vif1"}' --multi np-get '{"np-id": 0}' &&
	reply ".[0] | $VIF1 and .mac == \"$VIF_MAC\"" &&
	reply '.[0] | [.vlan, .rate, .burst] == [0, 0, 0]' &&
	reply ".[1] | $NP0 and .[\"nr-vifs\"] == 1"
}

# A dump of all the VIFs, of NP 0's, of a missing NP's (none).
vif_dump() {
	ynl --dump vif-get && reply "length == 1 and (.[0] | $VIF1)" &&
	ynl --dump vif-get --json '{"np-id": 0}' && reply "length == 1 and (.[0] | $VIF1)" &&
	ynl --dump vif-get --json '{"np-id": 7}' && reply '. == []'
}

# vif_set JSON FILTER: vif-set JSON on vif1 acked (no reply), then vif-get
# in the same request shows FILTER.
vif_set() {
	ynl --multi vif-set "{\"vif-name\": \"vif1\", $1}" \
	    --multi vif-get '{"vif-name": "vif1"}' &&
	reply ".[0] == null and (.[1] | $VIF1 and $2)"
}

vif_set_refused() {
	refused "Numerical result out of range" "integer out of range" ".vlan" \
		--do vif-set --json '{"vif-name": "vif1", "vlan": 4095}' &&
	grep -qF "'max-value': 4094" "$T/reply" &&
	refused "Invalid argument" "a burst below one frame (1518 bytes)" ".burst" \
		--do vif-set --json '{"vif-name": "vif1", "rate": 1000000, "burst": 1000}' &&
	refused "No such device" "no VIF of that name" ".vif-name" \
		--do vif-set --json '{"vif-name": "nosuch", "vlan": 3}' &&
	ynl --do vif-get --json '{"vif-name": "vif1"}' &&
	reply "$VIF1 and [.vlan, .rate, .burst] == [10, 2500000, 32000]"
}

# np_set JSON FRAMES CYCLES: np-set JSON on NP 0, then np-get shows them.
np_set() {
	ynl --multi np-set "{\"np-id\": 0, $1}" --multi np-get '{"np-id": 0}' &&
	reply ".[0] == null and (.[1] | $NP0 and
		[.[\"notify-frames\"], .[\"notify-cycles\"]] == [$2, $3])"
}

np_set_refused() {
	refused "Numerical result out of range" "integer out of range" ".notify-cycles" \
		--do np-set --json '{"np-id": 0, "notify-cycles": 0}' &&
	grep -qF "'min-value': 1, 'max-value': 1024" "$T/reply" &&
	refused "Numerical result out of range" "integer out of range" ".notify-frames" \
		--do np-set --json '{"np-id": 0, "notify-frames": 65537}' &&
	refused "Invalid argument" "nothing to set" "" \
		--do np-set --json '{"np-id": 0}' &&
	ynl --do np-get --json '{"np-id": 0}' &&
	reply "$NP0 and [.[\"notify-frames\"], .[\"notify-cycles\"]] == [16, 4]"
}

# Commands flagged admin-perm are refused to a user without CAP_NET_ADMIN;
# np-get is not.  The user (nobody) runs copies of the CLI and the spec:
# the host's $HOME may be closed to it.
unprivileged() {
	local u=$T/nobody op
	mkdir -p "$u" && cp -r "$LINUX_SRC/tools/net/ynl/cli.py" \
		"$LINUX_SRC/tools/net/ynl/lib" "$SPEC" "$u/" &&
	chmod -R a+rX "$T" || return 1
	local cli=(setpriv --reuid=65534 --regid=65534 --clear-groups
		   python3 "$u/cli.py" --spec "$u/svnic.yaml" --no-schema)
	"${cli[@]}" --output-json --do np-get --json '{"np-id": 0}' >"$T/reply" 2>&1
	cat "$T/reply"
	reply "$NP0" || return 1
	for op in 'np-set {"np-id": 0, "notify-cycles": 2}' 'np-del {"np-id": 0}' \
		  'vif-set {"vif-name": "vif1", "vlan": 3}'; do
		if "${cli[@]}" --do "${op%% *}" --json "${op#* }" >"$T/reply" 2>&1; then
			echo "$op: not refused"
			return 1
		fi
		cat "$T/reply"
		grep -q "Netlink error: Operation not permitted" "$T/reply" || return 1
	done
}

# np-del and get-info in one request; then no NP, no VIF is dumped.
np_del() {
	ynl --multi np-del '{"np-id": 0}' --multi get-info '{}' &&
	reply ".[0] == null and (.[1] | $(INFO 0))" &&
	ynl --dump np-get && reply '. == []' &&
	ynl --dump vif-get && reply '. == []' &&
	! vdpa mgmtdev show 2>/dev/null | grep -q svnic-np0
}

echo "TAP version 13"
echo "1..25"
check "the kernel's source, YNL CLI and schema are at $LINUX_SRC" have_source
check "ynl-gen-c's uAPI header of the spec equals uapi/linux/svnic.h" uapi_gen
check "veth0 uplink" wire_up
check "insmod svnic" load
check "the CLI validates the spec against genetlink-legacy.yaml, lists its ops" schema_ok
check "a spec with a type the schema lacks is refused (validation is on)" schema_refuses
check "get-info: the header's ABI, features by name, no NP" \
	eval 'ynl --do get-info && reply "$(INFO 0)"'
check "np-new veth0 (and get-info): svnic-np0, its data plane, the stats nest" np_new
check "np-get do: NP 0" np_get
check "np-get dump: NP 0 alone" np_dump
check "np-new refused: no such netdev (ENODEV, extack, .uplink)" \
	refused "No such device" "no netdev of that name" ".uplink" \
	--do np-new --json '{"uplink": "nosuch0"}'
check "np-new refused: an attribute it does not take (strict validation)" \
	refused "Invalid argument" "Unsupported attribute" ".vif-name" \
	--do np-new --json '{"uplink": "veth0", "vif-name": "x"}'
check "vdpa dev add vif1 on svnic-np0" vif_up
check "vif-get do: vif1's address, MTU, no VLAN or rate, counters; NP 0 has 1" vif_get
check "vif-get dump: all, of NP 0, of a missing NP" vif_dump
check "vif-set rate/burst: vif-get follows" \
	vif_set '"rate": 2500000, "burst": 32000' \
	'[.rate, .burst, .vlan] == [2500000, 32000, 0]'
check "vif-set vlan 10: vif-get follows" \
	vif_set '"vlan": 10' '[.vlan, .rate] == [10, 2500000]'
check "vif-set mac: vif-get follows" \
	vif_set "\"mac\": \"${NEW_MAC//:/}\"" ".mac == \"$NEW_MAC\" and .vlan == 10"
check "vif-set refused: vlan 4095 (policy), a short burst, no such VIF" vif_set_refused
check "np-set notify-frames: np-get follows" np_set '"notify-frames": 16' 16 1
check "np-set notify-cycles: np-get follows" np_set '"notify-cycles": 4' 16 4
check "np-set refused: out of the policy's ranges, nothing to set" np_set_refused
check "admin-perm commands refused without CAP_NET_ADMIN, np-get allowed" unprivileged
check "np-del (and get-info): no NP, no VIF, no management device left" np_del
check "np-del refused: no such NP (ENODEV, extack, .np-id)" \
	refused "No such device" "no NP of that index" ".np-id" \
	--do np-del --json '{"np-id": 0}'
[ $failed = 0 ]
