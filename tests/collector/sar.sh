#!/bin/sh
# sar.sh - capplan-collect and sysstat's sar side by side for 60 s under
# a known CPU load: the mean CPU busy of every row agrees within 2 points.
#
# The load is busy shell loops, one per two CPUs, so the machine is at
# least half busy.  Just after a UTC multiple of 20 s, the collector
# starts with 20-second rows (aligned to UTC, so its first row ends at the
# next multiple) and "sar -u 20 3" starts with it; each then reports three
# 20-second intervals that line up to within the few milliseconds between
# the two starts.  sar's busy is 100 - %idle - %iowait - %steal, the
# collector's definition (capplan-collect(8)).  Each pair must agree
# within 2 points, and the collector must see the load (busy >= 45 %).
# Needs sysstat (scripts/install-deps).  About 70 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-sar.XXXXXX") || exit 1
loops=
cleanup() {
	for p in $loops; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL  collector sar: $*"
	exit 1
}

command -v sar >/dev/null 2>&1 || fail "no sar: install sysstat (scripts/install-deps)"
ncpu=$(getconf _NPROCESSORS_ONLN)
n=$(((ncpu + 1) / 2))
i=0
while [ $i -lt $n ]; do
	sh -c 'while :; do :; done' &
	loops="$loops $!"
	i=$((i + 1))
done

# start just after a UTC multiple of 20 s
now=$(date +%s.%N)
sleep "$(awk -v t="$now" 'BEGIN { printf "%.3f", 20 - (t % 20) + 0.05 }')"
"$bin/capplan-collect" --interval 20 --sub-interval 5 --duration 60.5 \
	>"$tmp/agent.csv" 2>"$tmp/agent.err" &
apid=$!
LC_ALL=C sar -u 20 3 >"$tmp/sar.txt" 2>"$tmp/sar.err" &
spid=$!
wait $apid || fail "capplan-collect exited $?: $(cat "$tmp/agent.err")"
wait $spid || fail "sar exited $?: $(cat "$tmp/sar.err")"

# the collector's rows: cpu_busy_pct found by name in the samples header
awk -F, '
	$0 == "capplan-samples,1" { s = 1; next }
	s == 1 { for (i = 1; i <= NF; i++) if ($i == "cpu_busy_pct") c = i; s = 2; next }
	s == 2 && $4 !~ /partial/ { print $1, $2, $c }' "$tmp/agent.csv" >"$tmp/agent"
# sar's three interval lines (not the Average line)
awk '$2 == "all" && $1 != "Average:" { printf "%.2f\n", 100 - $8 - $6 - $7 }' \
	"$tmp/sar.txt" >"$tmp/sar"
[ "$(wc -l <"$tmp/agent")" = 3 ] || fail "the collector wrote $(wc -l <"$tmp/agent") full rows, not 3: $(cat "$tmp/agent.csv")"
[ "$(wc -l <"$tmp/sar")" = 3 ] || fail "sar gave $(wc -l <"$tmp/sar") intervals, not 3: $(cat "$tmp/sar.txt")"
res=$(paste -d ' ' "$tmp/agent" "$tmp/sar" | awk '
	{
		d = $3 - $4; if (d < 0) d = -d
		if (d > max) max = d
		if ($3 < 45) low = low " " $1
		printf "%s %.2f/%.2f ", $1, $3, $4
	}
	END { printf "| %.2f |%s\n", max, low }')
max=$(echo "$res" | awk -F'|' '{ print $2 + 0 }')
low=$(echo "$res" | awk -F'|' '{ print $3 }')
[ -z "$(echo "$low" | tr -d ' ')" ] || fail "the load was not seen (busy < 45 %) in rows$low: $res"
awk -v m="$max" 'BEGIN { exit !(m <= 2) }' ||
	fail "collector and sar differ by $max points (collector/sar per row: $res)"
echo "ok    collector sar: 3 rows of 20 s, busy collector/sar $(echo "$res" | cut -d'|' -f1)(largest difference $max points)"
