#!/bin/sh
# expect.sh STATUS REGEX -- COMMAND...
# Runs COMMAND and passes when it exits with STATUS and its output (stdout
# and stderr together) matches the extended REGEX. For STATUS 2, the bad
# input contract: stderr must be exactly one line.
set -u
want=$1 regex=$2
shift 2
[ "$1" = "--" ] && shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
got=$?
fail=0
if [ "$got" -ne "$want" ]; then
	echo "expected exit status $want, got $got"
	fail=1
fi
if ! cat "$out" "$err" | grep -Eq -- "$regex"; then
	echo "output does not match /$regex/"
	fail=1
fi
if [ "$want" -eq 2 ] && [ "$(wc -l <"$err")" -ne 1 ]; then
	echo "expected exactly one line on stderr, got $(wc -l <"$err")"
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	echo "--- command: $*"
	echo "--- stdout:"; cat "$out"
	echo "--- stderr:"; cat "$err"
fi
exit "$fail"
