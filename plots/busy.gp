# busy.gp - cores busy, CPU time / wall, per strategy at its best worker
# count; the dashed line is the machine's core count. Where the workload
# has a helper process (a fixture: io.http's server), its CPU is a second
# part stacked on each bar, hatched, with a key.
# Data: label, the cell's own cores busy ((user+sys) / wall), the
# helper's cores (its CPU / wall; 0 without one), colour.
set title @TITLE@ . "\n(cores busy at the best worker count@NOTE@)"
set ylabel @YLABEL@
set xlabel 'strategy (workers)'
set yrange [0:@YMAX@]
set boxwidth 0.6
set xtics noenhanced rotate by -20 left font ',9'
@KEY@
set arrow from graph 0, first @CORES@ to graph 1, first @CORES@ nohead dt 2 lc rgb '#888888'
set label 'cores: @CORES@' at graph 0.01, first @CORES@ offset 0,0.7 font ',9' tc rgb '#666666'
@PLOT@
