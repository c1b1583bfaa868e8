# time.gp - wall time per strategy at its best worker count, with the 95%
# CI of the median as error bars (the range below 6 samples); a log axis
# when the medians differ more than 20-fold, so the fast bars stay visible.
# Data: label, median_s, ci_lo, ci_hi, colour.
set title @TITLE@ . "\n(time per strategy at its best worker count)"
set ylabel 'wall time per sample (@UNIT@@LOGNOTE@)'
set xlabel 'strategy (workers)'
@YSCALE@
set boxwidth 0.6
set xtics noenhanced
unset key
plot '@DATA@' using 0:($2*@SCALE@):5:xtic(1) with boxes lc variable notitle, \
     '' using 0:($2*@SCALE@):($3*@SCALE@):($4*@SCALE@) with yerrorbars lc rgb '#222222' pt -1 lw 1.5 notitle, \
     '' using 0:($4*@SCALE@):(sprintf('%.3g', $2*@SCALE@)) with labels offset 0,0.8 font ',9' notitle
