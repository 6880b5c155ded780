#!/bin/sh
# source-rules.sh - rules the compiler does not check, checked on the C
# sources of the programs (not tests or benchmarks):
#   - no qsort() but in common/sort.h: array_sort() is defined for an
#     empty array, qsort(NULL, 0, ...) is not (UBSan found three);
#   - no system(), popen() or exec*p with "sh": nothing goes through a
#     shell (gnuplot and friends are run with posix_spawnp and an argv).
# One line per breach; exit 1 on any.  Also run by make lint.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
dirs="capplan.c common collector import model planner reports kvm"
fail=0

# calls only: the word followed by "(", outside comments and strings is
# close enough for our code, which never names these in a string
breach() {
	grep -rnE --include='*.c' --include='*.h' "$1" $dirs 2>/dev/null |
	    grep -v -e "^common/sort.h:" |
	    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*)'
}

out=$(breach '(^|[^_a-z])qsort[[:space:]]*\(')
if [ -n "$out" ]; then
	echo "FAIL  source-rules: qsort() outside common/sort.h (use array_sort()):"
	echo "$out" | sed 's/^/      /'
	fail=1
fi
out=$(breach '(^|[^_a-z.>])(system|popen)[[:space:]]*\(|"/bin/sh"|"sh", *"-c"')
if [ -n "$out" ]; then
	echo "FAIL  source-rules: a shell is run (use posix_spawnp with an argv):"
	echo "$out" | sed 's/^/      /'
	fail=1
fi
[ $fail = 0 ] && echo "ok    source-rules: no qsort() but common/sort.h, no shell"
exit $fail
