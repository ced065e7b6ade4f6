/* test_escape.c - the RFC 4515 escaping table and attribute-description checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

struct esc_case {
	const char *in;
	size_t len;
	const char *out;
};

static const struct esc_case esc_cases[] = {
	{ "", 0, "" },
	{ "plain", 5, "plain" },
	{ "*", 1, "\\2a" },
	{ "(", 1, "\\28" },
	{ ")", 1, "\\29" },
	{ "\\", 1, "\\5c" },
	{ "a\0b", 3, "a\\00b" },
	{ "\0", 1, "\\00" },
	/* injection payloads: every special is neutralised */
	{ "*)(uid=*))(|(uid=*", 18, "\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a" },
	{ "admin)(&)", 9, "admin\\29\\28&\\29" },
	{ "admin*", 6, "admin\\2a" },
	{ "x)(|(objectClass=*", 18, "x\\29\\28|\\28objectClass=\\2a" },
	{ "\\2a", 3, "\\5c2a" },                 /* an escape typed by a user stays literal */
	/* controls and DEL, by our choice */
	{ "a\tb\nc\x1f\x7f", 7, "a\\09b\\0ac\\1f\\7f" },
	/* valid UTF-8 stays readable */
	{ "Jos\xc3\xa9", 5, "Jos\xc3\xa9" },
	{ "\xe5\xb1\xb1\xe7\x94\xb0", 6, "\xe5\xb1\xb1\xe7\x94\xb0" },
	{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80" },
	/* invalid UTF-8 bytes escaped one by one, good bytes after them kept */
	{ "\xff", 1, "\\ff" },
	{ "\xc3", 1, "\\c3" },
	{ "\xc3(", 2, "\\c3\\28" },
	{ "\xc0\xaf", 2, "\\c0\\af" },            /* overlong '/' */
	{ "\xed\xa0\x80", 3, "\\ed\\a0\\80" },    /* surrogate */
	{ "\xf4\x90\x80\x80", 4, "\\f4\\90\\80\\80" }, /* > U+10FFFF */
	{ "\x80\xc3\xa9", 3, "\\80\xc3\xa9" },
	{ "=<>~&|!:,", 9, "=<>~&|!:," },      /* not special inside a value */
};

static void test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		const struct esc_case *c = &esc_cases[i];
		char *out = NULL;
		char buf[256];
		size_t n;

		assert_int_equal(lb_filter_escape_dup(c->in, c->len, &out, NULL), LB_OK);
		assert_string_equal(out, c->out);
		free(out);
		n = lb_filter_escape(c->in, c->len, buf, sizeof(buf));
		assert_int_equal(n, strlen(c->out));
		assert_string_equal(buf, c->out);
	}
}

static void test_escape_truncates_like_snprintf(void **state)
{
	char small[5];
	size_t n;

	(void)state;
	n = lb_filter_escape("a*b", 3, small, sizeof(small));
	assert_int_equal(n, 5);             /* "a\2ab" */
	assert_string_equal(small, "a\\2a");
	assert_int_equal(lb_filter_escape("a*b", 3, NULL, 0), 5);
	n = lb_filter_escape("abc", 3, small, 1);
	assert_int_equal(n, 3);
	assert_string_equal(small, "");
}

static void test_escape_nts_and_errors(void **state)
{
	char *out = NULL;
	struct lb_error err;

	(void)state;
	assert_int_equal(lb_filter_escape_dup("a(b", LB_NTS, &out, NULL), LB_OK);
	assert_string_equal(out, "a\\28b");
	free(out);
	assert_int_equal(lb_filter_escape_dup(NULL, 3, &out, &err), LB_E_INVALID);
	assert_int_equal(err.code, LB_E_INVALID);
	assert_int_equal(lb_filter_escape_dup("x", 1, NULL, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_escape(NULL, 0, NULL, 0), 0);
}

static void test_escape_long_input(void **state)
{
	size_t len = 100000;
	char *in = malloc(len), *out = NULL;

	(void)state;
	assert_non_null(in);
	for (size_t i = 0; i < len; i++)
		in[i] = (i % 2) ? '*' : 'a';
	assert_int_equal(lb_filter_escape_dup(in, len, &out, NULL), LB_OK);
	assert_int_equal(strlen(out), len / 2 + (len / 2) * 3);
	assert_null(strchr(out, '*'));
	free(out);
	/* worst case: every byte escaped, exactly 3x */
	memset(in, 0xff, len);
	assert_int_equal(lb_filter_escape(in, len, NULL, 0), 3 * len);
	free(in);
}

static void test_escape_output_never_contains_specials(void **state)
{
	unsigned char all[256];
	char *out = NULL;

	(void)state;
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_int_equal(lb_filter_escape_dup((const char *)all, sizeof(all), &out, NULL), LB_OK);
	for (const char *p = out; *p; p++) {
		assert_true(*p != '*' && *p != '(' && *p != ')');
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
		if (*p == '\\')
			p += 2;
	}
	assert_true(lb_utf8_valid(out, strlen(out)));
	free(out);
}

static void test_attr_descriptions(void **state)
{
	static const char *const good[] = {
		"cn", "displayName", "x-custom-Attr", "userCertificate;binary",
		"cn;lang-en;x-opt", "2.5.4.3", "1.3.6.1.4.1.1466.115.121.1.15", "a", "A1-",
	};
	static const char *const bad[] = {
		"", "1cn", "-cn", "cn=", "cn)", "c n", "cn;", ";binary", "cn;;x", "2.5..4",
		"2.5.4.", "01.2", "2.05.4", "2", ".2.5", "cn*", "(cn", "cn\\", "caf\xc3\xa9",
		"cn;bin ary", "uid=*)(", "ou\n",
	};
	char longname[LB_FILTER_MAX_ATTR + 2];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(lb_filter_attr_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(lb_filter_attr_valid(bad[i]));
	assert_false(lb_filter_attr_valid(NULL));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[LB_FILTER_MAX_ATTR] = '\0';
	assert_true(lb_filter_attr_valid(longname));
	longname[LB_FILTER_MAX_ATTR] = 'a';
	longname[LB_FILTER_MAX_ATTR + 1] = '\0';
	assert_false(lb_filter_attr_valid(longname));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_truncates_like_snprintf),
		cmocka_unit_test(test_escape_nts_and_errors),
		cmocka_unit_test(test_escape_long_input),
		cmocka_unit_test(test_escape_output_never_contains_specials),
		cmocka_unit_test(test_attr_descriptions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
