#!/bin/sh
# install_check.sh BUILD_DIR SOURCE_DIR destdir|deb
#   destdir: `cmake --install` into a DESTDIR; the installed binary runs
#            from there (--version, list, help), and the man page, the
#            completion and the docs are where Debian expects them.
#   deb:     `cpack -G DEB`; the package holds the same files, depends on
#            the runtime libraries and recommends gnuplot-nox and hyperfine.
set -u
build=$1 src=$2 what=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
files="usr/bin/concbench usr/share/man/man1/concbench.1.gz
usr/share/bash-completion/completions/concbench usr/share/doc/concbench/copyright
usr/share/doc/concbench/README.md usr/share/doc/concbench/NEWS usr/share/doc/concbench/digest.md"

case $what in
destdir)
	DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr >"$tmp/log" 2>&1 ||
		{ echo "cmake --install failed"; cat "$tmp/log"; exit 1; }
	for f in $files; do
		[ -s "$tmp/root/$f" ] || { echo "not installed: /$f"; fail=1; }
	done
	bin="$tmp/root/usr/bin/concbench"
	# Nothing from the source or build tree is needed at run time.
	(cd / && "$bin" --version) | grep -q "^concbench [0-9]" || { echo "--version failed"; fail=1; }
	(cd / && "$bin" list) | grep -q "cpu.image" || { echo "list failed"; fail=1; }
	(cd / && "$bin" help matrix) | grep -q "Usage: concbench matrix" || { echo "help failed"; fail=1; }
	zcat "$tmp/root/usr/share/man/man1/concbench.1.gz" | grep -q '^\.TH CONCBENCH "1"' ||
		{ echo "the man page is not a man page"; fail=1; }
	zcat "$tmp/root/usr/share/man/man1/concbench.1.gz" | grep -q 'Command matrix' ||
		{ echo "the man page lacks the matrix command"; fail=1; }
	grep -q "^License: Expat" "$tmp/root/usr/share/doc/concbench/copyright" &&
		grep -q "Permission is hereby granted" "$tmp/root/usr/share/doc/concbench/copyright" ||
		{ echo "the copyright file does not carry the licence"; fail=1; }
	"$src/tests/completion.sh" "$tmp/root/usr/share/bash-completion/completions/concbench" ||
		{ echo "the installed completion does not complete"; fail=1; }
	;;
deb)
	(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" >"$tmp/log" 2>&1) ||
		{ echo "cpack failed"; cat "$tmp/log"; exit 1; }
	deb=$(ls "$tmp"/concbench_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || { echo "no .deb was made"; cat "$tmp/log"; exit 1; }
	dpkg-deb -c "$deb" >"$tmp/contents"
	for f in $files; do
		grep -q " \./$f\$" "$tmp/contents" || { echo "not in the package: /$f"; fail=1; }
	done
	depends=$(dpkg-deb -f "$deb" Depends)
	for lib in libc6 libcurl4 libevent-2.1-7 libgomp1 libjansson4; do
		echo "$depends" | grep -q "$lib" || { echo "Depends lacks $lib: $depends"; fail=1; }
	done
	dpkg-deb -f "$deb" Recommends | grep -q "gnuplot-nox, hyperfine" ||
		{ echo "Recommends lacks gnuplot-nox and hyperfine"; fail=1; }
	dpkg-deb -f "$deb" Version | grep -q "^[0-9]" || { echo "no version"; fail=1; }
	# The packaged binary runs on its own.
	dpkg-deb -x "$deb" "$tmp/x"
	(cd / && "$tmp/x/usr/bin/concbench" list) | grep -q "io.http" || { echo "the packaged binary does not run"; fail=1; }
	;;
esac
exit $fail
