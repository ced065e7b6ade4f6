/*
 * test_lifecycle_faults.c - Logon, lookups by entry ID and Logoff when the
 * directory server fails (LC-17, LC-32, LC-36, ST-3), through the real entry
 * point (the module loaded by the host's loader):
 *   - the only server is down at Logon, then comes up: the first lookup is a
 *     network error naming the server, the next one works on the same logon;
 *   - the server is killed while a lookup waits on it (frozen, then killed),
 *     then comes back: network error, then a working lookup, no new logon;
 *   - a server that accepts TCP and never answers, over ldap://, StartTLS
 *     and ldaps://: the connect timeout fires and the message says so;
 *   - a wrong password, an unknown bind DN, and a certificate from an
 *     unknown CA (StartTLS and ldaps://): the documented MAPI error, a
 *     message naming the server and the setting to check, and the password
 *     nowhere (GetLastError, the status row, the provider's log on stderr).
 * Every case counts descriptors, threads, MAPI memory and TCP connections
 * before and after: nothing is left behind.
 *
 * The down/killed/back cases use a private slapd behind a relay on a fixed
 * port of this process (the profile's URI stays the same while the server
 * behind it dies and restarts on new ports).
 */
#include <signal.h>
#include <time.h>

#include "faults_util.h"

#include <ldapbridge/lb.h>

#ifndef LDAPAB_TEST_WORKDIR
#error "LDAPAB_TEST_WORKDIR (a directory for the private slapd) must be defined"
#endif

#define PERSON_DN "uid=mthornton,ou=Executive Office,ou=People,dc=example,dc=com"
#define WRONG_PW "Wr0ng-Pa55word-for-ldapab"

/* ---------------------------------------------------------------------- */
/* The private slapd                                                       */
/* ---------------------------------------------------------------------- */

static const char *rundir(void)
{
	return LDAPAB_TEST_WORKDIR "/faults-slapd";
}

/* Starts it (fresh ports) and returns its plain LDAP port. */
static int private_start(void)
{
	char *port;
	int p;

	assert_int_equal(slapd_instance_start(rundir(), "--bulk 10 --no-tls"), 0);
	port = slapd_env_file(rundir(), "LDAPAB_TEST_PORT");
	assert_non_null(port);
	p = atoi(port);
	free(port);
	return p;
}

/* SIGKILL, not a shutdown: the server vanishes with its connections. */
static void private_kill(void)
{
	char *pid = slapd_env_file(rundir(), "LDAPAB_TEST_PID");

	assert_non_null(pid);
	assert_int_equal(kill((pid_t)atoi(pid), SIGKILL), 0);
	free(pid);
	assert_int_equal(slapd_instance_stop(rundir()), 0);   /* waits until gone */
}

/* OpenEntry of PERSON_DN by a DN-locator entry ID; on failure *text gets
 * the logon's GetLastError text (malloc'd), else NULL. */
static HRESULT open_person(struct lg *g, char **text)
{
	uint8_t eid[1024];
	char *norm = NULL;
	LPUNKNOWN o = NULL;
	ULONG cb, type = 0;
	HRESULT hr;

	*text = NULL;
	assert_int_equal(lb_dn_normalize(PERSON_DN, &norm, NULL), LB_OK);
	cb = core_eid(&g->uid, ABP_EID_MAILUSER, ABP_EID_LOC_DN, norm, strlen(norm), PERSON_DN,
	              eid, sizeof(eid));
	free(norm);
	hr = IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type, &o);
	if (SUCCEEDED(hr)) {
		assert_int_equal(type, MAPI_MAILUSER);
		o->lpVtbl->Release(o);
	} else {
		LPMAPIERROR e = NULL;

		assert_int_equal(IABLogon_GetLastError(g->l, hr, 0, &e), S_OK);
		assert_non_null(e);
		*text = strdup(e->lpszError);
		host_MAPIFreeBuffer(e);
	}
	return hr;
}

/* ---------------------------------------------------------------------- */

/* LC-17, ST-3: down at Logon; Logon works (lazy bind); the lookup is a
 * network error naming the server; the server comes up; the next lookup on
 * the same logon works and the row says AVAILABLE. */
static void test_LC17_server_down_at_logon_then_back_without_new_logon_ST3(void **state)
{
	struct resources before = resources_now();
	struct relay r;
	struct lg g;
	char uri[64], *text = NULL, *row = NULL;
	SPropValue base = { .ulPropTag = PR_LDAPAB_BASE_DN_A };

	(void)state;
	relay_start(&r);                        /* nobody behind it yet */
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	base.Value.lpszA = (LPSTR)"dc=example,dc=com";
	lg_logon(&g, uri, 1, &base);
	assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
	print_message("down: %s\n", text);
	expect_text(text, uri);
	free(text);
	assert_int_equal(row_status(&g, &row), STATUS_FAILURE);
	expect_text(row, uri);
	free(row);

	relay_target(&r, private_start());
	assert_int_equal(open_person(&g, &text), S_OK);
	assert_int_equal(row_status(&g, &row), STATUS_AVAILABLE);
	free(row);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(proc_tcp_connections_to(r.port), 0);        /* LC-32 step 4 */
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "down at logon, then back");
}

struct pending_open {
	struct lg *g;
	HRESULT hr;
	char *text;
};

static void *open_in_thread(void *arg)
{
	struct pending_open *p = arg;

	p->hr = open_person(p->g, &p->text);
	return NULL;
}

/* LC-36: a lookup waits on a frozen server, the server is killed: the
 * lookup fails at once as a network error (no timeout waited out); the
 * server comes back on new ports behind the same address: the same logon
 * works again. */
static void test_LC36_server_killed_under_a_lookup_then_back_ST3(void **state)
{
	struct resources before = resources_now();
	struct pending_open p = { 0 };
	struct relay r;
	struct lg g;
	pthread_t t;
	char uri[64], *text = NULL, *row = NULL;
	SPropValue extra[2];
	uint64_t t0;

	(void)state;
	relay_start(&r);
	relay_target(&r, private_start());
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", r.port);
	memset(extra, 0, sizeof(extra));
	extra[0].ulPropTag = PR_LDAPAB_BASE_DN_A;
	extra[0].Value.lpszA = (LPSTR)"dc=example,dc=com";
	extra[1].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	extra[1].Value.l = 30;                  /* only a kill can end the wait early */
	lg_logon(&g, uri, 2, extra);
	assert_int_equal(open_person(&g, &text), S_OK);

	assert_int_equal(slapd_instance_freeze(rundir()), 0);
	p.g = &g;
	t0 = test_mono_ms();
	assert_int_equal(pthread_create(&t, NULL, open_in_thread, &p), 0);
	private_kill();                         /* under the lookup, or just before it */
	relay_target(&r, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("killed: 0x%08X after %llu ms: %s\n", (unsigned)p.hr,
	              (unsigned long long)(test_mono_ms() - t0), p.text);
	assert_int_equal(p.hr, MAPI_E_NETWORK_ERROR);
	expect_text(p.text, uri);
	free(p.text);
	assert_true(test_mono_ms() - t0 < 20000);       /* not the 30 s timeout */
	assert_int_equal(row_status(&g, &row), STATUS_FAILURE);
	free(row);

	relay_target(&r, private_start());
	assert_int_equal(open_person(&g, &text), S_OK);
	assert_int_equal(row_status(&g, &row), STATUS_AVAILABLE);
	free(row);
	assert_int_equal(proc_tcp_connections_to(r.port), 1);
	assert_int_equal(IABLogon_Logoff(g.l, 0), S_OK);
	assert_int_equal(proc_tcp_connections_to(r.port), 0);        /* LC-32 step 4 */
	lg_logoff(&g);
	relay_stop(&r);
	assert_int_equal(slapd_instance_stop(rundir()), 0);
	assert_resources_back_to(before, "killed under a lookup, then back");
}

/* LC-17: a server that accepts TCP and never answers, over ldap://,
 * StartTLS and ldaps://: the connect timeout (2 s in the test profile)
 * fires, the message names the server and the timeout, nothing hangs. */
static void test_LC17_silent_server_ldap_starttls_ldaps_connect_timeout(void **state)
{
	static const char *const schemes[] = { "ldap", "ldap", "ldaps" };
	struct resources before = resources_now();
	struct test_silent_listener s;

	(void)state;
	assert_int_equal(test_silent_listener_start(&s), 0);
	for (size_t k = 0; k < 3; k++) {
		SPropValue extra[2];
		struct lg g;
		char uri[64], *text = NULL;
		uint64_t t0, spent;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		snprintf(uri, sizeof(uri), "%s://127.0.0.1:%d", schemes[k], s.port);
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)"dc=example,dc=com";
		if (k == 1) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		lg_logon(&g, uri, n, extra);
		t0 = test_mono_ms();
		assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
		spent = test_mono_ms() - t0;
		print_message("%s%s: %llu ms: %s\n", uri, k == 1 ? " (StartTLS)" : "",
		              (unsigned long long)spent, text);
		expect_text(text, uri);
		expect_text(text, "timeout");
		assert_true(spent >= 1900 && spent < 8000);     /* the 2 s connect timeout */
		free(text);
		t0 = test_mono_ms();
		lg_logoff(&g);
		assert_true(test_mono_ms() - t0 < 1000);        /* Logoff does not wait */
	}
	test_silent_listener_stop(&s);
	assert_resources_back_to(before, "silent server");
}

/* The password must appear in none of: GetLastError's text, the status
 * row's string, the provider's log. */
static void expect_no_password(const char *where, const char *text)
{
	if (text && strstr(text, WRONG_PW))
		fail_msg("the password appears in %s: %s", where, text);
	if (text && strstr(text, slapd_env("LDAPAB_TEST_BIND_PW")))
		fail_msg("the password appears in %s: %s", where, text);
}

/* LC-17: a rejected bind - a wrong password, a bind DN the directory does
 * not know - is MAPI_E_LOGON_FAILED; the message names the bind DN and the
 * server; the password is nowhere. */
static void test_LC17_wrong_password_or_bind_dn_logon_failed_password_nowhere(void **state)
{
	const char *dns[] = { slapd_env("LDAPAB_TEST_BIND_DN"),
	                      "uid=nobody-here,ou=People,dc=example,dc=com" };
	struct resources before = resources_now();
	int port = atoi(slapd_env("LDAPAB_TEST_PORT"));

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct capture cap;
		SPropValue extra[5];
		struct lg g;
		char *text = NULL, *row = NULL, *log;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
		extra[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
		extra[n++].Value.lpszA = (LPSTR)dns[k];
		extra[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
		extra[n++].Value.lpszA = (LPSTR)WRONG_PW;
		extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
		extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_CA");
		capture_stderr(&cap);
		lg_logon(&g, slapd_env("LDAPAB_TEST_URI"), n, extra);
		assert_int_equal(open_person(&g, &text), MAPI_E_LOGON_FAILED);
		(void)row_status(&g, &row);
		lg_logoff(&g);
		log = captured(&cap);
		print_message("bind as %s: %s\n", dns[k], text);
		expect_text(text, dns[k]);
		expect_text(text, slapd_env("LDAPAB_TEST_URI"));
		expect_text(text, "nvalid credentials");
		expect_no_password("GetLastError", text);
		expect_no_password("the status row", row);
		expect_no_password("the provider's log", log);
		free(text);
		free(row);
		free(log);
	}
	assert_int_equal(proc_tcp_connections_to(port), 0);
	assert_resources_back_to(before, "rejected binds");
}

/* LC-17: a server certificate from a CA the profile does not trust, over
 * StartTLS and ldaps://: a network error (no usable link) whose message
 * names the server and the CA file to check; the password is nowhere. */
static void test_LC17_unknown_ca_refused_names_ca_file_password_nowhere(void **state)
{
	const char *uris[] = { slapd_env("LDAPAB_TEST_URI"), slapd_env("LDAPAB_TEST_LDAPS_URI") };
	struct resources before = resources_now();

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct capture cap;
		SPropValue extra[5];
		struct lg g;
		char *text = NULL, *row = NULL, *log;
		ULONG n = 0;

		memset(extra, 0, sizeof(extra));
		extra[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
		extra[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
		extra[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_PW");
		extra[n].ulPropTag = PR_LDAPAB_TLS_CACERT_FILE_A;
		extra[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_OTHER_CA");
		if (k == 0) {
			extra[n].ulPropTag = PR_LDAPAB_TLS_MODE;
			extra[n++].Value.l = LDAPAB_TLS_STARTTLS;
		}
		capture_stderr(&cap);
		lg_logon(&g, uris[k], n, extra);
		assert_int_equal(open_person(&g, &text), MAPI_E_NETWORK_ERROR);
		(void)row_status(&g, &row);
		lg_logoff(&g);
		log = captured(&cap);
		print_message("unknown CA (%s): %s\n", uris[k], text);
		expect_text(text, uris[k]);
		expect_text(text, slapd_env("LDAPAB_TEST_OTHER_CA"));
		expect_no_password("GetLastError", text);
		expect_no_password("the status row", row);
		expect_no_password("the provider's log", log);
		free(text);
		free(row);
		free(log);
	}
	assert_int_equal(proc_tcp_connections_to(atoi(slapd_env("LDAPAB_TEST_PORT"))), 0);
	assert_int_equal(proc_tcp_connections_to(atoi(slapd_env("LDAPAB_TEST_LDAPS_PORT"))), 0);
	assert_resources_back_to(before, "unknown CA");
}

static void *no_op(void *arg)
{
	return arg;
}

/* The module is loaded and unloaded once first, and a thread run, so the
 * counts compare like with like (libraries' one-time state, a sanitizer's
 * helper thread). */
static int group_setup(void **state)
{
	host_provider *prov = core_load(NULL);
	pthread_t t;

	(void)state;
	host_provider_release(prov);
	if (pthread_create(&t, NULL, no_op, NULL) != 0 || pthread_join(t, NULL) != 0)
		return -1;
	(void)slapd_env("LDAPAB_TEST_URI");     /* the env file read once, up front */
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_LC17_server_down_at_logon_then_back_without_new_logon_ST3),
		CORE_TEST(test_LC36_server_killed_under_a_lookup_then_back_ST3),
		CORE_TEST(test_LC17_silent_server_ldap_starttls_ldaps_connect_timeout),
		CORE_TEST(test_LC17_wrong_password_or_bind_dn_logon_failed_password_nowhere),
		CORE_TEST(test_LC17_unknown_ca_refused_names_ca_file_password_nowhere),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("provider_lifecycle_faults", tests, group_setup, NULL);
}
