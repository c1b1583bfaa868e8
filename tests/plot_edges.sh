#!/bin/sh
# plot_edges.sh CONCBENCH CONCBENCH_TEST FIXTURE - charts from awkward
# places: a run folder whose name holds quotes and gnuplot commands (nothing
# may run, every chart must still be drawn), and results holding a strategy
# the registry does not know (skipped, not read out of bounds).
set -u
bin=$1 tbin=$2 fixture=$3
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
fail=0

odd="$base/i';system('touch PWNED');print '\"x"
mkdir -p "$odd"
cp "$fixture/results.jsonl" "$fixture/env.json" "$odd/"
(cd "$base" && "$bin" plot "$odd" >"$base/out1" 2>&1) || { echo "plot in an odd folder failed"; cat "$base/out1"; fail=1; }
if find "$base" -name PWNED | grep -q .; then
	echo "a folder name ran a gnuplot command"
	fail=1
fi
[ -s "$odd/plots/winners.png" ] || { echo "no winners chart in the odd folder"; fail=1; }
[ -s "$odd/plots/01-cpu.image-time.svg" ] || { echo "no time chart in the odd folder"; fail=1; }

"$tbin" run --workload cpu.noop --strategy serial,test.skip,threads --workers 2 --tasks 20 \
	--repeat 1 --warmup 0 --out "$base/unknown" >/dev/null 2>&1
"$bin" plot "$base/unknown" >"$base/out2" 2>&1 || { echo "plot with an unknown strategy failed"; cat "$base/out2"; fail=1; }
[ -s "$base/unknown/plots/winners.png" ] || { echo "no winners chart with an unknown strategy"; fail=1; }
if grep -q "test.skip" "$base/unknown/plots/"*.gp 2>/dev/null; then
	echo "an unknown strategy reached a chart"
	fail=1
fi
exit $fail
