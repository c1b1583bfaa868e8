#!/usr/bin/python3
"""server_hangup.py CONCBENCH - clients that hang up while their reply
waits on its timer give back their connection at once: with
--max-connections 2, two requests for a 30 s delay whose clients go away
must not keep a third, immediate request waiting (it would wait the
whole 30 s if the server noticed the hang-ups only when replying), and
the server's descriptors come back to what they were."""
import os
import socket
import sys
import time

import serverlib
from serverlib import get, stop


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def main():
    server, host, port = serverlib.start(sys.argv[1], "--max-connections", "2")
    failed = 0
    try:
        if not get(host, port, "/delay/0?bytes=10", 10).startswith(b"HTTP/1.1 200"):
            print("FAIL: the server does not answer at first")
            return 1
        time.sleep(0.2)
        baseline = open_fds(server.pid)
        for round_ in range(3):
            waiting = []
            for _ in range(2):
                s = socket.create_connection((host, port), timeout=5)
                s.sendall(b"GET /delay/30000?bytes=100 HTTP/1.1\r\nHost: x\r\n\r\n")
                waiting.append(s)
            time.sleep(0.3)  # the server has read both requests
            for s in waiting:
                s.close()
            start = time.monotonic()
            try:
                reply = get(host, port, "/delay/0?bytes=10", 15)
            except OSError as e:
                print("FAIL: round %d: the request after the hang-ups got no reply "
                      "in 15 s (%s): the hung-up requests still hold the server's "
                      "two connections" % (round_, e))
                return 1
            took = time.monotonic() - start
            if not reply.startswith(b"HTTP/1.1 200"):
                print("FAIL: round %d: the request after the hang-ups got %r" % (round_, reply[:60]))
                failed = 1
            if took >= 15:
                print("FAIL: round %d: the request after the hang-ups waited %.1f s" % (round_, took))
                failed = 1
        time.sleep(0.3)
        now = open_fds(server.pid)
        if now != baseline:
            print("FAIL: the server holds %d descriptors, %d before the hang-ups" % (now, baseline))
            failed = 1
        # A reply still comes to a client that waits.
        if not get(host, port, "/delay/50?bytes=10", 10).startswith(b"HTTP/1.1 200"):
            print("FAIL: a delayed request is not answered after the hang-ups")
            failed = 1
    finally:
        failed |= stop(server)
    return failed


if __name__ == "__main__":
    sys.exit(main())
