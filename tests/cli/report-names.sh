#!/bin/sh
# report-names.sh - hostile host, guest, server and model names stay inert
# in every format of capplan report, with the real gnuplot.
#
# The plan of tests/golden/321-pass-report-hostile-names-html names its
# hosts and guests "<script>...", "a'); system(\"touch PWNED\"); ...",
# "`touch PWNED2` ...", "=HYPERLINK(...)", "+cmd|...", a name with a
# newline and an <img onerror>, and its policy's currency holds markup
# and quotes.  The report is made in HTML (charts rendered), Markdown
# (PNG charts) and CSV; then:
#   - no PWNED file exists anywhere (gnuplot ran nothing);
#   - the HTML holds no <script, <img or on...= attribute of its own and
#     shows the names escaped; one inline SVG per chart;
#   - every Markdown table row has as many unescaped '|' as its header,
#     and no raw < from a name;
#   - CSV text cells starting with = + - @ TAB carry a leading ';
#   - the gnuplot scripts hold the names single-quoted, each ' as "'".
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
fx=$top/tests/golden/321-pass-report-hostile-names-html
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-names.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  report-names: $*"; }
check() {	# check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

cp "$fx/plan.json" "$fx/hosts.csv" "$fx/capplan.conf" "$tmp/"
cd "$tmp" || exit 1
mkdir out
for f in html markdown csv; do
	ext=$f
	[ $f = markdown ] && ext=md
	if ! "$bin/capplan" report -f $f -c capplan.conf -o out/report.$ext \
	    plan.json hosts.csv 2>"err.$f"; then
		bad "capplan report -f $f failed: $(cat "err.$f")"
	fi
done

# ---------------------------------------------------------- no command ran
n=$(find "$tmp" -name 'PWNED*' | wc -l)
check "a name ran a command: $(find "$tmp" -name 'PWNED*')" [ "$n" -eq 0 ]

# -------------------------------------------------------------------- HTML
h=out/report.html
check "HTML holds <script" [ "$(grep -ci '<script' $h)" -eq 0 ]
check "HTML holds <img" [ "$(grep -ci '<img' $h)" -eq 0 ]
check "HTML holds an event attribute" \
    [ "$(grep -ciE '<[^>]* on[a-z]+=' $h)" -eq 0 ]
check "HTML loads something from the network" \
    [ "$(grep -ciE '(src|href)="?(https?:|//)' $h)" -eq 0 ]
check "HTML lacks the escaped host name" \
    grep -qF '&lt;script&gt;alert(&#39;h&#39;)&lt;/script&gt;' $h
check "HTML lacks the escaped guest name" \
    grep -qF 'a&#39;); system(&quot;touch PWNED&quot;); print(&#39;' $h
# gnuplot's SVG text: < and & escaped by gnuplot itself
check "HTML charts lack the name as SVG text" \
    grep -qF '&lt;script>alert(' $h
nsvg=$(grep -c '<svg' $h)
nfig=$(grep -c '<figure class="chart"' $h)
check "HTML has $nfig figures but $nsvg SVGs" [ "$nsvg" -eq "$nfig" ]
check "HTML has fewer than 7 charts ($nfig)" [ "$nfig" -ge 7 ]

# ---------------------------------------------------------------- Markdown
m=out/report.md
check "Markdown holds raw <script" [ "$(grep -ci '<script' $m)" -eq 0 ]
check "Markdown holds raw <img" [ "$(grep -ci '<img' $m)" -eq 0 ]
check "Markdown lacks the escaped host name" \
    grep -qF "&lt;script&gt;alert('h')&lt;/script&gt;" $m
check "Markdown: a name opens emphasis or a link" \
    grep -qF '\`touch PWNED2\` @x \|pipe\| \*emph\* \_u\_ \[l\](javascript' $m
# every row of a table has the header's count of unescaped pipes
rows=$(awk '
	/^\|/ { s = $0; gsub(/\\\\/, "", s); gsub(/\\\|/, "", s)
		n = gsub(/\|/, "|", s)
		if (!intable) { want = n; intable = 1 }
		else if (n != want) bad++
		next }
	{ intable = 0 }
	END { print bad + 0 }' $m)
check "Markdown: $rows table rows broken by a name" [ "$rows" -eq 0 ]
check "Markdown lacks the PNG charts" [ -s out/report-charts/cost.png ]

# --------------------------------------------------------------------- CSV
c=out/report.csv
check "CSV: =HYPERLINK not prefixed" \
    grep -qF "servers,\"'=HYPERLINK(\"\"http" $c
check "CSV: +cmd not prefixed" grep -qF "hosts,'+cmd|' /C calc'!A0," $c
check "CSV: -2+3 not prefixed" grep -qF "servers,'-2+3 kept," $c
check "CSV: TAB@ not prefixed" grep -qF "servers,'	@retired" $c
check "CSV: @group not prefixed" grep -qF "\"'@group" $c
# no line may start a cell with = + @ after a separator, unquoted
n=$(grep -cE '(^|,)[=+@]' $c)
check "CSV: $n cells start with = + or @" [ "$n" -eq 0 ]

# ----------------------------------------------------------------- gnuplot
g=out/report-charts
check "gnuplot: guest name not single-quoted in host-002.gp" \
    grep -qF "'a' . \"'\" . '); system(\"touch PWNED\"); print(' . \"'\"" \
    $g/host-002.gp
check "gnuplot: newline in a name reached a script" \
    grep -qF "'line1 line2 <img" $g/host-002.gp
check "gnuplot: host name not quoted in heatmap.gp" \
    grep -qF "'<script>alert(' . \"'\" . 'h' . \"'\" . ')</script>' 0" \
    $g/heatmap.gp
check "gnuplot: text is enhanced" grep -q 'noenhanced' $g/cost.gp
n=$(ls $g | grep -cvE '^(cost|power|heatmap|guest-sizes|contention|host-[0-9]{3})\.(gp|dat|svg|png|gp\.log)$')
check "charts directory holds a file named from user text" [ "$n" -eq 0 ]

echo "report-names: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
