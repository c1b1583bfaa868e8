"""serverlib.py - what the latency server's Python tests share: starting
`concbench serve` and reading its address, a whole GET, and stopping it
with the exit status checked."""
import socket
import subprocess


def start(binary, *args, **popen):
    """`concbench serve ARGS`: (process, host, port) once it is ready."""
    server = subprocess.Popen([binary, "serve"] + list(args), stdout=subprocess.PIPE, text=True,
                              **popen)
    url = server.stdout.readline().strip()
    host, port = url.rsplit("/", 1)[-1].rsplit(":", 1)
    return server, host, int(port)


def get(host, port, path, timeout=5.0):
    """One GET on a connection of its own: the whole reply, headers too."""
    s = socket.create_connection((host, port), timeout=timeout)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def stop(server):
    """SIGTERM; 1 (said) when the server did not exit 0, else 0."""
    server.terminate()
    if server.wait(timeout=10) != 0:
        print("FAIL: the server exited with %d" % server.returncode)
        return 1
    return 0
