#!/bin/sh
# report_runtime.sh CONCBENCH - report.md sets another runtime's cells
# beside their counterparts here: py.threading beside gil, each speedup
# over its own runtime's serial (py.serial's cell is CPython's baseline,
# so py.threading's speedup is not over C's serial), a verdict on the
# ratio, and the two clocks' start-up.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
"$bin" run --workload cpu.sumsq --tasks 4 --param n=20000 --workers 2 \
	--strategy serial,gil,py.serial,py.threading --repeat 3 --max-repeat 3 --warmup 0 \
	--out "$dir/r" >"$dir/log" 2>&1 || { echo "the run failed"; cat "$dir/log"; exit 1; }
report="$dir/r/report.md"
grep -q '^## Another runtime beside this one' "$report" || { echo "no runtime section"; fail=1; }
grep -Eq '^\| 2 \| py\.threading@cpython-3\.[0-9]+t? \| [0-9.]+ ms \| [0-9.]+x.* \| gil \| .* \| [0-9.]+x \| (reproduced|differs) \|$' "$report" ||
	{ echo "no row setting py.threading beside gil"; fail=1; }
grep -Eq '^- gil against py\.threading@cpython-3\.[0-9]+t?: (the same speedup|a different one) at 2 workers' "$report" ||
	{ echo "no sentence on gil against py.threading"; fail=1; }
grep -Eq '^\| py\.serial@cpython-3\.[0-9]+t? \| 1 \| [0-9.]+ ms \| [0-9.]+ ms \| [0-9.]+ ms \|$' "$report" ||
	{ echo "no start-up row for py.serial"; fail=1; }
# The speedup over CPython's own serial, from the stored medians.
/usr/bin/python3 - "$dir/r/results.jsonl" "$report" <<'PY' || fail=1
import json, re, sys
cells = [json.loads(l) for l in open(sys.argv[1])]
med = {c["strategy"]: c["median_s"] for c in cells}
want = med["py.serial"] / med["py.threading"]
text = open(sys.argv[2]).read()
m = re.search(r"^\| 2 \| py\.threading@\S+ \| [0-9.]+ ms \| ([0-9.]+)x", text, re.M)
if not m or abs(float(m.group(1)) - want) > 0.006:
    print("py.threading's speedup is %s, not py.serial's median over its own (%.2f)"
          % (m.group(1) if m else "missing", want))
    sys.exit(1)
PY
[ "$fail" -eq 0 ] || sed -n '/^## Another runtime/,/^## /p' "$report"
exit $fail
