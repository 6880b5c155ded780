#!/bin/sh
# prometheus-live.sh - capplan import prometheus --url against a real
# Prometheus and node_exporter, checked against capplan-collect.
#
# Starts Debian's prometheus-node-exporter (with --collector.cpu.info)
# and prometheus (scrape interval 1 s, basic authentication from a web
# config, storage in the scratch folder) on free loopback ports, and
# capplan-collect (10 s rows of 1 s sub-samples) beside them for about
# 70 s, with a CPU hog for part of it so the load moves (on a quiet
# machine).  Then:
#   - the import of the same minutes at --step 10 has a row for each of
#     the collector's, cpu_busy_pct within TOL points (default 6) of
#     it and mem_total_mib equal; capplan inspect accepts the files;
#   - the inventory has the threads, memory, kernel, OS and CPU model
#     of this machine, and a warning names each field not found;
#   - requests cut to 2 points and 1 instance give the same files;
#   - the responses to the queries --queries prints, saved with curl and
#     read by the file mode, give the same samples;
#   - without credentials, or with a wrong password: HTTP 401, exit 1;
#     the password is in no output, message or file;
#   - an unreachable server, a bad --match selector and a range with no
#     data: exit 1, a message naming the URL and the server's words, and
#     no output folder; an existing file stays as it was;
# and, against tests/import/fake-prometheus.py: a bearer token is sent,
# a server that answers 503 twice is tried again, one that does not
# answer ends with a timeout naming the query, an https:// server whose
# certificate no CA of the system's store signed is refused, and the
# progress line shows on a terminal (script(1)) and nowhere else.
# Every process started here is stopped on every way out (an error,
# exit, INT, TERM, HUP); none is left running.  Skips when the daemons
# are not installed (scripts/install-deps installs them).
set -u
name=prometheus-live
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
capplan=$bin/capplan
tol=${TOL:-6}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-$name.XXXXXX") || exit 1
pids=
napping=
pass=0
fail=0
skip=0

# stop what was started (TERM, then KILL after 5 s), remove the folder
cleanup() {
	[ -n "$napping" ] && kill "$napping" 2>/dev/null
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $pids; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pids=
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  $name: $*"; }
check() {	# $1 = description, rest = command
	d=$1
	shift
	if "$@"; then ok; else bad "$d"; fi
}
finish() {
	echo "$name: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}
started() { pids="$pids $1"; }
# sleep $1 s in a way a signal interrupts at once: the shell runs a trap
# only after a foreground command ends, but during "wait" at once
nap() {
	sleep "$1" &
	napping=$!
	wait "$napping"
	napping=
}
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait up to $2 s for URL $1 to answer 200
wait_url() {
	n=0
	until curl -sf -o /dev/null "$1"; do
		n=$((n + 1))
		[ $n -lt $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

for t in prometheus prometheus-node-exporter curl python3; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "SKIP  $name: no $t (scripts/install-deps)"
		skip=1
		finish
	fi
done

# --- the servers -----------------------------------------------------
ne=$(free_port)
pp=$(free_port)
pw='s3cret-Pa55-word'
printf '%s\n' "$pw" >"$tmp/password"
printf 'wrong\n' >"$tmp/wrong"
hash=$(python3 -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 4)))' "$pw")
cat >"$tmp/web.yml" <<EOC
basic_auth_users:
  capplan: '$hash'
EOC
cat >"$tmp/prom.yml" <<EOC
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$ne']
EOC
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" \
    --collector.cpu.info >"$tmp/ne.log" 2>&1 &
started $!
prometheus --config.file="$tmp/prom.yml" --web.config.file="$tmp/web.yml" \
    --storage.tsdb.path="$tmp/tsdb" --web.listen-address="127.0.0.1:$pp" \
    >"$tmp/prom.log" 2>&1 &
started $!
url=http://127.0.0.1:$pp
auth="--user capplan --password-file $tmp/password"
if ! wait_url "http://127.0.0.1:$ne/metrics" 30 ||
    ! wait_url "http://capplan:$pw@127.0.0.1:$pp/-/ready" 60; then
	bad "the servers did not start: $(tail -3 "$tmp/prom.log" "$tmp/ne.log")"
	finish
fi

# --- the same minutes, measured twice -----------------------------------
# start on a 10 s boundary + 2 s, so Prometheus has scraped before the
# collector's first row begins
now=$(date +%s)
nap $((22 - now % 10))
"$bin/capplan-collect" -i 10 -s 1 -d 70 -o "$tmp/agent" >"$tmp/agent.log" 2>&1 &
agent=$!
started $agent
nap 25
sh -c 'while :; do :; done' &
hog=$!
started $hog
nap 25
kill "$hog"
wait "$agent"
nap 3
# the agent's whole rows (its first and last may be cut short)
cat "$tmp"/agent/samples-*.csv* | awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
	/^2/ && $c["interval_s"] > 9.5 && $c["interval_s"] < 10.5 && $c["ts"] ~ /0Z$/ {
		print $c["ts"], $c["cpu_busy_pct"], $c["mem_total_mib"] }' |
	sort -u >"$tmp/agent.rows"
first=$(head -1 "$tmp/agent.rows" | cut -d' ' -f1)
last=$(tail -1 "$tmp/agent.rows" | cut -d' ' -f1)
end=$(date -u -d "@$(($(date -u -d "$last" +%s) + 10))" +%Y-%m-%dT%H:%M:%SZ)
range="--start $first --end $end --step 10"

# shellcheck disable=SC2086
"$capplan" import -o "$tmp/out" --url "$url" $auth $range prometheus \
    >"$tmp/out.txt" 2>"$tmp/out.err"
check "import: exit 0 ($(cat "$tmp/out.err"))" [ $? = 0 ]
f=$tmp/out/127.0.0.1.samples.csv
awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
	/^2/ { print $c["ts"], $c["cpu_busy_pct"], $c["mem_total_mib"] }' "$f" \
	>"$tmp/prom.rows" 2>/dev/null
n=$(wc -l <"$tmp/agent.rows")
join "$tmp/agent.rows" "$tmp/prom.rows" >"$tmp/joined"
echo "      collector vs Prometheus, cpu_busy_pct and mem_total_mib per 10 s row:"
sed 's/^/      /' "$tmp/joined"
if [ "$(wc -l <"$tmp/joined")" = "$n" ] && [ "$n" -ge 4 ]; then
	ok
else
	bad "import: a row for each of the collector's $n ($first to $last)"
	echo "      the collector's rows and messages:"
	cut -d, -f1,2,4 "$tmp"/agent/samples-*.csv* | sed 's/^/      /'
	sed 's/^/      /' "$tmp/agent.log"
fi
check "import: cpu_busy_pct within $tol points of the collector's on every row" \
	awk -v t="$tol" '{ d = $2 - $4; if (d < 0) d = -d; if (d > t) exit 1 }' "$tmp/joined"
# the hog moves the load unless others keep the machine busy: told, not
# checked, as a shared machine decides it
awk '{ if ($2 < lo || NR == 1) lo = $2; if ($2 > hi) hi = $2 }
	END { printf "      cpu_busy_pct from %.1f to %.1f\n", lo, hi }' "$tmp/joined"
check "import: mem_total_mib is the collector's" \
	awk '$3 != $5 { exit 1 }' "$tmp/joined"
check "import: capplan inspect accepts the files" \
	"$capplan" inspect "$f" "$tmp/out/inventory.csv" >/dev/null 2>&1

# --- the inventory ------------------------------------------------------
inv() {	# the inventory's column $1
	awk -F, -v k="$1" 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR == 3 { print $c[k] }' "$tmp/out/inventory.csv"
}
check "inventory: threads = the CPUs online" \
	[ "$(inv threads)" = "$(getconf _NPROCESSORS_ONLN)" ]
check "inventory: mem_mib = MemTotal" \
	[ "$(inv mem_mib)" = "$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)" ]
check "inventory: kernel = uname -r" [ "$(inv kernel)" = "$(uname -r)" ]
check "inventory: os = PRETTY_NAME" \
	[ "$(inv os)" = "$(. /etc/os-release && echo "$PRETTY_NAME")" ]
model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
check "inventory: cpu_model from node_cpu_info" \
	grep -qF "$model" "$tmp/out/inventory.csv"
check "inventory: the fields not found are named" \
	grep -q 'warning: 1 hosts without cpu_mhz in the inventory' "$tmp/out.err"

# --- requests cut small give the same -----------------------------------
# shellcheck disable=SC2086
CAPPLAN_TEST_PROM_POINTS=2 CAPPLAN_TEST_PROM_BATCH=1 "$capplan" import \
    -o "$tmp/small" --url "$url" $auth $range prometheus >/dev/null 2>&1
check "split: 2 points a request, the same files" diff -r "$tmp/out" "$tmp/small"

# --- the saved-file mode reads the same queries -------------------------
# each query --queries prints, asked for with curl as a site exporting by
# hand would, over the same times: the same samples file
t0=$(($(date -u -d "$first" +%s) + 10))
t1=$(date -u -d "$end" +%s)
mkdir "$tmp/saved"
"$capplan" import --queries --step 10 prometheus |
while IFS="$(printf '\t')" read -r col query; do
	curl -s -u "capplan:$pw" "$url/api/v1/query_range" \
	    --data-urlencode "query=$query" -d start=$t0 -d end=$t1 -d step=10 \
	    >"$tmp/saved/$col.json"
done
"$capplan" import -o "$tmp/fromfiles" prometheus "$tmp"/saved/*.json \
    >/dev/null 2>"$tmp/fromfiles.err"
check "saved files: the same queries give the same samples ($(cat "$tmp/fromfiles.err"))" \
	cmp -s "$f" "$tmp/fromfiles/127.0.0.1.samples.csv"

# --- authentication -----------------------------------------------------
nothing() {	# $1 = case: exit 1, a message, no output folder
	[ "$rc" = 1 ] && grep -q "^capplan import: $2" "$tmp/$1.err" &&
	    [ ! -e "$tmp/$1" ]
}
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/noauth" --url "$url" $range prometheus \
    >/dev/null 2>"$tmp/noauth.err"
rc=$?
check "auth: none: HTTP 401, exit 1 ($(cat "$tmp/noauth.err"))" \
	nothing noauth "$url/api/v1/label/instance/values: .*: HTTP 401: Unauthorized"
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/wrongpw" --url "$url" --user capplan \
    --password-file "$tmp/wrong" $range prometheus >/dev/null 2>"$tmp/wrongpw.err"
rc=$?
check "auth: a wrong password: HTTP 401, exit 1" nothing wrongpw ".*HTTP 401"
check "auth: the password is in no output" \
	sh -c "! grep -rqF -e '$pw' '$tmp/out' '$tmp/out.txt' '$tmp/out.err' '$tmp/noauth.err' '$tmp/wrongpw.err'"

# --- errors: a message, exit 1, nothing written -------------------------
dead=$(free_port)
"$capplan" import -o "$tmp/dead" --url "http://127.0.0.1:$dead" $range \
    prometheus >/dev/null 2>"$tmp/dead.err"
rc=$?
check "unreachable: exit 1, the URL and curl's words ($(cat "$tmp/dead.err"))" \
	nothing dead "http://127.0.0.1:$dead/api/v1/label/instance/values: .*Couldn't connect to server (4 attempts)"
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/sel" --url "$url" $auth --match '{job=}' \
    $range prometheus >/dev/null 2>"$tmp/sel.err"
rc=$?
check "bad selector: exit 1, the query and the server's parse error ($(cat "$tmp/sel.err"))" \
	nothing sel ".*node_cpu_seconds_total{mode=\"idle\",job=}: HTTP 400: bad_data: .*parse error"
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/empty" --url "$url" $auth --start 2020-01-01T00:00:00Z \
    --end 2020-01-01T01:00:00Z prometheus >/dev/null 2>"$tmp/empty.err"
rc=$?
check "empty range: exit 1, nothing to import ($(cat "$tmp/empty.err"))" \
	nothing empty "$url: no instance has node_cpu_seconds_total{mode=\"idle\"} between 2020-01-01T00:00:00Z and 2020-01-01T01:00:00Z: nothing to import"
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/nomatch" --url "$url" $auth --match '{job="none"}' \
    $range prometheus >/dev/null 2>"$tmp/nomatch.err"
rc=$?
check "a selector matching nothing: exit 1" nothing nomatch ".*no instance has"
mkdir "$tmp/keep"
echo old >"$tmp/keep/127.0.0.1.samples.csv"
# shellcheck disable=SC2086
"$capplan" import -o "$tmp/keep" --url "$url" $auth --match '{job=}' $range \
    prometheus >/dev/null 2>&1
check "a failed import leaves an existing file as it was" \
	[ "$(ls "$tmp/keep")" = 127.0.0.1.samples.csv -a "$(cat "$tmp/keep/127.0.0.1.samples.csv")" = old ]

# --- the fake server: bearer token, retries, timeout --------------------
python3 "$top/tests/import/fake-prometheus.py" "$tmp/fake.port" "$tmp" \
    >"$tmp/fake.log" 2>&1 &
started $!
n=0
while [ ! -s "$tmp/fake.port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
fake=http://127.0.0.1:$(cat "$tmp/fake.port")
printf 'T0ken-xyz\n' >"$tmp/token"
cp "$top/tests/fuzz/prometheus-live.json" "$tmp/response.json"
"$capplan" import -o "$tmp/bearer" --url "$fake/bearer" --bearer-token-file \
    "$tmp/token" --days 1 prometheus >/dev/null 2>"$tmp/bearer.err"
rc=$?
check "bearer: the token is sent (the server then has no instance)" \
	nothing bearer "$fake/bearer: no instance has"
"$capplan" import -o "$tmp/nobearer" --url "$fake/bearer" --days 1 prometheus \
    >/dev/null 2>"$tmp/nobearer.err"
rc=$?
check "bearer: without it, HTTP 401" nothing nobearer ".*HTTP 401: Unauthorized"
check "bearer: the token is in no message" \
	sh -c "! grep -qF T0ken '$tmp/bearer.err' '$tmp/nobearer.err'"
# the saved response: 8 points every 5 s from 06:43:15
"$capplan" import -o "$tmp/flaky" --url "$fake/flaky" --step 5 \
    --start 2026-11-26T06:43:10Z --end 2026-11-26T06:43:50Z prometheus \
    >"$tmp/flaky.txt" 2>"$tmp/flaky.err"
check "retry: two 503s, then the rows ($(cat "$tmp/flaky.err"))" \
	grep -q '^127.0.0.1 *8 ' "$tmp/flaky.txt"
check "progress: none when stderr is not a terminal" \
	sh -c "! grep -q 'request' '$tmp/flaky.err'"
if command -v script >/dev/null 2>&1; then
	script -qec "'$capplan' import -o '$tmp/tty' --url '$fake/file' --step 5 \
	    --start 2026-11-26T06:43:10Z --end 2026-11-26T06:43:50Z prometheus" \
	    /dev/null >"$tmp/tty.log" 2>&1
	check "progress: on a terminal, one line rewritten, then the rows" \
		sh -c "grep -q 'capplan import: prometheus: instances 1-1 of 1, request 36 of 36' '$tmp/tty.log' &&
		    grep -q '^127.0.0.1 *8 ' '$tmp/tty.log'"
else
	skip=$((skip + 1))
	echo "SKIP  $name: progress: no script(1)"
fi
if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
	cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/tls.pem"
	python3 "$top/tests/import/fake-prometheus.py" "$tmp/tls.port" "$tmp" \
	    "$tmp/tls.pem" >"$tmp/tls.log" 2>&1 &
	started $!
	n=0
	while [ ! -s "$tmp/tls.port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	tls=https://127.0.0.1:$(cat "$tmp/tls.port")
	"$capplan" import -o "$tmp/tls" --url "$tls/file" --days 1 prometheus \
	    >/dev/null 2>"$tmp/tls.err"
	rc=$?
	check "tls: a certificate outside the system's CA store is refused ($(cat "$tmp/tls.err"))" \
		nothing tls "$tls/file/api/v1/label/instance/values: .*SSL certificate problem: self.signed certificate"
else
	skip=$((skip + 1))
	echo "SKIP  $name: tls: no openssl to make a certificate"
fi
t0=$(date +%s)
"$capplan" import -o "$tmp/hang" --url "$fake/hang" --timeout 1 --days 1 \
    prometheus >/dev/null 2>"$tmp/hang.err"
rc=$?
check "timeout: exit 1, the query named, 4 attempts ($(cat "$tmp/hang.err"))" \
	nothing hang "$fake/hang/api/v1/label/instance/values: the instances of .*: no complete answer within 1 s (--timeout) (4 attempts)"
check "timeout: given up within 15 s" [ $(($(date +%s) - t0)) -le 15 ]

finish
