# common.gp - settings every chart shares. Loaded first by each chart's
# generated script; @...@ words are filled in by harness/plot.c.
set encoding utf8
set termoption enhanced
set key outside right top vertical Left reverse noenhanced
set grid ytics lc rgb '#dddddd'
set border 3
set tics nomirror
set title noenhanced font ',13'
set style fill solid 0.85 border lc rgb '#333333'
# One colour per strategy, always the same one (by registry order).
set linetype 1 lc rgb '#4e79a7' lw 2 pt 7 ps 1.0
set linetype 2 lc rgb '#f28e2b' lw 2 pt 5 ps 1.0
set linetype 3 lc rgb '#59a14f' lw 2 pt 9 ps 1.2
set linetype 4 lc rgb '#e15759' lw 2 pt 11 ps 1.2
set linetype 5 lc rgb '#b07aa1' lw 2 pt 13 ps 1.2
set linetype 6 lc rgb '#76b7b2' lw 2 pt 15 ps 1.0
set linetype 7 lc rgb '#9c755f' lw 2 pt 3 ps 1.0
set linetype 8 lc rgb '#bab0ac' lw 2 pt 1 ps 1.0
