#!/bin/sh
# order.sh CONCBENCH - interleaved and sequential rounds give the same cell
# set with the same digests, and the same seed gives the same order.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
run() {
	order=$1 out=$2
	shift 2
	"$bin" run --workload cpu.image --strategy serial,threads,processes,openmp --workers 1,3 \
		--tasks 7 --param size=48 --repeat 3 --max-repeat 3 --order "$order" "$@" \
		--out "$dir/$out" >"$dir/$out.out" 2>&1 ||
		{ echo "the $order run failed"; cat "$dir/$out.out"; fail=1; }
	# strategy, workers and digest of every cell, one per line, sorted
	sed 's/.*"strategy":"\([^"]*\)".*"workers":\([0-9]*\).*"digest":"\([0-9a-f]*\)".*/\1 \2 \3/' \
		"$dir/$out/results.jsonl" | sort >"$dir/$out.cells"
}
run interleaved i --seed 7
run sequential s
[ "$(wc -l <"$dir/i.cells")" -eq 7 ] || { echo "expected 7 cells"; cat "$dir/i.cells"; fail=1; }
cmp -s "$dir/i.cells" "$dir/s.cells" ||
	{ echo "interleaved and sequential differ:"; diff "$dir/i.cells" "$dir/s.cells"; fail=1; }
[ "$(cut -d' ' -f3 "$dir/i.cells" | sort -u | wc -l)" -eq 1 ] ||
	{ echo "the cells do not share one digest"; fail=1; }
grep -q '"order":"interleaved","seed":7' "$dir/i/env.json" ||
	grep -q '"seed": *7' "$dir/i/env.json" || { echo "env.json lacks the seed"; fail=1; }
grep -q '"order": *"sequential"' "$dir/s/env.json" || grep -q '"order":"sequential"' "$dir/s/env.json" ||
	{ echo "env.json lacks the order"; fail=1; }
exit $fail
