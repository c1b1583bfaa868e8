#!/bin/sh
# interference.sh CONCBENCH - a busy loop on one core during a cpu.image run
# of serial and threads at 2 workers flags both cells "interference"; the
# same run without it, in this test, flags neither. Cells of samples too
# short to judge one by one (cpu.noop) are flagged under the busy loop too. Runs alone (RUN_SERIAL):
# other tests would be interference too.
set -u
bin=$1
dir=$(mktemp -d)
hog=""
trap '[ -n "$hog" ] && kill "$hog" 2>/dev/null; rm -rf "$dir"' EXIT
# Samples of some 80-160 ms: threads at 2 workers leave the busy loop half
# a core, so its share of a sample (40 ms and more) stays well above the
# 20 ms the /proc/stat counters can resolve. Disturbed samples are taken again up to --repeat (4) times, so a
# passing burst does not flag a cell; a hog for the whole run does.
run() {
	dir_=$1
	shift
	"$bin" run --workload cpu.image --strategy serial,threads --workers 2 --tasks 128 \
		--param size=256 --repeat 4 --max-repeat 4 --max-time 10 --out "$dir_" "$@" \
		>"$dir_.out" 2>&1
}
fail=0
count() { grep -c "\"interference\":$2" "$1/results.jsonl"; }

# The quiet half needs a quiet machine: the run waits for one (its own
# --wait-quiet). Still busy after that (another job on the machine), the
# test is skipped, not failed; a burst that starts later gets two more tries.
quiet=""
for try in 1 2 3; do
	rm -rf "$dir/quiet"
	run "$dir/quiet" --wait-quiet 30 || { echo "the quiet run failed"; cat "$dir/quiet.out"; exit 1; }
	if grep -q '"busy": *true' "$dir/quiet/env.json"; then
		echo "the machine stayed busy for 30 s: the quiet half cannot be checked here"
		cat "$dir/quiet.out"
		exit 77
	fi
	[ "$(count "$dir/quiet" false)" -eq 2 ] && { quiet=ok; break; }
	echo "try $try: the quiet run flagged a cell"
	cat "$dir/quiet.out"
done
[ -n "$quiet" ] || fail=1

sh -c 'while :; do :; done' &
hog=$!
run "$dir/hog" || { echo "the run with the hog failed"; cat "$dir/hog.out"; fail=1; }
# Samples of a few ms, too short to judge one by one: judged together.
# Single-threaded strategies, so the busy loop keeps a whole core.
"$bin" run --workload cpu.noop --strategy serial,eventloop --workers 2 --tasks 200000 \
	--repeat 20 --max-repeat 20 --out "$dir/short" >"$dir/short.out" 2>&1 ||
	{ echo "the short run with the hog failed"; cat "$dir/short.out"; fail=1; }
kill "$hog"
hog=""
[ "$(count "$dir/hog" true)" -eq 2 ] ||
	{ echo "the hog did not flag both cells"; cat "$dir/hog.out"; fail=1; }
[ "$(count "$dir/short" true)" -eq 2 ] ||
	{ echo "the hog did not flag the cells of short samples"; cat "$dir/short.out"; fail=1; }
grep -q "interference: other processes used" "$dir/hog.out" ||
	{ echo "the table does not say why the cells are flagged"; fail=1; }
grep -q '"retaken_samples":4' "$dir/hog/results.jsonl" ||
	{ echo "the disturbed samples were not taken again"; fail=1; }
grep -q "no lesson is drawn" "$dir/hog/report.md" ||
	{ echo "report.md draws a lesson from flagged cells"; fail=1; }
grep -q "no lesson" "$dir/quiet/report.md" &&
	{ echo "report.md withholds a lesson from the quiet run"; fail=1; }
grep -q "the machine is busy" "$dir/hog.out" ||
	{ echo "no warning that the machine was busy before the run"; fail=1; }
exit $fail
