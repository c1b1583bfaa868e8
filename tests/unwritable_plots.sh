#!/bin/sh
# unwritable_plots.sh CONCBENCH - the .tmp charts a killed drawing left go
# with the next one; charts that cannot be written fail the
# command (exit 1, the reason said) rather than "0 files" and exit 0; a
# folder whose results.jsonl is not results is bad input to report, plot
# and compare alike (exit 2, one line).
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
"$bin" run --workload cpu.noop --strategy serial --tasks 10 --repeat 1 --max-repeat 1 --warmup 0 \
	--out "$dir/run" >/dev/null 2>&1 || { echo "the run failed"; exit 1; }
# What a drawing killed part-way leaves goes with the next drawing.
touch "$dir/run/plots/01-cpu.noop-time.png.tmp" "$dir/run/plots/01-cpu.noop-time.svg.tmp"
"$bin" plot "$dir/run" >/dev/null 2>&1 || { echo "plot failed"; fail=1; }
! ls "$dir/run/plots" | grep -q '\.tmp$' || { echo "stale .tmp charts were left"; fail=1; }
rm -rf "$dir/run/plots"
echo "not a folder" >"$dir/run/plots"
for cmd in plot report; do
	"$bin" "$cmd" "$dir/run" >"$dir/out" 2>"$dir/err"
	rc=$?
	[ "$rc" -eq 1 ] || { echo "$cmd with plots/ unwritable exited $rc, not 1"; fail=1; }
	grep -q "cannot write in '$dir/run/plots'" "$dir/err" || { echo "$cmd does not say why"; cat "$dir/err"; fail=1; }
done
mkdir "$dir/bad"
echo "garbage" >"$dir/bad/results.jsonl"
for cmd in plot report compare; do
	if [ "$cmd" = compare ]; then "$bin" compare "$dir/bad" "$dir/run" >"$dir/out" 2>"$dir/err"
	else "$bin" "$cmd" "$dir/bad" >"$dir/out" 2>"$dir/err"; fi
	rc=$?
	[ "$rc" -eq 2 ] || { echo "$cmd on a bad results file exited $rc, not 2"; fail=1; }
	[ "$(wc -l <"$dir/err")" -eq 1 ] && grep -q "^concbench: $cmd: .*results.jsonl line 1 is not a cell" "$dir/err" ||
		{ echo "$cmd: not the one line expected"; cat "$dir/err"; fail=1; }
done
exit $fail
