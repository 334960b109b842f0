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
	python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_TIMESTAMP, 1)
time.sleep(3600)' >/dev/null 2>&1 &
	echo $!
}
