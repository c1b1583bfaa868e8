#!/bin/sh
# limits.sh CONCBENCH - runs that cannot fit the machine's limits are
# refused before anything runs (exit 2, one line naming the limit and the
# figures, no run folder), and the same runs within the limits go ahead:
#   thread stacks over RLIMIT_AS (threads, gil, openmp), and fitting with
#   --param stack_kb or OMP_STACKSIZE; cpu.image buffers over RLIMIT_AS and over the
#   machine's memory; forked workers over RLIMIT_NPROC (as nobody, since
#   root is exempt: that part is skipped where su cannot run it).
# Not in sanitizer builds: their shadow memory cannot start under ulimit -v.
set -u
bin=$1
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'rm -rf "$dir"' EXIT
fail=0

# refused LIMIT PATTERN -- ARGS: exit 2, one stderr line matching PATTERN,
# nothing written. LIMIT is ulimit -v's KiB, or - for none.
refused() {
	limit=$1 pattern=$2
	shift 3
	rm -rf "$dir/out"
	if [ "$limit" = - ]; then
		"$bin" "$@" --out "$dir/out" >/dev/null 2>"$dir/err"
	else
		(ulimit -v "$limit" && exec "$bin" "$@" --out "$dir/out") >/dev/null 2>"$dir/err"
	fi
	rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "FAIL: exit $rc, not 2: $*"; cat "$dir/err"; fail=1
	elif ! grep -Eq "$pattern" "$dir/err" || [ "$(grep -vc '^concbench: warning: the machine is busy' "$dir/err")" -ne 1 ]; then
		echo "FAIL: not one line matching '$pattern': $*"; cat "$dir/err"; fail=1
	elif [ -e "$dir/out" ]; then
		echo "FAIL: a run folder was written for a refused run: $*"; fail=1
	fi
}

# 2 GiB of address space: 1000 default stacks (8 MiB under ulimit -s 8192)
# do not fit.
small=2000000
for s in threads gil openmp; do
	refused $small "^concbench: --workers: $s: 1000 (OpenMP )?threads reserve [0-9.]+ GiB of stack \(8\.0 MiB each\), but RLIMIT_AS \(1\.9 GiB\) leaves this process [0-9.]+ (GiB|MiB) \(raise it with ulimit -v" \
		-- run --workload cpu.noop --strategy $s --workers 1000 --tasks 1000
done
# ... and 1000 threads of 64 KiB stacks do, and run.
rm -rf "$dir/out"
(ulimit -v $small && exec "$bin" run --workload cpu.noop --strategy threads --param stack_kb=64 \
	--workers 1000 --tasks 1000 --repeat 1 --max-repeat 1 --warmup 0 --out "$dir/out") >/dev/null 2>"$dir/err" ||
	{ echo "FAIL: 1000 threads of 64 KiB stacks under 2 GiB did not run:"; cat "$dir/err"; fail=1; }
grep -q '"status":"ok"' "$dir/out/results.jsonl" 2>/dev/null ||
	{ echo "FAIL: 1000 threads of 64 KiB stacks: no ok cell"; fail=1; }

# ... and so do 1000 OpenMP threads of 64 KiB stacks (OMP_STACKSIZE).
rm -rf "$dir/out"
(ulimit -v $small && OMP_STACKSIZE=64K exec "$bin" run --workload cpu.noop --strategy openmp \
	--workers 1000 --tasks 1000 --repeat 1 --max-repeat 1 --warmup 0 --out "$dir/out") >/dev/null 2>"$dir/err" ||
	{ echo "FAIL: 1000 OpenMP threads with OMP_STACKSIZE=64K under 2 GiB did not run:"; cat "$dir/err"; fail=1; }
grep -q '"strategy":"openmp".*"status":"ok"' "$dir/out/results.jsonl" 2>/dev/null ||
	{ echo "FAIL: OMP_STACKSIZE=64K: no ok openmp cell"; fail=1; }

# Image buffers: 16 workers at 8192 px need 9.8 GiB.
refused $small "^concbench: --workers: 16 workers' 8192x8192 image buffers need 9\.8 GiB of memory, but RLIMIT_AS \(1\.9 GiB\) leaves this process" \
	-- run --workload cpu.image --strategy threads --workers 16 --param size=8192
# 100000 workers at 8192 px (60 TiB) exceed any machine's memory.
refused - "^concbench: --workers: 100000 workers' 8192x8192 image buffers need 60 TiB of memory, but this machine has [0-9.]+ [KMGT]iB available \(MemAvailable and free swap\)" \
	-- run --workload cpu.image --strategy threads --workers 100000 --param size=8192
# In a profile: the line is named.
printf '%s\n' "cpu.image strategies=threads workers=100000 size=8192" >"$dir/p.profile"
refused - "^concbench: profile '$dir/p.profile' line 1: --workers: 100000 workers' 8192x8192 image buffers need 60 TiB" \
	-- matrix --profile "$dir/p.profile"

# RLIMIT_NPROC, as an unprivileged user.
chmod 777 "$dir"
if id nobody >/dev/null 2>&1 && command -v su >/dev/null &&
	su nobody -s /bin/sh -c "test -x '$bin' && test -w '$dir'" 2>/dev/null; then
	su nobody -s /bin/sh -c "exec prlimit --nproc=100 '$bin' run --workload cpu.noop --strategy processes --workers 200 --out '$dir/np'" \
		>/dev/null 2>"$dir/err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -Eq "^concbench: --workers: processes: 200 processes need as many tasks of this user, who already runs [0-9]+, but RLIMIT_NPROC allows 100 \(raise it with ulimit -u" "$dir/err" ||
		{ echo "FAIL: RLIMIT_NPROC: exit $rc:"; cat "$dir/err"; fail=1; }
else
	echo "note: RLIMIT_NPROC not tried (no su to nobody)"
fi
exit $fail
