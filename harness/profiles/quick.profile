# quick - the default matrix (./run-benchmarks): every workload, small sizes,
# within 2 minutes on a 2-core machine. Format: docs/profiles.md.
repeat 3
warmup 1
timeout 120

# I/O: waiting dominates; serial shows how long waiting one at a time takes.
io.sleep  tasks=1000 latency_ms=2 workers=10,100,1000
io.http   tasks=1000 latency_ms=2 bytes=1024 workers=10,100,1000 stack_kb=64

# CPU: computing dominates; workers scan 1, 2, 4, ... up to twice the cores.
cpu.image tasks=32 size=384 workers=scan repeat=5
cpu.noop  tasks=200000 workers=scan repeat=5
