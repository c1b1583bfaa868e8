/*
 * html.c - report.html (see html.h): report.md's own text rendered, so the
 * two files can never say different things.
 *
 * The renderer knows exactly the Markdown report.c writes: `#` headings,
 * paragraphs, `- ` lists, pipe tables under a separator row, **bold**,
 * `code`, the backslash escapes of format_markdown, and image lines. Every
 * character of text is escaped for HTML, because labels and errors come
 * from results files, which anyone may have written; the only tags in the
 * page are the renderer's own and those of the charts' SVG, which passes
 * a list of drawing elements first. The page holds no script and fetches
 * nothing: its style is inline and its fonts are the system's.
 *
 * ==== Layout ====
 * text     HTML escaping and inline Markdown
 * charts   an SVG made safe and scalable to inline, its ids its own
 * blocks   headings, paragraphs, lists, tables, figures
 * page     the head and its style; the atomic write
 */
#include "html.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

/* gnuplot's charts are 15-40 KB, a time chart with thousands of sample
 * dots a few hundred; past this a file is not a chart of ours. */
#define SVG_MAX_BYTES (16 << 20)
/* Deeper nesting than gnuplot's (4) by far, and a bound on the tag stack. */
#define SVG_MAX_DEPTH 64
#define SVG_MAX_ATTRS 32
/* report.c's widest table has 10 columns. */
#define TABLE_MAX_COLUMNS 32
/* A table cell longer than this is prose and wraps; shorter ones are a
 * value or a name ("2.12 s range [2.11 s, 2.18 s]") and stay on one line. */
#define LONG_CELL 32

/* ==== Text ==== */

static void put_escaped(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\0':
			break;
		default:
			fputc(s[i], f);
		}
	}
}

/* What a backslash may escape in Markdown: ASCII punctuation. */
static bool is_punct(char c)
{
	return c && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c);
}

/* The closing backquote of the code span opened at s[i], or n when none. */
static size_t code_end(const char *s, size_t i, size_t n)
{
	const char *e = memchr(s + i + 1, '`', n - i - 1);

	return e ? (size_t)(e - s) : n;
}

/* The `**` at or after s[i] that closes a bold span, or n when none:
 * escaped stars and code spans do not count. */
static size_t strong_end(const char *s, size_t i, size_t n)
{
	while (i + 1 < n) {
		if (s[i] == '\\' && is_punct(s[i + 1]))
			i += 2;
		else if (s[i] == '`' && code_end(s, i, n) < n)
			i = code_end(s, i, n) + 1;
		else if (s[i] == '*' && s[i + 1] == '*')
			return i;
		else
			i++;
	}
	return n;
}

/* What inline Markdown becomes: HTML; its text alone, escaped (for
 * <title>); its text alone, raw (for a caption that is escaped later). */
enum inline_as { AS_HTML, AS_TEXT, AS_RAW };

static void put_text(FILE *f, const char *s, size_t n, enum inline_as as)
{
	if (as == AS_RAW)
		fwrite(s, 1, n, f);
	else
		put_escaped(f, s, n);
}

static void put_inline(FILE *f, const char *s, size_t n, enum inline_as as)
{
	const bool tags = as == AS_HTML;
	size_t i = 0, e;

	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && is_punct(s[i + 1])) {
			put_text(f, s + i + 1, 1, as);
			i += 2;
		} else if (s[i] == '`' && (e = code_end(s, i, n)) < n) {
			/* Inside a code span nothing is markup, escapes included. */
			fputs(tags ? "<code>" : "", f);
			put_text(f, s + i + 1, e - i - 1, as);
			fputs(tags ? "</code>" : "", f);
			i = e + 1;
		} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*' &&
			   (e = strong_end(s, i + 2, n)) < n) {
			/* The span holds no unpaired `**`: this recurses once. */
			fputs(tags ? "<strong>" : "", f);
			put_inline(f, s + i + 2, e - i - 2, as);
			fputs(tags ? "</strong>" : "", f);
			i = e + 2;
		} else {
			put_text(f, s + i, 1, as);
			i++;
		}
	}
}

/* ==== Charts ==== */

/* What gnuplot's SVG terminal draws with, and their near kin. Nothing
 * here runs code, loads anything, or breaks out of an <svg> element in an
 * HTML parser. */
static const char *const svg_elements[] = {
	"svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
	"polyline", "polygon", "use", "text", "tspan", "a", "clipPath", "symbol", "marker",
	"linearGradient", "radialGradient", "stop", "pattern", "filter", "feFlood",
	"feComposite", "feOffset", "feGaussianBlur", "feMerge", "feMergeNode", "feBlend",
	"feColorMatrix", NULL,
};

struct span {
	const char *s;
	size_t n;
};

struct svg_tag {
	struct span name;
	struct span attr[SVG_MAX_ATTRS], value[SVG_MAX_ATTRS];
	size_t nattr;
	bool closing, empty; /* </name>, <name/> */
};

static bool span_is(struct span a, const char *s)
{
	return a.n == strlen(s) && !memcmp(a.s, s, a.n);
}

static bool span_same(struct span a, struct span b)
{
	return a.n == b.n && !memcmp(a.s, b.s, a.n);
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

/* The index just past the first `end` at or after s[i], or 0 when none. */
static size_t past(const char *s, size_t n, size_t i, const char *end)
{
	size_t k = strlen(end);

	for (; i + k <= n; i++)
		if (!memcmp(s + i, end, k))
			return i + k;
	return 0;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.';
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i;
}

/* Parses the tag at s[*i] ('<') into t and moves *i past it; -EINVAL for
 * anything but a well-formed tag with quoted attribute values. */
static int parse_tag(const char *s, size_t n, size_t *i, struct svg_tag *t)
{
	size_t k = *i + 1;

	memset(t, 0, sizeof(*t));
	if (k < n && s[k] == '/') {
		t->closing = true;
		k++;
	}
	t->name.s = s + k;
	while (k < n && is_name_char(s[k]))
		k++;
	t->name.n = (size_t)(s + k - t->name.s);
	if (!t->name.n)
		return -EINVAL;
	for (;;) {
		size_t start = skip_space(s, n, k);
		char quote;

		if (start >= n)
			return -EINVAL;
		if (s[start] == '>' || (s[start] == '/' && start + 1 < n && s[start + 1] == '>')) {
			t->empty = s[start] == '/';
			*i = start + (t->empty ? 2 : 1);
			return t->closing && t->empty ? -EINVAL : 0;
		}
		/* An attribute needs space before it; a closing tag has none. */
		if (start == k || t->closing || t->nattr == SVG_MAX_ATTRS)
			return -EINVAL;
		k = start;
		while (k < n && is_name_char(s[k]))
			k++;
		if (k == start)
			return -EINVAL;
		t->attr[t->nattr] = (struct span){ s + start, k - start };
		k = skip_space(s, n, k);
		if (k >= n || s[k] != '=')
			return -EINVAL;
		k = skip_space(s, n, k + 1);
		if (k >= n || (s[k] != '"' && s[k] != '\''))
			return -EINVAL;
		quote = s[k++];
		start = k;
		while (k < n && s[k] != quote && s[k] != '<')
			k++;
		if (k >= n || s[k] != quote)
			return -EINVAL;
		t->value[t->nattr++] = (struct span){ s + start, k - start };
		k++;
	}
}

static bool svg_element_allowed(struct span name)
{
	for (size_t k = 0; svg_elements[k]; k++)
		if (span_is(name, svg_elements[k]))
			return true;
	return false;
}

/* An attribute value, re-quoted with double quotes; its entities stay. */
static void put_value(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputs("&quot;", f);
		else if (s[i] == '>')
			fputs("&gt;", f);
		else if (s[i])
			fputc(s[i], f);
	}
}

/* Whether every url( in v names an id of this drawing (url(#...)); CSS
 * reads escapes, so a backslash could spell url( another way. */
static bool urls_local(struct span v)
{
	for (size_t i = 0; i < v.n; i++) {
		if (v.s[i] == '\\')
			return false;
		if (i + 4 <= v.n && !strncasecmp(v.s + i, "url(", 4) &&
		    (i + 4 >= v.n || v.s[i + 4] != '#'))
			return false;
	}
	return true;
}

/* v with each url(#id) made url(#PREFIXid). */
static void put_value_prefixed_urls(FILE *f, struct span v, const char *prefix)
{
	size_t from = 0;

	for (size_t i = 0; i + 5 <= v.n; i++) {
		if (strncasecmp(v.s + i, "url(#", 5))
			continue;
		put_value(f, v.s + from, i + 5 - from);
		fputs(prefix, f);
		from = i + 5;
	}
	put_value(f, v.s + from, v.n - from);
}

/* A length of the root's width or height ("960", "960px"); NAN otherwise. */
static double svg_length(struct span v)
{
	char buf[32], *end;
	double d;

	if (v.n == 0 || v.n >= sizeof(buf))
		return NAN;
	memcpy(buf, v.s, v.n);
	buf[v.n] = '\0';
	d = strtod(buf, &end);
	if (strcmp(end, "") && strcmp(end, "px"))
		return NAN;
	return isfinite(d) && d > 0 ? d : NAN;
}

/* One attribute of an element, made safe and its ids this figure's. */
static void put_attribute(FILE *f, struct span name, struct span value, const char *prefix)
{
	size_t n = name.n;

	/* Event handlers run script; style is CSS, which can fetch in ways
	 * url() does not cover (image-set, escapes); gnuplot writes neither. */
	if ((n >= 2 && !strncasecmp(name.s, "on", 2)) || (n == 5 && !strncasecmp(name.s, "style", 5)))
		return;
	if (span_is(name, "id")) {
		fprintf(f, " id=\"%s", prefix);
		put_value(f, value.s, value.n);
		fputc('"', f);
		return;
	}
	/* href, xlink:href (any case: an HTML parser lowers it): only to an id here. */
	if (n >= 4 && !strncasecmp(name.s + n - 4, "href", 4)) {
		if (value.n < 1 || value.s[0] != '#')
			return;
		fprintf(f, " %.*s=\"#%s", (int)n, name.s, prefix);
		put_value(f, value.s + 1, value.n - 1);
		fputc('"', f);
		return;
	}
	if (!urls_local(value))
		return;
	fprintf(f, " %.*s=\"", (int)n, name.s);
	put_value_prefixed_urls(f, value, prefix);
	fputc('"', f);
}

/* The root <svg ...>: scalable (a viewBox, no fixed width or height),
 * named by the caption. -EINVAL when it has no size to scale by. */
static int put_root(FILE *f, const struct svg_tag *t, const char *prefix, const char *caption)
{
	double width = NAN, height = NAN;
	bool viewbox = false;

	fputs("<svg class=\"chart\" role=\"img\" aria-label=\"", f);
	put_escaped(f, caption, strlen(caption));
	fputc('"', f);
	for (size_t k = 0; k < t->nattr; k++) {
		if (span_is(t->attr[k], "width")) {
			width = svg_length(t->value[k]);
		} else if (span_is(t->attr[k], "height")) {
			height = svg_length(t->value[k]);
		} else {
			viewbox |= span_is(t->attr[k], "viewBox");
			put_attribute(f, t->attr[k], t->value[k], prefix);
		}
	}
	if (!viewbox) {
		if (!isfinite(width) || !isfinite(height))
			return -EINVAL;
		fprintf(f, " viewBox=\"0 0 %g %g\"", width, height);
	}
	fputs(t->empty ? "/>" : ">", f);
	if (!t->empty) {
		fputs("<title>", f);
		put_escaped(f, caption, strlen(caption));
		fputs("</title>", f);
	}
	return 0;
}

/* Skips what precedes or sits beside elements: the XML declaration and
 * other processing instructions, comments, a DOCTYPE without an internal
 * subset. Returns where the next thing starts, 0 for anything else
 * (CDATA, entity declarations) or an unterminated one. */
static size_t skip_markup(const char *s, size_t n, size_t i)
{
	if (starts_with(s + i, n - i, "<?"))
		return past(s, n, i, "?>");
	if (starts_with(s + i, n - i, "<!--"))
		return past(s, n, i + 4, "-->");
	if (starts_with(s + i, n - i, "<!DOCTYPE")) {
		const char *gt = memchr(s + i, '>', n - i);
		const char *bracket = memchr(s + i, '[', n - i);

		return gt && (!bracket || bracket > gt) ? (size_t)(gt - s) + 1 : 0;
	}
	return 0;
}

/* html_svg_inline's work, into o; o is thrown away on failure. */
static int svg_copy(FILE *o, const char *s, size_t n, const char *prefix, const char *caption)
{
	struct span stack[SVG_MAX_DEPTH];
	struct svg_tag t;
	size_t i = 0, depth = 0;
	bool text_only = false; /* inside a title or desc: text, no elements */
	bool quiet = false;     /* inside gnuplot's own title or desc: dropped */

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t next = lt ? (size_t)(lt - s) : n;

		/* Text: gnuplot escapes it; outside the root it is only spacing. */
		if (depth > 0 && !quiet)
			fwrite(s + i, 1, next - i, o);
		if (next == n)
			break;
		i = next;
		if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
			if (!(i = skip_markup(s, n, i)))
				return -EINVAL;
			continue;
		}
		if (parse_tag(s, n, &i, &t) < 0 || !svg_element_allowed(t.name))
			return -EINVAL;
		if (t.closing) {
			if (depth == 0 || !span_same(stack[depth - 1], t.name))
				return -EINVAL;
			depth--;
			if (!quiet)
				fprintf(o, "</%.*s>", (int)t.name.n, t.name.s);
			quiet = text_only = false;
			if (depth == 0)
				return 0;
			continue;
		}
		if (text_only || (depth == 0 && !span_is(t.name, "svg")))
			return -EINVAL;
		if (depth == 0) {
			if (put_root(o, &t, prefix, caption) < 0)
				return -EINVAL;
			if (t.empty)
				return 0;
		} else {
			/* The page's caption names the chart, not "Gnuplot". */
			quiet = depth == 1 && !t.empty &&
				(span_is(t.name, "title") || span_is(t.name, "desc"));
			if (!quiet) {
				fprintf(o, "<%.*s", (int)t.name.n, t.name.s);
				for (size_t k = 0; k < t.nattr; k++)
					put_attribute(o, t.attr[k], t.value[k], prefix);
				fputs(t.empty ? "/>" : ">", o);
			}
		}
		if (t.empty)
			continue;
		if (depth == SVG_MAX_DEPTH)
			return -EINVAL;
		stack[depth++] = t.name;
		text_only = span_is(t.name, "title") || span_is(t.name, "desc");
	}
	return -EINVAL; /* the root never closed: a truncated file */
}

/* html_svg_inline into a new buffer (*len bytes); NULL when refused or out of memory. */
static char *svg_render(const char *svg, size_t len, const char *prefix, const char *caption,
			size_t *out_len)
{
	char *buf = NULL;
	FILE *o = open_memstream(&buf, out_len);
	int rc;

	if (!o)
		return NULL;
	rc = svg_copy(o, svg, len, prefix, caption);
	if (fclose(o) != 0 || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int html_svg_inline(FILE *f, const char *svg, size_t len, const char *prefix,
		    const char *caption)
{
	size_t n;
	char *buf = svg_render(svg, len, prefix, caption, &n);

	if (!buf)
		return -EINVAL;
	fwrite(buf, 1, n, f);
	free(buf);
	return 0;
}

/* Reads dir/plots/NAME.svg whole; NULL when missing, unreadable or too big. */
static char *read_chart(const char *dir, const char *name, size_t *len)
{
	char path[PATH_MAX + 64], *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SVG_MAX_BYTES ||
	    !(buf = malloc((size_t)st.st_size + 1)))
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[got] = '\0';
	*len = got;
out:
	close(fd);
	return buf;
}

/* ==== Blocks ==== */

/* The chart's file stem from report.c's image path, "plots/NAME.png";
 * false for any other path (nothing outside plots/ is ever read). */
static bool chart_name(struct span path, char *name, size_t len)
{
	struct span stem;

	if (path.n <= 10 || !starts_with(path.s, path.n, "plots/") ||
	    memcmp(path.s + path.n - 4, ".png", 4))
		return false;
	stem = (struct span){ path.s + 6, path.n - 10 };
	if (stem.n >= len || stem.s[0] == '.')
		return false;
	for (size_t i = 0; i < stem.n; i++)
		if (!isalnum((unsigned char)stem.s[i]) && stem.s[i] != '.' && stem.s[i] != '-' &&
		    stem.s[i] != '_')
			return false;
	memcpy(name, stem.s, stem.n);
	name[stem.n] = '\0';
	return true;
}

/* An image line, `![caption](path)`: its caption and path. */
static bool image_line(struct span line, struct span *caption, struct span *path)
{
	const char *s = line.s;
	size_t n = line.n, k;

	if (!starts_with(s, n, "![") || n < 5 || s[n - 1] != ')')
		return false;
	for (k = n - 1; k > 2 && !(s[k - 1] == ']' && s[k] == '('); k--)
		;
	if (k <= 2)
		return false;
	*caption = (struct span){ s + 2, k - 3 };
	*path = (struct span){ s + k + 1, n - k - 2 };
	return true;
}

/* A figure with the chart inlined, or a note when it cannot be. */
static void put_figure(FILE *f, const char *dir, struct span caption, struct span path,
		       size_t number)
{
	char name[256], prefix[32], *svg = NULL, *label = NULL, *drawing = NULL;
	size_t len = 0, label_len = 0, drawing_len = 0;
	FILE *l = open_memstream(&label, &label_len);

	if (l) {
		put_inline(l, caption.s, caption.n, AS_RAW);
		if (fclose(l) != 0) {
			free(label);
			label = NULL;
		}
	}
	snprintf(prefix, sizeof(prefix), "fig%zu-", number);
	if (label && chart_name(path, name, sizeof(name)) && (svg = read_chart(dir, name, &len)))
		drawing = svg_render(svg, len, prefix, label, &drawing_len);
	if (drawing) {
		fputs("<figure>\n", f);
		fwrite(drawing, 1, drawing_len, f);
		fputs("\n<figcaption>", f);
		put_inline(f, caption.s, caption.n, AS_HTML);
		fputs("</figcaption>\n</figure>\n", f);
	} else {
		/* Never a link to a file that may not travel with the page. */
		fputs("<p class=\"missing\">Chart not shown: ", f);
		put_inline(f, caption.s, caption.n, AS_HTML);
		fputs(svg ? " (its SVG file is not a plain drawing)</p>\n"
			  : " (its SVG file is missing)</p>\n", f);
	}
	free(drawing);
	free(svg);
	free(label);
}

/* Splits a table row at its unescaped pipes; returns the cells (at most max). */
static size_t split_row(struct span row, struct span *cell, size_t max)
{
	const char *s = row.s;
	size_t n = row.n, i = 0, count = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (i < n && s[i] == '|')
		i++;
	while (i < n && count < max) {
		size_t start = i, end;

		while (i < n && s[i] != '|')
			i += s[i] == '\\' && i + 1 < n ? 2 : 1;
		end = i;
		while (start < end && isspace((unsigned char)s[start]))
			start++;
		while (end > start && isspace((unsigned char)s[end - 1]))
			end--;
		cell[count++] = (struct span){ s + start, end - start };
		i++; /* past the pipe; a row's closing pipe leaves no cell after it */
	}
	return count;
}

/* A table's separator row: pipes, dashes, colons and spaces, a dash at least. */
static bool separator_row(struct span line)
{
	bool dash = false;

	if (!line.n || line.s[0] != '|')
		return false;
	for (size_t i = 0; i < line.n; i++) {
		if (!strchr("|-: \t", line.s[i]) || !line.s[i])
			return false;
		dash |= line.s[i] == '-';
	}
	return dash;
}

static void put_row(FILE *f, struct span row, size_t columns, const char *tag)
{
	struct span cell[TABLE_MAX_COLUMNS];
	size_t n = split_row(row, cell, TABLE_MAX_COLUMNS);

	fputs("<tr>", f);
	/* As wide as the header: missing cells empty, extra ones dropped. */
	for (size_t c = 0; c < columns; c++) {
		/* Prose wraps; a value or a name stays whole. */
		bool prose = c < n && cell[c].n > LONG_CELL;

		fprintf(f, "<%s%s>", tag, !strcmp(tag, "th") ? " scope=\"col\""
					  : prose ? " class=\"long\"" : "");
		if (c < n)
			put_inline(f, cell[c].s, cell[c].n, AS_HTML);
		fprintf(f, "</%s>", tag);
	}
	fputs("</tr>\n", f);
}

/* The lines of the text, one at a time. */
struct lines {
	const char *s;
	size_t n, at;
};

static bool line_next(struct lines *l, struct span *line)
{
	const char *nl;

	if (l->at >= l->n)
		return false;
	nl = memchr(l->s + l->at, '\n', l->n - l->at);
	line->s = l->s + l->at;
	line->n = nl ? (size_t)(nl - line->s) : l->n - l->at;
	l->at += line->n + (nl ? 1 : 0);
	if (line->n && line->s[line->n - 1] == '\r')
		line->n--;
	return true;
}

static bool line_peek(const struct lines *l, struct span *line)
{
	struct lines copy = *l;

	return line_next(&copy, line);
}

static bool blank(struct span line)
{
	for (size_t i = 0; i < line.n; i++)
		if (!isspace((unsigned char)line.s[i]))
			return false;
	return true;
}

/* A heading's level (1-6), or 0 when the line is not one. */
static int heading_level(struct span line)
{
	size_t k = 0;

	while (k < line.n && line.s[k] == '#')
		k++;
	return k >= 1 && k <= 6 && k < line.n && line.s[k] == ' ' ? (int)k : 0;
}

enum block { BLOCK_NONE, BLOCK_PARAGRAPH, BLOCK_LIST };

static enum block close_block(FILE *f, enum block b)
{
	if (b == BLOCK_PARAGRAPH)
		fputs("</p>\n", f);
	else if (b == BLOCK_LIST)
		fputs("</ul>\n", f);
	return BLOCK_NONE;
}

static void put_table(FILE *f, struct lines *l, struct span header)
{
	struct span cell[TABLE_MAX_COLUMNS], line;
	size_t columns = split_row(header, cell, TABLE_MAX_COLUMNS);

	line_next(l, &line); /* the separator */
	/* A wide table scrolls inside its box; the page never does. */
	fputs("<div class=\"table\"><table>\n<thead>\n", f);
	put_row(f, header, columns, "th");
	fputs("</thead>\n<tbody>\n", f);
	while (line_peek(l, &line) && line.n && line.s[0] == '|') {
		line_next(l, &line);
		put_row(f, line, columns, "td");
	}
	fputs("</tbody>\n</table></div>\n", f);
}

static void put_body(FILE *f, const char *dir, const char *md, size_t len)
{
	struct lines l = { md, len, 0 };
	struct span line, next, caption, path;
	enum block b = BLOCK_NONE;
	size_t figures = 0;
	int level;

	while (line_next(&l, &line)) {
		if (blank(line)) {
			b = close_block(f, b);
		} else if ((level = heading_level(line))) {
			b = close_block(f, b);
			fprintf(f, "<h%d>", level);
			put_inline(f, line.s + level + 1, line.n - (size_t)level - 1, AS_HTML);
			fprintf(f, "</h%d>\n", level);
		} else if (image_line(line, &caption, &path)) {
			b = close_block(f, b);
			put_figure(f, dir, caption, path, ++figures);
		} else if (line.s[0] == '|' && line_peek(&l, &next) && separator_row(next)) {
			b = close_block(f, b);
			put_table(f, &l, line);
		} else if (starts_with(line.s, line.n, "- ")) {
			if (b != BLOCK_LIST) {
				close_block(f, b);
				fputs("<ul>\n", f);
				b = BLOCK_LIST;
			}
			fputs("<li>", f);
			put_inline(f, line.s + 2, line.n - 2, AS_HTML);
			fputs("</li>\n", f);
		} else {
			if (b == BLOCK_PARAGRAPH) {
				fputc('\n', f);
			} else {
				close_block(f, b);
				fputs("<p>", f);
				b = BLOCK_PARAGRAPH;
			}
			put_inline(f, line.s, line.n, AS_HTML);
		}
	}
	close_block(f, b);
}

/* ==== Page ==== */

/*
 * One column that reads at arm's length on a phone and across a room on a
 * projector: system fonts, a measure of about 75 characters, every size
 * in rem, the root growing on wide screens. Charts and tables may be
 * wider than the text, up to 60rem (a chart's own 960 pixels, where its
 * text has the size gnuplot gave it); a table wider than the screen
 * scrolls inside its box and long words break, so the page itself never
 * scrolls sideways. Table cells keep short
 * values on one line ("2.29 ms [2.27 ms, 2.32 ms]") and wrap prose. Light
 * only: the charts are black on white.
 */
static const char page_style[] =
	":root{color-scheme:light}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;padding:1rem 1rem 3rem;color:#1b1b1b;background:#fff;"
	"font:1rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\","
	"\"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif;overflow-wrap:break-word}\n"
	"main>*{max-width:48rem;margin-left:auto;margin-right:auto}\n"
	"h1{font-size:1.6rem;line-height:1.25;margin-top:.6rem;margin-bottom:1rem;"
	"overflow-wrap:anywhere}\n"
	"h2{font-size:1.3rem;line-height:1.3;margin-top:2.4rem;margin-bottom:.8rem;"
	"padding-top:.8rem;border-top:2px solid #d5d9de;overflow-wrap:anywhere}\n"
	"p,ul{margin-top:.7rem;margin-bottom:.7rem}\n"
	"ul{padding-left:1.25rem}\n"
	"li{margin:.35rem 0}\n"
	"strong{font-weight:650}\n"
	"code{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
	"font-size:.88em;background:#eef0f3;padding:.1em .3em;border-radius:3px;"
	"overflow-wrap:anywhere}\n"
	"main>.table{width:fit-content;min-width:min(100%,48rem);max-width:min(100%,60rem);"
	"overflow-x:auto;margin-top:1rem;margin-bottom:1rem;border:1px solid #c9ced4;"
	"border-radius:4px}\n"
	"table{width:100%;border-collapse:collapse;font-size:.9rem;line-height:1.4;"
	"font-variant-numeric:tabular-nums}\n"
	"th,td{padding:.4rem .6rem;text-align:left;vertical-align:top;white-space:nowrap;"
	"border-bottom:1px solid #dde1e5}\n"
	"td.long{white-space:normal;min-width:14rem}\n"
	"td+td,th+th{border-left:1px solid #eceef1}\n"
	"th{background:#eef1f5;font-weight:650}\n"
	"tbody tr:nth-child(even){background:#f8f9fa}\n"
	"tbody tr:last-child td{border-bottom:0}\n"
	"main>figure{max-width:60rem;margin-top:1.6rem;margin-bottom:1.6rem}\n"
	"svg.chart{display:block;width:100%;max-width:100%;height:auto}\n"
	"figcaption{margin-top:.3rem;text-align:center;font-size:.9rem;color:#454a50}\n"
	".missing{color:#454a50;font-style:italic}\n"
	/* On a phone a chart keeps a readable size (its text about 9 px)
	 * and scrolls sideways in its own box; the page never does. */
	"@media (max-width:40rem){main>figure{margin-left:-1rem;margin-right:-1rem;"
	"overflow-x:auto}svg.chart{min-width:40rem}figcaption{padding:0 1rem;"
	"position:sticky;left:0;width:calc(100vw - 2rem)}}\n"
	"@media (min-width:100rem){html{font-size:125%}}\n"
	"@media print{body{padding:0;font-size:10.5pt}main>*,main>figure{max-width:none}"
	"main>.table{overflow:visible;border:0}table{font-size:9pt}th,td{white-space:normal}"
	"figure,tr{break-inside:avoid}h2{break-after:avoid}code{background:none;padding:0}}\n";

/* The page's title: the first top-level heading, as plain text. */
static void put_title(FILE *f, const char *md, size_t len)
{
	struct lines l = { md, len, 0 };
	struct span line;

	while (line_next(&l, &line))
		if (heading_level(line) == 1) {
			put_inline(f, line.s + 2, line.n - 2, AS_TEXT);
			return;
		}
	fputs("concbench report", f);
}

int html_render(FILE *f, const char *dir, const char *md, size_t len)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"concbench\">\n<title>", f);
	put_title(f, md, len);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", page_style);
	put_body(f, dir, md, len);
	fputs("</main>\n</body>\n</html>\n", f);
	return ferror(f) ? -ENOMEM : 0;
}

int html_write_report(const char *dir, const char *md, size_t len, char *err, size_t errlen)
{
	char *page = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&page, &n);
	int rc;

	if (!f) {
		snprintf(err, errlen, "cannot render report.html: out of memory");
		return -ENOMEM;
	}
	rc = html_render(f, dir, md, len);
	if (fclose(f) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc < 0)
		snprintf(err, errlen, "cannot render report.html: out of memory");
	else
		rc = store_write_file(dir, "report.html", page, n, err, errlen);
	free(page);
	return rc;
}
