# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# net.sh - helpers of the network selftests, sourced by them.

# netstamp_hold: keep the kernel's packet-timestamp static key on while the
# test runs; prints the holder's pid.  ping turns the key on and off, and
# each turn patches the receive path's code while other CPUs run it: under
# TCG a vCPU can still execute the patch's int3 after the patching is over
# (an "Oops: int3" in __netif_receive_skb_core).  With the key held, ping's
# turns change a count, not the code.
netstamp_hold() {
	local pid
	# SO_TIMESTAMP is 29 (Python's socket module does not name it).
	python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)
time.sleep(3600)' >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kill -0 "$pid" || { echo "netstamp_hold: the holder died" >&2; return 1; }
	echo "$pid"
}

# svnic_cleanup: what an svnic test leaves - the holder in $NETSTAMP, the
# wire and VIF netns and what runs there, the VIFs, svnic.ko loaded with an
# uplink, veth0, and $T - goes; plain $KO is loaded again.
svnic_cleanup() {
	local ns
	kill "${NETSTAMP:-}" 2>/dev/null
	for ns in $(ip netns list | awk '/^(wire|vm[0-9]+)/ { print $1 }'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$ns"
	done
	vdpa dev show 2>/dev/null | awk -F: '/^vif/ { print $1 }' |
		xargs -r -n1 vdpa dev del 2>/dev/null
	rmmod svnic 2>/dev/null
	ip link del veth0 2>/dev/null
	insmod "$KO" 2>/dev/null
	rm -rf "$T"
}
