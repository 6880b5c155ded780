#!/bin/sh
# deb.sh - the Debian package of capplan-collect (scripts/make-deb, what
# make deb runs), built from the program under test and checked:
#   - dpkg-deb reads it: package, version, the machine's architecture,
#     Depends on libc6 only, root-owned files;
#   - it holds the program, its man page, its unit and its copyright, and
#     md5sums that match;
#   - the packaged program runs (--once) and links the C library only,
#     and capplan inspect accepts what it writes;
#   - the packaged unit starts /usr/bin/capplan-collect and passes
#     systemd-analyze verify (with ExecStart pointed at the extracted
#     program, as tests/collector/unpriv.sh does) where systemd-analyze
#     is installed;
#   - the maintainer scripts pass sh -n, and with stand-ins for
#     deb-systemd-helper, deb-systemd-invoke and systemctl on PATH the
#     postinst enables the unit on a new installation, prerm and postrm
#     do what debhelper's would (nothing on this machine is changed:
#     /run/systemd/system does not exist here, so nothing is started);
#   - two builds of the same tree give the same bytes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-deb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  deb: $*"; }
check() { d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

if ! command -v dpkg-deb >/dev/null 2>&1; then
	echo "SKIP  deb: no dpkg-deb"
	exit 0
fi
version=$(sed -n 's/^VERSION = //p' "$top/Makefile")
deb=$(sh "$top/scripts/make-deb" "$bin/capplan-collect" "$version" \
    "$tmp/a" 2>"$tmp/err") || { bad "make-deb failed: $(cat "$tmp/err")"; exit 1; }
arch=$(dpkg --print-architecture)
check "the package's name" [ "$deb" = "$tmp/a/capplan-collect_$version-1_$arch.deb" ]
field() { dpkg-deb --field "$deb" "$1"; }
check "Package" [ "$(field Package)" = capplan-collect ]
check "Version" [ "$(field Version)" = "$version-1" ]
check "Architecture" [ "$(field Architecture)" = "$arch" ]
dep=$(field Depends)
check "Depends on libc6 only ($dep)" \
	sh -c "echo '$dep' | grep -Eqx 'libc6 \(>= 2\.[0-9]+\)'"
dpkg-deb --contents "$deb" >"$tmp/contents"
for f in ./usr/bin/capplan-collect ./lib/systemd/system/capplan-collect.service \
    ./usr/share/man/man8/capplan-collect.8.gz \
    ./usr/share/doc/capplan-collect/copyright \
    ./usr/share/doc/capplan-collect/changelog.Debian.gz; do
	check "holds $f" grep -q " $f\$" "$tmp/contents"
done
check "every file is root's" [ -z "$(awk '$2 != "root/root"' "$tmp/contents")" ]
check "the program is executable" grep -q '^-rwxr-xr-x .* ./usr/bin/capplan-collect$' \
	"$tmp/contents"

mkdir "$tmp/root" "$tmp/ctl"
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/ctl"
check "md5sums match" sh -c "cd '$tmp/root' && md5sum --quiet -c '$tmp/ctl/md5sums'"
prog=$tmp/root/usr/bin/capplan-collect
check "the packaged program runs" sh -c "'$prog' --once --interval 1 \
	--output '$tmp/out' >/dev/null 2>'$tmp/run.err'"
check "capplan inspect accepts its files" sh -c "'$bin/capplan' inspect \
	'$tmp'/out/*.csv >/dev/null"
if command -v ldd >/dev/null 2>&1; then
	# a sanitised build (make check SANITIZE=1) brings its runtimes, as
	# ldd.sh allows; the package of a release is made from the plain one
	san="-e linux-vdso"
	ldd "$prog" | grep -q libasan &&
		san="-e libasan -e libubsan -e libstdc++ -e libgcc_s -e libm\.so"
	check "it links the C library only" sh -c "ldd '$prog' | grep -v \
		-e linux-vdso -e 'libc\.so' -e 'ld-linux' $san | grep -q . && exit 1 || exit 0"
fi
check "man -l reads the man page" sh -c "MANWIDTH=80 man -l \
	'$tmp/root/usr/share/man/man8/capplan-collect.8.gz' 2>&1 | grep -q 'capplan-collect'"

unit=$tmp/root/lib/systemd/system/capplan-collect.service
check "the unit starts /usr/bin/capplan-collect" \
	grep -q '^ExecStart=/usr/bin/capplan-collect ' "$unit"
check "the unit is enabled by multi-user.target" \
	grep -qx 'WantedBy=multi-user.target' "$unit"
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/bin/capplan-collect|$prog|" "$unit" \
	    >"$tmp/capplan-collect.service"
	systemd-analyze verify --man=no "$tmp/capplan-collect.service" \
	    >"$tmp/verify" 2>&1
	check "systemd-analyze verify: $(cat "$tmp/verify")" [ $? = 0 ]
else
	echo "SKIP  deb: no systemd-analyze: the unit is not verified"
fi

# the maintainer scripts, with stand-ins that log what they are asked
for s in postinst prerm postrm; do
	check "$s: sh -n" sh -n "$tmp/ctl/$s"
done
mkdir "$tmp/fake"
for t in deb-systemd-helper deb-systemd-invoke systemctl; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$t" "$tmp" \
	    >"$tmp/fake/$t"
	chmod +x "$tmp/fake/$t"
done
PATH=$tmp/fake:$PATH sh "$tmp/ctl/postinst" configure >/dev/null 2>&1
check "postinst configure: exit 0" [ $? = 0 ]
check "postinst on a new installation enables the unit ($(tr '\n' ';' <"$tmp/calls"))" \
	grep -qx 'deb-systemd-helper enable capplan-collect.service' "$tmp/calls"
: >"$tmp/calls"
PATH=$tmp/fake:$PATH sh "$tmp/ctl/postrm" remove >/dev/null 2>&1
check "postrm remove masks the unit" \
	grep -qx 'deb-systemd-helper mask capplan-collect.service' "$tmp/calls"

# reproducible: the same tree, the same package
deb2=$(sh "$top/scripts/make-deb" "$bin/capplan-collect" "$version" "$tmp/b")
check "two builds give the same bytes" cmp -s "$deb" "$deb2"

echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
