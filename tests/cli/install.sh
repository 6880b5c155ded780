#!/bin/sh
# install.sh - make install honours DESTDIR and PREFIX, and writes only
# there; make uninstall removes it all; every installed man page renders
# with man -l (groff) and mandoc.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
stage=$tmp/stage
marker=$tmp/marker
touch "$marker"
# install from a copy of the build flags: same tree, quiet
make -s -C "$top" install DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1 ||
	{ echo "FAIL  install: make install failed"; cat "$tmp/log"; exit 1; }
# nothing new where an install without DESTDIR would have written
outside=$(find /usr /etc /opt /bin /sbin /lib -xdev -newer "$marker" \
	\( -type f -o -type l \) 2>/dev/null | head -5)
if [ -n "$outside" ]; then
	echo "FAIL  install: files written outside DESTDIR:"; echo "$outside"
	fail=1
fi
[ -x "$stage/usr/bin/capplan" ] || { echo "FAIL  install: no usr/bin/capplan"; fail=1; }
n=0
for p in "$stage"/usr/share/man/man*/*; do
	[ -f "$p" ] || continue
	n=$((n + 1))
	if ! mandoc -T lint -W warning "$p" >"$tmp/lint" 2>&1 || [ -s "$tmp/lint" ]; then
		echo "FAIL  install: mandoc -T lint $p"; cat "$tmp/lint"; fail=1
	fi
	if command -v man >/dev/null 2>&1; then
		# groff's "can't break line" on wide table cells is typography,
		# not a broken page; anything else on stderr fails
		MANWIDTH=80 man -l "$p" >"$tmp/page" 2>"$tmp/err" </dev/null
		grep -v "warning.*can't break line" "$tmp/err" >"$tmp/err2"
		if [ ! -s "$tmp/page" ] || [ -s "$tmp/err2" ]; then
			echo "FAIL  install: man -l $p"; cat "$tmp/err2"; fail=1
		fi
	fi
done
[ "$n" -ge 4 ] || { echo "FAIL  install: only $n man pages installed"; fail=1; }
make -s -C "$top" uninstall DESTDIR="$stage" PREFIX=/usr >"$tmp/log" 2>&1
left=$(find "$stage" -type f | head -5)
[ -z "$left" ] || { echo "FAIL  install: uninstall left files:"; echo "$left"; fail=1; }
if [ $fail = 0 ]; then
	echo "ok    install: DESTDIR/PREFIX honoured, $n man pages render, uninstall clean"
fi
exit $fail
