# map - the decision map: mixed.blend's tasks wait, then compute, 2 ms in
# all, the compute share swept from 0% to 100%, at W = the cores and
# W = 16 x the cores. report.md names the share where the winner changes;
# plots/map-mixed.blend-w*.png draws it. Format: docs/profiles.md.
repeat 5
max-time 1
warmup 1
timeout 120

mixed.blend tasks=64 cpu_us=0    io_us=2000 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=200  io_us=1800 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=400  io_us=1600 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=600  io_us=1400 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=800  io_us=1200 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1000 io_us=1000 workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1200 io_us=800  workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1400 io_us=600  workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1600 io_us=400  workers=cores,16xcores
mixed.blend tasks=64 cpu_us=1800 io_us=200  workers=cores,16xcores
mixed.blend tasks=64 cpu_us=2000 io_us=0    workers=cores,16xcores

# The GIL map: the same sweep in CPython (docs/external.md), at CPython's
# own pace of 7 chain steps a microsecond (675 in C) so that the shares
# hold there, its strategies against its own serial. Every sample starts
# a fresh interpreter, whose first tens of milliseconds run unevenly (+-20%
# at 30 ms a sample): 32 tasks and 2 s of sampling a cell.
mixed.blend tasks=32 cpu_us=0    io_us=2000 steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
mixed.blend tasks=32 cpu_us=400  io_us=1600 steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
mixed.blend tasks=32 cpu_us=800  io_us=1200 steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
mixed.blend tasks=32 cpu_us=1200 io_us=800  steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
mixed.blend tasks=32 cpu_us=1600 io_us=400  steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
mixed.blend tasks=32 cpu_us=2000 io_us=0    steps_per_us=7 workers=cores,16xcores strategies=py.* max-time=2
