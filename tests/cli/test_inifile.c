/*
 * test_inifile.c - the configuration file's line reader (host/cli/inifile.c):
 * sections, keys and values with their exact line numbers, comments only at
 * the start of a line, CRLF, the byte order mark, the 8000-byte limit, and
 * every refusal (not an entry, ':' as separator, unclosed or empty header,
 * text after a header, empty key, NUL byte), the callback's refusal, a
 * stream that cannot be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inifile.h"

#define MAX_SEEN 16

struct seen {
	int n;
	int refuse_at;          /* 1-based entry the callback refuses; 0: none */
	int line[MAX_SEEN];
	char *section[MAX_SEEN];
	char *key[MAX_SEEN];
	char *value[MAX_SEEN];
};

static char *copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	assert_non_null(d);
	memcpy(d, s, n);
	return d;
}

static bool collect(void *user, int line, const char *section, const char *key,
                    const char *value)
{
	struct seen *s = user;

	assert_true(s->n < MAX_SEEN);
	s->line[s->n] = line;
	s->section[s->n] = copy(section);
	s->key[s->n] = copy(key);
	s->value[s->n] = copy(value);
	s->n++;
	return s->n != s->refuse_at;
}

static void seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->section[i]);
		free(s->key[i]);
		free(s->value[i]);
	}
	memset(s, 0, sizeof(*s));
}

/* Reads len bytes of data as a file would be read (binary mode, as conffile.c opens it). */
static enum ini_result read_bytes(const char *data, size_t len, struct seen *s,
                                  struct ini_error *err)
{
	FILE *f = tmpfile();
	enum ini_result r;

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	rewind(f);
	r = ini_read(f, collect, s, err);
	fclose(f);
	return r;
}

static enum ini_result read_text(const char *text, struct seen *s, struct ini_error *err)
{
	return read_bytes(text, strlen(text), s, err);
}

static void assert_entry(const struct seen *s, int i, int line, const char *section,
                         const char *key, const char *value)
{
	assert_true(i < s->n);
	assert_int_equal(s->line[i], line);
	assert_string_equal(s->section[i], section);
	assert_string_equal(s->key[i], key);
	assert_string_equal(s->value[i], value);
}

/* Expects text to be refused at line with reason, after `entries` entries. */
static void assert_bad(const char *data, size_t len, int line, const char *reason, int entries)
{
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_bytes(data, len, &s, &err), INI_BAD_LINE);
	assert_int_equal(err.line, line);
	assert_non_null(err.reason);
	assert_string_equal(err.reason, reason);
	assert_int_equal(s.n, entries);
	seen_free(&s);
}

#define NOT_ENTRY "not a \"key = value\" line or \"[section]\" header"
#define TOO_LONG "line too long (at most 8000 bytes)"

static void test_sections_keys_values_and_their_lines(void **state)
{
	const char *text =
		"# first comment\n"                       /* 1 */
		"\n"                                      /* 2 */
		"[directory]\n"                           /* 3 */
		"uri = ldap://h:389 ldap://g\n"           /* 4 */
		"   ; indented comment = not a key\n"     /* 5 */
		"\tbase=dc=example,dc=com  \t\n"          /* 6 */
		"  \t \n"                                 /* 7 */
		"[ bind ]\n"                              /* 8 */
		"password = a;b#c=d ; e\n"                /* 9 */
		"dn =\n"                                  /* 10 */
		"  #[tls]\n"                              /* 11 */
		"name = Sales: EMEA\n"                    /* 12 */
		"[Tls]\t \n"                              /* 13 */
		"ca file = /etc/ca.pem\n";                /* 14 */
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_text(text, &s, &err), INI_DONE);
	assert_int_equal(err.line, 0);
	assert_null(err.reason);
	assert_int_equal(s.n, 6);
	assert_entry(&s, 0, 4, "directory", "uri", "ldap://h:389 ldap://g");
	assert_entry(&s, 1, 6, "directory", "base", "dc=example,dc=com");
	assert_entry(&s, 2, 9, "bind", "password", "a;b#c=d ; e");
	assert_entry(&s, 3, 10, "bind", "dn", "");
	assert_entry(&s, 4, 12, "bind", "name", "Sales: EMEA");
	assert_entry(&s, 5, 14, "Tls", "ca file", "/etc/ca.pem");
	seen_free(&s);
}

static void test_key_before_any_section_has_the_empty_section(void **state)
{
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_text("\n# c\nuri = x\n[d]\nk = v\n", &s, &err), INI_DONE);
	assert_int_equal(s.n, 2);
	assert_entry(&s, 0, 3, "", "uri", "x");
	assert_entry(&s, 1, 5, "d", "k", "v");
	seen_free(&s);
}

static void test_crlf_line_ends_and_mixed(void **state)
{
	const char *text = "[d]\r\nk = v\r\n\r\n; c\r\nk2 = w \r\nk3 = x\nk4=y\r\n";
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_text(text, &s, &err), INI_DONE);
	assert_int_equal(s.n, 4);
	assert_entry(&s, 0, 2, "d", "k", "v");
	assert_entry(&s, 1, 5, "d", "k2", "w");
	assert_entry(&s, 2, 6, "d", "k3", "x");
	assert_entry(&s, 3, 7, "d", "k4", "y");
	seen_free(&s);
}

static void test_last_line_without_its_end(void **state)
{
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_text("[d]\nk = v", &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 2, "d", "k", "v");
	seen_free(&s);

	assert_int_equal(read_text("[d]\r\nk = v\r", &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 2, "d", "k", "v");
	seen_free(&s);

	/* The error on an unfinished last line names that line. */
	assert_bad("[d]\nk = v\nnonsense", 18, 3, NOT_ENTRY, 1);
}

static void test_empty_and_blank_streams(void **state)
{
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_bytes("", 0, &s, &err), INI_DONE);
	assert_int_equal(s.n, 0);
	assert_int_equal(read_text("\n\r\n \t\n# x\n;y", &s, &err), INI_DONE);
	assert_int_equal(s.n, 0);
	assert_int_equal(read_text("\xEF\xBB\xBF", &s, &err), INI_DONE);
	assert_int_equal(s.n, 0);
}

static void test_byte_order_mark_skipped_only_at_the_start(void **state)
{
	struct seen s = { 0 };
	struct ini_error err;

	assert_int_equal(read_text("\xEF\xBB\xBF[d]\r\nk = v\r\n", &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 2, "d", "k", "v");
	seen_free(&s);

	assert_int_equal(read_text("\xEF\xBB\xBF# comment\n[d]\nk = v\n", &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 3, "d", "k", "v");
	seen_free(&s);

	/* Anywhere else it is data. */
	assert_int_equal(read_text("[d]\n\xEF\xBB\xBFk = v\n", &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 2, "d", "\xEF\xBB\xBFk", "v");
	seen_free(&s);

	/* Half a mark is not one. */
	assert_bad("\xEF\xBB[d]\n", 6, 1, NOT_ENTRY, 0);
}

/* "[d]\n" then "k = " and value bytes up to `total` bytes on line 2, ended by `end`. */
static char *long_line(size_t total, const char *end, size_t *len)
{
	size_t head = 4, n = head + total + strlen(end);
	char *b = malloc(n + 1);

	assert_non_null(b);
	memcpy(b, "[d]\nk = ", 8);
	memset(b + 8, 'v', total - 4);
	memcpy(b + head + total, end, strlen(end) + 1);
	*len = n;
	return b;
}

static void test_lines_of_8000_bytes_read_8001_refused(void **state)
{
	static const char *ends[] = { "\n", "\r\n", "" };
	struct seen s = { 0 };
	struct ini_error err;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t len;
		char *b = long_line(INI_LINE_MAX, ends[i], &len);

		assert_int_equal(read_bytes(b, len, &s, &err), INI_DONE);
		assert_int_equal(s.n, 1);
		assert_int_equal(s.line[0], 2);
		assert_int_equal(strlen(s.value[0]), INI_LINE_MAX - 4);
		seen_free(&s);
		free(b);

		b = long_line(INI_LINE_MAX + 1, ends[i], &len);
		assert_bad(b, len, 2, TOO_LONG, 0);
		free(b);
	}
}

static void test_long_comment_and_byte_order_mark_against_the_limit(void **state)
{
	char b[3 + INI_LINE_MAX + 16];
	struct seen s = { 0 };
	struct ini_error err;

	/* Line 1: the mark, then 8000 bytes of comment: the mark does not count. */
	memcpy(b, "\xEF\xBB\xBF#", 4);
	memset(b + 4, 'c', INI_LINE_MAX - 1);
	memcpy(b + 3 + INI_LINE_MAX, "\n[d]\nk=v\n", 9);
	assert_int_equal(read_bytes(b, 3 + INI_LINE_MAX + 9, &s, &err), INI_DONE);
	assert_int_equal(s.n, 1);
	assert_entry(&s, 0, 3, "d", "k", "v");
	seen_free(&s);

	/* One more byte of comment is too long: comments count too. */
	b[3 + INI_LINE_MAX] = 'c';
	assert_bad(b, 3 + INI_LINE_MAX + 9, 1, TOO_LONG, 0);
}

static void test_not_an_entry_stops_at_its_line(void **state)
{
	const char *t = "[d]\nk = v\nthis is not ini\nk2 = w\n";

	assert_bad(t, strlen(t), 3, NOT_ENTRY, 1);
}

static void test_colon_is_not_a_separator(void **state)
{
	const char *t = "[directory]\nname = x\nuri: ldap://h:389\n";

	assert_bad(t, strlen(t), 3, NOT_ENTRY, 1);
}

static void test_section_header_refusals(void **state)
{
	static const char unclosed[] = "[d]\nk = v\n[bind\nk = v\n";
	static const char after[] = "[d]\n[bind] ; comment\n";
	static const char after2[] = "[d]]\n";
	static const char empty[] = "[d]\nk = v\n\n[]\n";
	static const char blank[] = "[ \t ]\n";

	assert_bad(unclosed, sizeof(unclosed) - 1, 3,
	           "a \"[section]\" header without its closing \"]\"", 1);
	assert_bad(after, sizeof(after) - 1, 2,
	           "text after the \"]\" of a section header (a comment needs a line of its own)",
	           0);
	assert_bad(after2, sizeof(after2) - 1, 1,
	           "text after the \"]\" of a section header (a comment needs a line of its own)",
	           0);
	assert_bad(empty, sizeof(empty) - 1, 4, "empty section name", 1);
	assert_bad(blank, sizeof(blank) - 1, 1, "empty section name", 0);
}

static void test_empty_key_refused(void **state)
{
	static const char a[] = "[d]\nk = v\n= v\n";
	static const char b[] = "[d]\n \t =v\n";

	assert_bad(a, sizeof(a) - 1, 3, "empty key before \"=\"", 1);
	assert_bad(b, sizeof(b) - 1, 2, "empty key before \"=\"", 0);
}

static void test_nul_byte_refused_at_its_line(void **state)
{
	static const char value[] = "[d]\nk = v\npassword = se\0cret\nk2 = w\n";
	static const char comment[] = "[d]\n# a\0b\nk = v\n";
	static const char reason[] = "NUL byte in the line; the file must be text";

	assert_bad(value, sizeof(value) - 1, 3, reason, 1);
	assert_bad(comment, sizeof(comment) - 1, 2, reason, 0);
}

static void test_callback_refusal_stops_the_read(void **state)
{
	struct seen s = { .refuse_at = 2 };
	struct ini_error err;

	assert_int_equal(read_text("[d]\na = 1\n\nb = 2\nc = 3\nnot ini\n", &s, &err),
	                 INI_REFUSED);
	assert_int_equal(err.line, 4);
	assert_null(err.reason);
	assert_int_equal(s.n, 2);
	assert_entry(&s, 1, 4, "d", "b", "2");
	seen_free(&s);
}

static void test_unreadable_stream(void **state)
{
	static const char path[] = "test_inifile_write_only.tmp";
	struct seen s = { 0 };
	struct ini_error err;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(ini_read(f, collect, &s, &err), INI_READ_ERROR);
	fclose(f);
	remove(path);
	assert_int_equal(err.line, 1);
	assert_non_null(err.reason);
	assert_int_not_equal(err.errnum, 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_keys_values_and_their_lines),
		cmocka_unit_test(test_key_before_any_section_has_the_empty_section),
		cmocka_unit_test(test_crlf_line_ends_and_mixed),
		cmocka_unit_test(test_last_line_without_its_end),
		cmocka_unit_test(test_empty_and_blank_streams),
		cmocka_unit_test(test_byte_order_mark_skipped_only_at_the_start),
		cmocka_unit_test(test_lines_of_8000_bytes_read_8001_refused),
		cmocka_unit_test(test_long_comment_and_byte_order_mark_against_the_limit),
		cmocka_unit_test(test_not_an_entry_stops_at_its_line),
		cmocka_unit_test(test_colon_is_not_a_separator),
		cmocka_unit_test(test_section_header_refusals),
		cmocka_unit_test(test_empty_key_refused),
		cmocka_unit_test(test_nul_byte_refused_at_its_line),
		cmocka_unit_test(test_callback_refusal_stops_the_read),
		cmocka_unit_test(test_unreadable_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
