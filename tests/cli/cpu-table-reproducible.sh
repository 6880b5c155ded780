#!/bin/sh
# cpu-table-reproducible.sh - model/cpu_table.inc is what
# scripts/make-cpu-table makes from the SPECpower results.
#
# Skipped (with a note) when ../shared/data is not there, as on a machine
# with only the repository.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$top/../shared/data/power-models/specpower_ssj2008_full_results.csv
if [ ! -r "$src" ]; then
	echo "skip  cpu-table-reproducible: no $src"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-cputable.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
if ! sh "$top/scripts/make-cpu-table" "$src" "$tmp/cpu_table.inc"; then
	echo "FAIL  cpu-table-reproducible: make-cpu-table failed"
	exit 1
fi
if ! diff -u "$top/model/cpu_table.inc" "$tmp/cpu_table.inc" >"$tmp/diff"; then
	echo "FAIL  cpu-table-reproducible: model/cpu_table.inc differs from a fresh run"
	head -40 "$tmp/diff"
	exit 1
fi
echo "ok    cpu-table-reproducible"
