#!/bin/sh
# output-targets.sh - every -o (and plan's -p) on what must not be
# replaced: a null device made here with mknod (root only, else skipped)
# and a FIFO.  capplan used to write PATH.tmp-XXXXXX and rename it over
# PATH whatever PATH was, so '-o /dev/null' as root turned the machine's
# null device into a regular file.  Each command must write straight to
# the device or FIFO, leave it what it was, and put nothing beside it
# (no report-charts folder, no temporary); the commands whose -o is a
# folder (import, provision, capplan-collect) refuse it.
name=output-targets
. "$(dirname "$0")/lib.sh"
F=tests/plan/fleet
S="samples/bitbrains/102.samples.csv samples/bitbrains/116.samples.csv"

"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv \
	-o "$tmp/plan.json" $F/profiles.csv $F/hosts.csv >/dev/null ||
	{ bad "plan failed"; exit 1; }

# the commands, each with @OUT@ where the target goes
cmds="profile -o @OUT@ $S
whatif -m edge-16 -o @OUT@ -p $F/profiles.csv $F/hosts.csv web1 web2
plan -c $F/capplan.conf -i $F/inventory.csv -o @OUT@ $F/profiles.csv $F/hosts.csv
plan -c $F/capplan.conf -i $F/inventory.csv -o $tmp/p.json -p @OUT@ $F/profiles.csv $F/hosts.csv
report -c $F/capplan.conf -i $F/inventory.csv -o @OUT@ $tmp/plan.json $F/hosts.csv
report -n -c $F/capplan.conf -i $F/inventory.csv -o @OUT@ $tmp/plan.json $F/hosts.csv
report -f csv -c $F/capplan.conf -i $F/inventory.csv -o @OUT@ $tmp/plan.json $F/hosts.csv"

# what is in the scratch folder d besides the target
others() { ls -A "$1" | grep -vx "$2"; }

if mkdir "$tmp/dev" && mknod "$tmp/dev/null" c 1 3 2>/dev/null; then
	echo "$cmds" | while IFS= read -r c; do
		args=$(echo "$c" | sed "s|@OUT@|$tmp/dev/null|")
		# shellcheck disable=SC2086
		"$bin/capplan" $args >"$tmp/out" 2>"$tmp/err" ||
		    { echo "FAIL  $name: capplan $args: exit $?"; cat "$tmp/err"; }
		st=$(stat -c '%F %t,%T' "$tmp/dev/null")
		[ "$st" = "character special file 1,3" ] ||
		    echo "FAIL  $name: capplan $args made the null device a $st"
		[ -z "$(others "$tmp/dev" null)" ] || echo "FAIL  $name: capplan" \
		    "$args left $(others "$tmp/dev" null) beside the device"
	done >"$tmp/null.log"
	[ -s "$tmp/null.log" ] && bad "$(cat "$tmp/null.log")" || ok
	# folders: refused, the device kept
	for c in "capplan import -o $tmp/dev/null planetlab samples/planetlab" \
	    "capplan provision -o $tmp/dev/null $tmp/plan.json" \
	    "capplan-collect -1 -r samples/proc/idle-4cpu -o $tmp/dev/null"; do
		# shellcheck disable=SC2086
		"$bin"/$c >/dev/null 2>"$tmp/err"; rc=$?
		[ $rc = 1 ] && grep -q 'Not a directory' "$tmp/err" &&
		    [ -c "$tmp/dev/null" ] && [ -z "$(others "$tmp/dev" null)" ] &&
		    ok || { bad "$c: exit $rc"; cat "$tmp/err"; }
	done
	# markdown's charts are files beside it: a device is misuse
	"$bin/capplan" report -f markdown -c $F/capplan.conf -o "$tmp/dev/null" \
	    "$tmp/plan.json" $F/hosts.csv >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc = 2 ] && grep -q 'markdown needs -o file' "$tmp/err" && ok ||
	    bad "report -f markdown -o device: exit $rc"
else
	skipped "mknod needs root: no null device of our own"
fi

# a FIFO: a reader gets the whole output, and the FIFO stays one
mkfifo "$tmp/fifo" || { bad "mkfifo"; exit 1; }
n=0
echo "$cmds" | while IFS= read -r c; do
	n=$((n + 1))
	args=$(echo "$c" | sed "s|@OUT@|$tmp/fifo|")
	timeout 150 cat "$tmp/fifo" >"$tmp/got.$n" &
	reader=$!
	# shellcheck disable=SC2086
	timeout 120 "$bin/capplan" $args >/dev/null 2>"$tmp/err" ||
	    { echo "capplan $args: exit $?"; cat "$tmp/err"; kill $reader; }
	wait $reader
	[ -p "$tmp/fifo" ] || { echo "capplan $args replaced the FIFO"; exit; }
	[ -s "$tmp/got.$n" ] || echo "capplan $args: nothing came through"
done >"$tmp/fifo.log"
[ -s "$tmp/fifo.log" ] && bad "$(cat "$tmp/fifo.log")" || ok
# what came through is what a file gets (the plan, byte for byte)
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv -o "$tmp/plan2.json" \
	$F/profiles.csv $F/hosts.csv >/dev/null
cmp -s "$tmp/got.3" "$tmp/plan2.json" && ok ||
    bad "the plan through a FIFO differs from the plan in a file"
[ -z "$(ls -A "$tmp" | grep -E '\.tmp-|-charts$')" ] && ok ||
    bad "left behind: $(ls -A "$tmp" | grep -E '\.tmp-|-charts$')"

# /dev/fd/1 (as /dev/stdout; not that name, which a broken build
# would replace) on a pipe, and ">>" kept by it on a file (the
# plan comes first, then plan's summary on stdout)
size=$(wc -c <"$tmp/plan2.json")
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv -o /dev/fd/1 \
	$F/profiles.csv $F/hosts.csv 2>/dev/null | head -c "$size" |
	cmp -s - "$tmp/plan2.json" && ok || bad "-o /dev/fd/1 on a pipe"
echo first >"$tmp/append"
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv -o /dev/fd/1 \
	$F/profiles.csv $F/hosts.csv >>"$tmp/append" 2>/dev/null
[ "$(head -1 "$tmp/append")" = first ] &&
    tail -n +2 "$tmp/append" | head -c "$size" | cmp -s - "$tmp/plan2.json" &&
    ok || bad "-o /dev/fd/1 >> file did not append"

# a directory is refused by name
mkdir "$tmp/dir"
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv -o "$tmp/dir" \
	$F/profiles.csv $F/hosts.csv >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "dir': it is a directory" "$tmp/err" && ok ||
    { bad "-o a directory: exit $rc"; cat "$tmp/err"; }
finish
