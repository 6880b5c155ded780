#!/bin/sh
# trees.sh - samples/proc/ is what samples/proc/make-trees makes: the fake
# /proc trees the golden tests 000-049 replay are regenerated into a
# temporary directory and must be byte-identical (no hand edits).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-trees.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
if ! sh "$top/samples/proc/make-trees" "$tmp" >"$tmp/err" 2>&1; then
	echo "FAIL  collector trees: make-trees failed:"
	sed 's/^/      /' "$tmp/err"
	exit 1
fi
rm -f "$tmp/err"
n=0
for d in "$tmp"/*/; do
	name=$(basename "$d")
	n=$((n + 1))
	if ! diff -r "$d" "$top/samples/proc/$name" >"$tmp/diff" 2>&1; then
		echo "FAIL  collector trees: samples/proc/$name differs from make-trees:"
		head -n 20 "$tmp/diff" | sed 's/^/      /'
		exit 1
	fi
done
echo "ok    collector trees: $n fake trees in samples/proc are make-trees' output"
