#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.sh [FILE] - the markdown table of one "make bench" run: every
# "bench NAME VALUE UNIT" line of FILE (build/bench.out by default, which
# "make bench" writes), under a line that says when it ran, at which commit
# and on what machine (the comment lines scripts/bench.sh prints first).
# Fails on a run that did not complete, a figure that is not a number, or
# a run without its description: no table from a failed run.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
in=${1:-$TOP/build/bench.out}

die() {
	echo "bench-report: $in: $*" >&2
	exit 1
}

[ -r "$in" ] || die "cannot read it (run make bench first)"
lines=$(tr -d '\r' <"$in")

# info KEY: the value of the run's "# KEY: VALUE" line.
info() {
	local v
	v=$(sed -n "s/^# $1: //p" <<<"$lines" | head -n 1)
	[ -n "$v" ] || die "no '# $1:' line: not the output of scripts/bench.sh"
	echo "$v"
}

grep -qx '# complete: every figure measured' <<<"$lines" ||
	die "the run did not complete (make bench failed?)"
date=$(info date)
commit=$(info commit)
cpu=$(info cpu)
cores=$(info cores)
mem=$(info memory)
kernel=$(info kernel)
vm=$(info vm)

bench=$(grep '^bench ' <<<"$lines") || die "no bench line"
bad=$(grep -vE '^bench [^ ]+ -?[0-9]+(\.[0-9]+)? [^ ]+$' <<<"$bench") &&
	die "malformed bench lines:"$'\n'"$bad"

echo "One \`make bench\` run: $date, commit \`${commit%% *}\` ${commit#* }," \
     "on $cpu ($cores cores, $mem of memory), $kernel; the VM under $vm."
echo "Instruction counts (callgrind) are the stable figures; wall times and"
echo "rates vary with the machine and its load."
echo
echo "| figure | value | unit |"
echo "|---|---:|---|"
awk '{ printf "| `%s` | %s | %s |\n", $2, $3, $4 }' <<<"$bench"
