#!/bin/sh
# csv-formulas.sh - one rule for text in every CSV capplan writes, checked
# with Python's csv module (what a script or a spreadsheet import reads).
# A text cell that starts with = + - @ TAB or CR is a formula to a
# spreadsheet ("=HYPERLINK(...)" as a server name): capplan writes a '
# in front of it, and in front of a cell that starts with ' itself, and
# its readers drop that one ', so names come back exactly.  placement.csv
# used to miss TAB and CR and profiles.csv neutralised nothing.
name=csv-formulas
. "$(dirname "$0")/lib.sh"
F=tests/plan/fleet

# servers with hostile names, one samples file with a host column
"$py" - "$tmp/fleet.samples.csv" "$tmp/names.json" <<'PY'
import csv, json, sys
names = ['=HYPERLINK("http://example.com/x","click")', "+cmd|' /C calc'!A0",
         "-2+3", "@SUM(A1:A9)", "'quoted", "\tTAB", "\rCR", "plain"]
# as a person would write them: formulas as they are, but a name that
# starts with ' needs a second one (capplan's readers drop the first)
def mark(n):
    return "'" + n if n.startswith("'") else n
w = csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n",
               quoting=csv.QUOTE_NONNUMERIC)
w.writerow(["capplan-samples", 1])
w.writerow(["host", "ts", "interval_s", "cpu_busy_pct", "mem_total_mib",
            "mem_used_mib"])
for n in names:
    for d in range(2):
        for h in range(24):
            w.writerow([mark(n), "2026-11-%02dT%02d:00:00Z" % (2 + d, h),
                        3600, 10 + h % 7, 8192, 2048])
json.dump(names, open(sys.argv[2], "w"))
PY

"$bin/capplan" profile -o "$tmp/profiles.csv" "$tmp/fleet.samples.csv" \
    2>"$tmp/err" || { bad "profile failed"; cat "$tmp/err"; finish; exit 1; }
"$bin/capplan" plan -o "$tmp/plan.json" -p "$tmp/placement.csv" \
    "$tmp/profiles.csv" $F/hosts.csv >/dev/null 2>"$tmp/err" ||
    { bad "plan failed"; cat "$tmp/err"; finish; exit 1; }
"$bin/capplan" report -n -f csv -o "$tmp/report.csv" "$tmp/plan.json" \
    $F/hosts.csv 2>"$tmp/err" || { bad "report failed"; cat "$tmp/err"; }

# every text cell of each file: none a formula, each marked one decoding
# to a name; the plan (read from profiles.csv) keeps the names exactly
"$py" - "$tmp" <<'PY'
import csv, json, sys
d = sys.argv[1]
names = json.load(open(d + "/names.json"))
trigger = tuple("=+-@\t\r")
bad = []

def cells(path):
    rows = list(csv.reader(open(path, newline="")))
    return rows[2:]			# after the format record and header

def check(path, col, want):
    got = set()
    for row in cells(path):
        c = row[col]
        if c.startswith(trigger):
            bad.append("%s: cell %r is a formula" % (path, c))
        got.add(c[1:] if c.startswith("'") else c)
    missing = set(want) - got
    if missing:
        bad.append("%s: names lost: %r" % (path, sorted(missing)))

check(d + "/profiles.csv", 0, names)
check(d + "/placement.csv", 0, names)
def number(c):
    try:
        float(c)
        return True
    except ValueError:
        return False
for row in cells(d + "/report.csv"):
    for c in row:
        if c.startswith(trigger) and not number(c):
            bad.append("report.csv: cell %r is a formula" % c)
plan = json.load(open(d + "/plan.json"))
got = sorted([g["name"] for g in plan["guests"]] +
             [s["name"] for s in plan["servers"]])
if got != sorted(names):
    bad.append("plan.json names %r, not %r" % (got, sorted(names)))
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok || bad "a cell is a formula or a name changed"

# the rule on its own, in each direction
grep -q "^\"'=HYPERLINK(\"\"http" "$tmp/profiles.csv" && ok ||
    bad "profiles.csv: =HYPERLINK not written as '=HYPERLINK"
grep -q "^''quoted," "$tmp/profiles.csv" && ok ||
    bad "profiles.csv: 'quoted not written as ''quoted"
finish
