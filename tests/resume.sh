#!/bin/sh
# resume.sh CONCBENCH - a matrix killed with SIGKILL mid-cell, with a torn
# last line on top, then `matrix --resume`: every cell of the profile ends
# up in results.jsonl exactly once, every line whole, and no process of the
# killed run is left behind.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/p.profile" <<'PROFILE'
repeat 2
max-repeat 2
warmup 0
cpu.image tasks=6 size=64 workers=1,2 strategies=serial,threads,processes
io.sleep  tasks=10 latency_ms=100 workers=5 strategies=serial,threads,eventloop
PROFILE
run="$dir/run"
"$bin" matrix --profile "$dir/p.profile" --out "$run" >/dev/null 2>&1 &
harness=$!
# The five cpu.image cells are quick; the io.sleep serial cell takes 2 s.
tries=0
while [ "$(cat "$run/results.jsonl" 2>/dev/null | wc -l)" -lt 5 ]; do
	tries=$((tries + 1))
	[ "$tries" -lt 600 ] || { echo "the matrix never got to its sixth cell"; kill -KILL "$harness"; exit 1; }
	sleep 0.05
done
sleep 0.3
kill -KILL "$harness"
wait "$harness" 2>/dev/null
sleep 0.3
fail=0
for p in /proc/[0-9]*; do
	if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "$run"; then
		echo "process ${p#/proc/} of the killed run is still alive"
		fail=1
	fi
done
before=$(wc -l <"$run/results.jsonl")
# A kill in the middle of an append leaves half a line: resume must cut it.
printf '{"run_id":"torn","workload":"io.sl' >>"$run/results.jsonl"
"$bin" matrix --resume "$run" >"$dir/out" 2>&1
status=$?
[ "$status" -eq 0 ] || { echo "resume exited $status"; cat "$dir/out"; fail=1; }
lines=$(wc -l <"$run/results.jsonl")
[ "$lines" -eq 8 ] || { echo "expected 8 cells after resume, got $lines (had $before)"; fail=1; }
bad=$(grep -cv '^{.*}$' "$run/results.jsonl")
[ "$bad" -eq 0 ] || { echo "$bad lines are not whole JSON objects"; fail=1; }
ids=$(grep -o '"workload":"[^"]*","kind":"[^"]*","strategy":"[^"]*","runtime":[^,]*,"workers":[0-9]*' \
	"$run/results.jsonl")
[ "$(printf '%s\n' "$ids" | grep -c .)" -eq "$lines" ] || { echo "a line has no cell identity"; fail=1; }
dups=$(printf '%s\n' "$ids" | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] || { echo "$dups cells appear twice"; fail=1; }
grep -q "resuming" "$dir/out" || { echo "resume did not say it resumed"; fail=1; }
[ -s "$run/report.md" ] || { echo "no report.md after resume"; fail=1; }
exit $fail
