#!/bin/sh
# sigterm.sh CONCBENCH - SIGTERM to the harness while a cell's forked
# workers are running must leave no process of the run behind, and must not
# touch the results already written.
set -u
bin=$1
dir=$(mktemp -d)
tag="$dir/sigterm-run"
trap 'rm -rf "$dir"' EXIT

# Processes whose command line names this run: the harness, the cell
# process and its workers all carry it (forks share the command line).
count() {
	n=0
	for p in /proc/[0-9]*; do
		if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "$tag"; then
			n=$((n + 1))
		fi
	done
	echo "$n"
}

# serial first (8 x 300 ms), then processes: 2 workers, 4 tasks each.
"$bin" run --workload io.sleep --strategy serial,processes --workers 2 --tasks 8 \
	--param latency_ms=300 --repeat 1 --warmup 0 --out "$tag" >/dev/null 2>&1 &
harness=$!

# Wait for harness + cell process + 2 workers.
tries=0
while [ "$(count)" -lt 4 ]; do
	tries=$((tries + 1))
	if [ "$tries" -gt 400 ]; then
		echo "the processes cell never started its workers"
		kill -KILL "$harness" 2>/dev/null
		exit 1
	fi
	sleep 0.05
done
kill -TERM "$harness"
wait "$harness"
status=$?
fail=0
[ "$status" -eq 143 ] || { echo "expected the harness to die of SIGTERM (143), got $status"; fail=1; }
sleep 0.3
left=$(count)
[ "$left" -eq 0 ] || { echo "$left processes of the run are still alive"; fail=1; }
lines=$(wc -l <"$tag/results.jsonl")
[ "$lines" -eq 1 ] || { echo "expected serial's line alone in results.jsonl, got $lines"; fail=1; }
grep -q '"strategy":"serial".*"status":"ok"' "$tag/results.jsonl" || { echo "serial's line is not intact"; fail=1; }
exit $fail
