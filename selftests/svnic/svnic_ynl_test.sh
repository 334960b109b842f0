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

# ynl ARGS...: the CLI on the spec, validated against the kernel's schema;
# the reply, as JSON, in $T/reply.
ynl() {
	python3 "$CLI" --spec "$SPEC" --schema "$SCHEMA" --output-json "$@" \
		>"$T/reply" 2>&1
	local ret=$?
	cat "$T/reply"
	return $ret
}

# reply EXPR: the Python expression EXPR of the last reply (r) holds.
reply() {
	python3 - "$T/reply" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if not eval("(" + sys.argv[2] + ")"):
	sys.exit("not %s" % sys.argv[2])
PY
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

wire_up() {
	ip link add veth0 type veth peer name wire0 &&
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

# The ABI the header declares, every feature bit by its name, no NP yet.
get_info() {
	local major minor
	major=$(awk '$2 == "SVNIC_ABI_MAJOR" { print $3 }' "$UAPI")
	minor=$(awk '$2 == "SVNIC_ABI_MINOR" { print $3 }' "$UAPI")
	ynl --do get-info &&
	reply "r['abi-major'] == $major and r['abi-minor'] == $minor" &&
	reply "sorted(r['features']) == ['np', 'np-dp', 'vif']" &&
	reply "r['nr-nps'] == ${1:-0}"
}

STATS="['tx-packets', 'tx-bytes', 'rx-packets', 'rx-bytes', 'drop-no-buffer',
	'drop-malformed', 'drop-too-big', 'drop-filtered', 'drop-rate']"

# np_reply [EXPR]: the reply is NP 0 on veth0 as made (or after EXPR).
NP0="r['np-id'] == 0 and r['np-name'] == 'svnic-np0' and r['uplink'] == 'veth0'
	and r['sidecore-cpu'] == -1 and r['link'] == 1 and r['backend'] == 'sidecore'
	and (r['np-abi-major'], r['np-abi-minor']) == (1, 0)
	and all(isinstance(r['stats'][k], int) for k in $STATS)"
np_reply() {
	reply "$NP0" && reply "${1:-True}"
}

np_new() {
	ynl --do np-new --json '{"uplink": "veth0"}' &&
	np_reply "r['nr-vifs'] == 0 and (r['notify-frames'], r['notify-cycles']) == (0, 1)" &&
	vdpa mgmtdev show | grep -q svnic-np0 &&
	get_info 1
}

np_get() {
	ynl --do np-get --json '{"np-id": 0}' && np_reply
}

np_dump() {
	ynl --dump np-get && reply "len(r) == 1" &&
	python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[0]))' \
		"$T/reply" >"$T/one" && cp "$T/one" "$T/reply" && np_reply
}

# A request with an attribute np-new does not take: the family's strict
# validation refuses it, and the CLI names it.
np_new_strict() {
	refused "Invalid argument" "Unsupported attribute" ".vif-name" \
		--do np-new --json '{"uplink": "veth0", "vif-name": "x"}'
}

vif_up() {
	modprobe -a virtio_vdpa vhost_vdpa 2>/dev/null
	vdpa dev add name vif1 mgmtdev svnic-np0 mac $VIF_MAC mtu 1500
}

# vif_reply [EXPR]: the reply is vif1 on NP 0 (and EXPR holds).
VIF1="r['np-id'] == 0 and r['vif-name'] == 'vif1' and r['mtu'] == 1500
	and all(isinstance(r['stats'][k], int) for k in $STATS)
	and all(r['stats'][k] == 0 for k in $STATS if k.startswith('drop'))"
vif_reply() {
	reply "$VIF1" && reply "${1:-True}"
}

vif_get() {
	ynl --do vif-get --json '{"vif-name": "vif1"}' &&
	vif_reply "r['mac'] == '$VIF_MAC' and (r['vlan'], r['rate'], r['burst']) == (0, 0, 0)"
}

# A dump of all the VIFs, of NP 0's, of a missing NP's (none).
vif_dump() {
	ynl --dump vif-get && reply "len(r) == 1 and r[0]['vif-name'] == 'vif1'" &&
	reply "r[0]['mac'] == '$VIF_MAC' and r[0]['stats']['drop-rate'] == 0" &&
	ynl --dump vif-get --json '{"np-id": 0}' && reply "len(r) == 1" &&
	ynl --dump vif-get --json '{"np-id": 7}' && reply "r == []" &&
	ynl --do np-get --json '{"np-id": 0}' && np_reply "r['nr-vifs'] == 1"
}

# vif_set JSON EXPR: vif-set JSON on vif1 acked (no reply), then vif-get
# shows EXPR.
vif_set() {
	ynl --do vif-set --json "{\"vif-name\": \"vif1\", $1}" && reply "r is None" &&
	ynl --do vif-get --json '{"vif-name": "vif1"}' && vif_reply "$2"
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
	vif_reply "(r['vlan'], r['rate'], r['burst']) == (10, 2500000, 32000)"
}

# np_set JSON FRAMES CYCLES: np-set JSON on NP 0, then np-get shows them.
np_set() {
	ynl --do np-set --json "{\"np-id\": 0, $1}" && reply "r is None" &&
	ynl --do np-get --json '{"np-id": 0}' &&
	np_reply "(r['notify-frames'], r['notify-cycles']) == ($2, $3)"
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
	np_reply "(r['notify-frames'], r['notify-cycles']) == (16, 4)"
}

# Commands flagged admin-perm are refused to a user without CAP_NET_ADMIN;
# the others are not.  The user (nobody) runs copies of the CLI, the spec
# and the schema: the host's $HOME may be closed to it.
unprivileged() {
	local as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
	local u=$T/nobody
	mkdir -p "$u" && cp -r "$LINUX_SRC/tools/net/ynl/cli.py" \
		"$LINUX_SRC/tools/net/ynl/lib" "$SPEC" "$SCHEMA" "$u/" &&
	chmod -R a+rX "$T" || return 1
	local cli=("${as[@]}" python3 "$u/cli.py" --spec "$u/svnic.yaml"
		   --schema "$u/genetlink-legacy.yaml")
	"${cli[@]}" --output-json --do np-get --json '{"np-id": 0}' >"$T/reply" 2>&1
	cat "$T/reply"
	np_reply || return 1
	for op in 'np-set {"np-id": 0, "notify-cycles": 2}' 'np-del {"np-id": 0}' \
		  'vif-set {"vif-name": "vif1", "vlan": 3}' 'np-new {"uplink": "veth0"}'; do
		if "${cli[@]}" --do "${op%% *}" --json "${op#* }" >"$T/reply" 2>&1; then
			echo "$op: not refused"
			return 1
		fi
		cat "$T/reply"
		grep -q "Netlink error: Operation not permitted" "$T/reply" || return 1
	done
}

np_del() {
	ynl --do np-del --json '{"np-id": 0}' && reply "r is None" &&
	ynl --dump np-get && reply "r == []" &&
	ynl --dump vif-get && reply "r == []" &&
	! vdpa mgmtdev show 2>/dev/null | grep -q svnic-np0 &&
	get_info 0
}

echo "TAP version 13"
echo "1..24"
check "the kernel's source, YNL CLI and schema are at $LINUX_SRC" have_source
check "ynl-gen-c's uAPI header of the spec equals uapi/linux/svnic.h" uapi_gen
check "veth0 uplink" wire_up
check "insmod svnic" load
check "get-info: the header's ABI, features by name, no NP" get_info
check "np-new veth0: svnic-np0, its data plane, the stats nest" np_new
check "np-get do: NP 0" np_get
check "np-get dump: NP 0 alone" np_dump
check "np-new refused: no such netdev (ENODEV, extack, .uplink)" \
	refused "No such device" "no netdev of that name" ".uplink" \
	--do np-new --json '{"uplink": "nosuch0"}'
check "np-new refused: an attribute it does not take (strict)" np_new_strict
check "vdpa dev add vif1 on svnic-np0" vif_up
check "vif-get do: vif1's address, MTU, no VLAN or rate, its counters" vif_get
check "vif-get dump: all, of NP 0, of a missing NP" vif_dump
check "vif-set rate/burst: vif-get follows" \
	vif_set '"rate": 2500000, "burst": 32000' \
	"(r['rate'], r['burst'], r['vlan']) == (2500000, 32000, 0)"
check "vif-set vlan 10: vif-get follows" \
	vif_set '"vlan": 10' "(r['vlan'], r['rate']) == (10, 2500000)"
check "vif-set mac: vif-get follows" \
	vif_set "\"mac\": \"${NEW_MAC//:/}\"" "r['mac'] == '$NEW_MAC' and r['vlan'] == 10"
check "vif-set refused: vlan 4095 (policy), a short burst, no such VIF" vif_set_refused
check "np-set notify-frames: np-get follows" np_set '"notify-frames": 16' 16 1
check "np-set notify-cycles: np-get follows" np_set '"notify-cycles": 4' 16 4
check "np-set refused: out of the policy's ranges, nothing to set" np_set_refused
check "admin-perm commands refused without CAP_NET_ADMIN, np-get allowed" unprivileged
check "np-del: no NP, no VIF, no management device left" np_del
check "np-del refused: no such NP (ENODEV, extack, .np-id)" \
	refused "No such device" "no NP of that index" ".np-id" \
	--do np-del --json '{"np-id": 0}'
check "np-get do refused: no such NP" \
	refused "No such device" "no NP of that index" ".np-id" \
	--do np-get --json '{"np-id": 0}'
[ $failed = 0 ]
