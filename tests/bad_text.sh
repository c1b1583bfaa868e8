#!/bin/sh
# bad_text.sh CONCBENCH - text that is not what it seems is refused with
# exit 2 and one line, never half-used: a profile with a NUL byte (it used
# to be cut there silently), control bytes in a bad value (shown as '?',
# never sent to the terminal), an --out too long for its files' names
# (they used to be cut to 'results.j').
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
expect2() {
	what=$1 regex=$2
	shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	[ "$rc" -eq 2 ] || { echo "$what: exit $rc, not 2"; fail=1; }
	[ "$(wc -l <"$dir/err")" -eq 1 ] || { echo "$what: not one line on stderr"; cat "$dir/err"; fail=1; }
	grep -Eq -- "$regex" "$dir/err" || { echo "$what: stderr does not match /$regex/"; cat "$dir/err"; fail=1; }
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$dir/err"; then
		echo "$what: a control byte reached the terminal"; fail=1
	fi
}
printf 'repeat 1\ncpu.noop tasks=10\000 strategies=threads\n' >"$dir/nul.profile"
expect2 "NUL in a profile" "line 2 holds a NUL byte" "$bin" matrix --profile "$dir/nul.profile" --out "$dir/r1"
[ ! -e "$dir/r1/results.jsonl" ] || { echo "the NUL profile ran"; fail=1; }
printf 'repeat 1\ncpu.noop tasks=\001\033[31mred\n' >"$dir/bin.profile"
expect2 "control bytes" "got '\?\?\[31mred'" "$bin" matrix --profile "$dir/bin.profile" --out "$dir/r2"
long="$dir/$(printf 'd%.0s' $(seq 1 250))"
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do long="$long/$(printf 'd%.0s' $(seq 1 250))"; done
expect2 "a long --out" "--out: path longer than [0-9]+ bytes" "$bin" run --workload cpu.noop --out "$long"
[ ! -e "$dir/ddd" ] || true
exit $fail
