# clocks.gp - the two clocks side by side for every cell: the in-process
# median (the strategy's run alone) and the whole-process median (hyperfine
# timing `concbench once`: start-up, the fixture, setup, run, teardown).
# Data: label, in-process median, whole-process median.
set title @TITLE@ . "\n(in-process vs whole-process time)"
set ylabel 'median time per run (@UNIT@; log scale when they differ 20-fold)'
set xlabel 'strategy (workers)'
@YSCALE@
set style data histogram
set style histogram clustered gap 1
set boxwidth 0.9
set xtics noenhanced rotate by -20 font ',9'
set key outside right top
plot '@DATA@' using ($2*@SCALE@):xtic(1) title 'in-process (strategy run)' lc rgb '#4e79a7', \
     '' using ($3*@SCALE@) title 'whole process (hyperfine)' lc rgb '#f28e2b'
