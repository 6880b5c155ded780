#!/bin/sh
# fuzz.sh - every reader on damaged input: an error, never a crash.
#
# For each target, FUZZ_SEEDS (default 20) copies of a good input are
# damaged by tests/fuzz/mutate.py (seeded, so a failure replays) and
# given to the command that reads them.  Each run must exit 0, 1, 2 or 3
# within 60 s; stderr must hold no sanitizer report (make check
# SANITIZE=1 runs this on the ASan + UBSan build); an exit 1 must say
# what is wrong in a "capplan...: " line.  The inputs: the shipped
# samples, inventory, host catalog and policy, profiles and a plan made
# from them here, a backtest of the Bitbrains samples and its plan,
# sadf -d and -j output of a real sadc
# (tests/fuzz/web01.sadf*), a real Prometheus response (read from a file,
# and served by tests/import/fake-prometheus.py on a loopback port to
# capplan import prometheus --url), three PlanetLab
# and two Bitbrains traces (when ../shared/data has them), and the fake
# /proc trees the collector replays.  A failing case is kept in
# tests/out/fuzz/<target>-<seed>/ with its input, stdout and stderr.
# CAPPLAN_BIN: where capplan and capplan-collect are.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
capplan=$bin/capplan
collect=$bin/capplan-collect
seeds=${FUZZ_SEEDS:-20}
data=$top/../shared/data
keep=$top/tests/out/fuzz
py=/usr/bin/python3
mutate="$py $top/tests/fuzz/mutate.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-fuzz.XXXXXX") || exit 1
fake=
# the stand-in Prometheus server (prometheus-live), stopped on any exit
stop_fake() {
	[ -n "$fake" ] || return 0
	kill "$fake" 2>/dev/null
	wait "$fake" 2>/dev/null
	fake=
}
trap 'stop_fake; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0
fail=0
cd "$top" || exit 1

# ------------------------------------------------------------ the bases
b=$tmp/base
mkdir -p "$b/pl/20110303" "$b/bb"
set -- samples/planetlab/*.csv
pl1=$1
set -- samples/bitbrains/*.csv
bb1=$1
cp "$pl1" "$b/pl.samples.csv"
cp "$bb1" "$b/bb.samples.csv"
cp samples/inventory.csv samples/hosts.csv samples/capplan.conf "$b/"
if ! "$capplan" profile -c "$b/capplan.conf" -i "$b/inventory.csv" \
    -o "$b/profiles.csv" samples/planetlab/1*.csv samples/bitbrains/1*.csv \
    >/dev/null 2>"$tmp/err" ||
    ! "$capplan" plan -c "$b/capplan.conf" -i "$b/inventory.csv" \
    -o "$b/plan.json" "$b/profiles.csv" "$b/hosts.csv" >/dev/null \
    2>>"$tmp/err" ||
    ! "$capplan" backtest --json -c "$b/capplan.conf" -i "$b/inventory.csv" \
    -o "$b/backtest.json" -p "$b/btplan.json" "$b/hosts.csv" \
    samples/bitbrains/1*.csv 2>>"$tmp/err"; then
	echo "FAIL  fuzz: cannot make the bases: $(cat "$tmp/err")"
	exit 1
fi
pldata=$data/planetlab-cloudsim/original/20110303
bbdata=$data/bitbrains-rnd/2013-7_day1
have_traces=0
if [ -d "$pldata" ] && [ -d "$bbdata" ]; then
	have_traces=1
	ls "$pldata" | head -3 | while read -r f; do
		cp "$pldata/$f" "$b/pl/20110303/"
	done
	cp "$bbdata/1.csv" "$bbdata/10.csv" "$b/bb/"
fi

# ---------------------------------------------------------- one target
# run TARGET SEED SRC DST CMD...: damage SRC into DST with SEED, run CMD
# in the case's folder $w, judge it (sh has no locals: the loop's
# counter is k, which nothing here sets)
run() {
	t=$1 s=$2 src=$3 dst=$4
	shift 4
	$mutate "$src" "$s" "$dst"
	(cd "$w" && timeout 60 "$@" >out 2>err)
	rc=$?
	why=
	case $rc in
	0|1|2|3) ;;
	124) why="timed out" ;;
	*) why="exit status $rc" ;;
	esac
	if grep -q -e 'runtime error' -e 'Sanitizer' "$w/err"; then
		why="$why sanitizer report"
	fi
	if [ $rc = 1 ] && ! grep -q '^capplan[a-z-]* *[a-z]*: ' "$w/err"; then
		why="$why exit 1 without an error message"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		return
	fi
	fail=$((fail + 1))
	echo "FAIL  fuzz $t seed $s: $why"
	sed 's/^/      /' "$w/err" | head -8
	mkdir -p "$keep"
	rm -rf "$keep/$t-$s"
	cp -r "$w" "$keep/$t-$s"
}

# a copy of folder $1 as $w/$2, and the path of its file number $3
# (modulo the count, sorted) in $f, its original saved as $w/orig
tree_pick() {
	cp -r "$1" "$w/$2"
	n=$(find "$w/$2" -type f | wc -l)
	f=$(find "$w/$2" -type f | sort | sed -n "$(($3 % n + 1))p")
	cp "$f" "$w/orig"
}

target() {
	t=$1 s=$2
	case $t in
	inspect-samples)
		run $t $s "$b/pl.samples.csv" "$w/x.samples.csv" \
		    "$capplan" inspect x.samples.csv ;;
	inspect-json)
		run $t $s "$b/bb.samples.csv" "$w/x.samples.csv" \
		    "$capplan" inspect --json x.samples.csv ;;
	inspect-profiles)
		run $t $s "$b/profiles.csv" "$w/p.csv" \
		    "$capplan" inspect p.csv ;;
	inspect-plan)
		run $t $s "$b/plan.json" "$w/plan.json" \
		    "$capplan" inspect plan.json ;;
	profile)
		run $t $s "$b/bb.samples.csv" "$w/x.samples.csv" \
		    "$capplan" profile -c "$b/capplan.conf" \
		    -i "$b/inventory.csv" -o p.csv x.samples.csv \
		    "$b/pl.samples.csv" ;;
	inventory)
		run $t $s "$b/inventory.csv" "$w/inv.csv" \
		    "$capplan" profile -c "$b/capplan.conf" -i inv.csv \
		    -o p.csv "$b/bb.samples.csv" "$b/pl.samples.csv" ;;
	policy)
		run $t $s "$b/capplan.conf" "$w/c.conf" \
		    "$capplan" plan -c c.conf -o plan.json \
		    "$b/profiles.csv" "$b/hosts.csv" ;;
	hosts)
		run $t $s "$b/hosts.csv" "$w/hosts.csv" \
		    "$capplan" plan -c "$b/capplan.conf" -o plan.json \
		    "$b/profiles.csv" hosts.csv ;;
	plan)
		run $t $s "$b/profiles.csv" "$w/p.csv" \
		    "$capplan" plan -c "$b/capplan.conf" -o plan.json \
		    p.csv "$b/hosts.csv" ;;
	whatif)
		run $t $s "$b/hosts.csv" "$w/hosts.csv" \
		    "$capplan" whatif -c "$b/capplan.conf" \
		    -p "$b/profiles.csv" hosts.csv "$b/bb.samples.csv" \
		    "$b/pl.samples.csv" ;;
	report)
		run $t $s "$b/plan.json" "$w/plan.json" \
		    "$capplan" report -n -c "$b/capplan.conf" -o r.html \
		    plan.json "$b/hosts.csv" ;;
	report-csv)
		run $t $s "$b/plan.json" "$w/plan.json" \
		    "$capplan" report -f csv -c "$b/capplan.conf" -o r.csv \
		    plan.json "$b/hosts.csv" ;;
	provision)
		run $t $s "$b/plan.json" "$w/plan.json" \
		    "$capplan" provision -o prov plan.json ;;
	report-backtest)
		run $t $s "$b/backtest.json" "$w/bt.json" \
		    "$capplan" report -f csv -b bt.json -c "$b/capplan.conf" \
		    -o r.csv "$b/btplan.json" "$b/hosts.csv" ;;
	sysstat)
		run $t $s tests/fuzz/web01.sadf "$w/x.sadf" \
		    "$capplan" import -o imp sysstat x.sadf ;;
	sysstat-json)
		run $t $s tests/fuzz/web01.sadf.json "$w/x.json" \
		    "$capplan" import -o imp sysstat x.json ;;
	prometheus)
		run $t $s tests/import/prometheus-real/cpu_busy_pct.json \
		    "$w/cpu_busy_pct.json" \
		    "$capplan" import -o imp prometheus cpu_busy_pct.json ;;
	prometheus-live)
		run $t $s tests/fuzz/prometheus-live.json "$w/response.json" \
		    "$capplan" import -o imp --url "$fake_url/file" --step 5 \
		    --start 2026-11-26T06:43:10Z --end 2026-11-26T06:43:50Z \
		    prometheus ;;
	planetlab)
		tree_pick "$b/pl" pl "$s"
		run $t $s "$w/orig" "$f" \
		    "$capplan" import -o imp planetlab pl/20110303 ;;
	bitbrains)
		tree_pick "$b/bb" bb "$s"
		run $t $s "$w/orig" "$f" \
		    "$capplan" import -o imp bitbrains bb ;;
	collect-proc)
		tree_pick samples/proc/bare-2cpu tree "$s"
		run $t $s "$w/orig" "$f" \
		    "$collect" --once --interval 60 --sub-interval 30 \
		    --replay tree ;;
	collect-disks)
		tree_pick samples/proc/many-disks tree "$s"
		run $t $s "$w/orig" "$f" \
		    "$collect" --once --interval 60 --sub-interval 30 \
		    --replay tree ;;
	esac
}

targets="inspect-samples inspect-json inspect-profiles inspect-plan profile
    inventory policy hosts plan whatif report report-csv report-backtest
    provision sysstat
    sysstat-json prometheus collect-proc collect-disks"
[ $have_traces = 1 ] && targets="$targets planetlab bitbrains"
if [ -x "$py" ]; then
	$py tests/import/fake-prometheus.py "$tmp/fake.port" "$tmp/w" \
	    >/dev/null 2>&1 &
	fake=$!
	k=0
	while [ ! -s "$tmp/fake.port" ] && [ $k -lt 100 ]; do
		sleep 0.1
		k=$((k + 1))
	done
	fake_url=http://127.0.0.1:$(cat "$tmp/fake.port")
	targets="$targets prometheus-live"
fi
for t in $targets; do
	k=0
	while [ $k -lt "$seeds" ]; do
		w=$tmp/w
		rm -rf "$w"
		mkdir -p "$w"
		# seeds spread out, so each target's runs differ in kind
		target $t $((k * 7919 + 13))
		k=$((k + 1))
	done
done
[ $have_traces = 1 ] ||
	echo "skip  fuzz: planetlab, bitbrains: no ../shared/data traces"
echo "fuzz: $pass passed, $fail failed ($seeds seeds a target)"
[ $fail = 0 ]
