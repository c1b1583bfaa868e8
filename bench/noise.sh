#!/usr/bin/env bash
# bench/noise.sh - what a burst of outside load does to the speedups, with
# each cell's samples in a row (sequential) and in shuffled rounds
# (interleaved), with and without taking disturbed samples again.
#
# Usage: bench/noise.sh [--samples N]
#   --samples N   measured samples per cell (default 20; exactly N)
#
# What it does:
#   1. Two quiet runs of the cpu.image cell set (32 tasks of 384x384;
#      serial, threads, processes, openmp at 1 and 2 workers), one
#      sequential, one interleaved: the mean of their speedups is the truth,
#      the first one's wall time T the run's length, and the error of each
#      against the truth is the noise floor.
#   2. Four noisy runs: sequential and interleaved, each with --retakes 0
#      (disturbed samples kept, only flagged) and with the default retakes.
#      In each, a busy loop on one core (a shell `while :`) runs for the
#      middle third: from T/3 to 2T/3 after the run starts.
#   3. Prints, per run, every cell's speedup, its error against the quiet
#      run, the mean and the largest error, and the cells flagged
#      "interference". No assertion: exits 0 when the runs completed.
# Run it on an otherwise quiet machine (check uptime first).
#
# Environment: CONCBENCH=path overrides the binary (default build/concbench).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${CONCBENCH:-$here/build/concbench}
samples=20
while [ $# -gt 0 ]; do
	case $1 in
	--samples) samples=$2; shift 2 ;;
	*) echo "bench/noise.sh: unknown option '$1'; accepted: --samples N" >&2; exit 2 ;;
	esac
done
py=/usr/bin/python3
dir=$(mktemp -d)
hog=""
trap '[ -n "$hog" ] && kill "$hog" 2>/dev/null; rm -rf "$dir"' EXIT

run() { # name order retakes
	"$bin" run --workload cpu.image --strategy serial,threads,processes,openmp --workers 1,2 \
		--tasks 32 --param size=384 --repeat "$samples" --max-repeat "$samples" \
		--max-time 1000 --order "$2" --retakes "$3" --seed 1 --out "$dir/$1" >"$dir/$1.out" 2>&1
}

now() { "$py" -c 'import time; print(time.monotonic())'; }
t0=$(now)
run quiet sequential 0
third=$("$py" -c "print(($(now) - $t0) / 3)")
run quiet2 interleaved 0
echo "quiet run: a third is ${third} s"

noisy() { # name order retakes
	run "$1" "$2" "$3" &
	local pid=$!
	sleep "$third"
	sh -c 'while :; do :; done' &
	hog=$!
	sleep "$third"
	kill "$hog"
	hog=""
	wait "$pid" || true
}
noisy seq-keep sequential 0
noisy int-keep interleaved 0
noisy seq-retake sequential "$samples"
noisy int-retake interleaved "$samples"

"$py" - "$dir" <<'PY'
import json, statistics, sys
d = sys.argv[1]
def load(name):
    cells = {}
    for line in open(f"{d}/{name}/results.jsonl"):
        r = json.loads(line)
        cells[(r["strategy"], r["workers"])] = r
    base = cells[("serial", 1)]["median_s"]
    return {k: (base / r["median_s"], r) for k, r in cells.items()}
q1, q2 = load("quiet"), load("quiet2")
quiet = {k: ((q1[k][0] + q2[k][0]) / 2, q1[k][1]) for k in q1}
print(f"{'run':<12} {'mean err':>9} {'max err':>9} {'flagged':>8} {'retaken':>8}")
for name in ("quiet", "quiet2", "seq-keep", "int-keep", "seq-retake", "int-retake"):
    run = load(name)
    errs, flagged, retaken = [], 0, 0
    for k, (s, r) in sorted(run.items()):
        e = abs(s - quiet[k][0]) / quiet[k][0]
        errs.append(e)
        flagged += r["interference"]
        retaken += r.get("retaken_samples", 0)
    print(f"{name:<12} {100*statistics.mean(errs):8.1f}% {100*max(errs):8.1f}% {flagged:>8} {retaken:>8}")
print()
names = ("quiet", "quiet2", "seq-keep", "int-keep", "seq-retake", "int-retake")
print(f"{'cell':<16} {'truth':>7}  " + "  ".join(f"{n:>10}" for n in names))
runs = {n: load(n) for n in names}
for k in sorted(quiet):
    row = f"{k[0]+'/'+str(k[1]):<16} {quiet[k][0]:6.2f}x  "
    row += "  ".join(f"{runs[n][k][0]:9.2f}{'!' if runs[n][k][1]['interference'] else ' '}" for n in runs)
    print(row)
print("(! = flagged interference)")
PY
