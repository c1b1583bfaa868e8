#!/usr/bin/env bash
# bench/server-vs-nginx.sh - compare `concbench serve` with nginx under wrk.
#
# Usage: bench/server-vs-nginx.sh [--duration S] [--bytes N]
#   --duration S  measured wrk run per server, in seconds (default 10)
#   --bytes N     response body size in bytes (default 64)
#
# What it does:
#   1. Checks for wrk, nginx and the nginx echo module (Debian packages
#      wrk, nginx, libnginx-mod-http-echo). If any is missing: as root it
#      installs them with apt-get; otherwise it prints the apt-get line and
#      exits 2.
#   2. Starts a private nginx (not the system service) from a temp dir:
#      daemon off, worker_processes 1, 127.0.0.1 on a free port, access_log
#      off, error_log in the temp dir, keep-alive on, and a /delay/0
#      location answering a fixed body of N bytes.
#   3. Starts build/concbench serve --port 0 (URL read from its stdout).
#   4. For each server, one after the other: a 2 s wrk warmup, then
#      wrk -t1 -c100 -d<S>s --latency against /delay/0?bytes=N&seed=1.
#      Nothing is pinned. All traffic is loopback; every load is bounded.
#   5. Prints requests/s, p50/p99 latency, concbench/nginx in percent, the
#      concbench server's peak RSS (VmHWM), and whether the target
#      (>= 75000 req/s and >= 45% of nginx) was met. No assertion: exits 0
#      if the runs completed.
#   6. Stops both servers and removes the temp dir on exit, Ctrl-C included.
#
# Environment: CONCBENCH=path overrides the binary (default build/concbench
# next to this script's parent directory).
set -eu

usage() { echo "usage: $0 [--duration S] [--bytes N]" >&2; }

duration=10
bytes=64
while [ $# -gt 0 ]; do
    case "$1" in
        --duration|--bytes)
            flag=$1
            if [ $# -lt 2 ]; then echo "$0: $flag needs a value" >&2; exit 2; fi
            val=$2; shift 2 ;;
        --duration=*|--bytes=*)
            flag=${1%%=*}; val=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "$0: unknown option: $1 (usage: $0 [--duration S] [--bytes N])" >&2; exit 2 ;;
    esac
    case "$val" in
        ''|*[!0-9]*) echo "$0: $flag must be a non-negative integer, got '$val'" >&2; exit 2 ;;
    esac
    if [ ${#val} -gt 9 ]; then echo "$0: $flag value too large: $val" >&2; exit 2; fi
    val=$((10#$val))
    case "$flag" in
        --duration)
            if [ "$val" -lt 1 ] || [ "$val" -gt 3600 ]; then
                echo "$0: --duration must be 1..3600 seconds, got $val" >&2; exit 2
            fi
            duration=$val ;;
        --bytes)
            if [ "$val" -gt 67108864 ]; then
                echo "$0: --bytes must be 0..67108864, got $val" >&2; exit 2
            fi
            bytes=$val ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
concbench=${CONCBENCH:-$root/build/concbench}
if [ ! -x "$concbench" ]; then
    echo "$0: $concbench not found; build it: cmake --preset release && cmake --build --preset release -j2" >&2
    exit 2
fi

# --- 1. dependencies -------------------------------------------------------
echo_so_path() {
    p=""
    if command -v dpkg >/dev/null 2>&1; then
        p=$(dpkg -L libnginx-mod-http-echo 2>/dev/null | grep '/ngx_http_echo_module\.so$' | head -n1 || true)
    fi
    [ -n "$p" ] || p=/usr/lib/nginx/modules/ngx_http_echo_module.so
    echo "$p"
}
have_deps() {
    command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 && [ -f "$(echo_so_path)" ]
}
apt_line="apt-get install -y --no-install-recommends wrk nginx libnginx-mod-http-echo"
if ! have_deps; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing wrk/nginx/nginx echo module; install with: sudo $apt_line" >&2
        exit 2
    fi
    echo "installing wrk, nginx, libnginx-mod-http-echo ..." >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $apt_line >&2
    have_deps || { echo "$0: dependencies still missing after install" >&2; exit 1; }
fi
echo_so=$(echo_so_path)

# --- cleanup ---------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/server-vs-nginx.XXXXXX")
nginx_pid=""
cb_pid=""
load_pid=""
stop_pid() { # pid: SIGTERM, wait up to 5 s, then SIGKILL
    p=$1
    [ -n "$p" ] || return 0
    kill -TERM "$p" 2>/dev/null || return 0
    i=0
    while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}
cleanup() {
    trap - EXIT INT TERM
    stop_pid "$load_pid"; load_pid=""
    stop_pid "$cb_pid"; cb_pid=""
    stop_pid "$nginx_pid"; nginx_pid=""
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

port_open() { # port -> 0 if something accepts on 127.0.0.1:port
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- 2. nginx --------------------------------------------------------------
# Body: `return 200 "..."` (core nginx) for bodies up to 4000 bytes, because
# it answers with Content-Length like concbench does (echo_duplicate sends
# Transfer-Encoding: chunked, i.e. different framing). nginx rejects config
# tokens over ~4 KB, so larger bodies fall back to the echo module's
# echo_duplicate (chunked). The echo module is loaded either way.
if [ "$bytes" -le 4000 ]; then
    body=$(head -c "$bytes" /dev/zero | tr '\0' 'x')
    body_directive="return 200 \"$body\";"
    nginx_body="return 200 (Content-Length)"
else
    body_directive="echo_duplicate $bytes \"x\";"
    nginx_body="echo_duplicate (chunked)"
fi
if [ "$(id -u)" -eq 0 ]; then user_line="user nobody nogroup;"; else user_line=""; fi

nginx_port=""
attempt=0
while [ -z "$nginx_port" ] && [ $attempt -lt 20 ]; do
    attempt=$((attempt + 1))
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_open "$port" && continue
    cat >"$tmp/nginx.conf" <<EOF
load_module $echo_so;
$user_line
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_timeout 75s;
    keepalive_requests 100000000;
    client_body_temp_path $tmp/client_body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        location /delay/0 {
            default_type application/octet-stream;
            $body_directive
        }
    }
}
EOF
    nginx -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" >"$tmp/nginx.out" 2>&1 &
    nginx_pid=$!
    i=0
    while [ $i -lt 50 ]; do
        if ! kill -0 "$nginx_pid" 2>/dev/null; then break; fi
        if port_open "$port"; then nginx_port=$port; break; fi
        sleep 0.1; i=$((i + 1))
    done
    if [ -z "$nginx_port" ]; then
        stop_pid "$nginx_pid"; nginx_pid=""
        if ! grep -q 'Address already in use' "$tmp/error.log" "$tmp/nginx.out" 2>/dev/null; then
            echo "$0: nginx failed to start:" >&2
            cat "$tmp/nginx.out" "$tmp/error.log" >&2 2>/dev/null || true
            exit 1
        fi
    fi
done
[ -n "$nginx_port" ] || { echo "$0: no free port found for nginx" >&2; exit 1; }
nginx_url="http://127.0.0.1:$nginx_port"

# --- 3. concbench serve ----------------------------------------------------
"$concbench" serve --port 0 >"$tmp/cb.out" 2>"$tmp/cb.err" &
cb_pid=$!
cb_url=""
i=0
while [ $i -lt 100 ]; do
    cb_url=$(grep -m1 -o 'http://[^[:space:]]*' "$tmp/cb.out" 2>/dev/null || true)
    [ -n "$cb_url" ] && break
    kill -0 "$cb_pid" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
done
if [ -z "$cb_url" ]; then
    echo "$0: concbench serve did not print its URL:" >&2
    cat "$tmp/cb.err" >&2 || true
    exit 1
fi
cb_url=${cb_url%/}

# --- 4. load ---------------------------------------------------------------
path="/delay/0?bytes=$bytes&seed=1"
bounded() { # limit_s out_file cmd... : run in the background (so a signal
            # reaches our trap at once), hard-capped by timeout
    lim=$1 out=$2; shift 2
    timeout --foreground "$lim" "$@" >"$out" &
    load_pid=$!
    rc=0; wait "$load_pid" || rc=$?
    load_pid=""
    if [ $rc -ne 0 ]; then echo "$0: '$*' failed (status $rc)" >&2; exit 1; fi
}
run_wrk() { # name url -> writes $tmp/<name>.wrk
    echo "warmup  $1: wrk -t1 -c100 -d2s $2$path" >&2
    bounded 30 /dev/null wrk -t1 -c100 -d2s "$2$path"
    echo "measure $1: wrk -t1 -c100 -d${duration}s --latency $2$path" >&2
    bounded $((duration + 30)) "$tmp/$1.wrk" wrk -t1 -c100 -d"${duration}s" --latency "$2$path"
}
run_wrk nginx "$nginx_url"
run_wrk concbench "$cb_url"

cb_hwm=$(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$cb_pid/status" 2>/dev/null || true)
[ -n "$cb_hwm" ] || cb_hwm="n/a"

# --- 5. report -------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ {print $2}' "$tmp/$1.wrk"; }
pct() { awk -v p="$2%" '/Latency Distribution/ {d=1; next} d && $1 == p {print $2; exit}' "$tmp/$1.wrk"; }
errs() { # non-2xx and socket errors as reported by wrk, or "none"
    e=$(grep -E 'Non-2xx or 3xx responses|Socket errors' "$tmp/$1.wrk" | sed 's/^ *//' | paste -sd ';' - || true)
    echo "${e:-none}"
}
nginx_rps=$(rps nginx); cb_rps=$(rps concbench)
ratio=$(awk -v a="$cb_rps" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "n/a" }')
met=$(awk -v a="$cb_rps" -v r="$ratio" 'BEGIN { print (a >= 75000 && r != "n/a" && r >= 45) ? "met" : "missed" }')

echo
echo "wrk -t1 -c100 -d${duration}s --latency, body ${bytes} B, /delay/0 (nginx: $nginx_body)"
printf '%-10s %12s %10s %10s %9s\n' server "req/s" p50 p99 "% nginx"
printf '%-10s %12s %10s %10s %9s\n' nginx "$nginx_rps" "$(pct nginx 50)" "$(pct nginx 99)" "100.0"
printf '%-10s %12s %10s %10s %9s\n' concbench "$cb_rps" "$(pct concbench 50)" "$(pct concbench 99)" "$ratio"
echo "concbench VmHWM: $cb_hwm"
echo "target: >= 75000 req/s and >= 45% of nginx: $met"
echo "wrk errors: nginx: $(errs nginx) | concbench: $(errs concbench)"
if [ -s "$tmp/cb.err" ]; then
    echo "concbench stderr:"; head -n 20 "$tmp/cb.err"
fi
exit 0
