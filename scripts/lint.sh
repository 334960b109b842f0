#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh FILE... - sparse (C=2, W=1) over the kernel modules,
# checkpatch.pl --no-tree -f and kernel-doc -Wall over every given C source
# and header, and Debian's shell script checker (warnings and errors) over every shell
# script.  sparse, checkpatch and kernel-doc come from Debian's linux-source-6.12
# (extracted in LINUX_SRC), never from this repository.  Prints TAP; fails
# on any finding.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${KDIR:?}" "${BUILD:?}" "${LINUX_SRC:?}"
CHECKPATCH=$LINUX_SRC/scripts/checkpatch.pl
n=0 failed=0
log=$(mktemp)
out=$(mktemp -d)	# the checkers' logs, below
trap 'rm -f "$log"; rm -rf "$out"' EXIT

verdict() {	# verdict NAME STATUS: print the TAP line, with findings
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n $1"
	else
		failed=$((failed + 1))
		sed 's/^/# /' "$log"
		echo "not ok $n $1"
	fi
}

mapfile -t scripts < <(cd "$TOP" && git ls-files -co --exclude-standard |
	while read -r f; do
		[ -f "$f" ] && head -n 1 "$f" | grep -q '^#!.*\(ba\)\?sh' && echo "$TOP/$f"
	done; printf '%s\n' "$TOP"/selftests/lib/*.sh)

echo "TAP version 13"
echo "1..$((2 * $# + 1 + ${#scripts[@]}))"

# sparse: rebuild every module with the checker on, in a tree of its own.
lint_tree=$BUILD/lint
for d in Kbuild kernel firmware uapi selftests/harness/module; do
	mkdir -p "$lint_tree/$(dirname $d)"
	cp -rsf "$TOP/$d" "$lint_tree/$(dirname $d)/"
done
make -s -j"$(nproc)" -C "$KDIR" M="$lint_tree" C=2 W=1 VCORE_WERROR=y modules >"$log" 2>&1
status=$?
if grep -Eq '(warning|error):' "$log"; then
	status=1
fi
grep -Ev '^\s*(CHECK|CC|LD|MODPOST|BTF|make)' "$log" >"$log.f"; mv "$log.f" "$log"
verdict "sparse C=2 W=1 (kernel modules)" $status

# The checkers run file by file on every CPU, each into a log of its own
# ($out/CHECKER.N and its status in $out/CHECKER.N.rc); the verdicts
# follow in the files' order.

# one CHECKER N FILE: run CHECKER on FILE into $out/CHECKER.N.
one() {
	local c=$1 i=$2 f=$3 o=$out/$1.$2 st
	case $c in
	checkpatch)
		"$CHECKPATCH" --no-tree -f --quiet --no-summary --show-types \
			"$f" >"$o" 2>&1
		st=$?
		# checkpatch checks the SPDX line of C files only where it
		# expects one.
		if ! head -n 2 "$f" | grep -q 'SPDX-License-Identifier: '; then
			echo "$f: no SPDX-License-Identifier line" >>"$o"
			st=1
		fi
		;;
	kernel-doc)
		"$LINUX_SRC/scripts/kernel-doc" -none -Wall "$f" >"$o" 2>&1
		[ -s "$o" ] && st=1 || st=0
		;;
	shellcheck)
		shellcheck -x -S warning -f gcc "$f" >"$o" 2>&1
		st=$?
		;;
	esac
	echo "$st" >"$o.rc"
}
export -f one
export out CHECKPATCH LINUX_SRC

# checks CHECKER FILE...: CHECKER on each FILE, in parallel; then a verdict
# for each, in order.
checks() {
	local c=$1 i=0 f
	shift
	for f in "$@"; do
		printf '%s\0%s\0%s\0' "$c" $((i++)) "$f"
	done | xargs -0 -n 3 -P "$(nproc)" bash -c 'one "$@"' one
	i=0
	for f in "$@"; do
		cp "$out/$c.$i" "$log"
		verdict "$c $f" "$(cat "$out/$c.$i.rc" 2>/dev/null || echo 1)"
		i=$((i + 1))
	done
}

checks checkpatch "$@"
# kernel-doc: every documented struct member, parameter and return value.
checks kernel-doc "$@"
# Shell scripts: warnings and errors of the checker.
checks shellcheck "${scripts[@]}"

echo "# lint: $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
