#!/bin/sh
# run_check.sh STATUS LINES CHECK... -- concbench run ARGS...
# Runs `concbench run ... --out DIR` into a fresh DIR, expects exit STATUS
# and LINES lines in results.jsonl, then applies each CHECK to the lines:
#   all:REGEX      every line matches REGEX
#   some:REGEX     at least one line matches REGEX
#   none:REGEX     no line matches REGEX
#   count:N:REGEX  exactly N lines match REGEX
#   same-digest    every line has the same "digest"
set -u
want_status=$1 want_lines=$2
shift 2
checks=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
	checks="$checks
$1"
	shift
done
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$@" --out "$dir" >"$dir/stdout" 2>"$dir/stderr"
status=$?
fail=0
lines="$dir/results.jsonl"
[ -f "$lines" ] || : >"$lines"
if [ "$status" -ne "$want_status" ]; then
	echo "expected exit status $want_status, got $status"
	fail=1
fi
n=$(wc -l <"$lines")
if [ "$n" -ne "$want_lines" ]; then
	echo "expected $want_lines lines in results.jsonl, got $n"
	fail=1
fi
echo "$checks" | while IFS= read -r check; do
	[ -n "$check" ] || continue
	case "$check" in
	all:*) bad=$(grep -Evc -- "${check#all:}" "$lines")
		[ "$bad" -eq 0 ] || { echo "$bad lines do not match /${check#all:}/"; exit 1; } ;;
	some:*) grep -Eq -- "${check#some:}" "$lines" || { echo "no line matches /${check#some:}/"; exit 1; } ;;
	none:*) ! grep -Eq -- "${check#none:}" "$lines" || { echo "a line matches /${check#none:}/"; exit 1; } ;;
	count:*) rest=${check#count:}; want=${rest%%:*}; re=${rest#*:}
		got=$(grep -Ec -- "$re" "$lines")
		[ "$got" -eq "$want" ] || { echo "$got lines match /$re/, expected $want"; exit 1; } ;;
	same-digest) d=$(grep -o '"digest":"[0-9a-f]*"' "$lines" | sort -u | wc -l)
		[ "$d" -eq 1 ] || { echo "expected one distinct digest, got $d"; exit 1; } ;;
	*) echo "unknown check '$check'"; exit 1 ;;
	esac
done || fail=1
for f in summary.csv env.json; do
	[ -s "$dir/$f" ] || { echo "$f is missing or empty"; fail=1; }
done
if [ "$fail" -ne 0 ]; then
	echo "--- command: $*"
	echo "--- stdout:"; cat "$dir/stdout"
	echo "--- stderr:"; cat "$dir/stderr"
	echo "--- results.jsonl:"; cat "$lines"
fi
exit "$fail"
