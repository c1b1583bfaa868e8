#!/bin/sh
# tests/fuzz/run.sh - runs each libFuzzer target for SECONDS (default 600)
# from its seed corpus in tests/fuzz/corpus/<target>, after building the
# fuzz preset (clang, ASan+UBSan). New inputs the fuzzer finds go to
# build-fuzz/corpus/<target>, never into tests/; a crash, leak or hang
# is written to build-fuzz/crashes/<target>/ and fails the script.
#   tests/fuzz/run.sh [SECONDS] [TARGET ...]   targets: args profile results hyperfine server
# Prints, per target, its executions and coverage, and a last line with
# every target's.
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-600}
case "$seconds" in
	''|*[!0-9]*) echo "run.sh: SECONDS: expected a whole number of seconds, got '$seconds'" >&2; exit 2 ;;
esac
[ $# -gt 0 ] && shift
targets=${*:-args profile results hyperfine server}
for t in $targets; do
	[ -d "tests/fuzz/corpus/$t" ] || { echo "run.sh: unknown target '$t'; accepted: args profile results hyperfine server" >&2; exit 2; }
done

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" >/dev/null

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
summary=""
for t in $targets; do
	work=build-fuzz/corpus/$t
	crashes=build-fuzz/crashes/$t
	log=build-fuzz/fuzz-$t.log
	mkdir -p "$work" "$crashes"
	# -close_fd_mask=2: the targets' own stderr (a usage error's line per
	# input) is closed; libFuzzer's and the sanitizers' reports are kept.
	if "build-fuzz/tests/fuzz/fuzz-$t" "$work" "tests/fuzz/corpus/$t" \
		-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -close_fd_mask=2 \
		-artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5 >&2 || true
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	echo "fuzz-$t: $result, ${runs:-?} executions in ${seconds} s, ${cov:-?} edges covered (log: $log)"
	summary="$summary $t=${runs:-?}"
done
echo "fuzz: $seconds s per target;$summary"
exit $status
