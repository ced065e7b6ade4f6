/*
 * test_lb_slapd.c - ldapbridge against the real slapd fixture.
 *
 * One binary; argv[1] selects the cmocka tests to run (a glob), so CTest can
 * list every behaviour as its own test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldapbridge/lb.h>

#include "lb_it_util.h"

#include "slapd_env.h"

static const char *env(const char *k)
{
	const char *v = slapd_env(k);
	if (v == NULL)
		fail_msg("fixture key %s missing", k);
	return v;
}

static void base_cfg(struct lb_config *c, const char *uris)
{
	lb_config_init(c);
	c->uris = uris;
	c->connect_timeout_ms = 3000;
	c->op_timeout_ms = 5000;
}

/* A simple bind as the fixture's read-only reader with PASSWORD (NULL: the
 * test names a password file instead). */
static void bind_as_reader(struct lb_config *c, const char *password)
{
	c->bind_method = LB_BIND_SIMPLE;
	c->bind_dn = env("LDAPAB_TEST_BIND_DN");
	c->password = password;
}

/* Search and expect success; returns the result. */
static lb_result *search_ok(lb_conn *conn, const char *base, const char *filter,
			    enum lb_search_mode mode)
{
	return lbt_search_ok(conn, base, LB_SCOPE_SUB, filter, NULL, mode);
}

static void expect_one_person(lb_conn *conn)
{
	lb_result *res = search_ok(conn, env("LDAPAB_TEST_BASE"), "(uid=mthornton)",
				   LB_MODE_AUTO);
	const struct lb_value *v;

	assert_int_equal(lb_result_count(res), 1);
	v = lb_entry_value(lb_result_entry(res, 0), "displayName");
	assert_non_null(v);
	assert_string_equal(v->data, "Margaret Thornton");
	assert_int_equal(v->len, strlen("Margaret Thornton"));
	lb_result_free(res);
}

/* ------------------------------------------------------------------------ */

static void anonymous_search_over_ldap(void **state)
{
	struct lb_config c;
	lb_conn *conn;
	char srv[256];

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, ""); /* lazy: nothing connected yet */
	expect_one_person(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, env("LDAPAB_TEST_URI"));
	lb_conn_close(conn);
}

static void simple_bind_over_ldapi(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	base_cfg(&c, env("LDAPAB_TEST_LDAPI_URI"));
	bind_as_reader(&c, env("LDAPAB_TEST_BIND_PW"));
	conn = lbt_open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	expect_one_person(conn);
	lb_conn_close(conn);
}

static void simple_bind_password_file(void **state)
{
	struct lb_config c;
	struct lb_error err;
	char path[] = "/tmp/lb-pw-XXXXXX";
	int fd = mkstemp(path);
	lb_conn *conn;

	assert_true(fd >= 0);
	assert_true(dprintf(fd, "%s\n", env("LDAPAB_TEST_BIND_PW")) > 0);
	close(fd);
	base_cfg(&c, env("LDAPAB_TEST_LDAPI_URI"));
	bind_as_reader(&c, NULL);
	c.password_file = path;
	conn = lbt_open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	lb_conn_close(conn);
	unlink(path);
}

static void sasl_external_over_ldapi(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;
	lb_err rc;

	base_cfg(&c, env("LDAPAB_TEST_LDAPI_URI"));
	c.bind_method = LB_BIND_SASL_EXTERNAL;
	conn = lbt_open_ok(&c);
	rc = lb_conn_check(conn, &err);
	if (rc != LB_OK)
		fail_msg("EXTERNAL: %s: %s", lb_err_name(rc), err.message);
	expect_one_person(conn);
	lb_conn_close(conn);
}

static void wrong_password_says_who_and_where(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;

	base_cfg(&c, env("LDAPAB_TEST_LDAPI_URI"));
	bind_as_reader(&c, "definitely-wrong-pw");
	conn = lbt_open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_AUTH);
	assert_int_equal(err.step, LB_STEP_BIND);
	assert_int_equal(err.ldap_code, 49);
	assert_non_null(strstr(err.message, env("LDAPAB_TEST_BIND_DN")));
	assert_non_null(strstr(err.message, "Invalid credentials"));
	assert_string_equal(err.server, env("LDAPAB_TEST_LDAPI_URI"));
	assert_null(strstr(err.message, "definitely-wrong-pw"));
	lb_conn_close(conn);
}

static void clear_password_refused(void **state)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn = NULL;
	char uris[1024];

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	bind_as_reader(&c, env("LDAPAB_TEST_BIND_PW"));
	assert_int_equal(lb_conn_open(&c, &conn, &err), LB_E_INSECURE);
	assert_null(conn);
	assert_non_null(strstr(err.message, "unencrypted"));
	assert_null(strstr(err.message, env("LDAPAB_TEST_BIND_PW")));

	/* ldap:// first, ldapi:// second: the clear one is skipped unsent. */
	snprintf(uris, sizeof(uris), "%s %s", env("LDAPAB_TEST_URI"),
		 env("LDAPAB_TEST_LDAPI_URI"));
	c.uris = uris;
	conn = lbt_open_ok(&c);
	expect_one_person(conn);
	lb_conn_server(conn, uris, sizeof(uris));
	assert_string_equal(uris, env("LDAPAB_TEST_LDAPI_URI"));
	lb_conn_close(conn);

	/* Explicitly allowed: works in clear. */
	c.uris = env("LDAPAB_TEST_URI");
	c.allow_insecure_password = true;
	conn = lbt_open_ok(&c);
	assert_int_equal(lb_conn_check(conn, &err), LB_OK);
	lb_conn_close(conn);
}

static void tls_connect(const char *uri, enum lb_tls_mode mode, const char *ca,
			lb_err want, struct lb_error *err)
{
	struct lb_config c;
	lb_conn *conn;
	lb_err rc;

	base_cfg(&c, uri);
	c.tls_mode = mode;
	c.tls_ca_file = ca;
	bind_as_reader(&c, env("LDAPAB_TEST_BIND_PW"));
	conn = lbt_open_ok(&c);
	rc = lb_conn_check(conn, err);
	if (rc != want)
		fail_msg("%s: want %s, got %s: %s", uri, lb_err_name(want), lb_err_name(rc),
			 err->message);
	if (want == LB_OK)
		expect_one_person(conn);
	lb_conn_close(conn);
}

static void ldaps_with_fixture_ca(void **state)
{
	struct lb_error err;
	tls_connect(env("LDAPAB_TEST_LDAPS_URI"), LB_TLS_NONE, env("LDAPAB_TEST_CA"),
		    LB_OK, &err);
}

static void starttls_with_fixture_ca(void **state)
{
	struct lb_error err;
	tls_connect(env("LDAPAB_TEST_URI"), LB_TLS_STARTTLS, env("LDAPAB_TEST_CA"),
		    LB_OK, &err);
}

static void ldaps_unknown_ca_refused_clearly(void **state)
{
	struct lb_error err;

	tls_connect(env("LDAPAB_TEST_LDAPS_URI"), LB_TLS_NONE, env("LDAPAB_TEST_OTHER_CA"),
		    LB_E_TLS, &err);
	assert_int_equal(err.step, LB_STEP_TLS);
	assert_string_equal(err.server, env("LDAPAB_TEST_LDAPS_URI"));
	assert_non_null(strstr(err.message, "TLS"));
	assert_non_null(strstr(err.message, env("LDAPAB_TEST_OTHER_CA")));
	print_message("ldaps refusal: %s\n", err.message);
}

static void starttls_unknown_ca_refused_clearly(void **state)
{
	struct lb_error err;

	tls_connect(env("LDAPAB_TEST_URI"), LB_TLS_STARTTLS, env("LDAPAB_TEST_OTHER_CA"),
		    LB_E_TLS, &err);
	assert_int_equal(err.step, LB_STEP_TLS);
	assert_non_null(strstr(err.message, "StartTLS"));
	print_message("StartTLS refusal: %s\n", err.message);
}

static void rootdse_reports_controls(void **state)
{
	struct lb_config c;
	struct lb_error err;
	struct lb_rootdse *dse = NULL;
	lb_conn *conn;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	assert_int_equal(lb_conn_rootdse(conn, &dse, &err), LB_OK);
	assert_int_equal(dse->controls, LB_CTRL_PAGED | LB_CTRL_SORT | LB_CTRL_VLV);
	assert_false(dse->is_active_directory);
	assert_true(dse->uuid_attrs & LB_UUID_ENTRYUUID);
	assert_int_equal(dse->n_naming_contexts, 2);
	assert_string_equal(dse->naming_contexts[0], env("LDAPAB_TEST_BASE"));
	assert_string_equal(dse->server, env("LDAPAB_TEST_URI"));
	lb_rootdse_free(dse);
	lb_conn_close(conn);
}

static void paged_read_of_bulk_base(void **state)
{
	struct lb_config c;
	lb_conn *conn;
	lb_result *res;
	long want = atol(env("LDAPAB_TEST_BULK_COUNT"));

	assert_true(want >= 5000);
	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	res = search_ok(conn, env("LDAPAB_TEST_BULK_BASE"), "(objectClass=inetOrgPerson)",
			LB_MODE_AUTO);
	/* The server's plain size limit is 500; paging reads them all. */
	assert_int_equal(lb_result_count(res), want);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_NONE);
	lb_result_free(res);

	res = search_ok(conn, env("LDAPAB_TEST_BULK_BASE"), "(objectClass=inetOrgPerson)",
			LB_MODE_PLAIN);
	assert_int_equal(lb_result_count(res), 500);
	assert_int_equal(lb_result_partial(res), LB_PARTIAL_SIZELIMIT);
	lb_result_free(res);
	lb_conn_close(conn);
}

static void sorted_search_names_ordering_rule(void **state)
{
	struct lb_config c;
	struct lb_search_params p;
	struct lb_sort_key key = { "displayName", NULL, false };
	struct lb_error err;
	lb_conn *conn;
	lb_result *res = NULL;
	size_t i;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	lb_search_params_init(&p);
	p.base = env("LDAPAB_TEST_BASE");
	p.filter = "(objectClass=inetOrgPerson)";
	p.sort = &key;
	p.n_sort = 1;
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_OK);
	assert_true(lb_result_count(res) > 50);
	assert_true(lb_result_sorted(res));
	for (i = 1; i < lb_result_count(res); i++) {
		const struct lb_value *a = lb_entry_value(lb_result_entry(res, i - 1), "displayName");
		const struct lb_value *b = lb_entry_value(lb_result_entry(res, i), "displayName");
		if (a && b && strcasecmp(a->data, b->data) > 0)
			fail_msg("not sorted at %zu: %s > %s", i, a->data, b->data);
	}
	lb_result_free(res);
	lb_conn_close(conn);
}

static void check_bulk_window(const lb_result *res, size_t first, size_t n)
{
	size_t i;
	char want[64];

	assert_int_equal(lb_result_count(res), n);
	for (i = 0; i < n; i++) {
		const struct lb_value *v = lb_entry_value(lb_result_entry(res, i), "displayName");
		snprintf(want, sizeof(want), "Bulk Person %06zu", first + i);
		assert_non_null(v);
		assert_string_equal(v->data, want);
	}
}

static void vlv_windows_by_offset_and_value(void **state)
{
	struct lb_config c;
	struct lb_vlv_params vp;
	struct lb_sort_key key = { "displayName", NULL, false };
	const char *attrs[] = { "displayName", "uid", NULL };
	struct lb_vlv_target t;
	struct lb_vlv_pos pos;
	struct lb_error err;
	lb_conn *conn;
	lb_vlv *vlv = NULL;
	lb_result *res = NULL;
	size_t count = (size_t)atol(env("LDAPAB_TEST_BULK_COUNT"));
	lb_err rc;
	int i;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	lb_vlv_params_init(&vp);
	vp.base = env("LDAPAB_TEST_BULK_BASE");
	vp.filter = "(objectClass=inetOrgPerson)";
	vp.attrs = attrs;
	vp.sort = &key;
	vp.n_sort = 1;
	assert_int_equal(lb_vlv_open(conn, &vp, &vlv, &err), LB_OK);

	memset(&t, 0, sizeof(t));
	t.offset = 100;
	rc = lb_vlv_window(vlv, 2, 2, &t, &res, &pos, &err);
	if (rc != LB_OK)
		fail_msg("window: %s: %s", lb_err_name(rc), err.message);
	assert_false(pos.emulated);
	assert_int_equal(pos.target_pos, 100);
	assert_int_equal(pos.content_count, count);
	check_bulk_window(res, 98, 5);
	lb_result_free(res);

	/* The first window of the list: offsets start at 1. */
	t.offset = 1;
	assert_int_equal(lb_vlv_window(vlv, 5, 3, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, 1);
	check_bulk_window(res, 1, 4);
	lb_result_free(res);

	/* Many windows on one context: more than sssvlv-maxperconn (16) would
	 * fail with "other sort requests in progress" if contexts leaked. */
	for (i = 0; i < 40; i++) {
		t.offset = (size_t)(1 + i * 97);
		rc = lb_vlv_window(vlv, 0, 9, &t, &res, &pos, &err);
		if (rc != LB_OK)
			fail_msg("window %d: %s: %s", i, lb_err_name(rc), err.message);
		assert_false(pos.emulated);
		check_bulk_window(res, t.offset, 10);
		lb_result_free(res);
	}

	t.by_value = true;
	t.value = "Bulk Person 004000";
	assert_int_equal(lb_vlv_window(vlv, 1, 1, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, 4000);
	check_bulk_window(res, 3999, 3);
	lb_result_free(res);

	t.value = "bulk person 0040005"; /* between 004000 and 004001 */
	assert_int_equal(lb_vlv_window(vlv, 0, 0, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, 4001);
	lb_result_free(res);

	/* Past the end: target is count + 1, only the "before" entries come. */
	t.value = "zzzz";
	assert_int_equal(lb_vlv_window(vlv, 2, 2, &t, &res, &pos, &err), LB_OK);
	assert_int_equal(pos.target_pos, count + 1);
	check_bulk_window(res, count - 1, 2);
	lb_result_free(res);

	lb_vlv_close(vlv);
	lb_conn_close(conn);
}

/* lb.h: lb_vlv_close() touches only the handle, so a handle may be closed
 * after its connection (the provider releases a table after Logoff closed
 * the connection).  Under ASan or memcheck a touch of the freed connection
 * fails here. */
static void vlv_handles_closed_after_their_connection(void **state)
{
	struct lb_config c;
	struct lb_vlv_params vp;
	struct lb_sort_key key = { "displayName", NULL, false };
	const char *attrs[] = { "displayName", NULL };
	struct lb_vlv_target t;
	struct lb_vlv_pos pos;
	struct lb_error err;
	lb_conn *conn;
	lb_vlv *used = NULL, *unused = NULL;
	lb_result *res = NULL;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	lb_vlv_params_init(&vp);
	vp.base = env("LDAPAB_TEST_BULK_BASE");
	vp.filter = "(objectClass=inetOrgPerson)";
	vp.attrs = attrs;
	vp.sort = &key;
	vp.n_sort = 1;
	assert_int_equal(lb_vlv_open(conn, &vp, &used, &err), LB_OK);
	assert_int_equal(lb_vlv_open(conn, &vp, &unused, &err), LB_OK);
	memset(&t, 0, sizeof(t));
	t.offset = 10;
	assert_int_equal(lb_vlv_window(used, 0, 4, &t, &res, &pos, &err), LB_OK);
	assert_false(pos.emulated);     /* the handle holds the server's context */
	check_bulk_window(res, 10, 5);
	lb_result_free(res);
	lb_conn_close(conn);
	lb_vlv_close(used);
	lb_vlv_close(unused);
}

/* sssvlv keeps each VLV list until the connection closes (16 per connection
 * here): browsing sessions opened and closed one after another must not run
 * out of them. */
static void count_recycles(void *ctx, enum lb_log_level level, const char *msg)
{
	if (strstr(msg, "reconnecting to free them"))
		++*(int *)ctx;
}

static void many_vlv_sessions_on_one_connection(void **state)
{
	int recycles = 0;
	struct lb_config c;
	struct lb_vlv_params vp;
	struct lb_sort_key key = { "displayName", "2.5.13.3", false };
	const char *attrs[] = { "displayName", NULL };
	struct lb_vlv_target t;
	struct lb_vlv_pos pos;
	struct lb_error err;
	lb_conn *conn;
	int i;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	c.log = count_recycles;
	c.log_ctx = &recycles;
	conn = lbt_open_ok(&c);
	lb_vlv_params_init(&vp);
	vp.base = env("LDAPAB_TEST_BASE");
	vp.filter = "(objectClass=inetOrgPerson)";
	vp.attrs = attrs;
	vp.sort = &key;
	vp.n_sort = 1;
	memset(&t, 0, sizeof(t));
	t.offset = 1;
	for (i = 0; i < 40; i++) {
		lb_vlv *vlv = NULL;
		lb_result *res = NULL;
		lb_err rc;

		assert_int_equal(lb_vlv_open(conn, &vp, &vlv, &err), LB_OK);
		rc = lb_vlv_window(vlv, 0, 4, &t, &res, &pos, &err);
		if (rc != LB_OK)
			fail_msg("session %d: %s: %s", i, lb_err_name(rc), err.message);
		assert_false(pos.emulated);
		assert_int_equal(lb_result_count(res), 5);
		lb_result_free(res);
		lb_vlv_close(vlv);
	}
	/* 40 sessions, 16 lists per connection: recycled twice. */
	assert_int_equal(recycles, 2);
	lb_conn_close(conn);
}

static int closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd); /* nothing listens there now */
	return port;
}

struct msgs {
	int n;
	char text[8][LB_ERROR_MSG_MAX];
};

static void collect_log(void *ctx, enum lb_log_level level, const char *msg)
{
	struct msgs *m = ctx;
	if (m->n < 8)
		snprintf(m->text[m->n++], LB_ERROR_MSG_MAX, "%s", msg);
}

static void failover_past_dead_first_uri(void **state)
{
	struct lb_config c;
	struct msgs log = { 0 };
	char uris[512], srv[256];
	int port = closed_port(), i;
	lb_conn *conn;
	bool logged = false;

	snprintf(uris, sizeof(uris), "ldap://127.0.0.1:%d %s", port, env("LDAPAB_TEST_URI"));
	base_cfg(&c, uris);
	c.log = collect_log;
	c.log_ctx = &log;
	conn = lbt_open_ok(&c);
	expect_one_person(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, env("LDAPAB_TEST_URI"));
	for (i = 0; i < log.n; i++)
		if (strstr(log.text[i], "connect to ldap://127.0.0.1:") &&
		    strstr(log.text[i], "skipping"))
			logged = true;
	assert_true(logged);
	lb_conn_close(conn);
}

static void failover_rundir(char *buf, size_t len)
{
	snprintf(buf, len, "%s-lbfailover", env("LDAPAB_TEST_RUNDIR"));
}

/* Never leave the second slapd running, even when an assertion failed. */
static int stop_second_server(void **state)
{
	char rundir[512];

	failover_rundir(rundir, sizeof(rundir));
	return slapd_instance_stop(rundir) == 0 ? 0 : -1;
}

/* Only the reader may see ou=Services (anonymous: nothing): finding the
 * reader's own entry proves the link is bound as the reader. */
static void expect_bound_as_reader(lb_conn *conn)
{
	lb_result *res = search_ok(conn, env("LDAPAB_TEST_BASE"), "(cn=reader)",
				   LB_MODE_AUTO);

	assert_int_equal(lb_result_count(res), 1);
	assert_string_equal(lb_entry_dn(lb_result_entry(res, 0)), env("LDAPAB_TEST_BIND_DN"));
	lb_result_free(res);
}

static bool process_gone(long pid)
{
	char path[64], line[256];
	FILE *f;
	bool gone = true;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return true;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "State:", 6) == 0)
			gone = strchr(line, 'Z') != NULL; /* a zombie serves no one */
	fclose(f);
	return gone;
}

/* The first server dies hard (SIGKILL: no goodbye on the socket) between
 * reads of a simple-bound session: the next read is retried on the second
 * server, re-bound as the reader. */
static void failover_when_first_server_dies(void **state)
{
	char rundir[512], uris[2048], srv[1024];
	struct lb_config c;
	lb_conn *conn;
	char *uri2, *pid2;
	long pid;
	int i;

	failover_rundir(rundir, sizeof(rundir));
	assert_int_equal(slapd_instance_start(rundir, "--bulk 10 --no-tls"), 0);
	uri2 = slapd_env_file(rundir, "LDAPAB_TEST_LDAPI_URI");
	pid2 = slapd_env_file(rundir, "LDAPAB_TEST_PID");
	assert_non_null(uri2);
	assert_non_null(pid2);
	pid = atol(pid2);
	assert_true(pid > 1);
	snprintf(uris, sizeof(uris), "%s %s", uri2, env("LDAPAB_TEST_LDAPI_URI"));
	base_cfg(&c, uris);
	bind_as_reader(&c, env("LDAPAB_TEST_BIND_PW")); /* re-bind after reconnect is exercised */
	conn = lbt_open_ok(&c);
	expect_bound_as_reader(conn);
	expect_one_person(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, uri2);

	assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
	for (i = 0; i < 100 && !process_gone(pid); i++)
		usleep(50 * 1000);
	assert_true(process_gone(pid));
	/* The dead link is noticed by the next read, which is retried on the
	 * next server (reconnect + simple bind) transparently. */
	expect_bound_as_reader(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, env("LDAPAB_TEST_LDAPI_URI"));
	expect_one_person(conn);
	lb_conn_close(conn);
	free(uri2);
	free(pid2);
}

/* TLS settings belong to each handle: connections with different CAs and
 * TLS modes in one process, used in turn, each get their own answer. */
static void tls_settings_are_per_handle(void **state)
{
	struct {
		const char *uri;
		enum lb_tls_mode mode;
		const char *ca; /* NULL: libldap's default CAs (no fixture CA) */
		lb_err want;
	} cases[] = {
		{ env("LDAPAB_TEST_LDAPS_URI"), LB_TLS_NONE, env("LDAPAB_TEST_CA"), LB_OK },
		{ env("LDAPAB_TEST_LDAPS_URI"), LB_TLS_NONE, env("LDAPAB_TEST_OTHER_CA"), LB_E_TLS },
		{ env("LDAPAB_TEST_URI"), LB_TLS_STARTTLS, env("LDAPAB_TEST_CA"), LB_OK },
		{ env("LDAPAB_TEST_URI"), LB_TLS_STARTTLS, env("LDAPAB_TEST_OTHER_CA"), LB_E_TLS },
		{ env("LDAPAB_TEST_LDAPS_URI"), LB_TLS_NONE, NULL, LB_E_TLS },
		{ env("LDAPAB_TEST_URI"), LB_TLS_STARTTLS, NULL, LB_E_TLS },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	lb_conn *conn[N];
	int round, k;
	size_t i;

	for (i = 0; i < N; i++) {
		struct lb_config c;

		base_cfg(&c, cases[i].uri);
		c.tls_mode = cases[i].mode;
		c.tls_ca_file = cases[i].ca;
		bind_as_reader(&c, env("LDAPAB_TEST_BIND_PW"));
		conn[i] = lbt_open_ok(&c);
	}
	/* Interleaved: forwards, backwards, forwards; a failing handle between
	 * two good ones must not change what the good ones trust, nor the
	 * other way round. */
	for (round = 0; round < 3; round++) {
		for (k = 0; k < N; k++) {
			size_t j = round == 1 ? (size_t)(N - 1 - k) : (size_t)k;
			struct lb_error err;
			lb_err rc = lb_conn_check(conn[j], &err);

			if (rc != cases[j].want)
				fail_msg("round %d, handle %zu (%s, %s, CA %s): want %s, got %s: %s",
					 round, j, cases[j].uri,
					 cases[j].mode == LB_TLS_STARTTLS ? "StartTLS" : "LDAPS",
					 cases[j].ca ? cases[j].ca : "default",
					 lb_err_name(cases[j].want), lb_err_name(rc), err.message);
			if (rc == LB_OK)
				expect_bound_as_reader(conn[j]);
			else
				assert_int_equal(err.step, LB_STEP_TLS);
		}
	}
	for (i = 0; i < N; i++)
		lb_conn_close(conn[i]);
}

/* sssvlv fails even a non-critical sort on displayName (no ORDERING rule)
 * with error 18: the batch must name the rule per search as lb_search does. */
static void batch_sorted_without_ordering_rule(void **state)
{
	enum { N = 3 };
	static const char *filters[N] = { "(uid=bulk00001*)", "(uid=bulk00002*)",
					  "(uid=bulk00003*)" };
	struct lb_sort_key key = { "displayName", NULL, false };
	struct lb_search_params p[N];
	lb_result *res[N];
	lb_err status[N];
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn;
	lb_err rc;
	size_t i, j;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c); /* fresh: nothing learnt from an lb_search yet */
	for (i = 0; i < N; i++) {
		lb_search_params_init(&p[i]);
		p[i].base = env("LDAPAB_TEST_BULK_BASE");
		p[i].filter = filters[i];
		p[i].sort = &key;
		p[i].n_sort = 1;
	}
	key.reverse = true; /* descending: the server's order, not the uids' */
	rc = lb_search_batch(conn, p, N, res, status, &err);
	if (rc != LB_OK)
		fail_msg("batch: %s: %s", lb_err_name(rc), err.message);
	for (i = 0; i < N; i++) {
		if (status[i] != LB_OK)
			fail_msg("search %zu: %s", i, lb_err_name(status[i]));
		assert_int_equal(lb_result_count(res[i]), 10);
		assert_true(lb_result_sorted(res[i]));
		for (j = 1; j < lb_result_count(res[i]); j++) {
			const struct lb_value *a =
				lb_entry_value(lb_result_entry(res[i], j - 1), "displayName");
			const struct lb_value *b =
				lb_entry_value(lb_result_entry(res[i], j), "displayName");
			assert_non_null(a);
			assert_non_null(b);
			if (strcasecmp(a->data, b->data) < 0)
				fail_msg("search %zu not sorted at %zu: %s < %s", i, j, a->data,
					 b->data);
		}
		lb_result_free(res[i]);
	}
	lb_conn_close(conn);
}

static void silent_server_hits_connect_timeout(void **state)
{
	struct test_silent_listener s;
	struct lb_config c;
	struct lb_error err;
	char uri[128], uris[512], srv[256];
	lb_conn *conn;
	uint64_t t0, spent;
	lb_err rc;

	assert_int_equal(test_silent_listener_start(&s), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", s.port);
	base_cfg(&c, uri);
	c.connect_timeout_ms = 700;
	c.op_timeout_ms = 2000;
	conn = lbt_open_ok(&c);
	t0 = test_mono_ms();
	rc = lb_conn_check(conn, &err);
	spent = test_mono_ms() - t0;
	assert_int_equal(rc, LB_E_TIMEOUT);
	assert_string_equal(err.server, uri);
	assert_non_null(strstr(err.message, "700 ms"));
	assert_non_null(strstr(err.message, "connect timeout"));
	print_message("silent server: %s (after %llu ms)\n", err.message,
		      (unsigned long long)spent);
	assert_true(spent >= 650 && spent < 1900);
	lb_conn_close(conn);

	/* With a live server behind it, the operation fails over in time. */
	snprintf(uris, sizeof(uris), "%s %s", uri, env("LDAPAB_TEST_URI"));
	c.uris = uris;
	conn = lbt_open_ok(&c);
	expect_one_person(conn);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, env("LDAPAB_TEST_URI"));
	lb_conn_close(conn);
	test_silent_listener_stop(&s);
}

static void batch_of_outstanding_searches(void **state)
{
	enum { N = 40 };
	struct lb_config c;
	struct lb_search_params p[N];
	char filters[N][64];
	lb_result *res[N];
	lb_err status[N];
	struct lb_error err;
	lb_conn *conn;
	int i;

	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	for (i = 0; i < N; i++) {
		lb_search_params_init(&p[i]);
		p[i].base = env("LDAPAB_TEST_BULK_BASE");
		snprintf(filters[i], sizeof(filters[i]), "(uid=bulk%06d)", i + 1);
		p[i].filter = filters[i];
	}
	p[N - 1].base = "ou=Nowhere,dc=bulk,dc=example";
	assert_int_equal(lb_search_batch(conn, p, N, res, status, &err), LB_OK);
	for (i = 0; i < N - 1; i++) {
		char want[32];
		assert_int_equal(status[i], LB_OK);
		assert_int_equal(lb_result_count(res[i]), 1);
		snprintf(want, sizeof(want), "bulk%06d", i + 1);
		assert_string_equal(lb_entry_value(lb_result_entry(res[i], 0), "uid")->data, want);
		lb_result_free(res[i]);
	}
	assert_int_equal(status[N - 1], LB_E_NOT_FOUND);
	assert_null(res[N - 1]);

	/* Without a status array the failing search fails the batch. */
	assert_int_equal(lb_search_batch(conn, p, N, res, NULL, &err), LB_E_NOT_FOUND);
	assert_non_null(strstr(err.message, "ou=Nowhere"));
	for (i = 0; i < N; i++)
		assert_null(res[i]);
	lb_conn_close(conn);
}

struct worker {
	lb_conn *conn;
	int id;
	int failures;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < 25; i++) {
		struct lb_search_params p;
		struct lb_error err;
		lb_result *res = NULL;
		char filter[64];

		lb_search_params_init(&p);
		p.base = slapd_env("LDAPAB_TEST_BULK_BASE");
		snprintf(filter, sizeof(filter), "(uid=bulk%06d)", 1 + w->id * 100 + i);
		p.filter = filter;
		if (lb_search(w->conn, &p, &res, &err) != LB_OK || lb_result_count(res) != 1)
			w->failures++;
		lb_result_free(res);
	}
	return NULL;
}

/* One connection shared by several threads: the per-connection mutex
 * serialises them and every answer reaches the right caller. */
static void one_connection_many_threads(void **state)
{
	struct lb_config c;
	struct worker w[4];
	pthread_t th[4];
	lb_conn *conn;
	int i;

	(void)env("LDAPAB_TEST_BULK_BASE"); /* read the env file before threads */
	base_cfg(&c, env("LDAPAB_TEST_URI"));
	conn = lbt_open_ok(&c);
	for (i = 0; i < 4; i++) {
		w[i].conn = conn;
		w[i].id = i;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	lb_conn_close(conn);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anonymous_search_over_ldap),
		cmocka_unit_test(simple_bind_over_ldapi),
		cmocka_unit_test(simple_bind_password_file),
		cmocka_unit_test(sasl_external_over_ldapi),
		cmocka_unit_test(wrong_password_says_who_and_where),
		cmocka_unit_test(clear_password_refused),
		cmocka_unit_test(ldaps_with_fixture_ca),
		cmocka_unit_test(starttls_with_fixture_ca),
		cmocka_unit_test(ldaps_unknown_ca_refused_clearly),
		cmocka_unit_test(starttls_unknown_ca_refused_clearly),
		cmocka_unit_test(rootdse_reports_controls),
		cmocka_unit_test(paged_read_of_bulk_base),
		cmocka_unit_test(sorted_search_names_ordering_rule),
		cmocka_unit_test(vlv_windows_by_offset_and_value),
		cmocka_unit_test(vlv_handles_closed_after_their_connection),
		cmocka_unit_test(many_vlv_sessions_on_one_connection),
		cmocka_unit_test(failover_past_dead_first_uri),
		cmocka_unit_test_teardown(failover_when_first_server_dies, stop_second_server),
		cmocka_unit_test(silent_server_hits_connect_timeout),
		cmocka_unit_test(batch_of_outstanding_searches),
		cmocka_unit_test(one_connection_many_threads),
		cmocka_unit_test(tls_settings_are_per_handle),
		cmocka_unit_test(batch_sorted_without_ordering_rule),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_slapd", tests, NULL, NULL);
}
