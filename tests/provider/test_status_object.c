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

/* The built module's file name (ldapab.so, ldapab.dll): PR_PROVIDER_DLL_NAME. */
static const char *module_file_name(void)
{
	const char *slash = strrchr(LDAPAB_MODULE_PATH, '/');

	return slash != NULL ? slash + 1 : LDAPAB_MODULE_PATH;
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
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, module_file_name()));
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

/* ST-4: methods; ValidateState against a dead server → S_OK (MAPI's
 * documented returns are S_OK, BUSY, NO_SUPPORT, USER_CANCEL: an unreachable
 * server is a state found, not a failed call), STATUS_FAILURE in the object
 * and the row (ST-3), the reason naming the server in PR_STATUS_STRING, and
 * nothing in GetLastError (it explains failed calls). */
static void test_status_validatestate_dead_server_s_ok_failure_in_row_ST3_ST4(void **state)
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
	                 S_OK);
	err = (LPMAPIERROR)(uintptr_t)1;
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_NETWORK_ERROR, 0, &err), S_OK);
	assert_null(err);
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
	assert_int_equal(IMAPIStatus_ChangePassword(st, NULL, NULL, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IMAPIStatus_ChangePassword(st, (LPTSTR)"old", (LPTSTR)"new", 0),
	                 MAPI_E_NO_SUPPORT);
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
	/* Unchanged and valid: on to the directory check (down here: S_OK,
	 * the row says STATUS_FAILURE). */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, CONFIG_CHANGED), S_OK);
	assert_int_equal(core_row_status(f.sup), STATUS_FAILURE);
	bad.Value.l = 9;
	assert_int_equal(host_profile_set_props(f.prof, NULL, 1, &bad), S_OK);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, CONFIG_CHANGED), MAPI_E_UNCONFIGURED);
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_UNCONFIGURED, 0, &err), S_OK);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, "PR_LDAPAB_BIND_METHOD (0x66020003) is 9"));
	host_MAPIFreeBuffer(err);
	assert_int_equal(host_profsect_live_objects(), sections);
	/* Without the flag the running settings are used as before. */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), S_OK);
	assert_int_equal(core_row_status(f.sup), STATUS_FAILURE);
	IMAPIStatus_Release(st);
	down(&f);
}

/* ST-2: the status object has a PR_ENTRYID - an ID of ours (this
 * instance's UID, type ABP_EID_STATUS, locator "status") - and
 * ABLogon::OpenEntry of it opens the same status object (MAPI_STATUS). */
static void test_status_has_entryid_and_openentry_opens_it_ST2_LO2(void **state)
{
	SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
	struct fixture f;
	LPMAPISTATUS st = NULL;
	LPSPropValue pv = NULL;
	LPUNKNOWN obj = NULL, o = (LPUNKNOWN)(uintptr_t)1;
	struct abp_eid eid;
	uint8_t id[256];
	MAPIUID uid;
	ULONG type, n = 0, cb;

	(void)state;
	up(&f);
	assert_true(core_profile_uid(f.prof, &uid));
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	assert_int_equal(IMAPIStatus_GetProps(st, (LPSPropTagArray)&tags, 0, &n, &pv), S_OK);
	assert_int_equal(n, 1);
	assert_int_equal(pv[0].ulPropTag, PR_ENTRYID);
	cb = pv[0].Value.bin.cb;
	assert_true(cb > 20 && cb <= sizeof(id));
	memcpy(id, pv[0].Value.bin.lpb, cb);
	host_MAPIFreeBuffer(pv);
	assert_int_equal(abp_eid_parse(id, cb, uid.ab, &eid), ABP_EID_OK);
	assert_int_equal(eid.type, ABP_EID_STATUS);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_CONTAINER);
	assert_int_equal(eid.loc_len, 6);
	assert_memory_equal(eid.loc, "status", 6);
	/* In the property list too. */
	{
		LPSPropTagArray tl = NULL;
		bool found = false;

		assert_int_equal(IMAPIStatus_GetPropList(st, 0, &tl), S_OK);
		for (ULONG i = 0; i < tl->cValues; i++)
			found = found || tl->aulPropTag[i] == PR_ENTRYID;
		assert_true(found);
		host_MAPIFreeBuffer(tl);
	}

	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)id, NULL, 0, &type, &obj), S_OK);
	assert_int_equal(type, MAPI_STATUS);
	assert_ptr_equal(obj, st);      /* the logon's one status object (ST-6) */
	IUnknown_Release(obj);
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)id, &IID_IMAPIProp, 0, &type, &obj),
	                 S_OK);
	IUnknown_Release(obj);
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)id, &IID_IMailUser, 0, &type, &o),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(o);
	/* A status ID with another locator names nothing of ours. */
	cb = core_eid(&uid, ABP_EID_STATUS, ABP_EID_LOC_CONTAINER, "other", 5, NULL, id, sizeof(id));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)id, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	IMAPIStatus_Release(st);
	down(&f);
}

/* ------------------------------------------------------------------------ */
/* Logoff / final Release from inside a call (no self-deadlock, LC-32 4-5)  */
/* ------------------------------------------------------------------------ */

/* A CopyTo destination whose SetProps logs the logon off (mode 1) or logs
 * off and drops the logon's last reference through the host (mode 2). */
struct logoff_dest {
	IMAPIProp iface;
	struct fixture *f;
	int mode;
	int calls;
	HRESULT hr;
};

static HRESULT STDMETHODCALLTYPE ld_qi(IMAPIProp *This, REFIID riid, LPVOID *ppv)
{
	(void)This;
	(void)riid;
	*ppv = NULL;
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG STDMETHODCALLTYPE ld_addref(IMAPIProp *This) { (void)This; return 2; }
static ULONG STDMETHODCALLTYPE ld_release(IMAPIProp *This) { (void)This; return 1; }

static HRESULT STDMETHODCALLTYPE ld_setprops(IMAPIProp *This, ULONG n, LPSPropValue v,
                                             LPSPropProblemArray *probs)
{
	struct logoff_dest *d = (struct logoff_dest *)(void *)This;

	(void)n;
	(void)v;
	if (probs)
		*probs = NULL;
	d->calls++;
	if (d->mode == 1)
		d->hr = IABLogon_Logoff(d->f->l, 0);
	else
		d->hr = host_session_logoff(d->f->hl);  /* Logoff + the final Release */
	return S_OK;
}

static const IMAPIPropVtbl logoff_dest_vtbl = {
	.QueryInterface = ld_qi,
	.AddRef = ld_addref,
	.Release = ld_release,
	.SetProps = ld_setprops,
};

static void logoff_inside_copyto(int mode)
{
	struct fixture f;
	struct logoff_dest d = { .iface = { &logoff_dest_vtbl }, .f = &f, .mode = mode };
	LPMAPISTATUS st = NULL;
	LPSPropTagArray tl = (LPSPropTagArray)(uintptr_t)1;
	ULONG type;

	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	/* Without per-thread accounting Logoff waits for this very call: the
	 * alarm turns such a hang into a failure. */
	alarm(30);
	assert_int_equal(IMAPIStatus_CopyTo(st, 0, NULL, NULL, 0, NULL, NULL, &d.iface, 0, NULL),
	                 S_OK);
	alarm(0);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.hr, S_OK);
	/* Logged off: LC-40 for the held object, and the support object was
	 * released once the outermost call returned (LC-32 step 5). */
	assert_int_equal(IMAPIStatus_GetPropList(st, 0, &tl), MAPI_E_INVALID_OBJECT);
	assert_null(tl);
	if (mode == 1) {
		assert_int_equal(host_logon_support_refcount(f.hl), 0);
		assert_int_equal(IABLogon_Logoff(f.l, 0), S_OK);       /* LC-34 */
		assert_int_equal(host_session_logoff(f.hl), S_OK);
	}
	assert_int_equal(IMAPIStatus_Release(st), 0);
	host_session_free(f.sess);
	host_provider_release(f.prov);
	host_profile_release(f.prof);
}

static void test_status_logoff_from_copyto_destination_no_deadlock_LC32_LC36(void **state)
{
	(void)state;
	logoff_inside_copyto(1);
}

static void test_status_final_release_from_copyto_destination_no_deadlock_LC33_LC39(void **state)
{
	(void)state;
	logoff_inside_copyto(2);
}

/* A status-table push that calls back: ModifyStatusRow of the support object
 * (patched in its vtable) logs the logon off from inside the push, which
 * runs inside ValidateState (ST-3 / ST-4). */
static IMAPISupportVtbl patched_sup_vtbl;
static HRESULT (STDMETHODCALLTYPE *orig_modify_row)(IMAPISupport *, ULONG, LPSPropValue, ULONG);
static struct fixture *row_fixture;
static int row_mode, row_logoffs;

static HRESULT STDMETHODCALLTYPE modify_row_logs_off(IMAPISupport *This, ULONG n, LPSPropValue v,
                                                     ULONG flags)
{
	if ((flags & STATUSROW_UPDATE) && row_fixture) {
		struct fixture *f = row_fixture;

		row_fixture = NULL;
		row_logoffs++;
		if (row_mode == 1)
			assert_int_equal(IABLogon_Logoff(f->l, 0), S_OK);
		else
			assert_int_equal(host_session_logoff(f->hl), S_OK);
	}
	/* The support object is still alive: its release waits for us. */
	return orig_modify_row(This, n, v, flags);
}

static void logoff_inside_status_push(int mode)
{
	struct fixture f;
	LPMAPISTATUS st = NULL;
	const IMAPISupportVtbl *saved;
	ULONG type;

	up(&f);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, 0, &type, &st), S_OK);
	saved = f.sup->lpVtbl;
	patched_sup_vtbl = *saved;
	orig_modify_row = saved->ModifyStatusRow;
	patched_sup_vtbl.ModifyStatusRow = modify_row_logs_off;
	row_fixture = &f;
	row_mode = mode;
	row_logoffs = 0;
	IMAPISupport_AddRef(f.sup);     /* ours, to restore the vtable at the end */
	f.sup->lpVtbl = &patched_sup_vtbl;
	alarm(30);
	/* The dead server changes the status → the row is pushed → Logoff. */
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), S_OK);
	alarm(0);
	assert_int_equal(row_logoffs, 1);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), MAPI_E_INVALID_OBJECT);
	/* Only our reference is left (the host's being gone): the logon's went
	 * with the last leave.  (The host knows its objects by their vtable.) */
	f.sup->lpVtbl = saved;
	assert_int_equal(host_support_refcount(f.sup), 1);
	IMAPISupport_Release(f.sup);
	if (mode == 1)
		assert_int_equal(host_session_logoff(f.hl), S_OK);
	assert_int_equal(IMAPIStatus_Release(st), 0);
	host_session_free(f.sess);
	host_provider_release(f.prov);
	host_profile_release(f.prof);
}

static void test_status_logoff_from_status_row_push_no_deadlock_ST3_LC32(void **state)
{
	(void)state;
	logoff_inside_status_push(1);
}

static void test_status_final_release_from_status_row_push_no_deadlock_ST3_LC39(void **state)
{
	(void)state;
	logoff_inside_status_push(2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_status_open_interfaces_and_identity_LO5_ST6),
		CORE_TEST(test_status_properties_are_st2s_and_read_only_ST1_ST2_ST5),
		CORE_TEST(test_status_validatestate_dead_server_s_ok_failure_in_row_ST3_ST4),
		CORE_TEST(test_status_after_logoff_invalid_object_no_support_call_LC40_TH6),
		CORE_TEST(test_status_validatestate_config_changed_rereads_profile_ST4_LC13),
		CORE_TEST(test_status_has_entryid_and_openentry_opens_it_ST2_LO2),
		CORE_TEST(test_status_logoff_from_copyto_destination_no_deadlock_LC32_LC36),
		CORE_TEST(test_status_final_release_from_copyto_destination_no_deadlock_LC33_LC39),
		CORE_TEST(test_status_logoff_from_status_row_push_no_deadlock_ST3_LC32),
		CORE_TEST(test_status_final_release_from_status_row_push_no_deadlock_ST3_LC39),
	};
	core_dead_uri(dead, sizeof(dead));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
