/* test_anr.c - ANR (spec CT-9) and exact-mode filters, emulated and AD. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>
#include "filter_check.h"

static const struct lb_anr_config openldap;          /* zeroed: defaults */
static const struct lb_anr_config ad = { .active_directory = true };

#define AD_BASE "(|(objectCategory=person)(objectCategory=group))"

/* The per-word clause with default attributes; w is already escaped. */
static char *W(const char *w)
{
	static char buf[8][1024];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, sizeof(buf[0]),
	         "(|(displayName=%s*)(cn=%s*)(sn=%s*)(givenName=%s*)(mail=%s*)(uid=%s*)"
	         "(displayName=* %s*)(cn=* %s*))", w, w, w, w, w, w, w, w);
	return b;
}

/* Build with lb_anr_build (or _exact), render, check the text, compare. */
static void expect_anr(const struct lb_anr_config *cfg, bool exact, const char *input,
                       const char *want)
{
	lb_filter *f = NULL;
	struct lb_error err;
	char *s = NULL;
	lb_err rc = exact ? lb_anr_build_exact(cfg, input, &f, &err)
	                  : lb_anr_build(cfg, input, &f, &err);

	if (rc != LB_OK)
		fail_msg("ANR build of \"%s\" failed: %s", input, err.message);
	assert_int_equal(lb_filter_render(f, &s, NULL), LB_OK);
	assert_true(lbf_filter_ok(s, strlen(s)));
	assert_string_equal(s, want);
	free(s);
	lb_filter_free(f);
}

static void expect_anr_fails(const struct lb_anr_config *cfg, bool exact, const char *input,
                             lb_err want, const char *msg_part)
{
	lb_filter *f = NULL;
	struct lb_error err;
	lb_err rc = exact ? lb_anr_build_exact(cfg, input, &f, &err)
	                  : lb_anr_build(cfg, input, &f, &err);

	assert_int_equal(rc, want);
	assert_null(f);
	assert_int_equal(err.code, want);
	if (msg_part != NULL && strstr(err.message, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, msg_part);
}

static void test_single_word(void **state)
{
	char want[2048];

	(void)state;
	expect_anr(&openldap, false, "bill",
	           "(|(displayName=bill*)(cn=bill*)(sn=bill*)(givenName=bill*)(mail=bill*)"
	           "(uid=bill*)(displayName=* bill*)(cn=* bill*))");
	expect_anr(&openldap, false, "  \tbill \n", W("bill"));
	snprintf(want, sizeof(want), "%s", W("O'Brien-Smith"));
	expect_anr(&openldap, false, "O'Brien-Smith", want);
	expect_anr(NULL, false, "bill", W("bill"));
}

static void test_first_last(void **state)
{
	char want[4096];

	(void)state;
	snprintf(want, sizeof(want), "(|(&(givenName=Bill*)(sn=L*))(&%s%s))", W("Bill"), W("L"));
	expect_anr(&openldap, false, "Bill L", want);
	expect_anr(&openldap, false, "  Bill \t  L  ", want);   /* multi-space */
}

static void test_last_comma_first(void **state)
{
	char want[4096];

	(void)state;
	snprintf(want, sizeof(want), "(|(&(sn=Lee*)(givenName=Bill*))(&%s%s))", W("Lee"), W("Bill"));
	expect_anr(&openldap, false, "Lee, Bill", want);
	expect_anr(&openldap, false, "Lee,Bill", want);
	/* the surname keeps its inner space */
	snprintf(want, sizeof(want), "(|(&(sn=van Dyke*)(givenName=Anna*))(&%s%s%s))",
	         W("van"), W("Dyke"), W("Anna"));
	expect_anr(&openldap, false, "van Dyke, Anna", want);
	/* a trailing comma is just a separator */
	expect_anr(&openldap, false, "Lee,", W("Lee"));
}

static void test_many_words(void **state)
{
	char want[8192];

	(void)state;
	snprintf(want, sizeof(want), "(&%s%s%s)", W("Sam"), W("Bill"), W("Lee"));
	expect_anr(&openldap, false, "Sam Bill Lee", want);
	snprintf(want, sizeof(want), "(&%s%s%s)", W("a"), W("b"), W("c"));
	expect_anr(&openldap, false, "a, b, c", want);   /* two commas: no split */
}

static void test_injection_is_escaped(void **state)
{
	char want[4096];

	(void)state;
	expect_anr(&openldap, false, "*)(uid=*))(|(uid=*",
	           W("\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a"));
	expect_anr(&openldap, false, "admin)(&)", W("admin\\29\\28&\\29"));
	expect_anr(&openldap, false, "*", W("\\2a"));
	expect_anr(&openldap, false, "a\\b", W("a\\5cb"));
	snprintf(want, sizeof(want), "(&(|(objectCategory=person)(objectCategory=group))"
	         "(anr=\\2a\\29\\28objectClass=\\2a))");
	expect_anr(&ad, false, "*)(objectClass=*", want);
	expect_anr(&openldap, true, "x)(|(uid=*", "(|(mail=x\\29\\28|\\28uid=\\2a)(uid=x\\29\\28|\\28uid=\\2a))");
}

static void test_unicode_inputs(void **state)
{
	char want[4096];

	(void)state;
	/* CJK with an ideographic space (U+3000) between the names */
	snprintf(want, sizeof(want), "(|(&(givenName=\xe5\xb1\xb1\xe7\x94\xb0*)(sn=\xe5\xa4\xaa*))(&%s%s))",
	         W("\xe5\xb1\xb1\xe7\x94\xb0"), W("\xe5\xa4\xaa"));
	expect_anr(&openldap, false, "\xe5\xb1\xb1\xe7\x94\xb0\xe3\x80\x80\xe5\xa4\xaa", want);
	/* accents stay readable; NBSP trimmed */
	expect_anr(&openldap, false, "\xc2\xa0Jos\xc3\xa9\xc2\xa0", W("Jos\xc3\xa9"));
	expect_anr(&ad, false, "Ren\xc3\xa9\xc2\xa0 Dupont", "(&" AD_BASE "(anr=Ren\xc3\xa9 Dupont))");
}

static void test_email_looking(void **state)
{
	(void)state;
	expect_anr(&openldap, false, "bill.lee@example.com", W("bill.lee@example.com"));
	expect_anr(&ad, false, "bill.lee@example.com",
	           "(&" AD_BASE "(|(anr=bill.lee@example.com)(mail=bill.lee@example.com)))");
}

static void test_active_directory(void **state)
{
	struct lb_anr_config cfg = { .active_directory = true, .base_filter = "(objectCategory=person)" };
	struct lb_anr_config none = { .active_directory = true, .base_filter = "" };

	(void)state;
	expect_anr(&ad, false, "bill", "(&" AD_BASE "(anr=bill))");
	expect_anr(&ad, false, "  Bill   Lee ", "(&" AD_BASE "(anr=Bill Lee))");
	expect_anr(&ad, false, "Lee, Bill", "(&" AD_BASE "(anr=Lee, Bill))");
	expect_anr(&cfg, false, "bill", "(&(objectCategory=person)(anr=bill))");
	expect_anr(&none, false, "bill", "(anr=bill)");
	expect_anr(&ad, true, "bill@example.com",
	           "(&" AD_BASE "(|(mail=bill@example.com)(sAMAccountName=bill@example.com)"
	           "(userPrincipalName=bill@example.com)))");
}

static void test_base_and_custom_attributes(void **state)
{
	static const char *const prefix[] = { "cn", "mail" };
	static const char *const exact[] = { "mail" };
	struct lb_anr_config cfg = {
		.base_filter = "(objectClass=inetOrgPerson)",
		.prefix_attrs = prefix, .n_prefix_attrs = 2,
		.word_attrs = prefix, .n_word_attrs = 0,
		.given_name_attr = "gn", .surname_attr = "surname",
		.exact_attrs = exact, .n_exact_attrs = 1,
	};
	static const char *const evil[] = { "cn)(uid=*" };
	struct lb_anr_config bad = { .prefix_attrs = evil, .n_prefix_attrs = 1 };
	struct lb_anr_config badbase = { .base_filter = "(objectClass=*))(|(uid=*" };

	(void)state;
	expect_anr(&cfg, false, "bo", "(&(objectClass=inetOrgPerson)(|(cn=bo*)(mail=bo*)))");
	expect_anr(&cfg, false, "a b",
	           "(&(objectClass=inetOrgPerson)(|(&(gn=a*)(surname=b*))"
	           "(&(|(cn=a*)(mail=a*))(|(cn=b*)(mail=b*)))))");
	expect_anr(&cfg, true, "a@b", "(&(objectClass=inetOrgPerson)(mail=a@b))");
	expect_anr_fails(&bad, false, "x", LB_E_FILTER, "attribute");
	expect_anr_fails(&badbase, false, "x", LB_E_FILTER, "malformed");
	expect_anr_fails(&badbase, true, "x", LB_E_FILTER, "malformed");
}

static void test_exact_mode(void **state)
{
	(void)state;
	expect_anr(&openldap, true, "bill@example.com",
	           "(|(mail=bill@example.com)(uid=bill@example.com))");
	expect_anr(&openldap, true, "  Bill Lee ", "(|(mail=Bill Lee)(uid=Bill Lee))");
	expect_anr(&openldap, true, "a*b", "(|(mail=a\\2ab)(uid=a\\2ab))");
	expect_anr_fails(&openldap, true, "   ", LB_E_INVALID, "blank");
}

static void test_empty_blank_long_invalid(void **state)
{
	char longin[LB_ANR_MAX_INPUT_DEFAULT + 2];
	char words[64];
	char want[2 * LB_ANR_MAX_INPUT_DEFAULT + 64];
	struct lb_anr_config small = { .max_input = 4 };

	(void)state;
	expect_anr_fails(&openldap, false, "", LB_E_INVALID, "matches nothing");
	expect_anr_fails(&openldap, false, " \t\r\n ", LB_E_INVALID, "matches nothing");
	expect_anr_fails(&openldap, false, "\xc2\xa0\xe3\x80\x80", LB_E_INVALID, "matches nothing");
	expect_anr_fails(&openldap, false, " , ,", LB_E_INVALID, "matches nothing");
	expect_anr_fails(&ad, false, "  ", LB_E_INVALID, "matches nothing");
	memset(longin, 'a', sizeof(longin) - 1);
	longin[LB_ANR_MAX_INPUT_DEFAULT] = '\0';
	/* exactly at the cap: accepted */
	snprintf(want, sizeof(want), "(|(mail=%s)(uid=%s))", longin, longin);
	expect_anr(&openldap, true, longin, want);
	longin[LB_ANR_MAX_INPUT_DEFAULT] = 'a';
	longin[LB_ANR_MAX_INPUT_DEFAULT + 1] = '\0';
	expect_anr_fails(&openldap, false, longin, LB_E_INVALID, "exceeds");
	expect_anr_fails(&openldap, true, longin, LB_E_INVALID, "exceeds");
	expect_anr_fails(&small, false, "abcde", LB_E_INVALID, "exceeds");
	expect_anr(&small, false, "  abcd  ", W("abcd"));
	expect_anr_fails(&openldap, false, "bad\xff", LB_E_INVALID, "UTF-8");
	expect_anr_fails(&openldap, false, "\xed\xa0\x80", LB_E_INVALID, "UTF-8");
	strcpy(words, "a b c d e f g h i");   /* 9 words */
	expect_anr_fails(&openldap, false, words, LB_E_INVALID, "words");
	expect_anr_fails(&openldap, false, NULL, LB_E_INVALID, NULL);
	assert_int_equal(lb_anr_build(NULL, "x", NULL, NULL), LB_E_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_word),
		cmocka_unit_test(test_first_last),
		cmocka_unit_test(test_last_comma_first),
		cmocka_unit_test(test_many_words),
		cmocka_unit_test(test_injection_is_escaped),
		cmocka_unit_test(test_unicode_inputs),
		cmocka_unit_test(test_email_looking),
		cmocka_unit_test(test_active_directory),
		cmocka_unit_test(test_base_and_custom_attributes),
		cmocka_unit_test(test_exact_mode),
		cmocka_unit_test(test_empty_blank_long_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
