"""concbench's tasks in CPython: io.sleep, io.http, cpu.sumsq, cpu.image and
mixed.blend, run under serial, threading, multiprocessing or asyncio.

The py.* strategies feed this program to the interpreter on its stdin and
read its one result line (docs/external.md). By hand:

    concbench cpython > tasks.py
    python3 tasks.py describe
    python3 tasks.py run threading cpu.sumsq 8 2 - n=200000

run MODEL WORKLOAD TASKS WORKERS FIXTURE [NAME=VALUE ...] prints

    concbench-external wall_s=<seconds> digest=<16 hex digits>

where wall_s is this program's own clock from before its pool starts to
after its last worker is joined, and the digest is the run digest that
docs/digest.md specifies: the same as the C workloads', so the harness
checks it against the serial strategy's. FIXTURE is the latency server's
base URL ("-": none). Uses the standard library, and aiohttp for io.http
under asyncio.
"""
# Only what every run needs is imported here: each model and workload
# imports its own modules, so a cell's start-up is what its own run needs
# (asyncio alone takes longer to import than the interpreter to start).
import math
import sys
import time

M = (1 << 64) - 1
MODELS = ("serial", "threading", "multiprocessing", "asyncio")
# What each model imports: loaded before its clock starts.
MODEL_MODULES = {"serial": [], "threading": ["threading", "concurrent.futures"],
                 "multiprocessing": ["multiprocessing", "multiprocessing.pool", "ctypes"],
                 "asyncio": ["asyncio"]}


class BadInput(Exception):
    """A run this program cannot do: exit 2, with one line."""


# ==== docs/digest.md ====

def mix(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
    return x ^ (x >> 31)


def fnv1a(data, h=0xCBF29CE484222325):
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & M
    return h


def words(data):
    h = 0xCBF29CE484222325
    whole = len(data) // 8 * 8
    for k in range(0, whole, 8):
        h = ((h ^ int.from_bytes(data[k:k + 8], "little")) * 0x100000001B3) & M
    return fnv1a(data[whole:], h)


def task_term(i, digest):
    return mix(digest ^ mix(i))


# ==== The workloads: task(i, state) -> (digest, result bytes or None) ====

class Workload:
    """A workload's parameters (NAME=VALUE texts checked against its own
    table, defaults as in C) and its tasks."""
    params = {}
    modules = []        # what its tasks import, under every model
    async_modules = []  # what they import under asyncio besides

    def __init__(self, texts, fixture):
        self.p = dict(self.params)
        for text in texts:
            name, eq, value = text.partition("=")
            if not eq or name not in self.p:
                raise BadInput(f"{self.name} has no parameter '{name}'; it has: "
                               + ", ".join(self.p))
            kind = type(self.params[name])
            try:
                self.p[name] = (value if kind is str else value in ("1", "true", "on")
                                if kind is bool else int(value))
            except ValueError:
                raise BadInput(f"{self.name}: {name} expects an integer, got '{value}'")
        self.fixture = fixture
        self.setup()

    def setup(self):
        pass

    def state(self):
        """What one worker keeps between its tasks (a connection)."""
        return None

    async def atask(self, i, state):
        return self.task(i, state)


class Sleep(Workload):
    name = "io.sleep"
    params = {"latency_ms": 50}

    def task(self, i, state):
        time.sleep(self.p["latency_ms"] / 1000)
        return mix((i * 1000003 + self.p["latency_ms"]) & M), None

    async def atask(self, i, state):
        import asyncio
        await asyncio.sleep(self.p["latency_ms"] / 1000)
        return mix((i * 1000003 + self.p["latency_ms"]) & M), None


class Http(Workload):
    name = "io.http"
    params = {"latency_ms": 50, "bytes": 1024, "reuse": True, "url": ""}
    modules = ["http.client", "urllib.parse"]
    async_modules = ["aiohttp"]

    def setup(self):
        import urllib.parse
        if self.p["url"]:
            self.template = self.p["url"]
        elif self.fixture:
            self.template = self.fixture + "/delay/{ms}?bytes={bytes}&seed={seed}"
        else:
            raise BadInput("io.http: no server: no fixture and no url")
        self.check_length = "{bytes}" in self.template
        parts = urllib.parse.urlsplit(self.url(0))
        if parts.scheme != "http" or not parts.hostname:
            raise BadInput(f"io.http: the url must be http://HOST[:PORT]/..., got '{self.url(0)}'")
        self.host, self.port = parts.hostname, parts.port or 80

    def url(self, i):
        return (self.template.replace("{ms}", str(self.p["latency_ms"]))
                .replace("{bytes}", str(self.p["bytes"])).replace("{seed}", str(i)))

    def digest(self, i, status, body):
        if status != 200:
            raise RuntimeError(f"task {i}: HTTP status {status}")
        if self.check_length and len(body) != self.p["bytes"]:
            raise RuntimeError(f"task {i}: {len(body)} bytes, expected {self.p['bytes']}")
        return mix(fnv1a(body) ^ len(body)), None

    def state(self):
        return {"conn": None}

    def task(self, i, state):
        import http.client
        import urllib.parse
        parts = urllib.parse.urlsplit(self.url(i))
        target = parts.path + ("?" + parts.query if parts.query else "")
        if state["conn"] is None:
            state["conn"] = http.client.HTTPConnection(self.host, self.port, timeout=60)
        conn = state["conn"]
        try:
            conn.request("GET", target)
            resp = conn.getresponse()
            body = resp.read()
        finally:
            if not self.p["reuse"]:
                conn.close()
                state["conn"] = None
        return self.digest(i, resp.status, body)

    async def atask(self, i, session):
        async with session.get(self.url(i)) as resp:
            body = await resp.read()
            return self.digest(i, resp.status, body)


class Sumsq(Workload):
    name = "cpu.sumsq"
    params = {"n": 5000000}

    def task(self, i, state):
        return sum(k * k for k in range(self.p["n"] + i)) & M, None


class Image(Workload):
    name = "cpu.image"
    params = {"size": 512, "radius": 3, "result_bytes": 0}

    def setup(self):
        r = self.p["radius"]
        n, sigma = 2 * r + 1, r / 2.0
        w = [math.exp(-float((j - r) * (j - r)) / (2 * sigma * sigma)) for j in range(n)]
        total = 0.0
        for v in w:
            total += v
        k = [math.floor(v / total * 16384 + 0.5) for v in w]
        k[r] += 16384 - sum(k)
        self.kernel = k

    def source(self, task):
        size = self.p["size"]
        src = bytearray(size * size * 3)
        for y in range(size):
            s = mix(((task << 32) ^ y) & M)
            for x in range(size):
                s ^= (s << 13) & M
                s ^= s >> 7
                s ^= (s << 17) & M
                p = (y * size + x) * 3
                src[p] = (x * 255 // size + (s & 31)) & 255
                src[p + 1] = (y * 255 // size + ((s >> 8) & 31)) & 255
                src[p + 2] = (x + y + task * 17 + ((s >> 16) & 63)) & 255
        return src

    def output(self, src):
        size, r, kernel = self.p["size"], self.p["radius"], self.kernel
        row, taps = size * 3, range(2 * r + 1)
        tmp = bytearray(size * row)
        for y in range(size):
            line = src[y * row:(y + 1) * row]
            pad = line[0:3] * r + line + line[row - 3:row] * r
            for x in range(row):
                tmp[y * row + x] = (sum(kernel[j] * pad[x + 3 * j] for j in taps) + 8192) >> 14
        blur = bytearray(size * row)
        for y in range(size):
            rows = [min(max(y + j - r, 0), size - 1) * row for j in taps]
            for x in range(row):
                blur[y * row + x] = (sum(kernel[j] * tmp[rows[j] + x] for j in taps) + 8192) >> 14
        half = size // 2
        out = bytearray(half * half * 3)
        for y in range(half):
            for x in range(half):
                for c in range(3):
                    p = 2 * y * row + 2 * x * 3 + c
                    out[(y * half + x) * 3 + c] = (blur[p] + blur[p + 3] + blur[p + row]
                                                   + blur[p + row + 3] + 2) // 4
        return bytes(out)

    def task(self, i, state):
        out = self.output(self.source(i))
        want = self.p["result_bytes"]
        result = (out * (want // len(out) + 1))[:want] if want else None
        return fnv1a(out), result


class Blend(Workload):
    name = "mixed.blend"
    params = {"cpu_us": 500, "io_us": 500, "steps_per_us": 675}

    def chain(self, i):
        x = mix(i)
        for _ in range(self.p["cpu_us"] * self.p["steps_per_us"]):
            x = (x * 6364136223846793005 + 1442695040888963407) & M
            x ^= x >> 29
        return mix(x), None

    def task(self, i, state):
        time.sleep(self.p["io_us"] / 1e6)
        return self.chain(i)

    async def atask(self, i, state):
        import asyncio
        await asyncio.sleep(self.p["io_us"] / 1e6)
        return self.chain(i)


WORKLOADS = {w.name: w for w in (Sleep, Http, Sumsq, Image, Blend)}


def asyncio_missing(workload):
    """Why asyncio cannot run the workload here, or None."""
    if workload is Http:
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            return "python3-aiohttp"
    return None


# ==== The models: each returns [(digest, result)] in task order ====

def run_serial(w, tasks, workers):
    state = w.state()
    return [w.task(i, state) for i in range(tasks)]


def run_threading(w, tasks, workers):
    import threading
    from concurrent.futures import ThreadPoolExecutor
    local = threading.local()

    def one(i):
        if not hasattr(local, "state"):
            local.state = w.state()
        return w.task(i, local.state)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, range(tasks)))


_WORKER = None  # a pool process's workload and state


def _process_init(w, parent):
    global _WORKER
    # A pool process dies with this program (PR_SET_PDEATHSIG, SIGKILL):
    # killed with its cell, it would wait on the pool's queue forever. If
    # the program died before the call, the parent is already another.
    import ctypes
    import os
    import signal
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
    _WORKER = (w, w.state())


def _process_task(i):
    w, state = _WORKER
    return w.task(i, state)


def run_multiprocessing(w, tasks, workers):
    import multiprocessing
    # fork, as the C processes strategy does, whatever the default.
    import os
    pool = multiprocessing.get_context("fork").Pool(workers, _process_init, (w, os.getpid()))
    try:
        out = pool.map(_process_task, range(tasks), chunksize=1)
    finally:
        pool.close()
        pool.join()
    return out


def run_asyncio(w, tasks, workers):
    import asyncio

    async def main():
        limit = asyncio.Semaphore(workers)
        session = None
        if isinstance(w, Http):
            import aiohttp
            connector = aiohttp.TCPConnector(limit=workers, force_close=not w.p["reuse"])
            session = aiohttp.ClientSession(connector=connector)

        async def one(i):
            async with limit:
                return await w.atask(i, session)

        try:
            return await asyncio.gather(*(one(i) for i in range(tasks)))
        finally:
            if session:
                await session.close()

    return asyncio.run(main())


def runtime():
    import sysconfig
    version = f"cpython-{sys.version_info.major}.{sys.version_info.minor}"
    return version + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "")


def describe():
    print("runtime", runtime())
    print("version", sys.version.split()[0])
    print("workloads", " ".join(WORKLOADS))
    for name, w in WORKLOADS.items():
        missing = asyncio_missing(w)
        if missing:
            print("missing asyncio", name, missing)


def run(args):
    if len(args) < 5:
        raise BadInput("usage: run MODEL WORKLOAD TASKS WORKERS FIXTURE [NAME=VALUE ...]")
    model, name, tasks, workers, fixture = args[:5]
    if model not in MODELS:
        raise BadInput(f"unknown model '{model}'; choose one of: {', '.join(MODELS)}")
    if name not in WORKLOADS:
        raise BadInput(f"this program does not run '{name}'; it runs: {', '.join(WORKLOADS)}")
    if model == "asyncio" and asyncio_missing(WORKLOADS[name]):
        raise BadInput(f"{name} under asyncio needs {asyncio_missing(WORKLOADS[name])}")
    try:
        tasks, workers = int(tasks), int(workers)
    except ValueError:
        raise BadInput("TASKS and WORKERS are integers")
    if tasks < 1 or workers < 1:
        raise BadInput("TASKS and WORKERS are 1 or more")
    w = WORKLOADS[name](args[5:], None if fixture == "-" else fixture)
    body = globals()["run_" + model]
    # Modules load before the clock starts, as a C program's libraries do:
    # asyncio alone takes tens of milliseconds to import.
    import importlib
    for module in MODEL_MODULES[model] + w.modules + (w.async_modules if model == "asyncio" else []):
        importlib.import_module(module)
    t0 = time.perf_counter()
    out = body(w, tasks, workers)
    # The results reach this process and are read, as sample_deliver reads them.
    results = sum(task_term(i, words(r)) for i, (_, r) in enumerate(out) if r is not None)
    wall = time.perf_counter() - t0
    digest = (sum(task_term(i, d) for i, (d, _) in enumerate(out)) + results) & M
    print(f"concbench-external wall_s={wall:.9f} digest={digest:016x}", flush=True)


def main(argv):
    try:
        if argv[:1] == ["describe"]:
            describe()
        elif argv[:1] == ["run"]:
            run(argv[1:])
        else:
            raise BadInput("usage: describe | run MODEL WORKLOAD TASKS WORKERS FIXTURE [NAME=VALUE ...]")
    except BadInput as e:
        print(f"tasks.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
