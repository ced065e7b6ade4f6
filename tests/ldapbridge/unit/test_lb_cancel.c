/*
 * test_lb_cancel.c - lb_conn_cancel() against the scripted server in
 * fake_ldap.c: which calls stop, where, what they say, and that a cancelled
 * connection still unbinds exactly once when closed.  Waking a call blocked
 * on a real socket is tested against real servers in
 * tests/ldapbridge/integration/test_lb_cancel.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <ldap.h>
#include <ldapbridge/lb.h>

#include "fake_ldap.h"

#define A "ldap://a.example:389"
#define B "ldap://b.example:389"

static const struct fake_entry people[] = {
	{ "uid=ann,dc=example,dc=com", { { "cn", { "Ann", NULL } } } },
	{ "uid=bob,dc=example,dc=com", { { "cn", { "Bob", NULL } } } },
};

/* The log sink cancels the connection when a message containing
 * cancel_on is logged: the log callback runs inside a call with the
 * connection mutex held, which is exactly where lb_conn_cancel() must not
 * wait for that mutex. */
static lb_conn *log_conn;
static const char *cancel_on;
static int n_logs;
static char logs[16][LB_ERROR_MSG_MAX];

static void log_sink(void *ctx, enum lb_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	if (n_logs < 16)
		snprintf(logs[n_logs++], LB_ERROR_MSG_MAX, "%s", msg);
	if (cancel_on != NULL && strstr(msg, cancel_on) != NULL)
		lb_conn_cancel(log_conn);
}

static bool logged(const char *needle)
{
	int i;

	for (i = 0; i < n_logs; i++)
		if (strstr(logs[i], needle) != NULL)
			return true;
	return false;
}

static void add(const char *uri)
{
	struct fake_server s;

	memset(&s, 0, sizeof(s));
	s.uri = uri;
	s.controls[0] = LDAP_CONTROL_PAGEDRESULTS;
	fake_add_server(&s);
}

static lb_conn *open_ok(const char *uris)
{
	struct lb_config c;
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_err rc;

	lb_config_init(&c);
	c.uris = uris;
	c.now = fake_clock;
	c.log = log_sink;
	rc = lb_conn_open(&c, &conn, &err);
	if (rc != LB_OK)
		fail_msg("open: %s: %s", lb_err_name(rc), err.message);
	log_conn = conn;
	return conn;
}

static void push_entries(const char *uri, int n)
{
	struct fake_resp r;

	memset(&r, 0, sizeof(r));
	r.entries = people;
	r.n_entries = n;
	fake_push(uri, &r);
}

static lb_err do_search(lb_conn *conn, lb_result **res, struct lb_error *err)
{
	struct lb_search_params p;

	lb_search_params_init(&p);
	p.base = "dc=example,dc=com";
	p.filter = "(cn=*)";
	p.mode = LB_MODE_PLAIN;
	return lb_search(conn, &p, res, err);
}

static void assert_cancelled(lb_err rc, const struct lb_error *err, lb_step step)
{
	assert_int_equal(rc, LB_E_CANCELLED);
	assert_int_equal(err->code, LB_E_CANCELLED);
	assert_int_equal(err->step, step);
	assert_non_null(strstr(err->message, "cancelled"));
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	log_conn = NULL;
	cancel_on = NULL;
	n_logs = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(fake_open_handles, 0); /* every handle unbound */
	return 0;
}

/* ------------------------------------------------------------------------ */

static void cancel_before_first_call_never_connects(void **state)
{
	struct lb_search_params p;
	struct lb_rootdse *dse = (struct lb_rootdse *)&p; /* must be reset */
	struct lb_error err;
	lb_result *res = (lb_result *)&p, *batch[1] = { NULL };
	lb_err status[1];
	lb_conn *conn;
	char srv[64];

	(void)state;
	add(A);
	conn = open_ok(A);
	lb_conn_cancel(conn);
	assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_CONNECT);
	assert_null(res);
	assert_cancelled(lb_conn_check(conn, &err), &err, LB_STEP_CONNECT);
	assert_cancelled(lb_conn_rootdse(conn, &dse, &err), &err, LB_STEP_CONNECT);
	assert_null(dse);
	lb_search_params_init(&p);
	p.base = "dc=example,dc=com";
	assert_cancelled(lb_search_batch(conn, &p, 1, batch, status, &err), &err,
			 LB_STEP_CONNECT);
	assert_null(batch[0]);
	assert_int_equal(fake_n_connects, 0);
	assert_int_equal(fake_n_reqs, 0);
	lb_conn_server(conn, srv, sizeof(srv));
	assert_string_equal(srv, "");
	lb_conn_close(conn);
}

static void cancel_is_permanent_idempotent_and_null_safe(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	int i;

	(void)state;
	lb_conn_cancel(NULL);
	add(A);
	conn = open_ok(A);
	lb_conn_cancel(conn);
	lb_conn_cancel(conn);
	push_entries(A, 2); /* would succeed if the call went through */
	for (i = 0; i < 3; i++)
		assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_CONNECT);
	assert_int_equal(fake_n_connects, 0);
	lb_conn_close(conn);
}

static void cancel_after_connect_stops_calls_and_close_unbinds_once(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;
	int reqs;

	(void)state;
	add(A);
	conn = open_ok(A);
	push_entries(A, 2);
	assert_int_equal(do_search(conn, &res, &err), LB_OK);
	assert_int_equal(lb_result_count(res), 2);
	lb_result_free(res);
	res = NULL;
	assert_int_equal(fake_open_handles, 1);
	reqs = fake_n_reqs;

	lb_conn_cancel(conn);
	push_entries(A, 2);
	assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_CONNECT);
	assert_null(res);
	assert_int_equal(fake_n_reqs, reqs);   /* nothing sent */
	assert_int_equal(fake_n_connects, 1);  /* no reconnect */
	assert_int_equal(fake_open_handles, 1); /* the link stays until close */
	lb_conn_close(conn);                   /* teardown: unbound */
}

static void cancel_during_failover_stops_before_next_server(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;

	(void)state;
	add(A);
	add(B);
	fake_server(A)->connect_rc = LDAP_SERVER_DOWN;
	push_entries(B, 2);
	conn = open_ok(A "," B);
	cancel_on = "connect to " A " failed"; /* A's failure is being logged */
	assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_CONNECT);
	assert_null(res);
	assert_int_equal(fake_n_connects, 1);
	assert_string_equal(fake_connects[0], A);
	lb_conn_close(conn);
}

static void cancel_after_link_up_stops_before_the_search_answer(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn;

	(void)state;
	add(A);
	push_entries(A, 2);
	conn = open_ok(A);
	cancel_on = "connected to " A; /* logged once the link is installed */
	assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_SEARCH);
	assert_null(res);
	assert_string_equal(err.server, A);
	/* The request was sent, its answer never read: abandoned, no retry. */
	assert_int_equal(fake_n_reqs, 1);
	assert_true(fake_n_abandons >= 1);
	assert_int_equal(fake_n_connects, 1);
	assert_false(logged("skipping"));
	lb_conn_close(conn);
}

static void cancelled_link_failure_backs_off_no_server(void **state)
{
	struct lb_error err;
	lb_result *res = NULL;
	struct fake_resp r;
	lb_conn *conn;

	(void)state;
	add(A);
	add(B);
	conn = open_ok(A "," B);
	memset(&r, 0, sizeof(r));
	r.entries = people;
	r.n_entries = 2;
	/* Sending fails as on a socket lb_conn_cancel() shut down: the link is
	 * dropped as lost, but that says nothing about the server. */
	r.send_rc = LDAP_SERVER_DOWN;
	fake_push(A, &r);
	push_entries(B, 2);
	cancel_on = "connected to " A;
	assert_cancelled(do_search(conn, &res, &err), &err, LB_STEP_CONNECT);
	assert_null(res);
	assert_int_equal(fake_n_connects, 1); /* not retried on B */
	assert_int_equal(fake_open_handles, 0);
	assert_false(logged("skipping"));
	lb_conn_close(conn);
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(cancel_before_first_call_never_connects),
		T(cancel_is_permanent_idempotent_and_null_safe),
		T(cancel_after_connect_stops_calls_and_close_unbinds_once),
		T(cancel_during_failover_stops_before_next_server),
		T(cancel_after_link_up_stops_before_the_search_answer),
		T(cancelled_link_failure_backs_off_no_server),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_cancel", tests, NULL, NULL);
}
