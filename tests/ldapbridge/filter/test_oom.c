/*
 * test_oom.c - fail the Nth allocation of each operation on purpose and
 * check it reports LB_E_NOMEM (or copes), leaves outputs alone and leaks
 * nothing (ASan).  malloc/calloc/realloc/strdup are wrapped at link time;
 * libldap's own allocations are not (it is a shared library).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ldapbridge/lb_filter.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long fail_at = -1;   /* index of the allocation to fail; -1: none */
static long calls;
static bool injected;

static bool should_fail(void)
{
	if (fail_at >= 0 && calls++ == fail_at) {
		injected = true;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return should_fail() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return should_fail() ? NULL : __real_strdup(s); }

typedef lb_err (*op_fn)(char **out);

/* Run op failing allocation 0, 1, 2, ... until it runs without a failure. */
static void walk(op_fn op)
{
	for (long n = 0; n < 10000; n++) {
		char *out = NULL;
		lb_err rc;

		fail_at = n;
		calls = 0;
		injected = false;
		rc = op(&out);
		fail_at = -1;
		if (!injected) {
			assert_int_equal(rc, LB_OK);
			free(out);
			return;
		}
		if (rc == LB_OK) {
			/* a tolerated failure (e.g. a shrinking realloc) */
			free(out);
		} else {
			assert_int_equal(rc, LB_E_NOMEM);
			assert_null(out);
		}
	}
	fail_msg("operation never completed");
}

/* Render f when rc is LB_OK; always free f.  (Call with f already built:
 * argument evaluation order is unspecified.) */
static lb_err render_and_free(lb_err rc, lb_filter *f, char **out)
{
	if (rc == LB_OK)
		rc = lb_filter_render(f, out, NULL);
	lb_filter_free(f);
	return rc;
}

static lb_err op_anr(char **out)
{
	struct lb_anr_config cfg = { .base_filter = "(objectClass=inetOrgPerson)" };
	lb_filter *f = NULL;
	lb_err rc = lb_anr_build(&cfg, "van Dyke, Anna", &f, NULL);

	return render_and_free(rc, f, out);
}

static lb_err op_anr_ad_exact(char **out)
{
	struct lb_anr_config cfg = { .active_directory = true };
	lb_filter *f = NULL;
	lb_err rc = lb_anr_build(&cfg, "a@b c", &f, NULL);

	lb_filter_free(f);
	f = NULL;
	if (rc != LB_OK)
		return rc;
	rc = lb_anr_build_exact(&cfg, "a@b", &f, NULL);
	return render_and_free(rc, f, out);
}

static lb_err op_tree(char **out)
{
	struct lb_filter_value any[2] = { { "b", 1 }, { "c", 1 } };
	lb_filter *list = NULL, *leaf = NULL, *res = NULL;
	lb_err rc = lb_filter_list(LB_FILTER_OR, &list, NULL);

	if (rc == LB_OK && (rc = lb_filter_substr("cn", "a", 1, any, 2, "d", 1, &leaf, NULL)) == LB_OK)
		rc = lb_filter_add(list, leaf, NULL);
	if (rc == LB_OK && (rc = lb_filter_present("mail", &leaf, NULL)) == LB_OK)
		rc = lb_filter_add(list, leaf, NULL);
	if (rc == LB_OK) {
		rc = lb_filter_not(list, &res, NULL);
		list = NULL;
	}
	if (rc == LB_OK) {
		rc = lb_filter_with_base("(o=x)", res, &res, NULL);
		if (rc != LB_OK)
			res = NULL;   /* consumed */
	}
	lb_filter_free(list);
	return render_and_free(rc, res, out);
}

static lb_err op_dn_normalize(char **out)
{
	return lb_dn_normalize("UID=x+CN=Smith\\, J,OU=People,DC=example,DC=com", out, NULL);
}

static lb_err op_dn_compare(char **out)
{
	bool eq = false;
	lb_err rc = lb_dn_equal("cn=a+uid=b,dc=x", "UID=b+CN=A,DC=X", &eq, NULL);

	if (rc == LB_OK)
		rc = lb_dn_is_descendant("cn=a,dc=x", "dc=x", &eq, NULL);
	if (rc == LB_OK)
		rc = lb_dn_rdn_value("cn=a\\FF,dc=x", out, NULL);
	return rc;
}

static lb_err op_sanitize(char **out)
{
	return lb_utf8_sanitize("ok\xff\xe2\x82", 5, out, NULL, NULL);
}

static lb_err op_escape(char **out)
{
	return lb_filter_escape_dup("*)(x", LB_NTS, out, NULL);
}

static void test_oom_anr(void **state) { (void)state; walk(op_anr); walk(op_anr_ad_exact); }
static void test_oom_tree(void **state) { (void)state; walk(op_tree); }
static void test_oom_dn(void **state) { (void)state; walk(op_dn_normalize); walk(op_dn_compare); }
static void test_oom_strings(void **state) { (void)state; walk(op_sanitize); walk(op_escape); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oom_anr),
		cmocka_unit_test(test_oom_tree),
		cmocka_unit_test(test_oom_dn),
		cmocka_unit_test(test_oom_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
