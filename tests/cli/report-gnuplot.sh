#!/bin/sh
# report-gnuplot.sh - names in charts as gnuplot really reads them, and
# what gnuplot says when it fails.
#
# A plan whose hosts are named "'lead", "100%g" and "a''b'" and a guest
# "'g1" is reported in HTML with the real gnuplot (inline SVG):
#   - the report is made (a name starting with ' broke every chart
#     script: gnuplot 5.4 reads a leading '' as an empty string);
#   - each host name is a tic label of the heatmap exactly as it is
#     ("100%g" was read as a format and printed a number), and a plot
#     title of its host chart.
# Then gnuplot fails (a stand-in on PATH writing what gnuplot writes on a
# syntax error): report exits 1 and its message holds gnuplot's reason
# and the command it points at, not the first line of stderr (blank).
name=report-gnuplot
. "$(dirname "$0")/lib.sh"
F=tests/plan/fleet

command -v gnuplot >/dev/null 2>&1 || { skipped "gnuplot not installed"; }
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv \
	-o "$tmp/plan.json" $F/profiles.csv $F/hosts.csv >/dev/null ||
	{ bad "plan failed"; finish; exit 1; }
"$py" - "$tmp/plan.json" "$tmp/names.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
names = ["'lead", "100%g", "a''b'"]
hmap = {h["name"]: names[i % 3] for i, h in enumerate(p["hosts"])}
g0 = p["guests"][0]["name"]
for h in p["hosts"]:
    h["name"] = hmap[h["name"]]
    h["guests"] = ["'g1" if x == g0 else x for x in h["guests"]]
for g in p["guests"]:
    g["host"] = hmap[g["host"]]
p["guests"][0]["name"] = "'g1"
json.dump(p, open(sys.argv[1], "w"))
json.dump(sorted(set(hmap.values())), open(sys.argv[2], "w"))
PY

if command -v gnuplot >/dev/null 2>&1; then
	"$bin/capplan" report -f html -o "$tmp/r.html" "$tmp/plan.json" \
	    $F/hosts.csv 2>"$tmp/err"; rc=$?
	[ $rc = 0 ] && ok || { bad "report exit $rc: $(cat "$tmp/err")"; }
	"$py" - "$tmp/r.html" "$tmp/names.json" <<'PY' && ok ||
import html, json, re, sys
doc = open(sys.argv[1]).read()
names = json.load(open(sys.argv[2]))
def texts(chart):
    m = re.search(r'<figure class="chart" id="chart-%s".*?</figure>' % chart,
                  doc, re.S)
    return [html.unescape(t) for t in
            re.findall(r"<text>(.*?)</text>", m.group(0))] if m else []
heat = texts("heatmap")
bad = [n for n in names if n not in heat]
host = [t for c in ("host-001", "host-002", "host-003") for t in texts(c)]
if "'g1" not in host:
    bad.append("'g1 (a plot title)")
if bad:
    print("not in the charts as they are:", bad)
sys.exit(1 if bad else 0)
PY
	    bad "a name is not shown as it is in the charts"
fi

# gnuplot failing: its reason reaches the message
mkdir "$tmp/fake"
cat >"$tmp/fake/gnuplot" <<'SH'
#!/bin/sh
printf '\nset title '"'''"'abc'"'"'\n            ^\n"%s" line 2: unexpected or unrecognized token\n\n' "$1" >&2
exit 1
SH
chmod +x "$tmp/fake/gnuplot"
PATH=$tmp/fake:$PATH "$bin/capplan" report -f html -o "$tmp/r2.html" \
    "$tmp/plan.json" $F/hosts.csv 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'gnuplot failed on .*(exit 1): ".*\.gp" line 2: unexpected or unrecognized token (at: set title '"'''"'abc'"'"')$' \
    "$tmp/err" && ok || { bad "gnuplot's failure: exit $rc: $(cat "$tmp/err")"; }
finish
