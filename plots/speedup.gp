# speedup.gp - speedup over serial against worker count, one line per
# strategy, error bars from the bootstrap CI, and the ideal line.
# Data blocks: workers, speedup, lo, hi (one block per strategy, then ideal).
set title @TITLE@ . "\n(speedup over serial vs workers)"
set xlabel 'workers (log scale)'
set ylabel 'speedup over serial (x)'
set logscale x 2
set logscale y 2
set format x '%g'
set format y '%g'
set key outside right top
@PLOT@
