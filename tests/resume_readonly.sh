#!/bin/sh
# resume_readonly.sh CONCBENCH - `matrix --resume` of a folder it cannot
# write is refused up front with one line naming the folder (it printed an
# empty "concbench: " before). Needs an unprivileged user (root writes
# anywhere): run as nobody through su; skipped (77) where that cannot be.
set -u
bin=$1
id nobody >/dev/null 2>&1 && command -v su >/dev/null || exit 77
dir=$(mktemp -d)
# nobody must reach the binary and the folder (a checkout under /root
# cannot be): otherwise skipped.
chmod 755 "$dir"
su nobody -s /bin/sh -c "test -x '$bin' && test -r '$dir'" 2>/dev/null || { rm -rf "$dir"; exit 77; }
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT
chmod 755 "$dir"
printf '%s\n' "repeat 1" "max-repeat 1" "warmup 0" "cpu.noop tasks=10 workers=1,2 strategies=serial,threads" >"$dir/p.profile"
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >/dev/null 2>&1 || { echo "the matrix failed"; exit 1; }
head -n 1 "$dir/run/results.jsonl" >"$dir/one" && mv "$dir/one" "$dir/run/results.jsonl"
chmod -R a+rX,a-w "$dir/run"
su nobody -s /bin/sh -c "'$bin' matrix --resume '$dir/run'" >"$dir/out" 2>"$dir/err"
rc=$?
fail=0
[ "$rc" -eq 2 ] || { echo "exit $rc, not 2"; fail=1; }
[ "$(wc -l <"$dir/err")" -eq 1 ] && grep -q "^concbench: --resume: cannot write in '$dir/run': Permission denied$" "$dir/err" ||
	{ echo "not the one line expected:"; cat "$dir/err"; fail=1; }
exit $fail
