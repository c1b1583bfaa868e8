#!/bin/sh
# short_write.sh CONCBENCH - a results.jsonl append that fails part-way
# (a full disk; here RLIMIT_FSIZE, which cuts a write short at the limit
# and fails the next with EFBIG) leaves every earlier line whole: the
# fragment is cut back off, the run says results are incomplete (exit 1),
# and once space is back the folder reads and resumes.
set -u
bin=$1
dir=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
fail=0
printf '%s\n' "repeat 2" "max-repeat 2" "warmup 0" \
	"cpu.noop tasks=100 workers=1,2,3,4 strategies=serial,threads,processes,eventloop" >"$dir/p.profile"
# 24 KiB: env.json and matrix.json fit; a few result lines (4-5 KiB each) do not.
(
	trap '' XFSZ
	ulimit -f 48
	exec "$bin" matrix --profile "$dir/p.profile" --out "$dir/run"
) >"$dir/log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { echo "the run with a full disk exited $rc, not 1"; cat "$dir/log"; fail=1; }
grep -q "File too large" "$dir/log" || { echo "no append failed (the test tests nothing)"; fail=1; }
lines=$(wc -l <"$dir/run/results.jsonl")
[ "$lines" -ge 1 ] && [ "$lines" -lt 13 ] || { echo "$lines lines stored; expected some, not all"; fail=1; }
[ "$(tail -c 1 "$dir/run/results.jsonl" | od -An -c | tr -d ' ')" = '\n' ] ||
	{ echo "results.jsonl does not end with a whole line"; fail=1; }
/usr/bin/python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)
' "$dir/run/results.jsonl" || { echo "a line of results.jsonl is not whole JSON"; fail=1; }
"$bin" report "$dir/run" >"$dir/report.log" 2>&1 ||
	{ echo "report refused the folder afterwards"; cat "$dir/report.log"; fail=1; }
"$bin" matrix --resume "$dir/run" >"$dir/resume.log" 2>&1 ||
	{ echo "the resume failed"; tail -5 "$dir/resume.log"; fail=1; }
[ "$(wc -l <"$dir/run/results.jsonl")" -eq 13 ] ||
	{ echo "after the resume: $(wc -l <"$dir/run/results.jsonl") cells, not 13"; fail=1; }
exit $fail
