# full - the whole matrix: bigger sizes, I/O up to 10,000 in flight;
# within 20 minutes on a 2-core machine. Format: docs/profiles.md.
# Each cell samples until its median's 95% CI is within +-2%, at least 10
# samples, for at most 8 s of sampling (3 samples at least, however slow).
repeat 10
max-time 8
warmup 1
timeout 600

# (The pipeline strategy would run these whole through its queue, a
# thread pool by another route: it has lines of its own below.)
io.sleep  tasks=1000 latency_ms=10 workers=10,100,1000 strategies=serial,threads,processes,eventloop,openmp
io.http   tasks=1000 latency_ms=10 bytes=1024 workers=10,100,1000 stack_kb=64 strategies=serial,threads,processes,eventloop,openmp
# 10,000 requests of 50 ms: serial would take 500 s a sample, so the event
# loop's digest is the reference here.
io.http   tasks=10000 latency_ms=50 bytes=1024 workers=100,1000 strategies=threads,processes,eventloop,openmp reference=eventloop stack_kb=64
io.http   tasks=10000 latency_ms=50 bytes=1024 workers=10000 strategies=eventloop,threads reference=eventloop stack_kb=64
io.http   tasks=10000 latency_ms=0 bytes=1024 workers=100 strategies=threads,processes,eventloop,openmp reference=eventloop

cpu.image tasks=64 size=512 workers=scan strategies=serial,threads,processes,eventloop,openmp
cpu.noop  tasks=1000000 workers=scan strategies=serial,threads,processes,eventloop,openmp

# The catalogue, scanned.
cpu.sumsq tasks=20 workers=scan
cpu.mandelbrot tasks=64 size=512 workers=scan strategies=serial,threads,processes,openmp schedule=static
cpu.mandelbrot tasks=64 size=512 workers=scan strategies=threads,processes,openmp
cpu.mandelbrot tasks=64 size=512 workers=scan strategies=threads,processes,openmp schedule=guided
io.file   tasks=64 bytes=262144 workers=1,4,16
io.file   tasks=64 bytes=262144 fsync=off workers=1,4,16
sync.counter increments=10000000 mode=none workers=scan strategies=serial,threads,processes,openmp
sync.counter increments=4000000 mode=mutex workers=scan strategies=serial,threads,processes,openmp
sync.counter increments=4000000 mode=atomic workers=scan strategies=serial,threads,processes,openmp
sync.counter increments=4000000 mode=sharded workers=scan strategies=serial,threads,processes,openmp
cpu.noop  tasks=5000 workers=1,2,4 strategies=serial,threads,processes
cpu.noop  tasks=5000 workers=1,2,4 strategies=threads,processes spawn=per_task
# Download then process: every single strategy against the pipeline's
# four shapes (a loop or threads fetching for threads or processes).
mixed.pipeline tasks=64 latency_ms=20 size=256 workers=2,8,32 strategies=serial,threads,processes,eventloop,openmp
mixed.pipeline tasks=64 latency_ms=20 size=256 workers=2,4 strategies=pipeline in_flight=32
mixed.pipeline tasks=64 latency_ms=20 size=256 workers=2,4 strategies=pipeline in_flight=32 compute=processes
mixed.pipeline tasks=64 latency_ms=20 size=256 workers=2,4 strategies=pipeline in_flight=32 fetch=threads
mixed.pipeline tasks=64 latency_ms=20 size=256 workers=2,4 strategies=pipeline in_flight=32 fetch=threads compute=processes
# Waiting and computing in three blends (the map profile sweeps eleven).
mixed.blend tasks=64 cpu_us=0 io_us=2000 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1000 io_us=1000 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=2000 io_us=0 workers=cores,16xcores
# The queue's items per second: its depth, and processes at two prefetches.
sync.queue tasks=100000 workers=1,2 strategies=serial,threads,pipeline
sync.queue tasks=100000 workers=1,2 strategies=pipeline depth=4
sync.queue tasks=100000 workers=1,2 strategies=pipeline compute=processes
sync.queue tasks=100000 workers=1,2 strategies=pipeline compute=processes prefetch=64
# Results handed back, from none to 4 MiB a task.
cpu.image tasks=64 size=256 result_bytes=0 workers=2,4 strategies=serial,threads,processes,openmp
cpu.image tasks=64 size=256 result_bytes=16384 workers=2,4 strategies=serial,threads,processes,openmp
cpu.image tasks=64 size=256 result_bytes=262144 workers=2,4 strategies=serial,threads,processes,openmp
cpu.image tasks=64 size=256 result_bytes=1048576 workers=2,4 strategies=serial,threads,processes,openmp
cpu.image tasks=64 size=256 result_bytes=4194304 workers=2,4 strategies=serial,threads,processes,openmp
# Two locks in an inconsistent order: the threads and processes cells
# deadlock, and the timeout records it; serial finishes.
sync.deadlock order=consistent workers=2 strategies=serial,threads,processes
sync.deadlock order=inconsistent workers=2 strategies=serial,threads,processes timeout=10
# The GIL, emulated and real (docs/external.md): gil and CPython's threading
# beside threads, CPython's other models beside theirs; requests per second
# at 0 ms, and 100 requests in flight at 50 ms (no serial there: 50 s).
cpu.sumsq tasks=8 n=300000 workers=1,2,4 strategies=serial,threads,processes,eventloop,gil,py.*
cpu.image tasks=4 size=64 workers=1,2 strategies=serial,threads,processes,gil,py.*
io.sleep  tasks=200 latency_ms=10 workers=10,100 strategies=serial,threads,processes,eventloop,gil,py.*
io.http   tasks=2000 latency_ms=0 bytes=64 workers=2,10 strategies=serial,threads,processes,eventloop,gil,py.*
io.http   tasks=1000 latency_ms=50 bytes=1024 workers=100 strategies=threads,processes,eventloop,gil,py.threading,py.multiprocessing,py.asyncio reference=eventloop stack_kb=64
