#!/bin/sh
# provision-rerun.sh - install.sh run again, against libvirt's test
# driver (no daemon), with a host map, waves, disk sizes, the memory
# floor and names Ansible would take for addresses.
#
# The plan of tests/golden/511-pass-report-waves-csv (five waves) is
# provisioned with a host map (host-001 -> kvm-a.example.org with an
# ansible_host, licensed -> "15") and the inventory of golden 510 (disk
# sizes, two missing).  A test-driver file (test:///<file>) stands for a
# host on which app1 and app2 exist already and every image but batch2's
# is a volume of a pool.  Then:
#   - wave 2: app1 and app2 are skipped and said so, batch1 is created;
#   - wave 3: batch2 has no image: an error naming it, exit 1, the others
#     created; with --empty-disks all three, exit 0;
#   - a host that is not in the plan is refused (exit 2); a host by its
#     real name runs that host's guests only; a wave that does not exist
#     is refused;
#   - --force destroys and undefines an existing guest before creating it
#     (virsh and virt-install stand-ins record the order);
#   - DRY_RUN=1 prints the checks and the commands and runs nothing;
#   - a new disk is the server's disk_gib, rounded up;
#   - ansible-inventory reads the hosts by their real names with
#     ansible_host, one group per wave, and a guest named "15" under a
#     safe key with its name in capplan_name;
#   - a guest planned with 256 MiB gets 512 (the floor), or 256 with -M;
#   - the inventory's network columns: app1 on libvirt network "default"
#     with its MAC kept, app2 on an Open vSwitch bridge with VLAN 20,
#     batch1 on bridge br-b: the domain XML validates and says so, and
#     virt-install creates all three on the test driver.
# CAPPLAN_BIN is the directory holding capplan (default build/std).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-rerun.XXXXXX") || exit 1
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  provision-rerun: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP  provision-rerun: $*"; }
check() {	# check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
G=$top/tests/golden

cp "$G/511-pass-report-waves-csv/plan.json" "$tmp/plan.json"
cp "$G/510-pass-plan-waves/inventory.csv" "$tmp/inventory.csv"
cd "$tmp" || exit 1
printf 'capplan-hostmap,1\nhost,name,ansible_host,uri\n%s\n%s\n' \
    'host-001,kvm-a.example.org,10.0.0.11,' 'licensed,15,10.0.0.12,' \
    >map.csv
if "$bin/capplan" provision -m map.csv -i inventory.csv -d /capplan-pool \
    -o out plan.json >prov.out 2>prov.err; then ok; else
	bad "provision failed: $(cat prov.err)"; exit 1; fi
check "no warning of the 2 guests without a disk size" \
    grep -q '2 of 12 guests have no disk size in the inventory' prov.err
check "no warning of the unmapped spare" \
    grep -q '1 of 3 hosts are not in the host map' prov.err
check "install.sh: bash -n" bash -n out/install.sh
# db1 has disk_gib 90 in the inventory: its empty disk is 90 GiB
check "db1's new disk is not its inventory size" \
    grep -q "^	'db1' '/capplan-pool/db1.qcow2' .* 90 \\\\\$" out/install.sh

# a host: app1, app2 defined; every image but batch2's in a pool
"$py" - plan.json node.xml <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
x = ["<node>"]
for n in ("app1", "app2"):
    x.append("<domain type='test'><name>%s</name><memory>1048576</memory>"
             "<os><type>hvm</type></os></domain>" % n)
x.append("<pool type='dir'><name>capplan-pool</name><uuid>"
         "35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid><capacity>1000000000000"
         "</capacity><allocation>0</allocation><available>1000000000000"
         "</available><source/><target><path>/capplan-pool</path></target>")
for g in p["guests"]:
    if g["name"] != "batch2":
        x.append("<volume type='file'><name>%s.qcow2</name><capacity>1000000"
                 "</capacity><allocation>1000</allocation><target><path>"
                 "/capplan-pool/%s.qcow2</path></target></volume>"
                 % (g["name"], g["name"]))
x.append("</pool></node>")
open(sys.argv[2], "w").write("\n".join(x) + "\n")
PY
inst() {	# inst LOG ARGS...: install.sh against the test driver; $rc
	log=$1
	shift
	HOME=$tmp XDG_CACHE_HOME=$tmp/cache URI="test://$tmp/node.xml" \
	    VIRT_TYPE=test ARCH=i686 timeout 300 out/install.sh "$@" \
	    >"$log" 2>&1
	rc=$?
}

if command -v virt-install >/dev/null 2>&1 && command -v virsh >/dev/null 2>&1
then
	inst w2.log --wave 2
	check "wave 2 exited $rc" [ "$rc" -eq 0 ]
	check "wave 2: app1 not said skipped" grep -qF \
	    'install.sh: app1 exists on 15: skipped (--force recreates it)' w2.log
	check "wave 2: app2 not said skipped" grep -qF 'app2 exists on 15' w2.log
	check "wave 2: not 1 created, 2 skipped" grep -qF \
	    'install.sh: 1 created, 2 skipped (existing), 0 failed' w2.log
	inst w3.log --wave 3
	check "wave 3 with an image missing exited $rc, not 1" [ "$rc" -eq 1 ]
	check "wave 3: the missing image of batch2 not named" grep -qF \
	    'batch2: no disk image /capplan-pool/batch2.qcow2 on kvm-a.example.org' \
	    w3.log
	check "wave 3: not 2 created, 1 failed" grep -qF \
	    '2 created, 0 skipped (existing), 1 failed' w3.log
	inst w3e.log --empty-disks --wave 3
	check "wave 3 --empty-disks exited $rc" [ "$rc" -eq 0 ]
	check "wave 3 --empty-disks: not 3 created" grep -qF \
	    '3 created, 0 skipped (existing), 0 failed' w3e.log
	inst real.log --empty-disks kvm-a.example.org
	n=$(grep -c 'Domain creation completed' real.log)
	check "host by its real name: $n guests, not host-001's 5" [ "$n" -eq 5 ]
else
	skipped "virt-install or virsh not installed: no run against the test driver"
fi
inst nohost.log nohost
check "a host not in the plan: exit $rc, not 2" [ "$rc" -eq 2 ]
check "a host not in the plan: not said" grep -qF \
    "install.sh: 'nohost' is not a host of the plan" nohost.log
inst nowave.log --wave 6
check "wave 6 of 5: exit $rc, not 2" [ "$rc" -eq 2 ]

# --force and DRY_RUN with stand-ins that record what runs
mkdir fake
cat >fake/virsh <<'SH'
#!/bin/sh
echo "virsh $*" >>"$LOG"
case $* in *dominfo\ app1*) exit 0 ;; *dominfo*) exit 1 ;; esac
exit 0
SH
cat >fake/virt-install <<'SH'
#!/bin/sh
echo "virt-install $*" >>"$LOG"
SH
chmod +x fake/virsh fake/virt-install
LOG=$tmp/force.log PATH=$tmp/fake:$PATH out/install.sh --force --wave 2 \
    >force.out 2>&1
rc=$?
check "--force exited $rc" [ "$rc" -eq 0 ]
"$py" - force.log <<'PY' && ok || bad "--force: app1 not destroyed, undefined, then created"
import sys
lines = open(sys.argv[1]).read().splitlines()
i = [n for n, l in enumerate(lines) if "destroy app1" in l]
j = [n for n, l in enumerate(lines) if "undefine app1" in l]
k = [n for n, l in enumerate(lines) if l.startswith("virt-install") and
     "--name=app1" in l]
sys.exit(not (i and j and k and i[0] < j[0] < k[0]))
PY
: >dry.log
LOG=$tmp/dry.log DRY_RUN=1 PATH=$tmp/fake:$PATH out/install.sh --wave 2 \
    >dry.out 2>&1
check "DRY_RUN ran a command: $(cat dry.log)" [ ! -s dry.log ]
check "DRY_RUN: not 3 virt-install lines" \
    [ "$(grep -c '^virt-install ' dry.out)" -eq 3 ]
check "DRY_RUN: the checks not printed" \
    [ "$(grep -c '^virsh .* dominfo ' dry.out)" -eq 3 ]

# the inventory, read by Ansible
"$py" - plan.json renamed.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
for g in p["guests"]:
    if g["name"] == "web1":
        g["name"] = "15"
        g["mem_mib"] = 256
for h in p["hosts"]:
    h["guests"] = sorted("15" if x == "web1" else x for x in h["guests"])
for w in p["migration"]["waves"]:
    w["guests"] = ["15" if x == "web1" else x for x in w["guests"]]
json.dump(p, open(sys.argv[2], "w"))
PY
"$bin/capplan" provision -m map.csv -o out15 renamed.json >/dev/null \
    2>out15.err
check "the 256 MiB guest not raised with a warning" grep -q \
    '1 guests planned with less than 512 MiB get 512 MiB' out15.err
check "the 256 MiB guest's domain not 512 MiB" grep -q \
    "<memory unit='MiB'>512</memory>" out15/domains/15.xml
"$bin/capplan" provision -M 128 -o out128 renamed.json >/dev/null 2>&1
check "-M 128: the guest not 256 MiB" grep -q \
    "<memory unit='MiB'>256</memory>" out128/domains/15.xml
if command -v ansible-inventory >/dev/null 2>&1; then
	HOME=$tmp ANSIBLE_LOCALHOST_WARNING=0 \
	    ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ansible-inventory \
	    -i out15/inventory.yml --list >inv.json 2>inv.err
	check "ansible-inventory failed: $(cat inv.err)" [ -s inv.json ]
	"$py" - inv.json <<'PY' && ok || bad "the inventory as Ansible reads it"
import json, sys
inv = json.load(open(sys.argv[1]))
hv = inv["_meta"]["hostvars"]
def v(x):
    return x["__ansible_unsafe"] if isinstance(x, dict) else x
assert "15" not in hv, "a key Ansible reads as an address"
assert [k for k, h in hv.items() if v(h.get("capplan_name")) == "15"
        and "capplan_vcpus" in h], "guest 15 lost"
assert [k for k, h in hv.items() if v(h.get("capplan_host_name")) == "15"], \
    "host 15 lost"
a = hv["kvm-a.example.org"]
assert v(a["ansible_host"]) == "10.0.0.11", a
assert v(a["capplan_name"]) == "host-001", a
assert "spare-1" in hv
for n in range(1, 6):
    assert "capplan_wave_%d" % n in inv["all"]["children"], n
w2 = inv["capplan_wave_2"]["hosts"]
assert "app1" in w2 and "batch1" in w2 and len(w2) == 3, w2
assert "kvm-a.example.org" in inv["capplan_wave_2_hosts"]["hosts"]
PY
else
	skipped "ansible-inventory (ansible-core) not installed"
fi

# networks from the inventory
"$py" - inventory.csv inv-net.csv <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
hdr = rows[1].split(",")
out = [rows[0], rows[1] + ",net_bridge,net_network,net_vlan,net_mac"]
ext = {"app1": ",,default,,52:54:00:AA:bb:01", "app2": ",br-app,,20,",
       "batch1": ",br-b,,,52:54:00:00:00:02"}
for r in rows[2:]:
    c = r.split(",")
    if c[hdr.index("disk_gib")]:
        c[hdr.index("disk_gib")] = "1"	# the test pool holds 100 GiB
    out.append(",".join(c) + ext.get(c[0], ",,,,"))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
"$bin/capplan" provision -i inv-net.csv -o onet plan.json >/dev/null 2>&1 ||
    bad "provision with network columns failed"
if command -v xmllint >/dev/null 2>&1; then
	x() { xmllint --xpath "$1" "onet/domains/$2.xml" 2>/dev/null; }
	check "app1 not on network default" 	    [ "$(x 'string(//interface/source/@network)' app1)" = default ]
	check "app1's MAC not kept" 	    [ "$(x 'string(//interface/mac/@address)' app1)" = 52:54:00:AA:bb:01 ]
	check "app2 not VLAN 20" 	    [ "$(x 'string(//interface/vlan/tag/@id)' app2)" = 20 ]
	check "app2 not on Open vSwitch" 	    [ "$(x 'string(//interface/virtualport/@type)' app2)" = openvswitch ]
	check "batch1 not on br-b" 	    [ "$(x 'string(//interface/source/@bridge)' batch1)" = br-b ]
	check "web1 not on -b's br0" 	    [ "$(x 'string(//interface/source/@bridge)' web1)" = br0 ]
fi
if command -v virt-xml-validate >/dev/null 2>&1; then
	for g in app1 app2 batch1; do
		virt-xml-validate "onet/domains/$g.xml" domain >/dev/null 2>&1 &&
		    ok || bad "onet/domains/$g.xml does not validate"
	done
fi
if command -v virt-install >/dev/null 2>&1; then
	HOME=$tmp XDG_CACHE_HOME=$tmp/cache URI=test:///default \
	    VIRT_TYPE=test ARCH=i686 timeout 300 onet/install.sh \
	    --empty-disks --wave 2 >net.log 2>&1
	check "networks: virt-install did not create 3: $(grep ERROR net.log)" \
	    grep -qF '3 created, 0 skipped (existing), 0 failed' net.log
fi

echo "provision-rerun: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
