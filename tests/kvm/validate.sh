#!/bin/sh
# validate.sh - capplan validate against a real libvirtd and real QEMU
# guests (KVM where a KVM guest runs, else TCG).
#
# 1. kvm/libvirtd-ctl starts virtlogd and libvirtd (unless one answers);
# 2. three one-vCPU servers with an hour-by-hour CPU pattern (40 to 80 %
#    of a server of 1 CU) are sampled, profiled and planned onto one host
#    model of 2 CU and 2 logical CPUs, as a user would;
# 3. capplan validate replays 6 slots of 5 s of one guest alone, then of
#    two, then of all three, on one test CPU (--cpus 0), and writes
#    validation.json each time;
# 4. checks: the text and the JSON agree and say which hypervisor ran and
#    why; alone, each slot's work done and vCPU time achieved are within
#    10 % of the demand replayed (30 % under TCG, whose emulated speed is
#    not steady) and almost nothing waits; the ready time
#    measured rises with the number of guests (1 < 2 < 3) and is real
#    (over 5 % with three guests on one CPU); the model's prediction is in
#    the file beside it; capplan report -V turns it into its section;
# 5. SIGTERM in the middle of a replay: exit 1, "interrupted";
# 6. nothing left behind, after every run: no capplan-validate domain in
#    libvirt, no QEMU process of one, no work folder in TMPDIR.
# Takes about 3 minutes (TCG).  CAPPLAN_BIN: where capplan is.
# (The guests booted in 47 s each, not 3, where libvirtd re-probed QEMU at
# every call: kvm/libvirtd-ctl now repairs the /dev/kvm that caused it.)
name=kvm-validate
. "$(dirname "$0")/../cli/lib.sh"
chmod 755 "$tmp"
uri=qemu:///system
capplan=$bin/capplan
t0=$(date +%s)
export TMPDIR=$tmp/t
mkdir "$TMPDIR"

cleanup() {
	for d in $(virsh -c $uri list --name 2>/dev/null | grep '^capplan-validate-'); do
		virsh -c $uri destroy "$d" >/dev/null 2>&1
	done
	sh "$top/kvm/libvirtd-ctl" stop "$tmp/state"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

check() {	# $1 = description, rest = command
	d=$1
	shift
	if "$@"; then ok; else bad "$d"; fi
}
# nothing of a validate run left: domains, QEMU processes, work folders
left_behind() {
	virsh -c $uri list --all --name 2>/dev/null | grep '^capplan-validate-'
	pgrep -af 'guest=capplan-validate-' 2>/dev/null
	ls -d "$TMPDIR"/capplan-validate.* 2>/dev/null
}

sh "$top/kvm/libvirtd-ctl" start "$tmp/state" || { bad "libvirtd did not start"; exit 1; }

# three servers, one day of 5-minute rows, a pattern by the hour
"$py" - "$tmp/in" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d)
pat = {"alpha": [40, 55, 70, 50, 65, 80], "bravo": [60, 45, 50, 70, 40, 55],
       "charlie": [50, 60, 40, 60, 50, 45]}
for name, p in pat.items():
    with open(f"{d}/{name}.samples.csv", "w") as f:
        f.write("capplan-samples,1\nts,interval_s,cpu_busy_pct,ncpu_online,"
                "mem_total_mib,mem_used_mib\n")
        for h in range(24):
            for m in range(0, 60, 5):
                f.write(f"2026-11-02T{h:02}:{m:02}:00Z,300,{p[h % 6]},1,"
                        f"1024,200\n")
with open(f"{d}/inventory.csv", "w") as f:
    f.write("capplan-inventory,1\nhost,cores,threads,cpu_rating,mem_mib\n")
    for name in pat:
        f.write(f"{name},1,1,1,1024\n")
with open(f"{d}/hosts.csv", "w") as f:
    f.write("capplan-hosts,1\nmodel,sockets,cores,threads,cpu_rating,"
            "mem_mib,rack_units,price,maint_per_year,"
            + ",".join(f"power_w_{p}" for p in range(0, 101, 10)) + "\n"
            "two-cpu,1,2,2,2,16384,1,1000,100,"
            + ",".join(str(50 + p // 2) for p in range(0, 101, 10)) + "\n")
with open(f"{d}/capplan.conf", "w") as f:
    f.write("[sizing]\nmin_days = 1\nvcpu_cu = 1\n[headroom]\ncpu = 0\n"
            "[overcommit]\nvcpu_per_pcpu = 4\n")
PY
I=$tmp/in
"$capplan" profile -c $I/capplan.conf -i $I/inventory.csv -o $I/profiles.csv \
	$I/alpha.samples.csv $I/bravo.samples.csv $I/charlie.samples.csv \
	>/dev/null 2>&1 && "$capplan" plan -c $I/capplan.conf -i $I/inventory.csv \
	-o $I/plan.json $I/profiles.csv $I/hosts.csv >/dev/null 2>&1 ||
	{ bad "profile and plan of the fixture failed"; exit 1; }

# run GUESTS [extra options]: validate them, output in $tmp/v-N.*
run() {
	g=$1
	shift
	n=$(echo "$g" | tr ',' '\n' | wc -l)
	"$capplan" validate -c $I/capplan.conf --guests "$g" --cpus 0 \
	    --slots 0-5 --slot-seconds 5 -o "$tmp/v-$n.json" "$@" \
	    $I/plan.json $I/profiles.csv $I/hosts.csv >"$tmp/v-$n.out" \
	    2>"$tmp/v-$n.err"
	rc=$?
	check "validate $g: exit 0 or 3 (got $rc: $(tail -1 "$tmp/v-$n.err"))" \
	    [ $rc = 0 -o $rc = 3 ]
	check "validate $g: nothing left behind: $(left_behind)" \
	    [ -z "$(left_behind)" ]
}

run alpha
kind=$(sed -n 's/^hypervisor *\([a-z]*\).*/\1/p' "$tmp/v-1.out")
echo "      hypervisor: $(head -1 "$tmp/v-1.out" | sed 's/^hypervisor *//')"
echo "      first run done after $(($(date +%s) - t0)) s"
check "the hypervisor is named (kvm or qemu): '$kind'" \
	[ "$kind" = kvm -o "$kind" = qemu ]
run alpha,bravo --type "$kind"
run alpha,bravo,charlie --type "$kind"

# the figures, read from validation.json with Python's json
"$py" - "$tmp" <<'PY' >"$tmp/figures" || bad "validation.json does not read"
import json, sys
d = sys.argv[1]
for n in (1, 2, 3):
    v = json.load(open(f"{d}/v-{n}.json"))
    assert v["format"] == "capplan-validation" and v["version"] == 1
    r = v["runs"][0]
    used = [k for k, s in enumerate(r["slots"]) if s["used"]]
    ready = [r["slots"][k]["ready_pct"] for k in used]
    print(f"n{n}_used {len(used)}")
    print(f"n{n}_ready {sum(ready) / max(1, len(ready)):.3f}")
    print(f"n{n}_pred {sum(r['slots'][k]['predicted_pct'] for k in used) / max(1, len(used)):.3f}")
    print(f"n{n}_hv {r['hypervisor']}")
    lo, hi = r["summary"].get("work_low_pct"), r["summary"].get("work_high_pct")
    print(f"n{n}_work {lo:.1f} to {hi:.1f}")
    # 1: surely over 10 % off, 0: surely within, 2: too near to tell
    # from the JSON's one decimal
    stray = 1 if lo < 89.95 or hi > 110.05 else \
        0 if lo >= 90.05 and hi <= 109.95 else 2
    print(f"n{n}_stray {stray}")
    if n == 1:
        # alone: the slots counted (no other load on the test CPU)
        g = r["guests"][0]
        pts = [g["slots"][k] for k in used] or [{"work_pct": 0,
            "achieved_pct": 0, "demand_pct": 1}]
        worst_w = max(abs(p["work_pct"] / p["demand_pct"] - 1) for p in pts)
        worst_a = max(abs(p["achieved_pct"] / p["demand_pct"] - 1) for p in pts)
        print(f"alone_work {100 * worst_w:.2f}")
        print(f"alone_achieved {100 * worst_a:.2f}")
        print(f"alone_demand {' '.join('%.0f' % p['demand_pct'] for p in g['slots'])}")
PY
fig() { sed -n "s/^$1 //p" "$tmp/figures"; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }
echo "      alone: demand $(fig alone_demand) %; worst work $(fig alone_work) %, achieved $(fig alone_achieved) % off"
echo "      ready measured (predicted): 1 guest $(fig n1_ready) ($(fig n1_pred)), 2 guests $(fig n2_ready) ($(fig n2_pred)), 3 guests $(fig n3_ready) ($(fig n3_pred))"
check "alone: the demand replayed is the profile's (40 55 70 50 65 80)" \
	[ "$(fig alone_demand)" = "40 55 70 50 65 80" ]
# Under KVM a guest's loop runs at the host's speed: 10 %.  Under TCG its
# emulated rate is not steady: on a 2-vCPU AMD EPYC VM (2026-12-04) the
# worst slot of a run was 9.9, 15.7 and 16.4 % off in work and 6.7, 15.4
# and 19.9 % in vCPU time, with slots after the 1 s calibration running
# at 76 % of its rate.  A replay that ignored the demand (every slot at
# one level) would be 50 % off in its worst slot.
tol=10
[ "$kind" = kvm ] || tol=30
check "alone: work done within $tol % of the demand in every slot counted ($kind)" \
	between "$(fig alone_work)" 0 $tol
check "alone: vCPU time within $tol % of the demand in every slot counted ($kind)" \
	between "$(fig alone_achieved)" 0 $tol
check "alone: hardly any wait (under 1.5 %)" between "$(fig n1_ready)" 0 1.5
check "every run counted some slots" [ "$(fig n1_used)" -gt 0 -a \
	"$(fig n2_used)" -gt 0 -a "$(fig n3_used)" -gt 0 ]
check "ready rises with the guests: $(fig n1_ready) < $(fig n2_ready) < $(fig n3_ready)" \
	awk -v a="$(fig n1_ready)" -v b="$(fig n2_ready)" -v c="$(fig n3_ready)" \
	'BEGIN { exit !(a < b && b < c && c > 5) }'
check "the model predicts contention too: $(fig n1_pred) < $(fig n3_pred)" \
	awk -v a="$(fig n1_pred)" -v c="$(fig n3_pred)" 'BEGIN { exit !(a < c && c > 5) }'
check "text and JSON name the same hypervisor" [ "$(fig n3_hv)" = "$kind" ]
# Debian's kernel is an xz bzImage with CONFIG_PVH: its vmlinux is booted
check "the kernel line says its vmlinux was unpacked and booted by PVH" \
	grep -q '^kernel  *[^ ]*vmlinuz[^ ]*: its vmlinux unpacked (.* MB) and booted through its PVH entry$' \
	"$tmp/v-1.out"
check "the JSON says so too" grep -q '"kernel_boot": "its vmlinux unpacked' \
	"$tmp/v-3.json"
check "the text has the summary" grep -q '^summary: .* guest-slots' "$tmp/v-3.out"
for n in 1 2 3; do
	check "run $n: the text says the work replayed, as the JSON ($(fig n${n}_work) %)" \
		grep -q "^summary: the guests did $(fig n${n}_work) % of the work replayed" \
		"$tmp/v-$n.out"
	if [ "$(fig n${n}_stray)" = 1 ]; then
		check "run $n: work over 10 % off the demand is said on standard error" \
			grep -q '^capplan validate: the replay did .* not within 10 %' \
			"$tmp/v-$n.err"
	elif [ "$(fig n${n}_stray)" = 0 ]; then
		check "run $n: work within 10 % of the demand: no warning" \
			sh -c '! grep -q "^capplan validate: the replay did" "$1"' - \
			"$tmp/v-$n.err"
	fi
done
if [ "$kind" = qemu ]; then
	check "TCG: the output says why KVM was not used" \
		grep -q '^hypervisor *qemu (TCG): KVM not used: ' "$tmp/v-1.out"
fi

# the report's section
"$capplan" report -n -f csv -V "$tmp/v-3.json" -c $I/capplan.conf -o "$tmp/r.csv" \
	$I/plan.json $I/hosts.csv >/dev/null 2>"$tmp/r.err"
check "report -V: exit 0 ($(cat "$tmp/r.err"))" [ $? = 0 ]
check "report -V: the validation tables are in the CSV" \
	[ "$(grep -c '^validation-guests,' "$tmp/r.csv")" -gt 0 ]

# SIGTERM while it replays: every guest destroyed, exit 1
"$capplan" validate -c $I/capplan.conf --guests alpha,bravo --cpus 0 \
	--slots 0-5 --slot-seconds 5 --type "$kind" $I/plan.json \
	$I/profiles.csv $I/hosts.csv >/dev/null 2>"$tmp/term.err" &
pid=$!
n=0
until grep -q 'replaying' "$tmp/term.err" 2>/dev/null || [ $n -gt 900 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 2
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM: exit 1 (got $rc)" [ $rc = 1 ]
check "SIGTERM: says it was interrupted" grep -q 'interrupted' "$tmp/term.err"
check "SIGTERM: nothing left behind: $(left_behind)" [ -z "$(left_behind)" ]

echo "      took $(($(date +%s) - t0)) s"
finish
