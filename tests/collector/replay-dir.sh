#!/bin/sh
# replay-dir.sh - the collector's files, from replayed fake trees
# (samples/proc/), so days and clocks can be whatever the test needs:
#   - midnight: 23:59 to 00:01:30 UTC with --per-device: each stream
#     rotates at midnight into a completed file per day (no .part left),
#     the inventory is written at start and again on the new day;
#   - clock-step: rows after the UTC clock was set back go to a second
#     file of the day, so each file is in time order;
#   - cpu-offline: a CPU going offline rewrites inventory.csv (threads
#     4, then 3).
# Every samples file and inventory.csv passes capplan inspect cleanly.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
p=$top/samples/proc

fail() {
	echo "FAIL  collector replay-dir: $*"
	exit 1
}

replay() {	# scenario, then options
	s=$1
	shift
	"$bin/capplan-collect" --replay "$p/$s" --sub-interval 30 --verbose \
		--output "$tmp/$s" "$@" 2>"$tmp/$s.log" ||
		fail "$s: exit $?: $(cat "$tmp/$s.log")"
}

rows() {	# data rows of a file
	echo $(($(wc -l <"$1") - 2))
}

inspect() {
	for f in "$@"; do
		"$bin/capplan" inspect "$f" >/dev/null 2>"$tmp/err" ||
			fail "capplan inspect $f: $(cat "$tmp/err")"
		[ ! -s "$tmp/err" ] || fail "capplan inspect $f warned: $(cat "$tmp/err")"
	done
}

replay midnight --per-device
d=$tmp/midnight
for s in samples disk net; do
	[ "$(rows "$d/$s-20261126.csv")" = 1 ] || fail "midnight: $s-20261126.csv"
	[ "$(rows "$d/$s-20261127.csv")" = 2 ] || fail "midnight: $s-20261127.csv"
done
[ -z "$(ls "$d" | grep '\.part$')" ] || fail "midnight: a .part left"
[ "$(grep -c "wrote 'inventory.csv'" "$tmp/midnight.log")" = 2 ] ||
	fail "midnight: inventory not written at start and on the new day"
inspect "$d"/samples-*.csv "$d/inventory.csv"

replay clock-step
d=$tmp/clock-step
[ "$(rows "$d/samples-20261126.csv")" = 2 ] || fail "clock-step: first file"
[ "$(rows "$d/samples-20261126-2.csv")" = 2 ] || fail "clock-step: second file"
inspect "$d"/samples-*.csv

replay cpu-offline
d=$tmp/cpu-offline
[ "$(grep -c "wrote 'inventory.csv'" "$tmp/cpu-offline.log")" = 2 ] ||
	fail "cpu-offline: inventory not rewritten on the change"
threads=$(awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "threads") c = i }
	NR == 3 { print $c }' "$d/inventory.csv")
[ "$threads" = 3 ] || fail "cpu-offline: inventory says $threads threads, not 3"
inspect "$d"/samples-*.csv "$d/inventory.csv"
echo "ok    collector replay-dir: midnight rotation of 3 streams, clock set back to a second file, inventory on start, new day and CPU change"
