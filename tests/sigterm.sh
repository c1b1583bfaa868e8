#!/bin/sh
# sigterm.sh MIN -- CONCBENCH run ARGS...
# Starts the run, waits until the harness has at least MIN descendant
# processes (cell process, workers, fixture), sends SIGTERM to the harness,
# and passes when every one of them is gone, the harness died of SIGTERM,
# and results.jsonl holds only whole lines.
set -u
min=$1
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The descendants of a pid, from /proc/*/stat (field 4 is the parent).
descendants() {
	awk -v root="$1" '
		FNR == 1 { sub(/^.*\) /, ""); split($0, f, " "); parent[FILENAME] = f[2];
			   p = FILENAME; sub(/^\/proc\//, "", p); sub(/\/stat$/, "", p); pid[FILENAME] = p }
		END { want[root] = 1; changed = 1
		      while (changed) { changed = 0
			for (k in pid) if (!(pid[k] in want) && (parent[k] in want)) { want[pid[k]] = 1; changed = 1 } }
		      for (p in want) if (p != root) print p }' /proc/[0-9]*/stat 2>/dev/null
}

"$@" --out "$dir/run" >/dev/null 2>&1 &
harness=$!
tries=0
while [ "$(descendants "$harness" | wc -l)" -lt "$min" ]; do
	tries=$((tries + 1))
	if [ "$tries" -gt 400 ]; then
		echo "the run never reached $min processes"
		kill -KILL "$harness" 2>/dev/null
		exit 1
	fi
	sleep 0.05
done
sleep 0.2
pids=$(descendants "$harness")
kill -TERM "$harness"
wait "$harness"
status=$?
fail=0
[ "$status" -eq 143 ] || { echo "expected the harness to die of SIGTERM (143), got $status"; fail=1; }
sleep 0.5
for p in $pids; do
	if [ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then
		echo "process $p ($(tr '\0' ' ' <"/proc/$p/cmdline")) is still alive"
		fail=1
	fi
done
if [ -f "$dir/run/results.jsonl" ]; then
	# Every line whole: starts with { and ends with }.
	bad=$(grep -cv '^{.*}$' "$dir/run/results.jsonl")
	[ "$bad" -eq 0 ] || { echo "$bad torn lines in results.jsonl"; fail=1; }
fi
exit $fail
