#!/bin/sh
# signals.sh - capplan-collect's signals, live.
#   - SIGHUP after logrotate moved the day's file away: the next row goes
#     to a new file with its format record and header, and nothing is
#     lost (rows before are in the moved file, rows after in the new);
#   - SIGUSR1 reads the inventory again and does not disturb the rows;
#   - SIGTERM in the middle of a row: that row is written, flagged
#     partial, the files are completed (.csv) and the exit status is 0.
# Rows of 4 s with 1 s sub-samples; about 12 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-signals.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$tmp"' EXIT
out=$tmp/out

fail() {
	echo "FAIL  collector signals: $*"
	sed 's/^/      /' "$tmp/log" 2>/dev/null | tail -10
	exit 1
}

# wait up to $2 s for $1 "wrote row ... samples" notes
wait_rows() {
	t=0
	while [ "$(grep -c "wrote row .* to 'samples-" "$tmp/log")" -lt "$1" ]; do
		[ $t -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		t=$((t + 1))
	done
}

# the log exists before the collector starts: the background job opens
# it, and a grep before that read no number ("Illegal number") and let
# the test go on before the first row
: >"$tmp/log"
"$bin/capplan-collect" --interval 4 --sub-interval 1 --verbose \
	--output "$out" 2>"$tmp/log" &
pid=$!
wait_rows 1 10 || fail "no first row"
mv "$out"/samples-*.csv.part "$tmp/rotated.csv"
kill -HUP $pid
kill -USR1 $pid
wait_rows 2 10 || fail "no row after SIGHUP"
sleep 1.5
kill -TERM $pid
wait $pid
rc=$?
pid=
[ $rc = 0 ] || fail "exit status $rc after SIGTERM"
[ -z "$(ls "$out" | grep '\.part$')" ] || fail "a .part left after SIGTERM"
new=$(ls "$out"/samples-*.csv)
head -2 "$new" | grep -q '^capplan-samples,1$' ||
	fail "the file after SIGHUP has no format record"
n_old=$(($(wc -l <"$tmp/rotated.csv") - 2))
n_new=$(($(wc -l <"$new") - 2))
n_noted=$(grep -c "wrote row .* to 'samples-" "$tmp/log")
[ $((n_old + n_new)) = "$n_noted" ] ||
	fail "$n_old + $n_new rows in the files, $n_noted written"
tail -1 "$new" | grep -q 'partial' || fail "no partial row at SIGTERM: $(tail -1 "$new")"
for f in "$tmp/rotated.csv" "$new" "$out/inventory.csv"; do
	"$bin/capplan" inspect "$f" >/dev/null 2>"$tmp/err" ||
		fail "capplan inspect $(basename "$f"): $(cat "$tmp/err")"
done
echo "ok    collector signals: SIGHUP reopened ($n_old + $n_new rows, none lost), SIGUSR1, SIGTERM wrote a partial row and exited 0"
