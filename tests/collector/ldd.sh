#!/bin/sh
# ldd.sh - capplan-collect links the C library and nothing else (libcsv
# statically, no libm: collector/module.mk): no GSL, libvirt or jansson
# may reach the servers being measured (STYLE §2).
# Reads the program's NEEDED entries with ldd and fails on any library
# outside the allowed list, naming it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
prog=$bin/capplan-collect
if [ ! -x "$prog" ]; then
	echo "FAIL  collector ldd: no program at $prog (run make first)"
	exit 1
fi
libs=$(ldd "$prog" | awk '{ print $1 }' | sed 's,.*/,,')
bad=
for l in $libs; do
	case $l in
	linux-vdso.so.*|ld-linux*.so.*|libc.so.*|libm.so.*|libcsv.so.*) ;;
	# the sanitisers' runtimes, with SANITIZE=1
	libasan.so.*|libubsan.so.*|libstdc++.so.*|libgcc_s.so.*|libdl.so.*|libpthread.so.*|librt.so.*) ;;
	*) bad="$bad $l" ;;
	esac
done
case "$libs" in
*gsl*|*virt*|*jansson*) bad="$bad (gsl, libvirt or jansson)" ;;
esac
if [ -n "$bad" ]; then
	echo "FAIL  collector ldd: capplan-collect links$bad"
	ldd "$prog" | sed 's/^/      /'
	exit 1
fi
echo "ok    collector ldd: capplan-collect links only $(echo $libs | tr '\n' ' ')"
