#!/bin/sh
# run.sh - golden CLI tests: tests/golden/<NNN>-<pass|fail>-<what>/.
#
# Each case directory holds:
#   args            the arguments of capplan, one per line (no shell parsing);
#                   a first line "capplan-collect" runs the collector instead
#   stdin           optional, fed to standard input (else /dev/null)
#   expected.out    standard output
#   expected.err    standard error
#   expected.exit   the exit status
#   expected.files/ optional: the files the command writes into the
#                   folder an argument "@OUT@" names (a fresh empty folder
#                   per case, its path written as @OUT@ in out and err):
#                   each must match, and no other file may be there
# plus any input files the arguments name.  The command runs inside the
# case directory, so messages carry short relative paths.  A "pass" case
# must exit 0 and a "fail" case must not.  TEST_REGENERATE=1 rewrites the
# expected files from what the program does now: review that diff as code.
# Families: 0xx collector, 1xx model/inspect, 2xx planner, 3xx reports,
# 4xx validate.  VALGRIND=1 runs every command under valgrind's memcheck:
# any error or leak shows up in stderr and fails the case.  TEST_JOBS=N
# runs the cases in N shards at once (each its own scratch folder; the
# cases do not share files), for the slow valgrind pass.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

run_case() {	# $1 = case directory
	d=$1
	name=$(basename "$d")
	outd=$tmp/out.d
	rm -rf "$outd"
	mkdir "$outd"
	set --
	while IFS= read -r a || [ -n "$a" ]; do
		[ "$a" = @OUT@ ] && a=$outd
		set -- "$@" "$a"
	done <"$d/args"
	in=/dev/null
	[ -f "$d/stdin" ] && in=$d/stdin
	# the collector's cases (0xx) name their program first
	prog=$bin/capplan
	if [ "${1:-}" = capplan-collect ]; then
		prog=$bin/capplan-collect
		shift
	fi
	if [ "${VALGRIND:-0}" = 1 ]; then
		set -- valgrind -q --leak-check=full --show-leak-kinds=definite \
			--errors-for-leak-kinds=definite --error-exitcode=99 \
			"$prog" "$@"
	else
		set -- "$prog" "$@"
	fi
	(cd "$d" && PATH="$bin:$PATH" "$@" <"$in" \
		>"$tmp/out.raw" 2>"$tmp/err.raw"; echo $? >"$tmp/exit")
	for f in out err; do
		sed "s|$outd|@OUT@|g" "$tmp/$f.raw" >"$tmp/$f"
	done
	if [ "${TEST_REGENERATE:-0}" = 1 ]; then
		cp "$tmp/out" "$d/expected.out"
		cp "$tmp/err" "$d/expected.err"
		cp "$tmp/exit" "$d/expected.exit"
		if [ -d "$d/expected.files" ]; then
			rm -rf "$d/expected.files"
			cp -R "$outd" "$d/expected.files"
		fi
	fi
	ok=1
	if [ -d "$d/expected.files" ] &&
	    ! diff -r "$d/expected.files" "$outd" >"$tmp/files.diff"; then
		ok=0
		echo "FAIL  golden $name: the files written differ"
		sed 's/^/      /' "$tmp/files.diff" | head -40
	fi
	for f in out err exit; do
		if ! cmp -s "$tmp/$f" "$d/expected.$f"; then
			ok=0
			echo "FAIL  golden $name: $f differs"
			diff -u "$d/expected.$f" "$tmp/$f" | sed 's/^/      /' | head -40
		fi
	done
	code=$(cat "$tmp/exit")
	case $name in
	*-pass-*) [ "$code" = 0 ] || { ok=0; echo "FAIL  golden $name: pass case exited $code"; } ;;
	*-fail-*) [ "$code" != 0 ] || { ok=0; echo "FAIL  golden $name: fail case exited 0"; } ;;
	*) ok=0; echo "FAIL  golden $name: name must contain -pass- or -fail-" ;;
	esac
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

jobs=${TEST_JOBS:-1}
if [ "$jobs" -gt 1 ] && [ -z "${TEST_SHARD:-}" ]; then
	i=0
	while [ $i -lt "$jobs" ]; do
		TEST_SHARD=$i TEST_JOBS=$jobs sh "$0" >"$tmp/shard.$i" 2>&1 &
		i=$((i + 1))
	done
	wait
	cat "$tmp"/shard.* | grep -v '^golden: '
	sed -n 's/^golden: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
		"$tmp"/shard.* | {
		while read -r p f; do pass=$((pass + p)); fail=$((fail + f)); done
		n=$(grep -c '^golden: ' "$tmp"/shard.* | awk -F: '{ s += $2 } END { print s }')
		[ "$n" = "$jobs" ] || { echo "FAIL  golden: $((jobs - n)) of $jobs shards did not finish"; fail=$((fail + 1)); }
		echo "golden: $pass passed, $fail failed ($jobs shards)"
		[ "$fail" -eq 0 ]
	}
	exit
fi
k=0
for d in "$top"/tests/golden/*/; do
	[ -f "$d/args" ] || continue
	k=$((k + 1))
	[ -z "${TEST_SHARD:-}" ] || [ $((k % jobs)) = "$TEST_SHARD" ] || continue
	run_case "${d%/}"
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
