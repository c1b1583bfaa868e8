/*
 * format.c - numbers for people (see format.h).
 */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Micro, as people read it (UTF-8: two bytes, one column). */
#define MICRO "\u00b5"

void format_seconds(double s, char *buf, size_t len)
{
	if (!isfinite(s))
		snprintf(buf, len, "-");
	else if (s >= 1)
		snprintf(buf, len, "%.3g s", s);
	else if (s >= 1e-3)
		snprintf(buf, len, "%.3g ms", s * 1e3);
	else if (s >= 1e-6)
		snprintf(buf, len, "%.3g " MICRO "s", s * 1e6);
	else
		snprintf(buf, len, "%.3g ns", s * 1e9);
}

void format_rate(double per_s, char *buf, size_t len)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T" };
	size_t k = 0;

	if (!isfinite(per_s) || per_s < 0) {
		snprintf(buf, len, "-");
		return;
	}
	while (per_s >= 999.5 && k + 1 < sizeof(prefix) / sizeof(prefix[0])) {
		per_s /= 1000;
		k++;
	}
	snprintf(buf, len, "%.*f%s", per_s < 9.995 ? 2 : per_s < 99.95 ? 1 : 0, per_s, prefix[k]);
}

void format_ms(double s, char *buf, size_t len)
{
	if (isfinite(s))
		snprintf(buf, len, "%.1f ms", s * 1e3);
	else
		snprintf(buf, len, "-");
}

void format_mb(double kb, char *buf, size_t len)
{
	if (isfinite(kb))
		snprintf(buf, len, "%.0f MB", kb / 1024);
	else
		snprintf(buf, len, "-");
}

/* An underscore inside a word is never emphasis (CommonMark), and names
 * have no other kind: it stays as it is, readable. */
void format_markdown(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p && o + 2 < len; p++) {
		if (strchr("\\`*[]<>|#", *p))
			buf[o++] = '\\';
		buf[o++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	}
	if (len)
		buf[o] = '\0';
}

void format_time_unit(double max_s, const char **unit, double *scale)
{
	if (max_s >= 1)
		*unit = "s", *scale = 1;
	else if (max_s >= 1e-3)
		*unit = "ms", *scale = 1e3;
	else
		*unit = MICRO "s", *scale = 1e6;
}

/* A byte that starts a UTF-8 sequence (or is ASCII): not 10xxxxxx. */
static bool starts_code_point(unsigned char c)
{
	return (c & 0xc0) != 0x80;
}

size_t format_width(const char *text)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		n += starts_code_point(*p);
	return n;
}

size_t format_prefix_bytes(const char *text, size_t cols)
{
	size_t b = 0, n = 0;

	for (; text[b]; b++) {
		if (starts_code_point((unsigned char)text[b]) && n++ == cols)
			break;
	}
	return b;
}

void format_pad(const char *text, int width, bool align_left, char *buf, size_t len)
{
	size_t w = format_width(text);
	int pad = width > (int)w ? width - (int)w : 0;

	snprintf(buf, len, "%*s%s%*s", align_left ? 0 : pad, "", text, align_left ? pad : 0, "");
}
