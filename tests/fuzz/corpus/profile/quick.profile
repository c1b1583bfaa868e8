# quick - the default matrix (./run-benchmarks): every workload, small sizes,
# within 2 minutes on a 2-core machine. Format: docs/profiles.md.
# Each cell samples until its median's 95% CI is within +-2%, at least 10
# samples, for at most 0.75 s of sampling (1 s for I/O, whose 10-worker
# cells take 0.2 s a sample; 3 samples at least, however slow). On a noisy
# day the full second took the matrix past 2 minutes.
repeat 10
max-time 0.75
warmup 1
timeout 120

# I/O: waiting dominates; serial shows how long waiting one at a time takes.
# (The pipeline strategy runs these whole through its queue, a thread pool
# by another route: it has lines of its own below.)
io.sleep  tasks=500 latency_ms=2 workers=10,100,500 max-time=1 strategies=serial,threads,processes,eventloop,openmp
io.http   tasks=500 latency_ms=2 bytes=1024 workers=10,100,500 stack_kb=64 max-time=1 strategies=serial,threads,processes,eventloop,openmp

# CPU: computing dominates; workers scan 1, 2, 4, ... up to twice the cores.
cpu.image tasks=32 size=384 workers=scan strategies=serial,threads,processes,eventloop,openmp
cpu.noop  tasks=200000 workers=scan strategies=serial,threads,processes,eventloop,openmp

# The catalogue, one small point each (docs/profiles.md):
# the classic CPU-bound sum of squares;
cpu.sumsq tasks=8 n=1000000 workers=2
# uneven tasks: a static split against the next task to whoever is free;
cpu.mandelbrot tasks=32 size=192 iterations=300 workers=2 strategies=serial,threads,openmp schedule=static
cpu.mandelbrot tasks=32 size=192 iterations=300 workers=2 strategies=threads,openmp
# disk I/O, blocking everywhere (an event loop runs it inline);
io.file   tasks=16 bytes=65536 workers=4
# a shared counter: the race, a lock, an atomic, shards;
sync.counter increments=4000000 mode=none workers=2 strategies=serial,threads,processes,openmp
sync.counter increments=1000000 mode=mutex workers=2 strategies=serial,threads,processes,openmp
sync.counter increments=1000000 mode=atomic workers=2 strategies=serial,threads,processes,openmp
sync.counter increments=1000000 mode=sharded workers=2 strategies=serial,threads,processes,openmp
# what a pool saves over a new thread or process per task;
cpu.noop  tasks=1000 workers=2 strategies=serial,threads,processes
cpu.noop  tasks=1000 workers=2 strategies=threads,processes spawn=per_task
# download then process: single strategies against a loop feeding a pool;
mixed.pipeline tasks=16 latency_ms=10 size=256 workers=2,16 strategies=serial,threads,processes,eventloop
mixed.pipeline tasks=16 latency_ms=10 size=256 workers=2 strategies=pipeline in_flight=16
mixed.pipeline tasks=16 latency_ms=10 size=256 workers=2 strategies=pipeline in_flight=16 compute=processes
# half waiting, half computing (the map profile sweeps the share);
mixed.blend tasks=32 cpu_us=500 io_us=500 workers=2 strategies=serial,threads,processes,eventloop,openmp
# a producer-consumer queue's items per second;
sync.queue tasks=20000 workers=1 strategies=serial,pipeline
sync.queue tasks=20000 workers=1 strategies=pipeline compute=processes prefetch=64
# results handed back: shared by threads, copied back by processes.
cpu.image tasks=32 size=128 result_bytes=0 workers=2 strategies=serial,threads,processes
cpu.image tasks=32 size=128 result_bytes=1048576 workers=2 strategies=serial,threads,processes
# The GIL, emulated and real: gil and CPython's threading beside threads,
# and CPython's other models, at one small point (docs/external.md; the
# full profile adds waiting, HTTP and the other models' counterparts).
# Every CPython sample starts an interpreter: 3 samples suffice here.
cpu.sumsq tasks=4 n=300000 workers=2 strategies=serial,threads,gil,py.* repeat=3 warmup=0 max-time=0.5
