#!/bin/sh
# enospc.sh - capplan-collect on a full file system: a 256 KiB tmpfs.
#
# Phase 1: the tmpfs is filled before the collector starts, so not even
# the file heads can be written; after 4 s the filler is removed.
# Phase 2: the tmpfs is filled again while rows are being appended; once
# the collector notes the failure, the filler is removed again.  Then
# SIGTERM.  Checks:
#   - the collector never crashes and exits 0 on SIGTERM;
#   - it noted "No space left on device" twice and recovered twice;
#   - every row is in the file, in order, with no time missing between
#     the first and the last (the intervals add up to the span), the
#     rows held in memory flagged backfill;
#   - capplan inspect reads the samples file and inventory.csv cleanly.
# Needs root (mount); without it the test says "skip:".  About 20 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-enospc.XXXXXX") || exit 1
mnt=$tmp/mnt
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL  collector enospc: $*"
	[ -f "$tmp/log" ] && sed 's/^/      /' "$tmp/log" | tail -20
	exit 1
}

mkdir "$mnt"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2>/dev/null
then
	echo "skip: collector enospc: cannot mount a tmpfs (needs root)"
	exit 0
fi

fill() {
	dd if=/dev/zero of="$mnt/fill$1" bs=4096 2>/dev/null
	# what is left below a page: a file of a few bytes at a time
	i=0
	while printf 'x' >>"$mnt/fill$1" 2>/dev/null && [ $i -lt 5000 ]; do
		i=$((i + 1))
	done
}

# wait up to $2 s for $1 lines matching $3 in the log
wait_log() {
	t=0
	while [ "$(grep -c "$3" "$tmp/log")" -lt "$1" ]; do
		[ $t -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		t=$((t + 1))
	done
}

full="cannot write 'samples.*No space left on device"
again="'samples-.* is writable again"
fill 1
"$bin/capplan-collect" --interval 1 --sub-interval 1 --per-device \
	--verbose --output "$mnt/out" 2>"$tmp/log" &
pid=$!
sleep 4
kill -0 $pid 2>/dev/null || fail "the collector died on a full disk"
wait_log 1 1 "$full" || fail "no ENOSPC noted"
rm -f "$mnt/fill1"
wait_log 1 5 "$again" || fail "rows not written after space freed"

fill 2
wait_log 2 20 "$full" || fail "phase 2: no ENOSPC noted within 20 s"
sleep 2
rm -f "$mnt/fill2"
wait_log 2 5 "$again" || fail "phase 2: rows not written after space freed"
sleep 1.5
kill -TERM $pid
wait $pid
rc=$?
pid=
[ $rc = 0 ] || fail "exit status $rc after SIGTERM"

f=$(ls "$mnt/out"/samples-*.csv 2>/dev/null | head -1)
[ -n "$f" ] || fail "no samples file"
for g in "$f" "$mnt/out/inventory.csv"; do
	"$bin/capplan" inspect "$g" >/dev/null 2>"$tmp/err" ||
		fail "capplan inspect $(basename "$g"): $(cat "$tmp/err")"
	[ ! -s "$tmp/err" ] || fail "capplan inspect $(basename "$g") warned: $(cat "$tmp/err")"
done
# ts to seconds of the day (the test does not straddle midnight UTC:
# a row on each side would be in two files, and only one is read)
res=$(awk -F, '
	function sec(ts,   t) {
		t = substr(ts, 12); sub(/Z$/, "", t)
		split(t, a, ":")
		return a[1] * 3600 + a[2] * 60 + a[3]
	}
	FNR > 2 {
		s = sec($1)
		if (n == 0) first = s
		else if (s < end - 0.01) { print "overlap at " $1; exit }
		else if (s > end + 0.5) { print "time missing before " $1; exit }
		end = s + $2; sum += $2; n++
		if ($4 ~ /backfill/) back++
	}
	END { if (n > 0) printf "%d %d %.3f %.3f\n", n, back, sum, end - first }' "$f")
case $res in
overlap*|time*) fail "$res" ;;
esac
set -- $res
[ "$1" -ge 8 ] || fail "only $1 rows"
[ "$2" -ge 3 ] || fail "only $2 rows flagged backfill"
echo "ok    collector enospc: full tmpfs twice, no crash, $1 rows covering $4 s with no gap, $2 backfilled, exit 0 on SIGTERM"
