#!/bin/sh
# unpriv.sh - capplan-collect runs unprivileged, and its systemd unit is
# valid and tight.
#   - as user nobody (setpriv, with no groups and no capabilities) it
#     writes an inventory and a row with CPU, memory, disk and network
#     cells into a directory that user owns, and exits 0;
#   - systemd-analyze verify accepts collector/capplan-collect.service,
#     and its offline security exposure is at most 2.0 ("OK").
# Parts that cannot run here (not root, no setpriv, no systemd-analyze)
# are skipped and said so.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-unpriv.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
done_=
skipped=

fail() {
	echo "FAIL  collector unpriv: $*"
	exit 1
}

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$tmp"
	mkdir "$tmp/out" && chown nobody "$tmp/out"
	cp "$bin/capplan-collect" "$tmp/" && chmod 755 "$tmp/capplan-collect"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all \
		"$tmp/capplan-collect" --once --interval 2 --sub-interval 1 \
		--per-device --output "$tmp/out" 2>"$tmp/err" ||
		fail "as nobody: exit $?: $(cat "$tmp/err")"
	f=$(ls "$tmp"/out/samples-*.csv)
	# cpu_busy_pct, mem_used_mib, disk_read_iops and net_rx_kibps
	awk -F, 'FNR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
		FNR == 3 { if ($c["cpu_busy_pct"] == "" || $c["mem_used_mib"] == "" ||
		    $c["ncpu_online"] == "") exit 1 }' "$f" ||
		fail "as nobody: empty cells in $(sed -n 3p "$f")"
	[ "$(stat -c %U "$f")" = nobody ] || fail "the file is not nobody's"
	"$bin/capplan" inspect "$f" "$tmp/out/inventory.csv" >/dev/null ||
		fail "capplan inspect refused what nobody wrote"
	done_="runs as nobody"
else
	skipped="not root or no setpriv: unprivileged run not tried"
fi

unit=$top/collector/capplan-collect.service
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/local/bin/capplan-collect|$bin/capplan-collect|" "$unit" \
		>"$tmp/capplan-collect.service"
	systemd-analyze verify --man=no "$tmp/capplan-collect.service" \
		>"$tmp/verify" 2>&1 || fail "systemd-analyze verify: $(cat "$tmp/verify")"
	exp=$(systemd-analyze security --offline=true \
		"$tmp/capplan-collect.service" 2>/dev/null |
		awk '/Overall exposure level/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) print $i }')
	if [ -n "$exp" ]; then
		awk -v e="$exp" 'BEGIN { exit !(e <= 2.0) }' ||
			fail "the unit's exposure is $exp (more than 2.0)"
		done_="$done_${done_:+, }unit valid, exposure $exp"
	else
		done_="$done_${done_:+, }unit valid"
	fi
else
	skipped="$skipped${skipped:+; }no systemd-analyze: unit not checked"
fi
echo "ok    collector unpriv: $done_${skipped:+ (skipped: $skipped)}"
