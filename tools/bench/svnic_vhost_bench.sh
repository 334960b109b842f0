#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svnic_vhost_bench.sh - the network of svnic_vhost_bench, in the VM:
#
#   wire            veth0 (the uplink) and its peer wire0, MAC
#                   02:00:00:00:00:fe, in netns "wire" (10.0.0.254); an
#                   empty bridge br0; the modules both sides need
#   svnic CPU       svnic.ko with an NP on veth0, its sidecore on CPU; VIF
#                   vif1 (MAC 02:00:00:00:00:01) bound to vhost_vdpa
#   svnic-down      vif1 gone, svnic.ko unloaded
#   bridge TAP      veth0 and the tap TAP (the bench made it) in br0
#   bridge-down     veth0 out of br0 (the tap goes with the bench's fd)
#   down            all of it gone, svnic.ko loaded again as the VM had it
#
# $VCORE_SUITE holds svnic.ko.
set -u
SUITE=${VCORE_SUITE:?VCORE_SUITE not set}
KO=$SUITE/kernel/svnic/svnic.ko
T=

# shellcheck source=selftests/lib/net.sh
. "$(dirname "$0")/../../selftests/lib/net.sh"

no_ipv6() {	# no router solicitations or DAD frames on the wire
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null || true
}

wire() {
	modprobe -a veth vdpa vhost_vdpa vhost_net tun bridge &&
	ip link add veth0 type veth peer name wire0 &&
	ip link set wire0 address 02:00:00:00:00:fe &&
	ip netns add wire &&
	ip link set wire0 netns wire &&
	ip netns exec wire sysctl -qw net.ipv6.conf.wire0.disable_ipv6=1 &&
	ip -n wire addr add 10.0.0.254/24 dev wire0 &&
	ip -n wire link set wire0 up &&
	no_ipv6 veth0 &&
	ip link set veth0 up &&
	ip link add br0 type bridge &&
	no_ipv6 br0 &&
	ip link set br0 up
}

svnic() {
	local i sys=/sys/bus/vdpa/devices/vif1
	rmmod svnic 2>/dev/null
	insmod "$KO" uplink=veth0 sidecore_cpu="$1" &&
	vdpa dev add name vif1 mgmtdev svnic-np0 mac 02:00:00:00:00:01 \
		mtu 1500 || return 1
	echo vhost_vdpa >"$sys/driver_override"
	if [ -e "$sys/driver" ] &&
	   [ "$(basename "$(readlink "$sys/driver")")" != vhost_vdpa ]; then
		echo vif1 >"$sys/driver/unbind"
	fi
	[ -e "$sys/driver" ] || echo vif1 >/sys/bus/vdpa/drivers_probe
	for ((i = 0; i < 50; i++)); do
		compgen -G "$sys/vhost-vdpa-*" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

svnic_down() {
	vdpa dev del vif1 2>/dev/null
	rmmod svnic
}

bridge() {
	no_ipv6 "$1" &&
	ip link set veth0 master br0 &&
	ip link set "$1" master br0 &&
	ip link set "$1" up
}

case "${1:-}" in
wire) wire ;;
svnic) svnic "${2:-1}" ;;
svnic-down) svnic_down ;;
bridge) bridge "${2:?bridge TAP}" ;;
bridge-down) ip link set veth0 nomaster ;;
down) ip link del br0 2>/dev/null; svnic_cleanup ;;
*) echo "usage: $0 wire|svnic CPU|svnic-down|bridge TAP|bridge-down|down" >&2
   exit 2 ;;
esac
