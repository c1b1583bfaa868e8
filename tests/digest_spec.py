#!/usr/bin/python3
"""digest_spec.py CONCBENCH - docs/digest.md, followed by a program in
another language: computes the run digests of cpu.noop, io.sleep, io.http,
io.file, cpu.image, cpu.sumsq, cpu.mandelbrot, mixed.pipeline, mixed.blend,
sync.queue and sync.counter at small sizes from the spec alone (the digest
functions, cpu.image, cpu.sumsq and mixed.blend as the CPython strategies'
program computes them), and checks each against what `concbench once
--json` computed. Uses nothing beyond Debian's python3-minimal."""
import os
import re
import struct
import subprocess
import sys

# The digest functions and cpu.image come from the CPython strategies'
# program, itself written from docs/digest.md: one Python reading of the
# spec, checked here against concbench's C workloads for every workload.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "strategies",
                                "cpython"))
from tasks import M, Blend, Image, Sumsq, fnv1a, mix, words  # noqa: E402


def run_digest(task_digests):
    return sum(mix(d ^ mix(i)) for i, d in enumerate(task_digests)) & M


def noop(tasks):
    return [mix(i) for i in range(tasks)]


def sleep(tasks, latency_ms):
    return [mix((i * 1000003 + latency_ms) & M) for i in range(tasks)]


def http_body(seed, nbytes):
    out = bytearray()
    k = 0
    while len(out) < nbytes:
        out += mix(seed ^ mix(k)).to_bytes(8, "little")
        k += 1
    return bytes(out[:nbytes])


def http(tasks, nbytes):
    return [mix(fnv1a(http_body(i, nbytes)) ^ nbytes) for i in range(tasks)]


def image_of(size, r):
    return Image(["size=%d" % size, "radius=%d" % r], None)


def image_filter(src, size, r, kernel=None):
    return fnv1a(image_of(size, r).output(src))


def image(tasks, size, r):
    im = image_of(size, r)
    return [fnv1a(im.output(im.source(i))) for i in range(tasks)]


def image_results(tasks, size, r, nbytes):
    """cpu.image with result_bytes: the task digests, and the results'
    term of the run digest (each task's output repeated to nbytes)."""
    im = image_of(size, r)
    digests, extra = [], 0
    for i in range(tasks):
        out = im.output(im.source(i))
        digests.append(fnv1a(out))
        result = (out * (nbytes // len(out) + 1))[:nbytes]
        extra += mix(words(result) ^ mix(i))
    return digests, extra & M


def pipeline(tasks, nbytes, size, r):
    total = size * size * 3
    out = []
    for i in range(tasks):
        body = bytes(http_body(i, nbytes))
        src = bytearray((body * (total // nbytes + 1))[:total])
        out.append(image_filter(src, size, r))
    return out


def blend(tasks, cpu_us, steps_per_us=675):
    b = Blend(["cpu_us=%d" % cpu_us, "steps_per_us=%d" % steps_per_us], None)
    return [b.chain(i)[0] for i in range(tasks)]


def queue_item(i, nbytes):
    words = b"".join(struct.pack("<Q", mix(((i << 20) | k) & M)) for k in range((nbytes + 7) // 8))
    return words[:nbytes]


def queue(tasks, nbytes):
    return [fnv1a(queue_item(i, nbytes)) for i in range(tasks)]


def sumsq(tasks, n):
    w = Sumsq(["n=%d" % n], None)
    return [w.task(i, None)[0] for i in range(tasks)]


def mandelbrot(tasks, size, most):
    step = 1.5 / size
    out = []
    for i in range(tasks):
        h = 0xCBF29CE484222325
        for y in range(i * size // tasks, (i + 1) * size // tasks):
            ci = 0.9 - y * step
            for x in range(size):
                cr = -2.1 + x * step
                zr = zi = 0.0
                k = 0
                while k < most:
                    zr2, zi2 = zr * zr, zi * zi
                    if zr2 + zi2 > 4.0:
                        break
                    zi = 2.0 * zr * zi + ci
                    zr = zr2 - zi2 + cr
                    k += 1
                h = fnv1a(bytes((k & 255, k >> 8)), h)
        out.append(h)
    return out


def file_task(i, nbytes):
    words = [mix(i)] + [mix(k) for k in range(1, (nbytes + 7) // 8)]
    data = b"".join(w.to_bytes(8, "little") for w in words)[:nbytes]
    return mix(fnv1a(data[:64]) ^ nbytes)


def counter(tasks, increments):
    shares = [increments // tasks + (1 if i < increments % tasks else 0) for i in range(tasks)]
    return shares + [increments]  # the sample digest, bound as task N


CASES = [
    ("cpu.noop", 7, {}, lambda: noop(7)),
    ("io.sleep", 12, {"latency_ms": 5}, lambda: sleep(12, 5)),
    ("io.http", 5, {"latency_ms": 0, "bytes": 1000}, lambda: http(5, 1000)),
    ("io.http", 2, {"latency_ms": 0, "bytes": 0}, lambda: http(2, 0)),
    ("cpu.image", 3, {"size": 16, "radius": 2}, lambda: image(3, 16, 2)),
    ("cpu.image", 2, {"size": 33, "radius": 5}, lambda: image(2, 33, 5)),
    ("cpu.image", 3, {"size": 16, "radius": 2, "result_bytes": 1000},
     lambda: image_results(3, 16, 2, 1000)),
    ("cpu.sumsq", 4, {"n": 3000}, lambda: sumsq(4, 3000)),
    ("cpu.sumsq", 1, {"n": 4000000}, lambda: sumsq(1, 4000000)),  # wraps past 2^64
    ("cpu.mandelbrot", 5, {"size": 24, "iterations": 300}, lambda: mandelbrot(5, 24, 300)),
    ("io.file", 4, {"bytes": 100}, lambda: [file_task(i, 100) for i in range(4)]),
    ("io.file", 3, {"bytes": 13}, lambda: [file_task(i, 13) for i in range(3)]),
    ("mixed.pipeline", 3, {"latency_ms": 0, "bytes": 1000, "size": 20, "radius": 2},
     lambda: pipeline(3, 1000, 20, 2)),
    ("mixed.pipeline", 2, {"latency_ms": 0, "bytes": 5000, "size": 16, "radius": 1},
     lambda: pipeline(2, 5000, 16, 1)),
    ("mixed.blend", 3, {"cpu_us": 20, "io_us": 100}, lambda: blend(3, 20)),
    ("mixed.blend", 2, {"cpu_us": 0, "io_us": 0}, lambda: blend(2, 0)),
    ("mixed.blend", 3, {"cpu_us": 20, "io_us": 0, "steps_per_us": 7}, lambda: blend(3, 20, 7)),
    ("sync.queue", 5, {"item_bytes": 13}, lambda: queue(5, 13)),
    ("sync.queue", 3, {"item_bytes": 64}, lambda: queue(3, 64)),
    ("sync.counter", 7, {"increments": 1000, "mode": "mutex"}, lambda: counter(7, 1000)),
]


def main():
    binary = sys.argv[1]
    failed = 0
    for workload, tasks, params, compute in CASES:
        argv = [binary, "once", "--json", "--workload", workload, "--strategy", "serial",
                "--workers", "1", "--tasks", str(tasks)]
        for name, value in params.items():
            argv += ["--param", "%s=%s" % (name, value)]
        out = subprocess.run(argv, capture_output=True, text=True)
        found = re.search(r'"digest":"([0-9a-f]{16})"', out.stdout)
        if out.returncode != 0 or not found:
            print("%s: concbench once failed (%d): %s%s" % (workload, out.returncode, out.stdout,
                                                          out.stderr))
            failed += 1
            continue
        got = compute()
        digests, extra = got if isinstance(got, tuple) else (got, 0)
        mine = "%016x" % ((run_digest(digests) + extra) & M)
        if mine != found.group(1):
            print("%s %s: the spec gives %s, concbench %s" % (workload, params, mine,
                                                              found.group(1)))
            failed += 1
        else:
            print("%s %s: %s, as concbench" % (workload, params, mine))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
