#!/bin/sh
# chart_axes.sh CONCBENCH - the charts' axes follow the data: a log time
# axis when the medians differ more than 20-fold (serial waiting 100 times
# against an event loop waiting once), a linear one otherwise, and the
# speedup chart's ticks at exactly the worker counts that ran; every sample
# a dot on the time chart; the clocks chart's axis decided on both clocks
# together (real hyperfine); a task run time CDF for io.sleep's
# milliseconds, none (and no link to one) for cpu.noop's nanoseconds.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
"$bin" run --workload io.sleep --strategy serial,eventloop --workers 10,100 --tasks 100 \
	--param latency_ms=2 --repeat 3 --max-repeat 3 --warmup 0 --out "$dir/wide" >"$dir/wide.out" 2>&1 ||
	{ echo "the io.sleep run failed"; cat "$dir/wide.out"; fail=1; }
grep -q '^set logscale y' "$dir/wide/plots/01-io.sleep-time.gp" ||
	{ echo "a 100-fold spread got a linear time axis"; fail=1; }
grep -q "^set xtics (1, 10, 100)" "$dir/wide/plots/01-io.sleep-speedup.gp" ||
	{ echo "the speedup chart's ticks are not the worker counts 1, 10, 100"; fail=1; }
[ -s "$dir/wide/plots/01-io.sleep-latency.png" ] ||
	{ echo "io.sleep's 2 ms tasks got no task run time chart"; fail=1; }
grep -q '(plots/01-io.sleep-latency.png)' "$dir/wide/report.md" ||
	{ echo "report.md does not link io.sleep's task run time chart"; fail=1; }
# cpu.noop's tasks take nanoseconds: a run-time CDF would chart the clock.
"$bin" run --workload cpu.noop --strategy serial,threads --workers 2 --tasks 1000 --repeat 2 \
	--max-repeat 2 --warmup 0 --out "$dir/noop" >"$dir/noop.out" 2>&1 ||
	{ echo "the cpu.noop run failed"; cat "$dir/noop.out"; fail=1; }
[ -s "$dir/noop/plots/01-cpu.noop-time.png" ] || { echo "cpu.noop got no time chart"; fail=1; }
if ls "$dir"/noop/plots/01-cpu.noop-latency.* >/dev/null 2>&1; then
	echo "cpu.noop's sub-microsecond tasks got a task run time chart"
	fail=1
fi
if grep -q 'cpu.noop-latency' "$dir/noop/report.md"; then
	echo "report.md links a task run time chart cpu.noop does not have"
	fail=1
fi
# Two cells doing the same computing on one core (an event loop runs CPU
# tasks inline): close medians in any build, sanitizers included.
"$bin" run --workload cpu.image --strategy serial,eventloop --workers 1 --tasks 4 \
	--param size=64 --repeat 3 --max-repeat 3 --warmup 0 --out "$dir/narrow" \
	>"$dir/narrow.out" 2>&1 || { echo "the cpu.image run failed"; cat "$dir/narrow.out"; fail=1; }
grep -q '^set yrange \[0:\*\]' "$dir/narrow/plots/01-cpu.image-time.gp" ||
	{ echo "close medians did not get a linear axis from 0"; fail=1; }
# Every sample is a dot: the time chart's second data block holds all 6.
dots=$(awk 'BEGIN { block = 0 } /^$/ { blank++; next } { if (blank >= 2) block = 1; blank = 0; if (block) n++ } END { print n + 0 }' \
	"$dir/narrow/plots/01-cpu.image-time.dat")
[ "$dots" -eq 6 ] || { echo "the time chart has $dots sample dots, expected 6"; fail=1; }
# The two clocks: cpu.noop's run takes microseconds, the whole process
# (exec, libraries, setup) milliseconds. Each clock alone is even across
# strategies; together they are far more than 20-fold apart: a log axis.
"$bin" hyperfine --workload cpu.noop --strategy serial,threads --workers 2 --tasks 100 --runs 2 \
	--warmup 0 --out "$dir/clocks" >"$dir/clocks.out" 2>&1 ||
	{ echo "the hyperfine run failed"; cat "$dir/clocks.out"; fail=1; }
clocks=$(ls "$dir"/clocks/plots/*-clocks.gp 2>/dev/null)
if [ -z "$clocks" ]; then
	echo "no clocks chart was drawn"
	fail=1
else
	grep -q '^set logscale y' "$clocks" ||
		{ echo "in-process and whole-process times 20-fold apart got a linear axis"; fail=1; }
	grep -q ", log scale)" "$clocks" || { echo "the clocks chart's axis does not say log scale"; fail=1; }
fi
exit $fail
