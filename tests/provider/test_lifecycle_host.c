/*
 * test_lifecycle_host.c - the provider's lifecycle through the host's real
 * loader and support object, no directory server needed (the URI points at
 * a closed port: the bind is lazy, LC-17).
 *
 * Covers LC-1..LC-7 (ABProviderInit), LC-10..LC-20 (Logon), LC-30..LC-36
 * (Logoff), LC-37/38 (Shutdown and its order), LC-40..LC-42 (held objects
 * after Logoff), LO-1..LO-8 argument handling.
 */
#include <dlfcn.h>
#include <pthread.h>

#include "test_core_util.h"
#include "abp.h"
#include "config.h"

static char dead[64];

/* ---------------------------------------------------------------------- */
/* ABProviderInit (called directly through dlsym, as MAPI does)            */
/* ---------------------------------------------------------------------- */

static void test_lifecycle_init_handshake_and_new_object_per_call_LC3_LC4_LC5_LC7(void **state)
{
	void *mod = dlopen(LDAPAB_MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
	LPABPROVIDERINIT init;
	LPABPROVIDER a = NULL, b = NULL, c = (LPABPROVIDER)(uintptr_t)1;
	LPMALLOC m = NULL;
	ULONG ver = 0;
	LPVOID q = NULL;

	(void)state;
	assert_non_null(mod);
	init = (LPABPROVIDERINIT)dlsym(mod, "ABProviderInit");   /* LC-1 */
	assert_non_null(init);
	assert_int_equal(host_malloc_new(&m), S_OK);

	/* LC-3: version always written; too old a MAPI → MAPI_E_VERSION, NULL. */
	assert_int_equal(init(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                      host_MAPIFreeBuffer, 0, 0x00000100, &ver, &c), MAPI_E_VERSION);
	assert_int_equal(ver, CURRENT_SPI_VERSION);
	assert_null(c);

	/* LC-7: NULL out-pointers / allocators → INVALID_PARAMETER. */
	ver = 0;
	assert_int_equal(init(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                      host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(ver, CURRENT_SPI_VERSION);
	assert_int_equal(init(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                      host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, NULL, &c),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(init(NULL, m, NULL, host_MAPIAllocateMore, host_MAPIFreeBuffer, 0,
	                      CURRENT_SPI_VERSION, &ver, &c), MAPI_E_INVALID_PARAMETER);
	assert_null(c);

	/* LC-4: every call a new object; LC-6: MAPI_NT_SERVICE accepted;
	 * LC-7: hInstance NULL; LC-5: lpMalloc not kept, so not AddRef'd. */
	assert_int_equal(init(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                      host_MAPIFreeBuffer, 0, PDK1_SPI_VERSION, &ver, &a), S_OK);
	assert_int_equal(init(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                      host_MAPIFreeBuffer, MAPI_NT_SERVICE, CURRENT_SPI_VERSION, &ver, &b),
	                 S_OK);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(host_malloc_refcount(m), 1);

	/* TH-2: QueryInterface AddRefs on success, NULLs on failure. */
	assert_int_equal(IABProvider_QueryInterface(a, &IID_IABProvider, &q), S_OK);
	assert_ptr_equal(q, a);
	assert_int_equal(IABProvider_Release(a), 1);
	q = (LPVOID)(uintptr_t)1;
	assert_int_equal(IABProvider_QueryInterface(a, &IID_IABLogon, &q),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(q);

	/* LC-37: Shutdown's reserved flags. */
	ULONG flags = 1;
	assert_int_equal(IABProvider_Shutdown(a, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABProvider_Shutdown(a, &flags), MAPI_E_UNKNOWN_FLAGS);
	flags = 0;
	assert_int_equal(IABProvider_Shutdown(a, &flags), S_OK);

	/* LC-39: final Release frees (ASan would see a leak otherwise). */
	assert_int_equal(IABProvider_Release(a), 0);
	assert_int_equal(IABProvider_Release(b), 0);
	assert_int_equal(host_malloc_refcount(m), 1);
	IMalloc_Release(m);
	dlclose(mod);
}

/* ---------------------------------------------------------------------- */
/* Logon                                                                   */
/* ---------------------------------------------------------------------- */

/* LC-12, LC-14, LC-18, LC-20: logon through the host; support refcount,
 * UID made once and kept, status row, security params. */
static void test_lifecycle_logon_refs_support_once_and_registers_stable_uid_LC12_LC14_LC20_CF7(void **state)
{
	host_profile *prof = core_profile(dead, 0, NULL);
	host_provider *prov = core_load(NULL);
	host_session *sess = NULL;
	host_logon *l1 = NULL, *l2 = NULL;
	MAPIUID uid1, uid2;
	LPMAPIUID uids = NULL;
	ULONG n = 0;

	(void)state;
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_false(core_profile_uid(prof, &uid1));
	assert_int_equal(host_session_logon(sess, prov, prof, 0, &l1, NULL), S_OK);
	/* The host dropped its own reference: what is left is the logon's. */
	assert_int_equal(host_logon_support_refcount(l1), 1);
	assert_true(core_profile_uid(prof, &uid1));
	{       /* CF-7: the published provider GUID is stored beside the UID. */
		static const BYTE want[16] = LDAPAB_AB_PROVIDER_ID_BYTES;
		SizedSPropTagArray(1, tag) = { 1, { PR_AB_PROVIDER_ID } };
		LPSPropValue pv = NULL;
		ULONG pn = 0;

		assert_int_equal(host_profile_get_props(prof, NULL, (LPSPropTagArray)&tag, 0,
		                                        &pn, &pv), S_OK);
		assert_int_equal(pn, 1);
		assert_int_equal(pv[0].ulPropTag, PR_AB_PROVIDER_ID);
		assert_int_equal(pv[0].Value.bin.cb, 16);
		assert_memory_equal(pv[0].Value.bin.lpb, want, 16);
		host_MAPIFreeBuffer(pv);
	}
	assert_int_equal(host_support_uids(host_logon_support(l1), &n, &uids), S_OK);
	assert_int_equal(n, 1);
	assert_memory_equal(uids[0].ab, uid1.ab, 16);
	host_MAPIFreeBuffer(uids);
	assert_int_equal(core_row_status(host_logon_support(l1)), STATUS_AVAILABLE);

	/* A second logon of the same profile: same UID (IDs persist, LC-14). */
	assert_int_equal(host_session_logon(sess, prov, prof, MAPI_UNICODE, &l2, NULL), S_OK);
	assert_true(core_profile_uid(prof, &uid2));
	assert_memory_equal(uid1.ab, uid2.ab, 16);
	assert_int_equal(host_logon_support_refcount(l2), 1);
	/* LC-10: independent logons. */
	assert_ptr_not_equal(host_logon_ablogon(l1), host_logon_ablogon(l2));

	assert_int_equal(host_session_logoff(l1), S_OK);
	assert_int_equal(host_session_logoff(l2), S_OK);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LC-10 / LC-14: first Logons of one profile on 8 threads at once make and
 * register ONE instance UID; a second one would make every ID of the
 * losers foreign for ever. */
#define RACE_THREADS 8

struct race {
	host_session *sess;
	host_provider *prov;
	host_profile *prof;
	pthread_barrier_t go;
	host_logon *hl[RACE_THREADS];
	HRESULT hr[RACE_THREADS];
};

struct race_arg {
	struct race *r;
	int i;
};

static void *race_logon(void *arg)
{
	struct race_arg *a = arg;

	pthread_barrier_wait(&a->r->go);
	a->r->hr[a->i] = host_session_logon(a->r->sess, a->r->prov, a->r->prof, 0,
	                                    &a->r->hl[a->i], NULL);
	return NULL;
}

static void test_lifecycle_concurrent_first_logons_agree_on_one_uid_LC10_LC14(void **state)
{
	struct race r;
	struct race_arg args[RACE_THREADS];
	pthread_t t[RACE_THREADS];
	MAPIUID uid;

	(void)state;
	for (int round = 0; round < 5; round++) {
		memset(&r, 0, sizeof(r));
		r.prof = core_profile(dead, 0, NULL);
		r.prov = core_load(NULL);
		assert_int_equal(host_session_new(NULL, &r.sess), S_OK);
		assert_false(core_profile_uid(r.prof, &uid));       /* a first logon */
		assert_int_equal(pthread_barrier_init(&r.go, NULL, RACE_THREADS), 0);
		for (int i = 0; i < RACE_THREADS; i++) {
			args[i].r = &r;
			args[i].i = i;
			assert_int_equal(pthread_create(&t[i], NULL, race_logon, &args[i]), 0);
		}
		for (int i = 0; i < RACE_THREADS; i++)
			assert_int_equal(pthread_join(t[i], NULL), 0);
		pthread_barrier_destroy(&r.go);
		assert_true(core_profile_uid(r.prof, &uid));
		for (int i = 0; i < RACE_THREADS; i++) {
			LPMAPIUID uids = NULL;
			ULONG n = 0;

			assert_int_equal(r.hr[i], S_OK);
			assert_int_equal(host_support_uids(host_logon_support(r.hl[i]), &n, &uids), S_OK);
			assert_int_equal(n, 1);
			if (memcmp(uids[0].ab, uid.ab, 16) != 0)
				fail_msg("round %d: logon %d registered another UID than the profile's",
				         round, i);
			host_MAPIFreeBuffer(uids);
		}
		for (int i = 0; i < RACE_THREADS; i++)
			assert_int_equal(host_session_logoff(r.hl[i]), S_OK);
		host_session_free(r.sess);
		host_provider_release(r.prov);
		host_profile_release(r.prof);
	}
}

/* Direct calls of IABProvider::Logon: LC-11, LC-12 (failure nets zero),
 * LC-13 (section released), LC-15/19 (UNCONFIGURED + MAPIERROR), LC-16
 * (MAPI_UNICODE → UTF-16 MAPIERROR), LC-18 (security params). */
static void test_lifecycle_logon_failure_is_unconfigured_with_one_block_error_LC11_LC15_LC19(void **state)
{
	host_profile *prof = core_profile(NULL, 0, NULL);      /* no URIs */
	host_provider *prov = core_load(NULL);
	LPABPROVIDER abp = host_provider_abprovider(prov);
	host_session *sess = NULL;
	LPMAPISUP sup = NULL;
	LPABLOGON logon = (LPABLOGON)(uintptr_t)1;
	LPMAPIERROR err = (LPMAPIERROR)(uintptr_t)1;
	ULONG cbsec = 77;
	LPBYTE sec = (LPBYTE)(uintptr_t)1;
	size_t sections = host_profsect_live_objects();
	WCHAR wname[] = { 'p', 0 };

	(void)state;
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_support_new(sess, prof, &sup), S_OK);

	/* LC-11 then LC-7-style argument checks. */
	assert_int_equal(IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL,
	                                   &err, NULL), MAPI_E_INVALID_PARAMETER);
	assert_null(err);
	assert_int_equal(IABProvider_Logon(abp, NULL, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL,
	                                   &err, &logon), MAPI_E_INVALID_PARAMETER);
	assert_null(logon);

	/* Unconfigured, Unicode: the error is one UTF-16 block naming the setting. */
	assert_int_equal(IABProvider_Logon(abp, sup, 0, (LPTSTR)wname, AB_NO_DIALOG | MAPI_UNICODE,
	                                   &cbsec, &sec, &err, &logon), MAPI_E_UNCONFIGURED);
	assert_null(logon);
	assert_non_null(err);
	assert_true(host_mem_is_root(err));
	assert_int_equal(err->ulVersion, MAPI_ERROR_VERSION);
	assert_true(host_mem_is_chained(err, err->lpszError));
	assert_true(host_utf16_eq_utf8((LPWSTR)(void *)err->lpszComponent, "ldapab"));
	{
		char *text = NULL;

		assert_int_equal(host_utf16_to_utf8((LPWSTR)(void *)err->lpszError, &text), S_OK);
		assert_non_null(strstr(text, "PR_LDAPAB_SERVER_URIS (0x6600001F) is missing"));
		host_MAPIFreeBuffer(text);
	}
	host_MAPIFreeBuffer(err);
	/* LC-12: no reference kept; LC-13: the section was released; LC-18:
	 * the security params untouched on failure. */
	assert_int_equal(host_support_refcount(sup), 1);
	assert_int_equal(host_profsect_live_objects(), sections);
	assert_int_equal(cbsec, 77);

	/* Configured: success writes 0/NULL through the security params. */
	SPropValue u = { .ulPropTag = PR_LDAPAB_SERVER_URIS_A };
	u.Value.lpszA = dead;
	assert_int_equal(host_profile_set_props(prof, NULL, 1, &u), S_OK);
	assert_int_equal(IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, &cbsec, &sec,
	                                   &err, &logon), S_OK);
	assert_null(err);
	assert_non_null(logon);
	assert_int_equal(cbsec, 0);
	assert_null(sec);
	assert_int_equal(host_support_refcount(sup), 2);
	assert_int_equal(host_profsect_live_objects(), sections);
	assert_int_equal(IABLogon_Logoff(logon, 0), S_OK);
	assert_int_equal(host_support_refcount(sup), 1);
	assert_int_equal(IABLogon_Release(logon), 0);

	IMAPISupport_Release(sup);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LC-15 through the real section: a damaged instance UID is reported, not
 * silently replaced (that would orphan every stored entry ID, LC-14). */
static void test_lifecycle_damaged_instance_uid_is_unconfigured_LC14(void **state)
{
	static BYTE junk[5] = { 1, 2, 3, 4, 5 };
	SPropValue v = { .ulPropTag = PR_LDAPAB_INSTANCE_UID };
	host_profile *prof;
	host_provider *prov = core_load(NULL);
	host_session *sess = NULL;
	host_logon *l = NULL;
	LPMAPIERROR err = NULL;

	(void)state;
	v.Value.bin.cb = sizeof(junk);
	v.Value.bin.lpb = junk;
	prof = core_profile(dead, 1, &v);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_session_logon(sess, prov, prof, 0, &l, &err), MAPI_E_UNCONFIGURED);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, "PR_LDAPAB_INSTANCE_UID"));
	host_MAPIFreeBuffer(err);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LC-15, CF-5: a password over plain ldap:// is refused before anything is
 * sent; the logon says how to fix it, without the password. */
static void test_lifecycle_password_over_plain_ldap_is_unconfigured_LC15_CF5(void **state)
{
	SPropValue v[2];
	host_profile *prof;
	host_provider *prov = core_load(NULL);
	host_session *sess = NULL;
	host_logon *l = NULL;
	LPMAPIERROR err = NULL;

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[0].Value.lpszA = (LPSTR)"cn=reader,dc=example,dc=com";
	v[1].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[1].Value.lpszA = (LPSTR)"s3cret-pw";
	prof = core_profile(dead, 2, v);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_session_logon(sess, prov, prof, 0, &l, &err), MAPI_E_UNCONFIGURED);
	assert_null(l);
	assert_non_null(err);
	assert_non_null(strstr(err->lpszError, "PR_LDAPAB_ALLOW_INSECURE_BIND"));
	assert_null(strstr(err->lpszError, "s3cret"));
	host_MAPIFreeBuffer(err);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* ---------------------------------------------------------------------- */
/* Logoff                                                                  */
/* ---------------------------------------------------------------------- */

/* LC-31 then LC-32/LC-34/LC-40/LC-42: flags refused without effect; Logoff
 * releases subobjects and the support object exactly once; held objects
 * answer MAPI_E_INVALID_OBJECT; their final Release is safe. */
static void test_lifecycle_logoff_order_and_invalid_object_afterwards_LC31_LC32_LC34_LC40_LC42(void **state)
{
	host_profile *prof = core_profile(dead, 0, NULL);
	host_provider *prov = core_load(NULL);
	host_session *sess = NULL;
	host_logon *hl = NULL;
	LPABLOGON l;
	LPMAPISTATUS st = NULL;
	LPUNKNOWN root = NULL, obj = (LPUNKNOWN)(uintptr_t)1;
	LPABCONT cont;
	LPMAPIERROR err = (LPMAPIERROR)(uintptr_t)1;
	LPSPropValue pv = (LPSPropValue)(uintptr_t)1;
	LPMAPITABLE tbl = (LPMAPITABLE)(uintptr_t)1;
	LPMAPIPROP pnew = (LPMAPIPROP)(uintptr_t)1;
	struct core_sink sink;
	ULONG type = 77, n = 77, res = 77;
	ULONG_PTR conn = 0, conn2 = 99;
	SizedADRLIST(1, adr) = { 0, { { 0, 0, NULL } } };

	(void)state;
	core_sink_init(&sink);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_session_logon(sess, prov, prof, 0, &hl, NULL), S_OK);
	l = host_logon_ablogon(hl);

	/* Hold the status object, the root container and a registration. */
	assert_int_equal(IABLogon_OpenStatusEntry(l, NULL, 0, &type, &st), S_OK);
	assert_int_equal(type, MAPI_STATUS);
	assert_int_equal(IABLogon_OpenEntry(l, 0, NULL, NULL, 0, &type, &root), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	/* LO-4: an event bit MAPI does not define is refused, nothing registered. */
	assert_int_equal(IABLogon_Advise(l, 0, NULL, fnevObjectModified | 0x00100000,
	                                 &sink.iface, &conn), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(conn, 0);
	assert_int_equal(IABLogon_Advise(l, 0, NULL, fnevReservedForMapi, &sink.iface, &conn),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(host_session_subscriptions(sess), 0);
	assert_int_equal(atomic_load(&sink.refs), 1);
	assert_int_equal(IABLogon_Advise(l, 0, NULL, fnevObjectModified, &sink.iface, &conn), S_OK);
	assert_true(conn != 0);
	assert_int_equal(host_session_subscriptions(sess), 1);
	assert_int_equal(atomic_load(&sink.refs), 2);        /* the support's */

	/* LC-31: reserved flags → UNKNOWN_FLAGS, nothing happens. */
	assert_int_equal(IABLogon_Logoff(l, 1), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(host_logon_support_refcount(hl), 1);
	assert_int_equal(host_session_subscriptions(sess), 1);
	assert_int_equal(IABLogon_OpenStatusEntry(l, NULL, 0, &type, (LPMAPISTATUS *)&obj), S_OK);
	assert_ptr_equal(obj, st);   /* LO-5: created once */
	IUnknown_Release(obj);

	/* LC-32. */
	assert_int_equal(IABLogon_Logoff(l, 0), S_OK);
	assert_int_equal(host_session_subscriptions(sess), 0);      /* step 2 */
	assert_int_equal(host_session_leaked_subscriptions(sess), 0);
	assert_int_equal(atomic_load(&sink.refs), 1);
	/* Step 3: the logon's references are gone: ours is the only one. */
	assert_int_equal(IMAPIStatus_AddRef(st), 2);
	assert_int_equal(IMAPIStatus_Release(st), 1);
	assert_int_equal(IUnknown_AddRef(root), 2);
	assert_int_equal(IUnknown_Release(root), 1);
	assert_int_equal(host_logon_support_refcount(hl), 0);       /* step 5 */

	/* LC-34: again → S_OK, no second support release (would be a bad call). */
	assert_int_equal(IABLogon_Logoff(l, 0), S_OK);

	/* LC-40: every non-IUnknown method, NULL/0 in out-pointers. */
	assert_int_equal(IABLogon_GetLastError(l, MAPI_E_NOT_FOUND, 0, &err), MAPI_E_INVALID_OBJECT);
	assert_null(err);
	assert_int_equal(IABLogon_OpenEntry(l, 0, NULL, NULL, 0, &type, &obj), MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(obj);
	assert_int_equal(IABLogon_CompareEntryIDs(l, 0, NULL, 0, NULL, 0, &res), MAPI_E_INVALID_OBJECT);
	assert_int_equal(res, FALSE);
	assert_int_equal(IABLogon_Advise(l, 0, NULL, fnevObjectModified, &sink.iface, &conn2),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(conn2, 0);
	assert_int_equal(IABLogon_Unadvise(l, conn), MAPI_E_INVALID_OBJECT);
	type = 77;
	obj = (LPUNKNOWN)(uintptr_t)1;
	assert_int_equal(IABLogon_OpenStatusEntry(l, NULL, 0, &type, (LPMAPISTATUS *)&obj),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(obj);
	assert_int_equal(IABLogon_OpenTemplateID(l, 0, NULL, 0, NULL, NULL, &pnew, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_null(pnew);
	assert_int_equal(IABLogon_GetOneOffTable(l, 0, &tbl), MAPI_E_INVALID_OBJECT);
	assert_null(tbl);
	assert_int_equal(IABLogon_PrepareRecips(l, 0, NULL, (LPADRLIST)&adr), MAPI_E_INVALID_OBJECT);
	/* LC-40 answers first: bad arguments, flags or interfaces after Logoff
	 * still get MAPI_E_INVALID_OBJECT, with out-pointers cleared. */
	assert_int_equal(IABLogon_GetLastError(l, MAPI_E_NOT_FOUND, 0x4, NULL), MAPI_E_INVALID_OBJECT);
	type = 77;
	obj = (LPUNKNOWN)(uintptr_t)1;
	assert_int_equal(IABLogon_OpenEntry(l, 0, NULL, NULL, 0x00100000, &type, &obj),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(obj);
	assert_int_equal(IABLogon_OpenEntry(l, 0, NULL, NULL, 0, NULL, NULL), MAPI_E_INVALID_OBJECT);
	res = 77;
	assert_int_equal(IABLogon_CompareEntryIDs(l, 0, NULL, 0, NULL, 1, &res), MAPI_E_INVALID_OBJECT);
	assert_int_equal(res, FALSE);
	assert_int_equal(IABLogon_CompareEntryIDs(l, 0, NULL, 0, NULL, 0, NULL), MAPI_E_INVALID_OBJECT);
	conn2 = 99;
	assert_int_equal(IABLogon_Advise(l, 0, NULL, 0, NULL, &conn2), MAPI_E_INVALID_OBJECT);
	assert_int_equal(conn2, 0);
	assert_int_equal(IABLogon_Unadvise(l, 0), MAPI_E_INVALID_OBJECT);
	type = 77;
	obj = (LPUNKNOWN)(uintptr_t)1;
	assert_int_equal(IABLogon_OpenStatusEntry(l, &IID_IMailUser, 0, &type, (LPMAPISTATUS *)&obj),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(type, 0);
	assert_null(obj);
	assert_int_equal(IABLogon_OpenStatusEntry(l, NULL, 0x100, NULL, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IABLogon_OpenTemplateID(l, 0, NULL, 0x100, NULL, NULL, NULL, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(IABLogon_GetOneOffTable(l, 0x100, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IABLogon_PrepareRecips(l, 0x100, NULL, NULL), MAPI_E_INVALID_OBJECT);
	/* The held status object likewise. */
	assert_int_equal(IMAPIStatus_GetLastError(st, MAPI_E_NOT_FOUND, 0, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_GetProps(st, NULL, 0, NULL, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_GetPropList(st, 0, NULL), MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_OpenProperty(st, PR_ENTRYID, NULL, 0, 0, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_CopyTo(st, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_CopyProps(st, NULL, 0, NULL, NULL, NULL, 0, NULL),
	                 MAPI_E_INVALID_OBJECT);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0x80000000), MAPI_E_INVALID_OBJECT);
	/* IUnknown still works. */
	assert_int_equal(IABLogon_QueryInterface(l, &IID_IABLogon, (LPVOID *)&obj), S_OK);
	IUnknown_Release(obj);

	/* Held children: INVALID_OBJECT too, and their Release is safe (LC-42). */
	assert_int_equal(IMAPIStatus_GetProps(st, NULL, 0, &n, &pv), MAPI_E_INVALID_OBJECT);
	assert_int_equal(n, 0);
	assert_null(pv);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), MAPI_E_INVALID_OBJECT);
	cont = (LPABCONT)root;
	pv = (LPSPropValue)(uintptr_t)1;
	n = 77;
	assert_int_equal(IABContainer_GetProps(cont, NULL, 0, &n, &pv), MAPI_E_INVALID_OBJECT);
	assert_null(pv);
	assert_int_equal(IABContainer_GetContentsTable(cont, 0, &tbl), MAPI_E_INVALID_OBJECT);
	assert_null(tbl);

	/* host_session_logoff: Logoff again (S_OK) and the last Release of the
	 * logon (LC-33); the held objects outlive it. */
	assert_int_equal(host_session_logoff(hl), S_OK);
	assert_int_equal(IMAPIStatus_Release(st), 0);
	assert_int_equal(IUnknown_Release(root), 0);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LC-39: a logon released without Logoff still frees everything, and
 * releases the support object it held. */
static void test_lifecycle_release_without_logoff_frees_everything_LC39(void **state)
{
	host_profile *prof = core_profile(dead, 0, NULL);
	host_provider *prov = core_load(NULL);
	LPABPROVIDER abp = host_provider_abprovider(prov);
	host_session *sess = NULL;
	LPMAPISUP sup = NULL;
	LPABLOGON logon = NULL;
	LPMAPIERROR err = NULL;
	LPMAPISTATUS st = NULL;
	LPUNKNOWN root = NULL;
	struct core_sink sink;
	ULONG type, cb = 0;
	ULONG_PTR conn = 0;
	LPBYTE sec = NULL;

	(void)state;
	core_sink_init(&sink);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	assert_int_equal(host_support_new(sess, prof, &sup), S_OK);
	assert_int_equal(IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, &cb, &sec,
	                                   &err, &logon), S_OK);
	assert_int_equal(IABLogon_OpenStatusEntry(logon, NULL, 0, &type, &st), S_OK);
	assert_int_equal(IABLogon_OpenEntry(logon, 0, NULL, NULL, 0, &type, &root), S_OK);
	assert_int_equal(IABLogon_Advise(logon, 0, NULL, fnevObjectModified, &sink.iface, &conn), S_OK);
	IMAPIStatus_Release(st);
	IUnknown_Release(root);
	assert_int_equal(host_support_refcount(sup), 2);
	assert_int_equal(IABLogon_Release(logon), 0);
	assert_int_equal(host_support_refcount(sup), 1);
	assert_int_equal(host_session_subscriptions(sess), 0);
	assert_int_equal(atomic_load(&sink.refs), 1);
	IMAPISupport_Release(sup);
	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LC-38: the host's shutdown order, as recorded. */
static void test_lifecycle_shutdown_order_as_mapi_does_LC38(void **state)
{
	host_trace *trace = NULL;
	host_profile *prof = core_profile(dead, 0, NULL);
	host_provider *prov;
	host_session *sess = NULL;
	host_logon *l = NULL;

	(void)state;
	assert_int_equal(host_trace_new(&trace), S_OK);
	prov = core_load(trace);
	assert_int_equal(host_session_new(trace, &sess), S_OK);
	assert_int_equal(host_session_logon(sess, prov, prof, 0, &l, NULL), S_OK);
	host_provider_release(prov);        /* before the last logoff: MAPI's order */
	host_trace_clear(trace);
	assert_int_equal(host_session_logoff(l), S_OK);
	assert_string_equal(host_trace_text(trace),
	                    "IABLogon::Logoff,IABLogon::Release,IABProvider::Shutdown,"
	                    "IABProvider::Release,dlclose");
	host_session_free(sess);
	host_trace_free(trace);
	host_profile_release(prof);
}

/* ---------------------------------------------------------------------- */
/* IABLogon methods without a server                                       */
/* ---------------------------------------------------------------------- */

struct fixture {
	host_profile *prof;
	host_provider *prov;
	host_session *sess;
	host_logon *hl;
	LPABLOGON l;
	MAPIUID uid;
};

static void fixture_up(struct fixture *f, ULONG n_extra, const SPropValue *extra)
{
	memset(f, 0, sizeof(*f));
	f->prof = core_profile(dead, n_extra, extra);
	f->prov = core_load(NULL);
	assert_int_equal(host_session_new(NULL, &f->sess), S_OK);
	assert_int_equal(host_session_logon(f->sess, f->prov, f->prof, 0, &f->hl, NULL), S_OK);
	f->l = host_logon_ablogon(f->hl);
	assert_true(core_profile_uid(f->prof, &f->uid));
}

static void fixture_down(struct fixture *f)
{
	assert_int_equal(host_session_logoff(f->hl), S_OK);
	host_session_free(f->sess);
	host_provider_release(f->prov);
	host_profile_release(f->prof);
}

static void expect_last_error(LPABLOGON l, HRESULT hr, const char *needle)
{
	LPMAPIERROR err = NULL;

	assert_int_equal(IABLogon_GetLastError(l, hr, 0, &err), S_OK);
	assert_non_null(err);
	if (!strstr(err->lpszError, needle))
		fail_msg("GetLastError: \"%s\" lacks \"%s\"", err->lpszError, needle);
	assert_string_equal(err->lpszComponent, "ldapab");
	host_MAPIFreeBuffer(err);
}

/* LO-2: flags, NULL → root, malformed/foreign/unknown container IDs, iids. */
static void test_logon_openentry_ids_flags_and_interfaces_LO2(void **state)
{
	static LPSTR conts[] = { (LPSTR)"People|ou=People,dc=example,dc=com" };
	SPropValue extra = { .ulPropTag = PR_LDAPAB_CONTAINERS_A };
	struct fixture f;
	uint8_t buf[256];
	MAPIUID other;
	LPUNKNOWN a = NULL, b = NULL, o = (LPUNKNOWN)(uintptr_t)1;
	ULONG type = 77, cb;

	(void)state;
	extra.Value.MVszA.cValues = 1;
	extra.Value.MVszA.lppszA = conts;
	fixture_up(&f, 1, &extra);

	/* LO-2c. */
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, MAPI_MODIFY, &type, &o),
	                 MAPI_E_NO_ACCESS);
	assert_null(o);
	assert_int_equal(type, 0);
	expect_last_error(f.l, MAPI_E_NO_ACCESS, "read-only");
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, 0x00100000, &type, &o),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, 0, NULL, &o),
	                 MAPI_E_INVALID_PARAMETER);

	/* LO-2a/e: the root, one object held by the logon, AddRef'd per open;
	 * MAPI_BEST_ACCESS and the tolerated bits are fine. */
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL,
	                                    MAPI_BEST_ACCESS | MAPI_MODIFY | MAPI_DEFERRED_ERRORS |
	                                    MAPI_NO_CACHE | MAPI_CACHE_ONLY, &type, &a), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, &IID_IMAPIContainer, 0, &type, &b), S_OK);
	assert_ptr_equal(a, b);
	IUnknown_Release(b);
	/* LO-2d: a mail-user interface on a container. */
	o = (LPUNKNOWN)(uintptr_t)1;
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, &IID_IMailUser, 0, &type, &o),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(o);

	/* LO-2b: malformed → INVALID_ENTRYID; foreign → UNKNOWN_ENTRYID. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, 5, (LPENTRYID)buf, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	expect_last_error(f.l, MAPI_E_INVALID_ENTRYID, "damaged or truncated");
	/* The ID is judged before the access asked for (MAPI_MODIFY alone would
	 * be NO_ACCESS for a good ID). */
	assert_int_equal(IABLogon_OpenEntry(f.l, 5, (LPENTRYID)buf, NULL, MAPI_MODIFY, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, "x", 1, NULL, buf, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb - 1, (LPENTRYID)buf, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	memcpy(other.ab, f.uid.ab, 16);
	other.ab[0] ^= 0xFF;
	cb = core_eid(&other, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, "x", 1, NULL, buf, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, NULL, 0, &type, &o),
	                 MAPI_E_UNKNOWN_ENTRYID);
	expect_last_error(f.l, MAPI_E_UNKNOWN_ENTRYID, "another address book");
	/* Ours, but no such container configured → NOT_FOUND. */
	cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, "nope", 4, NULL, buf, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, NULL, 0, &type, &o),
	                 MAPI_E_NOT_FOUND);
	expect_last_error(f.l, MAPI_E_NOT_FOUND, "no longer configured");
	assert_null(o);
	/* The caller's locator bytes reach the text escaped: no control bytes,
	 * no broken UTF-8, at most 64 bytes shown. */
	{
		static const char hostile[] = "a\x01\n\xff\xc3\xa9\\z";
		char longloc[200];
		LPMAPIERROR err = NULL;

		cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, hostile,
		              sizeof(hostile) - 1, NULL, buf, sizeof(buf));
		assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, NULL, 0, &type, &o),
		                 MAPI_E_NOT_FOUND);
		assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_NOT_FOUND, 0, &err), S_OK);
		assert_non_null(err);
		if (!strstr(err->lpszError, "\"a\\x01\\x0A\\xFF\xc3\xa9\\x5Cz\""))
			fail_msg("escaped locator missing: %s", err->lpszError);
		host_MAPIFreeBuffer(err);
		memset(longloc, 'L', sizeof(longloc));
		cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, longloc,
		              sizeof(longloc), NULL, buf, sizeof(buf));
		assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, NULL, 0, &type, &o),
		                 MAPI_E_NOT_FOUND);
		assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_NOT_FOUND, 0, &err), S_OK);
		assert_non_null(strstr(err->lpszError, "LLLL...\""));
		assert_null(strstr(err->lpszError, "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"));
		host_MAPIFreeBuffer(err);
	}

	/* The configured container by its entry ID (read from the root's
	 * hierarchy would need a table: build it from the configuration's
	 * derived ID instead, which must be stable). */
	IUnknown_Release(a);
	fixture_down(&f);
}

/* The ID config.c gives the first container of a profile's settings (the
 * same properties core_profile() stores): what the provider will use. */
static void config_container_id(ULONG n_extra, const SPropValue *extra, char *out, size_t cap)
{
	SPropValue v[8];
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	ULONG n = 0;

	assert_true(n_extra < 7);
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = dead;
	for (ULONG i = 0; i < n_extra; i++)
		v[n++] = extra[i];
	assert_int_equal(abp_config_from_props(n, v, &cfg, msg, sizeof(msg)), S_OK);
	assert_true(cfg->n_containers >= 1);
	snprintf(out, cap, "%s", cfg->containers[0].id);
	abp_config_free(cfg);
}

/* PR_ENTRYID of an object opened by OpenEntry, copied into buf. */
static ULONG read_entryid(LPUNKNOWN obj, uint8_t *buf, size_t cap)
{
	SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
	LPSPropValue pv = NULL;
	ULONG n = 0, cb;

	assert_int_equal(IMAPIProp_GetProps((LPMAPIPROP)obj, (LPSPropTagArray)&tags, 0, &n, &pv),
	                 S_OK);
	assert_int_equal(n, 1);
	assert_int_equal(pv[0].ulPropTag, PR_ENTRYID);
	cb = pv[0].Value.bin.cb;
	assert_true(cb > 0 && cb <= cap);
	memcpy(buf, pv[0].Value.bin.lpb, cb);
	host_MAPIFreeBuffer(pv);
	return cb;
}

/* One container: its ID from the configuration opens it, its PR_ENTRYID
 * is that ID and opens the same object again; the old literal "default"
 * names nothing (EK-4: one rule for every container ID). */
static void check_container_roundtrip(ULONG n_extra, const SPropValue *extra)
{
	struct fixture f;
	uint8_t buf[256], eid[256];
	char id[32];
	LPUNKNOWN a = NULL, b = NULL, root = NULL, o = NULL;
	ULONG type = 0, cb, cbe;

	config_container_id(n_extra, extra, id, sizeof(id));
	assert_int_equal(id[0], 'c');
	fixture_up(&f, n_extra, extra);
	cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, id, strlen(id), NULL,
	              buf, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, &IID_IABContainer, 0,
	                                    &type, &a), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	cbe = read_entryid(a, eid, sizeof(eid));
	assert_int_equal(cbe, cb);
	assert_memory_equal(eid, buf, cb);
	assert_int_equal(IABLogon_OpenEntry(f.l, cbe, (LPENTRYID)eid, NULL, 0, &type, &b), S_OK);
	assert_ptr_equal(a, b);
	eid[0] = MAPI_SHORTTERM;        /* abFlags are not identity (EK-3) */
	IUnknown_Release(b);
	assert_int_equal(IABLogon_OpenEntry(f.l, cbe, (LPENTRYID)eid, NULL, 0, &type, &b), S_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, 0, &type, &root), S_OK);
	assert_ptr_not_equal(root, a);  /* the root is another object */
	/* Ours + the logon's. */
	assert_int_equal(IUnknown_AddRef(a), 4);
	IUnknown_Release(a);
	cb = core_eid(&f.uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, "default", 7, NULL,
	              buf, sizeof(buf));
	assert_int_equal(IABLogon_OpenEntry(f.l, cb, (LPENTRYID)buf, NULL, 0, &type, &o),
	                 MAPI_E_NOT_FOUND);
	IUnknown_Release(a);
	IUnknown_Release(b);
	IUnknown_Release(root);
	fixture_down(&f);
}

/* LO-2 / EK-2 / EK-4: a directory container by its configured ID - the
 * default one when no list is configured, a listed one without a base of
 * its own - held by the logon and handed out AddRef'd. */
static void test_logon_openentry_container_by_its_own_entryid_LO2_EK4(void **state)
{
	static LPSTR conts[] = { (LPSTR)"Everyone", (LPSTR)"People|ou=People,dc=example,dc=com" };
	SPropValue extra[2];

	(void)state;
	check_container_roundtrip(0, NULL);
	memset(extra, 0, sizeof(extra));
	extra[0].ulPropTag = PR_LDAPAB_BASE_DN_A;
	extra[0].Value.lpszA = (LPSTR)"dc=example,dc=com";
	check_container_roundtrip(1, extra);
	extra[1].ulPropTag = PR_LDAPAB_CONTAINERS_A;
	extra[1].Value.MVszA.cValues = 2;
	extra[1].Value.MVszA.lppszA = conts;
	check_container_roundtrip(2, extra);
}

/* LO-3: CompareEntryIDs. */
static void test_logon_compare_entry_ids_LO3(void **state)
{
	static const uint8_t uuid1[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const uint8_t uuid2[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17 };
	struct fixture f;
	uint8_t a[256], b[256], c[256], d[256];
	ULONG ca, cb, cc, cd, res = 77;
	MAPIUID other;

	(void)state;
	fixture_up(&f, 0, NULL);
	ca = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16,
	              "uid=a,dc=example,dc=com", a, sizeof(a));
	/* Same object: other hint (renamed), other abFlags (EK-3). */
	cb = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16,
	              "uid=renamed,dc=example,dc=com", b, sizeof(b));
	b[0] = MAPI_SHORTTERM;
	cc = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid2, 16, NULL, c, sizeof(c));
	cd = core_eid(&f.uid, ABP_EID_DISTLIST, ABP_EID_LOC_ENTRYUUID, uuid1, 16, NULL, d, sizeof(d));

	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cb, (LPENTRYID)b, 0, &res), S_OK);
	assert_int_equal(res, TRUE);
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cc, (LPENTRYID)c, 0, &res), S_OK);
	assert_int_equal(res, FALSE);
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cd, (LPENTRYID)d, 0, &res), S_OK);
	assert_int_equal(res, FALSE);           /* different types */
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, 0, NULL, 0, NULL, 0, &res), S_OK);
	assert_int_equal(res, TRUE);            /* both the root */
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, 0, NULL, ca, (LPENTRYID)a, 0, &res), S_OK);
	assert_int_equal(res, FALSE);

	res = 77;
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cb, (LPENTRYID)b, 1, &res),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(res, FALSE);
	res = 77;
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca - 3, (LPENTRYID)a, cb, (LPENTRYID)b, 0, &res),
	                 MAPI_E_INVALID_ENTRYID);
	assert_int_equal(res, FALSE);
	memcpy(other.ab, f.uid.ab, 16);
	other.ab[15] ^= 1;
	cc = core_eid(&other, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16, NULL, c, sizeof(c));
	res = 77;
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cc, (LPENTRYID)c, 0, &res),
	                 MAPI_E_INVALID_ENTRYID);
	assert_int_equal(res, FALSE);
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, ca, (LPENTRYID)a, cb, (LPENTRYID)b, 0, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	fixture_down(&f);
}

/* LO-4: Advise validates the ID, returns the support's connection;
 * Unadvise of an unknown connection → NOT_FOUND; Notify reaches the sink. */
static void test_logon_advise_unadvise_through_support_LO4(void **state)
{
	static const uint8_t uuid1[16] = { 9, 9, 9 };
	struct fixture f;
	struct core_sink sink;
	uint8_t a[256];
	ULONG ca;
	ULONG_PTR c1 = 0, c2 = 0;
	MAPIUID other;

	(void)state;
	core_sink_init(&sink);
	fixture_up(&f, 0, NULL);
	ca = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16, NULL, a, sizeof(a));
	assert_int_equal(IABLogon_Advise(f.l, ca, (LPENTRYID)a, 0, &sink.iface, &c1),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_Advise(f.l, ca, (LPENTRYID)a, fnevObjectModified, NULL, &c1),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_Advise(f.l, 7, (LPENTRYID)a, fnevObjectModified, &sink.iface, &c1),
	                 MAPI_E_INVALID_ENTRYID);
	memcpy(other.ab, f.uid.ab, 16);
	other.ab[3] ^= 1;
	{
		uint8_t o[256];
		ULONG co = core_eid(&other, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16, NULL,
		                    o, sizeof(o));
		assert_int_equal(IABLogon_Advise(f.l, co, (LPENTRYID)o, fnevObjectModified,
		                                 &sink.iface, &c1), MAPI_E_UNKNOWN_ENTRYID);
	}
	assert_int_equal(host_session_subscriptions(f.sess), 0);

	assert_int_equal(IABLogon_Advise(f.l, ca, (LPENTRYID)a, fnevObjectModified, &sink.iface, &c1), S_OK);
	assert_int_equal(IABLogon_Advise(f.l, 0, NULL, fnevObjectModified, &sink.iface, &c2), S_OK);
	assert_true(c1 != 0 && c2 != 0 && c1 != c2);
	assert_int_equal(host_session_subscriptions(f.sess), 2);
	assert_int_equal(atomic_load(&sink.refs), 3);

	/* The key is the ID without abFlags: Notify on it reaches the sink. */
	{
		SizedNOTIFKEY(64, key);
		NOTIFICATION nt;
		ULONG flags = 0;

		key.cb = ca - 4;
		memcpy(key.ab, a + 4, key.cb);
		memset(&nt, 0, sizeof(nt));
		nt.ulEventType = fnevObjectModified;
		assert_int_equal(IMAPISupport_Notify(host_logon_support(f.hl), (LPNOTIFKEY)&key, 1,
		                                     &nt, &flags), S_OK);
		assert_int_equal(atomic_load(&sink.notified), 1);
	}

	assert_int_equal(IABLogon_Unadvise(f.l, c1 + c2 + 1000), MAPI_E_NOT_FOUND);
	assert_int_equal(IABLogon_Unadvise(f.l, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_Unadvise(f.l, c1), S_OK);
	assert_int_equal(IABLogon_Unadvise(f.l, c1), MAPI_E_NOT_FOUND);
	assert_int_equal(host_session_subscriptions(f.sess), 1);
	/* c2 is left for Logoff (LC-32 step 2). */
	fixture_down(&f);
	assert_int_equal(atomic_load(&sink.refs), 1);
}

/* LO-2f: a root-typed ID opens the root only with the root's own locator
 * (one object, one ID): "zzz" or another locator kind is not an ID we made,
 * for OpenEntry, CompareEntryIDs and Advise alike. */
static void test_logon_root_id_needs_its_exact_locator_LO2f(void **state)
{
	struct fixture f;
	struct core_sink sink;
	uint8_t rid[256], bad[256];
	ULONG type = 0, crid, cbad, res = 7;
	ULONG_PTR conn = 0;
	LPUNKNOWN root = NULL, again = NULL, o = (LPUNKNOWN)(uintptr_t)1;

	(void)state;
	core_sink_init(&sink);
	fixture_up(&f, 0, NULL);
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, 0, &type, &root), S_OK);
	crid = read_entryid(root, rid, sizeof(rid));
	assert_int_equal(IABLogon_OpenEntry(f.l, crid, (LPENTRYID)rid, NULL, 0, &type, &again),
	                 S_OK);
	assert_ptr_equal(again, root);
	IUnknown_Release(again);

	cbad = core_eid(&f.uid, ABP_EID_ROOT, ABP_EID_LOC_CONTAINER, "zzz", 3, NULL, bad,
	                sizeof(bad));
	assert_int_equal(IABLogon_OpenEntry(f.l, cbad, (LPENTRYID)bad, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	assert_null(o);
	assert_int_equal(type, 0);
	expect_last_error(f.l, MAPI_E_INVALID_ENTRYID, "root container");
	/* The right bytes under another locator kind are not it either. */
	cbad = core_eid(&f.uid, ABP_EID_ROOT, ABP_EID_LOC_CONTAINER, "root", 4, NULL, bad,
	                sizeof(bad));
	bad[22] = ABP_EID_LOC_DN;       /* the locator kind byte (entryid.h) */
	assert_int_equal(IABLogon_OpenEntry(f.l, cbad, (LPENTRYID)bad, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_ENTRYID);
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, cbad, (LPENTRYID)bad, 0, NULL, 0, &res),
	                 MAPI_E_INVALID_ENTRYID);
	assert_int_equal(res, FALSE);
	assert_int_equal(IABLogon_Advise(f.l, cbad, (LPENTRYID)bad, fnevObjectModified,
	                                 &sink.iface, &conn), MAPI_E_INVALID_ENTRYID);
	assert_int_equal(conn, 0);
	/* The root's own ID is the root, as NULL is. */
	assert_int_equal(IABLogon_CompareEntryIDs(f.l, crid, (LPENTRYID)rid, 0, NULL, 0, &res),
	                 S_OK);
	assert_int_equal(res, TRUE);
	IUnknown_Release(root);
	fixture_down(&f);
	assert_int_equal(atomic_load(&sink.refs), 1);
}

/* LO-5 / ST-5: the status object's PR_ENTRYID opened with MAPI_MODIFY
 * answers as OpenStatusEntry(MAPI_MODIFY) does: the one read-only object. */
static void test_logon_status_entryid_with_modify_opens_read_only_LO5_ST5(void **state)
{
	struct fixture f;
	uint8_t sid[256];
	ULONG type = 0, csid;
	LPMAPISTATUS st = NULL;
	LPUNKNOWN o = NULL;
	SPropValue set = { .ulPropTag = PR_STATUS_STRING_A };
	LPSPropProblemArray probs = NULL;

	(void)state;
	fixture_up(&f, 0, NULL);
	assert_int_equal(IABLogon_OpenStatusEntry(f.l, NULL, MAPI_MODIFY, &type, &st), S_OK);
	csid = read_entryid((LPUNKNOWN)st, sid, sizeof(sid));
	type = 0;
	assert_int_equal(IABLogon_OpenEntry(f.l, csid, (LPENTRYID)sid, NULL, MAPI_MODIFY, &type, &o),
	                 S_OK);
	assert_int_equal(type, MAPI_STATUS);
	assert_ptr_equal(o, st);
	set.Value.lpszA = (LPSTR)"x";
	assert_int_equal(IMAPIStatus_SetProps((LPMAPISTATUS)o, 1, &set, &probs), MAPI_E_NO_ACCESS);
	IUnknown_Release(o);
	/* Containers stay what LO-2c says. */
	assert_int_equal(IABLogon_OpenEntry(f.l, 0, NULL, NULL, MAPI_MODIFY, &type, &o),
	                 MAPI_E_NO_ACCESS);
	IMAPIStatus_Release(st);
	fixture_down(&f);
}

/* EK-6 / LO-4: the notification key is the object's identity, so Advise on
 * an ID with a DN hint and on its hint-less form subscribe to one key: a
 * Notify on the record key (minus its flag bytes) reaches both. */
static void test_logon_advise_key_is_identity_whatever_the_hint_LO4_EK6(void **state)
{
	static const uint8_t uuid1[16] = { 7, 7, 7, 7 };
	struct fixture f;
	struct core_sink sink;
	uint8_t hinted[256], plain[256];
	ULONG ch, cp;
	ULONG_PTR c1 = 0, c2 = 0;

	(void)state;
	core_sink_init(&sink);
	fixture_up(&f, 0, NULL);
	ch = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16,
	              "uid=old,ou=people,dc=example,dc=com", hinted, sizeof(hinted));
	cp = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16, NULL, plain,
	              sizeof(plain));
	hinted[0] = MAPI_SHORTTERM;     /* abFlags are not identity either */
	assert_int_equal(IABLogon_Advise(f.l, ch, (LPENTRYID)hinted, fnevObjectModified,
	                                 &sink.iface, &c1), S_OK);
	assert_int_equal(IABLogon_Advise(f.l, cp, (LPENTRYID)plain, fnevObjectModified,
	                                 &sink.iface, &c2), S_OK);
	{
		SizedNOTIFKEY(64, key);
		NOTIFICATION nt;
		ULONG flags = 0;

		key.cb = cp - 4;        /* the record key (= the hint-less ID) minus abFlags */
		memcpy(key.ab, plain + 4, key.cb);
		memset(&nt, 0, sizeof(nt));
		nt.ulEventType = fnevObjectModified;
		assert_int_equal(IMAPISupport_Notify(host_logon_support(f.hl), (LPNOTIFKEY)&key, 1,
		                                     &nt, &flags), S_OK);
		assert_int_equal(atomic_load(&sink.notified), 2);
	}
	assert_int_equal(IABLogon_Unadvise(f.l, c1), S_OK);
	assert_int_equal(IABLogon_Unadvise(f.l, c2), S_OK);
	fixture_down(&f);
	assert_int_equal(atomic_load(&sink.refs), 1);
}

/* CF-7: a profile made before PR_AB_PROVIDER_ID was written (it has an
 * instance UID but no provider ID) gets it at the next Logon, the UID kept;
 * a profile holding both is only read (no MAPI_MODIFY open).  The opens are
 * counted by interposing on the host support object's vtable. */
static const IMAPISupportVtbl *real_sup_vtbl;
static IMAPISupportVtbl counting_sup_vtbl;
static atomic_int modify_opens, all_opens;

static HRESULT STDMETHODCALLTYPE counting_open_section(IMAPISupport *This, LPMAPIUID uid,
                                                       ULONG flags, LPPROFSECT *out)
{
	atomic_fetch_add(&all_opens, 1);
	if (flags & MAPI_MODIFY)
		atomic_fetch_add(&modify_opens, 1);
	return real_sup_vtbl->OpenProfileSection(This, uid, flags, out);
}

static void logon_counting_opens(LPABPROVIDER abp, host_session *sess, host_profile *prof)
{
	LPMAPISUP sup = NULL;
	LPABLOGON logon = NULL;
	LPMAPIERROR err = NULL;

	assert_int_equal(host_support_new(sess, prof, &sup), S_OK);
	real_sup_vtbl = sup->lpVtbl;
	counting_sup_vtbl = *real_sup_vtbl;
	counting_sup_vtbl.OpenProfileSection = counting_open_section;
	atomic_store(&modify_opens, 0);
	atomic_store(&all_opens, 0);
	sup->lpVtbl = &counting_sup_vtbl;
	assert_int_equal(IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL,
	                                   &err, &logon), S_OK);
	sup->lpVtbl = real_sup_vtbl;    /* the host's own checks know only its vtable */
	assert_int_equal(IABLogon_Logoff(logon, 0), S_OK);
	assert_int_equal(IABLogon_Release(logon), 0);
	assert_int_equal(host_support_refcount(sup), 1);
	IMAPISupport_Release(sup);
}

static void test_lifecycle_existing_profile_gets_ab_provider_id_at_logon_CF7(void **state)
{
	static const BYTE want[16] = LDAPAB_AB_PROVIDER_ID_BYTES;
	static BYTE old_uid[16] = { 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	SizedSPropTagArray(1, tag) = { 1, { PR_AB_PROVIDER_ID } };
	SPropValue uidv = { .ulPropTag = PR_LDAPAB_INSTANCE_UID };
	host_profile *prof = core_profile(dead, 0, NULL);
	host_provider *prov = core_load(NULL);
	host_session *sess = NULL;
	LPSPropValue pv = NULL;
	MAPIUID uid;
	ULONG pn = 0;

	(void)state;
	uidv.Value.bin.cb = sizeof(old_uid);
	uidv.Value.bin.lpb = old_uid;
	assert_int_equal(host_profile_set_props(prof, NULL, 1, &uidv), S_OK);
	assert_int_equal(host_profile_get_props(prof, NULL, (LPSPropTagArray)&tag, 0, &pn, &pv),
	                 MAPI_W_ERRORS_RETURNED);
	assert_int_equal(PROP_TYPE(pv[0].ulPropTag), PT_ERROR);
	host_MAPIFreeBuffer(pv);
	pv = NULL;
	assert_int_equal(host_session_new(NULL, &sess), S_OK);

	logon_counting_opens(host_provider_abprovider(prov), sess, prof);
	assert_int_equal(atomic_load(&modify_opens), 1);        /* to write it, once */
	assert_int_equal(host_profile_get_props(prof, NULL, (LPSPropTagArray)&tag, 0, &pn, &pv),
	                 S_OK);
	assert_int_equal(pv[0].ulPropTag, PR_AB_PROVIDER_ID);
	assert_int_equal(pv[0].Value.bin.cb, 16);
	assert_memory_equal(pv[0].Value.bin.lpb, want, 16);
	host_MAPIFreeBuffer(pv);
	assert_true(core_profile_uid(prof, &uid));
	assert_memory_equal(uid.ab, old_uid, 16);               /* the UID is kept */

	/* Both present now: Logon only reads (LC-13). */
	logon_counting_opens(host_provider_abprovider(prov), sess, prof);
	assert_int_equal(atomic_load(&modify_opens), 0);
	assert_true(atomic_load(&all_opens) >= 1);
	assert_true(core_profile_uid(prof, &uid));
	assert_memory_equal(uid.ab, old_uid, 16);

	host_session_free(sess);
	host_provider_release(prov);
	host_profile_release(prof);
}

/* LO-6, LO-7, LO-8 (a, h), LO-1 flags. */
static void test_logon_unsupported_methods_and_preparerecips_args_LO1_LO6_LO7_LO8(void **state)
{
	struct fixture f;
	LPMAPIPROP pnew = (LPMAPIPROP)(uintptr_t)1;
	LPMAPITABLE tbl = (LPMAPITABLE)(uintptr_t)1;
	LPMAPIERROR err = (LPMAPIERROR)(uintptr_t)1;
	SizedADRLIST(1, adr) = { 1, { { 0, 0, NULL } } };
	SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };

	(void)state;
	fixture_up(&f, 0, NULL);
	assert_int_equal(IABLogon_OpenTemplateID(f.l, 0, NULL, 0, NULL, NULL, &pnew, NULL),
	                 MAPI_E_NO_SUPPORT);
	assert_null(pnew);
	expect_last_error(f.l, MAPI_E_NO_SUPPORT, "OpenTemplateID");
	assert_int_equal(IABLogon_GetOneOffTable(f.l, MAPI_UNICODE, &tbl), MAPI_E_NO_SUPPORT);
	assert_null(tbl);
	expect_last_error(f.l, MAPI_E_NO_SUPPORT, "GetOneOffTable");
	assert_int_equal(IABLogon_GetOneOffTable(f.l, 0x1, &tbl), MAPI_E_UNKNOWN_FLAGS);

	/* LO-1: Unicode text; unknown flags; nothing for another code. */
	assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_NO_SUPPORT, MAPI_UNICODE, &err), S_OK);
	assert_non_null(err);
	assert_true(host_utf16_eq_utf8((LPWSTR)(void *)err->lpszComponent, "ldapab"));
	host_MAPIFreeBuffer(err);
	assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_NO_SUPPORT, 0x2, &err), MAPI_E_UNKNOWN_FLAGS);
	assert_null(err);
	assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_CALL_FAILED, 0, &err), S_OK);
	assert_null(err);

	/* LO-8h/a: flags, NULL list; no tags → S_OK, untouched. */
	assert_int_equal(IABLogon_PrepareRecips(f.l, 0x1, (LPSPropTagArray)&tags, (LPADRLIST)&adr),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(IABLogon_PrepareRecips(f.l, 0, (LPSPropTagArray)&tags, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_PrepareRecips(f.l, MAPI_CACHE_ONLY, NULL, (LPADRLIST)&adr), S_OK);
	assert_int_equal(adr.cEntries, 1);
	assert_null(adr.aEntries[0].rgPropVals);
	/* An entry without PR_ENTRYID is skipped (LO-8b). */
	assert_int_equal(IABLogon_PrepareRecips(f.l, MAPI_CACHE_ONLY, (LPSPropTagArray)&tags,
	                                        (LPADRLIST)&adr), S_OK);
	assert_null(adr.aEntries[0].rgPropVals);
	fixture_down(&f);
}

/* LC-17: lazy bind; the first lookup of a person reports the network error
 * naming the server, and the status row turns to STATUS_FAILURE (ST-3). */
static void test_logon_dead_server_first_lookup_is_network_error_LC17_ST3(void **state)
{
	static const uint8_t uuid1[16] = { 7, 7, 7, 7 };
	struct fixture f;
	uint8_t a[256];
	ULONG ca, type = 77;
	LPUNKNOWN o = (LPUNKNOWN)(uintptr_t)1;
	LPMAPIERROR err = NULL;
	const char *port;

	(void)state;
	fixture_up(&f, 0, NULL);
	assert_int_equal(core_row_status(host_logon_support(f.hl)), STATUS_AVAILABLE);
	ca = core_eid(&f.uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid1, 16,
	              "uid=jdoe,ou=People,dc=example,dc=com", a, sizeof(a));
	assert_int_equal(IABLogon_OpenEntry(f.l, ca, (LPENTRYID)a, NULL, 0, &type, &o),
	                 MAPI_E_NETWORK_ERROR);
	assert_null(o);
	assert_int_equal(IABLogon_GetLastError(f.l, MAPI_E_NETWORK_ERROR, 0, &err), S_OK);
	assert_non_null(err);
	port = strrchr(dead, ':');
	if (!strstr(err->lpszError, port + 1))
		fail_msg("the message does not name the server %s: \"%s\"", dead, err->lpszError);
	host_MAPIFreeBuffer(err);
	assert_int_equal(core_row_status(host_logon_support(f.hl)), STATUS_FAILURE);
	fixture_down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_lifecycle_init_handshake_and_new_object_per_call_LC3_LC4_LC5_LC7),
		CORE_TEST(test_lifecycle_logon_refs_support_once_and_registers_stable_uid_LC12_LC14_LC20_CF7),
		CORE_TEST(test_lifecycle_logon_failure_is_unconfigured_with_one_block_error_LC11_LC15_LC19),
		CORE_TEST(test_lifecycle_concurrent_first_logons_agree_on_one_uid_LC10_LC14),
		CORE_TEST(test_lifecycle_damaged_instance_uid_is_unconfigured_LC14),
		CORE_TEST(test_lifecycle_password_over_plain_ldap_is_unconfigured_LC15_CF5),
		CORE_TEST(test_lifecycle_logoff_order_and_invalid_object_afterwards_LC31_LC32_LC34_LC40_LC42),
		CORE_TEST(test_lifecycle_release_without_logoff_frees_everything_LC39),
		CORE_TEST(test_lifecycle_shutdown_order_as_mapi_does_LC38),
		CORE_TEST(test_lifecycle_existing_profile_gets_ab_provider_id_at_logon_CF7),
		CORE_TEST(test_logon_openentry_ids_flags_and_interfaces_LO2),
		CORE_TEST(test_logon_openentry_container_by_its_own_entryid_LO2_EK4),
		CORE_TEST(test_logon_compare_entry_ids_LO3),
		CORE_TEST(test_logon_advise_unadvise_through_support_LO4),
		CORE_TEST(test_logon_root_id_needs_its_exact_locator_LO2f),
		CORE_TEST(test_logon_status_entryid_with_modify_opens_read_only_LO5_ST5),
		CORE_TEST(test_logon_advise_key_is_identity_whatever_the_hint_LO4_EK6),
		CORE_TEST(test_logon_unsupported_methods_and_preparerecips_args_LO1_LO6_LO7_LO8),
		CORE_TEST(test_logon_dead_server_first_lookup_is_network_error_LC17_ST3),
	};
	core_dead_uri(dead, sizeof(dead));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
