#!/bin/sh
# files_check.sh FIXTURE -- COMMAND...  then checks, one per argument after
# a second `--`:
#   contains:FILE:REGEX   FILE (relative to the copy) matches REGEX
#   png:FILE              FILE is a PNG (its signature)
#   svg:FILE              FILE is an SVG document
#   absent:FILE           FILE does not exist
#   same:FILE             FILE is byte-identical to the fixture's
#   status:N              COMMAND exited N
#   output:REGEX          COMMAND's output matches REGEX
# The command runs on a copy of FIXTURE; @DIR@ in it names the copy.
set -u
fixture=$1
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r "$fixture"/. "$dir"/
cmd=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
	arg=$(printf '%s' "$1" | sed "s|@DIR@|$dir|g")
	cmd="$cmd '$arg'"
	shift
done
shift
eval "$cmd" >"$dir/.out" 2>&1
status=$?
fail=0
for check in "$@"; do
	kind=${check%%:*}
	rest=${check#*:}
	case "$kind" in
	contains) file=${rest%%:*}; re=${rest#*:}
		grep -Eq -- "$re" "$dir/$file" 2>/dev/null || { echo "$file does not match /$re/"; fail=1; } ;;
	png) head -c 8 "$dir/$rest" 2>/dev/null | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" ||
		{ echo "$rest is not a PNG"; fail=1; } ;;
	svg) grep -q "<svg" "$dir/$rest" 2>/dev/null && grep -q "</svg>" "$dir/$rest" ||
		{ echo "$rest is not an SVG document"; fail=1; } ;;
	absent) [ ! -e "$dir/$rest" ] || { echo "$rest exists"; fail=1; } ;;
	same) cmp -s "$fixture/$rest" "$dir/$rest" || { echo "$rest changed"; fail=1; } ;;
	status) [ "$status" -eq "$rest" ] || { echo "exit status $status, expected $rest"; fail=1; } ;;
	output) grep -Eq -- "$rest" "$dir/.out" || { echo "output does not match /$rest/"; fail=1; } ;;
	*) echo "unknown check $check"; fail=1 ;;
	esac
done
if [ "$fail" -ne 0 ]; then
	echo "--- command:$cmd"
	echo "--- output:"; cat "$dir/.out"
fi
exit $fail
