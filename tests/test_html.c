/*
 * test_html.c - report.html's renderer: report.md's Markdown subset,
 * hostile text kept as text, and charts' SVG inlined safely with ids of
 * their own.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html.h"
#include "unit.h"

/* html_render of md, as a string the caller frees. */
static char *render(const char *dir, const char *md)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		return NULL;
	if (html_render(f, dir, md, strlen(md)) < 0) {
		fclose(f);
		free(out);
		return NULL;
	}
	fclose(f);
	return out;
}

/* html_svg_inline of svg; NULL when refused. */
static char *inline_svg(const char *svg)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	int rc;

	if (!f)
		return NULL;
	rc = html_svg_inline(f, svg, strlen(svg), "fig7-", "a <caption>");
	fclose(f);
	if (rc < 0) {
		if (n != 0) /* nothing may be written when refused */
			fprintf(stderr, "refused, yet wrote: %s\n", out);
		free(out);
		return n != 0 ? strdup("refused, yet wrote") : NULL;
	}
	return out;
}

static int hostile_text_stays_text(void)
{
	char *html = render("/nonexistent",
			    "# run <script>alert(1)</script>\n\n"
			    "a \"q\" 'a' & <img src=x onerror=alert(2)> \\<b\\> x\\_y \\| \\\\ \\* \\a\n");

	CHECK(html);
	CHECK(!strstr(html, "<script"));
	CHECK(!strstr(html, "<img"));
	CHECK(!strstr(html, "<b>"));
	CHECK(strstr(html, "<title>run &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
	CHECK(strstr(html, "<h1>run &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	CHECK(strstr(html, "<p>a &quot;q&quot; &#39;a&#39; &amp; &lt;img src=x onerror=alert(2)&gt; "
			   "&lt;b&gt; x_y | \\ * \\a</p>"));
	free(html);
	return 0;
}

static int inline_markup(void)
{
	char *html = render("/nonexistent",
			    "**Winner: a\\*b** and `x <y> \\_ **z**` then ** alone and `open\n");

	CHECK(html);
	CHECK(strstr(html, "<p><strong>Winner: a*b</strong> and <code>x &lt;y&gt; \\_ **z**</code> "
			   "then ** alone and `open</p>"));
	free(html);
	return 0;
}

static int blocks(void)
{
	char *html = render("/nonexistent",
			    "# T\n\n- one\n- **two**\n\npara line 1\nline 2\n\n## 1. io.sleep (x)\n"
			    "\n**Warnings**\n\n- w\n");

	CHECK(html);
	CHECK(strstr(html, "<h1>T</h1>\n<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n"
			   "<p>para line 1\nline 2</p>\n<h2>1. io.sleep (x)</h2>\n"
			   "<p><strong>Warnings</strong></p>\n<ul>\n<li>w</li>\n</ul>\n"));
	free(html);
	return 0;
}

static int tables(void)
{
	char *html = render("/nonexistent",
			    "| workers | a \\| b |\n|---|---|\n| 1 | x \\| y |\n| 2 |\n"
			    "| 3 | a | extra |\n"
			    "| 4 | a cell long enough to be prose, which wraps |\nafter\n");

	CHECK(html);
	CHECK(strstr(html, "<div class=\"table\"><table>\n<thead>\n<tr><th scope=\"col\">workers</th>"
			   "<th scope=\"col\">a | b</th></tr>\n</thead>\n<tbody>\n"
			   "<tr><td>1</td><td>x | y</td></tr>\n"
			   "<tr><td>2</td><td></td></tr>\n"
			   "<tr><td>3</td><td>a</td></tr>\n"
			   "<tr><td>4</td><td class=\"long\">a cell long enough to be prose, which "
			   "wraps</td></tr>\n</tbody>\n</table></div>\n<p>after</p>"));
	/* A pipe line with no separator under it is a paragraph. */
	free(html);
	html = render("/nonexistent", "| not | a table |\n");
	CHECK(html && strstr(html, "<p>| not | a table |</p>"));
	free(html);
	return 0;
}

static const char gnuplot_like[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
	"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n"
	"<svg \n width=\"960\" height=\"560\"\n xmlns=\"http://www.w3.org/2000/svg\"\n"
	" xmlns:xlink=\"http://www.w3.org/1999/xlink\"\n>\n\n<title>Gnuplot</title>\n"
	"<desc>Produced by GNUPLOT 5.4 patchlevel 4 </desc>\n<!-- a comment -->\n"
	"<g id=\"gnuplot_canvas\">\n<defs>\n"
	"\t<path id='gpPt0' stroke='currentColor' d='M-1,0 h2'/>\n"
	"\t<use xlink:href='#gpPt0' id='gpPt6' fill='currentColor'/>\n"
	"\t<filter id='textbox'><feFlood flood-color='white'/></filter>\n</defs>\n"
	"<g id=\"gnuplot_plot_1\"><title>serial &amp; co</title>\n"
	"\t<use xlink:href='#gpPt6' transform='translate(1,2)' color='rgb(1, 2, 3)'/>\n"
	"\t<text filter=\"url(#textbox)\" onclick=\"alert(1)\">a 'b' &lt;c&gt;</text>\n"
	"</g>\n</g>\n</svg>\n\ntrailing\n";

static int svg_ids_prefixed_and_scaled(void)
{
	static const char head[] =
		"<svg class=\"chart\" role=\"img\" aria-label=\"a &lt;caption&gt;\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		"viewBox=\"0 0 960 560\"><title>a &lt;caption&gt;</title>";
	char *out = inline_svg(gnuplot_like);

	CHECK(out);
	CHECK(!strstr(out, "<?xml") && !strstr(out, "DOCTYPE") && !strstr(out, "comment"));
	CHECK(!strstr(out, "Gnuplot") && !strstr(out, "Produced"));
	CHECK(!strstr(out, "trailing") && !strstr(out, "onclick") && !strstr(out, "alert"));
	CHECK(!strstr(out, "width=") && !strstr(out, "height="));
	CHECK(!strncmp(out, head, strlen(head)));
	CHECK(strstr(out, "<g id=\"fig7-gnuplot_canvas\">"));
	CHECK(strstr(out, "<path id=\"fig7-gpPt0\" stroke=\"currentColor\" d=\"M-1,0 h2\"/>"));
	CHECK(strstr(out, "<use xlink:href=\"#fig7-gpPt0\" id=\"fig7-gpPt6\" fill=\"currentColor\"/>"));
	CHECK(strstr(out, "<use xlink:href=\"#fig7-gpPt6\" transform=\"translate(1,2)\""));
	CHECK(strstr(out, "<text filter=\"url(#fig7-textbox)\">a 'b' &lt;c&gt;</text>"));
	/* A plot's own title (its legend's tooltip) stays. */
	CHECK(strstr(out, "<title>serial &amp; co</title>"));
	CHECK(!strcmp(out + strlen(out) - 6, "</svg>"));
	free(out);
	/* A viewBox of its own is kept as it is. */
	out = inline_svg("<svg viewBox=\"0 0 10 20\" width=\"50%\"><rect x='1'/></svg>");
	CHECK(out && strstr(out, " viewBox=\"0 0 10 20\"><title>") && !strstr(out, "50%"));
	free(out);
	return 0;
}

static int svg_refused_or_cleaned(void)
{
	static const char *const refused[] = {
		"<svg width='1' height='1'><script>alert(1)</script></svg>",
		"<svg width='1' height='1'><SCRIPT>alert(1)</SCRIPT></svg>",
		"<svg width='1' height='1'><foreignObject><div/></foreignObject></svg>",
		"<svg width='1' height='1'><style>@import url(x.css);</style></svg>",
		"<svg width='1' height='1'><image xlink:href='http://x/y.png'/></svg>",
		"<svg width='1' height='1'><g><title><g/></title></g></svg>", /* title: text only */
		"<svg width='1' height='1'><g></svg>",                        /* mismatched */
		"<svg width='1' height='1'><g>",                              /* truncated */
		"<svg width='1' height='1'><![CDATA[x]]></svg>",
		"<!DOCTYPE svg [<!ENTITY a 'b'>]><svg width='1' height='1'/>",
		"<svg width='1' height='1'><rect x=1/></svg>",  /* unquoted */
		"<svg width='1' height='1'><rect x='1'y='2'/></svg>",
		"<svg><rect/></svg>",                           /* no size to scale by */
		"<svg width='10em' height='1'><rect/></svg>",
		"<g><svg width='1' height='1'/></g>",           /* not an svg */
		"<svg width='1' height='1'></g></svg>",
		"",
		"<",
	};
	char *out;

	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		out = inline_svg(refused[k]);
		if (out)
			fprintf(stderr, "accepted: %s\n-> %s\n", refused[k], out);
		CHECK(!out);
	}
	/* Handlers, style, links out of the drawing: dropped, the drawing kept. */
	out = inline_svg("<svg width='2' height='1' onload='alert(1)'><a xlink:href='javascript:x'>"
			 "<rect style='fill:url(http://x)' fill='url(http://x)' HREF='http://x' "
			 "stroke='u\\rl(x)' OnMouseOver='y' clip-path='url(#c)'/></a></svg>");
	CHECK(out);
	CHECK(!strstr(out, "alert") && !strstr(out, "javascript") && !strstr(out, "http") &&
	      !strstr(out, "style") && !strstr(out, "stroke") && !strstr(out, "ouse"));
	CHECK(strstr(out, "<a><rect clip-path=\"url(#fig7-c)\"/></a></svg>"));
	free(out);
	return 0;
}

static int figures_inlined_or_noted(void)
{
	char dir[] = "/tmp/concbench-html-XXXXXX", path[128], *html;
	FILE *f;

	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/plots", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/plots/01-a-time.svg", dir);
	CHECK((f = fopen(path, "w")));
	fputs(gnuplot_like, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/plots/02-a-time.svg", dir);
	CHECK((f = fopen(path, "w")));
	fputs("<svg width='1' height='1'><script/></svg>", f);
	fclose(f);
	html = render(dir, "![time <per> strategy](plots/01-a-time.png)\n"
			   "![second](plots/01-a-time.png)\n"
			   "![gone](plots/03-a-time.png)\n"
			   "![bad](plots/02-a-time.png)\n"
			   "![outside](plots/../01-a-time.png)\n"
			   "![not a chart](elsewhere/01-a-time.png)\n");
	CHECK(html);
	CHECK(strstr(html, "<figure>\n<svg class=\"chart\" role=\"img\" aria-label=\"time &lt;per&gt; "
			   "strategy\""));
	CHECK(strstr(html, "\n<figcaption>time &lt;per&gt; strategy</figcaption>\n</figure>\n"));
	/* The same chart twice: its ids differ between the two figures. */
	CHECK(strstr(html, "id=\"fig1-gpPt0\"") && strstr(html, "id=\"fig2-gpPt0\""));
	CHECK(strstr(html, "<p class=\"missing\">Chart not shown: gone (its SVG file is missing)</p>"));
	CHECK(strstr(html, "<p class=\"missing\">Chart not shown: bad (its SVG file is not a plain "
			   "drawing)</p>"));
	CHECK(strstr(html, "Chart not shown: outside (its SVG file is missing)"));
	CHECK(strstr(html, "Chart not shown: not a chart (its SVG file is missing)"));
	CHECK(!strstr(html, "<script") && !strstr(html, ".png"));
	free(html);
	unlink(path);
	snprintf(path, sizeof(path), "%s/plots/01-a-time.svg", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/plots", dir);
	rmdir(path);
	rmdir(dir);
	return 0;
}

static int written_atomically(void)
{
	char dir[] = "/tmp/concbench-html-XXXXXX", path[128], err[256] = "";
	struct stat st;

	CHECK(mkdtemp(dir));
	CHECK(html_write_report(dir, "# x\n", 4, err, sizeof(err)) == 0);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	CHECK(stat(path, &st) == 0 && st.st_size > 100);
	unlink(path);
	rmdir(dir);
	/* A folder that cannot be written: the reason, and nothing left. */
	CHECK(html_write_report("/proc/concbench-nope", "# x\n", 4, err, sizeof(err)) < 0);
	CHECK(strstr(err, "cannot write") && strstr(err, "report.html"));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct unit_test tests[] = {
		{ "hostile_text_stays_text", hostile_text_stays_text },
		{ "inline_markup", inline_markup },
		{ "blocks", blocks },
		{ "tables", tables },
		{ "svg_ids_prefixed_and_scaled", svg_ids_prefixed_and_scaled },
		{ "svg_refused_or_cleaned", svg_refused_or_cleaned },
		{ "figures_inlined_or_noted", figures_inlined_or_noted },
		{ "written_atomically", written_atomically },
		{ NULL, NULL },
	};

	return unit_main(tests, argc, argv);
}
