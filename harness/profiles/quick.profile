# quick - the default matrix (./run-benchmarks): every workload, small sizes,
# within 2 minutes on a 2-core machine. Format: docs/profiles.md.
# Each cell samples until its median's 95% CI is within +-2%, at least 10
# samples, for at most 1 s of sampling (2 s for I/O, whose 10-worker cells
# take 0.2 s a sample; 3 samples at least, however slow).
repeat 10
max-time 1
warmup 1
timeout 120

# I/O: waiting dominates; serial shows how long waiting one at a time takes.
io.sleep  tasks=1000 latency_ms=2 workers=10,100,1000 max-time=2
io.http   tasks=1000 latency_ms=2 bytes=1024 workers=10,100,1000 stack_kb=64 max-time=2

# CPU: computing dominates; workers scan 1, 2, 4, ... up to twice the cores.
cpu.image tasks=32 size=384 workers=scan
cpu.noop  tasks=200000 workers=scan
