# time.gp - wall time per strategy at its best worker count, with the 95%
# CI of the median as error bars (the range below 6 samples); a log axis
# when the medians differ more than 20-fold, so the fast bars stay visible.
# Every sample is a dot over its bar. Data block 0: label, median_s, ci_lo,
# ci_hi, colour, top (the highest sample or CI end, where the median's
# value is written); block 1: position (spread a little), sample_s.
set title @TITLE@ . "\n(time per strategy at its best worker count)"
set ylabel 'wall time per sample (@UNIT@@LOGNOTE@)'
set xlabel 'strategy (workers)'
@YSCALE@
set boxwidth 0.6
set xtics noenhanced rotate by -20 left font ',9'
unset key
plot '@DATA@' index 0 using 0:($2*@SCALE@):5:xtic(1) with boxes lc variable notitle, \
     '' index 1 using 1:($2*@SCALE@) with points pt 7 ps 0.45 lc rgb '#55222222' notitle, \
     '' index 0 using 0:($2*@SCALE@):($3*@SCALE@):($4*@SCALE@) with yerrorbars lc rgb '#222222' pt -1 lw 1.5 notitle, \
     '' index 0 using 0:($6*@SCALE@):(sprintf('%.3g', $2*@SCALE@)) with labels offset 0,0.8 font ',9' notitle
