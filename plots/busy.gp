# busy.gp - cores busy, (user + sys CPU) / wall, per strategy at its best
# worker count; the dashed line is the machine's core count.
# Data: label, cores_busy, colour.
set title @TITLE@ . "\n(cores busy at the best worker count)"
set ylabel 'cores busy ((user+sys) / wall)'
set xlabel 'strategy (workers)'
set yrange [0:@YMAX@]
set boxwidth 0.6
set xtics noenhanced
unset key
set arrow from graph 0, first @CORES@ to graph 1, first @CORES@ nohead dt 2 lc rgb '#888888'
set label 'cores: @CORES@' at graph 0.01, first @CORES@ offset 0,0.7 font ',9' tc rgb '#666666'
plot '@DATA@' using 0:2:3:xtic(1) with boxes lc variable notitle, \
     '' using 0:2:(sprintf('%.2f', $2)) with labels offset 0,0.8 font ',9' notitle
