/*
 * test_lb_core.c - ldapbridge's connection, failover, search and VLV logic
 * against the scripted server in fake_ldap.c (libldap wrapped at link time).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldap.h>
#include <ldapbridge/lb.h>

#include "fake_ldap.h"

#define A "ldap://a.example:389"
#define B "ldap://b.example:389"
#define S "ldaps://s.example:636"
#define I "ldapi://%2Frun%2Fslapd%2Fldapi"

static const struct fake_entry people[] = {
	{ "uid=ann,dc=example,dc=com", { { "cn", { "Ann", NULL } }, { "mail", { "ann@x", NULL } } } },
	{ "uid=bob,dc=example,dc=com", { { "cn", { "Bob", NULL } } } },
	{ "uid=cyd,dc=example,dc=com", { { "cn", { "Cyd", NULL } } } },
	{ "uid=dan,dc=example,dc=com", { { "cn", { "Dan", NULL } } } },
};

struct logbuf {
	int n;
	char text[16][LB_ERROR_MSG_MAX];
};
static struct logbuf logs;

static void log_sink(void *ctx, enum lb_log_level level, const char *msg)
{
	struct logbuf *l = ctx;
	if (l->n < 16)
		snprintf(l->text[l->n++], LB_ERROR_MSG_MAX, "%d %s", (int)level, msg);
}

static bool logged(const char *needle)
{
	int i;
	for (i = 0; i < logs.n; i++)
		if (strstr(logs.text[i], needle))
			return true;
	return false;
}

static void add(const char *uri)
{
	struct fake_server s;

	memset(&s, 0, sizeof(s));
	s.uri = uri;
	s.controls[0] = LDAP_CONTROL_PAGEDRESULTS;
	s.controls[1] = LDAP_CONTROL_SORTREQUEST;
	s.controls[2] = LDAP_CONTROL_VLVREQUEST;
	fake_add_server(&s);
}

static void cfg(struct lb_config *c, const char *uris)
{
	lb_config_init(c);
	c->uris = uris;
	c->now = fake_clock;
	c->log = log_sink;
	c->log_ctx = &logs;
}

static lb_conn *open_ok(const struct lb_config *c)
{
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_err rc = lb_conn_open(c, &conn, &err);
	if (rc != LB_OK)
		fail_msg("open: %s: %s", lb_err_name(rc), err.message);
	return conn;
}

/* An answer of N entries from ENTRIES and nothing else; the test sets the
 * rest (controls, codes) before fake_push(). */
static void resp_init(struct fake_resp *r, const struct fake_entry *entries, int n)
{
	memset(r, 0, sizeof(*r));
	r->entries = entries;
	r->n_entries = n;
}

/* A connection to URIS with the test configuration and nothing changed. */
static lb_conn *open_on(const char *uris)
{
	struct lb_config c;

	cfg(&c, uris);
	return open_ok(&c);
}

static void push_entries(const char *uri, int n, int code)
{
	struct fake_resp r;

	resp_init(&r, people, n);
	r.code = code;
	fake_push(uri, &r);
}

static lb_err do_search(lb_conn *conn, enum lb_search_mode mode, lb_result **res,
			struct lb_error *err)
{
	struct lb_search_params p;

	lb_search_params_init(&p);
	p.base = "dc=example,dc=com";
	p.filter = "(cn=*)";
	p.mode = mode;
	return lb_search(conn, &p, res, err);
}

static int setup(void **state)
{
	fake_reset();
	memset(&logs, 0, sizeof(logs));
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(fake_open_handles, 0); /* every handle unbound */
	return 0;
}

/* ------------------------------------------------------------------------ */

static void error_names_cover_every_code(void **state)
{
	struct lb_error e;
	int i;

	for (i = 0; i < LB_E__COUNT; i++) {
		const char *n = lb_err_name((lb_err)i);
		assert_non_null(n);
		assert_true(strncmp(n, "LB_", 3) == 0);
		assert_string_not_equal(n, "LB_E_UNKNOWN");
	}
	assert_string_equal(lb_err_name(LB_E_TIMEOUT), "LB_E_TIMEOUT");
	assert_string_equal(lb_err_name((lb_err)999), "LB_E_UNKNOWN");
	assert_string_equal(lb_err_name((lb_err)-1), "LB_E_UNKNOWN");
	memset(&e, 'x', sizeof(e));
	lb_error_clear(&e);
	assert_int_equal(e.code, LB_OK);
	assert_int_equal(e.step, LB_STEP_NONE);
	assert_string_equal(e.message, "");
	assert_string_equal(e.server, "");
	lb_error_clear(NULL);
}

static void config_defaults(void **state)
{
	struct lb_config c;

	lb_config_init(&c);
	assert_int_equal(c.connect_timeout_ms, 6000);
	assert_int_equal(c.op_timeout_ms, 8000);
	assert_int_equal(c.time_limit_s, 60);
	assert_int_equal(c.page_size, 1000);
	assert_int_equal(c.backoff_s, 30);
	assert_true(c.backoff_max_s >= 30);
	assert_int_equal(c.tls_reqcert, LB_REQCERT_DEMAND);
	assert_false(c.chase_referrals);
	assert_false(c.allow_insecure_password);
	assert_int_equal(c.bind_method, LB_BIND_ANONYMOUS);
}

static void open_rejects_bad_config_without_connecting(void **state)
{
	static const struct { const char *uris; int field; const char *needle; } bad[] = {
		{ "http://a.example", 0, "http://a.example" },
		{ "not a uri at all://", 0, "not a valid LDAP URL" },
		{ A, 1, "connect_timeout_ms" },
		{ A, 2, "bind DN" },
		{ A, 3, "exactly one of password" },
		{ A, 4, "password file" },
		{ A, 5, "unknown bind_method" },
		{ A, 6, "backoff_max_s" },
	};
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;
	size_t i;

	add(A);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg(&c, bad[i].uris);
		c.allow_insecure_password = true;
		if (bad[i].field == 1)
			c.connect_timeout_ms = 0;
		if (bad[i].field >= 2 && bad[i].field <= 4)
			c.bind_method = LB_BIND_SIMPLE;
		if (bad[i].field == 3)
			c.bind_dn = "cn=x";
		if (bad[i].field == 4) {
			c.bind_dn = "cn=x";
			c.password_file = "/nonexistent/pw";
		}
		if (bad[i].field == 5)
			c.bind_method = (enum lb_bind_method)42;
		if (bad[i].field == 6) {
			/* doubling this would overflow an int */
			c.backoff_s = INT_MAX / 2 + 1;
			c.backoff_max_s = INT_MAX;
		}
		conn = (lb_conn *)&c; /* must be reset to NULL */
		assert_int_equal(lb_conn_open(&c, &conn, &err), LB_E_INVALID);
		assert_null(conn);
		assert_int_equal(err.code, LB_E_INVALID);
		assert_int_equal(err.step, LB_STEP_CONFIG);
		if (strstr(err.message, bad[i].needle) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.message, bad[i].needle);
	}
	assert_int_equal(lb_conn_open(NULL, &conn, &err), LB_E_INVALID);
	assert_int_equal(fake_n_connects, 0);

	/* A good one does not connect either: the first operation does. */
	cfg(&c, A);
	conn = open_ok(&c);
	assert_int_equal(fake_n_connects, 0);
	lb_conn_close(conn);
	lb_conn_close(NULL);
}

static void clear_password_refused_and_never_sent(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_result *res = NULL;
	char uris[256];

	add(A);
	add(I);
	cfg(&c, A);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "cn=reader,dc=example,dc=com";
	c.password = "s3cret-pw";
	assert_int_equal(lb_conn_open(&c, &conn, &err), LB_E_INSECURE);
	assert_null(strstr(err.message, "s3cret-pw"));
	assert_non_null(strstr(err.message, "cn=reader,dc=example,dc=com"));

	/* ldap:// then ldapi://: the first is refused before any bind. */
	snprintf(uris, sizeof(uris), "%s %s", A, I);
	c.uris = uris;
	conn = open_ok(&c);
	push_entries(I, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(fake_n_binds, 1);
	assert_string_equal(fake_binds[0].uri, I);
	assert_string_equal(fake_binds[0].cred, "s3cret-pw");
	lb_result_free(res);
	/* Skipped before any network I/O: no connect to A at all, neither
	 * in the first sweep nor as a "preferred server" later. */
	assert_int_equal(fake_n_connects, 1);
	assert_string_equal(fake_connects[0], I);
	fake_now_ms += 3600 * 1000;
	push_entries(I, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 1);
	assert_false(logged("skipping " A));
	lb_conn_close(conn);

	/* StartTLS configured: allowed at open, sent only after StartTLS. */
	c.uris = A;
	c.tls_mode = LB_TLS_STARTTLS;
	fake_server(A)->starttls_rc = LDAP_CONNECT_ERROR;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_TLS);
	assert_int_equal(err.step, LB_STEP_TLS);
	assert_non_null(strstr(err.message, "StartTLS"));
	assert_int_equal(fake_n_binds, 1); /* nothing new sent */
	lb_conn_close(conn);
}

static void connect_refused_fails_over_in_order(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	char uris[256], srv[64];

	add(A);
	add(B);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	snprintf(uris, sizeof(uris), "%s,%s", A, B);
	conn = open_on(uris);
	push_entries(B, 2, 0);
	assert_int_equal(do_search(conn, LB_MODE_AUTO, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 2);
	assert_string_equal(fake_connects[0], A);
	assert_string_equal(fake_connects[1], B);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, B);
	assert_true(logged("connect to " A " failed"));
	assert_true(logged("skipping " A " for 30 s"));
	lb_conn_close(conn);
}

static void backoff_skips_then_retries_first_server_doubling(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	char uris[256], srv[64];
	struct fake_resp down;

	add(A);
	add(B);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	snprintf(uris, sizeof(uris), "%s %s", A, B);
	cfg(&c, uris);
	c.backoff_s = 30;
	c.backoff_max_s = 100;
	conn = open_ok(&c);
	push_entries(B, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 2);

	/* t+10 s: B drops.  Now both are backed off, so both are tried in
	 * order: A fails again (60 s), B answers the retried read. */
	memset(&down, 0, sizeof(down));
	down.event = FAKE_DOWN;
	fake_push(B, &down);
	push_entries(B, 1, 0);
	fake_now_ms += 10000;
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 4);
	assert_string_equal(fake_connects[2], A);
	assert_string_equal(fake_connects[3], B);
	assert_true(logged("skipping " A " for 60 s"));

	/* t+31 s: A is within its 60 s: not tried, B serves. */
	fake_now_ms += 21000;
	push_entries(B, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 4);

	/* t+71 s: A's backoff ran out; tried first, fails: capped at 100 s. */
	fake_now_ms += 40000;
	push_entries(B, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 5);
	assert_string_equal(fake_connects[4], A);
	assert_true(logged("skipping " A " for 100 s"));
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, B);

	/* t+172 s: A is back; the operation moves to it. */
	fake_now_ms += 101000;
	fake_server(A)->connect_rc = LDAP_SUCCESS;
	push_entries(A, 3, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 3);
	lb_result_free(res);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, A);
	lb_conn_close(conn);
}

static void all_backed_off_are_still_tried(void **state)
{
	struct lb_error err;
	lb_conn *conn;

	add(A);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	conn = open_on(A);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_CONNECT);
	assert_int_equal(err.step, LB_STEP_CONNECT);
	assert_string_equal(err.server, A);
	assert_non_null(strstr(err.message, "connect to " A " failed"));
	assert_int_equal(lb_conn_check(conn, &err), LB_E_CONNECT);
	assert_int_equal(fake_n_connects, 2);
	fake_server(A)->connect_rc = LDAP_SUCCESS;
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	lb_conn_close(conn);
}

static void connect_timeout_named_and_deadline_shared(void **state)
{
	struct lb_error err;
	lb_conn *conn;
	char uris[256];

	add(A);
	add(B);
	fake_server(A)->connect_timeout = true;
	fake_server(B)->connect_timeout = true;
	snprintf(uris, sizeof(uris), "%s %s", A, B);
	conn = open_on(uris);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_TIMEOUT);
	/* One 8 s deadline: A gets the 6 s connect timeout, B the 2 s left. */
	assert_int_equal(fake_n_connects, 2);
	assert_int_equal(fake_connect_timeouts_ms[0], 6000);
	assert_int_equal(fake_connect_timeouts_ms[1], 2000);
	assert_string_equal(err.server, B);
	assert_int_equal(err.step, LB_STEP_CONNECT);
	assert_non_null(strstr(err.message, "2000 ms (connect timeout)"));
	lb_conn_close(conn);
}

static void silent_server_times_out_at_root_dse(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	add(A);
	fake_server(A)->dse_event = FAKE_TIMEOUT;
	cfg(&c, A);
	c.connect_timeout_ms = 1500;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_TIMEOUT);
	assert_int_equal(err.step, LB_STEP_ROOTDSE);
	assert_int_equal(fake_last_wait_ms, 1500);
	assert_non_null(strstr(err.message, "1500 ms (connect timeout)"));
	assert_true(fake_n_abandons >= 1);
	lb_conn_close(conn);
}

static void invalid_credentials_no_failover_no_password(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;
	char uris[256];

	add(S);
	add("ldaps://t.example");
	fake_server(S)->bind_code = LDAP_INVALID_CREDENTIALS;
	snprintf(uris, sizeof(uris), "%s ldaps://t.example", S);
	cfg(&c, uris);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "cn=reader,dc=example,dc=com";
	c.password = "hunter2-secret";
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_int_equal(err.ldap_code, LDAP_INVALID_CREDENTIALS);
	assert_string_equal(err.server, S);
	assert_non_null(strstr(err.message, "bind as cn=reader,dc=example,dc=com to " S));
	assert_non_null(strstr(err.message, "Invalid credentials"));
	assert_null(strstr(err.message, "hunter2"));
	assert_false(logged("hunter2"));
	assert_int_equal(fake_n_connects, 1); /* same password elsewhere: no point */
	lb_conn_close(conn);
}

/* Active Directory's bind sub-codes ("data 775") in words, and Windows AD's
 * refusal of an anonymous search (000004DC; Samba says 00002020) as "this
 * directory needs a bind", never an internal error. */
static void ad_diagnostics_in_words(void **state)
{
	static const struct {
		const char *data;
		const char *words;
	} subcodes[] = {
		{ "525", "does not exist" }, { "52e", "wrong password" },
		{ "530", "time of day" }, { "531", "from this computer" },
		{ "532", "password has expired" }, { "533", "account is disabled" },
		{ "701", "account has expired" }, { "773", "must be changed" },
		{ "775", "locked out" },
	};
	char diag[256];
	struct lb_config c;
	struct lb_error err;
	struct lb_search_params p;
	struct fake_resp r;
	lb_result *res = NULL;
	lb_conn *conn;

	for (size_t i = 0; i < sizeof(subcodes) / sizeof(subcodes[0]); i++) {
		fake_reset();
		add(S);
		snprintf(diag, sizeof(diag), "80090308: LdapErr: DSID-0C09044E, comment: "
			 "AcceptSecurityContext error, data %s, v4563", subcodes[i].data);
		fake_server(S)->bind_code = LDAP_INVALID_CREDENTIALS;
		fake_server(S)->bind_diag = diag;
		cfg(&c, S);
		c.bind_method = LB_BIND_SIMPLE;
		c.bind_dn = "reader@example.com";
		c.password = "secret";
		conn = open_ok(&c);
		assert_int_equal(lb_conn_check(conn, &err), LB_E_AUTH);
		if (strstr(err.message, subcodes[i].words) == NULL ||
		    strstr(err.message, diag) == NULL)
			fail_msg("data %s: %s", subcodes[i].data, err.message);
		lb_conn_close(conn);
	}
	/* An unknown sub-code: the server's text alone. */
	fake_reset();
	add(S);
	fake_server(S)->bind_code = LDAP_INVALID_CREDENTIALS;
	fake_server(S)->bind_diag = "80090308: LdapErr: DSID-0C09044E, comment: "
				    "AcceptSecurityContext error, data 999, v4563";
	cfg(&c, S);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "reader@example.com";
	c.password = "secret";
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_AUTH);
	assert_non_null(strstr(err.message, "Invalid credentials (80090308"));
	lb_conn_close(conn);

	/* Windows AD's anonymous refusal. */
	fake_reset();
	add(S);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_OPERATIONS_ERROR;
	r.diag = "000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this "
		 "operation a successful bind must be completed on the connection., data 0, v4563";
	fake_push(S, &r);
	conn = open_on(S);
	lb_search_params_init(&p);
	p.mode = LB_MODE_PLAIN;
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_E_AUTH);
	assert_null(res);
	assert_int_equal(err.step, LB_STEP_SEARCH);
	assert_int_equal(err.ldap_code, LDAP_OPERATIONS_ERROR);
	assert_non_null(strstr(err.message, "needs a bind"));
	lb_conn_close(conn);
	/* Any other operationsError stays what it was. */
	fake_reset();
	add(S);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_OPERATIONS_ERROR;
	r.diag = "00000000: something else";
	fake_push(S, &r);
	conn = open_on(S);
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_E_INTERNAL);
	assert_null(strstr(err.message, "needs a bind"));
	lb_conn_close(conn);
}

static void server_down_at_bind_fails_over(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;
	char uris[256];

	add(S);
	add("ldaps://t.example");
	fake_server(S)->bind_event = FAKE_DOWN;
	snprintf(uris, sizeof(uris), "%s ldaps://t.example", S);
	cfg(&c, uris);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "cn=reader,dc=example,dc=com";
	c.password = "pw";
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	assert_int_equal(fake_n_binds, 2);
	assert_string_equal(fake_binds[1].uri, "ldaps://t.example");
	assert_true(logged("bind to " S " failed"));
	lb_conn_close(conn);
}

static void password_file_read_at_every_bind(void **state)
{
	struct lb_config c;
	struct lb_error err;
	char path[] = "/tmp/lb-unit-pw-XXXXXX";
	int fd = mkstemp(path);
	lb_conn *conn;
	FILE *f;

	assert_true(fd >= 0);
	assert_true(write(fd, "first-pw\n", 9) == 9);
	close(fd);
	add(I);
	cfg(&c, I);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "cn=x";
	c.password_file = path;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	assert_string_equal(fake_binds[0].cred, "first-pw");
	lb_conn_close(conn);

	f = fopen(path, "w");
	fputs("second-pw\r\n", f);
	fclose(f);
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	assert_string_equal(fake_binds[1].cred, "second-pw");
	lb_conn_close(conn);
	unlink(path);
}

static void ldaps_handshake_failure_is_tls_error(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	add(S);
	fake_server(S)->connect_rc = LDAP_SERVER_DOWN;
	fake_server(S)->tcp_up = true; /* TCP worked, TLS did not */
	cfg(&c, S);
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_TLS);
	assert_int_equal(err.step, LB_STEP_TLS);
	assert_non_null(strstr(err.message, "TLS handshake with " S " failed"));
	lb_conn_close(conn);

	/* Same failure without TCP: a connect error. */
	fake_server(S)->tcp_up = false;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_CONNECT);
	assert_int_equal(err.step, LB_STEP_CONNECT);
	lb_conn_close(conn);
}

static void missing_ca_file_is_tls_setup_error(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	add(S);
	cfg(&c, S);
	c.tls_ca_file = "/nonexistent/ca.pem";
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_TLS);
	assert_int_equal(err.step, LB_STEP_TLS);
	assert_non_null(strstr(err.message, "/nonexistent/ca.pem"));
	assert_int_equal(fake_n_connects, 0); /* failed before connecting */
	lb_conn_close(conn);
}

static void reqcert_never_logs_warning(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	add(S);
	cfg(&c, S);
	c.tls_reqcert = LB_REQCERT_NEVER;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	assert_true(logged("2 TLS to " S ": server certificate checking is \"never\""));
	lb_conn_close(conn);
}

static void gssapi_failure_is_auth_method(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	add(S);
	fake_server(S)->gssapi_rc = LDAP_LOCAL_ERROR;
	cfg(&c, S);
	c.bind_method = LB_BIND_SASL_GSSAPI;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_AUTH_METHOD);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_non_null(strstr(err.message, "SASL GSSAPI bind to " S));
	assert_string_equal(fake_binds[0].mech, "GSSAPI");
	lb_conn_close(conn);

	fake_server(S)->gssapi_rc = LDAP_SUCCESS;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	lb_conn_close(conn);
}

static void down_mid_search_retried_once_on_next_server(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;
	char uris[256];

	add(A);
	add(B);
	resp_init(&r, people, 4);
	r.event = FAKE_DOWN;
	r.event_after = 2; /* two entries, then the link dies */
	fake_push(A, &r);
	push_entries(B, 3, 0);
	snprintf(uris, sizeof(uris), "%s %s", A, B);
	conn = open_on(uris);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 3); /* B's answer only, no mix */
	assert_string_equal(fake_reqs[1].uri, B);
	assert_true(logged("search on " A " failed: Can't contact LDAP server; skipping " A
			   " for 30 s"));
	lb_result_free(res);

	/* Both die: the retry happens once, then the error says where. */
	fake_push(B, &r);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	fake_server(B)->connect_rc = LDAP_SERVER_DOWN;
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_E_CONNECT);
	assert_null(res);
	assert_string_equal(err.server, B);
	assert_int_equal(fake_n_reqs, 3); /* read once, retried once, no more */
	lb_conn_close(conn);
}

static void op_timeout_mid_search_names_the_timeout(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	resp_init(&r, people, 4);
	r.event = FAKE_TIMEOUT;
	r.event_after = 1;
	fake_push(A, &r);
	fake_push(A, &r); /* the retry (same server: the only one) hangs too */
	cfg(&c, A);
	c.op_timeout_ms = 2500;
	conn = open_ok(&c);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_E_TIMEOUT);
	assert_null(res);
	assert_int_equal(err.step, LB_STEP_SEARCH);
	assert_string_equal(err.server, A);
	assert_non_null(strstr(err.message, "2500 ms (operation timeout)"));
	assert_int_equal(fake_last_wait_ms, 2500);
	assert_true(fake_n_abandons >= 2);
	assert_int_equal(fake_n_connects, 2); /* reconnected once for the retry */
	lb_conn_close(conn);
}

static void size_and_time_limits_keep_entries(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;

	add(A);
	conn = open_on(A);
	push_entries(A, 3, LDAP_SIZELIMIT_EXCEEDED);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 3);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 2)), people[2].dn);
	lb_result_free(res);

	push_entries(A, 2, LDAP_TIMELIMIT_EXCEEDED);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_TIMELIMIT);
	lb_result_free(res);

	push_entries(A, 2, LDAP_ADMINLIMIT_EXCEEDED);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_ADMINLIMIT);
	lb_result_free(res);

	/* A limit before any entry: an empty partial result, never a bare
	 * LB_E_TIMELIMIT / LB_E_SIZELIMIT. */
	push_entries(A, 0, LDAP_TIMELIMIT_EXCEEDED);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_non_null(res);
	assert_int_equal(lb_result_count(res), 0);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_TIMELIMIT);
	lb_result_free(res);
	push_entries(A, 0, LDAP_SIZELIMIT_EXCEEDED);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 0);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
	lb_result_free(res);
	{
		struct lb_search_params bp;
		lb_err st = LB_E_INTERNAL;

		lb_search_params_init(&bp);
		push_entries(A, 0, LDAP_SIZELIMIT_EXCEEDED);
		assert_int_equal(lb_search_batch(conn, &bp, 1, &res, &st, &err), LB_OK);
		assert_int_equal(st, LB_OK);
		assert_non_null(res);
		assert_int_equal(lb_result_count(res), 0);
		assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
		lb_result_free(res);
	}

	/* The requested limits reach the wire. */
	assert_int_equal(fake_reqs[0].sizelimit, 0);
	lb_conn_close(conn);
}

static void entries_are_plain_binary_safe_data(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	const lb_entry *e;
	const struct lb_attr *a;
	lb_conn *conn;

	add(A);
	conn = open_on(A);
	push_entries(A, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	e = lb_result_entry(res, 0);
	assert_non_null(e);
	assert_null(lb_result_entry(res, 1));
	assert_string_equal(lb_entry_dn(e), "uid=ann,dc=example,dc=com");
	assert_int_equal(lb_entry_attr_count(e), 2);
	a = lb_entry_find(e, "MAIL");
	assert_non_null(a);
	assert_int_equal(a->n_values, 1);
	assert_int_equal(a->values[0].len, 5);
	assert_int_equal(a->values[0].data[5], '\0');
	assert_null(lb_entry_find(e, "sn"));
	assert_null(lb_entry_value(e, "sn"));
	assert_null(lb_entry_attr(e, 2));
	assert_int_equal(lb_result_count(NULL), 0);
	lb_result_free(res);
	lb_conn_close(conn);
}

/* Entries are read in one pass (ldap_get_dn_ber/ldap_get_attribute_ber):
 * values come by length (the fake leaves no NUL after them), embedded NULs
 * survive, a NUL is added, valueless and many attributes are kept. */
static void entry_read_in_one_pass_keeps_binary_and_all_attributes(void **state)
{
	static const char bin[] = { 'a', '\0', 'b', '\xff' };
	static char names[36][16];
	static struct fake_entry big;
	struct lb_error err;
	lb_result *res = NULL;
	const lb_entry *e;
	const struct lb_attr *a;
	lb_conn *conn;
	struct fake_resp r;
	size_t i;

	memset(&big, 0, sizeof(big));
	big.dn = "uid=big,dc=example,dc=com";
	for (i = 0; i < 36; i++) { /* more than the reader's inline scratch */
		snprintf(names[i], sizeof(names[i]), "attr%zu", i);
		big.attrs[i].name = names[i];
		big.attrs[i].vals[0] = names[i];
		big.attrs[i].vals[1] = "second";
	}
	big.attrs[0].name = "photo";
	big.attrs[0].vals[0] = bin;
	big.attrs[0].vals[1] = NULL;
	fake_binary_value(bin, sizeof(bin));
	big.attrs[1].name = "empty";
	big.attrs[1].vals[0] = NULL;
	add(A);
	memset(&r, 0, sizeof(r));
	r.entries = &big;
	r.n_entries = 1;
	fake_push(A, &r);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_true(fake_n_get_dn_ber >= 1);
	e = lb_result_entry(res, 0);
	assert_non_null(e);
	assert_string_equal(lb_entry_dn(e), "uid=big,dc=example,dc=com");
	assert_int_equal(lb_entry_attr_count(e), 36);
	a = lb_entry_find(e, "PHOTO");
	assert_non_null(a);
	assert_int_equal(a->n_values, 1);
	assert_int_equal(a->values[0].len, 4);
	assert_memory_equal(a->values[0].data, bin, 4);
	assert_int_equal(a->values[0].data[4], '\0');
	a = lb_entry_find(e, "empty");
	assert_non_null(a);
	assert_int_equal(a->n_values, 0);
	assert_null(lb_entry_value(e, "empty"));
	for (i = 2; i < 36; i++) {
		a = lb_entry_attr(e, i);
		assert_non_null(a);
		assert_string_equal(a->name, names[i]);
		assert_int_equal(a->n_values, 2);
		assert_string_equal(a->values[0].data, names[i]);
		assert_int_equal(a->values[0].len, strlen(names[i]));
		assert_string_equal(a->values[1].data, "second");
		assert_int_equal(a->values[1].len, 6);
	}
	assert_null(lb_entry_attr(e, 36));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void paged_search_follows_cookies(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	resp_init(&r, people, 2);
	r.page = true;
	r.page_cookie = "next";
	fake_push(A, &r);
	r.entries = people + 2;
	r.page_cookie = "";
	fake_push(A, &r);
	cfg(&c, A);
	c.page_size = 2;
	conn = open_ok(&c);
	assert_int_equal(do_search(conn, LB_MODE_AUTO, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 4);
	assert_int_equal(fake_n_reqs, 2);
	assert_true(fake_reqs[0].paged && fake_reqs[0].paged_critical);
	assert_true(fake_reqs[1].paged);
	lb_result_free(res);
	lb_conn_close(conn);
}

static void paged_unavailable_falls_back_to_plain(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_UNAVAILABLE_CRITICAL_EXTENSION;
	fake_push(A, &r);
	push_entries(A, 3, LDAP_SIZELIMIT_EXCEEDED);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_PAGED, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 3);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
	assert_true(fake_reqs[0].paged);
	assert_false(fake_reqs[1].paged);
	assert_true(logged("falling back to a size-limited plain search"));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void malformed_page_control_falls_back(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	resp_init(&r, people, 1);
	r.page = true;
	r.page_malformed = true;
	fake_push(A, &r);
	push_entries(A, 4, 0);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_AUTO, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 4); /* the plain answer, not 1 + 4 */
	assert_false(fake_reqs[1].paged);
	assert_true(logged("malformed paged results answer"));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void empty_paged_answer_falls_back(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;
	int i;

	add(A);
	memset(&r, 0, sizeof(r)); /* no entries, no page control */
	fake_push(A, &r);
	push_entries(A, 2, 0);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_AUTO, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	/* Retried plain, but quietly: slapd's sssvlv answers every sorted
	 * search that matches nothing this way, so it is no reason to warn. */
	assert_false(fake_reqs[1].paged);
	assert_true(logged("falling back to a size-limited plain search"));
	for (i = 0; i < logs.n; i++)
		if (strstr(logs.text[i], "falling back") != NULL)
			assert_int_equal(atoi(logs.text[i]), (int)LB_LOG_INFO);
	lb_result_free(res);
	lb_conn_close(conn);
}

static lb_err sorted_search(lb_conn *conn, const char *rule, lb_result **res,
			    struct lb_error *err)
{
	struct lb_search_params p;
	struct lb_sort_key k = { "displayName", rule, false };

	lb_search_params_init(&p);
	p.base = "dc=example,dc=com";
	p.mode = LB_MODE_PLAIN;
	p.sort = &k;
	p.n_sort = 1;
	return lb_search(conn, &p, res, err);
}

static void sort_busy_retried_then_dropped(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp busy, ok;

	add(A);
	memset(&busy, 0, sizeof(busy));
	busy.code = LDAP_BUSY;
	memset(&ok, 0, sizeof(ok));
	ok.entries = people;
	ok.n_entries = 2;
	ok.sort = true;
	fake_push(A, &busy);
	fake_push(A, &ok);
	conn = open_on(A);
	assert_int_equal(sorted_search(conn, "2.5.13.3", &res, &err), LB_OK);
	assert_true(lb_result_sorted(res));
	assert_int_equal(fake_n_reqs, 2);
	assert_true(fake_reqs[1].sort && !fake_reqs[1].sort_critical);
	lb_result_free(res);

	/* Busy every time: retried busy_retries (2) times, then without sort. */
	fake_push(A, &busy);
	fake_push(A, &busy);
	fake_push(A, &busy);
	push_entries(A, 3, 0);
	assert_int_equal(sorted_search(conn, "2.5.13.3", &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 3);
	assert_false(lb_result_sorted(res));
	assert_int_equal(fake_n_reqs, 6);
	assert_true(fake_reqs[4].sort);
	assert_false(fake_reqs[5].sort);
	lb_result_free(res);
	lb_conn_close(conn);
}

static void sort_without_ordering_rule_gets_one(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_INAPPROPRIATE_MATCHING;
	r.diag = "serverSortControl: No ordering rule";
	fake_push(A, &r);
	resp_init(&r, people, 2);
	r.sort = true;
	fake_push(A, &r);
	conn = open_on(A);
	assert_int_equal(sorted_search(conn, NULL, &res, &err), LB_OK);
	assert_true(lb_result_sorted(res));
	assert_false(fake_reqs[0].sort_has_default_rule);
	assert_true(fake_reqs[1].sort_has_default_rule);
	lb_result_free(res);

	/* sortResult says "not sorted" on a successful search: entries kept. */
	resp_init(&r, people, 2);
	r.sort = true;
	r.sort_result = LDAP_UNWILLING_TO_PERFORM;
	fake_push(A, &r);
	assert_int_equal(sorted_search(conn, "2.5.13.3", &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	assert_false(lb_result_sorted(res));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void ranged_attribute_followed_to_the_end(void **state)
{
	static const struct fake_entry group = {
		"cn=big,dc=example,dc=com",
		{ { "cn", { "big", NULL } }, { "member;range=0-1", { "uid=m0", "uid=m1", NULL } } }
	};
	static const struct fake_entry more = {
		"cn=big,dc=example,dc=com", { { "member;range=2-3", { "uid=m2", "uid=m3", NULL } } }
	};
	static const struct fake_entry last = {
		"cn=big,dc=example,dc=com", { { "member;range=4-*", { "uid=m4", NULL } } }
	};
	struct lb_error err;
	lb_result *res = NULL;
	const struct lb_attr *a;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	memset(&r, 0, sizeof(r));
	r.entries = &group;
	r.n_entries = 1;
	fake_push(A, &r);
	r.entries = &more;
	fake_push(A, &r);
	r.entries = &last;
	fake_push(A, &r);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	a = lb_entry_find(lb_result_entry(res, 0), "member");
	assert_non_null(a);
	assert_string_equal(a->name, "member");
	assert_int_equal(a->n_values, 5);
	assert_string_equal(a->values[4].data, "uid=m4");
	assert_int_equal(fake_n_reqs, 3);
	assert_string_equal(fake_reqs[1].attr0, "member;range=2-*");
	assert_string_equal(fake_reqs[1].base, "cn=big,dc=example,dc=com");
	assert_int_equal(fake_reqs[1].scope, LDAP_SCOPE_BASE);
	assert_string_equal(fake_reqs[2].attr0, "member;range=4-*");
	lb_result_free(res);
	lb_conn_close(conn);
}

static void batch_sends_all_before_collecting(void **state)
{
	struct lb_error err;
	struct lb_search_params p[3];
	lb_result *res[3];
	lb_err status[3];
	lb_conn *conn;
	int i;

	add(A);
	push_entries(A, 1, 0);
	push_entries(A, 0, LDAP_NO_SUCH_OBJECT);
	push_entries(A, 2, LDAP_SIZELIMIT_EXCEEDED);
	conn = open_on(A);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	for (i = 0; i < 3; i++) {
		lb_search_params_init(&p[i]);
		p[i].base = "dc=example,dc=com";
		p[i].filter = i == 1 ? "(uid=nobody)" : "(uid=*)";
	}
	fake_n_result_calls = 0;
	assert_int_equal(lb_search_batch(conn, p, 3, res, status, &err), LB_OK);
	/* The last search went out before the first answer was read. */
	assert_int_equal(fake_n_results_before_last_send, 0);
	assert_int_equal(status[0], LB_OK);
	assert_int_equal(lb_result_count(res[0]), 1);
	assert_int_equal(status[1], LB_E_NOT_FOUND);
	assert_null(res[1]);
	assert_int_equal(status[2], LB_OK);
	assert_int_equal(lb_result_partial(res[2]), LB_PARTIAL_SIZELIMIT);
	lb_result_free(res[0]);
	lb_result_free(res[2]);
	lb_conn_close(conn);
}

static void batch_resent_once_after_drop(void **state)
{
	struct lb_error err;
	struct lb_search_params p[2];
	lb_result *res[2];
	lb_conn *conn;
	struct fake_resp down;
	char uris[256];

	add(A);
	add(B);
	memset(&down, 0, sizeof(down));
	down.event = FAKE_DOWN;
	push_entries(A, 1, 0);
	fake_push(A, &down);
	push_entries(B, 1, 0);
	push_entries(B, 2, 0);
	snprintf(uris, sizeof(uris), "%s %s", A, B);
	conn = open_on(uris);
	lb_search_params_init(&p[0]);
	lb_search_params_init(&p[1]);
	assert_int_equal(lb_search_batch(conn, p, 2, res, NULL, &err), LB_OK);
	assert_int_equal(lb_result_count(res[0]), 1);
	assert_int_equal(lb_result_count(res[1]), 2);
	lb_result_free(res[0]);
	lb_result_free(res[1]);
	lb_conn_close(conn);
}

static lb_vlv *vlv_open(lb_conn *conn)
{
	static const struct lb_sort_key k = { "cn", NULL, false };
	struct lb_vlv_params vp;
	struct lb_error err;
	lb_vlv *v = NULL;

	lb_vlv_params_init(&vp);
	vp.base = "dc=example,dc=com";
	vp.sort = &k;
	vp.n_sort = 1;
	assert_int_equal(lb_vlv_open(conn, &vp, &v, &err), LB_OK);
	return v;
}

static void vlv_context_id_sent_back(void **state)
{
	struct lb_error err;
	struct lb_vlv_target t = { false, 2, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp r;

	add(A);
	resp_init(&r, people + 1, 2);
	r.vlv = true;
	r.vlv_target = 2;
	r.vlv_count = 4;
	r.vlv_context = "ctx-one";
	fake_push(A, &r);
	r.vlv_context = "ctx-two";
	r.vlv_target = 3;
	fake_push(A, &r);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, 2);
	assert_int_equal(pos.content_count, 4);
	assert_false(pos.emulated);
	assert_int_equal(lb_result_count(res), 2);
	assert_true(fake_reqs[0].vlv && fake_reqs[0].sort && fake_reqs[0].sort_critical);
	assert_false(fake_reqs[0].vlv_has_context);
	lb_result_free(res);
	t.offset = 3;
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	assert_string_equal(fake_reqs[1].vlv_context, "ctx-one");
	lb_result_free(res);

	/* Offsets start at 1. */
	t.offset = 0;
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_E_INVALID);
	lb_vlv_close(v);
	lb_conn_close(conn);
}

static void vlv_malformed_response_falls_back_to_sorted_copy(void **state)
{
	static const struct fake_entry unsorted[] = {
		{ "uid=c", { { "cn", { "Cyd", NULL } } } },
		{ "uid=a", { { "cn", { "ann", NULL } } } },
		{ "uid=d", { { "cn", { "Dan", NULL } } } },
		{ "uid=b", { { "cn", { "Bob", NULL } } } },
	};
	struct lb_error err;
	struct lb_vlv_target t = { false, 2, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp r;

	add(A);
	memset(&r, 0, sizeof(r));
	r.vlv = true;
	r.vlv_malformed = true;
	fake_push(A, &r);
	/* fallback: paged read whose sort control gets no answer and whose
	 * entries come unsorted; sortResult says unwilling */
	memset(&r, 0, sizeof(r));
	r.entries = unsorted;
	r.n_entries = 4;
	r.page = true;
	r.page_cookie = "";
	r.sort = true;
	r.sort_result = LDAP_UNWILLING_TO_PERFORM;
	fake_push(A, &r);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 1, 1, &t, &res, &pos, &err), LB_OK);
	assert_true(pos.emulated);
	assert_int_equal(pos.target_pos, 2);
	assert_int_equal(pos.content_count, 4);
	assert_int_equal(lb_result_count(res), 3);
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 0)), "uid=a");
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 1)), "uid=b");
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 2)), "uid=c");
	assert_true(fake_reqs[1].paged);
	lb_result_free(res);

	/* Later windows come from the copy: no new request. */
	t.by_value = true;
	t.value = "C";
	assert_int_equal(lb_vlv_window(v, 0, 5, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, 3);
	assert_int_equal(lb_result_count(res), 2);
	assert_int_equal(fake_n_reqs, 2);
	lb_result_free(res);
	assert_true(logged("browsing"));
	lb_vlv_close(v);
	lb_conn_close(conn);
}

static void vlv_busy_reconnects_retries_then_falls_back(void **state)
{
	struct lb_error err;
	struct lb_vlv_target t = { false, 1, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp r;
	int i;

	add(A);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_BUSY;
	r.diag = "Other sort requests already in progress";
	for (i = 0; i < 4; i++)
		fake_push(A, &r);
	resp_init(&r, people, 4);
	r.page = true;
	r.page_cookie = "";
	r.sort = true;
	fake_push(A, &r);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	assert_true(pos.emulated);
	/* busy; reconnect (frees the server's lists); busy; 2 retries; then
	 * the paged read */
	assert_int_equal(fake_n_reqs, 5);
	assert_int_equal(fake_n_connects, 2);
	assert_true(logged("reconnecting to free them"));
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	lb_vlv_close(v);
	lb_conn_close(conn);
}

/* A window whose context sssvlv is still busy with: resent on the same
 * context after a short pause, no fresh sort, no reconnect. */
static void vlv_busy_on_context_resent_with_same_context(void **state)
{
	struct lb_error err;
	struct lb_vlv_target t = { false, 2, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp ok, busy;
	int i;

	add(A);
	memset(&ok, 0, sizeof(ok));
	ok.entries = people + 1;
	ok.n_entries = 2;
	ok.vlv = true;
	ok.vlv_target = 2;
	ok.vlv_count = 4;
	ok.vlv_context = "ctx-one";
	fake_push(A, &ok);
	memset(&busy, 0, sizeof(busy));
	busy.code = LDAP_BUSY;
	busy.diag = "Other sort requests already in progress";
	fake_push(A, &busy);
	fake_push(A, &busy);
	ok.vlv_target = 3;
	ok.vlv_context = "ctx-two";
	fake_push(A, &ok);
	ok.vlv_target = 4;
	fake_push(A, &ok);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	lb_result_free(res);
	t.offset = 3;
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	assert_false(pos.emulated);
	assert_int_equal(pos.target_pos, 3);
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	/* first window, then busy, busy, success: all three on ctx-one */
	assert_int_equal(fake_n_reqs, 4);
	for (i = 1; i < 4; i++) {
		assert_true(fake_reqs[i].vlv && fake_reqs[i].sort);
		assert_string_equal(fake_reqs[i].vlv_context, "ctx-one");
	}
	assert_int_equal(fake_n_connects, 1);
	assert_false(logged("reconnecting"));
	/* the context of the successful answer is the one used next */
	t.offset = 4;
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	assert_string_equal(fake_reqs[4].vlv_context, "ctx-two");
	assert_int_equal(fake_n_reqs, 5);
	lb_result_free(res);
	lb_vlv_close(v);
	lb_conn_close(conn);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Busy on the context for good: resends stop after 100 ms of pauses
 * (1+2+4+8+16+32+37 ms: seven resends), then the old path runs: fresh
 * sort without context, reconnect, busy retries, the sorted copy. */
static void vlv_busy_on_context_forever_resends_bounded_then_falls_back(void **state)
{
	struct lb_error err;
	struct lb_vlv_target t = { false, 2, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp r;
	uint64_t t0, spent;
	int i, with_ctx = 0;

	add(A);
	resp_init(&r, people + 1, 2);
	r.vlv = true;
	r.vlv_target = 2;
	r.vlv_count = 4;
	r.vlv_context = "ctx-one";
	fake_push(A, &r);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_BUSY;
	r.diag = "Other sort requests already in progress";
	for (i = 0; i < 8 + 4; i++) /* 8 on the context, 4 as in the old path */
		fake_push(A, &r);
	resp_init(&r, people, 4);
	r.page = true;
	r.page_cookie = "";
	r.sort = true;
	fake_push(A, &r);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	lb_result_free(res);
	t.offset = 3;
	t0 = mono_ms();
	assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
	spent = mono_ms() - t0;
	assert_true(pos.emulated);
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	for (i = 1; i < fake_n_reqs; i++)
		if (fake_reqs[i].vlv_has_context) {
			assert_string_equal(fake_reqs[i].vlv_context, "ctx-one");
			with_ctx++;
		}
	assert_int_equal(with_ctx, 8);
	/* window 1, 8 on the context, fresh, reconnect + fresh, 2 retries, copy */
	assert_int_equal(fake_n_reqs, 1 + 8 + 1 + 1 + 2 + 1);
	assert_false(fake_reqs[9].vlv_has_context);
	assert_int_equal(fake_n_connects, 2);
	/* 100 ms of context pauses + 50 + 100 ms of the old busy retries */
	assert_true(spent >= 250);
	assert_true(spent < 10000);
	lb_vlv_close(v);
	lb_conn_close(conn);
}

static void vlv_without_advertised_controls_emulates(void **state)
{
	struct fake_server s;
	struct lb_error err;
	struct lb_vlv_target t = { false, 4, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;

	memset(&s, 0, sizeof(s));
	s.uri = A; /* advertises nothing: plain, size-limited read */
	fake_add_server(&s);
	push_entries(A, 4, LDAP_SIZELIMIT_EXCEEDED);
	conn = open_on(A);
	v = vlv_open(conn);
	assert_int_equal(lb_vlv_window(v, 1, 1, &t, &res, &pos, &err), LB_OK);
	assert_true(pos.emulated);
	assert_int_equal(pos.target_pos, 4);
	assert_int_equal(lb_result_count(res), 2);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
	assert_false(fake_reqs[0].vlv);
	assert_false(fake_reqs[0].paged);
	lb_result_free(res);
	lb_vlv_close(v);
	lb_conn_close(conn);
}

static void rootdse_copy_describes_server(void **state)
{
	struct fake_server s;
	struct lb_error err;
	struct lb_rootdse *d = NULL;
	lb_conn *conn;

	memset(&s, 0, sizeof(s));
	s.uri = A;
	s.ad = true;
	s.controls[0] = LDAP_CONTROL_PAGEDRESULTS;
	fake_add_server(&s);
	conn = open_on(A);
	assert_int_equal(lb_conn_rootdse(conn, &d, &err), LB_OK);
	assert_true(d->is_active_directory);
	assert_int_equal(d->controls, LB_CTRL_PAGED);
	assert_true(d->uuid_attrs & LB_UUID_OBJECTGUID);
	assert_int_equal(d->n_naming_contexts, 1);
	assert_string_equal(d->server, A);
	lb_rootdse_free(d);
	lb_conn_close(conn);
}

static void null_arguments_rejected(void **state)
{
	struct lb_error err;
	lb_result *res = (lb_result *)&err;
	struct lb_search_params p;

	lb_search_params_init(&p);
	assert_int_equal(lb_search(NULL, &p, &res, &err), LB_E_INVALID);
	assert_null(res);
	assert_int_equal(lb_conn_check(NULL, &err), LB_E_INVALID);
	assert_int_equal(lb_search_batch(NULL, &p, 1, &res, NULL, &err), LB_E_INVALID);
	assert_int_equal(lb_vlv_window(NULL, 0, 0, NULL, &res, NULL, &err), LB_E_INVALID);
	lb_vlv_close(NULL);
	lb_result_free(NULL);
	lb_rootdse_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* Review fixes                                                             */
/* ------------------------------------------------------------------------ */

static void password_file_too_long_refused(void **state)
{
	struct lb_config c;
	struct lb_error err;
	char path[] = "/tmp/lb-unit-pwlong-XXXXXX";
	char big[2000];
	int fd = mkstemp(path);
	lb_conn *conn;

	assert_true(fd >= 0);
	memset(big, 'x', sizeof(big));
	assert_true(write(fd, big, sizeof(big)) == (ssize_t)sizeof(big));
	close(fd);
	add(I);
	cfg(&c, I);
	c.bind_method = LB_BIND_SIMPLE;
	c.bind_dn = "cn=x";
	c.password_file = path;
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_INVALID);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "longer than"));
	assert_null(strstr(err.message, "xxxx"));
	assert_int_equal(fake_n_binds, 0); /* nothing cut short was sent */
	lb_conn_close(conn);

	/* The longest line that fits (1023 bytes, then the newline): fine. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_true(write(fd, big, 1023) == 1023);
	assert_true(write(fd, "\r\n", 2) == 2);
	close(fd);
	conn = open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	assert_int_equal(strlen(fake_binds[0].cred), 127); /* the fake keeps 127 */
	lb_conn_close(conn);
	unlink(path);
}

static void preferred_server_probe_capped_by_operation_budget(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	char uris[256], srv[64];
	const char *C = "ldap://c.example:389";

	add(A);
	add(B);
	add(C);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	fake_server(B)->connect_rc = LDAP_SERVER_DOWN;
	snprintf(uris, sizeof(uris), "%s %s %s", A, B, C);
	conn = open_on(uris);
	push_entries(C, 1, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 3);

	/* Backoffs over; A and B now swallow the whole connect timeout.  The
	 * link to C works, so the probes share op_timeout / 2 = 4 s: A gets
	 * 4 s (not the 6 s connect timeout), B waits for a later operation. */
	fake_now_ms += 31000;
	fake_server(A)->connect_rc = LDAP_SUCCESS;
	fake_server(A)->connect_timeout = true;
	fake_server(B)->connect_rc = LDAP_SUCCESS;
	fake_server(B)->connect_timeout = true;
	push_entries(C, 2, 0);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	assert_int_equal(fake_n_connects, 4);
	assert_string_equal(fake_connects[3], A);
	assert_int_equal(fake_connect_timeouts_ms[3], 4000);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, C);
	lb_conn_close(conn);
}

static void paged_empty_pages_with_new_cookies_continue(void **state)
{
	static const char *cookies[] = { "c1", "c2", "c3", "c4", "c5" };
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;
	int i;

	add(A);
	for (i = 0; i < 5; i++) { /* AD on a sparse filter: empty pages */
		memset(&r, 0, sizeof(r));
		r.page = true;
		r.page_cookie = cookies[i];
		fake_push(A, &r);
	}
	resp_init(&r, people, 2);
	r.page = true;
	r.page_cookie = "";
	fake_push(A, &r);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_PAGED, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	assert_int_equal(fake_n_reqs, 6);
	for (i = 0; i < 6; i++)
		assert_true(fake_reqs[i].paged);
	assert_string_equal(fake_reqs[5].page_cookie, "c5");
	assert_false(logged("falling back"));
	lb_result_free(res);
	lb_conn_close(conn);
}

/* Samba: one cookie on every page, yet every page moves on.  Progress is
 * new entries; one seen before (a page overlapping the last) is dropped. */
static void paged_repeated_cookie_with_new_entries_continues(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	resp_init(&r, people, 2);
	r.page = true;
	r.page_cookie = "same";
	fake_push(A, &r);
	r.entries = people + 1;      /* bob again, and cyd */
	fake_push(A, &r);
	r.entries = people + 3;      /* dan, the last page */
	r.n_entries = 1;
	r.page_cookie = "";
	fake_push(A, &r);
	cfg(&c, A);
	c.page_size = 2;
	conn = open_ok(&c);
	assert_int_equal(do_search(conn, LB_MODE_PAGED, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(lb_entry_dn(lb_result_entry(res, i)), people[i].dn);
	assert_int_equal(fake_n_reqs, 3);
	for (int i = 0; i < 3; i++)
		assert_true(fake_reqs[i].paged);
	assert_false(logged("falling back"));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void paged_repeated_cookie_falls_back_and_abandons(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	struct fake_resp r;

	add(A);
	resp_init(&r, people, 2);
	r.page = true;
	r.page_cookie = "same";
	fake_push(A, &r);
	/* the same cookie and nothing new: the same page forever */
	fake_push(A, &r);
	push_entries(A, 4, 0);
	cfg(&c, A);
	c.page_size = 2;
	conn = open_ok(&c);
	assert_int_equal(do_search(conn, LB_MODE_PAGED, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 4); /* the plain answer only */
	assert_int_equal(fake_n_reqs, 4);
	assert_int_equal(fake_reqs[1].page_size, 2);
	assert_string_equal(fake_reqs[1].page_cookie, "same");
	/* RFC 2696 abandon: page size 0 with the live cookie, then plain. */
	assert_true(fake_reqs[2].paged);
	assert_int_equal(fake_reqs[2].page_size, 0);
	assert_string_equal(fake_reqs[2].page_cookie, "same");
	assert_false(fake_reqs[3].paged);
	assert_true(logged("cookie repeated with no new entries"));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void ranged_attribute_stalled_or_bogus_range_stops(void **state)
{
	static const struct fake_entry group = {
		"cn=big,dc=example,dc=com",
		{ { "cn", { "big", NULL } }, { "member;range=0-1", { "uid=m0", "uid=m1", NULL } } }
	};
	static const struct fake_entry bogus = {
		"cn=huge,dc=example,dc=com",
		{ { "member;range=0-18446744073709551615", { "uid=m0", NULL } } }
	};
	struct lb_error err;
	lb_result *res = NULL;
	const struct lb_attr *a;
	lb_conn *conn;
	struct fake_resp r;
	int i;

	add(A);
	memset(&r, 0, sizeof(r));
	r.entries = &group;
	r.n_entries = 1;
	for (i = 0; i < 2; i++) /* asked for 2-*, it answers 0-1 again */
		fake_push(A, &r);
	conn = open_on(A);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(fake_n_reqs, 2); /* the search and one follow-up */
	a = lb_entry_find(lb_result_entry(res, 0), "member");
	assert_non_null(a);
	assert_int_equal(a->n_values, 2); /* no duplicates */
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_ADMINLIMIT);
	assert_true(logged("did not advance"));
	lb_result_free(res);

	/* high == ULONG_MAX: high + 1 would wrap to 0; not followed. */
	r.entries = &bogus;
	fake_push(A, &r);
	assert_int_equal(do_search(conn, LB_MODE_PLAIN, &res, &err), LB_OK);
	assert_int_equal(fake_n_reqs, 3);
	assert_non_null(lb_entry_find(lb_result_entry(res, 0),
				      "member;range=0-18446744073709551615"));
	lb_result_free(res);
	lb_conn_close(conn);
}

static void batch_sort_fallbacks_per_search(void **state)
{
	static const struct lb_sort_key k = { "displayName", NULL, false };
	struct lb_error err;
	struct lb_search_params p[3];
	lb_result *res[3];
	lb_err status[3];
	lb_conn *conn;
	struct fake_resp r;
	int i;

	add(A);
	/* What sssvlv does to a non-critical sort without an ordering rule:
	 * searches 0 and 1 both went out before the first 18 came back. */
	memset(&r, 0, sizeof(r));
	r.code = LDAP_INAPPROPRIATE_MATCHING;
	r.diag = "serverSortControl: No ordering rule";
	fake_push(A, &r);                      /* search 0 */
	fake_push(A, &r);                      /* search 1 */
	memset(&r, 0, sizeof(r));
	r.code = LDAP_BUSY;
	fake_push(A, &r);                      /* search 2 */
	resp_init(&r, people, 3);
	r.sort = true;
	fake_push(A, &r);                      /* search 0 again, with 2.5.13.3 */
	r.n_entries = 2;
	fake_push(A, &r);                      /* search 1 again, with 2.5.13.3 */
	push_entries(A, 4, 0);                 /* search 2 again, unsorted */
	conn = open_on(A);
	for (i = 0; i < 3; i++) {
		lb_search_params_init(&p[i]);
		p[i].base = "dc=example,dc=com";
		p[i].sort = &k;
		p[i].n_sort = 1;
	}
	assert_int_equal(lb_search_batch(conn, p, 3, res, status, &err), LB_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(status[i], LB_OK);
	assert_int_equal(fake_n_reqs, 6);
	for (i = 0; i < 3; i++)
		assert_false(fake_reqs[i].sort_has_default_rule);
	assert_true(fake_reqs[3].sort && fake_reqs[3].sort_has_default_rule);
	assert_true(fake_reqs[4].sort && fake_reqs[4].sort_has_default_rule);
	assert_false(fake_reqs[5].sort);
	assert_int_equal(lb_result_count(res[0]), 3);
	assert_true(lb_result_sorted(res[0]));
	assert_int_equal(lb_result_count(res[1]), 2);
	assert_true(lb_result_sorted(res[1]));
	assert_int_equal(lb_result_count(res[2]), 4);
	assert_false(lb_result_sorted(res[2]));
	for (i = 0; i < 3; i++)
		lb_result_free(res[i]);

	/* The server's need for a rule on displayName is remembered: the
	 * next sorted search names it at once (no refused round trip). */
	resp_init(&r, people, 1);
	r.sort = true;
	fake_push(A, &r);
	assert_int_equal(sorted_search(conn, NULL, &res[0], &err), LB_OK);
	assert_int_equal(fake_n_reqs, 7);
	assert_true(fake_reqs[6].sort_has_default_rule);
	lb_result_free(res[0]);
	lb_conn_close(conn);
}

static void vlv_remembers_ordering_rule_per_connection(void **state)
{
	struct lb_error err;
	struct lb_vlv_target t = { false, 1, 0, NULL };
	struct lb_vlv_pos pos;
	lb_result *res = NULL;
	lb_conn *conn;
	lb_vlv *v;
	struct fake_resp r, ok;
	int round;

	add(A);
	memset(&r, 0, sizeof(r));
	r.code = LDAP_INAPPROPRIATE_MATCHING;
	r.diag = "serverSortControl: No ordering rule";
	memset(&ok, 0, sizeof(ok));
	ok.entries = people;
	ok.n_entries = 2;
	ok.vlv = true;
	ok.vlv_target = 1;
	ok.vlv_count = 4;
	ok.vlv_context = "ctx-a";
	fake_push(A, &r);
	fake_push(A, &ok);
	fake_push(A, &ok);
	conn = open_on(A);
	for (round = 0; round < 2; round++) {
		v = vlv_open(conn); /* key "cn" without a rule */
		assert_int_equal(lb_vlv_window(v, 0, 1, &t, &res, &pos, &err), LB_OK);
		assert_false(pos.emulated);
		lb_result_free(res);
		lb_vlv_close(v);
	}
	/* 18 once, then 2.5.13.3; the second VLV handle names it at once. */
	assert_int_equal(fake_n_reqs, 3);
	assert_false(fake_reqs[0].sort_has_default_rule);
	assert_true(fake_reqs[1].sort_has_default_rule);
	assert_true(fake_reqs[2].sort_has_default_rule);
	lb_conn_close(conn);
}

/* URI and BASE from ldap.conf(5) when the configuration has none.  libldap
 * reads its configuration once per process, at first use: CTest runs each
 * test in a process of its own, and nothing touched libldap before. */
static void ldap_conf_fallback_for_uri_and_base(void **state)
{
	char dir[] = "/tmp/lb-unit-ldapconf-XXXXXX", conf[600], srv[128];
	struct lb_config c;
	struct lb_error err;
	struct lb_search_params p;
	lb_result *res = NULL;
	lb_conn *conn;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/ldap.conf", dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "# test ldap.conf\nURI ldap://b.example:1389 ldap://a.example:1389\n"
		   "BASE dc=conf,dc=example\n");
	fclose(f);
	/* Only that file: no ~/.ldaprc or ./ldaprc, no LDAP* variables. */
	assert_int_equal(setenv("LDAPCONF", conf, 1), 0);
	assert_int_equal(setenv("HOME", dir, 1), 0);
	assert_int_equal(setenv("LDAPRC", "lb-unit-no-such-ldaprc", 1), 0);
	unsetenv("LDAPURI");
	unsetenv("LDAPBASE");
	unsetenv("LDAPNOINIT");

	add("ldap://b.example:1389");
	add("ldap://a.example:1389");
	fake_server("ldap://b.example:1389")->connect_rc = LDAP_SERVER_DOWN;
	cfg(&c, NULL);
	conn = open_ok(&c);
	push_entries("ldap://a.example:1389", 1, 0);
	lb_search_params_init(&p); /* base NULL: ldap.conf BASE */
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_OK);
	lb_result_free(res);
	/* Both URIs, in ldap.conf's order. */
	assert_int_equal(fake_n_connects, 2);
	assert_string_equal(fake_connects[0], "ldap://b.example:1389");
	assert_string_equal(fake_connects[1], "ldap://a.example:1389");
	assert_string_equal(fake_reqs[0].base, "dc=conf,dc=example");
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, "ldap://a.example:1389");
	lb_conn_close(conn);

	/* Our own settings win over ldap.conf. */
	cfg(&c, "ldap://a.example:1389");
	c.base = "dc=mine,dc=example";
	conn = open_ok(&c);
	push_entries("ldap://a.example:1389", 1, 0);
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_OK);
	lb_result_free(res);
	assert_string_equal(fake_reqs[1].base, "dc=mine,dc=example");
	lb_conn_close(conn);
	unlink(conf);
	rmdir(dir);
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(error_names_cover_every_code),
		T(config_defaults),
		T(open_rejects_bad_config_without_connecting),
		T(clear_password_refused_and_never_sent),
		T(connect_refused_fails_over_in_order),
		T(backoff_skips_then_retries_first_server_doubling),
		T(all_backed_off_are_still_tried),
		T(connect_timeout_named_and_deadline_shared),
		T(silent_server_times_out_at_root_dse),
		T(invalid_credentials_no_failover_no_password),
		T(server_down_at_bind_fails_over),
		T(password_file_read_at_every_bind),
		T(ldaps_handshake_failure_is_tls_error),
		T(missing_ca_file_is_tls_setup_error),
		T(reqcert_never_logs_warning),
		T(gssapi_failure_is_auth_method),
		T(down_mid_search_retried_once_on_next_server),
		T(op_timeout_mid_search_names_the_timeout),
		T(size_and_time_limits_keep_entries),
		T(entries_are_plain_binary_safe_data),
		T(entry_read_in_one_pass_keeps_binary_and_all_attributes),
		T(paged_search_follows_cookies),
		T(paged_unavailable_falls_back_to_plain),
		T(malformed_page_control_falls_back),
		T(empty_paged_answer_falls_back),
		T(sort_busy_retried_then_dropped),
		T(sort_without_ordering_rule_gets_one),
		T(ranged_attribute_followed_to_the_end),
		T(batch_sends_all_before_collecting),
		T(batch_resent_once_after_drop),
		T(vlv_context_id_sent_back),
		T(vlv_malformed_response_falls_back_to_sorted_copy),
		T(vlv_busy_reconnects_retries_then_falls_back),
		T(vlv_busy_on_context_resent_with_same_context),
		T(vlv_busy_on_context_forever_resends_bounded_then_falls_back),
		T(vlv_without_advertised_controls_emulates),
		T(rootdse_copy_describes_server),
		T(null_arguments_rejected),
		T(password_file_too_long_refused),
		T(preferred_server_probe_capped_by_operation_budget),
		T(paged_empty_pages_with_new_cookies_continue),
		T(paged_repeated_cookie_with_new_entries_continues),
		T(ad_diagnostics_in_words),
		T(paged_repeated_cookie_falls_back_and_abandons),
		T(ranged_attribute_stalled_or_bogus_range_stops),
		T(batch_sort_fallbacks_per_search),
		T(vlv_remembers_ordering_rule_per_connection),
		T(ldap_conf_fallback_for_uri_and_base),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_core", tests, NULL, NULL);
}
