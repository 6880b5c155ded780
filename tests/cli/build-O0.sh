#!/bin/sh
# build-O0.sh - a debug build links.  capplan-collect links common/ and
# no libm, and floor() is only inlined from -O1 up, so "make CFLAGS=-O0"
# failed to link it (floor in common/table.c and common/samples.c).
# Here capplan-collect is built at -O0 in a scratch folder (the objects
# of the tree are not touched) and must link, run, and call nothing from
# libm.  .ci/run builds everything once at -O0 as well.
name=build-O0
. "$(dirname "$0")/lib.sh"

command -v make >/dev/null 2>&1 || { skipped "no make"; finish; exit; }
# a build of its own: not the flags or jobs of a make that runs this
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 B="$tmp/O0" \
    CFLAGS='-O0 -g' "$tmp/O0/capplan-collect" >"$tmp/log" 2>&1 &&
    ok || { bad "capplan-collect does not link at -O0"; tail -5 "$tmp/log"; }
if [ -x "$tmp/O0/capplan-collect" ]; then
	"$tmp/O0/capplan-collect" -1 -i 60 -s 30 -R samples/proc/bare-2cpu \
	    >"$tmp/out" 2>"$tmp/err" && grep -q '^capplan-samples,1' \
	    "$tmp/out" && ok || bad "the -O0 collector failed: $(cat "$tmp/err")"
	u=$(nm -u "$tmp/O0/capplan-collect" 2>/dev/null |
	    grep -Ew '(floor|ceil|round|lround|llround|trunc|fmod|pow|sqrt|log|exp|fabs)[fl]?(@.*)?$')
	[ -z "$u" ] && ok || bad "the collector calls libm: $u"
fi
finish
