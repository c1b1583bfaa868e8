#!/usr/bin/python3
"""server_memory.py CONCBENCH - what a client can make the latency server
hold is bounded: eight requests for 64 MiB bodies that the client never
reads keep the server under 64 MiB of resident memory (it held all 512 MiB
before bodies were sent a chunk at a time), and a client that then reads
one of them gets every byte, matching the body's Content-Length; headers
over the cap are refused."""
import socket
import sys
import time

from serverlib import start, stop

MIB = 1 << 20


def rss_bytes(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def main():
    server, host, port = start(sys.argv[1])
    failed = 0
    socks = []
    try:
        base = rss_bytes(server.pid)
        for _ in range(8):
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(b"GET /delay/0?bytes=67108864&seed=3 HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
        time.sleep(1.0)
        held = rss_bytes(server.pid) - base
        if held > 64 * MIB:
            print("FAIL: eight unread 64 MiB replies hold %.0f MiB of the server's memory"
                  % (held / MIB))
            failed = 1
        # One of them read to the end: the whole body, as long as promised.
        s = socks.pop()
        s.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        head, body = data.split(b"\r\n\r\n", 1)
        length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:")]
        got = len(body)
        while got < 64 * MIB:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            got += len(chunk)
        if length != [64 * MIB] or got != 64 * MIB or b"chunked" in head.lower():
            print("FAIL: the streamed reply: Content-Length %s, %d bytes read, head %r"
                  % (length, got, head[:200]))
            failed = 1
        s.close()
    finally:
        for s in socks:
            s.close()
        failed |= stop(server)
    return failed


if __name__ == "__main__":
    sys.exit(main())
