# speedup.gp - speedup over serial against worker count, one line per
# strategy, error bars from the bootstrap CI (none where a side has fewer
# than 10 samples), the ideal line, and a tick at each worker count that ran.
# Data blocks: workers, speedup, lo, hi (one block per strategy, then ideal).
set title @TITLE@ . "\n(speedup over serial vs workers)"
set xlabel 'workers (log scale)'
set ylabel 'speedup over serial (x)'
set logscale x 2
set logscale y 2
set xtics (@XTICS@)
set format x '%g'
set format y '%g'
set key outside right top
@PLOT@
