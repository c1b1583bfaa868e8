#!/bin/sh
# dir_lock.sh CONCBENCH - one run folder, one writer: a `matrix --resume`
# of a folder another matrix is still writing is refused (exit 2, one
# line), and once that matrix has ended, a resume finds every cell stored
# once.
set -u
bin=$1
dir=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
fail=0
printf '%s\n' "repeat 3" "max-repeat 3" "warmup 0" \
	"io.sleep tasks=20 latency_ms=20 workers=1,2,4 strategies=serial,threads,eventloop" >"$dir/p.profile"
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >"$dir/first.log" 2>&1 &
pid=$!
tries=0
while [ ! -s "$dir/run/matrix.json" ]; do
	tries=$((tries + 1))
	[ "$tries" -lt 200 ] || { echo "the first matrix did not start"; exit 1; }
	sleep 0.05
done
"$bin" matrix --resume "$dir/run" >"$dir/second.out" 2>"$dir/second.err"
rc=$?
[ "$rc" -eq 2 ] || { echo "a second writer of the folder exited $rc, not 2"; fail=1; }
grep -q "in use by another concbench run" "$dir/second.err" ||
	{ echo "the refusal does not say why:"; cat "$dir/second.err"; fail=1; }
[ "$(wc -l <"$dir/second.err")" -eq 1 ] || { echo "more than one line on stderr"; fail=1; }
wait "$pid"
pid=""
"$bin" matrix --resume "$dir/run" >"$dir/third.log" 2>&1 ||
	{ echo "a resume after the first matrix ended failed"; cat "$dir/third.log"; fail=1; }
cells=$(wc -l <"$dir/run/results.jsonl")
distinct=$(sed 's/"run_id":"[^"]*",//' "$dir/run/results.jsonl" |
	grep -o '"strategy":"[^"]*","runtime":[^,]*,"workers":[0-9]*' | sort -u | wc -l)
[ "$cells" -eq 7 ] && [ "$distinct" -eq 7 ] ||
	{ echo "expected 7 cells stored once each, got $cells lines, $distinct distinct"; fail=1; }
exit $fail
