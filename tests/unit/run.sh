#!/bin/sh
# run.sh - run every cmocka unit test program given, in TAP, under a
# private TMPDIR; exit non-zero if any failed.  With VALGRIND=1 each runs
# under valgrind's memcheck with --error-exitcode.  TEST_JOBS=N runs the
# programs in N shards at once, each with its own TMPDIR.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-unit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
jobs=${TEST_JOBS:-1}
if [ "$jobs" -gt 1 ] && [ -z "${TEST_SHARD:-}" ]; then
	i=0
	while [ $i -lt "$jobs" ]; do
		TEST_SHARD=$i sh "$0" "$@" >"$tmp/shard.$i" 2>&1 &
		i=$((i + 1))
	done
	wait
	cat "$tmp"/shard.*
	n=$(grep -c '^\(ok\|FAIL\) *unit ' "$tmp"/shard.* | awk -F: '{ s += $2 } END { print s }')
	[ "$n" = $# ] || { echo "FAIL  unit: $n of $# programs reported"; exit 1; }
	! grep -q '^FAIL' "$tmp"/shard.*
	exit
fi
k=0
for t in "$@"; do
	k=$((k + 1))
	[ -z "${TEST_SHARD:-}" ] || [ $((k % jobs)) = "$TEST_SHARD" ] || continue
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
