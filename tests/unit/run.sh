#!/bin/sh
# run.sh - run every cmocka unit test program given, in TAP, under a
# private TMPDIR; exit non-zero if any failed.  With VALGRIND=1 each runs
# under valgrind's memcheck with --error-exitcode.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-unit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
for t in "$@"; do
	if [ "${VALGRIND:-0}" = 1 ]; then
		set -- valgrind -q --leak-check=full --error-exitcode=99 "$t"
	else
		set -- "$t"
	fi
	if TMPDIR=$tmp CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$tmp/out" 2>&1; then
		echo "ok    unit $(basename "$t") ($(grep -c '^ok' "$tmp/out") tests)"
	else
		echo "FAIL  unit $(basename "$t")"
		sed 's/^/      /' "$tmp/out"
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ] || { echo "$failed unit test program(s) failed"; exit 1; }
