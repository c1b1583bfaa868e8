#!/bin/sh
# external_failures.sh CONCBENCH-TEST - an external strategy's program that
# fails (docs/external.md) gives a recorded cell failure naming the last
# line it wrote on stderr, the run goes on, and nothing it started
# outlives its cell. test.external's scripts each leave a `sleep 987654`
# behind in the cell's process group.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# expect MODE STATUS ERROR-REGEX [TIMEOUT]
expect() {
	mode=$1 status=$2 regex=$3
	out="$dir/$mode"
	"$bin" run --workload cpu.noop --tasks 10 --strategy serial,test.external \
		--param "fails=$mode" --repeat 1 --max-repeat 1 --warmup 0 --timeout "${4:-60}" \
		--out "$out" >"$dir/$mode.log" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || { echo "$mode: exit status $rc, expected 1 (a failed cell)"; cat "$dir/$mode.log"; fail=1; }
	line=$(grep '"strategy":"test.external"' "$out/results.jsonl" 2>/dev/null)
	echo "$line" | grep -q "\"status\":\"$status\"" ||
		{ echo "$mode: the cell's status is not $status: $line"; fail=1; }
	echo "$line" | grep -Eq "\"error\":\"[^\"]*$regex" ||
		{ echo "$mode: the error does not match /$regex/: $line"; fail=1; }
	grep -q '"strategy":"serial".*"status":"ok"' "$out/results.jsonl" ||
		{ echo "$mode: the serial cell did not run"; fail=1; }
	# The cell's process group is killed when the cell ends.
	tries=0
	while pgrep -f 'sleep 987654' >/dev/null; do
		tries=$((tries + 1))
		[ "$tries" -lt 20 ] || { echo "$mode: a process the program started outlived its cell"; pkill -f 'sleep 987654'; fail=1; break; }
		sleep 0.1
	done
}

expect exit failed 'sh exited with status 3: the reason it broke'
expect garbage failed "sh printed 'hello, not a result', not its result line; its stderr: its last words"
expect silent failed 'sh printed nothing, not its result line'
expect wrong failed 'digest mismatch in sample 1: 0123456789abcdef'
expect hang timeout 'killed.*last heard: started, now waiting' 1
exit $fail
