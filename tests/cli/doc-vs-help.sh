#!/bin/sh
# doc-vs-help.sh - the man pages against the program and the code tables.
#
# After git's t0450-txt-doc-vs-help.sh.  For every command that
# 'capplan --help' lists:
#   - 'capplan CMD -h' exits 0 and prints "usage: capplan CMD <usage>",
#     then every option on a line of its own, the usage's options and -h,
#     --help among them, none over 80 columns; 'capplan CMD --help' prints
#     the same and 'capplan help CMD' starts with it;
#   - man/capplan.1 lists it (.It Cm CMD);
#   - man/capplan-CMD.1 exists, its .Nd is the summary --help shows, and
#     its SYNOPSIS (rendered by mandoc, else parsed from the source) names
#     the same options and operands as the usage, both ways, and every
#     option -h lists is in its DESCRIPTION (an .It Fl entry, or named).
# help is documented in capplan.1, whose SYNOPSIS is checked against the
# global usage line instead; a capplan-CMD.1 without a command fails.
# Then the tables in the code against the pages:
#   - every "section", "key" of common/policy.c's key table is an
#     .It Ic key entry under .Ss [section] of man/capplan.conf.5, and its
#     default appears in that entry;
#   - every metric of common/samples.c's metric_table, every column the
#     samples reader knows by name, every column of common/inventory.c,
#     common/hostcat.c and common/existing.c, and every kind of
#     common/format.c is named in
#     man/capplan-formats.5.
# One line per failure, then a summary; exit 1 on any failure.
# CAPPLAN_BIN is the directory holding capplan (default build/std, taken
# from the top of the tree when relative).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CAPPLAN_BIN:-build/std}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
capplan=$bin/capplan
man=$top/man
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capplan-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
bs=$(printf '\b')

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL  doc-vs-help: $*"; }

# The words of a usage or SYNOPSIS line, one per line, sorted: brackets,
# bars and ellipses dropped, so "[-o file] a.csv ..." gives -o file a.csv.
words() {
	printf '%s\n' "$*" | tr '[]{}|' '     ' | tr -s ' \t' '\n\n' |
	    grep -v -e '^$' -e '^\.\.\.$' | sort -u
}

# The SYNOPSIS of man page $1 as one line of text.
synopsis() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T ascii -O width=400 "$1" | sed "s/.$bs//g" |
		    awk '/^SYNOPSIS$/ { on = 1; next }
			on && /^[A-Z]/ { exit }
			on { sub(/^[ \t]+/, ""); printf "%s ", $0 }'
		return
	fi
	# no mandoc: read the macros; Fl puts a dash before its argument,
	# a bare Ar stands for "file ..." and a bare Nm for the page's name
	awk '!name && /^\.Nm [^ ]/ { name = $2 }
	    /^\.Sh SYNOPSIS/ { on = 1; next }
	    on && /^\.Sh/ { exit }
	    on && /^\./ {
		sub(/^\./, "")
		n = split($0, w, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			if (w[i] == "Nm" && (i == n ||
			    w[i + 1] ~ /^[A-Z][a-z]$/))
				printf "%s ", name
			else if (w[i] == "Fl") {
				if (i < n && w[i + 1] !~ /^[A-Z][a-z]$/)
					printf "-%s ", w[++i]
				else
					printf "- "
			} else if (w[i] == "Ar" && (i == n ||
			    w[i + 1] ~ /^[A-Z][a-z]$/))
				printf "file ... "
			else if (w[i] !~ /^[A-Z][a-z]$/)
				printf "%s ", w[i]
		}
		next
	    }
	    on { printf "%s ", $0 }' "$1"
}

# Compare the words of usage $2 and SYNOPSIS $3 for page $1.
compare_words() {
	words "$2" >"$tmp/usage"
	words "$3" >"$tmp/synopsis"
	same=1
	for w in $(comm -23 "$tmp/usage" "$tmp/synopsis"); do
		case $w in -*) kind=option ;; *) kind=operand ;; esac
		bad "$1: $kind '$w' of the usage is not in the SYNOPSIS"
		same=0
	done
	for w in $(comm -13 "$tmp/usage" "$tmp/synopsis"); do
		case $w in -*) kind=option ;; *) kind=operand ;; esac
		bad "$1: SYNOPSIS $kind '$w' is not in the usage"
		same=0
	done
	[ $same = 1 ] && ok
}

# ------------------------------------------------------------ commands

if ! "$capplan" --help >"$tmp/help" 2>"$tmp/err"; then
	bad "'capplan --help' failed: $(head -n 1 "$tmp/err")"
	echo "doc-vs-help: $pass passed, $fail failed"
	exit 1
fi
awk '/^commands:/ { on = 1; next }
    on && /^  [a-z]/ { name = $1; sub(/^  [a-z][a-z0-9-]* */, "");
	print name "\t" $0; next }
    on { exit }' "$tmp/help" >"$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
	bad "'capplan --help' lists no commands"
else
	ok
fi

# capplan.1 against the global usage line
usage=$(sed -n '1s/^usage: capplan //p' "$tmp/help")
if [ -z "$usage" ]; then
	bad "'capplan --help' does not start with 'usage: capplan'"
elif [ ! -f "$man/capplan.1" ]; then
	bad "man/capplan.1 is missing"
else
	syn=$(synopsis "$man/capplan.1")
	compare_words capplan.1 "$usage" "${syn#capplan }"
fi

tab=$(printf '\t')
# The options of a -h listing, one per line: the "-x" and "--name" words
# of its option column (two blanks or more end it, before the help)
listed_options() {
	awk '/^    -|^        --/ { sub(/^ +/, ""); split($0, col, /  +/)
		n = split(col[1], w, / /)
		for (i = 1; i <= n; i++) if (w[i] ~ /^-/) {
			sub(/,$/, "", w[i]); print w[i] } }' "$1" | sort -u
}

while IFS="$tab" read -r cmd summary; do
	"$capplan" "$cmd" -h >"$tmp/h" 2>"$tmp/err"
	rc=$?
	out=$(head -n 1 "$tmp/h")
	case $rc:$out in
	"0:usage: capplan $cmd "?*|"0:usage: capplan $cmd") ok ;;
	*) bad "'capplan $cmd -h' exited $rc and printed '$out'"
	   continue ;;
	esac
	[ -s "$tmp/err" ] && bad "'capplan $cmd -h' wrote to stderr"
	usage=${out#"usage: capplan $cmd"}
	usage=${usage# }
	# -h lists every option on a line of its own (from the table the
	# parser uses), -h and --help among them, and --help says the same
	listed_options "$tmp/h" >"$tmp/listed"
	grep -qx -- '-h' "$tmp/listed" && grep -qx -- '--help' "$tmp/listed" &&
	    ok || bad "'capplan $cmd -h' does not list -h, --help"
	for w in $(words "$usage" | grep '^-'); do
		grep -qx -- "$w" "$tmp/listed" && ok ||
		    bad "'capplan $cmd -h': usage option $w has no line"
	done
	n=$(tail -n +2 "$tmp/h" | awk 'length($0) > 80' | wc -l)
	[ "$n" -eq 0 ] && ok || bad "'capplan $cmd -h': $n lines over 80 columns"
	"$capplan" "$cmd" --help >"$tmp/long" 2>/dev/null
	cmp -s "$tmp/long" "$tmp/h" && ok ||
	    bad "'capplan $cmd --help' differs from 'capplan $cmd -h'"
	"$capplan" help "$cmd" 2>/dev/null | head -n "$(wc -l <"$tmp/h")" \
	    >"$tmp/helpcmd"
	cmp -s "$tmp/helpcmd" "$tmp/h" && ok ||
	    bad "'capplan help $cmd' does not start with 'capplan $cmd -h'"
	if grep -Eq "^\.It Cm $cmd( |$)" "$man/capplan.1" 2>/dev/null; then
		ok
	else
		bad "man/capplan.1 does not list command '$cmd' (.It Cm $cmd)"
	fi
	[ "$cmd" = help ] && continue
	page=$man/capplan-$cmd.1
	if [ ! -f "$page" ]; then
		bad "man/capplan-$cmd.1 is missing"
		continue
	fi
	nd=$(sed -n 's/^\.Nd //p' "$page")
	[ "$nd" = "$summary" ] && ok ||
	    bad "capplan-$cmd.1: .Nd '$nd' is not the summary '$summary'"
	syn=$(synopsis "$page")
	case $syn in
	"capplan $cmd "*|"capplan $cmd") ok ;;
	*) bad "capplan-$cmd.1: SYNOPSIS does not start with 'capplan $cmd'" ;;
	esac
	# a SYNOPSIS of several forms (validate, validate --sweep) names
	# the command at the start of each
	syn=$(printf '%s\n' "$syn" | sed "s/capplan $cmd//g")
	compare_words "capplan-$cmd.1" "$usage" "$syn"
	# every option -h lists is described in the page: its own .It Fl
	# entry, or (a page that tells them in prose) named in DESCRIPTION
	sed -n '/^\.Sh DESCRIPTION/,/^\.Sh [A-Z]/p' "$page" >"$tmp/desc"
	for w in $(cat "$tmp/listed"); do
		grep -Eq "^\.It .*Fl ${w#-}( |$)" "$page" ||
		    grep -Eq "(^|[ .])Fl ${w#-}( |$)" "$tmp/desc" && ok ||
		    bad "capplan-$cmd.1: option $w of -h is not in DESCRIPTION"
	done
done <"$tmp/commands"

for page in "$man"/capplan-*.1; do
	[ -f "$page" ] || continue
	cmd=${page##*/capplan-}
	cmd=${cmd%.1}
	cut -f 1 "$tmp/commands" | grep -qx "$cmd" && ok ||
	    bad "man/capplan-$cmd.1 documents no command of 'capplan --help'"
done

# ------------------------------------------------------ capplan.conf.5

src=$top/common/policy.c
conf=$man/capplan.conf.5
# K("section", "key", CONF_TYPE, "default", ...) and the one plain row
sed -n \
    -e 's/^[[:space:]]*K("\([^"]*\)", *"\([^"]*\)", *CONF_[A-Z]*, *"\([^"]*\)".*/\1|\2|\3/p' \
    -e 's/^[[:space:]]*{ *"\([^"]*\)", *"\([^"]*\)", *CONF_[A-Z]*, *"\([^"]*\)".*/\1|\2|\3/p' \
    "$src" >"$tmp/keys"
nk=$(grep -c '^[[:space:]]*K("' "$src")
nparsed=$(grep -c . "$tmp/keys")
if [ "$nparsed" -eq 0 ] || [ "$nparsed" -lt "$nk" ]; then
	bad "policy.c: parsed $nparsed keys of $nk K(...) rows (layout changed?)"
fi
while IFS='|' read -r sec key def; do
	r=$(awk -v sec="$sec" -v key="$key" -v def="$def" '
	    /^\.Ss/ { cur = ""; if (match($0, /\[[^]]*\]/))
		cur = substr($0, RSTART + 1, RLENGTH - 2); inkey = 0; next }
	    /^\.(It|El|Sh)/ { inkey = 0 }
	    cur == sec && $1 == ".It" && $2 == "Ic" && $3 == key {
		found = 1; inkey = 1 }
	    inkey { n = split($0, w, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			t = w[i]
			sub(/^\(/, "", t)
			while (t ~ /[,.;:)]$/)
				t = substr(t, 1, length(t) - 1)
			if (t == def)
				hasdef = 1
		} }
	    END { print found ? (def == "" || hasdef ? "ok" : "nodef") : "no" }
	    ' "$conf" 2>/dev/null)
	case $r in
	ok) ok ;;
	nodef) bad "capplan.conf.5: [$sec] $key: default '$def' not in its entry" ;;
	*) bad "capplan.conf.5: no '.It Ic $key' under '.Ss [$sec]'" ;;
	esac
done <"$tmp/keys"

# ---------------------------------------------------- capplan-formats.5

fmt=$man/capplan-formats.5
{
	# metric_table rows: [METRIC_X] = { "name", ...
	sed -n 's/^[[:space:]]*\[METRIC_[A-Z0-9_]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p' \
	    "$top/common/samples.c"
	# the columns role_of() knows by name: ts, interval_s, host, flags
	sed -n 's/.*strcmp(name, "\([^"]*\)").*/\1/p' "$top/common/samples.c"
	for f in inventory hostcat existing; do
		# { "name", COL_...  and  MACRO("name", ...
		sed -n -e 's/^[[:space:]]*{ *"\([^"]*\)", *COL_.*/\1/p' \
		    -e 's/^[[:space:]]*[A-Z][A-Z]*("\([^"]*\)".*/\1/p' \
		    "$top/common/$f.c"
	done
	# PW(0), PW(10), ...: the power curve columns
	pw=$(sed -n 's/.*define PW(k) *{ *"\([^"]*\)" *#k.*/\1/p' \
	    "$top/common/hostcat.c")
	tr ' \t' '\n\n' <"$top/common/hostcat.c" |
	    sed -n "s/^PW(\([0-9][0-9]*\)),*$/$pw\1/p"
} | sort -u >"$tmp/columns"
nm=$(grep -c '^[[:space:]]*\[METRIC_[A-Z0-9_]*\][[:space:]]*=' \
    "$top/common/samples.c")
nparsed=$(sed -n 's/^[[:space:]]*\[METRIC_[A-Z0-9_]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p' \
    "$top/common/samples.c" | grep -c .)
if [ "$nm" -eq 0 ] || [ "$nparsed" -lt "$nm" ]; then
	bad "samples.c: parsed $nparsed metrics of $nm metric_table rows"
fi
grep -q '^power_w_100$' "$tmp/columns" ||
    bad "hostcat.c: the PW(k) power columns could not be parsed"
tr -c 'A-Za-z0-9_\n' '\n' <"$fmt" | sort -u >"$tmp/fmtwords" 2>/dev/null
while read -r col; do
	grep -qx "$col" "$tmp/fmtwords" && ok ||
	    bad "capplan-formats.5 does not name column '$col'"
done <"$tmp/columns"

sed -n 's/^[[:space:]]*\[FORMAT_[A-Z]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p' \
    "$top/common/format.c" >"$tmp/kinds"
[ -s "$tmp/kinds" ] || bad "format.c: no kinds parsed from format_table"
while read -r kind; do
	grep -Eq "Cm $kind( |$)" "$fmt" && ok ||
	    bad "capplan-formats.5 does not name kind '$kind'"
done <"$tmp/kinds"

echo "doc-vs-help: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
