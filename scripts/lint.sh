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
trap 'rm -f "$log"' EXIT

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
make -s -C "$KDIR" M="$lint_tree" C=2 W=1 VCORE_WERROR=y modules >"$log" 2>&1
status=$?
if grep -Eq '(warning|error):' "$log"; then
	status=1
fi
grep -Ev '^\s*(CHECK|CC|LD|MODPOST|BTF|make)' "$log" >"$log.f"; mv "$log.f" "$log"
verdict "sparse C=2 W=1 (kernel modules)" $status

for f in "$@"; do
	"$CHECKPATCH" --no-tree -f --quiet --no-summary --show-types \
		"$f" >"$log" 2>&1
	status=$?
	# checkpatch checks the SPDX line of C files only where it expects one.
	if ! head -n 2 "$f" | grep -q 'SPDX-License-Identifier: '; then
		echo "$f: no SPDX-License-Identifier line" >>"$log"
		status=1
	fi
	verdict "checkpatch $f" $status
done

# kernel-doc: every documented struct member, parameter and return value.
for f in "$@"; do
	"$LINUX_SRC/scripts/kernel-doc" -none -Wall "$f" >"$log" 2>&1
	[ -s "$log" ] && status=1 || status=0
	verdict "kernel-doc $f" $status
done

# Shell scripts: warnings and errors of the checker.
for f in "${scripts[@]}"; do
	shellcheck -x -S warning -f gcc "$f" >"$log" 2>&1
	verdict "shellcheck $f" $?
done

echo "# lint: $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
