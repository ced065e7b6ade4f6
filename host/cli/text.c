/*
 * text.c - terminal text: display width of UTF-8 (wide East Asian characters
 * count two columns, combining marks none), fitting to a column, the
 * terminal's width, the one-line diagnostics and the progress bar.
 *
 * The width is computed from the code points, not the C library's locale
 * tables, so it is the same in every locale; output is UTF-8.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "osdep.h"

/* Decodes one UTF-8 sequence at s; *len its length (1 for a bad byte). */
static unsigned long decode(const unsigned char *s, size_t *len)
{
	unsigned long cp;
	size_t n;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = n;
	return cp;
}

static int cp_width(unsigned long c)
{
	if (c == 0 || (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
	    (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	    (c >= 0x20D0 && c <= 0x20FF))
		return 0;
	if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	    (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	    (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
		return 2;
	return 1;
}

size_t text_width(const char *s)
{
	size_t w = 0, len;

	for (const unsigned char *p = (const unsigned char *)s; p && *p; p += len)
		w += (size_t)cp_width(decode(p, &len));
	return w;
}

/* Control characters (C0, DEL, C1) from the directory could drive the
 * terminal (escape sequences): they are shown as U+FFFD. */
static bool is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

static void put_cp(FILE *f, const unsigned char *p, size_t len, unsigned long cp)
{
	if (is_control(cp))
		fputs("\xEF\xBF\xBD", f);
	else
		fwrite(p, 1, len, f);
}

void text_put(FILE *f, const char *s)
{
	size_t len;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p += len) {
		unsigned long cp = decode(p, &len);

		put_cp(f, p, len, cp);
	}
}

void text_fit(FILE *f, const char *s, size_t w)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t used = 0, len, total = text_width((const char *)p);

	if (total <= w) {
		text_put(f, (const char *)p);
		for (; total < w; total++)
			fputc(' ', f);
		return;
	}
	if (w == 0)
		return;
	/* Cut to w - 1 columns and mark the cut with an ellipsis. */
	for (; *p; p += len) {
		unsigned long cp = decode(p, &len);
		int cw = cp_width(cp);

		if (used + (size_t)cw > w - 1)
			break;
		put_cp(f, p, len, cp);
		used += (size_t)cw;
	}
	fputs("\xE2\x80\xA6", f);
	for (used++; used < w; used++)
		fputc(' ', f);
}

int text_terminal_width(FILE *f)
{
	const char *cols = getenv("COLUMNS");
	int w = osdep_terminal_width(f);

	if (w > 0)
		return w;
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 0;
}

static FILE *err_stream;

FILE *cli_err(void)
{
	return err_stream ? err_stream : stderr;
}

/* mutt and aerc paint a query command's stderr over their screen: while one
 * of their formats is printed, stderr (the provider's warnings included) goes
 * to /dev/null and only a failure of the command itself is shown. */
void cli_silence_stderr(void)
{
	if (!err_stream)
		err_stream = osdep_divert_stderr();
}

void cli_errorf(const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line: a newline from a server message would forge a second one. */
	for (n = 0; line[n]; n++)
		if ((unsigned char)line[n] < 0x20)
			line[n] = ' ';
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(cli_err(), "ldapab: %s\n", line);
	fflush(cli_err());
}

void cli_progress(size_t done, size_t total, bool final)
{
	FILE *f = cli_err();
	int width = text_terminal_width(f);
	int bar;

	if (!osdep_is_terminal(f))
		return;
	if (final) {
		fprintf(f, "\r\033[K");
		fflush(f);
		return;
	}
	bar = (width > 40 ? width : 80) - 30;
	if (bar > 50)
		bar = 50;
	if (total) {
		int fill = (int)((double)done / (double)total * bar);

		if (fill > bar)
			fill = bar;
		fprintf(f, "\rexporting [%.*s%*s] %zu/%zu", fill,
		        "##################################################", bar - fill, "",
		        done, total);
	} else {
		fprintf(f, "\rexporting %zu entries", done);
	}
	fflush(f);
}
