# heatmap.gp - every experiment against every strategy; colour and number:
# the strategy's best median relative to the experiment's best (1.00 wins).
# Data: column, row, ratio (no row where the strategy did not run).
set title 'winners: time relative to the best strategy of each workload'
set xlabel 'strategy'
set view map
set palette defined (1 '#2e7d32', 1.5 '#c0ca33', 3 '#f9a825', 10 '#c62828')
set logscale cb
set cbrange [1:10]
set cblabel 'median / best median (1 = winner)'
set xrange [-0.5:@NCOLS@-0.5]
set yrange [@NROWS@-0.5:-0.5]
set xtics (@XTICS@) noenhanced rotate by -30 left font ",9"
set bmargin 7
set ytics (@YTICS@) noenhanced font ',9'
set lmargin 44
unset key
unset grid
plot '@DATA@' using 1:2:(0.49):(0.49):3 with boxxyerror fs solid 1.0 noborder fc palette notitle, \
     '' using 1:2:(sprintf('%.2f', $3)) with labels font ',10' notitle
