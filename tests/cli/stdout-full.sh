#!/bin/sh
# stdout-full.sh - every command whose result goes to standard output,
# with standard output on /dev/full: the output is lost, so the command
# must say so once ("write failure on standard output", or its own
# "cannot write") and exit 1, never 0. Warnings about the data (profile's
# sizing warnings) go to standard error too and are not counted.
# capplan.c flushes and closes stdout once after any command (git's
# run_builtin); before that 'capplan inspect FILE >/dev/full' exited 0.
name=stdout-full
. "$(dirname "$0")/lib.sh"
F=tests/plan/fleet
S="samples/bitbrains/102.samples.csv samples/bitbrains/116.samples.csv"

[ -w /dev/full ] || { skipped "no /dev/full"; finish; exit; }
"$bin/capplan" plan -c $F/capplan.conf -i $F/inventory.csv \
	-o "$tmp/plan.json" $F/profiles.csv $F/hosts.csv >/dev/null ||
	{ bad "plan failed"; finish; exit 1; }
"$bin/capplan-collect" -1 -i 60 -s 30 -R samples/proc/bare-2cpu \
	-o "$tmp/collect" || { bad "capplan-collect failed"; finish; exit 1; }

# one command a line; @TMP@ is a fresh scratch folder
cmds="--help
--version
help
help plan
inspect -h
plan -h
inspect $S
inspect --json $F/hosts.csv
profile $S
whatif -m edge-16 -p $F/profiles.csv $F/hosts.csv web1 web2
plan -c $F/capplan.conf -i $F/inventory.csv $F/profiles.csv $F/hosts.csv
plan -c $F/capplan.conf -i $F/inventory.csv -o @TMP@/p.json $F/profiles.csv $F/hosts.csv
provision -o @TMP@/prov $tmp/plan.json
report -f csv -c $F/capplan.conf -i $F/inventory.csv $tmp/plan.json $F/hosts.csv
import -o @TMP@/imp collect $tmp/collect"

n=0
echo "$cmds" | while IFS= read -r c; do
	n=$((n + 1))
	mkdir "$tmp/$n"
	args=$(echo "$c" | sed "s|@TMP@|$tmp/$n|g")
	# shellcheck disable=SC2086
	"$bin/capplan" $args >/dev/full 2>"$tmp/err"; rc=$?
	if [ $rc != 1 ] ||
	    [ "$(grep -v ': warning: ' "$tmp/err" | grep -c .)" != 1 ] ||
	    ! grep -Eq 'write failure on standard output|cannot write' \
	    "$tmp/err"; then
		echo "capplan $args >/dev/full: exit $rc: $(tail -n 1 "$tmp/err")"
	fi
done >"$tmp/log"
[ -s "$tmp/log" ] && bad "$(cat "$tmp/log")" || ok

# the same commands still exit 0 on a working stdout (spot check)
"$bin/capplan" inspect $S >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
    ok || bad "inspect to /dev/null failed"
finish
