# latency.gp - the CDF of each task's run time (end - start of each task),
# one line per strategy at its best worker count. Data blocks: seconds,
# percent.
set title @TITLE@ . "\n(task run time, as a CDF, at the best worker count)"
set xlabel 'task run time, start to end (@UNIT@, log scale)'
set ylabel 'tasks finished within (%)'
set logscale x 10
set yrange [0:100]
set key outside right top
@PLOT@
