#!/bin/sh
# utf8.sh - text that is not UTF-8 is refused by the first reader, where
# it comes from a name rather than a cell (the CSV, JSON and INI readers
# are checked by the golden cases 147-149, 168, 216 and test_utf8):
#   - a samples file named with an overlong sequence ("srv\xc0\xae"),
#     read by inspect and by profile;
#   - PlanetLab traces whose file (the VM's name) is not UTF-8;
#   - capplan-collect on a tree whose host name is not UTF-8;
# each exits 1 with "not valid UTF-8" and writes nothing.  Before, such
# names went through, and plan.json turned each bad byte into U+FFFD, so
# two servers a byte apart became one name that provision and report
# refused.
name=utf8
. "$(dirname "$0")/lib.sh"

refused() {	# what, then the command: exit 1 and the message
	what=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc = 1 ] && grep -q 'not valid UTF-8' "$tmp/err" && ok ||
	    { bad "$what: exit $rc: $(cat "$tmp/err")"; }
}

# a samples file name
bad_name=$(printf 'srv\300\256')
printf 'capplan-samples,1\nts,interval_s,cpu_busy_pct\n2026-01-05T00:00:00Z,60,5\n' \
    >"$tmp/$bad_name.samples.csv"
refused "inspect of a file named srv\\xc0\\xae" \
    "$bin/capplan" inspect "$tmp/$bad_name.samples.csv"
refused "profile of a file named srv\\xc0\\xae" \
    "$bin/capplan" profile -o "$tmp/profiles.csv" "$tmp/$bad_name.samples.csv"
[ ! -e "$tmp/profiles.csv" ] && ok || bad "profile wrote profiles.csv"

# PlanetLab: the file's name is the VM's
mkdir -p "$tmp/pl/20110303"
for f in vm-a "$(printf 'vm-\377')"; do
	i=0
	while [ $i -lt 288 ]; do echo 7; i=$((i + 1)); done >"$tmp/pl/20110303/$f"
done
refused "import planetlab of a VM named vm-\\xff" \
    "$bin/capplan" import -o "$tmp/imp" planetlab "$tmp/pl/20110303"
[ ! -e "$tmp/imp" ] && ok || bad "import planetlab wrote $tmp/imp"

# the collector's host name, from the tree it reads
cp -R samples/proc/bare-2cpu "$tmp/tree"
find "$tmp/tree" -path '*/proc/sys/kernel/hostname' | while read -r h; do
	printf 'db\37701\n' >"$h"
done
refused "capplan-collect on a host named db\\xff01" \
    "$bin/capplan-collect" -1 -i 60 -s 30 -R "$tmp/tree" -o "$tmp/col"
grep -q 'proc/sys/kernel/hostname: not valid UTF-8: byte 3 (0xff)' \
    "$tmp/err" && ok || bad "capplan-collect: $(cat "$tmp/err")"
[ -z "$(ls "$tmp/col" 2>/dev/null | grep -v '^\.')" ] && ok ||
    bad "capplan-collect wrote $(ls "$tmp/col")"
finish
