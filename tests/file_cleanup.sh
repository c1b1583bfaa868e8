#!/bin/sh
# file_cleanup.sh BIN TESTBIN - io.file leaves no file behind: after a
# run that succeeded, after cells that failed (a crash, a hang the timeout
# killed), and after the cell's process was killed with SIGKILL in the
# middle of writing its files.
set -u
bin=$1
tbin=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

left() { # FOLDER: what io.file left there
	find "$1" \( -path '*/scratch*' -o -name 'task-*' \) -print
}

"$bin" run --workload io.file --strategy serial,threads,processes,eventloop --workers 1,3 \
	--tasks 9 --param bytes=5000 --repeat 2 --max-repeat 2 --warmup 1 --out "$dir/ok" \
	>/dev/null 2>&1 || { echo "FAIL: the run failed"; fail=1; }
[ -z "$(left "$dir/ok")" ] || { echo "FAIL: left after success:"; left "$dir/ok"; fail=1; }

"$tbin" run --workload io.file --strategy test.crash,test.hang --tasks 3 --param bytes=5000 \
	--repeat 1 --max-repeat 1 --warmup 0 --timeout 2 --out "$dir/bad" >/dev/null 2>&1
grep -q '"status":"timeout"' "$dir/bad/results.jsonl" &&
	grep -q 'killed by signal 11' "$dir/bad/results.jsonl" ||
	{ echo "FAIL: the broken cells were not recorded"; fail=1; }
[ -z "$(left "$dir/bad")" ] || { echo "FAIL: left after failures:"; left "$dir/bad"; fail=1; }

# Big fsynced files, many tasks: the cell is killed while they exist.
"$bin" run --workload io.file --strategy serial --tasks 100000 \
	--param bytes=1048576 --repeat 1 --max-repeat 1 --warmup 0 --out "$dir/kill" \
	>/dev/null 2>&1 &
harness=$!
cellpid=
for _ in $(seq 1 200); do
	if [ -n "$(find "$dir/kill" -name 'task-*' 2>/dev/null)" ]; then
		# The harness's child: the cell's process (no fixture here).
		cellpid=$(grep -l "^PPid:[[:space:]]*$harness\$" /proc/[0-9]*/status 2>/dev/null |
			head -1 | cut -d/ -f3)
		break
	fi
	sleep 0.05
done
if [ -z "$cellpid" ]; then
	echo "FAIL: no task file appeared"
	kill "$harness" 2>/dev/null
	fail=1
else
	kill -KILL "$cellpid"
fi
wait "$harness"
grep -q 'killed by signal 9' "$dir/kill/results.jsonl" 2>/dev/null ||
	{ echo "FAIL: the killed cell was not recorded"; fail=1; }
[ -z "$(left "$dir/kill")" ] || { echo "FAIL: left after SIGKILL:"; left "$dir/kill"; fail=1; }
exit $fail
