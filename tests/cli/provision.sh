#!/bin/sh
# provision.sh - capplan provision's files, checked by the real tools.
#
# A plan of the fleet in tests/plan/fleet, then the same plan with every
# guest and host renamed to something hostile (markup, quotes, $(...),
# ';', commas, '&', '%', backslashes, Ansible range syntax, UTF-8):
#   - every domain XML validates with virt-xml-validate (libvirt-clients)
#     and xmllint reads each name back unchanged;
#   - install.sh passes bash -n, and run against libvirt's test driver
#     (URI=test:///default) virt-install (virtinst) creates every guest,
#     while no $(...) in a name ever runs;
#   - inventory.yml is read by ansible-inventory (ansible-core), else by
#     python3-yaml, and gives every name back unchanged;
#   - names, host models and reasons that are Jinja templates
#     ("{{ lookup('pipe', ...) }}") stay inert when a play uses them:
#     ansible's debug module prints each one back unchanged, and nothing
#     runs (every data value is tagged !unsafe);
#   - a host name that would end a libvirt URI's host part reaches ssh
#     whole through libvirt's own URI parser (percent-encoded);
#   - names that cannot be made safe (newline, '/', leading '-' or '.',
#     empty) are refused and nothing is written;
#   - with storage planned (tests/plan/storage), each new disk image is
#     of the guest's planned GiB (DRY_RUN=1, DISK_GIB ignored), and the
#     inventory says it; without, DISK_GIB still sizes it.
# Tools that are not installed are reported as skipped checks, not
# passes; scripts/install-deps installs them all.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-prov.XXXXXX") || exit 1
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
cd "$top" || exit 1
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  provision: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP  provision: $*"; }
F=tests/plan/fleet

"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv -o "$tmp/plan.json" \
	$F/profiles.csv $F/hosts.csv >/dev/null || { bad "plan failed"; exit 1; }

# the same plan with hostile names (a JSON rewrite, names mapped 1:1)
"$py" - "$tmp/plan.json" "$tmp/hostile.json" "$tmp/names" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
evil = ["<script>alert(1)<\\script>", "a'b\"c d", "$(touch PWNED)",
        ";rm -rf ~", "a,b,,c", "x&y", "%s%n", "back\\slash", "web[1:3]",
        "{{lookup('pipe','touch PWNED4')}}",
        "{% for x in [1] %}{{ lookup('pipe', 'touch PWNED5') }}{% endfor %}",
        "{#c#}{{ query('pipe', 'touch PWNED6') }}",
        "café ünïcode", "`touch PWNED2`", "a=b --name=c"]
hevil = ["{{lookup('pipe','touch PWNED7')}}", "h'1 $(touch PWNED3)",
         "h2;&|<>", "h3 %s"]
gmap = {g["name"]: evil[i % len(evil)] + ("" if i < len(evil) else str(i))
        for i, g in enumerate(p["guests"])}
hmap = {h["name"]: hevil[i % len(hevil)] + str(i)
        for i, h in enumerate(p["hosts"])}
for i, g in enumerate(p["guests"]):
    g["name"] = gmap[g["name"]]
    g["host"] = hmap[g["host"]]
    if i % 3 == 0:
        g["why"] = "{{ lookup('pipe', 'touch PWNED8') }} " + g["why"]
for h in p["hosts"]:
    h["name"] = hmap[h["name"]]
    h["model"] = "{{lookup('pipe','touch PWNED9')}}" + h["model"]
    h["guests"] = sorted(gmap[x] for x in h["guests"])
json.dump(p, open(sys.argv[2], "w"))
open(sys.argv[3], "w").write(json.dumps(sorted(gmap.values())))
PY

for plan in plan hostile; do
	out=$tmp/out-$plan
	if "$bin/capplan" provision -o "$out" "$tmp/$plan.json" >"$tmp/$plan.log" \
	    2>&1; then ok; else bad "$plan: provision failed"; cat "$tmp/$plan.log"
		continue; fi
	n=$(ls "$out/domains" | wc -l)
	[ "$n" -eq 12 ] && ok || bad "$plan: $n domain files, not 12"
	# libvirt's schema, and the names read back
	if command -v virt-xml-validate >/dev/null 2>&1; then
		v=0
		for x in "$out"/domains/*.xml; do
			virt-xml-validate "$x" domain >/dev/null 2>&1 ||
			    { v=1; bad "$plan: $x does not validate"; }
		done
		[ $v = 0 ] && ok
	else
		skipped "virt-xml-validate not installed"
	fi
	if command -v xmllint >/dev/null 2>&1; then
		# (xmllint ends the string with a newline or not, by version)
		for x in "$out"/domains/*.xml; do
			xmllint --xpath 'string(/domain/title)' "$x"; echo
		done | grep -v '^$' >"$tmp/$plan.xmlnames"
		"$py" -c 'import json,sys
got = sorted(l.rstrip("\n") for l in open(sys.argv[1]))
want = sorted(g["name"] for g in json.load(open(sys.argv[2]))["guests"])
sys.exit(got != want)' "$tmp/$plan.xmlnames" "$tmp/$plan.json" && ok ||
		    bad "$plan: titles in the XML differ from the plan's names"
	fi
	# the script: syntax, then run for real against the test driver
	bash -n "$out/install.sh" && ok || bad "$plan: bash -n install.sh"
	if command -v virt-install >/dev/null 2>&1; then
		# (virt-install logs under $HOME/.cache: keep it in $tmp)
		(cd "$tmp" && HOME=$tmp XDG_CACHE_HOME=$tmp/cache \
		    URI=test:///default VIRT_TYPE=test ARCH=i686 \
		    "$out/install.sh" --empty-disks >"$tmp/$plan.vi" 2>&1)
		c=$(grep -c 'Domain creation completed' "$tmp/$plan.vi")
		[ "$c" -eq 12 ] && ok || { bad "$plan: virt-install created $c "\
		    "of 12 guests"; tail -5 "$tmp/$plan.vi"; }
		DRY_RUN=1 "$out/install.sh" >"$tmp/$plan.dry" 2>&1 &&
		    [ "$(grep -c '^virt-install ' "$tmp/$plan.dry")" -eq 12 ] &&
		    ok || bad "$plan: DRY_RUN=1 did not print 12 commands"
	else
		skipped "virt-install (virtinst) not installed"
	fi
	ls "$tmp"/PWNED* >/dev/null 2>&1 && bad "$plan: a name ran a command" ||
	    ok
	# the inventory
	if command -v ansible-inventory >/dev/null 2>&1; then
		ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
		    ansible-inventory -i "$out/inventory.yml" --list \
		    >"$tmp/$plan.inv" 2>"$tmp/$plan.inverr" && ok ||
		    { bad "$plan: ansible-inventory failed"; cat "$tmp/$plan.inverr"; }
		"$py" -c 'import json,sys
def v(x):
    return x["__ansible_unsafe"] if isinstance(x, dict) else x
inv = json.load(open(sys.argv[1]))["_meta"]["hostvars"]
got = sorted(v(h["capplan_name"]) for h in inv.values() if "capplan_vcpus" in h)
want = sorted(g["name"] for g in json.load(open(sys.argv[2]))["guests"])
sys.exit(got != want)' "$tmp/$plan.inv" "$tmp/$plan.json" && ok ||
		    bad "$plan: ansible-inventory gives other names"
	else
		"$py" -c 'import yaml,sys
yaml.SafeLoader.add_constructor("!unsafe",
    lambda l, n: l.construct_scalar(n))
yaml.safe_load(open(sys.argv[1]))' "$out/inventory.yml" && ok ||
		    bad "$plan: YAML does not parse"
		skipped "ansible-inventory not installed (YAML parsed instead)"
	fi
	# a play that uses every data value: printed back as it was, and no
	# template in a name, model or reason runs (debug runs on the
	# controller, connecting to nobody)
	if command -v ansible >/dev/null 2>&1; then
		mkdir -p "$tmp/play-$plan"
		for var in capplan_name capplan_model capplan_host \
		    capplan_domain capplan_why; do
			(cd "$tmp/play-$plan" && HOME=$tmp ANSIBLE_LOCALHOST_WARNING=0 \
			    ANSIBLE_NOCOLOR=1 ansible -i "$out/inventory.yml" all \
			    -m debug -a "var=$var") >"$tmp/play-$plan/$var" 2>&1
		done
		"$py" - "$tmp/play-$plan" "$tmp/$plan.json" <<'PY' && ok ||
import json, re, sys
d, p = sys.argv[1], json.load(open(sys.argv[2]))
dec = json.JSONDecoder()
def printed(var):
    text, vals = open(d + "/" + var).read(), []
    for m in re.finditer(r"^\S+ \| SUCCESS => ", text, re.M):
        obj, _ = dec.raw_decode(text, m.end())
        if var in obj and "VARIABLE IS NOT DEFINED" not in str(obj[var]):
            vals.append(obj[var] if isinstance(obj[var], str) else repr(obj[var]))
    return sorted(vals)
guests = p["guests"]
hosts = {h["name"]: h for h in p["hosts"]}
want = {
    "capplan_name": sorted([g["name"] for g in guests] + list(hosts)),
    "capplan_model": sorted(h["model"] for h in p["hosts"]),
    "capplan_host": sorted(g["host"] for g in guests),
    "capplan_why": sorted(g["why"] for g in guests),
}
bad = [v for v in want if printed(v) != want[v]]
if len(printed("capplan_domain")) != len(guests):
    bad.append("capplan_domain")
if bad:
    print("differ:", bad)
sys.exit(1 if bad else 0)
PY
		    bad "$plan: ansible does not print the values back unchanged"
		ran=$(find "$tmp" -name 'PWNED*')
		[ -z "$ran" ] && ok ||
		    bad "$plan: a template in the inventory ran a command: $ran"
	else
		skipped "ansible (ansible-core) not installed"
	fi
done

# a host name that is a URI's end: "h?no_verify=1&command=logargs&x="
# in qemu+ssh://root@%s/system once made libvirt run the local program
# logargs instead of ssh and skip the host key check.  libvirt itself
# parses what install.sh passes: here a stand-in ssh (first on PATH)
# records its arguments and fails, and logargs would leave a mark.  The
# host must reach ssh whole, and logargs must never run.
uri_host='h?no_verify=1&command=logargs&x='
"$py" - "$tmp/plan.json" "$tmp/urihost.json" "$uri_host" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
old = p["hosts"][0]["name"]
p["hosts"][0]["name"] = sys.argv[3]
for g in p["guests"]:
    if g["host"] == old:
        g["host"] = sys.argv[3]
json.dump(p, open(sys.argv[2], "w"))
PY
if "$bin/capplan" provision -o "$tmp/urihost" "$tmp/urihost.json" \
    >/dev/null 2>"$tmp/urihost.err"; then
	ok
else
	bad "provision of host '$uri_host' failed"; cat "$tmp/urihost.err"
fi
if command -v virt-install >/dev/null 2>&1 && [ -f "$tmp/urihost/install.sh" ]
then
	mkdir -p "$tmp/fakebin"
	printf '#!/bin/sh
touch "%s/PWNED-logargs"
exit 1
' "$tmp" \
	    >"$tmp/fakebin/logargs"
	printf '#!/bin/sh
printf "%%s\\n" "$@" >"%s/ssh.args"
exit 1
' \
	    "$tmp" >"$tmp/fakebin/ssh"
	chmod +x "$tmp/fakebin/logargs" "$tmp/fakebin/ssh"
	(cd "$tmp" && PATH=$tmp/fakebin:$PATH HOME=$tmp \
	    XDG_CACHE_HOME=$tmp/cache timeout 120 "$tmp/urihost/install.sh" \
	    "$uri_host" >"$tmp/urihost.vi" 2>&1)
	[ ! -e "$tmp/PWNED-logargs" ] && ok ||
	    bad "host '$uri_host': libvirt ran logargs from the URI"
	grep -qxF "root@$uri_host" "$tmp/ssh.args" 2>/dev/null ||
	    grep -qxF "$uri_host" "$tmp/ssh.args" 2>/dev/null && ok ||
	    { bad "host '$uri_host' did not reach ssh whole"
	      cat "$tmp/ssh.args" "$tmp/urihost.vi" 2>/dev/null | tail -12; }
	grep -q -e 'StrictHostKeyChecking' "$tmp/ssh.args" 2>/dev/null &&
	    bad "host '$uri_host': the host key check was turned off" || ok
else
	skipped "virt-install (virtinst) not installed: URI host not run"
fi

# refused names: nothing written, the name shown escaped
for name in 'new
line' 'a/b' '-rf' '.hidden' ''; do
	"$py" - "$tmp/plan.json" "$tmp/refused.json" "$name" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
old = p["guests"][0]["name"]
p["guests"][0]["name"] = sys.argv[3]
for h in p["hosts"]:
    h["guests"] = [sys.argv[3] if g == old else g for g in h["guests"]]
json.dump(p, open(sys.argv[2], "w"))
PY
	rm -rf "$tmp/refused"
	if "$bin/capplan" provision -o "$tmp/refused" "$tmp/refused.json" \
	    >/dev/null 2>"$tmp/refused.err"; then
		bad "name '$name' was not refused"
	else
		grep -q "guest name '.*' is refused" "$tmp/refused.err" &&
		    ! [ -e "$tmp/refused" ] && ok ||
		    { bad "name '$name': wrong refusal"; cat "$tmp/refused.err"; }
	fi
done

# storage: the planned size, rounded up, in place of DISK_GIB
S=tests/plan/storage
"$bin/capplan" plan -c $S/capplan.conf -i $S/inventory.csv \
	-o "$tmp/st.json" $F/profiles.csv $S/hosts.csv >/dev/null 2>&1 ||
	bad "storage plan failed"
"$bin/capplan" provision -o "$tmp/st" "$tmp/st.json" >/dev/null ||
	bad "storage provision failed"
DISK_GIB=7 DRY_RUN=1 bash "$tmp/st/install.sh" --empty-disks >"$tmp/st.dry" 2>&1
"$py" - "$tmp/st.json" "$tmp/st.dry" "$tmp/st/inventory.yml" <<'PY' &&
import json, math, re, sys
p = json.load(open(sys.argv[1]))
dry = [l for l in open(sys.argv[2]).read().splitlines()
       if l.startswith("virt-install ")]
inv = open(sys.argv[3]).read()
want = {g["name"]: math.ceil(g["storage_gib"]) for g in p["guests"]}
got = {re.search(r"--name=(\S+)", l).group(1):
       int(re.search(r"size=(\d+)", l).group(1)) for l in dry}
assert got == want, (got, want)
assert sorted(int(x) for x in re.findall(r"capplan_storage_gib: (\d+)",
                                         inv)) == sorted(want.values())
PY
	ok || bad "storage: the disk sizes are not the planned ones"
DISK_GIB=7 DRY_RUN=1 bash "$tmp/out-plan/install.sh" --empty-disks 2>&1 |
    grep -q 'size=7 ' &&
	ok || bad "no storage: DISK_GIB does not size the disks"

echo "provision: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
