# lib.sh - what every shell test shares; sourced, never run.
#
#   name=what-it-tests; . "$(dirname "$0")/lib.sh"
#
# sets top (the source tree, also the working directory), bin (the
# programs under test, from CAPPLAN_BIN), tmp (a scratch folder removed
# at exit) and py; ok, bad MESSAGE and skipped MESSAGE count the checks,
# and finish prints the counts and sets the exit status.  Tools that are
# not installed are skipped checks, never passes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-$name.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  $name: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP  $name: $*"; }
finish() {
	echo "$name: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}
