#!/usr/bin/env bash
# Regenerates the parts of docs/ that lampctl itself prints, so that they are never pasted by hand:
#   docs/scenario-grammar.md, between the lines <!-- grammar:begin --> and <!-- grammar:end -->:
#   the output of `lampctl scenario --grammar`, in a ``` block;
#   docs/matrix.md, whole: `lampctl matrix --format md` (real runs, on $DATABASE_URL or the embedded server).
# The prose around the markers is left as it is.
#
# Usage: tools/make-docs.sh           rewrite the generated blocks
#        tools/make-docs.sh --check   change nothing; exit 1 and print a diff when a file is out of date
# lampctl is $LAMPCTL_BIN, else .build/debug/lampctl (build it first: make build).
# Exit 0 up to date (or rewritten), 1 out of date (--check), 2 usage or a missing binary or marker.
set -euo pipefail
# $LAMPCTL_BIN is taken relative to where the script was called from; the default, to the repository.
bin=${LAMPCTL_BIN:-}
case "$bin" in ""|/*) ;; *) bin="$PWD/$bin" ;; esac
cd "$(dirname "$0")/.."
bin=${bin:-.build/debug/lampctl}

check=false
case "${1-}" in
    "") ;;
    --check) check=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-docs.sh: unknown argument '$1' (usage: tools/make-docs.sh [--check])" >&2; exit 2 ;;
esac
[ "$#" -le 1 ] || { echo "make-docs.sh: too many arguments (usage: tools/make-docs.sh [--check])" >&2; exit 2; }

[ -x "$bin" ] || { echo "make-docs.sh: no lampctl at $bin (make build, or set LAMPCTL_BIN)" >&2; exit 2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0

# splice FILE NAME COMMAND...: FILE with the lines between <!-- NAME:begin --> and <!-- NAME:end -->
# replaced by COMMAND's output in a ``` block; rewritten, or compared (--check).
splice() {
    local file=$1 name=$2
    shift 2
    local generated="$scratch/$name.out" spliced="$scratch/$name.md"
    "$@" >"$generated" || { echo "make-docs.sh: '$*' failed" >&2; exit 2; }
    local begins ends
    begins=$(grep -c -x "<!-- $name:begin -->" "$file" || true)
    ends=$(grep -c -x "<!-- $name:end -->" "$file" || true)
    if [ "$begins" != 1 ] || [ "$ends" != 1 ]; then
        echo "make-docs.sh: $file needs one line '<!-- $name:begin -->' and one '<!-- $name:end -->' after it" >&2
        exit 2
    fi
    awk -v begin="<!-- $name:begin -->" -v end="<!-- $name:end -->" -v generated="$generated" '
        $0 == begin { print; print "```"; while ((getline line < generated) > 0) print line; print "```"; skipping = 1; next }
        $0 == end { if (!skipping) { exit 3 } skipping = 0 }
        !skipping { print }
    ' "$file" >"$spliced" || { echo "make-docs.sh: $file: '<!-- $name:end -->' comes before its begin marker" >&2; exit 2; }
    publish "$file" "$spliced"
}

# whole FILE COMMAND...: FILE is COMMAND's output, rewritten or compared (--check).
whole() {
    local file=$1
    shift
    local generated="$scratch/whole.out"
    "$@" >"$generated" || { echo "make-docs.sh: '$*' failed" >&2; exit 2; }
    publish "$file" "$generated"
}

# publish FILE NEW: FILE becomes NEW's text (or, with --check, the difference is shown and the status 1).
publish() {
    local file=$1 new=$2
    if cmp -s "$file" "$new"; then
        return
    fi
    if $check; then
        echo "make-docs.sh: $file is out of date (run tools/make-docs.sh):" >&2
        diff -u --label "$file" --label "$file (generated)" "$file" "$new" || true
        status=1
    else
        cat "$new" >"$file"
        echo "make-docs.sh: rewrote $file" >&2
    fi
}

splice docs/scenario-grammar.md grammar "$bin" scenario --grammar
whole docs/matrix.md "$bin" matrix --format md

exit "$status"
