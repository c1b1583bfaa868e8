# cpython.profile - the GIL lesson's figures (docs/external.md): C's threads,
# the gil emulation and CPython's own models on the same workloads, side by
# side in one run. concbench matrix --profile bench/cpython.profile
# (about 3 minutes on 2 cores). The report's "Another runtime beside this
# one" sets each CPython cell beside its counterpart here.
repeat 10
max-time 3
warmup 1
timeout 300

# Computing: speedup over each runtime's serial at W=2.
cpu.sumsq tasks=8 n=300000 workers=2 strategies=serial,threads,processes,eventloop,gil,py.*
cpu.image tasks=4 size=64 workers=2 strategies=serial,threads,processes,eventloop,gil,py.*
# Waiting: the same at W=2.
io.sleep  tasks=40 latency_ms=10 workers=2 strategies=serial,threads,processes,eventloop,gil,py.*
# HTTP: requests per second at 0 ms, and 100 in flight at 50 ms.
io.http   tasks=2000 latency_ms=0 bytes=64 workers=10 strategies=serial,threads,processes,eventloop,gil,py.*
io.http   tasks=1000 latency_ms=50 bytes=1024 workers=100 strategies=threads,processes,eventloop,gil,py.threading,py.multiprocessing,py.asyncio reference=eventloop stack_kb=64
