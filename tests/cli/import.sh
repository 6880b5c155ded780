#!/bin/sh
# import.sh - capplan import on real data, checked end to end.
#
# The golden cases 050-091 hold the broken inputs; this script runs the
# importers on real files and checks what they write, which the golden
# runner (stdout, stderr, exit) cannot:
#   planetlab  the 1,052 VMs of ../shared/data 20110303: one file each,
#              288 rows, values equal to the trace; the 51 VMs of
#              samples/planetlab agree with scripts/make-samples
#   bitbrains  the 425 VMs of 2013-7_day1: the 30 of samples/bitbrains
#              are byte-identical to scripts/make-samples' (two
#              independent conversions), and so are their inventory rows
#   sysstat    a file sadc writes here, through sadf -d and -j, with and
#              without -r ALL, whole and split in two overlapping parts,
#              and from standard input: the same samples every time; the
#              first row starts when sadc started (sadf times are ends);
#              MemTotal exact with -r ALL, within 1 % without (more
#              when so little is used that %memused's rounding says so)
#   prometheus responses of a real Prometheus 2.42 + node_exporter 1.5
#              (tests/import/prometheus-real, one per documented query),
#              and two days of one query merged; the queries --queries
#              prints are the ones capplan-import(1) lists (the live
#              server: tests/import/prometheus-live.sh)
#   collect    two folders written by a real capplan-collect, merged
# and that capplan inspect accepts every file written, and that a failed
# import leaves no file and no folder.  Skips the parts whose data or
# tools are missing, saying so.  CAPPLAN_BIN: where capplan is.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
capplan=$bin/capplan
data=$top/../shared/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-import.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  import: $*"; }
check() {	# $1 = description, rest = command
	d=$1
	shift
	if "$@"; then ok; else bad "$d"; fi
}
skip() { skip=$((skip + 1)); echo "SKIP  import: $*"; }

# capplan inspect accepts every .csv of folder $1
inspect_all() {
	find "$1" -name '*.csv' | sort >"$tmp/list"
	xargs "$capplan" inspect <"$tmp/list" >/dev/null 2>"$tmp/inspect.err" &&
	    [ ! -s "$tmp/inspect.err" ]
}

# --- planetlab -------------------------------------------------------
pl=$data/planetlab-cloudsim/original/20110303
if [ -d "$pl" ]; then
	"$capplan" import -o "$tmp/pl" planetlab "$pl" >"$tmp/pl.out" 2>"$tmp/pl.err"
	check "planetlab: exit 0" [ $? = 0 ]
	check "planetlab: 1052 files" [ "$(ls "$tmp/pl" | wc -l)" = 1052 ]
	check "planetlab: summary line" grep -qx '1052 hosts, 302976 rows' "$tmp/pl.out"
	check "planetlab: every VM at 100 % coverage" \
		[ "$(grep -c ' 300 s   100.0 % ' "$tmp/pl.out")" = 1052 ]
	check "planetlab: capplan inspect accepts all" inspect_all "$tmp/pl"
	# each trace value equals its row, in order, from 00:00 UTC
	n=0
	for f in "$pl"/*; do
		s=$tmp/pl/$(basename "$f" | tr -c 'A-Za-z0-9._\n-' '_').samples.csv
		awk -F, 'NR == FNR { v[FNR] = $1; n = FNR; next }
			FNR > 2 { i = FNR - 2; if ($3 + 0 != v[i] + 0) exit 1
				t = sprintf("2011-03-03T%02d:%02d:00Z", int((i - 1) * 5 / 60), (i - 1) * 5 % 60)
				if ($1 != t || $2 != 300) exit 1 }
			END { exit !(FNR - 2 == n) }' "$f" "$s" || n=$((n + 1))
	done
	check "planetlab: $n of 1052 files differ from their trace" [ $n = 0 ]
	n=0
	for f in "$top"/samples/planetlab/*.samples.csv; do
		paste -d, "$f" "$tmp/pl/$(basename "$f")" | awk -F, 'NR > 2 && $3 + 0 != $6 + 0 { exit 1 }' || n=$((n + 1))
	done
	check "planetlab: $n of samples/planetlab disagree" [ $n = 0 ]
else
	skip "planetlab: no $pl"
fi

# --- bitbrains -------------------------------------------------------
bb=$data/bitbrains-rnd/2013-7_day1
if [ -d "$bb" ]; then
	"$capplan" import -o "$tmp/bb" bitbrains "$bb" >"$tmp/bb.out" 2>"$tmp/bb.err"
	check "bitbrains: exit 0" [ $? = 0 ]
	check "bitbrains: 410 VMs and an inventory" \
		grep -qx '410 hosts, 118008 rows; inventory of 410 servers: .*/inventory.csv' "$tmp/bb.out"
	check "bitbrains: the 15 all-zero VMs are left out, with a warning" \
		grep -q '15 VMs with no row of more than 0 cores left out' "$tmp/bb.err"
	check "bitbrains: CPU above 100 % is clamped, with a warning" \
		grep -q 'percentages above 100 clamped to 100' "$tmp/bb.err"
	check "bitbrains: capplan inspect accepts all" inspect_all "$tmp/bb"
	n=0
	for f in "$top"/samples/bitbrains/*.samples.csv; do
		cmp -s "$f" "$tmp/bb/$(basename "$f")" || n=$((n + 1))
	done
	check "bitbrains: $n of the 30 samples/bitbrains files differ" [ $n = 0 ]
	# the inventory columns both conversions fill: host, sockets, cores,
	# threads, cpu_mhz, mem_mib, virtual
	# (by name: the two files need not have the same columns)
	cut_inv() { awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
	    NR > 2 { print $c["host"], $c["sockets"], $c["cores"],
		$c["threads"], $c["cpu_mhz"], $c["mem_mib"], $c["virtual"] }' \
	    "$1"; }
	cut_inv "$top/samples/inventory.csv" | sort >"$tmp/inv.ship"
	cut_inv "$tmp/bb/inventory.csv" | sort | join - "$tmp/inv.ship" >"$tmp/inv.join"
	check "bitbrains: 30 inventory rows as in samples/inventory.csv" \
		sh -c "cut_inv() { :; }; [ \$(awk 'NF == 13 && \$2 == \$8 && \$3 == \$9 && \$4 == \$10 && \$5 == \$11 && \$6 == \$12 && \$7 == \$13' '$tmp/inv.join' | wc -l) = 30 ]"
else
	skip "bitbrains: no $bb"
fi

# --- sysstat ---------------------------------------------------------
sadc=/usr/lib/sysstat/sadc
if [ -x "$sadc" ] && command -v sadf >/dev/null 2>&1; then
	t0=$(date +%s)
	"$sadc" -S XALL 1 6 "$tmp/sa" || bad "sadc failed"
	acts='-u -P ALL -r ALL -S -W -B -b -d -n DEV -q ALL'
	# shellcheck disable=SC2086
	sadf -d "$tmp/sa" -- $acts >"$tmp/sa.d"
	# shellcheck disable=SC2086
	sadf -j "$tmp/sa" -- $acts >"$tmp/sa.j"
	sadf -d "$tmp/sa" -- -u -r >"$tmp/sa-noall.d"
	"$capplan" import -o "$tmp/sd" sysstat "$tmp/sa.d" >/dev/null 2>"$tmp/sd.err"
	check "sysstat -d: exit 0 ($(cat "$tmp/sd.err"))" [ $? = 0 ]
	host=$(ls "$tmp/sd" | grep samples.csv)
	"$capplan" import -o "$tmp/sj" sysstat "$tmp/sa.j" >/dev/null 2>&1
	check "sysstat -j: same samples as -d" cmp -s "$tmp/sd/$host" "$tmp/sj/$host"
	check "sysstat -j: an inventory with the kernel" \
		grep -q ",$(uname -r)," "$tmp/sj/inventory.csv"
	"$capplan" import -o "$tmp/ss" sysstat - <"$tmp/sa.d" >/dev/null 2>&1
	check "sysstat: standard input gives the same" cmp -s "$tmp/sd/$host" "$tmp/ss/$host"
	check "sysstat: 5 rows of 1 s" [ "$(awk -F, 'NR > 2 && $2 == 1' "$tmp/sd/$host" | wc -l)" = 5 ]
	check "sysstat: capplan inspect accepts all" inspect_all "$tmp/sd"
	# sadc took its first sample at t0 (no row) and the second 1 s
	# later: the first row is [t0, t0 + 1), so its ts is t0 (+1 s slack)
	first=$(awk -F, 'NR == 3 { print $1 }' "$tmp/sd/$host")
	f=$(date -u -d "$first" +%s)
	check "sysstat: first row starts when sadc started ($first, t0 $t0)" \
		[ $((f - t0)) -ge 0 -a $((f - t0)) -le 1 ]
	total=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1024 }' /proc/meminfo)
	check "sysstat: mem_total_mib is MemTotal ($total) with -r ALL" \
		awk -F, -v t="$total" 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "mem_total_mib") c = i }
			NR > 2 && $c != t { exit 1 }' "$tmp/sd/$host"
	"$capplan" import -o "$tmp/sn" sysstat "$tmp/sa-noall.d" >/dev/null 2>"$tmp/sn.err"
	check "sysstat without -r ALL: a warning that memory is estimated" \
		grep -q 'estimated from %memused' "$tmp/sn.err"
	# used / (%memused / 100), %memused printed to 2 decimals: within 1 %,
	# or within what the rounding allows when little memory is used (at
	# 0.40 % used, 0.005 / 0.40 = 1.25 %)
	check "sysstat without -r ALL: total within 1 % of MemTotal (or the rounding of %memused)" \
		awk -F, -v t="$total" 'NR == 2 { for (i = 1; i <= NF; i++) {
				if ($i == "mem_total_mib") c = i
				if ($i == "mem_used_mib") u = i } }
			NR > 2 { tol = t / 100
				if ($u > 0) tol += t * 0.00006 * t / $u
				if ($c - t > tol || t - $c > tol) exit 1 }' "$tmp/sn/$host"
	# two overlapping halves (as two days' files repeat the boundary
	# record): merged, the repeats skipped, the same rows
	# sadf -e keeps records ending at or before its time, -s those
	# starting at or after it; row 3 of the samples is in both
	s3=$(awk -F, 'NR == 5 { print substr($1, 12, 8) }' "$tmp/sd/$host")
	e3=$(date -u -d "$(awk -F, 'NR == 5 { print $1 }' "$tmp/sd/$host") + 1 second" +%H:%M:%S)
	# shellcheck disable=SC2086
	sadf -d -e "$e3" "$tmp/sa" -- $acts >"$tmp/part1.d"
	# shellcheck disable=SC2086
	sadf -d -s "$s3" "$tmp/sa" -- $acts >"$tmp/part2.d"
	"$capplan" import -o "$tmp/sp" sysstat "$tmp/part2.d" "$tmp/part1.d" >/dev/null 2>"$tmp/sp.err"
	check "sysstat: two overlapping parts give the whole ($(cat "$tmp/sp.err"))" \
		cmp -s "$tmp/sd/$host" "$tmp/sp/$host"
	check "sysstat: the repeated record is counted" grep -q 'repeating a time skipped' "$tmp/sp.err"
	# the CPU clock from sar -m CPU, or the model and clock from options:
	# a rating from cores x MHz, not 1 CU per thread (issue 11)
	sadf -j "$tmp/sa" -- -u -m CPU >"$tmp/mhz.j"
	"$capplan" import -o "$tmp/sm" sysstat "$tmp/mhz.j" >/dev/null 2>&1
	mhz=$(awk -F, 'NR == 3 { print $7 }' "$tmp/sm/inventory.csv")
	check "sysstat -m CPU: the inventory's cpu_mhz ($mhz)" [ -n "$mhz" ]
	src=$("$capplan" profile -i "$tmp/sm/inventory.csv" "$tmp/sm/$host" 2>/dev/null |
		awk -F, 'NR == 3 { print $3 }')
	check "sysstat -m CPU: the CPU rating from cores x MHz ($src)" [ "$src" = cores_mhz ]
	"$capplan" import -o "$tmp/so" --cpu-model 'Intel Xeon E5-2640 v4' \
		--cpu-mhz 2400 sysstat "$tmp/sa.d" >/dev/null 2>&1
	check "sysstat --cpu-model, --cpu-mhz: in the inventory" \
		grep -q ',Intel Xeon E5-2640 v4,.*,2400,' "$tmp/so/inventory.csv"
	# the binary file itself (sadf run by capplan, no shell), and it
	# and the text compressed with gzip and xz (zlib, liblzma): the same
	# samples as sadf -d gives, and no temporary file left behind
	mkdir -p "$tmp/tmpdir"
	gzip -c "$tmp/sa" >"$tmp/sa.gz"
	xz -c "$tmp/sa" >"$tmp/sa.xz"
	gzip -c "$tmp/sa.d" >"$tmp/sa.d.gz"
	xz -c "$tmp/sa.j" >"$tmp/sa.j.xz"
	cat "$tmp/sa.d.gz" "$tmp/sa.d.gz" >"$tmp/sa.d2.gz"
	for f in sa sa.gz sa.xz sa.d.gz sa.j.xz sa.d2.gz; do
		rm -rf "$tmp/sb"
		TMPDIR=$tmp/tmpdir "$capplan" import -o "$tmp/sb" sysstat \
		    "$tmp/$f" >/dev/null 2>"$tmp/sb.err"
		check "sysstat $f: exit 0 ($(head -c 300 "$tmp/sb.err"))" [ $? = 0 ]
		check "sysstat $f: the same samples as sadf -d" \
			cmp -s "$tmp/sd/$host" "$tmp/sb/$host"
	done
	rm -rf "$tmp/sb"
	TMPDIR=$tmp/tmpdir "$capplan" import -o "$tmp/sb" sysstat - \
	    <"$tmp/sa.xz" >/dev/null 2>&1
	check "sysstat: an xz binary file on standard input" \
		cmp -s "$tmp/sd/$host" "$tmp/sb/$host"
	check "sysstat: no temporary file left ($(ls "$tmp/tmpdir"))" \
		[ -z "$(ls "$tmp/tmpdir")" ]
	rm -rf "$tmp/sb"
	PATH=/nonexistent "$capplan" import -o "$tmp/sb" sysstat "$tmp/sa" \
	    >/dev/null 2>"$tmp/sb.err"
	check "sysstat: a binary file without sadf is exit 1" [ $? = 1 ]
	check "sysstat: ... saying to install sysstat" \
		grep -q "binary sysstat file and sadf cannot be run.*install sysstat" \
		"$tmp/sb.err"
	check "sysstat: ... and writing nothing" [ ! -e "$tmp/sb" ]
else
	skip "sysstat: no sadc or sadf (install sysstat)"
fi

# --- prometheus ------------------------------------------------------
pr=$top/tests/import/prometheus-real
"$capplan" import -o "$tmp/pr" prometheus "$pr"/*.json >"$tmp/pr.out" 2>"$tmp/pr.err"
check "prometheus: exit 0 ($(cat "$tmp/pr.err"))" [ $? = 0 ]
check "prometheus: one host, 9 rows of 5 s, full coverage" \
	grep -q '^127.0.0.1 .* 9  .* 5 s   100.0 %' "$tmp/pr.out"
check "prometheus: every documented column" \
	[ "$(sed -n 2p "$tmp/pr/127.0.0.1.samples.csv" | tr ',' '\n' | wc -l)" = 23 ]
check "prometheus: the kernel from node_uname_info" \
	grep -q ',6.18.44-fc-v669,' "$tmp/pr/inventory.csv"
check "prometheus: capplan inspect accepts all" inspect_all "$tmp/pr"
# one query asked for in two ranges, with a repeated point and a NaN
# (and the CPU, which every samples file has)
q='{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"db1:9100","capplan":"mem_used_mib"},"values":[%s]},{"metric":{"instance":"db1:9100","capplan":"cpu_busy_pct"},"values":[%s]}]}}\n'
printf "$q" '[1795675200,"100"],[1795675260,"NaN"],[1795675320,"115"]' \
	'[1795675200,"5"],[1795675260,"5"],[1795675320,"5"]' >"$tmp/day1.json"
printf "$q" '[1795675320,"120"],[1795675380,"130"]' \
	'[1795675320,"5"],[1795675380,"5"]' >"$tmp/day2.json"
"$capplan" import -o "$tmp/pq" prometheus "$tmp/day2.json" "$tmp/day1.json" >/dev/null 2>&1
check "prometheus: two ranges merged in time order, NaN empty, the earlier range's point kept" \
	[ "$(tail -n +3 "$tmp/pq/db1.samples.csv" | tr '\n' ' ')" = \
	"2026-11-26T06:39:00Z,60,5.00,100.0 2026-11-26T06:40:00Z,60,5.00, 2026-11-26T06:41:00Z,60,5.00,115.0 2026-11-26T06:42:00Z,60,5.00,130.0 " ]
# memory alone: no file capplan would refuse, an error
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"db1:9100"},"values":[[1795675200,"100"],[1795675260,"101"]]}]}}\n' \
	>"$tmp/mem_used_mib.json"
"$capplan" import -o "$tmp/pm" prometheus "$tmp/mem_used_mib.json" \
	>/dev/null 2>"$tmp/pm.err"
check "prometheus: memory alone is refused ($(cat "$tmp/pm.err"))" \
	grep -q "host 'db1' has no CPU busy data" "$tmp/pm.err"

# the queries --queries prints are the ones capplan-import(1) lists
if command -v mandoc >/dev/null 2>&1; then
	# the page folds long queries over lines: compared without blanks
	mandoc -T ascii -O width=400 "$top/man/capplan-import.1" | col -b |
		tr -d ' \t\n' >"$tmp/man.txt"
	"$capplan" import --queries prometheus >"$tmp/queries"
	n=0
	while IFS="$(printf '\t')" read -r col query; do
		q=$(printf '%s' "$query" | tr -d ' ')
		grep -qF -- "$q" "$tmp/man.txt" || { n=$((n + 1)); echo "      not in the man page: $col"; }
	done <"$tmp/queries"
	nq=$(wc -l <"$tmp/queries")
	check "prometheus: the $nq queries of --queries are in capplan-import(1)" \
		[ $n = 0 -a "$nq" -ge 20 ]
else
	skip "prometheus: no mandoc for the man page's queries"
fi

# --- collect ---------------------------------------------------------
if [ -x "$bin/capplan-collect" ]; then
	"$bin/capplan-collect" -i 1 -d 3 -o "$tmp/agent1" >/dev/null 2>&1
	"$bin/capplan-collect" -i 1 -d 3 -o "$tmp/agent2" >/dev/null 2>&1
	rows=$(cat "$tmp"/agent1/samples-*.csv "$tmp"/agent2/samples-*.csv | grep -c '^2')
	"$capplan" import -o "$tmp/fleet" --merge collect "$tmp/agent1" "$tmp/agent2" >"$tmp/fleet.out" 2>&1
	check "collect: exit 0" [ $? = 0 ]
	h=$(uname -n | tr -c 'A-Za-z0-9._\n-' '_')
	check "collect: every agent row, once ($rows)" \
		[ "$(grep -c '^2' "$tmp/fleet/$h.samples.csv")" = "$rows" ]
	check "collect: the agent's flags kept" grep -q ',start;' "$tmp/fleet/$h.samples.csv"
	check "collect: the inventory" grep -q "^$h," "$tmp/fleet/inventory.csv"
	check "collect: capplan inspect accepts all" inspect_all "$tmp/fleet"
	rm -rf "$tmp/fleet"
	"$capplan" import -o "$tmp/fleet" collect "$tmp/agent1" "$tmp/agent2" >"$tmp/fleet.out" 2>&1
	check "collect: one host in two folders refused, both named" \
		grep -q "in two agent folders, '$tmp/agent1' and '$tmp/agent2'" "$tmp/fleet.out"
	"$capplan" import -o "$tmp/fleet" --merge collect "$tmp/agent1" "$tmp/agent2" >/dev/null 2>&1
	check "collect --merge: every agent row, once ($rows)" \
		[ "$(grep -c '^2' "$tmp/fleet/$h.samples.csv")" = "$rows" ]
	# the default output, to standard output, is what import reads
	"$bin/capplan-collect" -i 1 -d 2 --hostname web01 2>/dev/null |
		"$capplan" import -o "$tmp/piped" collect - >/dev/null 2>"$tmp/piped.err"
	check "collect -: the agent's standard output imported ($(cat "$tmp/piped.err"))" \
		[ -s "$tmp/piped/web01.samples.csv" ]
	check "collect -: its inventory, under --hostname" \
		grep -q '^web01,' "$tmp/piped/inventory.csv"
else
	skip "collect: no capplan-collect"
fi

# --- a failed import writes nothing ----------------------------------
mkdir -p "$tmp/broken/20110303"
printf '1\n2\n' >"$tmp/broken/20110303/a"
printf '1\nx\n' >"$tmp/broken/20110303/b"
"$capplan" import -o "$tmp/nothing" planetlab "$tmp/broken/20110303" >/dev/null 2>&1
check "failed import: exit 1" [ $? = 1 ]
check "failed import: no output folder" [ ! -e "$tmp/nothing" ]
mkdir "$tmp/keep"
echo old >"$tmp/keep/a.samples.csv"
"$capplan" import -o "$tmp/keep" planetlab "$tmp/broken/20110303" >/dev/null 2>&1
check "failed import: an existing file is left as it was" \
	[ "$(ls -A "$tmp/keep")" = a.samples.csv -a "$(cat "$tmp/keep/a.samples.csv")" = old ]

echo "import: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
