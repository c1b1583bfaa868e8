#!/bin/sh
# gil_map.sh BIN - the decision map drawn for CPython (the GIL map):
# mixed.blend at two compute shares, at CPython's own pace
# (steps_per_us=7), under py.threading and py.multiprocessing. report.md
# has a map section for the runtime alone (no strategy of this program in
# it), its chart is drawn and linked, and each share's winner is the
# fastest CPython cell there.
set -eu
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/p.profile" <<'PROFILE'
repeat 3
max-repeat 3
warmup 0
mixed.blend tasks=8 cpu_us=0 io_us=4000 steps_per_us=7 workers=2 strategies=py.serial,py.threading,py.multiprocessing
mixed.blend tasks=8 cpu_us=4000 io_us=0 steps_per_us=7 workers=2 strategies=py.serial,py.threading,py.multiprocessing
PROFILE
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >"$dir/log" 2>&1 ||
	{ echo "FAIL: the matrix failed"; cat "$dir/log"; exit 1; }
fail=0
report="$dir/run/report.md"
grep -Eq '^## The decision map: mixed.blend in cpython-3\.[0-9]+t?$' "$report" ||
	{ echo "FAIL: no decision map for CPython"; fail=1; }
chart=$(ls "$dir/run/plots/" | grep -E '^map-mixed\.blend-cpython-3\.[0-9]+t?-w2\.png$' || true)
[ -n "$chart" ] && [ -s "$dir/run/plots/$chart" ] || { echo "FAIL: no GIL map chart"; fail=1; }
grep -q "^!\[decision map, 2 workers\](plots/$chart)$" "$report" ||
	{ echo "FAIL: the GIL map's chart is not linked"; fail=1; }
section=$(sed -n '/^## The decision map: mixed.blend in/,/^## /p' "$report")
echo "$section" | grep -Eq '^- (0%|100%).* (py\.threading|py\.multiprocessing)@cpython-3\.[0-9]+t? wins' ||
	{ echo "FAIL: no CPython winner in the map"; fail=1; }
echo "$section" | grep -Eq '(^| )serial wins|\[serial ' &&
	{ echo "FAIL: a strategy of this program is in CPython's map"; fail=1; }
/usr/bin/python3 - "$dir/run" <<'PY' || fail=1
import json, sys
run = sys.argv[1]
cells = [json.loads(l) for l in open(run + "/results.jsonl")]
text = open(run + "/report.md").read().split("## The decision map: mixed.blend in")[1]
for share, cpu in ((0, 0), (100, 4000)):
    ok = [c for c in cells if c["status"] == "ok" and c["workers"] == 2
          and c["runtime"] and c["params"]["cpu_us"] == cpu]
    best = min(ok, key=lambda c: c["median_s"])
    line = [l for l in text.splitlines() if l.startswith("- %d%%" % share)
            or (l.startswith("- 0% to 100%") and share in (0, 100))]
    if not line or (best["strategy"] + "@") not in line[0].split(" wins")[0]:
        print("FAIL: at %d%% the fastest is %s; the report says %s" % (share, best["strategy"], line))
        sys.exit(1)
PY
[ "$fail" -eq 0 ] || echo "$section"
exit $fail
