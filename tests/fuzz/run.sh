#!/bin/sh
# run.sh - run the libFuzzer harnesses of build/fuzz, one at a time.
#
#   sh tests/fuzz/run.sh SECONDS [HARNESS ...]     (make fuzz runs all)
#
# For each harness of tests/fuzz/harnesses (or those named), in turn:
#   1. every input of tests/fuzz/regress/<harness>/ is run once: the
#      crashes found before, which must stay fixed;
#   2. libFuzzer runs for SECONDS from the seeds of
#      tests/fuzz/corpus/<harness>/, with the harness's -max_len, a 10 s
#      timeout per input and leak detection; new inputs go to a scratch
#      corpus, so the tree is never written (FUZZ_KEEP_CORPUS=DIR keeps
#      them in DIR/<harness>/ instead, for a long campaign, with
#      libFuzzer's log as DIR/<harness>.log).  FUZZ_RUNS=N stops a
#      harness after N executions (libFuzzer's -runs) if SECONDS have
#      not passed first.
# One line per harness gives executions, exec/s, new inputs, coverage
# (libFuzzer's cov and ft at the end), the corpus (inputs and bytes) and
# peak RSS.  A crash, leak, undefined behaviour (the build stops on the first
# report), timeout or memory limit fails the harness: the input is kept in
# tests/out/fuzz/<harness>/ and the report's start is shown.  Exit 1 if
# any failed.  The harnesses' files go to a folder under /dev/shm removed
# at exit (FUZZ_SHM).  Never runs two harnesses at once: the machine may
# be shared with measurements.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
build=${FUZZ_BUILD:-build/fuzz}
secs=${1:?usage: run.sh SECONDS [HARNESS ...]}
shift
shm=$(mktemp -d "/dev/shm/capplan-fuzz-run.XXXXXX") || exit 1
trap 'rm -rf "$shm"' EXIT
export FUZZ_SHM=$shm
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
table=tests/fuzz/harnesses
[ $# -gt 0 ] || set -- $(sed -n 's/^\([a-z_][a-z_]*\)[[:space:]].*/\1/p' $table)
failed=0
total_runs=0

# stat NAME LOG: libFuzzer's final figure NAME ("stat::NAME: N"), or 0
stat() {
	v=$(sed -n "s/^stat::$1:[[:space:]]*\([0-9]*\).*/\1/p" "$2" | tail -1)
	echo "${v:-0}"
}

# final LOG: libFuzzer's last coverage line, as "cov N ft N corpus N/SIZE"
final() {
	grep -a -E '^#[0-9]+.*cov: ' "$1" | tail -1 |
	    sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1 ft \2 corpus \3/p'
}

# report H LOG: show where the failure starts, keep the input
report() {
	failed=$((failed + 1))
	echo "FAIL  fuzz $1: $2"
	grep -m 1 -A 14 -e '^==[0-9]*==ERROR' -e 'runtime error' \
	    -e '^fuzz: ' -e 'ERROR: libFuzzer' "$3" | sed 's/^/      /'
	ls "$top/tests/out/fuzz/$1/" 2>/dev/null | sed 's/^/      kept: /'
}

# replay H BIN: the regression inputs, each once
replay() {
	dir=tests/fuzz/regress/$1
	set -- "$1" "$2" $(find "$dir" -type f ! -name 'README*' 2>/dev/null |
	    sort)
	[ $# -gt 2 ] || return 0
	h=$1 b=$2
	shift 2
	if ! "$b" "$@" >"$shm/log" 2>&1; then
		report "$h" "a regression input fails again" "$shm/log"
		return 1
	fi
	echo "ok    fuzz $h: $# regression inputs replayed"
}

# fuzz H BIN MAXLEN: SECONDS of libFuzzer from the seeds
fuzz() {
	h=$1 b=$2 len=$3
	out=$top/tests/out/fuzz/$h
	corpus=${FUZZ_KEEP_CORPUS:+$FUZZ_KEEP_CORPUS/$h}
	corpus=${corpus:-$shm/corpus-$h}
	mkdir -p "$out" "$corpus"
	dict=
	[ -f tests/fuzz/dict/$h.dict ] && dict=-dict=tests/fuzz/dict/$h.dict
	t0=$(date +%s)
	"$b" -max_len="$len" -max_total_time="$secs" -runs="${FUZZ_RUNS:--1}" \
	    -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 $dict \
	    -artifact_prefix="$out/" "$corpus" "tests/fuzz/corpus/$h" \
	    >"$shm/log" 2>&1
	rc=$?
	[ -n "${FUZZ_KEEP_CORPUS:-}" ] || rm -rf "$corpus"
	[ -z "${FUZZ_KEEP_CORPUS:-}" ] || cp "$shm/log" "$FUZZ_KEEP_CORPUS/$h.log"
	runs=$(stat number_of_executed_units "$shm/log")
	total_runs=$((total_runs + runs))
	if [ $rc != 0 ]; then
		report "$h" "exit status $rc after $runs executions" "$shm/log"
		return 1
	fi
	rmdir "$out" 2>/dev/null
	echo "ok    fuzz $h: $runs executions," \
	    "$(stat average_exec_per_sec "$shm/log") exec/s," \
	    "$(stat new_units_added "$shm/log") new inputs, $(final "$shm/log")," \
	    "peak RSS $(stat peak_rss_mb "$shm/log") MB" \
	    "($(($(date +%s) - t0)) s, -max_len=$len)"
}

for h in "$@"; do
	len=$(awk -v h="$h" '$1 == h { print $2 }' $table)
	b=$build/tests/fuzz/fuzz_$h
	if [ -z "$len" ]; then
		echo "FAIL  fuzz $h: not in $table"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -x "$b" ]; then
		echo "FAIL  fuzz $h: $b not built (make fuzz-build)"
		failed=$((failed + 1))
		continue
	fi
	replay "$h" "$b" && fuzz "$h" "$b" "$len"
done
echo "fuzz: $# harnesses, $total_runs executions, $failed failed" \
    "($secs s each)"
[ $failed = 0 ]
