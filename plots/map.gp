# map.gp - the decision map: each strategy's speedup over serial against
# the share of a task spent computing (its workload's parameters), at one
# worker count, a ring on the winner at each share. Data blocks: share
# (percent) and speedup, one block per strategy; the last block, the
# winners.
set title @TITLE@ . "\n(which strategy wins, by compute share)"
set xlabel 'compute share of each task (%): waiting on the left, computing on the right'
set ylabel 'speedup over serial (x, log scale)'
set logscale y 2
set format y '%g'
set xrange [-4:104]
set xtics 0,10,100
set key outside right top
@PLOT@
