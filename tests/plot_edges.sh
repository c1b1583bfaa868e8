#!/bin/sh
# plot_edges.sh CONCBENCH FIXTURE - charts and reports from awkward places:
# a run folder whose name holds quotes and gnuplot commands (nothing may
# run, every chart must still be drawn), and results holding strategies
# this build does not know - one plainly named, one named to break a
# script - which must still appear in the tables, every chart and the
# report, in the fallback colour, never dropped; and a heatmap whose
# ratios run far past 10x, with a failed cell and cells never run.
set -u
bin=$1 fixture=$2
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

# The fixture's openmp cells become rust.rayon, its processes cells a name
# with a quote and a backquoted command: strategies this build lacks.
run="$base/unknown"
mkdir -p "$run"
cp "$fixture/env.json" "$run/"
sed -e 's/"strategy":"openmp"/"strategy":"rust.rayon"/' \
    -e "s|\"strategy\":\"processes\"|\"strategy\":\"it's\`touch \$IFS$base/PWNED2\`\"|" \
	"$fixture/results.jsonl" >"$run/results.jsonl"
grep -q rust.rayon "$run/results.jsonl" || { echo "the edit did not take"; exit 1; }
"$bin" report "$run" >"$base/out2" 2>&1 || { echo "report with unknown strategies failed"; cat "$base/out2"; fail=1; }
[ ! -e "$base/PWNED2" ] || { echo "a strategy's name ran as a command"; fail=1; }
for f in 01-cpu.image-time 01-cpu.image-speedup 01-cpu.image-busy 01-cpu.image-latency winners; do
	[ -s "$run/plots/$f.png" ] || { echo "no $f chart"; fail=1; }
done
grep -q '^"rust.rayon (2)" [^ ]* [^ ]* [^ ]* 8 ' "$run/plots/01-cpu.image-time.dat" ||
	{ echo "rust.rayon has no bar in the fallback colour (8) of the time chart"; fail=1; }
grep -q '>rust.rayon<' "$run/plots/01-cpu.image-speedup.svg" ||
	{ echo "rust.rayon has no line in the speedup chart"; fail=1; }
grep -q '>rust.rayon<' "$run/plots/winners.svg" || { echo "rust.rayon is not a heatmap column"; fail=1; }
grep -q "it's.touch" "$run/plots/winners.svg" || { echo "the odd name is not a heatmap column"; fail=1; }
grep -q 'rust.rayon/2' "$run/report.md" || { echo "report.md does not name rust.rayon"; fail=1; }
grep -q '| 2 | .*rust.rayon' "$run/report.md" || { echo "report.md's table lacks rust.rayon"; fail=1; }

# The heatmap's colour scale is open to the largest ratio: serial's io.sleep
# made 100 times slower is 996x the event loop, so the scale runs to 1000x
# (the next 1-2-5 step), every ratio inside it. processes failing on
# cpu.image is a grey "failed" cell; io.sleep never ran processes: "-".
run="$base/wide"
mkdir -p "$run"
cp "$fixture/env.json" "$run/"
sed -e '/"workload":"io.sleep".*"strategy":"serial"/s/"median_s":5.0,/"median_s":500.0,/' \
    -e '/"workload":"cpu.image".*"strategy":"processes"/s/"status":"ok"/"status":"failed"/' \
	"$fixture/results.jsonl" >"$run/results.jsonl"
grep -q '"median_s":500.0' "$run/results.jsonl" || { echo "the median edit did not take"; exit 1; }
"$bin" plot "$run" >"$base/out3" 2>&1 || { echo "plot of the wide run failed"; cat "$base/out3"; fail=1; }
[ -s "$run/plots/winners.png" ] || { echo "no winners chart for the wide run"; fail=1; }
gp="$run/plots/winners.gp" dat="$run/plots/winners.dat"
grep -q '^set logscale cb' "$gp" || { echo "the heatmap's colour scale is not logarithmic"; fail=1; }
grep -q '^set cbrange \[1:1000\]$' "$gp" || { echo "the colour scale does not run to 1000x: $(grep cbrange "$gp")"; fail=1; }
grep -q "^set cbtics ('1x' 1, '2x' 2, '5x' 5, '10x' 10, .*'1000x' 1000)$" "$gp" ||
	{ echo "the colour scale's ticks are not 1x 2x 5x 10x ... 1000x: $(grep cbtics "$gp")"; fail=1; }
top=$(sed -n 's/^set cbrange \[1:\([0-9.]*\)\]$/\1/p' "$gp")
awk -v top="${top:-0}" 'BEGIN { block = 0 } /^$/ { block = 1 } !block && NF && $3 > top { bad = 1 }
	END { exit bad }' "$dat" || { echo "a ratio lies above the colour scale's top ($top)"; fail=1; }
# The slowest cell's number in white on the dark end, the winner's in black.
grep -q '^0 1 996[.0-9]* 16777215 "996x"$' "$dat" || { echo "serial's 996x is not in white on its dark cell"; fail=1; }
grep -q '^3 1 1 0 "1.00x"$' "$dat" || { echo "the io.sleep winner's 1.00x is not in black"; fail=1; }
grep -q '^2 0 [0-9]* "failed"$' "$dat" || { echo "processes' failed cpu.image cell is not a 'failed' cell"; fail=1; }
grep -q '^2 1 [0-9]* "-"$' "$dat" || { echo "processes, never run on io.sleep, is not a '-' cell"; fail=1; }
exit $fail
