#!/bin/sh
# report-xlsx.sh - the workbook of capplan report -f xlsx read back with
# openpyxl and compared, cell by cell, with the CSV of the same report.
#
# For the report of golden 300 (samples, inventory, policy) and of golden
# 321 (hostile names: "=HYPERLINK(...)", "+cmd|...", "<script>..."), and
# capplan compare of golden 500:
#   - every figure of the CSV is in the sheet named by its section, in
#     the same row and column: numbers as numbers (equal to the CSV's to
#     its decimals), text as text, empty as empty;
#   - the summary sheet holds the summary's labels, values and details;
#   - no cell is a formula, and a name starting with '=' is a string;
#   - a second run gives the same bytes.
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-xlsx.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  report-xlsx: $*"; }
G=$top/tests/golden

if ! "$py" -c 'import openpyxl' 2>/dev/null; then
	echo "SKIP  report-xlsx: python3-openpyxl not installed"
	echo "report-xlsx: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

compare() {	# compare NAME XLSX CSV
	"$py" - "$2" "$3" <<'PY' && ok || bad "$1: the workbook differs from the CSV"
import csv, re, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))[2:]
def same_text(c, x):
    # a control character is stored as _xHHHH_ (ECMA-376 ST_Xstring),
    # which Excel decodes and this openpyxl does not
    if isinstance(x, str):
        x = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)),
                   x)
    return x == c or (c[:1] == "'" and x == c[1:])
def same(c, x):
    if c == "":
        return x is None
    if isinstance(x, (int, float)):
        d = len(c.split(".")[1]) if "." in c else 0
        return abs(float(c) - x) <= 0.51 * 10 ** -d
    return isinstance(x, str) and same_text(c, x)
errors = []
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                errors.append("formula in %s!%s" % (ws.title, cell.coordinate))
summary = [r for r in rows if r[0] == "summary"]
ws = wb["summary"] if "summary" in wb.sheetnames else None
for i in range(0, len(summary), 2):
    r = 6 + i // 2
    got = [ws.cell(r, c).value for c in (1, 2, 3)]
    want = [summary[i][1], summary[i][3], summary[i + 1][3]]
    if not all(same_text(w, g) for w, g in zip(want, got)):
        errors.append("summary row %d: %r != %r" % (r, got, want))
sections = []
for r in rows:
    if r[0] != "summary" and (not sections or sections[-1][0] != r[0]):
        sections.append((r[0], []))
    if r[0] != "summary":
        sections[-1][1].append(r)
for sec, recs in sections:
    ws = wb[sec]
    heads = [c.value for c in ws[3]]
    ncols = len([h for h in heads if h is not None])
    k = 0
    for xr in ws.iter_rows(min_row=4, max_row=3 + len(recs) // (ncols - 1)):
        vals = [c.value for c in xr]
        for j in range(1, ncols):
            sec_, item, field, value, unit = recs[k]
            k += 1
            if field != heads[j] or not same(item, vals[0]) and not (
                    item == "" and vals[0] is None):
                errors.append("%s: %r/%r at %s" % (sec, item, field, heads[j]))
            elif not same(value, vals[j]):
                errors.append("%s: %s/%s: csv %r, xlsx %r"
                              % (sec, item, field, value, vals[j]))
    if k != len(recs):
        errors.append("%s: %d figures in the workbook, %d in the CSV"
                      % (sec, k, len(recs)))
for e in errors[:10]:
    print(e)
sys.exit(1 if errors else 0)
PY
}

cd "$G/300-pass-report-csv" || exit 1
set -- -c capplan.conf -i inventory.csv plan.json hosts.csv \
    web1.samples.csv big1.samples.csv ghost.samples.csv
"$bin/capplan" report -f xlsx -o "$tmp/300.xlsx" "$@" 2>/dev/null &&
    ok || bad "300: report -f xlsx failed"
"$bin/capplan" report -f csv "$@" >"$tmp/300.csv" 2>/dev/null
compare 300 "$tmp/300.xlsx" "$tmp/300.csv"
"$bin/capplan" report -f xlsx "$@" >"$tmp/300b.xlsx" 2>/dev/null
cmp -s "$tmp/300.xlsx" "$tmp/300b.xlsx" && ok ||
    bad "300: two runs give different workbooks"

cd "$G/321-pass-report-hostile-names-html" || exit 1
"$bin/capplan" report -f xlsx -c capplan.conf plan.json hosts.csv \
    >"$tmp/321.xlsx" 2>/dev/null && ok || bad "321: report -f xlsx failed"
"$bin/capplan" report -f csv -c capplan.conf plan.json hosts.csv \
    >"$tmp/321.csv" 2>/dev/null
compare 321 "$tmp/321.xlsx" "$tmp/321.csv"
"$py" - "$tmp/321.xlsx" <<'PY' && ok || bad "321: a hostile name is not a string"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
         if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
sys.exit(not found or any(c.data_type != "s" for c in found))
PY

cd "$G/500-pass-compare-csv" || exit 1
set -- -c base.conf -c tight.conf -i inventory.csv hosts.csv base.json \
    tight.json
"$bin/capplan" compare -f xlsx "$@" >"$tmp/500.xlsx" 2>/dev/null && ok ||
    bad "500: compare -f xlsx failed"
"$bin/capplan" compare -f csv "$@" >"$tmp/500.csv" 2>/dev/null
compare 500 "$tmp/500.xlsx" "$tmp/500.csv"

echo "report-xlsx: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
