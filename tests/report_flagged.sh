#!/bin/sh
# report_flagged.sh BIN - a cell others disturbed gets no behavioural
# sentence in report.md: the stored run-a fixture with cpu.image's
# eventloop cell marked interference says of it only that no lesson is
# drawn, where unmarked it says why it fell short (one core).
set -eu
bin=$1
here=$(dirname "$0")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r "$here/fixtures/run-a/." "$dir/"
"$bin" report "$dir" >/dev/null
grep -Eq '^- eventloop reached .* it computed on one core' "$dir/report.md" ||
	{ echo "FAIL: unmarked, the one-core lesson is missing"; exit 1; }
/usr/bin/python3 - "$dir/results.jsonl" <<'PY'
import json, sys
path = sys.argv[1]
lines = []
for line in open(path):
    r = json.loads(line)
    if r["workload"] == "cpu.image" and r["strategy"] == "eventloop":
        r["interference"] = True
        r["foreign_cores"] = 0.9
    lines.append(json.dumps(r))
open(path, "w").write("\n".join(lines) + "\n")
PY
"$bin" report "$dir" >/dev/null
section=$(awk '/^## [0-9]+\. cpu\.image/{on=1; next} /^## /{on=0} on' "$dir/report.md")
said=$(printf '%s\n' "$section" | grep -E '^- eventloop' || true)
[ -n "$said" ] || { echo "FAIL: nothing said of the disturbed cell"; exit 1; }
if printf '%s\n' "$said" | grep -v 'no lesson drawn'; then
	echo "FAIL: a behavioural sentence about a disturbed cell"; exit 1
fi
echo "ok: $said"
