/*
 * test_status_object.c - IMAPIStatus (ST-1..ST-6, LO-5) through the host's
 * loader, with a directory server that is down (the status goes to
 * STATUS_FAILURE, in the object and in the host's status row).
 * The recovery half (STATUS_AVAILABLE again) is in test_lifecycle_slapd.c.
 */
#include "test_core_util.h"

static char dead[64];

struct fixture {
	host_profile *prof;
	host_provider *prov;
	host_session *sess;
	host_logon *hl;
	LPABLOGON l;
	LPMAPISUP sup;
};

static void up(struct fixture *f)
{
	SPropValue name = { .ulPropTag = PR_DISPLAY_NAME_A };

	memset(f, 0, sizeof(*f));
	name.Value.lpszA = (LPSTR)"Example Directory";
	f->prof = core_profile(dead, 1, &name);
	f->prov = core_load(NULL);
	assert_int_equal(host_session_new(NULL, &f->sess), S_OK);
	assert_int_equal(host_session_logon(f->sess, f->prov, f->prof, 0, &f->hl, NULL), S_OK);
	f->l = host_logon_ablogon(f->hl);
	f->sup = host_logon_support(f->hl);
}

static void down(struct fixture *f)
{
	assert_int_equal(host_session_logoff(f->hl), S_OK);
	host_session_free(f->sess);
	host_provider_release(f->prov);
	host_profile_release(f->prof);
}

static const SPropValue *find(ULONG n, const SPropValue *v, ULONG tag)
{
	for (ULONG i = 0; i < n; i++)
		if (v[i].ulPropTag == tag)
			return &v[i];
	return NULL;
}

/* LO-5: interfaces, flags, one object, MAPI_STATUS. */
static void test_status_open_interfaces_and_identity_LO5_ST6(void **state)
{
	struct fixture f;
	LPMAPISTATUS a = NULL, b = NULL, c = (LPMAPISTATUS)(uintptr_t)1;
	ULONG type = 77;

	(void)state;
	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, &IID_IMailUser, 0, &type, &c),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(c);
	assert_int_equal(type, 0);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0x100, &type, &c), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, NULL, &c), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, &IID_IMAPIProp, MAPI_MODIFY, &type, &a), S_OK);
	assert_int_equal(type, MAPI_STATUS);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, &IID_IUnknown, 0, &type, &b), S_OK);
	assert_ptr_equal(a, b);         /* created once, held by the logon (ST-6) */
	/* Ours two + the logon's. */
	assert_int_equal(IMAPIStatus_AddRef(a), 4);
	assert_int_equal(IMAPIStatus_Release(a), 3);
	IMAPIStatus_Release(b);
	IMAPIStatus_Release(a);
	down(&f);
}

/* ST-1, ST-2, ST-5: the read-only property part. */
static void test_status_properties_are_st2s_and_read_only_ST1_ST2_ST5(void **state)
{
	SizedSPropTagArray(4, tags) = { 4, { PR_RESOURCE_METHODS, PR_STATUS_STRING_A,
	                                     PR_IDENTITY_ENTRYID, PR_DISPLAY_NAME_W } };
	struct fixture f;
	LPMAPISTATUS st = NULL;
	LPSPropValue pv = NULL;
	LPSPropProblemArray probs = (LPSPropProblemArray)(uintptr_t)1;
	SPropValue set = { .ulPropTag = PR_STATUS_CODE };
	ULONG type, n = 0;
	const SPropValue *v;

	(void)state;
	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, MAPI_MODIFY, &type, &st), S_OK);
	assert_int_equal(IMAPIStatus_GetProps(st, NULL, MAPI_UNICODE, &n, &pv), S_OK);
	assert_true(host_mem_is_root(pv));
	assert_non_null(v = find(n, pv, PR_OBJECT_TYPE));
	assert_int_equal(v->Value.l, MAPI_STATUS);
	assert_non_null(v = find(n, pv, PR_RESOURCE_TYPE));
	assert_int_equal(v->Value.l, MAPI_AB_PROVIDER);
	assert_non_null(v = find(n, pv, PR_RESOURCE_METHODS));
	assert_int_equal(v->Value.l, STATUS_VALIDATE_STATE);      /* ST-4: only that */
	assert_non_null(v = find(n, pv, PR_RESOURCE_FLAGS));
	assert_int_equal(v->Value.l, STATUS_NO_PRIMARY_IDENTITY);
	assert_non_null(v = find(n, pv, PR_STATUS_CODE));
	assert_int_equal(v->Value.l, STATUS_AVAILABLE);
	assert_non_null(v = find(n, pv, PR_DISPLAY_NAME_W));
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, "Example Directory"));
	assert_non_null(find(n, pv, PR_PROVIDER_DISPLAY_W));
	assert_non_null(v = find(n, pv, PR_PROVIDER_DLL_NAME_W));
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, "ldapab.so"));
	assert_non_null(find(n, pv, PR_STATUS_STRING_W));
	assert_null(find(n, pv, PR_IDENTITY_ENTRYID));              /* no identity */
	host_MAPIFreeBuffer(pv);

	/* Typed requests: 8-bit string converted, absent → PT_ERROR + W_ERRORS. */
	assert_int_equal(IMAPIStatus_GetProps(st, (LPSPropTagArray)&tags, 0, &n, &pv),
	                 MAPI_W_ERRORS_RETURNED);
	assert_int_equal(n, 4);
	assert_int_equal(pv[0].Value.l, STATUS_VALIDATE_STATE);
	assert_int_equal(pv[1].ulPropTag, PR_STATUS_STRING_A);
	assert_int_equal(pv[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_IDENTITY_ENTRYID)));
	assert_int_equal(pv[3].ulPropTag, PR_DISPLAY_NAME_W);
	host_MAPIFreeBuffer(pv);

	/* ST-5: opened with MAPI_MODIFY, still read-only. */
	set.Value.l = STATUS_OFFLINE;
	assert_int_equal(IMAPIStatus_SetProps(st, 1, &set, &probs), MAPI_E_NO_ACCESS);
	assert_null(probs);
	assert_int_equal(IMAPIStatus_SaveChanges(st, 0), MAPI_E_NO_ACCESS);
	IMAPIStatus_Release(st);
	down(&f);
}

/* ST-4: methods; ValidateState against a dead server → the network error,
 * STATUS_FAILURE in the object and the row (ST-3), message names server. */
static void test_status_validatestate_dead_server_fails_and_updates_row_ST3_ST4(void **state)
{
	SizedSPropTagArray(2, tags) = { 2, { PR_STATUS_CODE, PR_STATUS_STRING_A } };
	struct fixture f;
	LPMAPISTATUS st = NULL;
	LPSPropValue pv = NULL;
	LPMAPIERROR err = NULL;
	ULONG type, n = 0;

	(void)state;
	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	assert_int_equal(core_row_status(f.sup), STATUS_AVAILABLE);     /* LC-20 */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0x2), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, SUPPRESS_UI | CONFIG_CHANGED |
	                                           0x00040000 /* FORCE_XP_CONNECT: ignored */),
	                 MAPI_E_NETWORK_ERROR);
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_NETWORK_ERROR, 0, &err), S_OK);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, strrchr(dead, ':') + 1));
	host_MAPIFreeBuffer(err);
	/* The object and its row agree. */
	assert_int_equal(IMAPIStatus_GetProps(st, (LPSPropTagArray)&tags, 0, &n, &pv), S_OK);
	assert_int_equal(pv[0].Value.l, STATUS_FAILURE);
	assert_non_null(strstr(pv[1].Value.lpszA, strrchr(dead, ':') + 1));
	host_MAPIFreeBuffer(pv);
	assert_int_equal(core_row_status(f.sup), STATUS_FAILURE);
	/* The rest of ST-4. */
	assert_int_equal(IMAPIStatus_SettingsDialog(st, 0, 0), MAPI_E_NO_SUPPORT);
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_NO_SUPPORT, 0, &err), S_OK);
	assert_non_null(err);
	host_MAPIFreeBuffer(err);
	assert_int_equal(IMAPIStatus_ChangePassword(st, NULL, NULL, 0), MAPI_E_NO_SUPPORT);
	assert_int_equal(IMAPIStatus_FlushQueues(st, 0, 0, NULL, 0), MAPI_E_NO_SUPPORT);
	IMAPIStatus_Release(st);
	down(&f);
}

/* ST-6/LC-40: the status object outlives Logoff as valid memory and makes
 * no support call afterwards (the host would count a bad call or crash). */
static void test_status_after_logoff_invalid_object_no_support_call_LC40_TH6(void **state)
{
	struct fixture f;
	LPMAPISTATUS st = NULL;
	LPSPropTagArray tl = (LPSPropTagArray)(uintptr_t)1;
	ULONG type;

	(void)state;
	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	assert_int_equal(IABLogon_Logoff(f.l, 0), S_OK);
	assert_int_equal(host_logon_support_refcount(f.hl), 0);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_GetPropList(st, 0, &tl), MAPI_E_INVALID_OBJECT);
	assert_null(tl);
	assert_int_equal(IMAPIStatus_SettingsDialog(st, 0, 0), MAPI_E_INVALID_OBJECT);
	down(&f);
	assert_int_equal(IMAPIStatus_Release(st), 0);
}

/* ST-4 CONFIG_CHANGED: the profile is re-read and validated through the
 * support object; a broken setting is reported, the running logon keeps
 * working with what it had (LC-13: the section is released again). */
static void test_status_validatestate_config_changed_rereads_profile_ST4_LC13(void **state)
{
	SPropValue bad = { .ulPropTag = PR_LDAPAB_BIND_METHOD };
	struct fixture f;
	LPMAPISTATUS st = NULL;
	LPMAPIERROR err = NULL;
	size_t sections;
	ULONG type;

	(void)state;
	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	sections = host_profsect_live_objects();
	/* Unchanged and valid: on to the directory check (down here). */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, CONFIG_CHANGED), MAPI_E_NETWORK_ERROR);
	bad.Value.l = 9;
	assert_int_equal(host_profile_set_props(f.prof, NULL, 1, &bad), S_OK);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, CONFIG_CHANGED), MAPI_E_UNCONFIGURED);
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_UNCONFIGURED, 0, &err), S_OK);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, "PR_LDAPAB_BIND_METHOD (0x66020003) is 9"));
	host_MAPIFreeBuffer(err);
	assert_int_equal(host_profsect_live_objects(), sections);
	/* Without the flag the running settings are used as before. */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), MAPI_E_NETWORK_ERROR);
	IMAPIStatus_Release(st);
	down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_status_open_interfaces_and_identity_LO5_ST6),
		CORE_TEST(test_status_properties_are_st2s_and_read_only_ST1_ST2_ST5),
		CORE_TEST(test_status_validatestate_dead_server_fails_and_updates_row_ST3_ST4),
		CORE_TEST(test_status_after_logoff_invalid_object_no_support_call_LC40_TH6),
		CORE_TEST(test_status_validatestate_config_changed_rereads_profile_ST4_LC13),
	};
	core_dead_uri(dead, sizeof(dead));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
