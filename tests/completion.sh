#!/bin/bash
# completion.sh SCRIPT - the bash completion, driven as bash drives it:
# COMP_WORDS and COMP_CWORD set, _concbench called, COMPREPLY checked.
# SCRIPT is a completion file (installed), or a concbench binary whose
# `completion bash` prints one.
set -u
src=$1
if [ "$(head -c 1 "$src")" != "#" ]; then
	# shellcheck disable=SC1090
	source <("$src" completion bash)
else
	# shellcheck disable=SC1090
	source "$src"
fi
fail=0
# expect "WORDS..." "WANTED REPLY WORDS..."  (the last word is the one completed)
expect() {
	read -r -a COMP_WORDS <<<"$1"
	case $1 in *" ") COMP_WORDS+=("") ;; esac
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_concbench
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(printf '%s\n' $2 | sort | tr '\n' ' ')
	if [ "$got" != "$want" ]; then
		echo "'$1': completed to '$got', expected '$want'"
		fail=1
	fi
}
expect "concbench r" "run report"
expect "concbench run --wor" "--workload --workers"
expect "concbench run --workload cpu." "cpu.image cpu.mandelbrot cpu.noop cpu.sumsq"
expect "concbench run --strategy serial,th" "serial,threads"
expect "concbench run --param lat" "latency_ms="
expect "concbench help ma" "matrix"
expect "concbench serve --p" "--port"
expect "concbench matrix --profile qu" "quick"
expect "concbench once --js" "--json"
exit $fail
