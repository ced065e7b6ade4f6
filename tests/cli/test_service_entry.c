/*
 * test_service_entry.c - the module's ServiceEntry through the host, as MAPI's
 * IMsgServiceAdmin calls it (CF-4, CF-5, HO-7): every context, validation
 * with MAPI_E_UNCONFIGURED naming the setting, nothing written on failure,
 * the secure password removed on DELETE, and Logon's configure-and-retry.
 * No server needed (the bind is lazy, LC-17).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapispi.h>
#include <ldapab/profile.h>
#include "ldapab_host/host.h"

#define DEAD_URI "ldap://127.0.0.1:9"

struct fx {
	host_provider *prov;
	host_profile *prof;
	host_trace *trace;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *err = NULL;

	assert_non_null(f);
	assert_int_equal(host_trace_new(&f->trace), S_OK);
	assert_int_equal(host_provider_load(LDAPAB_MODULE_PATH, f->trace, &f->prov, &err), S_OK);
	assert_true(host_provider_has_service_entry(f->prov));
	assert_int_equal(host_profile_new("svc", NULL, &f->prof), S_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	host_provider_release(f->prov);
	host_profile_release(f->prof);
	host_trace_free(f->trace);
	free(f);
	assert_int_equal(host_mem_live_blocks(), 0);
	return 0;
}

/* The stored value of a setting (by ID), or NULL; freed with the root. */
static LPSPropValue stored(host_profile *p, ULONG id, LPSPropValue *root)
{
	SizedSPropTagArray(1, t) = { 1, { PROP_TAG(PT_UNSPECIFIED, id) } };
	ULONG n = 0;
	HRESULT hr = host_profile_get_props(p, NULL, (LPSPropTagArray)&t, 0, &n, root);

	assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
	assert_int_equal(n, 1);
	return PROP_TYPE((*root)[0].ulPropTag) == PT_ERROR ? NULL : &(*root)[0];
}

static void assert_stored_string(host_profile *p, ULONG id, const char *want)
{
	LPSPropValue root = NULL, v = stored(p, id, &root);

	if (!want) {
		assert_null(v);
	} else {
		char *u = NULL;

		assert_non_null(v);
		if (PROP_TYPE(v->ulPropTag) == PT_UNICODE) {
			assert_int_equal(host_utf16_to_utf8(v->Value.lpszW, &u), S_OK);
			assert_string_equal(u, want);
			(void)host_MAPIFreeBuffer(u);
		} else {
			assert_string_equal(v->Value.lpszA, want);
		}
	}
	(void)host_MAPIFreeBuffer(root);
}

static void assert_error_names(LPMAPIERROR e, const char *what, int unicode)
{
	char *text = NULL;

	assert_non_null(e);
	if (unicode) {
		assert_int_equal(host_utf16_to_utf8((const WCHAR *)e->lpszError, &text), S_OK);
	} else {
		text = (char *)e->lpszError;
	}
	assert_non_null(strstr(text, what));
	if (unicode)
		(void)host_MAPIFreeBuffer(text);
}

static void test_install_uninstall_ok_provider_contexts_unsupported_CF4(void **state)
{
	struct fx *f = *state;
	LPMAPIERROR e = NULL;

	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_INSTALL, 0,
	                                             NULL, &e), S_OK);
	assert_null(e);
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_UNINSTALL, 0,
	                                             NULL, &e), S_OK);
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0,
	                                             MSG_SERVICE_PROVIDER_CREATE, 0, NULL, &e),
	                 MAPI_E_NO_SUPPORT);
	assert_error_names(e, "one address book provider", 0);
	(void)host_MAPIFreeBuffer(e);
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0,
	                                             MSG_SERVICE_PROVIDER_DELETE, 0, NULL, NULL),
	                 MAPI_E_NO_SUPPORT);
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, 99, 0, NULL, NULL),
	                 MAPI_E_NO_SUPPORT);
	/* Unknown flag bits. */
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0x40000000,
	                                             MSG_SERVICE_CONFIGURE, 0, NULL, NULL),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_string_equal(host_trace_text(f->trace),
	                    "ABProviderInit,ServiceEntry(INSTALL),ServiceEntry(UNINSTALL),"
	                    "ServiceEntry(PROVIDER_CREATE),ServiceEntry(PROVIDER_DELETE),"
	                    "ServiceEntry(?),ServiceEntry(CONFIGURE)");
}

static void test_create_writes_defaults_and_given_settings_CF4(void **state)
{
	struct fx *f = *state;
	SPropValue v[1];

	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CREATE, 0,
	                                             NULL, NULL), S_OK);
	assert_stored_string(f->prof, 0x3001, "LDAP Directory");
	assert_stored_string(f->prof, 0x6600, NULL);    /* unconfigured until CONFIGURE */
	/* CREATE with settings stores them without requiring completeness. */
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[0].Value.lpszA = "dc=example,dc=com";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CREATE, 1,
	                                             v, NULL), S_OK);
	assert_stored_string(f->prof, 0x6601, "dc=example,dc=com");
	assert_stored_string(f->prof, 0x3001, "LDAP Directory");
}

static void test_configure_validates_and_writes_nothing_on_failure_CF4(void **state)
{
	struct fx *f = *state;
	LPMAPIERROR e = NULL;
	SPropValue v[3];

	/* Nothing stored, nothing given: the URIs are missing. */
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             0, NULL, &e), MAPI_E_UNCONFIGURED);
	assert_error_names(e, "PR_LDAPAB_SERVER_URIS", 0);
	(void)host_MAPIFreeBuffer(e);

	/* A bad value among good ones: nothing is written, the text says which. */
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[0].Value.lpszA = DEAD_URI;
	v[1].ulPropTag = PR_LDAPAB_SIZE_LIMIT;
	v[1].Value.l = -5;
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, MAPI_UNICODE,
	                                             MSG_SERVICE_CONFIGURE, 2, v, &e),
	                 MAPI_E_UNCONFIGURED);
	assert_error_names(e, "PR_LDAPAB_SIZE_LIMIT", 1);
	(void)host_MAPIFreeBuffer(e);
	assert_stored_string(f->prof, 0x6600, NULL);

	/* Valid: written. */
	v[1].Value.l = 25;
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             2, v, &e), S_OK);
	assert_null(e);
	assert_stored_string(f->prof, 0x6600, DEAD_URI);

	/* Later CONFIGUREs are checked against what is stored: a bind DN
	 * without a password is refused; the stored settings stay. */
	v[0].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[0].Value.lpszA = "cn=reader,dc=example,dc=com";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             1, v, &e), MAPI_E_UNCONFIGURED);
	assert_error_names(e, "PR_LDAPAB_BIND_PASSWORD", 0);
	(void)host_MAPIFreeBuffer(e);
	assert_stored_string(f->prof, 0x6603, NULL);
	assert_stored_string(f->prof, 0x6600, DEAD_URI);

	/* What Logon's connection check refuses, CONFIGURE refuses too: a
	 * password over plain ldap:// without StartTLS. */
	v[0].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[0].Value.lpszA = "cn=reader,dc=example,dc=com";
	v[1].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[1].Value.lpszA = "s3cret";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             2, v, &e), MAPI_E_UNCONFIGURED);
	assert_error_names(e, "PR_LDAPAB_ALLOW_INSECURE_BIND", 0);
	assert_null(strstr((char *)e->lpszError, "s3cret"));
	(void)host_MAPIFreeBuffer(e);
	assert_stored_string(f->prof, 0x67F0, NULL);

	/* A property that is not an ldapab setting. */
	v[0].ulPropTag = PR_COMMENT_A;
	v[0].Value.lpszA = "hello";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             1, v, &e), MAPI_E_UNCONFIGURED);
	assert_error_names(e, "0x3004001E", 0);
	(void)host_MAPIFreeBuffer(e);

	/* NULL values with a count, no support object. */
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             1, NULL, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_configure_pt_null_removes_a_setting(void **state)
{
	struct fx *f = *state;
	SPropValue v[2];

	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[0].Value.lpszA = DEAD_URI;
	v[1].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[1].Value.lpszA = "dc=example,dc=com";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             2, v, NULL), S_OK);
	assert_stored_string(f->prof, 0x6601, "dc=example,dc=com");
	v[0].ulPropTag = PROP_TAG(PT_NULL, 0x6601);
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             1, v, NULL), S_OK);
	assert_stored_string(f->prof, 0x6601, NULL);
	assert_stored_string(f->prof, 0x6600, DEAD_URI);
}

static void test_delete_removes_everything_incl_password_CF5(void **state)
{
	struct fx *f = *state;
	host_session *s = NULL;
	host_logon *l = NULL;
	LPSPropValue root = NULL;
	SPropValue v[4];

	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[0].Value.lpszA = "ldaps://127.0.0.1:9";
	v[1].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[1].Value.lpszA = "cn=reader,dc=example,dc=com";
	v[2].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[2].Value.lpszA = "s3cret";
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE,
	                                             3, v, NULL), S_OK);
	assert_non_null(stored(f->prof, 0x67F0, &root));
	(void)host_MAPIFreeBuffer(root);
	/* A logon stores the instance UID; DELETE takes it too. */
	assert_int_equal(host_session_new(NULL, &s), S_OK);
	assert_int_equal(host_session_logon(s, f->prov, f->prof, 0, &l, NULL), S_OK);
	assert_int_equal(host_session_logoff(l), S_OK);
	host_session_free(s);
	assert_non_null(stored(f->prof, 0x6640, &root));
	(void)host_MAPIFreeBuffer(root);

	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_DELETE, 0,
	                                             NULL, NULL), S_OK);
	for (ULONG id = 0x6600; id <= 0x67F0; id++) {
		if (id == 0x6641)
			id = 0x67F0;
		assert_null(stored(f->prof, id, &root));
		(void)host_MAPIFreeBuffer(root);
	}
	assert_stored_string(f->prof, 0x3001, NULL);
}

static void test_logon_unconfigured_runs_configure_then_retries_once_HO7(void **state)
{
	struct fx *f = *state;
	host_session *s = NULL;
	host_logon *l = NULL;
	LPMAPIERROR e = NULL;

	assert_int_equal(host_session_new(f->trace, &s), S_OK);
	host_trace_clear(f->trace);
	assert_int_equal(host_session_logon(s, f->prov, f->prof, 0, &l, &e), MAPI_E_UNCONFIGURED);
	assert_null(l);
	assert_error_names(e, "PR_LDAPAB_SERVER_URIS", 0);
	(void)host_MAPIFreeBuffer(e);
	/* CONFIGURE found the profile as incomplete as Logon did: no retry. */
	assert_string_equal(host_trace_text(f->trace), "IABProvider::Logon,ServiceEntry(CONFIGURE)");

	/* Configured: Logon succeeds at once, no service entry call. */
	{
		SPropValue v;

		memset(&v, 0, sizeof(v));
		v.ulPropTag = PR_LDAPAB_SERVER_URIS_A;
		v.Value.lpszA = DEAD_URI;
		assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0,
		                                             MSG_SERVICE_CONFIGURE, 1, &v, NULL), S_OK);
	}
	host_trace_clear(f->trace);
	assert_int_equal(host_session_logon(s, f->prov, f->prof, 0, &l, NULL), S_OK);
	assert_string_equal(host_trace_text(f->trace), "IABProvider::Logon");
	assert_int_equal(host_session_logoff(l), S_OK);
	host_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_install_uninstall_ok_provider_contexts_unsupported_CF4,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_writes_defaults_and_given_settings_CF4,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_configure_validates_and_writes_nothing_on_failure_CF4,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_configure_pt_null_removes_a_setting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_removes_everything_incl_password_CF5,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_logon_unconfigured_runs_configure_then_retries_once_HO7,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
