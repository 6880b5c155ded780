#!/bin/sh
# compare.sh - capplan compare in every format, with the real gnuplot and
# the real parsers, on plans whose file names are hostile.
#
# The plans of tests/golden/500-pass-compare-csv are copied under names a
# shell, gnuplot, HTML, Markdown and a spreadsheet would each misread:
# "a'); system(\"touch PWNED\"); print('<script>x|y.json" and
# "=HYPERLINK(\"http:\")|@z.json".  Then:
#   - no PWNED file exists (gnuplot ran nothing) and gnuplot rendered the
#     one chart, compare.svg and compare.png;
#   - Python's html.parser finds no script element, exactly one inline
#     SVG, and the two names as text of the table's header cells;
#   - every Markdown table row has as many unescaped '|' as its header;
#   - Python's csv reader reads the names back, with a leading ' on the
#     one starting with '=';
#   - a second run writes byte-identical HTML and CSV;
#   - the per-plan policies reach the "what differs" table.
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
fx=$top/tests/golden/500-pass-compare-csv
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  compare: $*"; }
check() {	# check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

a="a'); system(\"touch PWNED\"); print('<script>x|y.json"
b='=HYPERLINK("http:")|@z.json'
cp "$fx/hosts.csv" "$fx/inventory.csv" "$fx/base.conf" "$fx/tight.conf" \
    "$tmp/"
cp "$fx/base.json" "$tmp/$a"
cp "$fx/tight.json" "$tmp/$b"
cd "$tmp" || exit 1
mkdir out
run() {	# run FORMAT FILE
	"$bin/capplan" compare -f "$1" -c base.conf -c tight.conf \
	    -i inventory.csv -o "$2" hosts.csv "$a" "$b" 2>"err.$1" ||
		bad "capplan compare -f $1 failed: $(cat "err.$1")"
}
run html out/cmp.html
run markdown out/cmp.md
run csv out/cmp.csv

n=$(find "$tmp" -name 'PWNED*' | wc -l)
check "a name ran a command" [ "$n" -eq 0 ]
check "gnuplot did not render compare.svg" [ -s out/cmp-charts/compare.svg ]
check "gnuplot did not render compare.png" [ -s out/cmp-charts/compare.png ]
check "the chart's log says gnuplot complained: \
$(cat out/cmp-charts/compare.gp.log 2>/dev/null)" \
    [ ! -s out/cmp-charts/compare.gp.log ]

# -------------------------------------------------------------------- HTML
check "HTML: parsed" python3 - out/cmp.html "$a" "$b" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.th, self.ths = [], False, []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "th":
            self.th, cur = True, ""
            self.ths.append("")
    def handle_endtag(self, tag):
        if tag == "th":
            self.th = False
    def handle_data(self, d):
        if self.th:
            self.ths[-1] += d
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
assert "script" not in p.tags, "a script element"
assert p.tags.count("svg") == 1, p.tags.count("svg")
for name in sys.argv[2:]:
    assert p.ths.count(name) == 2, (name, p.ths)
PY

# ---------------------------------------------------------------- Markdown
m=out/cmp.md
check "Markdown holds a raw <script" [ "$(grep -ci '<script' $m)" -eq 0 ]
rows=$(awk '
	/^\|/ { s = $0; gsub(/\\\\/, "", s); gsub(/\\\|/, "", s)
		n = gsub(/\|/, "|", s)
		if (!intable) { want = n; intable = 1 }
		else if (n != want) bad++
		next }
	{ intable = 0 }
	END { print bad + 0 }' $m)
check "Markdown: $rows table rows broken by a name" [ "$rows" -eq 0 ]
check "Markdown: no link to the PNG chart" \
    grep -qF '(cmp-charts/compare.png)' $m

# --------------------------------------------------------------------- CSV
check "CSV: read back" python3 - out/cmp.csv "$a" "$b" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == ["capplan-report", "1"], rows[0]
fields = {r[2] for r in rows[2:]}
assert sys.argv[2] in fields, fields
assert "'" + sys.argv[3] in fields, fields
hosts = {r[2]: r[3] for r in rows if r[1] == "Hosts with guests"}
assert hosts["Today"] == "", hosts
pol = [r for r in rows if r[0] == "policy"]
assert any(r[1].startswith("Headroom, CPU") for r in pol), pol
assert not any(r[1] == "PUE" for r in pol), pol
PY

# ----------------------------------------------------------- reproducible
cp out/cmp.html out/first.html
cp out/cmp.csv out/first.csv
run html out/cmp.html
run csv out/cmp.csv
check "HTML differs between two runs" cmp -s out/cmp.html out/first.html
check "CSV differs between two runs" cmp -s out/cmp.csv out/first.csv

echo "compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
