#!/bin/sh
# decision_map.sh BIN - mixed.blend at three compute shares, at the cores
# and twice them (workers=cores,2xcores): report.md has a decision map per
# worker count whose winner at each share is the variant with the fastest
# ok cell in results.jsonl, a sentence on where the winner changes (or
# that it does not), and the map's chart, drawn.
set -eu
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cores=$(nproc)
cat >"$dir/p.profile" <<'PROFILE'
repeat 3
max-repeat 3
warmup 0
mixed.blend tasks=12 cpu_us=0 io_us=1000 workers=cores,2xcores strategies=serial,threads,eventloop,openmp
mixed.blend tasks=12 cpu_us=500 io_us=500 workers=cores,2xcores strategies=serial,threads,eventloop,openmp
mixed.blend tasks=12 cpu_us=1000 io_us=0 workers=cores,2xcores strategies=serial,threads,eventloop,openmp
PROFILE
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >/dev/null 2>&1
fail=0
grep -q '^## The decision map: mixed.blend$' "$dir/run/report.md" ||
	{ echo "FAIL: no decision map section"; fail=1; }
for w in "$cores" $((2 * cores)); do
	grep -q "^\*\*At $w workers\*\*:" "$dir/run/report.md" ||
		{ echo "FAIL: no map at $w workers"; fail=1; }
	[ -s "$dir/run/plots/map-mixed.blend-w$w.png" ] ||
		{ echo "FAIL: no chart for $w workers"; fail=1; }
	grep -q "^!\[decision map, $w workers\](plots/map-mixed.blend-w$w.png)$" "$dir/run/report.md" ||
		{ echo "FAIL: the chart for $w workers is not linked"; fail=1; }
done
grep -Eq '^On this machine at [0-9]+ workers(: below [0-9]+% computing, [^ ]+ wins(; from [0-9]+%, [^ ;]+)+ \(each change lies between two shares measured|: one leader at every share measured)' "$dir/run/report.md" ||
	{ echo "FAIL: no sentence on where the winner changes"; fail=1; }
# Each share's winner, recomputed from the results.
/usr/bin/python3 - "$dir/run" "$cores" <<'PY' || fail=1
import json, re, sys
run, cores = sys.argv[1], int(sys.argv[2])
cells = [json.loads(l) for l in open(run + "/results.jsonl")]
report = open(run + "/report.md").read()
bad = 0
for w in (cores, 2 * cores):
    section = report.split("**At %d workers**:" % w)[1].split("**At ")[0].split("On this machine")[0]
    for share in (0, 50, 100):
        ok = [c for c in cells if c["status"] == "ok" and c["workers"] == w
              and round(100 * c["params"]["cpu_us"] / 1000) == share]
        best = min(ok, key=lambda c: c["median_s"])["strategy"]
        line = [l for l in section.splitlines()
                if re.search(r"(^- |\b)%d%% (to \d+%% )?computing|[ (]%d%%: " % (share, share), l)]
        if not line or not line[0].split(": ", 1)[1].startswith(best + " wins"):
            print("FAIL: at %d workers and %d%%, the fastest is %s; the report says %s"
                  % (w, share, best, line))
            bad = 1
sys.exit(bad)
PY
[ $fail = 0 ] || { sed -n '/## The decision map/,/## Which/p' "$dir/run/report.md"; exit 1; }
