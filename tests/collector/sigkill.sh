#!/bin/sh
# sigkill.sh - kill capplan-collect with SIGKILL at random moments, 100
# times, into the same output directory, and check that no completed row
# was lost and every file still parses.
#
# Each run writes one-second rows (samples, disk and net streams) with
# -v, which notes "wrote row <ts>" after the row's write() and
# fdatasync() returned: a noted row is a completed row.  After the 100
# kills (at 0.05 to 1.3 s, from /dev/urandom; half-way a torn line is
# left by hand, as a kill inside write() would), one clean run repairs
# the last torn line and finishes the files, then:
#   - every noted samples row is in the samples files, exactly once;
#   - capplan inspect reads every samples file and inventory.csv with
#     exit 0 and no warning (no torn line, no repeated timestamp);
#   - in every disk and net file, every line has the header's fields.
# Takes about 70 s (SIGKILL_RUNS=n for fewer runs).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-sigkill.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
log=$tmp/log
runs=${SIGKILL_RUNS:-100}

fail() {
	echo "FAIL  collector sigkill: $*"
	exit 1
}

rand_ms() {	# 50 .. 1299
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((50 + r % 1250))
}

i=0
while [ $i -lt $runs ]; do
	"$bin/capplan-collect" --interval 1 --sub-interval 1 --per-device \
		--verbose --output "$out" 2>>"$log" &
	pid=$!
	ms=$(rand_ms)
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	i=$((i + 1))
	# a kill inside write() is rare at these sizes: leave one torn
	# line by hand half-way, as such a kill would
	if [ $i = $((runs / 2)) ]; then
		for p in "$out"/samples-*.csv.part; do
			[ -f "$p" ] && printf '2026-11-26T0' >>"$p"
		done
	fi
done
# a clean run: repairs at start, finishes the files at its stop
"$bin/capplan-collect" --interval 1 --sub-interval 1 --per-device \
	--verbose --output "$out" --duration 2 2>>"$log" ||
	fail "the clean run after the kills exited $?"

grep "wrote row .* to 'samples-" "$log" | sed "s/.*wrote row \([^ ]*\) .*/\1/" |
	sort >"$tmp/noted"
nnoted=$(wc -l <"$tmp/noted")
[ "$nnoted" -ge $((runs / 10)) ] || fail "only $nnoted rows noted in $runs runs"
ls "$out"/samples-*.csv >/dev/null 2>&1 || fail "no samples file"
[ -z "$(ls "$out" | grep '\.part$')" ] || fail "parts left after a clean stop"
awk -F, 'FNR > 2 { print $1 }' "$out"/samples-*.csv | sort >"$tmp/filed"
missing=$(comm -23 "$tmp/noted" "$tmp/filed" | head -5)
[ -z "$missing" ] || fail "completed rows missing from the files: $missing"
dups=$(uniq -d "$tmp/filed" | head -5)
[ -z "$dups" ] || fail "rows written twice: $dups"
for f in "$out"/samples-*.csv "$out/inventory.csv"; do
	"$bin/capplan" inspect "$f" >/dev/null 2>"$tmp/err" ||
		fail "capplan inspect $(basename "$f"): $(cat "$tmp/err")"
	[ ! -s "$tmp/err" ] || fail "capplan inspect $(basename "$f") warned: $(cat "$tmp/err")"
done
for f in "$out"/disk-*.csv "$out"/net-*.csv; do
	[ -f "$f" ] || continue
	bad=$(awk -F, 'FNR == 2 { n = NF } FNR > 2 && NF != n { print FNR; exit }' "$f")
	[ -z "$bad" ] || fail "$(basename "$f"):$bad has a wrong number of fields"
done
nrep=$(grep -c "torn last line" "$log")
[ "$nrep" -ge 1 ] || fail "the torn line left half-way was not repaired"
nfiles=$(ls "$out"/samples-*.csv | wc -l)
echo "ok    collector sigkill: $runs kills, $nnoted completed rows all present once in $nfiles file(s), $nrep torn line(s) repaired, all parse"
