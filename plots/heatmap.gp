# heatmap.gp - every experiment against every strategy variant: colour and
# number say the variant's best median relative to the experiment's best
# (1x wins, and its cell is outlined), on a log colour scale open to the
# largest ratio (rounded up to @CBTOP@x), so 10x and 1000x differ. The
# palette and each number's colour (black or white, whichever stands out
# on its cell) come from harness/plot.c. Grey cells have no ratio: "-" the
# variant did not run there, "failed" none of its cells finished correctly.
# Data block 0: column, row, ratio, number colour, number; block 1:
# column, row, grey, word.
set title 'winners: time relative to the best strategy of each workload'
set xlabel '@XLABEL@'
set view map
set palette defined (@PALETTE@)
set logscale cb
set cbrange [1:@CBTOP@]
set cbtics (@CBTICS@)
unset mcbtics
set cblabel 'time relative to the best strategy (1x = best; log scale)'
set xrange [-0.5:@NCOLS@-0.5]
set yrange [@NROWS@-0.5:-0.5]
set xtics (@XTICS@) noenhanced rotate by -30 left font ",9"
set bmargin 7
set ytics (@YTICS@) noenhanced font ',9'
set lmargin 44
unset key
unset grid
plot '@DATA@' index 0 using 1:2:(0.49):(0.49):3 with boxxyerror fs solid 1.0 noborder fc palette notitle@GREYPLOT@, \
     '' index 0 using ($3 == 1 ? $1 : NaN):2:(0.45):(0.45) with boxxyerror fs empty lc rgb '#000000' lw 2.5 notitle, \
     '' index 0 using 1:2:5:4 with labels tc rgb variable font ',10' notitle
