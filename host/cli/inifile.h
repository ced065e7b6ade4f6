/*
 * inifile.h - splitting an INI stream (ldapab.conf, see ldapab.conf(5)
 * SYNTAX) into section/key/value entries with exact line numbers.
 *
 * The grammar, line by line:
 *   - blank (only spaces and tabs): skipped;
 *   - '#' or ';' as the first character after optional whitespace: a comment
 *     (a '#' or ';' anywhere later belongs to the value: passwords and
 *     filters hold them);
 *   - "[name]": a section header; whitespace around the name is trimmed,
 *     nothing but whitespace may follow the ']', the name may not be empty;
 *   - "key = value": the first '=' separates; whitespace around key and
 *     value is trimmed; the key may not be empty, the value may (and may
 *     hold '=', ':', ';', '#').  ':' is not a separator ("key: value" is
 *     refused): container names and values hold colons, and splitting at
 *     the first of ':' and '=' would cut "Sales: EMEA = ..." in the wrong
 *     place without a word;
 *   - anything else is an error.
 * Lines end with LF or CRLF; the last one may lack its end.  A UTF-8 byte
 * order mark at the start of the stream is skipped.  A line holds at most
 * INI_LINE_MAX bytes, its end and the byte order mark not counted.  A NUL
 * byte is an error (it would cut the line short).  There are no
 * continuation lines, so a line number is always the line in an editor.
 * Keys before the first header come with the section "": the caller
 * decides.  Reading stops at the first error.
 */
#ifndef LDAPAB_CLI_INIFILE_H
#define LDAPAB_CLI_INIFILE_H

#include <stdbool.h>
#include <stdio.h>

#define INI_LINE_MAX 8000

/* One "key = value" line: its 1-based line number, the section it is in ("" before
 * the first header), key and value, all valid only during the call.  Returns true to
 * go on, false to stop the read here (ini_read returns INI_REFUSED). */
typedef bool (*ini_entry_fn)(void *user, int line, const char *section, const char *key,
                             const char *value);

enum ini_result {
	INI_DONE,               /* every line read, every entry accepted */
	INI_BAD_LINE,           /* err: the line and what is wrong with it */
	INI_REFUSED,            /* the callback refused the entry on err->line */
	INI_READ_ERROR          /* the stream failed reading line err->line; err->errnum */
};

struct ini_error {
	int line;               /* 1-based; 0 when no line was reached */
	const char *reason;     /* INI_BAD_LINE, INI_READ_ERROR: static text; else NULL */
	int errnum;             /* INI_READ_ERROR: errno of the failed read; else 0 */
};

/* Reads f to its end (or the first error), calling on_entry for each "key = value"
 * line in order.  err is always filled.  Open the file in binary mode: CRLF is
 * handled here, and Windows' text mode would end the read at a Ctrl-Z byte. */
enum ini_result ini_read(FILE *f, ini_entry_fn on_entry, void *user, struct ini_error *err)
	__attribute__((warn_unused_result));

#endif
