#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svnicctl_test.sh - svnicctl against svnic's generic netlink family: an NP
# made and removed at run time on a veth uplink, the kernel's refusals (with
# their extack messages), a VIF's counters matching the pings it sent and
# received exactly, and its transmit rate limit measured with iperf3.
# Prints TAP; $VCORE_SUITE holds svnic.ko, $VCORE_BUILD svnicctl.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
BUILD=${VCORE_BUILD:?VCORE_BUILD not set}
KO=$SUITE/kernel/svnic/svnic.ko
CTL=$BUILD/tools/svnicctl
T=$(mktemp -d)
n=0 failed=0
PINGS=20
LIMIT=20000000		# bit/s, lowered to 40% of what the path carries

# shellcheck source=selftests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=selftests/lib/net.sh
. "$(dirname "$0")/../lib/net.sh"
trap svnic_cleanup EXIT
NETSTAMP=$(netstamp_hold) || exit 1

# refused MESSAGE CMD...: CMD fails, and says MESSAGE (the kernel's extack).
refused() {
	local msg=$1; shift
	if "$@" >"$T/out" 2>&1; then
		cat "$T/out"
		echo "succeeded, should have been refused"
		return 1
	fi
	cat "$T/out"
	grep -q -- "$msg" "$T/out" || { echo "no '$msg' in the error"; return 1; }
}

# No IPv6 in netns $1: nothing but the test's own frames on the VIF.
no_ipv6() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

# The wire: veth0 (the uplink) and its peer in netns "wire", 10.0.0.254.
wire_up() {
	modprobe -a virtio_net virtio_vdpa vhost_vdpa &&
	ip link add veth0 type veth peer name wire0 &&
	sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1 &&
	ip netns add wire && no_ipv6 wire &&
	ip link set wire0 netns wire &&
	ip netns exec wire sysctl -qw net.ipv6.conf.wire0.disable_ipv6=1 &&
	ip -n wire addr add 10.0.0.254/24 dev wire0 &&
	ip -n wire link set wire0 up &&
	ip -n wire link set lo up &&
	ip link set veth0 up
}

load() {
	rmmod svnic 2>/dev/null
	insmod "$KO" &&
	[ "$("$CTL" -j info | python3 -c 'import json, sys; print(json.load(sys.stdin)["nps"])')" = 0 ]
}

np_add() {
	"$CTL" np add veth0 | tee "$T/add" &&
	grep -q '^np 0: svnic-np0 uplink veth0 sidecore-cpu any vifs 0' "$T/add" &&
	vdpa mgmtdev show | grep -q svnic-np0
}

np_show() {
	"$CTL" np show | tee "$T/show" && grep -q '^np 0: svnic-np0 uplink veth0' "$T/show" &&
	"$CTL" np show svnic-np0 | grep -q '^np 0: svnic-np0' &&
	"$CTL" -j np show >"$T/json" && cat "$T/json" &&
	python3 -m json.tool "$T/json" >/dev/null &&
	python3 - "$T/json" <<'PY'
import json, sys
nps = json.load(open(sys.argv[1]))
assert len(nps) == 1, nps
np = nps[0]
assert np["id"] == 0 and np["name"] == "svnic-np0" and np["uplink"] == "veth0", np
assert np["sidecore_cpu"] == -1 and np["vifs"] == 0 and np["link"] is True, np
PY
}

# The netdev virtio_vdpa made of VIF $1 (vhost_vdpa may have taken it).
vif_netdev() {
	local d i sys=/sys/bus/vdpa/devices/$1
	echo virtio_vdpa >"$sys/driver_override"
	if [ -e "$sys/driver" ] &&
	   [ "$(basename "$(readlink "$sys/driver")")" != virtio_vdpa ]; then
		echo "$1" >"$sys/driver/unbind"
	fi
	[ -e "$sys/driver" ] || echo "$1" >/sys/bus/vdpa/drivers_probe
	for ((i = 0; i < 50; i++)); do
		for d in /sys/bus/vdpa/devices/"$1"/virtio*/net/*; do
			[ -e "$d" ] && { basename "$d"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

# VIF vif1, MAC 52:54:00:00:00:01, in netns vm1 as 10.0.0.1, without IPv6
# and with static neighbours on both sides: it sends only what ping sends.
vif_up() {
	local dev wire_mac
	vdpa dev add name vif1 mgmtdev svnic-np0 mac 52:54:00:00:00:01 mtu 1500 ||
		return 1
	dev=$(vif_netdev vif1) || return 1
	ip netns add vm1 && no_ipv6 vm1 &&
	ip link set "$dev" netns vm1 &&
	ip -n vm1 link set "$dev" name eth0 &&
	ip netns exec vm1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 &&
	ip -n vm1 addr add 10.0.0.1/24 dev eth0 &&
	ip -n vm1 link set lo up &&
	ip -n vm1 link set eth0 up || return 1
	wire_mac=$(ip -n wire link show wire0 | awk '/link\/ether/ { print $2 }')
	ip -n vm1 neigh replace 10.0.0.254 lladdr "$wire_mac" dev eth0 nud permanent &&
	ip -n wire neigh replace 10.0.0.1 lladdr 52:54:00:00:00:01 dev wire0 nud permanent &&
	ip netns exec vm1 ping -c 2 -i 0.2 -W 2 10.0.0.254 &&
	"$CTL" vif show vif1 | tee "$T/vif" &&
	grep -q '^vif1: np 0 mac 52:54:00:00:00:01 mtu 1500 rate none' "$T/vif" &&
	"$CTL" np show 0 | grep -q 'vifs 1 link up'
}

# stat NAME: VIF vif1's counter NAME.
stat() {
	"$CTL" -j vif show vif1 |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats"][sys.argv[1]])' "$1"
}

counters() {
	local tx0 rx0 txb0 rxb0 tx1 rx1 txb1 rxb1
	tx0=$(stat tx_packets) && rx0=$(stat rx_packets) &&
	txb0=$(stat tx_bytes) && rxb0=$(stat rx_bytes) || return 1
	ip netns exec vm1 ping -q -c $PINGS -i 0.05 -W 2 10.0.0.254 || return 1
	tx1=$(stat tx_packets) && rx1=$(stat rx_packets) &&
	txb1=$(stat tx_bytes) && rxb1=$(stat rx_bytes) || return 1
	"$CTL" vif show vif1
	echo "tx_packets +$((tx1 - tx0)) rx_packets +$((rx1 - rx0))" \
	     "tx_bytes +$((txb1 - txb0)) rx_bytes +$((rxb1 - rxb0)) for $PINGS pings"
	# 98 bytes a frame: Ethernet 14, IPv4 20, ICMP 8, ping's 56.
	[ $((tx1 - tx0)) = $PINGS ] && [ $((rx1 - rx0)) = $PINGS ] &&
	[ $((txb1 - txb0)) = $((PINGS * 98)) ] && [ $((rxb1 - rxb0)) = $((PINGS * 98)) ]
}

vif_json() {
	"$CTL" -j vif show >"$T/json" && cat "$T/json" &&
	python3 -m json.tool "$T/json" >/dev/null &&
	python3 - "$T/json" <<'PY'
import json, sys
vifs = json.load(open(sys.argv[1]))
assert len(vifs) == 1, vifs
v = vifs[0]
assert v["np"] == 0 and v["name"] == "vif1" and v["mac"] == "52:54:00:00:00:01", v
assert v["mtu"] == 1500 and v["rate"] == 0 and v["burst"] == 0, v
for k in ("drop_no_buffer", "drop_malformed", "drop_too_big"):
	assert v["stats"][k] == 0, v
PY
}

# What the path carries without a limit (the debug kernel under TCG carries
# less than 20 Mbit/s): the limit is set to 40% of it, at most 20 Mbit/s,
# in whole Mbit/s, so that it is the limit that is measured.
capacity() {
	local c mbit
	iperf cap -u -b 1G || return 1
	c=$(cat "$T/cap")
	mbit=$((c * 2 / 5 / 1000000))
	[ "$mbit" -gt 20 ] && mbit=20
	say "# path: $c bit/s unlimited; limit ${mbit} Mbit/s"
	[ "$mbit" -ge 1 ] && LIMIT=$((mbit * 1000000))
}

set_rate() {
	local mbit=$((LIMIT / 1000000))
	"$CTL" vif set vif1 rate "${mbit}mbit" burst 32000 &&
	"$CTL" vif show vif1 | tee "$T/vif" &&
	grep -q "rate ${mbit}Mbit burst 32000" "$T/vif" &&
	"$CTL" -j vif show vif1 |
		grep -q "\"rate\":$((LIMIT / 8)),\"burst\":32000"
}

# iperf3 RESULT ARGS...: a client in vm1 to the server in the wire; writes
# the rate the receiver saw, in bit/s, to $T/RESULT.
iperf() {
	local res=$1; shift
	timeout 30 ip netns exec vm1 iperf3 -c 10.0.0.254 -t 4 -J \
		--get-server-output "$@" >"$T/$res.json" ||
		{ cat "$T/$res.json"; "$CTL" vif show vif1; return 1; }
	python3 - "$T/$res.json" >"$T/$res" <<'PY' || return 1
import json, sys
j = json.load(open(sys.argv[1]))
end = j["end"]
if "sum_received" in end:
	print(int(end["sum_received"]["bits_per_second"]))
else:
	# UDP (iperf3 < 3.13): the receiver's figures are the server's.
	print(int(j["server_output_json"]["end"]["sum"]["bits_per_second"]))
PY
	echo "received $(cat "$T/$res") bit/s"
}

server_up() {
	ip netns exec wire iperf3 -s -D --pidfile "$T/iperf3.pid" &&
	sleep 0.5
}

# within RESULT: the received rate within 10% of $LIMIT.
within() {
	local r
	r=$(cat "$T/$1")
	say "# $1: $r bit/s, limit $LIMIT bit/s"
	[ "$r" -ge $((LIMIT * 9 / 10)) ] && [ "$r" -le $((LIMIT * 11 / 10)) ]
}

rate_udp() {
	iperf udp -u -b 100M && within udp
}

rate_tcp() {
	iperf tcp && within tcp
}

unlimited() {
	local r
	"$CTL" vif set vif1 rate none &&
	"$CTL" vif show vif1 | grep -q 'rate none' &&
	iperf free -u -b 100M || return 1
	r=$(cat "$T/free")
	say "# unlimited: $r bit/s"
	[ "$r" -ge $((LIMIT * 3 / 2)) ]
}

np_del() {
	"$CTL" np del svnic-np0 &&
	[ -z "$("$CTL" np show)" ] &&
	[ "$("$CTL" -j np show)" = "[]" ] &&
	[ "$("$CTL" -j vif show)" = "[]" ] &&
	! vdpa dev show 2>/dev/null | grep -q '^vif1' &&
	! vdpa mgmtdev show 2>/dev/null | grep -q svnic-np0 &&
	! ip -n vm1 link show eth0 2>/dev/null
}

echo "TAP version 13"
# Figures go to the TAP stream as comments, beside the check's own log.
exec 3>&1
say() {
	echo "$*"
	echo "$*" >&3
}

echo "1..20"
check "veth uplink and wire netns, without IPv6" wire_up
check "insmod svnic without an uplink: no NP" load
check "svnicctl np add veth0 makes svnic-np0" np_add
check "svnicctl np show lists it (text and valid JSON)" np_show
check "np add refused: no such netdev" \
	refused "no netdev of that name" "$CTL" np add nosuch0
check "np add refused: a second NP on the same uplink (rx_handler busy)" \
	refused "rx_handler" "$CTL" np add veth0
check "np add refused: no such CPU" \
	refused "no such online CPU" "$CTL" np add veth0 sidecore-cpu 9999
check "np del refused: no such NP" \
	refused "no NP of that index" "$CTL" np del 99
check "vif set refused: no such VIF" \
	refused "no VIF of that name" "$CTL" vif set nosuch rate 10mbit burst 32000
check "VIF vif1 on svnic-np0 in netns vm1 reaches the wire" vif_up
check "vif set refused: a burst below one frame" \
	refused "below one frame" "$CTL" vif set vif1 rate 10mbit burst 1000
check "vif show counts exactly the $PINGS pings each way" counters
check "vif show -j: valid JSON, no drops" vif_json
check "iperf3 server in the wire netns" server_up
check "UDP unlimited: what the path carries" capacity
check "vif set vif1 rate (40% of that, at most 20mbit) burst 32000" set_rate
check "UDP at 100 Mbit/s: received within 10% of the limit" rate_udp
check "TCP: received within 10% of the limit" rate_tcp
check "rate none: UDP well above the limit" unlimited
check "np del svnic-np0 removes the NP and its VIF" np_del
[ $failed = 0 ]
