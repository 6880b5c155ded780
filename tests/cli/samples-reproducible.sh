#!/bin/sh
# samples-reproducible.sh - samples/ is what scripts/make-samples makes,
# and every shipped data file passes capplan inspect cleanly.
#
# 1. When the public data is there (../shared/data next to the repository,
#    or SAMPLES_DATA), regenerate the samples into a temporary directory
#    and diff every generated entry against samples/: they must be
#    byte-identical.  Without the data this part is skipped, and the
#    summary line starts with "skip:".
# 2. Run "$CAPPLAN_BIN/capplan inspect" (CAPPLAN_BIN defaults to
#    build/std) on each shipped samples, inventory and host catalog file:
#    it must exit 0 and print nothing on stderr (no error, no warning).
# Prints one summary line (details of a failure above it); exits 0 on
# success or skip, 1 on failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
data=${SAMPLES_DATA:-$top/../shared/data}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-samples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
repro=skip

# 1. reproduction
if [ -d "$data" ]; then
	if ! sh scripts/make-samples "$data" "$tmp/out" >"$tmp/make.err" 2>&1; then
		echo "FAIL  scripts/make-samples exited non-zero:"
		sed 's/^/      /' "$tmp/make.err"
		failed=$((failed + 1))
	else
		for f in "$tmp/out"/*; do
			name=$(basename "$f")
			if ! diff -r "$f" "samples/$name" >"$tmp/diff" 2>&1; then
				echo "FAIL  samples/$name differs from a fresh scripts/make-samples:"
				head -n 20 "$tmp/diff" | sed 's/^/      /'
				failed=$((failed + 1))
			fi
		done
		repro=ok
	fi
fi

# 2. inspect every shipped data file
nfiles=0
if [ ! -x "$bin/capplan" ]; then
	echo "FAIL  no capplan program at $bin/capplan (run make first)"
	failed=$((failed + 1))
else
	for f in samples/planetlab/*.samples.csv samples/bitbrains/*.samples.csv \
	    samples/inventory.csv samples/hosts.csv; do
		if [ ! -f "$f" ]; then
			echo "FAIL  $f is missing"
			failed=$((failed + 1))
			continue
		fi
		nfiles=$((nfiles + 1))
		"$bin/capplan" inspect "$f" >/dev/null 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
			echo "FAIL  capplan inspect $f (exit $rc):"
			sed 's/^/      /' "$tmp/err"
			failed=$((failed + 1))
		fi
	done
fi

if [ "$failed" -ne 0 ]; then
	echo "FAIL  samples-reproducible: $failed problem(s)"
	exit 1
fi
if [ "$repro" = skip ]; then
	echo "skip: samples-reproducible: no data at $data, reproduction not checked ($nfiles files inspected clean)"
	exit 0
fi
echo "ok    samples-reproducible: samples/ regenerated identically, $nfiles files inspected clean"
exit 0
