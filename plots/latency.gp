# latency.gp - the CDF of per-task latency (end - start of each task), one
# line per strategy at its best worker count. Data blocks: latency_s, percent.
set title @TITLE@ . "\n(per-task latency CDF at the best worker count)"
set xlabel 'task latency (@UNIT@, log scale)'
set ylabel 'tasks finished within (%)'
set logscale x 10
set yrange [0:100]
set key outside right top
@PLOT@
