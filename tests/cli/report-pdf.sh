#!/bin/sh
# report-pdf.sh - the PDF formats through headless Chromium, checked as
# images, and the HTML report's layout at 1400 px.
#
#   - report -f pdf of golden 300's inputs: an A4 PDF of several pages
#     whose first page, rasterized by pdftoppm, is not blank and whose
#     text opens with the executive summary;
#   - -f summary-pdf: exactly one page holding the headline, the cost
#     table and the cost chart (ink in the page's lower part);
#   - the hostile names of golden 321 printed as text, nothing run;
#   - capplan compare -f pdf;
#   - without Chromium on PATH: exit 1, a message naming what to install
#     or use instead, no file left;
#   - the HTML report of the shipped samples at 1400 px wide: its first
#     chart starts within three screens (900 px each), and tables longer
#     than 25 rows are folded.
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-pdf.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  report-pdf: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP  report-pdf: $*"; }
check() {	# check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
G=$top/tests/golden

browser=
for b in chromium chromium-browser; do
	command -v $b >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ] || ! command -v pdftoppm >/dev/null 2>&1; then
	echo "FAIL  report-pdf: chromium and poppler-utils are needed (scripts/install-deps)"
	exit 1
fi

# ink FILE.pdf PAGE FROM TO: the share of dark pixels of the page's rows
# FROM to TO (fractions of its height), rasterized at 40 dpi
ink() {
	rm -f "$tmp/ink"*
	pdftoppm -gray -r 40 -f "$2" -l "$2" "$1" "$tmp/ink" || return 1
	"$py" - "$tmp"/ink*.pgm "$3" "$4" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
parts, i = [], 0
while len(parts) < 4:
    while data[i:i + 1].isspace():
        i += 1
    j = i
    while not data[j:j + 1].isspace():
        j += 1
    parts.append(data[i:j])
    i = j
w, h = int(parts[1]), int(parts[2])
px = data[i + 1:]
a, b = int(h * float(sys.argv[2])), int(h * float(sys.argv[3]))
rows = px[a * w:b * w]
print("%.4f" % (sum(1 for p in rows if p < 160) / max(1, len(rows))))
PY
}

cd "$G/300-pass-report-csv" || exit 1
set -- -c capplan.conf -i inventory.csv plan.json hosts.csv \
    web1.samples.csv big1.samples.csv
"$bin/capplan" report -f pdf -o "$tmp/r.pdf" "$@" 2>"$tmp/r.err" && ok ||
    bad "report -f pdf failed: $(cat "$tmp/r.err")"
if [ -s "$tmp/r.pdf" ]; then
	pages=$(pdfinfo "$tmp/r.pdf" | awk '/^Pages:/ { print $2 }')
	check "the report PDF has $pages pages" [ "${pages:-0}" -ge 3 ]
	check "the report PDF is not A4" sh -c \
	    "pdfinfo '$tmp/r.pdf' | grep -q 'Page size:.*(A4)'"
	i=$(ink "$tmp/r.pdf" 1 0 1)
	check "page 1 is blank (ink $i)" \
	    "$py" -c "import sys; sys.exit(not float('$i') > 0.02)"
	check "page 1 does not open with the summary" sh -c \
	    "pdftotext -f 1 -l 1 '$tmp/r.pdf' - | grep -q 'Executive summary'"
	check "the PDF unfolds the long tables (every assumption)" sh -c \
	    "pdftotext '$tmp/r.pdf' - | grep -q 'class curve'"
fi
"$bin/capplan" report -f summary-pdf -o "$tmp/s.pdf" "$@" 2>/dev/null && ok ||
    bad "report -f summary-pdf failed"
if [ -s "$tmp/s.pdf" ]; then
	pages=$(pdfinfo "$tmp/s.pdf" | awk '/^Pages:/ { print $2 }')
	check "the summary is $pages pages, not 1" [ "${pages:-0}" -eq 1 ]
	check "the summary lacks the cost table" sh -c \
	    "pdftotext '$tmp/s.pdf' - | grep -q 'Cost by category'"
	i=$(ink "$tmp/s.pdf" 1 0.7 0.95)
	check "the summary's lower part (the chart) is blank (ink $i)" \
	    "$py" -c "import sys; sys.exit(not float('$i') > 0.005)"
fi

cd "$G/321-pass-report-hostile-names-html" || exit 1
(cd "$tmp" && "$bin/capplan" report -f pdf -c "$G/321-pass-report-hostile-names-html/capplan.conf" \
    -o "$tmp/h.pdf" "$G/321-pass-report-hostile-names-html/plan.json" \
    "$G/321-pass-report-hostile-names-html/hosts.csv" 2>/dev/null) && ok ||
    bad "hostile: report -f pdf failed"
check "hostile: the name is not printed as text" sh -c \
    "pdftotext '$tmp/h.pdf' - | grep -qF \"<script>alert('h')</script>\""
n=$(find "$tmp" -name 'PWNED*' | wc -l)
check "hostile: a name ran a command" [ "$n" -eq 0 ]

cd "$G/500-pass-compare-csv" || exit 1
"$bin/capplan" compare -f pdf -c base.conf -c tight.conf -o "$tmp/c.pdf" \
    hosts.csv base.json tight.json 2>/dev/null && [ -s "$tmp/c.pdf" ] && ok ||
    bad "compare -f pdf failed"

# no Chromium: said, and nothing written (-n: gnuplot is not needed)
cd "$G/300-pass-report-csv" || exit 1
PATH=/nonexistent "$bin/capplan" report -n -f pdf -o "$tmp/none.pdf" \
    plan.json hosts.csv >/dev/null 2>"$tmp/none.err"
rc=$?
check "no Chromium: exit $rc, not 1" [ "$rc" -eq 1 ]
check "no Chromium: not said ($(cat "$tmp/none.err"))" \
    grep -q 'PDF needs Chromium.*install Debian.s chromium, or write -f html' \
    "$tmp/none.err"
check "no Chromium: a file was left" [ ! -e "$tmp/none.pdf" ]

# the samples' HTML report at 1400 px: the first chart's top
d=$tmp/samples
mkdir -p "$d"
cd "$top" || exit 1
set -- samples/planetlab/*.samples.csv samples/bitbrains/*.samples.csv
if (cd "$top" && "$bin/capplan" profile -c samples/capplan.conf \
    -i samples/inventory.csv -o "$d/profiles.csv" "$@" &&
    "$bin/capplan" plan -c samples/capplan.conf -i samples/inventory.csv \
    -o "$d/plan.json" "$d/profiles.csv" samples/hosts.csv &&
    "$bin/capplan" report -c samples/capplan.conf -i samples/inventory.csv \
    -o "$d/report.html" "$d/plan.json" samples/hosts.csv "$@") \
    >/dev/null 2>"$tmp/samples.err"; then
	cat >"$d/measure.html" <<'HTML'
<!DOCTYPE html><html><body style="margin:0">
<iframe id="r" src="report.html" style="width:1400px;height:900px;border:0"
 onload="var d=this.contentDocument,f=d.querySelector('figure.chart');
 document.getElementById('y').textContent=
 'first-chart-top='+Math.round(f.getBoundingClientRect().top)+
 ' folded='+d.querySelectorAll('details').length"></iframe>
<p id="y">not measured</p></body></html>
HTML
	rm -rf "$tmp/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --allow-file-access-from-files --user-data-dir="$tmp/profile" \
	    --window-size=1400,900 --virtual-time-budget=5000 --dump-dom \
	    "file://$d/measure.html" >"$tmp/measure.dom" 2>/dev/null
	y=$(sed -n 's/.*first-chart-top=\([0-9][0-9]*\).*/\1/p' "$tmp/measure.dom")
	f=$(sed -n 's/.* folded=\([0-9][0-9]*\).*/\1/p' "$tmp/measure.dom")
	check "1400 px: the first chart at '${y:-not measured}' px, past three screens" \
	    [ -n "$y" ] && [ "${y:-9999}" -lt 2700 ]
	check "1400 px: ${f:-no} tables folded" [ "${f:-0}" -ge 1 ]
	echo "report-pdf: at 1400 px the samples' first chart starts at ${y:-?} px; ${f:-?} tables folded"
else
	bad "samples: the pipeline failed: $(cat "$tmp/samples.err")"
fi

echo "report-pdf: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
