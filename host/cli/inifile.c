/*
 * inifile.c - splitting an INI stream into section/key/value entries with
 * exact line numbers (the grammar: inifile.h).
 */
#include "inifile.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#define INI_STR_(x) #x
#define INI_STR(x) INI_STR_(x)

static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

static enum ini_result bad_line(struct ini_error *err, int line, const char *reason)
{
	err->line = line;
	err->reason = reason;
	return INI_BAD_LINE;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* [s, end) without the blanks around it, NUL-terminated in place. */
static char *trim(char *s, char *end)
{
	while (s < end && is_blank(*s))
		s++;
	while (end > s && is_blank(end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Reads line number `line` into buf (3 + INI_LINE_MAX + 2 bytes): *text is the line
 * without its LF or CRLF (and without the byte order mark on line 1), NUL-terminated,
 * or NULL when the stream has no more lines; *more tells whether a line end was read. */
static enum ini_result read_line(FILE *f, int line, char *buf, char **text, bool *more,
                                 struct ini_error *err)
{
	size_t n = 0, start = 0;
	int ch;

	*text = NULL;
	*more = false;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (ch == '\0')
			return bad_line(err, line, "NUL byte in the line; the file must be text");
		/* Room for one byte past the limit: it may be the CR of a CRLF. */
		if (n - start == INI_LINE_MAX + 1)
			return bad_line(err, line, "line too long (at most " INI_STR(INI_LINE_MAX)
			                " bytes)");
		buf[n++] = (char)ch;
		if (line == 1 && n == sizeof(utf8_bom) && memcmp(buf, utf8_bom, n) == 0)
			start = n;
	}
	if (ch == EOF && ferror(f)) {
		err->errnum = errno;
		err->line = line;
		err->reason = "cannot read the file";
		return INI_READ_ERROR;
	}
	if (ch == EOF && n == 0)
		return INI_DONE;
	*more = ch == '\n';
	if (n > start && buf[n - 1] == '\r')
		n--;
	if (n - start > INI_LINE_MAX)
		return bad_line(err, line, "line too long (at most " INI_STR(INI_LINE_MAX) " bytes)");
	buf[n] = '\0';
	*text = buf + start;
	return INI_DONE;
}

enum ini_result ini_read(FILE *f, ini_entry_fn on_entry, void *user, struct ini_error *err)
{
	char buf[sizeof(utf8_bom) + INI_LINE_MAX + 2];
	char section[INI_LINE_MAX + 1];
	bool more = true;

	err->line = 0;
	err->reason = NULL;
	err->errnum = 0;
	section[0] = '\0';
	for (int line = 1; more; line++) {
		char *text, *p, *eq, *key, *value;
		enum ini_result r;

		if (line == INT_MAX)
			return bad_line(err, line, "too many lines");
		r = read_line(f, line, buf, &text, &more, err);
		if (r != INI_DONE)
			return r;
		if (!text)
			break;
		for (p = text; is_blank(*p); p++)
			;
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			char *close = strchr(p + 1, ']'), *name, *q;

			if (!close)
				return bad_line(err, line, "a \"[section]\" header without its closing \"]\"");
			for (q = close + 1; is_blank(*q); q++)
				;
			if (*q)
				return bad_line(err, line, "text after the \"]\" of a section header (a "
				                "comment needs a line of its own)");
			name = trim(p + 1, close);
			if (!*name)
				return bad_line(err, line, "empty section name");
			memmove(section, name, strlen(name) + 1);
			continue;
		}
		eq = strchr(p, '=');
		if (!eq)
			return bad_line(err, line, "not a \"key = value\" line or \"[section]\" header");
		value = trim(eq + 1, eq + 1 + strlen(eq + 1));
		key = trim(p, eq);
		if (!*key)
			return bad_line(err, line, "empty key before \"=\"");
		if (!on_entry(user, line, section, key, value)) {
			err->line = line;
			return INI_REFUSED;
		}
	}
	return INI_DONE;
}
