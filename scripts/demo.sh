#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - boot the VM with the V-Core suite loaded, exercise every
# capability that exists through real clients, print a report.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
echo "V-Core demo: booting a VM with the suite loaded"
exec "$TOP/vm/vcore-vm" ${KDIR:+--kdir "$KDIR"} --timeout 900 -- "$TOP/scripts/demo-guest.sh"
