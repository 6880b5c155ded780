#!/bin/sh
# policy-scale.sh - a policy of many groups loads in linear time.
# capplan.conf's group sections were found by a scan of every group
# made so far, and grown one at a time: 100,000 [affinity] sections took
# 64 s, paid by every command given -c.  Now a map finds them.  Here
# 100,000 affinity, 100,000 anti-affinity and 1,000 pin sections, and
# one group of 100,000 servers (its duplicate check was quadratic too),
# must load within 20 s, and a group defined twice is still refused.
name=policy-scale
. "$(dirname "$0")/lib.sh"
S=samples/bitbrains/102.samples.csv

awk 'BEGIN {
	for (i = 0; i < 100000; i++) {
		printf "[affinity a%d]\nservers = x%d, y%d\n", i, i, i
		printf "[anti-affinity n%d]\nservers = p%d, q%d\n", i, i, i
	}
	for (i = 0; i < 1000; i++)
		printf "[pin h%d]\nmodel = m\nservers = z%d\n", i, i
	printf "[affinity big]\nservers = "
	for (i = 0; i < 100000; i++)
		printf "%sbig%d", i ? ", " : "", i
	printf "\n"
}' >"$tmp/big.conf"
t0=$(date +%s)
timeout 60 "$bin/capplan" profile -c "$tmp/big.conf" -o "$tmp/p.csv" $S \
    2>"$tmp/err"; rc=$?
t=$(( $(date +%s) - t0 ))
[ $rc = 0 ] && ok || { bad "profile -c big.conf: exit $rc"; cat "$tmp/err"; }
[ $t -le 20 ] && ok || bad "loading 201,001 group sections took $t s"

# the map still finds a group defined twice, and a server listed twice
printf '[affinity a5]\nservers = dup1, dup2\n' >>"$tmp/big.conf"
"$bin/capplan" profile -c "$tmp/big.conf" -o "$tmp/p.csv" $S 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "'servers' is already set in \[affinity a5\] on line 22" \
    "$tmp/err" && ok || { bad "group defined twice: exit $rc"; cat "$tmp/err"; }
printf '[affinity twice]\nservers = s1, s2, s1\n' >"$tmp/dup.conf"
"$bin/capplan" profile -c "$tmp/dup.conf" -o "$tmp/p.csv" $S 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "server 's1' is listed twice in group 'twice'" \
    "$tmp/err" && ok || { bad "server listed twice: exit $rc"; cat "$tmp/err"; }
finish
