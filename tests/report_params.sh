#!/bin/sh
# report_params.sh BIN - variants of one strategy that differ in one
# parameter are compared in report.md: a schedule pair on cpu.mandelbrot
# (whichever wins, or a tie), and spawning per task against a pool on
# cpu.noop, priced per task against calibration.json's thread start; and
# mixed.pipeline's stages run apart against the best whole-task strategy;
# cpu.image's result_bytes, two experiments side by side.
set -eu
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/p.profile" <<'PROFILE'
repeat 3
max-repeat 3
warmup 0
cpu.mandelbrot tasks=16 size=64 iterations=200 workers=2 strategies=serial,threads schedule=static
cpu.mandelbrot tasks=16 size=64 iterations=200 workers=2 strategies=threads
cpu.noop tasks=300 workers=2 strategies=serial,threads spawn=per_task repeat=10 max-repeat=10
cpu.noop tasks=300 workers=2 strategies=threads repeat=10 max-repeat=10
mixed.pipeline tasks=12 latency_ms=2 bytes=3000 size=32 workers=2 strategies=serial,threads,pipeline
mixed.pipeline tasks=12 latency_ms=2 bytes=3000 size=32 workers=2 strategies=pipeline compute=processes
cpu.image tasks=8 size=32 result_bytes=0 workers=2 strategies=serial,threads,processes
cpu.image tasks=8 size=32 result_bytes=200000 workers=2 strategies=serial,threads,processes
PROFILE
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >/dev/null 2>&1
# What is under test is the paragraph, not this machine's quiet: cells a
# busy machine flagged are unflagged, and the report written again.
/usr/bin/python3 - "$dir/run/results.jsonl" <<'PY'
import json, sys
path = sys.argv[1]
lines = []
for line in open(path):
    r = json.loads(line)
    r["interference"] = False
    lines.append(json.dumps(r))
open(path, "w").write("\n".join(lines) + "\n")
PY
"$bin" report "$dir/run" >/dev/null
fail=0
grep -Eq '^\*\*Strategy parameters\*\*' "$dir/run/report.md" ||
	{ echo "FAIL: no strategy parameters paragraph"; fail=1; }
grep -Eq '^- threads at 2 workers: schedule=(static|dynamic) takes [0-9.]+ [^ ]*s, schedule=(static|dynamic) [0-9.]+ [^ ]*s(: schedule=(static|dynamic) is [0-9.]+x slower|; their intervals overlap)' "$dir/run/report.md" ||
	{ echo "FAIL: the schedules are not compared"; fail=1; }
# Priced per task; or, on a machine so busy that the two cells' intervals
# overlap (both cores taken by others), compared without a price.
grep -Eq '^- threads at 2 workers: (spawn=pool takes .*, spawn=per_task .*: spawn=per_task is [0-9.]+x slower; a worker per task costs [0-9.]+ [^ ]*s more per task over 300 tasks \(calibration.json: thread starts at [0-9.]+ [^ ]*s each\)|spawn=(pool|per_task) takes [0-9.]+ [^ ]*s, spawn=(pool|per_task) [0-9.]+ [^ ]*s; their intervals overlap: no difference this run can tell)\.$' "$dir/run/report.md" ||
	{ echo "FAIL: spawning per task is not priced per task"; fail=1; }
grep -Eq '^\*\*Stages run apart\*\*' "$dir/run/report.md" ||
	{ echo "FAIL: no stages paragraph"; fail=1; }
grep -Eq '^- The best combination, pipeline[^ ]* at 2 workers, takes [0-9.]+ [^ ]*s \([0-9.]+k? tasks/s\); the best strategy that runs each task whole, (serial|threads) at [12], takes [0-9.]+ [^ ]*s \([0-9.]+k? tasks/s\)(: the combination is [0-9.]+x (faster|slower)|: their intervals overlap)' "$dir/run/report.md" ||
	{ echo "FAIL: the best combination is not compared with the best whole-task strategy"; fail=1; }
grep -Eq '^- pipeline\\\[compute=processes\\\] at 2 workers: [0-9.]+k? tasks/s; fetch [0-9.]+ [^ ]*s, compute [0-9.]+ [^ ]*s, [0-9.]+ [^ ]*s in the queue \(depth 64\); fetchers waited on a full queue: (never|[0-9]+ times? [^;]*); computers on an empty one: ' "$dir/run/report.md" ||
	{ echo "FAIL: a stage cell's figures are missing"; fail=1; }
grep -q '^## Across experiments$' "$dir/run/report.md" ||
	{ echo "FAIL: no section across experiments"; fail=1; }
grep -Eq '^\*\*cpu.image, by result_bytes, at 2 workers\*\* \(experiments [0-9]+, [0-9]+\):$' "$dir/run/report.md" ||
	{ echo "FAIL: no result_bytes sweep at 2 workers"; fail=1; }
grep -Eq '^\| result_bytes \| threads \| processes \|$' "$dir/run/report.md" &&
grep -Eq '^\| 0 \| [0-9.]+ [^ ]*s( \(disturbed\))? \| [0-9.]+ [^ ]*s( \(disturbed\))? \|$' "$dir/run/report.md" &&
grep -Eq '^\| 200000 \| [0-9.]+ [^ ]*s( \(disturbed\))? \| [0-9.]+ [^ ]*s( \(disturbed\))? \|$' "$dir/run/report.md" ||
	{ echo "FAIL: the sweep's table is not whole"; fail=1; }
[ $fail = 0 ] || { grep -A4 -e 'Strategy parameters' -e 'Stages run apart' -e 'by result_bytes' "$dir/run/report.md"; exit 1; }
