#!/bin/sh
# install.sh - make install honours DESTDIR and PREFIX, and writes only
# there; make uninstall removes it all; every installed man page renders
# with man -l (groff, with warnings) and mandoc.
#
# What make install writes is checked in a mount namespace of its own
# (unshare, as root) where every file system but the source tree and this
# test's scratch folder is read-only: a write outside DESTDIR fails there
# with "Read-only file system", and nothing else the machine does at the
# same time counts.  (The check was "no file under /usr newer than a
# marker", which a Python process writing __pycache__ at the same moment
# failed.)  Where no namespace can be made, that check is skipped, not
# passed.  Then the staged files must be exactly what the Makefile lists
# (its programs, helper programs and man pages), under PREFIX.
name=install
. "$(dirname "$0")/lib.sh"
stage=$tmp/stage

# make install with everything read-only but $1 (the tree) and $2 (the
# scratch folder); the stage is $2/stage
install_confined() {
	unshare --mount sh -c '
		top=$1 tmp=$2
		mount --make-rprivate / &&
		mount --bind "$top" "$top" && mount --bind "$tmp" "$tmp" ||
			exit 99
		awk "{ print \$2 }" /proc/self/mounts | sort -u |
		while read -r m; do
			case $m in
			"$top"|"$tmp"|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*)
				continue ;;
			esac
			mount -o remount,bind,ro "$m" 2>/dev/null
		done
		touch /usr/.capplan-install-probe 2>/dev/null && exit 99
		exec env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" \
		    install DESTDIR="$tmp/stage" PREFIX=/usr
	' sh "$top" "$tmp"
}

install_confined >"$tmp/log" 2>&1; rc=$?
if [ $rc = 99 ] || { [ $rc != 0 ] && ! command -v unshare >/dev/null; }; then
	skipped "no mount namespace here (unshare needs root): writes" \
	    "outside DESTDIR not checked"
	rm -rf "$stage"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" install \
	    DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1; rc=$?
fi
if [ $rc != 0 ]; then
	bad "make install failed (a write outside DESTDIR fails as" \
	    "'Read-only file system'):"
	cat "$tmp/log"
	finish
	exit 1
fi
ok

# exactly the programs, helper programs and pages the Makefile lists,
# where PREFIX puts them
printf 'print-installed:\n\t@echo $(PROGRAMS:%%=usr/bin/%%) $(LIBEXEC_BINS:$(B)/%%=usr/libexec/capplan/%%)\n' |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" -f Makefile \
    -f - print-installed >"$tmp/programs" 2>&1 ||
    { bad "cannot ask the Makefile what it installs"; cat "$tmp/programs"; }
{
	tr ' ' '\n' <"$tmp/programs" | grep .
	for p in "$top"/man/*.[1-8]; do
		echo "usr/share/man/man${p##*.}/${p##*/}"
	done
} | sort >"$tmp/want"
(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) \
    >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" && ok ||
    { bad "installed files differ from the programs and man pages:"
      diff "$tmp/want" "$tmp/got" | sed 's/^/      /'; }
[ -x "$stage/usr/bin/capplan" ] && ok || bad "usr/bin/capplan not executable"

n=0
for p in "$stage"/usr/share/man/man*/*; do
	[ -f "$p" ] || continue
	n=$((n + 1))
	if ! mandoc -T lint -W warning "$p" >"$tmp/lint" 2>&1 ||
	    [ -s "$tmp/lint" ]; then
		bad "mandoc -T lint $p"; cat "$tmp/lint"
	fi
	if command -v man >/dev/null 2>&1; then
		# groff as man(1) runs it, every warning on (make lint too)
		MANWIDTH=80 man --warnings=w -l "$p" >"$tmp/page" \
		    2>"$tmp/err" </dev/null
		if [ ! -s "$tmp/page" ] || [ -s "$tmp/err" ]; then
			bad "man --warnings -l $p"; sed 's/^/      /' "$tmp/err"
		fi
		# quotes open and close in turn (a .Pq Ql list rendered
		# as "(`90, `15m, `7d''')" in groff and mandoc alike)
		"$py" - "$tmp/page" <<'PY' || bad "unbalanced quotes in $p"
import sys
text, depth, at = open(sys.argv[1], encoding="utf-8").read(), 0, 0
for i, c in enumerate(text):
    if c == "\u2018":
        if depth:
            print("      a second opening quote:", repr(text[at:i + 20]))
            sys.exit(1)
        depth, at = 1, i
    elif c == "\u2019" and depth:
        depth = 0
sys.exit(0)
PY
	fi
done
[ "$n" -ge 4 ] && ok || bad "only $n man pages installed"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" uninstall \
    DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1
left=$(find "$stage" -type f | head -5)
[ -z "$left" ] && ok || { bad "uninstall left files:"; echo "$left"; }
finish
