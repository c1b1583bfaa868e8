#!/bin/sh
# variants.sh CONCBENCH - two profile lines that differ only in a strategy
# parameter are two cells everywhere: two table rows (never a tie with
# itself), two bars, two lines, two CSV rows, each with its speedup over
# the one serial cell of the experiment, and resume tells them apart.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
cat >"$dir/p.profile" <<'PROFILE'
repeat 2
max-repeat 2
warmup 0
cpu.image tasks=6 size=48 workers=1,2 strategies=serial,threads
cpu.image tasks=6 size=48 workers=1,2 strategies=threads stack_kb=256
PROFILE
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >"$dir/out" 2>&1 ||
	{ echo "the matrix failed"; cat "$dir/out"; fail=1; }
run=$dir/run
n=$(wc -l <"$run/results.jsonl")
[ "$n" -eq 5 ] || { echo "expected 5 cells, got $n"; fail=1; }

# The table: a row per variant and worker count; a winner never tied with itself.
for w in 1 2; do
	grep -Eq "^  threads +$w " "$dir/out" || { echo "no table row threads/$w"; fail=1; }
	grep -Eq "^  threads\[stack_kb=256\] +$w " "$dir/out" ||
		{ echo "no table row threads[stack_kb=256]/$w"; fail=1; }
done
if grep -E "winner: ([^ ]+) with ([0-9]+) workers.*tied with.* \1/\2" "$dir/out"; then
	echo "a winner is tied with itself"
	fail=1
fi

# summary.csv: the identity's columns, one row per variant, each with a speedup.
head -1 "$run/summary.csv" | grep -q '^source,workload,kind,tasks,params,label,strategy,strategy_params,runtime,workers,' ||
	{ echo "summary.csv lacks the identity's columns"; fail=1; }
for label in threads 'threads\[stack_kb=256\]'; do
	for w in 1 2; do
		grep -Eq "^\"concbench\",\"cpu.image\",cpu,6,\"size=48 radius=3 result_bytes=0\",\"$label\",\"threads\",\"stack_kb=[0-9]+ schedule=dynamic chunk=0 spawn=pool\",\"\",$w,ok,true,run_task,2,([^,]*,){20}[0-9.]+," "$run/summary.csv" ||
			{ echo "no CSV row with a speedup for $label/$w"; fail=1; }
	done
done

# Charts: two bars, two lines (the second variant dashed).
grep -q '"threads (' "$run/plots/01-cpu.image-time.dat" &&
	grep -q '"threads\[stack_kb=256\] (' "$run/plots/01-cpu.image-time.dat" ||
	{ echo "the time chart lacks a bar per variant"; fail=1; }
grep -q ">threads<" "$run/plots/01-cpu.image-speedup.svg" &&
	grep -q ">threads\[stack_kb=256\]<" "$run/plots/01-cpu.image-speedup.svg" ||
	{ echo "the speedup chart lacks a line per variant"; fail=1; }
grep -q "dt 2 title 'threads\[stack_kb=256\]'" "$run/plots/01-cpu.image-speedup.gp" ||
	{ echo "the second variant's line is not dashed"; fail=1; }
# The header says what ran where; the reader is told how to read it.
grep -q '^- \*\*Command\*\*: `concbench matrix --profile .*p.profile --out ' "$run/report.md" ||
	{ echo "report.md's header lacks the command"; fail=1; }
grep -q '^- \*\*Profile\*\*: .*p.profile$' "$run/report.md" ||
	{ echo "report.md's header lacks the profile"; fail=1; }
grep -q '^## How to read this report' "$run/report.md" ||
	{ echo "report.md lacks how to read it"; fail=1; }
grep -q '^| workers | winner | median (95% CI) | n | tasks/s |' "$run/report.md" ||
	{ echo "report.md's table lacks n and tasks/s"; fail=1; }
grep -q 'fewer than 6 samples: their interval is the range' "$run/report.md" ||
	{ echo "report.md does not warn of 2-sample cells"; fail=1; }
grep -q 'threads\\\[stack_kb=256\\\]' "$run/report.md" ||
	{ echo "report.md does not name the variant"; fail=1; }

# Resume after losing the variant's last cell runs exactly that cell again.
head -4 "$run/results.jsonl" >"$dir/four" && mv "$dir/four" "$run/results.jsonl"
"$bin" matrix --resume "$run" >"$dir/out2" 2>&1 || { echo "resume failed"; cat "$dir/out2"; fail=1; }
grep -q "1 cells to run" "$dir/out2" || { echo "resume did not plan exactly the lost cell"; fail=1; }
n=$(wc -l <"$run/results.jsonl")
[ "$n" -eq 5 ] || { echo "expected 5 cells after resume, got $n"; fail=1; }
[ "$fail" -eq 0 ] || { echo "--- output:"; cat "$dir/out"; echo "--- summary.csv:"; cat "$run/summary.csv"; }
exit $fail
