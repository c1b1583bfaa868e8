# clocks.gp - the two clocks side by side for every cell: the in-process
# median (the strategy's run alone) and the whole-process median (hyperfine
# timing `concbench once`: start-up, the fixture, setup, run, teardown),
# each bar with its value. A log axis when the smallest and the largest of
# both clocks together differ more than 20-fold (the time chart's rule).
# Data: label, in-process median, whole-process median (seconds).
set title @TITLE@ . "\n(in-process vs whole-process time)"
set ylabel 'median time per run (@UNIT@@LOGNOTE@)'
set xlabel 'strategy (workers)'
@YSCALE@
set xrange [-0.6:@NROWS@-0.4]
set boxwidth 0.38
set xtics noenhanced rotate by -20 font ',9'
set key outside right top
plot '@DATA@' using ($0-0.2):($2*@SCALE@) with boxes lc rgb '#4e79a7' title 'in-process (strategy run)', \
     '' using ($0+0.2):($3*@SCALE@) with boxes lc rgb '#f28e2b' title 'whole process (hyperfine)', \
     '' using 0:(NaN):xtic(1) with points notitle, \
     '' using ($0-0.2):($2*@SCALE@):(sprintf('%.3g', $2*@SCALE@)) with labels offset 0,0.8 font ',9' notitle, \
     '' using ($0+0.2):($3*@SCALE@):(sprintf('%.3g', $3*@SCALE@)) with labels offset 0,0.8 font ',9' notitle
