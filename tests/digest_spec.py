#!/usr/bin/python3
"""digest_spec.py CONCBENCH - docs/digest.md, followed by a program in
another language: computes the run digests of cpu.noop, io.sleep, io.http,
io.file, cpu.image, cpu.sumsq, cpu.mandelbrot, mixed.pipeline, mixed.blend,
sync.queue and
sync.counter at small sizes from the spec alone, and checks each against
what `concbench once --json` computed. Uses nothing beyond Debian's
python3-minimal."""
import math
import re
import struct
import subprocess
import sys

M = (1 << 64) - 1


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


def image_kernel(r):
    n, sigma = 2 * r + 1, r / 2.0
    w = [math.exp(-float((j - r) * (j - r)) / (2 * sigma * sigma)) for j in range(n)]
    total = 0.0
    for v in w:
        total += v
    k = [math.floor(v / total * 16384 + 0.5) for v in w]
    k[r] += 16384 - sum(k)
    return k


def image_source(task, size):
    row = size * 3
    src = bytearray(size * row)
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


def image_filter(src, size, r, kernel):
    return fnv1a(image_output(src, size, r, kernel))


def image_output(src, size, r, kernel):
    row = size * 3
    tmp = bytearray(size * row)
    for y in range(size):
        line = src[y * row:(y + 1) * row]
        pad = line[0:3] * r + line + line[row - 3:row] * r
        for x in range(row):
            acc = sum(kernel[j] * pad[x + 3 * j] for j in range(2 * r + 1))
            tmp[y * row + x] = (acc + 8192) >> 14
    blur = bytearray(size * row)
    for y in range(size):
        rows = [min(max(y + j - r, 0), size - 1) * row for j in range(2 * r + 1)]
        for x in range(row):
            acc = sum(kernel[j] * tmp[rows[j] + x] for j in range(2 * r + 1))
            blur[y * row + x] = (acc + 8192) >> 14
    half = size // 2
    out = bytearray(half * half * 3)
    for y in range(half):
        for x in range(half):
            for c in range(3):
                p = 2 * y * row + 2 * x * 3 + c
                out[(y * half + x) * 3 + c] = (blur[p] + blur[p + 3] + blur[p + row]
                                               + blur[p + row + 3] + 2) // 4
    return bytes(out)


def image(tasks, size, r):
    kernel = image_kernel(r)
    return [image_filter(image_source(i, size), size, r, kernel) for i in range(tasks)]


def image_results(tasks, size, r, nbytes):
    """cpu.image with result_bytes: the task digests, and the results'
    term of the run digest (each task's output repeated to nbytes)."""
    kernel = image_kernel(r)
    digests, extra = [], 0
    for i in range(tasks):
        src = image_source(i, size)
        digests.append(image_filter(src, size, r, kernel))
        out = image_output(src, size, r, kernel)
        result = (out * (nbytes // len(out) + 1))[:nbytes]
        extra += mix(words(result) ^ mix(i))
    return digests, extra & M


def pipeline(tasks, nbytes, size, r):
    kernel = image_kernel(r)
    total = size * size * 3
    out = []
    for i in range(tasks):
        body = bytes(http_body(i, nbytes))
        src = bytearray((body * (total // nbytes + 1))[:total])
        out.append(image_filter(src, size, r, kernel))
    return out


def blend(tasks, cpu_us):
    out = []
    for i in range(tasks):
        x = mix(i)
        for _ in range(cpu_us * 675):
            x = (x * 6364136223846793005 + 1442695040888963407) & M
            x ^= x >> 29
        out.append(mix(x))
    return out


def queue_item(i, nbytes):
    words = b"".join(struct.pack("<Q", mix(((i << 20) | k) & M)) for k in range((nbytes + 7) // 8))
    return words[:nbytes]


def queue(tasks, nbytes):
    return [fnv1a(queue_item(i, nbytes)) for i in range(tasks)]


def sumsq(tasks, n):
    return [sum(k * k for k in range(n + i)) & M for i in range(tasks)]


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
