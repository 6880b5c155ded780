#!/bin/sh
# report-chromium.sh - the HTML report renders in a real browser.
#
# Makes the HTML report of the shipped samples (capplan profile, plan and
# report, as make demo runs them), of tests/golden/300-pass-report-csv's
# inputs (charts rendered by gnuplot) and of the hostile-names plan of
# tests/golden/321-pass-report-hostile-names-html, then opens each in
# headless Chromium (Debian's chromium, from scripts/install-deps) with
# a fresh profile and no network features, and checks:
#   - the browser logs no console message at all (a script error, or a
#     name that ran as script, would log one);
#   - the DOM it built has every chart: a <figure class="chart"> holding
#     an <svg> with drawn paths, as many as the report file has;
#   - the executive summary's cards are there;
#   - the samples' plan, which predicts no contention, has no empty
#     contention chart, and a host of many guests stacks the smaller ones
#     as one bottom layer named as such;
#   - with -V, the section "Validated on a real hypervisor" and its chart
#     of measured against predicted ready time, and a guest named with
#     markup shown as text;
# and keeps a screenshot of each as a test artefact in tests/out/.
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
out=$top/tests/out
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-chromium.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  report-chromium: $*"; }

browser=
for b in chromium chromium-browser; do
	command -v $b >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
	echo "FAIL  report-chromium: chromium is not installed (scripts/install-deps)"
	exit 1
fi
mkdir -p "$out"

# chromium URL OUT ARGS...: run it headless on a fresh profile; the
# log (with console messages) goes to OUT.log
chromium_run() {
	url=$1
	log=$2
	shift 2
	rm -rf "$tmp/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --disable-default-apps --disable-extensions --mute-audio \
	    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
	    "$@" "$url" 2>"$log"
}

# check_report NAME DIR: the report DIR/report.html in the browser
check_report() {
	name=$1
	dir=$2
	url=file://$dir/report.html
	if ! chromium_run "$url" "$tmp/$name.dom.log" --dump-dom \
	    >"$tmp/$name.dom"; then
		bad "$name: chromium --dump-dom failed: $(tail -3 "$tmp/$name.dom.log")"
		return
	fi
	n=$(grep -cE ':CONSOLE|Uncaught' "$tmp/$name.dom.log")
	if [ "$n" -eq 0 ]; then ok; else
		bad "$name: $n console messages:"
		grep -E ':CONSOLE|Uncaught' "$tmp/$name.dom.log" | head -5
	fi
	want=$(grep -c '<figure class="chart"' "$dir/report.html")
	# per figure: does it hold an <svg> with at least one <path>?
	awk '
		/<figure class="chart"/ { infig = 1; svg = 0; paths = 0; figs++ }
		infig && /<svg/ { svg = 1 }
		infig && /<path/ { paths++ }
		infig && /<\/figure>/ { if (svg && paths > 0) good++; infig = 0 }
		END { print figs + 0, good + 0 }' "$tmp/$name.dom" >"$tmp/$name.figs"
	read figs good <"$tmp/$name.figs"
	if [ "$figs" -eq "$want" ] && [ "$good" -eq "$want" ] &&
	    [ "$want" -ge 6 ]; then ok; else
		bad "$name: $good of $figs figures in the DOM hold a drawn SVG (the file has $want)"
	fi
	n=$(grep -c 'class="card"' "$tmp/$name.dom")
	if [ "$n" -ge 8 ]; then ok; else bad "$name: $n summary cards"; fi
	rm -f "$out/$name.png"
	chromium_run "$url" "$tmp/$name.shot.log" --hide-scrollbars \
	    --window-size=1280,2000 --screenshot="$out/$name.png" >/dev/null
	if [ -s "$out/$name.png" ]; then ok; else
		bad "$name: no screenshot: $(tail -3 "$tmp/$name.shot.log")"
	fi
}

# report NAME CASE ARGS...: make the HTML report of a golden case's files
report() {
	name=$1
	case=$top/tests/golden/$2
	shift 2
	mkdir -p "$tmp/$name"
	if (cd "$case" && "$bin/capplan" report -o "$tmp/$name/report.html" \
	    "$@" 2>"$tmp/$name.err"); then
		ok
		check_report "$name" "$tmp/$name"
	else
		bad "$name: capplan report failed: $(cat "$tmp/$name.err")"
	fi
}

# the shipped samples, through the whole pipeline
samples_report() {
	d=$tmp/report-samples
	mkdir -p "$d"
	set -- samples/planetlab/*.samples.csv samples/bitbrains/*.samples.csv
	if (cd "$top" &&
	    "$bin/capplan" profile -c samples/capplan.conf \
	    -i samples/inventory.csv -o "$d/profiles.csv" "$@" &&
	    "$bin/capplan" plan -c samples/capplan.conf \
	    -i samples/inventory.csv -o "$d/plan.json" "$d/profiles.csv" \
	    samples/hosts.csv >/dev/null &&
	    "$bin/capplan" report -c samples/capplan.conf \
	    -i samples/inventory.csv -o "$d/report.html" "$d/plan.json" \
	    samples/hosts.csv "$@") 2>"$tmp/samples.err"; then
		ok
		check_report report-samples "$d"
	else
		bad "samples: the pipeline failed: $(cat "$tmp/samples.err")"
	fi
}

samples_report
# the samples' plan predicts no contention at all: no empty chart of it,
# and the table says why
s=$tmp/report-samples/report.html
if [ -f "$s" ] && ! grep -q 'id="chart-contention"' "$s" &&
    grep -q 'there is no chart of them' "$s"; then ok; else
	bad "samples: an empty contention chart, or no word of leaving it out"
fi
# many guests on a host: the smaller ones are one layer at the bottom,
# named as such, under the named ones
g=$tmp/report-samples/report-charts/host-001.gp
if [ -f "$g" ] && grep -q "using 1:2 with filledcurves x1 lt 10 title '[0-9]* smaller guests, together'" "$g"; then
	ok
else
	bad "samples: host-001's smaller guests are not the bottom layer"
fi
report report-fixture 300-pass-report-csv -c capplan.conf \
    -i inventory.csv plan.json hosts.csv web1.samples.csv big1.samples.csv
report report-hostile 321-pass-report-hostile-names-html -c capplan.conf \
    plan.json hosts.csv
report report-validation 300-pass-report-csv -c capplan.conf \
    -V ../322-pass-report-validation-csv/validation.json -i inventory.csv \
    plan.json hosts.csv web1.samples.csv
d=$tmp/report-validation.dom
if grep -q '<h2[^>]*>Validated on a real hypervisor</h2>' "$d" &&
    grep -q 'validation.svg\|id="chart-validation"\|CPU ready on a real hypervisor' "$d" &&
    grep -q 'db1 &lt;"&amp;'"'"'&gt;' "$d"; then ok; else
	bad "report-validation: no validation section, chart or escaped guest name in the DOM"
fi

echo "report-chromium: $pass passed, $fail failed (screenshots in tests/out/)"
[ "$fail" -eq 0 ]
