#!/bin/sh
# resume_failed.sh CONCBENCH - a matrix with a failed cell exits 1, and so
# does its resume, although the resume has nothing left to run: the
# results on disk decide.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/p.profile" <<'PROFILE'
repeat 1
max-repeat 1
warmup 0
io.http tasks=3 workers=2 strategies=threads,eventloop reference=threads timeout=30 url=http://127.0.0.1:1/delay/{ms}
PROFILE
fail=0
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >"$dir/out1" 2>&1
[ $? -eq 1 ] || { echo "the matrix with failing cells did not exit 1"; cat "$dir/out1"; fail=1; }
"$bin" matrix --resume "$dir/run" >"$dir/out2" 2>&1
[ $? -eq 1 ] || { echo "its resume did not exit 1"; cat "$dir/out2"; fail=1; }
grep -q "2 cells failed" "$dir/out2" || { echo "the resume did not count the failed cells"; fail=1; }
grep -q "0 of the 2 cells finished" "$dir/run/report.md" || { echo "report.md claims cells finished"; fail=1; }
exit $fail
