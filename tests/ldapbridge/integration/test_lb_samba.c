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

#include "lb_it_util.h"

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

static lb_result *search_attrs(lb_conn *conn, const char *base, enum lb_scope scope,
			       const char *filter, const char *const *attrs)
{
	return lbt_search_ok(conn, base, scope, filter, attrs, LB_MODE_AUTO);
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
	lb_conn *conn = lbt_open_ok(c);
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
	conn = lbt_open_ok(&c);
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
	conn = lbt_open_ok(&c);
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
	conn = lbt_open_ok(&c);
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
	conn = lbt_open_ok(&c);
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

static void wrong_password_is_actionable_LC17(void **state)
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

static void disabled_account_is_actionable_LC17(void **state)
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
static void anonymous_search_needs_a_bind_LC17(void **state)
{
	struct lb_config c;
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_err rc;

	base_cfg(&c, env("LDAPAB_AD_URI"));
	conn = lbt_open_ok(&c);
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
	conn = lbt_open_ok(&c);
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
	conn = lbt_open_ok(&c);
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

static void paged_read_page_size_1_TB19(void **state) { paged_read(1); }
static void paged_read_page_size_250_TB19(void **state) { paged_read(250); }
static void paged_read_page_size_1000_TB19(void **state) { paged_read(1000); }
static void paged_read_page_size_1651_TB19(void **state) { paged_read(1651); }
static void paged_read_page_size_5000_TB19(void **state) { paged_read(5000); }

/* ------------------------------------------------------------------------ */
/* ANR on Active Directory (CT-9)                                           */

/* The display names lb_anr_build()'s AD filter finds for what a user typed,
 * sorted and joined with "|" ("" for none). */
static void anr_names(lb_conn *conn, const char *typed, char *out, size_t len)
{
	static const char *const attrs[] = { "displayName", NULL };
	struct lb_anr_config ac;
	struct lb_error err;
	lb_filter *f = NULL;
	char *text = NULL;
	lb_result *res;
	const char *names[64];
	size_t n, used = 0;

	memset(&ac, 0, sizeof(ac));
	ac.active_directory = true;
	if (lb_anr_build(&ac, typed, &f, &err) != LB_OK)
		fail_msg("lb_anr_build(%s): %s", typed, err.message);
	if (lb_filter_render(f, &text, &err) != LB_OK)
		fail_msg("lb_filter_render: %s", err.message);
	res = search_attrs(conn, env("LDAPAB_AD_BASE"), LB_SCOPE_SUB, text, attrs);
	n = lb_result_count(res);
	assert_true(n < 64);
	for (size_t i = 0; i < n; i++) {
		const struct lb_value *v = lb_entry_value(lb_result_entry(res, i), "displayName");

		names[i] = v ? v->data : "(no displayName)";
	}
	qsort(names, n, sizeof(*names), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s",
					 i ? "|" : "", names[i]);
	assert_true(used < len);
	lb_result_free(res);
	free(text);
	lb_filter_free(f);
}

static void expect_anr(lb_conn *conn, const char *typed, const char *want)
{
	char got[4096];

	anr_names(conn, typed, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("ANR \"%s\": got \"%s\", want \"%s\"", typed, got, want);
}

/* AD evaluates (anr=) itself: "First Last", "Last First", prefixes, the
 * account name, non-ASCII names; computers are not people. */
static void anr_native_on_active_directory_CT9(void **state)
{
	struct lb_config c;
	lb_conn *conn;

	reader_cfg(&c);
	conn = lbt_open_ok(&c);
	expect_anr(conn, "Ada Lindqvist", "Ada Lindqvist");
	expect_anr(conn, "Lindqvist Ada", "Ada Lindqvist");
	expect_anr(conn, "ada lind", "Ada Lindqvist");
	expect_anr(conn, "ada.lindq", "Ada Lindqvist");
	expect_anr(conn, "Zoë", "Zoë Ångström");
	expect_anr(conn, "ångström", "Zoë Ångström");
	expect_anr(conn, "Müller", "Jürgen Müller");
	expect_anr(conn, "王", "小明 王");
	expect_anr(conn, "王 小明", "小明 王");
	expect_anr(conn, "Chris Smi", "Chris Smith|Christine Smith");
	expect_anr(conn, "Platform", "Platform Team");
	expect_anr(conn, "DC1", "");
	lb_conn_close(conn);
}

/* What AD's anr does not do by itself: a mail address typed in full (AD's
 * anr does not look at mail); lb_anr_build() ORs in an equality on mail.
 * "Last, First" and secondary smtp: addresses are added by the provider's
 * restriction translation (provider/restrict.c), proven there. */
static void anr_full_address_on_active_directory_CT9(void **state)
{
	struct lb_config c;
	lb_conn *conn;

	reader_cfg(&c);
	conn = lbt_open_ok(&c);
	expect_anr(conn, "ada.lindqvist@ldapab.test", "Ada Lindqvist");
	expect_anr(conn, "Ada.Lindqvist@LDAPAB.test", "Ada Lindqvist");
	expect_anr(conn, "all-staff@ldapab.test", "All Staff");
	expect_anr(conn, "nobody@ldapab.test", "");
	lb_conn_close(conn);
}

/* ------------------------------------------------------------------------ */
/* Continuation references                                                  */

/* At the domain root AD answers with continuation references to its other
 * partitions (CN=Configuration...).  libldap alone shows that the server
 * sends one; ldapbridge skips it: the search succeeds with the entries. */
static void continuation_references_skipped(void **state)
{
	static const char *const attrs[] = { "displayName", NULL };
	struct lb_config c;
	LDAPMessage *msg = NULL;
	lb_result *res;
	lb_conn *conn;
	LDAP *ld;
	struct berval cred;
	int v3 = LDAP_VERSION3, zero = 0, rc;

	assert_int_equal(ldap_initialize(&ld, env("LDAPAB_AD_LDAPS_URI")), LDAP_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3), LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF), LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, env("LDAPAB_AD_CA")),
			 LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero), LDAP_OPT_SUCCESS);
	cred.bv_val = (char *)env("LDAPAB_AD_READER_PW");
	cred.bv_len = strlen(cred.bv_val);
	assert_int_equal(ldap_sasl_bind_s(ld, env("LDAPAB_AD_READER_UPN"), LDAP_SASL_SIMPLE,
					  &cred, NULL, NULL, NULL), LDAP_SUCCESS);
	rc = ldap_search_ext_s(ld, env("LDAPAB_AD_BASE"), LDAP_SCOPE_SUBTREE,
			       "(sAMAccountName=ada.lindqvist)", (char **)attrs, 0, NULL, NULL,
			       NULL, 0, &msg);
	assert_int_equal(rc, LDAP_SUCCESS);
	assert_int_equal(ldap_count_entries(ld, msg), 1);
	assert_true(ldap_count_references(ld, msg) >= 1);
	ldap_msgfree(msg);
	ldap_unbind_ext_s(ld, NULL, NULL);

	reader_cfg(&c);
	conn = lbt_open_ok(&c);
	res = search_attrs(conn, env("LDAPAB_AD_BASE"), LB_SCOPE_SUB,
			   "(sAMAccountName=ada.lindqvist)", attrs);
	assert_int_equal(lb_result_count(res), 1);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_NONE);
	assert_string_equal(lb_entry_value(lb_result_entry(res, 0), "displayName")->data,
			    "Ada Lindqvist");
	lb_result_free(res);
	lb_conn_close(conn);
}

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
	conn = lbt_open_ok(&c);
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

static void ranged_member_of_1499_MU3(void **state) { ranged_member(1499); }
static void ranged_member_of_1500_MU3(void **state) { ranged_member(1500); }
static void ranged_member_of_1501_MU3(void **state) { ranged_member(1501); }

/* ------------------------------------------------------------------------ */
/* Identity (EK-2: entry IDs hold an immutable server ID, the DN only as a  */
/* hint)                                                                    */

/* An administrator's libldap handle over LDAPS, for renaming entries (the
 * data set is put back by the test). */
static LDAP *admin_ldap(void)
{
	LDAP *ld = NULL;
	struct berval cred;
	int v3 = LDAP_VERSION3, zero = 0, rc;

	assert_int_equal(ldap_initialize(&ld, env("LDAPAB_AD_LDAPS_URI")), LDAP_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3), LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF), LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, env("LDAPAB_AD_CA")),
			 LDAP_OPT_SUCCESS);
	assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero), LDAP_OPT_SUCCESS);
	cred.bv_val = (char *)env("LDAPAB_AD_ADMIN_PW");
	cred.bv_len = strlen(cred.bv_val);
	rc = ldap_sasl_bind_s(ld, env("LDAPAB_AD_ADMIN_UPN"), LDAP_SASL_SIMPLE, &cred,
			      NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS)
		fail_msg("administrator bind: %s", ldap_err2string(rc));
	return ld;
}

static void rename_entry(LDAP *ld, const char *dn, const char *rdn, const char *parent)
{
	int rc = ldap_rename_s(ld, dn, rdn, parent, 1, NULL, NULL);

	if (rc != LDAP_SUCCESS)
		fail_msg("rename of %s to %s under %s: %s", dn, rdn, parent ? parent : "(same)",
			 ldap_err2string(rc));
}

/* The objectGUID (16 bytes) and DN of the one entry filter finds. */
static void guid_of(lb_conn *conn, const char *filter, unsigned char guid[16], char *dn,
		    size_t dn_len)
{
	static const char *const attrs[] = { "objectGUID", NULL };
	lb_result *res = search_attrs(conn, env("LDAPAB_AD_BASE"), LB_SCOPE_SUB, filter, attrs);
	const struct lb_value *v;

	if (lb_result_count(res) != 1)
		fail_msg("%s: %zu entries, want 1", filter, lb_result_count(res));
	v = lb_entry_value(lb_result_entry(res, 0), "objectGUID");
	assert_non_null(v);
	assert_int_equal(v->len, 16);
	memcpy(guid, v->data, 16);
	snprintf(dn, dn_len, "%s", lb_entry_dn(lb_result_entry(res, 0)));
	lb_result_free(res);
}

/* The filter (objectGUID=\xx...) for a GUID, escaped by ldapbridge. */
static char *guid_filter(const unsigned char guid[16])
{
	struct lb_error err;
	lb_filter *f = NULL;
	char *text = NULL;

	if (lb_filter_eq("objectGUID", (const char *)guid, 16, &f, &err) != LB_OK ||
	    lb_filter_render(f, &text, &err) != LB_OK)
		fail_msg("objectGUID filter: %s", err.message);
	lb_filter_free(f);
	return text;
}

static void objectguid_stable_across_rename_and_move_EK2(void **state)
{
	char moves_a[256], moves_b[256], dn0[512], dn1[512], dn2[512], dn[512];
	unsigned char g0[16], g1[16], g2[16];
	struct lb_config c;
	char *by_guid;
	lb_conn *conn;
	LDAP *ld;

	snprintf(moves_a, sizeof(moves_a), "OU=Moves A,%s", env("LDAPAB_AD_BASE"));
	snprintf(moves_b, sizeof(moves_b), "OU=Moves B,%s", env("LDAPAB_AD_BASE"));
	reader_cfg(&c);
	conn = lbt_open_ok(&c);
	ld = admin_ldap();

	guid_of(conn, "(sAMAccountName=morgan.mover)", g0, dn0, sizeof(dn0));
	snprintf(dn, sizeof(dn), "CN=Morgan Mover,%s", moves_a);
	assert_string_equal(dn0, dn);
	by_guid = guid_filter(g0);

	/* Rename in place: same GUID, new DN, found by the GUID. */
	rename_entry(ld, dn0, "CN=Morgan Renamed", NULL);
	guid_of(conn, by_guid, g1, dn1, sizeof(dn1));
	assert_memory_equal(g0, g1, 16);
	snprintf(dn, sizeof(dn), "CN=Morgan Renamed,%s", moves_a);
	assert_string_equal(dn1, dn);

	/* Move to another OU: the same again. */
	rename_entry(ld, dn1, "CN=Morgan Renamed", moves_b);
	guid_of(conn, by_guid, g2, dn2, sizeof(dn2));
	assert_memory_equal(g0, g2, 16);
	snprintf(dn, sizeof(dn), "CN=Morgan Renamed,%s", moves_b);
	assert_string_equal(dn2, dn);

	/* Put the data set back as it was. */
	rename_entry(ld, dn2, "CN=Morgan Mover", moves_a);
	guid_of(conn, "(sAMAccountName=morgan.mover)", g1, dn1, sizeof(dn1));
	assert_memory_equal(g0, g1, 16);
	assert_string_equal(dn1, dn0);

	free(by_guid);
	ldap_unbind_ext_s(ld, NULL, NULL);
	lb_conn_close(conn);
}

/* ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rootdse_says_active_directory),
		cmocka_unit_test(simple_bind_by_upn_over_starttls),
		cmocka_unit_test(simple_bind_by_domain_user_over_ldaps),
		cmocka_unit_test(simple_bind_by_dn_over_ldaps),
		cmocka_unit_test(ldaps_with_a_foreign_ca_is_refused),
		cmocka_unit_test(wrong_password_is_actionable_LC17),
		cmocka_unit_test(disabled_account_is_actionable_LC17),
		cmocka_unit_test(anonymous_search_needs_a_bind_LC17),
		cmocka_unit_test(gssapi_bind_with_kerberos_ticket),
		cmocka_unit_test(gssapi_without_ticket_says_so),
		cmocka_unit_test(paged_read_page_size_1_TB19),
		cmocka_unit_test(paged_read_page_size_250_TB19),
		cmocka_unit_test(paged_read_page_size_1000_TB19),
		cmocka_unit_test(paged_read_page_size_1651_TB19),
		cmocka_unit_test(paged_read_page_size_5000_TB19),
		cmocka_unit_test(anr_native_on_active_directory_CT9),
		cmocka_unit_test(anr_full_address_on_active_directory_CT9),
		cmocka_unit_test(continuation_references_skipped),
		cmocka_unit_test(ranged_member_of_1499_MU3),
		cmocka_unit_test(ranged_member_of_1500_MU3),
		cmocka_unit_test(ranged_member_of_1501_MU3),
		cmocka_unit_test(objectguid_stable_across_rename_and_move_EK2),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_samba", tests, NULL, NULL);
}
