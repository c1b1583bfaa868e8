#!/usr/bin/env bash
# bench/checkpoint_cost.sh - what task_checkpoint costs a strategy that
# installs no hooks: the same cells run by two builds, one with the
# checkpoints compiled out (-DCONCBENCH_NO_CHECKPOINTS, in build-nocp/),
# alternately, one `concbench once` at a time, so both see the same
# machine. Prints each cell's median wall time (the strategy's own run)
# for both builds and their ratio.
#
# Usage: bench/checkpoint_cost.sh [--rounds N]   (default 15)
# Run it on an otherwise quiet machine (check uptime first).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=15
if [ "${1:-}" = --rounds ]; then
	rounds=$2
fi
with=$here/build/concbench
without=$here/build-nocp/concbench
[ -x "$with" ] || { echo "checkpoint_cost.sh: build the release preset first (build/)" >&2; exit 2; }
cmake -S "$here" -B "$here/build-nocp" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_C_FLAGS=-DCONCBENCH_NO_CHECKPOINTS >/dev/null
cmake --build "$here/build-nocp" -j2 --target concbench >/dev/null
/usr/bin/python3 - "$with" "$without" "$rounds" <<'PY'
import json, statistics, subprocess, sys
with_bin, without_bin, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
cells = [
    ("cpu.image threads W=2", ["--workload", "cpu.image", "--strategy", "threads", "--workers", "2",
                               "--tasks", "32", "--param", "size=384"]),
    ("cpu.image serial", ["--workload", "cpu.image", "--strategy", "serial", "--workers", "1",
                          "--tasks", "16", "--param", "size=384"]),
    ("cpu.sumsq threads W=2", ["--workload", "cpu.sumsq", "--strategy", "threads", "--workers", "2",
                               "--tasks", "8", "--param", "n=5000000"]),
    ("cpu.mandelbrot openmp W=2", ["--workload", "cpu.mandelbrot", "--strategy", "openmp",
                                   "--workers", "2", "--tasks", "64", "--param", "size=384"]),
]
def once(binary, args):
    out = subprocess.run([binary, "once", "--json"] + args, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.splitlines()[-1])["median_s"]
print("%-28s %12s %12s %8s" % ("cell", "checkpoints", "none", "ratio"))
for name, args in cells:
    a, b = [], []
    for _ in range(rounds):
        a.append(once(with_bin, args))
        b.append(once(without_bin, args))
    ma, mb = statistics.median(a), statistics.median(b)
    print("%-28s %10.3f ms %10.3f ms %7.3fx" % (name, ma * 1e3, mb * 1e3, ma / mb))
PY
