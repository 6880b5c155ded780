#!/bin/sh
# smoke.sh - make check's test of tests/mutate/mutate.py itself (make
# mutate, the whole run, takes minutes and is not in make check):
#   1. every mutant of tests/mutate/mutants still applies (--check);
#   2. a mutant whose text no longer matches is an error (exit 2), and so
#      is a 'from' found twice, not a skip;
#   3. one mutant run for real on a scratch copy: Erlang C's last step
#      miswritten is killed by the unit tests, the score is 100 %, and
#      the work tree is left as it was.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-mutsmoke.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  mutate smoke: $*"; }

"$py" tests/mutate/mutate.py --check >"$tmp/check" 2>&1 && ok ||
	{ bad "not every mutant applies:"; cat "$tmp/check"; }

printf 'id      stale\nfile    model/contention.c\nfrom    no such text\nto      x\n' \
    >"$tmp/stale"
"$py" tests/mutate/mutate.py --check "$tmp/stale" >"$tmp/stale.out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "mutant stale (model/contention.c): 'from' text found 0 times" \
    "$tmp/stale.out" && ok || { bad "a stale mutant gave exit $rc:"; cat "$tmp/stale.out"; }
printf 'id      twice\nfile    common/num.c\nfrom    return\nto      x\n' >"$tmp/twice"
"$py" tests/mutate/mutate.py --check "$tmp/twice" >"$tmp/twice.out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "not once" "$tmp/twice.out" && ok ||
	{ bad "an ambiguous mutant gave exit $rc:"; cat "$tmp/twice.out"; }

before=$(git status --porcelain 2>/dev/null | md5sum)
nice -n 15 "$py" tests/mutate/mutate.py --only erlang-c-formula >"$tmp/run" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q 'erlang-c-formula  *killed by unit' "$tmp/run" &&
    grep -q 'score 100.0 % (1 of 1' "$tmp/run"; then ok
else bad "one mutant: exit $rc:"; cat "$tmp/run"; fi
[ "$(git status --porcelain 2>/dev/null | md5sum)" = "$before" ] && ok ||
	bad "the run changed the work tree"

echo "mutate smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
