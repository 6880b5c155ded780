#!/bin/sh
# smoke.sh - make check's short run of every libFuzzer harness, through
# tests/fuzz/run.sh: the regression inputs of tests/fuzz/regress/, then
# FUZZ_SMOKE_SECONDS (45) of fuzzing split evenly, at least 1 s each;
# with the harnesses' start-up about a minute in all (bench/README.md,
# section fuzz, for the long run).  Without clang or its fuzzer runtime this
# is a skipped check, never a pass; with them, a harness not built
# (make fuzz-build) is a failure.
name=fuzz-smoke
. "$(dirname "$0")/../cli/lib.sh"
table=tests/fuzz/harnesses
total=${FUZZ_SMOKE_SECONDS:-45}

if ! why=$(sh tests/fuzz/have-fuzzer); then
	skipped "no libFuzzer: $why"
	finish
	exit
fi
n=$(grep -c '^[a-z_]' $table)
each=$((total / n))
[ $each -ge 1 ] || each=1
if sh tests/fuzz/run.sh $each >"$tmp/out" 2>&1; then
	ok
else
	bad "a harness failed (tests/out/fuzz/ keeps its input)"
fi
sed 's/^/      /' "$tmp/out"
finish
