/*
 * test_lb_samba.c - ldapbridge against a real Active Directory: the Samba
 * AD DC of the samba_ad fixture (tests/samba/samba-ctl), populated by
 * tests/samba/gen-population.py.
 *
 * One binary; argv[1] selects the cmocka tests to run (a glob), so CTest can
 * list every behaviour as its own test.  Spec rules (CT-9 ANR, TB-19 paging,
 * EK-2 stable locators, LC-17 bind failures) are cited where a test proves
 * one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ldap.h>

#include <ldapbridge/lb.h>

#include "samba_env.h"

#define env samba_env

static void base_cfg(struct lb_config *c, const char *uris)
{
	lb_config_init(c);
	c->uris = uris;
	c->tls_ca_file = env("LDAPAB_AD_CA");
	c->connect_timeout_ms = 5000;
	c->op_timeout_ms = 15000;
}

/* The reader over LDAPS, bound by its user principal name. */
static void reader_cfg(struct lb_config *c)
{
	base_cfg(c, env("LDAPAB_AD_LDAPS_URI"));
	c->bind_method = LB_BIND_SIMPLE;
	c->bind_dn = env("LDAPAB_AD_READER_UPN");
	c->password = env("LDAPAB_AD_READER_PW");
}

static lb_conn *open_ok(const struct lb_config *c)
{
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_err rc = lb_conn_open(c, &conn, &err);

	if (rc != LB_OK)
		fail_msg("lb_conn_open: %s: %s", lb_err_name(rc), err.message);
	return conn;
}

static lb_result *search_attrs(lb_conn *conn, const char *base, enum lb_scope scope,
			       const char *filter, const char *const *attrs)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	lb_err rc;

	lb_search_params_init(&p);
	p.base = base;
	p.scope = scope;
	p.filter = filter;
	p.attrs = attrs;
	rc = lb_search(conn, &p, &res, &err);
	if (rc != LB_OK)
		fail_msg("lb_search(%s, %s): %s: %s", base, filter, lb_err_name(rc), err.message);
	return res;
}

/* One search for Ada Lindqvist (the first person of the data set). */
static void expect_ada(lb_conn *conn)
{
	static const char *const attrs[] = { "displayName", "mail", NULL };
	lb_result *res = search_attrs(conn, env("LDAPAB_AD_BASE"), LB_SCOPE_SUB,
				      "(sAMAccountName=ada.lindqvist)", attrs);
	const struct lb_value *v;

	assert_int_equal(lb_result_count(res), 1);
	v = lb_entry_value(lb_result_entry(res, 0), "displayName");
	assert_non_null(v);
	assert_string_equal(v->data, "Ada Lindqvist");
	lb_result_free(res);
}

/* The failure of a connection that should not come up. */
static lb_err check_fails(const struct lb_config *c, struct lb_error *err)
{
	lb_conn *conn = open_ok(c);
	lb_err rc = lb_conn_check(conn, err);

	lb_conn_close(conn);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Root DSE                                                                 */

static void rootdse_says_active_directory(void **state)
{
	struct lb_config c;
	struct lb_error err;
	struct lb_rootdse *dse = NULL;
	lb_conn *conn;
	lb_err rc;

	base_cfg(&c, env("LDAPAB_AD_URI"));   /* anonymous: AD allows the root DSE */
	conn = open_ok(&c);
	rc = lb_conn_rootdse(conn, &dse, &err);
	if (rc != LB_OK)
		fail_msg("lb_conn_rootdse: %s", err.message);
	assert_true(dse->is_active_directory);
	assert_true(dse->uuid_attrs & LB_UUID_OBJECTGUID);
	assert_true(dse->controls & LB_CTRL_PAGED);
	assert_true(dse->controls & LB_CTRL_SORT);
	assert_non_null(dse->default_naming_context);
	assert_string_equal(dse->default_naming_context, env("LDAPAB_AD_BASE"));
	lb_rootdse_free(dse);
	lb_conn_close(conn);
}

/* ------------------------------------------------------------------------ */
/* Binds                                                                    */

static void simple_bind_by_upn_over_starttls(void **state)
{
	struct lb_config c;
	lb_conn *conn;
	char srv[256];

	base_cfg(&c, env("LDAPAB_AD_URI"));
	c.tls_mode = LB_TLS_STARTTLS;
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = env("LDAPAB_AD_READER_UPN");
	c.password = env("LDAPAB_AD_READER_PW");
	conn = open_ok(&c);
	expect_ada(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, env("LDAPAB_AD_URI"));
	lb_conn_close(conn);
}

static void simple_bind_by_domain_user_over_ldaps(void **state)
{
	struct lb_config c;
	char who[128];
	lb_conn *conn;

	snprintf(who, sizeof(who), "%s\\%s", env("LDAPAB_AD_DOMAIN"),
		 env("LDAPAB_AD_READER_SAM"));
	base_cfg(&c, env("LDAPAB_AD_LDAPS_URI"));
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = who;
	c.password = env("LDAPAB_AD_READER_PW");
	conn = open_ok(&c);
	expect_ada(conn);
	lb_conn_close(conn);
}

static void simple_bind_by_dn_over_ldaps(void **state)
{
	struct lb_config c;
	lb_conn *conn;

	base_cfg(&c, env("LDAPAB_AD_LDAPS_URI"));
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = env("LDAPAB_AD_READER_DN");
	c.password = env("LDAPAB_AD_READER_PW");
	conn = open_ok(&c);
	expect_ada(conn);
	lb_conn_close(conn);
}

/* The DC's certificate is checked against its CA: another CA is refused. */
static void ldaps_with_a_foreign_ca_is_refused(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_err rc;

	reader_cfg(&c);
	c.tls_ca_file = env("LDAPAB_AD_OTHER_CA");
	rc = check_fails(&c, &err);
	assert_int_equal(rc, LB_E_TLS);
	assert_non_null(strstr(err.message, env("LDAPAB_AD_OTHER_CA")));
}

static void wrong_password_is_actionable(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_err rc;

	reader_cfg(&c);
	c.password = "not-the-password";
	rc = check_fails(&c, &err);
	assert_int_equal(rc, LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_int_equal(err.ldap_code, LDAP_INVALID_CREDENTIALS);
	/* who, where, and what AD's sub-code means */
	assert_non_null(strstr(err.message, env("LDAPAB_AD_READER_UPN")));
	assert_non_null(strstr(err.message, env("LDAPAB_AD_LDAPS_URI")));
	assert_non_null(strstr(err.message, "wrong password"));
	assert_null(strstr(err.message, "not-the-password"));
}

static void disabled_account_is_actionable(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_err rc;

	base_cfg(&c, env("LDAPAB_AD_LDAPS_URI"));
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = env("LDAPAB_AD_DISABLED_UPN");
	c.password = env("LDAPAB_AD_DISABLED_PW");
	rc = check_fails(&c, &err);
	assert_int_equal(rc, LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_non_null(strstr(err.message, env("LDAPAB_AD_DISABLED_UPN")));
	assert_non_null(strstr(err.message, "account is disabled"));
}

/* AD answers an anonymous search with operationsError "00002020: Operation
 * unavailable without authentication": that is "this directory needs a
 * bind" (LB_E_AUTH at the search step, which the provider reports as a
 * logon failure, LC-17), never an internal error. */
static void anonymous_search_needs_a_bind(void **state)
{
	struct lb_config c;
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_err rc;

	base_cfg(&c, env("LDAPAB_AD_URI"));
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK); /* the root DSE is public */
	lb_search_params_init(&p);
	p.base = env("LDAPAB_AD_PEOPLE_BASE");
	p.filter = "(sAMAccountName=ada.lindqvist)";
	rc = lb_search(conn, &p, &res, &err);
	assert_int_equal(rc, LB_E_AUTH);
	assert_null(res);
	assert_int_equal(err.code, LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_SEARCH);
	assert_int_equal(err.ldap_code, LDAP_OPERATIONS_ERROR);
	assert_non_null(strstr(err.message, "needs a bind"));
	assert_non_null(strstr(err.message, env("LDAPAB_AD_URI")));
	/* The same through VLV browsing. */
	{
		struct lb_vlv_params vp;
		struct lb_sort_key key = { "displayName", NULL, false };
		struct lb_vlv_target t = { false, 1, 0, NULL };
		struct lb_vlv_pos pos;
		lb_vlv *vlv = NULL;

		lb_vlv_params_init(&vp);
		vp.base = env("LDAPAB_AD_PEOPLE_BASE");
		vp.sort = &key;
		vp.n_sort = 1;
		assert_int_equal(lb_vlv_open(conn, &vp, &vlv, &err), LB_OK);
		rc = lb_vlv_window(vlv, 0, 10, &t, &res, &pos, &err);
		assert_int_equal(rc, LB_E_AUTH);
		assert_null(res);
		assert_non_null(strstr(err.message, "needs a bind"));
		lb_vlv_close(vlv);
	}
	lb_conn_close(conn);
}

/* Run kinit for principal with password into the credential cache ccache
 * (a private file), using the fixture's krb5.conf. */
static void kinit(const char *principal, const char *password, const char *ccache)
{
	char cmd[1024];
	FILE *p;

	assert_int_equal(setenv("KRB5_CONFIG", env("LDAPAB_AD_KRB5_CONFIG"), 1), 0);
	assert_int_equal(setenv("KRB5CCNAME", ccache, 1), 0);
	snprintf(cmd, sizeof(cmd), "kinit '%s' >/dev/null", principal);
	p = popen(cmd, "w");
	assert_non_null(p);
	fprintf(p, "%s\n", password);
	if (pclose(p) != 0)
		fail_msg("kinit %s failed (KRB5_CONFIG=%s)", principal, env("LDAPAB_AD_KRB5_CONFIG"));
}

/* SASL GSSAPI with a real ticket from the DC's KDC: no password reaches
 * ldapbridge; the bind is proved by a search AD refuses anonymously. */
static void gssapi_bind_with_kerberos_ticket(void **state)
{
	struct lb_config c;
	char ccache[512], principal[128];
	lb_conn *conn;

	snprintf(ccache, sizeof(ccache), "FILE:%s/ccache-gssapi-%ld", env("LDAPAB_AD_RUNDIR"),
		 (long)getpid());
	snprintf(principal, sizeof(principal), "%s@%s", env("LDAPAB_AD_READER_SAM"),
		 env("LDAPAB_AD_REALM"));
	kinit(principal, env("LDAPAB_AD_READER_PW"), ccache);
	base_cfg(&c, env("LDAPAB_AD_URI"));
	c.bind_method = LB_BIND_SASL_GSSAPI;
	conn = open_ok(&c);
	expect_ada(conn);
	lb_conn_close(conn);
	unlink(ccache + strlen("FILE:"));
}

/* Without a ticket the GSSAPI bind fails with a message, not a crash. */
static void gssapi_without_ticket_says_so(void **state)
{
	struct lb_config c;
	struct lb_error err;
	char ccache[512];
	lb_err rc;

	snprintf(ccache, sizeof(ccache), "FILE:%s/ccache-empty-%ld", env("LDAPAB_AD_RUNDIR"),
		 (long)getpid());
	assert_int_equal(setenv("KRB5_CONFIG", env("LDAPAB_AD_KRB5_CONFIG"), 1), 0);
	assert_int_equal(setenv("KRB5CCNAME", ccache, 1), 0);
	base_cfg(&c, env("LDAPAB_AD_URI"));
	c.bind_method = LB_BIND_SASL_GSSAPI;
	rc = check_fails(&c, &err);
	assert_true(rc == LB_E_AUTH_METHOD || rc == LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_non_null(strstr(err.message, "GSSAPI"));
}

/* ------------------------------------------------------------------------ */
/* Paging (TB-19: a page boundary must never look like the end)             */

/* Warnings ldapbridge logged (a fallback from paging is one). */
struct log_capture {
	int warnings;
	char last[512];
};

static void capture_log(void *ctx, enum lb_log_level level, const char *msg)
{
	struct log_capture *cap = ctx;

	if (level >= LB_LOG_WARNING) {
		cap->warnings++;
		snprintf(cap->last, sizeof(cap->last), "%s", msg);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Samba sends the same paged-results cookie on every page.  Reading
 * OU=Bulk (the OU and its 1,650 people) must give every entry exactly once,
 * really paged (no fallback warning), whatever the page size, including
 * sizes that divide the total, exceed it and equal it. */
static void paged_read(int page_size)
{
	static const char *const attrs[] = { "displayName", NULL };
	struct log_capture cap = { 0, "" };
	struct lb_config c;
	lb_conn *conn;
	lb_result *res;
	size_t n, want = (size_t)atoi(env("LDAPAB_AD_BULK_COUNT")) + 1, people = 0;
	const char **dns;

	reader_cfg(&c);
	c.page_size = page_size;
	c.log = capture_log;
	c.log_ctx = &cap;
	conn = open_ok(&c);
	res = search_attrs(conn, env("LDAPAB_AD_BULK_BASE"), LB_SCOPE_SUB, NULL, attrs);
	n = lb_result_count(res);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_NONE);
	if (cap.warnings != 0)
		fail_msg("page size %d: %d warning(s), last: %s", page_size, cap.warnings, cap.last);
	if (n != want)
		fail_msg("page size %d: %zu entries, want %zu", page_size, n, want);
	dns = calloc(n, sizeof(*dns));
	assert_non_null(dns);
	for (size_t i = 0; i < n; i++) {
		const lb_entry *e = lb_result_entry(res, i);

		dns[i] = lb_entry_dn(e);
		people += lb_entry_value(e, "displayName") != NULL;
	}
	qsort(dns, n, sizeof(*dns), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (strcmp(dns[i - 1], dns[i]) == 0)
			fail_msg("page size %d: %s came twice", page_size, dns[i]);
	assert_int_equal(people, want - 1);
	free(dns);
	lb_result_free(res);
	lb_conn_close(conn);
}

static void paged_read_page_size_1(void **state) { paged_read(1); }
static void paged_read_page_size_250(void **state) { paged_read(250); }
static void paged_read_page_size_1000(void **state) { paged_read(1000); }
static void paged_read_page_size_1651(void **state) { paged_read(1651); }
static void paged_read_page_size_5000(void **state) { paged_read(5000); }

/* ------------------------------------------------------------------------ */
/* Ranged member (AD's MaxValRange: 1,500 values per range)                 */

/* Ask for member;range=0-1499 on "Bulk <n>": the values must come complete
 * (followed past the first range when there is one), once each. */
static void ranged_member(size_t n)
{
	static const char *const attrs[] = { "member;range=0-1499", NULL };
	char dn[256];
	lb_conn *conn;
	struct lb_config c;
	lb_result *res;
	const lb_entry *e;
	const struct lb_attr *a;
	unsigned char *seen;

	snprintf(dn, sizeof(dn), "CN=Bulk %zu,%s", n, env("LDAPAB_AD_GROUPS_BASE"));
	reader_cfg(&c);
	conn = open_ok(&c);
	res = search_attrs(conn, dn, LB_SCOPE_BASE, NULL, attrs);
	assert_int_equal(lb_result_count(res), 1);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_NONE);
	e = lb_result_entry(res, 0);
	a = lb_entry_find(e, "member");
	if (a == NULL)
		fail_msg("%s: no plain \"member\" attribute after following ranges", dn);
	assert_int_equal(a->n_values, n);
	seen = calloc(n, 1);
	assert_non_null(seen);
	for (size_t i = 0; i < a->n_values; i++) {
		unsigned k;
		int used = 0;

		if (sscanf(a->values[i].data, "CN=Bulk Person %4u,%n", &k, &used) != 1 ||
		    used == 0)
			fail_msg("unexpected member %s", a->values[i].data);
		assert_true(k < n);
		assert_int_equal(seen[k], 0);
		seen[k] = 1;
	}
	free(seen);
	lb_result_free(res);
	lb_conn_close(conn);
}

static void ranged_member_of_1499(void **state) { ranged_member(1499); }
static void ranged_member_of_1500(void **state) { ranged_member(1500); }
static void ranged_member_of_1501(void **state) { ranged_member(1501); }

/* ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rootdse_says_active_directory),
		cmocka_unit_test(simple_bind_by_upn_over_starttls),
		cmocka_unit_test(simple_bind_by_domain_user_over_ldaps),
		cmocka_unit_test(simple_bind_by_dn_over_ldaps),
		cmocka_unit_test(ldaps_with_a_foreign_ca_is_refused),
		cmocka_unit_test(wrong_password_is_actionable),
		cmocka_unit_test(disabled_account_is_actionable),
		cmocka_unit_test(anonymous_search_needs_a_bind),
		cmocka_unit_test(gssapi_bind_with_kerberos_ticket),
		cmocka_unit_test(gssapi_without_ticket_says_so),
		cmocka_unit_test(paged_read_page_size_1),
		cmocka_unit_test(paged_read_page_size_250),
		cmocka_unit_test(paged_read_page_size_1000),
		cmocka_unit_test(paged_read_page_size_1651),
		cmocka_unit_test(paged_read_page_size_5000),
		cmocka_unit_test(ranged_member_of_1499),
		cmocka_unit_test(ranged_member_of_1500),
		cmocka_unit_test(ranged_member_of_1501),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_samba", tests, NULL, NULL);
}
