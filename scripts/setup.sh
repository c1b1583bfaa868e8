# setup.sh - sourced by ./run-tests and ./run-benchmarks: makes sure the
# Debian packages concbench needs are installed, then configures and
# builds a CMake preset. Not meant to be run on its own.

# The Debian 12 packages, one per need:
#   build-essential cmake pkg-config   compiler, make, CMake, pkg-config
#   libevent-dev                       the event loop strategy
#   libjansson-dev                     reading and writing result JSON
#   libcurl4-openssl-dev               the io.http client
#   gnuplot-nox                        the charts of a matrix run
#   hyperfine                          whole-process timings (concbench hyperfine)
#   git                                the commit recorded in env.json
#   python3                            the py.* strategies (CPython's threading,
#                                      multiprocessing, asyncio), tests in Python
#                                      (docs/digest.md followed, calibrate's JSON
#                                      checked) and bench/noise.sh
#   python3-aiohttp                    py.asyncio's HTTP client (io.http)
#   help2man                           the man page, written from concbench's help
#   file                               cpack's Debian package (dpkg-shlibdeps's Depends)
CONCBENCH_PACKAGES="build-essential cmake pkg-config libevent-dev libjansson-dev libcurl4-openssl-dev gnuplot-nox hyperfine git python3 python3-aiohttp help2man file"
# What only ./run-tests needs besides:
#   chromium                           report.html opened in a real browser
#                                      (tests/report_html.py)
#   clang libclang-rt-14-dev           the fuzz preset: libFuzzer and clang's
#   libomp-dev                         sanitizers, and clang's OpenMP runtime
CONCBENCH_TEST_PACKAGES="chromium clang libclang-rt-14-dev libomp-dev"

# Installs what is missing of CONCBENCH_PACKAGES and of the packages
# named as arguments when root; otherwise prints the one apt-get line to
# run and exits 2.
concbench_ensure_packages() {
	missing=""
	for p in $CONCBENCH_PACKAGES "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "concbench: missing Debian packages; run this, then try again:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
		exit 2
	fi
	echo "concbench: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Configures and builds one preset from CMakePresets.json.
concbench_build() {
	cmake --preset "$1" >/dev/null
	cmake --build --preset "$1" -j "$(nproc)"
}
