#!/bin/sh
# df.sh - capplan-collect's disk_used_gib on this machine against
# coreutils' df: the used bytes of every disk file system, each device
# once (ext2/3/4, xfs, btrfs, ... on a /dev/ device other than a loop
# device, or zfs), summed from "df -B1" and rounded to 0.1 GiB, as the
# collector's inventory writes it.  Files being written meanwhile may move
# the figure: within 0.2 GiB passes.  With no such file system (a
# container on overlayfs), the field must be empty.  (A mount point
# with a blank, \040 in /proc/self/mounts, is in tests/unit/test_probe.c
# and the fake trees: loop devices, all a test could mount here, are not
# disks.)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-df.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL  collector df: $*"
	exit 1
}

# used_gib: the collector's figure from a one-shot inventory
used_gib() {
	rm -rf "$tmp/out"
	"$bin/capplan-collect" --once -o "$tmp/out" >/dev/null 2>"$tmp/err" ||
		fail "capplan-collect --once exited $?: $(cat "$tmp/err")"
	awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "disk_used_gib") c = i }
		NR == 3 { print $c }' "$tmp/out/inventory.csv"
}

# df_gib: the same from df, or empty with no disk file system
df_gib() {
	LC_ALL=C df -B1 --output=source,fstype,used 2>/dev/null | awk '
		NR == 1 { next }
		$2 ~ /^(ext[234]|xfs|btrfs|f2fs|jfs|reiserfs|nilfs2|bcachefs|vfat|exfat|ntfs3?|hfsplus|ufs)$/ &&
		    $1 ~ /^\/dev\// && $1 !~ /^\/dev\/loop/ || $2 == "zfs" {
			if (!seen[$1]++) { sum += $3; n++ } }
		END { if (n) printf "%.1f\n", int(sum / 1073741824 * 10 + 0.5) / 10 }'
}

check() {	# what
	got=$(used_gib)
	want=$(df_gib)
	if [ -z "$want" ]; then
		[ -z "$got" ] || fail "$1: no disk file system, but disk_used_gib $got"
		echo "ok    collector df: $1: no disk file system, disk_used_gib empty"
		return
	fi
	[ -n "$got" ] || fail "$1: df says $want GiB used, disk_used_gib is empty"
	awk -v g="$got" -v w="$want" 'BEGIN { exit !(g - w <= 0.2 && w - g <= 0.2) }' ||
		fail "$1: disk_used_gib $got, df $want GiB"
	echo "ok    collector df: $1: disk_used_gib $got GiB, df $want GiB"
}

check "this machine"

