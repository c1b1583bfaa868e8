/*
 * html.h - report.html: report.md's Markdown rendered as one page that
 * needs nothing else (no script, no font, no fetch), its charts' SVG
 * inlined. Made from report.md's text, so the two never say different
 * things.
 */
#ifndef CONCBENCH_HTML_H
#define CONCBENCH_HTML_H

#include <stddef.h>
#include <stdio.h>

/*
 * Renders md[0..len) (the Markdown report.c writes) as a whole HTML page
 * into f. Each image line `![caption](plots/NAME.png)` becomes a figure
 * holding dir/plots/NAME.svg, or a caption-only note when that file is
 * missing or is not plainly a drawing. Returns 0, or -ENOMEM when f
 * failed.
 */
int html_render(FILE *f, const char *dir, const char *md, size_t len);

/*
 * Writes svg[0..len) (gnuplot's SVG) to f as an element of a page: the
 * XML prolog and comments dropped; width and height turned into a viewBox
 * so it scales with the page; every id, and every reference to one
 * (href="#id", url(#id)), prefixed with `prefix`, because every chart
 * declares the same ids (gpPt0.., gnuplot_canvas) and a page holds many;
 * event attributes (on*) and links out of the drawing dropped; caption as
 * its accessible name. Returns 0, or -EINVAL, with nothing written, for
 * what is not plainly a drawing: an element outside a fixed list of
 * drawing elements (so no script, style or foreignObject), a malformed
 * tag, a truncated file, no size to scale by (and when memory runs out).
 */
int html_svg_inline(FILE *f, const char *svg, size_t len, const char *prefix,
		    const char *caption);

/*
 * Writes dir/report.html from md[0..len), report.md's text, atomically
 * (store_write_file). Returns 0, or a negative errno with the reason in err.
 */
int html_write_report(const char *dir, const char *md, size_t len, char *err, size_t errlen);

#endif
