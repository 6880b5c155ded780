#!/bin/sh
# profile-vs-awk.sh - capplan profile's hour-of-day profile against an
# independent computation: awk over the same samples file.
#
# For a PlanetLab sample server (CPU) and a Bitbrains one (CPU and
# memory; its times are not on the hour and it has gaps), awk groups the
# samples by the hour of their timestamp (characters 12-13 of the RFC 3339
# UTC time), sorts each hour's values and takes the 95th percentile by
# Hyndman and Fan's type 7 (linear between order statistics at 0.95 (n-1)),
# and scales CPU by the cpu_rating capplan reports (1 CU for the PlanetLab
# server, from the inventory).  Every slot must agree to 1e-9.  The
# PlanetLab CU and the Bitbrains MiB values are exact in the decimals
# capplan writes (6 and 3), so the comparison is of the computation, not
# of rounding.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-pvawk.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# awk: "slot value" lines for column $2 of samples file $1, times $3
awk_slots() {
	awk -F, -v col="$2" -v scale="$3" '
	NR == 2 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
	NR > 2 && $c != "" {
		h = substr($1, 12, 2) + 0
		n[h]++
		v[h, n[h]] = $c + 0
	}
	END {
		for (h = 0; h < 24; h++) {
			if (n[h] == 0) { printf "%d NaN\n", h; continue }
			for (i = 2; i <= n[h]; i++) {
				x = v[h, i]
				for (j = i - 1; j >= 1 && v[h, j] > x; j--)
					v[h, j + 1] = v[h, j]
				v[h, j + 1] = x
			}
			p = 0.95 * (n[h] - 1)
			lo = int(p) + 1
			q = v[h, lo]
			if (lo < n[h])
				q += (p - int(p)) * (v[h, lo + 1] - v[h, lo])
			printf "%d %.12f\n", h, q * scale
		}
	}' "$1"
}

# capplan: "slot value" lines of resource $3 of host $2 in profiles $1
capplan_slots() {
	awk -F, -v host="$2" -v res="$3" '
	NR == 2 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	NR > 2 && $1 == host {
		for (h = 0; h < 24; h++) {
			x = $(col[sprintf("%s_h%02d", res, h)])
			printf "%d %s\n", h, x == "" ? "NaN" : x
		}
	}' "$1"
}

rating() {
	awk -F, -v host="$2" 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "cpu_rating") c = i }
	    NR > 2 && $1 == host { print $c }' "$1"
}

check() {	# $1 label, $2 samples, $3 column, $4 scale, $5 profiles, $6 host, $7 resource
	awk_slots "$2" "$3" "$4" >"$tmp/awk"
	capplan_slots "$5" "$6" "$7" >"$tmp/capplan"
	if [ "$(wc -l <"$tmp/capplan")" -ne 24 ]; then
		echo "FAIL  profile-vs-awk $1: capplan gave no 24 slots for '$6'"
		fail=1
		return
	fi
	if ! paste -d ' ' "$tmp/awk" "$tmp/capplan" | awk -v lbl="$1" '
	    { if ($2 == "NaN" || $4 == "NaN") { if ($2 != $4) bad = 1 }
	      else if ($2 - $4 > 1e-9 || $4 - $2 > 1e-9) bad = 1
	      if (bad && !said) { print "FAIL  profile-vs-awk " lbl ": slot " $1 ": awk " $2 ", capplan " $4; said = 1 } }
	    END { exit bad }'; then
		fail=1
		return
	fi
	echo "ok    profile-vs-awk $1 (24 slots within 1e-9)"
}

s=$top/samples
pl=pl1_grid_kiae_ru_uw_oneswarm
bb=41
"$bin/capplan" profile -i "$s/inventory.csv" -c "$s/capplan.conf" -q 95 \
    -s hour -o "$tmp/p.csv" "$s/planetlab/$pl.samples.csv" \
    "$s/bitbrains/$bb.samples.csv" 2>"$tmp/err" || {
	echo "FAIL  profile-vs-awk: capplan profile failed: $(cat "$tmp/err")"
	exit 1
}
r=$(rating "$tmp/p.csv" "$pl")
[ "$r" = "1.000000" ] || { echo "FAIL  profile-vs-awk: rating of $pl is '$r'"; fail=1; }
check "planetlab cpu" "$s/planetlab/$pl.samples.csv" cpu_busy_pct 0.01 \
    "$tmp/p.csv" "$pl" cpu_cu
check "bitbrains mem" "$s/bitbrains/$bb.samples.csv" mem_used_mib 1 \
    "$tmp/p.csv" "$bb" mem_mib
exit $fail
