#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs.sh - check Documentation/ and build it to HTML.
#
#   1. Every file a ".. kernel-doc:: FILE" directive names must exist, and
#      scripts/kernel-doc -rst -Wall (the kernel's, from the extracted
#      Debian source in LINUX_SRC) must turn it into reStructuredText
#      without a warning.
#   2. With Sphinx installed (python3-sphinx), sphinx-build -W builds the
#      HTML into build/docs/html with the kernel's kerneldoc extension
#      (LINUX_SRC/Documentation/sphinx): any warning - bad reStructuredText,
#      a broken reference, a page outside the table of contents - fails.
#      SPHINXBUILD names another sphinx-build ("none": do without).
#      Without Sphinx, each page is parsed with docutils instead, the
#      Sphinx-only directives stubbed, and any warning fails.
#
# Exit status 0 when every check passed.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
DOC=$TOP/Documentation
OUT=${DOCS_OUT:-$TOP/build/docs}
: "${LINUX_SRC:?LINUX_SRC: the extracted kernel source (make docs sets it)}"
KDOC=$LINUX_SRC/scripts/kernel-doc
SPHINXBUILD=${SPHINXBUILD:-sphinx-build}
fail=0

die() { echo "docs: $*" >&2; exit 1; }

[ -x "$KDOC" ] || die "no $KDOC"
mapfile -t pages < <(cd "$DOC" && find . -name '*.rst' -not -path './output/*' |
		     sed 's|^\./||' | sort)
[ ${#pages[@]} -gt 0 ] || die "no .rst file in $DOC"

# 1. The kernel-doc directives and the files they name.
mkdir -p "$OUT"
n=0
while IFS=: read -r page line src; do
	n=$((n + 1))
	if [ ! -f "$TOP/$src" ]; then
		echo "docs: $page:$line: kernel-doc names $src, which does not exist"
		fail=1
		continue
	fi
	if ! "$KDOC" -rst -Wall "$TOP/$src" >"$OUT/kernel-doc.rst" \
	     2>"$OUT/kernel-doc.err" || [ -s "$OUT/kernel-doc.err" ]; then
		echo "docs: $page:$line: kernel-doc -rst -Wall $src:"
		cat "$OUT/kernel-doc.err"
		fail=1
	elif ! grep -q '^\.\. c:' "$OUT/kernel-doc.rst"; then
		echo "docs: $page:$line: kernel-doc found nothing documented in $src"
		fail=1
	else
		echo "  KDOC    $src ($page)"
	fi
done < <(cd "$DOC" && grep -n '^\.\. kernel-doc::' "${pages[@]}" |
	 sed -E 's/^([^:]+):([0-9]+):\.\. kernel-doc::[[:space:]]*/\1:\2:/')
[ $n -gt 0 ] || { echo "docs: no kernel-doc directive in $DOC"; fail=1; }
rm -f "$OUT/kernel-doc.rst" "$OUT/kernel-doc.err"

# 2. The pages themselves.
if command -v "$SPHINXBUILD" >/dev/null; then
	echo "  SPHINX  $OUT/html"
	if ! LINUX_SRC=$LINUX_SRC "$SPHINXBUILD" -W --keep-going -q -b html \
	     -d "$OUT/doctrees" "$DOC" "$OUT/html"; then
		echo "docs: sphinx-build failed"
		fail=1
	fi
else
	echo "docs: no $SPHINXBUILD (python3-sphinx): no HTML, pages parsed with docutils"
	python3 -c 'import docutils' 2>/dev/null ||
		die "neither sphinx-build nor python3's docutils: run make deps"
	(cd "$DOC" && python3 - "${pages[@]}") <<-'EOF' || fail=1
	import io
	import sys
	from docutils.core import publish_doctree
	from docutils.parsers.rst import Directive, directives, roles
	from docutils import nodes

	class Stub(Directive):
	    """A Sphinx-only directive: accepted, not checked."""
	    required_arguments = 0
	    optional_arguments = 1
	    final_argument_whitespace = True
	    option_spec = None
	    has_content = True
	    def run(self):
	        return []

	Stub.option_spec = type('Any', (dict,), {'__getitem__':
	    lambda self, k: directives.unchanged, '__contains__':
	    lambda self, k: True})()
	for d in ('toctree', 'kernel-doc', 'code-block'):
	    directives.register_directive(d, Stub)
	def doc_role(name, rawtext, text, lineno, inliner, options={}, content=[]):
	    return [nodes.literal(rawtext, text)], []
	roles.register_local_role('doc', doc_role)

	bad = 0
	for page in sys.argv[1:]:
	    with open(page, encoding='utf-8') as f:
	        src = f.read()
	    warnings = io.StringIO()
	    publish_doctree(src, source_path=page, settings_overrides={
	        'report_level': 2, 'halt_level': 5, 'warning_stream': warnings})
	    if warnings.getvalue():
	        print(warnings.getvalue(), end='')
	        bad = 1
	    else:
	        print(f'  RST     {page}')
	sys.exit(bad)
	EOF
fi

[ $fail = 0 ] && echo "docs: ok" || echo "docs: FAILED"
[ $fail = 0 ]
