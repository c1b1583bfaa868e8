#!/bin/sh
# plot_injection.sh CONCBENCH - text from a profile or from results.jsonl
# never runs as a command when charts are drawn. gnuplot runs backquoted
# text inside double-quoted strings; a parameter value (`url`) carrying
# one reaches every chart title. Two ways in: a profile line run by
# `matrix`, and a value edited into a stored results.jsonl, then `plot`.
set -u
bin=$1
dir=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
fail=0

"$bin" serve >"$dir/url" 2>/dev/null &
server=$!
tries=0
while [ ! -s "$dir/url" ]; do
	tries=$((tries + 1))
	[ "$tries" -lt 200 ] || { echo "the latency server did not start"; exit 1; }
	sleep 0.05
done
url=$(cat "$dir/url")

# 1. A profile line whose url ends in a backquoted command.
printf '%s\n' "repeat 1" "max-repeat 1" "warmup 0" \
	"io.http tasks=4 workers=2 strategies=serial,threads url=$url/delay/{ms}?bytes={bytes}&seed={seed}&x=\`touch\${IFS}$dir/PWNED1\`" \
	>"$dir/p.profile"
"$bin" matrix --profile "$dir/p.profile" --out "$dir/run" >"$dir/out1" 2>&1 ||
	{ echo "the matrix failed"; cat "$dir/out1"; fail=1; }
[ ! -e "$dir/PWNED1" ] || { echo "a profile's parameter ran as a command while charts were drawn"; fail=1; }
grep -q 'touch' "$dir/run/plots/"*-time.gp 2>/dev/null ||
	{ echo "the parameter did not reach the chart title (the test tests nothing)"; fail=1; }
[ -s "$dir/run/plots/01-io.http-time.png" ] || { echo "no time chart was drawn"; fail=1; }

# 2. The same through a value edited into results.jsonl, then `plot`;
# quotes of both kinds and a newline escape on top.
sed "s|\"latency_ms\":50|\"latency_ms\":50,\"note\":\"a'b\\\\\"c\`touch \$IFS$dir/PWNED2\`\\\\nd\"|" \
	"$dir/run/results.jsonl" >"$dir/edited.jsonl"
grep -q PWNED2 "$dir/edited.jsonl" || { echo "the edit did not take (the test tests nothing)"; fail=1; }
mv "$dir/edited.jsonl" "$dir/run/results.jsonl"
rm -rf "$dir/run/plots"
"$bin" plot "$dir/run" >"$dir/out2" 2>&1 || { echo "plot failed"; cat "$dir/out2"; fail=1; }
[ ! -e "$dir/PWNED2" ] || { echo "a value in results.jsonl ran as a command while charts were drawn"; fail=1; }
[ -s "$dir/run/plots/winners.png" ] || { echo "no winners chart was drawn"; fail=1; }
exit $fail
