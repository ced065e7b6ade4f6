/* test_utf8.c - strict UTF-8 validation and U+FFFD repair (spec MU-6). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

struct u8_case {
	const char *s;
	size_t len;
	bool valid;
	const char *sanitized;   /* expected lb_utf8_sanitize output */
	size_t sanitized_len;
};

#define R "\xef\xbf\xbd"   /* U+FFFD */
#define C(lit, v, san) { lit, sizeof(lit) - 1, v, san, sizeof(san) - 1 }

static const struct u8_case cases[] = {
	C("", true, ""),
	C("ascii", true, "ascii"),
	C("a\0b", true, "a\0b"),                          /* U+0000 is valid */
	C("\x7f", true, "\x7f"),
	C("\xc2\x80", true, "\xc2\x80"),                  /* U+0080, lowest 2-byte */
	C("\xdf\xbf", true, "\xdf\xbf"),                  /* U+07FF */
	C("\xe0\xa0\x80", true, "\xe0\xa0\x80"),          /* U+0800 */
	C("\xed\x9f\xbf", true, "\xed\x9f\xbf"),          /* U+D7FF, below surrogates */
	C("\xee\x80\x80", true, "\xee\x80\x80"),          /* U+E000, above surrogates */
	C("\xef\xbf\xbf", true, "\xef\xbf\xbf"),          /* U+FFFF */
	C("\xf0\x90\x80\x80", true, "\xf0\x90\x80\x80"),  /* U+10000 */
	C("\xf4\x8f\xbf\xbf", true, "\xf4\x8f\xbf\xbf"),  /* U+10FFFF */
	C("Jos\xc3\xa9 \xe5\xb1\xb1", true, "Jos\xc3\xa9 \xe5\xb1\xb1"),
	/* overlongs */
	C("\xc0\x80", false, R R),
	C("\xc1\xbf", false, R R),
	C("\xe0\x80\xaf", false, R R R),
	C("\xe0\x9f\xbf", false, R R R),
	C("\xf0\x8f\xbf\xbf", false, R R R R),
	/* surrogates */
	C("\xed\xa0\x80", false, R R R),
	C("\xed\xbf\xbf", false, R R R),
	/* beyond U+10FFFF and never-valid lead bytes */
	C("\xf4\x90\x80\x80", false, R R R R),
	C("\xf5\x80\x80\x80", false, R R R R),
	C("\xff", false, R),
	C("\xfe", false, R),
	/* stray continuation bytes */
	C("\x80", false, R),
	C("a\xbf" "b", false, "a" R "b"),
	/* truncated sequences: one U+FFFD per maximal subpart */
	C("\xc3", false, R),
	C("\xe2\x82", false, R),
	C("\xf0\x9f\x98", false, R),
	C("\xe2\x82" "a", false, R "a"),
	C("\xf0\x9f\x98\xc3\xa9", false, R "\xc3\xa9"),
	C("a\xe2\x82\xac" "b\xe2", false, "a\xe2\x82\xac" "b" R),
};

static void test_utf8_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct u8_case *c = &cases[i];
		char *out = NULL;
		size_t out_len = 0;

		assert_int_equal(lb_utf8_valid(c->s, c->len), c->valid);
		assert_int_equal(lb_utf8_sanitize(c->s, c->len, &out, &out_len, NULL), LB_OK);
		assert_int_equal(out_len, c->sanitized_len);
		assert_memory_equal(out, c->sanitized, out_len);
		assert_int_equal(out[out_len], '\0');
		assert_true(lb_utf8_valid(out, out_len));
		free(out);
	}
}

static void test_utf8_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(lb_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(lb_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(lb_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(lb_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	assert_int_equal(lb_utf8_decode("\xe2\x82\xac", 2, &cp), 0);   /* length-bounded */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(lb_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(lb_utf8_decode(NULL, 0, &cp), 0);
	assert_int_equal(lb_utf8_decode("\xc3\xa9", 2, NULL), 2);
}

static void test_utf8_null_and_errors(void **state)
{
	char *out = NULL;
	size_t n = 99;
	struct lb_error err;

	(void)state;
	assert_true(lb_utf8_valid(NULL, 0));
	assert_false(lb_utf8_valid(NULL, 1));
	assert_int_equal(lb_utf8_sanitize(NULL, 0, &out, &n, NULL), LB_OK);
	assert_string_equal(out, "");
	assert_int_equal(n, 0);
	free(out);
	assert_int_equal(lb_utf8_sanitize(NULL, 2, &out, NULL, &err), LB_E_INVALID);
	assert_int_equal(err.code, LB_E_INVALID);
	assert_int_equal(lb_utf8_sanitize("x", 1, NULL, NULL, &err), LB_E_INVALID);
}

static void test_utf8_every_byte_sanitizes(void **state)
{
	/* all 2-byte combinations: the sanitizer always yields valid UTF-8 */
	(void)state;
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b += 3) {
			char in[3] = { (char)a, (char)b, (char)0xe2 };
			char *out = NULL;
			size_t n;

			assert_int_equal(lb_utf8_sanitize(in, 3, &out, &n, NULL), LB_OK);
			assert_true(lb_utf8_valid(out, n));
			assert_true(n <= 9);
			free(out);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_table),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_null_and_errors),
		cmocka_unit_test(test_utf8_every_byte_sanitizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
