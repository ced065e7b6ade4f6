/* test_filter.c - filter trees: every node type, nesting, limits, base filters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>
#include "filter_check.h"

/* Render f, compare with want, check the text independently, free f. */
static void expect_render(lb_filter *f, const char *want)
{
	char *s = NULL;

	assert_non_null(f);
	assert_int_equal(lb_filter_render(f, &s, NULL), LB_OK);
	assert_string_equal(s, want);
	assert_true(lbf_filter_ok(s, strlen(s)));
	free(s);
	lb_filter_free(f);
}

static void test_leaf_nodes(void **state)
{
	lb_filter *f = NULL;
	struct lb_filter_value any[3] = { { "b", 1 }, { "", 0 }, { "c)", LB_NTS } };

	(void)state;
	assert_int_equal(lb_filter_eq("cn", "John (Jr)", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(cn=John \\28Jr\\29)");
	assert_int_equal(lb_filter_cmp(LB_FILTER_GE, "createTimestamp", "2024", 4, &f, NULL), LB_OK);
	expect_render(f, "(createTimestamp>=2024)");
	assert_int_equal(lb_filter_cmp(LB_FILTER_LE, "uidNumber", "100", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(uidNumber<=100)");
	assert_int_equal(lb_filter_cmp(LB_FILTER_APPROX, "sn", "smyth", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(sn~=smyth)");
	assert_int_equal(lb_filter_eq("cn", "", 0, &f, NULL), LB_OK);
	expect_render(f, "(cn=)");
	assert_int_equal(lb_filter_eq("userCertificate;binary", "\0\x01\xff", 3, &f, NULL), LB_OK);
	expect_render(f, "(userCertificate;binary=\\00\\01\\ff)");
	assert_int_equal(lb_filter_present("mail", &f, NULL), LB_OK);
	expect_render(f, "(mail=*)");
	assert_int_equal(lb_filter_prefix("cn", "Jo*", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(cn=Jo\\2a*)");
	assert_int_equal(lb_filter_contains("cn", "oh", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(cn=*oh*)");
	assert_int_equal(lb_filter_substr("cn", "a", LB_NTS, any, 3, "d\\", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(cn=a*b*c\\29*d\\5c)");
	assert_int_equal(lb_filter_substr("cn", NULL, 0, NULL, 0, "end", LB_NTS, &f, NULL), LB_OK);
	expect_render(f, "(cn=*end)");
	assert_int_equal(lb_filter_substr("2.5.4.3", "x", 1, NULL, 0, "", 0, &f, NULL), LB_OK);
	expect_render(f, "(2.5.4.3=x*)");
}

static void test_lists_and_nesting(void **state)
{
	lb_filter *and_ = NULL, *or_ = NULL, *leaf = NULL, *not_ = NULL;

	(void)state;
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &or_, NULL), LB_OK);
	assert_int_equal(lb_filter_eq("uid", "a", 1, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(or_, leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_present("mail", &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(or_, leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_not(or_, &not_, NULL), LB_OK);
	assert_int_equal(lb_filter_list(LB_FILTER_AND, &and_, NULL), LB_OK);
	assert_int_equal(lb_filter_eq("objectClass", "person", LB_NTS, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(and_, leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(and_, not_, NULL), LB_OK);
	expect_render(and_, "(&(objectClass=person)(!(|(uid=a)(mail=*))))");

	assert_int_equal(lb_filter_list(LB_FILTER_AND, &and_, NULL), LB_OK);
	expect_render(and_, "(&)");
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &or_, NULL), LB_OK);
	expect_render(or_, "(|)");
}

static void test_bad_attributes_rejected(void **state)
{
	static const char *const bad[] = { "cn=*)(uid", "", "c n", "1x", "cn;", "(cn", "cn)" };
	lb_filter *f = NULL;
	struct lb_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(lb_filter_eq(bad[i], "v", 1, &f, &err), LB_E_FILTER);
		assert_int_equal(err.code, LB_E_FILTER);
		assert_non_null(strstr(err.message, "attribute description"));
		assert_int_equal(lb_filter_present(bad[i], &f, NULL), LB_E_FILTER);
		assert_int_equal(lb_filter_prefix(bad[i], "v", 1, &f, NULL), LB_E_FILTER);
	}
	assert_null(f);
}

static void test_argument_errors(void **state)
{
	lb_filter *f = NULL, *leaf = NULL, *list = NULL, *outer = NULL;
	struct lb_error err;
	char *s = NULL;
	char *big = calloc(1, LB_FILTER_MAX_VALUE + 2);

	(void)state;
	assert_non_null(big);
	assert_int_equal(lb_filter_eq(NULL, "v", 1, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_eq("cn", NULL, 1, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_eq("cn", "v", 1, NULL, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_cmp((lb_filter_op)99, "cn", "v", 1, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_list((lb_filter_list_op)7, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_substr("cn", NULL, 0, NULL, 0, NULL, 0, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_prefix("cn", "", 0, &f, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_render(NULL, &s, &err), LB_E_INVALID);
	memset(big, 'a', LB_FILTER_MAX_VALUE + 1);
	assert_int_equal(lb_filter_eq("cn", big, LB_NTS, &f, &err), LB_E_FILTER);
	assert_non_null(strstr(err.message, "exceeds"));
	assert_int_equal(lb_filter_eq("cn", big, LB_FILTER_MAX_VALUE, &f, &err), LB_OK);
	lb_filter_free(f);
	f = NULL;
	free(big);
	/* add to a non-list consumes the child (ASan would report a leak) */
	assert_int_equal(lb_filter_present("cn", &f, NULL), LB_OK);
	assert_int_equal(lb_filter_present("sn", &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(f, leaf, &err), LB_E_INVALID);
	lb_filter_free(f);
	/* attached children cannot be re-attached; attached parents not extended */
	assert_int_equal(lb_filter_list(LB_FILTER_AND, &list, NULL), LB_OK);
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &outer, NULL), LB_OK);
	assert_int_equal(lb_filter_present("cn", &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(list, leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(outer, list, NULL), LB_OK);
	assert_int_equal(lb_filter_add(outer, leaf, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_present("sn", &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(list, leaf, &err), LB_E_INVALID);
	assert_int_equal(lb_filter_add(outer, outer, &err), LB_E_INVALID);
	expect_render(outer, "(|(&(cn=*)))");
}

static void test_depth_limit(void **state)
{
	lb_filter *f = NULL, *n = NULL;
	struct lb_error err;
	int levels = 1;

	(void)state;
	assert_int_equal(lb_filter_present("cn", &f, NULL), LB_OK);
	for (;;) {
		lb_err rc = lb_filter_not(f, &n, &err);

		if (rc != LB_OK) {
			assert_int_equal(rc, LB_E_FILTER);
			assert_non_null(strstr(err.message, "nesting"));
			break;   /* f was consumed */
		}
		f = n;
		levels++;
		assert_true(levels <= LB_FILTER_MAX_DEPTH);
	}
	assert_int_equal(levels, LB_FILTER_MAX_DEPTH);
}

static void test_node_limit(void **state)
{
	lb_filter *list = NULL, *leaf = NULL;
	struct lb_error err;
	lb_err rc = LB_OK;
	int added = 0;

	(void)state;
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &list, NULL), LB_OK);
	while (rc == LB_OK) {
		assert_int_equal(lb_filter_present("cn", &leaf, NULL), LB_OK);
		rc = lb_filter_add(list, leaf, &err);
		if (rc == LB_OK)
			added++;
	}
	assert_int_equal(rc, LB_E_FILTER);
	assert_int_equal(added, LB_FILTER_MAX_NODES - 1);
	lb_filter_free(list);
}

static void test_render_size_limit(void **state)
{
	lb_filter *list = NULL, *leaf = NULL;
	char *val = malloc(LB_FILTER_MAX_VALUE);
	char *s = NULL;
	struct lb_error err;

	(void)state;
	assert_non_null(val);
	memset(val, '*', LB_FILTER_MAX_VALUE);   /* 3x on escaping */
	assert_int_equal(lb_filter_list(LB_FILTER_OR, &list, NULL), LB_OK);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(lb_filter_eq("cn", val, LB_FILTER_MAX_VALUE, &leaf, NULL), LB_OK);
		assert_int_equal(lb_filter_add(list, leaf, NULL), LB_OK);
	}
	assert_int_equal(lb_filter_render(list, &s, &err), LB_E_FILTER);
	assert_null(s);
	assert_non_null(strstr(err.message, "limit"));
	lb_filter_free(list);
	free(val);
}

static void test_raw_and_base(void **state)
{
	lb_filter *f = NULL, *leaf = NULL;
	struct lb_error err;

	(void)state;
	assert_int_equal(lb_filter_raw("(objectClass=inetOrgPerson)", &f, NULL), LB_OK);
	expect_render(f, "(objectClass=inetOrgPerson)");
	assert_int_equal(lb_filter_raw("  objectClass=person ", &f, NULL), LB_OK);
	expect_render(f, "(objectClass=person)");
	assert_int_equal(lb_filter_raw("(objectClass=person", &f, &err), LB_E_FILTER);
	assert_int_equal(err.step, LB_STEP_CONFIG);
	assert_non_null(strstr(err.message, "byte"));
	assert_int_equal(lb_filter_raw("", &f, &err), LB_E_FILTER);

	assert_int_equal(lb_filter_eq("uid", "x", 1, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("(objectClass=person)", leaf, &f, NULL), LB_OK);
	expect_render(f, "(&(objectClass=person)(uid=x))");
	assert_int_equal(lb_filter_eq("uid", "x", 1, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base(NULL, leaf, &f, NULL), LB_OK);
	expect_render(f, "(uid=x)");
	assert_int_equal(lb_filter_eq("uid", "x", 1, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("  ", leaf, &f, NULL), LB_OK);
	expect_render(f, "(uid=x)");
	/* an AND is flattened */
	assert_int_equal(lb_filter_list(LB_FILTER_AND, &f, NULL), LB_OK);
	assert_int_equal(lb_filter_eq("uid", "x", 1, &leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_add(f, leaf, NULL), LB_OK);
	assert_int_equal(lb_filter_with_base("(o=x)", f, &f, NULL), LB_OK);
	expect_render(f, "(&(o=x)(uid=x))");
	/* a bad base consumes the filter and fails */
	assert_int_equal(lb_filter_eq("uid", "x", 1, &leaf, NULL), LB_OK);
	f = NULL;
	assert_int_equal(lb_filter_with_base("(o=x))(|(uid=*)", leaf, &f, &err), LB_E_FILTER);
	assert_null(f);
}

struct vcase {
	const char *text;
	bool ok;
};

static const struct vcase vcases[] = {
	{ "(cn=x)", true }, { "(cn=)", true }, { "(cn=*)", true }, { "(cn=a*b*c)", true },
	{ "(cn=*a*)", true }, { "(cn=\\2a)", true }, { "(cn=\\2A)", true },
	{ "(&(a=1)(|(b=2)(!(c=3))))", true }, { "(&)", true }, { "(|)", true },
	{ "(cn>=a)", true }, { "(cn<=a)", true }, { "(cn~=a)", true },
	{ "(cn:caseExactMatch:=Fred)", true }, { "(cn:dn:2.5.13.5:=x)", true },
	{ "(:dn:2.4.6.8.10:=Dino)", true }, { "(:caseIgnoreMatch:=x)", true },
	{ "(cn:=x)", true }, { "(userCertificate;binary=\\00)", true },
	{ "(cn=caf\xc3\xa9)", true }, { "(cn=a|&!=b)", true },
	{ "", false }, { "cn=x", false }, { "(cn=x", false }, { "cn=x)", false },
	{ "(cn=x))", false }, { "(cn=x)(sn=y)", false }, { "((cn=x))", false },
	{ "(cn=(x)", false }, { "(cn=\\2)", false }, { "(cn=\\zz)", false },
	{ "(cn=a\\)", false }, { "(cn=**)", false }, { "(cn>=a*)", false },
	{ "(cn~=*)", false }, { "(=x)", false }, { "(c n=x)", false },
	{ "(cn)", false }, { "(!)", false }, { "(!(a=1)(b=2))", false },
	{ "(&(a=1)x)", false }, { "(:dn:=x)", false }, { "(cn:rule;x:=y)", false },
	{ "(cn=\xff)", false }, { "(cn=x) ", false }, { "(cn:x)", false },
};

static void test_validate_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		lb_err rc = lb_filter_validate(vcases[i].text, strlen(vcases[i].text), NULL);

		if ((rc == LB_OK) != vcases[i].ok)
			fail_msg("validate(\"%s\") gave %d", vcases[i].text, (int)rc);
	}
	assert_int_equal(lb_filter_validate("(a=\0)", 5, NULL), LB_E_FILTER);
	assert_int_equal(lb_filter_validate(NULL, 0, NULL), LB_E_INVALID);
}

/* "(!(!...(a=1)...))" with nots NOT nodes: nots + 1 levels. */
static size_t nested_nots(char *text, int nots)
{
	size_t n = 0;

	for (int i = 0; i < nots; i++) {
		memcpy(text + n, "(!", 2);
		n += 2;
	}
	memcpy(text + n, "(a=1)", 5);
	n += 5;
	for (int i = 0; i < nots; i++)
		text[n++] = ')';
	return n;
}

static void test_validate_depth(void **state)
{
	char text[4 * (LB_FILTER_MAX_DEPTH + 2) + 16];
	size_t n;

	(void)state;
	n = nested_nots(text, LB_FILTER_MAX_DEPTH - 1);   /* exactly the limit */
	assert_int_equal(lb_filter_validate(text, n, NULL), LB_OK);
	n = nested_nots(text, LB_FILTER_MAX_DEPTH);
	assert_int_equal(lb_filter_validate(text, n, NULL), LB_E_FILTER);
}

/* The independent checker used on every rendered filter must itself refuse junk. */
static void test_checker_refuses_junk(void **state)
{
	static const char *const junk[] = {
		"(cn=x", "(cn=x))", "(cn=x)(sn=y)", "cn=x", "(cn=\\zz)", "(cn=(x))", "()",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		assert_false(lbf_filter_ok(junk[i], strlen(junk[i])));
	assert_true(lbf_filter_ok("(&(cn=a*b)(!(sn=\\2a)))", strlen("(&(cn=a*b)(!(sn=\\2a)))")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_nodes),
		cmocka_unit_test(test_lists_and_nesting),
		cmocka_unit_test(test_bad_attributes_rejected),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_node_limit),
		cmocka_unit_test(test_render_size_limit),
		cmocka_unit_test(test_raw_and_base),
		cmocka_unit_test(test_validate_table),
		cmocka_unit_test(test_validate_depth),
		cmocka_unit_test(test_checker_refuses_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
