#!/usr/bin/python3
"""server_silent_clients.py CONCBENCH - the latency server under clients
that connect, start a request and never finish its headers, until it has
no descriptor left (RLIMIT_NOFILE 128): it must not spin (its CPU over two
seconds stays under a quarter of one), must not flood its log, and must
serve a whole request again once those clients go. Also: headers over its
cap are refused rather than held in memory."""
import os
import resource
import socket
import sys
import time

from serverlib import get, start, stop


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    binary = sys.argv[1]
    log = open("/tmp/server_silent_clients.%d.log" % os.getpid(), "w+")

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))

    server, host, port = start(binary, stderr=log, preexec_fn=limit)
    failed = 0
    silent = []
    try:
        if not get(host, port, "/delay/0?bytes=10").startswith(b"HTTP/1.1 200"):
            print("FAIL: the server does not answer at first")
            return 1
        # Twice as many half-requests as it has descriptors.
        for _ in range(256):
            try:
                s = socket.create_connection((host, port), timeout=2)
                s.sendall(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\n")
                silent.append(s)
            except OSError:
                break
        time.sleep(0.5)
        before = cpu_seconds(server.pid)
        time.sleep(2.0)
        used = cpu_seconds(server.pid) - before
        if used > 0.5:
            print("FAIL: the server used %.2f s of CPU in 2 s with no descriptor left (spinning)"
                  % used)
            failed = 1
        log.flush()
        size = os.path.getsize(log.name)
        if size > 20000:
            print("FAIL: the server wrote %d bytes of log in 2.5 s" % size)
            failed = 1
        for s in silent:
            s.close()
        silent = []
        ok = False
        for _ in range(50):
            try:
                if get(host, port, "/delay/0?bytes=10", timeout=2).startswith(b"HTTP/1.1 200"):
                    ok = True
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if not ok:
            print("FAIL: no request served after the silent clients went")
            failed = 1
        # 64 KiB of headers: refused, not held.
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\n" +
                  b"".join(b"X-Pad-%d: %s\r\n" % (k, b"a" * 1000) for k in range(64)) + b"\r\n")
        reply = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except OSError:
            pass
        s.close()
        if reply.startswith(b"HTTP/1.1 200"):
            print("FAIL: 64 KiB of headers were accepted")
            failed = 1
    finally:
        for s in silent:
            s.close()
        failed |= stop(server)
        log.close()
        if failed:
            print(open(log.name).read()[:2000])
        os.unlink(log.name)
    return failed


if __name__ == "__main__":
    sys.exit(main())
