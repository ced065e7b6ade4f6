/*
 * test_log_sink_slapd.c - ldapbridge's warnings reach the provider's log
 * sink (TLS certificate checking "allow"/"never" is logged as a
 * warning), against the slapd fixture's LDAPS port.
 *
 * The provider is linked statically; abp_config_read_profile() is wrapped
 * at link time (-Wl,--wrap) so the test swaps the configuration's sink
 * (abp_config.log) for a capturing one before Logon opens the connection -
 * the same configuration Logon then uses, nothing else changed.
 */
#include <pthread.h>

#include "test_core_util.h"

#include "abp.h"
#include "config.h"
#include "slapd_env.h"

#define MAX_LINES 64

struct capture {
	pthread_mutex_t lock;
	size_t n;
	enum lb_log_level level[MAX_LINES];
	char text[MAX_LINES][ABP_MSG_MAX];
};

static struct capture cap = { .lock = PTHREAD_MUTEX_INITIALIZER };
static atomic_int configs_seen;

static void capture_log(void *ctx, enum lb_log_level level, const char *msg)
{
	struct capture *c = ctx;

	pthread_mutex_lock(&c->lock);
	if (c->n < MAX_LINES) {
		c->level[c->n] = level;
		snprintf(c->text[c->n], sizeof(c->text[c->n]), "%s", msg);
		c->n++;
	}
	pthread_mutex_unlock(&c->lock);
}

HRESULT __real_abp_config_read_profile(LPMAPISUP sup, LPFREEBUFFER fb, bool make_uid,
                                       pthread_mutex_t *uid_lock, struct abp_config **cfg_out,
                                       MAPIUID *uid_out, char *msg, size_t msglen);
HRESULT __wrap_abp_config_read_profile(LPMAPISUP sup, LPFREEBUFFER fb, bool make_uid,
                                       pthread_mutex_t *uid_lock, struct abp_config **cfg_out,
                                       MAPIUID *uid_out, char *msg, size_t msglen);

HRESULT __wrap_abp_config_read_profile(LPMAPISUP sup, LPFREEBUFFER fb, bool make_uid,
                                       pthread_mutex_t *uid_lock, struct abp_config **cfg_out,
                                       MAPIUID *uid_out, char *msg, size_t msglen)
{
	HRESULT hr = __real_abp_config_read_profile(sup, fb, make_uid, uid_lock, cfg_out,
	                                            uid_out, msg, msglen);

	if (SUCCEEDED(hr) && cfg_out && *cfg_out) {
		/* What config.c installs by default: the stderr sink. */
		assert_ptr_equal((*cfg_out)->log, abp_log_stderr);
		assert_non_null((*cfg_out)->lb.log);
		(*cfg_out)->log = capture_log;
		(*cfg_out)->log_ctx = &cap;
		atomic_fetch_add(&configs_seen, 1);
	}
	return hr;
}

/* README: PR_LDAPAB_TLS_REQCERT 1 (allow) over LDAPS is logged
 * as a warning saying the server's identity is not verified; the simple
 * bind's password appears in no log line. */
static void test_tls_reqcert_allow_is_logged_as_warning_CF5(void **state)
{
	const char *pw = slapd_env("LDAPAB_TEST_BIND_PW");
	SPropValue v[4];
	host_profile *prof;
	host_session *sess = NULL;
	LPMAPISUP sup = NULL;
	LPMALLOC m = NULL;
	LPABPROVIDER abp = NULL;
	LPABLOGON l = NULL;
	LPMAPIERROR err = NULL;
	LPMAPISTATUS st = NULL;
	LPUNKNOWN root = NULL;
	ULONG ver = 0, type = 0, n = 0;
	bool warned = false;
	HRESULT hr;

	(void)state;
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
	v[n].ulPropTag = PR_LDAPAB_TLS_REQCERT;
	v[n++].Value.l = LDAPAB_REQCERT_ALLOW;
	v[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
	v[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[n++].Value.lpszA = (LPSTR)pw;
	prof = core_profile(slapd_env("LDAPAB_TEST_LDAPS_URI"), n, v);

	assert_int_equal(host_malloc_new(&m), S_OK);
	assert_int_equal(ABProviderInit(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &abp),
	                 S_OK);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_support_new(sess, prof, &sup), S_OK);
	hr = IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL, &err, &l);
	if (FAILED(hr))
		fail_msg("Logon: 0x%08X %s", (unsigned)hr, err ? err->lpszError : "");
	assert_int_equal(atomic_load(&configs_seen), 1);
	/* LC-17: nothing connected yet, so nothing logged about TLS yet. */
	pthread_mutex_lock(&cap.lock);
	for (size_t i = 0; i < cap.n; i++)
		assert_null(strstr(cap.text[i], "certificate checking"));
	pthread_mutex_unlock(&cap.lock);

	/* One lookup: ValidateState connects, binds and reads the root DSE. */
	assert_int_equal(IABLogon_OpenStatusEntry(l, NULL, 0, &type, &st), S_OK);
	hr = IMAPIStatus_ValidateState(st, 0, 0);
	if (hr != S_OK) {
		LPMAPIERROR e2 = NULL;

		(void)IMAPIStatus_GetLastError(st, hr, 0, &e2);
		fail_msg("ValidateState over LDAPS with REQCERT allow: 0x%08X %s", (unsigned)hr,
		         e2 ? e2->lpszError : "");
	}
	assert_int_equal(core_row_status(sup), STATUS_AVAILABLE);
	IMAPIStatus_Release(st);
	assert_int_equal(IABLogon_OpenEntry(l, 0, NULL, NULL, 0, &type, &root), S_OK);
	IUnknown_Release(root);

	pthread_mutex_lock(&cap.lock);
	for (size_t i = 0; i < cap.n; i++) {
		print_message("log %d: %s\n", (int)cap.level[i], cap.text[i]);
		if (cap.level[i] == LB_LOG_WARNING &&
		    strstr(cap.text[i], "certificate checking is \"allow\"") &&
		    strstr(cap.text[i], "identity is not verified") &&
		    strstr(cap.text[i], slapd_env("LDAPAB_TEST_LDAPS_URI")))
			warned = true;
		/* Passwords never reach a log. */
		assert_null(strstr(cap.text[i], pw));
	}
	pthread_mutex_unlock(&cap.lock);
	assert_true(warned);

	assert_int_equal(IABLogon_Logoff(l, 0), S_OK);
	assert_int_equal(IABLogon_Release(l), 0);
	assert_int_equal(host_support_refcount(sup), 1);
	IMAPISupport_Release(sup);
	host_session_free(sess);
	assert_int_equal(IABProvider_Release(abp), 0);
	IMalloc_Release(m);
	host_profile_release(prof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_tls_reqcert_allow_is_logged_as_warning_CF5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
