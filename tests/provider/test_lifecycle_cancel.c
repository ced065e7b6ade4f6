/*
 * test_lifecycle_cancel.c - Logoff does not wait out the LDAP timeouts of
 * the calls in flight (LC-32 step 4, LC-36).
 *
 * Four threads open a person by a well-formed entry ID in a loop against a
 * server that never answers (connect timeout 6 s, operation timeout 8 s):
 * one of them is inside ldapbridge, the others queue behind it on the
 * connection.  Logoff from the main thread cancels the connection before it
 * waits for them, so it returns within 1 s, every thread sees its call fail
 * promptly (cancelled, network error or, once logged off, invalid object)
 * and libldap's handle is still unbound exactly once.
 *   - silent listener: accepts TCP, never answers (stuck connecting);
 *   - frozen slapd: a second slapd, linked, then SIGSTOPped (stuck waiting
 *     for search answers on an established link).
 *
 * The provider is linked statically so libldap's unbind can be counted
 * with -Wl,--wrap=ldap_unbind_ext.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "test_core_util.h"

#include "slapd_env.h"

int __real_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls);
int __wrap_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls);
static atomic_int unbinds;

int __wrap_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls)
{
	atomic_fetch_add(&unbinds, 1);
	return __real_ldap_unbind_ext(ld, sctrls, cctrls);
}

#define N_THREADS 4
#define LOGOFF_MAX_MS 1000

/* One logon, statically linked provider, the host's support object. */
struct lg {
	LPMALLOC m;
	LPABPROVIDER abp;
	host_session *sess;
	host_profile *prof;
	LPMAPISUP sup;
	LPABLOGON l;
	MAPIUID uid;
};

static void lg_logon(struct lg *g, const char *uri, const char *base)
{
	LPMAPIERROR err = NULL;
	SPropValue v[3];
	ULONG ver = 0;
	HRESULT hr;

	g->prof = core_profile(uri, 0, NULL);
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_CONNECT_TIMEOUT;
	v[0].Value.l = 6;
	v[1].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	v[1].Value.l = 8;
	v[2].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[2].Value.lpszA = (LPSTR)base;
	assert_int_equal(host_profile_set_props(g->prof, NULL, 3, v), S_OK);
	assert_int_equal(host_malloc_new(&g->m), S_OK);
	assert_int_equal(ABProviderInit(NULL, g->m, host_MAPIAllocateBuffer,
	                                host_MAPIAllocateMore, host_MAPIFreeBuffer, 0,
	                                CURRENT_SPI_VERSION, &ver, &g->abp), S_OK);
	assert_int_equal(host_session_new(NULL, &g->sess), S_OK);
	assert_int_equal(host_support_new(g->sess, g->prof, &g->sup), S_OK);
	hr = IABProvider_Logon(g->abp, g->sup, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL,
	                       &err, &g->l);
	if (FAILED(hr))
		fail_msg("Logon: 0x%08X %s", (unsigned)hr, err ? err->lpszError : "");
	assert_true(core_profile_uid(g->prof, &g->uid));
}

static void lg_done(struct lg *g)
{
	assert_int_equal(IABLogon_Release(g->l), 0);
	assert_int_equal(host_support_refcount(g->sup), 1);
	IMAPISupport_Release(g->sup);
	host_session_free(g->sess);
	assert_int_equal(IABProvider_Release(g->abp), 0);
	IMalloc_Release(g->m);
	host_profile_release(g->prof);
	memset(g, 0, sizeof(*g));
}

struct worker {
	pthread_t t;
	const struct lg *g;
	size_t idx;
	atomic_int calls;          /* OpenEntry calls returned */
	atomic_int last;           /* HRESULT of the last one */
	HRESULT first_failure;     /* of the call cut short */
	uint64_t ended_ms;         /* when the loop ended */
};

/* Open "person idx" in a loop until the logon is gone (or 1000 calls). */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t eid[600], uuid[16];
	char dn[128];
	ULONG cb;

	memset(uuid, 0, sizeof(uuid));
	uuid[0] = (uint8_t)(0xA0 + w->idx);
	snprintf(dn, sizeof(dn), "uid=nobody%zu,ou=People,dc=example,dc=com", w->idx);
	cb = core_eid(&w->g->uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid, 16, dn,
	              eid, sizeof(eid));
	w->first_failure = S_OK;
	for (int k = 0; k < 1000; k++) {
		ULONG type = 0;
		LPUNKNOWN o = NULL;
		HRESULT hr = IABLogon_OpenEntry(w->g->l, cb, (LPENTRYID)eid, NULL, 0, &type, &o);

		if (SUCCEEDED(hr))
			IUnknown_Release(o); /* the frozen server may have answered one */
		else if (w->first_failure == S_OK)
			w->first_failure = hr;
		atomic_store(&w->last, hr);
		atomic_fetch_add(&w->calls, 1);
		if (hr == MAPI_E_INVALID_OBJECT)
			break;
	}
	w->ended_ms = test_mono_ms();
	return NULL;
}

static bool prompt_failure(HRESULT hr)
{
	return hr == MAPI_E_USER_CANCEL || hr == MAPI_E_NETWORK_ERROR ||
	       hr == MAPI_E_INVALID_OBJECT;
}

/* Start the workers, let them block, Logoff, check what they saw. */
static void logoff_while_blocked(struct lg *g)
{
	struct worker w[N_THREADS];
	uint64_t t0, spent;

	memset(w, 0, sizeof(w));
	for (size_t i = 0; i < N_THREADS; i++) {
		w[i].g = g;
		w[i].idx = i;
		atomic_init(&w[i].calls, 0);
		atomic_init(&w[i].last, S_OK);
		assert_int_equal(pthread_create(&w[i].t, NULL, worker_main, &w[i]), 0);
	}
	usleep(500 * 1000); /* all inside OpenEntry, blocked on the server */
	for (size_t i = 0; i < N_THREADS; i++)
		assert_int_equal(atomic_load(&w[i].calls), 0);
	t0 = test_mono_ms();
	assert_int_equal(IABLogon_Logoff(g->l, 0), S_OK);
	spent = test_mono_ms() - t0;
	print_message("  Logoff returned after %llu ms\n", (unsigned long long)spent);
	assert_true(spent < LOGOFF_MAX_MS);
	for (size_t i = 0; i < N_THREADS; i++) {
		assert_int_equal(pthread_join(w[i].t, NULL), 0);
		print_message("  thread %zu: cut short with 0x%08X, %d calls, done %llu ms "
		              "after Logoff began\n", i, (unsigned)w[i].first_failure,
		              atomic_load(&w[i].calls),
		              (unsigned long long)(w[i].ended_ms - t0));
		assert_true(prompt_failure(w[i].first_failure));
		assert_int_equal(atomic_load(&w[i].last), MAPI_E_INVALID_OBJECT);
		assert_true(w[i].ended_ms - t0 < LOGOFF_MAX_MS);
	}
}

static void test_logoff_cancels_calls_stuck_on_silent_server_LC32_LC36(void **state)
{
	struct test_silent_listener s;
	struct lg g;
	char uri[64];

	(void)state;
	assert_int_equal(test_silent_listener_start(&s), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", s.port);
	memset(&g, 0, sizeof(g));
	atomic_store(&unbinds, 0);
	lg_logon(&g, uri, "dc=example,dc=com");
	logoff_while_blocked(&g);
	/* One handle was made (the connect the cancel cut short), one unbound. */
	assert_int_equal(atomic_load(&unbinds), 1);
	lg_done(&g);
	test_silent_listener_stop(&s);
}

static void frozen_rundir(char *buf, size_t len)
{
	snprintf(buf, len, "%s-provcancel", slapd_env("LDAPAB_TEST_RUNDIR"));
}

/* Never leave the second slapd stopped or running, even on failure. */
static int stop_frozen(void **state)
{
	char rundir[512];

	frozen_rundir(rundir, sizeof(rundir));
	if (slapd_instance_thaw_and_stop(rundir) != 0)
		return -1;
	return core_teardown(state);
}

static void test_logoff_cancels_calls_stuck_on_frozen_slapd_unbinds_once_LC32_LC36(void **state)
{
	char rundir[512], *uri = NULL, *pid = NULL, *base = NULL;
	LPMAPISTATUS st = NULL;
	ULONG type = 0;
	struct lg g;

	(void)state;
	frozen_rundir(rundir, sizeof(rundir));
	assert_int_equal(slapd_instance_start(rundir, "--bulk 0 --no-tls"), 0);
	uri = slapd_env_file(rundir, "LDAPAB_TEST_URI");
	pid = slapd_env_file(rundir, "LDAPAB_TEST_PID");
	base = slapd_env_file(rundir, "LDAPAB_TEST_BASE");
	assert_non_null(uri);
	assert_non_null(pid);
	assert_non_null(base);
	memset(&g, 0, sizeof(g));
	atomic_store(&unbinds, 0);
	lg_logon(&g, uri, base);
	/* Link up and bound before the freeze: ValidateState connects now. */
	assert_int_equal(IABLogon_OpenStatusEntry(g.l, NULL, 0, &type, &st),
	                 S_OK);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, SUPPRESS_UI), S_OK);
	IMAPIStatus_Release(st);
	assert_int_equal(slapd_instance_freeze(rundir), 0);
	logoff_while_blocked(&g);
	assert_int_equal(kill((pid_t)atol(pid), SIGCONT), 0);
	/* The cancelled link is still unbound, exactly once. */
	assert_int_equal(atomic_load(&unbinds), 1);
	lg_done(&g);
	free(uri);
	free(pid);
	free(base);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_logoff_cancels_calls_stuck_on_silent_server_LC32_LC36),
		cmocka_unit_test_setup_teardown(
			test_logoff_cancels_calls_stuck_on_frozen_slapd_unbinds_once_LC32_LC36,
			core_setup, stop_frozen),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
