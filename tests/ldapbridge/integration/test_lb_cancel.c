/*
 * test_lb_cancel.c - lb_conn_cancel() wakes calls blocked on real sockets.
 *
 * Four threads share one lb_conn (so one is inside libldap and three wait
 * for the connection mutex) against a server that never answers; the main
 * thread cancels; all four must return LB_E_CANCELLED within 500 ms, long
 * before the 6 s connect or 8 s operation timeout, and closing afterwards
 * must be clean (the ASan build checks leaks and use after free).
 *   - silent listener: accepts TCP and never says a word (stuck in the
 *     connect phase: the root DSE read of a fresh link);
 *   - frozen slapd: a second slapd instance, linked and then SIGSTOPped
 *     (stuck waiting for a search answer on an established link).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldapbridge/lb.h>

#include "slapd_env.h"

#define N_THREADS 4
#define PROMPT_MS 500

struct caller {
	pthread_t th;
	lb_conn *conn;
	const char *base;
	lb_err rc;
	struct lb_error err;
	uint64_t returned_ms;
};

static void *caller_run(void *arg)
{
	struct caller *c = arg;
	struct lb_search_params p;
	lb_result *res = NULL;

	lb_search_params_init(&p);
	p.base = c->base;
	p.filter = "(objectClass=*)";
	c->rc = lb_search(c->conn, &p, &res, &c->err);
	c->returned_ms = test_mono_ms();
	lb_result_free(res); /* NULL on failure; freed if it ever succeeded */
	return NULL;
}

/* Start N_THREADS searches on conn, let them block, cancel, check. */
static void cancel_blocked_callers(lb_conn *conn, const char *base)
{
	struct caller cs[N_THREADS];
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	uint64_t t_cancel, t0;
	int i;

	memset(cs, 0, sizeof(cs));
	for (i = 0; i < N_THREADS; i++) {
		cs[i].conn = conn;
		cs[i].base = base;
		cs[i].rc = LB_OK;
		assert_int_equal(pthread_create(&cs[i].th, NULL, caller_run, &cs[i]), 0);
	}
	usleep(400 * 1000); /* one is inside libldap, the others queue */
	for (i = 0; i < N_THREADS; i++)     /* nobody got an answer */
		if (cs[i].returned_ms != 0)
			fail_msg("caller %d returned before the cancel: %s: %s", i,
				 lb_err_name(cs[i].rc), cs[i].err.message);
	t_cancel = test_mono_ms();
	lb_conn_cancel(conn);
	assert_true(test_mono_ms() - t_cancel < 50); /* cancel itself never blocks */
	for (i = 0; i < N_THREADS; i++) {
		assert_int_equal(pthread_join(cs[i].th, NULL), 0);
		print_message("caller %d: %s after %llu ms: %s\n", i, lb_err_name(cs[i].rc),
			      (unsigned long long)(cs[i].returned_ms - t_cancel),
			      cs[i].err.message);
		assert_int_equal(cs[i].rc, LB_E_CANCELLED);
		assert_int_equal(cs[i].err.code, LB_E_CANCELLED);
		assert_non_null(strstr(cs[i].err.message, "cancelled"));
		assert_true(cs[i].returned_ms - t_cancel < PROMPT_MS);
	}
	/* Later calls fail at once, without the network. */
	lb_search_params_init(&p);
	p.base = base;
	t0 = test_mono_ms();
	assert_int_equal(lb_search(conn, &p, &res, &err), LB_E_CANCELLED);
	assert_null(res);
	assert_int_equal(lb_conn_check(conn, &err), LB_E_CANCELLED);
	assert_true(test_mono_ms() - t0 < 50);
}

static void silent_listener_callers_cancelled_promptly(void **state)
{
	struct test_silent_listener s;
	struct lb_config c;
	char uri[128];
	lb_conn *conn = NULL;
	struct lb_error err;

	(void)state;
	assert_int_equal(test_silent_listener_start(&s), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", s.port);
	lb_config_init(&c);
	c.uris = uri;
	c.connect_timeout_ms = 6000;
	c.op_timeout_ms = 8000;
	assert_int_equal(lb_conn_open(&c, &conn, &err), LB_OK);
	cancel_blocked_callers(conn, "dc=example,dc=com");
	lb_conn_close(conn);
	test_silent_listener_stop(&s);
}

static void frozen_rundir(char *buf, size_t len)
{
	const char *rundir = slapd_env("LDAPAB_TEST_RUNDIR");

	if (rundir == NULL)
		fail_msg("fixture key LDAPAB_TEST_RUNDIR missing");
	snprintf(buf, len, "%s-lbcancel", rundir);
}

/* Never leave the second slapd stopped or running, even on failure. */
static int stop_frozen_server(void **state)
{
	char rundir[512];

	(void)state;
	frozen_rundir(rundir, sizeof(rundir));
	return slapd_instance_thaw_and_stop(rundir) == 0 ? 0 : -1;
}

static void frozen_slapd_callers_cancelled_promptly(void **state)
{
	char rundir[512];
	char *uri = NULL, *pid = NULL, *base = NULL;
	struct lb_search_params p;
	struct lb_config c;
	struct lb_error err;
	lb_result *res = NULL;
	lb_conn *conn = NULL;

	(void)state;
	frozen_rundir(rundir, sizeof(rundir));
	assert_int_equal(slapd_instance_start(rundir, "--bulk 10 --no-tls"), 0);
	uri = slapd_env_file(rundir, "LDAPAB_TEST_URI");
	pid = slapd_env_file(rundir, "LDAPAB_TEST_PID");
	base = slapd_env_file(rundir, "LDAPAB_TEST_BASE");
	assert_non_null(uri);
	assert_non_null(pid);
	assert_non_null(base);
	assert_true(atol(pid) > 1);
	lb_config_init(&c);
	c.uris = uri;
	c.connect_timeout_ms = 6000;
	c.op_timeout_ms = 8000;
	assert_int_equal(lb_conn_open(&c, &conn, &err), LB_OK);
	/* Link up and bound first: the callers then wait for search answers. */
	lb_search_params_init(&p);
	p.base = base;
	p.scope = LB_SCOPE_BASE;
	if (lb_search(conn, &p, &res, &err) != LB_OK)
		fail_msg("search before freezing: %s", err.message);
	lb_result_free(res);
	assert_int_equal(slapd_instance_freeze(rundir), 0);
	cancel_blocked_callers(conn, base);
	assert_int_equal(kill((pid_t)atol(pid), SIGCONT), 0);
	lb_conn_close(conn); /* unbinds the shut-down link once */
	free(uri);
	free(pid);
	free(base);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(silent_listener_callers_cancelled_promptly),
		cmocka_unit_test_teardown(frozen_slapd_callers_cancelled_promptly,
					  stop_frozen_server),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("ldapbridge_cancel_live", tests, NULL, NULL);
}
