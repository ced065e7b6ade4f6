/* test_dn.c - DN normalisation and comparison through libldap's parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

static void expect_norm(const char *in, const char *want)
{
	char *out = NULL;
	struct lb_error err;

	if (lb_dn_normalize(in, &out, &err) != LB_OK)
		fail_msg("normalise \"%s\": %s", in, err.message);
	assert_string_equal(out, want);
	free(out);
}

static void expect_equal(const char *a, const char *b, bool want)
{
	bool eq = !want;

	assert_int_equal(lb_dn_equal(a, b, &eq, NULL), LB_OK);
	if (eq != want)
		fail_msg("lb_dn_equal(\"%s\", \"%s\") = %d", a, b, eq);
}

static void test_normalize(void **state)
{
	(void)state;
	expect_norm("CN=John Smith, OU=People,DC=Example,DC=COM",
	            "cn=john smith,ou=people,dc=example,dc=com");
	expect_norm("cn=Smith\\, John,dc=x", "cn=smith\\2C john,dc=x");
	expect_norm("uid=JS+cn=Smith,dc=x", "cn=smith+uid=js,dc=x");
	expect_norm("2.5.4.3=Foo,0.9.2342.19200300.100.1.25=X", "cn=foo,dc=x");
	expect_norm("commonName=A,domainComponent=B", "cn=a,dc=b");
	expect_norm("cn=  padded  ,dc=x", "cn=padded,dc=x");
	expect_norm("", "");
	/* unknown attributes keep value case; types are lowercased */
	expect_norm("employeeNumber=AbC,dc=x", "employeenumber=AbC,dc=x");
	/* non-ASCII kept as is */
	expect_norm("cn=Ren\xc3\xa9,dc=x", "cn=ren\xc3\xa9,dc=x");
}

static void test_equal(void **state)
{
	(void)state;
	expect_equal("cn=John Smith,ou=People,dc=example,dc=com",
	             "CN=john smith, ou=PEOPLE , DC=Example,dc=COM", true);
	expect_equal("cn=a\\,b,dc=x", "cn=a\\2Cb,dc=x", true);
	expect_equal("cn=a\\,b,dc=x", "cn=a,cn=b,dc=x", false);
	expect_equal("cn=a+uid=b,dc=x", "UID=B+CN=A,dc=x", true);
	expect_equal("cn=a+uid=b,dc=x", "cn=a,dc=x", false);
	expect_equal("cn=a,dc=x", "cn=a,dc=y", false);
	expect_equal("employeeNumber=Ab,dc=x", "employeenumber=ab,dc=x", false);
	expect_equal("cn=Ren\xc3\xa9,dc=x", "cn=REN\xc3\xa9,dc=x", true);
	expect_equal("", "", true);
	expect_equal("dc=x", "", false);
}

static void test_descendant(void **state)
{
	bool r = false;

	(void)state;
	assert_int_equal(lb_dn_is_descendant("cn=a,ou=People,dc=example,dc=com",
	                                     "DC=Example, DC=Com", &r, NULL), LB_OK);
	assert_true(r);
	assert_int_equal(lb_dn_is_descendant("dc=example,dc=com", "dc=example,dc=com", &r, NULL), LB_OK);
	assert_true(r);
	assert_int_equal(lb_dn_is_descendant("dc=com", "dc=example,dc=com", &r, NULL), LB_OK);
	assert_false(r);
	/* an escaped comma does not make a new RDN */
	assert_int_equal(lb_dn_is_descendant("cn=a\\,dc=com", "dc=com", &r, NULL), LB_OK);
	assert_false(r);
	assert_int_equal(lb_dn_is_descendant("cn=x,dc=notexample,dc=com", "dc=example,dc=com", &r, NULL), LB_OK);
	assert_false(r);
	assert_int_equal(lb_dn_is_descendant("cn=x", "", &r, NULL), LB_OK);
	assert_true(r);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = { "bogus", "cn", "cn=a,,dc=x", "=a", "cn=a,", "cn=a\\", "cn=a+", "1cn=x" };
	char *out = NULL;
	bool eq;
	struct lb_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lb_dn_normalize(bad[i], &out, &err) != LB_E_INVALID)
			fail_msg("\"%s\" accepted as a DN", bad[i]);
		assert_int_equal(err.code, LB_E_INVALID);
		assert_int_equal(lb_dn_equal(bad[i], "dc=x", &eq, NULL), LB_E_INVALID);
		assert_int_equal(lb_dn_equal("dc=x", bad[i], &eq, NULL), LB_E_INVALID);
		assert_int_equal(lb_dn_is_descendant(bad[i], "", &eq, NULL), LB_E_INVALID);
		assert_int_equal(lb_dn_rdn_value(bad[i], &out, NULL), LB_E_INVALID);
	}
	assert_null(out);
	assert_int_equal(lb_dn_normalize(NULL, &out, NULL), LB_E_INVALID);
	assert_int_equal(lb_dn_equal(NULL, "", &eq, NULL), LB_E_INVALID);
	assert_int_equal(lb_dn_equal("", "", NULL, NULL), LB_E_INVALID);
	assert_int_equal(lb_dn_rdn_value("", &out, &err), LB_E_INVALID);
}

static void test_rdn_value(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(lb_dn_rdn_value("cn=Smith\\, J,ou=x", &out, NULL), LB_OK);
	assert_string_equal(out, "Smith, J");
	free(out);
	assert_int_equal(lb_dn_rdn_value("uid=jdoe+cn=John,dc=x", &out, NULL), LB_OK);
	assert_string_equal(out, "jdoe");
	free(out);
	assert_int_equal(lb_dn_rdn_value("CN=Ren\xc3\xa9 Dupont,dc=x", &out, NULL), LB_OK);
	assert_string_equal(out, "Ren\xc3\xa9 Dupont");
	free(out);
	/* an escaped invalid byte comes back as U+FFFD */
	assert_int_equal(lb_dn_rdn_value("cn=a\\FFb,dc=x", &out, NULL), LB_OK);
	assert_true(lb_utf8_valid(out, strlen(out)));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_descendant),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_rdn_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
