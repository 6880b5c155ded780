#!/bin/sh
# plan-check.sh - capplan plan against an independent checker.
#
# tests/cli/plan_check.py shares no code with capplan: it re-sums the raw
# samples (or the profiles' hour slots) of every host of a plan and checks
# every constraint (limits per slot, vCPU and memory overcommit, guest
# count, affinity, anti-affinity, pins, exclusions, trust zones, N+k and
# failure domains, existing hosts and their guests).  Cases:
#   1. the 51 PlanetLab sample servers on small hosts under
#      tests/plan/check.conf (every constraint at once), full series;
#   2. the same servers by hour-of-day profile;
#   3. all 81 shipped servers under samples/capplan.conf, hour slots;
#   4. the same input twice gives the same bytes;
#   5. the checker itself fails on a plan with a guest moved by hand;
#   6. trust zones: a plan with zones checked, and one with a zone's guest
#      moved by hand onto a host of no zone refused;
#   7. N+2 and failure domains: checked, and refused with a spare taken
#      away by hand;
#   8. existing hosts: checked, and refused with a guest that must stay
#      moved by hand;
#   9. storage: checked (allocated and used sizes), and refused with a
#      500 GiB guest moved by hand onto a host whose storage it overfills;
#  10. stated growth ([growth], [growth web]): checked with the demand
#      grown by the checker, and a plan made without the growth refused
#      against the same policy;
#  11. planned workloads ([add NAME] like = X): checked with X's demand
#      for each, by hour and by series (X's samples), and a plan made
#      without them refused.
#  12. with 'large' at available = 1 no model is left for the N+1 spare:
#      exit 3, by series and by hour;
#  13. the checker itself fails on a plan with one host more of a model
#      than its available count;
#  14. every resource planned, by hour of the week: bench/gen-profiles'
#      fleet (CPU, memory, disk IOPS and KiB/s, network), where the
#      planner takes its demand rows over from the profiles in place
#      (planner/build.c), checked slot by slot.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-plancheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  plan-check: $*"; }
if ! [ -x "$py" ] || ! "$py" -c 'import json, csv, configparser' 2>/dev/null
then
	echo "FAIL  plan-check: $py is needed (scripts/install-deps)"
	exit 1
fi
pl=$(ls samples/planetlab/*.samples.csv)
all="$pl $(ls samples/bitbrains/*.samples.csv)"
C=tests/plan/check.conf
H=tests/plan/hosts-small.csv

run() {	# name, then capplan arguments
	n=$1; shift
	if "$bin/capplan" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; then ok
	else bad "$n: capplan $* exited $?"; cat "$tmp/$n.err"; fi
}
check() {	# name, then plan_check arguments
	n=$1; shift
	if "$py" tests/cli/plan_check.py "$@" >"$tmp/$n.chk" 2>&1; then ok
	else bad "$n: the checker found:"; sed 's/^/      /' "$tmp/$n.chk"; fi
}

# 1. every constraint, full series
run prof-s profile -c $C -i samples/inventory.csv -o "$tmp/p.csv" $pl
run series plan -c $C -o "$tmp/s.json" -p "$tmp/s.csv" "$tmp/p.csv" $H $pl
check series "$tmp/s.json" "$tmp/s.csv" "$tmp/p.csv" $H $C $pl
grep -q '^hosts .* + 1 spare for N+1$' "$tmp/series.out" && ok ||
	bad "series: no N+1 spare in the summary"

# 2. the same by hour-of-day profile
run hour plan -r hour -c $C -o "$tmp/h.json" -p "$tmp/h.csv" "$tmp/p.csv" $H
check hour "$tmp/h.json" "$tmp/h.csv" "$tmp/p.csv" $H $C

# 3. the shipped fleet and policy
run prof-all profile -c samples/capplan.conf -i samples/inventory.csv \
	-o "$tmp/pa.csv" $all
run all plan -c samples/capplan.conf -i samples/inventory.csv \
	-o "$tmp/a.json" -p "$tmp/a.csv" "$tmp/pa.csv" samples/hosts.csv
check all "$tmp/a.json" "$tmp/a.csv" "$tmp/pa.csv" samples/hosts.csv \
	samples/capplan.conf

# 4. deterministic
run again plan -c $C -o "$tmp/s2.json" -p "$tmp/s2.csv" "$tmp/p.csv" $H $pl
cmp -s "$tmp/s.json" "$tmp/s2.json" && cmp -s "$tmp/s.csv" "$tmp/s2.csv" &&
	ok || bad "the same input gave different plans"

# 5. the checker is not vacuous: move the largest guest onto host-001
"$py" - "$tmp/s.json" "$tmp/s.csv" "$tmp/bad.json" "$tmp/bad.csv" <<'PY'
import csv, json, sys
p = json.load(open(sys.argv[1]))
g = max((g for g in p["guests"] if g["host"] != "host-001"),
        key=lambda g: g["peak"]["cpu_cu"])
old = g["host"]
for h in p["hosts"]:
    if h["name"] == old:
        h["guests"].remove(g["name"])
    if h["name"] == "host-001":
        h["guests"].append(g["name"])
g["host"] = "host-001"
json.dump(p, open(sys.argv[3], "w"))
rows = list(csv.reader(open(sys.argv[2])))
for r in rows[2:]:
    if r[0] == g["name"]:
        r[2] = "host-001"
csv.writer(open(sys.argv[4], "w"), lineterminator="\n").writerows(rows)
PY
if "$py" tests/cli/plan_check.py "$tmp/bad.json" "$tmp/bad.csv" "$tmp/p.csv" \
    $H $C $pl >"$tmp/bad.chk" 2>&1; then
	bad "the checker passed a plan with a guest moved onto a full host"
else
	grep -q 'over its limit\|guests over max_guests\|committed over' \
	    "$tmp/bad.chk" && ok || { bad "the checker failed for another "\
	    "reason:"; cat "$tmp/bad.chk"; }
fi

# 6. trust zones (tests/plan/zones): the checker finds each server's zone
# again and refuses a dmz guest moved onto a host of no zone
Z=tests/plan/zones
F=tests/plan/fleet
run zones plan -c $Z/capplan.conf -i $Z/inventory.csv -o "$tmp/z.json" \
	-p "$tmp/z.csv" $F/profiles.csv $F/hosts.csv
check zones --inventory $Z/inventory.csv "$tmp/z.json" "$tmp/z.csv" \
	$F/profiles.csv $F/hosts.csv $Z/capplan.conf
"$py" - "$tmp/z.json" "$tmp/z.csv" "$tmp/zbad.json" "$tmp/zbad.csv" <<'PY'
import csv, json, sys
p = json.load(open(sys.argv[1]))
g = next(g for g in p["guests"] if g["zone"] == "dmz")
to = next(h for h in p["hosts"] if h["zone"] is None and not h["spare"])
for h in p["hosts"]:
    if h["name"] == g["host"]:
        h["guests"].remove(g["name"])
to["guests"].append(g["name"])
old, g["host"] = g["host"], to["name"]
json.dump(p, open(sys.argv[3], "w"))
rows = list(csv.reader(open(sys.argv[2])))
for r in rows[2:]:
    if r[0] == g["name"]:
        r[2] = to["name"]
csv.writer(open(sys.argv[4], "w"), lineterminator="\n").writerows(rows)
PY
if "$py" tests/cli/plan_check.py --inventory $Z/inventory.csv \
    "$tmp/zbad.json" "$tmp/zbad.csv" $F/profiles.csv $F/hosts.csv \
    $Z/capplan.conf >"$tmp/zbad.chk" 2>&1; then
	bad "the checker passed a dmz guest on a host of no zone"
else
	grep -q 'holds guests of zones' "$tmp/zbad.chk" && ok || {
	    bad "the checker failed the zones for another reason:"
	    cat "$tmp/zbad.chk"; }
fi

# 7. N+2 and a rack failure over three racks, the databases in two racks
# (tests/plan/ha): checked, then refused without one of its spares
H2=tests/plan/ha/capplan.conf
run ha plan -c $H2 -i $F/inventory.csv -o "$tmp/k.json" -p "$tmp/k.csv" \
	$F/profiles.csv $F/hosts.csv
check ha "$tmp/k.json" "$tmp/k.csv" $F/profiles.csv $F/hosts.csv $H2
"$py" - "$tmp/k.json" "$tmp/kbad.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
last = [h for h in p["hosts"] if h["spare"]][-1]
p["hosts"].remove(last)
json.dump(p, open(sys.argv[2], "w"))
PY
if "$py" tests/cli/plan_check.py "$tmp/kbad.json" "$tmp/k.csv" \
    $F/profiles.csv $F/hosts.csv $H2 >"$tmp/kbad.chk" 2>&1; then
	bad "the checker passed an N+2 plan with a spare taken away"
else
	grep -q 'does not survive the loss of' "$tmp/kbad.chk" && ok || {
	    bad "the checker failed N+2 for another reason:"
	    cat "$tmp/kbad.chk"; }
fi

# 8. existing hosts (tests/plan/brownfield): checked, then refused with a
# guest of kvm1 moved by hand though it must stay
B=tests/plan/brownfield
run bf plan -c $B/capplan.conf -i $B/inventory.csv -e $B/existing.csv \
	-o "$tmp/e.json" -p "$tmp/e.csv" $F/profiles.csv $F/hosts.csv
check bf --inventory $B/inventory.csv --existing $B/existing.csv \
	"$tmp/e.json" "$tmp/e.csv" $F/profiles.csv $F/hosts.csv $B/capplan.conf
"$py" - "$tmp/e.json" "$tmp/e.csv" "$tmp/ebad.json" "$tmp/ebad.csv" <<'PY'
import csv, json, sys
p = json.load(open(sys.argv[1]))
g = next(g for g in p["guests"] if g["current_host"] == "kvm1")
for h in p["hosts"]:
    if h["name"] == "kvm1":
        h["guests"].remove(g["name"])
    if h["name"] == "kvm2":
        h["guests"].append(g["name"])
g["host"] = "kvm2"
json.dump(p, open(sys.argv[3], "w"))
rows = list(csv.reader(open(sys.argv[2])))
for r in rows[2:]:
    if r[0] == g["name"]:
        r[2] = "kvm2"
csv.writer(open(sys.argv[4], "w"), lineterminator="\n").writerows(rows)
PY
if "$py" tests/cli/plan_check.py --inventory $B/inventory.csv \
    --existing $B/existing.csv "$tmp/ebad.json" "$tmp/ebad.csv" \
    $F/profiles.csv $F/hosts.csv $B/capplan.conf >"$tmp/ebad.chk" 2>&1; then
	bad "the checker passed a guest moved off its existing host"
else
	grep -q 'though \[existing\] move = no' "$tmp/ebad.chk" && ok || {
	    bad "the checker failed the existing hosts for another reason:"
	    cat "$tmp/ebad.chk"; }
fi

# 9. storage (tests/plan/storage): allocated sizes bind before the CPU;
# checked, then refused with a 500 GiB guest moved by hand onto a host
# it overfills; and with used sizes ([storage] size = used)
S=tests/plan/storage
run st plan -c $S/capplan.conf -i $S/inventory.csv -o "$tmp/st.json" \
	-p "$tmp/st.csv" $F/profiles.csv $S/hosts.csv
check st --inventory $S/inventory.csv "$tmp/st.json" "$tmp/st.csv" \
	$F/profiles.csv $S/hosts.csv $S/capplan.conf
"$py" - "$tmp/st.json" "$tmp/st.csv" "$tmp/stbad.json" "$tmp/stbad.csv" <<'PY'
import csv, json, sys
p = json.load(open(sys.argv[1]))
hosts = {h["name"]: h for h in p["hosts"]}
g = next(g for g in p["guests"] if g["storage_gib"] >= 500)
to = next(h for h in p["hosts"] if h["name"] != g["host"] and
          h["storage_committed_gib"] + g["storage_gib"] >
          h["storage_limit_gib"])
hosts[g["host"]]["guests"].remove(g["name"])
hosts[g["host"]]["storage_committed_gib"] -= g["storage_gib"]
to["guests"].append(g["name"])
to["storage_committed_gib"] += g["storage_gib"]
g["host"] = to["name"]
json.dump(p, open(sys.argv[3], "w"))
rows = list(csv.reader(open(sys.argv[2])))
for r in rows[2:]:
    if r[0] == g["name"]:
        r[2] = to["name"]
csv.writer(open(sys.argv[4], "w"), lineterminator="\n").writerows(rows)
PY
if "$py" tests/cli/plan_check.py --inventory $S/inventory.csv \
    "$tmp/stbad.json" "$tmp/stbad.csv" $F/profiles.csv $S/hosts.csv \
    $S/capplan.conf >"$tmp/stbad.chk" 2>&1; then
	bad "the checker passed a host whose storage is overfilled"
else
	grep -q 'GiB of storage over' "$tmp/stbad.chk" && ok || {
	    bad "the checker failed storage for another reason:"
	    cat "$tmp/stbad.chk"; }
fi
{ cat $S/capplan.conf; printf '[storage]\nsize = used\n'; } >"$tmp/su.conf"
run su plan -c "$tmp/su.conf" -i $S/inventory.csv -o "$tmp/su.json" \
	-p "$tmp/su.csv" $F/profiles.csv $S/hosts.csv
check su --inventory $S/inventory.csv "$tmp/su.json" "$tmp/su.csv" \
	$F/profiles.csv $S/hosts.csv "$tmp/su.conf"

# 10. stated growth: the checker grows the demand itself
G=tests/golden/294-pass-plan-growth/capplan.conf
run gr plan -c $G -i $F/inventory.csv -o "$tmp/gr.json" -p "$tmp/gr.csv" \
	$F/profiles.csv $F/hosts.csv
check gr --inventory $F/inventory.csv "$tmp/gr.json" "$tmp/gr.csv" \
	$F/profiles.csv $F/hosts.csv $G
run gr0 plan -c $F/capplan.conf -i $F/inventory.csv -o "$tmp/gr0.json" \
	-p "$tmp/gr0.csv" $F/profiles.csv $F/hosts.csv
if "$py" tests/cli/plan_check.py --inventory $F/inventory.csv \
    "$tmp/gr0.json" "$tmp/gr0.csv" $F/profiles.csv $F/hosts.csv $G \
    >"$tmp/gr0.chk" 2>&1; then
	bad "the checker passed a plan made without the stated growth"
else
	grep -q 'grown it is' "$tmp/gr0.chk" && ok || {
	    bad "the checker failed growth for another reason:"
	    cat "$tmp/gr0.chk"; }
fi

# 11. added servers: the checker gives each its like's profile
A=tests/golden/298-pass-plan-add-like/capplan.conf
run ad plan -c $A -i $F/inventory.csv -o "$tmp/ad.json" -p "$tmp/ad.csv" \
	$F/profiles.csv $F/hosts.csv
check ad --inventory $F/inventory.csv "$tmp/ad.json" "$tmp/ad.csv" \
	$F/profiles.csv $F/hosts.csv $A
if "$py" tests/cli/plan_check.py --inventory $F/inventory.csv \
    "$tmp/gr0.json" "$tmp/gr0.csv" $F/profiles.csv $F/hosts.csv $A \
    >"$tmp/ad0.chk" 2>&1; then
	bad "the checker passed a plan without the added servers"
else
	grep -q 'an added server that is not a guest' "$tmp/ad0.chk" && ok || {
	    bad "the checker failed [add] for another reason:"
	    cat "$tmp/ad0.chk"; }
fi
# and by series: each added server has its like's samples
run ads plan -r series -c $A -i $F/inventory.csv -o "$tmp/ads.json" \
	-p "$tmp/ads.csv" $F/profiles.csv $F/hosts.csv $F/*.samples.csv
check ads --inventory $F/inventory.csv "$tmp/ads.json" "$tmp/ads.csv" \
	$F/profiles.csv $F/hosts.csv $A $F/*.samples.csv

# 12. large at available = 1: the pin takes it, so no model is left for
# a spare that must hold the large host's guests
sed 's/,400,3$/,400,1/' $H >"$tmp/h1.csv"
for r in series hour; do
	set -- "$tmp/p.csv" "$tmp/h1.csv"
	[ $r = series ] && set -- "$@" $pl
	"$bin/capplan" plan -r $r -c $C -o "$tmp/a1.json" "$@" \
	    >"$tmp/a1.out" 2>"$tmp/a1.err"
	rc=$?
	if [ $rc = 3 ] && grep -q 'no model left available can stand in' \
	    "$tmp/a1.out"; then ok
	else bad "available = 1 ($r): exit $rc, not 3 with no model left"\
	    " for the spare:"; cat "$tmp/a1.out" "$tmp/a1.err"; fi
done

# 13. the checker counts a model's new hosts, spares included, against
# its available count: the series plan under available = 1 must fail it
if "$py" tests/cli/plan_check.py "$tmp/s.json" "$tmp/s.csv" "$tmp/p.csv" \
    "$tmp/h1.csv" $C $pl >"$tmp/av.chk" 2>&1; then
	bad "the checker passed a plan with more large hosts than available"
else
	grep -q 'over its available count' "$tmp/av.chk" && ok ||
	    { bad "the checker failed for another reason:"; cat "$tmp/av.chk"; }
fi

# 14. every resource, by week, the demand built in place
"$bin/bench/gen-profiles" 60 "$tmp/gp.csv" "$tmp/gh.csv" >"$tmp/gp.out" 2>&1 ||
	bad "bench/gen-profiles failed: $(cat "$tmp/gp.out")"
printf '[sizing]\nresolution = week\n' >"$tmp/week.conf"
run week plan -c "$tmp/week.conf" -o "$tmp/w.json" -p "$tmp/w.csv" \
	"$tmp/gp.csv" "$tmp/gh.csv"
check week "$tmp/w.json" "$tmp/w.csv" "$tmp/gp.csv" "$tmp/gh.csv" \
	"$tmp/week.conf"
grep -q 'week slots' "$tmp/week.chk" && "$py" -c '
import json, sys
p = json.load(open(sys.argv[1]))["settings"]
sys.exit(len(p["planned"]) != 5)' "$tmp/w.json" && ok ||
	bad "week: not every resource planned by week: $(cat "$tmp/week.chk")"

echo "plan-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
