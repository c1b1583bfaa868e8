#!/bin/sh
# plot_edges.sh CONCBENCH FIXTURE - charts and reports from awkward places:
# a run folder whose name holds quotes and gnuplot commands (nothing may
# run, every chart must still be drawn), and results holding strategies
# this build does not know - one plainly named, one named to break a
# script - which must still appear in the tables, every chart and the
# report, in the fallback colour, never dropped.
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
exit $fail
